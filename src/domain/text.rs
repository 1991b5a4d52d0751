//! Text handling for Vietnamese: one canonical stored form, and a folded form for search.
//!
//! Input arrives composed (NFC, Windows keyboards) or decomposed (NFD, macOS), with stray
//! spaces. Names are stored in NFC with whitespace collapsed; search compares a key with
//! the diacritics, "đ" and case folded away, so "nguyen van an" finds "Nguyễn Văn An".

use crate::lang::Text;
use crate::tr;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// NFC, trimmed, inner runs of whitespace collapsed to one space.
pub fn canonical(input: &str) -> String {
    let composed: String = input.nfc().collect();
    composed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The search key: diacritics removed, đ → d, lower case, whitespace collapsed.
pub fn search_key(input: &str) -> String {
    let folded: String = input
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The longest search text accepted: longer than any name, short enough that a pattern
/// costs the database nothing.
pub const MAX_SEARCH_CHARS: usize = 100;

/// A search text as typed: at most [`MAX_SEARCH_CHARS`] characters.
pub fn parse_search(input: Option<String>) -> Result<Option<String>, Text> {
    match input {
        Some(s) if s.chars().count() > MAX_SEARCH_CHARS => {
            Err(tr!("is longer than 100 characters", "dài quá 100 ký tự"))
        }
        other => Ok(other),
    }
}

/// A `LIKE` pattern matching `needle` anywhere, with `%`, `_` and the escape character
/// itself escaped by `\`, so that they match only themselves.
pub fn like_contains(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A human name or title: canonical form, 1 to `max_chars` characters, no control characters.
/// An optional label: absent or blank is none, anything else must be a valid label.
pub fn parse_optional_label(input: Option<String>, max_chars: usize) -> Result<Option<String>, Text> {
    input
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_label(&s, max_chars))
        .transpose()
}

pub fn parse_label(input: &str, max_chars: usize) -> Result<String, Text> {
    let value = canonical(input);
    if value.is_empty() {
        return Err(tr!("must not be empty", "không được để trống"));
    }
    if value.chars().count() > max_chars {
        return Err(tr!("is too long", "quá dài"));
    }
    if value.chars().any(char::is_control) {
        return Err(tr!(
            "must not contain control characters",
            "không được chứa ký tự điều khiển"
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_match_only_themselves() {
        assert_eq!(like_contains("an"), "%an%");
        assert_eq!(like_contains("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }

    #[test]
    fn search_is_bounded() {
        assert_eq!(
            parse_search(Some("x".repeat(100))).map(|s| s.map(|s| s.len())),
            Ok(Some(100))
        );
        assert!(parse_search(Some("x".repeat(101))).is_err());
        assert_eq!(parse_search(None), Ok(None));
    }

    #[test]
    fn composed_and_decomposed_input_store_the_same() {
        let nfd = "Nguye\u{302}\u{303}n Va\u{306}n An";
        assert_eq!(canonical(nfd), "Nguyễn Văn An");
        assert_eq!(canonical("  Nguyễn   Văn\tAn "), "Nguyễn Văn An");
    }

    #[test]
    fn search_key_folds_diacritics_d_and_case() {
        assert_eq!(search_key("Nguyễn Văn An"), "nguyen van an");
        assert_eq!(search_key("ĐẢNG ỦY Xã Đồng Tâm"), "dang uy xa dong tam");
        assert_eq!(search_key("Nguye\u{302}\u{303}n"), "nguyen");
    }

    #[test]
    fn labels_are_bounded() {
        assert_eq!(parse_label("  Chi bộ  thôn 1 ", 50), Ok("Chi bộ thôn 1".to_string()));
        assert!(parse_label("   ", 50).is_err());
        assert!(parse_label("ab", 1).is_err());
        assert!(parse_label("a\u{7}b", 10).is_err());
    }
}
