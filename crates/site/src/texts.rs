//! The site's story texts for search: the plain text (no markup) of every story the site's
//! collection lists, in a file of their own (`texts-<hash>.json`, docs/reference/format.md,
//! "Texts pointer") that the collection points at. A listing page does not load it before the
//! reader starts searching; the app then reads it and searches the stories too.

use std::collections::HashMap;

use article_viewer_core::format::{write_document, Document, TextsPointer};
use article_viewer_core::markdown::{plain_text, render_body, RenderOptions};
use article_viewer_core::urls::{safe_resolved, UrlKind};
use sha2::{Digest, Sha256};

use crate::content::Content;
use crate::url_of;

/// The texts file's version (the pointer's `version`).
pub const VERSION: u32 = 1;

/// Gives the site's collection (`index.json`) its texts pointer and returns the texts file to
/// publish beside it: its path and contents. `None` when no listed story is published by the
/// site (the collection is left as it is).
pub fn attach(content: &mut Content, site: &str) -> Option<(String, String)> {
    let texts = {
        let collection_url = url_of(site, "index.json");
        let bodies: HashMap<String, &str> = content
            .docs
            .iter()
            .filter_map(|d| match &d.document {
                Document::Article(a) => Some((url_of(site, &d.rel), a.body.as_str())),
                Document::Collection(_) => None,
            })
            .collect();
        let c = match content.docs.iter().find(|d| d.rel == "index.json").map(|d| &d.document) {
            Some(Document::Collection(c)) => c,
            _ => return None,
        };
        c.articles
            .iter()
            .map(|s| {
                let doc = s.href.as_deref().and_then(|h| safe_resolved(h, UrlKind::Link, Some(&collection_url)));
                match doc.and_then(|d| bodies.get(&d).copied()) {
                    Some(body) => story_text(body, &collection_url),
                    None => String::new(),
                }
            })
            .collect::<Vec<String>>()
    };
    if texts.iter().all(String::is_empty) {
        return None;
    }
    let json = serde_json::json!({ "version": VERSION, "texts": texts }).to_string();
    let hash = Sha256::digest(json.as_bytes());
    let rel = format!("texts-{}.json", hash.iter().take(6).map(|b| format!("{b:02x}")).collect::<String>());
    let doc = content.docs.iter_mut().find(|d| d.rel == "index.json")?;
    if let Document::Collection(c) = &mut doc.document {
        c.texts = Some(TextsPointer { version: VERSION, file: rel.clone() });
        doc.text = write_document(&doc.document);
    }
    Some((rel, json))
}

/// What a reader reads of a story, whitespace runs within a line made one space.
fn story_text(body: &str, base: &str) -> String {
    let opts = RenderOptions { base: Some(base.to_string()), ..RenderOptions::default() };
    let text = plain_text(&render_body(body, &opts));
    let lines: Vec<String> =
        text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use article_viewer_core::format::{parse_document, parse_texts};

    fn content(docs: &[(&str, &str)]) -> Content {
        let docs = docs
            .iter()
            .map(|(rel, text)| {
                let parsed = parse_document(text).expect("valid");
                crate::content::Doc {
                    rel: rel.to_string(),
                    text: text.to_string(),
                    document: parsed.document,
                    warnings: parsed.warnings,
                }
            })
            .collect();
        Content { docs, files: Vec::new() }
    }

    #[test]
    fn the_collection_points_at_its_stories_plain_texts_in_order() {
        let mut c = content(&[
            (
                "index.json",
                r#"{"articles":[{"id":"a","title":"A","href":"posts/a.json"},{"id":"x","title":"X","url":"https://x.example/"},
                   {"id":"b","title":"B","href":"posts/b.json"}]}"#,
            ),
            ("posts/a.json", "{\"id\":\"a\",\"title\":\"A\",\"body\":\"# 제목\\n\\n**반도체**  수율이 [올랐다](https://e.example/).\\n\\n- 하나\"}"),
            ("posts/b.json", r#"{"id":"b","title":"B","language":"ko","body":"본문 `코드`"}"#),
        ]);
        let (rel, json) = attach(&mut c, "https://news.example/").expect("a texts file");
        assert!(rel.starts_with("texts-") && rel.ends_with(".json"), "{rel}");
        let texts = parse_texts(&json, 3).expect("readable");
        assert_eq!(texts, vec!["제목\n반도체 수율이 올랐다.\n하나".to_string(), String::new(), "본문 코드".into()]);
        let written = parse_document(&c.docs[0].text).expect("valid");
        let Document::Collection(listing) = written.document else { panic!("collection") };
        assert_eq!(listing.texts, Some(TextsPointer { version: 1, file: rel.clone() }));
        assert_eq!(listing.articles.len(), 3);
        // The name follows the contents.
        let mut again = content(&[
            ("index.json", r#"{"articles":[{"id":"a","title":"A","href":"posts/a.json"}]}"#),
            ("posts/a.json", r#"{"id":"a","title":"A","body":"다른 본문"}"#),
        ]);
        assert_ne!(attach(&mut again, "https://news.example/").map(|t| t.0), Some(rel));
    }

    #[test]
    fn no_published_story_no_file() {
        let mut c = content(&[("index.json", r#"{"articles":[{"id":"x","title":"X","url":"https://x.example/"}]}"#)]);
        assert_eq!(attach(&mut c, "https://news.example/"), None);
        let Document::Collection(listing) = &c.docs[0].document else { panic!("collection") };
        assert_eq!(listing.texts, None);
    }
}
