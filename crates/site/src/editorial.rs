//! Editorial states: what `build` holds back. An article marked `draft`, one whose
//! `published` time is still to come (scheduled) and one whose `expires` time has passed are
//! left out of the published site (their document, page, old addresses, listing entries,
//! Read more cards, feeds and sitemap), unless `--drafts` (drafts) or `--future` (scheduled
//! and expired) is given. `--now` fixes the time the build compares against, so that two
//! builds of the same folder write the same site.

use std::collections::HashSet;
use std::rc::Rc;

use article_viewer_core::dates::DateTime;
use article_viewer_core::format::{write_document, Article, Document, Summary};

use crate::content::Content;
use crate::Error;

/// What is published.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    pub drafts: bool,
    pub future: bool,
    /// Unix seconds.
    pub now: i64,
}

impl Rules {
    /// `--now` (RFC 3339), else the clock.
    pub fn new(drafts: bool, future: bool, now: Option<&str>) -> Result<Rules, Error> {
        let now = match now {
            Some(raw) => DateTime::parse(raw.trim()).map(|d| d.unix_seconds()).ok_or_else(|| {
                Error::Usage(format!("--now {raw:?}: give an RFC 3339 time, e.g. 2026-05-01T09:00:00+09:00"))
            })?,
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        };
        Ok(Rules { drafts, future, now })
    }

    /// Why `a` is held back, if it is.
    pub fn held(&self, a: &Article) -> Option<String> {
        if a.draft && !self.drafts {
            return Some("a draft (give --drafts to publish drafts)".into());
        }
        if self.future {
            return None;
        }
        if let Some(p) = a.published.as_ref().filter(|p| p.at.unix_seconds() > self.now) {
            return Some(format!("scheduled for {} (give --future, or --now at or after it)", p.raw));
        }
        if let Some(e) = a.expires.as_ref().filter(|e| e.at.unix_seconds() <= self.now) {
            return Some(format!("expired on {} (give --future to publish it anyway)", e.raw));
        }
        None
    }

    /// A collection entry with no article document of its own: held back while scheduled.
    fn entry_held(&self, s: &Summary) -> bool {
        !self.future && s.published.as_ref().is_some_and(|p| p.at.unix_seconds() > self.now)
    }
}

/// The folder path `href` names, seen from the document at `from` (both inside the content
/// folder); `None` for an address elsewhere.
pub fn target(from: &str, href: &str) -> Option<String> {
    const BASE: &str = "https://content.invalid/";
    let resolved = article_viewer_core::urls::resolve(&format!("{BASE}{from}"), href);
    let path = resolved.strip_prefix(BASE)?;
    let path = path.split(['?', '#']).next().unwrap_or(path);
    Some(percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned())
}

/// Takes the held-back articles out of `content` (documents and files), and their entries
/// and cards out of every other document (which is written out again). Says (on stderr) and
/// returns, for each held-back article, its path and why.
pub fn hold_back(content: &mut Content, rules: &Rules) -> Vec<(String, String)> {
    let held: Vec<(String, String)> = content
        .docs
        .iter()
        .filter_map(|d| match &d.document {
            Document::Article(a) => rules.held(a).map(|why| (d.rel.clone(), why)),
            Document::Collection(_) => None,
        })
        .collect();
    let gone: HashSet<&str> = held.iter().map(|(rel, _)| rel.as_str()).collect();
    content.docs.retain(|d| !gone.contains(d.rel.as_str()));
    content.files.retain(|(_, rel)| !gone.contains(rel.as_str()));
    for doc in &mut content.docs {
        let keep = |s: &Rc<Summary>| {
            let to_held =
                s.href.as_deref().and_then(|h| target(&doc.rel, h)).is_some_and(|t| gone.contains(t.as_str()));
            !to_held && !rules.entry_held(s)
        };
        let changed = match &mut doc.document {
            Document::Collection(c) => retain(&mut c.articles, keep),
            Document::Article(a) => retain(&mut a.related, keep),
        };
        if changed {
            doc.text = write_document(&doc.document);
        }
    }
    for (rel, why) in &held {
        eprintln!("held back: {rel}: {why}");
    }
    // A static archive index was written from the collection before: it may list them still.
    let archived = content.docs.iter().any(|d| matches!(&d.document, Document::Collection(c) if c.archive.is_some()));
    if archived && !held.is_empty() {
        eprintln!(
            "warning: the collection's archive index was made before this build and may still find the articles held back; make it again from the published index.json (article-viewer-cli index)"
        );
    }
    held
}

