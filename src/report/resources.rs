//! Chart 4, resources: per resource type (all organisations summed) the units in use,
//! on the way, idle and the demand not met over time, as stacked step areas; below,
//! each request between organisations from request to decision to arrival.
//! Reads resources.csv and requests.csv.

use super::clock::{self, Clock};
use super::frame::{self, Scale};
use super::i18n::{Labels, fill};
use super::run_data::{RequestRow, ResourceRow};
use super::style::{self, Chart, Drawn, GREY, Mark, anchored, put, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub const MAX_TYPES: usize = 6;
pub const MAX_REQUESTS: usize = 20;
const WIDTH: u32 = 1300;
const PANEL: i32 = 230;
const REQ_ROW: i32 = 24;
/// Colours of in use, on the way, idle, unmet.
const STATE_COLOURS: [RGBColor; 4] = [style::BLUE, style::ORANGE, RGBColor(190, 222, 240), style::VERMILION];

/// One type's totals over organisations after each change: (time, [in use, on the
/// way, idle, unmet]).
#[derive(Clone, Debug)]
pub struct TypeSeries {
    pub kind: String,
    pub points: Vec<(f64, [f64; 4])>,
    pub unmet_minutes: f64,
}

/// Sums resources.csv per type: each (organisation, type) keeps its last row's state
/// until its next row.
pub fn type_series(rows: &[ResourceRow], end: f64) -> Vec<TypeSeries> {
    let mut kinds: Vec<&str> = Vec::new();
    for r in rows {
        if !kinds.contains(&r.kind.as_str()) {
            kinds.push(&r.kind);
        }
    }
    kinds
        .into_iter()
        .map(|kind| {
            let mut state: Vec<(&str, [f64; 4])> = Vec::new();
            let mut points: Vec<(f64, [f64; 4])> = Vec::new();
            for r in rows.iter().filter(|r| r.kind == kind) {
                let v = [r.in_use, r.in_transit, r.idle, r.unmet];
                match state.iter_mut().find(|(o, _)| *o == r.org) {
                    Some(s) => s.1 = v,
                    None => state.push((&r.org, v)),
                }
                let mut sum = [0.0; 4];
                for (_, s) in &state {
                    sum.iter_mut().zip(s).for_each(|(a, b)| *a += b);
                }
                match points.last_mut() {
                    Some(p) if p.0 == r.time => p.1 = sum,
                    _ => points.push((r.time, sum)),
                }
            }
            let mut unmet_minutes = 0.0;
            for (i, (t, v)) in points.iter().enumerate() {
                let next = points.get(i + 1).map(|p| p.0).unwrap_or(end.max(*t));
                unmet_minutes += (next - t) * v[3];
            }
            TypeSeries { kind: kind.to_string(), points, unmet_minutes }
        })
        .collect()
}

pub struct Resources<'a> {
    pub types: Vec<TypeSeries>,
    pub hidden_types: usize,
    pub requests: Vec<&'a RequestRow>,
    pub hidden_requests: usize,
    pub single_time: bool,
    pub clock: Clock,
    pub t: &'static Labels,
}

impl<'a> Resources<'a> {
    pub fn new(rows: &[ResourceRow], requests: &'a [RequestRow], end: f64, start: &str, t: &'static Labels) -> Self {
        let mut types = type_series(rows, end);
        let mut times: Vec<f64> = rows.iter().map(|r| r.time).collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        let hidden_types = types.len().saturating_sub(MAX_TYPES);
        if hidden_types > 0 {
            // Keep the types with the most unmet demand, in their original order.
            let mut by_unmet: Vec<usize> = (0..types.len()).collect();
            by_unmet.sort_by(|a, b| types[*b].unmet_minutes.total_cmp(&types[*a].unmet_minutes));
            let keep: Vec<usize> = by_unmet[..MAX_TYPES].to_vec();
            types = types.into_iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, s)| s).collect();
        }
        let mut reqs: Vec<&RequestRow> = requests.iter().collect();
        let wait = |r: &RequestRow| r.decided.unwrap_or(f64::INFINITY) - r.requested;
        reqs.sort_by(|a, b| wait(b).total_cmp(&wait(a)));
        let hidden_requests = reqs.len().saturating_sub(MAX_REQUESTS);
        reqs.truncate(MAX_REQUESTS);
        reqs.sort_by(|a, b| a.requested.total_cmp(&b.requested));
        Resources {
            types,
            hidden_types,
            requests: reqs,
            hidden_requests,
            single_time: times.len() == 1,
            clock: Clock::new(start, t),
            t,
        }
    }

    fn panel_rows(&self) -> i32 {
        if self.single_time || self.types.is_empty() { 1 } else { self.types.len().div_ceil(2) as i32 }
    }

    fn requests_height(&self) -> i32 {
        60 + REQ_ROW * self.requests.len().max(1) as i32 + clock::AXIS_H + 10
    }

    fn x_max(&self) -> f64 {
        let mut m: f64 = 10.0;
        for s in &self.types {
            m = m.max(s.points.last().map(|p| p.0).unwrap_or(0.0));
        }
        for r in &self.requests {
            m = m.max(r.arrived.or(r.decided).unwrap_or(r.requested));
        }
        frame::nice_max(m * 1.05)
    }
}

