//! article-viewer: the pure core (format, Markdown, search, URLs, the site's layout), shared by
//! the browser app and the native publishing program, and the Yew components (`ui`) that both
//! render: the browser app mounts them, the publishing program prerenders pages with them.
//! Only the `ui` module touches the DOM, and only in effects and event handlers.

pub mod archive;
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
pub mod urls;

pub mod ui;
