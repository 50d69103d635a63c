//! URL safety and resolution for untrusted documents.
//! Decides which links and images may reach the DOM, reads http(s) URLs the way browsers do
//! (`HttpUrl`: origins, credentials), and resolves relative references (RFC 3986 §5).

use std::borrow::Cow;

/// What a URL is for: images may also be inline `data:` pictures, links may be `mailto:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlKind {
    Link,
    Image,
}

const SAFE_DATA_IMAGES: [&str; 5] =
    ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/jpg", "data:image/webp"];

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
            SAFE_DATA_IMAGES
                .iter()
                .any(|p| head.starts_with(p) && matches!(head.as_bytes().get(p.len()), Some(b';') | Some(b',')))
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

/// True for an absolute `http(s)` URL with a host, as a browser reads it (what `?src=` and
/// fetches accept).
pub fn is_http(url: &str) -> bool {
    HttpUrl::parse(url).is_some()
}

/// A safe URL made absolute against `base` (the address of the document that holds it).
/// Fragment-only references (`#section`) stay as they are: they point into the page. An
/// `http(s)` URL written the way only browsers understand (`http:\\host\p`, `http:host`)
/// is written out in full (`resolve`), so that the page's address cannot change where it goes.
pub fn safe_resolved(raw: &str, kind: UrlKind, base: Option<&str>) -> Option<String> {
    let url = safe_url(raw, kind)?;
    if url.starts_with('#') || (scheme_of(&url).is_some() && !is_http(&url)) {
        return Some(url);
    }
    Some(match base {
        Some(b) => resolve(b, &url),
        None => url,
    })
}

/// True when `url` leads away from the site of `base`: to an `http(s)` URL of another
/// origin, as the browser reads it; with no base, to any `http(s)` or scheme-relative URL.
pub fn is_external(url: &str, base: Option<&str>) -> bool {
    let target = match base {
        Some(b) => HttpUrl::parse(&resolve(b, url)),
        None => HttpUrl::parse(url),
    };
    match (target, base.and_then(HttpUrl::parse)) {
        (Some(a), Some(b)) => a.origin() != b.origin(),
        (Some(_), None) => true,
        // `//host/p` with nothing to resolve it against goes to `host`.
        (None, _) => base.is_none() && leading_slashes(&clean(url)) >= 2,
    }
}

/// An `http(s)` URL split the way browsers split it (the WHATWG URL Standard's parser for
/// "special" schemes), so that every check here agrees with where the browser goes:
///
/// - leading and trailing C0 controls and spaces are ignored, and tabs and newlines anywhere
///   are removed (`ht\ttp://` is `http://`);
/// - `\` is a path separator, like `/`, and any number of either may follow `http:`;
/// - the authority ends at the first `/`, `\`, `?` or `#`, so in
///   `http://other.example\@this-site.example/p` the host is `other.example`, and in
///   `http://x#@host` the `@` is in the fragment;
/// - user name and password are everything before the *last* `@` of the authority
///   (`http://a@b@c/` is host `c`);
/// - scheme and host are lower-cased, and the scheme's default port (80, 443) is dropped.
///
/// Not done, in the host: percent-decoding (`a%2Eb`), IDNA (Unicode to `xn--`) and IPv4
/// number forms (`0x7f.1`). A host written in such a form compares unequal to its plain
/// form, so it counts as another origin: the cautious side (a new tab; a `?src=` refused).
///
/// Written by hand because the `url` crate brings Unicode IDNA tables that would not fit in
/// the download budget, for checks that need none of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpUrl {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// Everything before the last `@` of the authority, as written; `None` without an `@`.
    pub userinfo: Option<String>,
    /// Lower-cased; an IPv6 address keeps its brackets.
    pub host: String,
    /// `None` when absent or the scheme's default.
    pub port: Option<u16>,
    /// With `\` read as `/`; `/` when empty. Dot segments are left as written.
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

