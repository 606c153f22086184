//! `samverkan merge DIR... --out DIR`

use super::{exit, fail};
use crate::batch::merge::merge_locked;
use clap::Args;
use std::path::PathBuf;

/// Combine the folders of a batch's shards (`batch --shard K/N`) into the files one
/// unsharded batch writes.
#[derive(Args)]
#[command(after_help = "Example:\n  \
samverkan batch scenarios/stockholm-attack.toml --shard 1/2 --out shards/1\n  \
samverkan batch scenarios/stockholm-attack.toml --shard 2/2 --out shards/2\n  \
samverkan merge shards/1 shards/2 --out results\n  \
samverkan merge shards/1 shards/2 --out results-excel --csv-dialect excel-sv\n\n\
runs.csv, stats.csv, objectives.csv and compare.csv come out byte-identical to those of\n\
the same batch run without --shard (in the same --csv-dialect); results.xlsx, the charts\n\
and report.html are drawn from them. Every shard 1..N must be given once, finished.\n\
Exit codes: 0 merged, 3 merged but some runs had failed, 2 the folders do not fit together.")]
pub struct MergeArgs {
    /// Folders of the shards (each written by `samverkan batch --shard K/N`).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Folder for the merged results.
    #[arg(long, required = true)]
    out: PathBuf,
    /// Overwrite a batch already in --out.
    #[arg(long)]
    force: bool,
    /// CSV files for data tools (comma, the default) or for a Swedish-locale Excel
    /// (excel-sv: semicolons, decimal commas, a byte-order mark, CRLF); the shards may
    /// be in either.
    #[arg(long, value_name = "comma|excel-sv", default_value = "comma")]
    csv_dialect: crate::output::CsvDialect,
    /// Language of the charts and report.html: en or sv.
    #[arg(long, default_value = "en")]
    lang: crate::report::Lang,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

pub fn main(a: MergeArgs) -> u8 {
    let command_line: Vec<String> = std::env::args().collect();
    let locked = crate::batch::merge::check_not_input(&a.dirs, &a.out)
        .and_then(|_| Ok(crate::output::lock_dir(&a.out, crate::output::Access::Write)?));
    let lock = match locked {
        Ok(l) => l,
        Err(e) if e.is_bad_input() => return fail(exit::BAD_INPUT, e),
        Err(e) => return fail(exit::RUN_FAILED, e),
    };
    let merged = match merge_locked(&a.dirs, &lock, a.force, &command_line, a.csv_dialect) {
        Ok(m) => m,
        Err(e) if e.is_bad_input() => return fail(exit::BAD_INPUT, e),
        Err(e) => return fail(exit::RUN_FAILED, e),
    };

    if let Err(e) = crate::report::render_batch(&a.out, a.lang) {
        return super::fail_report(e);
    }

    if !a.quiet {
        say!(
            "merged {} shards: {} runs, {} failed; files in {}",
            merged.shards,
            merged.ok + merged.failed,
            merged.failed,
            a.out.display()
        );
        say!("  report: {}", a.out.join(crate::report::REPORT).display());
    }
    if merged.failed > 0 { exit::SOME_RUNS_FAILED } else { exit::OK }
}
