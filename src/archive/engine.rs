//! The query engine: answers a [`Request`] over an archive from the files it has been
//! given, or says which files it still needs. No I/O: the caller fetches (in parallel),
//! calls [`Archive::provide`] for each file and asks again.

use std::collections::HashMap;
use std::rc::Rc;

use super::codec::{bucket, names, Corrupt, In, Read};
use super::files::{find_answer, read_ids, read_store, read_term_tokens, read_tokens, Answer, Facets, Manifest, Pages, SetRef, TermSet, EXACT, TITLE};
use crate::search::{facet_key, query_terms, QueryTerm, Request, Sort};
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
    Answer(Answer),
    /// Found through the dictionary: the union of the matched tokens' sets.
    Set(Rc<TermSet>),
}

/// An opened archive and everything fetched for it so far (files are immutable, so
/// nothing is ever fetched twice).
pub struct Archive {
    m: Manifest,
    tag_ids: HashMap<String, u32>,
    author_ids: HashMap<String, u32>,
    raw: HashMap<String, Vec<u8>>,
    sets: HashMap<u32, Rc<TermSet>>,
    stores: HashMap<u32, Rc<Vec<(u32, String)>>>,
    facets: HashMap<u32, Rc<Facets>>,
    token_facets: HashMap<u32, Rc<Facets>>,
    resolved: HashMap<Vec<u8>, Rc<Resolved>>,
    /// Terms' sets with every entry's facet ids, built from their tokens.
    faceted: HashMap<Vec<u8>, Rc<TermSet>>,
}

/// A facet selection as in the in-memory index.
struct Selection {
    chosen: Vec<bool>,
    active: bool,
    unknown: Vec<String>,
}

impl Selection {
    fn new(ids: &HashMap<String, u32>, len: usize, wanted: &[String]) -> Selection {
        let mut s = Selection { chosen: vec![false; len], active: false, unknown: Vec::new() };
        for w in wanted {
            let key = facet_key(w);
            if key.is_empty() {
                continue;
            }
            s.active = true;
            match ids.get(key.as_ref()).and_then(|&i| s.chosen.get_mut(i as usize)) {
                Some(c) => *c = true,
                None if !s.unknown.iter().any(|u| u == key.as_ref()) => s.unknown.push(key.into_owned()),
                None => {}
            }
        }
        s
    }

    fn admits(&self, ids: &[u32]) -> bool {
        !self.active || ids.iter().any(|&i| self.chosen.get(i as usize).copied().unwrap_or(false))
    }
}

