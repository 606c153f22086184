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

/// Index of a unit in [`Model::units`].
pub type UnitIdx = u32;
/// Index of an organisation in [`Model::orgs`].
pub type OrgIdx = u32;

/// A compiled scenario (with its variant applied): what one run simulates.
#[derive(Clone, Debug)]
pub struct Model {
    /// The scenario's name.
    pub name: Text,
    /// What the scenario is about.
    pub description: Text,
    /// FNV-1a hash of the scenario file's bytes (hex); the variant is in `variant`.
    pub hash: String,
    /// The variant applied (`None`: the base scenario).
    pub variant: Option<String>,
    /// The local date and time of the start (SimTime 0).
    pub start: LocalDateTime,
    /// How long a run lasts (ms).
    pub duration: SimTime,
    /// The scenario's own seed (used when none is given).
    pub seed: u64,
    /// The organisations, in file order.
    pub orgs: Vec<Org>,
    /// The enabled units, organisation by organisation.
    pub units: Vec<Unit>,
    /// The geographic areas.
    pub areas: Vec<Area>,
    /// The communication channels.
    pub channels: Vec<Channel>,
    /// The links between units: default rules, link rules and explicit links.
    pub links: Vec<Link>,
    /// Channels of `[links] channels`, used where nothing else names one.
    pub default_channels: Vec<u32>,
    /// The enabled conferences.
    pub conferences: Vec<Conference>,
    /// Ids of the resource types (pools' and demands' `type`), in order of first use.
    pub resource_types: Vec<String>,
    /// Names of `resource_types` (same order) for reports: `[resource_type.ID]`, else the id.
    pub resource_type_names: Vec<Text>,
    /// The resource pools.
    pub pools: Vec<Pool>,
    /// The enabled mutual-aid agreements.
    pub agreements: Vec<Agreement>,
    /// The enabled injects, in file order.
    pub injects: Vec<Inject>,
    /// The objectives.
    pub objectives: Vec<Objective>,
    /// Limits that stop a run that grows too large.
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
    /// The variant's id.
    pub id: String,
    /// `name`/`name_sv`, else the id.
    pub name: Text,
    /// What the variant changes.
    pub description: Text,
}

/// A place on the map (WGS 84 degrees).
#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    /// Latitude (degrees north).
    pub lat: f64,
    /// Longitude (degrees east).
    pub lon: f64,
    /// What the place is called.
    pub name: Text,
}

impl Model {
    /// The index of the unit with this id ("organisation.unit").
    pub fn unit_index(&self, id: &str) -> Option<UnitIdx> {
        self.units.iter().position(|u| u.id == id).map(|i| i as UnitIdx)
    }
    /// The units on `level`, in model order.
    pub fn units_at(&self, level: Level) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(move |u| u.level == level)
    }
    /// How many units are on `level`.
    pub fn level_size(&self, level: Level) -> usize {
        self.units_at(level).count()
    }
}

/// An organisation (a public authority, a municipality, a company, ...).
#[derive(Clone, Debug)]
pub struct Org {
    /// Its id in the scenario.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// What kind of organisation it is.
    pub kind: OrgKind,
    /// Its area (index into [`Model::areas`]), if any.
    pub area: Option<u32>,
    /// Offices with reserve power: the `power` dependency of channels always holds for its units.
    pub backup_power: bool,
    /// Its enabled units.
    pub units: Vec<UnitIdx>,
    /// SCB municipality code (checked against the embedded outlines, [`crate::geo`]);
    /// only the map chart reads it.
    pub municipality_code: Option<String>,
    /// County (län) code whose regional coordination this organisation is (the county
    /// board); checked like `municipality_code`; only the county map reads it.
    pub county_code: Option<String>,
}

/// A unit's public information: when and how fast it publishes messages to the public.
#[derive(Clone, Debug)]
pub struct PublicInfo {
    /// Facts at or above this severity (1–5) get a public message.
    pub threshold: u8,
    /// Time to write and publish a message.
    pub prepare: Dist,
    /// How long the unit waits for a jointly agreed message before publishing on its own (ms).
    pub wait_for_joint: SimTime,
}

