//! The integration tests, one binary with a module per subject (the layout of ripgrep's
//! `tests/`): one link instead of one per file. Run one subject with its module name as
//! the filter, e.g. `cargo test --release --test integration fingerprints`.
//! Fixtures stay where they were (`tests/scenarios/`, `tests/bad/`, `tests/debrief/fixtures/`,
//! ...); paths in the tests are relative to the package root, as cargo runs them there.

mod bad_inputs;
mod baseline_agrees;
mod batch_cli;
mod batch_runs;
mod batch_stats;
mod calibration;
mod cli_run;
mod common;
mod cost;
mod debrief;
mod designs;
mod docs_example;
mod engine_api;
mod exercise;
mod exercise_server;
mod files;
mod fingerprints;
mod fuzz_loader;
mod generate;
mod guards;
mod hand_calculated;
mod knowledge_fingerprints;
mod map;
mod msel;
mod optimise;
mod properties;
mod recording;
mod regression;
mod reliability;
mod report;
mod report_batch;
mod report_clock;
mod report_support;
mod schema;
mod sensitivity;
mod spreadsheets;
mod stock_invariants;
mod stock_scenarios;
mod swedish;
mod theory;
mod validation_errors;
mod wcore;
