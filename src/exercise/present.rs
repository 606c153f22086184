//! The views of an exercise in progress: what the players of one organisation see, and
//! what exercise control sees ([`super::view`] holds their shapes).

use super::clock::label;
use super::session::Exercise;
use super::view::*;
use super::{ActError, ExerciseError};
use crate::model::{Action as InjectAction, Model};
use crate::sim::{ConferenceId, Engine, FactId, MessageId, UnitId};
use crate::time::minutes;
use crate::vocabulary::{InfraSystem, Level};

impl Exercise {
    /// The clock as every role sees it.
    pub fn clock_view(&self) -> ClockView {
        let now = self.engine.now();
        ClockView {
            now_min: minutes(now),
            now_clock: label(self.model.start, now, self.lang),
            end_min: minutes(self.engine.end()),
            paused: self.clock.paused(),
            speed: self.clock.speed(),
            ended: self.ended(),
        }
    }

    /// What the players of organisation `org` see; another organisation is refused.
    pub fn player_view(&mut self, org: &str) -> Result<PlayerView, ActError> {
        let model = &self.model;
        let o = model.orgs.iter().position(|x| x.id == org);
        let Some(o) = o.filter(|o| self.played.orgs().contains(&(*o as u32))) else {
            return Err(ActError::Forbidden(format!("{org} is not played in this exercise")));
        };
        let units: Vec<UnitId> = model.orgs[o].units.iter().map(|&u| UnitId::new(u)).collect();
        let in_session = self.engine.conferences_in_session();
        let conferences = model
            .conferences
            .iter()
            .enumerate()
            .filter(|(_, c)| units.iter().any(|u| c.convener == u.get() || c.participants.contains(&u.get())))
            .map(|(i, c)| ConferenceView {
                id: c.id.clone(),
                name: c.name.get(self.lang).to_string(),
                in_session: in_session.iter().any(|s| s.index() == i),
                picture: self
                    .engine
                    .last_picture(ConferenceId::new(i as u32))
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|f| fact_view(&self.engine, f))
                    .collect(),
            })
            .collect();
        let unit_views = units.iter().map(|&u| self.unit_view(u)).collect::<Result<_, _>>()?;
        Ok(PlayerView {
            org: model.orgs[o].id.clone(),
            org_name: model.orgs[o].name.get(self.lang).to_string(),
            clock: self.clock_view(),
            units: unit_views,
            conferences,
            requests: self.requests(|r| units.iter().any(|u| r.holders.contains(u))),
            incidents: self.engine.open_incidents(),
            resources: model.resource_types.clone(),
        })
    }

    fn unit_view(&self, u: UnitId) -> Result<UnitView, ExerciseError> {
        let (model, engine) = (&self.model, &self.engine);
        let unit = &model.units[u.index()];
        let inbox = engine.inbox(u)?.into_iter().filter_map(|m| self.message_view(m)).collect();
        let mut known: Vec<(i64, FactId)> =
            engine.known_by(u).into_iter().map(|f| (engine.known_since(u, f).unwrap_or(0), f)).collect();
        known.sort();
        let mut recipients = Vec::new();
        for l in unit.out_links.iter().map(|&l| &model.links[l as usize]) {
            let to = UnitId::new(l.to);
            let channels = engine.channel_works(u, to)?;
            recipients.push(RecipientView {
                unit: model.units[to.index()].id.clone(),
                name: model.units[to.index()].name.get(self.lang).to_string(),
                flow: l.flow.name().into(),
                channels: channels
                    .into_iter()
                    .map(|(c, works)| ChannelView { id: model.channels[c.index()].id.clone(), works })
                    .collect(),
            });
        }
        Ok(UnitView {
            id: unit.id.clone(),
            name: unit.name.get(self.lang).to_string(),
            level: unit.level.name().into(),
            inbox,
            known: known.into_iter().filter_map(|(_, f)| fact_view(engine, f)).collect(),
            recipients,
        })
    }

    fn message_view(&self, m: MessageId) -> Option<MessageView> {
        let (model, engine) = (&self.model, &self.engine);
        let info = engine.message(m)?;
        let from = info.from.map(|f| &model.units[f.index()]);
        let delivered = info.delivered.unwrap_or(info.sent);
        Some(MessageView {
            msg: m.get(),
            from: from.map_or(String::new(), |u| u.id.clone()),
            from_name: from.map_or_else(|| control_name(self.lang).into(), |u| u.name.get(self.lang).to_string()),
            kind: info.kind.name().into(),
            channel: info.channel.and_then(|c| model.channels.get(c.index())).map_or(String::new(), |c| c.id.clone()),
            sent_min: minutes(info.sent),
            delivered_min: minutes(delivered),
            delivered_clock: label(model.start, delivered, self.lang),
            facts: info.facts.iter().filter_map(|&f| fact_view(engine, f)).collect(),
        })
    }

    /// What exercise control sees.
    pub fn control_view(&mut self) -> Result<ControlView, ExerciseError> {
        let snap = self.engine.snapshot()?;
        let model = &self.model;
        let sizes = Level::ALL.map(|l| model.level_size(l) as u32);
        let spread = (0..self.engine.facts() as u32)
            .map(FactId::new)
            .filter_map(|f| self.engine.fact_text(f).map(|i| (f, i)))
            .filter(|(_, i)| is_key(model, &i.id))
            .map(|(f, i)| SpreadView {
                levels: std::array::from_fn(|l| {
                    let meant = if i.levels & (1 << l) != 0 { sizes[l] } else { 0 };
                    (snap.known_per_level[f.index()][l], meant)
                }),
                fact: FactView { id: i.id, text: i.text, severity: i.severity },
            })
            .collect();
        let queues = snap
            .queues
            .iter()
            .enumerate()
            .filter(|(_, q)| q.played || q.busy > 0 || !q.waiting.is_empty())
            .map(|(u, q)| QueueView {
                unit: model.units[u].id.clone(),
                name: model.units[u].name.get(self.lang).to_string(),
                waiting: q.waiting.len() as u32,
                busy: q.busy,
                played: q.played,
            })
            .collect();
        let pools = snap
            .resources
            .iter()
            .map(|((o, t), v)| PoolView {
                org: model.orgs.get(*o as usize).map_or(String::new(), |o| o.id.clone()),
                resource: model.resource_types.get(*t as usize).cloned().unwrap_or_default(),
                in_use: v[0],
                idle: v[1],
                in_transit: v[2],
                demanded: v[3],
                unmet: v[4],
            })
            .collect();
        let objectives = snap
            .objectives
            .iter()
            .map(|o| ObjectiveView { id: o.id.clone(), description: o.description.clone(), met: o.met, value: o.value })
            .collect();
        let mut infrastructure: Vec<String> = InfraSystem::ALL.iter().map(|s| s.name().to_string()).collect();
        infrastructure.extend(model.channels.iter().map(|c| c.id.clone()));
        Ok(ControlView {
            scenario: model.name.get(self.lang).to_string(),
            clock: self.clock_view(),
            played: self.played().to_vec(),
            upcoming: self.upcoming(),
            spread,
            in_session: snap
                .in_session
                .iter()
                .map(|c| model.conferences[c.index()].name.get(self.lang).to_string())
                .collect(),
            queues,
            pools,
            requests: self.requests(|_| true),
            objectives,
            units: model.units.iter().map(|u| u.id.clone()).collect(),
            areas: model.areas.iter().map(|a| a.id.clone()).collect(),
            infrastructure,
            log_rows: self.log_rows(),
        })
    }
}

