//! The archive answers exactly what the in-memory engine answers, and the builder refuses
//! what the viewer refuses, in its words, without leaving anything half written.

use std::fs;
use std::io::Read as _;
use std::path::Path;

use crate::{Archive, Page, Step};
use article_viewer_core::format::{parse_document, Document};
use article_viewer_core::listing;
use article_viewer_core::search::{Index, Request, Results, Sort};
use article_viewer_core::testing::Rng;

use super::{build, Options};
use article_viewer_publish::Error;

const WORDS: &[&str] = &[
    "오라클",
    "오라클은",
    "클라우드",
    "클라우드를",
    "데이터센터",
    "반도체",
    "수율",
    "반도체의",
    "오락실",
    "미라클",
    "올라",
    "닭갈비",
    "달걀",
    "과자",
    "고래",
    "ㅋㅋ",
    "ㅇㄹㅋ",
    "AI",
    "ＡＩ",
    "Cloud",
    "école",
    "École",
    "3천억",
    "달러",
    "투자",
    "확대",
    "발표",
    "전력",
    "수요",
    "급증",
    "😀",
    "中国",
    "오\u{200B}라클",
    "ﬁ",
];
const TAGS: &[&str] = &["반도체", "클라우드", "AI", "보안", "정책", " 클라우드 ", "ai"];
const AUTHORS: &[&str] = &["김서연", "이민준", "박지우", "최하준", "Kim"];

