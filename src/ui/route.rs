//! The view's address: which document, and (for collections) the filter state. When the URL is
//! synced it lives in the query string, so back/forward and shared links restore the same view.

use web_sys::UrlSearchParams;

use super::config::Config;
use super::dom;
use crate::urls::{relative_to_origin, resolve};

/// The sample collection bundled with the app, shown when nothing else is asked for.
pub const DEFAULT_SRC: &str = "samples/index.json";

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Route {
    /// The document, as written in the URL or attribute (relative to the page) or absolute.
    pub src: Option<String>,
    /// Collection filters.
    pub q: String,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub sort: String,
}

impl Route {
    pub fn for_doc(doc: impl Into<String>) -> Route {
        Route { src: Some(doc.into()), ..Route::default() }
    }

    /// The route the page's URL describes.
    pub fn from_location(config: &Config) -> Route {
        let search = dom::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        let Ok(p) = UrlSearchParams::new_with_str(&search) else { return Route::default() };
        let all = |key: &str| -> Vec<String> {
            p.get_all(key).iter().filter_map(|v| v.as_string()).filter(|s| !s.trim().is_empty()).collect()
        };
        Route {
            src: p.get(&config.url_param).filter(|s| !s.trim().is_empty()),
            q: p.get("q").unwrap_or_default(),
            tags: all("tag"),
            authors: all("author"),
            sort: p.get("sort").unwrap_or_default(),
        }
    }

    /// The query string for this route, keeping the page's other parameters (a host's own).
    pub fn to_query(&self, config: &Config, current_search: &str) -> String {
        let Ok(p) = UrlSearchParams::new_with_str(current_search).or_else(|_| UrlSearchParams::new()) else {
            return "?".to_string();
        };
        for key in [config.url_param.as_str(), "q", "tag", "author", "sort"] {
            p.delete(key);
        }
        if let Some(src) = &self.src {
            p.append(&config.url_param, &relative_to_origin(src, &dom::href()));
        }
        if !self.q.is_empty() {
            p.append("q", &self.q);
        }
        for t in &self.tags {
            p.append("tag", t);
        }
        for a in &self.authors {
            p.append("author", a);
        }
        if !self.sort.is_empty() {
            p.append("sort", &self.sort);
        }
        let s = String::from(p.to_string());
        if s.is_empty() { "?".to_string() } else { format!("?{s}") }
    }

    /// A real link for this route: in the page's own URL when synced, else in the standalone
    /// viewer page published beside the embed.
    pub fn href(&self, config: &Config) -> String {
        if config.url_sync {
            let search = dom::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
            return self.to_query(config, &search);
        }
        let doc = self.src.as_deref().map(|s| resolve(&dom::href(), s)).unwrap_or_default();
        match &config.viewer_page {
            Some(page) => format!("{page}?src={}", String::from(js_sys::encode_uri_component(&doc))),
            None => doc,
        }
    }

    /// Records this route in the page's history (synced URL only).
    pub fn push(&self, config: &Config) {
        self.write(config, true);
    }

    /// Replaces the current history entry (while typing a filter).
    pub fn replace(&self, config: &Config) {
        self.write(config, false);
    }

    fn write(&self, config: &Config, push: bool) {
        if !config.url_sync {
            return;
        }
        let Some(w) = dom::window() else { return };
        let search = w.location().search().unwrap_or_default();
        let hash = w.location().hash().unwrap_or_default();
        let url = format!("{}{}", self.to_query(config, &search), if push { "" } else { hash.as_str() });
        if let Ok(h) = w.history() {
            let _ = if push {
                h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
            } else {
                h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
            };
        }
    }
}
