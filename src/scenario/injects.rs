//! Injects (model.md §9): when each happens, what it does, and the checks on both.

use super::compile::Ctx;
use super::spec::*;
use crate::model::*;
use crate::time::{LocalDateTime, SimTime, parse_duration};

pub(super) fn build(c: &mut Ctx<'_>) {
    let ids: Vec<&String> = c.f.inject.iter().filter(|(_, i)| i.enabled.unwrap_or(true)).map(|(id, _)| id).collect();
    for (id, spec) in &c.f.inject {
        if !spec.enabled.unwrap_or(true) {
            continue;
        }
        let path = format!("inject.{id}");
        let time = time(c, spec, &ids, &path);
        let stream = spec.stream.as_ref().and_then(|s| stream(c, s, &format!("{path}.stream")));
        let Some(action) = action(c, spec, &path) else { continue };
        if let Some(time) = time {
            c.m.injects.push(Inject {
                id: id.clone(),
                time,
                jitter: spec.jitter.clone(),
                stream,
                action,
                name: Text { en: spec.name.clone().unwrap_or_else(|| id.clone()), sv: spec.name_sv.clone() },
                description: Text { en: spec.description.clone(), sv: spec.description_sv.clone() },
                expected_action: spec.expected_action.clone(),
                objective: spec.objective.clone(),
            });
        }
    }
    // `after` indices count every enabled inject: they only hold when all of them were
    // built (an inject with an error is reported already and left out).
    if c.m.injects.len() == ids.len() {
        check_times(c);
    }
    check_references(c);
}

fn time(c: &mut Ctx<'_>, spec: &InjectSpec, ids: &[&String], path: &str) -> Option<InjectTime> {
    match (&spec.at, &spec.after) {
        (Some(_), Some(_)) => {
            c.d.push(path, "give either `at` or `after`, not both");
            None
        }
        (None, None) => {
            c.d.push(
                path,
                "give a time: `at = \"15m\"` (from the start), a local date-time, or `after = \"other-inject\"`",
            );
            None
        }
        (Some(at), None) => match parse_at(at, c.m.start) {
            Ok(t) => Some(InjectTime::At(t)),
            Err(e) => {
                c.d.push(format!("{path}.at"), e);
                None
            }
        },
        (None, Some(after)) => match ids.iter().position(|i| *i == after) {
            Some(i) => Some(InjectTime::After { inject: i as u32, delay: spec.delay.map_or(0, |d| d.0) }),
            None => {
                c.d.push(format!("{path}.after"), format!("no (enabled) inject `{after}`"));
                None
            }
        },
    }
}

/// An offset ("45m") or a local date-time ("2017-04-07T16:00").
fn parse_at(at: &str, start: LocalDateTime) -> Result<SimTime, String> {
    if at.contains('T') || at.contains('-') && at.contains(':') {
        let t = LocalDateTime::parse(at)?;
        let offset = start.until(t);
        if offset < 0 {
            return Err(format!("{at} is before the scenario starts ({start})"));
        }
        return Ok(offset);
    }
    parse_duration(at)
}

fn stream(c: &mut Ctx<'_>, s: &StreamSpec, path: &str) -> Option<(Stream, SimTime)> {
    let given = [s.every.is_some(), s.rate_per_hour.is_some(), s.count.is_some()].iter().filter(|b| **b).count();
    if given != 1 {
        c.d.push(path, "give exactly one of `every`, `rate_per_hour` or `count`");
        return None;
    }
    if s.window.0 <= 0 {
        c.d.push(format!("{path}.window"), "must be longer than 0");
        return None;
    }
    let max = c.f.guard.max_facts as f64;
    let expected = match (s.every, s.rate_per_hour, s.count) {
        (Some(e), _, _) if e.0 > 0 => s.window.0 as f64 / e.0 as f64,
        (Some(_), _, _) => {
            c.d.push(format!("{path}.every"), "must be longer than 0");
            return None;
        }
        (_, Some(r), _) if r > 0.0 && r.is_finite() => r * s.window.0 as f64 / crate::time::HOUR as f64,
        (_, Some(_), _) => {
            c.d.push(format!("{path}.rate_per_hour"), "must be a number above 0");
            return None;
        }
        (_, _, Some(0)) => {
            c.d.push(format!("{path}.count"), "a stream of 0 repetitions; give at least 1 or remove the stream");
            return None;
        }
        (_, _, Some(n)) => n as f64,
        _ => 0.0,
    };
    if expected > max {
        c.d.push(path, format!("about {expected:.0} repetitions, above the guard of {max:.0} facts (guard.max_facts)"));
        return None;
    }
    let kind = match (s.every, s.rate_per_hour, s.count) {
        (Some(e), _, _) => Stream::Every(e.0),
        (_, Some(r), _) => Stream::Rate(r),
        (_, _, Some(n)) => Stream::Count(n),
        _ => return None,
    };
    Some((kind, s.window.0))
}

