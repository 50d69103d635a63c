//! The app shell: keeps the route, loads the document it names, and shows an article, a
//! collection, a loading state or an error. Opening a card is a navigation: in the page's
//! history when the URL is synced, in the viewer's own back stack when it is not.

use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::components::{error_view, loading_view, ArticleView, CollectionView, Same};
use super::config::Config;
use super::dom;
use super::net;
use super::route::{Route, DEFAULT_SRC};
use crate::format::{Article, Collection, Document};
use crate::source::{LoadError, Policy};
use crate::urls::{is_http, origin_of, resolve};

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    pub config: Rc<Config>,
}

#[derive(Clone)]
enum Load {
    Loading,
    Failed(Rc<LoadError>),
    Article { url: Rc<str>, article: Rc<Article> },
    Collection { url: Rc<str>, collection: Rc<Collection> },
}

impl PartialEq for Load {
    fn eq(&self, o: &Self) -> bool {
        match (self, o) {
            (Load::Loading, Load::Loading) => true,
            (Load::Failed(a), Load::Failed(b)) => Rc::ptr_eq(a, b),
            (Load::Article { article: a, .. }, Load::Article { article: b, .. }) => Rc::ptr_eq(a, b),
            (Load::Collection { collection: a, .. }, Load::Collection { collection: b, .. }) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// Where the route's document is, and whether it may be loaded. The site owner's own choice
/// (`data-src`, the default sample) is trusted; anything from the URL or a document is held to
/// the policy, which also admits the owner's document origin.
fn checked_src(config: &Config, src: Option<&str>) -> Result<String, LoadError> {
    let page = dom::href();
    let owner = config.src.clone().unwrap_or_else(|| DEFAULT_SRC.to_string());
    match src {
        None => {
            let url = resolve(&page, &owner);
            if is_http(&url) {
                Ok(url)
            } else {
                Policy::default().check(&owner, &page)
            }
        }
        Some(src) => {
            let mut policy = config.policy.clone();
            policy.allowed_origins.extend(origin_of(&resolve(&page, &owner)));
            policy.check(src, &page)
        }
    }
}

/// Where the viewer is and how it got there: one reducer instead of a state per part, so that
/// a navigation changes them together (and the wasm holds one copy of Yew's state code).
#[derive(Clone, Default)]
struct Nav {
    route: Route,
    /// The viewer's own back stack, used when the page's URL is not synced.
    back: Vec<Route>,
    /// Bumped by "Try again": the same route loads anew.
    attempt: u32,
    /// The last collection shown: the one a tag on an article filters.
    collection: Option<String>,
}

enum Go {
    /// Open a route; `remember` puts the current one on the back stack.
    To { route: Route, remember: bool },
    /// The previous route on the back stack.
    Back,
    /// The same place with other filters, or a route the page's history moved to.
    Replace(Route),
    Retry,
    /// A collection was shown.
    Shown(String),
}

impl Reducible for Nav {
    type Action = Go;

    fn reduce(self: Rc<Self>, action: Go) -> Rc<Self> {
        let mut nav = (*self).clone();
        match action {
            Go::To { route, remember } => {
                if remember {
                    let here = std::mem::replace(&mut nav.route, route);
                    nav.back.push(here);
                } else {
                    nav.route = route;
                }
            }
            Go::Back => match nav.back.pop() {
                Some(prev) => nav.route = prev,
                None => return self,
            },
            Go::Replace(route) => nav.route = route,
            Go::Retry => nav.attempt = nav.attempt.wrapping_add(1),
            Go::Shown(url) if nav.collection.as_ref() == Some(&url) => return self,
            Go::Shown(url) => nav.collection = Some(url),
        }
        Rc::new(nav)
    }
}

fn initial_route(config: &Config) -> Route {
    if config.url_sync {
        Route::from_location(config)
    } else {
        Route::default()
    }
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let config = props.config.clone();
    let nav = {
        let config = config.clone();
        use_reducer(move || Nav { route: initial_route(&config), ..Nav::default() })
    };
    let route = &nav.route;
    let load = use_state(|| Load::Loading);
    let generation = use_mut_ref(|| 0u64);
    let root = use_node_ref();

    {
        let nav = nav.dispatcher();
        let config = config.clone();
        use_effect_with((), move |_| {
            let listener = config.url_sync.then(dom::window).flatten().map(|w| {
                EventListener::new(&w, "popstate", move |_| nav.dispatch(Go::Replace(Route::from_location(&config))))
            });
            move || drop(listener)
        });
    }

    {
        let load = load.clone();
        let generation = generation.clone();
        let config = config.clone();
        // Typing a filter changes the route but not its document: nothing to reload then.
        let src = {
            let config = config.clone();
            use_memo(route.src.clone(), move |src| checked_src(&config, src.as_deref()).map_err(Rc::new))
        };
        // The memo's result by identity: it is recomputed only when the route's document changes.
        use_effect_with((Same(src.clone()), nav.attempt), move |(src, _)| {
            *generation.borrow_mut() += 1;
            let this_load = *generation.borrow();
            load.set(Load::Loading);
            let url = match &*src.0 {
                Ok(url) => url.clone(),
                Err(e) => return load.set(Load::Failed(e.clone())),
            };
            wasm_bindgen_futures::spawn_local(async move {
                let result = net::load(&url, config.timeout_seconds).await;
                // A newer navigation owns the view now; this answer is stale.
                if *generation.borrow() != this_load {
                    return;
                }
                load.set(match result {
                    Err(e) => Load::Failed(Rc::new(e)),
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
            });
        });
    }

    {
        // What a newly shown document changes outside the view: the remembered collection,
        // and on the standalone page the title, the page's language and the #fragment.
        let standalone = config.standalone;
        let nav = nav.dispatcher();
        use_effect_with((*load).clone(), move |load| {
            if let Load::Collection { url, .. } = load {
                nav.dispatch(Go::Shown(url.to_string()));
            }
            if !standalone {
                return;
            }
            let (title, lang) = match load {
                Load::Article { article, .. } => (Some(article.title.clone()), article.language.clone()),
                Load::Collection { collection, .. } => (collection.title.clone(), collection.language.clone()),
                _ => (None, None),
            };
            if let Some(t) = title {
                dom::set_title(&t);
            }
            if let Some(l) = lang {
                dom::set_page_lang(&l);
            }
            if matches!(load, Load::Article { .. }) {
                dom::scroll_to_fragment();
            }
        });
    }
    // The collection a tag on an article filters: the one the reader came from, else (on the
    // standalone page) the bundled one.
    let tag_collection = nav
        .collection
        .clone()
        .or_else(|| (config.standalone && config.src.is_none()).then(|| resolve(&dom::href(), DEFAULT_SRC)))
        .map(AttrValue::from);

    let navigate = {
        let (nav, config, root) = (nav.dispatcher(), config.clone(), root.clone());
        Callback::from(move |next: Route| {
            // A synced page keeps the way back in its own history; an embed keeps it here.
            if config.url_sync {
                next.push(&config);
            }
            scroll_into_view(&config, &root);
            nav.dispatch(Go::To { route: next, remember: !config.url_sync });
        })
    };
    let open = navigate.reform(|doc: String| Route::for_doc(doc));
    let go_back = {
        let (nav, config, root) = (nav.dispatcher(), config.clone(), root.clone());
        Callback::from(move |_: MouseEvent| {
            scroll_into_view(&config, &root);
            nav.dispatch(Go::Back);
        })
    };
    let on_route = {
        let (nav, config) = (nav.dispatcher(), config.clone());
        Callback::from(move |next: Route| {
            next.replace(&config);
            nav.dispatch(Go::Replace(next));
        })
    };
    let retry = {
        let nav = nav.dispatcher();
        Callback::from(move |_| nav.dispatch(Go::Retry))
    };
    // In an embed, in-page links (headings, footnotes) scroll inside the viewer and leave the
    // host's URL and hash router alone.
    let onclick = {
        let standalone = config.standalone;
        Callback::from(move |e: MouseEvent| {
            if !standalone {
                scroll_to_in_page_target(&e);
            }
        })
    };

    let page_lang = config.ui_lang(dom::page_lang().as_deref());
    let text = page_lang.text();
    let view = match &*load {
        Load::Loading => loading_view(page_lang),
        Load::Failed(error) => error_view(error, page_lang, &retry),
        Load::Article { url, article } => html! {
            <ArticleView article={article.clone()} base={AttrValue::from(url.to_string())} on_open={open} config={config.clone()}
                collection={tag_collection} on_navigate={navigate} />
        },
        Load::Collection { url, collection } => html! {
            <CollectionView collection={collection.clone()} base={AttrValue::from(url.to_string())} config={config.clone()}
                on_open={open} route={route.clone()} {on_route} />
        },
    };
    html! {
            <div class="av-app" ref={root} {onclick}>
                if !nav.back.is_empty() {
                    <nav class="av-nav">
                        <button type="button" class="av-button av-back" onclick={go_back}>{ text.back }</button>
                    </nav>
                }
                { view }
            </div>
    }
}

fn scroll_into_view(config: &Config, root: &NodeRef) {
    if config.standalone {
        dom::scroll_to_top();
    } else if let Some(el) = root.cast::<web_sys::Element>() {
        el.scroll_into_view();
    }
}

fn scroll_to_in_page_target(e: &MouseEvent) {
    let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let Ok(Some(link)) = target.closest("a[href^='#']") else { return };
    e.prevent_default();
    let href = link.get_attribute("href").unwrap_or_default();
    let id = js_sys::decode_uri_component(href.trim_start_matches('#'))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    let found = link
        .get_root_node()
        .dyn_into::<web_sys::DocumentFragment>()
        .ok()
        .and_then(|root| root.get_element_by_id(&id));
    if let Some(el) = found {
        el.scroll_into_view();
    }
}
