//! What a run leaves behind: the records taken out of the `World` at its end, from which
//! `metrics` computes the measures and `output` writes the files.

use crate::model::Model;
use crate::sim::units::account;
use crate::sim::*;
use crate::time::SimTime;
use bevy_ecs::prelude::*;
use std::sync::Arc;

/// What a run records, chosen by its caller; the run itself (every event, draw and
/// measure) is the same either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Recording {
    /// Everything: every learning with its trail ([`RunRecord::knowledge`]), for the run
    /// files (`facts.csv`, the delay decomposition), the debrief and the exercise.
    #[default]
    Full,
    /// What a run's summary ([`crate::metrics::summarise`]) and a batch row read: each
    /// learning's delay per level ([`RunRecord::delays`]) rather than a record, and
    /// records only of the learnings the summary reads one by one (of the units in
    /// [`Setup::summary_units`]). A batch that keeps no run files records this.
    Summary,
}

/// Per-unit results.
#[derive(Clone, Debug)]
pub struct UnitOutcome {
    pub activation_started: Option<SimTime>,
    pub activated: Option<SimTime>,
    pub handled: u64,
    pub busy_time: SimTime,
    pub available_time: SimTime,
    pub peak_backlog: u32,
    pub backlog_at_end: u32,
}

/// Everything a run recorded.
pub struct RunRecord {
    pub model: Arc<Model>,
    pub seed: u64,
    pub end: SimTime,
    /// What the run recorded: under [`Recording::Summary`], `knowledge` holds only the
    /// learnings of [`Setup::summary_units`], and `delays` the rest.
    pub recording: Recording,
    pub facts: Vec<Fact>,
    pub knowledge: Vec<KnownRecord>,
    /// Under [`Recording::Summary`]: the delay (minutes) of every fact a unit of each
    /// level (index) learned other than at its origin, a level the fact is meant for, in
    /// the order learned. Empty under [`Recording::Full`] (worked out from `knowledge`).
    pub delays: [Vec<f64>; 3],
    /// Units coming to know facts, recorded or not (`knowledge.len()` under [`Recording::Full`]).
    pub learnings: u64,
    /// Per level (index): the pairs (fact meant for the level, unit of the level) known by
    /// the end, in either recording.
    pub known_pairs: [u64; 3],
    pub trails: Vec<Trail>,
    /// The meetings a trail's [`Step::meeting`] refers to.
    pub meetings: Vec<Meeting>,
    pub messages: crate::sim::chunked::Chunked<MessageRec>,
    pub units: Vec<UnitOutcome>,
    pub conferences: Vec<ConferenceRow>,
    /// (conference, published at, facts)
    pub pictures: Vec<(u32, SimTime, u32)>,
    pub incidents: Vec<IncidentState>,
    pub requests: Vec<RequestRec>,
    pub resource_rows: Vec<ResourceRow>,
    /// Resource-ms.
    pub unmet_time: f64,
    pub idle_while_short_time: f64,
    pub public: Vec<PublicRow>,
    pub infrastructure: Vec<InfraRow>,
    pub events: u64,
    /// Fingerprint of the event trace.
    pub trace: u64,
}

impl RunRecord {
    /// The delay parts of every trail (index = trail), in ms: see
    /// [`crate::sim::knowledge::trail::delay_parts`]. Worked out on each call.
    pub fn delay_parts(&self) -> Vec<DelayParts> {
        crate::sim::knowledge::trail::delay_parts(&self.trails, &self.meetings, &self.messages, &self.facts)
    }

    /// [`RunRecord::delay_parts`] as arrays in the order of [`Part`] (index = trail).
    pub fn trail_parts(&self) -> Vec<[SimTime; 5]> {
        self.delay_parts().iter().map(|p| p.map(|x| x)).collect()
    }

    /// When trail point `trail` was reached (for a learning: when the unit came to know the fact).
    pub fn trail_time(&self, trail: u32) -> SimTime {
        crate::sim::knowledge::trail::trail_time(
            self.trails[trail as usize],
            &self.meetings,
            &self.messages,
            &self.facts,
        )
    }
}

