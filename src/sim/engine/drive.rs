//! Driving the engine from outside (a live exercise): run until a simulated time, feed
//! events at the current time, hand units over to people, and read what is observable.
//!
//! [`crate::sim::run`] is this API driven to the end: `Engine::new`, `run_until(end)`,
//! `finish`. Stepping changes nothing by itself: running to T and then to the end gives
//! the same record as one run. What the outside feeds in happens at the current time
//! ([`Engine::now`]), in the phase order of that instant, when the engine runs on.

use crate::metrics::ObjectiveResult;
use crate::sim::agenda::Event;
use crate::sim::channels::{Core, Outgoing};
use crate::sim::*;
use crate::time::SimTime;
use crate::vocabulary::MessageKind;
use bevy_ecs::prelude::*;

/// A message fed in from outside (exercise control, or a unit played by a person).
#[derive(Clone, Debug)]
pub struct ExternalMessage {
    /// The sender: `None` for exercise control, or a unit (played by a person).
    pub from: Option<UnitId>,
    pub to: UnitId,
    pub kind: MessageKind,
    pub severity: u8,
    /// A new fact the message carries (id, text), created at the current time with its
    /// origin at the sender; `None`: the message carries only `facts`.
    pub new_fact: Option<(String, String)>,
    /// Facts it carries besides (by index): a unit passes them on as it knows them;
    /// exercise control hands them over.
    pub facts: Vec<FactId>,
    /// The channel to send it on (it must work now: [`Engine::channel_works`]); `None`:
    /// the link from the sender to the receiver, or the scenario's default channels.
    pub channel: Option<ChannelId>,
}

/// What is observable at an instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub now: SimTime,
    /// For each unit (index = unit), the facts it knows, in fact order.
    pub known: Vec<Vec<FactId>>,
    /// For each fact (index = fact): how many units of each level know it.
    pub known_per_level: Vec<[u32; 3]>,
    /// For each unit: messages waiting in its queue (inbox for a played unit), and being handled.
    pub queues: Vec<QueueState>,
    /// Conferences in session now (index), in model order.
    pub in_session: Vec<ConferenceId>,
    /// Resources per (organisation, resource type): in use, idle, in transit, demanded, unmet.
    pub resources: Vec<((u32, u32), [i64; 5])>,
    /// The scenario's objectives evaluated on what happened so far, as
    /// [`crate::metrics::summarise`] evaluates them on a whole run: a time not reached yet
    /// is `None` (not met so far); a count or median is its value so far.
    pub objectives: Vec<ObjectiveResult>,
}

