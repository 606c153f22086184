//! Reading one CSV file that a run or batch wrote: a table addressed by column name
//! whose every error names the file, the line and the column, so that a hand-edited or
//! truncated file fails with a clear message instead of a wrong chart. Either CSV
//! dialect is read (see [`crate::output::dialect`]); fields come back as the comma
//! dialect writes them (decimal points).

use super::ReportError;
use crate::output::CsvDialect;
use crate::output::dialect::sniff;
use std::path::{Path, PathBuf};

pub struct CsvTable {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl CsvTable {
    pub fn read(path: &Path) -> Result<CsvTable, ReportError> {
        if !path.is_file() {
            return Err(ReportError::Missing(path.display().to_string()));
        }
        let (dialect, input) = open(path)?;
        let mut r = dialect.reader(input);
        let header = r.headers().map_err(|e| ReportError::read(path, e))?.iter().map(String::from).collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                ReportError::Bad { path: path.display().to_string(), line, reason: e.to_string() }
            })?;
            rows.push(dialect.record_back(rec));
        }
        Ok(CsvTable { path: path.to_path_buf(), header, rows })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn header(&self) -> &[String] {
        &self.header
    }

    pub fn has(&self, name: &str) -> bool {
        self.header.iter().any(|h| h == name)
    }

    /// Index of column `name`, or an error naming the file and the column.
    pub fn col(&self, name: &str) -> Result<usize, ReportError> {
        self.header.iter().position(|h| h == name).ok_or_else(|| self.missing(name))
    }

    /// The error for a missing column.
    pub fn missing(&self, name: &str) -> ReportError {
        ReportError::Bad {
            path: self.path.display().to_string(),
            line: 1,
            reason: format!("no column `{name}` in the header"),
        }
    }

    pub fn str(&self, row: usize, col: usize) -> &str {
        self.rows[row].get(col).unwrap_or("")
    }

    /// 1-based line of a row in the file (the header is line 1).
    pub fn line(&self, row: usize) -> u64 {
        self.rows[row].position().map(|p| p.line()).unwrap_or(row as u64 + 2)
    }

    pub fn bad(&self, row: usize, col: usize, reason: &str) -> ReportError {
        ReportError::Bad {
            path: self.path.display().to_string(),
            line: self.line(row),
            reason: format!("column `{}`: {reason}", self.header[col]),
        }
    }

    /// A number; empty is refused.
    pub fn num(&self, row: usize, col: usize) -> Result<f64, ReportError> {
        self.opt_num(row, col)?.ok_or_else(|| self.bad(row, col, "empty, expected a number"))
    }

    /// A number, or `None` for an empty field (something that never happened).
    pub fn opt_num(&self, row: usize, col: usize) -> Result<Option<f64>, ReportError> {
        let s = self.str(row, col).trim();
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.bad(row, col, &format!("`{s}` is not a number"))),
        }
    }
}

/// The file at `path` after its preamble, with the dialect it is written in (a
/// byte-order mark says `excel-sv`), streamed rather than read whole.
fn open(path: &Path) -> Result<(CsvDialect, impl std::io::Read), ReportError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| ReportError::read(path, e))?;
    let mut start = Vec::with_capacity(3);
    (&mut file).take(3).read_to_end(&mut start).map_err(|e| ReportError::read(path, e))?;
    let (dialect, rest) = sniff(&start);
    let rest = rest.to_vec();
    Ok((dialect, std::io::Cursor::new(rest).chain(file)))
}
