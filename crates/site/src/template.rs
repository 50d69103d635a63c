//! The trunk-built page (`dist/index.html`) as the frame of every prerendered page: its
//! stylesheet, start-up script, preloads and Content-Security-Policy stay as trunk and the
//! site owner wrote them, with addresses rewritten for the page's depth in the folder.

use std::path::{Path, PathBuf};

use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};

use article_viewer_ui::{PRERENDERED, STANDALONE_ROOT};

use super::light;
use crate::Error;

/// The plain viewer page, kept beside the prerendered ones: later builds start from it, and
/// `viewer.html?src=…` opens any document without a prerendered page.
pub const VIEWER_PAGE: &str = "viewer.html";

/// The published site's stylesheet, copied beside the app's by trunk (`index.html`).
pub const SITE_CSS: &str = "site.css";

pub struct Template {
    html: String,
    path: PathBuf,
    /// The site's default share picture (absolute), for pages without one ([`super::chrome`]).
    share_image: Option<String>,
    /// `site.css?v=<hash>`: the published site's own styles (its header, navigation, footer and
    /// skip link), linked from its pages only. The standalone viewer and embeds never show
    /// them, so they are not in the app's stylesheet.
    site_css: Option<String>,
}

/// What one page puts into the frame.
pub struct Page<'a> {
    /// `<html lang>`.
    pub lang: &'a str,
    pub title: &'a str,
    /// Tags added to `<head>`, after the title (already escaped HTML).
    pub head: &'a str,
    /// The prerendered app, put into the viewer's mount point.
    pub body: &'a str,
    /// Put after the mount point, at the end of the page (the carried document: a reader sees
    /// the headline before the browser has read it).
    pub tail: &'a str,
    /// Folders between the site's root and the page (`articles/a.html` is 1 deep).
    pub depth: usize,
    /// The page's path inside the site (`tags/반도체/index.html`): the site's own link to it
    /// is marked as the current page ([`current`]).
    pub rel: &'a str,
    /// Whether the page loads the app (listing pages: search and facets). An article page
    /// does not: it is HTML, with the pick box's inline script ([`super::light`]).
    pub app: bool,
}

