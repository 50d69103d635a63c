//! The app: mounts viewers (the standalone page, or embeds in a host page), owns loading and
//! navigation, and renders the view trees the pure modules produce. The components render
//! natively too (the publishing program prerenders pages with them); only effects, event
//! handlers and the start-up below touch the browser.

// The core's modules and the archive engine read as `crate::format`, `crate::archive`, … here.
use article_viewer_archive as archive;
use article_viewer_core::{format, i18n, listing, markdown, prefs, reading, search, site, source, urls};

mod app;
pub mod components;
pub mod config;
mod dom;
// Mounting is the browser's part alone: natively the components are only rendered to HTML.
#[cfg(target_arch = "wasm32")]
mod embed;
mod net;
#[cfg(target_arch = "wasm32")]
mod panic;
pub mod route;
#[cfg(target_arch = "wasm32")]
mod start;
pub mod view;

pub use app::{App, AppProps, Load};
pub use config::Config;
#[cfg(target_arch = "wasm32")]
pub use embed::mount_embeds;
#[cfg(target_arch = "wasm32")]
pub use start::start;

/// The standalone page's mount point (see index.html).
pub const STANDALONE_ROOT: &str = "article-viewer";

/// Marks a mount point that holds a prerendered page for the app to take over.
pub const PRERENDERED: &str = "data-prerendered";

/// The id of the `<script type="application/json">` in which a prerendered page carries its
/// document, so the app taking it over need not fetch it again.
pub const DOCUMENT_DATA: &str = "av-document";
