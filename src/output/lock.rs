//! An output folder is locked while a command writes it: an OS advisory lock (`flock`)
//! on its hidden file `.samverkan.lock`, which the kernel releases when the process ends,
//! however it ends. A second process finds the folder locked and is told who holds it
//! (the file names the holder's process id, host and command line). The file itself
//! stays in the folder: removing it would let two processes lock two different files.

use super::{LOCK_FILE, OutputError, is_own_hidden};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// A held lock on an output folder; released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    dir: PathBuf,
    /// `None` for a read lock on a folder no writer ever locked (it has no lock file).
    _file: Option<File>,
}

/// How the folder is used while locked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Writing it (batch, resume, report, merge's output): no one else may use it.
    Write,
    /// Reading it (merge's shard folders): others may read too, no one may write. A read
    /// lock creates and writes nothing, so read-only folders can be read.
    Read,
}

impl FolderLock {
    /// Locks `dir` (which must exist for writing) without waiting; an error names the
    /// holder. With [`Access::Write`], temporary files left in the folder by a killed
    /// process are removed once the lock is held.
    pub fn acquire(dir: &Path, access: Access) -> Result<FolderLock, OutputError> {
        let path = dir.join(LOCK_FILE);
        super::refuse_link(&path)?;
        let mut options = OpenOptions::new();
        options.read(true).custom_flags(libc::O_NOFOLLOW);
        if access == Access::Write {
            options.write(true).create(true).truncate(false);
        }
        let mut file = match options.open(&path) {
            Ok(f) => f,
            Err(e) if access == Access::Read && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(FolderLock { dir: dir.to_path_buf(), _file: None });
            }
            Err(e) => return Err(OutputError::io(&path, e)),
        };
        match try_lock_briefly(&file, access) {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(locked_by(dir, &mut file, access)),
            Err(TryLockError::Error(e)) => return Err(OutputError::io(&path, e)),
        }
        if access == Access::Write {
            let me = format!(
                "process {} on {}: {}\n",
                std::process::id(),
                hostname(),
                std::env::args().collect::<Vec<_>>().join(" ")
            );
            let written = file.set_len(0).and_then(|_| file.rewind()).and_then(|_| file.write_all(me.as_bytes()));
            written.map_err(|e| OutputError::io(&path, e))?;
            remove_temporaries(dir)?;
        }
        Ok(FolderLock { dir: dir.to_path_buf(), _file: Some(file) })
    }

    /// The locked folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// How often, and how far apart, a lock found held is tried again before refusing.
const RETRIES: u32 = 10;
const RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

/// Tries the lock a few times over about 200 ms. A child process between `fork` and
/// `exec` holds a copy of every open descriptor, the lock's too, for an instant, so a
/// folder unlocked just before another thread started a program can look held.
fn try_lock_briefly(file: &File, access: Access) -> Result<(), TryLockError> {
    let mut tries = 0;
    loop {
        let locked = match access {
            Access::Write => file.try_lock(),
            Access::Read => file.try_lock_shared(),
        };
        match locked {
            Err(TryLockError::WouldBlock) if tries < RETRIES => {
                tries += 1;
                std::thread::sleep(RETRY_PAUSE);
            }
            other => return other,
        }
    }
}

/// The refusal when `file` is locked: the writer named in it, or, when only readers hold
/// it (a shared lock can still be had), that it is being read.
fn locked_by(dir: &Path, file: &mut File, access: Access) -> OutputError {
    let holder = if access == Access::Write && file.try_lock_shared().is_ok() {
        let _ = file.unlock();
        "another samverkan process reading it (a merge)".to_string()
    } else {
        let mut text = String::new();
        let _ = file.read_to_string(&mut text);
        describe(&text)
    };
    OutputError::Locked { dir: dir.display().to_string(), holder }
}

fn describe(holder: &str) -> String {
    let h = holder.trim();
    if h.is_empty() { "another samverkan process".into() } else { h.chars().take(300).collect() }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "this machine".into())
}

/// Removes the temporary files (`.NAME.tmp-…`) a killed process left in `dir`.
fn remove_temporaries(dir: &Path) -> Result<(), OutputError> {
    let entries = std::fs::read_dir(dir).map_err(|e| OutputError::io(dir, e))?;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name != LOCK_FILE && is_own_hidden(&name) && e.file_type().is_ok_and(|t| !t.is_dir()) {
            let p = e.path();
            std::fs::remove_file(&p).map_err(|err| OutputError::io(&p, err))?;
        }
    }
    Ok(())
}
