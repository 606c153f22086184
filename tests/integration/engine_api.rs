//! The steppable engine (`sim::Engine`): stepping changes nothing, a unit handed over to
//! outside control knows its facts when the outside says a message is handled, and a
//! snapshot agrees with the record. Exercise control's steering ([`control`]).

mod control;

use samverkan::sim::{self, Engine, FactId, MessageId, RunRecord, UnitId};
use samverkan::time::MINUTE;
use samverkan::vocabulary::MessageKind;
use samverkan::{metrics, model::Model, scenario};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

fn stock() -> Arc<Model> {
    Arc::new(scenario::load(Path::new("scenarios/stockholm-attack.toml"), None).expect("stock scenario"))
}

/// What two records must share to be the same run.
fn same(a: &RunRecord, b: &RunRecord) {
    assert_eq!(a.trace, b.trace, "fingerprint");
    assert_eq!(a.events, b.events);
    assert_eq!(a.messages.len(), b.messages.len());
    let rows = |r: &RunRecord| r.knowledge.iter().map(|k| (k.fact, k.unit, k.trail)).collect::<Vec<_>>();
    assert_eq!(rows(a), rows(b));
    assert_eq!(format!("{:?}", metrics::summarise(a)), format!("{:?}", metrics::summarise(b)));
}

#[test]
fn stepping_to_a_time_and_then_to_the_end_is_one_run() {
    let model = stock();
    let whole = sim::run(&model, 7).expect("run");
    let mut engine = Engine::new(&model, 7);
    let end = engine.end();
    for t in [0, 37 * MINUTE + 11, end / 3, end / 3, 2 * end / 3 + 5] {
        engine.run_until(t).expect("step");
        assert_eq!(engine.now(), t);
    }
    engine.run_until(end).expect("to the end");
    same(&whole, &engine.finish().expect("record"));
}

#[test]
fn a_snapshot_agrees_with_the_record_up_to_its_time() {
    let model = stock();
    let mut engine = Engine::new(&model, 11);
    let t = engine.end() / 2 + 3 * MINUTE;
    engine.run_until(t).expect("step");
    let snap = engine.snapshot().expect("snapshot");
    engine.run_until(engine.end()).expect("to the end");
    let r = engine.finish().expect("record");
    assert_eq!(snap.now, t);
    for (u, known) in snap.known.iter().enumerate() {
        let from_record: BTreeSet<u32> =
            r.knowledge.iter().filter(|k| k.unit == u as u32 && r.trail_time(k.trail) < t).map(|k| k.fact).collect();
        assert_eq!(known.iter().map(|f| f.get()).collect::<BTreeSet<u32>>(), from_record, "unit {u}");
    }
    assert!(snap.known.iter().any(|k| !k.is_empty()), "something is known half-way");
    let sessions: BTreeSet<u32> =
        r.conferences.iter().filter(|c| c.start < t && c.end >= t).map(|c| c.conference).collect();
    assert_eq!(snap.in_session.iter().map(|c| c.get()).collect::<BTreeSet<u32>>(), sessions);
    for (u, q) in snap.queues.iter().enumerate() {
        let waiting = r.messages.iter().filter(|m| m.to == u as u32 && m.delivered.is_some_and(|d| d < t));
        let waiting = waiting.filter(|m| m.started.is_none_or(|s| s >= t)).count();
        assert_eq!(q.waiting.len(), waiting, "unit {u}");
        assert!(!q.played);
    }
}

#[test]
fn a_handed_over_unit_knows_its_facts_when_the_outside_says_and_passes_nothing_on_by_itself() {
    let model = stock();
    let whole = sim::run(&model, 3).expect("run");
    // A unit that passes on at once what it learns from a message: the receiver of the
    // first message whose handling is followed by a message from it at that instant.
    let (unit, msg) = whole
        .messages
        .iter()
        .enumerate()
        .find_map(|(i, m)| {
            let done = m.done?;
            let sends = whole.messages.iter().any(|n| n.from == m.to && n.sent == done);
            sends.then_some((UnitId::new(m.to), MessageId::new(i as u32)))
        })
        .expect("a unit that reports what it learns");
    let delivered = whole.messages[msg.index()].delivered.expect("delivered");
    let mut engine = Engine::new(&model, 3);
    engine.hand_over(unit).expect("hand over");
    engine.run_until(delivered + 1).expect("step");
    let inbox = engine.inbox(unit).expect("inbox");
    assert!(!inbox.is_empty(), "the message waits for the person playing the unit");
    let first = inbox[0];
    let handled_at = delivered + 17 * MINUTE;
    engine.run_until(handled_at).expect("step");
    assert!(engine.inbox(unit).expect("inbox").contains(&first), "nothing is handled without the outside");
    engine.handled(unit, first).expect("handled");
    engine.run_until(engine.end()).expect("to the end");
    let r = engine.finish().expect("record");
    let m = &r.messages[first.index()];
    assert_eq!((m.started, m.done), (Some(handled_at), Some(handled_at)));
    let learned: Vec<_> =
        r.knowledge.iter().filter(|k| k.unit == unit.get() && r.trail_time(k.trail) == handled_at).collect();
    assert!(!learned.is_empty(), "the unit learns the message's facts when it is handled");
    for k in &learned {
        assert!(m.facts.iter().any(|c| c.fact == k.fact));
    }
    assert!(
        r.knowledge
            .iter()
            .filter(|k| k.unit == unit.get())
            .all(|k| r.trail_time(k.trail) >= handled_at || k.via == samverkan::vocabulary::Via::Origin)
    );
    // A played unit passes nothing on by itself (the person decides what to send): in the
    // whole run it reported at once what it learned; handed over, it sends no report or
    // information of its own at all.
    assert!(whole.messages.iter().any(|n| n.from == unit.get() && n.sent == whole.messages[msg.index()].done.unwrap()));
    assert!(
        !r.messages
            .iter()
            .any(|n| n.from == unit.get() && matches!(n.kind, MessageKind::Report | MessageKind::Information)),
        "no report or information goes out from a played unit by itself"
    );
    // Only the handed message was handled: the others still wait.
    assert!(r.messages.iter().filter(|n| n.to == unit.get()).all(|n| n.done.is_none() || n.done == Some(handled_at)));
}

