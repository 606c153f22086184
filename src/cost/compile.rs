//! Resolving the `[cost]` table against a compiled model: each unit's and pool's rate,
//! and every problem with its field path (`cost.by_unit."polisen.rlc"`).

use super::{CostSpec, HANDLER_HOUR, PARTICIPANT_HOUR, Rates};
use crate::model::Model;
use crate::scenario::load::quote_segment;
use crate::scenario::spec::ScenarioFile;
use indexmap::IndexMap;

/// The rates of `model` (compiled from `file`) under `spec` (absent: the defaults), and
/// the problems found as (field path, message). Names that do not resolve and rates
/// that are negative or not finite are problems.
pub fn rates(spec: Option<&CostSpec>, file: &ScenarioFile, model: &Model) -> (Rates, Vec<(String, String)>) {
    let default = CostSpec::default();
    let s = spec.unwrap_or(&default);
    let mut problems = Vec::new();
    let mut rate = |v: Option<f64>, path: String, fallback: f64| match v {
        Some(v) if !(v.is_finite() && v >= 0.0) => {
            problems.push((path, format!("a rate must be a number ≥ 0 (staff-hours), not {v}")));
            fallback
        }
        Some(v) => v,
        None => fallback,
    };
    let handler = rate(s.handler_hour, "cost.handler_hour".into(), HANDLER_HOUR);
    let participant_hour =
        rate(s.conference_participant_hour, "cost.conference_participant_hour".into(), PARTICIPANT_HOUR);
    let mut unit = vec![handler; model.units.len()];
    for (profile, v) in &s.by_profile {
        let v = rate(Some(*v), format!("cost.by_profile.{}", quote_segment(profile)), handler);
        for id in units_of_profile(file, profile) {
            if let Some(i) = model.unit_index(&id) {
                unit[i as usize] = v;
            }
        }
    }
    for (id, v) in &s.by_unit {
        let v = rate(Some(*v), format!("cost.by_unit.{}", quote_segment(id)), handler);
        if let Some(i) = model.unit_index(id) {
            unit[i as usize] = v;
        }
    }
    let pool_hour = pool_rates(&s.resource_unit_hour, "resource_unit_hour", model, &mut rate);
    let pool_unit = pool_rates(&s.resource_unit, "resource_unit", model, &mut rate);
    problems.extend(unknown_names(s, file, model));
    (Rates { unit, participant_hour, pool_hour, pool_unit }, problems)
}

/// Each pool's rate from a table by resource type (0 for types not named).
fn pool_rates(
    by_type: &IndexMap<String, f64>,
    field: &str,
    model: &Model,
    rate: &mut impl FnMut(Option<f64>, String, f64) -> f64,
) -> Vec<f64> {
    let resolved: Vec<(usize, f64)> = by_type
        .iter()
        .filter_map(|(kind, v)| {
            let v = rate(Some(*v), format!("cost.{field}.{}", quote_segment(kind)), 0.0);
            model.resource_types.iter().position(|t| t == kind).map(|k| (k, v))
        })
        .collect();
    model.pools.iter().map(|p| resolved.iter().find(|(k, _)| *k == p.kind as usize).map_or(0.0, |(_, v)| *v)).collect()
}

/// Ids (`organisation.unit`) of the units in `file` that name `profile`.
fn units_of_profile(file: &ScenarioFile, profile: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (org, o) in file.organisation.iter() {
        for (id, u) in &o.unit {
            if u.profile.as_deref() == Some(profile) {
                out.push(format!("{org}.{id}"));
            }
        }
    }
    out
}

/// Profiles, units and resource types the table names that the scenario does not have.
fn unknown_names(s: &CostSpec, file: &ScenarioFile, model: &Model) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let list = |v: Vec<&str>| if v.is_empty() { "none".to_string() } else { v.join(", ") };
    for p in s.by_profile.keys().filter(|p| !file.profile.contains_key(*p)) {
        let known = list(file.profile.keys().map(String::as_str).collect());
        out.push((
            format!("cost.by_profile.{}", quote_segment(p)),
            format!("unknown profile `{p}`; profiles: {known}"),
        ));
    }
    for u in s.by_unit.keys().filter(|u| model.unit_index(u).is_none()) {
        out.push((
            format!("cost.by_unit.{}", quote_segment(u)),
            format!("unknown or disabled unit `{u}`; name units as organisation.unit, e.g. `polisen.rlc`"),
        ));
    }
    for (field, table) in [("resource_unit_hour", &s.resource_unit_hour), ("resource_unit", &s.resource_unit)] {
        for t in table.keys().filter(|t| !model.resource_types.contains(t)) {
            let known = list(model.resource_types.iter().map(String::as_str).collect());
            out.push((
                format!("cost.{field}.{}", quote_segment(t)),
                format!("unknown resource type `{t}`; types: {known}"),
            ));
        }
    }
    out
}
