//! `samverkan run`, `validate` and `describe` end to end on the stock scenario, and the
//! promises around them: same seed → byte-identical files, no silent overwrite, exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

const STOCK: &str = "scenarios/stockholm-attack.toml";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_samverkan"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samverkan-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn run(out: &Path, extra: &[&str]) -> std::process::Output {
    bin().args(["run", STOCK, "--quiet", "--out"]).arg(out).args(extra).output().expect("binary runs")
}

/// The run files, as the library lists them.
const FILES: &[&str] = samverkan::output::run::RUN_FILES;

#[test]
fn run_writes_every_file_and_the_same_seed_gives_the_same_bytes() {
    let (a, b, c) = (tmp("a"), tmp("b"), tmp("c"));
    assert!(run(&a, &["--seed", "7"]).status.success());
    assert!(run(&b, &["--seed", "7"]).status.success());
    assert!(run(&c, &["--seed", "8"]).status.success());
    for f in FILES {
        let x = std::fs::read(a.join(f)).unwrap_or_else(|_| panic!("{f} missing"));
        assert_eq!(x, std::fs::read(b.join(f)).unwrap(), "{f} differs between two runs with seed 7");
    }
    let facts = |d: &Path| std::fs::read(d.join("facts.csv")).unwrap();
    assert_ne!(facts(&a), facts(&c), "seeds 7 and 8 gave identical facts.csv");
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(a.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["seed"], 7);
    assert_eq!(summary["scenario"], "stockholm-attack");
    for d in [a, b, c] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn existing_results_are_not_overwritten_without_force() {
    let d = tmp("force");
    assert!(run(&d, &[]).status.success());
    let again = run(&d, &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert!(run(&d, &["--force"]).status.success());
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn variants_run_and_an_unknown_variant_is_refused() {
    let d = tmp("variant");
    assert!(run(&d, &["--variant", "weekend-night"]).status.success());
    let summary = std::fs::read_to_string(d.join("summary.json")).unwrap();
    assert!(summary.contains("\"variant\": \"weekend-night\""));
    let bad = run(&tmp("nope"), &["--variant", "tuesday", "--force"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no variant named `tuesday`"));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn validate_reports_every_problem_with_exit_code_2() {
    let ok = bin().args(["validate", STOCK]).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let d = tmp("bad");
    std::fs::create_dir_all(&d).unwrap();
    let bad = d.join("bad.toml");
    let text = std::fs::read_to_string(STOCK)
        .unwrap()
        .replace("origin = \"sos.larmcentral\", severity = 5", "origin = \"sos.larm\", severity = 7");
    std::fs::write(&bad, text).unwrap();
    let out = bin().arg("validate").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown unit `sos.larm`"), "{err}");
    assert!(err.contains("severity 7 is outside 1–5"), "{err}");
    assert!(err.contains("bad.toml:"), "{err}");
    let missing = bin().args(["validate", "no/such/file.toml"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn describe_prints_the_structure() {
    let out = bin().args(["describe", STOCK]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("38 organisations"), "{text}");
    assert!(text.contains("units at the strategic level"));
    assert!(text.contains("default: executive→regional coordination"));
    assert!(text.contains("rule ssr-alert"));
    let alarm = text.find("alarm").unwrap();
    let advice = text.find("advice-lifted").unwrap();
    assert!(alarm < advice, "injects not in time order");
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in ["run", "validate", "describe"] {
        let out = bin().args([cmd, "--help"]).output().unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("Example"), "{cmd} --help has no example");
    }
}

/// A reader that goes away (`samverkan run … | head`, `generate … | head`) is not an
/// error: the command finishes its work and exits 0 without a message.
#[test]
fn a_closed_output_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    let out = tmp("pipe");
    let mut child = bin()
        .args(["run", STOCK, "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    drop(child.stdout.take()); // the reader is gone before anything is printed
    let done = child.wait_with_output().expect("run finishes");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "run exited {:?}: {stderr}", done.status);
    assert!(!stderr.contains("pipe") && !stderr.contains("panicked"), "{stderr}");
    assert!(out.join("summary.json").exists(), "the run's files are written all the same");

    // A large output: the reader takes a little and leaves while the writer is blocked.
    let mut child = bin()
        .args(["generate", "--units", "400", "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut first = [0u8; 100];
    child.stdout.as_mut().unwrap().read_exact(&mut first).expect("some output");
    drop(child.stdout.take());
    let done = child.wait_with_output().expect("generate finishes");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "generate exited {:?}: {stderr}", done.status);
    assert!(stderr.is_empty(), "{stderr}");
}
