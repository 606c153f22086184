//! The plan of a batch: which design points, variants and replications run, and which
//! share of them this shard runs. Built from the request and checked — every design
//! point × variant compiled — before anything runs, so bad input fails fast.
//!
//! Tasks are numbered `g = (point × runs + rep) × variants + variant` and run in that
//! order: design point by design point, and within a point replication by replication
//! over every variant, so a batch cut short holds whole replications (every variant of
//! them), and only one point's compiled scenarios are needed at a time. Shard K/N runs
//! the K-th of N contiguous blocks of task numbers, `⌊(K−1)·T/N⌋ ≤ g < ⌊K·T/N⌋` for T
//! tasks: block sizes differ by at most one, and every block cycles through all
//! variants, so shards take about equally long even when one variant is slower.

use super::{BASE, BatchError};
use crate::design;
use crate::metrics::Headline;
use crate::model::Model;
use crate::scenario::{self, Parsed, Source, patch::parse_cli_value};
use crate::sim::rng::replication_seed;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Most tasks (runs × points × variants) one batch may hold.
pub const MAX_TASKS: u64 = 100_000_000;

/// What the user asked for, before it is checked.
#[derive(Clone, Debug)]
pub struct PlanSpec {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Replications per design point and variant.
    pub runs: u64,
    /// Master seed (default: the scenario's own).
    pub seed: Option<u64>,
    /// `None`: the base and every variant; `Some(list)`: the base and these.
    pub variants: Option<Vec<String>>,
    /// `PATH=V1,V2,...`, one per `--sweep`; the full grid is run.
    pub sweeps: Vec<String>,
    /// A CSV whose columns are paths and whose rows are design points.
    pub design: Option<PathBuf>,
    /// A generated design (`--design lhs:N|sobol:N|morris:R`) over `ranges`.
    pub generated: Option<(design::Kind, u64)>,
    /// `PATH=LOW..HIGH`, one per `--range` (only with `generated`).
    pub ranges: Vec<String>,
    /// The part of the batch this process runs (`--shard`; whole by default).
    pub shard: Shard,
}

impl PlanSpec {
    /// The defaults of `samverkan batch SCENARIO`.
    pub fn new(scenario: impl Into<PathBuf>) -> PlanSpec {
        PlanSpec {
            scenario: scenario.into(),
            runs: 200,
            seed: None,
            variants: None,
            sweeps: vec![],
            design: None,
            generated: None,
            ranges: vec![],
            shard: Shard::WHOLE,
        }
    }
}

/// Reads `--variants`: `all`, or names separated by commas (`base` may be among them).
pub fn parse_variants(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    if t == "all" {
        return None;
    }
    Some(t.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
}

/// One part of a batch split over several machines: shard `k` of `n` (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which shard (1-based).
    pub k: u64,
    /// Of how many.
    pub n: u64,
}

impl Shard {
    /// The whole batch: shard 1 of 1.
    pub const WHOLE: Shard = Shard { k: 1, n: 1 };

    /// Reads `K/N` with 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Result<Shard, BatchError> {
        let bad = || {
            BatchError::Usage(format!(
                "--shard `{text}`: write K/N with 1 ≤ K ≤ N, e.g. --shard 2/4 for the second of four shards"
            ))
        };
        let (k, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let k: u64 = k.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// Whether this is the whole batch (1 of 1).
    pub fn is_whole(&self) -> bool {
        self.n == 1
    }

    /// The task numbers of this shard in a batch of `total` tasks.
    pub fn range(&self, total: u64) -> std::ops::Range<u64> {
        let at = |k: u64| (k as u128 * total as u128 / self.n as u128) as u64;
        at(self.k - 1)..at(self.k)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// Everything that decides a batch's numbers, and nothing else (not the shard, not the
/// thread count): shards with the same layout can be merged, and a folder can be
/// resumed only with the same layout. Stored in `manifest.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// The scenario's name.
    pub scenario: String,
    /// Hash of the scenario file's bytes (hex).
    pub scenario_hash: String,
    /// The samverkan version (runs of other versions may differ).
    pub tool_version: String,
    /// The seed every run's seed is derived from.
    pub master_seed: u64,
    /// Replications per design point and variant.
    pub runs: u64,
    /// `base` first, then the variants in the order requested.
    pub variants: Vec<String>,
    /// The field paths that vary between design points (design columns, then sweeps).
    pub paths: Vec<String>,
    /// Each design point's value for each path, as written.
    pub points: Vec<IndexMap<String, String>>,
    /// Headline measures (`runs.csv` columns).
    pub measures: Vec<String>,
    /// Objective ids over all variants and points, in order of first appearance.
    pub objectives: Vec<String>,
    /// The generated design the points come from (absent for sweeps and design files,
    /// so their manifests and fingerprints are as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<design::Record>,
}

/// One replication of one design point under one variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Task {
    /// Index of the design point in the layout's `points`.
    pub point: usize,
    /// Index of the variant in the layout's `variants` (0: base).
    pub variant: usize,
    /// The replication (0-based).
    pub rep: u64,
}

impl Layout {
    /// Tasks in the whole batch (all shards).
    pub fn total_tasks(&self) -> u64 {
        self.runs * self.points.len() as u64 * self.variants.len() as u64
    }

