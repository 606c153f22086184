//! Small scenarios with fixed-time distributions whose every delay and decomposition can
//! be worked out by hand; each test asserts them to the second.

use crate::common;
use common::*;

// Decomposition order: [transit, queue, processing, meeting_wait, activation_wait]

#[test]
fn a_chain_up_the_levels_adds_transit_and_processing() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "rescue"
unit.exec = {{ level = "executive", processing = {{ default = "2m" }} }}
unit.coord = {{ level = "coordinating", processing = {{ default = "5m" }} }}
unit.strat = {{ level = "strategic", processing = {{ default = "10m" }} }}

[inject.alarm]
at = "0m"
fact = {{ origin = "a.exec", severity = 5 }}
"#
    ));
    assert_eq!(known(&r, "alarm", "a.exec"), Some((0.0, [0.0; 5])));
    // 1 min on the line + 5 min at the coordinating unit
    assert_eq!(known(&r, "alarm", "a.coord"), Some((6.0, [1.0, 0.0, 5.0, 0.0, 0.0])));
    // then 1 more on the line and 10 at the strategic unit
    assert_eq!(known(&r, "alarm", "a.strat"), Some((17.0, [2.0, 0.0, 15.0, 0.0, 0.0])));
}

const QUEUE: &str = r#"
[organisation.a]
kind = "rescue"
unit.e1 = { level = "executive" }
unit.e2 = { level = "executive" }
unit.e3 = { level = "executive" }
unit.coord = { level = "coordinating", handlers = 1, processing = { default = "5m" } }

[inject.first]
at = "0m"
fact = { origin = "a.e1", severity = 3 }

[inject.routine]
at = "1m"
fact = { origin = "a.e2", severity = 3 }

[inject.urgent]
at = "1m"
fact = { origin = "a.e3", severity = 5 }
"#;

#[test]
fn messages_queue_behind_a_busy_handler_most_severe_first() {
    let r = run(&format!("{PREAMBLE}{QUEUE}"));
    // first: arrives at 1, handled 1–6
    assert_eq!(known(&r, "first", "a.coord"), Some((6.0, [1.0, 0.0, 5.0, 0.0, 0.0])));
    // both others arrive at 2 and wait; the urgent one goes first (6–11), the routine one 11–16
    assert_eq!(known(&r, "urgent", "a.coord"), Some((11.0, [1.0, 4.0, 5.0, 0.0, 0.0])));
    assert_eq!(known(&r, "routine", "a.coord"), Some((16.0, [1.0, 9.0, 5.0, 0.0, 0.0])));
    let u = unit_outcome(&r, "a.coord");
    assert_eq!(u.peak_backlog, 2);
    assert_eq!(u.handled, 3);
}

#[test]
fn two_handlers_take_two_messages_at_once() {
    let r = run(&format!("{PREAMBLE}{}", QUEUE.replace("handlers = 1", "handlers = 2")));
    // both arrive at 2: the routine one was sent first and takes the free handler (2–7);
    // the urgent one waits for the first handler (6–11)
    assert_eq!(known(&r, "routine", "a.coord"), Some((7.0, [1.0, 0.0, 5.0, 0.0, 0.0])));
    assert_eq!(known(&r, "urgent", "a.coord"), Some((11.0, [1.0, 4.0, 5.0, 0.0, 0.0])));
}

#[test]
fn a_conference_every_hour_shares_what_one_participant_knew() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "county_board"
unit.x = {{ level = "coordinating" }}
unit.y = {{ level = "coordinating" }}

[conference.hourly]
convener = "a.x"
participants = ["a.x", "a.y"]
duration = "10m"
ordinary = {{ every = "1h", first = "10:30" }}

[inject.news]
at = "5m"
fact = {{ origin = "a.x", severity = 2 }}

[inject.later]
at = "45m"
fact = {{ origin = "a.x", severity = 2 }}
"#
    ));
    // known at 5, waits for the 10:30 meeting (25 min), learned at its end (10 min)
    assert_eq!(known(&r, "news", "a.y"), Some((40.0, [0.0, 0.0, 10.0, 25.0, 0.0])));
    // known at 45: the 10:30 meeting has ended; the 11:30 one starts at 90
    assert_eq!(known(&r, "later", "a.y"), Some((100.0, [0.0, 0.0, 10.0, 45.0, 0.0])));
    assert_eq!(r.conferences[0].start, 30 * 60_000);
}

