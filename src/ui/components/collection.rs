//! A collection: title and description, a filter bar (search that understands Korean, tag and
//! author facets with live counts, sort), and the matching cards, a page at a time. On a
//! prerendered site each listing page has its own address, so the pages read without
//! JavaScript too; with the app running, the next page arrives as the reader scrolls.

use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::prelude::{Closure, JsValue};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use super::card::Card;
use super::facets::{facet_group, Facet, FacetGroup, FACET_LIMIT, FACET_PAGE};
use super::{plain_click, Shared};
use crate::format::Collection;
use crate::i18n::{Lang, Text};
use crate::listing::{entry, PAGE_SIZE};
use crate::search::{Index, Request, Results, Sort};
use crate::ui::config::Config;
use crate::ui::route::Route;
use crate::ui::{dom, view};

#[derive(Properties, PartialEq)]
pub struct CollectionProps {
    pub collection: Shared<Collection>,
    pub base: AttrValue,
    /// The page's address: links are written relative to it.
    pub page: AttrValue,
    pub on_open: Callback<String>,
    pub config: Shared<Config>,
    /// The filter state (query, facets, sort, listing page) and how to change it.
    #[prop_or_default]
    pub route: Route,
    /// The same place with other filters.
    #[prop_or_default]
    pub on_route: Callback<Route>,
    /// Another place (a listing page).
    #[prop_or_default]
    pub on_navigate: Callback<Route>,
}

fn request(route: &Route) -> Request {
    Request {
        query: route.q.clone(),
        tags: route.tags.clone(),
        authors: route.authors.clone(),
        sort: Sort::parse(&route.sort).unwrap_or_default(),
    }
}

/// What is shown of the results: how many pages past the listing page's first, counted for
/// which request (a new request starts at one page in the same render, with no effect and no
/// second render), and how many values of each facet.
#[derive(Clone)]
struct Shown {
    request: Request,
    pages: usize,
    facets: [usize; 2],
}

enum Show {
    /// One page more of this request's results, asked for when `pages` were shown: the
    /// "more" button and reaching it by scrolling may both ask for the same page, which then
    /// comes once.
    More(Request, usize),
    /// A page more of a facet's values, or (`false`) only its common ones again.
    Facet(Facet, bool),
}

impl Reducible for Shown {
    type Action = Show;

    fn reduce(self: Rc<Self>, action: Show) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Show::More(request, seen) => {
                let current = if s.request == request { s.pages } else { 1 };
                if seen != current {
                    return self;
                }
                s.pages = current + 1;
                s.request = request;
            }
            Show::Facet(kind, more) => {
                let n = &mut s.facets[kind as usize];
                *n = if more { (*n).max(FACET_LIMIT) + FACET_PAGE } else { FACET_LIMIT };
            }
        }
        Rc::new(s)
    }
}

#[function_component(CollectionView)]
pub fn collection_view(props: &CollectionProps) -> Html {
    let c = &props.collection;
    let lang = props.config.ui_lang(c.language.as_deref());
    let text = lang.text();
    let index = use_memo(props.collection.clone(), |c| Index::new(c.articles.iter().map(|s| entry(s)).collect()));
    let req = request(&props.route);
    let results = {
        let index = Shared(index.clone());
        use_memo((index, req.clone()), |(index, req)| index.search(req))
    };
    let shown_state = use_reducer({
        let req = req.clone();
        move || Shown { request: req, pages: 1, facets: [FACET_LIMIT; 2] }
    });
    let pages = if shown_state.request == req { shown_state.pages } else { 1 };
    // A listing page starts where the previous one ended; a filtered view starts at the top.
    let first = (props.route.listing.max(1) as usize - 1) * PAGE_SIZE;
    let first = first.min(results.hits.len());
    let end = (first + pages * PAGE_SIZE).min(results.hits.len());
    let next_page = {
        let (shown, req) = (shown_state.dispatcher(), req.clone());
        Callback::from(move |()| shown.dispatch(Show::More(req.clone(), pages)))
    };
    let more_ref = use_infinite_scroll(next_page.clone(), (first, end));
    let search = use_search_box(&props.route.q, props.config.standalone);
    let filter_bar = filters(Filters { props, results: &results, total: index.len(), shown: &shown_state, text, search });
    html! {
        <section class="av-collection" lang={lang_attr(c.language.as_deref(), lang)}>
            <header class="av-collection-header">
                if let Some(t) = &c.title { <h1 class="av-collection-title" dir="auto">{ view::text(t) }</h1> }
                if let Some(d) = &c.description { <p class="av-collection-description" dir="auto">{ view::text(d) }</p> }
            </header>
            { filter_bar }
            if index.is_empty() {
                <p class="av-empty">{ text.no_articles }</p>
            } else if results.hits.is_empty() {
                <p class="av-empty av-no-results">{ text.no_results }</p>
            } else {
                <ul class="av-cards">
                    { for results.hits[first..end].iter().filter_map(|&i| c.articles.get(i).map(|s| (i, s))).map(|(i, s)| {
                        let marks = props.route.filtered().then(|| index.highlights(i, &props.route.q));
                        html! {
                            <li key={i}>
                                <Card summary={Shared(s.clone())} base={props.base.clone()} page={props.page.clone()} lang={lang}
                                      on_open={props.on_open.clone()} primary=true marks={marks}
                                      config={props.config.clone()} route={props.route.clone()} />
                            </li>
                        }
                    }) }
                </ul>
                { pager(props, text, (first, end, results.hits.len()), next_page, more_ref) }
            }
        </section>
    }
}

