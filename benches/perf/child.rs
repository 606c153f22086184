//! The measured side: one measurement in a fresh process, printing one `RESULT` line of
//! `key=value` pairs (times in ms). The parent measures wall time and peak memory.

use super::baseline;
use rayon::prelude::*;
use samverkan::generate::{Options, generate, organisations_for_units};
use samverkan::model::Model;
use samverkan::scenario::{self, Source};
use samverkan::sim::{self, rng::replication_seed};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, what: &str) -> T {
    args.get(i).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("child: missing or bad {what}"))
}

fn result(pairs: &[(&str, String)]) {
    let line: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!("RESULT {}", line.join(" "));
}

pub fn main(args: &[String]) {
    match args.first().map(String::as_str) {
        Some("stock") => stock(&args[1], arg(args, 2, "runs")),
        Some("batch") => batch(&args[1], arg(args, 2, "replications"), &args[3], arg(args, 4, "jobs"), &args[5]),
        Some("validate") => validate(arg(args, 1, "units"), arg(args, 2, "variants")),
        Some("scale") => scale(arg(args, 1, "units"), &args[2], arg(args, 3, "runs"), false),
        Some("engine-core") => scale(arg(args, 1, "units"), "-", arg(args, 2, "runs"), true),
        Some("baseline-core") => baseline_core(arg(args, 1, "units"), arg(args, 2, "runs"), baseline::run),
        Some("baseline-decomposed-core") => {
            baseline_core(arg(args, 1, "units"), arg(args, 2, "runs"), baseline::run_decomposed)
        }
        Some("wcore-engine") => wcore_engine(arg(args, 1, "runs")),
        Some("wcore-loop") => wcore_loop(arg(args, 1, "runs")),
        other => panic!("child: unknown measurement {other:?}"),
    }
}

/// What one run handled: events, messages and learnings (a unit coming to know a fact).
type Counts = (u64, u64, u64);

/// Runs `runs` replications one after the other; reports the median time of one.
fn repeat(model: &Arc<Model>, runs: u64, mut one: impl FnMut(&Arc<Model>, u64) -> Counts) -> Vec<(String, String)> {
    let mut times = Vec::new();
    let (mut events, mut messages, mut learnings) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..runs {
        let seed = replication_seed(model.seed, i);
        let t = Instant::now();
        let (e, m, l) = one(model, seed);
        times.push(ms(t));
        events.push(e as f64);
        messages.push(m as f64);
        learnings.push(l as f64);
    }
    let sim = median(times);
    let ev = median(events);
    vec![
        ("sim_ms".into(), format!("{sim:.3}")),
        ("events".into(), format!("{ev:.0}")),
        ("messages".into(), format!("{:.0}", median(messages))),
        ("learnings".into(), format!("{:.0}", median(learnings))),
        ("events_per_s".into(), format!("{:.0}", ev / sim * 1e3)),
        ("runs".into(), runs.to_string()),
    ]
}

fn engine_run(model: &Arc<Model>, seed: u64) -> Counts {
    let r = sim::run(model, seed).expect("run");
    (r.events, r.messages.len() as u64, r.knowledge.len() as u64)
}

fn print(mut pairs: Vec<(String, String)>, load_ms: f64) {
    pairs.insert(0, ("load_ms".into(), format!("{load_ms:.1}")));
    let refs: Vec<(&str, String)> = pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    result(&refs);
}

fn stock(path: &str, runs: u64) {
    let t = Instant::now();
    let model = Arc::new(scenario::load(Path::new(path), None).expect("scenario"));
    let load = ms(t);
    print(repeat(&model, runs, engine_run), load);
}

fn generated(units: usize, variant: &str, core: bool) -> (Arc<Model>, f64) {
    let n = organisations_for_units(units, 1).expect("size");
    let g = generate(&Options { core, ..Options::new(n) }).expect("generate");
    let t = Instant::now();
    let variant = (variant != "-" && variant != "base").then_some(variant);
    let model = scenario::build(&Source::from_str("generated.toml", &g.text), variant, &[]).expect("valid");
    (Arc::new(model), ms(t))
}

fn scale(units: usize, variant: &str, runs: u64, core: bool) {
    let (model, load) = generated(units, variant, core);
    // Reported at once, so that a run stopped by the time limit still tells it.
    result(&[("load_ms", format!("{load:.1}")), ("units", model.units.len().to_string())]);
    let mut pairs = repeat(&model, runs, engine_run);
    pairs.push(("units".into(), model.units.len().to_string()));
    print(pairs, load);
}

/// The baseline (`run`: minimal, or keeping the delay decomposition) on the core workload.
fn baseline_core(units: usize, runs: u64, run: fn(&Model, u64) -> baseline::Outcome) {
    let (model, load) = generated(units, "-", true);
    baseline::supports(&model).expect("core workload");
    let mut pairs = repeat(&model, runs, |m, seed| {
        let o = run(m, seed);
        (o.events, o.messages, o.known.len() as u64)
    });
    pairs.push(("units".into(), model.units.len().to_string()));
    print(pairs, load);
}

