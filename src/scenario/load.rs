//! Reading a scenario file: bytes → TOML document → typed entries (variants are applied
//! to the parsed document, see [`super::parsed`]).
//!
//! Every entry (`[organisation.X]`, `[inject.Y]`, …) is decoded on its own so that one
//! bad entry does not hide the errors of the others. Every problem becomes a
//! [`Diagnostic`] with a field path; paths are located in the original text to give
//! line:column.

use super::error::{Diagnostic, Diags, ScenarioError};
use super::spec::{self, ScenarioFile};
use serde::de::DeserializeOwned;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Largest scenario file accepted (a national scenario is a few MB).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// Deepest nesting of arrays, inline tables and dotted keys accepted.
pub const MAX_NESTING: usize = 64;

/// Why a file of `bytes` bytes is refused, with its real size.
pub fn too_large(bytes: u64) -> String {
    format!(
        "it is {:.1} MiB ({} bytes); scenario files are limited to {} MiB",
        bytes as f64 / (1024.0 * 1024.0),
        group_digits(bytes),
        MAX_FILE_BYTES >> 20
    )
}

/// 33554433 → "33 554 433".
fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A scenario file's text and identity.
#[derive(Clone, Debug)]
pub struct Source {
    /// How the file is named in messages (its path as given).
    pub file: String,
    /// The file's text.
    pub text: String,
    /// FNV-1a of the bytes.
    pub hash: u64,
}

impl Source {
    /// Reads the file at `path` (refusing directories, files over the size limit and text that is not UTF-8).
    pub fn read(path: &Path) -> Result<Source, ScenarioError> {
        let file = path.display().to_string();
        let read_err = |reason: String| ScenarioError::Read { file: file.clone(), reason, source: None };
        let io_err =
            |e: std::io::Error| ScenarioError::Read { file: file.clone(), reason: e.to_string(), source: Some(e) };
        let meta = std::fs::metadata(path).map_err(io_err)?;
        if meta.is_dir() {
            return Err(read_err("it is a directory, not a scenario file".into()));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(read_err(too_large(meta.len())));
        }
        // Devices and pipes report no length: read at most one byte over the limit.
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_FILE_BYTES + 1), &mut bytes))
            .map_err(io_err)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(read_err(format!(
                "it is larger than the {} MiB limit for scenario files",
                MAX_FILE_BYTES >> 20
            )));
        }
        Source::from_bytes(&file, bytes)
    }

    /// A source from bytes read elsewhere, named `file` in messages; they must be UTF-8.
    pub fn from_bytes(file: &str, bytes: Vec<u8>) -> Result<Source, ScenarioError> {
        let hash = crate::model::fnv1a(&bytes);
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source { file: file.to_string(), text, hash }),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
                let location = Some(line_col(&text, valid));
                Err(ScenarioError::Invalid {
                    file: file.to_string(),
                    diagnostics: vec![Diagnostic {
                        path: String::new(),
                        message: "the file is not UTF-8 text; save it as UTF-8".into(),
                        location,
                    }],
                })
            }
        }
    }

    /// A source from text, named `file` in messages.
    pub fn from_str(file: &str, text: &str) -> Source {
        Source { file: file.to_string(), text: text.to_string(), hash: crate::model::fnv1a(text.as_bytes()) }
    }

    pub(super) fn invalid(&self, diags: Vec<Diagnostic>) -> ScenarioError {
        ScenarioError::Invalid { file: self.file.clone(), diagnostics: diags }
    }

    /// Parses the TOML syntax, reporting every syntax error found.
    pub fn document(&self) -> Result<toml::Table, ScenarioError> {
        if let Err((offset, msg)) = check_nesting(&self.text) {
            let location = Some(line_col(&self.text, offset));
            return Err(self.invalid(vec![Diagnostic { path: String::new(), message: msg, location }]));
        }
        let (_, errors) = DeTable::parse_recoverable(&self.text);
        if !errors.is_empty() {
            let diags = errors
                .iter()
                .map(|e| Diagnostic {
                    path: String::new(),
                    message: format!("TOML syntax: {}", e.message().trim()),
                    location: e.span().map(|s| line_col(&self.text, s.start)),
                })
                .collect();
            return Err(self.invalid(diags));
        }
        toml::from_str::<toml::Table>(&self.text).map_err(|e| {
            let location = e.span().map(|s| line_col(&self.text, s.start));
            self.invalid(vec![Diagnostic { path: String::new(), message: e.message().trim().to_string(), location }])
        })
    }

    /// Gives each diagnostic the line:column of its path (or of the nearest enclosing key).
    pub fn locate(&self, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let Ok(doc) = DeTable::parse(&self.text) else { return diags };
        diags
            .into_iter()
            .map(|mut d| {
                if d.location.is_none() && !d.path.is_empty() {
                    d.location = locate_path(&doc, &split_path(&d.path)).map(|off| line_col(&self.text, off));
                }
                d
            })
            .collect()
    }
}

