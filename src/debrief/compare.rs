//! Placing an exercise log in the model: runs a batch of the scenario (each run reduced
//! by [`observe::measure`] as it ends), then places every observation in the simulated
//! distribution of the same quantity, times the key facts per level, rates the
//! objectives on the observations ([`super::objectives`]) and decomposes the observed
//! hops ([`super::hops`]). The rules are in docs/debrief.md.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use samverkan::debrief::{compare, runs, ExerciseLog, BatchInfo};
//! let model = Arc::new(samverkan::scenario::load("scenarios/stockholm-attack.toml".as_ref(), None).unwrap());
//! let log = ExerciseLog::default();
//! let info = compare::batch_info(&model, "scenarios/stockholm-attack.toml", model.seed, 200, None);
//! let d = compare::compare(&model, &log, info, &runs::seeds(model.seed, 200), || ()).unwrap();
//! assert_eq!(d.placed.len(), log.observations.len());
//! ```

use super::observe::{self, RunValues, Wants};
use super::{
    BatchInfo, Debrief, ExerciseLog, LevelTiming, Observation, Placed, Spread, Subject, Verdict, hops, objectives, runs,
};
use crate::metrics::stats::{mean, quantile, sorted};
use crate::model::{Action, InjectTime, Model};
use crate::sim::SimError;
use crate::time::minutes;
use std::sync::Arc;

/// Two times closer than this (minutes) are a tie.
const TIE: f64 = 1e-9;

/// The [`BatchInfo`] of a debrief of `runs` runs from master seed `master`.
pub fn batch_info(
    model: &Model,
    scenario_file: &str,
    master: u64,
    runs: usize,
    from_batch: Option<String>,
) -> BatchInfo {
    BatchInfo {
        scenario: model.name.to_string(),
        scenario_file: scenario_file.to_string(),
        scenario_hash: model.hash.clone(),
        variant: model.variant.clone(),
        master_seed: master,
        runs,
        from_batch,
    }
}

/// Runs `model` once per seed and compares `log` with the runs. `tick` is called once
/// per finished run. `what_ifs` is left empty (see `debrief::whatif`).
pub fn compare(
    model: &Arc<Model>,
    log: &ExerciseLog,
    batch: BatchInfo,
    seeds: &[u64],
    tick: impl Fn() + Sync,
) -> Result<Debrief, SimError> {
    let wants = Wants::of(model, log);
    let runs = runs::simulate(model, seeds, |r| observe::measure(r, &wants), tick)?;
    Ok(assemble(model, log, batch, &wants, &runs))
}

/// The debrief of `log` from the runs' values (in seed order) of `wants`.
pub fn assemble(model: &Model, log: &ExerciseLog, batch: BatchInfo, wants: &Wants, runs: &[RunValues]) -> Debrief {
    let origins = Origins::new(model, log, wants, runs);
    let placed = log
        .observations
        .iter()
        .enumerate()
        .map(|(i, o)| match &wants.quantities[i] {
            Ok(_) => place(o, runs.iter().map(|r| r.values[i])),
            Err(reason) => not_comparable(o, reason, runs.len()),
        })
        .collect();
    let levels = wants.levels.iter().enumerate().map(|(i, (f, l))| level(model, log, &origins, runs, i, f, *l));
    let hop_runs: Vec<&[Option<observe::HopParts>]> = runs.iter().map(|r| r.hops.as_slice()).collect();
    Debrief {
        batch,
        log: log.clone(),
        placed,
        levels: levels.collect(),
        objectives: objectives::rate(model, log, &|f| origins.observed(f), runs),
        hops: hops::build(log, &wants.hops, &hop_runs),
        what_ifs: vec![],
    }
}

/// The simulated distribution of values (`None`: did not happen in that run).
pub fn spread(values: impl Iterator<Item = Option<f64>>) -> (Spread, Vec<f64>) {
    let mut runs = 0;
    let got: Vec<f64> = values.inspect(|_| runs += 1).flatten().collect();
    let got = sorted(got);
    let s = Spread {
        runs,
        happened: got.len(),
        p10: quantile(&got, 0.1),
        median: quantile(&got, 0.5),
        p90: quantile(&got, 0.9),
        mean: mean(&got),
    };
    (s, got)
}

/// 100 × (runs below `observed` + ½ runs tied with it) / runs where it happened.
pub fn percentile(sorted_values: &[f64], observed: f64) -> Option<f64> {
    if sorted_values.is_empty() {
        return None;
    }
    let below = sorted_values.iter().filter(|v| **v < observed - TIE).count() as f64;
    let ties = sorted_values.iter().filter(|v| (**v - observed).abs() <= TIE).count() as f64;
    Some(100.0 * (below + ties / 2.0) / sorted_values.len() as f64)
}

