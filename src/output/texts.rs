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

/// One row per named thing of `model`.
pub fn table(model: &Model, d: CsvDialect) -> Table {
    let mut t = Table::in_dialect(d, &COLUMNS);
    let none = Text::default();
    let mut row = |kind: &str, id: &str, name: &Text, desc: &Text| {
        let sv = |x: &Text| one_line(x.sv.as_deref().unwrap_or_default());
        t.row([kind.to_string(), id.to_string(), one_line(&name.en), sv(name), one_line(&desc.en), sv(desc)]);
    };
    row(kind::SCENARIO, "", &model.name, &model.description);
    for v in &model.variant_texts {
        row(kind::VARIANT, &v.id, &v.name, &v.description);
    }
    for o in &model.orgs {
        row(kind::ORGANISATION, &o.id, &o.name, &none);
    }
    for u in &model.units {
        row(kind::UNIT, &u.id, &u.name, &none);
    }
    for a in &model.areas {
        row(kind::AREA, &a.id, &a.name, &none);
    }
    for c in &model.conferences {
        row(kind::CONFERENCE, &c.id, &c.name, &none);
    }
    for i in &model.injects {
        row(kind::INJECT, &i.id, &i.name, &i.description);
    }
    for o in &model.objectives {
        row(kind::OBJECTIVE, &o.id, &o.name, &o.description);
    }
    for (id, name) in model.resource_types.iter().zip(&model.resource_type_names) {
        row(kind::RESOURCE_TYPE, id, name, &none);
    }
    t
}
