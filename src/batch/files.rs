//! The result files of a batch (columns in docs/outputs.md): `runs.csv` sorted,
//! `stats.csv`, `objectives.csv` and `compare.csv`. All are computed from rows as read
//! back from `runs.csv` (never from values still in memory), in a fixed order, so a
//! batch gives the same bytes whatever its thread count, resumes or shard split.

use super::BatchError;
use super::plan::{Layout, Task};
use super::row::{Row, header};
use super::stats::{QUANTILES, describe, paired, wilson95};
use crate::output::{CsvDialect, Table, num, opt};
use std::path::Path;

use crate::output::names::batch::{self as names, compare as cmp, objectives as ob, stats as st};
pub use crate::output::names::batch::{COMPARE, OBJECTIVES, RUNS, STATS};
/// The files whose bytes depend only on the batch's layout (not on threads or shards).
pub const TABLES: &[&str] = &[RUNS, STATS, OBJECTIVES, COMPARE];

/// Sorts rows by design point, variant (in layout order) and replication.
pub fn sort(rows: &mut [Row]) {
    rows.sort_by_key(|r| r.task);
}

/// Rows of sorted `rows` grouped by (point, variant) in layout order, each group in
/// replication order.
fn groups<'a>(layout: &Layout, rows: &'a [Row]) -> Vec<&'a [Row]> {
    let mut out = Vec::with_capacity(layout.points.len() * layout.variants.len());
    let mut rest = rows;
    for point in 0..layout.points.len() {
        for variant in 0..layout.variants.len() {
            let key = Task { point, variant, rep: 0 };
            let n = rest.iter().take_while(|r| (r.task.point, r.task.variant) == (key.point, key.variant)).count();
            out.push(&rest[..n]);
            rest = &rest[n..];
        }
    }
    out
}

/// Writes `runs.csv` (rows sorted) atomically, streamed row by row.
pub fn write_runs(dir: &Path, layout: &Layout, rows: &[Row], d: CsvDialect) -> Result<(), BatchError> {
    let fill = |out: &mut dyn std::io::Write| -> std::io::Result<()> {
        out.write_all(d.preamble())?;
        let mut w = d.writer(out);
        w.write_record(header(layout))?;
        for r in rows {
            let fields = r.fields(layout);
            w.write_record(fields.iter().map(|f| d.field(f).into_owned()))?;
        }
        w.flush()
    };
    Ok(crate::output::write_atomic_with(&dir.join(RUNS), fill)?)
}

/// Writes `stats.csv`, `objectives.csv` and `compare.csv` from sorted rows.
pub fn write_tables(dir: &Path, layout: &Layout, rows: &[Row], d: CsvDialect) -> Result<(), BatchError> {
    let groups = groups(layout, rows);
    stats(layout, &groups, d).write(&dir.join(STATS))?;
    objectives(layout, &groups, d).write(&dir.join(OBJECTIVES))?;
    compare(layout, &groups, d).write(&dir.join(COMPARE))?;
    Ok(())
}

/// The first columns of every table: point, its path values, variant.
fn key_header(layout: &Layout, rest: &[&str], d: CsvDialect) -> Table {
    let mut h: Vec<&str> = vec![names::POINT];
    h.extend(layout.paths.iter().map(String::as_str));
    h.push(names::VARIANT);
    h.extend_from_slice(rest);
    Table::in_dialect(d, &h)
}

fn key_fields(layout: &Layout, point: usize, variant: usize) -> Vec<String> {
    let mut f = vec![point.to_string()];
    f.extend(layout.paths.iter().map(|p| layout.points[point][p].clone()));
    f.push(layout.variants[variant].clone());
    f
}

fn pair(ci: Option<(f64, f64)>) -> [String; 2] {
    [opt(ci.map(|c| c.0)), opt(ci.map(|c| c.1))]
}