fn action(c: &mut Ctx<'_>, s: &InjectSpec, path: &str) -> Option<Action> {
    let given: Vec<&str> = [
        (s.fact.is_some(), "fact"),
        (s.incident.is_some(), "incident"),
        (s.grow.is_some(), "grow"),
        (s.infrastructure.is_some(), "infrastructure"),
        (s.activate.is_some(), "activate"),
        (s.stand_down.is_some(), "stand_down"),
        (s.resources.is_some(), "resources"),
        (s.message.is_some(), "message"),
    ]
    .iter()
    .filter(|(b, _)| *b)
    .map(|(_, n)| *n)
    .collect();
    if given.len() != 1 {
        let what = if given.is_empty() { "none".to_string() } else { given.join(" and ") };
        c.d.push(path, format!("an inject does exactly one of fact, incident, grow, infrastructure, activate, stand_down, resources, message (this one: {what}); split it"));
        return None;
    }
    if let Some(f) = &s.fact {
        return fact(c, f, &format!("{path}.fact"));
    }
    if let Some(i) = &s.incident {
        return incident(c, i, &format!("{path}.incident"));
    }
    if let Some(g) = &s.grow {
        let kind = c.resource_type(&g.kind, &format!("{path}.grow.type"))?;
        let base = g.incident.split_once('#').map_or(g.incident.as_str(), |(b, _)| b);
        let demanded =
            c.f.inject.get(base).and_then(|i| i.incident.as_ref()).map(|i| i.demand.iter().any(|d| d.kind == g.kind));
        if demanded == Some(false) {
            c.d.push(
                format!("{path}.grow.type"),
                format!(
                    "incident `{}` has no demand of type `{}`; add it to the incident's demand (with its duration)",
                    g.incident, g.kind
                ),
            );
        }
        return Some(Action::Grow { incident: g.incident.clone(), kind, add: g.add });
    }
    if let Some(i) = &s.infrastructure {
        return infra(c, i, &format!("{path}.infrastructure"));
    }
    if let Some(sel) = &s.activate {
        return Some(Action::Activate(super::links::select_units(c, sel, &format!("{path}.activate"))));
    }
    if let Some(sel) = &s.stand_down {
        return Some(Action::StandDown(super::links::select_units(c, sel, &format!("{path}.stand_down"))));
    }
    if let Some(r) = &s.resources {
        let pool = c.m.pools.iter().position(|p| p.id == r.pool);
        if pool.is_none() {
            c.d.push(format!("{path}.resources.pool"), format!("unknown resource pool `{}`", r.pool));
        }
        if r.add == 0 || r.add.abs() > 10_000_000 {
            c.d.push(
                format!("{path}.resources.add"),
                "add a number of resources between -10 000 000 and 10 000 000, not 0",
            );
        }
        return Some(Action::PoolChange { pool: pool? as u32, add: r.add });
    }
    s.message.as_ref().and_then(|m| message(c, m, &format!("{path}.message")))
}

fn levels_mask(levels: &Option<Vec<Level>>) -> u8 {
    match levels {
        Some(l) => l.iter().fold(0, |m, l| m | 1 << l.index()),
        None => ALL_LEVELS,
    }
}