fn nfd(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match article_viewer_core::search::decompose(c) {
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

fn collection(n: usize, seed: u64) -> String {
    let mut r = Rng(seed);
    let sentence = |r: &mut Rng, k: usize| -> String {
        let s = (0..1 + r.below(k)).map(|_| WORDS[r.below(WORDS.len())]).collect::<Vec<_>>().join(" ");
        if r.below(10) == 0 {
            nfd(&s)
        } else {
            s
        }
    };
    let mut articles = Vec::new();
    for i in 0..n {
        let mut a = serde_json::json!({ "id": format!("a{i}"), "title": sentence(&mut r, 4) });
        if r.below(3) > 0 {
            a["summary"] = sentence(&mut r, 12).into();
        }
        if r.below(5) == 0 {
            a["subtitle"] = sentence(&mut r, 5).into();
        }
        if r.below(6) == 0 {
            a["editors_pick"] = serde_json::json!({ "items": [sentence(&mut r, 4), sentence(&mut r, 4)] });
        }
        let tags: Vec<&str> = (0..r.below(4)).map(|_| TAGS[r.below(TAGS.len())]).collect();
        a["tags"] = tags.into();
        let authors: Vec<serde_json::Value> =
            (0..r.below(3)).map(|_| serde_json::json!({ "name": AUTHORS[r.below(AUTHORS.len())] })).collect();
        a["authors"] = authors.into();
        // Few distinct dates: many ties; some undated, one unparseable (dropped with a warning).
        match r.below(12) {
            0 => {}
            1 => a["published"] = "어제".into(),
            _ => a["published"] = format!("2025-0{}-1{}T09:00:00+09:00", 1 + r.below(9), r.below(10)).into(),
        }
        articles.push(a);
    }
    // An entry the viewer drops.
    articles.insert(n / 2, serde_json::json!({ "title": "no id" }));
    serde_json::json!({ "title": "모음", "language": "ko", "articles": articles }).to_string()
}

struct Opened {
    archive: Archive,
    dir: std::path::PathBuf,
}

fn open(out: &Path) -> Opened {
    let index: serde_json::Value = serde_json::from_str(&fs::read_to_string(out.join("index.json")).unwrap()).unwrap();
    let manifest = index["archive"]["manifest"].as_str().unwrap();
    let dir = out.join(Path::new(manifest).parent().unwrap());
    let archive = Archive::open(&inflate(&out.join(manifest))).unwrap();
    Opened { archive, dir }
}

fn inflate(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(fs::read(path).unwrap().as_slice()).read_to_end(&mut out).unwrap();
    out
}

fn drive(o: &mut Opened, req: &Request, offset: usize, limit: usize) -> Page {
    for _ in 0..100 {
        match o.archive.search(req, offset, limit).unwrap() {
            Step::Done(p) => return p,
            Step::Need(files) => {
                for f in files {
                    let bytes = inflate(&o.dir.join(&f));
                    o.archive.provide(&f, bytes).unwrap();
                }
            }
        }
    }
    panic!("no answer after 100 round trips");
}

fn check(o: &mut Opened, reference: &Index, req: &Request, offset: usize, limit: usize) {
    let want: Results = reference.search_exact(req);
    let page = drive(o, req, offset, limit);
    let ctx = format!("{req:?} at {offset}");
    assert_eq!(page.total, want.hits.len(), "{ctx}");
    assert_eq!(page.tag_counts, want.tag_counts, "{ctx}");
    assert_eq!(page.author_counts, want.author_counts, "{ctx}");
    let end = (offset + limit).min(want.hits.len());
    let got: Vec<usize> = page.hits.iter().map(|h| h.publisher as usize).collect();
    assert_eq!(got, want.hits[offset.min(end)..end], "{ctx}");
    for h in &page.hits {
        let entry = reference.entry(h.publisher as usize).unwrap();
        let (summary, _) = article_viewer_core::format::parse_summary(&h.json, "hit").unwrap();
        assert_eq!(listing::entry(&summary.unwrap()).title, entry.title, "{ctx}");
    }
}

fn reference_of(text: &str) -> Index {
    let Ok(parsed) = parse_document(text) else { panic!("valid") };
    let Document::Collection(c) = parsed.document else { panic!("collection") };
    Index::new(c.articles.iter().map(|s| listing::entry(s)).collect())
}

#[test]
fn the_archive_answers_what_the_in_memory_engine_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let text = collection(1500, 0x2545_F491_4F6C_DD1D);
    let src = tmp.path().join("c.json");
    fs::write(&src, &text).unwrap();
    let out = tmp.path().join("archive");
    // A low threshold: common terms take the answer path, rare ones the dictionary.
    let built = build(&src, &out, &Options { heavy: Some(40), ..Options::default() }).unwrap();
    assert_eq!(built.docs, 1500);
    assert_eq!(built.dropped, 1);
    assert!(built.warnings.iter().any(|w| w.to_string() == "articles[750]: missing id"));
    let reference = reference_of(&text);
    let queries = [
        "",
        "ㅇ",
        "오",
        "올",
        "오라",
        "오랔",
        "오라클",
        "라클",
        "ㅇㄹㅋ",
        "오ㄹㅋ",
        "ㅋ",
        "ㅋㅋ",
        "ㅋㄹㅇㄷ",
        "클라우",
        "닭",
        "달",
        "고",
        "과",
        "ai",
        "ＡＩ",
        "AI 클라우드",
        "ecole",
        "3천억 달러",
        "😀",
        "中",
        "오라클 ㅋ",
        "수율 반도체",
        "반도체 ㅅ",
        "오라클 오라클",
        "fi",
        "zzz",
        "미라클 올라",
        "데이터센터",
        "데이터센",
        "ㄷㅇㅌ",
        "오\u{200B}라",
        "ㅎ",
        "ㄳ",
    ];
    let mut o = open(&out);
    for q in queries {
        for q in [q.to_string(), nfd(q)] {
            for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
                let req = Request { query: q.clone(), sort, ..Request::default() };
                check(&mut o, &reference, &req, 0, 12);
                check(&mut o, &reference, &req, 12, 12);
                check(&mut o, &reference, &req, 40, 30);
                let all = reference.search_exact(&req).hits.len();
                check(&mut o, &reference, &req, 0, all + 1);
                let r = reference.search_exact(&req);
                if let (Some(t), Some(a)) = (r.tag_counts.first(), r.author_counts.get(1)) {
                    let sel = Request { tags: vec![t.0.clone()], ..req.clone() };
                    check(&mut o, &reference, &sel, 0, 12);
                    let one_each = Request { tags: vec![t.0.clone()], authors: vec![a.0.clone()], ..req.clone() };
                    check(&mut o, &reference, &one_each, 0, 12);
                    check(&mut o, &reference, &one_each, 5, 100);
                    let author = Request { authors: vec![a.0.clone()], ..req.clone() };
                    check(&mut o, &reference, &author, 0, 30);
                    let both = Request {
                        tags: vec![t.0.clone(), "없는 태그".into()],
                        authors: vec![a.0.clone()],
                        ..req.clone()
                    };
                    check(&mut o, &reference, &both, 0, 500);
                }
            }
        }
    }
    // A fresh engine for every query gives the same (nothing depends on what was fetched).
    for q in ["오라", "클라우드 ai", "ㅇㄹ"] {
        let req = Request { query: q.into(), ..Request::default() };
        check(&mut open(&out), &reference, &req, 0, 12);
    }
}

