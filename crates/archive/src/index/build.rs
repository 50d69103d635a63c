//! Builds the archive: reads the collection (streamed), numbers entries newest first,
//! collects each token's entries, precomputes answers for what readers type, and writes
//! every file through [`Output`].

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::codec::{bucket, names};
use crate::files::{
    write_answers, write_ids, write_store, write_term_tokens, write_tokens, Answer, Facets, Manifest, Pages, SetRef,
    TermSet, EXACT, MAX_DOCS, TITLE,
};
use article_viewer_core::format::{parse_summary, write_document, ArchivePointer, Collection, Document, Warning};
use article_viewer_core::listing;
use article_viewer_core::search::{
    facet_key, field_tokens, query_terms, searched_fields, token_streams, unit_class, QueryTerm,
};
use rayon::prelude::*;

use super::read::read;
use super::typed::typings;
use super::write::Output;
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
    pub store_chunk: u32,
    pub facet_chunk: u32,
    pub order_chunk: u32,
    /// Entries listed in `index.json` for version-1 readers (the first, in the publisher's order).
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
    /// every entry was counted), carrying the counts.
    fn file(self, domain: u32) -> Vec<u8> {
        let flags = vec![EXACT; self.uncounted.len()];
        let mut bytes = Vec::new();
        TermSet { docs: self.uncounted, flags, cross: self.cross, facets: None }.put(&mut bytes, domain);
        bytes
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

fn build_into(collection: &Path, out: &Path, output: &Output, o: &Options) -> Result<(Built, IndexJson), Error> {
    // AV_INDEX_TIMES=1 prints how long each step took (to stderr).
    let started = std::time::Instant::now();
    let times = std::env::var_os("AV_INDEX_TIMES").is_some();
    let step = |what: &str| {
        if times {
            let put = super::write::PUT_NANOS.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9;
            eprintln!(
                "{:>7.1} s  {what} (compressing and writing so far: {put:.1} s of CPU)",
                started.elapsed().as_secs_f64()
            );
        }
    };
    // 1. Read, interning tokens and facet values as entries arrive.
    let mut vocab: Vec<Vec<u16>> = Vec::new();
    let mut token_ids: HashMap<Vec<u16>, u32> = HashMap::new();
    let mut tags = Names::default();
    let mut authors = Names::default();
    let mut docs: Vec<Doc> = Vec::new();
    let mut warnings = Vec::new();
    let head = {
        let mut sink = |r: Read| {
            let tokens = r
                .tokens
                .into_iter()
                .map(|(t, title)| {
                    let id = match token_ids.get(&t) {
                        Some(&id) => id,
                        None => {
                            let id = vocab.len() as u32;
                            vocab.push(t.clone());
                            token_ids.insert(t, id);
                            id
                        }
                    };
                    id << 1 | u32::from(title)
                })
                .collect();
            let doc = Doc {
                publisher: docs.len() as u32,
                secs: r.secs,
                json: r.json,
                tokens,
                tags: r.tags.into_iter().map(|t| tags.id(t)).collect(),
                authors: r.authors.into_iter().map(|a| authors.id(a)).collect(),
            };
            docs.push(doc);
        };
        let prefix = rebase_prefix(collection, out);
        read(collection, &|i: usize, raw: &str| read_entry(i, raw, &prefix), &mut sink, &mut warnings)?
    };
    drop(token_ids);
    // The viewer refuses a manifest claiming more (a reader allocates per entry).
    if docs.len() > MAX_DOCS as usize {
        return Err(Error::Usage(format!(
            "{}: {} entries, more than an archive may hold ({MAX_DOCS}); split the collection",
            collection.display(),
            docs.len()
        )));
    }
    let n = docs.len() as u32;
    let heavy = o.heavy.unwrap_or((n / 1000).max(100)).max(1);

    step("read");
    // 2. Ids: newest first, undated last, ties in the publisher's order.
    docs.sort_by(|a, b| {
        let key = |d: &Doc| (d.secs.is_none(), std::cmp::Reverse(d.secs), d.publisher);
        key(a).cmp(&key(b))
    });
    let first_undated = docs.partition_point(|d| d.secs.is_some()) as u32;
    let ties: Vec<bool> =
        (0..docs.len()).map(|i| i > 0 && docs[i].secs.is_some() && docs[i].secs == docs[i - 1].secs).collect();
    let mut id_of = vec![0u32; docs.len()];
    for (id, d) in docs.iter().enumerate() {
        id_of[d.publisher as usize] = id as u32;
    }

    // 3. Each token's entries (ascending ids, title bit), and the facet column.
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
    let mut column = Facets::default();
    for (id, d) in docs.iter().enumerate() {
        for &t in &d.tokens {
            postings[(t >> 1) as usize].push((id as u32) << 1 | (t & 1));
        }
        column.push(&d.tags, &d.authors);
    }
    for d in docs.iter_mut() {
        d.tokens = Vec::new();
    }

    step("ids, postings, column");
    // 4. Candidate tokens by class pair and by class.
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

    // 5. What readers may type, compiled and deduplicated.
    let typed: HashSet<String> = vocab
        .par_iter()
        .enumerate()
        .fold(HashSet::new, |mut set, (t, units)| {
            let chars: Vec<char> = char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or('\u{FFFD}')).collect();
            let long = postings[t].len() as u32 >= (heavy / 16).max(2);
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

    step(&format!("{} typed terms enumerated", terms.len()));
    // 6. Answers: the union of the matched tokens' entries, counted and paged.
    // Set files are numbered by term, then by token: the same collection gives the same files.
    let token_set_base = terms.len() as u32;
    let pairs_counted = AtomicU64::new(0);
    type Counts = Vec<(u32, u32)>;
    let facet_counts = |docs_: &[u32]| -> (Counts, Counts) {
        let mut tc = vec![0u32; tags.names.len()];
        let mut ac = vec![0u32; authors.names.len()];
        for &id in docs_ {
            let (t, a) = column.of(id as usize);
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
    };
    let answers: Vec<Result<Option<Answer>, Error>> = terms
        .par_iter()
        .enumerate()
        .map_init(
            || (vec![0u8; n as usize], Vec::<u32>::new()),
            |(flags, touched), (term_no, (key, term))| {
                // A matching token holds every class pair of the term: the rarest pair's
                // tokens are the candidates.
                let classes = term.classes();
                let candidates: &[u32] = if classes.len() >= 2 {
                    classes
                        .windows(2)
                        .map(|w| by_pair.get(&[w[0], w[1]]).map_or(&[][..], Vec::as_slice))
                        .min_by_key(|c| c.len())
                        .unwrap_or(&[])
                } else {
                    classes.first().map_or(&[], |&c| by_class[usize::from(c)].as_slice())
                };
                let one_unit = term.min_len() == 1;
                // Too rare even if it matched every candidate: the dictionary answers it.
                if !one_unit && candidates.iter().map(|&t| postings[t as usize].len()).sum::<usize>() < heavy as usize {
                    return Ok(None);
                }
                let mut matched = Vec::new();
                let mut sum = 0usize;
                for &t in candidates {
                    let (c, h) = &streams[t as usize];
                    if let Some(exact) = term.match_streams(&vocab[t as usize], c, h) {
                        matched.push((t, exact));
                        sum += postings[t as usize].len();
                    }
                }
                if matched.is_empty() || (!one_unit && sum < heavy as usize) {
                    return Ok(None);
                }
                // Union through a per-thread byte per entry: bit 0 title, bit 1 exact, bit 2 present.
                touched.clear();
                for &(t, exact) in &matched {
                    for &p in &postings[t as usize] {
                        let id = (p >> 1) as usize;
                        let f = &mut flags[id];
                        if *f == 0 {
                            touched.push(id as u32);
                        }
                        *f |= 4 | (p & 1) as u8 | if exact { EXACT } else { 0 };
                    }
                }
                if !one_unit && touched.len() < heavy as usize {
                    for &id in touched.iter() {
                        flags[id as usize] = 0;
                    }
                    return Ok(None);
                }
                touched.sort_unstable();
                let mut set = TermSet::default();
                for &id in touched.iter() {
                    set.docs.push(id);
                    set.flags.push(flags[id as usize] & (TITLE | EXACT));
                    flags[id as usize] = 0;
                }
                let mut relevance = Vec::with_capacity(o.pages);
                for rank in 0..4u8 {
                    let want = [TITLE | EXACT, TITLE, EXACT, 0][rank as usize];
                    relevance.extend(
                        set.docs
                            .iter()
                            .zip(&set.flags)
                            .filter(|(_, &f)| f == want)
                            .map(|(&d, _)| d)
                            .take(o.pages - relevance.len()),
                    );
                    if relevance.len() >= o.pages {
                        break;
                    }
                }
                let pages = Pages {
                    relevance,
                    newest: set.docs.iter().take(o.pages).copied().collect(),
                    oldest: oldest_first(&set.docs, first_undated, &ties, o.pages),
                };
                let (tag_counts, author_counts) = facet_counts(&set.docs);
                let total = set.docs.len() as u32;
                let set = if total >= heavy {
                    let no = term_no as u32;
                    let mut bytes = Vec::new();
                    set.put(&mut bytes, n);
                    // Its (tag, author) pair counts, for one selected tag and/or author.
                    let pairs = PairCounts::of(set.docs.iter().copied(), &column);
                    pairs_counted.fetch_add(pairs.counted, Relaxed);
                    output.put(&names::term_pairs(no), &pairs.file(n))?;
                    output.put(&names::set(no), &bytes)?;
                    // Its tokens, for counting a combined query over it (the engine counts
                    // a term found in over a third of the entries from the facet column).
                    let listed = if u64::from(total) * 3 <= u64::from(n) { matched.as_slice() } else { &[] };
                    let parts: Vec<(SetRef, bool)> = listed
                        .iter()
                        .map(|&(t, exact)| {
                            let p = &postings[t as usize];
                            if p.len() as u32 >= heavy {
                                (SetRef::File(token_set_base + t), exact)
                            } else {
                                let mut s = TermSet::default();
                                let mut f = Facets::default();
                                for &x in p {
                                    s.docs.push(x >> 1);
                                    s.flags.push((x & 1) as u8 | EXACT);
                                    let (tg, au) = column.of((x >> 1) as usize);
                                    f.push(tg, au);
                                }
                                s.facets = Some(f);
                                (SetRef::Inline(s), exact)
                            }
                        })
                        .collect();
                    if !parts.is_empty() {
                        output.put(&names::term_tokens(no), &write_term_tokens(&parts, n))?;
                    }
                    SetRef::File(no)
                } else {
                    let mut f = Facets::default();
                    for &id in &set.docs {
                        let (t, a) = column.of(id as usize);
                        f.push(t, a);
                    }
                    set.facets = Some(f);
                    SetRef::Inline(set)
                };
                let entries = pages
                    .relevance
                    .iter()
                    .take(o.inline)
                    .map(|&id| {
                        let d = &docs[id as usize];
                        (d.publisher, String::from_utf8_lossy(&d.json).into_owned())
                    })
                    .collect();
                Ok(Some(Answer { key: key.clone(), total, tag_counts, author_counts, pages, set, entries }))
            },
        )
        .collect();
    let mut answer_list = Vec::new();
    for a in answers {
        if let Some(a) = a? {
            answer_list.push(a);
        }
    }
    drop(terms);

    step("answers");
    // 7. Tokens: common ones get a set file, rare ones travel inline in the dictionary.
    let token_sets: Vec<Result<SetRef, Error>> = (0..vocab.len())
        .into_par_iter()
        .map(|t| {
            let p = &postings[t];
            let mut set = TermSet::default();
            for &x in p {
                set.docs.push(x >> 1);
                set.flags.push((x & 1) as u8 | EXACT);
            }
            if p.len() as u32 >= heavy {
                let no = token_set_base + t as u32;
                let mut bytes = Vec::new();
                set.put(&mut bytes, n);
                output.put(&names::set(no), &bytes)?;
                // Its entries' facet ids, for counting a combined query over it.
                let mut f = Facets::default();
                for &id in &set.docs {
                    let (tg, au) = column.of(id as usize);
                    f.push(tg, au);
                }
                let mut bytes = Vec::new();
                crate::codec::Out::varint(&mut bytes, f.len() as u64);
                f.put(&mut bytes);
                output.put(&names::set_facets(no), &bytes)?;
                Ok(SetRef::File(no))
            } else {
                let mut f = Facets::default();
                for &id in &set.docs {
                    let (tg, au) = column.of(id as usize);
                    f.push(tg, au);
                }
                set.facets = Some(f);
                Ok(SetRef::Inline(set))
            }
        })
        .collect();
    let token_sets: Vec<SetRef> = token_sets.into_iter().collect::<Result<_, _>>()?;
    drop(postings);
    let estimate: usize = (0..vocab.len())
        .map(|t| {
            let size = vocab[t].len() * 2
                + match &token_sets[t] {
                    SetRef::File(_) => 4,
                    SetRef::Inline(s) => s.docs.len() * 6,
                };
            size * pairs_of[t].len()
        })
        .sum();
    let dict_buckets = (estimate / o.dict_bucket_bytes).max(1) as u32;
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
            list.iter().map(|&t| (vocab[t as usize].as_slice(), &token_sets[t as usize])).collect();
        output.put(&names::dict(b as u32), &write_tokens(&entries, n))
    })?;

    step("tokens, dictionary");
    // 8. Answer buckets.
    let sizes: Vec<usize> = answer_list.par_iter().map(|a| write_answers(std::slice::from_ref(a), n).len()).collect();
    let answer_buckets = (sizes.iter().sum::<usize>() / o.answer_bucket_bytes).max(1) as u32;
    let mut abuckets: Vec<Vec<Answer>> = (0..answer_buckets).map(|_| Vec::new()).collect();
    let answers_count = answer_list.len();
    for a in answer_list {
        abuckets[bucket(&a.key, answer_buckets) as usize].push(a);
    }
    abuckets
        .par_iter()
        .enumerate()
        .try_for_each(|(b, list)| output.put(&names::answers(b as u32), &write_answers(list, n)))?;
    drop(abuckets);

    step("answer buckets");
    // 9. Entries, facet column, orders.
    let chunks = |size: u32| n.div_ceil(size);
    (0..chunks(o.store_chunk)).into_par_iter().try_for_each(|c| {
        let lo = (c * o.store_chunk) as usize;
        let hi = (lo + o.store_chunk as usize).min(docs.len());
        let list: Vec<(u32, &[u8])> = docs[lo..hi].iter().map(|d| (d.publisher, d.json.as_slice())).collect();
        output.put(&names::store(c), &write_store(&list))
    })?;
    (0..chunks(o.facet_chunk)).into_par_iter().try_for_each(|c| {
        let lo = (c * o.facet_chunk) as usize;
        let hi = (lo + o.facet_chunk as usize).min(docs.len());
        let mut part = Facets::default();
        for id in lo..hi {
            let (t, a) = column.of(id);
            part.push(t, a);
        }
        let mut bytes = Vec::new();
        crate::codec::Out::varint(&mut bytes, (hi - lo) as u64);
        part.put(&mut bytes);
        output.put(&names::facets(c), &bytes)
    })?;
    (0..chunks(o.order_chunk)).into_par_iter().try_for_each(|c| {
        let lo = (c * o.order_chunk) as usize;
        let hi = (lo + o.order_chunk as usize).min(docs.len());
        output.put(&names::publisher_order(c), &write_ids(&id_of[lo..hi]))?;
        let mut bits = vec![0u8; (hi - lo).div_ceil(8)];
        for id in lo..hi {
            if ties[id] {
                bits[(id - lo) / 8] |= 1 << ((id - lo) % 8);
            }
        }
        output.put(&names::ties(c), &bits)
    })?;

    step("entries, column, orders");
    // Each tag's and author's entries, and the archive's (tag, author) pair counts.
    let mut by_value: [Vec<Vec<u32>>; 2] = [vec![Vec::new(); tags.names.len()], vec![Vec::new(); authors.names.len()]];
    for id in 0..n {
        let (t, a) = column.of(id as usize);
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
            let mut bytes = Vec::new();
            set.put(&mut bytes, n);
            output.put(&names::value_set(facet, i as u32), &bytes)
        })?;
    }
    drop(by_value);
    let pairs = PairCounts::of(0..n, &column);
    pairs_counted.fetch_add(pairs.counted, Relaxed);
    output.put(names::PAIRS, &pairs.file(n))?;

    // 10. The manifest.
    let all: Vec<u32> = (0..n).collect();
    let manifest = Manifest {
        docs: n,
        first_undated,
        store_chunk: o.store_chunk,
        facet_chunk: o.facet_chunk,
        order_chunk: o.order_chunk,
        answer_buckets,
        dict_buckets,
        heavy,
        tags: tags.names,
        authors: authors.names,
        first: Pages {
            relevance: id_of.iter().take(o.pages).copied().collect(),
            newest: all.iter().take(o.pages).copied().collect(),
            oldest: oldest_first(&all, first_undated, &ties, o.pages),
        },
        first_entries: id_of
            .iter()
            .take(o.inline)
            .map(|&id| {
                let d = &docs[id as usize];
                (d.publisher, String::from_utf8_lossy(&d.json).into_owned())
            })
            .collect(),
    };
    output.put("manifest.bin", &manifest.write())?;

    // 11. index.json: the collection's own fields, the pointer, and its first entries in the
    // publisher's order: what a version-1 reader lists, what a page prerendered from it shows,
    // and what the archive answers to the empty query (so a page taken over keeps its cards).
    let listed: Vec<std::rc::Rc<article_viewer_core::format::Summary>> = id_of
        .iter()
        .take(o.listed)
        .map(|&id| &docs[id as usize])
        .filter_map(|d| parse_summary(std::str::from_utf8(&d.json).ok()?, "").ok()?.0.map(std::rc::Rc::new))
        .collect();
    let entries = head.entries;
    let head = head.collection;
    let built = Built {
        docs: docs.len(),
        dropped: entries.saturating_sub(docs.len()),
        answers: answers_count,
        tokens: vocab.len(),
        warnings,
        heavy,
        pairs: pairs_counted.load(Relaxed),
        ..Built::default()
    };
    let index: IndexJson = Box::new(move |folder: &str| {
        let archive =
            ArchivePointer { version: 1, manifest: format!("{folder}/manifest.bin"), entries: Some(u64::from(n)) };
        let collection = Collection { archive: Some(archive), articles: listed, ..head };
        write_document(&Document::Collection(collection)).into_bytes()
    });
    Ok((built, index))
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