impl HttpUrl {
    /// `None` unless `url` is an absolute `http(s)` URL with a host and a valid port.
    pub fn parse(url: &str) -> Option<HttpUrl> {
        let url = clean(url);
        let end = scheme_end(&url)?;
        let scheme = special_scheme(&url[..end])?;
        let rest = split_authority(url[end + 1..].trim_start_matches(['/', '\\']));
        let (userinfo, host_port) = match rest.authority.rfind('@') {
            Some(i) => (Some(&rest.authority[..i]), &rest.authority[i + 1..]),
            None => (None, rest.authority),
        };
        // An IPv6 address is bracketed: a port's colon comes after the `]`.
        let host_end =
            if host_port.starts_with('[') { host_port.find(']').map_or(host_port.len(), |i| i + 1) } else { 0 };
        let (host, port) = match host_port[host_end..].find(':') {
            Some(i) => (&host_port[..host_end + i], parse_port(&host_port[host_end + i + 1..])?),
            None => (host_port, None),
        };
        if host.is_empty() {
            return None;
        }
        Some(HttpUrl {
            scheme,
            userinfo: userinfo.map(str::to_string),
            host: host.to_ascii_lowercase(),
            port: port.filter(|&p| p != if scheme == "https" { 443 } else { 80 }),
            path: if rest.path.is_empty() { "/".to_string() } else { rest.path.replace('\\', "/") },
            query: rest.query.map(str::to_string),
            fragment: rest.fragment.map(str::to_string),
        })
    }

    /// `scheme://host[:port]`, the port only when it is not the scheme's default.
    pub fn origin(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// A user name or password is present (`http://@host/` and `http://:@host/` carry neither).
    pub fn has_credentials(&self) -> bool {
        self.userinfo.as_deref().is_some_and(|u| !u.is_empty() && u != ":")
    }
}

/// `Some(None)` for an empty port, `Some(Some(n))` for digits up to 65535, `None` (an
/// invalid URL) otherwise.
fn parse_port(digits: &str) -> Option<Option<u16>> {
    if digits.is_empty() {
        return Some(None);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = digits.bytes().fold(0u32, |n, b| (n * 10 + u32::from(b - b'0')).min(1 << 17));
    u16::try_from(n).ok().map(Some)
}

/// What browsers ignore around a URL (C0 controls and space) trimmed, and the tabs and
/// newlines they ignore inside it removed.
fn clean(url: &str) -> Cow<'_, str> {
    let url = url.trim_matches(|c: char| c <= ' ');
    if url.contains(['\t', '\n', '\r']) {
        Cow::Owned(url.replace(['\t', '\n', '\r'], ""))
    } else {
        Cow::Borrowed(url)
    }
}

/// Where a scheme ends as the WHATWG parser reads one: an ASCII letter, then letters,
/// digits, `+`, `-` or `.`, up to a `:`. (Stricter than [`scheme_of`], which refuses more.)
fn scheme_end(url: &str) -> Option<usize> {
    let bytes = url.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let end = bytes.iter().position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))?;
    (bytes[end] == b':').then_some(end)
}

fn special_scheme(scheme: &str) -> Option<&'static str> {
    if scheme.eq_ignore_ascii_case("http") {
        Some("http")
    } else if scheme.eq_ignore_ascii_case("https") {
        Some("https")
    } else {
        None
    }
}

/// The parts of what follows `scheme://`, as written.
struct Parts<'a> {
    authority: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

/// Splits a reference into path, query and fragment (`authority` stays empty).
fn split_path(url: &str) -> Parts<'_> {
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (url, None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    Parts { authority: "", path, query, fragment }
}

/// Splits what follows the slashes after `http:`: the authority ends at the first `/`, `\`,
/// `?` or `#`.
fn split_authority(url: &str) -> Parts<'_> {
    let mut parts = split_path(url);
    let end = parts.path.find(['/', '\\']).unwrap_or(parts.path.len());
    parts.authority = &parts.path[..end];
    parts.path = &parts.path[end..];
    parts
}

