//! The viewer's own URL: `?src=<document>`; the page's query string is the state, so
//! back/forward and shared links restore the same view.

use web_sys::UrlSearchParams;

use super::dom;
use crate::urls::relative_to_origin;

/// The sample collection bundled with the app, shown when no `?src=` is given.
pub const DEFAULT_SRC: &str = "samples/index.json";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// As written in the query string (relative to the page) or the default.
    pub src: String,
}

impl Route {
    pub fn current() -> Route {
        let search = dom::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        let src = UrlSearchParams::new_with_str(&search)
            .ok()
            .and_then(|p| p.get("src"))
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_SRC.to_string());
        Route { src }
    }

    /// The viewer's own link for a document at the absolute URL `doc`.
    pub fn link_for(doc: &str) -> String {
        let page = dom::href();
        let src = relative_to_origin(doc, &page);
        let params = UrlSearchParams::new().ok();
        match params {
            Some(p) => {
                p.set("src", &src);
                format!("?{}", String::from(p.to_string()))
            }
            None => format!("?src={src}"),
        }
    }

    /// Adds a history entry for `link` (from [`Route::link_for`]).
    pub fn push(link: &str) {
        if let Some(h) = dom::window().and_then(|w| w.history().ok()) {
            let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(link));
        }
    }
}
