//! The story: headline, dek, byline, tags, hero figure, Editor's Pick, body and Read more.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use super::byline::{byline, Byline};
use super::card::{card, CardProps};
use super::collection::lang_attr;
use super::pick::{pick_box, use_pick, PickBox};
use super::{plain_click, Links, Shared};
use crate::config::Config;
use crate::format::Article;
use crate::i18n::Text;
use crate::markdown::outline::{outline, MIN_SECTIONS};
use crate::markdown::pictures::{self, Look};
use crate::markdown::{plain_text, render_body, render_inline, Node, RenderOptions};
use crate::reading;
use crate::route::Route;
use crate::urls::resolve;
use crate::{dom, view};

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    pub article: Shared<Article>,
    /// Absolute URL of the article document.
    pub base: AttrValue,
    /// The page's address: links are written relative to it.
    pub page: AttrValue,
    pub on_open: Callback<String>,
    pub config: Shared<Config>,
    /// The collection that tags filter (the one the reader came from), if known.
    #[prop_or_default]
    pub collection: Option<AttrValue>,
    /// Where the view is: links to other places are addressed the same way.
    #[prop_or_default]
    pub route: Route,
    #[prop_or_default]
    pub on_navigate: Callback<Route>,
}

/// Top-level blocks of a body drawn in the first render in the browser (a long body's blocks are
/// chunks of about 8 KB: two fill more than a screen); later batches (a task each) grow with
/// what is drawn, between these bounds: few renders of the whole list, no task over ~100 ms.
const FIRST_BLOCKS: usize = 2;
const BATCH_BLOCKS: (usize, usize) = (16, 128);

/// How many of a body's top-level blocks to draw. All of them on the server and when taking a
/// prerendered page over (the page shows them all), and for an ordinary body; for a long body
/// (one in chunks) in the browser, the start at once and the rest a batch per task, so a 5 MB
/// story shows its beginning without waiting for its end, and the tab answers meanwhile. A
/// `#fragment` to scroll to gets everything at once.
#[hook]
fn use_progressive(article: &Shared<Article>, body: &[Node]) -> usize {
    let (len, long) = (body.len(), body.first().is_some_and(crate::markdown::is_chunk));
    let start = move || if long && dom::live() && !dom::has_fragment() { FIRST_BLOCKS } else { usize::MAX };
    let shown = use_state_eq(start);
    {
        // Another document in the same view starts again from its beginning.
        let shown = shown.clone();
        use_effect_with(article.clone(), move |_| shown.set(start()));
    }
    {
        let shown = shown.clone();
        use_effect_with((*shown, len), move |&(n, len)| {
            let batch = n.clamp(BATCH_BLOCKS.0, BATCH_BLOCKS.1);
            let next = (n < len).then(|| Timeout::new(0, move || shown.set(n + batch)));
            move || drop(next)
        });
    }
    (*shown).min(len)
}

/// The rendered body (shared with the blocks that draw it) and the reading time, worked out
/// once per document.
#[hook]
fn use_body(article: &Shared<Article>, base: &AttrValue, opts: RenderOptions) -> (Shared<Vec<Node>>, u32) {
    let body = use_memo((article.clone(), base.clone()), move |(a, _)| {
        let mut nodes = render_body(&a.body, &opts);
        pictures::apply(&mut nodes, &a.pictures, opts.base.as_deref());
        let words = format!("{} {} {}", a.title, a.subtitle.as_deref().unwrap_or(""), plain_text(&nodes));
        (Shared::from(nodes), reading::minutes(&words))
    });
    (body.0.clone(), body.1)
}

#[derive(Properties, PartialEq)]
struct BlockProps {
    body: Shared<Vec<Node>>,
    index: usize,
    page: AttrValue,
}

/// One top-level block of the body (a chunk of a long one). A component of its own, so that
/// drawing the next batch of a long body leaves the blocks already drawn alone.
#[function_component(Block)]
fn block(p: &BlockProps) -> Html {
    match p.body.get(p.index) {
        Some(node) => view::nodes(std::slice::from_ref(node), &p.page),
        None => Html::default(),
    }
}

