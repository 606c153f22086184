//! Key findings, derived from the same files as the charts: the slowest level, the
//! largest cause of delay, the bottleneck units, resources idle in one organisation
//! while short in another, objectives missed; for a batch, the slowest level, the
//! clearest variant effect and the objective least often met.

use super::batch_data::BatchData;
use super::bottlenecks::backlogs;
use super::delays::decompose;
use super::i18n::{Labels, fill};
use super::run_data::{ResourceRow, RunData};
use super::style::LEVELS_TOP_DOWN;
use crate::metrics::stats::{quantile, sorted};
use crate::vocabulary::Level;

/// A whole number of minutes, thousands grouped with a narrow space ("545 640").
pub fn minutes(v: f64) -> String {
    let s = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 && s.len() > 4 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if v.round() < 0.0 { format!("−{out}") } else { out }
}

/// The findings of a run, as sentences.
pub fn run(d: &RunData, t: &Labels) -> Vec<String> {
    let f = &t.html.found;
    let mut out = Vec::new();
    if let Some(s) = slowest_level(d, t) {
        out.push(s);
    }
    if let Some(s) = largest_part(d, t) {
        out.push(s);
    }
    let busy: Vec<String> = backlogs(&d.messages, d.summary.duration_min)
        .iter()
        .take(3)
        .map(|b| fill(f.bottleneck_item, &[&b.unit, &b.peak, &minutes(b.peak_at)]))
        .collect();
    out.push(if busy.is_empty() { f.no_bottleneck.to_string() } else { fill(f.bottlenecks, &[&busy.join("; ")]) });
    out.push(match idle_while_short(&d.resources).first() {
        Some(p) => fill(
            f.idle_short,
            &[
                &minutes(idle_while_short_total(&d.resources)),
                &p.kind,
                &p.idle_org,
                &p.short_org,
                &minutes(p.minutes),
                &minutes(p.from),
                &minutes(p.to),
            ],
        ),
        None => f.no_idle_short.to_string(),
    });
    let objectives = &d.summary.objectives;
    let missed: Vec<&str> = objectives.iter().filter(|o| !o.met).map(|o| o.id.as_str()).collect();
    if !objectives.is_empty() {
        out.push(if missed.is_empty() {
            fill(f.objectives_all_met, &[&objectives.len()])
        } else {
            fill(f.objectives_missed, &[&missed.len(), &objectives.len(), &missed.join(", ")])
        });
    }
    out
}

/// Median delay per level (facts learned other than at their origin).
pub fn level_medians(d: &RunData) -> Vec<(Level, usize, f64)> {
    LEVELS_TOP_DOWN
        .iter()
        .filter_map(|l| {
            let v = sorted(d.facts.iter().filter(|k| k.level == *l && !k.at_origin).map(|k| k.delay).collect());
            Some((*l, v.len(), quantile(&v, 0.5)?))
        })
        .collect()
}

/// The slowest level by the statistic of the chart beside the findings ("Where the time
/// went"): the mean delay over the level's (fact, unit) pairs, with the median beside it.
fn slowest_level(d: &RunData, t: &Labels) -> Option<String> {
    let means: Vec<(Level, usize, f64)> =
        decompose(&d.facts).iter().filter(|l| l.n > 0).map(|l| (l.level, l.n, l.total())).collect();
    let (level, n, mean) = *means.iter().max_by(|a, b| a.2.total_cmp(&b.2))?;
    let median = level_medians(d).iter().find(|m| m.0 == level).map_or(f64::NAN, |m| m.2);
    let others: Vec<String> = means
        .iter()
        .filter(|o| o.0 != level)
        .map(|o| format!("{} {} {}", t.level(o.0).to_lowercase(), minutes(o.2), t.minutes))
        .collect();
    Some(fill(
        t.html.found.slowest_level,
        &[&t.level(level).to_lowercase(), &minutes(mean), &n, &minutes(median), &others.join(", ")],
    ))
}

