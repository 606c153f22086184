//! The simulator: one bevy_ecs `World` per run, advanced event by event.
//!
//! Time jumps from one event to the next (idle time costs nothing). The [`engine`] takes
//! all events of the earliest (time, phase) from the agenda and runs the one handler
//! registered for that phase; then the followers that have work (reactions to learning,
//! activations, requests, direction, public messages) run until none has. Systems run
//! one at a time in a fixed order (the schedule, in [`engine::schedule`]): runs are
//! deterministic.
//!
//! Each concept of the model (model.md) has a module owning its state, its handlers and
//! its tests, registered with the engine through one `register` function:
//!
//! | module | concept |
//! |---|---|
//! | [`units`] | staffing, the desk (queue and handlers), duty officers, activation |
//! | [`channels`] | messages on channels: sending, loss and re-send, stalled messages |
//! | [`infrastructure`] | power, mobile, internet, fixed telephony, Rakel per area; channels down |
//! | [`knowledge`] | facts, who knows what, trails and the delay decomposition |
//! | [`conferences`] | sessions, the joint picture, direction |
//! | [`lending`] | pools, incidents, requests, mutual-aid agreements |
//! | [`injects`] | the exercise's injects |
//! | [`public`] | public information |
//! | [`record`] | what a run leaves behind ([`RunRecord`]) |
//!
//! ```no_run
//! # use std::sync::Arc;
//! let model = Arc::new(samverkan::scenario::load(std::path::Path::new("scenarios/stockholm-attack.toml"), None)?);
//! let record = samverkan::sim::run(&model, 2017)?;
//! println!("{} messages", record.messages.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Driving the engine from outside
//!
//! [`run`] is the [`Engine`] driven to the end. A live exercise steps it instead: run
//! until a simulated time, feed in what happened on the floor at the current time, hand
//! units over to the people playing them, and read what is observable.
//!
//! ```
//! use samverkan::vocabulary::MessageKind;
//! use samverkan::sim::{Engine, ExternalMessage, UnitId};
//! use samverkan::time::MINUTE;
//! # use std::sync::Arc;
//! let model = Arc::new(samverkan::scenario::load(std::path::Path::new("scenarios/stockholm-attack.toml"), None)?);
//! let mut engine = Engine::new(&model, 2017);
//! let played = UnitId::new(model.unit_index("sos.larmcentral").expect("a unit of the scenario"));
//! engine.hand_over(played)?; // a person plays this unit: the engine draws no processing times for it
//! engine.run_until(30 * MINUTE)?;
//! // Exercise control sends a message now; the receiver handles it as the model says.
//! let to = UnitId::new((played.get() + 1) % model.units.len() as u32);
//! let new_fact = Some(("floor-1".to_string(), "smoke seen at the station".to_string()));
//! engine.send(ExternalMessage { from: None, to, kind: MessageKind::Information, severity: 3, new_fact, facts: vec![], channel: None })?;
//! engine.run_until(60 * MINUTE)?;
//! // The person has handled the first message waiting for them: the unit knows its facts now.
//! if let Some(&msg) = engine.inbox(played)?.first() {
//!     engine.handled(played, msg)?;
//! }
//! let snapshot = engine.snapshot()?;
//! println!("{} conferences in session at {} ms", snapshot.in_session.len(), snapshot.now);
//! for o in &snapshot.objectives {
//!     println!("{}: {:?} so far (met: {})", o.id, o.value, o.met);
//! }
//! engine.run_until(engine.end())?;
//! let record = engine.finish()?;
//! assert!(record.facts.iter().any(|f| f.id == "floor-1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod channels;
pub mod chunked;
pub mod conferences;
pub mod engine;
pub mod ids;
pub mod infrastructure;
pub mod injects;
pub mod knowledge;
pub mod lending;
pub mod public;
pub mod record;
pub mod rng;
pub mod units;

pub use channels::{MessageBook, MessageRec, Payload, Route};
pub use conferences::{ConfState, ConferenceLog, ConferenceRow, Session};
pub use engine::Broken;
pub use engine::agenda::{self, Event, Phase};
pub use engine::control::Upcoming;
pub use engine::drive::{ExternalMessage, QueueState, Snapshot};
pub(crate) use engine::missing;

pub use engine::setup::Setup;
pub use engine::views::{FactText, MessageView, RequestState, RequestView};
pub use engine::{Engine, Kernel, Pending, Shared, Tally};
pub use ids::{ChannelId, ConferenceId, FactId, InjectId, LinkId, MessageId, RequestId, UnitId};
pub use infrastructure::{InfraRow, Network, SysState};
pub use injects::InjectRuntime;
pub use knowledge::known::Known;
pub use knowledge::trail::{Carried, Carrying, DelayParts, Meeting, Part, Step, StepKind, Trail};
pub use knowledge::{
    Fact, FactBook, FactTally, Knowledge, KnowledgeLog, KnownRecord, Learning, Learnt, Outbox, SessionTrail,
};
pub use lending::{
    Assignment, DemandState, IncidentState, PoolState, RequestCmd, RequestRec, ResourceBook, ResourceRow,
};
pub use public::{PublicBook, PublicDesk, PublicRow};
pub use record::{Recording, RunRecord};
pub use units::activation::Activation;
pub use units::{Desk, Duty, Mode, Queued, Staffing, UnitNo, UnitRng};

use crate::model::Model;
use std::sync::Arc;

/// No unit, message, trail… (exercise control as a sender; no trail before an origin).
pub const NONE: u32 = u32::MAX;

/// Why a run stopped early.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SimError {
    #[error("run stopped by a guard at {at} min of simulated time: more than {limit} {what}; {culprit}")]
    Guard { what: &'static str, limit: u64, at: String, culprit: String },
    #[error("internal error in the simulator ({0}); please report it with the scenario")]
    Internal(String),
    /// Something fed in from outside ([`Engine`]'s driving API) that cannot be done: an
    /// unknown unit, a message not waiting, a fact id taken, …
    #[error("refused: {0}")]
    Refused(String),
}

/// Runs a model with a seed to its end, recording everything ([`Recording::Full`]).
pub fn run(model: &Arc<Model>, seed: u64) -> Result<RunRecord, SimError> {
    run_recording(model, seed, Recording::Full)
}

/// Runs a model with a seed to its end, recording what `recording` asks for: a batch
/// that keeps no run files needs only [`Recording::Summary`].
pub fn run_recording(model: &Arc<Model>, seed: u64, recording: Recording) -> Result<RunRecord, SimError> {
    let mut engine = Engine::recording(model, seed, recording);
    engine.run()?;
    engine.finish()
}

/// Runs a model with a seed; a run stopped by a guard hands back, with the guard's
/// error, what was recorded up to the stop (its `end` is the instant it stopped at).
pub fn run_or_stop(model: &Arc<Model>, seed: u64) -> Result<(RunRecord, Option<SimError>), SimError> {
    let mut engine = Engine::new(model, seed);
    match engine.run() {
        Ok(()) => Ok((engine.finish()?, None)),
        Err(e @ SimError::Guard { .. }) => {
            let kernel = &mut engine.world.resource_mut::<Shared>().into_inner().kernel;
            kernel.end = kernel.now;
            Ok((engine.finish()?, Some(e)))
        }
        Err(e) => Err(e),
    }
}
