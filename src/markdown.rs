//! Markdown → a safe view tree: a closed set of tags and attributes that the UI turns into
//! DOM nodes one by one, so untrusted Markdown never reaches the DOM as an HTML string.

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag as MdTag, TagEnd};

use crate::i18n::Lang;
use crate::urls::{is_external, safe_resolved, safe_url, scheme_of, UrlKind};

/// Elements nested deeper than this are flattened into their ancestor: a document nested
/// 10,000 levels deep must neither overflow the stack nor freeze the layout.
pub const MAX_DEPTH: usize = 32;

/// Runs of text longer than this without a space get `<wbr>` break opportunities: browsers
/// lay out a megabyte-long "word" in seconds to minutes, and in well under one when it is
/// cut into pieces.
pub const LONG_RUN: usize = 120;

/// The only elements the viewer ever creates from content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    P, H2, H3, H4, H5, H6, Blockquote, Pre, Code, Ul, Ol, Li, Em, Strong, Del, Sup, Sub, A, Img,
    Figure, Figcaption, Table, Thead, Tbody, Tr, Th, Td, Hr, Br, Input, Aside, Div, Span, Section,
    Mark, Wbr,
}

impl Tag {
    pub fn as_str(self) -> &'static str {
        use Tag::*;
        match self {
            P => "p", H2 => "h2", H3 => "h3", H4 => "h4", H5 => "h5", H6 => "h6",
            Blockquote => "blockquote", Pre => "pre", Code => "code", Ul => "ul", Ol => "ol",
            Li => "li", Em => "em", Strong => "strong", Del => "del", Sup => "sup", Sub => "sub",
            A => "a", Img => "img", Figure => "figure", Figcaption => "figcaption",
            Table => "table", Thead => "thead", Tbody => "tbody", Tr => "tr", Th => "th",
            Td => "td", Hr => "hr", Br => "br", Input => "input", Aside => "aside", Div => "div",
            Span => "span", Section => "section", Mark => "mark", Wbr => "wbr",
        }
    }

    fn is_block(self) -> bool {
        use Tag::*;
        matches!(
            self,
            P | H2 | H3 | H4 | H5 | H6 | Blockquote | Pre | Ul | Ol | Li | Figure | Figcaption
                | Table | Thead | Tbody | Tr | Th | Td | Hr | Aside | Div | Section
        )
    }
}

/// The only attributes the viewer ever sets from content. No event handlers, no styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attr {
    Href, Src, Alt, Title, Id, Class, Rel, Target, Loading, Decoding, Start, Type, Checked,
    Disabled, Role, AriaHidden, AriaLabel, Tabindex, Scope, Dir,
}

impl Attr {
    /// Every attribute's name, indexed by `Attr as usize`.
    pub const NAMES: &'static [&'static str] = &[
        "href", "src", "alt", "title", "id", "class", "rel", "target", "loading", "decoding", "start", "type",
        "checked", "disabled", "role", "aria-hidden", "aria-label", "tabindex", "scope", "dir",
    ];

    pub fn as_str(self) -> &'static str {
        Attr::NAMES.get(self as usize).copied().unwrap_or("")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Text(String),
    Element(Element),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub tag: Tag,
    pub attrs: Vec<(Attr, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn new(tag: Tag) -> Element {
        Element { tag, attrs: Vec::new(), children: Vec::new() }
    }

    pub fn attr(mut self, a: Attr, v: impl Into<String>) -> Element {
        self.attrs.push((a, v.into()));
        self
    }

    pub fn child(mut self, n: Node) -> Element {
        self.children.push(n);
        self
    }

    pub fn get(&self, a: Attr) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| *k == a).map(|(_, v)| v.as_str())
    }
}

impl From<Element> for Node {
    fn from(e: Element) -> Node {
        Node::Element(e)
    }
}

