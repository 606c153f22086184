//! The schedule, in one place: which handler takes each phase of events, and which
//! followers run after a handler, in what order.
//!
//! Events of one instant are handled phase by phase, in the order of [`Phase`]
//! (infrastructure, injects, re-sends, deliveries, messages handled, staffing, periodic
//! reports, conference ends, conference starts, pictures, resources, public messages).
//! After each phase's handler, the followers whose queue in [`Pending`] (or the
//! knowledge's list of what was learned) is not empty run in the order of [`FollowUp`],
//! again and again until none has work; then the next group of events is taken.
//!
//! | phase | handler |
//! |---|---|
//! | `Infra` | [`infrastructure::infra_events`] |
//! | `Inject` | [`injects::fire_injects`] |
//! | `Send` | [`channels::retry_messages`] |
//! | `Deliver` | [`units::deliver_messages`] |
//! | `Done` | [`units::finish_messages`] |
//! | `Staff` | [`units::staff_events`] |
//! | `Report` | [`knowledge::send_reports`] |
//! | `ConfEnd` | [`conferences::end_conferences`] |
//! | `ConfStart` | [`conferences::start_conferences`] |
//! | `Picture` | [`conferences::picture::publish_pictures`] |
//! | `Resource` | [`lending::incidents::resource_events`] |
//! | `Publish` | [`public::publish_public`] |
//!
//! | follower (in order) | system |
//! |---|---|
//! | `Incidents` | [`lending::incidents::open_incidents`] |
//! | `Learning` | [`knowledge::react_to_learning`] |
//! | `Activations` | [`units::activation::apply_activations`] |
//! | `Requests` | [`lending::requests::handle_requests`] |
//! | `Directions` | [`conferences::direction::handle_directions`] |
//! | `PublicAgreements` | [`public::agree_public`] |
//!
//! Each concept module registers its own systems through its `register(&mut Registry)`;
//! [`Schedule::build`] calls them all and checks that every phase and follow-up has
//! exactly one system.

use crate::sim::agenda::Event;
use crate::sim::*;
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;

/// A handler of one phase's events.
type Handler = Box<dyn System<In = InRef<'static, [Event]>, Out = Result<(), Broken>>>;

/// A follower.
type Follower = Box<dyn System<In = (), Out = Result<(), Broken>>>;

/// Follow-up work, in the order the followers run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum FollowUp {
    /// Incidents opened by injects.
    Incidents = 0,
    /// Reactions to what units learned: passing facts on, activation by severity, public messages prepared.
    Learning,
    /// Activations and stand-downs.
    Activations,
    /// Requests received, requests to decide.
    Requests,
    /// Direction processed by units.
    Directions,
    /// Joint public messages agreed at conferences.
    PublicAgreements,
}

impl FollowUp {
    pub const ALL: [FollowUp; 6] = [
        FollowUp::Incidents,
        FollowUp::Learning,
        FollowUp::Activations,
        FollowUp::Requests,
        FollowUp::Directions,
        FollowUp::PublicAgreements,
    ];

    /// Whether work is waiting for this follower.
    #[inline]
    pub fn waiting(self, s: &Shared) -> bool {
        match self {
            FollowUp::Incidents => !s.pending.incidents.is_empty(),
            FollowUp::Learning => !s.knowledge.learned.is_empty(),
            FollowUp::Activations => !s.pending.activate.is_empty(),
            FollowUp::Requests => !s.pending.requests.is_empty(),
            FollowUp::Directions => !s.pending.directions.is_empty(),
            FollowUp::PublicAgreements => !s.pending.agreed.is_empty(),
        }
    }
}

/// What concept modules register their systems with.
pub struct Registry<'w> {
    world: &'w mut World,
    handlers: Vec<Option<Handler>>,
    followers: Vec<Option<Follower>>,
}

impl Registry<'_> {
    /// `system` handles the events of `phase`.
    pub fn handle<M>(&mut self, phase: Phase, system: impl IntoSystem<InRef<'static, [Event]>, Result<(), Broken>, M>) {
        let mut s: Handler = Box::new(IntoSystem::into_system(system));
        s.initialize(self.world);
        let slot = &mut self.handlers[phase as usize];
        assert!(slot.is_none(), "two handlers registered for {phase:?}");
        *slot = Some(s);
    }

    /// `system` runs when work of `follow_up` is waiting.
    pub fn follow<M>(&mut self, follow_up: FollowUp, system: impl IntoSystem<(), Result<(), Broken>, M>) {
        let mut s: Follower = Box::new(IntoSystem::into_system(system));
        s.initialize(self.world);
        let slot = &mut self.followers[follow_up as usize];
        assert!(slot.is_none(), "two followers registered for {follow_up:?}");
        *slot = Some(s);
    }
}

/// The handlers (index = phase) and followers (index = follow-up) of a run.
pub struct Schedule {
    handlers: Vec<Handler>,
    followers: Vec<Follower>,
}

impl Schedule {
    /// Registers every concept's systems.
    pub fn build(world: &mut World) -> Schedule {
        let mut r = Registry {
            world,
            handlers: (0..Phase::ALL.len()).map(|_| None).collect(),
            followers: (0..FollowUp::ALL.len()).map(|_| None).collect(),
        };
        infrastructure::register(&mut r);
        injects::register(&mut r);
        channels::register(&mut r);
        units::register(&mut r);
        knowledge::register(&mut r);
        conferences::register(&mut r);
        lending::register(&mut r);
        public::register(&mut r);
        let handlers = r.handlers.into_iter().zip(Phase::ALL);
        let followers = r.followers.into_iter().zip(FollowUp::ALL);
        Schedule {
            handlers: handlers.map(|(h, p)| h.unwrap_or_else(|| panic!("no handler for {p:?}"))).collect(),
            followers: followers.map(|(s, f)| s.unwrap_or_else(|| panic!("no follower for {f:?}"))).collect(),
        }
    }

    /// Runs the handler of `phase` on `batch`.
    pub fn run_handler(&mut self, phase: Phase, batch: &[Event], world: &mut World) -> Result<(), SimError> {
        Ok(self.handlers[phase as usize].run(batch, world).map_err(|e| SimError::Internal(e.to_string()))??)
    }

    /// Runs, in their fixed order, the followers of the `due` mask (bit = follow-up).
    pub fn run_followers(&mut self, due: u32, world: &mut World) -> Result<(), SimError> {
        for (_, s) in self.followers.iter_mut().enumerate().filter(|(i, _)| due & (1 << i) != 0) {
            s.run((), world).map_err(|e| SimError::Internal(e.to_string()))??;
        }
        Ok(())
    }
}
