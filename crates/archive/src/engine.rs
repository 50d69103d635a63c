//! The query engine: answers a [`Request`] over an archive from the files it has been
//! given, or says which files it still needs. No I/O: the caller fetches (in parallel),
//! calls [`Archive::provide`] for each file and asks again.

use std::cell::Cell;
use std::rc::Rc;

use super::codec::{bucket, names, Corrupt, In, Read, IDS_PER_BYTE};
use super::files::{
    find_answer, read_ids, read_set_ref, read_store, read_term_tokens, read_tokens, Answer, Facets, Manifest, Pages,
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

    fn run(&mut self, req: &Request, offset: usize, limit: usize, entries: bool, counts: bool) -> Read<Step> {
        let terms = query_terms(&req.query);
        if self.current.as_ref() != Some(req) {
            if self.cached_bytes() > self.budget {
                self.forget();
            }
            self.current = Some(req.clone());
            self.spare.set(question_grant(self.m.docs, terms.len()));
        }
        let mut need = Vec::new();
        let mut resolved = Vec::with_capacity(terms.len());
        for t in &terms {
            resolved.push(self.resolve(t, &mut need)?);
        }
        if !need.is_empty() {
            return Ok(Step::Need(dedup(need)));
        }
        let resolved: Vec<Rc<Resolved>> = resolved.into_iter().flatten().collect();
        let find = |f: &[(String, u32)], k: &str| f.iter().position(|(n, _)| n == k).map(|i| i as u32);
        let tag_sel = Selection::new(&|k| find(&self.m.tags, k), self.m.tags.len(), &req.tags);
        let author_sel = Selection::new(&|k| find(&self.m.authors, k), self.m.authors.len(), &req.authors);
        let none = Selection::new(&|_| None, 0, &[]);
        let selecting = tag_sel.active || author_sel.active;
        let want = offset.saturating_add(limit);

        // Precomputed: the empty query, or one term with an answer, and no facet selected.
        let dense = |c: &[(u32, u32)], len: usize| {
            let mut v = vec![0u32; len];
            for &(i, n) in c {
                if let Some(x) = v.get_mut(i as usize) {
                    *x = n;
                }
            }
            v
        };
        let known: Option<Known<'_>> = match (resolved.as_slice(), selecting) {
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
        };
        if let Some(k) = &known {
            let list = match req.sort {
                Sort::Relevance => &k.pages.relevance,
                Sort::Newest => &k.pages.newest,
                Sort::Oldest => &k.pages.oldest,
            };
            if want <= list.len() || list.len() >= k.total as usize {
                let ids: Vec<u32> = list.iter().skip(offset).take(limit).copied().collect();
                let (tag_counts, author_counts) =
                    (report(&self.m.tags, &k.tags, &none), report(&self.m.authors, &k.authors, &none));
                let inline =
                    req.sort == Sort::Relevance && (want <= k.entries.len() || k.entries.len() >= k.total as usize);
                if inline && entries {
                    let hits = ids
                        .iter()
                        .zip(k.entries.iter().skip(offset))
                        .map(|(&id, (publisher, json))| Hit { id, publisher: *publisher, json: json.clone() })
                        .collect();
                    return Ok(Step::Done(Page {
                        total: k.total as usize,
                        tag_counts,
                        author_counts,
                        counted: true,
                        hits,
                    }));
                }
                return self.page(k.total as usize, tag_counts, author_counts, &ids, entries);
            }
        }

        let counted = known.as_ref().filter(|_| !selecting).map(|k| (k.tags.clone(), k.authors.clone()));
        drop(known);
        // General: intersect the terms' sets, filter and count by facets, order, page.
        let mut sets = Vec::with_capacity(resolved.len());
        for r in &resolved {
            if let Some(s) = self.set_of(r, &mut need) {
                sets.push(s);
            }
        }
        // One tag and/or one author selected, with the empty query or one common term: the
        // (tag, author) pair counts of its set file count the other facet, and the selected
        // values' own sets filter the entries. No facet ids needed.
        let (tag_only, author_only) = (tag_sel.only(), author_sel.only());
        let pairs_from =
            if selecting && (tag_only.is_some() || !tag_sel.active) && (author_only.is_some() || !author_sel.active) {
                match resolved.as_slice() {
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
            } else {
                None
            };
        let mut pairs: Option<(Rc<TermSet>, Vec<u32>, Vec<u32>)> = None;
        if let Some(name) = pairs_from {
            let base: (Vec<u32>, Vec<u32>) = match resolved.first().map(|r| r.as_ref()) {
                Some(Resolved::Answer(a)) => {
                    (dense(&a.tag_counts, self.m.tags.len()), dense(&a.author_counts, self.m.authors.len()))
                }
                _ => (self.m.tags.iter().map(|t| t.1).collect(), self.m.authors.iter().map(|a| a.1).collect()),
            };
            // Entries listed in the pair file are those whose pairs the builder did not
            // count (too many tags times authors): the counts then come from facet ids, over
            // the query's own entries (the selection only filters there).
            let mut uncounted = false;
            match self.cached(&name) {
                Some(Cached::Set(s)) if s.docs.is_empty() => pairs = Some((s.clone(), base.0, base.1)),
                Some(Cached::Set(_)) => uncounted = true,
                _ => need.push(name),
            }
            // Each selected value's entries (their flags add the same to every entry, so
            // the order does not change).
            let values = [tag_only.map(|t| names::value_set('t', t)), author_only.map(|a| names::value_set('a', a))];
            for name in values.into_iter().flatten().filter(|_| !uncounted) {
                match self.cached(&name) {
                    Some(Cached::Set(s)) => sets.push(s.clone()),
                    _ => need.push(name),
                }
            }
        }
        if !need.is_empty() {
            return Ok(Step::Need(dedup(need)));
        }
        let matched: Vec<Scored> = if sets.is_empty() {
            (0..self.m.docs).map(|id| Scored { id, title_terms: 0, exact_terms: 0 }).collect()
        } else {
            intersect(&sets)
        };
        let counted = match (pairs, counted) {
            (Some((set, mut tags, mut authors)), _) => {
                if let Some(a) = author_only {
                    tags = vec![0; self.m.tags.len()];
                    for &(t, x, n) in set.cross.iter().filter(|c| c.1 == a) {
                        let _ = x;
                        if let Some(c) = tags.get_mut(t as usize) {
                            *c = n;
                        }
                    }
                }
                if let Some(t) = tag_only {
                    authors = vec![0; self.m.authors.len()];
                    for &(_, x, n) in set.cross.iter().filter(|c| c.0 == t) {
                        if let Some(c) = authors.get_mut(x as usize) {
                            *c = n;
                        }
                    }
                }
                Some((tags, authors))
            }
            (None, c) => c,
        };

        let mut complete = true;
        let (hits, tag_counts, author_counts) = if let Some((tags, authors)) = counted {
            (matched, report(&self.m.tags, &tags, &tag_sel), report(&self.m.authors, &authors, &author_sel))
        } else if !counts && !selecting {
            complete = false;
            (matched, Vec::new(), Vec::new())
        } else {
            // Facet ids of every matched entry: from a set that carries them (every
            // matched entry is in each term's set), else from the tokens of the term with
            // the smallest set, else (a term found almost everywhere, or none) from the
            // facet column.
            let mut carrier: Option<Rc<Carrier>> =
                sets.iter().find(|s| s.facets.is_some()).map(|s| Rc::new(Carrier { parts: vec![(s.clone(), None)] }));
            if carrier.is_none() {
                // One already built for an earlier keystroke costs nothing.
                carrier = terms.iter().find_map(|t| self.faceted(&t.key()));
            }
            if carrier.is_none() {
                let smallest =
                    sets.iter().enumerate().min_by_key(|(_, s)| s.docs.len()).map(|(i, s)| (i, s.docs.len()));
                // Sets past the terms' are the selected values' (no tokens to carry facets).
                let term = smallest
                    .filter(|&(_, len)| (len as u64) * 3 <= u64::from(self.m.docs))
                    .and_then(|(i, _)| terms.get(i));
                if let Some(term) = term {
                    match self.term_facets(term, &mut need)? {
                        Some(c) => carrier = Some(c),
                        None if !need.is_empty() => return Ok(Step::Need(dedup(need))),
                        None => {}
                    }
                }
            }
            if carrier.is_none() {
                let mut last = None;
                for s in &matched {
                    let chunk = s.id / self.m.facet_chunk;
                    if last != Some(chunk) && !self.has(&names::facets(chunk)) {
                        need.push(names::facets(chunk));
                    }
                    last = Some(chunk);
                }
                if !need.is_empty() {
                    return Ok(Step::Need(dedup(need)));
                }
            }
            let mut tag_counts = vec![0u32; self.m.tags.len()];
            let mut author_counts = vec![0u32; self.m.authors.len()];
            let mut hits = Vec::new();
            let mut lookup = carrier.as_deref().map(Lookup::new);
            let mut column = Column::default();
            for s in matched {
                let (tags, authors) = match lookup.as_mut() {
                    Some(l) => l.get(s.id),
                    None => {
                        let (chunk, index) = (s.id / self.m.facet_chunk, s.id % self.m.facet_chunk);
                        let name = names::facets(chunk);
                        column
                            .seek(chunk, self.raw(&name).map(|b| b.as_slice()), index)
                            .map_err(|e| e.in_file(&name))?;
                        (&column.tags[..], &column.authors[..])
                    }
                };
                let tag_ok = tag_sel.admits(tags);
                let author_ok = author_sel.admits(authors);
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
            (hits, report(&self.m.tags, &tag_counts, &tag_sel), report(&self.m.authors, &author_counts, &author_sel))
        };

        let total = hits.len();
        let ordered: Vec<u32> = match req.sort {
            Sort::Relevance if !terms.is_empty() => {
                // More title terms, then more exact terms, then the id: hits already ascend
                // by id, so a page is read group by group, without sorting them all.
                let group = |s: &Scored| u32::from(255 - s.title_terms) << 8 | u32::from(255 - s.exact_terms);
                let mut groups: Vec<u32> = Vec::new();
                for s in &hits {
                    let g = group(s);
                    if !groups.contains(&g) {
                        groups.push(g);
                    }
                }
                sorting::keys(&mut groups);
                let mut out = Vec::with_capacity(want.min(total));
                for g in groups {
                    if out.len() >= want {
                        break;
                    }
                    out.extend(hits.iter().filter(|s| group(s) == g).map(|s| s.id).take(want - out.len()));
                }
                out.into_iter().skip(offset).take(limit).collect()
            }
            Sort::Relevance => match self.publisher_order(&hits, want, total == self.m.docs as usize, &mut need)? {
                Some(ids) => ids.into_iter().skip(offset).take(limit).collect(),
                None => return Ok(Step::Need(dedup(need))),
            },
            Sort::Newest => hits.iter().skip(offset).take(limit).map(|s| s.id).collect(),
            Sort::Oldest => match self.oldest(&hits, want, &mut need)? {
                Some(ids) => ids.into_iter().skip(offset).take(limit).collect(),
                None => return Ok(Step::Need(dedup(need))),
            },
        };
        let step = self.page(total, tag_counts, author_counts, &ordered, entries)?;
        Ok(match step {
            Step::Done(p) => Step::Done(Page { counted: complete, ..p }),
            need => need,
        })
    }

    /// The first `want` hits in the publisher's order (the empty query's relevance).
    fn publisher_order(
        &self,
        hits: &[Scored],
        want: usize,
        all: bool,
        need: &mut Vec<String>,
    ) -> Read<Option<Vec<u32>>> {
        let mut member = vec![false; self.m.docs as usize];
        for s in hits {
            if let Some(m) = member.get_mut(s.id as usize) {
                *m = true;
            }
        }
        let mut out = Vec::new();
        let chunks = self.m.docs.div_ceil(self.m.order_chunk);
        for c in 0..chunks {
            if out.len() >= want.min(hits.len()) {
                break;
            }
            let name = names::publisher_order(c);
            let Some(bytes) = self.raw(&name) else {
                need.push(name);
                return Ok(None);
            };
            out.extend(
                read_ids(bytes)
                    .map_err(|e| e.in_file(&name))?
                    .into_iter()
                    .filter(|&id| all || member.get(id as usize).copied().unwrap_or(false)),
            );
        }
        Ok(Some(out))
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
