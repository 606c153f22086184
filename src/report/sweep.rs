//! Chart 9, sweeps: with one swept parameter, key measures against its values (the
//! mean per design point with its 95 % interval as a band, one line per variant); with
//! two or more, a heatmap of each key measure over the first two parameters for the
//! base (averaged over the others). Only for design points that form a grid; scattered
//! points get the partial-dependence chart instead ([`super::partial`]). Reads
//! stats.csv, whose parameter columns hold each point's values.

use super::batch_data::{BatchData, Interval};
use super::frame::{self, Scale};
use super::i18n::{Labels, fill};
use super::style::{self, Chart, DrawError, Drawn, GREY, INK, LIGHT, Mark, anchored, put, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// A mean with its interval, when the point has a value.
type Point = Option<(f64, Interval)>;
/// A heatmap's cells: rows (second parameter) of columns (first parameter).
type Cells = Vec<Vec<Option<f64>>>;

const WIDTH: u32 = 1300;
const PANEL_H: i32 = 330;
/// The measures the sweep chart shows.
pub const KEY_MEASURES: [&str; 4] = [
    "first_fact_all_coordinating_min",
    "first_any_conference_min",
    "delay_coordinating_median_min",
    "delay_strategic_median_min",
];

/// The values a parameter takes, in order of first appearance.
fn values(d: &BatchData, k: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in &d.stats {
        if let Some(v) = s.key.params.get(k)
            && !out.contains(v)
        {
            out.push(v.clone());
        }
    }
    out
}

/// Whether the batch has a sweep or design to draw: at least one parameter with two or
/// more values. Without one no sweep chart is written (and the report does not name it).
pub fn applies(d: &BatchData) -> bool {
    !d.paths.is_empty() && (values(d, 0).len() >= 2 || (d.paths.len() >= 2 && values(d, 1).len() >= 2))
}

pub struct Sweep<'a> {
    d: &'a BatchData,
    xs: Vec<String>,
    ys: Vec<String>,
    t: &'static Labels,
}

impl<'a> Sweep<'a> {
    /// The chart of a batch whose design points form a grid ([`super::design::is_grid`]).
    pub fn new(d: &'a BatchData, t: &'static Labels) -> Sweep<'a> {
        let xs = values(d, 0);
        let ys = if d.paths.len() >= 2 { values(d, 1) } else { Vec::new() };
        Sweep { d, xs, ys, t }
    }

    /// Mean of `measure` for `variant` where parameter 0 is `x` (and 1 is `y`), averaged
    /// over the other parameters; with the interval when one point matches.
    fn mean(&self, variant: &str, measure: &str, x: &str, y: Option<&str>) -> Point {
        let rows: Vec<_> = self
            .d
            .stats
            .iter()
            .filter(|s| {
                s.key.variant == variant && s.measure == measure && s.key.params.first().map(String::as_str) == Some(x)
            })
            .filter(|s| y.is_none_or(|y| s.key.params.get(1).map(String::as_str) == Some(y)))
            .filter_map(|s| s.mean.map(|m| (m, s.ci)))
            .collect();
        match rows.len() {
            0 => None,
            1 => Some(rows[0]),
            n => Some((rows.iter().map(|r| r.0).sum::<f64>() / n as f64, None)),
        }
    }
}

impl Chart for Sweep<'_> {
    fn comma(&self) -> bool {
        self.t.code == "sv"
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, (style::HEAD + 60 + 2 * PANEL_H + 20) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = self.t;
        if self.d.paths.is_empty() {
            return style::no_data(root, t.sweep_title, t.no_sweep);
        }
        if self.xs.len() < 2 && self.ys.len() < 2 {
            return style::no_data(root, t.sweep_title, t.one_point);
        }
        let heat = self.d.paths.len() >= 2;
        let mut sub = if heat { t.sweep_sub_heat.to_string() } else { t.sweep_sub_line.to_string() };
        // The parameters not on an axis: two in a heatmap, one otherwise.
        let shown = if heat { 2 } else { 1 };
        if self.d.paths.len() > shown {
            sub = format!("{sub} · {}", fill(t.averaged_over, &[&self.d.paths[shown..].join(", ")]));
        }
        style::heading(root, t.sweep_title, &sub)?;
        let items: Vec<(String, Mark)> = if heat {
            Vec::new()
        } else {
            self.d
                .variants
                .iter()
                .enumerate()
                .map(|(i, v)| (self.d.variant_label(v), Mark::Line(style::series(i), 3)))
                .collect()
        };
        let cells: Vec<Cells> = if heat { KEY_MEASURES.iter().map(|m| self.cells(m)).collect() } else { Vec::new() };
        let range = colour_range(cells.iter().flatten().flatten().flatten().copied());
        let top = if heat {
            colour_bar(root, (20, style::HEAD + 14), range, t)? + 16
        } else {
            style::legend(root, &items, (20, style::HEAD + 14), WIDTH as i32 - 20)? + 16
        };
        let half = (WIDTH as i32 - 40) / 2;
        for (i, m) in KEY_MEASURES.iter().enumerate() {
            let (col, row) = ((i % 2) as i32, (i / 2) as i32);
            let area =
                (20 + col * half, top + row * PANEL_H, 20 + (col + 1) * half - 20, top + (row + 1) * PANEL_H - 16);
            if heat { self.heat_panel(root, m, &cells[i], range, area)? } else { self.line_panel(root, m, area)? }
        }
        Ok(())
    }
}

