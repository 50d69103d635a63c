//! The archive's file kinds as Rust values, each with its writer (the builder's) and its
//! reader (the engine's). Layouts are documented in `docs/reference/archive-index.md`.

use super::codec::{get_set, put_set, skip_set, Corrupt, In, Out, Read};

pub const MAGIC: &[u8; 4] = b"AVA1";
/// Bumped when a reader of the previous version would misread the files. Version 2: the
/// empty query's relevance is newest first, and the publisher's order files are gone.
/// Version 3: pair files carry each value's first page ([`PairFile`]).
pub const VERSION: u64 = 3;

/// The first ids of a result in each order; a reader who scrolls past them needs the set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pages {
    pub relevance: Vec<u32>,
    pub newest: Vec<u32>,
    pub oldest: Vec<u32>,
}

impl Pages {
    fn put(&self, out: &mut Vec<u8>) {
        for list in [&self.relevance, &self.newest, &self.oldest] {
            out.varint(list.len() as u64);
            for &id in list {
                out.varint(u64::from(id));
            }
        }
    }

    /// Ids must be below `domain` (a page can only show entries the archive has).
    fn get(r: &mut In<'_>, domain: u32) -> Read<Pages> {
        let mut list = || -> Read<Vec<u32>> {
            (0..r.count()?)
                .map(|_| match r.u32()? {
                    id if id < domain => Ok(id),
                    id => Err(Corrupt::too_large("an id in a first page", u64::from(id), u64::from(domain))),
                })
                .collect()
        };
        Ok(Pages { relevance: list()?, newest: list()?, oldest: list()? })
    }

    /// As [`Pages::put`], each id written as its difference from the one before (zigzag):
    /// newest ascends, oldest mostly descends, relevance ascends within each group.
    fn put_deltas(&self, out: &mut Vec<u8>) {
        for list in [&self.relevance, &self.newest, &self.oldest] {
            out.varint(list.len() as u64);
            let mut last = 0i64;
            for &id in list {
                let d = i64::from(id) - last;
                out.varint(((d << 1) ^ (d >> 63)) as u64);
                last = i64::from(id);
            }
        }
    }

    fn get_deltas(r: &mut In<'_>, domain: u32) -> Read<Pages> {
        let mut list = || -> Read<Vec<u32>> {
            let mut last = 0i64;
            (0..r.count()?)
                .map(|_| {
                    let z = r.varint()?;
                    let d = (z >> 1) as i64 ^ -((z & 1) as i64);
                    last = last.checked_add(d).ok_or(Corrupt::malformed("an id past 64 bits in a first page"))?;
                    match u32::try_from(last) {
                        Ok(id) if id < domain => Ok(id),
                        _ => Err(Corrupt::too_large("an id in a first page", last.max(0) as u64, u64::from(domain))),
                    }
                })
                .collect()
        };
        Ok(Pages { relevance: list()?, newest: list()?, oldest: list()? })
    }
}

/// A pair file (`t/<n>x.bin` for a common term, `v/x.bin` for the empty query): the
/// entries whose pairs were not counted, with the (tag, author) pair counts (a
/// [`TermSet`]), then for each tag and each author holding some of the entries, the first
/// ids of those entries in each order. One tag or one author selected, with the empty query
/// or one common term: this file gives the counts and the first page, no set needed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PairFile {
    pub set: TermSet,
    /// (value id, its entries' first pages), ascending by id.
    pub tags: Vec<(u32, Pages)>,
    pub authors: Vec<(u32, Pages)>,
}

impl PairFile {
    pub fn put(&self, out: &mut Vec<u8>, domain: u32) {
        self.set.put(out, domain);
        for list in [&self.tags, &self.authors] {
            out.varint(list.len() as u64);
            // Ids ascend: each written as its distance past the one before.
            let mut next = 0;
            for (v, pages) in list {
                out.varint(u64::from(v - next));
                next = v + 1;
                pages.put_deltas(out);
            }
        }
    }

