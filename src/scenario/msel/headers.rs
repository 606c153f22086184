//! The names a header cell may give each MSEL column: samverkan's own, the Swedish ones
//! planners write, and the common HSEEP MSEL headers. Matching ignores case, spaces,
//! `_`, `-` and `.`, so `Expected Action`, `expected_action` and `EXPECTED-ACTION` are one
//! name. The table of names is in docs/msel.md; keep the two together.

use super::COLUMNS;

/// Which names `export` writes in the header row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Headers {
    /// samverkan's column names (`sequence`, `id`, `time`, …).
    #[default]
    English,
    /// The Swedish names (`Nr`, `ID`, `Tid`, …), read back as well as the English ones.
    Swedish,
}

/// The Swedish header of each of [`COLUMNS`], in the same order.
pub const SWEDISH: [&str; 13] = [
    "Nr",
    "ID",
    "Tid",
    "Klocktid",
    "Typ",
    "Leveranssätt",
    "Från",
    "Till",
    "Beskrivning",
    "Förväntad åtgärd",
    "Övningsmål",
    "Allvarlighetsgrad",
    "Aktiv",
];

/// Further names of each column (besides [`COLUMNS`] and [`SWEDISH`]): Swedish variants
/// and the HSEEP MSEL headers.
const ALIASES: [&[&str]; 13] = [
    &["nummer", "löpnummer", "inject #", "inject no", "inject number", "msel #", "event #", "#"],
    &["inject id", "händelse-id"],
    &["scenario time", "designated scenario time", "scenariotid", "övningstid", "offset"],
    &["date/time", "date time", "datum och tid", "datum/tid", "klockslag"],
    &["event type", "type", "injecttyp", "händelsetyp"],
    &["mode of delivery", "delivery", "leveransmetod", "kanal"],
    &["controller responsible", "responsible controller", "sender", "avsändare"],
    &["intended player", "intended players", "player", "recipient", "mottagare"],
    &["event synopsis", "inject", "event synopsis / inject", "synopsis", "event description", "händelse"],
    &["expected player action", "expected actions", "förväntat agerande"],
    &["core capability", "objective / core capability", "exercise objective", "mål"],
    &["allvarlighet", "prioritet", "priority"],
    &["active", "aktiverad"],
];

/// A header cell's text in the form names are compared in.
fn key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        let c = if matches!(c, '_' | '-' | '.') { ' ' } else { c };
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

/// The index in [`COLUMNS`] of the column a header cell names, if any.
pub fn column_of(header: &str) -> Option<usize> {
    let k = key(header);
    if k.is_empty() {
        return None;
    }
    (0..COLUMNS.len()).find(|&c| key(COLUMNS[c]) == k || key(SWEDISH[c]) == k || ALIASES[c].iter().any(|a| key(a) == k))
}

/// The language of a table's texts, told by the header of its `description` column:
/// Swedish when it is Swedish (`Beskrivning`, `Händelse`), English otherwise. A
/// Swedish table's descriptions are the injects' `description_sv` (see `apply.rs`).
pub fn language_of(description_header: &str) -> Headers {
    let k = key(description_header);
    if k == key(SWEDISH[8]) || k == key("händelse") { Headers::Swedish } else { Headers::English }
}

/// The header row `export` writes.
pub fn header_row(headers: Headers) -> [&'static str; 13] {
    match headers {
        Headers::English => COLUMNS.try_into().expect("13 columns"),
        Headers::Swedish => SWEDISH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_finds_its_column_and_no_name_two() {
        for c in 0..COLUMNS.len() {
            assert_eq!(column_of(COLUMNS[c]), Some(c));
            assert_eq!(column_of(&SWEDISH[c].to_uppercase()), Some(c), "{}", SWEDISH[c]);
            for a in ALIASES[c] {
                assert_eq!(column_of(a), Some(c), "{a}");
            }
        }
        let mut all: Vec<(String, usize)> = vec![];
        for c in 0..COLUMNS.len() {
            all.extend([COLUMNS[c], SWEDISH[c]].iter().chain(ALIASES[c]).map(|n| (key(n), c)));
        }
        all.sort();
        all.dedup();
        for pair in all.windows(2) {
            assert_ne!(pair[0].0, pair[1].0, "a name is given to two columns");
        }
        assert_eq!(column_of(" Expected_Player-Action "), Some(9));
        assert_eq!(column_of("FÖRVÄNTAD ÅTGÄRD"), Some(9));
        assert_eq!(column_of("Controller"), None);
        assert_eq!(column_of(""), None);
        assert_eq!(language_of(" beskrivning "), Headers::Swedish);
        assert_eq!(language_of("Händelse"), Headers::Swedish);
        assert_eq!(language_of("description"), Headers::English);
        assert_eq!(language_of("Event Synopsis"), Headers::English);
    }
}
