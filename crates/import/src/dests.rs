//! The link and image destinations of a Markdown body, found with the viewer's own parser and
//! located in the text as written, so that each can be replaced without touching the rest
//! (the links between posts and the pictures an import rewrites).

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options as MdOptions, Parser, Tag};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `![alt](dest)`.
    Image,
    /// `[text](dest)`.
    Link,
    /// `<https://…>`: the whole `<…>` is replaced by `[address](new)`.
    Autolink,
    /// `[label]: dest`, used by links and images alike.
    Definition,
}

/// One destination: what the parser read, and where it is written (`at`: the bytes to replace,
/// angle brackets included; for an autolink, the whole `<…>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dest {
    pub url: String,
    pub role: Role,
    pub at: Range<usize>,
}

/// Every inline link, image, autolink and reference definition of `body`, in one pass. A
/// destination whose written form cannot be told apart from its neighbours (a title holding
/// `](`, entities in the address) is left out: it is then never rewritten.
pub fn find(body: &str) -> Vec<Dest> {
    let parser = Parser::new_ext(body, MdOptions::all());
    let mut out: Vec<Dest> = parser
        .reference_definitions()
        .iter()
        .filter_map(|(_, d)| {
            let span = d.span.clone();
            let slice = body.get(span.clone())?;
            let from = slice.find("]:")? + 2;
            let at = written(body, span.start + from, span.end, &d.dest)?;
            Some(Dest { url: d.dest.to_string(), role: Role::Definition, at })
        })
        .collect();
    for (event, span) in parser.into_offset_iter() {
        let (url, role, link_type) = match event {
            Event::Start(Tag::Image { dest_url, link_type, .. }) => (dest_url, Role::Image, link_type),
            Event::Start(Tag::Link { dest_url, link_type, .. }) => (dest_url, Role::Link, link_type),
            _ => continue,
        };
        match link_type {
            LinkType::Inline => {
                let Some(slice) = body.get(span.clone()) else { continue };
                let Some(from) = slice.rfind("](") else { continue };
                if let Some(at) = written(body, span.start + from + 2, span.end, &url) {
                    out.push(Dest { url: url.to_string(), role, at });
                }
            }
            LinkType::Autolink if role == Role::Link => {
                out.push(Dest { url: url.to_string(), role: Role::Autolink, at: span });
            }
            _ => {}
        }
    }
    out.sort_by_key(|d| d.at.start);
    out
}

/// The written destination starting at `from` (after blanks) and before `end`, if it reads
/// as `url`: `<…>` up to its unescaped `>`, else up to a blank or an unbalanced `)`.
fn written(body: &str, from: usize, end: usize, url: &str) -> Option<Range<usize>> {
    let text = body.get(from..end)?;
    let skipped = text.len() - text.trim_start().len();
    let start = from + skipped;
    let rest = &body[start..end];
    let len = if rest.starts_with('<') {
        let mut escaped = false;
        let close = rest.char_indices().skip(1).find(|&(_, c)| {
            let hit = c == '>' && !escaped;
            escaped = c == '\\' && !escaped;
            hit
        })?;
        close.0 + 1
    } else {
        let mut depth = 0usize;
        let mut escaped = false;
        let mut len = rest.len();
        for (i, c) in rest.char_indices() {
            if !escaped && (c.is_whitespace() || (c == ')' && depth == 0)) {
                len = i;
                break;
            }
            if !escaped && c == '(' {
                depth += 1;
            } else if !escaped && c == ')' {
                depth -= 1;
            }
            escaped = c == '\\' && !escaped;
        }
        len
    };
    let raw = &rest[..len];
    let inner = raw.strip_prefix('<').and_then(|r| r.strip_suffix('>')).unwrap_or(raw);
    (unescape(inner) == url).then_some(start..start + len)
}

/// Backslash escapes of ASCII punctuation removed (CommonMark).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// `body` with each range replaced (ranges in order, none overlapping an earlier one).
pub fn apply(body: &str, edits: &[(Range<usize>, String)]) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut at = 0;
    for (range, text) in edits {
        if range.start < at || range.end > body.len() {
            continue;
        }
        out.push_str(&body[at..range.start]);
        out.push_str(text);
        at = range.end;
    }
    out.push_str(&body[at..]);
    out
}

/// A path written as a destination: characters that would end it, or change what it means,
/// percent-encoded.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' | ' ' | '(' | ')' | '<' | '>' | '"' | '\'' | '?' | '#' | '\\' | '[' | ']' | '`' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c if c.is_control() || c.is_whitespace() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` safe as a link's text.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '/' | ':' | '.' | '-' | '?' | '=' | '&' | '%' | '#' | ',') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_destination_where_it_is_written() {
        let body = "[a](/x/ \"t\") ![b](<my pic.png>) [c][r] <https://o.example/y/> `[d](/z/)`\n\n\
                    [![i](/i.png)](/big.png)\n\n[r]: https://o.example/r/ \"title\"\n";
        let found = find(body);
        let got: Vec<(&str, Role, &str)> =
            found.iter().map(|d| (d.url.as_str(), d.role, &body[d.at.clone()])).collect();
        assert_eq!(
            got,
            [
                ("/x/", Role::Link, "/x/"),
                ("my pic.png", Role::Image, "<my pic.png>"),
                ("https://o.example/y/", Role::Autolink, "<https://o.example/y/>"),
                ("/i.png", Role::Image, "/i.png"),
                ("/big.png", Role::Link, "/big.png"),
                ("https://o.example/r/", Role::Definition, "https://o.example/r/"),
            ]
        );
        let edits: Vec<_> = found.iter().map(|d| (d.at.clone(), "N".to_string())).collect();
        assert_eq!(apply(body, &edits).matches('N').count(), 6);
    }

    #[test]
    fn parentheses_and_escapes_in_a_destination() {
        let body = "[a](/wiki/A_(b)) [c](/q\\)x)";
        let got: Vec<String> = find(body).iter().map(|d| body[d.at.clone()].to_string()).collect();
        assert_eq!(got, ["/wiki/A_(b)", "/q\\)x"]);
    }

    #[test]
    fn a_million_links_are_found_in_one_pass() {
        let body = "[a](/p/) ".repeat(200_000);
        let t = std::time::Instant::now();
        assert_eq!(find(&body).len(), 200_000);
        assert!(t.elapsed().as_secs() < 10);
    }
}
