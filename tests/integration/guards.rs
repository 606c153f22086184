//! Guards (per-run limits on events, messages, facts and units coming to know facts; the
//! 400-day limit on simulated time):
//! the stock scenarios stay far below the defaults, and a guard that trips names the
//! runaway inject, unit and link.

use crate::common;
use common::*;
use samverkan::scenario::spec::GuardSpec;
use samverkan::sim::{self, SimError, rng::replication_seed};
use std::path::Path;

/// Stock scenarios must stay below a tenth of each default guard.
const MARGIN: u64 = 10;

#[test]
fn stock_scenarios_stay_far_below_the_default_guards() {
    let defaults = GuardSpec::default();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("scenarios").map(|e| e.expect("entry").path()).collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "toml"));
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let base = samverkan::scenario::load(&path, None).expect("stock scenario loads");
        let variants: Vec<Option<String>> =
            std::iter::once(None).chain(base.variants.iter().cloned().map(Some)).collect();
        for variant in variants {
            let m = std::sync::Arc::new(samverkan::scenario::load(&path, variant.as_deref()).expect("variant loads"));
            assert_eq!(
                (m.guard.max_events, m.guard.max_messages, m.guard.max_facts, m.guard.max_known),
                (defaults.max_events, defaults.max_messages, defaults.max_facts, defaults.max_known),
                "{} sets its own guards; stock scenarios use the defaults",
                path.display()
            );
            let (mut events, mut messages, mut facts, mut known) = (0, 0, 0, 0);
            for i in 0..5 {
                let r = sim::run(&m, replication_seed(m.seed, i)).expect("stock scenario runs");
                events = events.max(r.events);
                messages = messages.max(r.messages.len() as u64);
                facts = facts.max(r.facts.len() as u64);
                known = known.max(r.knowledge.len() as u64);
            }
            let name = format!("{} {}", path.file_name().expect("name").to_string_lossy(), variant.unwrap_or_default());
            println!("{name}: at most {events} events, {messages} messages, {facts} facts, {known} known in 5 runs");
            assert!(events * MARGIN < defaults.max_events, "{name}: {events} events");
            assert!(messages * MARGIN < defaults.max_messages, "{name}: {messages} messages");
            assert!(facts * MARGIN < defaults.max_facts, "{name}: {facts} facts");
            assert!(known * MARGIN < defaults.max_known, "{name}: {known} units coming to know facts");
        }
    }
}

const LOUD: &str = r#"
[organisation.a]
kind = "other"
unit.quiet = { level = "executive" }
unit.loud = { level = "coordinating" }
unit.r1 = { level = "coordinating" }
unit.r2 = { level = "coordinating" }
unit.r3 = { level = "coordinating" }

[link_rule.shout]
from = "a.loud"
to = ["a.r1", "a.r2", "a.r3"]
flows = ["information"]

[inject.once]
at = "0m"
fact = { origin = "a.quiet", severity = 3 }

[inject.rumours]
at = "1m"
stream = { every = "1m", window = "1d" }
fact = { origin = "a.loud", severity = 3 }
"#;

fn guard_error(guard: &str) -> String {
    let m = model(&format!("{PREAMBLE}{LOUD}\n[guard]\n{guard}\n"));
    match sim::run(&m, 1) {
        Err(e @ SimError::Guard { .. }) => e.to_string(),
        Err(e) => panic!("stopped, but not by a guard: {e}"),
        Ok(_) => panic!("the guard did not trip"),
    }
}

#[test]
fn a_message_guard_names_the_inject_unit_and_link_that_ran_away() {
    let msg = guard_error("max_messages = 300");
    assert!(msg.contains("more than 300 messages (guard.max_messages)"), "{msg}");
    assert!(msg.contains("inject `rumours` made the most facts"), "{msg}");
    assert!(msg.contains("unit `a.loud` sent the most messages"), "{msg}");
    assert!(msg.contains("busiest link a.loud → a.r1 (information"), "{msg}");
}

#[test]
fn event_and_fact_guards_trip_too() {
    let events = guard_error("max_events = 500");
    assert!(events.contains("more than 500 events (guard.max_events)") && events.contains("`rumours`"), "{events}");
    // Each stream alone stays below the fact guard (checked when loading); together they
    // pass it after about 1000 minutes, when the run stops.
    let gossip = "[inject.gossip]\nat = \"1m\"\nstream = { every = \"1m\", window = \"1d\" }\nfact = { origin = \"a.quiet\", severity = 3 }\n\n[guard]";
    let m = model(&format!("{PREAMBLE}{LOUD}\n{gossip}\nmax_facts = 2000\n"));
    let msg = sim::run(&m, 1).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("more than 2000 facts (guard.max_facts)"), "{msg}");
    // Guards are checked every few steps: it stops soon after the limit, not at the end.
    let at: f64 =
        msg.split("guard at ").nth(1).and_then(|r| r.split(' ').next()).and_then(|m| m.parse().ok()).expect("time");
    assert!((1000.0..1100.0).contains(&at), "{msg}");
}

#[test]
fn the_knowledge_guard_stops_learning_at_its_limit() {
    let m = model(&format!("{PREAMBLE}{LOUD}\n[guard]\nmax_known = 500\n"));
    let msg = sim::run(&m, 1).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("more than 500 units coming to know facts (guard.max_known)"), "{msg}");
    assert!(msg.contains("inject `rumours` made the most facts"), "{msg}");
}

#[test]
fn simulated_time_is_limited_to_400_days() {
    let long = PREAMBLE.replace("duration = \"2d\"", "duration = \"401d\"");
    let err = samverkan::scenario::build(
        &samverkan::scenario::Source::from_str("long.toml", &format!("{long}{LOUD}")),
        None,
        &[],
    )
    .expect_err("refused");
    assert!(err.to_string().contains("`scenario.duration`: longer than the 400-day limit"), "{err}");
    assert_eq!(samverkan::scenario::MAX_SCENARIO_DURATION, 400 * 24 * 3_600_000);
}