#[test]
fn refusals_use_the_viewers_words_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    // An earlier index's output, which a refused build must leave as it is.
    let good = tmp.path().join("good.json");
    fs::write(&good, collection(20, 3)).unwrap();
    build(&good, &out, &Options::default()).unwrap();
    let before = fs::read(out.join("index.json")).unwrap();
    let cases = [
        "{\"articles\": [{\"id\": \"a\", \"title\": \"x\"},\n  {\"id\": }]}",
        "[1, 2]",
        "{\"articles\": {}}",
        "{\"articles\": \"none\"}",
        "{\"title\": \"x\"}",
        "{\"articles\": [], \"title\": 5",
        "<!doctype html><p>404</p>",
    ];
    for text in cases {
        let src = tmp.path().join("bad.json");
        fs::write(&src, text).unwrap();
        let err = build(&src, &out, &Options::default()).map(|_| ()).unwrap_err();
        let want = parse_document(text).map(|_| ()).unwrap_err().to_string();
        match err {
            Error::Refused { error, .. } => assert_eq!(error.to_string(), want, "{text}"),
            other => panic!("{text}: {other}"),
        }
        // The previous output is untouched, and no temporary folder is left behind.
        assert_eq!(fs::read(out.join("index.json")).unwrap(), before);
        let names: Vec<String> =
            fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        assert!(names.iter().all(|n| !n.starts_with(".archive.")), "{names:?}");
    }
}

#[test]
fn a_rebuild_replaces_the_folder_and_writes_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("c.json");
    fs::write(&src, collection(300, 7)).unwrap();
    let out = tmp.path().join("archive");
    let a = build(&src, &out, &Options::default()).unwrap();
    let first = fs::read(out.join("index.json")).unwrap();
    let b = build(&src, &out, &Options::default()).unwrap();
    assert_eq!(a.folder, b.folder);
    assert_eq!(fs::read(out.join("index.json")).unwrap(), first);
    let mut entries: Vec<String> =
        fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    entries.sort();
    // index.json, the index's folder and the mark that `index` wrote them (article_viewer_publish::outdir).
    assert_eq!(
        entries,
        [article_viewer_publish::outdir::MARKER.to_string(), "index.json".into(), a.folder.clone()],
        "{entries:?}"
    );
    // index.json is a version-1 collection the viewer reads, listing the collection's first
    // entries newest first (what the archive and the in-memory engine answer to the empty query).
    let text = String::from_utf8(first).unwrap();
    let Ok(parsed) = parse_document(&text) else { panic!("index.json readable") };
    let Document::Collection(c) = parsed.document else { panic!("a collection") };
    let Ok(Document::Collection(source)) = parse_document(&fs::read_to_string(&src).unwrap()).map(|p| p.document)
    else {
        panic!("the source collection")
    };
    let titles =
        |c: &article_viewer_core::format::Collection| c.articles.iter().map(|s| s.title.clone()).collect::<Vec<_>>();
    let newest = Index::new(source.articles.iter().map(|s| listing::entry(s)).collect())
        .search(&Request { sort: Sort::Newest, ..Request::default() })
        .hits;
    let all = titles(&source);
    let want: Vec<String> = newest.iter().take(100).map(|&i| all[i].clone()).collect();
    assert_eq!(c.articles.len(), 100);
    assert_eq!(titles(&c), want);
    assert_ne!(want, all[..100], "the fixture's own order is not already newest first");
}

