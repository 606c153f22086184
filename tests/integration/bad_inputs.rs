//! The bad-input catalogue: every file in `tests/bad/` is a malformed or hostile scenario
//! whose header says what must happen to it:
//!
//! ```text
//! # Bad input: what is wrong with it.
//! # outcome: reject | guard | complete
//! # expect: text the error message must contain
//! # at: line:column the message must point to (when the problem has a place)
//! # variant: a variant to apply (when only the variant is bad)
//! ```
//!
//! `reject`: loading fails with a located message; `samverkan validate` and `samverkan run`
//! exit with 2, name the file (and line:column) and write nothing. `guard`: the file is
//! valid but its run stops at a guard that names the culprit; `samverkan run` exits 1 and
//! leaves what it recorded, marked partial by stopped.json (no summary.json).
//! `complete`: the run finishes without a message storm. Nothing may panic, hang (each
//! command gets a time limit) or use unbounded memory (each command runs under a 4 GB
//! address-space limit). More hostile inputs are generated here rather than committed:
//! a 100 MB file, an endless device, a directory, a missing file, and a link rule that
//! would expand to millions of links.

use crate::common;
use common::Scratch;
use samverkan::model::Model;
use samverkan::scenario::{self, ScenarioError, Source};
use samverkan::sim::{self, SimError};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TIME_LIMIT: Duration = Duration::from_secs(60);
const MEMORY_LIMIT_KB: u64 = 4 * 1024 * 1024;

#[derive(Debug, Default)]
struct Expectation {
    outcome: String,
    expect: String,
    at: Option<String>,
    variant: Option<String>,
}

fn header(bytes: &[u8]) -> Expectation {
    let mut e = Expectation::default();
    for line in bytes.split(|b| *b == b'\n').take_while(|l| l.starts_with(b"# ")) {
        let line = String::from_utf8_lossy(&line[2..]).into_owned();
        let Some((key, value)) = line.split_once(": ") else { continue };
        let value = value.trim().to_string();
        match key {
            "outcome" => e.outcome = value,
            "expect" => e.expect = value,
            "at" => e.at = Some(value),
            "variant" => e.variant = Some(value),
            _ => {}
        }
    }
    e
}

fn catalogue() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad"))
        .expect("tests/bad")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// Runs `f`, turning a panic into an error message.
fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| {
        let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
        format!("{what} panicked: {}", msg.unwrap_or_default())
    })
}

struct Outcome {
    code: Option<i32>,
    stderr: String,
}

/// Runs the CLI under a time and an address-space limit.
fn cli(args: &[&str]) -> Result<Outcome, String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KB}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_samverkan"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start samverkan: {e}"))?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr).ok();
            if stderr.contains("panicked") || status.code() == Some(101) {
                return Err(format!("samverkan {} panicked:\n{stderr}", args.join(" ")));
            }
            return Ok(Outcome { code: status.code(), stderr });
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("samverkan {} did not finish within {TIME_LIMIT:?}", args.join(" ")));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The message must name the file, the place and what is wrong.
fn check_message(msg: &str, file: &str, e: &Expectation) -> Result<(), String> {
    if !msg.contains(file) {
        return Err(format!("the message does not name the file {file}:\n{msg}"));
    }
    if !msg.contains(&e.expect) {
        return Err(format!("the message does not say `{}`:\n{msg}", e.expect));
    }
    if let Some(at) = &e.at
        && !msg.contains(&format!("{file}:{at}:"))
    {
        return Err(format!("the message does not point to {file}:{at}:\n{msg}"));
    }
    Ok(())
}

fn load(path: &Path, e: &Expectation) -> Result<Result<Model, ScenarioError>, String> {
    no_panic("loading", || match &e.variant {
        Some(v) => scenario::load(path, Some(v)),
        None => Source::read(path).and_then(|s| scenario::validate(&s)).and_then(|_| scenario::load(path, None)),
    })
}

