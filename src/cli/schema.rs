//! `samverkan schema`: the JSON Schema of the scenario format.

use super::{exit, fail};
use crate::output::write_atomic;
use crate::scenario::schema;
use clap::Args;
use std::path::PathBuf;

/// Print the JSON Schema of scenario files, for editors that validate and complete TOML.
#[derive(Args)]
#[command(after_help = "Example:\n  samverkan schema > docs/scenario.schema.json\n\n\
Then start a scenario file with a line `#:schema PATH/scenario.schema.json` (Taplo / Even Better\n\
TOML, Tombi); the stock scenarios do: `#:schema ../docs/scenario.schema.json`.")]
pub struct SchemaArgs {
    /// Write to this file instead of standard output (replaced if it exists).
    #[arg(long, short)]
    out: Option<PathBuf>,
}

pub fn main(a: SchemaArgs) -> u8 {
    let text = schema::json();
    match a.out {
        None => {
            super::print_out(&text);
            exit::OK
        }
        Some(path) => match write_atomic(&path, text.as_bytes()) {
            Ok(()) => exit::OK,
            Err(e) => fail(exit::RUN_FAILED, e),
        },
    }
}
