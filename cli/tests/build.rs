//! `article-viewer-cli build` on the bundled samples, with a stand-in for the trunk-built page:
//! what it writes, that two builds write the same bytes, and what it refuses.

use std::path::{Path, PathBuf};
use std::process::Command;

const SITE: &str = "https://news.example/";

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/samples")
}

/// A `dist/` as trunk leaves it, reduced to what `build` reads: the viewer's page.
fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let page = r#"<!doctype html><html lang=ko><meta charset=utf-8><title>article-viewer</title>
<meta name=article-viewer:allowed-origins><meta content=20 name=article-viewer:timeout>
<script defer src="./start-0123456789abcdef.js"></script><link href=./style-0123456789abcdef.css rel=stylesheet>
<link crossorigin href="./article-viewer-0123456789abcdef.js" rel=modulepreload>
</head><body><div class=av-viewer data-article-viewer-standalone id=article-viewer><noscript>needs JavaScript</noscript></div></body></html>"#;
    std::fs::write(dir.path().join("index.html"), page).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn build(content: &Path, dist: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_article-viewer-cli"))
        .args(["build", "--content"])
        .arg(content)
        .arg("--dist")
        .arg(dist)
        .args(["--site", SITE])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"))
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn publishes_every_page_with_its_head_and_the_site_files() {
    let out = dist();
    let run = build(&samples(), out.path());
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    // The lenient sample's dropped parts are reported with their file and path.
    let warnings = String::from_utf8_lossy(&run.stderr);
    assert!(warnings.contains("tests/lenient.json: related[1]: missing title"), "{warnings}");

    let page = read(out.path(), "articles/kitchen-sink.html");
    for want in [
        r#"<html lang="ko">"#,
        r#"<link rel="canonical" href="https://news.example/articles/kitchen-sink.html">"#,
        r#"<meta property="og:type" content="article">"#,
        r#"<meta name="article-viewer:root" content="../">"#,
        r#"<script type="application/ld+json">"#,
        r#"<link rel="alternate" type="application/json" href="kitchen-sink.json">"#,
        r#"href="../style-0123456789abcdef.css""#,
        r#"data-prerendered"#,
        r#"<h1 dir="auto" class="av-title">"#,
        r#"<details open="open" class="av-pick av-pick-open">"#,
        r#"<meta name="article-viewer:article" content="kitchen-sink">"#,
    ] {
        assert!(page.contains(want), "articles/kitchen-sink.html lacks {want}");
    }
    assert!(!page.contains("<noscript>"), "the page reads without JavaScript: no notice");
    // An article page loads no app: no start-up, no preloads, no carried document; the pick
    // box's inline script follows the box, the share buttons' the story's header.
    for unwanted in ["start-0123456789abcdef.js", "modulepreload", "id=\"av-document\""] {
        assert!(!page.contains(unwanted), "articles/kitchen-sink.html has {unwanted}");
    }
    assert_eq!(page.matches("<script>").count(), 2, "two inline scripts: the pick box's and the share buttons'");
    assert!(page.contains("</details><script>(() => {"), "the pick script right after the box");
    assert!(page.contains("</header><script>(() => {"), "the share script right after the story's header");
    let index = read(out.path(), "index.html");
    assert!(index.contains(r#"href="articles/hbm-yield.html""#), "cards lead to the articles' pages");
    // A listing page loads the app and carries its document.
    for want in [r#"<script defer src="start-0123456789abcdef.js">"#, r#"rel=modulepreload"#, r#"id="av-document""#] {
        assert!(index.contains(want), "index.html lacks {want}");
    }
    // The plain viewer page is kept for later builds and for ?src=.
    assert!(read(out.path(), "viewer.html").contains("<noscript>"));

    // The site files parse, and list the pages at their published addresses.
    let sitemap = read(out.path(), "sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap_or_else(|e| panic!("sitemap: {e}"));
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    assert!(locs.contains(&"https://news.example/index.html"));
    assert!(locs.contains(&"https://news.example/articles/kitchen-sink.html"));
    let atom = read(out.path(), "feed.atom");
    let atom = roxmltree::Document::parse(&atom).unwrap_or_else(|e| panic!("atom: {e}"));
    assert_eq!(atom.root_element().tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let feed: serde_json::Value = serde_json::from_str(&read(out.path(), "feed.json")).unwrap_or_default();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(feed["items"].as_array().is_some_and(|i| i.len() >= 6));

    // The documents and pictures are published beside the pages, the pictures' sizes written in.
    assert!(out.path().join("images/hero-hbm.svg").is_file());
    let published: serde_json::Value =
        serde_json::from_str(&read(out.path(), "articles/hbm-yield.json")).unwrap_or_default();
    assert_eq!(published["image"]["width"], 1200);
    assert_eq!(published["image"]["height"], 630);
}

#[test]
fn two_builds_write_the_same_bytes() {
    let (a, b) = (dist(), dist());
    assert!(build(&samples(), a.path()).status.success());
    assert!(build(&samples(), b.path()).status.success());
    // Building again into the same folder starts from the kept viewer page.
    assert!(build(&samples(), b.path()).status.success());
    for rel in
        ["index.html", "articles/kitchen-sink.html", "sitemap.xml", "feed.json", "feed.atom", "articles/hbm-yield.json"]
    {
        assert_eq!(read(a.path(), rel), read(b.path(), rel), "{rel}");
    }
}

#[test]
fn refuses_what_cannot_be_published_and_says_where() {
    let out = dist();
    let content = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(content.path().join("index.json"), r#"{"articles":[{"id":"a","title":"A","href":"a.json"}]}"#)
        .unwrap_or_default();
    std::fs::write(content.path().join("a.json"), r#"{"id":"a","body":"x"}"#).unwrap_or_default();
    let run = build(content.path(), out.path());
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("a.json: refused: title: missing"), "{err}");
    assert!(!out.path().join("index.json").exists(), "nothing written when a document is refused");

    std::fs::remove_file(content.path().join("index.json")).unwrap_or_default();
    std::fs::write(content.path().join("a.json"), r#"{"id":"a","title":"A","body":"x"}"#).unwrap_or_default();
    let err = String::from_utf8_lossy(&build(content.path(), out.path()).stderr).to_string();
    assert!(err.contains("no index.json"), "{err}");

    let run = Command::new(env!("CARGO_BIN_EXE_article-viewer-cli"))
        .args(["build", "--content"])
        .arg(samples())
        .arg("--dist")
        .arg(out.path())
        .args(["--site", "news.example"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(String::from_utf8_lossy(&run.stderr).contains("absolute http(s) address"));
}

/// A content folder with one article showing `picture`, plus the files given.
fn content_with(picture: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let index = format!(r#"{{"articles":[{{"id":"a","title":"A","href":"a.json","image":{{"src":"{picture}"}}}}]}}"#);
    let article = format!(r#"{{"id":"a","title":"A","body":"x","image":{{"src":"{picture}"}}}}"#);
    let mut all = vec![("index.json", index.as_str()), ("a.json", article.as_str())];
    all.extend_from_slice(files);
    for (rel, text) in all {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap_or(dir.path())).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

#[test]
fn svgs_are_published_without_script_and_every_file_gets_the_pages_policy() {
    let out = dist();
    let page = read(out.path(), "index.html").replace(
        "<title>",
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'self';
           script-src 'self'"><title>"#,
    );
    std::fs::write(out.path().join("index.html"), page).unwrap_or_else(|e| panic!("{e}"));
    let evil = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" onload="alert(1)"><script>alert(2)</script><rect width="40" height="20"/></svg>"#;
    let content = content_with(
        "images/evil.svg",
        &[("images/evil.svg", evil), ("images/not-svg.svg", "<html><script>alert(3)</script></html>")],
    );
    let run = build(content.path(), out.path());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("images/evil.svg: published without onload, <script>"), "{err}");
    assert!(err.contains("images/not-svg.svg: not published: not an SVG picture"), "{err}");
    let published = read(out.path(), "images/evil.svg");
    assert!(!published.contains("alert") && published.contains("<rect"), "{published}");
    assert!(!out.path().join("images/not-svg.svg").exists());
    // Its size was still read (streamed), for the page to keep the picture's place.
    assert!(read(out.path(), "a.json").contains(r#""width": 40"#));
    let headers = read(out.path(), "_headers");
    // The policy of the most permissive page: the article pages' inline script by its hash.
    let with_hash = regex_free_policy(&headers);
    assert!(with_hash.starts_with("default-src 'self'; script-src 'self' 'sha256-"), "{headers}");
    assert!(headers.contains("\n  X-Content-Type-Options: nosniff"), "{headers}");
    let page = read(out.path(), "a.html");
    assert!(page.contains(&format!("content=\"{with_hash}\"")), "the page's own policy is the same: {page}");
}

#[test]
fn content_may_not_take_the_apps_names_nor_be_code() {
    let out = dist();
    let before = read(out.path(), "index.html");
    let content = content_with(
        "images/a.png",
        &[("viewer.html", "<script>alert(1)</script>"), ("x/app.js", "alert(1)"), ("_headers", "/*\n")],
    );
    let run = build(content.path(), out.path());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{err}");
    for want in [
        "3 files",
        "viewer.html: the name is the site's own",
        "x/app.js: a .js file",
        "_headers: the name is the site's own",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert_eq!(read(out.path(), "index.html"), before, "nothing was written");
    assert!(!out.path().join("viewer.html").exists() && !out.path().join("a.json").exists());
}

#[test]
fn the_output_and_the_content_folder_are_kept_apart() {
    let content = content_with("images/a.png", &[]);
    let inside = content.path().join("public");
    std::fs::create_dir_all(&inside).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(dist().path().join("index.html"), inside.join("index.html")).unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&build(content.path(), &inside).stderr).to_string();
    assert!(err.contains("lies inside --content"), "{err}");
    let out = dist();
    let around = out.path().join("content");
    std::fs::create_dir_all(&around).unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&build(&around, out.path()).stderr).to_string();
    assert!(err.contains("contains --content"), "{err}");
    assert_eq!(std::fs::read_dir(&inside).map(|d| d.count()).unwrap_or(0), 1, "nothing was written");
}

/// The Content-Security-Policy line of a `_headers` file.
fn regex_free_policy(headers: &str) -> String {
    headers.lines().find_map(|l| l.trim().strip_prefix("Content-Security-Policy: ")).unwrap_or_default().to_string()
}