/// Keeps the entries `keep` accepts; true when any was dropped.
fn retain(list: &mut Vec<Rc<Summary>>, keep: impl Fn(&Rc<Summary>) -> bool) -> bool {
    let before = list.len();
    list.retain(keep);
    list.len() != before
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Doc;
    use article_viewer_core::format::parse_document;

    fn doc(rel: &str, json: &str) -> Doc {
        let parsed = parse_document(json).expect("valid");
        Doc { rel: rel.into(), text: json.into(), document: parsed.document, warnings: Vec::new() }
    }

    fn folder() -> Content {
        let docs = vec![
            doc(
                "index.json",
                r#"{"articles":[{"id":"a","title":"A","href":"articles/a.json"},{"id":"d","title":"D","href":"articles/d.json"},
                {"id":"s","title":"S","href":"./articles/s.json"},{"id":"x","title":"X","href":"articles/x.json"},
                {"id":"w","title":"W","url":"https://elsewhere.example/w","published":"2040-01-01T00:00:00Z"}]}"#,
            ),
            doc(
                "articles/a.json",
                r#"{"id":"a","title":"A","body":"b","related":[{"id":"s","title":"S","href":"s.json"},{"id":"d","title":"D","href":"../articles/d.json"}]}"#,
            ),
            doc("articles/d.json", r#"{"id":"d","title":"D","body":"b","draft":true}"#),
            doc("articles/s.json", r#"{"id":"s","title":"S","body":"b","published":"2030-01-01T09:00:00+09:00"}"#),
            doc("articles/x.json", r#"{"id":"x","title":"X","body":"b","expires":"2029-01-01T00:00:00Z"}"#),
        ];
        let files = docs.iter().map(|d| (std::path::PathBuf::from(&d.rel), d.rel.clone())).collect();
        Content { docs, files }
    }

    fn ids(content: &Content, rel: &str) -> Vec<String> {
        let d = content.docs.iter().find(|d| d.rel == rel).expect("kept");
        let parsed = parse_document(&d.text).expect("written");
        match parsed.document {
            Document::Collection(c) => c.articles.iter().map(|s| s.id.clone()).collect(),
            Document::Article(a) => a.related.iter().map(|s| s.id.clone()).collect(),
        }
    }

    #[test]
    fn drafts_scheduled_and_expired_articles_are_held_back_everywhere() {
        let mut c = folder();
        let rules = Rules::new(false, false, Some("2029-06-01T00:00:00Z")).expect("time");
        let held = hold_back(&mut c, &rules);
        let rels: Vec<&str> = held.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(rels, ["articles/d.json", "articles/s.json", "articles/x.json"]);
        assert!(held[1].1.starts_with("scheduled for 2030-01-01T09:00:00+09:00"), "{}", held[1].1);
        assert!(held[2].1.starts_with("expired on 2029-01-01T00:00:00Z"), "{}", held[2].1);
        assert_eq!(ids(&c, "index.json"), ["a"], "the listing, feeds and sitemap read this");
        assert_eq!(ids(&c, "articles/a.json"), Vec::<String>::new(), "no card leads to a held-back page");
        assert_eq!(c.files.len(), 2);
    }

    #[test]
    fn the_time_and_the_flags_decide() {
        // Once --now passes the scheduled time (and before the expiry), both are published.
        let mut c = folder();
        let held = hold_back(&mut c, &Rules::new(false, false, Some("2028-01-01T00:00:00Z")).expect("t"));
        assert_eq!(held.len(), 2, "{held:?}");
        let mut c = folder();
        let held = hold_back(&mut c, &Rules::new(false, false, Some("2030-01-01T00:00:00Z")).expect("t"));
        assert_eq!(held.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>(), ["articles/d.json", "articles/x.json"]);
        let mut c = folder();
        let held = hold_back(&mut c, &Rules::new(true, true, Some("2029-06-01T00:00:00Z")).expect("t"));
        assert!(held.is_empty());
        assert_eq!(ids(&c, "index.json"), ["a", "d", "s", "x", "w"]);
        assert!(Rules::new(false, false, Some("tomorrow")).is_err());
    }
}
