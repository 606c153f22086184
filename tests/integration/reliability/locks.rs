//! A batch folder is locked while in use (batch, --resume, merge, report, run): a second
//! process is refused with exit 2 and told who holds the folder; the kernel lets go of
//! the lock when the holder dies, however it dies; a kill during the very first write
//! leaves a folder that `--resume` (and the shipped Slurm script) simply starts.

use super::common::Scratch;
use super::support::*;
use std::fs::{self, File};
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SMALL: &str = "tests/scenarios/batch-small.toml";
const STOCK: &str = "scenarios/stockholm-attack.toml";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Holds the lock of `dir` as another samverkan process would, until dropped.
fn hold(dir: &Path) -> File {
    fs::create_dir_all(dir).unwrap();
    let mut f =
        File::options().read(true).write(true).create(true).truncate(true).open(dir.join(".samverkan.lock")).unwrap();
    f.lock().unwrap();
    f.write_all(b"process 4242 on testhost: samverkan batch held-by-the-test\n").unwrap();
    f
}

fn assert_locked(o: &std::process::Output) {
    assert_eq!(code(o), 2, "{}", stderr(o));
    let e = stderr(o);
    assert!(e.contains("is in use by process 4242 on testhost"), "{e}");
}

fn small_batch(out: &Path, extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> =
        ["batch", SMALL, "--runs", "6", "--variants", "base,fast-strat", "--quiet", "--jobs", "1", "--out", s(out)]
            .iter()
            .map(|x| x.to_string())
            .collect();
    a.extend(extra.iter().map(|x| x.to_string()));
    a
}

fn spawn(args: &[String], env: &[(&str, &str)]) -> Child {
    let mut c = Command::new(BIN);
    c.current_dir(env!("CARGO_MANIFEST_DIR")).args(args).stdout(Stdio::null()).stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    c.spawn().unwrap()
}

