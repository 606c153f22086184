//! The map (docs/charts.md#map): municipality codes are checked, the projection puts
//! each municipality's inner point inside its drawn outline, a run's
//! `municipalities.csv` holds the hand-calculated times of a fixed-time fixture and the
//! chart colours them in order, a batch's median/p10/p90 are those of its runs, and a
//! batch's map files are the same bytes with 1 and 2 threads.

use crate::common;

use common::Scratch;
use samverkan::geo::{self, Projection, inside};
use samverkan::report::{Lang, map, map_data};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_samverkan");
const FIXTURE: &str = "tests/map/two-municipalities.toml";
const RANDOM: &str = "tests/map/random.toml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN).current_dir(root()).args(args).output().expect("samverkan runs")
}

/// Rows of a CSV file as maps from column name to value.
fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let head: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    r.records().map(|rec| head.iter().cloned().zip(rec.expect("row").iter().map(String::from)).collect()).collect()
}

#[test]
fn bad_and_unknown_codes_are_refused_with_the_field() {
    let s = Scratch::new("map-codes");
    let text = std::fs::read_to_string(root().join(FIXTURE)).expect("fixture");
    for (code, says) in [("127", "4 digits"), ("01270", "4 digits"), ("0000", "no municipality has the code")] {
        let file = s.0.join("bad.toml");
        std::fs::write(&file, text.replace("\"0127\"", &format!("\"{code}\""))).expect("write");
        let out = s.0.join("out");
        let o = run(&["run", file.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{code}: {err}");
        assert!(err.contains("organisation.a.municipality_code") && err.contains(says), "{code}: {err}");
        assert!(!out.exists(), "{code}: nothing is written");
    }
}

#[test]
fn inner_points_land_inside_their_drawn_outlines() {
    let county: Vec<_> = geo::municipalities().iter().filter(|m| m.county == "01").collect();
    assert_eq!(county.len(), 26);
    let proj =
        Projection::fit(county.iter().flat_map(|m| m.polygons.iter().flat_map(|p| p[0].clone())), (20, 80), (990, 940));
    for m in &county {
        let p = proj.xy(m.inner);
        let drawn = |poly: &Vec<Vec<geo::LonLat>>| -> Vec<Vec<(f64, f64)>> {
            poly.iter().map(|ring| ring.iter().map(|q| proj.xy(*q)).collect()).collect()
        };
        assert!(m.polygons.iter().any(|poly| inside(p, &drawn(poly))), "{} ({}) inner point outside", m.name, m.code);
        // and in no other municipality of the county
        for o in county.iter().filter(|o| o.code != m.code) {
            assert!(!o.polygons.iter().any(|poly| inside(p, &drawn(poly))), "{} inside {}", m.name, o.name);
        }
    }
    // x is scaled by cos(latitude): a degree east is about half a degree north at 59°N.
    let (a, b, c) = (proj.xy((18.0, 59.3)), proj.xy((19.0, 59.3)), proj.xy((18.0, 60.3)));
    let ratio = (b.0 - a.0) / (a.1 - c.1);
    assert!((ratio - 59.5f64.to_radians().cos()).abs() < 0.02, "ratio {ratio}");
}

/// The most common colour among pixels near a municipality's inner point inside its
/// outline (names are drawn at the inner point itself).
fn fill_near(png: &[u8], width: usize, proj: &Projection, m: &geo::Municipality) -> (u8, u8, u8) {
    let drawn: Vec<Vec<Vec<(f64, f64)>>> =
        m.polygons.iter().map(|p| p.iter().map(|r| r.iter().map(|q| proj.xy(*q)).collect()).collect()).collect();
    let (cx, cy) = proj.px(m.inner);
    let mut counts: std::collections::HashMap<(u8, u8, u8), usize> = Default::default();
    for dy in -25..=25 {
        for dx in -25..=25 {
            let (x, y) = (cx + dx, cy + dy);
            if !drawn.iter().any(|p| inside((x as f64 + 0.5, y as f64 + 0.5), p)) {
                continue;
            }
            let i = (y as usize * width + x as usize) * 3;
            *counts.entry((png[i], png[i + 1], png[i + 2])).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(c, n)| (*n, *c)).map(|(c, _)| c).expect("pixels inside")
}

fn decode(path: &Path) -> (Vec<u8>, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("png")));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    (buf, info.width as usize)
}

#[test]
fn a_run_records_the_fixture_times_and_colours_them_in_order() {
    let s = Scratch::new("map-run");
    let out = s.0.join("out");
    let o = run(&["run", FIXTURE, "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = csv_rows(&out.join("municipalities.csv"));
    let get = |code: &str, col: &str| rows.iter().find(|r| r["municipality_code"] == code).map(|r| r[col].clone());
    // Botkyrka knows at the origin (10 min); Stockholm after 5 min processing and 1 min transit.
    assert_eq!(get("0127", "known_min").as_deref(), Some("10"));
    assert_eq!(get("0180", "known_min").as_deref(), Some("16"));
    assert_eq!(get("0180", "municipality").as_deref(), Some("Stockholm"));
    assert_eq!(get("0184", "status").as_deref(), Some("no_unit"));
    assert_eq!(get("0184", "known_min").as_deref(), Some(""));
    assert!(rows.iter().all(|r| r["fact"] == "alarm"));

    let data = map_data::read_run(&out, "2024-03-06T10:00:00").expect("readable").expect("a map");
    let chart = map::Map::new(&data, Lang::En.labels());
    let proj = chart.projection();
    let (png, width) = decode(&out.join("charts/map.png"));
    let colour = |code: &str| fill_near(&png, width, &proj, geo::municipality(code).expect("known code"));
    let rgb = |c: plotters::style::RGBColor| (c.0, c.1, c.2);
    assert_eq!(colour("0127"), rgb(chart.colour("0127")));
    assert_eq!(colour("0180"), rgb(chart.colour("0180")));
    assert_eq!(colour("0184"), rgb(map::NEVER));
    assert_eq!(colour("0186"), rgb(map::NO_ORG), "Lidingö has no organisation");
    // Earlier is lighter (the scale runs from light to dark).
    let light = |c: (u8, u8, u8)| 0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64;
    assert!(light(colour("0127")) > light(colour("0180")) + 50.0);
    assert!(out.join("location.json").is_file());
    let html = std::fs::read_to_string(out.join("report.html")).expect("report");
    assert!(html.contains("id=\"chart-map\"") && html.contains("<td>Botkyrka</td><td>0127</td>"));
    assert!(html.contains("The dot marks the incident.") && html.contains("href=\"location.json\""));
}

#[test]
fn a_scenario_without_codes_draws_no_map() {
    let s = Scratch::new("map-none");
    let out = s.0.join("out");
    let o = run(&["run", "tests/scenarios/chain.toml", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.join("municipalities.csv").exists() && !out.join("charts/map.png").exists());
    let html = std::fs::read_to_string(out.join("report.html")).expect("report");
    assert!(!html.contains("chart-map") && !html.contains("municipalities.csv"));
}

/// Type-7 quantile by hand, with never as +∞ (`None` when it lands on never).
fn hand_quantile(mut v: Vec<f64>, q: f64) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    let x = if lo == hi { v[lo] } else { v[lo] + (h - lo as f64) * (v[hi] - v[lo]) };
    x.is_finite().then_some(x)
}

#[test]
fn a_batch_summarises_its_runs_and_does_not_depend_on_threads() {
    let s = Scratch::new("map-batch");
    let dirs = [s.0.join("j1"), s.0.join("j2")];
    for (d, jobs) in dirs.iter().zip(["1", "2"]) {
        let o = run(&["batch", RANDOM, "--runs", "9", "--jobs", jobs, "--out", d.to_str().unwrap(), "-q"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for f in ["municipalities.csv", "municipality_runs.csv", "location.json", "charts/map.png", "charts/map.svg"] {
        let (a, b) = (std::fs::read(dirs[0].join(f)), std::fs::read(dirs[1].join(f)));
        assert!(a.is_ok() && a.ok() == b.ok(), "{f} differs between --jobs 1 and 2");
    }
    let per_run = csv_rows(&dirs[0].join("municipality_runs.csv"));
    let summary = csv_rows(&dirs[0].join("municipalities.csv"));
    for code in ["0127", "0180"] {
        let times: Vec<f64> = per_run
            .iter()
            .filter(|r| r["municipality_code"] == code)
            .map(|r| r["known_min"].parse::<f64>().unwrap_or(f64::INFINITY))
            .collect();
        assert_eq!(times.len(), 9, "{code}: one time per run");
        let row = summary.iter().find(|r| r["municipality_code"] == code).expect("a summary row");
        assert_eq!(row["runs"], "9");
        for (col, q) in [("p10_min", 0.1), ("median_min", 0.5), ("p90_min", 0.9)] {
            let got: Option<f64> = row[col].parse().ok();
            let want = hand_quantile(times.clone(), q);
            match (got, want) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-3, "{code} {col}: {g} vs {w}"),
                (g, w) => assert_eq!(g, w, "{code} {col}"),
            }
        }
        let share = times.iter().filter(|t| t.is_finite()).count() as f64 / 9.0;
        assert!((row["known_share"].parse::<f64>().unwrap() - share).abs() < 1e-4);
    }
    // Botkyrka knows at the origin in every run; Stockholm later, by a random transit.
    let median = |code: &str| summary.iter().find(|r| r["municipality_code"] == code).unwrap()["median_min"].clone();
    assert_eq!(median("0127"), "10");
    assert!(median("0180").parse::<f64>().unwrap() > 15.0);
    let solna = summary.iter().find(|r| r["municipality_code"] == "0184").expect("Solna row");
    assert_eq!((solna["known_share"].as_str(), solna["median_min"].as_str()), ("0", ""));
}
