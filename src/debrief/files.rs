//! The files of a debrief (documented column by column in docs/debrief.md):
//! `debrief.csv` (one row per observation), `levels.csv`, `objectives.csv`, `hops.csv`,
//! `whatif.csv` and `debrief.json` (how the runs were made, and the verdicts counted).
//! Numbers are written as in the other CSV files (`output::num`: at most 4 decimals),
//! in either CSV dialect.

use super::{Debrief, DelayPart, Imposed, Rating, Verdict};
use crate::model::{Model, UnitIdx};
use crate::output::{CsvDialect, OutputError, Table, num, opt, write_atomic};
use std::path::{Path, PathBuf};

pub const DEBRIEF_CSV: &str = "debrief.csv";
pub const LEVELS_CSV: &str = "levels.csv";
pub const OBJECTIVES_CSV: &str = "objectives.csv";
pub const HOPS_CSV: &str = "hops.csv";
pub const WHATIF_CSV: &str = "whatif.csv";
pub const DEBRIEF_JSON: &str = "debrief.json";

/// Every file [`write()`] writes, in order (debrief.json last).
pub const FILES: &[&str] = &[DEBRIEF_CSV, LEVELS_CSV, OBJECTIVES_CSV, HOPS_CSV, WHATIF_CSV, DEBRIEF_JSON];

/// The columns of debrief.csv.
pub const DEBRIEF_COLUMNS: &[&str] = &[
    "row",
    "time",
    "unit",
    "unit_name",
    "event",
    "fact",
    "from",
    "to",
    "observed_min",
    "sim_runs",
    "sim_happened",
    "sim_p10_min",
    "sim_median_min",
    "sim_p90_min",
    "sim_mean_min",
    "percentile",
    "verdict",
    "reason",
    "observer",
    "note",
];

/// Writes every debrief file into `dir` (which must exist); returns their paths.
pub fn write(dir: &Path, d: &Debrief, model: &Model, dialect: CsvDialect) -> Result<Vec<PathBuf>, OutputError> {
    let tables = [
        (DEBRIEF_CSV, observations(d, model, dialect)),
        (LEVELS_CSV, levels(d, dialect)),
        (OBJECTIVES_CSV, objectives(d, dialect)),
        (HOPS_CSV, hops(d, model, dialect)),
        (WHATIF_CSV, what_ifs(d, model, dialect)),
    ];
    let mut out = vec![];
    for (name, table) in tables {
        let path = dir.join(name);
        table.write(&path)?;
        out.push(path);
    }
    let path = dir.join(DEBRIEF_JSON);
    let mut json = serde_json::to_vec_pretty(&summary(d)).map_err(|e| OutputError::io(&path, e))?;
    json.push(b'\n');
    write_atomic(&path, &json)?;
    out.push(path);
    Ok(out)
}

/// "Fri 2017-04-07 15:08": the local clock time `t` ms after the start.
pub fn clock(model: &Model, t: i64) -> String {
    let at = model.start.plus(t);
    let s = at.to_string();
    let day = at.weekday_name();
    let mut name = day[..1].to_uppercase();
    name.push_str(&day[1..]);
    format!("{name} {} {}", &s[..10], &s[11..16])
}

fn unit_id(model: &Model, u: Option<UnitIdx>) -> String {
    u.and_then(|u| model.units.get(u as usize)).map(|u| u.id.clone()).unwrap_or_default()
}

/// The `fact` column: a fact id or a conference id.
fn subject(model: &Model, s: &Option<super::Subject>) -> String {
    match s {
        Some(super::Subject::Fact(f)) => f.clone(),
        Some(super::Subject::Conference(c)) => {
            model.conferences.get(*c as usize).map(|c| c.id.clone()).unwrap_or_default()
        }
        None => String::new(),
    }
}

fn observations(d: &Debrief, model: &Model, dialect: CsvDialect) -> Table {
    let mut t = Table::in_dialect(dialect, DEBRIEF_COLUMNS);
    for p in &d.placed {
        let o = &p.observation;
        let s = &p.spread;
        t.row([
            o.row.to_string(),
            clock(model, o.time),
            unit_id(model, Some(o.unit)),
            model.units.get(o.unit as usize).map(|u| u.name.to_string()).unwrap_or_default(),
            o.event.name().to_string(),
            subject(model, &o.subject),
            unit_id(model, o.from),
            unit_id(model, o.to),
            num(p.observed_min),
            s.runs.to_string(),
            s.happened.to_string(),
            opt(s.p10),
            opt(s.median),
            opt(s.p90),
            opt(s.mean),
            opt(p.percentile),
            p.verdict.name().to_string(),
            p.reason.clone(),
            o.observer.clone(),
            o.note.clone(),
        ]);
    }
    t
}

fn share(happened: usize, runs: usize) -> String {
    if runs == 0 { String::new() } else { num(happened as f64 / runs as f64) }
}

fn levels(d: &Debrief, dialect: CsvDialect) -> Table {
    let header = [
        "fact",
        "level",
        "units",
        "observed_units",
        "observed_first_min",
        "observed_all_min",
        "sim_first_p10_min",
        "sim_first_median_min",
        "sim_first_p90_min",
        "sim_first_share",
        "sim_all_p10_min",
        "sim_all_median_min",
        "sim_all_p90_min",
        "sim_all_share",
    ];
    let mut t = Table::in_dialect(dialect, &header);
    for l in &d.levels {
        let (f, a) = (&l.sim_first, &l.sim_all);
        t.row([
            l.fact.clone(),
            l.level.name().to_string(),
            l.units.to_string(),
            l.observed_units.to_string(),
            opt(l.observed_first_min),
            opt(l.observed_all_min),
            opt(f.p10),
            opt(f.median),
            opt(f.p90),
            share(f.happened, f.runs),
            opt(a.p10),
            opt(a.median),
            opt(a.p90),
            share(a.happened, a.runs),
        ]);
    }
    t
}

