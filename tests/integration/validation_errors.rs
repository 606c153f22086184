//! One test per kind of validation error: a malformed scenario and the message a user
//! gets (field path, line where there is one, and what to do).

use samverkan::scenario::{self, Diagnostic, ScenarioError, Source};

const BASE: &str = r#"[scenario]
name = "v"
start = "2024-03-06T10:00"
duration = "1d"

[channel.fixed]
kind = "phone_fixed"

[links]
channels = ["fixed"]

[organisation.a]
kind = "rescue"
unit.exec = { level = "executive" }
unit.coord = { level = "coordinating" }

[inject.alarm]
at = "0m"
fact = { origin = "a.exec", severity = 4 }
"#;

fn errors(text: &str) -> Vec<Diagnostic> {
    match scenario::validate(&Source::from_str("bad.toml", text)) {
        Ok(_) => panic!("expected errors, the scenario is valid:\n{text}"),
        Err(ScenarioError::Invalid { diagnostics, .. }) => diagnostics,
        Err(e) => panic!("unexpected error kind: {e}"),
    }
}

/// Asserts that some error has `path` and a message containing `needle`; returns it.
fn expect(text: &str, path: &str, needle: &str) -> Diagnostic {
    let errs = errors(text);
    match errs.iter().find(|d| d.path == path && d.message.contains(needle)) {
        Some(d) => d.clone(),
        None => panic!("no error at `{path}` containing {needle:?}; got:\n{errs:#?}"),
    }
}

fn with(extra: &str) -> String {
    format!("{BASE}\n{extra}")
}

#[test]
fn the_base_scenario_is_valid() {
    scenario::validate(&Source::from_str("ok.toml", BASE)).unwrap();
}

#[test]
fn syntax_error_has_line_and_column() {
    let e = expect(&with("[inject.x\nat = 1"), "", "TOML syntax");
    assert_eq!(e.location.map(|l| l.0), Some(21));
}

#[test]
fn not_utf8() {
    let mut bytes = BASE.as_bytes().to_vec();
    bytes.extend([b'#', 0xff, 0xfe]);
    let e = Source::from_bytes("bad.toml", bytes).unwrap_err();
    assert!(e.to_string().contains("not UTF-8"), "{e}");
    assert!(e.to_string().contains("bad.toml:20:2"), "{e}");
}

#[test]
fn nesting_too_deep() {
    let deep = format!("{BASE}\nx = {}1{}", "[".repeat(200), "]".repeat(200));
    let e = expect(&deep, "", "nesting deeper");
    assert!(e.location.is_some());
}

#[test]
fn unknown_table() {
    expect(&with("[organization.b]\nkind = \"rescue\""), "organization", "unknown table");
}

#[test]
fn unknown_field_names_its_path_and_line() {
    let e = expect(
        &BASE.replace("kind = \"rescue\"", "kind = \"rescue\"\nsize = 3"),
        "organisation.a.size",
        "unknown field `size`",
    );
    assert_eq!(e.location, Some((14, 1)));
}

#[test]
fn wrong_type() {
    expect(&BASE.replace("severity = 4", "severity = \"high\""), "inject.alarm.fact.severity", "invalid type");
}

#[test]
fn missing_required_field() {
    expect(&BASE.replace("kind = \"phone_fixed\"", ""), "channel.fixed", "missing field `kind`");
}

#[test]
fn unknown_enum_value() {
    expect(
        &BASE.replace("kind = \"rescue\"", "kind = \"firebrigade\""),
        "organisation.a.kind",
        "unknown variant `firebrigade`",
    );
}

#[test]
fn missing_scenario_table() {
    let text = BASE.replacen("[scenario]\nname = \"v\"\nstart = \"2024-03-06T10:00\"\nduration = \"1d\"\n", "", 1);
    expect(&text, "scenario", "missing [scenario]");
}

#[test]
fn bad_id() {
    expect(&with("[area.\"north area\"]\nkind = \"rural\""), "area.\"north area\"", "not a usable id");
}