fn fact(c: &mut Ctx<'_>, f: &FactSpec, path: &str) -> Option<Action> {
    c.check_severity(Some(f.severity), &format!("{path}.severity"));
    let levels = levels_mask(&f.levels);
    if levels == 0 {
        c.d.push(format!("{path}.levels"), "a fact needed by no level; list at least one");
    }
    let origin = c.unit_ref(&f.origin, &format!("{path}.origin"))?;
    Some(Action::Fact {
        origin,
        severity: f.severity,
        text: Text { en: f.text.clone(), sv: f.text_sv.clone() },
        levels,
    })
}

fn incident(c: &mut Ctx<'_>, i: &IncidentSpec, path: &str) -> Option<Action> {
    c.check_severity(Some(i.severity), &format!("{path}.severity"));
    let responsible = c.unit_ref(&i.responsible, &format!("{path}.responsible"));
    if let Some(r) = responsible
        && c.m.units[r as usize].level != Level::Executive
    {
        c.d.push(format!("{path}.responsible"), "the responsible unit must be an executive unit (närhetsprincipen)");
    }
    let area = match &i.area {
        Some(a) => c.area(a, &format!("{path}.area")),
        None => responsible.and_then(|r| c.m.units[r as usize].area),
    };
    let mut demand = Vec::new();
    for (k, d) in i.demand.iter().enumerate() {
        let dpath = format!("{path}.demand.{k}");
        let kind = c.resource_type(&d.kind, &format!("{dpath}.type"));
        if d.quantity == 0 || d.quantity > 10_000_000 {
            c.d.push(format!("{dpath}.quantity"), "a quantity from 1 to 10 000 000");
        }
        let growth = d.growth.as_ref().and_then(|g| {
            if g.every.0 <= 0 {
                c.d.push(format!("{dpath}.growth.every"), "must be longer than 0");
                return None;
            }
            if g.max < d.quantity || g.max > 10_000_000 {
                c.d.push(
                    format!("{dpath}.growth.max"),
                    "the maximum must be at least the quantity (and at most 10 000 000)",
                );
            }
            Some((g.every.0, g.add, g.max))
        });
        if let Some(kind) = kind {
            demand.push(Demand { kind, quantity: d.quantity, duration: d.duration.clone(), growth });
        }
    }
    Some(Action::Incident {
        area,
        severity: i.severity,
        responsible: responsible?,
        text: Text { en: i.text.clone(), sv: i.text_sv.clone() },
        demand,
    })
}

fn infra(c: &mut Ctx<'_>, i: &InfraSpec, path: &str) -> Option<Action> {
    let areas = if i.area == "all" { None } else { Some(vec![c.area(&i.area, &format!("{path}.area"))?]) };
    let target = match (&i.system, &i.channel) {
        (Some(s), None) => InfraTarget::System(*s),
        (None, Some(_)) if i.area != "all" => {
            c.d.push(
                format!("{path}.area"),
                "a channel is not tied to an area: write area = \"all\" (or change a `system` in the area)",
            );
            return None;
        }
        (None, Some(ch)) => InfraTarget::Channel(c.channel(ch, &format!("{path}.channel"))?),
        _ => {
            c.d.push(path, "name either a `system` (power, mobile, internet, fixed, rakel) or a `channel`");
            return None;
        }
    };
    let loss = i.loss.unwrap_or(0.5);
    if !(0.0..1.0).contains(&loss) {
        c.d.push(format!("{path}.loss"), "a probability from 0 up to (not including) 1");
    }
    if i.loss.is_some() && i.state != InfraState::Overloaded {
        c.d.push(format!("{path}.loss"), "loss only applies to state = \"overloaded\"");
    }
    Some(Action::Infra { areas, target, state: i.state, loss, lasts: i.lasts.clone() })
}

