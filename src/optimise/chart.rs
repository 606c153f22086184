//! The Pareto chart of an optimisation (docs/charts.md): each evaluated candidate's
//! cost (x) against the share of its runs that met each required objective (y), with
//! the interval the race decided on, the required shares dashed, the Pareto front (the
//! cheapest candidates for their worst share) and the winner ringed, marked "best".

use super::{Outcome, Plan};
use crate::report::frame::{self, Scale};
use crate::report::i18n::{Lang, OptimiseLabels, fill};
use crate::report::style::{self, Chart, DrawError, Drawn, GREY, INK, Mark, Picture, anchored, put};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

const WIDTH: u32 = 1100;
const HEIGHT: u32 = 720;

/// One evaluated candidate: cost, per objective (share, low, high), is it the winner.
struct Point {
    cost: f64,
    shares: Vec<(f64, f64, f64)>,
    best: bool,
}

struct Pareto {
    points: Vec<Point>,
    objectives: Vec<(String, f64)>,
    any_best: bool,
    t: &'static OptimiseLabels,
}

/// Draws the chart as PNG and SVG.
pub fn render(plan: &Plan, outcome: &Outcome, lang: Lang) -> Result<Picture, DrawError> {
    let points = plan
        .candidates
        .iter()
        .zip(&outcome.entries)
        .enumerate()
        .filter(|(_, (_, e))| e.runs > 0)
        .map(|(i, (c, e))| Point {
            cost: c.cost.total(),
            shares: (0..plan.spec.requires.len()).filter_map(|j| e.share(j, outcome.z)).collect(),
            best: outcome.best() == Some(i),
        })
        .collect();
    let objectives = plan.spec.requires.iter().map(|r| (r.objective.clone(), r.probability)).collect();
    style::render(&Pareto { points, objectives, any_best: outcome.best().is_some(), t: lang.optimise_labels() })
}

impl Chart for Pareto {
    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = self.t;
        if self.points.is_empty() {
            return style::no_data(root, t.title, t.no_runs);
        }
        let sub = if self.any_best { t.sub.to_string() } else { format!("{} · {}", t.sub, t.none_feasible) };
        style::heading(root, t.title, &sub)?;
        let right = WIDTH as i32 - 40;
        let mut items: Vec<(String, Mark)> =
            self.objectives.iter().enumerate().map(|(j, (id, _))| (id.clone(), Mark::Dot(style::series(j)))).collect();
        items.extend(
            self.objectives
                .iter()
                .enumerate()
                .map(|(j, (id, _))| (fill(t.required, &[id]), Mark::Dashed(style::series(j)))),
        );
        items.push((t.front.to_string(), Mark::Line(GREY, 2)));
        if self.any_best {
            items.push((t.best.to_string(), Mark::Diamond(INK)));
        }
        let top = style::legend(root, &items, (20, style::HEAD + 14), right)? + 20;
        let (left, bottom) = (110, HEIGHT as i32 - 70);
        let (lo, hi) = self.points.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.cost), b.max(p.cost)));
        let pad = ((hi - lo) * 0.05).max(hi.abs() * 0.01).max(1.0);
        let x = Scale::new(lo - pad, hi + pad, left, right);
        // From the lowest interval or required share, down to a multiple of 10 %.
        let floor =
            self.points.iter().flat_map(|p| p.shares.iter().map(|s| s.1)).chain(self.objectives.iter().map(|o| o.1));
        let y_lo = (floor.fold(1.0, f64::min) * 10.0).floor() * 10.0;
        let y = Scale::new(y_lo.clamp(0.0, 90.0), 100.0, bottom, top);
        frame::x_axis(root, &x, bottom, top, t.x, &frame::plain)?;
        frame::y_axis(root, &y, left, right, t.y)?;
        for (j, (_, p)) in self.objectives.iter().enumerate() {
            style::dashed(root, (left, y.px(p * 100.0)), (right, y.px(p * 100.0)), style::series(j), 2)?;
        }
        self.front(root, &x, &y)?;
        for p in &self.points {
            let px = x.px(p.cost);
            for (j, (share, l, h)) in p.shares.iter().enumerate() {
                let c = style::series(j);
                root.draw(&PathElement::new(vec![(px, y.px(l * 100.0)), (px, y.px(h * 100.0))], c.stroke_width(2)))?;
                root.draw(&Circle::new((px, y.px(share * 100.0)), 5, c.filled()))?;
            }
            if p.best {
                for (share, _, _) in &p.shares {
                    root.draw(&Circle::new((px, y.px(share * 100.0)), 10, INK.stroke_width(2)))?;
                }
                let top_share = p.shares.iter().map(|s| s.2).fold(0.0, f64::max);
                let at = (px, y.px(top_share * 100.0) - 14);
                style::diamond(root, at, 7, INK)?;
                let label = anchored(style::bold(style::LABEL), HPos::Left, VPos::Center);
                put(root, t.best_mark, (px + 12, at.1), &label)?;
            }
        }
        Ok(())
    }
}

impl Pareto {
    /// A step line through the candidates no cheaper candidate beats on the worst share.
    fn front<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, x: &Scale, y: &Scale) -> Drawn {
        let mut pts: Vec<(f64, f64)> =
            self.points.iter().map(|p| (p.cost, p.shares.iter().map(|s| s.0).fold(1.0, f64::min))).collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
        let mut line: Vec<(i32, i32)> = Vec::new();
        let mut best = -1.0;
        for (cost, worst) in pts {
            if worst > best {
                if let Some(&(_, py)) = line.last() {
                    line.push((x.px(cost), py));
                }
                line.push((x.px(cost), y.px(worst * 100.0)));
                best = worst;
            }
        }
        root.draw(&PathElement::new(line, GREY.stroke_width(2)))?;
        Ok(())
    }
}