/// Exercise control as a message's sender.
fn control_name(lang: crate::report::i18n::Lang) -> &'static str {
    match lang {
        crate::report::i18n::Lang::En => "Exercise control",
        crate::report::i18n::Lang::Sv => "Övningsledningen",
    }
}

impl Exercise {
    fn upcoming(&self) -> Vec<InjectView> {
        let model = &self.model;
        let at = |t: i64| (minutes(t), label(model.start, t, self.lang));
        self.engine
            .upcoming_injects()
            .into_iter()
            .map(|u| {
                let inj = &model.injects[u.inject.index()];
                let after = u.after.map(|(i, d)| format!("{} + {} min", model.injects[i.index()].id, minutes(d)));
                InjectView {
                    inject: inj.id.clone(),
                    id: u.id,
                    description: inj.description.get(self.lang).to_string(),
                    at_min: u.at.map(|t| at(t).0),
                    at_clock: u.at.map(|t| at(t).1),
                    after,
                }
            })
            .collect()
    }

    /// The requests `keep` selects.
    fn requests(&self, keep: impl Fn(&crate::sim::RequestView) -> bool) -> Vec<RequestView> {
        let unit = |u: UnitId| self.model.units.get(u.index()).map_or(String::new(), |u| u.id.clone());
        self.engine
            .requests()
            .into_iter()
            .filter(|r| keep(r))
            .map(|r| RequestView {
                id: r.request.get(),
                incident: r.incident,
                from: unit(r.from),
                holder: r.holders.last().map_or(String::new(), |&u| unit(u)),
                resource: r.kind,
                count: r.count,
                state: format!("{:?}", r.state).to_lowercase(),
                made_min: minutes(r.requested),
            })
            .collect()
    }
}

fn fact_view(engine: &Engine, f: FactId) -> Option<FactView> {
    engine.fact_text(f).map(|i| FactView { id: i.id, text: i.text, severity: i.severity })
}

/// The scenario's key facts: those its fact, message and incident injects make (not the
/// repetitions of a stream); exercise control's ad hoc facts are listed too.
fn is_key(model: &Model, id: &str) -> bool {
    if id.contains('@') || id.contains('#') {
        return false;
    }
    model.injects.iter().find(|i| i.id == id).is_none_or(|i| {
        i.stream.is_none()
            && matches!(
                i.action,
                InjectAction::Fact { .. } | InjectAction::Message { .. } | InjectAction::Incident { .. }
            )
    })
}
