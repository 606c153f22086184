//! Invariants that must hold for every valid scenario (model.md §11), checked with
//! proptest over randomly generated scenarios (`common::generate`): conservation of
//! messages and resources, delay decompositions that add up, knowledge never before a
//! fact's origin, busy shares at most 1, identical results for identical seeds, and
//! monotone effects where queueing theory says so.
//!
//! `PROPTEST_CASES=1000 cargo test --release --test integration properties` runs more cases.

use crate::common;
use common::generate::{DistPlan, plan};
use common::*;
use proptest::prelude::*;
use samverkan::metrics;
use samverkan::model::{Action, InjectTime};
use samverkan::output::run as files;
use samverkan::sim::{self, RunRecord};
use std::collections::HashMap;

/// Every run file's bytes, for comparing two runs.
fn outputs(r: &RunRecord) -> Vec<Vec<u8>> {
    let mut summary = metrics::summarise(r);
    summary.tool_version.clear();
    vec![
        files::facts(r, samverkan::output::CsvDialect::Comma).into_bytes(),
        files::levels(r, samverkan::output::CsvDialect::Comma).into_bytes(),
        files::messages(r, samverkan::output::CsvDialect::Comma).into_bytes(),
        files::units(r, samverkan::output::CsvDialect::Comma).into_bytes(),
        files::resources(r, samverkan::output::CsvDialect::Comma).into_bytes(),
        files::requests(r, samverkan::output::CsvDialect::Comma).into_bytes(),
        files::conferences(r, samverkan::output::CsvDialect::Comma).into_bytes(),
        files::public(r, samverkan::output::CsvDialect::Comma).into_bytes(),
        files::infrastructure(r, samverkan::output::CsvDialect::Comma).into_bytes(),
        serde_json::to_vec(&summary).expect("json"),
    ]
}

/// Every message sent is delivered (first time or after re-sending) or still in flight;
/// every delivered message is handled, being handled, or waiting in its unit's queue.
fn messages_are_conserved(r: &RunRecord) -> Result<(), String> {
    let n = r.model.units.len();
    let (mut delivered, mut done, mut in_service, mut waiting) =
        (vec![0u64; n], vec![0u64; n], vec![0u64; n], vec![0u64; n]);
    for (i, m) in r.messages.iter().enumerate() {
        let times = [Some(m.sent), m.delivered, m.started, m.done];
        let present: Vec<i64> = times.iter().map_while(|t| *t).collect();
        if times[present.len()..].iter().any(|t| t.is_some()) {
            return Err(format!("message {i}: a later stage without an earlier one: {times:?}"));
        }
        if present.windows(2).any(|w| w[0] > w[1]) || present.iter().any(|t| *t > r.end) {
            return Err(format!("message {i}: stages out of order or after the end: {times:?}"));
        }
        if m.delivered.is_some() && m.attempts == 0 {
            return Err(format!("message {i} delivered without an attempt"));
        }
        let to = m.to as usize;
        if m.delivered.is_some() {
            delivered[to] += 1;
            match (m.started, m.done) {
                (None, _) => waiting[to] += 1,
                (Some(_), None) => in_service[to] += 1,
                (Some(_), Some(_)) => done[to] += 1,
            }
        }
    }
    for (u, o) in r.units.iter().enumerate() {
        let id = &r.model.units[u].id;
        if o.handled != done[u] || o.backlog_at_end as u64 != waiting[u] {
            return Err(format!(
                "unit {id}: handled {} vs {} done messages, backlog {} vs {} waiting",
                o.handled, done[u], o.backlog_at_end, waiting[u]
            ));
        }
        if delivered[u] != done[u] + in_service[u] + waiting[u] {
            return Err(format!("unit {id}: delivered messages not conserved"));
        }
    }
    let s = metrics::summarise(r);
    let get = |k: &str| s.measures.by_name(k).unwrap_or_else(|| panic!("no headline measure {k}")).unwrap_or(-1.0);
    if get("messages_sent") != get("messages_delivered") + get("messages_lost_resent") + get("messages_in_flight") {
        return Err("summary: sent ≠ delivered + lost and re-sent + in flight".into());
    }
    Ok(())
}

