//! `samverkan generate`: generated scenarios validate and run (the CI smoke check), have
//! the national structure they promise (per-county coordination, no national
//! `regional-coordination` tag), and a longer duration adds idle time only.

use samverkan::generate::{Options, generate};
use samverkan::model::Model;
use samverkan::scenario::{self, Source};
use samverkan::vocabulary::{Flow, Level};
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_samverkan"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samverkan-gen-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn model(o: &Options, variant: Option<&str>) -> Arc<Model> {
    let g = generate(o).unwrap();
    Arc::new(scenario::build(&Source::from_str("generated.toml", &g.text), variant, &[]).unwrap())
}

#[test]
fn generated_scenario_validates_and_runs_from_the_command_line() {
    let dir = tmp("cli");
    let file = dir.join("small.toml");
    for extra in [&[][..], &["--core"][..]] {
        let out = bin().args(["generate", "--units", "60", "--seed", "3"]).args(extra).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("units"));
        std::fs::write(&file, &out.stdout).unwrap();
        let v = bin().arg("validate").arg(&file).output().unwrap();
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        let r = bin().args(["run", "--quiet", "--force", "--out"]).arg(dir.join("run")).arg(&file).output().unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        assert!(dir.join("run/summary.json").exists());
    }
}

#[test]
fn bad_sizes_and_durations_are_refused_with_exit_2() {
    for args in [&["--organisations", "3"][..], &["--organisations", "50", "--duration", "soon"][..]] {
        let out = bin().arg("generate").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).contains("error:"));
    }
}

#[test]
fn executive_units_report_to_their_own_county_board_only() {
    let o = Options::new(70);
    let g = generate(&o).unwrap();
    let m = model(&o, None);
    assert_eq!((m.orgs.len(), m.units.len()), (g.organisations, g.units));
    assert!(g.counties >= 3, "several counties: {}", g.counties);
    assert!(m.units.iter().all(|u| !u.tags.iter().any(|t| t == "regional-coordination")));
    let county = |id: &str| id.split('.').next().unwrap().split('-').nth(1).map(String::from);
    for l in m.links.iter().filter(|l| l.flow == Flow::Report) {
        let (from, to) = (&m.units[l.from as usize], &m.units[l.to as usize]);
        if to.id.starts_with("lst-") && from.level == Level::Executive && !from.id.starts_with("polisen") {
            assert_eq!(county(&from.id), county(&to.id), "{} → {}", from.id, to.id);
        }
    }
    for key in ["ab", "c", "d"] {
        let board = m.unit_index(&format!("lst-{key}.tib")).unwrap();
        let reporting = m.links.iter().filter(|l| l.to == board && l.flow == Flow::Report).count();
        assert!(reporting >= 4, "county {key}: {reporting} executive units report to its board");
        assert!(m.conferences.iter().any(|c| c.id == format!("{key}-regional") && c.convener == board));
    }
}

#[test]
fn a_longer_duration_adds_idle_time_only() {
    let o = Options::new(40);
    let (short, long) = (model(&o, None), model(&o, Some("month")));
    assert_eq!(long.duration, 10 * short.duration);
    let seed = short.seed;
    let (a, b) = (samverkan::sim::run(&short, seed).unwrap(), samverkan::sim::run(&long, seed).unwrap());
    assert_eq!(a.messages.len(), b.messages.len());
    assert_eq!(a.knowledge.len(), b.knowledge.len());
    assert_eq!(a.conferences.len(), b.conferences.len());
    // Only stale timers (e.g. Rakel's 7-day battery after a power cut that has ended) fire later.
    assert!(b.events >= a.events && b.events - a.events <= a.events / 100, "{} vs {}", a.events, b.events);
}

#[test]
fn tag_selectors_pick_every_tagged_unit_once_in_unit_order() {
    let m = model(&Options::new(70), None);
    let conf = m.conferences.iter().find(|c| c.id == "c-regional").unwrap();
    let tagged: Vec<u32> =
        (0..m.units.len() as u32).filter(|&u| m.units[u as usize].tags.iter().any(|t| t == "c-coordinating")).collect();
    assert!(tagged.len() > 5);
    assert_eq!(conf.participants, tagged, "the convener is tagged too, so nothing is inserted");
}
