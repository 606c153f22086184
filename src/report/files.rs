//! Names of the files and columns the charts read, in one place: the run files written
//! by `output::run` and the batch files written by `batch`. When a writer renames a
//! column, this is the only file to change.

/// Run files (see `output::run`).
pub mod run {
    pub const SUMMARY: &str = "summary.json";
    pub const FACTS: &str = "facts.csv";
    pub const LEVELS: &str = "levels.csv";
    pub const MESSAGES: &str = "messages.csv";
    pub const UNITS: &str = "units.csv";
    pub const RESOURCES: &str = "resources.csv";
    pub const REQUESTS: &str = "requests.csv";
    pub const CONFERENCES: &str = "conferences.csv";
    pub const PUBLIC: &str = "public.csv";
    pub const INFRASTRUCTURE: &str = "infrastructure.csv";

    /// facts.csv: one row per (fact, unit) that came to know it.
    pub mod facts {
        pub const FACT: &str = "fact";
        pub const UNIT: &str = "unit";
        pub const LEVEL: &str = "level";
        pub const DELAY: &str = "delay_min";
        pub const VIA: &str = "via";
        /// The five parts of the delay, in the order of `style::PART_COLOURS`.
        pub const PARTS: [&str; 5] =
            ["transit_min", "queue_min", "processing_min", "meeting_wait_min", "activation_wait_min"];
        pub const VIA_ORIGIN: &str = "origin";
    }

    /// levels.csv: one row per (fact, level that needs it).
    pub mod levels {
        pub const FACT: &str = "fact";
        pub const LEVEL: &str = "level";
        pub const ORIGIN: &str = "origin_min";
        pub const FIRST: &str = "first_known_min";
        pub const ALL: &str = "all_known_min";
    }

    pub mod messages {
        pub const KIND: &str = "kind";
        pub const FROM: &str = "from";
        pub const TO: &str = "to";
        pub const SENT: &str = "sent_min";
        pub const DELIVERED: &str = "delivered_min";
        pub const STARTED: &str = "started_min";
    }

    pub mod units {
        pub const UNIT: &str = "unit";
        pub const ORG: &str = "organisation";
        pub const LEVEL: &str = "level";
        pub const HANDLED: &str = "handled";
        pub const PEAK_BACKLOG: &str = "peak_backlog";
    }

    pub mod resources {
        pub const TIME: &str = "time_min";
        pub const ORG: &str = "organisation";
        pub const TYPE: &str = "type";
        pub const IN_USE: &str = "in_use";
        pub const IDLE: &str = "idle";
        pub const IN_TRANSIT: &str = "in_transit";
        pub const UNMET: &str = "unmet";
    }

    pub mod requests {
        pub const ID: &str = "request";
        pub const INCIDENT: &str = "incident";
        pub const TYPE: &str = "type";
        pub const QUANTITY: &str = "quantity";
        pub const REQUESTED: &str = "requested_min";
        pub const DECIDED: &str = "decided_min";
        pub const ARRIVED: &str = "arrived_min";
        pub const LENDER: &str = "lender";
        pub const UNMET: &str = "unmet_quantity";
    }

    pub mod conferences {
        pub const ID: &str = "conference";
        pub const LEVEL: &str = "level";
        pub const START: &str = "start_min";
        pub const END: &str = "end_min";
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