/// P, S, M, U or not_observed.
pub fn rating_code(r: Rating) -> &'static str {
    match r {
        Rating::WithoutChallenges => "P",
        Rating::SomeChallenges => "S",
        Rating::MajorChallenges => "M",
        Rating::Unable => "U",
        Rating::NotObserved => "not_observed",
    }
}

fn objectives(d: &Debrief, dialect: CsvDialect) -> Table {
    let header = [
        "id",
        "description",
        "measure",
        "limit",
        "observed",
        "met",
        "rating",
        "model_probability",
        "model_low",
        "model_high",
        "model_median",
        "rows",
        "explanation",
    ];
    let mut t = Table::in_dialect(dialect, &header);
    for o in &d.objectives {
        let rows: Vec<String> = o.rows.iter().map(|r| r.to_string()).collect();
        t.row([
            o.id.clone(),
            o.description.clone(),
            o.measure.clone(),
            num(o.limit),
            opt(o.observed),
            o.met.map(|m| if m { "yes" } else { "no" }).unwrap_or_default().to_string(),
            rating_code(o.rating).to_string(),
            num(o.model_probability),
            num(o.model_interval.0),
            num(o.model_interval.1),
            opt(o.model_median),
            rows.join(" "),
            o.explanation.clone(),
        ]);
    }
    t
}

fn hops(d: &Debrief, model: &Model, dialect: CsvDialect) -> Table {
    let mut header: Vec<String> = ["fact", "from", "to", "rows"].map(String::from).to_vec();
    header.extend(["observed_transit_min", "observed_at_unit_min", "observed_before_send_min"].map(String::from));
    header.extend(DelayPart::ALL.map(|p| format!("model_{}_min", p.name())));
    header.extend(["model_at_unit_min", "model_runs"].map(String::from));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::in_dialect(dialect, &header);
    for h in &d.hops {
        let rows: Vec<String> = h.rows.iter().map(|r| r.to_string()).collect();
        let mut f = vec![h.fact.clone(), unit_id(model, Some(h.from)), unit_id(model, Some(h.to)), rows.join(" ")];
        f.push(opt(h.observed[DelayPart::Transit as usize]));
        f.push(opt(h.observed_at_unit));
        f.push(opt(h.observed[DelayPart::MeetingWait as usize]));
        f.extend(h.model_mean.iter().map(|v| opt(*v)));
        f.push(opt(h.model_at_unit_mean));
        f.push(h.model_runs.to_string());
        t.row(f);
    }
    t
}

/// What was imposed, in words for the `imposed` column.
fn imposed(model: &Model, i: &Imposed) -> String {
    match i {
        Imposed::FirstSession { conference, observed_min, .. } => {
            let id = model.conferences.get(*conference as usize).map(|c| c.id.as_str()).unwrap_or("?");
            format!("first session of {id} at {} min", num(*observed_min))
        }
        Imposed::SlowerUnit { unit, factor } => {
            format!("{} processing ×{}", unit_id(model, Some(*unit)), num(*factor))
        }
    }
}

fn what_ifs(d: &Debrief, model: &Model, dialect: CsvDialect) -> Table {
    let header = [
        "imposed",
        "rows",
        "achieved_median_min",
        "measure",
        "base_mean",
        "imposed_mean",
        "difference",
        "low",
        "high",
        "pairs",
    ];
    let mut t = Table::in_dialect(dialect, &header);
    for w in &d.what_ifs {
        let rows: Vec<String> = w.rows.iter().map(|r| r.to_string()).collect();
        for e in &w.effects {
            t.row([
                imposed(model, &w.imposed),
                rows.join(" "),
                opt(w.achieved_median_min),
                e.measure.clone(),
                num(e.base_mean),
                num(e.imposed_mean),
                num(e.difference),
                num(e.interval.0),
                num(e.interval.1),
                e.pairs.to_string(),
            ]);
        }
    }
    t
}

/// debrief.json: how the runs were made and the verdicts counted.
fn summary(d: &Debrief) -> serde_json::Value {
    let b = &d.batch;
    let verdicts: serde_json::Map<String, serde_json::Value> =
        [Verdict::Faster, Verdict::AsExpected, Verdict::Slower, Verdict::NeverInModel, Verdict::NotComparable]
            .into_iter()
            .map(|v| (v.name().to_string(), d.placed.iter().filter(|p| p.verdict == v).count().into()))
            .collect();
    serde_json::json!({
        "tool": "samverkan",
        "tool_version": env!("CARGO_PKG_VERSION"),
        "scenario": b.scenario,
        "scenario_file": b.scenario_file,
        "scenario_hash": b.scenario_hash,
        "variant": b.variant,
        "master_seed": b.master_seed,
        "runs": b.runs,
        "from_batch": b.from_batch,
        "log": d.log.file,
        "observations": d.placed.len(),
        "verdicts": verdicts,
        "levels": d.levels.len(),
        "objectives": d.objectives.len(),
        "hops": d.hops.len(),
        "what_ifs": d.what_ifs.len(),
    })
}
