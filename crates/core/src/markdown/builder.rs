//! pulldown-cmark events → the view tree: the open-element stack, depth limit, heading ids
//! and footnotes.

use std::collections::HashMap;

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, LinkType, Tag as MdTag, TagEnd};

use super::autolink::linkify;
use super::blocks::{callout, figure_or_paragraph, table};
use super::direction::set_directions;
use super::safety::is_class_char;
use super::tree::{push_node, push_text, Attr, Element, Node, Tag};
use super::wrap::{break_long_runs, chunk};
use super::{plain_text, RenderOptions, Site, MAX_DEPTH};
use crate::i18n::Lang;
use crate::urls::{safe_resolved, safe_url, UrlKind};

/// What a frame on the open-element stack needs to finish itself.
enum Kind {
    Plain,
    Heading,
    Paragraph,
    Image { src: Option<String>, title: String },
    Link,
    Callout(BlockQuoteKind),
    CodeBlock,
    Table(Vec<Alignment>),
    TableHead,
    Footnote(usize),
}

struct Frame {
    el: Element,
    kind: Kind,
}

/// What the tree is for: a body (ids for headings and footnotes, in-page footnote links), or
/// an inline field (a pick point, a caption) that shares the page with a body and so must not
/// create ids, nor links to footnotes it has no list for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Body,
    Inline,
}

/// One footnote: its content once defined, and how many references point at it.
#[derive(Default)]
struct Note {
    content: Option<Vec<Node>>,
    refs: usize,
}

pub(super) struct Builder<'o> {
    opts: &'o RenderOptions,
    site: Site,
    mode: Mode,
    /// Open elements, the root first. Frames deeper than MAX_DEPTH (and constructs we do not
    /// render) get no element: their content goes to the nearest open element, at no cost.
    frames: Vec<Frame>,
    /// Per open Markdown tag, innermost last: whether it has a frame in `frames`.
    opened: Vec<bool>,
    in_link: usize,
    in_image: usize,
    in_code: usize,
    /// Text not yet added to the tree: consecutive text events are joined before autolinks are
    /// looked for (pulldown-cmark splits text at entities, escapes and unmatched delimiters).
    pending: String,
    /// Heading ids given so far, each with the next number to try for a heading whose slug
    /// it is. (The same map type as the search index's: one copy of its code in the wasm.)
    heading_ids: HashMap<String, u32>,
    /// Footnote numbers by label (case-folded, as labels match), in order of first mention.
    note_numbers: HashMap<String, u32>,
    notes: Vec<Note>,
    /// The last link destination and what it became (its safe address, and whether it leaves
    /// the site): a body that links one address over and over resolves it once.
    last_link: Option<(String, Option<String>, bool)>,
}

impl<'o> Builder<'o> {
    pub(super) fn new(opts: &'o RenderOptions, mode: Mode) -> Self {
        Builder {
            opts,
            site: Site::new(opts.base.as_deref()),
            mode,
            frames: vec![Frame { el: Element::new(Tag::Div), kind: Kind::Plain }],
            opened: Vec::new(),
            in_link: 0,
            in_image: 0,
            in_code: 0,
            pending: String::new(),
            heading_ids: HashMap::new(),
            note_numbers: HashMap::new(),
            notes: Vec::new(),
            last_link: None,
        }
    }

    fn out(&mut self) -> &mut Vec<Node> {
        &mut self.top().el.children
    }

    fn top(&mut self) -> &mut Frame {
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    /// The innermost open tag's element, if it has one.
    fn open_element(&mut self) -> Option<&mut Element> {
        match self.opened.last() {
            Some(true) => Some(&mut self.top().el),
            _ => None,
        }
    }

    /// Adds the pending text to the tree, with its addresses linked.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let last = self.frames.len() - 1;
        linkify(&self.pending, &self.site, &mut self.frames[last].el.children);
        self.pending.clear();
    }

