//! A story's outline: its sections (the top-level `<h2>` headings with their ids), for a table
//! of contents. Depth is bounded by the tree's own limit (`MAX_DEPTH`).

use super::tree::{Attr, Node, Tag};

/// A table of contents is shown from this many sections on.
pub const MIN_SECTIONS: usize = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The heading's id: the target of `#id`.
    pub id: String,
    /// The heading's text, without markup.
    pub title: String,
}

/// The sections of `body`, in order: top-level `<h2>`s that have an id and some text.
pub fn outline(body: &[Node]) -> Vec<Section> {
    body.iter()
        .filter_map(|n| match n {
            Node::Element(e) if e.tag == Tag::H2 => {
                let id = e.get(Attr::Id)?.to_string();
                let mut title = String::new();
                text_of(&e.children, &mut title);
                let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
                (!title.is_empty()).then_some(Section { id, title })
            }
            _ => None,
        })
        .collect()
}

fn text_of(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => text_of(&e.children, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{render_body, RenderOptions};

    #[test]
    fn sections_are_the_top_level_h2s_with_their_ids() {
        let body = render_body(
            "# 첫째 *장*\n\n본문\n\n## 둘째\n\n### 작은 제목\n\n> ## 인용 속 제목\n\n## 둘째\n\n##   \n",
            &RenderOptions::default(),
        );
        let got = outline(&body);
        let titles: Vec<&str> = got.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["첫째 장", "둘째", "둘째"]);
        let ids: Vec<&str> = got.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), 3);
        assert_ne!(ids[1], ids[2], "ids are unique");
    }
}
