//! CSV dialects: the tidy comma dialect data tools expect (the default), and the one a
//! Swedish-locale Excel opens in columns (`excel-sv`: semicolons, decimal commas, a UTF-8
//! byte-order mark so that å, ä and ö survive, CRLF line ends).

/// How a CSV file is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CsvDialect {
    /// Comma-separated, decimal point, UTF-8 without a byte-order mark, LF.
    #[default]
    Comma,
    /// Semicolon-separated, decimal comma, UTF-8 with a byte-order mark, CRLF.
    ExcelSv,
}

impl CsvDialect {
    /// The field separator.
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

    /// The line ending.
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

/// Reading back: the dialect a file of samverkan's was written in (a byte-order mark
/// means `excel-sv`), and its bytes after the byte-order mark.
pub fn sniff(bytes: &[u8]) -> (CsvDialect, &[u8]) {
    match bytes.strip_prefix(CsvDialect::ExcelSv.preamble()) {
        Some(rest) => (CsvDialect::ExcelSv, rest),
        None => (CsvDialect::Comma, bytes),
    }
}

impl CsvDialect {
    /// A csv reader of this dialect over `r` (after the preamble).
    pub fn reader<R: std::io::Read>(self, r: R) -> csv::Reader<R> {
        csv::ReaderBuilder::new().delimiter(self.delimiter()).from_reader(r)
    }

    /// A field as read back, the inverse of [`CsvDialect::field`]: in `excel-sv` a
    /// decimal comma (`-12,5`) becomes a decimal point again. (So a text field that is
    /// exactly digits, a comma and digits reads back with a point; samverkan writes no
    /// such text.)
    pub fn unfield(self, text: &str) -> std::borrow::Cow<'_, str> {
        if self == CsvDialect::ExcelSv && is_number_with(text, ',') {
            std::borrow::Cow::Owned(text.replacen(',', ".", 1))
        } else {
            std::borrow::Cow::Borrowed(text)
        }
    }

    /// A record as read back ([`CsvDialect::unfield`] on every field), keeping its
    /// position in the file.
    pub fn record_back(self, rec: csv::StringRecord) -> csv::StringRecord {
        if self == CsvDialect::Comma {
            return rec;
        }
        let mut back: csv::StringRecord = rec.iter().map(|f| self.unfield(f)).collect();
        back.set_position(rec.position().cloned());
        back
    }

    /// True for the plain comma dialect.
    pub fn is_comma(&self) -> bool {
        *self == CsvDialect::Comma
    }

    /// The name used on the command line and in manifest.json.
    pub fn name(self) -> &'static str {
        match self {
            CsvDialect::Comma => "comma",
            CsvDialect::ExcelSv => "excel-sv",
        }
    }
}

/// `-?digits.digits`: what samverkan writes for a number with decimals.
fn is_decimal(s: &str) -> bool {
    is_number_with(s, '.')
}

/// `-?digits<mark>digits`.
fn is_number_with(s: &str, mark: char) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    match s.split_once(mark) {
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
    fn excel_sv_reads_back_what_it_wrote() {
        let sv = CsvDialect::ExcelSv;
        for text in ["24.125", "-0.5", "15", "1.2.3", "lst.tib", "a,b", "", "Malmö"] {
            assert_eq!(sv.unfield(&sv.field(text)), text);
        }
        let mut w = sv.writer(sv.preamble().to_vec());
        w.write_record(["a", "b"]).unwrap();
        w.write_record(["Åre; väst", &sv.field("0.25")]).unwrap();
        let bytes = w.into_inner().unwrap();
        let (found, rest) = sniff(&bytes);
        assert_eq!(found, sv);
        let mut r = found.reader(rest);
        assert_eq!(r.headers().unwrap(), vec!["a", "b"]);
        let rec = found.record_back(r.records().next().unwrap().unwrap());
        assert_eq!(rec, vec!["Åre; väst", "0.25"]);
        assert_eq!(sniff(b"a,b\n").0, CsvDialect::Comma);
    }

    #[test]
    fn excel_sv_writes_semicolons_crlf() {
        let mut w = CsvDialect::ExcelSv.writer(Vec::new());
        w.write_record(["a;b", "1,5"]).unwrap();
        assert_eq!(w.into_inner().unwrap(), b"\"a;b\";1,5\r\n");
    }
}
