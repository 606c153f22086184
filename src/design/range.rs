//! `--range PATH=LOW..HIGH`: a numeric or duration field of the scenario and the
//! interval a generated design spreads its values over. The field's kind comes from the
//! value the scenario writes there (an integer, a number, or a duration text such as
//! `"5m"`), or, when the scenario does not write the field, from LOW and HIGH.

use super::DesignError;
use crate::scenario::{load::split_path, patch};
use crate::time::{SECOND, parse_duration};
use serde::{Deserialize, Serialize};

/// What a ranged field holds, and so how a design point's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Rounded to the nearest integer.
    Integer,
    /// Written with six decimals at most.
    Number,
    /// Written as whole seconds (`"754s"`); LOW and HIGH are in seconds.
    Duration,
}

/// One ranged field: values from `low` to `high` (seconds for a duration).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// The field's path in the scenario (as in `set`).
    pub path: String,
    /// Whether the field is a number or a duration.
    pub field: FieldKind,
    /// The lowest value (seconds for a duration).
    pub low: f64,
    /// The highest value (seconds for a duration).
    pub high: f64,
}

impl Range {
    /// Reads `PATH=LOW..HIGH` and checks it against the scenario document `doc`.
    pub fn parse(text: &str, doc: &toml::Table) -> Result<Range, DesignError> {
        let bad = |why: &str| DesignError::Range { text: text.to_string(), why: why.to_string() };
        let (path, span) = text.split_once('=').ok_or_else(|| bad("no `=`"))?;
        let (path, span) = (path.trim(), span.trim());
        if path.is_empty() {
            return Err(bad("no field path before `=`"));
        }
        let (low, high) = span.split_once("..").ok_or_else(|| bad("no `..` between LOW and HIGH"))?;
        let (low, high) = (low.trim(), high.trim());
        if low.is_empty() || high.is_empty() {
            return Err(bad("LOW and HIGH must both be given"));
        }
        let field = field_kind(path, doc, low, high)?;
        let read = |v: &str| {
            read_value(field, v).ok_or_else(|| match field {
                FieldKind::Duration => bad(&format!("`{v}` is not a duration (write e.g. 90s, 15m, 2h)")),
                _ => bad(&format!("`{v}` is not a number")),
            })
        };
        let (lo, hi) = (read(low)?, read(high)?);
        if lo >= hi || !lo.is_finite() || !hi.is_finite() {
            return Err(bad("LOW must be below HIGH"));
        }
        Ok(Range { path: path.to_string(), field, low: lo, high: hi })
    }

    /// The value at `u` ∈ [0, 1] of the range, as the field expects it written.
    pub fn value_at(&self, u: f64) -> String {
        let x = self.low + u * (self.high - self.low);
        match self.field {
            FieldKind::Integer => format!("{}", x.round() as i64),
            FieldKind::Number => {
                let s = format!("{}", (x * 1e6).round() / 1e6);
                if s.contains(['.', 'e', 'E']) { s } else { format!("{s}.0") }
            }
            FieldKind::Duration => format!("{}s", x.round() as i64),
        }
    }

    /// A design point's value text as a number in the range's units (seconds for a
    /// duration), as [`Range::value_at`] wrote it.
    pub fn number(&self, text: &str) -> Option<f64> {
        read_value(self.field, text)
    }

    /// Where `text` lies in the range, 0 at LOW and 1 at HIGH.
    pub fn unit(&self, text: &str) -> Option<f64> {
        self.number(text).map(|x| (x - self.low) / (self.high - self.low))
    }
}

fn read_value(field: FieldKind, text: &str) -> Option<f64> {
    match field {
        FieldKind::Integer | FieldKind::Number => text.trim().parse::<f64>().ok(),
        FieldKind::Duration => parse_duration(text).ok().map(|t| t as f64 / SECOND as f64),
    }
}

