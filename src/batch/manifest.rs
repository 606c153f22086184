//! `manifest.json`: how a batch folder was made (tool version, scenario, command line,
//! the plan's layout, shard, times) and whether it is finished. Written when a batch
//! starts (`"status": "running"`) and again, last of all files, when it ends; resume
//! and merge read it to check that folders belong to the same batch.

use super::BatchError;
use super::plan::{Layout, Shard};
use crate::output::{CsvDialect, OutputError, write_atomic};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// `manifest.json`.
pub const FILE: &str = crate::output::names::batch::MANIFEST;
/// `status` while the batch runs (or after it crashed).
pub const RUNNING: &str = "running";
/// `status` once every run is recorded and every file written.
pub const FINISHED: &str = "finished";
/// Stopped by a signal (Ctrl-C, SIGTERM) after recording the runs that had finished.
pub const INTERRUPTED: &str = "interrupted";

/// `manifest.json`: what a batch folder holds and how far it got (docs/outputs.md).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// The tool that wrote it ("samverkan").
    pub tool: String,
    /// Its version.
    pub tool_version: String,
    /// The scenario file as named on the command line.
    pub scenario_file: String,
    /// The command line that started the batch (or the merge).
    pub command_line: Vec<String>,
    /// Hash of `plan`: folders with equal fingerprints hold parts of the same batch.
    pub fingerprint: String,
    /// `K/N` for a shard, `null` for a whole batch.
    pub shard: Option<String>,
    /// `running` until every run of the folder is recorded and every file written, then
    /// `finished`; `interrupted` when a signal stopped it (resume it with `--resume`).
    pub status: String,
    /// Runs this folder holds when finished (the shard's share for a shard).
    pub tasks: u64,
    /// Runs recorded that finished.
    pub runs_ok: u64,
    /// Runs recorded that failed.
    pub runs_failed: u64,
    /// UTC, RFC 3339.
    pub started: String,
    /// When it finished (UTC, RFC 3339); `null` until then.
    pub finished: Option<String>,
    /// Threads used (`null` for a merge).
    pub jobs: Option<usize>,
    /// How the CSV files of the folder are written (`comma` when absent). Not part of
    /// the plan or its fingerprint: the numbers are the same in either dialect.
    #[serde(default, skip_serializing_if = "CsvDialect::is_comma")]
    pub csv_dialect: CsvDialect,
    /// The shard folders a merge combined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
    /// The plan's layout: everything that decides the batch's numbers.
    pub plan: Layout,
}

impl Manifest {
    /// The manifest of a batch that is starting now.
    pub fn start(
        layout: &Layout,
        shard: Shard,
        scenario_file: &str,
        command_line: &[String],
        jobs: usize,
        csv_dialect: CsvDialect,
    ) -> Manifest {
        Manifest {
            tool: "samverkan".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            scenario_file: scenario_file.into(),
            command_line: command_line.to_vec(),
            fingerprint: layout.fingerprint(),
            shard: (!shard.is_whole()).then(|| shard.to_string()),
            status: RUNNING.into(),
            tasks: layout.tasks(shard).count() as u64,
            runs_ok: 0,
            runs_failed: 0,
            started: super::utc_now(),
            finished: None,
            jobs: Some(jobs),
            csv_dialect,
            merged_from: vec![],
            plan: layout.clone(),
        }
    }

    /// The shard this folder holds.
    pub fn shard(&self) -> Result<Shard, BatchError> {
        match &self.shard {
            None => Ok(Shard::WHOLE),
            Some(s) => Shard::parse(s),
        }
    }

    /// Reads `dir/manifest.json` and checks its fingerprint against its plan.
    pub fn read(dir: &Path) -> Result<Manifest, BatchError> {
        let path = dir.join(FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| BatchError::corrupt(&path, format!("{e} (is {} the folder of a batch?)", dir.display())))?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| BatchError::corrupt(&path, e))?;
        if m.fingerprint != m.plan.fingerprint() {
            return Err(BatchError::corrupt(&path, "its plan does not match its fingerprint (edited by hand?)"));
        }
        Ok(m)
    }

    /// Writes `dir/manifest.json` atomically.
    pub fn write(&self, dir: &Path) -> Result<(), BatchError> {
        let path = dir.join(FILE);
        let mut json = serde_json::to_vec_pretty(self).map_err(|e| OutputError::io(&path, e))?;
        json.push(b'\n');
        Ok(write_atomic(&path, &json)?)
    }
}
