//! The simulation's state as plain data: components on unit, conference, pool and
//! incident entities, and resources for the run-wide records.
//!
//! Systems (in the sibling modules) read and change these; nothing here has behaviour
//! beyond small accessors.

use crate::model::Model;
use crate::scenario::spec::{MessageKind, Via};
use crate::time::{Calendar, SimTime};
use bevy_ecs::prelude::*;
use rand::rngs::ChaCha8Rng;
use rustc_hash::FxHashMap;
use std::collections::BinaryHeap;
use std::sync::Arc;

pub const NONE: u32 = u32::MAX;

/// The model and calendar of this run (read-only).
pub struct Setup {
    pub model: Arc<Model>,
    pub calendar: Calendar,
    /// This run's seed (streams are derived from it).
    pub seed: u64,
    /// Units per level (for "all units of a level know").
    pub level_sizes: [usize; 3],
    pub default_channels: Vec<u32>,
    /// Unit → its entity.
    pub unit_entities: Vec<Entity>,
    pub conference_entities: Vec<Entity>,
    /// Pools of each organisation, in model order.
    pub pools_by_org: Vec<Vec<u32>>,
    /// Mutual-aid agreements each organisation is party to, in model order.
    pub agreements_by_org: Vec<Vec<u32>>,
    /// Injects that follow each inject (`after`).
    pub dependents: Vec<Vec<u32>>,
    /// Conferences each unit convenes.
    pub convenes: Vec<Vec<u32>>,
    /// Each unit as an end of a message (its area and reserve power), read at every
    /// sending attempt: 16 bytes a unit here rather than two lookups in the model.
    pub ends: Vec<super::post::End>,
}

impl Setup {
    /// `unit` as an end of a message ([`NONE`]: exercise control).
    pub fn end(&self, unit: u32) -> super::post::End {
        match unit {
            NONE => super::post::endpoint(&self.model, NONE),
            u => self.ends[u as usize],
        }
    }
}

/// The run's clock and agenda, model and setup, messages, network, the work handed
/// between systems and knowledge: what nearly every system needs, in one resource.
#[derive(Resource)]
pub struct Shared {
    pub kernel: Kernel,
    pub setup: Setup,
    pub book: MessageBook,
    pub net: Network,
    pub pending: Pending,
    pub knowledge: Knowledge,
}

/// The simulation kernel: the clock, the future event list and the run's counters.
#[derive(Default)]
pub struct Kernel {
    pub now: SimTime,
    pub end: SimTime,
    pub agenda: super::agenda::Agenda,
    pub tally: Tally,
}

/// Counters checked against the scenario's guards.
#[derive(Default)]
pub struct Tally {
    pub events: u64,
    pub messages_by_unit: Vec<u64>,
    pub messages_by_link: Vec<u64>,
    /// FNV-1a over every (time, phase, event) handled: the run's fingerprint.
    pub trace: u64,
}

// ---------------------------------------------------------------- units

#[derive(Component, Clone, Copy)]
pub struct UnitNo(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Activating { epoch: u32 },
    Activated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duty {
    Off,
    /// The duty officer has been alerted and arrives at this time.
    Called {
        arrives: SimTime,
    },
    /// On duty until this time (when normal staffing takes over).
    On {
        until: SimTime,
    },
}

/// Staffing state of a unit: activation and the duty officer.
#[derive(Component, Clone, Debug)]
pub struct Staffing {
    pub mode: Mode,
    pub epoch: u32,
    pub duty: Duty,
    /// First time the unit decided to activate.
    pub activation_started: Option<SimTime>,
    /// First time activated staffing was in place.
    pub activated_at: Option<SimTime>,
    pub wake_at: Option<SimTime>,
}

impl Default for Staffing {
    fn default() -> Self {
        Staffing {
            mode: Mode::Normal,
            epoch: 0,
            duty: Duty::Off,
            activation_started: None,
            activated_at: None,
            wake_at: None,
        }
    }
}

/// A message waiting at a unit: higher severity first, then first come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Queued {
    pub severity: u8,
    pub seq: u64,
    pub msg: u32,
}

