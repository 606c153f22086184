//! Chart 7, variant comparison (a forest plot): for each headline measure, each
//! variant's difference of means to the base with its paired 95 % interval, in per
//! cent of the base mean so that minutes and counts share one axis. Reads compare.csv.

use super::batch_data::{BatchData, Interval};
use super::distributions::point_note;
use super::findings::NEAR_ZERO;
use super::frame::{self, Scale};
use super::i18n::Labels;
use super::style::{self, Chart, Drawn, FAINT, GREY, INK, Mark, anchored, put, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

const WIDTH: u32 = 1300;
const SUB_ROW: i32 = 9;
/// The axis never goes further than this (per cent); longer intervals end in an arrow.
const AXIS_LIMIT: (f64, f64) = (-100.0, 300.0);

/// One measure's row: per variant (index into the batch's variants), the relative
/// difference and its interval (per cent of the base mean).
#[derive(Clone, Debug)]
pub struct Row {
    pub measure: String,
    pub diffs: Vec<(usize, f64, Interval)>,
}

/// Rows of the first design point, measures in file order; measures whose base mean
/// is near zero (below [`NEAR_ZERO`] in its unit) or missing are left out: a percentage
/// of almost nothing says nothing (the key findings tell such changes in absolute terms).
pub fn rows(d: &BatchData) -> Vec<Row> {
    let p0 = d.first_point();
    let mut out: Vec<Row> = Vec::new();
    for c in d.compare.iter().filter(|c| c.key.point == p0) {
        let (Some(base), Some(diff)) = (c.base_mean, c.diff) else { continue };
        if base.abs() < NEAR_ZERO {
            continue;
        }
        let Some(v) = d.variants.iter().position(|v| *v == c.key.variant) else { continue };
        let rel = |x: f64| 100.0 * x / base.abs();
        let entry = (v, rel(diff), c.ci.map(|(a, b)| (rel(a), rel(b))));
        match out.iter_mut().find(|r| r.measure == c.measure) {
            Some(r) => r.diffs.push(entry),
            None => out.push(Row { measure: c.measure.clone(), diffs: vec![entry] }),
        }
    }
    out
}

pub struct Compare {
    pub rows: Vec<Row>,
    /// (index into all variants, name) of the variants compared.
    pub variants: Vec<(usize, String)>,
    pub note: String,
    pub t: &'static Labels,
}

impl Compare {
    pub fn new(d: &BatchData, t: &'static Labels) -> Compare {
        let rows = rows(d);
        let variants = d
            .variants
            .iter()
            .enumerate()
            .filter(|(_, v)| !BatchData::is_base(v))
            .map(|(i, v)| (i, d.variant_label(v)))
            .collect();
        Compare { rows, variants, note: point_note(d, t), t }
    }

    fn block(&self) -> i32 {
        SUB_ROW * self.variants.len().max(1) as i32 + 12
    }

    fn x_range(&self) -> (f64, f64) {
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for (_, v, ci) in self.rows.iter().flat_map(|r| &r.diffs) {
            let (a, b) = ci.unwrap_or((*v, *v));
            lo = lo.min(a).min(*v);
            hi = hi.max(b).max(*v);
        }
        let lo = -frame::round_up(-lo.max(AXIS_LIMIT.0) * 1.05, 10);
        let hi = frame::round_up(hi.min(AXIS_LIMIT.1) * 1.05, 10);
        (lo.min(-10.0), hi.max(10.0))
    }
}

impl Chart for Compare {
    fn comma(&self) -> bool {
        self.t.code == "sv"
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, (style::HEAD + 60 + self.block() * self.rows.len().max(1) as i32 + 80).max(360) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = self.t;
        if self.rows.is_empty() {
            return style::no_data(root, t.compare_title, t.no_variants);
        }
        let sub = if self.note.is_empty() {
            t.compare_sub.to_string()
        } else {
            format!("{} · {}", t.compare_sub, self.note)
        };
        style::heading(root, t.compare_title, &sub)?;
        let right = WIDTH as i32 - 40;
        let items: Vec<(String, Mark)> =
            self.variants.iter().map(|(i, v)| (v.clone(), Mark::Dot(style::series(*i)))).collect();
        let top = style::legend(root, &items, (20, style::HEAD + 14), right)? + 14;
        let label_style = anchored(text(style::LABEL), HPos::Right, VPos::Center);
        let names: Vec<String> = self.rows.iter().map(|r| t.measure(&r.measure)).collect();
        let widest = names.iter().map(|n| style::width(root, n, &label_style)).max().unwrap_or(0);
        let left = 46 + widest.min(380);
        let bottom = top + self.block() * self.rows.len() as i32;
        let (lo, hi) = self.x_range();
        let x = Scale::new(lo, hi, left, right);
        for (i, name) in names.iter().enumerate() {
            let y0 = top + i as i32 * self.block();
            if i % 2 == 0 {
                root.draw(&Rectangle::new([(20, y0), (right, y0 + self.block())], FAINT.filled()))?;
            }
            put(
                root,
                &style::fit(root, name, &label_style, left - 46),
                (left - 16, y0 + self.block() / 2),
                &label_style,
            )?;
        }
        frame::x_axis(root, &x, bottom, top, t.compare_x, &|v, s| format!("{}%", frame::tick_label(v, s)))?;
        let zero = x.px(0.0);
        root.draw(&PathElement::new(vec![(zero, top), (zero, bottom)], INK.stroke_width(1)))?;
        for (i, row) in self.rows.iter().enumerate() {
            self.draw_row(root, &x, top + i as i32 * self.block() + 6, row)?;
        }
        let s = anchored(text(style::SMALL).color(&GREY), HPos::Right, VPos::Top);
        put(root, &format!("▸ {}", t.beyond), (right, bottom + 52), &s)
    }
}

impl Compare {
    fn draw_row<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, x: &Scale, y0: i32, row: &Row) -> Drawn {
        for (k, (vi, _)) in self.variants.iter().enumerate() {
            let Some((_, v, ci)) = row.diffs.iter().find(|d| d.0 == *vi) else { continue };
            let y = y0 + k as i32 * SUB_ROW + SUB_ROW / 2;
            let c = style::series(*vi);
            if let Some((a, b)) = ci {
                let (pa, pb) = (x.px_clamped(*a), x.px_clamped(*b));
                root.draw(&PathElement::new(vec![(pa, y), (pb, y)], c.stroke_width(2)))?;
                if *b > x.hi {
                    root.draw(&Polygon::new(vec![(pb, y - 4), (pb + 7, y), (pb, y + 4)], c.filled()))?;
                }
                if *a < x.lo {
                    root.draw(&Polygon::new(vec![(pa, y - 4), (pa - 7, y), (pa, y + 4)], c.filled()))?;
                }
            }
            if *v >= x.lo && *v <= x.hi {
                root.draw(&Circle::new((x.px(*v), y), 4, c.filled()))?;
            }
        }
        Ok(())
    }
}
