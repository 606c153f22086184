//! Reading an exercise log (docs/exercise-log.md): CSV in either dialect, or an `.xlsx`
//! / `.ods` workbook, one row per observation.
//!
//! Columns are found by name in the header row (English or Swedish, any case, any
//! order): `time`, `unit`, `event`, `fact` are required; `from`, `to`, `observer`,
//! `note` are optional; any other column is refused with the accepted names. Each row
//! is checked against the model: the unit (id or name), the event, the fact (inject id,
//! streamed repetition `calls#3`, MSEL sequence number) or the conference, the time
//! (clock time or minutes from the start, within the scenario's duration). Every problem
//! of every row is collected and the log refused with all of them ([`LogError::Rows`]).
//! A row whose `time` is empty is a point that was not observed (a template row left
//! blank) and is skipped; so are empty rows.

mod cells;
mod names;
mod time;

pub use cells::SHEETS;
pub use names::{SWEDISH_EVENTS, makes_fact, msel_order, nominal_times};
pub use time::FORMS as TIME_FORMS;

use super::{EventKind, ExerciseLog, Observation, Subject};
use crate::model::{Model, UnitIdx};
use crate::scenario::msel::{MselError, Record, fmt_local, record_errors};
use names::Names;
use std::fmt;
use std::path::Path;

/// The log's columns, in the order the template writes them.
pub const COLUMNS: [&str; 8] = ["time", "unit", "event", "fact", "from", "to", "observer", "note"];
/// The Swedish name of each of [`COLUMNS`].
pub const SWEDISH: [&str; 8] = ["tid", "enhet", "händelse", "faktum", "från", "till", "observatör", "anteckning"];
/// Further names each column is read under.
const ALIASES: [&[&str]; 8] = [
    &["klockslag", "clock time"],
    &["unit id", "enhets-id"],
    &["event type", "händelsetyp"],
    &["fakta", "uppgift", "subject", "conference", "konferens"],
    &["sender", "avsändare"],
    &["recipient", "mottagare"],
    &["observatör/källa", "source", "källa"],
    &["notes", "comment", "anteckningar", "kommentar"],
];
/// The column `samverkan exercise` adds: what a person did, for a replay
/// (docs/exercise.md). Its rows, event `action`, are not observations and are skipped.
pub const ACTION_COLUMN: [&str; 2] = ["action", "åtgärd"];
/// Columns the reader knows: [`COLUMNS`] and the action column.
const KNOWN: usize = COLUMNS.len() + 1;

/// Columns a log must have.
pub const REQUIRED: [&str; 4] = ["time", "unit", "event", "fact"];

const TIME: usize = 0;
const UNIT: usize = 1;
const EVENT: usize = 2;
const FACT: usize = 3;
const FROM: usize = 4;
const TO: usize = 5;
const OBSERVER: usize = 6;
const NOTE: usize = 7;

/// The column a header cell names (an index into [`COLUMNS`]).
pub fn column_of(header: &str) -> Option<usize> {
    let h = header.trim().to_lowercase();
    if ACTION_COLUMN.contains(&h.as_str()) {
        return Some(COLUMNS.len());
    }
    (0..COLUMNS.len()).find(|&c| COLUMNS[c] == h || SWEDISH[c] == h || ALIASES[c].contains(&h.as_str()))
}

/// A problem in one row of a log.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    /// The row's number as a spreadsheet shows it (the header is row 1).
    pub row: u64,
    /// The column's header as the file writes it; `None` for the row as a whole.
    pub column: Option<String>,
    /// The cell's text.
    pub cell: String,
    /// What is wrong (follows the quoted cell text; said alone for an empty cell).
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        if self.cell.trim().is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": \"{}\" {}", self.cell, self.message)
        }
    }
}

/// Why a log was refused.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("cannot read the log {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// Not a file samverkan reads (an old `.xls`, a damaged workbook, not UTF-8 text, …).
    #[error("the log cannot be read: {0}")]
    Unreadable(#[source] MselError),
    /// The header row is broken (a quote, a column twice, an unknown column, no header).
    #[error("{file}: {message}; the log was refused")]
    Header { file: String, message: String },
    #[error(
        "{file}: missing column{} {}; a log has the columns {} (Swedish: {}); the log was refused",
        if missing.len() == 1 { "" } else { "s" },
        missing.join(", "),
        COLUMNS.join(", "),
        SWEDISH.join(", ")
    )]
    MissingColumns { file: String, missing: Vec<&'static str> },
    #[error("{}", render_rows(file, errors))]
    Rows { file: String, errors: Vec<RowError> },
}

