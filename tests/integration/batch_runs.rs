//! Batches through the library: the same bytes whatever the thread count or shard
//! split, common random numbers, failed runs, objectives with a certain outcome, sweeps
//! and design files, and paths that match nothing.

use samverkan::batch::files::{self, TABLES};
use samverkan::batch::merge::merge;
use samverkan::batch::plan::{Plan, PlanSpec, Shard};
use samverkan::batch::runner::{self, Options};
use samverkan::batch::{BatchError, manifest::Manifest};
use samverkan::output::num;
use samverkan::sim::rng::replication_seed;
use samverkan::{metrics, scenario, sim};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const STOCK: &str = "scenarios/stockholm-attack.toml";
const SMALL: &str = "tests/scenarios/batch-small.toml";
const CERTAIN: &str = "tests/scenarios/batch-certain.toml";

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn opts(jobs: usize) -> Options {
    Options { jobs, ..Options::default() }
}

fn batch(spec: &PlanSpec, out: &Path, jobs: usize) -> runner::Outcome {
    let plan = Plan::build(spec).unwrap_or_else(|e| panic!("plan: {e}"));
    runner::run(&plan, out, &opts(jobs)).unwrap_or_else(|e| panic!("batch: {e}"))
}

fn read(d: &Path, f: &str) -> String {
    std::fs::read_to_string(d.join(f)).unwrap_or_else(|e| panic!("{}: {e}", d.join(f).display()))
}

/// The map's files a whole batch writes (docs/charts.md#map).
const MAP: [&str; 3] = ["municipality_runs.csv", "municipalities.csv", "location.json"];

fn assert_same_tables(a: &Path, b: &Path) {
    for f in TABLES {
        assert!(read(a, f) == read(b, f), "{f} differs between {} and {}", a.display(), b.display());
    }
    // The map's files exist only for scenarios with municipality codes: both or neither.
    for f in MAP {
        match (a.join(f).exists(), b.join(f).exists()) {
            (true, true) => {
                assert!(read(a, f) == read(b, f), "{f} differs between {} and {}", a.display(), b.display())
            }
            (false, false) => {}
            _ => panic!("{f} is in only one of {} and {}", a.display(), b.display()),
        }
    }
}

/// CSV rows as maps column → value.
fn rows(d: &Path, f: &str) -> Vec<indexmap::IndexMap<String, String>> {
    let mut r = csv::Reader::from_path(d.join(f)).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records().map(|rec| h.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect()).collect()
}

#[test]
fn same_files_whatever_the_jobs_or_the_shard_split() {
    let spec = PlanSpec { runs: 4, ..PlanSpec::new(STOCK) };
    let one = dir("det-jobs1");
    let two = dir("det-jobs2");
    let o = batch(&spec, &one, 1);
    assert_eq!((o.ok, o.failed), (24, 0), "6 variants × 4 replications");
    batch(&spec, &two, 2);
    assert_same_tables(&one, &two);
    for n in [2u64, 3] {
        let shards: Vec<PathBuf> = (1..=n)
            .map(|k| {
                let d = dir(&format!("det-shard-{k}-of-{n}"));
                batch(&PlanSpec { shard: Shard { k, n }, ..spec.clone() }, &d, 2);
                d
            })
            .collect();
        // a shard holds only its share of runs.csv and no statistics
        let part = read(&shards[0], files::RUNS).lines().count() - 1;
        assert_eq!(part as u64, 24 / n, "shard 1 holds the first block of 24 / n runs");
        assert!(!shards[0].join(files::STATS).exists());
        let merged = dir(&format!("det-merged-{n}"));
        let m = merge(&shards, &merged, false, &[]).unwrap();
        assert_eq!((m.ok, m.failed, m.shards), (24, 0, n as usize));
        assert_same_tables(&one, &merged);
        let manifest = Manifest::read(&merged).unwrap();
        assert_eq!((manifest.shard, manifest.status.as_str(), manifest.tasks), (None, "finished", 24));
        // a row of municipality times repeated in another shard is refused
        let first = read(&shards[0], MAP[0]).lines().nth(1).unwrap().to_string();
        let last = shards.last().unwrap().join(MAP[0]);
        let mut text = read(shards.last().unwrap(), MAP[0]);
        text.push_str(&format!("{first}\n"));
        std::fs::write(&last, text).unwrap();
        let err = merge(&shards, &dir("det-merged-dup"), false, &[]).unwrap_err().to_string();
        assert!(err.contains("municipality_runs.csv") && err.contains("not a finished run of this shard"), "{err}");
    }
    assert!(read(&one, MAP[0]).lines().count() > 24, "the scenario gives municipality times");
    assert!(read(&one, MAP[2]).contains("59.3326"), "and a place");
}

