//! `build --out` with the viewer the program carries, and a site configured by `site.toml`:
//! the navigation and footer links on every page (relative to its depth), outside scripts and
//! their origins in the policy and nothing else, the default share picture, `404.html` and
//! `robots.txt`, and what it refuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/samples")
}

fn cli(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_article-viewer-cli"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"))
}

fn ok(run: &Output) -> String {
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    String::from_utf8_lossy(&run.stdout).into_owned()
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The samples, copied, with a configuration.
fn configured(toml: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&samples(), &tmp.path().join("content"));
    std::fs::write(tmp.path().join("content/site.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    let plain = r#"{"id":"plain","title":"그림 없는 글","body":"본문 한 줄."}"#;
    std::fs::write(tmp.path().join("content/plain.json"), plain).unwrap_or_else(|e| panic!("{e}"));
    tmp
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")).flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

const CONFIG: &str = r#"title = "설정한 이름"
description = "설정한 설명"
language = "en"
base_url = "https://x.example/blog/"
logo = "images/hero-passkey.svg"
share_image = "images/hero-passkey.svg"

[[nav]]
title = "첫 화면"
url = "index.html"

[[nav]]
title = "바깥 <링크>"
url = "https://elsewhere.example/a?b=1&c=2"

[[footer]]
title = "피드"
url = "feed.atom"

[[footer]]
title = "돌아가기"
url = "index.html?from=https://x.example/#top"

[scripts]
origins = ["https://stats.example"]
src = ["https://stats.example/s.js"]
"#;

#[test]
fn a_configured_site_carries_its_chrome_policy_and_extras() {
    let tmp = configured(CONFIG);
    let said = ok(&cli(&["build", "--content", "content", "--out", "public"], tmp.path()));
    assert!(said.contains("into public"), "{said}");
    let out = tmp.path().join("public");

    let article = read(&out, "articles/kitchen-sink.html");
    for want in [
        r#"<a class="av-site-logo" href="../index.html"><img src="../images/hero-passkey.svg" alt="설정한 이름"></a>"#,
        r#"<li><a href="../index.html" dir="auto">첫 화면</a></li>"#,
        r#"<li><a href="https://elsewhere.example/a?b=1&amp;c=2" dir="auto">바깥 &lt;링크&gt;</a></li>"#,
        r#"<nav class="av-site-links-footer" data-av-site aria-label="More links"><ul class="av-site-links"><li><a href="../feed.atom" dir="auto">피드</a></li><li><a href="../index.html?from=https://x.example/#top" dir="auto">돌아가기</a></li></ul></nav>"#,
        r#"<script defer src="https://stats.example/s.js"></script>"#,
        r#"<meta property="og:site_name" content="설정한 이름">"#,
        r#"<link rel="canonical" href="https://x.example/blog/articles/kitchen-sink.html">"#,
    ] {
        assert!(article.contains(want), "missing {want}");
    }
    // The policy gains the origin in script-src and connect-src, and nothing else changes.
    let headers = read(&out, "_headers");
    let policy = headers.lines().find_map(|l| l.trim().strip_prefix("Content-Security-Policy: ")).unwrap_or_default();
    let directives: Vec<&str> = policy.split("; ").collect();
    assert!(
        directives[1].starts_with("script-src 'self' 'wasm-unsafe-eval' https://stats.example 'sha256-"),
        "{policy}"
    );
    assert_eq!(
        directives[2..],
        [
            "style-src 'self'",
            "img-src 'self' https: data:",
            "connect-src 'self' https://stats.example",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'"
        ]
    );
    assert_eq!(directives[0], "default-src 'self'");
    let index = read(&out, "index.html");
    assert!(index.contains("connect-src 'self' https://stats.example;"), "the pages' own policy too");
    // A page without its own picture gets the share picture (an SVG: its 1200 x 630 raster
    // copy, which previews show), a page with one keeps its own.
    let plain = read(&out, "plain.html");
    let og = plain.split(r#"<meta property="og:image" content=""#).nth(1).and_then(|r| r.split('"').next());
    assert!(
        og.is_some_and(|u| u.starts_with("https://x.example/blog/_pictures/") && u.ends_with("-share.jpg")),
        "{og:?}"
    );
    let copy = og.and_then(|u| u.strip_prefix("https://x.example/blog/")).unwrap_or_default();
    assert!(out.join(copy).is_file(), "the share copy is published");
    assert!(plain.contains(r#"<html lang="en">"#), "the configured language, for a document naming none");
    assert!(article.contains(r#"<html lang="ko">"#), "a document's own language first");
    let published = read(&out, "plain.json");
    assert!(published.contains("\"language\"") && published.contains("\"en\""), "the app reads the same: {published}");
    assert_eq!(article.matches(r#"property="og:image""#).count(), 1, "one picture per page");
    // The collection keeps its description; the configured one fills a missing one only.
    assert!(!index.contains("설정한 설명"));

    assert_eq!(read(&out, "robots.txt"), "User-agent: *\nAllow: /\n\nSitemap: https://x.example/blog/sitemap.xml\n");
    let not_found = read(&out, "404.html");
    assert!(not_found.contains(r#"<a href="/blog/index.html">첫 페이지로 가기</a>"#), "rooted at the site's path");
    assert!(not_found.contains(r#"<img src="/blog/images/hero-passkey.svg""#));
    assert!(not_found.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(!not_found.contains("data-trunk") && !not_found.contains("start-"), "no app on the 404 page");
    assert!(!not_found.contains("data-prerendered"), "not one of the site's pages (the sitemap's)");
    assert!(!out.join("site.toml").exists(), "the configuration is not published");
}

#[test]
fn the_site_address_comes_from_the_flag_or_the_configuration() {
    let tmp = configured("title = \"t\"\n");
    let run = cli(&["build", "--content", "content", "--out", "public"], tmp.path());
    assert!(!run.status.success());
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(said.contains("give --site (the address the site is published at), or base_url in site.toml"), "{said}");
    assert!(!tmp.path().join("public").exists(), "nothing written");
    ok(&cli(&["build", "--content", "content", "--out", "public", "--site", "https://flag.example/"], tmp.path()));
    assert!(read(&tmp.path().join("public"), "robots.txt").contains("https://flag.example/sitemap.xml"));
}

#[test]
fn a_bad_configuration_stops_the_build_naming_its_line_and_key() {
    let tmp = configured(
        "title = \"t\"\nbase_url = \"https://x.example/\"\n\n[[nav]]\ntitle = \"a\"\nurl = \"javascript:alert(1)\"\n",
    );
    let run = cli(&["build", "--content", "content", "--out", "public"], tmp.path());
    assert!(!run.status.success());
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(said.contains("site.toml:6:7: nav[0].url: \"javascript:alert(1)\": give an http(s) address"), "{said}");
    assert!(!tmp.path().join("public").exists());
}

#[test]
fn out_is_a_new_folder_or_an_earlier_build_and_nothing_else() {
    let tmp = configured("base_url = \"https://x.example/\"\n");
    let foreign = tmp.path().join("public");
    std::fs::create_dir(&foreign).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap_or_else(|e| panic!("{e}"));
    let run = cli(&["build", "--content", "content", "--out", "public"], tmp.path());
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("the folder is not empty and was not written by `build`"));
    assert_eq!(read(&foreign, "notes.txt"), "mine");
    std::fs::remove_dir_all(&foreign).unwrap_or_else(|e| panic!("{e}"));
    ok(&cli(&["build", "--content", "content", "--out", "public"], tmp.path()));
    let first = read(&foreign, "articles/kitchen-sink.html");
    ok(&cli(&["build", "--content", "content", "--out", "public"], tmp.path()));
    assert_eq!(read(&foreign, "articles/kitchen-sink.html"), first, "the same bytes again");
    // Inside the content folder, or around it: refused.
    let run = cli(&["build", "--content", "content", "--out", "content/public"], tmp.path());
    assert!(!run.status.success());
    let run = cli(&["build", "--content", "content"], tmp.path());
    assert!(!run.status.success(), "--out or --dist is needed");
}
