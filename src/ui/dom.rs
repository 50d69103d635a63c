//! Small, panic-free access to the browser's globals. Only effects, event handlers and the
//! start-up code call these: rendering never does, so the components also render natively.

// Some are used only by the browser's start-up and embeds, which are not compiled natively.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use std::cell::Cell;

use wasm_bindgen::JsValue;
use web_sys::{Document, Storage, Window};

thread_local! {
    static TAKING_OVER: Cell<bool> = const { Cell::new(false) };
}

/// True in the browser once the app runs on its own: not while it takes over a prerendered
/// page (its first render must be the page as prerendered), and never natively.
pub fn live() -> bool {
    cfg!(target_arch = "wasm32") && !TAKING_OVER.with(Cell::get)
}

/// Marks the app's first render over a prerendered page.
pub fn set_taking_over(on: bool) {
    TAKING_OVER.with(|t| t.set(on));
}

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

/// A new entry in the page's history, at `url` (relative to the current address).
pub fn push_url(url: &str) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let _ = h.push_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

/// The current history entry moved to `url` (while typing a filter), keeping the #fragment.
pub fn replace_url(url: &str) {
    let Some(w) = window() else { return };
    let hash = w.location().hash().unwrap_or_default();
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{url}{hash}")));
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

/// A meta tag's content: the standalone page's configuration lives in its `<head>`.
pub fn meta(name: &str) -> Option<String> {
    let el = document()?.query_selector(&format!("meta[name=\"{name}\"]")).ok()??;
    el.get_attribute("content")
}

/// The text of the element with this id (a prerendered page's document, in a
/// `<script type="application/json">`).
pub fn text_of(id: &str) -> Option<String> {
    document()?.get_element_by_id(id)?.text_content()
}

/// True when the focused element takes text (then `/` is a character, not a shortcut).
pub fn typing_somewhere() -> bool {
    let Some(el) = document().and_then(|d| d.active_element()) else { return false };
    let deep = el.shadow_root().and_then(|r| r.active_element()).unwrap_or(el);
    matches!(deep.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || deep.has_attribute("contenteditable")
}
