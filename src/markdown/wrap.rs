//! `<wbr>` break opportunities in long unbroken runs of text.

use super::tree::{Element, Node, Tag};
use super::LONG_RUN;

/// Plain text (a title, a summary) as nodes, with `<wbr>` in very long unbroken runs.
pub fn breakable(text: &str) -> Vec<Node> {
    let mut out = Vec::new();
    if text.len() > LONG_RUN && has_long_run(text) {
        split_long_runs(text, &mut out);
    } else {
        out.push(Node::Text(text.to_string()));
    }
    out
}

/// Inserts `<wbr>` into very long unbroken runs of text, outside code blocks.
pub(super) fn break_long_runs(nodes: &mut Vec<Node>) {
    let needs = nodes.iter().any(|n| match n {
        Node::Text(t) => t.len() > LONG_RUN && has_long_run(t),
        Node::Element(_) => true,
    });
    if !needs {
        return;
    }
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes.drain(..) {
        match node {
            Node::Text(t) if t.len() > LONG_RUN && has_long_run(&t) => split_long_runs(&t, &mut out),
            Node::Element(mut e) => {
                if e.tag != Tag::Pre {
                    break_long_runs(&mut e.children);
                }
                out.push(Node::Element(e));
            }
            other => out.push(other),
        }
    }
    *nodes = out;
}

fn has_long_run(t: &str) -> bool {
    let mut run = 0;
    for c in t.chars() {
        run = if c.is_whitespace() { 0 } else { run + 1 };
        if run > LONG_RUN {
            return true;
        }
    }
    false
}

fn split_long_runs(t: &str, out: &mut Vec<Node>) {
    let mut start = 0;
    let mut run = 0;
    for (i, c) in t.char_indices() {
        run = if c.is_whitespace() { 0 } else { run + 1 };
        if run > LONG_RUN {
            out.push(Node::Text(t[start..i].to_string()));
            out.push(Element::new(Tag::Wbr).into());
            start = i;
            run = 1;
        }
    }
    out.push(Node::Text(t[start..].to_string()));
}
