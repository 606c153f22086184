//! The documentation stays true: docs/example.toml validates and runs (every variant),
//! docs/scenario-format.md holds it verbatim and names every table, field and keyword of
//! the scenario format (read from src/scenario/spec.rs, so that a field added without
//! documentation fails here), and docs/outputs.md names every run file, column and
//! summary field.

use samverkan::model::Action;
use samverkan::scenario::{self, Source, spec};
use samverkan::{metrics, output, sim};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn example_source() -> Source {
    Source::read(&root().join("docs/example.toml")).expect("docs/example.toml is readable")
}

fn run_example(variant: Option<&str>) -> sim::RunRecord {
    let model = match scenario::build(&example_source(), variant, &[]) {
        Ok(m) => Arc::new(m),
        Err(e) => panic!("docs/example.toml ({variant:?}) does not compile:\n{e}"),
    };
    let seed = model.seed;
    sim::run(&model, seed).unwrap_or_else(|e| panic!("docs/example.toml ({variant:?}) does not run: {e}"))
}

#[test]
fn the_example_validates_and_every_variant_runs() {
    let variants = match scenario::validate(&example_source()) {
        Ok(v) => v,
        Err(e) => panic!("docs/example.toml is invalid:\n{e}"),
    };
    assert!(variants.len() >= 3, "the example should show several variants: {variants:?}");
    for v in &variants {
        let r = run_example(Some(v));
        let s = metrics::summarise(&r);
        assert_eq!(s.variant.as_deref(), Some(v.as_str()));
        assert!(!r.knowledge.is_empty(), "variant {v}: nobody learned anything");
    }
}

#[test]
fn the_example_shows_what_the_format_page_says_it_shows() {
    let r = run_example(None);
    let model = &r.model;
    let kinds: BTreeSet<&str> = model.injects.iter().map(|i| i.action.kind_name()).collect();
    for kind in ["fact", "incident", "grow", "infrastructure", "activate", "stand_down", "resources", "message"] {
        assert!(kinds.contains(kind), "docs/example.toml has no `{kind}` inject");
    }
    assert!(model.injects.iter().any(|i| i.stream.is_some()), "no stream inject");
    assert!(model.injects.iter().any(|i| matches!(i.time, samverkan::model::InjectTime::After { .. })));
    assert!(model.injects.iter().any(|i| matches!(i.action, Action::Message { from: None, .. })));
    let measures: BTreeSet<String> = model.objectives.iter().map(|o| o.measure.name()).collect();
    assert_eq!(measures.len(), 13, "the example should use every measure once at least: {measures:?}");
    // What happened in the run: a conference, a picture, a decided request, a battery running
    // out after the power cut, public messages, a unit activated.
    assert!(!r.conferences.is_empty(), "no conference was held");
    assert!(!r.pictures.is_empty(), "no joint picture was published");
    assert!(r.requests.iter().any(|q| q.decided.is_some()), "no request was decided");
    assert!(r.infrastructure.iter().any(|i| i.state == "battery_out"), "no battery ran out");
    assert!(!r.public.is_empty(), "no public message");
    assert!(r.units.iter().any(|u| u.activated.is_some()), "no unit activated");
}

#[test]
fn the_example_uses_every_table_of_the_format() {
    let doc: toml::Table = toml::from_str(&read("docs/example.toml")).expect("TOML");
    for section in spec::SECTIONS {
        assert!(doc.contains_key(*section), "docs/example.toml has no [{section}] table");
    }
}

#[test]
fn the_format_page_holds_the_example_verbatim() {
    let page = read("docs/scenario-format.md");
    let example = read("docs/example.toml");
    assert!(
        page.contains(&format!("```toml\n{example}```")),
        "the example in docs/scenario-format.md differs from docs/example.toml; copy the file into the page"
    );
}

/// Names the scenario format accepts, read from the serde types in spec.rs and vocabulary.rs.
#[derive(Default, Debug)]
struct FormatNames {
    /// (struct, field as written in a file)
    fields: Vec<(String, String)>,
    /// (enum, value as written in a file)
    values: Vec<(String, String)>,
}

fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A small reader of spec.rs: top-level `pub struct` bodies give fields (with
/// `#[serde(rename = "…")]` applied), top-level `pub enum` bodies give unit variants
/// (snake_case, which every enum of the format uses).
fn format_names(source: &str) -> FormatNames {
    let mut names = FormatNames::default();
    let mut current: Option<(bool, String)> = None; // (is_enum, name)
    let mut rename: Option<String> = None;
    let mut snake = false;
    for line in source.lines() {
        if let Some(rest) = line.strip_prefix("pub struct ").or_else(|| line.strip_prefix("pub enum ")) {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
            let is_enum = line.starts_with("pub enum");
            assert!(!is_enum || snake, "enum {name} in spec.rs is not `rename_all = \"snake_case\"`: extend this test");
            current = line.trim_end().ends_with('{').then_some((is_enum, name));
            continue;
        }
        if line.starts_with("#[serde(rename_all = \"snake_case\")]") {
            snake = true;
            continue;
        }
        if line == "}" {
            (current, snake) = (None, false);
            continue;
        }
        let Some((is_enum, owner)) = &current else { continue };
        let body = line.trim_start();
        if let Some(r) = body.strip_prefix("#[serde(rename = \"") {
            rename = r.split('"').next().map(String::from);
        } else if !is_enum && line.starts_with("    pub ") {
            let field: String = body["pub ".len()..].chars().take_while(|c| *c != ':').collect();
            names.fields.push((owner.clone(), rename.take().unwrap_or(field)));
        } else if *is_enum && line.starts_with("    ") && !body.starts_with("//") && !body.starts_with('#') {
            let variant: String = body.chars().take_while(|c| c.is_alphanumeric()).collect();
            if !variant.is_empty() && body[variant.len()..].starts_with(',') {
                names.values.push((owner.clone(), snake_case(&variant)));
            }
        }
    }
    names
}

#[test]
fn every_table_and_field_of_the_format_is_documented() {
    let page = read("docs/scenario-format.md");
    // The file format's types, and the vocabulary enums it shares with the model.
    let names = format_names(&(read("src/scenario/spec.rs") + "\n" + &read("src/vocabulary.rs")));
    assert!(names.fields.len() > 120, "spec.rs reader found only {} fields: fix the test", names.fields.len());
    assert!(names.values.len() > 60, "spec.rs reader found only {} enum values: fix the test", names.values.len());

    let mut missing = Vec::new();
    let sections: BTreeSet<&str> = spec::SECTIONS.iter().copied().collect();
    let file_fields: BTreeSet<&str> =
        names.fields.iter().filter(|(s, _)| s == "ScenarioFile").map(|(_, f)| f.as_str()).collect();
    assert_eq!(file_fields, sections, "ScenarioFile fields and spec::SECTIONS disagree");
    for section in &sections {
        if !page.contains(&format!("`[{section}")) {
            missing.push(format!("table [{section}] (write it as `[{section}]` or `[{section}.ID]`)"));
        }
    }
    for (owner, field) in names.fields.iter().filter(|(s, _)| s != "ScenarioFile") {
        if !page.contains(&format!("`{field}`")) {
            missing.push(format!("field `{field}` of {owner}"));
        }
    }
    for (owner, value) in &names.values {
        if !page.contains(&format!("`{value}`")) {
            missing.push(format!("value `{value}` of {owner}"));
        }
    }
    // Distribution forms (src/dist.rs) are written as one-key tables.
    for key in ["median", "p90"] {
        if !page.contains(&format!("`{key}`")) {
            missing.push(format!("lognormal field `{key}`"));
        }
    }
    let dist = read("src/dist.rs");
    let kinds = dist.split("DIST_KINDS: &[&str] = &[").nth(1).and_then(|r| r.split(']').next()).expect("DIST_KINDS");
    for kind in kinds.split(',').map(|k| k.trim().trim_matches('"')).filter(|k| !k.is_empty()) {
        if !page.contains(&format!("{{ {kind} =")) {
            missing.push(format!("distribution `{kind}` of src/dist.rs (as `{{ {kind} = … }}`)"));
        }
    }
    assert!(missing.is_empty(), "docs/scenario-format.md does not document:\n  {}", missing.join("\n  "));
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samverkan-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn every_run_file_column_and_summary_field_is_documented() {
    let page = read("docs/outputs.md");
    let r = run_example(None);
    let summary = metrics::summarise(&r);
    let dir = temp_dir("docs-outputs");
    output::prepare_dir(&dir, false).expect("temp dir");
    output::run::write_run(&dir, &r, &summary).expect("write run files");
    let mut missing = Vec::new();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("read temp dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let listed: BTreeSet<String> = output::run::RUN_FILES.iter().map(|f| f.to_string()).collect();
    assert_eq!(files.iter().cloned().collect::<BTreeSet<_>>(), listed, "write_run and RUN_FILES disagree");
    for file in &files {
        if !page.contains(&format!("## {file}")) {
            missing.push(format!("a section `## {file}`"));
        }
        if let Some(stem) = file.strip_suffix(".csv") {
            let text = std::fs::read_to_string(dir.join(file)).expect("read csv");
            for column in text.lines().next().unwrap_or("").split(',') {
                if !page.contains(&format!("| `{column}` |")) {
                    missing.push(format!("column `{column}` of {stem}.csv (as a table row `| `{column}` |`)"));
                }
            }
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).expect("summary")).expect("json");
    let _ = std::fs::remove_dir_all(&dir);
    for key in json.as_object().expect("object").keys() {
        if !page.contains(&format!("| `{key}` |")) {
            missing.push(format!("summary.json field `{key}`"));
        }
    }
    for key in json["objectives"][0].as_object().expect("an objective").keys() {
        if !page.contains(&format!("| `{key}` |")) {
            missing.push(format!("summary.json objective field `{key}`"));
        }
    }
    for measure in metrics::Headline::ALL.map(|h| h.name()) {
        if !page.contains(&format!("| `{measure}` |")) {
            missing.push(format!("headline measure `{measure}`"));
        }
    }
    for status in metrics::MessageStatus::ALL.map(|s| s.name()) {
        if !page.contains(&format!("| `{status}` |")) {
            missing.push(format!("message status `{status}`"));
        }
    }
    assert!(missing.is_empty(), "docs/outputs.md does not document:\n  {}", missing.join("\n  "));
}

#[test]
fn the_spec_reader_sees_renamed_fields_and_enum_values() {
    // Guards the reader above: a field renamed by serde and a snake_case enum value.
    let names = format_names(
        "#[derive(Deserialize)]\npub struct A {\n    /// doc\n    #[serde(rename = \"type\")]\n    pub kind: String,\n    \
         pub plain: u8,\n}\n\n#[serde(rename_all = \"snake_case\")]\npub enum B {\n    /// doc\n    #[default]\n    \
         FirstKnown,\n    Other,\n}\n",
    );
    let fields: Vec<&str> = names.fields.iter().map(|(_, f)| f.as_str()).collect();
    let values: Vec<&str> = names.values.iter().map(|(_, v)| v.as_str()).collect();
    assert_eq!(fields, ["type", "plain"]);
    assert_eq!(values, ["first_known", "other"]);
}

/// The numbers `n` of the `[n]` citations in `text`.
fn citations(text: &str) -> Vec<u32> {
    let mut out = vec![];
    for (i, _) in text.match_indices('[') {
        let rest = &text[i + 1..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && rest[digits.len()..].starts_with(']') {
            out.push(digits.parse().unwrap());
        }
    }
    out
}

/// The numbers of a numbered list's items (`12. text` at the start of a line).
fn listed(text: &str) -> Vec<u32> {
    text.lines().filter_map(|l| l.split_once(". ").and_then(|(n, _)| n.parse().ok())).collect()
}

/// The project stands alone: every `[n]` cited in the scenarios, the docs, the README and
/// the example exercise log is a source listed in docs/sources.md, which lists the same
/// sources as the reference list of docs/domain.md; nothing points outside the repository.
#[test]
fn every_cited_source_is_listed_in_the_repository() {
    let sources = read("docs/sources.md");
    let numbers = listed(&sources);
    assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>(), "sources numbered 1, 2, ...");
    let domain = read("docs/domain.md");
    let references = &domain[domain.find("## References").expect("domain.md has its references")..];
    assert_eq!(listed(references), numbers, "docs/sources.md and docs/domain.md list the same sources");
    let mut files = vec!["README.md".to_string(), "scenarios/README.md".to_string()];
    for dir in ["scenarios", "docs", "tests/debrief/fixtures"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if [".toml", ".md", ".csv"].iter().any(|x| name.ends_with(x)) && name != "domain.md" {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    let mut cited = 0;
    for f in &files {
        let text = read(f);
        for n in citations(&text) {
            assert!(numbers.contains(&n), "{f} cites [{n}], which docs/sources.md does not list");
            cited += 1;
        }
        assert!(!text.contains("../shared/"), "{f} points outside the repository (../shared/)");
    }
    assert!(cited > 100, "the stock scenarios cite their sources ({cited} citations found)");
    for cited_file in ["docs/domain.md", "docs/model.md"] {
        assert!(root().join(cited_file).is_file(), "{cited_file}: cited as `{cited_file} §n`, kept in the repository");
    }
}
