//! samverkan: a discrete-event simulator of regional crisis collaboration on three
//! levels (strategic direction, regional coordination, execution).
//!
//! Data flows one way: a scenario file ([`scenario`]) compiles into a [`model::Model`];
//! [`sim`] runs it in a bevy_ecs `World` and yields a [`metrics::RunResult`]; [`output`]
//! writes that as CSV/JSON files.

pub mod batch;
pub mod cli;
pub mod cost;
pub mod debrief;
pub mod design;
pub mod dist;
pub mod faults;
pub mod generate;
pub mod geo;
pub mod metrics;
pub mod model;
pub mod optimise;
pub mod output;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod sim;
pub mod time;
pub mod vocabulary;
