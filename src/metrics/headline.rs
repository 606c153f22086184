//! The headline measures of a run: the keys of `summary.json`'s `measures` and the
//! measure columns of a batch's `runs.csv`, named and ordered in one place.

use crate::vocabulary::Level;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Index, IndexMut};

/// Defines [`Headline`] from one table of (variant, name, unit).
macro_rules! headline {
    ($($variant:ident => $name:literal, $unit:ident, $doc:literal;)*) => {
        /// One headline measure (docs/outputs.md, `summary.json`). Times are minutes from
        /// the scenario start or from a fact's origin, as named; the rest are counts.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Headline {
            $(#[doc = $doc] $variant,)*
        }

        impl Headline {
            /// Every headline measure, in the order of `summary.json` and of `runs.csv` columns.
            pub const ALL: [Headline; Headline::COUNT] = [$(Headline::$variant,)*];
            /// How many headline measures there are.
            pub const COUNT: usize = [$($name,)*].len();

            /// The name in files (`summary.json` key, `runs.csv` column).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Headline::$variant => $name,)*
                }
            }

            /// The unit of the value.
            pub const fn unit(self) -> Unit {
                match self {
                    $(Headline::$variant => Unit::$unit,)*
                }
            }
        }
    };
}

headline! {
    DelayExecutiveMedian => "delay_executive_median_min", Minutes, "Median information delay at the executive level.";
    DelayExecutiveP90 => "delay_executive_p90_min", Minutes, "90th percentile of the information delay at the executive level.";
    DelayCoordinatingMedian => "delay_coordinating_median_min", Minutes, "Median information delay at the coordinating level.";
    DelayCoordinatingP90 => "delay_coordinating_p90_min", Minutes, "90th percentile of the information delay at the coordinating level.";
    DelayStrategicMedian => "delay_strategic_median_min", Minutes, "Median information delay at the strategic level.";
    DelayStrategicP90 => "delay_strategic_p90_min", Minutes, "90th percentile of the information delay at the strategic level.";
    KnownExecutiveShare => "known_executive_share", Share, "Share of what the executive level should know (facts meant for it × its units) that it knew by the end.";
    KnownCoordinatingShare => "known_coordinating_share", Share, "Share of what the coordinating level should know that it knew by the end.";
    KnownStrategicShare => "known_strategic_share", Share, "Share of what the strategic level should know that it knew by the end.";
    FirstFactFirstCoordinating => "first_fact_first_coordinating_min", Minutes, "The first fact: until the first coordinating unit knew it.";
    FirstFactAllCoordinating => "first_fact_all_coordinating_min", Minutes, "The first fact: until every coordinating unit knew it.";
    FirstFactFirstStrategic => "first_fact_first_strategic_min", Minutes, "The first fact: until the first strategic unit knew it.";
    FirstFactAllStrategic => "first_fact_all_strategic_min", Minutes, "The first fact: until every strategic unit knew it.";
    FirstFactAllExecutive => "first_fact_all_executive_min", Minutes, "The first fact: until every executive unit knew it.";
    FirstAnyConference => "first_any_conference_min", Minutes, "Start of the first session of any conference (operational ones too), from the scenario start; objectives on one conference use `first_conference` with `conference`.";
    FirstPicture => "first_picture_min", Minutes, "First joint situational picture, from the scenario start.";
    FirstPublicMessage => "first_public_message_min", Minutes, "First public message, from the scenario start.";
    PublicMessagesCoordinated => "public_messages_coordinated", Count, "Public messages sent after coordination.";
    PublicMessagesUncoordinated => "public_messages_uncoordinated", Count, "Public messages sent without coordination.";
    UnmetResource => "unmet_resource_min", Minutes, "Resource-minutes demanded but not covered.";
    IdleWhileShort => "idle_while_short_min", Minutes, "Resource-minutes idle while another organisation was short.";
    Requests => "requests", Count, "Resource requests made.";
    MeanRequestWait => "mean_request_wait_min", Minutes, "Mean wait for a decision on a request (undecided: until the end).";
    MessagesSent => "messages_sent", Count, "Messages sent.";
    MessagesDelivered => "messages_delivered", Count, "Messages delivered at the first attempt.";
    MessagesLostResent => "messages_lost_resent", Count, "Messages delivered after a loss and re-send.";
    MessagesInFlight => "messages_in_flight", Count, "Messages not delivered by the end.";
    UnitsActivated => "units_activated", Count, "Units activated during the run.";
}

