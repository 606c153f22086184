//! Chart 1, the information timeline: for the key facts, when each level first and
//! fully knew them, in three swimlanes (strategic, coordinating, executive), with the
//! conferences of each level drawn as bands. Reads levels.csv and conferences.csv.
//!
//! The time axis spans the whole scenario (minutes from the start with the local clock
//! below, a dashed line at each midnight, [`clock`]); a scenario longer than three days
//! gets a wider chart. A stream of repeated facts (`name#1`, `name#2`, …) is one row
//! with every repetition on it.

use super::clock::{self, Clock};
use super::frame::{self, Scale};
use super::i18n::{Labels, fill};
use super::run_data::{ConferenceRow, LevelKnown};
use super::style::{self, Chart, Drawn, GREY, LEVELS_TOP_DOWN, Mark, anchored, put, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// At most this many rows are drawn (the earliest); the facts of the rest are counted.
pub const MAX_FACTS: usize = 24;
const ROW: i32 = 22;
const LANE_HEAD: i32 = 26;
/// The chart's width up to three days; longer scenarios get [`PX_PER_EXTRA_DAY`] more
/// per day, up to [`MAX_WIDTH`].
const WIDTH: u32 = 1300;
const PX_PER_EXTRA_DAY: f64 = 200.0;
const MAX_WIDTH: u32 = 3400;
const CONFERENCE_COLOURS: [RGBColor; 4] = [style::PURPLE, style::SKY, style::YELLOW, style::VERMILION];

/// Per level (by `Level::index`): when the first and when all of its units knew a fact.
pub type Known = [Option<(Option<f64>, Option<f64>)>; 3];

/// One row of the chart: a fact, or a stream of repeated facts (`name#1`, `name#2`, …),
/// with each occurrence's origin and what each level knew when.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyFact {
    /// The fact's id, or for a stream its name and count ("vulnerable ×61").
    pub fact: String,
    /// The first occurrence's origin.
    pub origin: f64,
    /// Every occurrence (one for a plain fact), earliest first.
    pub occurrences: Vec<(f64, Known)>,
}

/// The rows of the chart: every fact that is not a numbered repetition (`name#N`), and
/// one row per stream holding all its repetitions, earliest first, at most
/// [`MAX_FACTS`]. Returns them and how many facts the rows left out hold.
pub fn key_facts(levels: &[LevelKnown]) -> (Vec<KeyFact>, usize) {
    let mut facts: Vec<(String, f64, Known)> = Vec::new();
    for row in levels {
        let i = match facts.iter().position(|f| f.0 == row.fact) {
            Some(i) => i,
            None => {
                facts.push((row.fact.clone(), row.origin, [None; 3]));
                facts.len() - 1
            }
        };
        facts[i].2[row.level.index()] = Some((row.first, row.all));
    }
    facts.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    let mut rows: Vec<(String, KeyFact)> = Vec::new();
    for (id, origin, known) in facts {
        let key = id.split_once('#').map_or(id.as_str(), |(stream, _)| stream).to_string();
        let group = if id.contains('#') { Some(key.clone()) } else { None };
        match rows.iter_mut().find(|(k, _)| group.as_ref() == Some(k)) {
            Some((_, row)) => row.occurrences.push((origin, known)),
            None => rows
                .push((group.unwrap_or_default(), KeyFact { fact: key, origin, occurrences: vec![(origin, known)] })),
        }
    }
    let mut rows: Vec<KeyFact> = rows.into_iter().map(|(_, r)| r).collect();
    for r in rows.iter_mut().filter(|r| r.occurrences.len() > 1) {
        r.fact = format!("{} ×{}", r.fact, r.occurrences.len());
    }
    let hidden = rows.iter().skip(MAX_FACTS).map(|r| r.occurrences.len()).sum();
    rows.truncate(MAX_FACTS);
    (rows, hidden)
}

pub struct Timeline<'a> {
    pub facts: Vec<KeyFact>,
    pub hidden: usize,
    pub conferences: &'a [ConferenceRow],
    /// The scenario's length in minutes (the axis's end; 0 if unknown).
    pub end: f64,
    pub clock: Clock,
    pub t: &'static Labels,
}

impl<'a> Timeline<'a> {
    /// The chart of a run's levels.csv and conferences.csv; `start` the simulated start
    /// (summary.json), `end` the scenario's length in minutes.
    pub fn new(
        levels: &[LevelKnown],
        conferences: &'a [ConferenceRow],
        start: &str,
        end: f64,
        t: &'static Labels,
    ) -> Self {
        let (facts, hidden) = key_facts(levels);
        Timeline { facts, hidden, conferences, end, clock: Clock::new(start, t), t }
    }

