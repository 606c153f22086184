//! Simulated time: instants, durations, the local calendar and office hours.
//!
//! Simulated time is an integer count of milliseconds since the scenario's start
//! ([`SimTime`]); integer time keeps event ordering exact and runs reproducible.
//! Durations in scenario files are human-readable ("90s", "15m", "2h", "3d",
//! "1h30m"). The scenario starts at a local date-time (no time zone, no daylight
//! saving): staffing depends on weekdays and office hours, which [`Calendar`]
//! answers for any instant.

use std::fmt;

/// Milliseconds since the scenario's start (or a length of time in milliseconds).
pub type SimTime = i64;

/// One second (1 000 ms).
pub const SECOND: SimTime = 1_000;
/// One minute (60 000 ms).
pub const MINUTE: SimTime = 60 * SECOND;
/// One hour (ms).
pub const HOUR: SimTime = 60 * MINUTE;
/// One day (ms).
pub const DAY: SimTime = 24 * HOUR;

/// Longest duration accepted anywhere in a scenario (10 years): keeps arithmetic far from overflow.
pub const MAX_DURATION: SimTime = 3650 * DAY;

/// Minutes as a float, the unit of every output column.
pub fn minutes(t: SimTime) -> f64 {
    t as f64 / MINUTE as f64
}

/// Formats minutes for CSV output: at most 4 decimals, trailing zeros removed.
pub fn fmt_minutes(t: SimTime) -> String {
    let s = format!("{:.4}", minutes(t));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

/// Parses "250ms", "90s", "15m", "2h", "3d", "1w", "1h30m", "0". Plain numbers other than 0
/// are refused because their unit would be a guess.
pub fn parse_duration(text: &str) -> Result<SimTime, String> {
    let s = text.trim();
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err("empty duration; write e.g. \"90s\", \"15m\", \"2h\" or \"3d\"".into());
    }
    let mut total: i128 = 0;
    let mut number = String::new();
    let mut saw_unit = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit = match c {
            'm' if chars.next_if_eq(&'s').is_some() => 1,
            's' => SECOND,
            'm' => MINUTE,
            'h' => HOUR,
            'd' => DAY,
            'w' => 7 * DAY,
            _ => {
                return Err(format!(
                    "`{text}` is not a duration: unexpected `{c}`; write e.g. \"250ms\", \"90s\", \"15m\", \"2h\" or \"3d\""
                ));
            }
        };
        if number.is_empty() {
            return Err(format!("`{text}` is not a duration: a unit without a number"));
        }
        let value: f64 =
            number.parse().map_err(|_| format!("`{text}` is not a duration: `{number}` is not a number"))?;
        total += (value * unit as f64).round() as i128;
        number.clear();
        saw_unit = true;
    }
    if !number.is_empty() || !saw_unit {
        return Err(format!("`{text}` has no unit; write e.g. \"{text}m\" for minutes (units: ms, s, m, h, d, w)"));
    }
    if total > MAX_DURATION as i128 {
        return Err(format!("`{text}` is longer than the 10-year limit"));
    }
    Ok(total as SimTime)
}

/// Formats a duration the way a planner would write it ("1h30m", "45s", "0").
pub fn fmt_duration(t: SimTime) -> String {
    if t == 0 {
        return "0".into();
    }
    let mut out = String::new();
    let mut rest = t.abs();
    if t < 0 {
        out.push('-');
    }
    for (unit, name) in [(DAY, 'd'), (HOUR, 'h'), (MINUTE, 'm'), (SECOND, 's')] {
        if rest >= unit {
            out.push_str(&format!("{}{}", rest / unit, name));
            rest %= unit;
        }
    }
    if rest > 0 {
        out.push_str(&format!("{}s", rest as f64 / 1000.0));
    }
    out
}

/// A local civil date-time (no zone), e.g. Friday 2017-04-07 14:53.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDateTime {
    /// Milliseconds since 1970-01-01T00:00 local time.
    epoch_ms: i64,
}

