//! Trails (model.md §4): how each fact reached each unit, as a chain of steps (messages
//! handled, meetings), and the decomposition of its delay worked out from them.

use crate::sim::chunked::Chunked;
use crate::sim::*;
use crate::time::SimTime;
use std::sync::Arc;

// ---------------------------------------------------------------- knowledge

/// Where a fact's delay went, in ms (the parts add up to the time from its origin).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DelayParts {
    /// On the way: from sent to delivered.
    pub transit: SimTime,
    /// Waiting in the receiver's queue with someone on duty.
    pub queue: SimTime,
    /// Being handled, or in a meeting (a session, a picture's compilation).
    pub processing: SimTime,
    /// Waiting at the sender for the next report, meeting or direction.
    pub meeting_wait: SimTime,
    /// Waiting at the receiver for a duty officer or activation.
    pub activation_wait: SimTime,
}

impl DelayParts {
    /// The part `part`.
    pub fn get(&self, part: Part) -> SimTime {
        match part {
            Part::Transit => self.transit,
            Part::Queue => self.queue,
            Part::Processing => self.processing,
            Part::MeetingWait => self.meeting_wait,
            Part::ActivationWait => self.activation_wait,
        }
    }

    /// The parts in the order of [`Part`].
    pub fn iter(&self) -> impl Iterator<Item = &SimTime> {
        [&self.transit, &self.queue, &self.processing, &self.meeting_wait, &self.activation_wait].into_iter()
    }

    /// Every part through `f`, in the order of [`Part`].
    pub fn map<T>(&self, mut f: impl FnMut(SimTime) -> T) -> [T; 5] {
        Part::ALL.map(|p| f(self.get(p)))
    }
}

/// The parts of a delay, in the order of the files' columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Transit = 0,
    Queue = 1,
    Processing = 2,
    MeetingWait = 3,
    ActivationWait = 4,
}

impl Part {
    pub const ALL: [Part; 5] = [Part::Transit, Part::Queue, Part::Processing, Part::MeetingWait, Part::ActivationWait];
}

/// A point on a fact's way, kept as a link to the point before it: reached from trail
/// `from` by `step`, or, with no point before it, the fact's origin. Its time and delay
/// parts are worked out from the links when they are read (the time is that of its step:
/// the message handled, the meeting's end, the fact's origin; see
/// [`crate::sim::knowledge::trail::delay_parts`]): 8 bytes per point, where keeping the time and
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
) -> Vec<DelayParts> {
    let mut out: Vec<DelayParts> = Vec::with_capacity(trails.len());
    for &t in trails {
        let mut parts = match t.from {
            NONE => DelayParts::default(),
            from => out[from as usize],
        };
        let before = || trail_time(trails[t.from as usize], meetings, messages, facts);
        match t.kind() {
            StepKind::Origin(_) => {}
            StepKind::Message(m) => add_message_parts(&mut parts, &messages[m as usize], before()),
            StepKind::Meeting(k) => {
                let Meeting { start, end } = meetings[k as usize];
                parts.meeting_wait += start - before();
                parts.processing += end - start;
            }
        }
        out.push(parts);
    }
    out
}

/// The parts a handled message adds to a fact that was at its sender from `before`.
fn add_message_parts(parts: &mut DelayParts, m: &MessageRec, before: SimTime) {
    let (Some(delivered), Some(started), Some(done)) = (m.delivered, m.started, m.done) else { return };
    let activation_wait = m.activation_wait.clamp(0, started - delivered);
    parts.meeting_wait += m.sent - before;
    parts.transit += delivered - m.sent;
    parts.activation_wait += activation_wait;
    parts.queue += started - delivered - activation_wait;
    parts.processing += done - started;
}
