//! A fuzzer for the scenario loader, built on proptest: it mutates real scenario files
//! (the stock scenarios, the test scenarios, generated scenarios and the bad-input
//! catalogue) with byte and token edits, and also feeds random bytes and token soup. Every input must load or be
//! refused with a diagnostic — never panic; inputs that load are validated with all
//! their variants, run (under tight guards) and summarised, and must not panic either.
//!
//! It runs for a time budget: `FUZZ_SECONDS` (default 5), from `FUZZ_SEED` (default
//! 2017; CI passes a fresh one and prints it). A failure is shrunk to a small input and
//! written to `target/fuzz-failures/`. Reproduce with the seed it prints:
//!
//! ```text
//! FUZZ_SEED=<seed> FUZZ_SECONDS=60 cargo test --release --test integration fuzz_loader -- --nocapture
//! ```

use crate::common;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use samverkan::scenario::{self, Source};
use samverkan::{metrics, output, sim};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Tokens that mean something to TOML or to the scenario format, and hostile values.
const DICTIONARY: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    "[[",
    "]]",
    "=",
    ".",
    ",",
    "#",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "\\",
    "\n",
    "\r\n",
    "\t",
    " ",
    "\\u0000",
    "\\uD800",
    "\u{0}",
    "\u{feff}",
    "\u{7f}",
    "é",
    "\"0\"",
    "\"-1m\"",
    "\"0s\"",
    "\"999d\"",
    "\"3650d\"",
    "\"1ms\"",
    "0",
    "-1",
    "1e308",
    "-1e308",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967295",
    "4294967296",
    "true",
    "false",
    "\"all\"",
    "\"level:strategic\"",
    "\"tag:regional-coordination\"",
    "\"kind:municipality\"",
    "{ exponential = \"0s\" }",
    "{ empirical = [] }",
    "{ uniform = [\"5m\", \"1m\"] }",
    "{ lognormal = { median = \"1m\", p90 = \"1m\" } }",
    "enabled = false\n",
    "after = \"alarm\"\n",
    "stream = { every = \"1s\", window = \"400d\" }\n",
    "stream = { rate_per_hour = 1e9, window = \"1d\" }\n",
    "handlers = 0\n",
    "duty_officer = \"0\"\n",
    "loss = 0.999999\n",
    "retry_after = \"1s\"\n",
    "\n[inject.x]\n",
    "\n[organisation.z]\nkind = \"other\"\n",
    "\n[variant.v]\nset = { \"scenario.duration\" = \"0\" }\n",
    "\n[guard]\nmax_events = 1\n",
    "2017-02-29T10:00",
    "24:00",
    "mon-sun 00:00-24:00",
];

/// Values written over the value of a `key = value` line (valid TOML, doubtful meaning).
const VALUES: &[&str] = &[
    "\"0\"",
    "\"1s\"",
    "\"400d\"",
    "\"3650d\"",
    "0",
    "-1",
    "1",
    "5",
    "100001",
    "1e308",
    "nan",
    "true",
    "false",
    "\"\"",
    "\"all\"",
    "\"level:executive\"",
    "\"a.b\"",
    "[]",
    "[\"all\"]",
    "{}",
    "{ fixed = \"0\" }",
    "{ exponential = \"400d\" }",
    "{ every = \"1s\", window = \"400d\" }",
    "{ rate_per_hour = 3600, window = \"1h\" }",
    "\"mon-sun 00:00-24:00\"",
    "\"never\"",
    "\"periodic\"",
    "\"overloaded\"",
    "\"2024-02-29T23:59\"",
];

/// Numbers written over a number in the file.
const EXTREMES: &[&str] =
    &["0", "-1", "1", "255", "256", "65536", "4294967295", "4294967296", "9223372036854775807", "1e300", "0.5", "nan"];

