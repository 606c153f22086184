//! Checking an edited MSEL against the scenario, then applying it to the TOML document.
//!
//! `check` compares each row with the row `export` would write for the same inject and
//! refuses edits the MSEL cannot express (e.g. a new `from` for an incident); `apply`
//! writes only the fields that differ. A table with Swedish headers ([`Headers::Swedish`])
//! edits the Swedish texts: a changed description goes to `description_sv`, and a new
//! row's text to both the Swedish and the plain field (the only text there is).

use super::*;
use crate::scenario::load::check_id;
use crate::time::SECOND;

/// Which of `delivery_method`, `from`, `to`, `severity` a planner may edit, per inject type.
fn editable(kind: &str) -> [bool; 4] {
    match kind {
        "fact" => [false, true, false, true],
        "incident" => [false, false, true, true],
        "grow" | "infrastructure" | "activate" | "stand_down" | "resources" => [false, false, true, false],
        "message" => [true, true, true, true],
        _ => [false; 4],
    }
}

/// Types a new row may have: those the MSEL columns describe completely.
const NEW_TYPES: &[&str] = &["fact", "message", "activate", "stand_down"];

struct Change {
    id: String,
    row: Row,
    old: Row,
    time: SimTime,
}

struct Add {
    id: String,
    row: Row,
    time: SimTime,
}

pub(super) struct Plan<'a> {
    file: &'a ScenarioFile,
    start: LocalDateTime,
    /// The table's language: which description field it shows and edits.
    headers: Headers,
    current: Vec<Option<SimTime>>,
    /// New nominal time of every inject in the table.
    times: IndexMap<String, SimTime>,
    changes: Vec<Change>,
    adds: Vec<Add>,
    removed: Vec<String>,
}

fn norm(s: &str) -> String {
    s.trim().to_string()
}

fn split_selectors(s: &str) -> Vec<String> {
    s.split([';', ',']).map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect()
}

fn same(column: usize, a: &str, b: &str) -> bool {
    match column {
        7 => split_selectors(a) == split_selectors(b),
        6 => {
            let ctl = |s: &str| if s.trim() == "exercise-control" { String::new() } else { norm(s) };
            ctl(a) == ctl(b)
        }
        5 => {
            let d = |s: &str| if s.trim().is_empty() { LINKS.to_string() } else { norm(s) };
            d(a) == d(b)
        }
        _ => norm(a) == norm(b),
    }
}

fn parse_enabled(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "yes" | "y" | "true" | "1" | "ja" => Some(true),
        "no" | "n" | "false" | "0" | "nej" => Some(false),
        _ => None,
    }
}

fn parse_severity(s: &str) -> Option<u8> {
    s.trim().parse::<u8>().ok().filter(|v| (1..=5).contains(v))
}

