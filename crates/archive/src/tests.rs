//! The engine fed tampered archives: each class the adversarial review found (issue 22) is
//! refused with a message naming the file, and what it allocates on the way is measured.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use super::codec::{Out, Why};
use super::files::{write_answers, Manifest, MAX_DOCS};
use super::{question_grant, Archive, Corrupt, Step};
use crate::search::Request;

/// Counts the bytes live on this thread (each test runs on its own), to bound what a
/// hostile file makes the engine allocate. The rest of the test binary is unaffected.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    // `try_with`: a thread being torn down has no counters left, and allocates anyway.
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + delta);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

// SAFETY: every call is passed on to the system allocator unchanged; only counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// What `f` returns, and the most bytes it held at once beyond what was live before.
fn peak<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(|l| l.get());
    PEAK.with(|p| p.set(base));
    let out = f();
    (out, (PEAK.with(|p| p.get()) - base).max(0) as usize)
}

const MB: usize = 1 << 20;

fn manifest(docs: u32) -> Vec<u8> {
    Manifest {
        docs,
        first_undated: docs,
        store_chunk: 8,
        facet_chunk: 65_536,
        order_chunk: 4096,
        answer_buckets: 1,
        dict_buckets: 1,
        heavy: 100,
        ..Manifest::default()
    }
    .write()
}

/// A set of every entry in 8 bytes, as a set file: complement with nothing absent, no
/// title or inexact positions, no facets, no pairs.
const EVERY_FILE: [u8; 8] = [2, 0, 0, 0, 0, 0, 0, 0];

fn too_large(e: &Corrupt) -> (&'static str, u64, u64) {
    match e.why {
        Why::TooLarge { what, claimed, limit } => (what, claimed, limit),
        _ => panic!("not refused as too large: {e}"),
    }
}

#[test]
fn a_manifest_claiming_fifty_million_entries_is_refused_with_its_claim() {
    let (opened, held) = peak(|| Archive::open(&manifest(50_000_000)).map(|_| ()));
    let e = opened.unwrap_err();
    assert_eq!(e.to_string(), "manifest.bin: the entry count claims 50000000, over the limit of 4194304");
    assert!(held < 4096, "nothing per entry is allocated before the check ({held} bytes)");
    assert!(Archive::open(&manifest(MAX_DOCS)).is_ok(), "the cap itself is accepted");
}

#[test]
fn a_tiny_dictionary_whose_tokens_each_claim_every_entry_stops_at_the_requests_grant() {
    let docs = 1 << 20;
    let mut a = Archive::open(&manifest(docs)).unwrap();
    // 100 tokens "ab", each with an inline set of every entry: 1,301 bytes.
    let mut dict = vec![100];
    for _ in 0..100 {
        dict.extend([2, b'a', b'b', 1]);
        dict.extend(EVERY_FILE);
    }
    let req = Request { query: "ab".into(), ..Request::default() };
    assert_eq!(a.search(&req, 0, 12), Ok(Step::Need(vec!["a/0.bin".into()])));
    a.provide("a/0.bin", write_answers(&[], docs)).unwrap();
    assert_eq!(a.search(&req, 0, 12), Ok(Step::Need(vec!["d/0.bin".into()])));
    a.provide("d/0.bin", dict).unwrap();
    let (step, held) = peak(|| a.search(&req, 0, 12));
    let e = step.unwrap_err();
    assert_eq!(e.file, "d/0.bin");
    let (what, claimed, limit) = too_large(&e);
    assert_eq!((what, claimed), ("a complement set, against this request's grant of ids,", u64::from(docs)));
    assert!(limit < claimed, "{e}");
    // The grant for one term is five sets of every entry (5 bytes each: id and flags),
    // where decoding all 100 would hold 500 MB.
    let grant = question_grant(docs, 1) as usize;
    assert_eq!(grant, 5 * docs as usize);
    assert!(held <= grant * 5 + MB, "held {} MB", held / MB);
    assert!(e.to_string().starts_with(
        "d/0.bin: a complement set, against this request's grant of ids, claims 1048576, over the limit of "
    ));
}

#[test]
fn two_byte_sets_of_every_entry_are_refused_once_the_grant_is_spent() {
    let docs = 1 << 20;
    let mut a = Archive::open(&manifest(docs)).unwrap();
    let (provided, held) =
        peak(|| (0..8).map(|n| a.provide(&format!("t/{n}.bin"), EVERY_FILE.to_vec())).position(|r| r.is_err()));
    // Before any question: four sets (the grant for no term), the fifth is refused.
    assert_eq!(provided, Some(4));
    assert!(a.has("t/3.bin") && !a.has("t/4.bin"));
    let e = a.provide("t/4.bin", EVERY_FILE.to_vec()).unwrap_err();
    assert_eq!(e.file, "t/4.bin");
    assert_eq!(too_large(&e).1, u64::from(docs));
    assert!(held <= 4 * 5 * docs as usize + MB, "held {} MB", held / MB);
    assert!(held >= 4 * 4 * docs as usize, "the counter sees the four sets ({held} bytes)");
    assert!(a.cached_bytes() <= 4 * 5 * docs as usize + 64, "{}", a.cached_bytes());
    // A new question starts with a new grant.
    let req = Request { query: "zz".into(), ..Request::default() };
    let _ = a.search(&req, 0, 12);
    assert!(a.provide("t/9.bin", EVERY_FILE.to_vec()).is_ok());
}

