//! The simulator: one bevy_ecs `World` per run, advanced event by event.
//!
//! Time jumps from one event to the next (idle time costs nothing). The engine takes
//! all events of the earliest (time, phase) from the [`agenda::Agenda`] and runs the
//! one system that handles that phase; then the follow-up systems that have work
//! (reactions to learning, activations, requests, direction, public messages) run
//! until none has. Systems run one at a time in a fixed order: runs are deterministic.
//!
//! ```no_run
//! # use std::sync::Arc;
//! let model = Arc::new(samverkan::scenario::load(std::path::Path::new("scenarios/stockholm-attack.toml"), None)?);
//! let record = samverkan::sim::run(&model, 2017)?;
//! println!("{} messages", record.messages.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod agenda;
pub mod chunked;
mod conference;
mod infra;
mod injects;
mod knowledge;
mod post;
mod public;
pub mod record;
mod resources;
pub mod rng;
mod setup;
pub mod state;
mod work;

pub use record::RunRecord;

use crate::model::Model;
use crate::time::{SimTime, fmt_minutes};
use agenda::{Event, PHASES, Phase};
use bevy_ecs::prelude::*;
use bevy_ecs::system::{BoxedSystem, InRef};
use state::*;
use std::sync::Arc;

/// Why a run stopped early.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SimError {
    #[error("run stopped by a guard at {at} min of simulated time: more than {limit} {what}; {culprit}")]
    Guard { what: &'static str, limit: u64, at: String, culprit: String },
    #[error("internal error in the simulator ({0}); please report it with the scenario")]
    Internal(String),
}

type Handler = Box<dyn System<In = InRef<'static, [Event]>, Out = ()>>;

/// Systems that run after a phase's handler when their input is waiting.
struct Follower {
    has_work: fn(&Shared) -> bool,
    systems: Vec<BoxedSystem>,
}

/// One run in progress.
pub struct Engine {
    world: World,
    handlers: Vec<Handler>,
    followers: Vec<Follower>,
    batch: Vec<Event>,
}

/// Runs a model with a seed to its end.
pub fn run(model: &Arc<Model>, seed: u64) -> Result<RunRecord, SimError> {
    let mut engine = Engine::new(model, seed);
    engine.run()?;
    Ok(engine.finish())
}

/// Runs a model with a seed; a run stopped by a guard hands back, with the guard's
/// error, what was recorded up to the stop (its `end` is the instant it stopped at).
pub fn run_or_stop(model: &Arc<Model>, seed: u64) -> Result<(RunRecord, Option<SimError>), SimError> {
    let mut engine = Engine::new(model, seed);
    match engine.run() {
        Ok(()) => Ok((engine.finish(), None)),
        Err(e @ SimError::Guard { .. }) => {
            let kernel = &mut engine.world.resource_mut::<Shared>().into_inner().kernel;
            kernel.end = kernel.now;
            Ok((engine.finish(), Some(e)))
        }
        Err(e) => Err(e),
    }
}

fn handler<M>(world: &mut World, s: impl IntoSystem<InRef<'static, [Event]>, (), M>) -> Handler {
    let mut s: Handler = Box::new(IntoSystem::into_system(s));
    s.initialize(world);
    s
}

fn follower(world: &mut World, has_work: fn(&Shared) -> bool, systems: Vec<BoxedSystem>) -> Follower {
    let mut systems = systems;
    for s in &mut systems {
        s.initialize(world);
    }
    Follower { has_work, systems }
}

fn boxed<M>(s: impl IntoSystem<(), (), M>) -> BoxedSystem {
    Box::new(IntoSystem::into_system(s))
}

