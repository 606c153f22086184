//! The engine: the clock and agenda, the schedule (which handler takes which phase of
//! events, which followers run after them and in what order: [`schedule`]), the guards
//! and the run's fingerprint ([`guards`]). Concept modules register their handlers and
//! followers with it ([`schedule::Registry`]).

pub mod agenda;
pub mod control;
pub mod drive;
pub mod guards;
pub mod peek;
pub mod schedule;
pub mod setup;
pub mod views;

use crate::sim::*;
use crate::time::SimTime;
use agenda::{Event, Phase};
use bevy_ecs::prelude::*;
use schedule::{FollowUp, Schedule};
use std::sync::Arc;

/// The run's clock and agenda, model and setup, messages, network, the work handed
/// between systems and knowledge: what nearly every system needs, in one resource
/// (each resource a system takes costs a lookup per system run: see docs/performance.md).
#[derive(Resource)]
pub struct Shared {
    pub kernel: Kernel,
    pub setup: Setup,
    pub book: MessageBook,
    pub net: Network,
    pub pending: Pending,
    pub knowledge: Knowledge,
}

/// The simulation kernel: the clock, the future event list and the run's counters.
#[derive(Default)]
pub struct Kernel {
    pub now: SimTime,
    pub end: SimTime,
    pub agenda: agenda::Agenda,
    pub tally: Tally,
}

/// Counters checked against the scenario's guards.
#[derive(Default)]
pub struct Tally {
    pub events: u64,
    pub messages_by_unit: Vec<u64>,
    pub messages_by_link: Vec<u64>,
    /// FNV-1a over every (time, phase, event) handled: the run's fingerprint.
    pub trace: u64,
}

/// Follow-up work handed from a handler to the followers within the same instant (a
/// typed queue per [`FollowUp`]; the engine runs a follower while its queue is not empty).
#[derive(Default)]
pub struct Pending {
    /// Activations and stand-downs ([`FollowUp::Activations`]).
    pub activate: Vec<(u32, Activation)>,
    /// Requests received and requests to decide ([`FollowUp::Requests`]).
    pub requests: Vec<RequestCmd>,
    /// (unit, direction message) processed ([`FollowUp::Directions`]).
    pub directions: Vec<(u32, u32)>,
    /// Facts a conference agreed on for joint public messages ([`FollowUp::PublicAgreements`]).
    pub agreed: Vec<u32>,
    /// Incident injects fired: (inject, repetition) ([`FollowUp::Incidents`]).
    pub incidents: Vec<(u32, u32)>,
}

/// A broken invariant of the simulator (a bug, reported as [`SimError::Internal`]): a
/// component missing from the entity of a unit or conference. Every unit and conference
/// entity is spawned with all its components, so systems never skip one silently.
/// Small (16 bytes), so that the systems' results cost nothing on the way back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{what} {index} lacks a component")]
pub struct Broken {
    /// What lacks it: "unit", "conference".
    pub what: &'static str,
    /// Its index in the model.
    pub index: u32,
}

impl From<Broken> for SimError {
    fn from(b: Broken) -> SimError {
        SimError::Internal(b.to_string())
    }
}

/// The error for a component missing from the entity of `what` `index`.
pub(crate) fn missing<E>(what: &'static str, index: u32) -> impl FnOnce(E) -> Broken {
    move |_| Broken { what, index }
}

/// One run in progress.
pub struct Engine {
    pub(crate) world: World,
    schedule: Schedule,
    batch: Vec<Event>,
    /// Groups of events handled so far (guards are checked every [`guards::GUARD_EVERY`]).
    steps: u64,
}

impl Engine {
    /// Builds the world of one run and registers every concept's handlers and followers.
    pub fn new(model: &Arc<Model>, seed: u64) -> Engine {
        Engine::recording(model, seed, Recording::Full)
    }

    /// [`Engine::new`] recording only what `recording` asks for (the run is the same).
    pub fn recording(model: &Arc<Model>, seed: u64, recording: Recording) -> Engine {
        let mut world = setup::build_world(model, seed, recording);
        let schedule = Schedule::build(&mut world);
        Engine { world, schedule, batch: Vec::new(), steps: 0 }
    }

    /// Runs to the end of the scenario (or until a guard trips): [`Engine::run_until`]
    /// the end, and the guards checked once more.
    pub fn run(&mut self) -> Result<(), SimError> {
        let end = self.world.resource::<Shared>().kernel.end;
        self.advance(end)?;
        let shared = self.world.resource_mut::<Shared>().into_inner();
        guards::check(shared)?;
        shared.kernel.now = shared.kernel.end;
        Ok(())
    }

    /// Handles every event before `until` (at most the end of the scenario), with the
    /// reactions they cause, and sets the clock to `until`: what is fed in next happens
    /// then. Running to T and then on gives the same run as running on at once.
    pub fn run_until(&mut self, until: SimTime) -> Result<(), SimError> {
        let until = until.min(self.world.resource::<Shared>().kernel.end);
        self.advance(until)?;
        let kernel = &mut self.world.resource_mut::<Shared>().into_inner().kernel;
        kernel.now = kernel.now.max(until);
        Ok(())
    }

    /// The engine's loop, up to (not including) the events at `until`. Each turn looks
    /// the shared resource up once: if a follower has work, the followers that have work
    /// run (in their fixed order); otherwise the next group of events is taken and its
    /// phase's handler runs.
    fn advance(&mut self, until: SimTime) -> Result<(), SimError> {
        loop {
            let shared = self.world.resource_mut::<Shared>().into_inner();
            let due = FollowUp::ALL.iter().fold(0, |m, f| m | (f.waiting(shared) as u32) << *f as u32);
            if due != 0 {
                self.schedule.run_followers(due, &mut self.world)?;
                continue;
            }
            if self.steps > 0 && self.steps.is_multiple_of(guards::GUARD_EVERY) {
                guards::check(shared)?;
            }
            let Some(phase) = next_group(&mut shared.kernel, &mut self.batch, until) else { return Ok(()) };
            self.schedule.run_handler(phase, &self.batch, &mut self.world)?;
            self.steps += 1;
        }
    }

    /// Ends the run and takes its records out of the world.
    pub fn finish(self) -> Result<RunRecord, SimError> {
        record::extract(self.world)
    }
}

/// Takes every event of the earliest (time, phase) before `until` into `batch`,
/// advances the clock and folds the events into the fingerprint.
fn next_group(kernel: &mut Kernel, batch: &mut Vec<Event>, until: SimTime) -> Option<Phase> {
    let (time, phase) = kernel.agenda.peek()?;
    if time >= until {
        return None;
    }
    kernel.now = time;
    batch.clear();
    kernel.agenda.take_group(time, phase, batch);
    guards::fingerprint(&mut kernel.tally, time, batch);
    Some(phase)
}
