//! One row of `runs.csv`: a replication of a design point under a variant, with its
//! seed, whether it finished, its headline measures and its objectives.
//!
//! Rows are always formatted with [`crate::output::num`] and every table of a batch is
//! computed from rows as read back from text, so a batch, a resumed batch and a merge of
//! shards give the same bytes.

use super::plan::{Layout, Task};
use crate::metrics::Summary;
use crate::output::names::batch as names;
use crate::output::{CsvDialect, opt};

/// One replication's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Which run.
    pub task: Task,
    /// The run's seed.
    pub seed: u64,
    /// Empty when the run finished; otherwise why it failed (one line).
    pub error: String,
    /// Headline measures in the layout's order; `None` when it never happened.
    pub measures: Vec<Option<f64>>,
    /// Per objective of the layout: met or not (`None` when the run failed or the
    /// objective is not defined under this variant and point).
    pub met: Vec<Option<bool>>,
    /// Per objective: the measured value (`None` when it never happened).
    pub values: Vec<Option<f64>>,
}

impl Row {
    /// Whether the run finished.
    pub fn ok(&self) -> bool {
        self.error.is_empty()
    }

    /// The row of a finished run.
    pub fn finished(layout: &Layout, task: Task, s: &Summary) -> Row {
        let measures = layout.measures.iter().map(|m| s.measures.by_name(m).flatten()).collect();
        let find = |id: &String| s.objectives.iter().find(|o| &o.id == id);
        Row {
            task,
            seed: s.seed,
            error: String::new(),
            measures,
            met: layout.objectives.iter().map(|id| find(id).map(|o| o.met)).collect(),
            values: layout.objectives.iter().map(|id| find(id).and_then(|o| o.value)).collect(),
        }
    }

    /// The row of a run that failed with `reason`.
    pub fn failed(layout: &Layout, task: Task, seed: u64, reason: &str) -> Row {
        let one_line: String = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        Row {
            task,
            seed,
            error: if one_line.is_empty() { "failed".into() } else { one_line },
            measures: vec![None; layout.measures.len()],
            met: vec![None; layout.objectives.len()],
            values: vec![None; layout.objectives.len()],
        }
    }

    /// The fields of this row under [`header`].
    pub fn fields(&self, layout: &Layout) -> Vec<String> {
        let t = &self.task;
        let mut f = vec![t.point.to_string()];
        f.extend(layout.paths.iter().map(|p| layout.points[t.point][p].clone()));
        f.push(layout.variants[t.variant].clone());
        f.push(t.rep.to_string());
        f.push(self.seed.to_string());
        f.push(if self.ok() { names::STATUS_OK } else { "failed" }.to_string());
        f.extend(self.measures.iter().map(|v| opt(*v)));
        for (met, value) in self.met.iter().zip(&self.values) {
            f.push(met.map(|m| if m { "1" } else { "0" }.to_string()).unwrap_or_default());
            f.push(opt(*value));
        }
        f.push(self.error.clone());
        f
    }

    /// Reads a row written by [`Row::fields`], checking it belongs to `layout`.
    pub fn parse(layout: &Layout, rec: &csv::StringRecord) -> Result<Row, String> {
        if rec.len() != header(layout).len() {
            return Err(format!("{} fields where the header has {}", rec.len(), header(layout).len()));
        }
        let mut it = rec.iter();
        let mut next = || it.next().unwrap_or_default();
        let point: usize = next().parse().map_err(|_| "bad point number".to_string())?;
        if point >= layout.points.len() {
            return Err(format!("design point {point} is not in this batch"));
        }
        for _ in &layout.paths {
            next();
        }
        let vname = next();
        let variant =
            layout.variants.iter().position(|v| v == vname).ok_or(format!("variant `{vname}` is not in this batch"))?;
        let rep: u64 = next().parse().map_err(|_| "bad replication number".to_string())?;
        let seed: u64 = next().parse().map_err(|_| "bad seed".to_string())?;
        if rep >= layout.runs || seed != layout.seed(rep) {
            return Err(format!("replication {rep} with seed {seed} does not belong to this batch"));
        }
        let status = next().to_string();
        let number = |s: &str| -> Result<Option<f64>, String> {
            if s.is_empty() { Ok(None) } else { s.parse().map(Some).map_err(|_| format!("`{s}` is not a number")) }
        };
        let mut measures = Vec::with_capacity(layout.measures.len());
        for _ in &layout.measures {
            measures.push(number(next())?);
        }
        let (mut met, mut values) = (vec![], vec![]);
        for _ in &layout.objectives {
            met.push(match next() {
                "" => None,
                "1" => Some(true),
                "0" => Some(false),
                s => return Err(format!("`{s}` is not 0 or 1")),
            });
            values.push(number(next())?);
        }
        let error = next().to_string();
        if (status == "ok") != error.is_empty() || !matches!(status.as_str(), "ok" | "failed") {
            return Err(format!("status `{status}` does not fit the error column"));
        }
        Ok(Row { task: Task { point, variant, rep }, seed, error, measures, met, values })
    }
}

/// The columns of `runs.csv`.
pub fn header(layout: &Layout) -> Vec<String> {
    let mut h = vec![names::POINT.to_string()];
    h.extend(layout.paths.iter().cloned());
    h.extend([names::VARIANT, "replication", names::SEED, names::STATUS].map(String::from));
    h.extend(layout.measures.iter().cloned());
    for id in &layout.objectives {
        h.push(format!("objective.{id}.met"));
        h.push(format!("objective.{id}.value"));
    }
    h.push("error".into());
    h
}

/// A row as one CSV line of dialect `d` (with its line end), ready to append.
pub fn line(fields: &[String], d: CsvDialect) -> Vec<u8> {
    let mut w = d.writer(Vec::new());
    let _ = w.write_record(fields.iter().map(|f| d.field(f).into_owned()));
    w.into_inner().unwrap_or_default()
}
