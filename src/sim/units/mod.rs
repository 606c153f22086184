//! Units at work (model.md §5): staffing by office hours, on-call duty officers and
//! activation; a priority queue (the desk) served by several handlers; and the time
//! accounting behind busy share and the "waiting for a duty officer or activation" delay part.

pub mod activation;

use crate::model::Unit;
use crate::sim::channels::Core;
use crate::sim::engine::agenda::Event;
use crate::sim::*;
use crate::time::{Calendar, SimTime};
use crate::vocabulary::MessageKind;
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;
use rand::rngs::ChaCha8Rng;
use std::collections::BinaryHeap;

use crate::sim::engine::schedule::{FollowUp, Registry};

/// Registers the units handlers and followers with the engine.
pub(crate) fn register(r: &mut Registry) {
    r.handle(Phase::Deliver, deliver_messages);
    r.handle(Phase::Done, finish_messages);
    r.handle(Phase::Staff, staff_events);
    r.follow(FollowUp::Activations, activation::apply_activations);
}

// ---------------------------------------------------------------- units

#[derive(Component, Clone, Copy)]
pub struct UnitNo(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Activating { epoch: u32 },
    Activated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duty {
    Off,
    /// The duty officer has been alerted and arrives at this time, for the closed period
    /// around `needed` (the work that was waiting, or the session they were called for).
    Called {
        arrives: SimTime,
        needed: SimTime,
    },
    /// On duty until this time (when normal staffing takes over).
    On {
        until: SimTime,
    },
}

/// Staffing state of a unit: activation and the duty officer.
#[derive(Component, Clone, Debug)]
pub struct Staffing {
    pub mode: Mode,
    pub epoch: u32,
    pub duty: Duty,
    /// First time the unit decided to activate.
    pub activation_started: Option<SimTime>,
    /// First time activated staffing was in place.
    pub activated_at: Option<SimTime>,
    pub wake_at: Option<SimTime>,
}

impl Default for Staffing {
    fn default() -> Self {
        Staffing {
            mode: Mode::Normal,
            epoch: 0,
            duty: Duty::Off,
            activation_started: None,
            activated_at: None,
            wake_at: None,
        }
    }
}

/// A message waiting at a unit: higher severity first, then first come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Queued {
    pub severity: u8,
    pub seq: u64,
    pub msg: u32,
}

