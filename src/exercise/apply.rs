//! Actions checked against the role and carried out on the engine. The same code runs
//! live and in a replay, so a replay reproduces the simulated side exactly.

use super::{ActError, Action, Role};
use crate::model::{InfraTarget, Model};
use crate::sim::{ChannelId, Engine, ExternalMessage, FactId, InjectId, MessageId, SimError, UnitId};
use crate::time::{MINUTE, SimTime, fmt_minutes};
use crate::vocabulary::{InfraState, InfraSystem, MessageKind};

/// The organisations people play and their units.
#[derive(Clone, Debug)]
pub struct Played {
    orgs: Vec<u32>,
    units: Vec<UnitId>,
}

impl Played {
    /// Resolves organisation ids; an unknown one is refused with the list of ids.
    pub fn resolve(model: &Model, ids: &[String]) -> Result<Played, String> {
        let mut orgs = Vec::new();
        for id in ids {
            let Some(o) = model.orgs.iter().position(|o| o.id == *id) else {
                let known: Vec<&str> = model.orgs.iter().map(|o| o.id.as_str()).collect();
                return Err(format!(
                    "--play {id}: no organisation has this id; the scenario's are: {}",
                    known.join(", ")
                ));
            };
            if orgs.contains(&(o as u32)) {
                return Err(format!("--play {id}: named twice"));
            }
            orgs.push(o as u32);
        }
        if orgs.is_empty() {
            return Err("--play: name at least one organisation".into());
        }
        let units = orgs.iter().flat_map(|&o| model.orgs[o as usize].units.iter().map(|&u| UnitId::new(u))).collect();
        Ok(Played { orgs, units })
    }

    /// Every played unit.
    pub fn units(&self) -> &[UnitId] {
        &self.units
    }

    /// The played organisations (model indices).
    pub fn orgs(&self) -> &[u32] {
        &self.orgs
    }

    /// Whether `unit` is played.
    pub fn plays(&self, unit: UnitId) -> bool {
        self.units.contains(&unit)
    }
}

/// Whether `role` may do `action`: control only steers; a player acts only for the
/// units of its own organisation, which must be played.
pub fn authorise(model: &Model, played: &Played, role: &Role, action: &Action) -> Result<(), ActError> {
    match role {
        Role::Control if action.is_control() => Ok(()),
        Role::Control => Err(ActError::Forbidden("exercise control does not act for a played unit".into())),
        Role::Player(_) if action.is_control() => Err(ActError::Forbidden("only exercise control may do this".into())),
        Role::Player(org) => {
            let o = model.orgs.iter().position(|x| x.id == *org);
            let Some(o) = o.filter(|o| played.orgs.contains(&(*o as u32))) else {
                return Err(ActError::Forbidden(format!("{org} is not played in this exercise")));
            };
            let unit = action.unit().unwrap_or("");
            match model.unit_index(unit) {
                Some(u) if model.units[u as usize].org == o as u32 => Ok(()),
                Some(_) => Err(ActError::Forbidden(format!("{unit} is not a unit of {org}"))),
                None => Err(ActError::Refused(format!("no unit has the id `{unit}`"))),
            }
        }
    }
}

/// What an action did, for the log: a note, and the observations it makes (a player's
/// `handled` and `sent` rows, one per fact).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub note: String,
    /// (event, fact id, the other unit: `from` for handled, `to` for sent).
    pub rows: Vec<(&'static str, String, String)>,
}

impl From<String> for Outcome {
    fn from(note: String) -> Outcome {
        Outcome { note, rows: Vec::new() }
    }
}

