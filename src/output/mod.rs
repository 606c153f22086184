//! Writing results: output folders that are never clobbered silently, and files written
//! atomically (a temporary name in the same folder, then a rename), so that an
//! interrupted run leaves each file either complete or absent.

pub mod dialect;
pub mod lock;
pub mod names;
pub mod run;
pub mod texts;

pub use dialect::CsvDialect;
pub use lock::{Access, FolderLock};

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The underlying error an error was caused by (kept as its `source()`).
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Reading or writing `path` failed; `reason` says why in words a user can act on.
    #[error("{path}: {reason}")]
    Io {
        /// The file or folder.
        path: String,
        /// What went wrong (the cause's message, or advice for a known limit).
        reason: String,
        /// The underlying error.
        #[source]
        source: Option<Cause>,
    },
    /// The output folder holds results and `--force` was not given.
    #[error("{0} already holds results; add --force to overwrite them, or choose another --out")]
    Exists(String),
    /// A symbolic link where samverkan would write: it is never written through.
    #[error(
        "{0} is a symbolic link; samverkan does not write through links inside an output folder \
         (remove the link, or choose another --out)"
    )]
    Link(String),
    /// Another process is using the folder (see [`lock`]).
    #[error("{dir} is in use by {holder}; wait for it to finish (or stop it), then try again")]
    Locked {
        /// The folder.
        dir: String,
        /// Who holds its lock.
        holder: String,
    },
}

impl OutputError {
    /// Reading or writing `path` failed because of `e` (an error, or a message).
    pub fn io(path: &Path, e: impl Into<Cause>) -> OutputError {
        let source = e.into();
        OutputError::Io { path: path.display().to_string(), reason: source.to_string(), source: Some(source) }
    }

    /// An operating-system error while writing `path`, in words a user can act on
    /// where the cause is a limit (a full disk, the file-size limit, permissions).
    pub fn os(path: &Path, e: std::io::Error) -> OutputError {
        let reason = match e.raw_os_error() {
            Some(libc::ENOSPC) => "the disk is full; free some space and try again".to_string(),
            Some(libc::EDQUOT) => "the disk quota is used up; free some space and try again".to_string(),
            Some(libc::EFBIG) => {
                "the file would exceed the file-size limit of this process (`ulimit -f`); raise it and try again"
                    .to_string()
            }
            Some(libc::EACCES) | Some(libc::EPERM) | Some(libc::EROFS) => {
                format!("{e}; choose a folder you may write to (--out)")
            }
            _ => e.to_string(),
        };
        OutputError::Io { path: path.display().to_string(), reason, source: Some(e.into()) }
    }

    /// True when the user can fix it by changing what is on disk or the arguments
    /// (exit code 2); false when writing failed (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, OutputError::Io { .. })
    }
}

/// Writes `bytes` to `path` atomically: into a new temporary file beside it (created
/// exclusively under an unpredictable name, so a planted file or link at that name is
/// never opened), then renamed over `path`. A link at `path` itself is replaced, never
/// written through. A new file gets the usual permissions (0666 less the umask).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_new(path, bytes, None)
}

/// Replaces the contents of an existing file the user named (`msel import --into`):
/// when `path` is a symbolic link, the real file behind it is replaced (the link stays
/// a link); the file keeps its permissions.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let real = fs::canonicalize(path).map_err(|e| OutputError::io(path, e))?;
    let perms = fs::metadata(&real).map_err(|e| OutputError::io(path, e))?.permissions();
    write_new(&real, bytes, Some(perms))
}

fn write_new(path: &Path, bytes: &[u8], perms: Option<fs::Permissions>) -> Result<(), OutputError> {
    write_streamed(path, perms, |w| w.write_all(bytes))
}

/// Writes `path` atomically as [`write_atomic`] does, the contents written by `fill`
/// (through a buffer) instead of held in memory.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    write_streamed(path, None, fill)
}

