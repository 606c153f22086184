//! The model's vocabulary: the levels, organisation kinds, message kinds, flows,
//! infrastructure systems and other small enums that both the scenario file format
//! ([`crate::scenario::spec`]) and the compiled [`crate::model::Model`] speak.
//!
//! The serialised names (snake_case in TOML, CSV and JSON) are part of the file format
//! and must not change; `scenario::spec` re-exports everything here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The three collaboration levels of model.md §1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// verkställande: each organisation's own operations.
    Executive,
    /// regionalt samordnande: duty officers, coordination function, conferences.
    Coordinating,
    /// regionalt inriktande: the regional council and heads of organisations.
    Strategic,
}

impl Level {
    /// The three levels, bottom up (the order of every per-level array and column).
    pub const ALL: [Level; 3] = [Level::Executive, Level::Coordinating, Level::Strategic];
    /// Position in [`Level::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
    /// The name in files (`executive`, `coordinating`, `strategic`).
    pub fn name(self) -> &'static str {
        ["executive", "coordinating", "strategic"][self as usize]
    }
    /// The level named `s` in files, if any.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == s)
    }
}

/// What kind of actor an organisation is (model.md §2); used in selectors (`kind:`).
///
/// County board (länsstyrelse), municipality, region, police, rescue service, SOS Alarm,
/// transport, armed forces, coast guard, utility, telecom operator, national agency, other.
#[allow(missing_docs)] // the variants: see above (variant docs would change the JSON schema)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    CountyBoard,
    Municipality,
    Region,
    Police,
    Rescue,
    SosAlarm,
    Transport,
    ArmedForces,
    CoastGuard,
    Utility,
    Telecom,
    Agency,
    Other,
}

impl OrgKind {
    /// The name in files (`county_board`, ...).
    pub fn name(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
    }
}

/// Message kinds of model.md §4 (public messages are not processed by units).
// Report (upward), direction (downward), request (resources), information (sideways),
// picture (a joint situational picture). The variants have no doc comments: they would
// change the JSON schema's form.
#[allow(missing_docs)] // the variants: see above (variant docs would change the JSON schema)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Report,
    Direction,
    Request,
    Information,
    Picture,
}

impl MessageKind {
    /// Every kind, in the order of their indices.
    pub const ALL: [MessageKind; 5] = [
        MessageKind::Report,
        MessageKind::Direction,
        MessageKind::Request,
        MessageKind::Information,
        MessageKind::Picture,
    ];
    /// The name in files.
    pub fn name(self) -> &'static str {
        ["report", "direction", "request", "information", "picture"][self as usize]
    }
}

/// What flows on a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// Facts upward (and the periodic situation report).
    Report,
    /// Direction downward after strategic meetings.
    Direction,
    /// Resource requests.
    Request,
    /// Facts sideways.
    Information,
}

impl Flow {
    /// The name in files.
    pub fn name(self) -> &'static str {
        ["report", "direction", "request", "information"][self as usize]
    }
    /// The kind of message that carries this flow.
    pub fn message_kind(self) -> MessageKind {
        match self {
            Flow::Report => MessageKind::Report,
            Flow::Direction => MessageKind::Direction,
            Flow::Request => MessageKind::Request,
            Flow::Information => MessageKind::Information,
        }
    }
}

/// Infrastructure systems that channels depend on (model.md §6).
// Power, mobile telephony and data, internet, fixed telephony, Rakel (the authorities'
// radio network). Named `System` in the JSON schema (and `spec::System` before).
#[allow(missing_docs)] // the variants: see above (variant docs would change the JSON schema)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "System")]
pub enum InfraSystem {
    Power,
    Mobile,
    Internet,
    Fixed,
    Rakel,
}

impl InfraSystem {
    /// Every system, in the order of their indices.
    pub const ALL: [InfraSystem; 5] =
        [InfraSystem::Power, InfraSystem::Mobile, InfraSystem::Internet, InfraSystem::Fixed, InfraSystem::Rakel];
    /// The name in files.
    pub fn name(self) -> &'static str {
        ["power", "mobile", "internet", "fixed", "rakel"][self as usize]
    }
}

