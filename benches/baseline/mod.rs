//! A hand-written discrete-event loop of the core workload, without an ECS: the yardstick
//! the engine is held against (issue 7).
//!
//! It reads the same compiled [`Model`] and draws from the same random streams in the
//! same order as the engine, so on a scenario restricted to the features below it
//! produces the same events, messages and knowledge, and the ratio of run times is the
//! cost of the engine's framework and bookkeeping. What it models:
//!
//! - one binary heap of events ordered by (time, phase, insertion), the engine's order;
//!   the events of one (time, phase) are handled together, then the facts learned are
//!   passed on (as the engine's follow-up systems do);
//! - fact injects at fixed times, also as streams (`every`, `rate_per_hour`, `count`);
//! - units as multi-server queues: fixed handlers, queue order severity then arrival,
//!   a processing time per message kind;
//! - forwarding along report and information links whose threshold the fact meets, one
//!   message per link bundling what a unit learned from one source, not back to the
//!   sender, not to a unit that learned it at the same conference;
//! - the first channel of a link, with loss, re-sending and latency;
//! - conferences on their ordinary cadence: at the start, the union of what the
//!   participants know (bitsets); at the end every participant knows it; the joint
//!   picture compiled and sent to its readers.
//!
//! What it does not model (and [`supports`] refuses): office hours, duty officers,
//! activation and activated conferences, periodic reports, direction, requests and
//! resources, incidents, infrastructure and unavailable channels, public information,
//! message injects, `after` and jitter.
//!
//! Two variants of the loop, one code ([`Sim`]'s `STAMPS`, the times kept per message):
//! - [`run`], minimal: no delay decomposition and no per-message timestamps; it records
//!   each (unit, fact, time) learned, the minimum any output would need;
//! - [`run_decomposed`] also keeps what the model's delay decomposition (model.md §11)
//!   needs, as the engine does: per message its times (sent, delivered, started, done),
//!   per learning a trail point (the point it came from, and the step: origin, message
//!   handled or meeting), the meetings' times, and per unit the trail of each fact it
//!   knows, which a message and a conference's union carry on. For the last two it uses
//!   the engine's own structures ([`Known`], [`Carrying`]), so that what differs from
//!   the engine is the loop: no ECS, no general model. [`Decomposition::parts`] works
//!   the parts out after the run, as the engine's output does.

use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Distribution, Exp};
use rustc_hash::FxHashSet;
use samverkan::model::{Action, InjectTime, Model, Stream};
use samverkan::sim::rng::stream;
use samverkan::sim::{Carried, Carrying, Known};
use samverkan::time::{Calendar, HOUR, SimTime};
use samverkan::vocabulary::{Flow, MessageKind, Via};
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};
use std::rc::Rc;

const NONE: u32 = u32::MAX;

/// Event kinds, numbered as the engine's phases so that ties break the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ev {
    Inject { inject: u32, rep: u32 },
    Retry { msg: u32 },
    Deliver { msg: u32 },
    Done { unit: u32, msg: u32 },
    ConfEnd { conf: u32 },
    ConfStart { conf: u32 },
    Picture { conf: u32 },
}

impl Ev {
    fn phase(self) -> u8 {
        match self {
            Ev::Inject { .. } => 1,
            Ev::Retry { .. } => 2,
            Ev::Deliver { .. } => 3,
            Ev::Done { .. } => 4,
            Ev::ConfEnd { .. } => 7,
            Ev::ConfStart { .. } => 8,
            Ev::Picture { .. } => 9,
        }
    }
}

struct Entry {
    key: (SimTime, u8, u64),
    ev: Ev,
}
impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        self.key == o.key
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        o.key.cmp(&self.key)
    }
}

/// A message sent: who to whom, on which channel, carrying what.
struct Msg<const STAMPS: usize> {
    kind: MessageKind,
    from: u32,
    to: u32,
    /// The channels to try, first available first (always the first here).
    channel: u32,
    facts: Facts,
    severity: u8,
    /// (sent, delivered, started, done) with `DECOMPOSE`; none without.
    times: [SimTime; STAMPS],
}

