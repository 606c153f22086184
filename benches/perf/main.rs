//! Performance measurements of issue 7 (`cargo bench --bench perf`).
//!
//! Every measurement runs in a fresh child process (this binary with `--child`), so
//! its peak memory (the child's maximum resident set, from `wait4`) is its own. Each is
//! repeated and the median reported; the machine is shared, so wall times are noisy
//! (docs/performance.md compares instruction counts from callgrind as well).
//!
//! ```text
//! cargo bench --bench perf                       # everything (the 40 000-unit runs take long)
//! cargo bench --bench perf -- --only stock       # measurements whose name contains "stock"
//! cargo bench --bench perf -- --repeats 1 --timeout 120 --sizes 40,400
//! cargo bench --bench perf -- --child scale 400 week 1   # one measurement, as the parent runs it
//! cargo bench --bench perf -- --only wcore        # W-core (issue 20): engine, hand loop, SimPy
//! ```
//!
//! Results are printed as a table and written to target/perf/results.csv (one row per
//! measurement, appended as each finishes).

#[path = "../baseline/mod.rs"]
mod baseline;
mod child;
mod run;
#[path = "../wcore/loop.rs"]
#[allow(dead_code)] // shared with tests/integration/wcore.rs, which reads what the bench does not
mod wcore;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.first().map(String::as_str) == Some("--child") {
        child::main(&args[1..]);
        return;
    }
    run::main(&args);
}
