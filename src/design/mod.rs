//! Generated designs: `--design lhs:N|sobol:N|morris:R` with `--range PATH=LOW..HIGH`
//! (docs/batch.md, "Designs and sensitivity"). A design is a list of points in the unit
//! cube `[0, 1]^k`, one coordinate per range, mapped onto each range and written as the
//! field expects ([`range::Range::value_at`]); the batch then runs them as design
//! points like the rows of a design file.
//!
//! - `lhs:N` ([`lhs`]): a Latin hypercube of N points.
//! - `sobol:N` ([`sobol`]): Saltelli's scheme. Base matrices A and B (N rows each) are
//!   the first N points of a 2k-dimensional Sobol sequence (A its first k coordinates,
//!   B the next k); AB_i is A with column i taken from B. Points are numbered A (0 …
//!   N−1), then B (N … 2N−1), then AB_1, …, AB_k (point (2 + i)·N + j is row j of
//!   AB_{i+1}): N·(k + 2) points.
//! - `morris:R` ([`morris`]): R trajectories of k + 1 points each, trajectory r holding
//!   points r·(k+1) … r·(k+1)+k.
//!
//! Latin hypercubes and Morris trajectories draw from ChaCha8 seeded with the batch's
//! master seed on the stream `design:lhs` or `design:morris` (so another `--seed` gives
//! another design); the Sobol sequence is the same whatever the seed. The design is
//! recorded in `manifest.json` ([`Record`]) so that the analysis ([`crate::sensitivity`])
//! can find A, B, AB_i and the trajectories again.

pub mod lhs;
pub mod morris;
pub mod range;
pub mod sobol;

use crate::model::fnv1a;
use indexmap::IndexMap;
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
pub use range::{FieldKind, Range};
use serde::{Deserialize, Serialize};

/// The kinds of generated design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Latin hypercube sampling (`lhs:N`).
    Lhs,
    /// Saltelli's Sobol design for first-order and total indices (`sobol:N`).
    Sobol,
    /// Morris elementary-effects trajectories (`morris:R`).
    Morris,
}

impl Kind {
    /// The name in `--design` and `manifest.json`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Lhs => "lhs",
            Kind::Sobol => "sobol",
            Kind::Morris => "morris",
        }
    }

    /// The smallest N (or R) accepted.
    pub fn min_size(self) -> u64 {
        match self {
            Kind::Lhs => 2,
            // Fewer base rows give no usable bootstrap interval.
            Kind::Sobol => 8,
            // σ needs two elementary effects per factor.
            Kind::Morris => 2,
        }
    }

    /// Whether the analysis writes sensitivity indices for this kind.
    pub fn has_indices(self) -> bool {
        matches!(self, Kind::Sobol | Kind::Morris)
    }
}

/// Why a generated design cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum DesignError {
    /// `--design` is not `KIND:N` with a valid size.
    #[error(
        "--design `{text}`: {why}; write lhs:N, sobol:N or morris:R (e.g. --design sobol:256), or the name of a CSV file"
    )]
    Spec {
        /// The text as given.
        text: String,
        /// What is wrong with it.
        why: String,
    },
    /// A `--range` is not `PATH=LOW..HIGH`.
    #[error("--range `{text}`: {why}; write PATH=LOW..HIGH, e.g. --range conference.regional.activated.every=30m..4h")]
    Range {
        /// The text as given.
        text: String,
        /// What is wrong with it.
        why: String,
    },
    /// A `--range` names no field of the scenario.
    #[error("--range: {why}")]
    Path {
        /// The field's path.
        path: String,
        /// Why it names no field.
        why: String,
    },
    /// A `--range` names a field that holds neither a number nor a duration.
    #[error(
        "--range `{path}`: the field holds {found}, not a number or a duration; ranges need numeric or duration fields"
    )]
    NotNumeric {
        /// The field's path.
        path: String,
        /// What the field holds instead.
        found: String,
    },
    /// The design is too large: too many ranges (Sobol) or too many points.
    #[error("--design {kind}:{size}: {why}")]
    Size {
        /// The design's kind ([`Kind::name`]).
        kind: &'static str,
        /// N or R as given.
        size: u64,
        /// Why it does not fit.
        why: String,
    },
    /// Any other misuse of the design flags.
    #[error("{0}")]
    Usage(String),
}