#[derive(Clone, Debug)]
enum Edit {
    Delete(u32, u8),
    Insert(u32, usize),
    InsertBytes(u32, Vec<u8>),
    Number(u32, usize),
    DuplicateLine(u32),
    SwapLines(u32, u32),
    Truncate(u32),
    Flip(u32, u8),
    /// The value of the `key = value` line at a position replaced.
    Value(u32, usize),
    DropLine(u32),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => (any::<u32>(), 1..64u8).prop_map(|(a, n)| Edit::Delete(a, n)),
        4 => (any::<u32>(), 0..DICTIONARY.len()).prop_map(|(a, t)| Edit::Insert(a, t)),
        1 => (any::<u32>(), vec(any::<u8>(), 1..8)).prop_map(|(a, b)| Edit::InsertBytes(a, b)),
        3 => (any::<u32>(), 0..EXTREMES.len()).prop_map(|(a, n)| Edit::Number(a, n)),
        1 => any::<u32>().prop_map(Edit::DuplicateLine),
        1 => (any::<u32>(), any::<u32>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => any::<u32>().prop_map(Edit::Truncate),
        1 => (any::<u32>(), 1..=255u8).prop_map(|(a, x)| Edit::Flip(a, x)),
    ]
}

/// Edits that mostly keep the TOML valid and change what it means.
fn semantic_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<u32>(), 0..VALUES.len()).prop_map(|(a, v)| Edit::Value(a, v)),
        3 => (any::<u32>(), 0..EXTREMES.len()).prop_map(|(a, n)| Edit::Number(a, n)),
        2 => any::<u32>().prop_map(Edit::DropLine),
        1 => any::<u32>().prop_map(Edit::DuplicateLine),
        1 => (any::<u32>(), any::<u32>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => edit(),
    ]
}

fn line_bounds(text: &[u8], at: usize) -> (usize, usize) {
    let start = text[..at].iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    let end = text[at..].iter().position(|b| *b == b'\n').map_or(text.len(), |p| at + p + 1);
    (start, end)
}

fn apply(text: &mut Vec<u8>, e: &Edit) {
    let pos = |a: &u32, len: usize| *a as usize % (len + 1);
    let len = text.len();
    match e {
        Edit::Delete(a, n) => {
            let at = pos(a, len);
            text.drain(at..(at + *n as usize).min(len));
        }
        Edit::Insert(a, t) => {
            let at = pos(a, len);
            text.splice(at..at, DICTIONARY[*t].bytes());
        }
        Edit::InsertBytes(a, b) => {
            let at = pos(a, len);
            text.splice(at..at, b.iter().copied());
        }
        Edit::Number(a, n) => {
            // The first run of digits at or after the position.
            let from = pos(a, len);
            if let Some(s) = text[from..].iter().position(u8::is_ascii_digit).map(|p| from + p) {
                let e = text[s..].iter().position(|b| !b.is_ascii_digit()).map_or(len, |p| s + p);
                text.splice(s..e, EXTREMES[*n].bytes());
            }
        }
        Edit::DuplicateLine(a) if len > 0 => {
            let (s, e) = line_bounds(text, pos(a, len - 1));
            let line = text[s..e].to_vec();
            text.splice(e..e, line);
        }
        Edit::SwapLines(a, b) if len > 0 => {
            let (mut x, mut y) = (line_bounds(text, pos(a, len - 1)), line_bounds(text, pos(b, len - 1)));
            if x.0 > y.0 {
                std::mem::swap(&mut x, &mut y);
            }
            if x.1 <= y.0 {
                let (first, second) = (text[x.0..x.1].to_vec(), text[y.0..y.1].to_vec());
                text.splice(y.0..y.1, first);
                text.splice(x.0..x.1, second);
            }
        }
        Edit::Truncate(a) => text.truncate(pos(a, len)),
        Edit::Value(a, v) if len > 0 => {
            let (s, e) = line_bounds(text, pos(a, len - 1));
            if let Some(eq) = text[s..e].windows(3).position(|w| w == b" = ").map(|p| s + p + 3) {
                let end = if text[e - 1] == b'\n' { e - 1 } else { e };
                text.splice(eq..end, VALUES[*v].bytes());
            }
        }
        Edit::DropLine(a) if len > 0 => {
            let (s, e) = line_bounds(text, pos(a, len - 1));
            text.drain(s..e);
        }
        Edit::Flip(a, x) if len > 0 => {
            let at = pos(a, len - 1);
            text[at] ^= x;
        }
        _ => {}
    }
}

