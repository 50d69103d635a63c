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
use yew::virtual_dom::Key;

use super::archive::{archive_of, keyed, use_archive};
use super::card::{card, CardProps};
use super::facets::{facet_group, Facet, FacetGroup, FACET_LIMIT, FACET_PAGE};
use super::prepared;
use super::{plain_click, Shared};
use crate::config::Config;
use crate::format::{Collection, Summary};
use crate::i18n::{Lang, Text};
use crate::listing::{entry, PAGE_SIZE};
use crate::route::Route;
use crate::search::{highlights, Highlights, Index, Request, Sort};
use crate::{dom, view};

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

pub(super) fn request(route: &Route) -> Request {
    Request {
        query: route.q.clone(),
        tags: route.tags.clone(),
        authors: route.authors.clone(),
        sort: Sort::parse(&route.sort).unwrap_or_default(),
        as_typed: route.as_typed,
    }
}

/// What is shown of the results: how many pages past the listing page's first, counted for
/// which request (a new request starts at one page in the same render, with no effect and no
/// second render), and how many values of each facet.
#[derive(Clone)]
pub(super) struct Shown {
    pub request: Request,
    pub pages: usize,
    pub facets: [usize; 2],
}

impl Shown {
    pub fn new(request: Request) -> Shown {
        Shown { request, pages: 1, facets: [FACET_LIMIT; 2] }
    }

    /// Pages shown of `req`'s results (a new request starts at one).
    pub fn pages_of(&self, req: &Request) -> usize {
        if self.request == *req {
            self.pages
        } else {
            1
        }
    }
}

