//! Sobol indices from a Saltelli design: for N base rows with outputs f(A)_j, f(B)_j
//! and f(AB_i)_j, and V the variance of the 2N outputs of A and B,
//!
//! - first order (Saltelli et al. 2010, eq. (b) of table 2), with the outputs centred
//!   on their mean f̄ over A and B (which leaves its expectation unchanged, as
//!   E f(AB_i) = E f(A), and keeps an output with a large mean from swamping the
//!   estimate with noise): S1_i = (1/N) Σ_j (f(B)_j − f̄) · (f(AB_i)_j − f(A)_j) / V
//! - total (Jansen 1999): ST_i = (1/(2N)) Σ_j (f(A)_j − f(AB_i)_j)² / V
//!
//! Both are `None` when V is zero (an output that does not vary has no indices).

/// The outputs of one base row: f(A)_j, f(B)_j and f(AB_i)_j for each parameter i.
#[derive(Clone, Debug, PartialEq)]
pub struct BaseRow {
    /// f(A)_j.
    pub a: f64,
    /// f(B)_j.
    pub b: f64,
    /// f(AB_i)_j for each parameter i.
    pub ab: Vec<f64>,
}

/// First-order and total index of each parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Indices {
    /// The first-order index S1 of each parameter.
    pub first: Vec<f64>,
    /// The total index ST of each parameter.
    pub total: Vec<f64>,
}

/// Below this variance (relative to the squared mean, or absolute for a zero mean) an
/// output counts as constant.
const FLAT: f64 = 1e-12;

/// The indices over the base rows `rows[j]` for `j` in `pick` (a bootstrap resample, or
/// every row).
pub fn indices(rows: &[BaseRow], pick: &[usize]) -> Option<Indices> {
    let n = pick.len();
    let k = rows.first()?.ab.len();
    if n < 2 {
        return None;
    }
    let mean = pick.iter().map(|&j| rows[j].a + rows[j].b).sum::<f64>() / (2 * n) as f64;
    let var =
        pick.iter().map(|&j| (rows[j].a - mean).powi(2) + (rows[j].b - mean).powi(2)).sum::<f64>() / (2 * n - 1) as f64;
    if var <= FLAT * mean.powi(2).max(1.0) {
        return None;
    }
    let mut first = vec![0.0; k];
    let mut total = vec![0.0; k];
    for &j in pick {
        let r = &rows[j];
        for i in 0..k {
            first[i] += (r.b - mean) * (r.ab[i] - r.a);
            total[i] += (r.a - r.ab[i]).powi(2);
        }
    }
    Some(Indices {
        first: first.iter().map(|s| s / n as f64 / var).collect(),
        total: total.iter().map(|s| s / (2 * n) as f64 / var).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::sobol;

    /// f = x1 + 2·x2 on U(0,1)²: V1 = 1/12, V2 = 4/12, so S = (0.2, 0.8), ST = S.
    #[test]
    fn an_additive_function_gives_its_variance_shares() {
        let n = 1024;
        let seq = sobol::points(n, 4);
        let f = |x: &[f64]| x[0] + 2.0 * x[1];
        let rows: Vec<BaseRow> = seq
            .iter()
            .map(|p| {
                let (a, b) = (&p[..2], &p[2..]);
                let ab = (0..2)
                    .map(|i| {
                        let mut x = a.to_vec();
                        x[i] = b[i];
                        f(&x)
                    })
                    .collect();
                BaseRow { a: f(a), b: f(b), ab }
            })
            .collect();
        let all: Vec<usize> = (0..n).collect();
        let s = indices(&rows, &all).unwrap();
        for (got, want) in s.first.iter().zip([0.2, 0.8]).chain(s.total.iter().zip([0.2, 0.8])) {
            assert!((got - want).abs() < 0.02, "{got} vs {want}");
        }
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let rows = vec![BaseRow { a: 3.0, b: 3.0, ab: vec![3.0] }; 8];
        assert_eq!(indices(&rows, &(0..8).collect::<Vec<_>>()), None);
    }
}
