//! `samverkan replay LOG`

use super::run::{RunFileArgs, lock_out, print_summary, write_outputs};
use super::{exit, fail};
use crate::exercise::replay;
use crate::output;
use clap::Args;
use std::path::PathBuf;

/// Replay an exercise log: the simulated side of the exercise again, with every recorded
/// action at its recorded time, run to the scenario's end; writes the run's files.
#[derive(Args)]
#[command(
    after_help = "Example:\n  samverkan replay output/stockholm-attack/exercise-20261207-1830.csv --out replayed\n\n\
The log names the scenario file (as given to `samverkan exercise`, relative to where it was\n\
started), its variant and seed; a scenario file changed since the exercise is refused.\n\
Writes the files of `samverkan run` (docs/outputs.md): the same log gives byte-identical files."
)]
pub struct ReplayArgs {
    /// The exercise log written by `samverkan exercise`.
    log: PathBuf,
    /// Output folder (default: output/<scenario>/replay-<log file name>).
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    files: RunFileArgs,
}

pub fn main(a: ReplayArgs) -> u8 {
    let started = std::time::Instant::now();
    let (model, record) = match replay::replay(&a.log) {
        Ok(r) => r,
        Err(e @ (crate::exercise::ExerciseError::Sim(_) | crate::exercise::ExerciseError::Log { .. })) => {
            return fail(exit::RUN_FAILED, e);
        }
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    let elapsed = started.elapsed();
    let dir = a.out.clone().unwrap_or_else(|| {
        let stem = a.log.file_stem().map_or("log".into(), |s| s.to_string_lossy().into_owned());
        output::default_dir(std::path::Path::new("output"), &model.name, &format!("replay-{stem}"))
    });
    let _lock = match lock_out(&dir, a.files.force) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let summary = match write_outputs(&dir, &record, a.files.csv_dialect, a.files.lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if !a.files.quiet {
        print_summary(&summary, &dir, elapsed);
    }
    exit::OK
}