fn largest_part(d: &RunData, t: &Labels) -> Option<String> {
    let levels = decompose(&d.facts);
    let mut totals = [0.0; 5];
    for l in &levels {
        for (a, p) in totals.iter_mut().zip(l.parts) {
            *a += p * l.n as f64;
        }
    }
    let all: f64 = totals.iter().sum();
    if all <= 0.0 {
        return None;
    }
    let (i, v) = totals.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
    let share = format!("{:.0}", 100.0 * v / all);
    Some(fill(t.html.found.largest_part, &[&t.parts[i], &share, &minutes(*v), &minutes(all)]))
}

/// Resource-minutes that stood idle in one organisation while the same type was short
/// in another, for one pair of organisations.
#[derive(Clone, Debug, PartialEq)]
pub struct IdleShort {
    pub kind: String,
    pub idle_org: String,
    pub short_org: String,
    /// ∫ min(idle there, unmet here) dt.
    pub minutes: f64,
    pub from: f64,
    pub to: f64,
}

/// The state of every (organisation, type) between consecutive change times of
/// resources.csv (each row holds until that organisation's next row of the type):
/// calls `f(state, from, to)` for each stretch.
fn stretches<'a>(rows: &'a [ResourceRow], mut f: impl FnMut(&[&'a ResourceRow], f64, f64)) {
    let mut rows: Vec<&ResourceRow> = rows.iter().collect();
    rows.sort_by(|a, b| a.time.total_cmp(&b.time));
    let mut times: Vec<f64> = rows.iter().map(|r| r.time).collect();
    times.dedup();
    let mut state: Vec<&ResourceRow> = Vec::new();
    let mut next_row = 0;
    for (i, t) in times.iter().enumerate() {
        while next_row < rows.len() && rows[next_row].time <= *t {
            let r = rows[next_row];
            match state.iter_mut().find(|s| s.org == r.org && s.kind == r.kind) {
                Some(s) => *s = r,
                None => state.push(r),
            }
            next_row += 1;
        }
        if let Some(next) = times.get(i + 1) {
            f(&state, *t, *next);
        }
    }
}

/// Every (type, idle organisation, short organisation) with idle-while-short time,
/// largest first. An organisation that is short itself counts as idle for no one.
pub fn idle_while_short(rows: &[ResourceRow]) -> Vec<IdleShort> {
    let mut out: Vec<IdleShort> = Vec::new();
    stretches(rows, |state, t, next| {
        for short in state.iter().filter(|s| s.unmet > 0.0) {
            let idle_there = state.iter().filter(|s| s.kind == short.kind && s.unmet == 0.0 && s.idle > 0.0);
            for idle in idle_there {
                let amount = idle.idle.min(short.unmet) * (next - t);
                match out
                    .iter_mut()
                    .find(|p| p.kind == short.kind && p.idle_org == idle.org && p.short_org == short.org)
                {
                    Some(p) => {
                        p.minutes += amount;
                        p.to = next;
                    }
                    None => out.push(IdleShort {
                        kind: short.kind.clone(),
                        idle_org: idle.org.clone(),
                        short_org: short.org.clone(),
                        minutes: amount,
                        from: t,
                        to: next,
                    }),
                }
            }
        }
    });
    out.sort_by(|a, b| b.minutes.total_cmp(&a.minutes));
    out
}

/// All idle-while-short resource-minutes, as the engine counts them (model.md §8): per
/// type, the smaller of all unmet demand and all idle units of organisations that are
/// not short themselves. Equals `idle_while_short_min` of summary.json.
pub fn idle_while_short_total(rows: &[ResourceRow]) -> f64 {
    let mut total = 0.0;
    stretches(rows, |state, t, next| {
        let mut kinds: Vec<&str> = state.iter().map(|s| s.kind.as_str()).collect();
        kinds.dedup();
        kinds.sort_unstable();
        kinds.dedup();
        for k in kinds {
            let of = || state.iter().filter(|s| s.kind == k);
            let unmet: f64 = of().map(|s| s.unmet).sum();
            let idle: f64 = of().filter(|s| s.unmet == 0.0).map(|s| s.idle).sum();
            total += unmet.min(idle) * (next - t);
        }
    });
    total
}

/// The findings of a batch, as sentences.
pub fn batch(d: &BatchData, t: &Labels) -> Vec<String> {
    let f = &t.html.found;
    let p0 = d.first_point();
    let base = d.base();
    let mean = |m: &str| d.stat(p0, base, m).and_then(|s| s.mean);
    let middle = |m: &str| d.stat(p0, base, m).and_then(|s| s.box5).map(|b| b[2]);
    let mut out = Vec::new();
    // The median over runs of each run's median delay: the line in the box of the
    // distributions chart.
    let medians: Vec<(Level, f64)> =
        LEVELS_TOP_DOWN.iter().filter_map(|l| Some((*l, middle(&format!("delay_{}_median_min", l.name()))?))).collect();
    if let Some((level, m)) = medians.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
        let n = d.runs.iter().filter(|r| r.ok && r.key.point == p0 && r.key.variant == base).count();
        let others: Vec<String> = medians
            .iter()
            .filter(|o| o.0 != *level)
            .map(|o| format!("{} {} {}", t.level(o.0).to_lowercase(), minutes(o.1), t.minutes))
            .collect();
        out.push(fill(
            f.batch_slowest_level,
            &[&n, &t.html.the_base, &t.level(*level).to_lowercase(), &minutes(*m), &others.join(", ")],
        ));
    }
    for v in d.variants.iter().filter(|v| !BatchData::is_base(v)) {
        out.push(variant_effect(d, v, t));
        out.extend(variant_known(d, v, t));
        out.extend(variant_objectives(d, v, t));
    }
    let worst = d
        .objectives
        .iter()
        .filter(|o| o.key.point == p0 && o.key.variant == base && o.share.is_some())
        .min_by(|a, b| a.share.unwrap_or(0.0).total_cmp(&b.share.unwrap_or(0.0)));
    if let Some(o) = worst {
        let pct = |v: f64| format!("{:.0}", 100.0 * v);
        let (lo, hi) = o.ci.unwrap_or((0.0, 1.0));
        out.push(fill(
            f.worst_objective,
            &[&o.objective, &pct(o.share.unwrap_or(0.0)), &t.html.the_base, &pct(lo), &pct(hi)],
        ));
    }
    if let Some(v) = mean("idle_while_short_min").filter(|v| *v > 0.0) {
        out.push(fill(f.batch_idle_short, &[&minutes(v), &t.html.the_base]));
    }
    let failed = d.runs.iter().filter(|r| !r.ok).count();
    if failed > 0 {
        out.push(fill(f.failed, &[&failed]));
    }
    out
}

