//! The `[cost]` table and `cost::of`: costs worked out by hand, validation with field
//! paths, variants that change rates, and runs that do not change with the table.

use samverkan::scenario::{self, Source};
use samverkan::{cost, metrics, sim};
use std::sync::Arc;

/// Wednesday 10:00 for 48 h. Office hours Wed 10–17 (7 h), Thu 08–17 (9 h), Fri 08–10
/// (2 h): 18 h of the 48.
const PLAN: &str = r#"
[scenario]
name = "costs"
start = "2024-03-06T10:00"
duration = "2d"

[channel.line]
kind = "other"
latency = "1m"

[links]
channels = ["line"]

[profile.desk-profile]
level = "coordinating"

[organisation.a]
kind = "rescue"
unit.desk = { level = "coordinating", handlers = 3 }
unit.office = { level = "executive", handlers = 2, off_hours_handlers = 0, activated_handlers = 1, office_hours = "mon-fri 08:00-17:00" }

[organisation.b]
kind = "police"
unit.x = { profile = "desk-profile", handlers = 1 }

[conference.staff]
convener = "a.desk"
participants = ["a.office", "b.x"]
duration = "30m"
activated = { every = "4h", first_after = "10m" }

[conference.daily]
convener = "a.office"
participants = ["b.x"]
duration = "1h"
ordinary = { every = "1d", first = "09:00" }

[resource.amb]
organisation = "a"
type = "ambulance"
count = 4
"#;

const RATES: &str = r#"
[cost]
by_profile = { desk-profile = 2.0 }
by_unit = { "a.desk" = 0.5 }
conference_participant_hour = 1.5
resource_unit_hour = { ambulance = 0.25 }
resource_unit = { ambulance = 10 }
"#;

fn build(text: &str, variant: Option<&str>) -> Result<samverkan::model::Model, String> {
    scenario::build(&Source::from_str("costs.toml", text), variant, &[]).map_err(|e| e.to_string())
}

#[test]
fn the_cost_of_a_plan_is_worked_out_part_by_part() {
    let m = build(&format!("{PLAN}{RATES}"), None).expect("compiles");
    let c = cost::of(&m);
    // Handlers: a.desk 3 × 48 h × 0.5 = 72; a.office: max(2, 1) × 18 h + max(0, 1) × 30 h = 66
    // at the default 1; b.x 1 × 48 h × 2 (its profile) = 96.
    assert!((c.handlers - (72.0 + 66.0 + 96.0)).abs() < 1e-9, "{c:?}");
    // staff: 12 sessions (every 4 h over 48 h) × 3 participants × 0.5 h = 18 participant-hours;
    // daily: Thu 09:00 and Fri 09:00 × 2 participants × 1 h = 4; both at 1.5.
    assert!((c.conferences - 1.5 * (18.0 + 4.0)).abs() < 1e-9, "{c:?}");
    // Ambulances: 4 × (48 h × 0.25 + 10) = 88.
    assert!((c.resources - 88.0).abs() < 1e-9, "{c:?}");
    assert!((c.total() - 355.0).abs() < 1e-9);
}

#[test]
fn without_a_table_the_defaults_apply() {
    let c = cost::of(&build(PLAN, None).expect("compiles"));
    assert!((c.handlers - (144.0 + 66.0 + 48.0)).abs() < 1e-9, "{c:?}");
    assert!((c.conferences - 22.0).abs() < 1e-9, "{c:?}");
    assert_eq!(c.resources, 0.0);
}

#[test]
fn a_variant_can_change_a_rate_and_a_lever_changes_the_cost() {
    let text = format!(
        "{PLAN}{RATES}\n[variant.dear]\nset = {{ \"cost.handler_hour\" = 2.0, \"organisation.a.unit.desk.handlers\" = 4 }}\n"
    );
    let base = cost::of(&build(&text, None).unwrap());
    let dear = cost::of(&build(&text, Some("dear")).unwrap());
    // a.office doubles (66 more); a.desk keeps its own rate 0.5 but has 4 handlers (24 more).
    assert!((dear.handlers - base.handlers - 66.0 - 24.0).abs() < 1e-9, "{base:?} {dear:?}");
}

#[test]
fn bad_rates_and_names_are_refused_with_their_field_paths() {
    let bad = r#"
[cost]
handler_hour = -1
by_unit = { "a.nope" = 1, "a.desk" = -2 }
by_profile = { nope = 1 }
resource_unit_hour = { boat = 1 }
conference_participant_hour = nan
"#;
    let err = build(&format!("{PLAN}{bad}"), None).unwrap_err();
    for expected in [
        "cost.handler_hour",
        "cost.by_unit.\"a.nope\"",
        "unknown or disabled unit `a.nope`",
        "cost.by_unit.\"a.desk\"",
        "cost.by_profile.nope",
        "unknown profile `nope`",
        "cost.resource_unit_hour.boat",
        "unknown resource type `boat`",
        "cost.conference_participant_hour",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    let unknown = build(&format!("{PLAN}\n[cost]\nhandlers_hour = 1\n"), None).unwrap_err();
    assert!(unknown.contains("handlers_hour"), "{unknown}");
}

#[test]
fn a_cost_table_changes_no_run() {
    let small =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/batch-small.toml")).unwrap();
    let with = format!("{small}\n[cost]\nhandler_hour = 3\nconference_participant_hour = 0.5\n");
    for seed in [1, 2, 3] {
        let run = |text: &str| {
            let m = Arc::new(build(text, None).expect("compiles"));
            let s = metrics::summarise(&sim::run(&m, seed).expect("run"));
            (
                s.trace,
                s.events,
                serde_json::to_string(&s.measures).unwrap(),
                serde_json::to_string(&s.objectives).unwrap(),
            )
        };
        assert_eq!(run(&small), run(&with), "seed {seed}");
    }
}
