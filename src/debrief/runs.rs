//! The simulated side of a debrief: the batch's runs, each reduced to what the debrief
//! reads as soon as it ends (run records are not kept).

use crate::model::Model;
use crate::sim::{RunRecord, SimError};
use rayon::prelude::*;
use std::sync::Arc;

/// The seeds of a batch of `runs` replications with master seed `master`: the same as
/// `samverkan batch --runs N --seed S` uses, so a debrief and a batch see the same runs.
pub fn seeds(master: u64, runs: u64) -> Vec<u64> {
    (0..runs).map(|rep| crate::sim::rng::replication_seed(master, rep)).collect()
}

/// Runs `model` once per seed (in parallel on the current rayon pool) and reduces each
/// run with `reduce` as soon as it ends. Results are in seed order, whatever the thread
/// count; `tick` is called once per finished run (for a progress bar).
pub fn simulate<T: Send>(
    model: &Arc<Model>,
    seeds: &[u64],
    reduce: impl Fn(&RunRecord) -> T + Sync,
    tick: impl Fn() + Sync,
) -> Result<Vec<T>, SimError> {
    seeds
        .par_iter()
        .map(|&seed| {
            let record = crate::sim::run(model, seed)?;
            let out = reduce(&record);
            tick();
            Ok(out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_follow_the_seeds_whatever_the_threads() {
        let model =
            Arc::new(crate::scenario::load(std::path::Path::new("scenarios/stockholm-attack.toml"), None).unwrap());
        let seeds = seeds(model.seed, 6);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let a = one.install(|| simulate(&model, &seeds, |r| (r.seed, r.trace), || ()).unwrap());
        let b = simulate(&model, &seeds, |r| (r.seed, r.trace), || ()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.iter().map(|x| x.0).collect::<Vec<_>>(), seeds);
        assert_ne!(a[0].1, a[1].1, "different seeds give different runs");
    }
}
