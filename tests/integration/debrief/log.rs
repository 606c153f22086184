//! Tests of the debrief: the exercise log reader, the log template and `log-template`.
//! The LibreOffice round trip needs `soffice` (Debian's `libreoffice-calc-nogui`): under
//! CI (`CI=true`) its absence fails the test, elsewhere the test is skipped with a note.

use samverkan::debrief::log::{self, LogError, RowError};
use samverkan::debrief::template::{self, TemplateFormat};
use samverkan::debrief::{EventKind, ExerciseLog, Observation, Subject};
use samverkan::model::{Action, Model};
use samverkan::output::CsvDialect;
use samverkan::report::Lang;
use samverkan::time::MINUTE;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const STOCK: &str = "scenarios/stockholm-attack.toml";
const BIN: &str = env!("CARGO_BIN_EXE_samverkan");

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| samverkan::scenario::load(Path::new(STOCK), None).expect("stock scenario"))
}

fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("debrief-log").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn unit(id: &str) -> u32 {
    model().unit_index(id).unwrap_or_else(|| panic!("no unit {id}"))
}

fn conference(id: &str) -> Subject {
    Subject::Conference(model().conferences.iter().position(|c| c.id == id).unwrap() as u32)
}

fn fact(id: &str) -> Option<Subject> {
    Some(Subject::Fact(id.into()))
}

fn parse(name: &str, text: &str) -> Result<ExerciseLog, LogError> {
    log::parse(name, text.as_bytes(), model())
}

/// (row, unit, event, subject, from, to, time in ms) of each observation.
type Short = (u64, u32, EventKind, Option<Subject>, Option<u32>, Option<u32>, i64);

fn short(o: &Observation) -> Short {
    (o.row, o.unit, o.event, o.subject.clone(), o.from, o.to, o.time)
}

/// What the good logs below say, whatever their dialect and headers.
fn expected() -> Vec<Short> {
    let m = MINUTE;
    let seq_rumour = log::msel_order(model()).iter().position(|&i| model().injects[i as usize].id == "rumour");
    assert!(seq_rumour.is_some());
    vec![
        (2, unit("sos.larmcentral"), EventKind::Knew, fact("alarm"), None, None, 0),
        (3, unit("lst.tib"), EventKind::Sent, fact("alarm"), None, Some(unit("region.tib")), 15 * m),
        (4, unit("region.tib"), EventKind::Received, fact("alarm"), Some(unit("lst.tib")), None, 15 * m + 30_000),
        // Row 5 is empty, row 6 has no time: both skipped.
        (7, unit("lst.tib"), EventKind::ConferenceStarted, Some(conference("regional")), None, None, 67 * m),
        (8, unit("lst.rad"), EventKind::Knew, fact("alarm"), None, None, 90 * m),
        (9, unit("sos.larmcentral"), EventKind::Knew, fact("calls#3"), None, None, 5 * m),
        (10, unit("polisen.rlc"), EventKind::Knew, fact("rumour"), None, None, 110 * m),
        (11, unit("ssbf.rc"), EventKind::Requested, fact("rescue"), None, None, 24 * 60 * m),
        (12, unit("lst.tib"), EventKind::Activated, None, None, None, 45 * m),
    ]
}

/// A good log in the comma dialect (`seq` is the MSEL number of `rumour`).
fn good_comma(seq: usize) -> String {
    format!(
        "Time,Unit,Event,Fact,From,To,Observer,Note
Fri 2017-04-07 14:53,sos.larmcentral,knew,alarm,,,Anna,first call
2017-04-07T15:08,lst.tib,sent,alarm,,region.tib,Anna,
15.5,Regional healthcare duty officer (TiB),received,alarm,lst.tib,,Bo,by name
,,,,,,,
,lst.tib,knew,alarm,,,,not observed
fre 2017-04-07 16:00,,conference_started,regional,,,Bo,convener by default
1h30m,LST.RAD,knew,ALARM,,,Bo,case ignored
5m,sos.larmcentral,knew,calls#3,,,Bo,stream repetition
110,polisen.rlc,knew,{seq},,,Bo,MSEL sequence number
Sat 2017-04-08 14:53,ssbf.rc,requested,rescue,,,Bo,the next day
45,lst.tib,activated,,,,Bo,
"
    )
}

