//! XML read as a stream (quick-xml, namespaces resolved), with the few elements a feed or an
//! export is made of (an `item`, an `entry`, a `wp:author`) collected one at a time into a
//! small tree and handed over: memory holds one item, never the file.
//!
//! Text and CDATA sections are joined (WXR splits a `]]>` inside content into two CDATA
//! sections). Entity references beyond XML's five are resolved for the HTML names feeds
//! use (`&nbsp;`, `&hellip;`, ...) and otherwise kept as written. Malformed XML stops the
//! read with its line and column.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::{malformed, Input};
use crate::Error;

pub const ATOM: &str = "http://www.w3.org/2005/Atom";
pub const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
pub const DC: &str = "http://purl.org/dc/elements/1.1/";
pub const MEDIA: &str = "http://search.yahoo.com/mrss/";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RSS1: &str = "http://purl.org/rss/1.0/";
pub const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// Elements nested deeper than this inside a collected element keep only their text.
const MAX_DEPTH: usize = 64;

/// Levels of the path outside collected elements that are kept (and shown to `want`):
/// feeds and exports collect their items two or three levels down. Deeper elements are only
/// counted, so 60,000 nested elements beside `<channel>` cost 60,000 steps and no memory.
const PATH_KEPT: usize = 16;

/// Namespaces longer than any a feed or export uses are kept as [`LONG_NS`]: every element
/// holds its namespace, and a 10 KB one copied into each of many small elements would make
/// memory a large multiple of the file.
const MAX_NS: usize = 128;

/// The namespace of elements and attributes whose namespace is longer than [`MAX_NS`].
pub const LONG_NS: &str = "urn:article-viewer:long-namespace";

fn namespace(res: ResolveResult<'_>) -> String {
    match res {
        ResolveResult::Bound(ns) if ns.into_inner().len() > MAX_NS => LONG_NS.to_string(),
        ResolveResult::Bound(ns) => ns.into_inner().to_string(),
        _ => String::new(),
    }
}

/// An element of a collected item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct El {
    /// Namespace URI ("" when none).
    pub ns: String,
    pub name: String,
    /// (namespace, local name, value).
    pub attrs: Vec<(String, String, String)>,
    pub children: Vec<Node>,
    /// Byte offset of its start tag, for messages.
    pub offset: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    El(El),
    Text(String),
}

impl El {
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.name == name && self.ns == ns
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|c| match c {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn child(&self, ns: &str, name: &str) -> Option<&El> {
        self.elements().find(|e| e.is(ns, name))
    }

    /// A child's text, trimmed; `None` when absent or empty.
    pub fn child_text(&self, ns: &str, name: &str) -> Option<String> {
        self.child(ns, name).map(El::text).map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
    }

    /// An attribute without a namespace (or in `xml:` for `lang`/`base`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(ns, n, _)| n == name && (ns.is_empty() || ns == XML)).map(|(_, _, v)| v.as_str())
    }

    /// All text inside, in order.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut stack: Vec<&Node> = self.children.iter().rev().collect();
        while let Some(n) = stack.pop() {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::El(e) => stack.extend(e.children.iter().rev()),
            }
        }
        out
    }

    /// The children written back as HTML (Atom's `type="xhtml"` content).
    pub fn inner_html(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            write_html(c, &mut out, 0);
        }
        out
    }
}

fn write_html(node: &Node, out: &mut String, depth: usize) {
    match node {
        Node::Text(t) => out.push_str(&article_viewer_publish::html::escape(t)),
        Node::El(e) => {
            out.push('<');
            out.push_str(&e.name);
            for (_, n, v) in &e.attrs {
                out.push_str(&format!(" {n}=\"{}\"", article_viewer_publish::html::escape(v)));
            }
            out.push('>');
            if depth < MAX_DEPTH {
                for c in &e.children {
                    write_html(c, out, depth + 1);
                }
            }
            out.push_str(&format!("</{}>", e.name));
        }
    }
}

/// HTML entity names that feeds use although XML does not define them.
fn entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        "nbsp" => "\u{a0}",
        "hellip" => "…",
        "mdash" => "—",
        "ndash" => "–",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "middot" => "·",
        "bull" => "•",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "laquo" => "«",
        "raquo" => "»",
        "times" => "×",
        _ => return None,
    })
}

fn reference(name: &str) -> Cow<'static, str> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        return match code.and_then(char::from_u32) {
            Some(c) => Cow::Owned(c.to_string()),
            None => Cow::Owned(format!("&{name};")),
        };
    }
    match entity(name) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(format!("&{name};")),
    }
}

