//! Charts and the debrief report. Everything here reads the files a run or a batch
//! wrote (never the in-memory records), so what a chart shows can be checked in a CSV:
//!
//! - [`render_run`]: from a run folder, five charts (information timeline, where the
//!   time went, bottlenecks, resources, structure) as PNG and SVG in `charts/`, and
//!   `report.html`.
//! - [`render_batch`]: from a batch folder, four charts (delay distributions, variant
//!   comparison, objectives, and with a sweep or design the sweep chart, or the
//!   partial-dependence chart when the design points are not a grid), the
//!   tornado chart when it has `sensitivity.csv` ([`tornado`], [`sensitivity`]), and
//!   `report.html`.
//! - [`render`]: whichever of the two the folder holds.
//!
//! Both also write `results.xlsx`, the folder's tables as one workbook ([`workbook`]).
//!
//! `report.html` is one self-contained file (SVG inline, no network access), in
//! English or Swedish ([`Lang`]). Charts use the embedded DejaVu Sans font and the
//! Okabe–Ito palette ([`style`]).

pub mod batch_data;
pub mod bitmap;
pub mod bottlenecks;
pub mod clock;
pub mod comma;
pub mod compare;
pub mod delays;
mod design;
pub mod distributions;
pub mod files;
pub mod findings;
pub mod frame;
pub mod html;
pub mod i18n;
pub mod map;
pub mod map_county;
pub mod map_data;
pub mod map_table;
pub mod milestones;
pub mod names;
pub mod objectives;
pub mod partial;
pub mod resources;
pub mod run_data;
pub mod sensitivity;
pub mod structure;
pub mod style;
pub mod sweep;
pub mod table;
pub mod timeline;
pub mod tornado;
pub mod workbook;

pub use i18n::Lang;

use crate::geo::knowing::Division;
use crate::output::{OutputError, write_atomic};
use batch_data::BatchData;
use run_data::RunData;
use std::path::{Path, PathBuf};
use style::{Chart, Picture};

/// The folder (inside the results folder) that holds the chart files.
pub const CHART_DIR: &str = "charts";
pub const REPORT: &str = "report.html";

/// The charts of a run, in report order (file stems).
pub const RUN_CHARTS: [&str; 5] = ["timeline", "delays", "bottlenecks", "resources", "structure"];
/// The charts of a batch, in report order (file stems); `sweep` only for a batch with a
/// sweep or design (see [`sweep::applies`]).
pub const BATCH_CHARTS: [&str; 4] = ["distributions", "compare", "objectives", "sweep"];
/// The chart of a batch with `sensitivity.csv` (after the others).
pub const SENSITIVITY_CHART: &str = "tornado";

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}: missing; is this a folder written by `samverkan run` or `samverkan batch`?")]
    Missing(String),
    #[error("{path}:{line}: {reason}")]
    Bad { path: String, line: u64, reason: String },
    #[error("{path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// The cause's message.
        reason: String,
        /// The underlying error.
        #[source]
        source: crate::output::Cause,
    },
    #[error("{0}: neither a run folder (summary.json) nor a batch folder (runs.csv and stats.csv)")]
    NotResults(String),
    /// A batch folder whose batch has not finished, or a run stopped by a guard.
    #[error("{dir}: {what}; there is nothing complete to draw")]
    Unfinished { dir: String, what: String },
    #[error("drawing the {chart} chart: {reason}")]
    Draw { chart: String, reason: String },
    #[error("writing results.xlsx: {0}")]
    Workbook(#[source] rust_xlsxwriter::XlsxError),
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl ReportError {
    /// Reading `path` failed because of `e` (an error, or a message).
    pub fn read(path: &Path, e: impl Into<crate::output::Cause>) -> ReportError {
        let source = e.into();
        ReportError::Read { path: path.display().to_string(), reason: source.to_string(), source }
    }

    /// Whether the folder's contents are at fault (rather than drawing or writing).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ReportError::Missing(_)
                | ReportError::Bad { .. }
                | ReportError::Read { .. }
                | ReportError::NotResults(_)
                | ReportError::Unfinished { .. }
        ) || matches!(self, ReportError::Output(e) if e.is_bad_input())
    }
}

/// What kind of results a folder holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Run,
    Batch,
}

