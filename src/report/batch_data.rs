//! The files of one batch folder, read back into typed rows for the charts and the
//! report: stats.csv, objectives.csv, compare.csv, runs.csv and manifest.json. The
//! swept parameters are the columns between `point` and `variant`.
//!
//! What objectives ask and their limits are not in the batch tables; they come from
//! optional `description` and `limit` columns of objectives.csv when present, else from
//! the folder's `scenario.toml` (the copy of the scenario the batch ran; refused when
//! its hash is not the manifest's), else, for a folder written before copies were
//! kept, from the scenario file named in manifest.json when it still has the batch's
//! hash.

use super::ReportError;
use super::files::batch as f;
use super::table::CsvTable;
use crate::batch::scenario_copy;
use crate::scenario::Source;
use serde::Deserialize;
use std::path::Path;

/// manifest.json (the fields the report shows).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Manifest {
    pub tool_version: String,
    pub scenario_file: String,
    pub command_line: Vec<String>,
    pub shard: Option<String>,
    pub status: String,
    pub runs_ok: u64,
    pub runs_failed: u64,
    pub started: String,
    pub finished: Option<String>,
    pub plan: Plan,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Plan {
    pub scenario: String,
    pub scenario_hash: String,
    pub master_seed: u64,
    pub runs: u64,
    pub variants: Vec<String>,
    pub paths: Vec<String>,
    pub objectives: Vec<String>,
}

/// A 95 % interval (low, high), when there is one.
pub type Interval = Option<(f64, f64)>;

/// Where a row belongs: its design point and the point's parameter values.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub point: usize,
    pub params: Vec<String>,
    pub variant: String,
}

/// One (point, variant, measure) row of stats.csv.
#[derive(Clone, Debug)]
pub struct Stat {
    pub key: Key,
    pub measure: String,
    pub n: f64,
    pub mean: Option<f64>,
    /// p5, p25, p50, p75, p95.
    pub box5: Option<[f64; 5]>,
    pub ci: Option<(f64, f64)>,
}

/// One (point, variant, objective) row of objectives.csv.
#[derive(Clone, Debug)]
pub struct ObjectiveShare {
    pub key: Key,
    pub objective: String,
    pub runs: f64,
    pub met: f64,
    pub share: Option<f64>,
    pub ci: Option<(f64, f64)>,
}

/// One (point, variant, measure) row of compare.csv: variant minus base.
#[derive(Clone, Debug)]
pub struct Difference {
    pub key: Key,
    pub measure: String,
    pub base_mean: Option<f64>,
    pub diff: Option<f64>,
    pub ci: Option<(f64, f64)>,
}

/// One row of runs.csv (what the report needs of it).
#[derive(Clone, Debug)]
pub struct RunRow {
    pub key: Key,
    pub seed: u64,
    pub ok: bool,
    /// Per objective of [`BatchData::objective_ids`]: its measured value.
    pub objective_values: Vec<Option<f64>>,
}

/// What an objective asks, when known.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectiveInfo {
    pub description: String,
    pub limit: Option<f64>,
    /// "min" for times, "" for counts.
    pub unit: String,
}

#[derive(Clone, Debug, Default)]
pub struct BatchData {
    pub manifest: Manifest,
    pub paths: Vec<String>,
    /// Variants in file order, the base first.
    pub variants: Vec<String>,
    pub stats: Vec<Stat>,
    pub objectives: Vec<ObjectiveShare>,
    pub compare: Vec<Difference>,
    pub runs: Vec<RunRow>,
    pub objective_ids: Vec<String>,
    /// Per objective id (same order), what it asks, if known.
    pub objective_info: Vec<ObjectiveInfo>,
    /// The simulated start per variant (from the scenario), if known.
    pub starts: Vec<(String, String)>,
    /// The rows of `sensitivity.csv`, when the folder has one (a Sobol or Morris design).
    pub sensitivity: Option<Vec<super::sensitivity::IndexRow>>,
    /// What the report calls each variant (by id), set by [`super::names::relabel_batch`].
    pub variant_labels: std::collections::HashMap<String, String>,
    /// The scenario's name in the report's language, when known.
    pub scenario_name: Option<String>,
}