/// A unit's queue at an instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueState {
    /// Messages waiting, in the order they would be taken (highest severity first, then first come).
    pub waiting: Vec<MessageId>,
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

    pub(crate) fn shared(&self) -> &Shared {
        self.world.resource::<Shared>()
    }

    pub(crate) fn entity(&self, unit: UnitId) -> Result<Entity, SimError> {
        self.shared()
            .setup
            .unit_entities
            .get(unit.index())
            .copied()
            .ok_or_else(|| SimError::Refused(format!("no {unit}")))
    }

    /// Hands `unit` over to outside control: from now on the engine draws no processing
    /// times for it; messages delivered to it wait in its queue ([`Engine::inbox`]) until
    /// the outside says one is handled ([`Engine::handled`]); and it passes nothing on by
    /// itself (the person decides what to send: [`Engine::send`]; facts its periodic
    /// report already holds at the hand-over still go out with it). Everything else it does
    /// as the model's units: it activates, takes part in conferences, acts on requests and
    /// direction, and prepares public messages.
    pub fn hand_over(&mut self, unit: UnitId) -> Result<(), SimError> {
        let e = self.entity(unit)?;
        let mut desk =
            self.world.get_mut::<Desk>(e).ok_or_else(|| SimError::Internal(format!("{unit} has no desk")))?;
        desk.played = true;
        self.world.resource_mut::<Shared>().setup.played[unit.index()] = true;
        Ok(())
    }

    /// The messages waiting at `unit`, in the order the engine would take them.
    pub fn inbox(&self, unit: UnitId) -> Result<Vec<MessageId>, SimError> {
        let e = self.entity(unit)?;
        let desk = self.world.get::<Desk>(e).ok_or_else(|| SimError::Internal(format!("{unit} has no desk")))?;
        Ok(waiting(desk))
    }

    /// A played unit has handled message `msg` of its inbox now: it knows the message's
    /// facts at the current time, and reacts as the engine's units do (passes them on,
    /// activates, acts on requests and direction) when the engine runs on.
    pub fn handled(&mut self, unit: UnitId, msg: MessageId) -> Result<(), SimError> {
        let e = self.entity(unit)?;
        let now = self.now();
        let (model, calendar) = (self.shared().setup.model.clone(), self.shared().setup.calendar);
        let world = &mut self.world;
        let staffing =
            world.get::<Staffing>(e).cloned().ok_or_else(|| SimError::Internal(format!("{unit} has no staffing")))?;
        let mut desk = world.get_mut::<Desk>(e).ok_or_else(|| SimError::Internal(format!("{unit} has no desk")))?;
        // Time accounting up to now, before the unit gets busy.
        crate::sim::units::account(&mut desk, &model.units[unit.index()], &staffing, &calendar, now);
        if !desk.played {
            return Err(SimError::Refused(format!("{unit} is not played from outside")));
        }
        let Some(q) = desk.queue.iter().copied().find(|q| q.msg == msg.get()) else {
            return Err(SimError::Refused(format!("{msg} is not waiting at {unit}")));
        };
        let rest: Vec<Queued> = desk.queue.drain().filter(|x| *x != q).collect();
        desk.queue.extend(rest);
        desk.busy += 1;
        let unstaffed = desk.unstaffed_time;
        let mut shared = world.resource_mut::<Shared>();
        let m = &mut shared.book.messages[msg.index()];
        m.started = Some(now);
        m.activation_wait = unstaffed - m.unstaffed_mark;
        shared.kernel.agenda.schedule(now, Event::Done { unit: unit.get(), msg: msg.get() });
        Ok(())
    }

    /// Sends a message now from exercise control or a unit. Returns the new fact's index
    /// (if it carries one) and the message's.
    pub fn send(&mut self, message: ExternalMessage) -> Result<(Option<FactId>, MessageId), SimError> {
        let shared = self.world.resource_mut::<Shared>().into_inner();
        let (mut core, learning) = shared.core_and_knowledge();
        let now = core.now();
        let units = core.model().units.len();
        if let Some(u) = message.from.into_iter().chain([message.to]).find(|u| u.index() >= units) {
            return Err(SimError::Refused(format!("no {u}")));
        }
        let sender = message.from;
        // Checked before anything changes: a refused message leaves no trace.
        if let Some(g) = message.facts.iter().find(|g| g.index() >= learning.facts.facts.len()) {
            return Err(SimError::Refused(format!("no {g}")));
        }
        if let Some(u) = sender
            && let Some(g) = message.facts.iter().find(|g| learning.trail_of(u.get(), g.get()).is_none())
        {
            return Err(SimError::Refused(format!("{u} does not know {g}")));
        }
        if let Some((id, _)) = &message.new_fact
            && let Some(why) = fact_id_taken(core.model(), &learning.facts.by_id, id)
        {
            return Err(SimError::Refused(why));
        }
        let model = core.model();
        let link = sender.and_then(|u| {
            model.units[u.index()].out_links.iter().copied().find(|&l| model.links[l as usize].to == message.to.get())
        });
        let route = match message.channel {
            Some(c) => Route::Channel(usable_channel(&core, sender, message.to, c)?),
            None => link.map_or(Route::Defaults, Route::Link),
        };
        let mut carried = Vec::new();
        let mut fact = None;
        if let Some((id, text)) = message.new_fact {
            let origin_unit = sender.map_or(NONE, UnitId::get);
            let f = learning.create_fact(id, now, origin_unit, message.severity, crate::model::ALL_LEVELS, text);
            let origin = learning.log.origin(f);
            if let Some(u) = sender {
                learning.learn(core.setup, u.get(), f, now, Learning::Origin { trail: Some(origin) });
            }
            carried.push(Carried { fact: f, trail: origin });
            fact = Some(FactId::new(f));
        }
        for g in message.facts.iter().copied() {
            let trail = match sender {
                None => crate::sim::injects::handed_over(learning, g.get(), now),
                Some(u) => learning
                    .trail_of(u.get(), g.get())
                    .ok_or_else(|| SimError::Refused(format!("{u} does not know {g}")))?,
            };
            carried.push(Carried { fact: g.get(), trail });
        }
        carried.sort_by_key(|c| c.fact);
        let msg = core.send(Outgoing {
            kind: message.kind,
            from: sender.map_or(NONE, UnitId::get),
            to: message.to.get(),
            route,
            facts: Carrying::from(carried),
            severity: message.severity,
            payload: Payload::None,
        });
        Ok((fact, MessageId::new(msg)))
    }

    /// A new fact observed now at `unit` (its origin there). Returns its index.
    pub fn observe(&mut self, unit: UnitId, id: String, text: String, severity: u8) -> Result<FactId, SimError> {
        let shared = self.world.resource_mut::<Shared>().into_inner();
        let (core, learning) = shared.core_and_knowledge();
        if let Some(why) = fact_id_taken(core.model(), &learning.facts.by_id, &id) {
            return Err(SimError::Refused(why));
        }
        let now = core.now();
        if unit.index() >= core.model().units.len() {
            return Err(SimError::Refused(format!("no {unit}")));
        }
        let f = learning.create_fact(id, now, unit.get(), severity, crate::model::ALL_LEVELS, text);
        learning.learn(core.setup, unit.get(), f, now, Learning::Origin { trail: None });
        Ok(FactId::new(f))
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
                        (0..64).filter(move |b| bits & (1 << b) != 0).map(move |b| FactId::new((w * 64 + b) as u32))
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
                in_session.push(ConferenceId::new(c as u32));
            }
        }
        let book = self.world.resource::<ResourceBook>();
        let mut resources: Vec<((u32, u32), [i64; 5])> = book.current.iter().map(|(k, v)| (*k, *v)).collect();
        resources.sort_by_key(|(k, _)| *k);
        let objectives = crate::metrics::summarise(&record::so_far(&self.world)?).objectives;
        Ok(Snapshot { now, known, known_per_level, queues, in_session, resources, objectives })
    }
}