impl Ord for Queued {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.severity.cmp(&o.severity).then(o.seq.cmp(&self.seq))
    }
}
impl PartialOrd for Queued {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

/// A unit's work: its queue, handlers in use, and time accounting.
#[derive(Component, Default)]
pub struct Desk {
    pub queue: BinaryHeap<Queued>,
    pub seq: u64,
    pub busy: u32,
    pub handled: u64,
    pub peak_backlog: u32,
    /// Accounting up to `accounted`: handler-time busy, handler-time available
    /// (max of staffing and busy), and time with nobody on duty.
    pub accounted: SimTime,
    pub busy_time: SimTime,
    pub available_time: SimTime,
    pub unstaffed_time: SimTime,
}

/// Facts, who knows them and how they came to know them: part of [`Shared`], so that a
/// system that learns or reads knowledge fetches no resource of its own, and the
/// engine's check for follow-up work looks up one resource.
#[derive(Default)]
pub struct Knowledge {
    /// What each unit knows, indexed by unit number: looked up once or twice per
    /// learning (~15 million times in a national run), so kept in one vector rather
    /// than as a component reached through each unit's entity.
    pub known: Vec<Known>,
    pub log: KnowledgeLog,
    pub facts: FactBook,
    /// What units learned in the current step, for the systems that react to learning.
    pub learned: Vec<Learnt>,
}

/// What a unit knows: a bit per fact (fast membership for conferences and pictures)
/// and, for each fact it knows, the trail it had when it learned it (read when it passes
/// the fact on).
///
/// The trails are kept without hashing: the facts of a 64-fact word have a block in
/// `trails`, in fact order, so a fact's trail is at its word's block start plus the
/// number of known facts below it in the word. A block has room for 2, 4, … 64 trails;
/// a full one moves to a block twice as large, and the block it leaves is kept for the
/// next word that grows into its size. Learning is one bit, a shift of at most a block,
/// and rarely a move.
pub struct Known {
    /// Fact `f` is bit `f % 64` of word `f / 64`.
    words: Vec<Word>,
    trails: Vec<u32>,
    /// Blocks left by a move, by room (2, 4, … 32 trails): each a list linked through
    /// the first slot of its blocks ([`NONE`]: empty).
    free: [u32; 5],
}

impl Default for Known {
    fn default() -> Self {
        Known { words: vec![], trails: vec![], free: [NONE; 5] }
    }
}

/// 64 facts a unit may know, and where their trails start in [`Known::trails`]: the
/// two side by side in 12 bytes, so that learning and looking up a trail reach them
/// in one cache line.
#[derive(Clone, Copy, Default)]
#[repr(C, packed(4))]
struct Word {
    bits: u64,
    start: u32,
}

/// Room in a block holding `n` trails: none for none, else a power of two, at least 2.
fn block_room(n: u32) -> u32 {
    if n == 0 { 0 } else { n.next_power_of_two().max(2) }
}

/// The free list of blocks with room for `room` (2, 4, … 32) trails.
fn room_class(room: u32) -> usize {
    room.trailing_zeros() as usize - 1
}

impl Known {
    #[inline]
    pub fn knows(&self, fact: u32) -> bool {
        self.bits(fact as usize / 64) & (1 << (fact % 64)) != 0
    }

    /// The known facts of word `word` (facts `64 * word` to `64 * word + 63`).
    #[inline]
    fn bits(&self, word: usize) -> u64 {
        self.words.get(word).map_or(0, |w| w.bits)
    }

    /// The known facts as bit words (fact `f` is bit `f % 64` of word `f / 64`).
    #[inline]
    pub fn words(&self) -> impl ExactSizeIterator<Item = u64> + '_ {
        self.words.iter().map(|w| w.bits)
    }

