//! The query engine: answers a [`Request`] over an archive from the files it has been
//! given, or says which files it still needs. No I/O: the caller fetches (in parallel),
//! calls [`Archive::provide`] for each file and asks again.

use std::cell::Cell;
use std::rc::Rc;

use super::codec::{bucket, names, Corrupt, In, Read, IDS_PER_BYTE};
use super::files::{
    find_answer, read_set_ref, read_store, read_term_tokens, read_tokens, Answer, Facets, Manifest, Pages, PairFile,
    SetRef, TermSet, EXACT, TITLE,
};
use crate::search::index::Selection;
use crate::search::{query_terms, QueryTerm, Request, Sort};
use crate::sorting;

/// What a search needs next, or its outcome.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Fetch these files (relative to the manifest), provide them, and search again.
    Need(Vec<String>),
    Done(Page),
}

/// One page of results, with the counts of the whole result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Entries matching the query and the selected facets.
    pub total: usize,
    /// As [`crate::search::Results`]: disjunctive, nonzero or selected, by count then name.
    pub tag_counts: Vec<(String, usize)>,
    pub author_counts: Vec<(String, usize)>,
    /// False when the counts were not asked for ([`Archive::search_hits`]) and would have
    /// cost files: the lists are then empty.
    pub counted: bool,
    pub hits: Vec<Hit>,
}

/// An entry of the page: its archive id (newest first), its place in the publisher's
/// collection, and its Summary as format-v1 JSON (`format::parse_summary`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub id: u32,
    pub publisher: u32,
    pub json: String,
}

/// One entry of the engine's cache.
enum Cached {
    /// Read when used: answer and dictionary buckets, token lists, orders, ties, the
    /// facet column's chunks.
    Raw(Vec<u8>),
    Set(Rc<TermSet>),
    Pairs(Rc<PairFile>),
    Facets(Rc<Facets>),
    Store(Rc<Vec<(u32, String)>>),
    Resolved(Rc<Resolved>),
    Carrier(Rc<Carrier>),
}

/// A cache key for a term: a prefix, then its key's bytes as hex.
fn term_key(prefix: &str, key: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(prefix.len() + key.len() * 2);
    s.push_str(prefix);
    for &b in key {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s
}

/// What is known without sets: the empty query's or one answered term's figures.
struct Known<'a> {
    total: u32,
    tags: Vec<u32>,
    authors: Vec<u32>,
    pages: &'a Pages,
    entries: &'a [(u32, String)],
}

enum Resolved {
    Nothing,
    Answer(Box<Answer>),
    /// Found through the dictionary: the union of the matched tokens' sets.
    Set(Rc<TermSet>),
}

/// An opened archive and everything fetched for it so far (files are immutable, so
/// nothing is ever fetched twice).
pub struct Archive {
    m: Manifest,
    /// Everything fetched or built, by file name (`r:`/`c:` and the term's key for what a
    /// term resolved to and where its facet ids are). One map: each map type costs the
    /// browser build its own copy of the hash table's code.
    cache: Vec<(String, Cached)>,
    /// The request being answered: caches are only trimmed between requests.
    current: Option<Request>,
    /// What the caches may hold, roughly, in bytes.
    budget: usize,
    /// Ids that sets written as their complement may still expand to, beyond what their
    /// bytes hold, while answering the current request ([`question_grant`]).
    spare: Cell<u64>,
}

/// What a request may decode beyond [`IDS_PER_BYTE`] ids per byte read: a set of (almost)
/// every entry, written in a few bytes, for each term and for four more (the selected tag's
/// and author's sets, and room to spare), with a floor for small archives. An honest archive
/// writes a set that way only when it holds over half the entries, and a request reads one
/// per term; a tampered one that names such sets over and over is refused when this runs out.
pub fn question_grant(docs: u32, terms: usize) -> u64 {
    (terms.min(32) as u64 + 4) * u64::from(docs.max(1 << 16))
}

/// Default for [`Archive::set_budget`]: well inside the tab's 60 MB at a million entries.
pub const CACHE_BUDGET: usize = 16 << 20;

fn set_bytes(s: &TermSet) -> usize {
    s.docs.len() * 5 + s.facets.as_ref().map_or(0, facets_bytes)
}

fn facets_bytes(f: &Facets) -> usize {
    f.ids.len() * 4 + f.offsets.len() * 4 + f.tag_counts.len()
}

fn report(names: &[(String, u32)], counts: &[u32], sel: &Selection) -> Vec<(String, usize)> {
    sel.report(names.len(), &|i| names.get(i).map(|n| n.0.clone()).unwrap_or_default(), counts)
}

/// An entry of the result with what relevance needs.
#[derive(Clone, Copy)]
struct Scored {
    id: u32,
    title_terms: u8,
    exact_terms: u8,
}

/// Which results the caller asked for: `offset..offset + limit` (`want` is the end), with
/// their entries or not, with the facet counts whatever they cost or not.
#[derive(Clone, Copy)]
struct Window {
    offset: usize,
    limit: usize,
    want: usize,
    entries: bool,
    counts: bool,
}

/// A request as the stages of [`Archive::run`] see it: its terms and what they resolved
/// to, the facet selections, and the window asked for.
struct Question<'q> {
    req: &'q Request,
    terms: Vec<QueryTerm>,
    resolved: Vec<Rc<Resolved>>,
    tag_sel: Selection,
    author_sel: Selection,
    /// The one tag, and the one author, selected, if so.
    tag_only: Option<u32>,
    author_only: Option<u32>,
    selecting: bool,
    w: Window,
}

impl<'q> Question<'q> {
    fn new(m: &Manifest, req: &'q Request, terms: Vec<QueryTerm>, resolved: Vec<Rc<Resolved>>, w: Window) -> Self {
        let find = |f: &[(String, u32)], k: &str| f.iter().position(|(n, _)| n == k).map(|i| i as u32);
        let tag_sel = Selection::new(&|k| find(&m.tags, k), m.tags.len(), &req.tags);
        let author_sel = Selection::new(&|k| find(&m.authors, k), m.authors.len(), &req.authors);
        let selecting = tag_sel.active || author_sel.active;
        let (tag_only, author_only) = (tag_sel.only(), author_sel.only());
        Question { req, terms, resolved, tag_sel, author_sel, tag_only, author_only, selecting, w }
    }
}

