//! Native evaluation of the static archive against the in-memory engine.
//!
//! ```text
//! node bench/archive-corpus.mjs 100000 /tmp/c100k.json
//! cargo run --release -p article-viewer-cli -- index /tmp/c100k.json --out /tmp/a100k
//! cargo run --release -p article-viewer-archive --features index --example archive_eval -- /tmp/c100k.json /tmp/a100k
//! ```
//!
//! Types the Korean query set keystroke by keystroke as a 2-set IME shows it, each query
//! from a cold cache (a fresh engine: nothing fetched but the manifest), and reports per
//! keystroke the files, bytes (as stored, gzip) and round trips the engine asked for, with
//! a modelled latency at 40 ms and 10 Mbit/s. Every keystroke's total, facet counts and
//! first page are checked against `search::Index::search` over the whole collection; each
//! query's final state is also checked in full (every page, in all three orders, and with
//! a tag and an author selected). `AV_EVAL_TAG=보안` (and `AV_EVAL_SORT=newest|oldest`) types
//! every query under that tag; `AV_EVAL_VERBOSE=1` lists the files of every round trip.

use article_viewer_archive::index;

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use article_viewer_archive::codec::names;
use article_viewer_archive::files::read_store;
use article_viewer_archive::{Archive, Page, Step};
use article_viewer_core::format::parse_summary;
use article_viewer_core::listing;
use article_viewer_core::search::hangul::{compose, tail_atoms, vowel_atoms, LEAD_JAMO};
use article_viewer_core::search::{decompose, Index, Request, Sort, Syllable};

const LATENCY_MS: f64 = 40.0;
const BYTES_PER_MS: f64 = 10_000_000.0 / 8.0 / 1000.0;
const PAGE: usize = 12;

#[derive(Default, Clone, Copy)]
struct Cost {
    files: usize,
    bytes: u64,
    trips: usize,
    model_ms: f64,
}

#[derive(Clone, Copy)]
enum Mode {
    Full,
    Hits,
    Ids,
}

struct Fetcher {
    dir: PathBuf,
}