/// Decodes every section of a document.
pub(super) fn decode_file(doc: &toml::Table, diags: &mut Diags) -> ScenarioFile {
    unknown_tables(doc, diags);
    let scenario = match doc.get("scenario") {
        Some(v) => decode_value(v, "scenario", diags).unwrap_or_default(),
        None => {
            diags.push("scenario", "missing [scenario] table with name, start and duration");
            Default::default()
        }
    };
    ScenarioFile {
        scenario,
        profile: decode_map(doc, "profile", diags),
        organisation: std::sync::Arc::new(decode_map(doc, "organisation", diags)),
        area: decode_map(doc, "area", diags),
        channel: decode_map(doc, "channel", diags),
        links: doc.get("links").and_then(|v| decode_value(v, "links", diags)).unwrap_or_default(),
        link_rule: decode_map(doc, "link_rule", diags),
        link: decode_map(doc, "link", diags),
        conference: decode_map(doc, "conference", diags),
        resource: decode_map(doc, "resource", diags),
        resource_type: decode_map(doc, "resource_type", diags),
        agreement: decode_map(doc, "agreement", diags),
        inject: decode_map(doc, "inject", diags),
        objective: decode_map(doc, "objective", diags),
        variant: decode_map(doc, "variant", &mut Diags::default()),
        guard: doc.get("guard").and_then(|v| decode_value(v, "guard", diags)).unwrap_or_default(),
        cost: doc.get("cost").and_then(|v| decode_value(v, "cost", diags)),
    }
}

/// Reports top-level keys that are not sections of a scenario.
pub(super) fn unknown_tables(doc: &toml::Table, diags: &mut Diags) {
    for key in doc.keys() {
        if !spec::SECTIONS.contains(&key.as_str()) {
            diags.push(key.clone(), format!("unknown table `{key}`; a scenario has: {}", spec::SECTIONS.join(", ")));
        }
    }
}

/// Decodes `[section.ID]` entries one by one.
pub(super) fn decode_map<T: DeserializeOwned>(
    doc: &toml::Table,
    section: &str,
    diags: &mut Diags,
) -> indexmap::IndexMap<String, T> {
    let mut out = indexmap::IndexMap::new();
    let Some(value) = doc.get(section) else { return out };
    let Some(table) = section_table(value, section, diags) else { return out };
    for (id, entry) in table {
        if let Some(v) = decode_entry::<T>(section, id, entry, diags) {
            out.insert(id.clone(), v);
        }
    }
    out
}

/// The entries of a section, or a diagnostic when it is not a table.
pub(super) fn section_table<'a>(value: &'a toml::Value, section: &str, diags: &mut Diags) -> Option<&'a toml::Table> {
    let table = value.as_table();
    if table.is_none() {
        diags.push(section, format!("must be a table of named entries, written [{section}.NAME]"));
    }
    table
}

/// Decodes the entry `[section.id]`, checking its id.
pub(super) fn decode_entry<T: DeserializeOwned>(
    section: &str,
    id: &str,
    entry: &toml::Value,
    diags: &mut Diags,
) -> Option<T> {
    let path = format!("{section}.{}", quote_segment(id));
    if let Err(msg) = check_id(id) {
        diags.push(path.clone(), msg);
    }
    decode_value::<T>(entry, &path, diags)
}

/// Decodes one value, recording any error under its full field path.
pub(super) fn decode_value<T: DeserializeOwned>(value: &toml::Value, path: &str, diags: &mut Diags) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value.clone()) {
        Ok(v) => Some(v),
        Err(e) => {
            let mut full = path.to_string();
            for seg in e.path().iter() {
                use serde_path_to_error::Segment;
                match seg {
                    Segment::Map { key } => {
                        full.push('.');
                        full.push_str(&quote_segment(key));
                    }
                    Segment::Seq { index } => full.push_str(&format!(".{index}")),
                    Segment::Enum { .. } | Segment::Unknown => {}
                }
            }
            diags.push(full, tidy_serde_message(e.inner().message()));
            None
        }
    }
}

fn tidy_serde_message(msg: &str) -> String {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        return format!("unknown field {rest}; remove it or check its spelling");
    }
    msg.to_string()
}

/// Ids are bare TOML keys so that they can appear in field paths.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > 80 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(format!(
            "`{}` is not a usable id: use 1–80 letters a–z, digits, `-` or `_`",
            id.chars().take(40).collect::<String>()
        ));
    }
    Ok(())
}

