//! The planners' spreadsheets: `--csv-dialect excel-sv` gives the same numbers as the
//! comma dialect (run, batch, resume, merge), every reader of samverkan's own files
//! accepts both, and `results.xlsx` holds what the CSV files hold, byte for byte the
//! same whichever dialect they are in and whenever it is written. The LibreOffice
//! tests open the workbooks and an excel-sv file with a real spreadsheet program
//! (Debian's `libreoffice-calc-nogui`); without `soffice` they fail under CI
//! (`CI=true`) and are skipped with a note elsewhere.

use calamine::{Data, Reader};
use samverkan::batch::files::TABLES;
use samverkan::batch::merge::merge;
use samverkan::batch::plan::{Plan, PlanSpec, Shard};
use samverkan::batch::runner::{self, Options};
use samverkan::output::dialect::sniff;
use samverkan::output::run::{RUN_FILES, write_run_in};
use samverkan::output::{CsvDialect, Table};
use samverkan::report::workbook::WORKBOOK;
use samverkan::report::{Lang, render_batch, render_run};
use samverkan::{metrics, scenario, sim};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

const STOCK: &str = "scenarios/stockholm-attack.toml";

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("spreadsheets").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A CSV file of either dialect as the comma dialect writes it.
fn to_comma(bytes: &[u8]) -> Vec<u8> {
    let (d, rest) = sniff(bytes);
    let mut r = d.reader(rest);
    let mut w = CsvDialect::Comma.writer(Vec::new());
    w.write_record(r.headers().unwrap()).unwrap();
    for rec in r.records() {
        w.write_record(&d.record_back(rec.unwrap())).unwrap();
    }
    w.into_inner().unwrap()
}

/// The stock scenario's run written in `d`, with its report and workbook.
fn stock_run(name: &str, d: CsvDialect) -> PathBuf {
    let out = dir(name);
    let model = Arc::new(scenario::load(Path::new(STOCK), None).expect("stock scenario"));
    let record = sim::run(&model, model.seed).expect("run");
    write_run_in(&out, &record, &metrics::summarise(&record), d).expect("write");
    render_run(&out, Lang::En).expect("report");
    out
}

fn plan(runs: u64, shard: Shard) -> Plan {
    let spec = PlanSpec { runs, variants: Some(vec!["conference-2h".into()]), shard, ..PlanSpec::new(STOCK) };
    Plan::build(&spec).unwrap_or_else(|e| panic!("plan: {e}"))
}

fn batch(name: &str, d: Option<CsvDialect>) -> PathBuf {
    let out = dir(name);
    let opts = Options { jobs: 2, force: true, csv_dialect: d, ..Options::default() };
    runner::run(&plan(6, Shard::WHOLE), &out, &opts).unwrap_or_else(|e| panic!("batch: {e}"));
    render_batch(&out, Lang::En).expect("report");
    out
}

fn csv_files() -> impl Iterator<Item = &'static str> {
    RUN_FILES.iter().copied().filter(|f| f.ends_with(".csv"))
}

#[test]
fn excel_sv_run_files_hold_the_same_numbers() {
    let comma = stock_run("run-comma", CsvDialect::Comma);
    let sv = stock_run("run-sv", CsvDialect::ExcelSv);
    for f in csv_files() {
        let b = bytes(&sv.join(f));
        assert!(b.starts_with(b"\xEF\xBB\xBF"), "{f}: no byte-order mark");
        let text = std::str::from_utf8(&b[3..]).unwrap();
        assert!(text.lines().next().unwrap().contains(';'), "{f}: header not separated by semicolons");
        assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'), "{f}: not CRLF");
        assert_eq!(to_comma(&b), bytes(&comma.join(f)), "{f}: another table than the comma dialect's");
    }
    let levels = String::from_utf8(bytes(&sv.join("levels.csv"))).unwrap();
    assert!(levels.contains(";140,3239;"), "decimal commas expected in levels.csv: {}", &levels[..300]);
    // The report reads either dialect: the same workbook from both folders.
    assert_eq!(bytes(&sv.join(WORKBOOK)), bytes(&comma.join(WORKBOOK)));
    assert!(sv.join("report.html").is_file());
}

