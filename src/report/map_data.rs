//! What the map charts and their tables show, read back from a results folder: a run's
//! `municipalities.csv` (the time each municipality's coordinating unit knew the key
//! fact) or a batch's (median, p10 and p90 over runs, and the share of runs that knew),
//! the same per county in `counties.csv` (the county map), and `location.json` (the
//! incident's place). Also the maps' words in English and Swedish and the clock times
//! beside minutes.

use super::ReportError;
use super::i18n::Labels;
use super::table::CsvTable;
use crate::geo::knowing::{Division, LOCATION_FILE};
use std::path::Path;

/// One municipality with an organisation on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    pub code: String,
    pub name: String,
    /// Minutes from the scenario start (a batch: the median over runs); `None`: never
    /// (or no coordinating unit, see `no_unit`).
    pub minutes: Option<f64>,
    pub no_unit: bool,
    /// A batch: p10 and p90 (`None`: never) and the share of runs that knew.
    pub spread: Option<(Option<f64>, Option<f64>, f64, u64)>,
}

/// Everything the map draws.
#[derive(Clone, Debug, PartialEq)]
pub struct MapData {
    /// Municipalities (`municipalities.csv`) or counties (`counties.csv`).
    pub division: Division,
    /// The key fact's id.
    pub fact: String,
    pub areas: Vec<Area>,
    /// (lat, lon, name).
    pub location: Option<(f64, f64, String)>,
    /// The place's Swedish name (`location.json`'s `name_sv`), when the scenario gives one.
    pub location_sv: Option<String>,
    /// The simulated start (`2017-04-07T14:53:00`), for clock times.
    pub start: String,
    /// A batch's runs per point and variant (`None`: one run).
    pub runs: Option<u64>,
}

/// Columns of a batch's `municipalities.csv` (or `counties.csv`, [`batch_columns`]).
pub const BATCH_COLUMNS: [&str; 10] = [
    "point",
    "variant",
    "municipality_code",
    "municipality",
    "fact",
    "runs",
    "known_share",
    "p10_min",
    "median_min",
    "p90_min",
];

/// Columns of a batch's summary file of `division`: [`BATCH_COLUMNS`], for counties with
/// `county_code` and `county`.
pub fn batch_columns(division: Division) -> [&'static str; 10] {
    let mut c = BATCH_COLUMNS;
    (c[2], c[3]) = division.columns();
    c
}

/// A run folder's map data; `None` when the run wrote no `municipalities.csv` (no
/// organisation carries a municipality code).
pub fn read_run(dir: &Path, start: &str) -> Result<Option<MapData>, ReportError> {
    read_run_of(dir, start, Division::Municipality)
}

/// [`read_run`] for `division` (`counties.csv` for the county map).
pub fn read_run_of(dir: &Path, start: &str, division: Division) -> Result<Option<MapData>, ReportError> {
    let path = dir.join(division.file());
    if !path.is_file() {
        return Ok(None);
    }
    let t = CsvTable::read(&path)?;
    let (code_col, name_col) = division.columns();
    let (code, name, fact, known, status) =
        (t.col(code_col)?, t.col(name_col)?, t.col("fact")?, t.col("known_min")?, t.col("status")?);
    let mut areas = Vec::new();
    for r in 0..t.len() {
        areas.push(Area {
            code: t.str(r, code).to_string(),
            name: t.str(r, name).to_string(),
            minutes: t.opt_num(r, known)?,
            no_unit: t.str(r, status) == "no_unit",
            spread: None,
        });
    }
    let fact = if t.is_empty() { String::new() } else { t.str(0, fact).to_string() };
    let location = read_location(dir)?;
    let location_sv = location_sv(dir);
    Ok(Some(MapData { division, fact, areas, location, location_sv, start: start.to_string(), runs: None }))
}

/// A batch folder's map data for one design point and variant; `None` without a
/// `municipalities.csv` or without rows for them.
pub fn read_batch(dir: &Path, point: usize, variant: &str, start: &str) -> Result<Option<MapData>, ReportError> {
    read_batch_of(dir, (point, variant), start, Division::Municipality)
}

