//! Charts and the debrief report of a batch: every chart is drawn, non-empty and the
//! same bytes for the same files; objective limits are drawn; a sweep of one parameter
//! draws lines and of two a heatmap; a batch without variants, or with empty tables,
//! says so in the pictures; a batch without a sweep has no sweep chart file and its
//! report does not name one; report.html is self-contained and every link
//! resolves; `samverkan report` redraws everything after the charts are deleted.

use crate::report_support;

use report_support::*;
use samverkan::batch::plan::{Plan, PlanSpec};
use samverkan::batch::runner::{self, Options};
use samverkan::report::i18n::{EN, fill};
use samverkan::report::partial;
use samverkan::report::sweep::colour_range;
use samverkan::report::{BATCH_CHARTS, CHART_DIR, Lang, REPORT, render, render_batch};
use std::path::{Path, PathBuf};
use std::process::Command;

fn batch(name: &str, runs: u64, variants: Option<Vec<String>>, sweeps: &[&str]) -> PathBuf {
    let d = dir(name);
    let spec =
        PlanSpec { runs, variants, sweeps: sweeps.iter().map(|s| s.to_string()).collect(), ..PlanSpec::new(STOCK) };
    let plan = Plan::build(&spec).unwrap_or_else(|e| panic!("plan: {e}"));
    let opts = Options { jobs: 2, force: true, ..Options::default() };
    runner::run(&plan, &d, &opts).unwrap_or_else(|e| panic!("batch: {e}"));
    d
}

fn copy(from: &Path, name: &str) -> PathBuf {
    let to = dir(name);
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
    to
}

fn svg(d: &Path, name: &str) -> String {
    text(&d.join(CHART_DIR).join(format!("{name}.svg")))
}

#[test]
fn every_batch_chart_is_drawn_non_empty_and_the_same_bytes_for_the_same_files() {
    let a = batch("batch-all", 6, None, &["conference.regional.activated.every=2h,4h"]);
    let b = copy(&a, "batch-all-copy");
    render_batch(&a, Lang::En).expect("render");
    render(&b, Lang::En).expect("render");
    let titles = [EN.dist_title, EN.compare_title, EN.objectives_title, EN.sweep_title];
    for (name, title) in BATCH_CHARTS.iter().zip(titles) {
        let png = bytes(&a.join(CHART_DIR).join(format!("{name}.png")));
        assert!(inked(&png) > 0.02, "{name}.png is nearly blank");
        let s = svg(&a, name);
        assert!(s.contains(&svg_text(title)), "{name}.svg lacks its title");
        assert!(s.matches("<rect").count() + s.matches("<circle").count() > 10, "{name}.svg draws little");
    }
    let mut files = chart_files(&a, &BATCH_CHARTS);
    files.push(a.join(REPORT));
    for f in &files {
        let other = b.join(f.strip_prefix(&a).unwrap());
        assert!(bytes(f) == bytes(&other), "{} differs between two renderings", f.display());
    }
    assert_self_contained(&a);
    let html = text(&a.join(REPORT));
    let maps = usize::from(a.join("municipalities.csv").is_file());
    assert_eq!(html.matches("<svg").count(), BATCH_CHARTS.len() + maps);
    for f in ["runs.csv", "stats.csv", "objectives.csv", "compare.csv", "manifest.json"] {
        assert!(html.contains(&format!("href=\"{f}\"")), "no link to {f}");
    }
}

#[test]
fn objective_limits_come_from_the_scenario_and_are_drawn() {
    let d = batch("batch-limits", 4, Some(vec!["conference-2h".into()]), &[]);
    render_batch(&d, Lang::En).unwrap();
    // info-to-all-actors: within 20 min; regional-conference: within 90 min (the stock scenario).
    let s = svg(&d, "distributions");
    assert!(s.contains("≤ 20 min") && s.contains("≤ 90 min"), "limits not drawn");
    let html = text(&d.join(REPORT));
    assert!(html.contains("The first regional coordination conference starts within 90 min"));
    // Every objective rated once per variant.
    let objectives = text(&d.join("objectives.csv")).lines().count() - 1;
    assert_eq!(html.matches("class=\"badge ").count(), objectives);
}

