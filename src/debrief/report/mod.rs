//! `debrief.html`, the exercise debrief as an HSEEP After-Action Report / Improvement
//! Plan, with its two charts and `improvement-plan.xlsx`:
//!
//! - [`write()`] writes everything into a folder, file by file, atomically.
//! - [`page`] builds the HTML page (seven sections: overview, objectives, analysis per
//!   level, strengths and areas for improvement, what it would have meant, the
//!   improvement plan, all observations with `#row-N` anchors).
//! - [`charts`] draws the observed times over the simulated distributions and the
//!   key-fact timeline (PNG and SVG, the run report's look and embedded font).
//! - [`plan`] derives strengths and areas for improvement from the largest deviations
//!   and writes the improvement plan as a workbook.
//! - [`text`] holds the words in English and Swedish and the number formats.
//!
//! The page is self-contained: styles and charts inline, no scripts, nothing fetched.

pub mod charts;
pub mod page;
pub mod plan;
pub mod text;

use super::{Debrief, Placed, Subject};
use crate::model::{Model, UnitIdx};
use crate::output::{OutputError, write_atomic};
use crate::report::Lang;
use crate::report::style::{self, Chart, Picture};
use crate::vocabulary::Level;
use std::path::{Path, PathBuf};
use text::Text;

/// The report's file name.
pub const HTML: &str = "debrief.html";
/// The improvement plan as a workbook.
pub const PLAN: &str = "improvement-plan.xlsx";
/// The folder of the chart files.
pub const CHART_DIR: &str = "charts";
/// The chart file stems, in report order.
pub const CHARTS: [&str; 2] = ["debrief-observed", "debrief-timeline"];

#[derive(Debug, thiserror::Error)]
pub enum DebriefReportError {
    #[error("drawing the {chart} chart: {reason}")]
    Draw { chart: String, reason: String },
    #[error("writing {PLAN}: {0}")]
    Workbook(#[source] rust_xlsxwriter::XlsxError),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Writes `debrief.html`, `improvement-plan.xlsx` and the charts (`charts/*.png|svg`)
/// into `dir` (which must exist), each file atomically; returns the files written.
pub fn write(dir: &Path, d: &Debrief, model: &Model, lang: Lang) -> Result<Vec<PathBuf>, DebriefReportError> {
    let charts = draw_charts(d, model, lang)?;
    let out = crate::output::subdir(dir, CHART_DIR)?;
    let mut written = Vec::new();
    for (name, picture) in &charts {
        let png = out.join(format!("{name}.png"));
        let svg = out.join(format!("{name}.svg"));
        write_atomic(&png, &picture.png)?;
        write_atomic(&svg, picture.svg.as_bytes())?;
        written.extend([png, svg]);
    }
    let rows = plan::plan_rows(d, model, lang);
    let book = plan::workbook(&rows, lang).map_err(DebriefReportError::Workbook)?;
    let path = dir.join(PLAN);
    write_atomic(&path, &book)?;
    written.push(path);
    let html = page::page(d, model, lang, &charts);
    let path = dir.join(HTML);
    write_atomic(&path, html.as_bytes())?;
    written.push(path);
    Ok(written)
}

/// The two charts, by file stem.
pub fn draw_charts(d: &Debrief, model: &Model, lang: Lang) -> Result<Vec<(&'static str, Picture)>, DebriefReportError> {
    Ok(vec![
        (CHARTS[0], draw(CHARTS[0], &charts::Observed::new(d, model, lang))?),
        (CHARTS[1], draw(CHARTS[1], &charts::KeyFacts::new(d, model, lang))?),
    ])
}

fn draw(name: &str, chart: &impl Chart) -> Result<Picture, DebriefReportError> {
    style::render(chart).map_err(|e| DebriefReportError::Draw { chart: name.into(), reason: e.0 })
}

/// A unit by its name and its organisation's: "Rescue chief on duty, Brandkåren Attunda".
pub fn unit_label(model: &Model, unit: UnitIdx) -> String {
    let u = &model.units[unit as usize];
    format!("{}, {}", u.name, model.orgs[u.org as usize].name)
}

/// What an observation is about, by name: a conference's name, or the fact's id.
pub fn subject_label(model: &Model, subject: Option<&Subject>) -> String {
    match subject {
        Some(Subject::Fact(f)) => f.clone(),
        Some(Subject::Conference(c)) => {
            model.conferences.get(*c as usize).map_or_else(|| format!("#{c}"), |c| c.name.to_string())
        }
        None => String::new(),
    }
}

/// The level an observation belongs to: the conference's for conference events, the
/// unit's otherwise.
pub fn level_of(model: &Model, p: &Placed) -> Level {
    let o = &p.observation;
    match (&o.subject, o.event.is_conference()) {
        (Some(Subject::Conference(c)), true) if (*c as usize) < model.conferences.len() => {
            model.conferences[*c as usize].level
        }
        _ => model.units[o.unit as usize].level,
    }
}

/// "knew alarm", "conference started Regional samverkanskonferens".
pub fn what(p: &Placed, model: &Model, t: &Text) -> String {
    let s = subject_label(model, p.observation.subject.as_ref());
    if s.is_empty() {
        t.event(p.observation.event).to_string()
    } else {
        format!("{} {s}", t.event(p.observation.event))
    }
}