/// Years a date may have.
pub const FIRST_YEAR: i64 = 1900;
/// The last year a date may have.
pub const LAST_YEAR: i64 = 2200;

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl LocalDateTime {
    /// Parses "2017-04-07T14:53", "2017-04-07T14:53:00" or "2017-04-07 14:53".
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not a local date-time; write e.g. \"2017-04-07T14:53\"");
        let t = text.trim();
        let (date, clock) = t.split_once(['T', ' ']).ok_or_else(bad)?;
        let mut d = date.split('-');
        let (y, m, dd) = (d.next(), d.next(), d.next());
        if d.next().is_some() {
            return Err(bad());
        }
        let y: i64 = y.and_then(|v| v.parse().ok()).ok_or_else(bad)?;
        let m: u32 = m.and_then(|v| v.parse().ok()).ok_or_else(bad)?;
        let dd: u32 = dd.and_then(|v| v.parse().ok()).ok_or_else(bad)?;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&y) || !(1..=12).contains(&m) || dd < 1 || dd > days_in_month(y, m) {
            return Err(format!("`{text}`: no such date (years 1900–2200)"));
        }
        let secs = parse_clock(clock).ok_or_else(bad)?;
        let days = days_from_civil(y, m, dd);
        Ok(Self { epoch_ms: days * DAY + secs * SECOND })
    }

    /// The first instant after the last accepted date (2201-01-01T00:00): a scenario must
    /// end by then, so every date it prints is one `parse` accepts.
    pub fn after_last() -> Self {
        Self { epoch_ms: days_from_civil(LAST_YEAR + 1, 1, 1) * DAY }
    }

    /// The local date-time `t` milliseconds later.
    pub fn plus(self, t: SimTime) -> Self {
        Self { epoch_ms: self.epoch_ms + t }
    }

    /// Milliseconds from `self` to `other`.
    pub fn until(self, other: Self) -> SimTime {
        other.epoch_ms - self.epoch_ms
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> usize {
        // 1970-01-01 was a Thursday (index 3).
        ((self.epoch_ms.div_euclid(DAY) + 3).rem_euclid(7)) as usize
    }

    /// Milliseconds since local midnight.
    pub fn time_of_day(self) -> SimTime {
        self.epoch_ms.rem_euclid(DAY)
    }

    /// The weekday as office hours write it: "mon" … "sun".
    pub fn weekday_name(self) -> &'static str {
        WEEKDAYS[self.weekday()]
    }

    /// The calendar date: (year, month 1–12, day 1–31).
    pub fn date(self) -> (i64, u32, u32) {
        civil_from_days(self.epoch_ms.div_euclid(DAY))
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.epoch_ms.div_euclid(DAY);
        let (y, m, d) = civil_from_days(days);
        let tod = self.time_of_day() / SECOND;
        write!(f, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", tod / 3600, tod / 60 % 60, tod % 60)
    }
}

/// Full weekday names in Swedish, Monday first (the abbreviations are their first
/// three letters: `mån`, `tis`, `ons`, `tor`, `fre`, `lör`, `sön`).
const SWEDISH_WEEKDAYS: [&str; 7] = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"];
const ENGLISH_WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// A weekday's name (0 = Monday): English or Swedish, abbreviated to three letters or in
/// full, any case, a trailing `.` or `,` ignored (`Fri`, `friday`, `fre`, `Fredag`, `lör.`).
pub fn parse_weekday(name: &str) -> Option<usize> {
    let n = name.trim().trim_end_matches(['.', ',']).to_lowercase();
    let short = |w: &str| w.chars().take(3).collect::<String>();
    (0..7).find(|&i| {
        [ENGLISH_WEEKDAYS[i], SWEDISH_WEEKDAYS[i]].iter().any(|w| n == *w || n == short(w)) || n == WEEKDAYS[i]
    })
}

