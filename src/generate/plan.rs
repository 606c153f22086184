//! The structure of a generated scenario before it is written: blocks of counties (a
//! block is one country's worth: 21 counties and its national agencies), each county
//! with its county board, region, SOS Alarm centre, rescue services and municipalities,
//! and the police and military regions that span several counties.
//!
//! The organisation budget is spent in a fixed order, so `--organisations N` always
//! gives exactly N organisations, and the same N and seed always give the same plan.

use super::GenerateError;
use crate::time::{HOUR, MINUTE, SimTime};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// The 21 Swedish counties: letter code, SCB county (län) code, name, number of
/// municipalities (290 in all). Checked against the outline files (`crate::geo`) by the
/// tests below.
pub const COUNTIES: [(&str, &str, &str, usize); 21] = [
    ("ab", "01", "Stockholms län", 26),
    ("c", "03", "Uppsala län", 8),
    ("d", "04", "Södermanlands län", 9),
    ("e", "05", "Östergötlands län", 13),
    ("f", "06", "Jönköpings län", 13),
    ("g", "07", "Kronobergs län", 8),
    ("h", "08", "Kalmar län", 12),
    ("i", "09", "Gotlands län", 1),
    ("k", "10", "Blekinge län", 5),
    ("m", "12", "Skåne län", 33),
    ("n", "13", "Hallands län", 6),
    ("o", "14", "Västra Götalands län", 49),
    ("s", "17", "Värmlands län", 16),
    ("t", "18", "Örebro län", 12),
    ("u", "19", "Västmanlands län", 10),
    ("w", "20", "Dalarnas län", 15),
    ("x", "21", "Gävleborgs län", 10),
    ("y", "22", "Västernorrlands län", 7),
    ("z", "23", "Jämtlands län", 8),
    ("ac", "24", "Västerbottens län", 15),
    ("bd", "25", "Norrbottens län", 14),
];

/// Counties per police region (7 regions for 21 counties) and per military region (4 for 21).
pub const COUNTIES_PER_POLICE_REGION: usize = 3;
/// Counties per military region.
pub const COUNTIES_PER_MILITARY_REGION: usize = 6;
/// Municipalities per rescue service (about 100 rescue services for 290 municipalities).
pub const MUNICIPALITIES_PER_RESCUE_SERVICE: usize = 3;
/// National agencies per block: MSB, Trafikverket, Kustbevakningen.
pub const NATIONAL_AGENCIES: usize = 3;
/// Organisations every county has besides rescue services and municipalities:
/// county board, region, SOS Alarm centre.
pub const COUNTY_BASE: usize = 3;
/// Smallest scenario: the national agencies, one police and one military region, and a
/// county with one rescue service and one municipality.
pub const MIN_ORGANISATIONS: usize = NATIONAL_AGENCIES + 2 + COUNTY_BASE + 2;
/// Largest scenario accepted (about 130 000 units).
pub const MAX_ORGANISATIONS: usize = 45_000;
/// The storm crosses one block's counties over this time (onsets spread over it).
pub const ONSET_SPREAD: SimTime = 12 * HOUR;

/// The structure of a generated scenario: its blocks of counties.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The blocks, the first one named without a suffix.
    pub blocks: Vec<Block>,
}

/// One country's worth of counties with their own national agencies.
#[derive(Clone, Debug)]
pub struct Block {
    /// "" for the first block, "-b2", "-b3", … after it (appended to every id).
    pub suffix: String,
    /// Tag prefix of the block, e.g. "se" or "se-b2".
    pub key: String,
    /// Its counties, in the order of [`COUNTIES`].
    pub counties: Vec<County>,
    /// Counties (indices into `counties`) of each police region.
    pub police: Vec<Vec<usize>>,
    /// Counties of each military region.
    pub military: Vec<Vec<usize>>,
}

/// One county of a block.
#[derive(Clone, Debug)]
pub struct County {
    /// Tag and id prefix, e.g. "ab" or "ab-b2".
    pub key: String,
    /// Its name, e.g. "Stockholms län".
    pub name: String,
    /// Municipalities in it.
    pub municipalities: usize,
    /// Rescue services in it.
    pub rescue: usize,
    /// Whether its area is rural (else a town): the area's `kind`.
    pub rural: bool,
    /// When the storm reaches the county.
    pub onset: SimTime,
    /// Severity of the county's first fact (4 or 5).
    pub severity: u8,
    /// Offsets of the municipal facts after the onset, one per rescue-service area.
    pub municipal_facts: Vec<(usize, SimTime)>,
    /// The real SCB county code (first block only; later blocks carry none), written as
    /// the county board's `county_code`.
    pub county_code: Option<String>,
    /// Real SCB codes of the county's municipalities in code order, for the first
    /// `municipalities` of them (first block only; fewer when the plan gives the county
    /// more municipalities than it has).
    pub municipality_codes: Vec<String>,
}

