//! The scenario's objectives rated on the observations (HSEEP's P/S/M/U), beside the
//! model's probability of meeting them.
//!
//! The observed value is the objective's measure (as `metrics` computes it in a run)
//! worked out from the log's rows; with limit L: v ≤ 0.75 L → P (without challenges),
//! v ≤ L → S (some challenges), v ≤ 1.5 L → M (major challenges), v > 1.5 L → U
//! (unable). Where the log gives only a lower bound b (all-known at a level where some
//! but not all units were seen knowing the fact: b = the last of them), b > L is rated
//! as v = b would be (M or U, not met); b ≤ L is not observed. No row the
//! measure can be computed from → not observed. Measures a log cannot give (resource
//! minutes, uncoordinated public messages, request waits) are not observed; delay
//! medians and 90th percentiles at a level use the log's `knew` rows of that level when
//! it has at least [`MIN_DELAYS`].

use super::observe::RunValues;
use super::{EventKind, ExerciseLog, ObjectiveRating, Observation, Rating, Subject};
use crate::metrics::stats::{quantile, sorted};
use crate::model::{Model, Objective};
use crate::time::minutes;
use crate::vocabulary::Measure;

/// Fewest `knew` rows at a level for an observed delay median or 90th percentile.
pub const MIN_DELAYS: usize = 5;

/// What the log says about one objective's measure.
#[derive(Default)]
struct Seen {
    value: Option<f64>,
    rows: Vec<u64>,
    /// A lower bound of the value when the log gives only that.
    at_least: Option<f64>,
    why: String,
}

/// Each objective of `model`, rated on `log` and on the runs. `origin` gives a fact's
/// observed origin (minutes from the start).
pub fn rate(
    model: &Model,
    log: &ExerciseLog,
    origin: &dyn Fn(&str) -> Option<f64>,
    runs: &[RunValues],
) -> Vec<ObjectiveRating> {
    model
        .objectives
        .iter()
        .enumerate()
        .map(|(j, o)| {
            let limit = o.within.map(minutes).or(o.max).unwrap_or(0.0);
            let seen = observe(model, log, origin, o);
            let rating = rating(&seen, limit);
            let n = runs.len() as u64;
            let met = runs.iter().filter(|r| r.objectives.get(j).is_some_and(|x| x.1)).count() as u64;
            let values = sorted(runs.iter().filter_map(|r| r.objectives.get(j).and_then(|x| x.0)).collect());
            ObjectiveRating {
                id: o.id.clone(),
                description: o.description.to_string(),
                measure: o.measure.name(),
                limit,
                observed: seen.value,
                met: seen
                    .value
                    .map(|v| v <= limit + 1e-9)
                    .or(seen.at_least.filter(|&b| b > limit + 1e-9).map(|_| false)),
                rating,
                model_probability: if n == 0 { 0.0 } else { met as f64 / n as f64 },
                model_interval: crate::batch::stats::wilson95(met, n).unwrap_or((0.0, 0.0)),
                model_median: quantile(&values, 0.5),
                rows: seen.rows,
                explanation: seen.why,
            }
        })
        .collect()
}

/// The HSEEP rating of an observed value against `limit` (see the module comment).
pub fn rating_of(value: f64, limit: f64) -> Rating {
    let eps = 1e-9;
    if value <= 0.75 * limit + eps {
        Rating::WithoutChallenges
    } else if value <= limit + eps {
        Rating::SomeChallenges
    } else if value <= 1.5 * limit + eps {
        Rating::MajorChallenges
    } else {
        Rating::Unable
    }
}

fn rating(seen: &Seen, limit: f64) -> Rating {
    match (seen.value, seen.at_least) {
        (Some(v), _) => rating_of(v, limit),
        (None, Some(b)) if b > limit + 1e-9 => rating_of(b, limit),
        (None, _) => Rating::NotObserved,
    }
}

fn about_fact(o: &Observation, fact: &str) -> bool {
    matches!(&o.subject, Some(Subject::Fact(f)) if f == fact)
}

fn knows(o: &Observation) -> bool {
    matches!(o.event, EventKind::Knew | EventKind::Handled)
}

