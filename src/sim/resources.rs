//! Incidents and resources (model.md §8): demand that grows while unmet, the
//! responsible organisation's own resources first (närhetsprincipen), requests for the
//! rest, decided at conferences, bilaterally or at once under standing agreements; lent
//! resources arriving after mobilisation; and the resource picture over time
//! (unmet and idle-while-short resource-time).

use super::agenda::Event;
use super::knowledge::TrailOf;
use super::post::{Core, Outgoing};
use super::state::*;
use crate::model::{Action, Model};
use crate::scenario::spec::{Flow, LendPolicy, MessageKind, Via};
use crate::time::SimTime;
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;

// Columns of ResourceBook::current.
const IN_USE: usize = 0;
const IDLE: usize = 1;
const TRANSIT: usize = 2;
const DEMANDED: usize = 3;
const UNMET: usize = 4;

/// What one organisation's values add to its kind's totals: (unmet, idle while not short).
fn contribution(v: &[i64; 5]) -> (i64, i64) {
    (v[UNMET], if v[UNMET] == 0 { v[IDLE] } else { 0 })
}

impl ResourceBook {
    /// Brings the unmet and idle-while-short integrals up to `now`.
    fn integrate(&mut self, now: SimTime) {
        let dt = (now - self.integrated_to).max(0) as f64;
        if dt > 0.0 {
            let unmet: i64 = self.unmet_by_kind.iter().sum();
            let iws: i64 =
                self.unmet_by_kind.iter().zip(&self.idle_free_by_kind).map(|(u, i)| (*u).min(*i).max(0)).sum();
            self.unmet_time += unmet as f64 * dt;
            self.idle_while_short_time += iws as f64 * dt;
        }
        self.integrated_to = self.integrated_to.max(now);
    }

    /// Changes the values of (org, kind) by `delta` at `now` and records a row.
    fn adjust(&mut self, now: SimTime, org: u32, kind: u32, delta: [i64; 5]) {
        self.integrate(now);
        let entry = self.current.entry((org, kind)).or_insert([0; 5]);
        let before = *entry;
        for (v, d) in entry.iter_mut().zip(delta) {
            *v += d;
        }
        let values = *entry;
        // The per-kind totals change by this organisation's contribution only.
        let (k, (u0, f0), (u1, f1)) = (kind as usize, contribution(&before), contribution(&values));
        self.unmet_by_kind[k] += u1 - u0;
        self.idle_free_by_kind[k] += f1 - f0;
        let row = ResourceRow {
            time: now,
            org,
            kind,
            in_use: values[IN_USE] as u32,
            idle: values[IDLE] as u32,
            in_transit: values[TRANSIT] as u32,
            demanded: values[DEMANDED] as u32,
            unmet: values[UNMET] as u32,
        };
        match self.last_row.get(&(org, kind)) {
            Some(&i) if self.rows[i].time == now => self.rows[i] = row,
            _ => {
                self.last_row.insert((org, kind), self.rows.len());
                self.rows.push(row);
            }
        }
    }

    /// Records the starting picture: every pool idle.
    pub fn start(&mut self, model: &Model) {
        self.unmet_by_kind = vec![0; model.resource_types.len()];
        self.idle_free_by_kind = vec![0; model.resource_types.len()];
        for p in &model.pools {
            self.adjust(0, p.org, p.kind, [0, p.count as i64, 0, 0, 0]);
        }
    }

    /// Brings the integrals to the end of the run.
    pub fn finish(&mut self, end: SimTime) {
        self.integrate(end);
    }
}

/// Sends `count` resources of `pool` to a demand of an incident.
fn assign(book: &mut ResourceBook, core: &mut Core, pool: u32, incident: u32, demand: u32, count: u32, request: u32) {
    let now = core.now();
    let model = core.model();
    let p = &model.pools[pool as usize];
    let lent = p.org != book.incidents[incident as usize].org;
    let state = &mut book.pools[pool as usize];
    state.idle -= count;
    state.transit += count;
    let travel = if lent { p.mobilisation.sample(&mut state.rng) } else { p.response.sample(&mut state.rng) };
    let d = &mut book.incidents[incident as usize].demands[demand as usize];
    d.uncovered -= count;
    d.en_route += count;
    book.adjust(now, p.org, p.kind, [0, -(count as i64), count as i64, 0, 0]);
    let id = book.assignments.len() as u32;
    book.assignments.push(Assignment { pool, incident, demand, count, lent, request });
    core.schedule(now + travel, Event::Arrive { assignment: id });
}

