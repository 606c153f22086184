//! `samverkan report DIR [--lang sv]`

use super::exit;
use crate::report::{self, Lang};
use clap::Args;
use std::path::PathBuf;

/// Draw the charts and the debrief report (report.html) of a run or batch folder again,
/// from its CSV files alone.
#[derive(Args)]
#[command(after_help = "Example:\n  samverkan report output/stockholm-attack/run-20170407 --lang sv\n\n\
Writes charts/*.png, charts/*.svg and report.html into DIR (see docs/charts.md).\n\
DIR is a folder written by `samverkan run` or `samverkan batch`.")]
pub struct ReportArgs {
    /// Folder written by `samverkan run` or `samverkan batch`.
    dir: PathBuf,
    /// Language of labels, captions and the report: en or sv.
    #[arg(long, default_value = "en")]
    lang: Lang,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

pub fn main(a: ReportArgs) -> u8 {
    match report::render(&a.dir, a.lang) {
        Ok(files) => {
            if !a.quiet {
                say!("{} files written; open {}", files.len(), a.dir.join(report::REPORT).display());
            }
            exit::OK
        }
        Err(e) => super::fail_report(e),
    }
}
