//! The files of one run (documented column by column in `docs/outputs.md`).

use super::{CsvDialect, OutputError, Table, num, write_atomic};
use crate::metrics::{Summary, message_status};
use crate::sim::RunRecord;
use crate::sim::state::{NONE, Part};
use crate::time::{SimTime, fmt_minutes};
use std::path::Path;

/// Every run file, in the order they are written (summary.json last: its presence
/// means the run's files are complete).
pub const RUN_FILES: &[&str] = &[
    "facts.csv",
    "levels.csv",
    "messages.csv",
    "units.csv",
    "resources.csv",
    "requests.csv",
    "conferences.csv",
    "public.csv",
    "infrastructure.csv",
    "summary.json",
];

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
    write_atomic(&dir.join("summary.json"), &json)
}

/// Removes `summary.json` and `stopped.json` before a run's files are rewritten.
fn remove_markers(dir: &Path) -> Result<(), OutputError> {
    for marker in ["summary.json", STOPPED] {
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
    facts(r, d).write(&dir.join("facts.csv"))?;
    levels(r, d).write(&dir.join("levels.csv"))?;
    messages(r, d).write(&dir.join("messages.csv"))?;
    units(r, d).write(&dir.join("units.csv"))?;
    resources(r, d).write(&dir.join("resources.csv"))?;
    requests(r, d).write(&dir.join("requests.csv"))?;
    conferences(r, d).write(&dir.join("conferences.csv"))?;
    public(r, d).write(&dir.join("public.csv"))?;
    infrastructure(r, d).write(&dir.join("infrastructure.csv"))
}

/// The marker of a run stopped by a guard: its presence (and summary.json's absence)
/// says the folder holds what was recorded up to the stop, not a whole run.
pub const STOPPED: &str = "stopped.json";

/// Writes what a run stopped by a guard recorded (the CSV files, up to the stop) and
/// `stopped.json` with the guard's reason, never summary.json.
pub fn write_stopped(dir: &Path, r: &RunRecord, reason: &str, d: CsvDialect) -> Result<(), OutputError> {
    remove_markers(dir)?;
    write_tables(dir, r, d)?;
    let stopped = serde_json::json!({
        "status": "stopped",
        "reason": reason,
        "scenario": r.model.name,
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

pub fn facts(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(
        d,
        &[
            "fact",
            "unit",
            "organisation",
            "level",
            "origin_min",
            "known_min",
            "delay_min",
            "via",
            "transit_min",
            "queue_min",
            "processing_min",
            "meeting_wait_min",
            "activation_wait_min",
        ],
    );
    let parts = r.trail_parts();
    for k in &r.knowledge {
        let f = &r.facts[k.fact as usize];
        let u = &r.model.units[k.unit as usize];
        let known = r.trail_time(k.trail);
        let p = |part: Part| m(parts[k.trail as usize][part as usize]);
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

pub fn levels(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(
        d,
        &["fact", "level", "origin_min", "first_known_min", "all_known_min", "first_delay_min", "all_delay_min"],
    );
    for f in &r.facts {
        for level in crate::scenario::spec::Level::ALL {
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

pub fn messages(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(
        d,
        &[
            "id",
            "kind",
            "from",
            "to",
            "channel",
            "facts",
            "sent_min",
            "delivered_min",
            "started_min",
            "done_min",
            "attempts",
            "status",
        ],
    );
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
            message_status(msg).to_string(),
        ]);
    }
    t
}

pub fn units(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(
        d,
        &[
            "unit",
            "organisation",
            "level",
            "activation_started_min",
            "activation_min",
            "handled",
            "busy_share",
            "peak_backlog",
            "backlog_at_end",
        ],
    );
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

pub fn resources(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(
        d,
        &["time_min", "organisation", "type", "in_use", "idle", "in_transit", "demanded", "unmet"],
    );
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

pub fn requests(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(
        d,
        &[
            "request",
            "incident",
            "type",
            "quantity",
            "requested_min",
            "decided_min",
            "arrived_min",
            "wait_min",
            "lender",
            "unmet_quantity",
        ],
    );
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

pub fn conferences(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(
        d,
        &["conference", "level", "start_min", "end_min", "participants", "facts_shared", "facts_learned"],
    );
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
        ]);
    }
    t
}

pub fn public(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &["fact", "unit", "organisation", "published_min", "delay_min", "coordinated"]);
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

pub fn infrastructure(r: &RunRecord, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &["time_min", "area", "target", "state", "customers_without_power"]);
    let power = crate::metrics::power::restoration(&r.model, &r.infrastructure);
    for row in &r.infrastructure {
        let out = power.out_at(row.time).to_string();
        t.row([m(row.time), row.area.clone(), row.target.clone(), row.state.to_string(), out]);
    }
    t
}
