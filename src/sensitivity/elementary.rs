//! Morris screening from elementary effects: along a trajectory, the step that moves
//! parameter i from x to x' changes the output from y to y', an elementary effect
//! EE_i = (y' − y) / (u' − u), where u is x as a share of the parameter's range (so EE
//! is in output units per whole range). Over the trajectories, μ*_i is the mean of
//! |EE_i| (Campolongo, Cariboni & Saltelli 2007) and σ_i their standard deviation
//! (divisor n − 1): a large μ* marks an influential parameter, a large σ one that
//! interacts with others or acts non-linearly.

/// The elementary effects of one trajectory, one per parameter (`None` where the
/// step left the value unchanged after rounding).
pub type Effects = Vec<Option<f64>>;

/// μ* and σ of each parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Screening {
    /// μ*: the mean absolute elementary effect of each parameter (`None`: no effect measured).
    pub mu_star: Vec<Option<f64>>,
    /// σ: the standard deviation of each parameter's elementary effects.
    pub sigma: Vec<Option<f64>>,
}

/// μ* and σ over the trajectories `rows[r]` for `r` in `pick`.
pub fn screening(rows: &[Effects], pick: &[usize]) -> Screening {
    let k = rows.first().map_or(0, Vec::len);
    let per: Vec<(Option<f64>, Option<f64>)> = (0..k)
        .map(|i| {
            let e: Vec<f64> = pick.iter().filter_map(|&r| rows[r][i]).collect();
            if e.is_empty() {
                return (None, None);
            }
            let n = e.len() as f64;
            let mu_star = e.iter().map(|x| x.abs()).sum::<f64>() / n;
            let mean = e.iter().sum::<f64>() / n;
            let sigma = (e.len() > 1).then(|| (e.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt());
            (Some(mu_star), sigma)
        })
        .collect();
    Screening { mu_star: per.iter().map(|p| p.0).collect(), sigma: per.iter().map(|p| p.1).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mu_star_and_sigma_by_hand() {
        let rows = vec![vec![Some(2.0), Some(0.0)], vec![Some(-4.0), Some(0.0)], vec![None, Some(0.0)]];
        let s = screening(&rows, &[0, 1, 2]);
        assert_eq!(s.mu_star, vec![Some(3.0), Some(0.0)]);
        assert_eq!(s.sigma[1], Some(0.0));
        assert!((s.sigma[0].unwrap() - 18f64.sqrt()).abs() < 1e-12);
    }
}