/// Carries out an action that changes the simulated side (not a clock action) at the
/// engine's current time.
pub fn carry_out(engine: &mut Engine, model: &Model, action: &Action) -> Result<Outcome, ActError> {
    match action {
        Action::Handled { unit, msg } => {
            let m = MessageId::new(*msg);
            engine.handled(unit_id(model, unit)?, m).map_err(refused)?;
            let info = engine.message(m).ok_or_else(|| ActError::Refused(format!("no message {msg}")))?;
            let from = info.from.map_or(String::new(), |f| model.units[f.index()].id.clone());
            let rows = fact_names(engine, &info.facts).into_iter().map(|f| ("handled", f, from.clone())).collect();
            Ok(Outcome { note: format!("handled message {msg}"), rows })
        }
        Action::Send { unit, to, facts, text, severity, channel } => {
            let from = unit_id(model, unit)?;
            let to_id = unit_id(model, to)?;
            let facts = fact_ids(engine, facts)?;
            let new_fact =
                text.as_ref().filter(|t| !t.trim().is_empty()).map(|t| (new_fact_id(engine, unit), t.clone()));
            if facts.is_empty() && new_fact.is_none() {
                return Err(ActError::Refused("a message carries at least one fact or a text".into()));
            }
            let severity = severity.unwrap_or_else(|| highest(engine, &facts)).clamp(1, 5);
            let kind = kind_between(model, from, to_id);
            let channel = channel.as_deref().filter(|c| !c.is_empty()).map(|c| channel_id(model, c)).transpose()?;
            let msg = ExternalMessage { from: Some(from), to: to_id, kind, severity, new_fact, facts, channel };
            let (_, m) = engine.send(msg).map_err(refused)?;
            let carried = engine.message(m).map(|i| i.facts).unwrap_or_default();
            let rows = fact_names(engine, &carried).into_iter().map(|f| ("sent", f, to.clone())).collect();
            Ok(Outcome { note: format!("sent message {} to {to}", m.get()), rows })
        }
        Action::Fact { unit, id, text, severity } => {
            let u = unit_id(model, unit)?;
            engine.observe(u, id.clone(), text.clone(), (*severity).clamp(1, 5)).map_err(refused)?;
            Ok(format!("ad hoc fact {id} at {unit}").into())
        }
        Action::Message { to, id, text, severity } => {
            let to_id = unit_id(model, to)?;
            let msg = ExternalMessage {
                from: None,
                to: to_id,
                kind: MessageKind::Information,
                severity: (*severity).clamp(1, 5),
                new_fact: Some((id.clone(), text.clone())),
                facts: Vec::new(),
                channel: None,
            };
            engine.send(msg).map_err(refused)?;
            Ok(format!("ad hoc message {id} to {to}").into())
        }
        Action::Request { unit, incident, resource, count } => {
            let r = engine.request_resources(unit_id(model, unit)?, incident, resource, *count).map_err(refused)?;
            Ok(format!("request {} for {count} {resource} at {incident}", r.get()).into())
        }
        Action::FireNow { inject } => {
            engine.fire_now(inject_id(model, inject)?).map_err(refused)?;
            Ok(format!("inject {inject} fired now").into())
        }
        Action::Delay { inject, minutes } => {
            if !(minutes.is_finite() && *minutes > 0.0 && *minutes <= 1e6) {
                return Err(ActError::Refused(format!("delay {minutes} min: give a positive number of minutes")));
            }
            let by = (minutes * MINUTE as f64).round() as SimTime;
            engine.delay_inject(inject_id(model, inject)?, by).map_err(refused)?;
            Ok(format!("inject {inject} delayed {minutes} min").into())
        }
        Action::Skip { inject } => {
            engine.skip_inject(inject_id(model, inject)?).map_err(refused)?;
            Ok(format!("inject {inject} skipped").into())
        }
        Action::Infra { areas, target, state, loss } => {
            let (t, st) = (infra_target(model, target)?, infra_state(state)?);
            engine.set_infrastructure(areas.clone(), t, st, loss.unwrap_or(0.0)).map_err(refused)?;
            let place = areas.as_ref().map_or("everywhere".to_string(), |a| a.join(", "));
            Ok(format!("{target} {state} ({place})").into())
        }
        Action::Pause | Action::Resume | Action::Speed { .. } | Action::Jump { .. } => Ok(Outcome::default()),
    }
}

