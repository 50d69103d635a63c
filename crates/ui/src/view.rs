//! Turns the pure modules' safe view tree into Yew nodes, element by element.
//! There is no path from content to `innerHTML`.

use yew::virtual_dom::{AttributeOrProperty, Attributes, VNode, VTag, VText};
use yew::{AttrValue, Html};

use crate::markdown::{breakable, Attr, Node, Tag};
use crate::site::relative_url;

/// The tree as Yew nodes; links and images on the page's own origin are written relative to
/// `page` (the tree holds absolute addresses), as every other link of the page is.
pub fn nodes(list: &[Node], page: &str) -> Html {
    list.iter().map(|n| node(n, page)).collect::<Html>()
}

fn node(n: &Node, page: &str) -> VNode {
    match n {
        Node::Text(t) => VNode::VText(VText::new(t.clone())),
        Node::Element(e) => {
            let mut tag = VTag::new(e.tag.as_str());
            if e.attrs.is_empty() {
                tag.add_children(e.children.iter().map(|c| node(c, page)));
                return VNode::from(tag);
            }
            // One slot per attribute the tree can hold, keyed by the shared name list: Yew
            // diffs these by position, with no per-element map (a later value wins, as before).
            let mut values: Box<[Option<AttributeOrProperty>]> = vec![None; Attr::NAMES.len()].into_boxed_slice();
            for (a, v) in &e.attrs {
                if *a == Attr::Checked && e.tag == Tag::Input {
                    tag.set_checked(true);
                } else if let Some(slot) = values.get_mut(*a as usize) {
                    let v = match a {
                        Attr::Href | Attr::Src => relative_url(v, page),
                        Attr::Srcset => srcset(v, page),
                        _ => v.clone(),
                    };
                    *slot = Some(AttributeOrProperty::Attribute(AttrValue::from(v)));
                }
            }
            tag.set_attributes(Attributes::Dynamic { keys: Attr::NAMES, values });
            tag.add_children(e.children.iter().map(|c| node(c, page)));
            if matches!(e.tag, Tag::H2 | Tag::H3) {
                if let Some(id) = e.get(Attr::Id) {
                    tag.add_child(anchor(id));
                }
            }
            VNode::from(tag)
        }
    }
}

/// A `srcset` (`url 480w, url 960w`) with each address written relative to `page`.
fn srcset(v: &str, page: &str) -> String {
    let mut out = String::new();
    for c in v.split(", ") {
        if !out.is_empty() {
            out.push_str(", ");
        }
        let (u, w) = c.split_once(' ').unwrap_or((c, ""));
        out.push_str(&relative_url(u, page));
        out.push(' ');
        out.push_str(w);
    }
    out
}

/// A section heading's link to itself, for the mouse (a reader copies it to point at the
/// section); keyboards reach sections through the table of contents, so it takes no tab stop.
fn anchor(id: &str) -> VNode {
    let mut a = VTag::new("a");
    a.add_attribute("class", "av-anchor");
    a.add_attribute("href", format!("#{id}"));
    a.add_attribute("aria-hidden", "true");
    a.add_attribute("tabindex", "-1");
    a.add_child(VNode::VText(VText::new("#")));
    VNode::from(a)
}

/// Plain text from a document (a title, a summary): long unbroken runs get break
/// opportunities, so a megabyte-long word cannot stall layout.
pub fn text(t: &str) -> Html {
    if t.len() <= crate::markdown::LONG_RUN {
        return Html::from(t.to_string());
    }
    nodes(&breakable(t), "")
}
