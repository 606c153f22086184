//! `samverkan exercise SCENARIO --play ORG[,ORG...]`: a live exercise served to browsers
//! (see docs/exercise.md). Prints one line per role, `ROLE URL`, control first; runs
//! until Ctrl-C or SIGTERM, then closes the log and exits 0.

use super::{exit, fail};
use crate::exercise::apply::Played;
use crate::exercise::server::{self, Tokens};
use crate::exercise::session::{Exercise, Setup};
use crate::exercise::{ExerciseError, Role};
use crate::model::Model;
use crate::output;
use clap::Args;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Run a live exercise: people play some organisations in their browsers, samverkan
/// plays the rest on the simulated clock, exercise control steers from its own page.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
samverkan exercise scenarios/stockholm-attack.toml --play lst,polisen\n  \
samverkan exercise scenarios/stockholm-attack.toml --play lst --speed 2 --listen 0.0.0.0:8080 --lang sv\n  \
samverkan exercise --resume output/stockholm-attack/exercise-20261207-190000.csv\n\n\
Prints one line per role on standard output, `ROLE URL`: `control` first, then each played\n\
organisation. Each URL carries that role's own access token: give each link only to its\n\
role. Ctrl-C or SIGTERM ends the exercise: the log is complete and flushed, exit 0.\n\
The log is in the debrief's format (docs/exercise-log.md): `samverkan debrief SCENARIO\n\
--log FILE` reads it, `samverkan replay FILE` reproduces the simulated side.")]
pub struct ExerciseArgs {
    /// Scenario file (TOML); not with --resume (the log names it).
    #[arg(required_unless_present = "resume", conflicts_with = "resume")]
    scenario: Option<PathBuf>,
    /// Organisations played by people (ids, comma-separated).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "ORG[,ORG...]",
        required_unless_present = "resume",
        conflicts_with = "resume"
    )]
    play: Vec<String>,
    /// Apply this named variant of the scenario.
    #[arg(long, conflicts_with = "resume")]
    variant: Option<String>,
    /// Seed of the simulated side (default: the scenario's own).
    #[arg(long, conflicts_with = "resume")]
    seed: Option<u64>,
    /// Simulated minutes per wall-clock minute.
    #[arg(long, default_value_t = 1.0, conflicts_with = "resume")]
    speed: f64,
    /// Address and port to serve on; port 0 picks a free one (printed in the links).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// The exercise log to write (default: output/<scenario>/exercise-<yyyymmdd-hhmmss>.csv,
    /// UTC); an existing file is refused.
    #[arg(long, value_name = "FILE", conflicts_with = "resume")]
    log: Option<PathBuf>,
    /// Continue the exercise of this log (rebuilt from it; new links are printed).
    #[arg(long, value_name = "FILE")]
    resume: Option<PathBuf>,
    /// Language of the pages: en or sv (default: en; with --resume, the exercise's).
    #[arg(long)]
    lang: Option<crate::report::Lang>,
}

/// A failure with its exit code.
struct Fail(u8, String);

fn bad(e: impl std::fmt::Display) -> Fail {
    Fail(exit::BAD_INPUT, e.to_string())
}

fn failed(e: impl std::fmt::Display) -> Fail {
    Fail(exit::RUN_FAILED, e.to_string())
}

pub fn main(a: ExerciseArgs) -> u8 {
    match exercise(a) {
        Ok(()) => exit::OK,
        Err(Fail(code, message)) => fail(code, message),
    }
}

