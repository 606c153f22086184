//! validate refuses first what batch and run refuse; variants are applied without re-reading the file.
//! Every refusal is located (file:line:column), exits 2 and writes nothing.

use super::common::Scratch;
use super::support::{code, listing, repo, samverkan, samverkan_in, stderr};
use std::path::Path;

fn stock() -> String {
    std::fs::read_to_string(repo("scenarios/stockholm-attack.toml")).expect("stock scenario")
}

/// Writes `text` as `name` in `dir` and runs `samverkan validate` on it.
fn validate(dir: &Path, name: &str, text: &str) -> std::process::Output {
    std::fs::write(dir.join(name), text).expect("write scenario");
    samverkan_in(dir, &["validate", name])
}

/// The line (1-based) of the first line of `text` that starts with `prefix`.
fn line_of(text: &str, prefix: &str) -> usize {
    text.lines().position(|l| l.starts_with(prefix)).expect("line in text") + 1
}

#[test]
fn a_variant_named_base_is_refused_by_validate_with_its_location() {
    let s = Scratch::new("validate-base");
    let text = format!("{}\n[variant.base]\nset = {{ \"conference.regional.activated.every\" = \"2h\" }}\n", stock());
    let o = validate(&s.0, "x.toml", &text);
    let line = line_of(&text, "[variant.base]");
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("x.toml:{line}:10: `variant.base`: `base` is the name batches")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn variant_names_differing_only_in_case_are_refused() {
    let s = Scratch::new("validate-case");
    let text = format!("{}\n[variant.Night]\nset = {{ \"scenario.start\" = \"2017-04-08T02:53\" }}\n", stock())
        .replace("[variant.weekend-night]", "[variant.night]");
    let o = validate(&s.0, "x.toml", &text);
    let line = line_of(&text, "[variant.Night]");
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("x.toml:{line}:10: `variant.Night`: `Night` differs from the variant `night`"))
    );
}

#[test]
fn a_bad_variant_among_many_is_located_at_its_value_in_the_file() {
    let s = Scratch::new("validate-many");
    let mut text = stock();
    for i in 0..40 {
        let v = if i == 27 { "2x".to_string() } else { format!("{}h", i % 5 + 1) };
        text.push_str(&format!("\n[variant.v{i}]\nset = {{ \"conference.regional.activated.every\" = \"{v}\" }}\n"));
    }
    text.push_str("\n[variant.bad-path]\nset = { \"conference.regionl.activated.every\" = \"2h\" }\n");
    let o = validate(&s.0, "x.toml", &text);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    // A variant's value is located where the path it changes is written.
    let every = text.lines().position(|l| l.contains("activated = { every")).expect("regional conference") + 1;
    assert!(
        err.contains(&format!("x.toml:{every}:15: `conference.regional.activated.every`: `2x` is not a duration")),
        "{err}"
    );
    assert!(err.contains("(with variant `v27`)"), "{err}");
    let bad = line_of(&text, "[variant.bad-path]") + 1;
    assert!(
        err.contains(&format!("x.toml:{bad}:9: `variant.bad-path.set.\"conference.regionl.activated.every\"`")),
        "{err}"
    );
    assert!(err.contains("no `regionl` under `conference` (it has: regional, stab, council)"), "{err}");
    assert!(!err.contains("with variant `v26`"), "{err}");
}

#[test]
fn forty_good_variants_validate_and_are_listed() {
    let s = Scratch::new("validate-forty");
    let mut text = stock();
    for i in 0..40 {
        text.push_str(&format!(
            "\n[variant.v{i}]\nset = {{ \"conference.regional.activated.every\" = \"{}h\" }}\n",
            i % 5 + 1
        ));
    }
    let o = validate(&s.0, "x.toml", &text);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("mutual-aid, v0, v1,"));
}

