//! Conferences and meetings (model.md §7): cadence by mode, who attends, sharing what
//! any participant knew at the start, the published joint situational picture, and
//! direction sent down after strategic meetings. Also activation, which switches the
//! conferences a unit convenes into activated mode.

use super::agenda::Event;
use super::knowledge::TrailOf;
use super::post::{Core, Outgoing, can_join};
use super::state::*;
use super::work::{UnitQuery, alert_duty_officer, capacity, stand_down, start_activation};
use crate::model::Conference;
use crate::scenario::spec::{Flow, MessageKind, Via};
use crate::time::SimTime;
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;

/// First ordinary meeting at or after `t`. An imposed first session
/// ([`Conference::imposed_first`]) is the anchor of the ordinary sessions.
pub fn next_ordinary(core: &Core, conf: &Conference, t: SimTime) -> Option<SimTime> {
    let (every, weekday, clock) = conf.ordinary?;
    let anchor = conf.imposed_first.unwrap_or_else(|| core.setup.calendar.next_clock(weekday, clock, 0));
    if t <= anchor {
        return Some(anchor);
    }
    Some(anchor + (t - anchor + every - 1).div_euclid(every) * every)
}

/// Applies pending activations and stand-downs, and the conferences they switch.
pub fn apply_activations(mut shared: ResMut<Shared>, mut units: UnitQuery, mut confs: Query<&mut ConfState>) {
    let mut core = shared.core();
    let model = core.model();
    for (unit, what) in std::mem::take(&mut core.pending.activate) {
        let changed = match what {
            Activation::Start => start_activation(&mut core, &mut units, unit),
            Activation::StandDown => stand_down(&mut core, &mut units, unit),
        };
        if !changed {
            continue;
        }
        for &c in &core.setup.convenes[unit as usize].clone() {
            let conf = &model.conferences[c as usize];
            let Ok(mut st) = confs.get_mut(core.setup.conference_entities[c as usize]) else { continue };
            match what {
                Activation::Start => {
                    let Some((_, first_after)) = &conf.activated else { continue };
                    st.activated = true;
                    st.epoch += 1;
                    let drawn = core.now() + first_after.sample(&mut st.rng);
                    // An imposed first session not yet reached replaces the first call.
                    let at = conf.imposed_first.filter(|&t| t > core.now()).unwrap_or(drawn);
                    core.schedule(at, Event::ConfStart { conf: c, epoch: st.epoch });
                    for &p in &conf.participants {
                        alert_duty_officer(&mut core, &mut units, p, at);
                    }
                }
                Activation::StandDown => {
                    st.activated = false;
                    st.epoch += 1;
                    if let Some(at) = next_ordinary(&core, conf, core.now()) {
                        core.schedule(at, Event::ConfStart { conf: c, epoch: st.epoch });
                    }
                }
            }
        }
    }
}

/// Handles `ConfStart`: who is present, and what they know between them.
pub fn start_conferences(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut confs: Query<&mut ConfState>,
    mut units: UnitQuery,
) {
    let (mut core, knowledge) = shared.core_and_knowledge();
    let now = core.now();
    let model = core.model();
    for e in events {
        let Event::ConfStart { conf: c, epoch } = *e else { continue };
        let conf = &model.conferences[c as usize];
        let Ok(mut st) = confs.get_mut(core.setup.conference_entities[c as usize]) else { continue };
        if st.epoch != epoch {
            continue;
        }
        if let Some(running) = &st.session {
            // Called while a session is still on (e.g. activation mid-session): meet
            // as soon as it ends.
            core.schedule(running.start + conf.duration, Event::ConfStart { conf: c, epoch });
            continue;
        }
        let every = if st.activated { conf.activated.as_ref().map(|a| a.0) } else { conf.ordinary.map(|o| o.0) };
        if let Some(every) = every {
            core.schedule(now + every, Event::ConfStart { conf: c, epoch });
            if st.activated {
                // In activated mode the next meeting is called now: duty officers of
                // participants who would be off duty then are alerted.
                for &p in &conf.participants {
                    alert_duty_officer(&mut core, &mut units, p, now + every);
                }
            }
        }
        let present: Vec<u32> =
            conf.participants.iter().copied().filter(|&p| attends(&core, &units, conf, p)).collect();
        if present.len() < 2 || !present.contains(&conf.convener) {
            continue;
        }
        let last = st.last.take().filter(|s| s.present == present);
        let (union, held) =
            if conf.shares_knowledge { union_of(&knowledge.known, &present, last) } else { (vec![], vec![]) };
        st.session = Some(Session { start: now, present, union, held });
        core.schedule(now + conf.duration, Event::ConfEnd { conf: c });
    }
}

fn attends(core: &Core, units: &UnitQuery, conf: &Conference, p: u32) -> bool {
    let model = &core.setup.model;
    let Ok((s, _, _)) = units.get(core.setup.unit_entities[p as usize]) else { return false };
    capacity(&model.units[p as usize], s, &core.setup.calendar, core.now()) > 0
        && can_join(core.net, core.setup, conf.channel, p)
}

