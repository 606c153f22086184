//! The map chart: the municipalities of the county (or counties) whose organisations
//! carry an SCB municipality code, each coloured by when its coordinating unit came to
//! know the first key fact ([`super::map_data`]), grey for never or no unit, outlined
//! only without an organisation; the incident's place marked; a colour scale in
//! minutes and clock time. Equirectangular, x scaled by cos(latitude) ([`geo::Projection`]).
//! The county map (`county_map`) is the same chart over all 21 counties of Sweden, from
//! `counties.csv` ([`crate::geo::knowing::Division::County`]).

use super::frame;
use super::i18n::{Labels, fill};
use super::map_data::{MapData, MapLabels, clock, dec, labels_for};
use super::style::{self, Chart, Drawn, GREY, INK, anchored, put, text};
use crate::geo::knowing::Division;
use crate::geo::{self, Projection, Shape};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The chart's file stem.
pub const NAME: &str = "map";
const WIDTH: u32 = 1300;
const HEIGHT: u32 = 960;
/// The map's pixel box (the legend is to its right).
const MAP_LEFT: i32 = 20;
const MAP_RIGHT: i32 = 990;
const MAP_BOTTOM: i32 = HEIGHT as i32 - 20;
/// Fill of a municipality that never knew, or has no coordinating unit.
pub const NEVER: RGBColor = RGBColor(165, 165, 165);
/// Fill of a municipality without an organisation in the scenario.
pub const NO_ORG: RGBColor = WHITE;

pub struct Map<'a> {
    pub d: &'a MapData,
    pub t: &'static Labels,
    /// The shapes drawn: every municipality of the counties the coded ones are in (the
    /// county map: every county).
    pub shown: Vec<Shape<'static>>,
    /// Bottom and top of the colour scale (minutes): nice values around the times shown.
    pub lo: f64,
    pub max: f64,
}

impl<'a> Map<'a> {
    pub fn new(d: &'a MapData, t: &'static Labels) -> Self {
        let mut shown: Vec<Shape<'static>> = match d.division {
            Division::Municipality => {
                let counties: Vec<&str> =
                    d.areas.iter().filter_map(|a| geo::municipality(&a.code)).map(|m| m.county.as_str()).collect();
                let all = geo::municipalities().iter();
                all.filter(|m| counties.contains(&m.county.as_str())).map(|m| m.shape()).collect()
            }
            Division::County => geo::counties().iter().map(|c| c.shape()).collect(),
        };
        // Larger shapes first, so that an enclave drawn later stays visible.
        shown.sort_by(|a, b| extent(b).total_cmp(&extent(a)).then_with(|| a.code.cmp(b.code)));
        let times: Vec<f64> = d.areas.iter().filter(|a| !a.no_unit).filter_map(|a| a.minutes).collect();
        let (lo, max) = scale_range(&times);
        Map { d, t, shown, lo, max }
    }

    /// The chart's words (municipality or county map, English or Swedish).
    fn labels(&self) -> &'static MapLabels {
        labels_for(self.t, self.d.division)
    }

    /// The projection of the shown municipalities (and the incident) into the map box.
    pub fn projection(&self) -> Projection {
        let mut points: Vec<geo::LonLat> =
            self.shown.iter().flat_map(|m| m.polygons.iter().flat_map(|p| p[0].iter().copied())).collect();
        if let Some((lat, lon, _)) = &self.d.location {
            points.push((*lon, *lat));
        }
        Projection::fit(points, (MAP_LEFT, style::HEAD + 20), (MAP_RIGHT, MAP_BOTTOM))
    }

    /// The fill of municipality `code`.
    pub fn colour(&self, code: &str) -> RGBColor {
        match self.d.areas.iter().find(|a| a.code == code) {
            None => NO_ORG,
            Some(a) => match a.minutes {
                Some(m) if !a.no_unit => style::sequential((m - self.lo) / (self.max - self.lo)),
                _ => NEVER,
            },
        }
    }
}

