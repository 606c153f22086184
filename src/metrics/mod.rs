//! Measures of a run (model.md §11) and objectives (§10): computed from a
//! [`RunRecord`], summarised as the headline measures that `summary.json` and a batch's
//! `runs.csv` carry.

pub mod power;
pub mod stats;

use crate::scenario::spec::{Level, Measure, MessageKind, Via};
use crate::sim::RunRecord;
use crate::sim::{Fact, MessageRec};
use crate::time::{MINUTE, SimTime, minutes};
use indexmap::IndexMap;
use serde::Serialize;
use stats::{mean, quantile, sorted};

/// Headline measures, in the order of `summary.json` and of `runs.csv` columns.
/// Times are minutes from the scenario start or from a fact's origin, as named.
pub const HEADLINE: &[&str] = &[
    "delay_executive_median_min",
    "delay_executive_p90_min",
    "delay_coordinating_median_min",
    "delay_coordinating_p90_min",
    "delay_strategic_median_min",
    "delay_strategic_p90_min",
    "first_fact_first_coordinating_min",
    "first_fact_all_coordinating_min",
    "first_fact_first_strategic_min",
    "first_fact_all_strategic_min",
    "first_fact_all_executive_min",
    "first_conference_min",
    "first_picture_min",
    "first_public_message_min",
    "public_messages_coordinated",
    "public_messages_uncoordinated",
    "unmet_resource_min",
    "idle_while_short_min",
    "requests",
    "mean_request_wait_min",
    "messages_sent",
    "messages_delivered",
    "messages_lost_resent",
    "messages_in_flight",
    "units_activated",
];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectiveResult {
    pub id: String,
    pub description: String,
    pub measure: String,
    /// The measured value (minutes or a count); `None` when it never happened.
    pub value: Option<f64>,
    /// The limit it was held against.
    pub limit: f64,
    pub met: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub scenario_hash: String,
    pub variant: Option<String>,
    pub seed: u64,
    pub tool_version: String,
    pub start: String,
    pub duration_min: f64,
    pub measures: IndexMap<String, Option<f64>>,
    pub messages_by_kind: IndexMap<String, u64>,
    pub messages_by_channel: IndexMap<String, u64>,
    pub objectives: Vec<ObjectiveResult>,
    pub events: u64,
    pub trace: String,
}

/// Status of a message at the end of a run.
pub fn message_status(m: &MessageRec) -> &'static str {
    match (m.delivered, m.attempts) {
        (None, _) => "in_flight",
        (Some(_), a) if a > 1 => "lost_resent",
        _ => "delivered",
    }
}

/// Delays (minutes) of every fact a unit of `level` learned other than at its origin, sorted.
pub fn level_delays(r: &RunRecord, level: Level) -> Vec<f64> {
    all_level_delays(r)[level.index()].clone()
}

/// [`level_delays`] for the three levels in one pass.
pub fn all_level_delays(r: &RunRecord) -> [Vec<f64>; 3] {
    let mut out: [Vec<f64>; 3] = Default::default();
    for k in r.knowledge.iter().filter(|k| k.via != Via::Origin) {
        let level = r.model.units[k.unit as usize].level.index();
        if r.facts[k.fact as usize].levels & (1 << level) == 0 {
            continue; // a level the fact is not meant for
        }
        out[level].push(minutes(r.trail_time(k.trail) - r.facts[k.fact as usize].origin_time));
    }
    out.map(sorted)
}

/// The first fact of the run (earliest origin).
pub fn first_fact(r: &RunRecord) -> Option<&Fact> {
    r.facts.iter().min_by_key(|f| f.origin_time)
}