/// Below this size (in the measure's unit: minutes, messages, a share) a base value is
/// near zero: a change from it is told as an absolute change, never as a percentage.
pub const NEAR_ZERO: f64 = 1.0;

/// A variant's clearest change: the largest relative to the base (a base near zero
/// counting as [`NEAR_ZERO`]) among the measures whose 95 % interval excludes zero,
/// looked for among the delays first, then among all headline measures.
fn variant_effect(d: &BatchData, variant: &str, t: &Labels) -> String {
    let p0 = d.first_point();
    let clearest = |wanted: &dyn Fn(&str) -> bool| {
        d.compare
            .iter()
            .filter(|c| c.key.point == p0 && c.key.variant == variant && wanted(&c.measure))
            .filter_map(|c| {
                let (diff, (lo, hi), base) = (c.diff?, c.ci?, c.base_mean?);
                (lo > 0.0 || hi < 0.0).then_some((c, diff, lo, hi, base, diff / base.abs().max(NEAR_ZERO)))
            })
            .max_by(|a, b| a.5.abs().total_cmp(&b.5.abs()))
    };
    let delay = |m: &str| m.starts_with("delay_") || m.starts_with("first_fact_");
    let f = &t.html.found;
    let (template, best) = match clearest(&delay) {
        Some(b) => (f.variant_effect, b),
        None => match clearest(&|_: &str| true) {
            Some(b) => (f.variant_effect_other, b),
            None => return fill(f.no_clear_effect, &[&d.variant_label(variant)]),
        },
    };
    let (c, diff, lo, hi, base, _) = best;
    let unit = if c.measure.ends_with("_min") { format!(" {}", t.minutes) } else { String::new() };
    let change = Change { diff, base, unit: &unit };
    fill(
        template,
        &[&d.variant_label(variant), &t.measure(&c.measure).to_lowercase(), &change.told(t), &signed(lo), &signed(hi)],
    )
}

