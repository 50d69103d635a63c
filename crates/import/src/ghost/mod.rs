//! `ghost`: a Ghost Admin export (`{"db":[{"meta":{…},"data":{…}}]}`, Ghost 2 to 5).
//!
//! Read in two streamed passes, so memory holds the small tables and one post at a time,
//! never the export: the first pass keeps `tags`, `users` (name, slug, picture, website —
//! never e-mail, password or anything else), `posts_tags`, `posts_authors`, `posts_meta`
//! (feature image alt and caption) and four settings, `timezone` (dates are written in the
//! publisher's offset), `locale`, and the site's `title` and `description` (the collection's); the second converts each post as it is read. Every
//! other table (members, subscribers, API keys, integrations, the rest of the settings) is
//! skipped unread.
//!
//! Kept: published and scheduled posts (drafts with `--drafts`, marked as drafts; not pages
//! or email-only posts; posts for members only are skipped, as their content is not public), the body from `html`, else
//! `lexical`, else `mobiledoc`, `custom_excerpt` as the dek and summary, tags (internal `#`
//! tags dropped) and authors in their sort order, `feature_image` with its alt and caption,
//! and `__GHOST_URL__` replaced with `--site`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use article_viewer_core::format::{Author, Image};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::html::Converter;
use super::{text, Input, Options, Post, Sink, Source};
use crate::Error;

mod cards;
mod lexical;
mod mobiledoc;

use cards::Refusal;

/// Every field as a loose value: a wrong type in one post is that post's problem, not the
/// export's.
#[derive(Deserialize, Default, Debug)]
pub struct GPost {
    id: Option<Value>,
    title: Option<Value>,
    slug: Option<Value>,
    html: Option<Value>,
    lexical: Option<Value>,
    mobiledoc: Option<Value>,
    plaintext: Option<Value>,
    feature_image: Option<Value>,
    #[serde(rename = "type")]
    kind: Option<Value>,
    page: Option<Value>,
    status: Option<Value>,
    visibility: Option<Value>,
    locale: Option<Value>,
    custom_excerpt: Option<Value>,
    published_at: Option<Value>,
    updated_at: Option<Value>,
    author_id: Option<Value>,
    canonical_url: Option<Value>,
}

#[derive(Deserialize)]
struct Row {
    id: Option<Value>,
    name: Option<Value>,
    slug: Option<Value>,
    visibility: Option<Value>,
    profile_image: Option<Value>,
    website: Option<Value>,
    post_id: Option<Value>,
    tag_id: Option<Value>,
    author_id: Option<Value>,
    sort_order: Option<Value>,
    feature_image_alt: Option<Value>,
    feature_image_caption: Option<Value>,
    key: Option<Value>,
    value: Option<Value>,
}

