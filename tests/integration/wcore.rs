//! W-core (issue 20): the engine on `benches/wcore/w-core.toml` agrees in distribution
//! with the hand-written loop of `benches/wcore/loop.rs` and with the SimPy model of
//! `benches/peers/wcore.py` (when `python3` imports `simpy`). Per level (executive,
//! coordinating, strategic) the mean over runs of each run's mean delay must have 95 %
//! confidence intervals that overlap, and so must the learnings per level; the sizes must
//! be those of the issue (about 2 900 facts, 6 900 messages, 110 000 learnings).
//!
//! The three use different random streams, so they agree only in distribution: the
//! intervals, not the values, are compared. A modelling difference of a few percent
//! (a missed forward, a wrong processing or latency mean) moves the executive and
//! strategic means by more than their intervals' width (about 0.7 % and 4 % of the mean;
//! `the_intervals_tell_a_different_workload_apart` shows 5 % and 15 % shifts are caught).

#[path = "../../benches/wcore/loop.rs"]
mod wcore_loop;

use samverkan::metrics::all_level_delays;
use samverkan::scenario;
use samverkan::sim::{self, rng::replication_seed};
use samverkan::vocabulary::Via;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

const SCENARIO: &str = "benches/wcore/w-core.toml";
const LEVELS: [&str; 3] = ["executive", "coordinating", "strategic"];

/// Per run: mean delay per level (minutes) and learnings per level.
#[derive(Debug, Default)]
struct Runs {
    delay: [Vec<f64>; 3],
    learnings: [Vec<f64>; 3],
}

impl Runs {
    fn push(&mut self, delay: [f64; 3], learnings: [u64; 3]) {
        for l in 0..3 {
            self.delay[l].push(delay[l]);
            self.learnings[l].push(learnings[l] as f64);
        }
    }
}

/// Mean and half-width of the 95 % interval of the mean (Student's t, n − 1 df).
fn interval(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    // t(0.975) for 7..=39 degrees of freedom, rounded up (conservative at the boundary).
    let t = if n >= 30.0 {
        2.05
    } else if n >= 15.0 {
        2.15
    } else {
        2.37
    };
    (mean, t * (var / n).sqrt())
}

fn assert_overlap(what: &str, a_name: &str, a: &[f64], b_name: &str, b: &[f64]) {
    let ((ma, ha), (mb, hb)) = (interval(a), interval(b));
    assert!(
        (ma - mb).abs() <= ha + hb,
        "{what}: {a_name} {ma:.3} ± {ha:.3} and {b_name} {mb:.3} ± {hb:.3} (95 % intervals) do not overlap"
    );
}

fn engine(runs: u64) -> Runs {
    let model = Arc::new(scenario::load(Path::new(SCENARIO), None).expect("w-core scenario"));
    let mut out = Runs::default();
    let mut sizes = [0usize; 3];
    for i in 0..runs {
        let r = sim::run(&model, replication_seed(model.seed, i)).expect("run");
        let delays = all_level_delays(&r);
        let facts = r.facts.len();
        let messages = r.messages.iter().filter(|m| model.channels[m.channel as usize].id == "phone").count();
        let learnings = r.knowledge.iter().filter(|k| k.via != Via::Origin).count();
        assert!((2500..3300).contains(&facts), "about 2 900 facts: {facts}");
        assert!((6000..7800).contains(&messages), "about 6 900 messages on the channel: {messages}");
        assert!((95_000..125_000).contains(&learnings), "about 110 000 learnings: {learnings}");
        sizes.iter_mut().zip([facts, messages, learnings]).for_each(|(s, x)| *s += x);
        let mean = |d: &Vec<f64>| d.iter().sum::<f64>() / d.len() as f64;
        out.push(delays.each_ref().map(mean), delays.each_ref().map(|d| d.len() as u64));
    }
    let [f, m, l] = sizes.map(|s| s as f64 / runs as f64);
    eprintln!("wcore engine, mean per run: {f:.0} facts, {m:.0} messages on the channel, {l:.0} learnings");
    out
}

fn hand_loop(first_seed: u64, runs: u64) -> Runs {
    let mut out = Runs::default();
    for seed in first_seed..first_seed + runs {
        let o = wcore_loop::run(seed);
        assert!((2500..3300).contains(&o.facts) && (6000..7800).contains(&o.messages), "{o:?}");
        out.push([0, 1, 2].map(|l| o.mean_delay(l)), o.learnings);
    }
    out
}

