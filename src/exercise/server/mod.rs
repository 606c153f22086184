//! The exercise server: exercise control's page and one page per played organisation,
//! over HTTP on the exercise network (axum on tokio).
//!
//! [`serve`] owns the running exercise behind one mutex (critical sections are one call
//! into the exercise), moves its simulated clock along every 200 ms, and wakes every
//! open event stream when [`Live::version`] grows. [`auth`] decides who a request comes
//! from (one random token per role); [`routes`] what each role may see and do;
//! [`pages`] the embedded HTML, CSS and JavaScript in English or Swedish.
//!
//! The server is written against [`Live`], the part of [`Exercise`] it uses, so that its
//! permission tests run on a small stand-in as well as on the real engine.

pub mod auth;
mod pages;
mod routes;
#[cfg(test)]
mod tests;

pub use auth::{Token, Tokens};

use super::session::Exercise;
use super::view::{ControlView, PlayerView};
use super::{ActError, Action, ExerciseError, Role};
use crate::report::i18n::Lang;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, watch};

/// How often the simulated clock is moved up to the wall clock.
pub const TICK: Duration = Duration::from_millis(200);

/// Largest request body accepted (an action is a few hundred bytes).
pub const BODY_LIMIT: usize = 16 * 1024;

/// What the server needs from a running exercise ([`Exercise`] in production).
pub trait Live: Send + 'static {
    /// The played organisations' ids.
    fn played(&self) -> &[String];
    /// Runs the simulated clock up to the wall clock.
    fn tick(&mut self, wall: Instant) -> Result<(), ExerciseError>;
    /// Carries out a person's action (the exercise checks the role may do it).
    fn act(&mut self, role: &Role, action: Action, wall: Instant) -> Result<(), ActError>;
    fn player_view(&mut self, org: &str) -> Result<PlayerView, ActError>;
    fn control_view(&mut self) -> Result<ControlView, ExerciseError>;
    /// Grows whenever anything visible changed.
    fn version(&self) -> u64;
}

impl Live for Exercise {
    fn played(&self) -> &[String] {
        Exercise::played(self)
    }
    fn tick(&mut self, wall: Instant) -> Result<(), ExerciseError> {
        Exercise::tick(self, wall)
    }
    fn act(&mut self, role: &Role, action: Action, wall: Instant) -> Result<(), ActError> {
        Exercise::act(self, role, action, wall)
    }
    fn player_view(&mut self, org: &str) -> Result<PlayerView, ActError> {
        Exercise::player_view(self, org)
    }
    fn control_view(&mut self) -> Result<ControlView, ExerciseError> {
        Exercise::control_view(self)
    }
    fn version(&self) -> u64 {
        Exercise::version(self)
    }
}