/// The facts a message carries: a plain list (minimal), or with `DECOMPOSE` each with
/// the trail it comes from at the sender, in the engine's own [`Carrying`] (a list in
/// fact order also summarised as bit words, so that a receiver finds what is new to it
/// word by word), so that the data structures do not differ.
#[derive(Clone)]
enum Facts {
    Plain(Rc<[u32]>),
    Carrying(Carrying),
}

impl Facts {
    /// The (fact, trail) pairs as carried: with their trails when `decompose`, else the
    /// facts alone.
    fn new(decompose: bool, facts: impl Iterator<Item = (u32, u32)>) -> Facts {
        match decompose {
            true => Facts::Carrying(facts.map(|(fact, trail)| Carried { fact, trail }).collect::<Vec<_>>().into()),
            false => Facts::Plain(facts.map(|(f, _)| f).collect()),
        }
    }

    /// The facts, in the order carried.
    fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let (plain, carrying) = match self {
            Facts::Plain(list) => (&list[..], &[][..]),
            Facts::Carrying(c) => (&[][..], &c[..]),
        };
        plain.iter().copied().chain(carrying.iter().map(|c| c.fact))
    }
}

/// How a learning's trail point is made (with `DECOMPOSE`).
#[derive(Clone, Copy)]
enum By {
    /// Without `DECOMPOSE`: no trail point is made.
    Untracked,
    Origin,
    New {
        from: u32,
        step: Step,
    },
    /// The point another unit made at the same step.
    Shared(u32),
}

#[derive(Default)]
struct Desk {
    /// (severity, earlier first, message)
    queue: BinaryHeap<(u8, Reverse<u64>, u32)>,
    seq: u64,
    busy: u32,
}

/// A fact learned in the current step: (unit, fact, via, source, from unit, trail).
type Learnt = (u32, u32, Via, u32, u32, u32);

/// What a run produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub events: u64,
    pub messages: u64,
    pub sessions: u64,
    /// (unit, fact, time) for every unit coming to know a fact, in order.
    pub known: Vec<(u32, u32, SimTime)>,
    /// Empty but from [`run_decomposed`].
    pub decomposition: Decomposition,
}

/// How a fact reached a trail point from the point before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Origin { fact: u32 },
    Message(u32),
    Meeting(u32),
}

/// What the delay decomposition needs, kept during a [`run_decomposed`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Decomposition {
    /// Trail points: (the point before, or `NONE` at an origin; the step).
    pub trails: Vec<(u32, Step)>,
    /// Per learning (as [`Outcome::known`]), its trail point.
    pub known_trail: Vec<u32>,
    /// Per meeting, (start, end).
    pub meetings: Vec<(SimTime, SimTime)>,
    /// Per message, (sent, delivered, started, done); -1 where not yet.
    pub times: Vec<[SimTime; 4]>,
    /// Per fact, when it arose.
    pub origin: Vec<SimTime>,
}

impl Decomposition {
    /// Adds a trail point; returns its number.
    fn push_trail(&mut self, from: u32, step: Step) -> u32 {
        self.trails.push((from, step));
        self.trails.len() as u32 - 1
    }

    /// When trail point `t` was reached.
    #[allow(dead_code)] // read by tests/integration/baseline_agrees.rs, not by the benchmark
    pub fn time(&self, t: u32) -> SimTime {
        match self.trails[t as usize].1 {
            Step::Origin { fact } => self.origin[fact as usize],
            Step::Message(m) => self.times[m as usize][3],
            Step::Meeting(k) => self.meetings[k as usize].1,
        }
    }

    /// The delay parts of every trail point, in the order of `samverkan::sim::Part`
    /// (transit, queue, processing, meeting wait, activation wait: none here).
    #[allow(dead_code)] // read by tests/integration/baseline_agrees.rs, not by the benchmark
    pub fn parts(&self) -> Vec<[SimTime; 5]> {
        let mut out: Vec<[SimTime; 5]> = Vec::with_capacity(self.trails.len());
        for &(from, step) in &self.trails {
            let mut p = if from == NONE { [0; 5] } else { out[from as usize] };
            match step {
                Step::Origin { .. } => {}
                Step::Message(m) => {
                    let [sent, delivered, started, done] = self.times[m as usize];
                    p[3] += sent - self.time(from);
                    p[0] += delivered - sent;
                    p[1] += started - delivered;
                    p[2] += done - started;
                }
                Step::Meeting(k) => {
                    let (start, end) = self.meetings[k as usize];
                    p[3] += start - self.time(from);
                    p[2] += end - start;
                }
            }
            out.push(p);
        }
        out
    }
}

