//! What a plan costs, in staff-hours: the optional `[cost]` table of a scenario
//! ([`CostSpec`]), its rates resolved against the compiled units, pools and
//! conferences ([`Rates`], kept in [`Model::cost`]), and [`of`], the cost of a model.
//!
//! The cost is a property of the *plan* (the compiled model), not of a run: it is the
//! staffing, conference time and readiness the plan commits to over the whole scenario
//! duration, the same for every replication. Three parts, each in staff-hours:
//!
//! * **handlers**: for each unit, its strength × the scenario's hours × its rate. The
//!   strength at an instant is the larger of the scheduled handlers (`handlers` in
//!   office hours, `off_hours_handlers` outside) and `activated_handlers`: the staff
//!   the plan must be able to put on duty then, whether or not the unit activates in a
//!   given run. Rate: `by_unit`, else `by_profile` of the unit's profile, else
//!   `handler_hour` (default 1).
//! * **conferences**: for each conference, its planned sessions × participants
//!   (convener included) × session duration (hours) × `conference_participant_hour`
//!   (default 1). Planned sessions: with an `activated` cadence, ⌈duration / every⌉ (the
//!   cadence kept from the start); with only an `ordinary` cadence, the sessions its
//!   calendar puts inside the scenario.
//! * **resources**: for each resource pool, its `count` × (the scenario's hours ×
//!   `resource_unit_hour[type]` + `resource_unit[type]`) (both default 0).
//!
//! ```no_run
//! let model = samverkan::scenario::load(std::path::Path::new("scenarios/stockholm-attack.toml"), None)?;
//! let cost = samverkan::cost::of(&model);
//! println!("{:.1} staff-hours ({:.1} handlers)", cost.total(), cost.handlers);
//! # Ok::<(), samverkan::scenario::ScenarioError>(())
//! ```

mod compile;

pub use compile::rates;

use crate::model::Model;
use crate::time::{Calendar, HOUR, OfficeHours, SimTime};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The `[cost]` table: rates in staff-hours. Every field is optional.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostSpec {
    /// Staff-hours per handler-hour of units not named in `by_unit` or `by_profile` (default 1).
    pub handler_hour: Option<f64>,
    /// Staff-hours per handler-hour of the units that use a profile, by profile id.
    #[serde(default)]
    pub by_profile: IndexMap<String, f64>,
    /// Staff-hours per handler-hour of one unit, by unit id (`"organisation.unit"`); wins over `by_profile`.
    #[serde(default)]
    pub by_unit: IndexMap<String, f64>,
    /// Staff-hours per participant-hour of a conference session (default 1).
    pub conference_participant_hour: Option<f64>,
    /// Staff-hours per resource unit and hour held in readiness, by resource type (default 0).
    #[serde(default)]
    pub resource_unit_hour: IndexMap<String, f64>,
    /// Staff-hours per resource unit for the whole scenario, by resource type (default 0).
    #[serde(default)]
    pub resource_unit: IndexMap<String, f64>,
}

/// Default staff-hours per handler-hour.
pub const HANDLER_HOUR: f64 = 1.0;
/// Default staff-hours per conference participant-hour.
pub const PARTICIPANT_HOUR: f64 = 1.0;

/// The rates of a compiled model, resolved to its units and pools.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rates {
    /// Staff-hours per handler-hour, indexed by unit.
    pub unit: Vec<f64>,
    /// Staff-hours per conference participant-hour.
    pub participant_hour: f64,
    /// Staff-hours per resource unit-hour, indexed by pool.
    pub pool_hour: Vec<f64>,
    /// Staff-hours per resource unit for the scenario, indexed by pool.
    pub pool_unit: Vec<f64>,
}

/// The cost of a plan in staff-hours, by part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Cost {
    /// Staff-hours of the units' duty officers and handlers.
    pub handlers: f64,
    /// Staff-hours spent in conferences.
    pub conferences: f64,
    /// Staff-hours of the resource pools.
    pub resources: f64,
}

impl Cost {
    /// The one number: the sum of the parts.
    pub fn total(&self) -> f64 {
        self.handlers + self.conferences + self.resources
    }
}

/// The cost of `model` (see the module documentation for how each part is computed).
pub fn of(model: &Model) -> Cost {
    let hours = model.duration as f64 / HOUR as f64;
    let calendar = Calendar { start: model.start };
    let mut office: Vec<(OfficeHours, SimTime)> = Vec::new();
    let mut handlers = 0.0;
    for (i, u) in model.units.iter().enumerate() {
        let rate = model.cost.unit.get(i).copied().unwrap_or(HANDLER_HOUR);
        if rate == 0.0 {
            continue;
        }
        let open = match office.iter().find(|(h, _)| *h == u.office_hours) {
            Some((_, t)) => *t,
            None => {
                let t = office_time(&calendar, &u.office_hours, model.duration);
                office.push((u.office_hours, t));
                t
            }
        };
        let open_h = open as f64 / HOUR as f64;
        let strength = |scheduled: u32| scheduled.max(u.activated_handlers) as f64;
        handlers += rate * (strength(u.handlers) * open_h + strength(u.off_hours_handlers) * (hours - open_h));
    }
    let conferences = model
        .conferences
        .iter()
        .map(|c| {
            let sessions = planned_sessions(&calendar, c, model.duration) as f64;
            sessions * c.participants.len() as f64 * c.duration as f64 / HOUR as f64
        })
        .sum::<f64>()
        * model.cost.participant_hour;
    let resources = model
        .pools
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (h, u) = (model.cost.pool_hour.get(i).copied(), model.cost.pool_unit.get(i).copied());
            p.count as f64 * (hours * h.unwrap_or(0.0) + u.unwrap_or(0.0))
        })
        .sum();
    Cost { handlers, conferences, resources }
}

/// Time inside office hours between the start and `duration`.
fn office_time(calendar: &Calendar, hours: &OfficeHours, duration: SimTime) -> SimTime {
    if hours.is_always() {
        return duration;
    }
    let (mut t, mut open) = (0, 0);
    while t < duration {
        let next = calendar.next_change(hours, t).unwrap_or(duration).min(duration);
        if calendar.in_office(hours, t) {
            open += next - t;
        }
        t = next;
    }
    open
}

/// Sessions a conference's cadence plans inside the scenario (see the module documentation).
fn planned_sessions(calendar: &Calendar, c: &crate::model::Conference, duration: SimTime) -> u64 {
    if let Some((every, _)) = &c.activated {
        return (duration + every - 1).div_euclid(*every).max(0) as u64;
    }
    let Some((every, weekday, clock)) = c.ordinary else { return 0 };
    let first = calendar.next_clock(weekday, clock, 0);
    if first >= duration { 0 } else { 1 + ((duration - 1 - first) / every) as u64 }
}