impl Sweep<'_> {
    fn line_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        m: &str,
        (x0, y0, x1, y1): (i32, i32, i32, i32),
    ) -> Drawn {
        let title = anchored(style::bold(style::LABEL + 1), HPos::Left, VPos::Top);
        put(root, &self.t.measure(m), (x0 + 60, y0), &title)?;
        let series: Vec<Vec<Point>> =
            self.d.variants.iter().map(|v| self.xs.iter().map(|x| self.mean(v, m, x, None)).collect()).collect();
        let ends =
            series.iter().flatten().flatten().flat_map(|(v, ci)| [*v, ci.map_or(*v, |c| c.0), ci.map_or(*v, |c| c.1)]);
        let (lo, hi) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        let (lo, hi) = y_range(lo, hi);
        let y = Scale::new(lo, hi, y1 - 50, y0 + 24);
        let x = Scale::new(-0.5, self.xs.len() as f64 - 0.5, x0 + 60, x1);
        frame::y_axis(root, &y, x.p0, x.p1, self.t.minutes)?;
        root.draw(&PathElement::new(vec![(x.p0, y.p0), (x.p1, y.p0)], INK.stroke_width(1)))?;
        let label = anchored(text(style::LABEL), HPos::Center, VPos::Top);
        for (i, v) in self.xs.iter().enumerate() {
            put(
                root,
                &style::fit(root, v, &label, (x.p1 - x.p0) / self.xs.len() as i32),
                (x.px(i as f64), y.p0 + 8),
                &label,
            )?;
        }
        let desc = anchored(text(style::LABEL).color(&GREY), HPos::Center, VPos::Top);
        put(root, &style::fit(root, &self.d.paths[0], &desc, x1 - x0 - 80), ((x.p0 + x.p1) / 2, y.p0 + 28), &desc)?;
        for (vi, s) in series.iter().enumerate() {
            let c = style::series(vi);
            let band: Vec<(i32, i32)> = s
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((x.px(i as f64), y.px_clamped(p.as_ref()?.1?.1))))
                .collect();
            let mut lower: Vec<(i32, i32)> = s
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((x.px(i as f64), y.px_clamped(p.as_ref()?.1?.0))))
                .collect();
            if band.len() >= 2 && band.len() == lower.len() {
                lower.reverse();
                root.draw(&Polygon::new([band, lower].concat(), c.mix(0.15).filled()))?;
            }
            let line: Vec<(i32, i32)> =
                s.iter().enumerate().filter_map(|(i, p)| Some((x.px(i as f64), y.px(p.as_ref()?.0)))).collect();
            root.draw(&PathElement::new(line.clone(), c.stroke_width(2)))?;
            for p in line {
                root.draw(&Circle::new(p, 4, c.filled()))?;
            }
        }
        Ok(())
    }

    /// The base's mean of `m` in each cell of the heatmap: one row per value of the
    /// second parameter, one column per value of the first.
    fn cells(&self, m: &str) -> Cells {
        let base = self.d.base();
        self.ys.iter().map(|y| self.xs.iter().map(|x| self.mean(base, m, x, Some(y)).map(|v| v.0)).collect()).collect()
    }

    /// One heatmap panel, coloured on the scale `range` that all panels share.
    fn heat_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        m: &str,
        cells: &Cells,
        range: Option<(f64, f64)>,
        (x0, y0, x1, y1): (i32, i32, i32, i32),
    ) -> Drawn {
        let title = anchored(style::bold(style::LABEL + 1), HPos::Left, VPos::Top);
        put(root, &self.t.measure(m), (x0 + 90, y0), &title)?;
        let (lo, hi) = range.unwrap_or((0.0, 0.0));
        let (gx0, gx1, gy0, gy1) = (x0 + 90, x1, y0 + 24, y1 - 50);
        let (cw, ch) = ((gx1 - gx0) / self.xs.len().max(1) as i32, (gy1 - gy0) / self.ys.len().max(1) as i32);
        let label_x = anchored(text(style::LABEL), HPos::Center, VPos::Top);
        let label_y = anchored(text(style::LABEL), HPos::Right, VPos::Center);
        for (j, row) in cells.iter().enumerate() {
            // The first value of the second parameter at the bottom.
            let cy = gy1 - (j as i32 + 1) * ch;
            put(root, &style::fit(root, &self.ys[j], &label_y, 80), (gx0 - 8, cy + ch / 2), &label_y)?;
            for (i, v) in row.iter().enumerate() {
                let cx = gx0 + i as i32 * cw;
                let colour = match v {
                    Some(v) if hi > lo => style::sequential((v - lo) / (hi - lo)),
                    Some(_) => style::sequential(0.5),
                    None => WHITE,
                };
                root.draw(&Rectangle::new([(cx, cy), (cx + cw - 2, cy + ch - 2)], colour.filled()))?;
                root.draw(&Rectangle::new([(cx, cy), (cx + cw - 2, cy + ch - 2)], LIGHT.stroke_width(1)))?;
                let ink = style::on(colour);
                let s = anchored(text(style::LABEL).color(&ink), HPos::Center, VPos::Center);
                let value = v.map_or(self.t.no_value.to_string(), |v| fmt_value(v, hi - lo));
                put(root, &value, (cx + cw / 2, cy + ch / 2), &s)?;
            }
        }
        for (i, v) in self.xs.iter().enumerate() {
            put(root, &style::fit(root, v, &label_x, cw - 4), (gx0 + i as i32 * cw + cw / 2, gy1 + 6), &label_x)?;
        }
        let desc = anchored(text(style::LABEL).color(&GREY), HPos::Center, VPos::Top);
        put(root, &style::fit(root, &self.d.paths[0], &desc, gx1 - gx0), ((gx0 + gx1) / 2, gy1 + 26), &desc)?;
        let rot = anchored(style::rotated(text(style::LABEL).color(&GREY)), HPos::Center, VPos::Bottom);
        put(root, &style::fit(root, &self.d.paths[1], &rot, gy1 - gy0), (x0 + 14, (gy0 + gy1) / 2), &rot)
    }
}

