//! Chart 1, the information timeline: for the key facts, when each level first and
//! fully knew them, in three swimlanes (strategic, coordinating, executive), with the
//! conferences of each level drawn as bands. Reads levels.csv and conferences.csv.

use super::frame::{self, Scale};
use super::i18n::{Labels, fill};
use super::run_data::{ConferenceRow, LevelKnown};
use super::style::{self, Chart, Drawn, GREY, LEVELS_TOP_DOWN, Mark, anchored, put, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// At most this many facts are drawn (the earliest); the rest are counted.
pub const MAX_FACTS: usize = 14;
const ROW: i32 = 22;
const LANE_HEAD: i32 = 26;
const WIDTH: u32 = 1300;
const CONFERENCE_COLOURS: [RGBColor; 4] = [style::PURPLE, style::SKY, style::YELLOW, style::VERMILION];

/// One key fact: its origin and, per level (by `Level::index`), first and all known.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyFact {
    pub fact: String,
    pub origin: f64,
    pub known: [Option<(Option<f64>, Option<f64>)>; 3],
}

/// The key facts: every fact that is not a numbered repetition of a stream
/// (`name#N`), plus the first repetition of each stream, earliest first, at most
/// [`MAX_FACTS`]. Returns them and how many facts were left out.
pub fn key_facts(levels: &[LevelKnown]) -> (Vec<KeyFact>, usize) {
    let mut facts: Vec<KeyFact> = Vec::new();
    for row in levels {
        let i = match facts.iter().position(|f| f.fact == row.fact) {
            Some(i) => i,
            None => {
                facts.push(KeyFact { fact: row.fact.clone(), origin: row.origin, known: [None; 3] });
                facts.len() - 1
            }
        };
        facts[i].known[row.level.index()] = Some((row.first, row.all));
    }
    facts.sort_by(|a, b| a.origin.total_cmp(&b.origin).then_with(|| a.fact.cmp(&b.fact)));
    let total = facts.len();
    let mut seen_streams: Vec<String> = Vec::new();
    facts.retain(|f| match f.fact.split_once('#') {
        None => true,
        Some((stream, _)) if !seen_streams.iter().any(|s| s == stream) => {
            seen_streams.push(stream.to_string());
            true
        }
        Some(_) => false,
    });
    facts.truncate(MAX_FACTS);
    let hidden = total - facts.len();
    (facts, hidden)
}

pub struct Timeline<'a> {
    pub facts: Vec<KeyFact>,
    pub hidden: usize,
    pub conferences: &'a [ConferenceRow],
    /// The simulated start as a readable local time.
    pub start: String,
    pub t: &'static Labels,
}

impl<'a> Timeline<'a> {
    pub fn new(levels: &[LevelKnown], conferences: &'a [ConferenceRow], start: &str, t: &'static Labels) -> Self {
        let (facts, hidden) = key_facts(levels);
        Timeline { facts, hidden, conferences, start: t.when(start), t }
    }

    fn lane_height(&self) -> i32 {
        LANE_HEAD + ROW * self.facts.len() as i32 + 8
    }

    /// The last minute worth showing: when the last key fact was known everywhere.
    fn x_max(&self) -> f64 {
        let mut m: f64 = 1.0;
        for f in &self.facts {
            m = m.max(f.origin + 5.0);
            for (first, all) in f.known.iter().flatten() {
                m = m.max(first.unwrap_or(0.0)).max(all.unwrap_or(0.0));
            }
        }
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
        (WIDTH, (style::HEAD + 60 + 3 * self.lane_height() + 80).max(360) as u32)
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
        let right = WIDTH as i32 - 40;
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
        frame::x_axis(root, &x, bottom, top, &fill(t.minutes_from_start, &[&self.start]), &frame::plain)?;
        for (lane, level) in LEVELS_TOP_DOWN.into_iter().enumerate() {
            self.draw_lane_back(root, &x, top + lane as i32 * self.lane_height(), level, &conf_ids)?;
        }
        frame::draw_break(root, &x, top, bottom)?;
        for (lane, level) in LEVELS_TOP_DOWN.into_iter().enumerate() {
            self.draw_lane(root, &x, top + lane as i32 * self.lane_height(), level, left)?;
        }
        if self.hidden > 0 {
            let s = anchored(text(style::SMALL).color(&GREY), HPos::Right, VPos::Top);
            put(root, &fill(t.more_facts, &[&self.hidden]), (right, bottom + 50), &s)?;
        }
        Ok(())
    }
}

impl Timeline<'_> {
    /// Every time drawn (origins, first and all known), for the axis break.
    fn times(&self) -> Vec<f64> {
        let mut t = Vec::new();
        for f in &self.facts {
            t.push(f.origin);
            for (first, all) in f.known.iter().flatten() {
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
            if let Some((first, all)) = f.known[level.index()] {
                self.draw_fact(root, x, y, f.origin, first, all, colour)?;
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
