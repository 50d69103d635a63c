//! A collection: title and description, a filter bar (search that understands Korean, tag and
//! author facets with live counts, sort), and the matching cards, a page at a time.

use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::prelude::{Closure, JsValue};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use super::card::Card;
use super::{use_unique_id, Same};
use crate::format::Collection;
use crate::i18n::{Lang, Text};
use crate::listing::{entry, PAGE_SIZE};
use crate::search::{Index, Request, Sort};
use crate::ui::config::Config;
use crate::ui::{dom, view};
use crate::ui::route::Route;

#[derive(Properties)]
pub struct CollectionProps {
    pub collection: Rc<Collection>,
    pub base: AttrValue,
    pub on_open: Callback<String>,
    pub config: Rc<Config>,
    /// The filter state (query, facets, sort) and how to change it.
    #[prop_or_default]
    pub route: Route,
    #[prop_or_default]
    pub on_route: Callback<Route>,
}

impl PartialEq for CollectionProps {
    fn eq(&self, o: &Self) -> bool {
        // The collection by identity: comparing 100,000 entries on every keystroke would not do.
        Rc::ptr_eq(&self.collection, &o.collection)
            && Rc::ptr_eq(&self.config, &o.config)
            && (&self.base, &self.on_open, &self.route, &self.on_route) == (&o.base, &o.on_open, &o.route, &o.on_route)
    }
}

fn request(route: &Route) -> Request {
    Request {
        query: route.q.clone(),
        tags: route.tags.clone(),
        authors: route.authors.clone(),
        sort: Sort::parse(&route.sort).unwrap_or_default(),
    }
}

