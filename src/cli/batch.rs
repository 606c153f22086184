//! `samverkan batch SCENARIO`

use super::{exit, fail};
use crate::batch::plan::{Plan, PlanSpec, Shard, parse_variants};
use crate::batch::runner::{self, Options, Outcome};
use crate::batch::{BatchError, files, manifest};
use crate::{design, output};
use clap::Args;
use std::path::{Path, PathBuf};

/// Run many replications of a scenario and its variants (and sweeps of its parameters)
/// on all cores, and summarise them.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
samverkan batch scenarios/stockholm-attack.toml\n  \
samverkan batch scenarios/stockholm-attack.toml --runs 500 --variants conference-2h,mutual-aid\n  \
samverkan batch scenarios/stockholm-attack.toml --sweep conference.regional.activated.every=1h,2h,4h\n  \
samverkan batch scenarios/stockholm-attack.toml --runs 10 --design sobol:64 \\\n      \
--range conference.regional.activated.every=1h..4h --range organisation.lst.unit.tib.handlers=1..4\n  \
samverkan batch scenarios/stockholm-attack.toml --shard 2/4 --out shards/2   (then: samverkan merge)\n  \
samverkan batch scenarios/stockholm-attack.toml --runs 50 --csv-dialect excel-sv   (for Excel, Swedish)\n\n\
Writes runs.csv (one row per run), stats.csv, objectives.csv, compare.csv, manifest.json,\n\
scenario.toml (a copy of the scenario), results.xlsx (the same tables as one workbook),\n\
charts and report.html (see docs/batch.md and docs/outputs.md); the last line names report.html.\n\
With --design sobol:N or morris:R also sensitivity.csv and charts/tornado (docs/batch.md).\n\
Replication i uses the same seed under every variant and design point; runs.csv records it,\n\
so `samverkan run --seed S [--variant V]` repeats a row.\n\
Exit codes: 0 all runs finished, 3 the batch finished but some runs failed (see runs.csv),\n\
2 bad input, 1 results could not be written.")]
pub struct BatchArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Replications per variant and design point.
    #[arg(long, default_value_t = 200)]
    runs: u64,
    /// Master seed (default: the scenario's own).
    #[arg(long)]
    seed: Option<u64>,
    /// `all`, or the variants to run next to the base, separated by commas.
    #[arg(long, default_value = "all", value_name = "all|A,B,...")]
    variants: String,
    /// Sweep a field: PATH=V1,V2,... (repeat for a full grid).
    #[arg(long, value_name = "PATH=V1,V2,...")]
    sweep: Vec<String>,
    /// Design points from a CSV file (a header of field paths, one point per row), or
    /// a generated design over the --range fields: lhs:N (Latin hypercube, N points),
    /// sobol:N (Saltelli, N·(k+2) points for k ranges) or morris:R (R trajectories,
    /// R·(k+1) points). Sobol and Morris designs also write sensitivity.csv.
    #[arg(long, value_name = "FILE.csv|lhs:N|sobol:N|morris:R")]
    design: Option<String>,
    /// A field a generated design varies: PATH=LOW..HIGH (numbers, or durations such as
    /// 30m..4h); repeat for each field.
    #[arg(long, value_name = "PATH=LOW..HIGH")]
    range: Vec<String>,
    /// Threads (default: the CPUs this process may use).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Output folder (default: output/<scenario>/batch-<seed>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run only shard K of N (1-based) of the batch; combine shards with `samverkan merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Continue an interrupted batch in its folder, skipping runs already recorded.
    #[arg(long)]
    resume: bool,
    /// Start again in a folder that already holds a batch (its files are replaced).
    #[arg(long, conflicts_with = "resume")]
    force: bool,
    /// Also keep every run's files (as `samverkan run` writes them) under runs/.
    #[arg(long)]
    keep_runs: bool,
    /// Check the plan (every variant and design point compiles; with --resume, that the
    /// folder holds this batch) and say what would run, without running anything.
    #[arg(long)]
    dry_run: bool,
    /// CSV files for data tools (comma, the default) or for a Swedish-locale Excel
    /// (excel-sv: semicolons, decimal commas, a byte-order mark, CRLF). With --resume,
    /// the folder's own dialect is kept.
    #[arg(long, value_name = "comma|excel-sv")]
    csv_dialect: Option<output::CsvDialect>,
    /// Language of the charts and report.html: en or sv.
    #[arg(long, default_value = "en")]
    lang: crate::report::Lang,
    /// No progress bar and no summary; only errors.
    #[arg(long, short)]
    quiet: bool,
}

pub fn main(a: BatchArgs) -> u8 {
    match batch(&a) {
        Ok(code) => code,
        Err(e) if e.is_bad_input() => fail(exit::BAD_INPUT, e),
        Err(e) => fail(exit::RUN_FAILED, e),
    }
}

