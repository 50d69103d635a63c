//! Builds the archive: reads the collection (streamed), numbers entries newest first,
//! collects each token's entries, precomputes answers for what readers type, and writes
//! every file through [`Output`].

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::codec::{bucket, names};
use crate::files::{
    write_answers, write_store, write_term_tokens, write_tokens, Answer, Facets, Manifest, Pages, PairFile, SetRef,
    TermSet, EXACT, MAX_DOCS, TITLE,
};
use article_viewer_core::format::{parse_summary, write_document, ArchivePointer, Collection, Document, Warning};
use article_viewer_core::listing;
use article_viewer_core::search::{
    facet_key, field_tokens, query_terms, searched_fields, token_streams, unit_class, QueryTerm,
};
use rayon::prelude::*;

use super::read::{read, Head};
use super::typed::typings;
use super::write::{fnv64, Output, FNV_SEED};
use article_viewer_publish::Error;

#[derive(Clone, Debug)]
pub struct Options {
    /// Terms in at least this many entries get an answer (default: 0.1% of the entries,
    /// at least 100).
    pub heavy: Option<u32>,
    /// Ids kept per order in an answer (a reader's first pages).
    pub pages: usize,
    /// Entries carried in an answer (the first relevance page, `listing::PAGE_SIZE`).
    pub inline: usize,
    /// Ids kept per order for each tag and author in a pair file: the first page under one
    /// selected value (`listing::PAGE_SIZE`).
    pub value_pages: usize,
    pub store_chunk: u32,
    pub facet_chunk: u32,
    pub order_chunk: u32,
    /// Entries listed in `index.json` for version-1 readers (the first, newest first).
    pub listed: usize,
    /// Target size of a bucket file before compression.
    pub answer_bucket_bytes: usize,
    pub dict_bucket_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            heavy: None,
            pages: 48,
            inline: article_viewer_core::listing::PAGE_SIZE,
            value_pages: article_viewer_core::listing::PAGE_SIZE,
            store_chunk: 8,
            facet_chunk: 65_536,
            order_chunk: 4096,
            listed: 100,
            answer_bucket_bytes: 6_000,
            dict_bucket_bytes: 24_000,
        }
    }
}

/// What was built.
#[derive(Debug, Default)]
pub struct Built {
    pub docs: usize,
    pub dropped: usize,
    pub files: usize,
    pub bytes: u64,
    pub answers: usize,
    pub tokens: usize,
    pub warnings: Vec<Warning>,
    /// The archive folder's name inside the output (`v1-<hash>`).
    pub folder: String,
    /// The threshold used (`Options::heavy` or its default).
    pub heavy: u32,
    /// (tag, author) pairs counted over all pair files: the work [`MAX_PAIRS_PER_ENTRY`]
    /// bounds. Read by the tests (the command's summary does not print it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub pairs: u64,
}

/// One entry as read (in parallel), before numbering.
struct Read {
    secs: Option<i64>,
    json: Vec<u8>,
    /// Distinct tokens, and whether each is in the title.
    tokens: Vec<(Vec<u16>, bool)>,
    tags: Vec<String>,
    authors: Vec<String>,
}

/// One entry as kept: what the files need.
struct Doc {
    publisher: u32,
    secs: Option<i64>,
    json: Vec<u8>,
    /// Token ids shifted left, low bit: in the title.
    tokens: Vec<u32>,
    tags: Vec<u32>,
    authors: Vec<u32>,
}

fn distinct_keys(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let k = facet_key(v);
        if !k.is_empty() && !out.iter().any(|o| o == k.as_ref()) {
            out.push(k.into_owned());
        }
    }
    out
}

/// Whether `url` is relative to the document that holds it (no scheme, not rooted).
fn is_relative(url: &str) -> bool {
    let scheme = url.find(':').is_some_and(|c| {
        url[..c].chars().all(|ch| ch.is_ascii_alphanumeric() || "+-.".contains(ch)) && !url[..c].is_empty()
    });
    !(scheme || url.starts_with('/') || url.starts_with('#') || url.starts_with('?') || url.is_empty())
}

/// The path from the output folder (where `index.json` is written) to the collection's
/// folder, ending in `/` (empty when they are the same folder).
fn rebase_prefix(collection: &Path, out: &Path) -> String {
    let absolute = |p: &Path| -> std::path::PathBuf {
        let p = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
        let mut clean = std::path::PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    clean.pop();
                }
                std::path::Component::CurDir => {}
                c => clean.push(c),
            }
        }
        clean
    };
    let from: Vec<_> = absolute(out).components().map(|c| c.as_os_str().to_owned()).collect();
    let to: Vec<_> =
        absolute(collection.parent().unwrap_or(Path::new(""))).components().map(|c| c.as_os_str().to_owned()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut prefix = "../".repeat(from.len() - common);
    for c in &to[common..] {
        prefix.push_str(&c.to_string_lossy());
        prefix.push('/');
    }
    prefix
}

/// Relative addresses in an entry resolve against the collection; the archive's entries
/// are read from `index.json`'s folder, so they are rewritten to mean the same files.
fn rebase(s: &mut article_viewer_core::format::Summary, prefix: &str) {
    if prefix.is_empty() {
        return;
    }
    let fix = |u: &mut String| {
        if is_relative(u) {
            *u = format!("{prefix}{u}");
        }
    };
    for u in [s.href.as_mut(), s.url.as_mut(), s.image.as_mut().map(|i| &mut i.src)].into_iter().flatten() {
        fix(u);
    }
    for a in &mut s.authors {
        for u in [a.avatar.as_mut(), a.url.as_mut()].into_iter().flatten() {
            fix(u);
        }
    }
}

