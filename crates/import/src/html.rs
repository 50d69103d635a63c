//! HTML → Markdown for post bodies, with htmd (a turndown-style converter over html5ever)
//! doing the ordinary elements and our handlers the ones that carry meaning here:
//!
//! - `figure` + `figcaption` → an image alone in its paragraph, the caption as its title
//!   (`![alt](src "caption")`, which the viewer shows as a figure); a figure of several images
//!   (Ghost's `kg-gallery-card`, WordPress's gallery block) → a gallery ([`crate::embeds`]);
//! - callout cards and blocks (Ghost's `kg-callout-card`, anything classed `*callout*`),
//!   toggles (`kg-toggle-card`, `<details>`) → GitHub alerts (`> [!TIP]`) with their emoji and
//!   bold first line as the title;
//! - `pre` → fenced code keeping its language (`language-x`, `lang-x`, `lang`, `data-lang`,
//!   SyntaxHighlighter's `brush: x`); tables → GFM tables (htmd);
//! - embeds (`iframe`, `video`, `audio`, social `blockquote`s, embed cards) → a YouTube, Vimeo,
//!   X or Instagram address alone on its line ([`crate::embeds`]), any other → a link, listed
//!   in [`Converted::notes`] for the import report; bookmark cards → a link and its description;
//! - `script`, `style`, `iframe`, forms, `object`/`embed`, `svg` are never carried over, nor are
//!   event handlers, `style` or URLs with unsafe schemes (`javascript:`): links and images are
//!   resolved against the source site and kept only when the viewer would keep them.
//!
//! Before conversion the tree is cleaned in one pass (no recursion: a deeply nested page
//! cannot overflow the stack), and nesting beyond [`MAX_DEPTH`] is flattened to its text.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use article_viewer_core::format::Pick;
use article_viewer_core::urls::{resolve, safe_url, UrlKind};
use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BrStyle, BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown};
use markup5ever_rcdom::{Node, NodeData};

use crate::embeds::{canonical, embed_md, escape_text, gallery_md, Shot};

/// Elements nested deeper than this are flattened into their text (htmd walks recursively).
pub const MAX_DEPTH: usize = 256;

/// Quotes, list items and callouts nested deeper than this are unwrapped (their content
/// kept): each level prefixes every line inside it (`> `, indentation), so 256 nested quotes
/// wrote each line 256 times over, and converted in time of the square of the depth.
pub const MAX_QUOTES: usize = 16;

/// Elements whose content never reaches the Markdown.
const DROPPED: [&str; 18] = [
    "script", "style", "noscript", "template", "form", "input", "button", "select", "textarea", "object", "embed",
    "svg", "math", "canvas", "head", "meta", "link", "dialog",
];

/// What a conversion noted for the import report, shared with the handlers.
type Notes = Arc<Mutex<Vec<String>>>;

fn note(notes: &Notes, message: String) {
    if let Ok(mut n) = notes.lock() {
        n.push(message);
    }
}

/// The converter, built once per import.
pub struct Converter {
    md: HtmlToMarkdown,
    notes: Notes,
}

/// A body converted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Converted {
    pub markdown: String,
    /// An "Editor's Pick" callout found at the top (and removed from the body).
    pub pick: Option<Pick>,
    /// What the import report should list: embeds kept only as links.
    pub notes: Vec<String>,
}

impl Default for Converter {
    fn default() -> Self {
        Self::new()
    }
}

impl Converter {
    pub fn new() -> Converter {
        let options = Options {
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            br_style: BrStyle::Backslash,
            ..Options::default()
        };
        let notes: Notes = Arc::default();
        let (n1, n2, n3, n4) = (notes.clone(), notes.clone(), notes.clone(), notes.clone());
        let md = HtmlToMarkdown::builder()
            .options(options)
            .scripting_enabled(false)
            .skip_tags(DROPPED.to_vec())
            .add_handler(vec!["figure"], move |h: &dyn Handlers, e: Element| figure(h, e, &n1))
            .add_handler(vec!["iframe", "video", "audio"], move |_: &dyn Handlers, e: Element| {
                embed_link(e.node, None, &n2)
            })
            .add_handler(vec!["blockquote"], move |h: &dyn Handlers, e: Element| blockquote(h, e, &n3))
            .add_handler(vec!["div", "aside", "section"], move |h: &dyn Handlers, e: Element| block(h, e, &n4))
            .add_handler(vec!["details"], details)
            .add_handler(vec!["pre"], pre)
            .add_handler(vec!["img"], img)
            .add_handler(vec!["table"], table)
            .add_handler(vec!["b", "strong"], |h: &dyn Handlers, e: Element| nested(h, e, &["b", "strong"]))
            .add_handler(vec!["i", "em"], |h: &dyn Handlers, e: Element| nested(h, e, &["i", "em"]))
            .build();
        Converter { md, notes }
    }

    /// `html` as Markdown; relative links and images resolve against `base`. With `take_pick`,
    /// a callout titled "Editor's Pick" at the very top becomes [`Converted::pick`].
    pub fn convert(&self, html: &str, base: Option<&str>, take_pick: bool) -> Converted {
        let html = limit_nesting(html, MAX_DEPTH);
        let Ok(tree) = self.md.html_to_tree(&html) else { return Converted::default() };
        clean(&tree, base);
        if let Ok(mut n) = self.notes.lock() {
            n.clear();
        }
        let pick = if take_pick { take_editors_pick(self, &tree) } else { None };
        let markdown = tidy(&self.md.tree_to_markdown(&tree));
        let notes = self.notes.lock().map(|mut n| std::mem::take(&mut *n)).unwrap_or_default();
        Converted { markdown, pick, notes }
    }

    /// `html` as one line of inline Markdown (captions and credits keep their links).
    pub fn inline(&self, html: &str, base: Option<&str>) -> String {
        let md = self.convert(html, base, false).markdown;
        crate::text::squash(&md.replace("\\\n", " "))
    }

    /// The text of `html`, whitespace squashed (summaries, titles).
    pub fn text(&self, html: &str) -> String {
        if !html.contains(['<', '&']) {
            return crate::text::squash(html);
        }
        let html = limit_nesting(html, MAX_DEPTH);
        let Ok(tree) = self.md.html_to_tree(&html) else { return String::new() };
        clean(&tree, None);
        crate::text::squash(&text_of(&tree))
    }
}

/// Elements that never hold content (no end tag).
const VOID: [&str; 14] =
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// `html` with the tags nested deeper than `max` left out (their text stays). html5ever
/// checks the open elements for every tag, so nesting costs it time in the square of the
/// depth: a page of 40,000 nested elements took half a minute. A linear scan keeps it
/// within bounds first; ordinary pages come back unchanged (and uncopied).
fn limit_nesting(html: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        let rest = &html[at..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| at + e + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = at + if closing { 2 } else { 1 };
        let name_len = bytes[name_start.min(bytes.len())..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if name_len == 0 {
            i = at + 1;
            continue;
        }
        // The tag ends at the first `>` outside quotes.
        let mut end = name_start + name_len;
        let mut quote = 0u8;
        while end < bytes.len() {
            match bytes[end] {
                b'"' | b'\'' if quote == 0 => quote = bytes[end],
                q if q == quote => quote = 0,
                b'>' if quote == 0 => break,
                _ => {}
            }
            end += 1;
        }
        let end = (end + 1).min(bytes.len());
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let self_closing = html[..end].ends_with("/>");
        let nests = !VOID.contains(&name.as_str()) && !self_closing;
        let drop = if closing {
            let deep = depth > max;
            depth = depth.saturating_sub(1);
            deep && nests
        } else if nests {
            depth += 1;
            depth > max
        } else {
            false
        };
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..at]);
            copied = end;
        }
        i = end;
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

