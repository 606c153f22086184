//! Tests of the debrief: compare. Observations placed in the model (by hand on a fixed
//! chain, and statistically on logs drawn from a model with a known slowed unit), the
//! verdicts that say the model has no such quantity, objective ratings, hops, and the
//! `samverkan debrief` command end to end.

use samverkan::debrief::{
    self, BatchInfo, Debrief, EventKind, ExerciseLog, Observation, Rating, Subject, Verdict, compare, runs,
};
use samverkan::model::Model;
use samverkan::time::MINUTE;
use samverkan::vocabulary::Via;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

const CHAIN: &str = "tests/scenarios/chain.toml";
const TWO: &str = "tests/debrief/fixtures/two-chains.toml";
const STOCK: &str = "scenarios/stockholm-attack.toml";

fn load(path: &str, variant: Option<&str>) -> Arc<Model> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    Arc::new(samverkan::scenario::load(&p, variant).expect("the scenario loads"))
}

fn unit(m: &Model, id: &str) -> u32 {
    m.unit_index(id).unwrap_or_else(|| panic!("no unit {id}"))
}

fn obs(row: u64, min: f64, unit: u32, event: EventKind, subject: Option<Subject>) -> Observation {
    Observation {
        row,
        time: (min * MINUTE as f64).round() as i64,
        unit,
        event,
        subject,
        from: None,
        to: None,
        observer: String::new(),
        note: String::new(),
    }
}

fn fact(f: &str) -> Option<Subject> {
    Some(Subject::Fact(f.to_string()))
}

fn log(observations: Vec<Observation>) -> ExerciseLog {
    ExerciseLog { file: "test.csv".into(), observations }
}

fn debrief_of(model: &Arc<Model>, log: &ExerciseLog, master: u64, n: u64) -> Debrief {
    let info: BatchInfo = compare::batch_info(model, "test.toml", master, n as usize, None);
    compare::compare(model, log, info, &runs::seeds(master, n), || ()).expect("the runs succeed")
}

/// A log of one run of `model`: every unit's learning of every fact other than at its
/// origin, as `knew` rows, and every conference session's start.
fn drawn_log(model: &Arc<Model>, seed: u64) -> ExerciseLog {
    drawn(model, seed, false)
}

type Row = (i64, u32, EventKind, Option<Subject>);

/// As [`drawn_log`]; with `every_event`, also sessions' ends, pictures, activations,
/// public messages, and each unit's first request, decision and arrival.
fn drawn(model: &Arc<Model>, seed: u64, every_event: bool) -> ExerciseLog {
    let r = samverkan::sim::run(model, seed).expect("the run succeeds");
    let mut rows: Vec<Row> = r
        .knowledge
        .iter()
        .filter(|k| k.via != Via::Origin)
        .map(|k| (r.trail_time(k.trail), k.unit, EventKind::Knew, fact(&r.facts[k.fact as usize].id)))
        .collect();
    for c in &r.conferences {
        let convener = model.conferences[c.conference as usize].convener;
        rows.push((c.start, convener, EventKind::ConferenceStarted, Some(Subject::Conference(c.conference))));
        if every_event {
            rows.push((c.end, convener, EventKind::ConferenceEnded, Some(Subject::Conference(c.conference))));
        }
    }
    if every_event {
        rows.extend(other_events(model, &r));
    }
    rows.sort_by_key(|a| (a.0, a.1));
    let observations = rows
        .into_iter()
        .enumerate()
        .map(|(i, (t, u, e, s))| Observation { time: t, ..obs(i as u64 + 2, 0.0, u, e, s) })
        .collect();
    log(observations)
}

