//! Batches: many replications of a scenario, its variants and design points, run in
//! parallel and summarised (docs/batch.md).
//!
//! Data flows one way: [`plan`] turns the request (scenario, runs, variants, sweeps,
//! design, shard) into a checked [`plan::Plan`] — every design point × variant compiled —
//! before anything runs; [`runner`] runs its tasks on a rayon pool, one `World` per
//! replication, appending each finished run to `runs.csv` ([`journal`]); at the end
//! [`files`] reads those rows back, sorts them and writes `runs.csv`, `stats.csv`,
//! `objectives.csv`, `compare.csv` and `manifest.json` ([`manifest`]) using [`stats`],
//! next to `scenario.toml`, the copy of the scenario it ran ([`scenario_copy`]).
//! [`merge`] combines the folders of shards into the files one unsharded batch writes.
//!
//! ```no_run
//! use samverkan::batch::{plan::{Plan, PlanSpec}, runner};
//! let spec = PlanSpec { runs: 20, ..PlanSpec::new("scenarios/stockholm-attack.toml") };
//! let plan = Plan::build(&spec)?;
//! let done = runner::run(&plan, std::path::Path::new("output/example"), &runner::Options::default())?;
//! println!("{} runs, {} failed", done.ok + done.failed, done.failed);
//! # Ok::<(), samverkan::batch::BatchError>(())
//! ```

pub mod files;
pub mod journal;
pub mod manifest;
pub mod merge;
pub mod municipal;
pub mod plan;
pub mod row;
pub mod runner;
pub mod scenario_copy;
pub mod stats;

use crate::output::OutputError;
use crate::scenario::ScenarioError;

/// The name of the scenario without any variant applied.
pub const BASE: &str = crate::scenario::parsed::BASE_NAME;

/// Why a batch could not be planned, run or merged.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The scenario itself does not load.
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    /// A design point or variant does not compile.
    #[error("{context}:\n{error}")]
    Point {
        /// Which point and variant.
        context: String,
        /// Why it does not compile.
        error: ScenarioError,
    },
    /// A generated design that cannot be made (bad --design KIND:N or --range).
    #[error(transparent)]
    Design(#[from] crate::design::DesignError),
    /// A request that cannot be carried out (bad --sweep, --shard, design file, …).
    #[error("{0}")]
    Usage(String),
    /// A folder that belongs to another batch, or shards that do not fit together.
    #[error("{0}")]
    Mismatch(String),
    /// A file of a batch that cannot be read as one.
    #[error("{path}: {reason}")]
    Corrupt {
        /// The file.
        path: String,
        /// What is wrong with it.
        reason: String,
        /// The underlying error (or the message itself).
        #[source]
        source: crate::output::Cause,
    },
    /// A file could not be written (or read back).
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Stopped by a signal; the runs that finished are recorded.
    #[error("interrupted: {recorded} of {tasks} runs are recorded in {dir}")]
    Interrupted {
        /// The batch folder.
        dir: String,
        /// Runs recorded in it.
        recorded: u64,
        /// Runs it holds when finished.
        tasks: u64,
    },
}

impl BatchError {
    /// True when the user can fix it by changing the input (exit code 2), false for
    /// failures while writing (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        match self {
            BatchError::Output(e) => e.is_bad_input(),
            BatchError::Interrupted { .. } => false,
            _ => true,
        }
    }

    pub(crate) fn corrupt(path: &std::path::Path, reason: impl Into<crate::output::Cause>) -> BatchError {
        let source: crate::output::Cause = reason.into();
        BatchError::Corrupt { path: path.display().to_string(), reason: source.to_string(), source }
    }
}

/// The current time as an RFC 3339 UTC timestamp, e.g. `2026-05-01T12:00:00Z`.
pub fn utc_now() -> String {
    let ms =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    let epoch = crate::time::LocalDateTime::parse("1970-01-01T00:00").expect("a valid date");
    format!("{}Z", epoch.plus(ms - ms % 1000))
}
