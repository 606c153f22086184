//! Knowledge fingerprints: a hash of every learning of every stock scenario (base and
//! variants, at the scenario's own seed) with its delay decomposition — who learned which
//! fact, how, when, and the five parts of the delay (facts.csv). The event-trace
//! fingerprints (tests/integration/fingerprints.rs) do not see the decomposition; this test does, so
//! that a change in how trails are kept (shared, looked up later, relayed) cannot change
//! what facts.csv says without failing here. Stored in `tests/knowledge_fingerprints.txt`;
//! after an intended change of the model, rewrite it with
//!
//! ```text
//! UPDATE_KNOWLEDGE_FINGERPRINTS=1 cargo test --release --test integration knowledge_fingerprints
//! ```
//!
//! and say why in CHANGELOG.md (as for the trace fingerprints).

use crate::common;

use rustc_hash::FxHasher;
use samverkan::sim::{self, RunRecord};
use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::Path;

const STORE: &str = "tests/knowledge_fingerprints.txt";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Hash of every learning in record order: fact id, unit, how, time and delay parts.
fn knowledge_hash(r: &RunRecord) -> String {
    let mut h = FxHasher::default();
    let parts = r.trail_parts();
    for k in &r.knowledge {
        h.write(r.facts[k.fact as usize].id.as_bytes());
        h.write_u32(k.unit);
        h.write_u8(k.via as u8);
        h.write_i64(r.trail_time(k.trail));
        parts[k.trail as usize].iter().for_each(|p| h.write_i64(*p));
    }
    format!("{:016x} {}", h.finish(), r.knowledge.len())
}

fn current() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, variant, m) in common::stock_variants() {
        let r = sim::run(&m, m.seed).expect("run");
        out.insert(format!("{name} {variant}"), knowledge_hash(&r));
    }
    out
}

#[test]
fn stock_scenarios_keep_their_delay_decomposition() {
    let now = current();
    let text: String = now.iter().map(|(k, v)| format!("{k} {v}\n")).collect();
    if std::env::var_os("UPDATE_KNOWLEDGE_FINGERPRINTS").is_some() {
        std::fs::write(root().join(STORE), &text).expect("write store");
        return;
    }
    let stored = std::fs::read_to_string(root().join(STORE)).expect("tests/knowledge_fingerprints.txt");
    let differ: Vec<String> = text
        .lines()
        .zip(stored.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("  stored {b}\n  now    {a}"))
        .collect();
    assert!(
        differ.is_empty() && text.lines().count() == stored.lines().count(),
        "knowledge (facts.csv) changed for {} scenario/variant(s):\n{}",
        differ.len(),
        differ.join("\n")
    );
}
