//! samverkan: a discrete-event simulator of regional crisis collaboration on three
//! levels (strategic direction, regional coordination, execution).
//!
//! Data flows one way, from a scenario file to result files:
//!
//! 1. [`scenario`] reads a scenario TOML file (the serde types of [`scenario::spec`],
//!    checked with diagnostics that name the field) and compiles it, with an optional
//!    variant, into a [`model::Model`]: every name resolved to an index. One call does
//!    both: [`scenario::load()`]. The words the model and the file share (levels, message
//!    kinds, flows, infrastructure systems, ...) are in [`vocabulary`].
//! 2. [`sim`] runs a model with a seed in a bevy_ecs `World` ([`sim::run`], or step by
//!    step with [`sim::Engine`]) and yields a [`sim::RunRecord`]: every message, learning,
//!    conference, request and public message of the run.
//! 3. [`metrics`] reduces a record to the headline measures ([`metrics::Headline`]) and
//!    the objectives: a [`metrics::Summary`], the contents of `summary.json`.
//! 4. [`output`] writes a run's files atomically ([`output::run`]; their names and
//!    columns in [`output::names`]); [`batch`] plans, runs, resumes and merges many runs
//!    (replications, variants, sweeps) into `runs.csv` and its statistics.
//! 5. [`report`] draws charts, a workbook and an HTML page from a run or batch folder;
//!    [`debrief`] compares a real exercise's log with the model and asks what-if.
//!
//! [`generate`] writes synthetic scenarios of any size; [`dist`] and [`time`] are the
//! distributions and the simulated clock ([`time::SimTime`], milliseconds). The
//! command-line interface is the `samverkan` binary (`samverkan --help`, [`run_cli`]).
//!
//! # Example
//!
//! Load a stock scenario, run it once at its own seed and read a headline measure:
//!
//! ```
//! use samverkan::metrics::{self, Headline};
//! use samverkan::{scenario, sim};
//! use std::path::Path;
//! use std::sync::Arc;
//!
//! let model = Arc::new(scenario::load(Path::new("scenarios/stockholm-attack.toml"), None)?);
//! let record = sim::run(&model, model.seed)?;
//! let summary = metrics::summarise(&record);
//! let first = summary.measures[Headline::FirstAnyConference];
//! assert!(first.is_some(), "the attack scenario holds a conference");
//! println!("first conference after {first:?} min; {} objectives", summary.objectives.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

pub mod batch;
/// The command-line interface of the `samverkan` binary: clap types and one module per
/// command; not part of the library's API (the binary enters it through [`run_cli`]).
mod cli;
pub mod cost;
#[allow(missing_docs)] // not yet documented item by item (issue 15, point 8)
pub mod debrief;
pub mod design;
pub mod dist;
#[allow(missing_docs)] // view fields are named for what they hold; documented in docs/exercise.md
pub mod exercise;
pub mod faults;
pub mod generate;
pub mod geo;
pub mod metrics;
pub mod model;
pub mod optimise;
pub mod output;
#[allow(missing_docs)] // not yet documented item by item (issue 15, point 8)
pub mod report;
pub mod scenario;
pub mod sensitivity;
#[allow(missing_docs)] // the simulator core is being re-cut (issue 15, points 1-4, 7)
pub mod sim;
/// Names and descriptions in English and Swedish ([`text::Text`]).
pub mod text;
pub mod time;
pub mod vocabulary;

/// Runs the `samverkan` command line on this process's arguments, as the binary does:
/// parses them, runs the command, prints its results and errors, and returns the exit
/// code (0 ok, 1 a run failed, 2 bad input or usage, 3 a batch finished but some of its
/// runs failed, 4 `optimise` found no feasible candidate, 130 interrupted). It sets the
/// process to ignore SIGXFSZ (so that a file-size limit is reported as a write error)
/// and handles Ctrl-C for the commands that stop cleanly: call it only as a program's
/// entry point.
pub fn run_cli() -> std::process::ExitCode {
    cli::main()
}
