//! Facts and who knows them (model.md §4): learning, passing facts on along report and
//! information links (at once or in the next periodic report), and activation by severity.

pub mod known;
pub mod trail;

use crate::sim::channels::{Core, Outgoing};
use crate::sim::engine::agenda::Event;
use crate::sim::*;
use crate::time::SimTime;
use crate::vocabulary::{Flow, Via};
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;
use rustc_hash::FxHashMap;

use crate::sim::engine::schedule::{FollowUp, Registry};

/// Registers the knowledge handlers and followers with the engine.
pub(crate) fn register(r: &mut Registry) {
    r.handle(Phase::Report, send_reports);
    r.follow(FollowUp::Learning, react_to_learning);
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

/// Facts waiting for the next periodic report, per outgoing link.
#[derive(Component, Default)]
pub struct Outbox {
    pub items: Vec<(u32, Carried)>,
    pub tick_pending: bool,
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
    /// Every learning under [`Recording::Full`]; under [`Recording::Summary`] those of
    /// [`Setup::summary_units`].
    pub records: Vec<KnownRecord>,
    /// Learnings so far, recorded or not (held against `guard.max_known`).
    pub learnings: u64,
    /// Under [`Recording::Summary`]: [`RunRecord::delays`].
    pub delays: [Vec<f64>; 3],
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

/// How a unit came to know a fact: this decides the learning's trail, its `via` (the
/// column of facts.csv) and where it came from (what it is not passed back to). One
/// value instead of a row of arguments, so that invalid combinations cannot be written.
#[derive(Clone, Copy, Debug)]
pub enum Learning {
    /// At the fact's origin (the unit that observed it). `trail`: the origin point when
    /// it is already made (an exercise message's fact, also carried by the message), or
    /// `None` to make it now.
    Origin { trail: Option<u32> },
    /// By handling message `msg` (a joint picture if `picture`) from `sender` ([`NONE`]:
    /// exercise control), who had the fact with trail `from`.
    Message { msg: u32, sender: u32, from: u32, picture: bool },
    /// At a session of conference `conf`: the first to learn a fact there gets a new
    /// point after the earliest knower's trail `from` at meeting `meeting`; the others
    /// learning it at the same session share that point (`shared`).
    Conference { conf: u32, trail: SessionTrail },
}

/// The trail of a fact learned at a conference session ([`Learning::Conference`]).
#[derive(Clone, Copy, Debug)]
pub enum SessionTrail {
    /// The first at the session to learn it: a new point after `from`, by the meeting.
    New { from: u32, meeting: u32 },
    /// Another learning it at the same session: the point the first got.
    Shared(u32),
}

impl Learning {
    /// The column `via` of facts.csv.
    pub fn via(&self) -> Via {
        match self {
            Learning::Origin { .. } => Via::Origin,
            Learning::Message { picture: true, .. } => Via::Picture,
            Learning::Message { .. } => Via::Message,
            Learning::Conference { .. } => Via::Conference,
        }
    }

    /// What the learning records: its trail point (made in `log`, or one already there),
    /// its `via`, the message or conference it came with ([`NONE`] at the origin) and
    /// the unit it came from ([`NONE`]: none, or exercise control).
    #[inline]
    fn record(self, log: &mut KnowledgeLog, fact: u32) -> (u32, Via, u32, u32) {
        match self {
            Learning::Origin { trail } => (trail.unwrap_or_else(|| log.origin(fact)), Via::Origin, NONE, NONE),
            Learning::Message { msg, sender, from, picture } => {
                let via = if picture { Via::Picture } else { Via::Message };
                (log.trail(from, Step::message(msg)), via, msg, sender)
            }
            Learning::Conference { conf, trail } => {
                let t = match trail {
                    SessionTrail::New { from, meeting } => log.trail(from, Step::meeting(meeting)),
                    SessionTrail::Shared(t) => t,
                };
                (t, Via::Conference, conf, NONE)
            }
        }
    }
}

impl Knowledge {
    /// Records that `unit` knows `fact` at `now`, learned as `how` (unless it already
    /// knew it). Returns the trail it now has if the fact is new to it.
    pub fn learn(&mut self, setup: &Setup, unit: u32, fact: u32, now: SimTime, how: Learning) -> Option<u32> {
        let known = &mut self.known[unit as usize];
        if known.knows(fact) {
            return None;
        }
        let log = &mut self.log;
        // The knowledge guard: one step (a conference end) can add units × facts records,
        // so the limit holds here; the run stops at the next guard check.
        if log.learnings >= setup.model.guard.max_known {
            log.over_limit = true;
            return None;
        }
        let (trail, via, source, from_unit) = how.record(log, fact);
        log.learnings += 1;
        if setup.keeps_learnings_of(unit) {
            log.records.push(KnownRecord { fact, unit, via, trail });
        }
        known.insert(fact, trail);
        let level = setup.model.units[unit as usize].level.index();
        let facts = &mut self.facts;
        let tally = &mut facts.tally[fact as usize];
        if tally.levels & (1 << level) != 0 {
            tally.known[level] += 1;
            let known = tally.known[level];
            if known == 1 {
                facts.facts[fact as usize].first_known[level] = Some(now);
            }
            if known as usize == setup.level_sizes[level] {
                facts.facts[fact as usize].all_known[level] = Some(now);
            }
            // The trail point of a learning other than at the origin is reached now (the
            // message handled, the meeting's end): its delay is `now` less the origin.
            if setup.recording == Recording::Summary && via != Via::Origin {
                let origin = facts.facts[fact as usize].origin_time;
                log.delays[level].push(crate::time::minutes(now - origin));
            }
        }
        self.learned.push(Learnt { unit, fact, trail, via, source, from_unit });
        Some(trail)
    }

    /// Positions of the carried facts `unit` does not know yet, into `out`.
    pub fn unknown_to(&self, unit: u32, facts: &Carrying, out: &mut Vec<usize>) {
        self.known[unit as usize].unknown_in(facts, out)
    }

    /// Creates a fact with its origin at `origin` (NONE: exercise control). Returns its index.
    pub fn create_fact(
        &mut self,
        id: String,
        now: SimTime,
        origin: u32,
        severity: u8,
        levels: u8,
        text: String,
    ) -> u32 {
        let index = self.facts.facts.len() as u32;
        self.facts.by_id.insert(id.clone(), index);
        self.facts.tally.push(FactTally { severity, levels, known: [0; 3] });
        self.facts.facts.push(Fact {
            id,
            origin_time: now,
            origin_unit: origin,
            severity,
            levels,
            text,
            first_known: [None; 3],
            all_known: [None; 3],
            agreed: None,
        });
        index
    }

    /// The trail of what `unit` knows about `fact`, if it knows it.
    pub fn trail_of(&self, unit: u32, fact: u32) -> Option<u32> {
        self.known[unit as usize].trail(fact)
    }
}

/// What units learned this instant, and the reactions to it: facts passed on,
/// activation by severity, public messages prepared. (One system for the three
/// reactions: they always run together.)
pub fn react_to_learning(
    mut shared: ResMut<Shared>,
    mut outboxes: Query<&mut Outbox>,
    mut desks: Query<(&mut PublicDesk, &mut UnitRng)>,
    mut public: ResMut<PublicBook>,
) -> Result<(), Broken> {
    let (mut core, k) = shared.core_and_knowledge();
    forward_learned(&mut core, &k.learned, &k.known, &k.log, &k.facts, &mut outboxes)?;
    activate_on_learning(core.setup, &k.learned, &k.facts, core.pending);
    crate::sim::public::prepare_public_messages(&mut core, &k.learned, &k.facts, &mut desks, &mut public)?;
    k.learned.clear();
    Ok(())
}

/// Passes newly learned facts on along report and information links, bundling the facts
/// a unit learned from one source (one message, one conference session) into one message
/// per link. A fact observed at its origin goes out alone: two injects at one unit at
/// the same instant are two messages, as they would be one second apart. A unit played by a person
/// ([`Setup::played`]) passes nothing on by itself, at once or in its periodic report.
fn forward_learned(
    core: &mut Core,
    list: &[Learnt],
    known: &[Known],
    log: &KnowledgeLog,
    facts: &FactBook,
    outboxes: &mut Query<&mut Outbox>,
) -> Result<(), Broken> {
    let model = core.model();
    let mut i = 0;
    while i < list.len() {
        let head = list[i];
        let mut j = i + 1;
        // Each origin is its own group: separate injects (or observations) at one unit
        // at one instant are separate messages, each with its own processing.
        while j < list.len()
            && head.via != Via::Origin
            && (list[j].unit, list[j].source, list[j].via) == (head.unit, head.source, head.via)
        {
            j += 1;
        }
        let group = &list[i..j];
        i = j;
        let u = &model.units[head.unit as usize];
        // A unit played by a person decides itself what to pass on (`Engine::send`).
        if !u.forwards(head.via) || core.setup.played[head.unit as usize] {
            continue;
        }
        for &l in &u.out_links {
            let link = &model.links[l as usize];
            if !matches!(link.flow, Flow::Report | Flow::Information) || link.to == head.from_unit {
                continue;
            }
            let mut carried: Vec<Carried> = Vec::with_capacity(group.len());
            carried.extend(
                group
                    .iter()
                    .filter(|g| facts.severity(g.fact) >= link.threshold)
                    .filter(|g| !(g.via == Via::Conference && learned_together(core, known, log, link.to, g)))
                    .map(|g| Carried { fact: g.fact, trail: g.trail }),
            );
            if carried.is_empty() {
                continue;
            }
            if u.report_every.is_some() {
                queue_for_report(core, outboxes, head.unit, l, carried)?;
            } else {
                let severity = carried.iter().map(|c| facts.severity(c.fact)).max().unwrap_or(1);
                core.send(Outgoing {
                    kind: link.flow.message_kind(),
                    from: head.unit,
                    to: link.to,
                    route: Route::Link(l),
                    facts: Carrying::from(carried),
                    severity,
                    payload: Payload::None,
                });
            }
        }
    }
    Ok(())
}

/// Whether `target` learned the same fact at the same conference (no need to tell it).
fn learned_together(core: &Core, known: &[Known], log: &KnowledgeLog, target: u32, g: &Learnt) -> bool {
    let k = &known[target as usize];
    // Only learning at a conference gives a unit a meeting's trail point as its own.
    k.trail(g.fact).is_some_and(|t| match log.trails[t as usize].kind() {
        StepKind::Meeting(m) => log.meetings[m as usize].end == core.now(),
        _ => false,
    })
}

fn queue_for_report(
    core: &mut Core,
    outboxes: &mut Query<&mut Outbox>,
    unit: u32,
    link: u32,
    carried: Vec<Carried>,
) -> Result<(), Broken> {
    let mut outbox = outboxes.get_mut(core.setup.unit_entities[unit as usize]).map_err(missing("unit", unit))?;
    outbox.items.extend(carried.into_iter().map(|c| (link, c)));
    if outbox.tick_pending {
        return Ok(());
    }
    let Some((every, offset)) = core.setup.model.units[unit as usize].report_every else { return Ok(()) };
    let now = core.now();
    let k = (now - offset + every - 1).div_euclid(every);
    outbox.tick_pending = true;
    core.schedule(offset + k * every, Event::ReportTick { unit });
    Ok(())
}

/// Handles `ReportTick`: the periodic situation report goes out, one message per link.
pub fn send_reports(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut outboxes: Query<&mut Outbox>,
) -> Result<(), Broken> {
    let (mut core, knowledge) = shared.core_and_knowledge();
    let facts = &knowledge.facts;
    let model = core.model();
    for e in events {
        let Event::ReportTick { unit } = *e else { continue };
        let mut outbox = outboxes.get_mut(core.setup.unit_entities[unit as usize]).map_err(missing("unit", unit))?;
        outbox.tick_pending = false;
        let items = std::mem::take(&mut outbox.items);
        let mut links: Vec<u32> = Vec::new();
        for (l, _) in &items {
            if !links.contains(l) {
                links.push(*l);
            }
        }
        for l in links {
            let mut carried: Vec<Carried> = Vec::new();
            for (_, c) in items.iter().filter(|(x, _)| *x == l) {
                if !carried.iter().any(|k| k.fact == c.fact) {
                    carried.push(*c);
                }
            }
            let severity = carried.iter().map(|c| facts.severity(c.fact)).max().unwrap_or(1);
            let link = &model.links[l as usize];
            core.send(Outgoing {
                kind: link.flow.message_kind(),
                from: unit,
                to: link.to,
                route: Route::Link(l),
                facts: Carrying::from(carried),
                severity,
                payload: Payload::None,
            });
        }
    }
    Ok(())
}

/// Units that learn a fact at or above their activation threshold start activating.
fn activate_on_learning(setup: &Setup, list: &[Learnt], facts: &FactBook, pending: &mut Pending) {
    let model = &setup.model;
    for l in list {
        let threshold = model.units[l.unit as usize].activation_threshold;
        if threshold.is_some_and(|t| facts.severity(l.fact) >= t) {
            pending.activate.push((l.unit, Activation::Start));
        }
    }
}
