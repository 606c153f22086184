//! The routes and who may use each (see docs/exercise.md, "The server").
//!
//! | route | what | who |
//! |---|---|---|
//! | `GET /control` | control page | control |
//! | `GET /play/{org}` | player page | that org |
//! | `GET /api/control/state`, `GET /api/play/{org}/state` | the view as JSON | as above |
//! | `GET /api/control/events`, `GET /api/play/{org}/events` | server-sent events: the view on every change | as above |
//! | `POST /api/control/act`, `POST /api/play/{org}/act` | an [`Action`] as JSON | as above |
//! | `GET /assets/{name}` | the pages' CSS and JavaScript (no secrets) | anyone |
//!
//! Answers: 401 without a valid token, 403 with another role's, 400 `{"error": …}` for
//! an action refused or not understood, 405 for any other method (no state changes on
//! GET), 413 for bodies over [`BODY_LIMIT`], 500 when the exercise broke (it then stops),
//! 503 while the server stops.

use super::auth::{Caller, Denied};
use super::{BODY_LIMIT, Live, Shared, Unavailable, pages};
use crate::exercise::{ActError, Action, Role};
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::Stream;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

type St<E> = State<Arc<Shared<E>>>;

/// Every route, with the body limit and the security headers on every answer.
pub(super) fn router<E: Live>(shared: Arc<Shared<E>>) -> Router {
    Router::new()
        .route("/control", get(control_page::<E>))
        .route("/play/{org}", get(player_page::<E>))
        .route("/api/control/state", get(control_state::<E>))
        .route("/api/play/{org}/state", get(player_state::<E>))
        .route("/api/control/events", get(control_events::<E>))
        .route("/api/play/{org}/events", get(player_events::<E>))
        .route("/api/control/act", post(control_act::<E>))
        .route("/api/play/{org}/act", post(player_act::<E>))
        .route("/assets/{name}", get(pages::asset))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::map_response(secure_headers))
        .with_state(shared)
}

/// Nothing is cached (the pages carry tokens in their address), no address leaks in a
/// `Referer`, no framing, no type sniffing, and pages load nothing from elsewhere.
async fn secure_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"),
    );
    response
}

/// A request that was not carried out, as its answer.
#[derive(Debug)]
pub(super) enum Failure {
    Denied(Denied),
    /// Refused by the exercise or not understood (400).
    Refused(String),
    /// The body is over the limit (413).
    TooLarge,
    Unavailable(Unavailable),
}

impl From<Denied> for Failure {
    fn from(d: Denied) -> Failure {
        Failure::Denied(d)
    }
}

impl From<Unavailable> for Failure {
    fn from(u: Unavailable) -> Failure {
        Failure::Unavailable(u)
    }
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::Denied(d) => d.status(),
            Failure::Refused(_) => StatusCode::BAD_REQUEST,
            Failure::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::Unavailable(Unavailable::Broken(_)) => StatusCode::INTERNAL_SERVER_ERROR,
            Failure::Unavailable(Unavailable::Stopped) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::Denied(Denied::Unknown) => "no valid access token: open the link you were given".into(),
            Failure::Denied(Denied::OtherRole) => "this access token is for another role".into(),
            Failure::Refused(m) => m.clone(),
            Failure::TooLarge => format!("the request is larger than {BODY_LIMIT} bytes"),
            Failure::Unavailable(Unavailable::Broken(m)) => format!("the exercise stopped: {m}"),
            Failure::Unavailable(Unavailable::Stopped) => "the exercise server is stopping".into(),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (self.status(), axum::Json(serde_json::json!({ "error": self.message() }))).into_response();
        if matches!(self, Failure::Denied(Denied::Unknown)) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A view as the JSON the pages read.
fn json<T: serde::Serialize>(view: &T) -> Response {
    axum::Json(view).into_response()
}

async fn control_page<E: Live>(State(s): St<E>, caller: Caller) -> Result<Response, Failure> {
    caller.require(&Role::Control)?;
    Ok(pages::control(s.lang()))
}

async fn player_page<E: Live>(State(s): St<E>, caller: Caller, Path(org): Path<String>) -> Result<Response, Failure> {
    caller.require(&Role::Player(org.clone()))?;
    Ok(pages::player(s.lang(), &org))
}

async fn control_state<E: Live>(State(s): St<E>, caller: Caller) -> Result<Response, Failure> {
    caller.require(&Role::Control)?;
    Ok(json(&s.run(|e| e.control_view())?))
}

async fn player_state<E: Live>(State(s): St<E>, caller: Caller, Path(org): Path<String>) -> Result<Response, Failure> {
    caller.require(&Role::Player(org.clone()))?;
    Ok(json(&player_view(&s, &org)?))
}

/// The player's view; the exercise refusing it (an organisation not played) is a 403.
fn player_view<E: Live>(s: &Shared<E>, org: &str) -> Result<crate::exercise::view::PlayerView, Failure> {
    match s.with(|e| e.player_view(org))? {
        Ok(view) => Ok(view),
        Err(e) => Err(act_failure(s, e)),
    }
}

fn act_failure<E: Live>(s: &Shared<E>, e: ActError) -> Failure {
    match e {
        ActError::Forbidden(_) => Failure::Denied(Denied::OtherRole),
        ActError::Refused(m) => Failure::Refused(m),
        ActError::Broken(e) => Failure::Unavailable(Unavailable::Broken(s.fail(e))),
    }
}

async fn control_act<E: Live>(State(s): St<E>, caller: Caller, body: Body) -> Result<Response, Failure> {
    caller.require(&Role::Control)?;
    let action = read_action(body).await?;
    act(&s, &Role::Control, action)
}

async fn player_act<E: Live>(
    State(s): St<E>,
    caller: Caller,
    Path(org): Path<String>,
    body: Body,
) -> Result<Response, Failure> {
    let role = Role::Player(org);
    caller.require(&role)?;
    let action = read_action(body).await?;
    if action.is_control() {
        return Err(Failure::Denied(Denied::OtherRole));
    }
    act(&s, &role, action)
}

/// Reads the body (after the caller was checked: nobody unknown gets it read) as an
/// [`Action`].
async fn read_action(body: Body) -> Result<Action, Failure> {
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| Failure::TooLarge)?;
    serde_json::from_slice(&bytes).map_err(|e| Failure::Refused(format!("not an action: {e}")))
}

