//! Turns the pure modules' safe view tree into Yew nodes, element by element.
//! There is no path from content to `innerHTML`.

use yew::virtual_dom::{AttributeOrProperty, Attributes, VNode, VTag, VText};
use yew::{AttrValue, Html};

use crate::markdown::{breakable, Attr, Node, Tag};

pub fn nodes(list: &[Node]) -> Html {
    list.iter().map(node).collect::<Html>()
}

fn node(n: &Node) -> VNode {
    match n {
        Node::Text(t) => VNode::VText(VText::new(t.clone())),
        Node::Element(e) => {
            let mut tag = VTag::new(e.tag.as_str());
            if e.attrs.is_empty() {
                tag.add_children(e.children.iter().map(node));
                return VNode::from(tag);
            }
            // One slot per attribute the tree can hold, keyed by the shared name list: Yew
            // diffs these by position, with no per-element map (a later value wins, as before).
            let mut values: Box<[Option<AttributeOrProperty>]> = vec![None; Attr::NAMES.len()].into_boxed_slice();
            for (a, v) in &e.attrs {
                if *a == Attr::Checked && e.tag == Tag::Input {
                    tag.set_checked(true);
                } else if let Some(slot) = values.get_mut(*a as usize) {
                    *slot = Some(AttributeOrProperty::Attribute(AttrValue::from(v.clone())));
                }
            }
            tag.set_attributes(Attributes::Dynamic { keys: Attr::NAMES, values });
            tag.add_children(e.children.iter().map(node));
            VNode::from(tag)
        }
    }
}

/// Plain text from a document (a title, a summary): long unbroken runs get break
/// opportunities, so a megabyte-long word cannot stall layout.
pub fn text(t: &str) -> Html {
    if t.len() <= crate::markdown::LONG_RUN {
        return Html::from(t.to_string());
    }
    nodes(&breakable(t))
}
