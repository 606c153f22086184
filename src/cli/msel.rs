//! `samverkan msel export|import`: a scenario's injects as an MSEL spreadsheet (CSV,
//! `.xlsx`; `.ods` read too).

use super::{exit, fail};
use crate::output::{CsvDialect, replace_file, write_atomic};
use crate::report::Lang;
use crate::scenario::{Source, msel};
use clap::{Args, Subcommand, ValueEnum};
use std::io::Read;
use std::path::PathBuf;

/// Export a scenario's injects as an MSEL (master scenario events list) or import an edited one.
#[derive(Args)]
#[command(after_help = "Example:\n  samverkan msel export scenarios/stockholm-attack.toml > msel.csv\n  \
(edit msel.csv in a spreadsheet, save as CSV)\n  samverkan msel import msel.csv --into scenarios/stockholm-attack.toml\n  \
samverkan msel export scenarios/stockholm-attack.toml --format xlsx --out msel.xlsx --lang sv\n\n\
Columns: sequence, id, time, clock_time, inject_type, delivery_method, from, to, description,\n\
expected_action, objective, severity, enabled (see scenarios/README.md, \"MSEL\").")]
pub struct MselArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MselFormat {
    Csv,
    Xlsx,
}

#[derive(Subcommand)]
enum Action {
    Export(ExportArgs),
    Import(ImportArgs),
}

/// Write the injects as CSV or an Excel workbook, one row per inject in time order.
#[derive(Args)]
#[command(after_help = "Example:\n  samverkan msel export scenarios/stockholm-storm.toml > storm-msel.csv\n  \
samverkan msel export scenarios/stockholm-storm.toml --csv-dialect excel-sv --lang sv > storm-msel.csv\n  \
samverkan msel export scenarios/stockholm-storm.toml --format xlsx --out storm-msel.xlsx\n\n\
The workbook has the sheets MSEL (drop-down lists, real date-times), Units and Read me (English and Swedish).")]
struct ExportArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// csv, or xlsx (an Excel workbook; needs --out).
    #[arg(long, value_enum, default_value_t = MselFormat::Csv)]
    format: MselFormat,
    /// CSV dialect: comma, or excel-sv (semicolons, CRLF, a byte-order mark: what Excel in Swedish opens in columns).
    #[arg(long, value_enum, default_value_t = CsvDialect::Comma)]
    csv_dialect: CsvDialect,
    /// Language of the header row: en (samverkan's column names) or sv (Nr, ID, Tid, …). Both are read back.
    #[arg(long, default_value = "en")]
    lang: Lang,
    /// Write to this file instead of standard output (refused if it exists, unless --force).
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Overwrite the --out file.
    #[arg(long)]
    force: bool,
}

/// Apply an edited MSEL to a scenario file: changed, added and removed rows become
/// changed, added and removed injects; comments and everything else in the file stay.
#[derive(Args)]
#[command(
    after_help = "Example:\n  samverkan msel import msel.csv --into my-exercise.toml\n  samverkan msel import msel.csv --into my-exercise.toml --dry-run\n\n\
Every problem is listed with its row number; nothing is written unless the whole table\n\
is good and the scenario still validates."
)]
struct ImportArgs {
    /// The edited MSEL: CSV, .xlsx or .ods, told apart by the content (`-` reads standard input).
    msel: PathBuf,
    /// The scenario file to change.
    #[arg(long)]
    into: PathBuf,
    /// Show what would change without writing.
    #[arg(long)]
    dry_run: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

pub fn main(a: MselArgs) -> u8 {
    match a.action {
        Action::Export(e) => export(e),
        Action::Import(i) => import(i),
    }
}

fn export(a: ExportArgs) -> u8 {
    let headers = if a.lang == Lang::Sv { msel::Headers::Swedish } else { msel::Headers::English };
    if a.format == MselFormat::Xlsx && a.out.is_none() {
        return fail(exit::BAD_INPUT, "--format xlsx writes a workbook: give the file with --out FILE.xlsx");
    }
    if a.format == MselFormat::Xlsx && a.csv_dialect != CsvDialect::Comma {
        return fail(exit::BAD_INPUT, "--csv-dialect applies to CSV only; leave it out with --format xlsx");
    }
    if let Some(path) = a.out.as_ref().filter(|p| p.exists() && !a.force) {
        return fail(exit::BAD_INPUT, format!("{} exists; add --force to overwrite it", path.display()));
    }
    let source = match Source::read(&a.scenario) {
        Ok(s) => s,
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    let bytes = match a.format {
        MselFormat::Csv => msel::export_csv(&source, headers, a.csv_dialect).map_err(msel::MselError::from),
        MselFormat::Xlsx => msel::workbook(&source, headers),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    match &a.out {
        None => {
            super::print_out(&String::from_utf8_lossy(&bytes));
            exit::OK
        }
        Some(path) => match write_atomic(path, &bytes) {
            Ok(()) => exit::OK,
            Err(e) => fail(exit::RUN_FAILED, e),
        },
    }
}

fn import(a: ImportArgs) -> u8 {
    let name = a.msel.display().to_string();
    let mut bytes = Vec::new();
    let read = if name == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(&a.msel).map(|b| bytes = b)
    };
    if let Err(e) = read {
        return fail(exit::BAD_INPUT, format!("{name}: {e}"));
    }
    let source = match Source::read(&a.into) {
        Ok(s) => s,
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    let imported = match msel::import_file(&source, &name, &bytes) {
        Ok(i) => i,
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    for w in &imported.warnings {
        eprintln!("warning: {w}");
    }
    if !a.quiet {
        if imported.changes.is_empty() {
            say!("{}: nothing to change", source.file);
        }
        for c in &imported.changes {
            say!("{}: {c}", source.file);
        }
    }
    if a.dry_run || imported.changes.is_empty() {
        return exit::OK;
    }
    match replace_file(&a.into, imported.text.as_bytes()) {
        Ok(()) => exit::OK,
        Err(e) => fail(exit::RUN_FAILED, e),
    }
}
