//! Running a plan: a rayon pool of `--jobs` threads takes this shard's tasks in task
//! order; each task builds its own `World` (one [`sim::run_recording`], recording only
//! what the row reads unless the run's files are kept), and its row is appended to
//! `runs.csv` the moment it finishes. A run that fails (a guard trips, or even a panic)
//! becomes a failed row with its reason and the batch goes on. At the end the rows are
//! read back and the result files written ([`super::files`]), `manifest.json` last.

use super::files::{self, RUNS};
use super::journal::{self, Journal};
use super::manifest::{self, FINISHED, INTERRUPTED, Manifest, RUNNING};
use super::plan::{ModelCache, Plan, Task};
use super::row::Row;
use super::{BASE, BatchError, scenario_copy};
use crate::output::{self, Access, CsvDialect, FolderLock, OutputError, run::write_run_in};
use crate::{metrics, sim};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How to run (none of this changes the numbers).
#[derive(Clone, Debug)]
pub struct Options {
    /// Threads; each runs one replication at a time.
    pub jobs: usize,
    /// Also write every run's files under `runs/<point>-<variant>-<replication>/`.
    pub keep_runs: bool,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
    /// Continue the batch in the folder, skipping runs already recorded.
    pub resume: bool,
    /// Start again in a folder that holds results.
    pub force: bool,
    /// Recorded in the manifest.
    pub command_line: Vec<String>,
    /// The dialect of the CSV files; `None`: comma for a new batch, and the folder's
    /// own (recorded in manifest.json) when resuming, which a different one may not
    /// change.
    pub csv_dialect: Option<CsvDialect>,
    /// Set (by a signal handler) to stop the batch: runs in progress finish and are
    /// recorded, no new run starts, and the manifest says `interrupted`.
    pub stop: Arc<AtomicBool>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            jobs: available_cpus(),
            keep_runs: false,
            progress: false,
            resume: false,
            force: false,
            command_line: vec![],
            csv_dialect: None,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// What a batch did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Runs recorded in the folder: finished and failed.
    pub ok: u64,
    pub failed: u64,
    /// Runs done by this call (the others were recorded before a resume).
    pub ran: u64,
    pub elapsed: Duration,
    /// The reason of the first failed run (in task order).
    pub first_failure: Option<String>,
}

/// CPUs this process may use: the affinity mask and cgroup quota (as the standard
/// library reads them), and no more than `SLURM_CPUS_PER_TASK` when Slurm sets it.
pub fn available_cpus() -> usize {
    let std = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let slurm = std::env::var("SLURM_CPUS_PER_TASK").ok().and_then(|v| v.trim().parse::<usize>().ok());
    match slurm {
        Some(n) if n > 0 => n.min(std),
        _ => std,
    }
}

/// The folder a task's files go to under `runs/` with `--keep-runs`.
pub fn run_dir(plan: &Plan, t: &Task) -> String {
    format!("{}-{}-{}", t.point, output::sanitise(&plan.layout.variants[t.variant]), t.rep)
}

/// Runs this shard of `plan` into `dir`, holding the folder's lock throughout.
pub fn run(plan: &Plan, dir: &Path, opts: &Options) -> Result<Outcome, BatchError> {
    let lock = output::lock_dir(dir, Access::Write)?;
    run_locked(plan, &lock, opts)
}