/// Waits until `path` exists (the child got that far), at most 60 s.
fn wait_for(path: &Path) {
    let t = Instant::now();
    while !path.exists() {
        assert!(t.elapsed() < Duration::from_secs(60), "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn tables(dir: &Path) -> Vec<Vec<u8>> {
    ["runs.csv", "stats.csv", "objectives.csv", "compare.csv"].iter().map(|f| fs::read(dir.join(f)).unwrap()).collect()
}

#[test]
fn a_held_folder_refuses_batch_resume_report_run_and_merge() {
    let t = Scratch::new("lock-held");
    let out = t.0.join("batch");
    assert_eq!(code(&samverkan(&small_batch(&out, &[]))), 0);
    let before = tables(&out);
    let lock = hold(&out);
    assert_locked(&samverkan(&small_batch(&out, &["--resume"])));
    assert_locked(&samverkan(&small_batch(&out, &["--force"])));
    assert_locked(&samverkan(&["report", s(&out), "--quiet"]));
    assert_locked(&samverkan(&["run", SMALL, "--quiet", "--force", "--out", s(&out)]));
    let merged = t.0.join("merged");
    assert_locked(&samverkan(&["merge", s(&out), "--out", s(&merged), "--quiet"]));
    drop(lock);
    assert_eq!(tables(&out), before, "a refused command changed the folder");
    assert_eq!(code(&samverkan(&["report", s(&out), "--quiet"])), 0, "free again once the holder lets go");
}

#[test]
fn merge_refuses_a_shard_that_is_still_being_written() {
    let t = Scratch::new("lock-merge-shard");
    let mut dirs = vec![];
    for k in 1..=2 {
        let d = t.0.join(format!("shard-{k}"));
        let shard = format!("{k}/2");
        assert_eq!(code(&samverkan(&small_batch(&d, &["--shard", &shard]))), 0);
        dirs.push(d);
    }
    let merged = t.0.join("merged");
    let lock = hold(&dirs[1]);
    assert_locked(&samverkan(&["merge", s(&dirs[0]), s(&dirs[1]), "--out", s(&merged), "--quiet"]));
    drop(lock);
    let o = samverkan(&["merge", s(&dirs[0]), s(&dirs[1]), "--out", s(&merged), "--quiet", "--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn two_resumes_at_once_do_not_both_run() {
    // What a Slurm requeue does while the old task still runs.
    let t = Scratch::new("lock-two-resumes");
    let out = t.0.join("batch");
    let args: Vec<String> = ["batch", STOCK, "--runs", "400", "--quiet", "--jobs", "1", "--out", s(&out)]
        .iter()
        .map(|x| x.to_string())
        .collect();
    let mut first = spawn(&args, &[]);
    wait_for(&out.join("runs.csv"));
    let second = samverkan(&[&args[..], &["--resume".to_string()]].concat());
    let first_done = first.wait().unwrap();
    assert_eq!(code(&second), 2, "{}", stderr(&second));
    assert!(stderr(&second).contains(&format!("process {}", first.id())), "names the holder: {}", stderr(&second));
    assert!(first_done.success());
    // the folder is whole: a later resume accepts it and changes nothing
    let before = tables(&out);
    let again = samverkan(&[&args[..], &["--resume".to_string()]].concat());
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(tables(&out), before);
}

#[test]
fn the_lock_goes_with_a_killed_process() {
    let t = Scratch::new("lock-killed");
    let out = t.0.join("batch");
    let args: Vec<String> = ["batch", STOCK, "--runs", "400", "--quiet", "--jobs", "1", "--out", s(&out)]
        .iter()
        .map(|x| x.to_string())
        .collect();
    let mut child = spawn(&args, &[]);
    wait_for(&out.join("runs.csv"));
    child.kill().unwrap();
    child.wait().unwrap();
    let o = samverkan(&[&args[..], &["--resume".into()]].concat());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn a_kill_during_the_first_write_leaves_a_folder_resume_starts() {
    let t = Scratch::new("lock-first-write");
    let straight = t.0.join("straight");
    assert_eq!(code(&samverkan(&small_batch(&straight, &[]))), 0);
    for extra in [&["--resume"][..], &[][..]] {
        let out = t.0.join(format!("killed{}", extra.len()));
        let mut c = spawn(&small_batch(&out, &[]), &[("SAMVERKAN_FAULT", "before-rename:manifest.json")]);
        let status = c.wait().unwrap();
        assert!(!status.success(), "the fault point stopped it");
        let left = listing(&out);
        assert!(!left.contains(&"manifest.json".to_string()), "{left:?}");
        assert!(left.iter().any(|f| f.starts_with(".manifest.json.tmp-")), "only the temporary manifest: {left:?}");
        let o = samverkan(&small_batch(&out, extra));
        assert_eq!(code(&o), 0, "{extra:?}: {}", stderr(&o));
        assert_eq!(tables(&out), tables(&straight), "{extra:?}");
        assert!(!listing(&out).iter().any(|f| f.contains(".tmp-")), "the temporary file was cleared");
    }
}

#[test]
fn kills_at_named_points_then_resume_give_the_same_bytes() {
    let t = Scratch::new("lock-kill-points");
    let straight = t.0.join("straight");
    assert_eq!(code(&samverkan(&small_batch(&straight, &[]))), 0);
    for point in ["before-rename:runs.csv", "before-rename:stats.csv", "before-rename:compare.csv"] {
        let out = t.0.join(point.replace([':', '.'], "-"));
        let mut c = spawn(&small_batch(&out, &[]), &[("SAMVERKAN_FAULT", point)]);
        assert!(!c.wait().unwrap().success(), "{point}");
        let o = samverkan(&small_batch(&out, &["--resume"]));
        assert_eq!(code(&o), 0, "{point}: {}", stderr(&o));
        assert_eq!(tables(&out), tables(&straight), "{point}");
    }
}

#[test]
fn the_slurm_task_recovers_a_folder_killed_during_its_first_write() {
    let t = Scratch::new("lock-slurm");
    let out = t.0.join("cluster");
    let dir = out.join("shard-1-of-2");
    fs::create_dir_all(&out).unwrap();
    let kill = spawn(&small_batch(&dir, &["--shard", "1/2"]), &[("SAMVERKAN_FAULT", "before-rename:manifest.json")])
        .wait()
        .unwrap();
    assert!(!kill.success());
    let script = repo("scripts/slurm/batch.sbatch");
    let o = Command::new("bash")
        .args([s(&script), "--task", "shard", "2", SMALL, s(&out), "--runs", "6"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SAMVERKAN", BIN)
        .env("SLURM_JOB_ID", "1")
        .env("SLURM_ARRAY_TASK_ID", "0")
        .env("SLURM_ARRAY_TASK_MIN", "0")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let m = fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(m.contains("\"status\": \"finished\""), "{m}");
}

#[test]
fn report_and_run_are_refused_while_a_batch_writes_the_folder() {
    let t = Scratch::new("lock-report-during-batch");
    let out = t.0.join("batch");
    let args: Vec<String> = ["batch", STOCK, "--runs", "300", "--quiet", "--jobs", "1", "--out", s(&out)]
        .iter()
        .map(|x| x.to_string())
        .collect();
    let mut batch = spawn(&args, &[]);
    wait_for(&out.join("runs.csv"));
    let report = samverkan(&["report", s(&out), "--quiet"]);
    let run = samverkan(&["run", SMALL, "--quiet", "--force", "--out", s(&out)]);
    assert!(batch.wait().unwrap().success());
    for o in [&report, &run] {
        assert_eq!(code(o), 2, "{}", stderr(o));
        assert!(stderr(o).contains(&format!("is in use by process {}", batch.id())), "{}", stderr(o));
    }
    assert!(!out.join("facts.csv").exists(), "the refused run wrote nothing");
}

#[test]
fn merge_reads_shard_folders_without_writing_to_them() {
    let t = Scratch::new("lock-merge-reads");
    let mut dirs = vec![];
    for k in 1..=2 {
        let d = t.0.join(format!("shard-{k}"));
        let shard = format!("{k}/2");
        assert_eq!(code(&samverkan(&small_batch(&d, &["--shard", &shard]))), 0);
        fs::remove_file(d.join(".samverkan.lock")).unwrap();
        dirs.push(d);
    }
    let before: Vec<_> = dirs.iter().map(|d| listing(d)).collect();
    let merged = t.0.join("merged");
    let o = samverkan(&["merge", s(&dirs[0]), s(&dirs[1]), "--out", s(&merged), "--quiet"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let after: Vec<_> = dirs.iter().map(|d| listing(d)).collect();
    assert_eq!(before, after, "a read lock creates nothing in the folders it reads");
    let missing = t.0.join("no-such-shard");
    let o = samverkan(&["merge", s(&dirs[0]), s(&missing), "--out", s(&t.0.join("m2")), "--quiet"]);
    assert_eq!(code(&o), 2, "a missing shard folder is bad input: {}", stderr(&o));
}

#[test]
fn a_writer_refused_by_a_reader_is_told_it_is_being_read() {
    let t = Scratch::new("lock-reader");
    let out = t.0.join("batch");
    assert_eq!(code(&samverkan(&small_batch(&out, &[]))), 0);
    let reader = File::open(out.join(".samverkan.lock")).unwrap();
    reader.lock_shared().unwrap();
    let o = samverkan(&["report", s(&out), "--quiet"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("in use by another samverkan process reading it"), "{}", stderr(&o));
}
