//! The fault-injection suite (docs/reliability.md): samverkan as real processes meet
//! planted symlinks, racing processes, signals, full disks, hostile spreadsheets and
//! files at the edge of every documented limit. Each module proves one promise of
//! docs/reliability.md; each test names the situation it creates.

use crate::common;

mod bounds;
mod exits;
mod locks;
mod msel;
mod support;
mod symlinks;
mod validate;
