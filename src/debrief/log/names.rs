//! The names an exercise log uses, resolved against the model: units (id or name),
//! events (English or Swedish), facts (inject id, streamed repetition `calls#3`, or the
//! MSEL sequence number) and conferences (id or name). Matching ignores case.

use crate::debrief::{EventKind, Subject};
use crate::model::{Action, InjectTime, Model, UnitIdx};
use crate::time::SimTime;
use std::collections::HashMap;

/// The Swedish name of each event of [`EventKind::ALL`], in the same order (read as
/// well as the English ones).
pub const SWEDISH_EVENTS: [&str; 12] = [
    "kände_till",
    "skickade",
    "tog_emot",
    "hanterade",
    "aktiverades",
    "konferens_började",
    "konferens_slutade",
    "lägesbild_publicerad",
    "beslutade",
    "begärde",
    "resurser_anlände",
    "information_till_allmänheten",
];

/// Whether an inject creates a fact in a run (a fact, an incident, an exercise message).
pub fn makes_fact(action: &Action) -> bool {
    matches!(action, Action::Fact { .. } | Action::Incident { .. } | Action::Message { .. })
}

/// Each inject's nominal time (no jitter): `at`, or the chain of `after` + delay.
pub fn nominal_times(model: &Model) -> Vec<SimTime> {
    let mut out: Vec<Option<SimTime>> = vec![None; model.injects.len()];
    fn time(model: &Model, i: usize, out: &mut [Option<SimTime>], depth: usize) -> SimTime {
        if let Some(t) = out[i] {
            return t;
        }
        let t = match model.injects[i].time {
            InjectTime::At(t) => t,
            InjectTime::After { .. } if depth > model.injects.len() => 0,
            InjectTime::After { inject, delay } => time(model, inject as usize, out, depth + 1) + delay,
        };
        out[i] = Some(t);
        t
    }
    (0..model.injects.len()).map(|i| time(model, i, &mut out, 0)).collect()
}

/// The injects in MSEL order (nominal time, ties in file order): entry `n - 1` is the
/// inject with sequence number `n` (as `samverkan msel export` numbers the rows of a
/// scenario whose injects are all enabled).
pub fn msel_order(model: &Model) -> Vec<u32> {
    let times = nominal_times(model);
    let mut order: Vec<u32> = (0..model.injects.len() as u32).collect();
    order.sort_by_key(|&i| (times[i as usize], i));
    order
}

/// Lookup tables for one model.
pub struct Names<'m> {
    model: &'m Model,
    units: HashMap<String, UnitIdx>,
    unit_names: HashMap<String, Vec<UnitIdx>>,
    injects: HashMap<String, u32>,
    conferences: HashMap<String, u32>,
    msel: Vec<u32>,
}

