//! CSV dialects: the tidy comma dialect data tools expect (the default), and the one a
//! Swedish-locale Excel opens in columns (`excel-sv`: semicolons, decimal commas, a UTF-8
//! byte-order mark so that å, ä and ö survive, CRLF line ends).

/// How a CSV file is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvDialect {
    /// Comma-separated, decimal point, UTF-8 without a byte-order mark, LF.
    #[default]
    Comma,
    /// Semicolon-separated, decimal comma, UTF-8 with a byte-order mark, CRLF.
    ExcelSv,
}

impl CsvDialect {
    pub fn delimiter(self) -> u8 {
        match self {
            CsvDialect::Comma => b',',
            CsvDialect::ExcelSv => b';',
        }
    }

    /// Bytes that start the file.
    pub fn preamble(self) -> &'static [u8] {
        match self {
            CsvDialect::Comma => b"",
            CsvDialect::ExcelSv => b"\xEF\xBB\xBF",
        }
    }

    pub fn terminator(self) -> csv::Terminator {
        match self {
            CsvDialect::Comma => csv::Terminator::Any(b'\n'),
            CsvDialect::ExcelSv => csv::Terminator::CRLF,
        }
    }

    /// A csv writer of this dialect over `w` (the preamble is the caller's to write).
    pub fn writer<W: std::io::Write>(self, w: W) -> csv::Writer<W> {
        csv::WriterBuilder::new().delimiter(self.delimiter()).terminator(self.terminator()).from_writer(w)
    }

    /// A field as this dialect writes it: in `excel-sv` a decimal number (`-12.5`,
    /// `0.25`) gets a decimal comma; any other text is left as it is.
    pub fn field(self, text: &str) -> std::borrow::Cow<'_, str> {
        if self == CsvDialect::ExcelSv && is_decimal(text) {
            std::borrow::Cow::Owned(text.replacen('.', ",", 1))
        } else {
            std::borrow::Cow::Borrowed(text)
        }
    }
}

/// `-?digits.digits`: what samverkan writes for a number with decimals.
fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    match s.split_once('.') {
        Some((a, b)) => {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_get_a_comma_in_excel_sv_only() {
        let sv = CsvDialect::ExcelSv;
        assert_eq!(sv.field("24.125"), "24,125");
        assert_eq!(sv.field("-0.5"), "-0,5");
        for kept in ["15", "1.2.3", "lst.tib", ".5", "5.", "2017-04-07 15:08", "a.b"] {
            assert_eq!(sv.field(kept), kept);
        }
        assert_eq!(CsvDialect::Comma.field("24.125"), "24.125");
    }

    #[test]
    fn excel_sv_writes_semicolons_crlf() {
        let mut w = CsvDialect::ExcelSv.writer(Vec::new());
        w.write_record(["a;b", "1,5"]).unwrap();
        assert_eq!(w.into_inner().unwrap(), b"\"a;b\";1,5\r\n");
    }
}
