//! The JSON Schema of the scenario format, generated from the serde types of
//! [`super::spec`] (their doc comments become the descriptions editors show).
//!
//! Shipped as `docs/scenario.schema.json` (a test keeps it equal to what this module
//! generates; `samverkan schema > docs/scenario.schema.json` regenerates it). Editors
//! that read TOML with JSON Schema (Taplo / Even Better TOML, Tombi) validate and
//! complete a scenario file that starts with `#:schema <path to the schema>`.
//! Durations, distributions and selectors are written by hand here because their serde
//! forms are hand-written too.

use super::spec::{ScenarioFile, Selectors};
use crate::dist::{Dist, Dur};
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// A duration as scenario files write it: "250ms", "90s", "15m", "2h", "1d12h", "5.5d", "0".
const DURATION_PATTERN: &str = r"^\s*(0|([0-9]+(\.[0-9]+)?\s*(ms|[smhdw]))+)\s*$";

/// The schema as pretty-printed JSON with a final newline (the shipped file's bytes).
pub fn json() -> String {
    // Draft 7 is what TOML editors read best; TOML has no null, so options are plain.
    let mut settings = SchemaSettings::draft07();
    settings.transforms.push(Box::new(RecursiveTransform(drop_null)));
    let mut generator = settings.into_generator();
    let mut schema = generator.root_schema_for::<ScenarioFile>();
    schema.insert("title".into(), "samverkan scenario".into());
    schema.insert(
        "description".into(),
        "A samverkan scenario file (TOML): organisations, units, links, conferences, resources, injects, \
         objectives and variants. See docs/scenario-format.md."
            .into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// TOML has no null: an optional field is simply left out, so `null` is never valid.
fn drop_null(schema: &mut Schema) {
    let Some(obj) = schema.as_object_mut() else { return };
    if let Some(serde_json::Value::Array(types)) = obj.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let t = types[0].clone();
            obj.insert("type".into(), t);
        }
    }
    if let Some(serde_json::Value::Array(any)) = obj.get_mut("anyOf") {
        any.retain(|s| s != &serde_json::json!({ "type": "null" }));
    }
}

impl JsonSchema for Dur {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A duration: a number with a unit ms, s, m, h, d or w, e.g. \"250ms\", \"90s\", \"15m\", \"2h\", \"1d12h\", \"5.5d\"; or 0.",
            "anyOf": [
                { "type": "string", "pattern": DURATION_PATTERN },
                { "const": 0 }
            ]
        })
    }
}

impl JsonSchema for Dist {
    fn schema_name() -> Cow<'static, str> {
        "Distribution".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let dur = serde_json::to_value(generator.subschema_for::<Dur>()).unwrap_or_default();
        let one = |key: &str, value: serde_json::Value| {
            json_schema!({
                "type": "object",
                "properties": { key: value },
                "required": [key],
                "additionalProperties": false
            })
        };
        let pair = serde_json::json!({ "type": "array", "items": dur, "minItems": 2, "maxItems": 2 });
        let triple = serde_json::json!({ "type": "array", "items": dur, "minItems": 3, "maxItems": 3 });
        let lognormal = serde_json::json!({
            "type": "object",
            "properties": { "median": dur, "p90": dur },
            "required": ["median", "p90"],
            "additionalProperties": false
        });
        let list = serde_json::json!({ "type": "array", "items": dur, "minItems": 1 });
        json_schema!({
            "description": "A distribution of durations: a fixed duration (\"5m\") or a one-key table: { fixed = \"5m\" }, { uniform = [min, max] }, { triangular = [min, mode, max] }, { exponential = mean }, { lognormal = { median = \"5m\", p90 = \"15m\" } }, { empirical = [\"1m\", \"2m\", ...] } (each value equally likely).",
            "anyOf": [
                dur,
                one("fixed", dur.clone()),
                one("uniform", pair),
                one("triangular", triple),
                one("exponential", dur.clone()),
                one("lognormal", lognormal),
                one("empirical", list)
            ]
        })
    }
}

impl JsonSchema for Selectors {
    fn schema_name() -> Cow<'static, str> {
        "Selectors".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let selector = serde_json::json!({
            "type": "string",
            "description": "\"all\", \"level:coordinating\", \"tag:NAME\", \"org:ID\", \"kind:municipality\" or a unit id such as \"polisen.rlc\""
        });
        json_schema!({
            "description": "One selector or a list of them: units by level, tag, organisation, organisation kind, or id.",
            "anyOf": [ selector, { "type": "array", "items": selector } ]
        })
    }
}
