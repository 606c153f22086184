//! Per-run, per-municipality times of a batch (the map, docs/charts.md#map), and the
//! same per county (`county_runs.csv` and `counties.csv`, the county map) when the
//! scenario carries county codes ([`Division`]).
//!
//! While a batch runs, each finished run whose scenario gives municipality codes
//! appends its rows (one `write` under a lock, like `runs.csv`) to
//! `municipality_runs.csv`: point, variant, replication, municipality code, key fact,
//! and the minute its coordinating unit knew the fact (empty: never, or no unit). At
//! the end that file is rewritten sorted, and `municipalities.csv` summarises it per
//! (point, variant, municipality): runs, share that knew, p10, median and p90. A run
//! that never knew counts as later than every time (+∞), so a quantile is empty
//! ("never") when that share of runs or more never knew. Type-7 quantiles
//! ([`quantile`]), as stats.csv.
//!
//! Nothing here touches `runs.csv` or the other tables, so they stay byte-identical.

use super::BatchError;
use super::plan::{Layout, Task};
use crate::geo::knowing::{self, Division, MapRun};
use crate::output::{CsvDialect, OutputError, Table};
use crate::time::fmt_minutes;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The per-run rows.
pub const RUNS_FILE: &str = "municipality_runs.csv";
/// The per-run rows of the county map.
pub const COUNTY_RUNS_FILE: &str = "county_runs.csv";

/// The per-run file of `division`.
pub fn runs_file(division: Division) -> &'static str {
    match division {
        Division::Municipality => RUNS_FILE,
        Division::County => COUNTY_RUNS_FILE,
    }
}

/// The columns of the per-run file of `division`.
fn runs_columns(division: Division) -> [&'static str; 6] {
    ["point", "variant", "replication", division.columns().0, "fact", "known_min"]
}

/// `municipality_runs.csv` (or `county_runs.csv`) open for appending.
pub struct Times {
    division: Division,
    path: PathBuf,
    file: Mutex<File>,
}

impl Times {
    /// Opens the file in `dir`: a new one (`fresh`) or the one a resumed batch left (a
    /// last line cut short is dropped; a missing file is started).
    pub fn open(dir: &Path, fresh: bool) -> Result<Times, BatchError> {
        Times::open_for(dir, fresh, Division::Municipality)
    }

    /// [`Times::open`] for the per-run file of `division`.
    pub fn open_for(dir: &Path, fresh: bool, division: Division) -> Result<Times, BatchError> {
        let path = dir.join(runs_file(division));
        let header = format!("{}\n", runs_columns(division).join(","));
        crate::output::refuse_link(&path)?;
        let old = if fresh { Vec::new() } else { std::fs::read(&path).unwrap_or_default() };
        let complete = old.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let mut bytes = if complete == 0 { header.as_bytes().to_vec() } else { old[..complete].to_vec() };
        if !bytes.starts_with(header.as_bytes()) {
            bytes = header.as_bytes().to_vec();
        }
        std::fs::write(&path, &bytes).map_err(|e| OutputError::io(&path, e))?;
        let file = OpenOptions::new().append(true).open(&path).map_err(|e| OutputError::io(&path, e))?;
        Ok(Times { division, path, file: Mutex::new(file) })
    }

    /// The per-run files of every division, open for appending.
    pub fn open_all(dir: &Path, fresh: bool) -> Result<Vec<Times>, BatchError> {
        Division::ALL.into_iter().map(|d| Times::open_for(dir, fresh, d)).collect()
    }

    /// Appends the rows of one run to the file of each map's division.
    pub fn append_all(all: &[Times], layout: &Layout, task: Task, maps: &[MapRun]) -> Result<(), BatchError> {
        for t in all {
            t.append(layout, task, maps.iter().find(|m| m.division == t.division))?;
        }
        Ok(())
    }

