//! The page around the story on the standalone page: the `<main>` landmark, and on a
//! prerendered site a header whose title leads to the collection and a footer with the
//! site's feeds. Embeds get none of it: the host page has its own.

use yew::prelude::*;

use crate::config::Config;
use crate::i18n::Lang;
use crate::site::page_for_doc;
use crate::view;

use super::Links;

pub struct Frame<'a> {
    pub config: &'a Config,
    /// The page's address: links are written relative to it.
    pub page: &'a str,
    pub lang: Lang,
    pub content: Html,
}

/// The feeds a prerendered site publishes beside its collection (the publishing program
/// writes them under these names).
pub const FEEDS: [(&str, &str); 2] = [("feed.json", "JSON Feed"), ("feed.atom", "Atom")];

pub fn frame(f: Frame<'_>) -> Html {
    if !f.config.standalone {
        return f.content;
    }
    let Some(site) = &f.config.site else {
        return html! { <main class="av-main" id="av-main">{ f.content }</main> };
    };
    let links = Links { page: f.page, base: &site.collection, config: f.config };
    let root = &site.collection[..site.collection.rfind('/').map_or(0, |i| i + 1)];
    let text = f.lang.text();
    html! {
        <>
            <header class="av-site-header">
                // The first stop of the keyboard (after the site's own navigation, which has a
                // skip link of its own): past the header to the story or the list.
                <a class="av-skip" href="#av-main">{ text.skip_to_story }</a>
                <a class="av-site-title" href={links.href(&page_for_doc(&site.collection))} dir="auto">{ view::text(&site.title) }</a>
            </header>
            <main class="av-main" id="av-main" tabindex="-1">{ f.content }</main>
            <footer class="av-site-footer">
                <p class="av-feeds">
                    { text.feeds }{ ": " }
                    { for FEEDS.iter().enumerate().map(|(i, (file, name))| html! {
                        <>
                            if i > 0 { { " · " } }
                            <a href={links.href(&format!("{root}{file}"))}>{ *name }</a>
                        </>
                    }) }
                </p>
            </footer>
        </>
    }
}
