//! The browser app: mounts the viewer, owns loading and navigation, and renders the view
//! trees the pure modules produce. Only code under `ui` touches the DOM.

mod app;
pub mod components;
mod dom;
mod net;
mod panic;
mod route;
pub mod view;

pub use app::{App, AppProps};

/// Mounts the standalone viewer into `#article-viewer` (or `<body>`).
pub fn start() {
    panic::install();
    let doc = dom::document();
    let root = doc
        .as_ref()
        .and_then(|d| d.get_element_by_id("article-viewer"))
        .or_else(|| doc.as_ref().and_then(|d| d.body()).map(Into::into));
    match root {
        Some(root) => {
            yew::Renderer::<App>::with_root_and_props(root, AppProps { standalone: true }).render();
        }
        None => dom::console_error("article-viewer: no element to mount into"),
    }
}