#[test]
fn one_swept_parameter_draws_lines_and_two_a_heatmap() {
    let one = batch("batch-sweep-1", 3, Some(vec![]), &["conference.regional.activated.every=1h,2h,4h"]);
    render_batch(&one, Lang::En).unwrap();
    let s = svg(&one, "sweep");
    assert!(s.contains(&svg_text(EN.sweep_sub_line)) && s.contains("conference.regional.activated.every"));
    assert!(s.contains("\n1h\n") && s.contains("\n4h\n"), "the swept values label the axis");
    assert!(s.contains("<polyline"), "no lines");

    let two = batch(
        "batch-sweep-2",
        2,
        Some(vec![]),
        &["conference.regional.activated.every=1h,4h", "conference.stab.activated.every=30m,2h"],
    );
    render_batch(&two, Lang::En).unwrap();
    let s = svg(&two, "sweep");
    assert!(s.contains(&svg_text(EN.sweep_sub_heat)));
    assert_eq!(s.matches(&svg_text(EN.colour_scale)).count(), 1, "one colour bar for all panels");
    assert!(s.contains("conference.stab.activated.every") && s.contains("\n30m\n"));
    assert_self_contained(&two);
}

/// The charts a batch without a sweep draws: all but the sweep chart.
const NO_SWEEP: [&str; 3] = ["distributions", "compare", "objectives"];

/// No sweep chart file in `d`, and its report neither links nor names one.
fn assert_no_sweep_chart(d: &Path) {
    for f in chart_files(d, &["sweep"]) {
        assert!(!f.exists(), "{} is written for a batch without a sweep", f.display());
    }
    let html = text(&d.join(REPORT));
    assert!(!html.contains("sweep.png") && !html.contains("sweep.svg"), "report links a sweep chart");
    assert!(!html.contains("chart-sweep") && !html.contains(EN.sweep_title), "report names a sweep chart");
    // A map only when the folder's municipalities.csv has rows for the base (emptied
    // tables may leave none).
    let maps = usize::from(html.contains("id=\"chart-map\""));
    assert_eq!(html.matches("<svg").count(), NO_SWEEP.len() + maps);
}

#[test]
fn a_design_file_not_on_a_grid_draws_partial_dependence_and_no_heatmap() {
    // Three points, three values of each path: not a grid, so no heatmap and no sweep
    // chart, but the partial-dependence chart with one panel per parameter.
    let design = dir("design-scatter").with_extension("csv");
    let csv = "conference.regional.activated.every,conference.stab.activated.every\n2h,30m\n1h,2h\n4h,1h\n";
    std::fs::write(&design, csv).unwrap();
    let d = dir("batch-design-scatter");
    let spec = PlanSpec { runs: 2, variants: Some(vec![]), design: Some(design), ..PlanSpec::new(STOCK) };
    let plan = Plan::build(&spec).unwrap_or_else(|e| panic!("plan: {e}"));
    runner::run(&plan, &d, &Options { jobs: 2, force: true, ..Options::default() }).unwrap();
    // A sweep chart left from an earlier rendering is removed.
    std::fs::create_dir_all(d.join(CHART_DIR)).unwrap();
    std::fs::write(d.join(CHART_DIR).join("sweep.svg"), b"old").unwrap();
    render_batch(&d, Lang::En).unwrap();
    for f in chart_files(&d, &["sweep"]) {
        assert!(!f.exists(), "{} written for a design that is not a grid", f.display());
    }
    let s = svg(&d, partial::NAME);
    let p = EN.partial();
    assert!(s.contains(&svg_text(p.title)) && s.contains(&svg_text(p.binned)), "not a partial-dependence chart");
    assert!(!s.contains(&svg_text(EN.colour_scale)), "a heatmap of a design that is not a grid");
    assert!(s.contains("conference.regional.activated.every") && s.contains("conference.stab.activated.every"));
    // Two panels: three hollow design points and three binned means in each.
    assert!(s.matches("<circle").count() >= 2 * (3 + 3), "design points not drawn");
    let html = text(&d.join(REPORT));
    assert!(html.contains(&format!("chart-{}", partial::NAME)) && !html.contains("chart-sweep"));
    assert_self_contained(&d);
}