impl BatchData {
    pub fn read(dir: &Path) -> Result<BatchData, ReportError> {
        let manifest = read_manifest(&dir.join(f::MANIFEST))?;
        let stats_t = CsvTable::read(&dir.join(f::STATS))?;
        let paths = param_columns(&stats_t);
        let runs_t = CsvTable::read(&dir.join(f::RUNS))?;
        let objectives_t = CsvTable::read(&dir.join(f::OBJECTIVES))?;
        let objective_ids = objective_ids(&runs_t);
        let mut d = BatchData {
            stats: stats(&stats_t, &paths)?,
            objectives: objective_shares(&objectives_t, &paths)?,
            compare: differences(&CsvTable::read(&dir.join(f::COMPARE))?, &paths)?,
            runs: runs(&runs_t, &paths, &objective_ids)?,
            objective_info: objective_info_from_csv(&objectives_t, &objective_ids)?,
            objective_ids,
            paths,
            manifest,
            sensitivity: super::sensitivity::read(dir)?,
            ..BatchData::default()
        };
        // The manifest's order (base first), then any other variant the files name.
        let named = d.manifest.plan.variants.iter();
        let in_files = d.stats.iter().map(|s| &s.key.variant).chain(d.runs.iter().map(|r| &r.key.variant));
        let in_files =
            in_files.chain(d.objectives.iter().map(|o| &o.key.variant)).chain(d.compare.iter().map(|c| &c.key.variant));
        for k in named.chain(in_files) {
            if !d.variants.contains(k) {
                d.variants.push(k.clone());
            }
        }
        let copy = scenario_copy::read(dir, &d.manifest.plan.scenario_hash)
            .map_err(|e| ReportError::read(&dir.join(scenario_copy::FILE), e))?;
        d.add_scenario_info(copy);
        Ok(d)
    }

    /// What the report calls `variant`: its name in the report's language (the base:
    /// the word for the base scenario), else its id.
    pub fn variant_label(&self, variant: &str) -> String {
        self.variant_labels.get(variant).cloned().unwrap_or_else(|| variant.to_string())
    }

    pub fn is_base(variant: &str) -> bool {
        f::BASE_NAMES.contains(&variant)
    }

    /// The base's name as the files write it.
    pub fn base(&self) -> &str {
        self.variants.iter().find(|v| Self::is_base(v)).or(self.variants.first()).map_or("base", |v| v.as_str())
    }

    /// Rows of the first design point only (the one the per-variant charts show).
    pub fn first_point(&self) -> usize {
        self.stats.iter().map(|s| s.key.point).min().unwrap_or(0)
    }

    pub fn stat(&self, point: usize, variant: &str, measure: &str) -> Option<&Stat> {
        self.stats.iter().find(|s| s.key.point == point && s.key.variant == variant && s.measure == measure)
    }

    pub fn info(&self, objective: &str) -> ObjectiveInfo {
        let i = self.objective_ids.iter().position(|o| o == objective);
        i.and_then(|i| self.objective_info.get(i)).cloned().unwrap_or_default()
    }

