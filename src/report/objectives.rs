//! Chart 8, objectives: per objective, the share of each variant's runs that met it,
//! with its 95 % (Wilson) interval, against the rating limits of 50 % and 90 %.
//! Reads objectives.csv.

use super::batch_data::{BatchData, Interval};
use super::distributions::point_note;
use super::frame::{self, Scale};
use super::i18n::Labels;
use super::style::{self, Chart, Drawn, FAINT, GREY, Mark, anchored, put, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

const WIDTH: u32 = 1300;
const SUB_ROW: i32 = 11;
/// A variant's share is rated met at or above this, not met below [`NOT_MET`].
pub const MET: f64 = 0.9;
pub const NOT_MET: f64 = 0.5;

/// One objective: its id, what it asks, and per variant (index) share and interval.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    pub description: String,
    pub shares: Vec<(usize, f64, Interval)>,
}

pub fn rows(d: &BatchData) -> Vec<Row> {
    let p0 = d.first_point();
    let mut out: Vec<Row> = Vec::new();
    for o in d.objectives.iter().filter(|o| o.key.point == p0) {
        let Some(v) = d.variants.iter().position(|v| *v == o.key.variant) else { continue };
        let Some(share) = o.share else { continue };
        let entry = (v, share, o.ci);
        match out.iter_mut().find(|r| r.id == o.objective) {
            Some(r) => r.shares.push(entry),
            None => out.push(Row {
                id: o.objective.clone(),
                description: d.info(&o.objective).description,
                shares: vec![entry],
            }),
        }
    }
    out
}

pub struct Objectives {
    pub rows: Vec<Row>,
    pub variants: Vec<String>,
    pub note: String,
    pub t: &'static Labels,
}

impl Objectives {
    pub fn new(d: &BatchData, t: &'static Labels) -> Objectives {
        Objectives {
            rows: rows(d),
            variants: d.variants.iter().map(|v| d.variant_label(v)).collect(),
            note: point_note(d, t),
            t,
        }
    }

    fn block(&self) -> i32 {
        (SUB_ROW * self.variants.len().max(1) as i32 + 14).max(44)
    }
}

impl Chart for Objectives {
    fn comma(&self) -> bool {
        self.t.code == "sv"
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, (style::HEAD + 60 + self.block() * self.rows.len().max(1) as i32 + 80).max(360) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let t = self.t;
        if self.rows.is_empty() {
            return style::no_data(root, t.objectives_title, t.no_objectives);
        }
        let sub = if self.note.is_empty() {
            t.objectives_sub.to_string()
        } else {
            format!("{} · {}", t.objectives_sub, self.note)
        };
        style::heading(root, t.objectives_title, &sub)?;
        let right = WIDTH as i32 - 40;
        let items: Vec<(String, Mark)> =
            self.variants.iter().enumerate().map(|(i, v)| (v.clone(), Mark::Dot(style::series(i)))).collect();
        let top = style::legend(root, &items, (20, style::HEAD + 14), right)? + 14;
        let left = 420;
        let bottom = top + self.block() * self.rows.len() as i32;
        let x = Scale::new(0.0, 100.0, left, right);
        for i in 0..self.rows.len() {
            if i % 2 == 0 {
                let y0 = top + i as i32 * self.block();
                root.draw(&Rectangle::new([(20, y0), (right, y0 + self.block())], FAINT.filled()))?;
            }
        }
        frame::x_axis(root, &x, bottom, top, t.objectives_x, &|v, s| format!("{}%", frame::tick_label(v, s)))?;
        for limit in [NOT_MET, MET] {
            style::dashed(root, (x.px(limit * 100.0), top), (x.px(limit * 100.0), bottom), GREY, 1)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            self.draw_row(root, &x, top + i as i32 * self.block(), row, left)?;
        }
        Ok(())
    }
}

impl Objectives {
    fn draw_row<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        x: &Scale,
        y0: i32,
        row: &Row,
        left: i32,
    ) -> Drawn {
        let id_style = anchored(style::bold(style::LABEL), HPos::Left, VPos::Top);
        put(root, &style::fit(root, &row.id, &id_style, left - 50), (28, y0 + 5), &id_style)?;
        let desc_style = anchored(text(style::SMALL).color(&GREY), HPos::Left, VPos::Top);
        let lines = style::wrap(root, &row.description, &desc_style, left - 50);
        let room = ((self.block() - 26) / 15).max(1) as usize;
        for (k, line) in lines.iter().take(room).enumerate() {
            let line = if k + 1 == room && lines.len() > room { format!("{line}…") } else { line.clone() };
            put(root, &line, (28, y0 + 23 + 15 * k as i32), &desc_style)?;
        }
        let mid = (self.block() - SUB_ROW * self.variants.len() as i32) / 2;
        for (vi, share, ci) in &row.shares {
            let y = y0 + mid + *vi as i32 * SUB_ROW + SUB_ROW / 2;
            let c = style::series(*vi);
            if let Some((a, b)) = ci {
                root.draw(&PathElement::new(vec![(x.px(a * 100.0), y), (x.px(b * 100.0), y)], c.stroke_width(2)))?;
            }
            root.draw(&Circle::new((x.px(share * 100.0), y), 4, c.filled()))?;
        }
        Ok(())
    }
}
