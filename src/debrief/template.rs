//! `log-template`: an observer's sheet pre-filled with the observation points that
//! matter for a scenario, times left blank (docs/exercise-log.md, "The template").
//!
//! [`rows`] lists, in this order: each key fact ([`key_facts`]) × each unit meant to
//! know it (`knew`); each conference (`conference_started`, `conference_ended`, and
//! `picture_published` when it publishes a joint picture); then the rows each objective's
//! measure needs that are not already listed (a row already listed gets the objective
//! in its note). [`write()`] writes them as CSV (either dialect) or as an `.xlsx` workbook
//! with an instructions sheet; the columns are the log's ([`super::log::COLUMNS`]), so a
//! filled template reads back as a log, and rows left without a time are "not observed".

mod write;

pub use write::{TemplateError, TemplateFormat, write};

use super::EventKind;
use crate::model::{Action, Model, Objective, UnitIdx};
use crate::report::Lang;
use crate::vocabulary::Measure;

/// One observation point of the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateRow {
    /// The unit's id.
    pub unit: String,
    pub event: EventKind,
    /// A fact id or, for conference events, a conference id; empty where the event needs none.
    pub fact: String,
    /// What to observe (and the objectives the row serves).
    pub note: String,
}

/// The key facts: fact injects that are not streams, by inject index, in nominal time
/// order (ties in file order).
pub fn key_facts(model: &Model) -> Vec<u32> {
    super::log::msel_order(model)
        .into_iter()
        .filter(|&i| {
            let inj = &model.injects[i as usize];
            matches!(inj.action, Action::Fact { .. }) && inj.stream.is_none()
        })
        .collect()
}

/// The units meant to know a key fact: every unit of every level in the fact's
/// `levels`, in model order.
pub fn meant_to_know(model: &Model, inject: u32) -> Vec<UnitIdx> {
    let Action::Fact { levels, .. } = model.injects[inject as usize].action else { return vec![] };
    (0..model.units.len() as UnitIdx).filter(|&u| levels & (1 << model.units[u as usize].level.index()) != 0).collect()
}

/// The template's rows for `model`, notes in English (see the module comment).
pub fn rows(model: &Model) -> Vec<TemplateRow> {
    rows_in(model, Lang::En)
}

/// The template's rows with notes in `lang`.
pub fn rows_in(model: &Model, lang: Lang) -> Vec<TemplateRow> {
    let sv = lang == Lang::Sv;
    let mut out = Rows(Vec::new());
    for f in key_facts(model) {
        let inj = &model.injects[f as usize];
        for u in meant_to_know(model, f) {
            let note = if sv {
                format!("När fick enheten veta: {}", what(model, f))
            } else {
                format!("When the unit learned: {}", what(model, f))
            };
            out.add(model, u, EventKind::Knew, &inj.id, note);
        }
    }
    for c in &model.conferences {
        let (started, ended, picture) = if sv {
            ("Början av varje möte", "Slutet av varje möte", "När den gemensamma lägesbilden publicerades")
        } else {
            ("Start of each session", "End of each session", "When the joint situational picture was published")
        };
        out.add(model, c.convener, EventKind::ConferenceStarted, &c.id, format!("{}: {started}", c.name));
        out.add(model, c.convener, EventKind::ConferenceEnded, &c.id, format!("{}: {ended}", c.name));
        if c.picture.is_some() {
            out.add(model, c.convener, EventKind::PicturePublished, &c.id, format!("{}: {picture}", c.name));
        }
    }
    for o in &model.objectives {
        let label = if sv { "övningsmål" } else { "objective" };
        let note = format!("{label} {}: {}", o.id, o.description);
        for (u, event, fact) in needs(model, o) {
            out.add(model, u, event, &fact, note.clone());
        }
    }
    out.0
}

/// Rows with no (unit, event, fact) twice: a second note is added to the first row's.
struct Rows(Vec<TemplateRow>);

impl Rows {
    fn add(&mut self, model: &Model, unit: UnitIdx, event: EventKind, fact: &str, note: String) {
        let u = &model.units[unit as usize];
        let unit = u.id.clone();
        match self.0.iter_mut().find(|r| r.unit == unit && r.event == event && r.fact == fact) {
            Some(r) if !r.note.contains(&note) => {
                r.note = format!("{}; {note}", r.note);
            }
            Some(_) => {}
            None => {
                // The unit's name first, so that observers know whom to watch.
                let note = format!("{} ({}) – {note}", u.name, model.orgs[u.org as usize].name);
                self.0.push(TemplateRow { unit, event, fact: fact.to_string(), note })
            }
        }
    }
}

