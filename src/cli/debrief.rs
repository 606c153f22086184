//! `samverkan debrief SCENARIO --log LOG`: an exercise log beside a batch of the model.

use super::{exit, fail};
use crate::batch::manifest::Manifest;
use crate::debrief::{self, compare, files, runs, whatif};
use crate::model::Model;
use crate::output::{self, CsvDialect, OutputError};
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Place every observation of an exercise log in the simulated distribution of the same
/// quantity, rate the objectives on the observations and decompose the observed chains.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
samverkan debrief scenarios/stockholm-attack.toml --log exercise.csv\n  \
samverkan debrief scenarios/stockholm-attack.toml --log exercise.csv --runs 500 --seed 7\n  \
samverkan debrief scenarios/stockholm-attack.toml --log exercise.csv --batch output/stockholm-attack/batch-1\n\n\
Writes debrief.csv (one row per observation: observed time, the model's p10/median/p90,\n\
percentile, verdict faster / as_expected / slower / never_in_model / not_comparable),\n\
levels.csv, objectives.csv, hops.csv, whatif.csv and debrief.json (see docs/debrief.md).\n\
The log format is in docs/exercise-log.md. The folder is written all at once: nothing is\n\
written when the log is refused (exit 2).")]
pub struct DebriefArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// The exercise log (CSV; see docs/exercise-log.md).
    #[arg(long)]
    log: PathBuf,
    /// Apply this named variant of the scenario.
    #[arg(long)]
    variant: Option<String>,
    /// Runs of the model to compare with.
    #[arg(long, default_value_t = 200)]
    runs: u64,
    /// Master seed (default: the scenario's own); the same runs as `samverkan batch --seed S`.
    #[arg(long)]
    seed: Option<u64>,
    /// Take scenario variant, master seed and runs from this batch folder's manifest
    /// (its runs are replayed: replications are deterministic).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["runs", "seed"])]
    batch: Option<PathBuf>,
    /// Output folder (default: output/<scenario>/debrief-<log file name>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Threads (default: the CPUs this process may use).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Overwrite results already in the output folder.
    #[arg(long)]
    force: bool,
    /// Language of the report: en or sv.
    #[arg(long, default_value = "en")]
    lang: crate::report::Lang,
    /// CSV files for data tools (comma) or a Swedish-locale Excel (excel-sv).
    #[arg(long, alias = "dialect", value_name = "comma|excel-sv", default_value = "comma")]
    csv_dialect: CsvDialect,
    /// No progress bar and no summary; only errors.
    #[arg(long, short)]
    quiet: bool,
}

/// A failure with its exit code.
struct Fail(u8, String);

impl From<OutputError> for Fail {
    fn from(e: OutputError) -> Fail {
        Fail(if e.is_bad_input() { exit::BAD_INPUT } else { exit::RUN_FAILED }, e.to_string())
    }
}

fn bad(e: impl std::fmt::Display) -> Fail {
    Fail(exit::BAD_INPUT, e.to_string())
}

pub fn main(a: DebriefArgs) -> u8 {
    match debrief(&a) {
        Ok(()) => exit::OK,
        Err(Fail(code, message)) => fail(code, message),
    }
}

/// The runs to compare with: (variant, master seed, runs, batch folder).
struct Source {
    variant: Option<String>,
    master: Option<u64>,
    runs: u64,
    batch: Option<String>,
    hash: Option<String>,
}

fn source(a: &DebriefArgs) -> Result<Source, Fail> {
    let Some(dir) = &a.batch else {
        return Ok(Source { variant: a.variant.clone(), master: a.seed, runs: a.runs, batch: None, hash: None });
    };
    let m = Manifest::read(dir).map_err(bad)?;
    let l = &m.plan;
    if l.points.len() > 1 {
        return Err(bad(format!(
            "{}: a batch of {} design points; debrief one without sweeps",
            dir.display(),
            l.points.len()
        )));
    }
    let variant = match &a.variant {
        Some(v) if v == "base" => None,
        Some(v) if l.variants.iter().any(|x| x == v) => Some(v.clone()),
        Some(v) => {
            return Err(bad(format!(
                "{}: the batch has no variant `{v}` (it has {})",
                dir.display(),
                l.variants.join(", ")
            )));
        }
        None => None,
    };
    let hash = Some(l.scenario_hash.clone());
    Ok(Source { variant, master: Some(l.master_seed), runs: l.runs, batch: Some(dir.display().to_string()), hash })
}

