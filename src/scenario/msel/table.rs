//! Reading an MSEL file strictly: bytes to text, text to cells, cells to rows.
//!
//! A spreadsheet's CSV is checked as written, not guessed at: every row must have the
//! header's number of cells, a quote may only open a cell and close it (a quote inside
//! is doubled), and an unclosed quote is an error at the row and column where it
//! opened. Every broken row is reported, not only the first. Comma-separated files are
//! read, and semicolon-separated ones (spreadsheets in Swedish save those); a UTF-8
//! byte-order mark is skipped. Other encodings are refused with how to save as UTF-8.
//!
//! Text cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return open as
//! formulas in Excel and LibreOffice; [`neutralise`] prefixes them with `'` on export
//! and [`restore`] takes the prefix off on import.

use super::headers::{Headers, column_of};
use super::{COLUMNS, MselError, Row, RowError};
use std::iter::Peekable;
use std::str::Chars;

/// The columns whose cells are free text or ids (neutralised on export); the others
/// (`sequence`, `time`, `clock_time`, `severity`, `enabled`) are written by samverkan
/// as numbers, durations, dates or yes/no and never start with a formula character.
pub const TEXT_COLUMNS: &[&str] =
    &["id", "inject_type", "delivery_method", "from", "to", "description", "expected_action", "objective"];

const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet would open `cell` as a formula (or, after one `'` is taken off
/// on import, would change it): it starts with a formula character after any `'`s.
fn needs_prefix(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// A text cell as written to the MSEL: `'` before a cell a spreadsheet would run.
pub fn neutralise(cell: &str) -> String {
    if needs_prefix(cell) { format!("'{cell}") } else { cell.to_string() }
}

/// The inverse of [`neutralise`]: one `'` off a cell that `neutralise` would have prefixed.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_prefix(rest) => rest,
        _ => cell,
    }
}

/// A text cell as written to a workbook, where cells are text and nothing runs as a
/// formula: as it is, unless [`restore`] would take a `'` off it (a text that starts with
/// `'` and a formula character), which then gets one more.
pub fn sheet_text(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with('\'') && needs_prefix(cell) { neutralise(cell).into() } else { cell.into() }
}

/// An MSEL file's bytes as text; names the row and column of the first byte that is not
/// UTF-8 (a Latin-1 or Windows-1252 export), and refuses UTF-16.
pub fn decode(name: &str, bytes: &[u8]) -> Result<String, MselError> {
    let table_err = |message: String| MselError::Table { file: name.into(), message };
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(table_err(
            "the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" (Excel) or as CSV with the character set UTF-8 (LibreOffice)".into(),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let bad = bytes[e.valid_up_to()];
            let records = split(good, delimiter(good));
            let place = match (records.first(), records.last()) {
                // The bad byte starts a line: the row after the last one read, its first cell.
                (Some(header), Some(last)) if good.ends_with(['\n', '\r']) => {
                    format!("row {}, column {}", last.row + 1, header_name(&header.cells, 0))
                }
                (Some(header), Some(last)) => {
                    let column = header_name(&header.cells, last.cells.len() - 1);
                    format!("row {}, column {column}", last.row)
                }
                _ => "row 1".into(),
            };
            Err(table_err(format!(
                "{place}: byte 0x{bad:02X} is not UTF-8 (the file looks saved as Latin-1 or Windows-1252); save it as \"CSV UTF-8\" (Excel) or as CSV with the character set UTF-8 (LibreOffice)"
            )))
        }
    }
}

/// One record of the file as read, before it is matched to the header. The exercise
/// log (`debrief::log`) reads its cells through the same functions.
pub(crate) struct Record {
    /// The spreadsheet's row number (the header is row 1 in a CSV file).
    pub(crate) row: u64,
    pub(crate) cells: Vec<String>,
    /// (cell index, problem) for quoting errors (or a worksheet cell that cannot be
    /// read), in the order met.
    pub(crate) problems: Vec<(usize, String)>,
}

/// CSV text (a UTF-8 byte-order mark skipped) as records, strictly (see the module
/// comment), with the delimiter found from the header row (`,` or `;`).
pub(crate) fn records_of(text: &str) -> (Vec<Record>, char) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delim = delimiter(text);
    (split(text, delim), delim)
}

