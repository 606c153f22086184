//! The shape of a batch's design points, for the sweep chart: whether they form a full
//! grid (sweeps, or a design file that happens to be one), and the order of a
//! parameter's values along an axis.

use super::batch_data::BatchData;
use crate::time::parse_duration;

/// The distinct design points: each point's parameter values, in file order.
fn points(d: &BatchData) -> Vec<&[String]> {
    let mut out: Vec<&[String]> = Vec::new();
    for s in &d.stats {
        if !out.contains(&s.key.params.as_slice()) {
            out.push(&s.key.params);
        }
    }
    out
}

/// Whether the design points are every combination of the parameters' values (a grid),
/// so that a heatmap of two parameters has no empty cells. A design file of scattered
/// points (a Latin hypercube, say) is not.
pub fn is_grid(d: &BatchData) -> bool {
    let points = points(d);
    let combinations: usize = (0..d.paths.len())
        .map(|k| {
            let mut seen: Vec<&str> = points.iter().filter_map(|p| p.get(k).map(String::as_str)).collect();
            seen.sort_unstable();
            seen.dedup();
            seen.len()
        })
        .product();
    points.len() == combinations
}

/// A value as a number for sorting: a plain number, or a duration ("90m", "2h") in
/// minutes.
pub(super) fn number(v: &str) -> Option<f64> {
    let v = v.trim();
    v.parse::<f64>().ok().or_else(|| parse_duration(v).ok().map(crate::time::minutes))
}

/// A parameter's values in axis order: by size when every value is a number or a
/// duration, otherwise alphabetically.
pub fn sorted(mut values: Vec<String>) -> Vec<String> {
    let keys: Option<Vec<f64>> = values.iter().map(|v| number(v)).collect();
    match keys {
        Some(keys) => {
            let mut pairs: Vec<(f64, String)> = keys.into_iter().zip(values).collect();
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
            pairs.into_iter().map(|p| p.1).collect()
        }
        None => {
            values.sort();
            values
        }
    }
}
