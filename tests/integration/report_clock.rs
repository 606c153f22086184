//! Clock times in the reports (issue 19 point 2): every time axis of a run shows the
//! scenario's local clock under the minutes and marks each midnight; the timeline spans
//! the whole scenario; the milestones of a run and of a batch are given in minutes and on
//! the clock, in English and Swedish. The expected clock texts are worked out here from
//! the stock scenario's start (Friday 2017-04-07 14:53), not by the report's code.

use crate::report_support;

use report_support::*;
use samverkan::batch::plan::{Plan, PlanSpec};
use samverkan::batch::runner::{self, Options};
use samverkan::report::run_data::RunData;
use samverkan::report::{CHART_DIR, Lang, REPORT, render_batch, render_run};

/// "Fri 15:10" for `min` minutes after Friday 14:53 (`days` the weekday names, Monday
/// first); a clock shows the minute begun, as a wall clock does.
fn clock(min: f64, days: [&str; 7]) -> String {
    let total = 14 * 60 + 53 + min.floor() as i64;
    let day = (4 + total.div_euclid(1440)) as usize % 7;
    let tod = total.rem_euclid(1440);
    format!("{} {:02}:{:02}", days[day], tod / 60, tod % 60)
}

const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const SV_DAYS: [&str; 7] = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"];

fn svg(d: &std::path::Path, name: &str) -> String {
    text(&d.join(CHART_DIR).join(format!("{name}.svg")))
}

#[test]
fn run_time_axes_show_the_clock_and_midnights_and_the_timeline_spans_the_scenario() {
    let d = stock_run("clock-run");
    render_run(&d, Lang::En).unwrap();
    let data = RunData::read(&d).unwrap();
    assert_eq!(data.summary.duration_min, 4320.0, "the stock scenario runs 72 h");
    let timeline = svg(&d, "timeline");
    // The axis runs from the start (Fri 14:53) to the scenario's end, 72 h later.
    assert!(timeline.contains("Fri 14:53"), "no clock at the start");
    assert!(timeline.contains(&clock(4320.0, EN_DAYS)), "the axis stops before the end ({})", clock(4320.0, EN_DAYS));
    assert!(timeline.contains("4320"), "no tick at the scenario's end");
    // Three midnights: Sat 8, Sun 9, Mon 10 April.
    for day in ["Sat 8 Apr", "Sun 9 Apr", "Mon 10 Apr"] {
        assert!(timeline.contains(day), "no day label {day}");
    }
    for chart in ["bottlenecks", "resources"] {
        assert!(svg(&d, chart).contains("Fri 14:53"), "{chart}: no clock under the minutes");
    }
}

#[test]
fn run_milestones_and_instant_objectives_are_given_in_minutes_and_on_the_clock() {
    let d = stock_run("clock-milestones");
    for (lang, days, heading) in [(Lang::En, EN_DAYS, "Milestones"), (Lang::Sv, SV_DAYS, "Milstolpar")] {
        render_run(&d, lang).unwrap();
        let html = text(&d.join(REPORT));
        assert!(html.contains(heading), "{lang:?}: no milestones table");
        let data = RunData::read(&d).unwrap();
        let json = serde_json::to_value(&data.summary.measures).unwrap();
        let first = json["first_any_conference_min"].as_f64().expect("a conference in the stock run");
        let minutes = format!("{first:.1}").trim_end_matches(".0").to_string();
        let minutes = if lang == Lang::Sv { minutes.replace('.', ",") } else { minutes };
        let cell = format!("{minutes} min ({})", clock(first, days));
        assert!(html.contains(&cell), "{lang:?}: no cell {cell}");
        // The objective measured from the start (first conference) shows its clock too;
        // delays (info-to-all-actors, from a fact's origin) do not.
        for o in &data.summary.objectives {
            let Some(v) = o.value else { continue };
            let c = clock(v, days);
            if o.measure == "first_conference" {
                assert!(html.contains(&format!("({c})")), "{lang:?}: objective {} without clock {c}", o.id);
            }
        }
    }
}

#[test]
fn batch_milestones_are_the_median_instants_on_each_variants_clock() {
    let d = dir("clock-batch");
    let spec = PlanSpec { runs: 3, variants: Some(vec!["conference-2h".into()]), ..PlanSpec::new(STOCK) };
    let plan = Plan::build(&spec).unwrap_or_else(|e| panic!("plan: {e}"));
    runner::run(&plan, &d, &Options { jobs: 2, force: true, ..Options::default() }).unwrap();
    render_batch(&d, Lang::En).unwrap();
    let html = text(&d.join(REPORT));
    assert!(html.contains("id=\"milestones\""), "no milestones table");
    // The base's median first conference, from stats.csv's p50 column.
    let stats = text(&d.join("stats.csv"));
    let header: Vec<&str> = stats.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row = stats
        .lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r[col("measure")] == "first_any_conference_min" && r[col("variant")] == "base")
        .expect("a stats row");
    let median: f64 = row[col("p50")].parse().unwrap();
    assert!(html.contains(&format!("({})", clock(median, EN_DAYS))), "no clock for the median {median}");
}
