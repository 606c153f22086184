//! Theory checks: scenarios that reduce to textbook models must give the textbook
//! answers within statistical tolerance (docs/validation.md lists every check with its
//! expected value, measured value and interval, and explains the tolerances).
//!
//! Each check runs independent replications (seeds as a batch derives them), takes one
//! value per replication and asserts that the theoretical value lies inside the 99.9 %
//! Student-t interval of their mean. `cargo test --release --test integration theory -- --nocapture`
//! prints the rows of the table in docs/validation.md.

use crate::common;
use common::stats::{Estimate, check, erlang_c, mmc_wait};
use common::*;
use samverkan::sim;
use samverkan::sim::Part;
use samverkan::sim::RunRecord;
use samverkan::vocabulary::Via;

const MIN: f64 = 60_000.0;

/// One unit's knowledge of the facts (other than at their origin) whose origin is at or
/// after `from_min`: (origin minute, known minute, parts in minutes).
fn learned(r: &RunRecord, unit: &str, from_min: f64) -> Vec<(f64, f64, [f64; 5])> {
    let u = r.model.unit_index(unit).expect("unit");
    let parts = r.trail_parts();
    r.knowledge
        .iter()
        .filter(|k| k.unit == u && k.via != Via::Origin)
        .map(|k| {
            let p = parts[k.trail as usize].map(|p| p as f64 / MIN);
            (r.facts[k.fact as usize].origin_time as f64 / MIN, r.trail_time(k.trail) as f64 / MIN, p)
        })
        .filter(|(origin, _, _)| *origin >= from_min)
        .collect()
}

fn mean(v: impl IntoIterator<Item = f64>) -> f64 {
    let (mut s, mut n) = (0.0, 0usize);
    for x in v {
        s += x;
        n += 1;
    }
    assert!(n > 0, "no values to average");
    s / n as f64
}

// ------------------------------------------------------------------ M/M/1 and M/M/c

/// A Poisson stream of facts at `a.src`, forwarded over a 1-minute line to `a.desk`,
/// which has `c` handlers and exponential processing: the desk is an M/M/c queue.
fn mmc_scenario(c: u32, rho: f64, service_min: f64, days: u32) -> String {
    let rate = rho * c as f64 * 60.0 / service_min;
    format!(
        r#"
[scenario]
name = "mmc"
start = "2024-03-06T10:00"
duration = "{duration}d"

[channel.line]
kind = "other"
latency = "1m"

[links]
channels = ["line"]

[organisation.a]
kind = "other"
unit.src = {{ level = "executive" }}
unit.desk = {{ level = "coordinating", handlers = {c}, processing = {{ default = {{ exponential = "{service_min}m" }} }} }}

[inject.call]
at = "0m"
stream = {{ rate_per_hour = {rate}, window = "{days}d" }}
fact = {{ origin = "a.src", severity = 3 }}
"#,
        duration = days + 3,
    )
}

/// Checks mean queueing (`queue_min`) and the probability of waiting at the desk.
fn mmc_check(c: u32, rho: f64, days: u32, reps: u64, master: u64) {
    let service = 10.0;
    let m = model(&mmc_scenario(c, rho, service, days));
    // Warm-up: the queue starts empty; five relaxation times 1/(cμ(1-√ρ)²) are dropped.
    let relax = service / c as f64 / (1.0 - rho.sqrt()).powi(2);
    let warmup = (5.0 * relax).max(600.0);
    assert!(warmup < days as f64 * 1440.0 / 4.0, "window too short for the warm-up");
    // Erlang C: P(W > t) = C·exp(−(cμ − λ)t); at t = E[W] that is C·exp(−C).
    let (p_wait, mean_w) = (erlang_c(c, rho * c as f64), mmc_wait(c, rho, service));
    let per_rep = replicate(&m, master, reps, |r| {
        let waits: Vec<f64> = learned(r, "a.desk", warmup).iter().map(|w| w.2[Part::Queue as usize]).collect();
        let share = |f: &dyn Fn(f64) -> bool| mean(waits.iter().map(|w| f(*w) as u8 as f64));
        (mean(waits.iter().copied()), share(&|w| w > 0.0), share(&|w| w > mean_w))
    });
    let name = if c == 1 { "M/M/1".to_string() } else { format!("M/M/{c}") };
    let customers = (rho * c as f64 * 6.0 * 24.0 * days as f64 - warmup / service * rho * c as f64) * reps as f64;
    println!("({name} ρ={rho}: about {customers:.0} customers measured over {reps} replications)");
    let col = |f: fn(&(f64, f64, f64)) -> f64| Estimate::of(&per_rep.iter().map(f).collect::<Vec<_>>());
    check(&format!("{name} ρ={rho}: mean queueing (min)"), mean_w, col(|p| p.0));
    check(&format!("{name} ρ={rho}: P(wait > 0)"), p_wait, col(|p| p.1));
    check(&format!("{name} ρ={rho}: P(wait > mean)"), p_wait * (-p_wait).exp(), col(|p| p.2));
}

