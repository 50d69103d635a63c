//! Browser unit tests: components rendered by Yew into a real DOM in headless Chromium.
//! Run by scripts/test.sh through wasm-bindgen-test-runner.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use article_viewer_core::format::{parse_document, Article, Document, Pick};
use article_viewer_core::markdown::{render_body, RenderOptions};
use article_viewer_core::prefs::{article_key, Picks, STORAGE_KEY};
use article_viewer_ui::components::{ArticleProps, ArticleView, Shared};
use article_viewer_ui::route::Route;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::{AttrValue, Callback, Renderer};

wasm_bindgen_test_configure!(run_in_browser);

/// The document the mounted articles come from: the remembered pick state is keyed by it.
const DOC: &str = "https://news.example/a.json";

fn mount_point() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector} in {}", root.inner_html()))
}

/// Mounts the article view for `article` (default configuration, no callbacks).
fn mount_article(article: Article) -> Element {
    let root = mount_point();
    let props = ArticleProps {
        article: Shared(Rc::new(article)),
        base: AttrValue::from(DOC),
        page: AttrValue::from("https://news.example/index.html"),
        on_open: Callback::noop(),
        config: Shared::default(),
        collection: None,
        route: Route::default(),
        on_navigate: Callback::noop(),
    };
    Renderer::<ArticleView>::with_root_and_props(root.clone(), props).render();
    root
}

/// Mounts an article with an Editor's Pick; its id keys the remembered open/closed choice.
fn mount_article_with_pick(id: &str) -> Element {
    mount_article(Article {
        id: id.into(),
        title: "제목".into(),
        body: "본문".into(),
        editors_pick: Some(Pick { title: None, items: vec!["**하나**".into(), "[둘](https://example.com)".into()] }),
        ..Article::default()
    })
}

#[wasm_bindgen_test]
async fn pick_box_toggles_and_remembers_per_article() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let root = mount_article_with_pick("toggle-test");
    yew::scheduler::flush().await;

    let toggle = find(&root, "summary.av-pick-toggle");
    let details = find(&root, "details.av-pick");
    let list = find(&root, ".av-pick-items");
    assert!(details.has_attribute("open"));
    assert_eq!(list.query_selector_all("li").unwrap().length(), 2);
    assert_eq!(find(&list, "strong").text_content().as_deref(), Some("하나"));
    assert!(details.class_list().contains("av-pick-open"));

    toggle.dyn_ref::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert!(!details.has_attribute("open"), "the app closes the box, not the browser's own toggle");
    assert!(!details.class_list().contains("av-pick-open"));
    let stored = Picks::parse(&storage.get_item(STORAGE_KEY).unwrap().unwrap_or_default());
    assert_eq!(stored.get(&article_key(DOC, "toggle-test")), Some(false));

    // A second view of the same article starts closed; another article's starts open.
    let again = mount_article_with_pick("toggle-test");
    let other = mount_article_with_pick("another");
    yew::scheduler::flush().await;
    assert!(!find(&again, "details.av-pick").has_attribute("open"));
    assert!(find(&other, "details.av-pick").has_attribute("open"));
    // One storage entry, whatever the number of articles.
    assert_eq!(storage.length().unwrap(), 1);
}

#[wasm_bindgen_test]
async fn markdown_reaches_the_dom_as_nodes_not_html() {
    let json = r#"{"id":"x","title":"<img src=x onerror=alert(1)>","language":"en",
        "body":"<script>window.__pwned=1</script>\n\n[a](javascript:alert(1)) <b onmouseover=alert(1)>b</b>\n\n> [!NOTE]\n> plain"}"#;
    let Ok(parsed) = parse_document(json) else { panic!("valid document") };
    let Document::Article(article) = parsed.document else { panic!("an article") };
    let root = mount_article(article);
    yew::scheduler::flush().await;
    assert_eq!(find(&root, "h1").text_content().as_deref(), Some("<img src=x onerror=alert(1)>"));
    assert!(root.query_selector("script, img[onerror], b, [onmouseover]").unwrap().is_none(), "{}", root.inner_html());
    assert!(root.query_selector("a[href^='javascript']").unwrap().is_none());
    assert!(find(&root, ".av-body").text_content().unwrap_or_default().contains("<script>window.__pwned=1</script>"));
    assert_eq!(find(&root, ".av-article").get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(find(&root, ".av-callout-title").text_content().as_deref(), Some("Note"));
    assert!(js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into()).unwrap().is_undefined());
}

#[wasm_bindgen_test]
async fn article_byline_is_written_for_its_language() {
    let root = mount_article(Article {
        id: "b".into(),
        title: "제목".into(),
        language: Some("ko".into()),
        published: article_viewer_core::dates::DateTime::parse("2025-09-12T09:00:00+09:00")
            .map(|at| article_viewer_core::format::Date { raw: "2025-09-12T09:00:00+09:00".into(), at }),
        body: "가".repeat(1600),
        ..Article::default()
    });
    yew::scheduler::flush().await;
    // A Korean story is stamped as Korean news sites do: 입력 and the time, in the publisher's clock.
    assert_eq!(find(&root, ".av-stamp").text_content().as_deref(), Some("입력 2025.09.12 09:00"));
    let time = find(&root, "time.av-published");
    assert_eq!(time.text_content().as_deref(), Some("2025.09.12 09:00"));
    assert_eq!(time.get_attribute("datetime").as_deref(), Some("2025-09-12T09:00:00+09:00"));
    assert_eq!(find(&root, ".av-reading-time").text_content().as_deref(), Some("4분 분량"));
    // The same tree the component shows, from the pure renderer, for comparison.
    assert!(!render_body("x", &RenderOptions::default()).is_empty());
}