/// Why the server stopped other than by the shutdown signal.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the exercise server failed: {0}")]
    Io(#[source] std::io::Error),
    /// The engine or the log failed; the server stopped so that nothing more happens
    /// that the log does not hold.
    #[error("the exercise stopped: {0}")]
    Broken(#[source] ExerciseError),
}

/// What [`serve`] hands back: the exercise (to close its log) and why it stopped, if
/// not by the shutdown signal.
#[derive(Debug)]
pub struct Stopped<E> {
    pub exercise: E,
    pub error: Option<ServeError>,
}

/// The state every request shares.
pub(crate) struct Shared<E> {
    inner: Mutex<Inner<E>>,
    tokens: Tokens,
    lang: Lang,
    /// The exercise's version after the last call; event streams wait on it.
    version: watch::Sender<u64>,
    /// Set once the server is stopping: event streams end.
    closing: watch::Sender<bool>,
    /// Told when the exercise broke: the server stops.
    broke: Notify,
}

struct Inner<E> {
    /// `None` once [`serve`] has taken it back.
    exercise: Option<E>,
    /// The first failure of the engine or the log; nothing is done after it.
    broken: Option<ExerciseError>,
}

/// Why a call into the exercise was not made or failed.
#[derive(Debug)]
pub(crate) enum Unavailable {
    /// The exercise failed before (or just now): the message.
    Broken(String),
    /// The server is stopping.
    Stopped,
}

impl<E: Live> Shared<E> {
    fn new(exercise: E, tokens: Tokens, lang: Lang) -> Shared<E> {
        let version = exercise.version();
        Shared {
            inner: Mutex::new(Inner { exercise: Some(exercise), broken: None }),
            tokens,
            lang,
            version: watch::Sender::new(version),
            closing: watch::Sender::new(false),
            broke: Notify::new(),
        }
    }

    /// Calls `f` on the exercise under the lock, then wakes the event streams if the
    /// version changed. A poisoned lock (a panic inside the exercise) counts as broken.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut E) -> T) -> Result<T, Unavailable> {
        let mut inner = self.inner.lock().map_err(|_| Unavailable::Broken("the exercise panicked".into()))?;
        if let Some(e) = &inner.broken {
            return Err(Unavailable::Broken(e.to_string()));
        }
        let exercise = inner.exercise.as_mut().ok_or(Unavailable::Stopped)?;
        let out = f(exercise);
        let now = exercise.version();
        drop(inner);
        self.version.send_if_modified(|v| std::mem::replace(v, now) != now);
        Ok(out)
    }

    /// Records the exercise's failure (the first one counts) and stops the server.
    pub(crate) fn fail(&self, error: ExerciseError) -> String {
        let message = error.to_string();
        if let Ok(mut inner) = self.inner.lock() {
            inner.broken.get_or_insert(error);
        }
        self.broke.notify_one();
        message
    }

    /// Calls `f`, turning an [`ExerciseError`] into a stop of the whole exercise.
    pub(crate) fn run<T>(&self, f: impl FnOnce(&mut E) -> Result<T, ExerciseError>) -> Result<T, Unavailable> {
        match self.with(f)? {
            Ok(v) => Ok(v),
            Err(e) => Err(Unavailable::Broken(self.fail(e))),
        }
    }

    pub(crate) fn lang(&self) -> Lang {
        self.lang
    }
}

impl<E: Send> auth::HasTokens for Arc<Shared<E>> {
    fn tokens(&self) -> &Tokens {
        &self.tokens
    }
}

/// Serves the exercise on `listener` until `shutdown` completes or the exercise breaks,
/// then hands the exercise back (its log still to be closed by the caller).
///
/// Open event streams end when shutdown begins, so the server stops promptly even
/// with browsers attached.
pub async fn serve<E: Live>(
    exercise: E,
    listener: tokio::net::TcpListener,
    tokens: Tokens,
    lang: Lang,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Stopped<E> {
    let shared = Arc::new(Shared::new(exercise, tokens, lang));
    let ticker = tokio::spawn(tick_loop(shared.clone()));
    let app = routes::router(shared.clone());
    let signal = {
        let shared = shared.clone();
        async move {
            tokio::select! {
                () = shutdown => {}
                () = shared.broke.notified() => {}
            }
            shared.closing.send_replace(true);
        }
    };
    let served = axum::serve(listener, app).with_graceful_shutdown(signal).await;
    shared.closing.send_replace(true);
    let _ = ticker.await;
    let mut inner = match shared.inner.lock() {
        Ok(inner) => inner,
        Err(poisoned) => poisoned.into_inner(),
    };
    let exercise = inner.exercise.take().expect("the exercise is taken back once, here");
    let error = match (served, inner.broken.take()) {
        (_, Some(broken)) => Some(ServeError::Broken(broken)),
        (Err(io), None) => Some(ServeError::Io(io)),
        (Ok(()), None) => None,
    };
    Stopped { exercise, error }
}

/// Moves the simulated clock along every [`TICK`] until the server stops or the
/// exercise breaks.
async fn tick_loop<E: Live>(shared: Arc<Shared<E>>) {
    let mut closing = shared.closing.subscribe();
    let mut every = tokio::time::interval(TICK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = closing.wait_for(|c| *c) => return,
            _ = every.tick() => {}
        }
        if shared.run(|e| e.tick(Instant::now())).is_err() {
            return;
        }
    }
}
