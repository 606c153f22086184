//! The exercise debrief (issue 17): the log format, the template, the comparison with
//! the model, the what-if reruns and the report. One test binary, a module per part.

mod compare;
mod log;
mod report;
mod whatif;
