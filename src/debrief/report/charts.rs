//! The debrief's two charts, in the run report's look (embedded font, Okabe–Ito colours):
//!
//! - [`Observed`] (`debrief-observed`): per level, one row per observation: the model's
//!   10th–90th percentile as a grey band, its median as a tick, the observed time as a
//!   marker coloured by verdict. Minutes from the scenario's start.
//! - [`KeyFacts`] (`debrief-timeline`): per level, one row per key fact: the expected
//!   band from the simulated first-known 10th percentile to the all-known 90th, the
//!   first-known and all-known 10th–90th percentiles as bars, the observed first (dot)
//!   and all (diamond). Minutes from the fact's origin.

use super::text::Text;
use super::{level_of, what};
use crate::debrief::{Debrief, LevelTiming, Spread, Verdict};
use crate::model::Model;
use crate::report::Lang;
use crate::report::frame::{self, Scale};
use crate::report::i18n::fill;
use crate::report::style::{self, Chart, Drawn, GREY, INK, LEVELS_TOP_DOWN, Mark, anchored, put, text};
use crate::vocabulary::Level;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// At most this many observations per level are drawn (the largest deviations); the
/// table lists them all.
pub const MAX_PER_LEVEL: usize = 18;
const ROW: i32 = 22;
const LANE_HEAD: i32 = 28;
const WIDTH: u32 = 1300;
const LABEL_W: i32 = 440;
/// The simulated band.
const BAND: RGBColor = RGBColor(200, 200, 200);

/// The colour of a verdict's marker.
pub fn verdict_colour(v: Verdict) -> RGBColor {
    match v {
        Verdict::Faster => style::GREEN,
        Verdict::AsExpected => style::BLUE,
        Verdict::Slower => style::VERMILION,
        Verdict::NeverInModel => style::PURPLE,
        Verdict::NotComparable => GREY,
    }
}

/// The verdict of `v` against a spread's 10th–90th percentile.
pub fn against(v: f64, s: &Spread) -> Verdict {
    match (s.happened, s.p10, s.p90) {
        (0, _, _) => Verdict::NeverInModel,
        (_, Some(lo), _) if v < lo => Verdict::Faster,
        (_, _, Some(hi)) if v > hi => Verdict::Slower,
        (_, Some(_), Some(_)) => Verdict::AsExpected,
        _ => Verdict::NotComparable,
    }
}

/// One drawn observation.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub label: String,
    pub band: Option<(f64, f64)>,
    pub median: Option<f64>,
    pub observed: f64,
    pub verdict: Verdict,
}

/// Observed times over the simulated distributions, a lane per level.
pub struct Observed {
    /// Top-down (strategic first): the level, its rows, how many were left out.
    pub lanes: Vec<(Level, Vec<Row>, usize)>,
    pub start: String,
    /// The scenario's start, for the clock times under the ticks.
    pub clock: crate::time::LocalDateTime,
    pub lang: Lang,
}

impl Observed {
    pub fn new(d: &Debrief, model: &Model, lang: Lang) -> Observed {
        let t = Text::of(lang);
        let lanes = LEVELS_TOP_DOWN
            .into_iter()
            .map(|level| {
                let mut of: Vec<_> = d.placed.iter().filter(|p| level_of(model, p) == level).collect();
                let total = of.len();
                if total > MAX_PER_LEVEL {
                    of.sort_by(|a, b| super::plan::excess(b).total_cmp(&super::plan::excess(a)));
                    of.truncate(MAX_PER_LEVEL);
                }
                of.sort_by(|a, b| {
                    a.observed_min.total_cmp(&b.observed_min).then(a.observation.row.cmp(&b.observation.row))
                });
                let rows = of
                    .iter()
                    .map(|p| Row {
                        label: format!(
                            "{} · {} · {}",
                            p.observation.row,
                            what(p, model, t),
                            model.units[p.observation.unit as usize].name
                        ),
                        band: p.spread.p10.zip(p.spread.p90),
                        median: p.spread.median,
                        observed: p.observed_min,
                        verdict: p.verdict,
                    })
                    .collect();
                (level, rows, total - of.len())
            })
            .collect();
        Observed { lanes, start: super::text::start(model, lang), clock: model.start, lang }
    }

    fn lane_height(rows: usize) -> i32 {
        LANE_HEAD + ROW * rows.max(1) as i32 + 8
    }

    fn times(&self) -> Vec<f64> {
        let mut t = Vec::new();
        for r in self.lanes.iter().flat_map(|l| &l.1) {
            t.push(r.observed);
            if let Some((a, b)) = r.band {
                t.extend([a, b]);
            }
        }
        t
    }
}

fn verdict_legend(t: &Text) -> Vec<(String, Mark)> {
    [Verdict::Faster, Verdict::AsExpected, Verdict::Slower, Verdict::NeverInModel, Verdict::NotComparable]
        .into_iter()
        .map(|v| (t.verdict(v).to_string(), Mark::Dot(verdict_colour(v))))
        .collect()
}