/// Pictures, activations, public messages, and each unit's first request, decision and
/// arrival of resources in run `r`.
fn other_events(model: &Model, r: &samverkan::sim::RunRecord) -> Vec<Row> {
    let mut rows: Vec<Row> = vec![];
    for p in &r.pictures {
        let convener = model.conferences[p.0 as usize].convener;
        rows.push((p.1, convener, EventKind::PicturePublished, Some(Subject::Conference(p.0))));
    }
    for (u, o) in r.units.iter().enumerate() {
        if let Some(t) = o.activated {
            rows.push((t, u as u32, EventKind::Activated, None));
        }
    }
    let mut first = std::collections::BTreeMap::<(u32, u8, u32), i64>::new();
    let mut keep = |k: (u32, u8, u32), t: i64| {
        let e = first.entry(k).or_insert(t);
        *e = (*e).min(t);
    };
    for p in &r.public {
        keep((p.unit, 0, p.fact), p.time);
    }
    for q in &r.requests {
        let responsible = r.incidents[q.incident as usize].responsible;
        keep((responsible, 1, u32::MAX), q.requested);
        if let Some(t) = q.arrived {
            keep((responsible, 2, u32::MAX), t);
        }
        // An observer logs a decision where it is taken: at the units that decide.
        let decides = |h: u32| {
            model.units[h as usize].decides_requests
                || model.conferences.iter().any(|c| c.decides_requests && c.participants.contains(&h))
        };
        for h in q.holders.iter().filter(|h| q.decided.is_some() && decides(**h)) {
            keep((*h, 3, u32::MAX), q.decided.unwrap_or_default());
        }
    }
    for ((u, kind, f), t) in first {
        let (event, subject) = match kind {
            0 => (EventKind::PublicMessage, fact(&r.facts[f as usize].id)),
            1 => (EventKind::Requested, None),
            2 => (EventKind::ResourcesArrived, None),
            _ => (EventKind::Decided, None),
        };
        rows.push((t, u, event, subject));
    }
    rows
}

// ------------------------------------------------------------------ placement by hand

#[test]
fn on_a_fixed_chain_the_fixed_time_is_as_expected_earlier_faster_later_slower() {
    // chain.toml: alarm at a.exec at 0; a.coord knows it after 1 min phone + 5 min
    // processing = 6 min; a.strat after 6 + 1 + 10 = 17 min. Every run the same.
    let m = load(CHAIN, None);
    let (coord, strat) = (unit(&m, "a.coord"), unit(&m, "a.strat"));
    let l = log(vec![
        obs(2, 6.0, coord, EventKind::Knew, fact("alarm")),
        obs(3, 5.0, coord, EventKind::Knew, fact("alarm")),
        obs(4, 7.0, coord, EventKind::Knew, fact("alarm")),
        obs(5, 17.0, strat, EventKind::Knew, fact("alarm")),
    ]);
    let d = debrief_of(&m, &l, 1, 4);
    let got: Vec<(Verdict, Option<f64>)> = d.placed.iter().map(|p| (p.verdict, p.percentile)).collect();
    assert_eq!(
        got,
        vec![
            (Verdict::AsExpected, Some(50.0)),
            (Verdict::Faster, Some(0.0)),
            (Verdict::Slower, Some(100.0)),
            (Verdict::AsExpected, Some(50.0)),
        ]
    );
    let s = &d.placed[0].spread;
    assert_eq!((s.runs, s.happened), (4, 4));
    assert_eq!((s.p10, s.median, s.p90, s.mean), (Some(6.0), Some(6.0), Some(6.0), Some(6.0)));
    assert_eq!(d.placed[1].observed_min, 5.0);
}

#[test]
fn on_a_fixed_chain_sent_received_and_handled_are_the_messages_times() {
    // chain.toml: a.exec reports to a.coord at 0 (delivered at 1, done at 6); a.coord to
    // a.strat at 6 (delivered at 7, done at 17).
    let m = load(CHAIN, None);
    let (exec, coord, strat) = (unit(&m, "a.exec"), unit(&m, "a.coord"), unit(&m, "a.strat"));
    let with = |mut o: Observation, from: Option<u32>, to: Option<u32>| {
        o.from = from;
        o.to = to;
        o
    };
    let l = log(vec![
        with(obs(2, 0.0, exec, EventKind::Sent, fact("alarm")), None, Some(coord)),
        with(obs(3, 1.0, coord, EventKind::Received, fact("alarm")), Some(exec), None),
        obs(4, 6.0, coord, EventKind::Handled, fact("alarm")),
        with(obs(5, 6.0, coord, EventKind::Sent, fact("alarm")), None, None),
        obs(6, 7.0, strat, EventKind::Received, fact("alarm")),
        with(obs(7, 17.0, strat, EventKind::Handled, fact("alarm")), Some(coord), None),
        obs(8, 0.0, exec, EventKind::Handled, fact("alarm")),
        with(obs(9, 7.0, strat, EventKind::Received, fact("alarm")), Some(exec), None),
    ]);
    let d = debrief_of(&m, &l, 1, 3);
    let medians: Vec<Option<f64>> = d.placed.iter().map(|p| p.spread.median).collect();
    assert_eq!(medians, [Some(0.0), Some(1.0), Some(6.0), Some(6.0), Some(7.0), Some(17.0), Some(0.0), None]);
    assert!(d.placed[..7].iter().all(|p| p.verdict == Verdict::AsExpected));
    // a.exec learned it at its origin: handled = when it knew. a.exec never sends to
    // a.strat directly (and no link joins them).
    assert_eq!(d.placed[7].verdict, Verdict::NotComparable, "{}", d.placed[7].reason);
    // Two hops: exec → coord (sent to coord, received from exec) and coord → strat
    // (a send to no one named, and strat's handled from coord).
    let hops: Vec<(u32, u32, Option<f64>, Option<f64>)> =
        d.hops.iter().map(|h| (h.from, h.to, h.observed[0], h.observed_at_unit)).collect();
    assert_eq!(hops, [(exec, coord, Some(1.0), Some(5.0)), (coord, strat, Some(1.0), Some(10.0))]);
    assert_eq!(d.hops[1].model_mean[2], Some(10.0), "a.strat processes for 10 min");
}

