//! The app shell: keeps the route, loads the document it names, and shows an article, a
//! collection, a loading state or an error. Opening a card is a navigation: in the page's
//! history when the URL is synced, in the viewer's own back stack when it is not. It renders
//! the same on the server (a prerendered page, with the document given) as in the browser.

use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::components::{error_view, frame, loading_view, ArticleView, CollectionView, Frame, Shared};
use super::config::Config;
use super::dom;
use super::net;
use super::route::{Route, DEFAULT_SRC};
use crate::format::{Article, Collection, Document};
use crate::source::{LoadError, Policy};
use crate::urls::{is_http, origin_of, resolve};

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub config: Shared<Config>,
    /// The page's address as the view starts: the route is read from it when the URL is synced,
    /// and links are written relative to it.
    pub page: AttrValue,
    /// The document, when the page already carries it (a prerendered page): shown at once,
    /// without loading it again.
    #[prop_or_default]
    pub initial: Option<Load>,
}

/// What the view shows.
#[derive(Clone, PartialEq)]
pub enum Load {
    Loading,
    Failed(Shared<LoadError>),
    Article { url: AttrValue, article: Shared<Article> },
    Collection { url: AttrValue, collection: Shared<Collection> },
}

impl Load {
    /// A parsed document at `url`.
    pub fn document(url: &str, document: Document) -> Load {
        let url = AttrValue::from(url.to_string());
        match document {
            Document::Article(a) => Load::Article { url, article: a.into() },
            Document::Collection(c) => Load::Collection { url, collection: c.into() },
        }
    }

    fn url(&self) -> Option<&str> {
        match self {
            Load::Article { url, .. } | Load::Collection { url, .. } => Some(url),
            _ => None,
        }
    }
}

/// Where the route's document is, and whether it may be loaded. The site owner's own choice
/// (`data-src`, the default sample, a prerendered page's own document) is trusted; anything
/// from the URL or a document is held to the policy, which also admits the owner's origin.
fn checked_src(config: &Config, route: &Route, page: &str) -> Result<String, LoadError> {
    let owner = config.src.clone().unwrap_or_else(|| DEFAULT_SRC.to_string());
    match route.src.as_deref() {
        Some(src) if route.by_page => Policy::default().check(src, page),
        None => {
            let url = resolve(page, &owner);
            if is_http(&url) {
                Ok(url)
            } else {
                Policy::default().check(&owner, page)
            }
        }
        Some(src) => {
            let mut policy = config.policy.clone();
            policy.allowed_origins.extend(origin_of(&resolve(page, &owner)));
            policy.check(src, page)
        }
    }
}

/// Where the viewer is and how it got there: one reducer instead of a state per part, so that
/// a navigation changes them together (and the wasm holds one copy of Yew's state code).
#[derive(Clone, Default)]
struct Nav {
    route: Route,
    /// The page's address (the viewer's own, when the URL is synced; the host's otherwise).
    page: String,
    /// The viewer's own back stack, used when the page's URL is not synced.
    back: Vec<Route>,
    /// Bumped by "Try again": the same route loads anew.
    attempt: u32,
    /// The last collection shown: the one a tag on an article filters.
    collection: Option<String>,
}

enum Go {
    /// Open a route at a page address; `remember` puts the current route on the back stack.
    To {
        route: Route,
        page: String,
        remember: bool,
    },
    /// The previous route on the back stack.
    Back,
    /// The same place with other filters, or a place the page's history moved to.
    Replace {
        route: Route,
        page: String,
    },
    Retry,
    /// A collection was shown.
    Shown(String),
}

impl Reducible for Nav {
    type Action = Go;