/// `;` when the header row has semicolons and no commas, else `,`.
fn delimiter(text: &str) -> char {
    let header = text.lines().next().unwrap_or("");
    if header.contains(';') && !header.contains(',') { ';' } else { ',' }
}

/// The text as records, strictly (see the module comment).
fn split(text: &str, delim: char) -> Vec<Record> {
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let mut out = Vec::new();
    while chars.peek().is_some() {
        let mut record = Record { row: out.len() as u64 + 1, cells: vec![], problems: vec![] };
        loop {
            let (cell, problem, end) = cell(&mut chars, delim, &mut line);
            if let Some(p) = problem {
                record.problems.push((record.cells.len(), p));
            }
            record.cells.push(cell);
            if end != End::Delimiter {
                break;
            }
        }
        out.push(record);
    }
    out
}

#[derive(PartialEq)]
enum End {
    Delimiter,
    Line,
    File,
}

/// One cell; `line` counts the lines read so far (for the unclosed-quote message).
fn cell(chars: &mut Peekable<Chars>, delim: char, line: &mut u64) -> (String, Option<String>, End) {
    let mut text = String::new();
    let mut problem = None;
    let quoted = chars.next_if_eq(&'"').is_some();
    if quoted {
        let opened = *line;
        loop {
            match chars.next() {
                None => {
                    let p = format!(
                        "the quote that opens this cell (line {opened}) is never closed, so the rest of the file ({} line{}) was read into it; close the cell with `\"` (a quote inside a cell is written `\"\"`)",
                        *line - opened + 1,
                        if *line == opened { "" } else { "s" }
                    );
                    return (text, Some(p), End::File);
                }
                Some('"') if chars.next_if_eq(&'"').is_some() => text.push('"'),
                Some('"') => break,
                Some(c) => {
                    *line += u64::from(c == '\n');
                    text.push(c);
                }
            }
        }
        if chars.peek().is_some_and(|c| *c != delim && *c != '\n' && *c != '\r') {
            problem = Some(if *line == opened {
                "text follows after the closing quote of a quoted cell; a quote inside a cell is written `\"\"` and the whole cell goes in quotes".into()
            } else {
                format!(
                    "the quote that opens this cell (line {opened}) is closed only on line {line}, where text follows it: the quote on line {opened} is probably never closed; close it (a quote inside a cell is written `\"\"`)"
                )
            });
        }
    }
    loop {
        match chars.next() {
            None => return (text, problem, End::File),
            Some(c) if c == delim => return (text, problem, End::Delimiter),
            Some('\n') => break,
            Some('\r') => {
                chars.next_if_eq(&'\n');
                break;
            }
            Some('"') if problem.is_none() && !quoted => {
                problem = Some(
                    "a quote `\"` inside a cell that does not start with one; put the whole cell in quotes and write the quote as `\"\"`".into(),
                );
                text.push('"');
            }
            Some(c) => text.push(c),
        }
    }
    *line += 1;
    (text, problem, End::Line)
}

/// An MSEL table as read: the good rows, and every problem found.
#[derive(Debug, Default)]
pub struct Sheet {
    /// Each readable row with its spreadsheet row number.
    pub rows: Vec<(u64, Row)>,
    /// The ids (where readable) of rows that could not be read: they are not removals.
    pub broken: Vec<String>,
    /// The problems of rows that could not be read.
    pub errors: Vec<RowError>,
    /// Values the import cannot use and ignores (an unknown column), said aloud.
    pub warnings: Vec<String>,
    /// The language of the texts, told by the description column's header.
    pub headers: Headers,
}

fn header_name(header: &[String], cell: usize) -> String {
    match header.get(cell).map(|h| h.trim()) {
        Some(h) if !h.is_empty() => format!("`{h}`"),
        _ => format!("{} (beyond the header's columns)", cell + 1),
    }
}

/// Reads an MSEL table (see the module comment). Columns are found by name
/// ([`super::headers`]), in any order, ignoring case; a column twice is an error, an
/// unknown one a warning.
pub fn read(name: &str, text: &str) -> Result<Sheet, MselError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(MselError::Table {
            file: name.into(),
            message: format!("the file is empty; an MSEL starts with the header row {}", COLUMNS.join(",")),
        });
    }
    let (records_read, delim) = records_of(text);
    records(name, records_read, delim)
}

