//! Tests of the debrief: report. `debrief.html` is written from a Debrief built by hand
//! for the stock scenario (rows of every verdict, level timings, objectives of every
//! rating, a hop, two what-ifs), then checked as text (sections in both languages,
//! names not ids, decimal commas, anchors, no network), in a real headless Chromium
//! (the DOM and a screenshot), and its improvement-plan.xlsx with calamine and
//! LibreOffice. Without chromium or soffice the browser and LibreOffice checks fail
//! under CI (`CI=true`) and are skipped with a note elsewhere.

use calamine::{Data, Reader};
use samverkan::debrief::report::{self, HTML, PLAN, plan, text::Text};
use samverkan::debrief::*;
use samverkan::model::{Model, UnitIdx};
use samverkan::report::Lang;
use samverkan::vocabulary::Level;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const STOCK: &str = "scenarios/stockholm-attack.toml";

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("debrief-report").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn model() -> Model {
    samverkan::scenario::load(Path::new(STOCK), None).expect("stock scenario")
}

fn unit(m: &Model, id: &str) -> UnitIdx {
    m.units.iter().position(|u| u.id == id).unwrap_or_else(|| panic!("no unit {id}")) as UnitIdx
}

fn conference(m: &Model, id: &str) -> u32 {
    m.conferences.iter().position(|c| c.id == id).unwrap() as u32
}

fn spread(p10: f64, median: f64, p90: f64) -> Spread {
    Spread { runs: 200, happened: 200, p10: Some(p10), median: Some(median), p90: Some(p90), mean: Some(median) }
}

/// One placed row; the verdict follows from the spread as compare's rule gives it.
fn placed(row: u64, u: UnitIdx, event: EventKind, subject: Option<Subject>, min: f64, s: Spread) -> Placed {
    let verdict = match (s.happened, s.p10, s.p90) {
        (0, _, _) => Verdict::NeverInModel,
        (_, Some(lo), _) if min < lo => Verdict::Faster,
        (_, _, Some(hi)) if min > hi => Verdict::Slower,
        _ => Verdict::AsExpected,
    };
    let observation = Observation {
        row,
        time: (min * 60_000.0) as i64,
        unit: u,
        event,
        subject,
        from: None,
        to: None,
        observer: if row.is_multiple_of(2) { "Anna".into() } else { "Bo".into() },
        note: if row == 3 { "TiB called back <late>".into() } else { String::new() },
    };
    Placed { observation, observed_min: min, spread: s, percentile: Some(50.0), verdict, reason: String::new() }
}

fn fact(f: &str) -> Option<Subject> {
    Some(Subject::Fact(f.into()))
}

fn objective(id: &str, rating: Rating, observed: Option<f64>, limit: f64, p: f64, rows: Vec<u64>) -> ObjectiveRating {
    ObjectiveRating {
        id: id.into(),
        description: format!("Objective {id}"),
        measure: if id == "one-voice" { "uncoordinated_public_messages".into() } else { "all_known".into() },
        limit,
        observed,
        met: observed.map(|v| v <= limit),
        rating,
        model_probability: p,
        model_interval: ((p - 0.07).max(0.0), (p + 0.07).min(1.0)),
        model_median: Some(limit * 0.8),
        rows,
        explanation: String::new(),
    }
}

fn timing(f: &str, level: Level, units: usize, seen: usize, first: Option<f64>, all: Option<f64>) -> LevelTiming {
    LevelTiming {
        fact: f.into(),
        level,
        units,
        observed_units: seen,
        observed_first_min: first,
        observed_all_min: all,
        sim_first: spread(2.0, 4.5, 9.0),
        sim_all: spread(12.0, 17.5, 31.0),
    }
}

