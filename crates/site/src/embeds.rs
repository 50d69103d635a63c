//! Embeds that load nothing until the reader asks (docs/guide/embeds.md). A YouTube, Vimeo, X
//! or Instagram address alone in one of a story's paragraphs (which the Markdown renderer
//! makes a link) becomes a facade in the prerendered page: a figure that is one link to the
//! original address, with a poster (fetched and stored at build time, [`fetch`]), a title and a
//! play or open button. Nothing is fetched from the provider until the reader clicks: then a
//! small inline script ([`EMBED_SCRIPT`], allowed by its hash) puts the provider's frame, from
//! its privacy-friendly host, in the facade's place. Only providers listed in site.toml's
//! `embeds` get a frame (and their origin in the page's `frame-src`); any other stays a link
//! that opens the provider. Without JavaScript, and from disk, every facade is that link.
//!
//! The facades are made from the components' own HTML (the body's top-level paragraphs), so the
//! browser app gains nothing: it shows such an address as the link it is.

pub mod fetch;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::Path;

use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, text, RewriteStrSettings};

use article_viewer_core::format::Document;
use article_viewer_core::i18n::Lang;
use article_viewer_core::markdown::{is_chunk, plain_text, render_body, Attr, Node, RenderOptions, Tag};
use article_viewer_publish::html::escape;

use crate::content::Content;
pub use fetch::Fetch;

/// The script that swaps a facade for its provider's frame on a click (`embed.js`), written
/// inline after the story's body on pages with a facade that plays in place.
pub const EMBED_SCRIPT: &str = include_str!("embed.js");

/// The longest address read as an embed; a longer one stays a link.
const MAX_URL: usize = 512;

/// Where the posters are published, from the site's root.
pub const PUBLISHED: &str = "_embeds";

/// A provider the build makes facades for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    YouTube,
    Vimeo,
    X,
    Instagram,
}

impl Provider {
    pub const ALL: [Provider; 4] = [Provider::YouTube, Provider::Vimeo, Provider::X, Provider::Instagram];

    /// Its name in site.toml's `embeds`.
    pub fn key(self) -> &'static str {
        match self {
            Provider::YouTube => "youtube",
            Provider::Vimeo => "vimeo",
            Provider::X => "x",
            Provider::Instagram => "instagram",
        }
    }

    pub fn from_key(key: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.key() == key)
    }

    fn name(self) -> &'static str {
        match self {
            Provider::YouTube => "YouTube",
            Provider::Vimeo => "Vimeo",
            Provider::X => "X",
            Provider::Instagram => "Instagram",
        }
    }

    /// The origin its frame comes from: the page's `frame-src` allows it when site.toml lists
    /// the provider.
    pub fn frame_origin(self) -> &'static str {
        match self {
            Provider::YouTube => "https://www.youtube-nocookie.com",
            Provider::Vimeo => "https://player.vimeo.com",
            Provider::X => "https://platform.twitter.com",
            Provider::Instagram => "https://www.instagram.com",
        }
    }

    fn is_video(self) -> bool {
        matches!(self, Provider::YouTube | Provider::Vimeo)
    }
}

/// One embed: a provider's video or post by its id, checked against the provider's characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Embed {
    pub provider: Provider,
    pub id: String,
}

