//! The measuring side: the list of measurements, child processes with a time limit,
//! peak memory from `wait4`, medians, and the results table.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One measurement: a name for the table and how to run it.
struct Measurement {
    name: String,
    /// What to run: this binary's `--child` arguments, or another program.
    cmd: Vec<String>,
    external: bool,
    repeats: usize,
}

struct Settings {
    only: Vec<String>,
    repeats: Option<usize>,
    timeout: Duration,
    sizes: Vec<usize>,
    out: PathBuf,
}

fn settings(args: &[String]) -> Settings {
    let mut s = Settings {
        only: vec![],
        repeats: None,
        timeout: Duration::from_secs(900),
        sizes: vec![40, 400, 1364, 4000, 40000],
        out: PathBuf::from("target/perf/results.csv"),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().unwrap_or_default();
        match a.as_str() {
            "--only" => s.only.push(value()),
            "--repeats" => s.repeats = value().parse().ok(),
            "--timeout" => s.timeout = Duration::from_secs(value().parse().unwrap_or(900)),
            "--sizes" => s.sizes = value().split(',').filter_map(|x| x.parse().ok()).collect(),
            "--out" => s.out = PathBuf::from(value()),
            other => eprintln!("perf: ignoring argument {other}"),
        }
    }
    s
}

fn child(name: String, repeats: usize, args: &[&str]) -> Measurement {
    Measurement { name, cmd: args.iter().map(|s| s.to_string()).collect(), external: false, repeats }
}

/// Repeats for a measurement of `units` units (fewer for the long ones; three even for
/// 40 000 units, whose single runs vary by ±10 % on this machine).
fn repeats_for(units: usize) -> usize {
    if units <= 1000 { 5 } else { 3 }
}

/// The measurements, in groups whose members run in turn, a child of each per round (the
/// engine and both baselines on the same workload, so that all see the same state of
/// this machine); a measurement alone is a group of one.
fn measurements(s: &Settings) -> Vec<Vec<Measurement>> {
    let mut list = Vec::new();
    let mut stock: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect()
        })
        .unwrap_or_default();
    stock.sort();
    for p in &stock {
        let name = p.file_stem().unwrap_or_default().to_string_lossy().to_string();
        list.push(child(format!("stock/{name}"), 5, &["stock", &p.to_string_lossy(), "20"]));
    }
    batch_measurements(&mut list);
    optimise_measurements(&mut list);
    for &u in &s.sizes {
        let us = u.to_string();
        list.push(child(format!("scale/{u}-units-7d"), repeats_for(u), &["scale", &us, "week", "1"]));
    }
    for &u in s.sizes.iter().filter(|u| **u <= 4000) {
        let us = u.to_string();
        list.push(child(format!("duration/{u}-units-3d"), repeats_for(u), &["scale", &us, "base", "1"]));
        list.push(child(format!("duration/{u}-units-30d"), repeats_for(u), &["scale", &us, "month", "1"]));
    }
    let mut groups: Vec<Vec<Measurement>> = list.into_iter().map(|m| vec![m]).collect();
    // Validating with and without 40 variants, in turn on the same machine state.
    groups.push(vec![
        child("validate/20000-units-0-variants".into(), 3, &["validate", "20000", "0"]),
        child("validate/20000-units-40-variants".into(), 3, &["validate", "20000", "40"]),
    ]);
    for &u in &s.sizes {
        let (us, runs) = (u.to_string(), if u <= 400 { "5" } else { "1" });
        groups.push(vec![
            child(format!("baseline/{u}-units-engine"), repeats_for(u), &["engine-core", &us, runs]),
            child(format!("baseline/{u}-units-baseline"), repeats_for(u), &["baseline-core", &us, runs]),
            child(format!("baseline/{u}-units-decomposed"), repeats_for(u), &["baseline-decomposed-core", &us, runs]),
        ]);
    }
    groups.push(wcore_group());
    let wanted = |m: &Measurement| s.only.is_empty() || s.only.iter().any(|o| m.name.contains(o.as_str()));
    groups.iter_mut().for_each(|g| g.retain(wanted));
    groups.retain(|g| !g.is_empty());
    if let Some(r) = s.repeats {
        groups.iter_mut().flatten().for_each(|m| m.repeats = r);
    }
    groups
}

