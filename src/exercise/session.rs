//! An exercise in progress: the engine, the clock, who plays what, and the log.
//!
//! Time moves in [`Exercise::tick`] (the server calls it several times a second): the
//! engine runs up to the clock's simulated time and what the played units received and
//! learned, and which conferences met, is written to the log. [`Exercise::act`] first
//! brings the engine to the current time, checks the role may act, carries the action
//! out at that simulated time and logs it.

use super::apply::{self, Outcome, Played};
use super::clock::Clock;
use super::log::{Header, LogWriter, Record, Row, scenario_fact};
use super::watch::Watch;
use super::{ActError, Action, ExerciseError, Role};
use crate::model::Model;
use crate::report::i18n::Lang;
use crate::sim::Engine;
use crate::time::{MINUTE, SimTime};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// What `samverkan exercise` is started with.
#[derive(Clone, Debug)]
pub struct Setup {
    pub scenario: PathBuf,
    pub variant: Option<String>,
    /// The run's seed (default: the scenario's).
    pub seed: Option<u64>,
    /// Organisations played by people, by id.
    pub play: Vec<String>,
    /// Simulated minutes per wall-clock minute.
    pub speed: f64,
    /// The exercise log to write (must not exist).
    pub log: PathBuf,
    pub lang: Lang,
}

/// An exercise in progress.
pub struct Exercise {
    pub(super) model: Arc<Model>,
    pub(super) engine: Engine,
    pub(super) played: Played,
    pub(super) clock: Clock,
    pub(super) log: LogWriter,
    pub(super) header: Header,
    pub(super) lang: Lang,
    watch: Watch,
    version: u64,
    /// The simulated minute last shown (a new minute is a visible change).
    shown: SimTime,
    /// When the log last recorded the simulated time.
    marked: Instant,
}

/// How often the log records the simulated time reached (wall clock).
const MARK_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

impl Exercise {
    /// Loads the scenario, hands the played organisations' units to people and starts
    /// the log; the clock starts at the scenario's start at `wall`.
    pub fn start(setup: Setup, wall: Instant) -> Result<Exercise, ExerciseError> {
        if !(setup.speed.is_finite() && setup.speed > 0.0) {
            return Err(ExerciseError::Setup(format!("--speed {}: give a positive number", setup.speed)));
        }
        let model = load(&setup.scenario, setup.variant.as_deref())?;
        let header = Header {
            scenario: setup.scenario.display().to_string(),
            hash: model.hash.clone(),
            variant: setup.variant.clone(),
            seed: setup.seed.unwrap_or(model.seed),
            play: setup.play.clone(),
            speed: setup.speed,
            lang: setup.lang.labels().code.into(),
        };
        let (engine, played) = begin(&model, &header)?;
        let mut log = LogWriter::create(&setup.log, model.start)?;
        let record = Record { at_ms: 0, by: Role::Control.name().into(), exercise: Some(header.clone()), act: None };
        log.action(&record, "", &format!("exercise of {} started; played: {}", model.name, header.play.join(", ")))?;
        let watch = Watch::new(&played);
        let clock = Clock::new(setup.speed, wall, 0);
        let ex = Exercise {
            model,
            engine,
            played,
            clock,
            log,
            header,
            lang: setup.lang,
            watch,
            version: 1,
            shown: 0,
            marked: wall,
        };
        Ok(ex)
    }

    /// Rebuilds an exercise from its log (`--resume`): every recorded action again at its
    /// time, the engine run up to the last row's time, and the log continued. The clock
    /// stands paused there until exercise control resumes it.
    pub fn resume(path: &Path, wall: Instant) -> Result<Exercise, ExerciseError> {
        let rebuilt = super::replay::rebuild(path)?;
        let super::replay::Rebuilt { model, mut engine, played, header, rows, last, observed } = rebuilt;
        engine.run_until(last)?;
        let lang = Lang::parse(&header.lang).unwrap_or_default();
        let log = LogWriter::append(path, model.start, rows)?;
        let watch = Watch::from_log(&model, &played, &observed);
        let mut clock = Clock::new(header.speed, wall, engine.now());
        clock.pause(wall);
        let shown = engine.now() / MINUTE;
        let mut ex =
            Exercise { model, engine, played, clock, log, header, lang, watch, version: 1, shown, marked: wall };
        let note = "resumed from the log; the clock stands paused";
        ex.record(&Role::Control, &Action::Pause, &note.to_string().into())?;
        Ok(ex)
    }

