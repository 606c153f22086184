//! What a person in an exercise reads: facts with their texts, a message as an inbox
//! shows it, and the requests for resources (for exercise control's page).

use crate::sim::*;
use crate::time::SimTime;
use crate::vocabulary::MessageKind;

/// A fact as a person reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactText {
    pub fact: FactId,
    /// The fact's id (an inject's occurrence id, an incident's name, or one given from outside).
    pub id: String,
    pub text: String,
    /// 1 (low) to 5 (high).
    pub severity: u8,
    /// The levels meant to know it (bit `1 << level index`).
    pub levels: u8,
    /// Where and when it came to be (`None`: exercise control).
    pub origin: Option<UnitId>,
    pub origin_time: SimTime,
}

/// A message as an inbox shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageView {
    pub message: MessageId,
    /// `None`: exercise control.
    pub from: Option<UnitId>,
    pub to: UnitId,
    pub kind: MessageKind,
    pub severity: u8,
    /// The channel of its last attempt (`None` while it has not gone out: stalled).
    pub channel: Option<ChannelId>,
    /// The facts it carries, in fact order.
    pub facts: Vec<FactId>,
    /// The request it carries, if it is a request for resources.
    pub request: Option<RequestId>,
    pub sent: SimTime,
    pub delivered: Option<SimTime>,
    /// When its handling started and ended (for a played unit: when it was marked handled).
    pub started: Option<SimTime>,
    pub done: Option<SimTime>,
}

/// Where a request for resources stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestState {
    /// Open: no decision yet (the model keeps a request open until some resource is found).
    Waiting,
    /// Decided with resources lent, none arrived yet.
    Decided,
    /// Some lent resources have arrived.
    Arrived,
    /// Closed with nothing lent: when it was decided nothing was uncovered any more.
    Unneeded,
}

/// A request for resources as exercise control sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestView {
    pub request: RequestId,
    /// The incident's name.
    pub incident: String,
    /// The unit that asked (the incident's responsible unit, or a played unit that asked).
    pub from: UnitId,
    /// Units that hold it (it reached them), the asker first.
    pub holders: Vec<UnitId>,
    /// The resource type's name.
    pub kind: String,
    pub count: u32,
    pub state: RequestState,
    pub requested: SimTime,
    pub decided: Option<SimTime>,
    /// When the last of its resources to arrive so far arrived.
    pub arrived: Option<SimTime>,
    /// Organisations that lent (their ids).
    pub lenders: Vec<String>,
    /// What the decision left unmet (asked for again in a new request).
    pub unmet: u32,
}

impl Engine {
    /// Every fact of the run so far (index = fact) with what a person reads of it.
    pub fn fact_texts(&self) -> Vec<FactText> {
        let facts = &self.shared().knowledge.facts.facts;
        facts.iter().enumerate().map(|(i, f)| fact_text(FactId::new(i as u32), f)).collect()
    }

    /// One fact with what a person reads of it.
    pub fn fact_text(&self, fact: FactId) -> Option<FactText> {
        self.shared().knowledge.facts.facts.get(fact.index()).map(|f| fact_text(fact, f))
    }

    /// A message of the run so far, as an inbox shows it.
    pub fn message(&self, msg: MessageId) -> Option<MessageView> {
        let book = &self.shared().book.messages;
        if msg.index() >= book.len() {
            return None;
        }
        let m = &book[msg.index()];
        Some(MessageView {
            message: msg,
            from: (m.from != NONE).then_some(UnitId::new(m.from)),
            to: UnitId::new(m.to),
            kind: m.kind,
            severity: m.severity,
            channel: (m.channel != NONE).then_some(ChannelId::new(m.channel)),
            facts: m.facts.iter().map(|c| FactId::new(c.fact)).collect(),
            request: match m.payload {
                Payload::Request(r) => Some(RequestId::new(r)),
                _ => None,
            },
            sent: m.sent,
            delivered: m.delivered,
            started: m.started,
            done: m.done,
        })
    }

    /// Every request for resources of the run so far, in the order they were made.
    pub fn requests(&self) -> Vec<RequestView> {
        let model = &self.shared().setup.model;
        let book = self.world.resource::<ResourceBook>();
        book.requests
            .iter()
            .enumerate()
            .map(|(r, q)| RequestView {
                request: RequestId::new(r as u32),
                incident: book.incidents[q.incident as usize].name.clone(),
                from: UnitId::new(q.holders.first().copied().unwrap_or(NONE)),
                holders: q.holders.iter().map(|&u| UnitId::new(u)).collect(),
                kind: model.resource_types[q.kind as usize].clone(),
                count: q.quantity,
                state: match (q.open, q.arrived, q.lenders.is_empty()) {
                    (true, ..) => RequestState::Waiting,
                    (false, Some(_), _) => RequestState::Arrived,
                    (false, None, true) => RequestState::Unneeded,
                    (false, None, false) => RequestState::Decided,
                },
                requested: q.requested,
                decided: q.decided,
                arrived: q.arrived,
                lenders: q.lenders.iter().map(|&o| model.orgs[o as usize].id.clone()).collect(),
                unmet: q.unmet,
            })
            .collect()
    }
}

fn fact_text(fact: FactId, f: &Fact) -> FactText {
    FactText {
        fact,
        id: f.id.clone(),
        text: f.text.clone(),
        severity: f.severity,
        levels: f.levels,
        origin: (f.origin_unit != NONE).then_some(UnitId::new(f.origin_unit)),
        origin_time: f.origin_time,
    }
}
