//! The scenario file format: serde types for every table of a scenario TOML file.
//!
//! These types mirror the file one to one (see `docs/scenario-format.md`); unknown
//! fields are rejected everywhere. They carry names, not indices: `compile` resolves
//! names into the indexed [`crate::model::Model`] the simulator runs.

use crate::dist::{Dist, Dur};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

pub use crate::vocabulary::{
    AreaKind, ChannelKind, Flow, InfraState, InfraSystem, LendPolicy, Level, Measure, MessageKind, OrgKind,
    ReportingMode, Via,
};

/// One or several selector strings: `"level:coordinating"`, `"tag:x"`, `"org:polisen"`,
/// `"kind:municipality"`, `"all"`, or a unit id such as `"polisen.rlc"`.
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
#[serde(transparent)]
pub struct Selectors(pub Vec<String>);

impl<'de> Deserialize<'de> for Selectors {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize, JsonSchema)]
        #[serde(untagged, expecting = "a selector string or a list of them")]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        Ok(match OneOrMany::deserialize(d)? {
            OneOrMany::One(s) => Selectors(vec![s]),
            OneOrMany::Many(v) => Selectors(v),
        })
    }
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub name: String,
    /// Swedish name (docs/scenario-format.md#swedish-texts); absent: the English one.
    pub name_sv: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Swedish description; absent: the English one.
    pub description_sv: Option<String>,
    /// Local date-time of the first instant, e.g. "2017-04-07T14:53".
    pub start: String,
    pub duration: Dur,
    #[serde(default)]
    pub seed: u64,
    /// Where the incident happens, marked on the map chart (docs/charts.md#map).
    pub location: Option<LocationSpec>,
}

/// A place: WGS 84 latitude and longitude in degrees, and a name for the map's legend.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LocationSpec {
    /// Degrees north, e.g. 59.3326.
    pub lat: f64,
    /// Degrees east, e.g. 18.0649.
    pub lon: f64,
    /// e.g. "Drottninggatan".
    #[serde(default)]
    pub name: String,
    /// The name in Swedish reports; absent: `name`.
    pub name_sv: Option<String>,
}

/// A unit (or a unit profile): every field optional so that profiles and units merge.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitSpec {
    pub profile: Option<String>,
    pub name: Option<String>,
    /// Swedish name (docs/scenario-format.md#swedish-texts); absent: the English one.
    pub name_sv: Option<String>,
    pub level: Option<Level>,
    pub tags: Option<Vec<String>>,
    /// Handlers on duty in office hours (normal staffing).
    pub handlers: Option<u32>,
    /// Handlers on duty outside office hours (0: only a duty officer, if any).
    pub off_hours_handlers: Option<u32>,
    /// Handlers once activated (round the clock).
    pub activated_handlers: Option<u32>,
    /// e.g. "mon-fri 08:00-17:00" or "always" (default).
    pub office_hours: Option<String>,
    /// Response time of the on-call duty officer (TiB); absent: no duty officer.
    pub duty_officer: Option<Dist>,
    /// Severity (1–5) of a fact that makes the unit activate; absent: never by a fact.
    pub activation_threshold: Option<u8>,
    pub activation_delay: Option<Dist>,
    /// Processing time per message kind; the key `default` covers kinds not listed.
    pub processing: Option<IndexMap<String, Dist>>,
    pub reporting: Option<ReportingMode>,
    pub report_every: Option<Dur>,
    pub report_offset: Option<Dur>,
    /// Which ways of learning a fact make the unit pass it on (default origin, message, conference).
    pub forward: Option<Vec<Via>>,
    pub public_info: Option<PublicInfoSpec>,
    /// Decides requests it receives by lending its own organisation's resources (bilateral mode).
    pub decides_requests: Option<bool>,
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PublicInfoSpec {
    /// Facts at or above this severity get a public message.
    pub threshold: u8,
    /// Time to write and publish a message.
    #[serde(default = "zero_dist")]
    pub prepare: Dist,
    /// How long the unit waits for a jointly agreed message before publishing on its own.
    #[serde(default)]
    pub wait_for_joint: Dur,
}

