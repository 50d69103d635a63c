//! The Editor's Pick box: a disclosure whose open/closed choice is remembered per article.

use yew::prelude::*;

use super::use_unique_id;
use crate::format::Pick;
use crate::i18n::Lang;
use crate::markdown::{render_inline, RenderOptions};
use crate::ui::{dom, view};

#[derive(Properties, PartialEq)]
pub struct PickProps {
    pub pick: Pick,
    /// The article's id: the remembered state belongs to one article.
    pub article_id: AttrValue,
    pub lang: Lang,
    pub base: AttrValue,
    /// Open unless the reader closed it before (the site owner's `data-pick`).
    pub default_open: bool,
}

fn storage_key(id: &str) -> String {
    format!("article-viewer:pick:{id}")
}

#[function_component(PickBox)]
pub fn pick_box(props: &PickProps) -> Html {
    let key = storage_key(&props.article_id);
    let open = {
        let key = key.clone();
        // The reader's own earlier choice wins over the site's default.
        use_state(move || match dom::load_pref(&key).as_deref() {
            Some("closed") => false,
            Some("open") => true,
            _ => props.default_open,
        })
    };
    let list_id = use_unique_id("av-pick-items");
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| {
            let now = !*open;
            dom::save_pref(&key, if now { "open" } else { "closed" });
            open.set(now);
        })
    };
    let opts = RenderOptions { base: Some(props.base.to_string()), lang: props.lang };
    let title = props.pick.title.clone().unwrap_or_else(|| props.lang.text().editors_pick.to_string());
    let inner = html! {
        <>
            <h2 class="av-pick-heading">
                <button type="button" class="av-pick-toggle" aria-expanded={(*open).to_string()}
                        aria-controls={list_id.clone()} onclick={toggle}>
                    <span class="av-pick-icon" aria-hidden="true">{"💡"}</span>
                    <span class="av-pick-title">{ title }</span>
                    <span class="av-pick-chevron" aria-hidden="true"></span>
                </button>
            </h2>
            <ul class="av-pick-items" id={list_id} hidden={!*open}>
                { for props.pick.items.iter().map(|item| html! {
                    <li>{ view::nodes(&render_inline(item, &opts)) }</li>
                }) }
            </ul>
        </>
    };
    // Literal class values: a computed `class` goes through Yew's Classes set, code the wasm
    // otherwise does without.
    if *open {
        html! { <section class="av-pick av-pick-open">{ inner }</section> }
    } else {
        html! { <section class="av-pick">{ inner }</section> }
    }
}