    /// Appends the rows of one run (nothing when its scenario has no codes).
    pub fn append(&self, layout: &Layout, task: Task, m: Option<&MapRun>) -> Result<(), BatchError> {
        let Some(m) = m else { return Ok(()) };
        let mut text = String::new();
        for k in &m.rows {
            let known = if k.has_unit { k.known.map(fmt_minutes).unwrap_or_default() } else { String::new() };
            let fields = [
                task.point.to_string(),
                csv_field(&layout.variants[task.variant]),
                task.rep.to_string(),
                k.code.clone(),
                csv_field(&m.fact),
                known,
            ];
            text.push_str(&fields.join(","));
            text.push('\n');
        }
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(text.as_bytes()).map_err(|e| OutputError::io(&self.path, e))?;
        Ok(())
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// One per-run row read back.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeRow {
    /// The run.
    pub task: Task,
    /// The municipality code (`municipality_runs.csv`) or county code (`county_runs.csv`).
    pub code: String,
    /// The fact's id.
    pub fact: String,
    /// Minutes; `None`: never (or no coordinating unit).
    pub known: Option<f64>,
}

/// Reads `municipality_runs.csv` (or `county_runs.csv`) back: one row per (task,
/// code), the first if a task was recorded twice (a run redone after a crash), only
/// tasks in `keep`, sorted.
pub fn read(dir: &Path, layout: &Layout, keep: &[Task], division: Division) -> Result<Vec<TimeRow>, BatchError> {
    let path = dir.join(runs_file(division));
    let keep: std::collections::HashSet<&Task> = keep.iter().collect();
    let mut out: BTreeMap<(Task, String), TimeRow> = BTreeMap::new();
    for (_, row) in parse(&path, layout)? {
        if keep.contains(&row.task) {
            out.entry((row.task, row.code.clone())).or_insert(row);
        }
    }
    Ok(out.into_values().collect())
}

/// The rows of a finished shard's `municipality_runs.csv` or `county_runs.csv` (none when the file is
/// absent: a scenario without codes), checked strictly for a merge: every row's run
/// is one of `ok` (the shard's finished runs) and no (run, municipality) is repeated,
/// in this shard or in one merged before (`seen`).
pub fn read_shard(
    dir: &Path,
    layout: &Layout,
    ok: &std::collections::HashSet<Task>,
    seen: &mut std::collections::HashSet<(Task, String)>,
    division: Division,
) -> Result<Vec<TimeRow>, BatchError> {
    let path = dir.join(runs_file(division));
    if !path.is_file() {
        return Ok(vec![]);
    }
    let rows = parse(&path, layout)?;
    for (line, r) in &rows {
        let what = |why: &str| {
            let v = &layout.variants[r.task.variant];
            let (p, rep, code) = (r.task.point, r.task.rep, &r.code);
            BatchError::corrupt(
                &path,
                format!(
                    "line {line}: point {p}, variant {v}, replication {rep}, {} {code} {why}",
                    division.columns().1
                ),
            )
        };
        if !ok.contains(&r.task) {
            return Err(what("is not a finished run of this shard (in its runs.csv)"));
        }
        if !seen.insert((r.task, r.code.clone())) {
            return Err(what("is recorded twice (in this shard or another)"));
        }
    }
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// Every row of the file at `path` (in either CSV dialect), with its line number.
fn parse(path: &Path, layout: &Layout) -> Result<Vec<(u64, TimeRow)>, BatchError> {
    let bytes = std::fs::read(path).map_err(|e| OutputError::io(path, e))?;
    let (dialect, bytes) = crate::output::dialect::sniff(&bytes);
    let mut out = Vec::new();
    for rec in dialect.reader(bytes).records() {
        let rec = dialect.record_back(rec.map_err(|e| BatchError::corrupt(path, e))?);
        let line = rec.position().map_or(0, |p| p.line());
        let bad = |what: &str| BatchError::corrupt(path, format!("line {line}: {what}"));
        let f = |i: usize| rec.get(i).unwrap_or("");
        let point = f(0).parse::<usize>().map_err(|_| bad("point is not a number"))?;
        let variant = layout.variants.iter().position(|v| v == f(1)).ok_or_else(|| bad("unknown variant"))?;
        let rep = f(2).parse::<u64>().map_err(|_| bad("replication is not a number"))?;
        let known = if f(5).is_empty() { None } else { Some(f(5).parse::<f64>().map_err(|_| bad("known_min"))?) };
        let task = Task { point, variant, rep };
        out.push((line, TimeRow { task, code: f(3).to_string(), fact: f(4).to_string(), known }));
    }
    Ok(out)
}

/// A type-7 quantile of `sorted` values where `+∞` stands for never; `None`: never.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    sorted.first()?;
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    let (a, b) = (sorted[lo], sorted[hi]);
    let x = if lo == hi { a } else { a + (h - lo as f64) * (b - a) };
    x.is_finite().then_some(x)
}

/// Where and how [`write_tables`] writes.
pub struct Target<'a> {
    /// The batch (or shard) folder.
    pub dir: &'a Path,
    /// Municipalities or counties: which pair of files.
    pub division: Division,
    /// A whole batch (not a shard): the summary and `location.json` too.
    pub whole: bool,
    /// The CSV dialect of the written tables.
    pub dialect: CsvDialect,
}