/// The responsible organisation covers what it can with its own idle resources,
/// nearest (same area) first.
fn assign_own(book: &mut ResourceBook, core: &mut Core, incident: u32, demand: u32) {
    let model = core.model();
    let inc = &book.incidents[incident as usize];
    let (org, area) = (inc.org, inc.area);
    let kind = inc.demands[demand as usize].kind;
    let mut pools: Vec<u32> = core.setup.pools_by_org[org as usize]
        .iter()
        .copied()
        .filter(|&p| model.pools[p as usize].kind == kind)
        .collect();
    pools.sort_by_key(|&p| (model.pools[p as usize].area != area, p));
    for p in pools {
        let need = book.incidents[incident as usize].demands[demand as usize].uncovered;
        let take = need.min(book.pools[p as usize].idle);
        if take > 0 {
            assign(book, core, p, incident, demand, take, NONE);
        }
    }
}

/// Adds `count` new jobs to a demand and covers them: own resources, then requests.
fn add_jobs(book: &mut ResourceBook, core: &mut Core, learning: &Knowledge, incident: u32, demand: u32, count: u32) {
    let now = core.now();
    let inc = &mut book.incidents[incident as usize];
    let org = inc.org;
    let d = &mut inc.demands[demand as usize];
    d.total += count;
    d.uncovered += count;
    let kind = d.kind;
    book.adjust(now, org, kind, [0, 0, 0, count as i64, count as i64]);
    assign_own(book, core, incident, demand);
    raise_request(book, core, learning, incident, demand);
    schedule_growth(book, core, incident, demand);
}

fn schedule_growth(book: &mut ResourceBook, core: &mut Core, incident: u32, demand: u32) {
    let d = &mut book.incidents[incident as usize].demands[demand as usize];
    if let Some((every, _)) = d.growth
        && !d.growth_pending
        && d.uncovered + d.en_route > 0
        && d.total < d.max
    {
        d.growth_pending = true;
        core.schedule(core.now() + every, Event::Growth { incident, demand });
    }
}

/// Asks for what is neither covered nor already asked for.
fn raise_request(book: &mut ResourceBook, core: &mut Core, learning: &Knowledge, incident: u32, demand: u32) {
    let now = core.now();
    let inc = &book.incidents[incident as usize];
    let d = &inc.demands[demand as usize];
    let need = d.uncovered.saturating_sub(d.requested);
    if need == 0 {
        return;
    }
    let (responsible, org, kind, fact) = (inc.responsible, inc.org, d.kind, inc.fact);
    let r = new_request(book, incident, demand, kind, need, now, vec![responsible]);
    let partners = agreement_partners(core.setup, org, kind);
    if !partners.is_empty() {
        decide(book, core, r, &partners);
    }
    if !book.requests[r as usize].open {
        return;
    }
    let model = core.model();
    let trail = learning.trail_of(responsible, fact);
    for &l in &model.units[responsible as usize].out_links {
        let link = &model.links[l as usize];
        if link.flow != Flow::Request {
            continue;
        }
        let facts = Carrying::from(trail.map(|t| vec![Carried { fact, trail: t }]).unwrap_or_default());
        let severity = book.incidents[incident as usize].severity;
        core.send(Outgoing {
            kind: MessageKind::Request,
            from: responsible,
            to: link.to,
            route: Route::Link(l),
            facts,
            severity,
            payload: Payload::Request(r),
        });
    }
}

fn new_request(
    book: &mut ResourceBook,
    incident: u32,
    demand: u32,
    kind: u32,
    quantity: u32,
    now: SimTime,
    holders: Vec<u32>,
) -> u32 {
    let r = book.requests.len() as u32;
    book.incidents[incident as usize].demands[demand as usize].requested += quantity;
    book.requests_by_org.entry(book.incidents[incident as usize].org).or_default().push(r);
    for &h in &holders {
        book.held.entry(h).or_default().push(r);
    }
    book.requests.push(RequestRec {
        incident,
        demand,
        kind,
        quantity,
        requested: now,
        decided: None,
        arrived: None,
        lenders: vec![],
        unmet: 0,
        open: true,
        holders,
    });
    r
}