impl Embed {
    /// The embed an address names, or `None` for any other address (which stays a link).
    pub fn parse(url: &str) -> Option<Embed> {
        if url.len() > MAX_URL {
            return None;
        }
        let rest = strip_prefix_ignore_case(url, "https://").or_else(|| strip_prefix_ignore_case(url, "http://"))?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = rest[..end].to_ascii_lowercase();
        let rest = rest[end..].split('#').next().unwrap_or("");
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = path.strip_prefix('/').unwrap_or(path);
        let path = path.strip_suffix('/').unwrap_or(path);
        let segments: Vec<&str> = if path.is_empty() { Vec::new() } else { path.split('/').collect() };
        if segments.iter().any(|s| s.is_empty()) {
            return None;
        }
        let (provider, id) = match (host.as_str(), segments.as_slice()) {
            (h, ["watch"]) if is_youtube(h) => (Provider::YouTube, query_value(query, "v")?),
            (h, ["shorts" | "embed" | "live", id]) if is_youtube(h) => (Provider::YouTube, *id),
            ("youtu.be", [id]) => (Provider::YouTube, *id),
            ("vimeo.com" | "www.vimeo.com", [id]) | ("player.vimeo.com", ["video", id]) => (Provider::Vimeo, *id),
            (h, [user, "status", id]) if is_x(h) && valid(user, 1, 15, |c| c.is_ascii_alphanumeric() || c == '_') => {
                (Provider::X, *id)
            }
            ("instagram.com" | "www.instagram.com", ["p" | "reel" | "tv", id]) => (Provider::Instagram, *id),
            _ => return None,
        };
        let ok = match provider {
            Provider::YouTube => valid(id, 11, 11, |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')),
            Provider::Vimeo => valid(id, 1, 12, |c| c.is_ascii_digit()),
            Provider::X => valid(id, 1, 20, |c| c.is_ascii_digit()),
            Provider::Instagram => valid(id, 1, 64, |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')),
        };
        ok.then(|| Embed { provider, id: id.to_string() })
    }

    /// The provider's frame, from its privacy-friendly host where it has one.
    pub fn frame_src(&self) -> String {
        let id = &self.id;
        match self.provider {
            Provider::YouTube => format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
            Provider::Vimeo => format!("https://player.vimeo.com/video/{id}?dnt=1&autoplay=1"),
            Provider::X => format!("https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true"),
            Provider::Instagram => format!("https://www.instagram.com/p/{id}/embed"),
        }
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

fn is_youtube(host: &str) -> bool {
    matches!(
        host,
        "youtube.com" | "www.youtube.com" | "m.youtube.com" | "youtube-nocookie.com" | "www.youtube-nocookie.com"
    )
}

fn is_x(host: &str) -> bool {
    matches!(host, "x.com" | "www.x.com" | "mobile.x.com" | "twitter.com" | "www.twitter.com" | "mobile.twitter.com")
}

/// `name`'s value in a query string (`a=1&v=xyz`), as written.
fn query_value<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query.split('&').find_map(|pair| pair.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
}

/// Whether `s` has `min..=max` characters, each one `ok` allows.
fn valid(s: &str, min: usize, max: usize, ok: impl Fn(char) -> bool) -> bool {
    (min..=max).contains(&s.len()) && s.chars().all(ok)
}

/// Whether `text` names a provider's host at all (most stories do not: they are not read again).
fn mentions_a_provider(text: &str) -> bool {
    const HOSTS: [&str; 5] = ["youtu", "vimeo.com", "x.com", "twitter.com", "instagram.com"];
    let lower = text.to_ascii_lowercase();
    HOSTS.iter().any(|h| lower.contains(h))
}

/// Whether a link's text is its own address written out (a bare address the renderer made a
/// link: `https://…` as it is, `www.…` given `http://`).
fn written_as_itself(text: &str, href: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && (text == href || href.strip_prefix("http://") == Some(text))
}

/// The embeds of a story's Markdown: each top-level paragraph (of the body, or of one of a long
/// body's chunks) holding one link, written as its own address, to a provider ([`Embed::parse`]).
pub fn in_body(markdown: &str) -> Vec<(Embed, String)> {
    if !mentions_a_provider(markdown) {
        return Vec::new();
    }
    let nodes = render_body(markdown, &RenderOptions::default());
    let blocks = nodes.iter().flat_map(|n| match n {
        Node::Element(chunk) if is_chunk(n) => chunk.children.iter().collect(),
        n => vec![n],
    });
    let mut out = Vec::new();
    for node in blocks {
        let Node::Element(p) = node else { continue };
        let [Node::Element(a)] = p.children.as_slice() else { continue };
        if p.tag != Tag::P || a.tag != Tag::A {
            continue;
        }
        let Some(href) = a.get(Attr::Href) else { continue };
        if written_as_itself(&plain_text(&a.children), href) {
            if let Some(embed) = Embed::parse(href) {
                out.push((embed, href.to_string()));
            }
        }
    }
    out
}

/// The story's top-level paragraphs, where a facade may go: the body's own, or (a long body's)
/// its chunks' ([`is_chunk`]).
const PARAGRAPHS: [&str; 2] = [".av-body > p", ".av-body > .av-chunk > p"];

/// What the build found for an embed: the provider's title and a stored poster.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub title: Option<String>,
    pub poster: Option<Poster>,
}

/// A poster stored in the cache and published under [`PUBLISHED`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poster {
    pub file: String,
    pub width: u32,
    pub height: u32,
}

/// The site's embeds: the providers site.toml lets play in place, and what the build found
/// for each embed of its stories.
#[derive(Clone, Debug, Default)]
pub struct Embeds {
    allowed: Vec<Provider>,
    found: HashMap<Embed, Found>,
}

impl Embeds {
    pub fn new(allowed: &[Provider]) -> Embeds {
        Embeds { allowed: allowed.to_vec(), found: HashMap::new() }
    }

    /// Looks up the posters and titles of `content`'s embeds ([`fetch::look_up`]), and adds the
    /// posters to the files to publish. `root` is the content folder (the cache is in it).
    /// Returns the number of warnings printed (one for each page and address that failed).
    pub fn prepare(&mut self, content: &mut Content, root: &Path, how: Fetch) -> usize {
        let mut pages: HashMap<Embed, Vec<(String, String)>> = HashMap::new();
        for doc in &content.docs {
            let Document::Article(a) = &doc.document else { continue };
            for (embed, url) in in_body(&a.body) {
                pages.entry(embed).or_default().push((doc.rel.clone(), url));
            }
        }
        if pages.is_empty() {
            return 0;
        }
        let mut wanted: Vec<Embed> = pages.keys().cloned().collect();
        wanted.sort();
        let cache = root.join(fetch::CACHE);
        let mut warnings = 0;
        // Embeds may share a poster (the same picture): each is published once.
        let mut published = std::collections::HashSet::new();
        for (embed, result) in fetch::look_up(&wanted, &cache, how) {
            match result {
                Ok(found) => {
                    if let Some(p) = found.poster.as_ref().filter(|p| published.insert(p.file.clone())) {
                        content.files.push((cache.join(&p.file), format!("{PUBLISHED}/{}", p.file)));
                    }
                    self.found.insert(embed, found);
                }
                Err(why) => {
                    for (rel, url) in pages.get(&embed).into_iter().flatten() {
                        eprintln!("warning: {rel}: {url}: shown without the provider's poster and title: {why}");
                        warnings += 1;
                    }
                }
            }
        }
        warnings
    }

    /// Whether a provider's embeds play in place (site.toml lists it).
    fn plays(&self, p: Provider) -> bool {
        self.allowed.contains(&p)
    }

    /// `policy` allowing what a page with facades needs: [`EMBED_SCRIPT`] by its hash, and the
    /// listed providers' frames (for `_headers`, which every page's policy must fit within).
    pub fn site_policy(&self, policy: &str) -> String {
        if self.allowed.is_empty() {
            return policy.to_string();
        }
        allow_frames(policy, &self.allowed)
    }

    /// A prerendered story (`body`) with its embeds as facades, for a page `depth` folders
    /// below the site's root in the language `lang`. Also the providers whose frames it may
    /// load (the page's policy must allow them, [`allow_in_page`]); none when no facade plays
    /// in place, and then the page carries no script.
    pub fn rewrite(&self, body: &str, lang: Lang, depth: usize) -> (String, Vec<Provider>) {
        if !mentions_a_provider(body) {
            return (body.to_string(), Vec::new());
        }
        let Some(standalone) = standalone_links(body) else { return (body.to_string(), Vec::new()) };
        if standalone.iter().all(Option::is_none) {
            return (body.to_string(), Vec::new());
        }
        let up = "../".repeat(depth);
        let mut framed: Vec<Provider> = standalone.iter().flatten().map(|(e, _)| e.provider).collect();
        framed.retain(|p| self.plays(*p));
        framed.sort();
        framed.dedup();
        let index = Cell::new(0usize);
        let replace = |el: &mut lol_html::html_content::Element<'_, '_>| {
            let i = index.replace(index.get() + 1);
            if let Some(Some((embed, href))) = standalone.get(i) {
                let plays = self.plays(embed.provider);
                el.replace(&facade(embed, href, self.found.get(embed), lang, &up, plays), ContentType::Html);
            }
        };
        let mut handlers: Vec<_> = PARAGRAPHS
            .iter()
            .map(|selector| {
                element!(selector, |el| {
                    replace(el);
                    Ok(())
                })
            })
            .collect();
        handlers.push(element!(".av-body", |el| {
            if !framed.is_empty() {
                el.after(&format!("<script>{EMBED_SCRIPT}</script>"), ContentType::Html);
            }
            Ok(())
        }));
        let settings = RewriteStrSettings { element_content_handlers: handlers, ..RewriteStrSettings::default() };
        // The body is the components' own HTML: a rewrite that fails leaves its links as they are.
        match rewrite_str(body, settings) {
            Ok(out) => (out, framed),
            Err(_) => (body.to_string(), Vec::new()),
        }
    }
}

/// For each top-level paragraph of the story's body (`.av-body > p`), in order: the embed it
/// is, when it holds only one link written as its own address to a provider. `None` when the
/// body cannot be read.
fn standalone_links(body: &str) -> Option<Vec<Option<(Embed, String)>>> {
    #[derive(Default)]
    struct Paragraph {
        href: Option<String>,
        elements: usize,
        text: String,
    }
    let paragraphs: RefCell<Vec<Paragraph>> = RefCell::new(Vec::new());
    let mut handlers = Vec::new();
    for selector in PARAGRAPHS {
        handlers.push(element!(selector, |_| {
            paragraphs.borrow_mut().push(Paragraph::default());
            Ok(())
        }));
        handlers.push(element!(format!("{selector} *"), |el| {
            if let Some(p) = paragraphs.borrow_mut().last_mut() {
                if p.elements == 0 && el.tag_name() == "a" {
                    p.href = el.get_attribute("href");
                }
                p.elements += 1;
            }
            Ok(())
        }));
        handlers.push(text!(selector, |t| {
            if let Some(p) = paragraphs.borrow_mut().last_mut() {
                if p.text.len() <= MAX_URL {
                    p.text.push_str(t.as_str());
                }
            }
            Ok(())
        }));
    }
    let settings = RewriteStrSettings { element_content_handlers: handlers, ..RewriteStrSettings::default() };
    rewrite_str(body, settings).ok()?;
    let found = paragraphs.into_inner().into_iter().map(|p| {
        let href = unescape(p.href.as_deref().filter(|_| p.elements == 1)?)?;
        let text = unescape(&p.text)?;
        written_as_itself(&text, &href).then_some(())?;
        Some((Embed::parse(&href)?, href))
    });
    Some(found.collect())
}

/// Text or an attribute's value as the components escaped it, read back: the five entities an
/// escaper writes; any other `&` means it is not such text (`None`).
fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (entity, c) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\'')]
            .into_iter()
            .find(|(e, _)| rest.starts_with(e))?;
        out.push(c);
        rest = &rest[entity.len()..];
    }
    out.push_str(rest);
    Some(out)
}

