//! Text direction per block, worked out here instead of with `dir="auto"`.
//!
//! The result is what `dir="auto"` on every paragraph, heading, list item and table cell gives
//! (HTML: the first strong character of the element's text, not counting descendants that
//! decide their own), but computed once: Chromium recomputes an auto-direction element on
//! every child inserted into it, which made a paragraph of 40,000 links take 12 s to insert.
//! Only blocks whose direction differs from the one they inherit get a `dir`: in the viewer's
//! left-to-right page, that is an Arabic or Hebrew block, or a left-to-right one inside it.

use super::tree::{Attr, Node, Tag};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Ltr,
    Rtl,
}

/// The blocks that find their own direction (those that had `dir="auto"`).
fn decides(tag: Tag) -> bool {
    matches!(tag, Tag::P | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 | Tag::Li | Tag::Th | Tag::Td)
}

/// Bidi class R or AL (approximated by script blocks: Hebrew, Arabic, Syriac, Thaana, N'Ko,
/// Samaritan, Mandaic, their presentation forms and the right-to-left scripts of plane 1),
/// or L (any other letter). Digits, punctuation and symbols are not strong.
fn strong(c: char) -> Option<Dir> {
    if !c.is_alphabetic() {
        return None;
    }
    let rtl =
        matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF);
    Some(if rtl { Dir::Rtl } else { Dir::Ltr })
}

/// The direction of the first strong character in `nodes`, skipping blocks that decide their
/// own. Each character is looked at by one block only (its nearest deciding ancestor).
fn first_strong(nodes: &[Node]) -> Option<Dir> {
    for n in nodes {
        let found = match n {
            Node::Text(t) => t.chars().find_map(strong),
            Node::Element(e) if decides(e.tag) => None,
            Node::Element(e) => first_strong(&e.children),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Sets `dir` where a block's direction differs from its parent's; the page is left to right.
pub(super) fn set_directions(nodes: &mut [Node]) {
    walk(nodes, Dir::Ltr);
}

fn walk(nodes: &mut [Node], inherited: Dir) {
    for n in nodes {
        let Node::Element(e) = n else { continue };
        let mut dir = inherited;
        if decides(e.tag) {
            dir = first_strong(&e.children).unwrap_or(Dir::Ltr);
            if dir != inherited {
                e.attrs.push((Attr::Dir, if dir == Dir::Rtl { "rtl" } else { "ltr" }.into()));
            }
        }
        walk(&mut e.children, dir);
    }
}
