//! Exercise control steering a run in progress: the injects still to come, firing one
//! now, delaying or skipping it; infrastructure changed now; and resources requested by
//! a unit played by a person. Everything happens at the current time ([`Engine::now`]).
//!
//! Injects are moved and dropped through their due occurrence
//! ([`crate::sim::InjectRuntime::due`]): the agenda entry of a moved or skipped
//! occurrence stays on the agenda and is ignored when its time comes (it is still folded
//! into the fingerprint; a run that nobody steers has none).

use crate::model::{InfraTarget, InjectTime};
use crate::sim::injects::{self, Standing};
use crate::sim::*;
use crate::time::SimTime;
use crate::vocabulary::InfraState;

/// An inject occurrence still to come, as exercise control sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upcoming {
    pub inject: InjectId,
    /// The repetition (0 for an inject that is not a stream; a stream's next one).
    pub rep: u32,
    /// The occurrence's id ([`crate::sim::injects::occurrence_id`]): the inject's id, or
    /// `id#k` for a stream's k-th occurrence.
    pub id: String,
    /// When it is due, if it is scheduled.
    pub at: Option<SimTime>,
    /// When it is not started yet: the inject it waits for and the delay after that
    /// one's first occurrence (before jitter).
    pub after: Option<(InjectId, SimTime)>,
}

impl Engine {
    fn inject_index(&self, inject: InjectId) -> Result<u32, SimError> {
        let n = self.shared().setup.model.injects.len();
        (inject.index() < n).then_some(inject.get()).ok_or_else(|| SimError::Refused(format!("no {inject}")))
    }

    /// Every inject occurrence still to come that is known now: the scheduled ones (a
    /// stream's next occurrence only) by due time (then model order), then those that
    /// wait for another inject and will start when it happens, in model order. Skipped
    /// injects, and injects that wait for a skipped one, are not listed.
    pub fn upcoming_injects(&self) -> Vec<Upcoming> {
        let model = &self.shared().setup.model;
        let runtime = self.world.resource::<InjectRuntime>();
        let mut due = Vec::new();
        let mut waiting = Vec::new();
        for (i, inj) in model.injects.iter().enumerate() {
            let i = i as u32;
            match (injects::standing(runtime, i), &inj.time) {
                (Standing::Due(rep, at), _) => due.push((at, i, rep)),
                (Standing::NotStarted, InjectTime::After { inject, delay })
                    if injects::will_start(model, runtime, i) =>
                {
                    waiting.push(Upcoming {
                        inject: InjectId::new(i),
                        rep: 0,
                        id: injects::occurrence_id(model, i, 0),
                        at: None,
                        after: Some((InjectId::new(*inject), *delay)),
                    })
                }
                _ => {}
            }
        }
        due.sort_unstable();
        let due = due.into_iter().map(|(at, i, rep)| Upcoming {
            inject: InjectId::new(i),
            rep,
            id: injects::occurrence_id(model, i, rep),
            at: Some(at),
            after: None,
        });
        due.chain(waiting).collect()
    }

    /// Fires `inject` now: its due occurrence happens at the current time (in the inject
    /// phase of this instant, when the engine runs on) instead of at its time; a stream
    /// goes on from there. An inject waiting for another one starts now, without jitter.
    /// Refused for an inject done or skipped, or unknown.
    pub fn fire_now(&mut self, inject: InjectId) -> Result<(), SimError> {
        let i = self.inject_index(inject)?;
        self.steer_inject(|model, runtime, agenda, now| injects::fire_now(model, runtime, agenda, i, now))
    }

    /// Delays the due occurrence of `inject` by `by` (ms, not negative); a stream's later
    /// occurrences follow from the moved one. Refused for an inject not scheduled yet
    /// (waiting for another), done, skipped or unknown.
    pub fn delay_inject(&mut self, inject: InjectId, by: SimTime) -> Result<(), SimError> {
        let i = self.inject_index(inject)?;
        self.steer_inject(|model, runtime, agenda, _| injects::delay(model, runtime, agenda, i, by))
    }

    /// Skips `inject`: none of its occurrences still to come happens (scheduled, or not
    /// started yet). Injects that follow it (`after`) and have not started never start:
    /// skipping an inject skips the chain that hangs on it. Refused for an inject done,
    /// already skipped, or unknown.
    pub fn skip_inject(&mut self, inject: InjectId) -> Result<(), SimError> {
        let i = self.inject_index(inject)?;
        self.steer_inject(|model, runtime, _, _| injects::skip(model, runtime, i))
    }

    /// Runs `f` on the injects' runtime and the agenda at the current time.
    fn steer_inject(
        &mut self,
        f: impl FnOnce(&crate::model::Model, &mut InjectRuntime, &mut agenda::Agenda, SimTime) -> Result<(), String>,
    ) -> Result<(), SimError> {
        self.world.resource_scope::<InjectRuntime, _>(|world, mut runtime| {
            let shared = world.resource_mut::<Shared>().into_inner();
            let now = shared.kernel.now;
            f(&shared.setup.model, &mut runtime, &mut shared.kernel.agenda, now).map_err(SimError::Refused)
        })
    }

