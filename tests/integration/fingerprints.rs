//! Fingerprints: a hash of the event trace (`RunRecord::trace`) of every stock scenario
//! and each of its variants at the scenario's own seed, stored in
//! `tests/fingerprints.txt`. Any change of model behaviour changes a fingerprint, so it
//! cannot happen by accident: update them on purpose with
//!
//! ```text
//! UPDATE_FINGERPRINTS=<tag> cargo test --release --test integration fingerprints
//! ```
//!
//! and add a line naming `[<tag>]` to CHANGELOG.md saying what changed and why. Every tag
//! in the file must appear in CHANGELOG.md. New stock scenarios (any `scenarios/*.toml`)
//! are picked up automatically and fail until their fingerprints are stored.

use crate::common;

use samverkan::scenario;
use samverkan::sim;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

const STORE: &str = "tests/fingerprints.txt";
const HEADER: &str = "\
# Event-trace fingerprints of the stock scenarios at their own seed (tests/integration/fingerprints.rs).
# A change of model behaviour changes them. Update them on purpose:
#   UPDATE_FINGERPRINTS=<tag> cargo test --release --test integration fingerprints
# and add a line with [<tag>] to CHANGELOG.md. Columns:
# scenario  variant (- for none)  seed  trace  events  tag
";

#[derive(Clone, Debug, PartialEq)]
struct Print {
    seed: u64,
    trace: String,
    events: u64,
    tag: String,
}

type Key = (String, String);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Fingerprints of every stock scenario and variant as the engine computes them now.
fn current() -> BTreeMap<Key, Print> {
    let mut out = BTreeMap::new();
    for (name, variant, m) in common::stock_variants() {
        let r = sim::run(&m, m.seed).unwrap_or_else(|e| panic!("{name}: {e}"));
        let print = Print { seed: m.seed, trace: format!("{:016x}", r.trace), events: r.events, tag: String::new() };
        out.insert((name, variant), print);
    }
    out
}

fn stored() -> BTreeMap<Key, Print> {
    let text = std::fs::read_to_string(root().join(STORE)).unwrap_or_default();
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#')) {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(f.len(), 6, "{STORE}:{}: expected 6 columns: {line}", i + 1);
        let bad = |what: &str| panic!("{STORE}:{}: {what} in `{line}`", i + 1);
        let print = Print {
            seed: f[2].parse().unwrap_or_else(|_| bad("bad seed")),
            trace: f[3].to_string(),
            events: f[4].parse().unwrap_or_else(|_| bad("bad event count")),
            tag: f[5].to_string(),
        };
        out.insert((f[0].to_string(), f[1].to_string()), print);
    }
    out
}

fn write(prints: &BTreeMap<Key, Print>) {
    let mut text = HEADER.to_string();
    for ((file, variant), p) in prints {
        text += &format!("{file:<28} {variant:<28} {:>10} {} {:>8} {}\n", p.seed, p.trace, p.events, p.tag);
    }
    std::fs::write(root().join(STORE), text).expect("write fingerprints");
}

fn changelog_mentions(tag: &str) -> bool {
    std::fs::read_to_string(root().join("CHANGELOG.md")).unwrap_or_default().contains(&format!("[{tag}]"))
}

#[test]
fn stock_scenarios_keep_their_fingerprints() {
    let now = current();
    let old = stored();
    if let Ok(tag) = std::env::var("UPDATE_FINGERPRINTS") {
        assert!(
            !tag.is_empty() && !tag.contains(char::is_whitespace),
            "UPDATE_FINGERPRINTS needs a tag without spaces"
        );
        let updated: BTreeMap<Key, Print> = now
            .into_iter()
            .map(|(k, mut p)| {
                p.tag = match old.get(&k) {
                    Some(o) if (o.seed, &o.trace, o.events) == (p.seed, &p.trace, p.events) => o.tag.clone(),
                    _ => tag.clone(),
                };
                (k, p)
            })
            .collect();
        write(&updated);
        assert!(
            changelog_mentions(&tag),
            "fingerprints written to {STORE}; now add a line with [{tag}] to CHANGELOG.md"
        );
        return;
    }
    let mut problems = Vec::new();
    for ((file, variant), p) in &now {
        let what = if variant == "-" {
            format!("scenarios/{file}")
        } else {
            format!("scenarios/{file} with variant `{variant}`")
        };
        match old.get(&(file.clone(), variant.clone())) {
            None => problems.push(format!(
                "{what} has no stored fingerprint (trace {} at seed {}, {} events): a new stock scenario or variant? \
                 Store it with UPDATE_FINGERPRINTS=<tag> and a CHANGELOG.md line naming [<tag>]",
                p.trace, p.seed, p.events
            )),
            Some(o) if (o.seed, &o.trace, o.events) != (p.seed, &p.trace, p.events) => problems.push(format!(
                "{what}: the model behaves differently: stored trace {} ({} events, seed {}), now {} ({} events, seed {}). \
                 If that is intended, update with UPDATE_FINGERPRINTS=<tag> and say what changed in CHANGELOG.md under [<tag>]",
                o.trace, o.events, o.seed, p.trace, p.events, p.seed
            )),
            Some(_) => {}
        }
    }
    for (file, variant) in old.keys().filter(|k| !now.contains_key(*k)) {
        problems
            .push(format!("{STORE} has a fingerprint for {file} {variant}, which no longer exists; update the file"));
    }
    for (k, p) in &old {
        if !changelog_mentions(&p.tag) {
            problems.push(format!("the tag [{}] of {} {} is not in CHANGELOG.md", p.tag, k.0, k.1));
        }
    }
    assert!(problems.is_empty(), "{} fingerprint problems:\n\n{}", problems.len(), problems.join("\n\n"));
}

/// The fingerprint is a function of the event trace: same seed, same print; another seed
/// (different draws) a different one.
#[test]
fn the_fingerprint_follows_the_trace() {
    let path = root().join("scenarios/stockholm-attack.toml");
    let m = Arc::new(scenario::load(&path, None).expect("stock"));
    let a = sim::run(&m, 1).expect("run");
    assert_eq!(a.trace, sim::run(&m, 1).expect("run").trace);
    assert_ne!(a.trace, sim::run(&m, 2).expect("run").trace);
}
