//! `jsonfeed`: JSON Feed 1 and 1.1. Kept: `id`, `url`, `title`, `content_html` (else
//! `content_text`), `summary`, `image` (else `banner_image`) as the hero, `date_published`,
//! `date_modified`, `authors` (1.1) or `author` (1.0) with their avatars and urls, `tags`,
//! `language` (the item's, else the feed's). An item that cannot be read is skipped with a
//! warning naming it; the rest import.

use std::path::Path;

use article_viewer_core::format::{Author, Image};
use serde::Deserialize;
use serde_json::Value;

use super::html::Converter;
use super::{text, Options, Post, Sink, Source};
use crate::Error;

#[derive(Deserialize)]
struct Feed {
    version: Option<String>,
    title: Option<String>,
    description: Option<String>,
    home_page_url: Option<String>,
    language: Option<String>,
    #[serde(default)]
    authors: Option<Vec<Value>>,
    author: Option<Value>,
    items: Option<Vec<Value>>,
}

#[derive(Deserialize, Default)]
struct Item {
    id: Option<Value>,
    url: Option<String>,
    external_url: Option<String>,
    title: Option<String>,
    content_html: Option<String>,
    content_text: Option<String>,
    summary: Option<String>,
    image: Option<String>,
    banner_image: Option<String>,
    date_published: Option<String>,
    date_modified: Option<String>,
    authors: Option<Vec<Value>>,
    author: Option<Value>,
    tags: Option<Vec<Value>>,
    language: Option<String>,
}

#[derive(Deserialize)]
struct JAuthor {
    name: Option<String>,
    url: Option<String>,
    avatar: Option<String>,
}

fn authors(list: &Option<Vec<Value>>, single: &Option<Value>) -> Vec<Author> {
    let values: Vec<&Value> = match (list, single) {
        (Some(l), _) => l.iter().collect(),
        (None, Some(a)) => vec![a],
        _ => Vec::new(),
    };
    values
        .into_iter()
        .filter_map(|v| serde_json::from_value::<JAuthor>(v.clone()).ok())
        .filter_map(|a| {
            let name = text::squash(a.name.as_deref()?);
            (!name.is_empty()).then_some(Author { name, title: None, url: a.url, avatar: a.avatar })
        })
        .collect()
}