    /// `values`: how many tags and authors the manifest names. Value ids ascend and stay
    /// below those counts, so the pages held are bounded by what the manifest holds.
    pub fn get(r: &mut In<'_>, domain: u32, values: [usize; 2]) -> Read<PairFile> {
        let set = TermSet::get(r, domain)?;
        let mut lists = [Vec::new(), Vec::new()];
        for (list, limit) in lists.iter_mut().zip(values) {
            let count = r.count()?;
            if count > limit {
                return Err(Corrupt::too_large("the values of a pair file", count as u64, limit as u64));
            }
            let mut next = 0u64;
            for _ in 0..count {
                let v = next + r.varint()?;
                if v >= limit as u64 {
                    return Err(Corrupt::too_large("a value id in a pair file", v, limit as u64));
                }
                list.push((v as u32, Pages::get_deltas(r, domain)?));
                next = v + 1;
            }
        }
        let [tags, authors] = lists;
        Ok(PairFile { set, tags, authors })
    }

    /// The first pages of value `id` of the tags (`tag`) or the authors; empty when none of
    /// the entries has it.
    pub fn pages(&self, tag: bool, id: u32) -> Option<&Pages> {
        let list = if tag { &self.tags } else { &self.authors };
        list.iter().find(|(v, _)| *v == id).map(|(_, p)| p)
    }
}

/// The most entries an archive may hold: 4,194,304, four times the largest archive measured.
/// Nothing in the manifest proves its entry count, and a reader allocates per entry (the
/// empty query's selection: 8 bytes each; a set of almost every entry: 5 bytes each), so
/// the count a manifest may claim is what bounds that memory: about 34 MB at the cap.
pub const MAX_DOCS: u32 = 1 << 22;

/// The most facet column and order files an archive may be cut into: the engine names the
/// files a step needs in one list, so a chunk size of 1 must not make it millions long.
pub const MAX_CHUNKS: u32 = 4096;

/// `manifest.bin`: everything needed before the first query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    pub docs: u32,
    /// Ids from here on have no date (they sort last in both date orders).
    pub first_undated: u32,
    pub store_chunk: u32,
    pub facet_chunk: u32,
    pub order_chunk: u32,
    pub answer_buckets: u32,
    pub dict_buckets: u32,
    /// Terms found in at least this many entries have a precomputed answer and a set file.
    pub heavy: u32,
    /// Facet values by id: name and number of entries.
    pub tags: Vec<(String, u32)>,
    pub authors: Vec<(String, u32)>,
    /// The empty query's first pages.
    pub first: Pages,
    /// The entries of the empty query's first relevance page.
    pub first_entries: Vec<(u32, String)>,
}

impl Manifest {
    pub fn write(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.varint(VERSION);
        for v in [
            self.docs,
            self.first_undated,
            self.store_chunk,
            self.facet_chunk,
            self.order_chunk,
            self.answer_buckets,
            self.dict_buckets,
            self.heavy,
        ] {
            out.varint(u64::from(v));
        }
        for facet in [&self.tags, &self.authors] {
            out.varint(facet.len() as u64);
            for (name, n) in facet {
                out.text(name.as_bytes());
                out.varint(u64::from(*n));
            }
        }
        self.first.put(&mut out);
        out.varint(self.first_entries.len() as u64);
        for (publisher, json) in &self.first_entries {
            out.varint(u64::from(*publisher));
            out.text(json.as_bytes());
        }
        out
    }