fn render_rows(file: &str, errors: &[RowError]) -> String {
    let mut out: Vec<String> = errors.iter().map(|e| format!("{file} {e}")).collect();
    let n = errors.len();
    out.push(format!("{file}: {n} error{} found; the log was refused", if n == 1 { "" } else { "s" }));
    out.join("\n")
}

/// Reads and checks the log at `path` (see the module comment).
pub fn read(path: &Path, model: &Model) -> Result<ExerciseLog, LogError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LogError::Io { file: file.clone(), source })?;
    parse(&file, &bytes, model)
}

/// Reads and checks a log's bytes (`file` names it in messages and in the result).
pub fn parse(file: &str, bytes: &[u8], model: &Model) -> Result<ExerciseLog, LogError> {
    let (place, records, delim) = cells::records(file, bytes)?;
    let mut records = records.into_iter().skip_while(is_empty);
    let header = records.next().ok_or_else(|| LogError::Header {
        file: place.clone(),
        message: format!("the log is empty; it starts with the header row {}", COLUMNS.join(",")),
    })?;
    let index = columns(&place, &header)?;
    let rows = Rows { model, names: Names::new(model), index, header: &header.cells };
    let mut observations = Vec::new();
    let mut errors = Vec::new();
    for record in records.filter(|r| !is_empty(r)) {
        let broken = record_errors(&record, &header.cells, delim);
        if !broken.is_empty() {
            let cell = |c: &Option<String>| c.as_ref().map(|c| c.trim_matches('`').to_string());
            errors.extend(broken.into_iter().map(|(column, message)| RowError {
                row: record.row,
                column: cell(&column),
                cell: String::new(),
                message,
            }));
            continue;
        }
        match rows.observation(&record) {
            Ok(Some(o)) => observations.push(o),
            Ok(None) => {}
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(LogError::Rows { file: place, errors });
    }
    Ok(ExerciseLog { file: file.to_string(), observations })
}

fn is_empty(r: &Record) -> bool {
    r.cells.iter().all(|c| c.trim().is_empty()) && r.problems.is_empty()
}

/// Where each of [`COLUMNS`] is in the header; refuses a broken header, a column twice,
/// an unknown column and missing columns.
fn columns(place: &str, header: &Record) -> Result<[Option<usize>; KNOWN], LogError> {
    let refuse = |message: String| LogError::Header { file: place.into(), message };
    if let Some((cell, p)) = header.problems.first() {
        return Err(refuse(format!("row {} (the header), column {}: {p}", header.row, cell + 1)));
    }
    let names: Vec<&str> = header.cells.iter().map(|h| h.trim()).collect();
    if names.len() == 1 && names[0].contains('\t') {
        return Err(refuse("the file is tab-separated; save it as CSV (comma- or semicolon-separated, UTF-8)".into()));
    }
    let mut index = [None; KNOWN];
    let mut problems = Vec::new();
    for (i, name) in names.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
        match column_of(name) {
            Some(c) if index[c].is_some() => problems.push(format!(
                "column {} (`{name}`) names the column `{}` again (column {})",
                i + 1,
                COLUMNS.get(c).unwrap_or(&ACTION_COLUMN[0]),
                index[c].unwrap_or(0) + 1
            )),
            Some(c) => index[c] = Some(i),
            None => problems.push(format!("column {} (`{name}`) is not a log column", i + 1)),
        }
    }
    if !problems.is_empty() {
        problems.push(format!("the accepted columns are {} (Swedish: {})", COLUMNS.join(", "), SWEDISH.join(", ")));
        return Err(refuse(problems.join("; ")));
    }
    let missing: Vec<&'static str> =
        REQUIRED.iter().copied().filter(|c| index[column_of(c).unwrap_or(0)].is_none()).collect();
    if !missing.is_empty() {
        return Err(LogError::MissingColumns { file: place.into(), missing });
    }
    Ok(index)
}

/// Checks rows against one model.
struct Rows<'a> {
    model: &'a Model,
    names: Names<'a>,
    index: [Option<usize>; KNOWN],
    header: &'a [String],
}

