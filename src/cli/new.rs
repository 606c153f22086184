//! `samverkan new NAME --template KIND`: a new scenario file copied from a stock scenario.

use super::{exit, fail};
use crate::output::write_atomic;
use crate::scenario::stock::{SCHEMA_FILE, TEMPLATES, scaffold};
use crate::scenario::{self, Source, schema};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, ValueEnum)]
enum Template {
    /// Time-critical attack in central Stockholm (7 April 2017)
    Attack,
    /// Winter storm with a week-long power cut (Gudrun 2005)
    Storm,
    /// Forest fire escalating over days (Västmanland 2014)
    Fire,
    /// Cloudburst flooding central and southern Stockholm
    Flood,
    /// Ransomware in four municipalities' shared IT
    It,
    /// Weeks-long heatwave loading healthcare and home care
    Heat,
}

/// Create a new scenario file from a stock scenario, ready to edit, validate and run.
#[derive(Args)]
#[command(
    after_help = "Example:\n  samverkan new my-exercise --template storm\n  samverkan validate my-exercise.toml\n  \
samverkan msel export my-exercise.toml > my-exercise-msel.csv\n\n\
Writes NAME.toml (or NAME itself if it ends in .toml) and, beside it, scenario.schema.json\n\
for editors (unless one is there already)."
)]
pub struct NewArgs {
    /// Name of the new scenario, or a path ending in .toml.
    name: String,
    /// Which stock scenario to start from.
    #[arg(long, short, value_enum)]
    template: Template,
    /// Overwrite the file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn main(a: NewArgs) -> u8 {
    if let Err(why) = check_name(&a.name) {
        return fail(exit::BAD_INPUT, why);
    }
    let path =
        if a.name.ends_with(".toml") { PathBuf::from(&a.name) } else { PathBuf::from(format!("{}.toml", a.name)) };
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if name.is_empty() {
        return fail(exit::BAD_INPUT, format!("`{}` is not a usable name", a.name));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
        return fail(exit::BAD_INPUT, format!("{}: no such folder", dir.display()));
    }
    if path.exists() && !a.force {
        return fail(exit::BAD_INPUT, format!("{} exists; choose another name or add --force", path.display()));
    }
    let (key, stock, text) = TEMPLATES[a.template as usize];
    let text = match scaffold(text, stock, &name) {
        Ok(t) => t,
        Err(e) => return fail(exit::RUN_FAILED, e),
    };
    if let Err(e) = scenario::validate(&Source::from_str(&path.display().to_string(), &text)) {
        return fail(exit::RUN_FAILED, format!("the `{key}` template does not validate (please report this):\n{e}"));
    }
    if let Err(e) = write_atomic(&path, text.as_bytes()) {
        return fail(exit::RUN_FAILED, e);
    }
    say!("{}: new scenario `{name}` from the stock scenario {stock}", path.display());
    let schema_path = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join(SCHEMA_FILE);
    if !schema_path.exists() {
        match write_atomic(&schema_path, schema::json().as_bytes()) {
            Ok(()) => say!("{}: the JSON Schema for editors", schema_path.display()),
            Err(e) => return fail(exit::RUN_FAILED, e),
        }
    }
    say!("next: samverkan validate {0}; samverkan msel export {0} > msel.csv; samverkan run {0}", path.display());
    exit::OK
}

/// A name `new` can use: not empty or blank, and no line breaks or other control
/// characters (the name is written into the new file's first comment line).
fn check_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("the scenario name is empty; write e.g. `samverkan new my-exercise --template storm`".into());
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(format!(
            "the scenario name {:?} holds the control character {:?}; use letters, digits, spaces and punctuation",
            name, c
        ));
    }
    Ok(())
}