    pub fn read(bytes: &[u8]) -> Read<Manifest> {
        let mut r = In::new(bytes);
        if r.bytes(4)? != MAGIC {
            return Err(Corrupt::malformed("not an archive manifest (no AVA1)"));
        }
        if r.varint()? != VERSION {
            return Err(Corrupt::malformed("an index format version this viewer does not read"));
        }
        let mut m = Manifest {
            docs: r.u32()?,
            first_undated: r.u32()?,
            store_chunk: r.u32()?.max(1),
            facet_chunk: r.u32()?.max(1),
            order_chunk: r.u32()?.max(1),
            answer_buckets: r.u32()?.max(1),
            dict_buckets: r.u32()?.max(1),
            heavy: r.u32()?,
            ..Manifest::default()
        };
        m.check()?;
        for facet in [&mut m.tags, &mut m.authors] {
            for _ in 0..r.count()? {
                facet.push((r.string()?, r.u32()?));
            }
        }
        m.first = Pages::get(&mut r, m.docs)?;
        m.first_entries = (0..r.count()?).map(|_| Ok((r.u32()?, r.string()?))).collect::<Read<Vec<_>>>()?;
        Ok(m)
    }
}

impl Manifest {
    /// A reader allocates per entry and names files per chunk: a manifest claiming more
    /// than [`MAX_DOCS`] entries or [`MAX_CHUNKS`] chunks is refused rather than trusted with
    /// the tab's memory.
    fn check(&self) -> Read<()> {
        let too_large = |what, claimed: u32, limit: u32| Err(Corrupt::too_large(what, claimed.into(), limit.into()));
        if self.docs > MAX_DOCS {
            return too_large("the entry count", self.docs, MAX_DOCS);
        }
        if self.first_undated > self.docs {
            return too_large("the first undated entry", self.first_undated, self.docs);
        }
        for (what, chunk) in
            [("the facet column's file count", self.facet_chunk), ("the ties' file count", self.order_chunk)]
        {
            if self.docs.div_ceil(chunk) > MAX_CHUNKS {
                return too_large(what, self.docs.div_ceil(chunk), MAX_CHUNKS);
            }
        }
        Ok(())
    }
}

/// Entries holding a term (or a token), ascending, with per entry: whether the title holds
/// it, whether some occurrence is exact, and (when the file carries them) its facet ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermSet {
    pub docs: Vec<u32>,
    /// Bit 0: in the title; bit 1: exact.
    pub flags: Vec<u8>,
    pub facets: Option<Facets>,
    /// How many of the entries have each (tag, author) pair: the counts under one selected
    /// tag and/or author without facet ids (`t/<n>x.bin` for a common term, `v/x.bin`).
    pub cross: Vec<(u32, u32, u32)>,
}

pub const TITLE: u8 = 1;
pub const EXACT: u8 = 2;

/// Facet ids of a run of entries: `ids[offsets[i]..offsets[i + 1]]` is entry i's, tags
/// first, `tag_counts[i]` of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub offsets: Vec<u32>,
    pub tag_counts: Vec<u8>,
    pub ids: Vec<u32>,
}

impl Facets {
    pub fn push(&mut self, tags: &[u32], authors: &[u32]) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.tag_counts.push(tags.len().min(255) as u8);
        self.ids.extend_from_slice(&tags[..tags.len().min(255)]);
        self.ids.extend_from_slice(authors);
        self.offsets.push(self.ids.len() as u32);
    }

    pub fn len(&self) -> usize {
        self.tag_counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tag_counts.is_empty()
    }

    /// (tags, authors) of the i-th entry.
    pub fn of(&self, i: usize) -> (&[u32], &[u32]) {
        let (Some(&a), Some(&b), Some(&t)) = (self.offsets.get(i), self.offsets.get(i + 1), self.tag_counts.get(i))
        else {
            return (&[], &[]);
        };
        let all = self.ids.get(a as usize..b as usize).unwrap_or(&[]);
        all.split_at((t as usize).min(all.len()))
    }

    pub fn put(&self, out: &mut Vec<u8>) {
        for i in 0..self.len() {
            let (tags, authors) = self.of(i);
            for list in [tags, authors] {
                out.varint(list.len() as u64);
                for &id in list {
                    out.varint(u64::from(id));
                }
            }
        }
    }

    pub fn get(r: &mut In<'_>, n: usize) -> Read<Facets> {
        check_facets(r, n)?;
        let mut f = Facets::default();
        let mut tags = Vec::new();
        let mut authors = Vec::new();
        for _ in 0..n {
            tags.clear();
            authors.clear();
            for list in [&mut tags, &mut authors] {
                for _ in 0..r.count()? {
                    list.push(r.u32()?);
                }
            }
            f.push(&tags, &authors);
        }
        Ok(f)
    }
}

