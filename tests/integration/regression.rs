//! Each fixed bug becomes a named regression test.

use crate::common;
use common::*;

/// A message inject without a sender that lists earlier facts used to panic.
#[test]
fn message_inject_from_exercise_control_with_listed_facts() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "rescue"
unit.exec = {{ level = "executive" }}
unit.coord = {{ level = "coordinating" }}

[inject.alarm]
at = "0m"
fact = {{ origin = "a.exec", severity = 2 }}

[inject.briefing]
at = "30m"
message = {{ to = "a.coord", kind = "information", severity = 3, facts = ["alarm"] }}
"#
    ));
    assert_eq!(known_at(&r, "briefing", "a.coord"), Some(31.0));
    assert!(known_at(&r, "alarm", "a.coord").is_some());
}

const SESSIONS: &str = r#"
[organisation.a]
kind = "county_board"
unit.x = { level = "coordinating", activation_threshold = 4 }
unit.y = { level = "coordinating" }

[conference.c]
convener = "a.x"
participants = ["a.x", "a.y"]
duration = "30m"
ordinary = { every = "1d", first = "10:00" }
activated = { every = "2h", first_after = "5m" }

[inject.alarm]
at = "10m"
fact = { origin = "a.x", severity = 5 }
"#;

/// Activation during a session used to drop the activated cadence for good.
#[test]
fn activation_during_a_session_meets_when_it_ends() {
    let r = run(&format!("{PREAMBLE}{SESSIONS}"));
    let starts: Vec<f64> = r.conferences.iter().map(|c| minutes(c.start)).take(3).collect();
    assert_eq!(starts, vec![0.0, 30.0, 150.0]);
}

/// A conference is not held without its convener.
#[test]
fn no_session_without_the_convener() {
    let toml = format!("{PREAMBLE}{SESSIONS}").replace(
        "unit.x = { level = \"coordinating\", activation_threshold = 4 }",
        "unit.x = { level = \"coordinating\", activation_threshold = 4, office_hours = \"mon-fri 11:00-17:00\" }",
    );
    let r = run(&toml);
    // 10:00 meeting: the convener is not at work yet, no session. The alarm at 10:10
    // activates it (round-the-clock staff at once) and the crisis meeting is at 10:15.
    assert_eq!(minutes(r.conferences[0].start), 15.0);
}

/// A duty officer called in office hours for an evening meeting used to go off duty at once.
#[test]
fn duty_officer_called_in_office_hours_stays_for_the_evening_meeting() {
    let toml = format!(
        r#"{}
[organisation.a]
kind = "county_board"
unit.x = {{ level = "coordinating", activation_threshold = 4 }}
unit.y = {{ level = "coordinating", office_hours = "mon-fri 08:00-17:00", duty_officer = "10m" }}

[conference.c]
convener = "a.x"
participants = ["a.x", "a.y"]
duration = "30m"
activated = {{ every = "4h", first_after = "2h" }}

[inject.alarm]
at = "0m"
fact = {{ origin = "a.x", severity = 5 }}
"#,
        PREAMBLE.replace("2024-03-06T10:00", "2024-03-06T16:00")
    );
    let r = run(&toml);
    assert_eq!(minutes(r.conferences[0].start), 120.0);
    assert_eq!(r.conferences[0].participants, 2, "the duty officer missed the 18:00 meeting");
    assert_eq!(known_at(&r, "alarm", "a.y"), Some(150.0));
}

/// `state = "overloaded"` on a channel used to do nothing.
#[test]
fn an_overloaded_channel_loses_messages() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "rescue"
unit.exec = {{ level = "executive" }}
unit.coord = {{ level = "coordinating" }}

[inject.jam]
at = "0m"
infrastructure = {{ area = "all", channel = "fixed", state = "overloaded", loss = 0.9 }}

[inject.calls]
at = "1m"
fact = {{ origin = "a.exec", severity = 3 }}
stream = {{ count = 40, window = "2h" }}
"#
    ));
    let resent = r.messages.iter().filter(|m| m.attempts > 1).count();
    assert!(resent > 20, "only {resent} of 40 messages needed another attempt at 90% loss");
}

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