/// Why a model is outside what the baseline models.
pub fn supports(m: &Model) -> Result<(), String> {
    for u in &m.units {
        if !u.office_hours.is_always() || u.duty_officer.is_some() || u.activation_threshold.is_some() {
            return Err(format!("unit {}: office hours, duty officer or activation", u.id));
        }
        if u.report_every.is_some() || u.public_info.is_some() || u.decides_requests {
            return Err(format!("unit {}: periodic reports, public information or requests", u.id));
        }
    }
    for c in &m.conferences {
        if c.activated.is_some() || c.ordinary.is_none() || c.direction.is_some() {
            return Err(format!("conference {}: only ordinary cadence, no direction", c.id));
        }
    }
    for i in &m.injects {
        let plain = matches!(i.time, InjectTime::At(_)) && i.jitter.is_none();
        if !plain || !matches!(i.action, Action::Fact { .. }) {
            return Err(format!("inject {}: only fact injects at fixed times", i.id));
        }
    }
    if !m.pools.is_empty() {
        return Err("resource pools".into());
    }
    Ok(())
}

/// One run of the minimal baseline. `m` must pass [`supports`].
pub fn run(m: &Model, seed: u64) -> Outcome {
    let mut s = Sim::<0>::new(m, seed);
    s.run();
    s.out
}

/// One run of the baseline keeping the delay decomposition. `m` must pass [`supports`].
pub fn run_decomposed(m: &Model, seed: u64) -> Outcome {
    let mut s = Sim::<4>::new(m, seed);
    s.run();
    // Taking the record out, as the engine's run does (`Engine::finish`).
    s.out.decomposition.times = s.msgs.iter().map(|m| m.times).collect();
    s.out
}

/// A conference session in progress.
struct Session {
    start: SimTime,
    present: Vec<u32>,
    /// Every fact a present unit knows, in fact order.
    union: Rc<[u32]>,
    /// With `DECOMPOSE`: per fact of the union, the trail of its earliest knower.
    trails: Option<Rc<[u32]>>,
}

/// A conference's union: its facts, and per fact the trail of its earliest knower.
type Union = (Rc<[u32]>, Rc<[u32]>);

/// The loop. `STAMPS`: 0, minimal; 4, keeping what the delay decomposition needs
/// (`DECOMPOSE`), with the messages' times (sent, delivered, started, done).
struct Sim<'m, const STAMPS: usize> {
    m: &'m Model,
    now: SimTime,
    seq: u64,
    heap: BinaryHeap<Entry>,
    desks: Vec<Desk>,
    unit_rng: Vec<ChaCha8Rng>,
    channel_rng: Vec<ChaCha8Rng>,
    conf_rng: Vec<ChaCha8Rng>,
    inject_rng: Vec<ChaCha8Rng>,
    inject_start: Vec<SimTime>,
    /// Per unit, a bitset of the facts it knows.
    known: Vec<Vec<u64>>,
    /// With `DECOMPOSE`, in place of `known`: per unit, the facts it knows and the trail
    /// of each, in the engine's own table ([`Known`]: a bit per fact and the trails of
    /// each 64-fact word side by side), so that the data structures do not differ.
    tables: Vec<Known>,
    severity: Vec<u8>,
    msgs: Vec<Msg<STAMPS>>,
    /// Per conference: the session in progress.
    session: Vec<Option<Session>>,
    /// With `DECOMPOSE`, per conference: the union and earliest trails of its last session.
    last: Vec<Union>,
    /// Per conference, the pictures compiled and waiting to be published.
    pictures: Vec<VecDeque<Facts>>,
    /// Room for the positions of the facts of a message new to its receiver.
    unknown: Vec<usize>,
    learned: Vec<Learnt>,
    out: Outcome,
}

impl<'m, const STAMPS: usize> Sim<'m, STAMPS> {
    const DECOMPOSE: bool = {
        assert!(STAMPS == 0 || STAMPS == 4, "times kept per message: none, or (sent, delivered, started, done)");
        STAMPS > 0
    };

