//! Strengths and areas for improvement, derived from the largest deviations, and the
//! improvement plan (one row per area) as a table and as `improvement-plan.xlsx`.
//!
//! Areas for improvement: `slower` observations, by how far they fall beyond the
//! model's 90th percentile (largest first), then objectives rated M or U. Strengths:
//! `faster` observations, by how far before the 10th percentile, then objectives rated
//! P that the model met in fewer than half of its runs.

use super::text::{self, Text};
use super::{unit_label, what};
use crate::debrief::{Debrief, ObjectiveRating, Placed, Rating, Verdict, responsible};
use crate::model::Model;
use crate::report::Lang;
use crate::report::i18n::fill;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};

/// At most this many observations are listed as strengths, and as areas.
pub const MAX_ROWS: usize = 12;

/// A strength or an area for improvement: what it says and the log rows it rests on.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub text: String,
    pub rows: Vec<u64>,
    /// Names of the organisations the rows' units belong to.
    pub orgs: Vec<String>,
}

/// A row of the improvement plan; recommendation and date are left for the analyst.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    pub observation: String,
    pub recommendation: String,
    pub responsible: String,
    pub date: String,
    pub rows: Vec<u64>,
}

/// Minutes beyond the model's 90th percentile (slower) or before its 10th (faster).
pub fn excess(p: &Placed) -> f64 {
    match p.verdict {
        Verdict::Slower => p.observed_min - p.spread.p90.unwrap_or(p.observed_min),
        Verdict::Faster => p.spread.p10.unwrap_or(p.observed_min) - p.observed_min,
        _ => 0.0,
    }
}

fn largest(d: &Debrief, verdict: Verdict) -> Vec<&Placed> {
    let mut v: Vec<&Placed> = d.placed.iter().filter(|p| p.verdict == verdict).collect();
    v.sort_by(|a, b| excess(b).total_cmp(&excess(a)).then(a.observation.row.cmp(&b.observation.row)));
    v.truncate(MAX_ROWS);
    v
}

fn row_finding(p: &Placed, model: &Model, lang: Lang) -> Finding {
    let t = Text::of(lang);
    let (template, bound) = match p.verdict {
        Verdict::Faster => (t.faster_item, p.spread.p10),
        _ => (t.slower_item, p.spread.p90),
    };
    let o = &p.observation;
    let text = fill(
        template,
        &[
            &unit_label(model, o.unit),
            &what(p, model, t),
            &text::clock(model, p.observed_min, lang),
            &text::minutes(p.observed_min, lang),
            &text::minutes(excess(p), lang),
            &bound.map_or(String::new(), |b| text::minutes(b, lang)),
        ],
    );
    let org = model.orgs[responsible(model, o.unit) as usize].name.get(lang).to_string();
    Finding { text, rows: vec![o.row], orgs: vec![org] }
}

fn objective_finding(o: &ObjectiveRating, d: &Debrief, model: &Model, lang: Lang) -> Finding {
    let t = Text::of(lang);
    let (letter, words) = t.rating(o.rating);
    let text = fill(t.objective_item, &[&o.id, &o.description, &format!("{words} ({letter})")]);
    let mut orgs: Vec<String> = Vec::new();
    for row in &o.rows {
        if let Some(p) = d.placed.iter().find(|p| p.observation.row == *row) {
            let name = model.orgs[responsible(model, p.observation.unit) as usize].name.get(lang);
            if !orgs.iter().any(|o| o == name) {
                orgs.push(name.to_string());
            }
        }
    }
    Finding { text, rows: o.rows.clone(), orgs }
}

/// Areas for improvement, most serious first.
pub fn areas(d: &Debrief, model: &Model, lang: Lang) -> Vec<Finding> {
    let mut out: Vec<Finding> = largest(d, Verdict::Slower).into_iter().map(|p| row_finding(p, model, lang)).collect();
    for o in d.objectives.iter().filter(|o| matches!(o.rating, Rating::Unable | Rating::MajorChallenges)) {
        out.push(objective_finding(o, d, model, lang));
    }
    out
}

/// Strengths, most marked first.
pub fn strengths(d: &Debrief, model: &Model, lang: Lang) -> Vec<Finding> {
    let t = Text::of(lang);
    let mut out: Vec<Finding> = largest(d, Verdict::Faster).into_iter().map(|p| row_finding(p, model, lang)).collect();
    for o in d.objectives.iter().filter(|o| o.rating == Rating::WithoutChallenges && o.model_probability < 0.5) {
        let mut f = objective_finding(o, d, model, lang);
        f.text = fill(t.unlikely_item, &[&f.text, &text::percent(o.model_probability, lang)]);
        out.push(f);
    }
    out
}

/// The improvement plan: one row per area for improvement.
pub fn plan_rows(d: &Debrief, model: &Model, lang: Lang) -> Vec<PlanRow> {
    areas(d, model, lang)
        .into_iter()
        .map(|f| PlanRow {
            observation: f.text,
            recommendation: String::new(),
            responsible: f.orgs.join(", "),
            date: String::new(),
            rows: f.rows,
        })
        .collect()
}

/// The creation date written into the workbook (so that its bytes do not depend on when
/// it was made), as in results.xlsx.
const CREATED: (u16, u8, u8) = crate::report::workbook::CREATED;

/// `improvement-plan.xlsx`: one sheet in `lang`, a bold frozen header, wide wrapped
/// columns, blank cells for the analyst.
pub fn workbook(rows: &[PlanRow], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = Text::of(lang);
    let mut book = Workbook::new();
    let (y, m, d) = CREATED;
    let props = DocProperties::new().set_title(t.plan_sheet).set_creation_datetime(&ExcelDateTime::from_ymd(y, m, d)?);
    book.set_properties(&props);
    let header = Format::new().set_bold().set_border_bottom(FormatBorder::Thin).set_text_wrap();
    let wrap = Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(t.plan_sheet))?;
    for (c, (head, width)) in t.plan_head.iter().zip([70.0, 50.0, 34.0, 14.0]).enumerate() {
        ws.write_string_with_format(0, c as u16, *head, &header)?;
        ws.set_column_width(c as u16, width)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let at = r as u32 + 1;
        for (c, cell) in [&row.observation, &row.recommendation, &row.responsible, &row.date].into_iter().enumerate() {
            ws.write_string_with_format(at, c as u16, cell.as_str(), &wrap)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape().set_repeat_rows(0, 0)?;
    book.save_to_buffer()
}

/// A sheet name Excel accepts (at most 31 characters, none of `[]:*?/\`).
fn sheet_name(s: &str) -> String {
    s.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}