const DUTY: &str = r#"
[organisation.a]
kind = "municipality"
unit.e = { level = "executive" }
unit.c = { level = "coordinating", office_hours = "mon-fri 08:00-17:00", handlers = 1, duty_officer = "15m", processing = { default = "5m" } }

[inject.alarm]
at = "0m"
fact = { origin = "a.e", severity = 5 }

[variant.saturday]
set = { "scenario.start" = "2024-03-09T10:00" }
"#;

#[test]
fn a_duty_officer_adds_the_response_time_outside_office_hours_only() {
    let weekday = run(&format!("{PREAMBLE}{DUTY}"));
    assert_eq!(known(&weekday, "alarm", "a.c"), Some((6.0, [1.0, 0.0, 5.0, 0.0, 0.0])));
    let saturday = run_variant(&format!("{PREAMBLE}{DUTY}"), "saturday");
    // arrives at 1, the duty officer is alerted and comes at 16, handles it by 21
    assert_eq!(known(&saturday, "alarm", "a.c"), Some((21.0, [1.0, 0.0, 5.0, 0.0, 15.0])));
}

#[test]
fn without_a_duty_officer_messages_wait_for_office_hours() {
    let toml = format!("{PREAMBLE}{DUTY}").replace(", duty_officer = \"15m\"", "");
    let r = run_variant(&toml, "saturday");
    // arrives Saturday 10:01 and waits until Monday 08:00 (46 h after the start)
    let wait = 46.0 * 60.0 - 1.0;
    assert_eq!(known(&r, "alarm", "a.c"), Some((46.0 * 60.0 + 5.0, [1.0, 0.0, 5.0, 0.0, wait])));
    let shorter = toml.replace("duration = \"2d\"", "duration = \"1d\"");
    assert_eq!(known_at(&run_variant(&shorter, "saturday"), "alarm", "a.c"), None);
}

const FALLBACK: &str = r#"
[channel.phone]
kind = "phone_mobile"
latency = "1m"

[channel.courier]
kind = "courier"
latency = "30m"

[area.north]
kind = "rural"

[organisation.a]
kind = "municipality"
area = "north"
unit.e = { level = "executive" }
unit.c = { level = "coordinating", processing = { default = "5m" } }

[link.up]
from = "a.e"
to = "a.c"
flows = ["report"]
channels = ["phone", "courier"]
"#;

#[test]
fn a_failed_channel_falls_back_to_the_next() {
    let r = run(&format!(
        r#"{PREAMBLE}{FALLBACK}
[inject.mobile-down]
at = "0m"
infrastructure = {{ area = "north", system = "mobile", state = "down" }}

[inject.alarm]
at = "0m"
fact = {{ origin = "a.e", severity = 5 }}
"#
    ));
    assert_eq!(known(&r, "alarm", "a.c"), Some((35.0, [30.0, 0.0, 5.0, 0.0, 0.0])));
    assert_eq!(r.model.channels[r.messages[0].channel as usize].id, "courier");
}

#[test]
fn a_message_with_no_working_channel_waits_until_one_comes_back() {
    let r = run(&format!(
        r#"{PREAMBLE}{}
[inject.mobile-down]
at = "0m"
infrastructure = {{ area = "north", system = "mobile", state = "down", for = "20m" }}

[inject.alarm]
at = "0m"
fact = {{ origin = "a.e", severity = 5 }}
"#,
        FALLBACK.replace("channels = [\"phone\", \"courier\"]", "channels = [\"phone\"]")
    ));
    // stalled 0–20, then 1 min on the phone, 5 min handling
    assert_eq!(known(&r, "alarm", "a.c"), Some((26.0, [21.0, 0.0, 5.0, 0.0, 0.0])));
}

