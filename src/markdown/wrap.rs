//! Help for the browser's layout: `<wbr>` break opportunities in long unbroken runs of text,
//! and long bodies in chunks it may skip laying out until they come near the screen.

use super::tree::{push_node, push_text, Attr, Element, Node, Tag};
use super::LONG_RUN;

/// Plain text (a title, a summary) as nodes, with `<wbr>` in very long unbroken runs.
pub fn breakable(text: &str) -> Vec<Node> {
    let mut out = Vec::new();
    push_broken(text.to_string(), &mut out);
    out
}

/// Inserts `<wbr>` into very long unbroken runs of text, outside code blocks. Each text is
/// scanned once, and a list of nodes is rebuilt only from its first text that needs breaks.
pub(super) fn break_long_runs(nodes: &mut Vec<Node>) {
    let mut first = None;
    for (i, node) in nodes.iter_mut().enumerate() {
        match node {
            Node::Element(e) if e.tag != Tag::Pre => break_long_runs(&mut e.children),
            Node::Text(t) if t.len() > LONG_RUN => {
                let breaks = long_run_breaks(t);
                if !breaks.is_empty() {
                    first = Some((i, breaks));
                    break;
                }
            }
            _ => {}
        }
    }
    let Some((i, breaks)) = first else { return };
    let rest: Vec<Node> = nodes.drain(i..).collect();
    let mut rest = rest.into_iter();
    if let Some(Node::Text(t)) = rest.next() {
        split_at(&t, &breaks, nodes);
    }
    for node in rest {
        match node {
            Node::Element(mut e) => {
                if e.tag != Tag::Pre {
                    break_long_runs(&mut e.children);
                }
                nodes.push(Node::Element(e));
            }
            Node::Text(t) => push_broken(t, nodes),
        }
    }
}

fn push_broken(t: String, out: &mut Vec<Node>) {
    let breaks = if t.len() > LONG_RUN { long_run_breaks(&t) } else { Vec::new() };
    if breaks.is_empty() {
        out.push(Node::Text(t));
    } else {
        split_at(&t, &breaks, out);
    }
}

/// Where `<wbr>` goes in `t`: before every character that would make a run of more than
/// LONG_RUN characters without whitespace. Reads bytes; only a multi-byte character that
/// could be whitespace (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000) is decoded.
fn long_run_breaks(t: &str) -> Vec<usize> {
    let b = t.as_bytes();
    let mut breaks = Vec::new();
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let (space, len) = match c {
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => (true, 1),
            0..=0x7F => (false, 1),
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let ch = t[i..].chars().next().unwrap_or('x');
                (ch.is_whitespace(), ch.len_utf8())
            }
            0xF0.. => (false, 4),
            0xE0.. => (false, 3),
            _ => (false, 2),
        };
        if space {
            run = 0;
        } else {
            run += 1;
            if run > LONG_RUN {
                breaks.push(i);
                run = 1;
            }
        }
        i += len;
    }
    breaks
}

fn split_at(t: &str, breaks: &[usize], out: &mut Vec<Node>) {
    let mut start = 0;
    for &i in breaks {
        out.push(Node::Text(t[start..i].to_string()));
        out.push(Element::new(Tag::Wbr).into());
        start = i;
    }
    out.push(Node::Text(t[start..].to_string()));
}

/// About this much text goes in one chunk of a long body, and at most this many blocks.
const CHUNK_BYTES: usize = 8 * 1024;
const CHUNK_BLOCKS: usize = 64;

/// A long body's top-level blocks in chunks (`<div class="av-chunk">`) that the stylesheet
/// gives `content-visibility: auto`: the browser lays out and paints only the chunks near the
/// screen, so a 5 MB article lays out in the time of a few screens, and a megabyte of tiny
/// blocks (262,144 headings) does not take seconds of layout. A list too long for one chunk
/// is cut into consecutive lists (`av-split` on all but the last, numbering continued), and so
/// is the footnote list, and a paragraph longer than a chunk. A body shorter than two chunks is
/// left as it is.
pub(super) fn chunk(nodes: Vec<Node>) -> Vec<Node> {
    let weights: Vec<usize> = nodes.iter().map(weight).collect();
    if weights.iter().sum::<usize>() < 2 * CHUNK_BYTES && nodes.len() <= CHUNK_BLOCKS {
        return nodes;
    }
    let mut chunks = Chunks::default();
    for (node, w) in nodes.into_iter().zip(weights) {
        match node {
            Node::Element(e) if matches!(e.tag, Tag::Ul | Tag::Ol) && e.children.len() > CHUNK_BLOCKS => {
                for piece in split_list(e) {
                    let w = weight(&piece);
                    chunks.push(piece, w);
                }
            }
            Node::Element(mut e) if e.get(Attr::Class) == Some("av-footnotes") => {
                // The notes' list, cut like any list, in chunks of its own after the rule.
                chunks.flush();
                let list = e.children.pop();
                let mut inner = Chunks::default();
                if let Some(Node::Element(list)) = list {
                    for piece in split_list(list) {
                        let w = weight(&piece);
                        inner.push(piece, w);
                    }
                }
                inner.flush();
                e.children.extend(inner.done);
                chunks.done.push(e.into());
            }
            Node::Element(e) if e.tag == Tag::P && w > CHUNK_BYTES => {
                for piece in split_paragraph(e) {
                    let w = weight(&piece);
                    chunks.push(piece, w);
                }
            }
            node => chunks.push(node, w),
        }
    }
    chunks.flush();
    chunks.done
}