fn read_entry(
    i: usize,
    raw: &str,
    prefix: &str,
) -> Result<(Option<Read>, Vec<Warning>), article_viewer_core::format::FormatError> {
    let (summary, warnings) = parse_summary(raw, &format!("articles[{i}]"))?;
    let Some(mut s) = summary else { return Ok((None, warnings)) };
    rebase(&mut s, prefix);
    let e = listing::entry(&s);
    let mut tokens: Vec<(Vec<u16>, bool)> = Vec::new();
    for (f, text) in searched_fields(&e).enumerate() {
        field_tokens(text, &mut |t| tokens.push((t.to_vec(), f == 0)));
    }
    tokens.sort();
    // Same token in and out of the title: keep one, marked as in the title.
    tokens.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            earlier.1 |= later.1;
            true
        } else {
            false
        }
    });
    let json = serde_json::to_vec(&s).unwrap_or_default();
    Ok((
        Some(Read {
            secs: s.published.as_ref().map(|d| d.at.unix_seconds()),
            json,
            tokens,
            tags: distinct_keys(&s.tags),
            authors: distinct_keys(&e.authors),
        }),
        warnings,
    ))
}

/// Interns names to ids, counting uses.
#[derive(Default)]
struct Names {
    ids: HashMap<String, u32>,
    names: Vec<(String, u32)>,
}

impl Names {
    fn id(&mut self, name: String) -> u32 {
        if let Some(&id) = self.ids.get(&name) {
            self.names[id as usize].1 += 1;
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.clone(), id);
        self.names.push((name, 1));
        id
    }
}

/// The most (tag, author) pairs counted for one entry. An entry holds tags × authors pairs
/// (10,000 within the viewer's limits of 100 each), counted again for every common term it
/// is in: an entry with more than this is not counted but listed in the pair file, and the
/// engine counts a question over a listed entry from facet ids instead (exact, one more
/// round trip). Counting is thereby at most this many pairs per entry and term.
pub const MAX_PAIRS_PER_ENTRY: usize = 256;

/// How many of some entries have each (tag, author) pair, by tag then author, and the
/// entries left uncounted (over [`MAX_PAIRS_PER_ENTRY`]).
struct PairCounts {
    cross: Vec<(u32, u32, u32)>,
    uncounted: Vec<u32>,
    /// Pairs looked at: the work done.
    counted: u64,
}

impl PairCounts {
    fn of(docs: impl Iterator<Item = u32>, column: &Facets) -> PairCounts {
        let mut pairs: Vec<u64> = Vec::new();
        let mut uncounted = Vec::new();
        for id in docs {
            let (tags, authors) = column.of(id as usize);
            if tags.len().saturating_mul(authors.len()) > MAX_PAIRS_PER_ENTRY {
                uncounted.push(id);
                continue;
            }
            for &t in tags {
                for &a in authors {
                    pairs.push(u64::from(t) << 32 | u64::from(a));
                }
            }
        }
        let counted = pairs.len() as u64;
        pairs.sort_unstable();
        let mut cross: Vec<(u32, u32, u32)> = Vec::new();
        for p in pairs {
            let (t, a) = ((p >> 32) as u32, p as u32);
            match cross.last_mut() {
                Some(last) if last.0 == t && last.1 == a => last.2 += 1,
                _ => cross.push((t, a, 1)),
            }
        }
        PairCounts { cross, uncounted, counted }
    }

    /// The pair file (`t/<n>x.bin`, `v/x.bin`): a set of the uncounted entries (empty when
    /// every entry was counted), carrying the counts, then each value's first pages.
    fn file(self, domain: u32, [tags, authors]: [Vec<(u32, Pages)>; 2]) -> Vec<u8> {
        let flags = vec![EXACT; self.uncounted.len()];
        let set = TermSet { docs: self.uncounted, flags, cross: self.cross, facets: None };
        let mut bytes = Vec::new();
        PairFile { set, tags, authors }.put(&mut bytes, domain);
        bytes
    }
}

/// Common terms built in parallel at a time before the ones with the same set share files.
const TERM_BATCH: usize = 512;

/// A term's answer, and its files when it has a set file.
type Answered = (Answer, Option<TermFiles>);

/// A common term's files, before they are written: its set, its pair file, its tokens.
struct TermFiles {
    no: u32,
    set: Vec<u8>,
    pairs: Vec<u8>,
    tokens: Option<Vec<u8>>,
}

impl TermFiles {
    fn write(&self, output: &Output) -> Result<(), Error> {
        output.put(&names::set(self.no), &self.set)?;
        output.put(&names::term_pairs(self.no), &self.pairs)?;
        match &self.tokens {
            Some(t) => output.put(&names::term_tokens(self.no), t),
            None => Ok(()),
        }
    }
}

/// The oldest-first order of ascending `ids`, as far as `want`: dated entries by date
/// (runs of equal dates ascending), then undated ones.
fn oldest_first(ids: &[u32], first_undated: u32, ties: &[bool], want: usize) -> Vec<u32> {
    let split = ids.partition_point(|&id| id < first_undated);
    let (dated, undated) = ids.split_at(split);
    let mut out = Vec::with_capacity(want.min(ids.len()));
    let mut i = dated.len();
    while i > 0 && out.len() < want {
        let mut start = dated[i - 1];
        while start > 0 && ties[start as usize] {
            start -= 1;
        }
        let j = dated[..i].partition_point(|&id| id < start);
        out.extend_from_slice(&dated[j..i]);
        i = j;
    }
    out.extend(undated.iter().take(want.saturating_sub(out.len())));
    out.truncate(want);
    out
}