/// The words a facade shows, in the page's language.
struct Words {
    /// The title when the provider gave none: "YouTube 동영상", "X post".
    title: String,
    /// The button: "재생 · YouTube" (it plays here), or "YouTube에서 보기" (the link opens it).
    action: String,
}

fn words(p: Provider, lang: Lang, plays: bool) -> Words {
    let name = p.name();
    let (video, ko_kind, en_kind) = (p.is_video(), ["게시물", "동영상"], ["post", "video"]);
    match lang {
        Lang::Ko => Words {
            title: format!("{name} {}", ko_kind[usize::from(video)]),
            action: match (plays, video) {
                (true, true) => format!("재생 · {name}"),
                (true, false) => format!("게시물 보기 · {name}"),
                (false, _) => format!("{name}에서 보기"),
            },
        },
        Lang::En => Words {
            title: format!("{name} {}", en_kind[usize::from(video)]),
            action: match (plays, video) {
                (true, true) => format!("Play · {name}"),
                (true, false) => format!("Show post · {name}"),
                (false, true) => format!("Watch on {name}"),
                (false, false) => format!("View on {name}"),
            },
        },
    }
}

/// A facade: one link to the original address `href`, with the poster (from `up`, the way to
/// the site's root) or a card naming the provider, the title and the button. `plays`: the
/// link carries its frame's address, which [`EMBED_SCRIPT`] loads on a click.
pub fn facade(embed: &Embed, href: &str, found: Option<&Found>, lang: Lang, up: &str, plays: bool) -> String {
    let p = embed.provider;
    let words = words(p, lang, plays);
    let title = found.and_then(|f| f.title.as_deref()).unwrap_or(&words.title);
    let screen = match found.and_then(|f| f.poster.as_ref()) {
        Some(poster) => format!(
            "<img class=\"av-embed-poster\" src=\"{}\" alt=\"\" width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\">",
            escape(&format!("{up}{PUBLISHED}/{}", poster.file)),
            poster.width,
            poster.height
        ),
        None if p.is_video() => String::new(),
        None => {
            let shown = href.split_once("://").map_or(href, |(_, rest)| rest);
            format!(
                "<span class=\"av-embed-card\"><span class=\"av-embed-brand\">{}</span><span class=\"av-embed-address\">{}</span></span>",
                p.name(),
                escape(shown)
            )
        }
    };
    // A video's play button on its screen; a post's card says what it is already.
    let button = if p.is_video() { "<span class=\"av-embed-button\" aria-hidden=\"true\"></span>" } else { "" };
    let frame = if plays { format!(" data-av-frame=\"{}\"", escape(&embed.frame_src())) } else { String::new() };
    format!(
        "<figure class=\"av-embed av-embed-{key}\"><a class=\"av-embed-link\" href=\"{href}\" rel=\"noopener noreferrer\" target=\"_blank\"{frame}>\
         <span class=\"av-embed-screen\">{screen}{button}</span>\
         <span class=\"av-embed-caption\"><span class=\"av-embed-title\" dir=\"auto\">{title}</span>\
         <span class=\"av-embed-action\">{action}</span></span></a></figure>",
        key = p.key(),
        href = escape(href),
        title = escape(title),
        action = escape(&words.action),
    )
}

