//! The server on a stand-in exercise: who may do what on every route, and that what is
//! done shows. The real engine behind the same routes: tests/integration/exercise_server.rs.

use super::*;
use crate::exercise::view::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use futures_util::StreamExt;
use std::collections::BTreeMap;
use tower::ServiceExt;

/// A stand-in: one unit `lst-tib` of `lst` with message 1 waiting until handled; it
/// trusts every caller, so the permission tests see only the server's checks.
struct Fake {
    played: Vec<String>,
    version: u64,
    handled: Vec<u32>,
    paused: bool,
    ticks: u64,
    /// Ticks fail from this one on (the engine or the log broke).
    break_at_tick: Option<u64>,
}

impl Fake {
    fn new() -> Fake {
        Fake {
            played: vec!["lst".into(), "polisen".into()],
            version: 1,
            handled: vec![],
            paused: false,
            ticks: 0,
            break_at_tick: None,
        }
    }
}

fn clock(paused: bool) -> ClockView {
    ClockView { now_min: 0.0, now_clock: "Fri 15:00".into(), end_min: 600.0, paused, speed: 1.0, ended: false }
}

impl Live for Fake {
    fn played(&self) -> &[String] {
        &self.played
    }
    fn tick(&mut self, _wall: Instant) -> Result<(), ExerciseError> {
        self.ticks += 1;
        match self.break_at_tick {
            Some(n) if self.ticks >= n => Err(ExerciseError::Setup("the disk is full".into())),
            _ => Ok(()),
        }
    }
    /// Does not check the role: every refusal in these tests is the server's own.
    fn act(&mut self, _role: &Role, action: Action, _wall: Instant) -> Result<(), ActError> {
        match action {
            Action::Handled { unit, msg } if unit == "lst-tib" && msg == 1 && !self.handled.contains(&1) => {
                self.handled.push(msg)
            }
            Action::Handled { .. } => return Err(ActError::Refused("no such message".into())),
            Action::Pause => self.paused = true,
            Action::Send { to, .. } if to == "explode" => {
                return Err(ActError::Broken(ExerciseError::Setup("log write failed".into())));
            }
            _ => return Err(ActError::Refused("not in the stand-in".into())),
        }
        self.version += 1;
        Ok(())
    }
    fn player_view(&mut self, org: &str) -> Result<PlayerView, ActError> {
        if !self.played.iter().any(|p| p == org) {
            return Err(ActError::Forbidden(format!("{org} is not played")));
        }
        let inbox = if org == "lst" && !self.handled.contains(&1) { vec![message()] } else { vec![] };
        let unit = UnitView {
            id: format!("{org}-tib"),
            name: format!("{org} duty officer"),
            level: "coordinating".into(),
            inbox,
            known: vec![],
            recipients: vec![],
        };
        Ok(PlayerView {
            org: org.into(),
            org_name: org.to_uppercase(),
            clock: clock(self.paused),
            units: vec![unit],
            conferences: vec![],
            requests: vec![],
            incidents: vec![],
            resources: vec![],
        })
    }
    fn control_view(&mut self) -> Result<ControlView, ExerciseError> {
        Ok(ControlView {
            scenario: "stand-in".into(),
            clock: clock(self.paused),
            played: self.played.clone(),
            upcoming: vec![],
            spread: vec![],
            in_session: vec![],
            queues: vec![],
            pools: vec![],
            requests: vec![],
            objectives: vec![],
            units: vec![],
            areas: vec![],
            infrastructure: vec![],
            log_rows: self.version,
        })
    }
    fn version(&self) -> u64 {
        self.version
    }
}

fn message() -> MessageView {
    MessageView {
        msg: 1,
        from: "sos".into(),
        from_name: "SOS Alarm".into(),
        kind: "alert".into(),
        channel: "rakel".into(),
        sent_min: 0.0,
        delivered_min: 1.0,
        delivered_clock: "Fri 15:01".into(),
        facts: vec![FactView { id: "attack".into(), text: "A lorry drove into a crowd".into(), severity: 5 }],
    }
}

struct Setup {
    shared: Arc<Shared<Fake>>,
    control: String,
    lst: String,
    polisen: String,
}

fn setup() -> Setup {
    let fake = Fake::new();
    let tokens = Tokens::generate(fake.played()).unwrap();
    let hex = |r: Role| tokens.of(&r).unwrap().hex();
    let (control, lst, polisen) =
        (hex(Role::Control), hex(Role::Player("lst".into())), hex(Role::Player("polisen".into())));
    Setup { shared: Arc::new(Shared::new(fake, tokens, Lang::En)), control, lst, polisen }
}