    pub(super) fn event(&mut self, event: Event<'_>) {
        let plain_text = self.in_link == 0 && self.in_code == 0;
        match &event {
            Event::Text(t) if plain_text => return self.pending.push_str(t),
            Event::SoftBreak if plain_text => return self.pending.push('\n'),
            _ => self.flush(),
        }
        match event {
            Event::Start(tag) => self.open(tag),
            Event::End(end) => self.close(end),
            Event::Text(t) => push_text(self.out(), &t),
            Event::Code(t) => self.out().push(Element::new(Tag::Code).child(Node::Text(t.to_string())).into()),
            // Raw HTML is content like any other text: shown, never interpreted.
            Event::Html(t) | Event::InlineHtml(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                push_text(self.out(), &t)
            }
            Event::SoftBreak => push_text(self.out(), "\n"),
            Event::HardBreak => self.out().push(Element::new(Tag::Br).into()),
            Event::Rule => self.out().push(Element::new(Tag::Hr).into()),
            Event::TaskListMarker(done) => {
                // Named, so assistive technology announces "task, checked" rather than a bare box.
                let mut input = Element::new(Tag::Input)
                    .attr(Attr::Type, "checkbox")
                    .attr(Attr::Disabled, "")
                    .attr(Attr::AriaLabel, self.opts.lang.text().task);
                if done {
                    input = input.attr(Attr::Checked, "");
                }
                self.out().push(input.into());
                // The marker opens its item, or the item's first paragraph in a loose list.
                let n = self.frames.len();
                let item = match (self.opened.last(), self.frames.last()) {
                    (Some(true), Some(f)) if f.el.tag == Tag::Li => Some(n - 1),
                    (Some(true), Some(f)) if f.el.tag == Tag::P && n >= 2 && self.opened.len() >= 2 => {
                        (self.opened[self.opened.len() - 2] && self.frames[n - 2].el.tag == Tag::Li).then(|| n - 2)
                    }
                    _ => None,
                };
                if let Some(i) = item {
                    self.frames[i].el.attrs.push((Attr::Class, "av-task".into()));
                }
            }
            Event::FootnoteReference(label) => {
                let n = self.note_number(&label);
                let note = &mut self.notes[n - 1];
                note.refs += 1;
                let k = note.refs;
                let mark = Node::Text(n.to_string());
                let sup = match self.mode {
                    // The first reference is `av-fnref-N`, later ones `av-fnref-N-K`: ids stay
                    // unique when a note is referred to more than once.
                    Mode::Body => {
                        let a = Element::new(Tag::A)
                            .attr(Attr::Href, format!("#av-fn-{n}"))
                            .attr(Attr::Id, ref_id(n, k))
                            .attr(Attr::Class, "av-fnref")
                            .child(mark);
                        Element::new(Tag::Sup).child(a.into())
                    }
                    Mode::Inline => Element::new(Tag::Sup).child(mark),
                };
                self.out().push(sup.into());
            }
        }
    }

    fn note_number(&mut self, label: &str) -> usize {
        // Labels match case-insensitively, with runs of whitespace as one space.
        let mut key = String::new();
        for c in label.trim().chars() {
            if !c.is_whitespace() {
                key.push(crate::case::lower(c));
            } else if !key.ends_with(' ') {
                key.push(' ');
            }
        }
        if let Some(&n) = self.note_numbers.get(&key) {
            return n as usize;
        }
        self.notes.push(Note::default());
        let n = self.notes.len();
        self.note_numbers.insert(key, n as u32);
        n
    }

    fn push_frame(&mut self, tag: Tag, kind: Kind) {
        let depth = self.frames.len() - 1;
        if depth >= MAX_DEPTH && !matches!(kind, Kind::Footnote(_)) {
            self.opened.push(false);
            return;
        }
        // (Each block's text direction is set at the end: `direction.rs`.)
        self.frames.push(Frame { el: Element::new(tag), kind });
        self.opened.push(true);
    }

    /// A tag we do not render: its content goes to the enclosing element.
    fn skip_frame(&mut self) {
        self.opened.push(false);
    }