/// Where the Markdown came from and who reads it.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Absolute URL of the document holding the Markdown; relative links resolve against it.
    pub base: Option<String>,
    /// Language of the interface words (callout kinds, footnotes).
    pub lang: Lang,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// Renders a Markdown body into block nodes, footnotes last.
pub fn render_body(markdown: &str, opts: &RenderOptions) -> Vec<Node> {
    let mut b = Builder::new(opts);
    for event in Parser::new_ext(markdown, options()) {
        b.event(event);
    }
    b.finish()
}

/// Renders inline Markdown (a caption, a pick point): blocks are unwrapped into their text flow.
pub fn render_inline(markdown: &str, opts: &RenderOptions) -> Vec<Node> {
    let mut out = Vec::new();
    unwrap_blocks(render_body(markdown, opts), &mut out);
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

fn push_text(out: &mut Vec<Node>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Node::Text(last)) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Node::Text(text.to_string()));
    }
}

fn push_node(out: &mut Vec<Node>, node: Node) {
    match node {
        Node::Text(t) => push_text(out, &t),
        e => out.push(e),
    }
}

/// What a frame on the open-element stack needs to finish itself.
enum Kind {
    Plain,
    /// Deeper than MAX_DEPTH, or a construct we do not render: children go to the parent.
    Flattened,
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

struct Builder<'o> {
    opts: &'o RenderOptions,
    stack: Vec<Frame>,
    depth: usize,
    in_link: usize,
    in_code: usize,
    heading_ids: Vec<String>,
    footnote_labels: Vec<String>,
    footnotes: Vec<(usize, Vec<Node>)>,
}

impl<'o> Builder<'o> {
    fn new(opts: &'o RenderOptions) -> Self {
        Builder {
            opts,
            stack: vec![Frame { el: Element::new(Tag::Div), kind: Kind::Plain }],
            depth: 0,
            in_link: 0,
            in_code: 0,
            heading_ids: Vec::new(),
            footnote_labels: Vec::new(),
            footnotes: Vec::new(),
        }
    }

