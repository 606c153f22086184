//! Tests of the debrief: compare.
