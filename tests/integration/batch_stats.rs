//! The statistics of a batch against values worked out by hand (formulas in
//! docs/batch.md), first on the functions, then through the tables a batch writes.

use indexmap::IndexMap;
use samverkan::batch::plan::{Layout, Task};
use samverkan::batch::row::Row;
use samverkan::batch::stats::{describe, mean_ci95, paired, t975, wilson95};
use samverkan::batch::{files, manifest};
use std::path::PathBuf;

/// The sample: sum 40, n 8, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32.
const SAMPLE: [f64; 8] = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
/// sd = √(32/7)
const SD: f64 = 2.138_089_935_299_395;
/// t(0.975, 7) from tables: 2.364624; half-width = t·sd/√8 = 1.787488
const HALF: f64 = 1.787_487_918_236_211;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn mean_sd_quantiles_and_interval_by_hand() {
    let d = describe(&SAMPLE).unwrap();
    assert_eq!(d.n, 8);
    assert_eq!(d.mean, 5.0);
    assert!(close(d.sd.unwrap(), SD));
    assert_eq!((d.min, d.max), (2.0, 9.0));
    // Type 7: h = (n − 1)·p = 7p; x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) on the sorted sample.
    // p5: h 0.35 → 2 + 0.35·2 = 2.7; p25: h 1.75 → 4; p50: h 3.5 → 4.5;
    // p75: h 5.25 → 5 + 0.25·2 = 5.5; p90: h 6.3 → 7 + 0.3·2 = 7.6; p95: h 6.65 → 8.3
    let want = [2.7, 4.0, 4.5, 5.5, 7.6, 8.3];
    for (got, want) in d.quantiles.iter().zip(want) {
        assert!(close(*got, want), "{got} vs {want}");
    }
    let (lo, hi) = d.ci95.unwrap();
    assert!(close(lo, 5.0 - HALF) && close(hi, 5.0 + HALF), "{lo} {hi}");
    assert!(close(t975(7.0), 2.364_624_251_592_785));
    // Order does not matter for anything but the bits of the sums.
    let mut shuffled = SAMPLE;
    shuffled.reverse();
    assert_eq!(describe(&shuffled).unwrap().quantiles, d.quantiles);
}

#[test]
fn one_value_has_no_spread_and_no_interval() {
    let d = describe(&[3.5]).unwrap();
    assert_eq!((d.mean, d.sd, d.ci95), (3.5, None, None));
    assert_eq!(d.quantiles, [3.5; 6]);
    assert!(describe(&[]).is_none());
    // Two equal values: sd 0, interval of zero width.
    assert_eq!(mean_ci95(2, 4.0, 0.0), (4.0, 4.0));
}

#[test]
fn wilson_interval_by_hand() {
    // 8 of 10, z = 1.959964: p = 0.8, z² = 3.841459, denominator 1 + z²/n = 1.3841459,
    // centre (0.8 + z²/20)/1.3841459 = 0.716740, half z/1.3841459·√(0.016 + z²/400) = 0.226578
    let (lo, hi) = wilson95(8, 10).unwrap();
    assert!(close(lo, 0.490_162_471_536_641_7) && close(hi, 0.943_317_848_545_624_7), "{lo} {hi}");
    // None and all: [0, z²/(n + z²)] and [n/(n + z²), 1].
    let z2 = 1.959_963_984_540_054f64.powi(2);
    let (lo, hi) = wilson95(0, 20).unwrap();
    assert!(lo == 0.0 && close(hi, z2 / (20.0 + z2)));
    let (lo, hi) = wilson95(20, 20).unwrap();
    assert!(close(lo, 20.0 / (20.0 + z2)) && hi == 1.0);
    assert!(wilson95(0, 0).is_none());
}

#[test]
fn paired_difference_by_hand() {
    // base 10 12 9 11, variant 8 11 9 8: differences −2 −1 0 −3, mean −1.5,
    // sd √((0.25 + 0.25 + 2.25 + 2.25)/3) = √(5/3) = 1.290994; t(0.975, 3) = 3.182446;
    // half-width 3.182446·1.290994/√4 = 2.054260
    let p = paired(&[(10.0, 8.0), (12.0, 11.0), (9.0, 9.0), (11.0, 8.0)]).unwrap();
    assert_eq!((p.n, p.base_mean, p.variant_mean, p.diff), (4, 10.5, 9.0, -1.5));
    assert!(close(p.diff_sd.unwrap(), (5.0f64 / 3.0).sqrt()));
    let (lo, hi) = p.ci95.unwrap();
    assert!(close(lo, -3.554_260_256_760_522) && close(hi, 0.554_260_256_760_522), "{lo} {hi}");
}

