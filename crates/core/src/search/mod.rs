//! Korean-aware collection search: the public request/result types and `<mark>` splitting.
//! Folding is in `normalize`, Hangul tables in `hangul`, matching in `query`, storage in `index`.
//!
//! Matching rules, in short: the query is split on whitespace and every term must occur
//! (as a substring of some searched field) in an entry. NFC/NFD, case and full-width
//! forms are folded. A bare consonant (ㅇ, ㄲ ...) matches any syllable with that
//! initial, so 초성 and mixed queries (ㅇㄹㅋ, 오ㄹㅋ) work. Syllables must match exactly,
//! except the last one of a term, which may still be under IME composition: 라 also
//! matches 락/란/..., 고 matches 과, and a last tail may be the next syllable's initial
//! (랔 matches 라 + 클, 닭 matches 달 + 걀).

pub mod hangul;
pub mod index;
pub mod layout;
pub mod normalize;
mod query;
mod scan;
mod terms;
#[cfg(test)]
mod tests;
pub mod typos;
pub mod unicode;

use std::ops::Range;

pub use hangul::{decompose, initial_jamo, to_jamo, Syllable};
pub use index::{facet_key, highlight_ranges, highlights, Index};
pub use normalize::{initials, normalize};
pub use terms::{field_tokens, query_terms, searched_fields, token_streams, unit_class, QueryTerm};

/// One searchable item. Searched fields: title, subtitle, summary, picks (Editor's Pick
/// points), tags and authors. `published` is an RFC 3339 timestamp as the article format
/// accepts it (`DateTime::parse`); it only affects ordering.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub title: String,
    pub subtitle: String,
    pub summary: String,
    pub picks: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub published: Option<String>,
}

/// What the user asked for. Tags (and authors) are OR-ed within the facet and AND-ed
/// across facets; they are compared after trimming and NFC.
#[derive(Default, Clone, PartialEq, Eq, Debug)]
pub struct Request {
    pub query: String,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub sort: Sort,
    /// Search the query only as typed: never read it in the other input mode (the reader
    /// asked for exactly what they typed).
    pub as_typed: bool,
}

#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sort {
    /// Title hits first, then exact (syllable) hits before 초성-only hits, then newest.
    /// With an empty query: newest first (relevance needs a query).
    #[default]
    Relevance,
    /// Newest first; entries without a parseable date last, then publisher order.
    Newest,
    /// Oldest first; entries without a parseable date last, then publisher order.
    Oldest,
}

impl Sort {
    /// Parse the URL form (`relevance`, `newest`, `oldest`; ASCII case-insensitive).
    pub fn parse(s: &str) -> Option<Sort> {
        let s = s.trim();
        [Sort::Relevance, Sort::Newest, Sort::Oldest].into_iter().find(|v| v.as_str().eq_ignore_ascii_case(s))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        }
    }
}

/// Search outcome. Facet counts are disjunctive: `tag_counts` counts entries matching
/// the query and the author selection (ignoring the tag selection), `author_counts`
/// likewise with the roles swapped. Listed: every value with a nonzero count, plus
/// selected values even at 0; ordered by count descending, then by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    /// Entry indices in display order.
    pub hits: Vec<usize>,
    pub tag_counts: Vec<(String, usize)>,
    pub author_counts: Vec<(String, usize)>,
    /// The query as read in the other input mode (오라클 for `dhfkzmf`), when that is what
    /// was searched because the query as typed found nothing or far fewer.
    pub corrected: Option<String>,
}

/// Byte ranges into the original (un-normalised) title and summary: sorted, merged,
/// on char boundaries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlights {
    pub title: Vec<Range<usize>>,
    pub summary: Vec<Range<usize>>,
}

/// Split `text` into (segment, is_marked) pieces from ranges; UI uses this to render <mark>.
/// Tolerates unsorted, overlapping or out-of-bounds ranges; a bound inside a char is
/// widened to the whole char. Empty pieces are omitted.
pub fn split_marked<'a>(text: &'a str, ranges: &[Range<usize>]) -> Vec<(&'a str, bool)> {
    let widen_start = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let widen_end = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let clean = index::merge(ranges.iter().map(|r| widen_start(r.start)..widen_end(r.end)).collect());
    let mut out = Vec::with_capacity(clean.len() * 2 + 1);
    let mut at = 0;
    for r in clean {
        if let Some(plain) = text.get(at..r.start).filter(|s| !s.is_empty()) {
            out.push((plain, false));
        }
        if let Some(marked) = text.get(r.start..r.end).filter(|s| !s.is_empty()) {
            out.push((marked, true));
        }
        at = r.end;
    }
    if let Some(rest) = text.get(at..).filter(|s| !s.is_empty()) {
        out.push((rest, false));
    }
    out
}