/// Reads an MSEL table from the cells of a worksheet: each row with its spreadsheet row
/// number, every row as wide as the widest (see `workbook.rs`). The header is the first
/// row that is not empty.
pub(super) fn read_cells(name: &str, rows: Vec<Record>) -> Result<Sheet, MselError> {
    let rows: Vec<Record> =
        rows.into_iter().skip_while(|r| r.cells.iter().all(|c| c.trim().is_empty()) && r.problems.is_empty()).collect();
    if rows.is_empty() {
        return Err(MselError::Table {
            file: name.into(),
            message: format!("the sheet is empty; an MSEL starts with the header row {}", COLUMNS.join(", ")),
        });
    }
    records(name, rows, ',')
}

/// The records of a table, the first being the header, as a [`Sheet`].
fn records(name: &str, records: Vec<Record>, delim: char) -> Result<Sheet, MselError> {
    let table_err = |message: String| MselError::Table { file: name.into(), message };
    let mut records = records.into_iter();
    let header = records.next().unwrap_or(Record { row: 1, cells: vec![], problems: vec![] });
    let index = columns(&header).map_err(table_err)?;
    let description = index[8].and_then(|i| header.cells.get(i)).map_or("", String::as_str);
    let mut table = Sheet {
        warnings: unknown_columns(name, &header.cells, records.as_slice()),
        headers: super::headers::language_of(description),
        ..Sheet::default()
    };
    for record in records {
        if record.cells.iter().all(|c| c.trim().is_empty()) && record.problems.is_empty() {
            continue;
        }
        let id = index[1].and_then(|i| record.cells.get(i)).map(|c| restore(c.trim()).to_string()).unwrap_or_default();
        let errors = record_errors(&record, &header.cells, delim);
        if errors.is_empty() {
            table.rows.push((record.row, row(&record.cells, &index)));
            continue;
        }
        let row_error = |(column, message)| RowError { row: record.row, id: id.clone(), column, message };
        table.errors.extend(errors.into_iter().map(row_error));
        table.broken.push(id);
    }
    Ok(table)
}

/// Where each of [`COLUMNS`] is in the header; refuses a broken header, a column twice
/// and missing columns (all named at once).
fn columns(header: &Record) -> Result<Vec<Option<usize>>, String> {
    if let Some((cell, p)) = header.problems.first() {
        return Err(format!("row {} (the header), column {}: {p}", header.row, cell + 1));
    }
    let names: Vec<String> = header.cells.iter().map(|h| h.trim().to_string()).collect();
    if names.len() == 1 && names[0].contains('\t') {
        return Err("the file is tab-separated; save it as CSV (comma-separated, UTF-8)".into());
    }
    let known: Vec<Option<usize>> = names.iter().map(|n| column_of(n)).collect();
    let mut problems = Vec::new();
    for (i, n) in names.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
        let twice = |(j, m): &(usize, &String)| match known[i] {
            Some(c) => known[*j] == Some(c),
            None => m.to_lowercase() == n.to_lowercase(),
        };
        if let Some((j, m)) = names.iter().enumerate().skip(i + 1).find(|p| twice(p)) {
            problems.push(if m.to_lowercase() == n.to_lowercase() {
                format!("column `{}` appears twice (columns {} and {})", n.to_lowercase(), i + 1, j + 1)
            } else {
                let c = COLUMNS[known[i].unwrap_or_default()];
                format!("columns `{n}` and `{m}` both name the column `{c}` (columns {} and {})", i + 1, j + 1)
            });
        }
    }
    let index: Vec<Option<usize>> = (0..COLUMNS.len()).map(|c| known.iter().position(|k| *k == Some(c))).collect();
    let missing: Vec<&str> =
        COLUMNS.iter().zip(&index).filter(|(c, i)| i.is_none() && **c != "sequence").map(|(c, _)| *c).collect();
    if !missing.is_empty() {
        let unknown: Vec<&str> =
            names.iter().zip(&known).filter(|(n, k)| !n.is_empty() && k.is_none()).map(|(n, _)| n.as_str()).collect();
        let hint = if unknown.is_empty() { String::new() } else { format!(" (this file has {})", unknown.join(", ")) };
        problems.push(format!(
            "missing column{} {}{hint}; an MSEL has the columns {} (other names they may have: docs/msel.md)",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            COLUMNS.join(", ")
        ));
    }
    if problems.is_empty() { Ok(index) } else { Err(problems.join("; ")) }
}