#[test]
fn duration_without_unit() {
    expect(&BASE.replace("duration = \"1d\"", "duration = \"24\""), "scenario.duration", "has no unit");
}

#[test]
fn zero_duration() {
    expect(&BASE.replace("duration = \"1d\"", "duration = \"0\""), "scenario.duration", "longer than 0");
}

#[test]
fn absurd_duration() {
    expect(&BASE.replace("duration = \"1d\"", "duration = \"3000d\""), "scenario.duration", "400-day limit");
}

#[test]
fn bad_start() {
    expect(&BASE.replace("2024-03-06T10:00", "2024-02-30T10:00"), "scenario.start", "no such date");
}

#[test]
fn bad_distribution() {
    let text = BASE.replace(
        "unit.coord = { level = \"coordinating\" }",
        "unit.coord = { level = \"coordinating\", duty_officer = { lognormal = { median = \"20m\", p90 = \"10m\" } } }",
    );
    expect(&text, "organisation.a.unit.coord.duty_officer", "median < p90");
}

#[test]
fn unknown_profile() {
    let text = BASE.replace("unit.coord = { level = \"coordinating\" }", "unit.coord = { profile = \"tib\" }");
    expect(&text, "organisation.a.unit.coord.profile", "unknown profile `tib`");
}

#[test]
fn unit_without_level() {
    let text = BASE.replace("unit.coord = { level = \"coordinating\" }", "unit.coord = { handlers = 2 }");
    expect(&text, "organisation.a.unit.coord.level", "needs a level");
}

#[test]
fn bad_office_hours() {
    let text = BASE.replace(
        "unit.coord = { level = \"coordinating\" }",
        "unit.coord = { level = \"coordinating\", office_hours = \"weekdays 9-5\" }",
    );
    expect(&text, "organisation.a.unit.coord.office_hours", "not office hours");
}

#[test]
fn unknown_message_kind_in_processing() {
    let text = BASE.replace(
        "unit.coord = { level = \"coordinating\" }",
        "unit.coord = { level = \"coordinating\", processing = { memo = \"1m\" } }",
    );
    expect(&text, "organisation.a.unit.coord.processing.memo", "unknown message kind");
}

#[test]
fn periodic_reporting_without_interval() {
    let text = BASE.replace(
        "unit.exec = { level = \"executive\" }",
        "unit.exec = { level = \"executive\", reporting = \"periodic\" }",
    );
    expect(&text, "organisation.a.unit.exec.report_every", "needs report_every");
}

#[test]
fn severity_out_of_range() {
    expect(&BASE.replace("severity = 4", "severity = 9"), "inject.alarm.fact.severity", "outside 1–5");
}

#[test]
fn unknown_unit_reference() {
    let e = expect(
        &BASE.replace("origin = \"a.exec\"", "origin = \"a.command\""),
        "inject.alarm.fact.origin",
        "unknown unit `a.command`",
    );
    assert_eq!(e.location.map(|l| l.0), Some(19));
}

#[test]
fn unknown_area() {
    expect(
        &BASE.replace("kind = \"rescue\"", "kind = \"rescue\"\narea = \"north\""),
        "organisation.a.area",
        "unknown area `north`",
    );
}

#[test]
fn unknown_channel() {
    expect(
        &BASE.replace("channels = [\"fixed\"]", "channels = [\"pigeon\"]"),
        "links.channels",
        "unknown channel `pigeon`",
    );
}

#[test]
fn impossible_loss() {
    expect(
        &BASE.replace("kind = \"phone_fixed\"", "kind = \"phone_fixed\"\nloss = 1.5"),
        "channel.fixed.loss",
        "probability",
    );
}

#[test]
fn links_without_channels() {
    expect(&BASE.replace("channels = [\"fixed\"]", ""), "links.channels", "name no channel");
}

#[test]
fn unknown_selector() {
    let text = with("[link_rule.r]\nfrom = \"level:tactical\"\nto = \"a.coord\"\nflows = [\"report\"]");
    expect(&text, "link_rule.r.from", "unknown level `tactical`");
}

