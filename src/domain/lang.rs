//! Sentences for people, in both languages Ketnap answers in.
//!
//! Every message a person may read — an error, a rule's explanation of a refusal, a problem
//! in a row of an uploaded file — is a [`Text`], which holds it in English and in
//! Vietnamese. There is no way to make a `Text` from one language alone: [`tr!`] takes both
//! sentences, with the same placeholders, and a test over the source tree checks that the
//! Vietnamese is written. Codes (`extensions.code`, `rule`, `limit`, field names) stay
//! English and stable; only the sentence follows the reader's language.

use std::borrow::Cow;
use std::fmt;

/// The language a reader asked for. English unless the request prefers Vietnamese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Vi,
}

impl Lang {
    /// The language a primary subtag names (`vi`, `vi-VN`, `en-GB`), if Ketnap speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default().trim();
        if primary.eq_ignore_ascii_case("vi") {
            Some(Lang::Vi)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The BCP 47 tag of the language, as `Content-Language` carries it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Vi => "vi",
        }
    }
}

/// One sentence in English and in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    en: Cow<'static, str>,
    vi: Cow<'static, str>,
}

impl Text {
    /// A sentence known at compile time, in both languages.
    pub const fn fixed(en: &'static str, vi: &'static str) -> Text {
        Text {
            en: Cow::Borrowed(en),
            vi: Cow::Borrowed(vi),
        }
    }

    /// A sentence built at run time; [`tr!`] is the way to call it.
    pub fn new(en: String, vi: String) -> Text {
        Text {
            en: Cow::Owned(en),
            vi: Cow::Owned(vi),
        }
    }

    /// The sentence in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Vi => &self.vi,
        }
    }

    /// The sentence in English, as logs and tests read it.
    pub fn en(&self) -> &str {
        &self.en
    }

    /// The sentence in Vietnamese.
    pub fn vi(&self) -> &str {
        &self.vi
    }

    /// Both sentences, each with `prefix` in front (a field name, a row number).
    pub fn prefixed(&self, prefix: &str) -> Text {
        Text::new(format!("{prefix}{}", self.en), format!("{prefix}{}", self.vi))
    }
}

/// English, for logs and `Display`; a response picks its language with [`Text::get`].
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A [`Text`] from an English and a Vietnamese format string, which name the same
/// arguments: `tr!("at most {max} characters", "tối đa {max} ký tự")`, or with arguments
/// after both strings, `tr!("{} rows", "{} dòng", n)`.
#[macro_export]
macro_rules! tr {
    ($en:literal, $vi:literal $(,)?) => {
        $crate::lang::Text::new(::std::format!($en), ::std::format!($vi))
    };
    ($en:literal, $vi:literal, $($arg:tt)+) => {
        $crate::lang::Text::new(::std::format!($en, $($arg)+), ::std::format!($vi, $($arg)+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_answers_in_the_language_asked() {
        let max = 3;
        let text = crate::tr!("at most {max} characters", "tối đa {max} ký tự");
        assert_eq!(text.get(Lang::En), "at most 3 characters");
        assert_eq!(text.get(Lang::Vi), "tối đa 3 ký tự");
        assert_eq!(text.to_string(), "at most 3 characters");
        let rows = crate::tr!("{} rows", "{} dòng", 2);
        assert_eq!((rows.en(), rows.vi()), ("2 rows", "2 dòng"));
        assert_eq!(Text::fixed("unit", "tổ chức").prefixed("x: ").vi(), "x: tổ chức");
    }

    #[test]
    fn a_tag_names_a_language_by_its_primary_subtag() {
        assert_eq!(Lang::from_tag("vi"), Some(Lang::Vi));
        assert_eq!(Lang::from_tag("vi-VN"), Some(Lang::Vi));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag("*"), None);
        assert_eq!(Lang::default(), Lang::En);
    }
}