    fn open(&mut self, tag: MdTag<'_>) {
        match tag {
            MdTag::Paragraph => self.push_frame(Tag::P, Kind::Paragraph),
            MdTag::Heading { level, .. } => {
                let tag = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => Tag::H2,
                    HeadingLevel::H3 => Tag::H3,
                    HeadingLevel::H4 => Tag::H4,
                    HeadingLevel::H5 => Tag::H5,
                    HeadingLevel::H6 => Tag::H6,
                };
                self.push_frame(tag, Kind::Heading)
            }
            MdTag::BlockQuote(None) => self.push_frame(Tag::Blockquote, Kind::Plain),
            MdTag::BlockQuote(Some(kind)) => self.push_frame(Tag::Aside, Kind::Callout(kind)),
            MdTag::CodeBlock(kind) => {
                self.in_code += 1;
                self.push_frame(Tag::Pre, Kind::CodeBlock);
                if let CodeBlockKind::Fenced(info) = kind {
                    let lang = language(&info);
                    if let (false, Some(el)) = (lang.is_empty(), self.open_element()) {
                        el.attrs.push((Attr::Class, format!("language-{lang}")));
                    }
                }
            }
            MdTag::HtmlBlock => {
                self.push_frame(Tag::P, Kind::Plain);
                if let Some(el) = self.open_element() {
                    el.attrs.push((Attr::Class, "av-raw".into()));
                }
            }
            MdTag::List(Some(start)) => {
                self.push_frame(Tag::Ol, Kind::Plain);
                if let (true, Some(el)) = (start != 1, self.open_element()) {
                    el.attrs.push((Attr::Start, start.to_string()));
                }
            }
            MdTag::List(None) => self.push_frame(Tag::Ul, Kind::Plain),
            MdTag::Item => self.push_frame(Tag::Li, Kind::Plain),
            MdTag::FootnoteDefinition(label) => {
                let n = self.note_number(&label);
                self.push_frame(Tag::Li, Kind::Footnote(n))
            }
            MdTag::Table(aligns) => self.push_frame(Tag::Table, Kind::Table(aligns)),
            MdTag::TableHead => self.push_frame(Tag::Thead, Kind::TableHead),
            MdTag::TableRow => self.push_frame(Tag::Tr, Kind::Plain),
            MdTag::TableCell => {
                let head = self.opened.last() == Some(&true)
                    && self.frames.last().is_some_and(|f| matches!(f.kind, Kind::TableHead));
                self.push_frame(if head { Tag::Th } else { Tag::Td }, Kind::Plain)
            }
            MdTag::Emphasis => self.push_frame(Tag::Em, Kind::Plain),
            MdTag::Strong => self.push_frame(Tag::Strong, Kind::Plain),
            MdTag::Strikethrough => self.push_frame(Tag::Del, Kind::Plain),
            MdTag::Superscript => self.push_frame(Tag::Sup, Kind::Plain),
            MdTag::Subscript => self.push_frame(Tag::Sub, Kind::Plain),
            MdTag::Link { link_type, dest_url, title, .. } => {
                self.in_link += 1;
                let base = self.opts.base.as_deref();
                let (href, external) = match &self.last_link {
                    Some((dest, href, external)) if link_type != LinkType::Email && **dest == *dest_url => {
                        (href.clone(), *external)
                    }
                    _ => {
                        let href = if dest_url.is_empty() {
                            // `[a]()`: a link to this very page, as in HTML.
                            Some(String::new())
                        } else if link_type == LinkType::Email {
                            // `<desk@news.example>`: the destination is the bare address.
                            safe_url(&["mailto:", &dest_url].concat(), UrlKind::Link)
                        } else {
                            safe_resolved(&dest_url, UrlKind::Link, base)
                        };
                        let external = href.as_deref().is_some_and(|h| self.site.is_external(h));
                        if link_type != LinkType::Email {
                            self.last_link = Some((dest_url.to_string(), href.clone(), external));
                        }
                        (href, external)
                    }
                };
                match href {
                    Some(href) => {
                        self.push_frame(Tag::A, Kind::Link);
                        if let Some(el) = self.open_element() {
                            el.attrs.push((Attr::Href, href));
                            if external {
                                el.attrs.push((Attr::Rel, "noopener noreferrer".into()));
                                el.attrs.push((Attr::Target, "_blank".into()));
                            }
                            if !title.is_empty() {
                                el.attrs.push((Attr::Title, without_controls(&title)));
                            }
                        }
                    }
                    // An unsafe autolink is just its text.
                    None if matches!(link_type, LinkType::Autolink | LinkType::Email) => self.skip_frame(),
                    // An unsafe link keeps its words and loses its target.
                    None => self.push_frame(Tag::Span, Kind::Link),
                }
            }
            MdTag::Image { dest_url, title, .. } => {
                self.in_link += 1;
                self.in_image += 1;
                let src = safe_resolved(&dest_url, UrlKind::Image, self.opts.base.as_deref());
                self.push_frame(Tag::Img, Kind::Image { src, title: title.to_string() })
            }
            _ => self.skip_frame(),
        }
    }

    fn close(&mut self, end: TagEnd) {
        match end {
            TagEnd::CodeBlock => self.in_code = self.in_code.saturating_sub(1),
            TagEnd::Link => self.in_link = self.in_link.saturating_sub(1),
            TagEnd::Image => {
                self.in_link = self.in_link.saturating_sub(1);
                self.in_image = self.in_image.saturating_sub(1);
            }
            _ => {}
        }
        if self.opened.pop() != Some(true) || self.frames.len() <= 1 {
            return;
        }
        let Some(Frame { mut el, kind }) = self.frames.pop() else { return };
        let node: Option<Node> = match kind {
            Kind::Plain | Kind::Link => Some(el.into()),
            Kind::CodeBlock => {
                let class = el.attrs.drain(..).collect();
                let code = Element { tag: Tag::Code, attrs: class, children: std::mem::take(&mut el.children) };
                Some(el.child(code.into()).into())
            }
            Kind::Heading => {
                if self.mode == Mode::Body {
                    let id = self.heading_id(&el.children);
                    el.attrs.push((Attr::Id, id));
                }
                Some(el.into())
            }
            Kind::Paragraph => Some(figure_or_paragraph(el, self.opts.lang)),
            Kind::Image { src, title } => {
                let alt = without_controls(&plain_text(&el.children));
                match src {
                    // An image inside another's description is part of that description.
                    Some(_) if self.in_image > 0 => Some(Node::Text(alt)),
                    Some(src) => {
                        let mut img = Element::new(Tag::Img)
                            .attr(Attr::Src, src)
                            .attr(Attr::Alt, alt)
                            .attr(Attr::Loading, "lazy")
                            .attr(Attr::Decoding, "async");
                        if !title.is_empty() {
                            img = img.attr(Attr::Title, without_controls(&title));
                        }
                        Some(img.into())
                    }
                    // An unsafe image is replaced by its description.
                    None => Some(Node::Text(alt)),
                }
            }
            Kind::Callout(kind) => Some(callout(el, kind, self.opts.lang)),
            Kind::TableHead => {
                let row = Element { tag: Tag::Tr, attrs: Vec::new(), children: std::mem::take(&mut el.children) };
                Some(el.child(row.into()).into())
            }
            Kind::Table(aligns) => Some(table(el, &aligns)),
            Kind::Footnote(n) => {
                // A second definition of the same label is ignored, as the first one wins
                // for the references too.
                let note = &mut self.notes[n - 1];
                if note.content.is_none() {
                    note.content = Some(el.children);
                }
                None
            }
        };
        if let Some(node) = node {
            push_node(self.out(), node);
        }
    }

    /// A heading's id: its words lower-cased and joined by `-`, numbered from 2 when taken.
    /// A counter per slug keeps this linear however many headings share one.
    fn heading_id(&mut self, words: &[Node]) -> String {
        let mut slug = String::new();
        slug_of(words, &mut slug);
        while slug.ends_with('-') {
            slug.pop();
        }
        if slug.is_empty() || slug.starts_with("av-") {
            slug.insert_str(0, "section-");
            if slug.ends_with('-') {
                slug.pop();
            }
        }
        // Each number is tried at most once per slug: a failed try is an id that some other
        // heading holds, and there are as many of those as headings.
        let Some(&mut mut next) = self.heading_ids.get_mut(&slug) else {
            self.heading_ids.insert(slug.clone(), 2);
            return slug;
        };
        let id = loop {
            let id = format!("{slug}-{next}");
            next += 1;
            if !self.heading_ids.contains_key(&id) {
                break id;
            }
        };
        self.heading_ids.insert(slug, next);
        self.heading_ids.insert(id.clone(), 2);
        id
    }

    pub(super) fn finish(mut self) -> Vec<Node> {
        self.flush();
        // Unclosed tags (not produced by a well-behaved parser, but cheap to handle) fold up.
        while !self.opened.is_empty() {
            self.close(TagEnd::Paragraph);
        }
        let mut nodes = self.frames.swap_remove(0).el.children;
        let notes: Vec<(usize, Note)> =
            self.notes.into_iter().enumerate().filter(|(_, n)| n.content.is_some()).map(|(i, n)| (i + 1, n)).collect();
        if !notes.is_empty() {
            nodes.push(match self.mode {
                Mode::Body => footnote_list(notes, self.opts.lang),
                Mode::Inline => footnote_run(notes),
            });
        }
        // Each block finds its own direction, so an Arabic or Hebrew paragraph in a Korean
        // story reads right to left.
        set_directions(&mut nodes);
        break_long_runs(&mut nodes);
        match self.mode {
            Mode::Body => chunk(nodes),
            Mode::Inline => nodes,
        }
    }
}

