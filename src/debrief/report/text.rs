//! Every word of the debrief report, in English and Swedish, and the number and clock
//! formats of each language (Swedish: decimal comma). Templates mark their blanks with
//! `{}`, filled in order by [`crate::report::i18n::fill`].

use crate::debrief::{DelayPart, EventKind, Rating, Verdict};
use crate::model::Model;
use crate::report::Lang;
use crate::time::{LocalDateTime, MINUTE, SimTime};

/// The words of one language.
pub struct Text {
    pub title: &'static str,
    pub subtitle: &'static str,
    pub contents: &'static str,
    /// Section headings 1–7, in report order.
    pub sections: [&'static str; 7],
    pub scenario: &'static str,
    pub variant: &'static str,
    pub base: &'static str,
    pub start: &'static str,
    pub log: &'static str,
    pub observations: &'static str,
    pub observers: &'static str,
    pub runs: &'static str,
    /// "{runs} simulated runs, master seed {seed}"
    pub runs_text: &'static str,
    pub from_batch: &'static str,
    pub verdicts: &'static str,
    pub verdict_names: [&'static str; 5],
    /// P, S, M, U, not observed.
    pub rating_letters: [&'static str; 5],
    pub rating_words: [&'static str; 5],
    pub objectives_rule: &'static str,
    pub no_objectives: &'static str,
    /// objective, rating, observed, limit, model: probability (95 %), model median, rows
    pub objective_head: [&'static str; 7],
    pub analysis_intro: &'static str,
    pub observed_title: &'static str,
    pub observed_sub: &'static str,
    pub observed_caption: &'static str,
    pub timeline_title: &'static str,
    pub timeline_sub: &'static str,
    pub timeline_caption: &'static str,
    pub simulated_band: &'static str,
    pub median: &'static str,
    pub expected_band: &'static str,
    pub observed_first: &'static str,
    pub observed_all: &'static str,
    pub minutes_from_start: &'static str,
    pub minutes_from_origin: &'static str,
    pub more_rows: &'static str,
    pub no_level_rows: &'static str,
    pub no_data: &'static str,
    /// fact, units observed, observed first, simulated first p10–p90 (median),
    /// observed all, simulated all p10–p90 (median)
    pub level_head: [&'static str; 6],
    pub observations_of_level: &'static str,
    pub hops: &'static str,
    /// hop, part, model mean, observed, rows
    pub hop_head: [&'static str; 5],
    /// "The model expected {} of {} at {}; the exercise had {}."
    pub hop_sentence: &'static str,
    /// model total, unit, model queue, activation wait, processing, observed
    pub hop_sentence_at_unit: &'static str,
    pub held_before_send: &'static str,
    pub at_unit: &'static str,
    pub strengths: &'static str,
    pub areas: &'static str,
    pub strengths_rule: &'static str,
    pub none: &'static str,
    /// "{unit}: {event fact} at {clock} ({obs}), {beyond} after the model's 90th percentile ({p90})"
    pub slower_item: &'static str,
    pub faster_item: &'static str,
    /// "Objective {id} ({description}): {rating}"
    pub objective_item: &'static str,
    /// "…; the model gave it {p}"
    pub unlikely_item: &'static str,
    pub whatif_intro: &'static str,
    pub no_whatifs: &'static str,
    /// change, measure, base, imposed, difference, 95 % interval, run pairs
    pub whatif_head: [&'static str; 7],
    /// "Had {} at {} instead of {}, {} would have changed by {} ({})."
    /// "Had {} worked {} times slower, …"
    pub plan_intro: &'static str,
    /// observation, recommendation, responsible organisation, date
    pub plan_head: [&'static str; 4],
    pub plan_sheet: &'static str,
    /// row, clock, unit, event, fact or conference, observed, p10, median, p90, percentile, verdict, reason, note
    pub rows_head: [&'static str; 13],
    pub events: [&'static str; 12],
    pub written_by: &'static str,
    pub never: &'static str,
    /// percentage points
    pub points: &'static str,
    /// "row", "rows"
    pub rows_word: [&'static str; 2],
}

impl Text {
    pub fn of(lang: Lang) -> &'static Text {
        match lang {
            Lang::En => &EN,
            Lang::Sv => &SV,
        }
    }

    pub fn verdict(&self, v: Verdict) -> &'static str {
        let i = match v {
            Verdict::Faster => 0,
            Verdict::AsExpected => 1,
            Verdict::Slower => 2,
            Verdict::NeverInModel => 3,
            Verdict::NotComparable => 4,
        };
        self.verdict_names[i]
    }

    pub fn event(&self, e: EventKind) -> &'static str {
        self.events[EventKind::ALL.iter().position(|x| *x == e).unwrap_or(0)]
    }

    /// The rating's letter and its HSEEP words.
    pub fn rating(&self, r: Rating) -> (&'static str, &'static str) {
        let i = rating_index(r);
        (self.rating_letters[i], self.rating_words[i])
    }
}

pub fn rating_index(r: Rating) -> usize {
    match r {
        Rating::WithoutChallenges => 0,
        Rating::SomeChallenges => 1,
        Rating::MajorChallenges => 2,
        Rating::Unable => 3,
        Rating::NotObserved => 4,
    }
}

/// The delay part's name in `lang` (the run report's words).
pub fn part(lang: Lang, p: DelayPart) -> &'static str {
    lang.labels().parts[p as usize]
}

/// A number with at most one decimal (none when whole), with the language's decimal sign.
pub fn num(v: f64, lang: Lang) -> String {
    let s = if (v - v.round()).abs() < 0.05 { format!("{v:.0}") } else { format!("{v:.1}") };
    let s = if s == "-0" { "0".to_string() } else { s };
    decimal(s, lang)
}

/// A number with a sign (`+12`, `−3.5`).
pub fn signed(v: f64, lang: Lang) -> String {
    let n = num(v.abs(), lang);
    if n == "0" {
        n
    } else if v < 0.0 {
        format!("−{n}")
    } else {
        format!("+{n}")
    }
}

/// A value of a what-if measure with its unit: minutes for `*_min`, percentage points
/// for `objective:*`, a bare number otherwise.
pub fn measure_value(measure: &str, v: f64, lang: Lang, sign: bool) -> String {
    let n = if sign { signed(v, lang) } else { num(v, lang) };
    if measure.ends_with("_min") || measure.contains("_min:") {
        format!("{n} min")
    } else if measure.starts_with("objective:") {
        format!("{n} {}", Text::of(lang).points)
    } else {
        n
    }
}

/// `v` minutes: "12.5 min" (sv "12,5 min").
pub fn minutes(v: f64, lang: Lang) -> String {
    format!("{} min", num(v, lang))
}

/// A share 0–1 as a percentage: "42 %".
pub fn percent(share: f64, lang: Lang) -> String {
    format!("{} %", decimal(format!("{:.0}", 100.0 * share), lang))
}

/// An axis tick label in the language's decimal sign.
pub fn tick(v: f64, step: f64, lang: Lang) -> String {
    decimal(crate::report::frame::tick_label(v, step), lang)
}

fn decimal(s: String, lang: Lang) -> String {
    match lang {
        Lang::En => s,
        Lang::Sv => s.replace('.', ","),
    }
}

/// The scenario's local clock `min` minutes after its start: "15:08", with the weekday
/// when it is another day than the start ("lör 02:53").
pub fn clock(model: &Model, min: f64, lang: Lang) -> String {
    clock_at(model.start, min, lang)
}

/// [`clock`] from a start time.
pub fn clock_at(start: LocalDateTime, min: f64, lang: Lang) -> String {
    let at = start.plus((min * MINUTE as f64).round() as SimTime);
    let s = at.to_string();
    let same_day = s[..10] == start.to_string()[..10];
    if same_day { s[11..16].to_string() } else { format!("{} {}", lang.labels().weekdays[at.weekday()], &s[11..16]) }
}

/// The scenario's start as "Fri 2017-04-07 14:53".
pub fn start(model: &Model, lang: Lang) -> String {
    lang.labels().when(&model.start.to_string())
}

pub static EN: Text = Text {
    title: "After-Action Report / Improvement Plan",
    subtitle: "Exercise debrief of {}: the exercise log beside {} simulated runs of the model",
    contents: "Contents",
    sections: [
        "1. Exercise overview",
        "2. Objectives and capability targets",
        "3. Analysis per level",
        "4. Strengths and areas for improvement",
        "5. What it would have meant",
        "6. Improvement plan",
        "7. All observations",
    ],
    scenario: "Scenario",
    variant: "Variant",
    base: "base scenario",
    start: "Start (local time)",
    log: "Exercise log",
    observations: "Observations",
    observers: "Observers",
    runs: "Compared against",
    runs_text: "{} simulated runs, master seed {}",
    from_batch: "taken from the batch folder {}",
    verdicts: "Verdicts",
    verdict_names: ["faster", "as expected", "slower", "never in the model", "not comparable"],
    rating_letters: ["P", "S", "M", "U", "–"],
    rating_words: [
        "performed without challenges",
        "performed with some challenges",
        "performed with major challenges",
        "unable to be performed",
        "not observed",
    ],
    objectives_rule: "Rating from the observed value v and the limit L: v ≤ 0.75 L: performed without challenges (P); \
        v ≤ L: with some challenges (S); v ≤ 1.5 L: with major challenges (M); v > 1.5 L: unable to be performed \
        (U). Where the log saw only some of the units an all-known objective needs, the last of them is a lower \
        bound, rated only when it is past the limit. The model's probability is the share of simulated runs that \
        met the objective, with its 95 % interval.",
    no_objectives: "The scenario has no objectives.",
    objective_head: ["Objective", "Rating", "Observed", "Limit", "Model: probability (95 %)", "Model median", "Rows"],
    analysis_intro: "Each observation beside the simulated distribution of the same quantity, by the level of the \
        unit (conference events by the conference's level), then the key facts' first-known and all-known times \
        beside the expected bands.",
    observed_title: "Observed times over the simulated distributions",
    observed_sub: "Band: the model's 10th–90th percentile; tick: median; marker: the observed time, coloured by verdict",
    observed_caption: "One row per observation, grouped by level. The band spans the 10th to the 90th percentile of \
        the simulated runs, the black tick is their median, the marker the time the exercise log gives. A marker \
        left of the band is faster than 9 runs in 10, right of it slower. Minutes from the scenario's start, with \
        the local clock time beside each tick.",
    timeline_title: "Key facts: observed beside the expected spread",
    timeline_sub: "Per key fact and level: simulated first-known and all-known p10–p90, observed first (dot) and all (diamond)",
    timeline_caption: "Per level, one row per key fact. The pale band runs from the simulated first-known 10th \
        percentile to the all-known 90th percentile; the two darker bars are first-known and all-known 10th–90th \
        percentile. The dot is when the first unit of the level was observed knowing the fact, the diamond when \
        the last one was (only when every unit of the level was observed). Minutes from the fact's origin.",
    simulated_band: "simulated p10–p90",
    median: "simulated median",
    expected_band: "expected: first-known p10 to all-known p90",
    observed_first: "observed first knows",
    observed_all: "observed all know",
    minutes_from_start: "Minutes from the scenario's start ({})",
    minutes_from_origin: "Minutes from the fact's origin",
    more_rows: "{} more observations of this level are in the table",
    no_level_rows: "No observations at this level.",
    no_data: "The log has no observations to place",
    level_head: [
        "Fact",
        "Units observed",
        "Observed: first knows",
        "Model: first knows p10–p90 (median)",
        "Observed: all know",
        "Model: all know p10–p90 (median)",
    ],
    observations_of_level: "Observations at this level",
    hops: "Delays along the observed chains",
    hop_head: ["Hop", "Part", "Model mean", "Observed", "Rows"],
    hop_sentence: "The model expected {} of {} at {}; the exercise had {}.",
    hop_sentence_at_unit: "The model expected {} at {} ({} of queueing, {} waiting for staff, {} of processing); the exercise had {} from receipt to handled.",
    held_before_send: "Held before sending",
    at_unit: "At the unit in all (queue, activation wait, processing)",
    strengths: "Strengths",
    areas: "Areas for improvement",
    strengths_rule: "Areas for improvement: observations later than the model's 90th percentile, largest excess \
        first, and objectives rated M or U. Strengths: observations earlier than the model's 10th percentile, and \
        objectives rated P that the model met in fewer than half of its runs.",
    none: "None.",
    slower_item: "{}: {} at {} ({}), {} after the model's 90th percentile ({})",
    faster_item: "{}: {} at {} ({}), {} before the model's 10th percentile ({})",
    objective_item: "Objective {} ({}): {}",
    unlikely_item: "{}; the model met it in {} of its runs",
    whatif_intro: "The model rerun with an observed deviation imposed, over the same random numbers as the base \
        runs: the effect on the other measures, imposed minus base, with its 95 % interval.",
    no_whatifs: "No deviation was large enough to rerun.",
    whatif_head: ["#", "Measure", "Base", "Imposed", "Difference", "95 % interval", "Run pairs"],
    plan_intro: "One row per area for improvement. Recommendation and date are for the analyst to fill in; the \
        responsible organisation is the one the observed unit belongs to. Also written as improvement-plan.xlsx.",
    plan_head: ["Observation (area for improvement)", "Recommendation", "Responsible organisation", "Date"],
    plan_sheet: "Improvement plan",
    rows_head: [
        "Row",
        "Time",
        "Unit",
        "Event",
        "Fact",
        "Observed",
        "p10",
        "Median",
        "p90",
        "Percentile",
        "Verdict",
        "Reason",
        "Note",
    ],
    events: [
        "knew",
        "sent",
        "received",
        "handled",
        "activated",
        "conference started",
        "conference ended",
        "picture published",
        "decided",
        "requested",
        "resources arrived",
        "public message",
    ],
    written_by: "Written by samverkan {}. Times are minutes from the scenario's start and the scenario's local clock.",
    never: "never",
    points: "pp",
    rows_word: ["row", "rows"],
};

pub static SV: Text = Text {
    title: "Utvärderingsrapport / åtgärdsplan",
    subtitle: "Utvärdering av övningen {}: övningsloggen bredvid {} simulerade körningar av modellen",
    contents: "Innehåll",
    sections: [
        "1. Översikt över övningen",
        "2. Mål och förmågemål",
        "3. Analys per nivå",
        "4. Styrkor och förbättringsområden",
        "5. Vad det hade betytt",
        "6. Åtgärdsplan",
        "7. Alla observationer",
    ],
    scenario: "Scenario",
    variant: "Variant",
    base: "grundscenariot",
    start: "Start (lokal tid)",
    log: "Övningslogg",
    observations: "Observationer",
    observers: "Observatörer",
    runs: "Jämfört med",
    runs_text: "{} simulerade körningar, huvudfrö {}",
    from_batch: "hämtade ur körningsmappen {}",
    verdicts: "Utfall",
    verdict_names: ["snabbare", "som väntat", "långsammare", "aldrig i modellen", "ej jämförbar"],
    rating_letters: ["P", "S", "M", "U", "–"],
    rating_words: [
        "genomfört utan problem",
        "genomfört med vissa problem",
        "genomfört med stora problem",
        "kunde inte genomföras",
        "inte observerat",
    ],
    objectives_rule: "Bedömning från det observerade värdet v och gränsen G: v ≤ 0,75 G: genomfört utan problem (P); \
        v ≤ G: med vissa problem (S); v ≤ 1,5 G: med stora problem (M); v > 1,5 G: kunde inte genomföras (U). \
        Där loggen bara såg några av de enheter ett mål om att alla ska känna till något gäller, är den sista av \
        dem en undre gräns som bedöms först när den passerat gränsen. Modellens sannolikhet är andelen simulerade \
        körningar som nådde målet, med 95 %-intervall.",
    no_objectives: "Scenariot har inga mål.",
    objective_head: [
        "Mål",
        "Bedömning",
        "Observerat",
        "Gräns",
        "Modellen: sannolikhet (95 %)",
        "Modellens median",
        "Rader",
    ],
    analysis_intro: "Varje observation bredvid den simulerade fördelningen för samma storhet, efter aktörens nivå \
        (konferenshändelser efter konferensens nivå), sedan när nyckeluppgifterna blev kända för den första och \
        för alla aktörer, bredvid de förväntade intervallen.",
    observed_title: "Observerade tider över de simulerade fördelningarna",
    observed_sub: "Fält: modellens 10:e–90:e percentil; streck: median; markör: den observerade tiden, färgad efter utfall",
    observed_caption: "En rad per observation, grupperade efter nivå. Fältet sträcker sig från den 10:e till den \
        90:e percentilen av de simulerade körningarna, det svarta strecket är medianen, markören tiden enligt \
        övningsloggen. En markör till vänster om fältet är snabbare än 9 körningar av 10, till höger långsammare. \
        Minuter från scenariots start, med lokal klocktid vid varje skalstreck.",
    timeline_title: "Nyckeluppgifter: observerat bredvid förväntad spridning",
    timeline_sub: "Per nyckeluppgift och nivå: simulerat först och alla känner till p10–p90, observerat först (punkt) och alla (romb)",
    timeline_caption: "Per nivå en rad per nyckeluppgift. Det ljusa fältet går från simulerad 10:e percentil för \
        den första aktören till 90:e percentilen för alla; de två mörkare fälten är 10:e–90:e percentilen för den \
        första respektive alla. Punkten är när den första aktören på nivån observerades känna till uppgiften, \
        romben när den sista gjorde det (bara när alla aktörer på nivån observerades). Minuter från uppgiftens \
        ursprung.",
    simulated_band: "simulerat p10–p90",
    median: "simulerad median",
    expected_band: "förväntat: först p10 till alla p90",
    observed_first: "observerat: först känner till",
    observed_all: "observerat: alla känner till",
    minutes_from_start: "Minuter från scenariots start ({})",
    minutes_from_origin: "Minuter från uppgiftens ursprung",
    more_rows: "{} observationer till på nivån finns i tabellen",
    no_level_rows: "Inga observationer på denna nivå.",
    no_data: "Loggen har inga observationer att placera",
    level_head: [
        "Uppgift",
        "Observerade aktörer",
        "Observerat: först",
        "Modellen: först p10–p90 (median)",
        "Observerat: alla",
        "Modellen: alla p10–p90 (median)",
    ],
    observations_of_level: "Observationer på nivån",
    hops: "Fördröjningar längs de observerade kedjorna",
    hop_head: ["Steg", "Del", "Modellens medel", "Observerat", "Rader"],
    hop_sentence: "Modellen väntade sig {} {} hos {}; övningen hade {}.",
    hop_sentence_at_unit: "Modellen väntade sig {} hos {} ({} i kö, {} i väntan på personal, {} handläggning); övningen hade {} från mottaget till hanterat.",
    held_before_send: "Hölls innan det skickades",
    at_unit: "Hos enheten sammanlagt (kö, aktiveringsväntan, handläggning)",
    strengths: "Styrkor",
    areas: "Förbättringsområden",
    strengths_rule: "Förbättringsområden: observationer senare än modellens 90:e percentil, störst överskridande \
        först, och mål bedömda M eller U. Styrkor: observationer tidigare än modellens 10:e percentil, och mål \
        bedömda P som modellen nådde i färre än hälften av körningarna.",
    none: "Inga.",
    slower_item: "{}: {} kl. {} ({}), {} efter modellens 90:e percentil ({})",
    faster_item: "{}: {} kl. {} ({}), {} före modellens 10:e percentil ({})",
    objective_item: "Mål {} ({}): {}",
    unlikely_item: "{}; modellen nådde det i {} av körningarna",
    whatif_intro: "Modellen körd igen med en observerad avvikelse införd, med samma slumptal som grundkörningarna: \
        effekten på de andra måtten, med avvikelse minus utan, med 95 %-intervall.",
    no_whatifs: "Ingen avvikelse var stor nog att köra om.",
    whatif_head: ["#", "Mått", "Utan", "Med", "Skillnad", "95 %-intervall", "Körningspar"],
    plan_intro: "En rad per förbättringsområde. Åtgärd och datum fylls i av analytikern; ansvarig organisation är \
        den som den observerade aktören tillhör. Skrivs också som improvement-plan.xlsx.",
    plan_head: ["Observation (förbättringsområde)", "Åtgärd", "Ansvarig organisation", "Datum"],
    plan_sheet: "Åtgärdsplan",
    rows_head: [
        "Rad",
        "Tid",
        "Aktör",
        "Händelse",
        "Uppgift",
        "Observerat",
        "p10",
        "Median",
        "p90",
        "Percentil",
        "Utfall",
        "Skäl",
        "Anteckning",
    ],
    events: [
        "kände till",
        "skickade",
        "tog emot",
        "hanterade",
        "aktiverades",
        "konferensen började",
        "konferensen slutade",
        "lägesbild publicerad",
        "beslutade",
        "begärde",
        "resurser framme",
        "meddelande till allmänheten",
    ],
    written_by: "Skriven av samverkan {}. Tider i minuter från scenariots start och i scenariots lokala klocktid.",
    never: "aldrig",
    points: "p.e.",
    rows_word: ["rad", "rader"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_numbers_have_decimal_commas() {
        assert_eq!(num(12.46, Lang::Sv), "12,5");
        assert_eq!(num(12.46, Lang::En), "12.5");
        assert_eq!(num(-0.01, Lang::En), "0");
        assert_eq!(signed(-3.25, Lang::Sv), "−3,2");
        assert_eq!(percent(0.416, Lang::Sv), "42 %");
    }

    #[test]
    fn templates_have_as_many_blanks_in_both_languages() {
        let count = |s: &str| s.matches("{}").count();
        let pairs = [
            (EN.subtitle, SV.subtitle),
            (EN.runs_text, SV.runs_text),
            (EN.from_batch, SV.from_batch),
            (EN.hop_sentence, SV.hop_sentence),
            (EN.hop_sentence_at_unit, SV.hop_sentence_at_unit),
            (EN.slower_item, SV.slower_item),
            (EN.faster_item, SV.faster_item),
            (EN.objective_item, SV.objective_item),
            (EN.unlikely_item, SV.unlikely_item),
            (EN.more_rows, SV.more_rows),
            (EN.minutes_from_start, SV.minutes_from_start),
            (EN.written_by, SV.written_by),
        ];
        for (en, sv) in pairs {
            assert_eq!(count(en), count(sv), "{en} / {sv}");
        }
    }
}