/// Files the mutations start from: valid scenarios (the stock ones, the test scenarios
/// and generated ones) and, separately, the bad-input catalogue.
struct Corpus {
    valid: Vec<(String, Vec<u8>)>,
    bad: Vec<(String, Vec<u8>)>,
}

fn files_in(dir: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else { return vec![] };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| (p.strip_prefix(root).unwrap_or(&p).display().to_string(), std::fs::read(&p).expect("corpus file")))
        .filter(|(_, bytes)| bytes.len() < 200_000)
        .collect()
}

fn corpus() -> Corpus {
    let mut valid = files_in("scenarios");
    valid.extend(files_in("tests/scenarios"));
    let mut runner = TestRunner::deterministic();
    for i in 0..40 {
        let plan = common::generate::plan().new_tree(&mut runner).expect("plan").current();
        valid.push((format!("generated scenario {i}"), plan.render().into_bytes()));
    }
    let bad = files_in("tests/bad");
    assert!(bad.len() >= 40, "fuzz corpus too small");
    Corpus { valid, bad }
}

#[derive(Clone, Debug)]
enum Input {
    /// A few edits of a valid scenario: most still compile and run.
    Valid(usize, Vec<Edit>),
    /// Edits of a file of the bad-input catalogue.
    Bad(usize, Vec<Edit>),
    Bytes(Vec<u8>),
    Tokens(Vec<usize>),
}

fn input(c: &Corpus) -> impl Strategy<Value = Input> {
    prop_oneof![
        6 => (0..c.valid.len(), vec(semantic_edit(), 1..4)).prop_map(|(i, e)| Input::Valid(i, e)),
        2 => (0..c.bad.len(), vec(edit(), 1..12)).prop_map(|(i, e)| Input::Bad(i, e)),
        1 => vec(any::<u8>(), 0..512).prop_map(Input::Bytes),
        1 => vec(0..DICTIONARY.len(), 0..128).prop_map(Input::Tokens),
    ]
}

fn materialise(c: &Corpus, input: &Input) -> Vec<u8> {
    let edited = |base: &[u8], edits: &[Edit]| {
        let mut text = base.to_vec();
        for e in edits {
            apply(&mut text, e);
        }
        text
    };
    match input {
        Input::Valid(i, edits) => edited(&c.valid[*i].1, edits),
        Input::Bad(i, edits) => edited(&c.bad[*i].1, edits),
        Input::Bytes(b) => b.clone(),
        Input::Tokens(t) => t.iter().flat_map(|i| DICTIONARY[*i].bytes()).collect(),
    }
}

/// Inputs that compiled, and that ran to the end (rather than stopping at a guard).
static LOADED: AtomicU64 = AtomicU64::new(0);
static COMPLETED: AtomicU64 = AtomicU64::new(0);