impl<'a> Plan<'a> {
    pub(super) fn new(file: &'a ScenarioFile, start: LocalDateTime, headers: Headers) -> Plan<'a> {
        Plan {
            file,
            start,
            headers,
            current: nominal_times(&file.inject, start),
            times: IndexMap::new(),
            changes: vec![],
            adds: vec![],
            removed: vec![],
        }
    }

    /// Checks every row; returns all problems found (empty: the table can be applied).
    /// `broken` are the ids of rows that could not be read: not removed, not checked.
    pub(super) fn check(&mut self, table: &[(u64, Row)], broken: &[String]) -> Vec<RowError> {
        let mut errors = Vec::new();
        let mut seen: IndexMap<String, u64> = IndexMap::new();
        let mut next_new = 1;
        for (line, row) in table {
            let err = |message: String| RowError { row: *line, id: norm(&row.id), column: None, message };
            let mut id = norm(&row.id);
            if id.is_empty() {
                while self.file.inject.contains_key(&format!("msel-{next_new}"))
                    || seen.contains_key(&format!("msel-{next_new}"))
                {
                    next_new += 1;
                }
                id = format!("msel-{next_new}");
            } else if let Err(m) = check_id(&id) {
                errors.push(err(m));
                continue;
            }
            if let Some(first) = seen.insert(id.clone(), *line) {
                errors.push(err(format!("the id is used twice (also in row {first}); ids must be unique")));
                continue;
            }
            let time = match self.row_time(row) {
                Ok(t) => t,
                Err(m) => {
                    errors.push(err(m));
                    continue;
                }
            };
            self.times.insert(id.clone(), time);
            let problems = match self.file.inject.get_index_of(&id) {
                Some(i) => self.check_existing(&id, i, row, time),
                None => self.check_new(&id, row, time),
            };
            errors.extend(problems.into_iter().map(err));
        }
        for id in broken {
            seen.entry(id.clone()).or_insert(0);
        }
        self.removed = self.file.inject.keys().filter(|k| !seen.contains_key(*k)).cloned().collect();
        errors.extend(self.check_delays(table, &seen));
        errors.sort_by_key(|e| e.row);
        errors
    }

    /// The row's time: `time` (an offset or a date-time), else `clock_time`; both must agree.
    fn row_time(&self, row: &Row) -> Result<SimTime, String> {
        let clock = if row.clock_time.trim().is_empty() {
            None
        } else {
            let text = strip_weekday(row.clock_time.trim());
            let at = LocalDateTime::parse(text).map_err(|_| {
                format!("clock_time `{}` is not a date and time like \"Fri 2017-04-07 16:00\"", row.clock_time.trim())
            })?;
            Some(self.start.until(at))
        };
        let t = match (row.time.trim(), clock) {
            ("", None) => return Err("give a time (e.g. \"45m\" after the start) or a clock_time".into()),
            ("", Some(c)) => c,
            (text, c) => {
                let t = parse_at(text, self.start).map_err(|e| format!("time: {e}"))?;
                // clock_time shows whole seconds: it agrees with a time it truncates.
                if let Some(c) = c.filter(|c| *c != t - t.rem_euclid(SECOND)) {
                    return Err(format!(
                        "time `{text}` is {} but clock_time says {}; change one of them or clear clock_time",
                        fmt_clock(self.start, t, self.headers),
                        fmt_clock(self.start, c, self.headers)
                    ));
                }
                t
            }
        };
        if t < 0 {
            return Err(format!("the time is before the scenario starts ({})", fmt_clock(self.start, 0, self.headers)));
        }
        Ok(t)
    }

    fn check_existing(&mut self, id: &str, index: usize, row: &Row, time: SimTime) -> Vec<String> {
        let spec = &self.file.inject[index];
        let old = describe(id, spec, self.current[index], self.start, self.headers);
        let mut problems = Vec::new();
        if !row.inject_type.trim().eq_ignore_ascii_case(&old.inject_type) {
            problems.push(format!(
                "inject_type is `{}` in the scenario and cannot change here; remove the row and add a new one, or edit the scenario file",
                old.inject_type
            ));
            return problems;
        }
        let can = editable(&old.inject_type);
        for (k, column) in [5usize, 6, 7, 11].into_iter().enumerate() {
            let (new, was) = (row.fields()[column], old.fields()[column]);
            let blank_delivery = column == 5 && new.trim().is_empty();
            if !same(column, new, was) && !blank_delivery && !can[k] {
                let was = if was.is_empty() { "empty".to_string() } else { format!("`{was}`") };
                problems.push(format!(
                    "`{}` cannot be changed for {} inject (it is {was}); edit the scenario file for that",
                    COLUMNS[column],
                    article(&old.inject_type)
                ));
            }
        }
        problems.extend(self.check_values(row, &old.inject_type));
        if problems.is_empty() {
            self.changes.push(Change { id: id.into(), row: row.clone(), old, time });
        }
        problems
    }

    fn check_new(&mut self, id: &str, row: &Row, time: SimTime) -> Vec<String> {
        let kind = row.inject_type.trim().to_ascii_lowercase();
        if !NEW_TYPES.contains(&kind.as_str()) {
            return vec![format!(
                "a new inject (no inject `{id}` in the scenario) must be of type {}; `{}` needs fields the MSEL does not hold, so add it to the scenario file",
                NEW_TYPES.join(", "),
                row.inject_type.trim()
            )];
        }
        let mut problems = self.check_values(row, &kind);
        problems.extend(unusable(row, &kind));
        if problems.is_empty() {
            let mut row = row.clone();
            row.inject_type = kind;
            self.adds.push(Add { id: id.into(), row, time });
        }
        problems
    }

    /// Values every row of `kind` needs: enabled, a severity, a `from` for a fact, a `to`.
    fn check_values(&self, row: &Row, kind: &str) -> Vec<String> {
        let mut problems = Vec::new();
        if parse_enabled(&row.enabled).is_none() {
            problems.push(format!("enabled `{}` is not yes or no", row.enabled.trim()));
        }
        let severity = row.severity.trim();
        if matches!(kind, "fact" | "incident" | "message") && parse_severity(severity).is_none() {
            problems.push(match severity {
                "" => format!("{} needs a severity from 1 to 5", article(kind)),
                _ => format!("severity `{severity}` is not a whole number from 1 to 5"),
            });
        }
        if kind == "fact" && row.from.trim().is_empty() {
            problems.push("a fact needs `from`: the unit that first knows it".into());
        }
        if !kind.is_empty() && kind != "fact" && split_selectors(&row.to).is_empty() {
            problems.push(format!("{} needs `to` (see the MSEL's columns)", article(kind)));
        }
        problems
    }

    /// Injects that follow another (`after`) keep following it: their `delay` becomes the
    /// difference of the two new times, which must not be negative.
    fn check_delays(&self, table: &[(u64, Row)], seen: &IndexMap<String, u64>) -> Vec<RowError> {
        let mut errors = Vec::new();
        for c in &self.changes {
            let Some(after) = &self.file.inject[&c.id].after else { continue };
            if self.file.inject[&c.id].at.is_some() {
                continue;
            }
            let line = table.iter().find(|(_, r)| norm(&r.id) == c.id).map_or(0, |(l, _)| *l);
            match self.times.get(after) {
                None if seen.contains_key(after) => {} // that row has its own error
                None => errors.push(RowError {
                    row: line,
                    id: c.id.clone(),
                    column: None,
                    message: format!("it follows inject `{after}` (after = \"{after}\"), which is not in the table; keep that row or edit the scenario file"),
                }),
                Some(p) if *p > c.time => errors.push(RowError {
                    row: line,
                    id: c.id.clone(),
                    column: None,
                    message: format!(
                        "it follows inject `{after}` (after = \"{after}\") but its time {} is before that inject's {}",
                        offset(c.time),
                        offset(*p)
                    ),
                }),
                _ => {}
            }
        }
        errors
    }

    /// Writes the checked table into the document; returns a line per inject touched.
    pub(super) fn apply(&self, doc: &mut DocumentMut) -> Vec<String> {
        let mut log = Vec::new();
        if !doc.contains_key("inject") && !self.adds.is_empty() {
            let mut t = Table::new();
            t.set_implicit(true);
            doc.insert("inject", Item::Table(t));
        }
        let Some(injects) = doc.get_mut("inject").and_then(Item::as_table_like_mut) else { return log };
        for c in &self.changes {
            let Some(item) = injects.get_mut(&c.id) else { continue };
            let before = shape(item, &c.old.inject_type);
            let Some(entry) = item.as_table_like_mut() else { continue };
            let fields = self.change(entry, c);
            if shape(item, &c.old.inject_type) != before {
                tidy(item, &c.old.inject_type);
            }
            if !fields.is_empty() {
                log.push(format!("changed `{}`: {}", c.id, fields.join(", ")));
            }
        }
        for a in &self.adds {
            injects.insert(&a.id, Item::Table(self.added(a)));
            log.push(format!("added `{}` ({} at {})", a.id, a.row.inject_type, offset(a.time)));
        }
        for id in &self.removed {
            injects.remove(id);
            log.push(format!("removed `{id}`"));
        }
        log
    }

    /// Writes the fields of one inject that differ from the scenario; returns their names.
    fn change(&self, entry: &mut dyn TableLike, c: &Change) -> Vec<&'static str> {
        let spec = &self.file.inject[&c.id];
        let mut fields = Vec::new();
        if self.write_time(entry, c) {
            fields.push("time");
        }
        let description = match self.headers {
            Headers::English => "description",
            Headers::Swedish => "description_sv",
        };
        for (column, key) in [(8, description), (9, "expected_action"), (10, "objective")] {
            let (new, was) = (norm(c.row.fields()[column]), norm(c.old.fields()[column]));
            // A cleared Swedish cell removes the Swedish text; with none, there is nothing to remove.
            let nothing = key == "description_sv" && new.is_empty() && spec.description_sv.is_none();
            if new != was && !nothing {
                if new.is_empty() {
                    entry.remove(key);
                } else {
                    put(entry, key, Value::from(new));
                }
                fields.push(COLUMNS[column]);
            }
        }
        let enabled = parse_enabled(&c.row.enabled).unwrap_or(true);
        if enabled != spec.enabled.unwrap_or(true) {
            if enabled {
                entry.remove("enabled");
            } else {
                put(entry, "enabled", Value::from(false));
            }
            fields.push("enabled");
        }
        fields.extend(self.write_parts(entry, c));
        fields
    }