fn check_library(path: &Path, e: &Expectation) -> Result<(), String> {
    let file = path.display().to_string();
    let loaded = load(path, e)?;
    match (e.outcome.as_str(), loaded) {
        ("reject", Err(err)) => check_message(&err.to_string(), &file, e),
        ("reject", Ok(_)) => Err("loaded, but it must be rejected".into()),
        (_, Err(err)) => Err(format!("must load, but: {err}")),
        ("guard", Ok(m)) => match no_panic("running", || sim::run(&Arc::new(m.clone()), m.seed))? {
            Err(err @ SimError::Guard { .. }) if err.to_string().contains(&e.expect) => Ok(()),
            Err(err) => Err(format!("the run stopped, but the message does not say `{}`: {err}", e.expect)),
            Ok(_) => Err("the run finished, but a guard must stop it".into()),
        },
        ("complete", Ok(m)) => {
            let m = Arc::new(m);
            let r = no_panic("running", || sim::run(&m, m.seed))?.map_err(|err| err.to_string())?;
            // Each unit passes each fact on at most once per link: no storm.
            let bound = r.facts.len() * (m.links.len() + 1);
            if r.messages.len() > bound {
                return Err(format!(
                    "{} messages for {} facts over {} links",
                    r.messages.len(),
                    r.facts.len(),
                    m.links.len()
                ));
            }
            Ok(())
        }
        (other, _) => Err(format!("unknown outcome `{other}` in the header")),
    }
}

fn check_cli(path: &Path, e: &Expectation, scratch: &Path) -> Result<(), String> {
    let file = path.display().to_string();
    let out = scratch.join(path.file_stem().expect("name"));
    let out_arg = out.display().to_string();
    let mut run_args = vec!["run", file.as_str(), "--out", out_arg.as_str(), "--quiet"];
    if let Some(v) = &e.variant {
        run_args.extend(["--variant", v.as_str()]);
    }
    let run = cli(&run_args)?;
    let files_written = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
    match e.outcome.as_str() {
        "reject" => {
            if run.code != Some(2) {
                return Err(format!("`samverkan run` exited with {:?}, not 2:\n{}", run.code, run.stderr));
            }
            check_message(&run.stderr, &file, e)?;
            // validate checks the base and every variant.
            let v = cli(&["validate", &file])?;
            if v.code != Some(2) {
                return Err(format!("`samverkan validate` exited with {:?}, not 2:\n{}", v.code, v.stderr));
            }
            check_message(&v.stderr, &file, e)?;
        }
        "guard" if run.code != Some(1) || !run.stderr.contains(&e.expect) => {
            return Err(format!(
                "`samverkan run` exited with {:?}; expected 1 and `{}`:\n{}",
                run.code, e.expect, run.stderr
            ));
        }
        "complete" if run.code != Some(0) => {
            return Err(format!("`samverkan run` exited with {:?}:\n{}", run.code, run.stderr));
        }
        _ => {}
    }
    if e.outcome == "reject" && files_written > 0 {
        return Err(format!("a rejected file left {files_written} files in {out_arg}"));
    }
    // A run stopped by a guard leaves what it recorded, marked partial, never a summary.
    let out = Path::new(&out_arg);
    if e.outcome == "guard" && (!out.join("stopped.json").exists() || out.join("summary.json").exists()) {
        return Err(format!("a stopped run's folder {out_arg} is not marked partial (stopped.json, no summary.json)"));
    }
    Ok(())
}

