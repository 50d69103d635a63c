//! The site's files for machines: `sitemap.xml` (every page), a JSON Feed 1.1 and an Atom
//! (RFC 4287) feed of the collection, newest first.

use serde_json::{json, Value};

use article_viewer_core::format::{Article, Author, Summary};
use article_viewer_core::urls::{is_http, safe_resolved, UrlKind};

use article_viewer_publish::html::escape;

/// Entries in each feed: readers poll feeds, so they carry the newest, not the archive.
pub const FEED_ENTRIES: usize = 100;

/// A page of the site, for the sitemap.
pub struct SitemapPage {
    pub url: String,
    /// RFC 3339, when the page's document has a date.
    pub modified: Option<String>,
}

pub fn sitemap(pages: &[SitemapPage]) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        x.push_str(&format!("  <url><loc>{}</loc>", escape(&p.url)));
        if let Some(m) = &p.modified {
            x.push_str(&format!("<lastmod>{}</lastmod>", escape(m)));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// One feed entry: a collection entry, with its article when the site publishes it.
pub struct Entry<'a> {
    pub summary: &'a Summary,
    /// The entry's page on this site, or its own web address.
    pub url: String,
    /// The address its relative references resolve against (the listing document's, or the
    /// article document's when there is one).
    pub base: String,
    pub article: Option<&'a Article>,
    /// The article's body as HTML, with absolute addresses (rendered by the viewer's own
    /// components).
    pub content_html: Option<String>,
}

impl Entry<'_> {
    fn published(&self) -> Option<String> {
        self.article.and_then(|a| a.published.as_ref()).or(self.summary.published.as_ref()).map(|d| d.at.rfc3339())
    }

    fn updated(&self) -> Option<String> {
        self.article.and_then(|a| a.updated.as_ref()).map(|d| d.at.rfc3339())
    }

    fn authors(&self) -> &[Author] {
        match self.article {
            Some(a) if !a.authors.is_empty() => &a.authors,
            _ => &self.summary.authors,
        }
    }

    fn tags(&self) -> &[String] {
        match self.article {
            Some(a) if !a.tags.is_empty() => &a.tags,
            _ => &self.summary.tags,
        }
    }

    fn summary_text(&self) -> Option<String> {
        self.summary.summary.clone().or_else(|| self.article.and_then(|a| a.subtitle.clone()))
    }

    fn image(&self) -> Option<String> {
        let image = self.article.and_then(|a| a.image.as_ref()).or(self.summary.image.as_ref())?;
        safe_resolved(&image.src, UrlKind::Image, Some(&self.base)).filter(|u| is_http(u))
    }

    fn link(&self, url: Option<&str>) -> Option<String> {
        url.and_then(|u| safe_resolved(u, UrlKind::Link, Some(&self.base))).filter(|u| is_http(u))
    }
}

/// The feed as a whole.
pub struct Feed<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub language: Option<&'a str>,
    /// The site's address (its collection page) and the feeds' own addresses.
    pub home: &'a str,
    pub json_url: &'a str,
    pub atom_url: &'a str,
    pub entries: Vec<Entry<'a>>,
}

