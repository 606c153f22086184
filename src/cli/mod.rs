//! The command line: parses arguments, calls the library, turns errors into friendly
//! messages and exit codes (0 ok, 1 a run failed, 2 bad input or usage, 3 a batch
//! finished but some of its runs failed).

/// `println!` for program output, through [`print_out`]: when the reader has gone
/// (`samverkan run … | head`) the rest is not printed and the command still finishes.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::print_out(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod batch;
mod describe;
mod generate;
mod merge;
mod msel;
pub mod new;
mod report;
mod run;
mod schema;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "samverkan",
    version,
    about = "Simulates regional crisis collaboration (strategic, coordinating, executive levels) and measures how fast information and resources move",
    after_help = "Example:\n  samverkan batch scenarios/stockholm-attack.toml\n  samverkan run scenarios/stockholm-attack.toml\n  samverkan validate scenarios/*.toml"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Run(run::RunArgs),
    Batch(batch::BatchArgs),
    Merge(merge::MergeArgs),
    Validate(validate::ValidateArgs),
    Describe(describe::DescribeArgs),
    Report(report::ReportArgs),
    Msel(msel::MselArgs),
    New(new::NewArgs),
    Schema(schema::SchemaArgs),
    Generate(generate::GenerateArgs),
}

/// Exit codes with fixed meanings.
pub mod exit {
    pub const OK: u8 = 0;
    pub const RUN_FAILED: u8 = 1;
    pub const BAD_INPUT: u8 = 2;
    /// A batch finished, but some of its runs failed (recorded in runs.csv).
    pub const SOME_RUNS_FAILED: u8 = 3;
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run(a) => run::main(a),
        Command::Batch(a) => batch::main(a),
        Command::Merge(a) => merge::main(a),
        Command::Validate(a) => validate::main(a),
        Command::Describe(a) => describe::main(a),
        Command::Report(a) => report::main(a),
        Command::Msel(a) => msel::main(a),
        Command::New(a) => new::main(a),
        Command::Schema(a) => schema::main(a),
        Command::Generate(a) => generate::main(a),
    };
    ExitCode::from(code)
}

/// Prints an error for the user and returns the exit code for it.
pub(crate) fn fail(code: u8, message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    code
}

/// Writes program output to stdout; a closed pipe (`| head`) is not an error: once the
/// reader has gone, nothing more is printed.
pub(crate) fn print_out(text: &str) {
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    static READER_GONE: AtomicBool = AtomicBool::new(false);
    if READER_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        READER_GONE.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("warning: writing to standard output: {e}");
        }
    }
}