#[test]
fn one_colour_scale_spans_the_values_of_all_heatmap_panels() {
    // Four panels whose values do not overlap: the scale runs from the smallest of all
    // to the largest of all, not per panel; cells without a value are left out.
    let panels: [Vec<Option<f64>>; 4] =
        [vec![Some(3.0), None], vec![Some(40.0), Some(12.5)], vec![Some(f64::NAN), Some(7.0)], vec![None]];
    assert_eq!(colour_range(panels.iter().flatten().flatten().copied()), Some((3.0, 40.0)));
    assert_eq!(colour_range(panels[1].iter().flatten().copied()), Some((12.5, 40.0)));
    assert_eq!(colour_range([0.0; 0]), None);
}

#[test]
fn a_batch_of_the_base_alone_says_what_it_cannot_show_and_draws_no_sweep_chart() {
    let d = batch("batch-base", 3, Some(vec![]), &[]);
    // A sweep chart left from an earlier rendering is removed.
    std::fs::create_dir_all(d.join(CHART_DIR)).unwrap();
    std::fs::write(d.join(CHART_DIR).join("sweep.png"), b"old").unwrap();
    render_batch(&d, Lang::En).unwrap();
    assert!(svg(&d, "compare").contains(&svg_text(EN.no_variants)));
    assert_no_sweep_chart(&d);
    assert_self_contained(&d);
}

#[test]
fn charts_of_empty_batch_tables_say_so_in_the_picture() {
    let d = batch("batch-empty", 2, Some(vec!["conference-2h".into()]), &[]);
    truncate_csvs(&d, 0);
    render_batch(&d, Lang::En).expect("empty tables are drawn, not refused");
    assert!(svg(&d, "distributions").contains(&fill(EN.no_rows, &[&"stats.csv"])));
    assert!(svg(&d, "compare").contains(&svg_text(EN.no_variants)));
    assert!(svg(&d, "objectives").contains(&svg_text(EN.no_objectives)));
    assert_no_sweep_chart(&d);
    assert_self_contained(&d);
}

#[test]
fn charts_of_one_row_batch_tables_are_drawn() {
    let d = batch("batch-one-row", 2, Some(vec!["conference-2h".into()]), &[]);
    truncate_csvs(&d, 1);
    render_batch(&d, Lang::En).expect("one-row tables are drawn, not refused");
    // One stats row: the first measure of the base, drawn as a box.
    assert!(svg(&d, "distributions").contains(EN.level(samverkan::vocabulary::Level::Executive)));
    // One compare row, one objectives row: one dot each.
    assert!(svg(&d, "compare").matches("<circle").count() >= 1);
    assert!(svg(&d, "objectives").matches("<circle").count() >= 1);
}

#[test]
fn report_command_redraws_a_batch_after_the_charts_are_deleted() {
    let d = batch("batch-redraw", 3, Some(vec!["mutual-aid".into()]), &[]);
    render_batch(&d, Lang::Sv).unwrap();
    let mut files = chart_files(&d, &NO_SWEEP);
    files.push(d.join(REPORT));
    let before: Vec<Vec<u8>> = files.iter().map(|f| bytes(f)).collect();
    std::fs::remove_dir_all(d.join(CHART_DIR)).unwrap();
    std::fs::remove_file(d.join(REPORT)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_samverkan")).args(["report", "--lang", "sv"]).arg(&d).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (f, b) in files.iter().zip(before) {
        assert!(bytes(f) == b, "{} is not redrawn to the same bytes", f.display());
    }
    assert!(text(&d.join(REPORT)).contains("<html lang=\"sv\">"));
}

/// The files of the report of a batch folder without a sweep: its charts and report.html.
fn drawn(d: &Path) -> Vec<PathBuf> {
    let mut files = chart_files(d, &NO_SWEEP);
    files.push(d.join(REPORT));
    files
}

