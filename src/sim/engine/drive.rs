//! Driving the engine from outside (a live exercise): run until a simulated time, feed
//! events at the current time, hand units over to people, and read what is observable.
//!
//! [`crate::sim::run`] is this API driven to the end: `Engine::new`, `run_until(end)`,
//! `finish`. Stepping changes nothing by itself: running to T and then to the end gives
//! the same record as one run. What the outside feeds in happens at the current time
//! ([`Engine::now`]), in the phase order of that instant, when the engine runs on.

use crate::scenario::spec::MessageKind;
use crate::sim::agenda::Event;
use crate::sim::channels::Outgoing;
use crate::sim::*;
use crate::time::SimTime;
use bevy_ecs::prelude::*;

/// A message fed in from outside (exercise control, or a unit played by a person).
#[derive(Clone, Debug)]
pub struct ExternalMessage {
    /// The sender: `None` for exercise control, or a unit (played by a person).
    pub from: Option<u32>,
    pub to: u32,
    pub kind: MessageKind,
    pub severity: u8,
    /// A new fact the message carries (id, text), created at the current time with its
    /// origin at the sender; `None`: the message carries only `facts`.
    pub new_fact: Option<(String, String)>,
    /// Facts it carries besides (by index): a unit passes them on as it knows them;
    /// exercise control hands them over.
    pub facts: Vec<u32>,
}

/// What is observable at an instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub now: SimTime,
    /// For each unit (index = unit), the facts it knows, in fact order.
    pub known: Vec<Vec<u32>>,
    /// For each fact (index = fact): how many units of each level know it.
    pub known_per_level: Vec<[u32; 3]>,
    /// For each unit: messages waiting in its queue (inbox for a played unit), and being handled.
    pub queues: Vec<QueueState>,
    /// Conferences in session now (index), in model order.
    pub in_session: Vec<u32>,
    /// Resources per (organisation, resource type): in use, idle, in transit, demanded, unmet.
    pub resources: Vec<((u32, u32), [i64; 5])>,
}

/// A unit's queue at an instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueState {
    /// Messages waiting, in the order they would be taken (highest severity first, then first come).
    pub waiting: Vec<u32>,
    /// Messages being handled.
    pub busy: u32,
    /// Whether the unit is played from outside.
    pub played: bool,
}

