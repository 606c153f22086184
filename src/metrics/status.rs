//! What became of a message by the end of a run: the `status` column of `messages.csv`
//! and the three message counts among the headline measures, spelled once here.

use super::Headline;
use crate::sim::MessageRec;
use std::fmt;
use std::str::FromStr;

/// The status of a message at the end of a run (`messages.csv`, `status`; docs/outputs.md).
/// Every sent message has exactly one, so the three counts add up to `messages_sent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageStatus {
    /// Delivered at its first attempt.
    Delivered,
    /// Delivered after one or more lost attempts were re-sent.
    LostResent,
    /// Not delivered by the end: on its way, waiting to be re-sent or for a working channel.
    InFlight,
}

impl MessageStatus {
    /// Every status, in the order of the headline measures.
    pub const ALL: [MessageStatus; 3] = [MessageStatus::Delivered, MessageStatus::LostResent, MessageStatus::InFlight];

    /// The status of `m` at the end of the run.
    pub fn of(m: &MessageRec) -> MessageStatus {
        match (m.delivered, m.attempts) {
            (None, _) => MessageStatus::InFlight,
            (Some(_), a) if a > 1 => MessageStatus::LostResent,
            _ => MessageStatus::Delivered,
        }
    }

    /// The name in files (`messages.csv`, `status`).
    pub const fn name(self) -> &'static str {
        match self {
            MessageStatus::Delivered => "delivered",
            MessageStatus::LostResent => "lost_resent",
            MessageStatus::InFlight => "in_flight",
        }
    }

    /// The headline measure that counts the messages with this status.
    pub const fn headline(self) -> Headline {
        match self {
            MessageStatus::Delivered => Headline::MessagesDelivered,
            MessageStatus::LostResent => Headline::MessagesLostResent,
            MessageStatus::InFlight => Headline::MessagesInFlight,
        }
    }
}

impl fmt::Display for MessageStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `status` value that names no [`MessageStatus`].
#[derive(Debug, thiserror::Error)]
#[error("unknown message status `{0}` (expected delivered, lost_resent or in_flight)")]
pub struct UnknownStatus(pub String);

impl FromStr for MessageStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MessageStatus::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_and_unknown_names_fail() {
        for s in MessageStatus::ALL {
            assert_eq!(s.name().parse::<MessageStatus>().unwrap(), s);
        }
        assert!("lost".parse::<MessageStatus>().is_err());
    }

    #[test]
    fn each_status_counts_under_the_headline_of_its_name() {
        for s in MessageStatus::ALL {
            assert_eq!(s.headline().name(), format!("messages_{}", s.name()));
        }
    }
}
