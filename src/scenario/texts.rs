//! Swedish texts of a scenario (docs/scenario-format.md#swedish-texts): checks every
//! `name_sv`, `description_sv` and `text_sv` (and the `name` of injects, objectives,
//! variants and resource types) is not blank, and compiles the names of variants and
//! resource types into the model. The other texts are compiled where their entries are.

use super::compile::Ctx;
use crate::model::{Text, VariantText};

/// Checks the texts and fills `variant_texts` and `resource_type_names`; runs after
/// the resource types are known.
pub(super) fn build(c: &mut Ctx) {
    check_all(c);
    let f = c.f;
    c.m.variant_texts = f
        .variant
        .iter()
        .map(|(id, v)| VariantText {
            id: id.clone(),
            name: named(&v.name, &v.name_sv, id),
            description: Text { en: v.description.clone(), sv: v.description_sv.clone() },
        })
        .collect();
    for id in f.resource_type.keys() {
        if !c.types.contains_key(id) {
            let known = super::compile::keys(&c.types);
            c.d.push(format!("resource_type.{id}"), format!("no pool or demand has type `{id}`; known types: {known}"));
        }
    }
    c.m.resource_type_names =
        c.m.resource_types
            .iter()
            .map(|t| match f.resource_type.get(t) {
                Some(r) => named(&r.name, &r.name_sv, t),
                None => Text::en(t.as_str()),
            })
            .collect();
}

/// `name`/`name_sv`, the id standing in for a missing English name.
fn named(name: &Option<String>, sv: &Option<String>, id: &str) -> Text {
    Text { en: name.clone().unwrap_or_else(|| id.to_string()), sv: sv.clone() }
}

/// Every optional text of the file that is present but blank, as (path, field) pairs.
fn check_all(c: &mut Ctx) {
    let f = c.f;
    let mut blank: Vec<String> = Vec::new();
    let mut check = |path: &str, field: &str, v: &Option<String>| {
        if v.as_ref().is_some_and(|s| s.trim().is_empty()) {
            blank.push(format!("{path}.{field}"));
        }
    };
    check("scenario", "name_sv", &f.scenario.name_sv);
    check("scenario", "description_sv", &f.scenario.description_sv);
    for (id, p) in &f.profile {
        check(&format!("profile.{id}"), "name_sv", &p.name_sv);
    }
    for (oid, o) in f.organisation.iter() {
        let path = format!("organisation.{oid}");
        check(&path, "name_sv", &o.name_sv);
        for (uid, u) in &o.unit {
            check(&format!("{path}.unit.{uid}"), "name_sv", &u.name_sv);
        }
    }
    for (id, a) in &f.area {
        check(&format!("area.{id}"), "name_sv", &a.name_sv);
    }
    for (id, k) in &f.conference {
        check(&format!("conference.{id}"), "name_sv", &k.name_sv);
    }
    for (id, i) in &f.inject {
        let path = format!("inject.{id}");
        for (field, v) in [("name", &i.name), ("name_sv", &i.name_sv), ("description_sv", &i.description_sv)] {
            check(&path, field, v);
        }
        check(&format!("{path}.fact"), "text_sv", &i.fact.as_ref().and_then(|x| x.text_sv.clone()));
        check(&format!("{path}.incident"), "text_sv", &i.incident.as_ref().and_then(|x| x.text_sv.clone()));
        check(&format!("{path}.message"), "text_sv", &i.message.as_ref().and_then(|x| x.text_sv.clone()));
    }
    for (id, o) in &f.objective {
        for (field, v) in [("name", &o.name), ("name_sv", &o.name_sv), ("description_sv", &o.description_sv)] {
            check(&format!("objective.{id}"), field, v);
        }
    }
    for (id, v) in &f.variant {
        for (field, t) in [("name", &v.name), ("name_sv", &v.name_sv), ("description_sv", &v.description_sv)] {
            check(&format!("variant.{id}"), field, t);
        }
    }
    for (id, r) in &f.resource_type {
        for (field, t) in [("name", &r.name), ("name_sv", &r.name_sv)] {
            check(&format!("resource_type.{id}"), field, t);
        }
    }
    for path in blank {
        c.d.push(path, "is empty; give the text, or leave the field out (a missing `_sv` text falls back to English, a missing name to the id)");
    }
}
