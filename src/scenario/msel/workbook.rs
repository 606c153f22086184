//! The MSEL as a spreadsheet workbook: written as `.xlsx`, read from `.xlsx` or `.ods`.
//!
//! [`write`] makes three sheets: `MSEL` (the CSV's columns, header frozen and filtered,
//! clock times as real date-times, drop-down lists for the columns with a fixed set of
//! values), `Units` (the scenario's units with their organisations and levels, and the
//! delivery methods the drop-downs offer) and `Read me` (every column explained in
//! English and Swedish).
//!
//! [`read`] turns the `MSEL` sheet (or a workbook's only sheet) into the rows of text the
//! CSV reader produces (`table.rs`), so an edited workbook is checked exactly as a CSV
//! is, and errors carry the sheet's row and column. A cell becomes the text the CSV
//! export writes: whole numbers without `.0`, a date-time in `clock_time` as
//! `Fri 2017-04-07 16:00`, a time of day or duration in `time` as `15m`. Formulas are
//! never evaluated: a cell holding one is an error at its place (its cached value could
//! be stale, and a planner should see that the value came from a formula). The format is
//! found from the bytes, never the file name: a zip holding `xl/workbook.xml` is xlsx,
//! one whose `mimetype` is an OpenDocument spreadsheet is ods.

use super::headers::{Headers, SWEDISH, header_row};
use super::table::{Record, read_cells, sheet_text};
use super::{COLUMNS, MselError, Row, Sheet, fmt_local, rows};
use crate::scenario::load::Source;
use crate::time::{DAY, LocalDateTime, SECOND, SimTime, fmt_duration};
use calamine::{Data, Ods, Reader, Xlsx};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError,
};
use std::io::Cursor;

/// The name of the sheet that holds the MSEL.
pub const MSEL_SHEET: &str = "MSEL";
const UNITS_SHEET: &str = "Units";
const README_SHEET: &str = "Read me";

/// The kinds of inject the `inject_type` drop-down offers.
const INJECT_TYPES: &[&str] =
    &["fact", "incident", "grow", "infrastructure", "activate", "stand_down", "resources", "message"];

/// Rows below the last inject that still get the drop-down lists (for new rows).
const SPARE_ROWS: u32 = 500;

/// What a file's bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// An Office Open XML workbook (`.xlsx`).
    Xlsx,
    /// An OpenDocument spreadsheet (`.ods`).
    Ods,
    /// Anything that is not a zip (or an old binary `.xls`): read as CSV text.
    Text,
}

/// A workbook that cannot be read or written, with its cause.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// An Excel 97–2003 workbook (`.xls`), which is not read.
    #[error(
        "{file}: the file is an Excel 97–2003 workbook (.xls), which samverkan does not read; save it as an Excel workbook (.xlsx) or as CSV UTF-8; nothing was written"
    )]
    OldExcel {
        /// The file.
        file: String,
    },
    /// A zip archive that is not a spreadsheet.
    #[error(
        "{file}: the file is a zip archive but not a spreadsheet (no xl/workbook.xml, not an OpenDocument spreadsheet); save it as .xlsx, .ods or CSV; nothing was written"
    )]
    NotASpreadsheet {
        /// The file.
        file: String,
    },
    /// The workbook cannot be read.
    #[error("{file}: cannot read the {format} workbook: {source}; nothing was written")]
    Open {
        /// The file.
        file: String,
        /// "xlsx" or "ods".
        format: &'static str,
        /// Why it cannot be read.
        #[source]
        source: calamine::Error,
    },
    /// The workbook has no sheet named `MSEL`.
    #[error(
        "{file}: the workbook has no sheet named `MSEL` (its sheets: {}); name the sheet with the MSEL `MSEL`; nothing was written",
        sheets.join(", ")
    )]
    NoMselSheet {
        /// The file.
        file: String,
        /// The sheets it has.
        sheets: Vec<String>,
    },
    /// The workbook could not be written.
    #[error("cannot write the workbook: {0}")]
    Write(#[from] XlsxError),
}

/// The format of a file from its first bytes (and, for a zip, the names inside).
pub fn sniff(bytes: &[u8]) -> Result<FileKind, &'static str> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err("xls");
    }
    if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(b"PK\x05\x06") {
        return Ok(FileKind::Text);
    }
    // Names of zip entries are stored uncompressed (local headers, central directory).
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if has(b"xl/workbook.xml") {
        Ok(FileKind::Xlsx)
    } else if has(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet") {
        Ok(FileKind::Ods)
    } else {
        Err("zip")
    }
}

