//! Old addresses (the format's `aliases`): each published article's earlier addresses lead to
//! its page. At each alias path `build` writes a small page (a `http-equiv` refresh, the
//! canonical link and a visible link, all relative, so it works on any static host and from
//! disk), and one `_redirects` file (Netlify and Cloudflare Pages syntax) lists every alias
//! with a real 301 for hosts that read it.
//!
//! An alias with a query (`/?p=123`) cannot be a file: it is only in `_redirects` (in
//! Netlify's query syntax). Nor can one whose name ends in another extension than `.html`
//! (`/feed.php`). The rest are checked before anything is written: no `.` or `..` segment,
//! no hidden segment, none of the site's own names ([`crate::passive`]), never a page or file
//! the build writes, never a file already in the output that an earlier build did not write
//! as an old address, and never two articles at one address (the error names both).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use article_viewer_core::format::Document;
use article_viewer_core::site::page_for_doc;
use article_viewer_publish::html::escape;

use crate::content::Content;
use crate::output::Output;
use crate::passive::{RESERVED, RESERVED_FOLDERS};
use crate::{url_of, Error};

/// What marks a page as one this stage wrote (and may write again).
const MARK: &str = "<meta name=\"generator\" content=\"article-viewer-cli build: old address\">";

/// One old address of one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// As the article writes it (`/2024/05/slug/`, `/?p=1`).
    pub alias: String,
    /// The page to write there (`2024/05/slug/index.html`); `None` when only `_redirects`
    /// can carry it.
    pub file: Option<String>,
    /// The article's page (`articles/slug.html`), its title and language.
    pub page: String,
    pub title: String,
    pub lang: String,
}

/// Every alias of the folder's articles, checked; a warning for each one that only
/// `_redirects` carries because of its name.
pub struct Plan {
    pub aliases: Vec<Alias>,
    pub warnings: Vec<String>,
}

/// A path's problem as a file of the published folder, if any.
fn segment_problem(segment: &str) -> Option<&'static str> {
    if segment == "." || segment == ".." {
        return Some("a . or .. segment would leave its place");
    }
    if segment.starts_with('.') {
        return Some("a hidden name (starting with .) is not published");
    }
    if segment.chars().any(|c| c.is_control() || matches!(c, '\\' | ':' | '*' | '"' | '<' | '>' | '|')) {
        return Some("a name with a control character or one of \\ : * \" < > | cannot be a file everywhere");
    }
    if segment.len() > 255 {
        return Some("a name longer than 255 bytes cannot be a file");
    }
    None
}

/// The file an alias path (without its query) is written at: a folder's `index.html`, or the
/// `.html` file it names. `Ok(None)`: another extension, carried by `_redirects` only.
fn file_for(path: &str) -> Result<Option<String>, String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| "its percent-encoding is not UTF-8".to_string())?;
    let inner = decoded.trim_start_matches('/');
    let segments: Vec<&str> = inner.split('/').collect();
    let (last, dirs) = segments.split_last().unwrap_or((&"", &[]));
    for s in dirs {
        if s.is_empty() {
            return Err("an empty segment (//)".into());
        }
        if let Some(why) = segment_problem(s) {
            return Err(why.into());
        }
    }
    if last.is_empty() {
        return Ok((!inner.is_empty()).then(|| format!("{inner}index.html")));
    }
    if let Some(why) = segment_problem(last) {
        return Err(why.into());
    }
    let extension = last.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    Ok(match extension.as_deref() {
        None => Some(format!("{inner}/index.html")),
        Some("html" | "htm") => Some(inner.to_string()),
        Some(_) => None,
    })
}

/// Why `build` refuses `alias` whatever the folder holds (its shape, its segments, the site's
/// own names), if it does; `check` asks this of each alias. `Ok(false)`: only `_redirects`
/// carries it (a query, another extension than `.html`).
pub fn refusal(alias: &str) -> Result<bool, String> {
    if let Some(why) = article_viewer_core::format::alias_problem(alias) {
        return Err(why.to_string());
    }
    let (path, query) = alias.split_once('?').map_or((alias, None), |(p, q)| (p, Some(q)));
    let file = file_for(path)?;
    if let (Some(f), None) = (&file, query) {
        if let Some(why) = reserved(f, &HashSet::new(), &HashSet::new()) {
            return Err(why);
        }
    }
    Ok(file.is_some() && query.is_none())
}

