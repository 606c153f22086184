//! Generated national-shape scenarios, for scaling and performance measurements
//! (`samverkan generate`).
//!
//! A generated scenario has the structure of Swedish crisis collaboration: the 21
//! counties with their real numbers of municipalities, each with a county board (whose
//! duty officer is the county's regional coordination function), a region, an SOS Alarm
//! centre, rescue services and municipalities; police regions over three counties,
//! military regions over six; MSB, Trafikverket and Kustbevakningen as national
//! agencies. Beyond one country's worth of organisations the structure repeats in
//! blocks of 21 counties, each with its own national agencies, so cost can be measured
//! far beyond Sweden's size. What happens is a storm crossing the country: per county a
//! severe alarm, a stream of 112 calls, a hospital on reserve power, municipal facts,
//! a power cut and a rescue incident; everyone stands down after 60 h, so a longer
//! duration adds idle time only.
//!
//! ```
//! let g = samverkan::generate::generate(&samverkan::generate::Options::new(40)).unwrap();
//! let source = samverkan::scenario::Source::from_str("generated.toml", &g.text);
//! assert!(samverkan::scenario::validate(&source).is_ok());
//! assert_eq!(g.organisations, 40);
//! ```

pub mod plan;
mod write;

use crate::scenario::MAX_SCENARIO_DURATION;
use crate::time::{DAY, SimTime, fmt_duration};
pub use plan::{MAX_ORGANISATIONS, MIN_ORGANISATIONS, Plan};

/// Simulated duration unless told otherwise.
pub const DEFAULT_DURATION: SimTime = 3 * DAY;

/// Why a scenario cannot be generated with these options.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    /// The number of organisations is out of range.
    #[error("--organisations {given} is outside {min}–{max}")]
    Size {
        /// `--organisations` as given.
        given: usize,
        /// The smallest accepted.
        min: usize,
        /// The largest accepted.
        max: usize,
    },
    /// No scenario within the size limit has this many units.
    #[error("no scenario of at most {max} organisations has {units} units")]
    TooManyUnits {
        /// Units asked for.
        units: usize,
        /// The most organisations a scenario may have.
        max: usize,
    },
    /// The duration ends before everyone stands down, or is longer than a scenario may last.
    #[error(
        "--duration {}: the storm's events run until everyone stands down at {}, and a scenario lasts at most {}; give a duration longer than {} and at most {}",
        fmt_duration(*given), fmt_duration(STAND_DOWN), fmt_duration(MAX_SCENARIO_DURATION), fmt_duration(STAND_DOWN), fmt_duration(MAX_SCENARIO_DURATION)
    )]
    Duration {
        /// `--duration` as given (ms).
        given: SimTime,
    },
    /// The seed does not fit a TOML integer.
    #[error("--seed {given} is larger than {}, the largest integer a TOML file holds", i64::MAX)]
    Seed {
        /// `--seed` as given.
        given: u64,
    },
}

/// When the generated storm's last inject has everyone stand down.
pub const STAND_DOWN: SimTime = 60 * crate::time::HOUR;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Organisations to generate (the scenario's size).
    pub organisations: usize,
    /// Seeds the structure's random choices (onsets, severities, rural areas) and is
    /// written as the scenario's own seed.
    pub seed: u64,
    /// Simulated duration (ms).
    pub duration: SimTime,
    /// The core workload only (see [`write`]): round-the-clock staffing, no duty
    /// officers, activation, public information, resources or infrastructure; conferences
    /// meet on an ordinary cadence. This is what the hand-written baseline models.
    pub core: bool,
}

impl Options {
    /// `organisations` organisations with seed 1, the default duration and the full model.
    pub fn new(organisations: usize) -> Options {
        Options { organisations, seed: 1, duration: DEFAULT_DURATION, core: false }
    }
}

/// A generated scenario and its size.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The scenario file's text (TOML).
    pub text: String,
    /// Organisations in it.
    pub organisations: usize,
    /// Units in it.
    pub units: usize,
    /// Counties in it.
    pub counties: usize,
    /// Blocks (each one country's worth of counties and national agencies) in it.
    pub blocks: usize,
}

fn rng(seed: u64) -> rand::rngs::ChaCha8Rng {
    crate::sim::rng::stream(seed, "generate")
}

/// Plans and writes a scenario.
pub fn generate(o: &Options) -> Result<Generated, GenerateError> {
    if o.duration <= STAND_DOWN || o.duration > MAX_SCENARIO_DURATION {
        return Err(GenerateError::Duration { given: o.duration });
    }
    if i64::try_from(o.seed).is_err() {
        return Err(GenerateError::Seed { given: o.seed });
    }
    let plan = plan::plan(o.organisations, &mut rng(o.seed))?;
    Ok(Generated {
        text: write::scenario(&plan, o),
        organisations: plan.organisations(),
        units: plan.units(),
        counties: plan.counties(),
        blocks: plan.blocks.len(),
    })
}

/// Units a scenario of `organisations` organisations has.
pub fn units_for(organisations: usize, seed: u64) -> Result<usize, GenerateError> {
    Ok(plan::plan(organisations, &mut rng(seed))?.units())
}

/// The smallest organisation count whose scenario has at least `units` units.
pub fn organisations_for_units(units: usize, seed: u64) -> Result<usize, GenerateError> {
    let too_many = GenerateError::TooManyUnits { units, max: MAX_ORGANISATIONS };
    if units_for(MAX_ORGANISATIONS, seed)? < units {
        return Err(too_many);
    }
    // Units grow with organisations (by 2 or 3 each, give or take a county's
    // reshuffle), so search from a third of the target upwards.
    let mut n = (units / 3).saturating_sub(30).max(MIN_ORGANISATIONS);
    while units_for(n, seed)? < units {
        n += 1;
        if n > MAX_ORGANISATIONS {
            return Err(too_many);
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_per_organisation_is_just_under_three() {
        for n in [15, 140, 1400] {
            let u = units_for(n, 1).unwrap();
            assert!(u > 2 * n && u <= 3 * n, "{n} organisations → {u} units");
        }
    }

    #[test]
    fn finds_organisations_for_a_unit_count() {
        for target in [40, 400, 4000] {
            let n = organisations_for_units(target, 1).unwrap();
            assert!(units_for(n, 1).unwrap() >= target);
            assert!(units_for(n - 1, 1).unwrap() < target);
        }
    }

    #[test]
    fn same_options_same_text_and_seed_changes_it() {
        let a = generate(&Options::new(60)).unwrap();
        assert_eq!(a.text, generate(&Options::new(60)).unwrap().text);
        let b = generate(&Options { seed: 2, ..Options::new(60) }).unwrap();
        assert_ne!(a.text, b.text);
        assert_eq!(a.units, b.units);
    }
}
