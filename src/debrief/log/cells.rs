//! A log file's cells: CSV text (either dialect) or one sheet of an `.xlsx` / `.ods`
//! workbook, read by the MSEL's own readers (`scenario::msel`), so the two files are
//! checked alike. The format is found from the bytes, never the file name.

use super::LogError;
use crate::scenario::msel::{self, FileKind, MselError, Record, WorkbookError, iso_duration, number};
use crate::time::{DAY, LocalDateTime, MINUTE, SECOND, SimTime};
use calamine::Data;

/// The sheet a log workbook is read from: `Log` or `Logg`, else the first sheet.
pub const SHEETS: [&str; 2] = ["Log", "Logg"];

/// The records of a log file, the name messages give it (`log.xlsx, sheet Log` for a
/// workbook) and its delimiter.
pub fn records(file: &str, bytes: &[u8]) -> Result<(String, Vec<Record>, char), LogError> {
    let kind = msel::sniff(bytes).map_err(|what| {
        let e = match what {
            "xls" => WorkbookError::OldExcel { file: file.into() },
            _ => WorkbookError::NotASpreadsheet { file: file.into() },
        };
        LogError::Unreadable(MselError::Workbook(e))
    })?;
    match kind {
        FileKind::Text => {
            let text = msel::decode(file, bytes).map_err(LogError::Unreadable)?;
            let (records, delim) = msel::records_of(&text);
            Ok((file.to_string(), records, delim))
        }
        FileKind::Xlsx | FileKind::Ods => {
            let pick = |sheets: &[String]| {
                let named = sheets.iter().find(|s| SHEETS.iter().any(|n| s.trim().eq_ignore_ascii_case(n)));
                named.or(sheets.first()).cloned().ok_or_else(|| WorkbookError::NotASpreadsheet { file: file.into() })
            };
            let (place, records) = msel::read_sheet(file, bytes, kind, &pick, &cell_text)
                .map_err(|e| LogError::Unreadable(MselError::Workbook(e)))?;
            Ok((place, records, ','))
        }
    }
}

/// A worksheet cell as the text a CSV log would hold: a date-time as
/// `2017-04-07T15:08:00`, a duration as minutes, a whole number without `.0`.
pub fn cell_text(value: &Data, _header: Option<&str>) -> Result<String, String> {
    Ok(match value {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::Error(e) => return Err(format!("the cell holds the error {e}; give it a value")),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            if dt.is_duration() {
                return Ok(minutes((serial * DAY as f64).round() as SimTime));
            }
            if serial < 1.0 {
                let t = (serial * DAY as f64).round() as SimTime / SECOND;
                return Ok(format!("{:02}:{:02}", t / 3600, t / 60 % 60));
            }
            let (y, m, d, h, min, sec, ms) = dt.to_ymd_hms_milli();
            let at = LocalDateTime::parse(&format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{sec:02}"))?;
            at.plus(if ms >= 500 { SECOND } else { 0 }).to_string()
        }
        Data::DateTimeIso(s) => s.split('.').next().unwrap_or(s).to_string(),
        Data::DurationIso(s) => match iso_duration(s) {
            Some(t) => minutes(t),
            None => return Err(format!("the cell holds the duration `{s}`; write minutes such as 15 or 15m")),
        },
    })
}

fn minutes(t: SimTime) -> String {
    number(t as f64 / MINUTE as f64)
}