/// Why `file` is not the build's to write as an old address, if so.
fn reserved(file: &str, pages: &HashSet<String>, files: &HashSet<String>) -> Option<String> {
    let lower = file.to_ascii_lowercase();
    if RESERVED.contains(&lower.as_str()) || RESERVED_FOLDERS.iter().any(|f| lower.starts_with(f)) {
        return Some(format!("{file} is the site's own (the build or the host uses it)"));
    }
    // The file itself, or a folder on its way that is a page or a file.
    let mut places: Vec<&str> = lower.match_indices('/').map(|(i, _)| &lower[..i]).collect();
    places.push(&lower);
    for place in places {
        if pages.contains(place) {
            return Some(format!("{place} is a page the build writes"));
        }
        if files.contains(place) {
            return Some(format!("{place} is a file of the content folder"));
        }
    }
    None
}

/// Reads and checks every alias of the folder's articles.
pub fn plan(content: &Content) -> Result<Plan, Error> {
    let pages: HashSet<String> = content.docs.iter().map(|d| page_for_doc(&d.rel).to_ascii_lowercase()).collect();
    let files: HashSet<String> = content.files.iter().map(|(_, rel)| rel.to_ascii_lowercase()).collect();
    // Each address (its file, or the alias itself for `_redirects` only) and who took it.
    let mut taken: HashMap<String, (String, String)> = HashMap::new();
    let mut plan = Plan { aliases: Vec::new(), warnings: Vec::new() };
    let mut problems = Vec::new();
    for doc in &content.docs {
        let Document::Article(a) = &doc.document else { continue };
        let page = page_for_doc(&doc.rel);
        for alias in &a.aliases {
            let (path, query) = match alias.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (alias.as_str(), None),
            };
            let file = match (query, file_for(path)) {
                (_, Err(why)) => {
                    problems.push(format!("{}: alias {alias}: {why}", doc.rel));
                    continue;
                }
                (Some(_), Ok(_)) => None,
                (None, Ok(file)) => file,
            };
            if let Some(f) = &file {
                if f.eq_ignore_ascii_case(&page) {
                    continue;
                }
                if let Some(why) = reserved(f, &pages, &files) {
                    problems.push(format!("{}: alias {alias}: {why}", doc.rel));
                    continue;
                }
            } else if query.is_none() {
                plan.warnings.push(format!(
                    "{}: alias {alias}: not a page name (.html or a folder): only _redirects carries it",
                    doc.rel
                ));
            }
            let key = file.clone().unwrap_or_else(|| alias.clone()).to_lowercase();
            match taken.get(&key) {
                Some((first, _)) if first == &doc.rel => continue,
                Some((first, theirs)) => {
                    problems.push(format!(
                        "{first} (alias {theirs}) and {} (alias {alias}) claim the same old address",
                        doc.rel
                    ));
                    continue;
                }
                None => {
                    taken.insert(key, (doc.rel.clone(), alias.clone()));
                }
            }
            let lang = a.language.clone().unwrap_or_else(|| "ko".to_string());
            plan.aliases.push(Alias { alias: alias.clone(), file, page: page.clone(), title: a.title.clone(), lang });
        }
    }
    if !problems.is_empty() {
        return Err(Error::Usage(format!(
            "{} old address{} cannot be published (fix the articles' aliases):\n  {}",
            problems.len(),
            if problems.len() == 1 { "" } else { "es" },
            problems.join("\n  ")
        )));
    }
    Ok(plan)
}

/// The page at an old address: `rel` is the article's page as seen from it.
fn page(a: &Alias, rel: &str, canonical: &str) -> String {
    let (rel, canonical, title) = (escape(rel), escape(canonical), escape(&a.title));
    let moved =
        if a.lang.starts_with("ko") { "이 글은 새 주소로 옮겼습니다:" } else { "This story has moved to" };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n{MARK}\n\
         <meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={rel}\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n<title>{title}</title>\n</head>\n\
         <body>\n<p>{moved} <a href=\"{rel}\">{title}</a></p>\n</body>\n</html>\n",
        lang = escape(&a.lang),
    )
}

