//! Units at work (model.md §5): staffing by office hours, on-call duty officers and
//! activation; a priority queue served by several handlers; and the time accounting
//! behind busy share and the "waiting for a duty officer or activation" delay part.

use super::agenda::Event;
use super::knowledge::TrailOf;
use super::post::Core;
use super::state::*;
use crate::model::Unit;
use crate::scenario::spec::{MessageKind, Via};
use crate::time::{Calendar, SimTime};
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;

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
pub fn try_start(core: &mut Core, units: &mut UnitQuery, unit: u32) {
    let now = core.now();
    let model = core.model();
    let cal = core.setup.calendar;
    let u = &model.units[unit as usize];
    let Ok((mut s, mut desk, mut rng)) = units.get_mut(core.setup.unit_entities[unit as usize]) else { return };
    account(&mut desk, u, &s, &cal, now);
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
        return;
    }
    if cap == 0 {
        wait_for_staff(core, u, unit, &mut s, &mut rng.0);
    } else if let Some(change) = cal.next_change(&u.office_hours, now) {
        wake_at(core, &mut s, unit, change);
    }
}

/// Nobody on duty and work waiting: alert the duty officer, or sleep until office hours.
fn wait_for_staff(core: &mut Core, u: &Unit, unit: u32, s: &mut Staffing, rng: &mut rand::rngs::ChaCha8Rng) {
    let now = core.now();
    if matches!(s.duty, Duty::Called { .. }) {
        return;
    }
    if let Some(response) = &u.duty_officer {
        let arrives = now + response.sample(rng);
        s.duty = Duty::Called { arrives };
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

/// A duty officer stays until normal staffing takes over: the next opening of office
/// hours after the closed period now or ahead (called in during office hours for a
/// meeting in the evening, they stay through the night).
fn duty_until(u: &Unit, cal: &Calendar, now: SimTime) -> SimTime {
    if u.handlers == 0 {
        return SimTime::MAX;
    }
    let closed_from =
        if cal.in_office(&u.office_hours, now) { cal.next_change(&u.office_hours, now) } else { Some(now) };
    closed_from.and_then(|t| cal.next_open(&u.office_hours, t)).unwrap_or(SimTime::MAX).max(now + 1)
}

/// Calls a unit's duty officer now if nobody would be on duty at `at` (e.g. a
/// conference it must attend). The duty officer then stays until office hours.
pub fn alert_duty_officer(core: &mut Core, units: &mut UnitQuery, unit: u32, at: SimTime) {
    let model = core.model();
    let cal = core.setup.calendar;
    let u = &model.units[unit as usize];
    let Ok((mut s, mut desk, mut rng)) = units.get_mut(core.setup.unit_entities[unit as usize]) else { return };
    if u.duty_officer.is_none() || capacity(u, &s, &cal, at) > 0 || matches!(s.duty, Duty::Called { .. }) {
        return;
    }
    account(&mut desk, u, &s, &cal, core.now());
    wait_for_staff(core, u, unit, &mut s, &mut rng.0);
}

/// Starts activation (normal → activating). Returns whether it started now.
pub fn start_activation(core: &mut Core, units: &mut UnitQuery, unit: u32) -> bool {
    let now = core.now();
    let model = core.model();
    let Ok((mut s, _, mut rng)) = units.get_mut(core.setup.unit_entities[unit as usize]) else { return false };
    if s.mode != Mode::Normal {
        return false;
    }
    s.epoch += 1;
    s.mode = Mode::Activating { epoch: s.epoch };
    s.activation_started.get_or_insert(now);
    let delay = model.units[unit as usize].activation_delay.sample(&mut rng.0);
    core.schedule(now + delay, Event::Activated { unit, epoch: s.epoch });
    true
}

/// Back to normal staffing. Returns whether the unit was activating or activated.
pub fn stand_down(core: &mut Core, units: &mut UnitQuery, unit: u32) -> bool {
    let model = core.model();
    let cal = core.setup.calendar;
    let Ok((mut s, mut desk, _)) = units.get_mut(core.setup.unit_entities[unit as usize]) else { return false };
    if s.mode == Mode::Normal {
        return false;
    }
    account(&mut desk, &model.units[unit as usize], &s, &cal, core.now());
    s.mode = Mode::Normal;
    s.epoch += 1;
    true
}

/// Handles `Deliver`: the message joins the receiver's queue.
pub fn deliver_messages(InRef(events): InRef<[Event]>, mut shared: ResMut<Shared>, mut units: UnitQuery) {
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
        let Ok((s, mut desk, _)) = units.get_mut(core.setup.unit_entities[to as usize]) else { continue };
        account(&mut desk, &model.units[to as usize], &s, &cal, now);
        core.book.messages[msg as usize].unstaffed_mark = desk.unstaffed_time;
        desk.seq += 1;
        let seq = desk.seq;
        desk.queue.push(Queued { severity, seq, msg });
        desk.peak_backlog = desk.peak_backlog.max(desk.queue.len() as u32);
        try_start(&mut core, &mut units, to);
    }
}

/// Handles `Done`: the unit knows what the message carried and acts on its payload.
pub fn finish_messages(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut units: UnitQuery,
    mut unknown: Local<Vec<usize>>,
) {
    let (mut core, learning) = shared.core_and_knowledge();
    let now = core.now();
    let model = core.model();
    let cal = core.setup.calendar;
    for e in events {
        let Event::Done { unit, msg } = *e else { continue };
        let Ok((s, mut desk, _)) = units.get_mut(core.setup.unit_entities[unit as usize]) else { continue };
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
        try_start(&mut core, &mut units, unit);
    }
}

/// The receiver learns every fact the message carried; its trail is the message handled
/// (the decomposition of the delay: [`super::knowledge::delay_parts`]). A relayed
/// message's facts are as its sender knows them: their trails are the sender's.
/// `unknown` is room for the positions of the facts new to the unit.
fn learn_from_message(learning: &mut Knowledge, core: &Core, msg: u32, unit: u32, unknown: &mut Vec<usize>) {
    let m = &core.book.messages[msg as usize];
    let Some(done) = m.done else { return };
    let via = if m.kind == MessageKind::Picture { Via::Picture } else { Via::Message };
    learning.unknown_to(unit, &m.facts, unknown);
    for &i in unknown.iter() {
        let c = &m.facts[i];
        let from = if m.relayed { learning.trail_of(m.from, c.fact).unwrap_or(c.trail) } else { c.trail };
        let trail = TrailOf::New { from, step: Step::message(msg) };
        learning.learn(core.setup, unit, c.fact, done, via, trail, msg, m.from);
    }
}

/// Handles `DutyArrives`, `Wake` and `Activated`.
pub fn staff_events(InRef(events): InRef<[Event]>, mut shared: ResMut<Shared>, mut units: UnitQuery) {
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
        let Ok((mut s, mut desk, _)) = units.get_mut(core.setup.unit_entities[unit as usize]) else { continue };
        account(&mut desk, u, &s, &cal, now);
        match *e {
            Event::DutyArrives { .. } => s.duty = Duty::On { until: duty_until(u, &cal, now) },
            Event::Wake { .. } if s.wake_at == Some(now) => s.wake_at = None,
            Event::Activated { epoch, .. } if s.mode == (Mode::Activating { epoch }) => {
                s.mode = Mode::Activated;
                s.activated_at.get_or_insert(now);
            }
            _ => continue,
        }
        try_start(&mut core, &mut units, unit);
    }
}
