//! Names instead of ids: what the scenario calls each organisation, unit, conference,
//! inject, objective, variant and resource type, in the report's language
//! (docs/scenario-format.md#swedish-texts). A run folder's `names.csv` gives them
//! ([`crate::output::texts`]); a batch folder's `scenario.toml` copy does. A folder
//! without either shows ids, as before.
//!
//! [`relabel_run`] and [`relabel_batch`] put the names into the rows read back from
//! the files, so that every chart, table and finding shows them without knowing ids.
//! Two things of one kind with the same name keep apart as `name (id)`.

use super::batch_data::BatchData;
use super::run_data::RunData;
use super::table::CsvTable;
use super::{Lang, ReportError};
use crate::model::{Model, Text};
use crate::output::texts::{self, kind};
use std::collections::HashMap;
use std::path::Path;

/// (name, description) per (kind, id).
#[derive(Clone, Debug, Default)]
pub struct Names {
    texts: HashMap<(String, String), (Text, Text)>,
}

impl Names {
    /// A run folder's `names.csv`; no names when the folder has none (written before it).
    pub fn read_run(dir: &Path) -> Result<Names, ReportError> {
        let path = dir.join(texts::FILE);
        if !path.is_file() {
            return Ok(Names::default());
        }
        let t = CsvTable::read(&path)?;
        let cols: Vec<usize> = texts::COLUMNS.iter().map(|c| t.col(c)).collect::<Result<_, _>>()?;
        let mut names = Names::default();
        for r in 0..t.len() {
            let get = |i: usize| t.str(r, cols[i]).to_string();
            let text = |en: String, sv: String| Text { en, sv: (!sv.is_empty()).then_some(sv) };
            names.texts.insert((get(0), get(1)), (text(get(2), get(3)), text(get(4), get(5))));
        }
        Ok(names)
    }

    /// The names of a batch's scenario: its `scenario.toml` copy, else the scenario file
    /// the manifest names when its hash is still the batch's; none otherwise.
    pub fn for_batch(dir: &Path, manifest: &super::batch_data::Manifest) -> Names {
        let hash = &manifest.plan.scenario_hash;
        let copy = crate::batch::scenario_copy::read(dir, hash).ok().flatten();
        let source = copy.or_else(|| crate::scenario::Source::read(Path::new(&manifest.scenario_file)).ok());
        match source.map(|s| crate::scenario::build(&s, None, &[])) {
            Some(Ok(m)) if &m.hash == hash => Names::of_model(&m),
            _ => Names::default(),
        }
    }

    /// The names of a compiled scenario (a batch's `scenario.toml`).
    pub fn of_model(m: &Model) -> Names {
        let texts =
            texts::named(m).into_iter().map(|n| ((n.kind.to_string(), n.id.to_string()), (n.name, n.description)));
        Names { texts: texts.collect() }
    }

    /// The name of `id` of `kind` in `lang`, if the scenario gives one.
    pub fn name(&self, kind: &str, id: &str, lang: Lang) -> Option<String> {
        self.texts.get(&(kind.to_string(), id.to_string())).map(|(n, _)| n.get(lang).to_string())
    }

    /// What the report calls the fact `id` (an inject's, or a stream's `id#n`).
    pub fn fact_label(&self, id: &str, lang: Lang) -> String {
        let mut label = id.to_string();
        Relabel::new(self, kind::INJECT, lang).fact(&mut label);
        label
    }

    /// The description of `id` of `kind` in `lang`, if there is one.
    pub fn description(&self, kind: &str, id: &str, lang: Lang) -> Option<String> {
        let (_, d) = self.texts.get(&(kind.to_string(), id.to_string()))?;
        (!d.en.is_empty()).then(|| d.get(lang).to_string())
    }

    /// id → shown name for every id of `kind`, names that two ids share told apart as
    /// `name (id)`; units as `organisation: name` (a profile's name is every unit's).
    fn labels(&self, kind: &str, lang: Lang) -> HashMap<String, String> {
        let mut count: HashMap<String, usize> = HashMap::new();
        let of_kind: Vec<(&String, String)> = self
            .texts
            .iter()
            .filter(|((k, _), _)| k == kind)
            .map(|((_, id), (n, _))| (id, n.get(lang).to_string()))
            .collect();
        for (_, n) in &of_kind {
            *count.entry(n.clone()).or_default() += 1;
        }
        of_kind
            .into_iter()
            .map(|(id, n)| {
                let org = (kind == kind::UNIT).then(|| id.split_once('.')).flatten();
                let org = org.and_then(|(o, _)| self.name(kind::ORGANISATION, o, lang));
                let label = match org {
                    _ if count[&n] == 1 || n == *id => n,
                    Some(org) => format!("{org}: {n}"),
                    None => format!("{n} ({id})"),
                };
                (id.clone(), label)
            })
            .collect()
    }
}