/// The way on: "more" (the next listing page's address on a prerendered site, the next
/// results in place with the app running) and, past the first listing page, the previous one.
fn pager(props: &CollectionProps, text: &Text, (first, end, total): (usize, usize, usize), next: Callback<()>, more_ref: NodeRef) -> Html {
    let listing = props.route.listing.max(1);
    let label = format!("{} ({end}/{total})", text.show_more);
    let more = (end < total).then(|| {
        let onclick = Callback::from(move |e: MouseEvent| {
            if plain_click(&e) {
                e.prevent_default();
                next.emit(());
            }
        });
        if props.route.by_page && !props.route.filtered() {
            let href = Route { listing: listing + 1, ..props.route.clone() }.href(&props.config, &props.page);
            html! { <a class="av-button av-more" {href} {onclick} ref={more_ref}>{ label }</a> }
        } else {
            html! { <button type="button" class="av-button av-more" {onclick} ref={more_ref}>{ label }</button> }
        }
    });
    let previous = (first > 0 && props.route.by_page).then(|| {
        let route = Route { listing: listing - 1, ..props.route.clone() };
        let href = route.href(&props.config, &props.page);
        let on_navigate = props.on_navigate.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            if plain_click(&e) {
                e.prevent_default();
                on_navigate.emit(route.clone());
            }
        });
        html! { <a class="av-link-button av-previous" {href} {onclick}>{ text.previous_page }</a> }
    });
    if more.is_none() && previous.is_none() {
        return html! {};
    }
    html! { <nav class="av-pager" aria-label={text.pages}>{ for previous }{ for more }</nav> }
}

struct Filters<'a> {
    props: &'a CollectionProps,
    results: &'a Results,
    total: usize,
    shown: &'a UseReducerHandle<Shown>,
    text: &'static Text,
    search: NodeRef,
}