#[test]
fn excel_sv_keeps_swedish_letters_and_separators() {
    let mut t = Table::in_dialect(CsvDialect::ExcelSv, &["enhet", "värde", "not"]);
    t.row(["Länsstyrelsen i Skåne; Malmö", "12.5", "Öresund, Ystad"]);
    let b = t.into_bytes();
    assert_eq!(b, "\u{feff}enhet;värde;not\r\n\"Länsstyrelsen i Skåne; Malmö\";12,5;Öresund, Ystad\r\n".as_bytes());
}

#[test]
fn excel_sv_batch_resume_and_merge_give_the_same_numbers() {
    let comma = batch("batch-comma", None);
    let sv = batch("batch-sv", Some(CsvDialect::ExcelSv));
    for f in TABLES {
        assert!(bytes(&sv.join(f)).starts_with(b"\xEF\xBB\xBF"), "{f}");
        assert_eq!(to_comma(&bytes(&sv.join(f))), bytes(&comma.join(f)), "{f}");
    }
    let manifest = String::from_utf8(bytes(&sv.join("manifest.json"))).unwrap();
    assert!(manifest.contains("\"csv_dialect\": \"excel-sv\""), "{manifest}");
    assert!(!String::from_utf8(bytes(&comma.join("manifest.json"))).unwrap().contains("csv_dialect"));
    assert_eq!(bytes(&sv.join(WORKBOOK)), bytes(&comma.join(WORKBOOK)), "workbooks differ between dialects");

    // Resume an excel-sv batch cut short: its own dialect is kept; another is refused.
    let runs = bytes(&sv.join("runs.csv"));
    let cut: usize = runs.windows(2).enumerate().filter(|(_, w)| w == b"\r\n").nth(3).unwrap().0 + 2;
    std::fs::write(sv.join("runs.csv"), &runs[..cut]).unwrap();
    let refused = Options { jobs: 2, resume: true, csv_dialect: Some(CsvDialect::Comma), ..Options::default() };
    let err = runner::run(&plan(6, Shard::WHOLE), &sv, &refused).unwrap_err().to_string();
    assert!(err.contains("excel-sv"), "{err}");
    let resume = Options { jobs: 2, resume: true, ..Options::default() };
    let done = runner::run(&plan(6, Shard::WHOLE), &sv, &resume).unwrap_or_else(|e| panic!("resume: {e}"));
    assert_eq!(done.ran, 12 - 3);
    for f in TABLES {
        assert_eq!(to_comma(&bytes(&sv.join(f))), bytes(&comma.join(f)), "{f} after resume");
    }

    // Shards in excel-sv merge into the comma batch's bytes.
    let root = dir("shards-sv");
    let mut shards = vec![];
    for k in 1..=2 {
        let d = root.join(k.to_string());
        let opts = Options { jobs: 1, csv_dialect: Some(CsvDialect::ExcelSv), ..Options::default() };
        runner::run(&plan(6, Shard { k, n: 2 }), &d, &opts).unwrap_or_else(|e| panic!("shard: {e}"));
        shards.push(d);
    }
    let merged = root.join("merged");
    merge(&shards, &merged, false, &[]).unwrap_or_else(|e| panic!("merge: {e}"));
    assert!(
        bytes(&shards[0].join("municipality_runs.csv")).starts_with(b"\xEF\xBB\xBF"),
        "shards' map rows in excel-sv"
    );
    let map = ["municipality_runs.csv", "municipalities.csv", "location.json"];
    for f in TABLES.iter().chain(&map) {
        assert_eq!(bytes(&merged.join(f)), bytes(&comma.join(f)), "merged {f}");
    }
}

