//! `samverkan describe SCENARIO`

use super::{exit, fail};
use crate::model::{InjectTime, LinkOrigin, Model};
use crate::scenario;
use crate::time::fmt_duration;
use crate::vocabulary::Level;
use clap::Args;
use std::fmt::Write;
use std::path::PathBuf;

/// Print a scenario's structure: organisations, units per level, links, conferences, injects.
#[derive(Args)]
#[command(
    after_help = "Example:\n  samverkan describe scenarios/stockholm-attack.toml --variant no-regional-coordination"
)]
pub struct DescribeArgs {
    scenario: PathBuf,
    #[arg(long)]
    variant: Option<String>,
    /// List every link (default: counts per rule).
    #[arg(long)]
    links: bool,
}

pub fn main(a: DescribeArgs) -> u8 {
    match scenario::load(&a.scenario, a.variant.as_deref()) {
        Ok(model) => {
            super::print_out(&describe(&model, a.links));
            exit::OK
        }
        Err(e) => fail(exit::BAD_INPUT, e),
    }
}

/// The structure of a model as text.
pub fn describe(m: &Model, all_links: bool) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} — {}", m.name, m.description.lines().next().unwrap_or(""));
    let _ = writeln!(
        o,
        "start {} ({}), duration {}, seed {}",
        m.start,
        m.start.weekday_name(),
        fmt_duration(m.duration),
        m.seed
    );
    let _ = writeln!(o, "\n{} organisations", m.orgs.len());
    for org in &m.orgs {
        let _ = writeln!(o, "  {:<24} {:<14} {}", org.id, org.kind.name(), org.name);
    }
    for level in Level::ALL {
        let units: Vec<_> = m.units_at(level).collect();
        let _ = writeln!(o, "\n{} units at the {} level", units.len(), level.name());
        for u in units {
            let staff = format!(
                "{} handlers, office {}, duty officer {}",
                u.handlers,
                if u.office_hours.is_always() { "always".into() } else { "hours".to_string() },
                u.duty_officer.as_ref().map_or("none".into(), |d| d.to_string())
            );
            let _ = writeln!(o, "  {:<30} {}", u.id, staff);
        }
    }
    describe_links(m, all_links, &mut o);
    let _ = writeln!(o, "\n{} conferences", m.conferences.len());
    for c in &m.conferences {
        let cadence = c.activated.as_ref().map_or("no activated mode".to_string(), |(every, first)| {
            format!("activated: first after {first}, every {}", fmt_duration(*every))
        });
        let _ = writeln!(
            o,
            "  {:<16} convener {}, {} participants, {}",
            c.id,
            m.units[c.convener as usize].id,
            c.participants.len(),
            cadence
        );
    }
    let _ = writeln!(o, "\n{} injects in time order", m.injects.len());
    for (t, i) in inject_times(m) {
        let inj = &m.injects[i];
        let _ =
            writeln!(o, "  {:>8}  {:<24} {:<14} {}", fmt_duration(t), inj.id, inj.action.kind_name(), inj.description);
    }
    o
}

fn describe_links(m: &Model, all: bool, o: &mut String) {
    let _ = writeln!(o, "\n{} links", m.links.len());
    let mut counts: Vec<(String, usize)> = Vec::new();
    for l in &m.links {
        let name = match &l.origin {
            LinkOrigin::Default(n) => format!("default: {n}"),
            LinkOrigin::Rule(r) => format!("rule {r}"),
            LinkOrigin::Explicit(x) => format!("link {x}"),
        };
        if all {
            let _ = writeln!(
                o,
                "  {} → {} ({}, threshold {}) [{name}]",
                m.units[l.from as usize].id,
                m.units[l.to as usize].id,
                l.flow.name(),
                l.threshold
            );
        }
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    if !all {
        for (name, c) in counts {
            let _ = writeln!(o, "  {c:>5}  {name}");
        }
    }
}

/// Nominal times (without jitter) of injects, sorted.
pub fn inject_times(m: &Model) -> Vec<(i64, usize)> {
    let mut out: Vec<(i64, usize)> = (0..m.injects.len()).filter_map(|i| nominal(m, i, 0).map(|t| (t, i))).collect();
    out.sort();
    out
}

fn nominal(m: &Model, i: usize, depth: usize) -> Option<i64> {
    if depth > m.injects.len() {
        return None;
    }
    match m.injects[i].time {
        InjectTime::At(t) => Some(t),
        InjectTime::After { inject, delay } => nominal(m, inject as usize, depth + 1).map(|t| t + delay),
    }
}
