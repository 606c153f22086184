//! The compiled model: a validated scenario with every name resolved to an index.
//!
//! `scenario::compile` builds a [`Model`] from a scenario file (and a variant); the
//! simulator only ever reads it, so one `Model` serves every replication of a batch.
//! Vectors are in file order; indices (`u32`) are positions in them.

use crate::dist::Dist;
pub use crate::text::Text;
use crate::time::{LocalDateTime, OfficeHours, SimTime};
use crate::vocabulary::{
    AreaKind, ChannelKind, Flow, InfraState, InfraSystem, LendPolicy, Level, Measure, MessageKind, OrgKind, Via,
};

pub type UnitIdx = u32;
pub type OrgIdx = u32;

#[derive(Clone, Debug)]
pub struct Model {
    pub name: Text,
    pub description: Text,
    /// FNV-1a hash of the scenario file's bytes (hex); the variant is in `variant`.
    pub hash: String,
    pub variant: Option<String>,
    pub start: LocalDateTime,
    pub duration: SimTime,
    pub seed: u64,
    pub orgs: Vec<Org>,
    pub units: Vec<Unit>,
    pub areas: Vec<Area>,
    pub channels: Vec<Channel>,
    pub links: Vec<Link>,
    /// Channels of `[links] channels`, used where nothing else names one.
    pub default_channels: Vec<u32>,
    pub conferences: Vec<Conference>,
    pub resource_types: Vec<String>,
    /// Names of `resource_types` (same order) for reports: `[resource_type.ID]`, else the id.
    pub resource_type_names: Vec<Text>,
    pub pools: Vec<Pool>,
    pub agreements: Vec<Agreement>,
    pub injects: Vec<Inject>,
    pub objectives: Vec<Objective>,
    pub guard: Guard,
    /// Rates of the `[cost]` table resolved to units and pools (defaults without one);
    /// [`crate::cost::of`] gives the plan's cost.
    pub cost: crate::cost::Rates,
    /// Variant names defined in the file (whichever one, if any, is applied).
    pub variants: Vec<String>,
    /// Names and descriptions of the variants defined in the file, in file order.
    pub variant_texts: Vec<VariantText>,
    /// Where the incident happens (`[scenario] location`), for the map chart only.
    pub location: Option<Location>,
}

/// What a report calls a variant of the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantText {
    pub id: String,
    /// `name`/`name_sv`, else the id.
    pub name: Text,
    pub description: Text,
}

/// A place on the map (WGS 84 degrees).
#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
    pub name: Text,
}

impl Model {
    pub fn unit_index(&self, id: &str) -> Option<UnitIdx> {
        self.units.iter().position(|u| u.id == id).map(|i| i as UnitIdx)
    }
    pub fn units_at(&self, level: Level) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(move |u| u.level == level)
    }
    pub fn level_size(&self, level: Level) -> usize {
        self.units_at(level).count()
    }
}

#[derive(Clone, Debug)]
pub struct Org {
    pub id: String,
    pub name: Text,
    pub kind: OrgKind,
    pub area: Option<u32>,
    pub backup_power: bool,
    pub units: Vec<UnitIdx>,
    /// SCB municipality code (checked against the embedded outlines, [`crate::geo`]);
    /// only the map chart reads it.
    pub municipality_code: Option<String>,
    /// County (län) code whose regional coordination this organisation is (the county
    /// board); checked like `municipality_code`; only the county map reads it.
    pub county_code: Option<String>,
}

#[derive(Clone, Debug)]
pub struct PublicInfo {
    pub threshold: u8,
    pub prepare: Dist,
    pub wait_for_joint: SimTime,
}

#[derive(Clone, Debug)]
pub struct Unit {
    /// "organisation.unit", e.g. "polisen.rlc".
    pub id: String,
    pub name: Text,
    pub org: OrgIdx,
    pub level: Level,
    pub area: Option<u32>,
    pub tags: Vec<String>,
    pub handlers: u32,
    pub off_hours_handlers: u32,
    pub activated_handlers: u32,
    pub office_hours: OfficeHours,
    pub duty_officer: Option<Dist>,
    pub activation_threshold: Option<u8>,
    pub activation_delay: Dist,
    /// Indexed by `MessageKind as usize`.
    pub processing: [Dist; 5],
    /// Periodic reporting: (interval, offset from the start).
    pub report_every: Option<(SimTime, SimTime)>,
    /// Bit `Via as u8` set: facts learned that way are passed on.
    pub forward_mask: u8,
    pub public_info: Option<PublicInfo>,
    pub decides_requests: bool,
    /// Outgoing links (indices into `Model::links`), in link order.
    pub out_links: Vec<u32>,
}

impl Unit {
    pub fn forwards(&self, via: Via) -> bool {
        self.forward_mask & (1 << via as u8) != 0
    }
    pub fn processing_time(&self, kind: MessageKind) -> &Dist {
        &self.processing[kind as usize]
    }
}

#[derive(Clone, Debug)]
pub struct Area {
    pub id: String,
    pub name: Text,
    pub kind: AreaKind,
    pub customers: u64,
    /// Battery time of each system after a power failure, indexed by `InfraSystem as usize`
    /// (`power` itself is unused).
    pub backup: [SimTime; 5],
}

#[derive(Clone, Debug)]
pub struct Channel {
    pub id: String,
    pub kind: ChannelKind,
    pub latency: Dist,
    pub loss: f64,
    pub retry_after: SimTime,
    /// Bit `InfraSystem as u8` set: the channel needs that system in both endpoints' areas.
    pub depends: u8,
}

