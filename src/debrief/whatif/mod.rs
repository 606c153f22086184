//! "What it would have meant": the model rerun with an observed deviation imposed.
//!
//! [`candidates`] picks the largest deviations of a debrief (a conference's first session
//! earlier or later than expected, a unit slower than expected), [`impose`] makes the
//! modified model (the first session at the observed time; the unit's processing times
//! scaled), and [`what_ifs`] runs the base and every modified model on the same seeds
//! (common random numbers: every random stream is keyed by seed and name, so a paired run
//! differs only through the imposed change) and reports each headline measure's and
//! objective's paired difference with its 95 % interval. [`sentence`] says it in words.
//!
//! ```no_run
//! # use samverkan::debrief::{whatif, runs};
//! # use std::sync::Arc;
//! # fn f(model: Arc<samverkan::model::Model>, d: &samverkan::debrief::Debrief) {
//! let cands = whatif::candidates(&model, &d.placed, &d.hops, whatif::DEFAULT_CANDIDATES);
//! let seeds = runs::seeds(model.seed, 200);
//! let found = whatif::what_ifs(&model, &seeds, cands, || ()).unwrap();
//! for w in &found {
//!     println!("{}", whatif::sentence(w, &model, samverkan::report::i18n::Lang::En));
//! }
//! # }
//! ```

mod candidates;
mod sentence;

pub use candidates::{FACTOR_RANGE, SLOW_HOP, candidates, fact_origin_min};
pub use sentence::{label, measure_label, sentence};

use super::runs::simulate;
use super::{Effect, Imposed, WhatIf};
use crate::batch::stats::paired;
use crate::metrics::Headline;
use crate::metrics::stats::{quantile, sorted};
use crate::model::{Model, UnitIdx};
use crate::sim::{RunRecord, SimError};
use crate::time::{MINUTE, minutes};
use std::sync::Arc;

/// The headline measures whose knock-on effects are reported (minutes), in the order
/// that breaks ties between equal effects (the sentence names the first).
pub const MEASURES: [Headline; 12] = [
    Headline::FirstFactAllStrategic,
    Headline::FirstFactAllCoordinating,
    Headline::FirstFactAllExecutive,
    Headline::FirstFactFirstStrategic,
    Headline::FirstFactFirstCoordinating,
    Headline::FirstAnyConference,
    Headline::FirstPicture,
    Headline::DelayExecutiveMedian,
    Headline::DelayCoordinatingMedian,
    Headline::DelayStrategicMedian,
    Headline::FirstPublicMessage,
    Headline::MeanRequestWait,
];

/// Prefix of an objective's effect measure (`objective:<id>`, percentage points).
pub const OBJECTIVE: &str = "objective:";
/// Prefix of the imposed quantity of a first session (`first_session_min:<conference id>`).
pub const FIRST_SESSION: &str = "first_session_min:";
/// Prefix of the imposed quantity of a slower unit (`processing_median_min:<unit id>`):
/// the median time one handler took for one message at the unit.
pub const PROCESSING: &str = "processing_median_min:";

/// How many deviations a debrief reruns unless told otherwise.
pub const DEFAULT_CANDIDATES: usize = 3;

/// A modified clone of `model` with `imposed` applied; its `hash` is the model's with
/// `+whatif:<what>` appended, so that nothing takes one for the other. A conference or
/// unit index the model does not have changes nothing but the hash.
pub fn impose(model: &Model, imposed: &Imposed) -> Model {
    let mut m = model.clone();
    let tag = match *imposed {
        Imposed::FirstSession { conference, observed_min, .. } => {
            let at = ((observed_min * MINUTE as f64).round() as i64).clamp(0, model.duration);
            let c = m.conferences.get_mut(conference as usize);
            let id = c.map(|c| {
                c.imposed_first = Some(at);
                c.id.clone()
            });
            format!("first_session:{}@{}ms", id.unwrap_or_else(|| format!("#{conference}")), at)
        }
        Imposed::SlowerUnit { unit, factor } => {
            let id = m.units.get_mut(unit as usize).map(|u| {
                u.processing = u.processing.each_ref().map(|d| d.scaled(factor));
                u.id.clone()
            });
            format!("slower:{}x{}", id.unwrap_or_else(|| format!("#{unit}")), factor)
        }
    };
    m.hash = format!("{}+whatif:{tag}", model.hash);
    m
}

/// One value a run is reduced to.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Column {
    Headline(Headline),
    /// Index into `Model::objectives`: 1 when met, 0 when not.
    Objective(usize),
    FirstSession(u32),
    Processing(UnitIdx),
}