/// The MSEL sheet of a workbook as a table (see the module comment), with the name
/// messages give it: "FILE, sheet NAME" (a row's error then says "row R, column C").
pub fn read(file: &str, bytes: &[u8], format: FileKind) -> Result<(String, Sheet), MselError> {
    let pick = |sheets: &[String]| match sheets.iter().find(|s| s.trim().eq_ignore_ascii_case(MSEL_SHEET)) {
        Some(s) => Ok(s.clone()),
        None if sheets.len() == 1 => Ok(sheets[0].clone()),
        None => Err(WorkbookError::NoMselSheet { file: file.into(), sheets: sheets.to_vec() }),
    };
    let cell = |value: &Data, header: Option<&str>| cell_text(value, header.and_then(super::headers::column_of));
    let (place, records) = read_sheet(file, bytes, format, &pick, &cell)?;
    Ok((place.clone(), read_cells(&place, records)?))
}

/// Turns a worksheet cell into text, given the text of its column's header (none in the
/// header row itself): the text a CSV file would hold, or what is wrong with the cell.
pub(crate) type CellText<'a> = dyn Fn(&Data, Option<&str>) -> Result<String, String> + 'a;

/// Chooses the sheet to read among a workbook's sheet names.
pub(crate) type PickSheet<'a> = dyn Fn(&[String]) -> Result<String, WorkbookError> + 'a;

/// The cells of one sheet of a workbook as the records the CSV reader makes (`table.rs`),
/// each with its spreadsheet row number and every row as wide as the widest, and the
/// name messages give the sheet ("FILE, sheet NAME"). A formula or an error value is a
/// problem at its cell (formulas are never evaluated). Shared by the MSEL and the
/// exercise log (`debrief::log`).
pub(crate) fn read_sheet(
    file: &str,
    bytes: &[u8],
    format: FileKind,
    pick: &PickSheet,
    cell: &CellText,
) -> Result<(String, Vec<Record>), WorkbookError> {
    let open_err = |format, source| WorkbookError::Open { file: file.into(), format, source };
    match format {
        FileKind::Xlsx => {
            let book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| open_err("xlsx", calamine::Error::Xlsx(e)))?;
            read_book(file, book, "xlsx", pick, cell)
        }
        FileKind::Ods => {
            let book: Ods<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| open_err("ods", calamine::Error::Ods(e)))?;
            read_book(file, book, "ods", pick, cell)
        }
        FileKind::Text => Err(WorkbookError::NotASpreadsheet { file: file.into() }),
    }
}

fn read_book<RS, R>(
    file: &str,
    mut book: R,
    format: &'static str,
    pick: &PickSheet,
    cell: &CellText,
) -> Result<(String, Vec<Record>), WorkbookError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    calamine::Error: From<R::Error>,
{
    let open_err = |source: R::Error| WorkbookError::Open { file: file.into(), format, source: source.into() };
    let name = pick(&book.sheet_names())?;
    let values = book.worksheet_range(&name).map_err(open_err)?;
    let formulas = book.worksheet_formula(&name).map_err(open_err)?;
    let place = format!("{file}, sheet {name}");
    let (Some((_, _)), Some((last_row, last_col))) = (values.start(), values.end()) else {
        return Ok((place, vec![]));
    };
    let width = last_col as usize + 1;
    let mut header: Vec<String> = vec![];
    let mut records = Vec::new();
    for r in 0..=last_row {
        let mut record = Record { row: u64::from(r) + 1, cells: Vec::with_capacity(width), problems: vec![] };
        for c in 0..width as u32 {
            let column = header.get(c as usize).map(String::as_str);
            if let Some(f) = formulas.get_value((r, c)).filter(|f| !f.trim().is_empty()) {
                record.problems.push((
                    c as usize,
                    format!(
                        "the cell holds the formula `={}`; samverkan does not evaluate formulas: replace it by its value (copy, then paste special: values only)",
                        f.trim_start_matches('=')
                    ),
                ));
            }
            let value = values.get_value((r, c)).unwrap_or(&Data::Empty);
            match cell(value, column) {
                Ok(text) => record.cells.push(text),
                Err(problem) => {
                    record.problems.push((c as usize, problem));
                    record.cells.push(String::new());
                }
            }
        }
        if header.is_empty() && record.cells.iter().any(|c| !c.trim().is_empty()) {
            header = record.cells.clone();
        }
        records.push(record);
    }
    Ok((place, records))
}

