//! Chart 5, structure: the three levels as rows and the organisations as columns, each
//! unit a dot (area: messages handled), and a line for every pair of units that
//! exchanged messages (width: how many; colour: the most common kind). Reads units.csv
//! and messages.csv.

use super::i18n::{Labels, fill};
use super::run_data::{Message, UnitRow};
use super::style::{self, Chart, Drawn, GREY, LEVELS_TOP_DOWN, Mark, anchored, put, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

const WIDTH: u32 = 1300;
const ROW_GAP: i32 = 170;
const LABELS: i32 = 125;
/// Message kinds and their colours; other kinds are grey.
const KIND_COLOURS: [(&str, RGBColor); 6] = [
    ("report", style::BLUE),
    ("direction", style::VERMILION),
    ("information", style::GREEN),
    ("picture", style::SKY),
    ("request", style::PURPLE),
    ("public", style::ORANGE),
];

fn kind_colour(kind: &str) -> RGBColor {
    KIND_COLOURS.iter().find(|(k, _)| *k == kind).map(|(_, c)| *c).unwrap_or(GREY)
}

/// Messages between one ordered pair of units.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub count: usize,
    pub kind: String,
}

/// Message counts per (sender, receiver) among the units of units.csv (messages from
/// exercise control are left out), each with its most common kind; in a stable order.
pub fn edges(units: &[UnitRow], messages: &[Message]) -> Vec<Edge> {
    let index = |id: &str| units.iter().position(|u| u.unit == id);
    let mut pairs: std::collections::BTreeMap<(usize, usize), Vec<(String, usize)>> = Default::default();
    for m in messages {
        let (Some(a), Some(b)) = (index(&m.from), index(&m.to)) else { continue };
        let kinds = pairs.entry((a, b)).or_default();
        match kinds.iter_mut().find(|(k, _)| *k == m.kind) {
            Some(k) => k.1 += 1,
            None => kinds.push((m.kind.clone(), 1)),
        }
    }
    pairs
        .into_iter()
        .map(|((from, to), kinds)| {
            let count = kinds.iter().map(|k| k.1).sum();
            let kind = kinds.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|k| k.0.clone());
            Edge { from, to, count, kind: kind.unwrap_or_default() }
        })
        .collect()
}

pub struct Structure<'a> {
    pub units: &'a [UnitRow],
    pub edges: Vec<Edge>,
    /// Organisations in order of first appearance, with how many slots each needs.
    pub orgs: Vec<(String, usize)>,
    pub t: &'static Labels,
}

impl<'a> Structure<'a> {
    pub fn new(units: &'a [UnitRow], messages: &[Message], t: &'static Labels) -> Self {
        let mut orgs: Vec<(String, usize)> = Vec::new();
        for u in units {
            let same = units.iter().filter(|v| v.org == u.org && v.level == u.level).count();
            match orgs.iter_mut().find(|(o, _)| *o == u.org) {
                Some(o) => o.1 = o.1.max(same),
                None => orgs.push((u.org.clone(), same)),
            }
        }
        Structure { units, edges: edges(units, messages), orgs, t }
    }

    /// Pixel position of every unit.
    fn positions(&self, left: i32, right: i32, top: i32) -> Vec<(i32, i32)> {
        let slots: usize = self.orgs.iter().map(|o| o.1).sum::<usize>().max(1);
        let slot = (right - left) as f64 / slots as f64;
        let mut first_slot = Vec::new();
        let mut acc = 0;
        for (_, n) in &self.orgs {
            first_slot.push(acc);
            acc += n;
        }
        self.units
            .iter()
            .map(|u| {
                let o = self.orgs.iter().position(|(id, _)| *id == u.org).unwrap_or(0);
                let nth = self
                    .units
                    .iter()
                    .take_while(|v| v.unit != u.unit)
                    .filter(|v| v.org == u.org && v.level == u.level)
                    .count();
                let (n, s0) = (self.orgs[o].1, first_slot[o]);
                let same = self.units.iter().filter(|v| v.org == u.org && v.level == u.level).count();
                // Centre this level's units within the organisation's slots.
                let offset = (n - same) as f64 / 2.0 + nth as f64 + 0.5;
                let x = left as f64 + (s0 as f64 + offset) * slot;
                let row = LEVELS_TOP_DOWN.iter().position(|l| *l == u.level).unwrap_or(0) as i32;
                (x.round() as i32, top + 40 + row * ROW_GAP)
            })
            .collect()
    }
}

