//! Engine bugs found while validating, each pinned by a hand-calculated scenario.

mod common;
use common::*;

/// A message reaching an unstaffed unit shortly before office hours waited for the duty
/// officer even after the office staff had come in (found by the duty-officer theory check).
#[test]
fn office_staff_coming_in_before_the_duty_officer_start_at_once() {
    let r = run(&format!(
        r#"{}
[organisation.a]
kind = "municipality"
unit.e = {{ level = "executive" }}
unit.c = {{ level = "coordinating", office_hours = "mon-fri 08:00-17:00", handlers = 1, duty_officer = "15m", processing = {{ default = "5m" }} }}

[inject.alarm]
at = "0m"
fact = {{ origin = "a.e", severity = 5 }}
"#,
        PREAMBLE.replace("2024-03-06T10:00", "2024-03-06T07:50")
    ));
    // Sent 07:50, delivered 07:51; nobody there until the office opens at 08:00 (9 min,
    // before the duty officer's 15 min); handled 08:00–08:05.
    assert_eq!(known(&r, "alarm", "a.c"), Some((15.0, [1.0, 0.0, 5.0, 0.0, 9.0])));
}
