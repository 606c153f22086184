//! The files of one run (documented column by column in `docs/outputs.md`).

use super::names::run as names;
use super::{CsvDialect, OutputError, Table, num, write_atomic};
use crate::metrics::{MessageStatus, Summary};
use crate::sim::RunRecord;
use crate::sim::{NONE, Part};
use crate::time::{SimTime, fmt_minutes};
use std::path::Path;

/// Every run file, in the order they are written (summary.json last: its presence
/// means the run's files are complete).
pub const RUN_FILES: &[&str] = &names::ALL;

/// Writes every run file into `dir` (which must exist), the CSV files in the comma
/// dialect; see [`write_run_in`].
pub fn write_run(dir: &Path, r: &RunRecord, summary: &Summary) -> Result<(), OutputError> {
    write_run_in(dir, r, summary, CsvDialect::Comma)
}

/// Writes every run file into `dir` (which must exist), the CSV files in dialect `d`.
/// An earlier summary.json is removed first, so that files of an interrupted overwrite
/// never sit next to a summary that says they are complete.
pub fn write_run_in(dir: &Path, r: &RunRecord, summary: &Summary, d: CsvDialect) -> Result<(), OutputError> {
    remove_markers(dir)?;
    write_tables(dir, r, d)?;
    crate::geo::knowing::write_run(dir, r, d)?;
    let json = serde_json::to_vec_pretty(summary).map_err(|e| OutputError::io(dir, e))?;
    write_atomic(&dir.join(names::SUMMARY), &json)
}

/// Removes `summary.json` and `stopped.json` before a run's files are rewritten.
fn remove_markers(dir: &Path) -> Result<(), OutputError> {
    for marker in [names::SUMMARY, STOPPED] {
        let marker = dir.join(marker);
        match std::fs::remove_file(&marker) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(OutputError::io(&marker, e)),
            _ => {}
        }
    }
    Ok(())
}

/// Every CSV file of a run, in dialect `d`.
fn write_tables(dir: &Path, r: &RunRecord, d: CsvDialect) -> Result<(), OutputError> {
    facts(r, d).write(&dir.join(names::FACTS))?;
    levels(r, d).write(&dir.join(names::LEVELS))?;
    messages(r, d).write(&dir.join(names::MESSAGES))?;
    units(r, d).write(&dir.join(names::UNITS))?;
    resources(r, d).write(&dir.join(names::RESOURCES))?;
    requests(r, d).write(&dir.join(names::REQUESTS))?;
    conferences(r, d).write(&dir.join(names::CONFERENCES))?;
    public(r, d).write(&dir.join(names::PUBLIC))?;
    infrastructure(r, d).write(&dir.join(names::INFRASTRUCTURE))?;
    super::texts::table(&r.model, d).write(&dir.join(super::texts::FILE))
}

/// The marker of a run stopped by a guard: its presence (and summary.json's absence)
/// says the folder holds what was recorded up to the stop, not a whole run.
pub const STOPPED: &str = names::STOPPED;

/// Writes what a run stopped by a guard recorded (the CSV files, up to the stop) and
/// `stopped.json` with the guard's reason, never summary.json.
pub fn write_stopped(dir: &Path, r: &RunRecord, reason: &str, d: CsvDialect) -> Result<(), OutputError> {
    remove_markers(dir)?;
    write_tables(dir, r, d)?;
    let stopped = serde_json::json!({
        "status": "stopped",
        "reason": reason,
        "scenario": r.model.name.as_str(),
        "variant": r.model.variant,
        "seed": r.seed,
        "stopped_at_min": fmt_minutes(r.end),
        "events": r.events,
        "messages": r.messages.len(),
        "facts": r.facts.len(),
        "known": r.knowledge.len(),
    });
    let json = serde_json::to_vec_pretty(&stopped).map_err(|e| OutputError::io(dir, e))?;
    write_atomic(&dir.join(STOPPED), &json)
}

fn m(t: SimTime) -> String {
    fmt_minutes(t)
}

fn om(t: Option<SimTime>) -> String {
    t.map(fmt_minutes).unwrap_or_default()
}

fn unit_name(r: &RunRecord, u: u32) -> String {
    if u == NONE { "exercise-control".into() } else { r.model.units[u as usize].id.clone() }
}

/// facts.csv: one row per (fact, unit) that came to know it.
pub fn facts(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &names::facts::COLUMNS);
    let parts = r.delay_parts();
    for k in &r.knowledge {
        let f = &r.facts[k.fact as usize];
        let u = &r.model.units[k.unit as usize];
        let known = r.trail_time(k.trail);
        let p = |part: Part| m(parts[k.trail as usize].get(part));
        t.row([
            f.id.clone(),
            u.id.clone(),
            r.model.orgs[u.org as usize].id.clone(),
            u.level.name().to_string(),
            m(f.origin_time),
            m(known),
            m(known - f.origin_time),
            k.via.name().to_string(),
            p(Part::Transit),
            p(Part::Queue),
            p(Part::Processing),
            p(Part::MeetingWait),
            p(Part::ActivationWait),
        ]);
    }
    t
}

