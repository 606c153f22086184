//! Writing results: output folders that are never clobbered silently, and files written
//! atomically (a temporary name in the same folder, then a rename), so that an
//! interrupted run leaves each file either complete or absent.

pub mod run;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{0} already holds results; add --force to overwrite them, or choose another --out")]
    Exists(String),
}

impl OutputError {
    pub fn io(path: &Path, e: impl std::fmt::Display) -> OutputError {
        OutputError::Io { path: path.display().to_string(), reason: e.to_string() }
    }
}

/// Writes `bytes` to `path` via a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(OutputError::io(path, e));
    }
    Ok(())
}

/// Prepares an output folder: created if missing; if it already holds files, refused
/// unless `force`.
pub fn prepare_dir(dir: &Path, force: bool) -> Result<(), OutputError> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(OutputError::io(dir, "exists and is not a folder"));
        }
        let has_files = fs::read_dir(dir).map_err(|e| OutputError::io(dir, e))?.next().is_some();
        if has_files && !force {
            return Err(OutputError::Exists(dir.display().to_string()));
        }
    }
    fs::create_dir_all(dir).map_err(|e| OutputError::io(dir, e))
}

/// A name from scenario text made safe as one path component (no separators, no dots
/// at the start, only letters, digits, `-`, `_` and `.`).
pub fn sanitise(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' }).collect();
    let s = s.trim_matches(|c| c == '.' || c == '-');
    let s: String = s.chars().take(80).collect();
    if s.is_empty() { "scenario".to_string() } else { s }
}

/// `output/<scenario>/<leaf>` under `root`.
pub fn default_dir(root: &Path, scenario: &str, leaf: &str) -> PathBuf {
    root.join(sanitise(scenario)).join(sanitise(leaf))
}

/// A CSV table built in memory, written atomically.
pub struct Table {
    w: csv::Writer<Vec<u8>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(header);
        Table { w }
    }

    pub fn row<I, S>(&mut self, fields: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let _ = self.w.write_record(fields);
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.w.into_inner().unwrap_or_default()
    }

    pub fn write(self, path: &Path) -> Result<(), OutputError> {
        write_atomic(path, &self.into_bytes())
    }
}

/// An optional number of minutes as a CSV field (empty when absent).
pub fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

/// A float as a CSV field: at most 4 decimals, no trailing zeros.
pub fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_scenarios_cannot_escape_the_folder() {
        assert_eq!(sanitise("../../etc/passwd"), "etc-passwd");
        assert_eq!(sanitise("stockholm attack"), "stockholm-attack");
        assert_eq!(sanitise(""), "scenario");
        assert_eq!(sanitise("/"), "scenario");
    }

    #[test]
    fn numbers_print_short() {
        assert_eq!(num(15.0), "15");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(1.0 / 60.0), "0.0167");
    }
}