/// Takes the records out of the world at the end of a run. A resource or component
/// missing is an internal error.
pub(super) fn extract(mut world: World) -> Result<RunRecord, SimError> {
    let missing = |what: &str| SimError::Internal(format!("the world has no {what} at the end of the run"));
    let Shared { kernel, setup, book, net, knowledge, .. } =
        world.remove_resource::<Shared>().ok_or_else(|| missing("shared state"))?;
    let end = kernel.end;
    let model = setup.model.clone();
    let units = outcomes(&world, &setup, end)?;
    let mut resources = world.remove_resource::<ResourceBook>().ok_or_else(|| missing("resource book"))?;
    resources.finish(end);
    let recording = setup.recording;
    let Knowledge { log: knowledge, facts, .. } = knowledge;
    let conferences = world.remove_resource::<ConferenceLog>().ok_or_else(|| missing("conference log"))?;
    let public = world.remove_resource::<PublicBook>().ok_or_else(|| missing("public book"))?.published;
    Ok(RunRecord {
        model,
        seed: setup.seed,
        end,
        recording,
        known_pairs: known_pairs(&facts.tally),
        facts: facts.facts,
        knowledge: knowledge.records,
        delays: knowledge.delays,
        learnings: knowledge.learnings,
        trails: knowledge.trails,
        meetings: knowledge.meetings,
        messages: book.messages,
        units,
        conferences: conferences.held,
        pictures: conferences.pictures,
        incidents: resources.incidents,
        requests: resources.requests,
        resource_rows: resources.rows,
        unmet_time: resources.unmet_time,
        idle_while_short_time: resources.idle_while_short_time,
        public,
        infrastructure: net.log,
        events: kernel.tally.events,
        trace: kernel.tally.trace,
    })
}

/// Each unit's outcome with its time accounted up to `end` (the world is not changed).
fn outcomes(world: &World, setup: &Setup, end: SimTime) -> Result<Vec<UnitOutcome>, SimError> {
    let missing = |what: &str| SimError::Internal(format!("the world has no {what}"));
    let mut units = Vec::with_capacity(setup.unit_entities.len());
    for (i, e) in setup.unit_entities.iter().enumerate() {
        let staffing = world.get::<Staffing>(*e).ok_or_else(|| missing("staffing of a unit"))?;
        let mut desk = world.get::<Desk>(*e).cloned().ok_or_else(|| missing("desk of a unit"))?;
        account(&mut desk, &setup.model.units[i], staffing, &setup.calendar, end);
        units.push(UnitOutcome {
            activation_started: staffing.activation_started,
            activated: staffing.activated_at,
            handled: desk.handled,
            busy_time: desk.busy_time,
            available_time: desk.available_time,
            peak_backlog: desk.peak_backlog,
            backlog_at_end: desk.queue.len() as u32,
        });
    }
    Ok(units)
}

/// What the run recorded up to now, as a record ending now (for a [`crate::sim::Snapshot`]'s
/// objectives so far): copies of the records, the world unchanged.
pub(super) fn so_far(world: &World) -> Result<RunRecord, SimError> {
    let missing = |what: &str| SimError::Internal(format!("the world has no {what}"));
    let shared = world.get_resource::<Shared>().ok_or_else(|| missing("shared state"))?;
    let Shared { kernel, setup, book, net, knowledge, .. } = shared;
    let end = kernel.now;
    let resources = world.get_resource::<ResourceBook>().ok_or_else(|| missing("resource book"))?;
    let (unmet_time, idle_while_short_time) = resources.integrals_at(end);
    let conferences = world.get_resource::<ConferenceLog>().ok_or_else(|| missing("conference log"))?;
    let public = world.get_resource::<PublicBook>().ok_or_else(|| missing("public book"))?;
    Ok(RunRecord {
        model: setup.model.clone(),
        seed: setup.seed,
        end,
        recording: setup.recording,
        known_pairs: known_pairs(&knowledge.facts.tally),
        facts: knowledge.facts.facts.clone(),
        knowledge: knowledge.log.records.clone(),
        delays: knowledge.log.delays.clone(),
        learnings: knowledge.log.learnings,
        trails: knowledge.log.trails.clone(),
        meetings: knowledge.log.meetings.clone(),
        messages: book.messages.iter().cloned().collect(),
        units: outcomes(world, setup, end)?,
        conferences: conferences.held.clone(),
        pictures: conferences.pictures.clone(),
        incidents: resources.incidents.iter().map(IncidentState::copy_for_record).collect(),
        requests: resources.requests.clone(),
        resource_rows: resources.rows.clone(),
        unmet_time,
        idle_while_short_time,
        public: public.published.clone(),
        infrastructure: net.log.clone(),
        events: kernel.tally.events,
        trace: kernel.tally.trace,
    })
}

/// Per level: how many units of the level know each fact meant for it, summed over facts.
fn known_pairs(tally: &[crate::sim::knowledge::FactTally]) -> [u64; 3] {
    let mut out = [0u64; 3];
    for t in tally {
        for (o, k) in out.iter_mut().zip(t.known) {
            *o += u64::from(k);
        }
    }
    out
}