/// Every resource is idle, busy or in transit at every instant; every job of a demand is
/// uncovered, on its way, in service or done.
fn resources_are_conserved(r: &RunRecord) -> Result<(), String> {
    let m = &r.model;
    let mut total: HashMap<(u32, u32), i64> = HashMap::new();
    for p in &m.pools {
        *total.entry((p.org, p.kind)).or_default() += p.count as i64;
    }
    let mut adds: Vec<(i64, u32, u32, i64)> = vec![];
    for inj in &m.injects {
        if let (Action::PoolChange { pool, add }, InjectTime::At(t)) = (&inj.action, &inj.time) {
            let p = &m.pools[*pool as usize];
            adds.push((*t, p.org, p.kind, *add));
        }
    }
    for row in &r.resource_rows {
        let values = [row.in_use, row.idle, row.in_transit, row.demanded, row.unmet];
        if values.iter().any(|v| *v > 100_000_000) {
            return Err(format!("negative value in the resource picture: {row:?}"));
        }
        let added: i64 =
            adds.iter().filter(|a| a.0 <= row.time && (a.1, a.2) == (row.org, row.kind)).map(|a| a.3).sum();
        let expected = total.get(&(row.org, row.kind)).copied().unwrap_or(0) + added;
        let have = (row.in_use + row.idle + row.in_transit) as i64;
        if have != expected {
            return Err(format!(
                "at {} min: {have} resources accounted for, {expected} exist: {row:?}",
                row.time / 60_000
            ));
        }
        if row.unmet > row.demanded {
            return Err(format!("more unmet than demanded: {row:?}"));
        }
    }
    for inc in &r.incidents {
        for d in &inc.demands {
            if d.total != d.uncovered + d.en_route + d.in_service + d.done {
                return Err(format!("incident {}: jobs not conserved: {d:?}", inc.name));
            }
        }
    }
    Ok(())
}

/// Knowledge: never before the origin, once per unit and fact, and the decomposition adds up.
fn knowledge_is_consistent(r: &RunRecord) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    let parts = r.trail_parts();
    for k in &r.knowledge {
        let f = &r.facts[k.fact as usize];
        let time = r.trail_time(k.trail);
        let p = parts[k.trail as usize];
        let unit = &r.model.units[k.unit as usize].id;
        if !seen.insert((k.fact, k.unit)) {
            return Err(format!("{unit} came to know {} twice", f.id));
        }
        if time < f.origin_time || time > r.end {
            return Err(format!("{unit} knew {} at {} but it started at {}", f.id, time, f.origin_time));
        }
        if p.iter().any(|p| *p < 0) || p.iter().sum::<i64>() != time - f.origin_time {
            return Err(format!("{unit}, {}: parts {p:?} do not add up to {}", f.id, time - f.origin_time));
        }
    }
    Ok(())
}

fn units_are_consistent(r: &RunRecord) -> Result<(), String> {
    for (u, o) in r.units.iter().enumerate() {
        if o.busy_time < 0 || o.busy_time > o.available_time {
            return Err(format!("{}: busy {} > available {}", r.model.units[u].id, o.busy_time, o.available_time));
        }
    }
    for c in &r.conferences {
        if c.end - c.start != r.model.conferences[c.conference as usize].duration {
            return Err(format!("conference {c:?} does not last its duration"));
        }
    }
    Ok(())
}

/// Cases per property: `PROPTEST_CASES`, or `default`.
fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    ProptestConfig { cases: n, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn every_generated_scenario_keeps_the_invariants(p in plan(), seed in any::<u64>()) {
        let text = p.render();
        let m = match samverkan::scenario::build(&samverkan::scenario::Source::from_str("generated.toml", &text), None, &[]) {
            Ok(m) => std::sync::Arc::new(m),
            Err(e) => return Err(TestCaseError::fail(format!("generated scenario does not compile:\n{e}\n{text}"))),
        };
        let r = sim::run(&m, seed).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for check in [messages_are_conserved, resources_are_conserved, knowledge_is_consistent, units_are_consistent] {
            check(&r).map_err(|e| TestCaseError::fail(format!("{e}\n--- scenario (seed {seed}):\n{text}")))?;
        }
        let again = sim::run(&m, seed).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(r.trace, again.trace, "same seed, different event trace");
        prop_assert!(outputs(&r) == outputs(&again), "same seed, different output files");
    }
}

