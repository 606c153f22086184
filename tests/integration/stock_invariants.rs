//! Conservation (model.md §11) and the decomposition on the stock scenario, over a few seeds
//! and every variant.

use samverkan::scenario;
use samverkan::sim;
use std::collections::HashMap;
use std::sync::Arc;

fn records() -> Vec<sim::RunRecord> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/stockholm-attack.toml");
    let base = scenario::load(&path, None).unwrap();
    let mut out = Vec::new();
    for variant in std::iter::once(None).chain(base.variants.iter().map(|v| Some(v.as_str()))) {
        let model = Arc::new(scenario::load(&path, variant).unwrap());
        for seed in 1..=3 {
            out.push(sim::run(&model, seed).unwrap());
        }
    }
    out
}

#[test]
fn messages_are_conserved_and_in_time_order() {
    for r in records() {
        let mut queued_at_end = 0;
        let mut in_service_at_end = 0;
        for m in &r.messages {
            // sent ≤ delivered ≤ started ≤ done, each present only after the previous one
            if let Some(d) = m.delivered {
                assert!(d >= m.sent);
                match (m.started, m.done) {
                    (Some(s), Some(e)) => assert!(d <= s && s <= e),
                    (Some(s), None) => {
                        assert!(d <= s);
                        in_service_at_end += 1;
                    }
                    (None, None) => queued_at_end += 1,
                    (None, Some(_)) => panic!("done without a start"),
                }
            } else {
                assert!(m.started.is_none() && m.done.is_none());
            }
            assert!(m.attempts >= 1 || m.delivered.is_none());
        }
        let backlog: u32 = r.units.iter().map(|u| u.backlog_at_end).sum();
        assert_eq!(queued_at_end, backlog, "queued messages at the end = sum of backlogs");
        let handled: u64 = r.units.iter().map(|u| u.handled).sum();
        let done = r.messages.iter().filter(|m| m.done.is_some()).count() as u64;
        assert_eq!(handled, done);
        assert!(in_service_at_end <= r.messages.len());
    }
}

#[test]
fn every_resource_is_idle_busy_or_in_transit_at_every_change() {
    for r in records() {
        let mut totals: HashMap<(u32, u32), u32> = HashMap::new();
        for p in &r.model.pools {
            *totals.entry((p.org, p.kind)).or_default() += p.count;
        }
        for row in &r.resource_rows {
            let total = totals.get(&(row.org, row.kind)).copied().unwrap_or(0);
            assert_eq!(row.in_use + row.idle + row.in_transit, total, "{row:?}");
            assert!(row.unmet <= row.demanded, "{row:?}");
        }
    }
}

#[test]
fn the_decomposition_adds_up_and_nothing_is_known_before_its_origin() {
    for r in records() {
        let parts = r.trail_parts();
        for k in &r.knowledge {
            let time = r.trail_time(k.trail);
            let p = parts[k.trail as usize];
            let f = &r.facts[k.fact as usize];
            assert!(time >= f.origin_time);
            assert!(p.iter().all(|p| *p >= 0), "{p:?}");
            assert_eq!(p.iter().sum::<i64>(), time - f.origin_time);
        }
        for u in &r.units {
            assert!(u.busy_time <= u.available_time);
        }
    }
}