/// A debrief of the 7 April 2017 timeline against the stock scenario, by hand.
fn debrief(m: &Model) -> Debrief {
    let u = |id: &str| unit(m, id);
    let regional = conference(m, "regional");
    let stab = conference(m, "stab");
    let never = Spread { runs: 200, happened: 0, ..Spread::default() };
    let mut rows = vec![
        placed(2, u("sos.larmcentral"), EventKind::Knew, fact("alarm"), 0.0, spread(0.0, 0.0, 0.0)),
        placed(3, u("lst.tib"), EventKind::Knew, fact("alarm"), 15.5, spread(4.0, 8.0, 12.0)),
        placed(4, u("polisen.rlc"), EventKind::Knew, fact("alarm"), 1.0, spread(2.0, 4.0, 7.0)),
        placed(
            5,
            u("lst.tib"),
            EventKind::ConferenceStarted,
            Some(Subject::Conference(regional)),
            67.0,
            spread(40.0, 58.0, 95.0),
        ),
        placed(6, u("lst.rad"), EventKind::Activated, None, 130.0, spread(30.0, 55.0, 90.0)),
        placed(7, u("region.ledning"), EventKind::Knew, fact("alarm"), 62.5, spread(15.0, 25.0, 40.0)),
        placed(
            8,
            u("lst.tib"),
            EventKind::ConferenceStarted,
            Some(Subject::Conference(stab)),
            60.0,
            spread(75.0, 110.0, 160.0),
        ),
        placed(9, u("stockholm.tib"), EventKind::PublicMessage, fact("rumour-denied"), 140.0, never),
        placed(10, u("ssbf.rc"), EventKind::Knew, fact("transport-stop"), 80.0, spread(77.0, 79.0, 84.0)),
        placed(11, u("lst.rad"), EventKind::Knew, fact("alarm"), 44.0, spread(20.0, 30.0, 60.0)),
    ];
    let mut nc = placed(12, u("sl.trafikledning"), EventKind::Decided, None, 100.0, Spread::default());
    nc.verdict = Verdict::NotComparable;
    nc.reason = "the unit never decides requests".into();
    nc.percentile = None;
    rows.push(nc);
    rows[7].reason = "no run published a public message about rumour-denied".into();
    rows[7].percentile = None;
    let observations = rows.iter().map(|p| p.observation.clone()).collect();
    Debrief {
        batch: BatchInfo {
            scenario: m.name.to_string(),
            scenario_file: STOCK.into(),
            scenario_hash: m.hash.clone(),
            variant: None,
            master_seed: 42,
            runs: 200,
            from_batch: None,
        },
        log: ExerciseLog { file: "7-april-2017.csv".into(), observations },
        placed: rows,
        levels: vec![
            timing("alarm", Level::Strategic, 8, 2, Some(44.0), None),
            timing("alarm", Level::Coordinating, 30, 30, Some(3.0), Some(15.5)),
            timing("alarm", Level::Executive, 10, 3, Some(0.0), None),
            timing("transport-stop", Level::Executive, 10, 1, Some(5.0), None),
        ],
        objectives: vec![
            objective("info-to-all-actors", Rating::SomeChallenges, Some(15.5), 20.0, 0.9, vec![3]),
            objective("first-conference", Rating::WithoutChallenges, Some(67.0), 90.0, 0.4, vec![5]),
            objective("strategic-informed", Rating::MajorChallenges, Some(150.0), 120.0, 0.8, vec![7, 11]),
            objective("crisis-support", Rating::NotObserved, None, 120.0, 0.7, vec![]),
            objective("one-voice", Rating::Unable, Some(17.0), 10.0, 0.6, vec![9]),
        ],
        hops: vec![Hop {
            fact: "alarm".into(),
            from: u("lst.tib"),
            to: u("lst.rad"),
            rows: vec![3, 11],
            observed: [Some(1.0), None, None, Some(2.0), None],
            model_mean: [Some(0.5), Some(4.0), Some(3.0), Some(1.0), Some(0.0)],
            model_runs: 180,
            observed_at_unit: Some(27.5),
            model_at_unit_mean: Some(7.0),
        }],
        what_ifs: vec![
            WhatIf {
                imposed: Imposed::FirstSession { conference: regional, observed_min: 67.0, model_median_min: 110.0 },
                rows: vec![5],
                achieved_median_min: Some(68.0),
                effects: vec![Effect {
                    measure: "first_fact_all_strategic_min".into(),
                    base_mean: 95.0,
                    imposed_mean: 57.0,
                    difference: -38.0,
                    interval: (-45.0, -31.0),
                    pairs: 200,
                }],
            },
            WhatIf {
                imposed: Imposed::SlowerUnit { unit: u("lst.tib"), factor: 2.5 },
                rows: vec![3],
                achieved_median_min: Some(15.0),
                effects: vec![Effect {
                    measure: "objective:info-to-all-actors".into(),
                    base_mean: 90.0,
                    imposed_mean: 61.5,
                    difference: -28.5,
                    interval: (-33.0, -24.0),
                    pairs: 200,
                }],
            },
        ],
    }
}