/// Resolves `reference` against the absolute URL `base`, as a browser does (RFC 3986 §5.2,
/// with the WHATWG rules for `http(s)`: `\` is `/`, two or more slashes of either kind
/// start an authority, and `http:path` is relative when the base is `http` too). A
/// reference with another scheme (`mailto:`) is returned as written.
pub fn resolve(base: &str, reference: &str) -> String {
    let reference = clean(reference);
    let base = clean(base);
    let b = base_parts(&base);
    let reference = match scheme_end(&reference) {
        None => reference.as_ref(),
        Some(end) => match special_scheme(&reference[..end]) {
            None => return reference.into_owned(),
            Some(scheme) => {
                let rest = &reference[end + 1..];
                if b.special != Some(scheme) || rest.starts_with("//") {
                    return with_authority(scheme, rest);
                }
                rest
            }
        },
    };
    let special = b.special.is_some();
    if special && leading_slashes(reference) >= 2 {
        return with_authority(b.scheme, reference);
    }
    // Only a non-http(s) base is left to have its authority replaced (`//host` in RFC 3986).
    let network = !special && reference.starts_with("//");
    let r = if network { split_authority(&reference[2..]) } else { split_path(reference) };
    let r_path = if special { Cow::Owned(r.path.replace('\\', "/")) } else { Cow::Borrowed(r.path) };
    let (authority, path, query) = if network {
        (Some(r.authority), remove_dot_segments(&r_path), r.query)
    } else if r_path.is_empty() {
        (b.authority, b.path.to_string(), r.query.or(b.query))
    } else if r_path.starts_with('/') {
        (b.authority, remove_dot_segments(&r_path), r.query)
    } else {
        let merged = match (b.authority.is_some() && b.path.is_empty(), b.path.rfind('/')) {
            (true, _) => format!("/{r_path}"),
            (false, Some(i)) => format!("{}{r_path}", &b.path[..=i]),
            (false, None) => r_path.to_string(),
        };
        (b.authority, remove_dot_segments(&merged), r.query)
    };
    let mut out = String::with_capacity(base.len() + reference.len());
    if !b.scheme.is_empty() {
        out.push_str(b.scheme);
        out.push(':');
    }
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

/// A base URL's parts as written; `special` is its scheme when that is `http(s)`.
struct BaseParts<'a> {
    scheme: &'a str,
    special: Option<&'static str>,
    authority: Option<&'a str>,
    path: Cow<'a, str>,
    query: Option<&'a str>,
}

fn base_parts(base: &str) -> BaseParts<'_> {
    let Some(end) = scheme_end(base) else {
        let p = split_path(base);
        return BaseParts { scheme: "", special: None, authority: None, path: p.path.into(), query: p.query };
    };
    let rest = &base[end + 1..];
    if let Some(scheme) = special_scheme(&base[..end]) {
        let p = split_authority(rest.trim_start_matches(['/', '\\']));
        let path = if p.path.contains('\\') { p.path.replace('\\', "/").into() } else { p.path.into() };
        return BaseParts { scheme, special: Some(scheme), authority: Some(p.authority), path, query: p.query };
    }
    let (authority, p) = match rest.strip_prefix("//") {
        Some(r) => {
            let p = split_authority(r);
            (Some(p.authority), p)
        }
        None => (None, split_path(rest)),
    };
    BaseParts { scheme: &base[..end], special: None, authority, path: p.path.into(), query: p.query }
}

/// How many `/` or `\` a reference starts with: two or more start an authority in `http(s)`.
fn leading_slashes(reference: &str) -> usize {
    reference.bytes().take_while(|&c| c == b'/' || c == b'\\').count()
}