    /// `at` (or, for an inject that follows another, `delay`) when the time moved.
    fn write_time(&self, entry: &mut dyn TableLike, c: &Change) -> bool {
        let spec = &self.file.inject[&c.id];
        match (&spec.at, &spec.after) {
            (None, Some(after)) => {
                let delay = c.time - self.times.get(after).copied().unwrap_or(0);
                if delay == spec.delay.map_or(0, |d| d.0) {
                    return false;
                }
                put(entry, "delay", Value::from(offset(delay)));
                true
            }
            _ => {
                let current = self.current[self.file.inject.get_index_of(&c.id).unwrap_or(0)];
                if current == Some(c.time) {
                    return false;
                }
                put(entry, "at", Value::from(offset(c.time)));
                true
            }
        }
    }

    /// Severity, from, to and delivery method, in the inject's action table.
    fn write_parts(&self, entry: &mut dyn TableLike, c: &Change) -> Vec<&'static str> {
        let kind = c.old.inject_type.as_str();
        let mut fields = Vec::new();
        let changed = |column: usize| !same(column, c.row.fields()[column], c.old.fields()[column]);
        if changed(11)
            && let Some(s) = parse_severity(&c.row.severity)
            && let Some(t) = entry.get_mut(kind).and_then(Item::as_table_like_mut)
        {
            put(t, "severity", Value::from(s as i64));
            fields.push("severity");
        }
        if changed(6) {
            let key = if kind == "fact" { "origin" } else { "from" };
            if let Some(t) = entry.get_mut(kind).and_then(Item::as_table_like_mut) {
                let from = norm(&c.row.from);
                if from.is_empty() || from == "exercise-control" {
                    t.remove(key);
                } else {
                    put(t, key, Value::from(from));
                }
                fields.push("from");
            }
        }
        if changed(7) {
            let to = split_selectors(&c.row.to);
            match kind {
                "activate" | "stand_down" => put(entry, kind, selector_value(&to)),
                _ => {
                    let key = match kind {
                        "incident" => "responsible",
                        "grow" => "incident",
                        "infrastructure" => "area",
                        "resources" => "pool",
                        _ => "to",
                    };
                    if let Some(t) = entry.get_mut(kind).and_then(Item::as_table_like_mut) {
                        let v = if key == "to" { selector_value(&to) } else { Value::from(to.join(";")) };
                        put(t, key, v);
                    }
                }
            }
            fields.push("to");
        }
        if changed(5)
            && let Some(t) = entry.get_mut("message").and_then(Item::as_table_like_mut)
        {
            let d = norm(&c.row.delivery_method);
            if d.is_empty() || d == LINKS {
                t.remove("channel");
            } else {
                put(t, "channel", Value::from(d));
            }
            fields.push("delivery_method");
        }
        fields
    }

    /// A new `[inject.ID]` table for an added row.
    fn added(&self, a: &Add) -> Table {
        let r = &a.row;
        let mut t = new_table();
        t.insert("at", toml_edit::value(offset(a.time)));
        let swedish = self.headers == Headers::Swedish;
        let none = String::new();
        for (key, v) in [
            ("description", &r.description),
            ("description_sv", if swedish { &r.description } else { &none }),
            ("expected_action", &r.expected_action),
            ("objective", &r.objective),
        ] {
            if !v.trim().is_empty() {
                t.insert(key, toml_edit::value(norm(v)));
            }
        }
        let text = |pairs: &mut Vec<(&str, Value)>| {
            pairs.push(("text", Value::from(norm(&r.description))));
            if swedish {
                pairs.push(("text_sv", Value::from(norm(&r.description))));
            }
        };
        let severity = parse_severity(&r.severity).unwrap_or(3) as i64;
        let to = split_selectors(&r.to);
        let action = match r.inject_type.as_str() {
            "fact" => {
                let mut pairs = vec![("origin", Value::from(norm(&r.from))), ("severity", Value::from(severity))];
                text(&mut pairs);
                inline(pairs)
            }
            "message" => {
                let mut pairs = Vec::new();
                let from = norm(&r.from);
                if !from.is_empty() && from != "exercise-control" {
                    pairs.push(("from", Value::from(from)));
                }
                pairs.push(("to", selector_value(&to)));
                pairs.push(("kind", Value::from("information")));
                let d = norm(&r.delivery_method);
                if !d.is_empty() && d != LINKS && d != SIMULATION {
                    pairs.push(("channel", Value::from(d)));
                }
                pairs.push(("severity", Value::from(severity)));
                text(&mut pairs);
                inline(pairs)
            }
            _ => selector_value(&to),
        };
        t.insert(&r.inject_type, Item::Value(action));
        if parse_enabled(&r.enabled) == Some(false) {
            t.insert("enabled", toml_edit::value(false));
        }
        t
    }
}

