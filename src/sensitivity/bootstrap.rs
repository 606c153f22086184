//! Bootstrap percentile intervals: [`RESAMPLES`] resamples (with replacement) of the
//! base rows or trajectories, drawn from ChaCha8 with the fixed seed [`SEED`] on a
//! stream named after the variant and output, so every interval is the same whatever
//! the order outputs are analysed in. The 95 % interval is the 2.5th to 97.5th
//! percentile (type 7) of the resampled estimates.

use crate::model::fnv1a;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// Bootstrap resamples B.
pub const RESAMPLES: usize = 1000;
/// Seed of the resampling (fixed: intervals do not depend on the batch's seed).
pub const SEED: u64 = 0x5a17_e111;

/// The resampling generator for `key` (e.g. "base/delay_strategic_median_min").
pub fn rng(key: &str) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    rng.set_stream(fnv1a(key.as_bytes()));
    rng
}

/// `RESAMPLES` resamples of `0..n`.
pub fn resamples(n: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<usize>> {
    (0..RESAMPLES).map(|_| (0..n).map(|_| rng.random_range(0..n)).collect()).collect()
}

/// The 2.5th and 97.5th percentiles of `values` (NaN-free); `None` for none.
pub fn interval(mut values: Vec<f64>) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    Some((percentile(&values, 0.025), percentile(&values, 0.975)))
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_repeatable_resamples() {
        let v: Vec<f64> = (0..=1000).map(f64::from).collect();
        assert_eq!(interval(v), Some((25.0, 975.0)));
        assert_eq!(resamples(5, &mut rng("x")), resamples(5, &mut rng("x")));
        assert_ne!(resamples(5, &mut rng("x")), resamples(5, &mut rng("y")));
    }
}