    /// The trail of `fact` at this unit, if it knows it.
    #[inline]
    pub fn trail(&self, fact: u32) -> Option<u32> {
        let (word, bit) = (fact as usize / 64, 1u64 << (fact % 64));
        let Word { bits, start } = *self.words.get(word)?;
        if bits & bit == 0 {
            return None;
        }
        let rank = (bits & (bit - 1)).count_ones();
        Some(self.trails[(start + rank) as usize])
    }

    /// Positions in `facts` of the facts this unit does not know, into `out` (cleared first).
    pub fn unknown_in(&self, facts: &Carrying, out: &mut Vec<usize>) {
        out.clear();
        if facts.words().is_empty() {
            out.extend((0..facts.len()).filter(|&i| !self.knows(facts[i].fact)));
            return;
        }
        // The list is in fact order: a fact's position is the number of facts in the
        // words before its word and of the bits below it in its word.
        let mut position = 0;
        for &(word, bits) in facts.words() {
            let mut new = bits & !self.bits(word as usize);
            while new != 0 {
                let below = (1u64 << new.trailing_zeros()) - 1;
                out.push(position + (bits & below).count_ones() as usize);
                new &= new - 1;
            }
            position += bits.count_ones() as usize;
        }
    }

    /// Records that the unit knows `fact` with `trail` (it must not know it yet).
    pub fn insert(&mut self, fact: u32, trail: u32) {
        let (word, bit) = (fact as usize / 64, 1u64 << (fact % 64));
        if self.words.len() <= word {
            self.words.resize(word + 1, Word::default());
        }
        let bits = self.words[word].bits;
        debug_assert!(bits & bit == 0, "a fact is learned once");
        let (n, rank) = (bits.count_ones(), (bits & (bit - 1)).count_ones() as usize);
        if n == block_room(n) {
            self.move_block(word, n);
        }
        let at = self.words[word].start as usize;
        if rank < n as usize {
            self.trails.copy_within(at + rank..at + n as usize, at + rank + 1);
        }
        self.trails[at + rank] = trail;
        self.words[word].bits = bits | bit;
    }

    /// Moves the full block of `word` (holding `n` trails) to one twice as large.
    fn move_block(&mut self, word: usize, n: u32) {
        let room = block_room(n + 1);
        let to = match room_class(room) {
            c if c < self.free.len() && self.free[c] != NONE => {
                let block = self.free[c];
                self.free[c] = self.trails[block as usize];
                block as usize
            }
            _ => {
                let end = self.trails.len();
                self.trails.resize(end + room as usize, NONE);
                end
            }
        };
        if n > 0 {
            let from = self.words[word].start as usize;
            self.trails.copy_within(from..from + n as usize, to);
            let c = room_class(n);
            self.trails[from] = self.free[c];
            self.free[c] = from as u32;
        }
        self.words[word].start = to as u32;
    }
}

/// Facts waiting for the next periodic report, per outgoing link.
#[derive(Component, Default)]
pub struct Outbox {
    pub items: Vec<(u32, Carried)>,
    pub tick_pending: bool,
}

/// The unit's own random stream (processing, duty officer, activation, public messages).
#[derive(Component)]
pub struct UnitRng(pub ChaCha8Rng);

/// Public messages a unit is preparing or has published, by fact.
#[derive(Component, Default)]
pub struct PublicDesk {
    /// fact → (publish time, generation)
    pub pending: FxHashMap<u32, (SimTime, u32)>,
    pub done: FxHashMap<u32, ()>,
    pub epoch: u32,
}

// ---------------------------------------------------------------- knowledge

/// Where a fact's delay went, in ms: indexed by [`Part`].
pub type Parts = [SimTime; 5];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Transit = 0,
    Queue = 1,
    Processing = 2,
    MeetingWait = 3,
    ActivationWait = 4,
}

