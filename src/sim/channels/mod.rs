//! Messages on channels: choosing the first available channel of a link, loss and
//! re-sending, infrastructure dependencies, and messages stalled until a channel
//! comes back (model.md §6). [`Core`] bundles what nearly every system needs.

use crate::model::{Model, UnitIdx};
use crate::sim::engine::agenda::Event;
use crate::sim::*;
use crate::time::SimTime;
use crate::vocabulary::{InfraSystem, MessageKind};
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;
use rand::RngExt;

use crate::sim::engine::schedule::Registry;

/// Registers the channels handlers and followers with the engine.
pub(crate) fn register(r: &mut Registry) {
    r.handle(Phase::Send, retry_messages);
}

// ---------------------------------------------------------------- messages

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Link(u32),
    Channel(u32),
    Defaults,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payload {
    None,
    Request(u32),
    /// Direction from a session of a conference.
    Direction {
        conf: u32,
        session: u32,
    },
    Picture(u32),
}

#[derive(Clone, Debug)]
pub struct MessageRec {
    pub kind: MessageKind,
    pub from: u32,
    pub to: u32,
    pub route: Route,
    pub facts: Carrying,
    /// Relayed as received: the facts' trails are those the sender (`from`) knows them
    /// with, looked up when the receiver learns (the sender's knowledge of a fact never
    /// changes once it has it), not those stored in `facts`.
    pub relayed: bool,
    pub severity: u8,
    pub payload: Payload,
    pub sent: SimTime,
    pub channel: u32,
    pub attempts: u32,
    pub delivered: Option<SimTime>,
    pub started: Option<SimTime>,
    pub done: Option<SimTime>,
    /// The receiver's unstaffed-time counter at delivery.
    pub unstaffed_mark: SimTime,
    /// Time between delivery and start with nobody on duty at the receiver.
    pub activation_wait: SimTime,
}

#[derive(Default)]
pub struct MessageBook {
    pub messages: crate::sim::chunked::Chunked<MessageRec>,
    /// Messages whose channels are all down, waiting for one to come back.
    pub stalled: Vec<u32>,
}

/// Clock, model, agenda, messages, network and pending work: the shared core of most
/// systems, as one resource ([`Shared`]) so that a system fetches it once (each
/// resource a system takes costs a lookup per run; see docs/performance.md).
pub struct Core<'a> {
    pub kernel: &'a mut Kernel,
    pub setup: &'a Setup,
    pub book: &'a mut MessageBook,
    pub net: &'a mut Network,
    pub pending: &'a mut Pending,
}

impl Shared {
    /// The core's parts, borrowed separately.
    pub fn core(&mut self) -> Core<'_> {
        self.core_and_knowledge().0
    }

    /// The core's parts and the knowledge, borrowed separately.
    pub fn core_and_knowledge(&mut self) -> (Core<'_>, &mut Knowledge) {
        let Shared { kernel, setup, book, net, pending, knowledge } = self;
        (Core { kernel, setup, book, net, pending }, knowledge)
    }
}

/// A message to send: who, what, how.
pub struct Outgoing {
    pub kind: MessageKind,
    pub from: u32,
    pub to: u32,
    pub route: Route,
    pub facts: Carrying,
    pub severity: u8,
    pub payload: Payload,
}

impl<'a> Core<'a> {
    pub fn now(&self) -> SimTime {
        self.kernel.now
    }

