//! A live exercise (`samverkan::exercise`) driven as the server drives it, with wall
//! times chosen by the test: people act for their organisations' units, exercise control
//! steers, everything is logged, and the log replays to byte-identical run files.

use samverkan::exercise::session::{Exercise, Setup};
use samverkan::exercise::{ActError, Action, Role, replay};
use samverkan::output::CsvDialect;
use samverkan::report::i18n::Lang;
use samverkan::{metrics, output};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const STOCK: &str = "scenarios/stockholm-attack.toml";

fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("exercise").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn setup(log: &Path, play: &[&str]) -> Setup {
    Setup {
        scenario: STOCK.into(),
        variant: None,
        seed: Some(11),
        play: play.iter().map(|s| s.to_string()).collect(),
        speed: 60.0, // a simulated minute per wall-clock second
        log: log.to_path_buf(),
        lang: Lang::En,
    }
}

fn at(w0: Instant, secs: u64) -> Instant {
    w0 + Duration::from_secs(secs)
}

/// Handles every message in the inboxes of `org`'s units, then has the first unit that
/// knows something pass it on to its first recipient. Returns the actions done.
fn play_a_turn(ex: &mut Exercise, org: &str, wall: Instant) -> usize {
    let role = Role::Player(org.into());
    let view = ex.player_view(org).expect("own view");
    let mut done = 0;
    for u in &view.units {
        for m in &u.inbox {
            ex.act(&role, Action::Handled { unit: u.id.clone(), msg: m.msg }, wall).expect("handled");
            done += 1;
        }
    }
    let view = ex.player_view(org).expect("own view");
    if let Some(u) = view.units.iter().find(|u| !u.known.is_empty() && !u.recipients.is_empty()) {
        let send = Action::Send {
            unit: u.id.clone(),
            to: u.recipients[0].unit.clone(),
            facts: vec![u.known[0].id.clone()],
            text: Some("Läget: avspärrning runt Åhléns".into()),
            severity: None,
            channel: None,
        };
        ex.act(&role, send, wall).expect("send");
        done += 1;
    }
    done
}

fn run_files(record: &samverkan::sim::RunRecord, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let summary = metrics::summarise(record);
    output::run::write_run_in(dir, record, &summary, CsvDialect::Comma).expect("run files");
}

fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

/// What exercise control does at turn `k`.
fn control_script(k: usize) -> Vec<Action> {
    let mobile = |state: &str| Action::Infra {
        areas: Some(vec!["stockholm-city".into()]),
        target: "mobile".into(),
        state: state.into(),
        loss: None,
    };
    match k {
        1 => vec![
            Action::Fact {
                unit: "lst.tib".into(),
                id: "bomb-threat".into(),
                text: "Hot mot T-Centralen".into(),
                severity: 5,
            },
            Action::FireNow { inject: "rumour".into() },
            Action::Delay { inject: "metro-reopens".into(), minutes: 30.0 },
            Action::Skip { inject: "advice-lifted".into() },
            mobile("down"),
        ],
        3 => vec![
            mobile("up"),
            Action::Message {
                to: "stockholm.tib".into(),
                id: "press".into(),
                text: "Presskonferens 17:00".into(),
                severity: 3,
            },
        ],
        _ => Vec::new(),
    }
}

/// An exercise with players and control, to the end; returns the log.
fn an_exercise(dir: &Path) -> (PathBuf, samverkan::sim::RunRecord) {
    let log = dir.join("exercise.csv");
    let w0 = Instant::now();
    let mut ex = Exercise::start(setup(&log, &["stockholm", "polisen"]), w0).expect("start");
    let mut actions = 0;
    for (k, secs) in [20u64, 45, 70, 95, 130].into_iter().enumerate() {
        ex.tick(at(w0, secs)).expect("tick");
        actions += play_a_turn(&mut ex, "stockholm", at(w0, secs));
        actions += play_a_turn(&mut ex, "polisen", at(w0, secs));
        for action in control_script(k) {
            ex.act(&Role::Control, action.clone(), at(w0, secs)).unwrap_or_else(|e| panic!("{action:?}: {e}"));
        }
        if k == 4 {
            let view = ex.player_view("stockholm").unwrap();
            assert!(view.incidents.contains(&"krisstod".to_string()), "open at 90 min: {:?}", view.incidents);
            let ask = Action::Request {
                unit: "stockholm.forvaltning".into(),
                incident: "krisstod".into(),
                resource: "crisis_support".into(),
                count: 5,
            };
            ex.act(&Role::Player("stockholm".into()), ask, at(w0, secs)).expect("request");
            let view = ex.player_view("stockholm").unwrap();
            assert!(
                view.requests.iter().any(|r| r.count == 5 && r.from == "stockholm.forvaltning"),
                "{:?}",
                view.requests
            );
        }
    }
    assert!(actions >= 4, "the players had something to do ({actions} actions)");
    (log, ex.finish().expect("to the end"))
}

