//! A what-if in one sentence, in English or Swedish (decimal comma), with names, not ids:
//! the imposed change, then its largest clear effect on a time and on an objective.

use super::{FIRST_SESSION, OBJECTIVE, PROCESSING};
use crate::debrief::{Effect, Imposed, WhatIf};
use crate::model::Model;
use crate::report::i18n::Lang;
use crate::vocabulary::Level;

/// "Had the first session of Regional samverkanskonferens been at 67 min instead of 110
/// (the model's median), every strategic unit would have known the first fact 38 min
/// sooner (31–45)."
pub fn sentence(w: &WhatIf, model: &Model, lang: Lang) -> String {
    let times = w.effects.iter().find(|e| !imposed_quantity(e) && !e.measure.starts_with(OBJECTIVE));
    let objective = w.effects.iter().find(|e| e.measure.starts_with(OBJECTIVE));
    let clauses: Vec<Clause> = times
        .and_then(|e| time_clause(e, lang))
        .into_iter()
        .chain(objective.and_then(|e| objective_clause(e, model, lang)))
        .collect();
    let opening = opening(&w.imposed, model, lang);
    let rest = match (lang, clauses.as_slice()) {
        (Lang::En, []) => "no headline measure would have changed clearly (every 95 % interval includes zero)".into(),
        (Lang::Sv, []) => "hade inget huvudmått ändrats tydligt (varje 95 %-intervall innehåller noll)".into(),
        (Lang::En, [a, more @ ..]) => {
            let mut s = format!("{} would have {}", a.subject, a.predicate);
            more.iter().for_each(|b| s += &format!(" and {} would have {}", b.subject, b.predicate));
            s
        }
        (Lang::Sv, [a, more @ ..]) => {
            let mut s = format!("hade {} {}", a.subject, a.predicate);
            more.iter().for_each(|b| s += &format!(" och {} hade {}", b.subject, b.predicate));
            s
        }
    };
    format!("{opening}, {rest}.")
}

/// A short label of an imposed change for tables: "Regional samverkanskonferens: first
/// session at 67 min (model 110)", "County board duty officer: processing ×3.2".
pub fn label(imposed: &Imposed, model: &Model, lang: Lang) -> String {
    match *imposed {
        Imposed::FirstSession { conference, observed_min, model_median_min } => {
            let name = model.conferences.get(conference as usize).map_or("?", |c| c.name.get(lang));
            let (o, m) = (num(observed_min, lang), num(model_median_min, lang));
            match lang {
                Lang::En => format!("{name}: first session at {o} min (model {m})"),
                Lang::Sv => format!("{name}: första mötet vid {o} min (modellen {m})"),
            }
        }
        Imposed::SlowerUnit { unit, factor } => {
            let name = model.units.get(unit as usize).map_or("?", |u| u.name.get(lang));
            let f = num1(factor, lang);
            match lang {
                Lang::En => format!("{name}: processing ×{f}"),
                Lang::Sv => format!("{name}: handläggning ×{f}"),
            }
        }
    }
}

/// A readable name of an effect's measure: a headline measure's label, "Objective: …"
/// with the objective's description, or the imposed quantity.
pub fn measure_label(measure: &str, model: &Model, lang: Lang) -> String {
    let sv = lang == Lang::Sv;
    if let Some(id) = measure.strip_prefix(OBJECTIVE) {
        let o = model.objectives.iter().find(|o| o.id == id);
        let name = o.map_or(id, |o| if o.description.is_empty() { id } else { o.description.get(lang) });
        return format!("{}: {name}", if sv { "Mål" } else { "Objective" });
    }
    if let Some(id) = measure.strip_prefix(FIRST_SESSION) {
        let name = model.conferences.iter().find(|c| c.id == id).map_or(id, |c| c.name.get(lang));
        return format!("{name}: {}", if sv { "första mötet" } else { "first session" });
    }
    if let Some(id) = measure.strip_prefix(PROCESSING) {
        let name = model.units.iter().find(|u| u.id == id).map_or(id, |u| u.name.get(lang));
        return format!("{name}: {}", if sv { "median handläggningstid" } else { "median processing time" });
    }
    lang.labels().measure(measure)
}

/// One decimal, with a decimal comma in Swedish.
fn num1(v: f64, lang: Lang) -> String {
    let s = format!("{v:.1}");
    if lang == Lang::Sv { s.replace('.', ",") } else { s }
}

/// A clause: who or what, and what would have happened ("known the fact 3 min sooner").
struct Clause {
    subject: String,
    predicate: String,
}

fn opening(imposed: &Imposed, model: &Model, lang: Lang) -> String {
    match *imposed {
        Imposed::FirstSession { conference, observed_min, model_median_min } => {
            let name = model.conferences.get(conference as usize).map_or("?", |c| c.name.get(lang));
            let (o, m) = (num(observed_min, lang), num(model_median_min, lang));
            match lang {
                Lang::En => format!("Had {name} first met at {o} min instead of {m} (the model's median)"),
                Lang::Sv => {
                    format!("Om {name} hade mötts första gången vid {o} min i stället för {m} (modellens median)")
                }
            }
        }
        Imposed::SlowerUnit { unit, factor } => {
            let name = model.units.get(unit as usize).map_or("?", |u| u.name.get(lang));
            let f = num1(factor, lang);
            match lang {
                Lang::En => format!("With {name} as slow as observed (processing ×{f})"),
                Lang::Sv => format!("Med {name} så långsam som observerat (handläggning ×{f})"),
            }
        }
    }
}

