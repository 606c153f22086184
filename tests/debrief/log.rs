//! Tests of the debrief: log.
