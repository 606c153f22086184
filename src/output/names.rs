//! Names of the output files and their columns, in one place: the writers
//! ([`crate::output::run`], [`crate::batch`]) and the readers ([`crate::report`],
//! [`crate::debrief`]) both use these. Documented column by column in `docs/outputs.md`.
#![allow(missing_docs)] // the batch column names below document themselves

/// Run files (written by `output::run`, read by `report::run_data` and `debrief`).
pub mod run {
    /// Headline measures, objectives and counts of the run (written last).
    pub const SUMMARY: &str = "summary.json";
    /// Each (fact, unit) that came to know it.
    pub const FACTS: &str = "facts.csv";
    /// Each (fact, level that needs it).
    pub const LEVELS: &str = "levels.csv";
    /// Each message.
    pub const MESSAGES: &str = "messages.csv";
    /// Each unit.
    pub const UNITS: &str = "units.csv";
    /// Resource pools over time.
    pub const RESOURCES: &str = "resources.csv";
    /// Each resource request.
    pub const REQUESTS: &str = "requests.csv";
    /// Each conference session.
    pub const CONFERENCES: &str = "conferences.csv";
    /// Each public message.
    pub const PUBLIC: &str = "public.csv";
    /// Changes of the infrastructure.
    pub const INFRASTRUCTURE: &str = "infrastructure.csv";
    /// What the scenario calls each thing named by id, in English and Swedish.
    pub const NAMES: &str = "names.csv";
    /// The marker of a run stopped by a guard (instead of summary.json).
    pub const STOPPED: &str = "stopped.json";

    /// Every run file, in the order they are written (summary.json last: its presence
    /// means the run's files are complete).
    pub const ALL: [&str; 11] =
        [FACTS, LEVELS, MESSAGES, UNITS, RESOURCES, REQUESTS, CONFERENCES, PUBLIC, INFRASTRUCTURE, NAMES, SUMMARY];

    /// facts.csv: one row per (fact, unit) that came to know it.
    pub mod facts {
        /// The header, in order.
        pub const COLUMNS: [&str; 13] = [
            "fact",
            "unit",
            "organisation",
            "level",
            "origin_min",
            "known_min",
            "delay_min",
            "via",
            "transit_min",
            "queue_min",
            "processing_min",
            "meeting_wait_min",
            "activation_wait_min",
        ];
        /// The fact's id.
        pub const FACT: &str = COLUMNS[0];
        /// The unit's id.
        pub const UNIT: &str = COLUMNS[1];
        /// The unit's level.
        pub const LEVEL: &str = COLUMNS[3];
        /// Minutes from the fact's origin until the unit knew it.
        pub const DELAY: &str = COLUMNS[6];
        /// How the unit learned it.
        pub const VIA: &str = COLUMNS[7];
        /// The five parts of the delay, in the order of `style::PART_COLOURS`.
        pub const PARTS: [&str; 5] = [COLUMNS[8], COLUMNS[9], COLUMNS[10], COLUMNS[11], COLUMNS[12]];
        /// `via` of the unit where the fact arose.
        pub const VIA_ORIGIN: &str = "origin";
    }

    /// levels.csv: one row per (fact, level that needs it).
    pub mod levels {
        /// The header, in order.
        pub const COLUMNS: [&str; 7] =
            ["fact", "level", "origin_min", "first_known_min", "all_known_min", "first_delay_min", "all_delay_min"];
        /// The fact's id.
        pub const FACT: &str = COLUMNS[0];
        /// The level.
        pub const LEVEL: &str = COLUMNS[1];
        /// When the fact arose.
        pub const ORIGIN: &str = COLUMNS[2];
        /// When the first unit of the level knew it.
        pub const FIRST: &str = COLUMNS[3];
        /// When every unit of the level knew it.
        pub const ALL: &str = COLUMNS[4];
    }

    /// messages.csv: one row per message.
    pub mod messages {
        /// The header, in order.
        pub const COLUMNS: [&str; 12] = [
            "id",
            "kind",
            "from",
            "to",
            "channel",
            "facts",
            "sent_min",
            "delivered_min",
            "started_min",
            "done_min",
            "attempts",
            "status",
        ];
        /// The message kind.
        pub const KIND: &str = COLUMNS[1];
        /// The sender.
        pub const FROM: &str = COLUMNS[2];
        /// The receiver.
        pub const TO: &str = COLUMNS[3];
        /// When sent.
        pub const SENT: &str = COLUMNS[6];
        /// When delivered (empty: never).
        pub const DELIVERED: &str = COLUMNS[7];
        /// When the receiver started handling it.
        pub const STARTED: &str = COLUMNS[8];
    }

    /// units.csv: one row per unit.
    pub mod units {
        /// The header, in order.
        pub const COLUMNS: [&str; 9] = [
            "unit",
            "organisation",
            "level",
            "activation_started_min",
            "activation_min",
            "handled",
            "busy_share",
            "peak_backlog",
            "backlog_at_end",
        ];
        /// The unit's id.
        pub const UNIT: &str = COLUMNS[0];
        /// Its organisation.
        pub const ORG: &str = COLUMNS[1];
        /// Its level.
        pub const LEVEL: &str = COLUMNS[2];
        /// Messages handled.
        pub const HANDLED: &str = COLUMNS[5];
        /// The longest queue.
        pub const PEAK_BACKLOG: &str = COLUMNS[7];
    }

