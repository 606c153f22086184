//! Output files: written atomically, so that an interrupted run leaves no truncated file
//! that looks complete (summary.json, written last, marks a complete set); existing
//! results are not clobbered without --force; and nothing is written outside the chosen
//! folder, whatever names the scenario text contains.

use crate::common;
use common::*;
use samverkan::output::run::{RUN_FILES, write_run};
use samverkan::{metrics, output};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const STOCK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/stockholm-attack.toml");

fn samverkan(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_samverkan")).current_dir(dir).args(args).output().expect("samverkan runs")
}

/// Every file under `dir`, relative to it.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("inside").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir).into_iter().map(|p| (p.display().to_string(), std::fs::read(dir.join(&p)).expect("read"))).collect()
}

#[test]
fn an_interrupted_overwrite_leaves_no_summary_beside_new_files() {
    let scratch = Scratch::new("overwrite");
    let dir = &scratch.0;
    let m = model(&format!(
        "{PREAMBLE}{}",
        include_str!("../scenarios/chain.toml")
            .split("[organisation.a]")
            .nth(1)
            .map(|s| format!("[organisation.a]{s}"))
            .expect("chain")
    ));
    let first = samverkan::sim::run(&m, 1).expect("run");
    write_run(dir, &first, &metrics::summarise(&first)).expect("first write");
    assert_eq!(tree(dir).len(), RUN_FILES.len());
    // The second write fails half-way: messages.csv cannot be replaced.
    std::fs::remove_file(dir.join("messages.csv")).expect("remove");
    std::fs::create_dir_all(dir.join("messages.csv/blocked")).expect("block");
    let mut second = samverkan::sim::run(&m, 2).expect("run");
    second.seed = 2;
    assert!(write_run(dir, &second, &metrics::summarise(&second)).is_err());
    let left = tree(dir);
    assert!(!dir.join("summary.json").exists(), "an old summary.json still marks the files complete: {left:?}");
    assert!(left.iter().all(|p| !p.to_string_lossy().contains(".tmp-")), "temporary files left: {left:?}");
    assert_eq!(
        std::fs::read(dir.join("facts.csv")).expect("facts"),
        output::run::facts(&second, output::CsvDialect::Comma).into_bytes()
    );
}

#[test]
fn killing_a_run_at_any_moment_leaves_only_complete_files() {
    let scratch = Scratch::new("kill");
    let args = |out: &str| {
        vec![
            "run".to_string(),
            STOCK.into(),
            "--variant".into(),
            "no-regional-coordination".into(),
            "--seed".into(),
            "7".into(),
            "--out".into(),
            out.into(),
            "--quiet".into(),
        ]
    };
    let reference = scratch.0.join("reference");
    let started = Instant::now();
    let out =
        samverkan(&scratch.0, &args(&reference.display().to_string()).iter().map(|s| s.as_str()).collect::<Vec<_>>());
    let full = started.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let expected = contents(&reference);
    assert!(RUN_FILES.iter().all(|f| expected.contains_key(*f)), "reference run lacks files");
    let (mut partial, mut tries) = (0, 0);
    for k in 0..24u32 {
        let dir = scratch.0.join(format!("killed-{k}"));
        let a = args(&dir.display().to_string());
        let mut child =
            Command::new(env!("CARGO_BIN_EXE_samverkan")).current_dir(&scratch.0).args(&a).spawn().expect("spawn");
        std::thread::sleep(full.mul_f64(k as f64 / 18.0).min(Duration::from_secs(5)));
        let _ = child.kill();
        let _ = child.wait();
        tries += 1;
        let found = contents(&dir);
        // Hidden: the file name (not the folder) starts with a dot (a temporary file).
        let hidden = |n: &str| n.rsplit('/').next().unwrap_or(n).starts_with('.');
        let visible: Vec<&String> = found.keys().filter(|n| !hidden(n)).collect();
        for name in &visible {
            assert_eq!(found.get(*name), expected.get(*name), "killed run {k}: {name} is not the complete file");
        }
        for name in found.keys().filter(|n| hidden(n)) {
            let lock = name.rsplit('/').next() == Some(".samverkan.lock");
            assert!(name.contains(".tmp-") || lock, "killed run {k}: unexpected hidden file {name}");
        }
        if found.contains_key("summary.json") {
            assert!(
                RUN_FILES.iter().all(|f| found.contains_key(*f)),
                "killed run {k}: summary.json present but files missing"
            );
        } else if !visible.is_empty() {
            partial += 1;
        }
    }
    println!("{tries} runs killed after 0–{:?}; {partial} stopped while writing files", full.mul_f64(23.0 / 18.0));
}

