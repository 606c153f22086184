//! A `World` and its systems reused from run to run (`sim::Runner`, as each batch thread
//! keeps them) give the same runs, byte for byte, as new ones: every stock and test
//! scenario in every variant, on two seeds, run in another order on one runner (the
//! model, the variant, the seed and the recording change from one run to the next)
//! write the same run files and summaries as runs on new engines.

use super::recording::{files_in, scenarios};
use samverkan::model::Model;
use samverkan::output::{CsvDialect, run::write_run_in};
use samverkan::sim::{self, Recording, RunRecord, Runner};
use samverkan::{geo, metrics, scenario};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One run to make: what it is, its model and seed.
struct Job {
    what: String,
    model: Arc<Model>,
    seed: u64,
}

fn jobs() -> Vec<Job> {
    let mut out = vec![];
    for (file, variants) in scenarios() {
        for variant in variants {
            let model = Arc::new(scenario::load(&file, variant.as_deref()).unwrap());
            for seed in [1, 2017] {
                let what = format!("{} {variant:?} seed {seed}", file.display());
                out.push(Job { what, model: model.clone(), seed });
            }
        }
    }
    out
}

/// The run's files (Full) in `dir`, or its error.
fn files(r: Result<RunRecord, sim::SimError>, dir: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let r = r.map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    write_run_in(dir, &r, &metrics::summarise(&r), CsvDialect::Comma).unwrap();
    Ok(files_in(dir))
}

/// What a batch row and the map read of a summary recording, or the run's error.
fn summary(r: Result<RunRecord, sim::SimError>) -> Result<String, String> {
    let r = r.map_err(|e| e.to_string())?;
    let s = serde_json::to_string_pretty(&metrics::summarise(&r)).unwrap();
    let delays = metrics::all_level_delays(&r);
    Ok(format!("{s}\n{} {:x}\n{:?}\n{delays:?}", r.events, r.trace, geo::knowing::of_run(&r)))
}

#[test]
fn runs_on_a_reused_world_are_the_same_as_on_new_ones_in_any_order() {
    let jobs = jobs();
    assert!(jobs.len() >= 2 * 30, "{} runs", jobs.len());
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reuse");
    let fresh: Vec<_> = jobs
        .iter()
        .enumerate()
        .map(|(i, j)| {
            let full = files(sim::run(&j.model, j.seed), &root.join(format!("new-{i}")));
            (full, summary(sim::run_recording(&j.model, j.seed, Recording::Summary)))
        })
        .collect();
    // Backwards, the seeds of a model apart, each run once with each recording.
    let mut order: Vec<usize> = (0..jobs.len()).rev().collect();
    order.sort_by_key(|i| i % 2);
    let mut runner = Runner::default();
    let (mut compared, mut failed) = (0, 0);
    for (n, &i) in order.iter().enumerate() {
        let j = &jobs[i];
        let recordings =
            if n % 2 == 0 { [Recording::Full, Recording::Summary] } else { [Recording::Summary, Recording::Full] };
        for recording in recordings {
            let r = runner.run(&j.model, j.seed, recording);
            match recording {
                Recording::Full => {
                    let again = files(r, &root.join(format!("reused-{i}")));
                    assert!(again == fresh[i].0, "{}: the run files differ on a reused world", j.what);
                    failed += usize::from(again.is_err());
                }
                Recording::Summary => {
                    let again = summary(r);
                    assert!(again == fresh[i].1, "{}: the summaries differ on a reused world", j.what);
                }
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 2 * jobs.len());
    assert!(failed <= 4, "{failed} runs stopped by a guard");
    let files = fresh.iter().find_map(|f| f.0.as_ref().ok()).unwrap();
    assert!(files.len() >= 10, "{:?}", files.iter().map(|f| &f.0).collect::<Vec<_>>());
}