fn seq_of(id: &str) -> usize {
    log::msel_order(model()).iter().position(|&i| model().injects[i as usize].id == id).unwrap() + 1
}

#[test]
fn a_good_csv_log_parses_in_both_dialects_and_with_swedish_headers() {
    let comma = good_comma(seq_of("rumour"));
    let log = parse("log.csv", &comma).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(log.observations.iter().map(short).collect::<Vec<_>>(), expected());
    assert_eq!(log.observations[0].observer, "Anna");
    assert_eq!(log.observations[0].note, "first call");
    assert_eq!(log.file, "log.csv");

    // Excel in Swedish: semicolons, a byte-order mark, CRLF, a decimal comma, Swedish headers.
    let sv = comma
        .replace(',', ";")
        .replace("15.5;", "15,5;")
        .replace(
            "Time;Unit;Event;Fact;From;To;Observer;Note",
            "Tid;Enhet;Händelse;Faktum;Från;Till;Observatör;Anteckning",
        )
        .replace('\n', "\r\n");
    let sv = format!("\u{feff}{sv}");
    let log = parse("logg.csv", &sv).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(log.observations.iter().map(short).collect::<Vec<_>>(), expected());

    // Columns in another order, Swedish event names, optional columns left out.
    let text = "händelse,enhet,tid,fakta\nkände_till,sos.larmcentral,0,alarm\nkonferens_började,,67m,Regional samverkanskonferens\n";
    let log = parse("x.csv", text).unwrap_or_else(|e| panic!("{e}"));
    let got: Vec<Short> = log.observations.iter().map(short).collect();
    assert_eq!(got[0], (2, unit("sos.larmcentral"), EventKind::Knew, fact("alarm"), None, None, 0));
    assert_eq!(got[1].2, EventKind::ConferenceStarted);
    assert_eq!((got[1].1, got[1].3.clone(), got[1].6), (unit("lst.tib"), Some(conference("regional")), 67 * MINUTE));
}

#[test]
fn a_good_xlsx_log_parses_with_typed_date_times_and_numbers() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Instructions").unwrap().write_string(0, 0, "read me").unwrap();
    let ws = book.add_worksheet().set_name("Log").unwrap();
    for (c, h) in ["time", "unit", "event", "fact", "from", "to", "observer", "note"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("ddd yyyy-mm-dd hh:mm");
    let at = ExcelDateTime::parse_from_str("2017-04-07 15:08:00").unwrap();
    ws.write_datetime_with_format(1, 0, &at, &date).unwrap();
    ws.write_string(1, 1, "region.tib").unwrap();
    ws.write_string(1, 2, "knew").unwrap();
    ws.write_string(1, 3, "alarm").unwrap();
    ws.write_number(2, 0, 67.0).unwrap();
    ws.write_string(2, 2, "conference_started").unwrap();
    ws.write_string(2, 3, "regional").unwrap();
    ws.write_string(3, 0, "Fri 2017-04-07 16:30").unwrap();
    ws.write_string(3, 1, "sl.trafikledning").unwrap();
    ws.write_string(3, 2, "knew").unwrap();
    ws.write_number(3, 3, seq_of("transport-stop") as f64).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let log = log::parse("log.xlsx", &bytes, model()).unwrap_or_else(|e| panic!("{e}"));
    let got: Vec<Short> = log.observations.iter().map(short).collect();
    assert_eq!(
        got,
        vec![
            (2, unit("region.tib"), EventKind::Knew, fact("alarm"), None, None, 15 * MINUTE),
            (3, unit("lst.tib"), EventKind::ConferenceStarted, Some(conference("regional")), None, None, 67 * MINUTE),
            (4, unit("sl.trafikledning"), EventKind::Knew, fact("transport-stop"), None, None, 97 * MINUTE),
        ]
    );
}

fn row_errors(e: LogError) -> (String, Vec<RowError>) {
    let text = e.to_string();
    match e {
        LogError::Rows { errors, .. } => (text, errors),
        other => panic!("expected row errors, got {other}"),
    }
}