#[test]
fn percentile_counts_ties_half_and_verdict_uses_p10_and_p90() {
    let v = [1.0, 2.0, 2.0, 4.0];
    assert_eq!(compare::percentile(&v, 2.0), Some(50.0)); // 1 below + 2 ties / 2 = 2 of 4
    assert_eq!(compare::percentile(&v, 0.5), Some(0.0));
    assert_eq!(compare::percentile(&v, 5.0), Some(100.0));
    assert_eq!(compare::percentile(&[], 5.0), None);
    let (s, sorted) = compare::spread([Some(4.0), None, Some(1.0), Some(2.0), Some(2.0)].into_iter());
    assert_eq!(sorted, v);
    assert_eq!((s.runs, s.happened, s.median), (5, 4, Some(2.0)));
    assert_eq!(s.p10, Some(1.3)); // type 7: 1 + 0.3 × (2 − 1)
    assert_eq!(compare::verdict(&s, 1.0), Verdict::Faster);
    assert_eq!(compare::verdict(&s, 1.3), Verdict::AsExpected);
    assert_eq!(compare::verdict(&s, 3.9), Verdict::Slower); // p90 = 2 + 0.7 × 2 = 3.4
    let never = compare::spread([None, None].into_iter()).0;
    assert_eq!(compare::verdict(&never, 1.0), Verdict::NeverInModel);
}

// ------------------------------------------------------------------ no counterpart

#[test]
fn what_the_model_never_produced_or_cannot_produce_is_said_so_with_a_reason() {
    let m = load(TWO, None);
    let (a_exec, a_coord, b_coord) = (unit(&m, "a.exec"), unit(&m, "a.coord"), unit(&m, "b.coord"));
    let mut sent = obs(4, 1.0, a_exec, EventKind::Sent, fact("a1"));
    sent.to = Some(b_coord);
    let l = log(vec![
        // a's fire never reaches b: no link between the organisations.
        obs(2, 10.0, b_coord, EventKind::Knew, fact("a1")),
        obs(3, 10.0, a_coord, EventKind::Activated, None),
        sent,
        obs(5, 10.0, a_coord, EventKind::PublicMessage, fact("a1")),
        obs(6, 10.0, a_coord, EventKind::Decided, None),
    ]);
    let d = debrief_of(&m, &l, 5, 10);
    let v: Vec<Verdict> = d.placed.iter().map(|p| p.verdict).collect();
    assert_eq!(
        v,
        vec![
            Verdict::NeverInModel,
            Verdict::NotComparable,
            Verdict::NotComparable,
            Verdict::NotComparable,
            Verdict::NotComparable
        ]
    );
    assert_eq!(d.placed[0].spread.happened, 0);
    assert_eq!(d.placed[0].spread.runs, 10);
    assert!(d.placed[0].reason.contains("none of the 10 runs"), "{}", d.placed[0].reason);
    assert!(d.placed[1].reason.contains("never activated"), "{}", d.placed[1].reason);
    assert!(d.placed[2].reason.contains("no link between a.exec and b.coord"), "{}", d.placed[2].reason);
    assert!(d.placed[3].reason.contains("public information"), "{}", d.placed[3].reason);
    assert!(d.placed[4].reason.contains("decides no requests"), "{}", d.placed[4].reason);
    assert!(d.placed.iter().skip(1).all(|p| p.spread.p10.is_none() && p.percentile.is_none()));
}