/// A pair file, with the tag and author counts it starts from.
type Pairs = (Rc<PairFile>, Vec<u32>, Vec<u32>);

/// Where the matched entries' facet ids are read.
enum Source {
    Carrier(Rc<Carrier>),
    /// The facet column, its chunks fetched.
    Column,
}

/// The matched entries the facet selection keeps, and the facet counts (`complete` false
/// when they were left out).
struct Filtered {
    hits: Vec<Scored>,
    tag_counts: Vec<(String, usize)>,
    author_counts: Vec<(String, usize)>,
    complete: bool,
}

/// Counts listed sparsely, as `len` counts.
fn dense(c: &[(u32, u32)], len: usize) -> Vec<u32> {
    let mut v = vec![0u32; len];
    for &(i, n) in c {
        if let Some(x) = v.get_mut(i as usize) {
            *x = n;
        }
    }
    v
}

/// The first `want` hits by relevance: more title terms, then more exact terms, then the
/// id. Hits already ascend by id, so a page is read group by group, without sorting them
/// all.
fn by_relevance(hits: &[Scored], want: usize) -> Vec<u32> {
    let group = |s: &Scored| u32::from(255 - s.title_terms) << 8 | u32::from(255 - s.exact_terms);
    let mut groups: Vec<u32> = Vec::new();
    for s in hits {
        let g = group(s);
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    sorting::keys(&mut groups);
    let mut out = Vec::with_capacity(want.min(hits.len()));
    for g in groups {
        if out.len() >= want {
            break;
        }
        out.extend(hits.iter().filter(|s| group(s) == g).map(|s| s.id).take(want - out.len()));
    }
    out
}

impl Archive {
    /// Opens an archive from its manifest's bytes (inflated).
    pub fn open(manifest: &[u8]) -> Read<Archive> {
        let m = Manifest::read(manifest).map_err(|e| e.in_file("manifest.bin"))?;
        let spare = Cell::new(question_grant(m.docs, 0));
        Ok(Archive { m, cache: Vec::new(), current: None, budget: CACHE_BUDGET, spare })
    }

    /// Roughly how many bytes fetched files and what was built from them may hold before
    /// a new request starts from empty caches (never in the middle of one).
    pub fn set_budget(&mut self, bytes: usize) {
        self.budget = bytes;
    }

    /// Roughly the bytes the caches hold now.
    pub fn cached_bytes(&self) -> usize {
        self.cache
            .iter()
            .map(|(_, c)| match c {
                Cached::Raw(b) => b.len(),
                Cached::Set(s) => set_bytes(s),
                Cached::Pairs(p) => set_bytes(&p.set) + (p.tags.len() + p.authors.len()) * 128,
                Cached::Facets(f) => facets_bytes(f),
                Cached::Store(c) => c.iter().map(|(_, j)| j.len() + 8).sum::<usize>(),
                Cached::Resolved(r) => match r.as_ref() {
                    Resolved::Set(s) => set_bytes(s),
                    Resolved::Answer(a) => a.entries.iter().map(|(_, j)| j.len()).sum::<usize>() + 512,
                    Resolved::Nothing => 0,
                },
                Cached::Carrier(c) => c.parts.iter().filter(|p| p.1.is_none()).map(|p| set_bytes(&p.0)).sum::<usize>(),
            })
            .sum()
    }

    /// A cached file or term (a list searched from the end: a session holds a few
    /// thousand, and a hash map of its own would cost the browser build its code).
    fn cached(&self, name: &str) -> Option<&Cached> {
        self.cache.iter().rev().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    fn keep(&mut self, name: String, value: Cached) {
        self.cache.retain(|(n, _)| *n != name);
        self.cache.push((name, value));
    }

    /// Drops everything fetched (the manifest stays).
    pub fn forget(&mut self) {
        self.cache.clear();
    }

    fn raw(&self, name: &str) -> Option<&Vec<u8>> {
        match self.cached(name)? {
            Cached::Raw(b) => Some(b),
            _ => None,
        }
    }

    fn set_file(&self, n: u32) -> Option<Rc<TermSet>> {
        match self.cached(&names::set(n))? {
            Cached::Set(s) => Some(s.clone()),
            _ => None,
        }
    }

    fn token_facets(&self, n: u32) -> Option<Rc<Facets>> {
        match self.cached(&names::set_facets(n))? {
            Cached::Facets(f) => Some(f.clone()),
            _ => None,
        }
    }

    fn store(&self, chunk: u32) -> Option<Rc<Vec<(u32, String)>>> {
        match self.cached(&names::store(chunk))? {
            Cached::Store(s) => Some(s.clone()),
            _ => None,
        }
    }

    fn resolved(&self, key: &[u8]) -> Option<Rc<Resolved>> {
        match self.cached(&term_key("r:", key))? {
            Cached::Resolved(r) => Some(r.clone()),
            _ => None,
        }
    }

    fn faceted(&self, key: &[u8]) -> Option<Rc<Carrier>> {
        match self.cached(&term_key("c:", key))? {
            Cached::Carrier(c) => Some(c.clone()),
            _ => None,
        }
    }

    pub fn manifest(&self) -> &Manifest {
        &self.m
    }

    /// Number of entries in the archive.
    pub fn len(&self) -> usize {
        self.m.docs as usize
    }

    pub fn is_empty(&self) -> bool {
        self.m.docs == 0
    }

    /// Reads `bytes` (from file `name`) with `f`, which may expand sets written as their
    /// complement to [`IDS_PER_BYTE`] ids per byte, and beyond that to what is left of the
    /// request's grant; errors name the file.
    fn decode<'b, T>(&self, name: &str, bytes: &'b [u8], f: impl FnOnce(&mut In<'b>) -> Read<T>) -> Read<T> {
        let grant = self.spare.get();
        let mut r = In::with_spare(bytes, grant);
        let out = f(&mut r).map_err(|e| e.in_file(name));
        let own = (bytes.len() as u64).saturating_mul(IDS_PER_BYTE);
        let spent = own.saturating_add(grant).saturating_sub(r.spare());
        self.spare.set(grant.saturating_sub(spent.saturating_sub(own)));
        out
    }

    /// Ids the current request may still expand beyond the bytes it read.
    pub fn spare_ids(&self) -> u64 {
        self.spare.get()
    }

    /// Hands over a fetched file (inflated). Set, token facet and entry files are decoded
    /// at once; the others are read when used. A file that is malformed or claims more
    /// than it may is refused ([`Corrupt`] names it) and nothing is kept.
    pub fn provide(&mut self, name: &str, bytes: Vec<u8>) -> Read<()> {
        let docs = self.m.docs;
        let value = if name.starts_with("t/") && name.ends_with("f.bin") {
            let f = self.decode(name, &bytes, |r| {
                let count = r.count()?;
                Facets::get(r, count)
            })?;
            Cached::Facets(Rc::new(f))
        } else if name == names::PAIRS || (name.starts_with("t/") && name.ends_with("x.bin")) {
            let values = [self.m.tags.len(), self.m.authors.len()];
            Cached::Pairs(Rc::new(self.decode(name, &bytes, |r| PairFile::get(r, docs, values))?))
        } else if (name.starts_with("t/") && !name.ends_with("k.bin")) || name.starts_with("v/") {
            Cached::Set(Rc::new(self.decode(name, &bytes, |r| TermSet::get(r, docs))?))
        } else if name.starts_with("s/") {
            Cached::Store(Rc::new(read_store(&bytes).map_err(|e| e.in_file(name))?))
        } else {
            Cached::Raw(bytes)
        };
        self.keep(name.to_string(), value);
        Ok(())
    }

    /// Whether a file has been provided.
    pub fn has(&self, name: &str) -> bool {
        self.cached(name).is_some()
    }

    /// The term's answer or set, or `None` after noting the files it needs.
    fn resolve(&mut self, t: &QueryTerm, need: &mut Vec<String>) -> Read<Option<Rc<Resolved>>> {
        let key = t.key();
        if let Some(r) = self.resolved(&key) {
            return Ok(Some(r));
        }
        let a = names::answers(bucket(&key, self.m.answer_buckets));
        let Some(bytes) = self.raw(&a) else {
            need.push(a);
            return Ok(None);
        };
        let docs = self.m.docs;
        let resolved = if let Some(answer) = self.decode(&a, bytes, |r| find_answer(r, &key, docs))? {
            Resolved::Answer(Box::new(answer))
        } else if let Some(classes) = t.first_classes() {
            // Not common enough for an answer: every token it matches is rare, so their
            // sets are in the dictionary bucket itself (a heavy one only if the builder
            // left out a common term; its set file is fetched then).
            let d = names::dict(bucket(&classes, self.m.dict_buckets));
            let Some(bytes) = self.raw(&d) else {
                need.push(d);
                return Ok(None);
            };
            let mut parts: Vec<(Rc<TermSet>, bool)> = Vec::new();
            let mut missing = false;
            for (set, exact) in self.matched_tokens(t, &d, bytes)? {
                match set {
                    SetRef::Inline(s) => parts.push((Rc::new(s), exact)),
                    SetRef::File(n) => match self.set_file(n) {
                        Some(s) => parts.push((s, exact)),
                        None => {
                            need.push(names::set(n));
                            missing = true;
                        }
                    },
                }
            }
            if missing {
                return Ok(None);
            }
            let views: Vec<Part<'_>> = parts.iter().map(|(s, e)| Part::of(s, None, Some(*e))).collect();
            Resolved::Set(Rc::new(union(&views)))
        } else {
            // A one-unit term that matches anything always has an answer.
            Resolved::Nothing
        };
        let r = Rc::new(resolved);
        self.keep(term_key("r:", &key), Cached::Resolved(r.clone()));
        Ok(Some(r))
    }

    /// The tokens of dictionary bucket `name` that `t` matches, with whether it is exact in
    /// each: only their sets are decoded (a bucket holds many, a term matches few).
    fn matched_tokens(&self, t: &QueryTerm, name: &str, bytes: &[u8]) -> Read<Vec<(SetRef, bool)>> {
        let docs = self.m.docs;
        let mut out = Vec::new();
        for token in read_tokens(bytes, docs).map_err(|e| e.in_file(name))? {
            let Some(exact) = t.match_token(&token.units) else { continue };
            let encoded = bytes.get(token.set).unwrap_or_default();
            out.push((self.decode(name, encoded, |r| read_set_ref(r, docs))?, exact));
        }
        Ok(out)
    }

    /// The term's set with every entry's facet ids, from its tokens (rare ones carry them
    /// inline, common ones in a file beside their set); `None` after noting what is needed.
    fn term_facets(&mut self, t: &QueryTerm, need: &mut Vec<String>) -> Read<Option<Rc<Carrier>>> {
        let key = t.key();
        if let Some(c) = self.faceted(&key) {
            return Ok(Some(c));
        }
        // A common term lists its tokens; any other finds them in the dictionary.
        let resolved = self.resolved(&key);
        let listed = match resolved.as_deref() {
            Some(Resolved::Answer(a)) => match a.set {
                SetRef::File(n) => Some(names::term_tokens(n)),
                SetRef::Inline(_) => None,
            },
            _ => None,
        };
        let docs = self.m.docs;
        let tokens: Vec<(SetRef, bool)> = match listed {
            Some(name) => match self.raw(&name) {
                Some(bytes) => self.decode(&name, bytes, |r| read_term_tokens(r, docs))?,
                None => {
                    need.push(name);
                    return Ok(None);
                }
            },
            None => {
                let Some(classes) = t.first_classes() else { return Ok(None) };
                let d = names::dict(bucket(&classes, self.m.dict_buckets));
                let Some(bytes) = self.raw(&d) else {
                    need.push(d);
                    return Ok(None);
                };
                self.matched_tokens(t, &d, bytes)?
            }
        };
        let mut parts: Vec<(Rc<TermSet>, Option<Rc<Facets>>, bool)> = Vec::new();
        for (set, exact) in tokens {
            match set {
                SetRef::Inline(s) => parts.push((Rc::new(s), None, exact)),
                SetRef::File(n) => match (self.set_file(n), self.token_facets(n)) {
                    (Some(s), Some(f)) => parts.push((s, Some(f), exact)),
                    (s, f) => {
                        if s.is_none() {
                            need.push(names::set(n));
                        }
                        if f.is_none() {
                            need.push(names::set_facets(n));
                        }
                    }
                },
            }
        }
        if !need.is_empty() {
            return Ok(None);
        }
        let carrier = Rc::new(Carrier { parts: parts.into_iter().map(|(s, f, _)| (s, f)).collect() });
        self.keep(term_key("c:", &key), Cached::Carrier(carrier.clone()));
        Ok(Some(carrier))
    }

    fn set_of(&self, r: &Resolved, need: &mut Vec<String>) -> Option<Rc<TermSet>> {
        match r {
            Resolved::Nothing => Some(Rc::new(TermSet::default())),
            Resolved::Set(s) => Some(s.clone()),
            Resolved::Answer(a) => match &a.set {
                SetRef::Inline(s) => Some(Rc::new(s.clone())),
                SetRef::File(n) => match self.set_file(*n) {
                    Some(s) => Some(s),
                    None => {
                        need.push(names::set(*n));
                        None
                    }
                },
            },
        }
    }

    /// Results `offset..offset + limit` of `req` with their entries and the facet counts,
    /// or the files still needed.
    pub fn search(&mut self, req: &Request, offset: usize, limit: usize) -> Read<Step> {
        self.attempt(req, offset, limit, true, true)
    }

    /// As [`Archive::search`], but the facet counts only if they cost nothing more
    /// ([`Page::counted`]): a combined query shows its first results before the entries'
    /// facet ids arrive; ask [`Archive::search`] next for the counts.
    pub fn search_hits(&mut self, req: &Request, offset: usize, limit: usize) -> Read<Step> {
        self.attempt(req, offset, limit, true, false)
    }

    /// As [`Archive::search`] without the entries (`publisher` 0, `json` empty): ids, total
    /// and counts only, for callers that already hold the entries they show.
    pub fn search_ids(&mut self, req: &Request, offset: usize, limit: usize) -> Read<Step> {
        self.attempt(req, offset, limit, false, true)
    }

    /// A refusal ends the request: the refused file is dropped (asking again fetches it
    /// anew, in case a cache or a proxy served it damaged) and the next search starts a
    /// new request, with a new grant.
    fn attempt(&mut self, req: &Request, offset: usize, limit: usize, entries: bool, counts: bool) -> Read<Step> {
        let out = self.run(req, offset, limit, entries, counts);
        if let Err(e) = &out {
            self.cache.retain(|(name, _)| *name != e.file);
            self.current = None;
        }
        out
    }

    /// The pipeline: resolve the terms, answer from precomputed figures when they reach,
    /// else gather the sets, intersect, filter and count by facets, order and page. Each
    /// stage that lacks files notes them in `need` and the request stops there.
    fn run(&mut self, req: &Request, offset: usize, limit: usize, entries: bool, counts: bool) -> Read<Step> {
        let terms = query_terms(&req.query);
        self.begin(req, terms.len());
        let mut need = Vec::new();
        let Some(resolved) = self.resolve_all(&terms, &mut need)? else { return Ok(Step::Need(dedup(need))) };
        let w = Window { offset, limit, want: offset.saturating_add(limit), entries, counts };
        let q = Question::new(&self.m, req, terms, resolved, w);
        let known = self.known(&q);
        if let Some(k) = &known {
            if let Some(step) = self.precomputed(&q, k)? {
                return Ok(step);
            }
        }
        if let Some(step) = self.value_page(&q)? {
            return Ok(step);
        }
        let known_counts = known.filter(|_| !q.selecting).map(|k| (k.tags, k.authors));
        // General: intersect the terms' sets, filter and count by facets, order, page.
        let mut sets = self.term_sets(&q, &mut need);
        let pairs = self.pair_counts(&q, &mut sets, &mut need);
        if !need.is_empty() {
            return Ok(Step::Need(dedup(need)));
        }
        let matched = self.matched(&sets);
        let counted = self.cross_counts(&q, pairs).or(known_counts);
        let Some(f) = self.filter(&q, &sets, matched, counted, &mut need)? else { return Ok(Step::Need(dedup(need))) };
        let Some(ordered) = self.order(&q, &f.hits, &mut need)? else { return Ok(Step::Need(dedup(need))) };
        let step = self.page(f.hits.len(), f.tag_counts, f.author_counts, &ordered, w.entries)?;
        Ok(match step {
            Step::Done(p) => Step::Done(Page { counted: f.complete, ..p }),
            need => need,
        })
    }

    /// Whether `req` starts a new request: if so, the caches are trimmed to the budget and
    /// it gets a grant of its own.
    fn begin(&mut self, req: &Request, terms: usize) {
        if self.current.as_ref() != Some(req) {
            if self.cached_bytes() > self.budget {
                self.forget();
            }
            self.current = Some(req.clone());
            self.spare.set(question_grant(self.m.docs, terms));
        }
    }

    /// What each term resolves to, or `None` once every term has noted the files it needs.
    fn resolve_all(&mut self, terms: &[QueryTerm], need: &mut Vec<String>) -> Read<Option<Vec<Rc<Resolved>>>> {
        let mut resolved = Vec::with_capacity(terms.len());
        for t in terms {
            resolved.push(self.resolve(t, need)?);
        }
        if !need.is_empty() {
            return Ok(None);
        }
        Ok(Some(resolved.into_iter().flatten().collect()))
    }

    /// Whether the figures are precomputed: the empty query's, or one answered term's, and
    /// no facet selected.
    fn known<'a>(&'a self, q: &'a Question<'_>) -> Option<Known<'a>> {
        match (q.resolved.as_slice(), q.selecting) {
            ([], false) => Some(Known {
                total: self.m.docs,
                tags: self.m.tags.iter().map(|(_, n)| *n).collect(),
                authors: self.m.authors.iter().map(|(_, n)| *n).collect(),
                pages: &self.m.first,
                entries: &self.m.first_entries,
            }),
            ([r], false) => match r.as_ref() {
                Resolved::Answer(a) => Some(Known {
                    total: a.total,
                    tags: dense(&a.tag_counts, self.m.tags.len()),
                    authors: dense(&a.author_counts, self.m.authors.len()),
                    pages: &a.pages,
                    entries: &a.entries,
                }),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether the precomputed ids reach the page (and its entries, when inline): if so,
    /// the page without any set.
    fn precomputed(&self, q: &Question<'_>, k: &Known<'_>) -> Read<Option<Step>> {
        let w = &q.w;
        let list = match q.req.sort {
            Sort::Relevance => &k.pages.relevance,
            Sort::Newest => &k.pages.newest,
            Sort::Oldest => &k.pages.oldest,
        };
        if w.want > list.len() && list.len() < k.total as usize {
            return Ok(None);
        }
        let none = Selection::new(&|_| None, 0, &[]);
        let ids: Vec<u32> = list.iter().skip(w.offset).take(w.limit).copied().collect();
        let (tag_counts, author_counts) =
            (report(&self.m.tags, &k.tags, &none), report(&self.m.authors, &k.authors, &none));
        let inline =
            q.req.sort == Sort::Relevance && (w.want <= k.entries.len() || k.entries.len() >= k.total as usize);
        if inline && w.entries {
            let hits = ids
                .iter()
                .zip(k.entries.iter().skip(w.offset))
                .map(|(&id, (publisher, json))| Hit { id, publisher: *publisher, json: json.clone() })
                .collect();
            let total = k.total as usize;
            return Ok(Some(Step::Done(Page { total, tag_counts, author_counts, counted: true, hits })));
        }
        self.page(k.total as usize, tag_counts, author_counts, &ids, w.entries).map(Some)
    }

    /// The terms' sets, noting the set files still needed.
    fn term_sets(&self, q: &Question<'_>, need: &mut Vec<String>) -> Vec<Rc<TermSet>> {
        let mut sets = Vec::with_capacity(q.resolved.len());
        for r in &q.resolved {
            if let Some(s) = self.set_of(r, need) {
                sets.push(s);
            }
        }
        sets
    }

    /// Whether a pair file counts the facets: one tag and/or one author selected, with the
    /// empty query or one common term. If so, its name.
    fn pairs_file(q: &Question<'_>) -> Option<String> {
        let one_each = (q.tag_only.is_some() || !q.tag_sel.active) && (q.author_only.is_some() || !q.author_sel.active);
        if !(q.selecting && one_each) {
            return None;
        }
        match q.resolved.as_slice() {
            [] => Some(names::PAIRS.to_string()),
            [r] => match r.as_ref() {
                Resolved::Answer(a) => match a.set {
                    SetRef::File(n) => Some(names::term_pairs(n)),
                    SetRef::Inline(_) => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether a pair file counts the facets: if so, its set and the counts it starts from,
    /// and the selected values' own sets join `sets` to filter the entries. Entries listed
    /// in the pair file are those whose pairs the builder did not count (too many tags times
    /// authors): the counts then come from facet ids, over the query's own entries (the
    /// selection only filters there).
    fn pair_counts(&self, q: &Question<'_>, sets: &mut Vec<Rc<TermSet>>, need: &mut Vec<String>) -> Option<Pairs> {
        let name = Archive::pairs_file(q)?;
        let base = self.base_counts(q);
        let mut pairs = None;
        let mut uncounted = false;
        match self.cached(&name) {
            Some(Cached::Pairs(p)) if p.set.docs.is_empty() => pairs = Some((p.clone(), base.0, base.1)),
            Some(Cached::Pairs(_)) => uncounted = true,
            _ => need.push(name),
        }
        // Each selected value's entries (their flags add the same to every entry, so the
        // order does not change).
        let values = [q.tag_only.map(|t| names::value_set('t', t)), q.author_only.map(|a| names::value_set('a', a))];
        for name in values.into_iter().flatten().filter(|_| !uncounted) {
            match self.cached(&name) {
                Some(Cached::Set(s)) => sets.push(s.clone()),
                _ => need.push(name),
            }
        }
        pairs
    }

    /// The tag and author counts of the query before any selection: the answer's, or the
    /// archive's for the empty query.
    fn base_counts(&self, q: &Question<'_>) -> (Vec<u32>, Vec<u32>) {
        match q.resolved.first().map(|r| r.as_ref()) {
            Some(Resolved::Answer(a)) => {
                (dense(&a.tag_counts, self.m.tags.len()), dense(&a.author_counts, self.m.authors.len()))
            }
            _ => (self.m.tags.iter().map(|t| t.1).collect(), self.m.authors.iter().map(|a| a.1).collect()),
        }
    }

    /// One tag or one author selected (not both), with the empty query or one common term:
    /// the pair file alone gives the total (the value's count), the other facet's counts
    /// (its pairs with the value) and, within the value's first pages, the page. `None`
    /// when it does not reach (the general path then intersects sets); a pair file not yet
    /// fetched is asked for alone.
    fn value_page(&self, q: &Question<'_>) -> Read<Option<Step>> {
        let Some(name) = Archive::pairs_file(q) else { return Ok(None) };
        let (tag, value) = match (q.tag_only, q.author_only) {
            (Some(t), None) => (true, t),
            (None, Some(a)) => (false, a),
            _ => return Ok(None),
        };
        let p = match self.cached(&name) {
            Some(Cached::Pairs(p)) if p.set.docs.is_empty() => p.clone(),
            Some(_) => return Ok(None),
            None => return Ok(Some(Step::Need(vec![name]))),
        };
        let base = self.base_counts(q);
        let total = (if tag { &base.0 } else { &base.1 }).get(value as usize).copied().unwrap_or(0) as usize;
        let empty = Vec::new();
        let list = match (p.pages(tag, value), q.req.sort) {
            (None, _) => &empty,
            (Some(pages), Sort::Relevance) if !q.terms.is_empty() => &pages.relevance,
            (Some(pages), Sort::Relevance | Sort::Newest) => &pages.newest,
            (Some(pages), Sort::Oldest) => &pages.oldest,
        };
        if q.w.want > list.len() && list.len() < total {
            return Ok(None);
        }
        let ids: Vec<u32> = list.iter().skip(q.w.offset).take(q.w.limit).copied().collect();
        let Some((tags, authors)) = self.cross_counts(q, Some((p, base.0, base.1))) else { return Ok(None) };
        let tag_counts = report(&self.m.tags, &tags, &q.tag_sel);
        let author_counts = report(&self.m.authors, &authors, &q.author_sel);
        self.page(total, tag_counts, author_counts, &ids, q.w.entries).map(Some)
    }

    /// Which entries match: those in every set, or every entry when there is none.
    fn matched(&self, sets: &[Rc<TermSet>]) -> Vec<Scored> {
        if sets.is_empty() {
            (0..self.m.docs).map(|id| Scored { id, title_terms: 0, exact_terms: 0 }).collect()
        } else {
            intersect(sets)
        }
    }

    /// The counts a pair file gives: its starting counts, the other facet's replaced by its
    /// pairs with the one value selected.
    fn cross_counts(&self, q: &Question<'_>, pairs: Option<Pairs>) -> Option<(Vec<u32>, Vec<u32>)> {
        let (file, mut tags, mut authors) = pairs?;
        let set = &file.set;
        if let Some(a) = q.author_only {
            tags = vec![0; self.m.tags.len()];
            for &(t, _, n) in set.cross.iter().filter(|c| c.1 == a) {
                if let Some(c) = tags.get_mut(t as usize) {
                    *c = n;
                }
            }
        }
        if let Some(t) = q.tag_only {
            authors = vec![0; self.m.authors.len()];
            for &(_, x, n) in set.cross.iter().filter(|c| c.0 == t) {
                if let Some(c) = authors.get_mut(x as usize) {
                    *c = n;
                }
            }
        }
        Some((tags, authors))
    }

    /// Which matched entries the selection keeps, and the facet counts: known already, left
    /// out when not asked for and nothing is selected, or counted from the entries' facet
    /// ids. `None` after noting the files needed.
    fn filter(
        &mut self,
        q: &Question<'_>,
        sets: &[Rc<TermSet>],
        matched: Vec<Scored>,
        counted: Option<(Vec<u32>, Vec<u32>)>,
        need: &mut Vec<String>,
    ) -> Read<Option<Filtered>> {
        if let Some((tags, authors)) = counted {
            let tag_counts = report(&self.m.tags, &tags, &q.tag_sel);
            let author_counts = report(&self.m.authors, &authors, &q.author_sel);
            return Ok(Some(Filtered { hits: matched, tag_counts, author_counts, complete: true }));
        }
        if !q.w.counts && !q.selecting {
            return Ok(Some(Filtered {
                hits: matched,
                tag_counts: Vec::new(),
                author_counts: Vec::new(),
                complete: false,
            }));
        }
        let Some(source) = self.facet_source(q, sets, &matched, need)? else { return Ok(None) };
        self.count(q, matched, source).map(Some)
    }

    /// Where the facet ids of every matched entry are read: a set that carries them (every
    /// matched entry is in each term's set), else the tokens of the term with the smallest
    /// set, else (a term found almost everywhere, or none) the facet column. `None` after
    /// noting the files needed.
    fn facet_source(
        &mut self,
        q: &Question<'_>,
        sets: &[Rc<TermSet>],
        matched: &[Scored],
        need: &mut Vec<String>,
    ) -> Read<Option<Source>> {
        let carried =
            sets.iter().find(|s| s.facets.is_some()).map(|s| Rc::new(Carrier { parts: vec![(s.clone(), None)] }));
        // One already built for an earlier keystroke costs nothing.
        if let Some(c) = carried.or_else(|| q.terms.iter().find_map(|t| self.faceted(&t.key()))) {
            return Ok(Some(Source::Carrier(c)));
        }
        if let Some(term) = self.smallest_term(&q.terms, sets) {
            match self.term_facets(term, need)? {
                Some(c) => return Ok(Some(Source::Carrier(c))),
                None if !need.is_empty() => return Ok(None),
                None => {}
            }
        }
        let mut last = None;
        for s in matched {
            let chunk = s.id / self.m.facet_chunk;
            if last != Some(chunk) && !self.has(&names::facets(chunk)) {
                need.push(names::facets(chunk));
            }
            last = Some(chunk);
        }
        Ok(need.is_empty().then_some(Source::Column))
    }

    /// Whose tokens carry the facet ids: the term with the smallest set, if that set is
    /// small enough (at most a third of the entries) for its tokens to be worth fetching.
    fn smallest_term<'t>(&self, terms: &'t [QueryTerm], sets: &[Rc<TermSet>]) -> Option<&'t QueryTerm> {
        let smallest = sets.iter().enumerate().min_by_key(|(_, s)| s.docs.len()).map(|(i, s)| (i, s.docs.len()));
        // Sets past the terms' are the selected values' (no tokens to carry facets).
        smallest.filter(|&(_, len)| (len as u64) * 3 <= u64::from(self.m.docs)).and_then(|(i, _)| terms.get(i))
    }

    /// Which matched entries the selection admits, with each facet counted over the entries
    /// the other facet's selection admits.
    fn count(&self, q: &Question<'_>, matched: Vec<Scored>, source: Source) -> Read<Filtered> {
        let mut tag_counts = vec![0u32; self.m.tags.len()];
        let mut author_counts = vec![0u32; self.m.authors.len()];
        let mut hits = Vec::new();
        let mut lookup = match &source {
            Source::Carrier(c) => Some(Lookup::new(c)),
            Source::Column => None,
        };
        let mut column = Column::default();
        for s in matched {
            let (tags, authors) = match lookup.as_mut() {
                Some(l) => l.get(s.id),
                None => {
                    let (chunk, index) = (s.id / self.m.facet_chunk, s.id % self.m.facet_chunk);
                    let name = names::facets(chunk);
                    column.seek(chunk, self.raw(&name).map(|b| b.as_slice()), index).map_err(|e| e.in_file(&name))?;
                    (&column.tags[..], &column.authors[..])
                }
            };
            let tag_ok = q.tag_sel.admits(tags);
            let author_ok = q.author_sel.admits(authors);
            if author_ok {
                bump(&mut tag_counts, tags);
            }
            if tag_ok {
                bump(&mut author_counts, authors);
            }
            if tag_ok && author_ok {
                hits.push(s);
            }
        }
        let tag_counts = report(&self.m.tags, &tag_counts, &q.tag_sel);
        let author_counts = report(&self.m.authors, &author_counts, &q.author_sel);
        Ok(Filtered { hits, tag_counts, author_counts, complete: true })
    }

    /// The ids of the page in the order asked for: relevance (title terms, then exact
    /// terms; newest first for the empty query), newest or oldest first. `None`
    /// after noting the files needed.
    fn order(&self, q: &Question<'_>, hits: &[Scored], need: &mut Vec<String>) -> Read<Option<Vec<u32>>> {
        let w = &q.w;
        let first = match q.req.sort {
            Sort::Relevance if !q.terms.is_empty() => Some(by_relevance(hits, w.want)),
            // Relevance means nothing without a query: ids are newest first already.
            Sort::Relevance | Sort::Newest => {
                return Ok(Some(hits.iter().skip(w.offset).take(w.limit).map(|s| s.id).collect()))
            }
            Sort::Oldest => self.oldest(hits, w.want, need)?,
        };
        Ok(first.map(|ids| ids.into_iter().skip(w.offset).take(w.limit).collect()))
    }

    /// The first `want` hits oldest first: dated entries by date, ties (equal dates) in
    /// the publisher's order, which is ascending id within a run of equal dates; then
    /// undated entries in the publisher's order.
    fn oldest(&self, hits: &[Scored], want: usize, need: &mut Vec<String>) -> Read<Option<Vec<u32>>> {
        let split = hits.partition_point(|s| s.id < self.m.first_undated);
        let (dated, undated) = hits.split_at(split);
        // The tie bits of the hits the page will surely show, all in one round trip.
        for s in dated.iter().rev().take(want) {
            let name = names::ties(s.id / self.m.order_chunk);
            if !self.has(&name) && !need.contains(&name) {
                need.push(name);
            }
        }
        if !need.is_empty() {
            return Ok(None);
        }
        let mut out = Vec::with_capacity(want.min(hits.len()));
        let mut i = dated.len();
        while i > 0 && out.len() < want {
            // The run of equal dates that the latest remaining hit belongs to starts at
            // the first id whose tie bit is clear.
            let mut start = dated[i - 1].id;
            while start > 0 {
                match self.tie(start) {
                    Some(true) => start -= 1,
                    Some(false) => break,
                    None => {
                        need.push(names::ties(start / self.m.order_chunk));
                        return Ok(None);
                    }
                }
            }
            let j = dated[..i].partition_point(|s| s.id < start);
            out.extend(dated[j..i].iter().map(|s| s.id));
            i = j;
        }
        out.extend(undated.iter().take(want.saturating_sub(out.len())).map(|s| s.id));
        Ok(Some(out))
    }

    /// Whether entry `id` has the same date as entry `id - 1`.
    fn tie(&self, id: u32) -> Option<bool> {
        let bytes = self.raw(&names::ties(id / self.m.order_chunk))?;
        let bit = id % self.m.order_chunk;
        Some(bytes.get(bit as usize / 8).is_some_and(|b| b >> (bit % 8) & 1 == 1))
    }

    fn page(
        &self,
        total: usize,
        tag_counts: Vec<(String, usize)>,
        author_counts: Vec<(String, usize)>,
        ids: &[u32],
        entries: bool,
    ) -> Read<Step> {
        if !entries {
            let hits = ids.iter().map(|&id| Hit { id, publisher: 0, json: String::new() }).collect();
            return Ok(Step::Done(Page { total, tag_counts, author_counts, counted: true, hits }));
        }
        let mut need = Vec::new();
        for &id in ids {
            let c = id / self.m.store_chunk;
            if !self.has(&names::store(c)) {
                need.push(names::store(c));
            }
        }
        if !need.is_empty() {
            return Ok(Step::Need(dedup(need)));
        }
        let mut hits = Vec::with_capacity(ids.len());
        for &id in ids {
            let c = id / self.m.store_chunk;
            let missing = || Corrupt::malformed("fewer entries than its chunk holds").in_file(&names::store(c));
            let chunk = self.store(c).ok_or_else(missing)?;
            let (publisher, json) = chunk.get((id % self.m.store_chunk) as usize).ok_or_else(missing)?;
            hits.push(Hit { id, publisher: *publisher, json: json.clone() });
        }
        Ok(Step::Done(Page { total, tag_counts, author_counts, counted: true, hits }))
    }
}

fn bump(counts: &mut [u32], ids: &[u32]) {
    for &id in ids {
        if let Some(c) = counts.get_mut(id as usize) {
            *c += 1;
        }
    }
}

/// The names in their first order, each once. Sorted, not compared pairwise: a step may
/// name every chunk of the facet column ([`super::files::MAX_CHUNKS`]).
fn dedup(v: Vec<String>) -> Vec<String> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    sorting::stable_by(&mut order, &|&a, &b| v[a].cmp(&v[b]));
    let mut keep = vec![false; v.len()];
    for (k, &i) in order.iter().enumerate() {
        keep[i] = k == 0 || v[order[k - 1]] != v[i];
    }
    v.into_iter().zip(keep).filter(|(_, k)| *k).map(|(n, _)| n).collect()
}

/// The facet column read front to back, never decoded whole (a million entries' ids would
/// take 20 MB): matched ids ascend, so each chunk is read once.
#[derive(Default)]
struct Column<'a> {
    chunk: Option<u32>,
    r: Option<In<'a>>,
    /// The next entry of the chunk to read.
    next: u32,
    tags: Vec<u32>,
    authors: Vec<u32>,
}

impl<'a> Column<'a> {
    /// Reads on to entry `index` of `chunk` (whose bytes are `bytes`): its ids are then in
    /// `tags` and `authors`.
    fn seek(&mut self, chunk: u32, bytes: Option<&'a [u8]>, index: u32) -> Read<()> {
        if self.chunk != Some(chunk) {
            let mut r = In::new(bytes.ok_or_else(|| Corrupt::malformed("not fetched"))?);
            r.count()?;
            *self = Column { chunk: Some(chunk), r: Some(r), ..Column::default() };
        }
        let r = self.r.as_mut().ok_or_else(|| Corrupt::malformed("not fetched"))?;
        while self.next <= index {
            self.tags.clear();
            self.authors.clear();
            for list in [&mut self.tags, &mut self.authors] {
                for _ in 0..r.count()? {
                    list.push(r.u32()?);
                }
            }
            self.next += 1;
        }
        Ok(())
    }
}

/// Where the facet ids of a term's entries are: its tokens' sets, each with its facet ids
/// (in the set itself, or in a file beside it). Every entry of the term is in one of them.
struct Carrier {
    parts: Vec<(Rc<TermSet>, Option<Rc<Facets>>)>,
}

/// Looks entries up in a carrier, in ascending id order, one cursor per part.
struct Lookup<'a> {
    carrier: &'a Carrier,
    at: Vec<usize>,
}

impl<'a> Lookup<'a> {
    fn new(carrier: &'a Carrier) -> Lookup<'a> {
        Lookup { carrier, at: vec![0; carrier.parts.len()] }
    }

    fn get(&mut self, id: u32) -> (&'a [u32], &'a [u32]) {
        let carrier: &'a Carrier = self.carrier;
        for (p, at) in carrier.parts.iter().zip(self.at.iter_mut()) {
            let docs = &p.0.docs;
            while docs.get(*at).is_some_and(|&d| d < id) {
                *at += 1;
            }
            if docs.get(*at) == Some(&id) {
                if let Some(f) = p.1.as_deref().or(p.0.facets.as_ref()) {
                    return f.of(*at);
                }
            }
        }
        (&[], &[])
    }
}

/// One token's part of a term: its set, its facet ids if known, and whether the term is
/// exact in the token (`None`: keep each entry's own exactness bit).
struct Part<'a> {
    docs: &'a [u32],
    flags: &'a [u8],
    facets: Option<&'a Facets>,
    exact: Option<bool>,
}

impl<'a> Part<'a> {
    fn of(s: &'a TermSet, facets: Option<&'a Facets>, exact: Option<bool>) -> Part<'a> {
        Part { docs: &s.docs, flags: &s.flags, facets: facets.or(s.facets.as_ref()), exact }
    }

    fn flag(&self, i: usize) -> u8 {
        let f = self.flags.get(i).copied().unwrap_or(0);
        match self.exact {
            Some(true) => (f & TITLE) | EXACT,
            Some(false) => f & TITLE,
            None => f,
        }
    }
}

/// The union of token sets: an entry holds the term when it holds one of the tokens; the
/// title when one of them is in its title; an exact occurrence when the term matches one
/// of its tokens exactly. Facet ids survive only if every part carries them. Merged two
/// by two, so memory stays near twice the result whatever the number of tokens.
fn union(parts: &[Part<'_>]) -> TermSet {
    let with_facets = parts.iter().all(|p| p.facets.is_some());
    let empty = TermSet::default();
    let mut level: Vec<TermSet> = parts
        .chunks(2)
        .map(|pair| match pair {
            [a, b] => merge(a, b, with_facets),
            [a] => merge(a, &Part::of(&empty, None, None), with_facets),
            _ => TermSet::default(),
        })
        .collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => merge(&Part::of(a, None, None), &Part::of(b, None, None), with_facets),
                [a] => a.clone(),
                _ => TermSet::default(),
            })
            .collect();
    }
    let mut out = level.pop().unwrap_or_default();
    if !with_facets {
        out.facets = None;
    }
    out
}