impl Chart for Observed {
    fn comma(&self) -> bool {
        self.lang == Lang::Sv
    }
    fn size(&self) -> (u32, u32) {
        let lanes: i32 = self.lanes.iter().map(|l| Self::lane_height(l.1.len())).sum();
        (WIDTH, (style::HEAD + 64 + lanes + 56) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = Text::of(self.lang);
        if self.lanes.iter().all(|l| l.1.is_empty()) {
            return style::no_data(root, t.observed_title, t.no_data);
        }
        style::heading(root, t.observed_title, t.observed_sub)?;
        let right = WIDTH as i32 - 40;
        let mut items =
            vec![(t.simulated_band.to_string(), Mark::Box(BAND)), (t.median.to_string(), Mark::Line(INK, 2))];
        items.extend(verdict_legend(t));
        let top = style::legend(root, &items, (20, style::HEAD + 14), right)? + 14;
        let lanes: i32 = self.lanes.iter().map(|l| Self::lane_height(l.1.len())).sum();
        let bottom = top + lanes;
        let times = self.times();
        let x_max = frame::nice_max(times.iter().copied().fold(1.0, f64::max) * 1.03);
        let x = Scale::with_break(0.0, x_max, LABEL_W, right, &times);
        let tick = |v: f64, step: f64| {
            format!("{} ({})", super::text::tick(v, step, self.lang), super::text::clock_at(self.clock, v, self.lang))
        };
        frame::x_axis_spaced(root, &x, (bottom, top), &fill(t.minutes_from_start, &[&self.start]), &tick, 170)?;
        frame::draw_break(root, &x, top, bottom)?;
        let mut y0 = top;
        for (level, rows, hidden) in &self.lanes {
            lane_head(root, *level, y0, self.lang)?;
            if rows.is_empty() {
                let s = anchored(text(style::LABEL).color(&GREY), HPos::Left, VPos::Center);
                put(root, t.no_level_rows, (40, y0 + LANE_HEAD + ROW / 2), &s)?;
            }
            for (i, r) in rows.iter().enumerate() {
                draw_row(root, &x, y0 + LANE_HEAD + i as i32 * ROW + ROW / 2, r)?;
            }
            if *hidden > 0 {
                let s = anchored(text(style::SMALL).color(&GREY), HPos::Right, VPos::Center);
                put(root, &fill(t.more_rows, &[hidden]), (right, y0 + LANE_HEAD / 2), &s)?;
            }
            y0 += Self::lane_height(rows.len());
        }
        Ok(())
    }
}

/// A lane's rule and its level's name.
fn lane_head<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, level: Level, y0: i32, lang: Lang) -> Drawn {
    let colour = style::level_colour(level);
    root.draw(&PathElement::new(vec![(20, y0), (WIDTH as i32 - 40, y0)], GREY.stroke_width(1)))?;
    let head = anchored(style::bold(style::AXIS).color(&colour), HPos::Left, VPos::Center);
    put(root, lang.labels().level(level), (20, y0 + LANE_HEAD / 2 + 1), &head)
}

fn draw_row<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, x: &Scale, y: i32, r: &Row) -> Drawn {
    let label = anchored(text(style::LABEL), HPos::Right, VPos::Center);
    put(root, &style::fit(root, &r.label, &label, LABEL_W - 50), (LABEL_W - 10, y), &label)?;
    if let Some((a, b)) = r.band {
        let (pa, pb) = (x.px_clamped(a), x.px_clamped(b));
        root.draw(&Rectangle::new([(pa, y - 6), (pb.max(pa + 2), y + 6)], BAND.filled()))?;
    }
    if let Some(m) = r.median {
        let pm = x.px_clamped(m);
        root.draw(&PathElement::new(vec![(pm, y - 8), (pm, y + 8)], INK.stroke_width(2)))?;
    }
    let px = x.px_clamped(r.observed);
    root.draw(&Circle::new((px, y), 6, verdict_colour(r.verdict).filled()))?;
    root.draw(&Circle::new((px, y), 6, INK.stroke_width(1)))?;
    Ok(())
}

/// The key facts' timeline: observed first and all known over the expected bands.
pub struct KeyFacts {
    pub lanes: Vec<(Level, Vec<LevelTiming>)>,
    pub lang: Lang,
}

impl KeyFacts {
    pub fn new(d: &Debrief, _model: &Model, lang: Lang) -> KeyFacts {
        let lanes = LEVELS_TOP_DOWN
            .into_iter()
            .map(|level| (level, d.levels.iter().filter(|l| l.level == level).cloned().collect()))
            .collect();
        KeyFacts { lanes, lang }
    }

    fn times(&self) -> Vec<f64> {
        let mut t = Vec::new();
        for l in self.lanes.iter().flat_map(|l| &l.1) {
            t.extend(l.observed_first_min.iter().chain(l.observed_all_min.iter()));
            t.extend([l.sim_first.p10, l.sim_first.p90, l.sim_all.p10, l.sim_all.p90].into_iter().flatten());
        }
        t
    }
}

