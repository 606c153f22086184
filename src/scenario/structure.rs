//! Compiling many variants of one file on the base's structure.
//!
//! A compile has two stages ([`Ctx::structure`] and [`Ctx::rest`], after
//! [`Ctx::meta`]). The structural stage (areas, channels, organisations and units,
//! links) reads only the [`STRUCTURAL`] sections and is the expensive one on large
//! scenarios. A [`Structure`] is what it built for the base. A variant whose changes
//! name none of those sections has the same structural sections as the base, so its
//! structural stage would build the same and, when the base's reported nothing, report
//! nothing: it starts from the base's structure and compiles only the rest. The result
//! and the diagnostics (messages and order) are those of [`compile`](super::compile::compile).

use super::compile::Ctx;
use super::error::Diags;
use super::spec::ScenarioFile;
use crate::model::{Area, Channel, Link, Model, Org, Unit};
use indexmap::IndexMap;
use std::collections::HashMap;

/// The sections the structural stage reads: a change to any of them compiles in full.
pub const STRUCTURAL: &[&str] = &["profile", "organisation", "area", "channel", "links", "link_rule", "link"];

/// What the structural stage built: the name tables and the model's parts.
#[derive(Clone)]
pub struct Structure {
    area_ids: IndexMap<String, u32>,
    channel_ids: IndexMap<String, u32>,
    org_ids: IndexMap<String, u32>,
    unit_ids: HashMap<String, u32>,
    tag_index: Option<HashMap<String, Vec<u32>>>,
    areas: Vec<Area>,
    channels: Vec<Channel>,
    orgs: Vec<Org>,
    units: Vec<Unit>,
    links: Vec<Link>,
    default_channels: Vec<u32>,
}

/// Compiles in full, as [`compile`](super::compile::compile) does, and hands back the
/// structure when its stage reported nothing (else it cannot be reused).
pub fn compile_base(
    f: &ScenarioFile,
    hash: u64,
    variant: Option<&str>,
    variants: Vec<String>,
    diags: Diags,
) -> (Result<Model, Diags>, Option<Structure>) {
    let mut c = Ctx::new(f, hash, variant, variants, diags);
    c.meta();
    let before = c.d.list.len();
    c.structure();
    let structure = (c.d.list.len() == before).then(|| take(&mut c));
    if let Some(s) = &structure {
        put(&mut c, s.clone());
    }
    c.rest();
    (c.finish(), structure)
}

/// Compiles `f`, whose structural sections are those `s` was built from, on a copy of `s`.
/// (Batch plans, which keep models, could compile their points this way; for now the
/// tests use it to compare models.)
#[cfg(test)]
pub fn compile_on(
    f: &ScenarioFile,
    hash: u64,
    variant: Option<&str>,
    variants: Vec<String>,
    diags: Diags,
    s: &Structure,
) -> Result<Model, Diags> {
    let mut c = Ctx::new(f, hash, variant, variants, diags);
    c.meta();
    put(&mut c, s.clone());
    c.rest();
    c.finish()
}

/// Checks `f` (as [`compile_on`]) without keeping the model: `s` is lent to the compile
/// and taken back, so nothing is copied.
pub fn check_on(
    f: &ScenarioFile,
    hash: u64,
    variant: Option<&str>,
    variants: Vec<String>,
    diags: Diags,
    s: &mut Structure,
) -> Result<(), Diags> {
    let mut c = Ctx::new(f, hash, variant, variants, diags);
    c.meta();
    put(&mut c, std::mem::replace(s, empty()));
    c.rest();
    *s = take(&mut c);
    c.finish().map(drop)
}

fn empty() -> Structure {
    Structure {
        area_ids: IndexMap::new(),
        channel_ids: IndexMap::new(),
        org_ids: IndexMap::new(),
        unit_ids: HashMap::new(),
        tag_index: None,
        areas: vec![],
        channels: vec![],
        orgs: vec![],
        units: vec![],
        links: vec![],
        default_channels: vec![],
    }
}

fn take(c: &mut Ctx<'_>) -> Structure {
    use std::mem::take;
    Structure {
        area_ids: take(&mut c.areas),
        channel_ids: take(&mut c.channels),
        org_ids: take(&mut c.orgs),
        unit_ids: take(&mut c.units),
        tag_index: take(&mut c.tag_index),
        areas: take(&mut c.m.areas),
        channels: take(&mut c.m.channels),
        orgs: take(&mut c.m.orgs),
        units: take(&mut c.m.units),
        links: take(&mut c.m.links),
        default_channels: take(&mut c.m.default_channels),
    }
}

