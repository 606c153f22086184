//! A scenario file parsed once, from which the base scenario and each variant (with
//! field overrides) are decoded.
//!
//! The TOML text is parsed and the base decoded into typed entries once, in
//! [`Parsed::new`]. A variant then costs what it changes: the top-level sections its
//! paths name are copied and patched, and only the entries whose TOML the patch changed
//! are decoded again into a copy of the base. When that shortcut could report something
//! different from patching the whole document (the base has errors, a path starts with
//! `*` or does not apply), the whole document is copied, patched and decoded, as a file
//! would be. Either way the result is the same as decoding the patched text.

use super::error::{Diagnostic, Diags, ScenarioError};
use super::load::{Source, decode_entry, decode_file, decode_map, decode_value, quote_segment, section_table};
use super::load::{split_path, unknown_tables};
use super::patch;
use super::spec::{ScenarioFile, VariantSpec};
use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use std::borrow::Cow;

/// The name batches give the scenario without any variant; no variant may have it.
pub const BASE_NAME: &str = "base";

/// A scenario file's parsed document and its decoded base.
pub struct Parsed {
    /// The file as read.
    pub source: Source,
    doc: toml::Table,
    variants: IndexMap<String, VariantSpec>,
    /// Problems of the `[variant]` table itself, reported with every decode.
    variant_diags: Vec<Diagnostic>,
    base: ScenarioFile,
    /// Problems of the base; when there are any, variants are decoded from the whole
    /// patched document.
    base_diags: Vec<Diagnostic>,
}

/// A scenario decoded into typed entries, with a variant and overrides applied.
pub struct Decoded<'a> {
    /// The decoded entries.
    pub file: Cow<'a, ScenarioFile>,
    /// The variants defined in the file, in file order.
    pub variant_names: Vec<String>,
}

/// One change to make: where a problem with it is reported, its path and its value.
struct Change<'a> {
    report: Report<'a>,
    path: &'a str,
    value: &'a toml::Value,
}

enum Report<'a> {
    Variant(&'a str),
    Override,
}

impl Parsed {
    /// Parses `source` (reporting every syntax error) and decodes its base.
    pub fn new(source: &Source) -> Result<Parsed, ScenarioError> {
        let doc = source.document()?;
        let mut vd = Diags::default();
        let variants: IndexMap<String, VariantSpec> = decode_map(&doc, "variant", &mut vd);
        check_variant_names(&doc, &mut vd);
        let mut bd = Diags::default();
        let base = decode_file(&doc, &mut bd);
        Ok(Parsed { source: source.clone(), doc, variants, variant_diags: vd.list, base, base_diags: bd.list })
    }

    /// The variants the file defines, in file order.
    pub fn variant_names(&self) -> Vec<String> {
        self.variants.keys().cloned().collect()
    }

    /// The scenario with `variant` (by name) and then `overrides` (path = value) applied,
    /// and the problems found decoding it (not yet located).
    pub fn decode(
        &self,
        variant: Option<&str>,
        overrides: &[(String, toml::Value)],
    ) -> Result<(Decoded<'_>, Diags), ScenarioError> {
        let mut diags = Diags { list: self.variant_diags.clone() };
        let mut changes = Vec::new();
        if let Some(name) = variant {
            let Some(v) = self.variants.get(name) else { return Err(self.unknown_variant(name)) };
            changes.extend(v.set.iter().map(|(path, value)| Change { report: Report::Variant(name), path, value }));
        }
        changes.extend(overrides.iter().map(|(path, value)| Change { report: Report::Override, path, value }));
        let file = if changes.is_empty() {
            diags.list.extend(self.base_diags.iter().cloned());
            Cow::Borrowed(&self.base)
        } else {
            Cow::Owned(self.patched(&changes, &mut diags))
        };
        Ok((Decoded { file, variant_names: self.variant_names() }, diags))
    }

    /// Whether `variant` (by name) and `overrides` may change one of `sections`: a path
    /// starting with one of them, `*` or nothing, or a variant this file does not define.
    pub fn touches(&self, variant: Option<&str>, overrides: &[(String, toml::Value)], sections: &[&str]) -> bool {
        let set = match variant {
            Some(name) => match self.variants.get(name) {
                Some(v) => Some(&v.set),
                None => return true,
            },
            None => None,
        };
        let paths = set.into_iter().flat_map(|s| s.keys()).chain(overrides.iter().map(|(p, _)| p));
        paths
            .map(|p| split_path(p).into_iter().next().unwrap_or_default())
            .any(|first| first.is_empty() || first == "*" || sections.contains(&first.as_str()))
    }

