//! Scenario files: the TOML format, loading, variants and field paths, validation,
//! and compilation into the [`Model`] the simulator runs.
//!
//! ```no_run
//! let model = samverkan::scenario::load(std::path::Path::new("scenarios/stockholm-attack.toml"), None)?;
//! println!("{} units", model.units.len());
//! # Ok::<(), samverkan::scenario::ScenarioError>(())
//! ```

pub mod budget;
mod checks;
mod compile;
pub mod error;
mod injects;
pub mod links;
pub mod load;
pub mod msel;
pub mod parsed;
pub mod patch;
pub mod schema;
pub mod spec;

pub use compile::{MAX_LINKS, MAX_SCENARIO_DURATION};
pub use error::{Diagnostic, ScenarioError};
pub use load::Source;
pub use parsed::Parsed;

use crate::model::Model;
use std::path::Path;

/// Loads and compiles a scenario file, optionally with a named variant applied.
pub fn load(path: &Path, variant: Option<&str>) -> Result<Model, ScenarioError> {
    let source = Source::read(path)?;
    build(&source, variant, &[])
}

/// Compiles a scenario from its source with a variant and field overrides
/// (`path = value`, as `--sweep` gives them) applied in that order.
pub fn build(
    source: &Source,
    variant: Option<&str>,
    overrides: &[(String, toml::Value)],
) -> Result<Model, ScenarioError> {
    build_parsed(&Parsed::new(source)?, variant, overrides)
}

/// [`build`] from a file parsed once for many variants and overrides.
pub fn build_parsed(
    parsed: &Parsed,
    variant: Option<&str>,
    overrides: &[(String, toml::Value)],
) -> Result<Model, ScenarioError> {
    unlocated(parsed, variant, overrides)?.map_err(|d| parsed.invalid(d))
}

/// Compiles; the problems found are not located yet (locating reads the text again).
fn unlocated(
    parsed: &Parsed,
    variant: Option<&str>,
    overrides: &[(String, toml::Value)],
) -> Result<Result<Model, Vec<Diagnostic>>, ScenarioError> {
    let (decoded, diags) = parsed.decode(variant, overrides)?;
    let hash = parsed.source.hash;
    Ok(compile::compile(&decoded.file, hash, variant, decoded.variant_names, diags).map_err(|d| d.list))
}

/// Checks a scenario and every variant it defines. Returns the variant names checked.
/// All problems of the base and of each variant are reported together.
pub fn validate(source: &Source) -> Result<Vec<String>, ScenarioError> {
    let parsed = Parsed::new(source)?;
    let mut diagnostics = match unlocated(&parsed, None, &[])? {
        Ok(_) => vec![],
        Err(d) => d,
    };
    let names = parsed.variant_names();
    for name in &names {
        let Err(d) = unlocated(&parsed, Some(name), &[])? else { continue };
        for mut diag in d {
            if !diagnostics.contains(&diag) {
                diag.message = format!("{} (with variant `{name}`)", diag.message);
                diagnostics.push(diag);
            }
        }
    }
    if diagnostics.is_empty() { Ok(names) } else { Err(parsed.invalid(diagnostics)) }
}
