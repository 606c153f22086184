//! Observed chains, decomposed like the model's delays (docs/concepts.md, "Where the
//! delay went"): where the log holds, for a fact, `sent` at A and `received`,
//! `handled` or `knew` at B, the hop A → B has an observed transit (received − sent), an
//! observed time at B (handled − received: queue, activation wait and processing
//! together, which a log cannot tell apart) and an observed wait before sending (sent −
//! when A knew it: the model's meeting wait of the hop). Beside them, the model's mean
//! parts of the first handled message carrying the fact from A to B.

use super::observe::{HopKey, HopParts};
use super::{DelayPart, EventKind, ExerciseLog, Hop, Observation, Subject};
use crate::model::UnitIdx;

fn rows_of<'a>(log: &'a ExerciseLog, fact: &'a str) -> impl Iterator<Item = &'a Observation> + 'a {
    log.observations.iter().filter(move |o| matches!(&o.subject, Some(Subject::Fact(f)) if f == fact))
}

fn arrival(e: EventKind) -> bool {
    matches!(e, EventKind::Handled | EventKind::Knew)
}

/// The hops the log gives times for, sorted by fact, sender, receiver.
pub fn keys(log: &ExerciseLog) -> Vec<HopKey> {
    let mut facts: Vec<&str> = log
        .observations
        .iter()
        .filter_map(|o| match &o.subject {
            Some(Subject::Fact(f)) => Some(f.as_str()),
            _ => None,
        })
        .collect();
    facts.sort_unstable();
    facts.dedup();
    let mut out = vec![];
    for fact in facts {
        let rows: Vec<&Observation> = rows_of(log, fact).collect();
        let at = |b: UnitIdx, e: fn(EventKind) -> bool| rows.iter().any(|o| o.unit == b && e(o.event));
        // A `sent` row at `a` to `b` or to no one named.
        let sent = |a: UnitIdx, b: UnitIdx| {
            rows.iter().any(|s| s.event == EventKind::Sent && s.unit == a && s.to.is_none_or(|t| t == b))
        };
        for o in &rows {
            let pair = match (o.event, o.from, o.to) {
                (EventKind::Received, Some(a), _) if sent(a, o.unit) => Some((a, o.unit)),
                (EventKind::Received, None, _) => {
                    rows.iter().find(|s| s.event == EventKind::Sent && s.to == Some(o.unit)).map(|s| (s.unit, o.unit))
                }
                (EventKind::Handled, Some(a), _) if sent(a, o.unit) => Some((a, o.unit)),
                (EventKind::Sent, _, Some(b)) if at(b, |e| e == EventKind::Received || arrival(e)) => Some((o.unit, b)),
                _ => None,
            };
            if let Some((from, to)) = pair.filter(|(a, b)| a != b) {
                out.push(HopKey { fact: fact.to_string(), from, to });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The earliest row of `fact` passing `keep`.
fn first<'a>(log: &'a ExerciseLog, fact: &'a str, keep: impl Fn(&Observation) -> bool) -> Option<&'a Observation> {
    rows_of(log, fact).filter(|o| keep(o)).min_by_key(|o| (o.time, o.row))
}

/// The observed side of one hop: its rows and parts (minutes).
fn observed(log: &ExerciseLog, k: &HopKey) -> (Vec<u64>, [Option<f64>; 5], Option<f64>) {
    let (a, b) = (k.from, k.to);
    let sent = first(log, &k.fact, |o| o.event == EventKind::Sent && o.unit == a && o.to.is_none_or(|t| t == b));
    let recv = first(log, &k.fact, |o| o.event == EventKind::Received && o.unit == b && o.from.is_none_or(|f| f == a));
    let handled =
        first(log, &k.fact, |o| o.event == EventKind::Handled && o.unit == b && o.from.is_none_or(|f| f == a))
            .or_else(|| first(log, &k.fact, |o| o.event == EventKind::Knew && o.unit == b));
    let known_a = first(log, &k.fact, |o| arrival(o.event) && o.unit == a);
    let min = |o: &Observation| crate::time::minutes(o.time);
    let gap = |x: Option<&Observation>, y: Option<&Observation>| x.zip(y).map(|(x, y)| min(y) - min(x));
    let mut parts = [None; 5];
    parts[DelayPart::Transit as usize] = gap(sent, recv);
    parts[DelayPart::MeetingWait as usize] = gap(known_a, sent);
    let at_unit = gap(recv, handled);
    let mut rows: Vec<u64> = [known_a, sent, recv, handled].into_iter().flatten().map(|o| o.row).collect();
    rows.sort_unstable();
    rows.dedup();
    (rows, parts, at_unit)
}

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (n, s) = v.fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
    (n > 0).then(|| s / n as f64)
}

/// One [`Hop`] per key, from the log and each run's parts of the hop (`runs[run][key]`).
pub fn build(log: &ExerciseLog, keys: &[HopKey], runs: &[&[Option<HopParts>]]) -> Vec<Hop> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            let (rows, observed, observed_at_unit) = observed(log, k);
            let got: Vec<HopParts> = runs.iter().filter_map(|r| r.get(i).copied().flatten()).collect();
            let m = |f: fn(&HopParts) -> f64| mean(got.iter().map(f));
            let mut model_mean = [None; 5];
            model_mean[DelayPart::Transit as usize] = m(|p| p.transit);
            model_mean[DelayPart::Queue as usize] = m(|p| p.queue);
            model_mean[DelayPart::Processing as usize] = m(|p| p.processing);
            model_mean[DelayPart::ActivationWait as usize] = m(|p| p.activation_wait);
            model_mean[DelayPart::MeetingWait as usize] = mean(got.iter().filter_map(|p| p.before_send));
            Hop {
                fact: k.fact.clone(),
                from: k.from,
                to: k.to,
                rows,
                observed,
                model_mean,
                model_runs: got.len(),
                observed_at_unit,
                model_at_unit_mean: m(|p| p.queue + p.activation_wait + p.processing),
            }
        })
        .collect()
}
