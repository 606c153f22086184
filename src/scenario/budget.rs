//! The memory budget of a run (`[guard] max_memory`): an estimate, from the compiled
//! model, of the most memory a run can take before a guard stops it, checked before
//! anything runs. What a run keeps grows with what it records: messages (up to
//! `max_messages`), units coming to know facts (`max_known`), facts and who knows them
//! (`max_facts` × units), conference sessions (scenario duration ÷ cadence, per
//! participant) and the resource picture. The guards bound the first three; the model
//! bounds the others.

use crate::model::Model;
use crate::sim::{ConferenceRow, KnownRecord, MessageRec, ResourceRow, Trail};
use std::mem::size_of;

/// The default budget: 8 GiB. A fixed number, not a share of this machine's memory, so
/// that a scenario valid on one machine is valid on every other (a batch file moved to a
/// cluster node, a colleague's laptop); it leaves room on the 16 GB laptops planners use.
pub const DEFAULT_MAX_MEMORY: u64 = 8 << 30;

/// One part of the estimate: what it is, its bytes, the field that changes it.
#[derive(Debug, Clone)]
pub struct Part {
    /// What takes the memory, in words.
    pub what: String,
    /// Estimated bytes.
    pub bytes: u64,
    /// The scenario field that changes it.
    pub field: String,
}

/// The parts of a model's estimate, biggest first.
pub fn estimate(m: &Model) -> Vec<Part> {
    let g = &m.guard;
    let units = m.units.len().max(1) as u64;
    let part = |what: String, count: u64, each: usize, field: &str| Part {
        what,
        bytes: count.saturating_mul(each as u64),
        field: field.to_string(),
    };
    let mut parts = vec![
        // A message record and a carried fact or two.
        part(
            format!("{} messages", g.max_messages),
            g.max_messages,
            size_of::<MessageRec>() + 24,
            "guard.max_messages",
        ),
        // A knowledge record, its trail point, its bit and trail at the unit.
        part(
            format!("{} units coming to know facts", g.max_known),
            g.max_known,
            size_of::<KnownRecord>() + size_of::<Trail>() + 8,
            "guard.max_known",
        ),
        // A fact (name, text) and one bit per unit for who knows it.
        part(
            format!("{} facts, each with a bit per unit ({units} units)", g.max_facts),
            g.max_facts,
            96 + units.div_ceil(8) as usize,
            "guard.max_facts",
        ),
    ];
    for c in &m.conferences {
        let every = [c.ordinary.map(|o| o.0), c.activated.as_ref().map(|a| a.0)].into_iter().flatten().min();
        let Some(every) = every.filter(|e| *e > 0) else { continue };
        let sessions = (m.duration / every) as u64 + 1;
        // A session row, a meeting point, a direction seen per participant, and the
        // report's reading of the row: a 2 s cadence over 400 days (17 M sessions of 4)
        // peaked at 5 GB resident, ~300 bytes a session.
        let each = size_of::<ConferenceRow>() + 224 + 24 * c.participants.len();
        let field = if c.activated.is_some() { "activated.every" } else { "ordinary.every" };
        parts.push(part(
            format!("{sessions} sessions of conference `{}` ({} participants)", c.id, c.participants.len()),
            sessions,
            each,
            &format!("conference.{}.{field}", c.id),
        ));
    }
    let units_moving: u64 = m.pools.iter().map(|p| p.count as u64).sum::<u64>().saturating_add(demanded(m));
    let rows = units_moving.saturating_mul(4).min(g.max_events.saturating_mul(2));
    parts.push(part(format!("{rows} rows of the resource picture"), rows, size_of::<ResourceRow>() + 8, "resource"));
    parts.sort_by_key(|p| std::cmp::Reverse(p.bytes));
    parts
}

/// Resources demanded by the model's incidents (once each; growth up to its maximum).
fn demanded(m: &Model) -> u64 {
    m.injects
        .iter()
        .filter_map(|i| match &i.action {
            crate::model::Action::Incident { demand, .. } => {
                Some(demand.iter().map(|d| d.growth.map_or(d.quantity, |g| g.2.max(d.quantity)) as u64).sum::<u64>())
            }
            _ => None,
        })
        .sum()
}

/// The estimate's total.
pub fn total(parts: &[Part]) -> u64 {
    parts.iter().fold(0u64, |t, p| t.saturating_add(p.bytes))
}

/// Why a run cannot fit: the total, the budget, the biggest part and how to change it.
pub fn over_budget(parts: &[Part], budget: u64, runs: usize) -> Option<String> {
    let total = total(parts);
    if total.saturating_mul(runs.max(1) as u64) <= budget {
        return None;
    }
    let top = &parts[0];
    let times = if runs > 1 { format!(" × {runs} runs at once") } else { String::new() };
    Some(format!(
        "a run may need about {}{times}, over the memory budget of {} (guard.max_memory); the biggest part is {} ({}): lower `{}`, or raise guard.max_memory if this machine has the memory",
        bytes(total),
        bytes(budget),
        top.what,
        bytes(top.bytes),
        top.field
    ))
}

/// Reads a size such as `"4GiB"`, `"512 MiB"`, `"8GB"` or `"1000000"` (bytes).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(s.len());
    let (num, unit) = (s[..split].trim(), s[split..].trim());
    let scale: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        _ => return Err(format!("unknown unit `{unit}`; write e.g. \"4GiB\", \"512MiB\" or \"8GB\"")),
    };
    let n: f64 = num.parse().map_err(|_| format!("`{s}` is not a size; write e.g. \"4GiB\""))?;
    let b = n * scale as f64;
    if !(1.0..=(1u64 << 50) as f64).contains(&b) {
        return Err("must be from 1 byte to 1 PiB".into());
    }
    Ok(b as u64)
}

/// A size for people: `"3.2 GiB"`.
pub fn bytes(b: u64) -> String {
    let units = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];
    match units.iter().find(|(_, s)| b >= 1 << s) {
        Some((u, s)) => format!("{:.1} {u}", b as f64 / (1u64 << s) as f64),
        None => format!("{b} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_binary_and_decimal_units() {
        assert_eq!(parse_size("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size("512 MiB"), Ok(512 << 20));
        assert_eq!(parse_size("8GB"), Ok(8_000_000_000));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("4 bananas").is_err());
        assert!(parse_size("0").is_err());
    }

    #[test]
    fn the_message_names_the_biggest_part_and_its_field() {
        let parts = vec![
            Part { what: "big".into(), bytes: 10 << 30, field: "guard.max_messages".into() },
            Part { what: "small".into(), bytes: 1, field: "x".into() },
        ];
        let msg = over_budget(&parts, DEFAULT_MAX_MEMORY, 1).expect("over");
        assert!(msg.contains("big") && msg.contains("guard.max_messages") && msg.contains("8.0 GiB"), "{msg}");
        assert!(over_budget(&parts, 11 << 30, 1).is_none());
        assert!(over_budget(&parts, 11 << 30, 2).expect("two runs").contains("× 2 runs"));
    }
}