/// What a communication channel is (model.md §6); decides its default infrastructure.
///
/// Mobile or fixed telephone, e-mail, Rakel radio, WIS (the shared web information
/// system), a meeting in person, a courier, other (no infrastructure by default).
#[allow(missing_docs)] // the variants: see above (variant docs would change the JSON schema)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    PhoneMobile,
    PhoneFixed,
    Email,
    Rakel,
    Wis,
    Meeting,
    Courier,
    Other,
}

impl ChannelKind {
    /// Infrastructure a channel of this kind needs unless the scenario says otherwise.
    pub fn default_dependencies(self) -> Vec<InfraSystem> {
        match self {
            ChannelKind::PhoneMobile => vec![InfraSystem::Mobile],
            ChannelKind::PhoneFixed => vec![InfraSystem::Fixed],
            ChannelKind::Email | ChannelKind::Wis => vec![InfraSystem::Power, InfraSystem::Internet],
            ChannelKind::Rakel => vec![InfraSystem::Rakel],
            ChannelKind::Meeting | ChannelKind::Courier | ChannelKind::Other => vec![],
        }
    }
}

/// Town or countryside: decides how long mobile sites run on battery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    /// Towns above 8 000 inhabitants: mobile sites on battery ≥ 1 h (PTS rule, domain.md §5.4).
    #[default]
    Town,
    /// Elsewhere: mobile sites on battery ≥ 4 h.
    Rural,
}

/// When a unit passes facts upward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportingMode {
    /// Pass each fact on as soon as it is known.
    #[default]
    Immediate,
    /// Bundle facts into the next periodic situation report.
    Periodic,
}

/// How a unit came to know a fact.
// At the origin (where the fact arose), by a message, in a conference, or from a joint
// situational picture.
#[allow(missing_docs)] // the variants: see above (variant docs would change the JSON schema)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Origin,
    Message,
    Conference,
    Picture,
}

impl Via {
    /// The name in files.
    pub fn name(self) -> &'static str {
        ["origin", "message", "conference", "picture"][self as usize]
    }
}

/// When a pool lends its resources to others (model.md §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LendPolicy {
    /// Lendable whenever idle.
    #[default]
    Always,
    /// Lendable once direction from the strategic level released it.
    OnDirection,
    /// Kept for the owner's own incidents.
    Never,
}

/// The state an inject sets an infrastructure system to: up, down or overloaded.
#[allow(missing_docs)] // up and down need no words (and variant docs change the JSON schema)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InfraState {
    Up,
    Down,
    /// Works but loses messages (e.g. a mobile network overloaded in a mass event).
    Overloaded,
}

/// What an objective measures (model.md §10–11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Some unit of `level` knows `fact` within `within`.
    FirstKnown,
    /// Every unit of `level` knows `fact` within `within`.
    AllKnown,
    /// `unit` knows `fact` within `within`.
    UnitKnows,
    /// First conference starts within `within` (of `conference` if given).
    FirstConference,
    /// First joint situational picture published within `within`.
    FirstPicture,
    /// `unit` activated within `within`.
    UnitActivated,
    /// First public message about `fact` within `within`.
    FirstPublicMessage,
    /// Median information delay at `level` at most `within`.
    MedianDelay,
    /// 90th percentile of information delay at `level` at most `within`.
    P90Delay,
    /// Unmet resource-minutes at most `max`.
    UnmetResourceMinutes,
    /// Idle-while-short resource-minutes at most `max`.
    IdleWhileShortMinutes,
    /// Uncoordinated public messages at most `max`.
    UncoordinatedPublicMessages,
    /// Mean request wait (minutes) at most `max`.
    MeanRequestWait,
}

impl Measure {
    /// The name in files.
    pub fn name(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
    }
}