    /// The model, borrowed for as long as the core (not from `self`, so that the core
    /// can be changed while it is read).
    pub fn model(&self) -> &'a Model {
        let setup: &'a Setup = self.setup;
        &setup.model
    }

    pub fn schedule(&mut self, at: SimTime, event: Event) {
        self.kernel.agenda.schedule(at, event);
    }

    /// Sends on the facts of a message received, as the sender knows them
    /// ([`MessageRec::relayed`]).
    pub fn relay(&mut self, out: Outgoing) -> u32 {
        let id = self.send(out);
        self.book.messages[id as usize].relayed = true;
        id
    }

    /// Records a message and makes its first attempt. Returns its id.
    pub fn send(&mut self, out: Outgoing) -> u32 {
        let id = self.book.messages.len() as u32;
        if out.from != NONE {
            self.kernel.tally.messages_by_unit[out.from as usize] += 1;
        }
        if let Route::Link(l) = out.route {
            self.kernel.tally.messages_by_link[l as usize] += 1;
        }
        self.book.messages.push(MessageRec {
            kind: out.kind,
            from: out.from,
            to: out.to,
            route: out.route,
            facts: out.facts,
            relayed: false,
            severity: out.severity,
            payload: out.payload,
            sent: self.kernel.now,
            channel: NONE,
            attempts: 0,
            delivered: None,
            started: None,
            done: None,
            unstaffed_mark: 0,
            activation_wait: 0,
        });
        self.attempt(id);
        id
    }

    /// One attempt: first available channel; lost → retry later; none available → stalled.
    pub fn attempt(&mut self, id: u32) {
        let now = self.kernel.now;
        let model = self.model();
        let (from, to, route) = {
            let m = &self.book.messages[id as usize];
            (m.from, m.to, m.route)
        };
        let channels: &[u32] = match &route {
            Route::Link(l) => &model.links[*l as usize].channels,
            Route::Channel(c) => std::slice::from_ref(c),
            Route::Defaults => &self.setup.default_channels,
        };
        let ends = [self.setup.end(from), self.setup.end(to)];
        let Some(&ch) = channels.iter().find(|&&c| available(self.net, model, c, &ends)) else {
            self.book.stalled.push(id);
            return;
        };
        let channel = &model.channels[ch as usize];
        let loss = channel
            .loss
            .max(overload_loss(self.net, channel.depends, &ends))
            .max(self.net.channel_overload[ch as usize]);
        let m = &mut self.book.messages[id as usize];
        m.attempts += 1;
        m.channel = ch;
        let rng = &mut self.net.rngs[ch as usize];
        if loss > 0.0 && rng.random_bool(loss) {
            self.kernel.agenda.schedule(now + channel.retry_after, Event::Retry { msg: id });
        } else {
            let latency = channel.latency.sample(rng);
            self.kernel.agenda.schedule(now + latency, Event::Deliver { msg: id });
        }
    }

    /// Tries every stalled message again (after a channel or system came back).
    pub fn retry_stalled(&mut self) {
        let stalled = std::mem::take(&mut self.book.stalled);
        for id in stalled {
            self.attempt(id);
        }
    }
}

/// An end of a message: its area slot (the last slot is "no area") and reserve power.
#[derive(Clone, Copy)]
pub struct End {
    pub area: usize,
    pub backup_power: bool,
}

pub fn endpoint(model: &Model, unit: u32) -> End {
    if unit == NONE {
        return End { area: model.areas.len(), backup_power: true };
    }
    let u = &model.units[unit as usize];
    End {
        area: u.area.map_or(model.areas.len(), |a| a as usize),
        backup_power: model.orgs[u.org as usize].backup_power,
    }
}

/// Whether channel `ch` works between the given ends now.
pub fn available(net: &Network, model: &Model, ch: u32, ends: &[End]) -> bool {
    if net.channel_down[ch as usize] {
        return false;
    }
    let deps = model.channels[ch as usize].depends;
    ends.iter().all(|e| {
        InfraSystem::ALL.iter().all(|s| {
            let bit = 1u8 << *s as u8;
            if deps & bit == 0 || (*s == InfraSystem::Power && e.backup_power) {
                return true;
            }
            net.areas[e.area][*s as usize].works()
        })
    })
}

fn overload_loss(net: &Network, deps: u8, ends: &[End]) -> f64 {
    let mut loss: f64 = 0.0;
    for e in ends {
        for s in InfraSystem::ALL {
            if deps & (1 << s as u8) != 0 {
                loss = loss.max(net.areas[e.area][s as usize].overload_loss);
            }
        }
    }
    loss
}

/// Whether a unit can take part in something held over `channel` now.
pub fn can_join(net: &Network, setup: &Setup, channel: Option<u32>, unit: UnitIdx) -> bool {
    channel.is_none_or(|c| available(net, &setup.model, c, &[setup.end(unit)]))
}

/// Handles `Retry` events: lost messages are sent again.
pub fn retry_messages(InRef(events): InRef<[Event]>, mut shared: ResMut<Shared>) -> Result<(), Broken> {
    let mut core = shared.core();
    for e in events {
        if let Event::Retry { msg } = *e {
            core.attempt(msg);
        }
    }
    Ok(())
}
