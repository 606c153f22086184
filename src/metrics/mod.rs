//! Measures of a run (model.md §11) and objectives (§10): computed from a
//! [`RunRecord`], summarised as the headline measures that `summary.json` and a batch's
//! `runs.csv` carry.

pub mod headline;
pub mod power;
pub mod stats;
pub mod status;

pub use headline::{Headline, Headlines};
pub use status::MessageStatus;

use crate::sim::{Fact, MessageRec};
use crate::sim::{Recording, RunRecord};
use crate::time::{MINUTE, SimTime, minutes};
use crate::vocabulary::{Level, Measure, MessageKind, Via};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use stats::{mean, quantiles_unsorted, sorted};

/// One objective of a run: its value against its limit (`summary.json`, `objectives`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct ObjectiveResult {
    /// The objective's id in the scenario.
    pub id: String,
    /// What it asks, in the scenario's words.
    pub description: String,
    /// The measure's name ([`Measure::name`]).
    pub measure: String,
    /// The measured value (minutes or a count); `None` when it never happened.
    pub value: Option<f64>,
    /// The limit it was held against.
    pub limit: f64,
    /// Whether the value was within the limit.
    pub met: bool,
}

/// `summary.json`: written by [`crate::output::run`], read back by the report and the
/// debrief (a field missing from an older file is left empty).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Summary {
    /// The scenario's name.
    pub scenario: String,
    /// FNV-1a hash of the scenario file (hex).
    pub scenario_hash: String,
    /// The variant run, if any.
    pub variant: Option<String>,
    /// The run's seed.
    pub seed: u64,
    /// The samverkan version that ran it.
    pub tool_version: String,
    /// The simulated start (local date and time).
    pub start: String,
    /// The simulated duration (minutes).
    pub duration_min: f64,
    /// The headline measures.
    pub measures: Headlines,
    /// Messages sent, by kind.
    pub messages_by_kind: IndexMap<String, u64>,
    /// Messages sent, by channel id.
    pub messages_by_channel: IndexMap<String, u64>,
    /// Each objective of the scenario.
    pub objectives: Vec<ObjectiveResult>,
    /// Events the engine processed.
    pub events: u64,
    /// Hash of the event trace (hex; the fingerprint).
    pub trace: String,
}

/// Delays (minutes) of every fact a unit of `level` learned other than at its origin, sorted.
pub fn level_delays(r: &RunRecord, level: Level) -> Vec<f64> {
    all_level_delays(r)[level.index()].clone()
}

/// [`level_delays`] for the three levels in one pass.
pub fn all_level_delays(r: &RunRecord) -> [Vec<f64>; 3] {
    let mut out: [Vec<f64>; 3] = Default::default();
    level_delays_into(r, &mut out);
    out.map(sorted)
}

/// The delays of [`all_level_delays`] in `out` (cleared first), unsorted: from the run's
/// learnings in one pass, or copied as a [`Recording::Summary`] recorded them.
pub fn level_delays_into(r: &RunRecord, out: &mut [Vec<f64>; 3]) {
    out.iter_mut().for_each(Vec::clear);
    if r.recording == Recording::Summary {
        for (o, d) in out.iter_mut().zip(&r.delays) {
            o.extend_from_slice(d);
        }
        return;
    }
    for k in r.knowledge.iter().filter(|k| k.via != Via::Origin) {
        let level = r.model.units[k.unit as usize].level.index();
        if r.facts[k.fact as usize].levels & (1 << level) == 0 {
            continue; // a level the fact is not meant for
        }
        out[level].push(minutes(r.trail_time(k.trail) - r.facts[k.fact as usize].origin_time));
    }
}

/// Room a summary works in ([`summarise_with`]): kept by a batch thread from run to run,
/// so that a run's summary allocates no delay buffers.
#[derive(Default)]
pub struct Scratch {
    delays: [Vec<f64>; 3],
}

/// For each level (index [`Level::index`]): the share of the pairs (fact meant for the
/// level, unit of the level) that were known by the end of the run, learnings at the
/// origin included; `None` when the level has no units or no fact is meant for it.
/// The delay measures count only the pairs that were learned; this says how many were.
pub fn known_shares(r: &RunRecord) -> [Option<f64>; 3] {
    let mut units = [0u64; 3];
    for u in &r.model.units {
        units[u.level.index()] += 1;
    }
    let mut meant = [0u64; 3];
    for f in &r.facts {
        for (l, n) in meant.iter_mut().enumerate() {
            *n += u64::from(f.levels & (1 << l) != 0);
        }
    }
    std::array::from_fn(|l| {
        let pairs = meant[l] * units[l];
        (pairs > 0).then(|| r.known_pairs[l] as f64 / pairs as f64)
    })
}

/// The first fact of the run (earliest origin).
pub fn first_fact(r: &RunRecord) -> Option<&Fact> {
    r.facts.iter().min_by_key(|f| f.origin_time)
}

