//! `samverkan run SCENARIO`

use super::{exit, fail};
use crate::output::{self, run::write_run_in};
use crate::{metrics, report, scenario, sim};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

/// Run a scenario once and write what happened as CSV and JSON files.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  samverkan run scenarios/stockholm-attack.toml --variant conference-2h --seed 7\n  \
samverkan run scenarios/stockholm-attack.toml --csv-dialect excel-sv   (for Excel, Swedish)\n\n\
Writes facts.csv, levels.csv, messages.csv, units.csv, resources.csv, requests.csv,\n\
conferences.csv, public.csv, infrastructure.csv and summary.json (see docs/outputs.md),\n\
then results.xlsx (the tables as one workbook), the charts (charts/*.png, charts/*.svg)\n\
and report.html (see docs/charts.md)."
)]
pub struct RunArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Apply this named variant of the scenario.
    #[arg(long)]
    variant: Option<String>,
    /// Random seed (default: the scenario's own).
    #[arg(long)]
    seed: Option<u64>,
    /// Output folder (default: output/<scenario>/run-<seed>[-<variant>]).
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    files: RunFileArgs,
}

/// How a command that writes one run's files writes them (`run`, `replay`): the flags
/// after `--out`.
#[derive(Args)]
pub struct RunFileArgs {
    /// Overwrite results already in the output folder.
    #[arg(long)]
    pub(super) force: bool,
    /// CSV files for data tools (comma, the default) or for a Swedish-locale Excel
    /// (excel-sv: semicolons, decimal commas, a byte-order mark, CRLF).
    #[arg(long, value_name = "comma|excel-sv", default_value = "comma")]
    pub(super) csv_dialect: output::CsvDialect,
    /// Language of the charts and report.html: en or sv.
    #[arg(long, default_value = "en")]
    pub(super) lang: report::Lang,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub(super) quiet: bool,
}

pub fn main(a: RunArgs) -> u8 {
    let model = match scenario::load(&a.scenario, a.variant.as_deref()) {
        Ok(m) => Arc::new(m),
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    let seed = a.seed.unwrap_or(model.seed);
    let dir = a.out.clone().unwrap_or_else(|| {
        let leaf = match &a.variant {
            Some(v) => format!("run-{seed}-{v}"),
            None => format!("run-{seed}"),
        };
        output::default_dir(std::path::Path::new("output"), &model.name, &leaf)
    });
    let _lock = match lock_out(&dir, a.files.force) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let record = match sim::run_or_stop(&model, seed) {
        Ok((r, None)) => r,
        Ok((r, Some(stop))) => return stopped(&dir, &r, &stop, a.files.csv_dialect),
        Err(e) => return fail(exit::RUN_FAILED, e),
    };
    let elapsed = started.elapsed();
    let summary = match write_outputs(&dir, &record, a.files.csv_dialect, a.files.lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if !a.files.quiet {
        print_summary(&summary, &dir, elapsed);
    }
    exit::OK
}

/// Prepares and locks a run's output folder (refusing results already there without
/// `force`); the error is the exit code, its message printed.
pub(super) fn lock_out(dir: &std::path::Path, force: bool) -> Result<output::FolderLock, u8> {
    // Checked before locking too, so that a refused run leaves the folder as it was.
    let lock = output::prepare_dir(dir, force)
        .and_then(|_| output::lock_dir(dir, output::Access::Write))
        .and_then(|l| output::prepare_dir(dir, force).map(|_| l));
    match lock {
        Ok(l) => Ok(l),
        Err(e) if e.is_bad_input() => Err(fail(exit::BAD_INPUT, e)),
        Err(e) => Err(fail(exit::RUN_FAILED, e)),
    }
}

/// Writes a run's files, then its charts and report.html; the error is the exit code.
pub(super) fn write_outputs(
    dir: &std::path::Path,
    record: &sim::RunRecord,
    dialect: output::CsvDialect,
    lang: report::Lang,
) -> Result<metrics::Summary, u8> {
    let summary = metrics::summarise(record);
    if let Err(e) = write_run_in(dir, record, &summary, dialect) {
        return Err(fail(exit::RUN_FAILED, e));
    }
    // The charts read the files just written, as `samverkan report` would.
    if let Err(e) = report::render_run(dir, lang) {
        return Err(super::fail_report(e));
    }
    Ok(summary)
}

/// A run stopped by a guard: what it recorded, marked partial, and exit 1.
fn stopped(dir: &std::path::Path, r: &sim::RunRecord, stop: &sim::SimError, d: output::CsvDialect) -> u8 {
    if let Err(e) = output::run::write_stopped(dir, r, &stop.to_string(), d) {
        return fail(exit::RUN_FAILED, format!("{stop}\n(and writing what it recorded failed: {e})"));
    }
    let marker = dir.join(output::run::STOPPED);
    fail(
        exit::RUN_FAILED,
        format!(
            "{stop}\nwhat the run recorded up to the stop is in {} (partial, see {})",
            dir.display(),
            marker.display()
        ),
    )
}

pub(super) fn print_summary(s: &metrics::Summary, dir: &std::path::Path, elapsed: std::time::Duration) {
    say!(
        "{} (seed {}{}): {} events in {:.1} ms",
        s.scenario,
        s.seed,
        s.variant.as_ref().map(|v| format!(", variant {v}")).unwrap_or_default(),
        s.events,
        elapsed.as_secs_f64() * 1e3
    );
    use metrics::Headline as H;
    for key in [H::FirstFactAllCoordinating, H::FirstAnyConference, H::FirstPicture, H::DelayStrategicMedian] {
        let v = s.measures[key];
        say!("  {:<36} {}", key.name(), v.map(output::num).unwrap_or_else(|| "never".into()));
    }
    for o in &s.objectives {
        say!(
            "  objective {:<26} {} ({})",
            o.id,
            if o.met { "met" } else { "NOT met" },
            o.value.map(output::num).unwrap_or_else(|| "never".into())
        );
    }
    say!("  files in {}", dir.display());
    say!("  debrief report: {}", dir.join(report::REPORT).display());
}
