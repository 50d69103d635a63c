//! The app shell: reads the route, loads the document it names, and shows an article, a
//! collection, a loading state or an error; opening a card pushes a new route.

use std::rc::Rc;

use gloo_events::EventListener;
use yew::prelude::*;

use super::components::{ArticleView, CollectionView, ErrorView, LoadingView};
use super::dom;
use super::net;
use super::route::Route;
use crate::format::{Article, Collection, Document};
use crate::i18n::Lang;
use crate::source::{LoadError, Policy};

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The viewer owns the page: it may set the title, `<html lang>` and the URL.
    pub standalone: bool,
}

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Failed(LoadError),
    Article { url: Rc<str>, article: Rc<Article> },
    Collection { url: Rc<str>, collection: Rc<Collection> },
}

/// Page configuration read from `<meta>` tags (see README, "Configuration").
fn policy() -> Policy {
    Policy::parse(&dom::meta("article-viewer:allowed-origins").unwrap_or_default())
}

fn timeout_seconds() -> u32 {
    dom::meta("article-viewer:timeout")
        .and_then(|s| s.trim().parse::<u32>().ok())
        .filter(|s| (1..=300).contains(s))
        .unwrap_or(net::TIMEOUT_SECONDS)
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let route = use_state(Route::current);
    let attempt = use_state(|| 0u32);
    let load = use_state(|| Load::Loading);
    let generation = use_mut_ref(|| 0u64);

    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = dom::window()
                .map(|w| EventListener::new(&w, "popstate", move |_| route.set(Route::current())));
            move || drop(listener)
        });
    }

    {
        let load = load.clone();
        let generation = generation.clone();
        use_effect_with(((*route).clone(), *attempt), move |(route, _)| {
            *generation.borrow_mut() += 1;
            let this_load = *generation.borrow();
            load.set(Load::Loading);
            match policy().check(&route.src, &dom::href()) {
                Err(e) => load.set(Load::Failed(e)),
                Ok(url) => wasm_bindgen_futures::spawn_local(async move {
                    let result = net::load(&url, timeout_seconds()).await;
                    // A newer navigation owns the view now; this answer is stale.
                    if *generation.borrow() != this_load {
                        return;
                    }
                    load.set(match result {
                        Err(e) => Load::Failed(e),
                        Ok(parsed) => {
                            for w in &parsed.warnings {
                                dom::console_warn(&format!("article-viewer: {w} (in {url})"));
                            }
                            let url: Rc<str> = url.into();
                            match parsed.document {
                                Document::Article(a) => Load::Article { url, article: Rc::new(a) },
                                Document::Collection(c) => Load::Collection { url, collection: Rc::new(c) },
                            }
                        }
                    });
                }),
            }
        });
    }

    {
        let standalone = props.standalone;
        use_effect_with((*load).clone(), move |load| {
            let (title, lang) = match load {
                Load::Article { article, .. } => (Some(article.title.clone()), article.language.clone()),
                Load::Collection { collection, .. } => (collection.title.clone(), collection.language.clone()),
                _ => (None, None),
            };
            if standalone {
                if let Some(t) = title {
                    dom::set_title(&t);
                }
                if let Some(l) = lang {
                    dom::set_page_lang(&l);
                }
                if matches!(load, Load::Article { .. }) {
                    dom::scroll_to_fragment();
                }
            }
        });
    }

    let open = {
        let route = route.clone();
        Callback::from(move |doc_url: String| {
            Route::push(&Route::link_for(&doc_url));
            dom::scroll_to_top();
            route.set(Route::current());
        })
    };
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };

    match &*load {
        Load::Loading => html! { <LoadingView lang={Lang::from_tag(dom::page_lang().as_deref())} /> },
        Load::Failed(error) => html! {
            <ErrorView error={error.clone()} lang={Lang::from_tag(dom::page_lang().as_deref())} on_retry={retry} />
        },
        Load::Article { url, article } => html! {
            <ArticleView article={article.clone()} base={AttrValue::from(url.to_string())} on_open={open} />
        },
        Load::Collection { url, collection } => html! {
            <CollectionView collection={collection.clone()} base={AttrValue::from(url.to_string())} on_open={open} />
        },
    }
}
