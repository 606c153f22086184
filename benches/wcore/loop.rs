//! A minimal hand-written discrete-event loop of the W-core workload (issue 20), as a
//! planner would write it: one binary heap of events, units as multi-server queues,
//! knowledge as one bitset per unit, no delay decomposition, no general model. It is
//! the yardstick for the engine's batch path (`cargo bench --bench perf -- --only wcore`)
//! and, with the SimPy model `benches/peers/wcore.py`, the second opinion the test
//! `tests/integration/wcore.rs` holds the engine's mean delays against.
//!
//! W-core (the text): 40 organisations, each with an executive unit (2 handlers,
//! exponential processing, mean 4 min) and a coordinating unit (1 handler, mean 6 min);
//! one regional coordination unit (3 handlers, mean 3 min); one strategic unit (2
//! handlers, mean 5 min). Facts arrive as a Poisson stream of 1 per hour at each
//! executive unit, severity uniform 1–5, and are processed there before they are known.
//! An executive unit reports every fact to its own coordinating unit and to the regional
//! unit; coordinating units and the regional unit report severity-5 facts to the
//! strategic unit; one channel, exponential latency mean 2 min. A conference of all
//! coordinating units and the regional unit every 240 min (first at 240), 30 min long: at
//! its end every participant knows what any participant knew at its start; facts learned
//! there are not forwarded. 72 hours.
//!
//! As the engine: a unit's queue is served highest severity first, then first come; a
//! message that brings nothing new still takes a handler; a unit forwards a fact only when
//! it learns it from a message. Draws come from one ChaCha8 stream per run (not the
//! engine's streams), so the two agree in distribution, not run by run.

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Organisations (each an executive and a coordinating unit).
pub const ORGS: usize = 40;
/// Minutes simulated.
const END: f64 = 72.0 * 60.0;
const CONFERENCE_EVERY: f64 = 240.0;
const CONFERENCE_LENGTH: f64 = 30.0;
const LATENCY_MEAN: f64 = 2.0;
const FACTS_PER_MINUTE: f64 = 1.0 / 60.0;
/// Unit numbers: executive `0..ORGS`, coordinating `ORGS..2*ORGS`, then these two.
const REGIONAL: usize = 2 * ORGS;
const STRATEGIC: usize = 2 * ORGS + 1;
const UNITS: usize = 2 * ORGS + 2;

/// What one run found: counts and, per level (executive, coordinating, strategic), the
/// learnings other than at the origin and the sum of their delays (minutes).
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub facts: u64,
    pub messages: u64,
    pub events: u64,
    pub learnings: [u64; 3],
    pub delay_sum: [f64; 3],
}

impl Outcome {
    /// Mean delay (minutes) of the learnings of a level, NaN if there were none.
    pub fn mean_delay(&self, level: usize) -> f64 {
        self.delay_sum[level] / self.learnings[level] as f64
    }
}

#[derive(Clone, Copy)]
enum Ev {
    /// A fact arrives at its executive unit (as a message to be processed there).
    Arrive {
        fact: u32,
    },
    Deliver {
        msg: u32,
    },
    Done {
        unit: u32,
        msg: u32,
    },
    ConfStart,
    ConfEnd,
}

struct Msg {
    to: u32,
    fact: u32,
}

struct Unit {
    handlers: u32,
    busy: u32,
    mean: f64,
    /// Waiting messages: highest severity, then first come.
    queue: BinaryHeap<(u8, Reverse<u64>, u32)>,
    known: Vec<u64>,
}

fn level(unit: usize) -> usize {
    match unit {
        u if u < ORGS => 0,
        STRATEGIC => 2,
        _ => 1,
    }
}

struct Sim {
    rng: ChaCha8Rng,
    now: f64,
    seq: u64,
    heap: BinaryHeap<(Reverse<Time>, Reverse<u64>, usize)>,
    events: Vec<Ev>,
    units: Vec<Unit>,
    msgs: Vec<Msg>,
    /// Per fact: origin time, executive unit, severity.
    facts: Vec<(f64, u32, u8)>,
    /// The union taken at the conference's start.
    union: Vec<u64>,
    out: Outcome,
}