impl Fetcher {
    fn get(&self, name: &str, cost: &mut Cost) -> (Vec<u8>, u64) {
        let packed = fs::read(self.dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(packed.as_slice()).read_to_end(&mut out).expect("gzip");
        cost.files += 1;
        cost.bytes += packed.len() as u64;
        (out, packed.len() as u64)
    }

    /// Runs a search to completion: every `Need` is one round trip (its files fetched in parallel).
    fn drive(
        &self,
        ar: &mut Archive,
        req: &Request,
        offset: usize,
        limit: usize,
        ids_only: bool,
        cost: &mut Cost,
    ) -> Page {
        self.drive_mode(ar, req, offset, limit, if ids_only { Mode::Ids } else { Mode::Full }, cost)
    }

    fn drive_mode(
        &self,
        ar: &mut Archive,
        req: &Request,
        offset: usize,
        limit: usize,
        mode: Mode,
        cost: &mut Cost,
    ) -> Page {
        loop {
            let step = match mode {
                Mode::Ids => ar.search_ids(req, offset, limit),
                Mode::Full => ar.search(req, offset, limit),
                Mode::Hits => ar.search_hits(req, offset, limit),
            };
            match step.expect("archive readable") {
                Step::Done(p) => return p,
                Step::Need(files) => {
                    cost.trips += 1;
                    let mut trip = 0u64;
                    let verbose = std::env::var_os("AV_EVAL_VERBOSE").is_some();
                    for f in files {
                        let (bytes, packed) = self.get(&f, cost);
                        if verbose {
                            eprintln!("    trip {}: {f} {:.1} KB", cost.trips, packed as f64 / 1e3);
                        }
                        trip += packed;
                        ar.provide(&f, bytes).expect("file readable");
                    }
                    cost.model_ms += LATENCY_MS + trip as f64 / BYTES_PER_MS;
                }
            }
        }
    }
}

// --- A 2-set IME: the composed text after every key. ----------------------------------------

#[derive(Clone, Copy)]
enum Key {
    Vowel(u8),
    Cons(u8),
}

fn vowel_of(keys: &[u8]) -> Option<u8> {
    (0..21u8).find(|&v| vowel_atoms(v) == keys)
}

fn tail_of(keys: &[u8]) -> Option<u8> {
    (1..28u8).find(|&t| tail_atoms(t) == keys)
}

fn keys_of(c: char) -> Vec<Key> {
    let s = decompose(c).expect("syllable");
    let mut k = vec![Key::Cons(s.lead)];
    k.extend(vowel_atoms(s.vowel).iter().map(|&v| Key::Vowel(v)));
    k.extend(tail_atoms(s.tail).iter().map(|&t| Key::Cons(t)));
    k
}

/// States shown while typing `word`'s syllables after `done`.
fn ime(done: &str, word: &[char]) -> Vec<String> {
    let mut done = done.to_string();
    let mut cur: Option<(Option<u8>, Option<u8>, u8)> = None; // lead, vowel, tail
    let render = |done: &str, cur: &Option<(Option<u8>, Option<u8>, u8)>| -> String {
        let mut s = done.to_string();
        match *cur {
            Some((Some(l), Some(v), t)) => s.extend(compose(Syllable { lead: l, vowel: v, tail: t })),
            Some((Some(l), None, _)) => s.push(LEAD_JAMO[usize::from(l)]),
            Some((None, Some(v), _)) => s.extend(char::from_u32(0x314F + u32::from(v))),
            _ => {}
        }
        s
    };
    let mut states = Vec::new();
    for key in word.iter().flat_map(|&c| keys_of(c)) {
        match key {
            Key::Vowel(k) => match cur {
                Some((l, Some(v), 0)) if vowel_of(&[vowel_atoms(v), &[k]].concat()).is_some() => {
                    cur = Some((l, vowel_of(&[vowel_atoms(v), &[k]].concat()), 0));
                }
                Some((Some(l), Some(v), t)) if t != 0 => {
                    let ta = tail_atoms(t);
                    let (moved, rest) = ta.split_last().expect("tail");
                    done.extend(compose(Syllable {
                        lead: l,
                        vowel: v,
                        tail: if rest.is_empty() { 0 } else { tail_of(rest).unwrap_or(0) },
                    }));
                    cur = Some((Some(*moved), Some(k), 0));
                }
                Some((l, None, _)) => cur = Some((l, Some(k), 0)),
                _ => {
                    done = render(&done, &cur);
                    cur = Some((None, Some(k), 0));
                }
            },
            Key::Cons(k) => match cur {
                Some((Some(l), Some(v), 0)) if tail_of(&[k]).is_some() => {
                    cur = Some((Some(l), Some(v), tail_of(&[k]).unwrap_or(0)))
                }
                Some((Some(l), Some(v), t)) if t != 0 && tail_of(&[tail_atoms(t), &[k]].concat()).is_some() => {
                    cur = Some((Some(l), Some(v), tail_of(&[tail_atoms(t), &[k]].concat()).unwrap_or(0)));
                }
                None => cur = Some((Some(k), None, 0)),
                _ => {
                    done = render(&done, &cur);
                    cur = Some((Some(k), None, 0));
                }
            },
        }
        states.push(render(&done, &cur));
    }
    states
}

/// Every state of the search box while `query` is typed (words joined by a typed space).
fn typing(query: &str) -> Vec<String> {
    let mut states = Vec::new();
    let mut done = String::new();
    for (i, word) in query.split(' ').enumerate() {
        if i > 0 {
            done.push(' ');
            states.push(done.clone());
        }
        let chars: Vec<char> = word.chars().collect();
        let mut at = 0;
        while at < chars.len() {
            if decompose(chars[at]).is_some() {
                let mut end = at;
                while end < chars.len() && decompose(chars[end]).is_some() {
                    end += 1;
                }
                let s = ime(&done, &chars[at..end]);
                // The IME may join syllables differently from the word: then type them one by one.
                if s.last().map(String::as_str) == Some(&format!("{done}{}", chars[at..end].iter().collect::<String>()))
                {
                    done = s.last().cloned().unwrap_or_default();
                    states.extend(s);
                } else {
                    for c in &chars[at..end] {
                        let s = ime(&done, &[*c]);
                        done = s.last().cloned().unwrap_or_default();
                        states.extend(s);
                    }
                }
                at = end;
            } else {
                done.push(chars[at]);
                states.push(done.clone());
                at += 1;
            }
        }
    }
    states
}

fn nfd(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match decompose(c) {
            Some(d) => {
                out.extend(char::from_u32(0x1100 + u32::from(d.lead)));
                out.extend(char::from_u32(0x1161 + u32::from(d.vowel)));
                if d.tail != 0 {
                    out.extend(char::from_u32(0x11A7 + u32::from(d.tail)));
                }
            }
            None => out.push(c),
        }
    }
    out
}