/// The colour scale's range: from a nice value at or below the earliest time (0 when
/// that is less than a third of the latest) to a nice value at or above the latest, so
/// that times close together still get distinct colours.
pub fn scale_range(times: &[f64]) -> (f64, f64) {
    let hi = times.iter().copied().fold(f64::MIN, f64::max);
    let lo = times.iter().copied().fold(f64::MAX, f64::min);
    if times.is_empty() || hi <= 0.0 {
        return (0.0, 1.0);
    }
    if lo < hi / 3.0 || hi - lo < 1e-9 {
        return (0.0, frame::nice_max(hi.max(1.0)));
    }
    let step = frame::nice_step(hi - lo, 5);
    let (a, b) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    (a, if b > a { b } else { a + step })
}

/// Where a label `w` pixels wide near `at` lies inside the drawn shape: on the row of
/// `at`, the stretch of inside pixels (within 150 px) that can hold it and is nearest;
/// `None`: none can.
fn label_fits(proj: &Projection, m: &Shape<'_>, at: (i32, i32), w: i32) -> Option<(i32, i32)> {
    let drawn: Vec<Vec<Vec<(f64, f64)>>> =
        m.polygons.iter().map(|p| p.iter().map(|r| r.iter().map(|q| proj.xy(*q)).collect()).collect()).collect();
    let within = |x: i32| drawn.iter().any(|p| geo::inside((x as f64, at.1 as f64), p));
    let half = w / 2 + 3;
    let mut best: Option<i32> = None;
    let mut start: Option<i32> = None;
    for x in at.0 - 150..=at.0 + 151 {
        match (within(x) && x <= at.0 + 150, start) {
            (true, None) => start = Some(x),
            (false, Some(a)) => {
                let b = x - 1;
                if b - a >= 2 * half {
                    let c = at.0.clamp(a + half, b - half);
                    if best.is_none_or(|o| (c - at.0).abs() < (o - at.0).abs()) {
                        best = Some(c);
                    }
                }
                start = None;
            }
            _ => {}
        }
    }
    best.map(|x| (x, at.1))
}

/// Area of a shape's bounding box (degrees²), for the drawing order.
fn extent(m: &Shape<'_>) -> f64 {
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for (x, y) in m.polygons.iter().flat_map(|p| p[0].iter()) {
        lo = (lo.0.min(*x), lo.1.min(*y));
        hi = (hi.0.max(*x), hi.1.max(*y));
    }
    (hi.0 - lo.0).max(0.0) * (hi.1 - lo.1).max(0.0)
}

impl Chart for Map<'_> {
    fn comma(&self) -> bool {
        self.t.code == "sv"
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let l = self.labels();
        let sub = match self.d.runs {
            None => fill(l.sub_run, &[&self.d.fact]),
            Some(n) => fill(l.sub_batch, &[&self.d.fact, &n]),
        };
        style::heading(root, l.title, &sub)?;
        let proj = self.projection();
        for m in &self.shown {
            self.draw_shape(root, &proj, m)?;
        }
        for m in &self.shown {
            self.draw_name(root, &proj, m)?;
        }
        if let Some((lat, lon, name)) = &self.d.location {
            let (x, y) = proj.px((*lon, *lat));
            root.draw(&Circle::new((x, y), 9, WHITE.filled()))?;
            root.draw(&Circle::new((x, y), 7, style::VERMILION.filled()))?;
            root.draw(&Circle::new((x, y), 7, INK.stroke_width(1)))?;
            if !name.is_empty() {
                let s = anchored(style::bold(style::LABEL), HPos::Left, VPos::Center);
                let (bx, by) = (x + 14, y - 22);
                let w = style::width(root, name, &s);
                root.draw(&Rectangle::new([(bx - 5, by - 11), (bx + w + 5, by + 11)], WHITE.mix(0.9).filled()))?;
                root.draw(&Rectangle::new([(bx - 5, by - 11), (bx + w + 5, by + 11)], INK.stroke_width(1)))?;
                root.draw(&PathElement::new(vec![(x + 5, y - 5), (bx - 5, by + 6)], INK.stroke_width(1)))?;
                put(root, name, (bx, by), &s)?;
            }
        }
        self.legend(root)
    }
}