fn exercise(a: ExerciseArgs) -> Result<(), Fail> {
    if !a.speed.is_finite() || a.speed <= 0.0 {
        return Err(bad(format!("--speed {}: must be a number above 0", a.speed)));
    }
    let (listen, lang_flag) = (a.listen, a.lang);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| failed(format!("cannot start the server's runtime: {e}")))?;
    let stopped = runtime.block_on(async move {
        // Bound first: a port in use is refused before any log is written.
        let listener =
            tokio::net::TcpListener::bind(listen).await.map_err(|e| bad(format!("--listen {listen}: {e}")))?;
        let bound = listener.local_addr().map_err(failed)?;
        let resuming = a.resume.is_some();
        let started = match &a.resume {
            Some(log) => Exercise::resume(log, Instant::now()).map_err(start_failure)?,
            None => Exercise::start(setup(a)?, Instant::now()).map_err(start_failure)?,
        };
        let kept = Tokens::file(started.log_path());
        let tokens = Tokens::kept(started.log_path(), started.played(), resuming)
            .map_err(|e| failed(format!("{}: cannot keep the access tokens: {e}", kept.display())))?;
        let lang = lang_flag.unwrap_or_else(|| started.lang());
        announce(bound, &tokens, started.played());
        Ok::<_, Fail>(server::serve(started, listener, tokens, lang, stop_signal()).await)
    })?;
    let closed = stopped.exercise.close();
    if let Some(e) = stopped.error {
        return Err(failed(e));
    }
    let log = closed.map_err(failed)?;
    eprintln!("the exercise has ended; its log: {}", log.display());
    Ok(())
}

/// The session's setup from the flags, after checking the played organisations exist
/// and choosing the log's path.
fn setup(a: ExerciseArgs) -> Result<Setup, Fail> {
    let scenario = a.scenario.expect("clap requires SCENARIO without --resume");
    let model = crate::scenario::load(&scenario, a.variant.as_deref()).map_err(bad)?;
    Played::resolve(&model, &a.play).map_err(bad)?;
    let log = match a.log {
        Some(log) => log,
        None => default_log(&model)?,
    };
    if log.exists() {
        return Err(bad(format!(
            "{}: the log exists already; choose another --log, or continue it with --resume {0}",
            log.display()
        )));
    }
    Ok(Setup {
        scenario,
        variant: a.variant,
        seed: a.seed,
        play: a.play,
        speed: a.speed,
        log,
        lang: a.lang.unwrap_or_default(),
    })
}

/// `output/<scenario>/exercise-<yyyymmdd-hhmmss>.csv` (UTC), its folder made.
fn default_log(model: &Model) -> Result<PathBuf, Fail> {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let dir = Path::new("output").join(output::sanitise(&model.name));
    std::fs::create_dir_all(&dir).map_err(|e| failed(format!("{}: {e}", dir.display())))?;
    Ok(dir.join(format!("exercise-{}.csv", utc_stamp(secs))))
}

/// `yyyymmdd-hhmmss` of seconds since 1970 (UTC).
fn utc_stamp(secs: u64) -> String {
    let (year, month, day) = crate::time::civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!("{year:04}{month:02}{day:02}-{:02}{:02}{:02}", rem / 3600, rem / 60 % 60, rem % 60)
}

fn start_failure(e: ExerciseError) -> Fail {
    match e {
        ExerciseError::Setup(_) | ExerciseError::BadLog { .. } => bad(e),
        _ => failed(e),
    }
}

/// Prints `ROLE URL` per role (control first, then the played organisations in --play
/// order), and warns on standard error when the server is reachable from the network.
fn announce(bound: SocketAddr, tokens: &Tokens, played: &[String]) {
    let ip = bound.ip();
    if !ip.is_loopback() {
        eprintln!(
            "warning: listening on {bound}: the exercise is reachable from the network; give each link only to its role"
        );
    }
    // An unspecified address (0.0.0.0) is no address to open: the links name this
    // machine by its loopback address; on the network use the machine's own address.
    let host = if ip.is_unspecified() { SocketAddr::new(loopback(bound), bound.port()) } else { bound };
    let token = |role: &Role| tokens.of(role).map(|t| t.hex()).unwrap_or_default();
    say!("control http://{host}/control?t={}", token(&Role::Control));
    for org in played {
        say!("{org} http://{host}/play/{org}?t={}", token(&Role::Player(org.clone())));
    }
}

fn loopback(bound: SocketAddr) -> std::net::IpAddr {
    match bound {
        SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
        SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
    }
}

/// Completes on the first SIGINT (Ctrl-C) or SIGTERM.
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("warning: SIGTERM will not stop the exercise cleanly: {e}");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::utc_stamp;

    #[test]
    fn utc_stamps_of_known_instants() {
        assert_eq!(utc_stamp(0), "19700101-000000");
        assert_eq!(utc_stamp(951_782_400), "20000229-000000");
        assert_eq!(utc_stamp(1_796_670_000 + 3_661), "20261207-200101");
    }
}