// ------------------------------------------------------------------ synthetic logs

/// Seeds for drawn logs: none of them among the batch's.
fn log_seeds(batch: &[u64]) -> Vec<u64> {
    let s = runs::seeds(987_654_321, 6);
    assert!(s.iter().all(|x| !batch.contains(x)));
    s
}

/// The most false flags expected among `n` observations with chance `p` each, with
/// three standard deviations to spare.
fn binomial_bound(n: usize, p: f64) -> f64 {
    n as f64 * p + 3.0 * (n as f64 * p * (1.0 - p)).sqrt()
}

#[test]
fn a_slowed_unit_is_flagged_slower_and_the_unaffected_units_are_not() {
    let base = load(TWO, None);
    let slow = load(TWO, Some("slow-coord"));
    let batch = runs::seeds(base.seed, 200);
    let (a_coord, b_exec, b_coord, b_strat) =
        (unit(&base, "a.coord"), unit(&base, "b.exec"), unit(&base, "b.coord"), unit(&base, "b.strat"));
    let (mut slowed, mut slowed_flagged, mut others, mut others_flagged) = (0, 0, 0, 0);
    for seed in log_seeds(&batch) {
        let l = drawn_log(&slow, seed);
        let d = debrief_of(&base, &l, base.seed, 200);
        for p in &d.placed {
            let u = p.observation.unit;
            let flagged = p.verdict == Verdict::Slower;
            if u == a_coord {
                slowed += 1;
                slowed_flagged += usize::from(flagged);
            } else if [b_exec, b_coord, b_strat].contains(&u) {
                others += 1;
                others_flagged += usize::from(flagged);
            }
        }
    }
    assert_eq!(slowed, 6 * 4, "a.coord learns each of a's four facts in every drawn run");
    assert_eq!(slowed_flagged, slowed, "every observation of the slowed unit is slower");
    assert!(others >= 6 * 8);
    let bound = binomial_bound(others, 0.10);
    assert!(
        (others_flagged as f64) <= bound,
        "{others_flagged} of {others} observations of unaffected units flagged slower (at most {bound:.1} expected)"
    );
}

#[test]
fn a_log_drawn_from_the_model_itself_is_mostly_as_expected() {
    let base = load(TWO, None);
    let batch = runs::seeds(base.seed, 200);
    let (mut n, mut as_expected) = (0, 0);
    for seed in log_seeds(&batch) {
        let d = debrief_of(&base, &drawn_log(&base, seed), base.seed, 200);
        n += d.placed.len();
        as_expected += d.placed.iter().filter(|p| p.verdict == Verdict::AsExpected).count();
        assert!(d.placed.iter().all(|p| p.spread.happened == 200), "every fact reaches its units in every run");
    }
    // Each observation is inside the 10–90 % band with chance 0.8.
    let low = n as f64 * 0.8 - 3.0 * (n as f64 * 0.16).sqrt();
    assert!(as_expected as f64 >= low, "{as_expected} of {n} as expected (at least {low:.1} expected)");
}

#[test]
fn every_event_of_a_stock_run_is_found_in_the_model() {
    let m = load(STOCK, None);
    let l = drawn(&m, 424_242, true);
    let d = debrief_of(&m, &l, m.seed, 40);
    for e in [
        EventKind::ConferenceEnded,
        EventKind::PicturePublished,
        EventKind::Activated,
        EventKind::PublicMessage,
        EventKind::Requested,
        EventKind::Decided,
        EventKind::ResourcesArrived,
    ] {
        let of: Vec<_> = d.placed.iter().filter(|p| p.observation.event == e).collect();
        assert!(!of.is_empty(), "the stock run has some {}", e.name());
        let placed = of.iter().filter(|p| p.spread.happened > 0).count();
        assert!(placed * 10 >= of.len() * 9, "{}: {placed} of {} found in the model", e.name(), of.len());
        // A conference's later sessions follow its first at fixed intervals: all of them
        // fall where the first one did, so only the other events are counted here.
        let ok = of.iter().filter(|p| p.verdict == Verdict::AsExpected).count();
        assert!(e.is_conference() || ok * 2 >= of.len(), "{}: only {ok} of {} as expected", e.name(), of.len());
    }
}