impl Engine {
    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.shared().kernel.now
    }

    /// The end of the scenario.
    pub fn end(&self) -> SimTime {
        self.shared().kernel.end
    }

    fn shared(&self) -> &Shared {
        self.world.resource::<Shared>()
    }

    fn entity(&self, unit: u32) -> Result<Entity, SimError> {
        self.shared()
            .setup
            .unit_entities
            .get(unit as usize)
            .copied()
            .ok_or_else(|| SimError::Refused(format!("no unit {unit}")))
    }

    /// Hands `unit` over to outside control: from now on the engine draws no processing
    /// times for it; messages delivered to it wait in its queue ([`Engine::inbox`]) until
    /// the outside says one is handled ([`Engine::handled`]).
    pub fn hand_over(&mut self, unit: u32) -> Result<(), SimError> {
        let e = self.entity(unit)?;
        let mut desk =
            self.world.get_mut::<Desk>(e).ok_or_else(|| SimError::Internal(format!("unit {unit} has no desk")))?;
        desk.played = true;
        Ok(())
    }

    /// The messages waiting at `unit`, in the order the engine would take them.
    pub fn inbox(&self, unit: u32) -> Result<Vec<u32>, SimError> {
        let e = self.entity(unit)?;
        let desk = self.world.get::<Desk>(e).ok_or_else(|| SimError::Internal(format!("unit {unit} has no desk")))?;
        Ok(waiting(desk))
    }

    /// A played unit has handled message `msg` of its inbox now: it knows the message's
    /// facts at the current time, and reacts as the engine's units do (passes them on,
    /// activates, acts on requests and direction) when the engine runs on.
    pub fn handled(&mut self, unit: u32, msg: u32) -> Result<(), SimError> {
        let e = self.entity(unit)?;
        let now = self.now();
        let (model, calendar) = (self.shared().setup.model.clone(), self.shared().setup.calendar);
        let world = &mut self.world;
        let staffing = world
            .get::<Staffing>(e)
            .cloned()
            .ok_or_else(|| SimError::Internal(format!("unit {unit} has no staffing")))?;
        let mut desk =
            world.get_mut::<Desk>(e).ok_or_else(|| SimError::Internal(format!("unit {unit} has no desk")))?;
        // Time accounting up to now, before the unit gets busy.
        crate::sim::units::account(&mut desk, &model.units[unit as usize], &staffing, &calendar, now);
        if !desk.played {
            return Err(SimError::Refused(format!("unit {unit} is not played from outside")));
        }
        let Some(q) = desk.queue.iter().copied().find(|q| q.msg == msg) else {
            return Err(SimError::Refused(format!("message {msg} is not waiting at unit {unit}")));
        };
        let rest: Vec<Queued> = desk.queue.drain().filter(|x| *x != q).collect();
        desk.queue.extend(rest);
        desk.busy += 1;
        let unstaffed = desk.unstaffed_time;
        let mut shared = world.resource_mut::<Shared>();
        let m = &mut shared.book.messages[msg as usize];
        m.started = Some(now);
        m.activation_wait = unstaffed - m.unstaffed_mark;
        shared.kernel.agenda.schedule(now, Event::Done { unit, msg });
        Ok(())
    }

    /// Sends a message now from exercise control or a unit. Returns the new fact's index
    /// (if it carries one) and the message's.
    pub fn send(&mut self, message: ExternalMessage) -> Result<(Option<u32>, u32), SimError> {
        let shared = self.world.resource_mut::<Shared>().into_inner();
        let (mut core, learning) = shared.core_and_knowledge();
        let now = core.now();
        let sender = message.from.unwrap_or(NONE);
        let mut carried = Vec::new();
        let mut fact = None;
        if let Some((id, text)) = message.new_fact {
            if learning.facts.by_id.contains_key(&id) {
                return Err(SimError::Refused(format!("a fact `{id}` exists already")));
            }
            let f = learning.create_fact(id, now, sender, message.severity, crate::model::ALL_LEVELS, text);
            let origin = learning.log.origin(f);
            if sender != NONE {
                learning.learn(core.setup, sender, f, now, Learning::Origin { trail: Some(origin) });
            }
            carried.push(Carried { fact: f, trail: origin });
            fact = Some(f);
        }
        for &g in &message.facts {
            let own = if sender == NONE { None } else { learning.trail_of(sender, g) };
            let trail = match own {
                Some(t) => t,
                None if sender == NONE => crate::sim::injects::handed_over(learning, g, now),
                None => return Err(SimError::Refused(format!("unit {sender} does not know fact {g}"))),
            };
            carried.push(Carried { fact: g, trail });
        }
        carried.sort_by_key(|c| c.fact);
        let model = core.model();
        let link = (sender != NONE)
            .then(|| {
                model.units[sender as usize]
                    .out_links
                    .iter()
                    .copied()
                    .find(|&l| model.links[l as usize].to == message.to)
            })
            .flatten();
        let route = link.map_or(Route::Defaults, Route::Link);
        let msg = core.send(Outgoing {
            kind: message.kind,
            from: sender,
            to: message.to,
            route,
            facts: Carrying::from(carried),
            severity: message.severity,
            payload: Payload::None,
        });
        Ok((fact, msg))
    }

    /// A new fact observed now at `unit` (its origin there). Returns its index.
    pub fn observe(&mut self, unit: u32, id: String, text: String, severity: u8) -> Result<u32, SimError> {
        let shared = self.world.resource_mut::<Shared>().into_inner();
        let (core, learning) = shared.core_and_knowledge();
        if learning.facts.by_id.contains_key(&id) {
            return Err(SimError::Refused(format!("a fact `{id}` exists already")));
        }
        let now = core.now();
        let f = learning.create_fact(id, now, unit, severity, crate::model::ALL_LEVELS, text);
        learning.learn(core.setup, unit, f, now, Learning::Origin { trail: None });
        Ok(f)
    }

    /// What is observable now.
    pub fn snapshot(&mut self) -> Result<Snapshot, SimError> {
        let shared = self.shared();
        let known = shared
            .knowledge
            .known
            .iter()
            .map(|k| {
                k.words()
                    .enumerate()
                    .flat_map(|(w, bits)| {
                        (0..64).filter(move |b| bits & (1 << b) != 0).map(move |b| (w * 64 + b) as u32)
                    })
                    .collect()
            })
            .collect();
        let known_per_level = shared.knowledge.facts.tally.iter().map(|t| t.known).collect();
        let entities = shared.setup.unit_entities.clone();
        let conferences = shared.setup.conference_entities.clone();
        let now = shared.kernel.now;
        let mut queues = Vec::with_capacity(entities.len());
        for (u, e) in entities.iter().enumerate() {
            let desk = self.world.get::<Desk>(*e).ok_or_else(|| SimError::Internal(format!("unit {u} has no desk")))?;
            queues.push(QueueState { waiting: waiting(desk), busy: desk.busy, played: desk.played });
        }
        let mut in_session = Vec::new();
        for (c, e) in conferences.iter().enumerate() {
            let st = self
                .world
                .get::<ConfState>(*e)
                .ok_or_else(|| SimError::Internal(format!("conference {c} has no state")))?;
            if st.session.is_some() {
                in_session.push(c as u32);
            }
        }
        let book = self.world.resource::<ResourceBook>();
        let mut resources: Vec<((u32, u32), [i64; 5])> = book.current.iter().map(|(k, v)| (*k, *v)).collect();
        resources.sort_by_key(|(k, _)| *k);
        Ok(Snapshot { now, known, known_per_level, queues, in_session, resources })
    }
}

/// The messages waiting at a desk, in the order they would be taken.
fn waiting(desk: &Desk) -> Vec<u32> {
    let mut q: Vec<Queued> = desk.queue.iter().copied().collect();
    q.sort_by(|a, b| b.cmp(a));
    q.into_iter().map(|q| q.msg).collect()
}