#[test]
fn m_m_1_light_load() {
    mmc_check(1, 0.3, 90, 20, 101);
}

#[test]
fn m_m_1_half_load() {
    mmc_check(1, 0.5, 80, 20, 102);
}

#[test]
fn m_m_1_heavy_load() {
    mmc_check(1, 0.8, 120, 20, 103);
}

#[test]
fn m_m_2_half_load() {
    mmc_check(2, 0.5, 60, 20, 104);
}

#[test]
fn m_m_2_heavy_load() {
    mmc_check(2, 0.8, 60, 20, 105);
}

#[test]
fn m_m_4_heavy_load() {
    mmc_check(4, 0.8, 30, 20, 106);
}

#[test]
fn erlang_c_formula_matches_known_values() {
    // M/M/1: P(wait) = ρ. M/M/2 with a = 1: C = 1/3. Textbook M/M/3, a = 2: C = 4/9.
    assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    assert!((erlang_c(3, 2.0) - 4.0 / 9.0).abs() < 1e-12);
    assert!((mmc_wait(1, 0.5, 10.0) - 10.0).abs() < 1e-12);
    // Student-t table values for two-sided 99.9 %.
    for (df, t) in [(19, 3.883), (29, 3.659), (99, 3.392)] {
        assert!((common::stats::t_quantile(df) / t - 1.0).abs() < 1e-3, "df {df}");
    }
}

// ------------------------------------------------------------------ conferences

/// Facts arriving at random (Poisson) at `a.x` reach `a.y` only at the end of the next
/// conference of the two, which meets every `every` minutes from the start: the meeting
/// wait is uniform on (0, T], mean T/2, and the processing part is the conference length.
fn conference_check(every_min: u32, duration_min: u32, reps: u64, master: u64) {
    let m = model(&format!(
        r#"
[scenario]
name = "conference"
start = "2024-03-06T10:00"
duration = "10d"

[organisation.a]
kind = "county_board"
unit.x = {{ level = "coordinating" }}
unit.y = {{ level = "coordinating" }}

[conference.c]
convener = "a.x"
participants = ["a.x", "a.y"]
duration = "{duration_min}m"
ordinary = {{ every = "{every_min}m", first = "10:00" }}

[inject.news]
at = "0m"
stream = {{ rate_per_hour = 2, window = "9d" }}
fact = {{ origin = "a.x", severity = 2 }}
"#
    ));
    let per_rep = replicate(&m, master, reps, |r| {
        let k = learned(r, "a.y", 0.0);
        for (_, _, parts) in &k {
            assert_eq!(parts[Part::Processing as usize], duration_min as f64);
            assert!(parts[Part::MeetingWait as usize] > 0.0 && parts[Part::MeetingWait as usize] <= every_min as f64);
        }
        mean(k.iter().map(|w| w.2[Part::MeetingWait as usize]))
    });
    let name = format!("conference every {every_min} min: mean meeting wait (min)");
    check(&name, every_min as f64 / 2.0, Estimate::of(&per_rep));
}

#[test]
fn a_conference_every_hour_makes_facts_wait_half_an_hour_on_average() {
    conference_check(60, 10, 20, 201);
}

#[test]
fn a_conference_every_four_hours_makes_facts_wait_two_hours_on_average() {
    conference_check(240, 30, 20, 202);
}

// ------------------------------------------------------------------ chains of delays

const CHAIN_PREAMBLE: &str = r#"
[scenario]
name = "chain"
start = "2024-03-06T10:00"
duration = "12d"

[links]
defaults = false
"#;

/// Units u0 → u1 → u2 → u3 → u4 along explicit report links, each link with its own
/// channel. Facts start at u0 (a sparse Poisson stream; 1000 handlers: no queueing).
fn chain_scenario(latencies: [&str; 4], processing: [&str; 4]) -> String {
    let mut s = CHAIN_PREAMBLE.to_string();
    for (i, l) in latencies.iter().enumerate() {
        s += &format!("\n[channel.c{}]\nkind = \"other\"\nlatency = {l}\n", i + 1);
    }
    s += "\n[organisation.a]\nkind = \"other\"\nunit.u0 = { level = \"executive\" }\n";
    for (i, p) in processing.iter().enumerate() {
        s += &format!(
            "unit.u{} = {{ level = \"coordinating\", handlers = 1000, processing = {{ default = {p} }} }}\n",
            i + 1
        );
    }
    for i in 0..4 {
        s += &format!(
            "\n[link.l{i}]\nfrom = \"a.u{i}\"\nto = \"a.u{}\"\nflows = [\"report\"]\nchannels = [\"c{}\"]\n",
            i + 1,
            i + 1
        );
    }
    s + "\n[inject.f]\nat = \"0m\"\nstream = { rate_per_hour = 1, window = \"10d\" }\nfact = { origin = \"a.u0\", severity = 3 }\n"
}

