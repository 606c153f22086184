//! Charts and the debrief report of a run: every chart is drawn, non-empty and the same
//! bytes for the same files; `samverkan report` redraws everything from the CSV files
//! alone; report.html is self-contained and every link resolves; empty and one-row
//! files are said so in the picture; what the charts rebuild from the CSV files agrees
//! with what the engine measured.

use crate::report_support;

use report_support::*;
use samverkan::output;
use samverkan::report::delays::decompose;
use samverkan::report::findings::{self, idle_while_short_total, minutes};
use samverkan::report::i18n::{EN, SV, fill};
use samverkan::report::run_data::{RunData, backlog_steps};
use samverkan::report::{CHART_DIR, Lang, REPORT, RUN_CHARTS, render_run};
use std::process::Command;

#[test]
fn every_run_chart_is_drawn_non_empty_and_the_same_bytes_for_the_same_files() {
    let a = stock_run("same-a");
    let b = stock_run("same-b");
    let written = render_run(&a, Lang::En).expect("render");
    render_run(&b, Lang::En).expect("render");
    // Each chart as PNG and SVG, results.xlsx and report.html.
    // The stock scenario's organisations carry municipality codes: the map too.
    let maps = usize::from(a.join("municipalities.csv").is_file());
    assert_eq!(written.len(), (RUN_CHARTS.len() + maps) * 2 + 2);
    let titles = [EN.timeline_title, EN.delays_title, EN.bottlenecks_title, EN.resources_title, EN.structure_title];
    for (name, title) in RUN_CHARTS.iter().zip(titles) {
        let png = bytes(&a.join(CHART_DIR).join(format!("{name}.png")));
        let svg = text(&a.join(CHART_DIR).join(format!("{name}.svg")));
        let share = inked(&png);
        assert!(share > 0.02, "{name}.png is nearly blank ({share:.3} of pixels inked)");
        assert!(svg.contains(&svg_text(title)), "{name}.svg lacks its title");
        assert!(svg.matches("<rect").count() + svg.matches("<polygon").count() + svg.matches("<circle").count() > 10);
    }
    for (fa, fb) in chart_files(&a, &RUN_CHARTS).iter().zip(chart_files(&b, &RUN_CHARTS)) {
        assert!(bytes(fa) == bytes(&fb), "{} differs between two renderings", fa.display());
    }
    assert!(bytes(&a.join(REPORT)) == bytes(&b.join(REPORT)), "report.html differs between two renderings");
    assert!(bytes(&a.join("results.xlsx")) == bytes(&b.join("results.xlsx")), "results.xlsx differs");
}

#[test]
fn report_command_redraws_everything_from_the_csv_files_after_the_charts_are_deleted() {
    let d = stock_run("redraw");
    render_run(&d, Lang::En).unwrap();
    let mut files = chart_files(&d, &RUN_CHARTS);
    files.push(d.join(REPORT));
    let before: Vec<Vec<u8>> = files.iter().map(|f| bytes(f)).collect();
    std::fs::remove_dir_all(d.join(CHART_DIR)).unwrap();
    std::fs::remove_file(d.join(REPORT)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_samverkan")).arg("report").arg(&d).output().unwrap();
    assert!(out.status.success(), "report failed: {}", String::from_utf8_lossy(&out.stderr));
    for (f, b) in files.iter().zip(before) {
        assert!(bytes(f) == b, "{} is not redrawn to the same bytes", f.display());
    }
}

#[test]
fn run_report_is_self_contained_and_every_link_resolves() {
    let d = stock_run("links");
    render_run(&d, Lang::En).unwrap();
    assert_self_contained(&d);
    let html = text(&d.join(REPORT));
    let maps = usize::from(d.join("municipalities.csv").is_file());
    assert_eq!(html.matches("<svg").count(), RUN_CHARTS.len() + maps, "every chart inline");
    for f in ["facts.csv", "levels.csv", "messages.csv", "resources.csv", "requests.csv", "summary.json"] {
        assert!(html.contains(&format!("href=\"{f}\"")), "no link to {f}");
    }
    // Objectives rated as summary.json has them.
    let data = RunData::read(&d).unwrap();
    let names = samverkan::report::names::Names::read_run(&d).unwrap();
    for o in &data.summary.objectives {
        // By its name where the scenario gives one (names.csv), else its id.
        let shown = names.name("objective", &o.id, Lang::En).unwrap_or(o.id.clone());
        assert!(html.contains(&shown), "the report does not show objective {shown}");
    }
    let not_met = data.summary.objectives.iter().filter(|o| !o.met).count();
    assert_eq!(html.matches("class=\"badge notmet\"").count(), not_met);
}

#[test]
fn swedish_report_has_swedish_labels() {
    let d = stock_run("swedish");
    render_run(&d, Lang::Sv).unwrap();
    let html = text(&d.join(REPORT));
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains(SV.html.findings) && html.contains(SV.html.how_to_read));
    assert!(!html.contains(EN.html.how_to_read));
    let svg = text(&d.join(CHART_DIR).join("timeline.svg"));
    assert!(svg.contains(SV.timeline_title) && svg.contains("Inriktande") && !svg.contains(EN.timeline_title));
}