pub(super) enum Show {
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
    // An archive is searched through its index, by a worker; any other collection in memory.
    let archive = archive_of(c, &props.base, props.config.assets.as_deref(), &props.page);
    let req = request(&props.route);
    let shown_state = use_reducer({
        let req = req.clone();
        move || Shown::new(req)
    });
    let pages = shown_state.pages_of(&req);
    let prepared = prepared::use_prepared(&props.collection);
    let index = use_memo((props.collection.clone(), archive.is_some()), |(c, archive)| match &prepared {
        Some(p) if !*archive => p.index.clone(),
        _ => Rc::new(Index::new(if *archive { Vec::new() } else { c.articles.iter().map(|s| entry(s)).collect() })),
    });
    let results = {
        let index = Shared(index.clone());
        use_memo((index, req.clone()), |(index, req)| match &prepared {
            Some(p) if archive.is_none() => p.results(index, req),
            _ => Rc::new(index.search(req)),
        })
    };
    // A listing page starts where the previous one ended; a filtered view starts at the top.
    let start = (props.route.listing.max(1) as usize - 1) * PAGE_SIZE;
    let assets = archive.as_ref().and(props.config.assets.clone());
    let (answer, retry) =
        use_archive(assets, archive.clone().unwrap_or_default(), req.clone(), start, pages * PAGE_SIZE);
    // The archive's answer to this request has come (what is shown before is the older one's).
    let answered = answer.answers(&req, start);
    let (first, end, matched) = if archive.is_some() {
        (answer.start, answer.next, answer.total.unwrap_or(0))
    } else {
        let first = start.min(results.hits.len());
        (first, (first + pages * PAGE_SIZE).min(results.hits.len()), results.hits.len())
    };
    let next_page = {
        let (shown, req) = (shown_state.dispatcher(), req.clone());
        Callback::from(move |()| shown.dispatch(Show::More(req.clone(), pages)))
    };
    let more_ref = use_infinite_scroll(next_page.clone(), (first, end));
    let search = use_search_box(&props.route.q, props.config.standalone);
    let search_open = use_state(|| !props.route.q.is_empty());
    let q = &props.route.q;
    let filtered = props.route.filtered();
    // What was searched: the query, or as read in the other input mode (dhfkzmf -> 오라클).
    let corrected = results.corrected.clone().filter(|_| archive.is_none());
    let read = corrected.as_ref().unwrap_or(q);
    // The cards to draw: each with its key (its entry: an element never shows another entry)
    // and the marks of the query in its title and summary.
    let marks = |s: &Summary| filtered.then(|| highlights(&s.title, s.summary.as_deref().unwrap_or(""), q));
    let cards: Vec<(Key, Rc<Summary>, Option<Highlights>)> = match &archive {
        Some(_) => {
            // Until the archive's first answer, the entries the collection carries (a prerendered
            // page taken over keeps its cards).
            let entries = if answer.total.is_none() && !filtered {
                c.articles.get(start..).unwrap_or_default().iter().take(PAGE_SIZE).collect()
            } else {
                answer.entries.iter().collect()
            };
            keyed(entries, marks)
        }
        // In memory the index marks the words a typo's correction found, too.
        None => results.hits[first..end]
            .iter()
            .filter_map(|&i| {
                c.articles.get(i).map(|s| (i.into(), s.clone(), filtered.then(|| index.highlights(i, read))))
            })
            .collect(),
    };
    let (facets, status) = match &archive {
        Some(_) => {
            let all = if answer.all > 0 {
                answer.all
            } else {
                c.archive.as_ref().and_then(|a| a.entries).unwrap_or(0) as usize
            };
            let status = match answer.total {
                Some(n) if answered && answer.counting => format!("{} · {}", text.showing(n, all), text.counting),
                Some(n) if answered => text.showing(n, all),
                // The failure says the rest.
                _ if answer.error.is_some() => String::new(),
                _ => text.searching.to_string(),
            };
            ((&answer.tag_counts, &answer.author_counts), status)
        }
        None => ((&results.tag_counts, &results.author_counts), text.showing(results.hits.len(), index.len())),
    };
    let filter_bar = filters(Filters {
        route: &props.route,
        on_route: &props.on_route,
        tag_counts: facets.0,
        author_counts: facets.1,
        status,
        shown: &shown_state,
        text,
        search,
        key_hint: props.config.standalone,
        search_open: *search_open,
    });
    let failed = answer.error.as_ref().map(|(why, url)| {
        let on_retry = retry.reform(|_: MouseEvent| ());
        html! {
            <div class="av-error" role="alert">
                <p class="av-error-message">{ format!("{} ({why})", text.archive_failed) }</p>
                <p class="av-error-where"><code>{ url.clone() }</code></p>
                <button type="button" class="av-button av-retry" onclick={on_retry}>{ text.retry }</button>
            </div>
        }
    });
    let nothing = archive.is_none() && c.articles.is_empty();
    // The front: the first listing page, unfiltered, leads with its first story. An attribute,
    // not a computed class: that would go through Yew's Classes set, code the wasm does without.
    let front = first == 0 && !filtered;
    // An archive's results are busy from the first render until this request's answer (or a
    // failure). Only the results: the count line outside them is announced as it changes.
    let busy = archive.is_some() && answer.error.is_none() && (answer.busy() || !answered);
    html! {
        <section class="av-collection" lang={lang_attr(c.language.as_deref(), lang)}>
            <header class="av-collection-header">
                if let Some(t) = &c.title {
                    // The site's header already shows the site's name: the page keeps its heading
                    // for screen readers without showing the same title twice.
                    if props.config.site.as_ref().is_some_and(|s| s.title == *t) {
                        <h1 class="av-collection-title av-visually-hidden" dir="auto">{ view::text(t) }</h1>
                    } else {
                        <h1 class="av-collection-title" dir="auto">{ view::text(t) }</h1>
                    }
                }
                if let Some(d) = &c.description { <p class="av-collection-description" dir="auto">{ view::text(d) }</p> }
            </header>
            { filter_bar }
            if c.archive.is_some() && archive.is_none() {
                <p class="av-archive-offline" role="note">{ text.archive_offline }</p>
            }
            // One node whether or not it failed: Yew matches unkeyed children from the end, so a
            // child that comes and goes would make it draw the search box anew (losing its text).
            { failed.unwrap_or_default() }
            <div class="av-results" aria-busy={busy.to_string()}>
            if nothing {
                <p class="av-empty">{ text.no_articles }</p>
            } else if matched == 0 && (archive.is_none() || answered) {
                <p class="av-empty av-no-results">{ text.no_results }</p>
            } else if cards.is_empty() {
                if busy {
                    <p class="av-loading">{ text.searching }</p>
                }
            } else {
                { corrected.map(|read| corrected_note(props, text, &read)).unwrap_or_default() }
                <ul class="av-cards" data-front={front.then_some("")}>
                    { for cards.into_iter().map(|(key, s, marks)| html! {
                        <li {key}>
                            { card(&CardProps {
                                summary: Shared(s), base: props.base.clone(), page: props.page.clone(), lang,
                                on_open: props.on_open.clone(), primary: true, marks,
                                config: props.config.clone(), route: props.route.clone(),
                            }) }
                        </li>
                    }) }
                </ul>
                { pager(props, text, (first, end, matched), next_page, more_ref, archive.is_none() || end < c.articles.len()) }
            }
            </div>
        </section>
    }
}

