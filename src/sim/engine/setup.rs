//! Building the `World` of one run: resources, unit and conference entities, random
//! streams, and the events known before the run starts.

use crate::model::{InjectTime, Model};
use crate::sim::engine::agenda::{Agenda, Event};
use crate::sim::rng::stream;
use crate::sim::*;
use crate::time::Calendar;
use bevy_ecs::prelude::*;
use std::sync::Arc;

/// The model and calendar of this run (read-only).
pub struct Setup {
    pub model: Arc<Model>,
    pub calendar: Calendar,
    /// This run's seed (streams are derived from it).
    pub seed: u64,
    /// Units per level (for "all units of a level know").
    pub level_sizes: [usize; 3],
    pub default_channels: Vec<u32>,
    /// Unit → its entity.
    pub unit_entities: Vec<Entity>,
    pub conference_entities: Vec<Entity>,
    /// Pools of each organisation, in model order.
    pub pools_by_org: Vec<Vec<u32>>,
    /// Mutual-aid agreements each organisation is party to, in model order.
    pub agreements_by_org: Vec<Vec<u32>>,
    /// Injects that follow each inject (`after`).
    pub dependents: Vec<Vec<u32>>,
    /// Conferences each unit convenes.
    pub convenes: Vec<Vec<u32>>,
    /// Each unit as an end of a message (its area and reserve power), read at every
    /// sending attempt: 16 bytes a unit here rather than two lookups in the model.
    pub ends: Vec<crate::sim::channels::End>,
    /// Units played by people ([`crate::sim::Engine::hand_over`], set between steps):
    /// they pass nothing on by themselves ([`crate::sim::knowledge`]).
    pub played: Vec<bool>,
    /// What the run records ([`Recording`]).
    pub recording: Recording,
    /// Units whose learnings a [`Recording::Summary`] keeps as records: those a run's
    /// summary reads one by one (named by a `unit_knows` objective; the coordinating
    /// units of organisations with a municipality code, for the map). Empty under
    /// [`Recording::Full`], which keeps every learning.
    pub summary_units: Vec<bool>,
}

impl Setup {
    /// Whether the learnings of `unit` are kept as records ([`KnowledgeLog::records`]).
    #[inline]
    pub fn keeps_learnings_of(&self, unit: u32) -> bool {
        self.recording == Recording::Full || self.summary_units[unit as usize]
    }

    /// `unit` as an end of a message ([`NONE`]: exercise control).
    pub fn end(&self, unit: u32) -> crate::sim::channels::End {
        match unit {
            NONE => crate::sim::channels::endpoint(&self.model, NONE),
            u => self.ends[u as usize],
        }
    }
}

/// Builds the world of one run: an entity per unit and per conference with their
/// components, every resource, the random streams, and the events known in advance.
pub fn build_world(model: &Arc<Model>, seed: u64, recording: Recording) -> World {
    let mut world = World::new();
    let unit_entities: Vec<Entity> = model
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            world
                .spawn((
                    UnitNo(i as u32),
                    Staffing::default(),
                    Desk::default(),
                    Outbox::default(),
                    UnitRng(stream(seed, &format!("unit:{}", u.id))),
                    PublicDesk::default(),
                ))
                .id()
        })
        .collect();
    let conference_entities: Vec<Entity> = model
        .conferences
        .iter()
        .enumerate()
        .map(|(i, c)| {
            world
                .spawn(ConfState {
                    index: i as u32,
                    activated: false,
                    epoch: 0,
                    session: None,
                    last: None,
                    sessions: 0,
                    pictures: Default::default(),
                    rng: stream(seed, &format!("conference:{}", c.id)),
                })
                .id()
        })
        .collect();
    let mut setup = setup(model, seed, unit_entities, conference_entities);
    setup.recording = recording;
    if recording == Recording::Summary {
        setup.summary_units = summary_units(model);
    }
    let tally = Tally {
        events: 0,
        messages_by_unit: vec![0; model.units.len()],
        messages_by_link: vec![0; model.links.len()],
        trace: 0xcbf2_9ce4_8422_2325,
    };
    world.insert_resource(resources(model, seed));
    world.insert_resource(InjectRuntime::new(
        model.injects.iter().map(|i| stream(seed, &format!("inject:{}", i.id))).collect(),
    ));
    world.init_resource::<ConferenceLog>();
    world.init_resource::<PublicBook>();
    let mut agenda = Agenda::default();
    initial_events(model, &mut world, &mut agenda);
    let kernel = Kernel { now: 0, end: model.duration, agenda, tally };
    let net = network(model, seed);
    let knowledge =
        Knowledge { known: (0..model.units.len()).map(|_| Known::default()).collect(), ..Default::default() };
    let (book, pending) = (MessageBook::default(), Pending::default());
    world.insert_resource(Shared { kernel, setup, book, net, pending, knowledge });
    world
}

