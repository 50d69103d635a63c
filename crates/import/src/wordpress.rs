//! `wordpress`: a WordPress export (WXR 1.0, 1.1, 1.2, in whichever namespace the file binds
//! to `wp:`, `http` or `https`), streamed in two passes so that a
//! 10,000-post export never sits in memory: the first keeps the authors' display names and
//! the attachments (for featured images, which WordPress may list after the posts that use
//! them), the second converts each published post as it is read.
//!
//! Kept: published posts (`wp:status` publish, `wp:post_type` post; password-protected posts
//! are skipped, their content is not public), categories then tags (the default
//! "Uncategorized" left out), `dc:creator` as the author's display name (never an e-mail
//! address), the featured image through `_thumbnail_id` to the attachment's URL with its alt
//! text and caption, `excerpt:encoded` as the summary, and dates from `wp:post_date` with the
//! offset the export itself shows (`wp:post_date` minus `wp:post_date_gmt`). The body:
//! Gutenberg block comments dropped and their content kept, `[caption]` and `[embed]`
//! shortcodes read, and classic-editor text without `<p>` made into paragraphs as WordPress's
//! `wpautop` does. Comments, their authors and every other post type are left out.

use std::collections::HashMap;

use article_viewer_core::format::{Author, Image};

use super::html::Converter;
use super::xml::{self, El, CONTENT, DC};
use super::{aliases, text, Input, Options, Post, Sink, Source};
use crate::Error;

mod shortcodes;
use shortcodes::{shortcodes, Pictures};

/// WXR's own namespaces, once read: every element in the namespace the file binds to `wp`
/// (or to `excerpt`) carries this instead ([`Namespaces::normalise`]).
const WP_NS: &str = "wxr:wp";
const EXCERPT_NS: &str = "wxr:excerpt";

fn is_wp(ns: &str) -> bool {
    ns == WP_NS
}

fn is_excerpt(ns: &str) -> bool {
    ns == EXCERPT_NS
}

/// The namespaces the file uses for `wp:` and `excerpt:`. As WordPress's own importer does,
/// they are taken from the file (the root's `xmlns:wp`, `xmlns:excerpt`), so an export that
/// says `https://wordpress.org/export/1.2/` (the theme unit test data) reads like one that
/// says `http://`; any `http(s)://wordpress.org/export/<version>/` is known too, wherever it
/// is declared.
struct Namespaces {
    wp: Option<String>,
    excerpt: Option<String>,
}

/// `http(s)://wordpress.org/export/<version>/` (wp) or `…/<version>/excerpt/` (excerpt).
fn known(ns: &str) -> Option<&'static str> {
    let rest = ns.strip_prefix("https://").or_else(|| ns.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("wordpress.org/export/")?;
    let (version, tail) = rest.split_once('/')?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    match tail {
        "" => Some(WP_NS),
        "excerpt/" => Some(EXCERPT_NS),
        _ => None,
    }
}

