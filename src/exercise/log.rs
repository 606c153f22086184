//! The exercise log, written as things happen: one CSV row per observation in the
//! debrief's format (docs/exercise-log.md: `time,unit,event,fact,from,to,observer,note`)
//! plus an `action` column. Rows whose event is `action` record what a person did, as
//! JSON in that column ([`Record`]), with the simulated millisecond it took effect at;
//! `samverkan debrief` skips them, [`super::replay`] reads only them. The first row
//! records the exercise itself ([`Header`]). Every row is flushed as it is written.

use super::{Action, ExerciseError};
use crate::debrief::log::makes_fact;
use crate::model::Model;
use crate::time::{LocalDateTime, SimTime};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// The log's columns, in order.
pub const COLUMNS: [&str; 9] = ["time", "unit", "event", "fact", "from", "to", "observer", "note", "action"];

/// The event of a row that records an action.
pub const ACTION: &str = "action";

/// The observer of rows the engine writes (what samverkan's simulated side did).
pub const ENGINE: &str = "samverkan";

/// What the exercise was: enough to run it again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The scenario file, as given on the command line.
    pub scenario: String,
    /// The scenario file's hash: a replay of another file is refused.
    pub hash: String,
    pub variant: Option<String>,
    pub seed: u64,
    /// The organisations people play, by id.
    pub play: Vec<String>,
    pub speed: f64,
    /// `en` or `sv`.
    pub lang: String,
}

/// The JSON of an `action` row: the exercise itself (the first row), an action, or
/// neither: a mark of the simulated time the exercise had reached (written about once a
/// wall-clock minute, so that `--resume` loses little).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The simulated time it took effect at, in milliseconds from the scenario's start.
    pub at_ms: SimTime,
    /// The role that did it: `control` or an organisation's id.
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise: Option<Header>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<Action>,
}

/// One row, borrowed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Row<'a> {
    pub at: SimTime,
    pub unit: &'a str,
    pub event: &'a str,
    pub fact: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub observer: &'a str,
    pub note: &'a str,
    pub action: &'a str,
}

/// The log being written.
pub struct LogWriter {
    out: csv::Writer<File>,
    path: PathBuf,
    start: LocalDateTime,
    rows: u64,
}

impl LogWriter {
    /// A new log at `path`; an existing file is refused (never clobbered).
    pub fn create(path: &Path, start: LocalDateTime) -> Result<LogWriter, ExerciseError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io(path, e))?;
        }
        let file = OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| io(path, e))?;
        let mut w = LogWriter::over(file, path, start, 0);
        w.out.write_record(COLUMNS).map_err(|e| io(path, e.into()))?;
        w.out.flush().map_err(|e| io(path, e))?;
        Ok(w)
    }

    /// The log at `path` continued (`--resume`), which holds `rows` rows already.
    pub fn append(path: &Path, start: LocalDateTime, rows: u64) -> Result<LogWriter, ExerciseError> {
        let file = OpenOptions::new().append(true).open(path).map_err(|e| io(path, e))?;
        Ok(LogWriter::over(file, path, start, rows))
    }

    fn over(file: File, path: &Path, start: LocalDateTime, rows: u64) -> LogWriter {
        let out = csv::WriterBuilder::new().has_headers(false).from_writer(file);
        LogWriter { out, path: path.to_path_buf(), start, rows }
    }

    /// Writes a row and flushes it to the file.
    pub fn row(&mut self, r: &Row) -> Result<(), ExerciseError> {
        let time = self.start.plus(r.at).to_string().replacen('T', " ", 1);
        let fields = [&time[..], r.unit, r.event, r.fact, r.from, r.to, r.observer, r.note, r.action];
        self.out.write_record(fields).map_err(|e| io(&self.path, e.into()))?;
        self.out.flush().map_err(|e| io(&self.path, e))?;
        self.rows += 1;
        Ok(())
    }

    /// Writes an `action` row for `record`, with a note for people reading the log, and
    /// makes it durable (the rows a replay needs survive a crash of the machine).
    pub fn action(&mut self, record: &Record, unit: &str, note: &str) -> Result<(), ExerciseError> {
        let json = serde_json::to_string(record).map_err(|e| io(&self.path, std::io::Error::other(e)))?;
        let row =
            Row { at: record.at_ms, unit, event: ACTION, observer: &record.by, note, action: &json, ..Row::default() };
        self.row(&row)?;
        self.out.get_ref().sync_data().map_err(|e| io(&self.path, e))
    }

    /// Rows written, the header row not counted.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Whether the debrief can place a row about fact `id`: a fact the scenario's injects
/// make (`alarm`, a stream's repetition `calls#3`). Facts made during the exercise (a
/// player's message, an ad hoc inject) have no counterpart in the model; what happened to
/// them is in the `action` rows only.
pub fn scenario_fact(model: &Model, id: &str) -> bool {
    let (base, rep) = match id.rsplit_once('#') {
        Some((b, n)) if n.parse::<u32>().is_ok() => (b, true),
        _ => (id, false),
    };
    model.injects.iter().any(|i| i.id == base && makes_fact(&i.action) && i.stream.is_some() == rep)
}

fn io(path: &Path, source: std::io::Error) -> ExerciseError {
    ExerciseError::Log { path: path.display().to_string(), source }
}

/// What [`read_actions`] reads of a log.
#[derive(Clone, Debug, Default)]
pub struct Actions {
    /// The `action` rows, in order, with their row numbers (the header is row 1).
    pub actions: Vec<(usize, Record)>,
    /// Rows below the header.
    pub rows: u64,
    /// The observation rows: (unit, event, fact, note), for a resumed exercise to know
    /// what it logged already.
    pub observed: Vec<Observed>,
    /// The latest `time` of an observation row, as written (to the second; rows are not
    /// in time order: a `received` row carries the delivery time).
    pub last_observed: Option<String>,
}

/// An observation row as logged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Observed {
    pub unit: String,
    pub event: String,
    pub fact: String,
    pub note: String,
}

/// The `action` rows of a log and where it ends.
pub fn read_actions(path: &Path) -> Result<Actions, ExerciseError> {
    let bad = |row: usize, what: String| ExerciseError::BadLog { path: path.display().to_string(), row, what };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(path).map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(e) => io(path, e),
        other => bad(1, format!("{other:?}")),
    })?;
    let headers = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(event), Some(action)) = (column("event"), column("action")) else {
        return Err(bad(1, "not an exercise log: it has no `event` and `action` columns".into()));
    };
    let cell = |rec: &csv::StringRecord, name: &str| column(name).and_then(|c| rec.get(c)).unwrap_or("").to_string();
    let mut out = Actions::default();
    for (i, rec) in reader.records().enumerate() {
        let row = i + 2;
        let rec = rec.map_err(|e| bad(row, e.to_string()))?;
        out.rows += 1;
        if rec.get(event) != Some(ACTION) {
            let (unit, event, fact, note) =
                (cell(&rec, "unit"), cell(&rec, "event"), cell(&rec, "fact"), cell(&rec, "note"));
            out.observed.push(Observed { unit, event, fact, note });
            let time = cell(&rec, "time");
            if out.last_observed.as_ref().is_none_or(|t| *t < time) {
                out.last_observed = Some(time); // `YYYY-MM-DD hh:mm:ss` sorts as it reads
            }
            continue;
        }
        let json = rec.get(action).unwrap_or("");
        let r: Record = serde_json::from_str(json).map_err(|e| bad(row, format!("column `action`: {e}")))?;
        out.actions.push((row, r));
    }
    Ok(out)
}
