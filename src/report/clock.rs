//! The scenario's local clock beside minutes from the start, for every time axis and
//! every table of instants in the reports: "Fri 15:10" (sv "fre 15:10") under each tick,
//! a dashed line and the date at each local midnight, and table cells such as
//! "24.1 min (Fri 15:34)". Only instants get a clock time; durations (a median delay, a
//! wait) stay minutes. The clock is the simulated start (`summary.json` `start`) plus the
//! minutes; the scenario's calendar has no time zone and no daylight saving.

use super::frame::{self, Scale};
use super::i18n::{Labels, fill};
use super::style::{self, Drawn, GREY, LIGHT, anchored, put, text};
use crate::time::{LocalDateTime, MINUTE};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Pixels below a time axis's line that [`x_axis`] uses with its day row and
/// description (minutes, clock, days, description).
pub const AXIS_H: i32 = 84;
/// Pixels below the line without the day row and description (minutes and clock).
pub const AXIS_H_COMPACT: i32 = 44;

/// The colour of the midnight lines.
const MIDNIGHT: RGBColor = RGBColor(150, 150, 150);

/// Tick steps of a time axis, in minutes: whole minutes, quarter hours, hours, days.
const STEPS: [f64; 16] =
    [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 180.0, 240.0, 360.0, 720.0, 1440.0, 2880.0, 4320.0, 10080.0];

/// The scenario's local clock: minutes from the start as local times.
#[derive(Clone, Copy)]
pub struct Clock {
    start: Option<LocalDateTime>,
    t: &'static Labels,
}

impl Clock {
    /// The clock of a scenario that starts at `start` (`2017-04-07T14:53:00`); without a
    /// readable start every clock text is empty and no midnight is drawn.
    pub fn new(start: &str, t: &'static Labels) -> Clock {
        Clock { start: LocalDateTime::parse(start).ok(), t }
    }

    fn at(&self, min: f64) -> Option<LocalDateTime> {
        Some(self.start?.plus((min * MINUTE as f64).round() as i64))
    }

    /// "Fri 15:10": the local clock `min` minutes after the start ("" without a start).
    pub fn label(&self, min: f64) -> String {
        let Some(at) = self.at(min) else { return String::new() };
        let tod = at.time_of_day() / MINUTE;
        format!("{} {:02}:{:02}", self.t.weekdays[at.weekday()], tod / 60, tod % 60)
    }

    /// "Sat 8 Apr" (sv "lör 8 apr"): the local date `min` minutes after the start.
    pub fn day(&self, min: f64) -> String {
        let Some(at) = self.at(min) else { return String::new() };
        let (_, m, d) = at.date();
        format!("{} {d} {}", self.t.weekdays[at.weekday()], self.t.clock().months[m as usize - 1])
    }

    /// "24.1 min (Fri 15:34)": an instant in minutes from the start with its clock time
    /// (decimal comma in Swedish); just the minutes without a start.
    pub fn with_minutes(&self, min: f64) -> String {
        let minutes = format!("{} {}", super::map_data::dec(min, self.t), self.t.minutes);
        match self.start {
            Some(_) => format!("{minutes} ({})", self.label(min)),
            None => minutes,
        }
    }

    /// Minutes from the start of each local midnight after `lo`, up to `hi`.
    pub fn midnights(&self, lo: f64, hi: f64) -> Vec<f64> {
        let Some(start) = self.start else { return Vec::new() };
        let day = (crate::time::DAY / MINUTE) as f64;
        let first = (crate::time::DAY - start.time_of_day()) as f64 / MINUTE as f64;
        let skip = ((lo - first) / day).floor().max(0.0);
        (0..).map(|k| first + (skip + k as f64) * day).skip_while(|m| *m <= lo).take_while(|m| *m <= hi).collect()
    }
}

/// A tick step for a time axis of `range` minutes with about `n` ticks: the smallest
/// of 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 4, 6, 12 h, 1, 2, 3, 7 days giving at most `n`
/// intervals (multiples of a week beyond).
pub fn time_step(range: f64, n: usize) -> f64 {
    let n = n.max(1) as f64;
    STEPS.into_iter().find(|s| range / s <= n).unwrap_or_else(|| (range / n / 10080.0).ceil() * 10080.0)
}

