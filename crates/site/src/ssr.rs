//! Server-side rendering with the viewer's own components: the app that readers' browsers run,
//! rendered to HTML once, here, so a page reads before (and without) any JavaScript.

use article_viewer_ui::components::{Prepared, Shared};
use article_viewer_ui::{App, Config, Load};
use yew::{AttrValue, ContextProvider, LocalServerRenderer};

#[derive(yew::Properties, PartialEq)]
struct PageProps {
    config: Shared<Config>,
    page: AttrValue,
    initial: Load,
    prepared: Option<Shared<Prepared>>,
}

/// The app, with a collection's prepared search around it when there is one.
#[yew::function_component(Prerendered)]
fn prerendered(p: &PageProps) -> yew::Html {
    let app = yew::html! { <App config={p.config.clone()} page={p.page.clone()} initial={p.initial.clone()} /> };
    match &p.prepared {
        Some(prepared) => yew::html! {
            <ContextProvider<Shared<Prepared>> context={prepared.clone()}>{ app }</ContextProvider<Shared<Prepared>>>
        },
        None => app,
    }
}

/// The app's HTML for `page` (an absolute address) showing `initial`, a document parsed once
/// and shared by all its pages (a collection's listing pages also share its `prepared`
/// search). Rendered on the calling thread, so each of the build's threads renders its own
/// pages. The browser app, given the same document, draws the very same page and takes this
/// one's place.
pub fn render_page(config: Config, page: &str, initial: Load, prepared: Option<Shared<Prepared>>) -> String {
    let props = PageProps { config: config.into(), page: page.to_string().into(), initial, prepared };
    futures::executor::block_on(LocalServerRenderer::<Prerendered>::with_props(props).hydratable(false).render())
}

#[derive(yew::Properties, PartialEq)]
struct BodyProps {
    markdown: String,
    base: String,
    lang: article_viewer_core::i18n::Lang,
}

/// A story's body alone, as the article view draws it.
#[yew::function_component(Body)]
fn body(p: &BodyProps) -> yew::Html {
    use article_viewer_core::markdown::{render_body, RenderOptions};
    let nodes = render_body(&p.markdown, &RenderOptions { base: Some(p.base.clone()), lang: p.lang });
    // Rendered for no page of its own: every address stays absolute, as feed readers need.
    yew::html! { <div class="av-body">{ article_viewer_ui::view::nodes(&nodes, "") }</div> }
}

/// How many feed bodies are remembered (twice the feeds' length): `serve` writes the feeds
/// again after each edit, and re-renders only the bodies that changed.
const REMEMBERED: usize = 2 * crate::feeds::FEED_ENTRIES;

/// The body, its base address and its language (by name: the type is not hashable).
type BodyKey = (String, String, String);

thread_local! {
    static BODIES: std::cell::RefCell<std::collections::HashMap<BodyKey, String>> = Default::default();
}

/// A story's body as HTML for a feed: the same components, without hydration markers, with
/// absolute addresses.
pub fn render_body_html(markdown: String, base: String, lang: article_viewer_core::i18n::Lang) -> String {
    let key = (markdown, base, format!("{lang:?}"));
    if let Some(html) = BODIES.with(|b| b.borrow().get(&key).cloned()) {
        return html;
    }
    let props = BodyProps { markdown: key.0.clone(), base: key.1.clone(), lang };
    let html = futures::executor::block_on(LocalServerRenderer::<Body>::with_props(props).hydratable(false).render());
    BODIES.with(|b| {
        let mut bodies = b.borrow_mut();
        if bodies.len() >= REMEMBERED {
            bodies.clear();
        }
        bodies.insert(key, html.clone());
    });
    html
}
