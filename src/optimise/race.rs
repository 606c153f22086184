//! Racing: deciding, in rounds of replications, which candidates meet every required
//! probability, spending runs only where the decision is still open.
//!
//! Candidates are ranked by cost (ties: the earlier candidate first). Round sizes are
//! cumulative: [`rounds`] gives 20, 40, 80, … up to the maximum. In each round every
//! candidate that is still *open* and cheaper than the cheapest candidate proven
//! feasible so far (the incumbent) is brought up to the round's number of runs; then
//! each is decided on the Wilson interval of each required objective's share of runs:
//! proven **feasible** when every lower bound is at least the required probability,
//! proven **infeasible** (dropped) when some upper bound is below it. Open candidates
//! that cost at least the incumbent are **not needed** and get no more runs. Candidates
//! still open after the last round are **undecided**.
//!
//! The interval's confidence is corrected for multiplicity (Bonferroni): each interval
//! is a two-sided 1 − α/(k·L) interval, k the number of required objectives and L the
//! number of rounds, so that for each candidate the chance of any wrong decision over
//! all its objectives and looks is at most α (0.05). No correction is made over
//! candidates: the winner is the cheapest candidate proven feasible at that level.

/// What the race decided about a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Still being raced (never left in a finished race).
    Open,
    /// The cheapest candidate proven feasible.
    Best,
    /// Proven to meet every requirement, but not the cheapest.
    Feasible,
    /// Proven to miss some requirement (dropped from the race).
    Infeasible,
    /// Left undecided because a candidate that costs no more was proven feasible.
    NotNeeded,
    /// Still undecided after the maximum number of runs.
    Undecided,
    /// A run failed (a guard tripped or the simulation panicked); see the reason.
    Failed,
}

impl Status {
    /// The name in `optimise.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Best => "best",
            Status::Feasible => "feasible",
            Status::Infeasible => "infeasible",
            Status::NotNeeded => "not_needed",
            Status::Undecided => "undecided",
            Status::Failed => "failed",
        }
    }
}

/// One candidate's record in the race.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Runs done for this candidate.
    pub runs: u64,
    /// Runs that met each required objective.
    pub met: Vec<u64>,
    /// Where the race left it.
    pub status: Status,
    /// Why a run failed (status [`Status::Failed`]).
    pub failure: Option<String>,
}

impl Entry {
    /// Share of runs meeting requirement `j` and its interval at `z` (None before any run).
    pub fn share(&self, j: usize, z: f64) -> Option<(f64, f64, f64)> {
        let (lo, hi) = wilson(self.met[j], self.runs, z)?;
        Some((self.met[j] as f64 / self.runs as f64, lo, hi))
    }
}

/// How to race.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Most runs per candidate.
    pub max_runs: u64,
    /// Runs per candidate in the first round.
    pub first_round: u64,
    /// Family error rate per candidate (0.05 for 95 % confidence).
    pub alpha: f64,
}

impl Settings {
    /// At most `max_runs` per candidate, 20 in the first round, 95 % confidence.
    pub fn new(max_runs: u64) -> Settings {
        Settings { max_runs, first_round: 20, alpha: 0.05 }
    }

    /// The normal quantile of each interval for `k` required objectives.
    pub fn z(&self, k: usize) -> f64 {
        let looks = rounds(self.max_runs, self.first_round).len().max(1);
        normal_quantile(1.0 - self.alpha / (2.0 * k.max(1) as f64 * looks as f64))
    }
}

/// Cumulative runs per candidate at the end of each round: `first`, doubling, and
/// `max` last.
pub fn rounds(max: u64, first: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut n = first.clamp(1, max.max(1));
    while n < max {
        out.push(n);
        n = n.saturating_mul(2);
    }
    out.push(max.max(1));
    out
}

/// The result of one replication: whether it met each required objective, or why it failed.
pub type RunResult = Result<Vec<bool>, String>;

/// Races candidates of the given `costs` against the `required` probabilities.
/// `evaluate` runs a round's (candidate, replication) tasks and returns their results
/// in the same order (it may run them in parallel).
pub fn race(
    costs: &[f64],
    required: &[f64],
    s: &Settings,
    mut evaluate: impl FnMut(&[(usize, u64)]) -> Vec<RunResult>,
) -> Vec<Entry> {
    let fresh = Entry { runs: 0, met: vec![0; required.len()], status: Status::Open, failure: None };
    let mut e = vec![fresh; costs.len()];
    let mut order: Vec<usize> = (0..costs.len()).collect();
    order.sort_by(|a, b| costs[*a].total_cmp(&costs[*b]).then(a.cmp(b)));
    let z = s.z(required.len());
    for target in rounds(s.max_runs, s.first_round) {
        let racing = still_racing(&order, &mut e);
        if racing.is_empty() {
            break;
        }
        let mut tasks: Vec<(usize, u64)> = Vec::new();
        for &c in &racing {
            tasks.extend((e[c].runs..target).map(|r| (c, r)));
        }
        for ((c, _), result) in tasks.iter().zip(evaluate(&tasks)) {
            record(&mut e[*c], result);
        }
        for &c in &racing {
            decide(&mut e[c], required, z);
        }
    }
    still_racing(&order, &mut e);
    for x in e.iter_mut().filter(|x| x.status == Status::Open) {
        x.status = Status::Undecided;
    }
    if let Some(&best) = order.iter().find(|c| e[**c].status == Status::Feasible) {
        e[best].status = Status::Best;
    }
    e
}