    fn reduce(self: Rc<Self>, action: Go) -> Rc<Self> {
        let mut nav = (*self).clone();
        match action {
            Go::To { route, page, remember } => {
                let here = std::mem::replace(&mut nav.route, route);
                if remember {
                    nav.back.push(here);
                }
                nav.page = page;
            }
            Go::Back => match nav.back.pop() {
                Some(prev) => nav.route = prev,
                None => return self,
            },
            Go::Replace { route, page } => {
                nav.route = route;
                nav.page = page;
            }
            Go::Retry => nav.attempt = nav.attempt.wrapping_add(1),
            Go::Shown(url) if nav.collection.as_ref() == Some(&url) => return self,
            Go::Shown(url) => nav.collection = Some(url),
        }
        Rc::new(nav)
    }
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let config = props.config.clone();
    let nav = {
        let (config, page) = (config.clone(), props.page.to_string());
        use_reducer(move || {
            let route = if config.url_sync {
                Route::from_url(&config, &page)
            } else {
                Route { listing: 1, ..Route::default() }
            };
            Nav { route, page, ..Nav::default() }
        })
    };
    let root = use_node_ref();
    {
        // The app runs: it has drawn (or taken over) the page and answers the reader. Tests and
        // benchmarks wait for this mark.
        let root = root.clone();
        use_effect_with((), move |_| {
            if let Some(el) = root.cast::<web_sys::Element>() {
                // Taking a prerendered page over: the app's page replaces it now.
                if let Some(mount) = el.parent_element() {
                    dom::finish_taking_over(&mount);
                }
                let _ = el.set_attribute("data-ready", "");
            }
        });
    }
    use_location_sync(&config, &nav, &props.page);
    let load = use_document(&config, &nav, props.initial.clone());
    use_shown_effects(&config, &load, nav.dispatcher());

    let page = nav.page.as_str();
    // The collection a tag on an article filters: the one the reader came from, else the site's
    // or (on the standalone page) the bundled one.
    let tag_collection = nav
        .collection
        .clone()
        .or_else(|| config.site.as_ref().map(|s| s.collection.clone()))
        .or_else(|| (config.standalone && config.src.is_none()).then(|| resolve(page, DEFAULT_SRC)))
        .map(AttrValue::from);

