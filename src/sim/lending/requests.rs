//! Requests for resources (model.md §8): raised for unmet demand, held by the units they
//! reach, decided at conferences, bilaterally or at once under standing agreements.

use crate::sim::channels::{Core, Outgoing};
use crate::sim::engine::agenda::Event;
use crate::sim::*;
use crate::time::SimTime;
use crate::vocabulary::{Flow, LendPolicy, MessageKind};
use bevy_ecs::prelude::*;

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
pub(super) fn add_jobs(
    book: &mut ResourceBook,
    core: &mut Core,
    learning: &Knowledge,
    incident: u32,
    demand: u32,
    count: u32,
) {
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
    let inc = &book.incidents[incident as usize];
    let d = &inc.demands[demand as usize];
    let need = d.uncovered.saturating_sub(d.requested);
    if need == 0 {
        return;
    }
    let responsible = inc.responsible;
    enter_request(book, core, learning, responsible, (incident, demand), need);
}

/// A request of `unit` for `need` resources of (incident, demand), entered now:
/// partners under a standing agreement decide it at once; if still open, or if they lent
/// only part of it, it (or the rest, as a new request) goes out over the unit's request
/// links (carrying the incident's fact if the unit knows it).
/// The responsible unit's own requests enter so ([`add_jobs`]), and so does a request of
/// a unit played by a person ([`crate::sim::Engine::request_resources`]). Returns the request.
pub(crate) fn enter_request(
    book: &mut ResourceBook,
    core: &mut Core,
    learning: &Knowledge,
    unit: u32,
    (incident, demand): (u32, u32),
    need: u32,
) -> u32 {
    let now = core.now();
    let inc = &book.incidents[incident as usize];
    let (org, kind, fact) = (inc.org, inc.demands[demand as usize].kind, inc.fact);
    let first = new_request(book, incident, demand, kind, need, now, vec![unit]);
    let mut r = first;
    let partners = agreement_partners(core.setup, org, kind);
    if !partners.is_empty() {
        let remainder = book.requests.len() as u32;
        decide(book, core, r, &partners);
        if !book.requests[r as usize].open {
            // Partners covered part of it: the rest goes out as a request of its own.
            match book.requests.get(remainder as usize) {
                Some(rest) if rest.open => r = remainder,
                _ => return first,
            }
        }
    }
    let model = core.model();
    let trail = learning.trail_of(unit, fact);
    for &l in &model.units[unit as usize].out_links {
        let link = &model.links[l as usize];
        if link.flow != Flow::Request {
            continue;
        }
        let facts = Carrying::from(trail.map(|t| vec![Carried { fact, trail: t }]).unwrap_or_default());
        let severity = book.incidents[incident as usize].severity;
        core.send(Outgoing {
            kind: MessageKind::Request,
            from: unit,
            to: link.to,
            route: Route::Link(l),
            facts,
            severity,
            payload: Payload::Request(r),
        });
    }
    first
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
pub(super) fn agreement_partners(setup: &Setup, org: u32, kind: u32) -> Vec<u32> {
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
pub(super) fn serve_waiting(book: &mut ResourceBook, core: &mut Core, pool: u32) {
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

/// Requests reaching units, and conferences deciding the requests their participants hold.
pub fn handle_requests(mut shared: ResMut<Shared>, mut book: ResMut<ResourceBook>) -> Result<(), Broken> {
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
    Ok(())
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
