//! `names.csv` of a run folder: what the scenario calls each thing the other files
//! name by id, in English and Swedish (docs/outputs.md#namescsv). The report reads it
//! to show names instead of ids ([`crate::report::names`]).

use super::{CsvDialect, Table};
use crate::model::{Model, Text};

/// The file.
pub const FILE: &str = super::names::run::NAMES;
/// Its header.
pub const COLUMNS: [&str; 6] = ["kind", "id", "name", "name_sv", "description", "description_sv"];

/// The kinds of things named, as the `kind` column writes them.
pub mod kind {
    #![allow(missing_docs)]
    pub const SCENARIO: &str = "scenario";
    pub const VARIANT: &str = "variant";
    pub const ORGANISATION: &str = "organisation";
    pub const UNIT: &str = "unit";
    pub const AREA: &str = "area";
    pub const CONFERENCE: &str = "conference";
    pub const INJECT: &str = "inject";
    pub const OBJECTIVE: &str = "objective";
    pub const RESOURCE_TYPE: &str = "resource_type";
}

/// `s` on one line (a multi-line description's line breaks as spaces), so that every
/// row of the file is one line in either CSV dialect.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `t` with both languages on one line; an empty Swedish text counts as none.
fn flat(t: &Text) -> Text {
    Text { en: one_line(&t.en), sv: t.sv.as_deref().map(one_line).filter(|s| !s.is_empty()) }
}

/// No description.
static NONE: Text = Text { en: String::new(), sv: None };

/// A named thing of a scenario, as a row of `names.csv` holds it.
pub struct Named<'a> {
    /// One of [`kind`].
    pub kind: &'static str,
    /// Its id (empty for the scenario).
    pub id: &'a str,
    /// Its name (the id when the scenario gives none).
    pub name: Text,
    /// Its description (empty when it has none).
    pub description: Text,
}

/// Every named thing of `model`, in the order of `names.csv`, texts on one line.
pub fn named<'a>(model: &'a Model) -> Vec<Named<'a>> {
    let mut out = Vec::new();
    let mut add = |kind: &'static str, id: &'a str, name: &Text, desc: &Text| {
        out.push(Named { kind, id, name: flat(name), description: flat(desc) });
    };
    add(kind::SCENARIO, "", &model.name, &model.description);
    for v in &model.variant_texts {
        add(kind::VARIANT, &v.id, &v.name, &v.description);
    }
    for o in &model.orgs {
        add(kind::ORGANISATION, &o.id, &o.name, &NONE);
    }
    for u in &model.units {
        add(kind::UNIT, &u.id, &u.name, &NONE);
    }
    for a in &model.areas {
        add(kind::AREA, &a.id, &a.name, &NONE);
    }
    for c in &model.conferences {
        add(kind::CONFERENCE, &c.id, &c.name, &NONE);
    }
    for i in &model.injects {
        add(kind::INJECT, &i.id, &i.name, &i.description);
    }
    for o in &model.objectives {
        add(kind::OBJECTIVE, &o.id, &o.name, &o.description);
    }
    for (id, name) in model.resource_types.iter().zip(&model.resource_type_names) {
        add(kind::RESOURCE_TYPE, id, name, &NONE);
    }
    out
}

/// One row per named thing of `model`.
pub fn table(model: &Model, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &COLUMNS);
    let sv = |x: &Text| x.sv.clone().unwrap_or_default();
    for n in named(model) {
        t.row([
            n.kind.to_string(),
            n.id.to_string(),
            n.name.en.clone(),
            sv(&n.name),
            n.description.en.clone(),
            sv(&n.description),
        ]);
    }
    t
}
