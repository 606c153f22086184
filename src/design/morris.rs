//! Morris elementary-effects trajectories (Morris 1991) on a grid of [`LEVELS`] levels
//! `{0, 1/3, 2/3, 1}` with step [`DELTA`] = p / (2(p − 1)) = 2/3.
//!
//! Each trajectory starts at a point whose coordinates are drawn independently and
//! uniformly from the levels (plain random start, no Campolongo selection) and then
//! changes the factors one at a time, in a random order, each by +Δ where that stays in
//! [0, 1] and by −Δ otherwise (so each step's direction is as random as its start): a
//! trajectory has k + 1 points, consecutive ones differing in exactly one factor by Δ.

use rand::seq::SliceRandom;
use rand::{Rng, RngExt};

/// Levels p of the grid.
pub const LEVELS: u32 = 4;
/// The step Δ = p / (2(p − 1)), in the unit cube.
pub const DELTA: f64 = LEVELS as f64 / (2.0 * (LEVELS as f64 - 1.0));

/// One trajectory: its k + 1 points, and which factor changes at each of its k steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// The k + 1 points, each a point in the unit cube.
    pub points: Vec<Vec<f64>>,
    /// The factor that changes at each step (k entries).
    pub order: Vec<usize>,
}

/// `r` trajectories over `k` factors drawn from `rng`.
pub fn trajectories(r: usize, k: usize, rng: &mut impl Rng) -> Vec<Trajectory> {
    let step = (LEVELS - 1) as f64;
    (0..r)
        .map(|_| {
            let mut x: Vec<f64> = (0..k).map(|_| rng.random_range(0..LEVELS) as f64 / step).collect();
            let mut order: Vec<usize> = (0..k).collect();
            order.shuffle(rng);
            let mut points = vec![x.clone()];
            for &i in &order {
                x[i] = if x[i] + DELTA <= 1.0 + 1e-9 { x[i] + DELTA } else { x[i] - DELTA };
                // Back onto the grid exactly (k/3 for an integer k).
                x[i] = (x[i] * step).round() / step;
                points.push(x.clone());
            }
            Trajectory { points, order }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    #[test]
    fn each_step_changes_one_factor_by_delta() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let ts = trajectories(40, 4, &mut rng);
        let (mut up, mut down) = (0, 0);
        for t in &ts {
            assert_eq!(t.points.len(), 5);
            let mut sorted = t.order.clone();
            sorted.sort();
            assert_eq!(sorted, vec![0, 1, 2, 3], "every factor moves once");
            for (s, pair) in t.points.windows(2).enumerate() {
                let changed: Vec<usize> = (0..4).filter(|&i| pair[0][i] != pair[1][i]).collect();
                assert_eq!(changed, vec![t.order[s]]);
                let d = pair[1][changed[0]] - pair[0][changed[0]];
                assert!((d.abs() - DELTA).abs() < 1e-12, "step {d}");
                if d > 0.0 {
                    up += 1
                } else {
                    down += 1
                }
                for x in &pair[1] {
                    assert!((0.0..=1.0).contains(x));
                    assert!(((x * 3.0).round() - x * 3.0).abs() < 1e-12, "on the grid: {x}");
                }
            }
        }
        assert!(up > 0 && down > 0, "both directions occur: {up} up, {down} down");
    }
}
