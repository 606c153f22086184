//! Reading single messages and facts of a running engine: what a person needs to read a
//! message in an inbox (a live exercise).

use crate::sim::*;
use crate::time::SimTime;
use crate::vocabulary::MessageKind;

/// A message as the outside reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageInfo {
    /// The sender; `None` for exercise control (an inject or the outside).
    pub from: Option<UnitId>,
    pub to: UnitId,
    pub kind: MessageKind,
    /// The channel it went on (index into the model's channels).
    pub channel: u32,
    pub facts: Vec<FactId>,
    pub sent: SimTime,
    pub delivered: Option<SimTime>,
    pub done: Option<SimTime>,
}

/// A fact as the outside reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct FactInfo {
    pub id: String,
    pub text: String,
    pub severity: u8,
    /// The levels meant to know it (bit `1 << level as u8`).
    pub levels: u8,
    pub origin: SimTime,
}

impl Engine {
    /// Message `msg`, if it exists.
    pub fn message_info(&self, msg: MessageId) -> Option<MessageInfo> {
        let shared = self.world.resource::<Shared>();
        let m = shared.book.messages.get(msg.index())?;
        Some(MessageInfo {
            from: (m.from != NONE).then(|| UnitId::new(m.from)),
            to: UnitId::new(m.to),
            kind: m.kind,
            channel: m.channel,
            facts: m.facts.iter().map(|c| FactId::new(c.fact)).collect(),
            sent: m.sent,
            delivered: m.delivered,
            done: m.done,
        })
    }

    /// Fact `fact`, if it exists.
    pub fn fact_info(&self, fact: FactId) -> Option<FactInfo> {
        let f = self.world.resource::<Shared>().knowledge.facts.facts.get(fact.index())?;
        Some(FactInfo {
            id: f.id.clone(),
            text: f.text.clone(),
            severity: f.severity,
            levels: f.levels,
            origin: f.origin_time,
        })
    }

    /// The number of facts so far (ids `0..facts()`).
    pub fn facts(&self) -> usize {
        self.world.resource::<Shared>().knowledge.facts.facts.len()
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
