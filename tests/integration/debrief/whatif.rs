//! Tests of the debrief: whatif (issue 17 point 5). The model rerun with an observed
//! deviation imposed: the imposed change lands where it should, the knock-on effects are
//! the ones worked out by hand on deterministic scenarios, common random numbers make an
//! identity change exactly zero, and the results do not depend on the thread count.

use samverkan::debrief::whatif::{self, FIRST_SESSION, OBJECTIVE, PROCESSING};
use samverkan::debrief::{
    Effect, EventKind, Hop, Imposed, Observation, Placed, Spread, Subject, Verdict, WhatIf, runs,
};
use samverkan::model::Model;
use samverkan::report::i18n::Lang;
use samverkan::scenario::{self, Source};
use samverkan::sim::{self, RunRecord};
use samverkan::time::minutes;
use std::sync::Arc;

/// A fact that reaches the strategic level ONLY through a conference: a.exec (origin) →
/// a.coord (report link, 1 min, 5 min processing; activates on the fact), which convenes
/// `regional` (strategic units of b and c); `{cadence}` is the conference's cadence line.
fn conference_scenario(cadence: &str) -> String {
    format!(
        r#"
[scenario]
name = "whatif-conference"
start = "2024-03-06T10:00"
duration = "1d"
seed = 3

[channel.phone]
kind = "phone_fixed"
latency = "1m"

[links]
channels = ["phone"]
defaults = false

[organisation.a]
kind = "rescue"
unit.exec = {{ level = "executive", processing = {{ default = "2m" }} }}
unit.coord = {{ level = "coordinating", processing = {{ default = "5m" }}, activation_threshold = 3 }}

[organisation.b]
kind = "county_board"
unit.strat = {{ level = "strategic", name = "County board management" }}

[organisation.c]
kind = "municipality"
unit.strat = {{ level = "strategic", name = "Municipal management" }}

[link.up]
from = "a.exec"
to = "a.coord"
flows = ["report"]

[conference.regional]
name = "Regional samverkanskonferens"
convener = "a.coord"
participants = ["level:strategic"]
duration = "15m"
{cadence}

[inject.alarm]
at = "0m"
fact = {{ origin = "a.exec", severity = 5, text = "Fire" }}

[objective.strat-informed]
description = "Every strategic unit knows of the fire within 60 min"
measure = "all_known"
fact = "alarm"
level = "strategic"
within = "60m"
"#
    )
}

const ACTIVATED: &str = r#"activated = { every = "2h", first_after = "30m" }"#;
const ORDINARY: &str = r#"ordinary = { every = "1h", first = "11:00" }"#;

fn build(toml: &str) -> Arc<Model> {
    match scenario::build(&Source::from_str("whatif.toml", toml), None, &[]) {
        Ok(m) => Arc::new(m),
        Err(e) => panic!("scenario does not compile:\n{e}"),
    }
}

fn load(path: &str) -> Arc<Model> {
    Arc::new(scenario::load(std::path::Path::new(path), None).expect("scenario loads"))
}

/// Session starts of conference 0, in minutes.
fn sessions(r: &RunRecord) -> Vec<f64> {
    r.conferences.iter().filter(|c| c.conference == 0).map(|c| minutes(c.start)).collect()
}

fn effect<'a>(w: &'a WhatIf, measure: &str) -> Option<&'a Effect> {
    w.effects.iter().find(|e| e.measure == measure)
}

fn first_session(observed_min: f64, model_median_min: f64) -> Imposed {
    Imposed::FirstSession { conference: 0, observed_min, model_median_min }
}

#[test]
fn the_first_session_is_held_at_the_imposed_time() {
    for (cadence, then) in [(ACTIVATED, 120.0), (ORDINARY, 60.0)] {
        let base = build(&conference_scenario(cadence));
        let expected = sim::run(&base, 1).unwrap();
        let first = sessions(&expected)[0];
        // Before the model's first session, after it, and (for the activated conference)
        // before the convener even knows of the fire.
        for at in [3.0, 20.0, first + 47.5] {
            let changed = Arc::new(whatif::impose(&base, &first_session(at, first)));
            assert_ne!(changed.hash, base.hash, "the imposed model has its own hash");
            assert!(changed.hash.starts_with(&base.hash) && changed.hash.contains("+whatif:"));
            // An activated conference imposed before its convener activates is called
            // by the activation as in the model; otherwise the cadence goes on from it.
            let second = if cadence == ACTIVATED && at == 3.0 { first } else { at + then };
            for seed in runs::seeds(base.seed, 3) {
                let s = sessions(&sim::run(&changed, seed).unwrap());
                assert_eq!(s[0], at, "{cadence}: first session at {at}, got {s:?}");
                assert_eq!(s[1], second, "{cadence}: the schedule after it ({s:?})");
            }
        }
    }
}