#[test]
fn the_workbook_holds_the_csv_files_and_repeats_its_bytes() {
    let run = stock_run("run-book", CsvDialect::Comma);
    let first = bytes(&run.join(WORKBOOK));
    render_run(&run, Lang::Sv).expect("report again");
    assert_eq!(bytes(&run.join(WORKBOOK)), first, "results.xlsx changed when written again");
    let mut book = calamine::open_workbook_auto(run.join(WORKBOOK)).unwrap();
    let names = book.sheet_names();
    assert_eq!(
        names,
        ["Read me", "summary", "objectives", "levels", "units", "conferences", "requests", "facts", "messages"]
    );
    for sheet in ["levels", "units", "conferences", "requests", "facts", "messages"] {
        let range = book.worksheet_range(sheet).unwrap();
        same_table(sheet, &range_rows(&range), &bytes(&run.join(format!("{sheet}.csv"))));
    }
    let summary = range_rows(&book.worksheet_range("summary").unwrap());
    assert_eq!(summary[0], ["field", "value"]);
    assert_eq!(summary[1], ["scenario", "stockholm-attack"]);
    assert!(summary.iter().any(|r| r[0] == "seed" && r[1] == "20170407"), "seed as text");

    let b = batch("batch-book", None);
    let mut book = calamine::open_workbook_auto(b.join(WORKBOOK)).unwrap();
    assert_eq!(book.sheet_names(), ["Read me", "runs", "stats", "objectives", "compare"]);
    for sheet in ["runs", "stats", "objectives", "compare"] {
        let range = book.worksheet_range(sheet).unwrap();
        same_table(sheet, &range_rows(&range), &bytes(&b.join(format!("{sheet}.csv"))));
    }
    let seed = book.worksheet_range("runs").unwrap().get((1, 3)).cloned();
    assert!(matches!(seed, Some(Data::String(_))), "seeds are text: {seed:?}");
}

/// A sheet's cells as text (numbers as Rust prints them).
fn range_rows(range: &calamine::Range<Data>) -> Vec<Vec<String>> {
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(v) => v.to_string(),
                    Data::Int(v) => v.to_string(),
                    Data::Bool(b) => b.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Rows of a sheet (as text) against a CSV file: headers start with the column id,
/// every cell holds the file's value (numbers compared as numbers).
fn same_table(sheet: &str, rows: &[Vec<String>], csv: &[u8]) {
    let (d, rest) = sniff(csv);
    let mut r = d.reader(rest);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let records: Vec<csv::StringRecord> = r.records().map(|x| d.record_back(x.unwrap())).collect();
    assert_eq!(rows.len(), records.len() + 1, "{sheet}: rows");
    for (c, h) in header.iter().enumerate() {
        assert!(
            rows[0][c] == *h || rows[0][c].starts_with(&format!("{h} (")),
            "{sheet}: header {} for {h}",
            rows[0][c]
        );
    }
    for (i, rec) in records.iter().enumerate() {
        for (c, want) in rec.iter().enumerate() {
            let got = rows[i + 1].get(c).map(String::as_str).unwrap_or("");
            // A share may come back as shown, in percent with one decimal.
            let percent = got.strip_suffix('%').and_then(|p| p.parse::<f64>().ok());
            let same = match (want.parse::<f64>(), got.parse::<f64>(), percent) {
                (Ok(a), Ok(b), _) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                (Ok(a), _, Some(p)) => (a - p / 100.0).abs() <= 0.0005,
                _ => want == got,
            };
            assert!(same, "{sheet} line {}, column {}: `{got}` where the CSV has `{want}`", i + 2, header[c]);
        }
    }
}

// ---- LibreOffice Calc ------------------------------------------------------------

/// Whether `soffice` can be used; under CI its absence is a failure.
fn have_soffice() -> bool {
    let found = Command::new("soffice").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "soffice (LibreOffice Calc) is missing; install it with \
                 `apt-get install -y --no-install-recommends libreoffice-calc-nogui` (see .ci/run)"
            );
        }
        eprintln!("note: soffice not found; skipping the LibreOffice test (install libreoffice-calc-nogui)");
    }
    found
}

/// `soffice --convert-to TO FILE` into `out`, with a private profile.
fn soffice(file: &Path, to: &str, infilter: Option<&str>, out: &Path) {
    let profile = out.join("lo-profile");
    let mut cmd = Command::new("soffice");
    cmd.arg(format!("-env:UserInstallation=file://{}", profile.display())).arg("--headless");
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    let o = cmd.arg("--convert-to").arg(to).arg("--outdir").arg(out).arg(file).output().expect("soffice");
    assert!(o.status.success(), "soffice failed: {}", String::from_utf8_lossy(&o.stderr));
    let _ = std::fs::remove_dir_all(&profile);
}

