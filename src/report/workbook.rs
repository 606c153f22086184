//! `results.xlsx`: the tables of a run or batch folder as one workbook, for planners
//! who work in a spreadsheet. The CSV files stay the primary data: every sheet is read
//! back from them (as the charts are), so the workbook shows exactly what they hold,
//! and `samverkan report` writes it again.
//!
//! Each sheet has its column ids in the header with their unit (`delay_min (minutes)`),
//! numbers as numbers with a number format, a frozen header and a filter; seeds stay
//! text (they have more digits than a spreadsheet number keeps). A `Read me` sheet (in
//! English and Swedish) links each sheet to its section of docs/outputs.md. A table
//! with more rows than a sheet holds (1 048 576) is left out, and the `Read me` says so.
//! The bytes depend only on the files read: the workbook's creation date is a
//! constant ([`CREATED`]) and the zip entries carry a fixed time.

use super::ReportError;
use super::files;
use super::table::CsvTable;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::path::{Path, PathBuf};

/// The workbook's file name in a run or batch folder.
pub const WORKBOOK: &str = "results.xlsx";
/// The creation date written into every workbook (so that its bytes do not depend on
/// when it was made).
pub const CREATED: (u16, u8, u8) = (2000, 1, 1);
/// Rows in one sheet of Excel (and LibreOffice Calc), the header included.
pub const MAX_ROWS: usize = 1_048_576;

/// One sheet of the workbook: its name, where its rows come from, its section of
/// docs/outputs.md, and what it holds in English and Swedish.
struct Sheet {
    name: &'static str,
    source: Source,
    doc: &'static str,
    en: &'static str,
    sv: &'static str,
}

