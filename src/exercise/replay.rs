//! Replaying an exercise log: the same scenario, variant and seed, and every recorded
//! action carried out again at its recorded simulated millisecond, give the same run
//! as the exercise did (`samverkan replay`); the same rebuilds a stopped exercise
//! (`samverkan exercise --resume`).

use super::apply::{self, Played};
use super::log::{Header, Observed, read_actions};
use super::session::{begin, load};
use super::{ActError, ExerciseError};
use crate::model::Model;
use crate::sim::{Engine, RunRecord};
use crate::time::{LocalDateTime, SimTime};
use std::path::Path;
use std::sync::Arc;

/// An exercise rebuilt from its log, its engine just past the last action.
pub struct Rebuilt {
    pub model: Arc<Model>,
    pub engine: Engine,
    pub played: Played,
    pub header: Header,
    /// Rows in the log below its header.
    pub rows: u64,
    /// The simulated time the log reached: its last action, time mark or observation.
    pub last: SimTime,
    /// The observation rows logged.
    pub observed: Vec<Observed>,
}

/// Reads the log at `path` and carries out its actions again.
pub fn rebuild(path: &Path) -> Result<Rebuilt, ExerciseError> {
    let log = read_actions(path)?;
    let bad = |row: usize, what: String| ExerciseError::BadLog { path: path.display().to_string(), row, what };
    let mut actions = log.actions.into_iter();
    let header = match actions.next() {
        Some((_, r)) if r.exercise.is_some() => r.exercise.unwrap_or_else(|| unreachable!()),
        Some((row, _)) => return Err(bad(row, "the first action row must record the exercise".into())),
        None => return Err(bad(2, "no action rows: not written by `samverkan exercise`".into())),
    };
    let model = load(Path::new(&header.scenario), header.variant.as_deref())?;
    if model.hash != header.hash {
        return Err(ExerciseError::Setup(format!(
            "{}: the scenario file has changed since the exercise (its hash was {}, is {}); replay needs the file as it was",
            header.scenario, header.hash, model.hash
        )));
    }
    let (mut engine, played) = begin(&model, &header)?;
    let mut last = 0;
    for (row, record) in actions {
        if record.exercise.is_some() {
            return Err(bad(row, "a second exercise in one log".into()));
        }
        if record.at_ms < engine.now() {
            return Err(bad(row, format!("its time ({} ms) is before the row above", record.at_ms)));
        }
        engine.run_until(record.at_ms)?;
        last = record.at_ms;
        let Some(act) = record.act.filter(|a| !a.is_clock()) else { continue };
        apply::carry_out(&mut engine, &model, &act).map_err(|e| match e {
            ActError::Broken(b) => b,
            other => bad(row, format!("the action cannot be carried out again: {other}")),
        })?;
    }
    // Observations are logged to the second, so the engine may stand just before the
    // latest of them: the resumed watch counts what was logged (messages and facts by id,
    // sessions and pictures by number), so nothing is logged twice when it happens again.
    if let Some(t) = log.last_observed.as_deref().and_then(|t| LocalDateTime::parse(t).ok()) {
        last = last.max(model.start.until(t));
    }
    Ok(Rebuilt { model, engine, played, header, rows: log.rows, last, observed: log.observed })
}

/// The simulated side of the exercise in the log at `path`, run to the scenario's end.
pub fn replay(path: &Path) -> Result<(Arc<Model>, RunRecord), ExerciseError> {
    let Rebuilt { model, mut engine, .. } = rebuild(path)?;
    engine.run()?;
    Ok((model, engine.finish()?))
}
