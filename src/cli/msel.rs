//! `samverkan msel export|import`: a scenario's injects as an MSEL spreadsheet (CSV).

use super::{exit, fail};
use crate::output::{replace_file, write_atomic};
use crate::scenario::{Source, msel};
use clap::{Args, Subcommand};
use std::io::Read;
use std::path::PathBuf;

/// Export a scenario's injects as an MSEL (master scenario events list) or import an edited one.
#[derive(Args)]
#[command(after_help = "Example:\n  samverkan msel export scenarios/stockholm-attack.toml > msel.csv\n  \
(edit msel.csv in a spreadsheet, save as CSV)\n  samverkan msel import msel.csv --into scenarios/stockholm-attack.toml\n\n\
Columns: sequence, id, time, clock_time, inject_type, delivery_method, from, to, description,\n\
expected_action, objective, severity, enabled (see scenarios/README.md, \"MSEL\").")]
pub struct MselArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    Export(ExportArgs),
    Import(ImportArgs),
}

/// Write the injects as CSV, one row per inject in time order.
#[derive(Args)]
#[command(after_help = "Example:\n  samverkan msel export scenarios/stockholm-storm.toml > storm-msel.csv")]
struct ExportArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
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
    /// The edited MSEL (CSV; `-` reads standard input).
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
    let csv = match Source::read(&a.scenario).and_then(|s| msel::export(&s)) {
        Ok(c) => c,
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    match &a.out {
        None => {
            super::print_out(&csv);
            exit::OK
        }
        Some(path) if path.exists() && !a.force => {
            fail(exit::BAD_INPUT, format!("{} exists; add --force to overwrite it", path.display()))
        }
        Some(path) => match write_atomic(path, csv.as_bytes()) {
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
    let text = match msel::decode(&name, &bytes) {
        Ok(t) => t,
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    let source = match Source::read(&a.into) {
        Ok(s) => s,
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    let imported = match msel::import(&source, &name, &text) {
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
