//! What each role sees, as the JSON the pages read (`GET .../state` and the event
//! stream). Times are minutes from the scenario's start (`*_min`) beside the scenario's
//! local clock (`*_clock`, "fre 15:10" in Swedish, "Fri 15:10" in English).

use serde::Serialize;

/// The clock, as every role sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClockView {
    pub now_min: f64,
    pub now_clock: String,
    pub end_min: f64,
    pub paused: bool,
    /// Simulated minutes per wall-clock minute.
    pub speed: f64,
    /// Whether the scenario's end has been reached.
    pub ended: bool,
}

/// A fact as a person reads it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FactView {
    pub id: String,
    pub text: String,
    pub severity: u8,
}

/// A message waiting in a played unit's inbox.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessageView {
    pub msg: u32,
    /// The sender's unit id; empty for exercise control.
    pub from: String,
    pub from_name: String,
    pub kind: String,
    pub channel: String,
    pub sent_min: f64,
    pub delivered_min: f64,
    pub delivered_clock: String,
    pub facts: Vec<FactView>,
}

/// A channel a unit may send on, and whether it works now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelView {
    pub id: String,
    pub works: bool,
}

/// A unit a played unit may send to (its links).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecipientView {
    pub unit: String,
    pub name: String,
    /// `report`, `information`, ...
    pub flow: String,
    pub channels: Vec<ChannelView>,
}

/// A played unit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitView {
    pub id: String,
    pub name: String,
    pub level: String,
    pub inbox: Vec<MessageView>,
    /// Facts the unit knows, in the order it learned them.
    pub known: Vec<FactView>,
    pub recipients: Vec<RecipientView>,
}

/// A conference as its participants see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConferenceView {
    pub id: String,
    pub name: String,
    pub in_session: bool,
    /// The facts of its last published joint situational picture.
    pub picture: Vec<FactView>,
}

/// A request for resources.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestView {
    pub id: u32,
    pub incident: String,
    pub from: String,
    pub holder: String,
    pub resource: String,
    pub count: u32,
    pub state: String,
    pub made_min: f64,
}

/// What the players of one organisation see.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlayerView {
    pub org: String,
    pub org_name: String,
    pub clock: ClockView,
    pub units: Vec<UnitView>,
    /// Conferences any of its units takes part in.
    pub conferences: Vec<ConferenceView>,
    /// Its units' requests.
    pub requests: Vec<RequestView>,
    /// Incidents and resource types it may name in a request.
    pub incidents: Vec<String>,
    pub resources: Vec<String>,
}

/// An inject not yet carried out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InjectView {
    pub inject: String,
    /// The occurrence's id (`calls#3` for a stream).
    pub id: String,
    pub description: String,
    pub at_min: Option<f64>,
    pub at_clock: Option<String>,
    /// "after ID + N min" for an inject waiting for another.
    pub after: Option<String>,
}

/// How far a key fact has spread: units knowing it per level, of the units meant to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpreadView {
    pub fact: FactView,
    /// Executive, coordinating, strategic (model order): (units knowing, units meant to know).
    pub levels: [(u32, u32); 3],
}

/// A unit's queue (simulated units with work only, and every played unit).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueView {
    pub unit: String,
    pub name: String,
    pub waiting: u32,
    pub busy: u32,
    pub played: bool,
}

/// A resource pool now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PoolView {
    pub org: String,
    pub resource: String,
    pub in_use: i64,
    pub idle: i64,
    pub in_transit: i64,
    pub demanded: i64,
    pub unmet: i64,
}

/// An objective on what happened so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectiveView {
    pub id: String,
    pub description: String,
    /// Met so far (a time not reached yet is not met so far).
    pub met: bool,
    pub value: Option<f64>,
}

/// What exercise control sees.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ControlView {
    pub scenario: String,
    pub clock: ClockView,
    pub played: Vec<String>,
    pub upcoming: Vec<InjectView>,
    pub spread: Vec<SpreadView>,
    pub in_session: Vec<String>,
    pub queues: Vec<QueueView>,
    pub pools: Vec<PoolView>,
    pub requests: Vec<RequestView>,
    pub objectives: Vec<ObjectiveView>,
    /// Ids usable in ad-hoc injects.
    pub units: Vec<String>,
    pub areas: Vec<String>,
    pub infrastructure: Vec<String>,
    /// Rows written to the exercise log so far.
    pub log_rows: u64,
}
