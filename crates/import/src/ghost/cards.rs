//! Ghost's cards as Ghost renders them (the same in lexical and mobiledoc), and the bound on
//! how much HTML a post's JSON may render to.

use serde_json::Value;

/// Rendered HTML may be at most this many times the JSON it comes from, plus [`FLOOR`].
/// Escaping (`"` → `&quot;`) and tags around short text make ordinary posts grow up to about
/// 3 times; mobiledoc's cards and markups are referred to by index, so without a bound one
/// big card named over and over made a 1.1 MB export render to gigabytes.
pub const GROWTH: usize = 8;
pub const FLOOR: usize = 64 * 1024;

/// Why a post's lexical or mobiledoc gave no HTML.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not what it should be (not JSON, no root, no sections): the post may have other content.
    Invalid(String),
    /// It renders to more than the bound: the post is skipped.
    Expands(String),
}

/// The most HTML a post's `json` may render to, checked as it is written.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    json: usize,
    limit: usize,
}

impl Budget {
    pub fn of(json: &str) -> Budget {
        Budget { json: json.len(), limit: json.len().saturating_mul(GROWTH).saturating_add(FLOOR) }
    }

    /// `Err` once `out` has passed the bound. Checked after each piece is written, so `out`
    /// ends at most one piece (a card or a markup: part of the JSON) past it.
    pub fn check(&self, out: &str) -> Result<(), Refusal> {
        if out.len() > self.limit {
            return Err(Refusal::Expands(format!(
                "renders to more than {} bytes of HTML ({GROWTH} times its {} bytes, plus {} KB): cards or markups named over and over",
                self.limit,
                self.json,
                FLOOR / 1024
            )));
        }
        Ok(())
    }
}

pub(super) fn esc(s: &str) -> String {
    article_viewer_publish::html::escape(s)
}

pub(super) fn get<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A Ghost card as Ghost renders it (cards are the same in lexical and mobiledoc).
pub(super) fn card_html(name: &str, c: &Value, out: &mut String) {
    match name {
        "image" => {
            let caption = get(c, "caption");
            out.push_str(&format!(
                "<figure class=\"kg-card kg-image-card\"><img src=\"{}\" alt=\"{}\">",
                esc(get(c, "src")),
                esc(get(c, "alt"))
            ));
            if !caption.is_empty() {
                out.push_str(&format!("<figcaption>{caption}</figcaption>"));
            }
            out.push_str("</figure>");
        }
        "gallery" => {
            out.push_str("<figure class=\"kg-card kg-gallery-card\"><div class=\"kg-gallery-container\">");
            for img in c.get("images").and_then(Value::as_array).into_iter().flatten() {
                out.push_str(&format!(
                    "<div class=\"kg-gallery-image\"><img src=\"{}\" alt=\"{}\"></div>",
                    esc(get(img, "src")),
                    esc(get(img, "alt"))
                ));
            }
            out.push_str("</div>");
            let caption = get(c, "caption");
            if !caption.is_empty() {
                out.push_str(&format!("<figcaption>{caption}</figcaption>"));
            }
            out.push_str("</figure>");
        }
        "html" => out.push_str(get(c, "html")),
        "markdown" | "card-markdown" => {
            // Kept as Markdown: a placeholder paragraph the caller swaps back.
            out.push_str(&format!("<pre class=\"av-markdown\">{}</pre>", esc(get(c, "markdown"))));
        }
        "code" | "codeblock" => {
            out.push_str(&format!(
                "<pre><code class=\"language-{}\">{}</code></pre>",
                esc(get(c, "language")),
                esc(get(c, "code"))
            ));
        }
        "embed" => {
            let html = get(c, "html");
            let caption = get(c, "caption");
            let caption =
                if caption.is_empty() { String::new() } else { format!("<figcaption>{caption}</figcaption>") };
            if html.trim().is_empty() {
                // The address alone (an embed Ghost could not fetch): the embed's own frame.
                let url = esc(get(c, "url"));
                out.push_str(&format!(
                    "<figure class=\"kg-card kg-embed-card\"><p><a href=\"{url}\">{url}</a></p>{caption}</figure>"
                ));
            } else {
                out.push_str(&format!("<figure class=\"kg-card kg-embed-card\">{html}{caption}</figure>"));
            }
        }
        "bookmark" => {
            let meta = |key: &str| c.get("metadata").map(|m| get(m, key)).unwrap_or("");
            out.push_str(&format!(
                "<figure class=\"kg-card kg-bookmark-card\"><a class=\"kg-bookmark-container\" href=\"{}\"><div class=\"kg-bookmark-title\">{}</div><div class=\"kg-bookmark-description\">{}</div></a></figure>",
                esc(get(c, "url")),
                esc(meta("title")),
                esc(meta("description"))
            ));
        }
        "callout" => {
            let color = get(c, "backgroundColor");
            out.push_str(&format!(
                "<div class=\"kg-card kg-callout-card kg-callout-card-{}\"><div class=\"kg-callout-emoji\">{}</div><div class=\"kg-callout-text\">{}</div></div>",
                esc(color),
                esc(get(c, "calloutEmoji")),
                get(c, "calloutText")
            ));
        }
        "toggle" => {
            out.push_str(&format!(
                "<div class=\"kg-card kg-toggle-card\"><div class=\"kg-toggle-heading\"><h4 class=\"kg-toggle-heading-text\">{}</h4></div><div class=\"kg-toggle-content\">{}</div></div>",
                get(c, "heading"),
                get(c, "content")
            ));
        }
        "hr" | "horizontalrule" => out.push_str("<hr>"),
        "video" | "audio" => out.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", esc(get(c, "src")))),
        "button" => {
            out.push_str(&format!("<p><a href=\"{}\">{}</a></p>", esc(get(c, "buttonUrl")), esc(get(c, "buttonText"))))
        }
        "file" => out.push_str(&format!("<p><a href=\"{}\">{}</a></p>", esc(get(c, "src")), esc(get(c, "fileName")))),
        "quote" | "aside" => {}
        _ => {}
    }
}