    fn new(m: &'m Model, seed: u64) -> Self {
        let keyed = |kind: &str, ids: Vec<&String>| -> Vec<ChaCha8Rng> {
            ids.into_iter().map(|id| stream(seed, &format!("{kind}:{id}"))).collect()
        };
        let mut s = Sim {
            m,
            now: 0,
            seq: 0,
            heap: BinaryHeap::new(),
            desks: m.units.iter().map(|_| Desk::default()).collect(),
            unit_rng: keyed("unit", m.units.iter().map(|u| &u.id).collect()),
            channel_rng: keyed("channel", m.channels.iter().map(|c| &c.id).collect()),
            conf_rng: keyed("conference", m.conferences.iter().map(|c| &c.id).collect()),
            inject_rng: keyed("inject", m.injects.iter().map(|i| &i.id).collect()),
            inject_start: vec![0; m.injects.len()],
            known: vec![Vec::new(); if Self::DECOMPOSE { 0 } else { m.units.len() }],
            tables: (0..if Self::DECOMPOSE { m.units.len() } else { 0 }).map(|_| Known::default()).collect(),
            severity: Vec::new(),
            msgs: Vec::new(),
            session: m.conferences.iter().map(|_| None).collect(),
            last: vec![(Rc::from([]), Rc::from([])); if Self::DECOMPOSE { m.conferences.len() } else { 0 }],
            pictures: vec![VecDeque::new(); m.conferences.len()],
            learned: Vec::new(),
            unknown: Vec::new(),
            out: Outcome::default(),
        };
        s.initial_events();
        s
    }

    fn schedule(&mut self, time: SimTime, ev: Ev) {
        self.seq += 1;
        self.heap.push(Entry { key: (time, ev.phase(), self.seq), ev });
    }

    fn initial_events(&mut self) {
        for (i, inj) in self.m.injects.iter().enumerate() {
            let InjectTime::At(t) = inj.time else { continue };
            self.inject_start[i] = t;
            let first = match &inj.stream {
                Some((Stream::Rate(r), window)) => {
                    let gap = exp_gap(*r, &mut self.inject_rng[i]);
                    if gap >= *window {
                        continue;
                    }
                    t + gap
                }
                _ => t,
            };
            self.schedule(first, Ev::Inject { inject: i as u32, rep: 0 });
        }
        let calendar = Calendar { start: self.m.start };
        for (i, c) in self.m.conferences.iter().enumerate() {
            if let Some((_, weekday, clock)) = c.ordinary {
                self.schedule(calendar.next_clock(weekday, clock, 0), Ev::ConfStart { conf: i as u32 });
            }
        }
    }