#[test]
fn charts_of_empty_files_say_so_in_the_picture() {
    let d = stock_run("empty");
    truncate_csvs(&d, 0);
    render_run(&d, Lang::En).expect("empty files are drawn, not refused");
    let svg = |n: &str| text(&d.join(CHART_DIR).join(format!("{n}.svg")));
    assert!(svg("timeline").contains(&fill(EN.no_rows, &[&"levels.csv"])));
    assert!(svg("delays").contains(&svg_text(EN.no_learned)));
    assert!(svg("bottlenecks").contains(&svg_text(EN.no_backlog)));
    assert!(svg("resources").contains(&fill(EN.no_rows, &[&"resources.csv"])));
    assert!(svg("structure").contains(&fill(EN.no_rows, &[&"units.csv"])));
    for f in chart_files(&d, &RUN_CHARTS).iter().filter(|f| f.extension().unwrap() == "png") {
        assert!(inked(&bytes(f)) > 0.01, "{} is blank", f.display());
    }
    assert_self_contained(&d);
}

#[test]
fn charts_of_one_row_files_are_drawn_or_say_why_not() {
    let d = stock_run("one-row");
    truncate_csvs(&d, 1);
    render_run(&d, Lang::En).expect("one-row files are drawn, not refused");
    let svg = |n: &str| text(&d.join(CHART_DIR).join(format!("{n}.svg")));
    // One fact at one level: the timeline shows it.
    let first_fact = text(&d.join("levels.csv")).lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    // Shown by its name (names.csv), not its id.
    let first_fact = samverkan::report::names::Names::read_run(&d).unwrap().fact_label(&first_fact, Lang::En);
    assert!(svg("timeline").contains(&format!("\n{first_fact}\n")));
    // The first facts.csv row is the fact's origin: nothing was learned.
    assert!(svg("delays").contains(&svg_text(EN.no_learned)));
    // One message row: delivered and started at once, so nothing waited.
    assert!(svg("bottlenecks").contains(&svg_text(EN.no_backlog)));
    // One resources row: a single time point.
    assert!(svg("resources").contains(&svg_text(EN.one_time)));
    assert!(svg("structure").contains(EN.structure_title));
}

#[test]
fn malformed_or_missing_files_are_refused_with_file_and_line() {
    let d = stock_run("malformed");
    let levels = d.join("levels.csv");
    let mut t = text(&levels);
    t.push_str("alarm,executive,soon,,,,\n");
    std::fs::write(&levels, &t).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_samverkan")).arg("report").arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = t.lines().count();
    assert!(
        err.contains(&format!("levels.csv:{line}:")) && err.contains("origin_min") && err.contains("soon"),
        "{err}"
    );

    let empty = dir("not-results");
    let out = Command::new(env!("CARGO_BIN_EXE_samverkan")).arg("report").arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither a run folder"));
}

#[test]
fn run_command_ends_by_drawing_the_charts_and_the_report() {
    let d = dir("run-command");
    let out = Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .args(["run", STOCK, "--force", "--quiet", "--out"])
        .arg(&d)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in chart_files(&d, &RUN_CHARTS) {
        assert!(f.is_file(), "{} missing", f.display());
    }
    assert!(d.join(REPORT).is_file());
    // The same bytes as drawing from the files afterwards.
    let drawn = bytes(&d.join(REPORT));
    render_run(&d, Lang::En).unwrap();
    assert!(bytes(&d.join(REPORT)) == drawn);
}

#[test]
fn backlog_rebuilt_from_messages_csv_agrees_with_the_engines_peak() {
    let d = stock_run("backlog");
    let data = RunData::read(&d).unwrap();
    let mut some_queue = false;
    for u in &data.units {
        let peak = backlog_steps(&data.messages, &u.unit).iter().map(|s| s.1).max().unwrap_or(0) as f64;
        // The engine counts a message that is started the instant it arrives for that
        // instant; the rebuilt queue does not (it never waited).
        assert!(
            peak <= u.peak_backlog && u.peak_backlog <= peak + 1.0,
            "{}: rebuilt {peak}, engine {}",
            u.unit,
            u.peak_backlog
        );
        some_queue |= peak >= 5.0;
    }
    assert!(some_queue, "the stock scenario should have a real queue somewhere");
}

#[test]
fn idle_while_short_from_resources_csv_equals_the_engines_measure() {
    let d = stock_run("idle-short");
    let data = RunData::read(&d).unwrap();
    let from_csv = idle_while_short_total(&data.resources);
    let measured = data.summary.measures[samverkan::metrics::Headline::IdleWhileShort].unwrap();
    assert!(measured > 0.0, "the stock scenario has resources idle while short");
    assert!(
        (from_csv - measured).abs() < 0.01 * measured.max(1.0),
        "from resources.csv {from_csv}, summary {measured}"
    );
}

#[test]
fn output_prepare_dir_still_refuses_a_folder_with_charts() {
    // Charts and report.html count as results: a second run does not silently replace them.
    let d = stock_run("refuse");
    render_run(&d, Lang::En).unwrap();
    assert!(output::prepare_dir(&d, false).is_err());
}

#[test]
fn the_slowest_level_finding_uses_the_statistic_of_the_delay_chart() {
    let d = stock_run("slowest");
    let data = RunData::read(&d).unwrap();
    let levels = decompose(&data.facts);
    let slowest = levels.iter().max_by(|a, b| a.total().total_cmp(&b.total())).unwrap();
    for t in [&EN, &SV] {
        let first = &findings::run(&data, t)[0];
        let named = format!("{} ", t.level(slowest.level).to_lowercase());
        assert!(first.contains(&named), "{first}: should name {named}");
        assert!(first.contains(&format!(" {} min", minutes(slowest.total()))), "{first}: mean {}", slowest.total());
    }
}
