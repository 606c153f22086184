//! What a debrief reads from one run: the simulated value of each quantity the exercise
//! log asks about (docs/debrief.md, "Placement"), reduced from a [`RunRecord`] as soon as
//! the run ends so that no run record is kept.
//!
//! [`Wants::of`] turns a log into the list of [`Quantity`] keys (one per observation,
//! or the reason the model has no such quantity), the key facts and levels to time, and
//! the hops to decompose; [`measure`] gives one run's [`RunValues`] for them. Every time
//! is in minutes from the scenario's start.

use super::{EventKind, ExerciseLog, Observation, Subject};
use crate::model::{Action, Model, UnitIdx};
use crate::sim::RunRecord;
use crate::time::minutes;
use crate::vocabulary::{Level, Via};
use rustc_hash::FxHashMap;

/// The model quantity an observation is compared with (mapping in docs/debrief.md).
#[derive(Clone, Debug, PartialEq)]
pub enum Quantity {
    /// When `unit` came to know `fact`.
    Knew {
        fact: String,
        unit: UnitIdx,
    },
    /// When `unit` finished handling the first message carrying `fact` (from `from`).
    Handled {
        fact: String,
        unit: UnitIdx,
        from: Option<UnitIdx>,
    },
    /// First delivery to `unit` of a message carrying `fact` (from `from`).
    Received {
        fact: String,
        unit: UnitIdx,
        from: Option<UnitIdx>,
    },
    /// First send by `unit` of a message carrying `fact` (to `to`).
    Sent {
        fact: String,
        unit: UnitIdx,
        to: Option<UnitIdx>,
    },
    Activated {
        unit: UnitIdx,
    },
    /// Start of the conference's session number `session` (0 = first).
    SessionStart {
        conference: u32,
        session: usize,
    },
    SessionEnd {
        conference: u32,
        session: usize,
    },
    /// The conference's picture number `nth` (0 = first).
    Picture {
        conference: u32,
        nth: usize,
    },
    /// First request of an incident `unit` is responsible for (of `fact`).
    Requested {
        unit: UnitIdx,
        fact: Option<String>,
    },
    /// First decision of a request `unit` holds (of an incident of `fact`).
    Decided {
        unit: UnitIdx,
        fact: Option<String>,
    },
    /// First arrival for a request of an incident `unit` is responsible for.
    ResourcesArrived {
        unit: UnitIdx,
        fact: Option<String>,
    },
    /// First public message about `fact` by `unit`.
    PublicMessage {
        fact: String,
        unit: UnitIdx,
    },
}

/// A hop to decompose: `fact` passed from `from` to `to`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HopKey {
    pub fact: String,
    pub from: UnitIdx,
    pub to: UnitIdx,
}

/// Everything a debrief reads from each run.
#[derive(Clone, Debug, Default)]
pub struct Wants {
    /// One per observation, in log order: the quantity, or why the model has none.
    pub quantities: Vec<Result<Quantity, String>>,
    /// Facts whose origin time is read (key facts observed, objectives' facts).
    pub origins: Vec<String>,
    /// (key fact, level) pairs timed from the fact's origin.
    pub levels: Vec<(String, Level)>,
    pub hops: Vec<HopKey>,
    /// Whether the objectives are evaluated in each run.
    pub objectives: bool,
}

/// One run's model parts of a hop, minutes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HopParts {
    /// Sent less when the sender knew the fact (the model's meeting wait of the hop).
    pub before_send: Option<f64>,
    pub transit: f64,
    pub queue: f64,
    pub processing: f64,
    pub activation_wait: f64,
}

/// What one run gave for [`Wants`], in the same order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunValues {
    /// Minutes from the start, per observation (`None`: did not happen, or not comparable).
    pub values: Vec<Option<f64>>,
    /// Origin time per [`Wants::origins`] entry (`None`: the fact did not occur).
    pub origins: Vec<Option<f64>>,
    /// (first known, all known) from the fact's origin, per [`Wants::levels`] entry.
    pub levels: Vec<(Option<f64>, Option<f64>)>,
    /// (value, met) per model objective.
    pub objectives: Vec<(Option<f64>, bool)>,
    /// The first handled message along each hop.
    pub hops: Vec<Option<HopParts>>,
}

/// Key facts with their levels mask: [`super::template::key_facts`] (fact injects that
/// are not streams, in MSEL order).
pub fn key_facts(model: &Model) -> Vec<(String, u8)> {
    super::template::key_facts(model)
        .into_iter()
        .filter_map(|i| match &model.injects[i as usize].action {
            Action::Fact { levels, .. } => Some((model.injects[i as usize].id.clone(), *levels)),
            _ => None,
        })
        .collect()
}

