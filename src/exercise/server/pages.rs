//! The two pages: plain HTML, CSS and JavaScript embedded in the binary (no CDN, no
//! fonts from elsewhere, no build step). Each page is a small shell that loads its
//! script from `/assets/`, reads the words of its language from a JSON block, and
//! draws the view it receives over server-sent events; the state lives on the server,
//! so reopening the link shows the same exercise.
//!
//! Every word a page shows is in [`Words`], once per language.

use crate::report::html::esc;
use crate::report::i18n::Lang;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

const SHELL: &str = include_str!("assets/page.html");
const CSS: &str = include_str!("assets/exercise.css");
const COMMON_JS: &str = include_str!("assets/common.js");
const PLAYER_JS: &str = include_str!("assets/player.js");
const CONTROL_JS: &str = include_str!("assets/control.js");

/// Exercise control's page.
pub(super) fn control(lang: Lang) -> Response {
    let w = Words::of(lang);
    page(lang, w.control_title, "control", "")
}

/// An organisation's page.
pub(super) fn player(lang: Lang, org: &str) -> Response {
    let w = Words::of(lang);
    page(lang, &format!("{} – {org}", w.player_title), "player", org)
}

fn page(lang: Lang, title: &str, role: &str, org: &str) -> Response {
    let words = serde_json::to_string(Words::of(lang)).expect("words serialise");
    // Inside <script type="application/json">: no `<` may close the element early.
    let words = words.replace('<', "\\u003c");
    let html = SHELL
        .replace("{{code}}", lang.labels().code)
        .replace("{{title}}", &esc(title))
        .replace("{{role}}", role)
        .replace("{{org}}", &esc(org))
        .replace("{{words}}", &words);
    Html(html).into_response()
}