/// A heading's words lower-cased, letters and digits kept, spaces, `-` and `_` as one `-`.
fn slug_of(nodes: &[Node], slug: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => {
                for c in t.chars().map(crate::case::lower) {
                    if c.is_alphanumeric() {
                        slug.push(c);
                    } else if (c.is_whitespace() || c == '-' || c == '_') && !slug.ends_with('-') && !slug.is_empty() {
                        slug.push('-');
                    }
                }
            }
            Node::Element(e) => {
                slug_of(&e.children, slug);
                if e.tag == Tag::Br && !slug.ends_with('-') && !slug.is_empty() {
                    slug.push('-');
                }
            }
        }
    }
}

/// The id of the `k`-th reference to note `n`: `av-fnref-N`, then `av-fnref-N-K`.
fn ref_id(n: usize, k: usize) -> String {
    let mut id = format!("av-fnref-{n}");
    if k > 1 {
        id.push('-');
        id.push_str(&k.to_string());
    }
    id
}

/// Back links per footnote at most.
const MAX_BACK_LINKS: usize = 10;

/// The body's footnotes: a list after the text, each note with a way back to every reference.
fn footnote_list(notes: Vec<(usize, Note)>, lang: Lang) -> Node {
    let text = lang.text();
    let mut list = Element::new(Tag::Ol);
    for (n, note) in notes {
        let mut li = Element::new(Tag::Li).attr(Attr::Id, format!("av-fn-{n}"));
        li.children = note.content.unwrap_or_default();
        let mut back = Vec::new();
        // A way back to each of the first references; a note cited a thousand times does not
        // need a thousand arrows (the later references still have their ids).
        for k in 1..=note.refs.min(MAX_BACK_LINKS) {
            let mut shown = String::from("↩");
            if k > 1 {
                shown.push_str(&k.to_string());
            }
            let href = ["#", &ref_id(n, k)].concat();
            back.push(Node::Text(" ".into()));
            back.push(
                Element::new(Tag::A)
                    .attr(Attr::Href, href)
                    .attr(Attr::Class, "av-fnback")
                    .attr(Attr::AriaLabel, text.back_to_footnote_ref)
                    .child(Node::Text(shown))
                    .into(),
            );
        }
        // The back links belong at the end of the note's last paragraph.
        match li.children.last_mut() {
            Some(Node::Element(p)) if p.tag == Tag::P => p.children.extend(back),
            _ => li.children.extend(back.into_iter().skip(1)),
        }
        list.children.push(li.into());
    }
    Element::new(Tag::Section)
        .attr(Attr::Class, "av-footnotes")
        .attr(Attr::AriaLabel, text.footnotes)
        .child(Element::new(Tag::Hr).into())
        .child(list.into())
        .into()
}

/// An inline field's footnotes: each note's number and words after the text, with no ids
/// and no links (there is no list to jump to in a one-line pick point).
fn footnote_run(notes: Vec<(usize, Note)>) -> Node {
    // A block, so that `render_inline` unwraps it into the text flow like the rest.
    let mut run = Element::new(Tag::Div);
    for (n, note) in notes {
        run.children.push(Element::new(Tag::Sup).child(Node::Text(n.to_string())).into());
        run.children.push(Node::Text(" ".into()));
        run.children.extend(note.content.unwrap_or_default());
    }
    run.into()
}

/// The language of a fenced code block: the info string's first word, less the characters
/// that a class may not hold (`language-c++` and `language-föö` stay whole).
fn language(info: &str) -> String {
    info.split_whitespace().next().unwrap_or("").chars().filter(|&c| is_class_char(c)).collect()
}

/// Attribute text without control characters (a NUL can survive CommonMark's replacement in
/// some constructs); a tab becomes a space, line breaks stay (a title may have several lines).
pub(super) fn without_controls(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c == '\t' {
                Some(' ')
            } else if c.is_control() && c != '\n' {
                None
            } else {
                Some(c)
            }
        })
        .collect()
}
