//! The template as bytes: CSV in a chosen dialect, or an `.xlsx` workbook with the log
//! sheet (header bold and frozen, a filter, an event drop-down) and an instructions
//! sheet, in English or Swedish.

use super::{TemplateRow, rows_in};
use crate::debrief::EventKind;
use crate::debrief::log::{COLUMNS, SHEETS, SWEDISH, SWEDISH_EVENTS};
use crate::model::Model;
use crate::output::CsvDialect;
use crate::report::Lang;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Workbook, Worksheet, XlsxError};

/// The template's file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TemplateFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot write the template workbook: {0}")]
    Workbook(#[from] XlsxError),
    #[error("cannot write the template CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// The template for `model` as the bytes of a file (`dialect` applies to CSV only).
pub fn write(model: &Model, format: TemplateFormat, dialect: CsvDialect, lang: Lang) -> Result<Vec<u8>, TemplateError> {
    let rows = rows_in(model, lang);
    match format {
        TemplateFormat::Csv => csv_bytes(&rows, dialect, lang),
        TemplateFormat::Xlsx => Ok(workbook(model, &rows, lang)?),
    }
}

fn header(lang: Lang) -> [&'static str; 8] {
    if lang == Lang::Sv { SWEDISH } else { COLUMNS }
}

/// The event's name in the sheet's language (the log reader takes both).
fn event_name(e: EventKind, lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => SWEDISH_EVENTS[EventKind::ALL.iter().position(|x| *x == e).expect("every event is listed")],
        _ => e.name(),
    }
}

fn cells(r: &TemplateRow, lang: Lang) -> [&str; 8] {
    ["", &r.unit, event_name(r.event, lang), &r.fact, "", "", "", &r.note]
}

fn csv_bytes(rows: &[TemplateRow], dialect: CsvDialect, lang: Lang) -> Result<Vec<u8>, TemplateError> {
    let mut out = dialect.preamble().to_vec();
    let mut w = dialect.writer(&mut out);
    w.write_record(header(lang))?;
    for r in rows {
        w.write_record(cells(r, lang))?;
    }
    w.flush().map_err(csv::Error::from)?;
    drop(w);
    Ok(out)
}

const WIDTHS: [f64; 8] = [22.0, 24.0, 20.0, 18.0, 16.0, 16.0, 16.0, 70.0];

fn workbook(model: &Model, rows: &[TemplateRow], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    log_sheet(book.add_worksheet(), rows, lang, &bold)?;
    instructions(book.add_worksheet(), model, lang, &bold)?;
    book.save_to_buffer()
}