impl Column {
    fn name(self, model: &Model) -> String {
        match self {
            Column::Headline(h) => h.name().to_string(),
            Column::Objective(i) => format!("{OBJECTIVE}{}", model.objectives[i].id),
            Column::FirstSession(c) => {
                format!("{FIRST_SESSION}{}", model.conferences.get(c as usize).map_or("?", |c| c.id.as_str()))
            }
            Column::Processing(u) => {
                format!("{PROCESSING}{}", model.units.get(u as usize).map_or("?", |u| u.id.as_str()))
            }
        }
    }

    fn of(imposed: &Imposed) -> Column {
        match *imposed {
            Imposed::FirstSession { conference, .. } => Column::FirstSession(conference),
            Imposed::SlowerUnit { unit, .. } => Column::Processing(unit),
        }
    }
}

/// Runs the base model and each candidate's modified model on `seeds` (the base once,
/// reused for every candidate) and reduces the pairs to effects. `tick` is called once
/// per run (seeds × (1 + candidates)). Results do not depend on the thread count.
pub fn what_ifs(
    model: &Arc<Model>,
    seeds: &[u64],
    candidates: Vec<(Imposed, Vec<u64>)>,
    tick: impl Fn() + Sync,
) -> Result<Vec<WhatIf>, SimError> {
    if candidates.is_empty() {
        return Ok(vec![]);
    }
    let mut columns: Vec<Column> = MEASURES.iter().map(|&h| Column::Headline(h)).collect();
    columns.extend((0..model.objectives.len()).map(Column::Objective));
    for (imposed, _) in &candidates {
        let c = Column::of(imposed);
        if !columns.contains(&c) {
            columns.push(c);
        }
    }
    let base = simulate(model, seeds, |r| reduce(r, &columns), &tick)?;
    let mut out = Vec::with_capacity(candidates.len());
    for (imposed, rows) in candidates {
        let changed = Arc::new(impose(model, &imposed));
        let runs = simulate(&changed, seeds, |r| reduce(r, &columns), &tick)?;
        let own = columns.iter().position(|&c| c == Column::of(&imposed)).expect("added above");
        let achieved = sorted(runs.iter().filter_map(|r| r[own]).collect());
        let mut effects: Vec<Effect> = (0..columns.len())
            .filter_map(|j| effect(model, columns[j], &base, &runs, j).filter(|e| j == own || clear(e)))
            .collect();
        effects.sort_by(|a, b| b.difference.abs().total_cmp(&a.difference.abs()));
        out.push(WhatIf { imposed, rows, achieved_median_min: quantile(&achieved, 0.5), effects });
    }
    Ok(out)
}

/// Whether the effect's 95 % interval excludes zero.
fn clear(e: &Effect) -> bool {
    e.interval.0 > 0.0 || e.interval.1 < 0.0
}

/// The paired difference of column `j` over the runs where both have a value (at least
/// two). Objectives in percentage points.
fn effect(
    model: &Model,
    column: Column,
    base: &[Vec<Option<f64>>],
    runs: &[Vec<Option<f64>>],
    j: usize,
) -> Option<Effect> {
    let scale = if matches!(column, Column::Objective(_)) { 100.0 } else { 1.0 };
    let pairs: Vec<(f64, f64)> =
        base.iter().zip(runs).filter_map(|(b, r)| Some((b[j]? * scale, r[j]? * scale))).collect();
    let p = paired(&pairs)?;
    let (lo, hi) = p.ci95?;
    // A difference of shares cannot leave ±100 points, whatever the t-interval says.
    let interval = if scale == 100.0 { (lo.max(-100.0), hi.min(100.0)) } else { (lo, hi) };
    Some(Effect {
        measure: column.name(model),
        base_mean: p.base_mean,
        imposed_mean: p.variant_mean,
        difference: p.diff,
        interval,
        pairs: p.n,
    })
}

/// A run reduced to the columns' values.
fn reduce(r: &RunRecord, columns: &[Column]) -> Vec<Option<f64>> {
    let summary = crate::metrics::summarise(r);
    columns
        .iter()
        .map(|&c| match c {
            Column::Headline(h) => summary.measures[h],
            Column::Objective(i) => summary.objectives.get(i).map(|o| if o.met { 1.0 } else { 0.0 }),
            Column::FirstSession(conf) => {
                r.conferences.iter().filter(|row| row.conference == conf).map(|row| row.start).min().map(minutes)
            }
            Column::Processing(u) => median_processing(r, u),
        })
        .collect()
}

/// Median minutes from start to end of handling of the messages `unit` handled.
fn median_processing(r: &RunRecord, unit: UnitIdx) -> Option<f64> {
    let times: Vec<f64> =
        r.messages.iter().filter(|m| m.to == unit).filter_map(|m| Some(minutes(m.done? - m.started?))).collect();
    quantile(&sorted(times), 0.5)
}