/// The observed value of `o`'s measure, from the log.
fn observe(model: &Model, log: &ExerciseLog, origin: &dyn Fn(&str) -> Option<f64>, o: &Objective) -> Seen {
    let rows = |keep: &dyn Fn(&Observation) -> bool| -> Vec<&Observation> {
        log.observations.iter().filter(|x| keep(x)).collect()
    };
    let fact = o.fact.as_deref().unwrap_or("");
    let from_origin = |t: f64| origin(fact).map(|x| t - x);
    let at_level = |x: &Observation| o.level.is_some_and(|l| model.units[x.unit as usize].level == l);
    match o.measure {
        Measure::FirstKnown => {
            let r = rows(&|x| about_fact(x, fact) && knows(x) && at_level(x));
            earliest(&r, from_origin)
        }
        Measure::AllKnown => {
            all_known(model, o, &rows(&|x| about_fact(x, fact) && knows(x) && at_level(x)), from_origin)
        }
        Measure::UnitKnows => {
            earliest(&rows(&|x| about_fact(x, fact) && knows(x) && Some(x.unit) == o.unit), from_origin)
        }
        Measure::FirstConference => {
            let conf = o.conference.as_ref().and_then(|id| model.conferences.iter().position(|c| &c.id == id));
            let r = rows(&|x| {
                x.event == EventKind::ConferenceStarted
                    && conf.is_none_or(|c| x.subject == Some(Subject::Conference(c as u32)))
            });
            earliest(&r, Some)
        }
        Measure::FirstPicture => earliest(&rows(&|x| x.event == EventKind::PicturePublished), Some),
        Measure::UnitActivated => earliest(&rows(&|x| x.event == EventKind::Activated && Some(x.unit) == o.unit), Some),
        Measure::FirstPublicMessage => {
            earliest(&rows(&|x| x.event == EventKind::PublicMessage && about_fact(x, fact)), from_origin)
        }
        Measure::MedianDelay => delays(model, log, origin, o, 0.5),
        Measure::P90Delay => delays(model, log, origin, o, 0.9),
        _ => Seen { why: "a log cannot give this measure".into(), ..Seen::default() },
    }
}

/// The earliest of `rows`, its time turned into the measure by `value`.
fn earliest(rows: &[&Observation], value: impl Fn(f64) -> Option<f64>) -> Seen {
    let Some(first) = rows.iter().min_by_key(|x| (x.time, x.row)) else {
        return Seen { why: "no row of the log gives it".into(), ..Seen::default() };
    };
    let v = value(minutes(first.time));
    let why = match v {
        Some(_) => format!("row {}", first.row),
        None => "the fact's origin time is unknown".into(),
    };
    Seen { value: v, rows: vec![first.row], at_least: None, why }
}

/// Every unit of the level knowing the fact: the last of their first rows.
fn all_known(model: &Model, o: &Objective, rows: &[&Observation], from_origin: impl Fn(f64) -> Option<f64>) -> Seen {
    let Some(level) = o.level else { return Seen::default() };
    let units = model.level_size(level);
    let mut first: Vec<(u32, &Observation)> = vec![];
    for x in rows {
        match first.iter_mut().find(|(u, _)| *u == x.unit) {
            Some(e) if (x.time, x.row) < (e.1.time, e.1.row) => e.1 = x,
            Some(_) => {}
            None => first.push((x.unit, x)),
        }
    }
    let mut ids: Vec<u64> = first.iter().map(|(_, x)| x.row).collect();
    ids.sort_unstable();
    if first.is_empty() {
        return Seen { why: "no row of the log gives it".into(), ..Seen::default() };
    }
    let last = first.iter().map(|(_, x)| x.time).max().map(minutes).and_then(from_origin);
    if first.len() < units {
        let bound = last
            .map_or(String::new(), |b| format!(", the last at {b:.0} min: every unit knew it at {b:.0} min or later"));
        let why = format!("only {} of the {units} units of the level were seen knowing it{bound}", first.len());
        return Seen { value: None, rows: ids, at_least: last, why };
    }
    Seen { value: last, rows: ids, at_least: None, why: format!("last of {units} units", units = first.len()) }
}

/// Whether a `knew` row of `fact` at `unit` is a delay at `level`, as the model counts
/// delays: the fact is meant for the level and the unit is not its origin.
fn delayed_at(model: &Model, fact: &str, unit: u32, level: crate::vocabulary::Level) -> bool {
    let base = fact.split('#').next().unwrap_or(fact);
    model.injects.iter().find(|i| i.id == base).is_some_and(|i| match &i.action {
        crate::model::Action::Fact { origin, levels, .. } => *origin != unit && levels & (1 << level.index()) != 0,
        _ => false,
    })
}

/// The `q` quantile of observed delays at the objective's level (knew rows, from each
/// fact's observed origin), when the log has at least [`MIN_DELAYS`].
fn delays(model: &Model, log: &ExerciseLog, origin: &dyn Fn(&str) -> Option<f64>, o: &Objective, q: f64) -> Seen {
    let Some(level) = o.level else { return Seen::default() };
    let mut rows = vec![];
    let mut d = vec![];
    for x in log.observations.iter().filter(|x| x.event == EventKind::Knew) {
        let Some(Subject::Fact(f)) = &x.subject else { continue };
        if model.units[x.unit as usize].level != level || !delayed_at(model, f, x.unit, level) {
            continue;
        }
        if let Some(t0) = origin(f) {
            d.push(minutes(x.time) - t0);
            rows.push(x.row);
        }
    }
    if d.len() < MIN_DELAYS {
        let why = format!("{} knew rows at the level; at least {MIN_DELAYS} are needed", d.len());
        return Seen { why, ..Seen::default() };
    }
    let value = quantile(&sorted(d), q);
    Seen { value, rows, at_least: None, why: "knew rows at the level".into() }
}
