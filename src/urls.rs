//! URL safety and resolution for untrusted documents.
//! Decides which links and images may reach the DOM, and resolves relative references (RFC 3986 §5).

/// What a URL is for: images may also be inline `data:` pictures, links may be `mailto:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlKind {
    Link,
    Image,
}

const SAFE_DATA_IMAGES: [&str; 5] = [
    "data:image/png",
    "data:image/gif",
    "data:image/jpeg",
    "data:image/jpg",
    "data:image/webp",
];

/// Returns the URL, trimmed, if it is safe for `kind`; `None` otherwise.
///
/// Browsers ignore leading/trailing spaces and control characters and drop tabs and
/// newlines anywhere in a URL (`java\tscript:`), so any control character is refused
/// outright rather than second-guessing a browser's parser. A `:` before the first
/// `/`, `?` or `#` is a scheme, and only the allowed schemes pass.
pub fn safe_url(raw: &str, kind: UrlKind) -> Option<String> {
    let url = raw.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_control());
    if url.is_empty() || url.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return None;
    }
    let Some(scheme) = scheme_of(url) else {
        // No scheme: a relative reference, which resolves against an http(s) base.
        return Some(url.to_string());
    };
    let lower = scheme.to_ascii_lowercase();
    let allowed = match (lower.as_str(), kind) {
        ("http" | "https", _) => true,
        ("mailto", UrlKind::Link) => true,
        ("data", UrlKind::Image) => {
            let head = url.get(..20).unwrap_or(url).to_ascii_lowercase();
            SAFE_DATA_IMAGES.iter().any(|p| {
                head.starts_with(p)
                    && matches!(head.as_bytes().get(p.len()), Some(b';') | Some(b','))
            })
        }
        _ => false,
    };
    allowed.then(|| url.to_string())
}

/// The text before the first `:` when it comes before any `/`, `?` or `#`.
/// Anything there that is not a well-formed scheme is still reported (and so refused),
/// because a lenient browser parser might read it as one.
pub fn scheme_of(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    (url.as_bytes()[end] == b':').then(|| &url[..end])
}

/// True for `http(s)://` URLs (what `?src=` and fetches accept).
pub fn is_http(url: &str) -> bool {
    matches!(scheme_of(url).map(str::to_ascii_lowercase).as_deref(), Some("http" | "https"))
}

/// A safe URL made absolute against `base` (the address of the document that holds it).
/// Fragment-only references (`#section`) stay as they are: they point into the page.
pub fn safe_resolved(raw: &str, kind: UrlKind, base: Option<&str>) -> Option<String> {
    let url = safe_url(raw, kind)?;
    if url.starts_with('#') || scheme_of(&url).is_some() {
        return Some(url);
    }
    Some(match base {
        Some(b) => resolve(b, &url),
        None => url,
    })
}

/// True when `url` leads away from the site of `base`: an absolute http(s) URL of another origin.
pub fn is_external(url: &str, base: Option<&str>) -> bool {
    if !is_http(url) {
        return false;
    }
    match (origin_of(url), base.and_then(origin_of)) {
        (Some(a), Some(b)) => a != b,
        _ => true,
    }
}

struct Parts<'a> {
    scheme: &'a str,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn split(url: &str) -> Parts<'_> {
    let (rest, fragment) = match url.find('#') {
        Some(i) => (&url[..i], Some(&url[i + 1..])),
        None => (url, None),
    };
    let (rest, query) = match rest.find('?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (scheme, rest) = match scheme_of(rest) {
        Some(s) => (s, &rest[s.len() + 1..]),
        None => ("", rest),
    };
    let (authority, path) = match rest.strip_prefix("//") {
        Some(r) => {
            let end = r.find('/').unwrap_or(r.len());
            (Some(&r[..end]), &r[end..])
        }
        None => (None, rest),
    };
    Parts { scheme, authority, path, query, fragment }
}

