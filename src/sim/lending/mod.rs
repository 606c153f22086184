//! Incidents and resources (model.md §8): demand that grows while unmet, the
//! responsible organisation's own resources first (närhetsprincipen), requests for the
//! rest, decided at conferences, bilaterally or at once under standing agreements; lent
//! resources arriving after mobilisation; and the resource picture over time
//! (unmet and idle-while-short resource-time).

pub mod incidents;
pub mod requests;

use crate::model::Model;
use crate::sim::*;
use crate::time::SimTime;
use bevy_ecs::prelude::*;
use rand::rngs::ChaCha8Rng;
use rustc_hash::FxHashMap;

use crate::sim::engine::schedule::{FollowUp, Registry};

/// Registers the lending handlers and followers with the engine.
pub(crate) fn register(r: &mut Registry) {
    r.handle(Phase::Resource, incidents::resource_events);
    r.follow(FollowUp::Incidents, incidents::open_incidents);
    r.follow(FollowUp::Requests, requests::handle_requests);
}

// ---------------------------------------------------------------- resources

#[derive(Debug)]
pub struct PoolState {
    pub index: u32,
    pub idle: u32,
    pub busy: u32,
    pub transit: u32,
    pub released: bool,
    pub rng: ChaCha8Rng,
}

#[derive(Clone, Debug)]
pub struct DemandState {
    pub kind: u32,
    pub duration: crate::dist::Dist,
    pub total: u32,
    pub max: u32,
    pub growth: Option<(SimTime, u32)>,
    pub growth_pending: bool,
    /// Jobs with no resource assigned.
    pub uncovered: u32,
    pub en_route: u32,
    pub in_service: u32,
    pub done: u32,
    /// Quantity asked for in open requests.
    pub requested: u32,
}

#[derive(Debug)]
pub struct IncidentState {
    pub index: u32,
    pub name: String,
    pub area: Option<u32>,
    pub severity: u8,
    pub responsible: u32,
    pub org: u32,
    pub fact: u32,
    pub created: SimTime,
    pub prioritised: bool,
    pub demands: Vec<DemandState>,
    pub rng: ChaCha8Rng,
}

impl IncidentState {
    /// A copy for a record of the run so far ([`crate::sim::Snapshot`]): the same
    /// incident, with a fresh random stream (random streams are not cloned; a record
    /// draws nothing).
    pub fn copy_for_record(&self) -> IncidentState {
        IncidentState {
            name: self.name.clone(),
            demands: self.demands.clone(),
            rng: crate::sim::rng::stream(0, "record copy"),
            ..*self
        }
    }
}

/// Resources of one pool sent to one incident's demand.
#[derive(Clone, Copy, Debug)]
pub struct Assignment {
    pub pool: u32,
    pub incident: u32,
    pub demand: u32,
    pub count: u32,
    pub lent: bool,
    pub request: u32,
}

#[derive(Clone, Debug)]
pub struct RequestRec {
    pub incident: u32,
    pub demand: u32,
    pub kind: u32,
    pub quantity: u32,
    pub requested: SimTime,
    pub decided: Option<SimTime>,
    pub arrived: Option<SimTime>,
    pub lenders: Vec<u32>,
    pub unmet: u32,
    pub open: bool,
    /// Units that hold the request (it reached them).
    pub holders: Vec<u32>,
}

#[derive(Clone, Debug)]
pub struct ResourceRow {
    pub time: SimTime,
    pub org: u32,
    pub kind: u32,
    pub in_use: u32,
    pub idle: u32,
    pub in_transit: u32,
    pub demanded: u32,
    pub unmet: u32,
}

/// Requests, assignments, and the per (organisation, type) resource picture over time.
#[derive(Resource, Default)]
pub struct ResourceBook {
    pub pools: Vec<PoolState>,
    pub incidents: Vec<IncidentState>,
    pub incident_names: FxHashMap<String, u32>,
    /// Incidents of each responsible organisation, in opening order.
    pub incidents_by_org: FxHashMap<u32, Vec<u32>>,
    pub requests: Vec<RequestRec>,
    /// Open requests for each organisation's incidents, in order (a request leaves its
    /// list when decided, so finding open requests costs what is open, not all ever made).
    pub requests_by_org: FxHashMap<u32, Vec<u32>>,
    pub assignments: Vec<Assignment>,
    /// Requests held per unit.
    pub held: FxHashMap<u32, Vec<u32>>,
    /// Current values per (org, kind): in_use, idle, transit, demanded, unmet.
    pub current: FxHashMap<(u32, u32), [i64; 5]>,
    /// Per kind: total unmet, and idle in organisations not short of that kind.
    pub unmet_by_kind: Vec<i64>,
    pub idle_free_by_kind: Vec<i64>,
    /// Index of the last row written per (org, kind), to merge changes at one instant.
    pub last_row: FxHashMap<(u32, u32), usize>,
    pub rows: Vec<ResourceRow>,
    /// Integrals (resource-ms) and the instant they were last brought up to date.
    pub unmet_time: f64,
    pub idle_while_short_time: f64,
    pub integrated_to: SimTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestCmd {
    /// A unit finished processing a request message.
    Received { unit: u32, request: u32, msg: u32 },
    /// A conference decides the requests its present participants hold.
    Decide { conf: u32, present: Vec<u32> },
}

// Columns of ResourceBook::current.
pub(super) const IN_USE: usize = 0;
pub(super) const IDLE: usize = 1;
pub(super) const TRANSIT: usize = 2;
pub(super) const DEMANDED: usize = 3;
pub(super) const UNMET: usize = 4;

/// What one organisation's values add to its kind's totals: (unmet, idle while not short).
fn contribution(v: &[i64; 5]) -> (i64, i64) {
    (v[UNMET], if v[UNMET] == 0 { v[IDLE] } else { 0 })
}

impl ResourceBook {
    /// Brings the unmet and idle-while-short integrals up to `now`.
    /// The integrals (unmet, idle while short; resource-ms) brought up to `now`, without
    /// changing the book (a [`crate::sim::Snapshot`]'s view of the run so far).
    pub fn integrals_at(&self, now: SimTime) -> (f64, f64) {
        let mut book = (self.unmet_time, self.idle_while_short_time);
        let dt = (now - self.integrated_to).max(0) as f64;
        if dt > 0.0 {
            let unmet: i64 = self.unmet_by_kind.iter().sum();
            let iws: i64 =
                self.unmet_by_kind.iter().zip(&self.idle_free_by_kind).map(|(u, i)| (*u).min(*i).max(0)).sum();
            book.0 += unmet as f64 * dt;
            book.1 += iws as f64 * dt;
        }
        book
    }

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

/// `name` is the incident or a repetition of it (`name#k`).
pub fn incident_matches(incident: &str, name: &str) -> bool {
    incident == name || incident.split_once('#').is_some_and(|(base, _)| base == name)
}