/// "'오라클'로 검색한 결과", and the query as typed one click away.
fn corrected_note(props: &CollectionProps, text: &Text, read: &str) -> Html {
    let route = Route { as_typed: true, listing: 1, ..props.route.clone() };
    let href = route.href(&props.config, &props.page);
    let on_route = props.on_route.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        if plain_click(&e) {
            e.prevent_default();
            on_route.emit(route.clone());
        }
    });
    html! {
        <p class="av-corrected" role="status">
            { text.searched_instead(read) }{ " · " }
            <a class="av-as-typed" {href} {onclick}>{ text.search_as_typed(&props.route.q) }</a>
        </p>
    }
}

/// The way on: "more" (the next listing page's address on a prerendered site, the next
/// results in place with the app running) and, past the first listing page, the previous one.
/// `next_listed`: the next listing page was published (an archive's pages go only as far as
/// the entries its collection carries).
pub(super) fn pager(
    props: &CollectionProps,
    text: &Text,
    (first, end, total): (usize, usize, usize),
    next: Callback<()>,
    more_ref: NodeRef,
    next_listed: bool,
) -> Html {
    let listing = props.route.listing.max(1);
    let listing_pages = props.route.by_page;
    let label = format!("{} ({end}/{total})", text.show_more);
    let more = (end < total).then(|| {
        let onclick = Callback::from(move |e: MouseEvent| {
            if plain_click(&e) {
                e.prevent_default();
                next.emit(());
            }
        });
        if listing_pages && next_listed && !props.route.filtered() {
            let href = Route { listing: listing + 1, ..props.route.clone() }.href(&props.config, &props.page);
            html! { <a class="av-button av-more" {href} {onclick} ref={more_ref}>{ label }</a> }
        } else {
            html! { <button type="button" class="av-button av-more" {onclick} ref={more_ref}>{ label }</button> }
        }
    });
    let previous = (first > 0 && listing_pages).then(|| {
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

/// What the filter bar shows and changes; a collection's search and an archive's fill it in.
pub(super) struct Filters<'a> {
    pub route: &'a Route,
    pub on_route: &'a Callback<Route>,
    pub tag_counts: &'a [(String, usize)],
    pub author_counts: &'a [(String, usize)],
    /// What the count line says ("기사 8개 중 2개", or that the archive is still searching).
    pub status: String,
    pub shown: &'a UseReducerHandle<Shown>,
    pub text: &'static Text,
    pub search: NodeRef,
    /// The `/` shortcut works here (the standalone page): say so where there is a keyboard.
    pub key_hint: bool,
    /// The search disclosure starts open (the page was opened with a query). Fixed at the first
    /// render: afterwards the reader opens and closes it.
    pub search_open: bool,
}

/// The filter bar: search box, facets, sort, the result count and "clear all".
pub(super) fn filters(f: Filters<'_>) -> Html {
    let text = f.text;
    let set = {
        let (route, on_route) = (f.route.clone(), f.on_route.clone());
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
                set(&|r: &mut Route| {
                    r.q = q.clone();
                    r.as_typed = false;
                });
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
    let sort = Sort::parse(&f.route.sort).unwrap_or_default();
    html! {
        <div class="av-filters" role="search">
            <label class="av-visually-hidden" for="av-search">{ text.search_label }</label>
            // The search box: always shown in a wide listing; in a narrow one behind "검색" (open
            // when the page was opened with a query), beside "필터" (the CSS decides).
            <details class="av-search-panel" open={f.search_open}>
                <summary class="av-filter-toggle">{ text.search }</summary>
                <div class="av-search-row">
                    <input ref={f.search} id="av-search" class="av-search" type="search" autocomplete="off"
                        spellcheck="false" placeholder={text.search_placeholder} aria-keyshortcuts={f.key_hint.then_some("/")}
                        {oninput} {onkeydown} />
                    if f.key_hint { <span class="av-key-hint" aria-hidden="true">{ text.key_hint }</span> }
                </div>
            </details>
            // Facets and the order: always shown on a wide screen; on a phone behind a
            // disclosure, so the first story is in the first screen (the CSS decides).
            <details class="av-filter-panel">
                <summary class="av-filter-toggle">{ filters_label(text, f.route) }</summary>
                <div class="av-filter-row">
                    { facet(Facet::Tag, f.tag_counts, &f.route.tags) }
                    { facet(Facet::Author, f.author_counts, &f.route.authors) }
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
            </details>
            <div class="av-filter-status">
                <p class="av-count" role="status" aria-live="polite">{ f.status }</p>
                if f.route.filtered() {
                    <button type="button" class="av-link-button av-clear" onclick={clear}>{ text.clear_all }</button>
                }
            </div>
        </div>
    }
}

/// "필터" and, when some are chosen, how many ("필터 2").
fn filters_label(text: &Text, route: &Route) -> String {
    let chosen = route.tags.len() + route.authors.len() + usize::from(!route.sort.is_empty());
    if chosen == 0 {
        text.filters.to_string()
    } else {
        format!("{} {chosen}", text.filters)
    }
}

/// The search box, written only when the route's query changes from elsewhere (back/forward,
/// "clear all"): it is not a controlled input, because writing its value while an IME is
/// composing would cancel the composition. On the standalone page `/` focuses it (an embed
/// leaves keys to its host).
#[hook]
pub(super) fn use_search_box(q: &str, standalone: bool) -> NodeRef {
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
                EventListener::new_with_options(
                    &doc,
                    "keydown",
                    EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                        if e.key() != "/" || e.ctrl_key() || e.meta_key() || e.alt_key() || dom::typing_somewhere() {
                            return;
                        }
                        if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                            e.prevent_default();
                            // In a narrow listing the box may be behind its disclosure.
                            if let Ok(Some(panel)) = input.closest("details") {
                                let _ = panel.set_attribute("open", "");
                            }
                            let _ = input.focus();
                        }
                    },
                )
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
pub(super) fn use_infinite_scroll(next_page: Callback<()>, shown: (usize, usize)) -> NodeRef {
    let more_ref = use_node_ref();
    {
        let more_ref = more_ref.clone();
        use_effect_with(shown, move |_| {
            let observer = more_ref.cast::<web_sys::Element>().and_then(|more| {
                // The same closure type as the embeds' MutationObserver: one set of glue for both.
                let callback = Closure::<dyn FnMut(JsValue)>::new(move |entries: JsValue| {
                    let entries: js_sys::Array = entries.unchecked_into();
                    let visible = entries
                        .iter()
                        .any(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().is_ok_and(|e| e.is_intersecting()));
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
