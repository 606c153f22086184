//! Field paths into a scenario document, used by variants (`set`) and batch sweeps.
//!
//! A path names tables by their keys: `conference.regional.activated.every`,
//! `organisation.solna.unit.ledning.handlers`, `scenario.start`. The segment `*`
//! matches every entry at that level (`organisation.*.unit.*.duty_officer`). The last
//! segment may name a field the entry does not write yet (it is added, then checked
//! like any other field); every earlier segment must exist.

use super::load::split_path;

/// Sets `value` at `path`; returns how many places were set, or why none matched.
pub fn set(doc: &mut toml::Table, path: &str, value: toml::Value) -> Result<usize, String> {
    let segs = split_path(path);
    if segs.iter().any(|s| s.is_empty()) {
        return Err(format!("`{path}` is not a field path; write e.g. conference.regional.activated.every"));
    }
    let mut miss = None;
    let n = set_in(doc, &segs, &value, &mut miss, 0);
    if n == 0 {
        let (depth, known) = miss.unwrap_or((0, vec![]));
        let prefix = segs[..depth].join(".");
        let what = if prefix.is_empty() { "the top level".to_string() } else { format!("`{prefix}`") };
        let have = if known.is_empty() { "nothing".to_string() } else { known.join(", ") };
        return Err(format!(
            "path `{path}` matches nothing: no `{}` under {what} (it has: {have})",
            segs[depth.min(segs.len() - 1)]
        ));
    }
    Ok(n)
}

fn set_in(
    table: &mut toml::Table,
    segs: &[String],
    value: &toml::Value,
    miss: &mut Option<(usize, Vec<String>)>,
    depth: usize,
) -> usize {
    let (seg, rest) = (&segs[0], &segs[1..]);
    if rest.is_empty() {
        if seg == "*" {
            let keys: Vec<String> = table.keys().cloned().collect();
            for k in &keys {
                table.insert(k.clone(), value.clone());
            }
            return keys.len();
        }
        table.insert(seg.clone(), value.clone());
        return 1;
    }
    let keys: Vec<String> = if seg == "*" { table.keys().cloned().collect() } else { vec![seg.clone()] };
    let mut n = 0;
    for k in keys {
        match table.get_mut(&k).and_then(|v| v.as_table_mut()) {
            Some(child) => n += set_in(child, rest, value, miss, depth + 1),
            None => {
                if miss.as_ref().is_none_or(|(d, _)| *d <= depth) {
                    *miss = Some((depth, table.keys().cloned().collect()));
                }
            }
        }
    }
    n
}

/// Reads a value written on a command line: a TOML literal when it is one
/// (`3`, `0.2`, `true`, `"x"`, `{ uniform = ["1m", "2m"] }`), otherwise a string (`2h`).
pub fn parse_cli_value(text: &str) -> toml::Value {
    #[derive(serde::Deserialize)]
    struct W {
        v: toml::Value,
    }
    match toml::from_str::<W>(&format!("v = {text}")) {
        Ok(w) => w.v,
        Err(_) => toml::Value::String(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> toml::Table {
        toml::from_str(
            "[conference.regional]\nduration = \"30m\"\n[conference.regional.activated]\nevery = \"4h\"\n\
             [organisation.a.unit.x]\nhandlers = 1\n[organisation.b.unit.y]\nhandlers = 2\n",
        )
        .unwrap()
    }

    #[test]
    fn sets_existing_and_new_leaves() {
        let mut d = doc();
        assert_eq!(set(&mut d, "conference.regional.activated.every", "2h".into()), Ok(1));
        assert_eq!(d["conference"]["regional"]["activated"]["every"].as_str(), Some("2h"));
        assert_eq!(set(&mut d, "organisation.*.unit.*.handlers", 5.into()), Ok(2));
        assert_eq!(set(&mut d, "organisation.a.unit.x.duty_officer", "10m".into()), Ok(1));
    }

    #[test]
    fn a_path_that_matches_nothing_says_what_exists() {
        let mut d = doc();
        let err = set(&mut d, "conference.regionl.duration", "1h".into()).unwrap_err();
        assert!(err.contains("no `regionl` under `conference`"), "{err}");
        assert!(err.contains("regional"), "{err}");
    }

    #[test]
    fn command_line_values() {
        assert_eq!(parse_cli_value("3"), toml::Value::Integer(3));
        assert_eq!(parse_cli_value("2h"), toml::Value::String("2h".into()));
        assert!(parse_cli_value("{ fixed = \"1m\" }").is_table());
    }
}