/// The 1 000 × 3 batch of stockholm-attack on 2 threads, and batch memory against the
/// number of replications: with `samverkan batch` (results, statistics and report
/// written) when the binary has it, and the 1 000 × 3 batch also with an in-process loop
/// over `sim::run` writing one row per run (which counts events).
fn batch_measurements(list: &mut Vec<Measurement>) {
    let scenario = "scenarios/stockholm-attack.toml";
    let variants = "conference-2h,weekend-night";
    let bin = env!("CARGO_BIN_EXE_samverkan");
    let has_batch = Command::new(bin).args(["batch", "--help"]).output().is_ok_and(|o| o.status.success());
    for reps in [1000u64, 100, 300, 3000] {
        let out = format!("target/perf/batch-{reps}");
        let r = reps.to_string();
        if reps == 1000 || !has_batch {
            let name = format!("batch/{reps}x3-inprocess");
            list.push(child(name, if reps == 1000 { 3 } else { 1 }, &["batch", scenario, &r, variants, "2", &out]));
        }
        if has_batch {
            let cmd = [bin, "batch", scenario, "--runs", &r, "--variants", variants, "--jobs", "2", "--out", &out];
            let mut cmd: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
            cmd.extend(["--force".into(), "--quiet".into()]);
            let repeats = if reps == 1000 { 3 } else { 1 };
            list.push(Measurement { name: format!("batch/{reps}x3-command"), cmd, external: true, repeats });
        }
    }
}

/// The optimisation target of issue 21: a 2-lever, 12-candidate `samverkan optimise` of
/// stockholm-attack on 2 threads (racing up to 1 000 runs per candidate), under 60 s.
fn optimise_measurements(list: &mut Vec<Measurement>) {
    let bin = env!("CARGO_BIN_EXE_samverkan");
    if !Command::new(bin).args(["optimise", "--help"]).output().is_ok_and(|o| o.status.success()) {
        return;
    }
    let cmd = [
        bin,
        "optimise",
        "scenarios/stockholm-attack.toml",
        "--lever",
        OPTIMISE_LEVERS[0],
        "--lever",
        OPTIMISE_LEVERS[1],
        "--require",
        "crisis-support=0.9",
        "--require",
        "regional-conference=0.9",
        "--jobs",
        "2",
        "--out",
        "target/perf/optimise",
        "--force",
        "--quiet",
    ];
    let cmd = cmd.iter().map(|s| s.to_string()).collect();
    list.push(Measurement {
        name: "optimise/stockholm-2-levers-12-candidates".into(),
        cmd,
        external: true,
        repeats: 3,
    });
}

/// The levers of the optimisation measurement: 4 × 3 = 12 candidates.
const OPTIMISE_LEVERS: [&str; 2] =
    ["conference.regional.activated.every=1h,2h,3h,4h", "organisation.lst.unit.tib.activated_handlers=4,6,8"];

/// W-core (issue 20), in turn in each round: the engine's batch path per run (20 runs a
/// child), the hand-written loop (the same 20 seeds) and the SimPy model (3 runs a child,
/// when `python3` imports `simpy`; otherwise a row saying it was skipped).
fn wcore_group() -> Vec<Measurement> {
    let mut group = vec![
        child("wcore/engine-batch-path".into(), 5, &["wcore-engine", "20"]),
        child("wcore/hand-loop".into(), 5, &["wcore-loop", "20"]),
    ];
    let python = Command::new("python3").args(["-c", "import simpy"]).output();
    if python.is_ok_and(|o| o.status.success()) {
        let cmd = ["python3", "benches/peers/wcore.py", "--runs", "3", "--result"];
        let cmd = cmd.iter().map(|s| s.to_string()).collect();
        group.push(Measurement { name: "wcore/simpy".into(), cmd, external: true, repeats: 5 });
    } else {
        println!("wcore/simpy skipped: python3 cannot import simpy (pip install simpy)");
    }
    group
}

