//! `import` and `check` as a publisher runs them: the program itself, on the fixtures of
//! `crates/import/tests/fixtures/import/<kind>/` (written for these tests), into temporary folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use article_viewer_core::format::{parse_document, Document};

const BIN: &str = env!("CARGO_BIN_EXE_article-viewer-cli");

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/import/tests/fixtures/import").join(rel)
}

fn cli(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the program runs")
}

fn import(kind: &str, input: &str, out: &Path, extra: &[&str]) -> Output {
    let input = fixture(input);
    let mut args = vec!["import", kind, input.to_str().unwrap_or_default(), "--out", out.to_str().unwrap_or_default()];
    args.extend_from_slice(extra);
    cli(&args)
}

/// Every file of a folder, by its path inside it.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&p).expect("readable"));
            }
        }
    }
    out
}

/// Every document parses with the viewer's own parser without a warning; the collection
/// lists every article, and every relative `href` and image leads to a file that is there.
fn assert_valid_site(dir: &Path) -> (usize, BTreeMap<String, Vec<u8>>) {
    let files = tree(dir);
    let mut articles = 0;
    for (rel, bytes) in &files {
        // The import's manifest of its own files (hidden) is not a document.
        if !rel.ends_with(".json") || rel.starts_with('.') {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        let parsed = parse_document(&text).unwrap_or_else(|e| panic!("{rel}: refused: {e}"));
        assert!(parsed.warnings.is_empty(), "{rel}: {:?}", parsed.warnings);
        let base = Path::new(rel).parent().unwrap_or(Path::new(""));
        let exists = |r: &str| {
            let path = base.join(percent_decoded(r));
            let mut parts: Vec<String> = Vec::new();
            for c in path.components() {
                match c {
                    std::path::Component::ParentDir => {
                        parts.pop();
                    }
                    c => parts.push(c.as_os_str().to_string_lossy().to_string()),
                }
            }
            files.contains_key(&parts.join("/"))
        };
        match &parsed.document {
            Document::Collection(c) => {
                assert_eq!(rel, "index.json");
                for s in &c.articles {
                    let href = s.href.as_deref().expect("every entry has an href");
                    assert!(exists(href), "{rel}: {href} is missing");
                }
            }
            Document::Article(a) => {
                articles += 1;
                assert!(rel.starts_with("articles/"), "{rel}");
                for r in &a.related {
                    assert!(exists(r.href.as_deref().unwrap_or("")), "{rel}: related {:?} is missing", r.href);
                }
                for src in a.image.iter().map(|i| i.src.as_str()).chain(images_in(&a.body).iter().map(String::as_str)) {
                    if !src.contains("://") && !src.starts_with('/') {
                        assert!(exists(src), "{rel}: image {src} is missing");
                    }
                }
            }
        }
    }
    (articles, files)
}

fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Image destinations written `](dest` or `]: <dest>` in a Markdown body.
fn images_in(body: &str) -> Vec<String> {
    body.split("![")
        .skip(1)
        .filter_map(|s| s.split_once("](").map(|(_, rest)| rest.split([' ', ')']).next().unwrap_or("").to_string()))
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn every_kind_imports_into_a_valid_site_twice_the_same() {
    let cases: [(&str, &str, &[&str], usize); 10] = [
        ("markdown", "markdown", &["--site", "https://site.example/"], 4),
        ("jsonfeed", "jsonfeed/feed-1.1.json", &[], 3),
        ("jsonfeed", "jsonfeed/feed-1.0.json", &[], 1),
        ("feed", "feed/rss.xml", &[], 3),
        ("feed", "feed/atom.xml", &[], 3),
        // Five published posts and one scheduled (in 2036).
        ("ghost", "ghost/ghost-5.json", &["--site", "https://newsroom.example/"], 6),
        ("ghost", "ghost/ghost-4.json", &["--site", "https://g4.example/"], 1),
        ("ghost", "ghost/ghost-2.json", &[], 1),
        ("wordpress", "wordpress/wxr-1.2.xml", &[], 2),
        ("wordpress", "wordpress/theme-unit-test.xml", &[], 3),
    ];
    for (kind, input, extra, posts) in cases {
        let tmp = tempfile::tempdir().expect("temp");
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        let out = import(kind, input, &a, extra);
        assert!(out.status.success(), "{kind} {input}: {}", stderr(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).starts_with(&format!("imported {posts} posts into")),
            "{kind} {input}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let (articles, first) = assert_valid_site(&a);
        assert_eq!(articles, posts, "{kind} {input}");
        let again = import(kind, input, &b, extra);
        assert!(again.status.success());
        assert_eq!(first, tree(&b), "{kind} {input}: a second import differs");
        let check = cli(&["check", a.to_str().unwrap_or_default()]);
        assert!(check.status.success(), "{kind} {input}: {}", stderr(&check));
        // Nothing is left beside the output but each import's report.
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        left.sort();
        assert_eq!(left, ["a", "a.import.json", "a.import.md", "b", "b.import.json", "b.import.md"], "{kind} {input}");
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(tmp.path().join("a.import.json")).expect("report"))
                .expect("the report is JSON");
        assert_eq!(report["totals"]["imported"], posts, "{kind} {input}");
    }
}

#[test]
fn the_import_report_says_what_came_in_and_how() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("harbour");
    let run = import("wordpress", "wordpress/theme-unit-test.xml", &out, &["--drafts"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let stdout = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(stdout.starts_with("imported 4 posts into"), "{stdout}");
    assert!(stdout.contains("(1 scheduled, 1 drafts, 6 old addresses kept; 0 skipped, 0 warnings)"), "{stdout}");
    assert!(stdout.trim_end().ends_with("harbour.import.json"), "{stdout}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("harbour.import.json")).expect("report"))
            .expect("JSON");
    assert_eq!(report["totals"]["scheduled"], 1);
    assert_eq!(report["totals"]["drafts"], 1);
    assert_eq!(report["totals"]["aliases"], 6);
    let sticky =
        report["posts"].as_array().expect("posts").iter().find(|p| p["slug"] == "template-sticky").expect("sticky");
    assert_eq!(sticky["aliases"], serde_json::json!(["/2026/01/10/template-sticky/", "/?p=1510"]));
    let md = std::fs::read_to_string(tmp.path().join("harbour.import.md")).expect("report");
    assert!(md.contains("| `articles/autumn-regatta.json` Scheduled: Autumn regatta | scheduled |"), "{md}");
}

#[test]
fn the_ghost_import_keeps_the_seed_articles_parts() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("site");
    assert!(import("ghost", "ghost/ghost-5.json", &out, &["--site", "https://newsroom.example/", "--related", "2"])
        .status
        .success());
    let text = std::fs::read_to_string(out.join("articles/openai-oracle-partnership.json")).expect("article");
    let Document::Article(a) = parse_document(&text).expect("valid").document else { panic!("not an article") };
    assert_eq!(a.published.map(|d| d.raw).as_deref(), Some("2025-09-12T09:00:00+09:00"));
    assert_eq!(a.editors_pick.map(|p| p.items.len()), Some(3));
    assert!(a.body.contains("> [!TIP]\n> 💡 **여기서 잠깐!**"));
    assert_eq!(a.image.and_then(|i| i.caption).as_deref(), Some("Photo by [Nik](https://unsplash.com/@nik?utm_source=ghost) / [Unsplash](https://unsplash.com/?utm_source=ghost)"));
    // Read more: by shared tags (AI), newest first, at most --related.
    let related: Vec<&str> = a.related.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(related, ["66e2a1f0c0ffee0001a1b2c4"]);
    // The Korean slug is kept as the file name.
    assert!(out.join("articles/구글-빅슬립-보고서.json").is_file());
    let index = std::fs::read_to_string(out.join("index.json")).expect("index");
    let Document::Collection(c) = parse_document(&index).expect("valid").document else { panic!("not a collection") };
    // The collection: newest first (the scheduled post, in 2036, is imported as scheduled:
    // `build` leaves it out until then).
    assert_eq!(c.articles[0].id, "66e2a1f0c0ffee0001a1b2cc");
    assert_eq!(c.articles[1].id, "66e2a1f0c0ffee0001a1b2cb");
    assert_eq!(c.language.as_deref(), Some("ko"));
    for (_, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["@newsroom.example", "SECRET", "subscriber.example", "$2a$", "유료 회원만"] {
            assert!(!text.contains(secret), "{secret} reached the output");
        }
    }
}

#[test]
fn markdown_images_are_copied_beside_the_documents() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("site");
    assert!(import("markdown", "markdown", &out, &[]).status.success());
    assert!(out.join("images/content/posts/openai-oracle/chart.svg").is_file());
    assert!(out.join("images/content/posts/images/shared chart.svg").is_file());
    assert!(!tree(&out).keys().any(|k| k.contains("passwd")));
    let text = std::fs::read_to_string(out.join("articles/openai-oracle.json")).expect("article");
    let Document::Article(a) = parse_document(&text).expect("valid").document else { panic!("not an article") };
    assert_eq!(a.image.map(|i| i.src).as_deref(), Some("../images/content/posts/openai-oracle/cover.svg"));
    // The source named its related post.
    assert_eq!(a.related.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["jekyll-passkey"]);
}

#[test]
fn malformed_inputs_stop_with_line_and_column_and_write_nothing() {
    let cases = [
        ("ghost", "ghost/truncated.json", "truncated.json:28:5: invalid Ghost export: EOF while parsing"),
        ("wordpress", "wordpress/malformed.xml", "malformed.xml:7:"),
        ("feed", "feed/malformed.xml", "malformed.xml:6:"),
        ("jsonfeed", "jsonfeed/malformed.json", "malformed.json:6:"),
        ("feed", "feed/not-a-feed.xml", "not-a-feed.xml:2:1: not an RSS or Atom feed"),
        ("wordpress", "feed/rss.xml", "not a WordPress export"),
        ("ghost", "jsonfeed/feed-1.1.json", "not a Ghost export"),
        ("markdown", "markdown/notes", "no post was imported (1 skipped"),
    ];
    for (kind, input, want) in cases {
        let tmp = tempfile::tempdir().expect("temp");
        let out = tmp.path().join("site");
        let o = import(kind, input, &out, &[]);
        assert!(!o.status.success(), "{kind} {input} succeeded");
        assert!(stderr(&o).contains(want), "{kind} {input}: {}", stderr(&o));
        assert_eq!(std::fs::read_dir(tmp.path()).expect("dir").count(), 0, "{kind} {input}: something was left behind");
    }
}

#[test]
fn an_existing_folder_is_replaced_only_when_asked() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("site");
    std::fs::create_dir(&out).expect("dir");
    std::fs::write(out.join("mine.txt"), "keep").expect("write");
    // A folder the import did not write is refused, with or without --force, and kept.
    for force in [&[][..], &["--force"][..]] {
        let o = import("jsonfeed", "jsonfeed/feed-1.0.json", &out, force);
        assert!(!o.status.success() && stderr(&o).contains("was not written by `import`"), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(out.join("mine.txt")).expect("kept"), "keep");
    }
    std::fs::remove_file(out.join("mine.txt")).expect("rm");
    assert!(import("jsonfeed", "jsonfeed/feed-1.0.json", &out, &[]).status.success(), "an empty folder is fine");
    let o = import("jsonfeed", "jsonfeed/feed-1.1.json", &out, &[]);
    assert!(!o.status.success() && stderr(&o).contains("give --force"), "{}", stderr(&o));
    let o = import("jsonfeed", "jsonfeed/feed-1.1.json", &out, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(assert_valid_site(&out).0, 3);
}

#[test]
fn check_prints_each_warning_and_fails_on_a_refused_document() {
    let tmp = tempfile::tempdir().expect("temp");
    let dir = tmp.path();
    std::fs::write(dir.join("index.json"), r#"{"articles":[{"id":"a","title":"가","href":"a.json"}]}"#).expect("write");
    std::fs::write(dir.join("a.json"), r#"{"id":"a","title":"가","body":"본문","authors":["김기자"]}"#).expect("write");
    let o = cli(&["check", dir.to_str().unwrap_or_default()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("a.json: warning: authors[0]: expected an object, found a string"), "{}", stderr(&o));
    std::fs::write(dir.join("b.json"), "{\"id\":\"b\",\n\"body\":\"x\"}").expect("write");
    let o = cli(&["check", dir.to_str().unwrap_or_default()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("b.json: refused: title: missing"), "{}", stderr(&o));
    assert!(stderr(&o).contains("error: 1 of 3 documents refused"), "{}", stderr(&o));
    let o = cli(&["check", dir.join("b.json").to_str().unwrap_or_default()]);
    assert!(!o.status.success());
}

// ---------------------------------------------------------------------------------------------
// Hostile input (issue 22): each input is made here, beside posts that must still import.

/// Runs `import KIND INPUT --out DIR/site` on an input written into a fresh folder.
fn import_made(kind: &str, name: &str, bytes: &[u8]) -> (tempfile::TempDir, Output) {
    let tmp = tempfile::tempdir().expect("temp");
    let input = tmp.path().join(name);
    if let Some(dir) = input.parent() {
        std::fs::create_dir_all(dir).expect("dir");
    }
    std::fs::write(&input, bytes).expect("write");
    let out = tmp.path().join("site");
    let o = cli(&["import", kind, input.to_str().unwrap_or_default(), "--out", out.to_str().unwrap_or_default()]);
    (tmp, o)
}

fn articles(site: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.join("articles"))
        .expect("articles")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

fn item(id: &str, title: &str, url: &str, text: &str) -> serde_json::Value {
    let mut item = serde_json::json!({"id": id, "title": title, "summary": "요약", "content_text": text});
    if !url.is_empty() {
        item["url"] = url.into();
    }
    item
}

fn jsonfeed(items: Vec<serde_json::Value>) -> Vec<u8> {
    serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": "f", "items": items})
        .to_string()
        .into_bytes()
}

#[test]
fn a_post_over_the_document_limit_is_skipped_and_the_rest_import() {
    let limit = article_viewer_core::format::LIMITS.document_bytes;
    let big = "가나다라 마바사 ".repeat(limit / 20 + 1);
    assert!(big.len() > limit);
    let feed = jsonfeed(vec![
        item("1", "앞 글", "https://x.example/a", "본문"),
        item("2", "너무 큰 글", "https://x.example/big", &big),
        item("3", "뒤 글", "https://x.example/big", "본문"),
    ]);
    let (tmp, o) = import_made("jsonfeed", "feed.json", &feed);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("post \"2\" (너무 큰 글): skipped: the viewer refuses it"), "{err}");
    // The skipped post's slug is free again: the next post with its address takes it.
    assert_eq!(articles(&tmp.path().join("site")), ["a.json", "big.json"]);
    assert_valid_site(&tmp.path().join("site"));
}

#[test]
fn slugs_fit_file_names_in_bytes_and_never_name_a_device() {
    let wide = "\u{10400}".repeat(100); // 400 bytes of 4-byte letters
    let mut items = vec![item("w1", &wide, "", "본문"), item("w2", &wide, "", "본문")];
    for (i, name) in ["con", "NUL", "aux.txt", "Com1", "lpt9", "prn"].iter().enumerate() {
        items.push(item(&format!("d{i}"), "장치", &format!("https://x.example/{name}"), "본문"));
    }
    let (tmp, o) = import_made("jsonfeed", "feed.json", &jsonfeed(items));
    assert!(o.status.success(), "{}", stderr(&o));
    let names = articles(&tmp.path().join("site"));
    assert_eq!(names.len(), 8, "{names:?}");
    for name in &names {
        assert!(name.len() <= 245, "{} bytes: {name}", name.len());
        let stem = name.trim_end_matches(".json").split('.').next().unwrap_or("").to_ascii_lowercase();
        assert!(!["con", "nul", "aux", "prn", "com1", "lpt9"].contains(&stem.as_str()), "{name}");
    }
    for want in ["con-post.json", "nul-post.json", "aux-txt.json", "com1-post.json", "lpt9-post.json", "prn-post.json"]
    {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    assert!(names.iter().any(|n| n.ends_with("-2.json") && n.starts_with('\u{10400}')), "{names:?}");
    assert_valid_site(&tmp.path().join("site"));
}

#[test]
fn a_yaml_alias_bomb_skips_its_file_and_names_it() {
    let tmp = tempfile::tempdir().expect("temp");
    let posts = tmp.path().join("content");
    std::fs::create_dir_all(&posts).expect("dir");
    let mut bomb = String::from("---\ntitle: 폭탄\nk0: &! [lol]\n");
    let marks = ["!", "+", "-", ".", "~", "$", "%", "^", "(", ")", "=", "|", "/", "?", ";", "'", "\"", "`", "<", "@"];
    for i in 1..20 {
        bomb.push_str(&format!(
            "k{i}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
            n = marks[i],
            p = marks[i - 1]
        ));
    }
    bomb.push_str("---\n본문\n");
    assert!(bomb.len() < 1000);
    std::fs::write(posts.join("bomb.md"), &bomb).expect("write");
    std::fs::write(posts.join("good.md"), "---\ntitle: 좋은 글\n---\n본문\n").expect("write");
    let out = tmp.path().join("site");
    let o = cli(&["import", "markdown", posts.to_str().unwrap_or_default(), "--out", out.to_str().unwrap_or_default()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("bomb.md:") && err.contains("skipped: the YAML front matter expands past"), "{err}");
    assert_eq!(articles(&out), ["good.json"]);
}

#[test]
fn a_mobiledoc_naming_one_big_card_over_and_over_is_skipped() {
    let card = serde_json::json!(["html", {"html": format!("<p>{}</p>", "카".repeat(30_000))}]);
    let sections: Vec<serde_json::Value> = (0..20_000).map(|_| serde_json::json!([10, 0])).collect();
    let bomb =
        serde_json::json!({"version": "0.3.1", "markups": [], "atoms": [], "cards": [card], "sections": sections});
    let good = serde_json::json!({"version": "0.3.1", "markups": [], "atoms": [], "cards": [card], "sections": [[10, 0], [10, 0]]});
    let post = |id: &str, title: &str, doc: &serde_json::Value| serde_json::json!({"id": id, "title": title, "slug": id, "type": "post", "status": "published", "visibility": "public", "mobiledoc": doc.to_string()});
    let export = serde_json::json!({"db": [{"meta": {"version": "4.0.0"}, "data": {"posts": [post("bomb", "카드 폭탄", &bomb), post("good", "카드 두 번", &good)]}}]});
    let bytes = export.to_string().into_bytes();
    assert!(bytes.len() < 1_000_000, "{}", bytes.len());
    let (tmp, o) = import_made("ghost", "ghost.json", &bytes);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("post \"bomb\" (카드 폭탄): skipped: mobiledoc renders to more than"), "{err}");
    let site = tmp.path().join("site");
    assert_eq!(articles(&site), ["good.json"]);
    // Each written document is bounded by its post's own size.
    let good_len = std::fs::metadata(site.join("articles/good.json")).expect("good").len();
    assert!(good_len < 400_000, "{good_len}");
}

#[test]
fn deep_nesting_and_200000_tags_import_with_100_tags() {
    let cats: String = (0..200_000).map(|i| format!("<category>t{i}</category><category>t{i}</category>")).collect();
    let xml = format!(
        "<rss version=\"2.0\"><channel><title>t</title>{}{}<item><guid>1</guid><title>태그 많은 글</title><description>본문</description>{cats}</item></channel></rss>",
        "<x>".repeat(60_000),
        "</x>".repeat(60_000)
    );
    let (tmp, o) = import_made("feed", "rss.xml", xml.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let site = tmp.path().join("site");
    let names = articles(&site);
    assert_eq!(names.len(), 1, "{names:?}");
    let text = std::fs::read_to_string(site.join("articles").join(&names[0])).expect("article");
    let doc = match parse_document(&text).expect("parses").document {
        Document::Article(a) => a,
        Document::Collection(_) => panic!("not an article"),
    };
    assert_eq!(doc.tags.len(), 100);
    assert_eq!(doc.tags[..3], ["t0", "t1", "t2"]);
}

/// An article written by an import, read with the viewer's parser.
fn article_at(site: &Path, slug: &str) -> article_viewer_core::format::Article {
    let text = std::fs::read_to_string(site.join(format!("articles/{slug}.json"))).expect("article");
    match parse_document(&text).expect("valid").document {
        Document::Article(a) => a,
        Document::Collection(_) => panic!("not an article"),
    }
}

fn report_of(site: &Path) -> serde_json::Value {
    let name = format!("{}.import.json", site.file_name().expect("name").to_string_lossy());
    serde_json::from_str(&std::fs::read_to_string(site.with_file_name(name)).expect("report")).expect("json")
}

#[test]
fn a_ghost_export_brings_its_pictures_and_its_links_follow_the_move() {
    for site in [Some("https://harbour.example/"), None] {
        let tmp = tempfile::tempdir().expect("temp");
        let out = tmp.path().join("site");
        let extra: Vec<&str> = site.map(|s| vec!["--site", s]).unwrap_or_default();
        let o = import("ghost", "ghost-export/harbour.json", &out, &extra);
        assert!(o.status.success(), "{}", stderr(&o));
        let stdout = String::from_utf8_lossy(&o.stdout).to_string();
        // Without --site, https://harbour.example/?p=0 is not known to be the old site's.
        let left = if site.is_some() { 2 } else { 1 };
        let summary = format!(
            "links between posts: 3 rewritten, {left} left pointing at the old site; pictures: 3 copied (2 files), 1 remote, 1 missing"
        );
        assert!(stdout.contains(&summary), "{site:?}: {stdout}");
        let (_, files) = assert_valid_site(&out);
        let pictures: Vec<&String> = files.keys().filter(|k| k.starts_with("images/")).collect();
        assert_eq!(pictures, ["images/content/images/2025/10/chart.png", "images/content/images/2025/10/harbour.jpg"]);
        let a = article_at(&out, "harbour-opens");
        assert_eq!(a.image.map(|i| i.src).as_deref(), Some("../images/content/images/2025/10/harbour.jpg"));
        assert!(a.body.contains("[물때표 기사](tide-tables.html)"), "{}", a.body);
        assert!(a.body.contains("![입항 예정 차트](../images/content/images/2025/10/chart.png)"), "{}", a.body);
        let b = article_at(&out, "tide-tables");
        assert!(b.body.contains("[앞선 기사](harbour-opens.html#history)"), "{}", b.body);
        assert!(
            b.body.contains("](../images/content/images/2025/10/chart.png)"),
            "the same bytes, one copy: {}",
            b.body
        );
        let report = report_of(&out);
        assert_eq!(report["totals"]["links_rewritten"], 3);
        assert_eq!(report["totals"]["picture_files"], 2);
        let left = &report["posts"][0]["links"]["left"];
        assert_eq!(left.as_array().map(Vec::len), Some(if site.is_some() { 2 } else { 1 }), "{left}");
    }
}

#[test]
fn assets_may_be_the_uploads_folder_itself_and_must_be_a_folder() {
    let tmp = tempfile::tempdir().expect("temp");
    // The export alone, away from its uploads.
    let xml = tmp.path().join("export.xml");
    std::fs::copy(fixture("wordpress-export/lighthouse.xml"), &xml).expect("copy");
    let out = tmp.path().join("site");
    let uploads = fixture("wordpress-export/wp-content/uploads");
    let o = cli(&["import", "wordpress", xml.to_str().expect("utf8"), "--out", out.to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("images").exists(), "no pictures folder beside it: nothing copied");
    assert_eq!(report_of(&out)["totals"]["pictures_missing"], 3);
    let out2 = tmp.path().join("site2");
    let args = ["import", "wordpress", xml.to_str().expect("utf8"), "--out", out2.to_str().expect("utf8")];
    let o = cli(&[&args[..], &["--assets", uploads.to_str().expect("utf8")]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out2.join("images/2025/10/lighthouse.jpg").is_file() && out2.join("images/2025/10/tide-table.png").is_file()
    );
    assert!(article_at(&out2, "tide-table").body.contains("](../images/2025/10/tide-table.png)"));
    let out3 = tmp.path().join("site3");
    let args = ["import", "wordpress", xml.to_str().expect("utf8"), "--out", out3.to_str().expect("utf8")];
    let o = cli(&[&args[..], &["--assets", "/nonexistent/uploads"]].concat());
    assert!(!out3.exists(), "nothing written");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--assets /nonexistent/uploads: not a folder"), "{}", stderr(&o));
}

#[test]
fn a_hugo_sites_root_absolute_featured_image_is_found_in_static_or_listed() {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let tmp = tempfile::tempdir().expect("temp");
    let src = tmp.path().join("blog");
    let write = |rel: &str, bytes: &[u8]| {
        let p = src.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
        std::fs::write(p, bytes).expect("write");
    };
    write("hugo.toml", b"title = \"Ananke blog\"\n");
    write("static/images/harbour.png", PNG);
    write(
        "content/posts/a.md",
        b"---\ntitle: A\ndate: 2025-01-02\nfeatured_image: /images/harbour.png\n---\nSee [b](/old/b/) and [c](/old/c/).\n\n![h](/images/harbour.png)\n",
    );
    write(
        "content/posts/b.md",
        b"---\ntitle: B\ndate: 2025-01-01\naliases: [/old/b/]\nfeatured_image: /images/nope.jpg\n---\nB.\n",
    );
    // Hostile: a link out of the folder, a path climbing out, a page named .png, a huge file.
    let secret = tmp.path().join("secret.png");
    std::fs::write(&secret, PNG).expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, src.join("static/images/leak.png")).expect("symlink");
    write("static/images/page.png", b"<html><script>alert(1)</script></html>");
    let huge = std::fs::File::create(src.join("static/images/huge.png")).expect("create");
    huge.set_len(21 * 1024 * 1024).expect("sparse");
    write(
        "content/posts/c.md",
        b"---\ntitle: C\ndate: 2024-12-31\nfeatured_image: /images/leak.png\n---\n![a](/../secret.png) ![b](/images/page.png) ![c](/images/huge.png) ![d](/%2e%2e/secret.png)\n",
    );
    let out = tmp.path().join("site");
    let o = cli(&["import", "markdown", src.to_str().expect("utf8"), "--out", out.to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let a = article_at(&out, "a");
    assert_eq!(a.image.map(|i| i.src).as_deref(), Some("../images/static/images/harbour.png"));
    assert!(
        a.body.contains("[b](b.html)") && a.body.contains("![h](../images/static/images/harbour.png)"),
        "{}",
        a.body
    );
    assert_eq!(article_at(&out, "b").image, None, "not found: dropped, and listed");
    assert_eq!(article_at(&out, "c").image, None);
    let files: Vec<String> = tree(&out).into_keys().filter(|k| k.starts_with("images/")).collect();
    assert_eq!(files, ["images/static/images/harbour.png"], "nothing else read or copied");
    let report = report_of(&out);
    let missing: Vec<(String, String)> = report["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .flat_map(|p| p["pictures"].as_array().cloned().unwrap_or_default())
        .filter(|x| x["outcome"] == "missing")
        .map(|x| (x["src"].as_str().unwrap_or("").to_string(), x["why"].as_str().unwrap_or("").to_string()))
        .collect();
    let why = |src: &str| missing.iter().find(|(s, _)| s == src).map(|(_, w)| w.clone()).unwrap_or_default();
    assert!(why("/images/nope.jpg").starts_with("not found in "), "{missing:?}");
    #[cfg(unix)]
    assert!(why("/images/leak.png").contains("outside the pictures folder"), "{missing:?}");
    assert!(why("/../secret.png").contains("leaves the pictures folder"), "{missing:?}");
    assert!(why("/%2e%2e/secret.png").contains("leaves the pictures folder"), "{missing:?}");
    assert!(why("/images/page.png").contains("not a .png picture"), "{missing:?}");
    assert!(why("/images/huge.png").contains("over the 20 MB"), "{missing:?}");
    assert_eq!(report["posts"][0]["links"]["left"], serde_json::json!(["/old/c/"]));
}