#[test]
fn mobile_sites_fail_when_their_batteries_run_out_after_a_power_cut() {
    let scenario = |at: &str| {
        format!(
            r#"{PREAMBLE}{FALLBACK}
[inject.storm]
at = "0m"
infrastructure = {{ area = "north", system = "power", state = "down" }}

[inject.report]
at = "{at}"
fact = {{ origin = "a.e", severity = 5 }}
"#
        )
    };
    // rural area: 4 h on battery. At 3 h the phone still works…
    let r = run(&scenario("3h"));
    assert_eq!(known(&r, "report", "a.c"), Some((186.0, [1.0, 0.0, 5.0, 0.0, 0.0])));
    // …at 5 h it does not: the courier takes 30 min.
    let r = run(&scenario("5h"));
    assert_eq!(known(&r, "report", "a.c"), Some((335.0, [30.0, 0.0, 5.0, 0.0, 0.0])));
    assert!(
        r.infrastructure.iter().any(|i| i.target == "mobile" && i.state == "battery_out" && i.time == 240 * 60_000)
    );
}

#[test]
fn periodic_reports_bundle_facts_until_the_next_report() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "rescue"
unit.e = {{ level = "executive", reporting = "periodic", report_every = "30m" }}
unit.c = {{ level = "coordinating", processing = {{ default = "5m" }} }}

[inject.one]
at = "5m"
fact = {{ origin = "a.e", severity = 3 }}

[inject.two]
at = "20m"
fact = {{ origin = "a.e", severity = 3 }}
"#
    ));
    // both wait for the 10:30 report, arrive at 31 in one message, handled by 36
    assert_eq!(known(&r, "one", "a.c"), Some((36.0, [1.0, 0.0, 5.0, 25.0, 0.0])));
    assert_eq!(known(&r, "two", "a.c"), Some((36.0, [1.0, 0.0, 5.0, 10.0, 0.0])));
    assert_eq!(r.messages.len(), 1);
}

#[test]
fn the_published_picture_reaches_units_outside_the_conference() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "county_board"
unit.x = {{ level = "coordinating" }}
unit.y = {{ level = "coordinating" }}
unit.z = {{ level = "coordinating", processing = {{ picture = "5m" }} }}

[conference.hourly]
convener = "a.x"
participants = ["a.x", "a.y"]
duration = "10m"
ordinary = {{ every = "1h", first = "10:30" }}
picture = {{ compile = "10m", channel = "fixed", to = ["a.z"] }}

[inject.news]
at = "5m"
fact = {{ origin = "a.x", severity = 2 }}
"#
    ));
    // meeting 30–40, picture compiled by 50, on the line until 51, read by 56
    assert_eq!(known(&r, "news", "a.z"), Some((56.0, [1.0, 0.0, 25.0, 25.0, 0.0])));
    assert_eq!(r.pictures[0].1, 50 * 60_000);
}

#[test]
fn activation_convenes_the_first_conference_after_its_delay() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "county_board"
unit.x = {{ level = "coordinating", activation_threshold = 4, activation_delay = "30m", handlers = 1, activated_handlers = 3 }}
unit.y = {{ level = "coordinating" }}

[conference.crisis]
convener = "a.x"
participants = ["a.x", "a.y"]
duration = "10m"
activated = {{ every = "2h", first_after = "20m" }}

[inject.alarm]
at = "0m"
fact = {{ origin = "a.x", severity = 5 }}
"#
    ));
    let x = unit_outcome(&r, "a.x");
    assert_eq!(x.activation_started, Some(0));
    assert_eq!(x.activated, Some(30 * 60_000));
    assert_eq!(known(&r, "alarm", "a.y"), Some((30.0, [0.0, 0.0, 10.0, 20.0, 0.0])));
    let starts: Vec<f64> = r.conferences.iter().map(|c| minutes(c.start)).collect();
    assert_eq!(&starts[..3], &[20.0, 140.0, 260.0]);
}

#[test]
fn direction_from_a_strategic_meeting_activates_the_units_below() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "county_board"
unit.s = {{ level = "strategic", activation_threshold = 5 }}
unit.c = {{ level = "coordinating", activation_delay = "5m" }}

