//! TEMPORARY stand-in for the lead's session.rs (branch i18-server only): the signatures
//! the server codes against. Dropped when main's session.rs is merged.
#![allow(dead_code, missing_docs)]

use super::view::{ControlView, PlayerView};
use super::{ActError, Action, ExerciseError, Role};
use crate::report::i18n::Lang;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct Setup {
    pub scenario: PathBuf,
    pub variant: Option<String>,
    pub seed: Option<u64>,
    pub play: Vec<String>,
    pub speed: f64,
    pub log: PathBuf,
    pub lang: Lang,
}

pub struct Exercise {
    played: Vec<String>,
}

impl Exercise {
    pub fn start(_setup: Setup, _wall: Instant) -> Result<Exercise, ExerciseError> {
        Err(ExerciseError::Setup("session.rs is not merged yet".into()))
    }
    pub fn resume(_log: &Path, _wall: Instant) -> Result<Exercise, ExerciseError> {
        Err(ExerciseError::Setup("session.rs is not merged yet".into()))
    }
    pub fn played(&self) -> &[String] {
        &self.played
    }
    pub fn tick(&mut self, _wall: Instant) -> Result<(), ExerciseError> {
        Ok(())
    }
    pub fn act(&mut self, _role: &Role, _action: Action, _wall: Instant) -> Result<(), ActError> {
        Err(ActError::Refused("not merged".into()))
    }
    pub fn player_view(&mut self, _org: &str) -> Result<PlayerView, ActError> {
        Err(ActError::Refused("not merged".into()))
    }
    pub fn control_view(&mut self) -> Result<ControlView, ExerciseError> {
        Err(ExerciseError::Setup("not merged".into()))
    }
    pub fn version(&self) -> u64 {
        0
    }
    pub fn lang(&self) -> Lang {
        Lang::En
    }
    pub fn close(self) -> Result<PathBuf, ExerciseError> {
        Ok(PathBuf::new())
    }
}
