//! The shipped JSON Schema (`docs/scenario.schema.json`) is the one generated from the
//! Rust types, and it accepts every stock scenario and refuses what the loader refuses.
//! Regenerate it with `cargo run --release -- schema > docs/scenario.schema.json`.

use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    serde_json::from_str(&samverkan::scenario::schema::json()).expect("the schema is JSON")
}

#[test]
fn the_shipped_schema_is_the_generated_one() {
    let shipped = std::fs::read_to_string(root().join("docs/scenario.schema.json")).expect("docs/scenario.schema.json");
    assert!(
        shipped == samverkan::scenario::schema::json(),
        "docs/scenario.schema.json is out of date: run `cargo run --release -- schema > docs/scenario.schema.json`"
    );
}

/// A small JSON Schema (draft 7) checker for the keywords the generated schema uses.
/// Returns the paths and reasons of every violation.
fn check(schema: &Value, defs: &Value, v: &Value, path: &str, out: &mut Vec<String>) {
    let Some(s) = schema.as_object() else { return };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/definitions/");
        return check(&defs[name], defs, v, path, out);
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(x) => vec![x.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            _ => false,
        });
        if !ok {
            out.push(format!("{path}: expected {types:?}, found {v}"));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        out.push(format!("{path}: {v} is not one of {e:?}"));
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        out.push(format!("{path}: {v} is not {c}"));
    }
    if let Some(min) = s.get("minimum").and_then(Value::as_f64)
        && v.as_f64().is_some_and(|x| x < min)
    {
        out.push(format!("{path}: {v} is below {min}"));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = s.get(key).and_then(Value::as_array) {
            if let [only] = &alts[..] {
                check(only, defs, v, path, out);
                continue;
            }
            let fits = alts.iter().filter(|a| {
                let mut e = vec![];
                check(a, defs, v, path, &mut e);
                e.is_empty()
            });
            if fits.count() == 0 {
                out.push(format!("{path}: {v} matches none of the allowed forms"));
            }
        }
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        for a in all {
            check(a, defs, v, path, out);
        }
    }
    if let Some(a) = v.as_array() {
        if let Some(items) = s.get("items") {
            for (i, x) in a.iter().enumerate() {
                check(items, defs, x, &format!("{path}.{i}"), out);
            }
        }
        let n = a.len() as u64;
        if s.get("minItems").and_then(Value::as_u64).is_some_and(|m| n < m)
            || s.get("maxItems").and_then(Value::as_u64).is_some_and(|m| n > m)
        {
            out.push(format!("{path}: {n} items is the wrong number"));
        }
    }
    if let Some(o) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for req in s.get("required").and_then(Value::as_array).into_iter().flatten() {
            if let Some(k) = req.as_str().filter(|k| !o.contains_key(*k)) {
                out.push(format!("{path}: missing `{k}`"));
            }
        }
        for (k, x) in o {
            let p = format!("{path}.{k}");
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(ps, defs, x, &p, out),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => out.push(format!("{p}: not allowed")),
                    Some(extra @ Value::Object(_)) => check(extra, defs, x, &p, out),
                    _ => {}
                },
            }
        }
    }
}

fn violations(toml_text: &str) -> Vec<String> {
    let s = schema();
    let doc: toml::Value = toml::from_str(toml_text).expect("TOML");
    let json = serde_json::to_value(doc).expect("as JSON");
    let mut out = vec![];
    check(&s, &s["definitions"], &json, "", &mut out);
    out
}

#[test]
fn every_stock_scenario_satisfies_the_schema() {
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.starts_with("#:schema ../docs/scenario.schema.json\n"),
                "{}: editors find the schema",
                path.display()
            );
            let v = violations(&text);
            assert!(v.is_empty(), "{}: {v:#?}", path.display());
            n += 1;
        }
    }
    assert!(n >= 6);
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let ok = "[scenario]\nname = \"x\"\nstart = \"2024-03-06T10:00\"\nduration = \"2d\"\n";
    assert!(violations(ok).is_empty(), "{:?}", violations(ok));
    for (bad, why) in [
        ("[scenario]\nname = \"x\"\nstart = \"2024-03-06T10:00\"\n", "missing `duration`"),
        (&format!("{ok}colour = \"red\"\n"), "scenario.colour: not allowed"),
        (&format!("{ok}[organisation.a]\nkind = \"ministry\"\n"), "organisation.a.kind"),
        (&format!("{ok}[channel.c]\nkind = \"rakel\"\nlatency = {{ gamma = \"5m\" }}\n"), "channel.c.latency"),
        (&format!("{ok}[channel.c]\nkind = \"rakel\"\nlatency = {{ uniform = [\"1m\"] }}\n"), "channel.c.latency"),
        (&format!("{ok}[area.a]\nbackup = {{ radio = \"1h\" }}\n"), "area.a.backup.radio: not allowed"),
        (&format!("{ok}[inject.i]\nat = \"1m\"\nfact = {{ origin = \"a.b\" }}\n"), "missing `severity`"),
    ] {
        let v = violations(bad);
        assert!(v.iter().any(|m| m.contains(why)), "expected `{why}` in {v:?}");
        assert!(samverkan::scenario::validate(&samverkan::scenario::Source::from_str("bad.toml", bad)).is_err());
    }
}
