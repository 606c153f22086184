//! The county map (docs/charts.md#county-map): `generate` gives the first block's county
//! boards their real county code and the municipalities real SCB codes of their county
//! (checked against the outline files read here on their own), the codes change nothing
//! in the simulation, a run's `counties.csv` holds the county board's coordinating
//! unit's time from `facts.csv`, a batch's `counties.csv` holds the hand-computed
//! quantiles of `county_runs.csv`, and merged shards give the same bytes as the whole
//! batch.

use crate::common::Scratch;
use samverkan::generate::{Options, generate};
use samverkan::scenario::{self, Source};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

const BIN: &str = env!("CARGO_BIN_EXE_samverkan");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> std::process::Output {
    let o = Command::new(BIN).current_dir(root()).args(args).output().expect("samverkan runs");
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o
}

fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let head: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    r.records().map(|rec| head.iter().cloned().zip(rec.expect("row").iter().map(String::from)).collect()).collect()
}

/// (code → county code) of every municipality and (code → name) of every county, read
/// from the outline files directly.
fn outlines() -> (HashMap<String, String>, HashMap<String, String>) {
    let read = |f: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root().join("data/geo").join(f)).expect("outline file"))
            .expect("json")
    };
    let features = |v: &serde_json::Value| v["features"].as_array().expect("features").clone();
    let municipalities = features(&read("sweden-municipalities.geojson"))
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (p["id"].as_str().unwrap().to_string(), p["lan_code"].as_str().unwrap().to_string())
        })
        .collect();
    let counties = features(&read("sweden-counties.geojson"))
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (format!("{:02}", p["l_id"].as_u64().unwrap()), p["name"].as_str().unwrap().to_string())
        })
        .collect();
    (municipalities, counties)
}

#[test]
fn generated_codes_are_real_and_in_their_own_county() {
    let (municipalities, counties) = outlines();
    let g = generate(&Options::new(1200)).expect("generate");
    let file: toml::Table = toml::from_str(&g.text).expect("toml");
    let orgs = file["organisation"].as_table().expect("organisations");
    let code = |id: &str, field: &str| orgs[id].get(field).and_then(|v| v.as_str()).map(String::from);
    let (mut seen_m, mut seen_c) = (HashSet::new(), HashSet::new());
    for (id, o) in orgs {
        let area = o["area"].as_str().expect("area");
        let second_block = area.contains("-b");
        let (m, c) = (code(id, "municipality_code"), code(id, "county_code"));
        if second_block {
            assert!(m.is_none() && c.is_none(), "{id}: blocks after the first carry no codes");
            continue;
        }
        if let Some(c) = c {
            assert!(id.starts_with("lst-"), "{id}: only county boards carry a county code");
            let name = o["name"].as_str().unwrap();
            assert!(name.contains(&counties[&c]), "{id} ({name}) carries {c}, {}", counties[&c]);
            assert!(seen_c.insert(c));
        }
        if let Some(m) = m {
            assert!(id.starts_with("kommun-"), "{id}");
            let board = code(&format!("lst-{area}"), "county_code").expect("the county board has a code");
            assert_eq!(municipalities.get(&m), Some(&board), "{id} carries {m}, not in county {board}");
            assert!(seen_m.insert(m.clone()), "{m} twice");
        }
    }
    assert_eq!(seen_c.len(), 21);
    assert_eq!(seen_m.len(), 290, "the first block is all of Sweden");
}

/// Every learning of a run: fact, unit, time.
fn learnings(text: &str) -> Vec<(String, u32, i64)> {
    let m = Arc::new(scenario::build(&Source::from_str("generated.toml", text), None, &[]).expect("builds"));
    let r = samverkan::sim::run(&m, m.seed).expect("runs");
    r.knowledge.iter().map(|k| (r.facts[k.fact as usize].id.clone(), k.unit, r.trail_time(k.trail))).collect()
}

#[test]
fn the_codes_change_nothing_in_the_simulation() {
    let g = generate(&Options::new(90)).expect("generate");
    assert!(g.text.contains("county_code = ") && g.text.contains("municipality_code = "));
    let stripped: String = g
        .text
        .lines()
        .filter(|l| !l.starts_with("county_code = ") && !l.starts_with("municipality_code = "))
        .map(|l| format!("{l}\n"))
        .collect();
    let (with, without) = (learnings(&g.text), learnings(&stripped));
    assert!(with.len() > 1000);
    assert!(with == without, "the codes moved the model's learnings");
}

/// A generated scenario of two counties (Stockholm whole, Uppsala with two
/// municipalities more than it has) written to `dir`.
fn two_counties(dir: &Path) -> String {
    let file = dir.join("g.toml");
    std::fs::write(&file, run(&["generate", "--organisations", "60", "--quiet"]).stdout).expect("write");
    file.to_str().unwrap().to_string()
}