fn act<E: Live>(s: &Shared<E>, role: &Role, action: Action) -> Result<Response, Failure> {
    match s.with(|e| e.act(role, action, Instant::now()))? {
        Ok(()) => Ok(json(&serde_json::json!({ "ok": true }))),
        Err(e) => Err(act_failure(s, e)),
    }
}

async fn control_events<E: Live>(
    State(s): St<E>,
    caller: Caller,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Failure> {
    caller.require(&Role::Control)?;
    Ok(events(s, |s| s.run(|e| e.control_view()).map_err(Failure::from).and_then(|v| to_json(&v))))
}

async fn player_events<E: Live>(
    State(s): St<E>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Failure> {
    caller.require(&Role::Player(org.clone()))?;
    Ok(events(s, move |s| player_view(s, &org).and_then(|v| to_json(&v))))
}

fn to_json<T: serde::Serialize>(view: &T) -> Result<String, Failure> {
    serde_json::to_string(view).map_err(|e| Failure::Refused(e.to_string()))
}

/// One stream's position: whether its first event (the view as it is) went out, and
/// whether it has ended.
struct Cursor<E> {
    shared: Arc<Shared<E>>,
    version: tokio::sync::watch::Receiver<u64>,
    closing: tokio::sync::watch::Receiver<bool>,
    first: bool,
    done: bool,
}

/// Server-sent events: `state` with the view now, then again whenever the exercise's
/// version changes (changes in quick succession coalesce); `failure` with a message
/// and the end when the view cannot be had; the stream ends when the server stops.
fn events<E, F>(shared: Arc<Shared<E>>, view: F) -> Sse<impl Stream<Item = Result<Event, Infallible>>>
where
    E: Live,
    F: Fn(&Shared<E>) -> Result<String, Failure> + Send + Sync + 'static,
{
    let view = Arc::new(view);
    let start = Cursor {
        version: shared.version.subscribe(),
        closing: shared.closing.subscribe(),
        shared,
        first: true,
        done: false,
    };
    let stream = futures_util::stream::unfold(start, move |mut c| {
        let view = view.clone();
        async move {
            if c.done || *c.closing.borrow() {
                return None;
            }
            if !c.first {
                tokio::select! {
                    changed = c.version.changed() => changed.ok()?,
                    _ = c.closing.wait_for(|closing| *closing) => return None,
                }
            }
            c.first = false;
            c.version.borrow_and_update();
            let event = match view(&c.shared) {
                Ok(json) => Event::default().event("state").data(json),
                Err(f) => {
                    c.done = true;
                    Event::default().event("failure").data(f.message())
                }
            };
            Some((Ok(event), c))
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