/// Runs this shard of `plan` into the folder `lock` holds (for a caller that goes on
/// using the folder, e.g. to draw the report, before letting it go).
pub fn run_locked(plan: &Plan, lock: &FolderLock, opts: &Options) -> Result<Outcome, BatchError> {
    let dir = lock.dir();
    let started = Instant::now();
    let (journal, done, manifest) = open(plan, dir, opts)?;
    let todo: Vec<Task> = plan.tasks().filter(|t| !done.contains(t)).collect();
    let bar = progress_bar(manifest.tasks, done.len() as u64, opts.progress);
    let keep = if opts.keep_runs { Some(output::subdir(dir, "runs")?) } else { None };
    let keep = keep.as_deref().map(|d| (d, manifest.csv_dialect));
    let times = super::municipal::Times::open(dir, done.is_empty())?;
    let ran = execute(plan, &todo, (&journal, &times), keep, opts, &bar);
    bar.finish_and_clear();
    journal.close()?;
    let ran = ran?;
    if ran < todo.len() {
        return Err(interrupted(dir, manifest, (done.len() + ran) as u64));
    }
    let (ok, failed, first_failure) = finish(plan, dir, manifest)?;
    Ok(Outcome { ok, failed, ran: todo.len() as u64, elapsed: started.elapsed(), first_failure })
}

/// Marks the manifest `interrupted` (with the runs recorded so far) and says so.
fn interrupted(dir: &Path, mut manifest: Manifest, recorded: u64) -> BatchError {
    manifest.status = INTERRUPTED.into();
    if let Err(e) = manifest.write(dir) {
        return e;
    }
    BatchError::Interrupted { dir: dir.display().to_string(), recorded, tasks: manifest.tasks }
}

/// Opens the folder: a new batch (refusing a folder with results unless `force`), or
/// the batch to resume (which must be this plan and shard).
fn open(plan: &Plan, dir: &Path, opts: &Options) -> Result<(Journal, HashSet<Task>, Manifest), BatchError> {
    let layout = &plan.layout;
    let runs = dir.join(RUNS);
    let has_manifest = dir.join(manifest::FILE).is_file();
    if opts.resume && has_manifest {
        let old = check_resumable(plan, dir)?;
        let dialect = old.csv_dialect;
        if let Some(asked) = opts.csv_dialect.filter(|d| *d != dialect) {
            return Err(BatchError::Mismatch(format!(
                "cannot resume {} with --csv-dialect {}: its files are written in {}; resume it without \
                 --csv-dialect (or with --csv-dialect {})",
                dir.display(),
                asked.name(),
                dialect.name(),
                dialect.name()
            )));
        }
        let (journal, rows) = if runs.is_file() {
            Journal::resume(&runs, layout, dialect)?
        } else {
            (Journal::create(&runs, layout, dialect)?, vec![])
        };
        let mut done = HashSet::new();
        for r in rows {
            if !layout.in_shard(plan.shard, &r.task) {
                return Err(BatchError::corrupt(&runs, format!("holds a run of another shard than {}", plan.shard)));
            }
            done.insert(r.task);
        }
        let manifest = Manifest { status: RUNNING.into(), finished: None, jobs: Some(opts.jobs), ..old };
        manifest.write(dir)?;
        // The same bytes (the hash matched), or the copy an older folder lacks.
        scenario_copy::write(dir, plan.source())?;
        return Ok((journal, done, manifest));
    }
    if has_manifest && !opts.force {
        return Err(BatchError::Usage(format!(
            "{} already holds a batch; add --resume to continue it, --force to start it again, or choose another --out",
            dir.display()
        )));
    }
    output::prepare_dir(dir, opts.force)?;
    if has_manifest {
        clear_batch(dir)?;
    }
    let dialect = opts.csv_dialect.unwrap_or_default();
    let manifest = Manifest::start(layout, plan.shard, &plan.scenario_file, &opts.command_line, opts.jobs, dialect);
    manifest.write(dir)?;
    scenario_copy::write(dir, plan.source())?;
    let journal = Journal::create(&runs, layout, dialect)?;
    Ok((journal, HashSet::new(), manifest))
}