impl Wants {
    /// What to read from each run for `log`.
    pub fn of(model: &Model, log: &ExerciseLog) -> Wants {
        let quantities = log.observations.iter().map(|o| quantity(model, log, o)).collect();
        let keys = key_facts(model);
        let observed =
            |f: &str| log.observations.iter().any(|o| matches!(&o.subject, Some(Subject::Fact(x)) if x == f));
        let mut levels = vec![];
        for (fact, mask) in keys.iter().filter(|(f, _)| observed(f)) {
            for level in Level::ALL.into_iter().filter(|l| mask & (1 << l.index()) != 0) {
                levels.push((fact.clone(), level));
            }
        }
        let mut origins: Vec<String> = levels.iter().map(|(f, _)| f.clone()).collect();
        origins.extend(model.objectives.iter().filter_map(|o| o.fact.clone()));
        origins.extend(log.observations.iter().filter_map(|o| match &o.subject {
            Some(Subject::Fact(f)) => Some(f.clone()),
            _ => None,
        }));
        origins.sort();
        origins.dedup();
        Wants { quantities, origins, levels, hops: super::hops::keys(log), objectives: !model.objectives.is_empty() }
    }
}

/// The quantity of one observation, or why the model has none (not comparable).
fn quantity(model: &Model, log: &ExerciseLog, o: &Observation) -> Result<Quantity, String> {
    let unit = o.unit;
    let u = &model.units[unit as usize];
    let fact = match &o.subject {
        Some(Subject::Fact(f)) => Some(f.clone()),
        _ => None,
    };
    let conference = match o.subject {
        Some(Subject::Conference(c)) => Some(c),
        _ => None,
    };
    let need_fact = || fact.clone().ok_or_else(|| format!("`{}` needs a fact", o.event.name()));
    let need_conf = || conference.ok_or_else(|| format!("`{}` needs a conference", o.event.name()));
    Ok(match o.event {
        EventKind::Knew => Quantity::Knew { fact: need_fact()?, unit },
        EventKind::Handled => Quantity::Handled { fact: need_fact()?, unit, from: o.from },
        EventKind::Received => {
            linked(model, o.from, Some(unit))?;
            Quantity::Received { fact: need_fact()?, unit, from: o.from }
        }
        EventKind::Sent => {
            linked(model, Some(unit), o.to)?;
            Quantity::Sent { fact: need_fact()?, unit, to: o.to }
        }
        EventKind::Activated => {
            if !activatable(model, unit) {
                return Err(format!(
                    "{} is never activated in the model (no activation threshold, no inject or conference direction activates it)",
                    u.id
                ));
            }
            Quantity::Activated { unit }
        }
        EventKind::ConferenceStarted => {
            let c = need_conf()?;
            Quantity::SessionStart { conference: c, session: rank(log, o, c) }
        }
        EventKind::ConferenceEnded => {
            let c = need_conf()?;
            Quantity::SessionEnd { conference: c, session: rank(log, o, c) }
        }
        EventKind::PicturePublished => {
            let c = need_conf()?;
            if model.conferences[c as usize].picture.is_none() {
                return Err(format!(
                    "conference {} compiles no picture in the model",
                    model.conferences[c as usize].id
                ));
            }
            Quantity::Picture { conference: c, nth: rank(log, o, c) }
        }
        EventKind::Requested => Quantity::Requested { unit, fact },
        EventKind::Decided => {
            let in_deciding = model
                .conferences
                .iter()
                .any(|c| c.decides_requests && (c.convener == unit || c.participants.contains(&unit)));
            if !u.decides_requests && !in_deciding {
                return Err(format!("{} decides no requests in the model", u.id));
            }
            Quantity::Decided { unit, fact }
        }
        EventKind::ResourcesArrived => Quantity::ResourcesArrived { unit, fact },
        EventKind::PublicMessage => {
            if u.public_info.is_none() {
                return Err(format!("{} publishes no public information in the model", u.id));
            }
            Quantity::PublicMessage { fact: need_fact()?, unit }
        }
    })
}

/// Whether anything in the model can activate `unit`: its own threshold, an `activate`
/// inject naming it, or a conference whose direction activates (direction is passed
/// down the direction links, so any unit may receive it).
fn activatable(model: &Model, unit: UnitIdx) -> bool {
    model.units[unit as usize].activation_threshold.is_some()
        || model.injects.iter().any(|i| matches!(&i.action, Action::Activate(us) if us.contains(&unit)))
        || model.conferences.iter().any(|c| c.direction.as_ref().is_some_and(|d| d.activate))
}

