//! The exercise debrief: what happened in an exercise, beside what the model expected.
//!
//! An observer's log ([`log`]) lists when each unit knew, sent, received or handled a
//! fact, when conferences met, what was requested and decided. [`compare`] runs a batch
//! of the scenario and places every observation in the simulated distribution of the
//! same quantity ([`observe`]), rates the objectives on the observations, decomposes
//! observed chains like the model's delays, and [`whatif`] reruns the model with the
//! largest deviations imposed. [`files`] writes the CSV files and the improvement plan,
//! [`report`] the After-Action Report (`debrief.html`). The log format is documented in
//! docs/exercise-log.md.
//!
//! The types in this file are the contract between those modules.

pub mod compare;
pub mod files;
pub mod hops;
pub mod log;
pub mod objectives;
pub mod observe;
pub mod report;
pub mod runs;
pub mod template;
pub mod whatif;

use crate::model::{OrgIdx, UnitIdx};
use crate::time::SimTime;
use crate::vocabulary::Level;

/// What an observation says happened (the log's `event` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// The unit came to know the fact.
    Knew,
    /// The unit sent a message carrying the fact (to `to`, when given).
    Sent,
    /// A message carrying the fact reached the unit (from `from`, when given).
    Received,
    /// The unit finished handling a message carrying the fact (in the model: when it knows).
    Handled,
    /// The unit was activated (raised staffing, crisis mode).
    Activated,
    /// A session of the conference (`fact` = conference id) started.
    ConferenceStarted,
    /// A session of the conference ended.
    ConferenceEnded,
    /// The conference's joint situational picture was published.
    PicturePublished,
    /// The unit decided a request for resources.
    Decided,
    /// The unit requested resources.
    Requested,
    /// Requested resources arrived at the unit's incident.
    ResourcesArrived,
    /// The unit published a public message about the fact.
    PublicMessage,
}

impl EventKind {
    pub const ALL: [EventKind; 12] = [
        EventKind::Knew,
        EventKind::Sent,
        EventKind::Received,
        EventKind::Handled,
        EventKind::Activated,
        EventKind::ConferenceStarted,
        EventKind::ConferenceEnded,
        EventKind::PicturePublished,
        EventKind::Decided,
        EventKind::Requested,
        EventKind::ResourcesArrived,
        EventKind::PublicMessage,
    ];

    /// The name the log uses.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Knew => "knew",
            EventKind::Sent => "sent",
            EventKind::Received => "received",
            EventKind::Handled => "handled",
            EventKind::Activated => "activated",
            EventKind::ConferenceStarted => "conference_started",
            EventKind::ConferenceEnded => "conference_ended",
            EventKind::PicturePublished => "picture_published",
            EventKind::Decided => "decided",
            EventKind::Requested => "requested",
            EventKind::ResourcesArrived => "resources_arrived",
            EventKind::PublicMessage => "public_message",
        }
    }

    /// Whether the event names a conference (in the `fact` column) rather than a fact.
    pub fn is_conference(self) -> bool {
        matches!(self, EventKind::ConferenceStarted | EventKind::ConferenceEnded | EventKind::PicturePublished)
    }

    /// Whether a row with this event must name a fact (or a conference).
    pub fn needs_subject(self) -> bool {
        matches!(
            self,
            EventKind::Knew
                | EventKind::Sent
                | EventKind::Received
                | EventKind::Handled
                | EventKind::ConferenceStarted
                | EventKind::ConferenceEnded
                | EventKind::PicturePublished
                | EventKind::PublicMessage
        )
    }
}

/// What an observation is about (the log's `fact` column, resolved).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// A fact, by the id it has in a run: an inject's id (`alarm`), or a streamed
    /// repetition (`calls#3`).
    Fact(String),
    /// A conference, by index into `Model::conferences`.
    Conference(u32),
}

/// One row of an exercise log, checked against the model.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// The row's number as a spreadsheet shows it (the header is row 1).
    pub row: u64,
    /// When it happened, in ms from the scenario's start.
    pub time: SimTime,
    /// The unit that did or saw it. For conference events: the convener when the log
    /// leaves the unit empty.
    pub unit: UnitIdx,
    pub event: EventKind,
    pub subject: Option<Subject>,
    /// The other end of a message (`received` from, `sent` to).
    pub from: Option<UnitIdx>,
    pub to: Option<UnitIdx>,
    pub observer: String,
    pub note: String,
}

/// A read and checked exercise log, rows in file order.
#[derive(Clone, Debug, Default)]
pub struct ExerciseLog {
    /// The log's file name as given (for messages and the report).
    pub file: String,
    pub observations: Vec<Observation>,
}

/// Where an observation falls among the simulated runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Earlier than the model's 10th percentile.
    Faster,
    AsExpected,
    /// Later than the model's 90th percentile.
    Slower,
    /// No simulated run produced the quantity.
    NeverInModel,
    /// The model has no counterpart to compare with (the reason is given beside it).
    NotComparable,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Faster => "faster",
            Verdict::AsExpected => "as_expected",
            Verdict::Slower => "slower",
            Verdict::NeverInModel => "never_in_model",
            Verdict::NotComparable => "not_comparable",
        }
    }
}

/// The simulated distribution of one quantity over a batch, in minutes from the start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spread {
    /// Runs in the batch.
    pub runs: usize,
    /// Runs in which the quantity happened.
    pub happened: usize,
    pub p10: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub mean: Option<f64>,
}