/// The manifest of the batch in `dir` if `plan` may resume it (same layout and shard).
pub fn check_resumable(plan: &Plan, dir: &Path) -> Result<Manifest, BatchError> {
    let old = Manifest::read(dir)?;
    let (was, now) = (&old.plan, &plan.layout);
    let why = if old.fingerprint == now.fingerprint() && old.shard()? == plan.shard {
        return Ok(old);
    } else if was.scenario_hash != now.scenario_hash {
        format!(
            "the scenario file {} has changed since this batch was started, so its runs would not fit \
             together; resume with the scenario as it was, or start again with --force",
            plan.scenario_file
        )
    } else if was.tool_version != now.tool_version {
        format!(
            "it was started by samverkan {}, this is {}; resume it with that version, or start again with --force",
            was.tool_version, now.tool_version
        )
    } else {
        format!(
            "it holds another batch ({}, shard {}); resume it with the arguments it was started with, \
             or choose another --out",
            describe(&old),
            old.shard.as_deref().unwrap_or("none")
        )
    };
    Err(BatchError::Mismatch(format!("cannot resume {}: {why}", dir.display())))
}

fn describe(m: &Manifest) -> String {
    let p = &m.plan;
    format!(
        "{}, {} replications, variants {}, {} design point(s)",
        p.scenario,
        p.runs,
        p.variants.join(", "),
        p.points.len()
    )
}

/// Removes the files of an earlier batch before `--force` starts a new one there.
pub(super) fn clear_batch(dir: &Path) -> Result<(), BatchError> {
    let map_files = [super::municipal::RUNS_FILE, crate::geo::knowing::FILE, crate::geo::knowing::LOCATION_FILE];
    let earlier = files::TABLES.iter().chain([&manifest::FILE, &scenario_copy::FILE, &crate::sensitivity::FILE]);
    for f in earlier.chain(map_files.iter()) {
        let p = dir.join(f);
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| OutputError::io(&p, e))?;
        }
    }
    let runs = dir.join("runs");
    if runs.is_dir() {
        std::fs::remove_dir_all(&runs).map_err(|e| OutputError::io(&runs, e))?;
    }
    Ok(())
}

/// A progress bar on standard error, hidden when `wanted` is false or standard error is not a terminal.
pub(crate) fn progress_bar(len: u64, done: u64, wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} runs (eta {eta})")
    {
        bar.set_style(style);
    }
    bar.set_position(done);
    bar.reset_eta();
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Runs `todo` on `jobs` threads, in order; stops early only if a row cannot be written.
fn execute(
    plan: &Plan,
    todo: &[Task],
    (journal, times): (&Journal, &super::municipal::Times),
    keep: Option<(&Path, CsvDialect)>,
    opts: &Options,
    bar: &ProgressBar,
) -> Result<usize, BatchError> {
    let jobs = opts.jobs.clamp(1, todo.len().max(1));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| BatchError::Usage(format!("cannot start {jobs} threads: {e}")))?;
    let (next, finished) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let error: Mutex<Option<BatchError>> = Mutex::new(None);
    let stopped = || opts.stop.load(Ordering::SeqCst) || error.lock().map(|e| e.is_some()).unwrap_or(true);
    pool.scope(|s| {
        for _ in 0..jobs {
            s.spawn(|_| {
                let mut cache = ModelCache::default();
                let mut scratch = metrics::Scratch::default();
                while !stopped() {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(task) = todo.get(i) else { break };
                    let done = run_one(plan, *task, keep, (&mut cache, &mut scratch)).and_then(|(row, map)| {
                        times.append(&plan.layout, *task, map.as_ref())?;
                        journal.append(&plan.layout, &row)
                    });
                    match done {
                        Ok(()) => {
                            finished.fetch_add(1, Ordering::SeqCst);
                            bar.inc(1)
                        }
                        Err(e) => {
                            let mut slot = error.lock().unwrap_or_else(|p| p.into_inner());
                            slot.get_or_insert(e);
                        }
                    }
                }
            });
        }
    });
    match error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(e) => Err(e),
        None => Ok(finished.into_inner()),
    }
}

