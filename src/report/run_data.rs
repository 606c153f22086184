//! The files of one run folder, read back into typed rows for the charts: only the
//! columns the charts show, each looked up by the name in [`super::files`].

use super::ReportError;
use super::files::run as f;
use super::table::CsvTable;
use crate::vocabulary::Level;
use std::path::Path;

/// One objective of summary.json.
pub use crate::metrics::ObjectiveResult as ObjectiveOutcome;
/// summary.json as the report reads it: the type the run writes.
pub use crate::metrics::Summary as RunSummary;

/// One (fact, unit) pair of facts.csv.
#[derive(Clone, Debug)]
pub struct Knowing {
    pub fact: String,
    pub unit: String,
    pub level: Level,
    pub delay: f64,
    pub at_origin: bool,
    pub parts: [f64; 5],
}

/// One (fact, level) row of levels.csv.
#[derive(Clone, Debug)]
pub struct LevelKnown {
    pub fact: String,
    pub level: Level,
    pub origin: f64,
    pub first: Option<f64>,
    pub all: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct Message {
    pub kind: String,
    pub from: String,
    pub to: String,
    pub delivered: Option<f64>,
    pub started: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct UnitRow {
    pub unit: String,
    pub org: String,
    pub level: Level,
    pub handled: f64,
    pub peak_backlog: f64,
}

#[derive(Clone, Debug)]
pub struct ResourceRow {
    pub time: f64,
    pub org: String,
    pub kind: String,
    pub in_use: f64,
    pub idle: f64,
    pub in_transit: f64,
    pub unmet: f64,
}

#[derive(Clone, Debug)]
pub struct RequestRow {
    pub id: String,
    pub incident: String,
    pub kind: String,
    pub quantity: f64,
    pub requested: f64,
    pub decided: Option<f64>,
    pub arrived: Option<f64>,
    pub lenders: String,
    pub unmet: f64,
}

#[derive(Clone, Debug)]
pub struct ConferenceRow {
    pub id: String,
    pub level: Level,
    pub start: f64,
    pub end: f64,
}

/// Everything the run charts and the run report read.
#[derive(Clone, Debug, Default)]
pub struct RunData {
    pub summary: RunSummary,
    pub facts: Vec<Knowing>,
    pub levels: Vec<LevelKnown>,
    pub messages: Vec<Message>,
    pub units: Vec<UnitRow>,
    pub resources: Vec<ResourceRow>,
    pub requests: Vec<RequestRow>,
    pub conferences: Vec<ConferenceRow>,
}

impl RunData {
    pub fn read(dir: &Path) -> Result<RunData, ReportError> {
        Ok(RunData {
            summary: read_summary(&dir.join(f::SUMMARY))?,
            facts: facts(&CsvTable::read(&dir.join(f::FACTS))?)?,
            levels: levels(&CsvTable::read(&dir.join(f::LEVELS))?)?,
            messages: messages(&CsvTable::read(&dir.join(f::MESSAGES))?)?,
            units: units(&CsvTable::read(&dir.join(f::UNITS))?)?,
            resources: resources(&CsvTable::read(&dir.join(f::RESOURCES))?)?,
            requests: requests(&CsvTable::read(&dir.join(f::REQUESTS))?)?,
            conferences: conferences(&CsvTable::read(&dir.join(f::CONFERENCES))?)?,
        })
    }
}

pub fn read_summary(path: &Path) -> Result<RunSummary, ReportError> {
    if !path.is_file() {
        return Err(ReportError::Missing(path.display().to_string()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| ReportError::read(path, e))?;
    serde_json::from_str(&text).map_err(|e| ReportError::Bad {
        path: path.display().to_string(),
        line: e.line() as u64,
        reason: e.to_string(),
    })
}

fn level(t: &CsvTable, row: usize, col: usize) -> Result<Level, ReportError> {
    Level::parse(t.str(row, col)).ok_or_else(|| {
        t.bad(row, col, &format!("`{}` is not a level (executive, coordinating, strategic)", t.str(row, col)))
    })
}

fn facts(t: &CsvTable) -> Result<Vec<Knowing>, ReportError> {
    use f::facts as c;
    let (fact, unit, lv, delay, via) =
        (t.col(c::FACT)?, t.col(c::UNIT)?, t.col(c::LEVEL)?, t.col(c::DELAY)?, t.col(c::VIA)?);
    let parts = c::PARTS.map(|p| t.col(p));
    let parts: Vec<usize> = parts.into_iter().collect::<Result<_, _>>()?;
    (0..t.len())
        .map(|r| {
            let mut p = [0.0; 5];
            for (i, c) in parts.iter().enumerate() {
                p[i] = t.num(r, *c)?;
            }
            Ok(Knowing {
                fact: t.str(r, fact).to_string(),
                unit: t.str(r, unit).to_string(),
                level: level(t, r, lv)?,
                delay: t.num(r, delay)?,
                at_origin: t.str(r, via) == c::VIA_ORIGIN,
                parts: p,
            })
        })
        .collect()
}

fn levels(t: &CsvTable) -> Result<Vec<LevelKnown>, ReportError> {
    use f::levels as c;
    let (fact, lv, origin, first, all) =
        (t.col(c::FACT)?, t.col(c::LEVEL)?, t.col(c::ORIGIN)?, t.col(c::FIRST)?, t.col(c::ALL)?);
    (0..t.len())
        .map(|r| {
            Ok(LevelKnown {
                fact: t.str(r, fact).to_string(),
                level: level(t, r, lv)?,
                origin: t.num(r, origin)?,
                first: t.opt_num(r, first)?,
                all: t.opt_num(r, all)?,
            })
        })
        .collect()
}

fn messages(t: &CsvTable) -> Result<Vec<Message>, ReportError> {
    use f::messages as c;
    let (kind, from, to, _sent, delivered, started) =
        (t.col(c::KIND)?, t.col(c::FROM)?, t.col(c::TO)?, t.col(c::SENT)?, t.col(c::DELIVERED)?, t.col(c::STARTED)?);
    (0..t.len())
        .map(|r| {
            Ok(Message {
                kind: t.str(r, kind).to_string(),
                from: t.str(r, from).to_string(),
                to: t.str(r, to).to_string(),
                delivered: t.opt_num(r, delivered)?,
                started: t.opt_num(r, started)?,
            })
        })
        .collect()
}

fn units(t: &CsvTable) -> Result<Vec<UnitRow>, ReportError> {
    use f::units as c;
    let (unit, org, lv, handled, peak) =
        (t.col(c::UNIT)?, t.col(c::ORG)?, t.col(c::LEVEL)?, t.col(c::HANDLED)?, t.col(c::PEAK_BACKLOG)?);
    (0..t.len())
        .map(|r| {
            Ok(UnitRow {
                unit: t.str(r, unit).to_string(),
                org: t.str(r, org).to_string(),
                level: level(t, r, lv)?,
                handled: t.num(r, handled)?,
                peak_backlog: t.num(r, peak)?,
            })
        })
        .collect()
}

fn resources(t: &CsvTable) -> Result<Vec<ResourceRow>, ReportError> {
    use f::resources as c;
    let cols = [c::TIME, c::IN_USE, c::IDLE, c::IN_TRANSIT, c::UNMET].map(|n| t.col(n));
    let [time, in_use, idle, transit, unmet] = cols;
    let (time, in_use, idle, transit, unmet) = (time?, in_use?, idle?, transit?, unmet?);
    let (org, kind) = (t.col(c::ORG)?, t.col(c::TYPE)?);
    (0..t.len())
        .map(|r| {
            Ok(ResourceRow {
                time: t.num(r, time)?,
                org: t.str(r, org).to_string(),
                kind: t.str(r, kind).to_string(),
                in_use: t.num(r, in_use)?,
                idle: t.num(r, idle)?,
                in_transit: t.num(r, transit)?,
                unmet: t.num(r, unmet)?,
            })
        })
        .collect()
}

fn requests(t: &CsvTable) -> Result<Vec<RequestRow>, ReportError> {
    use f::requests as c;
    let (id, incident, kind, qty) = (t.col(c::ID)?, t.col(c::INCIDENT)?, t.col(c::TYPE)?, t.col(c::QUANTITY)?);
    let (req, dec, arr, lender, unmet) =
        (t.col(c::REQUESTED)?, t.col(c::DECIDED)?, t.col(c::ARRIVED)?, t.col(c::LENDER)?, t.col(c::UNMET)?);
    (0..t.len())
        .map(|r| {
            Ok(RequestRow {
                id: t.str(r, id).to_string(),
                incident: t.str(r, incident).to_string(),
                kind: t.str(r, kind).to_string(),
                quantity: t.num(r, qty)?,
                requested: t.num(r, req)?,
                decided: t.opt_num(r, dec)?,
                arrived: t.opt_num(r, arr)?,
                lenders: t.str(r, lender).to_string(),
                unmet: t.opt_num(r, unmet)?.unwrap_or(0.0),
            })
        })
        .collect()
}

fn conferences(t: &CsvTable) -> Result<Vec<ConferenceRow>, ReportError> {
    use f::conferences as c;
    let (id, lv, start, end) = (t.col(c::ID)?, t.col(c::LEVEL)?, t.col(c::START)?, t.col(c::END)?);
    (0..t.len())
        .map(|r| {
            Ok(ConferenceRow {
                id: t.str(r, id).to_string(),
                level: level(t, r, lv)?,
                start: t.num(r, start)?,
                end: t.num(r, end)?,
            })
        })
        .collect()
}

/// Backlog over time of one unit, rebuilt from messages.csv: a message waits in the
/// receiver's queue from `delivered_min` until `started_min` (model.md §5). Returns
/// the step points (time, backlog from then on), in time order, one per time at which
/// the backlog changed; a message started the instant it arrived never waited.
pub fn backlog_steps(messages: &[Message], unit: &str) -> Vec<(f64, u32)> {
    let mut events: Vec<(f64, i32)> = Vec::new();
    for m in messages.iter().filter(|m| m.to == unit) {
        if let Some(d) = m.delivered {
            events.push((d, 1));
            if let Some(s) = m.started {
                events.push((s, -1));
            }
        }
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut level = 0i32;
    let mut steps: Vec<(f64, u32)> = Vec::new();
    for (t, d) in events {
        level += d;
        let v = level.max(0) as u32;
        match steps.last_mut() {
            Some(last) if last.0 == t => last.1 = v,
            _ => steps.push((t, v)),
        }
    }
    steps.dedup_by(|b, a| a.1 == b.1);
    steps
}
