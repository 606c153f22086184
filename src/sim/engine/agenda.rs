//! The future event list: events ordered by (integer time, phase, insertion order).
//!
//! The phase is the tie-breaker between kinds of event at the same instant (changes of
//! infrastructure before sends, deliveries before completions, completions before
//! conferences start, …); insertion order breaks the remaining ties first-in-first-out,
//! as in SimPy. The engine takes every event of the earliest (time, phase) at once and
//! routes the group to that phase's system.

use crate::time::SimTime;
use bevy_ecs::prelude::Resource;
use dary_heap::QuaternaryHeap;
use std::cmp::Ordering;

/// Kinds of event in the order they are handled at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Phase {
    Infra = 0,
    Inject,
    Send,
    Deliver,
    Done,
    Staff,
    Report,
    ConfEnd,
    ConfStart,
    Picture,
    Resource,
    Publish,
}

pub const PHASES: usize = 12;

impl Phase {
    pub const ALL: [Phase; PHASES] = [
        Phase::Infra,
        Phase::Inject,
        Phase::Send,
        Phase::Deliver,
        Phase::Done,
        Phase::Staff,
        Phase::Report,
        Phase::ConfEnd,
        Phase::ConfStart,
        Phase::Picture,
        Phase::Resource,
        Phase::Publish,
    ];
}

/// Something that happens at an instant. Indices refer to the model or to run records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// A system in an area runs out of battery after a power failure.
    BatteryOut {
        area: u32,
        system: u8,
        epoch: u32,
    },
    /// An infrastructure inject's `for` has run out: back to normal.
    InfraEnd {
        inject: u32,
        rep: u32,
    },
    Inject {
        inject: u32,
        rep: u32,
    },
    /// A lost message is sent again.
    Retry {
        msg: u32,
    },
    Deliver {
        msg: u32,
    },
    Done {
        unit: u32,
        msg: u32,
    },
    DutyArrives {
        unit: u32,
    },
    Wake {
        unit: u32,
    },
    Activated {
        unit: u32,
        epoch: u32,
    },
    ReportTick {
        unit: u32,
    },
    ConfEnd {
        conf: u32,
    },
    ConfStart {
        conf: u32,
        epoch: u32,
    },
    Picture {
        conf: u32,
    },
    Arrive {
        assignment: u32,
    },
    JobDone {
        assignment: u32,
    },
    Home {
        assignment: u32,
    },
    Growth {
        incident: u32,
        demand: u32,
    },
    Publish {
        unit: u32,
        fact: u32,
        epoch: u32,
    },
    /// `count` (more than one) resources of an assignment finish their jobs at one
    /// instant: in the trace, `count` times `JobDone` (a variant added last, so that the
    /// other variants hash as before).
    JobsDone {
        assignment: u32,
        count: u32,
    },
    /// `count` (more than one) lent resources of an assignment are back home at one
    /// instant: in the trace, `count` times `Home`.
    AllHome {
        assignment: u32,
        count: u32,
    },
}

impl Event {
    /// How many events of the trace this one stands for (resources done or home together
    /// are one event on the agenda, one per resource in the trace and the event count).
    pub fn units(&self) -> u64 {
        match *self {
            Event::JobsDone { count, .. } | Event::AllHome { count, .. } => count as u64,
            _ => 1,
        }
    }

    /// Folds the event into a hasher as the trace records it: a counted event as
    /// `count` one-resource events.
    pub fn trace<H: std::hash::Hasher>(&self, h: &mut H) {
        use std::hash::Hash;
        match *self {
            Event::JobsDone { assignment, count } => (0..count).for_each(|_| Event::JobDone { assignment }.hash(h)),
            Event::AllHome { assignment, count } => (0..count).for_each(|_| Event::Home { assignment }.hash(h)),
            e => e.hash(h),
        }
    }

    pub fn phase(&self) -> Phase {
        match self {
            Event::BatteryOut { .. } | Event::InfraEnd { .. } => Phase::Infra,
            Event::Inject { .. } => Phase::Inject,
            Event::Retry { .. } => Phase::Send,
            Event::Deliver { .. } => Phase::Deliver,
            Event::Done { .. } => Phase::Done,
            Event::DutyArrives { .. } | Event::Wake { .. } | Event::Activated { .. } => Phase::Staff,
            Event::ReportTick { .. } => Phase::Report,
            Event::ConfEnd { .. } => Phase::ConfEnd,
            Event::ConfStart { .. } => Phase::ConfStart,
            Event::Picture { .. } => Phase::Picture,
            Event::Arrive { .. }
            | Event::JobDone { .. }
            | Event::Home { .. }
            | Event::Growth { .. }
            | Event::JobsDone { .. }
            | Event::AllHome { .. } => Phase::Resource,
            Event::Publish { .. } => Phase::Publish,
        }
    }
}

/// An agenda entry: 32 bytes, the phase and insertion number packed into one word.
#[derive(Clone, Copy, Debug)]
struct Entry {
    time: SimTime,
    /// phase << 56 | insertion number
    order: u64,
    event: Event,
}

const _: () = assert!(std::mem::size_of::<Entry>() == 32);

impl Entry {
    fn phase(&self) -> Phase {
        Phase::ALL[(self.order >> 56) as usize]
    }
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    /// Reversed: the heap's top is the earliest (time, phase, insertion).
    fn cmp(&self, o: &Self) -> Ordering {
        (o.time, o.order).cmp(&(self.time, self.order))
    }
}

/// A 4-ary heap: half the levels of a binary heap, its four children side by side (the
/// agenda of a national run holds ~20 000 events, beyond the core's L2 cache).
#[derive(Resource, Default)]
pub struct Agenda {
    heap: QuaternaryHeap<Entry>,
    seq: u64,
}

impl Agenda {
    pub fn schedule(&mut self, time: SimTime, event: Event) {
        self.seq += 1;
        debug_assert!(self.seq < 1 << 56);
        self.heap.push(Entry { time, order: (event.phase() as u64) << 56 | self.seq, event });
    }

    /// Time and phase of the next event.
    pub fn peek(&self) -> Option<(SimTime, Phase)> {
        self.heap.peek().map(|e| (e.time, e.phase()))
    }

    /// Moves every event of the given time and phase into `out`, in insertion order.
    pub fn take_group(&mut self, time: SimTime, phase: Phase, out: &mut Vec<Event>) {
        while let Some(top) = self.heap.peek() {
            if top.time != time || top.phase() != phase {
                break;
            }
            out.push(self.heap.pop().expect("peeked").event);
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_by_time_then_phase_then_insertion() {
        let mut a = Agenda::default();
        a.schedule(10, Event::ConfStart { conf: 0, epoch: 0 });
        a.schedule(10, Event::Deliver { msg: 1 });
        a.schedule(5, Event::Deliver { msg: 2 });
        a.schedule(10, Event::Deliver { msg: 3 });
        let mut out = vec![];
        let (t, p) = a.peek().unwrap();
        a.take_group(t, p, &mut out);
        assert_eq!(out, vec![Event::Deliver { msg: 2 }]);
        out.clear();
        let (t, p) = a.peek().unwrap();
        a.take_group(t, p, &mut out);
        assert_eq!(out, vec![Event::Deliver { msg: 1 }, Event::Deliver { msg: 3 }]);
        assert_eq!(a.peek(), Some((10, Phase::ConfStart)));
    }
}
