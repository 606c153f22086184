//! Named points where the fault-injection suite (tests/reliability) stops the process
//! as a crash would: with `SAMVERKAN_FAULT=POINT:FILE` in the environment, the process
//! kills itself (SIGKILL) on reaching POINT while writing FILE. Without the variable,
//! [`point`] does nothing.
//!
//! Points: `before-rename` (a file's temporary copy is complete, not yet renamed).

use std::sync::OnceLock;

/// Stops the process here if the environment names this point and file.
pub fn point(name: &str, file: &str) {
    static WANTED: OnceLock<Option<String>> = OnceLock::new();
    let wanted = WANTED.get_or_init(|| std::env::var("SAMVERKAN_FAULT").ok());
    if let Some(w) = wanted
        && w.split_once(':') == Some((name, file))
    {
        // SAFETY: raise only sends a signal to this process.
        unsafe {
            libc::raise(libc::SIGKILL);
        }
    }
}
