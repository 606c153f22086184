//! The partial-dependence chart (`charts/partial_dependence.png` and `.svg`), drawn
//! instead of the sweep chart when a batch's design points do not form a grid (a design
//! file, a Latin hypercube, a Sobol or Morris design): one panel per parameter, each
//! showing the base's headline measure at every design point (hollow dots, the mean over
//! the point's runs) over that parameter's value, and the line through the measure's
//! mean over the design points binned by that value ([`dependence`]). Every panel has
//! the same y scale, so that a steep panel is a parameter that matters. Values are
//! numbers, or durations in minutes; a parameter with other values is drawn over its
//! values sorted alphabetically. Reads stats.csv.

use super::batch_data::BatchData;
use super::design::number;
use super::frame::{self, Scale};
use super::i18n::{Labels, fill};
use super::style::{self, Chart, Drawn, GREY, INK, Mark, anchored, put, text};
use super::sweep::KEY_MEASURES;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The chart's file stem.
pub const NAME: &str = "partial_dependence";
const WIDTH: u32 = 1300;
const PANEL_H: i32 = 300;
/// At most this many parameters get a panel (the first in stats.csv's column order).
pub const MAX_PANELS: usize = 8;

/// The mean of the measure over the design points of one bin of a parameter's values.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    /// The mean of the parameter's values in the bin.
    pub x: f64,
    /// The mean of the measure over the bin's points.
    pub y: f64,
    /// The number of design points in the bin.
    pub n: usize,
}

/// How many bins `n` design points get: below 10 points, one per point (so one per
/// distinct value); else about √n (3 to 10).
pub fn bin_count(n: usize) -> usize {
    if n < 10 { n.max(1) } else { ((n as f64).sqrt().round() as usize).clamp(3, 10) }
}

/// The partial dependence of the measure on parameter `factor`: the design points
/// (parameter values, measure) sorted by that parameter and cut into `bins` groups of
/// nearly equal size (points with equal values in the same group; one group per value
/// when there are no more values than bins), each group's mean value and mean measure.
/// For an additive model y = Σ bₖ·xₖ over a balanced design the bins lie on a line of
/// slope b_factor.
pub fn dependence(points: &[(Vec<f64>, f64)], factor: usize, bins: usize) -> Vec<Bin> {
    let mut p: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|(x, y)| Some((*x.get(factor)?, *y)))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    p.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut distinct: Vec<f64> = p.iter().map(|q| q.0).collect();
    distinct.dedup();
    let bins = bins.max(1);
    let mut out = Vec::new();
    let mut i = 0;
    for k in 1..=bins.min(distinct.len()) {
        if i >= p.len() {
            break;
        }
        let mut end = if distinct.len() <= bins {
            p.iter().rposition(|q| q.0 == distinct[k - 1]).map_or(i, |e| e + 1)
        } else {
            (k * p.len() / bins).max(i + 1)
        };
        while end < p.len() && end > 0 && p[end].0 == p[end - 1].0 {
            end += 1;
        }
        if end <= i {
            continue;
        }
        let group = &p[i..end];
        let n = group.len();
        out.push(Bin {
            x: group.iter().map(|q| q.0).sum::<f64>() / n as f64,
            y: group.iter().map(|q| q.1).sum::<f64>() / n as f64,
            n,
        });
        i = end;
    }
    out
}

/// A parameter on an axis: numbers (or durations, in minutes), or names drawn at their
/// rank in alphabetical order.
#[derive(Clone, Debug, PartialEq)]
pub enum Axis {
    /// Numbers; `minutes` when some are durations (`2h`), read in minutes.
    Numbers {
        minutes: bool,
    },
    Names(Vec<String>),
}