impl<'m> Names<'m> {
    pub fn new(model: &'m Model) -> Names<'m> {
        let mut unit_names: HashMap<String, Vec<UnitIdx>> = HashMap::new();
        for (i, u) in model.units.iter().enumerate() {
            unit_names.entry(u.name.trim().to_lowercase()).or_default().push(i as UnitIdx);
        }
        let mut conferences = HashMap::new();
        for (i, c) in model.conferences.iter().enumerate() {
            conferences.entry(c.name.trim().to_lowercase()).or_insert(i as u32);
        }
        for (i, c) in model.conferences.iter().enumerate() {
            conferences.insert(c.id.to_lowercase(), i as u32);
        }
        Names {
            model,
            units: model.units.iter().enumerate().map(|(i, u)| (u.id.to_lowercase(), i as UnitIdx)).collect(),
            unit_names,
            injects: model.injects.iter().enumerate().map(|(i, j)| (j.id.to_lowercase(), i as u32)).collect(),
            conferences,
            msel: msel_order(model),
        }
    }

    /// A unit by id or by name.
    pub fn unit(&self, text: &str) -> Result<UnitIdx, String> {
        let key = text.trim().to_lowercase();
        if let Some(&u) = self.units.get(&key) {
            return Ok(u);
        }
        match self.unit_names.get(&key).map(Vec::as_slice) {
            Some([u]) => Ok(*u),
            Some(many) => {
                let ids: Vec<&str> = many.iter().map(|u| self.model.units[*u as usize].id.as_str()).collect();
                Err(format!("is the name of {} units ({}); write the unit's id", many.len(), ids.join(", ")))
            }
            None => Err("is not a unit of the scenario (write a unit id such as `lst.tib`, or the unit's name)".into()),
        }
    }

    /// An event by its English or Swedish name (spaces and `-` read as `_`).
    pub fn event(text: &str) -> Result<EventKind, String> {
        let key: String =
            text.trim().to_lowercase().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c }).collect();
        EventKind::ALL
            .into_iter()
            .zip(SWEDISH_EVENTS)
            .find(|(e, sv)| e.name() == key || *sv == key)
            .map(|(e, _)| e)
            .ok_or_else(|| {
                let names: Vec<&str> = EventKind::ALL.iter().map(|e| e.name()).collect();
                format!("is not an event (events: {})", names.join(", "))
            })
    }

    /// A conference by id or name.
    pub fn conference(&self, text: &str) -> Result<u32, String> {
        if let Some(&c) = self.conferences.get(&text.trim().to_lowercase()) {
            return Ok(c);
        }
        let ids: Vec<&str> = self.model.conferences.iter().map(|c| c.id.as_str()).collect();
        let what = if self.fact(text).is_ok() { "is a fact, not a conference" } else { "is not a conference" };
        Err(format!("{what}; a conference event names the conference in this column (conferences: {})", ids.join(", ")))
    }

    /// A fact by inject id, streamed repetition (`calls#3`) or MSEL sequence number.
    pub fn fact(&self, text: &str) -> Result<Subject, String> {
        let t = text.trim();
        let key = t.to_lowercase();
        if let Some((base, rep)) = key.split_once('#') {
            let &i = self.injects.get(base).ok_or_else(|| self.unknown_fact())?;
            let inj = &self.model.injects[i as usize];
            if inj.stream.is_none() {
                return Err(format!(
                    "names repetition {rep} of `{}`, which is not a stream; write `{}`",
                    inj.id, inj.id
                ));
            }
            let n: u32 = rep.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                format!("is not a repetition of the stream `{}`: write `{}#N` with N = 1, 2, …", inj.id, inj.id)
            })?;
            return self.fact_of(i, Some(n));
        }
        if let Some(&i) = self.injects.get(&key) {
            return self.fact_of(i, None);
        }
        if let Ok(seq) = t.parse::<usize>() {
            return match self.msel.get(seq.wrapping_sub(1)) {
                Some(&i) => self.fact_of(i, None),
                None => Err(format!("is not a sequence number of the MSEL (1–{})", self.msel.len())),
            };
        }
        if self.conferences.contains_key(&key) {
            return Err("is a conference; only conference events (conference_started, conference_ended, picture_published) name one".into());
        }
        Err(self.unknown_fact())
    }

    fn fact_of(&self, inject: u32, rep: Option<u32>) -> Result<Subject, String> {
        let inj = &self.model.injects[inject as usize];
        if !makes_fact(&inj.action) {
            return Err(format!(
                "is the {} inject `{}`, which makes no fact (facts come from fact, incident and message injects)",
                inj.action.kind_name(),
                inj.id
            ));
        }
        match (rep, inj.stream.is_some()) {
            (Some(n), _) => Ok(Subject::Fact(format!("{}#{n}", inj.id))),
            (None, true) => {
                Err(format!("is the stream `{}`: name one repetition, `{}#1`, `{}#2`, …", inj.id, inj.id, inj.id))
            }
            (None, false) => Ok(Subject::Fact(inj.id.clone())),
        }
    }

    fn unknown_fact(&self) -> String {
        let ids: Vec<String> = self
            .model
            .injects
            .iter()
            .filter(|j| makes_fact(&j.action))
            .map(|j| if j.stream.is_some() { format!("{}#N", j.id) } else { j.id.clone() })
            .collect();
        let shown = ids.iter().take(12).cloned().collect::<Vec<_>>().join(", ");
        let more = if ids.len() > 12 { format!(", … ({} in all)", ids.len()) } else { String::new() };
        format!("is not a fact of the scenario (facts: {shown}{more}; or an MSEL sequence number)")
    }
}
