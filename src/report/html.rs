//! `report.html`: the debrief report, one self-contained file (SVG inline, styles
//! inline, no scripts, nothing fetched from the network) that links only to files in
//! its own folder. In the manner of an after-action report: an overview of the
//! exercise, the objectives rated met / partly met / not met, key findings, every
//! chart with how to read it, and the data files.

use super::batch_data::BatchData;
use super::i18n::{Labels, Lang, fill};
use super::map_data::MapData;
use super::objectives::{MET, NOT_MET};
use super::run_data::RunData;
use super::{CHART_DIR, Rendered, findings};
use std::fmt::Write;
use std::path::Path;

pub(crate) const STYLE: &str = "
body{margin:0;background:#f4f4f2;color:#222;font:16px/1.5 system-ui,-apple-system,'Segoe UI','DejaVu Sans',sans-serif}
main{max-width:1320px;margin:0 auto;padding:24px 32px 48px;background:#fff}
h1{font-size:30px;margin:8px 0 0}h2{font-size:22px;margin:36px 0 8px;border-bottom:2px solid #ddd;padding-bottom:4px}
h3{font-size:18px;margin:28px 0 6px}.sub{color:#666;margin:4px 0 16px}
nav ol{columns:2;margin:4px 0;padding-left:22px}a{color:#0060a0}
table{border-collapse:collapse;margin:8px 0;display:block;max-width:100%;overflow-x:auto}th,td{text-align:left;vertical-align:top;padding:5px 12px 5px 0;border-bottom:1px solid #e4e4e4}
th{font-weight:600;color:#444}td.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:14px;font-weight:600;white-space:nowrap}
.met{background:#d5efe6;color:#005c43}.partly{background:#fbefc8;color:#6b4b00}.notmet{background:#f8dccb;color:#8a3000}
.ci{color:#666;font-size:14px;white-space:nowrap}ul.findings li{margin:6px 0}figure{margin:8px 0 24px}svg.chart{width:100%;height:auto;border:1px solid #eee}
figcaption{color:#333;margin-top:6px;max-width:1000px}.files li{margin:3px 0}.note{color:#666;font-size:14px}
@media print{body{background:#fff}main{padding:0}section{break-inside:avoid}}
";

/// Text made safe inside HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A chart's SVG ready to sit inline: no XML declaration, no namespace attribute (HTML
/// does not need it), sized by CSS, labelled for screen readers. A chart wider than
/// [`WIDE`] pixels (the timeline of a long scenario) keeps its size in a box that
/// scrolls sideways, so that its labels stay legible.
pub fn inline_svg(svg: &str, label: &str) -> String {
    let body = svg.find("<svg").map_or(svg, |i| &svg[i..]);
    let Some(end) = body.find('>') else { return String::new() };
    let view = body[..end].split("viewBox=\"").nth(1).and_then(|v| v.split('"').next()).unwrap_or("");
    let width = view.split_whitespace().nth(2).and_then(|w| w.parse::<f64>().ok()).unwrap_or(0.0);
    let svg = |style: &str| {
        format!(
            "<svg class=\"chart\"{style} viewBox=\"{view}\" role=\"img\" aria-label=\"{}\">{}",
            esc(label),
            &body[end + 1..]
        )
    };
    if width > WIDE {
        format!("<div style=\"overflow-x:auto\">{}</div>", svg(&format!(" style=\"width:{width}px;max-width:none\"")))
    } else {
        svg("")
    }
}

/// Charts up to this width (pixels) are scaled to the page's width.
const WIDE: f64 = 1400.0;

/// A rating badge for a share of runs (or for one run: 1 or 0).
fn badge(share: f64, t: &Labels) -> String {
    let (class, word) = if share >= MET {
        ("met", t.html.met)
    } else if share < NOT_MET {
        ("notmet", t.html.not_met)
    } else {
        ("partly", t.html.partly_met)
    };
    format!("<span class=\"badge {class}\">{word}</span>")
}

/// "4320 min (3d)".
fn duration(min: f64, t: &Labels) -> String {
    let ms = (min * crate::time::MINUTE as f64).round() as i64;
    format!("{} {} ({})", number(min, t), t.minutes, crate::time::fmt_duration(ms))
}

/// A number with one decimal unless whole, with a decimal comma in Swedish.
fn number(v: f64, t: &Labels) -> String {
    let s = if (v - v.round()).abs() < 0.05 { format!("{v:.0}") } else { format!("{v:.1}") };
    if t.code == "sv" { s.replace('.', ",") } else { s }
}

/// The start of a self-contained page, up to and including its `<h1>` title.
pub(crate) fn head(lang: Lang, title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{t}</h1>\n",
        lang.labels().code,
        t = esc(title)
    )
}

struct Page {
    out: String,
    t: &'static Labels,
}

impl Page {
    fn new(lang: Lang, title: &str, subtitle: &str) -> Page {
        let mut out = head(lang, title);
        let _ = writeln!(out, "<p class=\"sub\">{}</p>", esc(subtitle));
        Page { out, t: lang.labels() }
    }

    fn contents(&mut self, charts: &[Rendered]) {
        let h = &self.t.html;
        let _ = write!(self.out, "<nav><b>{}</b><ol>", h.contents);
        for (id, name) in [("overview", h.overview), ("objectives", h.objectives), ("findings", h.findings)] {
            let _ = write!(self.out, "<li><a href=\"#{id}\">{name}</a></li>");
        }
        for c in charts {
            let _ =
                write!(self.out, "<li><a href=\"#chart-{}\">{}</a></li>", c.name, esc(chart_meta(c.name, self.t).0));
        }
        let _ = writeln!(self.out, "<li><a href=\"#files\">{}</a></li></ol></nav>", h.files);
    }

    fn table(&mut self, id: &str, heading: &str, rows: &[(String, String)]) {
        let _ = write!(self.out, "<section id=\"{id}\"><h2>{}</h2><table>", esc(heading));
        for (k, v) in rows {
            let _ = write!(self.out, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v));
        }
        let _ = writeln!(self.out, "</table></section>");
    }

    fn findings(&mut self, items: &[String]) {
        let _ = write!(self.out, "<section id=\"findings\"><h2>{}</h2><ul class=\"findings\">", self.t.html.findings);
        for f in items {
            // Numbers in findings take the page's decimal sign ("2,5 min" in Swedish).
            let f = if self.t.code == "sv" { super::comma::decimal_commas(f) } else { f.into() };
            let _ = write!(self.out, "<li>{}</li>", esc(&f));
        }
        let _ = writeln!(self.out, "</ul></section>");
    }

    fn charts(&mut self, charts: &[Rendered], maps: &[MapData]) {
        let _ = writeln!(self.out, "<h2>{}</h2>", self.t.html.charts);
        for (i, c) in charts.iter().enumerate() {
            let (title, caption, data) = chart_meta(c.name, self.t);
            let _ = write!(self.out, "<section id=\"chart-{}\"><h3>{}. {}</h3>", c.name, i + 1, esc(title));
            // A map names the incident's place and its file only when the scenario gives one.
            let map = maps.iter().find(|m| m.division.chart() == c.name);
            let placed = map.is_none_or(|m| m.location.is_some());
            let caption = match map {
                Some(m) if placed => format!("{caption} {}", super::map_data::labels_for(self.t, m.division).dot),
                _ => caption.to_string(),
            };
            let links: Vec<String> = (data.iter())
                .filter(|f| placed || **f != crate::geo::knowing::LOCATION_FILE)
                .map(|f| format!("<a href=\"{f}\">{f}</a>"))
                .collect();
            let _ = writeln!(
                self.out,
                "<figure>{}<figcaption><b>{}:</b> {} {}: {}. {}: <a href=\"{CHART_DIR}/{n}.png\">PNG</a> · <a href=\"{CHART_DIR}/{n}.svg\">SVG</a></figcaption></figure></section>",
                beside(inline_svg(&c.picture.svg, title), c.name, maps, self.t),
                self.t.html.how_to_read,
                esc(&caption),
                self.t.html.data,
                links.join(", "),
                self.t.html.picture,
                n = c.name
            );
        }
    }

    /// The data files that exist in `dir`, each with what it holds.
    fn files(&mut self, dir: &Path, names: &[&str]) {
        let h = &self.t.html;
        let _ =
            write!(self.out, "<section id=\"files\"><h2>{}</h2><p>{}</p><ul class=\"files\">", h.files, h.files_intro);
        for name in names.iter().filter(|n| dir.join(n).is_file()) {
            let m = super::map_data::labels(self.t);
            let note = match *name {
                crate::geo::knowing::FILE => m.file_note,
                crate::geo::knowing::COUNTY_FILE => {
                    super::map_data::labels_for(self.t, crate::geo::knowing::Division::County).file_note
                }
                crate::geo::knowing::LOCATION_FILE => m.location_note,
                crate::sensitivity::FILE => self.t.sensitivity().file_note,
                _ => h.file_notes.iter().find(|(f, _)| f == name).map_or("", |(_, n)| n),
            };
            let _ = write!(self.out, "<li><a href=\"{name}\">{name}</a> — {}</li>", esc(note));
        }
        let _ = writeln!(self.out, "</ul></section>");
    }

    fn finish(mut self, version: &str) -> String {
        let _ = writeln!(
            self.out,
            "<p class=\"note\">{}</p>\n</main>\n</body>\n</html>",
            esc(&fill(self.t.html.written_by, &[&version]))
        );
        self.out
    }
}

/// A chart's picture, with the map's table beside it (below on a narrow screen).
fn beside(svg: String, name: &str, maps: &[MapData], t: &Labels) -> String {
    match maps.iter().find(|m| m.division.chart() == name) {
        Some(m) => format!(
            "<div style=\"display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start\"><div style=\"flex:3 1 640px\">{svg}</div><div style=\"flex:1 1 320px\">{}</div></div>",
            super::map_table::html(m, t)
        ),
        _ => svg,
    }
}

/// Title, caption and data files of a chart.
fn chart_meta(name: &str, t: &'static Labels) -> (&'static str, &'static str, &'static [&'static str]) {
    let c = &t.html.captions;
    match name {
        "timeline" => (t.timeline_title, c.timeline, &["levels.csv", "conferences.csv"]),
        "delays" => (t.delays_title, c.delays, &["facts.csv"]),
        "bottlenecks" => (t.bottlenecks_title, c.bottlenecks, &["messages.csv"]),
        "resources" => (t.resources_title, c.resources, &["resources.csv", "requests.csv"]),
        "structure" => (t.structure_title, c.structure, &["units.csv", "messages.csv"]),
        "distributions" => (t.dist_title, c.distributions, &["stats.csv", "runs.csv"]),
        "compare" => (t.compare_title, c.compare, &["compare.csv"]),
        "objectives" => (t.objectives_title, c.objectives, &["objectives.csv"]),
        super::SENSITIVITY_CHART => {
            let s = t.sensitivity();
            (s.title, s.caption, &[crate::sensitivity::FILE])
        }
        super::partial::NAME => {
            let p = t.partial();
            (p.title, p.caption, &["stats.csv"])
        }
        "map" => {
            let m = super::map_data::labels(t);
            (m.title, m.caption, &["municipalities.csv", "location.json"])
        }
        "county_map" => {
            let m = super::map_data::labels_for(t, crate::geo::knowing::Division::County);
            (m.title, m.caption, &["counties.csv", "location.json"])
        }
        _ => (t.sweep_title, c.sweep, &["stats.csv"]),
    }
}

/// Whether an objective's measure is a time (minutes) rather than a count.
fn is_minutes(measure: &str) -> bool {
    measure != "uncoordinated_public_messages"
}

pub fn run_page(dir: &Path, d: &RunData, charts: &[Rendered], maps: &[MapData], lang: Lang) -> String {
    let t = lang.labels();
    let h = &t.html;
    let s = &d.summary;
    let variant = s.variant.clone().unwrap_or_else(|| h.base.to_string());
    let title = format!("{}: {}", h.title, s.scenario);
    let mut page = Page::new(
        lang,
        &title,
        &fill(h.run_of, &[&format!("{} ({} {}, {})", s.scenario, h.seed.to_lowercase(), s.seed, variant)]),
    );
    page.contents(charts);
    let messages: u64 = s.messages_by_kind.values().sum();
    page.table(
        "overview",
        h.overview,
        &[
            (h.scenario.into(), s.scenario.clone()),
            (h.scenario_hash.into(), s.scenario_hash.clone()),
            (h.variant.into(), variant),
            (h.seed.into(), s.seed.to_string()),
            (h.start.into(), t.when(&s.start)),
            (h.duration.into(), duration(s.duration_min, t)),
            (h.events.into(), s.events.to_string()),
            (h.messages.into(), messages.to_string()),
        ],
    );
    run_objectives(&mut page, d);
    page.out.push_str(&super::milestones::run_section(d, t));
    page.findings(&findings::run(d, t));
    page.charts(charts, maps);
    let mut names: Vec<&str> = crate::output::run::RUN_FILES.to_vec();
    names.extend([crate::geo::knowing::FILE, crate::geo::knowing::COUNTY_FILE, crate::geo::knowing::LOCATION_FILE]);
    names.sort_by_key(|n| *n != "summary.json");
    page.files(dir, &names);
    page.finish(&s.tool_version)
}

fn run_objectives(page: &mut Page, d: &RunData) {
    let h = &page.t.html;
    let objectives = &d.summary.objectives;
    let _ = write!(page.out, "<section id=\"objectives\"><h2>{}</h2>", h.objectives);
    if objectives.is_empty() {
        let _ = writeln!(page.out, "<p>{}</p></section>", h.no_objectives);
        return;
    }
    let _ = write!(
        page.out,
        "<p class=\"note\">{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        h.run_rule, h.objective, h.description, h.measured, h.limit, h.rating
    );
    for o in objectives {
        let unit = if is_minutes(&o.measure) { format!(" {}", page.t.minutes) } else { String::new() };
        let clock = super::clock::Clock::new(&d.summary.start, page.t);
        let value = match o.value {
            None => page.t.never.to_string(),
            // An instant (minutes from the start) also on the scenario's clock.
            Some(v) if super::milestones::is_instant_objective(&o.measure) => clock.with_minutes(v),
            Some(v) => format!("{}{unit}", number(v, page.t)),
        };
        let _ = write!(
            page.out,
            "<tr><td><b>{}</b></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}{}</td><td>{}</td></tr>",
            esc(&o.id),
            esc(&o.description),
            esc(&value),
            number(o.limit, page.t),
            unit,
            badge(if o.met { 1.0 } else { 0.0 }, page.t)
        );
    }
    let _ = writeln!(page.out, "</table></section>");
}

pub fn batch_page(dir: &Path, d: &BatchData, charts: &[Rendered], maps: &[MapData], lang: Lang) -> String {
    let t = lang.labels();
    let h = &t.html;
    let m = &d.manifest;
    let name = match &d.scenario_name {
        Some(n) => n.as_str(),
        None if m.plan.scenario.is_empty() => "?",
        None => m.plan.scenario.as_str(),
    };
    let title = format!("{}: {}", h.title, name);
    let mut page = Page::new(lang, &title, &fill(h.batch_of, &[&d.runs.len(), &name]));
    page.contents(charts);
    page.table("overview", h.overview, &batch_overview(d, t));
    batch_objectives(&mut page, d);
    page.out.push_str(&super::milestones::batch_section(d, t));
    page.findings(&findings::batch(d, t));
    if let Some(rows) = &d.sensitivity {
        page.out.push_str(&super::sensitivity::section(rows, d.base(), lang));
    }
    page.charts(charts, maps);
    page.files(
        dir,
        &[
            "manifest.json",
            "runs.csv",
            "stats.csv",
            "objectives.csv",
            "compare.csv",
            crate::sensitivity::FILE,
            crate::geo::knowing::FILE,
            crate::geo::knowing::COUNTY_FILE,
            crate::geo::knowing::LOCATION_FILE,
        ],
    );
    page.finish(&m.tool_version)
}

fn batch_overview(d: &BatchData, t: &Labels) -> Vec<(String, String)> {
    let h = &t.html;
    let m = &d.manifest;
    let failed = d.runs.iter().filter(|r| !r.ok).count();
    let points = d.stats.iter().map(|s| s.key.point).max().map_or(1, |p| p + 1);
    let mut seeds: Vec<u64> =
        d.runs.iter().filter(|r| r.key.point == d.first_point() && r.key.variant == d.base()).map(|r| r.seed).collect();
    seeds.dedup();
    let seed_text = match seeds.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [first, .., last] => format!("{first} … {last} ({})", fill(h.seeds_note, &[&seeds.len()])),
    };
    let mut rows = vec![
        (h.scenario.to_string(), d.scenario_name.clone().unwrap_or_else(|| m.plan.scenario.clone())),
        (h.scenario_hash.to_string(), m.plan.scenario_hash.clone()),
        (h.variants.to_string(), d.variants.iter().map(|v| d.variant_label(v)).collect::<Vec<_>>().join(", ")),
        (h.runs.to_string(), format!("{} × {} × {} = {}", m.plan.runs, d.variants.len(), points, d.runs.len())),
        (h.failed_runs.to_string(), failed.to_string()),
        (h.seed.to_string(), m.plan.master_seed.to_string()),
        (h.seeds.to_string(), seed_text),
    ];
    if points > 1 {
        rows.push((h.points.to_string(), format!("{points} ({})", d.paths.join(", "))));
    }
    if let Some((_, base_start)) = d.starts.first() {
        let mut text = t.when(base_start);
        for (v, s) in d.starts.iter().skip(1).filter(|(_, s)| s != base_start) {
            text.push_str(&format!("; {}: {}", d.variant_label(v), t.when(s)));
        }
        rows.push((h.start.to_string(), text));
    }
    rows.push(("samverkan".to_string(), m.command_line.join(" ")));
    rows
}

fn batch_objectives(page: &mut Page, d: &BatchData) {
    let t = page.t;
    let h = &t.html;
    let _ = write!(page.out, "<section id=\"objectives\"><h2>{}</h2>", h.objectives);
    let p0 = d.first_point();
    if d.objective_ids.is_empty() {
        let _ = writeln!(page.out, "<p>{}</p></section>", h.no_objectives);
        return;
    }
    let _ = write!(
        page.out,
        "<p class=\"note\">{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th>",
        h.batch_rule, h.objective, h.description, h.limit
    );
    for v in &d.variants {
        let _ = write!(page.out, "<th>{}</th>", esc(&d.variant_label(v)));
    }
    let _ = write!(page.out, "</tr>");
    for id in &d.objective_ids {
        let info = d.info(id);
        let limit = info.limit.map_or(String::new(), |l| format!("{} {}", number(l, t), info.unit));
        let _ = write!(
            page.out,
            "<tr><td><b>{}</b></td><td>{}</td><td class=\"num\">{}</td>",
            esc(id),
            esc(&info.description),
            esc(limit.trim())
        );
        for v in &d.variants {
            let row = d.objectives.iter().find(|o| o.key.point == p0 && &o.key.variant == v && &o.objective == id);
            let cell = match row.and_then(|o| Some((o.share?, o.ci))) {
                Some((share, ci)) => {
                    let ci = ci.map_or(String::new(), |(a, b)| {
                        format!(" <span class=\"ci\">{:.0}–{:.0} %</span>", 100.0 * a, 100.0 * b)
                    });
                    format!("<b>{:.0} %</b>{ci}<br>{}", 100.0 * share, badge(share, t))
                }
                None => "–".to_string(),
            };
            let _ = write!(page.out, "<td>{cell}</td>");
        }
        let _ = write!(page.out, "</tr>");
    }
    let _ = writeln!(page.out, "</table></section>");
}
