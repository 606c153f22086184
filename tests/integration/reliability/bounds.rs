//! Memory and work stay bounded: huge pools and demands, dense conferences, the memory
//! budget, runs stopped by a guard.

use crate::common::Scratch;
use crate::reliability::support::{code, repo, stderr};
use std::path::Path;
use std::process::{Command, Output};

/// Runs `samverkan ARGS` under an address-space limit of `mb` MB, so that a regression
/// fails (allocation refused) instead of eating the machine.
fn limited(mb: u64, cwd: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new("sh");
    cmd.current_dir(cwd).arg("-c").arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", mb * 1024));
    cmd.arg(crate::reliability::support::BIN).args(args);
    cmd.output().expect("sh starts")
}

fn text(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A scenario of `tests/reliability/bounds/` with `extra` appended, in the scratch folder.
fn scenario(s: &Scratch, name: &str, extra: &str) -> String {
    let file = s.0.join(name);
    std::fs::write(&file, text(&repo(&format!("tests/reliability/bounds/{name}"))) + extra).expect("write");
    file.display().to_string()
}

#[test]
fn a_pool_of_ten_million_lent_once_to_ten_million_runs_in_512_mb() {
    // Before resources were handled per instant, not per unit: 20 M agenda entries,
    // 476 MB resident; now 13 MB. (With random job times each resource still has an
    // instant of its own: see docs/reliability.md.)
    let s = Scratch::new("bounds-big-lend");
    let f = scenario(&s, "big-lend.toml", "");
    let o = limited(512, &s.0, &["run", &f, "--out", "out", "-q"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let summary = text(&s.0.join("out/summary.json"));
    let v: serde_json::Value = serde_json::from_str(&summary).expect("json");
    // The trace still counts one event per resource finishing and per resource home.
    assert!(v["events"].as_u64().expect("events") >= 20_000_000, "{summary}");
    let rows = text(&s.0.join("out/resources.csv"));
    assert!(rows.contains(",b,engine,10000000,0,0,0,0"), "{rows}");
}

#[test]
fn resources_done_together_go_home_together_and_serve_the_next_incident() {
    // Two incidents one after the other: the lent pool comes home at one instant and
    // serves the second incident's request (one by one while it waits, as before), the
    // rest of the pool together.
    let s = Scratch::new("bounds-second");
    let extra = "\n[inject.second]\nat = \"30m\"\nincident = { responsible = \"a.e\", severity = 3, demand = [ { type = \"engine\", quantity = 1000, duration = \"1h\" } ] }\n";
    let f = scenario(&s, "big-lend.toml", extra);
    let o = limited(512, &s.0, &["run", &f, "--out", "out", "-q"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let requests = text(&s.0.join("out/requests.csv"));
    assert!(requests.lines().count() >= 3, "both incidents' requests: {requests}");
    let rows = text(&s.0.join("out/resources.csv"));
    assert!(rows.lines().any(|l| l.starts_with("120,a,engine,0,0,0,0,0")), "second incident done at 2 h: {rows}");
    assert!(rows.lines().any(|l| l.starts_with("120,b,engine,0,10000000,0,0,0")), "all home: {rows}");
}

#[test]
fn a_conference_every_two_seconds_for_400_days_with_guards_at_their_maxima_is_refused_before_running() {
    let s = Scratch::new("bounds-conf-storm");
    let f = scenario(&s, "conference-storm.toml", "");
    for cmd in ["validate", "run"] {
        let o = limited(512, &s.0, &[cmd, &f, "--out", "out"][..if cmd == "run" { 4 } else { 2 }]);
        let e = stderr(&o);
        assert_eq!(code(&o), 2, "{cmd}: {e}");
        assert!(e.contains("memory budget of 8.0 GiB (guard.max_memory)") && e.contains("lower `guard.max_"), "{e}");
        assert!(e.contains("conference-storm.toml:"), "names the file and place: {e}");
    }
    assert!(!s.0.join("out").exists(), "nothing written");
}

#[test]
fn a_small_max_memory_refuses_a_stock_scenario_and_names_its_biggest_part() {
    let s = Scratch::new("bounds-small-budget");
    let f = scenario(&s, "big-lend.toml", "\n[guard]\nmax_memory = \"1MiB\"\n");
    let o = limited(512, &s.0, &["run", &f, "--out", "out"]);
    let e = stderr(&o);
    assert_eq!(code(&o), 2, "{e}");
    assert!(e.contains("over the memory budget of 1.0 MiB") && e.contains("the biggest part is"), "{e}");
    assert!(!s.0.join("out").exists());
}

#[test]
fn a_larger_max_memory_lets_a_large_guard_through() {
    let s = Scratch::new("bounds-large-budget");
    let guard = "\n[guard]\nmax_messages = 200000000\n";
    let refused = limited(512, &s.0, &["validate", &scenario(&s, "big-lend.toml", guard)]);
    assert_eq!(code(&refused), 2, "200 M messages do not fit 8 GiB: {}", stderr(&refused));
    assert!(stderr(&refused).contains("200000000 messages"), "{}", stderr(&refused));
    let raised = scenario(&s, "big-lend.toml", &format!("{guard}max_memory = \"64GiB\"\n"));
    let o = limited(512, &s.0, &["validate", &raised]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn max_memory_that_is_not_a_size_is_a_located_error() {
    let s = Scratch::new("bounds-bad-size");
    let f = scenario(&s, "big-lend.toml", "\n[guard]\nmax_memory = \"4 bananas\"\n");
    let o = limited(512, &s.0, &["validate", &f]);
    let e = stderr(&o);
    assert_eq!(code(&o), 2, "{e}");
    assert!(e.contains("guard.max_memory") && e.contains("unknown unit `bananas`"), "{e}");
}

#[test]
fn a_run_stopped_by_a_guard_leaves_a_marked_partial_folder() {
    let s = Scratch::new("bounds-stopped");
    let o = limited(1024, &s.0, &["run", &repo("tests/bad/message-storm.toml").display().to_string(), "--out", "out"]);
    let e = stderr(&o);
    assert_eq!(code(&o), 1, "{e}");
    assert!(e.contains("guard.max_messages") && e.contains("stopped.json"), "names the guard and the marker: {e}");
    let out = s.0.join("out");
    assert!(!out.join("summary.json").exists(), "no summary: the run is not complete");
    let stopped: serde_json::Value = serde_json::from_str(&text(&out.join("stopped.json"))).expect("json");
    assert_eq!(stopped["status"], "stopped");
    assert!(stopped["reason"].as_str().expect("reason").contains("guard.max_messages"));
    let messages = text(&out.join("messages.csv")).lines().count() as u64 - 1;
    assert_eq!(Some(messages), stopped["messages"].as_u64(), "messages.csv holds what was recorded");
    assert!(messages > 5000, "up to the stop: {messages}");
}

#[test]
fn a_stopped_run_over_a_finished_folder_leaves_no_summary_and_a_finished_one_no_marker() {
    let s = Scratch::new("bounds-overwrite");
    let good = scenario(&s, "big-lend.toml", "");
    let storm = repo("tests/bad/message-storm.toml").display().to_string();
    assert_eq!(code(&limited(512, &s.0, &["run", &good, "--out", "out", "-q"])), 0);
    assert!(s.0.join("out/summary.json").exists());
    assert_eq!(code(&limited(1024, &s.0, &["run", &storm, "--out", "out", "--force", "-q"])), 1);
    assert!(!s.0.join("out/summary.json").exists() && s.0.join("out/stopped.json").exists());
    assert_eq!(code(&limited(512, &s.0, &["run", &good, "--out", "out", "--force", "-q"])), 0);
    assert!(s.0.join("out/summary.json").exists() && !s.0.join("out/stopped.json").exists());
}

#[test]
fn a_pool_coming_home_one_by_one_to_a_waiting_request_takes_linear_work() {
    // 300 000 resources home at random instants, each serving the open request and
    // leaving a new one: ~180 000 requests. When every serve scanned every request ever
    // made this ran for minutes; the time limit is a hang guard, not a benchmark.
    let s = Scratch::new("bounds-lend-waiting");
    let f = scenario(&s, "lend-while-waiting.toml", "");
    let mut cmd = Command::new("sh");
    cmd.current_dir(&s.0).arg("-c").arg("ulimit -v 2097152; exec timeout 120 \"$0\" \"$@\"");
    let o =
        cmd.arg(crate::reliability::support::BIN).args(["run", &f, "--out", "out", "-q"]).output().expect("sh starts");
    assert_eq!(code(&o), 0, "exit 124 is the time limit: {}", stderr(&o));
    let requests = text(&s.0.join("out/requests.csv"));
    let last = requests.lines().last().unwrap_or_default();
    assert!(requests.lines().count() > 100_000 && last.ends_with(",0"), "the last request is met: {last}");
}