impl Namespaces {
    fn of(root: &El) -> Namespaces {
        let declared = |prefix: &str| {
            root.attrs
                .iter()
                .find(|(ns, name, _)| name == prefix && (ns == XMLNS || ns == "xmlns"))
                .map(|(_, _, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Namespaces { wp: declared("wp"), excerpt: declared("excerpt") }
    }

    fn kind(&self, ns: &str) -> Option<&'static str> {
        if self.wp.as_deref() == Some(ns) {
            Some(WP_NS)
        } else if self.excerpt.as_deref() == Some(ns) {
            Some(EXCERPT_NS)
        } else {
            known(ns)
        }
    }

    /// `el` and everything inside with WXR's namespaces as [`WP_NS`] and [`EXCERPT_NS`].
    fn normalise(&self, el: &mut El) {
        let mut stack = vec![el];
        while let Some(e) = stack.pop() {
            if let Some(kind) = self.kind(&e.ns) {
                e.ns = kind.to_string();
            }
            for c in &mut e.children {
                if let xml::Node::El(child) = c {
                    stack.push(child);
                }
            }
        }
    }
}

/// The namespace quick-xml gives `xmlns:` declarations.
const XMLNS: &str = "http://www.w3.org/2000/xmlns/";

fn wp_text(el: &El, name: &str) -> Option<String> {
    el.elements()
        .find(|c| c.name == name && is_wp(&c.ns))
        .map(|c| c.text().trim().to_string())
        .filter(|t| !t.is_empty())
}

fn wanted(p: &xml::Path) -> bool {
    p.len() == 3 && p[0].1 == "rss" && p[1].1 == "channel"
}

#[derive(Default)]
struct Attachment {
    url: String,
    alt: Option<String>,
    caption: Option<String>,
}

#[derive(Default)]
struct Channel {
    source: Source,
    base: Option<String>,
    authors: HashMap<String, String>,
    attachments: HashMap<String, Attachment>,
    /// Each post's attached pictures, by `wp:post_parent`, with their `wp:menu_order`:
    /// what `[gallery]` without `ids` shows.
    attached: HashMap<String, Vec<(i64, i64, String)>>,
}

fn postmeta(el: &El) -> Vec<(String, String)> {
    el.elements()
        .filter(|c| c.name == "postmeta" && is_wp(&c.ns))
        .filter_map(|m| Some((wp_text(m, "meta_key")?, wp_text(m, "meta_value").unwrap_or_default())))
        .collect()
}

pub fn import(input: &dyn Input, opts: &Options, sink: &mut dyn Sink) -> Result<Source, Error> {
    let converter = Converter::new();
    let mut ch = Channel::default();
    let root = xml::root(input)?;
    if root.name != "rss" {
        return Err(super::malformed(
            input,
            root.offset,
            format!("not a WordPress export (WXR): the root element is <{}>", root.name),
        ));
    }
    let namespaces = Namespaces::of(&root);
    let mut saw_wxr = false;
    xml::walk(input, &wanted, &mut |_, mut el| {
        namespaces.normalise(&mut el);
        match (el.ns.as_str(), el.name.as_str()) {
            ("", "title") => ch.source.title = Some(converter.text(&el.text())).filter(|t| !t.is_empty()),
            ("", "description") => ch.source.description = Some(converter.text(&el.text())).filter(|t| !t.is_empty()),
            ("", "language") => ch.source.language = Some(el.text().trim().to_string()).filter(|t| !t.is_empty()),
            ("", "link") => ch.base = ch.base.take().or(Some(el.text().trim().to_string()).filter(|t| !t.is_empty())),
            (ns, "base_blog_url") if is_wp(ns) => {
                ch.base = Some(el.text().trim().to_string()).filter(|t| !t.is_empty())
            }
            (ns, "wxr_version") if is_wp(ns) => saw_wxr = true,
            (ns, "author") if is_wp(ns) => {
                // Only the login and the display name: never the e-mail address.
                if let Some(login) = wp_text(&el, "author_login") {
                    let name = wp_text(&el, "author_display_name").unwrap_or_else(|| login.clone());
                    ch.authors.insert(login, text::squash(&name));
                }
            }
            ("", "item") if wp_text(&el, "post_type").as_deref() == Some("attachment") => {
                if let (Some(id), Some(url)) = (wp_text(&el, "post_id"), wp_text(&el, "attachment_url")) {
                    let alt = postmeta(&el)
                        .into_iter()
                        .find(|(k, _)| k == "_wp_attachment_image_alt")
                        .map(|(_, v)| v)
                        .filter(|v| !v.trim().is_empty());
                    let caption = el
                        .elements()
                        .find(|c| c.name == "encoded" && is_excerpt(&c.ns))
                        .map(|c| c.text())
                        .filter(|c| !c.trim().is_empty());
                    if let Some(parent) = wp_text(&el, "post_parent").filter(|p| p != "0") {
                        let order = wp_text(&el, "menu_order").and_then(|o| o.parse().ok()).unwrap_or(0);
                        let number = id.parse().unwrap_or(i64::MAX);
                        ch.attached.entry(parent).or_default().push((order, number, id.clone()));
                    }
                    ch.attachments.insert(id, Attachment { url, alt, caption });
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    if !saw_wxr {
        return Err(super::malformed(
            input,
            root.offset,
            "not a WordPress export (WXR): no wp:wxr_version in the channel",
        ));
    }
    // Relative links resolve against --site, else the blog's own address.
    let base =
        opts.site.clone().or_else(|| ch.base.clone().map(|b| if b.ends_with('/') { b } else { format!("{b}/") }));
    let language = ch.source.language.clone().or(opts.language.clone());
    // Links and pictures on the blog's own address are the site's own.
    if let Some(b) = &ch.base {
        sink.old_site(b);
    }
    for list in ch.attached.values_mut() {
        list.sort();
    }
    xml::walk(input, &wanted, &mut |_, mut el| {
        if el.name != "item" || !el.ns.is_empty() {
            return Ok(());
        }
        namespaces.normalise(&mut el);
        item(&el, &ch, base.as_deref(), language.as_deref(), &converter, opts, sink)
    })?;
    Ok(Source { language, ..ch.source })
}

/// `local` (`2025-09-12 09:00:00`) with the offset that `gmt` (the same moment in UTC) shows;
/// without a usable `gmt`, `default` (`--offset`, else UTC).
fn wp_date(local: Option<&str>, gmt: Option<&str>, default: Option<i16>) -> Option<String> {
    let local = local.filter(|l| !l.starts_with("0000"))?;
    let gmt = gmt
        .filter(|g| !g.starts_with("0000"))
        .and_then(|g| text::normalize_date(g, Some(0)))
        .and_then(|g| text::unix_seconds(&g));
    let as_utc = text::normalize_date(local, Some(0)).and_then(|l| text::unix_seconds(&l))?;
    let offset = match gmt {
        Some(g) => {
            let minutes = (as_utc - g) / 60;
            if (as_utc - g) % 900 == 0 && minutes.abs() <= 18 * 60 {
                Some(minutes as i16)
            } else {
                default
            }
        }
        None => default,
    };
    text::normalize_date(local, offset)
}

fn item(
    el: &El,
    ch: &Channel,
    base: Option<&str>,
    language: Option<&str>,
    converter: &Converter,
    opts: &Options,
    sink: &mut dyn Sink,
) -> Result<(), Error> {
    if wp_text(el, "post_type").as_deref() != Some("post") {
        return Ok(());
    }
    // Published and scheduled posts come in; drafts (and those pending review) with
    // `--drafts`, as drafts; private and trashed posts never.
    let draft = match wp_text(el, "status").as_deref() {
        Some("publish" | "future") => false,
        Some("draft" | "pending") if opts.drafts => true,
        _ => return Ok(()),
    };
    let id = wp_text(el, "post_id").unwrap_or_default();
    let title = el.child_text("", "title").map(|t| converter.text(&t)).unwrap_or_default();
    let who = super::who(&id, &title);
    if wp_text(el, "post_password").is_some() {
        sink.warn(&who, "skipped: password-protected, so its content is not public".into());
        return Ok(());
    }
    let content = el.child(CONTENT, "encoded").map(El::text).unwrap_or_default();
    let (content, notes) = shortcodes(&content, &Pictures { channel: ch, post: &id });
    for n in notes {
        sink.warn(&who, n);
    }
    let html = embed_paragraphs(&autop(&content));
    let converted = converter.convert(&html, base, true);
    for n in &converted.notes {
        sink.warn(&who, n.clone());
    }
    if converted.markdown.trim().is_empty() {
        sink.warn(&who, "skipped: no content".into());
        return Ok(());
    }
    let published =
        wp_date(wp_text(el, "post_date").as_deref(), wp_text(el, "post_date_gmt").as_deref(), opts.offset_minutes)
            .or_else(|| el.child_text("", "pubDate").and_then(|d| text::normalize_date(&d, opts.offset_minutes)));
    if published.is_none() {
        sink.warn(
            &who,
            format!("post_date {:?} is not a date; left out", wp_text(el, "post_date").unwrap_or_default()),
        );
    }
    let updated = wp_date(
        wp_text(el, "post_modified").as_deref(),
        wp_text(el, "post_modified_gmt").as_deref(),
        opts.offset_minutes,
    )
    .filter(|u| Some(u) != published.as_ref());
    let mut categories = Vec::new();
    let mut tags = Vec::new();
    for c in el.elements().filter(|c| c.ns.is_empty() && c.name == "category") {
        let name = text::squash(&converter.text(&c.text()));
        let nicename = c.attr("nicename").unwrap_or("");
        if name.is_empty() || nicename == "uncategorized" || name == "Uncategorized" || name == "미분류" {
            continue;
        }
        match c.attr("domain") {
            None | Some("category") => categories.push(name),
            Some("post_tag") | Some("tag") => tags.push(name),
            Some(_) => {}
        }
    }
    // Categories first, then tags, each name once.
    let categories = text::unique(categories.into_iter().chain(tags), article_viewer_core::format::LIMITS.small_list);
    let authors: Vec<Author> = el
        .elements()
        .filter(|c| c.is(DC, "creator"))
        .filter_map(|c| {
            let login = c.text().trim().to_string();
            let name = ch.authors.get(&login).cloned().unwrap_or(login);
            (!name.is_empty() && !name.contains('@')).then(|| Author { name, ..Author::default() })
        })
        .collect();
    let image = postmeta(el)
        .into_iter()
        .find(|(k, _)| k == "_thumbnail_id")
        .and_then(|(_, v)| ch.attachments.get(v.trim()))
        .map(|a| Image {
            src: a.url.clone(),
            alt: a.alt.clone().map(|t| text::squash(&t)),
            caption: a.caption.as_deref().map(|c| converter.inline(c, base)).filter(|c| !c.is_empty()),
            ..Image::default()
        });
    let excerpt = el
        .elements()
        .find(|c| c.name == "encoded" && is_excerpt(&c.ns))
        .map(|c| converter.text(&c.text()))
        .filter(|t| !t.is_empty());
    // The excerpt, when the author wrote one, is the dek too: shown under the headline and
    // the page's description, as WordPress themes show it.
    let summary = excerpt.clone();
    let link = el.child_text("", "link");
    let post = Post {
        subtitle: excerpt,
        slug: wp_text(el, "post_name").unwrap_or_default(),
        id,
        title,
        summary,
        language: language.map(str::to_string),
        aliases: old_addresses(el, link.as_deref(), base),
        url: link,
        published,
        updated,
        draft,
        authors,
        tags: categories,
        image,
        editors_pick: converted.pick,
        body: converted.markdown,
        ..Post::default()
    };
    sink.post(post)
}

/// Where a post lived: its permalink (`link`, in the site's permalink structure), its `guid`
/// when that is an address on the site, and `/?p=ID`, which answers on every WordPress site.
fn old_addresses(el: &El, link: Option<&str>, site: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(link) = link {
        aliases::push(&mut out, aliases::alias_of(link, site));
    }
    if let Some(guid) = el.child_text("", "guid") {
        aliases::push(&mut out, aliases::alias_of(&guid, site));
    }
    if let Some(id) = wp_text(el, "post_id").filter(|id| id.bytes().all(|b| b.is_ascii_digit())) {
        aliases::push(&mut out, Some(format!("/?p={id}")));
    }
    out
}

/// A paragraph holding nothing but a provider's address (`<p>https://youtu.be/…</p>`), which
/// WordPress embeds when it shows the post, as the embed block's figure.
fn embed_paragraphs(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    while let Some(off) = html[i..].find("<p>") {
        let start = i + off + 3;
        // An address is at most a few hundred bytes: look no further for the end.
        let mut limit = (start + 600).min(html.len());
        while !html.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &html[start..limit];
        let found = window.find("</p>").and_then(|end| {
            let inner = window[..end].trim();
            let url = crate::embeds::canonical(inner).filter(|_| inner.starts_with("http"))?;
            Some((url, end))
        });
        out.push_str(&html[i..i + off]);
        match found {
            Some((url, end)) => {
                out.push_str(&format!(
                    "<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">{}</div></figure>",
                    article_viewer_publish::html::escape(&url)
                ));
                i = start + end + 4;
            }
            None => {
                out.push_str("<p>");
                i = start;
            }
        }
    }
    out.push_str(&html[i..]);
    out
}

const BLOCKS: [&str; 38] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "iframe",
];

fn starts_with_block(chunk: &str) -> bool {
    let Some(rest) = chunk.strip_prefix('<') else { return false };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    BLOCKS.contains(&name.as_str()) || chunk.starts_with("<!--")
}

/// Classic-editor text as WordPress shows it (`wpautop`, simplified): blank lines separate
/// paragraphs, a single newline is a line break, blocks that are already HTML stay as they
/// are, and nothing inside `<pre>` is touched. Block-editor content (`<!-- wp:`) is HTML already.
pub fn autop(html: &str) -> String {
    if html.contains("<!-- wp:") {
        return html.to_string();
    }
    let html = html.replace("\r\n", "\n");
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut in_pre = 0i64;
    for line in html.split('\n') {
        // A provider's address alone on its line is embedded (WordPress's auto-embeds): a block.
        if in_pre <= 0 {
            if let Some(url) = crate::embeds::canonical(line.trim()).filter(|_| line.trim().starts_with("http")) {
                if !current.trim().is_empty() {
                    chunks.push(std::mem::take(&mut current));
                }
                current.clear();
                chunks.push(format!(
                    "<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">{}</div></figure>",
                    article_viewer_publish::html::escape(&url)
                ));
                continue;
            }
        }
        if line.trim().is_empty() && in_pre <= 0 {
            if !current.trim().is_empty() {
                chunks.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        let lower = line.to_ascii_lowercase();
        in_pre += lower.matches("<pre").count() as i64 - lower.matches("</pre>").count() as i64;
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(line);
    }
    if !current.trim().is_empty() {
        chunks.push(current);
    }
    chunks
        .into_iter()
        .map(|c| {
            let t = c.trim();
            if starts_with_block(t) {
                t.to_string()
            } else {
                format!("<p>{}</p>", t.replace('\n', "<br>"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BytesInput, Collect};

    fn run(bytes: &[u8]) -> Result<(Source, Collect), Error> {
        let mut sink = Collect::default();
        let source = import(&BytesInput(bytes), &Options::default(), &mut sink)?;
        Ok((source, sink))
    }

    const WXR: &[u8] = include_bytes!("../tests/fixtures/import/wordpress/wxr-1.2.xml");

    #[test]
    fn block_editor_post() {
        let (source, sink) = run(WXR).expect("read");
        assert_eq!((source.title.as_deref(), source.language.as_deref()), (Some("반도체 인사이트"), Some("ko-KR")));
        assert_eq!(sink.posts.len(), 2, "{:?}", sink.warnings);
        let p = &sink.posts[0];
        assert_eq!((p.id.as_str(), p.slug.as_str()), ("101", "hbm4-%ec%88%98%ec%9c%a8"));
        assert_eq!(p.title, "HBM4 양산 앞둔 메모리 업계, 승부처는 ‘수율’");
        assert_eq!(p.published.as_deref(), Some("2025-09-12T09:00:00+09:00"));
        assert_eq!(p.updated.as_deref(), Some("2025-09-13T10:15:00+09:00"));
        assert_eq!(p.authors[0].name, "박준호");
        assert_eq!(p.tags, vec!["메모리", "HBM", "수율"]);
        assert_eq!(p.summary.as_deref(), Some("HBM4 경쟁은 속도보다 수율이 관건이다."));
        let image = p.image.clone().expect("featured image, listed after the post");
        assert_eq!(image.src, "https://chips.example/wp-content/uploads/2025/09/hbm-cover.jpg");
        assert_eq!(image.alt.as_deref(), Some("기판 위에 쌓인 메모리 칩"));
        assert_eq!(image.caption.as_deref(), Some("Photo by [김서연](https://photos.example/kim) / 반도체 인사이트"));
        for want in [
            "6세대 HBM 양산을 앞두고 메모리 업체들의 경쟁 축이 **수율**로 옮겨 가고 있다.",
            "## 왜 수율인가",
            "![HBM 적층 구조](https://chips.example/wp-content/uploads/2025/09/hbm-stack.png \"12단 적층 HBM 구조 [자료: 반도체 인사이트]\")",
            "| HBM4 | 16단 |",
            "```python\nyield_rate = good / total  # ]]> 는 CDATA를 나눈다\n```",
            // Not an id YouTube gives (11 characters): a link, as it was.
            "<https://www.youtube.com/watch?v=hbm4demo>",
            "> 한 층의 불량이 스택 전체를 버리게 만든다.",
            "HTML 블록 클릭",
        ] {
            assert!(p.body.contains(want), "{want:?} not in\n{}", p.body);
        }
        for never in ["wp:", "steal", "javascript", "onclick"] {
            assert!(!p.body.contains(never), "{never} in\n{}", p.body);
        }
    }

    #[test]
    fn classic_editor_post_gets_paragraphs() {
        let (_, sink) = run(WXR).expect("read");
        let p = &sink.posts[1];
        assert_eq!(p.authors[0].name, "김서연");
        assert_eq!(p.tags, vec!["HBM"], "Uncategorized and the post format are left out");
        assert_eq!(p.published.as_deref(), Some("2025-09-05T09:30:00+09:00"));
        assert_eq!(p.updated, None, "not modified since");
        for want in [
            "파운드리 업계가 2나노 공정으로 맞붙었다.\\\n수율 발표는 아직 없다.\n\n",
            "![웨이퍼](https://chips.example/wp-content/uploads/2025/09/wafer.jpg \"2나노 웨이퍼 [자료: 업계]\")",
            "https://www.youtube.com/watch?v=foundry2nm",
            "```php\n$rate = 0.6;\n\necho $rate;\n```",
            "### 전망\n\n내년 상반기가 분수령이다.",
            "\n\nhttps://vimeo.com/123456",
        ] {
            assert!(p.body.contains(want), "{want:?} not in\n{}", p.body);
        }
    }

    #[test]
    fn skips_and_privacy() {
        let (_, sink) = run(WXR).expect("read");
        let w = sink.warnings.join("\n");
        assert!(w.contains("post \"105\" (유료 구독자용 글): skipped: password-protected"), "{w}");
        let all = format!("{:?}", sink.posts);
        for never in [
            "@chips.example",
            "reader@",
            "203.0.113.7",
            "좋은 글 감사합니다",
            "hunter2",
            "비밀 본문",
            "회사 소개",
            "초안",
        ] {
            assert!(!all.contains(never), "{never} was copied");
        }
    }

    #[test]
    fn wxr_1_0() {
        let (_, sink) = run(include_bytes!("../tests/fixtures/import/wordpress/wxr-1.0.xml")).expect("read");
        let p = &sink.posts[0];
        assert_eq!(p.tags, vec!["News", "history"]);
        assert_eq!(p.authors[0].name, "admin");
        assert_eq!(p.published.as_deref(), Some("2009-06-01T08:00:00-04:00"));
        assert_eq!(p.body, "First paragraph with [a relative link](http://old.example/about/).\n\nSecond paragraph.");
    }

    const THEME_UNIT_TEST: &[u8] = include_bytes!("../tests/fixtures/import/wordpress/theme-unit-test.xml");

    #[test]
    fn https_namespaces_as_in_the_theme_unit_test_data() {
        let (source, sink) = run(THEME_UNIT_TEST).expect("an https WXR is a WordPress export");
        assert_eq!(source.title.as_deref(), Some("Harbour Test Data"));
        let titles: Vec<&str> = sink.posts.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Template: Sticky", "Template: Comments", "Scheduled: Autumn regatta"],
            "{:?}",
            sink.warnings
        );
        let p = &sink.posts[0];
        assert_eq!(p.authors[0].name, "Mara Quayside");
        assert_eq!(p.tags, ["Tides", "moorings"]);
        assert_eq!(p.summary.as_deref(), Some("A post that stays on top."));
        assert_eq!(p.subtitle.as_deref(), Some("A post that stays on top."), "the excerpt is the dek");
        assert_eq!(sink.posts[1].subtitle, None, "no excerpt, no dek");
        let image = p.image.clone().expect("the featured image, listed before the post");
        assert_eq!(image.alt.as_deref(), Some("A keeper on the gallery of a lighthouse"));
        assert_eq!(sink.posts[1].published.as_deref(), Some("2026-02-02T15:30:00+01:00"));
        assert_eq!(p.aliases, ["/2026/01/10/template-sticky/", "/?p=1510"], "permalink, guid and ?p=ID, once each");
        let scheduled = &sink.posts[2];
        assert_eq!(scheduled.published.as_deref(), Some("2036-09-30T09:00:00+02:00"));
        assert_eq!(scheduled.aliases, ["/?p=1530"]);
        assert!(sink.posts.iter().all(|p| !p.draft));
    }

    #[test]
    fn drafts_with_drafts_and_never_private_posts() {
        let mut sink = Collect::default();
        let opts = Options { drafts: true, ..Options::default() };
        import(&BytesInput(THEME_UNIT_TEST), &opts, &mut sink).expect("read");
        let drafts: Vec<(&str, bool)> = sink.posts.iter().map(|p| (p.title.as_str(), p.draft)).collect();
        assert_eq!(
            drafts,
            [
                ("Template: Sticky", false),
                ("Template: Comments", false),
                ("Scheduled: Autumn regatta", false),
                ("Draft: Winter moorings", true)
            ]
        );
        assert_eq!(sink.posts[3].aliases, ["/?p=1540"]);
    }

    #[test]
    fn every_namespace_wordpress_wrote_and_the_one_the_file_declares() {
        for (wp, excerpt) in [
            ("http://wordpress.org/export/1.0/", "http://wordpress.org/export/1.0/excerpt/"),
            ("http://wordpress.org/export/1.1/", "http://wordpress.org/export/1.1/excerpt/"),
            ("https://wordpress.org/export/1.1/", "https://wordpress.org/export/1.1/excerpt/"),
            ("https://wordpress.org/export/1.2/", "https://wordpress.org/export/1.2/excerpt/"),
            // Not a known address, but bound to `wp:` and `excerpt:` by the file itself.
            ("urn:example:wxr", "urn:example:wxr-excerpt"),
        ] {
            let xml = format!(
                "<rss xmlns:wp=\"{wp}\" xmlns:excerpt=\"{excerpt}\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\
                 <wp:wxr_version>1.2</wp:wxr_version><item><title>a</title><wp:post_id>1</wp:post_id>\
                 <wp:post_type>post</wp:post_type><wp:status>publish</wp:status>\
                 <excerpt:encoded>요약</excerpt:encoded><content:encoded>본문</content:encoded></item></channel></rss>"
            );
            let (_, sink) = run(xml.as_bytes()).unwrap_or_else(|e| panic!("{wp}: {e}"));
            assert_eq!(sink.posts.len(), 1, "{wp}");
            assert_eq!(sink.posts[0].summary.as_deref(), Some("요약"), "{wp}");
        }
        for (ns, want) in [
            ("http://wordpress.org/export/1.2/", Some(WP_NS)),
            ("https://wordpress.org/export/1.0/excerpt/", Some(EXCERPT_NS)),
            ("https://wordpress.org/export/", None),
            ("https://wordpress.org/export/x/", None),
            ("https://wordpress.org/export/1.2/other/", None),
            ("https://example.org/export/1.2/", None),
        ] {
            assert_eq!(known(ns), want, "{ns}");
        }
    }

    #[test]
    fn malformed_or_not_wxr() {
        let e = run(include_bytes!("../tests/fixtures/import/wordpress/malformed.xml"))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("input:7:") && e.contains("malformed XML"), "{e}");
        let e = run(include_bytes!("../tests/fixtures/import/feed/rss.xml")).map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("not a WordPress export (WXR): no wp:wxr_version"), "{e}");
    }

    #[test]
    fn autop_and_shortcodes() {
        assert_eq!(autop("a\nb\n\n<h2>c</h2>\n\nd"), "<p>a<br>b</p>\n<h2>c</h2>\n<p>d</p>");
        assert_eq!(
            autop("<!-- wp:paragraph -->\n<p>x</p>\n<!-- /wp:paragraph -->"),
            "<!-- wp:paragraph -->\n<p>x</p>\n<!-- /wp:paragraph -->"
        );
        let ch = Channel::default();
        let pictures = Pictures { channel: &ch, post: "1" };
        let (html, notes) = shortcodes(
            "[caption id=\"a\"]<a href=\"x\"><img src=\"y\"></a> 설명[/caption] [gallery ids=\"1\"] [b",
            &pictures,
        );
        assert_eq!(html, "<figure><a href=\"x\"><img src=\"y\"></a><figcaption>설명</figcaption></figure>  [b");
        assert_eq!(notes.len(), 2, "the missing picture and the empty gallery: {notes:?}");
    }

    const EMBEDS: &[u8] = include_bytes!("../tests/fixtures/import/embeds/wordpress.xml");

    #[test]
    fn embed_blocks_and_galleries_of_the_block_editor() {
        let (_, sink) = run(EMBEDS).expect("read");
        let p = &sink.posts[0];
        assert_eq!(
            p.body,
            "3부두에 새 크레인이 들어섰다. 설치 과정을 영상과 사진으로 모았다.\n\n\
             https://www.youtube.com/watch?v=crane01_xYz\n\n크레인 조립 타임랩스\n\n\
             https://vimeo.com/552200\n\n\
             https://x.com/harbour_desk/status/1722000000000000001\n\n\
             ![빈 부두](https://harbourdesk.example/wp-content/uploads/2025/11/dock.png \"설치 전 3부두\")\n\
             ![올라가는 크레인](https://harbourdesk.example/wp-content/uploads/2025/11/crane.png)\n\
             ![첫 화물선](https://harbourdesk.example/wp-content/uploads/2025/11/ship.png \"사진: 항만 데스크\")\n\n\
             <https://open.spotify.example/episode/7>"
        );
        let w: Vec<&String> = sink.warnings.iter().filter(|w| w.contains("새 크레인")).collect();
        assert_eq!(w.len(), 1, "{:?}", sink.warnings);
        assert!(w[0].ends_with("embed kept as a link (only YouTube, Vimeo, X and Instagram are embedded): https://open.spotify.example/episode/7"), "{}", w[0]);
    }

    #[test]
    fn shortcodes_and_bare_addresses_of_the_classic_editor() {
        let (_, sink) = run(EMBEDS).expect("read");
        let p = &sink.posts[1];
        let dock = "![빈 부두](https://harbourdesk.example/wp-content/uploads/2025/11/dock.png \"설치 전 3부두\")";
        let crane = "![올라가는 크레인](https://harbourdesk.example/wp-content/uploads/2025/11/crane.png)";
        let ship = "![첫 화물선](https://harbourdesk.example/wp-content/uploads/2025/11/ship.png \"첫 화물선 입항\")";
        for want in [
            "새벽 다섯 시, 첫 배가 들어온다.\n\nhttps://www.youtube.com/watch?v=dawn05_abcd\n\n하역 장면은",
            "\n\nhttps://www.youtube.com/watch?v=unload6_efg\n\n에서, 야간 작업은 아래에서 볼 수 있다.",
            "\n\nhttps://www.youtube.com/watch?v=night07_hij\n\nhttps://vimeo.com/552201\n\n\
             https://x.com/port_ops/status/1722000000000000002\n\nhttps://www.instagram.com/p/DockDay_1/\n\n\
             https://vimeo.com/552202\n\n",
            &format!("\n\n{ship}\n{dock}\n{crane}\n\n오후에는"),
            // Without ids: the pictures attached to the post, in their menu order.
            &format!("\n\n{crane}\n{dock}\n\n"),
            "[https://harbourdesk.example/wp-content/uploads/2025/11/horn.mp3](https://harbourdesk.example/wp-content/uploads/2025/11/horn.mp3)\n\n",
            "\\[contact-form-7 id=\"5\" title=\"제보하기\"\\]",
            "\\[자료: 항만공사\\] 하루 물동량은 평소와 같았다.",
        ] {
            assert!(p.body.contains(want), "{want:?} not in\n{}", p.body);
        }
        assert!(!p.body.contains("[/audio]") && !p.body.contains("[youtube"), "{}", p.body);
        let w: Vec<&String> = sink.warnings.iter().filter(|w| w.contains("부두의 하루")).collect();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("[audio mp3=") && w[0].contains("kept as a link to https://"), "{}", w[0]);
        assert!(
            w[1].contains("[contact-form-7 id=\"5\" title=\"제보하기\"] is not converted: left as text"),
            "{}",
            w[1]
        );
    }

    #[test]
    fn hostile_shortcodes_stay_linear_and_never_panic() {
        let ch = Channel::default();
        let pictures = Pictures { channel: &ch, post: "1" };
        let started = std::time::Instant::now();
        for body in [
            "[youtube ".repeat(50_000),
            "[gallery ids=\"".repeat(50_000),
            format!("[youtube={}]", "https://youtu.be/".repeat(50_000)),
            format!("[vimeo {}]", "9".repeat(1_000_000)),
            format!("[gallery ids=\"{}\"]", "1,".repeat(200_000)),
            format!("[x a=\"{}\"][/x]", "b".repeat(1_000_000)),
            "[/][/a][a][ [é [1 ]] [[]] [embed][/embed] [caption][/caption] [tweet] [instagram url=]".repeat(2_000),
        ] {
            let (out, notes) = shortcodes(&body, &pictures);
            assert!(out.len() <= body.len() * 2 + 1024, "{} from {}", out.len(), body.len());
            assert!(notes.iter().all(|n| n.chars().count() < 400), "notes are clipped");
        }
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        assert!(autop(&"https://youtu.be/aaaaaaaaaaa\n".repeat(10_000)).matches("<figure").count() == 10_000);
        let paragraphs =
            "<p>https://youtu.be/aaaaaaaaaaa</p><p> https://vimeo.com/1 </p><p>보기: https://vimeo.com/2</p><p>";
        assert_eq!(
            embed_paragraphs(paragraphs).matches("<figure class=\"wp-block-embed\">").count(),
            2,
            "{}",
            embed_paragraphs(paragraphs)
        );
        assert!(embed_paragraphs(paragraphs).ends_with("<p>보기: https://vimeo.com/2</p><p>"));
        let many = format!("{}가", "<p>".repeat(100_000));
        assert_eq!(embed_paragraphs(&many), many);
    }

    #[test]
    fn many_categories_and_unclosed_shortcodes_stay_linear() {
        let cats: String = (0..50_000)
            .map(|i| format!("<category domain=\"post_tag\">t{}</category><category>c{}</category>", i % 300, i % 300))
            .collect();
        let body = format!(
            "{}[caption]<img src=\"https://x.example/a.png\"> 설명[/caption]",
            "[caption [embed] ".repeat(20_000)
        );
        let xml = format!(
            "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><wp:wxr_version>1.2</wp:wxr_version>\
             <item><title>a</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><content:encoded><![CDATA[{body}]]></content:encoded>{cats}</item></channel></rss>"
        );
        let (_, sink) = run(xml.as_bytes()).expect("read");
        let p = &sink.posts[0];
        assert_eq!(p.tags.len(), 100);
        assert_eq!(p.tags[..2], ["c0", "c1"], "categories first");
        assert!(p.body.contains("설명"), "the closed caption is still read");
        let ch = Channel::default();
        assert_eq!(shortcodes("[caption]x", &Pictures { channel: &ch, post: "1" }).0, "[caption]x");
    }
}