fn message(c: &mut Ctx<'_>, m: &MessageInjectSpec, path: &str) -> Option<Action> {
    c.check_severity(Some(m.severity), &format!("{path}.severity"));
    let from = m.from.as_ref().and_then(|f| c.unit_ref(f, &format!("{path}.from")));
    let to = super::links::select_units(c, &m.to, &format!("{path}.to"));
    if to.is_empty() {
        c.d.push(format!("{path}.to"), "the message goes to no unit");
    }
    let channel = m.channel.as_ref().and_then(|ch| c.channel(ch, &format!("{path}.channel")));
    if channel.is_none() && m.channel.is_none() && c.f.links.channels.is_empty() {
        c.d.push(format!("{path}.channel"), "name a channel (or set default channels in [links])");
    }
    for f in &m.facts {
        if !is_fact_id(c, f) {
            c.d.push(format!("{path}.facts"), format!("no inject creates a fact `{f}`"));
        }
    }
    Some(Action::Message {
        from,
        to,
        kind: m.kind,
        channel,
        text: Text { en: m.text.clone(), sv: m.text_sv.clone() },
        severity: m.severity,
        facts: m.facts.clone(),
    })
}

/// Whether `id` names a fact some inject creates (`id` or a stream repetition `id#k`).
pub(super) fn is_fact_id(c: &Ctx<'_>, id: &str) -> bool {
    fact_id_problem(c, id).is_none()
}

/// Why `id` names no fact that an inject creates (`id`, or `id#k` for a stream), if it does not.
pub(super) fn fact_id_problem(c: &Ctx<'_>, id: &str) -> Option<String> {
    let base = id.split_once('#').map_or(id, |(b, _)| b);
    let creates =
        |i: &InjectSpec| i.enabled.unwrap_or(true) && (i.fact.is_some() || i.incident.is_some() || i.message.is_some());
    match c.f.inject.get(base) {
        Some(i) if creates(i) && i.stream.is_some() && base == id => {
            Some(format!("`{id}` is a stream: its facts are named {id}#1, {id}#2, …; name one of them"))
        }
        Some(i) if creates(i) && (base == id || i.stream.is_some()) => None,
        _ => Some(format!("no inject creates a fact `{id}`; use an inject id (stream repetitions: id#1, id#2, …)")),
    }
}

/// Resolves `after` chains: refuses cycles and injects after the end.
fn check_times(c: &mut Ctx<'_>) {
    let n = c.m.injects.len();
    for i in 0..n {
        let mut t: SimTime = 0;
        let mut cur = i;
        let mut steps = 0;
        loop {
            match c.m.injects[cur].time {
                InjectTime::At(at) => {
                    t += at;
                    break;
                }
                InjectTime::After { inject, delay } => {
                    t += delay;
                    cur = inject as usize;
                    steps += 1;
                    if steps > n {
                        let id = c.m.injects[i].id.clone();
                        c.d.push(
                            format!("inject.{id}.after"),
                            "the `after` chain goes round in a circle; one inject must have `at`",
                        );
                        break;
                    }
                }
            }
        }
        let id = c.m.injects[i].id.clone();
        if steps <= n && t >= c.m.duration && c.m.duration > 0 {
            c.d.push(
                format!("inject.{id}"),
                format!(
                    "happens at {} but the scenario ends at {}; move it or lengthen scenario.duration",
                    crate::time::fmt_duration(t),
                    crate::time::fmt_duration(c.m.duration)
                ),
            );
        }
    }
}

/// Checks references that need every inject: `grow` names an incident inject.
fn check_references(c: &mut Ctx<'_>) {
    let incidents: Vec<String> =
        c.m.injects.iter().filter(|i| matches!(i.action, Action::Incident { .. })).map(|i| i.id.clone()).collect();
    let problems: Vec<(String, String)> =
        c.m.injects
            .iter()
            .filter_map(|i| match &i.action {
                Action::Grow { incident, .. } => {
                    let base = incident.split_once('#').map_or(incident.as_str(), |(b, _)| b);
                    (!incidents.iter().any(|x| x == base)).then(|| (i.id.clone(), incident.clone()))
                }
                _ => None,
            })
            .collect();
    for (id, inc) in problems {
        c.d.push(
            format!("inject.{id}.grow.incident"),
            format!("no incident inject `{inc}`; known: {}", incidents.join(", ")),
        );
    }
}