/// One segment of a field path: bare if it is a plain id (or `*`), else in double quotes.
pub fn quote_segment(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '*') {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('"', "'"))
    }
}

/// Splits a dotted path, keeping quoted segments whole.
pub fn split_path(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in path.chars() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Byte offset of the deepest part of `path` found in the document.
fn locate_path(doc: &Spanned<DeTable<'_>>, path: &[String]) -> Option<usize> {
    let mut best = None;
    let mut table: Option<&DeTable<'_>> = Some(doc.get_ref());
    let mut array: Option<&[Spanned<DeValue<'_>>]> = None;
    for seg in path {
        // A segment the file does not write (a missing field, one set by a variant):
        // the deepest enclosing key is the best location.
        let next: &Spanned<DeValue<'_>> = if let Some(t) = table {
            let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == seg.as_str()) else { break };
            best = Some(k.span().start);
            v
        } else if let Some(a) = array {
            let Some(v) = seg.parse::<usize>().ok().and_then(|i| a.get(i)) else { break };
            best = Some(v.span().start);
            v
        } else {
            break;
        };
        table = next.get_ref().as_table();
        array = next.get_ref().as_array().map(|a| &a[..]);
    }
    best
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, col)
}

/// Refuses nesting deeper than [`MAX_NESTING`] before the TOML parser recurses into it.
fn check_nesting(text: &str) -> Result<(), (usize, String)> {
    #[derive(PartialEq)]
    enum S {
        Normal,
        Basic,
        Literal,
        MlBasic,
        MlLiteral,
        Comment,
    }
    let b = text.as_bytes();
    let (mut s, mut depth, mut dots, mut i) = (S::Normal, 0usize, 0usize, 0usize);
    let too_deep = |i: usize| Err((i, format!("nesting deeper than {MAX_NESTING} levels; flatten the file")));
    while i < b.len() {
        let c = b[i];
        let starts = |p: &[u8]| b[i..].starts_with(p);
        match s {
            S::Normal => match c {
                b'#' => s = S::Comment,
                b'"' if starts(b"\"\"\"") => (s, i) = (S::MlBasic, i + 2),
                b'"' => s = S::Basic,
                b'\'' if starts(b"'''") => (s, i) = (S::MlLiteral, i + 2),
                b'\'' => s = S::Literal,
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth = depth.saturating_sub(1),
                b'\n' => dots = 0,
                b'.' => {
                    let digit = |j: Option<&u8>| j.is_some_and(|c| c.is_ascii_digit());
                    if !(digit(b.get(i.wrapping_sub(1))) && digit(b.get(i + 1))) {
                        dots += 1;
                    }
                }
                _ => {}
            },
            S::Basic if c == b'\\' => i += 1,
            S::Basic if c == b'"' || c == b'\n' => s = S::Normal,
            S::Literal if c == b'\'' || c == b'\n' => s = S::Normal,
            S::MlBasic if c == b'\\' => i += 1,
            S::MlBasic if starts(b"\"\"\"") => (s, i) = (S::Normal, i + 2),
            S::MlLiteral if starts(b"'''") => (s, i) = (S::Normal, i + 2),
            S::Comment if c == b'\n' => (s, dots) = (S::Normal, 0),
            _ => {}
        }
        if depth > MAX_NESTING || dots > MAX_NESTING {
            return too_deep(i);
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("x = {}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(check_nesting(&deep).unwrap_err().1.contains("nesting deeper"));
        let dotted = format!("{} = 1", vec!["a"; 1000].join("."));
        assert!(check_nesting(&dotted).is_err());
        assert!(check_nesting("x = [1.5, 2.5, \"a.b.c\"]\n[a.b]\ny = 1").is_ok());
    }

    #[test]
    fn a_file_too_large_is_told_its_real_size() {
        let m = too_large(MAX_FILE_BYTES + 1);
        assert_eq!(m, "it is 32.0 MiB (33 554 433 bytes); scenario files are limited to 32 MiB");
        assert!(too_large(40 * 1024 * 1024 + 7).contains("40.0 MiB (41 943 047 bytes)"));
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }

    #[test]
    fn a_missing_field_is_located_at_its_entry() {
        let src = Source::from_str("x.toml", "[scenario]\nname = \"x\"\n\n[objective.fast]\nmeasure = \"all_known\"\n");
        let d = vec![Diagnostic { path: "objective.fast.level".into(), message: "m".into(), location: None }];
        assert_eq!(src.locate(d)[0].location, Some((4, 12)));
    }

    #[test]
    fn paths_split_on_unquoted_dots() {
        assert_eq!(split_path("variant.x.set.\"a.b\""), vec!["variant", "x", "set", "a.b"]);
    }
}