pub fn build(collection: &Path, out: &Path, o: &Options) -> Result<Built, Error> {
    let output = Output::new(out, collection)?;
    match build_into(collection, out, &output, o) {
        Ok((mut built, index)) => {
            let (files, bytes) = output.finish(|folder| {
                built.folder = folder.to_string();
                index(folder)
            })?;
            built.files = files;
            built.bytes = bytes;
            Ok(built)
        }
        Err(e) => {
            output.abandon();
            Err(e)
        }
    }
}

type IndexJson = Box<dyn FnOnce(&str) -> Vec<u8>>;

/// Each token's entries: ids shifted left, low bit: in the title (ascending ids).
type Postings = Vec<Vec<u32>>;

/// (facet id, entries), nonzero only, ascending ids.
type Counts = Vec<(u32, u32)>;

/// Writes every file but `index.json`, and returns what was built and how to write `index.json`.
fn build_into(collection: &Path, out: &Path, output: &Output, o: &Options) -> Result<(Built, IndexJson), Error> {
    let clock = Clock::from_env();
    let (head, collected, warnings) = read_collection(collection, out)?;
    clock.step("read");
    let mut b = Build::number(collected, output, o);
    let postings = b.postings();
    clock.step("ids, postings, column");
    let candidates = Candidates::of(&b.vocab);
    let terms = b.typed_terms(&postings);
    clock.step(&format!("{} typed terms enumerated", terms.len()));
    let answers = b.answers(&terms, &postings, &candidates)?;
    // Set files are numbered by term, then by token: the same collection gives the same files.
    let token_set_base = terms.len() as u32;
    drop(terms);
    clock.step("answers");
    let token_sets = b.token_sets(&postings, token_set_base)?;
    drop(postings);
    let dict_buckets = b.dictionary(&token_sets, &candidates.pairs_of)?;
    drop((token_sets, candidates));
    clock.step("tokens, dictionary");
    let answer_count = answers.len();
    let answer_buckets = b.answer_buckets(answers)?;
    clock.step("answer buckets");
    b.store()?;
    b.facet_chunks()?;
    b.orders()?;
    clock.step("entries, column, orders");
    b.facet_values()?;
    b.manifest(answer_buckets, dict_buckets)?;
    Ok(b.finish(head, warnings, answer_count))
}

/// `AV_INDEX_TIMES=1` prints how long each stage took (to stderr).
struct Clock {
    started: std::time::Instant,
    on: bool,
}

impl Clock {
    /// Starts the clock, printing only when `AV_INDEX_TIMES` is set.
    fn from_env() -> Clock {
        Clock { started: std::time::Instant::now(), on: std::env::var_os("AV_INDEX_TIMES").is_some() }
    }

    /// Prints the time since the start, after `what` was done.
    fn step(&self, what: &str) {
        if self.on {
            let put = super::write::PUT_NANOS.load(Relaxed) as f64 / 1e9;
            eprintln!(
                "{:>7.1} s  {what} (compressing and writing so far: {put:.1} s of CPU)",
                self.started.elapsed().as_secs_f64()
            );
        }
    }
}

/// Interns tokens to ids, in order of first use.
#[derive(Default)]
struct Vocab {
    tokens: Vec<Vec<u16>>,
    ids: HashMap<Vec<u16>, u32>,
}

impl Vocab {
    /// The id of `token`, a new one the first time.
    fn id(&mut self, token: Vec<u16>) -> u32 {
        if let Some(&id) = self.ids.get(&token) {
            return id;
        }
        let id = self.tokens.len() as u32;
        self.tokens.push(token.clone());
        self.ids.insert(token, id);
        id
    }
}

/// The entries as read, in the publisher's order, with their tokens and facet values interned.
struct Collected {
    docs: Vec<Doc>,
    vocab: Vec<Vec<u16>>,
    tags: Names,
    authors: Names,
}

/// Reads the collection (streamed), interning tokens and facet values as entries arrive.
fn read_collection(collection: &Path, out: &Path) -> Result<(Head, Collected, Vec<Warning>), Error> {
    let mut vocab = Vocab::default();
    let mut tags = Names::default();
    let mut authors = Names::default();
    let mut docs: Vec<Doc> = Vec::new();
    let mut warnings = Vec::new();
    let mut sink = |r: Read| {
        let tokens = r.tokens.into_iter().map(|(t, title)| vocab.id(t) << 1 | u32::from(title)).collect();
        let publisher = docs.len() as u32;
        docs.push(Doc {
            publisher,
            secs: r.secs,
            json: r.json,
            tokens,
            tags: r.tags.into_iter().map(|t| tags.id(t)).collect(),
            authors: r.authors.into_iter().map(|a| authors.id(a)).collect(),
        });
    };
    let prefix = rebase_prefix(collection, out);
    let head = read(collection, &|i: usize, raw: &str| read_entry(i, raw, &prefix), &mut sink, &mut warnings)?;
    // The viewer refuses a manifest claiming more (a reader allocates per entry).
    if docs.len() > MAX_DOCS as usize {
        return Err(Error::Usage(format!(
            "{}: {} entries, more than an archive may hold ({MAX_DOCS}); split the collection",
            collection.display(),
            docs.len()
        )));
    }
    Ok((head, Collected { docs, vocab: vocab.tokens, tags, authors }, warnings))
}

