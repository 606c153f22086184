//! Small statistics used by run summaries and batch tables.

/// Quantile `q` (0–1) of sorted values by linear interpolation between order statistics
/// (Hyndman & Fan type 7, the default of R and NumPy). `None` for no values.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// [`quantile`] of `values` in any order, found by selection rather than sorting
/// (linear time; `values` is reordered). The same value, bit for bit, as `quantile` of
/// the values sorted with [`f64::total_cmp`]: the order statistics either side of the
/// quantile's position are those of the sorted values (a total order has no ties but
/// equal bits), and the interpolation is the same expression.
pub fn quantile_unsorted(values: &mut [f64], q: f64) -> Option<f64> {
    quantiles_unsorted(values, [q])[0]
}

/// [`quantile_unsorted`] at each of `qs`; for rising `qs` each selection after the first
/// looks only above the one before (what lies there is exactly the order statistics from
/// it on), so the median and the 90th percentile together cost about one and a half.
pub fn quantiles_unsorted<const N: usize>(values: &mut [f64], qs: [f64; N]) -> [Option<f64>; N] {
    let mut out = [None; N];
    if values.is_empty() {
        return out;
    }
    // values[from..] holds the order statistics from `from` on (as a multiset).
    let mut from = 0;
    for (o, q) in out.iter_mut().zip(qs) {
        let h = (values.len() - 1) as f64 * q.clamp(0.0, 1.0);
        let lo = h.floor() as usize;
        let hi = h.ceil() as usize;
        if lo < from {
            from = 0; // a lower quantile than the one before: select among all
        }
        let (_, &mut at_lo, above) = values[from..].select_nth_unstable_by(lo - from, f64::total_cmp);
        // Above `lo` is everything after it in sorted order: its least is order statistic `lo + 1`.
        let at_hi = if hi == lo { at_lo } else { above.iter().copied().min_by(f64::total_cmp).unwrap_or(at_lo) };
        *o = Some(at_lo + (h - lo as f64) * (at_hi - at_lo));
        from = lo;
    }
    out
}

/// Sorts floats (NaN-free input) for [`quantile`].
pub fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| a.total_cmp(b));
    v
}

/// The arithmetic mean; `None` for no values.
pub fn mean(v: &[f64]) -> Option<f64> {
    if v.is_empty() { None } else { Some(v.iter().sum::<f64>() / v.len() as f64) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_quantiles_by_hand() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&v, 0.9), Some(3.7));
        assert_eq!(quantile(&v, 0.0), Some(1.0));
        assert_eq!(quantile(&[5.0], 0.9), Some(5.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    /// Selection gives the sorted interpolation's value bit for bit: random data with
    /// many ties, negative zeros, n = 1, 2, … and quantiles at and between order statistics.
    #[test]
    fn selection_equals_sorting_bit_for_bit() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(20);
        let qs = [0.0, 0.1, 0.25, 0.5, 0.9, 0.99, 1.0, 1.0 / 3.0];
        for n in (1..40).chain([100, 101, 1000, 4097]) {
            for round in 0..20 {
                let v: Vec<f64> = (0..n)
                    .map(|_| match round % 4 {
                        0 => rng.random::<f64>() * 100.0,
                        1 => f64::from(rng.random_range(0..4u8)) * 0.5, // ties
                        2 => [0.0, -0.0, 1.5, 1e300][rng.random_range(0..4usize)],
                        _ => (rng.random::<f64>() - 0.5) * 1e6,
                    })
                    .collect();
                let s = sorted(v.clone());
                for q in qs {
                    let mut w = v.clone();
                    let (want, got) = (quantile(&s, q), quantile_unsorted(&mut w, q));
                    assert_eq!(want.map(f64::to_bits), got.map(f64::to_bits), "n {n} q {q} {v:?}");
                }
                // Several from one buffer, rising and not.
                let mut w = v.clone();
                let got = quantiles_unsorted(&mut w, [0.1, 0.5, 0.9, 0.9, 0.25, 1.0]);
                for (q, g) in [0.1, 0.5, 0.9, 0.9, 0.25, 1.0].into_iter().zip(got) {
                    assert_eq!(quantile(&s, q).map(f64::to_bits), g.map(f64::to_bits), "n {n} q {q} {v:?}");
                }
            }
        }
        assert_eq!(quantile_unsorted(&mut [], 0.5), None);
        assert_eq!(quantile_unsorted(&mut [3.0, 1.0], 0.5), Some(2.0));
        assert_eq!(quantile_unsorted(&mut [3.0, 1.0], 0.9), Some(2.8));
    }
}