#[test]
fn a_first_session_moved_shifts_the_strategic_level_by_as_much() {
    let base = build(&conference_scenario(ACTIVATED));
    let r = sim::run(&base, 1).unwrap();
    let first = sessions(&r)[0];
    let all_strategic =
        |r: &RunRecord| samverkan::metrics::summarise(r).measures[samverkan::metrics::Headline::FirstFactAllStrategic];
    // The fact reaches strategic units only at the end of the first session that a
    // participant who knows it attends: start + 15 min.
    assert_eq!(all_strategic(&r), Some(first + 15.0));
    let at = first + 50.0;
    let seeds = runs::seeds(base.seed, 4);
    let found = whatif::what_ifs(&base, &seeds, vec![(first_session(at, first), vec![7])], || ()).unwrap();
    let w = &found[0];
    assert_eq!(w.rows, vec![7]);
    assert_eq!(w.achieved_median_min, Some(at));
    let e = effect(w, "first_fact_all_strategic_min").expect("a clear effect");
    assert_eq!((e.base_mean, e.imposed_mean), (first + 15.0, at + 15.0));
    assert_eq!((e.difference, e.interval, e.pairs), (50.0, (50.0, 50.0), 4));
    let own = effect(w, "first_session_min:regional").expect("the imposed quantity is kept");
    assert_eq!(own.difference, 50.0);
    // Met in every base run (first + 15 ≤ 60), in no imposed run.
    assert!(first + 15.0 <= 60.0 && at + 15.0 > 60.0);
    let o = effect(w, "objective:strat-informed").expect("objective effect");
    assert_eq!((o.base_mean, o.imposed_mean, o.difference), (100.0, 0.0, -100.0));
    // The executive level is untouched: no effect is reported for it.
    assert!(effect(w, "first_fact_all_executive_min").is_none());
    let sorted = w.effects.windows(2).all(|p| p[0].difference.abs() >= p[1].difference.abs());
    assert!(sorted, "effects sorted by size: {:?}", w.effects);
}

#[test]
fn a_slowed_unit_delays_the_levels_above_it() {
    // chain.toml: exec (2 min) → coord (5 min) → strat (10 min), 1 min per hop, fixed.
    let base = load("tests/scenarios/chain.toml");
    let coord = base.unit_index("a.coord").unwrap();
    let imposed = Imposed::SlowerUnit { unit: coord, factor: 3.0 };
    let changed = whatif::impose(&base, &imposed);
    assert_eq!(
        changed.units[coord as usize].processing[0].mean(),
        3.0 * base.units[coord as usize].processing[0].mean()
    );
    assert!(changed.hash.ends_with("+whatif:slower:a.coordx3"), "{}", changed.hash);
    let seeds = runs::seeds(base.seed, 3);
    let w = &whatif::what_ifs(&base, &seeds, vec![(imposed, vec![2, 3])], || ()).unwrap()[0];
    // Coord's processing goes from 5 to 15 min: both levels from it upward learn 10 min later.
    for m in ["first_fact_all_coordinating_min", "first_fact_all_strategic_min"] {
        let e = effect(w, m).unwrap_or_else(|| panic!("{m} in {:?}", w.effects));
        assert_eq!((e.difference, e.interval), (10.0, (10.0, 10.0)), "{m}");
    }
    assert!(effect(w, "first_fact_all_executive_min").is_none());
    assert_eq!(w.achieved_median_min, Some(15.0));
    let en = whatif::sentence(w, &base, Lang::En);
    assert_eq!(
        en,
        "With a coord as slow as observed (processing ×3.0), every strategic unit would have known \
         the first fact 10 min later."
    );
}

/// A fixed-interval stream of facts into one desk with exponential processing (4 min mean):
/// one server, deterministic arrivals (a D/M/1 queue); processing times are what we check.
const DESK: &str = r#"
[scenario]
name = "whatif-desk"
start = "2024-03-06T10:00"
duration = "1d"
seed = 5