/// Every sheet of a workbook as CSV through LibreOffice: sheet name → its rows.
fn sheets_by_libreoffice(book: &Path, out: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    // Tokens: comma, double quote, UTF-8, from line 1, …, 12th: -1 = every sheet to its own file.
    soffice(book, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", None, out);
    let stem = book.file_stem().unwrap().to_string_lossy().into_owned();
    let mut found = vec![];
    for e in std::fs::read_dir(out).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(sheet) = name.strip_prefix(&format!("{stem}-")).and_then(|n| n.strip_suffix(".csv")) {
            let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&p).unwrap();
            let rows = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
            found.push((sheet.to_string(), rows));
        }
    }
    found.sort();
    found
}

#[test]
fn libreoffice_opens_the_workbooks_with_the_csv_values() {
    if !have_soffice() {
        return;
    }
    let run = stock_run("lo-run", CsvDialect::ExcelSv);
    let out = dir("lo-run-out");
    let sheets = sheets_by_libreoffice(&run.join(WORKBOOK), &out);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    for want in ["Read me", "summary", "objectives", "levels", "units", "conferences", "requests", "facts", "messages"]
    {
        assert!(names.contains(&want), "LibreOffice found no sheet {want}: {names:?}");
    }
    for (name, rows) in &sheets {
        if ["levels", "units", "conferences", "requests", "facts", "messages"].contains(&name.as_str()) {
            same_table(name, rows, &bytes(&run.join(format!("{name}.csv"))));
        }
    }
    let readme = &sheets.iter().find(|(n, _)| n == "Read me").unwrap().1;
    assert!(readme.iter().any(|r| r.iter().any(|c| c.contains("docs/outputs.md#levelscsv"))));
    assert!(readme.iter().any(|r| r.iter().any(|c| c.contains("primärdata"))));

    let b = batch("lo-batch", Some(CsvDialect::ExcelSv));
    let out = dir("lo-batch-out");
    for (name, rows) in sheets_by_libreoffice(&b.join(WORKBOOK), &out) {
        if name != "Read me" {
            same_table(&name, &rows, &bytes(&b.join(format!("{name}.csv"))));
        }
    }
}

#[test]
fn libreoffice_in_swedish_reads_excel_sv_numbers_as_numbers() {
    if !have_soffice() {
        return;
    }
    let run = stock_run("lo-sv", CsvDialect::ExcelSv);
    let mut t = Table::in_dialect(CsvDialect::ExcelSv, &["enhet", "värde"]);
    t.row(["Länsstyrelsen i Skåne; Malmö", "12.5"]);
    t.write(&run.join("svenska.csv")).unwrap();
    let out = dir("lo-sv-out");
    // Separator `;`, quote `"`, UTF-8, from line 1, standard columns, Swedish (1053).
    let filter = "Text - txt - csv (StarCalc):59,34,76,1,,1053";
    for f in ["levels.csv", "svenska.csv"] {
        soffice(&run.join(f), "xlsx", Some(filter), &out);
    }
    let mut levels = calamine::open_workbook_auto(out.join("levels.xlsx")).unwrap();
    let name = levels.sheet_names()[0].clone();
    let range = levels.worksheet_range(&name).unwrap();
    let rows = range_rows(&range);
    same_table("levels (LibreOffice, sv)", &rows, &bytes(&run.join("levels.csv")));
    assert!(
        range.rows().skip(1).any(|r| matches!(r[4], Data::Float(v) if v.fract() != 0.0)),
        "decimal commas were not read as numbers"
    );
    let mut sv = calamine::open_workbook_auto(out.join("svenska.xlsx")).unwrap();
    let name = sv.sheet_names()[0].clone();
    let rows = range_rows(&sv.worksheet_range(&name).unwrap());
    assert_eq!(
        rows,
        [vec!["enhet".to_string(), "värde".into()], vec!["Länsstyrelsen i Skåne; Malmö".into(), "12.5".into()]]
    );
}
