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

use crate::model::{Model, fnv1a};
use crate::time::{SimTime, fmt_minutes};
use agenda::{Agenda, Event, PHASES, Phase};
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
    has_work: fn(&World) -> bool,
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

fn handler<M>(world: &mut World, s: impl IntoSystem<InRef<'static, [Event]>, (), M>) -> Handler {
    let mut s: Handler = Box::new(IntoSystem::into_system(s));
    s.initialize(world);
    s
}

fn follower(world: &mut World, has_work: fn(&World) -> bool, systems: Vec<BoxedSystem>) -> Follower {
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
            follower(w, |w| !w.resource::<Pending>().incidents.is_empty(), vec![boxed(resources::open_incidents)]),
            follower(
                w,
                |w| !w.resource::<Learned>().0.is_empty(),
                vec![
                    boxed(knowledge::forward_learned),
                    boxed(knowledge::activate_on_learning),
                    boxed(public::prepare_public_messages),
                    boxed(knowledge::clear_learned),
                ],
            ),
            follower(w, |w| !w.resource::<Pending>().activate.is_empty(), vec![boxed(conference::apply_activations)]),
            follower(w, |w| !w.resource::<Pending>().requests.is_empty(), vec![boxed(resources::handle_requests)]),
            follower(w, |w| !w.resource::<Pending>().directions.is_empty(), vec![boxed(conference::handle_directions)]),
            follower(w, |w| !w.resource::<Pending>().agreed.is_empty(), vec![boxed(public::agree_public)]),
        ];
        Engine { world, handlers, followers, batch: Vec::new() }
    }

    /// Runs to the end of the scenario (or until a guard trips).
    pub fn run(&mut self) -> Result<(), SimError> {
        self.run_followers()?;
        let end = self.world.resource::<Clock>().end;
        while let Some((time, phase)) = self.world.resource::<Agenda>().peek() {
            if time >= end {
                break;
            }
            self.step(time, phase)?;
        }
        self.world.resource_mut::<Clock>().now = end;
        Ok(())
    }

    /// Handles every event of one (time, phase).
    fn step(&mut self, time: SimTime, phase: Phase) -> Result<(), SimError> {
        self.world.resource_mut::<Clock>().now = time;
        let mut batch = std::mem::take(&mut self.batch);
        batch.clear();
        self.world.resource_mut::<Agenda>().take_group(time, phase, &mut batch);
        self.fingerprint(time, &batch);
        self.handlers[phase as usize].run(&batch, &mut self.world).map_err(|e| SimError::Internal(e.to_string()))?;
        self.batch = batch;
        self.run_followers()?;
        self.check_guards(time)
    }

    fn run_followers(&mut self) -> Result<(), SimError> {
        loop {
            let mut ran = false;
            for f in &mut self.followers {
                if (f.has_work)(&self.world) {
                    for s in &mut f.systems {
                        s.run((), &mut self.world).map_err(|e| SimError::Internal(e.to_string()))?;
                    }
                    ran = true;
                }
            }
            if !ran {
                return Ok(());
            }
        }
    }

    fn fingerprint(&mut self, time: SimTime, batch: &[Event]) {
        let mut tally = self.world.resource_mut::<Tally>();
        tally.events += batch.len() as u64;
        let mut bytes = Vec::with_capacity(8 + batch.len() * 24);
        bytes.extend_from_slice(&time.to_le_bytes());
        for e in batch {
            bytes.extend_from_slice(format!("{e:?}").as_bytes());
        }
        tally.trace ^= fnv1a(&bytes);
        tally.trace = tally.trace.rotate_left(5).wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn check_guards(&self, time: SimTime) -> Result<(), SimError> {
        let model = &self.world.resource::<Setup>().model;
        let tally = self.world.resource::<Tally>();
        let messages = self.world.resource::<MessageBook>().messages.len() as u64;
        let book = self.world.resource::<FactBook>();
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
        Ok(())
    }

    /// Ends the run and takes its records out of the world.
    pub fn finish(self) -> RunRecord {
        record::extract(self.world)
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