/// An attribute value with its references resolved (unknown ones kept as written).
fn attr_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        // A reference's name is short: look no further than 33 bytes for its `;` (searching
        // the rest for each `&` made a value of many `&` quadratic).
        let window = &after.as_bytes()[..after.len().min(33)];
        match window.iter().position(|&b| b == b';') {
            Some(end) => {
                out.push_str(&reference(&after[..end]));
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where a collected element sits: the (namespace, local name) of it and its ancestors.
pub type Path = [(String, String)];

/// Reads `input` from the start; every element for which `want(path)` is true is collected
/// (with all it contains) and handed to `visit` with its path. Returns the root element
/// (its name and attributes, without children).
pub fn walk(
    input: &dyn Input,
    want: &dyn Fn(&Path) -> bool,
    visit: &mut dyn FnMut(&Path, El) -> Result<(), Error>,
) -> Result<El, Error> {
    let source = input.open().map_err(|e| Error::Usage(format!("{}: {e}", input.name())))?;
    let mut reader = NsReader::from_reader(source);
    reader.config_mut().allow_dangling_amp = true;
    let mut buf = Vec::new();
    // The open elements outside collected ones: the first PATH_KEPT kept, the rest counted.
    let mut path: Vec<(String, String)> = Vec::new();
    let mut deeper = 0usize;
    let mut root: Option<El> = None;
    // The element being collected and its open descendants; `skipped` counts open elements
    // beyond MAX_DEPTH whose text goes to the deepest kept one.
    let mut open: Vec<El> = Vec::new();
    let mut skipped = 0usize;
    loop {
        buf.clear();
        let offset = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event_into(&mut buf) {
            Ok((res, ev)) => (namespace(res), ev),
            Err(e) => return Err(malformed(input, reader.error_position(), format!("malformed XML: {e}"))),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) if open.is_empty() && (deeper > 0 || path.len() >= PATH_KEPT) => {
                // Too deep to be collected: only counted.
                if root.is_none() {
                    root = Some(El {
                        ns: ns.clone(),
                        name: e.local_name().into_inner().to_string(),
                        attrs: attributes(&reader, e),
                        children: Vec::new(),
                        offset,
                    });
                }
                if matches!(event, Event::Start(_)) {
                    deeper += 1;
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name().into_inner().to_string();
                if root.is_none() {
                    root = Some(El {
                        ns: ns.clone(),
                        name: name.clone(),
                        attrs: attributes(&reader, e),
                        children: Vec::new(),
                        offset,
                    });
                }
                let collecting = !open.is_empty();
                if !collecting && !empty {
                    path.push((ns.clone(), name.clone()));
                }
                let starts = !collecting && {
                    // An empty element is asked about at its own place, then leaves the path.
                    if empty {
                        path.push((ns.clone(), name.clone()));
                    }
                    let wanted = want(&path);
                    if empty {
                        path.pop();
                    }
                    wanted
                };
                if collecting || starts {
                    if open.len() >= MAX_DEPTH || skipped > 0 {
                        if !empty {
                            skipped += 1;
                        }
                        continue;
                    }
                    let attrs = attributes(&reader, e);
                    open.push(El { ns: ns.clone(), name: name.clone(), attrs, children: Vec::new(), offset });
                    if empty {
                        close(&mut open, &mut path, empty, visit)?;
                    }
                }
            }
            Event::End(_) => {
                if skipped > 0 {
                    skipped -= 1;
                } else if !open.is_empty() {
                    close(&mut open, &mut path, false, visit)?;
                } else if deeper > 0 {
                    deeper -= 1;
                } else {
                    path.pop();
                }
            }
            Event::Text(t) => push_text(&mut open, &t.xml10_content()),
            Event::CData(c) => push_text(&mut open, &c.into_inner()),
            Event::GeneralRef(r) => push_text(&mut open, &reference(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    if !path.is_empty() {
        return Err(malformed(
            input,
            reader.buffer_position(),
            format!("malformed XML: <{}> is never closed", path.last().map_or("", |p| p.1.as_str())),
        ));
    }
    root.ok_or_else(|| malformed(input, 0, "not XML: no element found"))
}

/// The root element (name and attributes), read from the start of `input`.
pub fn root(input: &dyn Input) -> Result<El, Error> {
    let source = input.open().map_err(|e| Error::Usage(format!("{}: {e}", input.name())))?;
    let mut reader = NsReader::from_reader(source);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let offset = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event_into(&mut buf) {
            Ok((res, ev)) => (namespace(res), ev),
            Err(e) => return Err(malformed(input, reader.error_position(), format!("malformed XML: {e}"))),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.local_name().into_inner().to_string();
                return Ok(El { ns, name, attrs: attributes(&reader, e), children: Vec::new(), offset });
            }
            Event::Eof => return Err(malformed(input, offset, "not XML: no element found")),
            _ => {}
        }
    }
}

fn attributes<R>(reader: &NsReader<R>, e: &quick_xml::events::BytesStart<'_>) -> Vec<(String, String, String)> {
    let mut attrs = Vec::new();
    for a in e.attributes().flatten() {
        let (res, local) = reader.resolver().resolve_attribute(a.key);
        let ns = namespace(res);
        let raw = String::from_utf8_lossy(a.value.as_bytes()).into_owned();
        attrs.push((ns, local.into_inner().to_string(), attr_value(&raw)));
    }
    attrs
}

fn push_text(open: &mut [El], text: &str) {
    if let Some(el) = open.last_mut() {
        if let Some(Node::Text(t)) = el.children.last_mut() {
            t.push_str(text);
        } else {
            el.children.push(Node::Text(text.to_string()));
        }
    }
}

/// Closes the innermost open element: into its parent, or, when it is the collected one, to `visit`.
fn close(
    open: &mut Vec<El>,
    path: &mut Vec<(String, String)>,
    empty: bool,
    visit: &mut dyn FnMut(&Path, El) -> Result<(), Error>,
) -> Result<(), Error> {
    let Some(el) = open.pop() else { return Ok(()) };
    match open.last_mut() {
        Some(parent) => parent.children.push(Node::El(el)),
        None => {
            if empty {
                path.push((el.ns.clone(), el.name.clone()));
                let visited = visit(path, el);
                path.pop();
                visited?;
            } else {
                visit(path, el)?;
                path.pop();
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BytesInput;

    fn items(xml: &str) -> Result<Vec<El>, Error> {
        let mut got = Vec::new();
        walk(&BytesInput(xml.as_bytes()), &|p| p.len() == 3 && p[2].1 == "item", &mut |_, el| {
            got.push(el);
            Ok(())
        })?;
        Ok(got)
    }

    #[test]
    fn collects_items_with_cdata_joined_and_entities_resolved() {
        let xml = "<?xml version=\"1.0\"?>\n<rss xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>t</title>\
            <item><title>A &amp; B&nbsp;&hellip; &#xAC00;</title><content:encoded><![CDATA[<p>x ]]]]><![CDATA[> y</p>]]></content:encoded><guid isPermaLink=\"false\">1</guid></item>\
            <item><title>둘</title><category domain=\"post_tag\" nicename=\"%ea%b0%80\"><![CDATA[가]]></category></item></channel></rss>";
        let got = items(xml).expect("read");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].child_text("", "title").as_deref(), Some("A & B\u{a0}… 가"));
        assert_eq!(got[0].child_text(CONTENT, "encoded").as_deref(), Some("<p>x ]]> y</p>"));
        assert_eq!(got[1].child("", "category").and_then(|c| c.attr("nicename")), Some("%ea%b0%80"));
    }

    #[test]
    fn malformed_xml_says_line_and_column() {
        let e =
            items("<rss><channel>\n<item><title>x</titel></item></channel></rss>").expect_err("malformed").to_string();
        assert!(e.starts_with("input:2:"), "{e}");
        assert!(e.contains("malformed XML"), "{e}");
        let e = items("<rss><channel><item><title>잘린").expect_err("truncated").to_string();
        assert!(e.contains("never closed") || e.contains("malformed"), "{e}");
    }

    #[test]
    fn deep_nesting_keeps_text_only() {
        let xml =
            format!("<rss><channel><item>{}깊다{}</item></channel></rss>", "<b>".repeat(10_000), "</b>".repeat(10_000));
        let got = items(&xml).expect("read");
        assert_eq!(got[0].text(), "깊다");
    }

    #[test]
    fn nesting_beside_the_items_is_counted_not_kept() {
        let xml = format!(
            "<rss><channel>{}{}<item><title>a</title></item><item/></channel></rss>",
            "<x>".repeat(50_000),
            "</x>".repeat(50_000)
        );
        let got = items(&xml).expect("read");
        assert_eq!(got.len(), 2);
        // Items deeper than the kept path are not items.
        let deep = format!(
            "<rss>{}<channel><item><title>a</title></item></channel>{}</rss>",
            "<x>".repeat(20),
            "</x>".repeat(20)
        );
        assert!(items(&deep).expect("read").is_empty());
        let e = items(&format!("<rss><channel>{}", "<x>".repeat(40))).expect_err("never closed").to_string();
        assert!(e.contains("never closed"), "{e}");
    }

    #[test]
    fn long_namespaces_and_ampersands_cost_their_size() {
        let ns = format!("urn:{}", "n".repeat(10_000));
        let xml = format!("<rss xmlns=\"{ns}\"><channel><item>{}</item></channel></rss>", "<c/>".repeat(1000));
        let mut got = Vec::new();
        walk(&BytesInput(xml.as_bytes()), &|p| p.len() == 3, &mut |_, el| {
            got.push(el);
            Ok(())
        })
        .expect("read");
        assert_eq!(got[0].ns, LONG_NS);
        assert!(got[0].elements().all(|c| c.ns == LONG_NS));
        let amps = "&".repeat(100_000);
        assert_eq!(attr_value(&amps), amps);
        assert_eq!(attr_value("a&amp;b&x;&#x41;"), "a&b&x;A");
    }
}
