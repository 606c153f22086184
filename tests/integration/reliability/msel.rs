//! MSEL import is strict and export neutralises spreadsheet formulas; the round trip stays byte-identical.
//!
//! Each test plants a table a spreadsheet (or a person) could produce and runs
//! `samverkan msel import` on it: a broken table is refused with its row and column,
//! exit code 2, and the scenario file is left as it was.

use crate::common::Scratch;
use crate::reliability::support::{code, samverkan_in, stderr};
use std::path::Path;
use std::process::Output;

mod roundtrip;
mod xlsx;

pub const SCENARIO: &str = r#"# A small exercise
[scenario]
name = "small"
start = "2024-03-06T10:00"
duration = "2d"

[channel.fixed]
kind = "phone_fixed"
latency = "1m"

[links]
channels = ["fixed"]

[organisation.a]
kind = "county_board"
unit.exec = { level = "executive" }
unit.coord = { level = "coordinating" }

[organisation.b]
kind = "rescue"
unit.exec = { level = "executive" }
unit.coord = { level = "coordinating" }

[inject.alarm]
at = "0m"
description = "Fire at the harbour"
fact = { origin = "b.exec", severity = 4, text = "Fire" }

[inject.fire]
at = "5m"
description = "Engines needed"
incident = { responsible = "b.exec", severity = 4 }

[inject.denial]
after = "alarm"
delay = "30m"
description = "Rumour denied"
fact = { origin = "a.exec", severity = 3 }

[inject.spare]
at = "1h"
enabled = false
activate = "b.coord"

[inject.brief]
at = "2h"
description = "Exercise control briefs the coordinators, both of them"
message = { to = ["a.coord", "b.coord"], kind = "information", channel = "fixed", severity = 3, text = "Brief" }
"#;

/// The export of [`SCENARIO`]: rows 2–6 are alarm, fire, denial, spare, brief.
const EXPORT: &str = "sequence,id,time,clock_time,inject_type,delivery_method,from,to,description,expected_action,objective,severity,enabled
1,alarm,0m,Wed 2024-03-06 10:00,fact,simulation,b.exec,,Fire at the harbour,,,4,yes
2,fire,5m,Wed 2024-03-06 10:05,incident,simulation,,b.exec,Engines needed,,,4,yes
3,denial,30m,Wed 2024-03-06 10:30,fact,simulation,a.exec,,Rumour denied,,,3,yes
4,spare,1h,Wed 2024-03-06 11:00,activate,simulation,,b.coord,,,,,no
5,brief,2h,Wed 2024-03-06 12:00,message,fixed,,a.coord; b.coord,\"Exercise control briefs the coordinators, both of them\",,,3,yes
";

/// A scratch folder with `small.toml` ([`SCENARIO`]).
pub fn exercise(name: &str) -> Scratch {
    let dir = Scratch::new(&format!("msel-{name}"));
    std::fs::write(dir.0.join("small.toml"), SCENARIO).unwrap();
    dir
}

/// Writes `table` as `msel.csv` and runs `msel import msel.csv --into small.toml`.
fn import(dir: &Scratch, table: impl AsRef<[u8]>) -> Output {
    std::fs::write(dir.0.join("msel.csv"), table).unwrap();
    samverkan_in(&dir.0, &["msel", "import", "msel.csv", "--into", "small.toml"])
}