impl Engine {
    pub fn new(model: &Arc<Model>, seed: u64) -> Engine {
        let mut world = setup::build_world(model, seed);
        let w = &mut world;
        let handlers: Vec<Handler> = Phase::ALL
            .iter()
            .map(|p| match p {
                Phase::Infra => handler(w, infra::infra_events),
                Phase::Inject => handler(w, injects::fire_injects),
                Phase::Send => handler(w, post::retry_messages),
                Phase::Deliver => handler(w, work::deliver_messages),
                Phase::Done => handler(w, work::finish_messages),
                Phase::Staff => handler(w, work::staff_events),
                Phase::Report => handler(w, knowledge::send_reports),
                Phase::ConfEnd => handler(w, conference::end_conferences),
                Phase::ConfStart => handler(w, conference::start_conferences),
                Phase::Picture => handler(w, conference::publish_pictures),
                Phase::Resource => handler(w, resources::resource_events),
                Phase::Publish => handler(w, public::publish_public),
            })
            .collect();
        debug_assert_eq!(handlers.len(), PHASES);
        let followers = vec![
            follower(w, |s| !s.pending.incidents.is_empty(), vec![boxed(resources::open_incidents)]),
            follower(w, |s| !s.knowledge.learned.is_empty(), vec![boxed(knowledge::react_to_learning)]),
            follower(w, |s| !s.pending.activate.is_empty(), vec![boxed(conference::apply_activations)]),
            follower(w, |s| !s.pending.requests.is_empty(), vec![boxed(resources::handle_requests)]),
            follower(w, |s| !s.pending.directions.is_empty(), vec![boxed(conference::handle_directions)]),
            follower(w, |s| !s.pending.agreed.is_empty(), vec![boxed(public::agree_public)]),
        ];
        Engine { world, handlers, followers, batch: Vec::new() }
    }

    /// Runs to the end of the scenario (or until a guard trips). Each turn looks the
    /// shared resource up once: if a follower has work, the followers that have work run
    /// (in their fixed order); otherwise the step is over, and the next group of events
    /// is taken and its phase's system runs.
    pub fn run(&mut self) -> Result<(), SimError> {
        let mut steps: u64 = 0;
        loop {
            let shared = self.world.resource_mut::<Shared>().into_inner();
            let due = self.followers.iter().enumerate().fold(0, |m, (i, f)| m | ((f.has_work)(shared) as u32) << i);
            if due != 0 {
                self.run_followers(due)?;
                continue;
            }
            if steps > 0 && steps.is_multiple_of(GUARD_EVERY) {
                check_guards(shared)?;
            }
            let Some(phase) = next_group(&mut shared.kernel, &mut self.batch) else { break };
            self.handlers[phase as usize]
                .run(&self.batch, &mut self.world)
                .map_err(|e| SimError::Internal(e.to_string()))?;
            steps += 1;
        }
        let shared = self.world.resource_mut::<Shared>().into_inner();
        check_guards(shared)?;
        shared.kernel.now = shared.kernel.end;
        Ok(())
    }

    /// Runs, in their fixed order, the followers of the `due` mask.
    fn run_followers(&mut self, due: u32) -> Result<(), SimError> {
        for (_, f) in self.followers.iter_mut().enumerate().filter(|(i, _)| due & (1 << i) != 0) {
            for s in &mut f.systems {
                s.run((), &mut self.world).map_err(|e| SimError::Internal(e.to_string()))?;
            }
        }
        Ok(())
    }

    /// Ends the run and takes its records out of the world.
    pub fn finish(self) -> RunRecord {
        record::extract(self.world)
    }
}

/// Takes every event of the earliest (time, phase) before the end into `batch`,
/// advances the clock and folds the events into the fingerprint.
fn next_group(kernel: &mut Kernel, batch: &mut Vec<Event>) -> Option<Phase> {
    let (time, phase) = kernel.agenda.peek()?;
    if time >= kernel.end {
        return None;
    }
    kernel.now = time;
    batch.clear();
    kernel.agenda.take_group(time, phase, batch);
    fingerprint(&mut kernel.tally, time, batch);
    Some(phase)
}

/// Whether the run has gone past one of the scenario's guards.
fn check_guards(shared: &Shared) -> Result<(), SimError> {
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
const GUARD_EVERY: u64 = 64;

/// Folds handled events into the run's fingerprint (FNV-1a over their fields).
fn fingerprint(tally: &mut Tally, time: SimTime, batch: &[Event]) {
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
