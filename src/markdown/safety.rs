//! The safety checker, independent of how a tree was built.

use super::tree::{Attr, Node};
use crate::urls::{safe_url, scheme_of, UrlKind};

/// Checks a tree against the safety rules, independently of how it was built:
/// URLs only with safe schemes, class names and ids from a plain alphabet.
/// Property tests and the XSS corpus run every output through it.
pub fn check_safe(nodes: &[Node]) -> Result<(), String> {
    for n in nodes {
        let Node::Element(e) = n else { continue };
        for (a, v) in &e.attrs {
            let ok = match a {
                Attr::Href => v.starts_with('#') || safe_url(v, UrlKind::Link).as_deref() == Some(v.as_str()),
                Attr::Src => {
                    safe_url(v, UrlKind::Image).as_deref() == Some(v.as_str())
                        && (scheme_of(v).is_some() || !v.starts_with("//"))
                }
                Attr::Class => v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ' '),
                Attr::Id => !v.is_empty() && !v.chars().any(|c| c.is_whitespace() || c.is_control()),
                _ => !v.chars().any(|c| c.is_control() && c != '\n'),
            };
            if !ok {
                return Err(format!("<{} {}={v:?}>", e.tag.as_str(), a.as_str()));
            }
        }
        check_safe(&e.children)?;
    }
    Ok(())
}