[organisation.b]
kind = "municipality"
unit.s = {{ level = "strategic" }}
unit.c = {{ level = "coordinating", activation_delay = "5m" }}

[conference.council]
convener = "a.s"
participants = ["level:strategic"]
duration = "10m"
activated = {{ every = "12h", first_after = "10m" }}
direction = {{ activate = true }}

[inject.alarm]
at = "0m"
fact = {{ origin = "a.s", severity = 5 }}
"#
    ));
    // council 10–20; direction on the line 20–21; activation 21, activated 26
    for c in ["a.c", "b.c"] {
        let u = unit_outcome(&r, c);
        assert_eq!(u.activation_started, Some(21 * 60_000), "{c}");
        assert_eq!(u.activated, Some(26 * 60_000), "{c}");
    }
    assert_eq!(known(&r, "alarm", "b.c"), Some((21.0, [1.0, 0.0, 10.0, 10.0, 0.0])));
}

const RESOURCES: &str = r#"
[organisation.lst]
kind = "county_board"
unit.tib = { level = "coordinating", tags = ["regional-coordination"] }

[organisation.r1]
kind = "rescue"
unit.rc = { level = "executive" }
unit.c = { level = "coordinating" }

[organisation.r2]
kind = "rescue"
unit.rc = { level = "executive" }
unit.c = { level = "coordinating" }

[conference.regional]
convener = "lst.tib"
participants = ["level:coordinating"]
duration = "10m"
ordinary = { every = "1h", first = "10:30" }

[resource.r1-engines]
organisation = "r1"
type = "engine"
count = 1
response = "5m"

[resource.r2-engines]
organisation = "r2"
type = "engine"
count = 3
mobilisation = "20m"

[agreement.rescue]
types = ["engine"]
organisations = ["r1", "r2"]
enabled = false

[inject.fire]
at = "0m"
incident = { responsible = "r1.rc", severity = 4, demand = [ { type = "engine", quantity = 3, duration = "60m" } ] }

[variant.agreement]
set = { "agreement.rescue.enabled" = true }
"#;

#[test]
fn requests_are_decided_at_the_conference_and_lent_resources_arrive_after_mobilisation() {
    let r = run(&format!("{PREAMBLE}{RESOURCES}"));
    assert_eq!(r.requests.len(), 1);
    let q = &r.requests[0];
    assert_eq!((q.quantity, q.requested, q.decided, q.arrived), (2, 0, Some(40 * 60_000), Some(60 * 60_000)));
    assert_eq!(r.model.orgs[q.lenders[0] as usize].id, "r2");
    // unmet: 1 engine for 5 min (own, on its way) + 2 engines for 60 min
    assert!((r.unmet_time / 60_000.0 - 125.0).abs() < 1e-9, "{}", r.unmet_time / 60_000.0);
    // idle in r2 while r1 was short: 3 for 5 min, 2 for 35 min, 1 for 20 min
    assert!((r.idle_while_short_time / 60_000.0 - 105.0).abs() < 1e-9, "{}", r.idle_while_short_time / 60_000.0);
}

#[test]
fn a_request_passed_on_carries_the_fact_as_the_forwarding_unit_knows_it() {
    // r1.rc -> r1.c (1 min on the line) -> r2.c (1 min more): two minutes in transit,
    // not one minute in transit plus one waiting (the origin's trail as sent to r1.c).
    let up = "\n[link_rule.up]\nfrom = [\"r1.c\"]\nto = [\"r2.c\"]\nflows = [\"request\"]\n";
    let r = run(&format!("{PREAMBLE}{RESOURCES}{up}"));
    assert!(r.messages.iter().any(|m| m.relayed && r.model.units[m.from as usize].id == "r1.c"));
    assert_eq!(known(&r, "fire", "r2.c"), Some((2.0, [2.0, 0.0, 0.0, 0.0, 0.0])));
}

#[test]
fn a_standing_agreement_lends_at_once() {
    let r = run_variant(&format!("{PREAMBLE}{RESOURCES}"), "agreement");
    let q = &r.requests[0];
    assert_eq!((q.decided, q.arrived), (Some(0), Some(20 * 60_000)));
    assert!((r.unmet_time / 60_000.0 - 45.0).abs() < 1e-9);
}