    /// Task number `g` (see the module comment for the numbering).
    pub fn task(&self, g: u64) -> Task {
        let nv = self.variants.len() as u64;
        Task { variant: (g % nv) as usize, rep: g / nv % self.runs, point: (g / nv / self.runs) as usize }
    }

    /// The number of task `t` (inverse of [`Layout::task`]).
    pub fn task_number(&self, t: &Task) -> u64 {
        (t.point as u64 * self.runs + t.rep) * self.variants.len() as u64 + t.variant as u64
    }

    /// The tasks of `shard`, in task-number order.
    pub fn tasks(&self, shard: Shard) -> impl Iterator<Item = Task> + '_ {
        shard.range(self.total_tasks()).map(|g| self.task(g))
    }

    /// Whether task `t` belongs to `shard`.
    pub fn in_shard(&self, shard: Shard, t: &Task) -> bool {
        shard.range(self.total_tasks()).contains(&self.task_number(t))
    }

    /// Seed of replication `rep`: the same for every variant and point (common random
    /// numbers).
    pub fn seed(&self, rep: u64) -> u64 {
        replication_seed(self.master_seed, rep)
    }

    /// A short hash of the layout: equal layouts give equal fingerprints.
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        format!("{:016x}", crate::model::fnv1a(&json))
    }

    /// "design point 3 (a=1, b=2h)", or "" when the batch has no design points.
    pub fn describe_point(&self, point: usize) -> String {
        if self.paths.is_empty() {
            return String::new();
        }
        let set: Vec<String> = self.points[point].iter().map(|(p, v)| format!("{p}={v}")).collect();
        format!("design point {point} ({})", set.join(", "))
    }
}

/// Compiled scenarios are kept from the check when a plan has at most this many
/// point × variant combinations; a larger plan compiles them again as runs need them
/// (one point at a time per thread, see [`ModelCache`]), so memory does not grow with
/// the size of a design.
pub const MAX_KEPT_MODELS: usize = 64;

/// A checked batch: the layout, this process's shard, and the scenario to compile each
/// point × variant from (every one of them compiled once during the check).
pub struct Plan {
    /// What decides the batch's numbers.
    pub layout: Layout,
    /// The part of the batch this process runs.
    pub shard: Shard,
    /// The scenario file as named on the command line.
    pub scenario_file: String,
    /// The scenario parsed once; each point × variant is decoded and compiled from it.
    parsed: Parsed,
    /// `kept[point × variants + variant]`, or empty for a large plan.
    kept: Vec<Arc<Model>>,
}

/// The compiled scenarios of the design point a thread is working on.
#[derive(Default)]
pub struct ModelCache {
    point: usize,
    models: Vec<Option<Arc<Model>>>,
}

impl Plan {
    /// Reads the scenario and builds the plan.
    pub fn build(spec: &PlanSpec) -> Result<Plan, BatchError> {
        let source = Source::read(&spec.scenario)?;
        Plan::build_from(&source, spec)
    }