#[test]
fn a_chain_of_fixed_delays_adds_up_exactly() {
    let m = model(&chain_scenario(
        ["\"1m\"", "\"2m30s\"", "\"4m\"", "\"45s\""],
        ["\"3m\"", "\"5m\"", "\"10m\"", "{ fixed = \"20m\" }"],
    ));
    let r = sim::run(&m, 1).expect("run");
    let k = learned(&r, "a.u4", 0.0);
    assert!(k.len() > 200, "{} facts", k.len());
    let (transit, processing) = (1.0 + 2.5 + 4.0 + 0.75, 3.0 + 5.0 + 10.0 + 20.0);
    for (origin, known, parts) in &k {
        assert_eq!(*known - *origin, transit + processing);
        assert_eq!(*parts, [transit, 0.0, processing, 0.0, 0.0]);
    }
    println!(
        "| chain of fixed delays: delay of every fact (min) | {:.4} | {:.4} (all {} facts) | exact | 0 | 1 |",
        transit + processing,
        k[0].1 - k[0].0,
        k.len()
    );
}

#[test]
fn a_chain_of_random_delays_has_the_sum_of_their_means_as_its_mean() {
    let m = model(&chain_scenario(
        [
            "{ exponential = \"3m\" }",
            "{ lognormal = { median = \"2m\", p90 = \"6m\" } }",
            "{ uniform = [\"30s\", \"90s\"] }",
            "{ triangular = [\"1m\", \"2m\", \"6m\"] }",
        ],
        [
            "{ uniform = [\"2m\", \"6m\"] }",
            "{ empirical = [\"1m\", \"2m\", \"2m\", \"7m\"] }",
            "{ exponential = \"5m\" }",
            "{ lognormal = { median = \"4m\", p90 = \"10m\" } }",
        ],
    ));
    // Textbook means, worked out here rather than taken from the library.
    let z90 = 1.281_551_565_544_600_4;
    let lognormal_mean = |median: f64, p90: f64| {
        let sigma = (p90 / median).ln() / z90;
        median * (sigma * sigma / 2.0).exp()
    };
    let transit = 3.0 + lognormal_mean(2.0, 6.0) + 1.0 + (1.0 + 2.0 + 6.0) / 3.0;
    let processing = 4.0 + 3.0 + 5.0 + lognormal_mean(4.0, 10.0);
    let per_rep = replicate(&m, 301, 20, |r| {
        let k = learned(r, "a.u4", 0.0);
        for (origin, known, parts) in &k {
            assert_eq!(parts[Part::Queue as usize], 0.0, "no queueing with 1000 handlers");
            assert!((parts.iter().sum::<f64>() - (known - origin)).abs() < 1e-9);
        }
        (
            mean(k.iter().map(|w| w.1 - w.0)),
            mean(k.iter().map(|w| w.2[Part::Transit as usize])),
            mean(k.iter().map(|w| w.2[Part::Processing as usize])),
        )
    });
    let col = |f: fn(&(f64, f64, f64)) -> f64| per_rep.iter().map(f).collect::<Vec<_>>();
    check("chain of random delays: mean delay (min)", transit + processing, Estimate::of(&col(|p| p.0)));
    check("chain of random delays: mean transit part (min)", transit, Estimate::of(&col(|p| p.1)));
    check("chain of random delays: mean processing part (min)", processing, Estimate::of(&col(|p| p.2)));
}

// ------------------------------------------------------------------ duty officers

