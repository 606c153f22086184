//! Helpers shared by the report tests.
#![allow(dead_code)]

use samverkan::output::run::write_run;
use samverkan::report::{CHART_DIR, REPORT};
use samverkan::{metrics, scenario, sim};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const STOCK: &str = "scenarios/stockholm-attack.toml";

pub fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The stock scenario's run files (no charts) in a fresh folder.
pub fn stock_run(name: &str) -> PathBuf {
    let d = dir(name);
    let model = Arc::new(scenario::load(Path::new(STOCK), None).expect("stock scenario"));
    let record = sim::run(&model, model.seed).expect("run");
    write_run(&d, &record, &metrics::summarise(&record)).expect("write");
    d
}

pub fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn text(p: &Path) -> String {
    String::from_utf8(bytes(p)).unwrap()
}

/// The share of a PNG's pixels that are not white.
pub fn inked(png_bytes: &[u8]) -> f64 {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let px = &buf[..info.buffer_size()];
    let n = px.len() / 3;
    px.chunks(3).filter(|p| p != &[255, 255, 255]).count() as f64 / n as f64
}

pub fn chart_files(d: &Path, names: &[&str]) -> Vec<PathBuf> {
    names.iter().flat_map(|n| ["png", "svg"].map(|e| d.join(CHART_DIR).join(format!("{n}.{e}")))).collect()
}

/// Text as plotters writes it into SVG (XML-escaped).
pub fn svg_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\'', "&apos;").replace('"', "&quot;")
}

/// Every `href="…"` and `src="…"` of a page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            out.push(part.split('"').next().unwrap_or("").to_string());
        }
    }
    out
}

/// No external references: nothing a browser would fetch from elsewhere, and every
/// link is an anchor on the page or a file in the folder.
pub fn assert_self_contained(d: &Path) {
    let html = text(&d.join(REPORT));
    for bad in ["http://", "https://", "<script", "<link", "@import", "url(", "<img", "<iframe", "xlink:href"] {
        assert!(!html.contains(bad), "report.html contains {bad}");
    }
    let links = links(&html);
    assert!(links.len() > 10, "only {} links", links.len());
    for l in links {
        match l.strip_prefix('#') {
            Some(id) => assert!(html.contains(&format!("id=\"{id}\"")), "anchor #{id} has no target"),
            None => {
                assert!(!l.contains("//") && !l.starts_with('/') && !l.contains(".."), "link {l} leaves the folder");
                assert!(d.join(&l).is_file(), "link {l} does not resolve in {}", d.display());
            }
        }
    }
}

/// Keeps the header and the first `rows` data lines of every CSV file in `d`.
/// Keeps the header and the first `rows` lines of each data table (names.csv, which
/// names things rather than records what happened, is left whole).
pub fn truncate_csvs(d: &Path, rows: usize) {
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") && !p.ends_with("names.csv") {
            let t = text(&p);
            let kept: Vec<&str> = t.lines().take(1 + rows).collect();
            std::fs::write(&p, kept.join("\n") + "\n").unwrap();
        }
    }
}