/// Each parameter's axis, and the design points of `variant` for `measure`: the
/// parameters' values as numbers ([`Axis`]) and the point's mean.
pub fn design_points(d: &BatchData, variant: &str, measure: &str) -> (Vec<Axis>, Vec<(Vec<f64>, f64)>) {
    let rows: Vec<_> = d.stats.iter().filter(|s| s.key.variant == variant && s.measure == measure).collect();
    let axes: Vec<Axis> = (0..d.paths.len())
        .map(|k| {
            let values: Vec<&String> = rows.iter().filter_map(|s| s.key.params.get(k)).collect();
            if values.iter().all(|v| number(v).is_some()) {
                Axis::Numbers { minutes: values.iter().any(|v| v.trim().parse::<f64>().is_err()) }
            } else {
                let mut names: Vec<String> = Vec::new();
                for v in values {
                    if !names.contains(v) {
                        names.push(v.clone());
                    }
                }
                Axis::Names(super::design::sorted(names))
            }
        })
        .collect();
    let value = |k: usize, v: &str| match &axes[k] {
        Axis::Numbers { .. } => number(v),
        Axis::Names(names) => names.iter().position(|n| n == v).map(|i| i as f64),
    };
    let points = rows
        .iter()
        .filter_map(|s| {
            let xs: Option<Vec<f64>> = s.key.params.iter().enumerate().map(|(k, v)| value(k, v)).collect();
            Some((xs?, s.mean?))
        })
        .collect();
    (axes, points)
}

/// The measure the chart shows: the first of the sweep chart's key measures with a
/// value at some design point of the base.
pub fn measure(d: &BatchData) -> &'static str {
    let base = d.base();
    KEY_MEASURES
        .into_iter()
        .find(|m| d.stats.iter().any(|s| s.key.variant == base && s.measure == *m && s.mean.is_some()))
        .unwrap_or(KEY_MEASURES[0])
}

pub struct PartialDependence<'a> {
    d: &'a BatchData,
    measure: &'static str,
    axes: Vec<Axis>,
    points: Vec<(Vec<f64>, f64)>,
    t: &'static Labels,
}

impl<'a> PartialDependence<'a> {
    pub fn new(d: &'a BatchData, t: &'static Labels) -> Self {
        let measure = measure(d);
        let (axes, points) = design_points(d, d.base(), measure);
        PartialDependence { d, measure, axes, points, t }
    }

    fn panels(&self) -> usize {
        self.d.paths.len().min(MAX_PANELS)
    }
}

impl Chart for PartialDependence<'_> {
    fn size(&self) -> (u32, u32) {
        (WIDTH, (style::HEAD + 60 + PANEL_H * self.panels().div_ceil(2).max(1) as i32 + 20) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let p = self.t.partial();
        if self.points.is_empty() {
            return style::no_data(root, p.title, &fill(self.t.no_rows, &[&"stats.csv"]));
        }
        let mut sub = fill(p.sub, &[&self.t.measure(self.measure), &self.d.base()]);
        if self.d.paths.len() > MAX_PANELS {
            sub = format!("{sub} · {}", fill(p.more, &[&(self.d.paths.len() - MAX_PANELS)]));
        }
        style::heading(root, p.title, &sub)?;
        let items = [(p.point.to_string(), Mark::Dot(GREY)), (p.binned.to_string(), Mark::Line(style::BLUE, 3))];
        let top = style::legend(root, &items, (20, style::HEAD + 14), WIDTH as i32 - 20)? + 16;
        let ys = self.points.iter().map(|p| p.1);
        let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        let pad = ((hi - lo) * 0.08).max(0.5);
        let y_range = ((lo - pad).max(if lo >= 0.0 { 0.0 } else { f64::NEG_INFINITY }), hi + pad);
        let half = (WIDTH as i32 - 40) / 2;
        for k in 0..self.panels() {
            let (col, row) = ((k % 2) as i32, (k / 2) as i32);
            let area =
                (20 + col * half, top + row * PANEL_H, 20 + (col + 1) * half - 20, top + (row + 1) * PANEL_H - 16);
            self.panel(root, k, y_range, area)?;
        }
        Ok(())
    }
}