#[test]
fn a_replayed_log_gives_byte_identical_run_files() {
    let dir = scratch("replay");
    let (log, live) = an_exercise(&dir);
    let (_, again) = replay::replay(&log).expect("replay");
    let (a, b) = (dir.join("live"), dir.join("replayed"));
    run_files(&live, &a);
    run_files(&again, &b);
    let (fa, fb) = (files_of(&a), files_of(&b));
    assert!(fa.len() >= 5, "run files written: {:?}", fa.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert_eq!(fa, fb, "replay differs from the exercise");
    // and the played units did differ from a plain run: people took their time
    let plain = samverkan::sim::run(&live.model, 11).expect("plain run");
    assert_ne!(plain.trace, live.trace, "the exercise is not just the model's run");
}

#[test]
fn roles_do_only_what_they_may() {
    let dir = scratch("roles");
    let w0 = Instant::now();
    let mut ex = Exercise::start(setup(&dir.join("log.csv"), &["stockholm", "polisen"]), w0).expect("start");
    ex.tick(at(w0, 30)).unwrap();
    let forbidden = |r: Result<(), ActError>| matches!(r, Err(ActError::Forbidden(_)));
    let p = Role::Player("stockholm".into());
    // another organisation's unit, a control action, an unplayed organisation
    let other = Action::Handled { unit: "polisen.rlc".into(), msg: 0 };
    assert!(forbidden(ex.act(&p, other, at(w0, 30))));
    assert!(forbidden(ex.act(&p, Action::Pause, at(w0, 30))));
    let skip = Action::Skip { inject: "alarm".into() };
    assert!(forbidden(ex.act(&p, skip, at(w0, 30))));
    assert!(forbidden(ex.act(
        &Role::Player("sos".into()),
        Action::Handled { unit: "sos.larmcentral".into(), msg: 0 },
        at(w0, 30)
    )));
    assert!(matches!(ex.player_view("sos"), Err(ActError::Forbidden(_))));
    // players see the incidents open so far, not those the scenario holds for later
    let open = ex.player_view("stockholm").unwrap().incidents;
    assert!(open.contains(&"rescue".to_string()) && !open.contains(&"krisstod".to_string()), "{open:?}");
    // control does not act for a played unit
    let unit = ex.player_view("stockholm").unwrap().units[0].id.clone();
    assert!(forbidden(ex.act(&Role::Control, Action::Handled { unit, msg: 0 }, at(w0, 30))));
    // refused, not forbidden: a message that is not waiting
    let unit = ex.player_view("stockholm").unwrap().units[0].id.clone();
    let r = ex.act(&p, Action::Handled { unit, msg: 999_999 }, at(w0, 30));
    assert!(matches!(r, Err(ActError::Refused(_))), "{r:?}");
    // nothing refused was logged: the only action row is the exercise's own
    let text = std::fs::read_to_string(dir.join("log.csv")).unwrap();
    assert_eq!(text.lines().filter(|l| l.contains(",action,")).count(), 1, "{text}");
}

#[test]
fn the_clock_pauses_jumps_and_changes_speed() {
    let dir = scratch("clock");
    let w0 = Instant::now();
    let mut ex = Exercise::start(setup(&dir.join("log.csv"), &["stockholm"]), w0).expect("start");
    ex.tick(at(w0, 10)).unwrap();
    assert_eq!(ex.now(), 10 * 60_000);
    ex.act(&Role::Control, Action::Pause, at(w0, 10)).unwrap();
    ex.tick(at(w0, 100)).unwrap();
    assert_eq!(ex.now(), 10 * 60_000, "paused");
    ex.act(&Role::Control, Action::Jump { minutes: 50.0 }, at(w0, 100)).unwrap();
    assert_eq!(ex.now(), 60 * 60_000);
    ex.act(&Role::Control, Action::Speed { x: 120.0 }, at(w0, 100)).unwrap();
    ex.act(&Role::Control, Action::Resume, at(w0, 100)).unwrap();
    ex.tick(at(w0, 110)).unwrap();
    assert_eq!(ex.now(), 80 * 60_000, "two simulated minutes per second from the resume");
    assert!(matches!(ex.act(&Role::Control, Action::Speed { x: 0.0 }, at(w0, 110)), Err(ActError::Refused(_))));
}

#[test]
fn every_row_is_on_disk_as_it_happens_and_the_debrief_reads_the_log() {
    let dir = scratch("debrief");
    let (log, _) = an_exercise(&dir);
    let text = std::fs::read_to_string(&log).unwrap();
    let count = |event: &str| text.lines().filter(|l| l.split(',').nth(2) == Some(event)).count();
    assert!(count("received") > 0 && count("handled") > 0 && count("knew") > 0, "{text}");
    assert!(count("sent") > 0 && count("conference_started") > 0, "{text}");
    let out = dir.join("debrief");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .args(["debrief", STOCK, "--log"])
        .arg(&log)
        .args(["--runs", "8", "--seed", "11", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let obs = std::fs::read_to_string(out.join("debrief.csv")).expect("debrief.csv");
    let rows = count("received")
        + count("handled")
        + count("knew")
        + count("sent")
        + count("conference_started")
        + count("conference_ended");
    assert_eq!(obs.lines().count() - 1, rows, "every observation row placed");
}

#[test]
fn a_stopped_exercise_resumes_from_its_log() {
    let dir = scratch("resume");
    let log = dir.join("log.csv");
    let w0 = Instant::now();
    let mut ex = Exercise::start(setup(&log, &["stockholm"]), w0).expect("start");
    ex.tick(at(w0, 40)).unwrap();
    play_a_turn(&mut ex, "stockholm", at(w0, 40));
    ex.tick(at(w0, 55)).unwrap();
    // the log knows the time reached from its last action (or its minute marks)
    ex.act(&Role::Control, Action::Pause, at(w0, 55)).unwrap();
    let before = ex.player_view("stockholm").unwrap();
    let rows = std::fs::read_to_string(&log).unwrap().lines().count();
    drop(ex); // the server dies
    let w1 = Instant::now();
    let mut back = Exercise::resume(&log, w1).expect("resume");
    let after = back.player_view("stockholm").unwrap();
    assert_eq!(before.units, after.units, "inboxes and knowledge as they were");
    assert!(after.clock.paused, "a resumed exercise waits for control");
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), rows + 1, "one row: the resume; nothing logged twice");
    back.act(&Role::Control, Action::Resume, w1).unwrap();
    play_a_turn(&mut back, "stockholm", at(w1, 30));
    back.tick(at(w1, 60)).unwrap();
    let live = back.finish().unwrap();
    let (_, again) = replay::replay(&log).unwrap();
    let (a, b) = (dir.join("live"), dir.join("replayed"));
    run_files(&live, &a);
    run_files(&again, &b);
    assert_eq!(files_of(&a), files_of(&b));
}

#[test]
fn bad_setups_and_logs_are_refused_with_what_is_wrong() {
    let dir = scratch("bad");
    let w0 = Instant::now();
    let e = Exercise::start(setup(&dir.join("a.csv"), &["nobody"]), w0).err().expect("refused").to_string();
    assert!(e.contains("nobody") && e.contains("stockholm"), "{e}");
    assert!(!dir.join("a.csv").exists(), "nothing written");
    let log = dir.join("b.csv");
    Exercise::start(setup(&log, &["sos"]), w0).expect("start");
    let e = Exercise::start(setup(&log, &["sos"]), w0).err().expect("an existing log is not clobbered").to_string();
    assert!(e.contains("b.csv"), "{e}");
    std::fs::write(dir.join("c.csv"), "time,unit,event,fact\n2017-04-07 15:00,sos.larmcentral,knew,alarm\n").unwrap();
    let e = replay::replay(&dir.join("c.csv")).err().expect("not an exercise log").to_string();
    assert!(e.contains("c.csv") && e.contains("row 1"), "{e}");
}

#[test]
fn control_sees_and_steers_the_msel() {
    let dir = scratch("msel");
    let w0 = Instant::now();
    let mut ex = Exercise::start(setup(&dir.join("log.csv"), &["stockholm"]), w0).expect("start");
    ex.tick(at(w0, 45)).unwrap();
    let ids = |ex: &mut Exercise| ex.control_view().unwrap().upcoming.iter().map(|u| u.id.clone()).collect::<Vec<_>>();
    let before = ids(&mut ex);
    assert!(before.contains(&"rumour".to_string()) && before.contains(&"advice-lifted".to_string()), "{before:?}");
    for action in control_script(1) {
        ex.act(&Role::Control, action, at(w0, 45)).unwrap();
    }
    let view = ex.control_view().unwrap();
    let ids: Vec<&str> = view.upcoming.iter().map(|u| u.id.as_str()).collect();
    assert!(!ids.contains(&"advice-lifted"), "skipped: {ids:?}");
    let metro = view.upcoming.iter().find(|u| u.id == "metro-reopens").expect("metro listed");
    assert_eq!(metro.at_min, Some(240.0 + 30.0), "delayed by 30 min");
    let rumour = view.upcoming.iter().find(|u| u.id == "rumour").expect("fired at this instant, not yet carried out");
    assert_eq!(rumour.at_min, Some(45.0));
    ex.tick(at(w0, 46)).unwrap();
    let view = ex.control_view().unwrap();
    let spread = view.spread.iter().find(|s| s.fact.id == "rumour").expect("the rumour is out, at 45 min");
    assert!(spread.levels.iter().map(|l| l.0).sum::<u32>() >= 1);
    assert!(view.spread.iter().any(|s| s.fact.id == "bomb-threat"), "control's ad hoc fact is a key fact");
    // a player's channels follow the infrastructure: the mobile phone is down in the city
    let p = ex.player_view("stockholm").unwrap();
    let phone = p.units.iter().flat_map(|u| &u.recipients).flat_map(|r| &r.channels).find(|c| c.id == "phone");
    assert_eq!(phone.map(|c| c.works), Some(false), "phone offered as not working");
    let bad = Action::Infra { areas: None, target: "telepathy".into(), state: "down".into(), loss: None };
    let e = ex.act(&Role::Control, bad, at(w0, 46)).unwrap_err().to_string();
    assert!(e.contains("telepathy") && e.contains("mobile"), "{e}");
}