impl Plan {
    /// Organisations the plan makes.
    pub fn organisations(&self) -> usize {
        self.blocks
            .iter()
            .map(|b| {
                NATIONAL_AGENCIES
                    + b.police.len()
                    + b.military.len()
                    + b.counties.iter().map(|c| COUNTY_BASE + c.rescue + c.municipalities).sum::<usize>()
            })
            .sum()
    }

    /// Units the plan makes: 3 per organisation, except the two-unit ones (county board,
    /// SOS Alarm centre, military region and the three national agencies).
    pub fn units(&self) -> usize {
        self.blocks
            .iter()
            .map(|b| {
                NATIONAL_AGENCIES * 2
                    + b.police.len() * 3
                    + b.military.len() * 2
                    + b.counties.iter().map(|c| 2 + 3 + 2 + 3 * (c.rescue + c.municipalities)).sum::<usize>()
            })
            .sum()
    }

    /// Counties over all blocks.
    pub fn counties(&self) -> usize {
        self.blocks.iter().map(|b| b.counties.len()).sum()
    }
}

/// Spends `organisations` on blocks and counties in order (see the module comment).
pub fn plan(organisations: usize, rng: &mut ChaCha8Rng) -> Result<Plan, GenerateError> {
    if !(MIN_ORGANISATIONS..=MAX_ORGANISATIONS).contains(&organisations) {
        return Err(GenerateError::Size { given: organisations, min: MIN_ORGANISATIONS, max: MAX_ORGANISATIONS });
    }
    let mut left = organisations;
    let mut blocks: Vec<Block> = Vec::new();
    let mut i = 0usize;
    loop {
        let slot = i % COUNTIES.len();
        if slot == 0 {
            let n = blocks.len() + 1;
            let suffix = if n == 1 { String::new() } else { format!("-b{n}") };
            blocks.push(Block {
                key: format!("se{suffix}"),
                suffix,
                counties: vec![],
                police: vec![],
                military: vec![],
            });
            left -= NATIONAL_AGENCIES;
        }
        let overhead = usize::from(slot.is_multiple_of(COUNTIES_PER_POLICE_REGION))
            + usize::from(slot.is_multiple_of(COUNTIES_PER_MILITARY_REGION));
        let (code, scb, name, real) = COUNTIES[slot];
        let full = COUNTY_BASE + real + real.div_ceil(MUNICIPALITIES_PER_RESCUE_SERVICE);
        let rest = left - overhead;
        let county_orgs = if rest < full + next_minimum(slot + 1) { rest } else { full };
        let (rescue, municipalities) = split(county_orgs - COUNTY_BASE);
        let key = format!("{code}{}", blocks.last().expect("pushed above").suffix);
        let mut county = county(key, name, slot, rescue, municipalities, rng);
        if blocks.len() == 1 {
            with_real_codes(&mut county, scb);
        }
        let block = blocks.last_mut().expect("pushed above");
        if slot.is_multiple_of(COUNTIES_PER_POLICE_REGION) {
            block.police.push(vec![]);
        }
        if slot.is_multiple_of(COUNTIES_PER_MILITARY_REGION) {
            block.military.push(vec![]);
        }
        let c = block.counties.len();
        block.police.last_mut().expect("pushed").push(c);
        block.military.last_mut().expect("pushed").push(c);
        block.counties.push(county);
        left = rest - county_orgs;
        i += 1;
        if left == 0 {
            return Ok(Plan { blocks });
        }
    }
}

/// Gives a county of the first block its real county code and the real codes of its
/// first municipalities (in SCB code order).
fn with_real_codes(county: &mut County, scb: &str) {
    county.county_code = Some(scb.to_string());
    let real = crate::geo::municipalities_of(scb).into_iter().take(county.municipalities);
    county.municipality_codes = real.map(|m| m.code.clone()).collect();
}

/// Organisations the county after this one needs at least (with what it opens).
fn next_minimum(slot: usize) -> usize {
    let slot = slot % COUNTIES.len();
    let national = if slot == 0 { NATIONAL_AGENCIES } else { 0 };
    national
        + usize::from(slot.is_multiple_of(COUNTIES_PER_POLICE_REGION))
        + usize::from(slot.is_multiple_of(COUNTIES_PER_MILITARY_REGION))
        + COUNTY_BASE
        + 2
}

