//! MSEL export and import (`samverkan msel`): lossless round trips, edits written back
//! into the TOML without disturbing the rest of the file, and row-numbered errors.

use samverkan::scenario::{self, Source, msel};
use std::path::Path;
use std::process::Command;

const SMALL: &str = r#"# A small exercise
[scenario]
name = "small"
start = "2024-03-06T10:00"   # a Wednesday
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

[resource.engines]
organisation = "b"
type = "fire_engine"
count = 2

# The first report.
[inject.alarm]
at = "0m"
description = "Fire at the harbour"   # keep this comment
fact = { origin = "b.exec", severity = 4, text = "Fire" }

[inject.denial]
after = "alarm"
delay = "30m"
description = "Rumour denied"
fact = { origin = "a.exec", severity = 3 }

[inject]
fire = { at = "5m", description = "Engines needed", incident = { responsible = "b.exec", severity = 4, demand = [ { type = "fire_engine", quantity = 3, duration = "2h" } ] } }

[inject.brief]
at = "2024-03-06T12:00"
description = "Exercise control briefs the coordinators"
message = { to = ["a.coord", "b.coord"], kind = "information", channel = "fixed", severity = 3, text = "Brief" }

[inject.spare]
at = "1h"
enabled = false
activate = "b.coord"
"#;

fn src(text: &str) -> Source {
    Source::from_str("small.toml", text)
}

