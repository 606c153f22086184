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
    use crate::sim::{ConfState, UnitNo};
    use bevy_ecs::prelude::*;
    use std::path::Path;

    fn load(file: &str) -> Arc<Model> {
        Arc::new(crate::scenario::load(Path::new(file), None).expect("a test scenario"))
    }

    /// Unit and conference entities in `world`.
    fn actors(world: &mut World) -> usize {
        world.query_filtered::<Entity, Or<(With<UnitNo>, With<ConfState>)>>().iter(world).count()
    }

    /// Runs of other sizes before leave nothing behind: once a run's records are taken
    /// its units and conferences are gone (and the memory they held), a reset world
    /// holds the next model's units and conferences only, and the run is the same.
    #[test]
    fn a_reset_world_holds_what_a_new_one_holds() {
        let (big, small) = (load("scenarios/stockholm-attack.toml"), load("tests/scenarios/chain.toml"));
        assert_ne!(big.units.len(), small.units.len());
        let mut runner = Runner::default();
        runner.run(&big, 1, Recording::Full).expect("run");
        runner.run(&small, 2, Recording::Summary).expect("run");
        let engine = runner.engine.as_mut().expect("kept after a run that ended well");
        assert_eq!(actors(&mut engine.world), 0, "nothing of the last run is left");
        engine.reset(&big, 3, Recording::Full);
        assert_eq!(actors(&mut engine.world), big.units.len() + big.conferences.len());
        engine.run().expect("run");
        let again = engine.take_record().expect("record");
        let mut fresh = Engine::new(&big, 3);
        fresh.run().expect("run");
        let record = fresh.finish().expect("record");
        assert_eq!((again.events, again.trace), (record.events, record.trace));
    }
}