fn imposed_quantity(e: &Effect) -> bool {
    e.measure.starts_with(FIRST_SESSION) || e.measure.starts_with(PROCESSING)
}

/// The measure's clause, or `None` for a measure without words here.
fn time_clause(e: &Effect, lang: Lang) -> Option<Clause> {
    let later = e.difference > 0.0;
    let (amount, range) = (num(e.difference.abs(), lang), range(e, lang));
    let labels = lang.labels();
    let level = |prefix: &str| {
        let name = e.measure.strip_prefix(prefix)?.strip_suffix("_min")?;
        let l = Level::parse(name.trim_end_matches("_median"))?;
        Some(labels.level(l).to_lowercase())
    };
    let (subject, what) = if let Some(l) = level("first_fact_first_") {
        words(
            lang,
            (format!("the first {l} unit"), "known the first fact"),
            (format!("den första enheten på {l} nivå"), "känt till det första beskedet"),
        )
    } else if let Some(l) = level("first_fact_all_") {
        words(
            lang,
            (format!("every {l} unit"), "known the first fact"),
            (format!("varje enhet på {l} nivå"), "känt till det första beskedet"),
        )
    } else if let Some(l) = level("delay_") {
        let (en, sv) = if later { ("longer", "längre") } else { ("shorter", "kortare") };
        let p = match lang {
            Lang::En => format!("been {amount} min {en}{range}"),
            Lang::Sv => format!("varit {amount} min {sv}{range}"),
        };
        let subject = words(
            lang,
            (format!("the median delay at the {l} level"), ""),
            (format!("mediandröjsmålet på {l} nivå"), ""),
        )
        .0;
        return Some(Clause { subject, predicate: p });
    } else {
        let (en, sv) = match e.measure.as_str() {
            "first_any_conference_min" => {
                (("the first session of any conference", "started"), ("det första mötet i någon konferens", "börjat"))
            }
            "first_picture_min" => (
                ("the first joint situation picture", "been published"),
                ("den första gemensamma lägesbilden", "publicerats"),
            ),
            "first_public_message_min" => {
                (("the first public message", "gone out"), ("det första meddelandet till allmänheten", "gått ut"))
            }
            "mean_request_wait_min" => (("requests", "been decided on average"), ("begäranden", "beslutats i medel")),
            _ => return None,
        };
        words(lang, (en.0.to_string(), en.1), (sv.0.to_string(), sv.1))
    };
    let when = match (lang, later) {
        (Lang::En, true) => "later",
        (Lang::En, false) => "sooner",
        (Lang::Sv, true) => "senare",
        (Lang::Sv, false) => "tidigare",
    };
    Some(Clause { subject, predicate: format!("{what} {amount} min {when}{range}") })
}

fn words(lang: Lang, en: (String, &'static str), sv: (String, &'static str)) -> (String, &'static str) {
    match lang {
        Lang::En => en,
        Lang::Sv => sv,
    }
}

fn objective_clause(e: &Effect, model: &Model, lang: Lang) -> Option<Clause> {
    let id = e.measure.strip_prefix(OBJECTIVE)?;
    let o = model.objectives.iter().find(|o| o.id == id)?;
    let name = if o.description.is_empty() { o.id.as_str() } else { o.description.get(lang) };
    let (amount, range) = (num(e.difference.abs(), lang), range(e, lang));
    let up = e.difference > 0.0;
    Some(match lang {
        Lang::En => Clause {
            subject: format!("the probability of meeting “{name}”"),
            predicate: format!("{} by {amount} points{range}", if up { "risen" } else { "fallen" }),
        },
        Lang::Sv => Clause {
            subject: format!("sannolikheten att nå målet ”{name}”"),
            predicate: format!("{} med {amount} procentenheter{range}", if up { "stigit" } else { "sjunkit" }),
        },
    })
}

/// The interval as magnitudes in the direction of the difference, in parentheses
/// (" (31–45)"); nothing when it has no width as written (a deterministic model).
fn range(e: &Effect, lang: Lang) -> String {
    let (lo, hi) = e.interval;
    let (a, b) = if e.difference < 0.0 { (-hi, -lo) } else { (lo, hi) };
    let (a, b) = (num(a, lang), num(b, lang));
    if a == b { String::new() } else { format!(" ({a}–{b})") }
}

/// A number as a reader wants it: whole when it is (nearly) whole or 10 and above, else
/// one decimal; a decimal comma in Swedish; a true minus sign.
pub fn num(v: f64, lang: Lang) -> String {
    let whole = (v - v.round()).abs() < 0.05 || v.abs() >= 9.95;
    let s = if whole { format!("{:.0}", v.abs()) } else { format!("{:.1}", v.abs()) };
    let s = if lang == Lang::Sv { s.replace('.', ",") } else { s };
    if v < 0.0 && s.trim_start_matches(['0', '.', ',']).is_empty() {
        "0".into()
    } else if v < 0.0 {
        format!("−{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well_in_both_languages() {
        assert_eq!(num(67.0, Lang::En), "67");
        assert_eq!(num(3.24, Lang::En), "3.2");
        assert_eq!(num(3.24, Lang::Sv), "3,2");
        assert_eq!(num(38.4, Lang::Sv), "38");
        assert_eq!(num(-2.5, Lang::Sv), "−2,5");
        assert_eq!(num(-0.01, Lang::En), "0");
    }
}