async fn call(s: &Setup, method: Method, path: &str, token: Option<&str>, body: &str) -> (StatusCode, String) {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let req = req.header("content-type", "application/json").body(Body::from(body.to_string())).unwrap();
    let res = routes::router(s.shared.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    if res.headers().get("content-type").is_some_and(|c| c.to_str().unwrap().starts_with("text/event-stream")) {
        return (status, String::new());
    }
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

const HANDLED: &str = r#"{"do":"handled","unit":"lst-tib","msg":1}"#;

/// Every route with a method it answers, and the role it belongs to.
fn routes() -> Vec<(Method, &'static str, Role)> {
    let lst = || Role::Player("lst".into());
    vec![
        (Method::GET, "/control", Role::Control),
        (Method::GET, "/api/control/state", Role::Control),
        (Method::GET, "/api/control/events", Role::Control),
        (Method::POST, "/api/control/act", Role::Control),
        (Method::GET, "/play/lst", lst()),
        (Method::GET, "/api/play/lst/state", lst()),
        (Method::GET, "/api/play/lst/events", lst()),
        (Method::POST, "/api/play/lst/act", lst()),
    ]
}

#[tokio::test]
async fn every_route_answers_401_without_a_valid_token_and_403_with_another_roles() {
    let s = setup();
    let wrong = Token::random().unwrap().hex();
    for (method, path, owner) in routes() {
        let body = match (&method, &owner) {
            (&Method::POST, Role::Control) => r#"{"do":"pause"}"#,
            (&Method::POST, Role::Player(_)) => HANDLED,
            _ => "",
        };
        assert_eq!(
            call(&s, method.clone(), path, None, body).await.0,
            StatusCode::UNAUTHORIZED,
            "{path} without token"
        );
        assert_eq!(
            call(&s, method.clone(), path, Some(&wrong), body).await.0,
            StatusCode::UNAUTHORIZED,
            "{path} wrong token"
        );
        assert_eq!(
            call(&s, method.clone(), path, Some("abc"), body).await.0,
            StatusCode::UNAUTHORIZED,
            "{path} short token"
        );
        let others: Vec<&str> = match owner {
            Role::Control => vec![&s.lst, &s.polisen],
            Role::Player(_) => vec![&s.control, &s.polisen],
        };
        for other in others {
            let (status, text) = call(&s, method.clone(), path, Some(other), body).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path} with another role's token: {text}");
        }
        let mine = if owner == Role::Control { &s.control } else { &s.lst };
        let (status, text) = call(&s, method.clone(), path, Some(mine), body).await;
        assert_eq!(status, StatusCode::OK, "{path} with its own token: {text}");
    }
    // Nothing the refused requests asked for happened before their owners asked.
    assert_eq!(s.shared.with(|e| (e.handled.clone(), e.paused, e.version)).unwrap(), (vec![1], true, 3));
}

#[tokio::test]
async fn the_token_may_come_in_the_query_and_an_unplayed_org_is_forbidden() {
    let s = setup();
    let path = format!("/api/play/lst/state?t={}", s.lst);
    assert_eq!(call(&s, Method::GET, &path, None, "").await.0, StatusCode::OK);
    let path = format!("/api/play/lst/state?x=1&t={}", s.polisen);
    assert_eq!(call(&s, Method::GET, &path, None, "").await.0, StatusCode::FORBIDDEN);
    assert_eq!(call(&s, Method::GET, "/api/play/msb/state", Some(&s.lst), "").await.0, StatusCode::FORBIDDEN);
    assert_eq!(call(&s, Method::GET, "/api/play/msb/state", Some(&s.control), "").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn act_routes_refuse_get_large_bodies_bad_json_and_control_actions_by_players() {
    let s = setup();
    for path in ["/api/control/act", "/api/play/lst/act"] {
        assert_eq!(call(&s, Method::GET, path, Some(&s.control), "").await.0, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(call(&s, Method::GET, path, Some(&s.lst), "").await.0, StatusCode::METHOD_NOT_ALLOWED);
    }
    let big = format!(r#"{{"do":"send","unit":"lst-tib","to":"x","text":"{}"}}"#, "a".repeat(20 * 1024));
    assert_eq!(call(&s, Method::POST, "/api/play/lst/act", Some(&s.lst), &big).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, text) = call(&s, Method::POST, "/api/play/lst/act", Some(&s.lst), "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["error"].as_str().unwrap().contains("not an action")
    );
    let (status, _) = call(&s, Method::POST, "/api/play/lst/act", Some(&s.lst), r#"{"do":"pause"}"#).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!s.shared.with(|e| e.paused).unwrap(), "a player paused the clock");
    let (status, text) =
        call(&s, Method::POST, "/api/play/lst/act", Some(&s.lst), r#"{"do":"handled","unit":"lst-tib","msg":9}"#).await;
    assert_eq!((status, text.as_str()), (StatusCode::BAD_REQUEST, r#"{"error":"no such message"}"#));
    assert_eq!(
        call(&s, Method::POST, "/api/control/act", Some(&s.control), r#"{"do":"pause"}"#).await.0,
        StatusCode::OK
    );
    assert!(s.shared.with(|e| e.paused).unwrap());
}

#[tokio::test]
async fn a_handled_message_leaves_the_inbox_and_wakes_the_event_stream() {
    let s = setup();
    let state = |text: String| serde_json::from_str::<serde_json::Value>(&text).unwrap();
    let before = state(call(&s, Method::GET, "/api/play/lst/state", Some(&s.lst), "").await.1);
    assert_eq!(before["units"][0]["inbox"][0]["msg"], 1);

    let req = Request::get(format!("/api/play/lst/events?t={}", s.lst)).body(Body::empty()).unwrap();
    let res = routes::router(s.shared.clone()).oneshot(req).await.unwrap();
    let mut stream = res.into_body().into_data_stream();
    let first = String::from_utf8(stream.next().await.unwrap().unwrap().to_vec()).unwrap();
    assert!(first.starts_with("event: state\ndata: "), "{first}");
    assert!(first.contains("A lorry drove into a crowd"));

    assert_eq!(call(&s, Method::POST, "/api/play/lst/act", Some(&s.lst), HANDLED).await.0, StatusCode::OK);
    let next = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("an event after the change");
    let next = String::from_utf8(next.unwrap().unwrap().to_vec()).unwrap();
    assert!(next.contains("\"inbox\":[]"), "{next}");
    let after = state(call(&s, Method::GET, "/api/play/lst/state", Some(&s.lst), "").await.1);
    assert_eq!(after["units"][0]["inbox"], serde_json::json!([]));
    // The other organisation never saw lst's message.
    let other = call(&s, Method::GET, "/api/play/polisen/state", Some(&s.polisen), "").await.1;
    assert!(!other.contains("lorry"));
}

#[tokio::test]
async fn pages_come_in_the_setup_language_with_security_headers() {
    let s = setup();
    let req = Request::get(format!("/play/lst?t={}", s.lst)).body(Body::empty()).unwrap();
    let res = routes::router(s.shared.clone()).oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers();
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(h["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    let html = String::from_utf8(axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    assert!(
        html.contains("<html lang=\"en\">")
            && html.contains("data-org=\"lst\"")
            && html.contains("\"handled\":\"Handled\"")
    );
    assert!(!html.contains(&s.lst), "the page must not echo the token");
    let token = Token::random().unwrap();
    let control = token.hex();
    let sv = Shared::new(Fake::new(), Tokens::new(token, BTreeMap::new()), Lang::Sv);
    let req = Request::get(format!("/control?t={control}")).body(Body::empty()).unwrap();
    let res = routes::router(Arc::new(sv)).oneshot(req).await.unwrap();
    let html = String::from_utf8(axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    assert!(html.contains("<html lang=\"sv\">") && html.contains("Övningsledning"));
    assert_eq!(call(&s, Method::GET, "/assets/control.js", None, "").await.0, StatusCode::OK);
    assert_eq!(call(&s, Method::GET, "/assets/secret", None, "").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_broken_action_answers_500_and_stops_everything_after_it() {
    let s = setup();
    let send = r#"{"do":"send","unit":"lst-tib","to":"explode"}"#;
    let (status, text) = call(&s, Method::POST, "/api/play/lst/act", Some(&s.lst), send).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{text}");
    assert!(text.contains("log write failed"));
    let (status, _) = call(&s, Method::POST, "/api/play/lst/act", Some(&s.lst), HANDLED).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        call(&s, Method::GET, "/api/control/state", Some(&s.control), "").await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

/// Reads from a raw connection until `needle` appears.
async fn read_until(stream: &mut tokio::net::TcpStream, needle: &str) -> String {
    use tokio::io::AsyncReadExt;
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains(needle) {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed before {needle:?}: {}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[tokio::test]
async fn serve_ticks_stops_on_shutdown_with_a_stream_open_and_hands_the_exercise_back() {
    use tokio::io::AsyncWriteExt;
    let fake = Fake::new();
    let tokens = Tokens::generate(fake.played()).unwrap();
    let control = tokens.of(&Role::Control).unwrap().hex();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(fake, listener, tokens, Lang::En, async move {
        let _ = stopped.await;
    }));
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET /api/control/events?t={control} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    conn.write_all(req.as_bytes()).await.unwrap();
    let seen = read_until(&mut conn, "event: state").await;
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    tokio::time::sleep(TICK * 3).await;
    stop.send(()).unwrap();
    let done = tokio::time::timeout(Duration::from_secs(5), server).await.expect("stops with a stream open").unwrap();
    assert!(done.error.is_none(), "{:?}", done.error);
    assert!(done.exercise.ticks >= 2, "ticked {} times", done.exercise.ticks);
}

#[tokio::test]
async fn serve_stops_by_itself_when_the_exercise_breaks() {
    let mut fake = Fake::new();
    fake.break_at_tick = Some(2);
    let tokens = Tokens::generate(fake.played()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let never = std::future::pending::<()>();
    let done = tokio::time::timeout(Duration::from_secs(5), serve(fake, listener, tokens, Lang::En, never))
        .await
        .expect("stops when broken");
    assert!(matches!(done.error, Some(ServeError::Broken(ExerciseError::Setup(ref m))) if m == "the disk is full"));
    assert_eq!(done.exercise.ticks, 2, "no tick after the failure");
}
