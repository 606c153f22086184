//! Typed indices of the model's and the run's things: a unit, fact, message, conference
//! link, inject, channel or request is named by its own type, not by a bare `u32`, where the engine's driving API
//! ([`crate::sim::Engine`]) and its [`crate::sim::Snapshot`] hand them out and take them in.
//!
//! Each is a `u32` index (into the model's units, the run's facts, messages…) with
//! [`index`](UnitId::index) for indexing a `Vec` and [`get`](UnitId::get) for the raw
//! value the records hold.

use std::fmt;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            /// The id of index `i`.
            pub const fn new(i: u32) -> $name {
                $name(i)
            }

            /// The index, for indexing a `Vec`.
            pub const fn index(self) -> usize {
                self.0 as usize
            }

            /// The raw index, as the run's records hold it.
            pub const fn get(self) -> u32 {
                self.0
            }
        }

        impl From<u32> for $name {
            fn from(i: u32) -> $name {
                $name(i)
            }
        }

        impl From<$name> for u32 {
            fn from(id: $name) -> u32 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($what, " {}"), self.0)
            }
        }
    };
}

typed_id!(
    /// A unit of the model (index into `Model::units`).
    UnitId,
    "unit"
);
typed_id!(
    /// A fact of the run (index into the run's facts: the scenario's, then those created while it runs).
    FactId,
    "fact"
);
typed_id!(
    /// A message of the run (index into `RunRecord::messages`).
    MessageId,
    "message"
);
typed_id!(
    /// A conference of the model (index into `Model::conferences`).
    ConferenceId,
    "conference"
);
typed_id!(
    /// A link of the model (index into `Model::links`).
    LinkId,
    "link"
);
typed_id!(
    /// An inject of the model (index into `Model::injects`); a stream's occurrences are
    /// its repetitions (`rep`).
    InjectId,
    "inject"
);
typed_id!(
    /// A channel of the model (index into `Model::channels`).
    ChannelId,
    "channel"
);
typed_id!(
    /// A request for resources of the run (index into `RunRecord::requests`).
    RequestId,
    "request"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_index_and_says_what_it_names() {
        let u = UnitId::new(7);
        assert_eq!((u.index(), u.get(), u32::from(u)), (7, 7, 7));
        assert_eq!(u.to_string(), "unit 7");
        assert_eq!(MessageId::from(3).to_string(), "message 3");
        assert!(FactId::new(1) < FactId::new(2));
        assert_eq!(std::mem::size_of::<UnitId>(), 4);
    }
}
