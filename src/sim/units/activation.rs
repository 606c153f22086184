//! Activation and standing down (model.md §5): a unit's switch to activated staffing,
//! and the conferences it convenes switching to their activated cadence.

use crate::sim::channels::Core;
use crate::sim::conferences::next_ordinary;
use crate::sim::engine::agenda::Event;
use crate::sim::units::account;
use crate::sim::units::{UnitQuery, alert_duty_officer};
use crate::sim::*;
use bevy_ecs::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Start,
    StandDown,
}

/// Applies pending activations and stand-downs, and the conferences they switch.
pub fn apply_activations(
    mut shared: ResMut<Shared>,
    mut units: UnitQuery,
    mut confs: Query<&mut ConfState>,
) -> Result<(), Broken> {
    let mut core = shared.core();
    let model = core.model();
    for (unit, what) in std::mem::take(&mut core.pending.activate) {
        let changed = match what {
            Activation::Start => start_activation(&mut core, &mut units, unit)?,
            Activation::StandDown => stand_down(&mut core, &mut units, unit)?,
        };
        if !changed {
            continue;
        }
        for &c in &core.setup.convenes[unit as usize].clone() {
            let conf = &model.conferences[c as usize];
            let mut st = confs.get_mut(core.setup.conference_entities[c as usize]).map_err(missing("conference", c))?;
            match what {
                Activation::Start => {
                    let Some((_, first_after)) = &conf.activated else { continue };
                    st.activated = true;
                    st.epoch += 1;
                    let drawn = core.now() + first_after.sample(&mut st.rng);
                    // An imposed first session not yet reached replaces the first call.
                    let at = conf.imposed_first.filter(|&t| t > core.now()).unwrap_or(drawn);
                    core.schedule(at, Event::ConfStart { conf: c, epoch: st.epoch });
                    for &p in &conf.participants {
                        alert_duty_officer(&mut core, &mut units, p, at)?;
                    }
                }
                Activation::StandDown => {
                    st.activated = false;
                    st.epoch += 1;
                    if let Some(at) = next_ordinary(&core, conf, core.now()) {
                        core.schedule(at, Event::ConfStart { conf: c, epoch: st.epoch });
                    }
                }
            }
        }
    }
    Ok(())
}

/// Starts activation (normal → activating). Returns whether it started now.
pub fn start_activation(core: &mut Core, units: &mut UnitQuery, unit: u32) -> Result<bool, Broken> {
    let now = core.now();
    let model = core.model();
    let (mut s, _, mut rng) = units.get_mut(core.setup.unit_entities[unit as usize]).map_err(missing("unit", unit))?;
    if s.mode != Mode::Normal {
        return Ok(false);
    }
    s.epoch += 1;
    s.mode = Mode::Activating { epoch: s.epoch };
    s.activation_started.get_or_insert(now);
    let delay = model.units[unit as usize].activation_delay.sample(&mut rng.0);
    core.schedule(now + delay, Event::Activated { unit, epoch: s.epoch });
    Ok(true)
}

/// Back to normal staffing. Returns whether the unit was activating or activated.
pub fn stand_down(core: &mut Core, units: &mut UnitQuery, unit: u32) -> Result<bool, Broken> {
    let model = core.model();
    let cal = core.setup.calendar;
    let (mut s, mut desk, _) = units.get_mut(core.setup.unit_entities[unit as usize]).map_err(missing("unit", unit))?;
    if s.mode == Mode::Normal {
        return Ok(false);
    }
    account(&mut desk, &model.units[unit as usize], &s, &cal, core.now());
    s.mode = Mode::Normal;
    s.epoch += 1;
    Ok(true)
}