/// [`read_batch`] for `division` (`counties.csv` for the county map).
pub fn read_batch_of(
    dir: &Path,
    (point, variant): (usize, &str),
    start: &str,
    division: Division,
) -> Result<Option<MapData>, ReportError> {
    let path = dir.join(division.file());
    if !path.is_file() {
        return Ok(None);
    }
    let t = CsvTable::read(&path)?;
    let c = batch_columns(division).map(|n| t.col(n));
    let [p, v, code, name, fact, runs, share, p10, median, p90] = c;
    let (p, v, code, name, fact) = (p?, v?, code?, name?, fact?);
    let (runs, share, p10, median, p90) = (runs?, share?, p10?, median?, p90?);
    let mut areas = Vec::new();
    let mut fact_id = String::new();
    let mut n = 0;
    for r in (0..t.len()).filter(|r| t.str(*r, v) == variant && t.str(*r, p) == point.to_string()) {
        fact_id = t.str(r, fact).to_string();
        n = t.num(r, runs)? as u64;
        areas.push(Area {
            code: t.str(r, code).to_string(),
            name: t.str(r, name).to_string(),
            minutes: t.opt_num(r, median)?,
            no_unit: false,
            spread: Some((t.opt_num(r, p10)?, t.opt_num(r, p90)?, t.num(r, share)?, n)),
        });
    }
    if areas.is_empty() {
        return Ok(None);
    }
    let (location, location_sv) = (read_location(dir)?, location_sv(dir));
    let start = start.to_string();
    Ok(Some(MapData { division, fact: fact_id, areas, location, location_sv, start, runs: Some(n) }))
}

/// `name_sv` of `location.json`, if any (read after [`read_location`] accepted the file).
fn location_sv(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(LOCATION_FILE)).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["name_sv"].as_str().map(String::from)
}

fn read_location(dir: &Path) -> Result<Option<(f64, f64, String)>, ReportError> {
    let path = dir.join(LOCATION_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| ReportError::read(&path, e))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| ReportError::read(&path, e))?;
    let (Some(lat), Some(lon)) = (v["lat"].as_f64(), v["lon"].as_f64()) else {
        return Err(ReportError::read(&path, "needs numbers `lat` and `lon`"));
    };
    Ok(Some((lat, lon, v["name"].as_str().unwrap_or_default().to_string())))
}

/// "Fri 15:10": the scenario's local clock `min` minutes after `start` (empty when
/// the start cannot be read).
pub fn clock(t: &Labels, start: &str, min: f64) -> String {
    let Ok(s) = crate::time::LocalDateTime::parse(start) else { return String::new() };
    let at = s.plus((min * crate::time::MINUTE as f64).round() as i64);
    let text = at.to_string();
    format!("{} {}", t.weekdays[at.weekday()], text.get(11..16).unwrap_or(""))
}

/// A number with one decimal at most, with a decimal comma in Swedish.
pub fn dec(v: f64, t: &Labels) -> String {
    let s = if (v - v.round()).abs() < 0.05 { format!("{v:.0}") } else { format!("{v:.1}") };
    if t.code == "sv" { s.replace('.', ",") } else { s }
}

/// The map's words in one language.
pub struct MapLabels {
    pub title: &'static str,
    /// "{fact}", then "one run" or "median over {n} runs".
    pub sub_run: &'static str,
    pub sub_batch: &'static str,
    pub scale_run: &'static str,
    pub scale_batch: &'static str,
    pub never: &'static str,
    pub no_org: &'static str,
    pub incident: &'static str,
    pub caption: &'static str,
    /// The caption's last sentence, only when the scenario gives the incident's place.
    pub dot: &'static str,
    pub table_note_run: &'static str,
    pub table_note_batch: &'static str,
    pub municipality: &'static str,
    pub code: &'static str,
    pub time: &'static str,
    pub clock: &'static str,
    pub median: &'static str,
    pub p10_p90: &'static str,
    pub knew: &'static str,
    pub no_unit: &'static str,
    pub file_note: &'static str,
    pub location_note: &'static str,
}

