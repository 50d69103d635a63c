//! `feed`: RSS 2.0 (and RSS 1.0/RDF) or Atom (RFC 4287), told apart by the root element.
//!
//! RSS: `title`, `link`, `guid` (the id), `pubDate` (or `dc:date`), `content:encoded` (else
//! `description`) as the body, `description` as the summary when there is a body beside it,
//! `dc:creator` (or `author`, with its e-mail address dropped), `category`, and the image
//! from `media:content`/`media:thumbnail` or an image `enclosure`.
//! Atom: `id`, `title`, `link rel="alternate"`, `published`/`updated`, `content` (`html`,
//! `xhtml` or `text`), `summary`, `author` (the feed's when the entry has none; `email` is
//! never copied), `category` (`label`, else `term`), `xml:base` and `xml:lang`.

use std::path::Path;

use article_viewer_core::format::{Author, Image};

use super::html::Converter;
use super::xml::{self, El, ATOM, CONTENT, DC, MEDIA, RDF, RSS1};
use super::{text, BytesInput, Options, Post, Sink, Source};
use crate::Error;

pub fn import(bytes: &[u8], path: &Path, opts: &Options, sink: &mut dyn Sink) -> Result<Source, Error> {
    let input = Named(BytesInput(bytes), path.display().to_string());
    read(&input, opts, sink)
}

/// Bytes with the file's name, for messages.
struct Named<'a>(BytesInput<'a>, String);

impl super::Input for Named<'_> {
    fn open(&self) -> std::io::Result<Box<dyn std::io::BufRead + '_>> {
        self.0.open()
    }
    fn name(&self) -> String {
        self.1.clone()
    }
}

/// Which feed a path lies in, by its root.
fn wanted(p: &xml::Path) -> bool {
    match p.first().map(|(ns, n)| (ns.as_str(), n.as_str())) {
        Some(("", "rss")) => p.len() == 3 && p[1].1 == "channel",
        Some((ATOM, "feed")) => p.len() == 2,
        Some((RDF, "RDF")) => p.len() == 2,
        _ => false,
    }
}

pub fn read(input: &dyn super::Input, opts: &Options, sink: &mut dyn Sink) -> Result<Source, Error> {
    let converter = Converter::new();
    let mut source = Source::default();
    let root = xml::root(input)?;
    let atom = match (root.ns.as_str(), root.name.as_str()) {
        (ATOM, "feed") => true,
        ("", "rss") | (RDF, "RDF") => false,
        (ns, name) => {
            let ns = if ns.is_empty() { String::new() } else { format!(" in {ns}") };
            return Err(super::malformed(
                input,
                root.offset,
                format!("not an RSS or Atom feed: the root element is <{name}>{ns}"),
            ));
        }
    };
    let mut state = State {
        converter: &converter,
        opts,
        channel_link: None,
        feed_authors: Vec::new(),
        base: root.attr("base").map(|b| resolved(b, opts.site.as_deref())),
        language: root.attr("lang").map(str::to_string),
    };
    source.language = state.language.clone();
    xml::walk(input, &wanted, &mut |_, el| {
        if atom {
            state.atom(el, &mut source, sink)
        } else {
            state.rss(el, &mut source, sink)
        }
    })?;
    Ok(source)
}

struct State<'a> {
    converter: &'a Converter,
    opts: &'a Options,
    channel_link: Option<String>,
    feed_authors: Vec<Author>,
    base: Option<String>,
    language: Option<String>,
}

/// `a` against `base` when relative.
fn resolved(a: &str, base: Option<&str>) -> String {
    match base {
        Some(b) if article_viewer_core::urls::scheme_of(a).is_none() => article_viewer_core::urls::resolve(b, a),
        _ => a.to_string(),
    }
}

