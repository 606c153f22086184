//! Reading an exercise log (docs/exercise-log.md): CSV in either dialect, or `.xlsx`.