#[test]
fn merge_refuses_shards_that_do_not_fit() {
    let spec = PlanSpec { runs: 3, ..PlanSpec::new(SMALL) };
    let parts: Vec<PathBuf> = (1..=3)
        .map(|k| {
            let d = dir(&format!("refuse-shard-{k}"));
            batch(&PlanSpec { shard: Shard { k, n: 3 }, ..spec.clone() }, &d, 1);
            d
        })
        .collect();
    let out = dir("refuse-out");
    let err = merge(&parts[..2], &out, false, &[]).unwrap_err().to_string();
    assert!(err.contains("shard 3/3 missing"), "{err}");
    let err = merge(&[parts[0].clone(), parts[1].clone(), parts[1].clone()], &out, false, &[]).unwrap_err();
    assert!(err.to_string().contains("given twice"), "{err}");
    let other = dir("refuse-other");
    batch(&PlanSpec { runs: 4, shard: Shard { k: 3, n: 3 }, ..spec.clone() }, &other, 1);
    let err = merge(&[parts[0].clone(), parts[1].clone(), other], &out, false, &[]).unwrap_err();
    assert!(matches!(err, BatchError::Mismatch(_)) && err.to_string().contains("different batches"), "{err}");
    // a run recorded twice (a row of shard 1 copied into shard 2) is refused
    let copy = dir("refuse-copy");
    std::fs::create_dir_all(&copy).unwrap();
    for f in ["manifest.json", "runs.csv"] {
        std::fs::copy(parts[1].join(f), copy.join(f)).unwrap();
    }
    let stolen = read(&parts[0], files::RUNS).lines().nth(1).unwrap().to_string();
    let mut text = read(&copy, files::RUNS);
    text.push_str(&stolen);
    text.push('\n');
    std::fs::write(copy.join(files::RUNS), text).unwrap();
    let err = merge(&[parts[0].clone(), copy, parts[2].clone()], &out, false, &[]).unwrap_err();
    assert!(err.to_string().contains("runs where its shard has"), "{err}");
    assert!(!out.join(files::RUNS).exists(), "nothing merged");
    merge(&parts, &out, false, &[]).unwrap();
    assert!(merge(&parts, &out, false, &[]).is_err(), "an existing result is not clobbered");
    merge(&parts, &out, true, &[]).unwrap();
}

#[test]
fn every_variant_runs_on_the_same_seeds_and_a_row_can_be_rerun() {
    let out = dir("crn");
    batch(&PlanSpec { runs: 12, ..PlanSpec::new(SMALL) }, &out, 2);
    let runs = rows(&out, files::RUNS);
    assert_eq!(runs.len(), 36);
    for r in &runs {
        let rep: u64 = r["replication"].parse().unwrap();
        assert_eq!(r["seed"], replication_seed(7, rep).to_string());
    }
    // fast-strat changes only the strategic unit: with common random numbers the
    // coordinating level sees exactly the same draws, replication by replication.
    let compare = rows(&out, files::COMPARE);
    let c = compare.iter().find(|r| r["variant"] == "fast-strat" && r["measure"] == "delay_coordinating_median_min");
    let c = c.unwrap();
    assert_eq!((c["pairs"].as_str(), c["difference"].as_str(), c["difference_sd"].as_str()), ("12", "0", "0"));
    let s = compare.iter().find(|r| r["variant"] == "fast-strat" && r["measure"] == "first_fact_all_strategic_min");
    let hi: f64 = s.unwrap()["ci95_high"].parse().unwrap();
    assert!(hi < 0.0, "a 5-minute strategic unit is faster than a 5–30-minute one");
    // `samverkan run --seed S --variant V` gives the row again
    let row = runs.iter().find(|r| r["variant"] == "fast-strat" && r["replication"] == "5").unwrap();
    let model = Arc::new(scenario::load(Path::new(SMALL), Some("fast-strat")).unwrap());
    let summary = metrics::summarise(&sim::run(&model, row["seed"].parse().unwrap()).unwrap());
    for (h, value) in summary.measures.iter() {
        assert_eq!(row[h.name()], value.map(num).unwrap_or_default(), "{h}");
    }
}