impl Chart for Structure<'_> {
    fn comma(&self) -> bool {
        self.t.code == "sv"
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, (style::HEAD + 50 + 2 * ROW_GAP + 50 + LABELS) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = self.t;
        if self.units.is_empty() {
            return style::no_data(root, t.structure_title, &fill(t.no_rows, &[&"units.csv"]));
        }
        style::heading(root, t.structure_title, t.structure_sub)?;
        let right = WIDTH as i32 - 20;
        let used: Vec<&str> =
            KIND_COLOURS.iter().map(|k| k.0).filter(|k| self.edges.iter().any(|e| e.kind == *k)).collect();
        let items: Vec<(String, Mark)> = used.iter().map(|k| (t.kind(k), Mark::Line(kind_colour(k), 4))).collect();
        let top = style::legend(root, &items, (20, style::HEAD + 14), right)? + 6;
        let left = 170;
        let pos = self.positions(left, right, top);
        for (row, level) in LEVELS_TOP_DOWN.into_iter().enumerate() {
            let y = top + 40 + row as i32 * ROW_GAP;
            let c = style::level_colour(level);
            root.draw(&Rectangle::new([(left - 10, y - 22), (right, y + 22)], c.mix(0.08).filled()))?;
            let n = self.units.iter().filter(|u| u.level == level).count();
            put(
                root,
                t.level(level),
                (20, y - 10),
                &anchored(style::bold(style::AXIS).color(&c), HPos::Left, VPos::Center),
            )?;
            let small = anchored(text(style::LABEL).color(&GREY), HPos::Left, VPos::Center);
            put(root, &fill(t.units_count, &[&n]), (20, y + 10), &small)?;
        }
        self.draw_edges(root, &pos)?;
        self.draw_nodes(root, &pos)?;
        self.draw_org_labels(root, &pos, top + 40 + 2 * ROW_GAP + 26)
    }
}

impl Structure<'_> {
    fn draw_edges<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, pos: &[(i32, i32)]) -> Drawn {
        let max = self.edges.iter().map(|e| e.count).max().unwrap_or(1) as f64;
        // Situation pictures (to everyone) first, underneath; then by count.
        let mut order: Vec<&Edge> = self.edges.iter().collect();
        order.sort_by_key(|e| (e.kind != "picture", e.count));
        for e in order {
            let (mut a, mut b) = (pos[e.from], pos[e.to]);
            let w = (1.0 + 7.0 * (e.count as f64 / max).sqrt()).round() as u32;
            if a.1 != b.1 && self.edges.iter().any(|r| r.from == e.to && r.to == e.from) {
                // Both directions: each line moves to its own side.
                let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
                let len = (dx * dx + dy * dy).sqrt().max(1.0);
                let side = (w as f64 / 2.0 + 1.5) * if e.from < e.to { 1.0 } else { -1.0 };
                let (ox, oy) = ((-dy / len * side).round() as i32, (dx / len * side).round() as i32);
                (a, b) = ((a.0 + ox, a.1 + oy), (b.0 + ox, b.1 + oy));
            }
            let alpha = if e.kind == "picture" { 0.35 } else { 0.7 };
            let style = kind_colour(&e.kind).mix(alpha).stroke_width(w);
            if a.1 == b.1 {
                root.draw(&PathElement::new(arc(a, b), style))?;
            } else {
                root.draw(&PathElement::new(vec![a, b], style))?;
            }
        }
        Ok(())
    }

    fn draw_nodes<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, pos: &[(i32, i32)]) -> Drawn {
        let max = self.units.iter().map(|u| u.handled).fold(1.0, f64::max);
        for (u, p) in self.units.iter().zip(pos) {
            let r = (3.0 + 8.0 * (u.handled / max).sqrt()).round() as i32;
            root.draw(&Circle::new(*p, r + 1, WHITE.filled()))?;
            root.draw(&Circle::new(*p, r, style::INK.filled()))?;
        }
        Ok(())
    }

    fn draw_org_labels<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, pos: &[(i32, i32)], y: i32) -> Drawn {
        let style = anchored(style::rotated(text(style::SMALL + 1)), HPos::Right, VPos::Center);
        for (org, _) in &self.orgs {
            let xs: Vec<i32> = self.units.iter().zip(pos).filter(|(u, _)| u.org == *org).map(|(_, p)| p.0).collect();
            let x = (xs.iter().min().unwrap_or(&0) + xs.iter().max().unwrap_or(&0)) / 2;
            root.draw(&PathElement::new(vec![(x, y - 16), (x, y - 6)], GREY.stroke_width(1)))?;
            put(root, &style::fit(root, org, &style, LABELS - 12), (x, y), &style)?;
        }
        Ok(())
    }
}

/// An arc between two units of the same row, bulging upwards (a quadratic curve).
fn arc(a: (i32, i32), b: (i32, i32)) -> Vec<(i32, i32)> {
    let h = ((b.0 - a.0).abs() as f64 / 4.0).clamp(8.0, 70.0);
    let (mx, my) = ((a.0 + b.0) as f64 / 2.0, a.1 as f64 - 2.0 * h);
    (0..=16)
        .map(|i| {
            let s = i as f64 / 16.0;
            let x = (1.0 - s).powi(2) * a.0 as f64 + 2.0 * s * (1.0 - s) * mx + s * s * b.0 as f64;
            let y = (1.0 - s).powi(2) * a.1 as f64 + 2.0 * s * (1.0 - s) * my + s * s * b.1 as f64;
            (x.round() as i32, y.round() as i32)
        })
        .collect()
}
