//! Distributions of durations: how scenario authors say "this takes between 10 and 20 minutes".
//!
//! Written in a scenario as a plain duration (fixed) or a one-key table:
//! `"5m"`, `{ fixed = "5m" }`, `{ uniform = ["1m", "5m"] }`,
//! `{ triangular = ["1m", "3m", "8m"] }` (min, mode, max), `{ exponential = "5m" }` (mean),
//! `{ lognormal = { median = "5m", p90 = "15m" } }` (what planners can estimate),
//! `{ empirical = ["1m", "2m", "2m", "7m"] }` (each value equally likely).
//! Samples are whole milliseconds, never negative.

use crate::time::{SimTime, fmt_duration, parse_duration};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Distribution, Exp, StandardNormal, Triangular};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// z-score of the 90th percentile of the standard normal distribution.
const Z90: f64 = 1.281_551_565_544_600_4;

/// A distribution of durations as written in a scenario (validated on construction).
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    /// Always this duration (ms).
    Fixed(SimTime),
    /// Uniform between the two bounds (ms, low then high).
    Uniform(SimTime, SimTime),
    /// Triangular: low, mode and high (ms).
    Triangular(SimTime, SimTime, SimTime),
    /// Exponential with this mean (ms).
    Exponential(SimTime),
    /// Given by median and 90th percentile; `mu` and `sigma` (of the underlying normal)
    /// are derived once by [`Dist::lognormal`], not per draw.
    LogNormal {
        /// The median (ms).
        median: SimTime,
        /// The 90th percentile (ms).
        p90: SimTime,
        /// Mean of the underlying normal (of ln ms).
        mu: f64,
        /// Standard deviation of the underlying normal.
        sigma: f64,
    },
    /// One of these durations (ms), each equally likely.
    Empirical(Vec<SimTime>),
}

impl Dist {
    /// No time at all.
    pub const ZERO: Dist = Dist::Fixed(0);

    /// A lognormal distribution with this median and 90th percentile.
    pub fn lognormal(median: SimTime, p90: SimTime) -> Dist {
        let (mu, sigma) = lognormal_params(median, p90);
        Dist::LogNormal { median, p90, mu, sigma }
    }

    /// Checks the parameters; the message says what to change.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Dist::Uniform(a, b) if b < a => Err("uniform: the second value must not be below the first".into()),
            Dist::Triangular(a, m, b) if !(a <= m && m <= b) => {
                Err("triangular: write [min, mode, max] with min ≤ mode ≤ max".into())
            }
            Dist::Exponential(m) if *m <= 0 => Err("exponential: the mean must be above 0".into()),
            Dist::LogNormal { median, p90, .. } if *median <= 0 || p90 <= median => {
                Err("lognormal: need 0 < median < p90".into())
            }
            Dist::Empirical(v) if v.is_empty() => Err("empirical: give at least one value".into()),
            _ => Ok(()),
        }
    }

    /// The mean, in milliseconds (used for ordering lenders and in documentation).
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v as f64,
            Dist::Uniform(a, b) => (*a + *b) as f64 / 2.0,
            Dist::Triangular(a, m, b) => (*a + *m + *b) as f64 / 3.0,
            Dist::Exponential(m) => *m as f64,
            Dist::LogNormal { mu, sigma, .. } => (mu + sigma * sigma / 2.0).exp(),
            Dist::Empirical(v) => v.iter().sum::<SimTime>() as f64 / v.len() as f64,
        }
    }

    /// The same shape with every time multiplied by `factor` (≥ 0): the mean becomes
    /// `factor` × the mean (exactly for the lognormal, whose `mu` moves by ln `factor`;
    /// the other variants up to rounding each time to a whole millisecond). Used by the
    /// debrief's what-if reruns to slow a unit down (`debrief::whatif`).
    pub fn scaled(&self, factor: f64) -> Dist {
        let f = factor.max(0.0);
        let s = |v: &SimTime| ((*v as f64) * f).round().clamp(0.0, 1e15) as SimTime;
        match self {
            Dist::Fixed(v) => Dist::Fixed(s(v)),
            Dist::Uniform(a, b) => Dist::Uniform(s(a), s(b)),
            Dist::Triangular(a, m, b) => Dist::Triangular(s(a), s(m), s(b)),
            Dist::Exponential(m) => Dist::Exponential(s(m).max(1)),
            Dist::LogNormal { median, p90, mu, sigma } if f > 0.0 => {
                Dist::LogNormal { median: s(median), p90: s(p90), mu: mu + f.ln(), sigma: *sigma }
            }
            Dist::LogNormal { .. } => Dist::ZERO,
            Dist::Empirical(v) => Dist::Empirical(v.iter().map(s).collect()),
        }
    }

    /// Whether every sample is the same value.
    pub fn is_fixed(&self) -> bool {
        match self {
            Dist::Fixed(_) => true,
            Dist::Uniform(a, b) => a == b,
            Dist::Triangular(a, _, b) => a == b,
            Dist::Empirical(v) => v.iter().all(|x| *x == v[0]),
            _ => false,
        }
    }

    /// Draws one duration (ms, never negative) from `rng`.
    pub fn sample(&self, rng: &mut ChaCha8Rng) -> SimTime {
        let x = match self {
            Dist::Fixed(v) => return *v,
            Dist::Uniform(a, b) if a == b => return *a,
            Dist::Uniform(a, b) => rng.random_range(*a as f64..*b as f64),
            Dist::Triangular(a, _, b) if a == b => return *a,
            Dist::Triangular(a, m, b) => match Triangular::new(*a as f64, *b as f64, *m as f64) {
                Ok(d) => d.sample(rng),
                Err(_) => *m as f64,
            },
            Dist::Exponential(m) => match Exp::new(1.0 / *m as f64) {
                Ok(d) => d.sample(rng),
                Err(_) => *m as f64,
            },
            Dist::LogNormal { mu, sigma, .. } => {
                // exp(mu + sigma·z): the same value as rand_distr's LogNormal, without
                // building (and validating) one per draw.
                let (mu, sigma) = (*mu, *sigma);
                let z: f64 = rng.sample(StandardNormal);
                (mu + sigma * z).exp()
            }
            Dist::Empirical(v) => return v[rng.random_range(0..v.len())],
        };
        // Cap at ~30 years so that a heavy tail cannot overflow time arithmetic.
        x.round().clamp(0.0, 1e12) as SimTime
    }
}