impl TermSet {
    pub fn put(&self, out: &mut Vec<u8>, domain: u32) {
        put_set(out, &self.docs, domain);
        let positions = |bit: u8, want: bool| -> Vec<u32> {
            self.flags.iter().enumerate().filter(|(_, &f)| (f & bit != 0) == want).map(|(i, _)| i as u32).collect()
        };
        let n = self.docs.len() as u32;
        put_set(out, &positions(TITLE, true), n);
        put_set(out, &positions(EXACT, false), n);
        match &self.facets {
            Some(f) => {
                out.push(1);
                f.put(out);
            }
            None => out.push(0),
        }
        out.varint(self.cross.len() as u64);
        let mut last = 0;
        for &(t, a, n) in &self.cross {
            out.varint(u64::from(t - last));
            out.varint(u64::from(a));
            out.varint(u64::from(n));
            last = t;
        }
    }

    pub fn get(r: &mut In<'_>, domain: u32) -> Read<TermSet> {
        let docs = get_set(r, domain)?;
        let n = docs.len() as u32;
        let mut flags = vec![EXACT; docs.len()];
        // Positions within the set cost no more than the set itself did: granted, for
        // these two sets only.
        for i in r.granted(n.into(), |r| get_set(r, n))? {
            flags[i as usize] |= TITLE;
        }
        for i in r.granted(n.into(), |r| get_set(r, n))? {
            flags[i as usize] &= !EXACT;
        }
        let facets = match r.byte()? {
            0 => None,
            _ => Some(Facets::get(r, docs.len())?),
        };
        let mut cross = Vec::new();
        let mut t = 0u32;
        for _ in 0..r.count()? {
            t = t.checked_add(r.u32()?).ok_or(Corrupt::malformed("a tag id over 32 bits"))?;
            cross.push((t, r.u32()?, r.u32()?));
        }
        Ok(TermSet { docs, flags, facets, cross })
    }

    /// Steps over what [`TermSet::put`] wrote without allocating.
    pub fn skip(r: &mut In<'_>, domain: u32) -> Read<()> {
        let n = skip_set(r, domain)?;
        skip_set(r, n)?;
        skip_set(r, n)?;
        if r.byte()? != 0 {
            for _ in 0..check_facets(r, n as usize)? * 2 {
                for _ in 0..r.count()? {
                    r.varint()?;
                }
            }
        }
        for _ in 0..r.count()? * 3 {
            r.varint()?;
        }
        Ok(())
    }
}

/// Facet ids for `n` entries take two counts each: at least two bytes.
fn check_facets(r: &In<'_>, n: usize) -> Read<usize> {
    if n > r.left() / 2 {
        return Err(Corrupt::too_large(
            "the entries of a facet list, two bytes each at least,",
            n as u64,
            (r.left() / 2) as u64,
        ));
    }
    Ok(n)
}

impl TermSet {}

/// Where a term's or a token's set is: its own file, or right here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetRef {
    File(u32),
    Inline(TermSet),
}

impl SetRef {
    fn put(&self, out: &mut Vec<u8>, domain: u32) {
        match self {
            SetRef::File(n) => {
                out.push(0);
                out.varint(u64::from(*n));
            }
            SetRef::Inline(s) => {
                out.push(1);
                s.put(out, domain);
            }
        }
    }

    fn get(r: &mut In<'_>, domain: u32) -> Read<SetRef> {
        Ok(match r.byte()? {
            0 => SetRef::File(r.u32()?),
            _ => SetRef::Inline(TermSet::get(r, domain)?),
        })
    }