/// Refuses a message between two units with no link between them (either way).
fn linked(model: &Model, from: Option<UnitIdx>, to: Option<UnitIdx>) -> Result<(), String> {
    let (Some(a), Some(b)) = (from, to) else { return Ok(()) };
    let any = model.links.iter().any(|l| (l.from == a && l.to == b) || (l.from == b && l.to == a));
    if any {
        return Ok(());
    }
    Err(format!("no link between {} and {} in the model", model.units[a as usize].id, model.units[b as usize].id))
}

/// The rank (0 = first) of `o` among the log's rows of the same event and conference,
/// by time (then row).
fn rank(log: &ExerciseLog, o: &Observation, conference: u32) -> usize {
    log.observations
        .iter()
        .filter(|x| x.event == o.event && x.subject == Some(Subject::Conference(conference)))
        .filter(|x| (x.time, x.row) < (o.time, o.row))
        .count()
}

/// Per-run index of the message and knowledge times the wanted facts need.
#[derive(Default)]
struct Index {
    /// (fact, unit) → minutes it came to know it, and how.
    known: FxHashMap<(u32, UnitIdx), (f64, Via)>,
    /// (fact, receiver, Some(sender) | None) → first delivered / first done.
    delivered: FxHashMap<(u32, UnitIdx, Option<UnitIdx>), f64>,
    done: FxHashMap<(u32, UnitIdx, Option<UnitIdx>), f64>,
    /// (fact, sender, Some(receiver) | None) → first sent.
    sent: FxHashMap<(u32, UnitIdx, Option<UnitIdx>), f64>,
    /// (fact, sender, receiver) → the first handled message's parts (by done time).
    hop: FxHashMap<(u32, UnitIdx, UnitIdx), (f64, HopParts)>,
}

fn keep_min<K: std::hash::Hash + Eq>(m: &mut FxHashMap<K, f64>, k: K, v: f64) {
    m.entry(k).and_modify(|x| *x = x.min(v)).or_insert(v);
}

fn index(r: &RunRecord, wanted: &FxHashMap<u32, ()>) -> Index {
    let mut ix = Index::default();
    for k in r.knowledge.iter().filter(|k| wanted.contains_key(&k.fact)) {
        ix.known.insert((k.fact, k.unit), (minutes(r.trail_time(k.trail)), k.via));
    }
    for m in r.messages.iter() {
        for c in m.facts.iter().filter(|c| wanted.contains_key(&c.fact)) {
            let f = c.fact;
            let sent = minutes(m.sent);
            keep_min(&mut ix.sent, (f, m.from, None), sent);
            keep_min(&mut ix.sent, (f, m.from, Some(m.to)), sent);
            let Some(delivered) = m.delivered else { continue };
            keep_min(&mut ix.delivered, (f, m.to, None), minutes(delivered));
            keep_min(&mut ix.delivered, (f, m.to, Some(m.from)), minutes(delivered));
            let (Some(started), Some(done)) = (m.started, m.done) else { continue };
            keep_min(&mut ix.done, (f, m.to, None), minutes(done));
            keep_min(&mut ix.done, (f, m.to, Some(m.from)), minutes(done));
            let aw = m.activation_wait.clamp(0, started - delivered);
            let parts = HopParts {
                before_send: None,
                transit: minutes(delivered - m.sent),
                queue: minutes(started - delivered - aw),
                processing: minutes(done - started),
                activation_wait: minutes(aw),
            };
            let d = minutes(done);
            let e = ix.hop.entry((f, m.from, m.to)).or_insert((d, parts));
            if d < e.0 {
                *e = (d, parts);
            }
        }
    }
    ix
}

/// One run's values of everything in `w`.
pub fn measure(r: &RunRecord, w: &Wants) -> RunValues {
    let by_id: FxHashMap<&str, u32> = r.facts.iter().enumerate().map(|(i, f)| (f.id.as_str(), i as u32)).collect();
    let fid = |f: &str| by_id.get(f).copied();
    let mut wanted: FxHashMap<u32, ()> = FxHashMap::default();
    for q in w.quantities.iter().flatten() {
        if let Some(f) = fact_of(q).and_then(fid) {
            wanted.insert(f, ());
        }
    }
    for h in &w.hops {
        if let Some(f) = fid(&h.fact) {
            wanted.insert(f, ());
        }
    }
    let ix = index(r, &wanted);
    let values = w.quantities.iter().map(|q| q.as_ref().ok().and_then(|q| value(r, &ix, &fid, q))).collect();
    let origins = w.origins.iter().map(|f| fid(f).map(|i| minutes(r.facts[i as usize].origin_time))).collect();
    let levels = w
        .levels
        .iter()
        .map(|(f, level)| {
            let Some(fact) = fid(f).map(|i| &r.facts[i as usize]) else { return (None, None) };
            let since = |t: Option<i64>| t.map(|t| minutes(t - fact.origin_time));
            (since(fact.first_known[level.index()]), since(fact.all_known[level.index()]))
        })
        .collect();
    let objectives = if w.objectives {
        crate::metrics::summarise(r).objectives.iter().map(|o| (o.value, o.met)).collect()
    } else {
        vec![]
    };
    let hops = w
        .hops
        .iter()
        .map(|h| {
            let f = fid(&h.fact)?;
            let (_, mut parts) = *ix.hop.get(&(f, h.from, h.to))?;
            let sent = ix.sent.get(&(f, h.from, Some(h.to)));
            parts.before_send = ix.known.get(&(f, h.from)).zip(sent).map(|((k, _), s)| (s - k).max(0.0));
            Some(parts)
        })
        .collect();
    RunValues { values, origins, levels, objectives, hops }
}