#[test]
fn a_failed_run_is_recorded_and_the_batch_goes_on() {
    let out = dir("failed");
    let o = batch(&PlanSpec { runs: 5, ..PlanSpec::new(SMALL) }, &out, 2);
    assert_eq!((o.ok, o.failed), (10, 5));
    let first = o.first_failure.unwrap();
    assert!(first.contains("variant fragile, replication 0") && first.contains("guard.max_events"), "{first}");
    for r in rows(&out, files::RUNS) {
        let failed = r["variant"] == "fragile";
        assert_eq!(r["status"], if failed { "failed" } else { "ok" });
        assert_eq!(r["error"].contains("run stopped by a guard"), failed);
        assert_eq!(r["delay_coordinating_median_min"].is_empty(), failed);
    }
    let stats = rows(&out, files::STATS);
    let f = stats.iter().find(|r| r["variant"] == "fragile" && r["measure"] == "requests").unwrap();
    assert_eq!((f["runs"].as_str(), f["failed"].as_str(), f["n"].as_str(), f["mean"].as_str()), ("0", "5", "0", ""));
    let m = Manifest::read(&out).unwrap();
    assert_eq!((m.runs_ok, m.runs_failed), (10, 5));
}

#[test]
fn objective_shares_of_a_certain_outcome() {
    let out = dir("certain");
    batch(&PlanSpec { runs: 20, ..PlanSpec::new(CERTAIN) }, &out, 2);
    // Wilson with 20 of 20: [20/(20 + z²), 1]; with 0 of 20: [0, z²/(20 + z²)]
    let z2 = samverkan::batch::stats::Z975.powi(2);
    let (all, none) = (num(20.0 / (20.0 + z2)), num(z2 / (20.0 + z2)));
    let text = read(&out, files::OBJECTIVES);
    for variant in ["base", "slow-coord"] {
        assert!(text.contains(&format!("0,{variant},always,20,20,1,{all},1\n")), "{text}");
        assert!(text.contains(&format!("0,{variant},never,20,0,0,0,{none}\n")), "{text}");
    }
    // coordinating 1 + 5 = 6 min, strategic 6 + 1 + 10 = 17; slow-coord 3 min later
    let stats = read(&out, files::STATS);
    assert!(stats.contains("0,base,first_fact_all_strategic_min,20,0,20,17,0,17,17,17,17,17,17,17,17,17,17\n"));
    let compare = read(&out, files::COMPARE);
    assert!(compare.contains("0,slow-coord,first_fact_all_strategic_min,20,17,20,3,0,3,3\n"), "{compare}");
}

#[test]
fn sweeps_form_a_full_grid_and_a_design_file_gives_the_same_points() {
    let coord = "organisation.a.unit.coord.processing.default";
    let strat = "organisation.a.unit.strat.processing.default";
    let spec = PlanSpec {
        runs: 2,
        variants: Some(vec!["slow-coord".into()]),
        sweeps: vec![format!("{coord}=5m,8m"), format!("{strat}=10m, 20m")],
        ..PlanSpec::new(CERTAIN)
    };
    let out = dir("sweep");
    let o = batch(&spec, &out, 2);
    assert_eq!(o.ok, 16, "4 points × 2 variants × 2 replications");
    // strategic level at 1 + coord + 1 + strat minutes, first sweep varying slowest;
    // the sweep is applied after the variant, so slow-coord's 8m is overridden
    let want = [("5m", "10m", "17"), ("5m", "20m", "27"), ("8m", "10m", "20"), ("8m", "20m", "30")];
    let stats = rows(&out, files::STATS);
    for variant in ["base", "slow-coord"] {
        let got: Vec<(&str, &str, &str)> = stats
            .iter()
            .filter(|r| r["variant"] == variant && r["measure"] == "first_fact_all_strategic_min")
            .map(|r| (r[coord].as_str(), r[strat].as_str(), r["mean"].as_str()))
            .collect();
        assert_eq!(got, want);
    }
    let design = dir("design").with_extension("csv");
    std::fs::write(&design, format!("{coord},{strat}\n5m,10m\n5m,20m\n8m,10m\n8m,20m\n")).unwrap();
    let from_file = dir("design-batch");
    batch(&PlanSpec { sweeps: vec![], design: Some(design), ..spec.clone() }, &from_file, 1);
    assert_same_tables(&out, &from_file);
}

