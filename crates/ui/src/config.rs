//! How one viewer instance behaves: standalone page or embed, and the options a site owner
//! sets (meta tags on the standalone page, data attributes on an embed). A prerendered page
//! carries in its meta tags everything its server-side rendering was configured with, so the
//! app taking the page over renders it the same.

use crate::i18n::Lang;
use crate::source::Policy;

/// How long a document may take, start to last byte, before the viewer gives up.
pub const TIMEOUT_SECONDS: u32 = 20;

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The viewer owns the page: it sets the title and `<html lang>`, and its URL is the state.
    pub standalone: bool,
    /// The document to show first (an embed's `data-src`); `None` means the URL's or the sample.
    pub src: Option<String>,
    /// Keep the view in the page's query string and history (always on when standalone).
    pub url_sync: bool,
    /// The query parameter that holds the document when the URL is synced.
    pub url_param: String,
    /// Interface words in this language whatever the document's.
    pub lang: Option<Lang>,
    /// The page's own `<html lang>` when the viewer starts (words shown before a document is
    /// there: loading, errors).
    pub page_lang: Option<String>,
    /// The pick box's state when the reader has not chosen one.
    pub pick_open: bool,
    /// Where "open in new tab" on a card leads when the page's own URL is not the viewer's:
    /// the standalone viewer published beside the embed module.
    pub viewer_page: Option<String>,
    pub policy: Policy,
    pub timeout_seconds: u32,
    /// The published site this page belongs to, when it is a prerendered page.
    pub site: Option<Site>,
    /// The folder the app's own files were loaded from (ending in `/`): the archive search's
    /// worker is there. `None` natively.
    pub assets: Option<String>,
}

/// A prerendered site (`article-viewer-cli build`): every document has its own page, and
/// links between documents lead to those pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The address readers get the site at (`--site`); its origin counts as the site's own.
    pub canonical: String,
    /// The site's collection document (`index.json` at its root), absolute: the site header
    /// links to its page, and an article's tags filter it.
    pub collection: String,
    /// The collection's title, shown in the site header.
    pub title: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            standalone: true,
            src: None,
            url_sync: true,
            url_param: "src".into(),
            lang: None,
            page_lang: None,
            pick_open: true,
            viewer_page: None,
            policy: Policy::default(),
            timeout_seconds: TIMEOUT_SECONDS,
            site: None,
            assets: None,
        }
    }
}

impl Config {
    /// The interface language for a document written in `doc_lang`.
    pub fn ui_lang(&self, doc_lang: Option<&str>) -> Lang {
        self.lang.unwrap_or_else(|| Lang::from_tag(doc_lang))
    }
}

/// The meta tags of a standalone page, by name (without the `article-viewer:` prefix).
/// The publishing program writes them, [`Config::from_meta`] reads them.
pub mod meta {
    pub const ALLOWED_ORIGINS: &str = "allowed-origins";
    pub const TIMEOUT: &str = "timeout";
    /// The site's canonical address (a prerendered page only).
    pub const SITE: &str = "site";
    /// The site's root, relative to the page (`../`).
    pub const ROOT: &str = "root";
    /// The collection's title, shown in the site header.
    pub const SITE_TITLE: &str = "site-title";
    /// The pick box's state before the reader chooses (`open` or `closed`).
    pub const PICK: &str = "pick";
}

impl Config {
    /// The standalone page's configuration, from its meta tags: `meta(name)` is the content of
    /// `<meta name="article-viewer:{name}">`. `page` is the page's address and `page_lang` its
    /// `<html lang>`.
    pub fn from_meta(meta: impl Fn(&str) -> Option<String>, page: &str, page_lang: Option<String>) -> Config {
        let site = meta(meta::SITE).filter(|s| !s.trim().is_empty()).map(|canonical| {
            let root = crate::urls::resolve(page, &meta(meta::ROOT).unwrap_or_else(|| "./".into()));
            Site {
                canonical,
                collection: crate::urls::resolve(&root, "index.json"),
                title: meta(meta::SITE_TITLE).unwrap_or_default(),
            }
        });
        Config {
            policy: Policy::parse(&meta(meta::ALLOWED_ORIGINS).unwrap_or_default()),
            timeout_seconds: parse_timeout(meta(meta::TIMEOUT).as_deref()),
            pick_open: !matches!(meta(meta::PICK).as_deref().map(str::trim), Some("closed")),
            page_lang,
            site,
            ..Config::default()
        }
    }
}

/// Reads a timeout in seconds, as written by a site owner, within sane bounds.
pub fn parse_timeout(s: Option<&str>) -> u32 {
    s.and_then(|s| s.trim().parse::<u32>().ok()).filter(|s| (1..=300).contains(s)).unwrap_or(TIMEOUT_SECONDS)
}

/// "on"/"true"/"yes"/"" (a bare attribute) are on; anything else is off.
pub fn parse_flag(s: Option<&str>) -> bool {
    matches!(s.map(|s| s.trim().to_ascii_lowercase()).as_deref(), Some("" | "on" | "true" | "yes" | "1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prerendered_page_describes_its_site() {
        let metas =
            [("site", "https://news.example/"), ("root", "../"), ("site-title", "테크 브리핑"), ("timeout", "30")];
        let meta = |name: &str| metas.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string());
        let c = Config::from_meta(meta, "http://127.0.0.1:8080/articles/a.html", Some("ko".into()));
        let site = c.site.expect("a site");
        assert_eq!(site.collection, "http://127.0.0.1:8080/index.json");
        assert_eq!(site.title, "테크 브리핑");
        assert_eq!(c.timeout_seconds, 30);
        assert!(c.pick_open && c.standalone && c.url_sync);
        let plain = Config::from_meta(|_| None, "http://127.0.0.1:8080/", None);
        assert_eq!(plain, Config::default());
    }
}