#[test]
fn a_stock_log_drawn_from_the_stock_model_is_mostly_as_expected() {
    let m = load(STOCK, None);
    let batch = runs::seeds(m.seed, 100);
    let l = drawn_log(&m, log_seeds(&batch)[0]);
    // Only the key facts (the streams' repetitions are many and alike).
    let key: Vec<Observation> = l
        .observations
        .into_iter()
        .filter(|o| !matches!(&o.subject, Some(Subject::Fact(f)) if f.contains('#')))
        .collect();
    let d = debrief_of(&m, &log(key), m.seed, 100);
    let n = d.placed.len();
    let ok = d.placed.iter().filter(|p| p.verdict == Verdict::AsExpected).count();
    assert!(n > 100, "{n} observations");
    // Observations of one run are correlated; a wide margin below 80 %.
    assert!(ok as f64 >= 0.7 * n as f64, "{ok} of {n} as expected");
    assert!(d.placed.iter().all(|p| p.verdict != Verdict::NeverInModel || p.spread.happened == 0));
}

// ------------------------------------------------------------------ levels, objectives, hops

#[test]
fn levels_objectives_and_hops_on_the_fixed_chain() {
    let m = load(CHAIN, None);
    let (exec, coord, strat) = (unit(&m, "a.exec"), unit(&m, "a.coord"), unit(&m, "a.strat"));
    let mut sent = obs(3, 2.0, exec, EventKind::Sent, fact("alarm"));
    sent.to = Some(coord);
    let mut received = obs(4, 4.0, coord, EventKind::Received, fact("alarm"));
    received.from = Some(exec);
    let l = log(vec![
        obs(2, 0.0, exec, EventKind::Knew, fact("alarm")),
        sent,
        received,
        obs(5, 25.0, coord, EventKind::Handled, fact("alarm")),
        obs(6, 40.0, strat, EventKind::Knew, fact("alarm")),
    ]);
    let d = debrief_of(&m, &l, 1, 3);
    let coordinating = d.levels.iter().find(|x| x.level.name() == "coordinating").expect("a coordinating row");
    assert_eq!((coordinating.units, coordinating.observed_units), (1, 1));
    assert_eq!(coordinating.observed_first_min, Some(25.0));
    assert_eq!(coordinating.observed_all_min, Some(25.0));
    assert_eq!(coordinating.sim_first.median, Some(6.0));
    assert_eq!(coordinating.sim_all.median, Some(6.0));
    assert_eq!(d.levels.len(), 3, "alarm is meant for every level");
    // The hop a.exec → a.coord: observed 2 min transit and 21 min at a.coord; the model
    // has 1 min transit and 5 min processing, nothing queued.
    assert_eq!(d.hops.len(), 1);
    let h = &d.hops[0];
    assert_eq!((h.from, h.to, h.rows.clone()), (exec, coord, vec![2, 3, 4, 5]));
    assert_eq!(h.observed[0], Some(2.0));
    assert_eq!(h.observed[3], Some(2.0), "sent 2 min after it knew");
    assert_eq!(h.observed_at_unit, Some(21.0));
    assert_eq!(h.model_mean, [Some(1.0), Some(0.0), Some(5.0), Some(0.0), Some(0.0)]);
    assert_eq!((h.model_at_unit_mean, h.model_runs), (Some(5.0), 3));
    assert!(d.objectives.is_empty() && d.what_ifs.is_empty());
}

#[test]
fn objectives_are_rated_p_s_m_u_on_the_observed_value() {
    use debrief::objectives::rating_of;
    assert_eq!(rating_of(7.5, 10.0), Rating::WithoutChallenges);
    assert_eq!(rating_of(7.6, 10.0), Rating::SomeChallenges);
    assert_eq!(rating_of(10.0, 10.0), Rating::SomeChallenges);
    assert_eq!(rating_of(15.0, 10.0), Rating::MajorChallenges);
    assert_eq!(rating_of(15.1, 10.0), Rating::Unable);
    // two-chains: a.coord knows a1 within 10 min (the model: about 1 + 5 min).
    let m = load(TWO, None);
    let coord = unit(&m, "a.coord");
    let rated = |minutes: f64| {
        let d = debrief_of(&m, &log(vec![obs(2, minutes, coord, EventKind::Knew, fact("a1"))]), 3, 40);
        assert_eq!(d.objectives.len(), 1);
        d.objectives[0].clone()
    };
    let o = rated(6.0);
    assert_eq!(
        (o.rating, o.met, o.observed, o.rows.clone()),
        (Rating::WithoutChallenges, Some(true), Some(6.0), vec![2])
    );
    assert!(o.model_probability > 0.9 && o.model_interval.0 < o.model_probability && o.model_interval.1 <= 1.0);
    assert!(o.model_median.is_some_and(|x| (4.0..10.0).contains(&x)), "{:?}", o.model_median);
    assert_eq!(rated(9.0).rating, Rating::SomeChallenges);
    assert_eq!(rated(14.0).rating, Rating::MajorChallenges);
    let u = rated(16.0);
    assert_eq!((u.rating, u.met), (Rating::Unable, Some(false)));
    let none = debrief_of(&m, &log(vec![]), 3, 5);
    assert_eq!((none.objectives[0].rating, none.objectives[0].met), (Rating::NotObserved, None));
}