fn lognormal_params(median: SimTime, p90: SimTime) -> (f64, f64) {
    let mu = (median as f64).ln();
    let sigma = ((p90 as f64).ln() - mu) / Z90;
    (mu, sigma)
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = fmt_duration;
        match self {
            Dist::Fixed(v) => write!(f, "{}", d(*v)),
            Dist::Uniform(a, b) => write!(f, "uniform({}, {})", d(*a), d(*b)),
            Dist::Triangular(a, m, b) => write!(f, "triangular({}, {}, {})", d(*a), d(*m), d(*b)),
            Dist::Exponential(m) => write!(f, "exponential(mean {})", d(*m)),
            Dist::LogNormal { median, p90, .. } => write!(f, "lognormal(median {}, p90 {})", d(*median), d(*p90)),
            Dist::Empirical(v) => {
                let parts: Vec<String> = v.iter().map(|x| d(*x)).collect();
                write!(f, "empirical({})", parts.join(", "))
            }
        }
    }
}

/// A duration written as a string in a scenario ("15m").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dur(pub SimTime);

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Dur;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as \"90s\", \"15m\", \"2h\" or \"3d\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Dur, E> {
                parse_duration(v).map(Dur).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dur, E> {
                if v == 0 {
                    Ok(Dur(0))
                } else {
                    Err(E::custom(format!("{v} has no unit; write e.g. \"{v}m\" for minutes")))
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dur, E> {
                self.visit_i64(v.min(i64::MAX as u64) as i64)
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Dur {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&fmt_duration(self.0))
    }
}

impl<'de> Deserialize<'de> for Dist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DistVisitor)
    }
}

struct DistVisitor;