/// The report written for `lang` into a fresh folder; returns the folder and the page.
fn written(name: &str, lang: Lang) -> (PathBuf, String, Model, Debrief) {
    let m = model();
    let d = debrief(&m);
    let out = dir(name);
    let files = report::write(&out, &d, &m, lang).expect("report");
    for f in &files {
        assert!(f.is_file(), "{} not written", f.display());
    }
    for c in report::CHARTS {
        for ext in ["png", "svg"] {
            assert!(files.contains(&out.join("charts").join(format!("{c}.{ext}"))), "{c}.{ext}");
        }
    }
    let html = std::fs::read_to_string(out.join(HTML)).unwrap();
    (out, html, m, d)
}

/// The page without its inline charts (for checks of the text).
fn without_svg(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        rest = &rest[rest[i..].find("</svg>").map_or(rest.len(), |j| i + j + 6)..];
    }
    out + rest
}

/// Values of `attr="…"` in the page.
fn attrs(html: &str, attr: &str) -> Vec<String> {
    html.split(&format!(" {attr}=\"")).skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
}

#[test]
fn the_page_has_every_section_in_both_languages() {
    for (lang, name) in [(Lang::En, "en"), (Lang::Sv, "sv")] {
        let (_, html, _, _) = written(&format!("sections-{name}"), lang);
        let t = Text::of(lang);
        for (id, heading) in report::page::SECTIONS.iter().zip(t.sections) {
            let h2 = format!("<section id=\"{id}\"><h2>{heading}</h2>");
            assert!(html.contains(&h2), "{name}: no {h2}");
        }
        assert!(html.contains(&format!("<html lang=\"{name}\">")));
        for level in [Level::Strategic, Level::Coordinating, Level::Executive] {
            assert!(html.contains(&format!("<h3>{}</h3>", lang.labels().level(level))), "{name}: {level:?}");
        }
        for (letter, words) in [t.rating(Rating::WithoutChallenges), t.rating(Rating::Unable)] {
            assert!(html.contains(&format!(">{letter}</span> {words}")), "{name}: {words}");
        }
        assert!(html.contains(t.strengths) && html.contains(t.areas));
    }
    let (_, sv, _, _) = written("sections-sv-words", Lang::Sv);
    for words in ["genomfört utan problem", "med stora problem", "kunde inte genomföras", "Åtgärdsplan"] {
        assert!(sv.contains(words), "sv: no {words}");
    }
}

#[test]
fn names_not_ids() {
    let (_, html, _, _) = written("names", Lang::En);
    let text = without_svg(&html);
    for name in ["TiB / regional coordination (SSR), Länsstyrelsen i Stockholms län", "Regional samverkanskonferens"]
    {
        assert!(text.contains(name), "no {name}");
    }
    for id in [">lst.tib<", ">lst.tib,", ">regional<", ">polisen.rlc"] {
        assert!(!text.contains(id), "an id in the page: {id}");
    }
    // The improvement plan names organisations.
    assert!(text.contains("<td>Länsstyrelsen i Stockholms län</td>"));
    assert!(text.contains("15:08"), "local clock of 15.5 min after 14:53");
}

#[test]
fn swedish_has_decimal_commas() {
    let (_, en, _, _) = written("decimal-en", Lang::En);
    let (_, sv, _, _) = written("decimal-sv", Lang::Sv);
    assert!(en.contains("15.5 min") && !en.contains("15,5 min"));
    assert!(sv.contains("15,5 min") && !sv.contains("15.5 min"));
    assert!(sv.contains("−38") && sv.contains("handläggning ×2,5"), "what-if numbers");
    // No decimal point in any number the Swedish page shows (the version aside).
    let body = &sv[sv.find("</style>").unwrap()..];
    let text = without_svg(body).replace(env!("CARGO_PKG_VERSION"), "");
    let chars: Vec<char> = text.chars().collect();
    for w in chars.windows(3) {
        assert!(!(w[0].is_ascii_digit() && w[1] == '.' && w[2].is_ascii_digit()), "a decimal point in sv");
    }
}

