//! Chart 2, where the time went: per level, the mean delay from a fact's origin until a
//! unit knew it, as a stacked bar of its five causes (transit, queue, processing,
//! waiting for a meeting or report, waiting for a duty officer or activation).
//! Reads facts.csv.

use super::frame::{self, Scale};
use super::i18n::{Labels, fill};
use super::run_data::Knowing;
use super::style::{self, Chart, Drawn, LEVELS_TOP_DOWN, Mark, PART_COLOURS, anchored, put, text};
use crate::vocabulary::Level;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

const WIDTH: u32 = 1300;
const BAR: i32 = 46;
const GAP: i32 = 34;

/// Mean of each delay part over the (fact, unit) pairs of one level that learned a
/// fact other than at its origin.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelDelay {
    pub level: Level,
    pub n: usize,
    pub parts: [f64; 5],
}

impl LevelDelay {
    pub fn total(&self) -> f64 {
        self.parts.iter().sum()
    }
}

/// Per level (top-down), the mean of each part.
pub fn decompose(facts: &[Knowing]) -> Vec<LevelDelay> {
    LEVELS_TOP_DOWN
        .into_iter()
        .map(|level| {
            let rows: Vec<&Knowing> = facts.iter().filter(|k| k.level == level && !k.at_origin).collect();
            let mut parts = [0.0; 5];
            for k in &rows {
                for (p, v) in parts.iter_mut().zip(k.parts) {
                    *p += v;
                }
            }
            if !rows.is_empty() {
                parts.iter_mut().for_each(|p| *p /= rows.len() as f64);
            }
            LevelDelay { level, n: rows.len(), parts }
        })
        .collect()
}

pub struct Delays {
    pub levels: Vec<LevelDelay>,
    pub t: &'static Labels,
}

impl Delays {
    pub fn new(facts: &[Knowing], t: &'static Labels) -> Delays {
        Delays { levels: decompose(facts), t }
    }
}

impl Chart for Delays {
    fn comma(&self) -> bool {
        self.t.code == "sv"
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, (style::HEAD + 70 + 3 * (BAR + GAP) + 80) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = self.t;
        if self.levels.iter().all(|l| l.n == 0) {
            return style::no_data(root, t.delays_title, t.no_learned);
        }
        style::heading(root, t.delays_title, t.delays_sub)?;
        let right = WIDTH as i32 - 60;
        let items: Vec<(String, Mark)> =
            t.parts.iter().zip(PART_COLOURS).map(|(p, c)| (p.to_string(), Mark::Box(c))).collect();
        let top = style::legend(root, &items, (20, style::HEAD + 14), right)? + 20;
        let label_style = anchored(style::bold(style::AXIS), HPos::Right, VPos::Center);
        let widest = LEVELS_TOP_DOWN.iter().map(|l| style::width(root, t.level(*l), &label_style)).max().unwrap_or(0);
        let left = 40 + widest;
        let max_total = self.levels.iter().map(LevelDelay::total).fold(0.0, f64::max);
        // Room on the right of the longest bar for its total.
        let x = Scale::new(0.0, frame::nice_max(max_total * 1.22), left, right);
        let bottom = top + 3 * (BAR + GAP);
        frame::x_axis(root, &x, bottom, top, t.delays_x, &frame::plain)?;
        for (i, l) in self.levels.iter().enumerate() {
            let y = top + GAP / 2 + i as i32 * (BAR + GAP);
            let colour = style::level_colour(l.level);
            let label_colour = label_style.clone().color(&colour);
            put(root, t.level(l.level), (left - 10, y + BAR / 2), &label_colour)?;
            self.draw_bar(root, &x, y, l)?;
        }
        Ok(())
    }
}

impl Delays {
    fn draw_bar<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, x: &Scale, y: i32, l: &LevelDelay) -> Drawn {
        let small = anchored(text(style::LABEL), HPos::Left, VPos::Center);
        if l.n == 0 {
            return put(root, &fill(self.t.no_rows, &[&"facts.csv"]), (x.p0 + 8, y + BAR / 2), &small);
        }
        let mut start = 0.0;
        for (v, c) in l.parts.iter().zip(PART_COLOURS) {
            let (a, b) = (x.px(start), x.px(start + v));
            if b > a {
                root.draw(&Rectangle::new([(a, y), (b, y + BAR)], c.filled()))?;
                let label = format!("{v:.0}");
                let ink = style::on(c);
                let s = anchored(text(style::LABEL).color(&ink), HPos::Center, VPos::Center);
                if style::width(root, &label, &s) + 8 < b - a {
                    put(root, &label, ((a + b) / 2, y + BAR / 2), &s)?;
                }
            }
            start += v;
        }
        let total = fill(self.t.delays_total, &[&format!("{:.0}", l.total()), &l.n]);
        put(root, &total, (x.px(start) + 8, y + BAR / 2), &small)
    }
}