pub fn kind_of(dir: &Path) -> Result<Kind, ReportError> {
    if dir.join(files::batch::RUNS).is_file() || dir.join(files::batch::MANIFEST).is_file() {
        Ok(Kind::Batch)
    } else if dir.join(files::run::SUMMARY).is_file() {
        Ok(Kind::Run)
    } else if dir.join(crate::output::run::STOPPED).is_file() {
        Err(unfinished(dir, "the run was stopped by a guard (see stopped.json)".into()))
    } else {
        Err(ReportError::NotResults(dir.display().to_string()))
    }
}

fn unfinished(dir: &Path, what: String) -> ReportError {
    ReportError::Unfinished { dir: dir.display().to_string(), what }
}

/// Renders whatever `dir` holds, under the folder's lock; returns the files written.
pub fn render(dir: &Path, lang: Lang) -> Result<Vec<PathBuf>, ReportError> {
    let kind = kind_of(dir)?;
    let _lock = crate::output::lock_dir(dir, crate::output::Access::Write)?;
    match kind {
        Kind::Run => render_run(dir, lang),
        Kind::Batch => {
            if let Ok(m) = crate::batch::manifest::Manifest::read(dir)
                && m.status != crate::batch::manifest::FINISHED
            {
                return Err(unfinished(
                    dir,
                    format!(
                        "its batch is {}, not finished; continue it with the command that started it and \
                         --resume (it draws the report at the end)",
                        m.status
                    ),
                ));
            }
            render_batch(dir, lang)
        }
    }
}

/// A rendered chart with its file stem.
pub struct Rendered {
    pub name: &'static str,
    pub picture: Picture,
}

fn draw(name: &'static str, chart: &impl Chart) -> Result<Rendered, ReportError> {
    let picture = style::render(chart).map_err(|e| ReportError::Draw { chart: name.into(), reason: e.0 })?;
    Ok(Rendered { name, picture })
}

/// The five run charts, drawn from the run's files.
pub fn run_charts(d: &RunData, lang: Lang) -> Result<Vec<Rendered>, ReportError> {
    let t = lang.labels();
    let s = &d.summary;
    let end = s.duration_min;
    Ok(vec![
        draw("timeline", &timeline::Timeline::new(&d.levels, &d.conferences, &s.start, end, t))?,
        draw("delays", &delays::Delays::new(&d.facts, t))?,
        draw("bottlenecks", &bottlenecks::Bottlenecks::new(&d.messages, end, &s.start, t))?,
        draw("resources", &resources::Resources::new(&d.resources, &d.requests, end, &s.start, t))?,
        draw("structure", &structure::Structure::new(&d.units, &d.messages, t))?,
    ])
}

/// The batch charts, drawn from the batch's files: with a sweep or design of two or more
/// points ([`sweep::applies`]), the sweep chart when the points form a grid, else the
/// partial-dependence chart ([`partial`]).
pub fn batch_charts(d: &BatchData, lang: Lang) -> Result<Vec<Rendered>, ReportError> {
    let t = lang.labels();
    let mut charts = vec![
        draw("distributions", &distributions::Distributions::new(d, t))?,
        draw("compare", &compare::Compare::new(d, t))?,
        draw("objectives", &objectives::Objectives::new(d, t))?,
    ];
    // A grid of design points: the sweep chart; scattered points: partial dependence.
    if sweep::applies(d) && design::is_grid(d) {
        charts.push(draw("sweep", &sweep::Sweep::new(d, t))?);
    } else if sweep::applies(d) {
        charts.push(draw(partial::NAME, &partial::PartialDependence::new(d, t))?);
    }
    if let Some(rows) = &d.sensitivity {
        charts.push(draw(SENSITIVITY_CHART, &tornado::Tornado::new(rows, d.base(), lang))?);
    }
    Ok(charts)
}