/// `av-split` added to an element's classes.
fn mark_split(e: &mut Element) {
    match e.attrs.iter_mut().find(|(a, _)| *a == Attr::Class) {
        Some((_, v)) => v.push_str(" av-split"),
        None => e.attrs.push((Attr::Class, "av-split".into())),
    }
}

/// A paragraph longer than a chunk (a megabyte of links or emphasis on one line) as
/// consecutive paragraphs of about a chunk each, cut between its inline parts or at a space
/// in its text; all but the last are `av-split`, so only a line break shows where it was cut.
fn split_paragraph(p: Element) -> Vec<Node> {
    let Element { tag, attrs, children } = p;
    let mut pieces: Vec<Vec<Node>> = vec![Vec::new()];
    let mut w = 0;
    for child in children {
        match child {
            Node::Text(t) if w + t.len() > CHUNK_BYTES => {
                let mut rest = t.as_str();
                loop {
                    let room = CHUNK_BYTES.saturating_sub(w);
                    // A space at or after the room left (ASCII bytes are never inside a character).
                    let cut = rest.as_bytes().get(room..).and_then(|b| b.iter().position(u8::is_ascii_whitespace)).map(|i| room + i);
                    let Some(cut) = cut.filter(|&c| c > 0) else {
                        push_text(pieces.last_mut().expect("a piece"), rest);
                        w += rest.len();
                        break;
                    };
                    push_text(pieces.last_mut().expect("a piece"), &rest[..cut]);
                    pieces.push(Vec::new());
                    w = 0;
                    rest = &rest[cut..];
                }
            }
            child => {
                let cw = weight(&child);
                if w > 0 && w + cw > CHUNK_BYTES {
                    pieces.push(Vec::new());
                    w = 0;
                }
                push_node(pieces.last_mut().expect("a piece"), child);
                w += cw;
            }
        }
    }
    let last = pieces.len() - 1;
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, children)| {
            let mut piece = Element { tag, attrs: attrs.clone(), children };
            if i < last {
                mark_split(&mut piece);
            }
            piece.into()
        })
        .collect()
}

#[derive(Default)]
struct Chunks {
    done: Vec<Node>,
    open: Vec<Node>,
    weight: usize,
}

impl Chunks {
    fn push(&mut self, node: Node, weight: usize) {
        if !self.open.is_empty() && (self.weight + weight > CHUNK_BYTES || self.open.len() >= CHUNK_BLOCKS) {
            self.flush();
        }
        self.open.push(node);
        self.weight += weight;
    }

    fn flush(&mut self) {
        if !self.open.is_empty() {
            let mut chunk = Element::new(Tag::Div).attr(Attr::Class, "av-chunk");
            chunk.children = std::mem::take(&mut self.open);
            self.done.push(chunk.into());
            self.weight = 0;
        }
    }
}

/// What a node costs to lay out, roughly: its text, and a little per element.
fn weight(node: &Node) -> usize {
    match node {
        Node::Text(t) => t.len(),
        Node::Element(e) => 16 + e.children.iter().map(weight).sum::<usize>(),
    }
}

/// A list as consecutive lists of at most a chunk each; an ordered list's numbers continue.
fn split_list(list: Element) -> Vec<Node> {
    let Element { tag, attrs, children } = list;
    let start: usize = attrs.iter().find(|(a, _)| *a == Attr::Start).and_then(|(_, v)| v.parse().ok()).unwrap_or(1);
    let mut pieces: Vec<Element> = Vec::new();
    let mut weight_so_far = CHUNK_BYTES;
    let mut index = 0;
    for item in children {
        let w = weight(&item);
        if weight_so_far + w > CHUNK_BYTES || pieces.last().is_some_and(|p| p.children.len() >= CHUNK_BLOCKS) {
            let mut piece = Element { tag, attrs: attrs.iter().filter(|(a, _)| *a != Attr::Start).cloned().collect(), children: Vec::new() };
            if tag == Tag::Ol && start + index != 1 {
                piece.attrs.push((Attr::Start, (start + index).to_string()));
            }
            pieces.push(piece);
            weight_so_far = 0;
        }
        weight_so_far += w;
        index += 1;
        if let Some(p) = pieces.last_mut() {
            p.children.push(item);
        }
    }
    let last = pieces.len().saturating_sub(1);
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, mut p)| {
            if i < last {
                mark_split(&mut p);
            }
            p.into()
        })
        .collect()
}
