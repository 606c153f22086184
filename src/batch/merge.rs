//! Merging the folders of shards (`--shard K/N`) into the files one unsharded batch
//! writes: the same `runs.csv`, `stats.csv`, `objectives.csv` and `compare.csv`, byte
//! for byte, the maps' `municipality_runs.csv`, `municipalities.csv`, `county_runs.csv`,
//! `counties.csv` and `location.json`,
//! and the shards' copy of the scenario (`scenario.toml`). Only the manifest
//! differs (times, command line, the folders merged). Refuses folders of different
//! batches, unfinished shards, a missing or repeated shard, any run missing or recorded
//! twice, and a shard whose `scenario.toml` was edited.

use super::BatchError;
use super::files;
use super::journal;
use super::manifest::{self, FINISHED, Manifest};
use super::municipal;
use super::plan::{self, Layout, Shard, Task};
use super::row::Row;
use super::scenario_copy;
use crate::output::{self, Access, CsvDialect, FolderLock};
use crate::scenario::Source;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What a merge combined.
#[derive(Clone, Debug)]
pub struct Merged {
    /// Shard folders combined.
    pub shards: usize,
    /// Runs that finished.
    pub ok: u64,
    /// Runs that failed.
    pub failed: u64,
}

/// Merges the shard folders `dirs` into `out` (refused if it holds results, unless
/// `force`), holding a lock on `out` and read locks on the shard folders.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool, command_line: &[String]) -> Result<Merged, BatchError> {
    check_not_input(dirs, out)?;
    let lock = output::lock_dir(out, Access::Write)?;
    merge_locked(dirs, &lock, force, command_line, CsvDialect::Comma)
}

/// [`merge`] into the folder `out` holds (for a caller that goes on to draw the
/// report before letting it go), writing CSV files of `dialect` (the shards may be
/// in either); call [`check_not_input`] before locking `out`.
pub fn merge_locked(
    dirs: &[PathBuf],
    out: &FolderLock,
    force: bool,
    command_line: &[String],
    dialect: CsvDialect,
) -> Result<Merged, BatchError> {
    let _reading = dirs.iter().map(|d| FolderLock::acquire(d, Access::Read)).collect::<Result<Vec<_>, _>>()?;
    let out = out.dir();
    let manifests = read_manifests(dirs)?;
    let first = &manifests[0];
    check_shards(dirs, &manifests)?;
    check_out(out, force)?;
    let layout = &first.plan;
    let scenario = scenario_copy::of_shards(dirs, &layout.scenario_hash)?;
    let mut rows: Vec<Row> = vec![];
    let mut seen: HashSet<Task> = HashSet::new();
    for (dir, m) in dirs.iter().zip(&manifests) {
        let path = dir.join(files::RUNS);
        let shard = m.shard()?;
        let part = journal::read(&path, layout)?;
        if part.len() as u64 != m.tasks {
            return Err(BatchError::corrupt(
                &path,
                format!("holds {} runs where its shard has {}", part.len(), m.tasks),
            ));
        }
        for r in part {
            if !layout.in_shard(shard, &r.task) || !seen.insert(r.task) {
                return Err(BatchError::corrupt(
                    &path,
                    format!(
                        "point {}, variant {}, replication {} does not belong to shard {shard} or is in two shards",
                        r.task.point, layout.variants[r.task.variant], r.task.rep
                    ),
                ));
            }
            rows.push(r);
        }
    }
    if rows.len() as u64 != layout.total_tasks() {
        return Err(BatchError::Mismatch(format!(
            "the shards hold {} runs where the batch has {}",
            rows.len(),
            layout.total_tasks()
        )));
    }
    files::sort(&mut rows);
    files::write_runs(out, layout, &rows, dialect)?;
    files::write_tables(out, layout, &rows, dialect)?;
    merge_map((dirs, &manifests), out, &rows, scenario.as_ref(), dialect)?;
    if let Some(s) = &scenario {
        scenario_copy::write(out, s)?;
    }
    let failed = rows.iter().filter(|r| !r.ok()).count() as u64;
    let merged = Manifest {
        command_line: command_line.to_vec(),
        shard: None,
        status: FINISHED.into(),
        tasks: rows.len() as u64,
        runs_ok: rows.len() as u64 - failed,
        runs_failed: failed,
        started: manifests.iter().map(|m| m.started.clone()).min().unwrap_or_default(),
        finished: manifests.iter().filter_map(|m| m.finished.clone()).max(),
        jobs: None,
        csv_dialect: dialect,
        merged_from: dirs.iter().map(|d| d.display().to_string()).collect(),
        ..first.clone()
    };
    merged.write(out)?;
    Ok(Merged { shards: dirs.len(), ok: merged.runs_ok, failed })
}

