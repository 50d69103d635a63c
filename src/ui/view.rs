//! Turns the pure modules' safe view tree into Yew nodes, element by element.
//! There is no path from content to `innerHTML`.

use yew::virtual_dom::{VNode, VTag, VText};
use yew::Html;

use crate::markdown::{breakable, Attr, Node, Tag};

pub fn nodes(list: &[Node]) -> Html {
    list.iter().map(node).collect::<Html>()
}

fn node(n: &Node) -> VNode {
    match n {
        Node::Text(t) => VNode::VText(VText::new(t.clone())),
        Node::Element(e) => {
            let mut tag = VTag::new(e.tag.as_str());
            for (a, v) in &e.attrs {
                if *a == Attr::Checked && e.tag == Tag::Input {
                    tag.set_checked(true);
                } else {
                    tag.add_attribute(a.as_str(), v.clone());
                }
            }
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