/// A warning for each column that is not an MSEL column and holds values.
fn unknown_columns(name: &str, header: &[String], records: &[Record]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if column_of(h).is_some() {
            continue;
        }
        let n = records.iter().filter(|r| r.cells.get(i).is_some_and(|c| !c.trim().is_empty())).count();
        if n > 0 {
            let column = if h.trim().is_empty() {
                format!("column {} has no name", i + 1)
            } else {
                format!("column `{}` is not an MSEL column", h.trim())
            };
            out.push(format!(
                "{name}: {column}; its {n} value{} {} ignored",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" }
            ));
        }
    }
    out
}

/// A record's quoting errors, or else a wrong number of cells: (column, message).
pub(crate) fn record_errors(record: &Record, header: &[String], delim: char) -> Vec<(Option<String>, String)> {
    // After the first quoting error the rest of the row cannot be trusted: that one is reported.
    if let Some((c, p)) = record.problems.first() {
        return vec![(Some(header_name(header, *c)), p.clone())];
    }
    let (n, want) = (record.cells.len(), header.len());
    if n == want {
        return vec![];
    }
    let mut message = if n < want {
        format!(
            "the row has {n} cells but the header has {want}: a cell is missing (every row keeps a cell for each column, empty or not)"
        )
    } else {
        format!("the row has {n} cells but the header has {want}: a cell holding `{delim}` must be in quotes")
    };
    if let Some(i) = record.cells.iter().position(|c| c.contains('\n')) {
        let lines = record.cells[i].lines().count();
        message.push_str(&format!(
            "; its cell under {} runs over {lines} lines: check that cell's quotes",
            header_name(header, i)
        ));
    }
    vec![(None, message)]
}

/// A good record as a [`Row`], with the formula prefix taken off text cells.
fn row(cells: &[String], index: &[Option<usize>]) -> Row {
    let mut row = Row::default();
    for (c, i) in index.iter().enumerate() {
        if let Some(v) = i.and_then(|i| cells.get(i)) {
            let text = TEXT_COLUMNS.contains(&COLUMNS[c]);
            *row.field_mut(c) = if text { restore(v) } else { v }.to_string();
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_that_is_not_utf8_is_placed_at_its_row_and_column() {
        let place = |bytes: &[u8]| match decode("f.csv", bytes) {
            Err(MselError::Table { message, .. }) => message.split(':').next().unwrap_or_default().to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(place(b"sequence,id\n1,a\n\xC4,b\n"), "row 3, column `sequence`");
        assert_eq!(place(b"sequence,id\n1,a\n2,\xC4b\n"), "row 3, column `id`");
    }

    #[test]
    fn the_formula_prefix_is_taken_off_exactly_where_it_was_put_on() {
        for cell in ["=1+1", "+46", "-", "@x", "\tTab", "\rCR", "'=x", "''=x", "'", "'plain", "plain", "", " =x"] {
            assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
            assert!(!neutralise(cell).starts_with(FORMULA_START), "{cell:?}");
        }
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("'plain"), "'plain");
        assert_eq!(restore("'plain"), "'plain");
        for cell in ["=1+1", "'=x", "''=x", "'", "'plain", "plain", "-"] {
            assert_eq!(restore(&sheet_text(cell)), cell, "{cell:?}");
        }
        assert_eq!(sheet_text("=1+1"), "=1+1");
    }

    #[test]
    fn cells_are_split_strictly() {
        let records = split("a,\"b,\"\"c\"\"\",\"d\ne\"\r\nf,g", ',');
        assert_eq!(records[0].cells, ["a", "b,\"c\"", "d\ne"]);
        assert!(records[0].problems.is_empty());
        assert_eq!((records[1].row, records[1].cells.clone()), (2, vec!["f".to_string(), "g".to_string()]));
        assert_eq!(split("a,b\"c\n", ',')[0].problems[0].0, 1);
        assert_eq!(split("a,\"b\"c\n", ',')[0].problems[0].0, 1);
        assert!(split("a,\"b\nc\n", ',')[0].problems[0].1.contains("never closed"));
        assert_eq!(split("a;\"b;c\"", ';')[0].cells, ["a", "b;c"]);
    }
}