/// The unit of a headline measure's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Minutes (`_min` in the name).
    Minutes,
    /// A count.
    Count,
    /// A share from 0 to 1 (`_share` in the name).
    Share,
}

impl Headline {
    /// The measure named `name` in files, if any.
    pub fn parse(name: &str) -> Option<Headline> {
        Headline::ALL.into_iter().find(|h| h.name() == name)
    }

    /// Median information delay at `level`.
    pub const fn delay_median(level: Level) -> Headline {
        match level {
            Level::Executive => Headline::DelayExecutiveMedian,
            Level::Coordinating => Headline::DelayCoordinatingMedian,
            Level::Strategic => Headline::DelayStrategicMedian,
        }
    }

    /// Share of what `level` should know that it knew by the end.
    pub const fn known_share(level: Level) -> Headline {
        match level {
            Level::Executive => Headline::KnownExecutiveShare,
            Level::Coordinating => Headline::KnownCoordinatingShare,
            Level::Strategic => Headline::KnownStrategicShare,
        }
    }

    /// 90th percentile of the information delay at `level`.
    pub const fn delay_p90(level: Level) -> Headline {
        match level {
            Level::Executive => Headline::DelayExecutiveP90,
            Level::Coordinating => Headline::DelayCoordinatingP90,
            Level::Strategic => Headline::DelayStrategicP90,
        }
    }
}

impl fmt::Display for Headline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The values of every headline measure of one run; `None` when it never happened.
/// Serialised as a map from name to value in [`Headline::ALL`] order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Headlines([Option<f64>; Headline::COUNT]);

impl Headlines {
    /// The value of the measure named `name`; `None` for an unknown name.
    pub fn by_name(&self, name: &str) -> Option<Option<f64>> {
        Headline::parse(name).map(|h| self[h])
    }

    /// (measure, value) pairs in [`Headline::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Headline, Option<f64>)> + '_ {
        Headline::ALL.into_iter().zip(self.0.iter().copied())
    }

    /// The values in [`Headline::ALL`] order.
    pub fn values(&self) -> impl Iterator<Item = Option<f64>> + '_ {
        self.0.iter().copied()
    }
}

impl Index<Headline> for Headlines {
    type Output = Option<f64>;
    fn index(&self, h: Headline) -> &Option<f64> {
        &self.0[h as usize]
    }
}

impl IndexMut<Headline> for Headlines {
    fn index_mut(&mut self, h: Headline) -> &mut Option<f64> {
        &mut self.0[h as usize]
    }
}

impl Serialize for Headlines {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(Headline::COUNT))?;
        for (h, v) in self.iter() {
            map.serialize_entry(h.name(), &v)?;
        }
        map.end()
    }
}

/// Reads the map back; names it does not know (from another version) are skipped and
/// measures it lacks are `None`.
impl<'de> Deserialize<'de> for Headlines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Headlines;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from headline measure names to numbers or null")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headlines, A::Error> {
                let mut out = Headlines::default();
                while let Some((name, value)) = map.next_entry::<String, Option<f64>>()? {
                    if let Some(h) = Headline::parse(&name) {
                        out[h] = value;
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_units_follow_the_names() {
        let mut names: Vec<&str> = Headline::ALL.iter().map(|h| h.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Headline::COUNT);
        for h in Headline::ALL {
            assert_eq!(h.name().ends_with("_min"), h.unit() == Unit::Minutes, "{h}");
            assert_eq!(h.name().ends_with("_share"), h.unit() == Unit::Share, "{h}");
            assert_eq!(Headline::parse(h.name()), Some(h));
            assert_eq!(Headline::ALL[h as usize], h);
        }
        for level in Level::ALL {
            assert_eq!(Headline::delay_median(level).name(), format!("delay_{}_median_min", level.name()));
            assert_eq!(Headline::delay_p90(level).name(), format!("delay_{}_p90_min", level.name()));
        }
    }

    #[test]
    fn round_trips_through_json_in_order() {
        let mut h = Headlines::default();
        h[Headline::Requests] = Some(3.0);
        h[Headline::FirstPicture] = Some(12.5);
        let json = serde_json::to_string(&h).unwrap();
        assert!(json.starts_with(r#"{"delay_executive_median_min":null,"#), "{json}");
        let back: Headlines = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);
        let partial: Headlines = serde_json::from_str(r#"{"requests":2,"not_a_measure":1}"#).unwrap();
        assert_eq!(partial[Headline::Requests], Some(2.0));
        assert_eq!(partial.values().filter(Option::is_some).count(), 1);
    }
}