#[test]
fn a_bad_log_lists_every_error_by_row_and_column() {
    let text = "time,unit,event,fact,from,to,observer,note
15:6x,lst.tib,knew,alarm,,,,
2017-04-07 14:00,lst.tib,knew,alarm,,,,
Mon 2017-04-10 15:00,lst.tib,knew,alarm,,,,
10,no.such.unit,knew,alarm,,,,
10,lst.tib,kned,alarm,,,,
10,lst.tib,knew,no-such-fact,,,,
10,lst.tib,knew,,,,,
10,lst.tib,conference_started,alarm,,,,
10,lst.tib,received,alarm,nobody,,,
Thu 2017-04-07 15:08,lst.tib,knew,calls,,,,
10,lst.tib,knew,alarm,,,
10,Command centre,knew,alarm,,,,
20,lst.tib,knew,alarm,,,,fine
";
    let (display, errors) = row_errors(parse("log.csv", text).unwrap_err());
    let at: Vec<(u64, Option<&str>)> = errors.iter().map(|e| (e.row, e.column.as_deref())).collect();
    assert_eq!(
        at,
        vec![
            (2, Some("time")),
            (3, Some("time")),
            (4, Some("time")),
            (5, Some("unit")),
            (6, Some("event")),
            (7, Some("fact")),
            (8, Some("fact")),
            (9, Some("fact")),
            (10, Some("from")),
            (11, Some("time")),
            (11, Some("fact")),
            (12, None),
            (13, Some("unit")),
        ],
        "{display}"
    );
    let lines: Vec<&str> = display.lines().collect();
    assert_eq!(lines.len(), errors.len() + 1, "{display}");
    assert_eq!(
        lines[0],
        "log.csv row 2, column time: \"15:6x\" is not a time (use 2017-04-07 15:08, Fri 2017-04-07 15:08 or minutes such as 15 or 15m)"
    );
    assert!(lines[1].contains("is before the scenario's start (Fri 2017-04-07 14:53)"), "{}", lines[1]);
    assert!(lines[2].contains("is after the scenario's end"), "{}", lines[2]);
    assert!(lines[3].contains("\"no.such.unit\" is not a unit"), "{}", lines[3]);
    assert!(lines[4].contains("\"kned\" is not an event (events: knew, sent"), "{}", lines[4]);
    assert!(lines[5].contains("\"no-such-fact\" is not a fact of the scenario"), "{}", lines[5]);
    assert!(lines[6].contains("column fact: empty: a `knew` row names the fact"), "{}", lines[6]);
    assert!(lines[7].contains("\"alarm\" is a fact, not a conference"), "{}", lines[7]);
    assert!(lines[8].contains("\"nobody\" is not a unit"), "{}", lines[8]);
    assert!(lines[9].contains("names the weekday Thursday but 2017-04-07 is a Friday"), "{}", lines[9]);
    assert!(lines[10].contains("is the stream `calls`"), "{}", lines[10]);
    assert!(lines[11].contains("the row has 7 cells but the header has 8"), "{}", lines[11]);
    assert!(lines[12].contains("is the name of") && lines[12].contains("write the unit's id"), "{}", lines[12]);
    assert_eq!(lines[13], "log.csv: 13 errors found; the log was refused");
}

#[test]
fn a_bad_header_is_refused_with_the_accepted_names() {
    let e = parse("log.csv", "time,unit,event,fakt\n10,lst.tib,knew,alarm\n").unwrap_err().to_string();
    assert!(
        e.contains("column 4 (`fakt`) is not a log column") && e.contains("the accepted columns are time, unit"),
        "{e}"
    );
    let e = parse("log.csv", "time,unit,note\n").unwrap_err();
    assert!(matches!(&e, LogError::MissingColumns { missing, .. } if missing == &["event", "fact"]), "{e}");
    let e = parse("log.csv", "tid,time,unit,event,fact\n").unwrap_err().to_string();
    assert!(e.contains("names the column `time` again"), "{e}");
    let e = parse("log.csv", "").unwrap_err().to_string();
    assert!(e.contains("the log is empty"), "{e}");
    let e = log::parse("log.csv", b"time,unit\n\xC4,x\n", model()).unwrap_err();
    assert!(matches!(e, LogError::Unreadable(_)) && e.to_string().contains("not UTF-8"), "{e}");
    let e = log::read(Path::new("no/such/log.csv"), model()).unwrap_err();
    assert!(matches!(&e, LogError::Io { .. }) && std::error::Error::source(&e).is_some(), "{e}");
}

