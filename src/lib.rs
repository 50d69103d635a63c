//! article-viewer: pure logic shared by the browser app and native tests.
//! Nothing in these modules touches the DOM; the `ui` module (wasm only) does.

pub mod case;
pub mod dates;
pub mod format;
pub mod i18n;
pub mod listing;
pub mod markdown;
pub mod reading;
pub mod search;
pub mod sorting;
pub mod source;
pub mod urls;

#[cfg(target_arch = "wasm32")]
pub mod ui;