/// Channel `c` if it works now between the sender ([`NONE`]: exercise control) and `to`.
fn usable_channel(core: &Core, from: Option<UnitId>, to: UnitId, c: ChannelId) -> Result<u32, SimError> {
    let model = core.model();
    if c.index() >= model.channels.len() {
        return Err(SimError::Refused(format!("no {c}")));
    }
    let ends = [core.setup.end(from.map_or(NONE, UnitId::get)), core.setup.end(to.get())];
    if !crate::sim::channels::available(core.net, model, c.get(), &ends) {
        let id = &model.channels[c.index()].id;
        return Err(SimError::Refused(format!("channel `{id}` does not work now between the sender and {to}")));
    }
    Ok(c.get())
}

/// The messages waiting at a desk, in the order they would be taken.
fn waiting(desk: &Desk) -> Vec<MessageId> {
    let mut q: Vec<Queued> = desk.queue.iter().copied().collect();
    q.sort_by(|a, b| b.cmp(a));
    q.into_iter().map(|q| MessageId::new(q.msg)).collect()
}

/// Why a new fact from outside may not take `id`: a fact has it already, or an inject
/// of the scenario makes facts under it (its id, or `id#n` for a stream), so that one id
/// never names two facts.
fn fact_id_taken(model: &crate::model::Model, by_id: &rustc_hash::FxHashMap<String, u32>, id: &str) -> Option<String> {
    if by_id.contains_key(id) {
        return Some(format!("a fact `{id}` exists already"));
    }
    let inject = crate::sim::injects::inject_of_occurrence(model, id)?;
    Some(format!("`{id}` is the id of the scenario's inject `{}`; give the fact another id", inject.id))
}