#[test]
fn row_links_lead_to_rows_and_findings_link_their_rows() {
    let (_, html, m, d) = written("anchors", Lang::En);
    let ids: Vec<String> = attrs(&html, "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    for href in attrs(&html, "href").iter().filter_map(|h| h.strip_prefix('#')) {
        assert!(ids.iter().any(|i| i == href), "#{href} has no target");
    }
    for p in &d.placed {
        assert!(ids.contains(&format!("row-{}", p.observation.row)));
    }
    // Areas: the slower rows, largest excess first (row 6: 40 min beyond p90, row 7:
    // 22.5, row 3: 3.5), then the objectives rated M and U; strengths: the faster rows
    // and the P objective the model met in 40 % of its runs.
    let areas = plan::areas(&d, &m, Lang::En);
    let rows: Vec<&Vec<u64>> = areas.iter().map(|a| &a.rows).collect();
    assert_eq!(rows, [&vec![6], &vec![7], &vec![3], &vec![7, 11], &vec![9]]);
    let strengths = plan::strengths(&d, &m, Lang::En);
    let rows: Vec<&Vec<u64>> = strengths.iter().map(|a| &a.rows).collect();
    assert_eq!(rows, [&vec![8], &vec![4], &vec![5]]);
    let section = |id: &str| {
        let i = html.find(&format!("<h3 id=\"{id}\">")).unwrap();
        html[i..].split("</ul>").next().unwrap().to_string()
    };
    for (id, list) in [("areas", &areas), ("strengths", &strengths)] {
        let s = section(id);
        for f in list {
            for r in &f.rows {
                assert!(s.contains(&format!("href=\"#row-{r}\"")), "{id} does not link row {r}");
            }
        }
    }
}

#[test]
fn charts_are_inline_and_nothing_is_fetched() {
    let (out, html, _, _) = written("inline", Lang::En);
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 2);
    assert!(!html.contains("<img") && !html.contains("<script") && !html.contains("<link"));
    assert!(!html.contains("http://") && !html.contains("https://"), "no external URL");
    for href in attrs(&html, "href").iter().chain(attrs(&html, "src").iter()) {
        assert!(href.starts_with('#') || out.join(href).is_file(), "{href}: not a file of the folder");
    }
    well_nested(&html);
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(!html.contains("TiB called back <late>") && html.contains("TiB called back &lt;late&gt;"));
    for c in report::CHARTS {
        let png = std::fs::read(out.join("charts").join(format!("{c}.png"))).unwrap();
        let (w, _, pixels) = decode_png(&png);
        assert!(w >= 1000 && !one_colour(&pixels), "{c}.png is blank");
    }
}

/// Every element is closed, in order (void elements and `<x/>` aside).
fn well_nested(html: &str) {
    const VOID: [&str; 5] = ["meta", "br", "img", "link", "hr"];
    let mut open: Vec<String> = Vec::new();
    for tag in html.split('<').skip(1).map(|t| &t[..t.find('>').expect("a closed tag")]) {
        if tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if tag.starts_with('/') {
            assert_eq!(open.pop().as_deref(), Some(name.as_str()), "</{name}> closes another element");
        } else if !VOID.contains(&name.as_str()) {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
}

fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn one_colour(pixels: &[u8]) -> bool {
    pixels.chunks(3).all(|p| p == &pixels[..3])
}

// ---- a real browser and a real spreadsheet program -------------------------------

/// Whether `program --version` runs; under CI its absence is a failure.
fn have(program: &str, package: &str) -> bool {
    let found = Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "{program} is missing; install it with `apt-get install -y --no-install-recommends {package}` (see .ci/run)"
            );
        }
        eprintln!("note: {program} not found; skipping the test (install {package})");
    }
    found
}