/// One fact at a uniformly random instant of a week (Monday 00:00 + U(0, 7 d)) reaches a
/// unit staffed Monday–Friday 08:00–17:00 with a duty officer who responds in
/// U(10, 20) min. Inside office hours it waits for nobody; outside them it waits for the
/// duty officer (mean 15 min) — or for the office to open, if that comes first.
#[test]
fn a_duty_officer_adds_the_response_time_outside_office_hours_only() {
    let m = model(
        r#"
[scenario]
name = "duty"
start = "2024-03-04T00:00"
duration = "8d"

[channel.line]
kind = "other"
latency = "1m"

[links]
channels = ["line"]

[organisation.a]
kind = "municipality"
unit.e = { level = "executive" }
unit.c = { level = "coordinating", office_hours = "mon-fri 08:00-17:00", handlers = 1, duty_officer = { uniform = ["10m", "20m"] }, processing = { default = "5m" } }

[inject.alarm]
at = "0m"
jitter = { uniform = ["0m", "7d"] }
fact = { origin = "a.e", severity = 5 }
"#,
    );
    let week = 7.0 * 1440.0;
    // Minutes from `t` (minutes since Monday 00:00) to the next opening, 0 inside office hours.
    let to_open = |t: f64| {
        let day = (t / 1440.0).floor();
        let tod = t - day * 1440.0;
        let weekday = day as i64 % 7;
        if weekday < 5 && (480.0..1020.0).contains(&tod) {
            return 0.0;
        }
        let mut next = if weekday < 5 && tod < 480.0 { day * 1440.0 + 480.0 } else { (day + 1.0) * 1440.0 + 480.0 };
        while ((next / 1440.0).floor() as i64 % 7) >= 5 {
            next += 1440.0;
        }
        next - t
    };
    let rows = replicate(&m, 401, 3000, |r| {
        let (origin, known, parts) = learned(r, "a.c", 0.0)[0];
        (origin + 1.0, known - origin, parts)
    });
    let (mut office, mut night, mut edge) = (0, vec![], 0);
    for (delivered, delay, parts) in &rows {
        assert!(*delivered < week + 1.0);
        let wait = parts[Part::ActivationWait as usize];
        assert_eq!(parts[Part::Queue as usize], 0.0, "delivered at {delivered}: {parts:?}");
        let gap = to_open(*delivered);
        if gap == 0.0 {
            office += 1;
            assert_eq!((*delay, wait), (6.0, 0.0), "delivered at {delivered} in office hours");
        } else if gap >= 20.0 {
            assert!((10.0..=20.0).contains(&wait), "delivered at {delivered}: waited {wait}");
            night.push(wait);
        } else {
            // The office opens before the duty officer surely arrives: whichever comes first.
            edge += 1;
            assert!(wait <= gap + 1e-9 && (wait >= gap.min(10.0) - 1e-9), "delivered at {delivered}: {wait}");
        }
    }
    // Office hours are 45 of the 168 hours of a week.
    let share = office as f64 / rows.len() as f64;
    assert!((share - 45.0 / 168.0).abs() < 0.03, "share in office hours {share}");
    println!("(duty officer: {office} in office hours, {} outside, {edge} within 20 min of opening)", night.len());
    // One value per replication: split the outside-hours waits into 20 groups.
    let groups: Vec<f64> = night.chunks(night.len().div_ceil(20)).map(|g| mean(g.iter().copied())).collect();
    check("duty officer U(10,20) min outside office hours: mean wait (min)", 15.0, Estimate::of(&groups));
}

// ------------------------------------------------------------------ lossy channels

/// A Poisson stream of reports over a channel that loses each attempt with probability
/// p and re-sends after 5 min: attempts are geometric with mean 1/(1−p).
fn loss_check(p: f64, master: u64) {
    let m = model(&format!(
        r#"
[scenario]
name = "loss"
start = "2024-03-06T10:00"
duration = "11d"

[channel.radio]
kind = "other"
latency = "2m"
loss = {p}
retry_after = "5m"

[links]
channels = ["radio"]

[organisation.a]
kind = "other"
unit.e = {{ level = "executive" }}
unit.c = {{ level = "coordinating", handlers = 1000 }}

[inject.f]
at = "0m"
stream = {{ rate_per_hour = 6, window = "10d" }}
fact = {{ origin = "a.e", severity = 3 }}
"#
    ));
    let per_rep = replicate(&m, master, 20, |r| {
        for msg in &r.messages {
            let transit = (msg.delivered.expect("delivered") - msg.sent) as f64 / MIN;
            assert_eq!(
                transit,
                2.0 + 5.0 * (msg.attempts - 1) as f64,
                "transit of a message with {} attempts",
                msg.attempts
            );
        }
        mean(r.messages.iter().map(|m| m.attempts as f64))
    });
    check(&format!("channel with loss p={p}: mean attempts"), 1.0 / (1.0 - p), Estimate::of(&per_rep));
}

#[test]
fn a_channel_losing_one_in_ten_needs_1_11_attempts_on_average() {
    loss_check(0.1, 501);
}

#[test]
fn a_channel_losing_half_needs_two_attempts_on_average() {
    loss_check(0.5, 502);
}

#[test]
fn a_channel_losing_four_in_five_needs_five_attempts_on_average() {
    loss_check(0.8, 503);
}