    /// Builds the plan for a scenario already read (`spec.scenario` is not read again).
    pub fn build_from(source: &Source, spec: &PlanSpec) -> Result<Plan, BatchError> {
        if spec.runs == 0 {
            return Err(BatchError::Usage("--runs must be at least 1".into()));
        }
        let parsed = Parsed::new(source)?;
        let base = scenario::build_parsed(&parsed, None, &[])?;
        let variants = choose_variants(&base, spec.variants.as_deref(), &source.file)?;
        let master_seed = spec.seed.unwrap_or(base.seed);
        let (paths, points, design) = design_points(spec, source, master_seed)?;
        let total = spec.runs.saturating_mul(points.len() as u64).saturating_mul(variants.len() as u64);
        if total > MAX_TASKS {
            return Err(BatchError::Usage(format!(
                "the batch would hold {total} runs ({} points × {} variants × {} replications); at most {MAX_TASKS} are allowed",
                points.len(),
                variants.len(),
                spec.runs
            )));
        }
        let mut layout = Layout {
            scenario: base.name.to_string(),
            scenario_hash: base.hash.clone(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            master_seed,
            runs: spec.runs,
            variants,
            paths,
            points,
            measures: Headline::ALL.iter().map(|h| h.name().to_string()).collect(),
            objectives: vec![],
            design,
        };
        let (kept, objectives) = compile_all(&parsed, &layout)?;
        layout.objectives = objectives;
        Ok(Plan { layout, shard: spec.shard, scenario_file: source.file.clone(), parsed, kept })
    }

    /// The compiled scenario a task runs (from `cache`, or compiled into it).
    pub fn model(&self, t: &Task, cache: &mut ModelCache) -> Result<Arc<Model>, BatchError> {
        let nv = self.layout.variants.len();
        if !self.kept.is_empty() {
            return Ok(self.kept[t.point * nv + t.variant].clone());
        }
        if cache.point != t.point || cache.models.len() != nv {
            *cache = ModelCache { point: t.point, models: vec![None; nv] };
        }
        if let Some(m) = &cache.models[t.variant] {
            return Ok(m.clone());
        }
        let m = Arc::new(compile(&self.parsed, &self.layout, t.point, t.variant)?);
        cache.models[t.variant] = Some(m.clone());
        Ok(m)
    }

    /// The scenario as read when the plan was built (the bytes every run compiles from).
    pub fn source(&self) -> &Source {
        &self.parsed.source
    }

    /// This shard's tasks, in task-number order.
    pub fn tasks(&self) -> impl Iterator<Item = Task> + '_ {
        self.layout.tasks(self.shard)
    }
}

/// Where the incident of `layout`'s batch happens, as a whole batch writes it to
/// `location.json`: from the scenario `source` compiled at design point 0, first variant.
pub fn location_of(source: &Source, layout: &Layout) -> Result<Option<crate::model::Location>, BatchError> {
    let parsed = Parsed::new(source)?;
    Ok(compile(&parsed, layout, 0, 0)?.location)
}

