//! The HTML of `debrief.html`: an HSEEP After-Action Report / Improvement Plan in seven
//! sections (ids `overview`, `objectives`, `analysis`, `findings`, `whatif`, `plan`,
//! `rows`). Every observation has a row in the last section with the anchor `row-N`
//! (N = the log's row number); everything that rests on rows links to them.

use super::charts::verdict_colour;
use super::plan::{self, Finding};
use super::text::{self, Text, num, percent};
use super::{CHART_DIR, CHARTS, level_of, unit_label};
use crate::debrief::whatif;
use crate::debrief::{Debrief, DelayPart, Hop, LevelTiming, ObjectiveRating, Placed, Spread, Verdict};
use crate::model::{Model, UnitIdx};
use crate::report::Lang;
use crate::report::html::{STYLE, esc, inline_svg};
use crate::report::i18n::fill;
use crate::report::style::{LEVELS_TOP_DOWN, Picture};
use crate::vocabulary::Level;
use std::fmt::Write;

/// The section ids, in report order (headings in [`Text::sections`]).
pub const SECTIONS: [&str; 7] = ["overview", "objectives", "analysis", "findings", "whatif", "plan", "rows"];

const EXTRA: &str = "
nav ol{list-style:none;padding-left:0}
.r-p{background:#d5efe6;color:#005c43}.r-s{background:#e3eef8;color:#0b4a78}.r-m{background:#fbefc8;color:#6b4b00}
.r-u{background:#f8dccb;color:#8a3000}.r-n{background:#eee;color:#555}
table.rows{font-size:14px}table.rows td,table.rows th{padding:3px 8px 3px 0}tr:target{background:#fff4b8}
.v{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:5px;border:1px solid #222}
.sentence{margin:4px 0 10px}
";

struct Page<'a> {
    out: String,
    d: &'a Debrief,
    model: &'a Model,
    lang: Lang,
    t: &'static Text,
}

/// The whole page; `charts` are the pictures of [`CHARTS`], in that order.
pub fn page(d: &Debrief, model: &Model, lang: Lang, charts: &[(&'static str, Picture)]) -> String {
    let t = Text::of(lang);
    let mut p = Page { out: String::new(), d, model, lang, t };
    p.head();
    p.overview();
    p.objectives();
    p.analysis(charts);
    p.findings();
    p.what_ifs();
    p.plan();
    p.rows();
    let _ = writeln!(
        p.out,
        "<p class=\"note\">{}</p>\n</main>\n</body>\n</html>",
        esc(&fill(t.written_by, &[&env!("CARGO_PKG_VERSION")]))
    );
    p.out
}

/// "(rows 3, 5)" with links.
fn rows_note(rows: &[u64], t: &Text) -> String {
    if rows.is_empty() {
        return String::new();
    }
    format!(" ({} {})", t.rows_word[usize::from(rows.len() > 1)], row_links(rows))
}

/// `<a href="#row-3">3</a>, <a …>`.
pub fn row_links(rows: &[u64]) -> String {
    rows.iter().map(|r| format!("<a href=\"#row-{r}\">{r}</a>")).collect::<Vec<_>>().join(", ")
}

fn verdict_class(v: Verdict) -> &'static str {
    v.name()
}

fn verdict_badge(v: Verdict, t: &Text) -> String {
    let c = verdict_colour(v);
    format!(
        "<span class=\"verdict {}\"><span class=\"v\" style=\"background:rgb({},{},{})\"></span>{}</span>",
        verdict_class(v),
        c.0,
        c.1,
        c.2,
        esc(t.verdict(v))
    )
}

impl Page<'_> {
    fn head(&mut self) {
        let t = self.t;
        let title = format!("{}: {}", t.title, self.model.name);
        let sub = fill(t.subtitle, &[&self.model.name, &self.d.batch.runs]);
        let _ = write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" \
             content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}{EXTRA}</style>\n\
             </head>\n<body>\n<main>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n<nav><b>{}</b><ol>",
            self.lang.labels().code,
            esc(&title),
            esc(&title),
            esc(&sub),
            t.contents
        );
        for (id, h) in SECTIONS.iter().zip(t.sections) {
            let _ = write!(self.out, "<li><a href=\"#{id}\">{}</a></li>", esc(h));
        }
        let _ = writeln!(self.out, "</ol></nav>");
    }

    fn section(&mut self, i: usize) {
        let _ = write!(self.out, "<section id=\"{}\"><h2>{}</h2>", SECTIONS[i], esc(self.t.sections[i]));
    }

    fn overview(&mut self) {
        let (t, d, m) = (self.t, self.d, self.model);
        self.section(0);
        let mut observers: Vec<&str> =
            d.log.observations.iter().map(|o| o.observer.as_str()).filter(|o| !o.is_empty()).collect();
        observers.sort();
        observers.dedup();
        let mut runs = fill(t.runs_text, &[&d.batch.runs, &d.batch.master_seed]);
        if let Some(b) = &d.batch.from_batch {
            runs = format!("{runs}; {}", fill(t.from_batch, &[b]));
        }
        let counts: Vec<String> =
            [Verdict::Faster, Verdict::AsExpected, Verdict::Slower, Verdict::NeverInModel, Verdict::NotComparable]
                .into_iter()
                .map(|v| format!("{} {}", verdict_badge(v, t), d.placed.iter().filter(|p| p.verdict == v).count()))
                .collect();
        let variant = d.batch.variant.clone().or_else(|| m.variant.clone()).unwrap_or_else(|| t.base.to_string());
        let rows = [
            (t.scenario, esc(&format!("{} ({})", m.name, d.batch.scenario_file))),
            (t.variant, esc(&variant)),
            (t.start, esc(&text::start(m, self.lang))),
            (t.log, esc(&d.log.file)),
            (t.observations, d.log.observations.len().to_string()),
            (t.observers, esc(&observers.join(", "))),
            (t.runs, esc(&runs)),
            (t.verdicts, counts.join(" · ")),
        ];
        let _ = write!(self.out, "<table>");
        for (k, v) in rows {
            let _ = write!(self.out, "<tr><th>{}</th><td>{v}</td></tr>", esc(k));
        }
        let _ = writeln!(self.out, "</table></section>");
    }

    fn objectives(&mut self) {
        let t = self.t;
        self.section(1);
        if self.d.objectives.is_empty() {
            let _ = writeln!(self.out, "<p>{}</p></section>", t.no_objectives);
            return;
        }
        let _ = write!(self.out, "<p class=\"note\">{}</p><table><tr>", esc(t.objectives_rule));
        for h in t.objective_head {
            let _ = write!(self.out, "<th>{}</th>", esc(h));
        }
        let _ = write!(self.out, "</tr>");
        for o in &self.d.objectives {
            self.objective(o);
        }
        let _ = writeln!(self.out, "</table></section>");
    }

    fn objective(&mut self, o: &ObjectiveRating) {
        let (t, lang) = (self.t, self.lang);
        let unit = if o.measure == "uncoordinated_public_messages" { "" } else { " min" };
        let value = |v: f64| format!("{}{unit}", num(v, lang));
        let (letter, words) = t.rating(o.rating);
        let class = ["r-p", "r-s", "r-m", "r-u", "r-n"][text::rating_index(o.rating)];
        let (lo, hi) = o.model_interval;
        let _ = write!(
            self.out,
            "<tr id=\"objective-{}\"><td><b>{}</b><br>{}</td><td><span class=\"badge {class}\">{letter}</span> {}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} <span class=\"ci\">({}–{})</span></td>\
             <td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&o.id),
            esc(&o.id),
            esc(&o.description),
            esc(words),
            o.observed.map_or("–".to_string(), value),
            value(o.limit),
            percent(o.model_probability, lang),
            percent(lo, lang),
            percent(hi, lang),
            o.model_median.map_or("–".to_string(), value),
            row_links(&o.rows)
        );
    }

    fn analysis(&mut self, charts: &[(&'static str, Picture)]) {
        let t = self.t;
        self.section(2);
        let _ = write!(self.out, "<p>{}</p>", esc(t.analysis_intro));
        let meta = [(t.observed_title, t.observed_caption), (t.timeline_title, t.timeline_caption)];
        for ((name, picture), (title, caption)) in charts.iter().zip(meta) {
            let _ = write!(
                self.out,
                "<figure id=\"chart-{name}\">{}<figcaption>{} <a href=\"{CHART_DIR}/{name}.png\">PNG</a> · \
                 <a href=\"{CHART_DIR}/{name}.svg\">SVG</a></figcaption></figure>",
                inline_svg(&picture.svg, title),
                esc(caption)
            );
        }
        debug_assert!(charts.iter().map(|c| c.0).eq(CHARTS));
        for level in LEVELS_TOP_DOWN {
            self.level(level);
        }
        let _ = writeln!(self.out, "</section>");
    }

    fn level(&mut self, level: Level) {
        let (t, lang) = (self.t, self.lang);
        let _ = write!(self.out, "<section id=\"level-{}\"><h3>{}</h3>", level.name(), esc(lang.labels().level(level)));
        let placed: Vec<&Placed> = self.d.placed.iter().filter(|p| level_of(self.model, p) == level).collect();
        if placed.is_empty() {
            let _ = write!(self.out, "<p class=\"note\">{}</p>", esc(t.no_level_rows));
        } else {
            let rows: Vec<u64> = placed.iter().map(|p| p.observation.row).collect();
            let _ = write!(self.out, "<p>{} ({}): {}</p>", esc(t.observations_of_level), rows.len(), row_links(&rows));
        }
        let timings: Vec<&LevelTiming> = self.d.levels.iter().filter(|l| l.level == level).collect();
        if !timings.is_empty() {
            let _ = write!(self.out, "<table><tr>");
            for h in t.level_head {
                let _ = write!(self.out, "<th>{}</th>", esc(h));
            }
            let _ = write!(self.out, "</tr>");
            for l in timings {
                let m = |v: Option<f64>| v.map_or("–".to_string(), |v| text::minutes(v, lang));
                let _ = write!(
                    self.out,
                    "<tr><td>{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                     <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(&l.fact),
                    l.observed_units,
                    l.units,
                    m(l.observed_first_min),
                    self.spread(&l.sim_first),
                    m(l.observed_all_min),
                    self.spread(&l.sim_all)
                );
            }
            let _ = write!(self.out, "</table>");
        }
        let hops: Vec<&Hop> = self.d.hops.iter().filter(|h| self.model.units[h.to as usize].level == level).collect();
        if !hops.is_empty() {
            self.hops(&hops);
        }
        let _ = write!(self.out, "</section>");
    }

    /// "12–30 min (18 min)", or "never" when no run had it.
    fn spread(&self, s: &Spread) -> String {
        let lang = self.lang;
        match (s.p10, s.p90) {
            _ if s.happened == 0 => self.t.never.to_string(),
            (Some(a), Some(b)) => format!(
                "{}–{} ({})",
                num(a, lang),
                text::minutes(b, lang),
                s.median.map_or("–".to_string(), |m| text::minutes(m, lang))
            ),
            _ => "–".to_string(),
        }
    }

    fn hops(&mut self, hops: &[&Hop]) {
        let (t, lang, model) = (self.t, self.lang, self.model);
        let _ = write!(self.out, "<h4>{}</h4>", esc(t.hops));
        for h in hops {
            if let Some(s) = hop_sentence(h, model, lang) {
                let _ = write!(self.out, "<p class=\"sentence\">{}{}</p>", esc(&s), rows_note(&h.rows, t));
            }
        }
        let _ = write!(self.out, "<table><tr>");
        for c in t.hop_head {
            let _ = write!(self.out, "<th>{}</th>", esc(c));
        }
        let _ = write!(self.out, "</tr>");
        for h in hops {
            let name =
                format!("{} → {} ({})", model.units[h.from as usize].name, model.units[h.to as usize].name, h.fact);
            for (i, (label, _, o, m)) in hop_lines(h, lang).into_iter().enumerate() {
                let (name, rows) =
                    if i == 0 { (name.clone(), row_links(&h.rows)) } else { (String::new(), String::new()) };
                let f = |v: Option<f64>| v.map_or("–".to_string(), |v| text::minutes(v, lang));
                let _ = write!(
                    self.out,
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    esc(&name),
                    esc(label),
                    f(m),
                    f(o),
                    rows
                );
            }
        }
        let _ = write!(self.out, "</table>");
    }

    fn findings(&mut self) {
        let t = self.t;
        self.section(3);
        let _ = write!(self.out, "<p class=\"note\">{}</p>", esc(t.strengths_rule));
        let strengths = plan::strengths(self.d, self.model, self.lang);
        let areas = plan::areas(self.d, self.model, self.lang);
        for (id, heading, list) in [("strengths", t.strengths, strengths), ("areas", t.areas, areas)] {
            let _ = write!(self.out, "<h3 id=\"{id}\">{}</h3>", esc(heading));
            self.finding_list(&list);
        }
        let _ = writeln!(self.out, "</section>");
    }

    fn finding_list(&mut self, list: &[Finding]) {
        if list.is_empty() {
            let _ = write!(self.out, "<p>{}</p>", esc(self.t.none));
            return;
        }
        let _ = write!(self.out, "<ul class=\"findings\">");
        for f in list {
            let _ = write!(self.out, "<li>{}{}</li>", esc(&f.text), rows_note(&f.rows, self.t));
        }
        let _ = write!(self.out, "</ul>");
    }

    fn what_ifs(&mut self) {
        let (t, lang) = (self.t, self.lang);
        self.section(4);
        if self.d.what_ifs.is_empty() {
            let _ = writeln!(self.out, "<p>{}</p></section>", esc(t.no_whatifs));
            return;
        }
        let _ = write!(self.out, "<p class=\"note\">{}</p><ul class=\"findings\">", esc(t.whatif_intro));
        for w in &self.d.what_ifs {
            let s = whatif::sentence(w, self.model, lang);
            let _ = write!(self.out, "<li>{}{}</li>", esc(&s), rows_note(&w.rows, t));
        }
        let _ = write!(self.out, "</ul><table><tr>");
        for h in t.whatif_head {
            let _ = write!(self.out, "<th>{}</th>", esc(h));
        }
        let _ = write!(self.out, "</tr>");
        for (i, w) in self.d.what_ifs.iter().enumerate() {
            for e in &w.effects {
                let _ = write!(
                    self.out,
                    "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                     <td class=\"num\"><b>{}</b></td><td class=\"num\">{} … {}</td><td class=\"num\">{}</td></tr>",
                    i + 1,
                    esc(&whatif::measure_label(&e.measure, self.model, lang)),
                    text::measure_value(&e.measure, e.base_mean, lang, false),
                    text::measure_value(&e.measure, e.imposed_mean, lang, false),
                    text::measure_value(&e.measure, e.difference, lang, true),
                    text::signed(e.interval.0, lang),
                    text::measure_value(&e.measure, e.interval.1, lang, true),
                    e.pairs
                );
            }
        }
        let _ = writeln!(self.out, "</table></section>");
    }

    fn plan(&mut self) {
        let t = self.t;
        self.section(5);
        let _ = write!(self.out, "<p class=\"note\">{}</p><table class=\"plan\"><tr>", esc(t.plan_intro));
        for h in t.plan_head {
            let _ = write!(self.out, "<th>{}</th>", esc(h));
        }
        let _ = write!(self.out, "</tr>");
        for r in plan::plan_rows(self.d, self.model, self.lang) {
            let _ = write!(
                self.out,
                "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.observation),
                rows_note(&r.rows, t),
                esc(&r.recommendation),
                esc(&r.responsible),
                esc(&r.date)
            );
        }
        let _ = writeln!(self.out, "</table></section>");
    }

    fn rows(&mut self) {
        let t = self.t;
        self.section(6);
        let _ = write!(self.out, "<table class=\"rows\"><tr>");
        for h in t.rows_head {
            let _ = write!(self.out, "<th>{}</th>", esc(h));
        }
        let _ = write!(self.out, "</tr>");
        for p in &self.d.placed {
            self.row(p);
        }
        let _ = writeln!(self.out, "</table></section>");
    }

    fn row(&mut self, p: &Placed) {
        let (t, lang, m) = (self.t, self.lang, self.model);
        let o = &p.observation;
        let opt = |v: Option<f64>| v.map_or("–".to_string(), |v| num(v, lang));
        let _ = write!(
            self.out,
            "<tr id=\"row-{r}\"><td class=\"num\"><a href=\"#row-{r}\">{r}</a></td><td class=\"num\">{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&text::clock(m, p.observed_min, lang)),
            esc(&unit_label(m, o.unit)),
            esc(t.event(o.event)),
            esc(&super::subject_label(m, o.subject.as_ref())),
            text::minutes(p.observed_min, lang),
            opt(p.spread.p10),
            opt(p.spread.median),
            opt(p.spread.p90),
            p.percentile.map_or("–".to_string(), |v| format!("{} %", num(v, lang))),
            verdict_badge(p.verdict, t),
            esc(&p.reason),
            esc(&o.note),
            r = o.row
        );
    }
}

/// The lines of a hop's table: (what, the unit it happens at, observed, model mean) in
/// minutes. The log separates transit, the time the sender held the fact and the time at
/// the receiving unit; the model's queue, activation wait and processing are shown
/// beside their sum, which is what the log's time at the unit compares with.
pub fn hop_lines(h: &Hop, lang: Lang) -> Vec<(&'static str, UnitIdx, Option<f64>, Option<f64>)> {
    let t = Text::of(lang);
    let part = |p: DelayPart| (h.observed[p as usize], h.model_mean[p as usize]);
    let mut out = vec![];
    let mut push = |label, unit, (o, m): (Option<f64>, Option<f64>)| {
        if o.is_some() || m.is_some() {
            out.push((label, unit, o, m));
        }
    };
    push(t.held_before_send, h.from, part(DelayPart::MeetingWait));
    push(text::part(lang, DelayPart::Transit), h.from, part(DelayPart::Transit));
    for p in [DelayPart::Queue, DelayPart::ActivationWait, DelayPart::Processing] {
        push(text::part(lang, p), h.to, part(p));
    }
    push(t.at_unit, h.to, (h.observed_at_unit, h.model_at_unit_mean));
    out
}

/// The hop's largest excess over the model, as a sentence: "The model expected 4 min
/// of transit from X; the exercise had 25 min", or for the time at the receiving unit
/// "The model expected 7 min at X (4 min of queueing, 0 waiting for staff, 3 of
/// processing); the exercise had 25 min from receipt to handled." `None` when nothing
/// observed has a model mean beside it.
pub fn hop_sentence(h: &Hop, model: &Model, lang: Lang) -> Option<String> {
    let t = Text::of(lang);
    let (label, unit, o, m) = hop_lines(h, lang)
        .into_iter()
        .filter_map(|(l, u, o, m)| Some((l, u, o?, m?)))
        .max_by(|a, b| (a.2 - a.3).total_cmp(&(b.2 - b.3)))?;
    let min = |v: Option<f64>| text::minutes(v.unwrap_or(0.0), lang);
    if label == t.at_unit {
        let part = |p: DelayPart| min(h.model_mean[p as usize]);
        return Some(fill(
            t.hop_sentence_at_unit,
            &[
                &text::minutes(m, lang),
                &unit_label(model, unit),
                &part(DelayPart::Queue),
                &part(DelayPart::ActivationWait),
                &part(DelayPart::Processing),
                &text::minutes(o, lang),
            ],
        ));
    }
    Some(fill(
        t.hop_sentence,
        &[&text::minutes(m, lang), &label.to_lowercase(), &unit_label(model, unit), &text::minutes(o, lang)],
    ))
}