fn setup(model: &Arc<Model>, seed: u64, unit_entities: Vec<Entity>, conference_entities: Vec<Entity>) -> Setup {
    let mut pools_by_org = vec![vec![]; model.orgs.len()];
    for (i, p) in model.pools.iter().enumerate() {
        pools_by_org[p.org as usize].push(i as u32);
    }
    let mut agreements_by_org = vec![vec![]; model.orgs.len()];
    for (i, a) in model.agreements.iter().enumerate() {
        for &o in &a.orgs {
            if agreements_by_org[o as usize].last() != Some(&(i as u32)) {
                agreements_by_org[o as usize].push(i as u32);
            }
        }
    }
    let mut dependents = vec![vec![]; model.injects.len()];
    for (i, inj) in model.injects.iter().enumerate() {
        if let InjectTime::After { inject, .. } = inj.time {
            dependents[inject as usize].push(i as u32);
        }
    }
    let mut convenes = vec![vec![]; model.units.len()];
    for (i, c) in model.conferences.iter().enumerate() {
        convenes[c.convener as usize].push(i as u32);
    }
    let level_sizes = crate::vocabulary::Level::ALL.map(|l| model.level_size(l));
    Setup {
        model: model.clone(),
        calendar: Calendar { start: model.start },
        seed,
        default_channels: model.default_channels.clone(),
        unit_entities,
        conference_entities,
        pools_by_org,
        agreements_by_org,
        dependents,
        convenes,
        level_sizes,
        ends: (0..model.units.len() as u32).map(|u| crate::sim::channels::endpoint(model, u)).collect(),
        played: vec![false; model.units.len()],
        recording: Recording::Full,
        summary_units: vec![],
    }
}

/// The units whose learnings a run's summary reads one by one ([`Setup::summary_units`]):
/// those `unit_knows` objectives name, and the coordinating units of organisations with
/// a municipality code (`geo::knowing::of_run`).
fn summary_units(model: &Model) -> Vec<bool> {
    let mut keep: Vec<bool> = model
        .units
        .iter()
        .map(|u| {
            u.level == crate::vocabulary::Level::Coordinating && model.orgs[u.org as usize].municipality_code.is_some()
        })
        .collect();
    for o in &model.objectives {
        if let (crate::vocabulary::Measure::UnitKnows, Some(u)) = (o.measure, o.unit) {
            keep[u as usize] = true;
        }
    }
    keep
}

fn network(model: &Model, seed: u64) -> Network {
    Network {
        areas: vec![Default::default(); model.areas.len() + 1],
        channel_down: vec![false; model.channels.len()],
        channel_overload: vec![0.0; model.channels.len()],
        rngs: model.channels.iter().map(|c| stream(seed, &format!("channel:{}", c.id))).collect(),
        log: vec![],
    }
}

fn resources(model: &Model, seed: u64) -> ResourceBook {
    let mut book = ResourceBook {
        pools: model
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| PoolState {
                index: i as u32,
                idle: p.count,
                busy: 0,
                transit: 0,
                released: false,
                rng: stream(seed, &format!("pool:{}", p.id)),
            })
            .collect(),
        ..Default::default()
    };
    book.start(model);
    book
}

fn initial_events(model: &Arc<Model>, world: &mut World, agenda: &mut Agenda) {
    let mut runtime = world.resource_mut::<InjectRuntime>();
    crate::sim::injects::schedule_initial(model, &mut runtime, agenda);
    let calendar = Calendar { start: model.start };
    for (i, c) in model.conferences.iter().enumerate() {
        // An imposed first session (a debrief what-if) replaces the first ordinary one,
        // and is held even by a conference that otherwise only meets when activated.
        let first = match (c.imposed_first, c.ordinary) {
            (Some(t), _) => Some(t),
            (None, Some((_, weekday, clock))) => Some(calendar.next_clock(weekday, clock, 0)),
            (None, None) => None,
        };
        if let Some(at) = first {
            agenda.schedule(at, Event::ConfStart { conf: i as u32, epoch: 0 });
        }
    }
}