fn zero_dist() -> Dist {
    Dist::ZERO
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationSpec {
    pub name: Option<String>,
    /// Swedish name (docs/scenario-format.md#swedish-texts); absent: the English one.
    pub name_sv: Option<String>,
    pub kind: OrgKind,
    pub area: Option<String>,
    /// SCB municipality code (4 digits, e.g. "0127" Botkyrka): places the organisation on
    /// the map chart (docs/charts.md#map). Changes nothing in the simulation.
    pub municipality_code: Option<String>,
    /// County (län) code, 2 digits, e.g. "01" Stockholm, on the organisation that is the
    /// county's regional coordination function (the county board): its coordinating unit
    /// colours the county on the county map (docs/charts.md#county-map-chartscounty_map-run-and-batch). Changes nothing
    /// in the simulation.
    pub county_code: Option<String>,
    /// The organisations this one usually informs directly (ids or `kind:`), for link rules
    /// with `only_partners = true`. The relation is symmetric: a pair are partners when
    /// either names the other; municipalities whose outlines touch are partners as well.
    #[serde(default)]
    pub partners: Selectors,
    /// Offices with reserve power: the `power` dependency of channels always holds for its units.
    #[serde(default)]
    pub backup_power: bool,
    #[serde(default)]
    pub unit: IndexMap<String, UnitSpec>,
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    pub name: Option<String>,
    /// Swedish name (docs/scenario-format.md#swedish-texts); absent: the English one.
    pub name_sv: Option<String>,
    #[serde(default)]
    pub kind: AreaKind,
    /// Electricity customers (households and businesses) in the area.
    pub customers: Option<u64>,
    /// How long each system keeps running on battery after a power failure.
    #[serde(default)]
    pub backup: IndexMap<InfraSystem, Dur>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelSpec {
    pub kind: ChannelKind,
    #[serde(default = "zero_dist")]
    pub latency: Dist,
    /// Probability that one attempt is lost (0 ≤ loss < 1).
    #[serde(default)]
    pub loss: f64,
    /// Time after which a lost message is sent again.
    #[serde(default = "five_minutes")]
    pub retry_after: Dur,
    pub depends_on: Option<Vec<InfraSystem>>,
}

fn five_minutes() -> Dur {
    Dur(5 * crate::time::MINUTE)
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinksSpec {
    /// Apply the built-in linking rules (docs/scenario-format.md, "Links").
    #[serde(default = "yes")]
    pub defaults: bool,
    /// Channels of links that do not name their own, first available first.
    #[serde(default)]
    pub channels: Vec<String>,
    /// Severity threshold of links that do not name their own.
    #[serde(default = "one")]
    pub threshold: u8,
}

impl Default for LinksSpec {
    fn default() -> Self {
        LinksSpec { defaults: true, channels: vec![], threshold: 1 }
    }
}

fn yes() -> bool {
    true
}
fn one() -> u8 {
    1
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRuleSpec {
    pub from: Selectors,
    pub to: Selectors,
    pub flows: Vec<Flow>,
    pub channels: Option<Vec<String>>,
    pub threshold: Option<u8>,
    /// true: only pairs within one organisation; false: only across organisations.
    pub same_organisation: Option<bool>,
    /// true: only pairs whose organisations are partners (`organisation.*.partners`, or
    /// neighbouring municipalities).
    pub only_partners: Option<bool>,
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    pub from: String,
    pub to: String,
    pub flows: Vec<Flow>,
    pub channels: Option<Vec<String>>,
    pub threshold: Option<u8>,
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrdinaryCadence {
    pub every: Dur,
    /// First meeting, e.g. "thu 09:00" (weekly) or "09:00" (daily).
    pub first: String,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActivatedCadence {
    pub every: Dur,
    /// Delay from the convener's activation to the first conference.
    pub first_after: Dist,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PictureSpec {
    /// Time to compile the joint situational picture after the conference.
    #[serde(default = "zero_dist")]
    pub compile: Dist,
    pub channel: String,
    pub to: Selectors,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DirectionSpec {
    /// Receiving units activate.
    #[serde(default = "yes")]
    pub activate: bool,
    /// Pools with `lend = "on_direction"` of receiving organisations become lendable.
    #[serde(default)]
    pub release_resources: bool,
    /// Incidents whose requests are decided first from then on.
    #[serde(default)]
    pub prioritise: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConferenceSpec {
    pub name: Option<String>,
    /// Swedish name (docs/scenario-format.md#swedish-texts); absent: the English one.
    pub name_sv: Option<String>,
    pub convener: String,
    pub participants: Selectors,
    pub channel: Option<String>,
    pub duration: Dur,
    pub ordinary: Option<OrdinaryCadence>,
    pub activated: Option<ActivatedCadence>,
    #[serde(default = "yes")]
    pub shares_knowledge: bool,
    #[serde(default = "yes")]
    pub decides_requests: bool,
    #[serde(default = "yes")]
    pub agrees_public: bool,
    pub picture: Option<PictureSpec>,
    pub direction: Option<DirectionSpec>,
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSpec {
    pub organisation: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub count: u32,
    pub area: Option<String>,
    /// Time for the owner's own resources to reach an incident.
    #[serde(default = "zero_dist")]
    pub response: Dist,
    /// Time for a lent resource to reach another organisation's incident (and to return).
    #[serde(default = "zero_dist")]
    pub mobilisation: Dist,
    #[serde(default)]
    pub lend: LendPolicy,
    /// Resources never lent.
    #[serde(default)]
    pub reserve: u32,
}

/// Names of a resource type (the `type` of pools and demands) for reports.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceTypeSpec {
    /// Name shown in reports (default: the id).
    pub name: Option<String>,
    /// Swedish name (docs/scenario-format.md#swedish-texts); absent: the English one.
    pub name_sv: Option<String>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementSpec {
    pub types: Vec<String>,
    /// Organisation ids or `kind:` selectors.
    pub organisations: Selectors,
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StreamSpec {
    pub every: Option<Dur>,
    pub rate_per_hour: Option<f64>,
    pub count: Option<u32>,
    pub window: Dur,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FactSpec {
    pub origin: String,
    pub severity: u8,
    #[serde(default)]
    pub text: String,
    /// Swedish text; absent: the English one.
    pub text_sv: Option<String>,
    pub levels: Option<Vec<Level>>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthSpec {
    pub every: Dur,
    pub add: u32,
    pub max: u32,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DemandSpec {
    #[serde(rename = "type")]
    pub kind: String,
    pub quantity: u32,
    pub duration: Dist,
    pub growth: Option<GrowthSpec>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentSpec {
    pub area: Option<String>,
    pub severity: u8,
    /// The executive unit responsible (närhetsprincipen).
    pub responsible: String,
    #[serde(default)]
    pub text: String,
    /// Swedish text; absent: the English one.
    pub text_sv: Option<String>,
    #[serde(default)]
    pub demand: Vec<DemandSpec>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GrowSpec {
    pub incident: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub add: u32,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InfraSpec {
    /// An area id, or "all".
    pub area: String,
    pub system: Option<InfraSystem>,
    pub channel: Option<String>,
    pub state: InfraState,
    /// Loss probability while overloaded (default 0.5).
    pub loss: Option<f64>,
    /// Puts the target back up (working) after this long.
    #[serde(rename = "for")]
    pub lasts: Option<Dist>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PoolChangeSpec {
    pub pool: String,
    pub add: i64,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MessageInjectSpec {
    /// Sending unit; absent: exercise control.
    pub from: Option<String>,
    pub to: Selectors,
    pub kind: MessageKind,
    pub channel: Option<String>,
    #[serde(default)]
    pub text: String,
    /// Swedish text; absent: the English one.
    pub text_sv: Option<String>,
    pub severity: u8,
    /// Facts (inject ids) that the message carries besides its own.
    #[serde(default)]
    pub facts: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InjectSpec {
    /// Offset from the start ("45m") or a local date-time ("2017-04-07T16:00").
    pub at: Option<String>,
    /// Another inject this one follows (by `delay`).
    pub after: Option<String>,
    pub delay: Option<Dur>,
    pub jitter: Option<Dist>,
    pub stream: Option<StreamSpec>,
    /// Name shown in reports (default: the id).
    pub name: Option<String>,
    /// Swedish name (docs/scenario-format.md#swedish-texts); absent: the English one.
    pub name_sv: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Swedish description; absent: the English one.
    pub description_sv: Option<String>,
    #[serde(default)]
    pub expected_action: String,
    #[serde(default)]
    pub objective: String,
    pub fact: Option<FactSpec>,
    pub incident: Option<IncidentSpec>,
    pub grow: Option<GrowSpec>,
    pub infrastructure: Option<InfraSpec>,
    pub activate: Option<Selectors>,
    pub stand_down: Option<Selectors>,
    pub resources: Option<PoolChangeSpec>,
    pub message: Option<MessageInjectSpec>,
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveSpec {
    /// Name shown in reports (default: the id).
    pub name: Option<String>,
    /// Swedish name (docs/scenario-format.md#swedish-texts); absent: the English one.
    pub name_sv: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Swedish description; absent: the English one.
    pub description_sv: Option<String>,
    pub measure: Measure,
    pub fact: Option<String>,
    pub level: Option<Level>,
    pub unit: Option<String>,
    pub conference: Option<String>,
    pub within: Option<Dur>,
    pub max: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    /// Name shown in reports (default: the id).
    pub name: Option<String>,
    /// Swedish name (docs/scenario-format.md#swedish-texts); absent: the English one.
    pub name_sv: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Swedish description; absent: the English one.
    pub description_sv: Option<String>,
    /// Field path → new value, e.g. "conference.regional.activated.every" = "2h".
    #[serde(default)]
    #[schemars(with = "IndexMap<String, serde_json::Value>")]
    pub set: IndexMap<String, toml::Value>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GuardSpec {
    #[serde(default = "default_max_events")]
    pub max_events: u64,
    #[serde(default = "default_max_messages")]
    pub max_messages: u64,
    #[serde(default = "default_max_facts")]
    pub max_facts: u64,
    /// Units coming to know facts (rows of facts.csv): bounds a run's memory.
    #[serde(default = "default_max_known")]
    pub max_known: u64,
    /// Memory a run may be estimated to need, e.g. "4GiB" (default 8 GiB).
    #[serde(default)]
    pub max_memory: Option<String>,
}

impl Default for GuardSpec {
    fn default() -> Self {
        GuardSpec {
            max_events: default_max_events(),
            max_messages: default_max_messages(),
            max_facts: default_max_facts(),
            max_known: default_max_known(),
            max_memory: None,
        }
    }
}

fn default_max_events() -> u64 {
    50_000_000
}
fn default_max_messages() -> u64 {
    10_000_000
}
fn default_max_facts() -> u64 {
    1_000_000
}
fn default_max_known() -> u64 {
    10_000_000
}

/// A whole scenario file. The loader deserializes it entry by entry so that every
/// error in a file is reported, but the shape is this one.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub scenario: Meta,
    #[serde(default)]
    pub profile: IndexMap<String, UnitSpec>,
    #[serde(default)]
    // Shared: the largest section, which a variant's copy of the file rarely changes.
    pub organisation: std::sync::Arc<IndexMap<String, OrganisationSpec>>,
    #[serde(default)]
    pub area: IndexMap<String, AreaSpec>,
    #[serde(default)]
    pub channel: IndexMap<String, ChannelSpec>,
    #[serde(default)]
    pub links: LinksSpec,
    #[serde(default)]
    pub link_rule: IndexMap<String, LinkRuleSpec>,
    #[serde(default)]
    pub link: IndexMap<String, LinkSpec>,
    #[serde(default)]
    pub conference: IndexMap<String, ConferenceSpec>,
    #[serde(default)]
    pub resource: IndexMap<String, PoolSpec>,
    /// Names of resource types for reports (optional).
    #[serde(default)]
    pub resource_type: IndexMap<String, ResourceTypeSpec>,
    #[serde(default)]
    pub agreement: IndexMap<String, AgreementSpec>,
    #[serde(default)]
    pub inject: IndexMap<String, InjectSpec>,
    #[serde(default)]
    pub objective: IndexMap<String, ObjectiveSpec>,
    #[serde(default)]
    pub variant: IndexMap<String, VariantSpec>,
    #[serde(default)]
    pub guard: GuardSpec,
    /// Rates in staff-hours for the cost of the plan (`crate::cost`); optional.
    #[serde(default)]
    pub cost: Option<crate::cost::CostSpec>,
}

/// The top-level tables a scenario file may have.
pub const SECTIONS: &[&str] = &[
    "scenario",
    "profile",
    "organisation",
    "area",
    "channel",
    "links",
    "link_rule",
    "link",
    "conference",
    "resource",
    "resource_type",
    "agreement",
    "inject",
    "objective",
    "variant",
    "guard",
    "cost",
];