    fn run(&mut self) {
        let mut group: Vec<Ev> = Vec::new();
        while let Some(top) = self.heap.peek() {
            let (time, phase, _) = top.key;
            if time >= self.m.duration {
                break;
            }
            self.now = time;
            group.clear();
            while let Some(e) = self.heap.peek().filter(|e| e.key.0 == time && e.key.1 == phase) {
                group.push(e.ev);
                self.heap.pop();
            }
            self.out.events += group.len() as u64;
            for &ev in &group {
                self.handle(ev);
            }
            self.forward();
        }
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Inject { inject, rep } => self.inject(inject, rep),
            Ev::Retry { msg } => self.attempt(msg),
            Ev::Deliver { msg } => {
                self.stamp(msg, 1);
                let (to, severity) = (self.msgs[msg as usize].to, self.msgs[msg as usize].severity);
                let d = &mut self.desks[to as usize];
                d.seq += 1;
                let seq = d.seq;
                d.queue.push((severity, Reverse(seq), msg));
                self.try_start(to);
            }
            Ev::Done { unit, msg } => {
                self.stamp(msg, 3);
                self.desks[unit as usize].busy -= 1;
                self.receive(unit, msg);
                self.try_start(unit);
            }
            Ev::ConfStart { conf } => self.start_conference(conf),
            Ev::ConfEnd { conf } => self.end_conference(conf),
            Ev::Picture { conf } => self.publish(conf),
        }
    }

    /// `unit` learns what message `msg` carried that it did not know.
    fn receive(&mut self, unit: u32, msg: u32) {
        let m = &self.msgs[msg as usize];
        let (facts, from) = (m.facts.clone(), m.from);
        let via = if m.kind == MessageKind::Picture { Via::Picture } else { Via::Message };
        match facts {
            Facts::Plain(list) => {
                for &f in list.iter() {
                    self.learn(unit, f, via, msg, from, By::Untracked);
                }
            }
            Facts::Carrying(list) => {
                let mut unknown = std::mem::take(&mut self.unknown);
                self.tables[unit as usize].unknown_in(&list, &mut unknown);
                for &i in &unknown {
                    let by = By::New { from: list[i].trail, step: Step::Message(msg) };
                    self.learn_new(unit, list[i].fact, via, msg, from, by);
                }
                self.unknown = unknown;
            }
        }
    }

    fn inject(&mut self, i: u32, rep: u32) {
        let inj = &self.m.injects[i as usize];
        if let Some((stream, window)) = &inj.stream {
            let begin = self.inject_start[i as usize];
            let next = match stream {
                Stream::Every(e) => Some(self.now + e),
                Stream::Rate(r) => Some(self.now.saturating_add(exp_gap(*r, &mut self.inject_rng[i as usize]))),
                Stream::Count(n) if rep + 1 < *n => Some(begin + window * (rep as i64 + 1) / *n as i64),
                Stream::Count(_) => None,
            };
            if let Some(next) = next.filter(|t| *t < begin + window) {
                self.schedule(next, Ev::Inject { inject: i, rep: rep + 1 });
            }
        }
        let Action::Fact { origin, severity, .. } = inj.action else { return };
        let f = self.severity.len() as u32;
        self.severity.push(severity);
        if Self::DECOMPOSE {
            self.out.decomposition.origin.push(self.now);
        }
        self.learn(origin, f, Via::Origin, NONE, NONE, By::Origin);
    }

    /// Records the time of a message's stage (with `DECOMPOSE`): 1 delivered, 2 started,
    /// 3 done (0, sent, is set by [`Self::send`]).
    fn stamp(&mut self, msg: u32, stage: usize) {
        if let Some(t) = self.msgs[msg as usize].times.get_mut(stage) {
            *t = self.now;
        }
    }

    /// Whether `unit` knows `fact`.
    fn knows(&self, unit: u32, fact: u32) -> bool {
        if Self::DECOMPOSE {
            return self.tables[unit as usize].knows(fact);
        }
        let words = &self.known[unit as usize];
        words.get(fact as usize / 64).is_some_and(|w| w & (1 << (fact % 64)) != 0)
    }

    /// `unit` comes to know `fact` unless it knows it.
    #[inline(always)]
    fn learn(&mut self, unit: u32, fact: u32, via: Via, source: u32, from: u32, by: By) {
        if !self.knows(unit, fact) {
            self.learn_new(unit, fact, via, source, from, by);
        }
    }

    /// [`Self::learn`] of a fact `unit` does not know; returns its trail point (`NONE`
    /// without `DECOMPOSE`).
    fn learn_new(&mut self, unit: u32, fact: u32, via: Via, source: u32, from: u32, by: By) -> u32 {
        self.out.known.push((unit, fact, self.now));
        let trail = if Self::DECOMPOSE {
            self.trail(unit, fact, by)
        } else {
            let words = &mut self.known[unit as usize];
            let w = fact as usize / 64;
            if words.len() <= w {
                words.resize(w + 1, 0);
            }
            words[w] |= 1 << (fact % 64);
            NONE
        };
        self.learned.push((unit, fact, via, source, from, trail));
        trail
    }

    /// The trail point of `unit` learning `fact` now, kept as the unit's.
    fn trail(&mut self, unit: u32, fact: u32, by: By) -> u32 {
        let d = &mut self.out.decomposition;
        let trail = match by {
            By::Origin => d.push_trail(NONE, Step::Origin { fact }),
            By::New { from, step } => d.push_trail(from, step),
            By::Shared(t) => t,
            By::Untracked => unreachable!("a trail point is made only with DECOMPOSE"),
        };
        d.known_trail.push(trail);
        self.tables[unit as usize].insert(fact, trail);
        trail
    }

    /// Passes on what was learned in this step, one message per link and source.
    fn forward(&mut self) {
        let learned = std::mem::take(&mut self.learned);
        let m = self.m;
        // Units that learned a fact at a conference just now need not be told it.
        let at_conference: FxHashSet<(u32, u32)> =
            learned.iter().filter(|l| l.2 == Via::Conference).map(|l| (l.0, l.1)).collect();
        let mut i = 0;
        while i < learned.len() {
            let head = learned[i];
            let j = i + learned[i..].iter().take_while(|l| (l.0, l.3, l.2) == (head.0, head.3, head.2)).count();
            let group = &learned[i..j];
            i = j;
            let u = &m.units[head.0 as usize];
            if !u.forwards(head.2) {
                continue;
            }
            for &l in &u.out_links {
                let link = &m.links[l as usize];
                if !matches!(link.flow, Flow::Report | Flow::Information) || link.to == head.4 {
                    continue;
                }
                let passed = group
                    .iter()
                    .filter(|g| self.severity[g.1 as usize] >= link.threshold)
                    .filter(|g| !(g.2 == Via::Conference && at_conference.contains(&(link.to, g.1))));
                let Some(severity) = passed.clone().map(|g| self.severity[g.1 as usize]).max() else { continue };
                let facts = Facts::new(Self::DECOMPOSE, passed.map(|g| (g.1, g.5)));
                let kind = link.flow.message_kind();
                self.send(Msg {
                    kind,
                    from: head.0,
                    to: link.to,
                    channel: link.channels[0],
                    facts,
                    severity,
                    times: [0; STAMPS],
                });
            }
        }
        self.learned = learned;
        self.learned.clear();
    }

    /// Records `msg` as sent now and makes its first attempt.
    fn send(&mut self, mut msg: Msg<STAMPS>) {
        let id = self.msgs.len() as u32;
        msg.times.iter_mut().enumerate().for_each(|(i, t)| *t = if i == 0 { self.now } else { -1 });
        self.msgs.push(msg);
        self.out.messages += 1;

        self.attempt(id);
    }

    fn attempt(&mut self, id: u32) {
        let ch = &self.m.channels[self.msgs[id as usize].channel as usize];
        let rng = &mut self.channel_rng[self.msgs[id as usize].channel as usize];
        if ch.loss > 0.0 && rng.random_bool(ch.loss) {
            self.schedule(self.now + ch.retry_after, Ev::Retry { msg: id });
        } else {
            let latency = ch.latency.sample(rng);
            self.schedule(self.now + latency, Ev::Deliver { msg: id });
        }
    }

    fn try_start(&mut self, unit: u32) {
        let u = &self.m.units[unit as usize];
        while self.desks[unit as usize].busy < u.handlers {
            let Some((_, _, msg)) = self.desks[unit as usize].queue.pop() else { break };
            self.desks[unit as usize].busy += 1;
            self.stamp(msg, 2);
            let took = u.processing_time(self.msgs[msg as usize].kind).sample(&mut self.unit_rng[unit as usize]);
            self.schedule(self.now + took, Ev::Done { unit, msg });
        }
    }

    fn start_conference(&mut self, c: u32) {
        let conf = &self.m.conferences[c as usize];
        if self.session[c as usize].is_some() {
            return;
        }
        if let Some((every, _, _)) = conf.ordinary {
            self.schedule(self.now + every, Ev::ConfStart { conf: c });
        }
        if conf.participants.len() < 2 {
            return;
        }
        let union: Rc<[u32]> = if conf.shares_knowledge { self.union(&conf.participants).into() } else { Rc::from([]) };
        let trails = Self::DECOMPOSE.then(|| self.earliest_trails(&conf.participants, &union, c).into());
        let present = conf.participants.clone();
        self.session[c as usize] = Some(Session { start: self.now, present, union, trails });
        self.schedule(self.now + conf.duration, Ev::ConfEnd { conf: c });
    }

    /// Every fact some participant knows, in fact order: the bitwise or of their bitsets.
    fn union(&self, present: &[u32]) -> Vec<u32> {
        fn or(acc: &mut Vec<u64>, words: impl ExactSizeIterator<Item = u64>) {
            if acc.len() < words.len() {
                acc.resize(words.len(), 0);
            }
            acc.iter_mut().zip(words).for_each(|(a, w)| *a |= w);
        }
        let mut acc: Vec<u64> = Vec::new();
        for &p in present {
            match Self::DECOMPOSE {
                true => or(&mut acc, self.tables[p as usize].words()),
                false => or(&mut acc, self.known[p as usize].iter().copied()),
            }
        }
        let mut out = Vec::new();
        for (i, mut w) in acc.into_iter().enumerate() {
            while w != 0 {
                out.push(i as u32 * 64 + w.trailing_zeros());
                w &= w - 1;
            }
        }
        out
    }

    /// Per fact of `union`, the trail of its earliest knower among `present`: the lowest
    /// trail point (points are numbered in the order made). A fact of the conference's
    /// last session keeps the trail found then (the same units, knowledge is never lost,
    /// and who learned it since did so later); a new one is looked up at each present unit.
    fn earliest_trails(&self, present: &[u32], union: &[u32], c: u32) -> Vec<u32> {
        let (last, last_trails) = &self.last[c as usize];
        let mut j = 0;
        let mut first = Vec::with_capacity(union.len());
        for &fact in union {
            while j < last.len() && last[j] < fact {
                j += 1;
            }
            if j < last.len() && last[j] == fact {
                first.push(last_trails[j]);
                continue;
            }
            let known = present.iter().filter_map(|p| self.tables[*p as usize].trail(fact));
            first.push(known.min().unwrap_or(NONE));
        }
        first
    }

    fn end_conference(&mut self, c: u32) {
        let Some(session) = self.session[c as usize].take() else { return };
        self.out.sessions += 1;
        let meeting = self.meeting(session.start, self.now);
        let mut shared = vec![NONE; if Self::DECOMPOSE { session.union.len() } else { 0 }];
        for &p in &session.present {
            for (i, &f) in session.union.iter().enumerate() {
                if self.knows(p, f) {
                    continue;
                }
                let by = match (Self::DECOMPOSE, shared.get(i)) {
                    (true, Some(&NONE)) => {
                        By::New { from: session.trails.as_ref().map_or(NONE, |t| t[i]), step: Step::Meeting(meeting) }
                    }
                    (true, Some(&t)) => By::Shared(t),
                    _ => By::Untracked,
                };
                let t = self.learn_new(p, f, Via::Conference, c, NONE, by);
                if Self::DECOMPOSE {
                    shared[i] = t;
                }
            }
        }
        if let Some(trails) = &session.trails {
            self.last[c as usize] = (session.union.clone(), trails.clone());
        }
        let conf = &self.m.conferences[c as usize];
        if let Some(pic) = &conf.picture
            && !session.union.is_empty()
        {
            let compile = pic.compile.sample(&mut self.conf_rng[c as usize]);
            let meeting = self.meeting(session.start, self.now + compile);
            let d = &mut self.out.decomposition;
            let from = session.trails.as_deref().unwrap_or(&[]);
            let trails = from.iter().map(|&t| d.push_trail(t, Step::Meeting(meeting)));
            let picture = match Self::DECOMPOSE {
                true => Facts::new(true, session.union.iter().copied().zip(trails)),
                false => Facts::Plain(session.union),
            };
            self.pictures[c as usize].push_back(picture);
            self.schedule(self.now + compile, Ev::Picture { conf: c });
        }
    }

    /// A meeting from `start` to `end` (with `DECOMPOSE`; else `NONE`).
    fn meeting(&mut self, start: SimTime, end: SimTime) -> u32 {
        if !Self::DECOMPOSE {
            return NONE;
        }
        let meetings = &mut self.out.decomposition.meetings;
        meetings.push((start, end));
        meetings.len() as u32 - 1
    }

    fn publish(&mut self, c: u32) {
        let conf = &self.m.conferences[c as usize];
        let (Some(pic), Some(facts)) = (&conf.picture, self.pictures[c as usize].pop_front()) else { return };
        let severity = facts.iter().map(|f| self.severity[f as usize]).max().unwrap_or(1);
        for &to in &pic.to {
            let msg = Msg {
                kind: MessageKind::Picture,
                from: conf.convener,
                to,
                channel: pic.channel,
                facts: facts.clone(),
                severity,
                times: [0; STAMPS],
            };
            self.send(msg);
        }
    }
}

/// The gap to a stream's next occurrence, drawn as the engine draws it.
fn exp_gap(rate_per_hour: f64, rng: &mut ChaCha8Rng) -> SimTime {
    match Exp::new(rate_per_hour / HOUR as f64) {
        Ok(d) => d.sample(rng).round().min(1e12) as SimTime,
        Err(_) => SimTime::MAX / 4,
    }
}