fn log_sheet(ws: &mut Worksheet, rows: &[TemplateRow], lang: Lang, bold: &Format) -> Result<(), XlsxError> {
    ws.set_name(if lang == Lang::Sv { SHEETS[1] } else { SHEETS[0] })?;
    for (c, (name, width)) in header(lang).iter().zip(WIDTHS).enumerate() {
        ws.write_string_with_format(0, c as u16, *name, bold)?;
        ws.set_column_width(c as u16, width)?;
    }
    // The time column keeps the General format: a typed date-time becomes a date cell,
    // a typed number stays minutes (a date format would show 15 as 1900-01-15).
    for (i, r) in rows.iter().enumerate() {
        for (c, cell) in cells(r, lang).iter().enumerate().filter(|(_, s)| !s.is_empty()) {
            ws.write_string(i as u32 + 1, c as u16, *cell)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last = rows.len() as u32 + 500;
    ws.autofilter(0, 0, rows.len().max(1) as u32, 7)?;
    let events: Vec<&str> = EventKind::ALL.iter().map(|e| event_name(*e, lang)).collect();
    let v = DataValidation::new().allow_list_strings(&events)?.set_error_style(DataValidationErrorStyle::Warning);
    ws.add_data_validation(1, 2, last, 2, &v)?;
    Ok(())
}

/// (English, Swedish) lines of the instructions sheet before the tables.
const INTRO: [(&str, &str); 4] = [
    (
        "Fill in the time of each row when it happens; leave rows that were not observed without a time (they are skipped). Add rows as you like.",
        "Fyll i tiden på varje rad när det händer; rader som inte observerades lämnas utan tid (de hoppas över). Lägg till rader efter behov.",
    ),
    (
        "Time: a clock time such as 2017-04-07 15:08 or Fri 2017-04-07 15:08, or minutes from the scenario's start such as 15 or 15m.",
        "Tid: ett klockslag som 2017-04-07 15:08 eller fre 2017-04-07 15:08, eller minuter från scenariots start som 15 eller 15m.",
    ),
    (
        "Then run: samverkan debrief SCENARIO --log THIS-FILE. Every problem is listed with its row and column.",
        "Kör sedan: samverkan debrief SCENARIO --log DEN-HÄR-FILEN. Varje fel anges med rad och kolumn.",
    ),
    ("Format and event meanings: docs/exercise-log.md.", "Format och händelsernas betydelse: docs/exercise-log.md."),
];

/// (English, Swedish) meaning of each log column.
const COLUMN_HELP: [(&str, &str); 8] = [
    (
        "When it happened (clock time, or minutes from the start).",
        "När det hände (klockslag, eller minuter från start).",
    ),
    (
        "The unit that did or saw it: its id (as in the scenario) or its name.",
        "Enheten som gjorde eller såg det: id (som i scenariot) eller namn.",
    ),
    ("What happened: one of the events below.", "Vad som hände: en av händelserna nedan."),
    (
        "The fact or inject id (calls#3 for a stream's third repetition, or the MSEL number); for conference events the conference id.",
        "Faktumets eller injectets id (calls#3 för tredje upprepningen, eller MSEL-numret); för konferenshändelser konferensens id.",
    ),
    (
        "received / handled: the unit the message came from (optional).",
        "tog emot / hanterade: enheten meddelandet kom från (valfritt).",
    ),
    ("sent: the unit the message went to (optional).", "skickade: enheten meddelandet gick till (valfritt)."),
    ("Who observed it, or the source.", "Vem som observerade, eller källan."),
    ("Anything else.", "Övrigt."),
];

/// (English, Swedish) meaning of each event of [`EventKind::ALL`].
const EVENT_HELP: [(&str, &str); 12] = [
    ("The unit came to know the fact.", "Enheten fick veta faktumet."),
    ("The unit sent a message carrying the fact.", "Enheten skickade ett meddelande om faktumet."),
    ("A message carrying the fact reached the unit.", "Ett meddelande om faktumet nådde enheten."),
    ("The unit finished handling a message carrying the fact.", "Enheten hade hanterat ett meddelande om faktumet."),
    ("The unit was activated (raised staffing).", "Enheten aktiverades (höjd beredskap)."),
    (
        "A session of the conference started (unit empty: the convener).",
        "Ett möte i konferensen började (tom enhet: sammankallande).",
    ),
    ("A session of the conference ended.", "Ett möte i konferensen slutade."),
    ("The conference's joint situational picture was published.", "Konferensens gemensamma lägesbild publicerades."),
    ("The unit decided a request for resources.", "Enheten beslutade om en begäran om resurser."),
    ("The unit requested resources.", "Enheten begärde resurser."),
    ("Requested resources arrived at the unit's incident.", "Begärda resurser kom fram till enhetens händelse."),
    (
        "The unit published a public message about the fact.",
        "Enheten publicerade information till allmänheten om faktumet.",
    ),
];

fn instructions(ws: &mut Worksheet, model: &Model, lang: Lang, bold: &Format) -> Result<(), XlsxError> {
    let sv = lang == Lang::Sv;
    let pick = |(en, s): (&'static str, &'static str)| if sv { s } else { en };
    ws.set_name(if sv { "Anvisningar" } else { "Instructions" })?;
    let wrap = Format::new().set_text_wrap();
    let start = crate::scenario::msel::fmt_local(model.start);
    let title = if sv {
        format!("Övningslogg: {} (start {start})", model.name)
    } else {
        format!("Exercise log: {} (start {start})", model.name)
    };
    ws.write_string_with_format(0, 0, title, bold)?;
    let mut r = 1;
    for line in INTRO {
        ws.write_string(r, 0, pick(line))?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, if sv { "kolumn" } else { "column" }, bold)?;
    ws.write_string_with_format(r, 1, if sv { "betydelse" } else { "meaning" }, bold)?;
    for (c, help) in COLUMN_HELP.into_iter().enumerate() {
        r += 1;
        ws.write_string(r, 0, header(lang)[c])?;
        ws.write_string_with_format(r, 1, pick(help), &wrap)?;
    }
    r += 2;
    ws.write_string_with_format(r, 0, if sv { "händelse" } else { "event" }, bold)?;
    ws.write_string_with_format(r, 1, if sv { "betydelse" } else { "meaning" }, bold)?;
    for (e, help) in EventKind::ALL.into_iter().zip(EVENT_HELP) {
        r += 1;
        ws.write_string(r, 0, e.name())?;
        ws.write_string_with_format(r, 1, pick(help), &wrap)?;
    }
    ws.set_column_width(0, 24.0)?;
    ws.set_column_width(1, 100.0)?;
    Ok(())
}