/// One observation placed in the simulated distribution (a row of debrief.csv).
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub observation: Observation,
    /// Observed time, minutes from the start.
    pub observed_min: f64,
    pub spread: Spread,
    /// Share of the runs where it happened in which it happened before the observed time
    /// (ties count half), in percent.
    pub percentile: Option<f64>,
    pub verdict: Verdict,
    /// Why it is `not_comparable` or `never_in_model`; empty otherwise.
    pub reason: String,
}

/// First-known and all-known of one key fact at one level: observed beside simulated.
/// Times in minutes from the fact's origin.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelTiming {
    pub fact: String,
    pub level: Level,
    /// Units at the level meant to know the fact.
    pub units: usize,
    /// Units at the level with a `knew` (or `handled`) observation of the fact.
    pub observed_units: usize,
    pub observed_first_min: Option<f64>,
    /// Only when every unit at the level was observed knowing it.
    pub observed_all_min: Option<f64>,
    pub sim_first: Spread,
    pub sim_all: Spread,
}

/// HSEEP's rating of an objective (capability target).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rating {
    /// P: performed without challenges.
    WithoutChallenges,
    /// S: performed with some challenges.
    SomeChallenges,
    /// M: performed with major challenges.
    MajorChallenges,
    /// U: unable to be performed.
    Unable,
    /// The log holds nothing this objective can be rated on.
    NotObserved,
}

/// An objective evaluated on the observations, beside the model's probability.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveRating {
    pub id: String,
    pub description: String,
    pub measure: String,
    /// The limit (minutes, or a count).
    pub limit: f64,
    /// The value the observations give, when they give one.
    pub observed: Option<f64>,
    pub met: Option<bool>,
    pub rating: Rating,
    /// Share of simulated runs that met it (0–1) with its Wilson 95 % interval.
    pub model_probability: f64,
    pub model_interval: (f64, f64),
    /// The model's median value of the measure (over runs where it has one).
    pub model_median: Option<f64>,
    /// Log rows the rating rests on.
    pub rows: Vec<u64>,
    pub explanation: String,
}

/// The part of a delay, as in the model's decomposition (docs/concepts.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DelayPart {
    Transit,
    Queue,
    Processing,
    MeetingWait,
    ActivationWait,
}

impl DelayPart {
    pub const ALL: [DelayPart; 5] = [
        DelayPart::Transit,
        DelayPart::Queue,
        DelayPart::Processing,
        DelayPart::MeetingWait,
        DelayPart::ActivationWait,
    ];
    pub fn name(self) -> &'static str {
        ["transit", "queue", "processing", "meeting_wait", "activation_wait"][self as usize]
    }
}

/// One hop of an observed chain (a fact passed from one unit to the next), its observed
/// parts beside the model's mean parts of the same hop. Minutes.
#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    pub fact: String,
    pub from: UnitIdx,
    pub to: UnitIdx,
    /// Log rows that give the hop's times.
    pub rows: Vec<u64>,
    /// Observed minutes per part (`None`: the log does not give it).
    pub observed: [Option<f64>; 5],
    /// The model's mean minutes per part, over runs where the hop happened.
    pub model_mean: [Option<f64>; 5],
    /// Runs in which the model passed the fact along this hop.
    pub model_runs: usize,
    /// Observed minutes at the receiving unit (handled − received): queue, activation
    /// wait and processing together, which a log cannot tell apart.
    pub observed_at_unit: Option<f64>,
    /// The model's mean of the same (queue + activation wait + processing).
    pub model_at_unit_mean: Option<f64>,
}

/// A change imposed on the model to match an observation.
#[derive(Clone, Debug, PartialEq)]
pub enum Imposed {
    /// The conference's first session at the observed time (minutes from the start).
    FirstSession { conference: u32, observed_min: f64, model_median_min: f64 },
    /// The unit's processing times scaled by `factor` to match the observed time at the unit.
    SlowerUnit { unit: UnitIdx, factor: f64 },
}

/// The knock-on effect of an imposed change on one measure, over paired runs (common
/// random numbers): imposed minus base, mean with 95 % interval.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    /// A headline measure's name (`first_fact_all_strategic_min`) or `objective:<id>`
    /// (then in percentage points of the probability of meeting it).
    pub measure: String,
    pub base_mean: f64,
    pub imposed_mean: f64,
    pub difference: f64,
    pub interval: (f64, f64),
    pub pairs: usize,
}

/// A rerun with one deviation imposed.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIf {
    pub imposed: Imposed,
    /// The log rows that showed the deviation.
    pub rows: Vec<u64>,
    /// What the rerun achieved for the imposed quantity (median minutes), to show how
    /// closely the imposition matched.
    pub achieved_median_min: Option<f64>,
    pub effects: Vec<Effect>,
}

/// How the simulated side was made.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchInfo {
    pub scenario: String,
    pub scenario_file: String,
    pub scenario_hash: String,
    pub variant: Option<String>,
    pub master_seed: u64,
    pub runs: usize,
    /// The batch folder the runs were taken from (`--batch`), when one was.
    pub from_batch: Option<String>,
}

/// Everything a debrief found: what `files` writes and `report` draws.
#[derive(Clone, Debug)]
pub struct Debrief {
    pub batch: BatchInfo,
    pub log: ExerciseLog,
    pub placed: Vec<Placed>,
    pub levels: Vec<LevelTiming>,
    pub objectives: Vec<ObjectiveRating>,
    pub hops: Vec<Hop>,
    pub what_ifs: Vec<WhatIf>,
}

/// The organisation that owns a unit (for the improvement plan's responsible column).
pub fn responsible(model: &crate::model::Model, unit: UnitIdx) -> OrgIdx {
    model.units[unit as usize].org
}
