//! `samverkan debrief SCENARIO --log LOG`: an exercise log beside a batch of the model.

use super::{exit, fail};
use crate::batch::manifest::Manifest;
use crate::debrief::{self, ExerciseLog, compare, files, runs};
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
    // replaced at merge by debrief::log::read
    let log = read_log(&a.log, &model).map_err(bad)?;
    let dir = a.out.clone().unwrap_or_else(|| default_dir(&model, &a.log));
    refuse_clobber(&dir, a.force)?;
    let master = src.master.unwrap_or(model.seed);
    let seeds = runs::seeds(master, src.runs);
    let info = compare::batch_info(&model, &a.scenario.display().to_string(), master, seeds.len(), src.batch);
    let bar = crate::batch::runner::progress_bar(seeds.len() as u64, 0, !a.quiet);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.jobs.unwrap_or_else(crate::batch::runner::available_cpus))
        .build()
        .map_err(|e| Fail(exit::RUN_FAILED, e.to_string()))?;
    let d = pool.install(|| compare::compare(&model, &log, info, &seeds, || bar.inc(1)));
    bar.finish_and_clear();
    let d = d.map_err(|e| Fail(exit::RUN_FAILED, e.to_string()))?;
    // what-ifs, wired at merge: d.what_ifs = debrief::whatif::what_ifs(&model, &d, ...)
    write_folder(&dir, a.force, |stage| {
        files::write(stage, &d, &model, a.csv_dialect)?;
        // the report, wired at merge: debrief::report::write(stage, &d, &model, a.lang)
        let _ = a.lang;
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

/// Refuses a folder holding results unless `force`, before any run starts.
fn refuse_clobber(dir: &Path, force: bool) -> Result<(), Fail> {
    if !dir.exists() || force {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(OutputError::io(dir, "exists and is not a folder").into());
    }
    let has_files = std::fs::read_dir(dir)
        .map_err(|e| OutputError::io(dir, e))?
        .flatten()
        .any(|e| !output::is_own_hidden(&e.file_name().to_string_lossy()));
    if has_files { Err(OutputError::Exists(dir.display().to_string()).into()) } else { Ok(()) }
}

/// Writes the folder's files through `fill` into a hidden staging folder inside `dir`,
/// then moves them into `dir` (debrief.json last), so that a failure leaves no partial
/// set of files beside the earlier ones.
fn write_folder(dir: &Path, force: bool, fill: impl FnOnce(&Path) -> Result<(), OutputError>) -> Result<(), Fail> {
    output::prepare_dir(dir, force)?;
    let _lock = output::lock_dir(dir, output::Access::Write)?;
    let stage =
        tempfile::Builder::new().prefix(".debrief.tmp-").tempdir_in(dir).map_err(|e| OutputError::os(dir, &e))?;
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
        std::fs::rename(&from, &to).map_err(|e| OutputError::os(&to, &e))?;
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

// ------------------------------------------------------------------------------------
// replaced at merge by debrief::log::read: a minimal reader of a CSV log with the header
// time,unit,event,fact,from,to,observer,note (times in minutes or `YYYY-MM-DD HH:MM`).

fn read_log(path: &Path, model: &Model) -> Result<ExerciseLog, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (dialect, rest) = output::dialect::sniff(&bytes);
    let mut r = dialect.reader(rest);
    let header: Vec<String> = r.headers().map_err(|e| e.to_string())?.iter().map(|h| h.trim().to_lowercase()).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(ct), Some(cu), Some(ce), Some(cf)) = (col("time"), col("unit"), col("event"), col("fact")) else {
        return Err(format!("{}: the header must name time, unit, event and fact", path.display()));
    };
    let mut observations = vec![];
    let mut errors = vec![];
    for (i, rec) in r.records().enumerate() {
        let row = i as u64 + 2;
        let rec = rec.map_err(|e| format!("{}: row {row}: {e}", path.display()))?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
        let fields = [get(Some(ct)), get(Some(cu)), get(Some(ce)), get(Some(cf)), get(col("from")), get(col("to"))];
        match observation(model, row, &fields) {
            Ok(mut o) => {
                o.observer = get(col("observer"));
                o.note = get(col("note"));
                observations.push(o);
            }
            Err(e) => errors.push(format!("row {row}: {e}")),
        }
    }
    if !errors.is_empty() {
        return Err(format!("{}: the log is refused:\n  {}", path.display(), errors.join("\n  ")));
    }
    Ok(ExerciseLog { file: path.display().to_string(), observations })
}

fn observation(model: &Model, row: u64, f: &[String; 6]) -> Result<debrief::Observation, String> {
    use debrief::{EventKind, Subject};
    let time = log_time(model, &f[0])?;
    let event = EventKind::ALL.into_iter().find(|e| e.name() == f[2]).ok_or(format!("unknown event `{}`", f[2]))?;
    let unit_of = |s: &str| {
        model.units.iter().position(|u| u.id == s || u.name == s).map(|i| i as u32).ok_or(format!("unknown unit `{s}`"))
    };
    let opt_unit = |s: &str| if s.is_empty() { Ok(None) } else { unit_of(s).map(Some) };
    let subject = if f[3].is_empty() {
        None
    } else if event.is_conference() {
        let c = model.conferences.iter().position(|c| c.id == f[3]).ok_or(format!("unknown conference `{}`", f[3]))?;
        Some(Subject::Conference(c as u32))
    } else {
        let base = f[3].split('#').next().unwrap_or("");
        model.injects.iter().find(|i| i.id == base).ok_or(format!("unknown fact `{}`", f[3]))?;
        Some(Subject::Fact(f[3].clone()))
    };
    if subject.is_none() && event.needs_subject() {
        return Err(format!("`{}` needs a fact", event.name()));
    }
    let unit = match (f[1].is_empty(), &subject) {
        (true, Some(Subject::Conference(c))) => model.conferences[*c as usize].convener,
        _ => unit_of(&f[1])?,
    };
    let (from, to) = (opt_unit(&f[4])?, opt_unit(&f[5])?);
    Ok(debrief::Observation { row, time, unit, event, subject, from, to, observer: String::new(), note: String::new() })
}

/// Minutes (`15`, `15m`) or a clock time (`[Fri ]2017-04-07 15:08`), in ms from the start.
fn log_time(model: &Model, text: &str) -> Result<i64, String> {
    let t = text.trim_end_matches('m');
    let ms = if let Ok(m) = t.parse::<f64>() {
        (m * crate::time::MINUTE as f64).round() as i64
    } else {
        let clock = text.split_once(' ').filter(|(d, _)| d.len() == 3).map_or(text, |(_, rest)| rest);
        let at = crate::time::LocalDateTime::parse(clock).map_err(|_| format!("unreadable time `{text}`"))?;
        model.start.until(at)
    };
    if ms < 0 || ms > model.duration {
        return Err(format!("time `{text}` is outside the scenario (start to end)"));
    }
    Ok(ms)
}
