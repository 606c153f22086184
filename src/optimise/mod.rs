//! Optimisation: the cheapest combination of lever values whose probability of meeting
//! each required objective is at least the required level with 95 % confidence
//! (docs/batch.md, "Optimisation").
//!
//! [`Plan::build`] turns the request ([`Spec`]: scenario, variant, levers, requirements)
//! into candidates, every combination of lever values compiled and costed
//! ([`crate::cost::of`]), before anything runs. [`run`] races them ([`race`]) with common
//! random numbers: replication r of every candidate uses the same seed,
//! `replication_seed(seed, r)`, as a batch's replication r does. [`files`] writes
//! `optimise.csv`, `best.toml` and the Pareto chart ([`chart`]).
//!
//! ```no_run
//! use samverkan::optimise::{self, Lever, Plan, Requirement, Spec};
//! let spec = Spec {
//!     levers: vec![Lever::parse("conference.regional.activated.every=2h,4h")?],
//!     requires: vec![Requirement::parse("regional-conference=0.9")?],
//!     ..Spec::new("scenarios/stockholm-attack.toml")
//! };
//! let plan = Plan::build(&spec)?;
//! let outcome = optimise::run(&plan, 2, false)?;
//! println!("best: {:?}", outcome.best());
//! # Ok::<(), optimise::OptimiseError>(())
//! ```

pub mod chart;
pub mod files;
pub mod lever;
pub mod page;
pub mod race;

pub use lever::{Lever, Requirement};

use crate::cost::Cost;
use crate::model::Model;
use crate::output::OutputError;
use crate::scenario::{Parsed, ScenarioError, Source};
use crate::sim::rng::replication_seed;
use crate::{metrics, sim};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use race::{Entry, RunResult, Settings};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Most candidates (combinations of lever values) one optimisation may have.
pub const MAX_CANDIDATES: usize = 4096;
/// Default most runs per candidate.
pub const DEFAULT_RUNS: u64 = 1000;

/// Why an optimisation could not be planned, run or written.
#[derive(Debug, thiserror::Error)]
pub enum OptimiseError {
    /// The scenario (or its variant) does not load.
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    /// A candidate (a combination of lever values) does not compile.
    #[error("{context}:\n{source}")]
    Candidate {
        /// Which candidate (its lever values).
        context: String,
        /// Why it does not compile.
        #[source]
        source: ScenarioError,
    },
    /// A bad flag (`--lever`, `--require`, `--runs`, `--jobs`).
    #[error("{0}")]
    Usage(String),
    /// A file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The Pareto chart could not be drawn.
    #[error("cannot draw the Pareto chart: {0}")]
    Draw(String),
}

impl OptimiseError {
    /// True when the user can fix it by changing the input (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        match self {
            OptimiseError::Output(e) => e.is_bad_input(),
            OptimiseError::Draw(_) => false,
            _ => true,
        }
    }
}

/// What to optimise.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The scenario file.
    pub scenario: PathBuf,
    /// A variant every candidate starts from (its `set`, then the levers).
    pub variant: Option<String>,
    /// The fields to vary and their values (`--lever`).
    pub levers: Vec<Lever>,
    /// The objectives to meet and with what probability (`--require`).
    pub requires: Vec<Requirement>,
    /// Most runs per candidate.
    pub runs: u64,
    /// Master seed (default: the scenario's own).
    pub seed: Option<u64>,
}

impl Spec {
    /// A spec for `scenario` with no levers or requirements, the default runs and the scenario's seed.
    pub fn new(scenario: impl Into<PathBuf>) -> Spec {
        Spec {
            scenario: scenario.into(),
            variant: None,
            levers: vec![],
            requires: vec![],
            runs: DEFAULT_RUNS,
            seed: None,
        }
    }
}

/// One combination of lever values, compiled.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Index into each lever's values.
    pub values: Vec<usize>,
    /// The compiled candidate.
    pub model: Arc<Model>,
    /// What it costs (staff-hours).
    pub cost: Cost,
    /// Index of each required objective in the model's objectives.
    pub objectives: Vec<usize>,
}

/// A checked optimisation: every candidate compiled and costed.
#[derive(Clone, Debug)]
pub struct Plan {
    /// What was asked.
    pub spec: Spec,
    /// The scenario file as read.
    pub source: Source,
    /// The scenario's name.
    pub scenario_name: String,
    /// The master seed of the race.
    pub seed: u64,
    /// Every combination of lever values, in lever order.
    pub candidates: Vec<Candidate>,
}

impl Plan {
    /// Checks `spec`: reads the scenario, compiles and costs every candidate.
    pub fn build(spec: &Spec) -> Result<Plan, OptimiseError> {
        if spec.levers.is_empty() {
            return Err(OptimiseError::Usage("give at least one --lever PATH=V1,V2,...".into()));
        }
        if spec.requires.is_empty() {
            return Err(OptimiseError::Usage("give at least one --require OBJECTIVE=P".into()));
        }
        if spec.runs == 0 {
            return Err(OptimiseError::Usage("--runs must be at least 1".into()));
        }
        let count = spec.levers.iter().try_fold(1usize, |n, l| n.checked_mul(l.values.len()));
        if count.is_none_or(|n| n > MAX_CANDIDATES) {
            return Err(OptimiseError::Usage(format!(
                "the levers make more than {MAX_CANDIDATES} combinations; give fewer values"
            )));
        }
        let source = Source::read(&spec.scenario)?;
        let parsed = Parsed::new(&source)?;
        let base = crate::scenario::build_parsed(&parsed, spec.variant.as_deref(), &[])?;
        let mut candidates = Vec::new();
        for values in combinations(&spec.levers) {
            candidates.push(candidate(&parsed, spec, values)?);
        }
        Ok(Plan {
            spec: spec.clone(),
            source,
            scenario_name: base.name.to_string(),
            seed: spec.seed.unwrap_or(base.seed),
            candidates,
        })
    }