/// `GET /assets/{name}`: the pages' stylesheet and scripts. They hold no secrets, so
/// they need no token.
pub(super) async fn asset(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "exercise.css" => (CSS, "text/css; charset=utf-8"),
        "common.js" => (COMMON_JS, "text/javascript; charset=utf-8"),
        "player.js" => (PLAYER_JS, "text/javascript; charset=utf-8"),
        "control.js" => (CONTROL_JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// Every word the pages show.
#[derive(Debug, Serialize)]
pub(super) struct Words {
    control_title: &'static str,
    player_title: &'static str,
    paused: &'static str,
    running: &'static str,
    ended: &'static str,
    speed: &'static str,
    connected: &'static str,
    reconnecting: &'static str,
    minutes: &'static str,
    // ---- player
    inbox: &'static str,
    inbox_empty: &'static str,
    time: &'static str,
    from: &'static str,
    kind: &'static str,
    channel: &'static str,
    facts: &'static str,
    handled: &'static str,
    known: &'static str,
    send: &'static str,
    to: &'static str,
    new_text: &'static str,
    severity: &'static str,
    send_button: &'static str,
    channel_down: &'static str,
    channel_auto: &'static str,
    no_recipients: &'static str,
    request: &'static str,
    incident: &'static str,
    resource: &'static str,
    count: &'static str,
    request_button: &'static str,
    conferences: &'static str,
    none: &'static str,
    in_session: &'static str,
    not_in_session: &'static str,
    picture: &'static str,
    no_picture: &'static str,
    requests: &'static str,
    state: &'static str,
    holder: &'static str,
    made: &'static str,
    exercise_control: &'static str,
    // ---- control
    clock: &'static str,
    pause: &'static str,
    resume: &'static str,
    set_speed: &'static str,
    jump: &'static str,
    jump_button: &'static str,
    upcoming: &'static str,
    inject: &'static str,
    at: &'static str,
    description: &'static str,
    fire_now: &'static str,
    delay: &'static str,
    skip: &'static str,
    ad_hoc: &'static str,
    fact_at_unit: &'static str,
    message_to_unit: &'static str,
    infrastructure: &'static str,
    unit: &'static str,
    fact_id: &'static str,
    text: &'static str,
    areas: &'static str,
    everywhere: &'static str,
    infra_state: &'static str,
    down: &'static str,
    up: &'static str,
    overloaded: &'static str,
    loss: &'static str,
    apply: &'static str,
    spread: &'static str,
    fact: &'static str,
    levels: [&'static str; 3],
    /// A unit's level by the view's word for it.
    level_names: LevelNames,
    /// Message kinds and link flows by the view's word for them.
    kind_names: KindNames,
    queues: &'static str,
    waiting: &'static str,
    busy: &'static str,
    played: &'static str,
    pools: &'static str,
    org: &'static str,
    in_use: &'static str,
    idle: &'static str,
    in_transit: &'static str,
    demanded: &'static str,
    unmet: &'static str,
    objectives: &'static str,
    objective: &'static str,
    met: &'static str,
    not_met: &'static str,
    value: &'static str,
    log_rows: &'static str,
    played_orgs: &'static str,
    confirm_skip: &'static str,
}

#[derive(Debug, Serialize)]
struct LevelNames {
    strategic: &'static str,
    coordinating: &'static str,
    executive: &'static str,
}

/// Kinds of message (and flows of a link) as a person reads them.
#[derive(Debug, Serialize)]
struct KindNames {
    report: &'static str,
    direction: &'static str,
    request: &'static str,
    information: &'static str,
    picture: &'static str,
}

impl Words {
    pub(super) fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::En => &EN,
            Lang::Sv => &SV,
        }
    }
}

static EN: Words = Words {
    control_title: "Exercise control",
    player_title: "Exercise",
    paused: "paused",
    running: "running",
    ended: "ended",
    speed: "speed",
    connected: "live",
    reconnecting: "connection lost – reconnecting…",
    minutes: "min",
    inbox: "Inbox",
    inbox_empty: "No messages waiting.",
    time: "Time",
    from: "From",
    kind: "Kind",
    channel: "Channel",
    facts: "Facts",
    handled: "Handled",
    known: "What the unit knows",
    send: "Send or report",
    to: "To",
    new_text: "New information (optional)",
    severity: "Severity",
    send_button: "Send",
    channel_down: "down",
    channel_auto: "any working channel",
    no_recipients: "This unit has no links to send on.",
    request: "Request resources",
    incident: "Incident",
    resource: "Resource",
    count: "Count",
    request_button: "Request",
    conferences: "Conferences",
    none: "None.",
    in_session: "in session",
    not_in_session: "not in session",
    picture: "Joint situational picture",
    no_picture: "Nothing published yet.",
    requests: "Requests",
    state: "State",
    holder: "Held by",
    made: "Made",
    exercise_control: "exercise control",
    clock: "Clock",
    pause: "Pause",
    resume: "Resume",
    set_speed: "Set speed",
    jump: "Jump ahead (minutes)",
    jump_button: "Jump",
    upcoming: "Upcoming injects",
    inject: "Inject",
    at: "At",
    description: "Description",
    fire_now: "Fire now",
    delay: "Delay",
    skip: "Skip",
    ad_hoc: "Ad-hoc inject",
    fact_at_unit: "A fact observed at a unit",
    message_to_unit: "A message to a unit",
    infrastructure: "Infrastructure",
    unit: "Unit",
    fact_id: "Fact id",
    text: "Text",
    areas: "Areas",
    everywhere: "everywhere",
    infra_state: "State",
    down: "down",
    up: "up",
    overloaded: "overloaded",
    loss: "Loss (0–1)",
    apply: "Apply",
    spread: "Who knows the key facts",
    fact: "Fact",
    levels: ["Strategic", "Coordinating", "Executive"],
    level_names: LevelNames { strategic: "strategic", coordinating: "coordinating", executive: "executive" },
    kind_names: KindNames {
        report: "report",
        direction: "direction",
        request: "request",
        information: "information",
        picture: "joint picture",
    },
    queues: "Queues",
    waiting: "Waiting",
    busy: "Busy",
    played: "played",
    pools: "Resources",
    org: "Organisation",
    in_use: "In use",
    idle: "Idle",
    in_transit: "In transit",
    demanded: "Demanded",
    unmet: "Unmet",
    objectives: "Objectives so far",
    objective: "Objective",
    met: "met",
    not_met: "not met",
    value: "Value",
    log_rows: "rows in the exercise log",
    played_orgs: "Played by people",
    confirm_skip: "Skip this inject (and what waits for it)?",
};

static SV: Words = Words {
    control_title: "Övningsledning",
    player_title: "Övning",
    paused: "pausad",
    running: "pågår",
    ended: "slut",
    speed: "hastighet",
    connected: "ansluten",
    reconnecting: "förbindelsen bröts – ansluter igen…",
    minutes: "min",
    inbox: "Inkorg",
    inbox_empty: "Inga meddelanden väntar.",
    time: "Tid",
    from: "Från",
    kind: "Slag",
    channel: "Kanal",
    facts: "Uppgifter",
    handled: "Hanterat",
    known: "Vad enheten vet",
    send: "Skicka eller rapportera",
    to: "Till",
    new_text: "Ny information (frivilligt)",
    severity: "Allvar",
    send_button: "Skicka",
    channel_down: "ur funktion",
    channel_auto: "valfri fungerande kanal",
    no_recipients: "Enheten har inga länkar att skicka på.",
    request: "Begär resurser",
    incident: "Händelse",
    resource: "Resurs",
    count: "Antal",
    request_button: "Begär",
    conferences: "Samverkanskonferenser",
    none: "Inga.",
    in_session: "pågår",
    not_in_session: "pågår inte",
    picture: "Gemensam lägesbild",
    no_picture: "Inget publicerat ännu.",
    requests: "Begäranden",
    state: "Läge",
    holder: "Hålls av",
    made: "Gjord",
    exercise_control: "övningsledningen",
    clock: "Klocka",
    pause: "Pausa",
    resume: "Fortsätt",
    set_speed: "Ändra hastighet",
    jump: "Hoppa framåt (minuter)",
    jump_button: "Hoppa",
    upcoming: "Kommande inspel",
    inject: "Inspel",
    at: "Tid",
    description: "Beskrivning",
    fire_now: "Utlös nu",
    delay: "Skjut upp",
    skip: "Hoppa över",
    ad_hoc: "Inspel utanför planen",
    fact_at_unit: "En uppgift observeras vid en enhet",
    message_to_unit: "Ett meddelande till en enhet",
    infrastructure: "Infrastruktur",
    unit: "Enhet",
    fact_id: "Uppgiftens id",
    text: "Text",
    areas: "Områden",
    everywhere: "överallt",
    infra_state: "Läge",
    down: "ur funktion",
    up: "i funktion",
    overloaded: "överbelastad",
    loss: "Förlust (0–1)",
    apply: "Genomför",
    spread: "Vem känner till nyckeluppgifterna",
    fact: "Uppgift",
    levels: ["Strategisk", "Samordnande", "Operativ"],
    level_names: LevelNames { strategic: "strategisk", coordinating: "samordnande", executive: "operativ" },
    kind_names: KindNames {
        report: "rapport",
        direction: "inriktning",
        request: "begäran",
        information: "information",
        picture: "gemensam lägesbild",
    },
    queues: "Köer",
    waiting: "Väntar",
    busy: "Upptagna",
    played: "spelas",
    pools: "Resurser",
    org: "Organisation",
    in_use: "I bruk",
    idle: "Lediga",
    in_transit: "På väg",
    demanded: "Efterfrågade",
    unmet: "Ej tillgodosedda",
    objectives: "Mål hittills",
    objective: "Mål",
    met: "uppfyllt",
    not_met: "ej uppfyllt",
    value: "Värde",
    log_rows: "rader i övningsloggen",
    played_orgs: "Spelas av människor",
    confirm_skip: "Hoppa över inspelet (och det som väntar på det)?",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_block_cannot_close_its_script_element() {
        let body = Html(SHELL.replace("{{words}}", "x")).0;
        assert!(body.contains("<script type=\"application/json\" id=\"words\">x</script>"));
        for lang in [Lang::En, Lang::Sv] {
            let json = serde_json::to_string(Words::of(lang)).unwrap().replace('<', "\\u003c");
            assert!(!json.contains('<'));
        }
    }

    #[test]
    fn pages_load_only_their_own_assets() {
        for text in [SHELL, CSS, COMMON_JS, PLAYER_JS, CONTROL_JS] {
            assert!(!text.contains("http://") && !text.contains("https://"), "an outside address");
            assert!(!text.contains("innerHTML"), "data must be inserted as text, never as HTML");
        }
    }
}