/// Where a link came from (for `describe` and guard messages).
#[derive(Clone, Debug, PartialEq)]
pub enum LinkOrigin {
    Default(&'static str),
    Rule(String),
    Explicit(String),
}

#[derive(Clone, Debug)]
pub struct Link {
    pub from: UnitIdx,
    pub to: UnitIdx,
    pub flow: Flow,
    pub channels: Vec<u32>,
    pub threshold: u8,
    pub origin: LinkOrigin,
}

#[derive(Clone, Debug)]
pub struct Picture {
    pub compile: Dist,
    pub channel: u32,
    pub to: Vec<UnitIdx>,
}

#[derive(Clone, Debug)]
pub struct Direction {
    pub activate: bool,
    pub release_resources: bool,
    pub prioritise: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Conference {
    pub id: String,
    pub name: Text,
    pub level: Level,
    pub convener: UnitIdx,
    pub participants: Vec<UnitIdx>,
    pub channel: Option<u32>,
    pub duration: SimTime,
    /// Ordinary mode: (interval, weekday or None for daily, time of day).
    pub ordinary: Option<(SimTime, Option<usize>, SimTime)>,
    /// Activated mode: (interval, delay from the convener's activation to the first one).
    pub activated: Option<(SimTime, Dist)>,
    /// The first session imposed at this time (ms from the start): a what-if of the
    /// debrief (`debrief::whatif`), never set by a scenario file. Ordinary sessions then
    /// run every interval from it, and an activation before it calls the first activated
    /// session at it (the `first_after` draw is still made, so random streams stay
    /// paired with the unchanged model); see `sim::conference`.
    pub imposed_first: Option<SimTime>,
    pub shares_knowledge: bool,
    pub decides_requests: bool,
    pub agrees_public: bool,
    pub picture: Option<Picture>,
    pub direction: Option<Direction>,
}

#[derive(Clone, Debug)]
pub struct Pool {
    pub id: String,
    pub org: OrgIdx,
    pub kind: u32,
    pub count: u32,
    pub area: Option<u32>,
    pub response: Dist,
    pub mobilisation: Dist,
    pub lend: LendPolicy,
    pub reserve: u32,
}

#[derive(Clone, Debug)]
pub struct Agreement {
    pub id: String,
    pub kinds: Vec<u32>,
    pub orgs: Vec<OrgIdx>,
}

#[derive(Clone, Debug)]
pub enum InjectTime {
    At(SimTime),
    After { inject: u32, delay: SimTime },
}

#[derive(Clone, Debug)]
pub enum Stream {
    Every(SimTime),
    Rate(f64),
    Count(u32),
}

#[derive(Clone, Debug)]
pub struct Demand {
    pub kind: u32,
    pub quantity: u32,
    pub duration: Dist,
    /// (interval, added per interval, maximum total quantity).
    pub growth: Option<(SimTime, u32, u32)>,
}

#[derive(Clone, Debug)]
pub enum InfraTarget {
    System(InfraSystem),
    Channel(u32),
}

#[derive(Clone, Debug)]
pub enum Action {
    Fact {
        origin: UnitIdx,
        severity: u8,
        text: Text,
        levels: u8,
    },
    Incident {
        area: Option<u32>,
        severity: u8,
        responsible: UnitIdx,
        text: Text,
        demand: Vec<Demand>,
    },
    Grow {
        incident: String,
        kind: u32,
        add: u32,
    },
    Infra {
        areas: Option<Vec<u32>>,
        target: InfraTarget,
        state: InfraState,
        loss: f64,
        lasts: Option<Dist>,
    },
    Activate(Vec<UnitIdx>),
    StandDown(Vec<UnitIdx>),
    PoolChange {
        pool: u32,
        add: i64,
    },
    Message {
        from: Option<UnitIdx>,
        to: Vec<UnitIdx>,
        kind: MessageKind,
        channel: Option<u32>,
        text: Text,
        severity: u8,
        facts: Vec<String>,
    },
}

impl Action {
    pub fn kind_name(&self) -> &'static str {
        match self {
            Action::Fact { .. } => "fact",
            Action::Incident { .. } => "incident",
            Action::Grow { .. } => "grow",
            Action::Infra { .. } => "infrastructure",
            Action::Activate(_) => "activate",
            Action::StandDown(_) => "stand_down",
            Action::PoolChange { .. } => "resources",
            Action::Message { .. } => "message",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Inject {
    pub id: String,
    /// `name`/`name_sv`, else the id.
    pub name: Text,
    pub time: InjectTime,
    pub jitter: Option<Dist>,
    pub stream: Option<(Stream, SimTime)>,
    pub action: Action,
    pub description: Text,
    pub expected_action: String,
    pub objective: String,
}

#[derive(Clone, Debug)]
pub struct Objective {
    pub id: String,
    /// `name`/`name_sv`, else the id.
    pub name: Text,
    pub description: Text,
    pub measure: Measure,
    pub fact: Option<String>,
    pub level: Option<Level>,
    pub unit: Option<UnitIdx>,
    /// Conference id (it may be disabled in a variant: then it never meets).
    pub conference: Option<String>,
    /// For time measures: the limit in milliseconds; for counts: the maximum.
    pub within: Option<SimTime>,
    pub max: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct Guard {
    pub max_events: u64,
    pub max_messages: u64,
    pub max_facts: u64,
    pub max_known: u64,
    /// Bytes a run may be estimated to need (see `scenario::budget`).
    pub max_memory: u64,
}

/// Levels bitmask with every level set.
pub const ALL_LEVELS: u8 = 0b111;

/// FNV-1a, 64 bit: a small stable hash for content identities and stream keys.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