/// A unit of an organisation: a desk or staff that receives, handles and passes on messages.
#[derive(Clone, Debug)]
pub struct Unit {
    /// "organisation.unit", e.g. "polisen.rlc".
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Its organisation.
    pub org: OrgIdx,
    /// Its level (strategic, coordinating or executive).
    pub level: Level,
    /// Its area (index into [`Model::areas`]): its organisation's, if any.
    pub area: Option<u32>,
    /// Free tags that link rules and selectors can match.
    pub tags: Vec<String>,
    /// Handlers on duty in office hours.
    pub handlers: u32,
    /// Handlers on duty outside office hours (0: only a duty officer, if any).
    pub off_hours_handlers: u32,
    /// Handlers once activated (round the clock).
    pub activated_handlers: u32,
    /// When normal staffing is on duty.
    pub office_hours: OfficeHours,
    /// Response time of the on-call duty officer outside office hours; `None`: no duty officer.
    pub duty_officer: Option<Dist>,
    /// Severity (1–5) of a fact that makes the unit activate; `None`: never by a fact.
    pub activation_threshold: Option<u8>,
    /// Time from the decision to activate until activated staffing is on duty.
    pub activation_delay: Dist,
    /// Indexed by `MessageKind as usize`.
    pub processing: [Dist; 5],
    /// Periodic reporting: (interval, offset from the start).
    pub report_every: Option<(SimTime, SimTime)>,
    /// Bit `Via as u8` set: facts learned that way are passed on.
    pub forward_mask: u8,
    /// Its public information, if it publishes any.
    pub public_info: Option<PublicInfo>,
    /// Decides resource requests it receives by lending its own organisation's resources.
    pub decides_requests: bool,
    /// Outgoing links (indices into `Model::links`), in link order.
    pub out_links: Vec<u32>,
}

impl Unit {
    /// Whether facts learned `via` this way are passed on.
    pub fn forwards(&self, via: Via) -> bool {
        self.forward_mask & (1 << via as u8) != 0
    }
    /// The time it takes to handle a message of `kind`.
    pub fn processing_time(&self, kind: MessageKind) -> &Dist {
        &self.processing[kind as usize]
    }
}

/// A geographic area: infrastructure (power, mobile, ...) fails and recovers per area.
#[derive(Clone, Debug)]
pub struct Area {
    /// Its id in the scenario.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// What kind of area it is.
    pub kind: AreaKind,
    /// Electricity customers (households and businesses) in the area.
    pub customers: u64,
    /// Battery time of each system after a power failure, indexed by `InfraSystem as usize`
    /// (`power` itself is unused).
    pub backup: [SimTime; 5],
}

/// A communication channel (phone, Rakel, e-mail, ...) that messages travel on.
#[derive(Clone, Debug)]
pub struct Channel {
    /// Its id in the scenario.
    pub id: String,
    /// What kind of channel it is.
    pub kind: ChannelKind,
    /// Time from sending to delivery of one attempt.
    pub latency: Dist,
    /// Probability that one attempt is lost (0 ≤ loss < 1).
    pub loss: f64,
    /// Time after which a lost message is sent again (ms).
    pub retry_after: SimTime,
    /// Bit `InfraSystem as u8` set: the channel needs that system in both endpoints' areas.
    pub depends: u8,
}

