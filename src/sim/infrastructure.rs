//! Infrastructure (model.md §6): power, mobile, internet, fixed telephony and Rakel per
//! area; systems on battery failing some time after the power goes; channels taken
//! down directly; stalled messages retried when something comes back.

use crate::model::{Action, InfraTarget};
use crate::sim::channels::Core;
use crate::sim::engine::agenda::Event;
use crate::sim::*;
use crate::time::{DAY, HOUR, SimTime};
use crate::vocabulary::{InfraState, InfraSystem};
use bevy_ecs::prelude::{ResMut, *};
use bevy_ecs::system::InRef;
use rand::rngs::ChaCha8Rng;

use crate::sim::engine::schedule::Registry;

/// Registers the infrastructure handlers and followers with the engine.
pub(crate) fn register(r: &mut Registry) {
    r.handle(Phase::Infra, infra_events);
}

// ---------------------------------------------------------------- infrastructure

#[derive(Clone, Copy, Debug)]
pub struct SysState {
    pub down: bool,
    pub overload_loss: f64,
    pub battery_dead: bool,
    pub battery_epoch: u32,
}

impl Default for SysState {
    fn default() -> Self {
        SysState { down: false, overload_loss: 0.0, battery_dead: false, battery_epoch: 0 }
    }
}

impl SysState {
    pub fn works(&self) -> bool {
        !self.down && !self.battery_dead
    }
}

#[derive(Clone, Debug)]
pub struct InfraRow {
    pub time: SimTime,
    pub area: String,
    pub target: String,
    pub state: &'static str,
}

/// Infrastructure per area (the last entry is "no area"), channels, and their random streams.
#[derive(Default)]
pub struct Network {
    pub areas: Vec<[SysState; 5]>,
    pub channel_down: Vec<bool>,
    /// Loss of a channel overloaded by an inject (0 when not).
    pub channel_overload: Vec<f64>,
    pub rngs: Vec<ChaCha8Rng>,
    pub log: Vec<InfraRow>,
}

/// Battery times for units without an area (as a town).
const NO_AREA_BACKUP: [i64; 5] = [0, HOUR, HOUR, 4 * HOUR, 7 * DAY];

/// Applies an infrastructure change to the given area slots (None: every slot).
pub fn apply(core: &mut Core, areas: Option<&[u32]>, target: &InfraTarget, state: InfraState, loss: f64) {
    let slots: Vec<usize> = match areas {
        Some(list) => list.iter().map(|a| *a as usize).collect(),
        None => (0..core.net.areas.len()).collect(),
    };
    let mut improved = state != InfraState::Down;
    match target {
        InfraTarget::Channel(c) => {
            core.net.channel_down[*c as usize] = state == InfraState::Down;
            core.net.channel_overload[*c as usize] = if state == InfraState::Overloaded { loss } else { 0.0 };
            log(core, None, core.setup.model.channels[*c as usize].id.clone(), state);
        }
        InfraTarget::System(sys) => {
            for slot in slots {
                improved |= set_system(core, slot, *sys, state, loss);
            }
        }
    }
    if improved {
        core.retry_stalled();
    }
}

/// Sets one system in one area slot. Returns whether something came back up.
fn set_system(core: &mut Core, slot: usize, sys: InfraSystem, state: InfraState, loss: f64) -> bool {
    let now = core.now();
    let was = core.net.areas[slot][sys as usize];
    let st = &mut core.net.areas[slot][sys as usize];
    st.down = state == InfraState::Down;
    st.overload_loss = if state == InfraState::Overloaded { loss } else { 0.0 };
    let power_lost = sys == InfraSystem::Power && !st.down.eq(&was.down) && st.down;
    let power_back = sys == InfraSystem::Power && was.down && !st.down;
    let backup = core.setup.model.areas.get(slot).map_or(NO_AREA_BACKUP, |a| a.backup);
    for other in [InfraSystem::Mobile, InfraSystem::Internet, InfraSystem::Fixed, InfraSystem::Rakel] {
        let o = &mut core.net.areas[slot][other as usize];
        if power_lost {
            o.battery_epoch += 1;
            let epoch = o.battery_epoch;
            core.kernel.agenda.schedule(
                now + backup[other as usize],
                Event::BatteryOut { area: slot as u32, system: other as u8, epoch },
            );
        } else if power_back {
            o.battery_epoch += 1;
            o.battery_dead = false;
        }
    }
    log(core, Some(slot), sys.name().to_string(), state);
    power_back || (!was.works() && core.net.areas[slot][sys as usize].works())
}

fn log(core: &mut Core, slot: Option<usize>, target: String, state: InfraState) {
    let area = match slot {
        None => "all".to_string(),
        Some(s) => core.setup.model.areas.get(s).map_or("(no area)".to_string(), |a| a.id.clone()),
    };
    let state = match state {
        InfraState::Up => "up",
        InfraState::Down => "down",
        InfraState::Overloaded => "overloaded",
    };
    let time = core.now();
    core.net.log.push(InfraRow { time, area, target, state });
}

/// Handles `BatteryOut` and `InfraEnd`.
pub fn infra_events(InRef(events): InRef<[Event]>, mut shared: ResMut<Shared>) -> Result<(), Broken> {
    let mut core = shared.core();
    for e in events {
        match *e {
            Event::BatteryOut { area, system, epoch } => {
                let power_down = !core.net.areas[area as usize][InfraSystem::Power as usize].works();
                let st = &mut core.net.areas[area as usize][system as usize];
                if st.battery_epoch == epoch && power_down && !st.battery_dead {
                    st.battery_dead = true;
                    let now = core.now();
                    let area_id =
                        core.setup.model.areas.get(area as usize).map_or("(no area)".to_string(), |a| a.id.clone());
                    let target = InfraSystem::ALL[system as usize].name().to_string();
                    core.net.log.push(InfraRow { time: now, area: area_id, target, state: "battery_out" });
                }
            }
            Event::InfraEnd { inject, .. } => {
                let model = core.model();
                if let Action::Infra { areas, target, .. } = &model.injects[inject as usize].action {
                    apply(&mut core, areas.as_deref(), target, InfraState::Up, 0.0);
                }
            }
            _ => {}
        }
    }
    Ok(())
}