/// never_in_model when nothing happened; faster below p10, slower above p90.
pub fn verdict(s: &Spread, observed: f64) -> Verdict {
    match (s.happened, s.p10, s.p90) {
        (0, _, _) | (_, None, _) | (_, _, None) => Verdict::NeverInModel,
        (_, Some(p10), _) if observed < p10 - TIE => Verdict::Faster,
        (_, _, Some(p90)) if observed > p90 + TIE => Verdict::Slower,
        _ => Verdict::AsExpected,
    }
}

fn place(o: &Observation, values: impl Iterator<Item = Option<f64>>) -> Placed {
    let observed_min = minutes(o.time);
    let (spread, got) = spread(values);
    let verdict = verdict(&spread, observed_min);
    let reason = match verdict {
        Verdict::NeverInModel => format!("none of the {} runs produced it", spread.runs),
        _ => String::new(),
    };
    Placed { observation: o.clone(), observed_min, percentile: percentile(&got, observed_min), spread, verdict, reason }
}

fn not_comparable(o: &Observation, reason: &str, runs: usize) -> Placed {
    Placed {
        observation: o.clone(),
        observed_min: minutes(o.time),
        spread: Spread { runs, ..Spread::default() },
        percentile: None,
        verdict: Verdict::NotComparable,
        reason: reason.to_string(),
    }
}

/// Observed origin times of facts (minutes from the start): the log's `knew` row at the
/// origin unit, else a fixed-time inject's time, else the model's median origin.
pub struct Origins {
    known: Vec<(String, Option<f64>)>,
}

impl Origins {
    fn new(model: &Model, log: &ExerciseLog, wants: &Wants, runs: &[RunValues]) -> Origins {
        let known = wants
            .origins
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let median = quantile(&sorted(runs.iter().filter_map(|r| r.origins[i]).collect()), 0.5);
                (f.clone(), observed_origin(model, log, f).or(median))
            })
            .collect();
        Origins { known }
    }

    /// The observed origin of `fact`, when one is known.
    pub fn observed(&self, fact: &str) -> Option<f64> {
        self.known.iter().find(|(f, _)| f == fact).and_then(|(_, t)| *t)
    }
}

/// The log's `knew` at the fact's origin unit, else the inject's fixed time.
fn observed_origin(model: &Model, log: &ExerciseLog, fact: &str) -> Option<f64> {
    let inject = model.injects.iter().find(|i| i.id == fact)?;
    let Action::Fact { origin, .. } = &inject.action else { return None };
    let row = log
        .observations
        .iter()
        .filter(|o| o.unit == *origin && o.event == super::EventKind::Knew)
        .filter(|o| matches!(&o.subject, Some(Subject::Fact(f)) if f == fact))
        .map(|o| o.time)
        .min();
    match (row, &inject.time, &inject.jitter) {
        (Some(t), _, _) => Some(minutes(t)),
        (None, InjectTime::At(t), None) => Some(minutes(*t)),
        _ => None,
    }
}

/// The observed and simulated first- and all-known of `fact` at `level`.
fn level(
    model: &Model,
    log: &ExerciseLog,
    origins: &Origins,
    runs: &[RunValues],
    i: usize,
    fact: &str,
    level: crate::vocabulary::Level,
) -> LevelTiming {
    let units = model.level_size(level);
    let mut first_at: Vec<(u32, i64)> = vec![];
    for o in log.observations.iter().filter(|o| matches!(&o.subject, Some(Subject::Fact(f)) if f == fact)) {
        let knows = matches!(o.event, super::EventKind::Knew | super::EventKind::Handled);
        if knows && model.units[o.unit as usize].level == level {
            match first_at.iter_mut().find(|(u, _)| *u == o.unit) {
                Some(x) => x.1 = x.1.min(o.time),
                None => first_at.push((o.unit, o.time)),
            }
        }
    }
    let origin = origins.observed(fact);
    let since = |t: Option<i64>| t.zip(origin).map(|(t, o)| minutes(t) - o);
    let first = since(first_at.iter().map(|x| x.1).min());
    let all = if first_at.len() == units { since(first_at.iter().map(|x| x.1).max()) } else { None };
    LevelTiming {
        fact: fact.to_string(),
        level,
        units,
        observed_units: first_at.len(),
        observed_first_min: first,
        observed_all_min: all,
        sim_first: spread(runs.iter().map(|r| r.levels[i].0)).0,
        sim_all: spread(runs.iter().map(|r| r.levels[i].1)).0,
    }
}
