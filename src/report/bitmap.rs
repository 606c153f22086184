//! The PNG drawing backend: plotters' bitmap backend with text drawn here instead.
//! plotters 0.3.7 places each glyph at its advance but ignores its left bearing, which
//! leaves visible gaps inside words ("shad ed"); this draws glyphs where the font puts
//! them, with the same text widths plotters uses for layout. Everything else is
//! delegated unchanged.

use super::style::{BOLD, REGULAR};
use ab_glyph::{Font, FontRef, ScaleFont, point};
use plotters::backend::BitMapBackend;
use plotters::prelude::DrawingBackend;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use std::sync::OnceLock;

type Error = <BitMapBackend<'static> as DrawingBackend>::ErrorType;
type Result<T> = std::result::Result<T, DrawingErrorKind<Error>>;

#[derive(Debug)]
struct BadFont;

impl std::fmt::Display for BadFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the embedded font cannot be read")
    }
}

impl std::error::Error for BadFont {}

fn fonts() -> Option<&'static (FontRef<'static>, FontRef<'static>)> {
    static FONTS: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FONTS.get_or_init(|| Some((FontRef::try_from_slice(REGULAR).ok()?, FontRef::try_from_slice(BOLD).ok()?))).as_ref()
}

pub struct Png<'a> {
    inner: BitMapBackend<'a>,
}

impl<'a> Png<'a> {
    pub fn with_buffer(buf: &'a mut [u8], size: (u32, u32)) -> Png<'a> {
        Png { inner: BitMapBackend::with_buffer(buf, size) }
    }
}

impl DrawingBackend for Png<'_> {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<()> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<()> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<()> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<()> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, style: &S, fill: bool) -> Result<()> {
        self.inner.draw_rect(a, b, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Result<()> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, style: &S, fill: bool) -> Result<()> {
        self.inner.draw_circle(c, r, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<()> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<()> {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// Text anchored as plotters anchors it: horizontally by the advance width,
    /// vertically at the top of the ascent, the middle, or the bottom of the descent.
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<()> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let (regular, bold) = fonts().ok_or_else(|| DrawingErrorKind::FontError(Box::new(BadFont)))?;
        let font = if matches!(style.style(), FontStyle::Bold) { bold } else { regular };
        let scaled = font.as_scaled(style.size() as f32);
        let width = advance(&scaled, text);
        let anchor = style.anchor();
        let mut caret = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let baseline = match anchor.v_pos {
            VPos::Top => scaled.ascent(),
            VPos::Center => (scaled.ascent() + scaled.descent()) / 2.0,
            VPos::Bottom => scaled.descent(),
        };
        let transform = style.transform();
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                caret += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(scaled.scale(), point(caret, baseline));
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                let mut pixels = Vec::new();
                outline.draw(|x, y, coverage| pixels.push((x, y, coverage)));
                for (x, y, coverage) in pixels {
                    let (dx, dy) = transform.transform(b.min.x as i32 + x as i32, b.min.y as i32 + y as i32);
                    let c = BackendColor { alpha: color.alpha * coverage.min(1.0) as f64, rgb: color.rgb };
                    self.inner.draw_pixel((pos.0 + dx, pos.1 + dy), c)?;
                }
            }
            caret += scaled.h_advance(id);
            prev = Some(id);
        }
        Ok(())
    }
}

/// The advance width of `text` (as plotters measures it for layout).
fn advance<F: Font>(scaled: &ab_glyph::PxScaleFont<&F>, text: &str) -> f32 {
    let mut w = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        w += scaled.h_advance(id);
        if let Some(p) = prev {
            w += scaled.kern(p, id);
        }
        prev = Some(id);
    }
    w
}