/// The SimPy model's runs, or `None` when `python3` cannot import `simpy`.
fn simpy(runs: u64) -> Option<Runs> {
    let ok = Command::new("python3").args(["-c", "import simpy"]).output().is_ok_and(|o| o.status.success());
    if !ok {
        // .ci/run installs SimPy: under CI the comparison must run.
        assert!(std::env::var_os("CI").is_none(), "CI: python3 cannot import simpy (.ci/run installs it)");
        eprintln!("wcore: SimPy comparison skipped: python3 cannot import simpy (pip install simpy)");
        return None;
    }
    let out = Command::new("python3")
        .args(["benches/peers/wcore.py", "--runs", &runs.to_string(), "--seed", "5000"])
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "wcore.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut r = Runs::default();
    for line in String::from_utf8(out.stdout).expect("utf-8").lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let f = |k: &str, l: usize| v[k][l].as_f64().expect("a number");
        r.push([0, 1, 2].map(|l| f("mean_delay", l)), [0, 1, 2].map(|l| f("learnings", l) as u64));
    }
    assert_eq!(r.delay[0].len() as u64, runs, "one line per run");
    Some(r)
}

fn assert_agree(a_name: &str, a: &Runs, b_name: &str, b: &Runs) {
    for (l, level) in LEVELS.iter().enumerate() {
        let ((ma, ha), (mb, hb)) = (interval(&a.delay[l]), interval(&b.delay[l]));
        eprintln!("wcore {level} mean delay (min): {a_name} {ma:.3} ± {ha:.3}, {b_name} {mb:.3} ± {hb:.3}");
        assert_overlap(&format!("mean delay, {level}"), a_name, &a.delay[l], b_name, &b.delay[l]);
        assert_overlap(&format!("learnings, {level}"), a_name, &a.learnings[l], b_name, &b.learnings[l]);
    }
}

#[test]
fn engine_agrees_with_the_hand_loop_and_simpy() {
    let e = engine(30);
    // The workload's shape: processing at the executive level (M/M/2, mean 4 min, light
    // load), conferences at the coordinating level (waiting up to 4 h), two hops and
    // three queues to the strategic level.
    let (exec, coord, strategic) = (interval(&e.delay[0]).0, interval(&e.delay[1]).0, interval(&e.delay[2]).0);
    assert!((3.5..5.0).contains(&exec), "executive mean delay {exec}");
    assert!((100.0..200.0).contains(&coord), "coordinating mean delay {coord}");
    assert!((12.0..30.0).contains(&strategic), "strategic mean delay {strategic}");
    assert_agree("engine", &e, "hand loop", &hand_loop(1000, 60));
    if let Some(s) = simpy(10) {
        assert_agree("engine", &e, "SimPy", &s);
    }
}

#[test]
fn the_intervals_tell_a_different_workload_apart() {
    // The check must be able to fail: with the sample sizes above (30 and 60 runs), the
    // loop agrees with itself on other seeds, but not once its executive delays are 5 %
    // longer or its strategic delays 15 % longer.
    let a = hand_loop(2000, 30);
    let b = hand_loop(1000, 60);
    assert_agree("loop", &a, "loop (other seeds)", &b);
    for (level, factor) in [(0, 1.05), (2, 1.15)] {
        let shifted: Vec<f64> = b.delay[level].iter().map(|d| d * factor).collect();
        let ((ma, ha), (mb, hb)) = (interval(&a.delay[level]), interval(&shifted));
        assert!((ma - mb).abs() > ha + hb, "{} × {factor} shows: {ma} ± {ha}, {mb} ± {hb}", LEVELS[level]);
    }
}

#[test]
fn the_scenario_is_what_its_script_writes() {
    let Ok(out) = Command::new("python3").arg("benches/wcore/scenario.py").output() else {
        eprintln!("wcore: python3 missing, the scenario file is not compared with its script");
        return;
    };
    assert!(out.status.success(), "scenario.py failed");
    let file = std::fs::read_to_string(SCENARIO).expect("w-core scenario");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        file.trim_end(),
        "regenerate {SCENARIO} with the script"
    );
}
