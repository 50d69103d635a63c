//! What a page says about itself in `<head>`: title and description, its canonical address,
//! Open Graph and Twitter cards for link previews, JSON-LD for search engines, the document
//! and feeds it comes with, and the configuration the browser app takes the page over with.

use serde_json::{json, Value};

use article_viewer_core::format::{Article, Collection, Image};
use article_viewer_core::markdown::{plain_text, render_body, render_inline, RenderOptions};
use article_viewer_core::site::relative_url;
use article_viewer_core::urls::{is_http, safe_resolved, UrlKind};
use article_viewer_ui::components::FEEDS;
use article_viewer_ui::config::meta;
use article_viewer_ui::DOCUMENT_DATA;

use article_viewer_publish::html::{escape, script_json};

/// Descriptions are cut here, at a word, as search results and previews show about this much.
const DESCRIPTION_CHARS: usize = 160;

/// One page's place in the site.
pub struct PageInfo<'a> {
    /// The page's published address.
    pub url: &'a str,
    /// The document's published address (relative references in it resolve against it).
    pub doc_url: &'a str,
    /// The site's address (`--site`, with a trailing `/`) and name (the collection's title).
    pub site: &'a str,
    pub site_name: &'a str,
}

/// The head tags of an article's page.
pub fn article(a: &Article, p: &PageInfo<'_>) -> String {
    let description = article_description(a, p.doc_url);
    let image = a.image.as_ref().and_then(|i| image_url(i, p.doc_url));
    let mut tags = common(p, &a.title, &description, "article", image.as_deref());
    if let Some(d) = &a.published {
        tags.push_str(&meta_property("article:published_time", &d.at.rfc3339()));
    }
    if let Some(d) = &a.updated {
        tags.push_str(&meta_property("article:modified_time", &d.at.rfc3339()));
    }
    for t in &a.tags {
        tags.push_str(&meta_property("article:tag", t));
    }
    let authors: Vec<Value> = a
        .authors
        .iter()
        .map(|au| {
            let mut person = json!({ "@type": "Person", "name": au.name });
            if let Some(url) =
                au.url.as_deref().and_then(|u| safe_resolved(u, UrlKind::Link, Some(p.doc_url))).filter(|u| is_http(u))
            {
                person["url"] = json!(url);
            }
            person
        })
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": description,
        "url": p.url,
        "mainEntityOfPage": p.url,
        "author": authors,
        "publisher": { "@type": "Organization", "name": p.site_name, "url": p.site },
    });
    if let Some(d) = &a.published {
        ld["datePublished"] = json!(d.at.rfc3339());
    }
    if let Some(d) = a.updated.as_ref().or(a.published.as_ref()) {
        ld["dateModified"] = json!(d.at.rfc3339());
    }
    if let Some(img) = &image {
        ld["image"] = json!([img]);
    }
    if let Some(lang) = &a.language {
        ld["inLanguage"] = json!(lang);
    }
    tags.push_str(&json_ld(&ld));
    // The pick box's script keys the reader's choice by the article's id, as the app does.
    tags.push_str(&meta_name("article-viewer:article", &a.id));
    tags
}

/// The head tags of a collection's listing page.
pub fn collection(c: &Collection, p: &PageInfo<'_>) -> String {
    let title = c.title.as_deref().unwrap_or(p.site_name);
    let description = c.description.as_deref().map(|d| clip(d, DESCRIPTION_CHARS)).unwrap_or_default();
    // The picture of one of the first stories: looked for among a page's worth only, so that the
    // collection's listing pages (one per page of stories) stay linear in its size together.
    let image = c
        .articles
        .iter()
        .take(article_viewer_core::listing::PAGE_SIZE)
        .find_map(|s| s.image.as_ref().and_then(|i| image_url(i, p.doc_url)));
    let mut tags = common(p, title, &description, "website", image.as_deref());
    let ld = json!({
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": title,
        "description": description,
        "url": p.url,
        "inLanguage": c.language,
    });
    tags.push_str(&json_ld(&ld));
    tags
}

