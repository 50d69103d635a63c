//! The collection index: folded unit/class streams for all entries, facet and date tables,
//! the per-keystroke search (with reuse of the previous result set) and lazy highlights.

use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::ops::Range;

use crate::dates::DateTime;
use crate::sorting;
use std::borrow::Cow;

use super::unicode::{compose, is_composed};

use super::hangul::compat_lead_index;
use super::layout::swap_layout;
use super::normalize::{class_of, fold, head_of};
use super::query::{compile, narrows, plan, Anchor, Hay, Kind, Plan, Stats, Term};
use super::typos::Vocabulary;
use super::{Entry, Highlights, Request, Results, Sort};

/// As typed, a query finding fewer entries than this is also read in the other input mode.
const FEW: usize = 5;
/// The other input mode is taken when it finds this many times as many entries (or any, when
/// the query as typed finds none).
const FAR_MORE: usize = 10;

/// Searchable snapshot of a collection. Build once per collection, then call
/// [`Index::search`] on every keystroke. Not `Sync`: it remembers the last result set
/// so that a query typed further only re-checks the previous hits.
pub struct Index {
    entries: Vec<Entry>,
    /// Folded text of every entry, fields separated by 0, entries back to back.
    units: Vec<u16>,
    /// `class_of` of every unit: what 초성 and ASCII matching look at.
    classes: Vec<u8>,
    /// `head_of` of every unit: what syllable matching skims.
    heads: Vec<u8>,
    /// `starts[d]..starts[d + 1]` is entry `d`; one extra element at the end.
    starts: Vec<usize>,
    title_ends: Vec<usize>,
    /// Per entry, the initials present as bare consonants (ㅋㅋ): only such entries can
    /// also match a 초성 query literally, so only they get a second look for an exact hit.
    bare_consonants: Vec<u32>,
    stats: Stats,
    tags: Facet,
    authors: Facet,
    /// Position of each entry in newest-first order (undated last, then publisher order).
    newest_rank: Vec<u32>,
    newest_order: Vec<u32>,
    oldest_rank: Vec<u32>,
    oldest_order: Vec<u32>,
    memo: Cell<Option<Box<Memo>>>,
    /// The Latin words typos are matched against, gathered at the first query that needs them.
    vocabulary: OnceCell<Vocabulary>,
}

/// The three parallel streams while they are being filled.
struct Streams {
    units: Vec<u16>,
    classes: Vec<u8>,
    heads: Vec<u8>,
}

impl Streams {
    #[inline]
    fn push_unit(&mut self, u: u16) {
        self.units.push(u);
        self.classes.push(class_of(u));
        self.heads.push(head_of(u));
    }

    /// Append one folded field and its separator, noting bare consonants in `bare`.
    fn push_field(&mut self, text: &str, bare: &mut u32) {
        fold(text, &mut |c, _| match u16::try_from(u32::from(c)) {
            Ok(u) => {
                if (0x3131..=0x314E).contains(&u) {
                    if let Some(lead) = compat_lead_index(c) {
                        *bare |= 1 << lead;
                    }
                }
                self.push_unit(u);
            }
            Err(_) => {
                let mut buf = [0u16; 2];
                for &u in c.encode_utf16(&mut buf).iter() {
                    self.push_unit(u);
                }
            }
        });
        self.push_unit(0);
    }
}

struct Memo {
    terms: Vec<Term>,
    matched: Vec<Scored>,
}

/// An entry matching every term, with what relevance ranking needs.
#[derive(Clone, Copy, Debug)]
struct Scored {
    doc: u32,
    title_terms: u8,
    exact_terms: u8,
    /// Found only through a typo's correction (ranked after every exact match).
    fuzzy: bool,
}

impl Default for Index {
    fn default() -> Self {
        Index::new(Vec::new())
    }
}