fn write_streamed(
    path: &Path,
    perms: Option<fs::Permissions>,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.tmp-");
    let fail = |e: std::io::Error| OutputError::os(path, e);
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .permissions(perms.clone().unwrap_or(fs::Permissions::from_mode(0o666)))
        .tempfile_in(dir)
        .map_err(fail)?;
    if let Some(p) = perms {
        tmp.as_file().set_permissions(p).map_err(fail)?;
    }
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w).and_then(|_| w.flush()).map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    crate::faults::point("before-rename", &name);
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// A folder inside an output folder (`charts`, `runs`, `runs/<run>`): created if
/// missing; a symbolic link there is refused, never followed.
pub fn subdir(parent: &Path, name: &str) -> Result<PathBuf, OutputError> {
    let dir = parent.join(name);
    match fs::symlink_metadata(&dir) {
        Ok(m) if m.file_type().is_symlink() => Err(OutputError::Link(dir.display().to_string())),
        Ok(m) if m.is_dir() => Ok(dir),
        Ok(_) => Err(OutputError::io(&dir, "exists and is not a folder")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match fs::create_dir(&dir) {
            Ok(()) => Ok(dir),
            Err(e) => Err(OutputError::io(&dir, e)),
        },
        Err(e) => Err(OutputError::io(&dir, e)),
    }
}

/// Refuses a symbolic link at `path` (a file samverkan would open to append or read
/// back as its own): Ok when it is absent or a plain file.
pub fn refuse_link(path: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(OutputError::Link(path.display().to_string())),
        _ => Ok(()),
    }
}

/// Prepares an output folder: created if missing; if it already holds files, refused
/// unless `force` (see [`check_dir`]).
pub fn prepare_dir(dir: &Path, force: bool) -> Result<(), OutputError> {
    check_dir(dir, force)?;
    fs::create_dir_all(dir).map_err(|e| OutputError::io(dir, e))
}

/// Whether `dir` may receive results, without creating it: missing, empty, or `force`.
/// Hidden files samverkan keeps for itself (a batch's lock file, a temporary file left
/// by a killed write) do not count as results.
pub fn check_dir(dir: &Path, force: bool) -> Result<(), OutputError> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(OutputError::io(dir, "exists and is not a folder"));
    }
    let has_files = fs::read_dir(dir)
        .map_err(|e| OutputError::io(dir, e))?
        .flatten()
        .any(|e| !is_own_hidden(&e.file_name().to_string_lossy()));
    if has_files && !force { Err(OutputError::Exists(dir.display().to_string())) } else { Ok(()) }
}

/// Creates `dir` if missing (for [`Access::Write`]) and locks it (see [`lock`]).
pub fn lock_dir(dir: &Path, access: Access) -> Result<FolderLock, OutputError> {
    if access == Access::Write && !dir.is_dir() {
        if dir.exists() {
            return Err(OutputError::io(dir, "exists and is not a folder"));
        }
        fs::create_dir_all(dir).map_err(|e| OutputError::os(dir, e))?;
    }
    FolderLock::acquire(dir, access)
}

/// A name samverkan uses for its own hidden files: the lock and temporary files.
pub fn is_own_hidden(name: &str) -> bool {
    name == LOCK_FILE || (name.starts_with('.') && name.contains(".tmp-"))
}

/// The lock file of an output folder (see [`lock`]).
pub const LOCK_FILE: &str = ".samverkan.lock";

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

/// A CSV table built in memory in a [`CsvDialect`], written atomically.
pub struct Table {
    dialect: CsvDialect,
    w: csv::Writer<Vec<u8>>,
}

impl Table {
    /// A table in the comma dialect.
    pub fn new(header: &[&str]) -> Table {
        Table::in_dialect(CsvDialect::Comma, header)
    }

    /// An empty table in `dialect` with `header` as its first record.
    pub fn in_dialect(dialect: CsvDialect, header: &[&str]) -> Table {
        let mut w = dialect.writer(dialect.preamble().to_vec());
        let _ = w.write_record(header);
        Table { dialect, w }
    }

    /// A row; each field goes through [`CsvDialect::field`].
    pub fn row<I, S>(&mut self, fields: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for f in fields {
            let _ = self.w.write_field(self.dialect.field(f.as_ref()).as_bytes());
        }
        let _ = self.w.write_record(std::iter::empty::<&[u8]>());
    }

    /// The file's bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.w.into_inner().unwrap_or_default()
    }

    /// Writes the table to `path` atomically.
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
