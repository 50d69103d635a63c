//! The browser app: mounts viewers (the standalone page, or embeds in a host page), owns
//! loading and navigation, and renders the view trees the pure modules produce.
//! Only code under `ui` touches the DOM.

mod app;
pub mod components;
pub mod config;
mod dom;
mod embed;
mod net;
mod panic;
mod route;
pub mod view;

use std::rc::Rc;

pub use app::{App, AppProps};
pub use config::Config;
pub use embed::mount_embeds;

/// The standalone page's mount point (see index.html).
const STANDALONE_ROOT: &str = "article-viewer";

/// Mounts the standalone viewer when the page is the viewer's own (index.html); on a host
/// page it does nothing: embeds are mounted by [`mount_embeds`], called by the embed module.
pub fn start() {
    let Some(root) = dom::document().and_then(|d| d.get_element_by_id(STANDALONE_ROOT)) else { return };
    if !root.has_attribute("data-article-viewer-standalone") {
        return;
    }
    panic::install();
    let config = Config {
        policy: crate::source::Policy::parse(&dom::meta("article-viewer:allowed-origins").unwrap_or_default()),
        timeout_seconds: config::parse_timeout(dom::meta("article-viewer:timeout").as_deref()),
        ..Config::default()
    };
    yew::Renderer::<App>::with_root_and_props(root, AppProps { config: Rc::new(config) }).render();
}
