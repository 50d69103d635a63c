//! WordPress shortcodes in a post's content, read in one pass before the HTML is converted:
//!
//! - `[caption …]<img …> Caption[/caption]` → a figure;
//! - `[embed]URL[/embed]`, `[youtube URL]`, `[youtube=URL]`, `[vimeo ID]`, `[tweet URL]`,
//!   `[instagram url=…]` → the embed block's figure, which the converter writes as the
//!   provider's address alone on its line ([`crate::embeds`]);
//! - `[gallery ids="1,2,3"]` (or `include=`; without them, the pictures attached to the post,
//!   in their order) → a gallery block's figure of the attachments' pictures and captions;
//! - any other shortcode with attributes (`[audio mp3=…]`, `[contact-form-7 id=…]`) → a link
//!   to the first address it holds (else its text as written), noted for the import report.
//!
//! Text in brackets that is no shortcode (`[자료: 오라클]`, `[sic]`) stays as it is. Each
//! search for a closing `]` or `[/name]` is remembered until the scan passes it, so a body of
//! many unclosed tags is read in one pass.

use article_viewer_publish::html::escape;

use super::Channel;
use crate::embeds::canonical;
use crate::text::clip;

/// The export's pictures, for the post being read.
pub(super) struct Pictures<'a> {
    pub channel: &'a Channel,
    /// The post's `wp:post_id`.
    pub post: &'a str,
}

/// At most this many pictures in one gallery.
const MAX_GALLERY: usize = 1000;

/// At most this many notes for one post; the rest are counted.
const MAX_NOTES: usize = 20;

/// Shortcodes that hold content up to their closing tag.
const PAIRED: [&str; 3] = ["caption", "wp_caption", "embed"];

/// Where a pattern is next found (absolute), searched again only once the scan has passed it.
#[derive(Default)]
struct Next {
    at: Option<Option<usize>>,
}

impl Next {
    fn find(&mut self, text: &str, from: usize, pattern: &str) -> Option<usize> {
        let stale = match self.at {
            None => true,
            Some(Some(p)) => p < from,
            Some(None) => false,
        };
        if stale {
            self.at = Some(text.get(from..).and_then(|t| t.find(pattern)).map(|p| from + p));
        }
        self.at.flatten()
    }
}

/// `html` with its shortcodes read, and what the report should say about them.
pub(super) fn shortcodes(html: &str, pictures: &Pictures<'_>) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len());
    let mut notes = Vec::new();
    let mut bracket = Next::default();
    let mut closes: [Next; 3] = Default::default();
    // Shortcodes not converted: their closing tags (`[/audio]`) go with them.
    let mut unknown: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('[') {
        let at = i + off;
        out.push_str(&html[i..at]);
        i = at + 1;
        if let Some(rest) = html[i..].strip_prefix('/') {
            let closed = unknown.iter().find(|n| {
                rest.get(..n.len()).is_some_and(|r| r.eq_ignore_ascii_case(n)) && rest[n.len()..].starts_with(']')
            });
            if let Some(n) = closed {
                i += n.len() + 2;
                continue;
            }
        }
        let name_len = html[i..].bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')).count();
        let name = &html[i..i + name_len];
        let Some(end) = bracket.find(html, i, "]") else {
            out.push('[');
            continue;
        };
        let args = &html[i + name_len..end];
        let shortcode = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && (args.is_empty() || args.starts_with([' ', '\t', '\n', '\r', '=', '/']));
        if !shortcode {
            out.push('[');
            continue;
        }
        let tag = &html[at..=end];
        let name = name.to_ascii_lowercase();
        if let Some(k) = PAIRED.iter().position(|p| *p == name) {
            let close = format!("[/{name}]");
            match closes[k].find(html, end + 1, &close) {
                Some(c) => {
                    paired(&name, &html[end + 1..c], &mut out, &mut notes);
                    i = c + close.len();
                }
                None => out.push('['),
            }
            continue;
        }
        i = end + 1;
        match name.as_str() {
            "youtube" | "vimeo" | "tweet" | "instagram" => match target(&name, args) {
                Some(url) => embed(&url, &mut out),
                None => {
                    notes.push(format!("shortcode {} left as text: no {name} address in it", clip(tag, 80)));
                    out.push_str(tag);
                }
            },
            "gallery" => gallery(args, pictures, &mut out, &mut notes),
            _ if args.contains('=') || args.contains("http") => {
                if !unknown.contains(&name) && unknown.len() < 32 {
                    unknown.push(name.clone());
                }
                let url = args
                    .split(['"', '\'', ' ', '=', ']'])
                    .find(|w| w.starts_with("https://") || w.starts_with("http://"));
                match url {
                    Some(u) => {
                        notes.push(format!("shortcode {} is not converted: kept as a link to {u}", clip(tag, 80)));
                        out.push_str(&format!("<a href=\"{0}\">{0}</a>", escape(u)));
                    }
                    None => {
                        notes.push(format!("shortcode {} is not converted: left as text", clip(tag, 80)));
                        out.push_str(tag);
                    }
                }
            }
            _ => out.push_str(tag),
        }
    }
    out.push_str(&html[i..]);
    if notes.len() > MAX_NOTES {
        let more = notes.len() - MAX_NOTES;
        notes.truncate(MAX_NOTES);
        notes.push(format!("and {more} more shortcodes like these"));
    }
    (out, notes)
}

