//! The Editor's Pick box: a native disclosure (`<details>`), so it opens and closes on a
//! prerendered page without JavaScript too. With the app running, the app owns the state and
//! remembers the reader's choice per article (bounded: `prefs`). The article view holds the
//! state (`use_pick`) and draws the box with `pick_box`: a component of its own would compile
//! another copy of Yew's lifecycle code into the wasm.

use yew::prelude::*;

use super::Links;
use crate::format::Pick;
use crate::i18n::Lang;
use crate::markdown::{render_inline, RenderOptions};
use crate::prefs::{article_key, Picks, STORAGE_KEY};
use crate::{dom, view};

fn remembered(key: &str) -> Option<bool> {
    Picks::parse(&dom::load_pref(STORAGE_KEY)?).get(key)
}

fn remember(key: &str, open: bool) {
    let mut picks = dom::load_pref(STORAGE_KEY).map(|s| Picks::parse(&s)).unwrap_or_default();
    picks.set(key, open);
    dom::save_pref(STORAGE_KEY, &picks.to_string());
}

/// Whether the box of the article `id` in the document at `doc_url` is open, and the toggle
/// that flips it and remembers the choice. The reader's own earlier choice wins over the
/// site's default (`data-pick`); a page being taken over first shows what was prerendered
/// (the default), then the reader's choice.
#[hook]
pub fn use_pick(doc_url: &str, id: &str, default_open: bool) -> (bool, Callback<MouseEvent>) {
    let key = article_key(doc_url, id);
    let open = {
        let key = key.clone();
        use_state(move || if dom::live() { remembered(&key).unwrap_or(default_open) } else { default_open })
    };
    {
        let open = open.clone();
        use_effect_with(key.clone(), move |key| {
            if let Some(choice) = remembered(key) {
                open.set(choice);
            }
        });
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            // The app, not the browser's own toggle, opens and closes the box: its state and
            // the remembered choice stay in step with what the reader sees.
            e.prevent_default();
            let now = !*open;
            remember(&key, now);
            open.set(now);
        })
    };
    (*open, toggle)
}

/// What the box shows, and its state from [`use_pick`].
pub struct PickBox<'a> {
    pub pick: &'a Pick,
    pub lang: Lang,
    /// Links and images in the points are relative to the article document.
    pub links: Links<'a>,
    pub open: bool,
    pub toggle: Callback<MouseEvent>,
}

pub fn pick_box(p: PickBox<'_>) -> Html {
    let opts = RenderOptions { base: Some(p.links.base.to_string()), lang: p.lang };
    let title = p.pick.title.clone().unwrap_or_else(|| p.lang.text().editors_pick.to_string());
    let inner = html! {
        <>
            <summary class="av-pick-toggle" onclick={p.toggle}>
                <span class="av-pick-icon" aria-hidden="true">{"💡"}</span>
                <h2 class="av-pick-title" dir="auto">{ title }</h2>
                <span class="av-pick-chevron" aria-hidden="true"></span>
            </summary>
            <ul class="av-pick-items">
                { for p.pick.items.iter().map(|item| html! {
                    <li dir="auto">{ view::nodes(&render_inline(item, &opts), p.links.page) }</li>
                }) }
            </ul>
        </>
    };
    // Literal class values: a computed `class` goes through Yew's Classes set, code the wasm
    // otherwise does without.
    if p.open {
        html! { <details class="av-pick av-pick-open" open=true>{ inner }</details> }
    } else {
        html! { <details class="av-pick">{ inner }</details> }
    }
}
