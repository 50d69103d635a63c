//! Blocks that become more than their Markdown tag: figures, callouts, tables.

use pulldown_cmark::{Alignment, BlockQuoteKind};

use super::tree::{push_node, push_text, Attr, Element, Node, Tag};
use crate::i18n::Lang;

fn is_blank(n: &Node) -> bool {
    matches!(n, Node::Text(t) if t.trim().is_empty())
}

/// An image alone in its paragraph is a figure, its title the caption. Images alone together
/// in one paragraph (on consecutive lines) are a gallery: a group of such figures, one
/// swipeable strip on a phone (static/style.css), named by its count ("사진 3장").
pub(super) fn figure_or_paragraph(p: Element, lang: Lang) -> Node {
    let mut figures = Vec::new();
    for n in &p.children {
        match n {
            Node::Element(e) if e.tag == Tag::Img => figures.push(figure(e.clone())),
            Node::Element(e) if e.tag == Tag::Br => {}
            n if is_blank(n) => {}
            _ => return p.into(),
        }
    }
    if figures.len() < 2 {
        return figures.pop().unwrap_or_else(|| p.into());
    }
    let [before, after] = lang.text().photos;
    let label = [before, &figures.len().to_string(), after].concat();
    let mut gallery = Element::new(Tag::Div)
        .attr(Attr::Class, "av-gallery")
        .attr(Attr::Role, "group")
        .attr(Attr::AriaLabel, label)
        .attr(Attr::Tabindex, "0");
    gallery.children = figures;
    gallery.into()
}

/// `img` as a figure, its title the caption.
fn figure(mut img: Element) -> Node {
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
pub(super) fn callout(mut el: Element, kind: BlockQuoteKind, lang: Lang) -> Node {
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
pub(super) fn table(mut el: Element, aligns: &[Alignment]) -> Node {
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
    // Always a body, even an empty one, as CommonMark writers do.
    el.children.push(tbody.into());
    Element::new(Tag::Div).attr(Attr::Class, "av-table-wrap").attr(Attr::Tabindex, "0").child(el.into()).into()
}