/// The y range of a line panel: from zero when the values start near it, otherwise
/// around the values (so that a change shows), with a little room.
fn y_range(lo: f64, hi: f64) -> (f64, f64) {
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.1).max(hi.abs() * 0.02).max(0.5);
    let lo = if lo - pad < 0.3 * hi { 0.0 } else { lo - pad };
    let step = frame::nice_step(hi + pad - lo, 5);
    ((lo / step).floor() * step, ((hi + pad) / step).ceil() * step)
}

/// A cell value with as many decimals as the spread of the panel needs.
fn fmt_value(v: f64, spread: f64) -> String {
    if spread < 10.0 { format!("{v:.1}") } else { format!("{v:.0}") }
}

/// The colour scale all heatmap panels share: from the smallest to the largest of all
/// their values (non-finite values left out); `None` without any value.
pub fn colour_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values.into_iter().filter(|v| v.is_finite()).fold(None, |r, v| match r {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// The colour bar of the heatmap, above the panels: what the colour shows, then the bar
/// from the smallest to the largest value of all panels, with both in minutes. Returns
/// the y below it.
fn colour_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    range: Option<(f64, f64)>,
    t: &Labels,
) -> Result<i32, DrawError> {
    let Some((lo, hi)) = range else { return Ok(y + 14) };
    let left = anchored(text(style::LABEL), HPos::Left, VPos::Center);
    put(root, t.colour_scale, (x, y), &left)?;
    let x = x + style::width(root, t.colour_scale, &left) + 16;
    let right = anchored(text(style::LABEL), HPos::Right, VPos::Center);
    put(root, &format!("{} {}", fmt_value(lo, hi - lo), t.minutes), (x + 90, y), &right)?;
    let x = x + 98;
    for i in 0..200 {
        let c = style::sequential(i as f64 / 199.0);
        root.draw(&Rectangle::new([(x + i, y - 8), (x + i + 1, y + 8)], c.filled()))?;
    }
    put(root, &format!("{} {}", fmt_value(hi, hi - lo), t.minutes), (x + 208, y), &left)?;
    Ok(y + 14)
}
