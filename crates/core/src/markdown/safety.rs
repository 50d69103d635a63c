//! The safety checker, independent of how a tree was built.

use std::collections::HashSet;

use super::tree::{Attr, Node};
use crate::urls::{safe_url, scheme_of, UrlKind};

/// Characters a class name may hold: none that HTML or CSS attribute syntax gives a meaning
/// (quotes, `<`, `>`, `&`, `=`, backtick, backslash), no whitespace, no control characters.
/// Letters of any script are fine (`language-föö`), and so is other punctuation
/// (`language-c++`): a class is only ever a name to match against.
pub(super) fn is_class_char(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !matches!(c, '"' | '\'' | '<' | '>' | '&' | '=' | '`' | '\\')
}

/// Checks a tree against the safety rules, independently of how it was built:
/// URLs only with safe schemes, class names and ids from a plain alphabet, ids unique.
/// Property tests and the XSS corpus run every output through it.
pub fn check_safe(nodes: &[Node]) -> Result<(), String> {
    check(nodes, &mut HashSet::new())
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn check<'a>(nodes: &'a [Node], ids: &mut HashSet<&'a str>) -> Result<(), String> {
    for n in nodes {
        let Node::Element(e) = n else { continue };
        for (a, v) in &e.attrs {
            let ok = match a {
                // Empty: this page (`[a]()`); `#…`: a place in it.
                Attr::Href => {
                    v.is_empty() || v.starts_with('#') || safe_url(v, UrlKind::Link).as_deref() == Some(v.as_str())
                }
                Attr::Src => {
                    safe_url(v, UrlKind::Image).as_deref() == Some(v.as_str())
                        && (scheme_of(v).is_some() || !v.starts_with("//"))
                }
                Attr::Srcset => v.split(", ").all(|c| {
                    c.split_once(' ').is_some_and(|(u, w)| {
                        safe_url(u, UrlKind::Image).as_deref() == Some(u) && w.strip_suffix('w').is_some_and(is_number)
                    })
                }),
                Attr::Class => v.split(' ').all(|name| !name.is_empty() && name.chars().all(is_class_char)),
                Attr::Id => !v.is_empty() && !v.chars().any(|c| c.is_whitespace() || c.is_control()) && ids.insert(v),
                _ => !v.chars().any(|c| c.is_control() && c != '\n'),
            };
            if !ok {
                return Err(format!("<{} {}={v:?}>", e.tag.as_str(), a.as_str()));
            }
        }
        check(&e.children, ids)?;
    }
    Ok(())
}
