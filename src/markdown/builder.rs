//! pulldown-cmark events → the view tree: the open-element stack, depth limit, heading ids
//! and footnotes.

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Tag as MdTag, TagEnd};

use super::autolink::linkify;
use super::blocks::{callout, figure_or_paragraph, table};
use super::tree::{push_node, push_text, Attr, Element, Node, Tag};
use super::wrap::break_long_runs;
use super::{plain_text, RenderOptions, MAX_DEPTH};
use crate::urls::{is_external, safe_resolved, UrlKind};

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

pub(super) struct Builder<'o> {
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
    pub(super) fn new(opts: &'o RenderOptions) -> Self {
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

    pub(super) fn event(&mut self, event: Event<'_>) {
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

    pub(super) fn finish(mut self) -> Vec<Node> {
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

/// Attribute text without control characters (a NUL can survive CommonMark's replacement in
/// some constructs); line breaks become spaces.
pub(super) fn without_controls(s: &str) -> String {
    s.chars().filter_map(|c| if c == '\n' || c == '\t' { Some(' ') } else if c.is_control() { None } else { Some(c) }).collect()
}
