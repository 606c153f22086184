//! Every stock scenario validates, runs in every variant, and batches (a few
//! replications per variant on the batch's seeds); each variant does what it says;
//! `samverkan new` scaffolds a valid scenario from each of them.

use samverkan::metrics;
use samverkan::model::Model;
use samverkan::scenario::{self, Source};
use samverkan::sim::{self, RunRecord, rng::replication_seed};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// (file, variants it must define)
const STOCK: &[(&str, &[&str])] = &[
    (
        "stockholm-attack",
        &["conference-2h", "no-regional-coordination", "weekend-night", "hardened-mobile", "mutual-aid"],
    ),
    (
        "stockholm-storm",
        &["conference-2h", "no-regional-coordination", "weekend-night", "hardened-mobile", "mutual-aid"],
    ),
    (
        "stockholm-forest-fire",
        &["conference-2h", "no-regional-coordination", "weekend-night", "hardened-mobile", "mutual-aid"],
    ),
    (
        "stockholm-flood",
        &["conference-2h", "no-regional-coordination", "weekend-night", "hardened-mobile", "mutual-aid"],
    ),
    ("stockholm-it-attack", &["conference-2h", "no-regional-coordination", "weekend-night", "mutual-aid"]),
    ("stockholm-heatwave", &["conference-12h", "no-regional-coordination", "mutual-aid"]),
];

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(format!("{name}.toml"))
}

fn model(name: &str, variant: Option<&str>) -> Arc<Model> {
    Arc::new(scenario::load(&path(name), variant).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn the_scenarios_folder_holds_exactly_the_stock_scenarios() {
    let mut found: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "toml").then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    found.sort();
    let mut want: Vec<String> = STOCK.iter().map(|(n, _)| n.to_string()).collect();
    want.sort();
    assert_eq!(found, want);
}

#[test]
fn every_stock_scenario_validates_with_its_variants_over_the_real_structure() {
    for (name, variants) in STOCK {
        let source = Source::read(&path(name)).unwrap();
        let checked = scenario::validate(&source).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&checked, variants, "{name}");
        let m = model(name, None);
        assert_eq!(m.name, *name);
        // The Stockholm structure (domain.md §1.2): the county board, 26 municipalities,
        // the region, police, three rescue services, SOS Alarm, Trafikverket, ...
        let municipalities = m.orgs.iter().filter(|o| o.kind.name() == "municipality").count();
        assert_eq!(municipalities, 26, "{name}");
        for id in ["lst", "sos", "polisen", "region", "ssbf", "sodertorn", "attunda", "trafikverket", "forsvarsmakten"]
        {
            assert!(m.orgs.iter().any(|o| o.id == id), "{name}: {id}");
        }
        for level in samverkan::vocabulary::Level::ALL {
            assert!(m.level_size(level) >= 30, "{name}: {} units at {}", m.level_size(level), level.name());
        }
        assert!(m.objectives.len() >= 4, "{name}: objectives");
        assert!(m.injects.len() >= 8, "{name}: injects");
        assert!(m.injects.iter().all(|i| !i.description.is_empty()), "{name}: every inject is described for the MSEL");
    }
}

fn conservation(r: &RunRecord, what: &str) {
    let s = metrics::summarise(r);
    let m = |k: &str| s.measures.by_name(k).unwrap_or_else(|| panic!("no headline measure {k}")).unwrap_or(-1.0);
    assert_eq!(
        m("messages_sent"),
        m("messages_delivered") + m("messages_lost_resent") + m("messages_in_flight"),
        "{what}: every message sent is delivered, re-sent or in flight"
    );
    assert!(!r.facts.is_empty() && !r.messages.is_empty(), "{what}: something happens");
    assert_eq!(s.objectives.len(), r.model.objectives.len());
}

/// A small batch: replications 0–3 of every variant, on the seeds a batch uses.
#[test]
fn every_variant_of_every_stock_scenario_runs_and_batches() {
    for (name, variants) in STOCK {
        for variant in std::iter::once(None).chain(variants.iter().map(|v| Some(*v))) {
            let m = model(name, variant);
            for i in 0..4 {
                let seed = replication_seed(m.seed, i);
                let r = sim::run(&m, seed).unwrap_or_else(|e| panic!("{name} {variant:?} rep {i}: {e}"));
                conservation(&r, &format!("{name} {variant:?} rep {i}"));
                if i == 0 {
                    let again = sim::run(&m, seed).unwrap();
                    assert_eq!(r.trace, again.trace, "{name} {variant:?}: same seed, same run");
                }
            }
        }
    }
}

fn regional_conferences(r: &RunRecord) -> usize {
    r.conferences.iter().filter(|c| r.model.conferences[c.conference as usize].id == "regional").count()
}