/// What every page has: description, canonical, Open Graph, Twitter card, the document as an
/// alternate, the feeds, and the site configuration for the app.
fn common(p: &PageInfo<'_>, title: &str, description: &str, og_type: &str, image: Option<&str>) -> String {
    let mut t = String::new();
    if !description.is_empty() {
        t.push_str(&format!("<meta name=\"description\" content=\"{}\">", escape(description)));
    }
    t.push_str(&format!("<link rel=\"canonical\" href=\"{}\">", escape(p.url)));
    for (property, value) in [
        ("og:type", og_type),
        ("og:site_name", p.site_name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", p.url),
    ] {
        if !value.is_empty() {
            t.push_str(&meta_property(property, value));
        }
    }
    let card = if image.is_some() { "summary_large_image" } else { "summary" };
    t.push_str(&meta_name("twitter:card", card));
    t.push_str(&meta_name("twitter:title", title));
    if !description.is_empty() {
        t.push_str(&meta_name("twitter:description", description));
    }
    if let Some(img) = image {
        t.push_str(&meta_property("og:image", img));
        t.push_str(&meta_name("twitter:image", img));
    }
    t.push_str(&format!(
        "<link rel=\"alternate\" type=\"application/json\" href=\"{}\">",
        escape(&relative_url(p.doc_url, p.url))
    ));
    for ((file, name), kind) in FEEDS.iter().zip(["application/feed+json", "application/atom+xml"]) {
        let href = relative_url(&format!("{}{file}", p.site), p.url);
        t.push_str(&format!(
            "<link rel=\"alternate\" type=\"{kind}\" title=\"{} ({name})\" href=\"{}\">",
            escape(p.site_name),
            escape(&href)
        ));
    }
    let root = relative_url(p.site, p.url);
    for (name, value) in [(meta::SITE, p.site), (meta::ROOT, root.as_str()), (meta::SITE_TITLE, p.site_name)] {
        t.push_str(&meta_name(&format!("article-viewer:{name}"), value));
    }
    t
}

/// The document the page carries for the app taking it over, as a data block (never run).
pub fn carried(json: &str) -> String {
    format!("<script type=\"application/json\" id=\"{DOCUMENT_DATA}\">{}</script>", script_json(json.trim()))
}

/// A reader-facing summary: the dek, else the Editor's Pick points, else the story's start.
fn article_description(a: &Article, doc_url: &str) -> String {
    let opts = RenderOptions { base: Some(doc_url.to_string()), ..RenderOptions::default() };
    let text = match (&a.subtitle, &a.editors_pick) {
        (Some(s), _) => s.clone(),
        (None, Some(pick)) => {
            pick.items.iter().map(|i| plain_text(&render_inline(i, &opts))).collect::<Vec<_>>().join(" · ")
        }
        (None, None) => plain_text(&render_body(&a.body, &opts)),
    };
    clip(&text.split_whitespace().collect::<Vec<_>>().join(" "), DESCRIPTION_CHARS)
}

/// The absolute address of an image's link-preview picture, when previews can fetch and show
/// it: its raster copy (`share`, which `build` makes), else the picture itself unless it is an
/// SVG or known to be smaller than 1200 × 630 (and not an inline `data:` picture).
fn image_url(img: &Image, doc_url: &str) -> Option<String> {
    let src = match &img.share {
        Some(share) => share,
        None if previewable(img) => &img.src,
        None => return None,
    };
    safe_resolved(src, UrlKind::Image, Some(doc_url)).filter(|u| is_http(u))
}

/// Whether link previews show `img` as it is: a raster picture (previews show no SVG) not known
/// to be smaller than 1200 × 630, or one with a raster copy for previews.
pub fn previewable(img: &Image) -> bool {
    let path = img.src.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
    let big = img.width.zip(img.height).is_none_or(|(w, h)| w >= 1200 && h >= 630);
    img.share.is_some() || (!path.ends_with(".svg") && !path.starts_with("data:image/svg") && big)
}

/// `text` cut to at most `max` characters, at a space when there is one, with an ellipsis.
pub fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end())
}

fn meta_property(property: &str, content: &str) -> String {
    format!("<meta property=\"{}\" content=\"{}\">", escape(property), escape(content))
}

fn meta_name(name: &str, content: &str) -> String {
    format!("<meta name=\"{}\" content=\"{}\">", escape(name), escape(content))
}

fn json_ld(value: &Value) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    format!("<script type=\"application/ld+json\">{}</script>", script_json(&json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_cut_at_a_word() {
        assert_eq!(clip("짧은 글", 160), "짧은 글");
        let long = "가나다 ".repeat(100);
        let c = clip(&long, 20);
        assert!(c.chars().count() <= 20 && c.ends_with("가나다…"), "{c}");
    }
}