/// `--design KIND:N` and the `--range`s, as given.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The kind of design.
    pub kind: Kind,
    /// N for `lhs` and `sobol`, R (trajectories) for `morris`.
    pub size: u64,
    /// The `--range` texts, as given.
    pub ranges: Vec<String>,
}

impl Request {
    /// Reads `lhs:N`, `sobol:N` or `morris:R`; `None` when `text` is not of that form
    /// (it is then the name of a design file).
    pub fn parse_kind(text: &str) -> Option<Result<(Kind, u64), DesignError>> {
        let (kind, n) = text.trim().split_once(':')?;
        let kind = match kind.trim().to_ascii_lowercase().as_str() {
            "lhs" => Kind::Lhs,
            "sobol" => Kind::Sobol,
            "morris" => Kind::Morris,
            _ => return None,
        };
        let bad = |why: String| DesignError::Spec { text: text.to_string(), why };
        Some(match n.trim().parse::<u64>() {
            Ok(n) if n >= kind.min_size() => Ok((kind, n)),
            Ok(n) => Err(bad(format!("{} needs at least {} (got {n})", kind.name(), kind.min_size()))),
            Err(_) => Err(bad(format!("`{}` is not a whole number", n.trim()))),
        })
    }
}

/// A generated design as recorded in `manifest.json` (the plan's `design`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The kind of design.
    pub kind: Kind,
    /// N for `lhs` and `sobol`, R (trajectories) for `morris`.
    pub size: u64,
    /// The ranged fields, in `--range` order (the order of the unit cube's axes).
    pub ranges: Vec<Range>,
    /// The seed the design was drawn with (the master seed); `null` for `sobol`, whose
    /// points do not depend on the seed.
    pub seed: Option<u64>,
}

/// Field paths and design points (each point's value text per path).
pub type Points = (Vec<String>, Vec<IndexMap<String, String>>);

/// Builds the design `req` over the scenario document `doc` with the batch's master seed.
pub fn generate(req: &Request, doc: &toml::Table, master_seed: u64) -> Result<(Record, Points), DesignError> {
    if req.ranges.is_empty() {
        return Err(DesignError::Usage(format!(
            "--design {}:{} needs at least one --range PATH=LOW..HIGH",
            req.kind.name(),
            req.size
        )));
    }
    let mut ranges: Vec<Range> = Vec::with_capacity(req.ranges.len());
    for text in &req.ranges {
        let r = Range::parse(text, doc)?;
        if ranges.iter().any(|q| q.path == r.path) {
            return Err(DesignError::Usage(format!("--range: the path `{}` is given twice", r.path)));
        }
        ranges.push(r);
    }
    let k = ranges.len();
    if req.kind == Kind::Sobol && 2 * k > sobol::MAX_DIMENSIONS {
        return Err(DesignError::Size {
            kind: "sobol",
            size: req.size,
            why: format!("at most {} ranges (got {k})", sobol::MAX_DIMENSIONS / 2),
        });
    }
    let limit = if req.kind == Kind::Sobol { sobol::MAX_POINTS } else { crate::batch::plan::MAX_TASKS };
    if req.size > limit {
        return Err(DesignError::Size { kind: req.kind.name(), size: req.size, why: format!("at most {limit}") });
    }
    let seed = (req.kind != Kind::Sobol).then_some(master_seed);
    let record = Record { kind: req.kind, size: req.size, ranges, seed };
    let unit = unit_points(&record);
    let paths: Vec<String> = record.ranges.iter().map(|r| r.path.clone()).collect();
    let points = unit
        .iter()
        .map(|u| record.ranges.iter().zip(u).map(|(r, x)| (r.path.clone(), r.value_at(*x))).collect())
        .collect();
    Ok((record, (paths, points)))
}

/// The design's points in the unit cube, in design-point order (see the module comment).
pub fn unit_points(record: &Record) -> Vec<Vec<f64>> {
    let (n, k) = (record.size as usize, record.ranges.len());
    match record.kind {
        Kind::Lhs => lhs::points(n, k, &mut design_rng(record)),
        Kind::Sobol => saltelli(n, k),
        Kind::Morris => {
            morris::trajectories(n, k, &mut design_rng(record)).into_iter().flat_map(|t| t.points).collect()
        }
    }
}