/// Organisations that lend `kind` to `org` at once under a standing agreement.
fn agreement_partners(setup: &Setup, org: u32, kind: u32) -> Vec<u32> {
    let model = &setup.model;
    let mut out = Vec::new();
    for a in setup.agreements_by_org[org as usize].iter().map(|&a| &model.agreements[a as usize]) {
        if !a.kinds.contains(&kind) {
            continue;
        }
        for &o in &a.orgs {
            if o != org && !out.contains(&o) {
                out.push(o);
            }
        }
    }
    out
}

/// Decides an open request against the idle, lendable resources of `lenders`.
fn decide(book: &mut ResourceBook, core: &mut Core, r: u32, lenders: &[u32]) {
    let now = core.now();
    let model = core.model();
    let req = book.requests[r as usize].clone();
    if !req.open {
        return;
    }
    let inc = &book.incidents[req.incident as usize];
    let uncovered = inc.demands[req.demand as usize].uncovered;
    let (inc_org, inc_area) = (inc.org, inc.area);
    let qty = req.quantity.min(uncovered);
    let mut lenders = lenders.to_vec();
    lenders.sort_unstable();
    lenders.dedup();
    let mut pools: Vec<u32> = lenders
        .iter()
        .filter(|&&o| o != inc_org)
        .flat_map(|&o| core.setup.pools_by_org[o as usize].iter().copied())
        .filter(|&p| {
            let pool = &model.pools[p as usize];
            pool.kind == req.kind && lendable(pool.lend, book.pools[p as usize].released)
        })
        .collect();
    pools.sort_by(|a, b| {
        let (pa, pb) = (&model.pools[*a as usize], &model.pools[*b as usize]);
        (pa.area != inc_area)
            .cmp(&(pb.area != inc_area))
            .then(pa.mobilisation.mean().total_cmp(&pb.mobilisation.mean()))
            .then(a.cmp(b))
    });
    let mut allocated = 0;
    let mut used = Vec::new();
    for p in pools {
        let spare = book.pools[p as usize].idle.saturating_sub(model.pools[p as usize].reserve);
        let take = spare.min(qty - allocated);
        if take > 0 {
            assign(book, core, p, req.incident, req.demand, take, r);
            allocated += take;
            let org = model.pools[p as usize].org;
            if !used.contains(&org) {
                used.push(org);
            }
        }
    }
    if allocated == 0 && qty > 0 {
        return;
    }
    let unmet = qty - allocated;
    let rec = &mut book.requests[r as usize];
    rec.open = false;
    rec.decided = Some(now);
    rec.lenders = used;
    rec.unmet = unmet;
    book.incidents[req.incident as usize].demands[req.demand as usize].requested -= req.quantity;
    if let Some(list) = book.requests_by_org.get_mut(&inc_org) {
        list.retain(|&x| x != r);
    }
    if unmet > 0 {
        new_request(book, req.incident, req.demand, req.kind, unmet, now, req.holders.clone());
    }
}

fn lendable(policy: LendPolicy, released: bool) -> bool {
    match policy {
        LendPolicy::Always => true,
        LendPolicy::OnDirection => released,
        LendPolicy::Never => false,
    }
}

/// Newly idle resources of a pool: own incidents first, then agreement partners' open requests.
fn serve_waiting(book: &mut ResourceBook, core: &mut Core, pool: u32) {
    let model = core.model();
    let p = &model.pools[pool as usize];
    let mut waiting: Vec<(u32, u32)> = Vec::new();
    for &i in book.incidents_by_org.get(&p.org).map_or(&[][..], |v| v.as_slice()) {
        for (d, dem) in book.incidents[i as usize].demands.iter().enumerate() {
            if dem.kind == p.kind && dem.uncovered > 0 {
                waiting.push((i, d as u32));
            }
        }
    }
    waiting.sort_by_key(|(i, _)| {
        let inc = &book.incidents[*i as usize];
        (!inc.prioritised, std::cmp::Reverse(inc.severity), *i)
    });
    for (i, d) in waiting {
        let take = book.incidents[i as usize].demands[d as usize].uncovered.min(book.pools[pool as usize].idle);
        if take > 0 {
            assign(book, core, pool, i, d, take, NONE);
        }
    }
    // Agreements are symmetric: the partners of the pool's organisation are the
    // organisations whose requests it may serve.
    let mut open: Vec<u32> = agreement_partners(core.setup, p.org, p.kind)
        .iter()
        .flat_map(|o| book.requests_by_org.get(o).map_or(&[][..], |v| v.as_slice()).iter().copied())
        .filter(|&r| book.requests[r as usize].open && book.requests[r as usize].kind == p.kind)
        .collect();
    open.sort_unstable();
    for r in open {
        decide(book, core, r, &[p.org]);
    }
}

