//! A collection: its title and description above a list of cards.

use std::rc::Rc;

use yew::prelude::*;

use super::card::Card;
use crate::format::Collection;
use crate::i18n::Lang;
use crate::ui::config::Config;
use crate::ui::route::Route;

#[derive(Properties, PartialEq)]
pub struct CollectionProps {
    pub collection: Rc<Collection>,
    pub base: AttrValue,
    pub on_open: Callback<String>,
    /// The filter state (query, facets, sort) and how to change it.
    #[prop_or_default]
    pub route: Route,
    #[prop_or_default]
    pub on_route: Callback<Route>,
}

#[function_component(CollectionView)]
pub fn collection_view(props: &CollectionProps) -> Html {
    let c = &props.collection;
    let config = use_context::<Rc<Config>>().unwrap_or_default();
    let lang = config.ui_lang(c.language.as_deref());
    let text = lang.text();
    html! {
        <main class="av-collection" lang={lang_attr(c.language.as_deref(), lang)}>
            <header class="av-collection-header">
                if let Some(t) = &c.title { <h1 class="av-collection-title">{ t.clone() }</h1> }
                if let Some(d) = &c.description { <p class="av-collection-description">{ d.clone() }</p> }
                <p class="av-count">{ text.article_count(c.articles.len()) }</p>
            </header>
            if c.articles.is_empty() {
                <p class="av-empty">{ text.no_articles }</p>
            } else {
                <ul class="av-cards">
                    { for c.articles.iter().enumerate().map(|(i, s)| html! {
                        <li key={format!("{i}:{}", s.id)}>
                            <Card summary={s.clone()} base={props.base.clone()} lang={lang}
                                  on_open={props.on_open.clone()} primary=true />
                        </li>
                    }) }
                </ul>
            }
        </main>
    }
}

/// The document's own tag when it has one (`ko-KR` stays `ko-KR`), else the interface's.
pub fn lang_attr(tag: Option<&str>, lang: Lang) -> String {
    tag.map(str::trim)
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map_or_else(|| lang.tag().to_string(), str::to_string)
}
