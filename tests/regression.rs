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

/// An exercise message without a sender that hands over earlier facts panicked
/// (the sender's knowledge was looked up for "exercise control").
#[test]
fn an_exercise_message_without_a_sender_can_carry_earlier_facts() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "municipality"
unit.e = {{ level = "executive" }}
unit.c = {{ level = "coordinating", processing = {{ default = "5m" }} }}

[inject.alarm]
at = "0m"
fact = {{ origin = "a.e", severity = 2 }}

[inject.briefing]
at = "30m"
message = {{ to = "a.c", kind = "information", severity = 3, facts = ["alarm"] }}
"#
    ));
    // The alarm reaches a.c by the report link first (1 + 5 min); the briefing brings its
    // own fact, made at 30 min, by 30 + 1 + 5 min.
    assert_eq!(known(&r, "alarm", "a.c"), Some((6.0, [1.0, 0.0, 5.0, 0.0, 0.0])));
    assert_eq!(known(&r, "briefing", "a.c"), Some((36.0, [1.0, 0.0, 5.0, 0.0, 0.0])));
}

/// A convener that activated while a session of its conference was under way, with the
/// first activated session due before that one ended, never met again.
#[test]
fn a_conference_activated_during_a_session_meets_when_the_session_ends() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "county_board"
unit.x = {{ level = "coordinating", activation_threshold = 5 }}
unit.y = {{ level = "coordinating" }}

[conference.c]
convener = "a.x"
participants = ["a.x", "a.y"]
duration = "30m"
ordinary = {{ every = "1d", first = "10:00" }}
activated = {{ every = "2h", first_after = "10m" }}

[inject.alarm]
at = "5m"
fact = {{ origin = "a.x", severity = 5 }}
"#
    ));
    // Ordinary session 10:00–10:30; activation at 10:05 calls the first activated session
    // for 10:15, while the ordinary one is still on: it starts at 10:30 instead, then
    // every 2 h.
    let starts: Vec<f64> = r.conferences.iter().map(|c| minutes(c.start)).take(3).collect();
    assert_eq!(starts, [0.0, 30.0, 150.0]);
}