/// The two-chains scenario with one objective: `measure` at the coordinating level (of
/// `fact` when given) within 10 min.
fn two_chains_with(measure: samverkan::vocabulary::Measure, fact: Option<&str>) -> Arc<Model> {
    let mut m = (*load(TWO, None)).clone();
    m.objectives = vec![samverkan::model::Objective {
        id: "coord".into(),
        name: "coord".into(),
        description: "At the coordinating level within 10 min".into(),
        measure,
        fact: fact.map(str::to_string),
        level: Some(samverkan::vocabulary::Level::Coordinating),
        unit: None,
        conference: None,
        within: Some(10 * MINUTE),
        max: None,
    }];
    Arc::new(m)
}

#[test]
fn a_delay_objective_is_rated_on_five_knew_rows_or_more() {
    use samverkan::vocabulary::Measure;
    // Median delay at the coordinating level at most 10 min.
    let m = two_chains_with(Measure::MedianDelay, None);
    let (a, b, a_exec) = (unit(&m, "a.coord"), unit(&m, "b.coord"), unit(&m, "a.exec"));
    // Delays from the facts' fixed origins (0, 20, 40, 60 min): 6, 8, 9, 12, 30 → median 9.
    let mut rows = vec![
        obs(2, 6.0, a, EventKind::Knew, fact("a1")),
        obs(3, 28.0, a, EventKind::Knew, fact("a2")),
        obs(4, 49.0, a, EventKind::Knew, fact("a3")),
        obs(5, 12.0, b, EventKind::Knew, fact("b1")),
        // At its origin: not a delay.
        obs(6, 0.0, a_exec, EventKind::Knew, fact("a1")),
    ];
    let four = debrief_of(&m, &log(rows.clone()), 3, 10);
    assert_eq!(four.objectives[0].rating, Rating::NotObserved, "{}", four.objectives[0].explanation);
    rows.push(obs(7, 50.0, b, EventKind::Knew, fact("b2")));
    let five = debrief_of(&m, &log(rows), 3, 10);
    let o = &five.objectives[0];
    assert_eq!((o.observed, o.rating, o.rows.clone()), (Some(9.0), Rating::SomeChallenges, vec![2, 3, 4, 5, 7]));
}

#[test]
fn all_known_seen_at_some_units_is_a_lower_bound() {
    use samverkan::vocabulary::Measure;
    // Every one of the two coordinating units knows a1 (origin at 0 min) within 10 min.
    let m = two_chains_with(Measure::AllKnown, Some("a1"));
    let (a, b) = (unit(&m, "a.coord"), unit(&m, "b.coord"));
    let rated = |rows: Vec<Observation>| debrief_of(&m, &log(rows), 3, 10).objectives[0].clone();
    // One of two units seen, within the limit: the bound says nothing about the rest.
    let o = rated(vec![obs(2, 6.0, a, EventKind::Knew, fact("a1"))]);
    assert_eq!((o.rating, o.met, o.observed), (Rating::NotObserved, None, None), "{}", o.explanation);
    assert!(o.explanation.contains("only 1 of the 2 units"), "{}", o.explanation);
    // One seen after 14 min: every unit knew it at 14 or later, so the objective was missed (M).
    let o = rated(vec![obs(2, 14.0, a, EventKind::Knew, fact("a1"))]);
    assert_eq!((o.rating, o.met, o.observed), (Rating::MajorChallenges, Some(false), None));
    // After 16 min: beyond 1.5 × the limit (U).
    assert_eq!(rated(vec![obs(2, 16.0, a, EventKind::Knew, fact("a1"))]).rating, Rating::Unable);
    // Both seen: the last of them is the value.
    let o = rated(vec![obs(2, 6.0, a, EventKind::Knew, fact("a1")), obs(3, 9.0, b, EventKind::Knew, fact("a1"))]);
    assert_eq!((o.rating, o.met, o.observed), (Rating::SomeChallenges, Some(true), Some(9.0)));
}