    fn skip(r: &mut In<'_>, domain: u32) -> Read<()> {
        match r.byte()? {
            0 => r.u32().map(|_| ()),
            _ => TermSet::skip(r, domain),
        }
    }
}

/// A precomputed answer to one term (`a/<bucket>.bin` holds a list of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub key: Vec<u8>,
    pub total: u32,
    /// (facet id, entries), nonzero only, ascending ids.
    pub tag_counts: Vec<(u32, u32)>,
    pub author_counts: Vec<(u32, u32)>,
    pub pages: Pages,
    pub set: SetRef,
    /// The first relevance page's entries (place in the publisher's collection, Summary
    /// JSON), so that a keystroke on a common term is one file.
    pub entries: Vec<(u32, String)>,
}

pub fn write_answers(answers: &[Answer], domain: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.varint(answers.len() as u64);
    for a in answers {
        out.text(&a.key);
        out.varint(u64::from(a.total));
        for counts in [&a.tag_counts, &a.author_counts] {
            out.varint(counts.len() as u64);
            let mut next = 0;
            for &(id, n) in counts.iter() {
                out.varint(u64::from(id - next));
                out.varint(u64::from(n));
                next = id + 1;
            }
        }
        a.pages.put(&mut out);
        a.set.put(&mut out, domain);
        out.varint(a.entries.len() as u64);
        for (publisher, json) in &a.entries {
            out.varint(u64::from(*publisher));
            out.text(json.as_bytes());
        }
    }
    out
}

/// The answer for `key` in a bucket file, if the builder wrote one. The other answers are
/// stepped over, their sets never decoded.
pub fn find_answer(r: &mut In<'_>, key: &[u8], domain: u32) -> Read<Option<Answer>> {
    for _ in 0..r.count()? {
        if r.text()? != key {
            skip_answer(r, domain)?;
            continue;
        }
        let total = r.u32()?;
        let mut counts = [Vec::new(), Vec::new()];
        for c in counts.iter_mut() {
            let mut next = 0u32;
            for _ in 0..r.count()? {
                let id = next.checked_add(r.u32()?).ok_or(Corrupt::malformed("a facet id over 32 bits"))?;
                c.push((id, r.u32()?));
                next = id.saturating_add(1);
            }
        }
        let pages = Pages::get(r, domain)?;
        let set = SetRef::get(r, domain)?;
        let entries = (0..r.count()?).map(|_| Ok((r.u32()?, r.string()?))).collect::<Read<Vec<_>>>()?;
        let [tag_counts, author_counts] = counts;
        return Ok(Some(Answer { key: key.to_vec(), total, tag_counts, author_counts, pages, set, entries }));
    }
    Ok(None)
}

/// Steps over an answer after its key.
fn skip_answer(r: &mut In<'_>, domain: u32) -> Read<()> {
    r.varint()?;
    for _ in 0..2 {
        for _ in 0..r.count()? * 2 {
            r.varint()?;
        }
    }
    for _ in 0..3 {
        for _ in 0..r.count()? {
            r.varint()?;
        }
    }
    SetRef::skip(r, domain)?;
    for _ in 0..r.count()? {
        r.varint()?;
        r.text()?;
    }
    Ok(())
}

/// `d/<bucket>.bin`: tokens, each its folded units and its set.
pub fn write_tokens(tokens: &[(&[u16], &SetRef)], domain: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.varint(tokens.len() as u64);
    for (units, set) in tokens {
        out.varint(units.len() as u64);
        for &u in units.iter() {
            out.varint(u64::from(u));
        }
        set.put(&mut out, domain);
    }
    out
}

/// A token of a dictionary bucket, its set not decoded yet: `bytes[set]` is the set, for
/// [`read_set_ref`]. A term matches few of a bucket's tokens, so only theirs are decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenAt {
    pub units: Vec<u16>,
    pub set: std::ops::Range<usize>,
}