/// The open candidates cheaper (in `order`) than the first proven feasible; the open
/// ones after it become [`Status::NotNeeded`].
fn still_racing(order: &[usize], e: &mut [Entry]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut incumbent = false;
    for &c in order {
        match e[c].status {
            Status::Feasible => incumbent = true,
            Status::Open if incumbent => e[c].status = Status::NotNeeded,
            Status::Open => out.push(c),
            _ => {}
        }
    }
    out.sort_unstable();
    out
}

fn record(e: &mut Entry, result: RunResult) {
    match result {
        Ok(met) => {
            e.runs += 1;
            for (count, m) in e.met.iter_mut().zip(met) {
                *count += m as u64;
            }
        }
        Err(reason) => {
            e.status = Status::Failed;
            e.failure.get_or_insert(reason);
        }
    }
}

fn decide(e: &mut Entry, required: &[f64], z: f64) {
    if e.status != Status::Open {
        return;
    }
    let bounds: Vec<(f64, f64)> = (0..required.len()).filter_map(|j| e.share(j, z).map(|s| (s.1, s.2))).collect();
    if bounds.len() != required.len() {
        return;
    }
    if bounds.iter().zip(required).any(|((_, hi), p)| hi < p) {
        e.status = Status::Infeasible;
    } else if bounds.iter().zip(required).all(|((lo, _), p)| lo >= p) {
        e.status = Status::Feasible;
    }
}

/// The Wilson score interval of `k` successes in `n` trials at normal quantile `z`.
pub fn wilson(k: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (n, p) = (n as f64, k as f64 / n as f64);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The standard normal quantile (Acklam's rational approximation, relative error
/// below 1.2e-9), for 0 < p < 1.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -39.696_830_286_653_76,
        220.946_098_424_520_5,
        -275.928_510_446_968_7,
        138.357_751_867_269,
        -30.664_798_066_147_16,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -54.476_098_798_224_06,
        161.585_836_858_040_9,
        -155.698_979_859_886_6,
        66.801_311_887_719_72,
        -13.280_681_552_885_72,
    ];
    const C: [f64; 6] = [
        -0.007_784_894_002_430_293,
        -0.322_396_458_041_136_5,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [0.007_784_695_709_041_462, 0.322_467_129_070_039_8, 2.445_134_137_142_996, 3.754_408_661_907_416];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantiles_match_tables() {
        assert!((normal_quantile(0.975) - 1.959_964).abs() < 1e-6);
        assert!((normal_quantile(0.995) - 2.575_829).abs() < 1e-6);
        assert!((normal_quantile(0.001) + 3.090_232).abs() < 1e-6);
    }

    #[test]
    fn wilson_matches_the_batch_interval_at_95_percent() {
        let (lo, hi) = wilson(18, 20, 1.959_964).unwrap();
        let (blo, bhi) = crate::batch::stats::wilson95(18, 20).unwrap();
        assert!((lo - blo).abs() < 1e-4 && (hi - bhi).abs() < 1e-4, "{lo} {hi} vs {blo} {bhi}");
    }

    #[test]
    fn rounds_double_up_to_the_maximum() {
        assert_eq!(rounds(200, 20), vec![20, 40, 80, 160, 200]);
        assert_eq!(rounds(10, 20), vec![10]);
    }

    /// Candidate c meets its one objective in replication r when r % 10 < quality[c].
    fn fake(quality: &'static [u64]) -> impl FnMut(&[(usize, u64)]) -> Vec<RunResult> {
        move |tasks| tasks.iter().map(|(c, r)| Ok(vec![r % 10 < quality[*c]])).collect()
    }

    #[test]
    fn the_cheapest_proven_candidate_wins_and_dearer_ones_are_not_run_to_the_end() {
        // Costs 3, 1, 2, 4: candidate 1 always fails, 2 always succeeds, 0 and 3 too.
        let e = race(&[3.0, 1.0, 2.0, 4.0], &[0.9], &Settings::new(1000), fake(&[10, 0, 10, 10]));
        let status: Vec<Status> = e.iter().map(|x| x.status).collect();
        assert_eq!(status[1], Status::Infeasible);
        assert_eq!(status[2], Status::Best);
        assert!(e[2].runs < 1000);
        assert!(matches!(status[0], Status::Feasible | Status::NotNeeded));
        assert!(e[3].runs <= e[2].runs);
    }

    #[test]
    fn a_candidate_right_at_the_limit_stays_undecided() {
        // 90 % met with 90 % required: no finite number of runs proves either way.
        let e = race(&[1.0], &[0.9], &Settings::new(200), fake(&[9]));
        assert_eq!(e[0].status, Status::Undecided);
        assert_eq!(e[0].runs, 200);
    }

    #[test]
    fn no_feasible_candidate_gives_no_best() {
        let e = race(&[1.0, 2.0], &[0.9], &Settings::new(400), fake(&[5, 3]));
        assert!(e.iter().all(|x| x.status == Status::Infeasible), "{e:?}");
    }
}