#[test]
fn selector_that_selects_nothing() {
    let text = with("[link_rule.r]\nfrom = \"tag:nobody\"\nto = \"a.coord\"\nflows = [\"report\"]");
    expect(&text, "link_rule.r.from", "selects no unit");
}

#[test]
fn link_to_itself() {
    let text = with("[link.loop]\nfrom = \"a.coord\"\nto = \"a.coord\"\nflows = [\"information\"]");
    expect(&text, "link.loop", "to itself");
}

#[test]
fn conference_without_participants() {
    let text = with(
        "[conference.c]\nconvener = \"a.coord\"\nparticipants = []\nduration = \"30m\"\nactivated = { every = \"4h\", first_after = \"1h\" }",
    );
    expect(&text, "conference.c.participants", "needs participants");
}

#[test]
fn conference_without_cadence() {
    let text = with("[conference.c]\nconvener = \"a.coord\"\nparticipants = [\"a.exec\"]\nduration = \"30m\"");
    expect(&text, "conference.c", "needs a cadence");
}

#[test]
fn conferences_closer_than_they_last() {
    let text = with(
        "[conference.c]\nconvener = \"a.coord\"\nparticipants = [\"a.exec\"]\nduration = \"30m\"\nactivated = { every = \"20m\", first_after = \"1h\" }",
    );
    expect(&text, "conference.c.activated.every", "further apart");
}

#[test]
fn reserve_above_pool() {
    let text = with("[resource.p]\norganisation = \"a\"\ntype = \"engine\"\ncount = 2\nreserve = 3");
    expect(&text, "resource.p.reserve", "larger than the pool");
}

#[test]
fn unknown_organisation() {
    let text = with("[resource.p]\norganisation = \"b\"\ntype = \"engine\"\ncount = 2");
    expect(&text, "resource.p.organisation", "unknown organisation `b`");
}

#[test]
fn agreement_with_one_party() {
    let text = with(
        "[resource.p]\norganisation = \"a\"\ntype = \"engine\"\ncount = 2\n[agreement.g]\ntypes = [\"engine\"]\norganisations = [\"a\"]",
    );
    expect(&text, "agreement.g.organisations", "at least two");
}

#[test]
fn inject_without_time() {
    expect(&with("[inject.x]\nfact = { origin = \"a.exec\", severity = 1 }"), "inject.x", "give a time");
}

#[test]
fn inject_with_two_actions() {
    let text = with("[inject.x]\nat = \"1m\"\nfact = { origin = \"a.exec\", severity = 1 }\nactivate = \"a.coord\"");
    expect(&text, "inject.x", "exactly one of");
}

#[test]
fn inject_after_the_end() {
    expect(&with("[inject.x]\nat = \"2d\"\nfact = { origin = \"a.exec\", severity = 1 }"), "inject.x", "scenario ends");
}

#[test]
fn inject_before_the_start() {
    expect(
        &with("[inject.x]\nat = \"2024-03-05T10:00\"\nfact = { origin = \"a.exec\", severity = 1 }"),
        "inject.x.at",
        "before the scenario starts",
    );
}

#[test]
fn after_an_unknown_inject() {
    expect(
        &with("[inject.x]\nafter = \"nothing\"\nfact = { origin = \"a.exec\", severity = 1 }"),
        "inject.x.after",
        "no (enabled) inject",
    );
}

#[test]
fn after_chain_in_a_circle() {
    let text = with(
        "[inject.x]\nafter = \"y\"\nfact = { origin = \"a.exec\", severity = 1 }\n[inject.y]\nafter = \"x\"\nfact = { origin = \"a.exec\", severity = 1 }",
    );
    expect(&text, "inject.x.after", "circle");
}

#[test]
fn stream_needs_one_rate() {
    let text =
        with("[inject.x]\nat = \"1m\"\nfact = { origin = \"a.exec\", severity = 1 }\nstream = { window = \"1h\" }");
    expect(&text, "inject.x.stream", "exactly one of");
}