    /// Starts, and descriptions and limits when objectives.csv has none, from `copy` (the
    /// folder's scenario.toml), else from the scenario file the batch ran, when it is
    /// still there and unchanged.
    fn add_scenario_info(&mut self, copy: Option<Source>) {
        let named = || Source::read(Path::new(&self.manifest.scenario_file)).ok();
        let Some(source) = copy.or_else(named) else { return };
        let Ok(base) = crate::scenario::build(&source, None, &[]) else { return };
        if base.hash != self.manifest.plan.scenario_hash {
            return;
        }
        if self.objective_info.iter().any(|i| i.limit.is_some()) {
            self.add_starts(&source, &base);
            return;
        }
        self.objective_info = self
            .objective_ids
            .iter()
            .map(|id| match base.objectives.iter().find(|o| &o.id == id) {
                Some(o) => ObjectiveInfo {
                    description: o.description.to_string(),
                    limit: o.within.map(crate::time::minutes).or(o.max),
                    unit: if o.within.is_some()
                        || o.measure.name().contains("wait")
                        || o.measure.name().contains("minutes")
                    {
                        "min".into()
                    } else {
                        String::new()
                    },
                },
                None => ObjectiveInfo::default(),
            })
            .collect();
        self.add_starts(&source, &base);
    }

    /// The simulated start of each variant.
    fn add_starts(&mut self, source: &Source, base: &crate::model::Model) {
        for v in &self.variants {
            let start = if Self::is_base(v) {
                Some(base.start)
            } else {
                crate::scenario::build(source, Some(v), &[]).ok().map(|m| m.start)
            };
            if let Some(s) = start {
                self.starts.push((v.clone(), s.to_string()));
            }
        }
    }
}

