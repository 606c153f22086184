//! Each fixed bug becomes a named regression test.

use crate::common;
use common::*;
use samverkan::vocabulary::MessageKind;

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

/// A session needs two participants present (here the convener is not at work yet and
/// only one other participant is there).
#[test]
fn no_session_with_one_participant_present() {
    let toml = format!("{PREAMBLE}{SESSIONS}").replace(
        "unit.x = { level = \"coordinating\", activation_threshold = 4 }",
        "unit.x = { level = \"coordinating\", activation_threshold = 4, office_hours = \"mon-fri 11:00-17:00\" }",
    );
    let r = run(&toml);
    // 10:00 meeting: the convener is not at work yet, a.y alone: no session. The alarm at 10:10
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

/// A fixed-line failure in the convener's area alone used to cancel every session of a
/// conference held over fixed lines, for everyone: no session was held without the
/// convener. Now a deputy leads (the first participant present of the convener's
/// organisation, else of its level) and publishes the picture; the convener leads again
/// when it can join.
#[test]
fn a_deputy_convener_leads_when_the_convener_cannot_join() {
    let r = run(&format!(
        r#"{PREAMBLE}
[area.north]
[area.south]

[organisation.r]
kind = "rescue"
area = "south"
unit.e = {{ level = "executive" }}

[organisation.k1]
kind = "municipality"
area = "south"
unit.c = {{ level = "coordinating" }}

[organisation.k2]
kind = "municipality"
area = "south"
unit.c = {{ level = "coordinating" }}

[organisation.lst]
kind = "county_board"
area = "north"
unit.tib = {{ level = "coordinating" }}
unit.rsib = {{ level = "coordinating" }}

[conference.regional]
convener = "lst.tib"
participants = ["r.e", "lst.rsib", "k1.c", "k2.c"]
channel = "fixed"
duration = "30m"
ordinary = {{ every = "1d", first = "11:00" }}
picture = {{ channel = "fixed", to = ["r.e"] }}

[inject.cut]
at = "0m"
infrastructure = {{ area = "north", system = "fixed", state = "down", for = "20h" }}

[inject.note]
at = "0m"
fact = {{ origin = "k1.c", severity = 2 }}
"#
    ));
    let unit = |id: &str| r.model.unit_index(id).expect("unit");
    // Wed 11:00: the county board's fixed lines are down (both its units cut off); the
    // other three meet, led by k1.c (the first present of the convener's level; r.e is
    // listed before it but is executive).
    let first = &r.conferences[0];
    assert_eq!(minutes(first.start), 60.0, "the session is held without the convener");
    assert_eq!(first.participants, 3);
    assert_eq!(first.leader, unit("k1.c"));
    let pictures: Vec<_> = r.messages.iter().filter(|m| m.kind == MessageKind::Picture).collect();
    assert_eq!(pictures[0].from, unit("k1.c"), "the deputy publishes the picture");
    // Thu 11:00: the lines are back (06:00); the convener leads again.
    let second = &r.conferences[1];
    assert_eq!(minutes(second.start), 1500.0);
    assert_eq!((second.participants, second.leader), (5, unit("lst.tib")));
    assert_eq!(pictures[1].from, unit("lst.tib"));
    // conferences.csv names who led each session.
    let csv = samverkan::output::run::conferences(&r, samverkan::output::CsvDialect::Comma).into_bytes();
    let leaders: Vec<String> =
        String::from_utf8(csv).unwrap().lines().skip(1).map(|l| l.rsplit(',').next().unwrap().to_string()).collect();
    assert_eq!(leaders, ["k1.c", "lst.tib"]);
}

/// A duty officer called at night who arrived after the office had opened stayed on duty
/// through the next evening: work arriving in the evening started at once. The duty
/// officer is on duty for the closed period they were called for only.
#[test]
fn a_duty_officer_arriving_after_opening_does_not_stay_for_the_evening() {
    let r = run(&format!(
        r#"{}
[organisation.a]
kind = "municipality"
unit.e = {{ level = "executive" }}
unit.c = {{ level = "coordinating", office_hours = "mon-fri 08:00-17:00", handlers = 1, duty_officer = "30m", processing = {{ default = "5m" }} }}

[inject.morning]
at = "0m"
fact = {{ origin = "a.e", severity = 3 }}

[inject.evening]
at = "610m"
fact = {{ origin = "a.e", severity = 3 }}
"#,
        PREAMBLE.replace("2024-03-06T10:00", "2024-03-06T07:50")
    ));
    // 07:51 delivered, the duty officer called (arrives 08:21); the office opens at 08:00.
    assert_eq!(known(&r, "morning", "a.c"), Some((15.0, [1.0, 0.0, 5.0, 0.0, 9.0])));
    // 18:01 delivered, nobody on duty: the duty officer is called again (30 min) — before,
    // the morning's duty officer was still on and it started at once (646 → 616 min).
    assert_eq!(known(&r, "evening", "a.c"), Some((646.0, [1.0, 0.0, 5.0, 0.0, 30.0])));
}

/// Two injects at the same instant at one origin travelled as one message with one
/// processing time (one second apart, as two): separate injects are separate work.
#[test]
fn two_injects_at_one_instant_are_two_messages() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "rescue"
unit.exec = {{ level = "executive" }}
unit.coord = {{ level = "coordinating", handlers = 1, processing = {{ default = "5m" }} }}

[inject.one]
at = "0m"
fact = {{ origin = "a.exec", severity = 3 }}

[inject.two]
at = "0m"
fact = {{ origin = "a.exec", severity = 3 }}
"#
    ));
    let (exec, coord) = (r.model.unit_index("a.exec").unwrap(), r.model.unit_index("a.coord").unwrap());
    let sent: Vec<_> = r.messages.iter().filter(|m| m.from == exec && m.to == coord).collect();
    assert_eq!(sent.len(), 2, "one message per inject");
    assert!(sent.iter().all(|m| m.facts.len() == 1));
    // One handler: the first is processed 00:01–00:06, the second waits and takes 00:06–00:11.
    assert_eq!(known(&r, "one", "a.coord"), Some((6.0, [1.0, 0.0, 5.0, 0.0, 0.0])));
    assert_eq!(known(&r, "two", "a.coord"), Some((11.0, [1.0, 5.0, 5.0, 0.0, 0.0])));
}

/// The deputy is of the convener's organisation before one of its level listed earlier.
#[test]
fn the_deputy_convener_is_of_the_conveners_organisation_first() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.k]
kind = "municipality"
unit.c = {{ level = "coordinating" }}

[organisation.lst]
kind = "county_board"
unit.tib = {{ level = "coordinating", office_hours = "mon-fri 11:00-17:00" }}
unit.rsib = {{ level = "coordinating" }}

[conference.c]
convener = "lst.tib"
participants = ["k.c", "lst.rsib"]
duration = "30m"
ordinary = {{ every = "1d", first = "10:30" }}
"#
    ));
    // 10:30: the convener is not at work yet; lst.rsib leads (k.c is listed first, of the
    // same level but another organisation).
    let first = &r.conferences[0];
    assert_eq!((minutes(first.start), first.participants), (30.0, 2));
    assert_eq!(first.leader, r.model.unit_index("lst.rsib").unwrap());
}