pub fn summarise(r: &RunRecord) -> Summary {
    let model = &r.model;
    let mut m: IndexMap<String, Option<f64>> = IndexMap::with_capacity(HEADLINE.len());
    let delays = all_level_delays(r);
    for level in Level::ALL {
        let d = &delays[level.index()];
        m.insert(format!("delay_{}_median_min", level.name()), quantile(d, 0.5));
        m.insert(format!("delay_{}_p90_min", level.name()), quantile(d, 0.9));
    }
    let first = first_fact(r);
    let since = |f: &Fact, t: Option<SimTime>| t.map(|t| minutes(t - f.origin_time));
    let lv = |l: Level| l.index();
    m.insert(
        "first_fact_first_coordinating_min".into(),
        first.and_then(|f| since(f, f.first_known[lv(Level::Coordinating)])),
    );
    m.insert(
        "first_fact_all_coordinating_min".into(),
        first.and_then(|f| since(f, f.all_known[lv(Level::Coordinating)])),
    );
    m.insert(
        "first_fact_first_strategic_min".into(),
        first.and_then(|f| since(f, f.first_known[lv(Level::Strategic)])),
    );
    m.insert("first_fact_all_strategic_min".into(), first.and_then(|f| since(f, f.all_known[lv(Level::Strategic)])));
    m.insert("first_fact_all_executive_min".into(), first.and_then(|f| since(f, f.all_known[lv(Level::Executive)])));
    m.insert("first_conference_min".into(), r.conferences.iter().map(|c| c.start).min().map(minutes));
    m.insert("first_picture_min".into(), r.pictures.iter().map(|p| p.1).min().map(minutes));
    m.insert("first_public_message_min".into(), r.public.iter().map(|p| p.time).min().map(minutes));
    let coordinated = r.public.iter().filter(|p| p.coordinated).count();
    m.insert("public_messages_coordinated".into(), Some(coordinated as f64));
    m.insert("public_messages_uncoordinated".into(), Some((r.public.len() - coordinated) as f64));
    m.insert("unmet_resource_min".into(), Some(r.unmet_time / MINUTE as f64));
    m.insert("idle_while_short_min".into(), Some(r.idle_while_short_time / MINUTE as f64));
    m.insert("requests".into(), Some(r.requests.len() as f64));
    // Requests never decided count as waiting until the end of the run.
    let waits: Vec<f64> = r.requests.iter().map(|q| minutes(q.decided.unwrap_or(r.end) - q.requested)).collect();
    m.insert("mean_request_wait_min".into(), mean(&waits));
    let count = |s: &str| r.messages.iter().filter(|x| message_status(x) == s).count() as f64;
    m.insert("messages_sent".into(), Some(r.messages.len() as f64));
    m.insert("messages_delivered".into(), Some(count("delivered")));
    m.insert("messages_lost_resent".into(), Some(count("lost_resent")));
    m.insert("messages_in_flight".into(), Some(count("in_flight")));
    m.insert("units_activated".into(), Some(r.units.iter().filter(|u| u.activated.is_some()).count() as f64));
    debug_assert!(HEADLINE.iter().all(|h| m.contains_key(*h)) && m.len() == HEADLINE.len());
    Summary {
        scenario: model.name.clone(),
        scenario_hash: model.hash.clone(),
        variant: model.variant.clone(),
        seed: r.seed,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        start: model.start.to_string(),
        duration_min: minutes(model.duration),
        objectives: evaluate(r, &m),
        measures: m,
        messages_by_kind: tally(r, |x| x.kind as usize, |i| MessageKind::ALL[i].name().to_string()),
        messages_by_channel: tally(
            r,
            |x| x.channel as usize,
            |i| model.channels.get(i).map_or("(none)".into(), |c| c.id.clone()),
        ),
        events: r.events,
        trace: format!("{:016x}", r.trace),
    }
}

/// Messages counted by a small index (kind, or channel with NONE as "(none)"), named
/// afterwards, sorted by name.
fn tally(r: &RunRecord, index: impl Fn(&MessageRec) -> usize, name: impl Fn(usize) -> String) -> IndexMap<String, u64> {
    let mut counts: Vec<u64> = Vec::new();
    for m in &r.messages {
        let i = index(m).min(r.model.channels.len().max(MessageKind::ALL.len()));
        if counts.len() <= i {
            counts.resize(i + 1, 0);
        }
        counts[i] += 1;
    }
    let mut out: IndexMap<String, u64> =
        counts.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| (name(i), *n)).collect();
    out.sort_keys();
    out
}

/// Each objective's value and whether it was met.
pub fn evaluate(r: &RunRecord, measures: &IndexMap<String, Option<f64>>) -> Vec<ObjectiveResult> {
    r.model
        .objectives
        .iter()
        .map(|o| {
            let value = objective_value(r, o, measures);
            let limit = o.within.map(minutes).or(o.max).unwrap_or(0.0);
            ObjectiveResult {
                id: o.id.clone(),
                description: o.description.clone(),
                measure: o.measure.name(),
                value,
                limit,
                met: value.is_some_and(|v| v <= limit + 1e-9),
            }
        })
        .collect()
}

fn objective_value(r: &RunRecord, o: &crate::model::Objective, m: &IndexMap<String, Option<f64>>) -> Option<f64> {
    let fact = o.fact.as_ref().and_then(|id| r.facts.iter().find(|f| &f.id == id));
    let since = |t: Option<SimTime>| fact.and_then(|f| t.map(|t| minutes(t - f.origin_time)));
    let level = o.level.map(|l| l.index());
    let known_by = |unit: u32| {
        let f = fact?;
        let fi = r.facts.iter().position(|x| std::ptr::eq(x, f))? as u32;
        r.knowledge
            .iter()
            .find(|k| k.fact == fi && k.unit == unit)
            .map(|k| minutes(r.trail_time(k.trail) - f.origin_time))
    };
    match o.measure {
        Measure::FirstKnown => since(fact.and_then(|f| f.first_known[level?])),
        Measure::AllKnown => since(fact.and_then(|f| f.all_known[level?])),
        Measure::UnitKnows => known_by(o.unit?),
        Measure::FirstConference => r
            .conferences
            .iter()
            .filter(|c| o.conference.as_ref().is_none_or(|x| *x == r.model.conferences[c.conference as usize].id))
            .map(|c| c.start)
            .min()
            .map(minutes),
        Measure::FirstPicture => r.pictures.iter().map(|p| p.1).min().map(minutes),
        Measure::UnitActivated => r.units[o.unit? as usize].activated.map(minutes),
        Measure::FirstPublicMessage => {
            let f = fact?;
            let fi = r.facts.iter().position(|x| std::ptr::eq(x, f))? as u32;
            r.public.iter().filter(|p| p.fact == fi).map(|p| p.time).min().map(|t| minutes(t - f.origin_time))
        }
        Measure::MedianDelay => quantile(&level_delays(r, o.level?), 0.5),
        Measure::P90Delay => quantile(&level_delays(r, o.level?), 0.9),
        Measure::UnmetResourceMinutes => m["unmet_resource_min"],
        Measure::IdleWhileShortMinutes => m["idle_while_short_min"],
        Measure::UncoordinatedPublicMessages => m["public_messages_uncoordinated"],
        Measure::MeanRequestWait => m["mean_request_wait_min"].or(Some(0.0)),
    }
}
