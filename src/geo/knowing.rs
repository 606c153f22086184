//! When each municipality on the map came to know the key fact, from a run's record:
//! the first key fact (earliest origin, as [`crate::report::timeline::key_facts`]
//! defines key facts), and for each SCB municipality code carried by an organisation,
//! the earliest time any of its organisations' coordinating units knew it.

use crate::model::Model;
use crate::output::{CsvDialect, Table};
use crate::report::run_data::LevelKnown;
use crate::sim::RunRecord;
use crate::time::{SimTime, fmt_minutes, minutes};
use crate::vocabulary::Level;

/// One municipality on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Knew {
    /// SCB code, e.g. "0127".
    pub code: String,
    /// Its name in the outline data (`kom_namn`).
    pub name: String,
    /// Ids of the organisations carrying the code, in file order.
    pub orgs: Vec<String>,
    /// Whether any of them has a unit at the coordinating level.
    pub has_unit: bool,
    /// When the first of those units came to know the key fact.
    pub known: Option<SimTime>,
}

/// Municipality times of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct MapRun {
    /// The key fact's id ("" when the run has no fact).
    pub fact: String,
    /// When the key fact arose (ms from the start).
    pub origin: SimTime,
    /// Ordered by code.
    pub rows: Vec<Knew>,
}

/// Municipality codes carried by the model's organisations, sorted, each with its
/// organisations (indices). Empty: the scenario draws no map.
pub fn coded(model: &Model) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, o) in model.orgs.iter().enumerate() {
        let Some(code) = &o.municipality_code else { continue };
        match out.iter_mut().find(|(c, _)| c == code) {
            Some((_, orgs)) => orgs.push(i),
            None => out.push((code.clone(), vec![i])),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The first key fact of a run (index into `r.facts`).
pub fn key_fact(r: &RunRecord) -> Option<usize> {
    let mut rows = Vec::new();
    for f in &r.facts {
        for level in Level::ALL {
            let l = level.index();
            if f.levels & (1 << l) != 0 {
                rows.push(LevelKnown {
                    fact: f.id.clone(),
                    level,
                    origin: minutes(f.origin_time),
                    first: f.first_known[l].map(minutes),
                    all: f.all_known[l].map(minutes),
                });
            }
        }
    }
    let (facts, _) = crate::report::timeline::key_facts(&rows);
    let first = facts.first()?;
    r.facts.iter().position(|f| f.id == first.fact)
}

/// The municipality times of a run; `None` when no organisation carries a code.
pub fn of_run(r: &RunRecord) -> Option<MapRun> {
    let model = &r.model;
    let coded = coded(model);
    if coded.is_empty() {
        return None;
    }
    let key = key_fact(r);
    let rows = coded
        .into_iter()
        .map(|(code, orgs)| {
            let is_ours = |u: u32| {
                let unit = &model.units[u as usize];
                unit.level == Level::Coordinating && orgs.contains(&(unit.org as usize))
            };
            let has_unit =
                model.units.iter().any(|u| u.level == Level::Coordinating && orgs.contains(&(u.org as usize)));
            let known = key.and_then(|k| {
                r.knowledge
                    .iter()
                    .filter(|kr| kr.fact as usize == k && is_ours(kr.unit))
                    .map(|kr| r.trail_time(kr.trail))
                    .min()
            });
            let name = super::municipality(&code).map(|m| m.name.clone()).unwrap_or_default();
            Knew { code, name, orgs: orgs.iter().map(|o| model.orgs[*o].id.clone()).collect(), has_unit, known }
        })
        .collect();
    let (fact, origin) = key.map(|k| (r.facts[k].id.clone(), r.facts[k].origin_time)).unwrap_or_default();
    Some(MapRun { fact, origin, rows })
}

/// The run file's name.
pub const FILE: &str = "municipalities.csv";

/// `municipalities.csv` of a run (docs/outputs.md#municipalitiescsv).
pub fn table(m: &MapRun, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(
        d,
        &[
            "municipality_code",
            "municipality",
            "organisations",
            "fact",
            "origin_min",
            "known_min",
            "delay_min",
            "status",
        ],
    );
    for k in &m.rows {
        let status = match (k.has_unit, k.known) {
            (false, _) => "no_unit",
            (true, None) => "never",
            (true, Some(_)) => "known",
        };
        t.row([
            k.code.clone(),
            k.name.clone(),
            k.orgs.join(";"),
            m.fact.clone(),
            fmt_minutes(m.origin),
            k.known.map(fmt_minutes).unwrap_or_default(),
            k.known.map(|t| fmt_minutes(t - m.origin)).unwrap_or_default(),
            status.to_string(),
        ]);
    }
    t
}

/// The file with the incident's place (run and batch folders), written only beside a
/// `municipalities.csv` and only when the scenario gives `[scenario] location`.
pub const LOCATION_FILE: &str = "location.json";

/// `location.json`: `{"lat": …, "lon": …, "name": …}` (degrees, WGS 84), and
/// `"name_sv"` when the scenario gives a Swedish name.
pub fn location_json(l: &crate::model::Location) -> Vec<u8> {
    let mut v = serde_json::json!({ "lat": l.lat, "lon": l.lon, "name": l.name.as_str() });
    if let Some(sv) = &l.name.sv {
        v["name_sv"] = serde_json::Value::from(sv.as_str());
    }
    serde_json::to_vec_pretty(&v).unwrap_or_default()
}

/// Writes a run's `municipalities.csv` (and `location.json`) when an organisation
/// carries a municipality code; otherwise removes any left from an earlier run.
pub fn write_run(dir: &std::path::Path, r: &RunRecord, d: CsvDialect) -> Result<(), crate::output::OutputError> {
    match of_run(r) {
        Some(m) => {
            table(&m, d).write(&dir.join(FILE))?;
            match &r.model.location {
                Some(l) => crate::output::write_atomic(&dir.join(LOCATION_FILE), &location_json(l)),
                None => remove(&dir.join(LOCATION_FILE)),
            }
        }
        None => {
            remove(&dir.join(FILE))?;
            remove(&dir.join(LOCATION_FILE))
        }
    }
}

fn remove(path: &std::path::Path) -> Result<(), crate::output::OutputError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(crate::output::OutputError::io(path, e)),
        _ => Ok(()),
    }
}
