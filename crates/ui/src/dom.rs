//! Small, panic-free access to the browser's globals. Only effects, event handlers and the
//! start-up code call these: rendering never does, so the components also render natively.

// Some are used only by the browser's start-up and embeds, which are not compiled natively.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Storage, Window};

thread_local! {
    /// The prerendered mount point the app's first render is to replace.
    static TAKING_OVER: RefCell<Option<Element>> = const { RefCell::new(None) };
}

/// True in the browser once the app runs on its own: not while it takes over a prerendered
/// page (its first render must be the page as prerendered), and never natively.
pub fn live() -> bool {
    cfg!(target_arch = "wasm32") && TAKING_OVER.with(|t| t.borrow().is_none())
}

/// Marks the app's first render as the takeover of the prerendered mount point `old`.
pub fn set_taking_over(old: Option<Element>) {
    TAKING_OVER.with(|t| *t.borrow_mut() = old);
}

/// After the app's first render into `fresh` (off the page): `fresh` takes the prerendered
/// mount point's place in one step, and the element the reader had focused keeps the focus.
pub fn finish_taking_over(fresh: &Element) {
    let Some(old) = TAKING_OVER.with(|t| t.borrow_mut().take()) else { return };
    let focus = document().and_then(|d| d.active_element()).and_then(|f| path_within(&old, &f.into()));
    if old.replace_with_with_node_1(fresh).is_err() {
        return;
    }
    if let Some(el) =
        focus.and_then(|path| follow(fresh, &path)).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The child indices that lead from `root` down to `node`, if it lies within.
fn path_within(root: &Element, node: &web_sys::Node) -> Option<Vec<u32>> {
    let mut path = Vec::new();
    let mut at = node.clone();
    let root: &web_sys::Node = root.as_ref();
    while !at.is_same_node(Some(root)) {
        let parent = at.parent_node()?;
        let children = parent.child_nodes();
        let index = (0..children.length()).find(|&i| children.item(i).is_some_and(|c| c.is_same_node(Some(&at))))?;
        path.push(index);
        at = parent;
    }
    path.reverse();
    Some(path)
}

fn follow(root: &Element, path: &[u32]) -> Option<web_sys::Node> {
    let mut at: web_sys::Node = root.clone().into();
    for &i in path {
        at = at.child_nodes().item(i)?;
    }
    Some(at)
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

/// True when the page's address names a place in it (`#fragment`).
pub fn has_fragment() -> bool {
    window().and_then(|w| w.location().hash().ok()).is_some_and(|h| h.len() > 1)
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

/// The folder the app's own files come from: where its module was preloaded from (the page's
/// `<link rel="modulepreload">`, which trunk writes for the app's JS).
pub fn asset_base() -> Option<String> {
    let link = document()?.query_selector("link[rel=modulepreload]").ok()??;
    let href = link.dyn_into::<web_sys::HtmlLinkElement>().ok()?.href();
    Some(href[..href.rfind('/')? + 1].to_string())
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
