//! The Editor's Pick box: a disclosure whose open/closed choice is remembered per article.
//! The article view holds the state (`use_pick`) and draws the box with `pick_box`: a
//! component of its own would compile another copy of Yew's lifecycle code into the wasm.

use yew::prelude::*;

use crate::format::Pick;
use crate::i18n::Lang;
use crate::markdown::{render_inline, RenderOptions};
use crate::ui::{dom, view};

fn storage_key(id: &str) -> String {
    format!("article-viewer:pick:{id}")
}

/// Whether the box for `article_id` is open, and the toggle that flips it and remembers the
/// choice. The reader's own earlier choice wins over the site's default (`data-pick`).
#[hook]
pub fn use_pick(article_id: &str, default_open: bool) -> (bool, Callback<MouseEvent>) {
    let key = storage_key(article_id);
    let open = {
        let key = key.clone();
        use_state(move || match dom::load_pref(&key).as_deref() {
            Some("closed") => false,
            Some("open") => true,
            _ => default_open,
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| {
            let now = !*open;
            dom::save_pref(&key, if now { "open" } else { "closed" });
            open.set(now);
        })
    };
    (*open, toggle)
}

/// What the box shows, and its state from [`use_pick`].
pub struct PickBox<'a> {
    pub pick: &'a Pick,
    pub lang: Lang,
    /// The article document's URL: links and images in the points are relative to it.
    pub base: &'a str,
    pub open: bool,
    pub toggle: Callback<MouseEvent>,
    /// The list's page-unique id, for the button's `aria-controls`.
    pub list_id: AttrValue,
}

pub fn pick_box(p: PickBox<'_>) -> Html {
    let opts = RenderOptions { base: Some(p.base.to_string()), lang: p.lang };
    let title = p.pick.title.clone().unwrap_or_else(|| p.lang.text().editors_pick.to_string());
    let inner = html! {
        <>
            <h2 class="av-pick-heading">
                <button type="button" class="av-pick-toggle" aria-expanded={p.open.to_string()}
                        aria-controls={p.list_id.clone()} onclick={p.toggle}>
                    <span class="av-pick-icon" aria-hidden="true">{"💡"}</span>
                    <span class="av-pick-title">{ title }</span>
                    <span class="av-pick-chevron" aria-hidden="true"></span>
                </button>
            </h2>
            <ul class="av-pick-items" id={p.list_id} hidden={!p.open}>
                { for p.pick.items.iter().map(|item| html! {
                    <li>{ view::nodes(&render_inline(item, &opts)) }</li>
                }) }
            </ul>
        </>
    };
    // Literal class values: a computed `class` goes through Yew's Classes set, code the wasm
    // otherwise does without.
    if p.open {
        html! { <section class="av-pick av-pick-open">{ inner }</section> }
    } else {
        html! { <section class="av-pick">{ inner }</section> }
    }
}
