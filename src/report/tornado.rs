//! The tornado chart of a design batch (`charts/tornado.png` and `.svg`): for each of
//! up to six outputs ([`super::sensitivity::panels`]), one horizontal bar per ranged
//! parameter, longest on top. Sobol designs: a light bar for the total index ST with a
//! darker bar for the first-order index S1 inside it, on a common 0–1 scale; Morris
//! designs: a bar for μ* on the output's own scale. Whiskers are the bootstrap 95 %
//! intervals. Reads sensitivity.csv.

use super::frame::{self, Scale};
use super::i18n::Lang;
use super::sensitivity::{Panel, panels};
use super::style::{self, Chart, Drawn, FAINT, GREY, Mark, anchored, put, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

const WIDTH: u32 = 1300;
const ROW: i32 = 28;
const PANEL_HEAD: i32 = 30;
const AXIS: i32 = 56;
const LEFT: i32 = 480;

pub struct Tornado {
    pub panels: Vec<Panel>,
    pub sobol: bool,
    pub lang: Lang,
}

impl Tornado {
    pub fn new(rows: &[super::sensitivity::IndexRow], base: &str, lang: Lang) -> Tornado {
        Tornado { panels: panels(rows, base), sobol: super::sensitivity::is_sobol(rows), lang }
    }

    fn panel_height(p: &Panel) -> i32 {
        PANEL_HEAD + ROW * p.bars.len().max(1) as i32 + AXIS
    }
}

impl Chart for Tornado {
    fn comma(&self) -> bool {
        self.lang == Lang::Sv
    }
    fn size(&self) -> (u32, u32) {
        let body: i32 = self.panels.iter().map(Tornado::panel_height).sum();
        (WIDTH, (style::HEAD + 50 + body + 20).max(360) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let s = self.lang.sensitivity();
        if self.panels.is_empty() {
            return style::no_data(root, s.title, s.no_indices);
        }
        style::heading(root, s.title, if self.sobol { s.sub_sobol } else { s.sub_morris })?;
        let right = WIDTH as i32 - 40;
        let items: Vec<(String, Mark)> = if self.sobol {
            vec![(s.total.into(), Mark::Box(style::SKY)), (s.first_order.into(), Mark::Box(style::BLUE))]
        } else {
            vec![(s.mu_star.into(), Mark::Box(style::BLUE))]
        };
        let mut y = style::legend(root, &items, (20, style::HEAD + 14), right)? + 16;
        for p in &self.panels {
            self.draw_panel(root, p, y, right)?;
            y += Tornado::panel_height(p);
        }
        Ok(())
    }
}

impl Tornado {
    fn draw_panel<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, p: &Panel, y0: i32, right: i32) -> Drawn {
        let s = self.lang.sensitivity();
        let title = if p.objective {
            format!("{} {}", s.probability_of, p.output)
        } else {
            self.lang.labels().measure(&p.output)
        };
        let head = anchored(style::bold(style::LABEL), HPos::Left, VPos::Top);
        put(root, &style::fit(root, &title, &head, right - 40), (20, y0 + 4), &head)?;
        let top = y0 + PANEL_HEAD;
        let bottom = top + ROW * p.bars.len() as i32;
        let hi = if self.sobol {
            1.0
        } else {
            let most = p.bars.iter().map(|b| b.main_ci.map_or(b.main, |c| c.1.max(b.main))).fold(0.0, f64::max);
            frame::nice_max(most.max(1e-9))
        };
        let x = Scale::new(0.0, hi, LEFT, right);
        let axis = if self.sobol { s.sobol_axis } else { s.morris_axis };
        frame::x_axis(root, &x, bottom, top, axis, &|v, st| frame::tick_label(v, st))?;
        let label = anchored(text(style::LABEL), HPos::Right, VPos::Center);
        for (i, b) in p.bars.iter().enumerate() {
            let (a, c) = (top + i as i32 * ROW, top + (i as i32 + 1) * ROW);
            if i % 2 == 0 {
                root.draw(&Rectangle::new([(20, a), (right, c)], FAINT.filled()))?;
            }
            put(root, &style::fit(root, &b.parameter, &label, LEFT - 40), (LEFT - 10, (a + c) / 2), &label)?;
            let main = if self.sobol { style::SKY } else { style::BLUE };
            bar(root, &x, (a + 4, c - 4), b.main, main)?;
            whisker(root, &x, (a + c) / 2 - 5, b.main_ci, GREY)?;
            if let Some(v) = b.inner {
                bar(root, &x, (a + 9, c - 9), v, style::BLUE)?;
                whisker(root, &x, (a + c) / 2 + 5, b.inner_ci, style::INK)?;
            }
        }
        Ok(())
    }
}

fn bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: &Scale,
    (a, c): (i32, i32),
    v: f64,
    col: RGBColor,
) -> Drawn {
    let (x0, x1) = (x.px_clamped(0.0), x.px_clamped(v.max(0.0)));
    if x1 > x0 {
        root.draw(&Rectangle::new([(x0, a), (x1, c)], col.filled()))?;
    }
    Ok(())
}

fn whisker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: &Scale,
    y: i32,
    ci: Option<(f64, f64)>,
    col: RGBColor,
) -> Drawn {
    let Some((lo, hi)) = ci else { return Ok(()) };
    let (a, b) = (x.px_clamped(lo), x.px_clamped(hi));
    root.draw(&PathElement::new(vec![(a, y), (b, y)], col.stroke_width(2)))?;
    for e in [a, b] {
        root.draw(&PathElement::new(vec![(e, y - 4), (e, y + 4)], col.stroke_width(2)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sensitivity::IndexRow;

    #[test]
    fn draws_bars_and_the_same_bytes_twice() {
        let row = |p: &str, i: &str, v: f64| IndexRow {
            variant: "base".into(),
            output: "delay".into(),
            objective: false,
            parameter: p.into(),
            index: i.into(),
            estimate: Some(v),
            ci: Some((v - 0.05, v + 0.05)),
        };
        let rows = vec![row("a", "first_order", 0.2), row("a", "total", 0.25), row("b", "total", 0.7)];
        let c = Tornado::new(&rows, "base", Lang::En);
        let one = style::render(&c).unwrap();
        assert_eq!(one.svg, style::render(&c).unwrap().svg);
        assert!(one.svg.matches("<rect").count() >= 3);
        let empty = Tornado::new(&[], "base", Lang::Sv);
        assert!(style::render(&empty).is_ok());
    }
}
