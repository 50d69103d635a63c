//! GitHub's extended autolinks in text.

use super::tree::{push_text, Attr, Element, Node, Tag};
use super::RenderOptions;
use crate::urls::{is_external, safe_url, UrlKind};

/// GitHub's extended autolinks: bare `https://…`, `http://…` and `www.…` in text.
/// A URL stops at whitespace, `<`, or a non-ASCII character (Korean particles follow URLs
/// directly: `https://example.com에서`), and trailing punctuation is left outside.
pub(super) fn linkify(text: &str, opts: &RenderOptions) -> Vec<Node> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = find_url_start(rest) {
        let tail = &rest[start..];
        let mut end = tail
            .find(|c: char| c.is_whitespace() || c == '<' || !c.is_ascii())
            .unwrap_or(tail.len());
        let mut url = &tail[..end];
        loop {
            let trimmed = url.trim_end_matches(['.', ',', ':', ';', '!', '?', '\'', '"', '*', '_', '~']);
            let trimmed = if trimmed.ends_with(')') && trimmed.matches(')').count() > trimmed.matches('(').count() {
                &trimmed[..trimmed.len() - 1]
            } else {
                trimmed
            };
            if trimmed.len() == url.len() {
                break;
            }
            url = trimmed;
        }
        end = url.len();
        let href = if url.starts_with("www.") { format!("http://{url}") } else { url.to_string() };
        let has_host = url.split("//").nth(1).unwrap_or(url).trim_start_matches("www.").contains('.');
        match safe_url(&href, UrlKind::Link) {
            Some(href) if has_host => {
                push_text(&mut out, &rest[..start]);
                let mut a = Element::new(Tag::A).attr(Attr::Href, href.clone());
                if is_external(&href, opts.base.as_deref()) {
                    a = a.attr(Attr::Rel, "noopener noreferrer").attr(Attr::Target, "_blank");
                }
                out.push(a.child(Node::Text(url.to_string())).into());
            }
            _ => push_text(&mut out, &rest[..start + end.max(1)]),
        }
        rest = &tail[end.max(1)..];
    }
    push_text(&mut out, rest);
    out
}

fn find_url_start(s: &str) -> Option<usize> {
    let mut from = 0;
    while from < s.len() {
        let rel = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| s[from..].find(p))
            .min()?;
        let i = from + rel;
        // Only at a word boundary: not in the middle of `xhttps://` or `swww.`.
        let boundary = s[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        if boundary {
            return Some(i);
        }
        from = i + 1;
        while !s.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}
