//! `samverkan validate FILE...`

use super::{exit, fail};
use crate::scenario::{self, Source};
use clap::Args;
use std::path::PathBuf;

/// Check scenario files (syntax and meaning) and every variant they define.
#[derive(Args)]
#[command(
    after_help = "Example:\n  samverkan validate scenarios/*.toml\n\nExit code 2 when any file is invalid; every error in a file is listed."
)]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn main(a: ValidateArgs) -> u8 {
    let mut code = exit::OK;
    for path in &a.files {
        let checked = Source::read(path).and_then(|s| scenario::validate(&s));
        match checked {
            Ok(variants) if variants.is_empty() => say!("{}: ok", path.display()),
            Ok(variants) => say!("{}: ok (variants: {})", path.display(), variants.join(", ")),
            Err(e) => code = fail(exit::BAD_INPUT, e),
        }
    }
    code
}