/// A paired shortcode's content: a caption's figure, an embed's address.
fn paired(name: &str, inner: &str, out: &mut String, notes: &mut Vec<String>) {
    if name != "embed" {
        // The image (possibly in a link) comes first; the caption is the text after it.
        let split = inner.rfind('>').map_or(0, |i| i + 1);
        let (media, caption) = inner.split_at(split);
        out.push_str(&format!("<figure>{media}<figcaption>{}</figcaption></figure>", caption.trim()));
        return;
    }
    let url = inner.trim();
    match canonical(url) {
        Some(c) => embed(&c, out),
        None => {
            notes.push(format!(
                "embed kept as a link (only YouTube, Vimeo, X and Instagram are embedded): {}",
                clip(url, 200)
            ));
            let url = escape(url);
            out.push_str(&format!("<p><a href=\"{url}\">{url}</a></p>"));
        }
    }
}

/// The embed block's figure, as Gutenberg writes it.
fn embed(url: &str, out: &mut String) {
    out.push_str(&format!(
        "<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">{}</div></figure>",
        escape(url)
    ));
}

/// A value in shortcode arguments: `key="v"`, `key='v'`, `key=v`.
fn arg(args: &str, key: &str) -> Option<String> {
    crate::markdown::shortcode_arg(args, key)
}

/// The provider's address a `[youtube …]`, `[vimeo …]`, `[tweet …]` or `[instagram …]` names:
/// as `=URL`, as its first word (an address or an id), or as `url=`, `id=`, `tweet=`.
fn target(name: &str, args: &str) -> Option<String> {
    let first = args.trim_start_matches([' ', '\t', '\n', '\r', '=']).split_whitespace().next().unwrap_or("");
    let first = first.trim_matches(['"', '\'']).to_string();
    let candidates = [arg(args, "url"), arg(args, "id"), arg(args, "tweet"), Some(first)];
    let usable = |c: &String| c.contains("://") || !(c.is_empty() || c.contains('='));
    candidates.into_iter().flatten().filter(usable).find_map(|c| {
        canonical(&c).or_else(|| {
            let url = match name {
                "youtube" => format!("https://www.youtube.com/watch?v={c}"),
                "vimeo" => format!("https://vimeo.com/{c}"),
                "tweet" => format!("https://x.com/i/status/{c}"),
                _ => format!("https://www.instagram.com/p/{c}/"),
            };
            canonical(&url)
        })
    })
}

/// `[gallery ids="1,2,3"]` as a gallery block's figure of the attachments' pictures.
fn gallery(args: &str, pictures: &Pictures<'_>, out: &mut String, notes: &mut Vec<String>) {
    let ids: Vec<String> = match arg(args, "ids").or_else(|| arg(args, "include")) {
        Some(list) => {
            list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).take(MAX_GALLERY).collect()
        }
        None => pictures
            .channel
            .attached
            .get(pictures.post)
            .map(|l| l.iter().take(MAX_GALLERY).map(|(_, _, id)| id.clone()).collect())
            .unwrap_or_default(),
    };
    let mut figures = String::new();
    let mut missing = Vec::new();
    for id in &ids {
        let Some(a) = pictures.channel.attachments.get(id) else {
            missing.push(clip(id, 20));
            continue;
        };
        figures.push_str(&format!(
            "<figure><img src=\"{}\" alt=\"{}\">",
            escape(&a.url),
            escape(a.alt.as_deref().unwrap_or(""))
        ));
        if let Some(c) = &a.caption {
            figures.push_str(&format!("<figcaption>{c}</figcaption>"));
        }
        figures.push_str("</figure>");
    }
    if !missing.is_empty() {
        let more = if missing.len() > 10 { format!(" and {} more", missing.len() - 10) } else { String::new() };
        missing.truncate(10);
        notes.push(format!(
            "gallery: pictures {}{more} are not attachments in the export; left out",
            missing.join(", ")
        ));
    }
    if figures.is_empty() {
        notes.push(format!("gallery [gallery{}] has no pictures in the export", clip(args, 60)));
        return;
    }
    out.push_str(&format!("<figure class=\"wp-block-gallery\">{figures}</figure>"));
}
