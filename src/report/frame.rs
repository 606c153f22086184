//! Plot frames: a linear scale from data to pixels with "nice" ticks (1, 2, 5 × 10^k),
//! and axes with gridlines and labels. Every chart draws in pixel coordinates through
//! these, so all charts share one look.

use super::style::{self, Drawn, GREY, INK, LIGHT, anchored, put, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Maps data values in `lo..hi` to pixels `p0..p1` (p1 may be less than p0). A time
/// axis may leave out one long quiet stretch (`cut`), drawn as a narrow break, so that
/// the busy minutes are not squeezed by a late event.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub p0: i32,
    pub p1: i32,
    pub cut: Option<(f64, f64)>,
}

/// Pixels an axis break takes.
pub const CUT_PX: i32 = 26;

impl Scale {
    pub fn new(lo: f64, hi: f64, p0: i32, p1: i32) -> Scale {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        Scale { lo, hi, p0, p1, cut: None }
    }

    /// A time scale over `lo..hi` that leaves out the longest stretch without any of
    /// `times` when it is longer than 40 % of the range. The break's ends are rounded
    /// to a nice step, with a little room on both sides.
    pub fn with_break(lo: f64, hi: f64, p0: i32, p1: i32, times: &[f64]) -> Scale {
        let mut s = Scale::new(lo, hi, p0, p1);
        let mut t: Vec<f64> = times.iter().copied().filter(|v| v.is_finite() && *v >= lo && *v <= hi).collect();
        t.push(lo);
        t.sort_by(f64::total_cmp);
        let Some((a, b)) = t.windows(2).map(|w| (w[0], w[1])).max_by(|x, y| (x.1 - x.0).total_cmp(&(y.1 - y.0))) else {
            return s;
        };
        let range = s.hi - s.lo;
        if b - a < 0.4 * range {
            return s;
        }
        let step = nice_step(range - (b - a), 10);
        let (ca, cb) = ((a / step).floor() * step + step, (b / step).ceil() * step - step);
        if cb - ca > 0.3 * range {
            s.cut = Some((ca, cb));
        }
        s
    }

    pub fn px(&self, v: f64) -> i32 {
        let p = match self.cut {
            None => {
                let t = (v - self.lo) / (self.hi - self.lo);
                self.p0 as f64 + t * (self.p1 - self.p0) as f64
            }
            Some((a, b)) => {
                let span = (a - self.lo) + (self.hi - b);
                let avail = (self.p1 - self.p0 - CUT_PX) as f64;
                let at = |d: f64| self.p0 as f64 + d / span * avail;
                if v <= a {
                    at(v - self.lo)
                } else if v >= b {
                    at(a - self.lo + v - b) + CUT_PX as f64
                } else {
                    at(a - self.lo) + (v - a) / (b - a) * CUT_PX as f64
                }
            }
        };
        p.round() as i32
    }

    /// Pixel of `v`, kept inside the scale's pixel range.
    pub fn px_clamped(&self, v: f64) -> i32 {
        self.px(v.clamp(self.lo, self.hi))
    }

    /// Whether `v` lies inside the left-out stretch.
    pub fn in_cut(&self, v: f64) -> bool {
        self.cut.is_some_and(|(a, b)| v > a && v < b)
    }

    /// Tick values: multiples of a nice step inside the range (outside a break), about
    /// `n` of them, none closer than 40 px to the break.
    pub fn ticks(&self, n: usize) -> (Vec<f64>, f64) {
        let step = nice_step(self.shown(), n);
        (self.ticks_every(step), step)
    }

    /// The length of the range shown (without the left-out stretch).
    pub fn shown(&self) -> f64 {
        self.hi - self.lo - self.cut.map(|(a, b)| b - a).unwrap_or(0.0)
    }

    /// Tick values at the multiples of `step` inside the range (outside a break), none
    /// closer than 40 px to the break, whose ends are always ticks.
    pub fn ticks_every(&self, step: f64) -> Vec<f64> {
        let first = (self.lo / step).ceil() as i64;
        let last = (self.hi / step + 1e-9).floor() as i64;
        let crowded = |v: f64| match self.cut {
            None => false,
            Some((a, b)) => {
                (v > a && v < b) || (v < a && self.px(a) - self.px(v) < 40) || (v > b && self.px(v) - self.px(b) < 40)
            }
        };
        let mut ticks: Vec<f64> = (first..=last).map(|k| k as f64 * step).filter(|v| !crowded(*v)).collect();
        if let Some((a, b)) = self.cut {
            // The break's ends are always labelled.
            ticks.retain(|v| (v - a).abs() > 1e-9 && (v - b).abs() > 1e-9);
            ticks.extend([a, b]);
            ticks.sort_by(f64::total_cmp);
        }
        ticks
    }
}

