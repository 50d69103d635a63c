//! A post's old addresses, as the format's `aliases` (paths from the site's root, a query
//! allowed: `/2024/05/slug/`, `/?p=123`): what each kind knows of where a post lived, made
//! into paths that `build` answers with a redirect.

use article_viewer_core::format::alias_problem;
use article_viewer_core::urls::scheme_of;

/// The host (with its port) of an absolute http(s) address, lowercased.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// `url` (an old address of a post) as an alias: its path and query, without the fragment.
/// An absolute address counts only when it is on `site` (the old site's address, when known);
/// a path from the root counts as it is. `None` for anything else (another site, a relative
/// path, a path the format refuses).
pub fn alias_of(url: &str, site: Option<&str>) -> Option<String> {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let path = match scheme_of(url) {
        Some(scheme) if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") => {
            if let Some(site) = site {
                if host_of(site)? != host_of(url)? {
                    return None;
                }
            }
            let rest = url.split_once("://")?.1;
            match rest.find(['/', '?']) {
                Some(at) if rest[at..].starts_with('?') => format!("/{}", &rest[at..]),
                Some(at) => rest[at..].to_string(),
                None => "/".to_string(),
            }
        }
        Some(_) => return None,
        None if url.starts_with('/') && !url.starts_with("//") => url.to_string(),
        None => return None,
    };
    // The site's front page is never an old address of one post.
    if path == "/" || path.is_empty() {
        return None;
    }
    // Spaces and other characters a request line cannot hold are percent-encoded.
    let mut encoded = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_whitespace() || c.is_control() || c == '\\' {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                encoded.push_str(&format!("%{b:02X}"));
            }
        } else {
            encoded.push(c);
        }
    }
    let path = encoded;
    (alias_problem(&path).is_none() && publishable(&path)).then_some(path)
}

/// Whether `build` can write a page at the path (its rules, in `crates/site/src/aliases.rs`):
/// percent-encoding that decodes to UTF-8, and no empty, `.`, `..` or hidden segment.
fn publishable(alias: &str) -> bool {
    let path = alias.split('?').next().unwrap_or(alias);
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else { return false };
    let inner = decoded.trim_start_matches('/');
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    inner.is_empty() || inner.split('/').all(|s| !s.is_empty() && !s.starts_with('.'))
}

/// What two aliases that answer at one place have in common (`build` writes `/a`, `/a/` and
/// `/a/index.html` at one file, and a case-insensitive disk holds one of `/A/` and `/a/`):
/// the path decoded, in lower case, without a trailing `/` or `/index.html`; the query kept.
pub fn same_address(alias: &str) -> String {
    let (path, query) = alias.split_once('?').map_or((alias, None), |(p, q)| (p, Some(q)));
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().to_lowercase();
    let trimmed = decoded.strip_suffix("/index.html").unwrap_or(&decoded).trim_end_matches('/');
    // A path and an address with a query never meet (`/%3Fp=1/` is a path).
    match query {
        Some(q) => format!("query {trimmed}?{q}"),
        None => format!("path {trimmed}"),
    }
}

/// Adds `alias` to `list` unless it is already there.
pub fn push(list: &mut Vec<String>, alias: Option<String>) {
    if let Some(a) = alias {
        if !list.contains(&a) {
            list.push(a);
        }
    }
}

/// A permalink pattern (Hugo's `[permalinks]`: `/:year/:month/:slug/`, Jekyll's
/// `/:categories/:year/:month/:day/:title.html`) filled in for one post. `date` is RFC 3339;
/// a pattern that needs a date the post lacks gives `None`.
pub fn permalink(pattern: &str, slug: &str, title_slug: &str, section: &str, date: Option<&str>) -> Option<String> {
    let (year, month, day) = match date {
        Some(d) if d.len() >= 10 => (d.get(0..4)?, d.get(5..7)?, d.get(8..10)?),
        _ => ("", "", ""),
    };
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name_len = after.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        let name = &after[..name_len];
        let value = match name {
            "year" => year,
            "month" => month,
            "day" => day,
            "slug" | "slugorfilename" | "slugorcontentbasename" => slug,
            "title" | "filename" | "contentbasename" => title_slug,
            "section" | "categories" => section,
            _ => return None,
        };
        if value.is_empty() && matches!(name, "year" | "month" | "day" | "slug" | "title") {
            return None;
        }
        out.push_str(value);
        rest = &after[name_len..];
    }
    out.push_str(rest);
    // An empty part (`:categories` of a post without one) leaves `//`.
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    let out = if out.starts_with('/') { out } else { format!("/{out}") };
    alias_of(&out, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_addresses_become_paths_from_the_root() {
        let site = Some("https://old.example/");
        for (url, want) in [
            ("https://old.example/2024/05/slug/", Some("/2024/05/slug/")),
            ("https://OLD.example/slug/#comments", Some("/slug/")),
            ("https://old.example/?p=123", Some("/?p=123")),
            ("https://old.example?p=123", Some("/?p=123")),
            ("http://old.example/a b/", Some("/a%20b/")),
            ("https://old.example/", None),
            ("https://old.example", None),
            ("https://other.example/slug/", None),
            ("/2024/slug.html", Some("/2024/slug.html")),
            ("slug/", None),
            ("//old.example/x", None),
            ("mailto:a@old.example", None),
            ("https://old.example/한글/", Some("/한글/")),
            ("https://old.example/a/../b/", None),
            ("https://old.example/%2e%2e/x", None),
            ("https://old.example/.well-known/x", None),
            ("https://old.example/a//b", None),
            ("https://old.example/%FF/", None),
        ] {
            assert_eq!(alias_of(url, site).as_deref(), want, "{url}");
        }
        assert_eq!(alias_of("https://any.example/x/", None).as_deref(), Some("/x/"));
    }

    #[test]
    fn permalink_patterns() {
        let date = Some("2024-05-09T10:00:00+09:00");
        assert_eq!(permalink("/:year/:month/:slug/", "s", "t", "posts", date).as_deref(), Some("/2024/05/s/"));
        assert_eq!(
            permalink("/:categories/:year/:month/:day/:title.html", "s", "t", "", date).as_deref(),
            Some("/2024/05/09/t.html")
        );
        assert_eq!(permalink("/:section/:slug/", "s", "t", "posts", None).as_deref(), Some("/posts/s/"));
        assert_eq!(permalink("/:year/:slug/", "s", "t", "", None), None, "no date");
        assert_eq!(permalink("/:unknown/", "s", "t", "", date), None);
    }
}
