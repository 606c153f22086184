//! Exercise control steering a run (`Engine::fire_now`, `delay_inject`, `skip_inject`,
//! `upcoming_injects`, `set_infrastructure`, `channel_works`), units played by people
//! (nothing passed on by itself, resources requested) and the views an inbox needs.

use super::{same, stock};
use samverkan::model::{InfraTarget, Model};
use samverkan::sim::{self, ChannelId, Engine, ExternalMessage, InjectId, RequestState, RunRecord, SimError, UnitId};
use samverkan::time::{MINUTE, SimTime};
use samverkan::vocabulary::{InfraState, MessageKind};

fn inject(model: &Model, id: &str) -> InjectId {
    InjectId::new(model.injects.iter().position(|i| i.id == id).expect("an inject of the stock scenario") as u32)
}

fn unit(model: &Model, id: &str) -> UnitId {
    UnitId::new(model.unit_index(id).expect("a unit of the stock scenario"))
}

/// When the fact `id` came to be in a run (`None`: never).
fn fact_time(r: &RunRecord, id: &str) -> Option<SimTime> {
    r.facts.iter().find(|f| f.id == id).map(|f| f.origin_time)
}

fn refused<T: std::fmt::Debug>(r: Result<T, SimError>) -> String {
    match r {
        Err(SimError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

// `rumour` is at 107 min; `rumour-denied` follows it by 20 min (no jitter).

#[test]
fn fire_now_makes_an_inject_happen_now_and_what_follows_it_from_there() {
    let model = stock();
    let whole = sim::run(&model, 21).expect("run");
    assert_eq!(fact_time(&whole, "rumour"), Some(107 * MINUTE));
    let mut engine = Engine::new(&model, 21);
    let t = 30 * MINUTE + 7;
    engine.run_until(t).expect("step");
    engine.fire_now(inject(&model, "rumour")).expect("fire now");
    engine.run_until(engine.end()).expect("to the end");
    let r = engine.finish().expect("record");
    assert_eq!(fact_time(&r, "rumour"), Some(t), "known at its origin when fired, not at its MSEL time");
    assert_eq!(fact_time(&r, "rumour-denied"), Some(t + 20 * MINUTE), "its follower starts from the firing");
    let origin = r.facts.iter().position(|f| f.id == "rumour").unwrap() as u32;
    let known = r.knowledge.iter().find(|k| k.fact == origin && k.unit == unit(&model, "polisen.rlc").get());
    assert_eq!(known.map(|k| r.trail_time(k.trail)), Some(t));
    assert_eq!(r.facts.len(), whole.facts.len(), "the occurrence left behind at 107 min is not carried out again");
}

#[test]
fn fire_now_starts_an_inject_that_waits_for_another() {
    let model = stock();
    let mut engine = Engine::new(&model, 22);
    engine.run_until(40 * MINUTE).expect("step");
    engine.fire_now(inject(&model, "rumour-denied")).expect("fire a waiting inject now");
    engine.run_until(engine.end()).expect("to the end");
    let r = engine.finish().expect("record");
    assert_eq!(fact_time(&r, "rumour-denied"), Some(40 * MINUTE));
    assert_eq!(fact_time(&r, "rumour"), Some(107 * MINUTE), "the one it waited for is unchanged");
    assert_eq!(r.facts.iter().filter(|f| f.id == "rumour-denied").count(), 1, "started once, not again after rumour");
}

#[test]
fn delay_moves_an_inject_exactly_by_the_delay_and_its_follower_with_it() {
    let model = stock();
    let mut engine = Engine::new(&model, 23);
    engine.run_until(60 * MINUTE).expect("step");
    let by = 13 * MINUTE + 5;
    engine.delay_inject(inject(&model, "rumour"), by).expect("delay");
    engine.run_until(110 * MINUTE).expect("past the MSEL time");
    assert_eq!(engine.upcoming_injects().iter().find(|u| u.id == "rumour").and_then(|u| u.at), Some(107 * MINUTE + by));
    engine.delay_inject(inject(&model, "rumour"), 0).expect("a delay of nothing");
    engine.run_until(engine.end()).expect("to the end");
    let r = engine.finish().expect("record");
    assert_eq!(fact_time(&r, "rumour"), Some(107 * MINUTE + by));
    assert_eq!(fact_time(&r, "rumour-denied"), Some(127 * MINUTE + by));
}

#[test]
fn skip_makes_an_inject_never_happen_and_those_after_it_never_start() {
    let model = stock();
    let mut engine = Engine::new(&model, 24);
    engine.run_until(50 * MINUTE).expect("step");
    let rumour = inject(&model, "rumour");
    engine.skip_inject(rumour).expect("skip");
    let upcoming = engine.upcoming_injects();
    assert!(!upcoming.iter().any(|u| u.id.starts_with("rumour")), "neither listed: {upcoming:?}");
    assert!(refused(engine.skip_inject(rumour)).contains("skipped"));
    assert!(refused(engine.fire_now(rumour)).contains("skipped"));
    assert!(refused(engine.delay_inject(inject(&model, "rumour-denied"), MINUTE)).contains("not scheduled yet"));
    assert!(refused(engine.fire_now(inject(&model, "alarm"))).contains("already happened"));
    assert!(refused(engine.delay_inject(inject(&model, "metro-reopens"), -1)).contains("negative"));
    let nothing = InjectId::new(model.injects.len() as u32);
    assert!(refused(engine.fire_now(nothing)).contains("no inject"));
    engine.run_until(engine.end()).expect("to the end");
    let r = engine.finish().expect("record");
    assert_eq!((fact_time(&r, "rumour"), fact_time(&r, "rumour-denied")), (None, None));
    assert!(fact_time(&r, "metro-reopens").is_some(), "the others happen");
}

#[test]
fn upcoming_lists_scheduled_injects_by_time_then_waiting_ones_and_they_happen_so() {
    let model = stock();
    let whole = sim::run(&model, 25).expect("run");
    let mut engine = Engine::new(&model, 25);
    engine.run_until(12 * MINUTE).expect("step");
    let upcoming = engine.upcoming_injects();
    let (due, waiting): (Vec<_>, Vec<_>) = upcoming.iter().partition(|u| u.at.is_some());
    assert_eq!(&upcoming[..due.len()], &due.iter().map(|u| (*u).clone()).collect::<Vec<_>>()[..], "scheduled first");
    assert!(due.windows(2).all(|w| w[0].at <= w[1].at), "by time");
    assert!(due.iter().all(|u| u.at.unwrap() >= 12 * MINUTE && u.after.is_none()));
    let ids: Vec<&str> = due.iter().map(|u| u.id.as_str()).collect();
    for id in ["transport-stop", "krisstod", "rumour", "metro-reopens", "advice-lifted", "stand-down"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    assert!(!ids.contains(&"alarm") && !ids.contains(&"cordon"), "what happened is not listed");
    assert!(due.iter().filter(|u| u.id.starts_with("calls#")).count() <= 1, "a stream's next occurrence only");
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        (waiting[0].id.as_str(), waiting[0].after),
        ("rumour-denied", Some((inject(&model, "rumour"), 20 * MINUTE)))
    );
    // Each scheduled fact inject happens at its time in the run nobody steers.
    for u in &due {
        if matches!(model.injects[u.inject.index()].action, samverkan::model::Action::Fact { .. }) {
            assert_eq!(fact_time(&whole, &u.id), u.at, "{}", u.id);
        }
    }
}

#[test]
fn reading_the_views_at_every_step_changes_nothing() {
    let model = stock();
    let whole = sim::run(&model, 26).expect("run");
    let mut engine = Engine::new(&model, 26);
    let end = engine.end();
    let (a, b) = (unit(&model, "sos.larmcentral"), unit(&model, "lst.tib"));
    for k in 1..=8 {
        engine.run_until(end * k / 8).expect("step");
        assert!(!engine.upcoming_injects().is_empty() || k > 6);
        assert!(!engine.channel_works(a, b).expect("channels").is_empty());
        let facts = engine.fact_texts();
        assert!(facts.iter().enumerate().all(|(i, f)| f.fact.index() == i && !f.text.is_empty()));
        let _ = engine.requests();
        let _ = engine.message(sim::MessageId::new(0));
        engine.delay_inject(inject(&model, "stand-down"), 0).ok();
    }
    same(&whole, &engine.finish().expect("record"));
}

#[test]
fn a_channel_taken_down_stalls_a_message_until_it_is_up_again() {
    let model = stock();
    let mut engine = Engine::new(&model, 27);
    let (from, to) = (unit(&model, "stockholm.tib"), unit(&model, "solna.tib"));
    let t = 20 * MINUTE;
    engine.run_until(t).expect("step");
    let channels = engine.channel_works(from, to).expect("channels");
    assert!(!channels.is_empty() && channels.iter().all(|(_, works)| *works), "{channels:?}");
    for (c, _) in &channels {
        engine.set_infrastructure(None, InfraTarget::Channel(c.get()), InfraState::Down, 0.0).expect("down");
    }
    assert!(engine.channel_works(from, to).expect("channels").iter().all(|(_, works)| !works));
    let message = |channel| ExternalMessage {
        from: Some(from),
        to,
        kind: MessageKind::Information,
        severity: 4,
        new_fact: None,
        facts: vec![],
        channel,
    };
    let why = refused(engine.send(message(Some(channels[0].0))));
    assert!(why.contains("does not work now"), "{why}");
    let (_, msg) = engine.send(message(None)).expect("send");
    assert_eq!(engine.message(msg).expect("view").channel, None, "stalled: no channel taken");
    let up = t + 45 * MINUTE;
    engine.run_until(up).expect("step");
    assert_eq!(engine.message(msg).expect("view").delivered, None, "nothing goes while every channel is down");
    let (last, _) = *channels.last().unwrap();
    engine.set_infrastructure(None, InfraTarget::Channel(last.get()), InfraState::Up, 0.0).expect("up");
    engine.run_until(engine.end()).expect("to the end");
    let r = engine.finish().expect("record");
    let m = &r.messages[msg.index()];
    assert_eq!((m.sent, m.channel), (t, last.get()));
    assert!(m.delivered.is_some_and(|d| d >= up), "delivered after the channel came back: {:?}", m.delivered);
    assert!(r.infrastructure.iter().any(|i| i.time == up && i.state == "up"));
    let bad = refused(engine_at(&model).set_infrastructure(
        Some(vec!["atlantis".into()]),
        InfraTarget::System(samverkan::vocabulary::InfraSystem::Mobile),
        InfraState::Down,
        0.0,
    ));
    assert!(bad.contains("atlantis"));
    assert!(
        refused(engine_at(&model).set_infrastructure(None, InfraTarget::Channel(999), InfraState::Down, 0.0))
            .contains("no channel")
    );
    let _ = ChannelId::new(0);
}

fn engine_at(model: &std::sync::Arc<Model>) -> Engine {
    Engine::new(model, 1)
}

#[test]
fn a_system_down_in_an_area_takes_the_channels_that_need_it_down_there() {
    let model = stock();
    let mut engine = Engine::new(&model, 28);
    let (from, to) = (unit(&model, "stockholm.tib"), unit(&model, "solna.tib"));
    engine.run_until(20 * MINUTE).expect("step");
    let before = engine.channel_works(from, to).expect("channels");
    let mobile = samverkan::vocabulary::InfraSystem::Mobile;
    engine.set_infrastructure(None, InfraTarget::System(mobile), InfraState::Down, 0.0).expect("down everywhere");
    let after = engine.channel_works(from, to).expect("channels");
    for ((c, was), (_, is)) in before.iter().zip(&after) {
        let needs_mobile = model.channels[c.index()].depends & (1 << mobile as u8) != 0;
        assert_eq!(*is, *was && !needs_mobile, "{}", model.channels[c.index()].id);
    }
}

#[test]
fn a_played_unit_passes_nothing_on_by_itself_but_sends_what_its_player_sends() {
    let model = stock();
    let police = unit(&model, "polisen.rlc");
    let whole = sim::run(&model, 29).expect("run");
    let rumour_of = |r: &RunRecord| r.facts.iter().position(|f| f.id == "rumour").expect("the rumour") as u32;
    let carried = |r: &RunRecord| {
        let f = rumour_of(r);
        r.messages.iter().filter(|m| m.from == police.get() && m.facts.iter().any(|c| c.fact == f)).count()
    };
    assert!(carried(&whole) > 0, "the model's police pass the rumour on");
    let mut engine = Engine::new(&model, 29);
    engine.hand_over(police).expect("hand over");
    let t = 150 * MINUTE;
    engine.run_until(t).expect("step");
    let rumour = engine.fact_texts().into_iter().find(|f| f.id == "rumour").expect("the rumour is known");
    assert_eq!((rumour.origin, rumour.severity), (Some(police), 4));
    let to = unit(&model, "lst.tib");
    let (_, msg) = engine
        .send(ExternalMessage {
            from: Some(police),
            to,
            kind: MessageKind::Information,
            severity: 4,
            new_fact: None,
            facts: vec![rumour.fact],
            channel: None,
        })
        .expect("the player sends it");
    let view = engine.message(msg).expect("a view");
    assert_eq!((view.from, view.to, view.sent, view.facts.clone()), (Some(police), to, t, vec![rumour.fact]));
    engine.run_until(engine.end()).expect("to the end");
    let r = engine.finish().expect("record");
    assert_eq!(carried(&r), 1, "only what the player sent");
    assert!(!r.messages.iter().any(|m| m.from == police.get() && m.kind == MessageKind::Report));
    let f = rumour_of(&r);
    assert!(r.knowledge.iter().any(|k| k.fact == f && k.unit == to.get()), "the receiver learns it");
}

#[test]
fn a_played_unit_requests_resources_as_the_model_requests_them() {
    let model = stock();
    let police = unit(&model, "polisen.rlc");
    let mut engine = Engine::new(&model, 30);
    engine.hand_over(police).expect("hand over");
    let t = 30 * MINUTE;
    engine.run_until(t).expect("step");
    let before = engine.requests().len();
    assert!(refused(engine.request_resources(police, "no-such-incident", "police_patrol", 2)).contains("no incident"));
    assert!(refused(engine.request_resources(police, "cordon", "ambulance", 2)).contains("no demand"));
    assert!(refused(engine.request_resources(police, "cordon", "police_patrol", 0)).contains("at least one"));
    let r = engine.request_resources(police, "cordon", "police_patrol", 5).expect("request");
    assert_eq!(r.index(), before, "a new request, after the model's own");
    let view = engine.requests().into_iter().nth(r.index()).expect("listed");
    assert_eq!(
        (view.from, view.incident.as_str(), view.kind.as_str(), view.count),
        (police, "cordon", "police_patrol", 5)
    );
    assert_eq!(view.requested, t);
    // No standing agreement lends police patrols in the stock scenario: it waits for a holder.
    assert_eq!(view.state, RequestState::Waiting);
    engine.run_until(engine.end()).expect("to the end");
    let rec = engine.finish().expect("record");
    let q = &rec.requests[r.index()];
    assert_eq!((q.requested, q.quantity, q.holders[0]), (t, 5, police.get()));
    let sent: Vec<_> = rec.messages.iter().filter(|m| m.payload == sim::Payload::Request(r.get())).collect();
    assert!(!sent.is_empty() && sent.iter().all(|m| m.sent >= t), "it goes out as a request message");
    assert!(sent.iter().any(|m| m.from == police.get() && m.sent == t), "from the unit, when it asked");
    assert!(q.holders.len() > 1, "it reached a holder: {q:?}");
    assert!(q.decided.is_some_and(|d| d >= t), "a holder decided it: {q:?}");
}
