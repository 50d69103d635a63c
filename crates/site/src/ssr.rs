//! Server-side rendering with the viewer's own components: the app that readers' browsers run,
//! rendered to HTML once, here, so a page reads before (and without) any JavaScript.

use article_viewer_core::format::parse_document;
use article_viewer_ui::{App, AppProps, Config, Load};
use yew::ServerRenderer;

/// The app's HTML for `page` (an absolute address) showing the document at `doc_url`, whose
/// JSON text is `doc_text`. The browser app, given the same, draws the very same page and takes
/// this one's place.
pub fn render_app(config: Config, page: String, doc_url: String, doc_text: String) -> String {
    // The renderer builds the props on its own thread, from plain data.
    let renderer = ServerRenderer::<App>::with_props(move || {
        let initial = parse_document(&doc_text).ok().map(|parsed| Load::document(&doc_url, parsed.document));
        AppProps { config: config.into(), page: page.into(), initial }
    })
    .hydratable(false);
    futures::executor::block_on(renderer.render())
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

/// A story's body as HTML for a feed: the same components, without hydration markers, with
/// absolute addresses.
pub fn render_body_html(markdown: String, base: String, lang: article_viewer_core::i18n::Lang) -> String {
    let renderer = ServerRenderer::<Body>::with_props(move || BodyProps { markdown, base, lang }).hydratable(false);
    futures::executor::block_on(renderer.render())
}
