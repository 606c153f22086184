//! Helpers shared by the integration tests.
#![allow(dead_code)]

use samverkan::model::Model;
use samverkan::scenario::{self, Source};
use samverkan::sim::{self, RunRecord};
use std::sync::Arc;

/// Preamble for small hand-calculable scenarios: a Wednesday at 10:00 (office hours),
/// two days long, one fixed-line channel with a 1-minute latency.
pub const PREAMBLE: &str = r#"
[scenario]
name = "hand"
start = "2024-03-06T10:00"
duration = "2d"
seed = 1

[channel.fixed]
kind = "phone_fixed"
latency = "1m"

[links]
channels = ["fixed"]
"#;

pub fn model(toml: &str) -> Arc<Model> {
    model_with(toml, None)
}

pub fn model_with(toml: &str, variant: Option<&str>) -> Arc<Model> {
    match scenario::build(&Source::from_str("test.toml", toml), variant, &[]) {
        Ok(m) => Arc::new(m),
        Err(e) => panic!("scenario does not compile:\n{e}"),
    }
}

pub fn run(toml: &str) -> RunRecord {
    sim::run(&model(toml), 1).expect("run")
}

pub fn run_variant(toml: &str, variant: &str) -> RunRecord {
    sim::run(&model_with(toml, Some(variant)), 1).expect("run")
}

/// Minutes after the start at which `unit` knew `fact`, with the delay decomposition
/// in minutes: [transit, queue, processing, meeting_wait, activation_wait].
pub fn known(r: &RunRecord, fact: &str, unit: &str) -> Option<(f64, [f64; 5])> {
    let f = r.facts.iter().position(|f| f.id == fact)? as u32;
    let u = r.model.unit_index(unit)?;
    let k = r.knowledge.iter().find(|k| k.fact == f && k.unit == u)?;
    let parts = r.trail_parts()[k.trail as usize];
    Some((r.trail_time(k.trail) as f64 / 60_000.0, parts.map(|p| p as f64 / 60_000.0)))
}

pub fn known_at(r: &RunRecord, fact: &str, unit: &str) -> Option<f64> {
    known(r, fact, unit).map(|k| k.0)
}

pub fn unit_outcome<'a>(r: &'a RunRecord, unit: &str) -> &'a samverkan::sim::record::UnitOutcome {
    &r.units[r.model.unit_index(unit).expect("unit") as usize]
}

pub fn minutes(t: i64) -> f64 {
    t as f64 / 60_000.0
}

pub mod generate;
pub mod stats;

/// Runs `reps` independent replications of a model (seeds as a batch with master seed
/// `master` gives them) and maps each record to a value.
pub fn replicate<T>(model: &Arc<Model>, master: u64, reps: u64, f: impl Fn(&RunRecord) -> T) -> Vec<T> {
    (0..reps)
        .map(|i| {
            let seed = sim::rng::replication_seed(master, i);
            f(&sim::run(model, seed).unwrap_or_else(|e| panic!("replication {i} (seed {seed}): {e}")))
        })
        .collect()
}

/// A scratch folder for one test, removed when dropped.
pub struct Scratch(pub std::path::PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("samverkan-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every stock scenario (`scenarios/*.toml`, by file name) in its base form and each of
/// its variants: (file name, variant or "-", compiled model).
pub fn stock_variants() -> Vec<(String, String, Arc<Model>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let base = scenario::load(&path, None).unwrap_or_else(|e| panic!("stock scenario {name} does not load:\n{e}"));
        for variant in std::iter::once(None).chain(base.variants.iter().map(Some)) {
            let m = scenario::load(&path, variant.map(|v| v.as_str())).expect("variant loads");
            out.push((name.clone(), variant.cloned().unwrap_or_else(|| "-".into()), Arc::new(m)));
        }
    }
    out
}
