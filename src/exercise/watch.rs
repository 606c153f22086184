//! What the log records of the simulated side as it runs: messages reaching a played
//! unit (`received`), played units coming to know facts (`knew`), conferences starting
//! and ending. Each is logged once, at the time it happened.

use super::ExerciseError;
use super::apply::Played;
use super::log::{ENGINE, LogWriter, Observed, Row, scenario_fact};
use crate::model::Model;
use crate::sim::{Engine, FactId, MessageId, UnitId};
use std::collections::HashSet;

/// What has been logged already.
pub struct Watch {
    /// Per played unit (in [`Played::units`] order): messages seen in its inbox, facts known.
    inbox: Vec<HashSet<u32>>,
    /// By fact id: a resumed exercise knows the ids of facts its engine has not made yet.
    known: Vec<HashSet<String>>,
    /// The same by index, to skip known facts without reading their ids.
    known_ids: Vec<HashSet<FactId>>,
    /// Sessions logged of each conference: (started, ended). Counted, not listed, so that
    /// rows out of time order in a resumed log cannot make a session start twice.
    sessions: Vec<(u32, u32)>,
    /// Pictures published so far.
    pictures: usize,
}

impl Watch {
    /// Nothing seen yet.
    pub fn new(played: &Played) -> Watch {
        let n = played.units().len();
        Watch {
            inbox: vec![HashSet::new(); n],
            known: vec![HashSet::new(); n],
            known_ids: vec![HashSet::new(); n],
            sessions: Vec::new(),
            pictures: 0,
        }
    }

    /// What the rows of a log say was logged (a resumed exercise): messages received
    /// (the note names them), facts known, conferences in session.
    pub fn from_log(model: &Model, played: &Played, rows: &[Observed]) -> Watch {
        let mut w = Watch::new(played);
        let slot = |unit: &str| played.units().iter().position(|u| model.units[u.index()].id == unit);
        for r in rows {
            match (r.event.as_str(), slot(&r.unit)) {
                ("received", Some(i)) => w.inbox[i].extend(message_of(&r.note)),
                ("knew", Some(i)) => drop(w.known[i].insert(r.fact.clone())),
                ("picture_published", _) => w.pictures += 1,
                ("conference_started" | "conference_ended", _) => {
                    let Some(c) = model.conferences.iter().position(|c| c.id == r.fact) else { continue };
                    w.sessions.resize(model.conferences.len(), (0, 0));
                    if r.event == "conference_started" {
                        w.sessions[c].0 += 1;
                    } else {
                        w.sessions[c].1 += 1;
                    }
                }
                _ => {}
            }
        }
        w
    }

    /// Logs what happened since the last call; returns the rows written.
    pub fn observe(
        &mut self,
        engine: &Engine,
        model: &Model,
        played: &Played,
        log: &mut LogWriter,
    ) -> Result<usize, ExerciseError> {
        let mut rows = 0;
        for (i, &u) in played.units().iter().enumerate() {
            let unit = &model.units[u.index()].id;
            for m in engine.inbox(u)? {
                if self.inbox[i].insert(m.get()) {
                    rows += received(engine, model, unit, m, log)?;
                }
            }
            for f in engine.known_by(u) {
                if !self.known_ids[i].insert(f) {
                    continue;
                }
                let id = engine.fact_text(f).map(|i| i.id).unwrap_or_default();
                if !self.known[i].contains(&id) {
                    rows += knew(engine, model, u, f, log)?;
                    self.known[i].insert(id);
                }
            }
        }
        let sessions = engine.sessions();
        self.sessions.resize(sessions.len(), (0, 0));
        for (c, (&(started, ended), logged)) in sessions.iter().zip(self.sessions.iter_mut()).enumerate() {
            let conf = &model.conferences[c];
            let convener = &model.units[conf.convener as usize].id;
            for (event, n) in [
                ("conference_started", started.saturating_sub(logged.0)),
                ("conference_ended", ended.saturating_sub(logged.1)),
            ] {
                for _ in 0..n {
                    let row = Row {
                        at: engine.now(),
                        unit: convener,
                        event,
                        fact: &conf.id,
                        observer: ENGINE,
                        ..Row::default()
                    };
                    log.row(&row)?;
                    rows += 1;
                }
            }
            *logged = (logged.0.max(started), logged.1.max(ended));
        }
        for (c, at) in engine.pictures_published().into_iter().skip(self.pictures) {
            let conf = &model.conferences[c.index()];
            let convener = &model.units[conf.convener as usize].id;
            let event = "picture_published";
            log.row(&Row { at, unit: convener, event, fact: &conf.id, observer: ENGINE, ..Row::default() })?;
            self.pictures += 1;
            rows += 1;
        }
        Ok(rows)
    }
}

/// How a `received` row's note names the message.
const MESSAGE: &str = "message ";

/// The message a `received` row's note names.
fn message_of(note: &str) -> Option<u32> {
    note.strip_prefix(MESSAGE)?.split(' ').next()?.parse().ok()
}

fn received(
    engine: &Engine,
    model: &Model,
    unit: &str,
    m: MessageId,
    log: &mut LogWriter,
) -> Result<usize, ExerciseError> {
    let Some(info) = engine.message(m) else { return Ok(0) };
    let from = info.from.map_or("", |f| model.units[f.index()].id.as_str());
    let channel = info.channel.and_then(|c| model.channels.get(c.index())).map_or("", |c| c.id.as_str());
    let note = format!("{MESSAGE}{} ({}, {channel})", m.get(), info.kind.name());
    let at = info.delivered.unwrap_or(engine.now());
    let mut rows = 0;
    for f in &info.facts {
        let fact = engine.fact_text(*f).map(|i| i.id).unwrap_or_default();
        if !scenario_fact(model, &fact) {
            continue;
        }
        rows += 1;
        log.row(&Row {
            at,
            unit,
            event: "received",
            fact: &fact,
            from,
            observer: ENGINE,
            note: &note,
            ..Row::default()
        })?;
    }
    Ok(rows)
}

fn knew(engine: &Engine, model: &Model, u: UnitId, f: FactId, log: &mut LogWriter) -> Result<usize, ExerciseError> {
    let fact = engine.fact_text(f).map(|i| i.id).unwrap_or_default();
    if !scenario_fact(model, &fact) {
        return Ok(0);
    }
    let unit = &model.units[u.index()].id;
    let at = engine.known_since(u, f).unwrap_or(engine.now());
    log.row(&Row { at, unit, event: "knew", fact: &fact, observer: ENGINE, ..Row::default() })?;
    Ok(1)
}
