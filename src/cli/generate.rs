//! `samverkan generate --organisations N [--seed S] > big.toml`

use super::{exit, fail};
use crate::generate::{self, Options};
use crate::time::parse_duration;
use clap::Args;

/// Write a national-shape scenario (counties, municipalities, regions, county boards,
/// national agencies, a storm crossing the country) to standard output.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  samverkan generate --organisations 471 > national.toml     # Sweden's size: 290 municipalities, 1 364 units\n  \
samverkan generate --units 40000 --seed 7 > big.toml\n  \
samverkan generate --units 400 --core > core.toml           # the hand-written baseline's workload\n\n\
Units ≈ 2.9 × organisations (county boards, SOS Alarm centres, military regions and the\n\
three national agencies have two units, every other organisation three). The storm's\n\
events are over after 60 h; variants `week` and `month` stretch the same events over\n\
7 and 30 days. See docs/performance.md."
)]
pub struct GenerateArgs {
    /// Number of organisations (at least 10).
    #[arg(long, required_unless_present = "units", conflicts_with = "units")]
    organisations: Option<usize>,
    /// Instead of --organisations: the fewest organisations that give at least this many units.
    #[arg(long)]
    units: Option<usize>,
    /// Seed of the structure's random choices (and the scenario's own seed).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Simulated duration, e.g. "3d" or "30d".
    #[arg(long, default_value = "3d")]
    duration: String,
    /// Only the core workload the hand-written baseline models (no duty officers,
    /// activation, resources or infrastructure; conferences on a fixed cadence).
    #[arg(long)]
    core: bool,
    /// Print nothing on standard error.
    #[arg(long, short)]
    quiet: bool,
}

pub fn main(a: GenerateArgs) -> u8 {
    let duration = match parse_duration(&a.duration) {
        Ok(d) if d > 0 => d,
        Ok(_) => return fail(exit::BAD_INPUT, "--duration must be longer than 0"),
        Err(e) => return fail(exit::BAD_INPUT, format!("--duration: {e}")),
    };
    let organisations = match (a.organisations, a.units) {
        (Some(n), _) => n,
        (None, Some(u)) => match generate::organisations_for_units(u, a.seed) {
            Ok(n) => n,
            Err(e) => return fail(exit::BAD_INPUT, e),
        },
        (None, None) => return fail(exit::BAD_INPUT, "give --organisations or --units"),
    };
    let options = Options { organisations, seed: a.seed, duration, core: a.core };
    let g = match generate::generate(&options) {
        Ok(g) => g,
        Err(e) => return fail(exit::BAD_INPUT, e),
    };
    use std::io::Write;
    match std::io::stdout().lock().write_all(g.text.as_bytes()) {
        // The reader has gone (`generate … | head`): not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return fail(exit::RUN_FAILED, format!("writing the scenario: {e}")),
        Ok(()) => {}
    }
    if !a.quiet {
        eprintln!(
            "generated {} organisations, {} units, {} counties ({} block(s))",
            g.organisations, g.units, g.counties, g.blocks
        );
    }
    exit::OK
}