#[test]
fn each_variant_changes_what_it_says() {
    for (name, variants) in STOCK {
        let base = sim::run(&model(name, None), 7).unwrap();
        for v in *variants {
            let m = model(name, Some(v));
            let r = sim::run(&m, 7).unwrap();
            match *v {
                "conference-2h" | "conference-12h" => {
                    assert!(regional_conferences(&r) > regional_conferences(&base), "{name} {v}: more conferences")
                }
                "no-regional-coordination" => {
                    assert_eq!(regional_conferences(&r), 0, "{name} {v}");
                    assert!(
                        m.links
                            .iter()
                            .any(|l| matches!(&l.origin, samverkan::model::LinkOrigin::Rule(x) if x == "bilateral"))
                    );
                }
                "weekend-night" => {
                    assert_eq!(m.start.weekday_name(), "sat", "{name} {v}");
                    assert!(m.start.time_of_day() < 3 * samverkan::time::HOUR, "{name} {v}: at night");
                }
                "hardened-mobile" => {
                    assert!(m.areas.iter().all(|a| a.backup[1] == 24 * samverkan::time::HOUR), "{name} {v}")
                }
                "mutual-aid" => assert!(m.agreements.len() > model(name, None).agreements.len(), "{name} {v}"),
                other => panic!("{name}: untested variant {other}"),
            }
        }
    }
}

/// A mobile site fails exactly when its area's power stays out longer than the battery
/// lasts (and within the run): 1 h in towns and 4 h elsewhere, 24 h when hardened.
#[test]
fn the_storm_keeps_mobile_sites_up_longer_when_hardened() {
    let failures = |v: Option<&str>| {
        let r = sim::run(&model("stockholm-storm", v), 3).unwrap();
        let mut expected = 0;
        for (i, area) in r.model.areas.iter().enumerate() {
            let rows: Vec<_> = r.infrastructure.iter().filter(|x| x.area == area.id && x.target == "power").collect();
            let Some(down) = rows.iter().find(|x| x.state == "down").map(|x| x.time) else { continue };
            let up = rows.iter().find(|x| x.state == "up").map_or(r.end, |x| x.time);
            if up - down > r.model.areas[i].backup[1] && down + r.model.areas[i].backup[1] < r.end {
                expected += 1;
            }
        }
        let found = r.infrastructure.iter().filter(|x| x.target == "mobile" && x.state == "battery_out").count();
        assert_eq!(found, expected, "{v:?}");
        found
    };
    let (base, hardened) = (failures(None), failures(Some("hardened-mobile")));
    assert!(hardened < base, "mobile sites failing: base {base}, hardened {hardened}");
}

#[test]
fn new_scaffolds_each_template_as_a_valid_renamed_scenario() {
    for (key, stock, text) in samverkan::scenario::stock::TEMPLATES {
        assert_eq!(*text, std::fs::read_to_string(path(stock)).unwrap(), "{key}: built-in copy is current");
        let out = samverkan::scenario::stock::scaffold(text, stock, "my-exercise").unwrap();
        assert!(
            out.starts_with("#:schema ./scenario.schema.json\n# Created with `samverkan new my-exercise`"),
            "{key}"
        );
        let m =
            scenario::build(&Source::from_str("my-exercise.toml", &out), None, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.name, "my-exercise");
        assert!(scenario::validate(&Source::from_str("my-exercise.toml", &out)).is_ok());
        // Comments and the rest of the file survive: the text differs only in the header and the name.
        let body = |t: &str| {
            t.lines()
                .filter(|l| !l.starts_with("#:schema") && !l.starts_with("# Created") && !l.starts_with("name = "))
                .map(String::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(body(&out), body(text), "{key}");
    }
}

#[test]
fn the_new_command_writes_the_file_and_the_schema_and_never_overwrites() {
    let dir = std::env::temp_dir().join(format!("samverkan-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let bin = env!("CARGO_BIN_EXE_samverkan");
    let new = |args: &[&str]| Command::new(bin).current_dir(&dir).arg("new").args(args).output().unwrap();
    let out = new(&["storm-drill", "--template", "storm"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.join("storm-drill.toml")).unwrap();
    assert!(text.contains("name = \"storm-drill\""));
    assert_eq!(std::fs::read_to_string(dir.join("scenario.schema.json")).unwrap(), samverkan::scenario::schema::json());
    let again = new(&["storm-drill", "--template", "attack"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    assert_eq!(std::fs::read_to_string(dir.join("storm-drill.toml")).unwrap(), text, "not overwritten");
    let bad = new(&["x", "--template", "volcano"]);
    assert_eq!(bad.status.code(), Some(2));
    let valid = Command::new(bin).current_dir(&dir).args(["validate", "storm-drill.toml"]).output().unwrap();
    assert!(valid.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}