fn read_manifest(path: &Path) -> Result<Manifest, ReportError> {
    if !path.is_file() {
        return Err(ReportError::Missing(path.display().to_string()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| ReportError::read(path, e))?;
    serde_json::from_str(&text).map_err(|e| ReportError::Bad {
        path: path.display().to_string(),
        line: e.line() as u64,
        reason: e.to_string(),
    })
}

/// The parameter columns: those between `point` and `variant` (design paths, sweeps).
fn param_columns(t: &CsvTable) -> Vec<String> {
    let h = t.header();
    let (Some(p), Some(v)) = (h.iter().position(|c| c == f::POINT), h.iter().position(|c| c == f::VARIANT)) else {
        return Vec::new();
    };
    if v > p { h[p + 1..v].to_vec() } else { Vec::new() }
}

fn key(t: &CsvTable, r: usize, paths: &[String]) -> Result<Key, ReportError> {
    let p = t.col(f::POINT)?;
    let point = t.num(r, p)?;
    let mut params = Vec::with_capacity(paths.len());
    for path in paths {
        params.push(t.str(r, t.col(path)?).to_string());
    }
    Ok(Key { point: point as usize, params, variant: t.str(r, t.col(f::VARIANT)?).to_string() })
}

fn pair(t: &CsvTable, r: usize, a: usize, b: usize) -> Result<Option<(f64, f64)>, ReportError> {
    Ok(t.opt_num(r, a)?.zip(t.opt_num(r, b)?))
}

fn stats(t: &CsvTable, paths: &[String]) -> Result<Vec<Stat>, ReportError> {
    use f::stats as c;
    let measure = t.col(f::MEASURE)?;
    let (n, mean, lo, hi) = (t.col(c::N)?, t.col(c::MEAN)?, t.col(c::CI_LOW)?, t.col(c::CI_HIGH)?);
    let q: Vec<usize> = [c::P5, c::P25, c::P50, c::P75, c::P95].iter().map(|q| t.col(q)).collect::<Result<_, _>>()?;
    (0..t.len())
        .map(|r| {
            let mut b = [0.0; 5];
            let mut complete = true;
            for (i, col) in q.iter().enumerate() {
                match t.opt_num(r, *col)? {
                    Some(v) => b[i] = v,
                    None => complete = false,
                }
            }
            Ok(Stat {
                key: key(t, r, paths)?,
                measure: t.str(r, measure).to_string(),
                n: t.opt_num(r, n)?.unwrap_or(0.0),
                mean: t.opt_num(r, mean)?,
                box5: complete.then_some(b),
                ci: pair(t, r, lo, hi)?,
            })
        })
        .collect()
}

fn objective_shares(t: &CsvTable, paths: &[String]) -> Result<Vec<ObjectiveShare>, ReportError> {
    use f::objectives as c;
    let id = t.col(f::OBJECTIVE)?;
    let (runs, met, share, lo, hi) =
        (t.col(c::RUNS)?, t.col(c::MET)?, t.col(c::SHARE)?, t.col(c::CI_LOW)?, t.col(c::CI_HIGH)?);
    (0..t.len())
        .map(|r| {
            Ok(ObjectiveShare {
                key: key(t, r, paths)?,
                objective: t.str(r, id).to_string(),
                runs: t.opt_num(r, runs)?.unwrap_or(0.0),
                met: t.opt_num(r, met)?.unwrap_or(0.0),
                share: t.opt_num(r, share)?,
                ci: pair(t, r, lo, hi)?,
            })
        })
        .collect()
}

/// `description` and `limit` columns of objectives.csv, when the batch writes them.
fn objective_info_from_csv(t: &CsvTable, ids: &[String]) -> Result<Vec<ObjectiveInfo>, ReportError> {
    use f::objectives as c;
    let mut info = vec![ObjectiveInfo::default(); ids.len()];
    if !t.has(c::LIMIT) {
        return Ok(info);
    }
    let (id, limit) = (t.col(f::OBJECTIVE)?, t.col(c::LIMIT)?);
    let desc = t.has(c::DESCRIPTION).then(|| t.col(c::DESCRIPTION)).transpose()?;
    for r in 0..t.len() {
        if let Some(i) = ids.iter().position(|o| o == t.str(r, id)) {
            info[i].limit = t.opt_num(r, limit)?;
            if let Some(d) = desc {
                info[i].description = t.str(r, d).to_string();
            }
        }
    }
    Ok(info)
}

fn differences(t: &CsvTable, paths: &[String]) -> Result<Vec<Difference>, ReportError> {
    use f::compare as c;
    let any = |names: &[&str]| names.iter().find(|n| t.has(n)).map(|n| t.col(n)).transpose();
    let diff = any(c::DIFF)?.ok_or_else(|| t.missing(c::DIFF[0]))?;
    let base = any(c::BASE_MEAN)?;
    let (measure, lo, hi) = (t.col(f::MEASURE)?, t.col(c::CI_LOW)?, t.col(c::CI_HIGH)?);
    (0..t.len())
        .map(|r| {
            Ok(Difference {
                key: key(t, r, paths)?,
                measure: t.str(r, measure).to_string(),
                base_mean: base.map(|b| t.opt_num(r, b)).transpose()?.flatten(),
                diff: t.opt_num(r, diff)?,
                ci: pair(t, r, lo, hi)?,
            })
        })
        .collect()
}

/// Objective ids from runs.csv's `objective.<id>.value` columns, in order.
fn objective_ids(t: &CsvTable) -> Vec<String> {
    t.header()
        .iter()
        .filter_map(|h| h.strip_prefix(f::OBJECTIVE_PREFIX)?.strip_suffix(f::OBJECTIVE_VALUE_SUFFIX))
        .map(String::from)
        .collect()
}

fn runs(t: &CsvTable, paths: &[String], ids: &[String]) -> Result<Vec<RunRow>, ReportError> {
    let (seed, status) = (t.col(f::SEED)?, t.col(f::STATUS)?);
    let cols: Vec<usize> = ids
        .iter()
        .map(|id| t.col(&format!("{}{id}{}", f::OBJECTIVE_PREFIX, f::OBJECTIVE_VALUE_SUFFIX)))
        .collect::<Result<_, _>>()?;
    (0..t.len())
        .map(|r| {
            let values = cols.iter().map(|c| t.opt_num(r, *c)).collect::<Result<_, _>>()?;
            let s = t.str(r, seed);
            Ok(RunRow {
                key: key(t, r, paths)?,
                seed: s.parse().map_err(|_| t.bad(r, seed, &format!("`{s}` is not a seed")))?,
                ok: t.str(r, status) == f::STATUS_OK,
                objective_values: values,
            })
        })
        .collect()
}