// --- Checks. -------------------------------------------------------------------------------

fn same(
    page: &Page,
    want: &article_viewer_core::search::Results,
    offset: usize,
    limit: usize,
    publisher: &[u32],
) -> Result<(), String> {
    if page.total != want.hits.len() {
        return Err(format!("total {} != {}", page.total, want.hits.len()));
    }
    if page.tag_counts != want.tag_counts {
        return Err("tag counts differ".into());
    }
    if page.author_counts != want.author_counts {
        return Err("author counts differ".into());
    }
    let got: Vec<usize> = page.hits.iter().map(|h| publisher[h.id as usize] as usize).collect();
    let end = (offset + limit).min(want.hits.len());
    let expected = want.hits.get(offset.min(end)..end).unwrap_or(&[]);
    if got != expected {
        let at = got.iter().zip(expected).position(|(a, b)| a != b).unwrap_or(got.len().min(expected.len()));
        return Err(format!(
            "hits differ at {} of {} (got {}, want {})",
            offset + at,
            want.hits.len(),
            got.len(),
            expected.len()
        ));
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(corpus), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: archive_eval <collection.json> <archive dir> [--full-checks]");
        std::process::exit(2);
    };
    let full = !args.iter().any(|a| a == "--quick");
    if args.iter().any(|a| a == "--memory") {
        memory(Path::new(dir));
        return;
    }
    let only: Option<&String> = args.iter().skip(2).find(|a| !a.starts_with("--"));
    let out = Path::new(dir);
    let index_json = fs::read_to_string(out.join("index.json")).expect("index.json");
    let pointer: serde_json::Value = serde_json::from_str(&index_json).expect("index.json is JSON");
    let manifest_name = pointer["archive"]["manifest"].as_str().expect("archive pointer").to_string();
    let folder = out.join(Path::new(&manifest_name).parent().expect("folder"));
    let fetch = Fetcher { dir: folder.clone() };

    // The in-memory reference over the whole collection.
    let t = Instant::now();
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    let process = |i: usize, raw: &str| {
        parse_summary(raw, &format!("articles[{i}]")).map(|(s, w)| (s.map(|s| listing::entry(&s)), w))
    };
    index::read::read(Path::new(corpus), &process, &mut |e| entries.push(e), &mut warnings).expect("corpus");
    let n = entries.len();
    let reference = Index::new(entries);
    eprintln!("reference: {n} entries loaded and indexed in {:.1} s", t.elapsed().as_secs_f64());

    let mut manifest_cost = Cost::default();
    let (manifest, packed) = fetch.get("manifest.bin", &mut manifest_cost);
    let open = || Archive::open(&manifest).expect("manifest");
    let mut probe = open();
    // id -> place in the publisher's collection, from the entry files (not counted).
    let mut publisher = vec![0u32; n];
    let mut scratch = Cost::default();
    let chunk = probe.manifest().store_chunk;
    for c in 0..(n as u32).div_ceil(chunk) {
        let (bytes, _) = fetch.get(&names::store(c), &mut scratch);
        for (i, (place, _)) in read_store(&bytes).expect("entries").into_iter().enumerate() {
            publisher[(c * chunk) as usize + i] = place;
        }
    }
    let _ = &mut probe;
    let disk: u64 = walk(&folder);
    println!(
        "archive: {n} entries, {} files, {:.1} MB on disk; manifest {:.1} KB; index.json {:.1} KB",
        count(&folder),
        disk as f64 / 1e6,
        packed as f64 / 1e3,
        index_json.len() as f64 / 1e3
    );

    let queries: Vec<(&str, String)> = vec![
        ("오라클", "오라클".into()),
        ("라클", "라클".into()),
        ("ㅇㄹㅋ", "ㅇㄹㅋ".into()),
        ("ㅋㄹㅇㄷ", "ㅋㄹㅇㄷ".into()),
        ("오ㄹㅋ", "오ㄹㅋ".into()),
        ("오랔", "오랔".into()),
        ("오라", "오라".into()),
        ("데이터센터 (NFD)", "데이터센터".into()),
        ("반도체 수율", "반도체 수율".into()),
        ("클라우드", "클라우드".into()),
    ];
    // AV_EVAL_TAG=보안 (and AV_EVAL_SORT=newest): every keystroke under that tag.
    let under: Vec<String> = std::env::var("AV_EVAL_TAG").ok().into_iter().filter(|t| !t.is_empty()).collect();
    let sort = std::env::var("AV_EVAL_SORT").ok().and_then(|s| Sort::parse(&s)).unwrap_or_default();
    let mut failures = 0usize;
    let mut worst_cold = Cost::default();
    let mut worst_warm = Cost::default();
    let mut all_cold = Vec::new();
    let mut first_ms: Vec<f64> = Vec::new();
    println!(
        "\n| query | keystroke | hits | first results: KB / trips / ms | files | KB with counts | trips | ms | exact |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---|");
    for (name, q) in &queries {
        if only.is_some_and(|o| o != q) {
            continue;
        }
        let mut ar = open();
        let mut states = typing(q);
        if name.contains("NFD") {
            states = states.iter().map(|s| nfd(s)).collect();
        }
        let mut query_bytes = 0u64;
        for (k, state) in states.iter().enumerate() {
            let req = Request { query: state.clone(), tags: under.clone(), sort, ..Request::default() };
            if only.is_some() {
                eprintln!("  {state}");
            }
            // First results (the hits, counts if free), then the counts.
            let mut first = Cost::default();
            let shown = fetch.drive_mode(&mut ar, &req, 0, PAGE, Mode::Hits, &mut first);
            let mut cost = first;
            let page = fetch.drive(&mut ar, &req, 0, PAGE, false, &mut cost);
            let want = reference.search_exact(&req);
            let mut verdict = same(&page, &want, 0, PAGE, &publisher);
            if verdict.is_ok() && shown.hits != page.hits {
                verdict = Err("first results differ".into());
            }
            if verdict.is_err() {
                failures += 1;
            }
            query_bytes += cost.bytes;
            if k == 0 {
                all_cold.push(cost.model_ms);
                if cost.bytes > worst_cold.bytes {
                    worst_cold = cost;
                }
            } else if cost.bytes > worst_warm.bytes {
                worst_warm = cost;
            }
            first_ms.push(first.model_ms);
            println!(
                "| {} | `{}` | {} | {:.1} / {} / {:.0} | {} | {:.1} | {} | {:.0} | {} |",
                if k == 0 { name } else { "" },
                nfc_show(state),
                page.total,
                first.bytes as f64 / 1e3,
                first.trips,
                first.model_ms,
                cost.files,
                cost.bytes as f64 / 1e3,
                cost.trips,
                cost.model_ms,
                verdict.err().unwrap_or_else(|| "yes".into())
            );
        }
        println!("| | **whole query** | | | | {:.1} | | | |", query_bytes as f64 / 1e3);
    }
    println!("\nworst first keystroke: {:.1} KB in {} trips ({:.0} ms modelled); worst following keystroke: {:.1} KB in {} trips ({:.0} ms)",
        worst_cold.bytes as f64 / 1e3, worst_cold.trips, worst_cold.model_ms, worst_warm.bytes as f64 / 1e3, worst_warm.trips, worst_warm.model_ms);

    // Final states in full: every page in every order, with selections, plus a cold run of
    // each (what a shared link costs).
    println!("\n| query | check | KB cold | trips | exact |");
    println!("|---|---|---:|---:|---|");
    let mut extra: Vec<(&str, String)> = queries.clone();
    for q in [
        "",
        "ai",
        "ａｉ",
        "cloud",
        "AI 클라우드",
        "zzz",
        "3천억",
        "오라클 ㅋㄹㅇㄷ",
        "오라클은",
        "클라우드 데이터센터 전력",
        "ㅋ",
        "x",
        "미라클",
        "오락실",
    ] {
        extra.push((q, q.to_string()));
    }
    for (name, q) in &extra {
        if only.is_some() {
            break;
        }
        let q = if name.contains("NFD") { nfd(q) } else { q.clone() };
        let base = Request { query: q.clone(), ..Request::default() };
        let top_tag = reference.search_exact(&base).tag_counts.first().map(|t| t.0.clone());
        let top_author = reference.search_exact(&base).author_counts.first().map(|t| t.0.clone());
        let mut cases: Vec<(String, Request)> = Vec::new();
        for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
            cases.push((format!("{} page 1", sort.as_str()), Request { sort, ..base.clone() }));
        }
        if let Some(t) = &top_tag {
            cases.push((format!("tag {t}"), Request { tags: vec![t.clone()], ..base.clone() }));
            if let Some(a) = &top_author {
                cases.push((
                    format!("tag + author {a}, oldest"),
                    Request { tags: vec![t.clone()], authors: vec![a.clone()], sort: Sort::Oldest, ..base.clone() },
                ));
            }
        }
        for (label, req) in cases {
            let mut ar = open();
            let mut cost = Cost::default();
            let page = fetch.drive(&mut ar, &req, 0, PAGE, false, &mut cost);
            let want = reference.search_exact(&req);
            let mut verdict = same(&page, &want, 0, PAGE, &publisher);
            if full && verdict.is_ok() {
                // Every page: the whole order at once, and a page in the middle.
                let all = fetch.drive(&mut ar, &req, 0, usize::MAX, true, &mut Cost::default());
                verdict = same(&all, &want, 0, usize::MAX, &publisher);
                let mid = want.hits.len() / 2;
                if verdict.is_ok() {
                    let p = fetch.drive(&mut ar, &req, mid, PAGE, true, &mut Cost::default());
                    verdict = same(&p, &want, mid, PAGE, &publisher);
                }
            }
            if verdict.is_err() {
                failures += 1;
            }
            println!(
                "| `{}` | {} | {:.1} | {} | {} |",
                nfc_show(&q),
                label,
                cost.bytes as f64 / 1e3,
                cost.trips,
                verdict.err().unwrap_or_else(|| "yes".into())
            );
        }
    }
    all_cold.sort_by(f64::total_cmp);
    first_ms.sort_by(f64::total_cmp);
    let q = |p: f64| {
        first_ms
            .get(((first_ms.len() as f64 * p) as usize).min(first_ms.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "\nfirst results per keystroke (modelled at 40 ms, 10 Mbit/s): median {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        q(0.5),
        q(0.95),
        q(1.0)
    );
    println!("\n{} mismatches", failures);
    if failures > 0 {
        std::process::exit(1);
    }
}

fn nfc_show(s: &str) -> String {
    article_viewer_core::search::normalize(s)
}

fn walk(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| if e.path().is_dir() { walk(&e.path()) } else { e.metadata().map(|m| m.len()).unwrap_or(0) })
                .sum()
        })
        .unwrap_or(0)
}