/// 2,000 entries, every other one with 100 tags and 100 authors (the viewer's limits), the
/// others with 2 and 3: `count` entries in all.
fn faceted(count: usize) -> String {
    let mut r = Rng(0x51_7CC1_B727_220A);
    let articles: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            let (tags, authors) = if i % 2 == 0 { (100, 100) } else { (2, 3) };
            let skew = r.below(4);
            let title = (0..3).map(|_| WORDS[r.below(WORDS.len())]).collect::<Vec<_>>().join(" ");
            serde_json::json!({
                "id": format!("f{i}"),
                "title": title,
                "published": format!("2025-0{}-1{}T09:00:00+09:00", 1 + r.below(9), r.below(10)),
                "tags": (0..tags).map(|t| format!("태그{}", (t + skew) % 100)).collect::<Vec<_>>(),
                "authors": (0..authors).map(|a| serde_json::json!({ "name": format!("기자{}", (a + skew) % 100) })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({ "title": "태그 많은 모음", "articles": articles }).to_string()
}

#[test]
fn entries_with_a_hundred_tags_and_a_hundred_authors_count_no_pairs_and_stay_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let text = faceted(2000);
    let src = tmp.path().join("c.json");
    fs::write(&src, &text).unwrap();
    let out = tmp.path().join("archive");
    let built = build(&src, &out, &Options::default()).unwrap();
    assert_eq!(built.docs, 2000);
    // Each pair file (one per common term with a set file, and v/x.bin) counts at most the
    // 1,000 small entries' 6 pairs; the 1,000 large ones (10,000 pairs each) are listed.
    // Counted in full it would be over 10,000,000 pairs per file.
    let files = fs::read_dir(out.join(&built.folder).join("t"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with("x.bin"))
        .count() as u64;
    assert!(files > 0);
    assert!(built.pairs <= (files + 1) * 6_000, "{} pairs over {} files", built.pairs, files + 1);
    // The engine counts questions over listed entries from facet ids: still exact.
    let reference = reference_of(&text);
    let mut o = open(&out);
    for q in ["", "오라클", "태그", "기자1"] {
        for (tags, authors) in [
            (vec!["태그1"], vec![]),
            (vec![], vec!["기자2"]),
            (vec!["태그3"], vec!["기자0"]),
            (vec!["태그7", "태그8"], vec![]),
        ] {
            let req = Request {
                query: q.into(),
                tags: tags.iter().map(|s| s.to_string()).collect(),
                authors: authors.iter().map(|s| s.to_string()).collect(),
                sort: Sort::Newest,
                as_typed: false,
            };
            check(&mut o, &reference, &req, 0, 12);
        }
    }
}

#[test]
fn the_fuzz_targets_body_survives_random_and_mutated_archives() {
    use crate::fuzz::{open_and_provide, record};
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("c.json");
    fs::write(&src, collection(120, 11)).unwrap();
    let out = tmp.path().join("archive");
    build(&src, &out, &Options { heavy: Some(10), ..Options::default() }).unwrap();
    let o = open(&out);
    let manifest = inflate(&o.dir.join("manifest.bin"));
    // Honest inputs for a spread of questions (query, order, selection, page), each giving
    // the engine's answer when replayed.
    let mut seeds = Vec::new();
    for question in [0u8, 1, 2, 3, 4, 5, 6, 7, 8 | 2, 16 | 5, 32 | 2, 64, 96 | 6, 128 | 1, 128 | 32] {
        let (input, said) = record(&manifest, question, &mut |name| inflate(&o.dir.join(name)));
        assert!(said.ends_with(" entries"), "{question}: {said}");
        assert_eq!(open_and_provide(&input), said);
        seeds.push(input);
    }
    // Mutated: bytes changed, inserted, removed or cut off, a few at a time; and noise.
    // AV_FUZZ_ROUNDS=N runs longer (and AV_FUZZ_SEED=S elsewhere), as cargo fuzz would.
    let env = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let mut r = Rng(env("AV_FUZZ_SEED", 0x9E37_79B9_7F4A_7C15).max(1));
    let rounds = env("AV_FUZZ_ROUNDS", 3000) as usize;
    let mut refused = 0;
    for round in 0..rounds {
        let mut data = seeds[r.below(seeds.len())].clone();
        for _ in 0..1 + r.below(4) {
            let at = r.below(data.len().max(1));
            match r.below(6) {
                0 => data.truncate(at),
                1 => data.insert(at, r.next_u64() as u8),
                2 if !data.is_empty() => {
                    data.remove(at);
                }
                3 if !data.is_empty() => data[at] = [0x00, 0xFF, 0x80, 0x7F][r.below(4)],
                _ if !data.is_empty() => data[at] ^= 1 << r.below(8),
                _ => {}
            }
        }
        if round % 10 == 0 {
            data = (0..r.below(300)).map(|_| r.next_u64() as u8).collect();
        }
        let said = open_and_provide(&data);
        refused += usize::from(!said.ends_with(" entries") && said != "ran out of files");
    }
    assert!(refused > rounds / 10, "mutations reach the refusals ({refused})");
}

/// `collection`, its dates replaced by minutes over three days in November 2026, in Korea
/// time and in UTC (the same instant written two ways), with ties to the second: the order
/// "newest" under a tag is where a 2026-11-18 entry was once shown before 2026-11-19 ones.
fn dated(n: usize, seed: u64) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&collection(n, seed)).unwrap();
    let mut r = Rng(seed ^ 0x0D06_2026);
    for a in v["articles"].as_array_mut().unwrap() {
        let (day, hour, minute) = (17 + r.below(3), r.below(24), r.below(4) * 15);
        a["published"] = match r.below(8) {
            0 => serde_json::Value::Null,
            1 => {
                // The same instant in UTC: 09:00 in Seoul is 00:00 UTC.
                let (d, h) = if hour >= 9 { (day, hour - 9) } else { (day - 1, hour + 15) };
                format!("2026-11-{d:02}T{h:02}:{minute:02}:00Z").into()
            }
            _ => format!("2026-11-{day:02}T{hour:02}:{minute:02}:00+09:00").into(),
        };
    }
    v.to_string()
}

/// Every order, every tag and author alone and in pairs, with and without a query, at
/// several offsets: the page's entries are the reference's, in its order.
#[test]
fn every_selection_order_and_offset_pages_as_the_reference() {
    let tmp = tempfile::tempdir().unwrap();
    let text = dated(2400, 0x7A61_2026_1119);
    let src = tmp.path().join("c.json");
    fs::write(&src, &text).unwrap();
    let reference = reference_of(&text);
    // The default threshold (100: set files, pair files) and a low one (answers everywhere).
    for heavy in [None, Some(30)] {
        let out = tmp.path().join(format!("archive-{heavy:?}"));
        build(&src, &out, &Options { heavy, ..Options::default() }).unwrap();
        terms_with_the_same_entries_share_files(&out);
        let mut o = open(&out);
        for q in ["", "클라우드", "클라", "ㅋ", "ㅋㄹㅇㄷ", "오라클", "반도체 ㅅ", "ai 클라우드", "닭", "zzz"]
        {
            for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
                let base = Request { query: q.into(), sort, ..Request::default() };
                let mut selections: Vec<(Vec<String>, Vec<String>)> = Vec::new();
                for t in TAGS {
                    selections.push((vec![t.to_string()], vec![]));
                    for a in AUTHORS.iter().take(2) {
                        selections.push((vec![t.to_string()], vec![a.to_string()]));
                    }
                }
                for a in AUTHORS {
                    selections.push((vec![], vec![a.to_string()]));
                }
                selections.push((vec![TAGS[0].into(), TAGS[3].into()], vec![]));
                for (tags, authors) in selections {
                    let req = Request { tags, authors, ..base.clone() };
                    let total = reference.search_exact(&req).hits.len();
                    for offset in [0, 12, 24, total.saturating_sub(5)] {
                        check(&mut o, &reference, &req, offset, 12);
                    }
                }
            }
        }
    }
}

/// 클랑 (클라 with ㅇ typed on) holds what 클라 holds: every token with 클라 goes on to
/// 클라우드. Typed after it under a tag, it costs its answer bucket and nothing else.
fn terms_with_the_same_entries_share_files(out: &Path) {
    let mut o = open(out);
    let under = |q: &str| Request { query: q.into(), tags: vec!["보안".into()], ..Request::default() };
    drive(&mut o, &under("클라"), 0, 12);
    let mut asked = Vec::new();
    while let Step::Need(files) = o.archive.search(&under("클랑"), 0, 12).unwrap() {
        for f in files {
            let bytes = inflate(&o.dir.join(&f));
            o.archive.provide(&f, bytes).unwrap();
            asked.push(f);
        }
    }
    assert!(!asked.is_empty() && asked.iter().all(|f| f.starts_with("a/")), "{asked:?}");
}
