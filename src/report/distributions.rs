//! Chart 6, delay distributions: for each level (and for the milestones) box plots of
//! the headline measures over the runs, one box per variant, from the quantiles in
//! stats.csv; below, each objective's measured value per variant from runs.csv, with
//! the objective's limit as a dashed line.

use super::batch_data::{BatchData, Stat};
use super::frame::{self, Scale};
use super::i18n::{Labels, fill};
use super::style::{self, Chart, Drawn, GREY, INK, LEVELS_TOP_DOWN, Mark, anchored, put, text};
use crate::metrics::stats::{quantile, sorted};
use crate::vocabulary::Level;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

const WIDTH: u32 = 1300;
const PANEL_H: i32 = 270;
const OBJ_H: i32 = 250;
const OBJ_PER_ROW: usize = 5;
pub const MILESTONES: [&str; 4] =
    ["first_any_conference_min", "first_picture_min", "first_public_message_min", "mean_request_wait_min"];

/// The measures of a level's panel: (measure, index into `Labels::dist_groups`).
pub fn level_measures(level: Level) -> Vec<(String, usize)> {
    let n = level.name();
    let mut m = Vec::new();
    if level != Level::Executive {
        m.push((format!("first_fact_first_{n}_min"), 0));
    }
    m.push((format!("first_fact_all_{n}_min"), 1));
    m.push((format!("delay_{n}_median_min"), 2));
    m.push((format!("delay_{n}_p90_min"), 3));
    m
}

/// p5, p25, p50, p75, p95 of `values` (type 7, as stats.csv), if any.
pub fn box5(values: &[f64]) -> Option<[f64; 5]> {
    let v = sorted(values.to_vec());
    let q = |p| quantile(&v, p);
    Some([q(0.05)?, q(0.25)?, q(0.5)?, q(0.75)?, q(0.95)?])
}

/// One panel: a title and groups of boxes (one box per variant; `None`: no value).
struct Panel {
    title: String,
    groups: Vec<(String, Vec<Option<[f64; 5]>>)>,
    limit: Option<(f64, String)>,
    unit: String,
}

pub struct Distributions {
    panels: Vec<Panel>,
    objectives: Vec<Panel>,
    variants: Vec<String>,
    note: String,
    empty: bool,
    t: &'static Labels,
}

impl Distributions {
    pub fn new(d: &BatchData, t: &'static Labels) -> Distributions {
        let p0 = d.first_point();
        let boxes = |m: &str| d.variants.iter().map(|v| d.stat(p0, v, m).and_then(|s: &Stat| s.box5)).collect();
        let mut panels: Vec<Panel> = LEVELS_TOP_DOWN
            .iter()
            .map(|l| Panel {
                title: t.level(*l).to_string(),
                groups: level_measures(*l)
                    .into_iter()
                    .map(|(m, g)| (t.dist_groups[g].to_string(), boxes(&m)))
                    .collect(),
                limit: None,
                unit: t.minutes.into(),
            })
            .collect();
        panels.push(Panel {
            title: t.milestones.to_string(),
            groups: MILESTONES.iter().map(|m| (t.measure(m), boxes(m))).collect(),
            limit: None,
            unit: t.minutes.into(),
        });
        let objectives = d
            .objective_ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let info = d.info(id);
                let per_variant = d
                    .variants
                    .iter()
                    .map(|v| {
                        let vals: Vec<f64> = d
                            .runs
                            .iter()
                            .filter(|r| r.ok && r.key.point == p0 && &r.key.variant == v)
                            .filter_map(|r| r.objective_values[i])
                            .collect();
                        box5(&vals)
                    })
                    .collect();
                let limit = info.limit.map(|l| {
                    (l, fill(t.objective_limit, &[&frame::tick_label(l, 1.0), &info.unit]).trim().to_string())
                });
                Panel { title: id.clone(), groups: vec![(String::new(), per_variant)], limit, unit: info.unit }
            })
            .collect();
        let empty = d.stats.iter().all(|s| s.box5.is_none());
        Distributions {
            panels,
            objectives,
            variants: d.variants.iter().map(|v| d.variant_label(v)).collect(),
            note: point_note(d, t),
            empty,
            t,
        }
    }

    fn obj_rows(&self) -> i32 {
        self.objectives.len().div_ceil(OBJ_PER_ROW) as i32
    }
}