/// Each level whose share known by the end changed clearly (95 % interval of the change
/// clear of zero, by at least 5 percentage points): the delays of the two runs count
/// different pairs, which this sentence says next to the delay findings.
fn variant_known(d: &BatchData, variant: &str, t: &Labels) -> Vec<String> {
    let p0 = d.first_point();
    let pct = |v: f64| format!("{:.0}", 100.0 * v);
    LEVELS_TOP_DOWN
        .iter()
        .rev()
        .filter_map(|level| {
            let name = format!("known_{}_share", level.name());
            let c = d.compare.iter().find(|c| c.key.point == p0 && c.key.variant == variant && c.measure == name)?;
            let (diff, (lo, hi), base) = (c.diff?, c.ci?, c.base_mean?);
            ((lo > 0.0 || hi < 0.0) && diff.abs() >= 0.05).then(|| {
                let args: [&dyn std::fmt::Display; 5] = [
                    &d.variant_label(variant),
                    &t.level(*level).to_lowercase(),
                    &pct(base + diff),
                    &pct(base),
                    &t.html.the_base,
                ];
                fill(t.html.found.variant_known, &args)
            })
        })
        .collect()
}

/// The objectives a variant meets clearly more or less often than the base (the two 95 %
/// intervals of the share met do not overlap), as one sentence.
fn variant_objectives(d: &BatchData, variant: &str, t: &Labels) -> Option<String> {
    let p0 = d.first_point();
    let share = |v: &str, id: &str| {
        let o = d.objectives.iter().find(|o| o.key.point == p0 && o.key.variant == v && o.objective == id)?;
        Some((o.share?, o.ci?))
    };
    let pct = |v: f64| format!("{:.0}", 100.0 * v);
    let changes: Vec<String> = d
        .objective_ids
        .iter()
        .filter_map(|id| {
            let ((b, (blo, bhi)), (v, (vlo, vhi))) = (share(d.base(), id)?, share(variant, id)?);
            (vlo > bhi || vhi < blo).then(|| fill(t.html.found.objective_change, &[id, &pct(v), &pct(b)]))
        })
        .collect();
    (!changes.is_empty())
        .then(|| fill(t.html.found.variant_objectives, &[&d.variant_label(variant), &changes.join(", ")]))
}

/// A variant's change of a measure from the base's mean.
struct Change<'a> {
    diff: f64,
    base: f64,
    unit: &'a str,
}

impl Change<'_> {
    /// "+12 min, +25 % of the base scenario's mean" or, from a base near zero or to zero, "from 55 to 0 min":
    /// a percentage only where it means something.
    fn told(&self, t: &Labels) -> String {
        let to = self.base + self.diff;
        let relative = self.base.abs() >= NEAR_ZERO && to.abs() >= 0.5 * NEAR_ZERO;
        if relative {
            let pct = signed(100.0 * self.diff / self.base.abs());
            fill(t.html.found.change_relative, &[&format!("{}{}", signed(self.diff), self.unit), &pct])
        } else {
            fill(t.html.found.change_absolute, &[&plain(self.base), &format!("{}{}", plain(to), self.unit)])
        }
    }
}

