//! The MSEL (master scenario events list, domain.md §3.2): a scenario's injects as a CSV
//! table that exercise planners edit in a spreadsheet, and the way back into the file.
//!
//! [`export`] writes one row per inject, in time order, with text cells a spreadsheet
//! would run as formulas neutralised (`table.rs`). [`import`] reads an edited table
//! strictly (`table.rs`: cell counts, quoting, encoding, columns), checks it (`apply.rs`)
//! and changes the scenario file only where a row differs from what `export` would
//! write, with `toml_edit`, so comments, layout and every other table survive. A round
//! trip without edits leaves the file byte for byte as it was. Rows may be edited
//! (times, texts, who and what), added (facts, messages, activations, stand-downs) and
//! removed; every problem is reported with its row number and nothing is written
//! unless the whole table is good and the resulting scenario validates.

use super::error::ScenarioError;
use super::load::Source;
use super::spec::{InjectSpec, ScenarioFile, Selectors};
use crate::output::CsvDialect;
use crate::time::{LocalDateTime, SimTime, fmt_duration, parse_duration};
use indexmap::IndexMap;
use std::fmt;
use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

mod apply;
mod headers;
mod table;
mod workbook;

pub use headers::{Headers, SWEDISH, column_of};
/// Shared with the exercise log reader (`debrief::log`): the log and the MSEL read CSV
/// text and workbooks with the same code.
pub(crate) use table::{Record, record_errors, records_of};
pub use table::{Sheet, TEXT_COLUMNS, decode, neutralise, read as read_table, restore, sheet_text};
pub use workbook::{FileKind, MSEL_SHEET, WorkbookError, sniff, write as workbook};
pub(crate) use workbook::{iso_duration, number, read_sheet};

/// The MSEL columns, in order.
pub const COLUMNS: &[&str] = &[
    "sequence",
    "id",
    "time",
    "clock_time",
    "inject_type",
    "delivery_method",
    "from",
    "to",
    "description",
    "expected_action",
    "objective",
    "severity",
    "enabled",
];

/// What `delivery_method` says for injects that happen in the simulated world.
pub const SIMULATION: &str = "simulation";
/// What `delivery_method` says for a message that follows the scenario's default links.
pub const LINKS: &str = "links";

/// One row of the MSEL, every field as text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// Row number as the planners keep it (not read back).
    pub sequence: String,
    /// The inject's id.
    pub id: String,
    /// When, as a duration from the start (e.g. `1h47m`) or a local date-time.
    pub time: String,
    /// The same instant as a local date-time.
    pub clock_time: String,
    /// What the inject does (fact, message, incident, ...).
    pub inject_type: String,
    /// How it reaches the players: `simulation`, `links` or a channel id.
    pub delivery_method: String,
    /// The sender (a unit id; empty: exercise control).
    pub from: String,
    /// The receivers (unit ids or selectors).
    pub to: String,
    /// What happens.
    pub description: String,
    /// What the players are expected to do.
    pub expected_action: String,
    /// The exercise objective it serves.
    pub objective: String,
    /// Severity 1–5.
    pub severity: String,
    /// `yes` or `no`.
    pub enabled: String,
}

impl Row {
    fn fields(&self) -> [&str; 13] {
        [
            &self.sequence,
            &self.id,
            &self.time,
            &self.clock_time,
            &self.inject_type,
            &self.delivery_method,
            &self.from,
            &self.to,
            &self.description,
            &self.expected_action,
            &self.objective,
            &self.severity,
            &self.enabled,
        ]
    }

    fn field_mut(&mut self, column: usize) -> &mut String {
        match column {
            0 => &mut self.sequence,
            1 => &mut self.id,
            2 => &mut self.time,
            3 => &mut self.clock_time,
            4 => &mut self.inject_type,
            5 => &mut self.delivery_method,
            6 => &mut self.from,
            7 => &mut self.to,
            8 => &mut self.description,
            9 => &mut self.expected_action,
            10 => &mut self.objective,
            11 => &mut self.severity,
            _ => &mut self.enabled,
        }
    }
}

/// A problem in one row of an MSEL file.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    /// The row's number as a spreadsheet shows it (the header is row 1).
    pub row: u64,
    /// The row's inject id (may be empty).
    pub id: String,
    /// The column (its header name in backquotes), where the problem is in one cell.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if !self.id.is_empty() {
            write!(f, " (inject `{}`)", self.id)?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why an MSEL could not be exported or imported.