fn batch(a: &BatchArgs) -> Result<u8, BatchError> {
    let shard = match &a.shard {
        Some(s) => Shard::parse(s)?,
        None => Shard::WHOLE,
    };
    if a.jobs == Some(0) {
        return Err(BatchError::Usage("--jobs must be at least 1".into()));
    }
    let (design, generated) = match a.design.as_deref().map(|d| (d, design::Request::parse_kind(d))) {
        None => (None, None),
        Some((_, Some(kind))) => (None, Some(kind?)),
        Some((file, None)) => (Some(PathBuf::from(file)), None),
    };
    let spec = PlanSpec {
        scenario: a.scenario.clone(),
        runs: a.runs,
        seed: a.seed,
        variants: parse_variants(&a.variants),
        sweeps: a.sweep.clone(),
        design,
        generated,
        ranges: a.range.clone(),
        shard,
    };
    let plan = Plan::build(&spec)?;
    let dir = a.out.clone().unwrap_or_else(|| default_dir(&plan));
    if a.dry_run {
        if a.resume && dir.join(manifest::FILE).is_file() {
            runner::check_resumable(&plan, &dir)?;
        }
        let l = &plan.layout;
        say!(
            "{}: would run {} of {} runs (variants: {}; {} design point(s); {} replications from seed {}) into {}",
            l.scenario,
            plan.tasks().count(),
            l.total_tasks(),
            l.variants.join(", "),
            l.points.len(),
            l.runs,
            l.master_seed,
            dir.display()
        );
        return Ok(exit::OK);
    }
    let opts = Options {
        jobs: a.jobs.unwrap_or_else(runner::available_cpus),
        keep_runs: a.keep_runs,
        progress: !a.quiet,
        resume: a.resume,
        force: a.force,
        command_line: std::env::args().collect(),
        csv_dialect: a.csv_dialect,
        stop: super::stop_flag(),
    };
    let lock = output::lock_dir(&dir, output::Access::Write)?;
    let outcome = match runner::run_locked(&plan, &lock, &opts) {
        Err(BatchError::Interrupted { dir, recorded, tasks }) => {
            eprintln!("interrupted: {recorded} of {tasks} runs are recorded in {dir}");
            eprintln!("  continue with: {}", resume_command());
            return Ok(exit::INTERRUPTED);
        }
        other => other?,
    };

    if opts.stop.load(std::sync::atomic::Ordering::SeqCst) {
        eprintln!("interrupted after the last run: the batch's files are complete in {}", dir.display());
        eprintln!("  draw its charts and report with: samverkan report {}", dir.display());
        return Ok(exit::INTERRUPTED);
    }
    // sensitivity.csv of a whole batch over a Sobol or Morris design (read by the report).
    if plan.shard.is_whole()
        && crate::sensitivity::applies(&plan.layout)
        && let Err(e) = crate::sensitivity::write(&dir, true)
    {
        let code = if e.is_bad_input() { exit::BAD_INPUT } else { exit::RUN_FAILED };
        return Ok(fail(code, e));
    }
    // The charts and report.html of a whole batch (a shard has only its runs.csv).
    if plan.shard.is_whole()
        && let Err(e) = crate::report::render_batch(&dir, a.lang)
    {
        return Ok(super::fail_report(e));
    }

    if !a.quiet {
        print_summary(&plan, &dir, &opts, &outcome);
    }
    if let Some(reason) = &outcome.first_failure {
        eprintln!("warning: {} of {} runs failed; the first: {reason}", outcome.failed, outcome.ok + outcome.failed);
        return Ok(exit::SOME_RUNS_FAILED);
    }
    Ok(exit::OK)
}

/// This command line with `--resume` instead of `--force`, as a user would type it.
fn resume_command() -> String {
    let mut args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--force").collect();
    if !args.iter().any(|a| a == "--resume") {
        args.push("--resume".into());
    }
    let quote = |a: &String| {
        if a.chars().all(|c| c.is_alphanumeric() || "-_./=:,".contains(c)) {
            a.clone()
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        }
    };
    let words: Vec<String> = args.iter().map(quote).collect();
    format!("samverkan {}", words.join(" "))
}

fn default_dir(plan: &Plan) -> PathBuf {
    let seed = plan.layout.master_seed;
    let leaf = if plan.shard.is_whole() {
        format!("batch-{seed}")
    } else {
        format!("batch-{seed}-shard-{}-of-{}", plan.shard.k, plan.shard.n)
    };
    output::default_dir(Path::new("output"), &plan.layout.scenario, &leaf)
}

fn print_summary(plan: &Plan, dir: &Path, opts: &Options, o: &Outcome) {
    let l = &plan.layout;
    let total = o.ok + o.failed;
    let shard = if plan.shard.is_whole() { String::new() } else { format!(", shard {}", plan.shard) };
    let points = if l.points.len() > 1 { format!(" × {} design points", l.points.len()) } else { String::new() };
    say!(
        "{}: {total} runs ({} variants{points} × {} replications{shard}); {} run now in {:.2} s on {} threads; {} failed",
        l.scenario,
        l.variants.len(),
        l.runs,
        o.ran,
        o.elapsed.as_secs_f64(),
        opts.jobs,
        o.failed
    );
    if plan.shard.is_whole() && l.points.len() == 1 {
        print_objectives(dir, l.paths.len());
    }
    say!("  files in {}", dir.display());
    if plan.shard.is_whole() {
        say!("  report: {}", dir.join(crate::report::REPORT).display());
    }
}

/// The share of runs meeting each objective, per variant, from objectives.csv.
fn print_objectives(dir: &Path, paths: usize) {
    let Ok(t) = crate::report::table::CsvTable::read(&dir.join(files::OBJECTIVES)) else { return };
    let mut last = String::new();
    for row in 0..t.len() {
        let rec: Vec<&str> = (0..t.header().len()).map(|c| t.str(row, c)).collect();
        let f = |i: usize| rec.get(paths + i).copied().unwrap_or_default();
        let (variant, objective, share, lo, hi) = (f(1), f(2), f(5), f(6), f(7));
        if variant != last {
            say!("  {variant}: share of runs meeting each objective (95% interval)");
            last = variant.to_string();
        }
        let pct = |s: &str| s.parse::<f64>().map(|v| format!("{:.1}%", v * 100.0)).unwrap_or("–".into());
        say!("    {objective:<28} {:>7} [{}, {}]", pct(share), pct(lo), pct(hi));
    }
}