    fn out(&mut self) -> &mut Vec<Node> {
        let last = self.stack.len() - 1;
        &mut self.stack[last].el.children
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.open(tag),
            Event::End(end) => self.close(end),
            Event::Text(t) => {
                if self.in_link > 0 || self.in_code > 0 {
                    push_text(self.out(), &t);
                } else {
                    let opts = self.opts;
                    for n in linkify(&t, opts) {
                        push_node(self.out(), n);
                    }
                }
            }
            Event::Code(t) => self.out().push(Element::new(Tag::Code).child(Node::Text(t.to_string())).into()),
            // Raw HTML is content like any other text: shown, never interpreted.
            Event::Html(t) | Event::InlineHtml(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                push_text(self.out(), &t)
            }
            Event::SoftBreak => push_text(self.out(), "\n"),
            Event::HardBreak => self.out().push(Element::new(Tag::Br).into()),
            Event::Rule => self.out().push(Element::new(Tag::Hr).into()),
            Event::TaskListMarker(done) => {
                let mut input = Element::new(Tag::Input).attr(Attr::Type, "checkbox").attr(Attr::Disabled, "");
                if done {
                    input = input.attr(Attr::Checked, "");
                }
                self.out().push(input.into());
                if let Some(li) = self.stack.iter_mut().rev().find(|f| f.el.tag == Tag::Li) {
                    li.el.attrs.push((Attr::Class, "av-task".into()));
                }
            }
            Event::FootnoteReference(label) => {
                let n = self.footnote_number(&label);
                let a = Element::new(Tag::A)
                    .attr(Attr::Href, format!("#av-fn-{n}"))
                    .attr(Attr::Id, format!("av-fnref-{n}"))
                    .attr(Attr::Class, "av-fnref")
                    .child(Node::Text(n.to_string()));
                self.out().push(Element::new(Tag::Sup).child(a.into()).into());
            }
        }
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        match self.footnote_labels.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.footnote_labels.push(label.to_string());
                self.footnote_labels.len()
            }
        }
    }

    fn push_frame(&mut self, tag: Tag, kind: Kind) {
        let kind = if self.depth >= MAX_DEPTH && !matches!(kind, Kind::Footnote(_)) { Kind::Flattened } else { kind };
        if !matches!(kind, Kind::Flattened) {
            self.depth += 1;
        }
        let mut el = Element::new(tag);
        // Each block finds its own direction, so an Arabic or Hebrew paragraph in a Korean
        // story reads right to left.
        if matches!(tag, Tag::P | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 | Tag::Li | Tag::Th | Tag::Td) {
            el.attrs.push((Attr::Dir, "auto".into()));
        }
        self.stack.push(Frame { el, kind });
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
                if let (CodeBlockKind::Fenced(info), Some(top)) = (kind, self.stack.last_mut()) {
                    let lang: String = info
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .take(32)
                        .collect();
                    if !lang.is_empty() {
                        top.el.attrs.push((Attr::Class, format!("language-{lang}")));
                    }
                }
            }
            MdTag::HtmlBlock => {
                self.push_frame(Tag::P, Kind::Plain);
                if let Some(top) = self.stack.last_mut() {
                    top.el.attrs.push((Attr::Class, "av-raw".into()));
                }
            }
            MdTag::List(Some(start)) => {
                self.push_frame(Tag::Ol, Kind::Plain);
                if start != 1 {
                    if let Some(top) = self.stack.last_mut() {
                        top.el.attrs.push((Attr::Start, start.to_string()));
                    }
                }
            }
            MdTag::List(None) => self.push_frame(Tag::Ul, Kind::Plain),
            MdTag::Item => self.push_frame(Tag::Li, Kind::Plain),
            MdTag::FootnoteDefinition(label) => {
                let n = self.footnote_number(&label);
                self.push_frame(Tag::Li, Kind::Footnote(n))
            }
            MdTag::Table(aligns) => self.push_frame(Tag::Table, Kind::Table(aligns)),
            MdTag::TableHead => self.push_frame(Tag::Thead, Kind::TableHead),
            MdTag::TableRow => self.push_frame(Tag::Tr, Kind::Plain),
            MdTag::TableCell => {
                let head = self.stack.last().is_some_and(|f| matches!(f.kind, Kind::TableHead));
                self.push_frame(if head { Tag::Th } else { Tag::Td }, Kind::Plain)
            }
            MdTag::Emphasis => self.push_frame(Tag::Em, Kind::Plain),
            MdTag::Strong => self.push_frame(Tag::Strong, Kind::Plain),
            MdTag::Strikethrough => self.push_frame(Tag::Del, Kind::Plain),
            MdTag::Superscript => self.push_frame(Tag::Sup, Kind::Plain),
            MdTag::Subscript => self.push_frame(Tag::Sub, Kind::Plain),
            MdTag::Link { dest_url, title, .. } => {
                self.in_link += 1;
                let base = self.opts.base.as_deref();
                match safe_resolved(&dest_url, UrlKind::Link, base) {
                    Some(href) => {
                        self.push_frame(Tag::A, Kind::Link);
                        if let Some(top) = self.stack.last_mut() {
                            if is_external(&href, base) {
                                top.el.attrs.push((Attr::Rel, "noopener noreferrer".into()));
                                top.el.attrs.push((Attr::Target, "_blank".into()));
                            }
                            top.el.attrs.insert(0, (Attr::Href, href));
                            if !title.is_empty() {
                                top.el.attrs.push((Attr::Title, without_controls(&title)));
                            }
                        }
                    }
                    // An unsafe link keeps its words and loses its target.
                    None => self.push_frame(Tag::Span, Kind::Link),
                }
            }
            MdTag::Image { dest_url, title, .. } => {
                self.in_link += 1;
                let src = safe_resolved(&dest_url, UrlKind::Image, self.opts.base.as_deref());
                self.push_frame(Tag::Img, Kind::Image { src, title: title.to_string() })
            }
            _ => self.push_frame(Tag::Div, Kind::Flattened),
        }
    }

    fn close(&mut self, end: TagEnd) {
        if self.stack.len() <= 1 {
            return;
        }
        let Some(Frame { mut el, kind }) = self.stack.pop() else { return };
        if !matches!(kind, Kind::Flattened) {
            self.depth = self.depth.saturating_sub(1);
        }
        match end {
            TagEnd::CodeBlock => self.in_code = self.in_code.saturating_sub(1),
            TagEnd::Link | TagEnd::Image => self.in_link = self.in_link.saturating_sub(1),
            _ => {}
        }
        let node: Option<Node> = match kind {
            Kind::Flattened => {
                let out = self.out();
                for c in el.children {
                    push_node(out, c);
                }
                None
            }
            Kind::Plain => Some(el.into()),
            Kind::CodeBlock => {
                let class = el.attrs.drain(..).collect();
                let code = Element { tag: Tag::Code, attrs: class, children: std::mem::take(&mut el.children) };
                Some(el.child(code.into()).into())
            }
            Kind::Heading => {
                let id = self.heading_id(&plain_text(&el.children));
                Some(el.attr(Attr::Id, id).into())
            }
            Kind::Paragraph => Some(figure_or_paragraph(el)),
            Kind::Link => Some(el.into()),
            Kind::Image { src, title } => {
                let alt = without_controls(&plain_text(&el.children));
                match src {
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
                self.footnotes.push((n, el.children));
                None
            }
        };
        if let Some(node) = node {
            push_node(self.out(), node);
        }
    }

    fn heading_id(&mut self, text: &str) -> String {
        let mut slug = String::new();
        for c in text.trim().chars().map(crate::case::lower) {
            if c.is_alphanumeric() {
                slug.push(c);
            } else if (c.is_whitespace() || c == '-' || c == '_') && !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        while slug.ends_with('-') {
            slug.pop();
        }
        if slug.is_empty() || slug.starts_with("av-") {
            slug.insert_str(0, "section-");
            if slug.ends_with('-') {
                slug.pop();
            }
        }
        let mut id = slug.clone();
        let mut n = 1;
        while self.heading_ids.contains(&id) {
            n += 1;
            id = format!("{slug}-{n}");
        }
        self.heading_ids.push(id.clone());
        id
    }

    fn finish(mut self) -> Vec<Node> {
        // Unclosed frames (not produced by a well-behaved parser, but cheap to handle) fold up.
        while self.stack.len() > 1 {
            self.close(TagEnd::Paragraph);
        }
        let mut nodes = self.stack.pop().map(|f| f.el.children).unwrap_or_default();
        break_long_runs(&mut nodes);
        if !self.footnotes.is_empty() {
            crate::sorting::stable_by(&mut self.footnotes, &|a, b| a.0.cmp(&b.0));
            let text = self.opts.lang.text();
            let mut list = Element::new(Tag::Ol);
            for (n, children) in self.footnotes {
                let back = Element::new(Tag::A)
                    .attr(Attr::Href, format!("#av-fnref-{n}"))
                    .attr(Attr::Class, "av-fnback")
                    .attr(Attr::AriaLabel, text.back_to_footnote_ref)
                    .child(Node::Text("↩".into()));
                let mut li = Element::new(Tag::Li).attr(Attr::Id, format!("av-fn-{n}"));
                li.children = children;
                // The back link belongs at the end of the note's last paragraph.
                match li.children.last_mut() {
                    Some(Node::Element(p)) if p.tag == Tag::P => {
                        p.children.push(Node::Text(" ".into()));
                        p.children.push(back.into());
                    }
                    _ => li.children.push(back.into()),
                }
                list.children.push(li.into());
            }
            let section = Element::new(Tag::Section)
                .attr(Attr::Class, "av-footnotes")
                .attr(Attr::AriaLabel, text.footnotes)
                .child(Element::new(Tag::Hr).into())
                .child(list.into());
            nodes.push(section.into());
        }
        nodes
    }
}

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
fn break_long_runs(nodes: &mut Vec<Node>) {
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

/// Attribute text without control characters (a NUL can survive CommonMark's replacement in
/// some constructs); line breaks become spaces.
fn without_controls(s: &str) -> String {
    s.chars().filter_map(|c| if c == '\n' || c == '\t' { Some(' ') } else if c.is_control() { None } else { Some(c) }).collect()
}

fn is_blank(n: &Node) -> bool {
    matches!(n, Node::Text(t) if t.trim().is_empty())
}

/// An image alone in its paragraph is a figure, its title the caption.
fn figure_or_paragraph(p: Element) -> Node {
    let mut content = p.children.iter().filter(|n| !is_blank(n));
    let (Some(Node::Element(img)), None) = (content.next(), content.next()) else {
        return p.into();
    };
    if img.tag != Tag::Img {
        return p.into();
    }
    let mut img = img.clone();
    let caption = img.get(Attr::Title).map(str::to_string);
    img.attrs.retain(|(a, _)| *a != Attr::Title);
    let mut figure = Element::new(Tag::Figure).attr(Attr::Class, "av-figure").child(img.into());
    if let Some(c) = caption {
        figure = figure.child(Element::new(Tag::Figcaption).child(Node::Text(c)).into());
    }
    figure.into()
}

fn starts_with_emoji(s: &str) -> bool {
    s.chars().next().is_some_and(is_emoji)
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2190..=0x21FF | 0x2300..=0x23FF
        | 0x25A0..=0x25FF | 0x3030 | 0x303D | 0x3297 | 0x3299 | 0x2139 | 0x203C | 0x2049)
}

/// The leading emoji of `s` with its modifiers (variation selectors, skin tones, ZWJ sequences).
fn split_emoji(s: &str) -> (&str, &str) {
    let mut end = 0;
    let mut after_zwj = true;
    for (i, c) in s.char_indices() {
        let joiner = matches!(c as u32, 0xFE0F | 0xFE0E | 0x200D | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F);
        if joiner || (after_zwj && is_emoji(c)) {
            after_zwj = c == '\u{200D}';
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    (&s[..end], &s[end..])
}

/// A GitHub alert: an `<aside>` whose title is the emoji/strong first line, or the kind's name.
fn callout(mut el: Element, kind: BlockQuoteKind, lang: Lang) -> Node {
    let text = lang.text();
    let (name, default_title) = match kind {
        BlockQuoteKind::Note => ("note", text.note),
        BlockQuoteKind::Tip => ("tip", text.tip),
        BlockQuoteKind::Important => ("important", text.important),
        BlockQuoteKind::Warning => ("warning", text.warning),
        BlockQuoteKind::Caution => ("caution", text.caution),
    };
    let mut title = Element::new(Tag::P).attr(Attr::Class, "av-callout-title");
    match take_title_line(&mut el) {
        Some((icon, line)) => {
            if !icon.is_empty() {
                title.children.push(
                    Element::new(Tag::Span)
                        .attr(Attr::Class, "av-callout-icon")
                        .attr(Attr::AriaHidden, "true")
                        .child(Node::Text(icon))
                        .into(),
                );
                title.children.push(Node::Text(" ".into()));
            }
            let mut strong = Element::new(Tag::Strong);
            for n in line {
                match n {
                    // The title is strong already; keep the words, not a second wrapper.
                    Node::Element(e) if e.tag == Tag::Strong => strong.children.extend(e.children),
                    n => push_node(&mut strong.children, n),
                }
            }
            title.children.push(strong.into());
        }
        None => title.children.push(Element::new(Tag::Strong).child(Node::Text(default_title.into())).into()),
    }
    el.children.insert(0, title.into());
    el.attrs.push((Attr::Class, format!("av-callout av-callout-{name}")));
    el.attrs.push((Attr::Role, "note".into()));
    el.into()
}

/// Removes and returns the callout's title line (its emoji apart) when the first paragraph
/// starts with an emoji and/or strong text.
fn take_title_line(el: &mut Element) -> Option<(String, Vec<Node>)> {
    let Some(Node::Element(p)) = el.children.first_mut() else { return None };
    if p.tag != Tag::P {
        return None;
    }
    let starts_ok = match p.children.first() {
        Some(Node::Text(t)) => starts_with_emoji(t.trim_start()),
        Some(Node::Element(e)) => e.tag == Tag::Strong,
        None => false,
    };
    if !starts_ok {
        return None;
    }
    // The line ends at the first soft break (a "\n" in text) or <br>.
    let mut line = Vec::new();
    let mut rest = Vec::new();
    let mut done = false;
    for n in std::mem::take(&mut p.children) {
        if done {
            rest.push(n);
            continue;
        }
        match n {
            Node::Element(e) if e.tag == Tag::Br => done = true,
            Node::Text(t) => match t.split_once('\n') {
                Some((a, b)) => {
                    push_text(&mut line, a);
                    push_text(&mut rest, b.trim_start());
                    done = true;
                }
                None => push_text(&mut line, &t),
            },
            n => line.push(n),
        }
    }
    let mut icon = String::new();
    if let Some(Node::Text(t)) = line.first_mut() {
        let trimmed = t.trim_start();
        let (e, after) = split_emoji(trimmed);
        icon = e.to_string();
        *t = after.trim_start().to_string();
        if t.is_empty() {
            line.remove(0);
        }
    }
    if let Some(Node::Text(t)) = line.last_mut() {
        let trimmed = t.trim_end().len();
        t.truncate(trimmed);
    }
    if rest.iter().all(is_blank) {
        el.children.remove(0);
    } else {
        p.children = rest;
    }
    Some((icon, line))
}

/// Tables: body rows grouped into `<tbody>`, cells aligned by class (no inline styles),
/// wrapped so that a wide table scrolls instead of breaking the page.
fn table(mut el: Element, aligns: &[Alignment]) -> Node {
    let mut thead = None;
    let mut tbody = Element::new(Tag::Tbody);
    for child in std::mem::take(&mut el.children) {
        match child {
            Node::Element(e) if e.tag == Tag::Thead => thead = Some(e),
            Node::Element(e) if e.tag == Tag::Tr => tbody.children.push(e.into()),
            _ => {}
        }
    }
    let align_row = |row: &mut Node| {
        let Node::Element(tr) = row else { return };
        for (i, cell) in tr.children.iter_mut().enumerate() {
            let Node::Element(c) = cell else { continue };
            if c.tag == Tag::Th {
                c.attrs.push((Attr::Scope, "col".into()));
            }
            let class = match aligns.get(i) {
                Some(Alignment::Left) => "av-align-left",
                Some(Alignment::Center) => "av-align-center",
                Some(Alignment::Right) => "av-align-right",
                _ => continue,
            };
            c.attrs.push((Attr::Class, class.into()));
        }
    };
    if let Some(mut h) = thead {
        h.children.iter_mut().for_each(align_row);
        el.children.push(h.into());
    }
    tbody.children.iter_mut().for_each(align_row);
    if !tbody.children.is_empty() {
        el.children.push(tbody.into());
    }
    Element::new(Tag::Div)
        .attr(Attr::Class, "av-table-wrap")
        .attr(Attr::Tabindex, "0")
        .child(el.into())
        .into()
}

/// GitHub's extended autolinks: bare `https://…`, `http://…` and `www.…` in text.
/// A URL stops at whitespace, `<`, or a non-ASCII character (Korean particles follow URLs
/// directly: `https://example.com에서`), and trailing punctuation is left outside.
fn linkify(text: &str, opts: &RenderOptions) -> Vec<Node> {
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

#[cfg(test)]
mod tests;