#[test]
fn every_file_in_the_catalogue_gets_its_expected_error_and_nothing_panics() {
    let files = catalogue();
    assert!(files.len() >= 40, "the catalogue has only {} files", files.len());
    let scratch = Scratch::new("catalogue");
    let mut failures = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path);
        let bytes = std::fs::read(path).expect("read");
        let e = header(&bytes);
        if !matches!(e.outcome.as_str(), "reject" | "guard" | "complete")
            || (e.outcome != "complete" && e.expect.is_empty())
        {
            failures.push(format!("{}: the header needs `# outcome:` and `# expect:` lines", rel.display()));
            continue;
        }
        let relative = rel.to_path_buf();
        for result in [check_library(&relative, &e), check_cli(&relative, &e, &scratch.0)] {
            if let Err(msg) = result {
                failures.push(format!("{}: {msg}", rel.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{} problems:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn the_catalogue_covers_every_kind_of_bad_input() {
    let names: Vec<String> =
        catalogue().iter().map(|p| p.file_stem().expect("stem").to_string_lossy().into_owned()).collect();
    for kind in
        ["syntax-", "wrong-type-", "unknown-", "negative-", "zero-", "huge-", "deep-", "non-utf8", "storm", "cycle"]
    {
        assert!(names.iter().any(|n| n.contains(kind)), "no `{kind}` file in tests/bad");
    }
}

#[test]
fn a_100_mb_file_is_refused_before_it_is_read() {
    let scratch = Scratch::new("huge");
    let path = scratch.0.join("huge.toml");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        f.write_all(b"[scenario]\nname = \"huge\"\nstart = \"2024-03-06T10:00\"\nduration = \"1d\"\n").expect("write");
        let filler = "# filler to make a 100 MB scenario file ...........................................\n";
        for _ in 0..(100 * 1024 * 1024 / filler.len()) {
            f.write_all(filler.as_bytes()).expect("write");
        }
    }
    assert!(std::fs::metadata(&path).expect("metadata").len() >= 100 * 1024 * 1024 - 100);
    let err = no_panic("reading", || Source::read(&path)).expect("no panic").expect_err("must be refused");
    assert!(err.to_string().contains("limited to 32 MiB"), "{err}");
    let file = path.display().to_string();
    let out = cli(&["validate", &file]).expect("cli");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains(&file) && out.stderr.contains("limited to 32 MiB"), "{}", out.stderr);
}

/// Regression: a device or pipe reports no length; it was read without end.
#[test]
#[cfg(unix)]
fn an_endless_device_is_read_only_up_to_the_limit() {
    let err = no_panic("reading", || Source::read(Path::new("/dev/zero"))).expect("no panic").expect_err("refused");
    assert!(err.to_string().contains("larger than the 32 MiB limit"), "{err}");
    let out = cli(&["run", "/dev/zero"]).expect("cli");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
}

#[test]
fn a_folder_or_a_missing_file_is_a_clear_error() {
    let scratch = Scratch::new("paths");
    let missing = scratch.0.join("nosuch.toml");
    for (path, says) in [(&scratch.0, "is a directory"), (&missing, "cannot read the file")] {
        let file = path.display().to_string();
        let out = cli(&["validate", &file]).expect("cli");
        assert_eq!(out.code, Some(2), "{}", out.stderr);
        assert!(out.stderr.contains(&file) && out.stderr.contains(says), "{}", out.stderr);
    }
}

#[test]
fn a_link_rule_over_thousands_of_units_is_refused_before_the_links_are_made() {
    let mut text = String::from(
        "[scenario]\nname = \"mesh\"\nstart = \"2024-03-06T10:00\"\nduration = \"1d\"\n\n\
         [channel.phone]\nkind = \"phone_fixed\"\n\n[links]\nchannels = [\"phone\"]\n\n[organisation.a]\nkind = \"other\"\n",
    );
    for i in 0..1500 {
        text += &format!("unit.u{i} = {{ level = \"coordinating\" }}\n");
    }
    text += "\n[link_rule.mesh]\nfrom = \"all\"\nto = \"all\"\nflows = [\"information\"]\n\n\
             [inject.f]\nat = \"0m\"\nfact = { origin = \"a.u0\", severity = 3 }\n";
    let err = no_panic("loading", || scenario::build(&Source::from_str("mesh.toml", &text), None, &[]))
        .expect("no panic")
        .expect_err("refused");
    let msg = err.to_string();
    assert!(
        msg.contains("mesh.toml:") && msg.contains("`link_rule.mesh`") && msg.contains("more than 2000000 links"),
        "{msg}"
    );
}