fn merge(a: &Part<'_>, b: &Part<'_>, with_facets: bool) -> TermSet {
    let mut out = TermSet { facets: with_facets.then(Facets::default), ..TermSet::default() };
    let (mut i, mut j) = (0, 0);
    loop {
        let (x, y) = (a.docs.get(i), b.docs.get(j));
        let (d, f, from) = match (x, y) {
            (None, None) => break,
            (Some(&x), Some(&y)) if x == y => {
                i += 1;
                j += 1;
                (x, a.flag(i - 1) | b.flag(j - 1), (a, i - 1))
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                (x, a.flag(i - 1), (a, i - 1))
            }
            (Some(&x), None) => {
                i += 1;
                (x, a.flag(i - 1), (a, i - 1))
            }
            (_, Some(&y)) => {
                j += 1;
                (y, b.flag(j - 1), (b, j - 1))
            }
        };
        out.docs.push(d);
        out.flags.push(f);
        if let (Some(facets), Some(src)) = (out.facets.as_mut(), from.0.facets) {
            let (tags, authors) = src.of(from.1);
            facets.push(tags, authors);
        }
    }
    out
}

/// Entries in every set, ascending, with how many terms hit the title and how many exactly.
fn intersect(sets: &[Rc<TermSet>]) -> Vec<Scored> {
    let mut order: Vec<usize> = (0..sets.len()).collect();
    sorting::stable_by(&mut order, &|&a, &b| sets[a].docs.len().cmp(&sets[b].docs.len()));
    let Some((&first, rest)) = order.split_first() else { return Vec::new() };
    let add = |s: &mut Scored, f: u8| {
        s.title_terms = s.title_terms.saturating_add(f & TITLE);
        s.exact_terms = s.exact_terms.saturating_add((f & EXACT) >> 1);
    };
    let mut out: Vec<Scored> = sets[first]
        .docs
        .iter()
        .zip(&sets[first].flags)
        .map(|(&id, &f)| {
            let mut s = Scored { id, title_terms: 0, exact_terms: 0 };
            add(&mut s, f);
            s
        })
        .collect();
    for &k in rest {
        let set = &sets[k];
        let mut at = 0usize;
        out.retain_mut(|s| {
            at += set.docs.get(at..).map_or(0, |d| d.partition_point(|&x| x < s.id));
            match set.docs.get(at) {
                Some(&d) if d == s.id => {
                    add(s, set.flags.get(at).copied().unwrap_or(0));
                    true
                }
                _ => false,
            }
        });
    }
    out
}