/// A step of 1, 2 or 5 × 10^k giving about `n` intervals over `range`.
pub fn nice_step(range: f64, n: usize) -> f64 {
    let raw = (range / n.max(1) as f64).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// `v` rounded up to the next multiple of a nice step (axis ends).
pub fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let step = nice_step(v, 8);
    (v / step).ceil() * step
}

/// `v` rounded up to a multiple of a step giving about `n` intervals (a tighter axis end
/// than [`nice_max`]).
pub fn round_up(v: f64, n: usize) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let step = nice_step(v, n);
    (v / step).ceil() * step
}

/// A tick label: as many decimals as the step needs, no more.
pub fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 { 0 } else { (-step.log10()).ceil() as usize };
    let s = format!("{v:.decimals$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() { s[1..].to_string() } else { s }
}

/// Horizontal axis at pixel row `y` with vertical gridlines up to `top` and a
/// description centred below.
pub fn x_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: &Scale,
    y: i32,
    top: i32,
    desc: &str,
    format: &dyn Fn(f64, f64) -> String,
) -> Drawn {
    x_axis_spaced(root, x, (y, top), desc, format, 90)
}

/// [`x_axis`] with about one tick per `px_per_tick` pixels, for long tick labels: the
/// axis at pixel row `y_top.0`, gridlines up to `y_top.1`. Other than at 90 pixels (what
/// [`x_axis`] uses, whose charts keep their look), labels that would run into a break's
/// labels are left out and the last label ends at the axis's end.
pub fn x_axis_spaced<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: &Scale,
    (y, top): (i32, i32),
    desc: &str,
    format: &dyn Fn(f64, f64) -> String,
    px_per_tick: i32,
) -> Drawn {
    let (ticks, step) = x.ticks(((x.p1 - x.p0).abs() / px_per_tick.max(1)).max(2) as usize);
    // Labels this close to a break's outer-side labels would run into them.
    let near_break = |v: f64| {
        x.cut.is_some_and(|(a, b)| {
            v != a && v != b && (x.px(v) - x.px(a)).abs().min((x.px(v) - x.px(b)).abs()) < px_per_tick
        })
    };
    for v in ticks {
        let px = x.px(v);
        if x.in_cut(v) {
            continue;
        }
        root.draw(&PathElement::new(vec![(px, top), (px, y)], LIGHT.stroke_width(1)))?;
        root.draw(&PathElement::new(vec![(px, y), (px, y + 5)], GREY.stroke_width(1)))?;
        if px_per_tick != 90 && near_break(v) {
            continue;
        }
        // The two labels at a break sit on its outer sides; the last one ends at the axis's end.
        let (h, at) = match x.cut {
            Some((a, _)) if v == a => (HPos::Right, px + 6),
            Some((_, b)) if v == b => (HPos::Left, px - 6),
            _ if px_per_tick != 90 && px >= x.p1 - 2 => (HPos::Right, px),
            _ => (HPos::Center, px),
        };
        put(root, &format(v, step), (at, y + 8), &anchored(text(style::LABEL), h, VPos::Top))?;
    }
    axis_line(root, x, y)?;
    let d = anchored(text(style::AXIS), HPos::Center, VPos::Top);
    put(root, desc, ((x.p0 + x.p1) / 2, y + 30), &d)
}

/// The line of a horizontal axis at pixel row `y`, with the marks of its break.
pub fn axis_line<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, x: &Scale, y: i32) -> Drawn {
    match x.cut {
        None => root.draw(&PathElement::new(vec![(x.p0, y), (x.p1, y)], INK.stroke_width(1)))?,
        Some((a, b)) => {
            let (pa, pb) = (x.px(a), x.px(b));
            root.draw(&PathElement::new(vec![(x.p0, y), (pa, y)], INK.stroke_width(1)))?;
            root.draw(&PathElement::new(vec![(pb, y), (x.p1, y)], INK.stroke_width(1)))?;
            for p in [pa + 4, pb - 4] {
                root.draw(&PathElement::new(vec![(p - 4, y + 6), (p + 4, y - 6)], INK.stroke_width(1)))?;
            }
        }
    }
    Ok(())
}

