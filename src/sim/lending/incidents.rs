//! Incidents (model.md §8): opened by injects, demand that grows while unmet, resources
//! assigned, arriving, working and coming home.

use super::requests::{add_jobs, agreement_partners, serve_waiting};
use super::{IDLE, IN_USE, TRANSIT};
use crate::model::Action;
use crate::sim::channels::Core;
use crate::sim::engine::agenda::Event;
use crate::sim::*;
use crate::time::SimTime;
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;

/// Opens the incidents fired by injects this instant.
pub fn open_incidents(mut shared: ResMut<Shared>, mut book: ResMut<ResourceBook>) -> Result<(), Broken> {
    let (mut core, learning) = shared.core_and_knowledge();
    let now = core.now();
    let model = core.model();
    for (inject, rep) in std::mem::take(&mut core.pending.incidents) {
        let inj = &model.injects[inject as usize];
        let Action::Incident { area, severity, responsible, text, demand } = &inj.action else { continue };
        let name = crate::sim::injects::occurrence_id(model, inject, rep);
        let fact = learning.create_fact(
            name.clone(),
            now,
            *responsible,
            *severity,
            crate::model::ALL_LEVELS,
            text.to_string(),
        );
        learning.learn(core.setup, *responsible, fact, now, Learning::Origin { trail: None });
        let index = book.incidents.len() as u32;
        let rng = crate::sim::rng::stream(core.setup.seed, &format!("incident:{name}"));
        book.incident_names.insert(name.clone(), index);
        book.incidents_by_org.entry(model.units[*responsible as usize].org).or_default().push(index);
        book.incidents.push(IncidentState {
            index,
            name,
            area: *area,
            severity: *severity,
            responsible: *responsible,
            org: model.units[*responsible as usize].org,
            fact,
            created: now,
            prioritised: false,
            demands: demand
                .iter()
                .map(|d| DemandState {
                    kind: d.kind,
                    duration: d.duration.clone(),
                    total: 0,
                    max: d.growth.map_or(d.quantity, |g| g.2),
                    growth: d.growth.map(|g| (g.0, g.1)),
                    growth_pending: false,
                    uncovered: 0,
                    en_route: 0,
                    in_service: 0,
                    done: 0,
                    requested: 0,
                })
                .collect(),
            rng,
        });
        for (k, d) in demand.iter().enumerate() {
            add_jobs(&mut book, &mut core, learning, index, k as u32, d.quantity);
        }
    }
    Ok(())
}

/// Grows incidents (`grow` injects) and changes pools (`resources` injects).
pub fn grow_incident(book: &mut ResourceBook, core: &mut Core, learning: &Knowledge, name: &str, kind: u32, add: u32) {
    let target = book
        .incident_names
        .get(name)
        .copied()
        .or_else(|| book.incidents.iter().rev().find(|i| super::incident_matches(&i.name, name)).map(|i| i.index));
    let Some(i) = target else { return };
    let Some(d) = book.incidents[i as usize].demands.iter().position(|d| d.kind == kind) else {
        let duration = crate::dist::Dist::ZERO;
        let inc = &mut book.incidents[i as usize];
        inc.demands.push(DemandState {
            kind,
            duration,
            total: 0,
            max: u32::MAX,
            growth: None,
            growth_pending: false,
            uncovered: 0,
            en_route: 0,
            in_service: 0,
            done: 0,
            requested: 0,
        });
        let d = inc.demands.len() as u32 - 1;
        return add_jobs(book, core, learning, i, d, add);
    };
    let dem = &mut book.incidents[i as usize].demands[d];
    dem.max = dem.max.max(dem.total + add);
    add_jobs(book, core, learning, i, d as u32, add);
}

pub fn change_pool(book: &mut ResourceBook, core: &mut Core, pool: u32, add: i64) {
    let model = core.model();
    let p = &model.pools[pool as usize];
    let state = &mut book.pools[pool as usize];
    let delta = if add >= 0 { add } else { -(state.idle as i64).min(-add) };
    state.idle = (state.idle as i64 + delta) as u32;
    book.adjust(core.now(), p.org, p.kind, [0, delta, 0, 0, 0]);
    if delta > 0 {
        serve_waiting(book, core, pool);
    }
}