/// Blank-line runs as one blank line; no trailing spaces at line ends; trimmed.
fn tidy(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut blank = 0;
    let mut in_fence = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            in_fence = !in_fence;
        }
        let line = if in_fence { line } else { line.trim_end() };
        if line.is_empty() && !in_fence {
            blank += 1;
            continue;
        }
        if !out.is_empty() && blank > 0 {
            out.push('\n');
        }
        blank = 0;
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

// ---------------------------------------------------------------------------------------------
// The tree: attributes, classes, text, and the cleaning pass.

fn tag_of(node: &Node) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

fn attr(node: &Node, key: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => {
            attrs.borrow().iter().find(|a| &*a.name.local == key).map(|a| a.value.to_string())
        }
        _ => None,
    }
}

fn classes(node: &Node) -> Vec<String> {
    attr(node, "class").map(|c| c.split_whitespace().map(str::to_string).collect()).unwrap_or_default()
}

fn has_class(node: &Node, class: &str) -> bool {
    classes(node).iter().any(|c| c == class)
}

/// The first descendant (depth first, `node` excluded) that `pred` accepts.
fn find(node: &Rc<Node>, pred: &dyn Fn(&Node) -> bool) -> Option<Rc<Node>> {
    let mut stack: Vec<Rc<Node>> = node.children.borrow().iter().rev().cloned().collect();
    while let Some(n) = stack.pop() {
        if pred(&n) {
            return Some(n);
        }
        stack.extend(n.children.borrow().iter().rev().cloned());
    }
    None
}

fn find_all(node: &Rc<Node>, pred: &dyn Fn(&Node) -> bool) -> Vec<Rc<Node>> {
    let mut found = Vec::new();
    let mut stack: Vec<Rc<Node>> = node.children.borrow().iter().rev().cloned().collect();
    while let Some(n) = stack.pop() {
        if pred(&n) {
            found.push(n.clone());
        }
        stack.extend(n.children.borrow().iter().rev().cloned());
    }
    found
}

/// All text under `node`, `<br>` as a newline, dropped elements left out.
fn text_of(node: &Rc<Node>) -> String {
    let mut out = String::new();
    let mut stack = vec![node.clone()];
    while let Some(n) = stack.pop() {
        match &n.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. } => {
                if &*name.local == "br" {
                    out.push('\n');
                }
                if DROPPED.contains(&&*name.local) {
                    continue;
                }
                if matches!(&*name.local, "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    out.push('\n');
                }
                stack.extend(n.children.borrow().iter().rev().cloned());
            }
            _ => stack.extend(n.children.borrow().iter().rev().cloned()),
        }
    }
    out
}

fn text_node(text: &str) -> Rc<Node> {
    Node::new(NodeData::Text { contents: RefCell::new(text.into()) })
}

/// One pass over the tree: drops what never carries over, resolves and checks every link and
/// image, and flattens nesting deeper than [`MAX_DEPTH`].
fn clean(root: &Rc<Node>, base: Option<&str>) {
    // Each node with its depth and the number of quoting elements around it (itself included).
    let mut stack: Vec<(Rc<Node>, usize, usize)> = vec![(root.clone(), 0, 0)];
    while let Some((node, depth, quotes)) = stack.pop() {
        if depth >= MAX_DEPTH && !node.children.borrow().is_empty() {
            let text = text_of(&node);
            *node.children.borrow_mut() = vec![text_node(&text)];
            continue;
        }
        if quotes >= MAX_QUOTES && node.children.borrow().iter().any(|c| quotes_lines(c)) {
            let children = std::mem::take(&mut *node.children.borrow_mut());
            *node.children.borrow_mut() = unwrap_quotes(&node, children);
        }
        node.children.borrow_mut().retain(|child| match tag_of(child) {
            Some(tag) => !DROPPED.contains(&tag) || tag == "head",
            None => !matches!(child.data, NodeData::Comment { .. }),
        });
        if let NodeData::Element { name, attrs, .. } = &node.data {
            let tag = name.local.to_string();
            let mut attrs = attrs.borrow_mut();
            // Lazy-loading plugins keep the real address aside.
            if tag == "img" {
                let lazy = attrs
                    .iter()
                    .find(|a| matches!(&*a.name.local, "data-src" | "data-lazy-src" | "data-original"))
                    .map(|a| a.value.to_string());
                if let Some(lazy) = lazy {
                    attrs.retain(|a| &*a.name.local != "src");
                    if let Some(a) = attrs
                        .iter_mut()
                        .find(|a| matches!(&*a.name.local, "data-src" | "data-lazy-src" | "data-original"))
                    {
                        a.name.local = "src".into();
                        a.value = lazy.as_str().into();
                    }
                }
            }
            attrs.retain(|a| {
                let n = &*a.name.local;
                !(n.starts_with("on") || n == "style" || n == "srcset" || n == "formaction")
            });
            for a in attrs.iter_mut() {
                let kind = match &*a.name.local {
                    "href" | "cite" => UrlKind::Link,
                    "src" | "poster" => UrlKind::Image,
                    _ => continue,
                };
                let url = decode_amp(a.value.trim());
                let safe = safe_url(&url, kind).map(|u| absolute(&u, base));
                a.value = safe.unwrap_or_default().as_str().into();
            }
            attrs.retain(|a| !(matches!(&*a.name.local, "href" | "src" | "cite" | "poster") && a.value.is_empty()));
        }
        if tag_of(&node) == Some("img") && attr(&node, "src").is_none() {
            node.children.borrow_mut().clear();
        }
        for child in node.children.borrow().iter() {
            stack.push((child.clone(), depth + 1, quotes + usize::from(quotes_lines(child))));
        }
    }
    // Images left without an address are removed with their parent's next visit: do it here.
    let empty_images = find_all(root, &|n| tag_of(n) == Some("img") && attr(n, "src").is_none());
    for img in empty_images {
        if let Some(parent) = img.parent.take().and_then(|w| w.upgrade()) {
            parent.children.borrow_mut().retain(|c| !Rc::ptr_eq(c, &img));
        }
    }
}

/// Whether an element prefixes each line of its content in Markdown: quotes, list items and
/// the blocks that become callouts.
fn quotes_lines(node: &Node) -> bool {
    match tag_of(node) {
        Some("blockquote" | "li" | "ul" | "ol" | "details") => true,
        Some("div" | "aside" | "section") => is_callout(node) || has_class(node, "kg-toggle-card"),
        _ => false,
    }
}

