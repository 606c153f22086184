//! `samverkan exercise` as people use it: the binary serving the stock attack scenario
//! with two played organisations, reached over HTTP (who may do what, an action that
//! shows) and in a real browser (Debian's chromium and chromium-driver, driven over
//! WebDriver by fantoccini). Under CI=true a missing chromedriver fails the browser test.

use crate::common::Scratch;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SCENARIO: &str = "scenarios/stockholm-attack.toml";

/// A running `samverkan exercise`, its links by role; stopped with SIGTERM when dropped.
struct Server {
    child: Child,
    addr: String,
    /// The exercise log (empty for a resumed server started by `spawn`).
    log: std::path::PathBuf,
    links: Vec<(String, String)>,
}

impl Server {
    fn start(log: &Path, extra: &[&str]) -> Server {
        let mut args: Vec<&std::ffi::OsStr> =
            ["exercise", SCENARIO, "--play", "lst,polisen", "--listen", "127.0.0.1:0", "--log"]
                .map(std::ffi::OsStr::new)
                .into();
        args.push(log.as_os_str());
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        let mut server = Server::spawn(&args);
        server.log = log.to_path_buf();
        server
    }

    fn spawn(args: &[&std::ffi::OsStr]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_samverkan"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("samverkan exercise starts");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut links = Vec::new();
        for _ in 0..3 {
            let mut line = String::new();
            out.read_line(&mut line).unwrap();
            let (role, url) = line.trim_end().split_once(' ').unwrap_or_else(|| panic!("a role line: {line:?}"));
            links.push((role.to_string(), url.to_string()));
        }
        let addr = links[0].1.trim_start_matches("http://").split('/').next().unwrap().to_string();
        Server { child, addr, links, log: Default::default() }
    }

    fn link(&self, role: &str) -> &str {
        &self.links.iter().find(|(r, _)| r == role).unwrap().1
    }

    fn token(&self, role: &str) -> String {
        self.link(role).rsplit_once("?t=").unwrap().1.to_string()
    }