/// Compiles design point `point` under variant number `variant`.
fn compile(parsed: &Parsed, layout: &Layout, point: usize, variant: usize) -> Result<Model, BatchError> {
    let overrides: Vec<(String, toml::Value)> =
        layout.points[point].iter().map(|(path, text)| (path.clone(), parse_cli_value(text))).collect();
    let v = &layout.variants[variant];
    scenario::build_parsed(parsed, (v != BASE).then_some(v.as_str()), &overrides).map_err(|error| {
        let context = [layout.describe_point(point), format!("variant `{v}`")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        BatchError::Point { context: format!("in the batch plan, {context}"), error }
    })
}

fn choose_variants(base: &Model, asked: Option<&[String]>, file: &str) -> Result<Vec<String>, BatchError> {
    if base.variants.iter().any(|v| v == BASE) {
        return Err(BatchError::Usage(format!(
            "{file}: a variant is named `{BASE}`, which batches use for the scenario without variants; rename it"
        )));
    }
    let mut out = vec![BASE.to_string()];
    let names: Vec<String> = match asked {
        None => base.variants.clone(),
        Some(list) => list.to_vec(),
    };
    for name in names {
        if name == BASE || out.contains(&name) {
            continue;
        }
        if !base.variants.contains(&name) {
            let known = if base.variants.is_empty() { "no variants".into() } else { base.variants.join(", ") };
            return Err(BatchError::Usage(format!("--variants: {file} has no variant `{name}`; it defines: {known}")));
        }
        out.push(name);
    }
    Ok(out)
}

/// Compiles every design point under every variant; reports the first failure and how
/// many there were. Returns the models if there are few enough to keep, and the ids of
/// the objectives over all of them.
fn compile_all(parsed: &Parsed, layout: &Layout) -> Result<(Vec<Arc<Model>>, Vec<String>), BatchError> {
    let n = layout.points.len() * layout.variants.len();
    let (mut kept, mut objectives) = (Vec::new(), Vec::<String>::new());
    let (mut first, mut failures) = (None, 0usize);
    for p in 0..layout.points.len() {
        for v in 0..layout.variants.len() {
            match compile(parsed, layout, p, v) {
                Ok(m) => {
                    for o in &m.objectives {
                        if !objectives.contains(&o.id) {
                            objectives.push(o.id.clone());
                        }
                    }
                    if n <= MAX_KEPT_MODELS {
                        kept.push(Arc::new(m));
                    }
                }
                Err(e) => {
                    failures += 1;
                    first.get_or_insert(e);
                }
            }
        }
    }
    match first {
        None => Ok((kept, objectives)),
        Some(BatchError::Point { context, error }) => {
            let many = if failures > 1 {
                format!("one of {failures} point × variant combinations that do not compile; ")
            } else {
                String::new()
            };
            Err(BatchError::Point { context: format!("{context} ({many}nothing was run)"), error })
        }
        Some(e) => Err(e),
    }
}

/// Field paths and design points (each point's value text per path).
pub type Design = (Vec<String>, Vec<IndexMap<String, String>>);

/// Field paths, design points, and the generated design they come from (if any).
type GeneratedPoints = (Vec<String>, Vec<IndexMap<String, String>>, Option<design::Record>);

/// The design points: a generated design, or the rows of `--design` (or one empty row)
/// × the grid of sweeps.
fn design_points(spec: &PlanSpec, source: &Source, master_seed: u64) -> Result<GeneratedPoints, BatchError> {
    let Some((kind, size)) = spec.generated else {
        if !spec.ranges.is_empty() {
            return Err(BatchError::Usage(
                "--range needs a generated design: add --design lhs:N, sobol:N or morris:R".into(),
            ));
        }
        let (paths, points) = grid_points(spec)?;
        return Ok((paths, points, None));
    };
    if !spec.sweeps.is_empty() || spec.design.is_some() {
        return Err(BatchError::Usage(format!(
            "--design {}:{size} cannot be combined with --sweep or a design file; give every varied field as a --range",
            kind.name()
        )));
    }
    let doc: toml::Table =
        toml::from_str(&source.text).map_err(|e| BatchError::Usage(format!("{}: {e}", source.file)))?;
    let request = design::Request { kind, size, ranges: spec.ranges.clone() };
    let (record, (paths, points)) = design::generate(&request, &doc, master_seed)?;
    Ok((paths, points, Some(record)))
}

/// The rows of `--design FILE` (or one empty row) × the grid of sweeps.
fn grid_points(spec: &PlanSpec) -> Result<Design, BatchError> {
    let (mut paths, mut points) = match &spec.design {
        Some(file) => read_design(file)?,
        None => (vec![], vec![IndexMap::new()]),
    };
    for text in &spec.sweeps {
        let (path, values) = parse_sweep(text)?;
        if paths.contains(&path) {
            return Err(BatchError::Usage(format!("the path `{path}` is given twice (in --sweep or --design)")));
        }
        paths.push(path.clone());
        let mut grid = Vec::with_capacity(points.len() * values.len());
        for p in &points {
            for v in &values {
                let mut q = p.clone();
                q.insert(path.clone(), v.clone());
                grid.push(q);
            }
        }
        points = grid;
    }
    Ok((paths, points))
}

/// Reads `PATH=V1,V2,...`; values are split at commas outside brackets and quotes, so
/// `{ uniform = ["1m", "5m"] }` is one value.
pub fn parse_sweep(text: &str) -> Result<(String, Vec<String>), BatchError> {
    let bad = |why: &str| {
        BatchError::Usage(format!(
            "--sweep `{text}`: {why}; write PATH=V1,V2,..., e.g. --sweep conference.regional.activated.every=1h,2h,4h"
        ))
    };
    let (path, values) = text.split_once('=').ok_or_else(|| bad("no `=`"))?;
    let path = path.trim().to_string();
    if path.is_empty() {
        return Err(bad("no field path before `=`"));
    }
    let values = split_values(values);
    if values.iter().any(|v| v.is_empty()) {
        return Err(bad("an empty value"));
    }
    Ok((path, values))
}

fn split_values(text: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut quote) = (vec![], String::new(), 0i32, None::<char>);
    for c in text.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur.trim().to_string());
    out
}

