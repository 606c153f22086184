//! Sensitivity indices of a batch over a generated design (docs/batch.md, "Designs and
//! sensitivity"; columns in docs/outputs.md): `sensitivity.csv` holds, per variant,
//! for each headline measure and each objective's probability of being met, each
//! ranged parameter's Sobol indices ([`saltelli`]: first order S1 and total ST) or
//! Morris μ* and σ ([`elementary`]), with bootstrap 95 % intervals ([`bootstrap`]).
//!
//! The model output at a design point is the mean of the measure over the point's
//! finished replications (for an objective: the share of its judged runs that met
//! it), so replications average out the simulation's own noise before the indices
//! apportion what is left between the parameters. Everything is read from the batch's
//! files (`manifest.json` for the design, `runs.csv` for the values).

pub mod bootstrap;
pub mod elementary;
pub mod saltelli;

use crate::batch::manifest::{FINISHED, Manifest};
use crate::batch::plan::Layout;
use crate::batch::row::Row;
use crate::batch::{BatchError, files, journal};
use crate::design::{self, Kind, Record};
use crate::output::{OutputError, Table, opt};
use std::path::{Path, PathBuf};

/// The file's name in the batch folder.
pub const FILE: &str = "sensitivity.csv";
/// Its columns (written and read by these names).
pub const COLUMNS: [&str; 10] =
    ["variant", "output", "output_kind", "parameter", "method", "index", "estimate", "ci95_low", "ci95_high", "n"];

/// Why a batch folder could not be analysed or its indices written.
#[derive(Debug, thiserror::Error)]
pub enum SensitivityError {
    /// The folder holds no finished, unsharded generated design, or its `sensitivity.csv`
    /// exists already (without `--force`).
    #[error("{dir}: {why}")]
    NotAnalysable {
        /// The batch folder.
        dir: String,
        /// What is wrong.
        why: String,
    },
    /// The batch folder could not be read.
    #[error(transparent)]
    Batch(#[from] BatchError),
    /// `sensitivity.csv` could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl SensitivityError {
    /// Whether the folder (or the request) is at fault, rather than writing.
    pub fn is_bad_input(&self) -> bool {
        match self {
            SensitivityError::NotAnalysable { .. } => true,
            SensitivityError::Batch(e) => e.is_bad_input(),
            SensitivityError::Output(e) => e.is_bad_input(),
        }
    }
}

/// What an output is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// A headline measure (a `runs.csv` column): its mean over a point's replications.
    Measure,
    /// An objective: the share of a point's runs that met it.
    Objective,
}

impl OutputKind {
    /// The name in `sensitivity.csv` (`output_kind`).
    pub fn name(self) -> &'static str {
        match self {
            OutputKind::Measure => "measure",
            OutputKind::Objective => "objective",
        }
    }
}

/// Which index a row of the file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexKind {
    /// Sobol first-order index S1.
    FirstOrder,
    /// Sobol total index ST.
    Total,
    /// Morris μ*: mean absolute elementary effect.
    MuStar,
    /// Morris σ: standard deviation of the elementary effects.
    Sigma,
}

impl IndexKind {
    /// The name in `sensitivity.csv` (`index`).
    pub fn name(self) -> &'static str {
        match self {
            IndexKind::FirstOrder => "first_order",
            IndexKind::Total => "total",
            IndexKind::MuStar => "mu_star",
            IndexKind::Sigma => "sigma",
        }
    }

    /// The method that gives it: "sobol" or "morris".
    pub fn method(self) -> &'static str {
        match self {
            IndexKind::FirstOrder | IndexKind::Total => "sobol",
            IndexKind::MuStar | IndexKind::Sigma => "morris",
        }
    }
}

/// One row of `sensitivity.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The variant's name.
    pub variant: String,
    /// The measure or objective analysed.
    pub output: String,
    /// Whether the output is a measure or an objective.
    pub output_kind: OutputKind,
    /// The ranged field's path.
    pub parameter: String,
    /// Which index.
    pub index: IndexKind,
    /// `None` when the output does not vary (or has no values).
    pub estimate: Option<f64>,
    /// The bootstrap 95 % interval (low, high); `None` without an estimate.
    pub ci95: Option<(f64, f64)>,
    /// Base rows (Sobol) or trajectories (Morris) with a value at every point used.
    pub n: usize,
}