    /// Gives each diagnostic its line:column and wraps them in an error for this file.
    pub fn invalid(&self, diags: Vec<Diagnostic>) -> ScenarioError {
        self.source.invalid(self.source.locate(diags))
    }

    fn unknown_variant(&self, name: &str) -> ScenarioError {
        if !self.variant_diags.is_empty() {
            return self.invalid(self.variant_diags.clone());
        }
        let names = self.variant_names();
        ScenarioError::UnknownVariant {
            file: self.source.file.clone(),
            name: name.to_string(),
            known: if names.is_empty() { "no variants".into() } else { names.join(", ") },
        }
    }

    fn patched(&self, changes: &[Change<'_>], diags: &mut Diags) -> ScenarioFile {
        if self.base_diags.is_empty()
            && let Some(file) = self.patched_entries(changes, diags)
        {
            return file;
        }
        let mut doc = self.doc.clone();
        apply(&mut doc, changes, diags);
        decode_file(&doc, diags)
    }

    /// The shortcut: copies of what the changes name (an entry of a section of entries,
    /// else the whole section), patched; the entries they changed decoded into a copy of
    /// the base. `None` when a change does not apply (its message must name what the
    /// whole file has).
    fn patched_entries(&self, changes: &[Change<'_>], diags: &mut Diags) -> Option<ScenarioFile> {
        let mut part = toml::Table::new();
        let mut whole: Vec<String> = Vec::new();
        for c in changes {
            let segs = split_path(c.path);
            let first = segs.first().filter(|s| !s.is_empty() && *s != "*")?;
            let Some(v) = self.doc.get(first) else { continue };
            let entry =
                segs.get(1).filter(|id| segs.len() > 2 && *id != "*" && ENTRY_SECTIONS.contains(&first.as_str()));
            match (entry, v.as_table()) {
                (Some(id), Some(section)) if !whole.contains(first) => {
                    let e = section.get(id)?;
                    let copy = part.entry(first.clone()).or_insert_with(|| toml::Table::new().into());
                    let copy = copy.as_table_mut().expect("a table made here");
                    copy.entry(id.clone()).or_insert_with(|| e.clone());
                }
                (Some(_), Some(_)) => {}
                _ if whole.contains(first) => {}
                _ => {
                    part.insert(first.clone(), v.clone());
                    whole.push(first.clone());
                }
            }
        }
        let mut problems = Diags::default();
        apply(&mut part, changes, &mut problems);
        if !problems.is_empty() {
            return None;
        }
        let mut file = self.base.clone();
        redecode(&self.doc, &part, &mut file, diags);
        Some(file)
    }
}

/// The sections of `[section.ID]` entries, whose entries [`redecode`] decodes one by one.
const ENTRY_SECTIONS: &[&str] = &[
    "profile",
    "organisation",
    "area",
    "channel",
    "link_rule",
    "link",
    "conference",
    "resource",
    "resource_type",
    "agreement",
    "inject",
    "objective",
    "variant",
];

/// Makes the changes in order; a change that does not apply is reported and skipped.
fn apply(doc: &mut toml::Table, changes: &[Change<'_>], diags: &mut Diags) {
    for c in changes {
        if let Err(msg) = patch::set(doc, c.path, c.value.clone()) {
            match c.report {
                Report::Variant(name) => diags.push(format!("variant.{name}.set.{}", quote_segment(c.path)), msg),
                Report::Override => diags.push(String::new(), format!("override `{}`: {msg}", c.path)),
            }
        }
    }
}

/// Decodes into `f` what `part` (patched copies of some of `base`'s sections) changes,
/// in the order [`decode_file`] decodes, so that problems are listed in the same order.
fn redecode(base: &toml::Table, part: &toml::Table, f: &mut ScenarioFile, d: &mut Diags) {
    unknown_tables(part, d);
    if let Some(v) = part.get("scenario") {
        f.scenario = decode_value(v, "scenario", d).unwrap_or_default();
    }
    redecode_map(base, part, "profile", &mut f.profile, d);
    if part.contains_key("organisation") {
        redecode_map(base, part, "organisation", std::sync::Arc::make_mut(&mut f.organisation), d);
    }
    redecode_map(base, part, "area", &mut f.area, d);
    redecode_map(base, part, "channel", &mut f.channel, d);
    if let Some(v) = part.get("links") {
        f.links = decode_value(v, "links", d).unwrap_or_default();
    }
    redecode_map(base, part, "link_rule", &mut f.link_rule, d);
    redecode_map(base, part, "link", &mut f.link, d);
    redecode_map(base, part, "conference", &mut f.conference, d);
    redecode_map(base, part, "resource", &mut f.resource, d);
    redecode_map(base, part, "resource_type", &mut f.resource_type, d);
    redecode_map(base, part, "agreement", &mut f.agreement, d);
    redecode_map(base, part, "inject", &mut f.inject, d);
    redecode_map(base, part, "objective", &mut f.objective, d);
    redecode_map(base, part, "variant", &mut f.variant, &mut Diags::default());
    if let Some(v) = part.get("guard") {
        f.guard = decode_value(v, "guard", d).unwrap_or_default();
    }
    if let Some(v) = part.get("cost") {
        f.cost = decode_value(v, "cost", d);
    }
}

/// Decodes again the entries of `section` whose TOML differs from the base's.
fn redecode_map<T: DeserializeOwned>(
    base: &toml::Table,
    part: &toml::Table,
    section: &str,
    out: &mut IndexMap<String, T>,
    diags: &mut Diags,
) {
    let Some(value) = part.get(section) else { return };
    let Some(table) = section_table(value, section, diags) else {
        out.clear();
        return;
    };
    let old = base.get(section).and_then(|v| v.as_table());
    for (id, entry) in table {
        if old.and_then(|t| t.get(id)) == Some(entry) {
            continue;
        }
        match decode_entry::<T>(section, id, entry, diags) {
            Some(v) => {
                out.insert(id.clone(), v);
            }
            None => {
                out.shift_remove(id);
            }
        }
    }
}

/// Variant names a batch could not tell apart from the base or from each other (its
/// run folders are named after them, and some file systems ignore case).
fn check_variant_names(doc: &toml::Table, diags: &mut Diags) {
    let Some(table) = doc.get("variant").and_then(|v| v.as_table()) else { return };
    let mut seen: Vec<&str> = Vec::new();
    for name in table.keys() {
        let path = format!("variant.{}", quote_segment(name));
        if name.eq_ignore_ascii_case(BASE_NAME) {
            diags.push(
                path,
                format!(
                    "`{name}` is the name batches give the scenario without variants; give the variant another name"
                ),
            );
        } else if let Some(other) = seen.iter().find(|s| s.eq_ignore_ascii_case(name)) {
            diags.push(
                path,
                format!(
                    "`{name}` differs from the variant `{other}` only in upper and lower case; batch run folders \
                     named after them would be one folder on some file systems: rename one"
                ),
            );
        }
        seen.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[scenario]\nname = \"x\"\nstart = \"2017-04-07T14:53\"\nduration = \"72h\"\n[channel.a]\nkind = \"email\"\n[channel.b]\nkind = \"wis\"\n\
                        [variant.lossy]\nset = { \"channel.b.loss\" = 0.2 }\n\
                        [variant.bad]\nset = { \"channel.b.loss\" = \"x\" }\n";

    fn whole(p: &Parsed, variant: &str) -> (ScenarioFile, Vec<Diagnostic>) {
        let mut doc = p.doc.clone();
        let set = &p.variants[variant].set;
        for (path, value) in set {
            patch::set(&mut doc, path, value.clone()).unwrap();
        }
        let mut d = Diags::default();
        (decode_file(&doc, &mut d), d.list)
    }

    #[test]
    fn a_variant_decodes_as_its_patched_document_would() {
        let p = Parsed::new(&Source::from_str("x.toml", TEXT)).unwrap();
        assert_eq!(p.base_diags, []);
        for name in ["lossy", "bad"] {
            let (decoded, diags) = p.decode(Some(name), &[]).unwrap();
            let (file, list) = whole(&p, name);
            assert_eq!(format!("{:?}", decoded.file.channel), format!("{:?}", file.channel), "{name}");
            assert_eq!(diags.list, list, "{name}");
        }
        let (decoded, _) = p.decode(Some("lossy"), &[]).unwrap();
        assert_eq!(decoded.file.channel["b"].loss, 0.2);
        let (decoded, diags) = p.decode(Some("bad"), &[]).unwrap();
        assert_eq!(decoded.file.channel.keys().collect::<Vec<_>>(), ["a"]);
        assert_eq!(diags.list[0].path, "channel.b.loss");
    }

    #[test]
    fn a_variant_named_base_or_differing_only_in_case_is_refused() {
        let text = "[variant.base]\n[variant.Fast]\n[variant.fast]\n";
        let p = Parsed::new(&Source::from_str("x.toml", text)).unwrap();
        let paths: Vec<&str> = p.variant_diags.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["variant.base", "variant.fast"]);
    }
}