/// Every fact some present unit knows, with the trail of the earliest of them to know it,
/// and each present unit's own trail of it ([`Session::held`]). The participants' bitsets
/// are or-ed word by word; for each fact in the union the earliest knower's trail is the
/// lowest-numbered trail among the present units' (trail points are numbered in the order
/// made, and a unit's own point of a fact is made when it learns it, or shared with the
/// first to learn it at the same session). The cost is participants × known facts,
/// independent of how many facts or units the world holds.
///
/// `last`, the last session of the same units, saves most of that: every fact of its union
/// is still known to all of them with the same trails (knowledge is never lost, and who
/// learned it since did so after the earliest knower), so only facts new to the union are
/// looked up.
fn union_of(known: &[Known], present: &[u32], last: Option<Session>) -> (Vec<Carried>, Vec<u32>) {
    let knowns: Vec<&Known> = present.iter().map(|&p| &known[p as usize]).collect();
    let words = knowns.iter().map(|k| k.words().len()).max().unwrap_or(0);
    let mut fresh = vec![0u64; words];
    for k in &knowns {
        fresh.iter_mut().zip(k.words()).for_each(|(a, b)| *a |= b);
    }
    let last = last.unwrap_or_default();
    for c in &last.union {
        if let Some(w) = fresh.get_mut(c.fact as usize / 64) {
            *w &= !(1 << (c.fact % 64));
        }
    }
    if fresh.iter().all(|&w| w == 0) {
        return (last.union, last.held);
    }
    let (old, np) = (last.union.len(), knowns.len());
    let facts = old + fresh.iter().map(|w| w.count_ones() as usize).sum::<usize>();
    let mut union = Vec::with_capacity(facts);
    let mut held = vec![NONE; facts * np];
    let mut next_old = 0;
    let mut keep_old = |union: &mut Vec<Carried>, held: &mut Vec<u32>, below: u32| {
        while next_old < old && last.union[next_old].fact < below {
            (0..np).for_each(|j| held[j * facts + union.len()] = last.held[j * old + next_old]);
            union.push(last.union[next_old]);
            next_old += 1;
        }
    };
    for (w, &word) in fresh.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            let fact = (w * 64) as u32 + bits.trailing_zeros();
            bits &= bits - 1;
            keep_old(&mut union, &mut held, fact);
            let mut first = NONE;
            for (j, k) in knowns.iter().enumerate() {
                let own = k.trail(fact).unwrap_or(NONE);
                held[j * facts + union.len()] = own;
                first = first.min(own);
            }
            if first != NONE {
                union.push(Carried { fact, trail: first });
            }
        }
    }
    keep_old(&mut union, &mut held, u32::MAX);
    (union, held)
}

/// Handles `ConfEnd`: knowledge shared, public messages agreed, requests decided,
/// the picture compiled, direction sent.
pub fn end_conferences(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut confs: Query<&mut ConfState>,
    mut clog: ResMut<ConferenceLog>,
) {
    let (mut core, learning) = shared.core_and_knowledge();
    let now = core.now();
    let model = core.model();
    for e in events {
        let Event::ConfEnd { conf: c } = *e else { continue };
        let conf = &model.conferences[c as usize];
        let Ok(mut st) = confs.get_mut(core.setup.conference_entities[c as usize]) else { continue };
        let Some(mut session) = st.session.take() else { continue };
        st.sessions += 1;
        let meeting = learning.log.meeting(session.start, now);
        let learned = share(learning, &core, c, &mut session, meeting, now);
        clog.held.push(ConferenceRow {
            conference: c,
            start: session.start,
            end: now,
            participants: session.present.len() as u32,
            facts_shared: session.union.len() as u32,
            learned,
        });
        if conf.agrees_public {
            core.pending.agreed.extend(session.union.iter().map(|u| u.fact));
        }
        if conf.decides_requests {
            core.pending.requests.push(RequestCmd::Decide { conf: c, present: session.present.clone() });
        }
        if let Some(pic) = &conf.picture
            && !session.union.is_empty()
        {
            let compile = pic.compile.sample(&mut st.rng);
            let carried = picture_trails(learning, &session, now + compile);
            st.pictures.push_back(carried);
            core.schedule(now + compile, Event::Picture { conf: c });
        }
        if conf.direction.is_some() {
            send_direction(&mut core, learning, &session, c, st.sessions);
        }
        st.last = conf.shares_knowledge.then_some(session);
    }
}

/// Every present unit learns the facts of the union it did not know; all who learn a
/// fact at this session share one trail. Returns how many learned.
fn share(learning: &mut Knowledge, core: &Core, c: u32, session: &mut Session, meeting: u32, now: SimTime) -> u32 {
    let mut learned = 0;
    let nu = session.union.len();
    if !session.held.contains(&NONE) {
        return 0;
    }
    let mut shared = vec![NONE; nu];
    for (j, &p) in session.present.iter().enumerate() {
        for (i, carried) in session.union.iter().enumerate() {
            if session.held[j * nu + i] != NONE {
                continue;
            }
            let trail = match shared[i] {
                NONE => TrailOf::New { from: carried.trail, step: Step::meeting(meeting) },
                t => TrailOf::Shared(t),
            };
            session.held[j * nu + i] =
                match learning.learn(core.setup, p, carried.fact, now, Via::Conference, trail, c, NONE) {
                    Some(t) => {
                        shared[i] = t;
                        learned += 1;
                        t
                    }
                    // Learned during the session from a message, or refused at the guard.
                    None => learning.trail_of(p, carried.fact).unwrap_or(NONE),
                };
        }
    }
    learned
}