/// RSS's `author` is an e-mail address with the name in parentheses: only the name is kept.
fn rss_author(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if let (Some(open), Some(close)) = (raw.find('('), raw.rfind(')')) {
        if open < close {
            let name = raw[open + 1..close].trim();
            return (!name.is_empty() && !name.contains('@')).then(|| name.to_string());
        }
    }
    (!raw.contains('@') && !raw.is_empty()).then(|| raw.to_string())
}

/// Category names, squashed, each once (ASCII case ignored), within the format's limit.
fn unique_tags(names: impl Iterator<Item = String>) -> Vec<String> {
    text::unique_by(
        names.map(|n| text::squash(&n)),
        article_viewer_core::format::LIMITS.small_list,
        str::to_ascii_lowercase,
    )
}

/// A media image of an item: `media:content`/`media:thumbnail` (also inside `media:group`)
/// or an image enclosure.
fn media_image(el: &El) -> Option<Image> {
    let mut candidates: Vec<&El> = el.elements().collect();
    if let Some(group) = el.child(MEDIA, "group") {
        candidates.extend(group.elements());
    }
    for c in &candidates {
        let is_image = match (c.ns.as_str(), c.name.as_str()) {
            (MEDIA, "content") => {
                c.attr("medium") == Some("image")
                    || c.attr("type").is_some_and(|t| t.starts_with("image/"))
                    || (c.attr("medium").is_none() && c.attr("type").is_none())
            }
            (MEDIA, "thumbnail") => true,
            ("", "enclosure") | (ATOM, "link") => {
                (c.name == "enclosure" || c.attr("rel") == Some("enclosure"))
                    && c.attr("type").is_some_and(|t| t.starts_with("image/"))
            }
            _ => false,
        };
        if !is_image {
            continue;
        }
        let src = c.attr("url").or_else(|| c.attr("href"))?;
        let alt = c.child_text(MEDIA, "description").or_else(|| c.child_text(MEDIA, "title"));
        return Some(Image { src: src.to_string(), alt, ..Image::default() });
    }
    None
}