/// A point on a fact's way, kept as a link to the point before it: reached from trail
/// `from` by `step`, or, with no point before it, the fact's origin. Its time and delay
/// parts are worked out from the links when they are read (the time is that of its step:
/// the message handled, the meeting's end, the fact's origin; see
/// [`super::knowledge::delay_parts`]): 8 bytes per point, where keeping the time and
/// the five parts was 48 (a national run has ~14 M).
#[derive(Clone, Copy, Debug)]
pub struct Trail {
    /// The point before ([`NONE`] at the origin).
    pub from: u32,
    /// How it was reached; at the origin, the fact.
    step: Step,
}

impl Trail {
    /// The origin of `fact`.
    pub fn origin(fact: u32) -> Trail {
        Trail { from: NONE, step: Step(fact) }
    }

    /// A point reached from trail `from` by `step`.
    pub fn after(from: u32, step: Step) -> Trail {
        debug_assert!(from != NONE, "only an origin has no point before it");
        Trail { from, step }
    }

    pub fn kind(&self) -> StepKind {
        match self.from {
            NONE => StepKind::Origin(self.step.0),
            _ => self.step.kind(),
        }
    }
}

/// How a trail point was reached from the one before, packed in 32 bits: a message
/// handled (its index in the message book), or a meeting (its index in
/// [`KnowledgeLog::meetings`]: a conference session or the picture compiled at it, or
/// exercise control handing a fact over).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step(u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// The origin of this fact.
    Origin(u32),
    Message(u32),
    Meeting(u32),
}

/// A meeting at which facts were passed on: from `start` until `end`, when what it
/// passed on was available (a session's end, a picture's publication).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub start: SimTime,
    pub end: SimTime,
}

impl Step {
    const MEETING: u32 = 1 << 31;

    /// Message indices stay below 2^31: `guard.max_messages` is at most 2 000 000 000.
    pub fn message(message: u32) -> Step {
        debug_assert!(message < Self::MEETING);
        Step(message)
    }

    pub fn meeting(meeting: u32) -> Step {
        debug_assert!(meeting < Self::MEETING - 1);
        Step(Self::MEETING | meeting)
    }

    fn kind(self) -> StepKind {
        match self.0 {
            m if m & Self::MEETING == 0 => StepKind::Message(m),
            m => StepKind::Meeting(m & !Self::MEETING),
        }
    }
}

/// A fact carried by a message, with the trail it had when it was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Carried {
    pub fact: u32,
    pub trail: u32,
}

/// The facts a message carries. A list in fact order is also summarised as bit words,
/// so that a receiver finds what is new to it with one operation per word of its known
/// facts rather than one lookup per fact: a joint picture or direction carries every fact
/// of a county to each of its units, who know nearly all of them already.
///
/// Cloning shares the list (a message relayed or sent to many carries the same one).
#[derive(Clone, Debug, Default)]
pub struct Carrying {
    list: Arc<[Carried]>,
    /// (word, bits) of the carried facts in word order, when the list is in fact order,
    /// long and dense enough to be worth it.
    words: Option<Arc<Vec<(u32, u64)>>>,
}

impl Carrying {
    /// Lists shorter than this are checked fact by fact.
    const SUMMARISED_FROM: usize = 16;

    /// The summary words, if the list has them.
    pub fn words(&self) -> &[(u32, u64)] {
        self.words.as_deref().map_or(&[], |w| w)
    }
}

impl From<Vec<Carried>> for Carrying {
    fn from(list: Vec<Carried>) -> Self {
        let (mut ordered, mut boundaries) = (true, 0);
        for w in list.windows(2) {
            ordered &= w[0].fact < w[1].fact;
            boundaries += usize::from(w[0].fact / 64 != w[1].fact / 64);
        }
        // Summarised only where dense: a word per eight facts or fewer (the words are one
        // more than the boundaries), so the summary adds at most a quarter to the list's
        // memory. In a national run a county's facts are spread among every county's, and
        // are checked one by one.
        let mut words: Vec<(u32, u64)> = vec![];
        if ordered && list.len() >= Self::SUMMARISED_FROM && boundaries < list.len() / 8 {
            for c in &list {
                let (word, bit) = (c.fact / 64, 1u64 << (c.fact % 64));
                match words.last_mut() {
                    Some((w, bits)) if *w == word => *bits |= bit,
                    _ => words.push((word, bit)),
                }
            }
        }
        let words = (!words.is_empty()).then(|| Arc::new(words));
        Carrying { list: Arc::from(list), words }
    }
}