/// A string or a number as text; anything else is absent.
fn s(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn truthy(v: &Option<Value>) -> bool {
    matches!(v, Some(Value::Bool(true))) || matches!(v, Some(Value::Number(n)) if n.as_i64() == Some(1))
}

#[derive(Default)]
struct Tables {
    version: Option<String>,
    tags: HashMap<String, (String, bool)>,
    users: HashMap<String, Author>,
    user_slugs: HashMap<String, String>,
    posts_tags: HashMap<String, Vec<(i64, String)>>,
    posts_authors: HashMap<String, Vec<(i64, String)>>,
    meta: HashMap<String, (Option<String>, Option<String>)>,
    timezone: Option<String>,
    locale: Option<String>,
    /// The site's own title and description (settings), for the collection.
    title: Option<String>,
    description: Option<String>,
}

impl Tables {
    fn add(&mut self, table: &str, row: Row) {
        let id = s(&row.id);
        match table {
            "tags" => {
                if let (Some(id), Some(name)) = (id, s(&row.name)) {
                    let internal = name.starts_with('#') || s(&row.visibility).as_deref() == Some("internal");
                    self.tags.insert(id, (text::squash(&name), internal));
                }
            }
            "users" => {
                if let (Some(id), Some(name)) = (id, s(&row.name)) {
                    // Only what a byline shows: never e-mail, password, or anything else of a user.
                    let author = Author {
                        name: text::squash(&name),
                        title: None,
                        url: s(&row.website),
                        avatar: s(&row.profile_image),
                    };
                    if let Some(slug) = s(&row.slug) {
                        self.user_slugs.insert(id.clone(), slug);
                    }
                    self.users.insert(id, author);
                }
            }
            "posts_tags" | "posts_authors" => {
                let other = if table == "posts_tags" { s(&row.tag_id) } else { s(&row.author_id) };
                if let (Some(post), Some(other)) = (s(&row.post_id), other) {
                    let order = row.sort_order.as_ref().and_then(Value::as_i64).unwrap_or(0);
                    let map = if table == "posts_tags" { &mut self.posts_tags } else { &mut self.posts_authors };
                    map.entry(post).or_default().push((order, other));
                }
            }
            "posts_meta" => {
                if let Some(post) = s(&row.post_id) {
                    self.meta.insert(post, (s(&row.feature_image_alt), s(&row.feature_image_caption)));
                }
            }
            "settings" => match s(&row.key).as_deref() {
                Some("timezone" | "active_timezone") => self.timezone = s(&row.value),
                Some("locale" | "default_locale" | "lang") => self.locale = s(&row.value),
                Some("title") => self.title = s(&row.value).map(|t| text::squash(&t)),
                Some("description") => self.description = s(&row.value).map(|t| text::squash(&t)),
                _ => {}
            },
            _ => {}
        }
    }
}

/// Which pass: the small tables, or the posts.
enum Pass<'a> {
    Tables(&'a mut Tables),
    Posts(&'a mut dyn FnMut(GPost) -> Result<(), Error>, &'a RefCell<Option<Error>>),
}

const TABLES: [&str; 6] = ["tags", "users", "posts_tags", "posts_authors", "posts_meta", "settings"];

struct Root<'p, 'a>(&'p mut Pass<'a>);
struct Db<'p, 'a>(&'p mut Pass<'a>);
struct Entry<'p, 'a>(&'p mut Pass<'a>);
struct Data<'p, 'a>(&'p mut Pass<'a>);
struct Posts<'p, 'a>(&'p mut Pass<'a>);
struct Rows<'p, 'a>(&'p mut Pass<'a>, String);

#[derive(Deserialize)]
struct Meta {
    version: Option<Value>,
}

impl<'de> DeserializeSeed<'de> for Root<'_, '_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Root<'_, '_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Ghost export: an object with `db`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "db" => {
                    map.next_value_seed(Db(self.0))?;
                    found = true;
                }
                // An export saved without its `db` wrapper.
                "data" => {
                    map.next_value_seed(Data(self.0))?;
                    found = true;
                }
                "meta" => {
                    let meta: Meta = map.next_value()?;
                    if let Pass::Tables(t) = self.0 {
                        t.version = s(&meta.version);
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

impl<'de> DeserializeSeed<'de> for Db<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Db<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`db`: an array of {meta, data}")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Entry(self.0))?.is_some() {}
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Entry<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Entry<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with `meta` and `data`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "data" => map.next_value_seed(Data(self.0))?,
                "meta" => {
                    let meta: Meta = map.next_value()?;
                    if let Pass::Tables(t) = self.0 {
                        t.version = s(&meta.version);
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Data<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Data<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`data`: an object of tables")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let posts = key == "posts" && matches!(self.0, Pass::Posts(..));
            let table = TABLES.contains(&key.as_str()) && matches!(self.0, Pass::Tables(_));
            if posts {
                map.next_value_seed(Posts(self.0))?;
            } else if table {
                map.next_value_seed(Rows(self.0, key))?;
            } else {
                // Everything else, members and keys included, is skipped without being kept.
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Posts<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Posts<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`posts`: an array of posts")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Pass::Posts(each, stop) = self.0 else { return Ok(()) };
        while let Some(post) = seq.next_element::<GPost>()? {
            if let Err(e) = each(post) {
                *stop.borrow_mut() = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Rows<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table: an array of rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Pass::Tables(tables) = self.0 else { return Ok(()) };
        while let Some(row) = seq.next_element::<Row>()? {
            tables.add(&self.1, row);
        }
        Ok(())
    }
}

/// Reads `input` once with `pass`.
fn read_pass(input: &dyn Input, pass: &mut Pass<'_>) -> Result<(), Error> {
    let reader = input.open().map_err(|e| Error::Usage(format!("{}: {e}", input.name())))?;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let found = Root(pass).deserialize(&mut de).and_then(|found| de.end().map(|()| found));
    match found {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::Malformed {
            path: input.name(),
            line: 1,
            column: 1,
            message: "not a Ghost export: no `db`".into(),
        }),
        Err(e) => {
            if let Pass::Posts(_, stop) = pass {
                if let Some(stopped) = stop.borrow_mut().take() {
                    return Err(stopped);
                }
            }
            Err(Error::Malformed {
                path: input.name(),
                line: e.line(),
                column: e.column(),
                message: format!("invalid Ghost export: {}", super::jsonfeed::strip_position(&e)),
            })
        }
    }
}

/// Fixed offsets of the zones Ghost sites in the region use (none keeps daylight saving time);
/// other zones need `--offset`.
fn zone_offset(zone: &str) -> Option<i16> {
    Some(match zone {
        "Asia/Seoul" | "Asia/Tokyo" | "Asia/Pyongyang" => 540,
        "Asia/Shanghai" | "Asia/Hong_Kong" | "Asia/Taipei" | "Asia/Singapore" | "Asia/Manila" => 480,
        "Asia/Bangkok" | "Asia/Jakarta" | "Asia/Ho_Chi_Minh" => 420,
        "Asia/Kolkata" | "Asia/Calcutta" => 330,
        "Etc/UTC" | "UTC" | "Etc/GMT" | "GMT" => 0,
        _ => return None,
    })
}

/// A UTC time (`2025-09-12T00:00:00.000Z`, as Ghost stores them) written at `offset` minutes.
fn at_offset(utc: &str, offset: i16) -> Option<String> {
    let d = article_viewer_core::dates::DateTime::parse(&text::normalize_date(utc, Some(0))?)?;
    let local = d.unix_seconds() + i64::from(offset) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, day) = civil_from_days(days);
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.unsigned_abs();
    let zone = if offset == 0 { "Z".to_string() } else { format!("{sign}{:02}:{:02}", off / 60, off % 60) };
    Some(format!("{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}{zone}", secs / 3600, secs % 3600 / 60, secs % 60))
}

/// Howard Hinnant's inverse of `days_from_civil`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn import(input: &dyn Input, opts: &Options, sink: &mut dyn Sink) -> Result<Source, Error> {
    let mut tables = Tables::default();
    read_pass(input, &mut Pass::Tables(&mut tables))?;
    for list in tables.posts_tags.values_mut().chain(tables.posts_authors.values_mut()) {
        list.sort();
    }
    let offset = match (opts.offset_minutes, tables.timezone.as_deref()) {
        (Some(o), _) => o,
        (None, Some(zone)) => zone_offset(zone).unwrap_or_else(|| {
            sink.warn(&input.name(), format!("the site's time zone {zone:?} keeps daylight saving time; dates stay in UTC (give --offset to choose one)"));
            0
        }),
        (None, None) => 0,
    };
    let ghost_url = match &opts.site {
        Some(site) => site.trim_end_matches('/').to_string(),
        None => String::new(),
    };
    // Ghost writes its own images and links as /content/… or __GHOST_URL__/…: without the
    // site's address they cannot point back at it.
    let mut warned_site = opts.site.is_none();
    if opts.site.is_none() {
        sink.warn(&input.name(), "no --site: Ghost's own addresses (/content/images/…, __GHOST_URL__) are read as paths from the old site's root: links to imported posts and pictures found in content/images (or --assets) follow the move, the rest stay relative to wherever the folder is published (listed in the report)".into());
    }
    let language = opts.language.clone().or(tables.locale.clone());
    let converter = Converter::new();
    let stop = RefCell::new(None);
    let mut each = |p: GPost| -> Result<(), Error> {
        let id = s(&p.id).unwrap_or_default();
        let title = s(&p.title).map(|t| text::squash(&t)).unwrap_or_default();
        let who = super::who(&id, &title);
        let kind = s(&p.kind).unwrap_or_else(|| if truthy(&p.page) { "page".into() } else { "post".into() });
        // Published and scheduled posts come in (a scheduled one's `published_at` is in the
        // future); drafts with `--drafts`, as drafts.
        let draft = match s(&p.status).unwrap_or_default().as_str() {
            "published" | "scheduled" => false,
            "draft" if opts.drafts => true,
            _ => return Ok(()),
        };
        if kind != "post" {
            return Ok(());
        }
        if let Some(v) = s(&p.visibility).filter(|v| v != "public") {
            sink.warn(&who, format!("skipped: visible to {v} only, so its content is not public"));
            return Ok(());
        }
        let Some(html) = body_html(&p, &who, sink) else { return Ok(()) };
        if ghost_url.is_empty() && !warned_site && html.contains("__GHOST_URL__") {
            warned_site = true;
            sink.warn(
                &input.name(),
                "__GHOST_URL__ found: give --site so its links and images point at the site".into(),
            );
        }
        let fix = |s: String| -> String { s.replace("__GHOST_URL__", &ghost_url) };
        let html = fix(html);
        if html.trim().is_empty() {
            sink.warn(&who, "skipped: no content (neither html, lexical nor mobiledoc)".into());
            return Ok(());
        }
        let base = opts.site.as_deref();
        let converted = converter.convert(&html, base, true);
        for n in &converted.notes {
            sink.warn(&who, n.clone());
        }
        let date = |raw: Option<String>, field: &str, sink: &mut dyn Sink| {
            let raw = raw?;
            let d = at_offset(&raw, offset);
            if d.is_none() {
                sink.warn(&who, format!("{field} {:?} is not a date; left out", text::clip(&raw, 40)));
            }
            d
        };
        let published = date(s(&p.published_at), "published_at", sink);
        let updated = date(s(&p.updated_at), "updated_at", sink);
        let tags: Vec<String> = tables
            .posts_tags
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|(_, t)| tables.tags.get(t))
            .filter(|(_, internal)| !internal)
            .map(|(name, _)| name.clone())
            .collect();
        let mut author_ids: Vec<String> =
            tables.posts_authors.get(&id).into_iter().flatten().map(|(_, a)| a.clone()).collect();
        if author_ids.is_empty() {
            author_ids.extend(s(&p.author_id));
        }
        let authors: Vec<Author> = author_ids
            .iter()
            .filter_map(|a| {
                let mut author = tables.users.get(a)?.clone();
                author.avatar = author.avatar.map(fix).map(|u| absolute(&u, base));
                // The author's page on the site (their website is not the byline's link).
                author.url = match (tables.user_slugs.get(a), base) {
                    (Some(slug), Some(site)) => Some(format!("{site}author/{slug}/")),
                    _ => author.url,
                };
                Some(author)
            })
            .collect();
        let (alt, caption) = tables.meta.get(&id).cloned().unwrap_or_default();
        let image = s(&p.feature_image).map(|src| Image {
            src: absolute(&fix(src), base),
            alt: alt.map(|a| text::squash(&a)),
            caption: caption.map(|c| converter.inline(&fix(c), base)).filter(|c| !c.is_empty()),
            ..Image::default()
        });
        let excerpt = s(&p.custom_excerpt).map(|e| text::squash(&e));
        let slug = s(&p.slug).unwrap_or_default();
        // Ghost's own address for a post is `/{slug}/` (the default route); the canonical
        // URL counts when it is on the site.
        let own = (!slug.is_empty()).then(|| format!("/{slug}/"));
        let canonical = s(&p.canonical_url).map(fix);
        let mut aliases = Vec::new();
        super::aliases::push(&mut aliases, own.as_deref().and_then(|o| super::aliases::alias_of(o, None)));
        if let Some(c) = &canonical {
            super::aliases::push(&mut aliases, super::aliases::alias_of(c, base));
        }
        let url = canonical.or_else(|| base.map(|b| format!("{b}{slug}/")));
        let summary = excerpt.clone();
        let post = Post {
            id,
            slug,
            title,
            subtitle: excerpt,
            summary,
            language: s(&p.locale).or(language.clone()),
            url,
            aliases,
            published,
            updated,
            draft,
            authors,
            tags,
            image,
            editors_pick: converted.pick,
            body: converted.markdown,
            ..Post::default()
        };
        sink.post(post)
    };
    read_pass(input, &mut Pass::Posts(&mut each, &stop))?;
    Ok(Source { title: tables.title.clone(), description: tables.description.clone(), language })
}

/// A post's body as HTML: `html`, else `lexical`, else `mobiledoc` rendered, else
/// `plaintext` in paragraphs. `None` (with a warning) when the post is skipped: its lexical
/// or mobiledoc renders to more than its bound.
fn body_html(p: &GPost, who: &str, sink: &mut dyn Sink) -> Option<String> {
    let html = s(&p.html).unwrap_or_default();
    if !html.trim().is_empty() {
        return Some(html);
    }
    let (field, rendered) = match (s(&p.lexical), s(&p.mobiledoc)) {
        (Some(l), _) => ("lexical", lexical::lexical_html(&l)),
        (None, Some(m)) => ("mobiledoc", mobiledoc::mobiledoc_html(&m)),
        _ => {
            return Some(
                s(&p.plaintext)
                    .map(|t| {
                        article_viewer_publish::html::escape(&t).split("\n\n").map(|x| format!("<p>{x}</p>")).collect()
                    })
                    .unwrap_or_default(),
            )
        }
    };
    match rendered {
        Ok(html) => Some(html),
        // Broken JSON leaves the post without a body (it is then skipped as empty).
        Err(Refusal::Invalid(e)) => {
            sink.warn(who, format!("{field}: {e}"));
            Some(String::new())
        }
        Err(Refusal::Expands(e)) => {
            sink.warn(who, format!("skipped: {field} {e}"));
            None
        }
    }
}

fn absolute(url: &str, base: Option<&str>) -> String {
    match base {
        Some(b) if article_viewer_core::urls::scheme_of(url).is_none() => article_viewer_core::urls::resolve(b, url),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BytesInput, Collect};

    fn run(bytes: &[u8], site: Option<&str>) -> Result<(Source, Collect), Error> {
        let mut sink = Collect::default();
        let opts = Options { site: site.map(str::to_string), ..Options::default() };
        let source = import(&BytesInput(bytes), &opts, &mut sink)?;
        Ok((source, sink))
    }

    const GHOST5: &[u8] = include_bytes!("../../tests/fixtures/import/ghost/ghost-5.json");

    const EMBEDS: &[u8] = include_bytes!("../../tests/fixtures/import/embeds/ghost.json");

    #[test]
    fn embed_and_bookmark_cards_and_galleries_from_html() {
        let (_, sink) = run(EMBEDS, Some("https://market.example/")).expect("read");
        let p = &sink.posts[0];
        assert_eq!(
            p.body,
            "야시장이 석 달 만에 다시 열렸다. 개장 첫날을 영상과 사진으로 전한다.\n\n\
             https://www.youtube.com/watch?v=mktOpen1_aA\n\n개장 첫날 밤\n\n\
             https://vimeo.com/880011\n\n\
             https://x.com/market_guild/status/1855000000000000003\n\n\
             https://www.instagram.com/p/NightMkt_9/\n\n\
             ![붐비는 시장 골목](https://market.example/content/images/2025/11/market.png)\n\
             ![떡볶이 노점](https://market.example/content/images/2025/11/stall.png)\n\
             ![줄지어 걸린 등](https://market.example/content/images/2025/11/lanterns.png \"사진: 시장 상인회\")\n\n\
             [도시의 야시장 지도](https://citynews.example/night-markets)\\\n올해 문을 연 야시장 열두 곳을 정리했다.\n\n\
             <https://w.soundcloud.example/player/?url=tracks%2F42>\n\n\
             시장은 매주 금요일과 토요일 밤에 열린다."
        );
        let w: Vec<&String> = sink.warnings.iter().filter(|w| w.contains("야시장이 돌아왔다")).collect();
        assert_eq!(w.len(), 1, "{:?}", sink.warnings);
        assert!(w[0].ends_with(": https://w.soundcloud.example/player/?url=tracks%2F42"), "{}", w[0]);
    }

    #[test]
    fn embed_and_bookmark_cards_and_galleries_from_lexical() {
        let (_, sink) = run(EMBEDS, Some("https://market.example/")).expect("read");
        assert_eq!(
            sink.posts[1].body,
            "둘째 주에는 더 많은 상인이 왔다.\n\n\
             https://www.youtube.com/watch?v=mktWeek2_bB\n\n둘째 주 풍경\n\n\
             https://x.com/market_guild/status/1856000000000000004\n\n\
             ![등불](https://market.example/content/images/2025/11/lanterns.png)\n\
             ![시장 입구](https://market.example/content/images/2025/11/market.png \"둘째 주의 시장\")\n\n\
             https://www.youtube.com/watch?v=mktRecap3cC\n\n\
             [상인회 공지](https://guild.example/notice)\\\n영업 시간이 바뀌었다."
        );
    }

    #[test]
    fn published_posts_only_with_the_seed_articles_parts() {
        let (source, sink) = run(GHOST5, Some("https://newsroom.example/")).expect("read");
        assert_eq!(source.language.as_deref(), Some("ko"));
        assert_eq!(source.title.as_deref(), Some("보안 뉴스룸"), "the site's own title, from its settings");
        let p = &sink.posts;
        let titles: Vec<&str> = p.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "인공지능 강자 오픈AI, 옛 강자 오라클과 손 잡다",
                "구글의 인공지능 버그 사냥꾼, 최초 보고서까지 발행",
                "토렌트, OSINT로서의 가치 충분",
                "날짜가 깨진 글",
                "갑자기 비밀번호 변경하라고? 인스타그램 사용자들 ‘불안’",
                "예약된 글"
            ]
        );
        let a = &p[0];
        assert_eq!(a.slug, "openai-oracle-partnership");
        assert_eq!(a.aliases, ["/openai-oracle-partnership/"], "Ghost's own /slug/ address");
        assert!(p.iter().all(|p| !p.draft));
        assert_eq!(a.url.as_deref(), Some("https://newsroom.example/openai-oracle-partnership/"));
        // UTC in the export, written in the site's zone (Asia/Seoul).
        assert_eq!(a.published.as_deref(), Some("2025-09-12T09:00:00+09:00"));
        assert_eq!(a.updated.as_deref(), Some("2025-09-12T12:30:00+09:00"));
        assert_eq!(a.tags, vec!["AI", "클라우드"], "sort order, internal tag dropped");
        let names: Vec<&str> = a.authors.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["문가용", "김서연"]);
        assert_eq!(a.authors[0].avatar.as_deref(), Some("https://newsroom.example/content/images/2025/01/moon.png"));
        assert_eq!(a.authors[0].url.as_deref(), Some("https://newsroom.example/author/moon/"));
        let image = a.image.clone().expect("hero");
        assert_eq!(image.src, "https://newsroom.example/content/images/2025/09/handshake.jpg");
        assert_eq!(image.alt.as_deref(), Some("악수하는 두 손"));
        assert_eq!(image.caption.as_deref(), Some("Photo by [Nik](https://unsplash.com/@nik?utm_source=ghost) / [Unsplash](https://unsplash.com/?utm_source=ghost)"));
        assert_eq!(
            a.subtitle.as_deref(),
            Some("오픈AI가 5년간 3천억 달러를 오라클에 쓴다. 신규 강자와 한 세대 전 강자의 맞잡은 손.")
        );
        let pick = a.editors_pick.clone().expect("pick");
        assert_eq!(
            pick.items,
            vec![
                "오픈AI, 5년 간 3천억 달러 투자",
                "많은 클라우드 업체와 손 잡고 있는데 굳이?",
                "가장 궁금한 에너지 문제에 대해서는 아직 침묵"
            ]
        );
        assert!(a.body.starts_with("‘엥?’ 소리가"), "{}", a.body);
        assert!(a.body.contains("![오라클 주가 차트](https://newsroom.example/content/images/2025/09/oracle-stock.png \"오라클 주가가 하루만에 36% 상승했다 [자료: 오라클]\")"), "{}", a.body);
        assert!(a.body.contains("> [!TIP]\n> 💡 **여기서 잠깐!**\n>\n> 오픈AI가 아마존"), "{}", a.body);
        assert!(
            a.body.contains("## 오픈AI의 과제") && a.body.ends_with("\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            "{}",
            a.body
        );
        assert!(!a.body.contains("__GHOST_URL__") && !a.body.contains("ghostTrack"));
    }

    #[test]
    fn drafts_come_in_as_drafts_only_when_asked() {
        let mut sink = Collect::default();
        let opts = Options { site: Some("https://newsroom.example/".into()), drafts: true, ..Options::default() };
        import(&BytesInput(GHOST5), &opts, &mut sink).expect("read");
        let drafts: Vec<&str> = sink.posts.iter().filter(|p| p.draft).map(|p| p.title.as_str()).collect();
        assert_eq!(drafts.len(), 1, "{drafts:?}");
        assert_eq!(sink.posts.len(), 7);
    }

    #[test]
    fn lexical_and_mobiledoc_bodies() {
        let (_, sink) = run(GHOST5, Some("https://newsroom.example/")).expect("read");
        let lex = &sink.posts[1];
        assert_eq!(lex.slug, "구글-빅슬립-보고서");
        assert_eq!(
            lex.editors_pick.as_ref().map(|p| p.items.clone()),
            Some(vec!["구글의 빅슬립, 20개 취약점 발견".to_string(), "자동화 취약점 탐지의 시대".to_string()])
        );
        for want in [
            "구글의 **인공지능 버그 헌터**가 처음으로",
            "## 무엇을 찾았나",
            "- FFmpeg 취약점\n- [*ImageMagick*](https://project.example/zero)",
            "```bash\n$ bigsleep --scan ./src\n20 findings\n```",
            "![보고서 표지](https://newsroom.example/content/images/2025/08/bigsleep.png \"빅슬립 보고서 [자료: 구글]\")",
            "| 항목 | 수 |\n|---|---|\n| 취약점 | 20 |",
            "> [!NOTE]\n> **빅슬립이란?**\n>\n> 구글 딥마인드와",
            "[빅슬립 원문 발표](https://security.example/bigsleep)",
        ] {
            assert!(lex.body.contains(want), "{want:?} not in\n{}", lex.body);
        }
        let mob = &sink.posts[2];
        for want in ["토렌트 메타데이터를 **오픈소스 인텔리전스**로 활용할 수 있다는 [연구](https://osint.example/torrent) 결과가", "![토렌트 트래픽](https://newsroom.example/content/images/2024/10/torrent.png \"기업망의 토렌트 트래픽\")", "## 점검할 것", "- 기업 망의 토렌트 트래픽", "HTML 카드 *내용*"] {
            assert!(mob.body.contains(want), "{want:?} not in\n{}", mob.body);
        }
        assert_eq!(mob.published.as_deref(), Some("2024-10-03T08:30:00+09:00"));
    }

    #[test]
    fn embed_bookmark_and_gallery_cards_from_mobiledoc() {
        let doc = serde_json::json!({
            "version": "0.3.1", "atoms": [], "markups": [],
            "cards": [
                ["embed", {"url": "https://vimeo.com/880012", "html": "<iframe src=\"https://player.vimeo.com/video/880012\"></iframe>", "caption": "인터뷰"}],
                ["gallery", {"images": [{"src": "https://cdn.example/1.jpg", "alt": "하나"}, {"src": "https://cdn.example/2.jpg", "alt": "둘"}], "caption": "<em>모두</em>"}],
                ["bookmark", {"url": "https://news.example/b", "metadata": {"title": "제목", "description": "설명"}}],
                ["embed", {"url": "https://maps.example/m", "html": ""}]
            ],
            "sections": [[10, 0], [10, 1], [10, 2], [10, 3]]
        });
        let html = mobiledoc::mobiledoc_html(&doc.to_string()).expect("html");
        let c = Converter::new().convert(&html, None, false);
        assert_eq!(
            c.markdown,
            "https://vimeo.com/880012\n\n인터뷰\n\n![하나](https://cdn.example/1.jpg)\n![둘](https://cdn.example/2.jpg \"모두\")\n\n\
             [제목](https://news.example/b)\\\n설명\n\n<https://maps.example/m>"
        );
        assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
    }

    #[test]
    fn skips_and_warnings_name_the_post() {
        let (_, sink) = run(GHOST5, Some("https://newsroom.example/")).expect("read");
        let w = sink.warnings.join("\n");
        assert!(w.contains("\"66e2a1f0c0ffee0001a1b2c8\" (유료 회원 전용 분석): skipped: visible to paid only"), "{w}");
        assert!(w.contains("(날짜가 깨진 글): published_at \"2025-02-30 25:00:00\" is not a date"), "{w}");
        assert_eq!(sink.posts[3].published, None);
    }

    #[test]
    fn nothing_private_is_copied() {
        let (_, sink) = run(GHOST5, Some("https://newsroom.example/")).expect("read");
        let all = format!("{:?}", sink.posts);
        for secret in [
            "@newsroom.example",
            "SECRET",
            "subscriber",
            "구독자",
            "$2a$",
            "db_hash",
            "secretAnalytics",
            "보안 뉴스룸",
            "moon.example",
        ] {
            assert!(!all.contains(secret), "{secret} was copied");
        }
    }

    #[test]
    fn ghost_2_exports() {
        let (source, sink) = run(include_bytes!("../../tests/fixtures/import/ghost/ghost-2.json"), None).expect("read");
        assert_eq!(source.language.as_deref(), Some("en"));
        assert_eq!(sink.posts.len(), 1, "the page is skipped");
        let p = &sink.posts[0];
        assert_eq!(p.body, "HTML 본문이 먼저다.");
        assert_eq!(p.authors[0].name, "Ghost Writer");
        assert_eq!(p.image.as_ref().map(|i| i.src.as_str()), Some("/content/images/2018/08/cover.jpg"));
        // Europe/London keeps daylight saving time: the dates stay in UTC, with a warning.
        assert_eq!(p.published.as_deref(), Some("2018-08-20T12:11:00Z"));
        assert!(sink.warnings.iter().any(|w| w.contains("Europe/London")), "{:?}", sink.warnings);
    }

    #[test]
    fn ghost_4_mobiledoc_cards() {
        let (_, sink) =
            run(include_bytes!("../../tests/fixtures/import/ghost/ghost-4.json"), Some("https://g4.example/"))
                .expect("read");
        assert_eq!(sink.posts.len(), 1, "the page is skipped");
        let p = &sink.posts[0];
        assert_eq!(
            p.editors_pick.as_ref().map(|k| k.items.clone()),
            Some(vec!["패스키는 피싱에 강하다".to_string(), "비밀번호 없는 로그인".to_string()])
        );
        assert_eq!(p.body, "패스키가 *피싱*을 끝낼 수 있을까.\n\n> [!NOTE]\n> **패스키란?**\n>\n> 공개키 기반의 로그인 수단이다.\n\n> [!WARNING]\n> ⚠️ **주의**\n>\n> 기기를 잃어버리면 복구 절차가 필요하다.");
        assert_eq!(p.published.as_deref(), Some("2023-11-15T07:00:00+09:00"));
        assert_eq!(
            p.image.as_ref().map(|i| (i.src.as_str(), i.alt.is_none())),
            Some(("https://g4.example/content/images/2023/11/passkey.png", true))
        );
        assert_eq!((p.tags.clone(), p.authors[0].name.clone()), (vec!["보안".to_string()], "박준호".to_string()));
    }

    #[test]
    fn malformed_exports_say_where() {
        let e = run(include_bytes!("../../tests/fixtures/import/ghost/truncated.json"), None)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("input:") && e.contains("invalid Ghost export: EOF while parsing"), "{e}");
        let e = run(b"{\"posts\": []}", None).map(|_| ()).unwrap_err().to_string();
        assert_eq!(e, "input:1:1: not a Ghost export: no `db`");
        let e = run(b"{\"db\": [{\"data\": {\"posts\": [1]}}]}", None).map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("invalid Ghost export"), "{e}");
    }

    #[test]
    fn utc_to_the_sites_offset() {
        assert_eq!(at_offset("2025-12-31T20:00:00.000Z", 540).as_deref(), Some("2026-01-01T05:00:00+09:00"));
        assert_eq!(at_offset("2025-03-01T02:00:00Z", -300).as_deref(), Some("2025-02-28T21:00:00-05:00"));
        assert_eq!(at_offset("2024-02-29T00:00:00Z", 0).as_deref(), Some("2024-02-29T00:00:00Z"));
    }

    fn one_post(doc: &Value, field: &str) -> Vec<u8> {
        let post = serde_json::json!({"id": "p1", "title": "카드", "slug": "p1", "type": "post", "status": "published", "visibility": "public", field: doc.to_string()});
        serde_json::json!({"db": [{"meta": {"version": "5.0.0"}, "data": {"posts": [post]}}]}).to_string().into_bytes()
    }

    #[test]
    fn a_card_named_over_and_over_is_refused_not_rendered() {
        let card = serde_json::json!(["html", {"html": format!("<p>{}</p>", "x".repeat(10_000))}]);
        let sections: Vec<Value> = (0..100_000).map(|_| serde_json::json!([10, 0])).collect();
        let doc = serde_json::json!({"version": "0.3.1", "cards": [card], "sections": sections});
        let json = doc.to_string();
        match mobiledoc::mobiledoc_html(&json) {
            Err(Refusal::Expands(e)) => assert!(e.contains("more than"), "{e}"),
            other => panic!("not refused: {:?}", other.map(|h| h.len())),
        }
        let (_, sink) = run(&one_post(&doc, "mobiledoc"), None).expect("read");
        assert!(sink.posts.is_empty());
        assert!(
            sink.warnings.iter().any(|w| w.contains("\"p1\" (카드): skipped: mobiledoc renders to more than")),
            "{:?}",
            sink.warnings
        );
        // Named a few times, it is rendered each time.
        let twice = serde_json::json!({"version": "0.3.1", "cards": [card], "sections": [[10, 0], [10, 0]]});
        assert_eq!(mobiledoc::mobiledoc_html(&twice.to_string()).expect("html").matches("<p>").count(), 2);
    }

    #[test]
    fn a_markup_opened_over_and_over_is_refused() {
        let link = serde_json::json!(["a", ["href", format!("https://x.example/{}", "a".repeat(2_000))]]);
        // One marker opening the link 50,000 times, and 50,000 markers opening it once.
        let refs: Vec<u32> = vec![0; 50_000];
        let markers: Vec<Value> = (0..50_000).map(|_| serde_json::json!([0, [0], 1, "x"])).collect();
        for section in [serde_json::json!([1, "p", [[0, refs, 0, "x"]]]), serde_json::json!([1, "p", markers])] {
            let doc = serde_json::json!({"version": "0.3.1", "markups": [link], "sections": [section]});
            assert!(matches!(mobiledoc::mobiledoc_html(&doc.to_string()), Err(Refusal::Expands(_))));
        }
        let bad = mobiledoc::mobiledoc_html("{\"cards\": []}");
        assert_eq!(bad, Err(Refusal::Invalid("no sections".into())));
    }

    #[test]
    fn lexical_is_bounded_the_same_way() {
        let text = serde_json::json!({"type": "text", "text": "가", "format": 1});
        let para = serde_json::json!({"type": "paragraph", "children": vec![text; 1000]});
        let doc = serde_json::json!({"root": {"type": "root", "children": vec![para; 10]}});
        let html = lexical::lexical_html(&doc.to_string()).expect("html");
        assert_eq!(html.matches("<strong>가</strong>").count(), 10_000);
        let (_, sink) = run(&one_post(&doc, "lexical"), None).expect("read");
        assert_eq!(sink.posts.len(), 1);
    }
}
