//! The `time` column of an exercise log: a clock time on the scenario's local calendar
//! (`2017-04-07 15:08`, `Fri 2017-04-07 15:08`, `fre 2017-04-07 15:08`,
//! `2017-04-07T15:08:30`) or minutes from the scenario's start (`15`, `15m`, `15.5`,
//! `15,5`, `1h30m`, `90s`). An empty cell is "not observed".

use crate::time::{LocalDateTime, MINUTE, SimTime, parse_duration, parse_weekday};

/// What the `time` column accepts, for messages.
pub const FORMS: &str = "use 2017-04-07 15:08, Fri 2017-04-07 15:08 or minutes such as 15 or 15m";

/// A `time` cell in ms from the start (`start` is the scenario's start): `None` for an
/// empty cell. The error says what is wrong, to follow the quoted cell text.
pub fn parse(text: &str, start: LocalDateTime) -> Result<Option<SimTime>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let not_a_time = || format!("is not a time ({FORMS})");
    if t.char_indices().any(|(i, c)| c == '-' && i > 0) {
        return clock(t, start).map(Some);
    }
    if is_time_of_day(t) {
        let day = start.to_string();
        let date = &day[..10];
        return Err(format!(
            "is a time of day without a date; write the date too, e.g. {date} {t} (or minutes from the start such as 15m)"
        ));
    }
    if let Some(m) = plain_minutes(t) {
        return Ok(Some((m * MINUTE as f64).round() as SimTime));
    }
    if t.chars().any(|c| c.is_ascii_alphabetic()) {
        let negative = t.starts_with('-');
        let d = parse_duration(t.trim_start_matches('-')).map_err(|_| not_a_time())?;
        return Ok(Some(if negative { -d } else { d }));
    }
    Err(not_a_time())
}

/// `15:08` or `15:08:30`.
fn is_time_of_day(t: &str) -> bool {
    let parts: Vec<&str> = t.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
}

/// `15`, `15.5`, `15,5`, `-3`: minutes as a plain number.
fn plain_minutes(t: &str) -> Option<f64> {
    let s = t.replacen(',', ".", 1);
    let digits = s.strip_prefix('-').unwrap_or(&s);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    s.parse::<f64>().ok().filter(|m| m.is_finite() && m.abs() < 1e9)
}

/// `[weekday] YYYY-MM-DD[ T]HH:MM[:SS]` on the local calendar, in ms from `start`; a
/// weekday that is not the date's is an error.
fn clock(t: &str, start: LocalDateTime) -> Result<SimTime, String> {
    let not_a_time = || format!("is not a time ({FORMS})");
    let (weekday, rest) = match t.split_once(char::is_whitespace) {
        Some((w, rest)) if w.chars().next().is_some_and(|c| c.is_alphabetic()) => (
            Some(parse_weekday(w).ok_or_else(|| format!("starts with `{w}`, which is not a weekday ({FORMS})"))?),
            rest,
        ),
        _ => (None, t),
    };
    let rest = rest.trim();
    let rest = rest.split_once('.').map_or(
        rest,
        |(whole, frac)| {
            if frac.chars().all(|c| c.is_ascii_digit()) { whole } else { rest }
        },
    );
    let at = LocalDateTime::parse(rest).map_err(|e| {
        if e.contains("no such date") { "is not a date: no such day in the calendar".to_string() } else { not_a_time() }
    })?;
    if let Some(w) = weekday.filter(|w| *w != at.weekday()) {
        let date = &at.to_string()[..10];
        return Err(format!("names the weekday {} but {date} is a {}", name(w), name(at.weekday())));
    }
    Ok(start.until(at))
}

fn name(weekday: usize) -> &'static str {
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekday]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> LocalDateTime {
        LocalDateTime::parse("2017-04-07T14:53").unwrap()
    }

    fn at(text: &str) -> Result<Option<SimTime>, String> {
        parse(text, start())
    }

    #[test]
    fn clock_times_in_every_accepted_form() {
        let fifteen = Some(15 * MINUTE);
        for text in [
            "2017-04-07 15:08",
            "2017-04-07T15:08",
            "2017-04-07 15:08:00",
            "2017-04-07T15:08:00.000",
            "Fri 2017-04-07 15:08",
            "fri 2017-04-07 15:08",
            "Friday 2017-04-07 15:08",
            "fre 2017-04-07 15:08",
            "Fre. 2017-04-07 15:08",
            "  fredag  2017-04-07 15:08 ",
        ] {
            assert_eq!(at(text), Ok(fifteen), "{text}");
        }
        assert_eq!(at("2017-04-07 15:08:30"), Ok(Some(15 * MINUTE + 30_000)));
        assert_eq!(at("Sat 2017-04-08 14:53"), Ok(Some(24 * 60 * MINUTE)));
        assert_eq!(at("2017-04-07 14:50"), Ok(Some(-3 * MINUTE)), "before the start is the caller's to refuse");
    }

    #[test]
    fn minutes_from_the_start() {
        assert_eq!(at("15"), Ok(Some(15 * MINUTE)));
        assert_eq!(at("15m"), Ok(Some(15 * MINUTE)));
        assert_eq!(at("15.5"), Ok(Some(15 * MINUTE + 30_000)));
        assert_eq!(at("15,5"), Ok(Some(15 * MINUTE + 30_000)));
        assert_eq!(at("1h30m"), Ok(Some(90 * MINUTE)));
        assert_eq!(at("90s"), Ok(Some(90_000)));
        assert_eq!(at("0"), Ok(Some(0)));
        assert_eq!(at("-5"), Ok(Some(-5 * MINUTE)));
        assert_eq!(at(""), Ok(None));
        assert_eq!(at("   "), Ok(None));
    }

    #[test]
    fn unreadable_times_say_why() {
        for text in ["15:6x", "abc", "15mm", "1.2.3", "2017-04-07", "2017-04-07 25:00", "15 m x", "1h-5m"] {
            let e = at(text).unwrap_err();
            assert_eq!(e, format!("is not a time ({FORMS})"), "{text}");
        }
        assert!(at("15:08").unwrap_err().contains("2017-04-07 15:08"), "suggests the start's date");
        let e = at("Thu 2017-04-07 15:08").unwrap_err();
        assert_eq!(e, "names the weekday Thursday but 2017-04-07 is a Friday");
        assert!(at("Xyz 2017-04-07 15:08").unwrap_err().contains("not a weekday"));
        assert_eq!(at("2017-02-30 10:00").unwrap_err(), "is not a date: no such day in the calendar");
    }
}