impl std::ops::Deref for Carrying {
    type Target = [Carried];
    fn deref(&self) -> &[Carried] {
        &self.list
    }
}

/// One unit coming to know one fact (a row of facts.csv).
#[derive(Clone, Copy, Debug)]
pub struct KnownRecord {
    pub fact: u32,
    pub unit: u32,
    pub via: Via,
    pub trail: u32,
}

#[derive(Default)]
pub struct KnowledgeLog {
    pub records: Vec<KnownRecord>,
    pub trails: Vec<Trail>,
    /// The meetings facts were passed on at (conference sessions and their pictures,
    /// exercise control's handovers): the wait before one and its length are parts of
    /// the delay.
    pub meetings: Vec<Meeting>,
    /// Set when learning was refused at guard.max_known (the run is stopped).
    pub over_limit: bool,
}

impl KnowledgeLog {
    /// A new trail point reached from trail `from` by `step`.
    pub fn trail(&mut self, from: u32, step: Step) -> u32 {
        debug_assert!((from as usize) < self.trails.len(), "a trail links to an earlier one");
        self.push(Trail::after(from, step))
    }

    /// The origin of `fact`: no delay yet.
    pub fn origin(&mut self, fact: u32) -> u32 {
        self.push(Trail::origin(fact))
    }

    fn push(&mut self, trail: Trail) -> u32 {
        self.trails.push(trail);
        (self.trails.len() - 1) as u32
    }

    /// A meeting from `start` until `end`; returns its index for [`Step::meeting`].
    pub fn meeting(&mut self, start: SimTime, end: SimTime) -> u32 {
        self.meetings.push(Meeting { start, end });
        (self.meetings.len() - 1) as u32
    }
}

#[derive(Clone, Debug)]
pub struct Fact {
    pub id: String,
    pub origin_time: SimTime,
    pub origin_unit: u32,
    pub severity: u8,
    pub levels: u8,
    pub text: String,
    pub first_known: [Option<SimTime>; 3],
    pub all_known: [Option<SimTime>; 3],
    /// When a conference agreed on a joint public message about it.
    pub agreed: Option<SimTime>,
}

#[derive(Default)]
pub struct FactBook {
    pub facts: Vec<Fact>,
    /// What learning reads and counts of each fact (index = fact), apart from the rest.
    pub tally: Vec<FactTally>,
    pub by_id: FxHashMap<String, u32>,
}

impl FactBook {
    pub fn severity(&self, fact: u32) -> u8 {
        self.tally[fact as usize].severity
    }
}

/// The part of a [`Fact`] every learning reads or counts: 16 bytes, four facts to a
/// cache line, where the whole fact (its id, text and times) is about 190.
#[derive(Clone, Copy, Debug, Default)]
pub struct FactTally {
    pub severity: u8,
    pub levels: u8,
    /// Units of each level that know it.
    pub known: [u32; 3],
}

/// A unit coming to know a fact in the current step ([`Knowledge::learned`]).
#[derive(Clone, Copy, Debug)]
pub struct Learnt {
    pub unit: u32,
    pub fact: u32,
    /// The trail it learned it with (what it passes on).
    pub trail: u32,
    pub via: Via,
    /// Message it came with, or conference (for `via = conference`), or NONE.
    pub source: u32,
    /// The unit it came from (not sent back there), or NONE.
    pub from_unit: u32,
}

// ---------------------------------------------------------------- messages

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Link(u32),
    Channel(u32),
    Defaults,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payload {
    None,
    Request(u32),
    /// Direction from a session of a conference.
    Direction {
        conf: u32,
        session: u32,
    },
    Picture(u32),
}

