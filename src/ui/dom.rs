//! Small, panic-free access to the browser's globals.

use wasm_bindgen::JsValue;
use web_sys::{Document, Storage, Window};

pub fn window() -> Option<Window> {
    web_sys::window()
}

pub fn document() -> Option<Document> {
    window()?.document()
}

pub fn console_error(msg: &str) {
    web_sys::console::error_1(&JsValue::from_str(msg));
}

pub fn console_warn(msg: &str) {
    web_sys::console::warn_1(&JsValue::from_str(msg));
}

/// The page's own address.
pub fn href() -> String {
    window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// localStorage, when the browser allows it (private modes and sandboxed frames may not).
fn storage() -> Option<Storage> {
    window()?.local_storage().ok().flatten()
}

pub fn load_pref(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn save_pref(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn set_title(title: &str) {
    if let Some(d) = document() {
        d.set_title(title);
    }
}

pub fn set_page_lang(lang: &str) {
    if let Some(el) = document().and_then(|d| d.document_element()) {
        let _ = el.set_attribute("lang", lang);
    }
}

pub fn page_lang() -> Option<String> {
    document()?.document_element()?.get_attribute("lang")
}

pub fn scroll_to_top() {
    if let Some(w) = window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Scrolls to the element a `#fragment` names, once the story has rendered.
pub fn scroll_to_fragment() {
    let Some(w) = window() else { return };
    let Ok(hash) = w.location().hash() else { return };
    let Some(id) = hash.strip_prefix('#').filter(|h| !h.is_empty()) else { return };
    let id = js_sys::decode_uri_component(id).ok().and_then(|s| s.as_string()).unwrap_or_else(|| id.to_string());
    if let Some(el) = document().and_then(|d| d.get_element_by_id(&id)) {
        el.scroll_into_view();
    }
}

/// A meta tag's content: the standalone page's configuration lives in `index.html`.
pub fn meta(name: &str) -> Option<String> {
    let el = document()?.query_selector(&format!("meta[name=\"{name}\"]")).ok()??;
    el.get_attribute("content")
}
