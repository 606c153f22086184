//! A live exercise: people play some organisations, samverkan plays the rest.
//!
//! [`session::Exercise`] owns the steppable engine ([`crate::sim::Engine`]), the clock
//! that ties simulated time to the wall clock ([`clock`]), and the exercise log
//! ([`log`]). Everything a person does is an [`Action`] by a [`Role`]: a player acts only
//! for the units of its own organisation, exercise control only steers (clock, injects).
//! Each action enters the engine at the current simulated time and is written to the log
//! (the debrief's format, docs/exercise-log.md) before it takes effect, so that
//! [`replay`] reproduces the simulated side exactly and `--resume` rebuilds the state.
//! [`view`] is what each role sees; [`server`] serves it over HTTP.

pub mod apply;
pub mod clock;
pub mod log;
mod present;
pub mod replay;
pub mod server;
pub mod session;
pub mod view;
pub mod watch;

use serde::{Deserialize, Serialize};

/// Who acts: exercise control, or the players of one organisation (by its id).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", content = "org", rename_all = "snake_case")]
pub enum Role {
    Control,
    Player(String),
}

impl Role {
    /// The role's name on the command line and in the log: `control` or the organisation's id.
    pub fn name(&self) -> &str {
        match self {
            Role::Control => "control",
            Role::Player(org) => org,
        }
    }
}

/// Something a person does. Units, facts, injects and channels are named by their ids
/// in the scenario; times are minutes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    // ---- a player, for a unit of its organisation
    /// The unit has handled message `msg` of its inbox: it knows the message's facts now.
    Handled { unit: String, msg: u32 },
    /// The unit sends a message to `to` carrying facts it knows and/or a new fact (`text`).
    Send {
        unit: String,
        to: String,
        #[serde(default)]
        facts: Vec<String>,
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        severity: Option<u8>,
        #[serde(default)]
        channel: Option<String>,
    },
    /// The unit requests `count` resources of type `resource` for incident `incident`.
    Request { unit: String, incident: String, resource: String, count: u32 },
    // ---- exercise control
    /// Stops the simulated clock.
    Pause,
    /// Starts it again.
    Resume,
    /// Simulated minutes per wall-clock minute.
    Speed { x: f64 },
    /// Runs the simulated clock ahead by `minutes` at once.
    Jump { minutes: f64 },
    /// Carries out the inject's next occurrence now.
    FireNow { inject: String },
    /// Moves the inject's next occurrence later by `minutes`.
    Delay { inject: String, minutes: f64 },
    /// The inject does not happen (nor what waits for it).
    Skip { inject: String },
    /// Ad hoc: a new fact observed now at a unit.
    Fact { unit: String, id: String, text: String, severity: u8 },
    /// Ad hoc: a message from exercise control to a unit, carrying a new fact.
    Message { to: String, id: String, text: String, severity: u8 },
    /// Ad hoc: infrastructure in some areas (none: everywhere) goes `down`, comes back
    /// `up`, or is `overloaded` (losing `loss` of what it carries).
    Infra {
        #[serde(default)]
        areas: Option<Vec<String>>,
        target: String,
        state: String,
        #[serde(default)]
        loss: Option<f64>,
    },
}

impl Action {
    /// Whether it only steers the clock (nothing changes in the simulated side).
    pub fn is_clock(&self) -> bool {
        matches!(self, Action::Pause | Action::Resume | Action::Speed { .. } | Action::Jump { .. })
    }

    /// Whether only exercise control may do it.
    pub fn is_control(&self) -> bool {
        !matches!(self, Action::Handled { .. } | Action::Send { .. } | Action::Request { .. })
    }

    /// The unit a player's action is done for.
    pub fn unit(&self) -> Option<&str> {
        match self {
            Action::Handled { unit, .. } | Action::Send { unit, .. } | Action::Request { unit, .. } => Some(unit),
            _ => None,
        }
    }
}

/// Why an action was not carried out.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    /// The role may not do this (HTTP 403).
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// It cannot be done now, or names something that does not exist (HTTP 400).
    #[error("{0}")]
    Refused(String),
    /// The engine or the log failed (HTTP 500); the exercise cannot go on safely.
    #[error(transparent)]
    Broken(#[from] ExerciseError),
}

/// An exercise that cannot start or go on.
#[derive(Debug, thiserror::Error)]
pub enum ExerciseError {
    #[error("the simulation failed: {0}")]
    Sim(#[from] crate::sim::SimError),
    #[error("the exercise log {path}: {source}")]
    Log {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Setup(String),
    #[error("the exercise log {path}, row {row}: {what}")]
    BadLog { path: String, row: usize, what: String },
}