#[derive(Clone, Debug)]
pub struct MessageRec {
    pub kind: MessageKind,
    pub from: u32,
    pub to: u32,
    pub route: Route,
    pub facts: Carrying,
    /// Relayed as received: the facts' trails are those the sender (`from`) knows them
    /// with, looked up when the receiver learns (the sender's knowledge of a fact never
    /// changes once it has it), not those stored in `facts`.
    pub relayed: bool,
    pub severity: u8,
    pub payload: Payload,
    pub sent: SimTime,
    pub channel: u32,
    pub attempts: u32,
    pub delivered: Option<SimTime>,
    pub started: Option<SimTime>,
    pub done: Option<SimTime>,
    /// The receiver's unstaffed-time counter at delivery.
    pub unstaffed_mark: SimTime,
    /// Time between delivery and start with nobody on duty at the receiver.
    pub activation_wait: SimTime,
}

#[derive(Default)]
pub struct MessageBook {
    pub messages: super::chunked::Chunked<MessageRec>,
    /// Messages whose channels are all down, waiting for one to come back.
    pub stalled: Vec<u32>,
}

// ---------------------------------------------------------------- infrastructure

#[derive(Clone, Copy, Debug)]
pub struct SysState {
    pub down: bool,
    pub overload_loss: f64,
    pub battery_dead: bool,
    pub battery_epoch: u32,
}

impl Default for SysState {
    fn default() -> Self {
        SysState { down: false, overload_loss: 0.0, battery_dead: false, battery_epoch: 0 }
    }
}

impl SysState {
    pub fn works(&self) -> bool {
        !self.down && !self.battery_dead
    }
}

#[derive(Clone, Debug)]
pub struct InfraRow {
    pub time: SimTime,
    pub area: String,
    pub target: String,
    pub state: &'static str,
}

/// Infrastructure per area (the last entry is "no area"), channels, and their random streams.
#[derive(Default)]
pub struct Network {
    pub areas: Vec<[SysState; 5]>,
    pub channel_down: Vec<bool>,
    /// Loss of a channel overloaded by an inject (0 when not).
    pub channel_overload: Vec<f64>,
    pub rngs: Vec<ChaCha8Rng>,
    pub log: Vec<InfraRow>,
}

// ---------------------------------------------------------------- conferences

#[derive(Clone, Debug, Default)]
pub struct Session {
    pub start: SimTime,
    pub present: Vec<u32>,
    /// Facts known by some participant at the start, with the earliest knower's trail.
    pub union: Vec<Carried>,
    /// Each present unit's own trail of each fact in the union, [`NONE`] if it did not
    /// know it: entry `j * union.len() + i` is fact `union[i]` at unit `present[j]`.
    /// Known at the start, updated with what the session taught; read when direction goes out.
    pub held: Vec<u32>,
}

#[derive(Component)]
pub struct ConfState {
    pub index: u32,
    pub activated: bool,
    pub epoch: u32,
    pub session: Option<Session>,
    /// The last session, as it ended (its union and who held what at its end), reused
    /// when the same units meet again: conferences keep meeting around the clock, mostly
    /// sharing what they shared last time.
    pub last: Option<Session>,
    pub sessions: u32,
    /// Compiled pictures waiting to be published.
    pub pictures: std::collections::VecDeque<Carrying>,
    pub rng: ChaCha8Rng,
}

#[derive(Clone, Debug)]
pub struct ConferenceRow {
    pub conference: u32,
    pub start: SimTime,
    pub end: SimTime,
    pub participants: u32,
    pub facts_shared: u32,
    pub learned: u32,
}

#[derive(Resource, Default)]
pub struct ConferenceLog {
    pub held: Vec<ConferenceRow>,
    /// (conference, published at, facts in it)
    pub pictures: Vec<(u32, SimTime, u32)>,
    /// (unit, conference, session) of direction already acted on.
    pub directions_seen: rustc_hash::FxHashSet<(u32, u32, u32)>,
}

// ---------------------------------------------------------------- resources

