//! Geography for the map chart: the outlines of Sweden's municipalities and counties
//! (embedded GeoJSON, `data/geo/README.md` for provenance), an equirectangular
//! projection with x scaled by the cosine of the middle latitude ([`Projection`]), and
//! point-in-polygon on drawn coordinates ([`inside`]).
//!
//! The data is parsed once per process on first use ([`municipalities`], [`counties`]).

pub mod knowing;
pub mod neighbours;

use serde::Deserialize;
use std::sync::OnceLock;

static MUNICIPALITIES: &str = include_str!("../../data/geo/sweden-municipalities.geojson");
static COUNTIES: &str = include_str!("../../data/geo/sweden-counties.geojson");

/// A point as GeoJSON orders it: (longitude, latitude), degrees.
pub type LonLat = (f64, f64);
/// A polygon: its outer ring first, then holes; each ring closed or not.
pub type Polygon = Vec<Vec<LonLat>>;

/// One municipality of `sweden-municipalities.geojson`.
#[derive(Clone, Debug)]
pub struct Municipality {
    /// SCB code, 4 digits, e.g. "0127".
    pub code: String,
    /// `kom_namn`, e.g. "Botkyrka".
    pub name: String,
    /// `lan_code`, 2 digits, e.g. "01".
    pub county: String,
    /// `geo_point_2d`: a point inside the municipality.
    pub inner: LonLat,
    /// Its outline: one polygon per part (islands apart).
    pub polygons: Vec<Polygon>,
}

/// One county of `sweden-counties.geojson`.
#[derive(Clone, Debug)]
pub struct County {
    /// `l_id` as two digits, e.g. "01".
    pub code: String,
    /// `name`, e.g. "Stockholm".
    pub name: String,
    /// A point well inside the county, for its label ([`label_point`]).
    pub inner: LonLat,
    /// Its outline: one polygon per part (islands apart).
    pub polygons: Vec<Polygon>,
}

/// A shape the map draws: a municipality or a county.
#[derive(Clone, Copy, Debug)]
pub struct Shape<'a> {
    /// SCB code: 4 digits for a municipality, 2 for a county.
    pub code: &'a str,
    /// Its name as the outline file gives it.
    pub name: &'a str,
    /// A point inside it, where its label goes.
    pub inner: LonLat,
    /// Its outline.
    pub polygons: &'a [Polygon],
}

impl Municipality {
    /// The municipality as the map draws it.
    pub fn shape(&self) -> Shape<'_> {
        Shape { code: &self.code, name: &self.name, inner: self.inner, polygons: &self.polygons }
    }
}

impl County {
    /// The county as the map draws it.
    pub fn shape(&self) -> Shape<'_> {
        Shape { code: &self.code, name: &self.name, inner: self.inner, polygons: &self.polygons }
    }
}

#[derive(Deserialize)]
struct Collection<P> {
    features: Vec<Feature<P>>,
}

#[derive(Deserialize)]
struct Feature<P> {
    properties: P,
    geometry: Geometry,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

impl Geometry {
    fn polygons(self) -> Vec<Polygon> {
        let ring = |r: Vec<[f64; 2]>| r.into_iter().map(|[lon, lat]| (lon, lat)).collect::<Vec<_>>();
        let poly = |p: Vec<Vec<[f64; 2]>>| p.into_iter().map(ring).collect::<Polygon>();
        match self {
            Geometry::Polygon(p) => vec![poly(p)],
            Geometry::MultiPolygon(ps) => ps.into_iter().map(poly).collect(),
        }
    }
}

#[derive(Deserialize)]
struct MunicipalityProps {
    id: String,
    kom_namn: String,
    lan_code: String,
    geo_point_2d: [f64; 2],
}

#[derive(Deserialize)]
struct CountyProps {
    name: String,
    l_id: u32,
}

/// All 290 municipalities, in the file's order. The embedded file is checked by the
/// tests; should it not parse, this is empty (and every code is then unknown).
pub fn municipalities() -> &'static [Municipality] {
    static PARSED: OnceLock<Vec<Municipality>> = OnceLock::new();
    PARSED.get_or_init(|| {
        let Ok(c) = serde_json::from_str::<Collection<MunicipalityProps>>(MUNICIPALITIES) else {
            return vec![];
        };
        c.features
            .into_iter()
            .map(|f| {
                let p = f.properties;
                Municipality {
                    code: p.id,
                    name: p.kom_namn,
                    county: p.lan_code,
                    inner: (p.geo_point_2d[1], p.geo_point_2d[0]),
                    polygons: f.geometry.polygons(),
                }
            })
            .collect()
    })
}

