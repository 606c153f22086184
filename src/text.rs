//! [`Text`]: a name or a description a scenario gives in English and, optionally, in
//! Swedish (`name` and `name_sv`, `description` and `description_sv`, `text` and
//! `text_sv`; docs/scenario-format.md#swedish-texts). Reports pick one with
//! [`Text::get`]; a missing Swedish text falls back to the English one.
//!
//! A `Text` reads as its English text where a `&str` is expected (it dereferences to
//! it), so code that only ever shows English needs no change.

use crate::report::Lang;
use std::fmt;
use std::ops::Deref;

/// A text in English, and in Swedish when the scenario gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Text {
    /// The English text (the scenario's `name`, or the id when it gives none).
    pub en: String,
    /// The Swedish text, when the scenario gives one.
    pub sv: Option<String>,
}

impl Text {
    /// A text with only its English version.
    pub fn en(en: impl Into<String>) -> Text {
        Text { en: en.into(), sv: None }
    }

    /// The English text.
    pub fn as_str(&self) -> &str {
        &self.en
    }

    /// The text in `lang`: the Swedish one under `Lang::Sv` when there is one, else English.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.sv) {
            (Lang::Sv, Some(sv)) => sv,
            _ => &self.en,
        }
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.en
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl From<String> for Text {
    fn from(en: String) -> Text {
        Text::en(en)
    }
}

impl From<&str> for Text {
    fn from(en: &str) -> Text {
        Text::en(en)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.en == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.en == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        &self.en == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_falls_back_to_english() {
        let both = Text { en: "Fire engine".into(), sv: Some("Brandbil".into()) };
        assert_eq!(both.get(Lang::Sv), "Brandbil");
        assert_eq!(both.get(Lang::En), "Fire engine");
        let en = Text::en("Council");
        assert_eq!(en.get(Lang::Sv), "Council");
        assert_eq!(&*en, "Council");
    }
}