/// A fact inject's text, for notes.
fn what(model: &Model, inject: u32) -> String {
    let inj = &model.injects[inject as usize];
    match &inj.action {
        Action::Fact { text, .. } | Action::Incident { text, .. } | Action::Message { text, .. }
            if !text.is_empty() =>
        {
            text.to_string()
        }
        _ => inj.id.clone(),
    }
}

/// The (unit, event, fact) rows an objective's measure is computed from.
pub fn needs(model: &Model, o: &Objective) -> Vec<(UnitIdx, EventKind, String)> {
    let fact = o.fact.clone();
    let at_level = |level: Option<crate::vocabulary::Level>| -> Vec<UnitIdx> {
        (0..model.units.len() as UnitIdx)
            .filter(|&u| level.is_none_or(|l| model.units[u as usize].level == l))
            .collect()
    };
    let conferences: Vec<usize> = (0..model.conferences.len())
        .filter(|&c| o.conference.as_ref().is_none_or(|id| *id == model.conferences[c].id))
        .collect();
    let public: Vec<UnitIdx> =
        (0..model.units.len() as UnitIdx).filter(|&u| model.units[u as usize].public_info.is_some()).collect();
    let first_key = key_facts(model).first().map(|&f| model.injects[f as usize].id.clone());
    let knew = |units: Vec<UnitIdx>, facts: Vec<String>| -> Vec<(UnitIdx, EventKind, String)> {
        facts.iter().flat_map(|f| units.iter().map(move |&u| (u, EventKind::Knew, f.clone()))).collect()
    };
    let key_ids = || key_facts(model).iter().map(|&f| model.injects[f as usize].id.clone()).collect::<Vec<_>>();
    match o.measure {
        Measure::FirstKnown | Measure::AllKnown => knew(at_level(o.level), fact.into_iter().collect()),
        Measure::UnitKnows => knew(o.unit.into_iter().collect(), fact.into_iter().collect()),
        Measure::MedianDelay | Measure::P90Delay => knew(at_level(o.level), fact.map_or_else(key_ids, |f| vec![f])),
        Measure::FirstConference => conferences
            .iter()
            .map(|&c| (model.conferences[c].convener, EventKind::ConferenceStarted, model.conferences[c].id.clone()))
            .collect(),
        Measure::FirstPicture => conferences
            .iter()
            .filter(|&&c| model.conferences[c].picture.is_some())
            .map(|&c| (model.conferences[c].convener, EventKind::PicturePublished, model.conferences[c].id.clone()))
            .collect(),
        Measure::UnitActivated => o.unit.map(|u| (u, EventKind::Activated, String::new())).into_iter().collect(),
        Measure::FirstPublicMessage | Measure::UncoordinatedPublicMessages => {
            let f = fact.or(first_key).unwrap_or_default();
            public.iter().map(|&u| (u, EventKind::PublicMessage, f.clone())).collect()
        }
        Measure::MeanRequestWait => incidents(model, &[EventKind::Requested, EventKind::Decided]),
        Measure::UnmetResourceMinutes | Measure::IdleWhileShortMinutes => {
            incidents(model, &[EventKind::Requested, EventKind::ResourcesArrived])
        }
    }
}

/// For each incident inject: the given events, `requested` and `resources_arrived` at the
/// responsible unit, `decided` at the unit that decides requests (the convener of the
/// first conference that decides them, else the first unit that does, else the
/// responsible unit).
fn incidents(model: &Model, events: &[EventKind]) -> Vec<(UnitIdx, EventKind, String)> {
    let decider = model
        .conferences
        .iter()
        .find(|c| c.decides_requests)
        .map(|c| c.convener)
        .or_else(|| (0..model.units.len() as UnitIdx).find(|&u| model.units[u as usize].decides_requests));
    let mut out = Vec::new();
    for inj in &model.injects {
        let Action::Incident { responsible, .. } = inj.action else { continue };
        let id = if inj.stream.is_some() { format!("{}#1", inj.id) } else { inj.id.clone() };
        for &e in events {
            let unit = if e == EventKind::Decided { decider.unwrap_or(responsible) } else { responsible };
            out.push((unit, e, id.clone()));
        }
    }
    out
}