/// Covers the break of `x` between pixel rows `top` and `bottom` with white and two
/// jagged edges, so that nothing seems drawn across the left-out time. Draw it after
/// backgrounds and before the data that may cross the break.
pub fn draw_break<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, x: &Scale, top: i32, bottom: i32) -> Drawn {
    let Some((a, b)) = x.cut else { return Ok(()) };
    let (pa, pb) = (x.px(a), x.px(b));
    root.draw(&Rectangle::new([(pa + 1, top), (pb - 1, bottom)], WHITE.filled()))?;
    for edge in [pa + 4, pb - 4] {
        let zig: Vec<(i32, i32)> =
            (0..=((bottom - top) / 6)).map(|i| (edge + if i % 2 == 0 { -3 } else { 3 }, top + i * 6)).collect();
        root.draw(&PathElement::new(zig, GREY.stroke_width(1)))?;
    }
    Ok(())
}

/// Vertical axis at pixel column `x` with horizontal gridlines to `right` and a
/// rotated description left of the labels.
pub fn y_axis<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, y: &Scale, x: i32, right: i32, desc: &str) -> Drawn {
    let (ticks, step) = y.ticks(((y.p0 - y.p1).abs() / 60).max(2) as usize);
    let style = anchored(text(style::LABEL), HPos::Right, VPos::Center);
    let mut widest = 0;
    for v in ticks {
        let py = y.px(v);
        root.draw(&PathElement::new(vec![(x, py), (right, py)], LIGHT.stroke_width(1)))?;
        root.draw(&PathElement::new(vec![(x - 5, py), (x, py)], GREY.stroke_width(1)))?;
        let label = tick_label(v, step);
        widest = widest.max(style::width(root, &label, &style));
        put(root, &label, (x - 8, py), &style)?;
    }
    root.draw(&PathElement::new(vec![(x, y.p0), (x, y.p1)], INK.stroke_width(1)))?;
    let d = anchored(style::rotated(text(style::AXIS)), HPos::Center, VPos::Bottom);
    put(root, desc, (x - widest - 14, (y.p0 + y.p1) / 2), &d)
}

/// Plain tick labels.
pub fn plain(v: f64, step: f64) -> String {
    tick_label(v, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_1_2_5() {
        assert_eq!(nice_step(100.0, 10), 10.0);
        assert_eq!(nice_step(100.0, 4), 50.0);
        assert_eq!(nice_step(7.0, 7), 1.0);
        assert_eq!(nice_step(0.3, 3), 0.1);
        assert_eq!(nice_max(338.2), 350.0);
        assert_eq!(tick_label(0.30000000000000004, 0.1), "0.3");
        assert_eq!(tick_label(120.0, 20.0), "120");
    }

    #[test]
    fn scale_maps_ends_and_ticks_lie_inside() {
        let s = Scale::new(0.0, 200.0, 100, 500);
        assert_eq!(s.px(0.0), 100);
        assert_eq!(s.px(200.0), 500);
        assert_eq!(s.px(50.0), 200);
        let (t, step) = s.ticks(4);
        assert_eq!(step, 50.0);
        assert_eq!(t, vec![0.0, 50.0, 100.0, 150.0, 200.0]);
        let inverted = Scale::new(0.0, 10.0, 300, 100);
        assert_eq!(inverted.px(10.0), 100);
    }

    #[test]
    fn a_long_quiet_stretch_becomes_a_break() {
        // Events up to minute 140, then one at 1500: 140–1500 is left out.
        let times = [0.0, 20.0, 75.0, 140.0, 1500.0, 1560.0];
        let s = Scale::with_break(0.0, 1600.0, 0, 1026, &times);
        let (a, b) = s.cut.expect("a break");
        assert!(a > 140.0 && a < 200.0 && b < 1500.0 && b > 1400.0, "{a}..{b}");
        // The shown minutes share the pixels; the break takes CUT_PX.
        let shown = a + (1600.0 - b);
        assert_eq!(s.px(a), (a / shown * 1000.0).round() as i32);
        assert_eq!(s.px(b), s.px(a) + CUT_PX);
        assert_eq!(s.px(1600.0), 1026);
        assert!(s.in_cut(800.0) && !s.in_cut(100.0));
        let (ticks, _) = s.ticks(10);
        assert!(ticks.iter().all(|t| !s.in_cut(*t)) && ticks.contains(&a) && ticks.contains(&b));
        // Evenly spread events: no break.
        assert!(Scale::with_break(0.0, 100.0, 0, 500, &[10.0, 30.0, 50.0, 70.0, 90.0]).cut.is_none());
    }
}
