//! Which observed deviations are worth a rerun: a conference whose first session came
//! earlier or later than the model expected, and a unit whose observations are mostly
//! slower than the model's. The rules (also in docs/exercise-log.md):
//!
//! - **First session.** For each conference, the earliest `conference_started` row of it;
//!   when its verdict is `faster` or `slower`, the first session is imposed at the observed
//!   time. Size: |observed − model median| minutes.
//! - **Slower unit.** A unit qualifies when the log shows it slow on its own account:
//!   either a hop ending at it whose observed handling (queue + processing) is at least
//!   [`SLOW_HOP`] × the model's mean, or at least two `knew`/`handled` rows at it that are
//!   `slower`, more than half of its comparable ones. Its rows are left out when each
//!   slower fact was already seen slower, earlier, at another qualifying unit (its lateness
//!   is explained upstream). The factor is the median over its slow hops of observed ÷
//!   model handling; without hops, the median over its slower rows of (observed − origin) ÷
//!   (model median − origin), the origin being the fact's scheduled time; clamped to
//!   [`FACTOR_RANGE`]. Size: the largest excess in minutes (observed − model).
//!
//! Candidates are ranked by size, largest first.

use crate::debrief::{EventKind, Hop, Imposed, Placed, Subject, Verdict};
use crate::model::{Action, InjectTime, Model, Stream, UnitIdx};
use crate::time::minutes;
use std::collections::BTreeMap;

/// A hop whose observed handling is at least this many times the model's is slow.
pub const SLOW_HOP: f64 = 1.5;
/// The range a slowing factor is clamped to.
pub const FACTOR_RANGE: (f64, f64) = (1.0, 20.0);
/// Below this many minutes between origin and the model's median a row gives no factor.
const MIN_SPAN_MIN: f64 = 0.5;

/// A deviation to impose, with its log rows and its size in minutes.
struct Candidate {
    imposed: Imposed,
    rows: Vec<u64>,
    size: f64,
}

/// The largest deviations, at most `max`, each with the log rows that showed it.
pub fn candidates(model: &Model, placed: &[Placed], hops: &[Hop], max: usize) -> Vec<(Imposed, Vec<u64>)> {
    let mut all = first_sessions(placed);
    all.extend(slower_units(model, placed, hops));
    // Stable: equal sizes keep conferences before units, each in index order.
    all.sort_by(|a, b| b.size.total_cmp(&a.size));
    all.into_iter().take(max).map(|c| (c.imposed, c.rows)).collect()
}

fn first_sessions(placed: &[Placed]) -> Vec<Candidate> {
    let mut first: BTreeMap<u32, &Placed> = BTreeMap::new();
    for p in placed.iter().filter(|p| p.observation.event == EventKind::ConferenceStarted) {
        let Some(Subject::Conference(c)) = p.observation.subject else { continue };
        let earlier = |q: &&Placed| (p.observed_min, p.observation.row) < (q.observed_min, q.observation.row);
        if first.get(&c).is_none_or(earlier) {
            first.insert(c, p);
        }
    }
    first
        .into_iter()
        .filter(|(_, p)| matches!(p.verdict, Verdict::Slower | Verdict::Faster))
        .filter_map(|(conference, p)| {
            let median = p.spread.median?;
            Some(Candidate {
                imposed: Imposed::FirstSession { conference, observed_min: p.observed_min, model_median_min: median },
                rows: vec![p.observation.row],
                size: (p.observed_min - median).abs(),
            })
        })
        .collect()
}

/// What the log says about one unit.
#[derive(Default)]
struct UnitEvidence<'a> {
    comparable: usize,
    slower: Vec<&'a Placed>,
    hop_factors: Vec<f64>,
    hop_rows: Vec<u64>,
    hop_excess: f64,
}

fn slower_units(model: &Model, placed: &[Placed], hops: &[Hop]) -> Vec<Candidate> {
    let mut by_unit: BTreeMap<UnitIdx, UnitEvidence> = BTreeMap::new();
    for p in placed.iter().filter(|p| matches!(p.observation.event, EventKind::Knew | EventKind::Handled)) {
        if !matches!(p.verdict, Verdict::Faster | Verdict::AsExpected | Verdict::Slower) {
            continue;
        }
        let e = by_unit.entry(p.observation.unit).or_default();
        e.comparable += 1;
        if p.verdict == Verdict::Slower {
            e.slower.push(p);
        }
    }
    for h in hops {
        let Some((observed, model_mean)) = handling(h) else { continue };
        if observed >= SLOW_HOP * model_mean {
            let e = by_unit.entry(h.to).or_default();
            e.hop_factors.push(observed / model_mean);
            e.hop_rows.extend(&h.rows);
            e.hop_excess = e.hop_excess.max(observed - model_mean);
        }
    }
    let qualifies =
        |e: &UnitEvidence| !e.hop_factors.is_empty() || (e.slower.len() >= 2 && 2 * e.slower.len() > e.comparable);
    by_unit.retain(|_, e| qualifies(e));
    let explained: Vec<UnitIdx> =
        by_unit.iter().filter(|(u, e)| explained_upstream(**u, e, &by_unit)).map(|(u, _)| *u).collect();
    by_unit.iter().filter(|(u, _)| !explained.contains(u)).filter_map(|(&unit, e)| candidate(model, unit, e)).collect()
}

