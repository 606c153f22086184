//! The table beside a map in `report.html`: per municipality (or county) its name, code, time in
//! minutes and on the scenario's clock (a batch: median with p10–p90 and the share of
//! runs that knew).

use super::html::esc;
use super::i18n::Labels;
use super::map_data::{Area, MapData, clock, dec, labels_for};
use std::fmt::Write;

/// Rows above which the table scrolls in a box about as tall as the map.
const TALL: usize = 30;

/// The table as HTML (a note and a `<table>`).
pub fn html(m: &MapData, t: &Labels) -> String {
    let l = labels_for(t, m.division);
    let mut out = String::new();
    let batch = m.runs.is_some();
    let note = if batch { l.table_note_batch } else { l.table_note_run };
    // A long table (Sweden's 290 municipalities) scrolls beside its map instead of
    // running on for pages.
    let tall = if m.areas.len() > TALL { " style=\"max-height:760px;overflow-y:auto\"" } else { "" };
    let _ = write!(
        out,
        "<p class=\"note\">{}</p><table{tall}><tr><th>{}</th><th>{}</th>",
        esc(note),
        l.municipality,
        l.code
    );
    if batch {
        let _ = write!(out, "<th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>", l.median, l.clock, l.p10_p90, l.knew);
    } else {
        let _ = write!(out, "<th>{}</th><th>{}</th></tr>", l.time, l.clock);
    }
    let mut areas: Vec<&Area> = m.areas.iter().collect();
    areas.sort_by(|a, b| {
        let key = |x: &Area| x.minutes.unwrap_or(f64::INFINITY);
        key(a).total_cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
    });
    for a in areas {
        let _ = write!(out, "<tr><td>{}</td><td>{}</td>", esc(&a.name), esc(&a.code));
        let never = if a.no_unit { l.no_unit } else { t.never };
        let (min, at) = match a.minutes {
            Some(v) => (dec(v, t), clock(t, &m.start, v)),
            None => (never.to_string(), String::new()),
        };
        let _ = write!(out, "<td class=\"num\">{}</td><td>{}</td>", esc(&min), esc(&at));
        if let Some((p10, p90, share, _)) = a.spread {
            let q = |v: Option<f64>| v.map_or(t.never.to_string(), |v| dec(v, t));
            let _ = write!(
                out,
                "<td class=\"num\">{}–{}</td><td class=\"num\">{} %</td>",
                esc(&q(p10)),
                esc(&q(p90)),
                dec(100.0 * share, t)
            );
        }
        let _ = write!(out, "</tr>");
    }
    out.push_str("</table>");
    out
}
