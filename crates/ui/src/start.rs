//! The standalone page's start: the plain viewer page renders the app; a prerendered page is
//! taken over with the document it carries, so the reader sees no change. The app draws the
//! page as prerendered into a copy of the mount point, off the page, and the copy replaces the
//! prerendered one in one step: the same layout (no shift), the pictures already loaded (no
//! flash), focus kept. A replacement rather than Yew's hydration: hydration's code would cost
//! every reader 11 KB (brotli) more, and it panics on any difference a browser extension makes.

use wasm_bindgen::JsCast;

use super::app::{App, AppProps, Load};
use super::components::Shared;
use super::config::{self, Config};
use super::{dom, net, panic, route, DOCUMENT_DATA, PRERENDERED, STANDALONE_ROOT};

/// Mounts the standalone viewer when the page is the viewer's own (index.html or a
/// prerendered page); on a host page it does nothing: embeds are mounted by [`super::mount_embeds`].
pub fn start() {
    let Some(root) = dom::document().and_then(|d| d.get_element_by_id(STANDALONE_ROOT)) else { return };
    if !root.has_attribute("data-article-viewer-standalone") {
        return;
    }
    panic::install();
    let page = dom::href();
    let config = Config {
        assets: dom::asset_base(),
        ..Config::from_meta(|name| dom::meta(&format!("article-viewer:{name}")), &page, dom::page_lang())
    };
    let route = route::Route::from_url(&config, &page);
    let takes_over = root.has_attribute(PRERENDERED) && route.by_page;
    let config: Shared<Config> = config.into();
    if !takes_over {
        // A prerendered page asked for another document (`?src=`): the app draws that instead.
        if root.has_attribute(PRERENDERED) {
            root.set_inner_html("");
        }
        yew::Renderer::<App>::with_root_and_props(root, AppProps { config, page: page.into(), initial: None }).render();
        return;
    }
    // The page as prerendered: its address without the filters, which the app applies after.
    let prerendered_page = page.split(['?', '#']).next().unwrap_or_default().to_string();
    let doc_url = route.src.clone().unwrap_or_default();
    let carried = dom::text_of(DOCUMENT_DATA).and_then(|text| crate::format::parse_document(&text).ok());
    let take_over = move |root: web_sys::Element, initial: Load| {
        let Some(fresh) = root.clone_node().ok().and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { return };
        dom::set_taking_over(Some(root));
        yew::Renderer::<App>::with_root_and_props(
            fresh,
            AppProps { config, page: prerendered_page.into(), initial: Some(initial) },
        )
        .render();
    };
    match carried {
        Some(parsed) => take_over(root, Load::document(&doc_url, parsed.document)),
        // Too large to carry: the page reads on while its document loads, then the app takes over.
        None => wasm_bindgen_futures::spawn_local(async move {
            let own_site = |from: &str| crate::source::Policy::default().check(from, &page).map(|_| ());
            match net::load(&doc_url, config::TIMEOUT_SECONDS, own_site).await {
                Ok(loaded) => take_over(root, Load::document(&loaded.url, loaded.parsed.document)),
                Err(e) => dom::console_error(&format!("article-viewer: {}", e.message(crate::i18n::Lang::En))),
            }
        }),
    }
}