/// One queue: a stream of facts over a fixed-latency line to a desk with `handlers`.
fn single_queue(handlers: u32, rate: f64, processing: &DistPlan, latency_s: u32) -> String {
    format!(
        r#"
[scenario]
name = "queue"
start = "2024-03-06T10:00"
duration = "2d"

[channel.line]
kind = "other"
latency = "{latency_s}s"

[links]
channels = ["line"]

[organisation.a]
kind = "other"
unit.src = {{ level = "executive" }}
unit.desk = {{ level = "coordinating", handlers = {handlers}, processing = {{ default = {} }} }}

[inject.f]
at = "0m"
stream = {{ rate_per_hour = {rate}, window = "1d" }}
fact = {{ origin = "a.src", severity = 3 }}
"#,
        processing.render()
    )
}

/// Queueing of each message at the desk (waiting ones count until the end).
fn queueing(r: &RunRecord) -> Vec<i64> {
    r.messages.iter().filter_map(|m| m.delivered.map(|d| m.started.unwrap_or(r.end) - d)).collect()
}

proptest! {
    #![proptest_config(cases(48))]

    /// First come, first served with the same arrivals and the same work per message:
    /// one more handler never makes any message wait longer (so never raises the mean).
    #[test]
    fn more_handlers_never_raise_queueing(
        handlers in 1..4u32,
        rate in 1.0..40.0f64,
        processing in common::generate::dist(1800),
        latency in 0..300u32,
        seed in any::<u64>(),
    ) {
        let fewer = sim::run(&model(&single_queue(handlers, rate, &processing, latency)), seed).expect("run");
        let more = sim::run(&model(&single_queue(handlers + 1, rate, &processing, latency)), seed).expect("run");
        let (a, b) = (queueing(&fewer), queueing(&more));
        prop_assert_eq!(a.len(), b.len());
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            prop_assert!(y <= x, "message {} waited {} ms with {} handlers, {} ms with one more", i, x, handlers, y);
        }
        prop_assert!(b.iter().sum::<i64>() <= a.iter().sum::<i64>());
    }

    /// Conferences twice as often (same first meeting) never make a fact wait longer for one.
    #[test]
    fn halving_the_conference_interval_never_raises_meeting_waits(
        every in 2..12u32,
        rate in 0.5..10.0f64,
        seed in any::<u64>(),
    ) {
        let scenario = |minutes: u32| format!(
            r#"
[scenario]
name = "meetings"
start = "2024-03-06T10:00"
duration = "3d"

[organisation.a]
kind = "county_board"
unit.x = {{ level = "coordinating" }}
unit.y = {{ level = "coordinating" }}

[conference.c]
convener = "a.x"
participants = ["a.x", "a.y"]
duration = "5m"
ordinary = {{ every = "{minutes}m", first = "10:00" }}

[inject.news]
at = "0m"
stream = {{ rate_per_hour = {rate}, window = "2d" }}
fact = {{ origin = "a.x", severity = 2 }}
"#
        );
        let slow = sim::run(&model(&scenario(every * 20)), seed).expect("run");
        let fast = sim::run(&model(&scenario(every * 10)), seed).expect("run");
        prop_assert_eq!(slow.facts.len(), fast.facts.len());
        let wait = |r: &RunRecord, f: usize| known(r, &r.facts[f].id, "a.y").map(|k| k.1[3]);
        for f in 0..slow.facts.len() {
            if let (Some(s), Some(q)) = (wait(&slow, f), wait(&fast, f)) {
                prop_assert!(q <= s, "fact {}: waited {} min with meetings every {} min, {} with every {}", f, s, every * 20, q, every * 10);
            } else {
                prop_assert!(wait(&slow, f).is_none(), "fact {} reached a.y only with the slower cadence", f);
            }
        }
    }
}
