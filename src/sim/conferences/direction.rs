//! Direction (model.md §7): sent down after strategic meetings, acted on by the units it reaches.

use crate::sim::channels::{Core, Outgoing};
use crate::sim::*;
use crate::vocabulary::{Flow, MessageKind};
use bevy_ecs::prelude::*;

pub(super) fn send_direction(core: &mut Core, learning: &Knowledge, session: &Session, c: u32, number: u32) {
    let model = core.model();
    let nu = session.union.len();
    for (j, &p) in session.present.iter().enumerate() {
        for &l in &model.units[p as usize].out_links {
            let link = &model.links[l as usize];
            if link.flow != Flow::Direction {
                continue;
            }
            let facts = &learning.facts;
            let carried: Vec<Carried> = session
                .union
                .iter()
                .zip(&session.held[j * nu..(j + 1) * nu])
                .filter(|&(u, &own)| own != NONE && facts.severity(u.fact) >= link.threshold)
                .map(|(u, &trail)| Carried { fact: u.fact, trail })
                .collect();
            let severity = carried.iter().map(|u| facts.severity(u.fact)).max().unwrap_or(5);
            core.send(Outgoing {
                kind: MessageKind::Direction,
                from: p,
                to: link.to,
                route: Route::Link(l),
                facts: Carrying::from(carried),
                severity,
                payload: Payload::Direction { conf: c, session: number },
            });
        }
    }
}

/// Direction processed by a unit: activate, release resources, set priorities, pass it down.
pub fn handle_directions(
    mut shared: ResMut<Shared>,
    mut clog: ResMut<ConferenceLog>,
    mut resources: ResMut<ResourceBook>,
) -> Result<(), Broken> {
    let mut core = shared.core();
    let model = core.model();
    for (unit, msg) in std::mem::take(&mut core.pending.directions) {
        let m = core.book.messages[msg as usize].clone();
        let Payload::Direction { conf, session } = m.payload else { continue };
        if !clog.directions_seen.insert((unit, conf, session)) {
            continue;
        }
        let Some(d) = &model.conferences[conf as usize].direction else { continue };
        if d.activate {
            core.pending.activate.push((unit, Activation::Start));
        }
        let org = model.units[unit as usize].org;
        if d.release_resources {
            for &p in &core.setup.pools_by_org[org as usize] {
                resources.pools[p as usize].released = true;
            }
        }
        if !d.prioritise.is_empty() {
            for inc in resources
                .incidents
                .iter_mut()
                .filter(|i| d.prioritise.iter().any(|n| crate::sim::lending::incident_matches(&i.name, n)))
            {
                inc.prioritised = true;
            }
        }
        for &l in &model.units[unit as usize].out_links {
            let link = &model.links[l as usize];
            if link.flow == Flow::Direction && link.to != m.from {
                let out = Outgoing {
                    kind: MessageKind::Direction,
                    from: unit,
                    to: link.to,
                    route: Route::Link(l),
                    facts: m.facts.clone(),
                    severity: m.severity,
                    payload: m.payload,
                };
                core.relay(out);
            }
        }
    }
    Ok(())
}
