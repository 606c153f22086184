//! Power restoration (model.md §6, §13): how many electricity customers are without
//! power over a run, from the infrastructure log and each area's `customers`.
//!
//! This is the curve a storm scenario is calibrated with (storm Gudrun 2005: half of
//! the customers restored within a day, the tail shrinking by a factor e every ~5.5
//! days; domain.md §2.4). It reads the same rows that `infrastructure.csv` holds.

use crate::model::Model;
use crate::sim::InfraRow;
use crate::time::{DAY, HOUR, SimTime};

/// Customers without power over time: a step curve with one point per change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Restoration {
    /// (time, customers without power from that time on), in time order.
    pub curve: Vec<(SimTime, u64)>,
    /// Customers of every area that lost power at some time in the run.
    pub affected: u64,
    /// Most customers without power at once.
    pub peak: u64,
    /// When the first area lost power.
    pub first_out: Option<SimTime>,
}

/// Builds the curve from infrastructure rows (`target = "power"`, states down/up; area
/// "all" means every area). An area counts as out from a `down` row to the next `up` row.
pub fn restoration(model: &Model, rows: &[InfraRow]) -> Restoration {
    let mut out = vec![false; model.areas.len()];
    let mut ever = vec![false; model.areas.len()];
    let mut now_out: u64 = 0;
    let mut r = Restoration::default();
    for row in rows.iter().filter(|row| row.target == "power") {
        let down = match row.state {
            "down" => true,
            "up" => false,
            _ => continue,
        };
        let slots: Vec<usize> = if row.area == "all" {
            (0..model.areas.len()).collect()
        } else {
            model.areas.iter().position(|a| a.id == row.area).into_iter().collect()
        };
        for s in slots {
            if out[s] != down {
                let c = model.areas[s].customers;
                now_out = if down { now_out + c } else { now_out - c };
                out[s] = down;
            }
            if down && !ever[s] {
                ever[s] = true;
                r.affected += model.areas[s].customers;
                r.first_out.get_or_insert(row.time);
            }
        }
        match r.curve.last_mut() {
            Some(last) if last.0 == row.time => last.1 = now_out,
            _ => r.curve.push((row.time, now_out)),
        }
        r.peak = r.peak.max(now_out);
    }
    r
}

impl Restoration {
    /// Customers without power at time `t`.
    pub fn out_at(&self, t: SimTime) -> u64 {
        match self.curve.partition_point(|(time, _)| *time <= t) {
            0 => 0,
            i => self.curve[i - 1].1,
        }
    }

    /// Share (0–1) of the affected customers that have power at `t` (1 when none was affected).
    pub fn restored_share_at(&self, t: SimTime) -> f64 {
        if self.affected == 0 { 1.0 } else { 1.0 - self.out_at(t) as f64 / self.affected as f64 }
    }

    /// Time from the first outage until at most half of the affected customers are
    /// still without power, counted after the peak. `None` if that never happened.
    pub fn half_restored_after(&self) -> Option<SimTime> {
        let first = self.first_out?;
        let peak_at = self.curve.iter().find(|(_, n)| *n == self.peak)?.0;
        self.curve.iter().find(|(t, n)| *t >= peak_at && *n * 2 <= self.affected).map(|(t, _)| t - first)
    }

    /// The tail's e-folding time in days: the time over which the number of customers
    /// without power shrinks by a factor e, from a least-squares line through the
    /// logarithm of the hourly counts between `from` and `to` after the first outage
    /// (hours with nobody out are left out). `None` without two usable hours or a falling line.
    pub fn efold_days(&self, from: SimTime, to: SimTime) -> Option<f64> {
        let first = self.first_out?;
        let points: Vec<(f64, f64)> = (0..)
            .map(|h| from + h * HOUR)
            .take_while(|t| *t <= to)
            .filter_map(|t| {
                let n = self.out_at(first + t);
                (n > 0).then(|| (t as f64 / DAY as f64, (n as f64).ln()))
            })
            .collect();
        let slope = least_squares_slope(&points)?;
        (slope < 0.0).then(|| -1.0 / slope)
    }
}

fn least_squares_slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{self, Source};

    fn model() -> Model {
        let text = r#"
[scenario]
name = "p"
start = "2025-01-07T15:00"
duration = "30d"
[area.a]
customers = 600
[area.b]
customers = 400
[area.c]
customers = 5
"#;
        scenario::build(&Source::from_str("p.toml", text), None, &[]).expect("model")
    }

    fn row(time: SimTime, area: &str, state: &'static str) -> InfraRow {
        InfraRow { time, area: area.into(), target: "power".into(), state }
    }

    #[test]
    fn counts_customers_out_between_down_and_up() {
        let m = model();
        let rows = vec![
            row(HOUR, "a", "down"),
            InfraRow { time: HOUR, area: "a".into(), target: "mobile".into(), state: "battery_out" },
            row(2 * HOUR, "b", "down"),
            row(2 * HOUR, "b", "down"),
            row(10 * HOUR, "a", "up"),
            row(30 * HOUR, "b", "up"),
        ];
        let r = restoration(&m, &rows);
        assert_eq!(r.curve, vec![(HOUR, 600), (2 * HOUR, 1000), (10 * HOUR, 400), (30 * HOUR, 0)]);
        assert_eq!((r.affected, r.peak, r.first_out), (1000, 1000, Some(HOUR)));
        assert_eq!(r.out_at(0), 0);
        assert_eq!(r.out_at(5 * HOUR), 1000);
        assert!((r.restored_share_at(10 * HOUR) - 0.6).abs() < 1e-12);
        // 400 of 1000 out from 10 h: half restored 9 h after the first outage
        assert_eq!(r.half_restored_after(), Some(9 * HOUR));
    }

    #[test]
    fn all_areas_at_once() {
        let m = model();
        let r = restoration(&m, &[row(0, "all", "down"), row(DAY, "all", "up")]);
        assert_eq!(r.curve, vec![(0, 1005), (DAY, 0)]);
        assert_eq!(r.half_restored_after(), Some(DAY));
    }

    #[test]
    fn efold_of_an_exact_exponential_tail() {
        // 1000 customers out at day 0 falling by e every 5.5 days, as a curve sampled hourly.
        let r = Restoration {
            curve: (0..=24 * 10).map(|h| (h * HOUR, (1e6 * (-(h as f64) / 24.0 / 5.5).exp()).round() as u64)).collect(),
            affected: 1_000_000,
            peak: 1_000_000,
            first_out: Some(0),
        };
        let tau = r.efold_days(DAY, 7 * DAY).expect("a tail");
        assert!((tau - 5.5).abs() < 0.01, "{tau}");
        assert_eq!(r.efold_days(DAY, DAY), None);
    }
}