fn report(names: &[(String, u32)], counts: &[u32], sel: &Selection) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = names
        .iter()
        .zip(counts)
        .enumerate()
        .filter(|(i, (_, &n))| n > 0 || sel.chosen.get(*i).copied().unwrap_or(false))
        .map(|(_, ((name, _), &n))| (name.clone(), n as usize))
        .collect();
    out.extend(sel.unknown.iter().map(|k| (k.clone(), 0)));
    sorting::stable_by(&mut out, &|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
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
        let m = Manifest::read(manifest)?;
        let ids = |f: &[(String, u32)]| f.iter().enumerate().map(|(i, (n, _))| (n.clone(), i as u32)).collect();
        Ok(Archive {
            tag_ids: ids(&m.tags),
            author_ids: ids(&m.authors),
            m,
            raw: HashMap::new(),
            sets: HashMap::new(),
            stores: HashMap::new(),
            facets: HashMap::new(),
            token_facets: HashMap::new(),
            resolved: HashMap::new(),
            faceted: HashMap::new(),
        })
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

    /// Hands over a fetched file (inflated). Set, store and facet files are decoded at once.
    pub fn provide(&mut self, name: &str, bytes: Vec<u8>) -> Read<()> {
        let n = |prefix: &str| name.strip_prefix(prefix).and_then(|r| r.strip_suffix(".bin")).and_then(|r| r.parse::<u32>().ok());
        let token_facets = name.strip_prefix("t/").and_then(|r| r.strip_suffix("f.bin")).and_then(|r| r.parse::<u32>().ok());
        if let Some(k) = token_facets {
            let mut r = In::new(&bytes);
            let count = r.count()?;
            self.token_facets.insert(k, Rc::new(Facets::get(&mut r, count)?));
        } else if let Some(k) = n("t/") {
            let set = TermSet::get(&mut In::new(&bytes), self.m.docs)?;
            self.sets.insert(k, Rc::new(set));
        } else if let Some(k) = n("s/") {
            self.stores.insert(k, Rc::new(read_store(&bytes)?));
        } else if let Some(k) = n("f/") {
            let mut r = In::new(&bytes);
            let count = r.count()?;
            self.facets.insert(k, Rc::new(Facets::get(&mut r, count)?));
        } else {
            self.raw.insert(name.to_string(), bytes);
        }
        Ok(())
    }

    /// Whether a file has been provided.
    pub fn has(&self, name: &str) -> bool {
        self.raw.contains_key(name) || {
            let n = |prefix: &str| name.strip_prefix(prefix).and_then(|r| r.strip_suffix(".bin")).and_then(|r| r.parse::<u32>().ok());
            let f = name.strip_prefix("t/").and_then(|r| r.strip_suffix("f.bin")).and_then(|r| r.parse::<u32>().ok());
            f.is_some_and(|k| self.token_facets.contains_key(&k))
                || n("t/").is_some_and(|k| self.sets.contains_key(&k))
                || n("s/").is_some_and(|k| self.stores.contains_key(&k))
                || n("f/").is_some_and(|k| self.facets.contains_key(&k))
        }
    }

    /// The term's answer or set, or `None` after noting the files it needs.
    fn resolve(&mut self, t: &QueryTerm, need: &mut Vec<String>) -> Read<Option<Rc<Resolved>>> {
        let key = t.key();
        if let Some(r) = self.resolved.get(&key) {
            return Ok(Some(r.clone()));
        }
        let a = names::answers(bucket(&key, self.m.answer_buckets));
        let Some(bytes) = self.raw.get(&a) else {
            need.push(a);
            return Ok(None);
        };
        let resolved = if let Some(answer) = find_answer(bytes, &key, self.m.docs)? {
            Resolved::Answer(answer)
        } else if let Some(classes) = t.first_classes() {
            // Not common enough for an answer: every token it matches is rare, so their
            // sets are in the dictionary bucket itself (a heavy one only if the builder
            // left out a common term; its set file is fetched then).
            let d = names::dict(bucket(&classes, self.m.dict_buckets));
            let Some(bytes) = self.raw.get(&d) else {
                need.push(d);
                return Ok(None);
            };
            let mut parts: Vec<(Rc<TermSet>, bool)> = Vec::new();
            let mut missing = false;
            for token in read_tokens(bytes, self.m.docs)? {
                let Some(exact) = t.match_token(&token.units) else { continue };
                match token.set {
                    SetRef::Inline(s) => parts.push((Rc::new(s), exact)),
                    SetRef::File(n) => match self.sets.get(&n) {
                        Some(s) => parts.push((s.clone(), exact)),
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
            Resolved::Set(Rc::new(union(&parts)))
        } else {
            // A one-unit term that matches anything always has an answer.
            Resolved::Nothing
        };
        let r = Rc::new(resolved);
        self.resolved.insert(key, r.clone());
        Ok(Some(r))
    }

    /// The term's set with every entry's facet ids, from its tokens (rare ones carry them
    /// inline, common ones in a file beside their set); `None` after noting what is needed.
    fn term_facets(&mut self, t: &QueryTerm, need: &mut Vec<String>) -> Read<Option<Rc<TermSet>>> {
        let key = t.key();
        if let Some(s) = self.faceted.get(&key) {
            return Ok(Some(s.clone()));
        }
        // A common term lists its tokens; any other finds them in the dictionary.
        let listed = match self.resolved.get(&key).map(|r| r.as_ref()) {
            Some(Resolved::Answer(Answer { set: SetRef::File(n), .. })) => Some(names::term_tokens(*n)),
            _ => None,
        };
        let tokens: Vec<(SetRef, bool)> = match listed {
            Some(name) => match self.raw.get(&name) {
                Some(bytes) => read_term_tokens(bytes, self.m.docs)?,
                None => {
                    need.push(name);
                    return Ok(None);
                }
            },
            None => {
                let Some(classes) = t.first_classes() else { return Ok(None) };
                let d = names::dict(bucket(&classes, self.m.dict_buckets));
                let Some(bytes) = self.raw.get(&d) else {
                    need.push(d);
                    return Ok(None);
                };
                read_tokens(bytes, self.m.docs)?
                    .into_iter()
                    .filter_map(|token| t.match_token(&token.units).map(|exact| (token.set, exact)))
                    .collect()
            }
        };
        let mut parts: Vec<(Rc<TermSet>, bool)> = Vec::new();
        for (set, exact) in tokens {
            match set {
                SetRef::Inline(s) => parts.push((Rc::new(s), exact)),
                SetRef::File(n) => match (self.sets.get(&n), self.token_facets.get(&n)) {
                    (Some(s), Some(f)) => {
                        parts.push((Rc::new(TermSet { docs: s.docs.clone(), flags: s.flags.clone(), facets: Some(Facets::clone(f)) }), exact))
                    }
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
        let set = Rc::new(union(&parts));
        self.faceted.insert(key, set.clone());
        Ok(Some(set))
    }

    fn set_of(&self, r: &Resolved, need: &mut Vec<String>) -> Option<Rc<TermSet>> {
        match r {
            Resolved::Nothing => Some(Rc::new(TermSet::default())),
            Resolved::Set(s) => Some(s.clone()),
            Resolved::Answer(a) => match &a.set {
                SetRef::Inline(s) => Some(Rc::new(s.clone())),
                SetRef::File(n) => match self.sets.get(n) {
                    Some(s) => Some(s.clone()),
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
        self.run(req, offset, limit, true, true)
    }

    /// As [`Archive::search`], but the facet counts only if they cost nothing more
    /// ([`Page::counted`]): a combined query shows its first results before the entries'
    /// facet ids arrive; ask [`Archive::search`] next for the counts.
    pub fn search_hits(&mut self, req: &Request, offset: usize, limit: usize) -> Read<Step> {
        self.run(req, offset, limit, true, false)
    }

    /// As [`Archive::search`] without the entries (`publisher` 0, `json` empty): ids, total
    /// and counts only, for callers that already hold the entries they show.
    pub fn search_ids(&mut self, req: &Request, offset: usize, limit: usize) -> Read<Step> {
        self.run(req, offset, limit, false, true)
    }

    fn run(&mut self, req: &Request, offset: usize, limit: usize, entries: bool, counts: bool) -> Read<Step> {
        let terms = query_terms(&req.query);
        let mut need = Vec::new();
        let mut resolved = Vec::with_capacity(terms.len());
        for t in &terms {
            resolved.push(self.resolve(t, &mut need)?);
        }
        if !need.is_empty() {
            return Ok(Step::Need(dedup(need)));
        }
        let resolved: Vec<Rc<Resolved>> = resolved.into_iter().flatten().collect();
        let tag_sel = Selection::new(&self.tag_ids, self.m.tags.len(), &req.tags);
        let author_sel = Selection::new(&self.author_ids, self.m.authors.len(), &req.authors);
        let none = Selection { chosen: Vec::new(), active: false, unknown: Vec::new() };
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
                let (tag_counts, author_counts) = (report(&self.m.tags, &k.tags, &none), report(&self.m.authors, &k.authors, &none));
                let inline = req.sort == Sort::Relevance && (want <= k.entries.len() || k.entries.len() >= k.total as usize);
                if inline && entries {
                    let hits = ids
                        .iter()
                        .zip(k.entries.iter().skip(offset))
                        .map(|(&id, (publisher, json))| Hit { id, publisher: *publisher, json: json.clone() })
                        .collect();
                    return Ok(Step::Done(Page { total: k.total as usize, tag_counts, author_counts, counted: true, hits }));
                }
                return self.page(k.total as usize, tag_counts, author_counts, &ids, entries);
            }
        }

        // General: intersect the terms' sets, filter and count by facets, order, page.
        let mut sets = Vec::with_capacity(resolved.len());
        for r in &resolved {
            if let Some(s) = self.set_of(r, &mut need) {
                sets.push(s);
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

        let counted = known.as_ref().filter(|_| !selecting).map(|k| (k.tags.clone(), k.authors.clone()));
        drop(known);
        let mut complete = true;
        let (hits, tag_counts, author_counts) = if let Some((tags, authors)) = counted {
            (matched, report(&self.m.tags, &tags, &none), report(&self.m.authors, &authors, &none))
        } else if !counts && !selecting {
            complete = false;
            (matched, Vec::new(), Vec::new())
        } else {
            // Facet ids of every matched entry: from a set that carries them (every
            // matched entry is in each term's set), else from the tokens of the term with
            // the smallest set, else (a term found almost everywhere, or none) from the
            // facet column.
            let mut carrier = sets.iter().find(|s| s.facets.is_some()).cloned();
            if carrier.is_none() {
                // One already built for an earlier keystroke costs nothing.
                carrier = terms.iter().find_map(|t| self.faceted.get(&t.key()).cloned());
            }
            if carrier.is_none() {
                let smallest = sets.iter().enumerate().min_by_key(|(_, s)| s.docs.len()).map(|(i, s)| (i, s.docs.len()));
                if let Some((i, len)) = smallest.filter(|&(_, len)| (len as u64) * 3 <= u64::from(self.m.docs)) {
                    let _ = len;
                    match self.term_facets(&terms[i], &mut need)? {
                        Some(c) => carrier = Some(c),
                        None if !need.is_empty() => return Ok(Step::Need(dedup(need))),
                        None => {}
                    }
                }
            }
            if carrier.is_none() {
                for s in &matched {
                    let chunk = s.id / self.m.facet_chunk;
                    if !self.facets.contains_key(&chunk) {
                        need.push(names::facets(chunk));
                    }
                }
                if !need.is_empty() {
                    return Ok(Step::Need(dedup(need)));
                }
            }
            let mut tag_counts = vec![0u32; self.m.tags.len()];
            let mut author_counts = vec![0u32; self.m.authors.len()];
            let mut hits = Vec::with_capacity(matched.len());
            let mut at = 0usize;
            for s in matched {
                let (tags, authors) = match &carrier {
                    Some(c) => {
                        while c.docs.get(at).is_some_and(|&d| d < s.id) {
                            at += 1;
                        }
                        c.facets.as_ref().map_or((&[][..], &[][..]), |f| f.of(at))
                    }
                    None => {
                        let f = self.facets.get(&(s.id / self.m.facet_chunk)).ok_or(Corrupt)?;
                        f.of((s.id % self.m.facet_chunk) as usize)
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
                let mut keys: Vec<u64> = hits
                    .iter()
                    .map(|s| (u64::from(255 - s.title_terms) << 40) | (u64::from(255 - s.exact_terms) << 32) | u64::from(s.id))
                    .collect();
                sorting::keys(&mut keys);
                keys.iter().skip(offset).take(limit).map(|&k| (k & 0xFFFF_FFFF) as u32).collect()
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
    fn publisher_order(&self, hits: &[Scored], want: usize, all: bool, need: &mut Vec<String>) -> Read<Option<Vec<u32>>> {
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
            let Some(bytes) = self.raw.get(&name) else {
                need.push(name);
                return Ok(None);
            };
            out.extend(read_ids(bytes)?.into_iter().filter(|&id| all || member.get(id as usize).copied().unwrap_or(false)));
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
            if !self.raw.contains_key(&name) && !need.contains(&name) {
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
        let bytes = self.raw.get(&names::ties(id / self.m.order_chunk))?;
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
            if !self.stores.contains_key(&c) {
                need.push(names::store(c));
            }
        }
        if !need.is_empty() {
            return Ok(Step::Need(dedup(need)));
        }
        let mut hits = Vec::with_capacity(ids.len());
        for &id in ids {
            let chunk = self.stores.get(&(id / self.m.store_chunk)).ok_or(Corrupt)?;
            let (publisher, json) = chunk.get((id % self.m.store_chunk) as usize).ok_or(Corrupt)?;
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

fn dedup(mut v: Vec<String>) -> Vec<String> {
    sorting::stable_by(&mut v, &|a, b| a.cmp(b));
    v.dedup();
    v
}

/// The union of token sets: an entry holds the term when it holds one of the tokens; the
/// title when one of them is in its title; an exact occurrence when the term matches one
/// of its tokens exactly. Facet ids survive only if every part carries them.
fn union(parts: &[(Rc<TermSet>, bool)]) -> TermSet {
    let with_facets = parts.iter().all(|(s, _)| s.facets.is_some());
    let mut all: Vec<(u32, u8, usize, usize)> = Vec::new();
    for (p, (s, exact)) in parts.iter().enumerate() {
        for (i, (&d, &f)) in s.docs.iter().zip(&s.flags).enumerate() {
            all.push((d, (f & TITLE) | if *exact { EXACT } else { 0 }, p, i));
        }
    }
    sorting::stable_by(&mut all, &|a, b| a.0.cmp(&b.0));
    let mut out = TermSet { facets: with_facets.then(Facets::default), ..TermSet::default() };
    for (d, f, p, i) in all {
        if out.docs.last() == Some(&d) {
            if let Some(last) = out.flags.last_mut() {
                *last |= f;
            }
            continue;
        }
        out.docs.push(d);
        out.flags.push(f);
        if let (Some(facets), Some(src)) = (out.facets.as_mut(), parts.get(p).and_then(|(s, _)| s.facets.as_ref())) {
            let (tags, authors) = src.of(i);
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