/// Plain text as Markdown paragraphs, its punctuation escaped so it stays text.
pub fn text_to_markdown(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.replace("\r\n", "\n").chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out.split("\n\n").map(|p| p.trim().replace('\n', "\\\n")).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

pub fn import(bytes: &[u8], path: &Path, opts: &Options, sink: &mut dyn Sink) -> Result<Source, Error> {
    let name = path.display().to_string();
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Malformed {
        path: name.clone(),
        line: 1,
        column: e.valid_up_to() + 1,
        message: "not UTF-8 text".into(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let feed: Feed = serde_json::from_str(text).map_err(|e| Error::Malformed {
        path: name.clone(),
        line: e.line(),
        column: e.column(),
        message: format!("invalid JSON Feed: {}", strip_position(&e)),
    })?;
    let version = feed.version.as_deref().unwrap_or("");
    if !version.starts_with("https://jsonfeed.org/version/") && !version.starts_with("http://jsonfeed.org/version/") {
        return Err(Error::Malformed {
            path: name,
            line: 1,
            column: 1,
            message: format!("not a JSON Feed: version is {version:?}, not https://jsonfeed.org/version/1.1"),
        });
    }
    let Some(items) = feed.items else {
        return Err(Error::Malformed { path: name, line: 1, column: 1, message: "not a JSON Feed: no items".into() });
    };
    let converter = Converter::new();
    let feed_authors = authors(&feed.authors, &feed.author);
    let base = feed.home_page_url.clone().filter(|u| article_viewer_core::urls::is_http(u)).or(opts.site.clone());
    // Links and pictures on the feed's own site are the old site's.
    if let Some(home) = feed.home_page_url.as_deref() {
        sink.old_site(home);
    }
    let language = feed.language.clone().or(opts.language.clone());
    for (i, value) in items.into_iter().enumerate() {
        let item: Item = match serde_json::from_value(value) {
            Ok(item) => item,
            Err(e) => {
                sink.warn(&format!("items[{i}]"), format!("skipped: {e}"));
                continue;
            }
        };
        let id = match &item.id {
            Some(Value::String(s)) => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let title = item.title.as_deref().map(|t| converter.text(t)).unwrap_or_default();
        let who = if id.is_empty() { format!("items[{i}]") } else { super::who(&id, &title) };
        if id.is_empty() {
            sink.warn(&who, "skipped: no id".to_string());
            continue;
        }
        let item_base = item.url.clone().filter(|u| article_viewer_core::urls::is_http(u)).or(base.clone());
        let (body, pick) = match (&item.content_html, &item.content_text) {
            (Some(html), _) if !html.trim().is_empty() => {
                let c = converter.convert(html, item_base.as_deref(), true);
                for n in &c.notes {
                    sink.warn(&who, n.clone());
                }
                (c.markdown, c.pick)
            }
            (_, Some(t)) => (text_to_markdown(t), None),
            _ => {
                sink.warn(&who, "skipped: neither content_html nor content_text".to_string());
                continue;
            }
        };
        let summary = item.summary.as_deref().map(|s| converter.text(s)).filter(|s| !s.is_empty());
        let title = if title.is_empty() {
            let from = summary
                .clone()
                .or(item.content_text.clone())
                .unwrap_or_else(|| converter.text(item.content_html.as_deref().unwrap_or("")));
            sink.warn(&who, "no title; one was made from its text".to_string());
            text::clip(&from, 60)
        } else {
            title
        };
        let mut date = |raw: &Option<String>, field: &str| {
            let raw = raw.as_deref()?;
            let d = text::normalize_date(raw, opts.offset_minutes);
            if d.is_none() {
                sink.warn(&who, format!("{field} {:?} is not a date; left out", text::clip(raw, 40)));
            }
            d
        };
        let published = date(&item.date_published, "date_published");
        let updated = date(&item.date_modified, "date_modified");
        let mut item_authors = authors(&item.authors, &item.author);
        if item_authors.is_empty() {
            item_authors = feed_authors.clone();
        }
        let names = item.tags.iter().flatten().filter_map(Value::as_str).map(text::squash);
        let tags = text::unique(names, article_viewer_core::format::LIMITS.small_list);
        let url = item.url.clone().or(item.external_url.clone());
        // The item's own address is its old one, when it is on the site.
        let site = opts.site.as_deref().or(feed.home_page_url.as_deref());
        let aliases = item
            .url
            .as_deref()
            .zip(site)
            .and_then(|(u, site)| super::aliases::alias_of(u, Some(site)))
            .into_iter()
            .collect();
        let post = Post {
            aliases,
            slug: url.as_deref().map(super::feed::last_segment).unwrap_or_default(),
            id,
            title,
            summary,
            language: item.language.clone().or(language.clone()),
            url,
            published,
            updated,
            authors: item_authors,
            tags,
            image: item.image.clone().or(item.banner_image.clone()).map(|src| Image { src, ..Image::default() }),
            editors_pick: pick,
            body,
            ..Post::default()
        };
        sink.post(post)?;
    }
    Ok(Source { title: feed.title, description: feed.description, language })
}

/// serde_json's message without its " at line L column C" (we say where ourselves).
pub fn strip_position(e: &serde_json::Error) -> String {
    let full = e.to_string();
    full.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&full).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Collect;

    fn run(bytes: &[u8]) -> Result<(Source, Collect), Error> {
        let mut sink = Collect::default();
        let source = import(bytes, Path::new("feed.json"), &Options::default(), &mut sink)?;
        Ok((source, sink))
    }

    #[test]
    fn json_feed_1_1() {
        let (source, sink) = run(include_bytes!("../tests/fixtures/import/jsonfeed/feed-1.1.json")).expect("read");
        assert_eq!((source.title.as_deref(), source.language.as_deref()), (Some("모바일 리포트"), Some("ko")));
        let p = &sink.posts;
        assert_eq!(p.len(), 3, "{:?}", sink.warnings);
        assert_eq!((p[0].id.as_str(), p[0].slug.as_str()), ("2025-09-ondevice-llm", "ondevice-llm"));
        assert_eq!(p[0].authors.len(), 1, "the nameless author is dropped");
        assert_eq!(p[0].authors[0].avatar.as_deref(), Some("https://mobile.example/avatars/kim.png"));
        assert_eq!(p[0].tags, vec!["모바일", "AI", "온디바이스"]);
        assert_eq!(p[0].aliases, ["/posts/ondevice-llm"], "the item's url on the feed's home page's site");
        assert_eq!(
            p[0].image.as_ref().map(|i| i.src.as_str()),
            Some("https://mobile.example/images/hero-ondevice.png")
        );
        assert_eq!(p[0].updated.as_deref(), Some("2025-09-13T11:00:00+09:00"));
        assert!(p[0].body.contains("[NPU](https://mobile.example/tags/npu)"), "{}", p[0].body);
        assert!(
            p[0].body.contains(
                "![NPU 성능 그래프](https://mobile.example/posts/images/npu-chart.png \"NPU 성능은 해마다 두 배\")"
            ),
            "{}",
            p[0].body
        );
        assert!(p[0].body.ends_with("\n\nhttps://www.instagram.com/p/abc/"), "{}", p[0].body);
        // A numeric id, content_text kept as text, the item's own language and offset.
        assert_eq!(p[1].id, "1042");
        assert_eq!(p[1].language.as_deref(), Some("en"));
        assert_eq!(p[1].published.as_deref(), Some("2025-09-10T18:00:00-04:00"));
        assert_eq!(p[1].body, "Foldable phones got thinner this year.\n\nPrices did not move: \\*still\\* high.");
        assert_eq!(p[1].authors[0].name, "모바일 리포트 편집부", "the feed's authors stand in");
        assert!(p[2].title.starts_with("제목 없는 마이크로블로그 글"));
        let w = sink.warnings.join("\n");
        assert!(
            w.contains("items[3]: skipped")
                && w.contains("items[4]: skipped: no id")
                && w.contains("date_published \"지난주\" is not a date"),
            "{w}"
        );
    }

    #[test]
    fn json_feed_1_0_author() {
        let (_, sink) = run(include_bytes!("../tests/fixtures/import/jsonfeed/feed-1.0.json")).expect("read");
        assert_eq!(sink.posts[0].authors[0].name, "최민준");
        assert_eq!(sink.posts[0].slug, "hello");
    }

    #[test]
    fn malformed_or_not_a_feed() {
        let e = run(include_bytes!("../tests/fixtures/import/jsonfeed/malformed.json"))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("feed.json:6:") && e.contains("invalid JSON Feed: EOF"), "{e}");
        let e = run(br#"{"title":"x","items":[]}"#).map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("not a JSON Feed: version is \"\""), "{e}");
    }

    #[test]
    fn many_tags_are_read_once_each() {
        let tags: Vec<String> = (0..200_000).map(|i| format!("t{}", i % 5000)).collect();
        let feed = serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "title": "a", "content_text": "b", "tags": tags}]});
        let mut sink = Collect::default();
        import(feed.to_string().as_bytes(), Path::new("f.json"), &Options::default(), &mut sink).expect("read");
        assert_eq!(sink.posts[0].tags.len(), 100);
        assert_eq!(sink.posts[0].tags[99], "t99");
    }
}