impl Chart for KeyFacts {
    fn comma(&self) -> bool {
        self.lang == Lang::Sv
    }
    fn size(&self) -> (u32, u32) {
        let lanes: i32 = self.lanes.iter().map(|l| Observed::lane_height(l.1.len())).sum();
        (WIDTH, (style::HEAD + 64 + lanes + 56) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = Text::of(self.lang);
        if self.lanes.iter().all(|l| l.1.is_empty()) {
            return style::no_data(root, t.timeline_title, t.no_data);
        }
        style::heading(root, t.timeline_title, t.timeline_sub)?;
        let right = WIDTH as i32 - 40;
        let mut items = vec![
            (t.expected_band.to_string(), Mark::Band(style::SKY, 0.25)),
            (t.simulated_band.to_string(), Mark::Box(BAND)),
            (t.median.to_string(), Mark::Line(INK, 2)),
            (t.observed_first.to_string(), Mark::Dot(INK)),
            (t.observed_all.to_string(), Mark::Diamond(INK)),
        ];
        items.extend(verdict_legend(t).into_iter().take(3));
        let top = style::legend(root, &items, (20, style::HEAD + 14), right)? + 14;
        let lanes: i32 = self.lanes.iter().map(|l| Observed::lane_height(l.1.len())).sum();
        let bottom = top + lanes;
        let times = self.times();
        let x_max = frame::nice_max(times.iter().copied().fold(1.0, f64::max) * 1.03);
        let x = Scale::with_break(0.0, x_max, 220, right, &times);
        let tick = |v: f64, step: f64| super::text::tick(v, step, self.lang);
        frame::x_axis(root, &x, bottom, top, t.minutes_from_origin, &tick)?;
        frame::draw_break(root, &x, top, bottom)?;
        let mut y0 = top;
        for (level, rows) in &self.lanes {
            lane_head(root, *level, y0, self.lang)?;
            if rows.is_empty() {
                let s = anchored(text(style::LABEL).color(&GREY), HPos::Left, VPos::Center);
                put(root, t.no_level_rows, (40, y0 + LANE_HEAD + ROW / 2), &s)?;
            }
            for (i, r) in rows.iter().enumerate() {
                draw_timing(root, &x, y0 + LANE_HEAD + i as i32 * ROW + ROW / 2, r)?;
            }
            y0 += Observed::lane_height(rows.len());
        }
        Ok(())
    }
}

fn draw_timing<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, x: &Scale, y: i32, l: &LevelTiming) -> Drawn {
    let label = anchored(text(style::LABEL), HPos::Right, VPos::Center);
    put(root, &style::fit(root, &l.fact, &label, 170), (210, y), &label)?;
    let lo = l.sim_first.p10;
    let hi = l.sim_all.p90.or(l.sim_first.p90);
    if let (Some(a), Some(b)) = (lo, hi) {
        let (pa, pb) = (x.px_clamped(a), x.px_clamped(b));
        root.draw(&Rectangle::new([(pa, y - 8), (pb.max(pa + 2), y + 8)], style::SKY.mix(0.25).filled()))?;
    }
    for (s, dy) in [(&l.sim_first, -4), (&l.sim_all, 4)] {
        if let (Some(a), Some(b)) = (s.p10, s.p90) {
            let (pa, pb) = (x.px_clamped(a), x.px_clamped(b));
            root.draw(&Rectangle::new([(pa, y + dy - 3), (pb.max(pa + 2), y + dy + 3)], BAND.filled()))?;
        }
        if let Some(m) = s.median {
            let pm = x.px_clamped(m);
            root.draw(&PathElement::new(vec![(pm, y + dy - 4), (pm, y + dy + 4)], INK.stroke_width(2)))?;
        }
    }
    if let Some(v) = l.observed_first_min {
        let p = x.px_clamped(v);
        root.draw(&Circle::new((p, y), 6, verdict_colour(against(v, &l.sim_first)).filled()))?;
        root.draw(&Circle::new((p, y), 6, INK.stroke_width(1)))?;
    }
    if let Some(v) = l.observed_all_min {
        let p = x.px_clamped(v);
        style::diamond(root, (p, y), 9, INK)?;
        style::diamond(root, (p, y), 7, verdict_colour(against(v, &l.sim_all)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_placed_against_the_10th_and_90th_percentiles() {
        let s = Spread { runs: 10, happened: 8, p10: Some(5.0), median: Some(8.0), p90: Some(12.0), mean: None };
        assert_eq!(against(4.9, &s), Verdict::Faster);
        assert_eq!(against(5.0, &s), Verdict::AsExpected);
        assert_eq!(against(12.0, &s), Verdict::AsExpected);
        assert_eq!(against(12.1, &s), Verdict::Slower);
        assert_eq!(against(1.0, &Spread { runs: 10, ..Spread::default() }), Verdict::NeverInModel);
    }
}
