//! A published site's layout: which prerendered page shows which document, and links between
//! pages written relative to the page, so that the folder works at any path, on any host and
//! opened from disk. The publishing program writes pages by these rules; the browser app
//! follows them when it navigates, so both always agree.

use crate::urls::HttpUrl;

/// The page that shows a document: `articles/x.json` → `articles/x.html`. Works on relative
/// paths and absolute URLs alike; a query or fragment is dropped.
pub fn page_for_doc(doc: &str) -> String {
    let path = without_query(doc);
    match path.strip_suffix(".json") {
        Some(stem) => format!("{stem}.html"),
        None => format!("{path}.html"),
    }
}

/// The page of a collection's `n`-th listing page: the collection's own page for the first,
/// `page/N.html` beside it for the rest (only `index.json` collections have listing pages).
pub fn listing_page(collection_doc: &str, n: u32) -> String {
    let path = without_query(collection_doc);
    if n <= 1 || !is_index(path) {
        return page_for_doc(path);
    }
    format!("{}page/{n}.html", &path[..path.len() - "index.json".len()])
}

/// What a page shows: its document and which listing page (1 for every page but a
/// collection's `page/N.html`). The inverse of [`page_for_doc`] and [`listing_page`]; a
/// folder address (`…/`) is its `index.html`, and an address without an extension (a host
/// that hides `.html`) is read as if it had one.
pub fn doc_for_page(page: &str) -> (String, u32) {
    let path = without_query(page);
    if path.ends_with('/') {
        return (format!("{path}index.json"), 1);
    }
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let stem = file.strip_suffix(".html").unwrap_or(file);
    if let Some(parent) = dir.strip_suffix("/page").or_else(|| (dir == "page").then_some("")) {
        if let Ok(n) = stem.parse::<u32>() {
            if n >= 2 && !stem.starts_with('0') {
                let slash = if parent.is_empty() { "" } else { "/" };
                return (format!("{parent}{slash}index.json"), n);
            }
        }
    }
    let slash = if dir.is_empty() && !path.starts_with('/') { "" } else { "/" };
    (format!("{dir}{slash}{stem}.json"), 1)
}

/// The folders of the tag and author pages, beside the site's collection.
pub const TAG_PAGES: &str = "tags/";
pub const AUTHOR_PAGES: &str = "authors/";

/// Names a file cannot take on some system (Windows' devices), compared without extension.
const DEVICE_NAMES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A page name is cut here (characters), well inside a file name's 255 bytes.
const SLUG_CHARS: usize = 80;

/// A tag or author name as its page knows it: NFC, trimmed, lowercase, each run of spaces and
/// hyphens one `-`. Names that fold alike (`AI`/`ai`, NFD/NFC `클라우드`, `data centers` and
/// `data-centers`) share one page.
pub fn facet_folded(value: &str) -> String {
    let mut out = String::new();
    for c in crate::search::facet_key(value).chars() {
        if c.is_whitespace() || c == '-' {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(crate::case::lower(c));
        }
    }
    if out.ends_with('-') {
        out.pop();
    }
    out
}

/// The folder name of a tag's or author's pages: the folded name ([`facet_folded`]) as it is,
/// Korean and all, when it makes a safe file name and address. A name that had to be changed
/// for that (`/ \ ? # % : * " < > |`, control characters, dots at either end, a device name,
/// a very long name, nothing left) gets a short hash of the whole name after it, so two such
/// names keep two pages. A pure function: the build and the browser app agree on it.
pub fn facet_slug(value: &str) -> String {
    let folded = facet_folded(value);
    let mut slug = String::new();
    let mut changed = false;
    for c in folded.chars() {
        let unsafe_char = c.is_control()
            || crate::search::unicode::is_default_ignorable(c)
            || matches!(c, '/' | '\\' | '?' | '#' | '%' | ':' | '*' | '"' | '<' | '>' | '|');
        if unsafe_char {
            changed = true;
            if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        } else if slug.chars().count() < SLUG_CHARS {
            slug.push(c);
        } else {
            changed = true;
        }
    }
    let trimmed = slug.trim_matches(|c| c == '-' || c == '.');
    changed |= trimmed.len() != slug.len() || trimmed.is_empty();
    let device = DEVICE_NAMES.contains(&trimmed.split('.').next().unwrap_or(""));
    if !changed && !device {
        return trimmed.to_string();
    }
    // A device name stays one with any extension: `con.txt` is `con-txt-…`.
    let trimmed = if device { trimmed.replace('.', "-") } else { trimmed.to_string() };
    // FNV-1a over the folded name.
    let hash = folded.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    if trimmed.is_empty() {
        format!("{hash:08x}")
    } else {
        format!("{trimmed}-{hash:08x}")
    }
}