#[test]
fn stream_too_large_for_the_guard() {
    let text = with(
        "[inject.x]\nat = \"1m\"\nfact = { origin = \"a.exec\", severity = 1 }\nstream = { count = 4000000000, window = \"1h\" }",
    );
    expect(&text, "inject.x.stream", "guard");
}

#[test]
fn incident_responsible_must_be_executive() {
    let text = with("[inject.x]\nat = \"1m\"\nincident = { responsible = \"a.coord\", severity = 3 }");
    expect(&text, "inject.x.incident.responsible", "executive unit");
}

#[test]
fn grow_an_unknown_incident() {
    let text = with(
        "[resource.p]\norganisation = \"a\"\ntype = \"engine\"\ncount = 2\n[inject.x]\nat = \"1m\"\ngrow = { incident = \"fire\", type = \"engine\", add = 1 }",
    );
    expect(&text, "inject.x.grow.incident", "no incident inject `fire`");
}

#[test]
fn infrastructure_target_needed() {
    let text = with("[area.n]\n[inject.x]\nat = \"1m\"\ninfrastructure = { area = \"n\", state = \"down\" }");
    expect(&text, "inject.x.infrastructure", "either a `system`");
}

#[test]
fn message_with_unknown_fact() {
    let text = with(
        "[inject.x]\nat = \"1m\"\nmessage = { to = \"a.coord\", kind = \"information\", severity = 2, facts = [\"ghost\"] }",
    );
    expect(&text, "inject.x.message.facts", "no inject creates a fact `ghost`");
}

#[test]
fn objective_missing_its_level() {
    let text = with("[objective.o]\nmeasure = \"all_known\"\nfact = \"alarm\"\nwithin = \"1h\"");
    expect(&text, "objective.o.level", "needs `level`");
}

#[test]
fn objective_with_unknown_fact() {
    let text =
        with("[objective.o]\nmeasure = \"all_known\"\nfact = \"alrm\"\nlevel = \"coordinating\"\nwithin = \"1h\"");
    expect(&text, "objective.o.fact", "no inject creates a fact `alrm`");
}

#[test]
fn variant_override_that_matches_nothing() {
    let e = expect(
        &with("[variant.v]\nset = { \"conference.regional.duration\" = \"1h\" }"),
        "variant.v.set.\"conference.regional.duration\"",
        "matches nothing",
    );
    assert!(e.message.contains("(with variant `v`)"), "{}", e.message);
}

#[test]
fn unknown_variant_name() {
    let err = scenario::build(&Source::from_str("x.toml", BASE), Some("night"), &[]).unwrap_err();
    assert!(matches!(err, ScenarioError::UnknownVariant { .. }), "{err}");
    assert!(err.to_string().contains("no variant named `night`"));
}

#[test]
fn unit_nothing_can_reach() {
    let text = BASE.replace("[links]\n", "[links]\ndefaults = false\n").replace(
        "unit.coord = { level = \"coordinating\" }",
        "unit.coord = { level = \"coordinating\" }\n[link.down]\nfrom = \"a.coord\"\nto = \"a.exec\"\nflows = [\"direction\"]",
    );
    expect(&text, "organisation.a.unit.coord", "nothing can ever reach");
}

#[test]
fn isolated_unit() {
    let text = BASE.replace("[links]\n", "[links]\ndefaults = false\n");
    expect(&text, "organisation.a.unit.coord", "can never receive or pass on anything");
}

#[test]
fn origin_that_can_never_pass_facts_on() {
    let text = BASE.replace("[links]\n", "[links]\ndefaults = false\n").replace(
        "unit.coord = { level = \"coordinating\" }",
        "unit.coord = { level = \"coordinating\" }\n[link.down]\nfrom = \"a.coord\"\nto = \"a.exec\"\nflows = [\"direction\"]",
    );
    expect(&text, "organisation.a.unit.exec", "can never pass them on");
}

