//! The story: headline, dek, byline, tags, hero figure, Editor's Pick, body and Read more.

use std::rc::Rc;

use yew::prelude::*;

use super::byline::{byline, Byline};
use super::plain_click;
use super::card::Card;
use super::collection::lang_attr;
use super::pick::{pick_box, use_pick, PickBox};
use super::{use_unique_id, Same};
use crate::format::Article;
use crate::ui::config::Config;
use crate::ui::route::Route;
use crate::markdown::{plain_text, render_body, render_inline, RenderOptions};
use crate::reading;
use crate::ui::view;
use crate::urls::{safe_resolved, UrlKind};

#[derive(Properties)]
pub struct ArticleProps {
    pub article: Rc<Article>,
    /// Absolute URL of the article document.
    pub base: AttrValue,
    pub on_open: Callback<String>,
    pub config: Rc<Config>,
    /// The collection that tags filter (the one the reader came from), if known.
    #[prop_or_default]
    pub collection: Option<AttrValue>,
    #[prop_or_default]
    pub on_navigate: Callback<Route>,
}

impl PartialEq for ArticleProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.article, &o.article)
            && Rc::ptr_eq(&self.config, &o.config)
            && (&self.base, &self.on_open, &self.collection, &self.on_navigate)
                == (&o.base, &o.on_open, &o.collection, &o.on_navigate)
    }
}

#[function_component(ArticleView)]
pub fn article_view(props: &ArticleProps) -> Html {
    let a = &props.article;
    let config = &props.config;
    let lang = config.ui_lang(a.language.as_deref());
    let text = lang.text();
    let opts = RenderOptions { base: Some(props.base.to_string()), lang };
    let body = {
        let opts = opts.clone();
        use_memo((Same(props.article.clone()), props.base.clone()), move |(a, _)| {
            let a = &a.0;
            let nodes = render_body(&a.body, &opts);
            let words = format!("{} {} {}", a.title, a.subtitle.as_deref().unwrap_or(""), plain_text(&nodes));
            (nodes, reading::minutes(&words))
        })
    };
    let related_id = use_unique_id("av-related-title");
    let (pick_open, toggle_pick) = use_pick(&a.id, config.pick_open);
    let pick_list_id = use_unique_id("av-pick-items");
    let hero = a.image.as_ref().and_then(|img| {
        let src = safe_resolved(&img.src, UrlKind::Image, Some(&props.base))?;
        Some(html! {
            <figure class="av-figure av-hero">
                <img src={src} alt={img.alt.clone().unwrap_or_default()} decoding="async" fetchpriority="high" />
                if let Some(c) = &img.caption {
                    <figcaption class="av-credit">{ view::nodes(&render_inline(c, &opts)) }</figcaption>
                }
            </figure>
        })
    });
    html! {
        <article class="av-article" lang={lang_attr(a.language.as_deref(), lang)}>
            <header class="av-header">
                if !a.tags.is_empty() {
                    <ul class="av-tags" aria-label={text.tags}>
                        { for a.tags.iter().map(|t| html! { <li class="av-tag">{ tag_link(t, props, &config) }</li> }) }
                    </ul>
                }
                <h1 class="av-title" dir="auto">{ view::text(&a.title) }</h1>
                if let Some(s) = &a.subtitle { <p class="av-subtitle" dir="auto">{ view::text(s) }</p> }
                { byline(&Byline {
                    authors: &a.authors, published: a.published.as_ref(), updated: a.updated.as_ref(),
                    minutes: Some(body.1), lang, base: &props.base, compact: false,
                }) }
            </header>
            { for hero }
            if let Some(pick) = &a.editors_pick {
                { pick_box(PickBox {
                    pick, lang, base: &props.base, open: pick_open, toggle: toggle_pick, list_id: pick_list_id,
                }) }
            }
            <div class="av-body">{ view::nodes(&body.0) }</div>
            if !a.related.is_empty() {
                <section class="av-related" aria-labelledby={related_id.clone()}>
                    <h2 class="av-related-title" id={related_id}>{ text.read_more }</h2>
                    <ul class="av-cards">
                        { for a.related.iter().enumerate().map(|(i, s)| html! {
                            <li key={format!("{i}:{}", s.id)}>
                                <Card summary={s.clone()} base={props.base.clone()} lang={lang} on_open={props.on_open.clone()}
                                      config={props.config.clone()} />
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </article>
    }
}

/// A tag opens the collection filtered by it, when there is a collection to open.
fn tag_link(tag: &str, props: &ArticleProps, config: &Config) -> Html {
    let Some(collection) = &props.collection else { return html! { { tag.to_string() } } };
    let route = Route { src: Some(collection.to_string()), tags: vec![tag.to_string()], ..Route::default() };
    let href = route.href(config);
    let on_navigate = props.on_navigate.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        if plain_click(&e) {
            e.prevent_default();
            on_navigate.emit(route.clone());
        }
    });
    html! { <a class="av-tag-link" {href} {onclick}>{ format!("#{tag}") }</a> }
}