pub fn read_tokens(bytes: &[u8], domain: u32) -> Read<Vec<TokenAt>> {
    let mut r = In::new(bytes);
    (0..r.count()?)
        .map(|_| {
            let units = (0..r.count()?)
                .map(|_| u16::try_from(r.varint()?).map_err(|_| Corrupt::malformed("a token unit over 16 bits")))
                .collect::<Read<Vec<u16>>>()?;
            let start = r.position();
            SetRef::skip(&mut r, domain)?;
            Ok(TokenAt { units, set: start..r.position() })
        })
        .collect()
}

/// Decodes a set that [`read_tokens`] stepped over (`r` reads only its bytes).
pub fn read_set_ref(r: &mut In<'_>, domain: u32) -> Read<SetRef> {
    SetRef::get(r, domain)
}

/// `s/<chunk>.bin`: consecutive entries, each its place in the publisher's collection and
/// its Summary as format-v1 JSON.
pub fn write_store(docs: &[(u32, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    out.varint(docs.len() as u64);
    for (publisher, json) in docs {
        out.varint(u64::from(*publisher));
        out.text(json);
    }
    out
}

pub fn read_store(bytes: &[u8]) -> Read<Vec<(u32, String)>> {
    let mut r = In::new(bytes);
    (0..r.count()?).map(|_| Ok((r.u32()?, r.string()?))).collect()
}

/// `t/<n>k.bin`: the tokens a common term matches, each with whether the term is exact in
/// it: common tokens by set number (their facet ids beside), rare ones inline with theirs.
pub fn write_term_tokens(parts: &[(SetRef, bool)], domain: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.varint(parts.len() as u64);
    for (set, exact) in parts {
        out.push(u8::from(*exact));
        set.put(&mut out, domain);
    }
    out
}

pub fn read_term_tokens(r: &mut In<'_>, domain: u32) -> Read<Vec<(SetRef, bool)>> {
    (0..r.count()?)
        .map(|_| {
            let exact = r.byte()? != 0;
            Ok((SetRef::get(r, domain)?, exact))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::codec::Why;
    use super::*;

    fn refusal<T: std::fmt::Debug>(r: Read<T>) -> Why {
        r.unwrap_err().why
    }

    #[test]
    fn a_manifest_claiming_more_entries_than_a_reader_holds_is_refused() {
        let ok = Manifest { docs: 10, first_undated: 10, ..Manifest::default() };
        assert_eq!(Manifest::read(&ok.write()).map(|m| m.docs).ok(), Some(10));
        let claims = |m: Manifest| refusal(Manifest::read(&m.write()));
        let too_large = |what, claimed, limit| Why::TooLarge { what, claimed, limit };
        assert_eq!(
            claims(Manifest { docs: 50_000_000, ..Manifest::default() }),
            too_large("the entry count", 50_000_000, 1 << 22)
        );
        assert_eq!(
            claims(Manifest { docs: 10, first_undated: 11, ..Manifest::default() }),
            too_large("the first undated entry", 11, 10)
        );
        // Chunks of one entry would make a step name millions of files.
        let tiny_chunks = Manifest { docs: MAX_DOCS, facet_chunk: 1, order_chunk: 4096, ..Manifest::default() };
        assert_eq!(claims(tiny_chunks), too_large("the facet column's file count", u64::from(MAX_DOCS), 4096));
        let tiny_orders = Manifest { docs: MAX_DOCS, facet_chunk: 65_536, order_chunk: 2, ..Manifest::default() };
        assert_eq!(claims(tiny_orders), too_large("the ties' file count", u64::from(MAX_DOCS) / 2, 4096));
        let paged =
            Manifest { docs: 3, first: Pages { relevance: vec![0, 7], ..Pages::default() }, ..Manifest::default() };
        assert_eq!(claims(paged), too_large("an id in a first page", 7, 3));
    }

    /// An inline set of every entry in 9 bytes: complement with nothing absent, no title or
    /// inexact positions, no facets, no pairs.
    const EVERY: [u8; 9] = [1, 2, 0, 0, 0, 0, 0, 0, 0];

    #[test]
    fn a_bucket_is_searched_without_decoding_the_other_answers_sets() {
        let small = TermSet { docs: vec![3], flags: vec![EXACT], ..TermSet::default() };
        let answer = |key: &[u8], set: SetRef| Answer {
            key: key.to_vec(),
            total: 1,
            tag_counts: vec![],
            author_counts: vec![],
            pages: Pages::default(),
            set,
            entries: vec![(0, "{}".into())],
        };
        // Answer "x" names set file 0 ([0, 0], before its entry's 5 bytes): tampered into an
        // inline set of every entry (a million ids).
        let mut bytes = write_answers(&[answer(b"x", SetRef::File(0))], 1 << 20);
        let at = bytes.len() - 7;
        assert_eq!(bytes[at..at + 2], [0, 0]);
        bytes.splice(at..at + 2, EVERY);
        bytes[0] = 2;
        bytes.extend_from_slice(&write_answers(&[answer(b"y", SetRef::Inline(small.clone()))], 1 << 20)[1..]);
        let found = find_answer(&mut In::new(&bytes), b"y", 1 << 20).unwrap().unwrap();
        assert_eq!(found.set, SetRef::Inline(small), "found with no grant: x's set was stepped over");
        let e = find_answer(&mut In::new(&bytes), b"x", 1 << 20).unwrap_err();
        assert!(matches!(e.why, Why::TooLarge { claimed: 1_048_576, .. }), "{e}");
    }

    #[test]
    fn a_dictionary_is_listed_without_decoding_its_tokens_sets() {
        let mut bytes = vec![100];
        for _ in 0..100 {
            bytes.extend([2, b'a', b'b']);
            bytes.extend(EVERY);
        }
        let tokens = read_tokens(&bytes, 1 << 20).unwrap();
        assert_eq!(tokens.len(), 100);
        assert_eq!(bytes[tokens[1].set.clone()], EVERY);
        // Decoding one costs what its nine bytes hold, unless granted.
        let e = read_set_ref(&mut In::new(&bytes[tokens[0].set.clone()]), 1 << 20).unwrap_err();
        assert_eq!(
            e.why,
            Why::TooLarge {
                what: "a complement set, against this request's grant of ids,",
                claimed: 1 << 20,
                limit: 72
            }
        );
    }

    #[test]
    fn facet_lists_longer_than_their_bytes_are_refused_before_allocating() {
        // A bitmap of 64 entries, then facet ids for them in 4 bytes.
        let mut bytes = vec![1];
        bytes.extend([0xFF; 8]);
        bytes.extend([0, 0, 0, 0, 1, 0, 0, 0, 0]);
        let e = TermSet::get(&mut In::new(&bytes), 64).unwrap_err();
        assert_eq!(
            e.why,
            Why::TooLarge { what: "the entries of a facet list, two bytes each at least,", claimed: 64, limit: 2 }
        );
        assert_eq!(refusal(TermSet::skip(&mut In::new(&bytes), 64)), e.why, "skipping checks the same");
        // A store file claiming a million entries in three bytes.
        let mut lying = Vec::new();
        lying.varint(1_000_000);
        assert_eq!(
            refusal(read_store(&lying)),
            Why::TooLarge { what: "a count of items, each a byte or more,", claimed: 1_000_000, limit: 1 }
        );
    }

    #[test]
    fn every_cut_of_an_honest_file_is_refused_and_nothing_panics() {
        let set = TermSet { docs: vec![1, 5, 9], flags: vec![3, 2, 0], facets: None, cross: vec![(0, 1, 2)] };
        let mut with_facets = set.clone();
        with_facets.facets = Some(Facets::default());
        for i in 0..3 {
            with_facets.facets.as_mut().unwrap().push(&[i], &[i + 1, 2]);
        }
        let manifest = Manifest {
            docs: 10,
            tags: vec![("t".into(), 2)],
            first: Pages { relevance: vec![1, 2], newest: vec![1], oldest: vec![] },
            first_entries: vec![(0, "{}".into())],
            ..Manifest::default()
        };
        let mut set_bytes = Vec::new();
        set.put(&mut set_bytes, 10);
        let ref_bytes = |s: SetRef| write_tokens(&[(&[97, 98], &s)], 10);
        let files: Vec<(&str, Vec<u8>)> = vec![
            ("manifest", manifest.write()),
            ("set", set_bytes),
            ("tokens", ref_bytes(SetRef::Inline(with_facets))),
            (
                "answers",
                write_answers(
                    &[Answer {
                        key: b"k".to_vec(),
                        total: 3,
                        tag_counts: vec![(0, 3)],
                        author_counts: vec![],
                        pages: Pages::default(),
                        set: SetRef::File(2),
                        entries: vec![],
                    }],
                    10,
                ),
            ),
            ("store", write_store(&[(3, b"{}")])),
            ("pairs", pair_file()),
        ];
        let read = |kind: &str, b: &[u8]| -> Read<()> {
            match kind {
                "manifest" => Manifest::read(b).map(|_| ()),
                "set" => TermSet::get(&mut In::new(b), 10).map(|_| ()),
                "tokens" => read_tokens(b, 10).and_then(|t| {
                    t.iter().try_for_each(|t| read_set_ref(&mut In::new(&b[t.set.clone()]), 10).map(|_| ()))
                }),
                "answers" => find_answer(&mut In::new(b), b"k", 10)
                    .and_then(|a| a.map(|_| ()).ok_or(Corrupt::malformed("absent"))),
                "pairs" => PairFile::get(&mut In::new(b), 10, [3, 2]).map(|_| ()),
                _ => read_store(b).map(|_| ()),
            }
        };
        for (kind, bytes) in &files {
            assert_eq!(read(kind, bytes), Ok(()), "{kind} whole");
            for cut in 0..bytes.len() {
                assert!(read(kind, &bytes[..cut]).is_err(), "{kind} cut at {cut}");
            }
        }
    }

    /// A pair file of ten entries: two tags and one author with their first pages.
    fn pair_file() -> Vec<u8> {
        let pages = |ids: &[u32]| Pages { relevance: ids.to_vec(), newest: ids.to_vec(), oldest: ids.to_vec() };
        let file = PairFile {
            set: TermSet { cross: vec![(0, 1, 2), (2, 1, 1)], ..TermSet::default() },
            tags: vec![(0, pages(&[1, 5])), (2, pages(&[9]))],
            authors: vec![(1, Pages { relevance: vec![9, 1, 5], newest: vec![1, 5, 9], oldest: vec![9, 5, 1] })],
        };
        let mut b = Vec::new();
        file.put(&mut b, 10);
        assert_eq!(PairFile::get(&mut In::new(&b), 10, [3, 2]), Ok(file));
        b
    }

    #[test]
    fn a_pair_file_naming_more_values_than_the_manifest_or_ids_past_its_entries_is_refused() {
        let b = pair_file();
        // The manifest names 2 tags: tag 2 is past them.
        let e = PairFile::get(&mut In::new(&b), 10, [2, 2]).unwrap_err();
        assert_eq!(e.to_string(), "archive file: a value id in a pair file claims 2, over the limit of 2");
        // One tag only: two values listed.
        let e = PairFile::get(&mut In::new(&b), 10, [1, 2]).unwrap_err();
        assert_eq!(e.to_string(), "archive file: the values of a pair file claims 2, over the limit of 1");
        // Five entries: id 9 of a first page is past them.
        let e = PairFile::get(&mut In::new(&b), 5, [3, 2]).unwrap_err();
        assert_eq!(e.to_string(), "archive file: an id in a first page claims 5, over the limit of 5");
    }
}
