//! The shared look of every chart: the embedded font (DejaVu Sans, so text renders on a
//! machine without system fonts), a colour-blind-safe palette (Okabe & Ito 2008), text
//! sizes, legends, the "no data" picture, and rendering one chart to PNG and SVG bytes.

use crate::vocabulary::Level;
use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform, register_font};

pub(crate) static REGULAR: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold.ttf");
static FONTS: std::sync::Once = std::sync::Once::new();

/// The family every chart asks for; it is registered from the embedded font.
pub const FAMILY: &str = "sans-serif";

/// Registers the embedded font (once per process). Must run before any text is drawn.
pub fn init_fonts() {
    FONTS.call_once(|| {
        for name in [FAMILY, "serif", "monospace"] {
            // Failure cannot happen with the embedded files; if it did, drawing text
            // reports a font error instead.
            let _ = register_font(name, FontStyle::Normal, REGULAR);
            let _ = register_font(name, FontStyle::Bold, BOLD);
        }
    });
}

/// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const VERMILION: RGBColor = RGBColor(213, 94, 0);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
/// Text and axes.
pub const INK: RGBColor = RGBColor(34, 34, 34);
pub const GREY: RGBColor = RGBColor(120, 120, 120);
pub const LIGHT: RGBColor = RGBColor(225, 225, 225);
pub const FAINT: RGBColor = RGBColor(246, 246, 246);

/// Colours for series without a fixed meaning (variants): repeats after eight.
pub const SERIES: [RGBColor; 8] = [BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, INK, YELLOW];

pub fn series(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// Each level keeps its colour in every chart.
pub fn level_colour(level: Level) -> RGBColor {
    match level {
        Level::Strategic => BLUE,
        Level::Coordinating => ORANGE,
        Level::Executive => GREEN,
    }
}

/// Levels from top to bottom, as every chart stacks them (the hierarchy).
pub const LEVELS_TOP_DOWN: [Level; 3] = [Level::Strategic, Level::Coordinating, Level::Executive];

/// The colours of the five delay parts (transit, queue, processing, meeting, activation).
pub const PART_COLOURS: [RGBColor; 5] = [SKY, VERMILION, BLUE, ORANGE, PURPLE];

pub const TITLE: u32 = 24;
pub const SUBTITLE: u32 = 15;
pub const AXIS: u32 = 16;
pub const LABEL: u32 = 14;
pub const SMALL: u32 = 12;
/// Height of the title block drawn by [`heading`].
pub const HEAD: i32 = 62;

pub fn text(size: u32) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&INK)
}

pub fn bold(size: u32) -> TextStyle<'static> {
    (FAMILY, size, FontStyle::Bold).into_font().color(&INK)
}

/// `style` anchored at (`h`, `v`) of the text box.
pub fn anchored<'a>(style: TextStyle<'a>, h: HPos, v: VPos) -> TextStyle<'a> {
    style.pos(Pos::new(h, v))
}

pub fn rotated<'a>(style: TextStyle<'a>) -> TextStyle<'a> {
    style.transform(FontTransform::Rotate270)
}

/// An error while drawing a chart (from the plotting backend).
#[derive(Debug)]
pub struct DrawError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

pub type Drawn = Result<(), DrawError>;

/// One chart: its size in pixels and how to draw it on any backend.
pub trait Chart {
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn;
    /// Whether numbers in the chart's texts take a decimal comma (a Swedish chart):
    /// [`render`] then writes every text through [`super::comma::Comma`].
    fn comma(&self) -> bool {
        false
    }
}

/// A rendered chart.
pub struct Picture {
    pub png: Vec<u8>,
    pub svg: String,
}

/// Draws `chart` twice, as PNG and as SVG; both are byte-identical for the same input.
pub fn render(chart: &impl Chart) -> Result<Picture, DrawError> {
    init_fonts();
    let (w, h) = chart.size();
    let mut buf = vec![0u8; w as usize * h as usize * 3];
    {
        let png = super::bitmap::Png::with_buffer(&mut buf, (w, h));
        let root = super::comma::Comma::new(png, chart.comma()).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root)?;
        root.present()?;
    }
    let mut svg = String::new();
    {
        let root =
            super::comma::Comma::new(SVGBackend::with_string(&mut svg, (w, h)), chart.comma()).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root)?;
        root.present()?;
    }
    Ok(Picture { png: encode_png(&buf, w, h)?, svg })
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, DrawError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let err = |e: png::EncodingError| DrawError(format!("PNG encoding: {e}"));
    let mut writer = enc.write_header().map_err(err)?;
    writer.write_image_data(rgb).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

/// Width in pixels of `s` in `style` (0 when the font cannot measure it).
pub fn width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, style: &TextStyle) -> i32 {
    root.estimate_text_size(s, style).map(|(w, _)| w as i32).unwrap_or(0)
}

