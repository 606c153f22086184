//! Conferences and meetings (model.md §7): cadence by mode, who attends, and sharing what
//! any participant knew at the start. The joint picture is in [`picture`], direction in
//! [`direction`].

pub mod direction;
pub mod picture;

use crate::model::{Conference, Model};
use crate::sim::channels::{Core, can_join};
use crate::sim::engine::agenda::Event;
use crate::sim::units::{UnitQuery, alert_duty_officer, capacity};
use crate::sim::*;
use crate::time::SimTime;
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;
use direction::send_direction;
use picture::picture_trails;
use rand::rngs::ChaCha8Rng;

use crate::sim::engine::schedule::{FollowUp, Registry};

/// Registers the conferences handlers and followers with the engine.
pub(crate) fn register(r: &mut Registry) {
    r.handle(Phase::ConfEnd, end_conferences);
    r.handle(Phase::ConfStart, start_conferences);
    r.handle(Phase::Picture, picture::publish_pictures);
    r.follow(FollowUp::Directions, direction::handle_directions);
}

// ---------------------------------------------------------------- conferences

#[derive(Clone, Debug, Default)]
pub struct Session {
    pub start: SimTime,
    pub present: Vec<u32>,
    /// Who leads it ([`session_leader`]): the convener, or its deputy when the convener
    /// could not join.
    pub leader: u32,
    /// Facts known by some participant at the start, with the earliest knower's trail.
    pub union: Vec<Carried>,
    /// Each present unit's own trail of each fact in the union, [`NONE`] if it did not
    /// know it: entry `j * union.len() + i` is fact `union[i]` at unit `present[j]`.
    /// Known at the start, updated with what the session taught; read when direction goes out.
    pub held: Vec<u32>,
}

#[derive(Component)]
pub struct ConfState {
    pub index: u32,
    pub activated: bool,
    pub epoch: u32,
    pub session: Option<Session>,
    /// The last session, as it ended (its union and who held what at its end), reused
    /// when the same units meet again: conferences keep meeting around the clock, mostly
    /// sharing what they shared last time.
    pub last: Option<Session>,
    pub sessions: u32,
    /// Compiled pictures waiting to be published, each with the session's leader (who
    /// publishes it).
    pub pictures: std::collections::VecDeque<(u32, Carrying)>,
    pub rng: ChaCha8Rng,
}

#[derive(Clone, Debug)]
pub struct ConferenceRow {
    pub conference: u32,
    pub start: SimTime,
    pub end: SimTime,
    pub participants: u32,
    /// The unit that led the session: the convener, or its deputy ([`session_leader`]).
    pub leader: u32,
    pub facts_shared: u32,
    pub learned: u32,
}

#[derive(Resource, Default)]
pub struct ConferenceLog {
    pub held: Vec<ConferenceRow>,
    /// (conference, published at, facts in it)
    pub pictures: Vec<(u32, SimTime, u32)>,
    /// (unit, conference, session) of direction already acted on.
    pub directions_seen: rustc_hash::FxHashSet<(u32, u32, u32)>,
}

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

/// Handles `ConfStart`: who is present, and what they know between them.
pub fn start_conferences(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut confs: Query<&mut ConfState>,
    mut units: UnitQuery,
) -> Result<(), Broken> {
    let (mut core, knowledge) = shared.core_and_knowledge();
    let now = core.now();
    let model = core.model();
    for e in events {
        let Event::ConfStart { conf: c, epoch } = *e else { continue };
        let conf = &model.conferences[c as usize];
        let mut st = confs.get_mut(core.setup.conference_entities[c as usize]).map_err(missing("conference", c))?;
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
                    alert_duty_officer(&mut core, &mut units, p, now + every)?;
                }
            }
        }
        let mut present: Vec<u32> = Vec::with_capacity(conf.participants.len());
        for &p in &conf.participants {
            if attends(&core, &units, conf, p)? {
                present.push(p);
            }
        }
        if present.len() < 2 {
            continue;
        }
        let leader = session_leader(model, conf, &present);
        let last = st.last.take().filter(|s| s.present == present);
        let (union, held) =
            if conf.shares_knowledge { union_of(&knowledge.known, &present, last) } else { (vec![], vec![]) };
        st.session = Some(Session { start: now, present, leader, union, held });
        core.schedule(now + conf.duration, Event::ConfEnd { conf: c });
    }
    Ok(())
}

/// Who leads a session held with `present` (at least two participants): the convener
/// if it is present; otherwise a deputy convener, the first present participant (in the
/// conference's participant order) of the convener's organisation, else of the
/// convener's level, else the first present participant. A session is held whenever two
/// participants can join: a convener cut off (its channel down in its area, nobody on
/// duty) no longer cancels it for everyone.
pub fn session_leader(model: &Model, conf: &Conference, present: &[u32]) -> u32 {
    let convener = &model.units[conf.convener as usize];
    if present.contains(&conf.convener) {
        return conf.convener;
    }
    let unit = |p: &u32| &model.units[*p as usize];
    present
        .iter()
        .find(|p| unit(p).org == convener.org)
        .or_else(|| present.iter().find(|p| unit(p).level == convener.level))
        .or(present.first())
        .copied()
        .unwrap_or(conf.convener)
}

fn attends(core: &Core, units: &UnitQuery, conf: &Conference, p: u32) -> Result<bool, Broken> {
    let model = &core.setup.model;
    let (s, _, _) = units.get(core.setup.unit_entities[p as usize]).map_err(missing("unit", p))?;
    Ok(capacity(&model.units[p as usize], s, &core.setup.calendar, core.now()) > 0
        && can_join(core.net, core.setup, conf.channel, p))
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
) -> Result<(), Broken> {
    let (mut core, learning) = shared.core_and_knowledge();
    let now = core.now();
    let model = core.model();
    for e in events {
        let Event::ConfEnd { conf: c } = *e else { continue };
        let conf = &model.conferences[c as usize];
        let mut st = confs.get_mut(core.setup.conference_entities[c as usize]).map_err(missing("conference", c))?;
        let Some(mut session) = st.session.take() else { continue };
        st.sessions += 1;
        let meeting = learning.log.meeting(session.start, now);
        let learned = share(learning, &core, c, &mut session, meeting, now);
        clog.held.push(ConferenceRow {
            conference: c,
            start: session.start,
            end: now,
            participants: session.present.len() as u32,
            leader: session.leader,
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
            st.pictures.push_back((session.leader, carried));
            core.schedule(now + compile, Event::Picture { conf: c });
        }
        if conf.direction.is_some() {
            send_direction(&mut core, learning, &session, c, st.sessions);
        }
        st.last = conf.shares_knowledge.then_some(session);
    }
    Ok(())
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
                NONE => SessionTrail::New { from: carried.trail, meeting },
                t => SessionTrail::Shared(t),
            };
            session.held[j * nu + i] =
                match learning.learn(core.setup, p, carried.fact, now, Learning::Conference { conf: c, trail }) {
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