/// Trails of the facts in a picture published at `published`: the earliest knower's
/// trail, then the meeting and the compilation after it (until `published`).
fn picture_trails(learning: &mut Knowledge, session: &Session, published: SimTime) -> Carrying {
    let log = &mut learning.log;
    let meeting = log.meeting(session.start, published);
    let mut out = Vec::with_capacity(session.union.len());
    for carried in &session.union {
        let trail = log.trail(carried.trail, Step::meeting(meeting));
        out.push(Carried { fact: carried.fact, trail });
    }
    Carrying::from(out)
}

fn send_direction(core: &mut Core, learning: &Knowledge, session: &Session, c: u32, number: u32) {
    let model = core.model();
    let nu = session.union.len();
    for (j, &p) in session.present.iter().enumerate() {
        for &l in &model.units[p as usize].out_links {
            let link = &model.links[l as usize];
            if link.flow != Flow::Direction {
                continue;
            }
            let facts = &learning.facts;
            let carried: Vec<Carried> = session
                .union
                .iter()
                .zip(&session.held[j * nu..(j + 1) * nu])
                .filter(|&(u, &own)| own != NONE && facts.severity(u.fact) >= link.threshold)
                .map(|(u, &trail)| Carried { fact: u.fact, trail })
                .collect();
            let severity = carried.iter().map(|u| facts.severity(u.fact)).max().unwrap_or(5);
            core.send(Outgoing {
                kind: MessageKind::Direction,
                from: p,
                to: link.to,
                route: Route::Link(l),
                facts: Carrying::from(carried),
                severity,
                payload: Payload::Direction { conf: c, session: number },
            });
        }
    }
}

/// Handles `Picture`: the joint situational picture is published to its readers.
pub fn publish_pictures(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut confs: Query<&mut ConfState>,
    mut clog: ResMut<ConferenceLog>,
) {
    let (mut core, knowledge) = shared.core_and_knowledge();
    let facts = &knowledge.facts;
    let model = core.model();
    for e in events {
        let Event::Picture { conf: c } = *e else { continue };
        let conf = &model.conferences[c as usize];
        let Some(pic) = &conf.picture else { continue };
        let Ok(mut st) = confs.get_mut(core.setup.conference_entities[c as usize]) else { continue };
        let Some(carried) = st.pictures.pop_front() else { continue };
        let severity = carried.iter().map(|u| facts.severity(u.fact)).max().unwrap_or(1);
        for &to in &pic.to {
            core.send(Outgoing {
                kind: MessageKind::Picture,
                from: conf.convener,
                to,
                route: Route::Channel(pic.channel),
                facts: carried.clone(),
                severity,
                payload: Payload::Picture(c),
            });
        }
        clog.pictures.push((c, core.now(), carried.len() as u32));
    }
}

/// Direction processed by a unit: activate, release resources, set priorities, pass it down.
pub fn handle_directions(
    mut shared: ResMut<Shared>,
    mut clog: ResMut<ConferenceLog>,
    mut resources: ResMut<ResourceBook>,
) {
    let mut core = shared.core();
    let model = core.model();
    for (unit, msg) in std::mem::take(&mut core.pending.directions) {
        let m = core.book.messages[msg as usize].clone();
        let Payload::Direction { conf, session } = m.payload else { continue };
        if !clog.directions_seen.insert((unit, conf, session)) {
            continue;
        }
        let Some(d) = &model.conferences[conf as usize].direction else { continue };
        if d.activate {
            core.pending.activate.push((unit, Activation::Start));
        }
        let org = model.units[unit as usize].org;
        if d.release_resources {
            for &p in &core.setup.pools_by_org[org as usize] {
                resources.pools[p as usize].released = true;
            }
        }
        if !d.prioritise.is_empty() {
            for inc in
                resources.incidents.iter_mut().filter(|i| d.prioritise.iter().any(|n| incident_matches(&i.name, n)))
            {
                inc.prioritised = true;
            }
        }
        for &l in &model.units[unit as usize].out_links {
            let link = &model.links[l as usize];
            if link.flow == Flow::Direction && link.to != m.from {
                let out = Outgoing {
                    kind: MessageKind::Direction,
                    from: unit,
                    to: link.to,
                    route: Route::Link(l),
                    facts: m.facts.clone(),
                    severity: m.severity,
                    payload: m.payload,
                };
                core.relay(out);
            }
        }
    }
}

/// `name` is the incident or a repetition of it (`name#k`).
pub fn incident_matches(incident: &str, name: &str) -> bool {
    incident == name || incident.split_once('#').is_some_and(|(base, _)| base == name)
}