impl Ord for Queued {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.severity.cmp(&o.severity).then(o.seq.cmp(&self.seq))
    }
}
impl PartialOrd for Queued {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

/// A unit's work: its queue, handlers in use, and time accounting.
#[derive(Component, Default, Clone)]
pub struct Desk {
    pub queue: BinaryHeap<Queued>,
    pub seq: u64,
    pub busy: u32,
    pub handled: u64,
    pub peak_backlog: u32,
    /// Accounting up to `accounted`: handler-time busy, handler-time available
    /// (max of staffing and busy), and time with nobody on duty.
    pub accounted: SimTime,
    pub busy_time: SimTime,
    pub available_time: SimTime,
    pub unstaffed_time: SimTime,
    /// Played from outside ([`crate::sim::Engine::hand_over`]): the engine starts none of
    /// its messages; they wait in the queue until the outside says one is handled.
    pub played: bool,
}

/// The unit's own random stream (processing, duty officer, activation, public messages).
#[derive(Component)]
pub struct UnitRng(pub ChaCha8Rng);

pub type UnitQuery<'w, 's> = Query<'w, 's, (&'static mut Staffing, &'static mut Desk, &'static mut UnitRng)>;

/// Handlers on duty at `t`.
pub fn capacity(u: &Unit, s: &Staffing, cal: &Calendar, t: SimTime) -> u32 {
    let base = if cal.in_office(&u.office_hours, t) { u.handlers } else { u.off_hours_handlers };
    let base = if s.mode == Mode::Activated { base.max(u.activated_handlers) } else { base };
    match s.duty {
        Duty::On { until } if base == 0 && t < until => 1,
        _ => base,
    }
}

/// Next instant after `t` at which staffing can change without an event.
fn next_change(u: &Unit, s: &Staffing, cal: &Calendar, t: SimTime) -> SimTime {
    let mut next = cal.next_change(&u.office_hours, t).unwrap_or(SimTime::MAX);
    if let Duty::On { until } = s.duty
        && until > t
    {
        next = next.min(until);
    }
    next
}

/// Brings a desk's time accounting up to `now`. Call before staffing or `busy` change.
pub fn account(desk: &mut Desk, u: &Unit, s: &Staffing, cal: &Calendar, now: SimTime) {
    let mut t = desk.accounted;
    while t < now {
        let end = next_change(u, s, cal, t).min(now);
        let cap = capacity(u, s, cal, t);
        let dt = end - t;
        if cap == 0 {
            desk.unstaffed_time += dt;
        }
        desk.available_time += dt * cap.max(desk.busy) as SimTime;
        desk.busy_time += dt * desk.busy as SimTime;
        t = end;
    }
    desk.accounted = desk.accounted.max(now);
}

/// Starts queued messages while handlers are free; otherwise arranges to be woken.
pub fn try_start(core: &mut Core, units: &mut UnitQuery, unit: u32) -> Result<(), Broken> {
    let now = core.now();
    let model = core.model();
    let cal = core.setup.calendar;
    let u = &model.units[unit as usize];
    let (mut s, mut desk, mut rng) =
        units.get_mut(core.setup.unit_entities[unit as usize]).map_err(missing("unit", unit))?;
    account(&mut desk, u, &s, &cal, now);
    if desk.played {
        return Ok(());
    }
    let cap = capacity(u, &s, &cal, now);
    while desk.busy < cap {
        let Some(next) = desk.queue.pop() else { break };
        desk.busy += 1;
        let m = &mut core.book.messages[next.msg as usize];
        m.started = Some(now);
        m.activation_wait = desk.unstaffed_time - m.unstaffed_mark;
        let took = u.processing_time(m.kind).sample(&mut rng.0);
        core.schedule(now + took, Event::Done { unit, msg: next.msg });
    }
    if desk.queue.is_empty() {
        return Ok(());
    }
    if cap == 0 {
        wait_for_staff(core, u, unit, &mut s, &mut rng.0, now);
    } else if let Some(change) = cal.next_change(&u.office_hours, now) {
        wake_at(core, &mut s, unit, change);
    }
    Ok(())
}

/// Nobody on duty and work waiting (or nobody at `needed`, a session ahead): alert the
/// duty officer, or sleep until office hours.
fn wait_for_staff(
    core: &mut Core,
    u: &Unit,
    unit: u32,
    s: &mut Staffing,
    rng: &mut rand::rngs::ChaCha8Rng,
    needed: SimTime,
) {
    let now = core.now();
    if let Duty::Called { needed: n, .. } = &mut s.duty {
        // Already on the way: they stay for the later need too.
        *n = (*n).max(needed);
        return;
    }
    if let Some(response) = &u.duty_officer {
        let arrives = now + response.sample(rng);
        s.duty = Duty::Called { arrives, needed };
        core.schedule(arrives, Event::DutyArrives { unit });
    }
    // Office staff may come in before the duty officer does: whoever is first starts.
    let cal = core.setup.calendar;
    if u.handlers > 0
        && let Some(open) = cal.next_open(&u.office_hours, now)
    {
        wake_at(core, s, unit, open);
    }
}

fn wake_at(core: &mut Core, s: &mut Staffing, unit: u32, at: SimTime) {
    if s.wake_at.is_some_and(|w| w <= at && w >= core.now()) {
        return;
    }
    s.wake_at = Some(at);
    core.schedule(at, Event::Wake { unit });
}

/// The duty officer on arrival: on duty for the closed period they were called for (the
/// one around `needed`) until the office hours open after it (for ever if `handlers` is
/// 0). Called in during office hours for a meeting in the evening, they stay through
/// the night; called at night and arriving after the office has opened, they are not on
/// duty at all (the office staff have the work), and a later closed period calls them
/// again.
fn on_arrival(u: &Unit, cal: &Calendar, needed: SimTime, now: SimTime) -> Duty {
    if u.handlers == 0 {
        return Duty::On { until: SimTime::MAX };
    }
    match cal.next_open(&u.office_hours, needed) {
        Some(until) if until <= now => Duty::Off,
        until => Duty::On { until: until.unwrap_or(SimTime::MAX) },
    }
}

/// Calls a unit's duty officer now if nobody would be on duty at `at` (e.g. a
/// conference it must attend). The duty officer then stays until the office hours open
/// after `at` ([`on_arrival`]).
pub fn alert_duty_officer(core: &mut Core, units: &mut UnitQuery, unit: u32, at: SimTime) -> Result<(), Broken> {
    let model = core.model();
    let cal = core.setup.calendar;
    let u = &model.units[unit as usize];
    let (mut s, mut desk, mut rng) =
        units.get_mut(core.setup.unit_entities[unit as usize]).map_err(missing("unit", unit))?;
    if u.duty_officer.is_none() || capacity(u, &s, &cal, at) > 0 {
        return Ok(());
    }
    account(&mut desk, u, &s, &cal, core.now());
    wait_for_staff(core, u, unit, &mut s, &mut rng.0, at);
    Ok(())
}

/// Handles `Deliver`: the message joins the receiver's queue.
pub fn deliver_messages(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut units: UnitQuery,
) -> Result<(), Broken> {
    let mut core = shared.core();
    let now = core.now();
    let model = core.model();
    let cal = core.setup.calendar;
    for e in events {
        let Event::Deliver { msg } = *e else { continue };
        let (to, severity) = {
            let m = &mut core.book.messages[msg as usize];
            m.delivered = Some(now);
            (m.to, m.severity)
        };
        let (s, mut desk, _) = units.get_mut(core.setup.unit_entities[to as usize]).map_err(missing("unit", to))?;
        account(&mut desk, &model.units[to as usize], &s, &cal, now);
        core.book.messages[msg as usize].unstaffed_mark = desk.unstaffed_time;
        desk.seq += 1;
        let seq = desk.seq;
        desk.queue.push(Queued { severity, seq, msg });
        desk.peak_backlog = desk.peak_backlog.max(desk.queue.len() as u32);
        try_start(&mut core, &mut units, to)?;
    }
    Ok(())
}

/// Handles `Done`: the unit knows what the message carried and acts on its payload.
pub fn finish_messages(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut units: UnitQuery,
    mut unknown: Local<Vec<usize>>,
) -> Result<(), Broken> {
    let (mut core, learning) = shared.core_and_knowledge();
    let now = core.now();
    let model = core.model();
    let cal = core.setup.calendar;
    for e in events {
        let Event::Done { unit, msg } = *e else { continue };
        let (s, mut desk, _) = units.get_mut(core.setup.unit_entities[unit as usize]).map_err(missing("unit", unit))?;
        account(&mut desk, &model.units[unit as usize], &s, &cal, now);
        desk.busy -= 1;
        desk.handled += 1;
        core.book.messages[msg as usize].done = Some(now);
        learn_from_message(learning, &core, msg, unit, &mut unknown);
        match core.book.messages[msg as usize].payload {
            Payload::Request(r) => core.pending.requests.push(RequestCmd::Received { unit, request: r, msg }),
            Payload::Direction { .. } => core.pending.directions.push((unit, msg)),
            Payload::None | Payload::Picture(_) => {}
        }
        try_start(&mut core, &mut units, unit)?;
    }
    Ok(())
}

/// The receiver learns every fact the message carried; its trail is the message handled
/// (the decomposition of the delay: [`crate::sim::knowledge::trail::delay_parts`]). A relayed
/// message's facts are as its sender knows them: their trails are the sender's.
/// `unknown` is room for the positions of the facts new to the unit.
fn learn_from_message(learning: &mut Knowledge, core: &Core, msg: u32, unit: u32, unknown: &mut Vec<usize>) {
    let m = &core.book.messages[msg as usize];
    let Some(done) = m.done else { return };
    let picture = m.kind == MessageKind::Picture;
    learning.unknown_to(unit, &m.facts, unknown);
    for &i in unknown.iter() {
        let c = &m.facts[i];
        let from = if m.relayed { learning.trail_of(m.from, c.fact).unwrap_or(c.trail) } else { c.trail };
        let how = Learning::Message { msg, sender: m.from, from, picture };
        learning.learn(core.setup, unit, c.fact, done, how);
    }
}

/// Handles `DutyArrives`, `Wake` and `Activated`.
pub fn staff_events(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut units: UnitQuery,
) -> Result<(), Broken> {
    let mut core = shared.core();
    let now = core.now();
    let model = core.model();
    let cal = core.setup.calendar;
    for e in events {
        let unit = match *e {
            Event::DutyArrives { unit } | Event::Wake { unit } | Event::Activated { unit, .. } => unit,
            _ => continue,
        };
        let u = &model.units[unit as usize];
        let (mut s, mut desk, _) =
            units.get_mut(core.setup.unit_entities[unit as usize]).map_err(missing("unit", unit))?;
        account(&mut desk, u, &s, &cal, now);
        match *e {
            Event::DutyArrives { .. } => {
                let needed = if let Duty::Called { needed, .. } = s.duty { needed } else { now };
                s.duty = on_arrival(u, &cal, needed, now);
            }
            Event::Wake { .. } if s.wake_at == Some(now) => s.wake_at = None,
            Event::Activated { epoch, .. } if s.mode == (Mode::Activating { epoch }) => {
                s.mode = Mode::Activated;
                s.activated_at.get_or_insert(now);
            }
            _ => continue,
        }
        try_start(&mut core, &mut units, unit)?;
    }
    Ok(())
}
