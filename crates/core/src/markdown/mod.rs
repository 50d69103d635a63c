//! Markdown → a safe view tree: a closed set of tags and attributes that the UI turns into
//! DOM nodes one by one, so untrusted Markdown never reaches the DOM as an HTML string.
//!
//! One file per job: `tree` (the node types), `builder` (pulldown-cmark events → tree, ids,
//! footnotes), `blocks` (figures, callouts, tables), `autolink` (bare URLs and e-mail
//! addresses in text), `wrap` (`<wbr>` in long runs), `direction` (each block's text
//! direction) and `safety` (the independent checker).

mod autolink;
mod blocks;
mod builder;
mod direction;
pub mod outline;
pub mod pictures;
mod safety;
mod tree;
mod wrap;

use pulldown_cmark::{Options, Parser};

use crate::i18n::Lang;
use crate::urls::{is_http, origin_of};

pub use safety::check_safe;
pub use tree::{Attr, Element, Node, Tag};
pub use wrap::{breakable, is_chunk};

use builder::{Builder, Mode};
use tree::{push_node, push_text};

/// Elements nested deeper than this are flattened into their ancestor: a document nested
/// 10,000 levels deep must neither overflow the stack nor freeze the layout.
pub const MAX_DEPTH: usize = 32;

/// Runs of text longer than this without a space get `<wbr>` break opportunities: browsers
/// lay out a megabyte-long "word" in seconds to minutes, and in well under one when it is
/// cut into pieces.
pub const LONG_RUN: usize = 120;

/// Where the Markdown came from and who reads it.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Absolute URL of the document holding the Markdown; relative links resolve against it.
    pub base: Option<String>,
    /// Language of the interface words (callout kinds, footnotes).
    pub lang: Lang,
}

/// Which links lead away from the document's site: `urls::is_external`, with the base's
/// origin worked out once per render instead of once per link.
struct Site {
    origin: Option<String>,
}

impl Site {
    fn new(base: Option<&str>) -> Site {
        Site { origin: base.and_then(origin_of) }
    }

    fn is_external(&self, url: &str) -> bool {
        if !is_http(url) {
            return false;
        }
        match (origin_of(url), &self.origin) {
            (Some(a), Some(b)) => a != *b,
            _ => true,
        }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

fn render(markdown: &str, opts: &RenderOptions, mode: Mode) -> Vec<Node> {
    let mut b = Builder::new(opts, mode);
    for event in Parser::new_ext(markdown, options()) {
        b.event(event);
    }
    b.finish()
}

/// Renders a Markdown body into block nodes, footnotes last. Headings and footnotes get
/// ids (`av-fn-N`, `av-fnref-N`, slugs of the heading's words), unique within the body.
pub fn render_body(markdown: &str, opts: &RenderOptions) -> Vec<Node> {
    render(markdown, opts, Mode::Body)
}

/// Renders inline Markdown (a caption, a pick point): blocks are unwrapped into their text flow.
/// It shares the page with the body, so it creates no ids at all: a footnote reference is its
/// number in superscript and the note's words follow the text, with no link to jump along.
pub fn render_inline(markdown: &str, opts: &RenderOptions) -> Vec<Node> {
    let mut out = Vec::new();
    unwrap_blocks(render(markdown, opts, Mode::Inline), &mut out);
    if let Some(Node::Text(t)) = out.last_mut() {
        let keep = t.trim_end().len();
        t.truncate(keep);
        if t.is_empty() {
            out.pop();
        }
    }
    out
}

fn unwrap_blocks(nodes: Vec<Node>, out: &mut Vec<Node>) {
    for node in nodes {
        match node {
            Node::Element(e) if e.tag == Tag::Hr => {}
            Node::Element(e) if e.tag.is_block() => {
                unwrap_blocks(e.children, out);
                push_text(out, " ");
            }
            other => push_node(out, other),
        }
    }
}

/// The same nodes with links turned into plain spans: for text inside a card, which is a
/// link as a whole and must not nest another.
pub fn strip_links(nodes: Vec<Node>) -> Vec<Node> {
    nodes
        .into_iter()
        .map(|n| match n {
            Node::Element(mut e) => {
                if e.tag == Tag::A {
                    e.tag = Tag::Span;
                    e.attrs.retain(|(a, _)| !matches!(a, Attr::Href | Attr::Rel | Attr::Target | Attr::Id));
                }
                e.children = strip_links(e.children);
                Node::Element(e)
            }
            t => t,
        })
        .collect()
}

/// All the text a reader reads, blocks separated by newlines (for reading time and search).
pub fn plain_text(nodes: &[Node]) -> String {
    let mut s = String::new();
    collect_text(nodes, &mut s);
    s
}

fn collect_text(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                collect_text(&e.children, out);
                if e.tag.is_block() || e.tag == Tag::Br {
                    out.push('\n');
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