fn chromium(args: &[String], profile: &Path) -> std::process::Output {
    // `timeout`: a browser that hangs fails the test instead of stopping the suite.
    let o = Command::new("timeout")
        .args(["120", "chromium", "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium");
    assert!(o.status.success(), "chromium failed: {}", String::from_utf8_lossy(&o.stderr));
    o
}

#[test]
fn chromium_reads_the_page_and_draws_it() {
    if !have("chromium", "chromium") {
        return;
    }
    for (lang, name) in [(Lang::En, "en"), (Lang::Sv, "sv")] {
        let (out, _, _, _) = written(&format!("browser-{name}"), lang);
        let page = format!("file://{}", out.join(HTML).display());
        let profile = out.join("chromium-profile");
        let dom = String::from_utf8(chromium(&["--dump-dom".into(), page.clone()], &profile).stdout).unwrap();
        for (id, heading) in report::page::SECTIONS.iter().zip(Text::of(lang).sections) {
            assert!(dom.contains(&format!("id=\"{id}\"")) && dom.contains(heading), "{name}: the DOM has no {id}");
        }
        assert!(dom.contains("id=\"row-12\"") && dom.matches("<svg").count() >= 2, "{name}: rows and charts");
        let shot = out.join("screenshot.png");
        chromium(&[format!("--screenshot={}", shot.display()), "--window-size=1200,2400".into(), page], &profile);
        let (w, h, pixels) = decode_png(&std::fs::read(&shot).unwrap());
        assert!(w >= 1000 && h >= 2000, "{w}×{h}");
        assert!(!one_colour(&pixels), "{name}: the screenshot is blank");
        if let Ok(docs) = std::env::var("DEBRIEF_SCREENSHOTS") {
            std::fs::copy(&shot, Path::new(&docs).join(format!("debrief-report-{name}.png"))).unwrap();
        }
    }
}

/// The plan's rows as the workbook should hold them: the header and four columns.
fn plan_table(d: &Debrief, m: &Model, lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![Text::of(lang).plan_head.iter().map(|s| s.to_string()).collect()];
    for r in plan::plan_rows(d, m, lang) {
        rows.push(vec![r.observation, r.recommendation, r.responsible, r.date]);
    }
    rows
}

#[test]
fn the_improvement_plan_opens_in_calamine_and_libreoffice() {
    for (lang, name) in [(Lang::En, "en"), (Lang::Sv, "sv")] {
        let (out, html, m, d) = written(&format!("plan-{name}"), lang);
        let want = plan_table(&d, &m, lang);
        assert_eq!(want.len(), 6, "five areas and the header");
        let mut book = calamine::open_workbook_auto(out.join(PLAN)).expect("calamine opens it");
        assert_eq!(book.sheet_names(), [Text::of(lang).plan_sheet]);
        let range = book.worksheet_range(Text::of(lang).plan_sheet).unwrap();
        let got: Vec<Vec<String>> = range
            .rows()
            .map(|r| {
                let mut cells: Vec<String> =
                    r.iter().map(|c| if let Data::String(s) = c { s.clone() } else { String::new() }).collect();
                cells.resize(4, String::new());
                cells
            })
            .collect();
        assert_eq!(got, want, "{name}: the workbook holds the plan table");
        for row in &want[1..] {
            assert!(html.contains(&samverkan::report::html::esc(&row[0])), "{name}: the page's plan table");
        }
        if !have("soffice", "libreoffice-calc-nogui") {
            continue;
        }
        let lo = out.join("lo");
        let o = Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}", lo.join("profile").display()))
            .arg("--headless")
            .args(["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir"])
            .arg(&lo)
            .arg(out.join(PLAN))
            .output()
            .expect("soffice");
        assert!(o.status.success(), "soffice: {}", String::from_utf8_lossy(&o.stderr));
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(lo.join("improvement-plan.csv"))
            .unwrap();
        let csv: Vec<Vec<String>> = r
            .records()
            .map(|x| {
                let mut cells: Vec<String> = x.unwrap().iter().map(String::from).collect();
                cells.resize(4, String::new());
                cells
            })
            .collect();
        assert_eq!(csv, want, "{name}: LibreOffice reads the plan table");
    }
}

#[test]
fn an_empty_debrief_still_draws() {
    let m = model();
    let mut d = debrief(&m);
    d.placed.clear();
    d.levels.clear();
    d.objectives.clear();
    d.hops.clear();
    d.what_ifs.clear();
    let out = dir("empty");
    report::write(&out, &d, &m, Lang::Sv).expect("report");
    let html = std::fs::read_to_string(out.join(HTML)).unwrap();
    assert!(html.contains(Text::of(Lang::Sv).no_whatifs) && html.contains(Text::of(Lang::Sv).no_objectives));
}
