//! Public information (model.md §4): units with a communication role publish about
//! severe facts; a message published after a conference agreed on the fact is
//! coordinated, one published before is uncoordinated.

use crate::sim::channels::Core;
use crate::sim::engine::agenda::Event;
use crate::sim::*;
use crate::time::SimTime;
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;
use rustc_hash::FxHashMap;

use crate::sim::engine::schedule::{FollowUp, Registry};

/// Registers the public handlers and followers with the engine.
pub(crate) fn register(r: &mut Registry) {
    r.handle(Phase::Publish, publish_public);
    r.follow(FollowUp::PublicAgreements, agree_public);
}

/// Public messages a unit is preparing or has published, by fact.
#[derive(Component, Default)]
pub struct PublicDesk {
    /// fact → (publish time, generation)
    pub pending: FxHashMap<u32, (SimTime, u32)>,
    pub done: FxHashMap<u32, ()>,
    pub epoch: u32,
}

// ---------------------------------------------------------------- public information

#[derive(Clone, Debug)]
pub struct PublicRow {
    pub fact: u32,
    pub unit: u32,
    pub time: SimTime,
    pub coordinated: bool,
}

#[derive(Resource, Default)]
pub struct PublicBook {
    pub published: Vec<PublicRow>,
    /// Units preparing a message about each fact, indexed by fact (empty beyond the end).
    pub preparing: Vec<Vec<u32>>,
}

/// Units start preparing public messages about severe facts they learned.
pub fn prepare_public_messages(
    core: &mut Core,
    learned: &[Learnt],
    facts: &FactBook,
    desks: &mut Query<(&mut PublicDesk, &mut UnitRng)>,
    book: &mut PublicBook,
) -> Result<(), Broken> {
    let now = core.now();
    let model = core.model();
    for l in learned {
        let Some(info) = &model.units[l.unit as usize].public_info else { continue };
        if facts.severity(l.fact) < info.threshold {
            continue;
        }
        let (mut desk, mut rng) =
            desks.get_mut(core.setup.unit_entities[l.unit as usize]).map_err(missing("unit", l.unit))?;
        if desk.done.contains_key(&l.fact) || desk.pending.contains_key(&l.fact) {
            continue;
        }
        let wait = if facts.facts[l.fact as usize].agreed.is_some() { 0 } else { info.wait_for_joint };
        let at = now + wait + info.prepare.sample(&mut rng.0);
        desk.epoch += 1;
        let epoch = desk.epoch;
        desk.pending.insert(l.fact, (at, epoch));
        if book.preparing.len() <= l.fact as usize {
            book.preparing.resize_with(l.fact as usize + 1, Vec::new);
        }
        book.preparing[l.fact as usize].push(l.unit);
        core.schedule(at, Event::Publish { unit: l.unit, fact: l.fact, epoch });
    }
    Ok(())
}

/// Facts a conference agreed on: units still preparing switch to the joint message.
pub fn agree_public(
    mut shared: ResMut<Shared>,
    mut desks: Query<(&mut PublicDesk, &mut UnitRng)>,
    book: Res<PublicBook>,
) -> Result<(), Broken> {
    let (mut core, learning) = shared.core_and_knowledge();
    let now = core.now();
    let model = core.model();
    for f in std::mem::take(&mut core.pending.agreed) {
        learning.facts.facts[f as usize].agreed.get_or_insert(now);
        for &unit in book.preparing.get(f as usize).map(|v| v.as_slice()).unwrap_or(&[]) {
            let Some(info) = &model.units[unit as usize].public_info else { continue };
            let (mut desk, mut rng) =
                desks.get_mut(core.setup.unit_entities[unit as usize]).map_err(missing("unit", unit))?;
            let Some(&(at, _)) = desk.pending.get(&f) else { continue };
            let joint = now + info.prepare.sample(&mut rng.0);
            if joint < at {
                desk.epoch += 1;
                let epoch = desk.epoch;
                desk.pending.insert(f, (joint, epoch));
                core.schedule(joint, Event::Publish { unit, fact: f, epoch });
            }
        }
    }
    Ok(())
}

/// Handles `Publish`: the public message goes out.
pub fn publish_public(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut desks: Query<&mut PublicDesk>,
    mut book: ResMut<PublicBook>,
) -> Result<(), Broken> {
    let (core, knowledge) = shared.core_and_knowledge();
    let facts = &knowledge.facts;
    let now = core.now();
    for e in events {
        let Event::Publish { unit, fact, epoch } = *e else { continue };
        let mut desk = desks.get_mut(core.setup.unit_entities[unit as usize]).map_err(missing("unit", unit))?;
        if desk.pending.get(&fact) != Some(&(now, epoch)) {
            continue;
        }
        desk.pending.remove(&fact);
        desk.done.insert(fact, ());
        // No longer preparing: later agreements about the fact need not look at it.
        if let Some(units) = book.preparing.get_mut(fact as usize) {
            units.retain(|&u| u != unit);
        }
        let coordinated = facts.facts[fact as usize].agreed.is_some_and(|a| a <= now);
        book.published.push(PublicRow { fact, unit, time: now, coordinated });
    }
    Ok(())
}