fn table(rows: &[Vec<(&str, &str)>], base: &str) -> String {
    // Starts from the exported table of `base` and applies column edits by id; a row
    // whose id is not exported is appended; ("-", id) removes a row.
    let mut reader = csv::Reader::from_reader(base.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let mut records: Vec<Vec<String>> =
        reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for edit in rows {
        let id = edit.iter().find(|(k, _)| *k == "id" || *k == "-").map(|(_, v)| *v).unwrap();
        if edit[0].0 == "-" {
            records.retain(|r| r[col("id")] != id);
            continue;
        }
        let pos = match records.iter().position(|r| r[col("id")] == id) {
            Some(p) => p,
            None => {
                records.push(vec![String::new(); headers.len()]);
                records.len() - 1
            }
        };
        for (k, v) in edit {
            records[pos][col(k)] = v.to_string();
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers).unwrap();
    for r in records {
        w.write_record(r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn column(csv_text: &str, id: &str, name: &str) -> String {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let c = headers.iter().position(|h| h == name).unwrap();
    let i = headers.iter().position(|h| h == "id").unwrap();
    reader.records().map(|r| r.unwrap()).find(|r| &r[i] == id).map(|r| r[c].to_string()).expect("row")
}

#[test]
fn export_lists_every_inject_in_time_order_with_the_msel_columns() {
    let csv = msel::export(&src(SMALL)).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], msel::COLUMNS.join(","));
    let ids: Vec<String> = lines[1..].iter().map(|l| l.split(',').nth(1).unwrap().to_string()).collect();
    assert_eq!(ids, ["alarm", "fire", "denial", "spare", "brief"]);
    assert_eq!(lines[1], "1,alarm,0m,Wed 2024-03-06 10:00,fact,simulation,b.exec,,Fire at the harbour,,,4,yes");
    assert_eq!(column(&csv, "denial", "time"), "30m");
    assert_eq!(column(&csv, "brief", "time"), "2h");
    assert_eq!(column(&csv, "brief", "clock_time"), "Wed 2024-03-06 12:00");
    assert_eq!(column(&csv, "brief", "delivery_method"), "fixed");
    assert_eq!(column(&csv, "brief", "to"), "a.coord; b.coord");
    assert_eq!(column(&csv, "fire", "to"), "b.exec");
    assert_eq!(column(&csv, "spare", "enabled"), "no");
}

#[test]
fn an_unedited_round_trip_leaves_every_stock_scenario_byte_for_byte() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let source = Source::read(&path).unwrap();
        let csv = msel::export(&source).unwrap();
        assert!(csv.lines().count() > 5, "{}: an MSEL with injects", path.display());
        let imported = msel::import(&source, "msel.csv", &csv).unwrap();
        assert!(imported.changes.is_empty(), "{}: {:?}", path.display(), imported.changes);
        assert_eq!(imported.text, source.text);
        n += 1;
    }
    assert!(n >= 6, "all stock scenarios checked");
}

#[test]
fn edits_are_written_where_they_belong_and_the_rest_of_the_file_survives() {
    let base = msel::export(&src(SMALL)).unwrap();
    let edited = table(
        &[
            vec![("id", "alarm"), ("description", "Fire at the ferry terminal"), ("severity", "5")],
            vec![("id", "fire"), ("time", "15m"), ("clock_time", ""), ("to", "a.exec")],
            vec![("id", "brief"), ("to", "level:coordinating"), ("delivery_method", "links"), ("from", "a.coord")],
            vec![("id", "spare"), ("enabled", "yes"), ("to", "a.coord; b.coord")],
        ],
        &base,
    );
    let imported = msel::import(&src(SMALL), "msel.csv", &edited).unwrap();
    let t = &imported.text;
    assert!(t.contains("description = \"Fire at the ferry terminal\"   # keep this comment"), "{t}");
    assert!(t.contains("fact = { origin = \"b.exec\", severity = 5, text = \"Fire\" }"), "{t}");
    assert!(
        t.contains("fire = { at = \"15m\", description = \"Engines needed\", incident = { responsible = \"a.exec\"")
    );
    assert!(t.contains("message = { to = \"level:coordinating\", kind = \"information\", severity = 3, text = \"Brief\", from = \"a.coord\" }"), "{t}");
    assert!(t.contains("[inject.spare]\nat = \"1h\"\nactivate = [\"a.coord\", \"b.coord\"]"), "{t}");
    assert!(t.starts_with("# A small exercise\n[scenario]"));
    assert!(t.contains("# The first report.\n[inject.alarm]"));
    assert_eq!(imported.changes.len(), 4, "{:?}", imported.changes);
    // What the MSEL holds comes back as it was written.
    let again = msel::export(&src(t)).unwrap();
    for (id, col, want) in [
        ("alarm", "description", "Fire at the ferry terminal"),
        ("alarm", "severity", "5"),
        ("fire", "time", "15m"),
        ("fire", "clock_time", "Wed 2024-03-06 10:15"),
        ("fire", "to", "a.exec"),
        ("brief", "delivery_method", "links"),
        ("brief", "from", "a.coord"),
        ("spare", "enabled", "yes"),
    ] {
        assert_eq!(column(&again, id, col), want, "{id}.{col}");
    }
    assert!(scenario::validate(&src(t)).is_ok());
}

#[test]
fn moving_an_inject_that_follows_another_changes_its_delay() {
    let base = msel::export(&src(SMALL)).unwrap();
    // The alarm moves to 10m; the denial stays at 30m: it now follows 20 min later.
    let edited = table(&[vec![("id", "alarm"), ("time", "10m"), ("clock_time", "")]], &base);
    let t = msel::import(&src(SMALL), "msel.csv", &edited).unwrap().text;
    assert!(t.contains("[inject.alarm]\nat = \"10m\""), "{t}");
    assert!(t.contains("after = \"alarm\"\ndelay = \"20m\""), "{t}");
    // A clock time alone sets the time.
    let edited = table(&[vec![("id", "denial"), ("time", ""), ("clock_time", "Wed 2024-03-06 11:15")]], &base);
    let t = msel::import(&src(SMALL), "msel.csv", &edited).unwrap().text;
    assert!(t.contains("delay = \"1h15m\""), "{t}");
}

#[test]
fn rows_can_be_added_and_removed() {
    let base = msel::export(&src(SMALL)).unwrap();
    let edited = table(
        &[
            vec![("-", "spare")],
            vec![
                ("id", ""),
                ("time", "20m"),
                ("inject_type", "fact"),
                ("from", "a.exec"),
                ("severity", "4"),
                ("description", "Smoke over the city"),
            ],
            vec![
                ("id", "call-out"),
                ("clock_time", "Wed 2024-03-06 10:40"),
                ("inject_type", "message"),
                ("to", "b.coord"),
                ("severity", "3"),
                ("description", "Exercise control asks for a status report"),
                ("expected_action", "Rescue reports within 30 min"),
            ],
        ],
        &base,
    );
    let imported = msel::import(&src(SMALL), "msel.csv", &edited).unwrap();
    let t = &imported.text;
    assert!(!t.contains("[inject.spare]"));
    assert!(t.contains(
        "[inject.msel-1]\nat = \"20m\"\ndescription = \"Smoke over the city\"\nfact = { origin = \"a.exec\", severity = 4, text = \"Smoke over the city\" }"
    ), "{t}");
    assert!(t.contains("message = { to = \"b.coord\", kind = \"information\", severity = 3, text = \"Exercise control asks for a status report\" }"), "{t}");
    assert!(imported.changes.iter().any(|c| c == "removed `spare`"));
    assert!(scenario::validate(&src(t)).is_ok());
    let r = samverkan::sim::run(&std::sync::Arc::new(scenario::build(&src(t), None, &[]).unwrap()), 1).unwrap();
    assert!(r.facts.iter().any(|f| f.id == "msel-1" && f.origin_time == 20 * 60_000));
}

#[test]
fn every_bad_row_is_reported_with_its_row_number_and_nothing_is_written() {
    let base = msel::export(&src(SMALL)).unwrap();
    let edited = table(
        &[
            vec![("id", "alarm"), ("inject_type", "incident")],
            vec![("id", "fire"), ("from", "a.exec")],
            vec![("id", "denial"), ("time", "1x")],
            vec![("id", "spare"), ("severity", "7"), ("enabled", "perhaps")],
            vec![("id", "brief"), ("clock_time", "Wed 2024-03-06 13:00")],
            vec![("id", "new-one"), ("time", "1h"), ("inject_type", "incident")],
        ],
        &base,
    );
    let err = msel::import(&src(SMALL), "msel.csv", &edited).unwrap_err();
    let msel::MselError::Rows { rows, .. } = &err else { panic!("{err}") };
    let at = |row: u64| rows.iter().filter(|e| e.row == row).map(|e| e.message.clone()).collect::<Vec<_>>().join(" | ");
    // Row 1 is the header; the export's order is alarm, fire, denial, spare, brief, then the new row.
    assert!(at(2).contains("inject_type is `fact`"), "{}", at(2));
    assert!(at(3).contains("`from` cannot be changed for an incident"), "{}", at(3));
    assert!(at(4).contains("`1x` is not a duration"), "{}", at(4));
    assert!(at(5).contains("enabled `perhaps` is not yes or no"), "{}", at(5));
    assert!(at(5).contains("`severity` cannot be changed for an activate inject"), "{}", at(5));
    assert!(at(6).contains("clock_time says Wed 2024-03-06 13:00"), "{}", at(6));
    assert!(at(7).contains("must be of type fact, message"), "{}", at(7));
    assert_eq!(rows.len(), 7, "{err}");
    let shown = err.to_string();
    assert!(shown.starts_with("msel.csv: row 2 (inject `alarm`): "), "{shown}");
    assert!(shown.ends_with("7 errors found; nothing was written"), "{shown}");
}

#[test]
fn a_delay_cannot_become_negative_and_missing_columns_are_named() {
    let base = msel::export(&src(SMALL)).unwrap();
    let edited = table(
        &[
            vec![("id", "denial"), ("time", "0m"), ("clock_time", "")],
            vec![("id", "alarm"), ("time", "5m"), ("clock_time", "")],
        ],
        &base,
    );
    let err = msel::import(&src(SMALL), "msel.csv", &edited).unwrap_err().to_string();
    assert!(err.contains("(inject `denial`): it follows inject `alarm`"), "{err}");
    let err = msel::import(&src(SMALL), "msel.csv", "id,time,description\nalarm,0m,x\n").unwrap_err().to_string();
    assert!(err.contains("missing columns clock_time, inject_type"), "{err}");
}

#[test]
fn an_import_that_breaks_the_scenario_is_refused() {
    let base = msel::export(&src(SMALL)).unwrap();
    let edited = table(&[vec![("id", "alarm"), ("from", "nobody.here")]], &base);
    let err = msel::import(&src(SMALL), "msel.csv", &edited).unwrap_err().to_string();
    assert!(err.contains("nothing was written") && err.contains("nobody.here"), "{err}");
}

#[test]
fn the_command_line_round_trip() {
    let dir = std::env::temp_dir().join(format!("samverkan-msel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("small.toml");
    std::fs::write(&scenario, SMALL).unwrap();
    let bin = env!("CARGO_BIN_EXE_samverkan");
    let out = Command::new(bin).args(["msel", "export"]).arg(&scenario).output().unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    let edited = table(&[vec![("id", "alarm"), ("description", "Edited in a spreadsheet")]], &csv);
    let msel_file = dir.join("msel.csv");
    std::fs::write(&msel_file, &edited).unwrap();
    let dry = Command::new(bin)
        .args(["msel", "import"])
        .arg(&msel_file)
        .arg("--into")
        .arg(&scenario)
        .arg("--dry-run")
        .output()
        .unwrap();
    assert!(dry.status.success());
    assert_eq!(std::fs::read_to_string(&scenario).unwrap(), SMALL, "a dry run writes nothing");
    let run = Command::new(bin).args(["msel", "import"]).arg(&msel_file).arg("--into").arg(&scenario).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stdout).contains("changed `alarm`: description"));
    assert!(
        std::fs::read_to_string(&scenario)
            .unwrap()
            .contains("description = \"Edited in a spreadsheet\"   # keep this comment")
    );
    std::fs::write(&msel_file, edited.replace("Edited in a spreadsheet,,,4", "Edited,,,9")).unwrap();
    let bad = Command::new(bin).args(["msel", "import"]).arg(&msel_file).arg("--into").arg(&scenario).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("row 2 (inject `alarm`): severity `9`"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_spreadsheet_saved_with_semicolons_and_a_byte_order_mark_reads_the_same() {
    let base = msel::export(&src(SMALL)).unwrap();
    let edited = table(&[vec![("id", "alarm"), ("description", "Fire; smoke over the harbour")]], &base);
    let mut reader = csv::Reader::from_reader(edited.as_bytes());
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    w.write_record(reader.headers().unwrap()).unwrap();
    for r in reader.records() {
        w.write_record(&r.unwrap()).unwrap();
    }
    let semicolons = format!("\u{feff}{}", String::from_utf8(w.into_inner().unwrap()).unwrap());
    let a = msel::import(&src(SMALL), "msel.csv", &edited).unwrap();
    let b = msel::import(&src(SMALL), "msel.csv", &semicolons).unwrap();
    assert_eq!(a.text, b.text);
    assert!(b.text.contains("description = \"Fire; smoke over the harbour\""));
}

#[test]
fn a_swedish_msel_shows_and_edits_the_swedish_texts() {
    let text = SMALL.replace(
        "description = \"Rumour denied\"\n",
        "description = \"Rumour denied\"\ndescription_sv = \"Ryktet dementerat\"\n",
    );
    let source = src(&text);
    let csv = msel::export_csv(&source, msel::Headers::Swedish, samverkan::output::CsvDialect::Comma).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    // Swedish texts where the inject has them, else the English ones; Swedish weekdays.
    assert!(csv.contains(",Ryktet dementerat,"), "{csv}");
    assert!(csv.contains(",Fire at the harbour,"), "{csv}");
    assert!(csv.contains("ons 2024-03-06 10:30") && !csv.contains("Wed"), "{csv}");
    // Unedited, it imports unchanged.
    let same = msel::import(&source, "msel.csv", &csv).unwrap();
    assert!(same.changes.is_empty(), "{:?}", same.changes);
    // Clearing a cell that showed the English text (no Swedish one) has nothing to remove.
    let cleared = msel::import(&source, "msel.csv", &csv.replace(",Fire at the harbour,", ",,")).unwrap();
    assert!(cleared.changes.is_empty() && cleared.text == source.text, "{:?}", cleared.changes);
    // Clearing a Swedish text removes it.
    let cleared = msel::import(&source, "msel.csv", &csv.replace(",Ryktet dementerat,", ",,")).unwrap();
    assert!(!cleared.text.contains("description_sv") && cleared.text.contains("Rumour denied"), "{}", cleared.text);
    // An edited Beskrivning is the Swedish description; the English one stays.
    let edited = csv
        .replace("Ryktet dementerat", "Ryktet dementerat av polisen")
        .replace("Fire at the harbour", "Brand i hamnen");
    let mut lines: Vec<String> = edited.lines().map(str::to_string).collect();
    lines.push("6,cordon,20m,,fact,simulation,a.exec,,Avspärrning,,,3,ja".into());
    let imported = msel::import(&source, "msel.csv", &(lines.join("\n") + "\n")).unwrap();
    let t = &imported.text;
    assert!(t.contains("description = \"Rumour denied\"\ndescription_sv = \"Ryktet dementerat av polisen\""), "{t}");
    assert!(t.contains("description = \"Fire at the harbour\"   # keep this comment"), "{t}");
    assert!(t.contains("description_sv = \"Brand i hamnen\""), "{t}");
    // A new row's text is the only one there is: it goes to both fields.
    assert!(t.contains("text = \"Avspärrning\", text_sv = \"Avspärrning\""), "{t}");
    scenario::validate(&src(t)).unwrap();
}
