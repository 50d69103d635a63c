//! The tag and author pages of a built site: their addresses, headings, paging, feeds and
//! sitemap entries, read from the files a build wrote.

use std::path::Path;

use serde_json::{json, Value};

use article_viewer_core::listing::PAGE_SIZE;

use crate::{run, Args};

const SITE: &str = "https://news.example/";
/// 클라우드 as macOS writes it (NFD).
const CLOUD_NFD: &str = "\u{110f}\u{1173}\u{11af}\u{1105}\u{1161}\u{110b}\u{116e}\u{1103}\u{1173}";

/// A content folder: an article per `(id, day, tags, authors)` (`authors` as `name/title`),
/// listed in `index.json` oldest first; `site_toml` beside them when given.
fn content(entries: &[(&str, u32, &[&str], &[&str])], site_toml: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("articles")).unwrap();
    let mut listed = Vec::new();
    for (id, day, tags, authors) in entries {
        let authors: Vec<Value> = authors
            .iter()
            .map(|a| match a.split_once('/') {
                Some((name, title)) => json!({ "name": name, "title": title }),
                None => json!({ "name": a }),
            })
            .collect();
        let published = format!("2025-{:02}-{:02}T09:00:00+09:00", 1 + day / 28, 1 + day % 28);
        let article = json!({ "id": id, "title": format!("기사 {id}"), "published": published,
            "tags": tags, "authors": authors, "body": format!("본문 {id}") });
        std::fs::write(dir.path().join(format!("articles/{id}.json")), article.to_string()).unwrap();
        listed.push(json!({ "id": id, "title": format!("기사 {id}"), "published": published, "tags": tags,
            "authors": authors, "href": format!("articles/{id}.json"),
            "image": { "src": "images/a.png", "alt": "" } }));
    }
    let index = json!({ "title": "테크 브리핑", "language": "ko", "articles": listed });
    std::fs::write(dir.path().join("index.json"), index.to_string()).unwrap();
    if let Some(toml) = site_toml {
        std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    }
    dir
}

/// The build's options as a command line gives them.
#[derive(clap::Parser)]
struct Command {
    #[command(flatten)]
    args: Args,
}

/// Builds `content` into a new folder.
fn build(content: &Path) -> Result<tempfile::TempDir, crate::Error> {
    use clap::Parser;
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let (content, target) = (content.to_string_lossy(), target.to_string_lossy());
    let argv = ["build", "--content", &content, "--out", &target, "--site", SITE, "--now", "2030-01-01T00:00:00Z"];
    run(&Command::parse_from(argv).args)?;
    Ok(out)
}

