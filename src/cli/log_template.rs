//! `samverkan log-template SCENARIO --out FILE`: an observer's sheet for an exercise log.

use super::{exit, fail};
use crate::debrief::template::{self, TemplateFormat};
use crate::output::{CsvDialect, write_atomic};
use crate::report::Lang;
use crate::scenario;
use clap::Args;
use std::path::{Path, PathBuf};

/// Write an observer's sheet for an exercise log, pre-filled with the observation points
/// that matter (key facts x units meant to know them, conferences, objectives), times blank.
#[derive(Args)]
#[command(after_help = "Examples:\n  samverkan log-template scenarios/stockholm-attack.toml --out log.xlsx\n  \
samverkan log-template scenarios/stockholm-attack.toml --out logg.csv --csv-dialect excel-sv --lang sv\n\n\
Observers fill in the time column during the exercise (rows without a time are not\n\
observed), then: samverkan debrief SCENARIO --log log.xlsx (see docs/exercise-log.md).")]
pub struct LogTemplateArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Apply this named variant of the scenario.
    #[arg(long)]
    variant: Option<String>,
    /// xlsx (a workbook with instructions) or csv; default: from the --out file's extension.
    #[arg(long, value_enum)]
    format: Option<TemplateFormat>,
    /// CSV dialect: comma, or excel-sv (semicolons, CRLF, a byte-order mark: what Excel in Swedish opens in columns).
    #[arg(long, visible_alias = "dialect", value_enum, default_value_t = CsvDialect::Comma)]
    csv_dialect: CsvDialect,
    /// Language of the header row, the notes and the instructions: en or sv. Both are read back.
    #[arg(long, default_value = "en")]
    lang: Lang,
    /// The file to write (refused if it exists, unless --force).
    #[arg(long, short)]
    out: PathBuf,
    /// Overwrite the --out file.
    #[arg(long)]
    force: bool,
}

pub fn main(a: LogTemplateArgs) -> u8 {
    let format = match a.format.or_else(|| format_of(&a.out)) {
        Some(f) => f,
        None => {
            return fail(
                exit::BAD_INPUT,
                format!("cannot tell the format from {}: name it .xlsx or .csv, or give --format", a.out.display()),
            );
        }
    };
    if format == TemplateFormat::Xlsx && a.csv_dialect != CsvDialect::Comma {
        return fail(exit::BAD_INPUT, "--csv-dialect applies to CSV only; leave it out for an xlsx template");
    }
    if a.out.symlink_metadata().is_ok() && !a.force {
        return fail(exit::BAD_INPUT, format!("{} exists; add --force to overwrite it", a.out.display()));
    }
    let model = match scenario::load(&a.scenario, a.variant.as_deref()) {
        Ok(m) => m,
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    let bytes = match template::write(&model, format, a.csv_dialect, a.lang) {
        Ok(b) => b,
        Err(e) => return fail(exit::RUN_FAILED, e),
    };
    match write_atomic(&a.out, &bytes) {
        Ok(()) => exit::OK,
        Err(e) => fail(if e.is_bad_input() { exit::BAD_INPUT } else { exit::RUN_FAILED }, e),
    }
}

fn format_of(path: &Path) -> Option<TemplateFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "xlsx" => Some(TemplateFormat::Xlsx),
        "csv" | "txt" => Some(TemplateFormat::Csv),
        _ => None,
    }
}