#[test]
fn unit_that_receives_but_never_has_staff() {
    let text = BASE.replace(
        "unit.coord = { level = \"coordinating\" }",
        "unit.coord = { level = \"coordinating\", handlers = 0 }",
    );
    expect(&text, "organisation.a.unit.coord.handlers", "never has anyone");
}

#[test]
fn zero_guard() {
    expect(&with("[guard]\nmax_events = 0"), "guard.max_events", "at least 1");
}

#[test]
fn guard_beyond_what_a_run_can_number() {
    expect(&with("[guard]\nmax_messages = 3000000000"), "guard.max_messages", "at most 2000000000");
}

#[test]
fn every_error_in_a_file_is_reported() {
    let text = BASE
        .replace("severity = 4", "severity = 9")
        .replace("kind = \"rescue\"", "kind = \"rescue\"\narea = \"north\"");
    let errs = errors(&with(&format!("{}\n[inject.x]\nat = \"5d\"\nactivate = \"a.coord\"", "")));
    assert!(!errs.is_empty());
    let errs = errors(&text);
    assert!(errs.len() >= 2, "{errs:#?}");
}

#[test]
fn stream_of_zero() {
    let text = with(
        "[inject.x]\nat = \"1m\"\nfact = { origin = \"a.exec\", severity = 1 }\nstream = { count = 0, window = \"1h\" }",
    );
    expect(&text, "inject.x.stream.count", "0 repetitions");
}

#[test]
fn objective_naming_a_whole_stream() {
    let text = with(
        "[inject.calls]\nat = \"1m\"\nfact = { origin = \"a.exec\", severity = 1 }\nstream = { count = 3, window = \"1h\" }\n\
         [objective.o]\nmeasure = \"all_known\"\nfact = \"calls\"\nlevel = \"coordinating\"\nwithin = \"1h\"",
    );
    expect(&text, "objective.o.fact", "calls#1, calls#2");
}

#[test]
fn grow_of_a_type_the_incident_does_not_demand() {
    let text = with(
        "[resource.p]\norganisation = \"a\"\ntype = \"engine\"\ncount = 2\n[resource.q]\norganisation = \"a\"\ntype = \"boat\"\ncount = 1\n\
         [inject.fire]\nat = \"1m\"\nincident = { responsible = \"a.exec\", severity = 3, demand = [ { type = \"engine\", quantity = 1, duration = \"1h\" } ] }\n\
         [inject.more]\nat = \"2m\"\ngrow = { incident = \"fire\", type = \"boat\", add = 1 }",
    );
    expect(&text, "inject.more.grow.type", "no demand of type `boat`");
}

#[test]
fn direction_prioritising_an_unknown_incident() {
    let text = with(
        "[conference.c]\nconvener = \"a.coord\"\nparticipants = [\"a.exec\"]\nduration = \"30m\"\n\
         activated = { every = \"4h\", first_after = \"1h\" }\ndirection = { prioritise = [\"flood\"] }",
    );
    expect(&text, "conference.c.direction.prioritise", "no incident inject `flood`");
}

#[test]
fn a_profile_using_a_profile() {
    let text = with("[profile.base]\nlevel = \"executive\"\n[profile.derived]\nprofile = \"base\"")
        .replace("unit.exec = { level = \"executive\" }", "unit.exec = { profile = \"derived\" }");
    expect(&text, "profile.derived.profile", "cannot use another profile");
}

#[test]
fn org_selector_without_units() {
    let text = with(
        "[organisation.empty]\nkind = \"other\"\n[link_rule.r]\nfrom = \"org:empty\"\nto = \"a.coord\"\nflows = [\"report\"]",
    );
    expect(&text, "link_rule.r.from", "selects no unit");
}

#[test]
fn channel_outage_in_one_area() {
    let text = with(
        "[area.n]\n[inject.x]\nat = \"1m\"\ninfrastructure = { area = \"n\", channel = \"fixed\", state = \"down\" }",
    );
    expect(&text, "inject.x.infrastructure.area", "not tied to an area");
}