/// Writes the sorted `municipality_runs.csv` (or `county_runs.csv`) and, for a whole
/// batch, `municipalities.csv` (`counties.csv`) and `location.json` (when the scenario
/// gives a place); nothing when no run recorded a municipality (county).
pub fn write_tables(
    to: &Target<'_>,
    layout: &Layout,
    rows: &[TimeRow],
    location: Option<&crate::model::Location>,
) -> Result<(), BatchError> {
    let (dir, d) = (to.dir, to.dialect);
    if rows.is_empty() {
        // A scenario without such codes: no file of header only.
        let path = dir.join(runs_file(to.division));
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(OutputError::io(&path, e).into()),
            _ => Ok(()),
        };
    }
    let mut runs = Table::in_dialect(d, &runs_columns(to.division));
    for r in rows {
        runs.row([
            r.task.point.to_string(),
            layout.variants[r.task.variant].clone(),
            r.task.rep.to_string(),
            r.code.clone(),
            r.fact.clone(),
            r.known.map(crate::output::num).unwrap_or_default(),
        ]);
    }
    runs.write(&dir.join(runs_file(to.division)))?;
    if !to.whole {
        return Ok(());
    }
    summary(layout, rows, to.division, d).write(&dir.join(to.division.file()))?;
    if let Some(l) = location {
        crate::output::write_atomic(&dir.join(knowing::LOCATION_FILE), &knowing::location_json(l))?;
    }
    Ok(())
}

/// `municipalities.csv` (`counties.csv`) of a batch: one row per (point, variant,
/// municipality or county).
pub fn summary(layout: &Layout, rows: &[TimeRow], division: Division, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &crate::report::map_data::batch_columns(division));
    let mut groups: BTreeMap<(usize, usize, &str), Vec<&TimeRow>> = BTreeMap::new();
    for r in rows {
        groups.entry((r.task.point, r.task.variant, r.code.as_str())).or_default().push(r);
    }
    for ((point, variant, code), g) in groups {
        let mut facts: Vec<&str> = Vec::new();
        for r in &g {
            if !facts.contains(&r.fact.as_str()) {
                facts.push(&r.fact);
            }
        }
        let mut v: Vec<f64> = g.iter().map(|r| r.known.unwrap_or(f64::INFINITY)).collect();
        v.sort_by(f64::total_cmp);
        let knew = g.iter().filter(|r| r.known.is_some()).count();
        let q = |p: f64| quantile(&v, p).map(crate::output::num).unwrap_or_default();
        t.row([
            point.to_string(),
            layout.variants[variant].clone(),
            code.to_string(),
            division.name_of(code).unwrap_or_default(),
            facts.join(";"),
            g.len().to_string(),
            crate::output::num(knew as f64 / g.len() as f64),
            q(0.1),
            q(0.5),
            q(0.9),
        ]);
    }
    t
}