/// The cells a new row of `kind` cannot use: refused rather than dropped.
fn unusable(row: &Row, kind: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut refuse = |column: &str, value: &str, why: &str| {
        if !value.trim().is_empty() {
            problems.push(format!("`{column}` is `{}` but {why}; clear the cell", value.trim()));
        }
    };
    if kind == "fact" {
        refuse("to", &row.to, "a fact has no receivers (it spreads from `from`)");
    }
    if matches!(kind, "activate" | "stand_down") {
        refuse("from", &row.from, &format!("{} has no sender", article(kind)));
        refuse("severity", &row.severity, &format!("{} has no severity", article(kind)));
    }
    let delivery = row.delivery_method.trim();
    if kind == "message" && delivery == SIMULATION {
        problems.push(format!(
            "a message is delivered over a channel: give a channel id, or `{LINKS}` for the default channels, not `{SIMULATION}`"
        ));
    } else if kind != "message" && delivery != SIMULATION {
        refuse("delivery_method", delivery, &format!("{} happens in the simulation (`{SIMULATION}`)", article(kind)));
    }
    problems
}

fn offset(t: SimTime) -> String {
    fmt_offset(t)
}

fn selector_value(list: &[String]) -> Value {
    match list {
        [one] => Value::from(one.as_str()),
        many => Value::Array(many.iter().map(|s| s.as_str()).collect()),
    }
}

fn article(kind: &str) -> String {
    let an = kind.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {kind}", if an { "an" } else { "a" })
}

/// The keys of an inject and of its action table.
fn shape(item: &Item, kind: &str) -> (Vec<String>, Vec<String>) {
    let keys =
        |t: Option<&dyn TableLike>| t.map(|t| t.iter().map(|(k, _)| k.to_string()).collect()).unwrap_or_default();
    let entry = item.as_table_like();
    (keys(entry), keys(entry.and_then(|e| e.get(kind)).and_then(Item::as_table_like)))
}

/// After keys were added to or removed from inline tables, their spacing is redone so
/// that no stray blank is left before a comma or a brace. Standard tables keep theirs.
fn tidy(item: &mut Item, kind: &str) {
    if let Some(t) = item.as_inline_table_mut() {
        t.fmt();
    }
    if let Some(t) = item.as_table_like_mut().and_then(|e| e.get_mut(kind)).and_then(Item::as_inline_table_mut) {
        t.fmt();
    }
}
