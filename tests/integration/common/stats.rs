//! Statistics for the theory checks: means of independent replications with a
//! Student-t confidence interval, and the textbook formulas they are held against.

/// Two-sided confidence level of every interval in the theory checks.
pub const LEVEL: f64 = 0.999;
/// Standard normal quantile for [`LEVEL`] (two-sided 99.9 %: z_{0.9995}).
const Z: f64 = 3.290_526_731_491_926;

/// Student-t quantile for [`LEVEL`] with `df` degrees of freedom (Cornish–Fisher
/// expansion to third order; within 0.1 % of the tables for df ≥ 19).
pub fn t_quantile(df: usize) -> f64 {
    let (z, n) = (Z, df as f64);
    let z3 = z * z * z;
    let z5 = z3 * z * z;
    let z7 = z5 * z * z;
    z + (z3 + z) / (4.0 * n)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * n * n * n)
}

/// A mean over independent replications with its confidence interval.
#[derive(Clone, Copy, Debug)]
pub struct Estimate {
    pub mean: f64,
    pub half_width: f64,
    pub n: usize,
}

impl Estimate {
    /// From one value per independent replication.
    pub fn of(values: &[f64]) -> Estimate {
        let n = values.len();
        assert!(n >= 20, "need at least 20 replications, got {n}");
        let mean = values.iter().sum::<f64>() / n as f64;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        Estimate { mean, half_width: t_quantile(n - 1) * (var / n as f64).sqrt(), n }
    }

    pub fn contains(&self, x: f64) -> bool {
        (x - self.mean).abs() <= self.half_width
    }
}

/// Prints a row of the table in docs/validation.md and asserts that theory lies in the interval.
pub fn check(name: &str, expected: f64, e: Estimate) {
    println!(
        "| {name} | {expected:.4} | {:.4} | [{:.4}, {:.4}] | ±{:.1} % | {} |",
        e.mean,
        e.mean - e.half_width,
        e.mean + e.half_width,
        100.0 * e.half_width / expected.abs().max(1e-12),
        e.n
    );
    assert!(
        e.contains(expected),
        "{name}: theory {expected:.4} is outside the {}% interval {:.4} ± {:.4} ({} replications)",
        LEVEL * 100.0,
        e.mean,
        e.half_width,
        e.n
    );
}

/// Erlang C: the probability that an arrival to an M/M/c queue with offered load
/// `a` = λ/μ (< c) has to wait.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= a / k as f64;
        }
        sum += term;
    }
    let last = term * a / c as f64 * c as f64 / (c as f64 - a);
    last / (sum + last)
}

/// Mean waiting time in queue of M/M/c (same unit as `service_mean`).
pub fn mmc_wait(c: u32, rho: f64, service_mean: f64) -> f64 {
    let a = rho * c as f64;
    erlang_c(c, a) * service_mean / (c as f64 - a)
}