fn fact_of(q: &Quantity) -> Option<&str> {
    match q {
        Quantity::Knew { fact, .. }
        | Quantity::Handled { fact, .. }
        | Quantity::Received { fact, .. }
        | Quantity::Sent { fact, .. }
        | Quantity::PublicMessage { fact, .. } => Some(fact),
        _ => None,
    }
}

/// The value of one quantity in a run.
fn value(r: &RunRecord, ix: &Index, fid: &dyn Fn(&str) -> Option<u32>, q: &Quantity) -> Option<f64> {
    let t = |x: Option<i64>| x.map(minutes);
    match q {
        Quantity::Knew { fact, unit } => ix.known.get(&(fid(fact)?, *unit)).map(|k| k.0),
        Quantity::Handled { fact, unit, from } => {
            let f = fid(fact)?;
            ix.done.get(&(f, *unit, *from)).copied().or_else(|| match ix.known.get(&(f, *unit)) {
                Some((k, Via::Origin | Via::Conference)) if from.is_none() => Some(*k),
                _ => None,
            })
        }
        Quantity::Received { fact, unit, from } => ix.delivered.get(&(fid(fact)?, *unit, *from)).copied(),
        Quantity::Sent { fact, unit, to } => ix.sent.get(&(fid(fact)?, *unit, *to)).copied(),
        Quantity::Activated { unit } => t(r.units[*unit as usize].activated),
        Quantity::SessionStart { conference, session } => nth_session(r, *conference, *session).map(|c| c.0),
        Quantity::SessionEnd { conference, session } => nth_session(r, *conference, *session).map(|c| c.1),
        Quantity::Picture { conference, nth } => {
            let mut at: Vec<i64> = r.pictures.iter().filter(|p| p.0 == *conference).map(|p| p.1).collect();
            at.sort_unstable();
            at.get(*nth).map(|x| minutes(*x))
        }
        Quantity::Requested { unit, fact } => {
            requests(r, fid, fact, |q| responsible(r, q.incident, *unit)).map(|q| q.requested).min().map(minutes)
        }
        Quantity::Decided { unit, fact } => {
            requests(r, fid, fact, |q| q.holders.contains(unit)).filter_map(|q| q.decided).min().map(minutes)
        }
        Quantity::ResourcesArrived { unit, fact } => {
            requests(r, fid, fact, |q| responsible(r, q.incident, *unit)).filter_map(|q| q.arrived).min().map(minutes)
        }
        Quantity::PublicMessage { fact, unit } => {
            let f = fid(fact)?;
            r.public.iter().filter(|p| p.fact == f && p.unit == *unit).map(|p| p.time).min().map(minutes)
        }
    }
}

fn responsible(r: &RunRecord, incident: u32, unit: UnitIdx) -> bool {
    r.incidents.get(incident as usize).is_some_and(|i| i.responsible == unit)
}

/// The run's requests that pass `keep`, of an incident of `fact` when one is given.
fn requests<'a>(
    r: &'a RunRecord,
    fid: &'a dyn Fn(&str) -> Option<u32>,
    fact: &'a Option<String>,
    keep: impl Fn(&crate::sim::RequestRec) -> bool + 'a,
) -> impl Iterator<Item = &'a crate::sim::RequestRec> + 'a {
    let f = fact.as_deref().map(fid);
    r.requests.iter().filter(move |q| keep(q)).filter(move |q| match f {
        None => true,
        Some(f) => f.is_some() && r.incidents.get(q.incident as usize).map(|i| i.fact) == f,
    })
}

/// (start, end) in minutes of the conference's session number `k` (0 = first).
fn nth_session(r: &RunRecord, conference: u32, k: usize) -> Option<(f64, f64)> {
    let mut s: Vec<(i64, i64)> =
        r.conferences.iter().filter(|c| c.conference == conference).map(|c| (c.start, c.end)).collect();
    s.sort_unstable();
    s.get(k).map(|(a, b)| (minutes(*a), minutes(*b)))
}
