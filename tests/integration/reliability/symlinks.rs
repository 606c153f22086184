//! Nothing is ever written outside the output folder: a link planted inside an output
//! folder (a subfolder, a result file, the journal, the lock, a temporary name) is
//! refused with exit 2 or replaced as a link; what it points to is never written.

use super::common::Scratch;
use super::support::*;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

pub const SMALL: &str = "tests/scenarios/batch-small.toml";
pub const CHAIN: &str = "tests/scenarios/chain.toml";

/// A folder outside the output folder with one file in it, to check it is untouched.
struct Outside {
    dir: PathBuf,
    file: PathBuf,
}

impl Outside {
    fn new(scratch: &Scratch) -> Outside {
        let dir = scratch.0.join("outside");
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("precious.txt");
        fs::write(&file, "keep me\n").unwrap();
        Outside { dir, file }
    }

    fn assert_untouched(&self) {
        assert_eq!(fs::read_to_string(&self.file).unwrap(), "keep me\n", "the file outside was written");
        assert_eq!(listing(&self.dir), vec!["precious.txt".to_string()], "files appeared outside");
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn run_into(out: &Path, extra: &[&str]) -> std::process::Output {
    samverkan(&[&["run", CHAIN, "--quiet", "--out", s(out)], extra].concat())
}

fn batch_into(out: &Path, extra: &[&str]) -> std::process::Output {
    let args = ["batch", SMALL, "--runs", "2", "--variants", "base", "--quiet", "--jobs", "1", "--out", s(out)];
    samverkan(&[&args[..], extra].concat())
}

fn assert_refused_link(o: &std::process::Output) {
    assert_eq!(code(o), 2, "{}", stderr(o));
    assert!(stderr(o).contains("symbolic link"), "{}", stderr(o));
}

#[test]
fn report_refuses_a_charts_link_in_a_run_folder() {
    let t = Scratch::new("link-report-charts");
    let outside = Outside::new(&t);
    let out = t.0.join("run");
    assert_eq!(code(&run_into(&out, &[])), 0);
    fs::remove_dir_all(out.join("charts")).unwrap();
    symlink(&outside.dir, out.join("charts")).unwrap();
    assert_refused_link(&samverkan(&["report", s(&out), "--quiet"]));
    outside.assert_untouched();
}

#[test]
fn run_with_force_refuses_a_charts_link() {
    let t = Scratch::new("link-run-charts");
    let outside = Outside::new(&t);
    let out = t.0.join("run");
    assert_eq!(code(&run_into(&out, &[])), 0);
    fs::remove_dir_all(out.join("charts")).unwrap();
    symlink(&outside.dir, out.join("charts")).unwrap();
    assert_refused_link(&run_into(&out, &["--force"]));
    outside.assert_untouched();
}

#[test]
fn a_linked_result_file_is_replaced_not_written_through() {
    let t = Scratch::new("link-run-file");
    let outside = Outside::new(&t);
    let out = t.0.join("run");
    assert_eq!(code(&run_into(&out, &[])), 0);
    for f in ["facts.csv", "summary.json", "report.html"] {
        fs::remove_file(out.join(f)).unwrap();
        symlink(&outside.file, out.join(f)).unwrap();
    }
    assert_eq!(code(&run_into(&out, &["--force"])), 0);
    outside.assert_untouched();
    for f in ["facts.csv", "summary.json", "report.html"] {
        let m = fs::symlink_metadata(out.join(f)).unwrap();
        assert!(m.file_type().is_file(), "{f} is a plain file again");
    }
}

#[test]
fn resume_refuses_a_runs_csv_link() {
    let t = Scratch::new("link-resume-runs");
    let outside = Outside::new(&t);
    let out = t.0.join("batch");
    assert_eq!(code(&batch_into(&out, &[])), 0);
    fs::copy(out.join("runs.csv"), &outside.file).unwrap();
    let before = fs::read(&outside.file).unwrap();
    fs::remove_file(out.join("runs.csv")).unwrap();
    symlink(&outside.file, out.join("runs.csv")).unwrap();
    let o = batch_into(&out, &["--resume"]);
    assert_refused_link(&o);
    assert_eq!(fs::read(&outside.file).unwrap(), before, "rows were appended through the link");
}

#[test]
fn a_fresh_batch_removes_a_planted_runs_csv_link() {
    let t = Scratch::new("link-force-runs");
    let outside = Outside::new(&t);
    let out = t.0.join("batch");
    fs::create_dir_all(&out).unwrap();
    symlink(&outside.file, out.join("runs.csv")).unwrap();
    let o = batch_into(&out, &["--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    outside.assert_untouched();
    assert!(fs::symlink_metadata(out.join("runs.csv")).unwrap().file_type().is_file());
}

#[test]
fn keep_runs_refuses_a_runs_folder_link() {
    let t = Scratch::new("link-keep-runs");
    let outside = Outside::new(&t);
    let out = t.0.join("batch");
    fs::create_dir_all(&out).unwrap();
    symlink(&outside.dir, out.join("runs")).unwrap();
    assert_refused_link(&batch_into(&out, &["--force", "--keep-runs"]));
    outside.assert_untouched();
}

#[test]
fn keep_runs_refuses_a_link_to_one_run_folder() {
    let t = Scratch::new("link-keep-one-run");
    let outside = Outside::new(&t);
    let out = t.0.join("batch");
    fs::create_dir_all(out.join("runs")).unwrap();
    symlink(&outside.dir, out.join("runs/0-base-0")).unwrap();
    let o = batch_into(&out, &["--force", "--keep-runs"]);
    assert_ne!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    outside.assert_untouched();
}

#[test]
fn a_planted_lock_link_is_refused() {
    let t = Scratch::new("link-lock");
    let outside = Outside::new(&t);
    let out = t.0.join("batch");
    fs::create_dir_all(&out).unwrap();
    symlink(&outside.file, out.join(".samverkan.lock")).unwrap();
    assert_refused_link(&batch_into(&out, &[]));
    outside.assert_untouched();
}

#[test]
fn a_linked_manifest_is_replaced_on_resume() {
    let t = Scratch::new("link-manifest");
    let outside = Outside::new(&t);
    let out = t.0.join("batch");
    assert_eq!(code(&batch_into(&out, &[])), 0);
    fs::copy(out.join("manifest.json"), &outside.file).unwrap();
    let before = fs::read(&outside.file).unwrap();
    fs::remove_file(out.join("manifest.json")).unwrap();
    symlink(&outside.file, out.join("manifest.json")).unwrap();
    let o = batch_into(&out, &["--resume"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(fs::read(&outside.file).unwrap(), before, "the manifest was written through the link");
    assert!(fs::symlink_metadata(out.join("manifest.json")).unwrap().file_type().is_file());
}

#[test]
fn merge_refuses_a_charts_link_in_its_output() {
    let t = Scratch::new("link-merge");
    let outside = Outside::new(&t);
    let mut shards = vec![];
    for k in 1..=2 {
        let d = t.0.join(format!("shard-{k}"));
        let shard = format!("{k}/2");
        assert_eq!(code(&batch_into(&d, &["--shard", &shard])), 0);
        shards.push(d);
    }
    let out = t.0.join("merged");
    fs::create_dir_all(&out).unwrap();
    symlink(&outside.dir, out.join("charts")).unwrap();
    let o = samverkan(&["merge", s(&shards[0]), s(&shards[1]), "--out", s(&out), "--quiet", "--force"]);
    assert_refused_link(&o);
    outside.assert_untouched();
}

#[test]
fn the_old_predictable_temporary_name_is_never_opened() {
    // Before: `.NAME.tmp-PID` was opened with create+truncate, so a link planted at
    // that name had its target overwritten and the result became a link to it.
    let t = Scratch::new("link-temp-name");
    let outside = Outside::new(&t);
    let path = t.0.join("summary.json");
    let planted = t.0.join(format!(".summary.json.tmp-{}", std::process::id()));
    symlink(&outside.file, &planted).unwrap();
    samverkan::output::write_atomic(&path, b"{}\n").unwrap();
    outside.assert_untouched();
    assert_eq!(fs::read(&path).unwrap(), b"{}\n");
    assert!(fs::symlink_metadata(&path).unwrap().file_type().is_file());
    assert!(fs::symlink_metadata(&planted).unwrap().file_type().is_symlink(), "the planted link is left alone");
}

#[test]
fn temporary_names_differ_between_writes_and_are_cleaned_up() {
    let t = Scratch::new("temp-names");
    let path = t.0.join("a.csv");
    for i in 0..20 {
        samverkan::output::write_atomic(&path, format!("{i}\n").as_bytes()).unwrap();
    }
    assert_eq!(listing(&t.0), vec!["a.csv".to_string()], "no temporary file is left behind");
    assert_eq!(fs::read_to_string(&path).unwrap(), "19\n");
}

#[test]
fn a_new_file_gets_the_usual_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let t = Scratch::new("temp-perms");
    let path = t.0.join("a.csv");
    samverkan::output::write_atomic(&path, b"x\n").unwrap();
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    // 0666 less this process's umask: readable by the group and others, as a file
    // written by any other program (a temporary file alone would be 0600).
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let umask = status.lines().find_map(|l| l.strip_prefix("Umask:")).unwrap().trim();
    let umask = u32::from_str_radix(umask, 8).unwrap();
    assert_eq!(mode, 0o666 & !umask, "mode {mode:o}");
}

#[test]
fn report_replaces_a_linked_chart_file() {
    let t = Scratch::new("link-chart-file");
    let outside = Outside::new(&t);
    let out = t.0.join("run");
    assert_eq!(code(&run_into(&out, &[])), 0);
    let chart = out.join("charts/timeline.png");
    fs::remove_file(&chart).unwrap();
    symlink(&outside.file, &chart).unwrap();
    let o = samverkan(&["report", s(&out), "--quiet"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    outside.assert_untouched();
    assert!(fs::symlink_metadata(&chart).unwrap().file_type().is_file());
}