/// The import was refused (exit 2), said `wants` and left the scenario as it was.
fn refused(dir: &Scratch, o: &Output, wants: &[&str]) -> String {
    let err = stderr(o);
    assert_eq!(code(o), 2, "{err}");
    for w in wants {
        assert!(err.contains(w), "`{w}` not in:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.0.join("small.toml")).unwrap(), SCENARIO);
    err
}

fn scenario(dir: &Scratch) -> String {
    std::fs::read_to_string(dir.0.join("small.toml")).unwrap()
}

#[test]
fn the_fixture_exports_as_the_tests_expect() {
    let dir = exercise("fixture");
    let o = samverkan_in(&dir.0, &["msel", "export", "small.toml"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), EXPORT, "{}", stderr(&o));
    let o = import(&dir, EXPORT);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(scenario(&dir), SCENARIO);
}

#[test]
fn an_unclosed_quote_at_the_end_is_refused_with_its_row_and_column() {
    let dir = exercise("unclosed-eof");
    let table = EXPORT.replace("Fire at the harbour,", "\"Fire at the harbour,");
    let o = import(&dir, table.replace("\"Exercise control briefs the coordinators, both of them\"", "Brief"));
    refused(&dir, &o, &["row 2", "`description`", "never closed"]);
}

#[test]
fn an_unclosed_quote_that_swallows_the_next_rows_is_refused() {
    // The quote opened in row 2 is closed by the quote that opens row 6's description:
    // a lenient reader makes one long description of rows 2–6 and deletes their injects.
    let dir = exercise("unclosed-swallow");
    let o = import(&dir, EXPORT.replace("Fire at the harbour,", "\"Fire at the harbour,"));
    refused(&dir, &o, &["row 2", "`description`"]);
}

#[test]
fn a_quote_inside_an_unquoted_cell_is_refused() {
    let dir = exercise("stray-quote");
    let o = import(&dir, EXPORT.replace("Rumour denied", "Rumour \"denied"));
    refused(&dir, &o, &["row 4", "`description`", "quote"]);
}

#[test]
fn text_after_a_closing_quote_is_refused() {
    let dir = exercise("after-quote");
    let o = import(&dir, EXPORT.replace("Rumour denied", "\"Rumour\" denied"));
    refused(&dir, &o, &["row 4", "`description`", "after the closing quote"]);
}

#[test]
fn a_row_with_too_few_cells_is_refused() {
    let dir = exercise("few-cells");
    let o = import(&dir, EXPORT.replace("Rumour denied,,,3,yes", "Rumour denied,,3,yes"));
    refused(&dir, &o, &["row 4", "12 cells", "13"]);
}

#[test]
fn a_row_with_too_many_cells_is_refused() {
    let dir = exercise("many-cells");
    let o = import(&dir, EXPORT.replace("Engines needed", "Engines needed, three of them"));
    refused(&dir, &o, &["row 3", "14 cells", "13"]);
}

#[test]
fn every_problem_in_the_table_is_reported_not_only_the_first() {
    let dir = exercise("all-errors");
    let table = EXPORT
        .replace("Rumour denied,,,3,yes", "Rumour denied,,3,yes")
        .replace("Engines needed", "Engines \"needed")
        .replace("b.coord,,,,,no", "b.coord,,,,,perhaps");
    let err = refused(&dir, &import(&dir, table), &["row 3", "row 4", "row 5", "perhaps", "3 errors"]);
    assert!(!err.contains("removed"), "{err}");
}

#[test]
fn a_latin1_file_from_a_spreadsheet_is_refused_with_how_to_save_it() {
    let dir = exercise("latin1");
    let mut bytes = EXPORT.replace("Rumour denied", "R\u{00e5}dhuset").into_bytes();
    // "å" as Latin-1 / Windows-1252: one byte 0xE5 instead of UTF-8's two.
    let at = bytes.windows(2).position(|w| w == [0xc3, 0xa5]).unwrap();
    bytes.splice(at..at + 2, [0xe5]);
    refused(&dir, &import(&dir, bytes), &["row 4", "`description`", "UTF-8"]);
}

#[test]
fn a_utf16_file_is_refused_with_how_to_save_it() {
    let dir = exercise("utf16");
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(EXPORT.encode_utf16().flat_map(u16::to_le_bytes));
    refused(&dir, &import(&dir, bytes), &["UTF-16", "UTF-8"]);
}

#[test]
fn a_byte_order_mark_and_windows_line_ends_are_accepted() {
    let dir = exercise("bom");
    let table = format!("\u{feff}{}", EXPORT.replace('\n', "\r\n").replace("Rumour denied", "Rumour denied at last"));
    let o = import(&dir, table);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(scenario(&dir), SCENARIO.replace("Rumour denied", "Rumour denied at last"));
}

#[test]
fn a_semicolon_separated_file_is_read_and_a_tab_separated_one_named() {
    let dir = exercise("semicolons");
    let table = EXPORT
        .replace("a.coord; b.coord", "\"a.coord; b.coord\"")
        .replace(',', ";")
        .replace("\"Exercise control briefs the coordinators; both of them\"", "\"Brief, short\"");
    let o = import(&dir, &table);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(scenario(&dir).contains("description = \"Brief, short\""), "{}", scenario(&dir));
    let dir = exercise("tabs");
    let o = import(&dir, EXPORT.replace(',', "\t"));
    refused(&dir, &o, &["tab-separated", "comma"]);
}

#[test]
fn an_empty_file_and_a_header_alone_are_refused() {
    let dir = exercise("empty");
    refused(&dir, &import(&dir, ""), &["empty"]);
    refused(&dir, &import(&dir, "\u{feff}\n\n"), &["empty"]);
    let header = EXPORT.lines().next().unwrap();
    refused(&dir, &import(&dir, format!("{header}\n")), &["no rows", "every inject"]);
}

#[test]
fn a_column_twice_is_refused_and_an_unknown_column_is_named() {
    let dir = exercise("duplicate-column");
    let twice = EXPORT.replacen("severity,enabled", "severity,severity", 1);
    refused(&dir, &import(&dir, twice), &["`severity`", "twice", "columns 12 and 13"]);
    let dir = exercise("unknown-column");
    let lines: Vec<String> = EXPORT
        .lines()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "{l},{}",
                if i == 0 {
                    "notes"
                } else if i == 3 {
                    "call first"
                } else {
                    ""
                }
            )
        })
        .collect();
    let o = import(&dir, lines.join("\n"));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning") && err.contains("`notes`") && err.contains("ignored"), "{err}");
    assert_eq!(scenario(&dir), SCENARIO);
}

