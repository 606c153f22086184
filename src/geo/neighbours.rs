//! Which municipalities border each other, from the embedded outlines: two municipalities
//! are neighbours when a boundary point of one lies within [`TOUCH_KM`] of a boundary point
//! of the other. The outlines were simplified with their shared borders kept shared
//! (data/geo/README.md), so neighbours share points and others are kilometres apart; a
//! border across water (Lidingö–Nacka) counts, as the outlines meet there.
//!
//! Computed once per process for all 290 municipalities (bounding boxes first, then points).

use super::{Municipality, municipalities};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Boundary points this close (km) make two municipalities neighbours.
pub const TOUCH_KM: f64 = 0.3;

/// Kilometres per degree of latitude, and of longitude at Sweden's middle latitude (62°N):
/// close enough for a 300 m threshold.
const KM_PER_DEG_LAT: f64 = 111.2;
const KM_PER_DEG_LON: f64 = 52.2;

struct Bounds {
    lo: (f64, f64),
    hi: (f64, f64),
}

fn bounds(m: &Municipality) -> Bounds {
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for &(lon, lat) in m.polygons.iter().flatten().flatten() {
        lo = (lo.0.min(lon), lo.1.min(lat));
        hi = (hi.0.max(lon), hi.1.max(lat));
    }
    Bounds { lo, hi }
}

fn boxes_near(a: &Bounds, b: &Bounds) -> bool {
    let (dlon, dlat) = (TOUCH_KM / KM_PER_DEG_LON * 3.0, TOUCH_KM / KM_PER_DEG_LAT);
    a.lo.0 <= b.hi.0 + dlon && b.lo.0 <= a.hi.0 + dlon && a.lo.1 <= b.hi.1 + dlat && b.lo.1 <= a.hi.1 + dlat
}

fn points_touch(a: &Municipality, b: &Municipality) -> bool {
    let close = |(x1, y1): (f64, f64), (x2, y2): (f64, f64)| {
        let (dx, dy) = ((x1 - x2) * KM_PER_DEG_LON, (y1 - y2) * KM_PER_DEG_LAT);
        dx * dx + dy * dy <= TOUCH_KM * TOUCH_KM
    };
    let pb: Vec<(f64, f64)> = b.polygons.iter().flatten().flatten().copied().collect();
    a.polygons.iter().flatten().flatten().any(|&p| pb.iter().any(|&q| close(p, q)))
}

fn pairs() -> &'static HashSet<(&'static str, &'static str)> {
    static PAIRS: OnceLock<HashSet<(&'static str, &'static str)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let all = municipalities();
        let boxes: Vec<Bounds> = all.iter().map(bounds).collect();
        let mut out = HashSet::new();
        for i in 0..all.len() {
            for j in i + 1..all.len() {
                if boxes_near(&boxes[i], &boxes[j]) && points_touch(&all[i], &all[j]) {
                    out.insert((all[i].code.as_str(), all[j].code.as_str()));
                    out.insert((all[j].code.as_str(), all[i].code.as_str()));
                }
            }
        }
        out
    })
}

/// Whether the municipalities with SCB codes `a` and `b` border each other (false for an
/// unknown code or `a == b`).
pub fn are_neighbours(a: &str, b: &str) -> bool {
    pairs().contains(&(a, b))
}

/// The codes of the municipalities bordering `code`, in the file's order.
pub fn neighbours(code: &str) -> Vec<&'static str> {
    municipalities().iter().map(|m| m.code.as_str()).filter(|c| are_neighbours(code, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(code: &str) -> Vec<&'static str> {
        let mut n: Vec<&str> =
            neighbours(code).into_iter().map(|c| super::super::municipality(c).unwrap().name.as_str()).collect();
        n.sort();
        n
    }

    #[test]
    fn neighbours_follow_the_map() {
        // Solna borders Stockholm, Sundbyberg, Sollentuna and Danderyd, and nothing else.
        assert_eq!(names("0184"), ["Danderyd", "Sollentuna", "Stockholm", "Sundbyberg"]);
        // Sundbyberg is enclosed by Stockholm, Solna and Sollentuna.
        assert_eq!(names("0183"), ["Sollentuna", "Solna", "Stockholm"]);
        assert!(are_neighbours("0180", "0182") && are_neighbours("0182", "0180")); // Stockholm–Nacka
        assert!(!are_neighbours("0180", "0188")); // Stockholm–Norrtälje: far apart
        assert!(!are_neighbours("0180", "0180"));
        assert!(!are_neighbours("0180", "9999"));
        // Across a county border: Nykvarn (Stockholm) and Gnesta (Södermanland).
        assert!(are_neighbours("0140", "0461"));
    }

    #[test]
    fn every_municipality_but_islands_has_a_neighbour() {
        let alone: Vec<&str> =
            municipalities().iter().filter(|m| neighbours(&m.code).is_empty()).map(|m| m.name.as_str()).collect();
        // Gotland is an island; no other municipality stands alone.
        assert_eq!(alone, ["Gotland"]);
    }
}
