//! Whole-scenario checks: units that can never receive or pass on anything, units
//! that receive messages but never have anyone to handle them, objective fields.

use super::compile::Ctx;
use super::spec::ObjectiveSpec;
use crate::model::{Action, Unit};
use crate::vocabulary::Measure;

pub(super) fn reachability(c: &mut Ctx<'_>) {
    let n = c.m.units.len();
    let mut receives = vec![false; n];
    let mut sends = vec![false; n];
    for l in &c.m.links {
        receives[l.to as usize] = true;
        sends[l.from as usize] = true;
    }
    for conf in &c.m.conferences {
        for &p in &conf.participants {
            receives[p as usize] = true;
            sends[p as usize] = true;
        }
        if let Some(pic) = &conf.picture {
            for &u in &pic.to {
                receives[u as usize] = true;
            }
        }
    }
    for inj in &c.m.injects {
        match &inj.action {
            Action::Fact { origin, .. } => receives[*origin as usize] = true,
            Action::Incident { responsible, .. } => receives[*responsible as usize] = true,
            Action::Message { to, .. } => to.iter().for_each(|u| receives[*u as usize] = true),
            _ => {}
        }
    }
    let mut origins = vec![false; n];
    for inj in &c.m.injects {
        match &inj.action {
            Action::Fact { origin, .. } => origins[*origin as usize] = true,
            Action::Incident { responsible, .. } => origins[*responsible as usize] = true,
            _ => {}
        }
    }
    let mut problems = Vec::new();
    for (i, u) in c.m.units.iter().enumerate() {
        let path = || unit_path(u);
        if !receives[i] && !sends[i] {
            problems.push((path(), "this unit has no links, is in no conference and gets no inject: it can never receive or pass on anything; link it or remove it".to_string()));
        } else if !receives[i] {
            problems.push((
                path(),
                "nothing can ever reach this unit (no incoming link, conference, picture or inject); add a link to it"
                    .to_string(),
            ));
        } else if origins[i] && !sends[i] {
            problems.push((path(), "facts start at this unit but it can never pass them on (no outgoing link or conference); add a link from it".to_string()));
        } else if max_capacity(u) == 0 {
            problems.push((format!("{}.handlers", unit_path(u)), "this unit receives messages but never has anyone to handle them (0 handlers in every mode and no duty officer)".to_string()));
        }
    }
    for (p, m) in problems {
        c.d.push(p, m);
    }
}

/// The most handlers a unit can ever have on duty.
fn max_capacity(u: &Unit) -> u32 {
    let office = if u.office_hours == crate::time::OfficeHours::NEVER { 0 } else { u.handlers };
    // Activation (by a fact, by direction or by an inject) is always possible.
    office.max(u.off_hours_handlers).max(u.activated_handlers).max(u.duty_officer.is_some() as u32)
}

fn unit_path(u: &Unit) -> String {
    let (org, unit) = u.id.split_once('.').unwrap_or((&u.id, ""));
    format!("organisation.{org}.unit.{unit}")
}

/// Each measure needs its own fields.
pub(super) fn objective_fields(c: &mut Ctx<'_>, o: &ObjectiveSpec, path: &str) {
    use Measure::*;
    let (fact, level, unit, time) = match o.measure {
        FirstKnown | AllKnown => (true, true, false, true),
        UnitKnows => (true, false, true, true),
        FirstConference | FirstPicture => (false, false, false, true),
        UnitActivated => (false, false, true, true),
        FirstPublicMessage => (true, false, false, true),
        MedianDelay | P90Delay => (false, true, false, true),
        UnmetResourceMinutes | IdleWhileShortMinutes | UncoordinatedPublicMessages | MeanRequestWait => {
            (false, false, false, false)
        }
    };
    let need = |c: &mut Ctx<'_>, present: bool, field: &str| {
        if !present {
            c.d.push(format!("{path}.{field}"), format!("measure `{}` needs `{field}`", o.measure.name()));
        }
    };
    if fact {
        need(c, o.fact.is_some(), "fact");
    }
    if level {
        need(c, o.level.is_some(), "level");
    }
    if unit {
        need(c, o.unit.is_some(), "unit");
    }
    if time {
        need(c, o.within.is_some(), "within");
    } else {
        need(c, o.max.is_some_and(|m| m.is_finite() && m >= 0.0), "max");
    }
}
