//! The sensitivity part of a batch report, read from `sensitivity.csv`
//! ([`crate::sensitivity`]): the panels of the tornado chart ([`super::tornado`]) and
//! the table in `report.html`. Only the base's indices are shown; the file holds every
//! variant's.

use super::ReportError;
use super::html::esc;
use super::i18n::Lang;
use super::table::CsvTable;
use crate::sensitivity::{COLUMNS, FILE};
use std::fmt::Write;
use std::path::Path;

/// Most panels the chart draws.
pub const MAX_PANELS: usize = 6;

/// One row of `sensitivity.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexRow {
    pub variant: String,
    pub output: String,
    pub objective: bool,
    pub parameter: String,
    /// `first_order`, `total`, `mu_star` or `sigma`.
    pub index: String,
    pub estimate: Option<f64>,
    pub ci: Option<(f64, f64)>,
}

/// Reads `sensitivity.csv` if the folder has one.
pub fn read(dir: &Path) -> Result<Option<Vec<IndexRow>>, ReportError> {
    let path = dir.join(FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let t = CsvTable::read(&path)?;
    let c: Vec<usize> = COLUMNS.iter().map(|name| t.col(name)).collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(t.len());
    for r in 0..t.len() {
        let (lo, hi) = (t.opt_num(r, c[7])?, t.opt_num(r, c[8])?);
        out.push(IndexRow {
            variant: t.str(r, c[0]).to_string(),
            output: t.str(r, c[1]).to_string(),
            objective: t.str(r, c[2]) == "objective",
            parameter: t.str(r, c[3]).to_string(),
            index: t.str(r, c[5]).to_string(),
            estimate: t.opt_num(r, c[6])?,
            ci: lo.zip(hi),
        });
    }
    Ok(Some(out))
}

/// Whether the indices are Sobol's (else Morris's).
pub fn is_sobol(rows: &[IndexRow]) -> bool {
    rows.iter().any(|r| r.index == "total")
}

/// One parameter's bar: the main index (ST or μ*) and, for Sobol, S1 inside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub parameter: String,
    pub main: f64,
    pub main_ci: Option<(f64, f64)>,
    pub inner: Option<f64>,
    pub inner_ci: Option<(f64, f64)>,
}

/// One output's bars, longest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub output: String,
    pub objective: bool,
    pub bars: Vec<Bar>,
}

/// The base's panels: objectives first, then measures (file order), skipping outputs
/// without indices; at most [`MAX_PANELS`].
pub fn panels(rows: &[IndexRow], base: &str) -> Vec<Panel> {
    let (main, inner) = if is_sobol(rows) { ("total", Some("first_order")) } else { ("mu_star", None) };
    let mut out: Vec<Panel> = Vec::new();
    for r in rows.iter().filter(|r| r.variant == base && r.index == main) {
        let Some(value) = r.estimate else { continue };
        let find = |name: &str| {
            rows.iter()
                .find(|q| q.variant == base && q.output == r.output && q.parameter == r.parameter && q.index == name)
        };
        let inner_row = inner.and_then(find);
        let bar = Bar {
            parameter: r.parameter.clone(),
            main: value,
            main_ci: r.ci,
            inner: inner_row.and_then(|q| q.estimate),
            inner_ci: inner_row.and_then(|q| q.ci),
        };
        match out.iter_mut().find(|p| p.output == r.output) {
            Some(p) => p.bars.push(bar),
            None => out.push(Panel { output: r.output.clone(), objective: r.objective, bars: vec![bar] }),
        }
    }
    out.sort_by_key(|p| !p.objective);
    out.truncate(MAX_PANELS);
    for p in &mut out {
        p.bars.sort_by(|a, b| b.main.total_cmp(&a.main));
    }
    out
}

fn cell(v: Option<f64>, ci: Option<(f64, f64)>, lang: Lang) -> String {
    let v = v.map_or("–".to_string(), |v| three(v, lang));
    match ci {
        // A semicolon between the bounds where the decimal mark is a comma.
        Some((a, b)) => {
            let sep = if lang == Lang::Sv { "; " } else { ", " };
            format!("{v} <span class=\"ci\">[{}{sep}{}]</span>", three(a, lang), three(b, lang))
        }
        None => v,
    }
}

/// Three decimals, a minus sign only for a value that shows one (no "-0.000"), a
/// decimal comma in Swedish.
fn three(v: f64, lang: Lang) -> String {
    let s = format!("{:.3}", v.abs());
    let s = if lang == Lang::Sv { s.replace('.', ",") } else { s };
    if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') { format!("−{s}") } else { s }
}

/// The report's section: a table of the base's indices for every output that has any.
pub fn section(rows: &[IndexRow], base: &str, lang: Lang) -> String {
    let s = lang.sensitivity();
    let sobol = is_sobol(rows);
    let (a, b, note) = if sobol { ("first_order", "total", s.note_sobol) } else { ("mu_star", "sigma", s.note_morris) };
    let (ha, hb) = if sobol { (s.first_order, s.total) } else { (s.mu_star, s.sigma) };
    let mut out = String::new();
    let _ = write!(
        out,
        "<section id=\"sensitivity\"><h2>{}</h2><p class=\"note\">{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        s.heading,
        esc(note),
        s.output,
        s.parameter,
        esc(ha),
        esc(hb)
    );
    for r in rows.iter().filter(|r| r.variant == base && r.index == a && r.estimate.is_some()) {
        let other = rows
            .iter()
            .find(|q| q.variant == base && q.output == r.output && q.parameter == r.parameter && q.index == b);
        let output = if r.objective {
            format!("{} {}", s.probability_of, esc(&r.output))
        } else {
            esc(&lang.labels().measure(&r.output))
        };
        let _ = write!(
            out,
            "<tr><td>{output}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.parameter),
            cell(r.estimate, r.ci, lang),
            cell(other.and_then(|q| q.estimate), other.and_then(|q| q.ci), lang)
        );
    }
    let _ = writeln!(out, "</table></section>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(output: &str, parameter: &str, index: &str, v: f64) -> IndexRow {
        IndexRow {
            variant: "base".into(),
            output: output.into(),
            objective: output.starts_with("obj"),
            parameter: parameter.into(),
            index: index.into(),
            estimate: Some(v),
            ci: Some((v - 0.1, v + 0.1)),
        }
    }

    #[test]
    fn indices_read_without_negative_zeros_and_with_decimal_commas_in_swedish() {
        assert_eq!(three(-0.0004, Lang::En), "0.000");
        assert_eq!(three(-0.034, Lang::En), "−0.034");
        assert_eq!(three(0.8431, Lang::Sv), "0,843");
        assert_eq!(cell(Some(0.5), Some((0.25, 1.0)), Lang::Sv), "0,500 <span class=\"ci\">[0,250; 1,000]</span>");
        assert_eq!(cell(Some(0.5), Some((-0.0001, 1.2)), Lang::En), "0.500 <span class=\"ci\">[0.000, 1.200]</span>");
    }

    #[test]
    fn panels_put_objectives_first_and_the_longest_bar_on_top() {
        let rows = vec![
            row("m", "a", "first_order", 0.1),
            row("m", "a", "total", 0.2),
            row("m", "b", "first_order", 0.7),
            row("m", "b", "total", 0.8),
            row("obj", "a", "total", 0.5),
        ];
        let p = panels(&rows, "base");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].output, "obj");
        assert_eq!(p[1].bars[0].parameter, "b");
        assert_eq!(p[1].bars[0].inner, Some(0.7));
        assert!(section(&rows, "base", Lang::Sv).contains("Känslighet"));
    }
}