/// The template's (unit, event, fact) rows for the stock scenario, worked out here from
/// the model: each key fact × each unit of its levels, each conference's sessions (and
/// picture), each objective's rows (for the stock objectives: requests and decisions of
/// each incident, public messages about the alarm of each unit that publishes).
fn expected_template(model: &Model) -> BTreeSet<(String, &'static str, String)> {
    let mut set = BTreeSet::new();
    for inj in &model.injects {
        let Action::Fact { levels, .. } = inj.action else { continue };
        if inj.stream.is_some() {
            continue;
        }
        for u in model.units.iter().filter(|u| levels & (1 << u.level.index()) != 0) {
            set.insert((u.id.clone(), "knew", inj.id.clone()));
        }
    }
    for c in &model.conferences {
        let convener = model.units[c.convener as usize].id.clone();
        set.insert((convener.clone(), "conference_started", c.id.clone()));
        set.insert((convener.clone(), "conference_ended", c.id.clone()));
        if c.picture.is_some() {
            set.insert((convener, "picture_published", c.id.clone()));
        }
    }
    let decider = model.conferences.iter().find(|c| c.decides_requests).map(|c| c.convener).unwrap();
    for inj in &model.injects {
        if let Action::Incident { responsible, .. } = inj.action {
            set.insert((model.units[responsible as usize].id.clone(), "requested", inj.id.clone()));
            set.insert((model.units[decider as usize].id.clone(), "decided", inj.id.clone()));
        }
    }
    for u in model.units.iter().filter(|u| u.public_info.is_some()) {
        set.insert((u.id.clone(), "public_message", "alarm".into()));
    }
    set
}

#[test]
fn the_template_has_the_observation_points_and_reads_back_filled() {
    let m = model();
    let rows = template::rows(m);
    let got: BTreeSet<(String, &str, String)> =
        rows.iter().map(|r| (r.unit.clone(), r.event.name(), r.fact.clone())).collect();
    assert_eq!(got.len(), rows.len(), "a row twice");
    assert_eq!(got, expected_template(m));
    let info = rows.iter().find(|r| r.unit == "region.tib" && r.fact == "alarm").unwrap();
    assert!(info.note.contains("objective info-to-all-actors"), "{}", info.note);
    let name = &m.units[m.unit_index("region.tib").unwrap() as usize].name;
    assert!(info.note.starts_with(name.as_str()), "the unit's name first: {}", info.note);
    // In Swedish, Swedish event names (the reader takes both).
    let sv = template::write(m, TemplateFormat::Csv, CsvDialect::Comma, Lang::Sv).unwrap();
    let second = String::from_utf8(sv).unwrap().lines().nth(1).unwrap().to_string();
    assert!(second.contains(",kände_till,"), "{second}");

    // Unfilled, every row is "not observed"; filled, every row is an observation.
    for (dialect, lang) in [(CsvDialect::Comma, Lang::En), (CsvDialect::ExcelSv, Lang::Sv)] {
        let bytes = template::write(m, TemplateFormat::Csv, dialect, lang).unwrap();
        let log = log::parse("t.csv", &bytes, m).unwrap_or_else(|e| panic!("{e}"));
        assert!(log.observations.is_empty());
        let filled = fill_csv(&bytes, dialect);
        let log = log::parse("t.csv", &filled, m).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(log.observations.len(), rows.len(), "{dialect:?}");
        assert_eq!(log.observations[4].time, 4 * MINUTE + 30_000);
    }
    for lang in [Lang::En, Lang::Sv] {
        let bytes = template::write(m, TemplateFormat::Xlsx, CsvDialect::Comma, lang).unwrap();
        let log = log::parse("t.xlsx", &bytes, m).unwrap_or_else(|e| panic!("{e}"));
        assert!(log.observations.is_empty());
        let filled = fill_xlsx(&bytes);
        let log = log::parse("t.xlsx", &filled, m).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(log.observations.len(), rows.len());
        assert_eq!(log.observations[3].time, 3 * MINUTE);
        assert_eq!((log.observations[0].row, log.observations[0].time), (2, 15 * MINUTE));
    }
}

