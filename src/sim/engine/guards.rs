//! The scenario's guards against runaway runs, and the run's fingerprint.

use crate::model::Model;
use crate::sim::*;
use crate::time::{SimTime, fmt_minutes};

/// Whether the run has gone past one of the scenario's guards.
pub fn check(shared: &Shared) -> Result<(), SimError> {
    let (model, kernel) = (&shared.setup.model, &shared.kernel);
    let (tally, time) = (&kernel.tally, kernel.now);
    let messages = shared.book.messages.len() as u64;
    let knowledge = &shared.knowledge;
    let book = &knowledge.facts;
    let facts = book.facts.len() as u64;
    let trip = |what: &'static str, limit: u64| {
        Err(SimError::Guard { what, limit, at: fmt_minutes(time), culprit: culprit(model, tally, book) })
    };
    if tally.events > model.guard.max_events {
        return trip("events (guard.max_events)", model.guard.max_events);
    }
    if messages > model.guard.max_messages {
        return trip("messages (guard.max_messages)", model.guard.max_messages);
    }
    if facts > model.guard.max_facts {
        return trip("facts (guard.max_facts)", model.guard.max_facts);
    }
    if knowledge.log.over_limit {
        return trip("units coming to know facts (guard.max_known)", model.guard.max_known);
    }
    Ok(())
}

/// Guards are checked every this many steps (and at the end): a runaway run overshoots
/// a limit by at most that many steps' work.
pub const GUARD_EVERY: u64 = 64;

/// Folds handled events into the run's fingerprint (FNV-1a over their fields).
pub fn fingerprint(tally: &mut Tally, time: SimTime, batch: &[Event]) {
    use std::hash::{Hash, Hasher};
    let units: u64 = batch.iter().map(Event::units).sum();
    tally.events += units;
    let mut h = Fnv(tally.trace);
    time.hash(&mut h);
    // As `batch.hash` would with every counted event written out: the length first.
    h.write_usize(units as usize);
    for e in batch {
        e.trace(&mut h);
    }
    tally.trace = h.0;
}

/// FNV-1a as a `Hasher` (stable, unlike the standard library's default hasher).
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Names the inject that made the most facts, and the unit and link that sent the most messages.
fn culprit(model: &Model, tally: &Tally, facts: &FactBook) -> String {
    let top = |v: &[u64]| v.iter().enumerate().max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i))).map(|(i, n)| (i, *n));
    let mut out = String::new();
    let index: rustc_hash::FxHashMap<&str, usize> =
        model.injects.iter().enumerate().map(|(i, inj)| (inj.id.as_str(), i)).collect();
    let mut by_inject: Vec<u64> = vec![0; model.injects.len()];
    for f in &facts.facts {
        let base = f.id.split_once('#').map_or(f.id.as_str(), |(b, _)| b);
        if let Some(&i) = index.get(base) {
            by_inject[i] += 1;
        }
    }
    if let Some((i, n)) = top(&by_inject).filter(|(_, n)| *n > 1) {
        out.push_str(&format!("inject `{}` made the most facts ({n}); ", model.injects[i].id));
    }
    if let Some((u, n)) = top(&tally.messages_by_unit).filter(|(_, n)| *n > 0) {
        out.push_str(&format!("unit `{}` sent the most messages ({n})", model.units[u].id));
    }
    if let Some((l, n)) = top(&tally.messages_by_link).filter(|(_, n)| *n > 0) {
        let link = &model.links[l];
        out.push_str(&format!(
            "; busiest link {} → {} ({}, {n} messages)",
            model.units[link.from as usize].id,
            model.units[link.to as usize].id,
            link.flow.name()
        ));
    }
    if out.is_empty() {
        out.push_str("no messages were sent: look at streams and injects");
    }
    out
}
