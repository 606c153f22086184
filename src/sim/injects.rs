//! Injects (model.md §9): scheduling them (absolute, after another, with jitter, as
//! streams) and carrying out what each does.

use crate::model::{Action, InjectTime, Model, Stream};
use crate::sim::channels::{Core, Outgoing};
use crate::sim::engine::agenda::{Agenda, Event};
use crate::sim::lending::incidents::{change_pool, grow_incident};
use crate::sim::*;
use crate::time::{HOUR, SimTime};
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Distribution, Exp};

use crate::sim::engine::schedule::Registry;

/// Registers the injects handlers and followers with the engine.
pub(crate) fn register(r: &mut Registry) {
    r.handle(Phase::Inject, fire_injects);
}

// ---------------------------------------------------------------- injects

#[derive(Resource, Default)]
pub struct InjectRuntime {
    pub rngs: Vec<ChaCha8Rng>,
    /// When each inject first fired (stream windows start there).
    pub started: Vec<Option<SimTime>>,
}

/// The id of an inject's `rep`-th occurrence: `id`, or `id#k` (k from 1) for streams.
pub fn occurrence_id(model: &Model, inject: u32, rep: u32) -> String {
    let inj = &model.injects[inject as usize];
    if inj.stream.is_some() { format!("{}#{}", inj.id, rep + 1) } else { inj.id.clone() }
}

/// Schedules every inject with an absolute time.
pub fn schedule_initial(model: &Model, runtime: &mut InjectRuntime, agenda: &mut Agenda) {
    for (i, inj) in model.injects.iter().enumerate() {
        if let InjectTime::At(t) = inj.time {
            start(model, runtime, agenda, i as u32, t);
        }
    }
}

/// Starts an inject whose nominal time is `nominal`: jitter, then its first occurrence.
fn start(model: &Model, runtime: &mut InjectRuntime, agenda: &mut Agenda, inject: u32, nominal: SimTime) {
    let rng = &mut runtime.rngs[inject as usize];
    let inj = &model.injects[inject as usize];
    let begin = nominal + inj.jitter.as_ref().map_or(0, |j| j.sample(rng));
    runtime.started[inject as usize] = Some(begin);
    let first = match &inj.stream {
        Some((Stream::Rate(r), window)) => {
            let gap = exp_gap(*r, rng);
            if gap >= *window {
                return;
            }
            begin + gap
        }
        _ => begin,
    };
    agenda.schedule(first, Event::Inject { inject, rep: 0 });
}

fn exp_gap(rate_per_hour: f64, rng: &mut rand::rngs::ChaCha8Rng) -> SimTime {
    match Exp::new(rate_per_hour / HOUR as f64) {
        Ok(d) => d.sample(rng).round().min(1e12) as SimTime,
        Err(_) => SimTime::MAX / 4,
    }
}

/// The next occurrence of a stream after occurrence `rep` at `now`, if inside the window.
fn next_occurrence(model: &Model, runtime: &mut InjectRuntime, inject: u32, rep: u32, now: SimTime) -> Option<SimTime> {
    let (stream, window) = model.injects[inject as usize].stream.as_ref()?;
    let begin = runtime.started[inject as usize]?;
    let next = match stream {
        Stream::Every(e) => now + e,
        Stream::Rate(r) => now.saturating_add(exp_gap(*r, &mut runtime.rngs[inject as usize])),
        Stream::Count(n) if rep + 1 < *n => begin + window * (rep as i64 + 1) / *n as i64,
        Stream::Count(_) => return None,
    };
    (next < begin + window).then_some(next)
}

/// Handles `Inject`: schedules what follows and carries the inject out.
pub fn fire_injects(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut runtime: ResMut<InjectRuntime>,
    mut resources: ResMut<ResourceBook>,
) -> Result<(), Broken> {
    let (mut core, learning) = shared.core_and_knowledge();
    let now = core.now();
    let model = core.model();
    for e in events {
        let Event::Inject { inject, rep } = *e else { continue };
        if rep == 0 {
            for &d in &core.setup.dependents[inject as usize].clone() {
                if let InjectTime::After { delay, .. } = model.injects[d as usize].time {
                    start(model, &mut runtime, &mut core.kernel.agenda, d, now + delay);
                }
            }
        }
        if let Some(next) = next_occurrence(model, &mut runtime, inject, rep, now) {
            core.schedule(next, Event::Inject { inject, rep: rep + 1 });
        }
        let inj = &model.injects[inject as usize];
        match &inj.action {
            Action::Fact { origin, severity, text, levels } => {
                let id = occurrence_id(model, inject, rep);
                let f = learning.create_fact(id, now, *origin, *severity, *levels, text.clone());
                learning.learn(core.setup, *origin, f, now, Learning::Origin { trail: None });
            }
            Action::Incident { .. } => core.pending.incidents.push((inject, rep)),
            Action::Grow { incident, kind, add } => {
                grow_incident(&mut resources, &mut core, learning, incident, *kind, *add)
            }
            Action::Infra { areas, target, state, loss, lasts } => {
                crate::sim::infrastructure::apply(&mut core, areas.as_deref(), target, *state, *loss);
                if let Some(d) = lasts {
                    let end = now + d.sample(&mut runtime.rngs[inject as usize]);
                    core.schedule(end, Event::InfraEnd { inject, rep });
                }
            }
            Action::Activate(units) => core.pending.activate.extend(units.iter().map(|u| (*u, Activation::Start))),
            Action::StandDown(units) => core.pending.activate.extend(units.iter().map(|u| (*u, Activation::StandDown))),
            Action::PoolChange { pool, add } => change_pool(&mut resources, &mut core, *pool, *add),
            Action::Message { .. } => send_inject_message(&mut core, learning, inject, rep),
        }
    }
    Ok(())
}

/// An exercise message: a new fact (and any listed ones) sent to each recipient.
fn send_inject_message(core: &mut Core, learning: &mut Knowledge, inject: u32, rep: u32) {
    let now = core.now();
    let model = core.model();
    let Action::Message { from, to, kind, channel, text, severity, facts } = &model.injects[inject as usize].action
    else {
        return;
    };
    let sender = from.unwrap_or(NONE);
    let id = occurrence_id(model, inject, rep);
    let f = learning.create_fact(id, now, sender, *severity, crate::model::ALL_LEVELS, text.clone());
    let origin = learning.log.origin(f);
    let mut carried = vec![Carried { fact: f, trail: origin }];
    if sender != NONE {
        learning.learn(core.setup, sender, f, now, Learning::Origin { trail: Some(origin) });
    }
    for name in facts {
        let Some(&g) = learning.facts.by_id.get(name) else { continue };
        let own = if sender == NONE { None } else { learning.trail_of(sender, g) };
        let trail = match own {
            Some(t) => t,
            None => handed_over(learning, g, now),
        };
        carried.push(Carried { fact: g, trail });
    }
    let carried = Carrying::from(carried);
    let route = channel.map_or(Route::Defaults, Route::Channel);
    for &t in to {
        core.send(Outgoing {
            kind: *kind,
            from: sender,
            to: t,
            route,
            facts: carried.clone(),
            severity: *severity,
            payload: Payload::None,
        });
    }
}

/// The trail of `fact` handed over by exercise control at `now`: it has held the fact
/// since its origin, and hands it over at a meeting of no length.
pub(crate) fn handed_over(learning: &mut Knowledge, fact: u32, now: SimTime) -> u32 {
    let log = &mut learning.log;
    let origin = log.origin(fact);
    let meeting = log.meeting(now, now);
    log.trail(origin, Step::meeting(meeting))
}