fn stats(layout: &Layout, groups: &[&[Row]], d: CsvDialect) -> Table {
    let mut cols = vec![names::MEASURE, "runs", "failed", st::N, st::MEAN, "sd", "min"];
    cols.extend(QUANTILES.map(|q| q.0));
    cols.extend(["max", st::CI_LOW, st::CI_HIGH]);
    let mut t = key_header(layout, &cols, d);
    let nv = layout.variants.len();
    for (g, rows) in groups.iter().enumerate() {
        let ok: Vec<&Row> = rows.iter().filter(|r| r.ok()).collect();
        for (m, name) in layout.measures.iter().enumerate() {
            let values: Vec<f64> = ok.iter().filter_map(|r| r.measures[m]).collect();
            let mut f = key_fields(layout, g / nv, g % nv);
            f.extend([name.clone(), ok.len().to_string(), (rows.len() - ok.len()).to_string()]);
            f.push(values.len().to_string());
            match describe(&values) {
                Some(d) => {
                    f.extend([num(d.mean), opt(d.sd), num(d.min)]);
                    f.extend(d.quantiles.map(num));
                    f.push(num(d.max));
                    f.extend(pair(d.ci95));
                }
                None => f.extend(std::iter::repeat_n(String::new(), 6 + QUANTILES.len())),
            }
            t.row(f);
        }
    }
    t
}

fn objectives(layout: &Layout, groups: &[&[Row]], d: CsvDialect) -> Table {
    let mut t = key_header(layout, &[names::OBJECTIVE, ob::RUNS, ob::MET, ob::SHARE, ob::CI_LOW, ob::CI_HIGH], d);
    let nv = layout.variants.len();
    for (g, rows) in groups.iter().enumerate() {
        for (o, id) in layout.objectives.iter().enumerate() {
            let judged: Vec<bool> = rows.iter().filter_map(|r| r.met[o]).collect();
            let (n, met) = (judged.len() as u64, judged.iter().filter(|m| **m).count() as u64);
            let mut f = key_fields(layout, g / nv, g % nv);
            f.extend([id.clone(), n.to_string(), met.to_string()]);
            f.push(if n == 0 { String::new() } else { num(met as f64 / n as f64) });
            f.extend(pair(wilson95(met, n)));
            t.row(f);
        }
    }
    t
}

fn compare(layout: &Layout, groups: &[&[Row]], d: CsvDialect) -> Table {
    let cols = [
        names::MEASURE,
        "pairs",
        cmp::BASE_MEAN[0],
        "variant_mean",
        cmp::DIFF[0],
        "difference_sd",
        cmp::CI_LOW,
        cmp::CI_HIGH,
    ];
    let mut t = key_header(layout, &cols, d);
    let nv = layout.variants.len();
    for (g, rows) in groups.iter().enumerate() {
        let (point, variant) = (g / nv, g % nv);
        if variant == 0 {
            continue;
        }
        let base = groups[point * nv];
        for (m, name) in layout.measures.iter().enumerate() {
            let pairs = pairs_of(base, rows, m);
            let mut f = key_fields(layout, point, variant);
            f.extend([name.clone(), pairs.len().to_string()]);
            match paired(&pairs) {
                Some(p) => {
                    f.extend([num(p.base_mean), num(p.variant_mean), num(p.diff), opt(p.diff_sd)]);
                    f.extend(pair(p.ci95));
                }
                None => f.extend(std::iter::repeat_n(String::new(), 6)),
            }
            t.row(f);
        }
    }
    t
}

/// (base, variant) values of measure `m` for the replications where both runs finished
/// and the measure has a value in both; both slices are in replication order.
fn pairs_of(base: &[Row], variant: &[Row], m: usize) -> Vec<(f64, f64)> {
    let mut out = vec![];
    let (mut i, mut j) = (0, 0);
    while i < base.len() && j < variant.len() {
        let (b, v) = (&base[i], &variant[j]);
        match b.task.rep.cmp(&v.task.rep) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if let (Some(x), Some(y)) = (b.measures[m], v.measures[m]) {
                    out.push((x, y));
                }
                i += 1;
                j += 1;
            }
        }
    }
    out
}
