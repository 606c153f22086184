//! A run recorded for a batch ([`Recording::Summary`]: delays per level instead of a
//! record per learning) summarises to the same bytes as the run recorded in full: every
//! stock scenario and variant on a few seeds, with `unit_knows` and delay objectives
//! added, and a whole batch without run files against the same batch with them.

use samverkan::batch::plan::{Plan, PlanSpec};
use samverkan::batch::runner::{self, Options};
use samverkan::model::{Model, Objective};
use samverkan::scenario::{self, Source};
use samverkan::sim::{self, Recording, RunRecord};
use samverkan::vocabulary::{Level, Measure};
use samverkan::{geo, metrics};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The stock scenarios and the test scenarios that load, with their variants.
fn scenarios() -> Vec<(PathBuf, Vec<Option<String>>)> {
    let mut out = vec![];
    for folder in ["scenarios", "tests/scenarios"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for f in files {
            let Ok(variants) = scenario::validate(&Source::read(&f).unwrap()) else { continue };
            out.push((f, std::iter::once(None).chain(variants.into_iter().map(Some)).collect()));
        }
    }
    assert!(out.len() >= 6, "the stock scenarios at least");
    out
}

/// `model` with objectives that read learnings one by one and the delay percentiles:
/// `unit_knows` of the first facts of a run at a unit of each level, and median and
/// 90th percentile delays at each level.
fn with_objectives(model: &Model, r: &RunRecord) -> Arc<Model> {
    let mut m = model.clone();
    let objective = |measure, id: String| Objective {
        name: id.clone().into(),
        id,
        description: String::new().into(),
        measure,
        fact: None,
        level: None,
        unit: None,
        conference: None,
        within: Some(60 * samverkan::time::MINUTE),
        max: None,
    };
    for (i, f) in r.facts.iter().take(3).enumerate() {
        for level in Level::ALL {
            let Some(u) = model.units.iter().position(|u| u.level == level) else { continue };
            let mut o = objective(Measure::UnitKnows, format!("knows-{i}-{}", level.name()));
            (o.fact, o.unit) = (Some(f.id.clone()), Some(u as _));
            m.objectives.push(o);
        }
    }
    for level in Level::ALL {
        for measure in [Measure::MedianDelay, Measure::P90Delay] {
            let mut o = objective(measure, format!("{measure:?}-{}", level.name()));
            o.level = Some(level);
            m.objectives.push(o);
        }
    }
    Arc::new(m)
}

fn run(model: &Arc<Model>, seed: u64, recording: Recording) -> Result<RunRecord, String> {
    sim::run_recording(model, seed, recording).map_err(|e| e.to_string())
}

#[test]
fn summaries_are_the_same_bytes_from_either_recording() {
    let (mut compared, mut smaller, mut stopped) = (0, 0, 0);
    for (file, variants) in scenarios() {
        for variant in variants {
            let plain = scenario::load(&file, variant.as_deref()).unwrap();
            let plain = Arc::new(plain);
            let Ok(probe) = run(&plain, 1, Recording::Full) else {
                // A test scenario's variant that trips a guard: it trips it either way.
                let (a, b) = (run(&plain, 1, Recording::Full), run(&plain, 1, Recording::Summary));
                assert_eq!(a.err(), b.err(), "{} {variant:?}", file.display());
                stopped += 1;
                continue;
            };
            let model = with_objectives(&plain, &probe);
            let mut scratch = metrics::Scratch::default();
            for seed in [1, 2017, 99] {
                let what = format!("{} {variant:?} seed {seed}", file.display());
                let full = run(&model, seed, Recording::Full).unwrap_or_else(|e| panic!("{what}: {e}"));
                let part = run(&model, seed, Recording::Summary).unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!((full.events, full.trace), (part.events, part.trace), "{what}: the same run");
                let a = serde_json::to_string_pretty(&metrics::summarise(&full)).unwrap();
                let b = serde_json::to_string_pretty(&metrics::summarise_with(&part, &mut scratch)).unwrap();
                assert!(a == b, "{what}: summaries differ\n{a}\n{b}");
                assert!(a.contains("\"knows-0-executive\""), "{what}: the added objectives are there");
                assert_eq!(geo::knowing::of_run(&full), geo::knowing::of_run(&part), "{what}: municipality times");
                assert_eq!(metrics::all_level_delays(&full), metrics::all_level_delays(&part), "{what}");
                assert!(part.knowledge.len() <= full.knowledge.len(), "{what}");
                assert_eq!((part.learnings, full.learnings), (full.knowledge.len() as u64, full.learnings), "{what}");
                smaller += usize::from(part.knowledge.len() < full.knowledge.len() / 2);
                compared += 1;
            }
        }
    }
    assert!(compared >= 3 * 30, "{compared} runs compared");
    assert!(stopped <= 2, "{stopped} scenario variants stopped by a guard");
    assert!(smaller * 2 > compared, "a summary recording keeps far fewer records ({smaller} of {compared})");
}

fn files_in(d: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

/// manifest.json without the lines that hold clock times.
fn without_times(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.lines().filter(|l| !l.contains("\"started\"") && !l.contains("\"finished\":")).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_batch_without_run_files_writes_the_same_files_as_with_them() {
    let spec = PlanSpec { runs: 3, ..PlanSpec::new("scenarios/stockholm-attack.toml") };
    let plan = Plan::build(&spec).unwrap();
    let dirs: Vec<PathBuf> = ["recording-summary", "recording-full"]
        .iter()
        .map(|n| {
            let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(n);
            let _ = std::fs::remove_dir_all(&d);
            d
        })
        .collect();
    for (d, keep_runs) in dirs.iter().zip([false, true]) {
        let o = runner::run(&plan, d, &Options { jobs: 2, keep_runs, ..Options::default() }).unwrap();
        assert_eq!((o.ok, o.failed), (18, 0));
    }
    assert!(dirs[1].join("runs").is_dir() && !dirs[0].join("runs").exists());
    let (a, b) = (files_in(&dirs[0]), files_in(&dirs[1]));
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert!(a.len() >= 6, "{:?}", a.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        if name == "manifest.json" {
            assert_eq!(without_times(x), without_times(y), "{name}");
        } else {
            assert!(x == y, "{name} differs between a batch with run files and one without");
        }
    }
}
