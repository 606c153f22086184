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
pub mod patch;
pub mod schema;
pub mod spec;

pub use compile::{MAX_LINKS, MAX_SCENARIO_DURATION};
pub use error::{Diagnostic, ScenarioError};
pub use load::Source;

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
    let (decoded, diags) = load::decode(source, variant, overrides)?;
    compile::compile(&decoded.file, source.hash, variant, decoded.variant_names, diags)
        .map_err(|d| ScenarioError::Invalid { file: source.file.clone(), diagnostics: source.locate(d.list) })
}

/// Checks a scenario and every variant it defines. Returns the variant names checked.
/// All problems of the base and of each variant are reported together.
pub fn validate(source: &Source) -> Result<Vec<String>, ScenarioError> {
    let base = build(source, None, &[]);
    let mut diagnostics = match &base {
        Ok(_) => vec![],
        Err(ScenarioError::Invalid { diagnostics, .. }) => diagnostics.clone(),
        Err(e) => return Err(clone_error(e)),
    };
    let names = match &base {
        Ok(m) => m.variants.clone(),
        Err(_) => load::decode(source, None, &[]).map(|(d, _)| d.variant_names).unwrap_or_default(),
    };
    for name in &names {
        if let Err(ScenarioError::Invalid { diagnostics: d, .. }) = build(source, Some(name), &[]) {
            for mut diag in d {
                if !diagnostics.contains(&diag) {
                    diag.message = format!("{} (with variant `{name}`)", diag.message);
                    diagnostics.push(diag);
                }
            }
        }
    }
    if diagnostics.is_empty() {
        Ok(names)
    } else {
        Err(ScenarioError::Invalid { file: source.file.clone(), diagnostics })
    }
}

fn clone_error(e: &ScenarioError) -> ScenarioError {
    match e {
        ScenarioError::Read { file, reason } => ScenarioError::Read { file: file.clone(), reason: reason.clone() },
        ScenarioError::Invalid { file, diagnostics } => {
            ScenarioError::Invalid { file: file.clone(), diagnostics: diagnostics.clone() }
        }
        ScenarioError::UnknownVariant { file, name, known } => {
            ScenarioError::UnknownVariant { file: file.clone(), name: name.clone(), known: known.clone() }
        }
    }
}