/// The 21 counties, in the file's order (empty if the embedded file did not parse).
pub fn counties() -> &'static [County] {
    static PARSED: OnceLock<Vec<County>> = OnceLock::new();
    PARSED.get_or_init(|| {
        let Ok(c) = serde_json::from_str::<Collection<CountyProps>>(COUNTIES) else {
            return vec![];
        };
        c.features
            .into_iter()
            .map(|f| {
                let code = format!("{:02}", f.properties.l_id);
                let polygons = f.geometry.polygons();
                County { inner: label_point(&polygons), code, name: f.properties.name, polygons }
            })
            .collect()
    })
}

/// A point well inside the largest of `polygons` (by bounding box), for a label: of a
/// 32 × 32 grid over its bounding box, the point inside it farthest from its outline
/// (distances with longitude scaled by the cosine of the latitude); (0, 0) for none.
pub fn label_point(polygons: &[Polygon]) -> LonLat {
    let bbox = |p: &Polygon| {
        let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
        for &(x, y) in &p[0] {
            lo = (lo.0.min(x), lo.1.min(y));
            hi = (hi.0.max(x), hi.1.max(y));
        }
        (lo, hi)
    };
    let area = |p: &Polygon| {
        let (lo, hi) = bbox(p);
        (hi.0 - lo.0) * (hi.1 - lo.1)
    };
    let Some(largest) = polygons.iter().filter(|p| !p.is_empty()).max_by(|a, b| area(a).total_cmp(&area(b))) else {
        return (0.0, 0.0);
    };
    let (lo, hi) = bbox(largest);
    let cos = ((lo.1 + hi.1) / 2.0).to_radians().cos();
    let n = 32;
    let mut best = (f64::MIN, largest[0].first().copied().unwrap_or_default());
    for i in 0..n {
        for j in 0..n {
            let p = (
                lo.0 + (hi.0 - lo.0) * (i as f64 + 0.5) / n as f64,
                lo.1 + (hi.1 - lo.1) * (j as f64 + 0.5) / n as f64,
            );
            if !inside(p, largest) {
                continue;
            }
            let d = outline_distance(p, largest, cos);
            if d > best.0 {
                best = (d, p);
            }
        }
    }
    best.1
}

/// Distance (degrees of latitude) from `p` to the nearest edge of `polygon`'s rings.
fn outline_distance(p: LonLat, polygon: &Polygon, cos: f64) -> f64 {
    let mut best = f64::MAX;
    for ring in polygon {
        for w in ring.windows(2) {
            let (a, b) = (((w[0].0 - p.0) * cos, w[0].1 - p.1), ((w[1].0 - p.0) * cos, w[1].1 - p.1));
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len = dx * dx + dy * dy;
            let t = if len > 0.0 { (-(a.0 * dx + a.1 * dy) / len).clamp(0.0, 1.0) } else { 0.0 };
            best = best.min((a.0 + t * dx).hypot(a.1 + t * dy));
        }
    }
    best
}

/// The county with code `code` ("01").
pub fn county(code: &str) -> Option<&'static County> {
    counties().iter().find(|c| c.code == code)
}

/// The municipalities of county `code`, in SCB code order.
pub fn municipalities_of(code: &str) -> Vec<&'static Municipality> {
    let mut out: Vec<&Municipality> = municipalities().iter().filter(|m| m.county == code).collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

/// Why a county code is not accepted (`None`: it is).
pub fn check_county_code(code: &str) -> Option<String> {
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("`{code}` is not a county (län) code: 2 digits as a string, e.g. \"01\" for Stockholm"));
    }
    if county(code).is_none() {
        return Some(format!(
            "no county has the code `{code}` (the 21 codes of SCB's register, e.g. \"01\" Stockholm, \"12\" Skåne, \
             \"25\" Norrbotten; see data/geo/README.md)"
        ));
    }
    None
}

