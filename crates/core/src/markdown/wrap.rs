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
/// A list with more items than this, or a paragraph with more inline elements, is cut into
/// pieces of at most PIECE_ITEMS children and about PIECE_BYTES of text; so is a paragraph or
/// a code block with more than PIECE_BYTES of text (a code block between lines).
const SPLIT_ITEMS: usize = 1024;
const PIECE_ITEMS: usize = 256;
const PIECE_BYTES: usize = 16 * 1024;

/// A long body's top-level blocks in chunks (`<div class="av-chunk">`) that the stylesheet
/// gives `content-visibility: auto`: the browser lays out and paints only the chunks near the
/// screen, so a 5 MB article lays out in the time of a few screens, and a megabyte of tiny
/// blocks (262,144 headings) does not take seconds of layout. A list with more than 1,024
/// items (the footnote list too), a paragraph with more than 1,024 links, emphases and the
/// like or more than 16 KB of text, and a code block of more than 16 KB are cut into
/// consecutive ones (`av-split` on all but the last, `av-cont` on all but the first; an ordered
/// list's numbering continues; a paragraph is cut between its parts or at a space, a code block
/// after a line). A long footnote list's later pieces come after its section (which keeps the
/// first, and the landmark), so that they too are drawn and laid out a chunk at a time. A body
/// shorter than two chunks is left as it is.
pub(super) fn chunk(nodes: Vec<Node>) -> Vec<Node> {
    if nodes.len() <= CHUNK_BLOCKS && nodes.iter().map(weight).sum::<usize>() < 2 * CHUNK_BYTES {
        return nodes;
    }
    let mut blocks = Vec::with_capacity(nodes.len());
    for node in nodes {
        match node {
            Node::Element(mut e) if e.get(Attr::Class) == Some("av-footnotes") => {
                // The notes' list, cut like any list: the first piece in the section, after
                // the rule; the others in blocks that look the same, after it.
                let Some(Node::Element(list)) = e.children.pop() else {
                    blocks.push(e.into());
                    continue;
                };
                let mut pieces = split(list).into_iter();
                e.children.extend(pieces.next());
                blocks.push(e.into());
                blocks.extend(
                    pieces.map(|p| Element::new(Tag::Div).attr(Attr::Class, "av-footnotes av-cont").child(p).into()),
                );
            }
            Node::Element(e) if matches!(e.tag, Tag::Ul | Tag::Ol | Tag::P) => blocks.extend(split(e)),
            Node::Element(e) if e.tag == Tag::Pre => blocks.extend(split_code(e)),
            Node::Element(e) if e.get(Attr::Class) == Some("av-table-wrap") => blocks.extend(split_table(e)),
            node => blocks.push(node),
        }
    }
    chunks(blocks)
}

/// True for a chunk of a long body (what [`chunk`] makes).
pub fn is_chunk(node: &Node) -> bool {
    matches!(node, Node::Element(e) if e.tag == Tag::Div && e.get(Attr::Class) == Some("av-chunk"))
}

/// Blocks in `av-chunk` divs.
fn chunks(blocks: Vec<Node>) -> Vec<Node> {
    groups(blocks, Element::new(Tag::Div).attr(Attr::Class, "av-chunk"), CHUNK_BYTES, CHUNK_BLOCKS)
}

/// Nodes in copies of `template` of about `bytes` of text and at most `count` nodes each, in
/// order; in a paragraph, a text longer than what is left of a piece is cut at a space.
fn groups(nodes: Vec<Node>, template: Element, bytes: usize, count: usize) -> Vec<Node> {
    // A paragraph's text is cut after a space, a code block's after a line end.
    let cut_at: Option<fn(&u8) -> bool> = match template.tag {
        Tag::P => Some(u8::is_ascii_whitespace),
        Tag::Code => Some(|b| *b == b'\n'),
        _ => None,
    };
    let mut out: Vec<Node> = Vec::new();
    let mut open = template.clone();
    let mut w = 0;
    for node in nodes {
        let node_weight = weight(&node);
        if let (Some(cut_at), Node::Text(t)) = (cut_at, &node) {
            let mut rest = t.as_str();
            // A space or line end at or after the room left (ASCII bytes are never inside a
            // character), the text before it in this piece.
            while let Some(cut) = rest
                .as_bytes()
                .get(bytes.saturating_sub(w)..)
                .and_then(|b| b.iter().position(cut_at))
                .map(|i| bytes.saturating_sub(w) + i + 1)
                .filter(|&c| c < rest.len())
            {
                push_text(&mut open.children, &rest[..cut]);
                out.push(std::mem::replace(&mut open, template.clone()).into());
                w = 0;
                rest = &rest[cut..];
            }
            push_text(&mut open.children, rest);
            w += rest.len();
            continue;
        }
        if !open.children.is_empty() && (w + node_weight > bytes || open.children.len() >= count) {
            out.push(std::mem::replace(&mut open, template.clone()).into());
            w = 0;
        }
        push_node(&mut open.children, node);
        w += node_weight;
    }
    out.push(open.into());
    out
}