impl State<'_> {
    fn language(&self) -> Option<String> {
        self.language.clone().or(self.opts.language.clone())
    }

    fn date(&self, raw: Option<String>, who: &str, field: &str, sink: &mut dyn Sink) -> Option<String> {
        let raw = raw?;
        let d = text::normalize_date(&raw, self.opts.offset_minutes);
        if d.is_none() {
            sink.warn(who, format!("{field} {:?} is not a date; left out", text::clip(&raw, 40)));
        }
        d
    }

    /// A post from its parts; `None` (with a warning) when it has nothing to show.
    fn finish(
        &self,
        mut post: Post,
        body_html: Option<String>,
        base: Option<&str>,
        sink: &mut dyn Sink,
    ) -> Result<(), Error> {
        let body_html = body_html.unwrap_or_default();
        // The item's link is its old address, when it is on the site (`--site`, else the
        // feed's own link).
        let site = self.opts.site.as_deref().or(self.channel_link.as_deref());
        // Links and pictures on the feed's own site are the old site's.
        if let Some(own) = self.channel_link.as_deref() {
            sink.old_site(own);
        }
        if let (Some(link), Some(site)) = (post.url.as_deref(), site) {
            super::aliases::push(&mut post.aliases, super::aliases::alias_of(link, Some(site)));
        }
        let converted = self.converter.convert(&body_html, base.or(self.opts.site.as_deref()), true);
        for n in &converted.notes {
            sink.warn(&super::who(&post.id, &post.title), n.clone());
        }
        post.body = converted.markdown;
        post.editors_pick = converted.pick;
        if post.title.is_empty() {
            let from = post.summary.clone().unwrap_or_else(|| self.converter.text(&body_html));
            post.title = text::clip(&from, 60);
            if !post.title.is_empty() {
                sink.warn(&super::who(&post.id, &post.title), "no title; one was made from its text".to_string());
            }
        }
        if post.id.is_empty() {
            sink.warn(&super::who("", &post.title), "skipped: no guid, id or link to identify it".to_string());
            return Ok(());
        }
        if post.body.trim().is_empty() {
            sink.warn(&super::who(&post.id, &post.title), "skipped: no content".to_string());
            return Ok(());
        }
        post.slug = post.url.as_deref().map(last_segment).unwrap_or_default();
        sink.post(post)
    }

    fn rss(&mut self, el: El, source: &mut Source, sink: &mut dyn Sink) -> Result<(), Error> {
        match el.name.as_str() {
            "title" => source.title = Some(self.converter.text(&el.text())).filter(|t| !t.is_empty()),
            "description" => source.description = Some(self.converter.text(&el.text())).filter(|t| !t.is_empty()),
            "language" => {
                self.language =
                    el.child_text("", "language").or(Some(el.text().trim().to_string())).filter(|t| !t.is_empty());
                source.language = self.language.clone();
            }
            "link" if el.ns.is_empty() || el.ns == RSS1 => {
                self.channel_link = Some(el.text().trim().to_string()).filter(|t| !t.is_empty())
            }
            "channel" => {
                // RSS 1.0: the channel holds the feed's own fields.
                source.title = el.child_text(RSS1, "title").map(|t| self.converter.text(&t));
                source.description = el.child_text(RSS1, "description").map(|t| self.converter.text(&t));
                self.channel_link = el.child_text(RSS1, "link");
                self.language = el.child_text(DC, "language");
                source.language = self.language.clone();
            }
            "item" => return self.rss_item(&el, sink),
            _ => {}
        }
        Ok(())
    }

    fn rss_item(&self, el: &El, sink: &mut dyn Sink) -> Result<(), Error> {
        let ns = el.ns.as_str();
        let title = el.child_text(ns, "title").map(|t| self.converter.text(&t)).unwrap_or_default();
        let base = self.channel_link.clone().or(self.opts.site.clone());
        let link = el.child_text(ns, "link").map(|l| resolved(&l, base.as_deref()));
        let guid = el
            .child_text(ns, "guid")
            .or_else(|| el.attrs.iter().find(|(n, a, _)| n == RDF && a == "about").map(|(_, _, v)| v.clone()));
        let id = guid.or(link.clone()).unwrap_or_default();
        let who = super::who(&id, &title);
        let content = el.child_text(CONTENT, "encoded");
        let description = el.child_text(ns, "description");
        let (body, summary) = match content {
            Some(c) => (Some(c), description.map(|d| text::clip(&self.converter.text(&d), 300))),
            None => (description, None),
        };
        let names = el.elements().filter_map(|c| match (c.ns.as_str(), c.name.as_str()) {
            (DC, "creator") => Some(text::squash(&c.text())),
            ("", "author") => rss_author(&c.text()),
            _ => None,
        });
        let authors: Vec<Author> = text::unique(names, article_viewer_core::format::LIMITS.small_list)
            .into_iter()
            .map(|name| Author { name, ..Author::default() })
            .collect();
        let tags = unique_tags(
            el.elements()
                .filter(|c| (c.ns.is_empty() && c.name == "category") || c.is(DC, "subject"))
                .map(|c| c.text()),
        );
        let published = el.child_text(ns, "pubDate").or_else(|| el.child_text(DC, "date"));
        let post = Post {
            id,
            title,
            summary: summary.filter(|s| !s.is_empty()),
            language: self.language(),
            url: link.clone(),
            published: self.date(published, &who, "pubDate", sink),
            authors,
            tags,
            image: media_image(el).map(|mut i| {
                i.src = resolved(&i.src, base.as_deref());
                i
            }),
            ..Post::default()
        };
        self.finish(post, body, link.as_deref().or(base.as_deref()), sink)
    }

    fn atom_person(el: &El) -> Option<Author> {
        let name = el.child_text(ATOM, "name")?;
        Some(Author { name: text::squash(&name), url: el.child_text(ATOM, "uri"), ..Author::default() })
    }

    /// An Atom text construct (`type` text, html or xhtml) as HTML.
    fn atom_html(el: &El) -> String {
        match el.attr("type") {
            Some("html") | Some("text/html") => el.text(),
            Some("xhtml") | Some("application/xhtml+xml") => match el.child("http://www.w3.org/1999/xhtml", "div") {
                Some(div) => div.inner_html(),
                None => el.inner_html(),
            },
            _ => {
                let t = article_viewer_publish::html::escape(&el.text());
                t.split("\n\n").map(|p| format!("<p>{p}</p>")).collect()
            }
        }
    }

    fn atom(&mut self, el: El, source: &mut Source, sink: &mut dyn Sink) -> Result<(), Error> {
        if el.ns != ATOM {
            return Ok(());
        }
        match el.name.as_str() {
            "title" => source.title = Some(self.converter.text(&Self::atom_html(&el))).filter(|t| !t.is_empty()),
            "subtitle" => {
                source.description = Some(self.converter.text(&Self::atom_html(&el))).filter(|t| !t.is_empty())
            }
            "author" => self.feed_authors.extend(Self::atom_person(&el)),
            "link" if matches!(el.attr("rel"), None | Some("alternate")) => {
                self.channel_link = el.attr("href").map(str::to_string)
            }
            "entry" => return self.atom_entry(&el, sink),
            _ => {}
        }
        Ok(())
    }

    fn atom_entry(&self, el: &El, sink: &mut dyn Sink) -> Result<(), Error> {
        // xml:base: the entry's, against the feed's alternate link or --site.
        let feed_base = self.base.clone().or(self.channel_link.clone()).or(self.opts.site.clone());
        let base = match el.attr("base") {
            Some(b) => Some(resolved(b, feed_base.as_deref())),
            None => feed_base,
        };
        let id = el.child_text(ATOM, "id").unwrap_or_default();
        let title = el.child(ATOM, "title").map(|t| self.converter.text(&Self::atom_html(t))).unwrap_or_default();
        let who = super::who(&id, &title);
        let link = el
            .elements()
            .find(|l| l.is(ATOM, "link") && matches!(l.attr("rel"), None | Some("alternate")))
            .and_then(|l| l.attr("href"))
            .map(|h| resolved(h, base.as_deref()));
        let content = el.child(ATOM, "content").filter(|c| c.attr("src").is_none()).map(Self::atom_html);
        let summary_html = el.child(ATOM, "summary").map(Self::atom_html);
        let (body, summary) = match content {
            Some(c) => (Some(c), summary_html.map(|s| text::clip(&self.converter.text(&s), 300))),
            None => (summary_html, None),
        };
        let mut authors: Vec<Author> =
            el.elements().filter(|a| a.is(ATOM, "author")).filter_map(Self::atom_person).collect();
        if authors.is_empty() {
            authors = self.feed_authors.clone();
        }
        let tags = unique_tags(
            el.elements()
                .filter(|c| c.is(ATOM, "category"))
                .filter_map(|c| c.attr("label").or(c.attr("term")).map(str::to_string)),
        );
        let published = el.child_text(ATOM, "published");
        let updated = el.child_text(ATOM, "updated");
        let post = Post {
            id,
            title,
            summary: summary.filter(|s| !s.is_empty()),
            language: el.attr("lang").map(str::to_string).or(self.language()),
            url: link.clone(),
            published: self.date(published.clone().or(updated.clone()), &who, "published", sink),
            updated: if published.is_some() { self.date(updated, &who, "updated", sink) } else { None },
            authors,
            tags,
            image: media_image(el).map(|mut i| {
                i.src = resolved(&i.src, base.as_deref());
                i
            }),
            ..Post::default()
        };
        self.finish(post, body, base.as_deref(), sink)
    }
}