/// The collection (`index.json`) of a tag's pages, relative to the site's folder.
pub fn tag_doc(tag: &str) -> String {
    format!("{TAG_PAGES}{}/index.json", facet_slug(tag))
}

/// The collection of an author's pages, relative to the site's folder.
pub fn author_doc(name: &str) -> String {
    format!("{AUTHOR_PAGES}{}/index.json", facet_slug(name))
}

fn is_index(path: &str) -> bool {
    path == "index.json" || path.ends_with("/index.json")
}

fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// `target` written relative to `page` when both are on the same origin (`../images/a.png`),
/// else unchanged. The result is what a browser resolves back to `target` from `page`.
pub fn relative_url(target: &str, page: &str) -> String {
    let (Some(t), Some(p)) = (HttpUrl::parse(target), HttpUrl::parse(page)) else { return target.to_string() };
    if t.origin() != p.origin() {
        return target.to_string();
    }
    let target_dirs: Vec<&str> = t.path.split('/').collect();
    let page_dirs: Vec<&str> = p.path.split('/').collect();
    // The last segment of each is a file name (possibly empty for a folder address).
    let (t_dirs, t_file) = target_dirs.split_at(target_dirs.len() - 1);
    let p_dirs = &page_dirs[..page_dirs.len() - 1];
    let common = t_dirs.iter().zip(p_dirs).take_while(|(x, y)| x == y).count();
    let mut out = "../".repeat(p_dirs.len() - common);
    for d in &t_dirs[common..] {
        out.push_str(d);
        out.push('/');
    }
    out.push_str(t_file[0]);
    if out.is_empty() {
        out.push_str("./");
    } else if out.split('/').next().is_some_and(|first| first.contains(':')) {
        // `a:b/c.html` would be read as a URL with the scheme `a`.
        out.insert_str(0, "./");
    }
    if let Some(q) = &t.query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = &t.fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_documents_map_both_ways() {
        for (doc, page) in [
            ("articles/x.json", "articles/x.html"),
            ("index.json", "index.html"),
            ("https://n.example/a/index.json", "https://n.example/a/index.html"),
            ("https://n.example/a/b.json?v=1", "https://n.example/a/b.html"),
            ("한국어.json", "한국어.html"),
        ] {
            assert_eq!(page_for_doc(doc), page);
            assert_eq!(doc_for_page(page), (without_query(doc).to_string(), 1), "{page}");
        }
        assert_eq!(doc_for_page("https://n.example/"), ("https://n.example/index.json".into(), 1));
        assert_eq!(doc_for_page("https://n.example/a/b"), ("https://n.example/a/b.json".into(), 1));
        assert_eq!(doc_for_page("https://n.example/a/b.html?q=x#top"), ("https://n.example/a/b.json".into(), 1));
    }

    #[test]
    fn listing_pages_sit_beside_their_collection() {
        assert_eq!(listing_page("index.json", 1), "index.html");
        assert_eq!(listing_page("index.json", 2), "page/2.html");
        assert_eq!(listing_page("https://n.example/news/index.json", 12), "https://n.example/news/page/12.html");
        assert_eq!(listing_page("archive.json", 3), "archive.html", "only index.json collections have listing pages");
        assert_eq!(doc_for_page("page/2.html"), ("index.json".into(), 2));
        assert_eq!(
            doc_for_page("https://n.example/news/page/12.html"),
            ("https://n.example/news/index.json".into(), 12)
        );
        // Not listing pages: page 1 is the collection's own page, and other names are articles.
        assert_eq!(doc_for_page("https://n.example/page/1.html"), ("https://n.example/page/1.json".into(), 1));
        assert_eq!(doc_for_page("https://n.example/page/02.html"), ("https://n.example/page/02.json".into(), 1));
        assert_eq!(doc_for_page("https://n.example/page/x.html"), ("https://n.example/page/x.json".into(), 1));
    }

    #[test]
    fn links_are_relative_to_the_page() {
        let page = "https://n.example/site/articles/x.html";
        for (target, want) in [
            ("https://n.example/site/articles/y.html", "y.html"),
            ("https://n.example/site/index.html", "../index.html"),
            ("https://n.example/site/images/a.png", "../images/a.png"),
            ("https://n.example/other/p/q.html?a=1#f", "../../other/p/q.html?a=1#f"),
            ("https://n.example/site/articles/", "./"),
            ("https://n.example/site/articles/x.html#fn", "x.html#fn"),
            ("https://n.example/site/articles/a:b.html", "./a:b.html"),
            ("https://other.example/site/x.html", "https://other.example/site/x.html"),
            ("http://n.example/site/x.html", "http://n.example/site/x.html"),
            ("mailto:a@n.example", "mailto:a@n.example"),
        ] {
            assert_eq!(relative_url(target, page), want, "{target}");
        }
        assert_eq!(relative_url("https://n.example/index.html", "https://n.example/"), "index.html");
        assert_eq!(relative_url("https://n.example/a.json", "https://n.example"), "a.json");
        assert_eq!(relative_url("https://n.example/", "https://n.example/a/b.html"), "../");
    }

    #[test]
    fn relative_links_resolve_back_to_their_target() {
        let pages = ["https://n.example/", "https://n.example/a/b/c.html", "https://n.example/a/index.html?x"];
        let targets = [
            "https://n.example/a/b/d.png",
            "https://n.example/z.html",
            "https://n.example/a/",
            "https://n.example/a/b/c.html?q#f",
        ];
        for page in pages {
            for target in targets {
                let rel = relative_url(target, page);
                assert_eq!(crate::urls::resolve(page, &rel), target, "{target} from {page} via {rel}");
            }
        }
    }

    #[test]
    fn facet_pages_keep_korean_and_fold_spellings() {
        assert_eq!(tag_doc("클라우드"), "tags/클라우드/index.json");
        assert_eq!(author_doc("김서연"), "authors/김서연/index.json");
        // NFD (as typed on macOS) and NFC, case, spaces and hyphens: one page.
        let nfd = "\u{110f}\u{1173}\u{11af}\u{1105}\u{1161}\u{110b}\u{116e}\u{1103}\u{1173}";
        assert_eq!(facet_slug(nfd), "클라우드");
        assert_eq!(facet_slug(" AI "), "ai");
        assert_eq!(facet_slug("Data  centers"), "data-centers");
        assert_eq!(facet_slug("data-centers"), "data-centers");
        assert_eq!(facet_slug("AI 에이전트"), "ai-에이전트");
        assert_eq!(facet_slug("C++"), "c++");
    }

    #[test]
    fn unsafe_facet_names_get_safe_distinct_folders() {
        let names =
            ["a/b", "a:b", "a?b", "..", ".", "../etc", "CON", "con.txt", "", "  ", "a\u{0}b", "#", "%2F", "a\u{200b}b"];
        let slugs: Vec<String> = names.iter().map(|n| facet_slug(n)).collect();
        for (n, s) in names.iter().zip(&slugs) {
            assert!(!s.is_empty() && !s.starts_with('.') && !s.ends_with('.'), "{n:?} -> {s:?}");
            assert!(!s.contains(['/', '\\', '?', '#', '%', ':', '*', '"', '<', '>', '|']), "{n:?} -> {s:?}");
            assert!(s.chars().all(|c| !c.is_control()), "{n:?} -> {s:?}");
            assert_ne!(s.split('.').next(), Some("con"), "{n:?} -> {s:?}");
        }
        assert!(slugs[0].starts_with("a-b-") && slugs[1].starts_with("a-b-") && slugs[0] != slugs[1], "{slugs:?}");
        let distinct: std::collections::HashSet<&String> = slugs.iter().collect();
        // "" and "  " fold to the same (empty) name.
        assert_eq!(distinct.len(), names.len() - 1, "{slugs:?}");
        let long = "가".repeat(500);
        assert!(facet_slug(&long).chars().count() <= SLUG_CHARS + 9);
        assert_ne!(facet_slug(&long), facet_slug(&"가".repeat(501)));
    }
}