    /// resources.csv: resource pools over time.
    pub mod resources {
        /// The header, in order.
        pub const COLUMNS: [&str; 8] =
            ["time_min", "organisation", "type", "in_use", "idle", "in_transit", "demanded", "unmet"];
        /// Minutes from the start.
        pub const TIME: &str = COLUMNS[0];
        /// The owning organisation.
        pub const ORG: &str = COLUMNS[1];
        /// The resource type.
        pub const TYPE: &str = COLUMNS[2];
        /// In use.
        pub const IN_USE: &str = COLUMNS[3];
        /// Idle.
        pub const IDLE: &str = COLUMNS[4];
        /// On the way to a borrower.
        pub const IN_TRANSIT: &str = COLUMNS[5];
        /// Demanded but not covered.
        pub const UNMET: &str = COLUMNS[7];
    }

    /// requests.csv: one row per resource request.
    pub mod requests {
        /// The header, in order.
        pub const COLUMNS: [&str; 10] = [
            "request",
            "incident",
            "type",
            "quantity",
            "requested_min",
            "decided_min",
            "arrived_min",
            "wait_min",
            "lender",
            "unmet_quantity",
        ];
        /// The request's id.
        pub const ID: &str = COLUMNS[0];
        /// The incident it serves.
        pub const INCIDENT: &str = COLUMNS[1];
        /// The resource type.
        pub const TYPE: &str = COLUMNS[2];
        /// How many were asked for.
        pub const QUANTITY: &str = COLUMNS[3];
        /// When asked.
        pub const REQUESTED: &str = COLUMNS[4];
        /// When decided.
        pub const DECIDED: &str = COLUMNS[5];
        /// When the resources arrived.
        pub const ARRIVED: &str = COLUMNS[6];
        /// Who lent them.
        pub const LENDER: &str = COLUMNS[8];
        /// How many were never covered.
        pub const UNMET: &str = COLUMNS[9];
    }

    /// conferences.csv: one row per conference session.
    pub mod conferences {
        /// The header, in order.
        pub const COLUMNS: [&str; 8] =
            ["conference", "level", "start_min", "end_min", "participants", "facts_shared", "facts_learned", "leader"];
        /// The conference's id.
        pub const ID: &str = COLUMNS[0];
        /// Its level.
        pub const LEVEL: &str = COLUMNS[1];
        /// When the session started.
        pub const START: &str = COLUMNS[2];
        /// When it ended.
        pub const END: &str = COLUMNS[3];
    }

    /// public.csv: one row per public message.
    pub mod public {
        /// The header, in order.
        pub const COLUMNS: [&str; 6] = ["fact", "unit", "organisation", "published_min", "delay_min", "coordinated"];
    }

    /// infrastructure.csv: one row per change.
    pub mod infrastructure {
        /// The header, in order.
        pub const COLUMNS: [&str; 5] = ["time_min", "area", "target", "state", "customers_without_power"];
    }
}

/// Batch files (written by `batch::files`; see `docs/outputs.md`).
pub mod batch {
    pub const RUNS: &str = "runs.csv";
    pub const STATS: &str = "stats.csv";
    pub const OBJECTIVES: &str = "objectives.csv";
    pub const COMPARE: &str = "compare.csv";
    pub const MANIFEST: &str = "manifest.json";

    pub const POINT: &str = "point";
    pub const VARIANT: &str = "variant";
    pub const SEED: &str = "seed";
    pub const STATUS: &str = "status";
    pub const MEASURE: &str = "measure";
    pub const OBJECTIVE: &str = "objective";

    /// What the base scenario (no variant) is called in the `variant` column.
    pub const BASE_NAMES: &[&str] = &["base", ""];
    /// `status` of a run that finished.
    pub const STATUS_OK: &str = "ok";
    /// runs.csv has `objective.<id>.met` (1 or 0) and `objective.<id>.value` per objective.
    pub const OBJECTIVE_PREFIX: &str = "objective.";
    pub const OBJECTIVE_VALUE_SUFFIX: &str = ".value";

    /// stats.csv: quantiles and the interval of the mean.
    pub mod stats {
        pub const N: &str = "n";
        pub const MEAN: &str = "mean";
        pub const P5: &str = "p5";
        pub const P25: &str = "p25";
        pub const P50: &str = "p50";
        pub const P75: &str = "p75";
        pub const P95: &str = "p95";
        pub const CI_LOW: &str = "ci95_low";
        pub const CI_HIGH: &str = "ci95_high";
    }

    /// objectives.csv.
    pub mod objectives {
        pub const RUNS: &str = "runs";
        pub const MET: &str = "met";
        pub const SHARE: &str = "share";
        pub const CI_LOW: &str = "ci95_low";
        pub const CI_HIGH: &str = "ci95_high";
        /// Optional: what the objective asks and its limit (for thresholds); without
        /// them the report reads both from the scenario file named in manifest.json.
        pub const DESCRIPTION: &str = "description";
        pub const LIMIT: &str = "limit";
    }

    /// compare.csv: each variant minus the base, per measure.
    pub mod compare {
        /// The difference of means; the first of these names that exists is used.
        pub const DIFF: &[&str] = &["difference"];
        /// The base's mean (to show the difference relative to it), if written.
        pub const BASE_MEAN: &[&str] = &["base_mean"];
        pub const CI_LOW: &str = "ci95_low";
        pub const CI_HIGH: &str = "ci95_high";
    }
}
