//! The Sobol low-discrepancy sequence (Bratley–Fox / Joe–Kuo construction), without
//! scrambling, in Gray-code order: point `i` of dimension `d` is the XOR of the
//! direction numbers `v_k` of the bits set in `i ^ (i >> 1)`. Dimension 1 is the van der
//! Corput sequence; dimensions 2–[`MAX_DIMENSIONS`] use the primitive polynomials and
//! initial direction numbers of Joe and Kuo's file `new-joe-kuo-6.21201` (S. Joe and
//! F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional projections",
//! SIAM J. Sci. Comput. 30, 2008). The points are those of SciPy's
//! `qmc.Sobol(d, scramble=False)`, starting with the all-zero point.

/// Bits of precision of each coordinate.
const BITS: u32 = 32;

/// (degree s, coefficients a, initial m_1..m_s) for dimensions 2, 3, …, 31.
const JOE_KUO: [(u32, u32, &[u32]); 30] = [
    (1, 0, &[1]),
    (2, 1, &[1, 3]),
    (3, 1, &[1, 3, 1]),
    (3, 2, &[1, 1, 1]),
    (4, 1, &[1, 1, 3, 3]),
    (4, 4, &[1, 3, 5, 13]),
    (5, 2, &[1, 1, 5, 5, 17]),
    (5, 4, &[1, 1, 5, 5, 5]),
    (5, 7, &[1, 1, 7, 11, 19]),
    (5, 11, &[1, 1, 5, 1, 1]),
    (5, 13, &[1, 1, 1, 3, 11]),
    (5, 14, &[1, 3, 5, 5, 31]),
    (6, 1, &[1, 3, 3, 9, 7, 49]),
    (6, 13, &[1, 1, 1, 15, 21, 21]),
    (6, 16, &[1, 3, 1, 13, 27, 49]),
    (6, 19, &[1, 1, 1, 15, 7, 5]),
    (6, 22, &[1, 3, 1, 15, 13, 25]),
    (6, 25, &[1, 1, 5, 5, 19, 61]),
    (7, 1, &[1, 3, 7, 11, 23, 15, 103]),
    (7, 4, &[1, 3, 7, 13, 13, 15, 69]),
    (7, 7, &[1, 1, 3, 13, 7, 35, 63]),
    (7, 8, &[1, 3, 5, 9, 1, 25, 53]),
    (7, 14, &[1, 3, 1, 13, 9, 35, 107]),
    (7, 19, &[1, 3, 1, 5, 27, 61, 31]),
    (7, 21, &[1, 1, 5, 11, 19, 41, 61]),
    (7, 28, &[1, 3, 5, 3, 3, 13, 69]),
    (7, 31, &[1, 1, 7, 13, 1, 19, 1]),
    (7, 32, &[1, 3, 7, 5, 13, 19, 59]),
    (7, 37, &[1, 1, 3, 9, 25, 29, 41]),
    (7, 41, &[1, 3, 5, 13, 23, 1, 55]),
];

/// Dimensions available (so a Saltelli design takes at most half as many parameters).
pub const MAX_DIMENSIONS: usize = JOE_KUO.len() + 1;

/// Most points of one sequence (coordinates have [`BITS`] bits).
pub const MAX_POINTS: u64 = 1 << BITS;

/// Direction numbers v_1..v_BITS of dimension `d` (0-based), scaled by 2^32.
fn directions(d: usize) -> [u32; BITS as usize] {
    let mut v = [0u32; BITS as usize];
    if d == 0 {
        for (k, vk) in v.iter_mut().enumerate() {
            *vk = 1 << (BITS - 1 - k as u32);
        }
        return v;
    }
    let (s, a, m) = JOE_KUO[d - 1];
    let s = s as usize;
    for k in 0..BITS as usize {
        v[k] = if k < s {
            m[k] << (BITS - 1 - k as u32)
        } else {
            let mut x = v[k - s] ^ (v[k - s] >> s);
            for j in 1..s {
                if (a >> (s - 1 - j)) & 1 == 1 {
                    x ^= v[k - j];
                }
            }
            x
        };
    }
    v
}

/// The first `n` points of the sequence in `dims` dimensions (each in [0, 1)).
/// Panics if `dims > MAX_DIMENSIONS`; callers check.
pub fn points(n: usize, dims: usize) -> Vec<Vec<f64>> {
    assert!(dims <= MAX_DIMENSIONS, "at most {MAX_DIMENSIONS} Sobol dimensions");
    let dirs: Vec<[u32; BITS as usize]> = (0..dims).map(directions).collect();
    let scale = 2f64.powi(BITS as i32);
    (0..n as u64)
        .map(|i| {
            let gray = i ^ (i >> 1);
            dirs.iter()
                .map(|v| {
                    let mut x = 0u32;
                    for (k, vk) in v.iter().enumerate() {
                        if (gray >> k) & 1 == 1 {
                            x ^= vk;
                        }
                    }
                    x as f64 / scale
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_points_match_the_published_sequence() {
        // SciPy: qmc.Sobol(d=3, scramble=False).random(8) (Joe–Kuo direction numbers).
        let want = [
            [0.0, 0.0, 0.0],
            [0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25],
            [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625],
            [0.875, 0.875, 0.125],
            [0.625, 0.125, 0.875],
            [0.125, 0.625, 0.375],
        ];
        let got = points(8, 3);
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g.as_slice(), w.as_slice());
        }
    }

    #[test]
    fn every_dimension_is_stratified() {
        // The first 2^m points of every dimension hold one point in each of the 2^m
        // intervals [j/2^m, (j+1)/2^m) (a (0, m, 1)-net).
        let n = 64;
        let p = points(n, MAX_DIMENSIONS);
        for d in 0..MAX_DIMENSIONS {
            let mut seen = vec![false; n];
            for x in &p {
                seen[(x[d] * n as f64) as usize] = true;
            }
            assert!(seen.iter().all(|s| *s), "dimension {d}");
        }
    }
}
