//! The milestones table of a report: the instants of a run (first conference, first
//! joint situational picture, first public message, the scenario's end) in minutes from
//! the start and on the scenario's local clock ("64.4 min (Fri 15:57)"); for a batch,
//! each variant's median instant over its runs, on that variant's clock (a variant may
//! move the start). Durations (delays, waits) are not here: a median delay is a length
//! of time, not a clock time.

use super::batch_data::BatchData;
use super::clock::Clock;
use super::html::esc;
use super::i18n::Labels;
use super::run_data::RunData;
use std::fmt::Write;

/// The headline measures that are instants (minutes from the scenario start).
pub const INSTANTS: [&str; 3] = ["first_any_conference_min", "first_picture_min", "first_public_message_min"];

/// Objective measures (`measure` in summary.json) whose value is an instant, not a
/// delay since a fact arose.
pub const INSTANT_OBJECTIVES: [&str; 3] = ["first_conference", "first_picture", "unit_activated"];

/// Whether an objective's measured value is an instant (minutes from the start).
pub fn is_instant_objective(measure: &str) -> bool {
    INSTANT_OBJECTIVES.contains(&measure)
}

/// The run's milestones: (measure name, cell), the cell "never" when it did not happen.
pub fn run_rows(d: &RunData, t: &'static Labels) -> Vec<(String, String)> {
    let s = &d.summary;
    let clock = Clock::new(&s.start, t);
    let json = serde_json::to_value(&s.measures).unwrap_or_default();
    let mut rows: Vec<(String, String)> = INSTANTS
        .iter()
        .map(|m| {
            let cell = json[*m].as_f64().map_or(t.never.to_string(), |v| clock.with_minutes(v));
            (t.measure(m), cell)
        })
        .collect();
    rows.push((t.clock().end.to_string(), clock.with_minutes(s.duration_min)));
    rows
}

/// The run report's milestones section.
pub fn run_section(d: &RunData, t: &'static Labels) -> String {
    let c = t.clock();
    let mut out = format!(
        "<section id=\"milestones\"><h2>{}</h2><p class=\"note\">{}</p><table><tr><th></th><th>{}</th></tr>",
        c.milestones, c.milestones_note, c.when
    );
    for (k, v) in run_rows(d, t) {
        let _ = write!(out, "<tr><th>{}</th><td class=\"num\">{}</td></tr>", esc(&k), esc(&v));
    }
    out.push_str("</table></section>\n");
    out
}

/// The batch's milestones: per instant measure, per variant (in `d.variants` order) the
/// median over the runs of the first design point with its clock time on the variant's
/// clock; `None` where stats.csv has no median.
pub fn batch_rows(d: &BatchData, t: &'static Labels) -> Vec<(String, Vec<Option<String>>)> {
    let p0 = d.first_point();
    INSTANTS
        .iter()
        .map(|m| {
            let cells = d
                .variants
                .iter()
                .map(|v| {
                    let median = d.stat(p0, v, m)?.box5?[2];
                    let start = d.starts.iter().find(|(name, _)| name == v).map_or("", |(_, s)| s.as_str());
                    Some(Clock::new(start, t).with_minutes(median))
                })
                .collect();
            (t.measure(m), cells)
        })
        .collect()
}

/// The batch report's milestones section (nothing when no variant has a milestone).
pub fn batch_section(d: &BatchData, t: &'static Labels) -> String {
    let rows = batch_rows(d, t);
    if rows.iter().all(|(_, cells)| cells.iter().all(Option::is_none)) {
        return String::new();
    }
    let c = t.clock();
    let mut out = format!(
        "<section id=\"milestones\"><h2>{}</h2><p class=\"note\">{}</p><table><tr><th></th>",
        c.milestones, c.milestones_note_batch
    );
    for v in &d.variants {
        let _ = write!(out, "<th>{}</th>", esc(&d.variant_label(v)));
    }
    out.push_str("</tr>");
    for (k, cells) in rows {
        let _ = write!(out, "<tr><th>{}</th>", esc(&k));
        for cell in cells {
            let _ = write!(out, "<td class=\"num\">{}</td>", esc(cell.as_deref().unwrap_or("–")));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table></section>\n");
    out
}