#[derive(Debug, thiserror::Error)]
pub enum MselError {
    /// The scenario does not load.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The table cannot be read as a whole (encoding, quoting, columns).
    #[error("{file}: {message}; nothing was written")]
    Table {
        /// The table's file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Rows that cannot be read or used.
    #[error("{}", render_rows(file, rows))]
    Rows {
        /// The table's file.
        file: String,
        /// Every row's problem.
        rows: Vec<RowError>,
    },
    /// The scenario after the import would not validate.
    #[error("after the import the scenario would not be valid; nothing was written:\n{0}")]
    Result(ScenarioError),
    /// The workbook cannot be read or written.
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
}

fn render_rows(file: &str, rows: &[RowError]) -> String {
    let mut out: Vec<String> = rows.iter().map(|r| format!("{file}: {r}")).collect();
    let n = rows.len();
    out.push(format!("{file}: {n} error{} found; nothing was written", if n == 1 { "" } else { "s" }));
    out.join("\n")
}

/// The result of an import: the new scenario text and what changed.
#[derive(Debug)]
pub struct Imported {
    /// The new scenario file's text.
    pub text: String,
    /// One line per inject changed, added or removed (empty: nothing changed).
    pub changes: Vec<String>,
    /// Values in the table the import ignores (an unknown column), one line each.
    pub warnings: Vec<String>,
}

/// The scenario's injects as MSEL rows, in time order (ties in file order), with the
/// texts and weekdays of the header language: Swedish headers carry each inject's
/// `description_sv` (its `description` where it has none) and Swedish weekdays.
pub fn rows(source: &Source, headers: Headers) -> Result<Vec<Row>, ScenarioError> {
    let file = decoded(source)?;
    let start = LocalDateTime::parse(&file.scenario.start).map_err(|e| invalid(source, "scenario.start", e))?;
    let times = nominal_times(&file.inject, start);
    let mut order: Vec<usize> = (0..file.inject.len()).collect();
    order.sort_by_key(|i| (times[*i].unwrap_or(SimTime::MAX), *i));
    Ok(order
        .into_iter()
        .enumerate()
        .map(|(seq, i)| {
            let (id, spec) = file.inject.get_index(i).expect("index");
            let mut row = describe(id, spec, times[i], start, headers);
            row.sequence = (seq + 1).to_string();
            row
        })
        .collect())
}

/// The MSEL of a scenario as CSV text. Text cells a spreadsheet would open as a formula
/// get a `'` in front ([`neutralise`]); the import takes it off again.
pub fn export(source: &Source) -> Result<String, ScenarioError> {
    let bytes = export_csv(source, Headers::English, CsvDialect::Comma)?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// [`export`] with the header names and CSV dialect chosen: `excel-sv` writes semicolons,
/// CRLF and a byte-order mark (the MSEL has no decimal numbers to write with a comma).
pub fn export_csv(source: &Source, headers: Headers, dialect: CsvDialect) -> Result<Vec<u8>, ScenarioError> {
    let mut out = dialect.preamble().to_vec();
    let mut w = dialect.writer(&mut out);
    let _ = w.write_record(headers::header_row(headers));
    for row in rows(source, headers)? {
        let cells = COLUMNS.iter().zip(row.fields()).map(|(column, cell)| {
            if TEXT_COLUMNS.contains(column) { neutralise(cell) } else { dialect.field(cell).into_owned() }
        });
        let _ = w.write_record(cells);
    }
    drop(w);
    Ok(out)
}

fn decoded(source: &Source) -> Result<ScenarioFile, ScenarioError> {
    let parsed = super::Parsed::new(source)?;
    let (decoded, diags) = parsed.decode(None, &[])?;
    if !diags.is_empty() {
        return Err(parsed.invalid(diags.list));
    }
    Ok(decoded.file.into_owned())
}

fn invalid(source: &Source, path: &str, message: String) -> ScenarioError {
    let d = super::error::Diagnostic { path: path.into(), message, location: None };
    ScenarioError::Invalid { file: source.file.clone(), diagnostics: source.locate(vec![d]) }
}

/// Each inject's nominal time (without jitter): `at`, or the chain of `after` + `delay`.
/// `None` where the time cannot be worked out (a bad `at`, a missing inject, a cycle).
fn nominal_times(injects: &IndexMap<String, InjectSpec>, start: LocalDateTime) -> Vec<Option<SimTime>> {
    (0..injects.len())
        .map(|i| {
            let mut t: SimTime = 0;
            let mut cur = i;
            for _ in 0..=injects.len() {
                let spec = &injects[cur];
                match (&spec.at, &spec.after) {
                    (Some(at), _) => return parse_at(at, start).ok().map(|a| a + t),
                    (None, Some(after)) => {
                        t += spec.delay.map_or(0, |d| d.0);
                        cur = injects.get_index_of(after)?;
                    }
                    (None, None) => return None,
                }
            }
            None
        })
        .collect()
}

/// An offset ("45m") or a local date-time ("2017-04-07T16:00"), as `at` takes it.
fn parse_at(text: &str, start: LocalDateTime) -> Result<SimTime, String> {
    let t = text.trim();
    if t.contains('T') || t.contains('-') && t.contains(':') {
        let at = LocalDateTime::parse(strip_weekday(t))?;
        return Ok(start.until(at));
    }
    parse_duration(t)
}

/// The text after a leading weekday (English or Swedish: `Fri`, `fre`, `lör.`).
fn strip_weekday(text: &str) -> &str {
    match text.split_once(' ') {
        Some((w, rest)) if crate::time::parse_weekday(w).is_some() => rest.trim(),
        _ => text,
    }
}

fn fmt_offset(t: SimTime) -> String {
    if t == 0 { "0m".into() } else { fmt_duration(t) }
}

/// "Fri 2017-04-07 16:00", with Swedish headers "fre 2017-04-07 16:00" (seconds only
/// when not zero).
fn fmt_clock(start: LocalDateTime, t: SimTime, headers: Headers) -> String {
    let at = start.plus(t);
    match headers {
        Headers::English => fmt_local(at),
        Headers::Swedish => fmt_local_with(at, crate::report::i18n::SV.weekdays[at.weekday()]),
    }
}

/// A local date-time as `clock_time` shows it: "Fri 2017-04-07 16:00".
pub(crate) fn fmt_local(at: LocalDateTime) -> String {
    fmt_local_with(at, crate::report::i18n::EN.weekdays[at.weekday()])
}

/// `at` as `clock_time` shows it, after the weekday name given.
fn fmt_local_with(at: LocalDateTime, weekday: &str) -> String {
    let s = at.to_string().replacen('T', " ", 1);
    let s = s.strip_suffix(":00").map(str::to_string).unwrap_or(s);
    format!("{weekday} {s}")
}

fn selectors(s: &Selectors) -> String {
    s.0.join("; ")
}

/// The row `export` writes for one inject.
fn describe(id: &str, spec: &InjectSpec, time: Option<SimTime>, start: LocalDateTime, headers: Headers) -> Row {
    let description = match (headers, &spec.description_sv) {
        (Headers::Swedish, Some(sv)) => sv.clone(),
        _ => spec.description.clone(),
    };
    let mut r = Row {
        id: id.into(),
        time: time.map(fmt_offset).unwrap_or_default(),
        clock_time: time.map(|t| fmt_clock(start, t, headers)).unwrap_or_default(),
        delivery_method: SIMULATION.into(),
        description,
        expected_action: spec.expected_action.clone(),
        objective: spec.objective.clone(),
        enabled: if spec.enabled.unwrap_or(true) { "yes" } else { "no" }.into(),
        ..Row::default()
    };
    let (kind, from, to, severity) = parts(spec);
    r.inject_type = kind.into();
    r.from = from;
    r.to = to;
    r.severity = severity.map(|s| s.to_string()).unwrap_or_default();
    if let Some(m) = &spec.message {
        r.delivery_method = m.channel.clone().unwrap_or_else(|| LINKS.into());
    }
    r
}

/// (inject type, from, to, severity) of an inject.
fn parts(spec: &InjectSpec) -> (&'static str, String, String, Option<u8>) {
    if let Some(f) = &spec.fact {
        return ("fact", f.origin.clone(), String::new(), Some(f.severity));
    }
    if let Some(i) = &spec.incident {
        return ("incident", String::new(), i.responsible.clone(), Some(i.severity));
    }
    if let Some(g) = &spec.grow {
        return ("grow", String::new(), g.incident.clone(), None);
    }
    if let Some(i) = &spec.infrastructure {
        return ("infrastructure", String::new(), i.area.clone(), None);
    }
    if let Some(s) = &spec.activate {
        return ("activate", String::new(), selectors(s), None);
    }
    if let Some(s) = &spec.stand_down {
        return ("stand_down", String::new(), selectors(s), None);
    }
    if let Some(r) = &spec.resources {
        return ("resources", String::new(), r.pool.clone(), None);
    }
    if let Some(m) = &spec.message {
        return ("message", m.from.clone().unwrap_or_default(), selectors(&m.to), Some(m.severity));
    }
    ("", String::new(), String::new(), None)
}

/// Applies an edited MSEL file (CSV, `.xlsx` or `.ods`, told apart by its bytes, never
/// its name) to a scenario and returns the new scenario text. Nothing is written here.
pub fn import_file(source: &Source, name: &str, bytes: &[u8]) -> Result<Imported, MselError> {
    let kind = sniff(bytes).map_err(|what| match what {
        "xls" => WorkbookError::OldExcel { file: name.into() },
        _ => WorkbookError::NotASpreadsheet { file: name.into() },
    })?;
    let named = std::path::Path::new(name).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let named_book = matches!(named.as_deref(), Some("xlsx" | "ods" | "xls" | "xlsm"));
    let mut notes = Vec::new();
    let (place, table) = match kind {
        FileKind::Text => {
            let text = decode(name, bytes).map_err(|e| match e {
                MselError::Table { file, message } if named_book => MselError::Table {
                    file,
                    message: format!("the file is named like a workbook but is not one (a workbook is a zip archive), nor CSV text: {message}"),
                },
                e => e,
            })?;
            if named_book {
                notes.push(format!("{name}: the file is named like a workbook but holds CSV text; it was read as CSV"));
            }
            (name.to_string(), read_table(name, &text)?)
        }
        FileKind::Xlsx | FileKind::Ods => workbook::read(name, bytes, kind)?,
    };
    let mut imported = import_table(source, &place, table)?;
    notes.append(&mut imported.warnings);
    imported.warnings = notes;
    Ok(imported)
}

/// Applies an edited MSEL (`csv_text`, named `csv_name` in messages) to a scenario and
/// returns the new scenario text. Nothing is written here.
pub fn import(source: &Source, csv_name: &str, csv_text: &str) -> Result<Imported, MselError> {
    import_table(source, csv_name, read_table(csv_name, csv_text)?)
}

/// Applies a table read from a file named `csv_name` (see [`import`]).
fn import_table(source: &Source, csv_name: &str, table: Sheet) -> Result<Imported, MselError> {
    let file = decoded(source)?;
    let start = LocalDateTime::parse(&file.scenario.start).map_err(|e| invalid(source, "scenario.start", e))?;
    if table.rows.is_empty() && table.errors.is_empty() && !file.inject.is_empty() {
        return Err(MselError::Table {
            file: csv_name.into(),
            message: format!(
                "the table has no rows: importing it would remove every inject ({}); to remove them all, edit the scenario file",
                file.inject.len()
            ),
        });
    }
    let mut doc: DocumentMut = source.text.parse().map_err(|e: toml_edit::TomlError| MselError::Table {
        file: source.file.clone(),
        message: format!("cannot edit the file: {}", e.message()),
    })?;
    let mut plan = apply::Plan::new(&file, start, table.headers);
    let mut errors = plan.check(&table.rows, &table.broken);
    errors.extend(table.errors);
    errors.sort_by_key(|e| e.row);
    if !errors.is_empty() {
        return Err(MselError::Rows { file: csv_name.into(), rows: errors });
    }
    let changes = plan.apply(&mut doc);
    let text = if changes.is_empty() { source.text.clone() } else { doc.to_string() };
    if !changes.is_empty() {
        super::validate(&Source::from_str(&source.file, &text)).map_err(MselError::Result)?;
    }
    Ok(Imported { text, changes, warnings: table.warnings })
}

/// Sets `key` in a table (standard or inline), keeping the old value's comments and spacing.
fn put(t: &mut dyn TableLike, key: &str, value: Value) {
    match t.get_mut(key) {
        Some(item) => {
            let mut value = value;
            if let Some(old) = item.as_value() {
                *value.decor_mut() = old.decor().clone();
            }
            *item = Item::Value(value);
        }
        None => {
            t.insert(key, Item::Value(value));
        }
    }
}

/// A new `[inject.ID]` table.
fn new_table() -> Table {
    let mut t = Table::new();
    t.decor_mut().set_prefix("\n");
    t
}

fn inline(pairs: Vec<(&str, Value)>) -> Value {
    let mut t = InlineTable::new();
    for (k, v) in pairs {
        t.insert(k, v);
    }
    Value::InlineTable(t)
}
