//! `runs.csv` while a batch runs: each finished run is appended as one complete line
//! (one `write` call, under a lock) the moment it finishes, so Ctrl-C or a crash leaves
//! every finished run recorded; `--resume` reads the rows back and skips those runs.
//! At the end [`super::files`] replaces the file, atomically, by the same rows sorted.

use super::BatchError;
use super::plan::{Layout, Task};
use super::row::{Row, header, line};
use crate::output::dialect::sniff;
use crate::output::{CsvDialect, OutputError};
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An open `runs.csv` that rows are appended to.
pub struct Journal {
    path: PathBuf,
    dialect: CsvDialect,
    file: Mutex<File>,
}

impl Journal {
    /// Starts a new `runs.csv` holding only the header.
    /// Whatever was at `path` (a file of an earlier batch, a link) is removed first: the
    /// new file is created exclusively, never opened through a link.
    pub fn create(path: &Path, layout: &Layout, dialect: CsvDialect) -> Result<Journal, BatchError> {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(OutputError::io(path, e).into()),
            _ => {}
        }
        let mut file = open(path, OpenOptions::new().write(true).create_new(true))?;
        file.write_all(&start(layout, dialect)).map_err(|e| OutputError::io(path, e))?;
        Ok(Journal { path: path.to_path_buf(), dialect, file: Mutex::new(file) })
    }

    /// Opens an existing `runs.csv` of dialect `dialect` to continue it. A last line cut
    /// short by a crash is dropped (that run is redone). Returns the rows already there.
    /// A link at `path` is refused, and so is a file in another dialect.
    pub fn resume(path: &Path, layout: &Layout, dialect: CsvDialect) -> Result<(Journal, Vec<Row>), BatchError> {
        crate::output::refuse_link(path)?;
        let bytes = std::fs::read(path).map_err(|e| OutputError::io(path, e))?;
        let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if complete > 0 && sniff(&bytes).0 != dialect {
            return Err(BatchError::corrupt(
                path,
                format!("is not in the CSV dialect its manifest.json records ({})", dialect.name()),
            ));
        }
        let rows = if complete == 0 { vec![] } else { parse(path, &bytes[..complete], layout)? };
        let mut file = open(path, OpenOptions::new().write(true))?;
        if complete == 0 {
            file.set_len(0).map_err(|e| OutputError::io(path, e))?;
            file.write_all(&start(layout, dialect)).map_err(|e| OutputError::io(path, e))?;
        } else {
            file.set_len(complete as u64).map_err(|e| OutputError::io(path, e))?;
        }
        drop(file);
        let file = open(path, OpenOptions::new().append(true))?;
        Ok((Journal { path: path.to_path_buf(), dialect, file: Mutex::new(file) }, rows))
    }

    /// Appends one row as a single write.
    pub fn append(&self, layout: &Layout, row: &Row) -> Result<(), BatchError> {
        let bytes = line(&row.fields(layout), self.dialect);
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(&bytes).map_err(|e| OutputError::io(&self.path, e))?;
        Ok(())
    }

    /// Flushes the rows to disk and closes the file.
    pub fn close(self) -> Result<(), BatchError> {
        let file = self.file.into_inner().unwrap_or_else(|p| p.into_inner());
        file.sync_all().map_err(|e| OutputError::io(&self.path, e))?;
        Ok(())
    }
}

/// The first bytes of a new `runs.csv`: the dialect's preamble and the header.
fn start(layout: &Layout, dialect: CsvDialect) -> Vec<u8> {
    let mut bytes = dialect.preamble().to_vec();
    bytes.extend(line(&header(layout), dialect));
    bytes
}

/// Opens `path` as `options` say, refusing to follow a link there.
fn open(path: &Path, options: &mut OpenOptions) -> Result<File, BatchError> {
    use std::os::unix::fs::OpenOptionsExt;
    options.custom_flags(libc::O_NOFOLLOW).open(path).map_err(|e| match e.raw_os_error() {
        Some(libc::ELOOP) => OutputError::Link(path.display().to_string()).into(),
        _ => OutputError::io(path, e).into(),
    })
}

/// Reads every row of a `runs.csv` of `layout` (in file order, in either dialect: a
/// byte-order mark says `excel-sv`), refusing a file with
/// another header, a row that does not belong to the batch, or a run recorded twice.
pub fn read(path: &Path, layout: &Layout) -> Result<Vec<Row>, BatchError> {
    let bytes = std::fs::read(path).map_err(|e| OutputError::io(path, e))?;
    parse(path, &bytes, layout)
}

fn parse(path: &Path, bytes: &[u8], layout: &Layout) -> Result<Vec<Row>, BatchError> {
    let (dialect, bytes) = sniff(bytes);
    let mut reader = dialect.reader(bytes);
    let found: Vec<String> =
        reader.headers().map_err(|e| BatchError::corrupt(path, e))?.iter().map(str::to_string).collect();
    if found != header(layout) {
        return Err(BatchError::Mismatch(format!(
            "{}: its columns are not those of this batch (another scenario version, variants or design?)",
            path.display()
        )));
    }
    let mut rows = vec![];
    let mut seen: HashSet<Task> = HashSet::new();
    for rec in reader.records() {
        let rec = dialect.record_back(rec.map_err(|e| BatchError::corrupt(path, e))?);
        let at = rec.position().map(|p| p.line()).unwrap_or(0);
        let row = Row::parse(layout, &rec).map_err(|e| BatchError::corrupt(path, format!("line {at}: {e}")))?;
        if !seen.insert(row.task) {
            return Err(BatchError::corrupt(
                path,
                format!(
                    "line {at}: point {}, variant {}, replication {} is recorded twice",
                    row.task.point, layout.variants[row.task.variant], row.task.rep
                ),
            ));
        }
        rows.push(row);
    }
    Ok(rows)
}
