//! `samverkan optimise SCENARIO --lever PATH=V1,V2,... --require OBJECTIVE=P`

use super::{exit, fail};
use crate::optimise::{self, Lever, OptimiseError, Outcome, Plan, Requirement, Spec, files};
use crate::output;
use clap::Args;
use std::path::{Path, PathBuf};

/// Find the cheapest combination of lever values whose probability of meeting each
/// required objective is at least the required share, with 95 % confidence.
#[derive(Args)]
#[command(after_help = "Example:\n  \
samverkan optimise scenarios/stockholm-attack.toml \\\n    \
--lever conference.regional.activated.every=1h,2h,3h,4h \\\n    \
--lever organisation.lansstyrelsen.unit.tib.handlers=1,2,3 \\\n    \
--require regional-conference=0.9\n\n\
Candidates are all combinations of lever values, each costed in staff-hours from the\n\
scenario's [cost] table (docs/scenario-format.md). They are raced in rounds of 20, 40,\n\
80, ... replications (up to --runs each), with the same seeds for every candidate:\n\
a candidate is dropped once its interval is below a required share, or once a\n\
cheaper candidate is proven to meet every requirement (docs/batch.md, Optimisation).\n\
Writes optimise.csv (every candidate), best.toml (the winner as [variant.best], to\n\
paste into the scenario) and charts/pareto.png and .svg (docs/outputs.md, charts.md).\n\
Exit codes: 0 a best candidate was found, 4 no candidate was proven to meet every\n\
requirement (optimise.csv is written all the same), 2 bad input, 1 a run failed or\n\
the files could not be written.")]
pub struct OptimiseArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// A field and its candidate values: PATH=V1,V2,... (repeat: all combinations).
    #[arg(long, value_name = "PATH=V1,V2,...", required = true)]
    lever: Vec<String>,
    /// An objective and the probability of meeting it required: OBJECTIVE=P (0.9 or 90%).
    #[arg(long, value_name = "OBJECTIVE=P", required = true)]
    require: Vec<String>,
    /// Most replications per candidate.
    #[arg(long, default_value_t = optimise::DEFAULT_RUNS)]
    runs: u64,
    /// Master seed (default: the scenario's own).
    #[arg(long)]
    seed: Option<u64>,
    /// A variant every candidate starts from.
    #[arg(long)]
    variant: Option<String>,
    /// Output folder (default: output/<scenario>/optimise-<seed>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the files of a folder that already holds results.
    #[arg(long)]
    force: bool,
    /// Threads (default: the CPUs this process may use); the results do not depend on it.
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Language of the chart: en or sv.
    #[arg(long, default_value = "en")]
    lang: crate::report::Lang,
    /// No progress bar and no summary; only errors.
    #[arg(long, short)]
    quiet: bool,
}

pub fn main(a: OptimiseArgs) -> u8 {
    match optimise_cmd(&a) {
        Ok(code) => code,
        Err(e) if e.is_bad_input() => fail(exit::BAD_INPUT, e),
        Err(e) => fail(exit::RUN_FAILED, e),
    }
}

fn optimise_cmd(a: &OptimiseArgs) -> Result<u8, OptimiseError> {
    let spec = Spec {
        scenario: a.scenario.clone(),
        variant: a.variant.clone(),
        levers: a.lever.iter().map(|l| Lever::parse(l)).collect::<Result<_, _>>()?,
        requires: a.require.iter().map(|r| Requirement::parse(r)).collect::<Result<_, _>>()?,
        runs: a.runs,
        seed: a.seed,
    };
    for (i, l) in spec.levers.iter().enumerate() {
        if spec.levers[..i].iter().any(|m| m.path == l.path) {
            return Err(OptimiseError::Usage(format!("--lever {}: the path is given twice", l.path)));
        }
    }
    let plan = Plan::build(&spec)?;
    let dir = a.out.clone().unwrap_or_else(|| {
        output::default_dir(Path::new("output"), &plan.scenario_name, &format!("optimise-{}", plan.seed))
    });
    output::check_dir(&dir, a.force)?;
    let jobs = a.jobs.unwrap_or_else(crate::batch::runner::available_cpus);
    let outcome = optimise::run(&plan, jobs, !a.quiet)?;
    files::write(&dir, &plan, &outcome, a.lang, a.force)?;
    if !a.quiet {
        print_summary(&plan, &outcome, &dir);
    }
    if let Some(e) = outcome.entries.iter().find(|e| e.failure.is_some()) {
        eprintln!("warning: runs failed; the first: {}", e.failure.as_deref().unwrap_or_default());
    }
    match outcome.best() {
        Some(_) => Ok(exit::OK),
        None => {
            eprintln!(
                "no candidate was proven to meet every requirement within {} runs each; see {}",
                plan.spec.runs,
                dir.join(files::CSV).display()
            );
            Ok(exit::NONE_FEASIBLE)
        }
    }
}

fn print_summary(plan: &Plan, o: &Outcome, dir: &Path) {
    say!(
        "{}: {} candidates, {} runs in {:.2} s on {} threads (at most {} per candidate, seed {})",
        plan.scenario_name,
        plan.candidates.len(),
        o.runs,
        o.elapsed.as_secs_f64(),
        o.jobs,
        plan.spec.runs,
        plan.seed
    );
    for (i, (c, e)) in plan.candidates.iter().zip(&o.entries).enumerate() {
        let set: Vec<String> = plan.settings(i).iter().map(|(p, v)| format!("{p}={v}")).collect();
        let shares: Vec<String> = (0..plan.spec.requires.len())
            .map(|j| match e.share(j, o.z) {
                Some((s, lo, hi)) => format!("{:.1}% [{:.1}, {:.1}]", s * 100.0, lo * 100.0, hi * 100.0),
                None => "–".into(),
            })
            .collect();
        say!(
            "  {:>3} {:<11} {:>10.1} staff-h {:>5} runs  {}  {}",
            i + 1,
            e.status.name(),
            c.cost.total(),
            e.runs,
            shares.join("  "),
            set.join(" ")
        );
    }
    if let Some(b) = o.best() {
        let set: Vec<String> = plan.settings(b).iter().map(|(p, v)| format!("{p}={v}")).collect();
        say!("  best: {} ({:.1} staff-hours)", set.join(", "), plan.candidates[b].cost.total());
        let n = files::cheaper_undecided(plan, o);
        if n > 0 {
            say!(
                "  note: {n} cheaper candidate(s) stayed undecided after {} runs; raise --runs to decide them",
                plan.spec.runs
            );
        }
    }
    say!("  files in {}", dir.display());
}