fn count(dir: &Path) -> usize {
    fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| if e.path().is_dir() { count(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}

fn vm(field: &str) -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// The engine alone through one reader's session: every keystroke of the query set, then
/// each final query with a tag, an author and both date orders, scrolled to 5 pages.
/// Reports the process's peak memory over its baseline and the engine's own estimate.
fn memory(out: &Path) {
    let index_json = fs::read_to_string(out.join("index.json")).expect("index.json");
    let pointer: serde_json::Value = serde_json::from_str(&index_json).expect("index.json is JSON");
    let manifest_name = pointer["archive"]["manifest"].as_str().expect("archive pointer").to_string();
    let folder = out.join(Path::new(&manifest_name).parent().expect("folder"));
    let fetch = Fetcher { dir: folder };
    let base = vm("VmRSS:");
    let mut cost = Cost::default();
    let (manifest, _) = fetch.get("manifest.bin", &mut cost);
    let mut ar = Archive::open(&manifest).expect("manifest");
    let mut peak_cache = 0usize;
    let queries = [
        "오라클",
        "라클",
        "ㅇㄹㅋ",
        "ㅋㄹㅇㄷ",
        "오ㄹㅋ",
        "오랔",
        "오라",
        "데이터센터",
        "반도체 수율",
        "",
        "ai 클라우드",
    ];
    for q in queries {
        let mut states = typing(q);
        states.push(q.to_string());
        for st in states {
            let req = Request { query: st, ..Request::default() };
            let before = vm("VmHWM:");
            fetch.drive(&mut ar, &req, 0, PAGE, false, &mut cost);
            peak_cache = peak_cache.max(ar.cached_bytes());
            if std::env::var_os("AV_EVAL_VERBOSE").is_some() && vm("VmHWM:") > before {
                eprintln!(
                    "  {:?}: peak {:.1} MB, caches {:.1} MB",
                    req.query,
                    vm("VmHWM:") as f64 / 1e3,
                    ar.cached_bytes() as f64 / 1e6
                );
            }
        }
        let base_req = Request { query: q.to_string(), ..Request::default() };
        let p = fetch.drive(&mut ar, &base_req, 0, PAGE, false, &mut cost);
        let tag = p.tag_counts.first().map(|t| t.0.clone()).unwrap_or_default();
        let author = p.author_counts.first().map(|t| t.0.clone()).unwrap_or_default();
        for req in [
            Request { tags: vec![tag.clone()], ..base_req.clone() },
            Request { tags: vec![tag], authors: vec![author], sort: Sort::Oldest, ..base_req.clone() },
            Request { sort: Sort::Newest, ..base_req.clone() },
        ] {
            for page in 0..5 {
                let before = vm("VmHWM:");
                fetch.drive(&mut ar, &req, page * PAGE, PAGE, false, &mut cost);
                peak_cache = peak_cache.max(ar.cached_bytes());
                if std::env::var_os("AV_EVAL_VERBOSE").is_some() && vm("VmHWM:") > before {
                    eprintln!(
                        "  {:?} {:?} {:?} {:?} page {page}: peak {:.1} MB, caches {:.1} MB",
                        req.query,
                        req.tags,
                        req.authors,
                        req.sort,
                        vm("VmHWM:") as f64 / 1e3,
                        ar.cached_bytes() as f64 / 1e6
                    );
                }
            }
        }
    }
    println!(
        "session: {} files, {:.1} MB fetched; engine caches peaked at {:.1} MB (budget {:.0} MB); process peak {:.1} MB over a {:.1} MB baseline",
        cost.files,
        cost.bytes as f64 / 1e6,
        peak_cache as f64 / 1e6,
        article_viewer_archive::CACHE_BUDGET as f64 / 1e6,
        (vm("VmHWM:").saturating_sub(base)) as f64 / 1e3,
        base as f64 / 1e3
    );
}