#[test]
fn to_and_delivery_method_on_a_new_fact_are_refused_not_dropped() {
    let dir = exercise("new-fact");
    let row = "7,smoke,20m,,fact,sms,a.exec,b.coord,Smoke over the city,,,3,yes\n";
    refused(&dir, &import(&dir, format!("{EXPORT}{row}")), &["row 7", "`to`", "`delivery_method`"]);
    let row = "7,up,20m,,activate,,a.exec,b.coord,,,,4,yes\n";
    refused(&dir, &import(&dir, format!("{EXPORT}{row}")), &["row 7", "`from`", "`severity`"]);
}

#[test]
fn a_cleared_severity_is_refused_not_ignored() {
    let dir = exercise("cleared-severity");
    refused(
        &dir,
        &import(&dir, EXPORT.replace("Rumour denied,,,3,yes", "Rumour denied,,,,yes")),
        &["row 4", "severity"],
    );
}

#[test]
fn export_neutralises_formulas_in_text_cells_only() {
    let dir = exercise("formulas");
    let text = SCENARIO
        .replace("Fire at the harbour", "=HYPERLINK(\\\"http://evil\\\")")
        .replace("Engines needed", "+46 8 123")
        .replace("Rumour denied", "-1 rumour")
        .replace("Exercise control briefs the coordinators, both of them", "@SUM(1)")
        .replace("[inject.spare]", "[inject.spare]\nexpected_action = \"\\tTab\"\nobjective = \"'=kept\"");
    std::fs::write(dir.0.join("small.toml"), &text).unwrap();
    let o = samverkan_in(&dir.0, &["msel", "export", "small.toml", "--out", "msel.csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let csv = std::fs::read_to_string(dir.0.join("msel.csv")).unwrap();
    for cell in ["'=HYPERLINK(", "'+46 8 123", "'-1 rumour", "'@SUM(1)", "'\tTab", "''=kept"] {
        assert!(csv.contains(cell), "`{cell}` not in\n{csv}");
    }
    assert!(csv.contains(",0m,Wed 2024-03-06 10:00,fact,") && csv.contains(",4,yes"), "{csv}");
    let o = samverkan_in(&dir.0, &["msel", "import", "msel.csv", "--into", "small.toml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("nothing to change"));
    assert_eq!(scenario(&dir), text, "the round trip is byte for byte");
    let edited = csv.replace("'+46 8 123", "'+46 8 999");
    let o = import(&dir, edited);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(scenario(&dir).contains("description = \"+46 8 999\""), "{}", scenario(&dir));
}

#[test]
fn import_into_a_link_edits_the_file_behind_it_and_keeps_the_link() {
    let dir = exercise("link");
    std::fs::create_dir(dir.0.join("real")).unwrap();
    std::fs::rename(dir.0.join("small.toml"), dir.0.join("real/small.toml")).unwrap();
    std::os::unix::fs::symlink("real/small.toml", dir.0.join("small.toml")).unwrap();
    let o = import(&dir, EXPORT.replace("Rumour denied", "Rumour confirmed"));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let link = std::fs::symlink_metadata(dir.0.join("small.toml")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let real = std::fs::read_to_string(dir.0.join("real/small.toml")).unwrap();
    assert_eq!(real, SCENARIO.replace("Rumour denied", "Rumour confirmed"));
}

#[test]
fn import_keeps_the_scenario_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = exercise("mode");
    let path = dir.0.join("small.toml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = import(&dir, EXPORT.replace("Rumour denied", "Rumour confirmed"));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(scenario(&dir).contains("Rumour confirmed"));
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
}

/// Runs `msel export` then `msel import --dry-run` of `file` in `dir`: nothing to change.
pub fn round_trips(dir: &Path, file: &str) {
    let o = samverkan_in(dir, &["msel", "export", file, "--out", "rt.csv", "--force"]);
    assert_eq!(code(&o), 0, "{file}: {}", stderr(&o));
    let o = samverkan_in(dir, &["msel", "import", "rt.csv", "--into", file, "--dry-run"]);
    assert_eq!(code(&o), 0, "{file}: {}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("nothing to change"), "{file}");
}