fn layout() -> Layout {
    Layout {
        scenario: "hand".into(),
        scenario_hash: "0".into(),
        tool_version: "0".into(),
        master_seed: 1,
        runs: 10,
        variants: vec!["base".into(), "v".into()],
        paths: vec![],
        points: vec![IndexMap::new()],
        measures: vec!["x".into()],
        objectives: vec!["o".into()],
        design: None,
    }
}

fn row(l: &Layout, variant: usize, rep: u64, x: Option<f64>, met: bool) -> Row {
    Row {
        task: Task { point: 0, variant, rep },
        seed: l.seed(rep),
        error: String::new(),
        measures: vec![x],
        met: vec![Some(met)],
        values: vec![x],
    }
}

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn line_of(text: &str, prefix: &str) -> String {
    text.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no `{prefix}` in\n{text}")).to_string()
}

/// The same numbers through the tables: 8 runs with the sample above and two runs in
/// which the measure never happened (base); the variant pairs with the base.
#[test]
fn tables_carry_the_hand_calculated_values() {
    let l = layout();
    let mut rows = vec![];
    for (rep, x) in SAMPLE.iter().enumerate() {
        rows.push(row(&l, 0, rep as u64, Some(*x), rep < 6));
    }
    rows.push(row(&l, 0, 8, None, false));
    rows.push(row(&l, 0, 9, None, false));
    // variant: base − 1 in every replication, except rep 3 failed
    for rep in 0..10u64 {
        let x = rows[rep as usize].measures[0].map(|x| x - 1.0);
        let mut r = row(&l, 1, rep, x, true);
        if rep == 3 {
            r = Row::failed(&l, r.task, r.seed, "guard tripped");
        }
        rows.push(r);
    }
    let d = dir("batch-stats-tables");
    files::sort(&mut rows);
    files::write_runs(&d, &l, &rows, samverkan::output::CsvDialect::Comma).unwrap();
    files::write_tables(&d, &l, &rows, samverkan::output::CsvDialect::Comma).unwrap();
    let stats = std::fs::read_to_string(d.join(files::STATS)).unwrap();
    assert_eq!(
        stats.lines().next().unwrap(),
        "point,variant,measure,runs,failed,n,mean,sd,min,p5,p25,p50,p75,p90,p95,max,ci95_low,ci95_high"
    );
    // mean 5, sd 2.1381, quantiles as above, 5 ∓ 1.7875
    assert_eq!(line_of(&stats, "0,base,x,"), "0,base,x,10,0,8,5,2.1381,2,2.7,4,4.5,5.5,7.6,8.3,9,3.2125,6.7875");
    // 9 finished runs, 1 failed, 7 values: 1 3 3 4 4 6 8 (rep 3 is the failed one)
    let v = line_of(&stats, "0,v,x,");
    assert!(v.starts_with("0,v,x,9,1,7,4.1429,"), "{v}");
    let objectives = std::fs::read_to_string(d.join(files::OBJECTIVES)).unwrap();
    // met in reps 0–5 of 10: 6 of 10 → Wilson [0.3127, 0.8318]
    assert_eq!(line_of(&objectives, "0,base,o,"), "0,base,o,10,6,0.6,0.3127,0.8318");
    assert_eq!(line_of(&objectives, "0,v,o,"), "0,v,o,9,9,1,0.7009,1");
    let compare = std::fs::read_to_string(d.join(files::COMPARE)).unwrap();
    // 7 pairs, each differing by exactly −1: sd 0, interval [−1, −1]
    assert_eq!(line_of(&compare, "0,v,x,"), "0,v,x,7,5.1429,4.1429,-1,0,-1,-1");
    assert!(!d.join(manifest::FILE).exists(), "tables alone write no manifest");
}
