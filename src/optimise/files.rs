//! The files of an optimisation (docs/outputs.md): `optimise.csv` (every candidate),
//! `best.toml` (the winner as a variant block to paste into the scenario) and
//! `charts/pareto.png` / `.svg` ([`super::chart`]) and `report.html` ([`super::page`]).
//! Each file is written atomically.

use super::race::Status;
use super::{OptimiseError, Outcome, Plan};
use crate::output::{self, OutputError, Table, num};
use crate::report::i18n::Lang;
use std::path::{Path, PathBuf};

/// Every candidate with its cost, runs, shares and status.
pub const CSV: &str = "optimise.csv";
/// The cheapest feasible candidate as a variant to paste into the scenario.
pub const BEST: &str = "best.toml";
/// The chart's file stem under `charts/`.
pub const CHART: &str = "pareto";
/// The name of the winner's variant in `best.toml`.
pub const BEST_VARIANT: &str = "best";

/// Writes the files into `dir` (created if missing; refused when it holds files,
/// unless `force`). Returns the files written.
pub fn write(
    dir: &Path,
    plan: &Plan,
    outcome: &Outcome,
    lang: Lang,
    force: bool,
) -> Result<Vec<PathBuf>, OptimiseError> {
    output::prepare_dir(dir, force)?;
    let mut written = vec![dir.join(CSV)];
    output::write_atomic(&written[0], &csv(plan, outcome))?;
    let best = dir.join(BEST);
    match outcome.best() {
        Some(c) => {
            output::write_atomic(&best, best_toml(plan, c)?.as_bytes())?;
            written.push(best);
        }
        // A best.toml of an earlier optimisation in a --force'd folder would mislead.
        None if best.is_file() => std::fs::remove_file(&best).map_err(|e| OutputError::io(&best, e))?,
        None => {}
    }
    let picture = super::chart::render(plan, outcome, lang).map_err(|e| OptimiseError::Draw(e.0))?;
    let charts = output::subdir(dir, crate::report::CHART_DIR)?;
    let (png, svg) = (charts.join(format!("{CHART}.png")), charts.join(format!("{CHART}.svg")));
    output::write_atomic(&png, &picture.png)?;
    output::write_atomic(&svg, picture.svg.as_bytes())?;
    let page = dir.join(super::page::FILE);
    output::write_atomic(&page, super::page::html(plan, outcome, &picture.svg, lang).as_bytes())?;
    written.extend([png, svg, page]);
    Ok(written)
}

/// The columns of optimise.csv.
pub fn header(plan: &Plan) -> Vec<String> {
    let mut h = vec!["candidate".to_string()];
    h.extend(plan.spec.levers.iter().map(|l| l.path.clone()));
    h.extend(["cost_staff_hours", "cost_handlers", "cost_conferences", "cost_resources", "runs"].map(String::from));
    for r in &plan.spec.requires {
        let o = &r.objective;
        h.extend([
            format!("{o}_required"),
            format!("{o}_met_runs"),
            format!("{o}_share"),
            format!("{o}_low"),
            format!("{o}_high"),
        ]);
    }
    h.extend(["status", "failure"].map(String::from));
    h
}

/// optimise.csv: one row per candidate, in candidate order (the last lever varying fastest).
pub fn csv(plan: &Plan, outcome: &Outcome) -> Vec<u8> {
    let header = header(plan);
    let mut t = Table::new(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for (i, (c, e)) in plan.candidates.iter().zip(&outcome.entries).enumerate() {
        let mut row = vec![(i + 1).to_string()];
        row.extend(plan.settings(i).into_iter().map(|(_, v)| v));
        let cost = c.cost;
        row.extend([cost.total(), cost.handlers, cost.conferences, cost.resources].map(num));
        row.push(e.runs.to_string());
        for (j, r) in plan.spec.requires.iter().enumerate() {
            row.push(num(r.probability));
            row.push(e.met[j].to_string());
            match e.share(j, outcome.z) {
                Some((share, lo, hi)) => row.extend([share, lo, hi].map(num)),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        row.push(e.status.name().to_string());
        row.push(e.failure.clone().unwrap_or_default());
        t.row(row);
    }
    t.into_bytes()
}

/// best.toml: the winner as `[variant.best]`, its `set` holding the `--variant`'s own
/// settings (if any) and then the levers' values, so that it compiles on its own.
pub fn best_toml(plan: &Plan, c: usize) -> Result<String, OptimiseError> {
    let mut set: Vec<(String, toml::Value)> = Vec::new();
    if let Some(v) = &plan.spec.variant {
        let doc = plan.source.document()?;
        let base = doc.get("variant").and_then(|t| t.get(v)).and_then(|t| t.get("set")).and_then(|t| t.as_table());
        set.extend(base.into_iter().flatten().map(|(k, v)| (k.clone(), v.clone())));
    }
    let cand = &plan.candidates[c];
    for (l, v) in plan.spec.levers.iter().zip(&cand.values) {
        set.retain(|(k, _)| *k != l.path);
        set.push((l.path.clone(), l.values[*v].clone()));
    }
    let entries: Vec<String> =
        set.iter().map(|(k, v)| format!("{} = {}", toml::Value::String(k.clone()), inline(v))).collect();
    let from = plan.spec.variant.as_ref().map(|v| format!(" starting from variant `{v}`")).unwrap_or_default();
    let description =
        format!("Cheapest plan found by samverkan optimise{from}: {} staff-hours", num(cand.cost.total()));
    Ok(format!(
        "# Paste into {file} and run it with --variant {BEST_VARIANT}.\n\
         # Cost {cost} staff-hours (handlers {h}, conferences {conf}, resources {res}); seed {seed}.\n\
         [variant.{BEST_VARIANT}]\n\
         description = {desc}\n\
         set = {{ {set} }}\n",
        file = plan.spec.scenario.display(),
        cost = num(cand.cost.total()),
        h = num(cand.cost.handlers),
        conf = num(cand.cost.conferences),
        res = num(cand.cost.resources),
        seed = plan.seed,
        desc = toml::Value::String(description),
        set = entries.join(", "),
    ))
}

/// A value as an inline TOML literal (tables as `{ k = v }`, on one line).
fn inline(v: &toml::Value) -> String {
    match v {
        toml::Value::Table(t) => {
            let parts: Vec<String> =
                t.iter().map(|(k, v)| format!("{} = {}", toml::Value::String(k.clone()), inline(v))).collect();
            format!("{{ {} }}", parts.join(", "))
        }
        toml::Value::Array(a) => format!("[{}]", a.iter().map(inline).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

/// How many candidates are cheaper than the winner but undecided (their decision
/// needed more runs than `--runs`).
pub fn cheaper_undecided(plan: &Plan, outcome: &Outcome) -> usize {
    let Some(best) = outcome.best() else { return 0 };
    let cost = plan.candidates[best].cost.total();
    outcome
        .entries
        .iter()
        .zip(&plan.candidates)
        .filter(|(e, c)| e.status == Status::Undecided && c.cost.total() <= cost)
        .count()
}