/// Resolves `reference` against the absolute URL `base` (RFC 3986 §5.2).
/// Backslashes in the reference are read as slashes, as browsers do for http(s).
pub fn resolve(base: &str, reference: &str) -> String {
    let reference = reference.trim().replace('\\', "/");
    if scheme_of(&reference).is_some() {
        return reference;
    }
    let b = split(base);
    let r = split(&reference);
    let mut out = String::with_capacity(base.len() + reference.len());
    out.push_str(b.scheme);
    out.push(':');
    let (authority, path, query) = if let Some(auth) = r.authority {
        (Some(auth), remove_dot_segments(r.path), r.query)
    } else if r.path.is_empty() {
        (b.authority, b.path.to_string(), r.query.or(b.query))
    } else if r.path.starts_with('/') {
        (b.authority, remove_dot_segments(r.path), r.query)
    } else {
        let merged = match (b.authority.is_some() && b.path.is_empty(), b.path.rfind('/')) {
            (true, _) => format!("/{}", r.path),
            (false, Some(i)) => format!("{}{}", &b.path[..=i], r.path),
            (false, None) => r.path.to_string(),
        };
        (b.authority, remove_dot_segments(&merged), r.query)
    };
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = r.fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn remove_dot_segments(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    let last = parts.len().saturating_sub(1);
    let mut trailing_slash = false;
    for (i, seg) in parts.iter().enumerate() {
        match *seg {
            "." => trailing_slash = i == last,
            ".." => {
                if segments.len() > usize::from(absolute) {
                    segments.pop();
                }
                trailing_slash = i == last;
            }
            s => {
                segments.push(s);
                trailing_slash = false;
            }
        }
    }
    let mut out = segments.join("/");
    if absolute && !out.starts_with('/') {
        out.insert(0, '/');
    }
    if trailing_slash && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// `scheme://host[:port]` of an absolute http(s) URL, lower-cased.
pub fn origin_of(url: &str) -> Option<String> {
    let p = split(url);
    let auth = p.authority?;
    // Drop userinfo: it is not part of the origin.
    let host = auth.rsplit('@').next().unwrap_or(auth);
    (!p.scheme.is_empty() && !host.is_empty())
        .then(|| format!("{}://{}", p.scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

/// Writes `url` as short as it can be for the viewer's own `?src=`: path-absolute when it
/// shares the page's origin, whole otherwise.
pub fn relative_to_origin(url: &str, page: &str) -> String {
    match (origin_of(url), origin_of(page)) {
        (Some(a), Some(b)) if a == b => {
            let rest = &url[url.find("//").map_or(0, |i| i + 2)..];
            rest.find('/').map_or_else(|| "/".to_string(), |i| rest[i..].to_string())
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_script_schemes_however_written() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "file:///etc/passwd",
        ] {
            assert_eq!(safe_url(bad, UrlKind::Link), None, "{bad:?}");
            assert_eq!(safe_url(bad, UrlKind::Image), None, "{bad:?}");
        }
    }

    #[test]
    fn keeps_safe_schemes_and_relative_paths() {
        assert_eq!(safe_url(" https://a.example/x ", UrlKind::Link).as_deref(), Some("https://a.example/x"));
        assert!(safe_url("mailto:desk@example.com", UrlKind::Link).is_some());
        assert!(safe_url("mailto:desk@example.com", UrlKind::Image).is_none());
        assert!(safe_url("images/a.png", UrlKind::Image).is_some());
        assert!(safe_url("#section", UrlKind::Link).is_some());
        assert!(safe_url("data:image/png;base64,AAAA", UrlKind::Image).is_some());
        assert!(safe_url("data:image/png;base64,AAAA", UrlKind::Link).is_none());
        assert!(safe_url("data:image/pngx,AAAA", UrlKind::Image).is_none());
    }

    #[test]
    fn resolves_like_rfc_3986() {
        let base = "http://a/b/c/d;p?q";
        for (r, want) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("g;x=1/../y", "http://a/b/c/y"),
            ("https://other/x", "https://other/x"),
        ] {
            assert_eq!(resolve(base, r), want, "{r:?}");
        }
        assert_eq!(
            resolve("http://127.0.0.1:8080/samples/articles/a.json", "../images/x.svg"),
            "http://127.0.0.1:8080/samples/images/x.svg"
        );
    }

    #[test]
    fn origins() {
        assert_eq!(origin_of("HTTP://User@Example.com:80/x").as_deref(), Some("http://example.com:80"));
        assert_eq!(origin_of("/relative"), None);
        assert_eq!(relative_to_origin("http://h:1/a/b.json?x", "http://h:1/index.html"), "/a/b.json?x");
        assert_eq!(relative_to_origin("http://o/a.json", "http://h:1/"), "http://o/a.json");
    }
}
