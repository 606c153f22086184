//! Sensitivity indices against answers known in advance (tests/scenarios/additive.toml):
//! a measure that is the sum of two independent uniformly ranged parts has Sobol
//! indices Var_i / (Var_1 + Var_2), and a parameter on no path has indices 0 (Sobol)
//! and μ* = 0 (Morris).

use samverkan::batch::plan::{Plan, PlanSpec};
use samverkan::batch::runner::{self, Options};
use samverkan::design::Kind;
use std::path::{Path, PathBuf};

const ADDITIVE: &str = "tests/scenarios/additive.toml";
const COORD: &str = "organisation.a.unit.coord.processing.default";
const STRAT: &str = "organisation.a.unit.strat.processing.default";
const EXEC: &str = "organisation.a.unit.exec.processing.default";
const MEASURE: &str = "first_fact_all_strategic_min";

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("sensitivity-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn ranges() -> Vec<String> {
    vec![format!("{COORD}=2m..8m"), format!("{STRAT}=5m..17m"), format!("{EXEC}=1m..3m")]
}

/// Runs a one-replication design batch and writes its sensitivity.csv.
fn analyse(kind: Kind, size: u64, name: &str) -> PathBuf {
    let spec = PlanSpec { runs: 1, generated: Some((kind, size)), ranges: ranges(), ..PlanSpec::new(ADDITIVE) };
    let plan = Plan::build(&spec).expect("plan");
    let out = dir(name);
    let done = runner::run(&plan, &out, &Options { jobs: 2, ..Options::default() }).expect("batch");
    assert_eq!(done.failed, 0);
    samverkan::sensitivity::write(&out, false).expect("sensitivity");
    out
}

/// (estimate, low, high) of `index` of `parameter` for `output` under the base.
fn index(d: &Path, output: &str, parameter: &str, index: &str) -> (f64, f64, f64) {
    let mut r = csv::Reader::from_path(d.join("sensitivity.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        if rec[col("variant")] == *"base"
            && rec[col("output")] == *output
            && rec[col("parameter")] == *parameter
            && rec[col("index")] == *index
        {
            let f = |c: &str| rec[col(c)].parse::<f64>().unwrap_or_else(|_| panic!("{c} of {output}/{parameter}"));
            return (f("estimate"), f("ci95_low"), f("ci95_high"));
        }
    }
    panic!("no {index} of {parameter} for {output}");
}

fn covers(name: &str, (est, lo, hi): (f64, f64, f64), want: f64) {
    assert!(lo <= want && want <= hi, "{name}: {est} [{lo}, {hi}] does not cover {want}");
    assert!(lo <= est && est <= hi, "{name}: the estimate {est} lies outside its interval [{lo}, {hi}]");
}

#[test]
fn sobol_indices_of_a_sum_of_two_parts_cover_the_analytic_values() {
    let d = analyse(Kind::Sobol, 256, "sobol");
    let (v1, v2) = (6f64.powi(2) / 12.0, 12f64.powi(2) / 12.0);
    for (param, want) in [(COORD, v1 / (v1 + v2)), (STRAT, v2 / (v1 + v2))] {
        for which in ["first_order", "total"] {
            let got = index(&d, MEASURE, param, which);
            covers(&format!("{which} of {param}"), got, want);
            assert!(got.2 - got.1 < 0.3, "{which} of {param}: the interval {got:?} is too wide to say much");
        }
    }
    let dummy = index(&d, MEASURE, EXEC, "total");
    covers("total of the parameter on no path", dummy, 0.0);
    // The objective's probability depends on the same two parameters only.
    covers("objective, total of exec", index(&d, "strategic-20", EXEC, "total"), 0.0);
    let strat = index(&d, "strategic-20", STRAT, "total");
    assert!(strat.1 > 0.3, "the strategic time drives the objective: {strat:?}");
    // Runs: N·(k + 2) points × 1 replication.
    let runs = std::fs::read_to_string(d.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count() - 1, 256 * 5);
}

#[test]
fn morris_screening_finds_the_parameter_that_does_nothing() {
    let d = analyse(Kind::Morris, 20, "morris");
    let dummy = index(&d, MEASURE, EXEC, "mu_star");
    assert_eq!(dummy, (0.0, 0.0, 0.0), "μ* of the parameter on no path");
    // The measure is linear in each part: every elementary effect is the part's whole
    // range in minutes (6 and 12), so μ* is exactly that and σ is 0.
    for (param, range) in [(COORD, 6.0), (STRAT, 12.0)] {
        let (mu, lo, hi) = index(&d, MEASURE, param, "mu_star");
        assert!((mu - range).abs() < 1e-3 && (hi - lo) < 1e-3, "μ* of {param}: {mu} [{lo}, {hi}]");
        let (sigma, _, _) = index(&d, MEASURE, param, "sigma");
        assert!(sigma.abs() < 1e-3, "σ of {param}: {sigma}");
    }
    let runs = std::fs::read_to_string(d.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count() - 1, 20 * 4);
}

#[test]
fn sensitivity_refuses_a_batch_without_a_sobol_or_morris_design() {
    let spec = PlanSpec { runs: 1, generated: Some((Kind::Lhs, 5)), ranges: ranges(), ..PlanSpec::new(ADDITIVE) };
    let out = dir("lhs");
    runner::run(&Plan::build(&spec).unwrap(), &out, &Options { jobs: 1, ..Options::default() }).unwrap();
    let e = samverkan::sensitivity::write(&out, false).unwrap_err();
    assert!(e.is_bad_input() && e.to_string().contains("sobol:N or morris:R"), "{e}");
    assert!(!out.join("sensitivity.csv").exists());
}