#[test]
fn a_batch_folder_moved_away_from_its_deleted_scenario_redraws_the_same_report() {
    // The batch runs a scenario file that is deleted afterwards.
    let src = dir("standalone-src");
    let scenario = src.join("attack.toml");
    std::fs::copy(STOCK, &scenario).unwrap();
    let spec = PlanSpec { runs: 3, variants: Some(vec!["conference-2h".into()]), ..PlanSpec::new(&scenario) };
    let plan = Plan::build(&spec).unwrap();
    let a = src.join("batch");
    runner::run(&plan, &a, &Options { jobs: 2, force: true, ..Options::default() }).unwrap();
    assert!(bytes(&a.join("scenario.toml")) == bytes(Path::new(STOCK)), "the copy is not byte-identical");
    render_batch(&a, Lang::En).unwrap();
    let before: Vec<Vec<u8>> = drawn(&a).iter().map(|f| bytes(f)).collect();
    let html = text(&a.join(REPORT));
    assert!(html.contains("The first regional coordination conference starts within 90 min"));
    assert!(html.contains(&format!("<td>{}</td>", EN.when("2017-04-07T14:53"))), "no simulated start");
    assert!(svg(&a, "distributions").contains("≤ 90 min"), "limits not drawn");

    // Moved to another folder, the scenario file gone, charts and report deleted.
    std::fs::remove_file(&scenario).unwrap();
    let b = dir("standalone-moved").join("batch");
    std::fs::rename(&a, &b).unwrap();
    std::fs::remove_dir_all(b.join(CHART_DIR)).unwrap();
    std::fs::remove_file(b.join(REPORT)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_samverkan")).arg("report").arg(&b).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (f, was) in drawn(&b).iter().zip(before) {
        assert!(bytes(f) == was, "{} is not redrawn to the same bytes", f.display());
    }
}

#[test]
fn an_edited_scenario_copy_is_refused_and_without_one_the_report_lacks_only_the_scenario() {
    let src = dir("tampered-src");
    let scenario = src.join("attack.toml");
    std::fs::copy(STOCK, &scenario).unwrap();
    let plan = Plan::build(&PlanSpec { runs: 2, variants: Some(vec![]), ..PlanSpec::new(&scenario) }).unwrap();
    let d = src.join("batch");
    runner::run(&plan, &d, &Options { jobs: 2, force: true, ..Options::default() }).unwrap();
    std::fs::remove_file(&scenario).unwrap();
    let copy = d.join("scenario.toml");
    std::fs::write(&copy, text(&copy).replace("within = \"90m\"", "within = \"9m\"")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_samverkan")).arg("report").arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("scenario.toml") && err.contains("edited after the batch ran"), "{err}");
    assert!(!d.join(REPORT).exists(), "nothing is drawn from an edited copy");
    // Deleting the copy draws the report from the tables alone.
    std::fs::remove_file(&copy).unwrap();
    render(&d, Lang::En).unwrap();
    assert!(!text(&d.join(REPORT)).contains("starts within 90 min"));
}

#[test]
fn batch_findings_use_the_charts_statistics_and_no_percentages_of_nothing() {
    use samverkan::report::batch_data::BatchData;
    use samverkan::report::findings;
    let d = batch("findings", 20, None, &[]);
    let data = BatchData::read(&d).unwrap();
    let (p0, base) = (data.first_point(), data.base().to_string());
    let middle = |l: &str| data.stat(p0, &base, &format!("delay_{l}_median_min")).unwrap().box5.unwrap()[2];
    let (slowest, value) = ["strategic", "coordinating", "executive"]
        .into_iter()
        .map(|l| (l, middle(l)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    let found = findings::batch(&data, &EN);
    assert!(found[0].contains(&format!("the {slowest} level")), "{}", found[0]);
    assert!(found[0].contains(&format!(": {} min", findings::minutes(value))), "{} / {value}", found[0]);
    for f in &found {
        assert!(!f.contains("−100 %") && !f.contains("-100 %"), "{f}");
    }
    // The stock variants change something clearly: every variant gets its sentence.
    assert!(found.iter().filter(|f| f.starts_with('“')).count() >= 4, "{found:#?}");
    // Without the regional level each level knows far less by the end: said with the
    // share the stats table holds, and the objectives it no longer meets are named.
    let nrc = "no-regional-coordination";
    let share = data.stat(p0, nrc, "known_coordinating_share").and_then(|s| s.mean).unwrap();
    assert!(share < 0.6, "{share}");
    let knew = format!("“{nrc}”: the coordinating level knew {:.0} % of what it should", 100.0 * share);
    assert!(found.iter().any(|f| f.starts_with(&knew)), "{knew}\n{found:#?}");
    let objectives = found.iter().find(|f| f.starts_with(&format!("“{nrc}” changes how often"))).expect("objectives");
    assert!(objectives.contains("“regional-conference” in 0 % of runs"), "{objectives}");
}
