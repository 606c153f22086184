//! `samverkan optimise`: the known answer of an M/M/c queue (Erlang C), the winner as a
//! variant that pastes into the scenario, outputs independent of the thread count, and
//! the command's exit codes and refusals.

use crate::common;
use common::Scratch;
use common::stats::erlang_c;
use samverkan::optimise::{self, Lever, Plan, Requirement, Spec, files, race::Status};
use samverkan::report::Lang;
use std::path::{Path, PathBuf};
use std::process::Command;

const MMC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/mmc-optimise.toml");
const HANDLERS: &str = "organisation.a.unit.desk.handlers";

fn spec(levers: &[&str], requires: &[&str], runs: u64) -> Spec {
    Spec {
        levers: levers.iter().map(|l| Lever::parse(l).unwrap()).collect(),
        requires: requires.iter().map(|r| Requirement::parse(r).unwrap()).collect(),
        runs,
        ..Spec::new(MMC)
    }
}

/// P(sojourn > t) in M/M/c: with probability 1 − C no wait, else an Exp(cμ − λ) wait,
/// each followed by an Exp(μ) service.
fn sojourn_survival(t: f64, c: u32, lambda: f64, mu: f64) -> f64 {
    let wait = erlang_c(c, lambda / mu);
    let theta = c as f64 * mu - lambda;
    let convolved = if (theta - mu).abs() < 1e-12 {
        (-mu * t).exp() * (1.0 + mu * t)
    } else {
        (theta * (-mu * t).exp() - mu * (-theta * t).exp()) / (theta - mu)
    };
    (1.0 - wait) * (-mu * t).exp() + wait * convolved
}

fn median_sojourn(c: u32, lambda: f64, mu: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1e4);
    for _ in 0..200 {
        let m = (lo + hi) / 2.0;
        if sojourn_survival(m, c, lambda, mu) > 0.5 { lo = m } else { hi = m }
    }
    lo
}

#[test]
fn optimise_finds_the_staffing_erlang_c_gives() {
    // The scenario: λ = 15.6/h, mean service 10 min, a 1 min line, objective ≤ 16 min.
    let (lambda, mu, line, limit) = (15.6 / 60.0, 0.1, 1.0, 16.0);
    let delay = |c: u32| line + median_sojourn(c, lambda, mu);
    let stable = (lambda / mu).floor() as u32 + 1;
    let expected = (stable..20).find(|c| delay(*c) <= limit).unwrap();
    assert_eq!(expected, 4);
    // The limit separates c − 1 and c clearly (theory: 22.7 and 10.4 min).
    assert!(delay(expected - 1) > limit + 4.0 && delay(expected) < limit - 4.0);
    let s = spec(&[&format!("{HANDLERS}=2,3,4,5,6")], &["desk-median=0.9"], 200);
    let plan = Plan::build(&s).unwrap();
    let out = optimise::run(&plan, 2, false).unwrap();
    let best = out.best().expect("a best candidate");
    assert_eq!(plan.settings(best), vec![(HANDLERS.to_string(), expected.to_string())]);
    for (i, e) in out.entries.iter().enumerate() {
        let c = 2 + i as u32;
        if c < expected {
            assert_eq!(e.status, Status::Infeasible, "c = {c}: {e:?}");
        }
        assert!(e.runs < 200, "c = {c} needed the maximum of runs: {e:?}");
    }
    // Cheaper first: costs grow with the handlers.
    assert!(plan.candidates.windows(2).all(|w| w[0].cost.total() < w[1].cost.total()));
}

#[test]
fn best_toml_pastes_into_the_scenario_and_costs_what_was_reported() {
    let s = spec(&[&format!("{HANDLERS}=3,4,5"), "cost.handler_hour=1.0,2"], &["desk-median=90%"], 100);
    let plan = Plan::build(&s).unwrap();
    let out = optimise::run(&plan, 2, false).unwrap();
    let best = out.best().expect("a best candidate");
    let block = files::best_toml(&plan, best).unwrap();
    assert!(block.contains("[variant.best]") && block.contains("set = {"), "{block}");
    let text = format!("{}\n{block}", std::fs::read_to_string(MMC).unwrap());
    let pasted = Scratch::new("optimise-paste");
    let path = pasted.0.join("pasted.toml");
    std::fs::write(&path, text).unwrap();
    let model = samverkan::scenario::load(&path, Some(files::BEST_VARIANT)).expect("the pasted variant compiles");
    let reported = plan.candidates[best].cost;
    assert_eq!(samverkan::cost::of(&model), reported);
    assert_eq!(model.units[model.unit_index("a.desk").unwrap() as usize].handlers, 4);
    // The cheapest: 4 handlers at the rate 1.
    let csv = String::from_utf8(files::csv(&plan, &out)).unwrap();
    let best_row = csv.lines().find(|l| l.ends_with(",best,")).expect("a best row");
    assert!(best_row.starts_with(&format!("{},4,1.0,", best + 1)), "{best_row}");
}

