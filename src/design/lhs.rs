//! Latin hypercube sampling: `n` points in `[0, 1)^k` such that, in every dimension,
//! each of the `n` strata `[j/n, (j+1)/n)` holds exactly one point. Dimension by
//! dimension a random permutation assigns strata to points, and each point lies at a
//! uniformly random place within its stratum (McKay, Beckman & Conover 1979).

use rand::seq::SliceRandom;
use rand::{Rng, RngExt};

/// `n` points in `k` dimensions drawn from `rng`.
pub fn points(n: usize, k: usize, rng: &mut impl Rng) -> Vec<Vec<f64>> {
    let mut out = vec![vec![0.0; k]; n];
    let mut strata: Vec<usize> = (0..n).collect();
    for d in 0..k {
        strata.shuffle(rng);
        for (point, stratum) in out.iter_mut().zip(&strata) {
            let u: f64 = rng.random();
            point[d] = (*stratum as f64 + u) / n as f64;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    #[test]
    fn one_point_per_stratum_per_dimension() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for (n, k) in [(1, 1), (7, 3), (50, 5)] {
            let p = points(n, k, &mut rng);
            assert_eq!(p.len(), n);
            for d in 0..k {
                let mut count = vec![0; n];
                for x in &p {
                    assert!((0.0..1.0).contains(&x[d]));
                    count[(x[d] * n as f64) as usize] += 1;
                }
                assert!(count.iter().all(|c| *c == 1), "n {n}, dimension {d}: {count:?}");
            }
        }
    }
}