pub static EN: MapLabels = MapLabels {
    title: "Map: when each municipality knew the first key fact",
    sub_run: "Key fact: {}. Time its coordinating unit (the first of them) came to know it; one run",
    sub_batch: "Key fact: {}. Time its coordinating unit (the first of them) came to know it; median over {} runs",
    scale_run: "Minutes from start · clock",
    scale_batch: "Median minutes · clock",
    never: "never / no unit",
    no_org: "no organisation in the scenario",
    incident: "incident",
    caption: "Each municipality of the county is coloured by when its coordinating unit (the municipality's duty officer or staff; the first of them if there are several) came to know the first key fact, the fact with the earliest origin in the information timeline. Light is early, dark is late; grey: never within the scenario, or no coordinating unit. A batch shows the median over runs, counting a run in which the unit never knew as later than every time (so the median is 'never' when half the runs or more never knew). Municipalities without an organisation in the scenario are outlined only.",
    dot: "The dot marks the incident.",
    table_note_run: "Minutes from the scenario start, and the scenario's local clock.",
    table_note_batch: "Over the runs of the base variant: median with the 10th and 90th percentiles (type 7; a run in which the unit never knew counts as later than every time, so a percentile is 'never' when that share of runs or more never knew), and the share of runs in which the unit knew.",
    municipality: "Municipality",
    code: "Code",
    time: "Minutes",
    clock: "Clock",
    median: "Median (min)",
    p10_p90: "p10–p90 (min)",
    knew: "Runs that knew",
    no_unit: "no coordinating unit",
    file_note: "per municipality on the map: when its coordinating unit knew the first key fact (minutes)",
    location_note: "the incident's place marked on the map (degrees, WGS 84)",
};

pub static SV: MapLabels = MapLabels {
    title: "Karta: när varje kommun kände till den första nyckelhändelsen",
    sub_run: "Nyckelhändelse: {}. När kommunens samordnande enhet (den första av dem) fick veta; en körning",
    sub_batch: "Nyckelhändelse: {}. När kommunens samordnande enhet (den första av dem) fick veta; median av {} körningar",
    scale_run: "Minuter från start · klocka",
    scale_batch: "Median, minuter · klocka",
    never: "aldrig / ingen enhet",
    no_org: "ingen organisation i scenariot",
    incident: "händelse",
    caption: "Varje kommun i länet är färgad efter när dess samordnande enhet (kommunens tjänsteman i beredskap eller stab; den första av dem om de är flera) fick veta den första nyckelhändelsen, den med tidigast ursprung i informationens tidslinje. Ljust är tidigt, mörkt är sent; grått: aldrig under scenariot, eller ingen samordnande enhet. En körningsserie visar medianen av körningarna, där en körning då enheten aldrig fick veta räknas som senare än alla tider (medianen är alltså 'aldrig' när minst hälften av körningarna aldrig fick veta). Kommuner utan organisation i scenariot är bara konturer.",
    dot: "Punkten markerar händelsen.",
    table_note_run: "Minuter från scenariots start, och scenariots lokala klocka.",
    table_note_batch: "Över grundscenariots körningar: median med 10:e och 90:e percentilen (typ 7; en körning då enheten aldrig fick veta räknas som senare än alla tider, så en percentil är 'aldrig' när minst den andelen körningar aldrig fick veta), och andelen körningar då enheten fick veta.",
    municipality: "Kommun",
    code: "Kod",
    time: "Minuter",
    clock: "Klocka",
    median: "Median (min)",
    p10_p90: "p10–p90 (min)",
    knew: "Körningar som fick veta",
    no_unit: "ingen samordnande enhet",
    file_note: "per kommun på kartan: när dess samordnande enhet fick veta den första nyckelhändelsen (minuter)",
    location_note: "händelsens plats på kartan (grader, WGS 84)",
};

/// The municipality map's words for the language of `t`.
pub fn labels(t: &Labels) -> &'static MapLabels {
    if t.code == "sv" { &SV } else { &EN }
}

/// The words of the map of `division` for the language of `t`.
pub fn labels_for(t: &Labels, division: Division) -> &'static MapLabels {
    match (division, t.code == "sv") {
        (Division::Municipality, _) => labels(t),
        (Division::County, false) => &super::map_county::EN,
        (Division::County, true) => &super::map_county::SV,
    }
}