/// `_redirects`: one 301 per alias, to the page's absolute address (right wherever the site
/// is published). An alias with a query is written in Netlify's query syntax (`/ p=123`).
pub fn redirects_file(aliases: &[Alias], site: &str) -> String {
    let mut lines: Vec<String> = aliases
        .iter()
        .map(|a| {
            let target = url_of(site, &a.page);
            match a.alias.split_once('?') {
                Some((path, query)) => {
                    let params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
                    format!("{} {} {target} 301", encode(path), params.join(" "))
                }
                None => format!("{} {target} 301", encode(&a.alias)),
            }
        })
        .collect();
    lines.sort();
    format!(
        "# Written by article-viewer-cli build: each article's old addresses (its aliases), moved for good.\n\
         # Lines with a query (/ p=123) use Netlify's syntax; hosts without it skip them.\n{}\n",
        lines.join("\n")
    )
}

/// A path as a request carries it: characters beyond ASCII percent-encoded (as written
/// otherwise: an alias is already free of spaces and controls).
fn encode(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ');
    percent_encoding::utf8_percent_encode(path, KEEP).to_string()
}

/// Writes the pages and `_redirects` into `root` (through `out`). A file already at an
/// alias's place is replaced only when an earlier build wrote it there as an old address.
pub fn write(plan: &Plan, site: &str, root: &Path, out: &Output) -> Result<usize, Error> {
    for w in &plan.warnings {
        eprintln!("warning: {w}");
    }
    for a in &plan.aliases {
        let Some(file) = &a.file else { continue };
        let path = root.join(file);
        if path.exists() && !written_here(&path) {
            return Err(Error::Usage(format!(
                "alias {} of {}: {file} is already in the output folder and is not an old-address page; it is left alone (remove the alias, or the file)",
                a.alias, a.page
            )));
        }
        let depth = file.matches('/').count();
        let rel = format!("{}{}", "../".repeat(depth), url_of("", &a.page));
        out.write(file, page(a, &rel, &url_of(site, &a.page)).as_bytes())?;
    }
    if !plan.aliases.is_empty() {
        out.write("_redirects", redirects_file(&plan.aliases, site).as_bytes())?;
    }
    Ok(plan.aliases.len())
}