#[derive(Debug)]
pub struct PoolState {
    pub index: u32,
    pub idle: u32,
    pub busy: u32,
    pub transit: u32,
    pub released: bool,
    pub rng: ChaCha8Rng,
}

#[derive(Clone, Debug)]
pub struct DemandState {
    pub kind: u32,
    pub duration: crate::dist::Dist,
    pub total: u32,
    pub max: u32,
    pub growth: Option<(SimTime, u32)>,
    pub growth_pending: bool,
    /// Jobs with no resource assigned.
    pub uncovered: u32,
    pub en_route: u32,
    pub in_service: u32,
    pub done: u32,
    /// Quantity asked for in open requests.
    pub requested: u32,
}

#[derive(Debug)]
pub struct IncidentState {
    pub index: u32,
    pub name: String,
    pub area: Option<u32>,
    pub severity: u8,
    pub responsible: u32,
    pub org: u32,
    pub fact: u32,
    pub created: SimTime,
    pub prioritised: bool,
    pub demands: Vec<DemandState>,
    pub rng: ChaCha8Rng,
}

/// Resources of one pool sent to one incident's demand.
#[derive(Clone, Copy, Debug)]
pub struct Assignment {
    pub pool: u32,
    pub incident: u32,
    pub demand: u32,
    pub count: u32,
    pub lent: bool,
    pub request: u32,
}

#[derive(Clone, Debug)]
pub struct RequestRec {
    pub incident: u32,
    pub demand: u32,
    pub kind: u32,
    pub quantity: u32,
    pub requested: SimTime,
    pub decided: Option<SimTime>,
    pub arrived: Option<SimTime>,
    pub lenders: Vec<u32>,
    pub unmet: u32,
    pub open: bool,
    /// Units that hold the request (it reached them).
    pub holders: Vec<u32>,
}

#[derive(Clone, Debug)]
pub struct ResourceRow {
    pub time: SimTime,
    pub org: u32,
    pub kind: u32,
    pub in_use: u32,
    pub idle: u32,
    pub in_transit: u32,
    pub demanded: u32,
    pub unmet: u32,
}

/// Requests, assignments, and the per (organisation, type) resource picture over time.
#[derive(Resource, Default)]
pub struct ResourceBook {
    pub pools: Vec<PoolState>,
    pub incidents: Vec<IncidentState>,
    pub incident_names: FxHashMap<String, u32>,
    /// Incidents of each responsible organisation, in opening order.
    pub incidents_by_org: FxHashMap<u32, Vec<u32>>,
    pub requests: Vec<RequestRec>,
    /// Open requests for each organisation's incidents, in order (a request leaves its
    /// list when decided, so finding open requests costs what is open, not all ever made).
    pub requests_by_org: FxHashMap<u32, Vec<u32>>,
    pub assignments: Vec<Assignment>,
    /// Requests held per unit.
    pub held: FxHashMap<u32, Vec<u32>>,
    /// Current values per (org, kind): in_use, idle, transit, demanded, unmet.
    pub current: FxHashMap<(u32, u32), [i64; 5]>,
    /// Per kind: total unmet, and idle in organisations not short of that kind.
    pub unmet_by_kind: Vec<i64>,
    pub idle_free_by_kind: Vec<i64>,
    /// Index of the last row written per (org, kind), to merge changes at one instant.
    pub last_row: FxHashMap<(u32, u32), usize>,
    pub rows: Vec<ResourceRow>,
    /// Integrals (resource-ms) and the instant they were last brought up to date.
    pub unmet_time: f64,
    pub idle_while_short_time: f64,
    pub integrated_to: SimTime,
}

// ---------------------------------------------------------------- public information

#[derive(Clone, Debug)]
pub struct PublicRow {
    pub fact: u32,
    pub unit: u32,
    pub time: SimTime,
    pub coordinated: bool,
}

