//! Reading what single units know of a running engine, and which conferences sit (a
//! live exercise's log and pages).

use crate::sim::*;
use crate::time::SimTime;

impl Engine {
    /// The number of facts so far (ids `0..facts()`).
    pub fn facts(&self) -> usize {
        self.world.resource::<Shared>().knowledge.facts.facts.len()
    }

    /// The fact with this id (an inject's occurrence, an incident or a player's fact), if
    /// there is one so far.
    pub fn fact_by_id(&self, id: &str) -> Option<FactId> {
        self.world.resource::<Shared>().knowledge.facts.by_id.get(id).map(|&f| FactId::new(f))
    }
}

impl Engine {
    /// The facts `unit` knows now, in fact order.
    pub fn known_by(&self, unit: UnitId) -> Vec<FactId> {
        let shared = self.world.resource::<Shared>();
        let Some(k) = shared.knowledge.known.get(unit.index()) else { return Vec::new() };
        k.words()
            .enumerate()
            .flat_map(|(w, bits)| {
                (0..64).filter(move |b| bits & (1 << b) != 0).map(move |b| FactId::new((w * 64 + b) as u32))
            })
            .collect()
    }

    /// The conferences in session now, in model order.
    pub fn conferences_in_session(&self) -> Vec<ConferenceId> {
        let shared = self.world.resource::<Shared>();
        let entities = &shared.setup.conference_entities;
        (0..entities.len())
            .filter(|&c| self.world.get::<ConfState>(entities[c]).is_some_and(|s| s.session.is_some()))
            .map(|c| ConferenceId::new(c as u32))
            .collect()
    }
}

impl Engine {
    /// When `unit` came to know `fact`, if it knows it.
    pub fn known_since(&self, unit: UnitId, fact: FactId) -> Option<SimTime> {
        let shared = self.world.resource::<Shared>();
        let k = &shared.knowledge;
        let t = k.trail_of(unit.get(), fact.get())?;
        let trail = *k.log.trails.get(t as usize)?;
        Some(crate::sim::knowledge::trail::trail_time(trail, &k.log.meetings, &shared.book.messages, &k.facts.facts))
    }
}

impl Engine {
    /// The joint situational pictures published so far: (conference, when), in order.
    pub fn pictures_published(&self) -> Vec<(ConferenceId, SimTime)> {
        let log = self.world.resource::<ConferenceLog>();
        log.pictures.iter().map(|&(c, t, _)| (ConferenceId::new(c), t)).collect()
    }

    /// The facts of the last joint picture conference `conf` sent out, if any.
    pub fn last_picture(&self, conf: ConferenceId) -> Option<Vec<FactId>> {
        let book = &self.world.resource::<Shared>().book.messages;
        (0..book.len()).rev().map(|i| &book[i]).find_map(|m| match m.payload {
            Payload::Picture(c) if c == conf.get() => Some(m.facts.iter().map(|c| FactId::new(c.fact)).collect()),
            _ => None,
        })
    }
}

impl Engine {
    /// The incidents open so far (their names: an inject's occurrence id), in opening order.
    pub fn open_incidents(&self) -> Vec<String> {
        self.world.resource::<ResourceBook>().incidents.iter().map(|i| i.name.clone()).collect()
    }
}

impl Engine {
    /// Sessions of each conference (index = conference) so far: (started, ended).
    pub fn sessions(&self) -> Vec<(u32, u32)> {
        let n = self.world.resource::<Shared>().setup.model.conferences.len();
        let mut out = vec![(0, 0); n];
        for row in &self.world.resource::<ConferenceLog>().held {
            out[row.conference as usize].1 += 1;
        }
        for c in self.conferences_in_session() {
            out[c.index()].0 += 1;
        }
        for o in &mut out {
            o.0 += o.1;
        }
        out
    }
}