#[test]
fn lying_length_prefixes_in_fetched_files_are_refused_with_the_files_name() {
    let mut a = Archive::open(&manifest(1000)).unwrap();
    let mut store = Vec::new();
    store.varint(1_000_000);
    store.extend([0, 2]);
    let e = a.provide("s/0.bin", store).unwrap_err();
    assert_eq!(e.to_string(), "s/0.bin: a count of items, each a byte or more, claims 1000000, over the limit of 3");
    // A set file whose list runs past its end; a facet file claiming more than its bytes.
    let e = a.provide("v/t0.bin", vec![0, 3, 1, 1]).unwrap_err();
    assert_eq!(e.to_string(), "v/t0.bin: truncated (a value runs past byte 4 of 4)");
    let e = a.provide("t/0f.bin", vec![5, 0, 0, 0, 0, 0, 0]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "t/0f.bin: the entries of a facet list, two bytes each at least, claims 5, over the limit of 3"
    );
    // A truncated answer bucket, found on the next question.
    let req = Request { query: "ab".into(), ..Request::default() };
    a.provide("a/0.bin", vec![1, 5, b'a']).unwrap();
    let e = a.search(&req, 0, 12).unwrap_err();
    assert_eq!(e.to_string(), "a/0.bin: truncated (a value runs past byte 2 of 3)");
    assert!(!a.has("s/0.bin") && !a.has("v/t0.bin"), "nothing refused is kept");
    // Refused at search time: dropped, so asking again fetches it anew.
    assert!(!a.has("a/0.bin"));
    assert_eq!(a.search(&req, 0, 12), Ok(Step::Need(vec!["a/0.bin".into()])));
}

#[test]
fn a_pair_file_listing_uncounted_entries_sends_the_counts_to_the_facet_ids() {
    // Ten entries by one author: tag t on the first five, u on the others. The pair file
    // lists entry 4 as uncounted (and its counts leave it out).
    let m = Manifest {
        docs: 10,
        first_undated: 10,
        store_chunk: 8,
        facet_chunk: 65_536,
        order_chunk: 4096,
        answer_buckets: 1,
        dict_buckets: 1,
        heavy: 100,
        tags: vec![("t".into(), 5), ("u".into(), 5)],
        authors: vec![("a".into(), 10)],
        ..Manifest::default()
    };
    let mut a = Archive::open(&m.write()).unwrap();
    let req = Request { tags: vec!["t".into()], sort: crate::search::Sort::Newest, ..Request::default() };
    let Ok(Step::Need(first)) = a.search(&req, 0, 3) else { panic!("files needed") };
    // The pair file alone: when it counts every entry, it holds the first page too.
    assert_eq!(first, ["v/x.bin"]);
    let set = |docs: &[u32], cross: Vec<(u32, u32, u32)>| super::files::TermSet {
        docs: docs.to_vec(),
        flags: vec![2; docs.len()],
        facets: None,
        cross,
    };
    let mut pairs = Vec::new();
    let pages = super::files::Pages { relevance: vec![0, 1, 2], newest: vec![0, 1, 2], oldest: vec![4, 3, 2] };
    let file =
        super::files::PairFile { set: set(&[4], vec![(0, 0, 4), (1, 0, 5)]), tags: vec![(0, pages)], authors: vec![] };
    file.put(&mut pairs, 10);
    a.provide("v/x.bin", pairs).unwrap();
    let mut tag = Vec::new();
    set(&[0, 1, 2, 3, 4], vec![]).put(&mut tag, 10);
    a.provide("v/t0.bin", tag).unwrap();
    // Not the pair counts (4): the facet column, over every entry, filtered by the tag.
    let Ok(Step::Need(next)) = a.search(&req, 0, 3) else { panic!("the facet column needed") };
    assert_eq!(next, ["f/0.bin"]);
    let mut column = Vec::new();
    column.varint(10);
    for id in 0..10 {
        column.extend([1, u8::from(id >= 5), 1, 0]);
    }
    a.provide("f/0.bin", column).unwrap();
    let page = match a.search_ids(&req, 0, 3) {
        Ok(Step::Done(p)) => p,
        other => panic!("{other:?}"),
    };
    assert_eq!(page.total, 5);
    assert_eq!(page.tag_counts, [("t".to_string(), 5), ("u".to_string(), 5)], "disjunctive: u counts too");
    assert_eq!(page.author_counts, [("a".to_string(), 5)]);
    assert_eq!(page.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [0, 1, 2]);
}