/// The public 7 April 2017 timeline (tests/debrief/fixtures/2017-04-07.csv, sources in
/// docs/exercise-log.md) beside the stock scenario, which is calibrated on it
/// (tests/integration/calibration.rs): the first regional conference at 67 min and the regional
/// actors informed at 15 min fall inside the model's bands.
#[test]
fn the_7_april_2017_log_against_the_stock_scenario() {
    let m = load(STOCK, None);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/debrief/fixtures/2017-04-07.csv");
    let log = debrief::log::read(&path, &m).expect("the fixture reads");
    let d = debrief_of(&m, &log, m.seed, 200);
    assert_eq!(d.placed.len(), log.observations.len());
    assert!(d.placed.iter().all(|p| p.verdict != Verdict::NeverInModel), "every 2017 row has a model quantity");
    let verdict = |pred: &dyn Fn(&Observation) -> bool| -> Vec<Verdict> {
        d.placed.iter().filter(|p| pred(&p.observation)).map(|p| p.verdict).collect()
    };
    let regional = m.conferences.iter().position(|c| c.id == "regional").unwrap() as u32;
    let conference = verdict(&|o| o.subject == Some(Subject::Conference(regional)));
    assert_eq!(conference, vec![Verdict::AsExpected], "the first regional conference at 67 min");
    let informed = verdict(&|o| o.event == EventKind::Knew && samverkan::time::minutes(o.time) == 15.0);
    assert_eq!(informed.len(), 4);
    assert!(informed.iter().all(|v| *v == Verdict::AsExpected), "regional actors informed at 15 min: {informed:?}");
    let first_conference = d.objectives.iter().find(|o| o.id == "regional-conference").unwrap();
    assert_eq!((first_conference.observed, first_conference.rating), (Some(67.0), Rating::WithoutChallenges));
    assert!(first_conference.model_probability > 0.8);
    // Four of the 38 coordinating units seen at 15 min, within the 20-minute limit: a
    // bound that cannot rate all-known.
    let all = d.objectives.iter().find(|o| o.id == "info-to-all-actors").unwrap();
    assert_eq!((all.rating, all.met), (Rating::NotObserved, None), "{}", all.explanation);
}

// ------------------------------------------------------------------ the command

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_samverkan"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samverkan-test-{}-compare-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const SMALL_LOG: &str = "time,unit,event,fact,from,to,observer,note
0,sos.larmcentral,knew,alarm,,,A,alarm
2017-04-07 14:58,sos.larmcentral,sent,alarm,,lst.tib,A,
2017-04-07 15:00,lst.tib,received,alarm,sos.larmcentral,,B,
15,lst.tib,knew,alarm,,,B,
Fri 2017-04-07 15:08,polisen.samverkan,knew,alarm,,,B,
67,,conference_started,regional,,,C,first conference
";

fn debrief_cmd(log: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    bin()
        .args(["debrief", STOCK, "--quiet", "--log"])
        .arg(log)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("the binary runs")
}

/// Every file under `dir` (charts/ included) but the hidden ones, by relative path.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if e.path().is_dir() {
            v.extend(files_of(&e.path()).into_iter().map(|(n, b)| (format!("{name}/{n}"), b)));
        } else {
            v.push((name, std::fs::read(e.path()).unwrap()));
        }
    }
    v.sort();
    v
}