#[test]
fn a_path_that_matches_nothing_is_refused_before_anything_runs() {
    let refuse = |spec: PlanSpec, says: &str| {
        let err = match Plan::build(&spec) {
            Ok(_) => panic!("accepted {:?} {:?}", spec.sweeps, spec.design),
            Err(e) => e.to_string(),
        };
        assert!(err.contains(says), "`{says}` not in:\n{err}");
    };
    let sweep = |s: &str| PlanSpec { sweeps: vec![s.into()], ..PlanSpec::new(STOCK) };
    refuse(sweep("conference.regionl.activated.every=1h,2h"), "no `regionl` under `conference`");
    refuse(sweep("conference.regional.interval=1h,2h"), "unknown field `interval`");
    refuse(sweep("conference.regional.activated.every=1h,soon"), "`soon` is not a duration");
    refuse(sweep("conference.regional.activated.every"), "write PATH=V1,V2");
    let design = dir("bad-design").with_extension("csv");
    std::fs::write(&design, "organisation.nobody.unit.x.handlers\n2\n").unwrap();
    refuse(PlanSpec { design: Some(design.clone()), ..PlanSpec::new(STOCK) }, "no `nobody` under `organisation`");
    std::fs::write(&design, "conference.regional.duration,conference.stab.duration\n30m\n").unwrap();
    refuse(PlanSpec { design: Some(design), ..PlanSpec::new(STOCK) }, "bad-design.csv:2:");
    refuse(PlanSpec { variants: Some(vec!["no-such".into()]), ..PlanSpec::new(STOCK) }, "no variant `no-such`");
}

#[test]
fn keep_runs_writes_every_runs_files() {
    let out = dir("keep");
    let plan = Plan::build(&PlanSpec { runs: 2, variants: Some(vec![]), ..PlanSpec::new(SMALL) }).unwrap();
    runner::run(&plan, &out, &Options { keep_runs: true, ..opts(2) }).unwrap();
    for rep in 0..2u64 {
        let d = out.join("runs").join(format!("0-base-{rep}"));
        for f in samverkan::output::run::RUN_FILES {
            assert!(d.join(f).is_file(), "{}/{f}", d.display());
        }
        let summary = read(&d, "summary.json");
        assert!(summary.contains(&format!("\"seed\": {}", replication_seed(7, rep))), "{summary}");
    }
    assert_eq!(std::fs::read_dir(out.join("runs")).unwrap().count(), 2);
}

#[test]
fn a_large_design_compiles_its_scenarios_as_it_goes_with_the_same_results() {
    // 22 points × 3 variants = 66 combinations: more than are kept compiled in memory
    let path = "organisation.a.unit.coord.handlers";
    let values: Vec<String> = (1..=22).map(|h| h.to_string()).collect();
    let spec = PlanSpec { runs: 2, sweeps: vec![format!("{path}={}", values.join(","))], ..PlanSpec::new(SMALL) };
    const { assert!(22 * 3 > samverkan::batch::plan::MAX_KEPT_MODELS) };
    let (one, two) = (dir("large-1"), dir("large-2"));
    assert_eq!(batch(&spec, &one, 1).ok + batch(&spec, &two, 2).ok, 2 * 88);
    assert_same_tables(&one, &two);
    // point 4 (5 handlers) gives the rows a batch of that point alone gives
    let alone = dir("large-alone");
    batch(&PlanSpec { sweeps: vec![format!("{path}=5")], ..spec.clone() }, &alone, 2);
    let strip = |r: &indexmap::IndexMap<String, String>| r.iter().skip(2).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let big: Vec<Vec<String>> = rows(&one, files::RUNS).iter().filter(|r| r["point"] == "4").map(strip).collect();
    let small: Vec<Vec<String>> = rows(&alone, files::RUNS).iter().map(strip).collect();
    assert_eq!(big.len(), 6);
    assert_eq!(big, small);
}