#[test]
fn existing_results_are_not_clobbered_without_force() {
    let scratch = Scratch::new("clobber");
    let out = scratch.0.join("out").display().to_string();
    assert!(samverkan(&scratch.0, &["run", STOCK, "--out", &out, "--quiet"]).status.success());
    let before = contents(&scratch.0);
    let again = samverkan(&scratch.0, &["run", STOCK, "--seed", "9", "--out", &out, "--quiet"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds results; add --force"));
    assert_eq!(contents(&scratch.0), before);
    assert!(
        samverkan(&scratch.0, &["run", STOCK, "--seed", "9", "--out", &out, "--quiet", "--force"]).status.success()
    );
    assert_ne!(contents(&scratch.0), before);
}

#[test]
fn names_from_scenario_text_cannot_lead_outside_the_output_folder() {
    let scratch = Scratch::new("names");
    let work = scratch.0.join("a/b/work");
    std::fs::create_dir_all(&work).expect("work");
    let hostile = [
        "../../../escaped",
        "/tmp/samverkan-escaped",
        "..",
        ".",
        "~/escaped",
        "C:\\\\escaped\\\\x",
        "a/../../b",
        "name with\\nnewline",
        "ÅÄÖ räddningstjänst",
        "-rf",
    ];
    let text = std::fs::read_to_string(STOCK).expect("stock");
    for (i, name) in hostile.iter().enumerate() {
        let file = format!("s{i}.toml");
        std::fs::write(
            work.join(&file),
            text.replacen("name = \"stockholm-attack\"", &format!("name = \"{name}\""), 1),
        )
        .expect("write");
        let seed = i.to_string();
        let out = samverkan(&work, &["run", &file, "--quiet", "--seed", &seed]);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    }
    for p in tree(&scratch.0) {
        let s = p.to_string_lossy();
        assert!(
            s.starts_with("a/b/work/output/") || s.starts_with("a/b/work/s"),
            "written outside the output folder: {s}"
        );
        if let Some(rest) = s.strip_prefix("a/b/work/output/") {
            let parts: Vec<&str> = rest.split('/').collect();
            assert!(parts.len() == 3 || (parts.len() == 4 && parts[2] == "charts"), "{s}");
            assert!(parts[..2].iter().all(|c| !c.starts_with('.') && !c.starts_with('-') && !c.is_empty()), "{s}");
        }
    }
    assert!(!Path::new("/tmp/samverkan-escaped").exists());
    let mut dirs: Vec<String> = std::fs::read_dir(work.join("output"))
        .expect("output")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    // "../../../escaped" and "~/escaped" meet in one folder, "." and ".." in another.
    let expected = [
        "C--escaped-x",
        "a-..-..-b",
        "escaped",
        "name-with-newline",
        "rf",
        "scenario",
        "tmp-samverkan-escaped",
        "ÅÄÖ-räddningstjänst",
    ];
    assert_eq!(dirs, expected);
}

#[test]
fn a_run_writes_only_into_the_chosen_folder() {
    let scratch = Scratch::new("chosen");
    let out = scratch.0.join("chosen/run").display().to_string();
    let work = scratch.0.join("cwd");
    std::fs::create_dir_all(&work).expect("cwd");
    assert!(samverkan(&work, &["run", STOCK, "--out", &out, "--quiet"]).status.success());
    let files: Vec<String> = tree(&scratch.0).iter().map(|p| p.display().to_string()).collect();
    assert!(files.iter().all(|f| f.starts_with("chosen/run/")), "{files:?}");
    for f in RUN_FILES.iter().chain(&["report.html", "charts/timeline.png"]) {
        assert!(files.contains(&format!("chosen/run/{f}")), "{f} missing: {files:?}");
    }
}
