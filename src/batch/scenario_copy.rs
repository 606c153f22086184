//! `scenario.toml`: a byte-identical copy of the scenario file a batch ran, so that the
//! folder stands on its own. `samverkan report` reads objective descriptions, limits
//! and the simulated start from it (docs/outputs.md#scenariotoml), wherever the folder
//! has been moved and whatever became of the original file.
//!
//! The copy is written from the bytes the plan was built from (not read again), next
//! to `manifest.json` when a batch starts or resumes, and by `merge` from the shards'
//! copies. Its FNV-1a hash must equal the manifest's `plan.scenario_hash`; a copy that
//! does not is refused by `report` and `merge` (edited after the batch ran).

use super::BatchError;
use crate::output::write_atomic;
use crate::scenario::Source;
use std::path::Path;

/// The copy of the scenario a batch folder keeps.
pub const FILE: &str = "scenario.toml";

/// The hash of scenario bytes as `manifest.json` records it (`plan.scenario_hash`).
pub fn hash_of(bytes: &[u8]) -> String {
    format!("{:016x}", crate::model::fnv1a(bytes))
}

/// Writes the copy of `source` into `dir` atomically.
pub fn write(dir: &Path, source: &Source) -> Result<(), BatchError> {
    Ok(write_atomic(&dir.join(FILE), source.text.as_bytes())?)
}

/// Why the copy in `dir` cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CopyError {
    /// The copy was edited after the batch ran.
    #[error(
        "its hash is {found}, but the batch ran a scenario with hash {expected} (manifest.json): it was \
         edited after the batch ran. Put the original back, or delete {file} to go without it",
        file = FILE
    )]
    Changed {
        /// The copy's hash.
        found: String,
        /// The hash in `manifest.json`.
        expected: String,
    },
    /// The copy cannot be read.
    #[error("{0}")]
    Unreadable(String),
}

/// The copy in `dir` when there is one (`None`: a folder written before copies were
/// kept), refused when its hash is not `expected`.
pub fn read(dir: &Path, expected: &str) -> Result<Option<Source>, CopyError> {
    let path = dir.join(FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).map_err(|e| CopyError::Unreadable(e.to_string()))?;
    let found = hash_of(&bytes);
    if found != expected {
        return Err(CopyError::Changed { found, expected: expected.into() });
    }
    Source::from_bytes(&path.display().to_string(), bytes).map(Some).map_err(|e| CopyError::Unreadable(e.to_string()))
}

/// The scenario copy of the shards in `dirs` for a merge (written into the merged
/// folder with [`write()`]): every shard's copy must match `expected`; shards written
/// without one are passed over, and when none has one there is none (`None`).
pub fn of_shards(dirs: &[std::path::PathBuf], expected: &str) -> Result<Option<Source>, BatchError> {
    let mut found = None;
    for d in dirs {
        match read(d, expected) {
            Ok(s) => found = found.or(s),
            Err(e) => return Err(BatchError::Mismatch(format!("cannot merge: {}: {e}", d.join(FILE).display()))),
        }
    }
    Ok(found)
}