    /// SIGTERM, then the exit status and standard error.
    fn stop(mut self) -> (std::process::ExitStatus, String) {
        // SAFETY: signals our own child by its process id.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(Instant::now() < deadline, "no exit within 20 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut err = String::new();
        self.child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        (status, err)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request (token as Bearer), the status and body.
fn http(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("an HTTP answer: {text:?}"));
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn state(server: &Server, path: &str, role: &str) -> Value {
    let (status, body) = http(&server.addr, "GET", path, Some(&server.token(role)), "");
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

fn act(server: &Server, path: &str, role: &str, action: &str) {
    let (status, body) = http(&server.addr, "POST", path, Some(&server.token(role)), action);
    assert_eq!(status, 200, "{action}: {body}");
}

/// Waits up to `secs` for `ok` to hold.
fn eventually(secs: u64, what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !ok() {
        assert!(Instant::now() < deadline, "not within {secs} s: {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_command_prints_a_link_per_role_answers_and_ends_cleanly_on_sigterm() {
    let dir = Scratch::new("exercise-cli");
    let log = dir.0.join("exercise.csv");
    let server = Server::start(&log, &["--speed", "60"]);
    let roles: Vec<&str> = server.links.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(roles, ["control", "lst", "polisen"]);
    let (control, lst) = (server.token("control"), server.token("lst"));
    assert_eq!(control.len(), 64);
    assert_ne!(control, lst);
    assert!(server.link("control").ends_with(&format!("/control?t={control}")));
    assert!(server.link("lst").contains("/play/lst?t="));

    // The permission matrix on the real engine.
    let a = &server.addr;
    let pause = r#"{"do":"pause"}"#;
    assert_eq!(http(a, "GET", "/api/play/lst/state", Some(&server.token("polisen")), "").0, 403);
    assert_eq!(http(a, "POST", "/api/play/lst/act", Some(&server.token("polisen")), pause).0, 403);
    assert_eq!(http(a, "GET", "/api/control/state", Some(&lst), "").0, 403);
    assert_eq!(http(a, "POST", "/api/control/act", Some(&lst), pause).0, 403);
    assert_eq!(http(a, "POST", "/api/play/lst/act", Some(&lst), pause).0, 403);
    assert_eq!(http(a, "GET", "/api/control/state", None, "").0, 401);
    assert_eq!(http(a, "GET", "/api/control/state", Some(&"0".repeat(64)), "").0, 401);
    assert_eq!(http(a, "GET", "/api/control/act", Some(&control), "").0, 405);
    let big = format!(r#"{{"do":"fact","unit":"lst.tib","id":"x","text":"{}","severity":3}}"#, "a".repeat(20 * 1024));
    assert_eq!(http(a, "POST", "/api/control/act", Some(&control), &big).0, 413);
    assert!(!state(&server, "/api/control/state", "control")["clock"]["paused"].as_bool().unwrap());

    // An action through HTTP changes what every role sees.
    act(&server, "/api/control/act", "control", pause);
    assert!(state(&server, "/api/control/state", "control")["clock"]["paused"].as_bool().unwrap());
    assert!(state(&server, "/api/play/lst/state", "lst")["clock"]["paused"].as_bool().unwrap());
    let (status, body) =
        http(a, "POST", "/api/control/act", Some(&control), r#"{"do":"skip","inject":"no-such-inject"}"#);
    assert_eq!(status, 400, "{body}");
    assert!(serde_json::from_str::<Value>(&body).unwrap()["error"].is_string());

    let rows_before = std::fs::read_to_string(&log).unwrap().lines().count();
    let (status, err) = server.stop();
    assert_eq!(status.code(), Some(0), "{err}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.ends_with('\n'), "the log ends with a whole row");
    assert!(text.lines().count() >= rows_before);
    assert!(text.contains("pause"), "the control action is in the log:\n{text}");

    // --resume: the exercise comes back from its log, with the same tokens, still paused.
    let resumed = Server::spawn(&["exercise".as_ref(), "--resume".as_ref(), log.as_os_str()]);
    assert_eq!(resumed.token("control"), control, "the tokens are kept: the links work again on the same port");
    assert_eq!(resumed.token("lst"), lst);
    assert_eq!(http(&resumed.addr, "GET", "/api/control/state", Some(&control), "").0, 200);
    let kept = std::fs::metadata(dir.0.join("exercise.csv.tokens")).expect("tokens kept beside the log");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(kept.permissions().mode() & 0o777, 0o600, "readable by its owner only");
    let view = state(&resumed, "/api/control/state", "control");
    assert!(view["clock"]["paused"].as_bool().unwrap(), "{view}");
    assert_eq!(view["played"], serde_json::json!(["lst", "polisen"]));
    let (status, err) = resumed.stop();
    assert_eq!(status.code(), Some(0), "{err}");
}

#[test]
fn an_unknown_played_organisation_is_refused_with_the_list() {
    let dir = Scratch::new("exercise-bad-org");
    let log = dir.0.join("exercise.csv");
    let o = Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .args(["exercise", SCENARIO, "--play", "lst,nobody", "--log"])
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nobody") && err.contains("polisen") && err.contains("lst"), "{err}");
    assert!(o.stdout.is_empty() && !log.exists(), "nothing served, nothing written");
}

/// The players' turn through HTTP: every inbox message handled, then a report of what
/// the first unit with recipients knows. Returns the actions done.
fn players_turn(server: &Server, org: &str) -> usize {
    let path = format!("/api/play/{org}/act");
    let view = state(server, &format!("/api/play/{org}/state"), org);
    let mut done = 0;
    for unit in view["units"].as_array().unwrap() {
        for m in unit["inbox"].as_array().unwrap() {
            let handled = serde_json::json!({"do": "handled", "unit": unit["id"], "msg": m["msg"]});
            act(server, &path, org, &handled.to_string());
            done += 1;
        }
    }
    let view = state(server, &format!("/api/play/{org}/state"), org);
    let units = view["units"].as_array().unwrap();
    let reporter = units
        .iter()
        .find(|u| !u["known"].as_array().unwrap().is_empty() && !u["recipients"].as_array().unwrap().is_empty());
    if let Some(u) = reporter {
        let report = serde_json::json!({"do": "send", "unit": u["id"], "to": u["recipients"][0]["unit"],
            "facts": [u["known"][0]["id"]], "text": "Lägesrapport"});
        act(server, &path, org, &report.to_string());
        done += 1;
    }
    done
}

fn sim_minutes(server: &Server) -> f64 {
    state(server, "/api/control/state", "control")["clock"]["now_min"].as_f64().unwrap()
}

#[test]
fn a_scripted_exercise_through_http_replays_exactly() {
    let dir = Scratch::new("exercise-scripted");
    let log = dir.0.join("exercise.csv");
    let server = Server::start(&log, &["--speed", "900"]); // 15 simulated minutes a second
    let control = "/api/control/act";
    eventually(30, "the clock runs to 20 min", || sim_minutes(&server) >= 20.0);
    for action in [
        r#"{"do":"fire_now","inject":"rumour"}"#,
        r#"{"do":"delay","inject":"metro-reopens","minutes":30}"#,
        r#"{"do":"skip","inject":"advice-lifted"}"#,
    ] {
        act(&server, control, "control", action);
    }
    let mut done = 0;
    for until in [45.0, 75.0, 110.0] {
        eventually(30, "the clock runs on", || sim_minutes(&server) >= until);
        done += players_turn(&server, "lst") + players_turn(&server, "polisen");
    }
    assert!(done >= 4, "the players had work: {done} actions");
    act(&server, control, "control", r#"{"do":"pause"}"#);
    let live = state(&server, "/api/control/state", "control");
    let upcoming: Vec<&str> = live["upcoming"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert!(!upcoming.contains(&"advice-lifted") && !upcoming.contains(&"rumour"), "{upcoming:?}");
    let (status, err) = server.stop();
    assert_eq!(status.code(), Some(0), "{err}");

    // The log rebuilds the live state exactly: who knows what, the queues, the objectives.
    let copy = dir.0.join("copy.csv");
    std::fs::copy(&log, &copy).unwrap();
    let mut rebuilt = samverkan::exercise::session::Exercise::resume(&copy, Instant::now()).expect("resume");
    // through JSON text as the live view came (serde_json's float parsing may differ from the f64 by an ulp)
    let view: Value = serde_json::from_str(&serde_json::to_string(&rebuilt.control_view().unwrap()).unwrap()).unwrap();
    assert_eq!(view["clock"]["now_min"], live["clock"]["now_min"]);
    for part in ["spread", "queues", "objectives", "requests", "upcoming"] {
        assert_eq!(view[part], live[part], "{part} differs after replaying the log");
    }
    // ... and `samverkan replay` gives byte-identical files each time.
    let replay = |out: &Path| {
        let o = Command::new(env!("CARGO_BIN_EXE_samverkan"))
            .arg("replay")
            .arg(&log)
            .arg("--out")
            .arg(out)
            .arg("--quiet")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(out)
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "csv" || x == "json"))
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
            .collect();
        files.sort();
        files
    };
    let (a, b) = (replay(&dir.0.join("a")), replay(&dir.0.join("b")));
    assert!(a.iter().any(|(n, _)| n == "facts.csv"), "{:?}", a.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert_eq!(a, b);
}

/// Whether chromedriver is here; under CI=true it must be.
fn have_chromedriver() -> bool {
    let found = Command::new("chromedriver").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "chromedriver is missing; install it with `apt-get install -y --no-install-recommends chromium-driver` (see .ci/run)"
            );
        }
        eprintln!("note: chromedriver not found; skipping the browser test (install chromium-driver)");
    }
    found
}

/// chromedriver on a free port, killed when dropped.
struct Driver(Child, u16);

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver(child, port);
        eventually(20, "chromedriver listens", || TcpStream::connect(("127.0.0.1", port)).is_ok());
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_player_handles_a_message_in_the_browser_and_control_sees_it() {
    if !have_chromedriver() {
        return;
    }
    let dir = Scratch::new("exercise-browser");
    let server = Server::start(&dir.0.join("exercise.csv"), &["--speed", "60"]);
    let driver = Driver::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let shots = runtime.block_on(browse(&server, driver.1, &dir.0));
    let (status, err) = server.stop();
    assert_eq!(status.code(), Some(0), "{err}");
    if let Ok(docs) = std::env::var("EXERCISE_SCREENSHOTS") {
        for name in shots {
            std::fs::copy(dir.0.join(&name), Path::new(&docs).join(&name)).unwrap();
        }
    }
}

/// The browser part: control sends a message to lst's duty officer from its page, jumps
/// the clock and pauses it; lst's page shows the message, the player marks it handled;
/// control's page shows one message fewer waiting there; once control resumes the
/// clock, the unit knows the message's fact; the player reports it to a simulated unit
/// from the page, and control's level picture shows it spread. Returns the screenshots'
/// file names (in `dir`).
async fn browse(server: &Server, port: u16, dir: &Path) -> Vec<String> {
    use fantoccini::{ClientBuilder, Locator};
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({"binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1500"]}),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");
    let unit = "lst.tib";
    let wait = |secs| c.wait().at_most(Duration::from_secs(secs));

    c.goto(server.link("control")).await.unwrap();
    wait(20).for_element(Locator::Css("select[name=msg-to]")).await.unwrap();
    c.find(Locator::Css(&format!("select[name=msg-to] option[value='{unit}']"))).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("input[name=msg-id]")).await.unwrap().send_keys("browser-test").await.unwrap();
    c.find(Locator::Css("input[name=msg-text]")).await.unwrap().send_keys("Smoke over Gamla stan").await.unwrap();
    c.find(Locator::Css("input[name=msg-id]")).await.unwrap().click().await.unwrap();
    c.find(Locator::XPath("//input[@name='msg-text']/ancestor::form//button")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("input[name=jump]")).await.unwrap().clear().await.unwrap();
    c.find(Locator::Css("input[name=jump]")).await.unwrap().send_keys("15").await.unwrap();
    c.find(Locator::XPath("//input[@name='jump']/following::button[1]")).await.unwrap().click().await.unwrap();
    // Paused: nothing else arrives while the player works, so the queue can be compared.
    wait(10).for_element(Locator::Id("pause")).await.unwrap().click().await.unwrap();
    wait(10).for_element(Locator::Id("resume")).await.expect("the page shows the clock paused");
    let error = c.find(Locator::Id("error")).await.unwrap();
    assert!(error.text().await.unwrap().is_empty(), "control's page shows an error: {}", error.text().await.unwrap());

    c.goto(server.link("lst")).await.unwrap();
    let row = wait(30)
        .for_element(Locator::XPath("//tr[@data-msg][contains(., 'Smoke over Gamla stan')]"))
        .await
        .expect("the message in lst's inbox");
    let msg = row.attr("data-msg").await.unwrap().unwrap();
    let inbox = Locator::Css("section[data-unit='lst.tib'] tr[data-msg]");
    let waiting = c.find_all(inbox).await.unwrap().len() - 1;
    std::fs::write(dir.join("exercise-player.png"), c.screenshot().await.unwrap()).unwrap();
    row.find(Locator::Css("button.handled")).await.unwrap().click().await.unwrap();
    let gone = format!("//tr[@data-msg='{msg}']");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !c.find_all(Locator::XPath(&gone)).await.unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the handled message stays in the inbox");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    c.goto(server.link("control")).await.unwrap();
    let queue = wait(20).for_element(Locator::Css(&format!("tr[data-unit='{unit}'] td.waiting"))).await.unwrap();
    assert_eq!(queue.text().await.unwrap(), waiting.to_string(), "control sees one message fewer waiting at lst.tib");
    assert_eq!(c.find_all(inbox).await.unwrap().len(), 0, "control's page shows no inbox");
    std::fs::write(dir.join("exercise-control.png"), c.screenshot().await.unwrap()).unwrap();
    // The level picture: columns strategic, coordinating, executive (the view lists
    // them in model order, executive first); the clock is paused, so they hold still.
    let view = state(server, "/api/control/state", "control");
    let spread = view["spread"].as_array().unwrap();
    assert!(!spread.is_empty(), "key facts in the control view");
    for s in spread {
        let id = s["fact"]["id"].as_str().unwrap();
        for (column, level) in [(2, 2), (3, 1), (4, 0)] {
            let (knowing, meant) = (&s["levels"][level][0], &s["levels"][level][1]);
            let want = if meant == 0 { "–".to_string() } else { format!("{knowing} / {meant}") };
            let cell = Locator::XPath(&format!("//tr[@data-fact='{id}']/td[{column}]"));
            assert_eq!(c.find(cell).await.unwrap().text().await.unwrap().trim(), want, "{id}, column {column}");
        }
    }
    // The handling takes effect on the running clock: the unit then knows the fact.
    c.find(Locator::Id("resume")).await.unwrap().click().await.unwrap();
    wait(10).for_element(Locator::Id("pause")).await.unwrap();
    c.goto(server.link("lst")).await.unwrap();
    let known = Locator::Css("section[data-unit='lst.tib'] details");
    wait(20).for_element(known).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let html = c.find(known).await.unwrap().html(false).await.unwrap();
        if html.contains("Smoke over Gamla stan") {
            break;
        }
        assert!(Instant::now() < deadline, "the unit does not know the handled message's fact: {html}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The player reports the fact to a simulated unit; control's level picture changes.
    let spread_of = |view: &serde_json::Value| -> Vec<u64> {
        let s = view["spread"].as_array().unwrap().iter().find(|s| s["fact"]["id"] == "browser-test").cloned();
        s.map_or(vec![0; 3], |s| (0..3).map(|l| s["levels"][l][0].as_u64().unwrap()).collect())
    };
    let before = spread_of(&state(server, "/api/control/state", "control"));
    let lst = state(server, "/api/play/lst/state", "lst");
    let tib = lst["units"].as_array().unwrap().iter().find(|u| u["id"] == unit).unwrap().clone();
    // a simulated recipient (lst's own units are played: they would wait for a person)
    let recipients = tib["recipients"].as_array().unwrap();
    let simulated = recipients.iter().map(|r| r["unit"].as_str().unwrap()).find(|r| !r.starts_with("lst."));
    let recipient = simulated.expect("lst.tib reports to a simulated unit").to_string();
    let section = format!("section[data-unit='{unit}']");
    let option = format!("{section} form.send select[name=to] option[value='{recipient}']");
    c.find(Locator::Css(&option)).await.unwrap().click().await.unwrap();
    c.find(Locator::Css(&format!("{section} input[name=fact][value='browser-test']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css(&format!("{section} form.send button[type=submit]"))).await.unwrap().click().await.unwrap();
    eventually(10, "the report is logged", || {
        std::fs::read_to_string(&server.log).unwrap().contains(&format!(r#""to"":""{recipient}""#))
    });
    act(server, "/api/control/act", "control", r#"{"do":"jump","minutes":60}"#);
    let after = spread_of(&state(server, "/api/control/state", "control"));
    assert!(
        after.iter().sum::<u64>() > before.iter().sum::<u64>(),
        "the report spread the fact: {before:?} -> {after:?}"
    );
    c.goto(server.link("control")).await.unwrap();
    let cells = Locator::XPath("//tr[@data-fact='browser-test']/td[position() >= 2]");
    wait(20).for_element(cells).await.unwrap();
    let mut shown = Vec::new();
    for cell in c.find_all(cells).await.unwrap() {
        shown.push(cell.text().await.unwrap().trim().to_string());
    }
    let want: Vec<String> = [2, 1, 0].iter().map(|&l| after[l].to_string()).collect();
    for (cell, knowing) in shown.iter().zip(&want) {
        assert!(
            cell.starts_with(&format!("{knowing} /")) || cell == "–",
            "control shows {shown:?}, the view {after:?}"
        );
    }

    c.close().await.unwrap();
    vec!["exercise-player.png".into(), "exercise-control.png".into()]
}
