//! `samverkan sensitivity BATCH_DIR`

use super::exit;
use crate::report::{self, Lang};
use crate::sensitivity::{self, SensitivityError};
use clap::Args;
use std::path::{Path, PathBuf};

/// Compute the sensitivity indices of a batch over a generated design (Sobol indices
/// for --design sobol:N, Morris μ* and σ for --design morris:R) into sensitivity.csv,
/// and draw the report again with its tornado chart.
#[derive(Args)]
#[command(after_help = "Example:\n  samverkan sensitivity output/stockholm-attack/batch-20170407 --lang sv\n\n\
Writes sensitivity.csv (columns in docs/outputs.md), charts/tornado.png and .svg, and\n\
report.html into BATCH_DIR. A batch run with --design sobol:N or morris:R does this\n\
itself when it finishes; use this command after `samverkan merge`, or to redraw.\n\
Exit codes: 0 written, 2 not a finished batch over a Sobol or Morris design, or\n\
sensitivity.csv exists (add --force), 1 files could not be written.")]
pub struct SensitivityArgs {
    /// Folder of a finished batch run with --design sobol:N or morris:R.
    dir: PathBuf,
    /// Language of the charts and report.html: en or sv.
    #[arg(long, default_value = "en")]
    lang: Lang,
    /// Replace an existing sensitivity.csv.
    #[arg(long)]
    force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

pub fn main(a: SensitivityArgs) -> u8 {
    match write_and_draw(&a.dir, a.force, a.lang) {
        Ok(path) => {
            if !a.quiet {
                say!("wrote {}; report: {}", path.display(), a.dir.join(report::REPORT).display());
            }
            exit::OK
        }
        Err(Failure::Sensitivity(e)) => {
            let code = if e.is_bad_input() { exit::BAD_INPUT } else { exit::RUN_FAILED };
            super::fail(code, e)
        }
        Err(Failure::Report(e)) => super::fail_report(e),
    }
}

enum Failure {
    Sensitivity(SensitivityError),
    Report(report::ReportError),
}

/// Writes sensitivity.csv and redraws the batch's report, holding the folder's lock.
fn write_and_draw(dir: &Path, force: bool, lang: Lang) -> Result<PathBuf, Failure> {
    let lock = crate::output::lock_dir(dir, crate::output::Access::Write)
        .map_err(|e| Failure::Sensitivity(SensitivityError::Output(e)))?;
    let path = sensitivity::write(lock.dir(), force).map_err(Failure::Sensitivity)?;
    report::render_batch(lock.dir(), lang).map_err(Failure::Report)?;
    Ok(path)
}