/// The indices of a batch over a Sobol or Morris design, from its layout and rows.
pub fn analyse(layout: &Layout, rows: &[Row]) -> Result<Vec<Entry>, String> {
    let record =
        layout.design.as_ref().ok_or("it is not a batch over a generated design (--design sobol:N or morris:R)")?;
    if !record.kind.has_indices() {
        return Err(format!(
            "its design is {}:{}; sensitivity indices need --design sobol:N or morris:R",
            record.kind.name(),
            record.size
        ));
    }
    let k = record.ranges.len();
    if layout.points.len() as u64 != design::point_count(record.kind, record.size, k) {
        return Err("its design points do not match its recorded design".into());
    }
    let outputs = outputs(layout);
    let mut out = Vec::new();
    for (v, variant) in layout.variants.iter().enumerate() {
        let values = point_values(layout, rows, v);
        for ((name, kind), y) in outputs.iter().zip(&values) {
            let key = format!("{variant}/{name}");
            let found = match record.kind {
                Kind::Sobol => sobol_entries(record, y, &key),
                _ => morris_entries(layout, record, y, &key),
            };
            for (p, index, estimate, ci95, n) in found {
                out.push(Entry {
                    variant: variant.clone(),
                    output: name.clone(),
                    output_kind: *kind,
                    parameter: record.ranges[p].path.clone(),
                    index,
                    estimate,
                    ci95,
                    n,
                });
            }
        }
    }
    Ok(out)
}

/// The outputs analysed: the headline measures, then the objectives.
fn outputs(layout: &Layout) -> Vec<(String, OutputKind)> {
    let m = layout.measures.iter().map(|m| (m.clone(), OutputKind::Measure));
    m.chain(layout.objectives.iter().map(|o| (o.clone(), OutputKind::Objective))).collect()
}

/// `[output][point]`: each output's value at each design point under variant `v`.
fn point_values(layout: &Layout, rows: &[Row], v: usize) -> Vec<Vec<Option<f64>>> {
    let (nm, no, np) = (layout.measures.len(), layout.objectives.len(), layout.points.len());
    let mut sum = vec![vec![0.0; np]; nm + no];
    let mut count = vec![vec![0usize; np]; nm + no];
    for r in rows.iter().filter(|r| r.task.variant == v && r.ok()) {
        let p = r.task.point;
        let values = r.measures.iter().copied().chain(r.met.iter().map(|m| m.map(|b| if b { 1.0 } else { 0.0 })));
        for (o, x) in values.enumerate() {
            if let Some(x) = x {
                sum[o][p] += x;
                count[o][p] += 1;
            }
        }
    }
    sum.iter()
        .zip(&count)
        .map(|(s, c)| s.iter().zip(c).map(|(s, c)| (*c > 0).then(|| s / *c as f64)).collect())
        .collect()
}

type Found = (usize, IndexKind, Option<f64>, Option<(f64, f64)>, usize);

fn sobol_entries(record: &Record, y: &[Option<f64>], key: &str) -> Vec<Found> {
    let (n, k) = (record.size as usize, record.ranges.len());
    let rows: Vec<saltelli::BaseRow> = (0..n)
        .filter_map(|j| {
            let ab: Option<Vec<f64>> = (0..k).map(|i| y[(2 + i) * n + j]).collect();
            Some(saltelli::BaseRow { a: y[j]?, b: y[n + j]?, ab: ab? })
        })
        .collect();
    let all: Vec<usize> = (0..rows.len()).collect();
    let whole = saltelli::indices(&rows, &all);
    let mut boot: Vec<(Vec<f64>, Vec<f64>)> = vec![(vec![], vec![]); k];
    if whole.is_some() {
        for pick in bootstrap::resamples(rows.len(), &mut bootstrap::rng(key)) {
            if let Some(s) = saltelli::indices(&rows, &pick) {
                for (i, b) in boot.iter_mut().enumerate() {
                    b.0.push(s.first[i]);
                    b.1.push(s.total[i]);
                }
            }
        }
    }
    let mut out = Vec::with_capacity(2 * k);
    for (i, (b1, bt)) in boot.into_iter().enumerate() {
        let (s1, st) = (whole.as_ref().map(|s| s.first[i]), whole.as_ref().map(|s| s.total[i]));
        out.push((i, IndexKind::FirstOrder, s1, bootstrap::interval(b1), rows.len()));
        out.push((i, IndexKind::Total, st, bootstrap::interval(bt), rows.len()));
    }
    out
}

