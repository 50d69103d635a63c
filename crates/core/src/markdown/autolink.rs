//! GitHub's extended autolinks in text: bare `https://…`, `http://…`, `www.…`, e-mail
//! addresses and `mailto:` addresses.
//!
//! One pass over the text, left to right; every byte is looked at a bounded number of times
//! (a failed candidate skips the host it scanned, e-mail local parts are scanned back only to
//! the previous `@` or link), so a megabyte of near-misses costs what a megabyte of prose does.
//!
//! Product rules on top of GitHub's: a URL also stops at a non-ASCII character (Korean
//! particles follow URLs directly: `https://example.com에서`), and a bare URL may start after
//! any character that is not a letter or digit.

use super::tree::{push_text, Attr, Element, Node, Tag};
use super::Site;
use crate::urls::{safe_url, UrlKind};

/// Appends `text` to `out`, with the addresses in it as links.
pub(super) fn linkify(text: &str, site: &Site, out: &mut Vec<Node>) {
    let b = text.as_bytes();
    // text[..done] is in `out` already; a link never starts before it.
    let mut done = 0;
    let mut i = 0;
    while i < b.len() {
        let found = match b[i] {
            b'h' | b'w' if at_boundary(text, i) => match url_at(b, i) {
                Ok(end) => Some((i, end, false)),
                Err(skip) => {
                    i = skip.max(i + 1);
                    continue;
                }
            },
            b'@' => email_around(b, done, i),
            _ => None,
        };
        match found {
            Some((start, end, mail)) => {
                push_text(out, &text[done..start]);
                let shown = &text[start..end];
                let href = if mail && !shown.starts_with("mailto:") {
                    ["mailto:", shown].concat()
                } else if shown.starts_with("www.") {
                    ["http://", shown].concat()
                } else {
                    shown.to_string()
                };
                match safe_url(&href, UrlKind::Link) {
                    Some(href) => {
                        let mut a = Element::new(Tag::A).attr(Attr::Href, href.clone());
                        if site.is_external(&href) {
                            a = a.attr(Attr::Rel, "noopener noreferrer").attr(Attr::Target, "_blank");
                        }
                        out.push(a.child(Node::Text(shown.to_string())).into());
                    }
                    None => push_text(out, shown),
                }
                done = end;
                i = end;
            }
            None => i += 1,
        }
    }
    push_text(out, &text[done..]);
}

/// A bare URL may start at the beginning or after anything but a letter or digit
/// (not in the middle of `xhttps://` or `swww.`).
fn at_boundary(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
}

fn is_host_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')
}

/// The end of the URL starting at `i`, or (when there is none) where to look next: past the
/// host that was scanned, since any URL starting inside it would end at the same bad host.
fn url_at(b: &[u8], i: usize) -> Result<usize, usize> {
    let rest = &b[i..];
    let host_start = if rest.starts_with(b"https://") {
        i + 8
    } else if rest.starts_with(b"http://") {
        i + 7
    } else if rest.starts_with(b"www.") {
        i
    } else {
        return Err(i + 1);
    };
    let mut host_end = host_start;
    while host_end < b.len() && is_host_byte(b[host_end]) {
        host_end += 1;
    }
    if !valid_domain(&b[host_start..host_end]) {
        return Err(host_end);
    }
    // The path: anything up to whitespace, `<` or a non-ASCII character.
    let mut end = host_end;
    while end < b.len() && !b[end].is_ascii_whitespace() && b[end] != b'<' && b[end].is_ascii() && b[end] != 0x0B {
        end += 1;
    }
    Ok(trim_end(b, i, end))
}

/// GitHub's valid domain: segments of letters, digits, `_` and `-` separated by periods, at
/// least one period, and no `_` in the last two segments. Trailing periods are punctuation.
fn valid_domain(host: &[u8]) -> bool {
    let mut host = host;
    while let [rest @ .., b'.'] = host {
        host = rest;
    }
    let mut segments = host.rsplit(|&c| c == b'.');
    let (Some(last), Some(second)) = (segments.next(), segments.next()) else { return false };
    !last.is_empty() && !second.is_empty() && !last.contains(&b'_') && !second.contains(&b'_')
}

/// Where a URL in `b[start..end]` really ends: trailing punctuation is left outside, a `)` only
/// when the URL has more `)` than `(`, and `&name;` when it ends like an entity reference.
/// One pass to count the parentheses, one pass back: linear however many there are.
fn trim_end(b: &[u8], start: usize, mut end: usize) -> usize {
    let (mut open, mut close) = (0usize, 0usize);
    for &c in &b[start..end] {
        match c {
            b'(' => open += 1,
            b')' => close += 1,
            _ => {}
        }
    }
    while end > start {
        match b[end - 1] {
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' => end -= 1,
            b')' if close > open => {
                close -= 1;
                end -= 1;
            }
            b';' => {
                let mut j = end - 1;
                while j > start && b[j - 1].is_ascii_alphanumeric() {
                    j -= 1;
                }
                end = if j > start && j < end - 1 && b[j - 1] == b'&' { j - 1 } else { end - 1 };
            }
            _ => break,
        }
    }
    end
}