/// The maps' files: the shards' `municipality_runs.csv` (and `county_runs.csv`) combined
/// (each row a finished run of its shard, none twice), sorted, with `municipalities.csv`
/// (`counties.csv`) and `location.json` (when the shards' scenario copy gives a place)
/// as one unsharded batch writes them.
fn merge_map(
    (dirs, manifests): (&[PathBuf], &[Manifest]),
    out: &Path,
    rows: &[Row],
    scenario: Option<&Source>,
    dialect: CsvDialect,
) -> Result<(), BatchError> {
    let layout: &Layout = &manifests[0].plan;
    for division in crate::geo::knowing::Division::ALL {
        let mut seen = HashSet::new();
        let mut times = vec![];
        for (dir, m) in dirs.iter().zip(manifests) {
            let shard = m.shard()?;
            let ok: HashSet<Task> =
                rows.iter().filter(|r| r.ok() && layout.in_shard(shard, &r.task)).map(|r| r.task).collect();
            times.extend(municipal::read_shard(dir, layout, &ok, &mut seen, division)?);
        }
        times.sort_by(|a, b| (a.task, &a.code).cmp(&(b.task, &b.code)));
        let location = match scenario {
            Some(s) if !times.is_empty() => plan::location_of(s, layout)?,
            _ => None,
        };
        let to = municipal::Target { dir: out, division, whole: true, dialect };
        municipal::write_tables(&to, layout, &times, location.as_ref())?;
    }
    Ok(())
}

fn read_manifests(dirs: &[PathBuf]) -> Result<Vec<Manifest>, BatchError> {
    if dirs.is_empty() {
        return Err(BatchError::Usage("name the folders of the shards to merge".into()));
    }
    let manifests = dirs.iter().map(|d| Manifest::read(d)).collect::<Result<Vec<_>, _>>()?;
    for (dir, m) in dirs.iter().zip(&manifests) {
        if m.fingerprint != manifests[0].fingerprint {
            return Err(BatchError::Mismatch(format!(
                "{} and {} hold different batches (scenario, tool version, seed, runs, variants or design differ)",
                dirs[0].display(),
                dir.display()
            )));
        }
        if m.status != FINISHED {
            return Err(BatchError::Mismatch(format!(
                "{} is not finished (status `{}`); run its shard again with --resume first",
                dir.display(),
                m.status
            )));
        }
    }
    Ok(manifests)
}

/// Every shard 1..=N exactly once.
fn check_shards(dirs: &[PathBuf], manifests: &[Manifest]) -> Result<(), BatchError> {
    let shards = manifests.iter().map(|m| m.shard()).collect::<Result<Vec<Shard>, _>>()?;
    let n = shards[0].n;
    for (i, s) in shards.iter().enumerate() {
        if s.n != n {
            return Err(BatchError::Mismatch(format!(
                "{} is shard {s} but {} is shard {}: all shards must come from the same split",
                dirs[i].display(),
                dirs[0].display(),
                shards[0]
            )));
        }
        if let Some(j) = shards[..i].iter().position(|x| x == s) {
            return Err(BatchError::Mismatch(format!(
                "shard {s} is given twice: {} and {}",
                dirs[j].display(),
                dirs[i].display()
            )));
        }
    }
    let missing: Vec<String> =
        (1..=n).filter(|k| !shards.iter().any(|s| s.k == *k)).map(|k| format!("{k}/{n}")).collect();
    if !missing.is_empty() {
        return Err(BatchError::Mismatch(format!("shard {} missing", missing.join(", "))));
    }
    Ok(())
}

/// The output folder must not be one of the folders to merge.
pub fn check_not_input(dirs: &[PathBuf], out: &Path) -> Result<(), BatchError> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    if let Some(o) = canon(out)
        && dirs.iter().any(|d| canon(d).as_ref() == Some(&o))
    {
        return Err(BatchError::Usage(format!("--out {} is one of the folders to merge", out.display())));
    }
    Ok(())
}

/// The output folder: not holding results unless `force`.
fn check_out(out: &Path, force: bool) -> Result<(), BatchError> {
    let has_manifest = out.join(manifest::FILE).is_file();
    output::prepare_dir(out, force)?;
    if has_manifest {
        super::runner::clear_batch(out)?;
    }
    Ok(())
}