/// What must hold for any input: no panic anywhere from loading to the output tables.
fn exercise(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let source = match Source::from_bytes("fuzz.toml", bytes) {
        Ok(s) => s,
        Err(e) => return check_error(&e),
    };
    if let Err(e) = scenario::validate(&source) {
        check_error(&e)?;
    }
    let mut model = match scenario::build(&source, None, &[]) {
        Ok(m) => m,
        Err(e) => return check_error(&e),
    };
    LOADED.fetch_add(1, Ordering::Relaxed);
    // Tight guards keep each run short, whatever the mutation did to the scenario.
    model.guard.max_events = model.guard.max_events.min(100_000);
    model.guard.max_messages = model.guard.max_messages.min(50_000);
    model.guard.max_facts = model.guard.max_facts.min(10_000);
    if let Ok(record) = sim::run(&Arc::new(model), 1) {
        COMPLETED.fetch_add(1, Ordering::Relaxed);
        let summary = metrics::summarise(&record);
        let d = output::CsvDialect::Comma;
        let _ = (output::run::facts(&record, d), output::run::messages(&record, d), output::run::units(&record, d));
        serde_json::to_vec(&summary).map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
    Ok(())
}

/// A refusal must say something and name the file.
fn check_error(e: &scenario::ScenarioError) -> Result<(), TestCaseError> {
    let msg = e.to_string();
    if !msg.starts_with("fuzz.toml") || msg.trim().len() < 20 {
        return Err(TestCaseError::fail(format!("unhelpful message: {msg:?}")));
    }
    Ok(())
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn the_loader_survives_mutated_and_random_scenarios() {
    let budget = Duration::from_secs(env_u64("FUZZ_SECONDS", 5));
    let seed = env_u64("FUZZ_SEED", 2017);
    let corpus = corpus();
    let started = Instant::now();
    let (mut round, mut cases) = (0u64, 0u64);
    println!(
        "fuzzing the loader for {budget:?} from FUZZ_SEED={seed} over {} valid and {} bad scenarios",
        corpus.valid.len(),
        corpus.bad.len()
    );
    while round == 0 || started.elapsed() < budget {
        let config = Config {
            cases: 64,
            rng_seed: RngSeed::Fixed(seed.wrapping_add(round)),
            failure_persistence: None,
            max_shrink_time: 60_000,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let result = runner.run(&input(&corpus), |i| exercise(materialise(&corpus, &i)));
        if let Err(e) = result {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
            let _ = std::fs::create_dir_all(&dir);
            let detail = match &e {
                proptest::test_runner::TestError::Fail(why, input) => {
                    let bytes = materialise(&corpus, input);
                    let file = dir.join(format!("seed-{}.toml", seed.wrapping_add(round)));
                    let _ = std::fs::write(&file, &bytes);
                    let base = match input {
                        Input::Valid(i, _) => corpus.valid[*i].0.clone(),
                        Input::Bad(i, _) => corpus.bad[*i].0.clone(),
                        _ => "random input".into(),
                    };
                    format!("{why}\nfrom {base}, input written to {}", file.display())
                }
                other => other.to_string(),
            };
            panic!("fuzz failure in round {round} (FUZZ_SEED={seed}):\n{detail}");
        }
        round += 1;
        cases += 64;
    }
    println!(
        "{cases} inputs in {:.1} s, no failure; {} compiled, {} of those ran to the end",
        started.elapsed().as_secs_f64(),
        LOADED.load(Ordering::Relaxed),
        COMPLETED.load(Ordering::Relaxed)
    );
}

#[test]
fn edits_change_the_text_as_described() {
    let mut t = b"a = 1\nb = 22\n".to_vec();
    apply(&mut t, &Edit::Number(4, 0));
    assert_eq!(t, b"a = 0\nb = 22\n");
    apply(&mut t, &Edit::SwapLines(0, 7));
    assert_eq!(t, b"b = 22\na = 0\n");
    apply(&mut t, &Edit::Delete(0, 2));
    assert_eq!(t, b"= 22\na = 0\n");
    apply(&mut t, &Edit::Value(7, 3));
    assert_eq!(t, b"= 22\na = \"3650d\"\n");
    apply(&mut t, &Edit::DropLine(0));
    assert_eq!(t, b"a = \"3650d\"\n");
    apply(&mut t, &Edit::Truncate(4));
    assert_eq!(t, b"a = ");
}