/// `children` of `parent` with every quoting element among them (and inside those) replaced
/// by its own children; each node is looked at once. The children are taken out of the
/// element left behind (rcdom empties a dropped node's descendants) and given their new parent.
fn unwrap_quotes(parent: &Rc<Node>, children: Vec<Rc<Node>>) -> Vec<Rc<Node>> {
    let mut out = Vec::with_capacity(children.len());
    let mut stack: Vec<Rc<Node>> = children.into_iter().rev().collect();
    while let Some(c) = stack.pop() {
        if quotes_lines(&c) {
            let inner = std::mem::take(&mut *c.children.borrow_mut());
            stack.extend(inner.into_iter().rev());
        } else {
            c.parent.set(Some(Rc::downgrade(parent)));
            out.push(c);
        }
    }
    out
}

/// `&amp;` left in an attribute by a double-escaping exporter is a plain `&`; an `&` that
/// would read as a character reference once the URL is in Markdown (CommonMark decodes
/// `&#14;` in destinations) is written `%26`, so the address stays the text it was.
fn decode_amp(s: &str) -> String {
    let s = s.replace("&amp;", "&");
    if !s.contains('&') {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name = after.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'#').count();
        let entity_like = name > 0 && name <= 32 && after.as_bytes().get(name) == Some(&b';');
        out.push_str(if entity_like { "%26" } else { "&" });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `url` made absolute against `base` when it is relative (fragments stay as they are).
fn absolute(url: &str, base: Option<&str>) -> String {
    match base {
        Some(b) if !url.starts_with('#') && article_viewer_core::urls::scheme_of(url).is_none() => resolve(b, url),
        _ => url.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown pieces.

/// `s` safe inside `[…]`.
fn escape_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link or image destination: `<…>` when it has spaces or parentheses.
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// A figure: an image alone in its paragraph, the caption as its title.
pub fn figure_md(alt: &str, src: &str, caption: &str) -> String {
    let alt = crate::text::squash(alt);
    let caption = crate::text::squash(caption);
    let title = if caption.is_empty() {
        String::new()
    } else {
        format!(" \"{}\"", caption.replace('\\', "\\\\").replace('"', "\\\""))
    };
    format!("\n\n![{}]({}{title})\n\n", escape_label(&alt), destination(src))
}

/// Markdown as the body of a blockquote.
fn quoted(md: &str) -> String {
    md.trim()
        .lines()
        .map(|l| if l.trim().is_empty() { ">".to_string() } else { format!("> {l}") })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A GitHub alert: `> [!KIND]`, the emoji and bold title on the first line, then the body.
pub fn callout_md(kind: &str, emoji: Option<&str>, title: Option<&str>, body: &str) -> String {
    let mut out = format!("\n\n> [!{kind}]\n");
    if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
        let emoji = emoji.map(str::trim).filter(|e| !e.is_empty());
        let line = match emoji {
            Some(e) => format!("{e} **{}**", title.replace("**", "")),
            None => format!("**{}**", title.replace("**", "")),
        };
        out.push_str(&format!("> {line}\n"));
        if !body.trim().is_empty() {
            out.push_str(">\n");
        }
    }
    if !body.trim().is_empty() {
        out.push_str(&quoted(body));
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Splits converted callout text into its bold first line (the title) and the rest.
fn title_and_body(md: &str) -> (Option<String>, String) {
    let md = md.trim();
    let (first, rest) = match md.split_once('\n') {
        Some((a, b)) => (a, b),
        None => (md, ""),
    };
    let first = first.trim_end_matches('\\').trim();
    let bold = first.strip_prefix("**").and_then(|f| f.strip_suffix("**"));
    match bold {
        Some(t) if !t.contains("**") && !t.is_empty() => (Some(t.trim().to_string()), rest.trim().to_string()),
        _ => (None, md.to_string()),
    }
}

/// The alert kind for a Ghost callout colour (or a class that names a kind).
fn callout_kind(node: &Node) -> &'static str {
    for c in classes(node) {
        let c = c.to_ascii_lowercase();
        for (needle, kind) in [
            ("blue", "NOTE"),
            ("info", "NOTE"),
            ("note", "NOTE"),
            ("green", "TIP"),
            ("tip", "TIP"),
            ("yellow", "WARNING"),
            ("warning", "WARNING"),
            ("red", "CAUTION"),
            ("danger", "CAUTION"),
            ("caution", "CAUTION"),
            ("purple", "IMPORTANT"),
            ("pink", "IMPORTANT"),
            ("important", "IMPORTANT"),
        ] {
            if c.ends_with(needle) && c != "kg-callout-card" {
                return kind;
            }
        }
    }
    "TIP"
}

fn is_callout(node: &Node) -> bool {
    tag_of(node).is_some_and(|t| matches!(t, "div" | "aside" | "section"))
        && classes(node).iter().any(|c| {
            c == "kg-callout-card" || (c.contains("callout") && !c.starts_with("kg-callout-") && !c.contains("__"))
        })
}

/// A callout's emoji, title and body as converted Markdown.
fn callout_parts(handlers: &dyn Handlers, node: &Rc<Node>) -> (Option<String>, Option<String>, String) {
    let emoji_node = find(node, &|n| {
        has_class(n, "kg-callout-emoji")
            || classes(n).iter().any(|c| c.ends_with("callout-emoji") || c.ends_with("callout-icon"))
    });
    let emoji = emoji_node.as_ref().map(|n| crate::text::squash(&text_of(n))).filter(|e| !e.is_empty());
    let text_node = find(node, &|n| {
        has_class(n, "kg-callout-text")
            || classes(n).iter().any(|c| c.ends_with("callout-text") || c.ends_with("callout-content"))
    });
    let md = match &text_node {
        Some(t) => handlers.walk_children(t).content,
        None => {
            if let Some(e) = &emoji_node {
                e.children.borrow_mut().clear();
            }
            handlers.walk_children(node).content
        }
    };
    let md = tidy(&md);
    let (title, body) = title_and_body(&md);
    // Without a title line an emoji alone would become the title: leave the emoji out.
    (emoji, title, body)
}

// ---------------------------------------------------------------------------------------------
// Handlers.

fn figure(handlers: &dyn Handlers, element: Element, notes: &Notes) -> Option<HandlerResult> {
    let node = element.node;
    let caption_node = find(node, &|n| tag_of(n) == Some("figcaption"));
    let caption = caption_node.as_ref().map(|c| crate::text::squash(&text_of(c))).unwrap_or_default();
    if has_class(node, "kg-bookmark-card") {
        if let Some(link) = bookmark(node) {
            return Some(link.into());
        }
    }
    // Embeds: video players, social posts, oEmbed wrappers.
    let is_embed = classes(node).iter().any(|c| c.contains("embed") || c.contains("video"))
        || find(node, &|n| matches!(tag_of(n), Some("iframe" | "video" | "audio"))).is_some();
    if is_embed && find(node, &|n| tag_of(n) == Some("img")).is_none() {
        if let Some(link) = embed_link(node, Some(&caption), notes) {
            return Some(link);
        }
    }
    let images = find_all(node, &|n| tag_of(n) == Some("img") && attr(n, "src").is_some());
    if images.is_empty() {
        if let Some(c) = &caption_node {
            c.children.borrow_mut().clear();
        }
        let body = handlers.walk_children(node).content;
        let body = body.trim();
        let caption = if caption.is_empty() { String::new() } else { format!("\n\n{}", escape_label(&caption)) };
        return Some(format!("\n\n{body}{caption}\n\n").into());
    }
    if images.len() == 1 {
        let img = &images[0];
        let (src, alt) = (attr(img, "src").unwrap_or_default(), attr(img, "alt").unwrap_or_default());
        return Some(figure_md(&alt, &src, &caption).into());
    }
    Some(gallery(node, &images).into())
}

/// A figure of several images as a gallery: each image with the caption of the figure it
/// sits in (WordPress's gallery block), and the outer figure's own caption (Ghost's one).
fn gallery(node: &Rc<Node>, images: &[Rc<Node>]) -> String {
    let own_caption = |figure: &Rc<Node>| {
        children_named(figure, &["figcaption"]).next().map(|c| crate::text::squash(&text_of(&c))).unwrap_or_default()
    };
    let shots: Vec<Shot> = images
        .iter()
        .map(|img| {
            // The figure around the image, below the gallery's own.
            let mut at = parent_of(img);
            let mut steps = 0;
            let mut caption = String::new();
            while let Some(p) = at.filter(|p| !Rc::ptr_eq(p, node) && steps < 8) {
                if tag_of(&p) == Some("figure") {
                    caption = own_caption(&p);
                    break;
                }
                steps += 1;
                at = parent_of(&p);
            }
            Shot { src: attr(img, "src").unwrap_or_default(), alt: attr(img, "alt").unwrap_or_default(), caption }
        })
        .collect();
    gallery_md(&shots, &own_caption(node))
}

/// A bookmark card: its title linked, its description after; a provider's address alone.
fn bookmark(node: &Rc<Node>) -> Option<String> {
    let a = find(node, &|n| tag_of(n) == Some("a") && attr(n, "href").is_some())?;
    let href = attr(&a, "href").unwrap_or_default();
    if let Some(url) = canonical(&href) {
        return Some(embed_md(&url, ""));
    }
    let text = |class: &str| find(node, &|n| has_class(n, class)).map(|t| crate::text::squash(&text_of(&t)));
    let label = text("kg-bookmark-title").filter(|t| !t.is_empty()).unwrap_or_else(|| href.clone());
    let mut out = format!("\n\n[{}]({})", escape_label(&label), destination(&href));
    if let Some(d) = text("kg-bookmark-description").filter(|d| !d.is_empty()) {
        out.push_str("\\\n");
        out.push_str(&escape_text(&d));
    }
    out.push_str("\n\n");
    Some(out)
}

/// The address an embed shows: a player's page rather than its frame where we know it.
fn embed_url(node: &Rc<Node>) -> Option<String> {
    let media = if matches!(tag_of(node), Some("iframe" | "video" | "audio")) {
        Some(node.clone())
    } else {
        find(node, &|n| matches!(tag_of(n), Some("iframe" | "video" | "audio")))
    };
    if let Some(m) = media {
        let src = attr(&m, "src").or_else(|| find(&m, &|n| tag_of(n) == Some("source")).and_then(|s| attr(&s, "src")));
        if let Some(src) = src.filter(|s| s.starts_with("http")) {
            return Some(player_page(&src));
        }
    }
    let permalink = |n: &Node| attr(n, "data-instgrm-permalink").or_else(|| attr(n, "cite"));
    if let Some(url) = permalink(node).or_else(|| find(node, &|n| permalink(n).is_some()).and_then(|n| permalink(&n))) {
        return Some(url);
    }
    // A social post quoted in a blockquote links to itself (last, for X; an Instagram post
    // links its author's page too); oEmbed wrappers hold a bare URL.
    let links = find_all(node, &|n| tag_of(n) == Some("a") && attr(n, "href").is_some_and(|h| h.starts_with("http")));
    let provider = links.iter().rev().find(|a| attr(a, "href").is_some_and(|h| canonical(&h).is_some()));
    if let Some(a) = provider.or(links.last()) {
        return attr(a, "href");
    }
    let text = text_of(node);
    text.split_whitespace().find(|w| w.starts_with("https://") || w.starts_with("http://")).map(str::to_string)
}

/// The provider's own page for a player's frame (YouTube, Vimeo), else `src` as it is.
fn player_page(src: &str) -> String {
    canonical(src).unwrap_or_else(|| src.to_string())
}

/// An embed as its provider's address alone on its line (and its caption after), or, from
/// any other provider, as a link, noted for the report.
fn embed_link(node: &Rc<Node>, caption: Option<&str>, notes: &Notes) -> Option<HandlerResult> {
    let url = embed_url(node)?;
    if safe_url(&url, UrlKind::Link).is_none() {
        return Some("".into());
    }
    let label = caption.map(str::trim).filter(|c| !c.is_empty());
    if let Some(canonical) = canonical(&url) {
        return Some(embed_md(&canonical, label.unwrap_or("")).into());
    }
    note(notes, format!("embed kept as a link (only YouTube, Vimeo, X and Instagram are embedded): {url}"));
    Some(
        match label {
            Some(l) => format!("\n\n[{}]({})\n\n", escape_label(l), destination(&url)),
            None => format!("\n\n<{url}>\n\n"),
        }
        .into(),
    )
}

fn blockquote(handlers: &dyn Handlers, element: Element, notes: &Notes) -> Option<HandlerResult> {
    let social = classes(element.node).iter().any(|c| {
        matches!(c.as_str(), "twitter-tweet" | "instagram-media" | "tiktok-embed" | "twitter-video" | "threads-post")
    }) || attr(element.node, "data-instgrm-permalink").is_some();
    if social {
        // A provider's post is its address (the facade shows it); another's keeps its words.
        if embed_url(element.node).and_then(|u| canonical(&u)).is_some() {
            return embed_link(element.node, None, notes);
        }
        let text = crate::text::squash(&text_of(element.node));
        let label = crate::text::clip(&text, 100);
        return embed_link(element.node, Some(&label), notes);
    }
    handlers.fallback(element)
}

fn block(handlers: &dyn Handlers, element: Element, notes: &Notes) -> Option<HandlerResult> {
    let node = element.node;
    if is_callout(node) {
        let (emoji, title, body) = callout_parts(handlers, node);
        return Some(callout_md(callout_kind(node), emoji.as_deref(), title.as_deref(), &body).into());
    }
    if has_class(node, "kg-toggle-card") {
        let heading = find(node, &|n| has_class(n, "kg-toggle-heading-text") || has_class(n, "kg-toggle-heading"));
        let title = heading.map(|h| crate::text::squash(&text_of(&h)));
        let content = find(node, &|n| has_class(n, "kg-toggle-content"));
        let body = content.map(|c| tidy(&handlers.walk_children(&c).content)).unwrap_or_default();
        return Some(callout_md("NOTE", None, title.as_deref(), &body).into());
    }
    if classes(node).iter().any(|c| c.contains("embed")) && find(node, &|n| tag_of(n) == Some("img")).is_none() {
        if let Some(link) = embed_link(node, None, notes) {
            return Some(link);
        }
    }
    handlers.fallback(element)
}

fn details(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let node = element.node;
    let summary = find(node, &|n| tag_of(n) == Some("summary"));
    let title = summary.as_ref().map(|s| crate::text::squash(&text_of(s)));
    if let Some(s) = &summary {
        s.children.borrow_mut().clear();
    }
    let body = tidy(&handlers.walk_children(node).content);
    Some(callout_md("NOTE", None, title.as_deref(), &body).into())
}

/// The language a code block names, in the ways editors and highlighters write it.
fn code_language(nodes: &[&Node]) -> Option<String> {
    for n in nodes {
        for c in classes(n) {
            for prefix in ["language-", "lang-"] {
                if let Some(l) = c.strip_prefix(prefix) {
                    return Some(l.to_string());
                }
            }
        }
        if let Some(l) = attr(n, "data-lang").or_else(|| attr(n, "lang")).or_else(|| attr(n, "data-language")) {
            return Some(l);
        }
        // SyntaxHighlighter (WordPress): class="brush: php; title: ; notranslate"
        if let Some(class) = attr(n, "class") {
            if let Some(rest) = class.split("brush:").nth(1) {
                let l = rest.trim().split([';', ' ']).next().unwrap_or("");
                if !l.is_empty() {
                    return Some(l.to_string());
                }
            }
        }
    }
    None
}

fn pre(_: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let node = element.node;
    // A Markdown card (Ghost) carried through the HTML as it was written.
    if has_class(node, "av-markdown") {
        return Some(format!("\n\n{}\n\n", text_of(node).trim()).into());
    }
    let code = find(node, &|n| tag_of(n) == Some("code"));
    let mut nodes: Vec<&Node> = Vec::new();
    if let Some(c) = &code {
        nodes.push(c);
    }
    nodes.push(node);
    let language = code_language(&nodes)
        .map(|l| {
            l.chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '#' | '_' | '.'))
                .collect::<String>()
        })
        .unwrap_or_default();
    let text = text_of(node);
    let text = text.strip_prefix('\n').unwrap_or(&text).trim_end_matches(['\n', ' ']);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    Some(format!("\n\n{fence}{language}\n{text}\n{fence}\n\n").into())
}

fn parent_of(node: &Node) -> Option<Rc<Node>> {
    let weak = node.parent.take();
    node.parent.set(weak.clone());
    weak.and_then(|w| w.upgrade())
}

/// Emphasis inside the same emphasis (`<b><strong>`, as Ghost writes) is written once.
fn nested(handlers: &dyn Handlers, element: Element, same: &[&str]) -> Option<HandlerResult> {
    let mut at = parent_of(element.node);
    let mut steps = 0;
    while let Some(p) = at {
        if tag_of(&p).is_some_and(|t| same.contains(&t)) {
            return Some(handlers.walk_children(element.node));
        }
        steps += 1;
        if steps > MAX_DEPTH {
            break;
        }
        at = parent_of(&p);
    }
    handlers.fallback(element)
}

/// A table with headers as a GFM table. htmd pads every cell to its column's widest and every
/// row to the most cells: one wide cell and many rows made a table of 80 KB write 16 MB.
/// Here the header row alone has every column, and no cell is padded (GFM fills short rows).
fn table(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let node = element.node;
    let rows = table_rows(node);
    let header_at = rows.iter().position(|(in_head, row)| *in_head || row_cells(row, &["th"]).next().is_some());
    // Without a header row (or inside another table's cell) htmd writes no table either.
    let Some(header_at) = header_at.filter(|_| !inside_cell(node)) else { return handlers.fallback(element) };
    let cell = |c: &Rc<Node>| {
        let md = handlers.handle(c).map(|r| r.content).unwrap_or_default();
        // One line per row: the cell's lines (and paragraphs) joined by single spaces.
        crate::text::squash(&md).replace('|', "&#124;")
    };
    let header: Vec<String> = row_cells(&rows[header_at].1, &["th", "td"]).map(|c| cell(&c)).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .filter(|(i, (in_head, _))| *i != header_at && !in_head)
        .map(|(_, (_, row))| row_cells(row, &["td", "th"]).map(|c| cell(&c)).collect::<Vec<_>>())
        .filter(|cells| !cells.is_empty())
        .collect();
    let columns = body.iter().map(Vec::len).chain([header.len()]).max().unwrap_or(0);
    if columns == 0 {
        return handlers.fallback(element);
    }
    let mut out = String::from("\n\n");
    for caption in children_named(node, &["caption"]) {
        out.push_str(&crate::text::squash(&text_of(&caption)));
        out.push('\n');
    }
    let line = |cells: &mut dyn Iterator<Item = &str>, out: &mut String| {
        out.push('|');
        for c in cells {
            out.push(' ');
            out.push_str(c);
            out.push_str(" |");
        }
        out.push('\n');
    };
    line(&mut header.iter().map(String::as_str).chain(std::iter::repeat_n("", columns - header.len())), &mut out);
    line(&mut std::iter::repeat_n("---", columns), &mut out);
    for row in &body {
        line(&mut row.iter().map(String::as_str), &mut out);
    }
    out.push('\n');
    Some(out.into())
}

/// Element children of `node` named one of `names`.
fn children_named<'n>(node: &'n Rc<Node>, names: &'n [&str]) -> impl Iterator<Item = Rc<Node>> + 'n {
    let children: Vec<Rc<Node>> =
        node.children.borrow().iter().filter(|c| tag_of(c).is_some_and(|t| names.contains(&t))).cloned().collect();
    children.into_iter()
}

/// A row's cells of the kinds named.
fn row_cells<'n>(row: &'n Rc<Node>, kinds: &'n [&str]) -> impl Iterator<Item = Rc<Node>> + 'n {
    children_named(row, kinds)
}

/// A table's rows, in order, each with whether it is in `thead` (a `thead` without `tr` is
/// its own row, as htmd reads it).
fn table_rows(table: &Rc<Node>) -> Vec<(bool, Rc<Node>)> {
    let mut rows = Vec::new();
    for part in children_named(table, &["thead", "tbody", "tfoot", "tr"]) {
        let head = tag_of(&part) == Some("thead");
        if tag_of(&part) == Some("tr") {
            rows.push((false, part));
            continue;
        }
        let trs: Vec<Rc<Node>> = children_named(&part, &["tr"]).collect();
        if head && trs.is_empty() {
            rows.push((true, part));
        }
        // Only the first row of a `thead` is its header; others are body rows, as in htmd.
        rows.extend(trs.into_iter().enumerate().map(|(i, tr)| (head && i == 0, tr)));
    }
    rows
}

/// Whether `node` lies inside a table cell (its own table is then written as text).
fn inside_cell(node: &Node) -> bool {
    let mut at = parent_of(node);
    let mut steps = 0;
    while let Some(p) = at {
        if matches!(tag_of(&p), Some("td" | "th")) {
            return true;
        }
        steps += 1;
        if steps > MAX_DEPTH {
            break;
        }
        at = parent_of(&p);
    }
    false
}

fn img(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    if attr(element.node, "src").is_none() {
        return Some("".into());
    }
    handlers.fallback(element)
}

// ---------------------------------------------------------------------------------------------
// Editor's Pick.

/// "Editor's Pick", "Editor’s Pick", "Editor' s Pick", "EDITORS PICK", "에디터스 픽"...
fn is_pick_title(s: &str) -> bool {
    let letters: String = s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    matches!(letters.as_str(), "editorspick" | "editorpick" | "에디터스픽" | "에디터픽")
}

/// Removes a callout titled "Editor's Pick" from the top of the body and returns its points.
fn take_editors_pick(converter: &Converter, tree: &Rc<Node>) -> Option<Pick> {
    let body = find(tree, &|n| tag_of(n) == Some("body"))?;
    let first = {
        let children = body.children.borrow();
        children
            .iter()
            .find(|c| match &c.data {
                NodeData::Text { contents } => !contents.borrow().trim().is_empty(),
                NodeData::Element { .. } => {
                    !(tag_of(c) == Some("p")
                        && text_of(c).trim().is_empty()
                        && find(c, &|n| tag_of(n) == Some("img")).is_none())
                }
                _ => false,
            })
            .cloned()?
    };
    if !is_callout(&first) {
        return None;
    }
    let emoji = find(&first, &|n| has_class(n, "kg-callout-emoji")).map(|n| crate::text::squash(&text_of(&n)));
    let holder = find(&first, &|n| has_class(n, "kg-callout-text")).unwrap_or_else(|| first.clone());
    if let Some(e) = find(&holder, &|n| has_class(n, "kg-callout-emoji")) {
        e.children.borrow_mut().clear();
    }
    let md = tidy(&converter.md.tree_to_markdown(&holder));
    let mut lines = md.lines().map(|l| l.trim().trim_end_matches('\\').trim()).filter(|l| !l.is_empty());
    let title_line = lines.next()?;
    let title = title_line.trim_matches('*').trim();
    let title = title.strip_prefix(emoji.as_deref().unwrap_or("\u{0}")).unwrap_or(title).trim();
    if !is_pick_title(title) {
        return None;
    }
    let items: Vec<String> = lines
        .map(|l| {
            let l = l.trim_start_matches("\\-").trim_start_matches(['-', '•', '·', '*', '–', '—', '▶']).trim();
            l.to_string()
        })
        .filter(|l| !l.is_empty())
        .take(article_viewer_core::format::LIMITS.small_list)
        .collect();
    if items.is_empty() {
        return None;
    }
    body.children.borrow_mut().retain(|c| !Rc::ptr_eq(c, &first));
    Some(Pick { title: Some(title.to_string()), items })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        Converter::new().convert(html, Some("https://blog.example/posts/a/"), false).markdown
    }

    #[test]
    fn figures_become_captioned_images() {
        let got = md(
            r#"<p>앞 문단</p><figure class="kg-card kg-image-card kg-card-hascaption"><img src="/content/images/chart.png" alt="오라클 주가 차트" loading="lazy" srcset="a.png 600w"><figcaption><span style="white-space: pre-wrap;">오라클 주가가 하루만에 36% 상승했다 [자료: "오라클"]</span></figcaption></figure><p>뒤 문단</p>"#,
        );
        assert_eq!(
            got,
            "앞 문단\n\n![오라클 주가 차트](https://blog.example/content/images/chart.png \"오라클 주가가 하루만에 36% 상승했다 [자료: \\\"오라클\\\"]\")\n\n뒤 문단"
        );
    }

    #[test]
    fn callouts_become_github_alerts_with_emoji_and_title() {
        let got = md(
            r#"<div class="kg-card kg-callout-card kg-callout-card-grey"><div class="kg-callout-emoji">💡</div><div class="kg-callout-text"><b><strong style="white-space: pre-wrap;">여기서 잠깐!</strong></b><br>오픈AI가 <i>오라클을</i> 선택한 건 아니다.</div></div>"#,
        );
        assert_eq!(got, "> [!TIP]\n> 💡 **여기서 잠깐!**\n>\n> 오픈AI가 *오라클을* 선택한 건 아니다.");
        let got = md(
            r#"<div class="kg-card kg-callout-card kg-callout-card-red"><div class="kg-callout-emoji">⚠️</div><div class="kg-callout-text">제목 없는 경고</div></div>"#,
        );
        assert_eq!(got, "> [!CAUTION]\n> 제목 없는 경고");
        let got = md(
            r#"<div class="kg-card kg-toggle-card" data-kg-toggle-state="close"><div class="kg-toggle-heading"><h4 class="kg-toggle-heading-text">자주 묻는 질문</h4><button class="kg-toggle-card-icon"><svg><path d="M1"/></svg></button></div><div class="kg-toggle-content"><p>답입니다.</p></div></div>"#,
        );
        assert_eq!(got, "> [!NOTE]\n> **자주 묻는 질문**\n>\n> 답입니다.");
        let got = md("<details><summary>더 보기</summary><p>숨은 내용</p></details>");
        assert_eq!(got, "> [!NOTE]\n> **더 보기**\n>\n> 숨은 내용");
    }

    #[test]
    fn code_keeps_its_language_and_tables_become_gfm() {
        assert_eq!(
            md(r#"<pre><code class="language-rust">fn main() {}
</code></pre>"#),
            "```rust\nfn main() {}\n```"
        );
        assert_eq!(
            md(r#"<pre class="brush: php; title: ; notranslate">echo "```";</pre>"#),
            "````php\necho \"```\";\n````"
        );
        let table = md("<figure class=\"wp-block-table\"><table><thead><tr><th>회사</th><th>점유율</th></tr></thead><tbody><tr><td>AWS</td><td>30%</td></tr></tbody></table></figure>");
        assert!(
            table.contains("회사") && table.contains("| --- | --- |") && table.contains("| AWS | 30% |"),
            "{table}"
        );
    }

    fn converted(html: &str) -> Converted {
        Converter::new().convert(html, Some("https://blog.example/posts/a/"), false)
    }

    #[test]
    fn provider_embeds_become_their_address_alone_on_a_line() {
        let c = converted(
            r#"<p>앞</p><figure class="kg-card kg-embed-card kg-card-hascaption"><iframe width="200" src="https://www.youtube.com/embed/abc_123defg?feature=oembed" allowfullscreen></iframe><figcaption><span>현장 *영상*</span></figcaption></figure><p>뒤</p>"#,
        );
        assert_eq!(c.markdown, "앞\n\nhttps://www.youtube.com/watch?v=abc_123defg\n\n현장 \\*영상\\*\n\n뒤");
        assert!(c.notes.is_empty(), "{:?}", c.notes);
        let vimeo = md(
            r#"<figure class="kg-card kg-embed-card"><iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e&amp;app_id=1" frameborder="0"></iframe></figure>"#,
        );
        assert_eq!(vimeo, "https://vimeo.com/76979871");
        let tweet = md(
            r#"<figure class="kg-card kg-embed-card"><blockquote class="twitter-tweet"><p lang="ko">트윗 본문</p>&mdash; 기자 (@reporter) <a href="https://twitter.com/reporter/status/1790?ref_src=twsrc%5Etfw">2025년 9월 12일</a></blockquote><script async src="https://platform.twitter.com/widgets.js"></script></figure>"#,
        );
        assert_eq!(tweet, "https://x.com/reporter/status/1790");
        let insta = md(
            r#"<figure class="kg-card kg-embed-card"><blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink="https://www.instagram.com/p/Cq1-x_Y/?utm_source=ig_embed&amp;utm_campaign=loading" data-instgrm-version="14"><div><a href="https://www.instagram.com/p/Cq1-x_Y/?utm_source=ig_embed">이 게시물 보기</a><p><a href="https://www.instagram.com/newsroom/?utm_source=ig_embed">뉴스룸(@newsroom)님의 공유 게시물</a></p></div></blockquote><script async src="//www.instagram.com/embed.js"></script></figure>"#,
        );
        assert_eq!(insta, "https://www.instagram.com/p/Cq1-x_Y/");
        // A social post quoted outside a card, and WordPress's embed block.
        assert_eq!(
            md(
                r#"<blockquote class="twitter-tweet" data-lang="ko"><p>본문</p><a href="https://x.com/desk/status/42">날짜</a></blockquote>"#
            ),
            "https://x.com/desk/status/42"
        );
        let wp = md("<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube\"><div class=\"wp-block-embed__wrapper\">\nhttps://youtu.be/xyzXYZ01234\n</div><figcaption class=\"wp-element-caption\">설명</figcaption></figure>");
        assert_eq!(wp, "https://www.youtube.com/watch?v=xyzXYZ01234\n\n설명");
    }

    #[test]
    fn other_embeds_stay_links_and_are_noted() {
        let c = converted(
            r#"<figure class="kg-card kg-embed-card"><iframe src="https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/1"></iframe></figure><iframe src="https://maps.example/embed?q=1"></iframe><blockquote class="tiktok-embed" cite="https://www.tiktok.com/@a/video/1"><p>춤</p></blockquote>"#,
        );
        assert_eq!(
            c.markdown,
            "<https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/1>\n\n<https://maps.example/embed?q=1>\n\n[춤](https://www.tiktok.com/@a/video/1)"
        );
        assert_eq!(c.notes.len(), 3, "{:?}", c.notes);
        assert!(c.notes[1].ends_with(": https://maps.example/embed?q=1"), "{}", c.notes[1]);
        // Notes are per conversion.
        let conv = Converter::new();
        assert_eq!(conv.convert("<iframe src=\"https://a.example/\"></iframe>", None, false).notes.len(), 1);
        assert!(conv.convert("<p>x</p>", None, false).notes.is_empty());
    }

    #[test]
    fn bookmark_cards_become_a_link_and_its_description() {
        let bookmark = md(
            r#"<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" href="https://news.example/a"><div class="kg-bookmark-content"><div class="kg-bookmark-title">다른 기사</div><div class="kg-bookmark-description">HBM 수율 *경쟁* 분석</div><div class="kg-bookmark-metadata"><img class="kg-bookmark-icon" src="https://news.example/icon.png"><span class="kg-bookmark-author">뉴스</span></div></div><div class="kg-bookmark-thumbnail"><img src="https://news.example/t.jpg"></div></a></figure>"#,
        );
        assert_eq!(bookmark, "[다른 기사](https://news.example/a)\\\nHBM 수율 \\*경쟁\\* 분석");
        let video = md(
            r#"<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" href="https://youtu.be/q1q1q1q1q1q"><div class="kg-bookmark-title">영상</div></a></figure>"#,
        );
        assert_eq!(video, "https://www.youtube.com/watch?v=q1q1q1q1q1q");
    }

    #[test]
    fn galleries_become_images_on_consecutive_lines() {
        let ghost = md(
            r#"<figure class="kg-card kg-gallery-card kg-width-wide kg-card-hascaption"><div class="kg-gallery-container"><div class="kg-gallery-row"><div class="kg-gallery-image"><img src="/content/images/a.jpg" width="600" height="400" alt="첫째"></div><div class="kg-gallery-image"><img src="/content/images/b.jpg" alt=""></div></div><div class="kg-gallery-row"><div class="kg-gallery-image"><img src="/content/images/c.jpg" alt="셋째"></div></div></div><figcaption>현장 사진 [자료: 뉴스]</figcaption></figure>"#,
        );
        assert_eq!(
            ghost,
            "![첫째](https://blog.example/content/images/a.jpg)\n![](https://blog.example/content/images/b.jpg)\n![셋째](https://blog.example/content/images/c.jpg \"현장 사진 [자료: 뉴스]\")"
        );
        let wp = md(
            r#"<figure class="wp-block-gallery has-nested-images columns-default is-cropped"><figure class="wp-block-image size-large"><img src="https://chips.example/a.jpg" alt="웨이퍼"/><figcaption class="wp-element-caption">웨이퍼 검사</figcaption></figure><figure class="wp-block-image size-large"><a href="https://chips.example/b-full.jpg"><img src="https://chips.example/b.jpg" alt="팹"/></a></figure><figcaption class="blocks-gallery-caption wp-element-caption">공장 내부</figcaption></figure>"#,
        );
        assert_eq!(
            wp,
            "![웨이퍼](https://chips.example/a.jpg \"웨이퍼 검사\")\n![팹](https://chips.example/b.jpg \"공장 내부\")"
        );
        // The older gallery block: a list of figures.
        let old = md(
            r#"<figure class="wp-block-gallery columns-2"><ul class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure><img src="https://chips.example/a.jpg" alt="a"><figcaption class="blocks-gallery-item__caption">가</figcaption></figure></li><li class="blocks-gallery-item"><figure><img src="https://chips.example/b.jpg" alt="b"><figcaption class="blocks-gallery-item__caption">나</figcaption></figure></li></ul></figure>"#,
        );
        assert_eq!(old, "![a](https://chips.example/a.jpg \"가\")\n![b](https://chips.example/b.jpg \"나\")");
        // It renders as one gallery.
        use article_viewer_core::markdown::{render_body, Node, RenderOptions};
        let nodes = render_body(&ghost, &RenderOptions::default());
        assert!(
            matches!(&nodes[..], [Node::Element(e)] if e.children.len() == 3 && format!("{:?}", e.attrs).contains("av-gallery")),
            "{nodes:?}"
        );
    }

    #[test]
    fn nothing_active_is_carried_over() {
        let got = md(
            r#"<p onclick="alert(1)">글 <a href="javascript:alert(1)">링크</a> <a href=" JaVaScRiPt:alert(1)">둘</a> <a href="/about">소개</a></p><script>alert(1)</script><style>p{}</style><iframe src="javascript:alert(1)"></iframe><form action="/x"><input name="q"><button>보내기</button></form><img src="javascript:alert(1)" onerror="alert(1)"><noscript><img src="x.png"></noscript>"#,
        );
        assert_eq!(got, "글 링크 둘 [소개](https://blog.example/about)");
        assert!(!got.contains("alert"));
    }

    #[test]
    fn deep_nesting_is_flattened_quickly_not_a_stack_overflow() {
        let started = std::time::Instant::now();
        let html = format!("{}깊은 글{}", "<div><span>".repeat(20_000), "</span></div>".repeat(20_000));
        let got = md(&html);
        assert!(got.contains("깊은 글"), "{got}");
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        assert_eq!(
            limit_nesting("<p>a<br>b<img src=x /></p><!-- <div> -->", 1),
            "<p>a<br>b<img src=x /></p><!-- <div> -->"
        );
        assert_eq!(limit_nesting("<div><p title='>'>x</p></div>", 1), "<div>x</div>");
    }

    #[test]
    fn the_editors_pick_callout_at_the_top_is_taken_out() {
        let html = r#"<div class="kg-card kg-callout-card kg-callout-card-grey"><div class="kg-callout-emoji">💡</div><div class="kg-callout-text"><b><strong style="white-space: pre-wrap;">Editor's Pick</strong></b><br>- 오픈AI, 5년 간 3천억 달러 <a href="https://x.example/">투자</a><br>- 많은 클라우드 업체와 손 잡고 있는데 굳이?<br>- 가장 궁금한 에너지 문제에 대해서는 아직 침묵</div></div><p>본문</p>"#;
        let c = Converter::new().convert(html, None, true);
        assert_eq!(c.markdown, "본문");
        let pick = c.pick.expect("pick");
        assert_eq!(pick.title.as_deref(), Some("Editor's Pick"));
        assert_eq!(
            pick.items,
            vec![
                "오픈AI, 5년 간 3천억 달러 [투자](https://x.example/)",
                "많은 클라우드 업체와 손 잡고 있는데 굳이?",
                "가장 궁금한 에너지 문제에 대해서는 아직 침묵"
            ]
        );
        // Lower down, it is an ordinary callout.
        let c = Converter::new().convert(&format!("<p>앞</p>{html}"), None, true);
        assert!(c.pick.is_none() && c.markdown.contains("> [!TIP]\n> 💡 **Editor's Pick**"), "{}", c.markdown);
    }

    #[test]
    fn inline_and_text() {
        let c = Converter::new();
        assert_eq!(
            c.inline(
                r#"Photo by <a href="https://unsplash.com/@nik">Nik</a> / <a href="https://unsplash.com">Unsplash</a>"#,
                None
            ),
            "Photo by [Nik](https://unsplash.com/@nik) / [Unsplash](https://unsplash.com)"
        );
        assert_eq!(c.text("<p>첫 &amp; 문단</p>\n<p>둘째</p><script>x</script>"), "첫 & 문단 둘째");
    }

    /// Every link and image destination in `md`, as the viewer's Markdown parser reads them.
    fn destinations(md: &str) -> Vec<String> {
        use pulldown_cmark::{Event, Options, Parser, Tag};
        Parser::new_ext(md, Options::all())
            .filter_map(|e| match e {
                Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                    Some(dest_url.to_string())
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_xss_corpus_converts_to_safe_markdown() {
        use article_viewer_core::markdown::{check_safe, render_body, RenderOptions};
        let corpus = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../e2e/data/xss-payloads.json"))
            .expect("corpus");
        let corpus: serde_json::Value = serde_json::from_str(&corpus).expect("json");
        let payloads = corpus["payloads"].as_array().expect("payloads");
        assert!(payloads.len() > 200);
        let c = Converter::new();
        let opts = RenderOptions { base: Some("https://blog.example/a/".into()), ..RenderOptions::default() };
        for p in payloads {
            let payload = p["payload"].as_str().unwrap_or_default();
            let escaped = article_viewer_publish::html::escape(payload);
            for html in [
                payload.to_string(),
                format!("<p>{payload}</p>"),
                format!("<figure><img src=\"{escaped}\" alt=\"{escaped}\"><figcaption>{payload}</figcaption></figure>"),
                format!("<a href=\"{escaped}\">링크</a>"),
                format!("<div class=\"kg-card kg-callout-card\"><div class=\"kg-callout-text\"><b>{payload}</b><br>{payload}</div></div>"),
            ] {
                let md = c.convert(&html, Some("https://blog.example/a/"), true).markdown;
                for dest in destinations(&md) {
                    assert!(
                        safe_url(&dest, UrlKind::Image).is_some() || safe_url(&dest, UrlKind::Link).is_some(),
                        "payload {}: unsafe destination {dest:?} in {md:?}",
                        p["id"]
                    );
                }
                check_safe(&render_body(&md, &opts)).unwrap_or_else(|e| panic!("payload {}: {e}", p["id"]));
            }
        }
    }

    #[test]
    fn tables_are_not_padded_so_their_size_follows_the_html() {
        let rows: String = (0..5_000).map(|_| "<tr><td>a</td></tr>").collect();
        let html = format!("<table><caption>표</caption><thead><tr><th>{}</th><th>b</th></tr></thead><tbody>{rows}<tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>", "w".repeat(5_000));
        let got = md(&html);
        assert!(got.len() < html.len(), "{} B of Markdown from {} B", got.len(), html.len());
        assert!(got.starts_with("표\n| www"), "{}", &got[..40]);
        // The header row has every column; the rows keep their own cells.
        assert!(got.contains(" | b |  |\n| --- | --- | --- |\n| a |\n"), "{}", &got[5_000..5_100]);
        assert!(got.ends_with("| 1 | 2 | 3 |"), "{}", &got[got.len() - 40..]);
        // A cell's lines and pipes stay inside it.
        assert_eq!(
            md("<table><tr><th>a|b</th></tr><tr><td><p>x</p><p>y</p></td></tr></table>"),
            "| a&#124;b |\n| --- |\n| x y |"
        );
        // Without a header it is no table (as htmd has it).
        let plain = md("<table><tr><td>a</td><td>b</td></tr></table>");
        assert!(!plain.contains('|') && plain.contains('a') && plain.contains('b'), "{plain}");
    }

    #[test]
    fn quotes_nested_past_the_limit_are_unwrapped_with_their_text() {
        let n = 200;
        let html = format!("{}{}", "<blockquote><p>줄</p>".repeat(n), "</blockquote>".repeat(n));
        let got = md(&html);
        assert_eq!(got.matches('줄').count(), n, "no line is lost");
        let deepest = got.lines().map(|l| l.matches('>').count()).max().unwrap_or(0);
        assert_eq!(deepest, MAX_QUOTES);
        // Each line carries at most MAX_QUOTES prefixes, however deep the nesting.
        assert!(got.len() < 4 * html.len(), "{} B from {} B", got.len(), html.len());
        let lists = format!("{}항목{}", "<ul><li>".repeat(100), "</li></ul>".repeat(100));
        assert!(md(&lists).contains("항목"));
    }
}
