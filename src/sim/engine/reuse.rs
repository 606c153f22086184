//! Runs one after another on one `World` and its systems: a batch thread builds the
//! world and registers the systems once, and resets them per run
//! ([`Engine::reset`]), instead of building both for every replication.
//!
//! A run on a reused world is the same run as on a new one, byte for byte, whatever ran
//! before it (`tests/integration/reuse.rs` runs seeds and variants in another order on
//! one runner and compares them with new engines).

use crate::model::Model;
use crate::sim::{Engine, Recording, RunRecord, SimError};
use std::sync::Arc;

/// An engine kept from run to run (one per thread; not shared).
#[derive(Default)]
pub struct Runner {
    /// The engine of the last run that ended well; `None` before the first run and after
    /// a run that failed or panicked (the next run then builds a new one).
    engine: Option<Engine>,
}

impl Runner {
    /// Runs `model` with `seed` to its end, recording what `recording` asks for: the same
    /// record as [`crate::sim::run_recording`].
    pub fn run(&mut self, model: &Arc<Model>, seed: u64, recording: Recording) -> Result<RunRecord, SimError> {
        // Taken out for the run: a run that panics drops it with the unwinding, and
        // one that fails leaves it behind, so a world is only reused after a run that
        // ended well.
        let mut engine = match self.engine.take() {
            Some(mut engine) => {
                engine.reset(model, seed, recording);
                engine
            }
            None => Engine::recording(model, seed, recording),
        };
        engine.run()?;
        let record = engine.take_record()?;
        self.engine = Some(engine);
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn load(file: &str) -> Arc<Model> {
        Arc::new(crate::scenario::load(Path::new(file), None).expect("a test scenario"))
    }

    /// Runs of other sizes in between leave nothing behind: the reused world holds as
    /// many entities as a new one after the same run (no unit or conference of an
    /// earlier run left over), and the run is the same.
    #[test]
    fn a_reset_world_holds_what_a_new_one_holds() {
        let (big, small) = (load("scenarios/stockholm-attack.toml"), load("tests/scenarios/chain.toml"));
        assert_ne!(big.units.len(), small.units.len());
        let mut runner = Runner::default();
        runner.run(&big, 1, Recording::Full).expect("run");
        runner.run(&small, 2, Recording::Summary).expect("run");
        let again = runner.run(&big, 3, Recording::Full).expect("run");
        let mut fresh = Engine::new(&big, 3);
        fresh.run().expect("run");
        let record = fresh.take_record().expect("record");
        let reused = &runner.engine.as_ref().expect("kept after a run that ended well").world;
        assert_eq!(reused.entity_count(), fresh.world.entity_count());
        assert_eq!((again.events, again.trace), (record.events, record.trace));
    }
}