fn inject_id(model: &Model, id: &str) -> Result<InjectId, ActError> {
    let i = model.injects.iter().position(|i| i.id == id);
    i.map(|i| InjectId::new(i as u32)).ok_or_else(|| ActError::Refused(format!("no inject has the id `{id}`")))
}

fn channel_id(model: &Model, id: &str) -> Result<ChannelId, ActError> {
    let c = model.channels.iter().position(|c| c.id == id);
    c.map(|c| ChannelId::new(c as u32)).ok_or_else(|| ActError::Refused(format!("no channel has the id `{id}`")))
}

/// A system (`power`, `mobile`, `internet`, `fixed`, `rakel`) or a channel by its id.
fn infra_target(model: &Model, name: &str) -> Result<InfraTarget, ActError> {
    if let Some(s) = InfraSystem::ALL.iter().find(|s| s.name() == name) {
        return Ok(InfraTarget::System(*s));
    }
    let systems: Vec<&str> = InfraSystem::ALL.iter().map(|s| s.name()).collect();
    channel_id(model, name).map(|c| InfraTarget::Channel(c.get())).map_err(|_| {
        ActError::Refused(format!(
            "`{name}` is neither a system ({}) nor a channel of the scenario",
            systems.join(", ")
        ))
    })
}

fn infra_state(name: &str) -> Result<InfraState, ActError> {
    match name {
        "down" => Ok(InfraState::Down),
        "up" => Ok(InfraState::Up),
        "overloaded" => Ok(InfraState::Overloaded),
        _ => Err(ActError::Refused(format!("state `{name}`: write down, up or overloaded"))),
    }
}

fn refused(e: SimError) -> ActError {
    match e {
        SimError::Refused(what) => ActError::Refused(what),
        other => ActError::Broken(other.into()),
    }
}

fn unit_id(model: &Model, id: &str) -> Result<UnitId, ActError> {
    model.unit_index(id).map(UnitId::new).ok_or_else(|| ActError::Refused(format!("no unit has the id `{id}`")))
}

fn fact_ids(engine: &Engine, ids: &[String]) -> Result<Vec<FactId>, ActError> {
    ids.iter().map(|id| engine.fact_by_id(id).ok_or_else(|| ActError::Refused(format!("no fact `{id}`")))).collect()
}

fn fact_names(engine: &Engine, facts: &[FactId]) -> Vec<String> {
    facts.iter().filter_map(|f| engine.fact_text(*f)).map(|i| i.id).collect()
}

fn highest(engine: &Engine, facts: &[FactId]) -> u8 {
    facts.iter().filter_map(|f| engine.fact_text(*f)).map(|f| f.severity).max().unwrap_or(1)
}

/// The id of a fact a player writes: the unit and the simulated minute (`sos.lc@12.5`),
/// with `-2`, `-3`, … when taken. It depends only on the run so far, so a replay makes
/// the same ids.
fn new_fact_id(engine: &Engine, unit: &str) -> String {
    let base = format!("{unit}@{}", fmt_minutes(engine.now()));
    let taken = |id: &str| engine.fact_by_id(id).is_some();
    (1..).map(|k| if k == 1 { base.clone() } else { format!("{base}-{k}") }).find(|id| !taken(id)).unwrap_or(base)
}

/// The kind of message a link from `from` to `to` carries (a report up, information
/// across); information when they have no link.
fn kind_between(model: &Model, from: UnitId, to: UnitId) -> MessageKind {
    model.units[from.index()]
        .out_links
        .iter()
        .map(|&l| &model.links[l as usize])
        .find(|l| l.to == to.get())
        .map_or(MessageKind::Information, |l| l.flow.message_kind())
}