/// One replication: its own `World`, its summary as a row (with its municipality times
/// for the map), and its files if kept.
fn run_one(
    plan: &Plan,
    task: Task,
    keep: Option<(&Path, CsvDialect)>,
    (cache, scratch): (&mut ModelCache, &mut metrics::Scratch),
) -> Result<(Row, Option<crate::geo::knowing::MapRun>), BatchError> {
    let layout = &plan.layout;
    let seed = layout.seed(task.rep);
    let model = plan.model(&task, cache)?;
    // Without run files a run records only what its row and the map read.
    let recording = if keep.is_some() { sim::Recording::Full } else { sim::Recording::Summary };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sim::run_recording(&model, seed, recording)));
    let record = match result {
        Ok(Ok(record)) => record,
        Ok(Err(e)) => return Ok((Row::failed(layout, task, seed, &e.to_string()), None)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".into());
            let reason = format!("internal error in the simulator ({what}); please report it with the scenario");
            return Ok((Row::failed(layout, task, seed, &reason), None));
        }
    };
    let summary = metrics::summarise_with(&record, scratch);
    if let Some((root, dialect)) = keep {
        let d: PathBuf = output::subdir(root, &run_dir(plan, &task))?;
        write_run_in(&d, &record, &summary, dialect)?;
    }
    Ok((Row::finished(layout, task, &summary), crate::geo::knowing::of_run(&record)))
}

/// Reads the rows back, checks that every run of the shard is there once, and writes
/// the result files and the finished manifest.
fn finish(plan: &Plan, dir: &Path, mut manifest: Manifest) -> Result<(u64, u64, Option<String>), BatchError> {
    let layout = &plan.layout;
    let mut rows = journal::read(&dir.join(RUNS), layout)?;
    if rows.len() as u64 != manifest.tasks {
        return Err(BatchError::corrupt(
            &dir.join(RUNS),
            format!("holds {} runs where the batch has {}", rows.len(), manifest.tasks),
        ));
    }
    let first_failure = rows
        .iter()
        .filter(|r| !r.ok())
        .min_by_key(|r| layout.task_number(&r.task))
        .map(|r| format!("{}: {}", label(plan, &r.task), r.error));
    files::sort(&mut rows);
    files::write_runs(dir, layout, &rows, manifest.csv_dialect)?;
    let ok: Vec<Task> = rows.iter().filter(|r| r.ok()).map(|r| r.task).collect();
    let times = super::municipal::read(dir, layout, &ok)?;
    let location = plan.model(&Task { point: 0, variant: 0, rep: 0 }, &mut ModelCache::default())?.location.clone();
    super::municipal::write_tables(
        dir,
        layout,
        &times,
        location.as_ref(),
        plan.shard.is_whole(),
        manifest.csv_dialect,
    )?;
    if plan.shard.is_whole() {
        files::write_tables(dir, layout, &rows, manifest.csv_dialect)?;
        // Other files that read the tables (charts, the HTML report) are made by the
        // caller after this returns; see `cli::batch`.
    }
    let failed = rows.iter().filter(|r| !r.ok()).count() as u64;
    manifest.runs_ok = rows.len() as u64 - failed;
    manifest.runs_failed = failed;
    manifest.status = FINISHED.into();
    manifest.finished = Some(super::utc_now());
    manifest.write(dir)?;
    Ok((manifest.runs_ok, failed, first_failure))
}

/// "variant conference-2h, replication 7 (seed …)", with the design point if any.
pub fn label(plan: &Plan, t: &Task) -> String {
    let layout = &plan.layout;
    let mut s = layout.describe_point(t.point);
    if !s.is_empty() {
        s.push_str(", ");
    }
    let v = &layout.variants[t.variant];
    let variant = if v == BASE { String::new() } else { format!(" --variant {v}") };
    s.push_str(&format!("variant {v}, replication {} (samverkan run --seed {}{variant})", t.rep, layout.seed(t.rep)));
    s
}
