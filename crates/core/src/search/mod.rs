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

/// A passage of a story's plain text around a match, to show under a result's summary.
///
/// `text` is a window of about [`PASSAGE_CHARS`] characters around the first match, cut at a
/// sentence or word boundary where there is one within reach; a cut end carries `…`. Line
/// breaks of the story are spaces. `marks` are byte ranges into `text` to draw as `<mark>`:
/// sorted, not overlapping, on char boundaries (give them to [`split_marked`]).
///
/// The in-memory search (with story texts) and the static archive's worker produce the same
/// shape, so a card draws either alike.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Passage {
    pub text: String,
    pub marks: Vec<Range<usize>>,
}

/// About how many characters a [`Passage`] holds (before its `…`).
pub const PASSAGE_CHARS: usize = 150;
/// At most this many characters of a passage come before its first match.
const PASSAGE_BEFORE: usize = 50;

/// The passage of `text` around the match `at`, with `ranges` (byte ranges into `text`, such
/// as [`highlight_ranges`] gives) moved into it. Bounds off char boundaries are tolerated.
pub fn passage(text: &str, at: Range<usize>, ranges: &[Range<usize>]) -> Passage {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (a, b) = (floor(at.start), floor(at.end.max(at.start)));
    let start = window_start(text, a);
    let end = window_end(text, start, b);
    let (start, end) = trimmed(text, start, end);
    let mut out = String::with_capacity(end - start + 6);
    if !text[..start].trim().is_empty() {
        out.push('…');
    }
    let shift = out.len();
    out.extend(text[start..end].chars().map(|c| if c.is_whitespace() && c.len_utf8() == 1 { ' ' } else { c }));
    if !text[end..].trim().is_empty() {
        out.push('…');
    }
    let marks = ranges
        .iter()
        .map(|r| floor(r.start).max(start)..floor(r.end).min(end))
        .filter(|r| r.start < r.end)
        .map(|r| r.start - start + shift..r.end - start + shift)
        .collect();
    Passage { text: out, marks: index::merge(marks) }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '\n')
}

/// Where a passage whose first match starts at `a` begins: after the last sentence end within
/// [`PASSAGE_BEFORE`] characters before it, else after a space, else there.
fn window_start(text: &str, a: usize) -> usize {
    let before = &text[..a];
    let Some((reach, _)) = before.char_indices().rev().nth(PASSAGE_BEFORE - 1) else { return 0 };
    let near = &before[reach..];
    if let Some((i, c)) = near.char_indices().rev().find(|&(_, c)| is_sentence_end(c)) {
        return reach + i + c.len_utf8();
    }
    match near.char_indices().find(|&(_, c)| c.is_whitespace()) {
        Some((i, c)) => reach + i + c.len_utf8(),
        None => reach,
    }
}

/// Where a passage beginning at `start` ends (never before `b`, its first match's end): about
/// [`PASSAGE_CHARS`] characters on, pulled back to a sentence end or a space in its last
/// quarter.
fn window_end(text: &str, start: usize, b: usize) -> usize {
    let rest = &text[start..];
    let Some((reach, _)) = rest.char_indices().nth(PASSAGE_CHARS) else { return text.len() };
    let reach = (start + reach).max(b);
    let slack = text[b..reach].char_indices().rev().nth(PASSAGE_CHARS / 4).map_or(b, |(i, _)| b + i);
    let tail = &text[slack..reach];
    if let Some((i, c)) = tail.char_indices().rev().find(|&(_, c)| is_sentence_end(c)) {
        return slack + i + c.len_utf8();
    }
    match tail.char_indices().rev().find(|&(_, c)| c.is_whitespace()) {
        Some((i, _)) => slack + i,
        None => reach,
    }
}

/// `start..end` without surrounding whitespace.
fn trimmed(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (start + lead, (end - trail).max(start + lead))
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