#[test]
fn new_refuses_a_name_with_a_line_break_and_writes_nothing() {
    let s = Scratch::new("new-newline");
    let o = samverkan_in(&s.0, &["new", "x\n[evil]\nkey = 1", "--template", "storm"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("control character '\\n'"), "{}", stderr(&o));
    assert_eq!(listing(&s.0), Vec::<String>::new());
}

#[test]
fn new_refuses_an_empty_or_blank_name_and_control_characters() {
    let s = Scratch::new("new-empty");
    for name in ["", "   ", "a\u{7}b", "tab\there"] {
        let o = samverkan_in(&s.0, &["new", name, "--template", "attack"]);
        assert_eq!(code(&o), 2, "{name:?}: {}", stderr(&o));
        assert_eq!(listing(&s.0), Vec::<String>::new(), "{name:?}");
    }
}

#[test]
fn new_writes_quotes_and_backslashes_in_a_name_as_a_valid_toml_string() {
    let s = Scratch::new("new-quotes");
    let name = r#"a "q" \ b"#;
    let o = samverkan_in(&s.0, &["new", name, "--template", "fire"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let file = format!("{name}.toml");
    let text = std::fs::read_to_string(s.0.join(&file)).expect("new file");
    let doc: toml::Table = toml::from_str(&text).expect("valid TOML");
    assert_eq!(doc["scenario"]["name"].as_str(), Some(name));
    assert_eq!(code(&samverkan_in(&s.0, &["validate", &file])), 0);
}

#[test]
fn a_scenario_ending_after_the_last_accepted_date_is_a_located_error() {
    let s = Scratch::new("validate-late");
    let text = stock().replacen("start = \"2017-04-07T14:53\"", "start = \"2200-12-30T00:00\"", 1);
    let o = validate(&s.0, "x.toml", &text);
    let line = line_of(&text, "duration = ");
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "x.toml:{line}:1: `scenario.duration`: the scenario would end at 2201-01-02T00:00:00, after the last date accepted"
        )),
        "{}",
        stderr(&o)
    );
    // The last minute that still fits is accepted.
    let ok = stock().replacen("start = \"2017-04-07T14:53\"", "start = \"2200-12-29T00:00\"", 1);
    assert_eq!(code(&validate(&s.0, "ok.toml", &ok)), 0);
}

#[test]
fn a_variant_moving_the_start_past_the_limit_is_refused_with_the_variant_named() {
    let s = Scratch::new("validate-late-variant");
    let text = format!("{}\n[variant.far]\nset = {{ \"scenario.start\" = \"2200-12-31T12:00\" }}\n", stock());
    let o = validate(&s.0, "x.toml", &text);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains(
        "after the last date accepted (2200-12-31T24:00); start it earlier or shorten it (with variant `far`)"
    ));
}

#[test]
fn milliseconds_are_accepted_in_durations() {
    let s = Scratch::new("validate-ms");
    let text = stock().replacen("duration = \"72h\"", "duration = \"71h59m59s250ms\"", 1);
    assert_ne!(text, stock());
    let o = validate(&s.0, "x.toml", &text);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let schema = std::fs::read_to_string(repo("docs/scenario.schema.json")).expect("schema");
    assert!(schema.contains("(ms|[smhdw])"), "the schema's duration pattern takes ms");
}

#[test]
fn a_duration_with_an_unknown_unit_still_says_which_units_exist() {
    let s = Scratch::new("validate-unit");
    let text = stock().replacen("duration = \"72h\"", "duration = \"72y\"", 1);
    let o = validate(&s.0, "x.toml", &text);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("`72y` is not a duration: unexpected `y`; write e.g. \"250ms\""), "{}", stderr(&o));
}

#[test]
fn a_file_over_the_size_limit_is_told_its_real_size() {
    let s = Scratch::new("validate-size");
    let f = std::fs::File::create(s.0.join("big.toml")).expect("create");
    f.set_len(32 * 1024 * 1024 + 1).expect("sparse file");
    let o = samverkan_in(&s.0, &["validate", "big.toml"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(
            "big.toml: cannot read the file: it is 32.0 MiB (33 554 433 bytes); scenario files are limited to 32 MiB"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn generated_scenarios_validate_over_seeds_sizes_and_flags() {
    let s = Scratch::new("generate-valid");
    let cases: &[&[&str]] = &[
        &["--organisations", "10"],
        &["--organisations", "11", "--core"],
        &["--organisations", "13", "--duration", "60h1s"],
        &["--units", "1"],
        &["--units", "31"],
        &["--units", "97", "--duration", "400d"],
        &["--units", "301", "--core"],
    ];
    for args in cases {
        for seed in ["0", "1", "7", "9223372036854775807"] {
            let mut a = vec!["generate", "--quiet", "--seed", seed];
            a.extend_from_slice(args);
            let g = samverkan(&a);
            assert_eq!(code(&g), 0, "{a:?}: {}", stderr(&g));
            let o = validate(&s.0, "g.toml", &String::from_utf8(g.stdout).expect("UTF-8"));
            assert_eq!(code(&o), 0, "{a:?} writes a scenario that does not validate:\n{}", stderr(&o));
        }
    }
}

#[test]
fn generate_refuses_what_it_cannot_write_as_a_valid_scenario() {
    for args in [
        &["generate", "--organisations", "10", "--duration", "1s"][..],
        &["generate", "--organisations", "10", "--duration", "60h"],
        &["generate", "--organisations", "10", "--duration", "401d"],
        &["generate", "--organisations", "10", "--seed", "18446744073709551615"],
    ] {
        let o = samverkan(args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?} wrote a scenario");
    }
    let o = samverkan(&["generate", "--organisations", "10", "--duration", "2h"]);
    assert!(stderr(&o).contains("give a duration longer than 2d12h"), "{}", stderr(&o));
}