/// The CSV template with row n (from 0) given the time n minutes and a half (n.5 or n,5).
fn fill_csv(bytes: &[u8], dialect: CsvDialect) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).unwrap();
    let (bom, text) = text.strip_prefix('\u{feff}').map_or(("", text), |t| ("\u{feff}", t));
    let sep = if dialect == CsvDialect::Comma { "." } else { "," };
    let mut out = String::from(bom);
    let mut lines = text.split_inclusive('\n');
    out.push_str(lines.next().unwrap());
    for (n, line) in lines.enumerate() {
        let time = if dialect == CsvDialect::Comma { format!("{n}{sep}5") } else { format!("\"{n}{sep}5\"") };
        out.push_str(&format!("{time}{line}"));
    }
    out.into_bytes()
}

/// The xlsx template with row n (from 0) given the time n minutes (a number cell), but
/// the first row the date-time cell Fri 2017-04-07 15:08 (15 min after the start).
fn fill_xlsx(bytes: &[u8]) -> Vec<u8> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet().set_name(&sheet).unwrap();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let text = cell.to_string();
            if !text.is_empty() {
                ws.write_string(r as u32, c as u16, text).unwrap();
            }
        }
        if r == 1 {
            let at = rust_xlsxwriter::ExcelDateTime::parse_from_str("2017-04-07 15:08:00").unwrap();
            let format = rust_xlsxwriter::Format::new().set_num_format("ddd yyyy-mm-dd hh:mm");
            ws.write_datetime_with_format(1, 0, &at, &format).unwrap();
        } else if r > 1 {
            ws.write_number(r as u32, 0, (r - 1) as f64).unwrap();
        }
    }
    out.save_to_buffer().unwrap()
}

/// Whether `soffice` can be used; under CI its absence is a failure.
fn have_soffice() -> bool {
    let found = Command::new("soffice").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("soffice (LibreOffice Calc) is missing; install it with apt-get install libreoffice-calc-nogui");
        }
        eprintln!("note: soffice not found; skipping the LibreOffice test (install libreoffice-calc-nogui)");
    }
    found
}

#[test]
fn the_xlsx_template_filled_and_saved_by_libreoffice_as_csv_reads_back() {
    if !have_soffice() {
        return;
    }
    let m = model();
    let dir = scratch("soffice");
    let bytes = template::write(m, TemplateFormat::Xlsx, CsvDialect::Comma, Lang::En).unwrap();
    let filled = dir.join("filled.xlsx");
    std::fs::write(&filled, fill_xlsx(&bytes)).unwrap();
    let profile = dir.join("profile");
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir"])
        .arg(&dir)
        .arg(&filled)
        .output()
        .expect("soffice");
    assert!(o.status.success(), "soffice failed: {}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read(dir.join("filled.csv")).expect("soffice wrote no CSV");
    let log = log::parse("filled.csv", &csv, m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(log.observations.len(), template::rows(m).len());
    assert_eq!(log.observations[7].time, 7 * MINUTE);
    assert_eq!(log.observations[0].time, 15 * MINUTE, "the date-time cell, as LibreOffice writes it");

    // The same sheet saved by LibreOffice as .ods reads back too (typed date-time cell).
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "ods", "--outdir"])
        .arg(&dir)
        .arg(&filled)
        .output()
        .expect("soffice");
    assert!(o.status.success(), "soffice failed: {}", String::from_utf8_lossy(&o.stderr));
    let ods = log::read(&dir.join("filled.ods"), m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ods.observations, log.observations);
}