#[function_component(CollectionView)]
pub fn collection_view(props: &CollectionProps) -> Html {
    let c = &props.collection;
    let config = props.config.clone();
    let lang = config.ui_lang(c.language.as_deref());
    let text = lang.text();
    let index = use_memo(Same(props.collection.clone()), |c| Index::new(c.0.articles.iter().map(|s| entry(s)).collect()));
    let req = request(&props.route);
    let results = {
        let index = index.clone();
        use_memo(req.clone(), move |req| index.search(req))
    };
    let shown_state = use_reducer({
        let req = req.clone();
        move || Shown { request: req, pages: 1, open: (false, false) }
    });
    let pages = if shown_state.request == req { shown_state.pages } else { 1 };
    let input_ref = use_node_ref();
    let (search_id, sort_id) = (use_unique_id("av-search"), use_unique_id("av-sort"));

    // The box is not a controlled input: writing its value while an IME is composing would
    // cancel the composition. It is only written when the route changes from elsewhere.
    {
        let input_ref = input_ref.clone();
        use_effect_with(props.route.q.clone(), move |q| {
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                if input.value() != *q {
                    input.set_value(q);
                }
            }
        });
    }
    // `/` focuses the search box on the standalone page (an embed leaves keys to its host).
    {
        let input_ref = input_ref.clone();
        use_effect_with(config.standalone, move |standalone| {
            let listener = standalone.then(dom::document).flatten().map(|doc| {
                EventListener::new_with_options(&doc, "keydown", EventListenerOptions::enable_prevent_default(), move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                    if e.key() != "/" || e.ctrl_key() || e.meta_key() || e.alt_key() || typing_somewhere() {
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

    let set = {
        let (route, on_route) = (props.route.clone(), props.on_route.clone());
        move |f: &dyn Fn(&mut Route)| {
            let mut next = route.clone();
            f(&mut next);
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
        let open = match kind {
            Facet::Tag => shown_state.open.0,
            Facet::Author => shown_state.open.1,
        };
        let expand = {
            let shown = shown_state.dispatcher();
            Callback::from(move |_: MouseEvent| shown.dispatch(Show::Expand(kind)))
        };
        facet_group(kind, counts, selected, open, expand, text, move |value: String| {
            let value = value.clone();
            set(&move |r: &mut Route| {
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
        })
    };

    let filtered = !props.route.q.trim().is_empty() || !props.route.tags.is_empty() || !props.route.authors.is_empty();
    let shown = (pages * PAGE_SIZE).min(results.hits.len());
    let next_page = {
        let (shown, req) = (shown_state.dispatcher(), req.clone());
        move || shown.dispatch(Show::More(req.clone()))
    };
    let more = {
        let next_page = next_page.clone();
        Callback::from(move |_: MouseEvent| next_page())
    };
    // The next page arrives as the reader scrolls to the end of this one; the button stays
    // for keyboards and for browsers that scroll no further.
    let more_ref = use_node_ref();
    {
        let more_ref = more_ref.clone();
        use_effect_with((pages, shown), move |_| {
            let observer = more_ref.cast::<web_sys::Element>().and_then(|button| {
                // The same closure type as the embeds' MutationObserver: one set of glue for both.
                let callback = Closure::<dyn FnMut(JsValue)>::new(move |entries: JsValue| {
                    let entries: js_sys::Array = entries.unchecked_into();
                    let visible = entries.iter().any(|e| {
                        e.dyn_into::<web_sys::IntersectionObserverEntry>().is_ok_and(|e| e.is_intersecting())
                    });
                    if visible {
                        next_page();
                    }
                });
                let observer = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok()?;
                observer.observe(&button);
                Some((observer, callback))
            });
            move || {
                if let Some((o, _callback)) = observer {
                    o.disconnect();
                }
            }
        });
    }
    html! {
        <main class="av-collection" lang={lang_attr(c.language.as_deref(), lang)}>
            <header class="av-collection-header">
                if let Some(t) = &c.title { <h1 class="av-collection-title" dir="auto">{ view::text(t) }</h1> }
                if let Some(d) = &c.description { <p class="av-collection-description" dir="auto">{ view::text(d) }</p> }
            </header>
            <div class="av-filters" role="search">
                <label class="av-visually-hidden" for={search_id.clone()}>{ text.search_label }</label>
                <input ref={input_ref} id={search_id} class="av-search" type="search" autocomplete="off"
                    spellcheck="false" placeholder={text.search_placeholder} aria-keyshortcuts="/"
                    {oninput} {onkeydown} />
                <div class="av-filter-row">
                    { facet(Facet::Tag, &results.tag_counts, &props.route.tags) }
                    { facet(Facet::Author, &results.author_counts, &props.route.authors) }
                    <div class="av-sort">
                        <label for={sort_id.clone()}>{ text.sort }</label>
                        <select id={sort_id} onchange={onsort}>
                            { for [(Sort::Relevance, text.sort_relevance), (Sort::Newest, text.sort_newest), (Sort::Oldest, text.sort_oldest)]
                                .into_iter().map(|(s, label)| html! {
                                    <option value={s.as_str()} selected={req.sort == s}>{ label }</option>
                                }) }
                        </select>
                    </div>
                </div>
                <div class="av-filter-status">
                    <p class="av-count" role="status" aria-live="polite">{ text.showing(results.hits.len(), index.len()) }</p>
                    if filtered || req.sort != Sort::Relevance {
                        <button type="button" class="av-link-button av-clear" onclick={clear}>{ text.clear_all }</button>
                    }
                </div>
            </div>
            if index.is_empty() {
                <p class="av-empty">{ text.no_articles }</p>
            } else if results.hits.is_empty() {
                <p class="av-empty av-no-results">{ text.no_results }</p>
            } else {
                <ul class="av-cards">
                    { for results.hits[..shown].iter().filter_map(|&i| c.articles.get(i).map(|s| (i, s))).map(|(i, s)| {
                        let marks = filtered.then(|| index.highlights(i, &props.route.q));
                        html! {
                            <li key={i}>
                                <Card summary={s.clone()} base={props.base.clone()} lang={lang}
                                      on_open={props.on_open.clone()} primary=true marks={marks}
                                      config={props.config.clone()} />
                            </li>
                        }
                    }) }
                </ul>
                if shown < results.hits.len() {
                    <button type="button" class="av-button av-more" onclick={more} ref={more_ref}>
                        { format!("{} ({shown}/{})", text.show_more, results.hits.len()) }
                    </button>
                }
            }
        </main>
    }
}

/// What is shown of the results: how many pages, counted for which request (a new request
/// starts at one page in the same render, with no effect and no second render), and which
/// facet groups show all their values.
#[derive(Clone)]
struct Shown {
    request: Request,
    pages: usize,
    open: (bool, bool),
}

enum Show {
    /// One page more of this request's results.
    More(Request),
    /// Show all of a facet group's values, or only the common ones again.
    Expand(Facet),
}

impl Reducible for Shown {
    type Action = Show;

    fn reduce(self: Rc<Self>, action: Show) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Show::More(request) => {
                s.pages = if s.request == request { s.pages + 1 } else { 2 };
                s.request = request;
            }
            Show::Expand(Facet::Tag) => s.open.0 = !s.open.0,
            Show::Expand(Facet::Author) => s.open.1 = !s.open.1,
        }
        Rc::new(s)
    }
}

/// True when the focused element takes text (then `/` is a character, not a shortcut).
fn typing_somewhere() -> bool {
    let Some(el) = dom::document().and_then(|d| d.active_element()) else { return false };
    let deep = el.shadow_root().and_then(|r| r.active_element()).unwrap_or(el);
    matches!(deep.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || deep.has_attribute("contenteditable")
}

/// Facet values shown before "more": the common ones, without a wall of buttons to re-render
/// on every keystroke.
const FACET_LIMIT: usize = 12;

#[derive(Clone, Copy, PartialEq)]
enum Facet {
    Tag,
    Author,
}

/// Facet buttons: zero-count values are hidden unless selected (the index lists those only).
/// One click handler for the group reads the button's value: a long facet list costs no
/// closure per button on every keystroke.
fn facet_group(
    kind: Facet,
    counts: &[(String, usize)],
    selected: &[String],
    expanded: bool,
    on_expand: Callback<MouseEvent>,
    text: &Text,
    toggle: impl Fn(String) + 'static,
) -> Html {
    if counts.is_empty() {
        return html! {};
    }
    // The most common values first; the rest behind one button, except selected ones.
    let hidden = if expanded { 0 } else { counts.len().saturating_sub(FACET_LIMIT) };
    let shown = counts
        .iter()
        .enumerate()
        .filter(|(i, (value, _))| expanded || *i < FACET_LIMIT || selected.contains(value))
        .map(|(_, c)| c);
    let legend = match kind {
        Facet::Tag => text.tags,
        Facet::Author => text.authors,
    };
    let onclick = Callback::from(move |e: MouseEvent| {
        let button = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button[data-value]").ok().flatten());
        if let Some(value) = button.and_then(|b| b.get_attribute("data-value")) {
            toggle(value);
        }
    });
    let inner = html! {
        <>
            <legend>{ legend }</legend>
            { for shown.map(|(value, n)| html! {
                <button type="button" class="av-chip" aria-pressed={selected.contains(value).to_string()} data-value={value.clone()}>
                    <span class="av-chip-label">{ value.clone() }</span>
                    <span class="av-chip-count">{ n.to_string() }</span>
                </button>
            }) }
            if hidden > 0 || expanded {
                <button type="button" class="av-link-button av-facet-more" aria-expanded={expanded.to_string()} onclick={on_expand}>
                    { if expanded { text.fewer.to_string() } else { format!("{} {hidden}", text.more_values) } }
                </button>
            }
        </>
    };
    // Literal class values: a computed `class` goes through Yew's Classes set, code the wasm
    // otherwise does without.
    match kind {
        Facet::Tag => html! { <fieldset class="av-facet av-facet-tags" {onclick}>{ inner }</fieldset> },
        Facet::Author => html! { <fieldset class="av-facet av-facet-authors" {onclick}>{ inner }</fieldset> },
    }
}

/// The document's own tag when it has one (`ko-KR` stays `ko-KR`), else the interface's.
pub fn lang_attr(tag: Option<&str>, lang: Lang) -> String {
    tag.map(str::trim)
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map_or_else(|| lang.tag().to_string(), str::to_string)
}