/// Reads a design file: a header of field paths, one design point per row.
pub fn read_design(file: &Path) -> Result<Design, BatchError> {
    let name = file.display().to_string();
    let err = |line: Option<u64>, why: String| {
        BatchError::Usage(match line {
            Some(l) => format!("{name}:{l}: {why}"),
            None => format!("{name}: {why}"),
        })
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_path(file)
        .map_err(|e| err(None, format!("cannot read the design file: {e}")))?;
    let paths: Vec<String> =
        reader.headers().map_err(|e| err(Some(1), e.to_string()))?.iter().map(str::to_string).collect();
    if paths.is_empty() || paths.iter().any(|p| p.is_empty()) {
        return Err(err(Some(1), "the first row must name a field path in every column".into()));
    }
    if let Some(dup) = paths.iter().enumerate().find(|(i, p)| paths[..*i].contains(p)) {
        return Err(err(Some(1), format!("the path `{}` heads two columns", dup.1)));
    }
    let mut points = vec![];
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line());
            err(line, format!("{e}; every row needs one value per column"))
        })?;
        let line = record.position().map(|p| p.line());
        let mut point = IndexMap::new();
        for (path, value) in paths.iter().zip(record.iter()) {
            if value.is_empty() {
                return Err(err(line, format!("no value for `{path}`")));
            }
            point.insert(path.clone(), value.to_string());
        }
        points.push(point);
    }
    if points.is_empty() {
        return Err(err(None, "no design points: add one row of values per point under the header".into()));
    }
    Ok((paths, points))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_values_split_outside_brackets() {
        let (p, v) = parse_sweep("unit.x.processing={ uniform = [\"1m\", \"5m\"] }, 3m ,'a,b'").unwrap();
        assert_eq!(p, "unit.x.processing");
        assert_eq!(v, vec!["{ uniform = [\"1m\", \"5m\"] }", "3m", "'a,b'"]);
        assert!(parse_sweep("a.b=1,,2").is_err());
        assert!(parse_sweep("a.b").is_err());
        assert!(parse_sweep("=1").is_err());
    }

    #[test]
    fn shards() {
        assert_eq!(Shard::parse("2/4").unwrap(), Shard { k: 2, n: 4 });
        for bad in ["0/4", "5/4", "2", "a/b", "1/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn task_numbers_round_trip_and_shards_partition() {
        let layout = Layout {
            scenario: "s".into(),
            scenario_hash: "h".into(),
            tool_version: "0".into(),
            master_seed: 1,
            runs: 5,
            variants: vec!["base".into(), "v".into(), "w".into()],
            paths: vec![],
            points: vec![IndexMap::new(), IndexMap::new()],
            measures: vec![],
            objectives: vec![],
            design: None,
        };
        assert_eq!(layout.total_tasks(), 30);
        for g in 0..30 {
            assert_eq!(layout.task_number(&layout.task(g)), g);
        }
        let sizes: Vec<usize> = (1..=4).map(|k| layout.tasks(Shard { k, n: 4 }).count()).collect();
        assert_eq!(sizes, [7, 8, 7, 8]);
        let mut all: Vec<Task> = (1..=4).flat_map(|k| layout.tasks(Shard { k, n: 4 }).collect::<Vec<_>>()).collect();
        assert!(all.iter().all(|t| (1..=4).filter(|k| layout.in_shard(Shard { k: *k, n: 4 }, t)).count() == 1));
        all.sort();
        let mut whole: Vec<Task> = layout.tasks(Shard::WHOLE).collect();
        whole.sort();
        assert_eq!(all, whole);
        assert_eq!(layout.task(7), Task { rep: 2, point: 0, variant: 1 });
        assert_eq!(layout.task(16), Task { rep: 0, point: 1, variant: 1 });
    }
}