/// Writes the charts of a run folder, its `results.xlsx` and its `report.html`; returns
/// the files written.
pub fn render_run(dir: &Path, lang: Lang) -> Result<Vec<PathBuf>, ReportError> {
    let mut data = RunData::read(dir)?;
    let scenario_names = names::Names::read_run(dir)?;
    names::relabel_run(&mut data, &scenario_names, lang);
    let mut charts = run_charts(&data, lang)?;
    let mut maps = vec![];
    for division in Division::ALL {
        let mut map = map_data::read_run_of(dir, &data.summary.start, division)?;
        if let Some(m) = &mut map {
            names::relabel_map(m, &scenario_names, lang);
        }
        add_map(dir, &mut charts, (division, map), &mut maps, lang)?;
    }
    let mut written = write_charts(dir, &charts)?;
    written.push(workbook::write_run(dir)?);
    let page = html::run_page(dir, &data, &charts, &maps, lang);
    written.push(write_report(dir, &page)?);
    Ok(written)
}

/// Writes the charts of a batch folder, its `results.xlsx` and its `report.html`;
/// returns the files written.
pub fn render_batch(dir: &Path, lang: Lang) -> Result<Vec<PathBuf>, ReportError> {
    let mut data = BatchData::read(dir)?;
    let scenario_names = names::Names::for_batch(dir, &data.manifest);
    names::relabel_batch(&mut data, &scenario_names, lang);
    let mut charts = batch_charts(&data, lang)?;
    let start = data.starts.iter().find(|(v, _)| *v == data.base()).or(data.starts.first()).map(|(_, s)| s.as_str());
    let mut maps = vec![];
    for division in Division::ALL {
        let at = (data.first_point(), data.base());
        let mut map = map_data::read_batch_of(dir, at, start.unwrap_or_default(), division)?;
        if let Some(m) = &mut map {
            names::relabel_map(m, &scenario_names, lang);
        }
        add_map(dir, &mut charts, (division, map), &mut maps, lang)?;
    }
    remove_stale(dir, &charts)?;
    let mut written = write_charts(dir, &charts)?;
    written.push(workbook::write_batch(dir)?);
    let page = html::batch_page(dir, &data, &charts, &maps, lang);
    written.push(write_report(dir, &page)?);
    Ok(written)
}

/// Draws the map of `division` when there is one to draw (and keeps its data in
/// `maps` for the table beside it), or removes a map left from an earlier rendering (no
/// empty chart files).
fn add_map(
    dir: &Path,
    charts: &mut Vec<Rendered>,
    (division, map): (Division, Option<map_data::MapData>),
    maps: &mut Vec<map_data::MapData>,
    lang: Lang,
) -> Result<(), ReportError> {
    match map {
        Some(m) => {
            charts.push(draw(division.chart(), &map::Map::new(&m, lang.labels()))?);
            maps.push(m);
        }
        None => remove_pictures(dir, division.chart())?,
    }
    Ok(())
}

fn write_charts(dir: &Path, charts: &[Rendered]) -> Result<Vec<PathBuf>, ReportError> {
    let out = crate::output::subdir(dir, CHART_DIR)?;
    let mut written = Vec::new();
    for c in charts {
        let png = out.join(format!("{}.png", c.name));
        let svg = out.join(format!("{}.svg", c.name));
        write_atomic(&png, &c.picture.png)?;
        write_atomic(&svg, c.picture.svg.as_bytes())?;
        written.extend([png, svg]);
    }
    Ok(written)
}

/// Removes the pictures of batch charts not drawn this time (a sweep chart left from an
/// earlier rendering), so that the folder holds no chart the report does not show.
fn remove_stale(dir: &Path, charts: &[Rendered]) -> Result<(), ReportError> {
    let all = BATCH_CHARTS.iter().chain([&SENSITIVITY_CHART, &partial::NAME]);
    for name in all.filter(|n| !charts.iter().any(|c| c.name == **n)) {
        remove_pictures(dir, name)?;
    }
    Ok(())
}

/// Removes `charts/<name>.png` and `.svg` if they exist.
fn remove_pictures(dir: &Path, name: &str) -> Result<(), ReportError> {
    for ext in ["png", "svg"] {
        let path = dir.join(CHART_DIR).join(format!("{name}.{ext}"));
        if path.is_file() {
            std::fs::remove_file(&path).map_err(|e| OutputError::io(&path, e))?;
        }
    }
    Ok(())
}

fn write_report(dir: &Path, page: &str) -> Result<PathBuf, ReportError> {
    let path = dir.join(REPORT);
    write_atomic(&path, page.as_bytes())?;
    Ok(path)
}
