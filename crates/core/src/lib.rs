//! article-viewer's pure core: the article format, Markdown into a closed view tree, Korean-
//! aware search, URLs, dates, the site's layout, interface words and the loading policy.
//! Shared by the browser app, the archive engine and the publishing program; it depends on no
//! browser crate (`tests/no_browser_crates.rs` keeps it so).

pub mod case;
pub mod dates;
pub mod format;
pub mod i18n;
pub mod listing;
pub mod markdown;
pub mod prefs;
pub mod reading;
pub mod search;
pub mod site;
pub mod sorting;
pub mod source;
/// Test support (a deterministic generator for synthetic data), not part of the viewer.
#[doc(hidden)]
pub mod testing;
pub mod urls;