/// Observed and model minutes at the hop's receiving unit (received → handled: queue,
/// activation wait and processing, which a log cannot tell apart); `None` when the log
/// does not give it or the model's is not above 0.
fn handling(h: &Hop) -> Option<(f64, f64)> {
    let (o, m) = (h.observed_at_unit?, h.model_at_unit_mean?);
    (m > 0.0).then_some((o, m))
}

/// Whether every slower fact of a unit without slow hops was seen slower, earlier, at
/// another qualifying unit.
fn explained_upstream(unit: UnitIdx, e: &UnitEvidence, all: &BTreeMap<UnitIdx, UnitEvidence>) -> bool {
    if !e.hop_factors.is_empty() {
        return false;
    }
    e.slower.iter().all(|p| {
        all.iter().filter(|(v, _)| **v != unit).any(|(_, other)| {
            other
                .slower
                .iter()
                .any(|q| q.observation.subject == p.observation.subject && q.observed_min < p.observed_min)
        })
    })
}

fn candidate(model: &Model, unit: UnitIdx, e: &UnitEvidence) -> Option<Candidate> {
    let row_ratios: Vec<f64> = e.slower.iter().filter_map(|p| row_ratio(model, p)).collect();
    let factor = median(if e.hop_factors.is_empty() { &row_ratios } else { &e.hop_factors })?;
    let row_excess = e.slower.iter().filter_map(|p| Some(p.observed_min - p.spread.median?)).fold(0.0, f64::max);
    let mut rows: Vec<u64> = e.slower.iter().map(|p| p.observation.row).chain(e.hop_rows.iter().copied()).collect();
    rows.sort_unstable();
    rows.dedup();
    Some(Candidate {
        imposed: Imposed::SlowerUnit { unit, factor: factor.clamp(FACTOR_RANGE.0, FACTOR_RANGE.1) },
        rows,
        size: row_excess.max(e.hop_excess),
    })
}

/// (observed − origin) ÷ (model median − origin) of a row about a fact.
fn row_ratio(model: &Model, p: &Placed) -> Option<f64> {
    let Some(Subject::Fact(fact)) = &p.observation.subject else { return None };
    let origin = fact_origin_min(model, fact)?;
    let span = p.spread.median? - origin;
    (span >= MIN_SPAN_MIN).then(|| (p.observed_min - origin) / span)
}

/// The scheduled origin of a fact in minutes from the start (jitter left out): its
/// inject's time (following `after` chains), and for the k-th of a stream (`id#k`) the
/// k-th of an `every` or `count` stream; `None` for random streams and unknown ids.
pub fn fact_origin_min(model: &Model, fact: &str) -> Option<f64> {
    let (id, rep) = match fact.split_once('#') {
        Some((id, k)) => (id, k.parse::<i64>().ok()?.checked_sub(1)?),
        None => (fact, 0),
    };
    let i = model.injects.iter().position(|inj| inj.id == id)?;
    let inj = &model.injects[i];
    if !matches!(inj.action, Action::Fact { .. }) {
        return None;
    }
    let begin = inject_time(model, i, 0)?;
    let offset = match &inj.stream {
        None => 0,
        Some((Stream::Every(e), _)) => e * rep,
        Some((Stream::Count(n), window)) => window * rep / (*n).max(1) as i64,
        Some((Stream::Rate(_), _)) => return None,
    };
    Some(minutes(begin + offset))
}

fn inject_time(model: &Model, i: usize, depth: usize) -> Option<i64> {
    match model.injects.get(i)?.time {
        InjectTime::At(t) => Some(t),
        InjectTime::After { .. } if depth > model.injects.len() => None,
        InjectTime::After { inject, delay } => Some(inject_time(model, inject as usize, depth + 1)? + delay),
    }
}

fn median(v: &[f64]) -> Option<f64> {
    crate::metrics::stats::quantile(&crate::metrics::stats::sorted(v.to_vec()), 0.5)
}
