//! One meaning per exit code (0 done, 1 results could not be written or a run failed,
//! 2 bad input or a folder in use, 3 a batch finished with failed runs, 130 stopped by
//! a signal), and messages a user can act on: output failures of every kind, the
//! file-size limit, a full disk, Ctrl-C and SIGTERM on a batch, a changed scenario.

use super::common::Scratch;
use super::support::*;
use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHAIN: &str = "tests/scenarios/chain.toml";
const SMALL: &str = "tests/scenarios/batch-small.toml";
const STOCK: &str = "scenarios/stockholm-attack.toml";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn assert_no_temporaries(dir: &Path) {
    let left = listing(dir);
    assert!(!left.iter().any(|f| f.contains(".tmp-")), "temporary files left: {left:?}");
}

/// A tmpfs mounted for one test (root only), unmounted when dropped; `None` where this
/// process may not mount (the test then says so and checks nothing).
struct Mount(PathBuf);

impl Mount {
    fn new(at: &Path, options: &str) -> Option<Mount> {
        fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount").args(["-t", "tmpfs", "-o", options, "tmpfs", s(at)]).status();
        if ok.map(|s| s.success()).unwrap_or(false) {
            Some(Mount(at.to_path_buf()))
        } else {
            eprintln!("cannot mount a tmpfs here (not root?): skipped");
            None
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn an_output_folder_that_cannot_be_made_is_exit_one_for_run_and_batch() {
    let t = Scratch::new("exit-not-a-folder");
    let file = t.0.join("a-file");
    fs::write(&file, "x").unwrap();
    let out = file.join("sub");
    let o = samverkan(&["run", CHAIN, "--quiet", "--out", s(&out)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("a-file"), "{}", stderr(&o));
    let o = samverkan(&["batch", SMALL, "--runs", "2", "--quiet", "--out", s(&out)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let o = samverkan(&["run", CHAIN, "--quiet", "--out", s(&file)]);
    assert_eq!(code(&o), 1, "a file where the folder should be: {}", stderr(&o));
}

#[test]
fn a_read_only_folder_is_exit_one_whether_new_or_existing() {
    let t = Scratch::new("exit-read-only");
    let Some(ro) = Mount::new(&t.0.join("ro"), "ro,size=1m") else { return };
    for out in [ro.0.clone(), ro.0.join("new")] {
        let o = samverkan(&["run", CHAIN, "--quiet", "--out", s(&out)]);
        assert_eq!(code(&o), 1, "{}: {}", out.display(), stderr(&o));
        assert!(stderr(&o).contains("Read-only file system"), "{}", stderr(&o));
    }
}

#[test]
fn a_full_disk_is_exit_one_with_nothing_half_written() {
    let t = Scratch::new("exit-full-disk");
    let Some(disk) = Mount::new(&t.0.join("disk"), "size=48k") else { return };
    let out = disk.0.join("run");
    let o = samverkan(&["run", STOCK, "--quiet", "--out", s(&out)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("the disk is full"), "{}", stderr(&o));
    assert_no_temporaries(&out);
    assert!(!out.join("summary.json").exists(), "no summary: the run's files are not complete");
}

#[test]
fn the_file_size_limit_is_exit_one_with_a_message_not_a_silent_death() {
    let t = Scratch::new("exit-fsize");
    let out = t.0.join("run");
    let mut c = Command::new(BIN);
    c.current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", STOCK, "--quiet", "--out", s(&out)]);
    // SAFETY: setrlimit only changes the child's own limit before exec.
    unsafe {
        c.pre_exec(|| {
            let lim = libc::rlimit { rlim_cur: 16 * 1024, rlim_max: 16 * 1024 };
            libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
            Ok(())
        });
    }
    let o = c.output().unwrap();
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("file-size limit"), "{}", stderr(&o));
    assert_no_temporaries(&out);
    for f in listing(&out) {
        let len = fs::metadata(out.join(&f)).unwrap().len();
        assert!(len <= 16 * 1024, "{f} is {len} bytes");
    }
}

fn stock_batch(out: &Path) -> Vec<String> {
    ["batch", STOCK, "--runs", "300", "--jobs", "1", "--quiet", "--out", s(out)].iter().map(|x| x.to_string()).collect()
}

fn tables(dir: &Path) -> Vec<Vec<u8>> {
    ["runs.csv", "stats.csv", "objectives.csv", "compare.csv"].iter().map(|f| fs::read(dir.join(f)).unwrap()).collect()
}

/// Starts the stock batch, sends `signal` once it has recorded some runs, and returns
/// its output.
fn signalled(out: &Path, signal: i32) -> std::process::Output {
    let child = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(stock_batch(out))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let runs = out.join("runs.csv");
    let t = Instant::now();
    while fs::read(&runs).map(|b| b.iter().filter(|c| **c == b'\n').count()).unwrap_or(0) < 20 {
        assert!(t.elapsed() < Duration::from_secs(60), "the batch never got going");
        std::thread::sleep(Duration::from_millis(2));
    }
    // SAFETY: kill sends a signal to the child we started.
    unsafe {
        libc::kill(child.id() as i32, signal);
    }
    child.wait_with_output().unwrap()
}

#[test]
fn ctrl_c_and_sigterm_stop_a_batch_cleanly_and_say_how_to_continue() {
    let t = Scratch::new("exit-signals");
    let straight = t.0.join("straight");
    assert_eq!(code(&samverkan(&stock_batch(&straight))), 0);
    for (name, sig) in [("int", libc::SIGINT), ("term", libc::SIGTERM)] {
        let out = t.0.join(name);
        let o = signalled(&out, sig);
        let e = stderr(&o);
        assert_eq!(code(&o), 130, "{name}: {e}");
        let counts = e.split("interrupted: ").nth(1).and_then(|r| r.split(" runs are recorded").next()).unwrap_or("");
        let (recorded, total) = counts.split_once(" of ").expect(&e);
        let (recorded, total): (u64, u64) = (recorded.parse().unwrap(), total.parse().unwrap());
        assert!(20 <= recorded && recorded < total && total == 1800, "{e}");
        assert!(e.contains("--resume"), "{e}");
        let m = fs::read_to_string(out.join("manifest.json")).unwrap();
        assert!(m.contains("\"status\": \"interrupted\""), "{m}");
        assert!(!out.join("stats.csv").exists(), "no tables from an unfinished batch");
        assert_no_temporaries(&out);
        let resumed = samverkan(&[&stock_batch(&out)[..], &["--resume".to_string()]].concat());
        assert_eq!(code(&resumed), 0, "{}", stderr(&resumed));
        assert_eq!(tables(&out), tables(&straight), "{name}: resumed equals straight");
    }
}

#[test]
fn a_resume_refused_for_a_changed_scenario_says_so() {
    let t = Scratch::new("exit-changed");
    let scenario = t.0.join("s.toml");
    fs::copy(repo(SMALL), &scenario).unwrap();
    let out = t.0.join("batch");
    let args = ["batch", s(&scenario), "--runs", "2", "--variants", "base", "--quiet", "--out", s(&out)];
    assert_eq!(code(&samverkan(&args)), 0);
    let text = fs::read_to_string(&scenario).unwrap().replace("seed = 7", "seed = 7\n# edited");
    fs::write(&scenario, text).unwrap();
    let o = samverkan(&[&args[..], &["--resume"]].concat());
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("has changed since this batch was started"), "{}", stderr(&o));
}

#[test]
fn a_folder_holding_results_is_exit_two_and_untouched() {
    let t = Scratch::new("exit-exists");
    let out = t.0.join("run");
    assert_eq!(code(&samverkan(&["run", CHAIN, "--quiet", "--out", s(&out)])), 0);
    let before = fs::read(out.join("facts.csv")).unwrap();
    let o = samverkan(&["run", CHAIN, "--quiet", "--seed", "99", "--out", s(&out)]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(fs::read(out.join("facts.csv")).unwrap(), before);
}

#[test]
fn batch_merge_and_report_into_a_read_only_folder_are_exit_one() {
    let t = Scratch::new("exit-read-only-batch");
    let run = t.0.join("run");
    assert_eq!(code(&samverkan(&["run", CHAIN, "--quiet", "--out", s(&run)])), 0);
    let Some(ro) = Mount::new(&t.0.join("ro"), "ro,size=1m") else { return };
    let o = samverkan(&["batch", SMALL, "--runs", "2", "--variants", "base", "--quiet", "--out", s(&ro.0.join("b"))]);
    assert_eq!(code(&o), 1, "batch: {}", stderr(&o));
    let o = samverkan(&["merge", s(&run), "--out", s(&ro.0.join("m")), "--quiet"]);
    assert_eq!(code(&o), 1, "merge: {}", stderr(&o));
    // a results folder remounted read-only: report cannot lock or draw there
    let frozen = t.0.join("frozen");
    fs::create_dir_all(&frozen).unwrap();
    let bind = Command::new("mount").args(["--bind", "-o", "ro", s(&run), s(&frozen)]).status().unwrap();
    assert!(bind.success());
    let o = samverkan(&["report", s(&frozen), "--quiet"]);
    let _ = Command::new("umount").arg(&frozen).status();
    assert_eq!(code(&o), 1, "report: {}", stderr(&o));
    assert!(stderr(&o).contains("Read-only file system"), "{}", stderr(&o));
}

#[test]
fn report_on_an_unfinished_batch_or_a_stopped_run_says_what_to_do() {
    let t = Scratch::new("exit-report-unfinished");
    let out = t.0.join("batch");
    let o = signalled(&out, libc::SIGINT);
    assert_eq!(code(&o), 130, "{}", stderr(&o));
    let o = samverkan(&["report", s(&out), "--quiet"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("its batch is interrupted, not finished") && stderr(&o).contains("--resume"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("charts").exists() && !out.join("report.html").exists());
    let run = t.0.join("run");
    fs::create_dir_all(&run).unwrap();
    fs::write(run.join("stopped.json"), "{}").unwrap();
    let o = samverkan(&["report", s(&run), "--quiet"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("stopped by a guard"), "{}", stderr(&o));
}