/// Opens the incidents fired by injects this instant.
pub fn open_incidents(mut shared: ResMut<Shared>, mut book: ResMut<ResourceBook>) {
    let (mut core, learning) = shared.core_and_knowledge();
    let now = core.now();
    let model = core.model();
    for (inject, rep) in std::mem::take(&mut core.pending.incidents) {
        let inj = &model.injects[inject as usize];
        let Action::Incident { area, severity, responsible, text, demand } = &inj.action else { continue };
        let name = super::injects::occurrence_id(model, inject, rep);
        let fact =
            learning.create_fact(name.clone(), now, *responsible, *severity, crate::model::ALL_LEVELS, text.clone());
        learning.learn(core.setup, *responsible, fact, now, Via::Origin, TrailOf::Origin, NONE, NONE);
        let index = book.incidents.len() as u32;
        let rng = super::rng::stream(core.setup.seed, &format!("incident:{name}"));
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
}

/// Grows incidents (`grow` injects) and changes pools (`resources` injects).
pub fn grow_incident(book: &mut ResourceBook, core: &mut Core, learning: &Knowledge, name: &str, kind: u32, add: u32) {
    let target = book.incident_names.get(name).copied().or_else(|| {
        book.incidents.iter().rev().find(|i| super::conference::incident_matches(&i.name, name)).map(|i| i.index)
    });
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
pub fn resource_events(InRef(events): InRef<[Event]>, mut shared: ResMut<Shared>, mut book: ResMut<ResourceBook>) {
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

/// Requests reaching units, and conferences deciding the requests their participants hold.
pub fn handle_requests(mut shared: ResMut<Shared>, mut book: ResMut<ResourceBook>) {
    let mut core = shared.core();
    let model = core.model();
    for cmd in std::mem::take(&mut core.pending.requests) {
        match cmd {
            RequestCmd::Received { unit, request, msg } => received(&mut book, &mut core, unit, request, msg),
            RequestCmd::Decide { present, .. } => {
                let mut held: Vec<u32> =
                    present.iter().flat_map(|u| book.held.get(u).cloned().unwrap_or_default()).collect();
                held.sort_unstable();
                held.dedup();
                held.retain(|r| book.requests[*r as usize].open);
                held.sort_by_key(|&r| {
                    let req = &book.requests[r as usize];
                    let inc = &book.incidents[req.incident as usize];
                    (!inc.prioritised, std::cmp::Reverse(inc.severity), req.requested, r)
                });
                let mut lenders: Vec<u32> = present.iter().map(|u| model.units[*u as usize].org).collect();
                lenders.sort_unstable();
                lenders.dedup();
                for r in held {
                    decide(&mut book, &mut core, r, &lenders);
                }
            }
        }
    }
}

fn received(book: &mut ResourceBook, core: &mut Core, unit: u32, request: u32, msg: u32) {
    let model = core.model();
    let held = book.held.entry(unit).or_default();
    if held.contains(&request) {
        return;
    }
    held.push(request);
    book.requests[request as usize].holders.push(unit);
    let u = &model.units[unit as usize];
    if u.decides_requests {
        decide(book, core, request, &[u.org]);
    }
    if !book.requests[request as usize].open {
        return;
    }
    let from = core.book.messages[msg as usize].from;
    let carried = core.book.messages[msg as usize].facts.clone();
    for &l in &u.out_links {
        let link = &model.links[l as usize];
        if link.flow == Flow::Request && link.to != from {
            let severity = book.incidents[book.requests[request as usize].incident as usize].severity;
            core.relay(Outgoing {
                kind: MessageKind::Request,
                from: unit,
                to: link.to,
                route: Route::Link(l),
                facts: carried.clone(),
                severity,
                payload: Payload::Request(request),
            });
        }
    }
}