fn is_local_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-' | b'_')
}

/// The e-mail address around the `@` at `at` (GitHub's rules): a local part of letters,
/// digits, `.`, `+`, `-`, `_`; a domain of letters, digits, `-`, `_` in segments separated by
/// periods, with at least one period and not ending in `-` or `_`. `mailto:` right before it
/// belongs to the link; another scheme (`xmpp:`) means it is not an e-mail address to link.
/// Returns (start, end, true).
fn email_around(b: &[u8], done: usize, at: usize) -> Option<(usize, usize, bool)> {
    let mut start = at;
    while start > done && is_local_byte(b[start - 1]) {
        start -= 1;
    }
    if start == at {
        return None;
    }
    let mut end = at + 1;
    let mut periods = 0;
    while end < b.len() && (b[end].is_ascii_alphanumeric() || matches!(b[end], b'-' | b'_' | b'.')) {
        if b[end] == b'.' {
            // A period must separate two segments.
            if !b.get(end + 1).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_')) {
                break;
            }
            periods += 1;
        }
        end += 1;
    }
    if periods == 0 || end == at + 1 || matches!(b[end - 1], b'-' | b'_') || b[at + 1] == b'.' {
        return None;
    }
    // A scheme right before the local part: at most a short word of letters and a colon.
    if start > done && b[start - 1] == b':' {
        let mut s = start - 1;
        while s > done && start - 1 - s < 7 && b[s - 1].is_ascii_alphabetic() {
            s -= 1;
        }
        let scheme = &b[s..start - 1];
        let word_start = s == 0 || !b[s - 1].is_ascii_alphanumeric();
        if !scheme.is_empty() && word_start {
            return scheme.eq_ignore_ascii_case(b"mailto").then_some((s, end, true));
        }
    }
    Some((start, end, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        linkify(text, &Site::new(None), &mut out);
        out.iter()
            .filter_map(|n| match n {
                Node::Element(e) => {
                    Some((e.get(Attr::Href).unwrap_or("").to_string(), super::super::plain_text(&e.children)))
                }
                Node::Text(_) => None,
            })
            .collect()
    }

    fn one(text: &str) -> Option<String> {
        links(text).into_iter().next().map(|(_, shown)| shown)
    }

    #[test]
    fn trailing_punctuation_and_parentheses() {
        assert_eq!(one("see https://a.com/x)."), Some("https://a.com/x".into()));
        assert_eq!(one("(www.a.com/x_(y))"), Some("www.a.com/x_(y)".into()));
        assert_eq!(one("www.a.com/x_(y)))"), Some("www.a.com/x_(y)".into()));
        assert_eq!(one("https://a.com/&hl;"), Some("https://a.com/".into()));
        assert_eq!(one("https://a.com/a;"), Some("https://a.com/a".into()));
        assert_eq!(one("https://a.com/&;"), Some("https://a.com/&".into()));
        let closing = format!("https://a.com/{}", ")".repeat(100_000));
        assert_eq!(one(&closing), Some("https://a.com/".into()));
    }

    #[test]
    fn domains() {
        assert_eq!(one("www.a.com."), Some("www.a.com".into()));
        assert_eq!(one("www. http://x"), None);
        assert_eq!(one("http://a_b.c.d"), Some("http://a_b.c.d".into()));
        assert_eq!(one("http://a.b_c.d"), None);
        assert_eq!(one("http://localhost:8080"), None);
        assert_eq!(one("xwww.a.com"), None);
        assert_eq!(one("https://example.com에서"), Some("https://example.com".into()));
    }

    #[test]
    fn emails() {
        assert_eq!(links("foo@bar.baz"), vec![("mailto:foo@bar.baz".into(), "foo@bar.baz".into())]);
        assert_eq!(one("hello+xyz@mail.example"), Some("hello+xyz@mail.example".into()));
        assert_eq!(one("hello@mail+xyz.example"), None);
        assert_eq!(one("a.b-c_d@a.b."), Some("a.b-c_d@a.b".into()));
        assert_eq!(one("a.b-c_d@a.b-"), None);
        assert_eq!(one("a.b-c_d@a.b_"), None);
        assert_eq!(one("문의:desk@news.example"), Some("desk@news.example".into()));
        assert_eq!(links("mailto:a@b.c"), vec![("mailto:a@b.c".into(), "mailto:a@b.c".into())]);
        assert_eq!(one("xmpp:a@b.c"), None);
        assert_eq!(one("a@b@c.d"), Some("b@c.d".into()));
    }
}
