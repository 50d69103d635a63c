//! Embeds: every `[data-article-viewer]` element of a host page gets its own viewer in a
//! shadow root, isolated from the host's CSS both ways; elements added later are mounted,
//! and removed ones are torn down so that nothing of theirs stays behind.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, MutationObserver, MutationObserverInit, ShadowRoot, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

use super::app::{App, AppProps};
use super::config::{parse_flag, parse_timeout, Config};
use super::{dom, panic};
use crate::i18n::Lang;
use crate::source::Policy;

/// The attribute that marks a mount point.
macro_rules! attribute {
    () => {
        "data-article-viewer"
    };
}
pub const ATTRIBUTE: &str = attribute!();
const SELECTOR: &str = concat!("[", attribute!(), "]");

struct Instance {
    host: Element,
    container: Element,
    handle: Option<AppHandle<App>>,
}

thread_local! {
    static INSTANCES: RefCell<Vec<Instance>> = const { RefCell::new(Vec::new()) };
    static BASE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The containers of the live embeds (where a crash message goes).
pub fn containers() -> Vec<Element> {
    INSTANCES.with(|i| i.try_borrow().map(|v| v.iter().map(|i| i.container.clone()).collect()).unwrap_or_default())
}

/// Mounts every embed on the page and watches for more. `module_base` is the URL of the folder
/// the embed module was loaded from: its stylesheet and the standalone page live there.
pub fn mount_embeds(module_base: &str) {
    let first = BASE.with(|b| {
        let mut b = b.borrow_mut();
        let first = b.is_empty();
        *b = module_base.to_string();
        first
    });
    panic::install();
    sync();
    if first {
        watch();
    }
}

/// One observer for the page's lifetime: mounts what appears, tears down what is removed.
fn watch() {
    let Some(root) = dom::document().and_then(|d| d.document_element()) else { return };
    // The records are not needed: sync() compares the page with the live embeds.
    let callback = Closure::<dyn FnMut(JsValue)>::new(|_records: JsValue| sync());
    let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) else { return };
    let init = MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    if observer.observe_with_options(&root, &init).is_ok() {
        // The observer lives as long as the page does; so must its callback.
        callback.forget();
    }
}

fn sync() {
    // Tear down first, so an element moved elsewhere is mounted afresh.
    let removed: Vec<Instance> = INSTANCES.with(|i| {
        let mut all = i.borrow_mut();
        let (gone, live): (Vec<_>, Vec<_>) = all.drain(..).partition(|i| !i.host.is_connected());
        *all = live;
        gone
    });
    for mut inst in removed {
        if let Some(h) = inst.handle.take() {
            h.destroy();
        }
    }
    let Some(doc) = dom::document() else { return };
    let Ok(found) = doc.query_selector_all(SELECTOR) else { return };
    for i in 0..found.length() {
        let Some(host) = found.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let known = INSTANCES.with(|all| all.borrow().iter().any(|i| i.host == host));
        if !known {
            mount(host);
        }
    }
}

fn shadow_root(host: &Element) -> Option<ShadowRoot> {
    if let Some(root) = host.shadow_root() {
        // Ours from an earlier mount (the element was removed and put back): start clean.
        root.set_inner_html("");
        return Some(root);
    }
    match host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)) {
        Ok(root) => Some(root),
        Err(_) => {
            dom::console_error(&format!(
                "article-viewer: <{}> cannot hold a viewer; use a <div {ATTRIBUTE}>",
                host.tag_name().to_ascii_lowercase()
            ));
            None
        }
    }
}

fn mount(host: Element) {
    let Some(doc) = dom::document() else { return };
    let Some(root) = shadow_root(&host) else { return };
    let base = BASE.with(|b| b.borrow().clone());
    if let Ok(link) = doc.create_element("link") {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", &format!("{base}article-viewer.css"));
        let _ = root.append_child(&link);
    }
    let Ok(container) = doc.create_element("div") else { return };
    container.set_class_name("av-viewer av-embed");
    if root.append_child(&container).is_err() {
        return;
    }
    let config = config_for(&host, &base);
    let props = AppProps { config: config.into(), page: dom::href().into(), initial: None };
    let handle = yew::Renderer::<App>::with_root_and_props(container.clone(), props).render();
    INSTANCES.with(|i| i.borrow_mut().push(Instance { host, container, handle: Some(handle) }));
}

/// The options a site owner writes on the element (docs/guide/embedding.md).
fn config_for(host: &Element, base: &str) -> Config {
    let attr = |name: &str| host.get_attribute(name);
    let url_sync = parse_flag(attr("data-url-sync").as_deref());
    Config {
        standalone: false,
        src: attr("data-src").filter(|s| !s.trim().is_empty()),
        url_sync,
        url_param: attr("data-url-param").filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "src".into()),
        lang: attr("data-lang").filter(|s| !s.trim().is_empty()).map(|t| Lang::from_tag(Some(&t))),
        pick_open: !matches!(attr("data-pick").as_deref().map(str::trim), Some("closed")),
        viewer_page: Some(format!("{base}index.html")),
        policy: Policy::parse(&attr("data-allowed-origins").unwrap_or_default()),
        timeout_seconds: parse_timeout(attr("data-timeout").as_deref()),
        page_lang: dom::page_lang(),
        site: None,
        assets: Some(base.to_string()),
    }
}