impl Feed<'_> {
    /// The newest date of any entry: the feed's own `updated`. Builds of the same content
    /// write the same feed, so no clock is read.
    fn updated(&self) -> String {
        let mut dates: Vec<(i64, String)> = self
            .entries
            .iter()
            .flat_map(|e| [e.updated(), e.published()])
            .flatten()
            .filter_map(|d| article_viewer_core::dates::DateTime::parse(&d).map(|t| (t.unix_seconds(), d)))
            .collect();
        dates.sort();
        dates.pop().map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |(_, d)| d)
    }

    /// JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>).
    pub fn json(&self) -> String {
        let items: Vec<Value> = self
            .entries
            .iter()
            .map(|e| {
                let mut item = json!({ "id": e.url, "url": e.url, "title": e.summary.title });
                match (&e.content_html, e.summary_text()) {
                    (Some(html), _) => item["content_html"] = json!(html),
                    (None, Some(text)) => item["content_text"] = json!(text),
                    (None, None) => item["content_text"] = json!(e.summary.title),
                }
                if let Some(s) = e.summary_text() {
                    item["summary"] = json!(s);
                }
                if let Some(img) = e.image() {
                    item["image"] = json!(img);
                }
                if let Some(d) = e.published() {
                    item["date_published"] = json!(d);
                }
                if let Some(d) = e.updated() {
                    item["date_modified"] = json!(d);
                }
                let authors: Vec<Value> = e
                    .authors()
                    .iter()
                    .map(|a| {
                        let mut o = json!({ "name": a.name });
                        if let Some(u) = e.link(a.url.as_deref()) {
                            o["url"] = json!(u);
                        }
                        if let Some(av) = a
                            .avatar
                            .as_deref()
                            .and_then(|s| safe_resolved(s, UrlKind::Image, Some(&e.base)))
                            .filter(|u| is_http(u))
                        {
                            o["avatar"] = json!(av);
                        }
                        o
                    })
                    .collect();
                if !authors.is_empty() {
                    item["authors"] = json!(authors);
                }
                if !e.tags().is_empty() {
                    item["tags"] = json!(e.tags());
                }
                if let Some(l) = e.article.and_then(|a| a.language.as_deref()) {
                    item["language"] = json!(l);
                }
                item
            })
            .collect();
        let mut feed = json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.title,
            "home_page_url": self.home,
            "feed_url": self.json_url,
            "items": items,
        });
        if let Some(d) = self.description {
            feed["description"] = json!(d);
        }
        if let Some(l) = self.language {
            feed["language"] = json!(l);
        }
        let mut text = serde_json::to_string_pretty(&feed).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Atom (RFC 4287). The feed has an author (the site) because its entries may have none.
    pub fn atom(&self) -> String {
        let updated = self.updated();
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let lang = self.language.map(|l| format!(" xml:lang=\"{}\"", escape(l))).unwrap_or_default();
        x.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\"{lang}>\n"));
        x.push_str(&format!("  <id>{}</id>\n  <title>{}</title>\n", escape(self.home), escape(self.title)));
        if let Some(d) = self.description {
            x.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(d)));
        }
        x.push_str(&format!("  <updated>{updated}</updated>\n"));
        x.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape(self.atom_url)
        ));
        x.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(self.home)));
        x.push_str(&format!("  <author><name>{}</name></author>\n", escape(self.title)));
        x.push_str("  <generator>article-viewer</generator>\n");
        for e in &self.entries {
            x.push_str("  <entry>\n");
            x.push_str(&format!("    <id>{}</id>\n    <title>{}</title>\n", escape(&e.url), escape(&e.summary.title)));
            x.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&e.url)));
            let published = e.published();
            if let Some(p) = &published {
                x.push_str(&format!("    <published>{p}</published>\n"));
            }
            let entry_updated = e.updated().or(published).unwrap_or_else(|| updated.clone());
            x.push_str(&format!("    <updated>{entry_updated}</updated>\n"));
            for a in e.authors() {
                x.push_str(&format!("    <author><name>{}</name>", escape(&a.name)));
                if let Some(u) = e.link(a.url.as_deref()) {
                    x.push_str(&format!("<uri>{}</uri>", escape(&u)));
                }
                x.push_str("</author>\n");
            }
            for t in e.tags() {
                x.push_str(&format!("    <category term=\"{}\"/>\n", escape(t)));
            }
            if let Some(s) = e.summary_text() {
                x.push_str(&format!("    <summary>{}</summary>\n", escape(&s)));
            }
            if let Some(html) = &e.content_html {
                x.push_str(&format!("    <content type=\"html\">{}</content>\n", escape(html)));
            }
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }
}