#[test]
fn a_runs_county_times_are_the_county_boards_and_the_report_shows_them() {
    let s = Scratch::new("county-run");
    let file = two_counties(&s.0);
    let out = s.0.join("run");
    run(&["run", &file, "--quiet", "--out", out.to_str().unwrap()]);
    let counties = csv_rows(&out.join("counties.csv"));
    let facts = csv_rows(&out.join("facts.csv"));
    let codes: Vec<&str> = counties.iter().map(|r| r["county_code"].as_str()).collect();
    assert_eq!(codes, ["01", "03"]);
    for row in &counties {
        let board = &row["organisations"];
        assert!(board.starts_with("lst-"), "{board}");
        let learned = facts.iter().find(|f| f["fact"] == row["fact"] && f["unit"] == format!("{board}.tib"));
        assert_eq!(Some(&row["known_min"]), learned.map(|f| &f["known_min"]), "{}", row["county"]);
        assert_eq!(row["status"], "known");
    }
    assert_eq!(csv_rows(&out.join("municipalities.csv")).len(), 26 + 8, "Uppsala's two extra carry no code");
    for f in ["charts/county_map.png", "charts/county_map.svg", "charts/map.png"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).expect("report");
    assert!(html.contains("id=\"chart-county_map\"") && html.contains("<td>Uppsala</td><td>03</td>"));
    assert!(html.contains("href=\"counties.csv\""));
    // A generated scenario gives no incident's place: no dot in the caption, no location.json.
    assert!(!html.contains("The dot marks") && !html.contains("href=\"location.json\""));
    run(&["report", out.to_str().unwrap(), "--lang", "sv"]);
    let html = std::fs::read_to_string(out.join("report.html")).expect("report");
    assert!(html.contains("Länskarta") && html.contains("<th>Län</th>"));
}

/// Type-7 quantile by hand, never as +∞ (`None` when it lands on never).
fn hand_quantile(mut v: Vec<f64>, q: f64) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    let x = if lo == hi { v[lo] } else { v[lo] + (h - lo as f64) * (v[hi] - v[lo]) };
    x.is_finite().then_some(x)
}

#[test]
fn a_batch_summarises_county_runs_and_shards_merge_to_the_same_bytes() {
    let s = Scratch::new("county-batch");
    let file = two_counties(&s.0);
    let dir = |n: &str| s.0.join(n).to_str().unwrap().to_string();
    run(&["batch", &file, "--runs", "5", "--variants", "base", "--out", &dir("whole"), "-q"]);
    for k in ["1/2", "2/2"] {
        let d = dir(&format!("shard{}", &k[..1]));
        run(&["batch", &file, "--runs", "5", "--variants", "base", "--shard", k, "--out", &d, "-q"]);
    }
    run(&["merge", &dir("shard1"), &dir("shard2"), "--out", &dir("merged"), "-q"]);
    for f in ["county_runs.csv", "counties.csv", "municipality_runs.csv", "municipalities.csv"] {
        let (a, b) = (std::fs::read(s.0.join("whole").join(f)), std::fs::read(s.0.join("merged").join(f)));
        assert!(a.is_ok() && a.ok() == b.ok(), "{f}: merged shards differ from the whole batch");
    }
    assert!(!s.0.join("shard1/counties.csv").exists() && s.0.join("shard1/county_runs.csv").is_file());
    let per_run = csv_rows(&s.0.join("whole/county_runs.csv"));
    let summary = csv_rows(&s.0.join("whole/counties.csv"));
    assert_eq!(summary.len(), 2);
    for row in &summary {
        let code = &row["county_code"];
        let times: Vec<f64> = per_run
            .iter()
            .filter(|r| &r["county_code"] == code)
            .map(|r| r["known_min"].parse::<f64>().unwrap_or(f64::INFINITY))
            .collect();
        assert_eq!((times.len(), row["runs"].as_str()), (5, "5"), "{code}");
        for (col, q) in [("p10_min", 0.1), ("median_min", 0.5), ("p90_min", 0.9)] {
            let got: Option<f64> = row[col].parse().ok();
            match (got, hand_quantile(times.clone(), q)) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-3, "{code} {col}: {g} vs {w}"),
                (g, w) => assert_eq!(g, w, "{code} {col}"),
            }
        }
        let share = times.iter().filter(|t| t.is_finite()).count() as f64 / 5.0;
        assert!((row["known_share"].parse::<f64>().unwrap() - share).abs() < 1e-4);
    }
    assert!(s.0.join("whole/charts/county_map.png").is_file());
    let html = std::fs::read_to_string(s.0.join("whole/report.html")).expect("report");
    assert!(html.contains("id=\"chart-county_map\""));
}