#[derive(Resource, Default)]
pub struct PublicBook {
    pub published: Vec<PublicRow>,
    /// Units preparing a message about each fact, indexed by fact (empty beyond the end).
    pub preparing: Vec<Vec<u32>>,
}

// ---------------------------------------------------------------- injects

#[derive(Resource, Default)]
pub struct InjectRuntime {
    pub rngs: Vec<ChaCha8Rng>,
    /// When each inject first fired (stream windows start there).
    pub started: Vec<Option<SimTime>>,
}

// ---------------------------------------------------------------- commands between systems

/// Work handed from one system to the next within the same instant.
#[derive(Default)]
pub struct Pending {
    pub activate: Vec<(u32, Activation)>,
    pub requests: Vec<RequestCmd>,
    /// (unit, direction message) processed.
    pub directions: Vec<(u32, u32)>,
    /// Facts a conference agreed on for joint public messages.
    pub agreed: Vec<u32>,
    /// Incident injects fired: (inject, repetition).
    pub incidents: Vec<(u32, u32)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Start,
    StandDown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestCmd {
    /// A unit finished processing a request message.
    Received { unit: u32, request: u32, msg: u32 },
    /// A conference decides the requests its present participants hold.
    Decide { conf: u32, present: Vec<u32> },
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn carrying(facts: &[u32]) -> Carrying {
        Carrying::from(facts.iter().map(|&fact| Carried { fact, trail: fact + 1 }).collect::<Vec<_>>())
    }

    #[test]
    fn long_dense_lists_in_fact_order_are_summarised_and_others_not() {
        let dense: Vec<u32> = (0..100).collect();
        assert_eq!(carrying(&dense).words(), &[(0, u64::MAX), (1, (1 << 36) - 1)]);
        let spread: Vec<u32> = (0..100).map(|f| f * 30).collect();
        assert!(carrying(&spread).words().is_empty());
        let reversed: Vec<u32> = (0..100).rev().collect();
        assert!(carrying(&reversed).words().is_empty());
        assert!(carrying(&dense[..15]).words().is_empty());
    }

    proptest! {
        /// Summarised or not, a list's unknown facts are those a fact-by-fact check finds.
        #[test]
        fn unknown_facts_are_found_by_the_words_as_one_by_one(
            carried in proptest::collection::btree_set(0u32..600, 0..300),
            known in proptest::collection::vec(0u32..700, 0..200),
            shuffle in any::<bool>(),
        ) {
            let mut list: Vec<u32> = carried.into_iter().collect();
            if shuffle {
                list.reverse();
            }
            let facts = carrying(&list);
            if shuffle && list.len() > 1 || list.len() < 16 {
                prop_assert!(facts.words().is_empty());
            }
            let mut unit = Known::default();
            for &f in &known {
                if !unit.knows(f) {
                    unit.insert(f, 0);
                }
            }
            let one_by_one: Vec<usize> = (0..list.len()).filter(|&i| !unit.knows(list[i])).collect();
            let mut unknown = vec![];
            unit.unknown_in(&facts, &mut unknown);
            prop_assert_eq!(unknown, one_by_one);
        }

        /// A unit's trail of each fact is the one it learned it with, whatever the order,
        /// with facts spread thin (blocks of 2 and 4) or dense (blocks moving up to 64
        /// and reusing the ones left behind).
        #[test]
        fn trails_are_found_as_learned(facts in proptest::collection::vec(0u32..2000, 0..600), dense in any::<bool>()) {
            let facts: Vec<u32> = facts.iter().map(|f| if dense { f % 320 } else { *f }).collect();
            let mut unit = Known::default();
            let mut expected = std::collections::HashMap::new();
            for (trail, &f) in facts.iter().enumerate() {
                if expected.contains_key(&f) {
                    continue;
                }
                unit.insert(f, trail as u32);
                expected.insert(f, trail as u32);
            }
            for f in 0..2100 {
                prop_assert_eq!(unit.trail(f), expected.get(&f).copied());
                prop_assert_eq!(unit.knows(f), expected.contains_key(&f));
            }
        }
    }
}