impl Rows<'_> {
    fn cell<'r>(&self, record: &'r Record, column: usize) -> &'r str {
        self.index[column].and_then(|i| record.cells.get(i)).map_or("", |c| c.trim())
    }

    fn error(&self, record: &Record, column: usize, message: String) -> RowError {
        let fallback = COLUMNS.get(column).copied().unwrap_or(ACTION_COLUMN[0]);
        let name = self.index[column].and_then(|i| self.header.get(i)).map_or(fallback, |h| h.trim());
        RowError { row: record.row, column: Some(name.to_string()), cell: self.cell(record, column).into(), message }
    }

    /// The row as an observation; `None` when its time is empty (not observed) or it
    /// records an action (event `action`, written by `samverkan exercise`).
    fn observation(&self, record: &Record) -> Result<Option<Observation>, Vec<RowError>> {
        if ACTION_COLUMN.contains(&self.cell(record, EVENT).to_lowercase().as_str()) {
            return Ok(None);
        }
        let mut errors = Vec::new();
        let time = match self.time(record) {
            Ok(None) => return Ok(None),
            Ok(Some(t)) => Some(t),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let event = Names::event(self.cell(record, EVENT)).map_err(|m| self.error(record, EVENT, m));
        let event = event.map_err(|e| errors.push(e)).ok();
        let subject = event.and_then(|e| self.subject(record, e).map_err(|x| errors.push(x)).ok()).flatten();
        let unit = self.unit(record, event, subject.as_ref()).map_err(|e| errors.push(e)).ok();
        let from = self.other_end(record, FROM, event, &[EventKind::Received, EventKind::Handled]);
        let to = self.other_end(record, TO, event, &[EventKind::Sent]);
        let from = from.map_err(|e| errors.push(e)).ok().flatten();
        let to = to.map_err(|e| errors.push(e)).ok().flatten();
        match (time, event, unit) {
            (Some(time), Some(event), Some(unit)) if errors.is_empty() => Ok(Some(Observation {
                row: record.row,
                time,
                unit,
                event,
                subject,
                from,
                to,
                observer: self.cell(record, OBSERVER).into(),
                note: self.cell(record, NOTE).into(),
            })),
            _ => Err(errors),
        }
    }

    fn time(&self, record: &Record) -> Result<Option<i64>, RowError> {
        let t = time::parse(self.cell(record, TIME), self.model.start).map_err(|m| self.error(record, TIME, m))?;
        let clock = |t: i64| fmt_local(self.model.start.plus(t));
        match t {
            Some(t) if t < 0 => Err(self.error(record, TIME, format!("is before the scenario's start ({})", clock(0)))),
            Some(t) if t > self.model.duration => Err(self.error(
                record,
                TIME,
                format!(
                    "is after the scenario's end ({}, {} after the start)",
                    clock(self.model.duration),
                    crate::time::fmt_duration(self.model.duration)
                ),
            )),
            t => Ok(t),
        }
    }

    fn subject(&self, record: &Record, event: EventKind) -> Result<Option<Subject>, RowError> {
        let text = self.cell(record, FACT);
        let err = |m: String| self.error(record, FACT, m);
        if text.is_empty() {
            return match (event.needs_subject(), event.is_conference()) {
                (false, _) => Ok(None),
                (true, true) => Err(err(format!("empty: a `{}` row names the conference", event.name()))),
                (true, false) => Err(err(format!("empty: a `{}` row names the fact", event.name()))),
            };
        }
        if event.is_conference() {
            return self.names.conference(text).map(|c| Some(Subject::Conference(c))).map_err(err);
        }
        self.names.fact(text).map(Some).map_err(err)
    }

    fn unit(&self, record: &Record, event: Option<EventKind>, subject: Option<&Subject>) -> Result<UnitIdx, RowError> {
        let text = self.cell(record, UNIT);
        if !text.is_empty() {
            return self.names.unit(text).map_err(|m| self.error(record, UNIT, m));
        }
        match subject {
            Some(Subject::Conference(c)) => Ok(self.model.conferences[*c as usize].convener),
            _ if event.is_some_and(|e| e.is_conference()) => Err(self.error(
                record,
                UNIT,
                "empty: the convener is meant, but the row names no conference of the scenario".into(),
            )),
            _ => Err(self.error(
                record,
                UNIT,
                "empty: every observation names the unit that did or saw it (conference events: empty means the convener)".into(),
            )),
        }
    }

    /// `from` or `to`: a unit, only on the events that have one.
    fn other_end(
        &self,
        record: &Record,
        column: usize,
        event: Option<EventKind>,
        events: &[EventKind],
    ) -> Result<Option<UnitIdx>, RowError> {
        let text = self.cell(record, column);
        if text.is_empty() {
            return Ok(None);
        }
        let unit = self.names.unit(text).map_err(|m| self.error(record, column, m))?;
        match event {
            Some(e) if !events.contains(&e) => {
                let names: Vec<&str> = events.iter().map(|e| e.name()).collect();
                Err(self.error(
                    record,
                    column,
                    format!(
                        "is given on a `{}` row; `{}` is read on {} rows only",
                        e.name(),
                        COLUMNS[column],
                        names.join(" and ")
                    ),
                ))
            }
            _ => Ok(Some(unit)),
        }
    }
}