/// Whether a measurement is the engine's side of its group (the others are its baselines).
fn is_engine(name: &str) -> bool {
    name.ends_with("-engine") || name.ends_with("/engine-batch-path")
}

/// One finished (or stopped) child: wall time, peak resident memory, its `RESULT` fields.
struct Sample {
    wall_ms: f64,
    peak_kib: u64,
    fields: BTreeMap<String, String>,
    /// Why it did not finish (timed out, failed), if it did not.
    problem: Option<String>,
}

fn command(m: &Measurement) -> Result<Command, String> {
    if m.external {
        let mut c = Command::new(&m.cmd[0]);
        c.args(&m.cmd[1..]);
        return Ok(c);
    }
    let mut c = Command::new(std::env::current_exe().map_err(|e| e.to_string())?);
    c.arg("--child").args(&m.cmd);
    Ok(c)
}

/// Waits for `pid`, killing it after `timeout`; returns (exit status, resource usage, timed out).
fn wait(proc: &mut std::process::Child, timeout: Duration, started: Instant) -> (i32, libc::rusage, bool) {
    let pid = proc.id() as libc::pid_t;
    loop {
        let mut status = 0;
        // SAFETY: an all-zero rusage is valid; wait4 on our own child with valid pointers.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            return (status, usage, false);
        }
        if started.elapsed() > timeout {
            let _ = proc.kill();
            let _ = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            return (status, usage, true);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn spawn(m: &Measurement, timeout: Duration) -> Result<Sample, String> {
    let started = Instant::now();
    let mut proc = command(m)?.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(|e| e.to_string())?;
    let stdout = proc.stdout.take().expect("piped");
    let stderr = proc.stderr.take().expect("piped");
    let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let (status, usage, timed_out) = wait(&mut proc, timeout, started);
    let wall_ms = started.elapsed().as_secs_f64() * 1e3;
    let (text, err) = (out.join().unwrap_or_default(), err.join().unwrap_or_default());
    let problem = if timed_out {
        Some(format!("timed out after {} s", timeout.as_secs()))
    } else if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        Some(format!("failed: {}", err.lines().last().unwrap_or("no message")))
    } else {
        None
    };
    let fields = text
        .lines()
        .filter_map(|l| l.strip_prefix("RESULT "))
        .flat_map(|l| l.split_whitespace())
        .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect();
    Ok(Sample { wall_ms, peak_kib: usage.ru_maxrss as u64, fields, problem })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

const COLUMNS: &[&str] =
    &["load_ms", "sim_ms", "total_ms", "events", "messages", "learnings", "events_per_s", "units", "runs"];

/// The median of every numeric field over the samples, plus wall time and peak memory.
fn summarise(samples: &[Sample]) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    out.insert("wall_ms".to_string(), median(samples.iter().map(|s| s.wall_ms).collect()));
    out.insert("wall_ms_min".to_string(), samples.iter().map(|s| s.wall_ms).fold(f64::INFINITY, f64::min));
    out.insert("peak_mib".to_string(), median(samples.iter().map(|s| s.peak_kib as f64 / 1024.0).collect()));
    for c in COLUMNS {
        let v: Vec<f64> = samples.iter().filter_map(|s| s.fields.get(*c)?.parse().ok()).collect();
        if !v.is_empty() {
            out.insert(c.to_string(), median(v));
        }
        let min: Vec<f64> = samples.iter().filter_map(|s| s.fields.get(*c)?.parse().ok()).collect();
        if *c == "sim_ms" && !min.is_empty() {
            out.insert("sim_ms_min".into(), min.into_iter().fold(f64::INFINITY, f64::min));
        }
    }
    out
}

const HEADER: &[&str] = &[
    "measurement",
    "repeats",
    "wall_ms",
    "wall_ms_min",
    "load_ms",
    "sim_ms",
    "sim_ms_min",
    "total_ms",
    "events",
    "messages",
    "learnings",
    "events_per_s",
    "peak_mib",
    "units",
    "runs",
    "note",
];

fn row(name: &str, repeats: usize, values: &BTreeMap<String, f64>, note: &str) -> Vec<String> {
    let mut r = vec![name.to_string(), repeats.to_string()];
    for h in &HEADER[2..HEADER.len() - 1] {
        r.push(
            values
                .get(*h)
                .map(|v| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.2}") })
                .unwrap_or_default(),
        );
    }
    r.push(note.to_string());
    r
}

/// The children of one measurement so far, and why it stopped early, if it did.
#[derive(Default)]
struct Taken {
    samples: Vec<Sample>,
    note: String,
    stopped: bool,
}

impl Taken {
    fn take(&mut self, m: &Measurement, timeout: Duration) {
        if self.stopped || self.samples.len() >= m.repeats {
            return;
        }
        match spawn(m, timeout) {
            Ok(x) => {
                // A child that stopped keeps what it reported (load time, peak memory so far).
                if let Some(p) = &x.problem {
                    (self.note, self.stopped) = (p.clone(), true);
                }
                self.samples.push(x);
            }
            Err(e) => (self.note, self.stopped) = (e, true),
        }
    }
}

/// The engine's time over a baseline's, median of the rounds' ratios (each round ran one
/// child of each, one after the other), noted on the baseline's row.
fn ratio_note(engine: &Taken, baseline: &Taken) -> String {
    let sim = |s: &Sample| s.fields.get("sim_ms").and_then(|v| v.parse::<f64>().ok());
    let ratios: Vec<f64> =
        engine.samples.iter().zip(&baseline.samples).filter_map(|(e, b)| Some(sim(e)? / sim(b)?)).collect();
    if ratios.is_empty() {
        return String::new();
    }
    let r = median(ratios);
    if r < 1.0 {
        format!("engine / this {r:.4}; this / engine {:.1}", 1.0 / r)
    } else {
        format!("engine / this {r:.2}")
    }
}

pub fn main(args: &[String]) {
    let s = settings(args);
    let groups = measurements(&s);
    if let Some(dir) = s.out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let mut csv = std::fs::File::create(&s.out).expect("results file");
    let _ = writeln!(csv, "{}", HEADER.join(","));
    println!("{}", HEADER.join(" | "));
    for group in &groups {
        let mut taken: Vec<Taken> = group.iter().map(|_| Taken::default()).collect();
        for _ in 0..group.iter().map(|m| m.repeats).max().unwrap_or(0) {
            group.iter().zip(&mut taken).for_each(|(m, t)| t.take(m, s.timeout));
        }
        // A baseline's row notes the engine's time over its own, if the engine ran with it.
        if let Some(e) = group.iter().position(|m| is_engine(&m.name)) {
            let engine = std::mem::take(&mut taken[e]);
            for (m, b) in group.iter().zip(&mut taken) {
                if !is_engine(&m.name) && b.note.is_empty() {
                    b.note = ratio_note(&engine, b);
                }
            }
            taken[e] = engine;
        }
        for (m, t) in group.iter().zip(&taken) {
            let values = if t.samples.is_empty() { BTreeMap::new() } else { summarise(&t.samples) };
            let r = row(&m.name, t.samples.len(), &values, &t.note);
            println!("{}", r.join(" | "));
            let _ = writeln!(csv, "{}", r.join(","));
        }
        let _ = csv.flush();
    }
    println!("written to {}", Path::new(&s.out).display());
}
