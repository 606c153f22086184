//! The stock scenarios built into the program (the files of `scenarios/`), and the
//! scaffold `samverkan new` makes of one: a new scenario file ready to edit.

/// The stock scenarios, built into the program so that `new` works anywhere.
///
/// Each entry is (the `--template` key, the stock scenario's file stem, its text).
pub const TEMPLATES: &[(&str, &str, &str)] = &[
    ("attack", "stockholm-attack", include_str!("../../scenarios/stockholm-attack.toml")),
    ("storm", "stockholm-storm", include_str!("../../scenarios/stockholm-storm.toml")),
    ("fire", "stockholm-forest-fire", include_str!("../../scenarios/stockholm-forest-fire.toml")),
    ("flood", "stockholm-flood", include_str!("../../scenarios/stockholm-flood.toml")),
    ("it", "stockholm-it-attack", include_str!("../../scenarios/stockholm-it-attack.toml")),
    ("heat", "stockholm-heatwave", include_str!("../../scenarios/stockholm-heatwave.toml")),
];

/// The schema file `new` writes beside a new scenario.
pub const SCHEMA_FILE: &str = "scenario.schema.json";

/// A stock scenario's text renamed to `name`: `scenario.name` set (comments and layout
/// kept), a first line saying where it came from, and the `#:schema` line pointing at
/// the schema beside it.
pub fn scaffold(stock_text: &str, stock: &str, name: &str) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = stock_text.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    let meta = doc.get_mut("scenario").and_then(|i| i.as_table_like_mut()).ok_or("no [scenario] table")?;
    let mut value = toml_edit::Value::from(name);
    if let Some(old) = meta.get("name").and_then(|i| i.as_value()) {
        *value.decor_mut() = old.decor().clone();
    }
    meta.insert("name", toml_edit::Item::Value(value));
    let body = doc.to_string();
    let body = body.strip_prefix("#:schema ../docs/scenario.schema.json\n").unwrap_or(&body);
    Ok(format!(
        "#:schema ./{SCHEMA_FILE}\n# Created with `samverkan new {name}` from the stock scenario {stock} (samverkan {}).\n{body}",
        env!("CARGO_PKG_VERSION")
    ))
}
