//! The command line: parses arguments, calls the library, turns errors into friendly
//! messages and exit codes (0 ok, 1 a run failed, 2 bad input or usage).

mod describe;
mod generate;
mod run;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "samverkan",
    version,
    about = "Simulates regional crisis collaboration (strategic, coordinating, executive levels) and measures how fast information and resources move",
    after_help = "Example:\n  samverkan run scenarios/stockholm-attack.toml\n  samverkan validate scenarios/*.toml"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Run(run::RunArgs),
    Validate(validate::ValidateArgs),
    Describe(describe::DescribeArgs),
    Generate(generate::GenerateArgs),
}

/// Exit codes with fixed meanings.
pub mod exit {
    pub const OK: u8 = 0;
    pub const RUN_FAILED: u8 = 1;
    pub const BAD_INPUT: u8 = 2;
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run(a) => run::main(a),
        Command::Validate(a) => validate::main(a),
        Command::Describe(a) => describe::main(a),
        Command::Generate(a) => generate::main(a),
    };
    ExitCode::from(code)
}

/// Prints an error for the user and returns the exit code for it.
pub(crate) fn fail(code: u8, message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    code
}