/// A page with facades that play in place: its policy (`<meta http-equiv>`) allows
/// [`EMBED_SCRIPT`] and the frames of `providers`.
pub fn allow_in_page(page: &str, providers: &[Provider]) -> String {
    let settings = RewriteStrSettings {
        element_content_handlers: vec![element!("meta[http-equiv=\"Content-Security-Policy\" i]", |el| {
            if let Some(policy) = el.get_attribute("content") {
                el.set_attribute("content", &allow_frames(&policy, providers))?;
            }
            Ok(())
        })],
        ..RewriteStrSettings::default()
    };
    rewrite_str(page, settings).unwrap_or_else(|_| page.to_string())
}

/// The CSP source that allows [`EMBED_SCRIPT`]: `'sha256-…'`.
pub fn script_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        use base64::Engine as _;
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(EMBED_SCRIPT.as_bytes());
        format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
    })
}

/// `policy` with [`EMBED_SCRIPT`] allowed and `providers`' frame origins added to `frame-src`
/// (a new one starts from `child-src`, else `default-src`, which frames otherwise fall back
/// to; a policy restricting neither allows frames already).
pub fn allow_frames(policy: &str, providers: &[Provider]) -> String {
    let policy = crate::light::allow_script(policy, script_source());
    let mut directives: Vec<Vec<String>> = policy
        .split(';')
        .map(|d| d.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|d| !d.is_empty())
        .collect();
    let named = |ds: &[Vec<String>], name: &str| ds.iter().position(|d| d[0].eq_ignore_ascii_case(name));
    let index = match named(&directives, "frame-src") {
        Some(i) => i,
        None => match named(&directives, "child-src").or_else(|| named(&directives, "default-src")) {
            Some(from) => {
                let mut d = directives[from].clone();
                d[0] = "frame-src".to_string();
                directives.push(d);
                directives.len() - 1
            }
            None => return policy,
        },
    };
    let directive = &mut directives[index];
    directive.retain(|s| !s.eq_ignore_ascii_case("'none'"));
    for origin in providers.iter().map(|p| p.frame_origin()) {
        if !directive.iter().skip(1).any(|s| s == origin) {
            directive.push(origin.to_string());
        }
    }
    directives.iter().map(|d| d.join(" ")).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests;