fn morris_entries(layout: &Layout, record: &Record, y: &[Option<f64>], key: &str) -> Vec<Found> {
    let k = record.ranges.len();
    let unit = |p: usize, i: usize| {
        let r = &record.ranges[i];
        layout.points[p].get(&r.path).and_then(|t| r.unit(t))
    };
    let effects: Vec<elementary::Effects> = design::trajectories(record)
        .iter()
        .enumerate()
        .filter_map(|(t, traj)| {
            let base = t * (k + 1);
            let mut e = vec![None; k];
            for (s, &i) in traj.order.iter().enumerate() {
                let (p0, p1) = (base + s, base + s + 1);
                let du = unit(p1, i)? - unit(p0, i)?;
                if du.abs() > 1e-9 {
                    e[i] = Some((y[p1]? - y[p0]?) / du);
                }
            }
            Some(e)
        })
        .collect();
    let all: Vec<usize> = (0..effects.len()).collect();
    let whole = elementary::screening(&effects, &all);
    let mut boot: Vec<(Vec<f64>, Vec<f64>)> = vec![(vec![], vec![]); k];
    if !effects.is_empty() {
        for pick in bootstrap::resamples(effects.len(), &mut bootstrap::rng(key)) {
            let s = elementary::screening(&effects, &pick);
            for (i, b) in boot.iter_mut().enumerate() {
                b.0.extend(s.mu_star[i]);
                b.1.extend(s.sigma[i]);
            }
        }
    }
    let mut out = Vec::with_capacity(2 * k);
    for (i, (bm, bs)) in boot.into_iter().enumerate() {
        // (No trajectory with values: `whole` has no entries at all.)
        let (mu, sigma) = (whole.mu_star.get(i).copied().flatten(), whole.sigma.get(i).copied().flatten());
        out.push((i, IndexKind::MuStar, mu, bootstrap::interval(bm), effects.len()));
        out.push((i, IndexKind::Sigma, sigma, bootstrap::interval(bs), effects.len()));
    }
    out
}

/// Reads the finished batch in `dir`, computes its indices and writes `sensitivity.csv`
/// (refusing to replace one unless `force`); returns the file written. The caller holds
/// the folder's lock.
pub fn write(dir: &Path, force: bool) -> Result<PathBuf, SensitivityError> {
    let not = |why: String| SensitivityError::NotAnalysable { dir: dir.display().to_string(), why };
    let manifest = Manifest::read(dir)?;
    if manifest.status != FINISHED || manifest.shard.is_some() {
        return Err(not(format!(
            "the batch is {}{}; sensitivity needs a whole, finished batch (merge shards first)",
            manifest.status,
            manifest.shard.as_deref().map(|s| format!(", shard {s}")).unwrap_or_default()
        )));
    }
    let path = dir.join(FILE);
    if path.exists() && !force {
        return Err(not(format!("{FILE} exists already; add --force to replace it")));
    }
    let rows = journal::read(&dir.join(files::RUNS), &manifest.plan)?;
    let entries = analyse(&manifest.plan, &rows).map_err(not)?;
    let mut t = Table::in_dialect(manifest.csv_dialect, &COLUMNS);
    for e in &entries {
        t.row([
            e.variant.clone(),
            e.output.clone(),
            e.output_kind.name().into(),
            e.parameter.clone(),
            e.index.method().into(),
            e.index.name().into(),
            opt(e.estimate),
            opt(e.ci95.map(|c| c.0)),
            opt(e.ci95.map(|c| c.1)),
            e.n.to_string(),
        ]);
    }
    t.write(&path)?;
    Ok(path)
}

/// Whether the batch of `layout` gets a `sensitivity.csv` (a Sobol or Morris design).
pub fn applies(layout: &Layout) -> bool {
    layout.design.as_ref().is_some_and(|d| d.kind.has_indices())
}
