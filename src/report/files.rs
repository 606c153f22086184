//! Names of the files and columns the charts read: those of [`crate::output::names`],
//! which the writers use too, so a renamed column changes both sides.

pub use crate::output::names::{batch, run};