impl Map<'_> {
    fn draw_shape<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, proj: &Projection, m: &Shape<'_>) -> Drawn {
        let fill = self.colour(m.code);
        let coded = self.d.areas.iter().any(|a| a.code == m.code);
        for polygon in m.polygons {
            let outer: Vec<(i32, i32)> = polygon[0].iter().map(|p| proj.px(*p)).collect();
            root.draw(&Polygon::new(outer.clone(), fill.filled()))?;
            for hole in &polygon[1..] {
                let pts: Vec<(i32, i32)> = hole.iter().map(|p| proj.px(*p)).collect();
                root.draw(&Polygon::new(pts, WHITE.filled()))?;
            }
            for ring in polygon {
                let pts: Vec<(i32, i32)> = ring.iter().map(|p| proj.px(*p)).collect();
                let line = if coded { INK.mix(0.7).stroke_width(1) } else { GREY.stroke_width(1) };
                root.draw(&PathElement::new(pts, line))?;
            }
        }
        Ok(())
    }

    /// The shape's name at its inner point, when it fits inside its shape's width.
    fn draw_name<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, proj: &Projection, m: &Shape<'_>) -> Drawn {
        let ink = style::on(self.colour(m.code));
        let s = anchored(text(style::SMALL).color(&ink), HPos::Center, VPos::Center);
        let xs: Vec<i32> = m.polygons.iter().flat_map(|p| p[0].iter().map(|q| proj.px(*q).0)).collect();
        let span = xs.iter().max().unwrap_or(&0) - xs.iter().min().unwrap_or(&0);
        let w = style::width(root, m.name, &s);
        if w + 6 > span {
            return Ok(());
        }
        let at = proj.px(m.inner);
        match self.d.division {
            Division::Municipality => put(root, m.name, at, &s),
            // Counties are large and ragged: move the label sideways until it lies inside.
            Division::County => match label_fits(proj, m, at, w) {
                Some(at) => put(root, m.name, at, &s),
                None => Ok(()),
            },
        }
    }

    /// The colour scale (minutes and clock), the grey and white swatches, the marker.
    fn legend<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let l = self.labels();
        let x = MAP_RIGHT + 30;
        let top = style::HEAD + 50;
        let head = if self.d.runs.is_some() { l.scale_batch } else { l.scale_run };
        put(root, head, (x, top - 28), &style::bold(style::LABEL))?;
        let (h, w) = (360, 26);
        for i in 0..h {
            let c = style::sequential(i as f64 / (h - 1) as f64);
            root.draw(&Rectangle::new([(x, top + i), (x + w, top + i + 1)], c.filled()))?;
        }
        root.draw(&Rectangle::new([(x, top), (x + w, top + h)], INK.stroke_width(1)))?;
        let step = frame::nice_step(self.max - self.lo, 6);
        let s = anchored(text(style::LABEL), HPos::Left, VPos::Center);
        let mut v = self.lo;
        while v <= self.max + 1e-9 {
            let y = top + ((v - self.lo) / (self.max - self.lo) * (h - 1) as f64).round() as i32;
            root.draw(&PathElement::new(vec![(x + w, y), (x + w + 5, y)], INK.stroke_width(1)))?;
            let label = format!("{} {} · {}", dec(v, self.t), self.t.minutes, clock(self.t, &self.d.start, v));
            put(root, &label, (x + w + 9, y), &s)?;
            v += step;
        }
        let mut y = top + h + 40;
        for (c, label) in [(NEVER, l.never), (NO_ORG, l.no_org)] {
            root.draw(&Rectangle::new([(x, y - 9), (x + w, y + 9)], c.filled()))?;
            root.draw(&Rectangle::new([(x, y - 9), (x + w, y + 9)], GREY.stroke_width(1)))?;
            for (i, line) in style::wrap(root, label, &s, WIDTH as i32 - x - w - 20).iter().enumerate() {
                put(root, line, (x + w + 9, y + 18 * i as i32), &s)?;
            }
            y += 46;
        }
        if self.d.location.is_some() {
            root.draw(&Circle::new((x + w / 2, y), 7, style::VERMILION.filled()))?;
            root.draw(&Circle::new((x + w / 2, y), 7, INK.stroke_width(1)))?;
            put(root, l.incident, (x + w + 9, y), &s)?;
        }
        Ok(())
    }
}