#[test]
fn the_debrief_command_writes_its_files_the_same_whatever_the_threads() {
    let t = tmp("cli");
    let log = t.join("exercise.csv");
    std::fs::write(&log, SMALL_LOG).unwrap();
    let (a, b) = (t.join("a"), t.join("b"));
    let out = debrief_cmd(&log, &a, &["--runs", "20", "--jobs", "1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(debrief_cmd(&log, &b, &["--runs", "20", "--jobs", "2"]).status.success());
    let fa = files_of(&a);
    let names: Vec<&str> = fa.iter().map(|f| f.0.as_str()).collect();
    for f in debrief::files::FILES {
        assert!(names.contains(f), "{f} missing: {names:?}");
    }
    for f in ["debrief.html", "improvement-plan.xlsx", "charts/debrief-observed.svg", "charts/debrief-timeline.png"] {
        assert!(names.contains(&f), "{f} missing: {names:?}");
    }
    assert_eq!(fa, files_of(&b), "--jobs 1 and --jobs 2 give the same files");
    let csv = String::from_utf8(std::fs::read(a.join("debrief.csv")).unwrap()).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), debrief::files::DEBRIEF_COLUMNS.join(","));
    assert_eq!(lines.count(), 6);
    assert!(csv.contains("5,Fri 2017-04-07 15:08,lst.tib,"), "{csv}");
    let first_line = |f: &str| {
        let text = String::from_utf8(std::fs::read(a.join(f)).unwrap()).unwrap();
        text.lines().next().unwrap_or_default().to_string()
    };
    assert!(first_line("levels.csv").starts_with("fact,level,units,observed_units,observed_first_min,"));
    assert!(
        first_line("objectives.csv").starts_with("id,description,measure,limit,observed,met,rating,model_probability,")
    );
    assert!(first_line("hops.csv").starts_with("fact,from,to,rows,observed_transit_min,observed_at_unit_min,"));
    let hops = String::from_utf8(std::fs::read(a.join("hops.csv")).unwrap()).unwrap();
    assert!(hops.contains("\nalarm,sos.larmcentral,lst.tib,2 3 4 5,2,8,5,"), "{hops}");
    // No clobbering without --force; with it, the files are replaced.
    let again = debrief_cmd(&log, &a, &["--runs", "20"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert!(debrief_cmd(&log, &a, &["--runs", "20", "--force"]).status.success());
    assert_eq!(fa, files_of(&a));
    // For a Swedish-locale Excel: a byte-order mark, semicolons, decimal commas.
    let sv = t.join("sv");
    assert!(debrief_cmd(&log, &sv, &["--runs", "20", "--csv-dialect", "excel-sv"]).status.success());
    let text = String::from_utf8(std::fs::read(sv.join("debrief.csv")).unwrap()).unwrap();
    assert!(text.starts_with("\u{feff}row;time;unit;"), "{text}");
    assert!(text.contains("\r\n") && text.lines().nth(3).unwrap().contains(','), "{text}");
    let help = bin().args(["debrief", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("samverkan debrief scenarios/stockholm-attack.toml --log"));
    let _ = std::fs::remove_dir_all(&t);
}

#[test]
fn a_bad_log_is_refused_with_exit_2_and_nothing_written() {
    let t = tmp("bad");
    let log = t.join("bad.csv");
    std::fs::write(&log, "time,unit,event,fact\n5,nobody.here,knew,alarm\nlater,lst.tib,knew,alarm\n").unwrap();
    let out_dir = t.join("out");
    let out = debrief_cmd(&log, &out_dir, &["--runs", "5"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row 2") && err.contains("row 3"), "every bad row is listed: {err}");
    assert!(!out_dir.exists(), "nothing written");
    let _ = std::fs::remove_dir_all(&t);
}

#[test]
fn a_batch_folder_gives_the_same_debrief_as_its_runs_and_seed() {
    let t = tmp("batch");
    let log = t.join("exercise.csv");
    std::fs::write(&log, SMALL_LOG).unwrap();
    let batch = t.join("batch");
    let out = bin()
        .args(["batch", STOCK, "--runs", "8", "--seed", "5", "--variants", "", "--quiet", "--out"])
        .arg(&batch)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (a, b) = (t.join("a"), t.join("b"));
    let from_batch = debrief_cmd(&log, &a, &["--batch", batch.to_str().unwrap()]);
    assert!(from_batch.status.success(), "{}", String::from_utf8_lossy(&from_batch.stderr));
    assert!(debrief_cmd(&log, &b, &["--runs", "8", "--seed", "5"]).status.success());
    let csv = |d: &Path| std::fs::read(d.join("debrief.csv")).unwrap();
    assert_eq!(csv(&a), csv(&b));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(a.join("debrief.json")).unwrap()).unwrap();
    assert_eq!((json["runs"].as_u64(), json["master_seed"].as_u64()), (Some(8), Some(5)));
    assert!(json["from_batch"].is_string());
    // Another scenario's batch is refused.
    let other = t.join("other");
    let out =
        bin().args(["batch", CHAIN, "--runs", "2", "--variants", "", "--quiet", "--out"]).arg(&other).output().unwrap();
    assert!(out.status.success());
    let refused = debrief_cmd(&log, &t.join("c"), &["--batch", other.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("another version of the scenario"));
    let _ = std::fs::remove_dir_all(&t);
}