/// "Design point 0 (path = value)" when the batch has several points, else "".
pub fn point_note(d: &BatchData, t: &Labels) -> String {
    let p0 = d.first_point();
    let Some(s) = d.stats.iter().find(|s| s.key.point == p0) else { return String::new() };
    if d.paths.is_empty() {
        return String::new();
    }
    let values: Vec<String> = d.paths.iter().zip(&s.key.params).map(|(p, v)| format!("{p} = {v}")).collect();
    fill(t.point_note, &[&p0, &values.join(", ")])
}

impl Chart for Distributions {
    fn comma(&self) -> bool {
        self.t.code == "sv"
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, (style::HEAD + 60 + 2 * PANEL_H + 40 + OBJ_H * self.obj_rows() + 20) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = self.t;
        if self.empty {
            return style::no_data(root, t.dist_title, &fill(t.no_rows, &[&"stats.csv"]));
        }
        let sub =
            if self.note.is_empty() { t.dist_sub.to_string() } else { format!("{} · {}", t.dist_sub, self.note) };
        style::heading(root, t.dist_title, &sub)?;
        let items: Vec<(String, Mark)> =
            self.variants.iter().enumerate().map(|(i, v)| (v.clone(), Mark::Box(style::series(i)))).collect();
        let top = style::legend(root, &items, (20, style::HEAD + 14), WIDTH as i32 - 20)? + 16;
        let half = (WIDTH as i32 - 40) / 2;
        for (i, p) in self.panels.iter().enumerate() {
            let (col, row) = ((i % 2) as i32, (i / 2) as i32);
            let x0 = 20 + col * half;
            let y0 = top + row * PANEL_H;
            draw_panel(root, p, (x0, y0, x0 + half - 20, y0 + PANEL_H - 10), t)?;
        }
        let otop = top + 2 * PANEL_H + 30;
        if !self.objectives.is_empty() {
            let head = anchored(style::bold(style::AXIS), HPos::Left, VPos::Top);
            put(root, t.objective_values, (20, otop - 24), &head)?;
        }
        let w = (WIDTH as i32 - 40) / OBJ_PER_ROW as i32;
        for (i, p) in self.objectives.iter().enumerate() {
            let (col, row) = ((i % OBJ_PER_ROW) as i32, (i / OBJ_PER_ROW) as i32);
            let x0 = 20 + col * w;
            let y0 = otop + row * OBJ_H;
            draw_panel(root, p, (x0, y0, x0 + w - 16, y0 + OBJ_H - 10), t)?;
        }
        Ok(())
    }
}

fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Panel,
    (x0, y0, x1, y1): (i32, i32, i32, i32),
    t: &Labels,
) -> Drawn {
    let title = anchored(style::bold(style::LABEL + 1), HPos::Left, VPos::Top);
    put(root, &style::fit(root, &p.title, &title, x1 - x0 - 60), (x0 + 60, y0), &title)?;
    let label_lines = if p.groups.iter().any(|g| !g.0.is_empty()) { 2 } else { 0 };
    let top = y0 + 24;
    let bottom = y1 - 14 - 16 * label_lines;
    let y = Scale::new(0.0, frame::nice_max(axis_top(p) * 1.08), bottom, top);
    let x = Scale::new(0.0, p.groups.len() as f64, x0 + 60, x1);
    frame::y_axis(root, &y, x.p0, x.p1, &p.unit)?;
    root.draw(&PathElement::new(vec![(x.p0, bottom), (x.p1, bottom)], INK.stroke_width(1)))?;
    let label_style = anchored(text(style::SMALL), HPos::Center, VPos::Top);
    for (g, (label, boxes)) in p.groups.iter().enumerate() {
        let (ga, gb) = (x.px(g as f64), x.px(g as f64 + 1.0));
        let slot = (gb - ga - 16) as f64 / boxes.len().max(1) as f64;
        for (v, b) in boxes.iter().enumerate() {
            let cx = ga + 8 + (slot * (v as f64 + 0.5)) as i32;
            draw_box(root, &y, cx, ((slot * 0.35) as i32).clamp(2, 14), *b, style::series(v), t)?;
        }
        for (i, line) in style::wrap(root, label, &label_style, gb - ga - 6).iter().take(2).enumerate() {
            put(root, line, ((ga + gb) / 2, bottom + 6 + 16 * i as i32), &label_style)?;
        }
    }
    if let Some((limit, label)) = &p.limit {
        let py = y.px(*limit);
        style::dashed(root, (x.p0, py), (x.p1, py), style::VERMILION, 2)?;
        let s = anchored(text(style::SMALL).color(&style::VERMILION), HPos::Right, VPos::Bottom);
        put(root, label, (x.p1, py - 3), &s)?;
    }
    Ok(())
}