/// A relabelling of one kind: ids it does not know stay as they are.
struct Relabel(HashMap<String, String>);

impl Relabel {
    fn new(names: &Names, kind: &str, lang: Lang) -> Relabel {
        Relabel(names.labels(kind, lang))
    }
    fn apply(&self, id: &mut String) {
        if let Some(n) = self.0.get(id.as_str()) {
            *id = n.clone();
        }
    }
    /// A fact id: an inject's id, or a stream's `id#n` (the inject's name, then `#n`).
    fn fact(&self, id: &mut String) {
        if let Some(n) = self.0.get(id.as_str()) {
            *id = n.clone();
        } else if let Some((base, k)) = id.split_once('#')
            && let Some(n) = self.0.get(base)
        {
            *id = format!("{n} #{k}");
        }
    }
    /// A `;`-separated list of ids.
    fn list(&self, ids: &mut String) {
        let parts: Vec<String> = ids
            .split(';')
            .map(|p| {
                let mut p = p.to_string();
                self.apply(&mut p);
                p
            })
            .collect();
        *ids = parts.join(";");
    }
}

/// Shows names instead of ids in a run's rows (facts, units, organisations,
/// conferences, resource types, objectives, the scenario and its variant).
pub fn relabel_run(d: &mut RunData, names: &Names, lang: Lang) {
    let unit = Relabel::new(names, kind::UNIT, lang);
    let org = Relabel::new(names, kind::ORGANISATION, lang);
    let fact = Relabel::new(names, kind::INJECT, lang);
    let rtype = Relabel::new(names, kind::RESOURCE_TYPE, lang);
    let conf = Relabel::new(names, kind::CONFERENCE, lang);
    for k in &mut d.facts {
        fact.fact(&mut k.fact);
        unit.apply(&mut k.unit);
    }
    for l in &mut d.levels {
        fact.fact(&mut l.fact);
    }
    for m in &mut d.messages {
        unit.apply(&mut m.from);
        unit.apply(&mut m.to);
    }
    for u in &mut d.units {
        unit.apply(&mut u.unit);
        org.apply(&mut u.org);
    }
    for r in &mut d.resources {
        org.apply(&mut r.org);
        rtype.apply(&mut r.kind);
    }
    for r in &mut d.requests {
        rtype.apply(&mut r.kind);
        fact.fact(&mut r.incident);
        org.list(&mut r.lenders);
    }
    for c in &mut d.conferences {
        conf.apply(&mut c.id);
    }
    let s = &mut d.summary;
    for o in &mut s.objectives {
        if let Some(text) = names.description(kind::OBJECTIVE, &o.id, lang) {
            o.description = text;
        }
        if let Some(n) = names.name(kind::OBJECTIVE, &o.id, lang) {
            o.id = n;
        }
    }
    if let Some(n) = names.name(kind::SCENARIO, "", lang).filter(|n| !n.is_empty()) {
        s.scenario = n;
    }
    if let Some(v) = &mut s.variant
        && let Some(n) = names.name(kind::VARIANT, v, lang)
    {
        *v = n;
    }
}

/// Shows the key fact's name and the place's Swedish name on the map.
pub fn relabel_map(m: &mut super::map_data::MapData, names: &Names, lang: Lang) {
    m.fact = names.fact_label(&m.fact, lang);
    if lang == Lang::Sv
        && let (Some(sv), Some(place)) = (&m.location_sv, &mut m.location)
    {
        place.2 = sv.clone();
    }
}

/// Shows objective names and descriptions in `lang` in a batch's rows, and records the
/// names of its variants ([`BatchData::variant_label`]).
pub fn relabel_batch(d: &mut BatchData, names: &Names, lang: Lang) {
    let objective = Relabel::new(names, kind::OBJECTIVE, lang);
    for (id, info) in d.objective_ids.iter().zip(d.objective_info.iter_mut()) {
        if let Some(text) = names.description(kind::OBJECTIVE, id, lang) {
            info.description = text;
        }
    }
    for id in &mut d.objective_ids {
        objective.apply(id);
    }
    for o in &mut d.objectives {
        objective.apply(&mut o.objective);
    }
    for v in &d.variants {
        let label = if BatchData::is_base(v) {
            lang.labels().html.base.to_string()
        } else {
            names.name(kind::VARIANT, v, lang).unwrap_or_else(|| v.clone())
        };
        d.variant_labels.insert(v.clone(), label);
    }
    d.scenario_name = names.name(kind::SCENARIO, "", lang).filter(|n| !n.is_empty());
}