impl Template {
    /// Reads the trunk-built page from `dist`. The first build keeps it as `viewer.html`
    /// before `index.html` becomes the collection's page; later builds read it from there.
    pub fn load(dist: &Path) -> Result<Template, Error> {
        let index = dist.join("index.html");
        let viewer = dist.join(VIEWER_PAGE);
        let path = if viewer.is_file() { viewer.clone() } else { index.clone() };
        let html = std::fs::read_to_string(&path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                Error::Usage(format!("{}: not found; run `trunk build --release` first", index.display()))
            } else {
                Error::Io { path: path.clone(), source }
            }
        })?;
        if !html.contains(&format!("id=\"{STANDALONE_ROOT}\"")) && !html.contains(&format!("id={STANDALONE_ROOT}")) {
            return Err(Error::Usage(format!(
                "{}: not the viewer's page (no #{STANDALONE_ROOT}); run `trunk build --release`",
                path.display()
            )));
        }
        if !html.contains("<title") {
            return Err(Error::Usage(format!(
                "{}: the page has no <title>; the head tags are written after it",
                path.display()
            )));
        }
        if html.contains(PRERENDERED) {
            return Err(Error::Usage(format!(
                "{}: already a prerendered page and {VIEWER_PAGE} is missing; run `trunk build --release` again",
                path.display()
            )));
        }
        if path == index {
            std::fs::write(&viewer, &html).map_err(Error::io(&viewer))?;
        }
        // Versioned by its bytes, as trunk names the app's stylesheet by its hash.
        let site_css = std::fs::read(dist.join(SITE_CSS)).ok().map(|bytes| {
            format!(
                "{SITE_CSS}?v={:016x}",
                article_viewer_publish::outdir::fnv64(article_viewer_publish::outdir::FNV_SEED, &bytes)
            )
        });
        Ok(Template { html, path, share_image: None, site_css })
    }

    /// Works the site's configuration into the frame, once for every page: navigation and
    /// footer links, outside scripts and their origins in the policy, the default share picture.
    pub fn customise(&mut self, chrome: &super::chrome::Chrome<'_>) -> Result<(), Error> {
        self.html = chrome.apply(&self.html).map_err(|e| Error::Usage(format!("{}: {e}", self.path.display())))?;
        self.share_image = chrome.share_image();
        Ok(())
    }

    /// Where the template was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The content of `<meta name="article-viewer:{name}">` in the template.
    pub fn meta(&self, name: &str) -> Option<String> {
        self.content_of(&format!("meta[name=\"article-viewer:{name}\"]"))
    }

    /// The page's Content-Security-Policy (its `<meta http-equiv>`), which `_headers` sends
    /// with every file.
    pub fn policy(&self) -> Option<String> {
        self.content_of("meta[http-equiv=\"Content-Security-Policy\" i]")
    }

    fn content_of(&self, selector: &str) -> Option<String> {
        let found = std::cell::RefCell::new(None);
        let settings = RewriteStrSettings {
            element_content_handlers: vec![element!(selector, |el| {
                *found.borrow_mut() = el.get_attribute("content");
                Ok(())
            })],
            ..RewriteStrSettings::default()
        };
        rewrite_str(&self.html, settings).ok()?;
        found.into_inner()
    }

    /// The template filled in for one page.
    pub fn page(&self, p: &Page<'_>) -> Result<String, Error> {
        let up = "../".repeat(p.depth);
        let relative = |url: &str| -> Option<String> {
            let local = !url.is_empty()
                && !url.starts_with('/')
                && !url.starts_with('#')
                && !url.split(['?', '#']).next().unwrap_or(url).contains(':');
            local.then(|| format!("{up}{}", url.strip_prefix("./").unwrap_or(url)))
        };
        let root_selector = format!("#{STANDALONE_ROOT}");
        let head = with_share_image(p.head, self.share_image.as_deref());
        let site_links = format!("[{}] a[href], [{}] img[src]", super::chrome::MARK, super::chrome::MARK);
        let site_linked = std::cell::Cell::new(false);
        let settings = RewriteStrSettings {
            element_content_handlers: vec![
                element!("html", |el| {
                    el.set_attribute("lang", p.lang)?;
                    Ok(())
                }),
                // After the title rather than at the end of <head>: a minified page may leave
                // out the <head> and </head> tags, never the title.
                element!("title", |el| {
                    el.set_inner_content(p.title, ContentType::Text);
                    el.after(&head, ContentType::Html);
                    Ok(())
                }),
                element!("link[href]", |el| {
                    if let Some(url) = el.get_attribute("href").as_deref().and_then(relative) {
                        el.set_attribute("href", &url)?;
                    }
                    let stylesheet = el.get_attribute("rel").is_some_and(|r| r.eq_ignore_ascii_case("stylesheet"));
                    if let Some(site_css) = self.site_css.as_ref().filter(|_| stylesheet && !site_linked.replace(true))
                    {
                        el.after(&format!("<link rel=\"stylesheet\" href=\"{up}{site_css}\">"), ContentType::Html);
                    }
                    Ok(())
                }),
                // The site's navigation and footer ([`super::chrome`]): its local links too.
                element!(site_links, |el| {
                    let attr = if el.tag_name() == "img" { "src" } else { "href" };
                    if let Some(which) = el.get_attribute("href").as_deref().and_then(|url| current(url, p.rel)) {
                        el.set_attribute("aria-current", which)?;
                    }
                    if let Some(url) = el.get_attribute(attr).as_deref().and_then(relative) {
                        el.set_attribute(attr, &url)?;
                    }
                    Ok(())
                }),
                element!("script[src]", |el| {
                    let src = el.get_attribute("src").unwrap_or_default();
                    if !p.app && is_start_up(&src) {
                        el.remove();
                    } else if let Some(url) = relative(&src) {
                        el.set_attribute("src", &url)?;
                    }
                    Ok(())
                }),
                // The app's JS and wasm, fetched ahead by trunk's preloads: not on a page
                // without the app.
                element!("link[rel=modulepreload], link[rel=preload]", |el| {
                    if !p.app {
                        el.remove();
                    }
                    Ok(())
                }),
                element!("meta[http-equiv=\"Content-Security-Policy\" i]", |el| {
                    if let (false, Some(policy)) = (p.app, el.get_attribute("content")) {
                        el.set_attribute("content", &light::allow_script(&policy, light::pick_script_source()))?;
                    }
                    Ok(())
                }),
                element!(root_selector, |el| {
                    el.set_attribute(PRERENDERED, "")?;
                    el.set_inner_content(p.body, ContentType::Html);
                    el.after(p.tail, ContentType::Html);
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::default()
        };
        rewrite_str(&self.html, settings).map_err(|e| Error::Usage(format!("{}: {e}", self.path.display())))
    }
}

/// A page's head tags with the site's share picture when they name no picture of their own.
fn with_share_image<'a>(head: &'a str, image: Option<&str>) -> std::borrow::Cow<'a, str> {
    match image {
        Some(image) if !head.contains("property=\"og:image\"") => {
            let image = article_viewer_publish::html::escape(image);
            std::borrow::Cow::Owned(format!(
                "{head}<meta property=\"og:image\" content=\"{image}\"><meta name=\"twitter:image\" content=\"{image}\">"
            ))
        }
        _ => std::borrow::Cow::Borrowed(head),
    }
}

/// Whether a script is the app's start-up (`start-<hash>.js`, scripts/startup.mjs).
/// How the site's link `url` (a path inside the site, as `site.toml` and the sections give it)
/// stands to the page at `rel`: `page` when it is that page, `true` when the page is inside the
/// link's section (`tags/반도체/page/2.html` under `tags/반도체/index.html`); the front page's
/// link is current only on the front page.
fn current(url: &str, rel: &str) -> Option<&'static str> {
    let url = url.strip_prefix("./").unwrap_or(url);
    if url.is_empty() || url.contains([':', '?', '#']) || url.starts_with('/') {
        return None;
    }
    if url == rel {
        return Some("page");
    }
    let folder = url.strip_suffix("index.html")?;
    (!folder.is_empty() && rel.starts_with(folder)).then_some("true")
}

fn is_start_up(src: &str) -> bool {
    let name = src.rsplit('/').next().unwrap_or(src);
    name.starts_with("start-") && name.ends_with(".js")
}

#[cfg(test)]
mod tests {
    use super::current;

    #[test]
    fn the_site_link_to_the_page_or_its_section_is_current() {
        assert_eq!(current("tags/반도체/index.html", "tags/반도체/index.html"), Some("page"));
        assert_eq!(current("./about.html", "about.html"), Some("page"));
        assert_eq!(current("tags/반도체/index.html", "tags/반도체/page/2.html"), Some("true"));
        assert_eq!(current("tags/반도체/index.html", "tags/클라우드/index.html"), None);
        // The front page's link is current only there, not on every page below it.
        assert_eq!(current("index.html", "index.html"), Some("page"));
        assert_eq!(current("index.html", "tags/반도체/index.html"), None);
        for outside in ["https://news.example/", "/about.html", "#top", "about.html?x=1", ""] {
            assert_eq!(current(outside, "about.html"), None, "{outside}");
        }
    }
}