fn debrief(a: &DebriefArgs) -> Result<(), Fail> {
    if a.jobs == Some(0) {
        return Err(bad("--jobs must be at least 1"));
    }
    if a.runs == 0 {
        return Err(bad("--runs must be at least 1"));
    }
    let src = source(a)?;
    let model = Arc::new(crate::scenario::load(&a.scenario, src.variant.as_deref()).map_err(bad)?);
    if let Some(h) = &src.hash
        && *h != model.hash
    {
        return Err(bad(format!(
            "the batch in {} was run on another version of the scenario (hash {h}, {} has {}); \
             run the debrief with --runs/--seed instead, or rerun the batch",
            src.batch.as_deref().unwrap_or_default(),
            a.scenario.display(),
            model.hash
        )));
    }
    let log = debrief::log::read(&a.log, &model).map_err(bad)?;
    if log.observations.is_empty() {
        return Err(bad(format!(
            "{}: the log holds no observations (only rows with a time are observations; see docs/exercise-log.md)",
            a.log.display()
        )));
    }
    let dir = a.out.clone().unwrap_or_else(|| default_dir(&model, &a.log));
    // Refused before any run starts.
    output::check_dir(&dir, a.force)?;
    let master = src.master.unwrap_or(model.seed);
    let seeds = runs::seeds(master, src.runs);
    let info = compare::batch_info(&model, &a.scenario.display().to_string(), master, seeds.len(), src.batch);
    let bar = crate::batch::runner::progress_bar(seeds.len() as u64, 0, !a.quiet);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.jobs.unwrap_or_else(crate::batch::runner::available_cpus))
        .build()
        .map_err(|e| Fail(exit::RUN_FAILED, e.to_string()))?;
    let mut d = pool
        .install(|| compare::compare(&model, &log, info, &seeds, || bar.inc(1)))
        .map_err(|e| Fail(exit::RUN_FAILED, e.to_string()))?;
    let candidates = whatif::candidates(&model, &d.placed, &d.hops, whatif::DEFAULT_CANDIDATES);
    if !candidates.is_empty() {
        bar.set_length(seeds.len() as u64 * (2 + candidates.len() as u64));
    }
    d.what_ifs = pool
        .install(|| whatif::what_ifs(&model, &seeds, candidates, || bar.inc(1)))
        .map_err(|e| Fail(exit::RUN_FAILED, e.to_string()))?;
    bar.finish_and_clear();
    write_folder(&dir, a.force, |stage| {
        files::write(stage, &d, &model, a.csv_dialect)?;
        debrief::report::write(stage, &d, &model, a.lang).map_err(|e| Fail(exit::RUN_FAILED, e.to_string()))?;
        Ok(())
    })?;
    if !a.quiet {
        print_summary(&d, &dir);
    }
    Ok(())
}

fn default_dir(model: &Model, log: &Path) -> PathBuf {
    let stem = log.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "log".into());
    output::default_dir(Path::new("output"), &model.name, &format!("debrief-{stem}"))
}

/// Writes the folder's files through `fill` into a hidden staging folder inside `dir`,
/// then moves them into `dir` (debrief.json last), so that a failure leaves no partial
/// set of files beside the earlier ones.
fn write_folder(dir: &Path, force: bool, fill: impl FnOnce(&Path) -> Result<(), Fail>) -> Result<(), Fail> {
    output::prepare_dir(dir, force)?;
    let _lock = output::lock_dir(dir, output::Access::Write)?;
    let stage =
        tempfile::Builder::new().prefix(".debrief.tmp-").tempdir_in(dir).map_err(|e| OutputError::os(dir, e))?;
    fill(stage.path())?;
    let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(stage.path())
        .map_err(|e| OutputError::io(stage.path(), e))?
        .flatten()
        .map(|e| e.file_name())
        .collect();
    names.sort_by_key(|n| (n.as_os_str() == files::DEBRIEF_JSON, n.clone()));
    for name in names {
        let (from, to) = (stage.path().join(&name), dir.join(&name));
        if to.is_dir() && !to.is_symlink() {
            std::fs::remove_dir_all(&to).map_err(|e| OutputError::io(&to, e))?;
        }
        std::fs::rename(&from, &to).map_err(|e| OutputError::os(&to, e))?;
    }
    Ok(())
}

fn print_summary(d: &debrief::Debrief, dir: &Path) {
    let b = &d.batch;
    say!(
        "{}: {} observations of {} beside {} runs (seed {}{})",
        b.scenario,
        d.placed.len(),
        d.log.file,
        b.runs,
        b.master_seed,
        b.variant.as_ref().map(|v| format!(", variant {v}")).unwrap_or_default()
    );
    use debrief::Verdict::*;
    for v in [Faster, AsExpected, Slower, NeverInModel, NotComparable] {
        let n = d.placed.iter().filter(|p| p.verdict == v).count();
        if n > 0 {
            say!("  {:<16} {n}", v.name());
        }
    }
    for o in &d.objectives {
        say!(
            "  objective {:<26} {:<12} model {:.0}% of runs",
            o.id,
            files::rating_code(o.rating),
            o.model_probability * 100.0
        );
    }
    say!("  files in {}", dir.display());
}