impl Chart for Resources<'_> {
    fn comma(&self) -> bool {
        self.t.code == "sv"
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, (style::HEAD + 50 + PANEL * self.panel_rows() + self.requests_height()) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = self.t;
        if self.types.is_empty() && self.requests.is_empty() {
            return style::no_data(root, t.resources_title, &fill(t.no_rows, &[&"resources.csv"]));
        }
        style::heading(root, t.resources_title, t.resources_sub)?;
        let right = WIDTH as i32 - 30;
        let items: Vec<(String, Mark)> =
            t.states.iter().zip(STATE_COLOURS).map(|(s, c)| (s.to_string(), Mark::Box(c))).collect();
        let top = style::legend(root, &items, (20, style::HEAD + 14), right)? + 10;
        let x_max = self.x_max();
        let note = anchored(text(style::AXIS).color(&GREY), HPos::Center, VPos::Center);
        if self.types.is_empty() || self.single_time {
            let why = if self.single_time { t.one_time.to_string() } else { fill(t.no_rows, &[&"resources.csv"]) };
            put(root, &why, (WIDTH as i32 / 2, top + PANEL / 2), &note)?;
        } else {
            for (i, s) in self.types.iter().enumerate() {
                let (col, row) = ((i % 2) as i32, (i / 2) as i32);
                let x0 = 20 + col * (WIDTH as i32 - 40) / 2;
                let area = (x0, top + row * PANEL, x0 + (WIDTH as i32 - 40) / 2 - 10, top + (row + 1) * PANEL);
                self.draw_panel(root, s, area, x_max)?;
            }
        }
        let small = anchored(text(style::SMALL).color(&GREY), HPos::Right, VPos::Top);
        let req_top = top + PANEL * self.panel_rows();
        if self.hidden_types > 0 {
            put(root, &fill(t.more_types, &[&self.hidden_types]), (right, req_top - 16), &small)?;
        }
        self.draw_requests(root, req_top, x_max)
    }
}

/// Polygons (data coordinates) of a stacked step band between `lo` and `hi`, one per
/// stretch where the band has a height, so that an empty band draws nothing.
fn step_band(
    points: &[(f64, [f64; 4])],
    lo: impl Fn(&[f64; 4]) -> f64,
    hi: impl Fn(&[f64; 4]) -> f64,
    end: f64,
) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut upper: Vec<(f64, f64)> = Vec::new();
    let mut lower: Vec<(f64, f64)> = Vec::new();
    let mut close = |upper: &mut Vec<(f64, f64)>, lower: &mut Vec<(f64, f64)>| {
        if !upper.is_empty() {
            lower.reverse();
            upper.append(lower);
            out.push(std::mem::take(upper));
        }
    };
    for (i, (t, v)) in points.iter().enumerate() {
        let next = points.get(i + 1).map(|p| p.0).unwrap_or(end).max(*t);
        if hi(v) <= lo(v) {
            close(&mut upper, &mut lower);
            continue;
        }
        upper.extend([(*t, hi(v)), (next, hi(v))]);
        lower.extend([(*t, lo(v)), (next, lo(v))]);
    }
    close(&mut upper, &mut lower);
    out
}

