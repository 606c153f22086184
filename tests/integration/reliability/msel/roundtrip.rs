//! The tool's own MSEL export of any valid scenario imports again, unchanged: a table
//! test over generated national scenarios (real processes) and a property test over
//! many small scenarios with hostile texts and unusual times (the library).

use super::{SCENARIO, exercise, round_trips};
use crate::reliability::support::{code, samverkan_in, stderr};
use samverkan::scenario::{self, Source, msel};

/// Texts a planner (or a spreadsheet) could put in a description.
const TEXTS: &[&str] = &[
    "",
    "plain",
    "  leading and trailing  ",
    "line one\nline two",
    "crlf\r\nline",
    "lone\rcr",
    "quote \"inside\"",
    "\"fully quoted\"",
    "comma, semicolon; pipe |",
    "=1+1",
    "+46 8 123",
    "-minus",
    "@at",
    "\tTab first",
    "\rCR first",
    "'apostrophe",
    "'=already prefixed",
    "''=twice",
    "åäö ÅÄÖ ✓ 日本 🚒",
    "trailing comma,",
    "back\\slash",
    "#hash",
    " =spaced formula",
    "-",
    "'",
];

const UNITS: &[&str] = &["a.exec", "a.coord", "b.exec", "b.coord"];
const OFFSETS: &[&str] =
    &["0m", "90s", "0.5s", "1h", "1d2h3m4s", "10m0.25s", "2024-03-06T13:30", "2024-03-06T13:30:15"];
const DELAYS: &[&str] = &["0m", "5m", "0.5s", "1h"];

/// A small deterministic generator (xorshift) so failures can be replayed by seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

fn quoted(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// One inject's action table, of a random kind.
fn action(rng: &mut Rng) -> String {
    let unit = rng.pick(UNITS);
    let severity = 1 + rng.below(5);
    match rng.below(5) {
        0 => format!("fact = {{ origin = \"{unit}\", severity = {severity}, text = {} }}", quoted(rng.pick(TEXTS))),
        1 => {
            format!("incident = {{ responsible = \"{}\", severity = {severity} }}", [UNITS[0], UNITS[2]][rng.below(2)])
        }
        2 => format!("activate = [\"{unit}\", \"{}\"]", rng.pick(UNITS)),
        3 => format!("stand_down = \"{unit}\""),
        _ => {
            let from = if rng.below(2) == 0 { format!("from = \"{}\", ", rng.pick(UNITS)) } else { String::new() };
            let channel = if rng.below(2) == 0 { "channel = \"fixed\", " } else { "" };
            let to = ["\"level:coordinating\"", "[\"a.coord\", \"b.exec\"]", "\"b.coord\""][rng.below(3)];
            format!("message = {{ {from}to = {to}, kind = \"information\", {channel}severity = {severity} }}")
        }
    }
}

/// A valid scenario of [`SCENARIO`]'s organisation with random injects.
fn scenario_for(seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let head = SCENARIO.split("[inject.").next().unwrap();
    let mut out = head.to_string();
    let mut previous = String::new();
    for i in 0..1 + rng.below(7) {
        let id = format!("{}{i}", ["-a", "i", "_", "X-"][rng.below(4)]);
        out.push_str(&format!("[inject.{id}]\n"));
        if !previous.is_empty() && rng.below(3) == 0 {
            out.push_str(&format!("after = \"{previous}\"\ndelay = \"{}\"\n", rng.pick(DELAYS)));
        } else {
            out.push_str(&format!("at = \"{}\"\n", rng.pick(OFFSETS)));
        }
        for key in ["description", "expected_action", "objective"] {
            if rng.below(3) > 0 {
                out.push_str(&format!("{key} = {}\n", quoted(rng.pick(TEXTS))));
            }
        }
        previous = id;
        match rng.below(6) {
            0 => out.push_str("jitter = { uniform = [\"0m\", \"1h\"] }\n"),
            1 => out.push_str("stream = { every = \"10m\", window = \"1h\" }\n"),
            2 => {
                out.push_str("enabled = false\n");
                previous.clear(); // nothing may follow a disabled inject
            }
            _ => {}
        }
        out.push_str(&action(&mut rng));
        out.push_str("\n\n");
    }
    out
}

#[test]
fn the_export_of_hundreds_of_scenarios_with_hostile_texts_imports_unchanged() {
    for seed in 1..=300 {
        let text = scenario_for(seed);
        let source = Source::from_str("gen.toml", &text);
        scenario::validate(&source).unwrap_or_else(|e| panic!("seed {seed}: the generator made\n{text}\n{e}"));
        let csv = msel::export(&source).unwrap();
        let imported =
            msel::import(&source, "msel.csv", &csv).unwrap_or_else(|e| panic!("seed {seed}:\n{text}\n{csv}\n{e}"));
        assert!(imported.changes.is_empty(), "seed {seed}: {:?}\n{text}\n{csv}", imported.changes);
        assert_eq!(imported.text, text, "seed {seed}");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "seed {seed}: `{cell}` opens as a formula"
                );
            }
        }
    }
}

#[test]
fn texts_edited_in_the_table_come_back_as_written() {
    for (k, new) in TEXTS.iter().enumerate().filter(|(_, t)| !t.starts_with('\'')) {
        let source = Source::from_str("small.toml", SCENARIO);
        let csv = msel::export(&source).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let mut w = csv::Writer::from_writer(vec![]);
        w.write_record(reader.headers().unwrap()).unwrap();
        for r in reader.records() {
            let mut r: Vec<String> = r.unwrap().iter().map(String::from).collect();
            if r[1] == "denial" {
                r[9] = new.to_string();
            }
            w.write_record(&r).unwrap();
        }
        let edited = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let imported = msel::import(&source, "msel.csv", &edited).unwrap_or_else(|e| panic!("text {k}: {e}"));
        let again = msel::export(&Source::from_str("small.toml", &imported.text)).unwrap();
        let mut reader = csv::Reader::from_reader(again.as_bytes());
        let row = reader.records().map(|r| r.unwrap()).find(|r| &r[1] == "denial").unwrap();
        let back =
            row[9].strip_prefix('\'').filter(|_| new.trim().starts_with(['=', '+', '-', '@'])).unwrap_or(&row[9]);
        assert_eq!(back, new.trim(), "text {k}: {new:?}");
    }
}

#[test]
fn the_export_of_generated_national_scenarios_imports_unchanged() {
    let dir = exercise("generated");
    for (seed, core) in [("1", false), ("2", false), ("3", true), ("7", false), ("11", true), ("23", false)] {
        let mut args = vec!["generate", "--units", "40", "--seed", seed, "--quiet"];
        if core {
            args.push("--core");
        }
        let o = samverkan_in(&dir.0, &args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let file = format!("gen-{seed}.toml");
        std::fs::write(dir.0.join(&file), &o.stdout).unwrap();
        round_trips(&dir.0, &file);
    }
}