/// A cell as the text the CSV export would hold; `column` is the MSEL column its
/// header names (none in the header row itself or under an unknown header).
fn cell_text(value: &Data, column: Option<usize>) -> Result<String, String> {
    let col = column.map(|c| COLUMNS[c]);
    Ok(match value {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) if col == Some("enabled") => if *b { "yes" } else { "no" }.into(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::Error(e) => return Err(format!("the cell holds the error {e}; give it a value")),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            if col == Some("time") && (dt.is_duration() || serial < 1.0) {
                return Ok(offset((serial * DAY as f64).round() as SimTime));
            }
            if dt.is_duration() {
                return Err(format!("the cell holds a duration ({serial} days) where a date and time is expected"));
            }
            let (y, m, d, h, min, sec, ms) = dt.to_ymd_hms_milli();
            let at = LocalDateTime::parse(&format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{sec:02}"))?;
            date_time(at.plus(if ms >= 500 { SECOND } else { 0 }), col)
        }
        Data::DateTimeIso(s) => {
            let at = LocalDateTime::parse(s.split('.').next().unwrap_or(s))
                .map_err(|_| format!("the cell holds `{s}`, which is not a date and time samverkan reads"))?;
            date_time(at, col)
        }
        Data::DurationIso(s) => match (col, iso_duration(s)) {
            (Some("time"), Some(t)) => offset(t),
            _ => {
                return Err(format!(
                    "the cell holds the duration `{s}`; write a time such as 45m in the `time` column"
                ));
            }
        },
    })
}

/// A date-time cell's text: as `clock_time` is written, or as a local date-time `at` reads.
fn date_time(at: LocalDateTime, col: Option<&str>) -> String {
    if col == Some("clock_time") { fmt_local(at) } else { at.to_string() }
}

/// A number as samverkan writes it: `4`, not `4.0`.
pub(crate) fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { f.to_string() }
}

fn offset(t: SimTime) -> String {
    if t == 0 { "0m".into() } else { fmt_duration(t) }
}

/// `PT1H15M0S` (what an `.ods` time-of-day cell holds) in milliseconds.
pub(crate) fn iso_duration(s: &str) -> Option<SimTime> {
    let rest = s.strip_prefix("PT")?;
    let (mut total, mut number) = (0.0, String::new());
    for c in rest.chars() {
        let unit = match c {
            '0'..='9' | '.' => {
                number.push(c);
                continue;
            }
            'H' => 3600.0,
            'M' => 60.0,
            'S' => 1.0,
            _ => return None,
        };
        total += number.parse::<f64>().ok()? * unit;
        number.clear();
    }
    number.is_empty().then(|| (total * 1000.0).round() as SimTime)
}

/// The MSEL of a scenario as an `.xlsx` workbook (see the module comment).
pub fn write(source: &Source, headers: Headers) -> Result<Vec<u8>, MselError> {
    let rows = rows(source, headers)?;
    let model = crate::scenario::build(source, None, &[])?;
    let mut methods: Vec<String> = vec![super::SIMULATION.into(), super::LINKS.into()];
    methods.extend(model.channels.iter().map(|c| c.id.clone()));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    msel_sheet(book.add_worksheet(), &rows, headers, &bold, model.units.len(), methods.len())
        .map_err(WorkbookError::Write)?;
    units_sheet(book.add_worksheet(), &model, &methods, &bold).map_err(WorkbookError::Write)?;
    readme_sheet(book.add_worksheet(), &bold).map_err(WorkbookError::Write)?;
    Ok(book.save_to_buffer().map_err(WorkbookError::Write)?)
}

const WIDTHS: [f64; 13] = [9.0, 18.0, 9.0, 21.0, 14.0, 16.0, 16.0, 24.0, 50.0, 40.0, 30.0, 10.0, 8.0];