/// "14:53" or "14:53:20" → seconds since midnight.
fn parse_clock(text: &str) -> Option<i64> {
    let mut parts = text.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let s: i64 = match parts.next() {
        Some(v) => v.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() || !(0..=24).contains(&h) || !(0..60).contains(&m) || !(0..60).contains(&s) {
        return None;
    }
    if h == 24 && (m, s) != (0, 0) {
        return None;
    }
    Some(h * 3600 + m * 60 + s)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date (year, month 1–12, day 1–31) of `z` days since
/// 1970-01-01 (H. Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Weekly office hours, e.g. "mon-fri 08:00-17:00"; "always" for round-the-clock staffing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OfficeHours {
    /// Bit i set: weekday i (0 = Monday) has office hours.
    days: u8,
    open: SimTime,
    close: SimTime,
}

impl OfficeHours {
    /// Staffed round the clock, every day ("always").
    pub const ALWAYS: OfficeHours = OfficeHours { days: 0x7f, open: 0, close: DAY };
    /// Never in office ("never").
    pub const NEVER: OfficeHours = OfficeHours { days: 0, open: 0, close: 0 };

    /// Parses "mon-fri 08:00-17:00" (days as ranges or lists, e.g. "mon,wed,fri"),
    /// "always" (or "24/7") and "never".
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        if t == "always" || t == "24/7" {
            return Ok(Self::ALWAYS);
        }
        if t == "never" {
            return Ok(Self::NEVER);
        }
        let bad = || format!("`{text}` is not office hours; write e.g. \"mon-fri 08:00-17:00\" or \"always\"");
        let (days, hours) = t.split_once(' ').ok_or_else(bad)?;
        let mut mask = 0u8;
        for part in days.split(',') {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let a = WEEKDAYS.iter().position(|w| *w == a).ok_or_else(bad)?;
            let b = WEEKDAYS.iter().position(|w| *w == b).ok_or_else(bad)?;
            if b < a {
                return Err(bad());
            }
            for d in a..=b {
                mask |= 1 << d;
            }
        }
        let (open, close) = hours.trim().split_once('-').ok_or_else(bad)?;
        let open = parse_clock(open).ok_or_else(bad)? * SECOND;
        let close = parse_clock(close).ok_or_else(bad)? * SECOND;
        if close <= open {
            return Err(format!("`{text}`: office hours must close after they open (same day)"));
        }
        Ok(Self { days: mask, open, close })
    }

    /// Whether these are round-the-clock hours ([`OfficeHours::ALWAYS`]).
    pub fn is_always(&self) -> bool {
        *self == Self::ALWAYS
    }

    fn open_on(&self, weekday: usize) -> bool {
        self.days & (1 << weekday) != 0
    }
}

/// Answers calendar questions about simulated instants.
#[derive(Clone, Copy, Debug)]
pub struct Calendar {
    /// The local date and time of the scenario's start (SimTime 0).
    pub start: LocalDateTime,
}

impl Calendar {
    /// The local date and time of the simulated instant `t`.
    pub fn local(&self, t: SimTime) -> LocalDateTime {
        self.start.plus(t)
    }

    /// Whether `t` falls inside the office hours.
    pub fn in_office(&self, hours: &OfficeHours, t: SimTime) -> bool {
        if hours.is_always() {
            return true;
        }
        let l = self.local(t);
        let tod = l.time_of_day();
        hours.open_on(l.weekday()) && tod >= hours.open && tod < hours.close
    }

    /// The first instant strictly after `t` at which office hours open or close,
    /// or `None` when they never change.
    pub fn next_change(&self, hours: &OfficeHours, t: SimTime) -> Option<SimTime> {
        if hours.days == 0 || hours.is_always() {
            return None;
        }
        let l = self.local(t);
        let midnight = t - l.time_of_day();
        for day in 0..9 {
            let wd = (l.weekday() + day) % 7;
            if !hours.open_on(wd) {
                continue;
            }
            let base = midnight + day as i64 * DAY;
            for edge in [base + hours.open, base + hours.close] {
                if edge > t {
                    return Some(edge);
                }
            }
        }
        None
    }

    /// The first instant at or after `t` that lies inside office hours.
    pub fn next_open(&self, hours: &OfficeHours, t: SimTime) -> Option<SimTime> {
        if self.in_office(hours, t) {
            return Some(t);
        }
        let mut at = t;
        for _ in 0..16 {
            at = self.next_change(hours, at)?;
            if self.in_office(hours, at) {
                return Some(at);
            }
        }
        None
    }

