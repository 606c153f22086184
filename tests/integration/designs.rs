//! `samverkan batch --design lhs:N|sobol:N|morris:R --range PATH=LOW..HIGH` as a user
//! runs it: the points in runs.csv and the manifest, the same bytes whatever the
//! thread count, sensitivity.csv and the tornado chart at the end, and refusals (exit 2,
//! nothing written).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_samverkan");
const ADDITIVE: &str = "tests/scenarios/additive.toml";
const COORD: &str = "organisation.a.unit.coord.processing.default";
const STRAT: &str = "organisation.a.unit.strat.processing.default";

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("designs-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn samverkan<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(BIN).args(args).output().expect("the binary runs")
}

fn read(d: &Path, f: &str) -> String {
    std::fs::read_to_string(d.join(f)).unwrap_or_else(|e| panic!("{}: {e}", d.join(f).display()))
}

fn batch(out: &Path, design: &str, jobs: &str, extra: &[&str]) -> Output {
    let mut args: Vec<String> = ["batch", ADDITIVE, "--runs", "2", "--quiet", "--design", design, "--jobs", jobs]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(["--range".into(), format!("{COORD}=2m..8m"), "--range".into(), format!("{STRAT}=5m..17m")]);
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(["--out".into(), out.display().to_string()]);
    samverkan(&args)
}

#[test]
fn a_sobol_batch_is_the_same_bytes_on_one_and_two_threads() {
    let (one, two) = (dir("sobol-1"), dir("sobol-2"));
    for (d, jobs) in [(&one, "1"), (&two, "2")] {
        let o = batch(d, "sobol:16", jobs, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // (report.html names the command line, which differs in --jobs and --out.)
    for f in ["runs.csv", "stats.csv", "objectives.csv", "sensitivity.csv", "charts/tornado.svg"] {
        assert!(read(&one, f) == read(&two, f), "{f} differs between --jobs 1 and --jobs 2");
    }
    let runs = read(&one, "runs.csv");
    assert!(runs.lines().next().unwrap().starts_with(&format!("point,{COORD},{STRAT},variant")));
    assert_eq!(runs.lines().count() - 1, 16 * 4 * 2, "N·(k+2) points × 2 replications");
    let m: serde_json::Value = serde_json::from_str(&read(&one, "manifest.json")).unwrap();
    let design = &m["plan"]["design"];
    assert_eq!(design["kind"], "sobol");
    assert_eq!(design["size"], 16);
    assert_eq!(design["seed"], serde_json::Value::Null);
    assert_eq!(design["ranges"][1]["path"], STRAT);
    assert_eq!(design["ranges"][1]["field"], "duration");
    assert_eq!(design["ranges"][1]["low"], 300.0);
    assert_eq!(m["plan"]["points"].as_array().unwrap().len(), 64);
    let html = read(&one, "report.html");
    assert!(html.contains("id=\"sensitivity\"") && html.contains("chart-tornado"), "the report shows the indices");
    // `sensitivity` again: refused without --force, then redrawn in Swedish.
    let again = samverkan(&["sensitivity", one.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    let sv = samverkan(&["sensitivity", one.to_str().unwrap(), "--force", "--lang", "sv", "--quiet"]);
    assert_eq!(sv.status.code(), Some(0), "{}", String::from_utf8_lossy(&sv.stderr));
    assert!(read(&one, "report.html").contains("Känslighet"));
    assert!(read(&one, "sensitivity.csv") == read(&two, "sensitivity.csv"));
}

#[test]
fn lhs_points_fill_every_stratum_and_follow_the_seed() {
    let (a, b, c) = (dir("lhs-a"), dir("lhs-b"), dir("lhs-c"));
    assert_eq!(batch(&a, "lhs:6", "2", &[]).status.code(), Some(0));
    assert_eq!(batch(&b, "lhs:6", "1", &[]).status.code(), Some(0));
    assert_eq!(batch(&c, "lhs:6", "2", &["--seed", "99"]).status.code(), Some(0));
    assert!(read(&a, "runs.csv") == read(&b, "runs.csv"));
    let points = |d: &Path| -> Vec<serde_json::Value> {
        let m: serde_json::Value = serde_json::from_str(&read(d, "manifest.json")).unwrap();
        m["plan"]["points"].as_array().unwrap().clone()
    };
    assert_ne!(points(&a), points(&c), "another seed, another hypercube");
    // One point in each sixth of the coordinating range (2m..8m: one minute each).
    let mut strata: Vec<i64> = points(&a)
        .iter()
        .map(|p| {
            let s: i64 = p[COORD].as_str().unwrap().trim_end_matches('s').parse().unwrap();
            (s - 120) / 60
        })
        .collect();
    strata.sort();
    assert_eq!(strata, vec![0, 1, 2, 3, 4, 5]);
    assert!(!a.join("sensitivity.csv").exists(), "a hypercube gets no indices");
    assert!(!read(&a, "report.html").contains("id=\"sensitivity\""));
}

#[test]
fn bad_designs_exit_2_and_write_nothing() {
    let cases: [(&str, Vec<String>); 8] = [
        (
            "unknown path",
            vec!["--design".into(), "lhs:4".into(), "--range".into(), "organisation.a.unit.nope.handlers=1..3".into()],
        ),
        ("non-numeric", vec!["--design".into(), "lhs:4".into(), "--range".into(), "organisation.a.kind=1..3".into()]),
        ("low ≥ high", vec!["--design".into(), "lhs:4".into(), "--range".into(), format!("{COORD}=8m..2m")]),
        ("range alone", vec!["--range".into(), format!("{COORD}=2m..8m")]),
        (
            "with a sweep",
            vec![
                "--design".into(),
                "lhs:4".into(),
                "--range".into(),
                format!("{COORD}=2m..8m"),
                "--sweep".into(),
                format!("{STRAT}=5m,6m"),
            ],
        ),
        ("N too small", vec!["--design".into(), "sobol:2".into(), "--range".into(), format!("{COORD}=2m..8m")]),
        ("no range", vec!["--design".into(), "morris:4".into()]),
        ("bad duration", vec!["--design".into(), "lhs:4".into(), "--range".into(), format!("{COORD}=2..8")]),
    ];
    for (what, extra) in cases {
        let out = dir("refused");
        let mut args: Vec<String> = vec!["batch".into(), ADDITIVE.into(), "--runs".into(), "1".into()];
        args.extend(extra);
        args.extend(["--out".into(), out.display().to_string()]);
        let o = samverkan(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains("--range") || err.contains("--design"), "{what}: the message names the flag: {err}");
        assert!(!out.exists(), "{what}: nothing written");
    }
}

#[test]
fn a_batch_without_a_generated_design_records_none() {
    let out = dir("plain");
    let o = samverkan(&["batch", ADDITIVE, "--runs", "2", "--quiet", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!read(&out, "manifest.json").contains("\"design\""), "old manifests and new ones without designs agree");
    let again = samverkan(&["sensitivity", out.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
}