/// Until `samverkan batch` is on main: replications × variants on a rayon pool of `jobs`
/// threads, each run summarised, one runs.csv row per run written at the end.
fn batch(path: &str, reps: u64, variants: &str, jobs: usize, out: &str) {
    let t = Instant::now();
    let source = Source::read(Path::new(path)).expect("scenario");
    let mut names: Vec<Option<&str>> = vec![None];
    names.extend(variants.split(',').filter(|v| !v.is_empty() && *v != "-").map(Some));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().expect("pool");
    let dir = Path::new(out);
    samverkan::output::prepare_dir(dir, true).expect("output folder");
    let file = std::fs::File::create(dir.join("runs.csv")).expect("runs.csv");
    let mut w = std::io::BufWriter::new(file);
    let mut events = 0u64;
    for (k, v) in names.iter().enumerate() {
        let model = Arc::new(scenario::build(&source, *v, &[]).expect("variant"));
        if k == 0 {
            let header: Vec<&str> = samverkan::metrics::Headline::ALL.map(|h| h.name()).to_vec();
            writeln!(w, "variant,replication,seed,events,{}", header.join(",")).expect("write");
        }
        let rows: Vec<(u64, String)> = pool.install(|| (0..reps).into_par_iter().map(|i| row(&model, *v, i)).collect());
        for (e, r) in rows {
            events += e;
            w.write_all(r.as_bytes()).expect("write");
        }
    }
    w.flush().expect("flush");
    let total = ms(t);
    let runs = reps * names.len() as u64;
    result(&[
        ("total_ms", format!("{total:.1}")),
        ("events", events.to_string()),
        ("events_per_s", format!("{:.0}", events as f64 / total * 1e3)),
        ("runs", runs.to_string()),
    ]);
}

fn row(model: &Arc<Model>, variant: Option<&str>, i: u64) -> (u64, String) {
    let seed = replication_seed(model.seed, i);
    let r = sim::run(model, seed).expect("run");
    let s = samverkan::metrics::summarise(&r);
    let measures: Vec<String> =
        s.measures.values().map(|v| v.map(samverkan::output::num).unwrap_or_default()).collect();
    (r.events, format!("{},{i},{seed},{},{}\n", variant.unwrap_or("base"), r.events, measures.join(",")))
}

/// `scenario::validate` of a generated scenario with `variants` one-line variants added
/// (each sets one conference's cadence), as `samverkan validate` runs it.
fn validate(units: usize, variants: usize) {
    let n = organisations_for_units(units, 1).expect("size");
    let mut text = generate(&Options::new(n)).expect("generate").text;
    let conference =
        text.lines().find_map(|l| l.strip_prefix("[conference.")?.strip_suffix(']')).expect("a conference");
    let conference = conference.to_string();
    for i in 0..variants {
        text.push_str(&format!(
            "\n[variant.v{i}]\nset = {{ \"conference.{conference}.activated.every\" = \"{}h\" }}\n",
            i % 5 + 1
        ));
    }
    let t = Instant::now();
    let names = scenario::validate(&Source::from_str("generated.toml", &text)).expect("valid");
    result(&[("load_ms", format!("{:.1}", ms(t))), ("runs", names.len().to_string())]);
}

/// The W-core scenario of issue 20 (generated by benches/wcore/scenario.py).
pub const WCORE: &str = "benches/wcore/w-core.toml";

/// W-core as a batch runs each replication: `sim::run_recording` with the summary
/// recording, then the per-run summary (`metrics::summarise_with` in the thread's
/// scratch: the row's headline measures and objectives) and the map's per-municipality
/// times (`geo::knowing::of_run`), as `batch::runner::run_one` does without kept run files.
fn wcore_engine(runs: u64) {
    let t = Instant::now();
    let model = Arc::new(scenario::load(Path::new(WCORE), None).expect("w-core scenario"));
    let load = ms(t);
    let (mut run_ms, mut summary_ms) = (Vec::new(), Vec::new());
    let mut scratch = samverkan::metrics::Scratch::default();
    let mut pairs = repeat(&model, runs, |m, seed| {
        let t = Instant::now();
        let r = sim::run_recording(m, seed, sim::Recording::Summary).expect("run");
        run_ms.push(ms(t));
        let t = Instant::now();
        let summary = samverkan::metrics::summarise_with(&r, &mut scratch);
        std::hint::black_box((&summary, samverkan::geo::knowing::of_run(&r)));
        summary_ms.push(ms(t));
        (r.events, r.messages.len() as u64, r.learnings)
    });
    // The split (not in the table; `--child wcore-engine 20` prints it): engine, summary.
    pairs.push(("run_ms".into(), format!("{:.3}", median(run_ms))));
    pairs.push(("summary_ms".into(), format!("{:.3}", median(summary_ms))));
    print(pairs, load);
}

/// The minimal hand-written loop of W-core (benches/wcore/loop.rs), with the same seeds.
fn wcore_loop(runs: u64) {
    let model = scenario::load(Path::new(WCORE), None).expect("w-core scenario");
    let pairs = repeat(&Arc::new(model), runs, |_, seed| {
        let o = super::wcore::run(seed);
        (o.events, o.messages, o.learnings.iter().sum())
    });
    print(pairs, 0.0);
}