/// `s` shortened with "…" so that it fits in `max` pixels.
pub fn fit<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, style: &TextStyle, max: i32) -> String {
    if width(root, s, style) <= max {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    for n in (1..chars.len()).rev() {
        let t: String = chars[..n].iter().collect::<String>() + "…";
        if width(root, &t, style) <= max {
            return t;
        }
    }
    "…".into()
}

/// `s` broken into lines of at most `max` pixels (at spaces; a long word is shortened).
pub fn wrap<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, style: &TextStyle, max: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(line) if width(root, &format!("{line} {word}"), style) <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(fit(root, word, style, max)),
        }
    }
    lines
}

pub fn put<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, at: (i32, i32), style: &TextStyle) -> Drawn {
    root.draw(&Text::new(s.to_string(), at, style.clone()))?;
    Ok(())
}

/// The title (bold) and a one-line subtitle at the top of a chart.
pub fn heading<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str, subtitle: &str) -> Drawn {
    let w = root.dim_in_pixel().0 as i32;
    put(root, &fit(root, title, &bold(TITLE), w - 40), (20, 12), &bold(TITLE))?;
    let sub = text(SUBTITLE).color(&GREY);
    put(root, &fit(root, subtitle, &sub, w - 40), (20, 42), &sub)
}

/// A chart with nothing to show: the title and, in the middle, why.
pub fn no_data<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str, why: &str) -> Drawn {
    heading(root, title, "")?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    root.draw(&Rectangle::new([(40, HEAD + 20), (w - 40, h - 30)], FAINT.filled()))?;
    root.draw(&Rectangle::new([(40, HEAD + 20), (w - 40, h - 30)], LIGHT.stroke_width(1)))?;
    let style = anchored(text(AXIS + 2).color(&GREY), HPos::Center, VPos::Center);
    put(root, &fit(root, why, &style, w - 120), (w / 2, (HEAD + h) / 2), &style)
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
pub enum Mark {
    Box(RGBColor),
    /// A translucent band (alpha).
    Band(RGBColor, f64),
    Line(RGBColor, u32),
    Dashed(RGBColor),
    Dot(RGBColor),
    Diamond(RGBColor),
}

/// Draws legend entries left to right from `at`, wrapping before `right`; returns the
/// y just below the last line.
pub fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[(String, Mark)],
    at: (i32, i32),
    right: i32,
) -> Result<i32, DrawError> {
    let style = anchored(text(LABEL), HPos::Left, VPos::Center);
    let (mut x, mut y) = at;
    for (label, mark) in items {
        let w = 26 + width(root, label, &style) + 22;
        if x + w > right && x > at.0 {
            x = at.0;
            y += 22;
        }
        swatch(root, *mark, (x, y))?;
        put(root, label, (x + 26, y), &style)?;
        x += w;
    }
    Ok(y + 14)
}

/// One legend swatch centred vertically on `y`, 20 px wide from `x`.
pub fn swatch<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, mark: Mark, (x, y): (i32, i32)) -> Drawn {
    match mark {
        Mark::Box(c) => root.draw(&Rectangle::new([(x, y - 7), (x + 20, y + 7)], c.filled()))?,
        Mark::Band(c, a) => root.draw(&Rectangle::new([(x, y - 8), (x + 20, y + 8)], c.mix(a).filled()))?,
        Mark::Line(c, w) => root.draw(&PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(w)))?,
        Mark::Dashed(c) => dashed(root, (x, y), (x + 20, y), c, 2)?,
        Mark::Dot(c) => root.draw(&Circle::new((x + 10, y), 5, c.filled()))?,
        Mark::Diamond(c) => diamond(root, (x + 10, y), 6, c)?,
    }
    Ok(())
}

pub fn diamond<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, (x, y): (i32, i32), r: i32, c: RGBColor) -> Drawn {
    root.draw(&Polygon::new(vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)], c.filled()))?;
    Ok(())
}

/// A dashed straight line (6 px dashes, 4 px gaps).
pub fn dashed<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    a: (i32, i32),
    b: (i32, i32),
    c: RGBColor,
    w: u32,
) -> Drawn {
    let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
    let len = (dx * dx + dy * dy).sqrt();
    let mut s = 0.0;
    while s < len {
        let e = (s + 6.0).min(len);
        let p = |t: f64| ((a.0 as f64 + dx * t / len) as i32, (a.1 as f64 + dy * t / len) as i32);
        root.draw(&PathElement::new(vec![p(s), p(e)], c.stroke_width(w)))?;
        s += 10.0;
    }
    Ok(())
}

/// A sequential colour for `v` in 0–1 (viridis, reversed so that low is light):
/// readable in grey scale and with colour-vision deficiencies.
pub fn sequential(v: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 6] =
        [(253, 231, 37), (122, 209, 81), (34, 168, 132), (42, 120, 142), (65, 68, 135), (68, 1, 84)];
    let v = v.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (v.floor() as usize).min(STOPS.len() - 2);
    let t = v - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever reads better on `bg`.
pub fn on(bg: RGBColor) -> RGBColor {
    let l = 0.299 * bg.0 as f64 + 0.587 * bg.1 as f64 + 0.114 * bg.2 as f64;
    if l > 140.0 { INK } else { WHITE }
}
