//! Errors found in scenario files, each with a field path, a location and what to do.

use std::fmt;

/// One problem in a scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Dotted field path, e.g. `organisation.solna.unit.ledning.profile`.
    pub path: String,
    /// What is wrong and what to do about it.
    pub message: String,
    /// 1-based line and column in the file, where known.
    pub location: Option<(usize, usize)>,
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read (or is no file, or too large).
    #[error("{file}: cannot read the file: {reason}")]
    Read {
        /// The file.
        file: String,
        /// Why, in words a user can act on.
        reason: String,
        /// The operating system's error, when there was one.
        #[source]
        source: Option<std::io::Error>,
    },
    /// The file was read but is not a valid scenario.
    #[error("{}", render(file, diagnostics))]
    Invalid {
        /// The file.
        file: String,
        /// Every problem found.
        diagnostics: Vec<Diagnostic>,
    },
    /// `--variant` names a variant the file does not define.
    #[error("{file}: no variant named `{name}`; the file defines: {known}")]
    UnknownVariant {
        /// The file.
        file: String,
        /// The variant asked for.
        name: String,
        /// The variants it defines, comma-separated.
        known: String,
    },
}

impl ScenarioError {
    /// The problems found, if the file was invalid; empty otherwise.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            ScenarioError::Invalid { diagnostics, .. } => diagnostics,
            _ => &[],
        }
    }
}

fn render(file: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(file);
        if let Some((line, col)) = d.location {
            out.push_str(&format!(":{line}:{col}"));
        }
        if d.path.is_empty() {
            out.push_str(&format!(": {}", d.message));
        } else {
            out.push_str(&format!(": `{}`: {}", d.path, d.message));
        }
    }
    let n = diagnostics.len();
    out.push_str(&format!("\n{file}: {n} error{} found", if n == 1 { "" } else { "s" }));
    out
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((l, c)) = self.location {
            write!(f, "{l}:{c}: ")?;
        }
        write!(f, "`{}`: {}", self.path, self.message)
    }
}

/// Collects diagnostics under field paths while a file is checked.
#[derive(Default, Debug)]
pub struct Diags {
    /// The diagnostics so far, in the order found.
    pub list: Vec<Diagnostic>,
}

impl Diags {
    /// Adds a problem of the field at `path` (without a location; the loader adds it).
    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.list.push(Diagnostic { path: path.into(), message: message.into(), location: None });
    }
    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Joins path segments with dots.
pub fn join(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(".")
}