fn msel_sheet(
    ws: &mut Worksheet,
    rows: &[Row],
    headers: Headers,
    bold: &Format,
    units: usize,
    methods: usize,
) -> Result<(), XlsxError> {
    ws.set_name(MSEL_SHEET)?;
    let minutes = Format::new().set_num_format("ddd yyyy-mm-dd hh:mm");
    let seconds = Format::new().set_num_format("ddd yyyy-mm-dd hh:mm:ss");
    for (c, (name, width)) in header_row(headers).iter().zip(WIDTHS).enumerate() {
        ws.write_string_with_format(0, c as u16, *name, bold)?;
        ws.set_column_width(c as u16, width)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, (column, cell)) in COLUMNS.iter().zip(row.fields()).enumerate() {
            let c = c as u16;
            if cell.is_empty() {
                continue;
            }
            match *column {
                "sequence" | "severity" if cell.parse::<u32>().is_ok() => {
                    ws.write_number(r, c, cell.parse::<u32>().unwrap_or_default())?;
                }
                "clock_time" => match clock_serial(cell) {
                    Some((serial, has_seconds)) => {
                        let format = if has_seconds { &seconds } else { &minutes };
                        ws.write_datetime_with_format(r, c, ExcelDateTime::from_serial_datetime(serial)?, format)?;
                    }
                    None => {
                        ws.write_string(r, c, cell)?;
                    }
                },
                _ => {
                    ws.write_string(r, c, sheet_text(cell))?;
                }
            }
        }
    }
    let last = rows.len() as u32;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last.max(1), 12)?;
    let end = last + SPARE_ROWS;
    let list = |values: &[&str]| DataValidation::new().allow_list_strings(values);
    ws.add_data_validation(1, 4, end, 4, &list(INJECT_TYPES)?)?;
    if methods > 0 {
        let v = DataValidation::new()
            .allow_list_formula(Formula::new(format!("='{UNITS_SHEET}'!$G$2:$G${}", methods + 1)))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message("Not a channel of this scenario (or simulation, links). / Ingen kanal i scenariot.")?;
        ws.add_data_validation(1, 5, end, 5, &v)?;
    }
    if units > 0 {
        let v = DataValidation::new()
            .allow_list_formula(Formula::new(format!("='{UNITS_SHEET}'!$A$2:$A${}", units + 1)))
            .set_error_style(DataValidationErrorStyle::Information)
            .set_error_message(
                "Not one unit of this scenario. Several units (a.b; c.d), selectors (level:coordinating), areas, pools and incidents are allowed too. / Inte en enhet i scenariot; flera enheter, urval, områden, pooler och händelser går också.",
            )?;
        ws.add_data_validation(1, 6, end, 7, &v)?;
    }
    ws.add_data_validation(1, 11, end, 11, &list(&["1", "2", "3", "4", "5"])?)?;
    let enabled = list(&["yes", "no"])?.set_error_style(DataValidationErrorStyle::Warning);
    ws.add_data_validation(1, 12, end, 12, &enabled)?;
    Ok(())
}

/// A `clock_time` text ("Fri 2017-04-07 16:00[:ss]") as an Excel serial date-time, and
/// whether it shows seconds.
fn clock_serial(text: &str) -> Option<(f64, bool)> {
    let at = LocalDateTime::parse(super::strip_weekday(text)).ok()?;
    // 1900-03-01 is serial 61 in Excel's 1900 date system (which has a 1900-02-29).
    let base = LocalDateTime::parse("1900-03-01T00:00").ok()?;
    let ms = base.until(at);
    Some((61.0 + ms as f64 / DAY as f64, text.matches(':').count() == 2))
}

fn units_sheet(
    ws: &mut Worksheet,
    model: &crate::model::Model,
    methods: &[String],
    bold: &Format,
) -> Result<(), XlsxError> {
    ws.set_name(UNITS_SHEET)?;
    let header = ["unit", "name", "organisation", "organisation kind", "level", "", "delivery_method"];
    let widths = [24.0, 32.0, 18.0, 18.0, 14.0, 3.0, 18.0];
    for (c, (h, w)) in header.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, bold)?;
        ws.set_column_width(c as u16, w)?;
    }
    for (r, u) in model.units.iter().enumerate() {
        let r = r as u32 + 1;
        let org = &model.orgs[u.org as usize];
        ws.write_string(r, 0, &u.id)?;
        ws.write_string(r, 1, u.name.as_str())?;
        ws.write_string(r, 2, &org.id)?;
        ws.write_string(r, 3, org.kind.name())?;
        ws.write_string(r, 4, u.level.name())?;
    }
    for (r, m) in methods.iter().enumerate() {
        ws.write_string(r as u32 + 1, 6, m)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, (model.units.len() as u32).max(1), 4)?;
    Ok(())
}