fn put(c: &mut Ctx<'_>, s: Structure) {
    c.areas = s.area_ids;
    c.channels = s.channel_ids;
    c.orgs = s.org_ids;
    c.units = s.unit_ids;
    c.tag_index = s.tag_index;
    c.m.areas = s.areas;
    c.m.channels = s.channels;
    c.m.orgs = s.orgs;
    c.m.units = s.units;
    c.m.links = s.links;
    c.m.default_channels = s.default_channels;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Parsed, Source, compile, validate};

    /// Every variant of `text` that changes no structural section compiles, on the
    /// base's structure, to the same model (or the same problems) as in full.
    fn same_as_full(name: &str, text: &str) -> usize {
        let parsed = Parsed::new(&Source::from_str(name, text)).unwrap();
        let hash = parsed.source.hash;
        let (decoded, diags) = parsed.decode(None, &[]).unwrap();
        let (_, structure) = compile_base(&decoded.file, hash, None, decoded.variant_names, diags);
        let mut structure = structure.expect("the base's structure compiles");
        let mut checked = 0;
        for v in parsed.variant_names() {
            let v = Some(v.as_str());
            if parsed.touches(v, &[], STRUCTURAL) {
                continue;
            }
            let full = {
                let (d, diags) = parsed.decode(v, &[]).unwrap();
                compile::compile(&d.file, hash, v, d.variant_names, diags)
            };
            let (d, diags) = parsed.decode(v, &[]).unwrap();
            let on =
                compile_on(&d.file, hash, v, d.variant_names.clone(), Diags { list: diags.list.clone() }, &structure);
            let check = check_on(&d.file, hash, v, d.variant_names, diags, &mut structure);
            assert_eq!(format!("{full:?}"), format!("{on:?}"), "{name} {v:?}");
            assert_eq!(full.map(drop).map_err(|d| d.list), check.map_err(|d| d.list), "{name} {v:?}");
            checked += 1;
        }
        checked
    }

    #[test]
    fn a_variant_on_the_base_structure_compiles_as_in_full() {
        let mut checked = 0;
        for entry in std::fs::read_dir("scenarios").unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "toml") {
                checked += same_as_full(&path.to_string_lossy(), &std::fs::read_to_string(&path).unwrap());
            }
        }
        let n = crate::generate::organisations_for_units(400, 1).unwrap();
        let mut text = crate::generate::generate(&crate::generate::Options::new(n)).unwrap().text;
        let conference = text.lines().find_map(|l| l.strip_prefix("[conference.")?.strip_suffix(']')).unwrap();
        let conference = conference.to_string();
        // Fine, too short a cadence (an error), a new field, the guard.
        for (i, value) in ["\"3h\"", "\"1m\"", "\"0s\""].iter().enumerate() {
            text.push_str(&format!(
                "\n[variant.c{i}]\nset = {{ \"conference.{conference}.activated.every\" = {value} }}\n"
            ));
        }
        text.push_str("\n[variant.g]\nset = { \"guard.max_facts\" = 0 }\n");
        text.push_str("\n[variant.s]\nset = { \"scenario.start\" = \"x\" }\n");
        checked += same_as_full("generated.toml", &text);
        assert!(checked >= 7, "{checked} variants compared");
    }

    #[test]
    fn a_structural_variant_is_located_as_in_full() {
        let text = std::fs::read_to_string("scenarios/stockholm-storm.toml").unwrap();
        let parsed = Parsed::new(&Source::from_str("x.toml", &text)).unwrap();
        let (org, unit) = {
            let (d, _) = parsed.decode(None, &[]).unwrap();
            let (org, o) = d.file.organisation.iter().find(|(_, o)| !o.unit.is_empty()).unwrap();
            (org.clone(), o.unit.keys().next().unwrap().clone())
        };
        let text = format!(
            "{text}\n[variant.many]\nset = {{ \"organisation.{org}.unit.{unit}.handlers\" = 200000 }}\n\
             [variant.rule]\nset = {{ \"links.threshold\" = 9 }}\n"
        );
        let source = Source::from_str("x.toml", &text);
        let got = validate(&source).unwrap_err();
        for (v, path) in
            [("many", format!("organisation.{org}.unit.{unit}.handlers")), ("rule", "links.threshold".into())]
        {
            assert!(Parsed::new(&source).unwrap().touches(Some(v), &[], STRUCTURAL));
            let full = crate::scenario::build(&source, Some(v), &[]).unwrap_err();
            let want: Vec<_> = full.diagnostics().iter().filter(|d| d.path == path).collect();
            assert!(!want.is_empty() && want[0].location.is_some(), "{v}: {full}");
            for w in want {
                let suffix = format!(" (with variant `{v}`)");
                assert!(
                    got.diagnostics().iter().any(|g| g.path == w.path
                        && g.location == w.location
                        && g.message.strip_suffix(&suffix) == Some(&w.message)),
                    "{v}: {got}"
                );
            }
        }
    }
}
