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
    /// Each inject's next occurrence: (repetition, due time); `None` when none is
    /// scheduled (not started yet, done, or skipped). An `Inject` event is carried out
    /// only when it is its inject's due occurrence: exercise control moves or drops an
    /// occurrence by changing this entry, and the agenda entry left behind is ignored.
    pub due: Vec<Option<(u32, SimTime)>>,
    /// Skipped by exercise control ([`crate::sim::Engine::skip_inject`]): no more
    /// occurrences, and injects `after` it never start.
    pub skipped: Vec<bool>,
}

impl InjectRuntime {
    /// The runtime of a model's injects, with their random streams.
    pub fn new(rngs: Vec<ChaCha8Rng>) -> InjectRuntime {
        let n = rngs.len();
        InjectRuntime { rngs, started: vec![None; n], due: vec![None; n], skipped: vec![false; n] }
    }

    /// Schedules occurrence `rep` of `inject` at `at` as its due one.
    pub(crate) fn schedule(&mut self, agenda: &mut Agenda, inject: u32, rep: u32, at: SimTime) {
        self.due[inject as usize] = Some((rep, at));
        agenda.schedule(at, Event::Inject { inject, rep });
    }
}

/// The id of an inject's `rep`-th occurrence: `id`, or `id#k` (k from 1) for streams.
pub fn occurrence_id(model: &Model, inject: u32, rep: u32) -> String {
    let inj = &model.injects[inject as usize];
    if inj.stream.is_some() { format!("{}#{}", inj.id, rep + 1) } else { inj.id.clone() }
}

/// The inject whose occurrences [`occurrence_id`] names `id` (or would, for a stream's
/// later occurrences), if any.
pub fn inject_of_occurrence<'m>(model: &'m Model, id: &str) -> Option<&'m crate::model::Inject> {
    model.injects.iter().find(|i| {
        id == i.id
            || id
                .strip_prefix(i.id.as_str())
                .and_then(|r| r.strip_prefix('#'))
                .is_some_and(|n| n.parse::<u32>().is_ok())
    })
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
    runtime.schedule(agenda, inject, 0, first);
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
        // An occurrence moved or skipped by exercise control leaves its entry behind.
        if runtime.due[inject as usize] != Some((rep, now)) {
            continue;
        }
        runtime.due[inject as usize] = None;
        if rep == 0 {
            for &d in &core.setup.dependents[inject as usize] {
                let waiting = runtime.started[d as usize].is_none() && !runtime.skipped[d as usize];
                if let (true, InjectTime::After { delay, .. }) = (waiting, &model.injects[d as usize].time) {
                    start(model, &mut runtime, &mut core.kernel.agenda, d, now + delay);
                }
            }
        }
        if let Some(next) = next_occurrence(model, &mut runtime, inject, rep, now) {
            runtime.schedule(&mut core.kernel.agenda, inject, rep + 1, next);
        }
        let inj = &model.injects[inject as usize];
        match &inj.action {
            Action::Fact { origin, severity, text, levels } => {
                let id = occurrence_id(model, inject, rep);
                let f = learning.create_fact(id, now, *origin, *severity, *levels, text.to_string());
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
    let f = learning.create_fact(id, now, sender, *severity, crate::model::ALL_LEVELS, text.to_string());
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

// ---------------------------------------------------------------- exercise control

/// Where an inject stands for exercise control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Occurrence `rep` is due at the time.
    Due(u32, SimTime),
    /// Not started: it waits for the inject it follows (`after`), and may never start
    /// (that one skipped, or done without a first occurrence).
    NotStarted,
    /// Started and has no occurrence left.
    Done,
    Skipped,
}

/// Where `inject` stands now.
pub(crate) fn standing(runtime: &InjectRuntime, inject: u32) -> Standing {
    let i = inject as usize;
    match (runtime.skipped[i], runtime.due[i], runtime.started[i]) {
        (true, _, _) => Standing::Skipped,
        (false, Some((rep, at)), _) => Standing::Due(rep, at),
        (false, None, None) => Standing::NotStarted,
        (false, None, Some(_)) => Standing::Done,
    }
}

/// Whether a not started inject still starts when the engine runs on: the inject it
/// follows is due with its first occurrence, or is not started and still starts.
pub(crate) fn will_start(model: &Model, runtime: &InjectRuntime, inject: u32) -> bool {
    let InjectTime::After { inject: parent, .. } = model.injects[inject as usize].time else { return false };
    match standing(runtime, parent) {
        Standing::Due(rep, _) => rep == 0,
        Standing::NotStarted => will_start(model, runtime, parent),
        Standing::Done | Standing::Skipped => false,
    }
}

/// Why exercise control cannot move or drop `inject` (standing `s`): a refusal's text.
pub(crate) fn refusal(model: &Model, inject: u32, s: Standing) -> String {
    let inj = &model.injects[inject as usize];
    match s {
        Standing::Done => format!("inject `{}` has already happened (no occurrence left)", inj.id),
        Standing::Skipped => format!("inject `{}` was skipped", inj.id),
        Standing::NotStarted => match inj.time {
            InjectTime::After { inject: p, .. } => format!(
                "inject `{}` is not scheduled yet (it waits for inject `{}`)",
                inj.id, model.injects[p as usize].id
            ),
            InjectTime::At(_) => format!("inject `{}` is not scheduled", inj.id),
        },
        Standing::Due(..) => format!("inject `{}` is scheduled", inj.id),
    }
}

/// Exercise control fires `inject` at `now`: its due occurrence, or (not started) its
/// first occurrence, without jitter (a stream's window starts now).
pub(crate) fn fire_now(
    model: &Model,
    runtime: &mut InjectRuntime,
    agenda: &mut Agenda,
    inject: u32,
    now: SimTime,
) -> Result<(), String> {
    match standing(runtime, inject) {
        Standing::Due(_, at) if at == now => Ok(()),
        Standing::Due(rep, _) => {
            runtime.schedule(agenda, inject, rep, now);
            Ok(())
        }
        Standing::NotStarted => {
            runtime.started[inject as usize] = Some(now);
            runtime.schedule(agenda, inject, 0, now);
            Ok(())
        }
        s => Err(refusal(model, inject, s)),
    }
}

/// Exercise control moves the due occurrence of `inject` later by `by` (ms, not negative).
pub(crate) fn delay(
    model: &Model,
    runtime: &mut InjectRuntime,
    agenda: &mut Agenda,
    inject: u32,
    by: SimTime,
) -> Result<(), String> {
    if by < 0 {
        return Err(format!("a delay cannot be negative ({by} ms)"));
    }
    match standing(runtime, inject) {
        Standing::Due(_, _) if by == 0 => Ok(()),
        Standing::Due(rep, at) => {
            runtime.schedule(agenda, inject, rep, at.saturating_add(by));
            Ok(())
        }
        s => Err(refusal(model, inject, s)),
    }
}

/// Exercise control skips `inject`: no more occurrences (scheduled or not started yet);
/// injects `after` it that have not started never start.
pub(crate) fn skip(model: &Model, runtime: &mut InjectRuntime, inject: u32) -> Result<(), String> {
    match standing(runtime, inject) {
        Standing::Due(..) | Standing::NotStarted => {
            runtime.skipped[inject as usize] = true;
            runtime.due[inject as usize] = None;
            Ok(())
        }
        s => Err(refusal(model, inject, s)),
    }
}
