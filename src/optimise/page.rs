//! `report.html` of an optimisation: the answer in one sentence, every candidate with its
//! cost, runs, shares and status (the numbers of optimise.csv), the Pareto chart inline
//! and the files. English or Swedish (`--lang`); self-contained (no external files).

use super::race::Status;
use super::{Outcome, Plan};
use crate::report::html::{esc, head, inline_svg};
use crate::report::i18n::{Lang, fill};
use std::fmt::Write;

/// The page's file name.
pub const FILE: &str = "report.html";

/// Words of the page that the chart does not already have.
struct Words {
    heading: &'static str,
    answer_best: &'static str,
    answer_none: &'static str,
    candidates: &'static str,
    cost: &'static str,
    runs: &'static str,
    status: &'static str,
    files: &'static str,
    file_notes: [&'static str; 3],
}

const EN: Words = Words {
    heading: "Optimisation",
    answer_best: "Cheapest plan proven to meet every requirement (95 % confidence): {} — {} staff-hours.",
    answer_none: "No candidate was proven to meet every requirement within {} runs each; the undecided ones need more runs (--runs).",
    candidates: "Candidates (share of runs meeting each required objective, with the interval the race decided on)",
    cost: "Cost (staff-hours)",
    runs: "Runs",
    status: "Status",
    files: "Files",
    file_notes: [
        "every candidate: lever values, cost by part, runs, each objective's share and interval, status",
        "the winner as a variant block to paste into the scenario",
        "the Pareto chart (SVG beside it)",
    ],
};

const SV: Words = Words {
    heading: "Optimering",
    answer_best: "Billigaste plan som visats nå alla krav (95 % konfidens): {} — {} personaltimmar.",
    answer_none: "Ingen kandidat visades nå alla krav inom {} körningar var; de oavgjorda behöver fler körningar (--runs).",
    candidates: "Kandidater (andel körningar som nådde varje krävt mål, med intervallet som racet avgjorde på)",
    cost: "Kostnad (personaltimmar)",
    runs: "Körningar",
    status: "Status",
    files: "Filer",
    file_notes: [
        "varje kandidat: spakarnas värden, kostnad per del, körningar, varje måls andel och intervall, status",
        "vinnaren som ett variantblock att klistra in i scenariot",
        "Paretodiagrammet (SVG bredvid)",
    ],
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Sv => &SV,
    }
}

/// A status in the page's language (optimise.csv keeps the English words).
fn status(s: Status, lang: Lang) -> &'static str {
    match (lang, s) {
        (Lang::En, s) => s.name(),
        (Lang::Sv, Status::Open) => "pågår",
        (Lang::Sv, Status::Best) => "bäst",
        (Lang::Sv, Status::Feasible) => "når kraven",
        (Lang::Sv, Status::Infeasible) => "når inte kraven",
        (Lang::Sv, Status::NotNeeded) => "behövs inte",
        (Lang::Sv, Status::Undecided) => "oavgjord",
        (Lang::Sv, Status::Failed) => "misslyckades",
    }
}

/// A number with a decimal comma in Swedish.
fn num(v: f64, decimals: usize, lang: Lang) -> String {
    let s = format!("{v:.decimals$}");
    if lang == Lang::Sv { s.replace('.', ",") } else { s }
}

/// "conference.regional.activated.every = 3h, …" for candidate `c`.
fn values(plan: &Plan, c: usize) -> String {
    let cand = &plan.candidates[c];
    let set: Vec<String> =
        plan.spec.levers.iter().zip(&cand.values).map(|(l, v)| format!("{} = {}", l.path, l.texts[*v])).collect();
    set.join(", ")
}

/// The whole page; `svg` is the Pareto chart as drawn into charts/.
pub fn html(plan: &Plan, outcome: &Outcome, svg: &str, lang: Lang) -> String {
    let (w, o) = (words(lang), lang.optimise_labels());
    let title = format!("{}: {}", w.heading, plan.scenario_name);
    let mut out = head(lang, &title);
    let answer = match outcome.best() {
        Some(c) => fill(w.answer_best, &[&values(plan, c), &num(plan.candidates[c].cost.total(), 1, lang)]),
        None => fill(w.answer_none, &[&plan.spec.runs]),
    };
    let _ = writeln!(out, "<section id=\"answer\"><p><b>{}</b></p></section>", esc(&answer));
    candidates(&mut out, plan, outcome, lang);
    let _ = writeln!(
        out,
        "<section id=\"chart-pareto\"><h2>{}</h2><figure>{}</figure></section>",
        esc(o.title),
        inline_svg(svg, o.title)
    );
    let _ = write!(out, "<section id=\"files\"><h2>{}</h2><ul class=\"files\">", w.files);
    let names = [super::files::CSV, super::files::BEST, "charts/pareto.png"];
    for (name, note) in names.iter().zip(w.file_notes) {
        let _ = write!(out, "<li><a href=\"{name}\">{name}</a> — {}</li>", esc(note));
    }
    let _ = writeln!(out, "</ul></section>\n</main>\n</body>\n</html>");
    out
}

/// The table of candidates, in candidate order.
fn candidates(out: &mut String, plan: &Plan, outcome: &Outcome, lang: Lang) {
    let w = words(lang);
    let _ = write!(
        out,
        "<section id=\"candidates\"><h2>{}</h2><div style=\"overflow-x:auto\"><table><tr><th>#</th>",
        esc(w.candidates)
    );
    for l in &plan.spec.levers {
        let _ = write!(out, "<th>{}</th>", esc(&l.path));
    }
    let _ = write!(out, "<th>{}</th><th>{}</th>", w.cost, w.runs);
    for r in &plan.spec.requires {
        let _ = write!(out, "<th>{} ≥ {} %</th>", esc(&r.objective), num(100.0 * r.probability, 0, lang));
    }
    let _ = write!(out, "<th>{}</th></tr>", w.status);
    for (i, (c, e)) in plan.candidates.iter().zip(&outcome.entries).enumerate() {
        let _ = write!(out, "<tr><td>{}</td>", i + 1);
        for (l, v) in plan.spec.levers.iter().zip(&c.values) {
            let _ = write!(out, "<td>{}</td>", esc(&l.texts[*v]));
        }
        let _ = write!(out, "<td class=\"num\">{}</td><td class=\"num\">{}</td>", num(c.cost.total(), 1, lang), e.runs);
        for j in 0..plan.spec.requires.len() {
            let cell = match e.share(j, outcome.z) {
                Some((p, lo, hi)) => format!(
                    "{} % <span class=\"ci\">{}–{} %</span>",
                    num(100.0 * p, 1, lang),
                    num(100.0 * lo, 1, lang),
                    num(100.0 * hi, 1, lang)
                ),
                None => "—".into(),
            };
            let _ = write!(out, "<td class=\"num\">{cell}</td>");
        }
        let strong = e.status == Status::Best;
        let word = status(e.status, lang);
        let _ = write!(out, "<td>{}</td></tr>", if strong { format!("<b>{word}</b>") } else { word.to_string() });
    }
    let _ = writeln!(out, "</table></div></section>");
}