/// The top of a panel's axis: the largest 95th percentile, unless one variant reaches
/// far above the others (its largest 95th percentile more than 2.5 times the median of
/// the variants' largest): then the axis stops there and that variant's boxes end in an
/// arrow with their median written beside it.
fn axis_top(p: &Panel) -> f64 {
    let limit = p.limit.as_ref().map_or(0.0, |l| l.0);
    let variants = p.groups.first().map_or(0, |g| g.1.len());
    let tops = sorted(
        (0..variants)
            .filter_map(|v| {
                p.groups.iter().filter_map(|g| g.1.get(v).copied().flatten()).map(|b| b[4]).reduce(f64::max)
            })
            .collect(),
    );
    let (Some(max), Some(typical)) = (tops.last().copied(), quantile(&tops, 0.5)) else { return limit.max(1.0) };
    let cap = (2.5 * typical).max(1.2 * limit);
    if typical > 0.0 && max > cap { cap } else { max.max(limit) }
}

/// A box (p25–p75) with its median and whiskers (p5–p95), centred on `cx`; a box
/// reaching above the axis is cut there with an arrow and its median written above.
fn draw_box<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    y: &Scale,
    cx: i32,
    half: i32,
    b: Option<[f64; 5]>,
    c: RGBColor,
    t: &Labels,
) -> Drawn {
    let Some(b) = b else {
        let s = anchored(style::rotated(text(style::SMALL).color(&GREY)), HPos::Left, VPos::Center);
        return put(root, t.no_value, (cx, y.p0 - 4), &s);
    };
    let cut = b[4] > y.hi;
    let [p5, p25, p50, p75, p95] = b.map(|v| y.px_clamped(v));
    root.draw(&PathElement::new(vec![(cx, p5), (cx, p95)], c.stroke_width(2)))?;
    root.draw(&PathElement::new(vec![(cx - half / 2, p5), (cx + half / 2, p5)], c.stroke_width(2)))?;
    if cut {
        root.draw(&Polygon::new(vec![(cx - 6, p95 + 8), (cx, p95), (cx + 6, p95 + 8)], c.filled()))?;
        let s = anchored(text(style::SMALL), HPos::Left, VPos::Top);
        put(root, &format!("{:.0}", b[2]), (cx + 8, p95), &s)?;
    } else {
        root.draw(&PathElement::new(vec![(cx - half / 2, p95), (cx + half / 2, p95)], c.stroke_width(2)))?;
    }
    if p25 > p75 || b[1] <= y.hi {
        root.draw(&Rectangle::new([(cx - half, p75), (cx + half, p25.max(p75 + 1))], c.mix(0.35).filled()))?;
        root.draw(&Rectangle::new([(cx - half, p75), (cx + half, p25.max(p75 + 1))], c.stroke_width(1)))?;
    }
    if b[2] <= y.hi {
        root.draw(&PathElement::new(vec![(cx - half, p50), (cx + half, p50)], INK.stroke_width(2)))?;
    }
    Ok(())
}
