//! The flags of an optimisation: `--lever PATH=V1,V2,...` and `--require OBJECTIVE=P`.

use super::OptimiseError;
use crate::scenario::patch::parse_cli_value;

/// A field path and the values it may take.
#[derive(Clone, Debug, PartialEq)]
pub struct Lever {
    /// The field's path in the scenario (as in `set`).
    pub path: String,
    /// The values it may take, in the order given.
    pub values: Vec<toml::Value>,
    /// The values as written.
    pub texts: Vec<String>,
}

impl Lever {
    /// Reads `PATH=V1,V2,...`. Values are TOML literals when they are one (`3`, `0.2`,
    /// `{ fixed = "1m" }`), else strings (`2h`); commas inside braces, brackets or
    /// quotes do not split values.
    pub fn parse(text: &str) -> Result<Lever, OptimiseError> {
        let usage = |why: &str| {
            OptimiseError::Usage(format!(
                "--lever {text}: {why}; write PATH=V1,V2,... e.g. conference.regional.activated.every=2h,4h"
            ))
        };
        let (path, values) = text.split_once('=').ok_or_else(|| usage("no `=`"))?;
        let path = path.trim();
        if path.is_empty() {
            return Err(usage("no field path before `=`"));
        }
        let texts: Vec<String> = split_values(values).into_iter().map(|v| v.trim().to_string()).collect();
        if texts.iter().any(|t| t.is_empty()) {
            return Err(usage("an empty value"));
        }
        for (i, t) in texts.iter().enumerate() {
            if texts[..i].contains(t) {
                return Err(usage(&format!("the value `{t}` twice")));
            }
        }
        let values = texts.iter().map(|t| parse_cli_value(t)).collect();
        Ok(Lever { path: path.to_string(), values, texts })
    }
}

/// Splits at commas outside quotes, braces and brackets.
fn split_values(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut quote, mut start) = (Vec::new(), 0i32, None::<char>, 0);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// An objective and the probability of meeting it that is required.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    /// The objective's id in the scenario.
    pub objective: String,
    /// Strictly between 0 and 1.
    pub probability: f64,
    /// As written.
    pub text: String,
}

impl Requirement {
    /// Reads `OBJECTIVE=P` with P a probability (`0.9`) or a percentage (`90%`).
    pub fn parse(text: &str) -> Result<Requirement, OptimiseError> {
        let usage = |why: &str| {
            OptimiseError::Usage(format!("--require {text}: {why}; write OBJECTIVE=P, e.g. regional-conference=0.9"))
        };
        let (objective, p) = text.split_once('=').ok_or_else(|| usage("no `=`"))?;
        let (objective, p) = (objective.trim(), p.trim());
        if objective.is_empty() {
            return Err(usage("no objective before `=`"));
        }
        let probability = match p.strip_suffix('%') {
            Some(pct) => pct.trim().parse::<f64>().map(|v| v / 100.0),
            None => p.parse::<f64>(),
        }
        .map_err(|_| usage(&format!("`{p}` is not a probability")))?;
        if !(probability > 0.0 && probability < 1.0) {
            return Err(usage("the probability must be above 0 and below 1 (a share of runs can never prove 1)"));
        }
        Ok(Requirement { objective: objective.to_string(), probability, text: text.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levers_split_values_outside_braces() {
        let l = Lever::parse("unit.x.processing.default={ uniform = [\"1m\", \"2m\"] },{ fixed = \"1m\" }").unwrap();
        assert_eq!(l.texts.len(), 2);
        assert!(l.values[0].is_table());
        let l = Lever::parse("a.b.handlers=1,2,3").unwrap();
        assert_eq!(l.values, vec![toml::Value::Integer(1), 2.into(), 3.into()]);
        assert!(Lever::parse("a.b=1,,2").is_err());
        assert!(Lever::parse("a.b=1,1").is_err());
        assert!(Lever::parse("=1").is_err());
    }

    #[test]
    fn requirements_take_shares_or_percentages() {
        assert_eq!(Requirement::parse("x=0.9").unwrap().probability, 0.9);
        assert_eq!(Requirement::parse("x=95%").unwrap().probability, 0.95);
        assert!(Requirement::parse("x=1").is_err());
        assert!(Requirement::parse("x=abc").is_err());
    }
}
