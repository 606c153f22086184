//! Tests of the debrief: report.