/// Tokens by class pair and by class: a term's candidates.
struct Candidates {
    by_pair: HashMap<[u8; 2], Vec<u32>>,
    by_class: Vec<Vec<u32>>,
    /// Each token's class pairs, sorted, distinct.
    pairs_of: Vec<Vec<[u8; 2]>>,
    /// Each token's `token_streams`, for matching.
    streams: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Candidates {
    /// Files every token under each class pair and each class it holds.
    fn of(vocab: &[Vec<u16>]) -> Candidates {
        let mut by_pair: HashMap<[u8; 2], Vec<u32>> = HashMap::new();
        let mut by_class: Vec<Vec<u32>> = vec![Vec::new(); 256];
        let mut pairs_of: Vec<Vec<[u8; 2]>> = Vec::with_capacity(vocab.len());
        let streams: Vec<(Vec<u8>, Vec<u8>)> = vocab.par_iter().map(|u| token_streams(u)).collect();
        for (t, units) in vocab.iter().enumerate() {
            let classes: Vec<u8> = units.iter().map(|&u| unit_class(u)).collect();
            let mut pairs: Vec<[u8; 2]> = classes.windows(2).map(|w| [w[0], w[1]]).collect();
            pairs.sort();
            pairs.dedup();
            for p in &pairs {
                by_pair.entry(*p).or_default().push(t as u32);
            }
            let mut cs = classes.clone();
            cs.sort();
            cs.dedup();
            for c in cs {
                by_class[usize::from(c)].push(t as u32);
            }
            pairs_of.push(pairs);
        }
        Candidates { by_pair, by_class, pairs_of, streams }
    }

    /// A term's candidate tokens: a match holds every class pair of the term, so the rarest pair's.
    fn of_term(&self, term: &QueryTerm) -> &[u32] {
        let classes = term.classes();
        if classes.len() >= 2 {
            classes
                .windows(2)
                .map(|w| self.by_pair.get(&[w[0], w[1]]).map_or(&[][..], Vec::as_slice))
                .min_by_key(|c| c.len())
                .unwrap_or(&[])
        } else {
            classes.first().map_or(&[], |&c| self.by_class[usize::from(c)].as_slice())
        }
    }
}

/// The state the stages share once the entries are read: numbered, with their facet column.
struct Build<'a> {
    output: &'a Output,
    o: &'a Options,
    /// By id: newest first, undated last, ties in the publisher's order.
    docs: Vec<Doc>,
    vocab: Vec<Vec<u16>>,
    tags: Names,
    authors: Names,
    /// Each id's tags and authors.
    column: Facets,
    first_undated: u32,
    /// By id: dated, and dated as the entry before.
    ties: Vec<bool>,
    n: u32,
    heavy: u32,
    /// (tag, author) pairs counted over all pair files.
    pairs_counted: AtomicU64,
}

