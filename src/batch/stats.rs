//! The statistics of a batch's tables (formulas in docs/batch.md): mean, sample
//! standard deviation, type-7 quantiles, the t-interval of a mean, the Wilson interval
//! of a share, and the paired difference of two variants run on common seeds.
//!
//! Sums run over values in a fixed order (replication order), so the same rows give the
//! same bits whatever the thread count.

use crate::metrics::stats::{quantile, sorted};

/// The 97.5 % point of the standard normal distribution.
pub const Z975: f64 = 1.959_963_984_540_054;

/// The quantiles `stats.csv` reports, with their column names.
pub const QUANTILES: [(&str, f64); 6] =
    [("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p90", 0.9), ("p95", 0.95)];

/// A sample described.
#[derive(Clone, Debug, PartialEq)]
pub struct Describe {
    /// Values in the sample.
    pub n: usize,
    /// Their mean.
    pub mean: f64,
    /// Sample standard deviation (divisor n − 1); `None` for one value.
    pub sd: Option<f64>,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// In the order of [`QUANTILES`].
    pub quantiles: [f64; 6],
    /// 95 % t-interval of the mean; `None` for one value.
    pub ci95: Option<(f64, f64)>,
}

/// Describes `values` (in replication order); `None` for no values.
pub fn describe(values: &[f64]) -> Option<Describe> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = sample_sd(values, mean);
    let s = sorted(values.to_vec());
    let q = |p: f64| quantile(&s, p).unwrap_or(mean);
    Some(Describe {
        n,
        mean,
        sd,
        min: s[0],
        max: s[n - 1],
        quantiles: QUANTILES.map(|(_, p)| q(p)),
        ci95: sd.map(|sd| mean_ci95(n, mean, sd)),
    })
}

/// √(Σ(x − mean)² / (n − 1)); `None` for fewer than two values.
pub fn sample_sd(values: &[f64], mean: f64) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let ss: f64 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
    Some((ss / (values.len() - 1) as f64).sqrt())
}

/// mean ± t(0.975, n − 1) · sd / √n.
pub fn mean_ci95(n: usize, mean: f64, sd: f64) -> (f64, f64) {
    let half = t975((n - 1) as f64) * sd / (n as f64).sqrt();
    (mean - half, mean + half)
}

/// The 95 % Wilson score interval of `k` successes in `n` trials; `None` for n = 0.
pub fn wilson95(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (n, p, z2) = (n as f64, k as f64 / n as f64, Z975 * Z975);
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z975 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// A variant against the base over the replications both have a value for.
#[derive(Clone, Debug, PartialEq)]
pub struct Paired {
    /// Pairs (replications with a value under both).
    pub n: usize,
    /// Mean under the base.
    pub base_mean: f64,
    /// Mean under the variant.
    pub variant_mean: f64,
    /// Mean of the differences (variant − base).
    pub diff: f64,
    /// Sample standard deviation of the differences; `None` for one pair.
    pub diff_sd: Option<f64>,
    /// 95 % t-interval of the mean difference; `None` for one pair.
    pub ci95: Option<(f64, f64)>,
}

/// Paired comparison of `(base, variant)` values, in replication order.
pub fn paired(pairs: &[(f64, f64)]) -> Option<Paired> {
    let n = pairs.len();
    if n == 0 {
        return None;
    }
    let d: Vec<f64> = pairs.iter().map(|(b, v)| v - b).collect();
    let diff = d.iter().sum::<f64>() / n as f64;
    let diff_sd = sample_sd(&d, diff);
    Some(Paired {
        n,
        base_mean: pairs.iter().map(|p| p.0).sum::<f64>() / n as f64,
        variant_mean: pairs.iter().map(|p| p.1).sum::<f64>() / n as f64,
        diff,
        diff_sd,
        ci95: diff_sd.map(|sd| mean_ci95(n, diff, sd)),
    })
}

/// The 97.5 % point of Student's t distribution with `df` degrees of freedom: the root
/// of the distribution function (by bisection) for df ≤ 1000, the Cornish–Fisher
/// expansion (Abramowitz & Stegun 26.7.5) above, where both agree to 1e-9.
pub fn t975(df: f64) -> f64 {
    if df > 1000.0 {
        return cornish_fisher(Z975, df);
    }
    let (mut lo, mut hi) = (0.0, 16.0);
    while t_cdf(hi, df) < 0.975 {
        lo = hi;
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_cdf(mid, df) < 0.975 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-15 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

fn cornish_fisher(z: f64, v: f64) -> f64 {
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    let g1 = (z3 + z) / 4.0;
    let g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
    let g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
    let g4 = (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92160.0;
    z + g1 / v + g2 / (v * v) + g3 / v.powi(3) + g4 / v.powi(4)
}

/// P(T ≤ t) for t ≥ 0: 1 − ½·I_{df/(df+t²)}(df/2, ½).
fn t_cdf(t: f64, df: f64) -> f64 {
    1.0 - 0.5 * inc_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// The regularised incomplete beta function I_x(a, b) (continued fraction, Lentz).
fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) { front * beta_cf(a, b, x) / a } else { 1.0 - front * beta_cf(b, a, 1.0 - x) / b }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 correct digits).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_the_tables() {
        // Two-sided 95 % critical values from standard t tables.
        // Two-sided 95 % critical values (computed to 15 digits with mpmath).
        for (df, t) in [
            (1.0, 12.706_204_736_174_7),
            (2.0, 4.302_652_729_749_46),
            (4.0, 2.776_445_105_197_79),
            (7.0, 2.364_624_251_592_79),
            (9.0, 2.262_157_162_798_21),
            (29.0, 2.045_229_642_132_7),
            (199.0, 1.971_956_544_251_75),
            (999.0, 1.962_341_461_133_45),
            (1000.0, 1.962_339_080_826_41),
            (1001.0, 1.962_336_705_280_88),
            (5000.0, 1.960_438_551_706_51),
            (100_000.0, 1.959_987_707_534_61),
        ] {
            let got = t975(df);
            assert!((got - t).abs() < 1e-9, "df {df}: {got} vs {t}");
        }
    }

    #[test]
    fn ln_gamma_of_integers_is_log_factorial() {
        assert!((ln_gamma(1.0)).abs() < 1e-14);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-13);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
    }
}