    /// The chart's width: wider for a scenario longer than three days.
    fn width(&self) -> u32 {
        let extra_days = (self.x_max() / 1440.0 - 3.0).max(0.0);
        ((WIDTH as f64 + extra_days * PX_PER_EXTRA_DAY) as u32).min(MAX_WIDTH)
    }

    fn lane_height(&self) -> i32 {
        LANE_HEAD + ROW * self.facts.len() as i32 + 8
    }

    /// The axis's end: the scenario's end, or without it when the last key fact was
    /// known everywhere.
    fn x_max(&self) -> f64 {
        if self.end > 0.0 {
            return self.end;
        }
        let m = self.times().into_iter().fold(1.0, f64::max);
        frame::nice_max(m * 1.03)
    }

    fn conference_ids(&self, x_max: f64) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for c in self.conferences.iter().filter(|c| c.start < x_max) {
            if !ids.contains(&c.id.as_str()) {
                ids.push(&c.id);
            }
        }
        ids
    }
}

impl Chart for Timeline<'_> {
    fn comma(&self) -> bool {
        self.t.code == "sv"
    }
    fn size(&self) -> (u32, u32) {
        (self.width(), (style::HEAD + 60 + 3 * self.lane_height() + clock::AXIS_H + 30).max(360) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = self.t;
        if self.facts.is_empty() {
            return style::no_data(root, t.timeline_title, &fill(t.no_rows, &[&"levels.csv"]));
        }
        style::heading(root, t.timeline_title, t.timeline_sub)?;
        let x_max = self.x_max();
        let conf_ids = self.conference_ids(x_max);
        let label_style = anchored(text(style::LABEL), HPos::Right, VPos::Center);
        let widest = self.facts.iter().map(|f| style::width(root, &f.fact, &label_style)).max().unwrap_or(0);
        let left = 38 + widest.min(240);
        let right = self.width() as i32 - 40;
        let mut items = vec![
            (t.origin.to_string(), Mark::Line(GREY, 2)),
            (t.first_knows.to_string(), Mark::Dot(style::INK)),
            (t.all_know.to_string(), Mark::Diamond(style::INK)),
        ];
        for (i, id) in conf_ids.iter().enumerate() {
            items.push((fill(t.conference, &[id]), Mark::Band(CONFERENCE_COLOURS[i % 4], 0.35)));
        }
        let top = style::legend(root, &items, (20, style::HEAD + 14), right)? + 12;
        let bottom = top + 3 * self.lane_height();
        let x = Scale::with_break(0.0, x_max, left, right, &self.times());
        clock::x_axis(root, &x, (bottom, top), &self.clock, true)?;
        for (lane, level) in LEVELS_TOP_DOWN.into_iter().enumerate() {
            self.draw_lane_back(root, &x, top + lane as i32 * self.lane_height(), level, &conf_ids)?;
        }
        frame::draw_break(root, &x, top, bottom)?;
        for (lane, level) in LEVELS_TOP_DOWN.into_iter().enumerate() {
            self.draw_lane(root, &x, top + lane as i32 * self.lane_height(), level, left)?;
        }
        if self.hidden > 0 {
            let s = anchored(text(style::SMALL).color(&GREY), HPos::Right, VPos::Top);
            put(root, &fill(t.more_facts, &[&self.hidden]), (right, bottom + clock::AXIS_H + 4), &s)?;
        }
        Ok(())
    }
}

