//! Facts and who knows them (model.md §4): learning with the delay decomposition,
//! passing facts on along report and information links (at once or in the next
//! periodic report), and activation by severity.

use super::agenda::Event;
use super::chunked::Chunked;
use super::post::{Core, Outgoing};
use super::state::*;
use crate::scenario::spec::{Flow, Via};
use crate::time::SimTime;
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;

/// The trail a learning gets: the fact's origin, a new point reached from trail `from`
/// by `step`, or one already in the log (the same fact learned by several units at one
/// conference shares one trail).
#[derive(Clone, Copy, Debug)]
pub enum TrailOf {
    Origin,
    New { from: u32, step: Step },
    Shared(u32),
}

impl Knowledge {
    /// Records that `unit` knows `fact` at `now` (unless it already did). Returns the
    /// trail it now has if the fact is new to it.
    #[allow(clippy::too_many_arguments)]
    pub fn learn(
        &mut self,
        setup: &Setup,
        unit: u32,
        fact: u32,
        now: SimTime,
        via: Via,
        trail: TrailOf,
        source: u32,
        from_unit: u32,
    ) -> Option<u32> {
        let known = &mut self.known[unit as usize];
        if known.knows(fact) {
            return None;
        }
        let log = &mut self.log;
        // The knowledge guard: one step (a conference end) can add units × facts records,
        // so the limit holds here; the run stops at the next guard check.
        if log.records.len() as u64 >= setup.model.guard.max_known {
            log.over_limit = true;
            return None;
        }
        let trail = match trail {
            TrailOf::Origin => log.origin(fact),
            TrailOf::New { from, step } => log.trail(from, step),
            TrailOf::Shared(t) => t,
        };
        log.records.push(KnownRecord { fact, unit, via, trail });
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
) {
    let (mut core, k) = shared.core_and_knowledge();
    forward_learned(&mut core, &k.learned, &k.known, &k.log, &k.facts, &mut outboxes);
    activate_on_learning(core.setup, &k.learned, &k.facts, core.pending);
    super::public::prepare_public_messages(&mut core, &k.learned, &k.facts, &mut desks, &mut public);
    k.learned.clear();
}

/// Passes newly learned facts on along report and information links, bundling the facts
/// a unit learned from one source into one message per link.
fn forward_learned(
    core: &mut Core,
    list: &[Learnt],
    known: &[Known],
    log: &KnowledgeLog,
    facts: &FactBook,
    outboxes: &mut Query<&mut Outbox>,
) {
    let model = core.model();
    let mut i = 0;
    while i < list.len() {
        let head = list[i];
        let mut j = i;
        while j < list.len() && (list[j].unit, list[j].source, list[j].via) == (head.unit, head.source, head.via) {
            j += 1;
        }
        let group = &list[i..j];
        i = j;
        let u = &model.units[head.unit as usize];
        if !u.forwards(head.via) {
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
                queue_for_report(core, outboxes, head.unit, l, carried);
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

fn queue_for_report(core: &mut Core, outboxes: &mut Query<&mut Outbox>, unit: u32, link: u32, carried: Vec<Carried>) {
    let Ok(mut outbox) = outboxes.get_mut(core.setup.unit_entities[unit as usize]) else { return };
    outbox.items.extend(carried.into_iter().map(|c| (link, c)));
    if outbox.tick_pending {
        return;
    }
    let Some((every, offset)) = core.setup.model.units[unit as usize].report_every else { return };
    let now = core.now();
    let k = (now - offset + every - 1).div_euclid(every);
    outbox.tick_pending = true;
    core.schedule(offset + k * every, Event::ReportTick { unit });
}

/// Handles `ReportTick`: the periodic situation report goes out, one message per link.
pub fn send_reports(InRef(events): InRef<[Event]>, mut shared: ResMut<Shared>, mut outboxes: Query<&mut Outbox>) {
    let (mut core, knowledge) = shared.core_and_knowledge();
    let facts = &knowledge.facts;
    let model = core.model();
    for e in events {
        let Event::ReportTick { unit } = *e else { continue };
        let Ok(mut outbox) = outboxes.get_mut(core.setup.unit_entities[unit as usize]) else { continue };
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

/// When a trail point was reached: its fact's origin, the end of the handling of its
/// message, the end of its meeting.
pub fn trail_time(t: Trail, meetings: &[Meeting], messages: &Chunked<MessageRec>, facts: &[Fact]) -> SimTime {
    match t.kind() {
        StepKind::Origin(f) => facts[f as usize].origin_time,
        StepKind::Message(m) => messages[m as usize].done.expect("a message handled"),
        StepKind::Meeting(k) => meetings[k as usize].end,
    }
}

/// The delay parts of every trail point (index = trail), worked out from the links in
/// one pass: a point's parts are those of the point it came from plus its step's.
/// - a message handled: waiting from the point before until the message was sent
///   (meeting wait: the next report or a conference's direction), transit, waiting for
///   someone on duty (activation wait), queue, processing;
/// - a meeting: waiting for it to begin (meeting wait), then the meeting itself until
///   its end (processing: the session, and a picture's compilation).
///
/// The parts of a point add up to its time less its fact's origin.
pub fn delay_parts(
    trails: &[Trail],
    meetings: &[Meeting],
    messages: &Chunked<MessageRec>,
    facts: &[Fact],
) -> Vec<Parts> {
    let mut out: Vec<Parts> = Vec::with_capacity(trails.len());
    for &t in trails {
        let mut parts = match t.from {
            NONE => [0; 5],
            from => out[from as usize],
        };
        let before = || trail_time(trails[t.from as usize], meetings, messages, facts);
        match t.kind() {
            StepKind::Origin(_) => {}
            StepKind::Message(m) => add_message_parts(&mut parts, &messages[m as usize], before()),
            StepKind::Meeting(k) => {
                let Meeting { start, end } = meetings[k as usize];
                parts[Part::MeetingWait as usize] += start - before();
                parts[Part::Processing as usize] += end - start;
            }
        }
        out.push(parts);
    }
    out
}

/// The parts a handled message adds to a fact that was at its sender from `before`.
fn add_message_parts(parts: &mut Parts, m: &MessageRec, before: SimTime) {
    let (Some(delivered), Some(started), Some(done)) = (m.delivered, m.started, m.done) else { return };
    let activation_wait = m.activation_wait.clamp(0, started - delivered);
    parts[Part::MeetingWait as usize] += m.sent - before;
    parts[Part::Transit as usize] += delivered - m.sent;
    parts[Part::ActivationWait as usize] += activation_wait;
    parts[Part::Queue as usize] += started - delivered - activation_wait;
    parts[Part::Processing as usize] += done - started;
}