/// Handles `Arrive`, `JobDone`, `JobsDone`, `Home`, `AllHome` and `Growth`.
pub fn resource_events(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut book: ResMut<ResourceBook>,
) -> Result<(), Broken> {
    let (mut core, learning) = shared.core_and_knowledge();
    for e in events {
        match *e {
            Event::Arrive { assignment } => arrive(&mut book, &mut core, assignment),
            Event::JobDone { assignment } => job_done(&mut book, &mut core, assignment, 1),
            Event::JobsDone { assignment, count } => job_done(&mut book, &mut core, assignment, count),
            Event::Home { assignment } => make_idle(&mut book, &mut core, assignment, 1, Freed::Transit),
            Event::AllHome { assignment, count } => make_idle(&mut book, &mut core, assignment, count, Freed::Transit),
            Event::Growth { incident, demand } => {
                let d = &mut book.incidents[incident as usize].demands[demand as usize];
                d.growth_pending = false;
                let Some((_, add)) = d.growth else { continue };
                if d.uncovered + d.en_route > 0 && d.total < d.max {
                    let add = add.min(d.max - d.total);
                    add_jobs(&mut book, &mut core, learning, incident, demand, add);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn arrive(book: &mut ResourceBook, core: &mut Core, assignment: u32) {
    let now = core.now();
    let a = book.assignments[assignment as usize];
    let model = core.model();
    let p = &model.pools[a.pool as usize];
    let inc_org = book.incidents[a.incident as usize].org;
    book.pools[a.pool as usize].transit -= a.count;
    book.pools[a.pool as usize].busy += a.count;
    book.adjust(now, p.org, p.kind, [a.count as i64, 0, -(a.count as i64), 0, 0]);
    let inc = &mut book.incidents[a.incident as usize];
    let d = &mut inc.demands[a.demand as usize];
    d.en_route -= a.count;
    d.in_service += a.count;
    let done = |count| if count == 1 { Event::JobDone { assignment } } else { Event::JobsDone { assignment, count } };
    schedule_each(core, &d.duration, &mut inc.rng, a.count, done);
    book.adjust(now, inc_org, p.kind, [0, 0, 0, 0, -(a.count as i64)]);
    if a.request != NONE {
        let r = &mut book.requests[a.request as usize];
        r.arrived = Some(r.arrived.map_or(now, |t| t.max(now)));
    }
}

fn job_done(book: &mut ResourceBook, core: &mut Core, assignment: u32, count: u32) {
    let a = book.assignments[assignment as usize];
    if !a.lent {
        return make_idle(book, core, assignment, count, Freed::Job);
    }
    let now = core.now();
    let p = &core.model().pools[a.pool as usize];
    jobs_finished(book, now, a, p.kind, count);
    let state = &mut book.pools[a.pool as usize];
    state.busy -= count;
    state.transit += count;
    let home = |count| if count == 1 { Event::Home { assignment } } else { Event::AllHome { assignment, count } };
    schedule_each(core, &p.mobilisation, &mut state.rng, count, home);
    book.adjust(now, p.org, p.kind, [-(count as i64), 0, count as i64, 0, 0]);
}

/// `count` jobs of an assignment's demand are done.
fn jobs_finished(book: &mut ResourceBook, now: SimTime, a: Assignment, kind: u32, count: u32) {
    let inc_org = book.incidents[a.incident as usize].org;
    let d = &mut book.incidents[a.incident as usize].demands[a.demand as usize];
    d.in_service -= count;
    d.done += count;
    book.adjust(now, inc_org, kind, [0, 0, 0, -(count as i64), 0]);
}

/// Where resources becoming idle come from: a job of their own organisation, or the way home.
#[derive(Clone, Copy, PartialEq)]
enum Freed {
    Job,
    Transit,
}

/// Makes `count` resources of an assignment idle again: one by one while someone waits
/// for them (each may be sent on at once, as a resource of its own), the rest together
/// once nobody does (each would have been handed to nobody). Work is per resource
/// only while resources are sent on, and the results are those of one at a time.
fn make_idle(book: &mut ResourceBook, core: &mut Core, assignment: u32, count: u32, from: Freed) {
    let now = core.now();
    let a = book.assignments[assignment as usize];
    let p = &core.model().pools[a.pool as usize];
    let mut left = count;
    while left > 0 {
        let waiting = has_takers(book, core.setup, a.pool);
        let n = if waiting { 1 } else { left };
        if from == Freed::Job {
            jobs_finished(book, now, a, p.kind, n);
        }
        let state = &mut book.pools[a.pool as usize];
        state.idle += n;
        let (n64, source) = (n as i64, if from == Freed::Job { IN_USE } else { TRANSIT });
        match from {
            Freed::Job => state.busy -= n,
            Freed::Transit => state.transit -= n,
        }
        let mut delta = [0; 5];
        delta[IDLE] = n64;
        delta[source] = -n64;
        book.adjust(now, p.org, p.kind, delta);
        if waiting {
            serve_waiting(book, core, a.pool);
        }
        left -= n;
    }
}

/// Whether `serve_waiting` would do anything for a pool: an own incident lacks its kind,
/// or a partner's request for it is open.
fn has_takers(book: &ResourceBook, setup: &Setup, pool: u32) -> bool {
    let p = &setup.model.pools[pool as usize];
    let own = book.incidents_by_org.get(&p.org).is_some_and(|v| {
        v.iter().any(|&i| book.incidents[i as usize].demands.iter().any(|d| d.kind == p.kind && d.uncovered > 0))
    });
    own || agreement_partners(setup, p.org, p.kind).iter().any(|o| {
        book.requests_by_org.get(o).is_some_and(|v| {
            v.iter().any(|&r| book.requests[r as usize].open && book.requests[r as usize].kind == p.kind)
        })
    })
}

/// Draws `count` times from `dist` (one draw per resource, as ever) and schedules one
/// event per distinct instant, made by `event` from the number of resources due then.
/// The agenda holds as many entries as there are distinct instants, not resources.
fn schedule_each(
    core: &mut Core,
    dist: &crate::dist::Dist,
    rng: &mut rand::rngs::ChaCha8Rng,
    count: u32,
    event: impl Fn(u32) -> Event,
) {
    let now = core.now();
    let mut due: Vec<(SimTime, u32)> = Vec::new();
    let mut index: rustc_hash::FxHashMap<SimTime, usize> = Default::default();
    for _ in 0..count {
        let t = dist.sample(rng);
        match due.last_mut() {
            Some((last, n)) if *last == t => *n += 1,
            _ => match index.get(&t) {
                Some(&i) => due[i].1 += 1,
                None => {
                    index.insert(t, due.len());
                    due.push((t, 1));
                }
            },
        }
    }
    for (t, n) in due {
        core.schedule(now + t, event(n));
    }
}
