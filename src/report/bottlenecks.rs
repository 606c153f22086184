//! Chart 3, bottlenecks: the backlog (messages waiting in a unit's queue) over time for
//! the busiest units, as a heatmap. The backlog is rebuilt from messages.csv (waiting
//! from `delivered_min` to `started_min`); "busiest" means the most message-minutes
//! waiting.

use super::clock::{self, Clock};
use super::frame::{self, Scale};
use super::i18n::{Labels, fill};
use super::run_data::{Message, backlog_steps};
use super::style::{self, Chart, Drawn, GREY, LIGHT, anchored, put, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// How many units the chart shows.
pub const MAX_UNITS: usize = 15;
const ROW: i32 = 26;
const WIDTH: u32 = 1300;
const BIN_WIDTHS: [f64; 14] = [1., 2., 5., 10., 15., 20., 30., 60., 120., 180., 240., 360., 720., 1440.];

/// One unit's backlog: its step points, message-minutes waiting and peak.
#[derive(Clone, Debug)]
pub struct Backlog {
    pub unit: String,
    pub steps: Vec<(f64, u32)>,
    pub minutes: f64,
    pub peak: u32,
    /// When the peak was first reached.
    pub peak_at: f64,
}

/// Every unit that ever had a message waiting, busiest first (message-minutes, then
/// peak, then name). `end` closes queues still open at the end of the run.
pub fn backlogs(messages: &[Message], end: f64) -> Vec<Backlog> {
    let mut units: Vec<&str> = messages.iter().map(|m| m.to.as_str()).collect();
    units.sort_unstable();
    units.dedup();
    let mut out: Vec<Backlog> = units
        .into_iter()
        .map(|u| {
            let steps = backlog_steps(messages, u);
            let mut minutes = 0.0;
            let (mut peak, mut peak_at) = (0, 0.0);
            for (i, (t, v)) in steps.iter().enumerate() {
                let next = steps.get(i + 1).map(|s| s.0).unwrap_or(end.max(*t));
                minutes += (next - t) * *v as f64;
                if *v > peak {
                    (peak, peak_at) = (*v, *t);
                }
            }
            Backlog { unit: u.to_string(), steps, minutes, peak, peak_at }
        })
        .filter(|b| b.peak > 0)
        .collect();
    out.sort_by(|a, b| b.minutes.total_cmp(&a.minutes).then(b.peak.cmp(&a.peak)).then(a.unit.cmp(&b.unit)));
    out
}

/// The largest backlog within each bin `[k*w, (k+1)*w)`, for `n` bins.
pub fn binned_max(steps: &[(f64, u32)], w: f64, n: usize) -> Vec<u32> {
    let mut out = vec![0u32; n];
    let mut level = 0u32;
    let mut i = 0;
    for (k, cell) in out.iter_mut().enumerate() {
        let (a, b) = (k as f64 * w, (k + 1) as f64 * w);
        // The level carried in counts unless a step replaces it at the bin's start.
        let mut m = if steps.get(i).is_some_and(|s| s.0 <= a) { 0 } else { level };
        while i < steps.len() && steps[i].0 < b {
            level = steps[i].1;
            if steps[i].0 >= a {
                m = m.max(level);
            }
            i += 1;
        }
        *cell = m;
    }
    out
}

pub struct Bottlenecks {
    pub units: Vec<Backlog>,
    pub end: f64,
    pub clock: Clock,
    pub t: &'static Labels,
}

impl Bottlenecks {
    pub fn new(messages: &[Message], end: f64, start: &str, t: &'static Labels) -> Bottlenecks {
        let mut units = backlogs(messages, end);
        units.truncate(MAX_UNITS);
        Bottlenecks { units, end, clock: Clock::new(start, t), t }
    }

    /// The time axis: up to the last queue emptying, leaving out a long stretch in
    /// which no shown unit had anything waiting; and the bin width (≤ 100 bins shown).
    fn axis(&self, left: i32, right: i32) -> (Scale, f64, usize) {
        let last = self
            .units
            .iter()
            .map(|b| match b.steps.last() {
                Some((t, 0)) => *t,
                Some(_) => self.end,
                None => 0.0,
            })
            .fold(1.0, f64::max);
        let x_end = frame::round_up(last * 1.02, 40);
        // Every change, and points through every stretch with a queue (so that the
        // break never hides one).
        let mut times = Vec::new();
        for b in &self.units {
            for (i, (t, v)) in b.steps.iter().enumerate() {
                times.push(*t);
                let next = b.steps.get(i + 1).map(|s| s.0).unwrap_or(self.end);
                let mut s = *t;
                while *v > 0 && s < next {
                    times.push(s);
                    s += x_end / 50.0;
                }
            }
        }
        let x = Scale::with_break(0.0, x_end, left, right, &times);
        let shown = x_end - x.cut.map(|(a, b)| b - a).unwrap_or(0.0);
        let w = BIN_WIDTHS.into_iter().find(|w| shown / w <= 100.0).unwrap_or(1440.0);
        (x, w, (x_end / w).ceil().max(1.0) as usize)
    }
}

impl Chart for Bottlenecks {
    fn comma(&self) -> bool {
        self.t.code == "sv"
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, (style::HEAD + 70 + ROW * self.units.len().max(1) as i32 + clock::AXIS_H + 10).max(360) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = self.t;
        if self.units.is_empty() {
            return style::no_data(root, t.bottlenecks_title, t.no_backlog);
        }
        let max_peak = self.units.iter().map(|b| b.peak).max().unwrap_or(1);
        let label_style = anchored(text(style::LABEL), HPos::Right, VPos::Center);
        let widest = self.units.iter().map(|b| style::width(root, &b.unit, &label_style)).max().unwrap_or(0);
        let left = 38 + widest.min(260);
        let right = WIDTH as i32 - 110;
        let (x, w, n) = self.axis(left, right);
        let sub = fill(t.bottlenecks_sub, &[&self.units.len(), &frame::tick_label(w, 1.0)]);
        style::heading(root, t.bottlenecks_title, &sub)?;
        let top = style::HEAD + 64;
        self.scale_legend(root, max_peak, (left, style::HEAD + 22))?;
        let bottom = top + ROW * self.units.len() as i32;
        clock::x_axis(root, &x, (bottom, top), &self.clock, true)?;
        let peak_style = anchored(text(style::LABEL), HPos::Left, VPos::Center);
        for (r, b) in self.units.iter().enumerate() {
            let y = top + r as i32 * ROW;
            put(root, &style::fit(root, &b.unit, &label_style, left - 38), (left - 8, y + ROW / 2), &label_style)?;
            for (k, v) in binned_max(&b.steps, w, n).into_iter().enumerate() {
                let (a, c) = (x.px(k as f64 * w), x.px((k + 1) as f64 * w));
                if c <= a {
                    continue;
                }
                let fill_colour = if v == 0 { WHITE } else { cell_colour(v, max_peak) };
                root.draw(&Rectangle::new([(a, y + 1), (c, y + ROW - 1)], fill_colour.filled()))?;
            }
            root.draw(&Rectangle::new([(left, y + 1), (right, y + ROW - 1)], LIGHT.stroke_width(1)))?;
            put(root, &fill(t.peak, &[&b.peak]), (right + 10, y + ROW / 2), &peak_style)?;
        }
        frame::draw_break(root, &x, top, bottom)
    }
}

fn cell_colour(v: u32, max: u32) -> RGBColor {
    if max <= 1 { style::sequential(0.5) } else { style::sequential((v - 1) as f64 / (max - 1) as f64) }
}

impl Bottlenecks {
    /// A horizontal colour bar from 1 to the largest backlog, with an "empty" swatch.
    fn scale_legend<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, max: u32, (x, y): (i32, i32)) -> Drawn {
        let s = anchored(text(style::LABEL), HPos::Left, VPos::Center);
        root.draw(&Rectangle::new([(x, y), (x + 18, y + 14)], WHITE.filled()))?;
        root.draw(&Rectangle::new([(x, y), (x + 18, y + 14)], GREY.stroke_width(1)))?;
        put(root, "0", (x + 24, y + 7), &s)?;
        let (bx, bw) = (x + 50, 240);
        for i in 0..bw {
            let v = 1.0 + (max as f64 - 1.0) * i as f64 / (bw - 1) as f64;
            let c = cell_colour(v.round() as u32, max);
            root.draw(&Rectangle::new([(bx + i, y), (bx + i + 1, y + 14)], c.filled()))?;
        }
        let below = anchored(text(style::SMALL), HPos::Center, VPos::Top);
        put(root, "1", (bx, y + 17), &below)?;
        put(root, &max.to_string(), (bx + bw, y + 17), &below)?;
        put(root, self.t.backlog_scale, (bx + bw + 16, y + 7), &s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_keep_the_largest_queue_of_each_interval() {
        // 0 until 3, 2 from 3 to 4, 1 from 4 to 12, then empty.
        let steps = vec![(3.0, 2), (4.0, 1), (12.0, 0)];
        assert_eq!(binned_max(&steps, 5.0, 3), vec![2, 1, 1]);
        assert_eq!(binned_max(&steps, 1.0, 5), vec![0, 0, 0, 2, 1]);
    }
}
