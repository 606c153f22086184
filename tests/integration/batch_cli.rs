//! `samverkan batch` and `samverkan merge` as a user runs them: a batch killed midway
//! and resumed (no run missing, none twice, the same files as an uninterrupted batch),
//! exit codes, refusals, and help with examples.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_samverkan");
const STOCK: &str = "scenarios/stockholm-attack.toml";
const SMALL: &str = "tests/scenarios/batch-small.toml";
const TABLES: [&str; 4] = ["runs.csv", "stats.csv", "objectives.csv", "compare.csv"];

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn samverkan<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(BIN).args(args).output().expect("the binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn read(d: &Path, f: &str) -> String {
    std::fs::read_to_string(d.join(f)).unwrap_or_else(|e| panic!("{}: {e}", d.join(f).display()))
}

/// Rows of runs.csv as (point, variant, replication) keys.
fn keys(d: &Path) -> Vec<(String, String, String)> {
    read(d, "runs.csv")
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, ',').collect();
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect()
}

#[test]
fn a_batch_killed_midway_resumes_without_losing_or_repeating_a_run() {
    let (killed, whole) = (dir("killed"), dir("whole"));
    let args = |out: &Path, jobs: &'static str| {
        vec![
            "batch".to_string(),
            STOCK.into(),
            "--runs".into(),
            "40".into(),
            "--jobs".into(),
            jobs.into(),
            "--quiet".into(),
            "--out".into(),
            out.display().to_string(),
        ]
    };
    let mut child = Command::new(BIN).args(args(&killed, "1")).spawn().unwrap();
    let started = Instant::now();
    loop {
        let rows = std::fs::read_to_string(killed.join("runs.csv")).map(|t| t.lines().count()).unwrap_or(0);
        if rows > 12 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(600), "no rows after 10 minutes");
        assert!(child.try_wait().unwrap().is_none(), "the batch ended before it could be killed");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let cut = keys(&killed);
    assert!(cut.len() >= 12 && cut.len() < 240, "{} rows after the kill", cut.len());
    assert!(read(&killed, "manifest.json").contains("\"status\": \"running\""));
    assert!(!killed.join("stats.csv").exists());
    // a crash in the middle of writing a row leaves a line cut short: it is dropped
    let mut text = read(&killed, "runs.csv");
    text.push_str("0,weekend-night,39,123");
    std::fs::write(killed.join("runs.csv"), text).unwrap();

    let mut resume = args(&killed, "2");
    resume.push("--resume".into());
    let again = samverkan(&resume);
    assert_eq!(code(&again), 0, "{}", String::from_utf8_lossy(&again.stderr));
    let done = keys(&killed);
    assert_eq!(done.len(), 240, "6 variants × 40 replications");
    let mut unique = done.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 240, "no run twice");
    for k in &cut {
        assert!(done.contains(k), "{k:?} was recorded before the kill and is still there");
    }
    let straight = samverkan(&args(&whole, "2"));
    assert_eq!(code(&straight), 0);
    for f in TABLES {
        assert!(read(&killed, f) == read(&whole, f), "{f} differs after the resume");
    }
    // resuming a finished batch runs nothing and changes nothing
    let before = read(&killed, "stats.csv");
    let o = samverkan(&resume);
    assert_eq!(code(&o), 0);
    assert_eq!(read(&killed, "stats.csv"), before);
}

