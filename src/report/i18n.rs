//! Every word the charts and the report show, in English and Swedish (the planners'
//! language). One struct per language: the compiler checks that both say everything.
//! Templates mark their blanks with `{}`, filled in order by [`fill`].

pub mod clock;
pub mod partial;
pub mod sensitivity;

use crate::vocabulary::Level;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Sv,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "sv" | "swedish" | "svenska" => Some(Lang::Sv),
            _ => None,
        }
    }

    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En => &EN,
            Lang::Sv => &SV,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        Lang::parse(s).ok_or_else(|| format!("unknown language `{s}`; use en or sv"))
    }
}

/// Fills each `{}` of `template` with the next argument.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        match args.next() {
            Some(a) => out.push_str(&a.to_string()),
            None => out.push_str("{}"),
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

pub struct Labels {
    pub code: &'static str,
    /// Indexed by `Level::index()`: executive, coordinating, strategic.
    pub levels: [&'static str; 3],
    /// The delay parts, in the order of `files::run::facts::PARTS`.
    pub parts: [&'static str; 5],
    pub weekdays: [&'static str; 7],
    pub minutes_from_start: &'static str,
    pub minutes: &'static str,
    pub never: &'static str,
    pub no_rows: &'static str,
    /// Message kinds as written in messages.csv, and their names.
    pub kinds: &'static [(&'static str, &'static str)],

    pub timeline_title: &'static str,
    pub timeline_sub: &'static str,
    pub origin: &'static str,
    pub first_knows: &'static str,
    pub all_know: &'static str,
    pub not_all: &'static str,
    pub conference: &'static str,
    pub more_facts: &'static str,

    pub delays_title: &'static str,
    pub delays_sub: &'static str,
    pub delays_x: &'static str,
    pub delays_total: &'static str,
    pub no_learned: &'static str,

    pub bottlenecks_title: &'static str,
    pub bottlenecks_sub: &'static str,
    pub backlog_scale: &'static str,
    pub peak: &'static str,
    pub no_backlog: &'static str,

    pub resources_title: &'static str,
    pub resources_sub: &'static str,
    pub resources_y: &'static str,
    /// in use, in transit, idle, unmet
    pub states: [&'static str; 4],
    pub one_time: &'static str,
    pub more_types: &'static str,
    pub requests_title: &'static str,
    pub waiting_decision: &'static str,
    pub on_the_way: &'static str,
    pub not_decided: &'static str,
    pub no_requests: &'static str,
    pub more_requests: &'static str,
    pub request_label: &'static str,

    pub structure_title: &'static str,
    pub structure_sub: &'static str,
    pub units_count: &'static str,

    pub dist_title: &'static str,
    pub dist_sub: &'static str,
    pub dist_y: &'static str,
    pub milestones: &'static str,
    pub objective_limit: &'static str,
    pub one_run: &'static str,
    /// Group names of a level's panel: first unit knows the first fact, all know it,
    /// median delay, 90th percentile delay.
    pub dist_groups: [&'static str; 4],
    pub objective_values: &'static str,
    pub point_note: &'static str,

    pub compare_title: &'static str,
    pub compare_sub: &'static str,
    pub compare_x: &'static str,
    pub no_variants: &'static str,
    pub beyond: &'static str,

    pub objectives_title: &'static str,
    pub objectives_sub: &'static str,
    pub objectives_x: &'static str,
    pub no_objectives: &'static str,

    pub sweep_title: &'static str,
    pub sweep_sub_line: &'static str,
    pub sweep_sub_heat: &'static str,
    /// What the heatmap colour shows, before its colour bar.
    pub colour_scale: &'static str,
    /// Subtitle of the sweep chart of a design that is not a grid.
    pub sweep_sub_design: &'static str,
    pub no_sweep: &'static str,
    pub one_point: &'static str,
    pub averaged_over: &'static str,
    pub no_value: &'static str,

    pub html: Html,
    pub measures: Measures,
}

/// Words of the HTML report.
pub struct Html {
    pub title: &'static str,
    pub run_of: &'static str,
    pub batch_of: &'static str,
    pub written_by: &'static str,
    pub contents: &'static str,
    pub overview: &'static str,
    pub scenario: &'static str,
    pub scenario_hash: &'static str,
    pub variant: &'static str,
    pub base: &'static str,
    /// "the base scenario" inside a sentence.
    pub the_base: &'static str,
    pub variants: &'static str,
    pub seed: &'static str,
    pub seeds: &'static str,
    /// "20 seeds; runs.csv, column seed".
    pub seeds_note: &'static str,
    pub runs: &'static str,
    pub failed_runs: &'static str,
    pub points: &'static str,
    pub start: &'static str,
    pub duration: &'static str,
    pub events: &'static str,
    pub messages: &'static str,
    pub objectives: &'static str,
    pub objective: &'static str,
    pub description: &'static str,
    pub measured: &'static str,
    pub limit: &'static str,
    pub rating: &'static str,
    pub share: &'static str,
    pub met: &'static str,
    pub partly_met: &'static str,
    pub not_met: &'static str,
    pub run_rule: &'static str,
    pub batch_rule: &'static str,
    pub no_objectives: &'static str,
    pub findings: &'static str,
    pub charts: &'static str,
    pub how_to_read: &'static str,
    pub data: &'static str,
    pub picture: &'static str,
    pub files: &'static str,
    pub files_intro: &'static str,
    /// (file name, what it holds)
    pub file_notes: &'static [(&'static str, &'static str)],
    pub captions: Captions,
    pub found: Findings,
}

/// How to read each chart (one paragraph each).
pub struct Captions {
    pub timeline: &'static str,
    pub delays: &'static str,
    pub bottlenecks: &'static str,
    pub resources: &'static str,
    pub structure: &'static str,
    pub distributions: &'static str,
    pub compare: &'static str,
    pub objectives: &'static str,
    pub sweep: &'static str,
}

/// Templates of the key findings.
pub struct Findings {
    pub slowest_level: &'static str,
    pub largest_part: &'static str,
    pub bottlenecks: &'static str,
    pub bottleneck_item: &'static str,
    pub no_bottleneck: &'static str,
    pub idle_short: &'static str,
    pub no_idle_short: &'static str,
    pub objectives_missed: &'static str,
    pub objectives_all_met: &'static str,
    pub batch_slowest_level: &'static str,
    pub variant_effect: &'static str,
    pub variant_effect_other: &'static str,
    pub no_clear_effect: &'static str,
    /// A variant changed how much a level knew by the end (so its delays count other pairs).
    pub variant_known: &'static str,
    /// A variant changed how often objectives were met: the list of [`Found::objective_change`].
    pub variant_objectives: &'static str,
    pub objective_change: &'static str,
    /// "+12 min, +25 % of the base scenario’s mean": a change told relative to the base.
    pub change_relative: &'static str,
    /// "from 55 to 0 min": a change from or to (near) zero.
    pub change_absolute: &'static str,
    pub worst_objective: &'static str,
    pub batch_idle_short: &'static str,
    pub failed: &'static str,
}

/// Names of the headline measures ([`crate::metrics::Headline`]).
pub struct Measures {
    pub delay_median: &'static str,
    pub delay_p90: &'static str,
    pub first_fact_first: &'static str,
    pub first_fact_all: &'static str,
    pub known_share: &'static str,
    pub fixed: &'static [(&'static str, &'static str)],
}

impl Labels {
    pub fn level(&self, l: Level) -> &'static str {
        self.levels[l.index()]
    }

    pub fn kind(&self, k: &str) -> String {
        self.kinds.iter().find(|(id, _)| *id == k).map(|(_, n)| n.to_string()).unwrap_or_else(|| k.to_string())
    }

    /// A simulated start (`2017-04-07T14:53:00`) as "Fri 2017-04-07 14:53"; unchanged
    /// when it cannot be read.
    pub fn when(&self, start: &str) -> String {
        match crate::time::LocalDateTime::parse(start) {
            Ok(t) => {
                let s = t.to_string();
                format!("{} {} {}", self.weekdays[t.weekday()], &s[..10], &s[11..16])
            }
            Err(_) => start.to_string(),
        }
    }

    /// A readable name for a headline measure id (the id itself if unknown).
    pub fn measure(&self, id: &str) -> String {
        let m = &self.measures;
        if let Some((_, n)) = m.fixed.iter().find(|(k, _)| *k == id) {
            return n.to_string();
        }
        for level in Level::ALL {
            let l = self.level(level).to_lowercase();
            let n = level.name();
            let forms = [
                (format!("delay_{n}_median_min"), m.delay_median),
                (format!("delay_{n}_p90_min"), m.delay_p90),
                (format!("first_fact_first_{n}_min"), m.first_fact_first),
                (format!("first_fact_all_{n}_min"), m.first_fact_all),
                (format!("known_{n}_share"), m.known_share),
            ];
            if let Some((_, t)) = forms.iter().find(|(k, _)| k == id) {
                return fill(t, &[&l]);
            }
        }
        id.to_string()
    }
}

pub static EN: Labels = Labels {
    code: "en",
    levels: ["Executive", "Coordinating", "Strategic"],
    parts: [
        "Transit (channel)",
        "Queue",
        "Processing",
        "Waiting for a meeting or report",
        "Waiting for a duty officer or activation",
    ],
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    minutes_from_start: "Minutes from scenario start ({})",
    minutes: "min",
    never: "never",
    no_rows: "{} has no rows: nothing to show",
    kinds: &[
        ("report", "report (up)"),
        ("direction", "direction (down)"),
        ("information", "information (sideways)"),
        ("picture", "situation picture"),
        ("request", "resource request"),
        ("public", "public message"),
    ],
    timeline_title: "Information timeline: when each level knew the key facts",
    timeline_sub: "Per level: from the first of its units knowing a fact (dot) to all of them knowing it (diamond); shaded: conferences",
    origin: "fact arises",
    first_knows: "first unit of the level knows",
    all_know: "all units of the level know",
    not_all: "not all by the end",
    conference: "{}",
    more_facts: "{} more facts in levels.csv",
    delays_title: "Where the time went: mean delay per level, by cause",
    delays_sub: "Mean over every (fact, unit) pair that learned a fact other than at its origin (facts.csv); the parts add up to the delay",
    delays_x: "Mean minutes from a fact's origin until a unit knew it",
    delays_total: "{} min (n = {})",
    no_learned: "facts.csv has no fact learned after its origin",
    bottlenecks_title: "Bottlenecks: messages waiting in the busiest units' queues",
    bottlenecks_sub: "The {} units with the most message-minutes waiting; each cell: the longest queue within {} minutes (messages.csv)",
    backlog_scale: "messages waiting",
    peak: "peak {}",
    no_backlog: "No message ever waited in a queue (messages.csv)",
    resources_title: "Resources over time, by type (all organisations together)",
    resources_sub: "In use, on the way, idle; red above the pool: demand not met (resources.csv)",
    resources_y: "Units",
    states: ["in use", "on the way", "idle", "demand not met"],
    one_time: "resources.csv has a single time point: nothing changes over time",
    more_types: "{} more types in resources.csv",
    requests_title: "Requests between organisations: waiting for a decision, then for arrival (requests.csv)",
    waiting_decision: "waiting for a decision",
    on_the_way: "on the way",
    not_decided: "not decided by the end",
    no_requests: "No requests between organisations (requests.csv)",
    more_requests: "{} more requests in requests.csv",
    request_label: "#{} {} × {} ({})",
    structure_title: "Structure: who sent messages to whom",
    structure_sub: "Columns: organisations; rows: levels; dots: units (area: messages handled); lines: messages sent (width: count; colour: kind)",
    units_count: "{} units",
    dist_title: "How long until each level knew: distribution over runs, per variant",
    dist_sub: "Box: middle half of the runs; line: median; whiskers: 5th to 95th percentile (stats.csv); dashed: objective limits",
    dist_y: "Minutes",
    milestones: "Milestones",
    objective_limit: "≤ {} {}",
    one_run: "only one run per variant: the box is a single value",
    dist_groups: [
        "first fact: first unit knows",
        "first fact: all units know",
        "median delay",
        "90th percentile delay",
    ],
    objective_values: "Each objective's measured value over the runs; dashed: its limit (runs.csv)",
    point_note: "design point {} ({})",
    compare_title: "Variants against the base: difference of means with 95 % interval",
    compare_sub: "Per headline measure whose base mean is at least 1, in per cent of that mean (compare.csv); an interval crossing 0 is no clear difference",
    compare_x: "Difference from the base (% of the base mean)",
    no_variants: "compare.csv has no rows: the batch ran no variant besides the base",
    beyond: "beyond the axis",
    objectives_title: "Objectives: share of runs that met each, per variant",
    objectives_sub: "Dot: share of runs; line: 95 % interval (Wilson); dashed: 50 % and 90 %, the rating limits (objectives.csv)",
    objectives_x: "Runs that met the objective (%)",
    no_objectives: "objectives.csv has no rows: the scenario defines no objectives",
    sweep_title: "Sweep: how the measures change with the swept parameter",
    sweep_sub_line: "Mean per design point with its 95 % interval as a band, per variant (stats.csv)",
    sweep_sub_heat: "Mean over the runs of the base at each pair of values (stats.csv)",
    colour_scale: "Colour: the mean, one scale for all four panels",
    sweep_sub_design: "Design file, not a grid: a hollow dot per design point, the line through their average at each value",
    no_sweep: "This batch swept no parameter (see samverkan batch --sweep)",
    one_point: "Only one design point: nothing to compare",
    averaged_over: "averaged over {}",
    no_value: "no value",
    html: Html {
        title: "Debrief",
        run_of: "One run of {}",
        batch_of: "Batch of {} runs of {}",
        written_by: "Written by samverkan {} from the files in this folder; to draw it again: samverkan report FOLDER",
        contents: "Contents",
        overview: "Exercise overview",
        scenario: "Scenario",
        scenario_hash: "Scenario hash",
        variant: "Variant",
        base: "base scenario",
        the_base: "base scenario",
        variants: "Variants",
        seed: "Seed",
        seeds: "Replication seeds",
        seeds_note: "{} seeds; runs.csv, column seed",
        runs: "Runs",
        failed_runs: "Failed runs",
        points: "Design points",
        start: "Simulated start",
        duration: "Simulated duration",
        events: "Events",
        messages: "Messages",
        objectives: "Objectives",
        objective: "Objective",
        description: "What it asks",
        measured: "Measured",
        limit: "Limit",
        rating: "Rating",
        share: "Runs that met it",
        met: "met",
        partly_met: "partly met",
        not_met: "not met",
        run_rule: "Met when the measured value is within the limit.",
        batch_rule: "Met when at least 90 % of the runs met the objective; not met when fewer than 50 % did; partly met in between. The interval is the 95 % Wilson interval of the share.",
        no_objectives: "The scenario defines no objectives.",
        findings: "Key findings",
        charts: "Charts",
        how_to_read: "How to read it",
        data: "Data",
        picture: "Picture",
        files: "Files",
        files_intro: "Every number above comes from these files (all times in minutes from the scenario start or from a fact's origin):",
        file_notes: &[
            ("summary.json", "headline measures and objectives of the run"),
            ("facts.csv", "each (fact, unit): when the unit knew it and the delay split into its causes"),
            ("levels.csv", "each (fact, level): when the first and when all units of the level knew it"),
            ("messages.csv", "each message: sender, receiver, channel, when sent, delivered, started, done"),
            ("units.csv", "each unit: activation, messages handled, busy share, peak backlog"),
            ("resources.csv", "resource pools over time: in use, idle, on the way, demanded, unmet"),
            ("requests.csv", "each resource request: when made, decided and arrived, and by whom lent"),
            ("conferences.csv", "each conference: start, end, participants, facts shared and learned"),
            ("public.csv", "each public message: when published and whether coordinated"),
            ("infrastructure.csv", "changes of power, mobile network and internet by area"),
            (
                "names.csv",
                "what the scenario calls each organisation, unit, conference, inject, objective and resource type, in English and Swedish",
            ),
            ("runs.csv", "one row per run: its seed and every headline measure"),
            ("stats.csv", "per variant and measure: mean, spread, percentiles and the 95 % interval of the mean"),
            ("objectives.csv", "per variant and objective: runs, how many met it, share and 95 % interval"),
            ("compare.csv", "each variant against the base: difference of means with a paired 95 % interval"),
            ("manifest.json", "how the batch was run: version, scenario hash, command, seeds, variants"),
        ],
        captions: Captions {
            timeline: "Each key fact has one row per level (strategic at the top, executive at the bottom). The grey tick marks when the fact arose; the dotted line runs until the first unit of that level knew it (dot); the coloured bar runs until every unit of the level that needs it knew it (diamond). A long bar means the level learned in pieces; an arrow means not every unit knew by the end. Shaded bands are conferences of that level: information often waits for them. The exact times are in levels.csv and conferences.csv.",
            delays: "One bar per level: the mean time from a fact's origin until a unit of the level knew it, split into its causes along the chain that brought the fact. Transit is time on the channel, queue is time waiting in a busy unit's inbox, processing is handling time, meeting wait is time held for a conference or a periodic report, activation wait is time waiting for a duty officer or for a staff to activate. The longest segment is the first place to look for improvement. Per-pair values are in facts.csv.",
            bottlenecks: "Each row is one of the units where messages waited longest in the queue; each column is a time interval. The colour shows the longest queue in the interval: white is an empty queue, dark is many messages waiting. A dark band that lasts shows a unit that could not keep up; the number on the right is its peak. The queue is rebuilt from messages.csv (waiting from delivered to started).",
            resources: "One panel per resource type, all organisations summed. The blue area is in use, orange is on the way to an incident or a lender, the light area is idle; together they make the pool. Red above the pool is demand that was not met. Below: each request between organisations, from when it was made, through the decision (red: waiting for a decision), to arrival (blue: on the way). Idle resources at the same time as unmet demand show a coordination gap.",
            structure: "Each column is an organisation and each row a level; a dot is a unit, larger when it handled more messages. A line joins two units that exchanged messages: the wider, the more messages; its colour is the most common kind (reports go up, direction comes down, situation pictures spread from the coordination function). Lines within a level are drawn as arcs. Counts are in messages.csv.",
            distributions: "One panel per level and one for milestones. For each measure, one box per variant shows how the value varied over the runs: the box holds the middle half of the runs, the line inside is the median, the whiskers reach from the 5th to the 95th percentile. A box reaching far above the others is cut at the top of the axis with an arrow, its median written beside it. A dashed line is an objective's limit: boxes below it mostly meet the objective. The numbers are in stats.csv and runs.csv.",
            compare: "Each row is a headline measure; each coloured dot is a variant's difference from the base, in per cent of the base's mean, with the paired 95 % interval as a line. Left of zero is lower than the base (for delays: faster). An interval that crosses zero means the runs show no clear difference. Measures whose base mean is zero are left out. The differences in their own units are in compare.csv.",
            objectives: "Each row is an objective; each coloured dot is the share of a variant's runs that met it, with the 95 % interval as a line. Right is better. The dashed lines at 50 % and 90 % are the limits of the ratings in the objectives table. The counts are in objectives.csv.",
            sweep: "With one swept parameter: each panel is a headline measure against the parameter's values, one line per variant, with its 95 % interval as a band. With two: each cell is the base's mean at one pair of values, darker for larger values. The numbers are in stats.csv.",
        },
        found: Findings {
            slowest_level: "By mean delay, as in “Where the time went”, the {} level was the slowest: a unit there knew a fact {} min after its origin on average (over {} facts × units; median {} min), against {}.",
            largest_part: "The largest cause of delay was “{}”: {} % of all delay minutes ({} of {} min).",
            bottlenecks: "Bottlenecks (most message-minutes waiting): {}.",
            bottleneck_item: "{} (up to {} messages waiting, at minute {})",
            no_bottleneck: "No unit had messages waiting in its queue.",
            idle_short: "Resources stood idle in one organisation while the same type was short in another for {} resource-minutes in all; most of it {}: idle in {} while {} was short ({} resource-minutes between minute {} and {}).",
            no_idle_short: "No resource stood idle in one organisation while the same type was short in another.",
            objectives_missed: "{} of {} objectives were not met: {}.",
            objectives_all_met: "All {} objectives were met.",
            batch_slowest_level: "Over {} runs of the {}, the {} level was the slowest by the median over runs of each run’s median delay (the line in each box of “How long until each level knew”): {} min, against {}.",
            variant_effect: "“{}”: its clearest change among the delays is the {}, {} (95 % interval of the change {} to {}).",
            variant_effect_other: "“{}”: no clear change in any delay; its clearest change is the {}, {} (95 % interval of the change {} to {}).",
            variant_known: "“{}”: the {} level knew {} % of what it should by the end of a run, against {} % in the {}; its delays are measured only over what it came to know.",
            variant_objectives: "“{}” changes how often objectives are met (95 % intervals apart): {}.",
            objective_change: "“{}” in {} % of runs ({} %)",
            change_relative: "{}, {} % of the base scenario’s mean",
            change_absolute: "from {} to {}",
            no_clear_effect: "“{}”: no clear change in any headline measure (every 95 % interval crosses zero).",
            worst_objective: "Least often met: “{}”, in {} % of the runs of the {} ({} to {} %).",
            batch_idle_short: "Resources stood idle in one organisation while short in another for {} resource-minutes per run on average in the {}.",
            failed: "{} runs failed and are left out; see runs.csv.",
        },
    },
    measures: Measures {
        delay_median: "Median delay, {} level",
        delay_p90: "90th percentile delay, {} level",
        first_fact_first: "First fact: first {} unit knows",
        first_fact_all: "First fact: all {} units know",
        known_share: "Share known by the end, {} level",
        fixed: &[
            ("first_any_conference_min", "First session of any conference"),
            ("first_picture_min", "First joint situation picture"),
            ("first_public_message_min", "First public message"),
            ("public_messages_coordinated", "Coordinated public messages"),
            ("public_messages_uncoordinated", "Uncoordinated public messages"),
            ("unmet_resource_min", "Unmet resource-minutes"),
            ("idle_while_short_min", "Idle while short (resource-minutes)"),
            ("requests", "Resource requests"),
            ("mean_request_wait_min", "Mean request wait"),
            ("messages_sent", "Messages sent"),
            ("messages_delivered", "Messages delivered"),
            ("messages_lost_resent", "Messages lost and re-sent"),
            ("messages_in_flight", "Messages in flight at the end"),
            ("units_activated", "Units activated"),
        ],
    },
};

pub static SV: Labels = Labels {
    code: "sv",
    levels: ["Verkställande", "Samordnande", "Inriktande"],
    parts: [
        "Överföring (kanal)",
        "Kö",
        "Handläggning",
        "Väntan på möte eller rapport",
        "Väntan på TiB eller aktivering",
    ],
    weekdays: ["mån", "tis", "ons", "tor", "fre", "lör", "sön"],
    minutes_from_start: "Minuter från scenariots start ({})",
    minutes: "min",
    never: "aldrig",
    no_rows: "{} har inga rader: inget att visa",
    kinds: &[
        ("report", "rapport (uppåt)"),
        ("direction", "inriktning (nedåt)"),
        ("information", "information (i sidled)"),
        ("picture", "lägesbild"),
        ("request", "resursbegäran"),
        ("public", "information till allmänheten"),
    ],
    timeline_title: "Informationens tidslinje: när varje nivå kände till nyckelhändelserna",
    timeline_sub: "Per nivå: från att den första enheten kände till en uppgift (punkt) till att alla gjorde det (romb); skuggat: konferenser",
    origin: "uppgiften uppstår",
    first_knows: "första enheten på nivån vet",
    all_know: "alla enheter på nivån vet",
    not_all: "inte alla vid slutet",
    conference: "{}",
    more_facts: "{} fler uppgifter i levels.csv",
    delays_title: "Vart tiden tog vägen: medelfördröjning per nivå, efter orsak",
    delays_sub: "Medel över alla par (uppgift, enhet) där enheten fick uppgiften från annat håll (facts.csv); delarna summerar till fördröjningen",
    delays_x: "Medelminuter från att en uppgift uppstod tills en enhet kände till den",
    delays_total: "{} min (n = {})",
    no_learned: "facts.csv har ingen uppgift som spreds vidare från sitt ursprung",
    bottlenecks_title: "Flaskhalsar: meddelanden som väntar i de mest belastade enheternas köer",
    bottlenecks_sub: "De {} enheter med flest meddelandeminuter i kö; varje ruta: längsta kön inom {} minuter (messages.csv)",
    backlog_scale: "meddelanden i kö",
    peak: "max {}",
    no_backlog: "Inget meddelande väntade någonsin i en kö (messages.csv)",
    resources_title: "Resurser över tid, per typ (alla organisationer tillsammans)",
    resources_sub: "I bruk, på väg, lediga; rött över poolen: behov som inte täcktes (resources.csv)",
    resources_y: "Antal",
    states: ["i bruk", "på väg", "lediga", "ej täckt behov"],
    one_time: "resources.csv har en enda tidpunkt: inget förändras över tid",
    more_types: "{} fler typer i resources.csv",
    requests_title: "Begäranden mellan organisationer: väntan på beslut, sedan på ankomst (requests.csv)",
    waiting_decision: "väntar på beslut",
    on_the_way: "på väg",
    not_decided: "inte beslutad vid slutet",
    no_requests: "Inga begäranden mellan organisationer (requests.csv)",
    more_requests: "{} fler begäranden i requests.csv",
    request_label: "#{} {} × {} ({})",
    structure_title: "Struktur: vem skickade meddelanden till vem",
    structure_sub: "Kolumner: organisationer; rader: nivåer; punkter: enheter (yta: hanterade meddelanden); linjer: skickade meddelanden (bredd: antal; färg: slag)",
    units_count: "{} enheter",
    dist_title: "Hur lång tid tills varje nivå visste: fördelning över körningar, per variant",
    dist_sub: "Låda: mittersta hälften av körningarna; linje: median; morrhår: 5:e till 95:e percentilen (stats.csv); streckat: målens gränser",
    dist_y: "Minuter",
    milestones: "Milstolpar",
    objective_limit: "≤ {} {}",
    one_run: "bara en körning per variant: lådan är ett enda värde",
    dist_groups: [
        "första uppgiften: första enheten vet",
        "första uppgiften: alla enheter vet",
        "medianfördröjning",
        "90:e percentilen fördröjning",
    ],
    objective_values: "Varje övningsmåls uppmätta värde över körningarna; streckat: dess gräns (runs.csv)",
    point_note: "designpunkt {} ({})",
    compare_title: "Varianter jämförda med grundscenariot: skillnad i medelvärde med 95 % intervall",
    compare_sub: "Per nyckeltal vars medelvärde i grundscenariot är minst 1, i procent av det (compare.csv); ett intervall som korsar 0 är ingen tydlig skillnad",
    compare_x: "Skillnad mot grundscenariot (% av dess medelvärde)",
    no_variants: "compare.csv har inga rader: batchen körde ingen variant utöver grundscenariot",
    beyond: "utanför axeln",
    objectives_title: "Övningsmål: andel körningar som nådde varje mål, per variant",
    objectives_sub: "Punkt: andel körningar; linje: 95 % intervall (Wilson); streckat: 50 % och 90 %, gränserna för bedömningen (objectives.csv)",
    objectives_x: "Körningar som nådde målet (%)",
    no_objectives: "objectives.csv har inga rader: scenariot har inga övningsmål",
    sweep_title: "Parametersvep: hur nyckeltalen ändras med den svepta parametern",
    sweep_sub_line: "Medelvärde per designpunkt med 95 % intervall som band, per variant (stats.csv)",
    sweep_sub_heat: "Medelvärde över grundscenariots körningar för varje värdepar (stats.csv)",
    colour_scale: "Färg: medelvärdet, en skala för alla fyra paneler",
    sweep_sub_design: "Designfil, inget rutnät: en ihålig punkt per designpunkt, linjen genom deras medelvärde vid varje värde",
    no_sweep: "Den här batchen svepte ingen parameter (se samverkan batch --sweep)",
    one_point: "Bara en designpunkt: inget att jämföra",
    averaged_over: "medel över {}",
    no_value: "inget värde",
    html: Html {
        title: "Utvärdering",
        run_of: "En körning av {}",
        batch_of: "Körningsserie med {} körningar av {}",
        written_by: "Skapad av samverkan {} från filerna i den här mappen; skapa om den med: samverkan report MAPP",
        contents: "Innehåll",
        overview: "Övningen i korthet",
        scenario: "Scenario",
        scenario_hash: "Scenariots kontrollsumma",
        variant: "Variant",
        base: "grundscenario",
        the_base: "grundscenariot",
        variants: "Varianter",
        seed: "Slumpfrö",
        seeds: "Slumpfrön för replikeringarna",
        seeds_note: "{} slumpfrön; runs.csv, kolumnen seed",
        runs: "Körningar",
        failed_runs: "Misslyckade körningar",
        points: "Designpunkter",
        start: "Simulerad start",
        duration: "Simulerad längd",
        events: "Händelser",
        messages: "Meddelanden",
        objectives: "Övningsmål",
        objective: "Mål",
        description: "Vad det kräver",
        measured: "Uppmätt",
        limit: "Gräns",
        rating: "Bedömning",
        share: "Körningar som nådde det",
        met: "uppnått",
        partly_met: "delvis uppnått",
        not_met: "ej uppnått",
        run_rule: "Uppnått när det uppmätta värdet ligger inom gränsen.",
        batch_rule: "Uppnått när minst 90 % av körningarna nådde målet; ej uppnått när färre än 50 % gjorde det; delvis uppnått däremellan. Intervallet är andelens 95 % Wilsonintervall.",
        no_objectives: "Scenariot har inga övningsmål.",
        findings: "Viktigaste iakttagelser",
        charts: "Diagram",
        how_to_read: "Så läser du diagrammet",
        data: "Data",
        picture: "Bild",
        files: "Filer",
        files_intro: "Alla siffror ovan kommer från de här filerna (alla tider i minuter från scenariots start eller från när en uppgift uppstod):",
        file_notes: &[
            ("summary.json", "körningens nyckeltal och övningsmål"),
            ("facts.csv", "varje (uppgift, enhet): när enheten fick veta och fördröjningen uppdelad på orsaker"),
            ("levels.csv", "varje (uppgift, nivå): när den första och när alla enheter på nivån visste"),
            (
                "messages.csv",
                "varje meddelande: avsändare, mottagare, kanal, när det skickades, levererades, påbörjades, var klart",
            ),
            ("units.csv", "varje enhet: aktivering, hanterade meddelanden, beläggning, längsta kö"),
            ("resources.csv", "resurspooler över tid: i bruk, lediga, på väg, efterfrågade, ej täckta"),
            ("requests.csv", "varje resursbegäran: när den gjordes, beslutades och kom fram, och vem som lånade ut"),
            ("conferences.csv", "varje konferens: start, slut, deltagare, delade och nya uppgifter"),
            ("public.csv", "varje meddelande till allmänheten: när det publicerades och om det var samordnat"),
            ("infrastructure.csv", "förändringar i el, mobilnät och internet per område"),
            (
                "names.csv",
                "vad scenariot kallar varje organisation, enhet, konferens, inject, mål och resurstyp, på engelska och svenska",
            ),
            ("runs.csv", "en rad per körning: slumpfrö och alla nyckeltal"),
            (
                "stats.csv",
                "per variant och nyckeltal: medelvärde, spridning, percentiler och medelvärdets 95 % intervall",
            ),
            ("objectives.csv", "per variant och mål: körningar, hur många som nådde målet, andel och 95 % intervall"),
            ("compare.csv", "varje variant mot grundscenariot: skillnad i medelvärde med parat 95 % intervall"),
            ("manifest.json", "hur batchen kördes: version, scenariots kontrollsumma, kommando, slumpfrön, varianter"),
        ],
        captions: Captions {
            timeline: "Varje nyckeluppgift har en rad per nivå (inriktande överst, verkställande nederst). Det grå strecket visar när uppgiften uppstod; den prickade linjen går tills den första enheten på nivån kände till den (punkt); den färgade stapeln går tills alla enheter på nivån som behöver den kände till den (romb). En lång stapel betyder att nivån fick veta bit för bit; en pil betyder att inte alla visste vid slutet. Skuggade band är nivåns konferenser: informationen väntar ofta på dem. Exakta tider finns i levels.csv och conferences.csv.",
            delays: "En stapel per nivå: medeltiden från att en uppgift uppstod tills en enhet på nivån kände till den, uppdelad på orsaker längs kedjan som förde dit uppgiften. Överföring är tid i kanalen, kö är tid i en upptagen enhets inkorg, handläggning är arbetstid, väntan på möte är tid som uppgiften hölls inför en konferens eller en periodisk rapport, väntan på TiB eller aktivering är tid tills en tjänsteman i beredskap svarade eller en stab aktiverades. Det längsta segmentet är det första stället att leta förbättringar. Värden per par finns i facts.csv.",
            bottlenecks: "Varje rad är en av de enheter där meddelanden väntade längst i kö; varje kolumn är ett tidsintervall. Färgen visar den längsta kön i intervallet: vitt är tom kö, mörkt är många väntande meddelanden. Ett mörkt band som håller i sig visar en enhet som inte hann med; siffran till höger är dess största kö. Kön återskapas ur messages.csv (väntan från levererad till påbörjad).",
            resources: "En panel per resurstyp, alla organisationer summerade. Blått är i bruk, orange är på väg till en händelse eller från en utlånare, ljust är ledigt; tillsammans utgör de poolen. Rött ovanför poolen är behov som inte täcktes. Nedanför: varje begäran mellan organisationer, från när den gjordes, via beslutet (rött: väntan på beslut), till ankomst (blått: på väg). Lediga resurser samtidigt som otäckt behov visar en brist i samordningen.",
            structure: "Varje kolumn är en organisation och varje rad en nivå; en punkt är en enhet, större ju fler meddelanden den hanterade. En linje förbinder två enheter som utbytte meddelanden: ju bredare, desto fler meddelanden; färgen är det vanligaste slaget (rapporter går uppåt, inriktning nedåt, lägesbilder sprids från samordningsfunktionen). Linjer inom en nivå ritas som bågar. Antalen finns i messages.csv.",
            distributions: "En panel per nivå och en för milstolpar. För varje nyckeltal visar en låda per variant hur värdet varierade mellan körningarna: lådan rymmer den mittersta hälften, linjen i den är medianen, morrhåren når från 5:e till 95:e percentilen. En låda som når långt över de andra kapas vid axelns topp med en pil, med medianen skriven bredvid. En streckad linje är ett övningsmåls gräns: lådor under den når oftast målet. Siffrorna finns i stats.csv och runs.csv.",
            compare: "Varje rad är ett nyckeltal; varje färgad punkt är en variants skillnad mot grundscenariot, i procent av grundscenariots medelvärde, med det parade 95 % intervallet som linje. Till vänster om noll är lägre än grundscenariot (för fördröjningar: snabbare). Ett intervall som korsar noll betyder att körningarna inte visar någon tydlig skillnad. Nyckeltal vars medelvärde är noll i grundscenariot utelämnas. Skillnaderna i egna enheter finns i compare.csv.",
            objectives: "Varje rad är ett övningsmål; varje färgad punkt är andelen av en variants körningar som nådde målet, med 95 % intervallet som linje. Längre till höger är bättre. De streckade linjerna vid 50 % och 90 % är gränserna för bedömningarna i måltabellen. Antalen finns i objectives.csv.",
            sweep: "Med en svept parameter: varje panel är ett nyckeltal mot parameterns värden, en linje per variant, med 95 % intervallet som band. Med två: varje ruta är grundscenariots medelvärde för ett värdepar, mörkare för större värden. Siffrorna finns i stats.csv.",
        },
        found: Findings {
            slowest_level: "Räknat i medelfördröjning, som i ”Vart tiden tog vägen”, var den {} nivån långsammast: en enhet där fick i medel veta en uppgift {} min efter att den uppstod (över {} par av uppgift och enhet; median {} min), mot {}.",
            largest_part: "Den största orsaken till fördröjning var ”{}”: {} % av alla fördröjningsminuter ({} av {} min).",
            bottlenecks: "Flaskhalsar (flest meddelandeminuter i kö): {}.",
            bottleneck_item: "{} (upp till {} meddelanden i kö, vid minut {})",
            no_bottleneck: "Ingen enhet hade meddelanden som väntade i kö.",
            idle_short: "Resurser stod lediga hos en organisation medan samma typ saknades hos en annan i sammanlagt {} resursminuter; mest {}: lediga hos {} medan {} hade brist ({} resursminuter mellan minut {} och {}).",
            no_idle_short: "Ingen resurs stod ledig hos en organisation medan samma typ saknades hos en annan.",
            objectives_missed: "{} av {} övningsmål uppnåddes inte: {}.",
            objectives_all_met: "Alla {} övningsmål uppnåddes.",
            batch_slowest_level: "I {} körningar av {} var den {} nivån långsammast, mätt som medianen av körningarnas medianfördröjning (strecket i varje låda i ”Hur lång tid tills varje nivå visste”): {} min, mot {}.",
            variant_effect: "”{}”: den tydligaste förändringen bland fördröjningarna gäller {}: {} (95 % intervall för förändringen: {} till {}).",
            variant_effect_other: "”{}”: ingen tydlig förändring av någon fördröjning; den tydligaste förändringen gäller {}: {} (95 % intervall för förändringen: {} till {}).",
            variant_known: "”{}”: den {} nivån kände till {} % av det den borde vid slutet av en körning, mot {} % i {}; dess fördröjningar mäts bara över det den fick veta.",
            variant_objectives: "”{}” ändrar hur ofta övningsmålen uppnås (95 % intervallen skilda åt): {}.",
            objective_change: "”{}” i {} % av körningarna ({} %)",
            change_relative: "{}, {} % av grundscenariots medel",
            change_absolute: "från {} till {}",
            no_clear_effect: "”{}”: ingen tydlig förändring av något nyckeltal (alla 95 % intervall korsar noll).",
            worst_objective: "Lägst andel uppnått: ”{}”, i {} % av körningarna av {} ({} till {} %).",
            batch_idle_short: "Resurser stod lediga hos en organisation medan de saknades hos en annan i {} resursminuter per körning i medel i {}.",
            failed: "{} körningar misslyckades och är utelämnade; se runs.csv.",
        },
    },
    measures: Measures {
        delay_median: "Medianfördröjning, {} nivå",
        delay_p90: "90:e percentilen fördröjning, {} nivå",
        first_fact_first: "Första uppgiften: första enheten ({}) vet",
        first_fact_all: "Första uppgiften: alla enheter ({}) vet",
        known_share: "Andel känd vid slutet, {} nivå",
        fixed: &[
            ("first_any_conference_min", "Första mötet i någon konferens"),
            ("first_picture_min", "Första gemensamma lägesbilden"),
            ("first_public_message_min", "Första meddelandet till allmänheten"),
            ("public_messages_coordinated", "Samordnade meddelanden till allmänheten"),
            ("public_messages_uncoordinated", "Osamordnade meddelanden till allmänheten"),
            ("unmet_resource_min", "Resursminuter med otäckt behov"),
            ("idle_while_short_min", "Lediga resurser under brist (resursminuter)"),
            ("requests", "Resursbegäranden"),
            ("mean_request_wait_min", "Medelväntan på beslut om begäran"),
            ("messages_sent", "Skickade meddelanden"),
            ("messages_delivered", "Levererade meddelanden"),
            ("messages_lost_resent", "Förlorade och omsända meddelanden"),
            ("messages_in_flight", "Meddelanden på väg vid slutet"),
            ("units_activated", "Aktiverade enheter"),
        ],
    },
};

/// The words of `samverkan optimise`'s Pareto chart (`optimise::chart`).
pub struct OptimiseLabels {
    pub title: &'static str,
    pub sub: &'static str,
    pub x: &'static str,
    pub y: &'static str,
    /// Legend entry and mark of the winner.
    pub best: &'static str,
    /// The word next to the winner's mark.
    pub best_mark: &'static str,
    /// Legend entry of the required levels: "{}" is an objective id.
    pub required: &'static str,
    pub front: &'static str,
    pub none_feasible: &'static str,
    pub no_runs: &'static str,
}

const OPTIMISE_EN: OptimiseLabels = OptimiseLabels {
    title: "Optimisation: cost against the share of runs meeting each required objective",
    sub: "One dot per candidate and objective; line: its interval (Wilson, corrected for multiplicity); dashed: the required share (optimise.csv); the y axis starts below the lowest interval",
    x: "Cost of the plan (staff-hours)",
    y: "Runs that met the objective (%)",
    best: "best (cheapest proven to meet every requirement)",
    best_mark: "best",
    required: "required for {}",
    front: "Pareto front (cheapest for its worst objective)",
    none_feasible: "no candidate was proven to meet every requirement",
    no_runs: "no candidate was run",
};

const OPTIMISE_SV: OptimiseLabels = OptimiseLabels {
    title: "Optimering: kostnad mot andel körningar som nådde varje krävt mål",
    sub: "En punkt per kandidat och mål; linje: dess intervall (Wilson, korrigerat för flera test); streckat: krävd andel (optimise.csv); y-axeln börjar vid lägsta intervallet",
    x: "Planens kostnad (personaltimmar)",
    y: "Körningar som nådde målet (%)",
    best: "bäst (billigast som visats nå alla krav)",
    best_mark: "bäst",
    required: "krav för {}",
    front: "Paretofront (billigast för sitt sämsta mål)",
    none_feasible: "ingen kandidat visades nå alla krav",
    no_runs: "ingen kandidat kördes",
};

impl Lang {
    pub fn optimise_labels(self) -> &'static OptimiseLabels {
        match self {
            Lang::En => &OPTIMISE_EN,
            Lang::Sv => &OPTIMISE_SV,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_blanks_in_order() {
        assert_eq!(fill("{} of {}", &[&2, &"five"]), "2 of five");
        assert_eq!(fill("{} and {}", &[&1]), "1 and {}");
    }

    #[test]
    fn every_headline_measure_has_a_name_in_both_languages() {
        for lang in [Lang::En, Lang::Sv] {
            let t = lang.labels();
            for h in crate::metrics::Headline::ALL {
                let id = h.name();
                assert_ne!(t.measure(id), id, "{id} has no {} name", t.code);
            }
        }
        assert_eq!(EN.measure("delay_strategic_median_min"), "Median delay, strategic level");
        assert_eq!(EN.when("2017-04-07T14:53:00"), "Fri 2017-04-07 14:53");
        assert_eq!(SV.when("2017-04-08T02:53:00"), "lör 2017-04-08 02:53");
        assert_eq!(SV.when("soon"), "soon");
    }

    #[test]
    fn templates_have_as_many_blanks_in_both_languages() {
        let blanks = |s: &str| s.matches("{}").count();
        let (e, s) = (&EN.html.found, &SV.html.found);
        for (a, b) in [
            (e.slowest_level, s.slowest_level),
            (e.largest_part, s.largest_part),
            (e.idle_short, s.idle_short),
            (e.batch_slowest_level, s.batch_slowest_level),
            (e.variant_effect, s.variant_effect),
            (e.variant_effect_other, s.variant_effect_other),
            (e.variant_known, s.variant_known),
            (e.variant_objectives, s.variant_objectives),
            (e.objective_change, s.objective_change),
            (e.change_relative, s.change_relative),
            (e.change_absolute, s.change_absolute),
            (e.worst_objective, s.worst_objective),
            (e.batch_idle_short, s.batch_idle_short),
            (EN.bottlenecks_sub, SV.bottlenecks_sub),
            (EN.request_label, SV.request_label),
            (e.bottleneck_item, s.bottleneck_item),
            (e.slowest_level, s.slowest_level),
            (EN.point_note, SV.point_note),
        ] {
            assert_eq!(blanks(a), blanks(b), "{a} / {b}");
        }
    }
}