#[test]
fn log_template_writes_the_sheet_and_refuses_bad_requests_with_exit_2() {
    let dir = scratch("cli");
    let run = |args: &[&str]| Command::new(BIN).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
    let out = dir.join("t.xlsx");
    let o = run(&["log-template", STOCK, "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = log::read(&out, model()).unwrap();
    assert!(log.observations.is_empty());
    let before = std::fs::read(&out).unwrap();
    // Refused: an existing file without --force; an unknown extension; a dialect on
    // xlsx; a bad scenario. Exit 2, nothing written.
    let csv = dir.join("t.csv");
    let odd = dir.join("t.txt2");
    for args in [
        vec!["log-template", STOCK, "--out", out.to_str().unwrap()],
        vec!["log-template", STOCK, "--out", odd.to_str().unwrap()],
        vec!["log-template", STOCK, "--out", csv.to_str().unwrap(), "--format", "xlsx", "--csv-dialect", "excel-sv"],
        vec!["log-template", "no/such.toml", "--out", csv.to_str().unwrap()],
        vec!["log-template", STOCK, "--variant", "no-such-variant", "--out", csv.to_str().unwrap()],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: "), "{args:?}");
    }
    assert_eq!(std::fs::read(&out).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("t.xlsx")], "nothing else written");
    // --force overwrites; a Swedish CSV for Excel reads back.
    let o = run(&["log-template", STOCK, "--out", csv.to_str().unwrap(), "--csv-dialect", "excel-sv", "--lang", "sv"]);
    assert!(o.status.success());
    let text = std::fs::read(&csv).unwrap();
    assert!(text.starts_with("\u{feff}tid;enhet;händelse;faktum".as_bytes()));
    assert!(log::read(&csv, model()).is_ok());
    let o = run(&["log-template", STOCK, "--out", out.to_str().unwrap(), "--force", "--lang", "sv"]);
    assert!(o.status.success());
    assert_ne!(std::fs::read(&out).unwrap(), before);
}

#[test]
fn the_7_april_2017_log_parses() {
    let log = log::read(Path::new("tests/debrief/fixtures/2017-04-07.csv"), model()).unwrap_or_else(|e| panic!("{e}"));
    assert!((8..=15).contains(&log.observations.len()), "{}", log.observations.len());
    let at = |event: EventKind, subject: Subject| {
        log.observations.iter().find(|o| o.event == event && o.subject.as_ref() == Some(&subject)).map(|o| o.time)
    };
    assert_eq!(at(EventKind::Knew, Subject::Fact("alarm".into())), Some(0));
    assert_eq!(at(EventKind::ConferenceStarted, conference("regional")), Some(67 * MINUTE));
    assert_eq!(at(EventKind::ConferenceStarted, conference("stab")), Some(60 * MINUTE));
    let informed: Vec<_> = log.observations.iter().filter(|o| o.time == 15 * MINUTE).collect();
    assert!(informed.len() >= 4);
    assert!(log.observations.iter().all(|o| !o.observer.is_empty() && !o.note.is_empty()));
}

#[test]
fn facts_that_are_not_facts_are_refused_with_the_reason() {
    let n = model().injects.len();
    let text = format!(
        "time,unit,event,fact
10,lst.tib,knew,mobile-overload
10,lst.tib,knew,calls#0
10,lst.tib,knew,alarm#2
10,lst.tib,knew,{}
10,lst.tib,knew,regional
10,lst.tib,knew,{seq}
10,lst.tib,activated,alarm
10,lst.tib,knew,alarm
",
        n + 1,
        seq = seq_of("rumour-denied"),
    );
    let (display, errors) = row_errors(parse("log.csv", &text).unwrap_err());
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![2, 3, 4, 5, 6], "{display}");
    assert!(
        messages[0].contains("is the infrastructure inject `mobile-overload`, which makes no fact"),
        "{}",
        messages[0]
    );
    assert!(messages[1].contains("is not a repetition of the stream `calls`"), "{}", messages[1]);
    assert!(messages[2].contains("`alarm`, which is not a stream"), "{}", messages[2]);
    assert_eq!(messages[3], format!("is not a sequence number of the MSEL (1–{n})"));
    assert!(messages[4].starts_with("is a conference"), "{}", messages[4]);
    // An MSEL number (after `rumour`, 20 min later) and an optional fact on `activated` read fine.
    let good = text.lines().skip(6).collect::<Vec<_>>().join("\n");
    let log = parse("ok.csv", &format!("time,unit,event,fact\n{good}\n")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(log.observations[0].subject, fact("rumour-denied"));
    assert_eq!(log.observations[1].subject, fact("alarm"));
}