const DIST_KINDS: &[&str] = &["fixed", "uniform", "triangular", "exponential", "lognormal", "empirical"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogNormalSpec {
    median: Dur,
    p90: Dur,
}

impl<'de> Visitor<'de> for DistVisitor {
    type Value = Dist;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a duration (\"5m\") or a one-key table such as { uniform = [\"1m\", \"5m\"] }, \
             { triangular = [min, mode, max] }, { exponential = \"5m\" }, \
             { lognormal = { median = \"5m\", p90 = \"15m\" } } or { empirical = [...] }",
        )
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Dist, E> {
        parse_duration(v).map(Dist::Fixed).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dist, E> {
        Dur::deserialize(de::value::I64Deserializer::<E>::new(v)).map(|d| Dist::Fixed(d.0))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dist, E> {
        self.visit_i64(v.min(i64::MAX as u64) as i64)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dist, A::Error> {
        let Some(kind) = map.next_key::<String>()? else {
            return Err(de::Error::custom(
                "empty distribution table; give one of fixed, uniform, triangular, exponential, lognormal, empirical",
            ));
        };
        let dist = match kind.as_str() {
            "fixed" => Dist::Fixed(map.next_value::<Dur>()?.0),
            "exponential" => Dist::Exponential(map.next_value::<Dur>()?.0),
            "uniform" => {
                let [a, b] = map.next_value::<[Dur; 2]>()?;
                Dist::Uniform(a.0, b.0)
            }
            "triangular" => {
                let [a, m, b] = map.next_value::<[Dur; 3]>()?;
                Dist::Triangular(a.0, m.0, b.0)
            }
            "lognormal" => {
                let s = map.next_value::<LogNormalSpec>()?;
                Dist::lognormal(s.median.0, s.p90.0)
            }
            "empirical" => Dist::Empirical(map.next_value::<Vec<Dur>>()?.into_iter().map(|d| d.0).collect()),
            other => return Err(de::Error::unknown_variant(other, DIST_KINDS)),
        };
        if let Some(extra) = map.next_key::<String>()? {
            return Err(de::Error::custom(format!("a distribution has exactly one key; `{extra}` is one too many")));
        }
        dist.check().map_err(de::Error::custom)?;
        Ok(dist)
    }
}

impl Serialize for Dist {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let d = |v: &SimTime| fmt_duration(*v);
        match self {
            Dist::Fixed(v) => s.serialize_str(&d(v)),
            other => {
                let mut m = s.serialize_map(Some(1))?;
                match other {
                    Dist::Uniform(a, b) => m.serialize_entry("uniform", &[d(a), d(b)])?,
                    Dist::Triangular(a, mo, b) => m.serialize_entry("triangular", &[d(a), d(mo), d(b)])?,
                    Dist::Exponential(v) => m.serialize_entry("exponential", &d(v))?,
                    Dist::LogNormal { median, p90, .. } => {
                        let mut t = std::collections::BTreeMap::new();
                        t.insert("median", d(median));
                        t.insert("p90", d(p90));
                        m.serialize_entry("lognormal", &t)?
                    }
                    Dist::Empirical(v) => m.serialize_entry("empirical", &v.iter().map(d).collect::<Vec<_>>())?,
                    Dist::Fixed(_) => unreachable!("handled above"),
                }
                m.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MINUTE;
    use rand::SeedableRng;

    fn parse(s: &str) -> Result<Dist, String> {
        #[derive(Deserialize)]
        struct W {
            d: Dist,
        }
        toml::from_str::<W>(&format!("d = {s}")).map(|w| w.d).map_err(|e| e.to_string())
    }

    #[test]
    fn every_form_parses() {
        assert_eq!(parse("\"5m\"").unwrap(), Dist::Fixed(5 * MINUTE));
        assert_eq!(parse("{ uniform = [\"1m\", \"3m\"] }").unwrap(), Dist::Uniform(MINUTE, 3 * MINUTE));
        assert_eq!(
            parse("{ lognormal = { median = \"10m\", p90 = \"20m\" } }").unwrap(),
            Dist::lognormal(10 * MINUTE, 20 * MINUTE)
        );
        assert!(parse("{ lognormal = { median = \"20m\", p90 = \"10m\" } }").unwrap_err().contains("median < p90"));
        assert!(parse("{ gamma = \"5m\" }").unwrap_err().contains("expected one of"));
        assert!(parse("{ uniform = [\"1m\"] }").is_err());
        assert!(parse("5").unwrap_err().contains("no unit"));
    }

    #[test]
    fn lognormal_median_and_p90_are_honoured() {
        let d = Dist::lognormal(10 * MINUTE, 30 * MINUTE);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut v: Vec<SimTime> = (0..20_000).map(|_| d.sample(&mut rng)).collect();
        v.sort();
        let med = v[v.len() / 2] as f64 / MINUTE as f64;
        let p90 = v[v.len() * 9 / 10] as f64 / MINUTE as f64;
        assert!((med - 10.0).abs() < 0.5, "median {med}");
        assert!((p90 - 30.0).abs() < 1.5, "p90 {p90}");
    }

    #[test]
    fn scaled_keeps_the_shape_and_scales_the_mean() {
        let every = [
            Dist::Fixed(5 * MINUTE),
            Dist::Uniform(MINUTE, 3 * MINUTE),
            Dist::Triangular(MINUTE, 2 * MINUTE, 6 * MINUTE),
            Dist::Exponential(4 * MINUTE),
            Dist::lognormal(10 * MINUTE, 30 * MINUTE),
            Dist::Empirical(vec![MINUTE, 2 * MINUTE, 2 * MINUTE, 7 * MINUTE]),
        ];
        for d in &every {
            for k in [0.5, 1.0, 2.5, 3.2] {
                let s = d.scaled(k);
                assert_eq!(std::mem::discriminant(d), std::mem::discriminant(&s), "{d} keeps its shape");
                let want = k * d.mean();
                assert!((s.mean() - want).abs() <= 1e-9 * want, "{d} × {k}: mean {} want {want}", s.mean());
                assert!(s.check().is_ok(), "{s} is valid");
            }
            // Samples follow: the mean of many draws is within 3 % of k × the mean.
            let s = d.scaled(3.0);
            let mut rng = ChaCha8Rng::seed_from_u64(11);
            let n = 40_000;
            let m = (0..n).map(|_| s.sample(&mut rng) as f64).sum::<f64>() / n as f64;
            assert!((m / (3.0 * d.mean()) - 1.0).abs() < 0.03, "{d} × 3: sample mean {m}");
        }
        assert_eq!(Dist::ZERO.scaled(7.0), Dist::ZERO);
        let ln = Dist::lognormal(10 * MINUTE, 30 * MINUTE).scaled(2.0);
        assert_eq!(ln.to_string(), "lognormal(median 20m, p90 1h)");
    }

    #[test]
    fn exponential_mean_is_the_given_mean() {
        let d = Dist::Exponential(6 * MINUTE);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 40_000;
        let mean = (0..n).map(|_| d.sample(&mut rng)).sum::<SimTime>() as f64 / n as f64 / MINUTE as f64;
        assert!((mean - 6.0).abs() < 0.15, "mean {mean}");
    }
}