    /// Next instant at or after `t` with the given weekday (None = any day) and time of day.
    pub fn next_clock(&self, weekday: Option<usize>, clock: SimTime, t: SimTime) -> SimTime {
        let l = self.local(t);
        let midnight = t - l.time_of_day();
        for day in 0..8 {
            let at = midnight + day * DAY + clock;
            let wd = (l.weekday() + day as usize) % 7;
            if at >= t && weekday.is_none_or(|w| w == wd) {
                return at;
            }
        }
        t
    }
}

/// Parses a weekly appointment such as "thu 09:00" or a daily one such as "09:00".
pub fn parse_weekly_clock(text: &str) -> Result<(Option<usize>, SimTime), String> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || format!("`{text}` is not a clock time; write e.g. \"thu 09:00\" or \"09:00\"");
    let (day, clock) = match t.split_once(' ') {
        Some((d, c)) => (Some(WEEKDAYS.iter().position(|w| *w == d).ok_or_else(bad)?), c),
        None => (None, t.as_str()),
    };
    let secs = parse_clock(clock).ok_or_else(bad)?;
    Ok((day, secs * SECOND))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print() {
        assert_eq!(parse_duration("90s"), Ok(90 * SECOND));
        assert_eq!(parse_duration("1h30m"), Ok(90 * MINUTE));
        assert_eq!(parse_duration("3d"), Ok(3 * DAY));
        assert_eq!(parse_duration("0.5h"), Ok(30 * MINUTE));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("250ms"), Ok(250));
        assert_eq!(parse_duration("1m30s250ms"), Ok(MINUTE + 30 * SECOND + 250));
        assert_eq!(parse_duration("2m"), Ok(2 * MINUTE));
        assert!(parse_duration("5mx").is_err());
        assert!(parse_duration("15").unwrap_err().contains("no unit"));
        assert!(parse_duration("15x").is_err());
        assert!(parse_duration("-5m").is_err());
        assert!(parse_duration("99999d").is_err());
        assert_eq!(fmt_duration(90 * MINUTE), "1h30m");
        assert_eq!(fmt_minutes(90 * SECOND), "1.5");
        assert_eq!(fmt_minutes(SECOND), "0.0167");
    }

    #[test]
    fn weekdays_are_read_in_english_and_swedish() {
        for (name, day) in
            [("Fri", 4), ("friday", 4), ("fre", 4), ("Fredag", 4), ("lör.", 5), ("sön", 6), ("Mon", 0), ("tis", 1)]
        {
            assert_eq!(parse_weekday(name), Some(day), "{name}");
        }
        assert_eq!(parse_weekday("fr"), None);
        assert_eq!(parse_weekday("xyz"), None);
    }

    #[test]
    fn calendar_knows_the_weekday_of_the_attack() {
        let start = LocalDateTime::parse("2017-04-07T14:53").unwrap();
        assert_eq!(start.weekday_name(), "fri");
        assert_eq!(start.to_string(), "2017-04-07T14:53:00");
        assert_eq!(start.plus(DAY).weekday_name(), "sat");
        assert!(LocalDateTime::parse("2017-02-30T10:00").is_err());
    }

    #[test]
    fn office_hours_open_and_close() {
        let cal = Calendar { start: LocalDateTime::parse("2017-04-07T14:53").unwrap() };
        let oh = OfficeHours::parse("mon-fri 08:00-17:00").unwrap();
        assert!(cal.in_office(&oh, 0));
        // Friday 17:00 closes after 2h07m; opens again Monday 08:00.
        let close = cal.next_change(&oh, 0).unwrap();
        assert_eq!(close, 2 * HOUR + 7 * MINUTE);
        assert!(!cal.in_office(&oh, close));
        let open = cal.next_open(&oh, close).unwrap();
        assert_eq!(cal.local(open).to_string(), "2017-04-10T08:00:00");
        assert_eq!(cal.next_open(&OfficeHours::ALWAYS, 5), Some(5));
        let (wd, clock) = parse_weekly_clock("thu 09:00").unwrap();
        let at = cal.next_clock(wd, clock, 0);
        assert_eq!(cal.local(at).to_string(), "2017-04-13T09:00:00");
    }
}
