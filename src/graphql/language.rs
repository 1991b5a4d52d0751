//! The reader's language, from `Accept-Language` (RFC 9110 §12.5.4): the supported
//! language with the highest weight, the earlier one on a tie; English when the header is
//! absent, names neither language, or gives each a weight of 0.

use axum::http::{HeaderMap, header};

use crate::error::Lang;

/// The language a request's headers prefer among those Ketnap speaks.
pub fn preferred(headers: &HeaderMap) -> Lang {
    headers
        .get_all(header::ACCEPT_LANGUAGE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(weighted)
        .filter(|(_, q)| *q > 0)
        // The first of the heaviest: `max_by_key` keeps the last, so compare reversed order.
        .enumerate()
        .max_by_key(|(i, (_, q))| (*q, std::cmp::Reverse(*i)))
        .map_or(Lang::default(), |(_, (lang, _))| lang)
}

/// One entry of the header (`vi-VN;q=0.8`): the language it names, if Ketnap speaks it,
/// and its weight in thousandths (1000 when none is given).
fn weighted(entry: &str) -> Option<(Lang, u16)> {
    let mut parts = entry.split(';');
    let lang = Lang::from_tag(parts.next()?.trim())?;
    let mut q = 1000;
    for param in parts {
        let (name, value) = param.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("q") {
            let value: f32 = value.trim().parse().ok()?;
            if !(0.0..=1.0).contains(&value) {
                return None;
            }
            q = (value * 1000.0).round() as u16;
        }
    }
    Some((lang, q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn of(value: &str) -> Lang {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(value).unwrap());
        preferred(&headers)
    }

    #[test]
    fn vietnamese_when_asked_for_first_or_weighed_highest() {
        assert_eq!(of("vi"), Lang::Vi);
        assert_eq!(of("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"), Lang::Vi);
        assert_eq!(of("en;q=0.5, vi;q=0.6"), Lang::Vi);
        assert_eq!(of("fr, vi;q=0.2"), Lang::Vi);
    }

    #[test]
    fn english_otherwise() {
        assert_eq!(preferred(&HeaderMap::new()), Lang::En);
        assert_eq!(of("en-GB,vi;q=0.9"), Lang::En);
        assert_eq!(of("en, vi"), Lang::En, "the earlier of equal weights");
        assert_eq!(of("fr, de;q=0.5"), Lang::En);
        assert_eq!(of("vi;q=0"), Lang::En, "a weight of 0 refuses the language");
        assert_eq!(of("vi;q=2"), Lang::En, "an impossible weight is ignored");
        assert_eq!(of("*"), Lang::En);
    }
}