/// The last path segment of a URL (`https://x/2025/09/oracle/` → `oracle`), for a slug.
pub fn last_segment(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.split_once("://").map_or(path, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let seg = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let seg = seg.strip_suffix(".html").or_else(|| seg.strip_suffix(".htm")).unwrap_or(seg);
    text::percent_decode(seg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Collect;

    fn run(bytes: &[u8]) -> Result<(Source, Collect), Error> {
        let mut sink = Collect::default();
        let source = import(bytes, Path::new("feed.xml"), &Options::default(), &mut sink)?;
        Ok((source, sink))
    }

    #[test]
    fn rss_items_with_content_creator_categories_and_media() {
        let (source, sink) = run(include_bytes!("../tests/fixtures/import/feed/rss.xml")).expect("read");
        assert_eq!(source.title.as_deref(), Some("테크 브리핑"));
        assert_eq!(source.language.as_deref(), Some("ko-KR"));
        let p = &sink.posts;
        assert_eq!(p.len(), 4, "{:?}", sink.warnings);
        assert_eq!((p[0].id.as_str(), p[0].slug.as_str()), ("news-1001", "openai-oracle"));
        assert_eq!(p[0].published.as_deref(), Some("2025-09-12T09:00:00+09:00"));
        assert_eq!(p[0].authors[0].name, "문가용");
        assert_eq!(p[0].tags, vec!["AI", "클라우드"]);
        assert_eq!(p[0].aliases, ["/2025/09/openai-oracle/"], "the item's link on the feed's own site");
        assert_eq!(
            p[0].image.as_ref().map(|i| (i.src.as_str(), i.alt.as_deref())),
            Some(("https://news.example/content/images/hero-oracle.jpg", Some("악수하는 두 손")))
        );
        assert_eq!(
            p[0].summary.as_deref(),
            Some("오픈AI가 5년 동안 오라클에 3천억 달러를 쓴다. 주가는 하루 만에 36% 올랐다.")
        );
        assert_eq!(p[0].editors_pick.as_ref().map(|k| k.items.len()), Some(3));
        assert!(p[0].body.contains("![오라클 주가 차트](https://news.example/content/images/oracle-stock.png \"오라클 주가가 하루만에 36% 상승했다 [자료: 오라클]\")"), "{}", p[0].body);
        assert!(
            p[0].body.contains("[클라우드 시장 분석](https://news.example/2025/09/cloud-market/)"),
            "{}",
            p[0].body
        );
        assert!(!p[0].body.contains("trackPageview"));
        // `author` is an e-mail address with a name: only the name is kept.
        assert_eq!(p[1].authors[0].name, "김서연");
        assert_eq!(p[1].image.as_ref().map(|i| i.src.as_str()), Some("https://news.example/content/images/power.png"));
        assert_eq!(p[1].body, "빅테크가 원자력 발전소와 손을 잡는다. **전력**이 병목이다.");
        // No title: one is made from the text; a bad date is left out with a warning.
        assert!(p[2].title.starts_with("제목 없이 올라온 짧은 소식"), "{}", p[2].title);
        assert_eq!(p[2].published, None);
        let warnings = sink.warnings.join("\n");
        assert!(
            warnings.contains("post \"news-1003\"") && warnings.contains("pubDate \"어제 오후\" is not a date"),
            "{warnings}"
        );
        // The duplicate guid reaches the writer, which skips it (tested there).
        assert_eq!(p[3].id, "news-1001");
        let all = format!("{p:?}");
        assert!(!all.contains("editor@news.example"), "an e-mail address was copied");
    }

    #[test]
    fn atom_entries_with_base_lang_xhtml_and_feed_author() {
        let (source, sink) = run(include_bytes!("../tests/fixtures/import/feed/atom.xml")).expect("read");
        assert_eq!(source.title.as_deref(), Some("개발 노트"));
        assert_eq!(source.description.as_deref(), Some("백엔드 개발 이야기"));
        assert_eq!(source.language.as_deref(), Some("ko"));
        let p = &sink.posts;
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].title, "러스트로 WASM 뷰어 만들기");
        assert_eq!(p[0].url.as_deref(), Some("https://blog.example/posts/rust-wasm-viewer/"));
        assert_eq!(p[0].aliases, ["/posts/rust-wasm-viewer/"]);
        assert_eq!(p[0].slug, "rust-wasm-viewer");
        assert_eq!(
            p[0].authors,
            vec![Author {
                name: "박준호".into(),
                url: Some("https://blog.example/about/".into()),
                ..Author::default()
            }]
        );
        assert_eq!(p[0].tags, vec!["Rust", "wasm"]);
        assert_eq!(
            (p[0].published.as_deref(), p[0].updated.as_deref()),
            (Some("2025-09-12T09:00:00+09:00"), Some("2025-09-13T10:30:00+09:00"))
        );
        assert!(p[0].body.contains("```rust\nfn main() {\n    println!(\"안녕\");\n}\n```"), "{}", p[0].body);
        assert!(p[0].body.contains("| wasm | 163 KB |"), "{}", p[0].body);
        // Relative references resolve against xml:base (RFC 4287 §2), not the entry's link.
        assert!(p[0].body.contains("[데모](https://blog.example/demo/)"), "{}", p[0].body);
        // xml:base on the entry; xhtml content; its own author; updated stands in for published.
        assert_eq!(p[1].url.as_deref(), Some("https://blog.example/2025/xhtml-entry/"));
        assert_eq!(p[1].authors[0].name, "이수민");
        assert_eq!(p[1].published.as_deref(), Some("2025-09-10T08:00:00Z"));
        assert!(
            p[1].body.contains("**굵은 글씨**")
                && p[1].body.contains("![구조도](https://blog.example/2025/img/diagram.png)"),
            "{}",
            p[1].body
        );
        // Plain text content stays text.
        assert_eq!(p[2].body, "본문은 평범한 텍스트다.\n\n두 번째 문단에는 \\*별표\\*가 있다.");
        assert!(
            sink.warnings.iter().any(|w| w.contains("bad-date") && w.contains("is not a date")),
            "{:?}",
            sink.warnings
        );
        assert!(!format!("{p:?}").contains("@blog.example"), "an e-mail address was copied");
    }

    #[test]
    fn malformed_feeds_say_where() {
        let e = run(include_bytes!("../tests/fixtures/import/feed/malformed.xml")).map(|_| ()).unwrap_err().to_string();
        assert!(e.starts_with("feed.xml:6:"), "{e}");
        let e =
            run(include_bytes!("../tests/fixtures/import/feed/not-a-feed.xml")).map(|_| ()).unwrap_err().to_string();
        assert_eq!(e, "feed.xml:2:1: not an RSS or Atom feed: the root element is <html>");
        let e = run(b"{\"version\": 1}").map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("not XML"), "{e}");
    }

    #[test]
    fn two_hundred_thousand_categories_are_read_once_each() {
        let cats: String = (0..200_000)
            .map(|i| format!("<category>T{}</category><category>t{}</category>", i % 1000, i % 1000))
            .collect();
        let authors: String = (0..50_000).map(|i| format!("<dc:creator>기자 {}</dc:creator>", i % 7)).collect();
        let xml = format!("<rss xmlns:dc=\"{DC}\"><channel><item><guid>1</guid><title>a</title><description>b</description>{cats}{authors}</item></channel></rss>");
        let (_, sink) = run(xml.as_bytes()).expect("read");
        let p = &sink.posts[0];
        // ASCII case is ignored, the first spelling kept, at most the format's 100.
        assert_eq!(p.tags.len(), 100);
        assert_eq!(p.tags[..2], ["T0", "T1"]);
        assert_eq!(p.authors.len(), 7);
    }
}
