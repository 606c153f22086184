//! Swedish throughout (issue 19, point 1): a scenario's Swedish names and descriptions
//! compile into the model and show in Swedish reports, English ones in English reports;
//! a missing Swedish text falls back to English; an empty one is an error with its
//! path; the Swedish run and batch reports of a stock scenario show none of the ids and
//! English words the old reports showed, and their charts write decimal commas.

use crate::report_support::{STOCK, dir, stock_run, text};
use samverkan::model::Text;
use samverkan::report::{CHART_DIR, Lang, REPORT, render_run};
use samverkan::scenario::{self, Diagnostic, ScenarioError, Source};
use std::path::Path;
use std::process::Command;

const SMALL: &str = r#"[scenario]
name = "small"
name_sv = "liten"
start = "2024-03-06T10:00"
duration = "1d"

[channel.fixed]
kind = "phone_fixed"

[links]
channels = ["fixed"]

[organisation.a]
name = "Rescue service"
name_sv = "Räddningstjänsten"
kind = "rescue"
unit.exec = { level = "executive", name = "Crew" }
unit.coord = { level = "coordinating", name = "Duty officer", name_sv = "Tjänsteman i beredskap" }

[resource.engines]
organisation = "a"
type = "fire_engine"
count = 2

[resource_type.fire_engine]
name = "Fire engine"
name_sv = "Brandbil"

[inject.alarm]
name = "Alarm"
name_sv = "Larm"
at = "0m"
fact = { origin = "a.exec", severity = 4, text = "Fire", text_sv = "Brand" }

[inject.fire]
at = "5m"
incident = { responsible = "a.exec", severity = 3, text = "House fire", text_sv = "Husbrand", demand = [ { type = "fire_engine", quantity = 3, duration = "1h" } ] }

[objective.known]
name = "Known"
description = "The duty officer knows within 10 min"
description_sv = "Tjänstemannen i beredskap vet inom 10 min"
measure = "all_known"
fact = "alarm"
level = "coordinating"
within = "10m"

[variant.slow]
name = "Slow phone"
name_sv = "Långsam telefon"
set = { "channel.fixed.latency" = "5m" }
"#;

fn model(text: &str) -> samverkan::model::Model {
    scenario::build(&Source::from_str("small.toml", text), None, &[]).expect("valid")
}

fn errors(text: &str) -> Vec<Diagnostic> {
    match scenario::validate(&Source::from_str("bad.toml", text)) {
        Ok(_) => panic!("expected errors, the scenario is valid"),
        Err(ScenarioError::Invalid { diagnostics, .. }) => diagnostics,
        Err(e) => panic!("unexpected error kind: {e}"),
    }
}

#[test]
fn swedish_texts_compile_into_the_model_and_missing_ones_fall_back_to_english() {
    let m = model(SMALL);
    assert_eq!(m.name.get(Lang::Sv), "liten");
    assert_eq!(m.orgs[0].name, Text { en: "Rescue service".into(), sv: Some("Räddningstjänsten".into()) });
    let unit = |id: &str| m.units.iter().find(|u| u.id == id).unwrap();
    assert_eq!(unit("a.coord").name.get(Lang::Sv), "Tjänsteman i beredskap");
    // No name_sv: the Swedish report shows the English name.
    assert_eq!(unit("a.exec").name.get(Lang::Sv), "Crew");
    assert_eq!(m.resource_type_names[0].get(Lang::Sv), "Brandbil");
    assert_eq!(m.injects[0].name.get(Lang::Sv), "Larm");
    let o = &m.objectives[0];
    assert_eq!((o.name.get(Lang::Sv), o.name.get(Lang::En)), ("Known", "Known"));
    assert_eq!(o.description.get(Lang::Sv), "Tjänstemannen i beredskap vet inom 10 min");
    assert_eq!(m.variant_texts[0].name.get(Lang::Sv), "Långsam telefon");
    let samverkan::model::Action::Fact { text, .. } = &m.injects[0].action else { panic!("a fact") };
    assert_eq!((text.get(Lang::Sv), text.get(Lang::En)), ("Brand", "Fire"));
}

#[test]
fn an_empty_swedish_text_is_an_error_with_its_field_path() {
    let bad = SMALL.replace("name_sv = \"Räddningstjänsten\"", "name_sv = \" \"");
    let errs = errors(&bad);
    assert!(errs.iter().any(|d| d.path == "organisation.a.name_sv" && d.message.contains("empty")), "{errs:#?}");
    let bad = SMALL.replace("text_sv = \"Brand\"", "text_sv = \"\"");
    assert!(errors(&bad).iter().any(|d| d.path == "inject.alarm.fact.text_sv"));
    let bad = SMALL.replace("[resource_type.fire_engine]", "[resource_type.pump]");
    assert!(errors(&bad).iter().any(|d| d.path == "resource_type.pump" && d.message.contains("fire_engine")));
}