/// The municipality with SCB code `code`.
pub fn municipality(code: &str) -> Option<&'static Municipality> {
    municipalities().iter().find(|m| m.code == code)
}

/// Why a municipality code is not accepted (`None`: it is).
pub fn check_municipality_code(code: &str) -> Option<String> {
    if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "`{code}` is not an SCB municipality code: 4 digits as a string, e.g. \"0127\" for Botkyrka"
        ));
    }
    if municipality(code).is_none() {
        return Some(format!(
            "no municipality has the code `{code}` (the 290 codes of SCB's register, e.g. \"0180\" Stockholm, \
             \"0127\" Botkyrka; see data/geo/README.md)"
        ));
    }
    None
}

/// An equirectangular projection of a bounding box onto a pixel rectangle, x scaled by
/// the cosine of the box's middle latitude so that shapes keep their proportions, north
/// up, centred in the rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    lon0: f64,
    lat1: f64,
    cos: f64,
    /// Pixels per (cos-scaled) degree.
    scale: f64,
    x0: f64,
    y0: f64,
}

impl Projection {
    /// Fits `points` (lon, lat) into the pixel box `(left, top)`–`(right, bottom)`.
    pub fn fit(points: impl IntoIterator<Item = LonLat>, (left, top): (i32, i32), (right, bottom): (i32, i32)) -> Self {
        let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
        for (lon, lat) in points {
            lo = (lo.0.min(lon), lo.1.min(lat));
            hi = (hi.0.max(lon), hi.1.max(lat));
        }
        if lo.0 > hi.0 {
            lo = (0.0, 0.0);
            hi = (1.0, 1.0);
        }
        let cos = ((lo.1 + hi.1) / 2.0).to_radians().cos();
        let (w, h) = (((hi.0 - lo.0) * cos).max(1e-9), (hi.1 - lo.1).max(1e-9));
        let (pw, ph) = ((right - left) as f64, (bottom - top) as f64);
        let scale = (pw / w).min(ph / h);
        let x0 = left as f64 + (pw - w * scale) / 2.0;
        let y0 = top as f64 + (ph - h * scale) / 2.0;
        Projection { lon0: lo.0, lat1: hi.1, cos, scale, x0, y0 }
    }

    /// Pixel position (fractional) of a point.
    pub fn xy(&self, (lon, lat): LonLat) -> (f64, f64) {
        (self.x0 + (lon - self.lon0) * self.cos * self.scale, self.y0 + (self.lat1 - lat) * self.scale)
    }

    /// Pixel position, rounded.
    pub fn px(&self, p: LonLat) -> (i32, i32) {
        let (x, y) = self.xy(p);
        (x.round() as i32, y.round() as i32)
    }
}

/// Whether `p` lies inside `polygon` (outer ring minus holes), by ray casting; works on
/// any planar coordinates (degrees or drawn pixels).
pub fn inside(p: (f64, f64), polygon: &[Vec<(f64, f64)>]) -> bool {
    let mut crossings = 0;
    for ring in polygon {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            if (a.1 > p.1) != (b.1 > p.1) {
                let x = a.0 + (p.1 - a.1) / (b.1 - a.1) * (b.0 - a.0);
                if p.0 < x {
                    crossings += 1;
                }
            }
        }
    }
    crossings % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_files_parse() {
        assert_eq!(municipalities().len(), 290);
        assert_eq!(counties().len(), 21);
        assert_eq!(municipality("0127").map(|m| m.name.as_str()), Some("Botkyrka"));
        assert_eq!(municipalities().iter().filter(|m| m.county == "01").count(), 26);
        assert!(counties().iter().any(|c| c.code == "01"));
    }

    #[test]
    fn codes_are_checked() {
        assert!(check_municipality_code("0127").is_none());
        assert!(check_municipality_code("127").is_some());
        assert!(check_municipality_code("0000").is_some());
        assert!(check_county_code("01").is_none());
        assert!(check_county_code("1").is_some());
        assert!(check_county_code("02").is_some(), "02 is not a county code today");
    }

    #[test]
    fn each_county_label_point_lies_inside_the_county() {
        for c in counties() {
            assert!(c.polygons.iter().any(|p| inside(c.inner, p)), "{} {}: {:?}", c.code, c.name, c.inner);
        }
    }
}