#[function_component(ArticleView)]
pub fn article_view(props: &ArticleProps) -> Html {
    let a = &props.article;
    let config = &props.config;
    let lang = config.ui_lang(a.language.as_deref());
    let text = lang.text();
    let opts = RenderOptions { base: Some(props.base.to_string()), lang };
    let body = use_body(&props.article, &props.base, opts.clone());
    let blocks = use_progressive(&props.article, &body.0);
    let drawn = (0..blocks).map(|index| html! { <Block body={body.0.clone()} {index} page={props.page.clone()} /> });
    let (pick_open, toggle_pick) = use_pick(&props.base, &a.id, config.pick_open);
    let links = Links { page: &props.page, base: &props.base, config };
    let hero = a.image.as_ref().and_then(|img| {
        let look = Look { class: None, first: true, sizes: pictures::STORY_SIZES, default_size: None };
        let picture = pictures::picture(img, Some(&props.base), &look)?;
        Some(html! {
            <figure class="av-figure av-hero">
                { view::nodes(std::slice::from_ref(&picture), &props.page) }
                if let Some(c) = &img.caption {
                    <figcaption class="av-credit">{ view::nodes(&render_inline(c, &opts), &props.page) }</figcaption>
                }
            </figure>
        })
    });
    html! {
        <article class="av-article" lang={lang_attr(a.language.as_deref(), lang)}>
            <header class="av-header">
                if !a.tags.is_empty() {
                    <ul class="av-tags" aria-label={text.tags}>
                        { for a.tags.iter().map(|t| html! { <li class="av-tag" dir="auto">{ tag_link(t, props) }</li> }) }
                    </ul>
                }
                <h1 class="av-title" dir="auto">{ view::text(&a.title) }</h1>
                if let Some(s) = &a.subtitle { <p class="av-subtitle" dir="auto">{ view::text(s) }</p> }
                { byline(&Byline {
                    authors: &a.authors, published: a.published.as_ref(), updated: a.updated.as_ref(),
                    minutes: Some(body.1), lang, links, compact: false,
                }) }
                { share(text) }
            </header>
            { for hero }
            if let Some(pick) = &a.editors_pick {
                { pick_box(PickBox { pick, lang, links, open: pick_open, toggle: toggle_pick }) }
            }
            { contents(&body.0 .0, text) }
            <div class="av-body">{ for drawn }</div>
            if !a.related.is_empty() {
                <section class="av-related" aria-labelledby="av-related-title">
                    <h2 class="av-related-title" id="av-related-title">{ text.read_more }</h2>
                    <ul class="av-cards">
                        { for a.related.iter().enumerate().map(|(i, s)| html! {
                            <li key={format!("{i}:{}", s.id)}>
                                { card(&CardProps {
                                    summary: Shared(s.clone()), base: props.base.clone(), page: props.page.clone(),
                                    lang, on_open: props.on_open.clone(), config: props.config.clone(),
                                    route: props.route.clone(), primary: false, marks: None,
                                }) }
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </article>
    }
}

/// Copy link and share: hidden until a page script that can do them shows them (on a published
/// article page, the page's own script; without JavaScript there is nothing to press).
fn share(text: &Text) -> Html {
    html! {
        <div class="av-share" hidden=true>
            <button type="button" class="av-button av-copy-link">{ text.copy_link }</button>
            <button type="button" class="av-button av-share-button" hidden=true>{ text.share }</button>
            <span class="av-share-status" role="status" data-done={text.link_copied}></span>
        </div>
    }
}

/// The table of contents of a story with [`MIN_SECTIONS`] sections or more.
fn contents(body: &[Node], text: &Text) -> Html {
    let sections = outline(body);
    if sections.len() < MIN_SECTIONS {
        return Html::default();
    }
    html! {
        <nav class="av-toc" aria-labelledby="av-toc-title">
            <h2 class="av-toc-title" id="av-toc-title">{ text.contents }</h2>
            <ol class="av-toc-list">
                { for sections.into_iter().map(|s| html! {
                    <li><a href={format!("#{}", s.id)} dir="auto">{ s.title }</a></li>
                }) }
            </ol>
        </nav>
    }
}

/// A tag leads to its own pages on a published site ([`crate::site::tag_doc`]), elsewhere to
/// the collection filtered by it.
fn tag_link(tag: &str, props: &ArticleProps) -> Html {
    let Some(collection) = &props.collection else { return html! { { tag.to_string() } } };
    let route = match props.config.site.as_ref().filter(|_| props.route.by_page) {
        Some(site) => props.route.to_doc(&props.config, resolve(&site.collection, &crate::site::tag_doc(tag))),
        None => Route { tags: vec![tag.to_string()], ..props.route.to_doc(&props.config, collection.to_string()) },
    };
    let href = route.href(&props.config, &props.page);
    let on_navigate = props.on_navigate.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        if plain_click(&e) {
            e.prevent_default();
            on_navigate.emit(route.clone());
        }
    });
    html! { <a class="av-tag-link" {href} {onclick}>{ format!("#{tag}") }</a> }
}