#[test]
fn exercise_control_and_a_played_unit_send_messages_at_the_current_time() {
    let model = stock();
    let mut engine = Engine::new(&model, 5);
    let t = 90 * MINUTE;
    engine.run_until(t).expect("step");
    let to = UnitId::new(0);
    let (fact, msg) = engine
        .send(sim::ExternalMessage {
            from: None,
            to,
            kind: samverkan::vocabulary::MessageKind::Information,
            severity: 4,
            new_fact: Some(("live-1".into(), "a report from the exercise floor".into())),
            facts: vec![],
            channel: None,
        })
        .expect("send");
    let fact = fact.expect("a new fact");
    let observed = engine.observe(UnitId::new(1), "live-2".into(), "seen at unit 1".into(), 2).expect("observe");
    assert_eq!((engine.fact_by_id("live-1"), engine.fact_by_id("live-2")), (Some(fact), Some(observed)));
    assert_eq!(engine.fact_by_id("live-3"), None, "no fact has this id");
    engine.run_until(engine.end()).expect("to the end");
    let r = engine.finish().expect("record");
    assert_eq!(r.messages[msg.index()].sent, t);
    assert_eq!(r.facts[fact.index()].origin_time, t);
    assert!(r.knowledge.iter().any(|k| k.fact == fact.get() && k.unit == to.get()), "the receiver learns it");
    let origin = r.knowledge.iter().find(|k| k.fact == observed.get()).expect("known at its origin");
    assert_eq!((origin.unit, r.trail_time(origin.trail)), (1, t));
}

#[test]
fn objectives_so_far_are_the_whole_runs_at_the_end_and_never_undone() {
    let model = stock();
    assert!(!model.objectives.is_empty(), "the stock scenario has objectives");
    let mut engine = Engine::new(&model, 13);
    let end = engine.end();
    let early = engine.snapshot().expect("snapshot at 0").objectives;
    assert_eq!(early.len(), model.objectives.len());
    engine.run_until(end / 2).expect("step");
    let half = engine.snapshot().expect("snapshot half-way").objectives;
    engine.run_until(end).expect("to the end");
    let at_end = engine.snapshot().expect("snapshot at the end").objectives;
    let r = engine.finish().expect("record");
    assert_eq!(at_end, metrics::summarise(&r).objectives, "at the end, so far is the whole run");
    // A time reached half-way is the whole run's time: measures of when something first
    // happened are not undone by what follows.
    let mut compared = 0;
    for (h, e) in half.iter().zip(&at_end) {
        assert_eq!((&h.id, h.limit), (&e.id, e.limit));
        if h.measure.starts_with("first") && h.value.is_some() {
            assert_eq!(h.value, e.value, "{}", h.id);
            assert_eq!(h.met, e.met, "{}", h.id);
            compared += 1;
        }
    }
    assert!(compared > 0, "some first-time objective is reached half-way");
    assert!(
        early.iter().filter(|o| o.measure.starts_with("first")).all(|o| o.value.is_none() || o.value == Some(0.0)),
        "nothing has happened at time 0"
    );
}

#[test]
fn what_the_outside_feeds_in_names_things_that_exist() {
    let model = stock();
    let mut engine = Engine::new(&model, 1);
    let nobody = UnitId::new(model.units.len() as u32);
    assert!(matches!(engine.hand_over(nobody), Err(sim::SimError::Refused(_))));
    assert!(matches!(engine.observe(nobody, "x".into(), "x".into(), 1), Err(sim::SimError::Refused(_))));
    // An id an inject of the scenario makes facts under is not free, even before it fires
    // (one id never names two facts); a stream's `id#n` is not either.
    let inject = model.injects.iter().rev().find(|i| i.stream.is_none()).expect("an inject").id.clone();
    let taken = engine.observe(UnitId::new(0), inject.clone(), "x".into(), 1);
    assert!(matches!(&taken, Err(sim::SimError::Refused(m)) if m.contains(&inject)), "{taken:?}");
    if let Some(stream) = model.injects.iter().find(|i| i.stream.is_some()) {
        let id = format!("{}#999", stream.id);
        assert!(matches!(engine.observe(UnitId::new(0), id, "x".into(), 1), Err(sim::SimError::Refused(_))));
    }
    assert!(engine.observe(UnitId::new(0), format!("{inject}-control"), "x".into(), 1).is_ok());
    let message = |to, facts| sim::ExternalMessage {
        from: None,
        to,
        kind: samverkan::vocabulary::MessageKind::Information,
        severity: 1,
        new_fact: None,
        facts,
        channel: None,
    };
    assert!(matches!(engine.send(message(nobody, vec![])), Err(sim::SimError::Refused(_))));
    assert!(matches!(
        engine.send(message(UnitId::new(0), vec![FactId::new(u32::MAX)])),
        Err(sim::SimError::Refused(_))
    ));
    assert!(matches!(engine.handled(UnitId::new(0), MessageId::new(0)), Err(sim::SimError::Refused(_))));
}