fn files_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for name in [files::CSV, files::BEST, "charts/pareto.png", "charts/pareto.svg", "report.html"] {
        out.push((PathBuf::from(name), std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))));
    }
    out
}

#[test]
fn outputs_are_byte_identical_with_one_or_two_threads() {
    let s = spec(&[&format!("{HANDLERS}=3,4,5")], &["desk-median=0.9"], 100);
    let plan = Plan::build(&s).unwrap();
    let dir = Scratch::new("optimise-jobs");
    for jobs in [1, 2] {
        let out = optimise::run(&plan, jobs, false).unwrap();
        files::write(&dir.0.join(jobs.to_string()), &plan, &out, Lang::Sv, false).unwrap();
    }
    assert_eq!(files_of(&dir.0.join("1")), files_of(&dir.0.join("2")));
}

#[test]
fn the_report_states_the_answer_and_every_candidate_as_optimise_csv_does() {
    let s = spec(&[&format!("{HANDLERS}=3,4,5")], &["desk-median=0.9"], 100);
    let plan = Plan::build(&s).unwrap();
    let out = optimise::run(&plan, 2, false).unwrap();
    let best = out.best().expect("a best candidate");
    let dir = Scratch::new("optimise-page");
    for lang in [Lang::En, Lang::Sv] {
        let d = dir.0.join(format!("{lang:?}"));
        files::write(&d, &plan, &out, lang, false).unwrap();
        let page = std::fs::read_to_string(d.join("report.html")).unwrap();
        let cost = format!("{:.1}", plan.candidates[best].cost.total());
        let cost = if lang == Lang::Sv { cost.replace('.', ",") } else { cost };
        let answer = page.split("<section id=\"answer\">").nth(1).unwrap().split("</section>").next().unwrap();
        assert!(answer.contains(&format!("{HANDLERS} = 4")) && answer.contains(&cost), "{answer}");
        // One row per candidate, each with its runs as in the race.
        let rows = page.split("<section id=\"candidates\">").nth(1).unwrap().split("</table>").next().unwrap();
        assert_eq!(rows.matches("<tr><td>").count(), plan.candidates.len());
        for e in &out.entries {
            assert!(rows.contains(&format!("<td class=\"num\">{}</td>", e.runs)), "{} runs", e.runs);
        }
        assert!(page.contains("<svg class=\"chart\""), "the chart is inline");
        let word = if lang == Lang::Sv { "<b>bäst</b>" } else { "<b>best</b>" };
        assert!(rows.contains(word), "{rows}");
    }
}

fn cli(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_samverkan")).args(args).output().expect("runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn no_feasible_candidate_exits_4_and_still_writes_optimise_csv() {
    let dir = Scratch::new("optimise-none");
    let out = dir.0.join("o");
    let lever = format!("{HANDLERS}=2,3");
    let args = ["optimise", MMC, "--lever", &lever, "--require", "desk-median=0.9", "--runs", "40", "--quiet"];
    let (code, err) = cli(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("no candidate was proven"), "{err}");
    let csv = std::fs::read_to_string(out.join(files::CSV)).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(!out.join(files::BEST).exists());
    // The folder holds results now: refused without --force (exit 2), accepted with it.
    let (code, err) = cli(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    assert_eq!(code, 2, "{err}");
    let (code, _) = cli(&[&args[..], &["--out", out.to_str().unwrap(), "--force"]].concat());
    assert_eq!(code, 4);
}

#[test]
fn bad_levers_and_requirements_exit_2_and_write_nothing() {
    let dir = Scratch::new("optimise-bad");
    let out = dir.0.join("o");
    let o = out.to_str().unwrap();
    for (lever, require, says) in [
        ("organisation.a.unit.nope.handlers=1,2", "desk-median=0.9", "nope"),
        ("organisation.a.unit.desk.handlers=1,2", "no-such-objective=0.9", "no objective `no-such-objective`"),
        ("organisation.a.unit.desk.handlers=1,2", "desk-median=1.5", "above 0 and below 1"),
        ("organisation.a.unit.desk.handlers", "desk-median=0.9", "PATH=V1,V2"),
        ("organisation.a.unit.desk.handlers=-1,2", "desk-median=0.9", "handlers"),
    ] {
        let (code, err) = cli(&["optimise", MMC, "--lever", lever, "--require", require, "--out", o, "--quiet"]);
        assert_eq!(code, 2, "{lever} {require}: {err}");
        assert!(err.contains(says), "{lever} {require}: {err}");
        assert!(!out.exists(), "{lever} {require}: wrote {}", out.display());
    }
}
