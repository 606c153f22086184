//! Running the `samverkan` binary as a user does, in scratch folders.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_samverkan");

/// Runs `samverkan ARGS` in `cwd` and waits for it.
pub fn samverkan_in<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Output {
    Command::new(BIN).current_dir(cwd).args(args).output().expect("samverkan starts")
}

/// Runs `samverkan ARGS` in the crate's folder.
pub fn samverkan<S: AsRef<OsStr>>(args: &[S]) -> Output {
    samverkan_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// A file of the crate (a stock or test scenario).
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Every file name below `dir`, relative to it, sorted (what a command left behind).
pub fn listing(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(root).unwrap_or(&p).display().to_string());
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                walk(root, &p, out);
            }
        }
    }
    let mut out = vec![];
    walk(dir, dir, &mut out);
    out.sort();
    out
}