/// A value without sign decoration: one decimal below 10, whole numbers above.
fn plain(v: f64) -> String {
    if v.abs() < 0.05 {
        return "0".into();
    }
    let s = if v.abs() < 9.95 { format!("{:.1}", v.abs()) } else { minutes(v.abs()) };
    if v < 0.0 && s.trim_start_matches(['0', '.']).chars().any(|c| c != '0' && c != '.') {
        format!("−{s}")
    } else {
        s
    }
}

/// A difference with its sign; one decimal below 10 so that a small interval that
/// excludes zero does not read as reaching it.
fn signed(v: f64) -> String {
    let s = if v.abs() < 9.95 { format!("{:.1}", v.abs()) } else { minutes(v.abs()) };
    if s.trim_start_matches(['0', '.']).is_empty() {
        "0".into()
    } else if v > 0.0 {
        format!("+{s}")
    } else {
        format!("−{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(time: f64, org: &str, idle: f64, unmet: f64) -> ResourceRow {
        ResourceRow { time, org: org.into(), kind: "engine".into(), in_use: 0.0, idle, in_transit: 0.0, unmet }
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(minutes(545640.4), "545\u{202f}640");
        assert_eq!(minutes(1240.0), "1240");
        assert_eq!(minutes(-56.4), "−56");
        assert_eq!(signed(3.64), "+3.6");
        assert_eq!(signed(-0.3), "−0.3");
        assert_eq!(signed(-0.02), "0");
        assert_eq!(signed(-65.4), "−65");
    }

    #[test]
    fn a_change_is_relative_only_from_a_real_base_to_a_real_value() {
        let t = &crate::report::i18n::EN;
        let told = |diff: f64, base: f64| Change { diff, base, unit: " min" }.told(t);
        assert_eq!(told(12.0, 48.0), "+12 min, +25 % of the base scenario’s mean");
        assert_eq!(told(-3.2, 40.0), "−3.2 min, −8.0 % of the base scenario’s mean");
        // To zero: no "(−100 %)".
        assert_eq!(told(-55.0, 55.0), "from 55 to 0 min");
        // From almost nothing: no "+2 900 %".
        assert_eq!(told(8.7, 0.3), "from 0.3 to 9.0 min");
        assert_eq!(told(-0.2, 0.2), "from 0.2 to 0 min");
    }

    #[test]
    fn idle_while_short_integrates_the_smaller_of_idle_and_unmet() {
        // b is short of 4 from 2 to 12 while a has 6 idle until 7, then 1: 4·5 + 1·5 = 25.
        let rows = vec![
            row(0.0, "a", 6.0, 0.0),
            row(0.0, "b", 0.0, 0.0),
            row(2.0, "b", 0.0, 4.0),
            row(7.0, "a", 1.0, 0.0),
            row(12.0, "b", 0.0, 0.0),
        ];
        let p = idle_while_short(&rows);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].idle_org.as_str(), p[0].short_org.as_str()), ("a", "b"));
        assert!((p[0].minutes - 25.0).abs() < 1e-9, "{}", p[0].minutes);
        assert_eq!((p[0].from, p[0].to), (2.0, 12.0));
        assert!((idle_while_short_total(&rows) - 25.0).abs() < 1e-9);
    }

    #[test]
    fn an_organisation_short_itself_lends_nothing() {
        // a has 3 idle but is short of 1 itself: nothing counts for b's shortage.
        let rows =
            vec![row(0.0, "a", 3.0, 1.0), row(0.0, "b", 0.0, 2.0), row(10.0, "a", 0.0, 0.0), row(10.0, "b", 0.0, 0.0)];
        assert!(idle_while_short(&rows).is_empty());
        assert_eq!(idle_while_short_total(&rows), 0.0);
    }
}