/// levels.csv: one row per (fact, level that needs it).
pub fn levels(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &names::levels::COLUMNS);
    for f in &r.facts {
        for level in crate::vocabulary::Level::ALL {
            let l = level.index();
            if f.levels & (1 << l) == 0 {
                continue;
            }
            let delay = |x: Option<SimTime>| om(x.map(|x| x - f.origin_time));
            t.row([
                f.id.clone(),
                level.name().to_string(),
                m(f.origin_time),
                om(f.first_known[l]),
                om(f.all_known[l]),
                delay(f.first_known[l]),
                delay(f.all_known[l]),
            ]);
        }
    }
    t
}

/// messages.csv: one row per message.
pub fn messages(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &names::messages::COLUMNS);
    for (i, msg) in r.messages.iter().enumerate() {
        let facts: Vec<&str> = msg.facts.iter().map(|c| r.facts[c.fact as usize].id.as_str()).collect();
        t.row([
            i.to_string(),
            msg.kind.name().to_string(),
            unit_name(r, msg.from),
            unit_name(r, msg.to),
            r.model.channels.get(msg.channel as usize).map(|c| c.id.clone()).unwrap_or_default(),
            facts.join(";"),
            m(msg.sent),
            om(msg.delivered),
            om(msg.started),
            om(msg.done),
            msg.attempts.to_string(),
            MessageStatus::of(msg).name().to_string(),
        ]);
    }
    t
}

/// units.csv: one row per unit.
pub fn units(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &names::units::COLUMNS);
    for (u, o) in r.model.units.iter().zip(&r.units) {
        let share = if o.available_time > 0 { o.busy_time as f64 / o.available_time as f64 } else { 0.0 };
        t.row([
            u.id.clone(),
            r.model.orgs[u.org as usize].id.clone(),
            u.level.name().to_string(),
            om(o.activation_started),
            om(o.activated),
            o.handled.to_string(),
            num(share),
            o.peak_backlog.to_string(),
            o.backlog_at_end.to_string(),
        ]);
    }
    t
}

/// resources.csv: the resource pools over time.
pub fn resources(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &names::resources::COLUMNS);
    for row in &r.resource_rows {
        t.row([
            m(row.time),
            r.model.orgs[row.org as usize].id.clone(),
            r.model.resource_types[row.kind as usize].clone(),
            row.in_use.to_string(),
            row.idle.to_string(),
            row.in_transit.to_string(),
            row.demanded.to_string(),
            row.unmet.to_string(),
        ]);
    }
    t
}

/// requests.csv: one row per resource request.
pub fn requests(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &names::requests::COLUMNS);
    for (i, q) in r.requests.iter().enumerate() {
        let lenders: Vec<&str> = q.lenders.iter().map(|o| r.model.orgs[*o as usize].id.as_str()).collect();
        t.row([
            i.to_string(),
            r.incidents[q.incident as usize].name.clone(),
            r.model.resource_types[q.kind as usize].clone(),
            q.quantity.to_string(),
            m(q.requested),
            om(q.decided),
            om(q.arrived),
            om(q.decided.map(|d| d - q.requested)),
            lenders.join(";"),
            if q.decided.is_some() { q.unmet.to_string() } else { q.quantity.to_string() },
        ]);
    }
    t
}

/// conferences.csv: one row per conference session.
pub fn conferences(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &names::conferences::COLUMNS);
    for c in &r.conferences {
        let conf = &r.model.conferences[c.conference as usize];
        t.row([
            conf.id.clone(),
            conf.level.name().to_string(),
            m(c.start),
            m(c.end),
            c.participants.to_string(),
            c.facts_shared.to_string(),
            c.learned.to_string(),
            r.model.units[c.leader as usize].id.clone(),
        ]);
    }
    t
}

/// public.csv: one row per public message.
pub fn public(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &names::public::COLUMNS);
    for p in &r.public {
        let f = &r.facts[p.fact as usize];
        let u = &r.model.units[p.unit as usize];
        t.row([
            f.id.clone(),
            u.id.clone(),
            r.model.orgs[u.org as usize].id.clone(),
            m(p.time),
            m(p.time - f.origin_time),
            p.coordinated.to_string(),
        ]);
    }
    t
}

/// infrastructure.csv: one row per change of the infrastructure.
pub fn infrastructure(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &names::infrastructure::COLUMNS);
    let power = crate::metrics::power::restoration(&r.model, &r.infrastructure);
    for row in &r.infrastructure {
        let out = power.out_at(row.time).to_string();
        t.row([m(row.time), row.area.clone(), row.target.clone(), row.state.to_string(), out]);
    }
    t
}