/// A time axis at pixel row `y` with gridlines up to `top`: minutes from the start on
/// the first row of tick labels, the clock on the second, a dashed line at each local
/// midnight; with `days`, a third row naming each day at its midnight and the
/// description below (see [`AXIS_H`]), else neither (see [`AXIS_H_COMPACT`]).
pub fn x_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: &Scale,
    (y, top): (i32, i32),
    clock: &Clock,
    days: bool,
) -> Drawn {
    let step = time_step(x.shown(), ((x.p1 - x.p0).abs() / 100).max(2) as usize);
    let near_break = |v: f64| {
        x.cut.is_some_and(|(a, b)| v != a && v != b && (x.px(v) - x.px(a)).abs().min((x.px(v) - x.px(b)).abs()) < 90)
    };
    for v in x.ticks_every(step) {
        let px = x.px(v);
        if x.in_cut(v) {
            continue;
        }
        root.draw(&PathElement::new(vec![(px, top), (px, y)], LIGHT.stroke_width(1)))?;
        root.draw(&PathElement::new(vec![(px, y), (px, y + 5)], GREY.stroke_width(1)))?;
        if near_break(v) {
            continue;
        }
        let (h, at) = match x.cut {
            Some((a, _)) if v == a => (HPos::Right, px + 6),
            Some((_, b)) if v == b => (HPos::Left, px - 6),
            _ if px >= x.p1 - 30 => (HPos::Right, px + 4),
            _ => (HPos::Center, px),
        };
        put(root, &frame::tick_label(v, step), (at, y + 8), &anchored(text(style::LABEL), h, VPos::Top))?;
        let c = anchored(text(style::SMALL).color(&GREY), h, VPos::Top);
        put(root, &clock.label(v), (at, y + 26), &c)?;
    }
    midnight_lines(root, x, (y, top), clock, days)?;
    frame::axis_line(root, x, y)?;
    if !days {
        return Ok(());
    }
    let d = anchored(text(style::AXIS), HPos::Center, VPos::Top);
    let start = clock.start.map(|s| clock.t.when(&s.to_string())).unwrap_or_default();
    put(root, &fill(clock.t.clock().axis, &[&start]), ((x.p0 + x.p1) / 2, y + 62), &d)?;
    Ok(())
}

/// A dashed line at each local midnight from `top` to the axis at `y`; with `days`, the
/// day's name and date below the clock row where there is room.
fn midnight_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: &Scale,
    (y, top): (i32, i32),
    clock: &Clock,
    days: bool,
) -> Drawn {
    let s = anchored(text(style::SMALL).color(&style::INK), HPos::Left, VPos::Top);
    let mut free_from = i32::MIN;
    for m in clock.midnights(x.lo, x.hi) {
        if x.in_cut(m) {
            continue;
        }
        let px = x.px(m);
        style::dashed(root, (px, top), (px, y), MIDNIGHT, 1)?;
        if !days {
            continue;
        }
        root.draw(&PathElement::new(vec![(px, y + 42), (px, y + 58)], MIDNIGHT.stroke_width(1)))?;
        let label = clock.day(m);
        let w = style::width(root, &label, &s);
        if px + 3 >= free_from && px + 3 + w <= x.p1 + 30 {
            put(root, &label, (px + 3, y + 44), &s)?;
            free_from = px + w + 12;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::i18n::{EN, SV};

    #[test]
    fn instants_read_as_local_clock_times() {
        // Friday 2017-04-07 14:53: 17 minutes later is 15:10; 600 minutes later Saturday 00:53.
        let c = Clock::new("2017-04-07T14:53:00", &EN);
        assert_eq!(c.label(17.0), "Fri 15:10");
        assert_eq!(c.label(600.0), "Sat 00:53");
        assert_eq!(Clock::new("2017-04-07T14:53:00", &SV).label(17.0), "fre 15:10");
        assert_eq!(c.with_minutes(41.1), "41.1 min (Fri 15:34)");
        assert_eq!(Clock::new("2017-04-07T14:53:00", &SV).with_minutes(41.1), "41,1 min (fre 15:34)");
        assert_eq!(c.day(600.0), "Sat 8 Apr");
        assert_eq!(Clock::new("2017-04-07T14:53:00", &SV).day(600.0), "lör 8 apr");
        // Without a readable start: minutes only.
        let none = Clock::new("", &EN);
        assert_eq!(none.label(5.0), "");
        assert_eq!(none.with_minutes(5.0), "5 min");
        assert!(none.midnights(0.0, 5000.0).is_empty());
    }

    #[test]
    fn midnights_fall_on_local_day_breaks() {
        // 14:53 start: the first midnight is 9 h 7 min later, then every 1440 min.
        let c = Clock::new("2017-04-07T14:53:00", &EN);
        assert_eq!(c.midnights(0.0, 3000.0), vec![547.0, 1987.0]);
        assert_eq!(c.midnights(600.0, 2000.0), vec![1987.0]);
        assert_eq!(c.midnights(2000.0, 3000.0), Vec::<f64>::new());
        assert!(c.midnights(0.0, 3000.0).iter().all(|m| c.label(*m).ends_with("00:00")));
        // A start at midnight: the start itself is not a break.
        assert_eq!(Clock::new("2025-07-14T00:00", &EN).midnights(0.0, 1440.0), vec![1440.0]);
    }

    #[test]
    fn time_steps_are_clock_friendly() {
        assert_eq!(time_step(120.0, 10), 15.0);
        assert_eq!(time_step(10_080.0, 12), 1440.0);
        assert_eq!(time_step(30_240.0, 12), 2880.0);
        assert_eq!(time_step(30_240.0, 6), 10_080.0);
        assert_eq!(time_step(1_000_000.0, 10), 100_800.0);
    }
}