/// What a node costs to lay out, roughly: its text, and a little per element.
fn weight(node: &Node) -> usize {
    match node {
        Node::Text(t) => t.len(),
        Node::Element(e) => 16 + e.children.iter().map(weight).sum::<usize>(),
    }
}

/// A table (in its scrolling wrapper) with more than SPLIT_ITEMS body rows, as consecutive
/// tables of at most PIECE_ITEMS rows, each with the header row again (so every piece reads as
/// a table of its own), marked as [`mark_piece`] does. Anything smaller is returned as it is.
fn split_table(mut wrap: Element) -> Vec<Node> {
    let rows = |e: &Element| match e.children.last() {
        Some(Node::Element(body)) if body.tag == Tag::Tbody => body.children.len(),
        _ => 0,
    };
    let Some(Node::Element(table)) = wrap.children.first() else { return vec![wrap.into()] };
    if rows(table) <= SPLIT_ITEMS {
        return vec![wrap.into()];
    }
    let Some(Node::Element(mut table)) = wrap.children.pop() else { return vec![wrap.into()] };
    let Some(Node::Element(body)) = table.children.pop() else { return vec![] };
    let head = table.children.pop();
    let pieces = groups(
        body.children,
        Element { tag: Tag::Tbody, attrs: body.attrs, children: Vec::new() },
        PIECE_BYTES,
        PIECE_ITEMS,
    );
    let last = pieces.len().saturating_sub(1);
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, rows)| {
            let mut t =
                Element { tag: table.tag, attrs: table.attrs.clone(), children: head.iter().cloned().collect() };
            t.children.push(rows);
            let mut w = Element { tag: wrap.tag, attrs: wrap.attrs.clone(), children: vec![t.into()] };
            mark_piece(&mut w, i, last);
            w.into()
        })
        .collect()
}

/// A list with more than SPLIT_ITEMS items, or a paragraph with more than SPLIT_ITEMS inline
/// elements, as consecutive ones: all but the last get `av-split`, an ordered list's numbers
/// continue. Anything smaller is returned as it is.
fn split(e: Element) -> Vec<Node> {
    let items = match e.tag {
        Tag::P => e.children.iter().filter(|n| matches!(n, Node::Element(c) if c.tag != Tag::Wbr)).count(),
        _ => e.children.len(),
    };
    let long_text = e.tag == Tag::P && e.children.iter().map(weight).sum::<usize>() > PIECE_BYTES;
    if items <= SPLIT_ITEMS && !long_text {
        return vec![e.into()];
    }
    let mut next = e.get(Attr::Start).map_or(1, |v| {
        v.bytes().fold(0usize, |n, d| n.saturating_mul(10).saturating_add(usize::from(d.wrapping_sub(b'0'))))
    });
    let template = Element {
        tag: e.tag,
        attrs: e.attrs.into_iter().filter(|(a, _)| *a != Attr::Start).collect(),
        children: Vec::new(),
    };
    let mut pieces = groups(e.children, template, PIECE_BYTES, PIECE_ITEMS);
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.iter_mut().enumerate() {
        let Node::Element(piece) = piece else { continue };
        if piece.tag == Tag::Ol && next != 1 {
            piece.attrs.push((Attr::Start, next.to_string()));
        }
        next += piece.children.len();
        mark_piece(piece, i, last);
    }
    pieces
}

/// `av-split` on every piece but the last, `av-cont` on every piece but the first.
fn mark_piece(piece: &mut Element, i: usize, last: usize) {
    for (on, class) in [(i < last, "av-split"), (i > 0, "av-cont")] {
        if !on {
            continue;
        }
        match piece.attrs.iter_mut().find(|(a, _)| *a == Attr::Class) {
            Some((_, v)) => {
                v.push(' ');
                v.push_str(class);
            }
            None => piece.attrs.push((Attr::Class, class.into())),
        }
    }
}

/// A code block (`<pre><code>`) of more than PIECE_BYTES of text, as consecutive ones of
/// about PIECE_BYTES each, cut after a line end (the stylesheet joins them into one box).
/// Anything smaller is returned as it is.
fn split_code(mut pre: Element) -> Vec<Node> {
    match pre.children.as_slice() {
        [Node::Element(code)]
            if code.tag == Tag::Code && code.children.iter().map(weight).sum::<usize>() > PIECE_BYTES => {}
        _ => return vec![pre.into()],
    }
    let Some(Node::Element(code)) = pre.children.pop() else { return vec![] };
    let template = Element { tag: Tag::Code, attrs: code.attrs, children: Vec::new() };
    let pieces = groups(code.children, template, PIECE_BYTES, usize::MAX);
    let last = pieces.len() - 1;
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, piece)| {
            let mut p = Element { tag: Tag::Pre, attrs: pre.attrs.clone(), children: vec![piece] };
            mark_piece(&mut p, i, last);
            p.into()
        })
        .collect()
}