/// Where a link came from (for `describe` and guard messages).
#[derive(Clone, Debug, PartialEq)]
pub enum LinkOrigin {
    /// A built-in linking rule (its name).
    Default(&'static str),
    /// A `[[link_rule]]` (where in the file).
    Rule(String),
    /// A `[[link]]` (where in the file).
    Explicit(String),
}

/// A directed link: `from` passes facts of the link's flows to `to`.
#[derive(Clone, Debug)]
pub struct Link {
    /// The sending unit.
    pub from: UnitIdx,
    /// The receiving unit.
    pub to: UnitIdx,
    /// What flows over it.
    pub flow: Flow,
    /// Channels to use, first available first (indices into [`Model::channels`]).
    pub channels: Vec<u32>,
    /// Facts at or above this severity (1–5) are passed on.
    pub threshold: u8,
    /// Which rule or entry made it.
    pub origin: LinkOrigin,
}

/// The joint situational picture a conference compiles and sends after each session.
#[derive(Clone, Debug)]
pub struct Picture {
    /// Time to compile it after the session.
    pub compile: Dist,
    /// The channel it is sent on.
    pub channel: u32,
    /// The units it is sent to.
    pub to: Vec<UnitIdx>,
}

/// Direction a conference gives after its sessions.
#[derive(Clone, Debug)]
pub struct Direction {
    /// Receiving units activate.
    pub activate: bool,
    /// Pools with `lend = "on_direction"` of receiving organisations become lendable.
    pub release_resources: bool,
    /// Incidents (inject ids) whose requests are decided first from then on.
    pub prioritise: Vec<String>,
}

/// A recurring conference (samverkanskonferens) of a convener and its participants.
#[derive(Clone, Debug)]
pub struct Conference {
    /// Its id in the scenario.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// The level it is held on.
    pub level: Level,
    /// The unit that calls it.
    pub convener: UnitIdx,
    /// The units that take part (the convener among them).
    pub participants: Vec<UnitIdx>,
    /// The channel it is held on: a participant joins only while it is available; `None`: always.
    pub channel: Option<u32>,
    /// How long a session lasts (ms).
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
    /// Participants learn the facts any participant knows.
    pub shares_knowledge: bool,
    /// Decides resource requests of its participants' organisations.
    pub decides_requests: bool,
    /// Agrees joint public messages.
    pub agrees_public: bool,
    /// The joint picture it sends after each session, if any.
    pub picture: Option<Picture>,
    /// The direction it gives after each session, if any.
    pub direction: Option<Direction>,
}

/// A pool of resources of one type that an organisation owns.
#[derive(Clone, Debug)]
pub struct Pool {
    /// Its id ("organisation.type").
    pub id: String,
    /// The owning organisation.
    pub org: OrgIdx,
    /// Its resource type (index into [`Model::resource_types`]).
    pub kind: u32,
    /// Resources in it at the start.
    pub count: u32,
    /// Where it is based (index into [`Model::areas`]), if anywhere.
    pub area: Option<u32>,
    /// Time for the owner's own resources to reach an incident.
    pub response: Dist,
    /// Time for a lent resource to reach another organisation's incident (and to return).
    pub mobilisation: Dist,
    /// When it may lend to other organisations.
    pub lend: LendPolicy,
    /// Resources never lent.
    pub reserve: u32,
}

/// A mutual-aid agreement: these organisations lend these resource types to each other.
#[derive(Clone, Debug)]
pub struct Agreement {
    /// Its id in the scenario.
    pub id: String,
    /// The resource types it covers (indices into [`Model::resource_types`]).
    pub kinds: Vec<u32>,
    /// The organisations bound by it.
    pub orgs: Vec<OrgIdx>,
}

/// When an inject happens.
#[derive(Clone, Debug)]
pub enum InjectTime {
    /// At this time (ms from the start).
    At(SimTime),
    /// A while after another inject.
    After {
        /// The inject it follows (index into [`Model::injects`]).
        inject: u32,
        /// How long after (ms).
        delay: SimTime,
    },
}

/// How a streamed inject repeats within its window.
#[derive(Clone, Debug)]
pub enum Stream {
    /// Once every this many ms.
    Every(SimTime),
    /// At random (Poisson) at this rate per hour.
    Rate(f64),
    /// This many times, evenly spread over the window.
    Count(u32),
}

/// Resources an incident needs.
#[derive(Clone, Debug)]
pub struct Demand {
    /// The resource type (index into [`Model::resource_types`]).
    pub kind: u32,
    /// How many at first.
    pub quantity: u32,
    /// How long each is needed once it arrives.
    pub duration: Dist,
    /// (interval, added per interval, maximum total quantity).
    pub growth: Option<(SimTime, u32, u32)>,
}

/// What an infrastructure inject changes.
#[derive(Clone, Debug)]
pub enum InfraTarget {
    /// An infrastructure system (in the inject's areas).
    System(InfraSystem),
    /// A channel everywhere (index into [`Model::channels`]).
    Channel(u32),
}

/// What an inject does.
#[derive(Clone, Debug)]
pub enum Action {
    /// A fact becomes known to its origin unit.
    Fact {
        /// The unit that learns it first.
        origin: UnitIdx,
        /// Severity 1–5.
        severity: u8,
        /// What it says.
        text: Text,
        /// The levels that need it (bit `Level as u8`; [`ALL_LEVELS`]).
        levels: u8,
    },
    /// An incident that needs resources.
    Incident {
        /// Where it happens (index into [`Model::areas`]), if anywhere in particular.
        area: Option<u32>,
        /// Severity 1–5.
        severity: u8,
        /// The executive unit responsible for it.
        responsible: UnitIdx,
        /// What it says.
        text: Text,
        /// The resources it needs.
        demand: Vec<Demand>,
    },
    /// An earlier incident needs more resources.
    Grow {
        /// The incident (its inject id).
        incident: String,
        /// The resource type (index into [`Model::resource_types`]).
        kind: u32,
        /// How many more.
        add: u32,
    },
    /// An infrastructure system or a channel changes state.
    Infra {
        /// The areas it happens in; `None`: all.
        areas: Option<Vec<u32>>,
        /// What changes.
        target: InfraTarget,
        /// Its new state.
        state: InfraState,
        /// Loss probability of each attempt while overloaded.
        loss: f64,
        /// Puts the target back up (working) after this long; `None`: until another inject.
        lasts: Option<Dist>,
    },
    /// These units activate.
    Activate(Vec<UnitIdx>),
    /// These units stand down (back to normal staffing).
    StandDown(Vec<UnitIdx>),
    /// Resources are added to (or taken from) a pool.
    PoolChange {
        /// The pool (index into [`Model::pools`]).
        pool: u32,
        /// How many (negative: taken away).
        add: i64,
    },
    /// A message is sent (by a unit or by exercise control).
    Message {
        /// The sending unit; `None`: exercise control.
        from: Option<UnitIdx>,
        /// The receiving units.
        to: Vec<UnitIdx>,
        /// What kind of message.
        kind: MessageKind,
        /// The channel; `None`: the default channels ([`Model::default_channels`]).
        channel: Option<u32>,
        /// What it says.
        text: Text,
        /// Severity 1–5 of the fact it carries.
        severity: u8,
        /// Facts (inject ids) that the message carries besides its own.
        facts: Vec<String>,
    },
}

impl Action {
    /// The action's name as the inject table of a scenario writes it.
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

/// A scripted event of the scenario (MSEL row).
#[derive(Clone, Debug)]
pub struct Inject {
    /// Its id in the scenario.
    pub id: String,
    /// `name`/`name_sv`, else the id.
    pub name: Text,
    /// When it happens.
    pub time: InjectTime,
    /// A random delay added to its time, if any.
    pub jitter: Option<Dist>,
    /// Repeats as a stream within a window (ms from its first time), if it does.
    pub stream: Option<(Stream, SimTime)>,
    /// What it does.
    pub action: Action,
    /// What happens, for the exercise's participants.
    pub description: Text,
    /// What the players are expected to do.
    pub expected_action: String,
    /// The exercise objective it serves.
    pub objective: String,
}

/// An objective of the scenario: a measure and its limit.
#[derive(Clone, Debug)]
pub struct Objective {
    /// Its id in the scenario.
    pub id: String,
    /// `name`/`name_sv`, else the id.
    pub name: Text,
    /// What it asks.
    pub description: Text,
    /// What is measured.
    pub measure: Measure,
    /// The fact (inject id) the measure is about, if any.
    pub fact: Option<String>,
    /// The level the measure is about, if any.
    pub level: Option<Level>,
    /// The unit the measure is about, if any.
    pub unit: Option<UnitIdx>,
    /// Conference id (it may be disabled in a variant: then it never meets).
    pub conference: Option<String>,
    /// For time measures: the limit in milliseconds; for counts: the maximum.
    pub within: Option<SimTime>,
    /// For counts: the maximum.
    pub max: Option<f64>,
}

/// Limits that stop a run that grows too large (`[guard]`).
#[derive(Clone, Debug)]
pub struct Guard {
    /// Most events a run may process.
    pub max_events: u64,
    /// Most messages a run may send.
    pub max_messages: u64,
    /// Most facts a run may hold.
    pub max_facts: u64,
    /// Most (fact, unit) learnings a run may record (rows of facts.csv).
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
