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
#[allow(missing_docs)] // fields documented in docs/scenario-format.md, not yet here (issue 15, point 8)
pub mod spec;
pub mod stock;
mod structure;
mod texts;

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
/// All problems of the base and of each variant are reported together. A variant that
/// changes no structural section is checked on the base's structure (`structure.rs`).
pub fn validate(source: &Source) -> Result<Vec<String>, ScenarioError> {
    let parsed = Parsed::new(source)?;
    let hash = parsed.source.hash;
    let (decoded, diags) = parsed.decode(None, &[])?;
    let (base, mut shared) = structure::compile_base(&decoded.file, hash, None, decoded.variant_names, diags);
    let mut diagnostics = base.err().map_or(vec![], |d| d.list);
    let names = parsed.variant_names();
    for name in &names {
        let variant = Some(name.as_str());
        let checked = match shared.as_mut().filter(|_| !parsed.touches(variant, &[], structure::STRUCTURAL)) {
            Some(s) => {
                let (decoded, diags) = parsed.decode(variant, &[])?;
                structure::check_on(&decoded.file, hash, variant, decoded.variant_names, diags, s).map_err(|d| d.list)
            }
            None => unlocated(&parsed, variant, &[])?.map(drop),
        };
        let Err(d) = checked else { continue };
        for mut diag in d {
            if !diagnostics.contains(&diag) {
                diag.message = format!("{} (with variant `{name}`)", diag.message);
                diagnostics.push(diag);
            }
        }
    }
    if diagnostics.is_empty() { Ok(names) } else { Err(parsed.invalid(diagnostics)) }
}
