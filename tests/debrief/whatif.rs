//! Tests of the debrief: whatif.
