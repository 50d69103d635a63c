//! How one viewer instance behaves: standalone page or embed, and the options a site owner
//! sets (meta tags on the standalone page, data attributes on an embed).

use crate::i18n::Lang;
use crate::source::Policy;

use super::net::TIMEOUT_SECONDS;

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
    /// The pick box's state when the reader has not chosen one.
    pub pick_open: bool,
    /// Where "open in new tab" on a card leads when the page's own URL is not the viewer's:
    /// the standalone viewer published beside the embed module.
    pub viewer_page: Option<String>,
    pub policy: Policy,
    pub timeout_seconds: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            standalone: true,
            src: None,
            url_sync: true,
            url_param: "src".into(),
            lang: None,
            pick_open: true,
            viewer_page: None,
            policy: Policy::default(),
            timeout_seconds: TIMEOUT_SECONDS,
        }
    }
}

impl Config {
    /// The interface language for a document written in `doc_lang`.
    pub fn ui_lang(&self, doc_lang: Option<&str>) -> Lang {
        self.lang.unwrap_or_else(|| Lang::from_tag(doc_lang))
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
