//! One meaning per exit code, and messages a user can act on (output failures, signals, file-size limits).