/// `scheme://` and what follows the slashes of `rest`, with `\` written as `/` before the
/// query: the same URL to a browser, and the same to any other reader.
fn with_authority(scheme: &str, rest: &str) -> String {
    let rest = rest.trim_start_matches(['/', '\\']);
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let mut out = String::with_capacity(scheme.len() + 3 + rest.len());
    out.push_str(scheme);
    out.push_str("://");
    out.extend(rest[..end].chars().map(|c| if c == '\\' { '/' } else { c }));
    out.push_str(&rest[end..]);
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

/// `scheme://host[:port]` of an absolute `http(s)` URL as the browser reads it ([`HttpUrl`]):
/// lower-cased, without user name and password, without the scheme's default port.
pub fn origin_of(url: &str) -> Option<String> {
    HttpUrl::parse(url).map(|u| u.origin())
}

/// Writes `url` as short as it can be for the viewer's own `?src=`: path-absolute when it
/// shares the page's origin, whole otherwise.
pub fn relative_to_origin(url: &str, page: &str) -> String {
    match (HttpUrl::parse(url), HttpUrl::parse(page)) {
        // A path starting `//` would read as another host: such a URL stays whole.
        (Some(u), Some(p)) if u.origin() == p.origin() && !u.path.starts_with("//") => {
            let mut out = u.path;
            if let Some(q) = u.query {
                out.push('?');
                out.push_str(&q);
            }
            if let Some(f) = u.fragment {
                out.push('#');
                out.push_str(&f);
            }
            out
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
        // The default port is no part of an origin (it was kept before issue 13).
        assert_eq!(origin_of("HTTP://User@Example.com:80/x").as_deref(), Some("http://example.com"));
        assert_eq!(origin_of("/relative"), None);
        assert_eq!(origin_of("mailto:a@b.example"), None);
        assert_eq!(relative_to_origin("http://h:1/a/b.json?x", "http://h:1/index.html"), "/a/b.json?x");
        assert_eq!(relative_to_origin("http://h:80/a#f", "http://h/"), "/a#f");
        assert_eq!(relative_to_origin("http://o/a.json", "http://h:1/"), "http://o/a.json");
        // Same origin, but written path-absolute it would name another host.
        assert_eq!(relative_to_origin("http://h/\\o.example/a.json", "http://h/"), "http://h/\\o.example/a.json");
        assert_eq!(relative_to_origin("http://o.example\\@h/a.json", "http://h/"), "http://o.example\\@h/a.json");
    }

    type Split<'a> = (&'a str, Option<&'a str>, &'a str, Option<u16>, &'a str, Option<&'a str>, Option<&'a str>);

    /// Scheme, userinfo, host, port, path, query, fragment, as a browser splits them.
    #[test]
    fn splits_http_urls_as_browsers_do() {
        let cases: [(&str, Option<Split<'_>>); 22] = [
            (
                "http://other.example\\@this-site.example/p",
                Some(("http", None, "other.example", None, "/@this-site.example/p", None, None)),
            ),
            ("http://x#@host", Some(("http", None, "x", None, "/", None, Some("@host")))),
            ("http://a@b@c/", Some(("http", Some("a@b"), "c", None, "/", None, None))),
            ("HTTP://EXAMPLE.com:80/", Some(("http", None, "example.com", None, "/", None, None))),
            ("https://h:443", Some(("https", None, "h", None, "/", None, None))),
            ("http://h:8080", Some(("http", None, "h", Some(8080), "/", None, None))),
            ("https://h:80/", Some(("https", None, "h", Some(80), "/", None, None))),
            ("http://h:/p", Some(("http", None, "h", None, "/p", None, None))),
            ("http:\\\\host\\p", Some(("http", None, "host", None, "/p", None, None))),
            ("http:host/p", Some(("http", None, "host", None, "/p", None, None))),
            ("http:///host/p", Some(("http", None, "host", None, "/p", None, None))),
            ("ht\ttp://ho\nst/p\r?q", Some(("http", None, "host", None, "/p", Some("q"), None))),
            (" \u{1}https://h/p \u{0}", Some(("https", None, "h", None, "/p", None, None))),
            ("http://u:p@[::1]:8080/x", Some(("http", Some("u:p"), "[::1]", Some(8080), "/x", None, None))),
            ("http://h/a\\b?c\\d#e\\f", Some(("http", None, "h", None, "/a/b", Some("c\\d"), Some("e\\f")))),
            ("http://h?q#f?g", Some(("http", None, "h", None, "/", Some("q"), Some("f?g")))),
            ("http://", None),
            ("http:///", None),
            ("http://u@/p", None),
            ("http://h:99999/", None),
            ("http://h:8o/", None),
            ("//host/p", None),
        ];
        for (url, want) in cases {
            let got = HttpUrl::parse(url);
            let got = got.as_ref().map(|u| {
                (
                    u.scheme,
                    u.userinfo.as_deref(),
                    u.host.as_str(),
                    u.port,
                    u.path.as_str(),
                    u.query.as_deref(),
                    u.fragment.as_deref(),
                )
            });
            assert_eq!(got, want, "{url:?}");
        }
        for url in ["mailto:a@b.example", "javascript:alert(1)", "/relative", "ftp://h/", "1http://h/"] {
            assert_eq!(HttpUrl::parse(url), None, "{url:?}");
        }
    }

    #[test]
    fn origins_and_credentials_as_browsers_read_them() {
        for (url, origin, credentials) in [
            ("http://other.example\\@this-site.example/p", "http://other.example", false),
            ("http://x#@host", "http://x", false),
            ("http://a@b@c/", "http://c", true),
            ("HTTP://EXAMPLE.com:80/", "http://example.com", false),
            ("https://h:443", "https://h", false),
            ("http://h:8080", "http://h:8080", false),
            ("http://h:0080", "http://h", false),
            ("https://user:pw@h/", "https://h", true),
            ("https://:pw@h/", "https://h", true),
            ("https://@h/", "https://h", false),
            ("https://:@h/", "https://h", false),
        ] {
            let u = HttpUrl::parse(url).unwrap_or_else(|| panic!("{url:?} did not parse"));
            assert_eq!((u.origin().as_str(), u.has_credentials()), (origin, credentials), "{url:?}");
        }
    }

    #[test]
    fn external_is_decided_where_the_browser_goes() {
        let base = Some("http://this-site.example/a/doc.json");
        for (url, want) in [
            ("http://other.example\\@this-site.example/p", true),
            ("http://this-site.example\\@other.example/p", false),
            ("http://x@this-site.example/p", false),
            ("HTTP://THIS-SITE.example:80/p", false),
            ("http://this-site.example:8080/p", true),
            ("https://this-site.example/p", true),
            ("//other.example/p", true),
            ("\\\\other.example\\p", true),
            ("/\\other.example/p", true),
            ("///other.example/p", true),
            ("http:other.example/p", false),
            ("http:\\\\other.example\\p", true),
            ("https:other.example/p", true),
            ("page.html", false),
            ("/p", false),
            ("#x", false),
            ("mailto:a@other.example", false),
        ] {
            assert_eq!(is_external(url, base), want, "{url:?}");
        }
        assert!(is_external("https://x.example/", None));
        assert!(is_external("//x.example/", None));
        assert!(!is_external("x/p", None));
        assert!(!is_external("mailto:a@b", None));
    }

    #[test]
    fn resolves_http_references_as_browsers_do() {
        let base = "http://a/b/c";
        for (r, want) in [
            ("//host/p", "http://host/p"),
            ("\\\\host\\p", "http://host/p"),
            ("/\\host/p", "http://host/p"),
            ("///host/p", "http://host/p"),
            ("http:\\\\host\\p", "http://host/p"),
            ("HTTP://Other.example/x", "http://Other.example/x"),
            ("http:g", "http://a/b/g"),
            ("http:/g", "http://a/g"),
            ("https:host/p", "https://host/p"),
            ("g\\h?x\\y#z\\w", "http://a/b/g/h?x\\y#z\\w"),
            (" \tg\n ", "http://a/b/g"),
            ("mailto:x@y", "mailto:x@y"),
        ] {
            assert_eq!(resolve(base, r), want, "{r:?}");
        }
        assert_eq!(resolve("https://a\\b/c", "d"), "https://a/b/d");
        assert_eq!(resolve("foo://a/b/c", "//a"), "foo://a");
        assert_eq!(resolve("foo://a/b/c", "d\\e"), "foo://a/b/d\\e");
        // What reaches the DOM is written out, so the page's own address cannot redirect it.
        let doc = Some("https://news.example/a/b.json");
        assert_eq!(
            safe_resolved("http:\\\\other.example\\p", UrlKind::Link, doc).as_deref(),
            Some("http://other.example/p")
        );
        assert_eq!(
            safe_resolved("https:other.example", UrlKind::Link, doc).as_deref(),
            Some("https://news.example/a/other.example")
        );
        assert_eq!(
            safe_resolved("https://x.example/A?b", UrlKind::Link, doc).as_deref(),
            Some("https://x.example/A?b")
        );
        assert_eq!(safe_resolved("mailto:d@x.example", UrlKind::Link, doc).as_deref(), Some("mailto:d@x.example"));
    }
}