[channel.line]
kind = "other"
latency = "1m"

[links]
channels = ["line"]
defaults = false

[organisation.a]
kind = "rescue"
unit.src = { level = "executive" }
unit.desk = { level = "coordinating", processing = { default = { exponential = "4m" } } }

[link.up]
from = "a.src"
to = "a.desk"
flows = ["report"]

[inject.calls]
at = "0m"
stream = { every = "10m", window = "23h" }
fact = { origin = "a.src", severity = 3, text = "Call" }
"#;

/// Processing minutes of every message `unit` finished, in message order.
fn processing(r: &RunRecord, unit: u32) -> Vec<f64> {
    r.messages.iter().filter(|m| m.to == unit).filter_map(|m| Some(minutes(m.done? - m.started?))).collect()
}

#[test]
fn a_slowed_desk_takes_k_times_as_long_per_message() {
    let base = build(DESK);
    let desk = base.unit_index("a.desk").unwrap();
    let k = 2.0;
    let changed = Arc::new(whatif::impose(&base, &Imposed::SlowerUnit { unit: desk, factor: k }));
    let (mut all, mut n) = (0.0, 0usize);
    for seed in runs::seeds(base.seed, 20) {
        let (b, c) =
            (processing(&sim::run(&base, seed).unwrap(), desk), processing(&sim::run(&changed, seed).unwrap(), desk));
        // Common random numbers: the desk draws the same uniforms in the same order, so
        // each message takes k times as long (to the millisecond's rounding).
        for (x, y) in b.iter().zip(&c) {
            assert!((y - k * x).abs() <= 2.0 / 60_000.0, "{y} ≠ {k} × {x}");
        }
        all += c.iter().sum::<f64>();
        n += c.len();
    }
    // Theory: the mean of an exponential with mean k × 4 min. ~2 800 draws: sd of the mean ≈ 0.15.
    let mean = all / n as f64;
    assert!(n > 2000 && (mean - k * 4.0).abs() < 0.5, "mean {mean} over {n}");
    // The imposed quantity reported: the median processing time, k × 4 × ln 2 in theory.
    let seeds = runs::seeds(base.seed, 20);
    let w = &whatif::what_ifs(&base, &seeds, vec![(Imposed::SlowerUnit { unit: desk, factor: k }, vec![])], || ())
        .unwrap()[0];
    let achieved = w.achieved_median_min.unwrap();
    assert!((achieved / (k * 4.0 * 2f64.ln()) - 1.0).abs() < 0.1, "median processing {achieved}");
    let own = effect(w, &format!("{PROCESSING}a.desk")).unwrap();
    assert!(own.difference > 0.0 && own.interval.0 > 0.0, "{own:?}");
}