#[test]
fn exit_code_three_when_some_runs_failed() {
    let out = dir("exit3");
    let o = samverkan(&["batch", SMALL, "--runs", "3", "--out", out.to_str().unwrap()]);
    assert_eq!(code(&o), 3, "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("3 of 9 runs failed") && err.contains("--variant fragile"), "{err}");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("coord-fast") && stdout.contains("3 failed"), "{stdout}");
    let ok = samverkan(&[
        "batch",
        SMALL,
        "--runs",
        "3",
        "--variants",
        "fast-strat",
        "--out",
        dir("exit0").to_str().unwrap(),
    ]);
    assert_eq!(code(&ok), 0, "{}", String::from_utf8_lossy(&ok.stderr));
}

#[test]
fn bad_input_is_refused_with_exit_code_two_and_nothing_written() {
    let out = dir("refused");
    let o = samverkan(&["batch", STOCK, "--sweep", "conference.regional.every=1h,2h", "--out", out.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("conference.regional.every") && err.contains("nothing was run"), "{err}");
    assert!(!out.exists(), "nothing written");
    for bad in [vec!["--shard", "5/4"], vec!["--jobs", "0"], vec!["--runs", "0"], vec!["--variants", "nope"]] {
        let o = samverkan(&[&["batch", STOCK, "--out", out.to_str().unwrap()], &bad[..]].concat());
        assert_eq!(code(&o), 2, "{bad:?}");
        assert!(!out.exists(), "{bad:?}");
    }
    // a folder that holds a batch is not clobbered
    let small = dir("twice");
    let args = ["batch", SMALL, "--runs", "2", "--variants", "base", "--quiet", "--out", small.to_str().unwrap()];
    assert_eq!(code(&samverkan(&args)), 0);
    let o = samverkan(&args);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--resume"));
    assert_eq!(code(&samverkan(&[&args[..], &["--force"]].concat())), 0);
    // resuming with other arguments is refused
    let o =
        samverkan(&["batch", SMALL, "--runs", "3", "--variants", "base", "--resume", "--out", small.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds another batch"));
}

#[test]
fn shards_merged_on_the_command_line_equal_one_batch() {
    let whole = dir("cli-whole");
    let o = samverkan(&["batch", SMALL, "--runs", "5", "--quiet", "--out", whole.to_str().unwrap()]);
    assert_eq!(code(&o), 3);
    let mut parts = vec![];
    for k in 1..=2 {
        let d = dir(&format!("cli-shard-{k}"));
        let shard = format!("{k}/2");
        let o = samverkan(&["batch", SMALL, "--runs", "5", "--quiet", "--shard", &shard, "--out", d.to_str().unwrap()]);
        assert_eq!(code(&o), 3);
        parts.push(d.display().to_string());
    }
    let merged = dir("cli-merged");
    let o = samverkan(&["merge", &parts[0], &parts[1], "--out", merged.to_str().unwrap()]);
    assert_eq!(code(&o), 3, "the merged batch has failed runs: {}", String::from_utf8_lossy(&o.stderr));
    for f in TABLES {
        assert!(read(&whole, f) == read(&merged, f), "{f}");
    }
    assert!(read(&merged, "scenario.toml") == std::fs::read_to_string(SMALL).unwrap(), "the merged copy");
    let last = String::from_utf8_lossy(&o.stdout).lines().last().unwrap_or_default().to_string();
    assert!(last.ends_with(&merged.join("report.html").display().to_string()), "last line: {last}");
    let o = samverkan(&["merge", &parts[0], "--out", dir("cli-half").to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("shard 2/2 missing"));
    // A shard whose copy of the scenario was edited is refused.
    let copy = PathBuf::from(&parts[1]).join("scenario.toml");
    std::fs::write(&copy, read(Path::new(&parts[1]), "scenario.toml") + "\n").unwrap();
    let o = samverkan(&["merge", &parts[0], &parts[1], "--out", dir("cli-tampered").to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("edited after the batch ran"));
}

#[test]
fn the_last_line_of_a_batch_names_its_report_and_the_folder_keeps_its_scenario() {
    let d = dir("last-line");
    let o = samverkan(&["batch", STOCK, "--runs", "2", "--variants", "conference-2h", "--out", d.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    assert_eq!(last, format!("  report: {}", d.join("report.html").display()));
    assert!(d.join("report.html").is_file());
    assert!(read(&d, "scenario.toml") == std::fs::read_to_string(STOCK).unwrap());
    // Resuming the finished batch rewrites the copy with the same bytes.
    std::fs::remove_file(d.join("scenario.toml")).unwrap();
    let o = samverkan(&[
        "batch",
        STOCK,
        "--runs",
        "2",
        "--variants",
        "conference-2h",
        "--quiet",
        "--resume",
        "--out",
        d.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(read(&d, "scenario.toml") == std::fs::read_to_string(STOCK).unwrap());
}

#[test]
fn help_shows_examples() {
    for cmd in ["batch", "merge"] {
        let o = samverkan(&[cmd, "--help"]);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("Example") && text.contains(&format!("samverkan {cmd} ")), "{text}");
    }
}

/// `--jobs` defaults to the CPUs the process may use, not the machine's count.
#[test]
fn default_threads_follow_the_affinity_mask_and_slurm() {
    let jobs = |out: &Path| {
        let m = read(out, "manifest.json");
        let line = m.lines().find(|l| l.trim_start().starts_with("\"jobs\"")).unwrap().to_string();
        line.trim().trim_start_matches("\"jobs\": ").trim_end_matches(',').parse::<usize>().unwrap()
    };
    let args = |out: &Path| {
        vec![
            "batch".to_string(),
            SMALL.into(),
            "--runs".into(),
            "2".into(),
            "-q".into(),
            "--out".into(),
            out.display().to_string(),
        ]
    };
    let all = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let plain = dir("cpus-plain");
    Command::new(BIN).args(args(&plain)).env_remove("SLURM_CPUS_PER_TASK").output().unwrap();
    assert_eq!(jobs(&plain), all);
    let slurm = dir("cpus-slurm");
    Command::new(BIN).args(args(&slurm)).env("SLURM_CPUS_PER_TASK", "1").output().unwrap();
    assert_eq!(jobs(&slurm), 1);
    // one CPU in the affinity mask (where taskset exists)
    let pinned = dir("cpus-pinned");
    let taskset = Command::new("taskset")
        .arg("-c")
        .arg("0")
        .arg(BIN)
        .args(args(&pinned))
        .env_remove("SLURM_CPUS_PER_TASK")
        .output();
    if taskset.is_ok_and(|o| o.status.code() == Some(3)) {
        assert_eq!(jobs(&pinned), 1);
    }
}