enum Source {
    /// A CSV file of the folder.
    Csv(&'static str),
    /// summary.json's fields and headline measures, one per row.
    Summary,
    /// summary.json's objectives, one per row.
    SummaryObjectives,
}

const RUN_SHEETS: &[Sheet] = &[
    Sheet {
        name: "summary",
        source: Source::Summary,
        doc: "summary.json",
        en: "The run: scenario, seed, headline measures, messages by kind and channel",
        sv: "Körningen: scenario, slumpfrö, nyckeltal, meddelanden per slag och kanal",
    },
    Sheet {
        name: "objectives",
        source: Source::SummaryObjectives,
        doc: "summary.json",
        en: "Each objective of the scenario: its value, its limit and whether it was met",
        sv: "Varje mål i scenariot: värde, gräns och om det uppfylldes",
    },
    Sheet {
        name: "levels",
        source: Source::Csv(files::run::LEVELS),
        doc: "levels.csv",
        en: "When the first and the last unit of each level came to know each fact",
        sv: "När den första och den sista aktören på varje nivå fick veta varje uppgift",
    },
    Sheet {
        name: "units",
        source: Source::Csv(files::run::UNITS),
        doc: "units.csv",
        en: "Each unit: activation, messages handled, peak backlog",
        sv: "Varje aktör: aktivering, hanterade meddelanden, största kö",
    },
    Sheet {
        name: "conferences",
        source: Source::Csv(files::run::CONFERENCES),
        doc: "conferences.csv",
        en: "Each collaboration conference: when, who took part, facts shared",
        sv: "Varje samverkanskonferens: när, vilka som deltog, delade uppgifter",
    },
    Sheet {
        name: "requests",
        source: Source::Csv(files::run::REQUESTS),
        doc: "requests.csv",
        en: "Each request for resources: when, from whom, how long it waited",
        sv: "Varje begäran om resurser: när, från vem, hur länge den väntade",
    },
    Sheet {
        name: "facts",
        source: Source::Csv(files::run::FACTS),
        doc: "facts.csv",
        en: "Each (fact, unit) that came to know it: when, how, and where the delay went",
        sv: "Varje (uppgift, aktör) som fick veta den: när, hur och vad fördröjningen bestod av",
    },
    Sheet {
        name: "messages",
        source: Source::Csv(files::run::MESSAGES),
        doc: "messages.csv",
        en: "Each message: kind, sender, receiver, channel, sent, delivered, handled",
        sv: "Varje meddelande: slag, avsändare, mottagare, kanal, skickat, levererat, hanterat",
    },
];

const BATCH_SHEETS: &[Sheet] = &[
    Sheet {
        name: "runs",
        source: Source::Csv(files::batch::RUNS),
        doc: "runs.csv",
        en: "One row per run: design point, variant, replication, seed, measures, objectives",
        sv: "En rad per körning: designpunkt, variant, replikering, slumpfrö, nyckeltal, mål",
    },
    Sheet {
        name: "stats",
        source: Source::Csv(files::batch::STATS),
        doc: "stats.csv",
        en: "Per design point, variant and measure: mean, spread, percentiles, 95% interval",
        sv: "Per designpunkt, variant och nyckeltal: medelvärde, spridning, percentiler, 95 %-intervall",
    },
    Sheet {
        name: "objectives",
        source: Source::Csv(files::batch::OBJECTIVES),
        doc: "objectives.csv",
        en: "Per design point, variant and objective: the share of runs meeting it",
        sv: "Per designpunkt, variant och mål: andelen körningar som uppfyllde det",
    },
    Sheet {
        name: "compare",
        source: Source::Csv(files::batch::COMPARE),
        doc: "compare.csv",
        en: "Each variant minus the base, paired by replication, with a 95% interval",
        sv: "Varje variant minus grundfallet, parvis per replikering, med 95 %-intervall",
    },
];

/// Writes `results.xlsx` of a run folder; returns its path.
pub fn write_run(dir: &Path) -> Result<PathBuf, ReportError> {
    write(dir, RUN_SHEETS)
}

/// Writes `results.xlsx` of a batch folder; returns its path.
pub fn write_batch(dir: &Path) -> Result<PathBuf, ReportError> {
    write(dir, BATCH_SHEETS)
}

fn write(dir: &Path, sheets: &[Sheet]) -> Result<PathBuf, ReportError> {
    let path = dir.join(WORKBOOK);
    let bytes = build(dir, sheets)?;
    crate::output::write_atomic(&path, &bytes)?;
    Ok(path)
}

/// The workbook's bytes, from the files in `dir`.
fn build(dir: &Path, sheets: &[Sheet]) -> Result<Vec<u8>, ReportError> {
    let fail = ReportError::Workbook;
    let mut book = Workbook::new();
    let (y, m, d) = CREATED;
    let created = ExcelDateTime::from_ymd(y, m, d).map_err(fail)?;
    let props = DocProperties::new()
        .set_title("samverkan results")
        .set_comment("Derived from the CSV files of this folder; see the Read me sheet")
        .set_creation_datetime(&created);
    book.set_properties(&props);
    let formats = Formats::new();
    let readme = book.add_worksheet();
    readme.set_name(README).map_err(fail)?;
    let mut left_out = vec![];
    for sheet in sheets {
        let rows = match sheet.source {
            Source::Csv(file) => {
                let t = CsvTable::read(&dir.join(file))?;
                if t.len() + 1 > MAX_ROWS {
                    left_out.push((sheet.name, t.len()));
                    continue;
                }
                Rows::from_csv(&t)
            }
            Source::Summary => Rows::summary(&read_json(&dir.join(files::run::SUMMARY))?),
            Source::SummaryObjectives => Rows::objectives(&read_json(&dir.join(files::run::SUMMARY))?),
        };
        let ws = book.add_worksheet();
        ws.set_name(sheet.name).map_err(fail)?;
        rows.write(ws, sheet.name, &formats).map_err(fail)?;
    }
    let readme = book.worksheet_from_name(README).map_err(fail)?;
    write_readme(readme, sheets, &left_out, &formats).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

const README: &str = "Read me";

fn read_json(path: &Path) -> Result<serde_json::Value, ReportError> {
    if !path.is_file() {
        return Err(ReportError::Missing(path.display().to_string()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| ReportError::read(path, e))?;
    serde_json::from_str(&text).map_err(|e| ReportError::read(path, e))
}

struct Formats {
    header: Format,
    title: Format,
    wrap: Format,
    minutes: Format,
    integer: Format,
    percent: Format,
    number: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold().set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            wrap: Format::new().set_text_wrap(),
            minutes: Format::new().set_num_format("0.0###"),
            integer: Format::new().set_num_format("0"),
            percent: Format::new().set_num_format("0.0%"),
            number: Format::new().set_num_format("General"),
        }
    }
}

/// How a column's numbers are shown, chosen from its id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Minutes,
    Share,
    Count,
    /// 1 met, 0 not met.
    Met,
    /// In the unit of the row's measure (stats.csv, compare.csv).
    OfMeasure,
    Plain,
    /// Always text (a seed has more digits than a spreadsheet number keeps).
    Text,
}

fn unit_of(sheet: &str, col: &str) -> Unit {
    const COUNTS: &[&str] = &[
        "point",
        "replication",
        "runs",
        "failed",
        "n",
        "met",
        "pairs",
        "participants",
        "facts_shared",
        "facts_learned",
        "handled",
        "peak_backlog",
    ];
    const OF_MEASURE: &[&str] =
        &["mean", "sd", "min", "max", "base_mean", "variant_mean", "difference", "difference_sd"];
    match col {
        "seed" => Unit::Text,
        c if c.ends_with("_min") => Unit::Minutes,
        c if c.ends_with(".met") => Unit::Met,
        c if COUNTS.contains(&c) => Unit::Count,
        "share" => Unit::Share,
        "ci95_low" | "ci95_high" if sheet == "objectives" => Unit::Share,
        c if matches!(sheet, "stats" | "compare")
            && (OF_MEASURE.contains(&c) || c.starts_with("ci95_") || is_percentile(c)) =>
        {
            Unit::OfMeasure
        }
        _ => Unit::Plain,
    }
}

fn is_percentile(c: &str) -> bool {
    c.strip_prefix('p').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A header: the column id and, when it has one, its unit.
fn label(col: &str, unit: Unit) -> String {
    match unit {
        Unit::Minutes => format!("{col} (minutes)"),
        Unit::Share => format!("{col} (share, %)"),
        Unit::Met => format!("{col} (1 = met, 0 = not met)"),
        Unit::OfMeasure => format!("{col} (unit of the measure)"),
        Unit::Count | Unit::Plain | Unit::Text => col.to_string(),
    }
}

/// A cell: a number or text; empty is never written.
enum Cell {
    Number(f64),
    Text(String),
    Bool(bool),
    Empty,
}

/// A sheet's contents before writing: headers with units, rows of cells.
struct Rows {
    columns: Vec<(String, Unit)>,
    rows: Vec<Vec<Cell>>,
}

impl Rows {
    fn from_csv(t: &CsvTable) -> Rows {
        let sheet = sheet_of(t);
        let columns: Vec<(String, Unit)> = t.header().iter().map(|h| (h.clone(), unit_of(&sheet, h))).collect();
        let numeric: Vec<bool> = columns
            .iter()
            .enumerate()
            .map(|(c, (_, unit))| {
                *unit != Unit::Text && (0..t.len()).all(|r| t.str(r, c).is_empty() || number(t.str(r, c)).is_some())
            })
            .collect();
        let rows = (0..t.len())
            .map(|r| {
                (0..columns.len())
                    .map(|c| match t.str(r, c) {
                        "" => Cell::Empty,
                        s if numeric[c] => number(s).map(Cell::Number).unwrap_or(Cell::Empty),
                        s => Cell::Text(s.to_string()),
                    })
                    .collect()
            })
            .collect();
        Rows { columns, rows }
    }

    fn summary(json: &serde_json::Value) -> Rows {
        let mut rows = vec![];
        let Some(obj) = json.as_object() else { return Rows { columns: vec![], rows } };
        let mut push = |key: String, v: &serde_json::Value| {
            let cell = match v {
                serde_json::Value::Number(n) if key != "seed" => n.as_f64().map(Cell::Number).unwrap_or(Cell::Empty),
                serde_json::Value::Number(n) => Cell::Text(n.to_string()),
                serde_json::Value::String(s) => Cell::Text(s.clone()),
                serde_json::Value::Bool(b) => Cell::Bool(*b),
                _ => Cell::Empty,
            };
            rows.push(vec![Cell::Text(key), cell]);
        };
        // The run's identity first, then the rest in file order.
        const FIRST: [&str; 8] =
            ["scenario", "variant", "seed", "start", "duration_min", "events", "tool_version", "scenario_hash"];
        let rank = |k: &str| FIRST.iter().position(|f| *f == k).unwrap_or(FIRST.len());
        let mut fields: Vec<(&String, &serde_json::Value)> = obj.iter().collect();
        fields.sort_by_key(|(k, _)| rank(k));
        for (key, v) in fields {
            match v {
                serde_json::Value::Object(inner) => {
                    for (k, v) in inner {
                        push(format!("{key}.{k}"), v);
                    }
                }
                serde_json::Value::Array(_) => {}
                v => push(key.clone(), v),
            }
        }
        Rows { columns: vec![("field".into(), Unit::Plain), ("value".into(), Unit::Plain)], rows }
    }

    fn objectives(json: &serde_json::Value) -> Rows {
        const COLS: [&str; 6] = ["id", "description", "measure", "value", "limit", "met"];
        let list = json.get("objectives").and_then(|o| o.as_array()).cloned().unwrap_or_default();
        let rows = list
            .iter()
            .map(|o| {
                COLS.iter()
                    .map(|c| match o.get(*c) {
                        Some(serde_json::Value::Number(n)) => n.as_f64().map(Cell::Number).unwrap_or(Cell::Empty),
                        Some(serde_json::Value::String(s)) => Cell::Text(s.clone()),
                        Some(serde_json::Value::Bool(b)) => Cell::Bool(*b),
                        _ => Cell::Empty,
                    })
                    .collect()
            })
            .collect();
        let columns = COLS
            .iter()
            .map(|c| (c.to_string(), if matches!(*c, "value" | "limit") { Unit::OfMeasure } else { Unit::Plain }))
            .collect();
        Rows { columns, rows }
    }

    fn write(&self, ws: &mut Worksheet, sheet: &str, f: &Formats) -> Result<(), XlsxError> {
        for (c, (id, unit)) in self.columns.iter().enumerate() {
            let text = match (sheet, *unit) {
                ("objectives", Unit::OfMeasure) => format!("{id} (unit of the measure)"),
                _ => label(id, *unit),
            };
            ws.write_string_with_format(0, c as u16, &text, &f.header)?;
            let longest = self.rows.iter().take(500).map(|r| width(&r[c])).max().unwrap_or(0);
            ws.set_column_width(c as u16, (text.chars().count().max(longest) + 2).clamp(8, 60) as f64)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let at = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Number(v) => {
                        let key = if sheet == "summary" { summary_unit(&self.rows[r][0]) } else { self.columns[c].1 };
                        ws.write_number_with_format(at, col, *v, number_format(key, *v, f))?;
                    }
                    Cell::Text(s) => {
                        ws.write_string(at, col, s)?;
                    }
                    Cell::Bool(b) => {
                        ws.write_boolean(at, col, *b)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_landscape().set_repeat_rows(0, 0)?;
        if !self.columns.is_empty() {
            ws.autofilter(0, 0, self.rows.len() as u32, self.columns.len() as u16 - 1)?;
        }
        Ok(())
    }
}

/// In the summary sheet the unit is the field's (column `field`).
fn summary_unit(field: &Cell) -> Unit {
    match field {
        Cell::Text(k) if k.ends_with("_min") => Unit::Minutes,
        _ => Unit::Plain,
    }
}

fn number_format(unit: Unit, v: f64, f: &Formats) -> &Format {
    match unit {
        Unit::Minutes => &f.minutes,
        Unit::Share => &f.percent,
        Unit::Count | Unit::Met => &f.integer,
        _ if v.fract() == 0.0 => &f.integer,
        _ => &f.number,
    }
}

fn width(cell: &Cell) -> usize {
    match cell {
        Cell::Number(_) => 10,
        Cell::Text(s) => s.chars().count(),
        Cell::Bool(_) => 6,
        Cell::Empty => 0,
    }
}

/// A field as a number: what samverkan writes (`-12.5`, `15`).
fn number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The sheet a CSV file becomes (its file stem), for units that depend on the table.
fn sheet_of(t: &CsvTable) -> String {
    t.path().file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn write_readme(
    ws: &mut Worksheet,
    sheets: &[Sheet],
    left_out: &[(&str, usize)],
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "samverkan: results / resultat", &f.title)?;
    let lines = [
        "The CSV files of this folder are the primary data; this workbook is made from them and \
         `samverkan report` writes it again. Each sheet is one file; its columns keep the file's \
         ids, with the unit in brackets.",
        "CSV-filerna i mappen är primärdata; arbetsboken görs från dem och `samverkan report` \
         skriver den igen. Varje blad är en fil; kolumnerna har filens namn, med enheten inom parentes.",
        "Times (…_min) are minutes from the scenario's start; delays and waits are durations in \
         minutes; an empty cell means never or none.",
        "Tider (…_min) är minuter från scenariots start; fördröjningar och väntetider är längder i \
         minuter; en tom cell betyder aldrig eller inget.",
    ];
    for (i, line) in lines.iter().enumerate() {
        ws.merge_range(1 + i as u32, 0, 1 + i as u32, 4, line, &f.wrap)?;
        ws.set_row_height(1 + i as u32, 32)?;
    }
    let top = 6;
    for (c, h) in
        ["sheet / blad", "file / fil", "contents", "innehåll", "documentation / dokumentation"].iter().enumerate()
    {
        ws.write_string_with_format(top, c as u16, *h, &f.header)?;
    }
    for (i, s) in sheets.iter().enumerate() {
        let r = top + 1 + i as u32;
        let file = match s.source {
            Source::Csv(file) => file,
            Source::Summary | Source::SummaryObjectives => files::run::SUMMARY,
        };
        match left_out.iter().find(|(name, _)| *name == s.name) {
            Some((_, n)) => {
                ws.write_string(r, 0, s.name)?;
                ws.write_string(
                    r,
                    2,
                    format!("{} (not in this workbook: {n} rows do not fit in a sheet; open {file})", s.en),
                )?;
                ws.write_string(
                    r,
                    3,
                    format!("{} (finns inte i arbetsboken: {n} rader ryms inte i ett blad; öppna {file})", s.sv),
                )?;
            }
            None => {
                ws.write_url_with_text(r, 0, format!("internal:'{}'!A1", s.name).as_str(), s.name)?;
                ws.write_string(r, 2, s.en)?;
                ws.write_string(r, 3, s.sv)?;
            }
        }
        ws.write_string(r, 1, file)?;
        ws.write_string(r, 4, format!("docs/outputs.md#{}", anchor(s.doc)))?;
    }
    for (c, w) in [14.0, 18.0, 60.0, 60.0, 34.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(top + 1, 0)?;
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The anchor of a file's section in docs/outputs.md (`levels.csv` → `levelscsv`).
fn anchor(file: &str) -> String {
    file.chars().filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_').collect()
}
