//! When each municipality (or county) on a map came to know the key fact, from a run's
//! record: the first key fact (earliest origin, as [`crate::report::timeline::key_facts`]
//! defines key facts), and for each SCB municipality code (or county code, see
//! [`Division`]) carried by an organisation, the earliest time any of its organisations'
//! coordinating units knew it.

use crate::model::Model;
use crate::output::{CsvDialect, Table};
use crate::report::run_data::LevelKnown;
use crate::sim::RunRecord;
use crate::time::{SimTime, fmt_minutes, minutes};
use crate::vocabulary::Level;

/// What a map is drawn by: municipalities (`municipality_code`, the municipality map)
/// or counties (`county_code`, the county map of Sweden).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Division {
    /// The county's municipalities, by `municipality_code`.
    Municipality,
    /// Sweden's counties, by `county_code`.
    County,
}

impl Division {
    /// Both divisions, municipalities first (the order files and charts are written in).
    pub const ALL: [Division; 2] = [Division::Municipality, Division::County];

    /// The code an organisation carries for this division.
    pub fn code_of(self, o: &crate::model::Org) -> Option<&String> {
        match self {
            Division::Municipality => o.municipality_code.as_ref(),
            Division::County => o.county_code.as_ref(),
        }
    }

    /// The name of the municipality or county with `code` in the outline data.
    pub fn name_of(self, code: &str) -> Option<String> {
        match self {
            Division::Municipality => super::municipality(code).map(|m| m.name.clone()),
            Division::County => super::county(code).map(|c| c.name.clone()),
        }
    }

    /// Columns of the code and of the name: `municipality_code`, `municipality`.
    pub fn columns(self) -> (&'static str, &'static str) {
        match self {
            Division::Municipality => ("municipality_code", "municipality"),
            Division::County => ("county_code", "county"),
        }
    }

    /// The run's and the batch's summary file: `municipalities.csv` or `counties.csv`.
    pub fn file(self) -> &'static str {
        match self {
            Division::Municipality => FILE,
            Division::County => COUNTY_FILE,
        }
    }

    /// The chart's file stem: `map` or `county_map`.
    pub fn chart(self) -> &'static str {
        match self {
            Division::Municipality => "map",
            Division::County => "county_map",
        }
    }
}

/// One municipality (or county) on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Knew {
    /// SCB code, e.g. "0127" (a county: "01").
    pub code: String,
    /// Its name in the outline data (`kom_namn`; a county's `name`).
    pub name: String,
    /// Ids of the organisations carrying the code, in file order.
    pub orgs: Vec<String>,
    /// Whether any of them has a unit at the coordinating level.
    pub has_unit: bool,
    /// When the first of those units came to know the key fact.
    pub known: Option<SimTime>,
}

/// Municipality (or county) times of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct MapRun {
    /// What the times are of.
    pub division: Division,
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
    coded_by(model, Division::Municipality)
}

/// The codes of `division` carried by the model's organisations, sorted, each with its
/// organisations (indices). Empty: the scenario draws no such map.
pub fn coded_by(model: &Model, division: Division) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, o) in model.orgs.iter().enumerate() {
        let Some(code) = division.code_of(o) else { continue };
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
    of_run_by(r, Division::Municipality)
}

/// The maps of a run: one per division some organisation carries a code of.
pub fn maps_of_run(r: &RunRecord) -> Vec<MapRun> {
    Division::ALL.into_iter().filter_map(|d| of_run_by(r, d)).collect()
}

/// The times of `division` in a run; `None` when no organisation carries such a code.
pub fn of_run_by(r: &RunRecord, division: Division) -> Option<MapRun> {
    let model = &r.model;
    let coded = coded_by(model, division);
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
            let name = division.name_of(&code).unwrap_or_default();
            Knew { code, name, orgs: orgs.iter().map(|o| model.orgs[*o].id.clone()).collect(), has_unit, known }
        })
        .collect();
    let (fact, origin) = key.map(|k| (r.facts[k].id.clone(), r.facts[k].origin_time)).unwrap_or_default();
    Some(MapRun { division, fact, origin, rows })
}

/// The run file's name.
pub const FILE: &str = "municipalities.csv";
/// The county map's run (and batch) file.
pub const COUNTY_FILE: &str = "counties.csv";

/// `municipalities.csv` (or `counties.csv`) of a run (docs/outputs.md#municipalitiescsv).
pub fn table(m: &MapRun, d: CsvDialect) -> Table {
    let (code, name) = m.division.columns();
    let mut t =
        Table::in_dialect(d, &[code, name, "organisations", "fact", "origin_min", "known_min", "delay_min", "status"]);
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
/// `municipalities.csv` or `counties.csv` and only when the scenario gives
/// `[scenario] location`.
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

/// Writes a run's `municipalities.csv` and `counties.csv` when an organisation carries
/// such a code, and `location.json` beside either; removes any left from an earlier run
/// that this one does not write.
pub fn write_run(dir: &std::path::Path, r: &RunRecord, d: CsvDialect) -> Result<(), crate::output::OutputError> {
    let maps = maps_of_run(r);
    for division in Division::ALL {
        match maps.iter().find(|m| m.division == division) {
            Some(m) => table(m, d).write(&dir.join(division.file()))?,
            None => remove(&dir.join(division.file()))?,
        }
    }
    match &r.model.location {
        Some(l) if !maps.is_empty() => crate::output::write_atomic(&dir.join(LOCATION_FILE), &location_json(l)),
        _ => remove(&dir.join(LOCATION_FILE)),
    }
}

fn remove(path: &std::path::Path) -> Result<(), crate::output::OutputError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(crate::output::OutputError::io(path, e)),
        _ => Ok(()),
    }
}