    let navigate = {
        let (nav_handle, config, root) = (nav.dispatcher(), config.clone(), root.clone());
        let page = nav.page.clone();
        Callback::from(move |next: Route| {
            // A synced page keeps the way back in its own history; an embed keeps it here.
            let target = move_to(&config, &page, &next, true);
            scroll_into_view(&config, &root);
            nav_handle.dispatch(Go::To { route: next, page: target, remember: !config.url_sync });
        })
    };
    let open = {
        let (route, config) = (nav.route.clone(), config.clone());
        navigate.reform(move |doc: String| route.to_doc(&config, doc))
    };
    let go_back = {
        let (nav, config, root) = (nav.dispatcher(), config.clone(), root.clone());
        Callback::from(move |_: MouseEvent| {
            scroll_into_view(&config, &root);
            nav.dispatch(Go::Back);
        })
    };
    let on_route = {
        let (nav_handle, config, page, here) = (nav.dispatcher(), config.clone(), nav.page.clone(), nav.route.clone());
        Callback::from(move |next: Route| {
            // Typing replaces the history entry; a choice (a chip, an order, "clear", the query
            // as typed) adds one, so Back undoes it before it leaves the page.
            let page = move_to(&config, &page, &next, !only_typed(&here, &next));
            nav_handle.dispatch(Go::Replace { route: next, page });
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

    let page_lang = config.ui_lang(config.page_lang.as_deref());
    let page_attr = AttrValue::from(page.to_string());
    let view = match &load {
        Load::Loading => loading_view(page_lang),
        Load::Failed(error) => error_view(error, page_lang, &retry),
        Load::Article { url, article } => html! {
            <ArticleView article={article.clone()} base={url.clone()} page={page_attr}
                on_open={open} config={config.clone()} collection={tag_collection} route={nav.route.clone()}
                on_navigate={navigate} />
        },
        Load::Collection { url, collection } => html! {
            <CollectionView collection={collection.clone()} base={url.clone()} page={page_attr}
                config={config.clone()} on_open={open} route={nav.route.clone()} {on_route} on_navigate={navigate} />
        },
    };
    let back = (!nav.back.is_empty()).then(|| {
        html! {
            <nav class="av-nav">
                <button type="button" class="av-button av-back" onclick={go_back}>{ page_lang.text().back }</button>
            </nav>
        }
    });
    html! {
        <div class="av-app" ref={root} {onclick}>
            { frame(Frame { config: &config, page, lang: page_lang, content: html! { <>{ for back }{ view }</> } }) }
        </div>
    }
}

/// Keeps the route in step with the page's address: the history's back and forward, and, for
/// a prerendered page taken over with filters in its address, the filters (the prerendered
/// page shows none, and the takeover must first render what the page shows).
#[hook]
fn use_location_sync(config: &Shared<Config>, nav: &UseReducerHandle<Nav>, start: &AttrValue) {
    let nav = nav.dispatcher();
    let (config, start) = (config.clone(), start.clone());
    use_effect_with((), move |_| {
        let listener = config.url_sync.then(dom::window).flatten().map(|w| {
            let (nav, config) = (nav.clone(), config.clone());
            EventListener::new(&w, "popstate", move |_| {
                let page = dom::href();
                nav.dispatch(Go::Replace { route: Route::from_url(&config, &page), page });
            })
        });
        if config.url_sync {
            let page = dom::href();
            let route = Route::from_url(&config, &page);
            if route != Route::from_url(&config, &start) {
                nav.dispatch(Go::Replace { route, page });
            }
        }
        move || drop(listener)
    });
}

/// The document the route names: the page's own when it carries one, else loaded (again when
/// the reader retries). An answer that arrives after a newer navigation is dropped.
#[hook]
fn use_document(config: &Shared<Config>, nav: &UseReducerHandle<Nav>, initial: Option<Load>) -> Load {
    let has_initial = initial.is_some();
    let load = use_state(move || initial.unwrap_or(Load::Loading));
    let generation = use_mut_ref(|| 0u64);
    let keep_initial = use_mut_ref(move || has_initial);
    // Typing a filter changes the route but not its document: compared by value, the target
    // stays the same and nothing reloads.
    let target = checked_src(config, &nav.route, &nav.page);
    {
        let (load, config) = (load.clone(), config.clone());
        // A redirect must end where the route's document itself would have been allowed.
        let allowed = {
            let (config, route, page) = (config.clone(), nav.route.clone(), nav.page.clone());
            move |from: &str| match route.src {
                None => Ok(()),
                Some(_) => {
                    let moved = Route { src: Some(from.to_string()), ..route.clone() };
                    checked_src(&config, &moved, &page).map(|_| ())
                }
            }
        };
        use_effect_with((target, nav.attempt), move |(target, _)| {
            *generation.borrow_mut() += 1;
            let this_load = *generation.borrow();
            let url = match target {
                Ok(url) => url.clone(),
                Err(e) => return load.set(Load::Failed(e.clone().into())),
            };
            if std::mem::take(&mut *keep_initial.borrow_mut()) && load.url() == Some(url.as_str()) {
                return;
            }
            load.set(Load::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                let result = net::load(&url, config.timeout_seconds, allowed).await;
                // A newer navigation owns the view now; this answer is stale.
                if *generation.borrow() != this_load {
                    return;
                }
                load.set(match result {
                    Err(e) => Load::Failed(e.into()),
                    Ok(loaded) => {
                        for w in &loaded.parsed.warnings {
                            dom::console_warn(&format!("article-viewer: {w} (in {})", loaded.url));
                        }
                        Load::document(&loaded.url, loaded.parsed.document)
                    }
                });
            });
        });
    }
    (*load).clone()
}

/// What a newly shown document changes outside the view: the remembered collection, and on
/// the standalone page the title, the page's language and the #fragment.
#[hook]
fn use_shown_effects(config: &Shared<Config>, load: &Load, nav: UseReducerDispatcher<Nav>) {
    let standalone = config.standalone;
    use_effect_with(load.clone(), move |load| {
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

/// The page's address once the view moves to `next`: when the URL is synced, `next` is written
/// into the page's history (a new entry when `push`, else in place of the current one); an
/// embed's host page stays where it is.
/// Whether `next` differs from `here` only by what was typed in the search box.
fn only_typed(here: &Route, next: &Route) -> bool {
    Route { q: next.q.clone(), as_typed: next.as_typed, listing: next.listing, ..here.clone() } == *next
        && !next.as_typed
}

fn move_to(config: &Config, page: &str, next: &Route, push: bool) -> String {
    if !config.url_sync {
        return page.to_string();
    }
    let href = next.href(config, page);
    if push {
        dom::push_url(&href);
    } else {
        dom::replace_url(&href);
    }
    resolve(page, &href)
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
    let id =
        js_sys::decode_uri_component(href.trim_start_matches('#')).ok().and_then(|s| s.as_string()).unwrap_or_default();
    let found =
        link.get_root_node().dyn_into::<web_sys::DocumentFragment>().ok().and_then(|root| root.get_element_by_id(&id));
    if let Some(el) = found {
        el.scroll_into_view();
    }
}