    /// `path=value` of each lever for candidate `c`.
    pub fn settings(&self, c: usize) -> Vec<(String, String)> {
        let cand = &self.candidates[c];
        self.spec.levers.iter().zip(&cand.values).map(|(l, v)| (l.path.clone(), l.texts[*v].clone())).collect()
    }
}

/// Every combination of lever values, the last lever varying fastest.
fn combinations(levers: &[Lever]) -> Vec<Vec<usize>> {
    let mut out = vec![vec![]];
    for l in levers {
        out = out
            .into_iter()
            .flat_map(|prefix| (0..l.values.len()).map(move |i| [prefix.clone(), vec![i]].concat()))
            .collect();
    }
    out
}

fn candidate(parsed: &Parsed, spec: &Spec, values: Vec<usize>) -> Result<Candidate, OptimiseError> {
    let overrides: Vec<(String, toml::Value)> =
        spec.levers.iter().zip(&values).map(|(l, v)| (l.path.clone(), l.values[*v].clone())).collect();
    let context = || {
        let set: Vec<String> =
            spec.levers.iter().zip(&values).map(|(l, v)| format!("{}={}", l.path, l.texts[*v])).collect();
        format!("the candidate {}", set.join(", "))
    };
    let model = crate::scenario::build_parsed(parsed, spec.variant.as_deref(), &overrides)
        .map_err(|source| OptimiseError::Candidate { context: context(), source })?;
    let mut objectives = Vec::new();
    for r in &spec.requires {
        match model.objectives.iter().position(|o| o.id == r.objective) {
            Some(i) => objectives.push(i),
            None => {
                let known: Vec<&str> = model.objectives.iter().map(|o| o.id.as_str()).collect();
                let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
                return Err(OptimiseError::Usage(format!(
                    "--require {}: no objective `{}` in {} ({}); objectives: {known}",
                    r.text,
                    r.objective,
                    spec.scenario.display(),
                    context()
                )));
            }
        }
    }
    Ok(Candidate { cost: crate::cost::of(&model), values, model: Arc::new(model), objectives })
}

/// What an optimisation found.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// One entry per candidate, in candidate order.
    pub entries: Vec<Entry>,
    /// The normal quantile of every interval (see [`race`]).
    pub z: f64,
    /// Runs done in all.
    pub runs: u64,
    /// Wall-clock time of the race.
    pub elapsed: Duration,
    /// Threads used.
    pub jobs: usize,
}

impl Outcome {
    /// The winner's candidate index.
    pub fn best(&self) -> Option<usize> {
        self.entries.iter().position(|e| e.status == race::Status::Best)
    }
}

/// Races the plan's candidates on `jobs` threads (the result does not depend on
/// `jobs`); a progress bar on stderr when `progress` and stderr is a terminal.
pub fn run(plan: &Plan, jobs: usize, progress: bool) -> Result<Outcome, OptimiseError> {
    if jobs == 0 {
        return Err(OptimiseError::Usage("--jobs must be at least 1".into()));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| OptimiseError::Usage(format!("cannot start {jobs} threads: {e}")))?;
    let started = Instant::now();
    let bar = progress_bar(progress);
    let costs: Vec<f64> = plan.candidates.iter().map(|c| c.cost.total()).collect();
    let required: Vec<f64> = plan.spec.requires.iter().map(|r| r.probability).collect();
    let settings = Settings::new(plan.spec.runs);
    let mut runs = 0;
    let entries = race::race(&costs, &required, &settings, |tasks| {
        bar.inc_length(tasks.len() as u64);
        runs += tasks.len() as u64;
        pool.install(|| {
            tasks
                .par_iter()
                .map(|(c, r)| {
                    let result = replicate(&plan.candidates[*c], replication_seed(plan.seed, *r));
                    bar.inc(1);
                    result
                })
                .collect()
        })
    });
    bar.finish_and_clear();
    Ok(Outcome { entries, z: settings.z(required.len()), runs, elapsed: started.elapsed(), jobs })
}

/// One run of a candidate: whether it met each required objective (read from its
/// summary alone, so the run records only what the summary reads).
fn replicate(c: &Candidate, seed: u64) -> RunResult {
    let run = || sim::run_recording(&c.model, seed, sim::Recording::Summary);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
    match result {
        Ok(Ok(record)) => {
            let summary = metrics::summarise(&record);
            Ok(c.objectives.iter().map(|i| summary.objectives[*i].met).collect())
        }
        Ok(Err(e)) => Err(format!("seed {seed}: {e}")),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".into());
            Err(format!("seed {seed}: the simulation panicked: {what}"))
        }
    }
}

fn progress_bar(show: bool) -> ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} optimise: {pos}/{len} runs (rounds add runs) [{elapsed_precise}]")
    {
        bar.set_style(style);
    }
    bar
}
