//! Decimal commas in Swedish charts: [`Comma`] wraps a drawing backend and writes every
//! text it is given with a decimal comma (`24,1 min`, `0,5`) instead of a point, so
//! that axes, labels and legends of every chart follow the report's language without
//! each chart formatting numbers itself. [`decimal_commas`] does the same for text.
//!
//! A point between two digits is the only one changed: file names (`stats.csv`) and
//! words keep theirs.

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};
use std::borrow::Cow;

/// `text` with each point between two digits written as a comma.
pub fn decimal_commas(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let at =
        |i: usize| b[i] == b'.' && i > 0 && i + 1 < b.len() && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit();
    if !(0..b.len()).any(at) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        out.push(if c == '.' && at(i) { ',' } else { c });
    }
    Cow::Owned(out)
}

/// A backend that draws what `B` draws, texts with decimal commas when `comma` is set.
pub struct Comma<B> {
    inner: B,
    comma: bool,
}

impl<B> Comma<B> {
    pub fn new(inner: B, comma: bool) -> Comma<B> {
        Comma { inner, comma }
    }

    fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.comma { decimal_commas(text) } else { Cow::Borrowed(text) }
    }
}

type Drawn<B> = Result<(), DrawingErrorKind<<B as DrawingBackend>::ErrorType>>;

impl<B: DrawingBackend> DrawingBackend for Comma<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Drawn<B> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Drawn<B> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn<B> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Drawn<B> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, fill: bool) -> Drawn<B> {
        self.inner.draw_rect(ul, br, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Drawn<B> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, style: &S, fill: bool) -> Drawn<B> {
        self.inner.draw_circle(c, r, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> Drawn<B> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Drawn<B> {
        let text = self.text(text);
        self.inner.draw_text(&text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.inner.estimate_text_size(&self.text(text), style)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Drawn<B> {
        self.inner.blit_bitmap(pos, size, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_points_between_digits_become_commas() {
        assert_eq!(decimal_commas("24.1 min"), "24,1 min");
        assert_eq!(decimal_commas("−0.5 to 1.25 (stats.csv)."), "−0,5 to 1,25 (stats.csv).");
        assert_eq!(decimal_commas("2017-04-07 14:53"), "2017-04-07 14:53");
        assert!(matches!(decimal_commas("no numbers."), Cow::Borrowed(_)));
    }
}