/// Splits a county's rescue services and municipalities: one rescue service per three
/// municipalities, at least one of each.
fn split(orgs: usize) -> (usize, usize) {
    let per = MUNICIPALITIES_PER_RESCUE_SERVICE + 1;
    let rescue = orgs.div_ceil(per).max(1);
    (rescue, orgs - rescue)
}

fn county(key: String, name: &str, slot: usize, rescue: usize, municipalities: usize, rng: &mut ChaCha8Rng) -> County {
    let spread = ONSET_SPREAD * slot as SimTime / COUNTIES.len() as SimTime;
    let onset = spread + rng.random_range(0..30) * MINUTE;
    let severity = if slot == 0 || rng.random_bool(1.0 / 3.0) { 5 } else { 4 };
    let municipal_facts = (0..municipalities)
        .step_by(MUNICIPALITIES_PER_RESCUE_SERVICE)
        .map(|m| (m, rng.random_range(30..360) * MINUTE))
        .collect();
    County {
        key,
        name: name.to_string(),
        municipalities,
        rescue,
        rural: slot != 0 && rng.random_bool(0.7),
        onset,
        severity,
        municipal_facts,
        county_code: None,
        municipality_codes: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn rng() -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(1)
    }

    #[test]
    fn spends_exactly_the_budget() {
        for n in [MIN_ORGANISATIONS, 11, 15, 37, 140, 474, 475, 1000, 4567] {
            let p = plan(n, &mut rng()).unwrap();
            assert_eq!(p.organisations(), n, "n = {n}");
            for c in p.blocks.iter().flat_map(|b| &b.counties) {
                assert!(c.rescue >= 1 && c.municipalities >= 1, "n = {n}: {c:?}");
            }
        }
    }

    #[test]
    fn the_real_country_fits_one_block() {
        // 21 counties with their real municipality counts, one rescue service per three.
        let real: usize = COUNTIES.iter().map(|c| COUNTY_BASE + c.3 + c.3.div_ceil(3)).sum();
        let n = NATIONAL_AGENCIES + 7 + 4 + real;
        let p = plan(n, &mut rng()).unwrap();
        assert_eq!(p.blocks.len(), 1);
        assert_eq!(p.counties(), 21);
        assert_eq!(p.blocks[0].police.len(), 7);
        assert_eq!(p.blocks[0].military.len(), 4);
        let municipalities: usize = p.blocks[0].counties.iter().map(|c| c.municipalities).sum();
        assert_eq!(municipalities, 290);
        // One organisation more starts a second block's worth of structure only when it fits.
        assert_eq!(plan(n + 1, &mut rng()).unwrap().blocks.len(), 1);
    }

    #[test]
    fn county_codes_names_and_sizes_agree_with_the_outlines() {
        for (_, scb, name, n) in COUNTIES {
            let outline = crate::geo::county(scb).unwrap_or_else(|| panic!("{scb} {name}: no such county"));
            assert!(name.starts_with(&outline.name), "{scb}: {name} vs {}", outline.name);
            assert_eq!(crate::geo::municipalities_of(scb).len(), n, "{scb} {name}");
        }
        assert_eq!(crate::geo::counties().len(), COUNTIES.len());
    }

    #[test]
    fn only_the_first_block_carries_codes_each_real_and_in_its_county() {
        let p = plan(1200, &mut rng()).unwrap();
        assert!(p.blocks.len() >= 2);
        for (slot, c) in p.blocks[0].counties.iter().enumerate() {
            let scb = COUNTIES[slot].1;
            assert_eq!(c.county_code.as_deref(), Some(scb));
            assert_eq!(c.municipality_codes.len(), c.municipalities.min(COUNTIES[slot].3));
            for code in &c.municipality_codes {
                assert_eq!(crate::geo::municipality(code).map(|m| m.county.as_str()), Some(scb), "{code}");
            }
        }
        for c in p.blocks.iter().skip(1).flat_map(|b| &b.counties) {
            assert!(c.county_code.is_none() && c.municipality_codes.is_empty(), "{}", c.key);
        }
    }

    #[test]
    fn refuses_sizes_out_of_range() {
        assert!(plan(MIN_ORGANISATIONS - 1, &mut rng()).is_err());
        assert!(plan(MAX_ORGANISATIONS + 1, &mut rng()).is_err());
    }
}