/// The kind of the field at `path`: from the value the scenario writes there, else
/// from how LOW and HIGH are written.
fn field_kind(path: &str, doc: &toml::Table, low: &str, high: &str) -> Result<FieldKind, DesignError> {
    // The path must name a place in the scenario (as for --sweep).
    let mut probe = doc.clone();
    patch::set(&mut probe, path, toml::Value::Integer(0))
        .map_err(|why| DesignError::Path { path: path.to_string(), why })?;
    let not_numeric = |found: String| DesignError::NotNumeric { path: path.to_string(), found };
    match lookup(doc, &split_path(path)) {
        Some(toml::Value::Integer(_)) => Ok(FieldKind::Integer),
        Some(toml::Value::Float(_)) => Ok(FieldKind::Number),
        Some(toml::Value::String(s)) if parse_duration(s).is_ok() => Ok(FieldKind::Duration),
        Some(other) => Err(not_numeric(other.to_string())),
        None => {
            let both = |f: &dyn Fn(&str) -> bool| f(low) && f(high);
            if both(&|v| v.parse::<i64>().is_ok()) {
                Ok(FieldKind::Integer)
            } else if both(&|v| v.parse::<f64>().is_ok()) {
                Ok(FieldKind::Number)
            } else if both(&|v| parse_duration(v).is_ok()) {
                Ok(FieldKind::Duration)
            } else {
                Err(not_numeric(format!("no value, and `{low}..{high}` is neither numbers nor durations")))
            }
        }
    }
}

/// The value at `segs` (`*` takes the first entry at its level), if the scenario writes one.
fn lookup<'a>(doc: &'a toml::Table, segs: &[String]) -> Option<&'a toml::Value> {
    let (first, rest) = segs.split_first()?;
    let value = if first == "*" { doc.values().next()? } else { doc.get(first)? };
    if rest.is_empty() {
        return Some(value);
    }
    match value {
        toml::Value::Table(t) => lookup(t, rest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> toml::Table {
        toml::from_str(
            "[organisation.a]\nunit.x = { handlers = 2, share = 0.5, processing = { default = \"5m\" } }\n\
             kind = \"rescue\"\n",
        )
        .unwrap()
    }

    #[test]
    fn kinds_come_from_the_scenario() {
        let d = doc();
        let r = Range::parse("organisation.a.unit.x.handlers=1..4", &d).unwrap();
        assert_eq!((r.field, r.low, r.high), (FieldKind::Integer, 1.0, 4.0));
        assert_eq!(r.value_at(0.5), "3");
        let r = Range::parse("organisation.a.unit.x.processing.default=90s..1h", &d).unwrap();
        assert_eq!((r.field, r.low, r.high), (FieldKind::Duration, 90.0, 3600.0));
        assert_eq!(r.value_at(0.0), "90s");
        assert_eq!(r.unit("1845s"), Some(0.5));
        let r = Range::parse("organisation.*.unit.x.share=0.1..0.9", &d).unwrap();
        assert_eq!(r.field, FieldKind::Number);
        assert_eq!(r.value_at(0.5), "0.5");
        assert_eq!(r.value_at(1.0), "0.9");
        let r = Range::parse("organisation.a.unit.x.duty_officer=1m..10m", &d).unwrap();
        assert_eq!(r.field, FieldKind::Duration, "an unwritten field: from LOW and HIGH");
    }

    #[test]
    fn bad_ranges_say_why() {
        let d = doc();
        let err = |t: &str| Range::parse(t, &d).unwrap_err();
        assert!(matches!(err("organisation.b.unit.x.handlers=1..2"), DesignError::Path { .. }));
        assert!(matches!(err("organisation.a.kind=1..2"), DesignError::NotNumeric { .. }));
        assert!(matches!(err("organisation.a.unit.x.handlers=4..4"), DesignError::Range { .. }));
        assert!(matches!(err("organisation.a.unit.x.handlers=5..2"), DesignError::Range { .. }));
        assert!(matches!(err("organisation.a.unit.x.handlers=1-2"), DesignError::Range { .. }));
        assert!(matches!(err("organisation.a.unit.x.processing.default=1..2"), DesignError::Range { .. }));
    }
}
