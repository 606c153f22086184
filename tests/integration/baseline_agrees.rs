//! The hand-written baseline of benches/baseline models the engine's core workload
//! exactly: on generated core-only scenarios it must see the same events, send the same
//! messages and learn the same facts at the same instants as the engine; its variant
//! keeping the delay decomposition must find the same parts for every learning.

#[path = "../../benches/baseline/mod.rs"]
mod baseline;

use samverkan::generate::{Options, generate};
use samverkan::scenario::{self, Source};
use samverkan::sim::{self, RunRecord, rng::replication_seed};
use std::sync::Arc;

fn core_model(organisations: usize) -> Arc<samverkan::model::Model> {
    let g = generate(&Options { core: true, ..Options::new(organisations) }).expect("generate");
    Arc::new(scenario::build(&Source::from_str("core.toml", &g.text), None, &[]).expect("valid core scenario"))
}

fn engine_outcome(r: &RunRecord) -> baseline::Outcome {
    let mut known: Vec<(u32, u32, i64)> = r.knowledge.iter().map(|k| (k.unit, k.fact, r.trail_time(k.trail))).collect();
    known.sort_unstable();
    baseline::Outcome {
        events: r.events,
        messages: r.messages.len() as u64,
        sessions: r.conferences.len() as u64,
        known,
        decomposition: Default::default(),
    }
}

/// Per learning, sorted: (unit, fact, time, delay parts).
type Decomposed = Vec<(u32, u32, i64, [i64; 5])>;

fn engine_parts(r: &RunRecord) -> Decomposed {
    let parts = r.trail_parts();
    let mut out: Decomposed =
        r.knowledge.iter().map(|k| (k.unit, k.fact, r.trail_time(k.trail), parts[k.trail as usize])).collect();
    out.sort_unstable();
    out
}

fn baseline_parts(o: &baseline::Outcome) -> Decomposed {
    let d = &o.decomposition;
    let parts = d.parts();
    let mut out: Decomposed = o
        .known
        .iter()
        .zip(&d.known_trail)
        .map(|(&(unit, fact, time), &t)| {
            assert_eq!(d.time(t), time, "a trail point's time is its learning's");
            (unit, fact, time, parts[t as usize])
        })
        .collect();
    out.sort_unstable();
    out
}

fn assert_agree(organisations: usize, seeds: u64) {
    let model = core_model(organisations);
    baseline::supports(&model).expect("core scenario within the baseline's features");
    for i in 0..seeds {
        let seed = replication_seed(model.seed, i);
        let mut b = baseline::run(&model, seed);
        b.known.sort_unstable();
        let run = sim::run(&model, seed).expect("engine run");
        let e = engine_outcome(&run);
        assert!(e.events > 1000 && e.messages > 100 && e.sessions > 10, "a real workload: {e:?}");
        assert_eq!(
            (b.events, b.messages, b.sessions, b.known.len()),
            (e.events, e.messages, e.sessions, e.known.len()),
            "{organisations} organisations, seed {seed}: (events, messages, sessions, knowledge)"
        );
        assert_eq!(b.known, e.known, "who learned what when");
        let mut d = baseline::run_decomposed(&model, seed);
        assert_eq!(d.decomposition.known_trail.len(), d.known.len());
        let parts = baseline_parts(&d);
        assert!(parts.iter().all(|p| p.3.iter().sum::<i64>() == p.2 - origin_of(&d, p)), "parts add up");
        let both = parts.iter().filter(|p| p.3[0] > 0 && p.3[3] > 0).count();
        assert!(both > 50 && parts.iter().any(|p| p.3[1] > 0), "transit, meeting waits and queues: {both}");
        assert_eq!(parts, engine_parts(&run), "delay parts of every learning");
        d.known.sort_unstable();
        assert_eq!((d.events, d.messages, d.sessions, d.known), (b.events, b.messages, b.sessions, b.known));
    }
}

/// The origin time of the fact of learning `p`.
fn origin_of(o: &baseline::Outcome, p: &(u32, u32, i64, [i64; 5])) -> i64 {
    o.decomposition.origin[p.1 as usize]
}

#[test]
fn agrees_with_the_engine_on_a_small_core_scenario() {
    assert_agree(16, 3);
}

#[test]
fn agrees_with_the_engine_on_a_county_sized_core_scenario() {
    assert_agree(140, 1);
}

#[test]
fn refuses_what_it_does_not_model() {
    let stock = scenario::load(std::path::Path::new("scenarios/stockholm-attack.toml"), None).expect("stock");
    assert!(baseline::supports(&stock).is_err());
    let full = generate(&Options::new(16)).unwrap();
    let full = scenario::build(&Source::from_str("full.toml", &full.text), None, &[]).unwrap();
    assert!(baseline::supports(&full).is_err());
}
