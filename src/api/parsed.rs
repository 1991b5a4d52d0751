//! Parsed documents kept for the next request that sends the same text. A client sends the
//! same few documents again and again (an app's queries are fixed at build time); parsing
//! one was a seventh of a one-record query's instructions (Q3, callgrind: 0.625 → 0.532
//! million kept) and 4 % of a 50-candidate page's. Kept only once the document has passed every limit, and only
//! short ones, so the memory is bounded: at most [`KEPT`] documents of at most
//! [`MAX_KEPT_BYTES`] bytes of text each. The limits still run on every request, on the
//! kept parse; only the parsing is saved.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use async_graphql::Request;
use async_graphql::parser::types::ExecutableDocument;
use lru::LruCache;

/// How many documents are kept, the least recently used given up first.
pub const KEPT: usize = 128;
/// The longest document text kept.
pub const MAX_KEPT_BYTES: usize = 4096;

pub struct ParsedDocuments(Mutex<LruCache<String, Arc<ExecutableDocument>>>);

impl Default for ParsedDocuments {
    fn default() -> Self {
        ParsedDocuments(Mutex::new(LruCache::new(NonZeroUsize::new(KEPT).expect("not zero"))))
    }
}

impl ParsedDocuments {
    fn kept(&self) -> std::sync::MutexGuard<'_, LruCache<String, Arc<ExecutableDocument>>> {
        // A panic while holding the lock leaves the cache as it was: nothing to mend.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Hand `request` the parse kept for its text, if there is one; the same document is
    /// returned for what reads it after execution.
    pub fn fill(&self, request: &mut Request) -> Option<Arc<ExecutableDocument>> {
        if request.query.len() > MAX_KEPT_BYTES {
            return None;
        }
        let document = self.kept().get(request.query.as_str()).cloned()?;
        request.set_parsed_query((*document).clone());
        Some(document)
    }

    /// The parse of `request`, which has passed the limits, kept for the next request with
    /// the same text (when it is short enough) and returned.
    pub fn keep(&self, request: &mut Request) -> Option<Arc<ExecutableDocument>> {
        let document = Arc::new(request.parsed_query().ok()?.clone());
        if request.query.len() <= MAX_KEPT_BYTES {
            self.kept().put(request.query.clone(), document.clone());
        }
        Some(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_takes_the_parse_kept_for_it() {
        let parsed = ParsedDocuments::default();
        let text = "{ candidates(first: 50) { totalCount } }";
        let mut first = Request::new(text);
        assert!(parsed.fill(&mut first).is_none(), "nothing kept yet");
        let kept = parsed.keep(&mut first).expect("it parses");
        let mut second = Request::new(text);
        let filled = parsed.fill(&mut second).expect("kept");
        assert!(Arc::ptr_eq(&kept, &filled));
        assert_eq!(second.parsed_query().expect("set").operations.iter().count(), 1);
        assert!(
            parsed.fill(&mut Request::new("{ me { id } }")).is_none(),
            "another text"
        );
    }

    #[test]
    fn long_documents_and_bad_ones_are_not_kept() {
        let parsed = ParsedDocuments::default();
        let long = format!("{{ a{} }}", " ".repeat(MAX_KEPT_BYTES));
        assert!(parsed.keep(&mut Request::new(long.as_str())).is_some());
        assert!(parsed.fill(&mut Request::new(long.as_str())).is_none());
        assert!(parsed.keep(&mut Request::new("{ a ")).is_none());
        assert!(parsed.fill(&mut Request::new("{ a ")).is_none());
    }

    #[test]
    fn at_most_so_many_are_kept() {
        let parsed = ParsedDocuments::default();
        for i in 0..=KEPT {
            parsed.keep(&mut Request::new(format!("{{ a{i} }}")));
        }
        assert!(
            parsed.fill(&mut Request::new("{ a0 }")).is_none(),
            "the oldest went first"
        );
        assert!(parsed.fill(&mut Request::new(format!("{{ a{KEPT} }}"))).is_some());
        assert_eq!(parsed.kept().len(), KEPT);
    }
}