/// Whether the file at `path` is a page this stage wrote.
fn written_here(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 256];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    String::from_utf8_lossy(&head[..n]).contains(MARK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Doc;
    use article_viewer_core::format::parse_document;

    fn content(docs: &[(&str, &str)], extra_files: &[&str]) -> Content {
        let docs: Vec<Doc> = docs
            .iter()
            .map(|(rel, json)| Doc {
                rel: rel.to_string(),
                text: json.to_string(),
                document: parse_document(json).expect("valid").document,
                warnings: Vec::new(),
            })
            .collect();
        let mut files: Vec<(std::path::PathBuf, String)> =
            docs.iter().map(|d| (std::path::PathBuf::from(&d.rel), d.rel.clone())).collect();
        files.extend(extra_files.iter().map(|f| (std::path::PathBuf::from(f), f.to_string())));
        Content { docs, files }
    }

    fn article(id: &str, aliases: &str) -> String {
        format!(r#"{{"id":"{id}","title":"제목 {id}","body":"b","aliases":[{aliases}]}}"#)
    }

    #[test]
    fn each_alias_gets_its_file_or_only_a_redirect() {
        for (path, want) in [
            ("/2024/05/slug/", Ok(Some("2024/05/slug/index.html"))),
            ("/slug", Ok(Some("slug/index.html"))),
            ("/2024/05/post.html", Ok(Some("2024/05/post.html"))),
            ("/%ED%95%9C/", Ok(Some("한/index.html"))),
            ("/feed.php", Ok(None)),
            ("/", Ok(None)),
            ("/a/../b/", Err("a . or .. segment would leave its place")),
            ("/a/%2e%2e/b/", Err("a . or .. segment would leave its place")),
            ("/.git/config", Err("a hidden name (starting with .) is not published")),
            ("/a//b/", Err("an empty segment (//)")),
            ("/a%5Cb/", Err("a name with a control character or one of \\ : * \" < > | cannot be a file everywhere")),
            ("/%FF/", Err("its percent-encoding is not UTF-8")),
        ] {
            assert_eq!(file_for(path), want.map(|f| f.map(str::to_string)).map_err(str::to_string), "{path}");
        }
    }

    #[test]
    fn plans_pages_and_refuses_what_is_not_the_aliases_to_take() {
        let c = content(
            &[
                ("index.json", r#"{"articles":[]}"#),
                ("articles/a.json", &article("a", r#""/2024/a/","/?p=1","/2024/a/","/articles/a.html","/old.php""#)),
                ("articles/b.json", &article("b", r#""/b""#)),
            ],
            &[],
        );
        let plan = plan(&c).expect("valid");
        let got: Vec<(&str, Option<&str>)> =
            plan.aliases.iter().map(|a| (a.alias.as_str(), a.file.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("/2024/a/", Some("2024/a/index.html")),
                ("/?p=1", None),
                ("/old.php", None),
                ("/b", Some("b/index.html"))
            ]
        );
        assert_eq!(plan.warnings.len(), 1, "{:?}", plan.warnings);
        for (aliases, want) in [
            (r#""/index.html""#, "index.html is the site's own"),
            (r#""/page/2/""#, "page/2/index.html is the site's own"),
            (r#""/articles/b.html/""#, "articles/b.html is a page the build writes"),
            (r#""/articles/b.html""#, "articles/b.html is a page the build writes"),
            (r#""/images/""#, "images/index.html is a file of the content folder"),
            (r#""/images""#, "images/index.html is a file of the content folder"),
            (r#""/b/""#, "articles/a.json (alias /b/) and articles/b.json (alias /b) claim the same old address"),
            (r#""/x/../../etc/""#, "a . or .. segment"),
        ] {
            let c = content(
                &[
                    ("index.json", r#"{"articles":[]}"#),
                    ("articles/a.json", &article("a", aliases)),
                    ("articles/b.json", &article("b", r#""/b""#)),
                ],
                &["images/index.html"],
            );
            let e = match super::plan(&c) {
                Ok(_) => panic!("{aliases}: accepted"),
                Err(e) => e.to_string(),
            };
            assert!(e.contains(want), "{aliases}: {e}");
        }
    }

    #[test]
    fn refusal_says_what_build_refuses_whatever_the_folder() {
        assert_eq!(refusal("/2024/a/"), Ok(true));
        assert_eq!(refusal("/?p=1"), Ok(false));
        assert_eq!(refusal("/feed.php"), Ok(false));
        assert_eq!(refusal("/404.html"), Err("404.html is the site's own (the build or the host uses it)".into()));
        assert_eq!(refusal("/a/../b/"), Err("a . or .. segment would leave its place".into()));
        assert!(refusal("a/").is_err());
    }

    #[test]
    fn pages_lead_to_the_article_relatively_and_redirects_list_every_alias() {
        let c = content(&[("articles/한글.json", &article("a", r#""/2024/05/slug/","/?p=7&x=1","/a.html""#))], &[]);
        let plan = plan(&c).expect("valid");
        let dir = tempfile::tempdir().expect("temp");
        let out = Output::new(dir.path());
        assert_eq!(write(&plan, "https://news.example/", dir.path(), &out).expect("written"), 3);
        let page = std::fs::read_to_string(dir.path().join("2024/05/slug/index.html")).expect("page");
        let rel = "../../../articles/%ED%95%9C%EA%B8%80.html";
        assert!(page.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={rel}\">")), "{page}");
        assert!(page.contains(&format!("<a href=\"{rel}\">제목 a</a>")), "{page}");
        assert!(
            page.contains("<link rel=\"canonical\" href=\"https://news.example/articles/%ED%95%9C%EA%B8%80.html\">")
        );
        let top = std::fs::read_to_string(dir.path().join("a.html")).expect("page");
        assert!(top.contains("url=articles/%ED%95%9C%EA%B8%80.html"), "{top}");
        let redirects = std::fs::read_to_string(dir.path().join("_redirects")).expect("_redirects");
        let target = "https://news.example/articles/%ED%95%9C%EA%B8%80.html";
        for line in
            [format!("/ p=7 x=1 {target} 301"), format!("/2024/05/slug/ {target} 301"), format!("/a.html {target} 301")]
        {
            assert!(redirects.lines().any(|l| l == line), "{line} not in\n{redirects}");
        }
        // A second build writes over its own pages, never over anything else.
        write(&plan, "https://news.example/", dir.path(), &out).expect("again");
        std::fs::write(dir.path().join("a.html"), "<p>the publisher's own page</p>").expect("write");
        let e = write(&plan, "https://news.example/", dir.path(), &out).expect_err("refused").to_string();
        assert!(e.contains("a.html is already in the output folder"), "{e}");
    }
}