impl<'a> Build<'a> {
    /// Numbers the entries: newest first, undated last, ties in the publisher's order.
    fn number(c: Collected, output: &'a Output, o: &'a Options) -> Build<'a> {
        let Collected { mut docs, vocab, tags, authors } = c;
        let n = docs.len() as u32;
        docs.sort_by(|a, b| {
            let key = |d: &Doc| (d.secs.is_none(), std::cmp::Reverse(d.secs), d.publisher);
            key(a).cmp(&key(b))
        });
        let first_undated = docs.partition_point(|d| d.secs.is_some()) as u32;
        let ties: Vec<bool> =
            (0..docs.len()).map(|i| i > 0 && docs[i].secs.is_some() && docs[i].secs == docs[i - 1].secs).collect();
        let mut column = Facets::default();
        for d in &docs {
            column.push(&d.tags, &d.authors);
        }
        Build {
            output,
            o,
            docs,
            vocab,
            tags,
            authors,
            column,
            first_undated,
            ties,
            n,
            heavy: o.heavy.unwrap_or((n / 1000).max(100)).max(1),
            pairs_counted: AtomicU64::new(0),
        }
    }

    /// Each token's entries, taking the entries' token lists.
    fn postings(&mut self) -> Postings {
        let mut postings: Postings = vec![Vec::new(); self.vocab.len()];
        for (id, d) in self.docs.iter_mut().enumerate() {
            for &t in &d.tokens {
                postings[(t >> 1) as usize].push((id as u32) << 1 | (t & 1));
            }
            d.tokens = Vec::new();
        }
        postings
    }

    /// What readers may type, as single query terms, sorted by key and deduplicated.
    fn typed_terms(&self, postings: &Postings) -> Vec<(Vec<u8>, QueryTerm)> {
        let typed: HashSet<String> = self
            .vocab
            .par_iter()
            .enumerate()
            .fold(HashSet::new, |mut set, (t, units)| {
                let chars: Vec<char> =
                    char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or('\u{FFFD}')).collect();
                let long = postings[t].len() as u32 >= (self.heavy / 16).max(2);
                typings(&chars, long, &mut |s| {
                    if !set.contains(s) {
                        set.insert(s.to_string());
                    }
                });
                set
            })
            .reduce(HashSet::new, |mut a, b| {
                if a.len() < b.len() {
                    return reduce_into(b, a);
                }
                a.extend(b);
                a
            });
        let mut terms: Vec<(Vec<u8>, QueryTerm)> = typed
            .par_iter()
            .filter_map(|s| {
                let mut t = query_terms(s);
                (t.len() == 1).then(|| t.remove(0)).map(|t| (t.key(), t))
            })
            .collect();
        drop(typed);
        terms.par_sort_by(|a, b| a.0.cmp(&b.0));
        terms.dedup_by(|a, b| a.0 == b.0);
        terms
    }

    /// Answers: for each common term, the union of its matched tokens' entries, counted and paged.
    fn answers(
        &self,
        terms: &[(Vec<u8>, QueryTerm)],
        postings: &Postings,
        candidates: &Candidates,
    ) -> Result<Vec<Answer>, Error> {
        let token_set_base = terms.len() as u32;
        let mut list = Vec::new();
        // Terms with the same entries and flags (클라우 and 클라우드, when every token holding
        // one holds the other) share the first one's files: one file fetched for both, in
        // whatever order they are typed. Built a batch at a time in parallel, shared in order.
        let mut first_of: HashMap<(u64, u64), u32> = HashMap::new();
        for (b, batch) in terms.chunks(TERM_BATCH).enumerate() {
            let built: Vec<Result<Option<Answered>, Error>> = batch
                .par_iter()
                .enumerate()
                .map_init(
                    || (vec![0u8; self.n as usize], Vec::<u32>::new()),
                    |(flags, touched), (i, (key, term))| {
                        let one_unit = term.min_len() == 1;
                        let Some(matched) = self.matched(term, postings, candidates) else { return Ok(None) };
                        let Some(set) = self.union(&matched, postings, one_unit, flags, touched) else {
                            return Ok(None);
                        };
                        let pages = self.pages(&set);
                        let (tag_counts, author_counts) = self.facet_counts(&set.docs);
                        let total = set.docs.len() as u32;
                        let no = (b * TERM_BATCH + i) as u32;
                        let (set, files) = self.term_set(no, set, &matched, postings, token_set_base);
                        let entries = self.inline_entries(&pages.relevance);
                        let answer = Answer { key: key.clone(), total, tag_counts, author_counts, pages, set, entries };
                        Ok(Some((answer, files)))
                    },
                )
                .collect();
            let mut write = Vec::new();
            for a in built {
                let Some((mut answer, files)) = a? else { continue };
                if let Some(f) = files {
                    let mut sip = std::hash::DefaultHasher::new();
                    std::hash::Hasher::write(&mut sip, &f.set);
                    let key = (fnv64(FNV_SEED, &f.set), std::hash::Hasher::finish(&sip));
                    match first_of.get(&key) {
                        Some(&no) => answer.set = SetRef::File(no),
                        None => {
                            first_of.insert(key, f.no);
                            write.push(f);
                        }
                    }
                }
                list.push(answer);
            }
            write.par_iter().try_for_each(|f| f.write(self.output))?;
        }
        Ok(list)
    }

    /// The tokens a term matches (token, exact), or None when too rare: the dictionary answers it.
    fn matched(&self, term: &QueryTerm, postings: &Postings, candidates: &Candidates) -> Option<Vec<(u32, bool)>> {
        let tokens = candidates.of_term(term);
        let one_unit = term.min_len() == 1;
        let heavy = self.heavy as usize;
        // Too rare even if it matched every candidate.
        if !one_unit && tokens.iter().map(|&t| postings[t as usize].len()).sum::<usize>() < heavy {
            return None;
        }
        let mut matched = Vec::new();
        let mut sum = 0usize;
        for &t in tokens {
            let (c, h) = &candidates.streams[t as usize];
            if let Some(exact) = term.match_streams(&self.vocab[t as usize], c, h) {
                matched.push((t, exact));
                sum += postings[t as usize].len();
            }
        }
        if matched.is_empty() || (!one_unit && sum < heavy) {
            return None;
        }
        Some(matched)
    }

    /// The union of the matched tokens' entries, or None when too few (a term of two units or more).
    fn union(
        &self,
        matched: &[(u32, bool)],
        postings: &Postings,
        one_unit: bool,
        flags: &mut [u8],
        touched: &mut Vec<u32>,
    ) -> Option<TermSet> {
        // Through a per-thread byte per entry: bit 0 title, bit 1 exact, bit 2 present.
        touched.clear();
        for &(t, exact) in matched {
            for &p in &postings[t as usize] {
                let id = (p >> 1) as usize;
                let f = &mut flags[id];
                if *f == 0 {
                    touched.push(id as u32);
                }
                *f |= 4 | (p & 1) as u8 | if exact { EXACT } else { 0 };
            }
        }
        if !one_unit && touched.len() < self.heavy as usize {
            for &id in touched.iter() {
                flags[id as usize] = 0;
            }
            return None;
        }
        touched.sort_unstable();
        let mut set = TermSet::default();
        for &id in touched.iter() {
            set.docs.push(id);
            set.flags.push(flags[id as usize] & (TITLE | EXACT));
            flags[id as usize] = 0;
        }
        Some(set)
    }

    /// A set's first pages: by relevance (title and exact matches first), newest, oldest.
    fn pages(&self, set: &TermSet) -> Pages {
        self.pages_of(&set.docs, &set.flags, self.o.pages)
    }

    /// The first `want` of ascending `docs` (with their flags) in each order.
    fn pages_of(&self, docs: &[u32], flags: &[u8], want: usize) -> Pages {
        let mut relevance = Vec::with_capacity(want);
        for rank in [TITLE | EXACT, TITLE, EXACT, 0] {
            if relevance.len() >= want {
                break;
            }
            relevance.extend(
                docs.iter().zip(flags).filter(|(_, &f)| f == rank).map(|(&d, _)| d).take(want - relevance.len()),
            );
        }
        Pages {
            relevance,
            newest: docs.iter().take(want).copied().collect(),
            oldest: oldest_first(docs, self.first_undated, &self.ties, want),
        }
    }

    /// For each tag and each author holding some of `docs` (ascending, with their flags),
    /// the first page of those entries in each order.
    fn value_pages(&self, docs: &[u32], flags: &[u8]) -> [Vec<(u32, Pages)>; 2] {
        let mut by_value: [Vec<(Vec<u32>, Vec<u8>)>; 2] = [Vec::new(), Vec::new()];
        for (&id, &f) in docs.iter().zip(flags) {
            let (tags, authors) = self.column.of(id as usize);
            for (lists, values) in by_value.iter_mut().zip([tags, authors]) {
                for &v in values {
                    if lists.len() <= v as usize {
                        lists.resize(v as usize + 1, (Vec::new(), Vec::new()));
                    }
                    lists[v as usize].0.push(id);
                    lists[v as usize].1.push(f);
                }
            }
        }
        by_value.map(|lists| {
            lists
                .iter()
                .enumerate()
                .filter(|(_, (d, _))| !d.is_empty())
                .map(|(v, (d, f))| (v as u32, self.pages_of(d, f, self.o.value_pages)))
                .collect()
        })
    }

    /// How many of `docs` have each tag and each author.
    fn facet_counts(&self, docs: &[u32]) -> (Counts, Counts) {
        let mut tc = vec![0u32; self.tags.names.len()];
        let mut ac = vec![0u32; self.authors.names.len()];
        for &id in docs {
            let (t, a) = self.column.of(id as usize);
            for &x in t {
                tc[x as usize] += 1;
            }
            for &x in a {
                ac[x as usize] += 1;
            }
        }
        let sparse =
            |c: Vec<u32>| c.into_iter().enumerate().filter(|(_, n)| *n > 0).map(|(i, n)| (i as u32, n)).collect();
        (sparse(tc), sparse(ac))
    }

    /// A term's set: inline if rare, else to be written (as set `no`) with its (tag, author)
    /// pair counts and its tokens.
    fn term_set(
        &self,
        no: u32,
        set: TermSet,
        matched: &[(u32, bool)],
        postings: &Postings,
        token_set_base: u32,
    ) -> (SetRef, Option<TermFiles>) {
        let total = set.docs.len() as u32;
        if total < self.heavy {
            return (self.inline(set), None);
        }
        let mut bytes = Vec::new();
        set.put(&mut bytes, self.n);
        // Its (tag, author) pair counts and each value's first page, for one selected tag
        // and/or author.
        let pairs = PairCounts::of(set.docs.iter().copied(), &self.column);
        self.pairs_counted.fetch_add(pairs.counted, Relaxed);
        let pages = self.value_pages(&set.docs, &set.flags);
        let pairs = pairs.file(self.n, pages);
        // Its tokens, for counting a combined query over it (the engine counts a term found
        // in over a third of the entries from the facet column).
        let listed = if u64::from(total) * 3 <= u64::from(self.n) { matched } else { &[] };
        let parts: Vec<(SetRef, bool)> = listed
            .iter()
            .map(|&(t, exact)| {
                let p = &postings[t as usize];
                let set = if p.len() as u32 >= self.heavy {
                    SetRef::File(token_set_base + t)
                } else {
                    self.inline(token_set(p))
                };
                (set, exact)
            })
            .collect();
        let tokens = (!parts.is_empty()).then(|| write_term_tokens(&parts, self.n));
        (SetRef::File(no), Some(TermFiles { no, set: bytes, pairs, tokens }))
    }

    /// A set to carry inline, with its entries' facet ids.
    fn inline(&self, mut set: TermSet) -> SetRef {
        set.facets = Some(self.facets_of(set.docs.iter().copied()));
        SetRef::Inline(set)
    }

    /// The tags and authors of `ids`, as a column.
    fn facets_of(&self, ids: impl Iterator<Item = u32>) -> Facets {
        let mut f = Facets::default();
        for id in ids {
            let (t, a) = self.column.of(id as usize);
            f.push(t, a);
        }
        f
    }

    /// The first `inline` of `ids` as carried in a file: (place in the publisher's order, JSON).
    fn inline_entries(&self, ids: &[u32]) -> Vec<(u32, String)> {
        ids.iter()
            .take(self.o.inline)
            .map(|&id| {
                let d = &self.docs[id as usize];
                (d.publisher, String::from_utf8_lossy(&d.json).into_owned())
            })
            .collect()
    }

    /// Writes `set` as the file `name`.
    fn put_set(&self, name: &str, set: &TermSet) -> Result<(), Error> {
        let mut bytes = Vec::new();
        set.put(&mut bytes, self.n);
        self.output.put(name, &bytes)
    }

    /// Tokens' sets: common ones get a set file and a facet file, rare ones travel inline.
    fn token_sets(&self, postings: &Postings, token_set_base: u32) -> Result<Vec<SetRef>, Error> {
        let token_sets: Vec<Result<SetRef, Error>> = (0..self.vocab.len())
            .into_par_iter()
            .map(|t| {
                let p = &postings[t];
                let set = token_set(p);
                if (p.len() as u32) < self.heavy {
                    return Ok(self.inline(set));
                }
                let no = token_set_base + t as u32;
                self.put_set(&names::set(no), &set)?;
                // Its entries' facet ids, for counting a combined query over it.
                let f = self.facets_of(set.docs.iter().copied());
                self.output.put(&names::set_facets(no), &column_file(f.len(), &f))?;
                Ok(SetRef::File(no))
            })
            .collect();
        token_sets.into_iter().collect()
    }

    /// The dictionary: each token under every class pair it holds, in buckets; returns their number.
    fn dictionary(&self, token_sets: &[SetRef], pairs_of: &[Vec<[u8; 2]>]) -> Result<u32, Error> {
        let estimate: usize = (0..self.vocab.len())
            .map(|t| {
                let size = self.vocab[t].len() * 2
                    + match &token_sets[t] {
                        SetRef::File(_) => 4,
                        SetRef::Inline(s) => s.docs.len() * 6,
                    };
                size * pairs_of[t].len()
            })
            .sum();
        let dict_buckets = (estimate / self.o.dict_bucket_bytes).max(1) as u32;
        let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); dict_buckets as usize];
        for (t, pairs) in pairs_of.iter().enumerate() {
            let mut bs: Vec<u32> = pairs.iter().map(|p| bucket(p, dict_buckets)).collect();
            bs.sort_unstable();
            bs.dedup();
            for b in bs {
                buckets[b as usize].push(t as u32);
            }
        }
        buckets.par_iter().enumerate().try_for_each(|(b, list)| {
            let entries: Vec<(&[u16], &SetRef)> =
                list.iter().map(|&t| (self.vocab[t as usize].as_slice(), &token_sets[t as usize])).collect();
            self.output.put(&names::dict(b as u32), &write_tokens(&entries, self.n))
        })?;
        Ok(dict_buckets)
    }

    /// The answers, in buckets by key; returns their number.
    fn answer_buckets(&self, answers: Vec<Answer>) -> Result<u32, Error> {
        let n = self.n;
        let sizes: Vec<usize> = answers.par_iter().map(|a| write_answers(std::slice::from_ref(a), n).len()).collect();
        let answer_buckets = (sizes.iter().sum::<usize>() / self.o.answer_bucket_bytes).max(1) as u32;
        let mut buckets: Vec<Vec<Answer>> = (0..answer_buckets).map(|_| Vec::new()).collect();
        for a in answers {
            buckets[bucket(&a.key, answer_buckets) as usize].push(a);
        }
        buckets
            .par_iter()
            .enumerate()
            .try_for_each(|(b, list)| self.output.put(&names::answers(b as u32), &write_answers(list, n)))?;
        Ok(answer_buckets)
    }

    /// Calls `write` with each chunk's number and ids, chunks of `size` entries, in parallel.
    fn each_chunk(
        &self,
        size: u32,
        write: impl Fn(u32, std::ops::Range<usize>) -> Result<(), Error> + Sync + Send,
    ) -> Result<(), Error> {
        (0..self.n.div_ceil(size)).into_par_iter().try_for_each(|c| {
            let lo = (c * size) as usize;
            let hi = (lo + size as usize).min(self.docs.len());
            write(c, lo..hi)
        })
    }

    /// The entries, in chunks of `store_chunk`.
    fn store(&self) -> Result<(), Error> {
        self.each_chunk(self.o.store_chunk, |c, ids| {
            let list: Vec<(u32, &[u8])> = self.docs[ids].iter().map(|d| (d.publisher, d.json.as_slice())).collect();
            self.output.put(&names::store(c), &write_store(&list))
        })
    }

    /// The facet column, in chunks of `facet_chunk`.
    fn facet_chunks(&self) -> Result<(), Error> {
        self.each_chunk(self.o.facet_chunk, |c, ids| {
            let part = self.facets_of(ids.start as u32..ids.end as u32);
            self.output.put(&names::facets(c), &column_file(ids.len(), &part))
        })
    }

    /// The date ties, in chunks of `order_chunk`.
    fn orders(&self) -> Result<(), Error> {
        self.each_chunk(self.o.order_chunk, |c, ids| {
            let lo = ids.start;
            let mut bits = vec![0u8; ids.len().div_ceil(8)];
            for id in ids {
                if self.ties[id] {
                    bits[(id - lo) / 8] |= 1 << ((id - lo) % 8);
                }
            }
            self.output.put(&names::ties(c), &bits)
        })
    }

    /// Each tag's and author's entries, and the archive's (tag, author) pair counts.
    fn facet_values(&self) -> Result<(), Error> {
        let mut by_value: [Vec<Vec<u32>>; 2] =
            [vec![Vec::new(); self.tags.names.len()], vec![Vec::new(); self.authors.names.len()]];
        for id in 0..self.n {
            let (t, a) = self.column.of(id as usize);
            for &x in t {
                by_value[0][x as usize].push(id);
            }
            for &x in a {
                by_value[1][x as usize].push(id);
            }
        }
        for (facet, lists) in ['t', 'a'].into_iter().zip(&by_value) {
            lists.par_iter().enumerate().try_for_each(|(i, docs)| {
                let set = TermSet { docs: docs.clone(), flags: vec![EXACT; docs.len()], ..TermSet::default() };
                self.put_set(&names::value_set(facet, i as u32), &set)
            })?;
        }
        drop(by_value);
        let pairs = PairCounts::of(0..self.n, &self.column);
        self.pairs_counted.fetch_add(pairs.counted, Relaxed);
        // Without a query, relevance is newest first: no entry is ranked above another.
        let all: Vec<u32> = (0..self.n).collect();
        let pages = self.value_pages(&all, &vec![0; all.len()]);
        self.output.put(names::PAIRS, &pairs.file(self.n, pages))
    }

    /// The manifest, which takes the tag and author names.
    fn manifest(&mut self, answer_buckets: u32, dict_buckets: u32) -> Result<(), Error> {
        let o = self.o;
        let all: Vec<u32> = (0..self.n).collect();
        let manifest = Manifest {
            docs: self.n,
            first_undated: self.first_undated,
            store_chunk: o.store_chunk,
            facet_chunk: o.facet_chunk,
            order_chunk: o.order_chunk,
            answer_buckets,
            dict_buckets,
            heavy: self.heavy,
            tags: std::mem::take(&mut self.tags.names),
            authors: std::mem::take(&mut self.authors.names),
            first: Pages {
                // Without a query, relevance is newest first.
                relevance: all.iter().take(o.pages).copied().collect(),
                newest: all.iter().take(o.pages).copied().collect(),
                oldest: oldest_first(&all, self.first_undated, &self.ties, o.pages),
            },
            first_entries: self.inline_entries(&all),
        };
        self.output.put("manifest.bin", &manifest.write())
    }

    /// What was built, and `index.json`: the collection's fields, the pointer, its first entries.
    fn finish(self, head: Head, warnings: Vec<Warning>, answers: usize) -> (Built, IndexJson) {
        // Its first entries newest first: what a version-1 reader lists, what a page
        // prerendered from it shows, and what the archive answers to the empty query (so a page
        // taken over keeps its cards).
        let listed: Vec<std::rc::Rc<article_viewer_core::format::Summary>> = self
            .docs
            .iter()
            .take(self.o.listed)
            .filter_map(|d| parse_summary(std::str::from_utf8(&d.json).ok()?, "").ok()?.0.map(std::rc::Rc::new))
            .collect();
        let n = self.n;
        let built = Built {
            docs: self.docs.len(),
            dropped: head.entries.saturating_sub(self.docs.len()),
            answers,
            tokens: self.vocab.len(),
            warnings,
            heavy: self.heavy,
            pairs: self.pairs_counted.load(Relaxed),
            ..Built::default()
        };
        let head = head.collection;
        let index: IndexJson = Box::new(move |folder: &str| {
            let archive =
                ArchivePointer { version: 1, manifest: format!("{folder}/manifest.bin"), entries: Some(u64::from(n)) };
            let collection = Collection { archive: Some(archive), articles: listed, ..head };
            write_document(&Document::Collection(collection)).into_bytes()
        });
        (built, index)
    }
}