/// A time as a totally ordered key (minutes, never NaN).
#[derive(Clone, Copy)]
struct Time(f64);
impl PartialEq for Time {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o).is_eq()
    }
}
impl Eq for Time {}
impl PartialOrd for Time {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Time {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

fn exp(rng: &mut impl Rng, mean: f64) -> f64 {
    Exp::new(1.0 / mean).expect("positive mean").sample(rng)
}

impl Sim {
    fn new(seed: u64) -> Sim {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // The facts up front: a Poisson stream per executive unit.
        let mut facts = Vec::new();
        for e in 0..ORGS as u32 {
            let mut t = exp(&mut rng, 1.0 / FACTS_PER_MINUTE);
            while t < END {
                facts.push((t, e, rng.random_range(1..=5u8)));
                t += exp(&mut rng, 1.0 / FACTS_PER_MINUTE);
            }
        }
        facts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let words = facts.len().div_ceil(64);
        let unit = |handlers, mean| Unit { handlers, busy: 0, mean, queue: BinaryHeap::new(), known: vec![0; words] };
        let mut units: Vec<Unit> = (0..ORGS).map(|_| unit(2, 4.0)).collect();
        units.extend((0..ORGS).map(|_| unit(1, 6.0)));
        units.push(unit(3, 3.0));
        units.push(unit(2, 5.0));
        let mut sim = Sim {
            rng,
            now: 0.0,
            seq: 0,
            heap: BinaryHeap::new(),
            events: Vec::new(),
            units,
            msgs: Vec::new(),
            out: Outcome { facts: facts.len() as u64, ..Outcome::default() },
            facts,
            union: vec![0; words],
        };
        for f in 0..sim.facts.len() {
            sim.at(sim.facts[f].0, Ev::Arrive { fact: f as u32 });
        }
        sim.at(CONFERENCE_EVERY, Ev::ConfStart);
        sim
    }

    fn at(&mut self, t: f64, ev: Ev) {
        if t < END {
            self.seq += 1;
            self.heap.push((Reverse(Time(t)), Reverse(self.seq), self.events.len()));
            self.events.push(ev);
        }
    }

    /// A message to `to` about `fact`: after the channel's latency (0 from exercise control).
    fn send(&mut self, to: usize, fact: u32, latency: f64) {
        let msg = self.msgs.len() as u32;
        self.msgs.push(Msg { to: to as u32, fact });
        if latency > 0.0 {
            self.out.messages += 1;
        }
        self.at(self.now + latency, Ev::Deliver { msg });
    }

    fn start_next(&mut self, unit: usize) {
        let u = &mut self.units[unit];
        if u.busy < u.handlers
            && let Some((_, _, msg)) = u.queue.pop()
        {
            u.busy += 1;
            let mean = u.mean;
            let d = exp(&mut self.rng, mean);
            self.at(self.now + d, Ev::Done { unit: unit as u32, msg });
        }
    }

    /// `unit` learns `fact` now, if new; returns whether it was.
    fn learn(&mut self, unit: usize, fact: u32) -> bool {
        let (w, b) = (fact as usize / 64, 1u64 << (fact % 64));
        let known = &mut self.units[unit].known[w];
        if *known & b != 0 {
            return false;
        }
        *known |= b;
        let l = level(unit);
        self.out.learnings[l] += 1;
        self.out.delay_sum[l] += self.now - self.facts[fact as usize].0;
        true
    }

    fn done(&mut self, unit: usize, msg: u32) {
        self.units[unit].busy -= 1;
        let fact = self.msgs[msg as usize].fact;
        if self.learn(unit, fact) {
            let severity = self.facts[fact as usize].2;
            if unit < ORGS {
                let l = exp(&mut self.rng, LATENCY_MEAN);
                self.send(ORGS + unit, fact, l);
                let l = exp(&mut self.rng, LATENCY_MEAN);
                self.send(REGIONAL, fact, l);
            } else if unit != STRATEGIC && severity == 5 {
                let l = exp(&mut self.rng, LATENCY_MEAN);
                self.send(STRATEGIC, fact, l);
            }
        }
        self.start_next(unit);
    }

    fn conference_start(&mut self) {
        self.union.iter_mut().for_each(|w| *w = 0);
        for u in ORGS..=REGIONAL {
            self.union.iter_mut().zip(&self.units[u].known).for_each(|(a, b)| *a |= b);
        }
        self.at(self.now + CONFERENCE_LENGTH, Ev::ConfEnd);
        self.at(self.now + CONFERENCE_EVERY, Ev::ConfStart);
    }

    fn conference_end(&mut self) {
        for u in ORGS..=REGIONAL {
            for w in 0..self.union.len() {
                let mut new = self.union[w] & !self.units[u].known[w];
                while new != 0 {
                    let fact = (w * 64) as u32 + new.trailing_zeros();
                    new &= new - 1;
                    self.learn(u, fact);
                }
            }
        }
    }

    fn run(mut self) -> Outcome {
        while let Some((Reverse(Time(t)), _, i)) = self.heap.pop() {
            self.now = t;
            self.out.events += 1;
            match self.events[i] {
                Ev::Arrive { fact } => {
                    let exec = self.facts[fact as usize].1 as usize;
                    self.send(exec, fact, 0.0);
                }
                Ev::Deliver { msg } => {
                    let m = &self.msgs[msg as usize];
                    let (to, severity) = (m.to as usize, self.facts[m.fact as usize].2);
                    self.seq += 1;
                    self.units[to].queue.push((severity, Reverse(self.seq), msg));
                    self.start_next(to);
                }
                Ev::Done { unit, msg } => self.done(unit as usize, msg),
                Ev::ConfStart => self.conference_start(),
                Ev::ConfEnd => self.conference_end(),
            }
        }
        self.out
    }
}

/// One run of W-core with this seed.
pub fn run(seed: u64) -> Outcome {
    debug_assert_eq!(UNITS, 82);
    Sim::new(seed).run()
}