impl Timeline<'_> {
    /// Every time drawn (origins, first and all known), for the axis break.
    fn times(&self) -> Vec<f64> {
        let mut t = Vec::new();
        for (origin, known) in self.facts.iter().flat_map(|f| &f.occurrences) {
            t.push(*origin);
            for (first, all) in known.iter().flatten() {
                t.extend(first.iter().chain(all.iter()));
            }
        }
        t
    }

    /// A lane's background and its level's conferences.
    fn draw_lane_back<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        x: &Scale,
        y0: i32,
        level: crate::vocabulary::Level,
        conf_ids: &[&str],
    ) -> Drawn {
        let h = self.lane_height();
        let colour = style::level_colour(level);
        root.draw(&Rectangle::new([(x.p0, y0), (x.p1, y0 + h)], colour.mix(0.05).filled()))?;
        root.draw(&PathElement::new(vec![(20, y0), (x.p1, y0)], GREY.stroke_width(1)))?;
        for c in self.conferences.iter().filter(|c| c.level == level && c.start < x.hi) {
            let i = conf_ids.iter().position(|id| *id == c.id).unwrap_or(0);
            let (a, b) = (x.px(c.start), x.px_clamped(c.end));
            root.draw(&Rectangle::new(
                [(a, y0 + 2), (b.max(a + 1), y0 + h)],
                CONFERENCE_COLOURS[i % 4].mix(0.3).filled(),
            ))?;
        }
        Ok(())
    }

    /// A lane's heading and its facts.
    fn draw_lane<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        x: &Scale,
        y0: i32,
        level: crate::vocabulary::Level,
        left: i32,
    ) -> Drawn {
        let colour = style::level_colour(level);
        let head = anchored(style::bold(style::AXIS).color(&colour), HPos::Left, VPos::Center);
        put(root, self.t.level(level), (20, y0 + LANE_HEAD / 2 + 1), &head)?;
        let label_style = anchored(text(style::LABEL), HPos::Right, VPos::Center);
        for (i, f) in self.facts.iter().enumerate() {
            let y = y0 + LANE_HEAD + i as i32 * ROW + ROW / 2;
            put(root, &style::fit(root, &f.fact, &label_style, left - 38), (left - 8, y), &label_style)?;
            for (origin, known) in &f.occurrences {
                if let Some((first, all)) = known[level.index()] {
                    self.draw_fact(root, x, y, *origin, first, all, colour)?;
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_fact<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        x: &Scale,
        y: i32,
        origin: f64,
        first: Option<f64>,
        all: Option<f64>,
        colour: RGBColor,
    ) -> Drawn {
        let o = x.px(origin);
        root.draw(&PathElement::new(vec![(o, y - 7), (o, y + 7)], GREY.stroke_width(2)))?;
        let Some(first) = first else {
            let s = anchored(text(style::SMALL).color(&GREY), HPos::Left, VPos::Center);
            return put(root, self.t.never, (o + 6, y), &s);
        };
        let f = x.px(first);
        if f > o + 2 {
            style::dashed(root, (o, y), (f, y), GREY, 1)?;
        }
        let end = all.map(|a| x.px_clamped(a)).unwrap_or(x.p1);
        root.draw(&Rectangle::new([(f, y - 5), (end.max(f + 1), y + 5)], colour.filled()))?;
        root.draw(&Circle::new((f, y), 5, style::INK.filled()))?;
        match all {
            Some(_) => style::diamond(root, (end, y), 7, style::INK)?,
            None => {
                root.draw(&Polygon::new(vec![(end, y - 7), (end + 10, y), (end, y + 7)], colour.filled()))?;
                let s = anchored(text(style::SMALL), HPos::Right, VPos::Bottom);
                put(root, self.t.not_all, (end, y - 6), &s)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::Level;

    fn row(fact: &str, origin: f64) -> LevelKnown {
        LevelKnown { fact: fact.into(), level: Level::Coordinating, origin, first: Some(origin + 1.0), all: None }
    }

    #[test]
    fn a_stream_is_one_row_with_every_repetition_and_late_facts_are_kept() {
        // A stream of 40 repetitions between two plain facts, one of them days later.
        let mut levels = vec![row("alarm", 0.0), row("rakel-diesel", 5760.0)];
        levels.extend((1..=40).map(|i| row(&format!("vulnerable#{i}"), 400.0 + 100.0 * i as f64)));
        let (rows, hidden) = key_facts(&levels);
        let names: Vec<&str> = rows.iter().map(|r| r.fact.as_str()).collect();
        assert_eq!(names, ["alarm", "vulnerable ×40", "rakel-diesel"]);
        assert_eq!(rows[1].occurrences.len(), 40);
        assert_eq!(rows[1].occurrences[39].0, 4400.0);
        assert_eq!(hidden, 0);
        // More rows than fit: the latest are left out and their facts counted.
        let many: Vec<LevelKnown> = (0..MAX_FACTS + 3).map(|i| row(&format!("f{i:02}"), i as f64)).collect();
        let (rows, hidden) = key_facts(&many);
        assert_eq!((rows.len(), hidden), (MAX_FACTS, 3));
    }

    #[test]
    fn the_axis_spans_the_scenario_and_long_scenarios_get_a_wider_chart() {
        let levels = [row("alarm", 0.0)];
        let short = Timeline::new(&levels, &[], "2017-04-07T14:53", 4320.0, &crate::report::i18n::EN);
        assert_eq!((short.x_max(), short.width()), (4320.0, WIDTH));
        let week = Timeline::new(&levels, &[], "2017-04-07T14:53", 10_080.0, &crate::report::i18n::EN);
        assert_eq!((week.x_max(), week.width()), (10_080.0, WIDTH + 800));
        let long = Timeline::new(&levels, &[], "2017-04-07T14:53", 60.0 * 24.0 * 30.0, &crate::report::i18n::EN);
        assert_eq!(long.width(), MAX_WIDTH);
    }
}