impl PartialDependence<'_> {
    fn panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        k: usize,
        (lo, hi): (f64, f64),
        (x0, y0, x1, y1): (i32, i32, i32, i32),
    ) -> Drawn {
        let title = anchored(style::bold(style::LABEL + 1), HPos::Left, VPos::Top);
        put(root, &style::fit(root, &self.d.paths[k], &title, x1 - x0 - 70), (x0 + 70, y0), &title)?;
        let xs = self.points.iter().map(|p| p.0[k]);
        let (xlo, xhi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        let xpad = ((xhi - xlo) * 0.05).max(0.5);
        let y = Scale::new(lo, hi, y1 - 50, y0 + 24);
        let x = Scale::new(xlo - xpad, xhi + xpad, x0 + 70, x1);
        frame::y_axis(root, &y, x.p0, x.p1, self.t.minutes)?;
        match &self.axes[k] {
            Axis::Numbers { minutes } => {
                let desc = if *minutes { self.t.minutes } else { "" };
                frame::x_axis(root, &x, y.p0, y.p1, desc, &frame::plain)?
            }
            Axis::Names(names) => self.name_axis(root, &x, y.p0, names)?,
        }
        for (xs, v) in &self.points {
            root.draw(&Circle::new((x.px(xs[k]), y.px(*v)), 5, GREY.stroke_width(1)))?;
        }
        let bins = dependence(&self.points, k, bin_count(self.points.len()));
        let line: Vec<(i32, i32)> = bins.iter().map(|b| (x.px(b.x), y.px(b.y))).collect();
        root.draw(&PathElement::new(line.clone(), style::BLUE.stroke_width(3)))?;
        for p in line {
            root.draw(&Circle::new(p, 4, style::BLUE.filled()))?;
        }
        Ok(())
    }

    /// An axis of names at their ranks (0, 1, …).
    fn name_axis<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        x: &Scale,
        y: i32,
        names: &[String],
    ) -> Drawn {
        root.draw(&PathElement::new(vec![(x.p0, y), (x.p1, y)], INK.stroke_width(1)))?;
        let label = anchored(text(style::LABEL), HPos::Center, VPos::Top);
        let room = (x.p1 - x.p0) / names.len().max(1) as i32;
        for (i, n) in names.iter().enumerate() {
            put(root, &style::fit(root, n, &label, room), (x.px(i as f64), y + 8), &label)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100 design points of an additive model y = 2·x1 + 3·x2 + 5: x1 takes 100 values,
    /// x2 ten, each x2 value once among any ten neighbouring x1 values.
    fn additive() -> Vec<(Vec<f64>, f64)> {
        (0..100)
            .map(|i| {
                let x1 = (i as f64 + 0.5) / 100.0;
                let x2 = ((i * 7) % 10) as f64 / 10.0;
                (vec![x1, x2], 2.0 * x1 + 3.0 * x2 + 5.0)
            })
            .collect()
    }

    fn slope(bins: &[Bin]) -> f64 {
        let n = bins.len() as f64;
        let (mx, my) = (bins.iter().map(|b| b.x).sum::<f64>() / n, bins.iter().map(|b| b.y).sum::<f64>() / n);
        let sxy: f64 = bins.iter().map(|b| (b.x - mx) * (b.y - my)).sum();
        let sxx: f64 = bins.iter().map(|b| (b.x - mx).powi(2)).sum();
        sxy / sxx
    }

    #[test]
    fn partial_dependence_recovers_each_effect_of_an_additive_model() {
        let points = additive();
        let b1 = dependence(&points, 0, bin_count(points.len()));
        assert_eq!(b1.len(), 10);
        assert!(b1.iter().all(|b| b.n == 10));
        assert!(b1.windows(2).all(|w| w[0].x < w[1].x), "bins sorted by the parameter");
        // Each x1 bin holds every x2 value once: exactly slope 2.
        assert!((slope(&b1) - 2.0).abs() < 1e-9, "x1: {}", slope(&b1));
        // x2 has ten values: one bin each, slope 3 up to the x1 mix within each.
        let b2 = dependence(&points, 1, 10);
        assert_eq!(b2.len(), 10);
        assert!(b2.iter().enumerate().all(|(i, b)| (b.x - i as f64 / 10.0).abs() < 1e-9 && b.n == 10));
        assert!((slope(&b2) - 3.0).abs() < 0.1, "x2: {}", slope(&b2));
        assert_eq!(b2.iter().map(|b| b.n).sum::<usize>(), 100);
    }

    #[test]
    fn equal_values_share_a_bin_and_few_values_get_one_bin_each() {
        let points: Vec<(Vec<f64>, f64)> =
            [1.0, 1.0, 1.0, 2.0, 5.0, 5.0].iter().enumerate().map(|(i, x)| (vec![*x], i as f64)).collect();
        let b = dependence(&points, 0, 2);
        assert_eq!(b.iter().map(|b| b.n).collect::<Vec<_>>(), vec![3, 3]);
        assert_eq!(b[0], Bin { x: 1.0, y: 1.0, n: 3 });
        let each = dependence(&points, 0, 3);
        assert_eq!(each.iter().map(|b| (b.x, b.n)).collect::<Vec<_>>(), vec![(1.0, 3), (2.0, 1), (5.0, 2)]);
        assert!(dependence(&[], 0, 3).is_empty());
    }
}