impl Resources<'_> {
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        s: &TypeSeries,
        (x0, y0, x1, y1): (i32, i32, i32, i32),
        x_max: f64,
    ) -> Drawn {
        let title = anchored(style::bold(style::LABEL + 1), HPos::Left, VPos::Top);
        put(root, &s.kind, (x0 + 60, y0 + 4), &title)?;
        let y_top = s.points.iter().map(|(_, v)| v.iter().sum::<f64>()).fold(1.0, f64::max);
        let x = Scale::new(0.0, x_max, x0 + 60, x1);
        let y = Scale::new(0.0, frame::nice_max(y_top * 1.05), y1 - 55, y0 + 26);
        frame::y_axis(root, &y, x.p0, x.p1, self.t.resources_y)?;
        clock::x_axis(root, &x, (y.p0, y.p1), &self.clock, false)?;
        let sums = |k: usize| move |v: &[f64; 4]| v[..k].iter().sum::<f64>();
        for (k, c) in STATE_COLOURS.iter().enumerate() {
            for band in step_band(&s.points, sums(k), sums(k + 1), x_max) {
                let px: Vec<(i32, i32)> = band.iter().map(|(a, b)| (x.px(*a), y.px(*b))).collect();
                root.draw(&Polygon::new(px, c.filled()))?;
            }
        }
        Ok(())
    }

    fn draw_requests<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, top: i32, x_max: f64) -> Drawn {
        let t = self.t;
        let head = anchored(style::bold(style::LABEL + 1), HPos::Left, VPos::Top);
        put(root, t.requests_title, (20, top + 8), &head)?;
        let items = [
            (t.waiting_decision.to_string(), Mark::Box(style::VERMILION)),
            (t.on_the_way.to_string(), Mark::Box(style::BLUE)),
        ];
        let rows_top = style::legend(root, &items, (20, top + 40), WIDTH as i32 - 30)? + 8;
        if self.requests.is_empty() {
            let s = anchored(text(style::AXIS).color(&GREY), HPos::Left, VPos::Top);
            return put(root, t.no_requests, (40, rows_top + 4), &s);
        }
        let label_style = anchored(text(style::LABEL), HPos::Right, VPos::Center);
        let labels: Vec<String> =
            self.requests.iter().map(|r| fill(t.request_label, &[&r.id, &r.kind, &r.quantity, &r.incident])).collect();
        let widest = labels.iter().map(|l| style::width(root, l, &label_style)).max().unwrap_or(0);
        let left = 38 + widest.min(340);
        let x = Scale::new(0.0, x_max, left, WIDTH as i32 - 30);
        let bottom = rows_top + REQ_ROW * self.requests.len() as i32;
        clock::x_axis(root, &x, (bottom, rows_top), &self.clock, true)?;
        for (i, (r, label)) in self.requests.iter().zip(&labels).enumerate() {
            let y = rows_top + i as i32 * REQ_ROW + REQ_ROW / 2;
            put(root, &style::fit(root, label, &label_style, left - 38), (left - 8, y), &label_style)?;
            self.draw_request(root, &x, y, r)?;
        }
        if self.hidden_requests > 0 {
            let small = anchored(text(style::SMALL).color(&GREY), HPos::Right, VPos::Top);
            put(root, &fill(t.more_requests, &[&self.hidden_requests]), (x.p1, bottom + clock::AXIS_H + 2), &small)?;
        }
        Ok(())
    }

    fn draw_request<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        x: &Scale,
        y: i32,
        r: &RequestRow,
    ) -> Drawn {
        let a = x.px(r.requested);
        let d = r.decided.map(|d| x.px_clamped(d)).unwrap_or(x.p1);
        root.draw(&PathElement::new(vec![(a, y - 8), (a, y + 8)], style::INK.stroke_width(2)))?;
        root.draw(&Rectangle::new([(a, y - 6), (d.max(a + 1), y + 6)], style::VERMILION.filled()))?;
        let mut end = d;
        if let Some(arr) = r.arrived {
            end = x.px_clamped(arr);
            root.draw(&Rectangle::new([(d, y - 6), (end.max(d + 1), y + 6)], style::BLUE.filled()))?;
        }
        let s = anchored(text(style::SMALL), HPos::Left, VPos::Center);
        let note = match r.decided {
            None => self.t.not_decided.to_string(),
            Some(_) if r.lenders.is_empty() => String::new(),
            Some(_) => format!("← {}", r.lenders.replace(';', ", ")),
        };
        if r.decided.is_none() {
            let s = anchored(text(style::SMALL), HPos::Right, VPos::Bottom);
            return put(root, &note, (end, y - 7), &s);
        }
        put(root, &note, (end + 6, y), &s)
    }
}