#[test]
fn the_rest_of_a_request_partners_cover_in_part_goes_to_the_conference() {
    // r3 lends its one engine at once under the agreement; the second engine r1 needs is
    // requested from the regional level and lent by r2 at the first session (30–40).
    let partial = r#"
[organisation.r3]
kind = "rescue"
unit.c = { level = "coordinating" }

[resource.r3-engines]
organisation = "r3"
type = "engine"
count = 1
mobilisation = "20m"

[agreement.neighbours]
types = ["engine"]
organisations = ["r1", "r3"]
"#;
    let r = run(&format!("{PREAMBLE}{RESOURCES}{partial}"));
    let org = |o: u32| r.model.orgs[o as usize].id.as_str();
    let q: Vec<_> = r
        .requests
        .iter()
        .map(|q| (q.quantity, q.decided, q.unmet, q.lenders.iter().map(|&o| org(o)).collect::<Vec<_>>()))
        .collect();
    assert_eq!(q, [(2, Some(0), 1, vec!["r3"]), (1, Some(40 * 60_000), 0, vec!["r2"])]);
}

#[test]
fn public_messages_are_coordinated_only_after_the_conference_agreed() {
    let r = run(&format!(
        r#"{PREAMBLE}
[organisation.a]
kind = "county_board"
unit.x = {{ level = "coordinating", public_info = {{ threshold = 4, prepare = "5m", wait_for_joint = "60m" }} }}
unit.y = {{ level = "coordinating", public_info = {{ threshold = 4, prepare = "5m", wait_for_joint = "10m" }} }}

[conference.hourly]
convener = "a.x"
participants = ["a.x", "a.y"]
duration = "10m"
ordinary = {{ every = "1h", first = "10:30" }}

[link.share]
from = "a.x"
to = "a.y"
flows = ["information"]

[inject.alarm]
at = "0m"
fact = {{ origin = "a.x", severity = 5 }}
"#
    ));
    let by = |u: &str| {
        r.public.iter().find(|p| r.model.units[p.unit as usize].id == u).map(|p| (minutes(p.time), p.coordinated))
    };
    // y learns at 1, waits 10, prepares 5: on its own at 16
    assert_eq!(by("a.y"), Some((16.0, false)));
    // x would wait until 65, but the conference agreed at 40: joint message at 45
    assert_eq!(by("a.x"), Some((45.0, true)));
}

#[test]
fn a_partners_only_rule_links_named_partners_and_neighbouring_municipalities() {
    // Solna and Sundbyberg border each other; Norrtälje borders neither but names Solna;
    // the police names every municipality; the rule is the stock variants' bilateral one.
    let m = model(&format!(
        r#"{PREAMBLE}
[link_rule.bilateral]
from = "level:coordinating"
to = "level:coordinating"
flows = ["information"]
same_organisation = false
only_partners = true

[organisation.solna]
kind = "municipality"
municipality_code = "0184"
unit.tib = {{ level = "coordinating" }}

[organisation.sundbyberg]
kind = "municipality"
municipality_code = "0183"
unit.tib = {{ level = "coordinating" }}

[organisation.norrtalje]
kind = "municipality"
municipality_code = "0188"
partners = ["solna"]
unit.tib = {{ level = "coordinating" }}

[organisation.sigtuna]
kind = "municipality"
municipality_code = "0191"
unit.tib = {{ level = "coordinating" }}

[organisation.polisen]
kind = "police"
partners = ["kind:municipality"]
unit.c = {{ level = "coordinating" }}
"#
    ));
    let mut pairs: Vec<(String, String)> = m
        .links
        .iter()
        .map(|l| (m.units[l.from as usize].id.clone(), m.units[l.to as usize].id.clone()))
        .filter(|(a, b)| a < b)
        .collect();
    pairs.sort();
    let want = [
        ("norrtalje.tib", "polisen.c"),
        ("norrtalje.tib", "sigtuna.tib"), // neighbours
        ("norrtalje.tib", "solna.tib"),   // named by Norrtälje: both directions
        ("polisen.c", "sigtuna.tib"),
        ("polisen.c", "solna.tib"),
        ("polisen.c", "sundbyberg.tib"),
        ("solna.tib", "sundbyberg.tib"), // neighbours
    ];
    assert_eq!(pairs, want.map(|(a, b)| (a.to_string(), b.to_string())));
    // Every pair is linked both ways.
    assert_eq!(m.links.len(), 2 * want.len());
}

