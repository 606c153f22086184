//! The joint situational picture (model.md §7): compiled at a session's end, published to
//! its readers by the session's leader (the convener, or its deputy).

use crate::sim::channels::Outgoing;
use crate::sim::engine::agenda::Event;
use crate::sim::*;
use crate::time::SimTime;
use crate::vocabulary::MessageKind;
use bevy_ecs::prelude::*;
use bevy_ecs::system::InRef;

/// Trails of the facts in a picture published at `published`: the earliest knower's
/// trail, then the meeting and the compilation after it (until `published`).
pub(super) fn picture_trails(learning: &mut Knowledge, session: &Session, published: SimTime) -> Carrying {
    let log = &mut learning.log;
    let meeting = log.meeting(session.start, published);
    let mut out = Vec::with_capacity(session.union.len());
    for carried in &session.union {
        let trail = log.trail(carried.trail, Step::meeting(meeting));
        out.push(Carried { fact: carried.fact, trail });
    }
    Carrying::from(out)
}

/// Handles `Picture`: the joint situational picture is published to its readers.
pub fn publish_pictures(
    InRef(events): InRef<[Event]>,
    mut shared: ResMut<Shared>,
    mut confs: Query<&mut ConfState>,
    mut clog: ResMut<ConferenceLog>,
) -> Result<(), Broken> {
    let (mut core, knowledge) = shared.core_and_knowledge();
    let facts = &knowledge.facts;
    let model = core.model();
    for e in events {
        let Event::Picture { conf: c } = *e else { continue };
        let conf = &model.conferences[c as usize];
        let Some(pic) = &conf.picture else { continue };
        let mut st = confs.get_mut(core.setup.conference_entities[c as usize]).map_err(missing("conference", c))?;
        let Some((leader, carried)) = st.pictures.pop_front() else { continue };
        let severity = carried.iter().map(|u| facts.severity(u.fact)).max().unwrap_or(1);
        for &to in &pic.to {
            core.send(Outgoing {
                kind: MessageKind::Picture,
                from: leader,
                to,
                route: Route::Channel(pic.channel),
                facts: carried.clone(),
                severity,
                payload: Payload::Picture(c),
            });
        }
        clog.pictures.push((c, core.now(), carried.len() as u32));
    }
    Ok(())
}