impl Index {
    pub fn new(entries: Vec<Entry>) -> Index {
        // Counting chars first sizes the streams exactly (bar rare NFKC expansions), so
        // they are never copied while growing: this runs at load time in the browser.
        let capacity: usize = entries.iter().flat_map(fields).map(|t| t.chars().count() + 1).sum();
        let mut streams = Streams {
            units: Vec::with_capacity(capacity),
            classes: Vec::with_capacity(capacity),
            heads: Vec::with_capacity(capacity),
        };
        let mut starts = Vec::with_capacity(entries.len() + 1);
        let mut title_ends = Vec::with_capacity(entries.len());
        let mut bare_consonants = Vec::with_capacity(entries.len());
        let mut tags = Facet::default();
        let mut authors = Facet::default();
        for e in &entries {
            starts.push(streams.units.len());
            let mut bare = 0u32;
            for (i, text) in fields(e).enumerate() {
                streams.push_field(text, &mut bare);
                if i == 0 {
                    title_ends.push(streams.units.len().saturating_sub(1));
                }
            }
            bare_consonants.push(bare);
            tags.add(&e.tags);
            authors.add(&e.authors);
        }
        starts.push(streams.units.len());
        let Streams { units, classes, heads } = streams;
        let stats = Stats::gather(&units, &classes, &heads, &starts);

        // Sort keys: undated last in both directions, ties in publisher order. Dates are read
        // by the format's own parser (the same grammar the document was checked with).
        let dates: Vec<Option<i64>> = entries
            .iter()
            .map(|e| e.published.as_deref().and_then(DateTime::parse).map(|d| d.unix_seconds()))
            .collect();
        let key = |i: &u32| match dates.get(*i as usize).copied().flatten() {
            Some(secs) => (false, secs),
            None => (true, 0),
        };
        let mut oldest_order: Vec<u32> = (0..dates.len() as u32).collect();
        sorting::stable_by(&mut oldest_order, &|a, b| key(a).cmp(&key(b)));
        let mut newest_order: Vec<u32> = (0..dates.len() as u32).collect();
        sorting::stable_by(&mut newest_order, &|a, b| {
            let (ka, kb) = (key(a), key(b));
            // Undated stay last; dated compare reversed.
            ka.0.cmp(&kb.0).then(kb.1.cmp(&ka.1))
        });

        Index {
            newest_rank: ranks(&newest_order),
            oldest_rank: ranks(&oldest_order),
            newest_order,
            oldest_order,
            entries,
            units,
            classes,
            heads,
            starts,
            title_ends,
            bare_consonants,
            stats,
            tags,
            authors,
            memo: Cell::new(None),
            vocabulary: OnceCell::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, i: usize) -> Option<&Entry> {
        self.entries.get(i)
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Forget the remembered result set (the next search scans everything). Only
    /// benchmarks and tests need this; results never depend on it.
    pub fn clear_cache(&self) {
        self.memo.set(None);
    }

    /// The entries `req` asks for. A query typed in the wrong input mode (`dhfkzmf` for
    /// 오라클) is read in the other one when, as typed, it finds nothing or far fewer; then
    /// `corrected` says what was searched. Latin words of five letters or more also find
    /// the collection's words one edit away, after every exact match.
    pub fn search(&self, req: &Request) -> Results {
        let typed = self.search_as_typed(req, true, true);
        if req.as_typed || typed.hits.len() >= FEW {
            return typed;
        }
        let Some(other) = swap_layout(&req.query) else { return typed };
        let swapped = self.search_as_typed(&Request { query: other.clone(), ..req.clone() }, false, true);
        let far_more = swapped.hits.len() >= typed.hits.len().max(1) * FAR_MORE;
        if !swapped.hits.is_empty() && (typed.hits.is_empty() || far_more) {
            Results { corrected: Some(other), ..swapped }
        } else {
            typed
        }
    }

    /// The entries matching the query exactly as typed: no other input mode, no typos. This
    /// is what the static archive answers (`article-viewer-archive`), and its reference.
    pub fn search_exact(&self, req: &Request) -> Results {
        self.search_as_typed(req, true, false)
    }

    /// The query as typed (with its typo corrections when `typos`); `remember` keeps the
    /// result set for the next keystroke.
    fn search_as_typed(&self, req: &Request, remember: bool, typos: bool) -> Results {
        let terms = compile(&req.query);
        let mut matched = self.matching(terms.clone(), remember);
        if typos {
            self.add_typo_matches(&req.query, &mut matched);
        }
        let tag_sel = self.tags.selection(&req.tags);
        let author_sel = self.authors.selection(&req.authors);
        let mut tag_counts = vec![0u32; self.tags.names.len()];
        let mut author_counts = vec![0u32; self.authors.names.len()];
        let mut hits = Vec::with_capacity(matched.len());
        for m in &matched {
            let d = m.doc as usize;
            let doc_tags = self.tags.of(d);
            let doc_authors = self.authors.of(d);
            let tag_ok = tag_sel.admits(doc_tags);
            let author_ok = author_sel.admits(doc_authors);
            // Disjunctive faceting: a facet's counts ignore that facet's own selection.
            if author_ok {
                bump(&mut tag_counts, doc_tags);
            }
            if tag_ok {
                bump(&mut author_counts, doc_authors);
            }
            if tag_ok && author_ok {
                hits.push(*m);
            }
        }
        Results {
            hits: self.order(hits, req.sort, !terms.is_empty()),
            tag_counts: self.tags.report(&tag_counts, &tag_sel),
            author_counts: self.authors.report(&author_counts, &author_sel),
            corrected: None,
        }
    }

    fn vocabulary(&self) -> &Vocabulary {
        self.vocabulary.get_or_init(|| Vocabulary::new(self.entries.iter().flat_map(fields).map(String::as_str)))
    }

    /// Appends the entries that only a typo's correction finds, marked fuzzy.
    fn add_typo_matches(&self, query: &str, matched: &mut Vec<Scored>) {
        if !query.split_whitespace().any(super::typos::eligible) {
            return;
        }
        let rewrites = self.vocabulary().rewrites(query);
        if rewrites.is_empty() {
            return;
        }
        let mut seen = vec![false; self.entries.len()];
        for m in matched.iter() {
            seen[m.doc as usize] = true;
        }
        for rewrite in rewrites {
            for m in self.matching(compile(&rewrite), false) {
                if !std::mem::replace(&mut seen[m.doc as usize], true) {
                    matched.push(Scored { fuzzy: true, ..m });
                }
            }
        }
    }

    /// Entries matching every term, in publisher order.
    fn matching(&self, terms: Vec<Term>, remember: bool) -> Vec<Scored> {
        if terms.is_empty() {
            return (0..self.entries.len() as u32)
                .map(|doc| Scored { doc, title_terms: 0, exact_terms: 0, fuzzy: false })
                .collect();
        }
        let mut planned: Vec<(Term, Plan)> = terms.iter().map(|t| (t.clone(), plan(t, &self.stats))).collect();
        // Rarest first: most entries are rejected by the first term.
        sorting::stable_by(&mut planned, &|a, b| a.1.cost.cmp(&b.1.cost));

        if !remember {
            return self.scan_all(&planned);
        }
        let previous = self.memo.take();
        let matched = match previous {
            Some(m) if m.terms == terms => m.matched,
            Some(m) if m.terms.iter().all(|wide| terms.iter().any(|t| narrows(t, wide))) => {
                m.matched.iter().filter_map(|s| self.score(s.doc as usize, &planned, None)).collect()
            }
            _ => self.scan_all(&planned),
        };
        self.memo.set(Some(Box::new(Memo { terms, matched: matched.clone() })));
        matched
    }

    fn hay(&self, precise: bool) -> Hay<'_> {
        Hay { units: &self.units, classes: &self.classes, heads: &self.heads, precise }
    }

    /// Skim the whole collection for the rarest term, scoring only entries that have it.
    fn scan_all(&self, planned: &[(Term, Plan)]) -> Vec<Scored> {
        let mut out = Vec::new();
        let Some((driver, driver_plan)) = planned.first() else { return out };
        let hay = self.hay(false);
        let total = self.units.len();
        let mut doc = 0usize;
        let mut from = 0usize;
        while let Some((start, kind, _)) = hay.find(driver, driver_plan, 0, total, from) {
            while self.starts.get(doc + 1).is_some_and(|&s| s <= start) {
                doc += 1;
            }
            if let Some(s) = self.score(doc, planned, Some((start, kind))) {
                out.push(s);
            }
            match self.starts.get(doc + 1) {
                Some(&next) => from = next,
                None => break,
            }
        }
        out
    }

    /// `None` unless entry `doc` matches every term. `first` is the first occurrence of
    /// the first term in this entry, when the caller already found it.
    fn score(&self, doc: usize, planned: &[(Term, Plan)], first: Option<(usize, Kind)>) -> Option<Scored> {
        let lo = *self.starts.get(doc)?;
        let hi = *self.starts.get(doc + 1)?;
        let title_end = *self.title_ends.get(doc)?;
        let bare = self.bare_consonants.get(doc).copied().unwrap_or(0);
        let hay = self.hay(false);
        let mut title_terms = 0u8;
        let mut exact_terms = 0u8;
        for (i, (term, p)) in planned.iter().enumerate() {
            let (at, mut kind) = match first.filter(|_| i == 0) {
                Some(known) => known,
                None => hay.find(term, p, lo, hi, lo).map(|(a, k, _)| (a, k))?,
            };
            // The title comes first, so the first occurrence decides whether it is hit.
            if at < title_end {
                title_terms = title_terms.saturating_add(1);
            }
            if kind == Kind::Initial && term.bare_needed & bare == term.bare_needed {
                if let Some((pos, jamo)) = p.literal {
                    let literal = Plan { pos, anchor: Anchor::Unit(jamo), cost: 0, literal: None };
                    let mut from = lo;
                    while let Some((a, k, _)) = self.hay(true).find(term, &literal, lo, hi, from) {
                        if k == Kind::Exact {
                            kind = k;
                            break;
                        }
                        from = a + 1;
                    }
                }
            }
            if kind == Kind::Exact {
                exact_terms = exact_terms.saturating_add(1);
            }
        }
        Some(Scored { doc: doc as u32, title_terms, exact_terms, fuzzy: false })
    }

    fn order(&self, hits: Vec<Scored>, sort: Sort, has_query: bool) -> Vec<usize> {
        let by_rank = |rank: &[u32], order: &[u32]| -> Vec<usize> {
            let mut r: Vec<u32> = hits.iter().filter_map(|s| rank.get(s.doc as usize).copied()).collect();
            sorting::keys(&mut r);
            r.iter().filter_map(|&i| order.get(i as usize)).map(|&d| d as usize).collect()
        };
        match sort {
            Sort::Relevance if has_query => {
                // One u64 per hit: exact before fuzzy, more title terms, then more exact
                // terms, then the newest-first rank, which is unique and breaks date ties.
                let mut keys: Vec<u64> = hits
                    .iter()
                    .map(|s| {
                        let rank = self.newest_rank.get(s.doc as usize).copied().unwrap_or(u32::MAX);
                        (u64::from(s.fuzzy) << 48)
                            | (u64::from(255 - s.title_terms) << 40)
                            | (u64::from(255 - s.exact_terms) << 32)
                            | u64::from(rank)
                    })
                    .collect();
                sorting::keys(&mut keys);
                keys.iter()
                    .filter_map(|&k| self.newest_order.get((k & 0xFFFF_FFFF) as usize))
                    .map(|&d| d as usize)
                    .collect()
            }
            // Relevance means nothing without a query: the empty query lists newest first.
            Sort::Relevance | Sort::Newest => by_rank(&self.newest_rank, &self.newest_order),
            Sort::Oldest => by_rank(&self.oldest_rank, &self.oldest_order),
        }
    }

    /// Byte ranges to mark in the entry's original title and summary; computed on demand
    /// because only the displayed hits need them.
    /// The words a typo's correction found are marked too.
    pub fn highlights(&self, doc: usize, query: &str) -> Highlights {
        let Some(e) = self.entries.get(doc) else { return Highlights::default() };
        if !query.split_whitespace().any(super::typos::eligible) {
            return highlights(&e.title, &e.summary, query);
        }
        let mut with_corrections = query.to_string();
        for rewrite in self.vocabulary().rewrites(query) {
            with_corrections.push(' ');
            with_corrections.push_str(&rewrite);
        }
        highlights(&e.title, &e.summary, &with_corrections)
    }
}

/// The ranges of `query` to mark in a title and a summary (the query compiled once).
pub fn highlights(title: &str, summary: &str, query: &str) -> Highlights {
    let terms = compile(query);
    Highlights { title: mark(title, &terms), summary: mark(summary, &terms) }
}

/// Byte ranges of `text` (any field, un-normalised) matched by the terms of `query`:
/// sorted, merged, on char boundaries.
pub fn highlight_ranges(text: &str, query: &str) -> Vec<Range<usize>> {
    mark(text, &compile(query))
}

fn mark(text: &str, terms: &[Term]) -> Vec<Range<usize>> {
    if terms.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let mut units = Vec::new();
    let mut origin: Vec<Range<usize>> = Vec::new();
    let mut buf = [0u16; 2];
    fold(text, &mut |c, r| {
        for &u in c.encode_utf16(&mut buf).iter() {
            units.push(u);
            origin.push(r.clone());
        }
    });
    let classes: Vec<u8> = units.iter().map(|&u| class_of(u)).collect();
    let heads: Vec<u8> = units.iter().map(|&u| head_of(u)).collect();
    let hay = Hay { units: &units, classes: &classes, heads: &heads, precise: false };
    let mut ranges = Vec::new();
    for term in terms {
        let mut from = 0;
        while let Some((start, _, len)) = hay.find(term, &Plan::EVERY, 0, units.len(), from) {
            let first = origin.get(start).map(|r| r.start);
            let last = origin.get(start + len.saturating_sub(1)).map(|r| r.end);
            if let (Some(a), Some(b)) = (first, last) {
                ranges.push(a..b);
            }
            from = start + 1;
        }
    }
    merge(ranges)
}

/// Sort and merge overlapping or touching ranges.
pub(crate) fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    sorting::stable_by(&mut ranges, &|a, b| (a.start, a.end).cmp(&(b.start, b.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Searched fields in stream order; the title must stay first (see `title_ends`).
pub(crate) fn fields(e: &Entry) -> impl Iterator<Item = &String> {
    [&e.title, &e.subtitle, &e.summary].into_iter().chain(&e.picks).chain(&e.tags).chain(&e.authors)
}

fn ranks(order: &[u32]) -> Vec<u32> {
    let mut rank = vec![0u32; order.len()];
    for (i, &d) in order.iter().enumerate() {
        if let Some(r) = rank.get_mut(d as usize) {
            *r = i as u32;
        }
    }
    rank
}

fn bump(counts: &mut [u32], ids: &[u32]) {
    for &id in ids {
        if let Some(c) = counts.get_mut(id as usize) {
            *c += 1;
        }
    }
}

/// Facet values are compared in NFC with surrounding whitespace trimmed, so a tag typed
/// on macOS (NFD) and the same tag typed elsewhere are one facet.
pub fn facet_key(value: &str) -> Cow<'_, str> {
    let trimmed = value.trim();
    if is_composed(trimmed) {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(compose(trimmed).collect())
    }
}

#[derive(Default)]
struct Facet {
    names: Vec<String>,
    ids: HashMap<String, u32>,
    /// `members[offsets[d]..offsets[d + 1]]` are entry `d`'s distinct value ids.
    offsets: Vec<usize>,
    members: Vec<u32>,
}

/// Selected values of one facet (also the static archive's, `crate::archive`).
pub struct Selection {
    chosen: Vec<bool>,
    pub active: bool,
    unknown: Vec<String>,
}

impl Selection {
    /// The selection of `wanted` among `len` values, `id` naming each.
    pub fn new(id: &dyn Fn(&str) -> Option<u32>, len: usize, wanted: &[String]) -> Selection {
        let mut sel = Selection { chosen: vec![false; len], active: false, unknown: Vec::new() };
        for w in wanted {
            let key = facet_key(w);
            if key.is_empty() {
                continue;
            }
            sel.active = true;
            match id(key.as_ref()).and_then(|id| sel.chosen.get_mut(id as usize)) {
                Some(c) => *c = true,
                None if !sel.unknown.iter().any(|u| u == key.as_ref()) => sel.unknown.push(key.into_owned()),
                None => {}
            }
        }
        sel
    }

    /// The one value selected, when exactly one known value is.
    pub fn only(&self) -> Option<u32> {
        let mut chosen = self.chosen.iter().enumerate().filter(|(_, &c)| c).map(|(i, _)| i as u32);
        match (chosen.next(), chosen.next()) {
            (Some(id), None) if self.active && self.unknown.is_empty() => Some(id),
            _ => None,
        }
    }

    pub fn admits(&self, ids: &[u32]) -> bool {
        !self.active || ids.iter().any(|&i| self.chosen.get(i as usize).copied().unwrap_or(false))
    }

    /// Values with a nonzero count, plus selected ones even at zero (so the UI can still
    /// show and clear them); by count descending, then name. `name(i)` names value i.
    pub fn report(&self, len: usize, name: &dyn Fn(usize) -> String, counts: &[u32]) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = (0..len)
            .filter_map(|i| {
                let n = counts.get(i).copied().unwrap_or(0);
                (n > 0 || self.chosen.get(i).copied().unwrap_or(false)).then(|| (name(i), n as usize))
            })
            .collect();
        out.extend(self.unknown.iter().map(|k| (k.clone(), 0)));
        sorting::stable_by(&mut out, &|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

impl Facet {
    fn add(&mut self, values: &[String]) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        let first = self.members.len();
        for v in values {
            let key = facet_key(v);
            if key.is_empty() {
                continue;
            }
            let id = match self.ids.get(key.as_ref()) {
                Some(&id) => id,
                None => {
                    let id = self.names.len() as u32;
                    self.ids.insert(key.to_string(), id);
                    self.names.push(key.into_owned());
                    id
                }
            };
            if !self.members.get(first..).is_some_and(|m| m.contains(&id)) {
                self.members.push(id);
            }
        }
        self.offsets.push(self.members.len());
    }

    fn of(&self, doc: usize) -> &[u32] {
        match (self.offsets.get(doc), self.offsets.get(doc + 1)) {
            (Some(&a), Some(&b)) => self.members.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn selection(&self, wanted: &[String]) -> Selection {
        Selection::new(&|k| self.ids.get(k).copied(), self.names.len(), wanted)
    }

    fn report(&self, counts: &[u32], sel: &Selection) -> Vec<(String, usize)> {
        sel.report(self.names.len(), &|i| self.names.get(i).cloned().unwrap_or_default(), counts)
    }
}