#[test]
fn an_unknown_partner_is_named_with_its_field() {
    let toml = format!(
        "{PREAMBLE}\n[organisation.a]\nkind = \"police\"\npartners = [\"nobody\"]\nunit.c = {{ level = \"coordinating\" }}\n"
    );
    let source = samverkan::scenario::Source::from_str("test.toml", &toml);
    let Err(err) = samverkan::scenario::build(&source, None, &[]) else { panic!("an unknown partner is an error") };
    let err = err.to_string();
    assert!(err.contains("organisation.a.partners") && err.contains("nobody"), "{err}");
}

#[test]
fn a_disabled_partner_is_left_out_and_a_disabled_organisation_named_elsewhere_says_so() {
    let org = |id: &str, extra: &str| {
        format!("[organisation.{id}]\nkind = \"police\"\n{extra}unit.c = {{ level = \"coordinating\" }}\n")
    };
    let rule = "[link_rule.bilateral]\nfrom = \"level:coordinating\"\nto = \"level:coordinating\"\nflows = [\"information\"]\nsame_organisation = false\nonly_partners = true\n";
    let toml = format!(
        "{PREAMBLE}\n{rule}\n{}\n{}\n{}",
        org("a", "partners = [\"b\", \"gone\"]\n"),
        org("b", ""),
        org("gone", "enabled = false\n")
    );
    let source = samverkan::scenario::Source::from_str("test.toml", &toml);
    let m = samverkan::scenario::build(&source, None, &[]).expect("a disabled partner is not an error");
    let mut pairs: Vec<(String, String)> =
        m.links.iter().map(|l| (m.units[l.from as usize].id.clone(), m.units[l.to as usize].id.clone())).collect();
    pairs.sort();
    assert_eq!(pairs, [("a.c".to_string(), "b.c".to_string()), ("b.c".to_string(), "a.c".to_string())]);
    // Named where it matters (a link's end), a disabled organisation is an error that says why.
    let toml = format!("{toml}\n[link.x]\nfrom = \"a.c\"\nto = \"gone.c\"\nflows = [\"information\"]\n");
    let source = samverkan::scenario::Source::from_str("test.toml", &toml);
    let Err(err) = samverkan::scenario::build(&source, None, &[]) else { panic!("a link to a disabled unit") };
    let err = err.to_string();
    assert!(err.contains("link.x") && err.contains("`gone` is disabled"), "{err}");
}

#[test]
fn known_shares_count_what_each_level_knew_of_what_it_should() {
    // One fact meant for every level; a.exec knows it (origin), a.coord learns it, the
    // strategic unit never does (nothing links to it), b.exec never does either.
    let preamble = PREAMBLE.replace("[links]\n", "[links]\ndefaults = false\n");
    let r = run(&format!(
        r#"{preamble}
[organisation.a]
kind = "rescue"
unit.exec = {{ level = "executive" }}
unit.coord = {{ level = "coordinating" }}
unit.strat = {{ level = "strategic" }}

[organisation.b]
kind = "rescue"
unit.exec = {{ level = "executive" }}

[link.up]
from = "a.exec"
to = "a.coord"
flows = ["report"]

[link.unused]
from = "a.strat"
to = "b.exec"
flows = ["direction"]

[link.unused-too]
from = "b.exec"
to = "a.strat"
flows = ["report"]

[inject.alarm]
at = "0m"
fact = {{ origin = "a.exec", severity = 5 }}
"#
    ));
    assert_eq!(samverkan::metrics::known_shares(&r), [Some(0.5), Some(1.0), Some(0.0)]);
}
