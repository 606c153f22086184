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
mod debrief;
mod describe;
mod exercise;
mod generate;
mod log_template;
mod merge;
mod msel;
mod new;
mod optimise;
mod replay;
mod report;
mod run;
mod schema;
mod sensitivity;
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
    Optimise(optimise::OptimiseArgs),
    Debrief(debrief::DebriefArgs),
    Exercise(exercise::ExerciseArgs),
    Merge(merge::MergeArgs),
    Validate(validate::ValidateArgs),
    Describe(describe::DescribeArgs),
    Report(report::ReportArgs),
    Msel(msel::MselArgs),
    New(new::NewArgs),
    Schema(schema::SchemaArgs),
    Sensitivity(sensitivity::SensitivityArgs),
    Generate(generate::GenerateArgs),
    LogTemplate(log_template::LogTemplateArgs),
    Replay(replay::ReplayArgs),
}

/// Exit codes with fixed meanings.
pub mod exit {
    pub const OK: u8 = 0;
    pub const RUN_FAILED: u8 = 1;
    pub const BAD_INPUT: u8 = 2;
    /// A batch finished, but some of its runs failed (recorded in runs.csv).
    pub const SOME_RUNS_FAILED: u8 = 3;
    /// `optimise` found no candidate proven to meet every requirement (its files are written).
    pub const NONE_FEASIBLE: u8 = 4;
    /// Stopped by Ctrl-C or SIGTERM; what had finished is recorded (128 + SIGINT, as shells do).
    pub const INTERRUPTED: u8 = 130;
}

pub fn main() -> ExitCode {
    // A write past the file-size limit (`ulimit -f`) then fails with an error that is
    // reported, instead of killing the process without a word.
    // SAFETY: setting a signal's disposition to "ignore" runs no code in the handler.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run(a) => run::main(a),
        Command::Batch(a) => batch::main(a),
        Command::Optimise(a) => optimise::main(a),
        Command::Debrief(a) => debrief::main(a),
        Command::Exercise(a) => exercise::main(a),
        Command::Merge(a) => merge::main(a),
        Command::Validate(a) => validate::main(a),
        Command::Describe(a) => describe::main(a),
        Command::Report(a) => report::main(a),
        Command::Msel(a) => msel::main(a),
        Command::New(a) => new::main(a),
        Command::Schema(a) => schema::main(a),
        Command::Sensitivity(a) => sensitivity::main(a),
        Command::Generate(a) => generate::main(a),
        Command::LogTemplate(a) => log_template::main(a),
        Command::Replay(a) => replay::main(a),
    };
    ExitCode::from(code)
}

/// A flag set by the first Ctrl-C (SIGINT) or SIGTERM, for work that stops cleanly at
/// its next step; a second signal ends the process at once with [`exit::INTERRUPTED`].
pub(crate) fn stop_flag() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for sig in [SIGINT, SIGTERM] {
        let second = signal_hook::flag::register_conditional_shutdown(sig, exit::INTERRUPTED.into(), flag.clone());
        let first = signal_hook::flag::register(sig, flag.clone());
        if let Err(e) = second.and(first) {
            eprintln!("warning: Ctrl-C will not stop cleanly: {e}");
        }
    }
    flag
}

/// Prints an error for the user and returns the exit code for it.
pub(crate) fn fail(code: u8, message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    code
}

/// Reports a failure to draw or write the charts and report (exit 2 when the folder is
/// at fault, e.g. a link where `charts/` belongs; 1 when writing failed).
pub(crate) fn fail_report(e: crate::report::ReportError) -> u8 {
    let code = if e.is_bad_input() { exit::BAD_INPUT } else { exit::RUN_FAILED };
    fail(code, e)
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