/// (column, meaning, betydelse) for the `Read me` sheet.
const README: [(&str, &str); 13] = [
    ("Position in time order; ignored on import.", "Ordning i tid; läses inte vid import."),
    (
        "The inject's id in the scenario. A new id adds an inject; an empty id gets msel-N.",
        "Injectets id i scenariot. Ett nytt id lägger till ett inject; tomt id blir msel-N.",
    ),
    (
        "Time after the start (45m, 1h47m, 1d2h); a local date-time is accepted too.",
        "Tid efter start (45m, 1h47m, 1d2h); även datum och klockslag går.",
    ),
    (
        "The same as a date-time; used when time is empty, else both must agree.",
        "Samma tid som datum och klockslag; används om Tid är tom, annars ska de stämma överens.",
    ),
    (
        "fact, incident, grow, infrastructure, activate, stand_down, resources, message. Not editable.",
        "Typ av inject (se listan). Kan inte ändras: ta bort raden och lägg till en ny.",
    ),
    (
        "A message's channel (links: the default channels); simulation for events in the simulated world.",
        "Meddelandets kanal (links: standardkanalerna); simulation för det som händer i den simulerade världen.",
    ),
    (
        "A fact's origin unit; a message's sender (empty: exercise control).",
        "Enheten där en uppgift uppstår; ett meddelandes avsändare (tom: övningsledningen).",
    ),
    (
        "Units or selectors (a.b; level:coordinating), an incident's responsible unit, an area, a pool.",
        "Mottagande enheter eller urval (a.b; level:coordinating), ansvarig enhet, område eller pool.",
    ),
    ("What happens.", "Vad som händer."),
    ("What the players should do.", "Vad spelarna förväntas göra."),
    ("The exercise objective the inject serves.", "Övningsmålet som injectet tjänar."),
    ("1–5, for facts, incidents and messages.", "1–5, för uppgifter, händelser och meddelanden."),
    ("yes / no (no: kept in the file, not played).", "yes / no (ja / nej); no: finns kvar men spelas inte."),
];

fn readme_sheet(ws: &mut Worksheet, bold: &Format) -> Result<(), XlsxError> {
    ws.set_name(README_SHEET)?;
    let wrap = Format::new().set_text_wrap();
    let intro = [
        "Edit the MSEL sheet (change, add or remove rows), save as .xlsx and run: samverkan msel import FILE.xlsx --into SCENARIO.toml",
        "Redigera bladet MSEL (ändra, lägg till eller ta bort rader), spara som .xlsx och kör: samverkan msel import FIL.xlsx --into SCENARIO.toml",
        "Nothing is written unless the whole sheet is good; every problem is listed with its row and column. Formulas are not evaluated: write values.",
        "Inget skrivs om inte hela bladet är korrekt; varje fel anges med rad och kolumn. Formler beräknas inte: skriv värden.",
    ];
    for (r, line) in intro.iter().enumerate() {
        ws.write_string(r as u32, 0, *line)?;
    }
    let top = intro.len() as u32 + 1;
    for (c, h) in ["column", "kolumn", "meaning", "betydelse"].iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, bold)?;
    }
    for (i, (en, sv)) in README.iter().enumerate() {
        let r = top + 1 + i as u32;
        ws.write_string(r, 0, COLUMNS[i])?;
        ws.write_string(r, 1, SWEDISH[i])?;
        ws.write_string_with_format(r, 2, *en, &wrap)?;
        ws.write_string_with_format(r, 3, *sv, &wrap)?;
    }
    for (c, w) in [18.0, 18.0, 60.0, 60.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_the_csv_export_writes_them() {
        assert_eq!(number(1.0), "1");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(iso_duration("PT01H15M00S"), Some(75 * 60_000));
        assert_eq!(iso_duration("PT1H"), Some(3_600_000));
        assert_eq!(iso_duration("P1D"), None);
        let (serial, secs) = clock_serial("Fri 2017-04-07 16:00").unwrap();
        assert!(!secs);
        assert!((serial - 42_832.666_666_666_7).abs() < 1e-6, "{serial}");
        assert!(clock_serial("Fri 2017-04-07 16:00:05").unwrap().1);
    }

    #[test]
    fn the_format_is_found_from_the_bytes() {
        assert_eq!(
            sniff(
                b"sequence,id
"
            ),
            Ok(FileKind::Text)
        );
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.xml"), Ok(FileKind::Xlsx));
        assert_eq!(sniff(b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.spreadsheet"), Ok(FileKind::Ods));
        assert_eq!(sniff(b"PK\x03\x04....word/document.xml"), Err("zip"));
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), Err("xls"));
    }
}