/// The filter bar: search box, facets, sort, the result count and "clear all".
fn filters(f: Filters<'_>) -> Html {
    let (props, text) = (f.props, f.text);
    let set = {
        let (route, on_route) = (props.route.clone(), props.on_route.clone());
        move |change: &dyn Fn(&mut Route)| {
            // Any change of filters starts again at the top of the results.
            let mut next = Route { listing: 1, ..route.clone() };
            change(&mut next);
            on_route.emit(next);
        }
    };
    let oninput = {
        let set = set.clone();
        Callback::from(move |e: InputEvent| {
            // Every input event counts, composing or not: results follow each keystroke.
            if let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                let q = input.value();
                set(&|r: &mut Route| r.q = q.clone());
            }
        })
    };
    let onkeydown = {
        let set = set.clone();
        Callback::from(move |e: KeyboardEvent| {
            // Enter while an IME is composing confirms the syllable; it must not act on the search.
            if e.is_composing() || e.key_code() == 229 {
                return;
            }
            match e.key().as_str() {
                "Escape" => {
                    if let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                        input.set_value("");
                    }
                    set(&|r: &mut Route| r.q.clear());
                }
                "Enter" => e.prevent_default(),
                _ => {}
            }
        })
    };
    let onsort = {
        let set = set.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) {
                let v = select.value();
                set(&|r: &mut Route| r.sort = if v == "relevance" { String::new() } else { v.clone() });
            }
        })
    };
    let clear = {
        let set = set.clone();
        Callback::from(move |_: MouseEvent| {
            set(&|r: &mut Route| {
                r.q.clear();
                r.tags.clear();
                r.authors.clear();
                r.sort.clear();
            })
        })
    };
    let facet = |kind: Facet, counts: &[(String, usize)], selected: &[String]| {
        let set = set.clone();
        let shown = f.shown.dispatcher();
        facet_group(FacetGroup {
            kind,
            counts,
            selected,
            shown: f.shown.facets[kind as usize],
            on_more: Callback::from(move |more| shown.dispatch(Show::Facet(kind, more))),
            toggle: Callback::from(move |value: String| {
                set(&|r: &mut Route| {
                    let list = match kind {
                        Facet::Tag => &mut r.tags,
                        Facet::Author => &mut r.authors,
                    };
                    match list.iter().position(|v| *v == value) {
                        Some(i) => {
                            list.remove(i);
                        }
                        None => list.push(value.clone()),
                    }
                })
            }),
            text,
        })
    };
    let sort = Sort::parse(&props.route.sort).unwrap_or_default();
    html! {
        <div class="av-filters" role="search">
            <label class="av-visually-hidden" for="av-search">{ text.search_label }</label>
            <input ref={f.search} id="av-search" class="av-search" type="search" autocomplete="off"
                spellcheck="false" placeholder={text.search_placeholder} aria-keyshortcuts="/"
                {oninput} {onkeydown} />
            <div class="av-filter-row">
                { facet(Facet::Tag, &f.results.tag_counts, &props.route.tags) }
                { facet(Facet::Author, &f.results.author_counts, &props.route.authors) }
                <div class="av-sort">
                    <label for="av-sort">{ text.sort }</label>
                    <select id="av-sort" onchange={onsort}>
                        { for [(Sort::Relevance, text.sort_relevance), (Sort::Newest, text.sort_newest), (Sort::Oldest, text.sort_oldest)]
                            .into_iter().map(|(s, label)| html! {
                                <option value={s.as_str()} selected={sort == s}>{ label }</option>
                            }) }
                    </select>
                </div>
            </div>
            <div class="av-filter-status">
                <p class="av-count" role="status" aria-live="polite">{ text.showing(f.results.hits.len(), f.total) }</p>
                if props.route.filtered() {
                    <button type="button" class="av-link-button av-clear" onclick={clear}>{ text.clear_all }</button>
                }
            </div>
        </div>
    }
}

/// The search box, written only when the route's query changes from elsewhere (back/forward,
/// "clear all"): it is not a controlled input, because writing its value while an IME is
/// composing would cancel the composition. On the standalone page `/` focuses it (an embed
/// leaves keys to its host).
#[hook]
fn use_search_box(q: &str, standalone: bool) -> NodeRef {
    let input_ref = use_node_ref();
    {
        let input_ref = input_ref.clone();
        use_effect_with(q.to_string(), move |q| {
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                if input.value() != *q {
                    input.set_value(q);
                }
            }
        });
    }
    {
        let input_ref = input_ref.clone();
        use_effect_with(standalone, move |standalone| {
            let listener = standalone.then(dom::document).flatten().map(|doc| {
                EventListener::new_with_options(&doc, "keydown", EventListenerOptions::enable_prevent_default(), move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                    if e.key() != "/" || e.ctrl_key() || e.meta_key() || e.alt_key() || dom::typing_somewhere() {
                        return;
                    }
                    if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                        e.prevent_default();
                        let _ = input.focus();
                    }
                })
            });
            move || drop(listener)
        });
    }
    input_ref
}

/// The next page arrives as the reader scrolls to the end of this one; the "more" control
/// stays for keyboards and for browsers that scroll no further. `shown` is what is drawn now:
/// the observer is set up again when it changes.
#[hook]
fn use_infinite_scroll(next_page: Callback<()>, shown: (usize, usize)) -> NodeRef {
    let more_ref = use_node_ref();
    {
        let more_ref = more_ref.clone();
        use_effect_with(shown, move |_| {
            let observer = more_ref.cast::<web_sys::Element>().and_then(|more| {
                // The same closure type as the embeds' MutationObserver: one set of glue for both.
                let callback = Closure::<dyn FnMut(JsValue)>::new(move |entries: JsValue| {
                    let entries: js_sys::Array = entries.unchecked_into();
                    let visible = entries.iter().any(|e| {
                        e.dyn_into::<web_sys::IntersectionObserverEntry>().is_ok_and(|e| e.is_intersecting())
                    });
                    if visible {
                        next_page.emit(());
                    }
                });
                let observer = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok()?;
                observer.observe(&more);
                Some((observer, callback))
            });
            move || {
                if let Some((o, _callback)) = observer {
                    o.disconnect();
                }
            }
        });
    }
    more_ref
}

/// The document's own tag when it has one (`ko-KR` stays `ko-KR`), else the interface's.
pub fn lang_attr(tag: Option<&str>, lang: Lang) -> String {
    tag.map(str::trim)
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map_or_else(|| lang.tag().to_string(), str::to_string)
}