    /// Changes infrastructure now, as an infrastructure inject does: `target` (a system in
    /// the named areas, every area and "no area" when `None`; or a channel, whatever the
    /// areas) goes `state`; `loss` (0 to 1) is the share of attempts lost when
    /// overloaded (ignored otherwise). Messages stalled for lack of a channel are tried
    /// again when something comes back. Areas are named by the model's area ids.
    pub fn set_infrastructure(
        &mut self,
        areas: Option<Vec<String>>,
        target: InfraTarget,
        state: InfraState,
        loss: f64,
    ) -> Result<(), SimError> {
        let shared = self.world.resource_mut::<Shared>().into_inner();
        let model = shared.setup.model.clone();
        if let InfraTarget::Channel(c) = target
            && c as usize >= model.channels.len()
        {
            return Err(SimError::Refused(format!("no {}", ChannelId::new(c))));
        }
        if state == InfraState::Overloaded && !(0.0..=1.0).contains(&loss) {
            return Err(SimError::Refused(format!("a loss is a share from 0 to 1, not {loss}")));
        }
        let slots = match &areas {
            None => None,
            Some(names) => Some(
                names
                    .iter()
                    .map(|n| {
                        let a = model.areas.iter().position(|a| &a.id == n);
                        a.map(|a| a as u32).ok_or_else(|| SimError::Refused(format!("no area `{n}` in the scenario")))
                    })
                    .collect::<Result<Vec<u32>, SimError>>()?,
            ),
        };
        let loss = if state == InfraState::Overloaded { loss } else { 0.0 };
        crate::sim::infrastructure::apply(&mut shared.core(), slots.as_deref(), &target, state, loss);
        Ok(())
    }

    /// The channels a message from `from` to `to` could go on now (the link's from
    /// `from` to `to` in order, or the scenario's default channels where there is no
    /// link), each with whether it works now between the two.
    pub fn channel_works(&self, from: UnitId, to: UnitId) -> Result<Vec<(ChannelId, bool)>, SimError> {
        let shared = self.shared();
        let model = &shared.setup.model;
        if let Some(u) = [from, to].into_iter().find(|u| u.index() >= model.units.len()) {
            return Err(SimError::Refused(format!("no {u}")));
        }
        let link = model.units[from.index()].out_links.iter().find(|&&l| model.links[l as usize].to == to.get());
        let channels = link.map_or(&shared.setup.default_channels, |&l| &model.links[l as usize].channels);
        let ends = [shared.setup.end(from.get()), shared.setup.end(to.get())];
        let works = |&c: &u32| (ChannelId::new(c), crate::sim::channels::available(&shared.net, model, c, &ends));
        Ok(channels.iter().map(works).collect())
    }

    /// A unit (played by a person) asks now for `count` resources of type `kind` (the
    /// model's resource type name) for incident `incident` (its name: the inject's
    /// occurrence id): the request enters as the responsible unit's own requests do (see
    /// docs/concepts.md, "Driving the engine from outside"): partners under a standing
    /// agreement decide it at once, else it goes over the unit's request links to the
    /// units that decide or pass it on, and conferences decide what their participants
    /// hold. Refused when the incident is not open, has no demand of that type, or `count` is 0.
    pub fn request_resources(
        &mut self,
        unit: UnitId,
        incident: &str,
        kind: &str,
        count: u32,
    ) -> Result<RequestId, SimError> {
        let model = self.shared().setup.model.clone();
        if unit.index() >= model.units.len() {
            return Err(SimError::Refused(format!("no {unit}")));
        }
        if count == 0 {
            return Err(SimError::Refused("a request asks for at least one resource".into()));
        }
        let Some(k) = model.resource_types.iter().position(|t| t == kind) else {
            return Err(SimError::Refused(format!("no resource type `{kind}` in the scenario")));
        };
        self.world.resource_scope::<ResourceBook, _>(|world, mut book| {
            let Some(&i) = book.incident_names.get(incident) else {
                return Err(SimError::Refused(format!("no incident `{incident}` is open")));
            };
            let Some(d) = book.incidents[i as usize].demands.iter().position(|d| d.kind == k as u32) else {
                return Err(SimError::Refused(format!("incident `{incident}` has no demand for `{kind}`")));
            };
            let shared = world.resource_mut::<Shared>().into_inner();
            let (mut core, learning) = shared.core_and_knowledge();
            let r = crate::sim::lending::requests::enter_request(
                &mut book,
                &mut core,
                learning,
                unit.get(),
                (i, d as u32),
                count,
            );
            Ok(RequestId::new(r))
        })
    }
}
