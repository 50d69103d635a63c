//! One article card (a "Read more" entry or a collection entry). The title is a real link,
//! stretched over the card by CSS, so open-in-new-tab and copy-link work.

use std::rc::Rc;

use yew::prelude::*;

use super::byline::{byline, Byline};
use super::{plain_click, Same};
use crate::format::Summary;
use crate::i18n::Lang;
use crate::markdown::{render_inline, strip_links, Node, RenderOptions};
use crate::search::{split_marked, Highlights};
use crate::ui::config::Config;
use crate::ui::route::Route;
use crate::ui::view;
use crate::urls::{is_external, safe_resolved, UrlKind};

#[derive(Properties)]
pub struct CardProps {
    /// Shared with the document that lists it, and compared by identity.
    pub summary: Rc<Summary>,
    /// The document that lists this card: its `href` and images are relative to it.
    pub base: AttrValue,
    pub lang: Lang,
    pub on_open: Callback<String>,
    pub config: Rc<Config>,
    /// `true` in a collection (cards are the page's main list, `h2`), `false` under Read more (`h3`).
    #[prop_or_default]
    pub primary: bool,
    /// Search hits to mark in the title and summary.
    #[prop_or_default]
    pub marks: Option<Highlights>,
}

impl PartialEq for CardProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.summary, &o.summary)
            && Rc::ptr_eq(&self.config, &o.config)
            && (&self.base, self.lang, &self.on_open, self.primary, &self.marks)
                == (&o.base, o.lang, &o.on_open, o.primary, &o.marks)
    }
}

/// Text with `<mark>`ed ranges (byte ranges into `text`, from the search index).
fn marked(text: &str, ranges: Option<&Vec<std::ops::Range<usize>>>) -> Html {
    match ranges.filter(|r| !r.is_empty()) {
        None => view::text(text),
        Some(r) => split_marked(text, r)
            .into_iter()
            .map(|(part, mark)| if mark { html! { <mark>{ view::text(part) }</mark> } } else { view::text(part) })
            .collect(),
    }
}

/// Where a card leads: an article opened inside the viewer, or an ordinary web page.
#[derive(Clone, PartialEq)]
enum Target {
    Viewer { doc: String, link: String },
    Page(String),
    Nowhere,
}

fn target(s: &Summary, base: &str, config: &Config) -> Target {
    if let Some(doc) = s.href.as_deref().and_then(|h| safe_resolved(h, UrlKind::Link, Some(base))) {
        if crate::urls::is_http(&doc) {
            return Target::Viewer { link: Route::for_doc(doc.clone()).href(config), doc };
        }
    }
    match s.url.as_deref().and_then(|u| safe_resolved(u, UrlKind::Link, Some(base))) {
        Some(url) => Target::Page(url),
        None => Target::Nowhere,
    }
}

#[function_component(Card)]
pub fn card(props: &CardProps) -> Html {
    let s = &props.summary;
    let base = props.base.as_str();
    // Worked out once per card, not on every keystroke of a search that re-renders it: the
    // pick points' Markdown, and where the card leads (which reads the page's address).
    let worked_out = {
        let opts = RenderOptions { base: Some(base.to_string()), lang: props.lang };
        use_memo(
            (Same(props.summary.clone()), props.base.clone(), Same(props.config.clone())),
            move |(s, base, config)| {
                let items: Vec<Vec<Node>> = s.0.editors_pick.iter()
                    .flat_map(|p| &p.items)
                    .map(|item| strip_links(render_inline(item, &opts)))
                    .collect();
                (items, target(&s.0, base, &config.0))
            },
        )
    };
    let (pick_items, leads_to) = (&worked_out.0, &worked_out.1);
    let title_text = marked(&s.title, props.marks.as_ref().map(|m| &m.title));
    let title = match leads_to.clone() {
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
        Target::Page(url) => {
            let ext = is_external(&url, Some(base));
            html! {
                <a class="av-card-link" href={url} rel={ext.then_some("noopener noreferrer")}>
                    { title_text }
                    if ext { <span class="av-external" aria-hidden="true">{" ↗"}</span> }
                </a>
            }
        }
        Target::Nowhere => html! { <span class="av-card-link">{ title_text }</span> },
    };
    let heading = if props.primary {
        html! { <h2 class="av-card-title" dir="auto">{ title }</h2> }
    } else {
        html! { <h3 class="av-card-title" dir="auto">{ title }</h3> }
    };
    let image = s.image.as_ref().and_then(|img| {
        let src = safe_resolved(&img.src, UrlKind::Image, Some(base))?;
        Some(html! {
            <img class="av-card-image" src={src} alt={img.alt.clone().unwrap_or_default()}
                 loading="lazy" decoding="async" width="640" height="360" />
        })
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
                        { for pick_items.iter().map(|nodes| html! { <li>{ view::nodes(nodes) }</li> }) }
                    </ul>
                }
                { byline(&Byline {
                    authors: &s.authors, published: s.published.as_ref(), updated: None,
                    minutes: None, lang: props.lang, base: &props.base, compact: true,
                }) }
            </div>
        </article>
    }
}
