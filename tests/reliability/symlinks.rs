//! Nothing is ever written outside the output folder: planted symlinks are refused or replaced, never written through.