/// The headline measures and objectives of a run.
pub fn summarise(r: &RunRecord) -> Summary {
    summarise_with(r, &mut Scratch::default())
}

/// [`summarise`] working in `scratch` (the same summary).
pub fn summarise_with(r: &RunRecord, scratch: &mut Scratch) -> Summary {
    let model = &r.model;
    let m = headlines_with(r, scratch);
    Summary {
        scenario: model.name.to_string(),
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

/// The headline measures of a run.
pub fn headlines(r: &RunRecord) -> Headlines {
    headlines_with(r, &mut Scratch::default())
}

/// [`headlines`] working in `scratch`: the delay percentiles by selection (linear time,
/// the same values as by sorting; [`quantiles_unsorted`]).
fn headlines_with(r: &RunRecord, scratch: &mut Scratch) -> Headlines {
    use Headline as H;
    let mut m = Headlines::default();
    level_delays_into(r, &mut scratch.delays);
    for level in Level::ALL {
        let [median, p90] = quantiles_unsorted(&mut scratch.delays[level.index()], [0.5, 0.9]);
        m[H::delay_median(level)] = median;
        m[H::delay_p90(level)] = p90;
    }
    let known = known_shares(r);
    for level in Level::ALL {
        m[H::known_share(level)] = known[level.index()];
    }
    let first = first_fact(r);
    let since = |f: &Fact, t: Option<SimTime>| t.map(|t| minutes(t - f.origin_time));
    let first_known = |l: Level| first.and_then(|f| since(f, f.first_known[l.index()]));
    let all_known = |l: Level| first.and_then(|f| since(f, f.all_known[l.index()]));
    m[H::FirstFactFirstCoordinating] = first_known(Level::Coordinating);
    m[H::FirstFactAllCoordinating] = all_known(Level::Coordinating);
    m[H::FirstFactFirstStrategic] = first_known(Level::Strategic);
    m[H::FirstFactAllStrategic] = all_known(Level::Strategic);
    m[H::FirstFactAllExecutive] = all_known(Level::Executive);
    m[H::FirstAnyConference] = r.conferences.iter().map(|c| c.start).min().map(minutes);
    m[H::FirstPicture] = r.pictures.iter().map(|p| p.1).min().map(minutes);
    m[H::FirstPublicMessage] = r.public.iter().map(|p| p.time).min().map(minutes);
    let coordinated = r.public.iter().filter(|p| p.coordinated).count();
    m[H::PublicMessagesCoordinated] = Some(coordinated as f64);
    m[H::PublicMessagesUncoordinated] = Some((r.public.len() - coordinated) as f64);
    m[H::UnmetResource] = Some(r.unmet_time / MINUTE as f64);
    m[H::IdleWhileShort] = Some(r.idle_while_short_time / MINUTE as f64);
    m[H::Requests] = Some(r.requests.len() as f64);
    // Requests never decided count as waiting until the end of the run.
    let waits: Vec<f64> = r.requests.iter().map(|q| minutes(q.decided.unwrap_or(r.end) - q.requested)).collect();
    m[H::MeanRequestWait] = mean(&waits);
    m[H::MessagesSent] = Some(r.messages.len() as f64);
    let mut by_status = [0usize; MessageStatus::ALL.len()];
    for x in &r.messages {
        by_status[MessageStatus::of(x) as usize] += 1;
    }
    for s in MessageStatus::ALL {
        m[s.headline()] = Some(by_status[s as usize] as f64);
    }
    m[H::UnitsActivated] = Some(r.units.iter().filter(|u| u.activated.is_some()).count() as f64);
    m
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
pub fn evaluate(r: &RunRecord, measures: &Headlines) -> Vec<ObjectiveResult> {
    r.model
        .objectives
        .iter()
        .map(|o| {
            let value = objective_value(r, o, measures);
            let limit = o.within.map(minutes).or(o.max).unwrap_or(0.0);
            ObjectiveResult {
                id: o.id.clone(),
                description: o.description.to_string(),
                measure: o.measure.name(),
                value,
                limit,
                met: value.is_some_and(|v| v <= limit + 1e-9),
            }
        })
        .collect()
}

fn objective_value(r: &RunRecord, o: &crate::model::Objective, m: &Headlines) -> Option<f64> {
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
        // The headline measures of the level (computed once, the same values).
        Measure::MedianDelay => m[Headline::delay_median(o.level?)],
        Measure::P90Delay => m[Headline::delay_p90(o.level?)],
        Measure::UnmetResourceMinutes => m[Headline::UnmetResource],
        Measure::IdleWhileShortMinutes => m[Headline::IdleWhileShort],
        Measure::UncoordinatedPublicMessages => m[Headline::PublicMessagesUncoordinated],
        Measure::MeanRequestWait => m[Headline::MeanRequestWait].or(Some(0.0)),
    }
}