/// A token's entries as a set (all exact).
fn token_set(postings: &[u32]) -> TermSet {
    let mut set = TermSet::default();
    for &x in postings {
        set.docs.push(x >> 1);
        set.flags.push((x & 1) as u8 | EXACT);
    }
    set
}

/// A column file: the number of entries, then their facet ids.
fn column_file(entries: usize, column: &Facets) -> Vec<u8> {
    let mut bytes = Vec::new();
    crate::codec::Out::varint(&mut bytes, entries as u64);
    column.put(&mut bytes);
    bytes
}

fn reduce_into(mut big: HashSet<String>, small: HashSet<String>) -> HashSet<String> {
    big.extend(small);
    big
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_counted_only_for_entries_within_the_budget() {
        let mut column = Facets::default();
        let hundred: Vec<u32> = (0..100).collect();
        for i in 0..2000u32 {
            if i % 2 == 0 {
                column.push(&hundred, &hundred);
            } else {
                column.push(&[1, 2], &[3, 4, 5]);
            }
        }
        let p = PairCounts::of(0..2000, &column);
        // 1,000 entries of 6 pairs; the 1,000 of 10,000 pairs each are listed, not counted.
        assert_eq!(p.counted, 6_000);
        assert_eq!(p.uncounted, (0..2000).step_by(2).collect::<Vec<u32>>());
        assert_eq!(p.cross.len(), 6);
        assert_eq!(p.cross[0], (1, 3, 1000));
        // At the budget an entry is still counted (16 × 16 = 256).
        let mut edge = Facets::default();
        let sixteen: Vec<u32> = (0..16).collect();
        edge.push(&sixteen, &sixteen);
        edge.push(&sixteen, &(0..17).collect::<Vec<u32>>());
        let p = PairCounts::of(0..2, &edge);
        assert_eq!((p.counted, p.uncounted), (256, vec![1]));
    }

    #[test]
    fn relative_addresses_follow_the_entries_into_the_archive() {
        assert_eq!(rebase_prefix(Path::new("/site/index.json"), Path::new("/site/archive")), "../");
        assert_eq!(rebase_prefix(Path::new("/site/index.json"), Path::new("/site")), "");
        assert_eq!(rebase_prefix(Path::new("/data/c.json"), Path::new("/site/archive")), "../../data/");
        assert_eq!(rebase_prefix(Path::new("/site/x/../c.json"), Path::new("/site/./a")), "../");
        for (u, rel) in [
            ("articles/a.json", true),
            ("./a.json", true),
            ("../a.json", true),
            ("https://x/a", false),
            ("/a.json", false),
            ("#top", false),
            ("?q=1", false),
            ("data:image/png;base64,x", false),
            ("mailto:a@b", false),
            ("a:b/c", false),
        ] {
            assert_eq!(is_relative(u), rel, "{u}");
        }
    }
}
