//! The MSEL as a workbook: the export imports unchanged, a bad workbook is refused with its
//! sheet, row and column, and workbooks made by other programs (LibreOffice Calc, Python's
//! openpyxl) import as the same table saved as CSV does.
//!
//! The LibreOffice and openpyxl tests need `soffice` (Debian `libreoffice-calc-nogui`) and
//! `python3-openpyxl`; `.ci/run` installs them. Without them a test fails when `CI` is
//! set and is skipped with a note otherwise.

use super::{EXPORT, SCENARIO, exercise, scenario};
use crate::common::Scratch;
use crate::reliability::support::{code, repo, samverkan_in, stderr};
use std::path::Path;
use std::process::{Command, Output};

/// Runs `samverkan ARGS` in `dir` and asserts it succeeded; returns its stdout.
fn ok(dir: &Scratch, args: &[&str]) -> String {
    let o = samverkan_in(&dir.0, args);
    assert_eq!(code(&o), 0, "samverkan {args:?}:\n{}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Imports `file` into `small.toml` and checks the scenario did not change.
fn imports_unchanged(dir: &Scratch, file: &str) {
    let out = ok(dir, &["msel", "import", file, "--into", "small.toml"]);
    assert!(out.contains("nothing to change"), "{file}: {out}");
    assert_eq!(scenario(dir), SCENARIO, "{file}");
}

/// The import was refused (exit 2), said `wants` and left the scenario as it was.
fn refused(dir: &Scratch, file: &str, wants: &[&str]) -> String {
    let o = samverkan_in(&dir.0, &["msel", "import", file, "--into", "small.toml"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    for w in wants {
        assert!(err.contains(w), "`{w}` not in:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(scenario(dir), SCENARIO);
    err
}

/// A workbook with `sheets` (name, rows of cells; a cell starting with `=` is written
/// as a formula, a number-like cell as a number) written by rust_xlsxwriter.
fn workbook(path: &Path, sheets: &[(&str, Vec<Vec<&str>>)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if let Some(f) = cell.strip_prefix('=') {
                    ws.write_formula(r, c, rust_xlsxwriter::Formula::new(f).set_result("2")).unwrap();
                } else if let Ok(n) = cell.parse::<f64>() {
                    ws.write_number(r, c, n).unwrap();
                } else {
                    ws.write_string(r, c, *cell).unwrap();
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// [`EXPORT`] as rows of cells.
fn export_rows() -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(EXPORT.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn as_refs(rows: &[Vec<String>]) -> Vec<Vec<&str>> {
    rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect()
}

#[test]
fn every_stock_scenario_round_trips_through_xlsx_unchanged() {
    let dir = Scratch::new("msel-xlsx-stock");
    let mut files: Vec<_> = std::fs::read_dir(repo("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    for file in files {
        let original = std::fs::read(&file).unwrap();
        let copy = dir.0.join("copy.toml");
        std::fs::write(&copy, &original).unwrap();
        for lang in ["en", "sv"] {
            let book = dir.0.join(format!("msel-{lang}.xlsx"));
            let args = ["msel", "export", file.to_str().unwrap(), "--format", "xlsx", "--lang", lang, "--out"];
            ok(&dir, &[&args[..], &[book.to_str().unwrap(), "--force"]].concat());
            let out = ok(&dir, &["msel", "import", book.to_str().unwrap(), "--into", "copy.toml"]);
            assert!(out.contains("nothing to change"), "{}: {out}", file.display());
            assert_eq!(std::fs::read(&copy).unwrap(), original, "{}", file.display());
        }
    }
}

#[test]
fn swedish_headers_and_the_excel_sv_dialect_import_unchanged() {
    let dir = exercise("xlsx-sv-csv");
    let sv = ok(&dir, &["msel", "export", "small.toml", "--lang", "sv", "--csv-dialect", "excel-sv"]);
    assert!(sv.starts_with("\u{feff}Nr;ID;Tid;Klocktid;Typ;Leveranssätt;Från;Till;Beskrivning;"), "{sv}");
    assert!(sv.contains("\r\n") && !sv.replace("\r\n", "").contains('\n'), "{sv:?}");
    std::fs::write(dir.0.join("sv.csv"), &sv).unwrap();
    imports_unchanged(&dir, "sv.csv");
    let o = samverkan_in(&dir.0, &["msel", "export", "small.toml", "--format", "xlsx"]);
    assert_eq!(code(&o), 2, "xlsx to standard output must be refused");
    assert!(stderr(&o).contains("--out"), "{}", stderr(&o));
}

#[test]
fn hseep_and_swedish_headers_are_read_and_an_unknown_column_is_named() {
    let dir = exercise("xlsx-hseep");
    let hseep = "Inject #,ID,Scenario Time,Klocktid,Inject Type,Delivery Method,Controller Responsible,Intended Player,\
Event Synopsis / Inject,Expected Player Action,Objective / Core Capability,Allvarlighetsgrad,Aktiv,Notes";
    let mut lines = EXPORT.lines();
    lines.next();
    let mut table = format!("{hseep}\n");
    for (i, l) in lines.enumerate() {
        table.push_str(&format!("{l},{}\n", if i == 0 { "call the mayor" } else { "" }));
    }
    std::fs::write(dir.0.join("hseep.csv"), &table).unwrap();
    let o = samverkan_in(&dir.0, &["msel", "import", "hseep.csv", "--into", "small.toml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("column `Notes` is not an MSEL column; its 1 value is ignored"), "{}", stderr(&o));
    assert_eq!(scenario(&dir), SCENARIO);
    let twice = EXPORT.replacen("sequence,id,time,", "sequence,id,Tid,", 1).replacen(",enabled\n", ",time\n", 1);
    std::fs::write(dir.0.join("twice.csv"), twice).unwrap();
    refused(&dir, "twice.csv", &["columns `Tid` and `time` both name the column `time`"]);
}

#[test]
fn a_workbook_is_read_by_its_content_not_its_name() {
    let dir = exercise("xlsx-names");
    ok(&dir, &["msel", "export", "small.toml", "--format", "xlsx", "--out", "msel.xlsx"]);
    std::fs::copy(dir.0.join("msel.xlsx"), dir.0.join("really-a-workbook.csv")).unwrap();
    imports_unchanged(&dir, "really-a-workbook.csv");
    std::fs::write(dir.0.join("really-a-table.xlsx"), EXPORT).unwrap();
    let o = samverkan_in(&dir.0, &["msel", "import", "really-a-table.xlsx", "--into", "small.toml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("named like a workbook but holds CSV text"), "{}", stderr(&o));
    assert_eq!(scenario(&dir), SCENARIO);
}

#[test]
fn bad_workbooks_are_refused_with_their_place_and_nothing_is_written() {
    let dir = exercise("xlsx-bad");
    // Not a zip, not text: a damaged download named .xlsx.
    std::fs::write(dir.0.join("damaged.xlsx"), [0x00, 0xff, 0xfe, 0x80, 0x81]).unwrap();
    refused(&dir, "damaged.xlsx", &["damaged.xlsx", "named like a workbook but is not one"]);
    // A zip that is not a spreadsheet; an old binary .xls.
    std::fs::write(dir.0.join("letter.xlsx"), b"PK\x03\x04\x14\x00\x00\x00word/document.xml").unwrap();
    refused(&dir, "letter.xlsx", &["zip archive but not a spreadsheet"]);
    std::fs::write(dir.0.join("old.xls"), [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap();
    refused(&dir, "old.xls", &["Excel 97–2003", ".xlsx"]);
    // Two sheets, neither called MSEL.
    let rows = export_rows();
    workbook(&dir.0.join("sheets.xlsx"), &[("Plan", as_refs(&rows)), ("Notes", vec![vec!["x"]])]);
    refused(&dir, "sheets.xlsx", &["no sheet named `MSEL`", "Plan, Notes"]);
    // A wrong header.
    let mut wrong = rows.clone();
    wrong[0][2] = "when".into();
    workbook(&dir.0.join("header.xlsx"), &[("MSEL", as_refs(&wrong))]);
    refused(&dir, "header.xlsx", &["header.xlsx, sheet MSEL", "missing column time", "when"]);
    // A bad time in row 3 and a formula in row 4: both reported with sheet, row and column.
    let mut bad = rows.clone();
    bad[2][2] = "soon".into();
    bad[3][8] = "=1+1".into();
    workbook(&dir.0.join("cells.xlsx"), &[("MSEL", as_refs(&bad))]);
    let err = refused(&dir, "cells.xlsx", &["cells.xlsx, sheet MSEL: row 3 (inject `fire`)", "time"]);
    assert!(
        err.contains(
            "cells.xlsx, sheet MSEL: row 4 (inject `denial`), column `description`: the cell holds the formula `=1+1`"
        ),
        "{err}"
    );
    assert!(err.contains("2 errors found"), "{err}");
}

#[test]
fn numbers_and_dates_typed_into_a_workbook_read_as_the_csv_export_writes_them() {
    // rust_xlsxwriter writes sequence and severity as numbers (4.0 in the file), ids and
    // texts as strings; the clock times are strings here, date-times in our own export.
    let dir = exercise("xlsx-numbers");
    workbook(&dir.0.join("typed.xlsx"), &[("Blad1", as_refs(&export_rows()))]);
    imports_unchanged(&dir, "typed.xlsx");
}

// ---- other programs' workbooks -------------------------------------------------------

/// `soffice ARGS` with a private profile in `dir` (parallel runs must not share one), or
/// `None` with a note when LibreOffice is missing outside CI.
fn soffice(dir: &Scratch, args: &[&str]) -> Option<Output> {
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.0.display());
    let run = Command::new("soffice")
        .current_dir(&dir.0)
        .env("LC_ALL", "C.UTF-8")
        .arg(&profile)
        .arg("--headless")
        .args(args)
        .output();
    match run {
        Ok(o) => {
            assert!(o.status.success(), "soffice {args:?}: {}", String::from_utf8_lossy(&o.stderr));
            Some(o)
        }
        Err(e) => missing(&format!("LibreOffice (soffice: {e}); apt-get install libreoffice-calc-nogui")),
    }
}

fn missing<T>(what: &str) -> Option<T> {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is needed for this test in CI (.ci/run installs it)");
    }
    eprintln!("note: skipped, {what} is not installed");
    None
}

/// Converts `file` in `dir` with LibreOffice to `to` (a filter spec); returns the new name.
fn convert(dir: &Scratch, file: &str, to: &str, infilter: Option<&str>) -> Option<String> {
    let infilter = infilter.map(|f| format!("--infilter={f}"));
    let mut args: Vec<&str> = infilter.iter().map(String::as_str).collect();
    args.extend(["--convert-to", to, "--outdir", "lo", file]);
    soffice(dir, &args)?;
    let stem = Path::new(file).file_stem().unwrap().to_str().unwrap();
    let made = std::fs::read_dir(dir.0.join("lo"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with(stem))
        .unwrap_or_else(|| panic!("LibreOffice made nothing from {file}"));
    let name = format!("lo-{made}");
    std::fs::rename(dir.0.join("lo").join(&made), dir.0.join(&name)).unwrap();
    Some(name)
}

/// UTF-8, comma, quote `"`, first row 1; on export the cells as shown, the first sheet.
const CSV_FILTER: &str = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,1";

#[test]
fn libreoffice_saves_the_exported_workbook_as_the_csv_export() {
    // The clock times are real date-times formatted `ddd yyyy-mm-dd hh:mm`; LibreOffice in
    // an English (C) locale shows them as the CSV export writes them, so the files are
    // compared byte for byte (a Swedish locale would show `fre` for `Fri`).
    let dir = exercise("xlsx-lo-csv");
    ok(&dir, &["msel", "export", "small.toml", "--format", "xlsx", "--out", "msel.xlsx"]);
    let Some(csv) = convert(&dir, "msel.xlsx", CSV_FILTER, None) else { return };
    assert_eq!(std::fs::read_to_string(dir.0.join(csv)).unwrap(), EXPORT);
}

/// The edits of the LibreOffice and openpyxl tests: `denial` 15 minutes later, `fire`
/// disabled, a new fact `cordon`.
fn edited() -> String {
    let mut t = EXPORT
        .replace("3,denial,30m,Wed 2024-03-06 10:30", "3,denial,45m,Wed 2024-03-06 10:45")
        .replace("Engines needed,,,4,yes", "Engines needed,,,4,no");
    t.push_str("6,cordon,1h30m,Wed 2024-03-06 11:30,fact,simulation,a.exec,,Police cordon set,,,2,yes\n");
    t
}

/// What importing [`edited`] as CSV makes of the scenario.
fn edited_scenario() -> String {
    let dir = exercise("xlsx-edited-reference");
    std::fs::write(dir.0.join("edited.csv"), edited()).unwrap();
    ok(&dir, &["msel", "import", "edited.csv", "--into", "small.toml"]);
    let text = scenario(&dir);
    assert!(text.contains("delay = \"45m\"") && text.contains("[inject.cordon]"), "{text}");
    assert_eq!(text.matches("enabled = false").count(), 2, "{text}");
    text
}

#[test]
fn a_workbook_and_an_ods_saved_by_libreoffice_import_like_the_csv() {
    let want = edited_scenario();
    for to in ["xlsx", "ods"] {
        let dir = exercise(&format!("xlsx-lo-{to}"));
        std::fs::write(dir.0.join("MSEL.csv"), edited()).unwrap();
        let Some(book) = convert(&dir, "MSEL.csv", to, Some("CSV:44,34,76,1")) else { return };
        let o = samverkan_in(&dir.0, &["msel", "import", &book, "--into", "small.toml"]);
        assert_eq!(code(&o), 0, "{to}: {}", stderr(&o));
        assert_eq!(scenario(&dir), want, "{to}");
        // The unedited export, through LibreOffice, changes nothing.
        let dir = exercise(&format!("xlsx-lo-{to}-same"));
        ok(&dir, &["msel", "export", "small.toml", "--format", "xlsx", "--out", "ours.xlsx"]);
        let Some(book) = convert(&dir, "ours.xlsx", to, None) else { return };
        imports_unchanged(&dir, &book);
    }
}

/// A Python with openpyxl (Debian's `python3-openpyxl` is in /usr/bin when another
/// python3 comes first on the PATH).
fn openpyxl() -> Option<&'static str> {
    let found = ["python3", "/usr/bin/python3"]
        .into_iter()
        .find(|p| Command::new(p).args(["-c", "import openpyxl"]).output().is_ok_and(|o| o.status.success()));
    found.or_else(|| missing("Python's openpyxl (apt-get install python3-openpyxl)"))
}

#[test]
fn a_workbook_written_by_openpyxl_imports_like_the_csv() {
    let Some(python) = openpyxl() else { return };
    let want = edited_scenario();
    let dir = exercise("xlsx-openpyxl");
    std::fs::write(dir.0.join("edited.csv"), edited()).unwrap();
    // Numbers as numbers and clock times as real date-times, as a planner's tool would.
    let script = r#"
import csv, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "MSEL"
with open("edited.csv", newline="", encoding="utf-8") as f:
    for r, row in enumerate(csv.reader(f)):
        out = []
        for c, cell in enumerate(row):
            if r > 0 and c in (0, 11) and cell.isdigit():
                cell = int(cell)
            elif r > 0 and c == 3 and cell:
                cell = datetime.datetime.strptime(cell[4:], "%Y-%m-%d %H:%M")
            out.append(cell)
        ws.append(out)
for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
    row[0].number_format = "ddd yyyy-mm-dd hh:mm"
wb.save("openpyxl.xlsx")
"#;
    let o = Command::new(python).current_dir(&dir.0).args(["-c", script]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = samverkan_in(&dir.0, &["msel", "import", "openpyxl.xlsx", "--into", "small.toml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(scenario(&dir), want);
}