    /// The organisations people play, in `--play` order.
    pub fn played(&self) -> &[String] {
        &self.header.play
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Grows whenever anything a role sees has changed.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The simulated time now.
    pub fn now(&self) -> SimTime {
        self.engine.now()
    }

    /// Whether the scenario's end has been reached.
    pub fn ended(&self) -> bool {
        self.engine.now() >= self.engine.end()
    }

    /// Runs the engine up to the clock's time at `wall` and logs what was observed.
    pub fn tick(&mut self, wall: Instant) -> Result<(), ExerciseError> {
        let target = self.clock.at(wall).min(self.engine.end());
        if target <= self.engine.now() {
            return Ok(());
        }
        self.engine.run_until(target)?;
        let logged = self.watch.observe(&self.engine, &self.model, &self.played, &mut self.log)?;
        if wall.saturating_duration_since(self.marked) >= MARK_EVERY {
            let mark = Record { at_ms: target, by: super::log::ENGINE.into(), exercise: None, act: None };
            self.log.action(&mark, "", "simulated time reached")?;
            self.marked = wall;
        }
        if self.ended() {
            self.clock.pause(wall);
        }
        if logged > 0 || target / MINUTE != self.shown || self.ended() {
            self.shown = target / MINUTE;
            self.version += 1;
        }
        Ok(())
    }

    /// `role` does `action` now (at the clock's time at `wall`).
    pub fn act(&mut self, role: &Role, action: Action, wall: Instant) -> Result<(), ActError> {
        apply::authorise(&self.model, &self.played, role, &action)?;
        self.tick(wall)?;
        // What the engine has to do at this instant before anything new (a replay does the same).
        let now = self.engine.now();
        self.engine.run_until(now).map_err(ExerciseError::from)?;
        let outcome: Outcome = match &action {
            Action::Pause => {
                self.clock.pause(wall);
                "clock paused".to_string().into()
            }
            Action::Resume => {
                self.clock.resume(wall);
                "clock resumed".to_string().into()
            }
            Action::Speed { x } => {
                if !(x.is_finite() && *x > 0.0 && *x <= 10_000.0) {
                    return Err(ActError::Refused(format!("speed {x}: give a number above 0 and at most 10000")));
                }
                self.clock.set_speed(*x, wall);
                format!("speed {x}").into()
            }
            Action::Jump { minutes } => self.jump(*minutes, wall)?.into(),
            _ => apply::carry_out(&mut self.engine, &self.model, &action)?,
        };
        self.record(role, &action, &outcome)?;
        self.version += 1;
        Ok(())
    }

    fn jump(&mut self, minutes: f64, wall: Instant) -> Result<String, ActError> {
        if !(minutes.is_finite() && minutes > 0.0 && minutes <= 1e6) {
            return Err(ActError::Refused(format!("jump {minutes} min: give a positive number of minutes")));
        }
        let to = (self.engine.now() + (minutes * MINUTE as f64).round() as SimTime).min(self.engine.end());
        self.engine.run_until(to).map_err(ExerciseError::from)?;
        self.watch.observe(&self.engine, &self.model, &self.played, &mut self.log)?;
        self.clock.set(self.engine.now(), wall);
        Ok(format!("jumped ahead {minutes} min"))
    }

    /// Logs an action at the current simulated time, with the rows it makes observable.
    fn record(&mut self, role: &Role, action: &Action, outcome: &Outcome) -> Result<(), ExerciseError> {
        let at = self.engine.now();
        let record = Record { at_ms: at, by: role.name().into(), exercise: None, act: Some(action.clone()) };
        let unit = action.unit().unwrap_or("");
        self.log.action(&record, unit, &outcome.note)?;
        for (event, fact, other) in outcome.rows.iter().filter(|(_, f, _)| scenario_fact(&self.model, f)) {
            let (from, to) = if *event == "sent" { ("", other.as_str()) } else { (other.as_str(), "") };
            let row = Row { at, unit, event, fact, from, to, observer: role.name(), ..Row::default() };
            self.log.row(&row)?;
        }
        Ok(())
    }

    /// The exercise log.
    pub fn log_path(&self) -> &Path {
        self.log.path()
    }

    /// Rows written to the log so far.
    pub fn log_rows(&self) -> u64 {
        self.log.rows()
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Ends the exercise: the log is complete (every row is flushed as written).
    pub fn close(self) -> Result<PathBuf, ExerciseError> {
        Ok(self.log.path().to_path_buf())
    }

    /// Runs the simulated side on to the scenario's end with no more actions and gives
    /// the run's record ([`super::replay`] of the log gives the same).
    pub fn finish(mut self) -> Result<crate::sim::RunRecord, ExerciseError> {
        self.engine.run()?;
        Ok(self.engine.finish()?)
    }
}

/// Compiles the scenario; its errors as one message naming the file.
pub(super) fn load(path: &Path, variant: Option<&str>) -> Result<Arc<Model>, ExerciseError> {
    crate::scenario::load(path, variant).map(Arc::new).map_err(|e| ExerciseError::Setup(e.to_string()))
}

/// The engine of an exercise, its played units handed over.
pub(super) fn begin(model: &Arc<Model>, header: &Header) -> Result<(Engine, Played), ExerciseError> {
    let played = Played::resolve(model, &header.play).map_err(ExerciseError::Setup)?;
    let mut engine = Engine::new(model, header.seed);
    for &u in played.units() {
        engine.hand_over(u)?;
    }
    Ok((engine, played))
}