/// The Morris trajectories of a `morris` record (with the factor each step changes).
pub fn trajectories(record: &Record) -> Vec<morris::Trajectory> {
    morris::trajectories(record.size as usize, record.ranges.len(), &mut design_rng(record))
}

fn design_rng(record: &Record) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(record.seed.unwrap_or(0));
    rng.set_stream(fnv1a(format!("design:{}", record.kind.name()).as_bytes()));
    rng
}

/// A, B, AB_1 … AB_k stacked (N rows each).
fn saltelli(n: usize, k: usize) -> Vec<Vec<f64>> {
    let seq = sobol::points(n, 2 * k);
    let a = seq.iter().map(|p| p[..k].to_vec());
    let b = seq.iter().map(|p| p[k..].to_vec());
    let mut out: Vec<Vec<f64>> = a.chain(b).collect();
    for i in 0..k {
        for p in &seq {
            let mut row = p[..k].to_vec();
            row[i] = p[k + i];
            out.push(row);
        }
    }
    out
}

/// Points a design of `kind` and `size` over `k` ranges has.
pub fn point_count(kind: Kind, size: u64, k: usize) -> u64 {
    match kind {
        Kind::Lhs => size,
        Kind::Sobol => size.saturating_mul(k as u64 + 2),
        Kind::Morris => size.saturating_mul(k as u64 + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> toml::Table {
        toml::from_str("[unit.a]\nn = 3\nt = \"5m\"\n[unit.b]\nx = 0.5\n").unwrap()
    }

    fn req(kind: Kind, size: u64) -> Request {
        Request { kind, size, ranges: vec!["unit.a.n=1..9".into(), "unit.a.t=1m..1h".into(), "unit.b.x=0..1".into()] }
    }

    #[test]
    fn kinds_parse() {
        assert_eq!(Request::parse_kind("sobol:64").unwrap().unwrap(), (Kind::Sobol, 64));
        assert_eq!(Request::parse_kind("LHS:5").unwrap().unwrap(), (Kind::Lhs, 5));
        assert!(Request::parse_kind("sobol:4").unwrap().is_err(), "too small");
        assert!(Request::parse_kind("morris:x").unwrap().is_err());
        assert!(Request::parse_kind("points.csv").is_none());
        assert!(Request::parse_kind("c:/x.csv").is_none());
    }

    #[test]
    fn saltelli_blocks_share_columns() {
        let (rec, (paths, points)) = generate(&req(Kind::Sobol, 8), &doc(), 1).unwrap();
        assert_eq!(paths, ["unit.a.n", "unit.a.t", "unit.b.x"]);
        assert_eq!(points.len(), 8 * 5);
        assert_eq!(rec.seed, None);
        let u = unit_points(&rec);
        for j in 0..8 {
            for i in 0..3 {
                let ab = &u[(2 + i) * 8 + j];
                for c in 0..3 {
                    let from = if c == i { &u[8 + j] } else { &u[j] };
                    assert_eq!(ab[c], from[c]);
                }
            }
        }
        assert_eq!(generate(&req(Kind::Sobol, 8), &doc(), 2).unwrap().1, (paths, points), "seed-independent");
    }

    #[test]
    fn seeded_designs_repeat_and_differ_by_seed() {
        for kind in [Kind::Lhs, Kind::Morris] {
            let a = generate(&req(kind, 6), &doc(), 1).unwrap();
            assert_eq!(a, generate(&req(kind, 6), &doc(), 1).unwrap());
            assert_ne!(a.1, generate(&req(kind, 6), &doc(), 2).unwrap().1);
            assert_eq!(a.1.1.len() as u64, point_count(kind, 6, 3));
        }
    }

    #[test]
    fn a_design_needs_ranges() {
        let r = Request { ranges: vec![], ..req(Kind::Lhs, 4) };
        assert!(generate(&r, &doc(), 1).is_err());
        let twice = Request { ranges: vec!["unit.a.n=1..2".into(), "unit.a.n=3..4".into()], ..req(Kind::Lhs, 4) };
        assert!(generate(&twice, &doc(), 1).is_err());
    }
}