fn read(out: &tempfile::TempDir, rel: &str) -> String {
    std::fs::read_to_string(out.path().join("site").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn exists(out: &tempfile::TempDir, rel: &str) -> bool {
    out.path().join("site").join(rel).exists()
}

/// The ids a listing document lists, in order.
fn ids(out: &tempfile::TempDir, rel: &str) -> Vec<String> {
    let doc: Value = serde_json::from_str(&read(out, rel)).unwrap();
    doc["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect()
}

/// Folders under `tags/` or `authors/`.
fn folders(out: &tempfile::TempDir, root: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.path().join("site").join(root))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn korean_names_are_kept_and_spellings_of_one_name_share_a_page() {
    let dir = content(
        &[
            ("a", 1, &["클라우드", "AI"], &["김서연/기자"]),
            ("b", 2, &[CLOUD_NFD, "ai"], &["김서연"]),
            ("c", 3, &["Data centers", "data-centers"], &["Daniel Cho/Staff Writer"]),
        ],
        None,
    );
    let out = build(dir.path()).unwrap();
    assert_eq!(folders(&out, "tags"), ["ai", "data-centers", "클라우드"]);
    assert_eq!(folders(&out, "authors"), ["daniel-cho", "김서연"]);
    // Newest first, each entry once.
    assert_eq!(ids(&out, "tags/클라우드/index.json"), ["b", "a"]);
    assert_eq!(ids(&out, "tags/ai/index.json"), ["b", "a"]);
    assert_eq!(ids(&out, "tags/data-centers/index.json"), ["c"]);
    let tag_page = read(&out, "tags/클라우드/index.html");
    assert!(tag_page.contains("<title>#클라우드</title>"), "the document title is the tag's");
    assert!(tag_page.contains(">#클라우드</h1>"), "the heading");
    let author: Value = serde_json::from_str(&read(&out, "authors/김서연/index.json")).unwrap();
    assert_eq!((author["title"].as_str(), author["description"].as_str()), (Some("김서연"), Some("기자")));
    assert!(read(&out, "authors/김서연/index.html").contains(">김서연</h1>"));
    // Entries' addresses mean the same files from two folders down.
    let entry = &serde_json::from_str::<Value>(&read(&out, "tags/ai/index.json")).unwrap()["articles"][0];
    assert_eq!(
        (entry["href"].as_str(), entry["image"]["src"].as_str()),
        (Some("../../articles/b.json"), Some("../../images/a.png"))
    );
    // Articles link to the pages, relatively, and the cards of a tag page to the articles.
    let article = read(&out, "articles/a.html");
    assert!(article.contains("href=\"../tags/클라우드/index.html\""), "tag link");
    assert!(article.contains("href=\"../authors/김서연/index.html\""), "byline link");
    assert!(tag_page.contains("href=\"../../articles/b.html\""), "card link");
}

#[test]
fn unsafe_and_colliding_names_get_distinct_safe_folders() {
    let dir = content(&[("a", 1, &["a/b", "a:b", "..", "../etc", "CON", "<script>"], &["x/y"])], None);
    let out = build(dir.path()).unwrap();
    let tags = folders(&out, "tags");
    assert_eq!(tags.len(), 6, "{tags:?}");
    for t in &tags {
        assert!(!t.starts_with('.') && !t.contains(['/', ':', '<', '>']) && !t.eq_ignore_ascii_case("con"), "{t}");
        assert!(exists(&out, &format!("tags/{t}/index.html")), "{t}");
    }
    // Nothing was written outside the site's folder.
    assert!(!out.path().join("etc").exists());
    // The heading keeps the name as written.
    let page = tags.iter().find(|t| t.starts_with("script")).unwrap();
    assert!(read(&out, &format!("tags/{page}/index.html")).contains(">#&lt;script&gt;</h1>"));
}

#[test]
fn a_content_file_where_the_pages_go_is_refused() {
    let dir = content(&[("a", 1, &["클라우드"], &[])], None);
    std::fs::create_dir_all(dir.path().join("tags/클라우드")).unwrap();
    std::fs::write(dir.path().join("tags/클라우드/feed.json"), "{}").unwrap();
    let e = build(dir.path()).expect_err("refused").to_string();
    assert!(e.contains("tags/클라우드/feed.json"), "{e}");
    let dir = content(&[("a", 1, &["x"], &[])], None);
    std::fs::create_dir_all(dir.path().join("authors/kim")).unwrap();
    std::fs::write(dir.path().join("authors/kim/index.json"), r#"{"articles": []}"#).unwrap();
    let e = build(dir.path()).expect_err("refused").to_string();
    assert!(e.contains("authors/kim/index.json"), "{e}");
}

#[test]
fn a_long_tag_is_paged_like_the_listing_and_every_page_is_in_the_sitemap() {
    let n = 2 * PAGE_SIZE + 1;
    let names: Vec<String> = (0..n).map(|i| format!("p{i:03}")).collect();
    let entries: Vec<(&str, u32, &[&str], &[&str])> = names
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i as u32, &["반도체"][..], &["박준호/선임기자"][..]))
        .collect();
    let out = build(content(&entries, None).path()).unwrap();
    for rel in
        ["tags/반도체/index.html", "tags/반도체/page/2.html", "tags/반도체/page/3.html", "authors/박준호/page/3.html"]
    {
        assert!(exists(&out, rel), "{rel}");
    }
    assert!(!exists(&out, "tags/반도체/page/4.html"));
    let listed = ids(&out, "tags/반도체/index.json");
    assert_eq!(listed.first().map(String::as_str), Some("p024"), "newest first");
    // Each page shows its slice: the second starts where the first ended.
    let second = read(&out, "tags/반도체/page/2.html");
    assert_eq!(second.matches("class=\"av-card-link\"").count(), PAGE_SIZE, "cards on page 2");
    assert!(
        second.contains(&format!("기사 {}", listed[PAGE_SIZE])) && !second.contains(&format!("기사 {}<", listed[0]))
    );
    let sitemap = read(&out, "sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    let ban = "%EB%B0%98%EB%8F%84%EC%B2%B4";
    for want in [
        format!("{SITE}tags/{ban}/index.html"),
        format!("{SITE}tags/{ban}/page/2.html"),
        format!("{SITE}tags/{ban}/page/3.html"),
        format!("{SITE}authors/%EB%B0%95%EC%A4%80%ED%98%B8/index.html"),
    ] {
        assert!(locs.contains(&want.as_str()), "{want} not in the sitemap");
    }
}

#[test]
fn each_tag_and_author_has_valid_feeds_of_its_own() {
    let dir = content(&[("a", 1, &["클라우드", "AI"], &["김서연/기자"]), ("b", 2, &["AI"], &["이하은/기자"])], None);
    let out = build(dir.path()).unwrap();
    for (folder, want) in [("tags/ai/", vec!["b", "a"]), ("tags/클라우드/", vec!["a"]), ("authors/김서연/", vec!["a"])]
    {
        let feed: Value = serde_json::from_str(&read(&out, &format!("{folder}feed.json"))).unwrap();
        assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
        assert_eq!(feed["feed_url"].as_str().unwrap(), crate::url_of(SITE, &format!("{folder}feed.json")));
        assert_eq!(feed["home_page_url"].as_str().unwrap(), crate::url_of(SITE, &format!("{folder}index.html")));
        let items: Vec<&str> = feed["items"].as_array().unwrap().iter().map(|i| i["url"].as_str().unwrap()).collect();
        let urls: Vec<String> = want.iter().map(|id| format!("{SITE}articles/{id}.html")).collect();
        assert_eq!(items, urls, "{folder}");
        for item in feed["items"].as_array().unwrap() {
            assert!(item["content_html"].is_string() || item["content_text"].is_string(), "{item}");
        }
        let atom = read(&out, &format!("{folder}feed.atom"));
        let doc = roxmltree::Document::parse(&atom).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
        let entries: Vec<_> = root.children().filter(|n| n.has_tag_name("entry")).collect();
        assert_eq!(entries.len(), want.len());
        for e in entries {
            for field in ["id", "title", "updated", "link"] {
                assert!(e.children().any(|c| c.has_tag_name(field)), "{folder}: entry without {field}");
            }
        }
        let self_link = root.children().find(|n| n.has_tag_name("link") && n.attribute("rel") == Some("self")).unwrap();
        assert_eq!(self_link.attribute("href").unwrap(), crate::url_of(SITE, &format!("{folder}feed.atom")));
        // The page names its own feeds first.
        let page = read(&out, &format!("{folder}index.html"));
        let first = page.find("rel=\"alternate\" type=\"application/atom+xml\"").unwrap();
        assert!(page[first..].starts_with("rel=\"alternate\" type=\"application/atom+xml\" title=\""));
        assert!(page[first..page[first..].find('>').unwrap() + first].contains("href=\"feed.atom\""));
    }
}

#[test]
fn sections_get_pages_and_header_links_even_without_entries() {
    let toml = "title = \"테크 브리핑\"\nsections = [\"클라우드\", \"반도체\"]\n";
    let dir = content(&[("a", 1, &["클라우드"], &[])], Some(toml));
    let out = build(dir.path()).unwrap();
    assert!(exists(&out, "tags/반도체/index.html"), "a section without entries still has its page");
    assert!(ids(&out, "tags/반도체/index.json").is_empty());
    for (rel, prefix) in [("index.html", ""), ("articles/a.html", "../"), ("tags/클라우드/index.html", "../../")] {
        let page = read(&out, rel);
        for tag in ["클라우드", "반도체"] {
            // The link to the page itself is marked as the reader's place.
            let current = if rel == format!("tags/{tag}/index.html") { " aria-current=\"page\"" } else { "" };
            let link = format!("<a href=\"{prefix}tags/{tag}/index.html\" dir=\"auto\"{current}>{tag}</a>");
            assert!(page.contains(&link), "{rel}: no {link}");
        }
    }
    let e = crate::config::parse("sections = [\"AI\", \"ai\"]\n", "site.toml").unwrap_err().to_string();
    assert!(e.contains("sections[1]") && e.contains("same tag as sections[0]"), "{e}");
}

#[test]
fn each_entry_is_listed_once_per_tag_and_author() {
    // The pages hold as many entries as the site's entries have tags and authors: a build grows
    // with them, not with the collection once per tag.
    let tags = ["가", "나", "다", "라", "마"];
    let names: Vec<String> = (0..40).map(|i| format!("e{i}")).collect();
    let entries: Vec<(&str, u32, &[&str], &[&str])> =
        names.iter().enumerate().map(|(i, id)| (id.as_str(), i as u32, &tags[i % 5..i % 5 + 1], &["김"][..])).collect();
    let out = build(content(&entries, None).path()).unwrap();
    let listed: usize = tags.iter().map(|t| ids(&out, &format!("tags/{t}/index.json")).len()).sum();
    assert_eq!(listed, 40);
    assert_eq!(ids(&out, "authors/김/index.json").len(), 40);
}

/// Every file under `root`, by its path in the site.
fn snapshot(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(
                    path.strip_prefix(root).unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

#[test]
fn serve_keeps_the_pages_as_a_whole_build_writes_them() {
    let dir = content(&[("a", 1, &["클라우드"], &["김서연/기자"]), ("b", 2, &["클라우드", "AI"], &["이하은"])], None);
    let served = tempfile::tempdir().unwrap();
    let mut preview = crate::Preview::open(dir.path(), served.path(), SITE, false, false).unwrap();
    let whole = |dir: &Path| {
        let out = tempfile::tempdir().unwrap();
        crate::Preview::open(dir, out.path(), SITE, false, false).unwrap();
        snapshot(out.path())
    };
    let index = dir.path().join("index.json");
    let edit = |from: &str, to: &str| {
        let text = std::fs::read_to_string(&index).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&index, text.replacen(from, to, 1)).unwrap();
    };
    // An entry's new title: the tag and author pages that list it are written again, in place.
    edit("\"title\":\"기사 b\"", "\"title\":\"고친 기사 b\"");
    let updated = preview.update(std::slice::from_ref(&index)).unwrap();
    assert!(!updated.full);
    assert!(updated.files.iter().any(|f| f == "tags/클라우드/index.html"), "{:?}", updated.files);
    assert!(!updated.files.iter().any(|f| f.starts_with("authors/김서연/")), "{:?}", updated.files);
    assert_eq!(snapshot(served.path()), whole(dir.path()), "the incremental site differs from a whole build");
    // A new tag is a new page: the site is built again.
    edit("\"tags\":[\"클라우드\"]", "\"tags\":[\"클라우드\",\"반도체\"]");
    assert!(preview.update(std::slice::from_ref(&index)).unwrap().full);
    assert!(served.path().join("tags/반도체/index.html").is_file());
    assert_eq!(snapshot(served.path()), whole(dir.path()));
}