#[test]
fn imposing_nothing_changes_nothing() {
    // A random scenario: with factor 1 the paired runs are identical, so every difference
    // is 0 with a zero-width interval, and only the imposed quantity is reported.
    let base = load("tests/scenarios/batch-small.toml");
    let coord = base.unit_index("a.coord").unwrap();
    let seeds = runs::seeds(base.seed, 8);
    let w = &whatif::what_ifs(&base, &seeds, vec![(Imposed::SlowerUnit { unit: coord, factor: 1.0 }, vec![])], || ())
        .unwrap()[0];
    assert_eq!(w.effects.len(), 1, "{:?}", w.effects);
    let e = &w.effects[0];
    assert_eq!(e.measure, format!("{PROCESSING}a.coord"));
    assert_eq!((e.difference, e.interval), (0.0, (0.0, 0.0)));
    assert_eq!(e.base_mean, e.imposed_mean);
    let en = whatif::sentence(w, &base, Lang::En);
    assert!(
        en.ends_with("no headline measure would have changed clearly (every 95 % interval includes zero)."),
        "{en}"
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let base = load("tests/scenarios/batch-small.toml");
    let (coord, strat) = (base.unit_index("a.coord").unwrap(), base.unit_index("a.strat").unwrap());
    let cands = || {
        vec![
            (Imposed::SlowerUnit { unit: strat, factor: 2.5 }, vec![4]),
            (Imposed::SlowerUnit { unit: coord, factor: 3.0 }, vec![2, 3]),
        ]
    };
    let seeds = runs::seeds(base.seed, 12);
    let ticks = std::sync::atomic::AtomicUsize::new(0);
    let tick = || {
        ticks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let pool = |n| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap();
    let one = pool(1).install(|| whatif::what_ifs(&base, &seeds, cands(), tick).unwrap());
    let two = pool(2).install(|| whatif::what_ifs(&base, &seeds, cands(), || ()).unwrap());
    assert_eq!(one, two);
    assert_eq!(ticks.into_inner(), 12 * 3, "one tick per run: base + two candidates");
    // Slowing the coordinating unit ×3 (exponential, 5 min mean) delays its level.
    let e = effect(&one[1], "first_fact_all_coordinating_min").expect("a clear effect");
    assert!(e.difference > 0.0 && e.interval.0 > 0.0, "{e:?}");
}

fn placed(
    row: u64,
    unit: u32,
    event: EventKind,
    subject: Subject,
    observed: f64,
    median: f64,
    verdict: Verdict,
) -> Placed {
    Placed {
        observation: Observation {
            row,
            time: (observed * 60_000.0) as i64,
            unit,
            event,
            subject: Some(subject),
            from: None,
            to: None,
            observer: String::new(),
            note: String::new(),
        },
        observed_min: observed,
        spread: Spread {
            runs: 100,
            happened: 100,
            p10: Some(median - 5.0),
            median: Some(median),
            p90: Some(median + 5.0),
            mean: Some(median),
        },
        percentile: None,
        verdict,
        reason: String::new(),
    }
}

#[test]
fn candidates_are_the_largest_deviations() {
    let model = load("tests/scenarios/chain.toml");
    let (exec, coord, strat) = (0, 1, 2);
    let fact = |s: &str| Subject::Fact(s.into());
    let (knew, slower, ok) = (EventKind::Knew, Verdict::Slower, Verdict::AsExpected);
    let conf =
        |row, t, median, v| placed(row, coord, EventKind::ConferenceStarted, Subject::Conference(0), t, median, v);
    let log = vec![
        // The conference's first session (the earliest row, not the first in the file).
        conf(9, 200.0, 110.0, ok),
        conf(8, 67.0, 110.0, Verdict::Faster),
        // coord: 2 of 3 rows slower, the alarm (at 0) known at 24 instead of 8: ratio 3; and 30 vs 12: 2.5.
        placed(2, coord, knew, fact("alarm"), 24.0, 8.0, slower),
        placed(3, coord, EventKind::Handled, fact("alarm"), 30.0, 12.0, slower),
        placed(4, coord, knew, fact("other"), 5.0, 5.0, ok),
        // strat: slower on the alarm too, but after coord was: explained upstream.
        placed(5, strat, knew, fact("alarm"), 60.0, 20.0, slower),
        placed(6, strat, knew, fact("alarm"), 61.0, 20.0, slower),
        // exec: 1 slower of 3: not mostly slower.
        placed(10, exec, knew, fact("alarm"), 30.0, 2.0, slower),
        placed(11, exec, knew, fact("x"), 3.0, 2.0, ok),
        placed(12, exec, knew, fact("y"), 3.0, 2.0, ok),
    ];
    let got = whatif::candidates(&model, &log, &[], 3);
    assert_eq!(
        got,
        vec![(first_session(67.0, 110.0), vec![8]), (Imposed::SlowerUnit { unit: coord, factor: 2.75 }, vec![2, 3]),]
    );
    assert_eq!(whatif::candidates(&model, &log, &[], 1).len(), 1);
    // A hop into exec handled 10 × the model's mean makes it a candidate on its own.
    let hop = Hop {
        fact: "alarm".into(),
        from: strat,
        to: exec,
        rows: vec![20, 21],
        observed: [Some(1.0), None, None, None, None],
        model_mean: [Some(1.0), Some(1.0), Some(3.0), None, None],
        model_runs: 100,
        observed_at_unit: Some(40.0),
        model_at_unit_mean: Some(4.0),
    };
    // Sizes: the conference 43 min, exec's hop 40 − 4 = 36 min, coord's rows 30 − 12 = 18 min.
    let got = whatif::candidates(&model, &log, &[hop], 3);
    assert_eq!(got.len(), 3);
    assert_eq!(got[1], (Imposed::SlowerUnit { unit: exec, factor: 10.0 }, vec![10, 20, 21]));
    assert!(matches!(got[2].0, Imposed::SlowerUnit { unit, .. } if unit == coord));
    assert_eq!(whatif::fact_origin_min(&model, "alarm"), Some(0.0));
    assert_eq!(whatif::fact_origin_min(&model, "nothing"), None);
}

#[test]
fn the_sentence_in_english_and_swedish() {
    let model = build(&conference_scenario(ACTIVATED));
    let e = |measure: &str, d: f64, lo: f64, hi: f64| Effect {
        measure: measure.into(),
        base_mean: 100.0,
        imposed_mean: 100.0 + d,
        difference: d,
        interval: (lo, hi),
        pairs: 200,
    };
    let mut w = WhatIf {
        imposed: first_session(67.0, 110.0),
        rows: vec![8],
        achieved_median_min: Some(67.0),
        effects: vec![
            e(&format!("{FIRST_SESSION}regional"), -43.0, -43.0, -43.0),
            e("first_fact_all_strategic_min", -38.2, -45.1, -31.4),
            e(&format!("{OBJECTIVE}strat-informed"), 25.0, 18.0, 32.0),
        ],
    };
    assert_eq!(
        whatif::sentence(&w, &model, Lang::En),
        "Had Regional samverkanskonferens first met at 67 min instead of 110 (the model's median), \
         every strategic unit would have known the first fact 38 min sooner (31–45) and the probability \
         of meeting “Every strategic unit knows of the fire within 60 min” would have risen by 25 points (18–32)."
    );
    assert_eq!(
        whatif::sentence(&w, &model, Lang::Sv),
        "Om Regional samverkanskonferens hade mötts första gången vid 67 min i stället för 110 (modellens median), \
         hade varje enhet på inriktande nivå känt till det första beskedet 38 min tidigare (31–45) och sannolikheten \
         att nå målet ”Every strategic unit knows of the fire within 60 min” hade stigit med 25 procentenheter (18–32)."
    );
    let strat = model.unit_index("b.strat").unwrap();
    w.imposed = Imposed::SlowerUnit { unit: strat, factor: 3.24 };
    w.effects = vec![e("delay_coordinating_median_min", 2.46, 1.52, 3.4)];
    assert_eq!(
        whatif::sentence(&w, &model, Lang::Sv),
        "Med County board management så långsam som observerat (handläggning ×3,2), \
         hade mediandröjsmålet på samordnande nivå varit 2,5 min längre (1,5–3,4)."
    );
    assert_eq!(
        whatif::sentence(&w, &model, Lang::En),
        "With County board management as slow as observed (processing ×3.2), \
         the median delay at the coordinating level would have been 2.5 min longer (1.5–3.4)."
    );
}

#[test]
fn the_stock_scenario_with_the_2017_first_conference() {
    // 7 April 2017: the first regional conference met at 16:00, 67 min after the alarm.
    let base = load("scenarios/stockholm-attack.toml");
    let regional = base.conferences.iter().position(|c| c.id == "regional").unwrap() as u32;
    let imposed = Imposed::FirstSession { conference: regional, observed_min: 67.0, model_median_min: 0.0 };
    let changed = Arc::new(whatif::impose(&base, &imposed));
    let seeds = runs::seeds(base.seed, 8);
    let medians = sim::run(&base, seeds[0]).unwrap();
    let model_first = medians.conferences.iter().filter(|c| c.conference == regional).map(|c| minutes(c.start));
    let model_first = model_first.fold(f64::MAX, f64::min);
    for &seed in &seeds {
        let r = sim::run(&changed, seed).unwrap();
        let first = r.conferences.iter().filter(|c| c.conference == regional).map(|c| minutes(c.start));
        assert_eq!(first.fold(f64::MAX, f64::min), 67.0, "seed {seed}");
    }
    // A first conference at 180 min instead of ~66: later picture, the objective on it
    // missed in (nearly) every run; percentage points stay within ±100.
    let seeds = runs::seeds(base.seed, 40);
    let imposed = Imposed::FirstSession { conference: regional, observed_min: 180.0, model_median_min: model_first };
    let w = &whatif::what_ifs(&base, &seeds, vec![(imposed, vec![])], || ()).unwrap()[0];
    assert_eq!(w.achieved_median_min, Some(180.0));
    let picture = effect(w, "first_picture_min").expect("the picture follows the conference");
    assert!(picture.interval.0 > 60.0, "{picture:?}");
    let o = effect(w, "objective:regional-conference").expect("the objective on the first conference");
    assert_eq!(o.imposed_mean, 0.0);
    assert!(o.difference < -50.0 && o.interval.0 >= -100.0 && o.interval.1 < 0.0, "{o:?}");
    let sv = whatif::sentence(w, &base, Lang::Sv);
    assert!(
        sv.starts_with("Om Regional samverkanskonferens hade mötts första gången vid 180 min i stället för "),
        "{sv}"
    );
    assert!(sv.contains("hade sjunkit med"), "{sv}");
}

/// When `unit` came to know `fact` in a run (minutes from the start).
fn knew(r: &RunRecord, unit: u32, fact: &str) -> Option<f64> {
    let fi = r.facts.iter().position(|f| f.id == fact)? as u32;
    r.knowledge.iter().find(|k| k.unit == unit && k.fact == fi).map(|k| minutes(r.trail_time(k.trail)))
}

#[test]
fn a_log_of_a_slowed_chain_points_at_the_slowed_unit() {
    // chain.toml with a second fact at 30 min; the "exercise" is a run with the
    // coordinating unit 3 × as slow. Its rows and those of the strategic unit above it
    // are slower; only the coordinating unit is a candidate (the strategic unit's lateness
    // is explained upstream), with the factor the ratio rule gives: (1 + 15) / (1 + 5).
    let text = std::fs::read_to_string("tests/scenarios/chain.toml").unwrap()
        + "\n[inject.update]\nat = \"30m\"\nfact = { origin = \"a.exec\", severity = 4, text = \"Spreading\" }\n";
    let base = build(&text);
    let coord = base.unit_index("a.coord").unwrap();
    let exercise = whatif::impose(&base, &Imposed::SlowerUnit { unit: coord, factor: 3.0 });
    let (expected, observed) = (sim::run(&base, 1).unwrap(), sim::run(&Arc::new(exercise), 1).unwrap());
    let mut log = vec![];
    for (unit, fact) in [(0, "alarm"), (1, "alarm"), (2, "alarm"), (0, "update"), (1, "update"), (2, "update")] {
        let (o, m) = (knew(&observed, unit, fact).unwrap(), knew(&expected, unit, fact).unwrap());
        let verdict = if o > m { Verdict::Slower } else { Verdict::AsExpected };
        log.push(placed(log.len() as u64 + 2, unit, EventKind::Knew, Subject::Fact(fact.into()), o, m, verdict));
    }
    let slower: Vec<u32> = log.iter().filter(|p| p.verdict == Verdict::Slower).map(|p| p.observation.unit).collect();
    assert_eq!(slower, vec![1, 2, 1, 2], "{log:?}");
    let cands = whatif::candidates(&base, &log, &[], 3);
    assert_eq!(cands.len(), 1, "{cands:?}");
    let Imposed::SlowerUnit { unit, factor } = cands[0].0 else { panic!("{cands:?}") };
    assert_eq!(unit, coord);
    assert!((factor - 16.0 / 6.0).abs() < 1e-9, "factor {factor}");
    assert_eq!(cands[0].1, vec![3, 6]);
    let w = &whatif::what_ifs(&base, &[1, 2], cands, || ()).unwrap()[0];
    let e = effect(w, "first_fact_all_strategic_min").unwrap();
    assert!((e.difference - 5.0 * (16.0 / 6.0 - 1.0)).abs() < 0.01, "{e:?}");
}

#[test]
fn labels_for_tables() {
    let model = build(&conference_scenario(ACTIVATED));
    let strat = model.unit_index("b.strat").unwrap();
    let slow = Imposed::SlowerUnit { unit: strat, factor: 3.24 };
    assert_eq!(whatif::label(&slow, &model, Lang::En), "County board management: processing ×3.2");
    assert_eq!(whatif::label(&slow, &model, Lang::Sv), "County board management: handläggning ×3,2");
    assert_eq!(
        whatif::label(&first_session(67.5, 110.0), &model, Lang::Sv),
        "Regional samverkanskonferens: första mötet vid 68 min (modellen 110)"
    );
    let m = |s: &str, l| whatif::measure_label(s, &model, l);
    assert_eq!(m("first_fact_all_strategic_min", Lang::En), "First fact: all strategic units know");
    assert_eq!(m("objective:strat-informed", Lang::Sv), "Mål: Every strategic unit knows of the fire within 60 min");
    assert_eq!(m("first_session_min:regional", Lang::En), "Regional samverkanskonferens: first session");
    assert_eq!(m("processing_median_min:b.strat", Lang::Sv), "County board management: median handläggningstid");
}
