//! A facet's buttons (tags or authors) with their live counts. Drawn a page at a time, in a
//! plain group rather than a `<fieldset>`: a collection with 100,000 distinct tags must not
//! freeze the tab when the reader asks to see more of them.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::Text;

/// Facet values shown before "more": the common ones, without a wall of buttons to re-render
/// on every keystroke.
pub const FACET_LIMIT: usize = 12;

/// Values each "more" adds.
pub const FACET_PAGE: usize = 100;

#[derive(Clone, Copy, PartialEq)]
pub enum Facet {
    Tag,
    Author,
}

pub struct FacetGroup<'a> {
    pub kind: Facet,
    /// Values with their counts, most common first.
    pub counts: &'a [(String, usize)],
    pub selected: &'a [String],
    /// How many values to draw (selected ones are drawn whatever their rank).
    pub shown: usize,
    /// Show `FACET_PAGE` more, or (with `false`) only the common ones again.
    pub on_more: Callback<bool>,
    /// A value chosen or unchosen.
    pub toggle: Callback<String>,
    pub text: &'a Text,
}

/// Facet buttons: zero-count values are hidden unless selected (the index lists those only).
/// One click handler for the group reads the button's value: a long facet list costs no
/// closure per button on every keystroke.
pub fn facet_group(g: FacetGroup<'_>) -> Html {
    if g.counts.is_empty() {
        return html! {};
    }
    let shown = g.shown.max(FACET_LIMIT);
    let drawn = g.counts.iter().enumerate().filter(|(i, (value, _))| *i < shown || g.selected.contains(value));
    let hidden = g.counts.len().saturating_sub(shown);
    let (legend, legend_id) = match g.kind {
        Facet::Tag => (g.text.tags, "av-facet-tags-label"),
        Facet::Author => (g.text.authors, "av-facet-authors-label"),
    };
    let toggle = g.toggle.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        let button = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button[data-value]").ok().flatten());
        if let Some(value) = button.and_then(|b| b.get_attribute("data-value")) {
            toggle.emit(value);
        }
    });
    let more = g.on_more.reform(|_: MouseEvent| true);
    let fewer = g.on_more.reform(|_: MouseEvent| false);
    let inner = html! {
        <>
            <span class="av-facet-label" id={legend_id}>{ legend }</span>
            { for drawn.map(|(_, (value, n))| html! {
                <button type="button" class="av-chip" aria-pressed={g.selected.contains(value).to_string()} data-value={value.clone()}>
                    <span class="av-chip-label" dir="auto">{ value.clone() }</span>
                    <span class="av-chip-count">{ n.to_string() }</span>
                </button>
            }) }
            if hidden > 0 {
                <button type="button" class="av-link-button av-facet-more" aria-expanded="false" onclick={more}>
                    { format!("{} {hidden}", g.text.more_values) }
                </button>
            }
            if shown > FACET_LIMIT {
                <button type="button" class="av-link-button av-facet-fewer" aria-expanded="true" onclick={fewer}>
                    { g.text.fewer }
                </button>
            }
        </>
    };
    // Literal class values: a computed `class` goes through Yew's Classes set, code the wasm
    // otherwise does without.
    match g.kind {
        Facet::Tag => html! {
            <div class="av-facet av-facet-tags" role="group" aria-labelledby="av-facet-tags-label" {onclick}>{ inner }</div>
        },
        Facet::Author => html! {
            <div class="av-facet av-facet-authors" role="group" aria-labelledby="av-facet-authors-label" {onclick}>{ inner }</div>
        },
    }
}