/// The run report of SMALL in `lang`, as text.
fn small_report(name: &str, lang: Lang) -> String {
    let d = dir(name);
    let path = d.join("small.toml");
    std::fs::write(&path, SMALL).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .args(["run", "--quiet", "--force", "--lang", lang.labels().code, "--out"])
        .arg(d.join("out"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    text(&d.join("out").join(REPORT))
}

#[test]
fn the_swedish_report_shows_the_swedish_texts_and_the_english_report_the_english_ones() {
    let sv = small_report("sv-small", Lang::Sv);
    let en = small_report("en-small", Lang::En);
    for word in ["Brandbil", "Tjänstemannen i beredskap vet inom 10 min", "liten"] {
        assert!(sv.contains(word), "the Swedish report lacks {word}");
        assert!(!en.contains(word), "the English report shows {word}");
    }
    for word in ["Fire engine", "The duty officer knows within 10 min"] {
        assert!(en.contains(word), "the English report lacks {word}");
    }
    // Ids stay out of both where the scenario gives names.
    for report in [&sv, &en] {
        assert!(!visible(report).contains("fire_engine"));
    }
}

/// The text a reader sees: tags, styles and attributes dropped.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    for skip in ["<style", "<STYLE"] {
        if let Some(i) = rest.find(skip)
            && let Some(j) = rest[i..].find("</style>")
        {
            out.push_str(&rest[..i]);
            rest = &rest[i + j..];
        }
    }
    let mut inside = false;
    for c in rest.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push('\n');
            }
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&quot;", "\"").replace("&amp;", "&").replace("&apos;", "'")
}

/// Words and ids the Swedish reports of stockholm-attack showed before issue 19.
const NOT_IN_SWEDISH: &[&str] = &[
    "crisis_support",
    "fire_engine",
    "police_patrol",
    "konferens council",
    "konferens regional",
    "info-to-all-actors",
    "first-conference",
    "no-regional-coordination",
    "weekend-night",
    "sos.samverkan",
    "Every coordinating unit",
    "Requests for resources",
    "\nbase\n",
    "rumour-denied",
];

/// A number written with a decimal point (`24.1`), outside the version string.
fn decimal_points(text: &str) -> Vec<String> {
    let text = text.replace(env!("CARGO_PKG_VERSION"), "");
    let b = text.as_bytes();
    (1..b.len().saturating_sub(1))
        .filter(|&i| b[i] == b'.' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
        .map(|i| text[i.saturating_sub(12)..(i + 6).min(text.len())].to_string())
        .collect()
}

fn assert_swedish_throughout(d: &Path) {
    let page = visible(&text(&d.join(REPORT)));
    for w in NOT_IN_SWEDISH {
        assert!(!page.contains(w), "the Swedish report of {} shows {w:?}", d.display());
    }
    let points = decimal_points(&page);
    assert!(points.is_empty(), "decimal points in the Swedish report: {points:?}");
}

#[test]
fn the_swedish_run_report_of_a_stock_scenario_has_no_english_ids_and_decimal_commas() {
    let d = stock_run("sv-stock-run");
    render_run(&d, Lang::Sv).unwrap();
    assert_swedish_throughout(&d);
    let page = text(&d.join(REPORT));
    assert!(page.contains("Krisstödsgrupp") && page.contains("Information till alla aktörer"));
    // A chart label with a decimal: the delays chart's axis or segment values.
    let svg = visible(&text(&d.join(CHART_DIR).join("delays.svg")));
    assert!(decimal_points(&svg).is_empty(), "{:?}", decimal_points(&svg));
}

#[test]
fn the_swedish_batch_report_of_a_stock_scenario_has_no_english_ids_and_decimal_commas() {
    let d = dir("sv-stock-batch");
    let out = Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .args(["batch", STOCK, "--runs", "3", "--lang", "sv", "--quiet", "--out"])
        .arg(d.join("b"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_swedish_throughout(&d.join("b"));
    let page = text(&d.join("b").join(REPORT));
    // One word for the base in the legend and in the text.
    assert!(page.contains(">grundscenario<"), "the legend does not call the base grundscenario");
    assert!(page.contains("Ingen regional samverkan"));
}

/// A chart of one label, "24.1 min", in Swedish or not.
struct Label(bool);

impl samverkan::report::style::Chart for Label {
    fn size(&self) -> (u32, u32) {
        (200, 40)
    }
    fn draw<DB: plotters::prelude::DrawingBackend>(
        &self,
        root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    ) -> samverkan::report::style::Drawn {
        use samverkan::report::style;
        style::put(root, "axis 24.1 min, 0.5 (stats.csv)", (5, 10), &style::text(12))
    }
    fn comma(&self) -> bool {
        self.0
    }
}

#[test]
fn swedish_charts_write_decimal_commas_in_their_labels() {
    let sv = samverkan::report::style::render(&Label(true)).unwrap();
    assert!(sv.svg.contains("axis 24,1 min, 0,5 (stats.csv)"), "{}", sv.svg);
    let en = samverkan::report::style::render(&Label(false)).unwrap();
    assert!(en.svg.contains("axis 24.1 min, 0.5 (stats.csv)"));
    // The picture differs too: the comma is drawn, not only written into the SVG.
    assert!(sv.png != en.png);
    // And in a stock chart: the Swedish timeline writes no decimal point.
    let d = stock_run("sv-commas");
    render_run(&d, Lang::Sv).unwrap();
    let svg = visible(&text(&d.join(CHART_DIR).join("timeline.svg")));
    assert!(decimal_points(&svg).is_empty(), "{:?}", decimal_points(&svg));
}
