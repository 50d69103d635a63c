//! The view tree: a closed set of elements and attributes, and the text-merging helpers.

/// The only elements the viewer ever creates from content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    P,
    H2,
    H3,
    H4,
    H5,
    H6,
    Blockquote,
    Pre,
    Code,
    Ul,
    Ol,
    Li,
    Em,
    Strong,
    Del,
    Sup,
    Sub,
    A,
    Img,
    Figure,
    Figcaption,
    Table,
    Thead,
    Tbody,
    Tr,
    Th,
    Td,
    Hr,
    Br,
    Input,
    Aside,
    Div,
    Span,
    Section,
    Mark,
    Wbr,
    Picture,
    Source,
}

impl Tag {
    pub fn as_str(self) -> &'static str {
        use Tag::*;
        match self {
            P => "p",
            H2 => "h2",
            H3 => "h3",
            H4 => "h4",
            H5 => "h5",
            H6 => "h6",
            Blockquote => "blockquote",
            Pre => "pre",
            Code => "code",
            Ul => "ul",
            Ol => "ol",
            Li => "li",
            Em => "em",
            Strong => "strong",
            Del => "del",
            Sup => "sup",
            Sub => "sub",
            A => "a",
            Img => "img",
            Figure => "figure",
            Figcaption => "figcaption",
            Table => "table",
            Thead => "thead",
            Tbody => "tbody",
            Tr => "tr",
            Th => "th",
            Td => "td",
            Hr => "hr",
            Br => "br",
            Input => "input",
            Aside => "aside",
            Div => "div",
            Span => "span",
            Section => "section",
            Mark => "mark",
            Wbr => "wbr",
            Picture => "picture",
            Source => "source",
        }
    }

    pub(super) fn is_block(self) -> bool {
        use Tag::*;
        matches!(
            self,
            P | H2
                | H3
                | H4
                | H5
                | H6
                | Blockquote
                | Pre
                | Ul
                | Ol
                | Li
                | Figure
                | Figcaption
                | Table
                | Thead
                | Tbody
                | Tr
                | Th
                | Td
                | Hr
                | Aside
                | Div
                | Section
        )
    }
}

/// The only attributes the viewer ever sets from content. No event handlers, no styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attr {
    Href,
    Src,
    Alt,
    Title,
    Id,
    Class,
    Rel,
    Target,
    Loading,
    Decoding,
    Start,
    Type,
    Checked,
    Disabled,
    Role,
    AriaHidden,
    AriaLabel,
    Tabindex,
    Scope,
    Dir,
    Srcset,
    Sizes,
    Width,
    Height,
    Fetchpriority,
}

impl Attr {
    /// Every attribute's name, indexed by `Attr as usize`.
    pub const NAMES: &'static [&'static str] = &[
        "href",
        "src",
        "alt",
        "title",
        "id",
        "class",
        "rel",
        "target",
        "loading",
        "decoding",
        "start",
        "type",
        "checked",
        "disabled",
        "role",
        "aria-hidden",
        "aria-label",
        "tabindex",
        "scope",
        "dir",
        "srcset",
        "sizes",
        "width",
        "height",
        "fetchpriority",
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

pub(super) fn push_text(out: &mut Vec<Node>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Node::Text(last)) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Node::Text(text.to_string()));
    }
}

pub(super) fn push_node(out: &mut Vec<Node>, node: Node) {
    match node {
        Node::Text(t) => push_text(out, &t),
        e => out.push(e),
    }
}
