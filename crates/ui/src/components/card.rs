//! One article card (a "Read more" entry or a collection entry). The title is a real link,
//! stretched over the card by CSS, so open-in-new-tab and copy-link work.

use yew::prelude::*;

use super::byline::{byline, Byline};
use super::{plain_click, Links, Shared};
use crate::config::Config;
use crate::format::Summary;
use crate::i18n::Lang;
use crate::markdown::pictures::{self, Look};
use crate::markdown::{render_inline, strip_links, Node, RenderOptions};
use crate::route::Route;
use crate::search::{split_marked, Highlights};
use crate::urls::{is_http, safe_resolved, UrlKind};
use crate::view;

/// A card's parts. A plain function draws it, not a component: each component type costs the
/// wasm a copy of Yew's lifecycle code (about 1.5 KB brotli), and a card keeps no state.
pub struct CardProps {
    /// Shared with the document that lists it, and compared by identity.
    pub summary: Shared<Summary>,
    /// The document that lists this card: its `href` and images are relative to it.
    pub base: AttrValue,
    /// The page's address: links are written relative to it.
    pub page: AttrValue,
    pub lang: Lang,
    pub on_open: Callback<String>,
    pub config: Shared<Config>,
    /// Where the view is: the card's link is addressed the same way.
    pub route: Route,
    /// `true` in a collection (cards are the page's main list, `h2`), `false` under Read more (`h3`).
    pub primary: bool,
    /// Search hits to mark in the title and summary.
    pub marks: Option<Highlights>,
}

/// Text with `<mark>`ed ranges (byte ranges into `text`, from the search index).
fn marked(text: &str, ranges: Option<&Vec<std::ops::Range<usize>>>) -> Html {
    match ranges.filter(|r| !r.is_empty()) {
        None => view::text(text),
        Some(r) => split_marked(text, r)
            .into_iter()
            .map(|(part, mark)| {
                if mark {
                    html! { <mark>{ view::text(part) }</mark> }
                } else {
                    view::text(part)
                }
            })
            .collect(),
    }
}

/// Where a card leads: an article opened inside the viewer, or an ordinary web page.
#[derive(Clone, PartialEq)]
enum Target {
    Viewer { doc: String, link: String },
    Page { url: String, external: bool },
    Nowhere,
}

fn target(s: &Summary, links: Links<'_>, route: &Route) -> Target {
    if let Some(doc) = s.href.as_deref().and_then(|h| safe_resolved(h, UrlKind::Link, Some(links.base))) {
        if is_http(&doc) {
            let link = route.to_doc(links.config, doc.clone()).href(links.config, links.page);
            return Target::Viewer { link, doc };
        }
    }
    match s.url.as_deref().and_then(|u| safe_resolved(u, UrlKind::Link, Some(links.base))) {
        Some(url) => Target::Page { external: links.external(&url), url: links.href(&url) },
        None => Target::Nowhere,
    }
}

pub fn card(props: &CardProps) -> Html {
    let s = &props.summary;
    let links = Links { page: &props.page, base: &props.base, config: &props.config };
    // The pick points' Markdown (a few short lines) and where the card leads are worked out
    // on each render of the card.
    let pick_items = {
        let opts = RenderOptions { base: Some(props.base.to_string()), lang: props.lang };
        s.editors_pick
            .iter()
            .flat_map(|p| &p.items)
            .map(|item| strip_links(render_inline(item, &opts)))
            .collect::<Vec<Vec<Node>>>()
    };
    let leads_to = target(s, links, &props.route);
    let title_text = marked(&s.title, props.marks.as_ref().map(|m| &m.title));
    let title = match leads_to {
        Target::Viewer { doc, link } => {
            let on_open = props.on_open.clone();
            let onclick = Callback::from(move |e: MouseEvent| {
                if plain_click(&e) {
                    e.prevent_default();
                    on_open.emit(doc.clone());
                }
            });
            html! { <a class="av-card-link" href={link} {onclick}>{ title_text }</a> }
        }
        Target::Page { url, external } => html! {
            <a class="av-card-link" href={url} rel={external.then_some("noopener noreferrer")}>
                { title_text }
                if external { <span class="av-external" aria-hidden="true">{" ↗"}</span> }
            </a>
        },
        Target::Nowhere => html! { <span class="av-card-link">{ title_text }</span> },
    };
    let heading = if props.primary {
        html! { <h2 class="av-card-title" dir="auto">{ title }</h2> }
    } else {
        html! { <h3 class="av-card-title" dir="auto">{ title }</h3> }
    };
    let image = s.image.as_ref().and_then(|img| {
        // A picture of unknown size keeps a 16:9 place.
        let look = Look {
            class: Some("av-card-image"),
            first: false,
            sizes: pictures::CARD_SIZES,
            default_size: Some((640, 360)),
        };
        Some(view::nodes(&[pictures::picture(img, Some(&props.base), &look)?], &props.page))
    });
    html! {
        <article class="av-card">
            { for image }
            <div class="av-card-text">
                { heading }
                if let Some(summary) = &s.summary {
                    <p class="av-card-summary" dir="auto">{ marked(summary, props.marks.as_ref().map(|m| &m.summary)) }</p>
                }
                if let Some(pick) = &s.editors_pick {
                    <ul class="av-card-pick" aria-label={pick.title.clone().unwrap_or_else(|| props.lang.text().editors_pick.to_string())}>
                        { for pick_items.iter().map(|nodes| html! { <li dir="auto">{ view::nodes(nodes, &props.page) }</li> }) }
                    </ul>
                }
                { byline(&Byline {
                    authors: &s.authors, published: s.published.as_ref(), updated: None,
                    minutes: None, lang: props.lang, links, compact: true,
                }) }
            </div>
        </article>
    }
}
