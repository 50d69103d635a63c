//! What the site's configuration ([`SiteConfig`]) adds around the viewer on every page: a
//! navigation bar (logo and links) before the viewer's mount point, footer links after it, the
//! outside scripts in `<head>`, and their origins in the page's policy. None of it is inside the
//! mount point, so the app taking a listing page over leaves it as the build wrote it. Also the
//! site's `404.html` and `robots.txt`.

use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};

use article_viewer_publish::html::escape;
use article_viewer_ui::{PRERENDERED, STANDALONE_ROOT};

use crate::config::{is_absolute, Link, SiteConfig};

/// The attribute marking the elements the build adds around the viewer; their local addresses
/// are made relative to each page's depth like the frame's own ([`crate::template`]).
pub const MARK: &str = "data-av-site";

/// The configuration as the frame needs it.
pub struct Chrome<'a> {
    pub config: &'a SiteConfig,
    pub site_name: &'a str,
    /// The site's address (ending in `/`): a share picture inside the site is given absolute.
    pub site: &'a str,
}

impl Chrome<'_> {
    /// The frame (trunk's page) with the chrome worked in.
    pub fn apply(&self, frame: &str) -> Result<String, lol_html::errors::RewritingError> {
        let nav = self.nav();
        let footer = self.footer();
        let scripts = self.scripts();
        let origins = &self.config.script_origins;
        let root = format!("#{STANDALONE_ROOT}");
        let settings = RewriteStrSettings {
            element_content_handlers: vec![
                element!("meta[http-equiv=\"Content-Security-Policy\" i]", |el| {
                    if let Some(policy) = el.get_attribute("content") {
                        el.set_attribute("content", &crate::config::widen_policy(&policy, origins))?;
                    }
                    Ok(())
                }),
                element!("title", |el| {
                    el.after(&scripts, ContentType::Html);
                    Ok(())
                }),
                element!(root, |el| {
                    el.before(&nav, ContentType::Html);
                    el.after(&footer, ContentType::Html);
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::default()
        };
        rewrite_str(frame, settings)
    }

    /// The share picture's absolute address, for pages without a picture of their own.
    pub fn share_image(&self) -> Option<String> {
        let image = self.config.share_image.as_deref()?;
        Some(if is_absolute(image) { image.to_string() } else { format!("{}{image}", self.site) })
    }

    fn nav(&self) -> String {
        let c = self.config;
        if c.logo.is_none() && c.nav.is_empty() && c.sections.is_empty() {
            return String::new();
        }
        // The page's first Tab stop skips the navigation to the story (the viewer's own skip
        // link, inside its header, comes after these links).
        let english = c.language.as_deref().is_some_and(|l| l.to_ascii_lowercase().starts_with("en"));
        let skip = if english { "Skip to story" } else { "본문으로 건너뛰기" };
        let mut html = format!("<a class=\"av-skip\" href=\"#av-main\">{skip}</a>");
        html.push_str(&format!("<nav class=\"av-site-nav\" {MARK} aria-label=\"{}\">", escape(self.site_name)));
        if let Some(logo) = &c.logo {
            html.push_str(&format!(
                "<a class=\"av-site-logo\" href=\"index.html\"><img src=\"{}\" alt=\"{}\"></a>",
                escape(logo),
                escape(self.site_name)
            ));
        }
        if !c.nav.is_empty() {
            html.push_str("<ul class=\"av-site-links\">");
            html.push_str(&list_items(&c.nav));
            html.push_str("</ul>");
        }
        html.push_str(&sections(&c.sections));
        html.push_str("</nav>");
        html
    }

    /// The footer links: a second, differently named navigation landmark (the viewer's own
    /// footer is the page's one `contentinfo`).
    fn footer(&self) -> String {
        if self.config.footer.is_empty() {
            return String::new();
        }
        let english = self.config.language.as_deref().is_some_and(|l| l.to_ascii_lowercase().starts_with("en"));
        let label = if english { "More links" } else { "더 보기 링크" };
        format!(
            "<nav class=\"av-site-links-footer\" {MARK} aria-label=\"{label}\"><ul class=\"av-site-links\">{}</ul></nav>",
            list_items(&self.config.footer)
        )
    }

    fn scripts(&self) -> String {
        self.config.scripts.iter().map(|src| format!("<script defer src=\"{}\"></script>", escape(src))).collect()
    }
}

/// The sections: links to their tags' pages, after the configured links.
fn sections(tags: &[String]) -> String {
    if tags.is_empty() {
        return String::new();
    }
    let links: Vec<Link> = tags
        .iter()
        .map(|t| Link {
            title: t.clone(),
            url: article_viewer_core::site::page_for_doc(&article_viewer_core::site::tag_doc(t)),
        })
        .collect();
    format!("<ul class=\"av-site-links av-site-sections\">{}</ul>", list_items(&links))
}

fn list_items(links: &[Link]) -> String {
    links
        .iter()
        .map(|l| format!("<li><a href=\"{}\" dir=\"auto\">{}</a></li>", escape(&l.url), escape(&l.title)))
        .collect()
}

/// `robots.txt`: everything may be crawled, and the sitemap is named.
pub fn robots(site: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {site}sitemap.xml\n")
}

/// The body of `404.html`: the site's header, and a way back to its first page, in the site's
/// language (Korean unless it is English).
pub fn not_found_body(site_name: &str, lang: &str) -> String {
    let (heading, text, home) = if lang.to_ascii_lowercase().starts_with("en") {
        (
            "Page not found",
            "The page you asked for is not here. It may have moved or been taken down.",
            "Go to the front page",
        )
    } else {
        (
            "페이지를 찾을 수 없습니다",
            "찾으시는 페이지가 없습니다. 주소가 바뀌었거나 내려간 글일 수 있습니다.",
            "첫 페이지로 가기",
        )
    };
    format!(
        "<header class=\"av-site-header\"><a class=\"av-site-title\" href=\"index.html\" dir=\"auto\">{}</a></header>\
         <main class=\"av-main\" id=\"av-main\"><div class=\"av-status av-not-found\"><h1>{heading}</h1><p>{text}</p>\
         <p><a href=\"index.html\">{home}</a></p></div></main>",
        escape(site_name)
    )
}

/// A page served at any address (a host's 404 page): its local addresses made absolute paths
/// from the site's root (`/blog/style.css` for a site at `https://x.example/blog/`). It is not
/// one of the site's prerendered pages (no app takes it over, the sitemap does not list it).
pub fn rooted(page: &str, site: &str) -> Result<String, lol_html::errors::RewritingError> {
    let path = site.split("//").nth(1).and_then(|rest| rest.find('/').map(|i| &rest[i..])).unwrap_or("/");
    let fix = |url: &str| -> Option<String> {
        let local = !url.is_empty()
            && !url.starts_with('/')
            && !url.starts_with('#')
            && !url.split(['?', '#']).next().unwrap_or(url).contains(':');
        local.then(|| format!("{path}{}", url.strip_prefix("./").unwrap_or(url)))
    };
    let settings = RewriteStrSettings {
        element_content_handlers: vec![
            element!(format!("[{PRERENDERED}]"), |el| {
                el.remove_attribute(PRERENDERED);
                Ok(())
            }),
            element!("[href]", |el| {
                if let Some(url) = el.get_attribute("href").as_deref().and_then(fix) {
                    el.set_attribute("href", &url)?;
                }
                Ok(())
            }),
            element!("[src]", |el| {
                if let Some(url) = el.get_attribute("src").as_deref().and_then(fix) {
                    el.set_attribute("src", &url)?;
                }
                Ok(())
            }),
        ],
        ..RewriteStrSettings::default()
    };
    rewrite_str(page, settings)
}

/// The configuration's defaults written into the documents that lack them: the language of a
/// document that names none, and the collection's description when it has none. A changed
/// document is written out again (as [`crate::size_pictures`] does), so its pages, its feeds,
/// the published JSON and the app reading it all agree.
pub fn apply_defaults(content: &mut crate::content::Content, config: &SiteConfig) {
    use article_viewer_core::format::{write_document, Document};
    if config.language.is_none() && config.description.is_none() {
        return;
    }
    for doc in &mut content.docs {
        let root = doc.rel == "index.json";
        let (language, description) = match &mut doc.document {
            Document::Article(a) => (&mut a.language, None),
            Document::Collection(c) => (&mut c.language, root.then_some(&mut c.description)),
        };
        let mut changed = false;
        if language.is_none() && config.language.is_some() {
            language.clone_from(&config.language);
            changed = true;
        }
        if let Some(description) = description.filter(|d| d.is_none() && config.description.is_some()) {
            description.clone_from(&config.description);
            changed = true;
        }
        if changed {
            doc.text = write_document(&doc.document);
        }
    }
}

/// `404.html` (the frame with a way back, every address rooted so it works wherever the host
/// shows it) and `robots.txt`.
pub fn write_extras(
    template: &crate::template::Template,
    site: &str,
    site_name: &str,
    lang: &str,
    out: &crate::output::Output,
) -> Result<(), crate::Error> {
    let body = not_found_body(site_name, lang);
    let page = template.page(&crate::template::Page {
        lang,
        title: site_name,
        head: "<meta name=\"robots\" content=\"noindex\">",
        body: &body,
        tail: "",
        depth: 0,
        rel: "404.html",
        app: false,
    })?;
    let page = rooted(&page, site).map_err(|e| crate::Error::Usage(format!("404.html: {e}")))?;
    out.write("404.html", page.as_bytes())?;
    out.write("robots.txt", robots(site).as_bytes())
}
