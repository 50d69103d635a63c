//! The content folder an import writes: one article per post (`articles/<slug>.json`), the
//! images it copied (`images/…`), and the collection (`index.json`). Everything is written
//! into a temporary folder beside `--out` and renamed into place at the end, so a failed
//! import leaves nothing half-written. Every document is read back with the viewer's own
//! parser before it counts as written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use article_viewer_core::dates::DateTime;
use article_viewer_core::format::{
    parse_document, write_document, Article, Collection, Date, Document, Image, Summary,
};

use super::pictures::{Folder, Found, Pictures};
use super::report::Picture;
use super::{dests, links, related, text, Post, Sink, Source};
use crate::Error;

/// What the collection and the Read more cards need of each written post.
struct Meta {
    id: String,
    slug: String,
    /// The collection entry (paths relative to the folder's root).
    summary: Summary,
    when: Option<i64>,
    related: Vec<String>,
}

/// Writes posts as they come (a [`Sink`]); [`Writer::finish`] adds the Read more cards and
/// the collection.
pub struct Writer {
    root: PathBuf,
    related: usize,
    metas: Vec<Meta>,
    slugs: HashSet<String>,
    /// The next `-N` to try for a slug taken before (so a thousand posts with one title do
    /// not each try every number from 2 again).
    next_suffix: HashMap<String, usize>,
    ids: HashSet<String>,
    /// The pictures copied, and the old site's hosts.
    pictures: Pictures,
    /// Each old address taken, by the post that took it first (in messages).
    aliases: HashMap<String, String>,
    pub warnings: usize,
    pub skipped: usize,
    /// Posts written as drafts, as scheduled (published in the future), and aliases written.
    pub drafts: usize,
    pub scheduled: usize,
    pub alias_count: usize,
    /// The time against which a post counts as scheduled (Unix seconds).
    now: i64,
    /// What the import report says of each post and warning.
    pub report: super::report::Report,
}

/// What [`Writer::finish`] wrote.
pub struct Written {
    pub posts: usize,
    pub skipped: usize,
    pub warnings: usize,
    pub drafts: usize,
    pub scheduled: usize,
    pub aliases: usize,
    pub report: super::report::Report,
}

/// A URL relative to the folder's root, as seen from `articles/`.
fn from_articles(url: &str) -> String {
    if is_relative(url) {
        format!("../{url}")
    } else {
        url.to_string()
    }
}

fn is_relative(url: &str) -> bool {
    article_viewer_core::urls::scheme_of(url).is_none() && !url.starts_with('/') && !url.starts_with('#')
}

fn date(raw: &Option<String>) -> Option<Date> {
    let raw = raw.as_ref()?;
    Some(Date { raw: raw.clone(), at: DateTime::parse(raw)? })
}

impl Writer {
    pub fn new(root: &Path, related: usize) -> Writer {
        Writer {
            root: root.to_path_buf(),
            related,
            metas: Vec::new(),
            slugs: HashSet::new(),
            next_suffix: HashMap::new(),
            ids: HashSet::new(),
            pictures: Pictures::new(root, Vec::new()),
            aliases: HashMap::new(),
            warnings: 0,
            skipped: 0,
            drafts: 0,
            scheduled: 0,
            alias_count: 0,
            report: super::report::Report::default(),
            now: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        }
    }

    /// The post's aliases that no earlier post claimed; each one claimed before is dropped
    /// with a warning naming both posts.
    fn claim_aliases(&mut self, who: &str, aliases: Vec<String>) -> Vec<String> {
        let mut kept = Vec::new();
        for alias in aliases {
            let key = super::aliases::same_address(&alias);
            match self.aliases.get(&key) {
                Some(first) => {
                    let first = first.clone();
                    self.warn(who, format!("alias {alias} left out: {first} claims the same old address"));
                }
                None => {
                    self.aliases.insert(key, who.to_string());
                    kept.push(alias);
                }
            }
        }
        self.alias_count += kept.len();
        kept
    }

    /// A slug no other post has (compared without case: some file systems ignore it), within
    /// [`text::SLUG_BYTES`], and never a name Windows keeps for a device (`con`, `lpt1`...),
    /// nor `index` (the collection's name).
    fn unique_slug(&mut self, post: &Post) -> String {
        let base = [&post.slug, &post.title, &post.id]
            .iter()
            .map(|s| text::slugify(s))
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| "post".to_string());
        let base = if base == "index" || text::is_device_name(&base) { format!("{base}-post") } else { base };
        if self.slugs.insert(base.to_lowercase()) {
            return base;
        }
        let key = base.to_lowercase();
        let mut n = self.next_suffix.get(&key).copied().unwrap_or(2);
        loop {
            let slug = text::with_suffix(&base, n);
            n += 1;
            if self.slugs.insert(slug.to_lowercase()) {
                self.next_suffix.insert(key, n);
                return slug;
            }
        }
    }

    fn write(&self, rel: &str, text: &str) -> Result<(), Error> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        }
        std::fs::write(&path, text).map_err(Error::io(&path))
    }

    /// `document` as text, after the viewer's parser has read it back without a complaint;
    /// `Err` holds the viewer's reason for refusing it (over the 48 MB limit, say).
    fn checked(&mut self, who: &str, document: &Document) -> Result<String, article_viewer_core::format::FormatError> {
        let text = write_document(document);
        let parsed = parse_document(&text)?;
        for w in parsed.warnings {
            self.warn(who, format!("the viewer drops {w}"));
        }
        Ok(text)
    }

    /// Where the pictures the posts use are looked up, and the old site's address (`--site`).
    pub fn look_for_pictures(&mut self, folders: Vec<Folder>, site: Option<&str>) {
        let old = std::mem::take(&mut self.pictures.old);
        self.pictures = Pictures::new(&self.root, folders);
        self.pictures.old = old;
        if let Some(site) = site {
            self.pictures.old.add(site);
        }
    }

    /// The pictures `post` uses (its hero, its body's images, its authors' pictures) copied
    /// where they are found, their references made the copies'; what became of each.
    fn bring_pictures(&mut self, post: &mut Post) -> Vec<Picture> {
        let mut notes = Notes::default();
        // The Markdown folder's own pictures (relative paths), named by the importer.
        let mut named: HashMap<String, Result<String, String>> = HashMap::new();
        for (source, wanted) in std::mem::take(&mut post.assets) {
            if let std::collections::hash_map::Entry::Vacant(slot) = named.entry(wanted) {
                let copy = self.pictures.copy(&source, slot.key());
                slot.insert(copy);
            }
        }
        if let Some(mut image) = post.image.take() {
            match self.judge(&image.src, "", &named, true, &mut notes) {
                Judged::Keep => post.image = Some(image),
                Judged::Replace(src) => {
                    image.src = src;
                    post.image = Some(image);
                }
                Judged::Drop => {}
            }
        }
        for a in &mut post.authors {
            if let Some(Found::Copied(rel)) = a.avatar.as_deref().map(|s| self.pictures.place(s)) {
                a.avatar = Some(dests::encode(&rel));
            }
        }
        let mut edits = Vec::new();
        for d in dests::find(&post.body) {
            let picture = match d.role {
                dests::Role::Image => true,
                dests::Role::Autolink => false,
                _ => super::pictures::is_picture_name(&d.url),
            };
            if !picture {
                continue;
            }
            // A link to a picture file is rewritten only when it was copied: else the links
            // pass lists it with the other links to the old site.
            let quiet = d.role == dests::Role::Link;
            let mut sink = Notes::default();
            let judged = self.judge(&d.url, "../", &named, false, if quiet { &mut sink } else { &mut notes });
            if quiet {
                notes.merge(sink.list.into_iter().filter(|n| n.outcome == "copied"));
            }
            if let Judged::Replace(with) = judged {
                edits.push((d.at, with));
            }
        }
        if !edits.is_empty() {
            post.body = dests::apply(&post.body, &edits);
        }
        notes.list
    }

    /// What becomes of one picture reference; `prefix` leads from where it is written to the
    /// content folder's root (`../` in a body). `hero`: a reference that cannot work is dropped.
    fn judge(
        &mut self,
        src: &str,
        prefix: &str,
        named: &HashMap<String, Result<String, String>>,
        hero: bool,
        notes: &mut Notes,
    ) -> Judged {
        let src = src.trim();
        let relative = article_viewer_core::urls::scheme_of(src).is_none()
            && !src.starts_with('/')
            && !src.starts_with('#')
            && !src.is_empty();
        if relative {
            let inner = src.strip_prefix(prefix).unwrap_or(src);
            let inner = inner.split(['?', '#']).next().unwrap_or(inner);
            return match named.get(&text::percent_decode(inner)) {
                Some(Ok(copy)) => {
                    notes.add(src, "copied", Some(copy.clone()), None);
                    let with = format!("{prefix}{}", dests::encode(copy));
                    if with == src {
                        Judged::Keep
                    } else {
                        Judged::Replace(with)
                    }
                }
                Some(Err(why)) => {
                    notes.add(
                        src,
                        "missing",
                        None,
                        Some(format!("{why}; {}", if hero { "dropped" } else { "left as written" })),
                    );
                    if hero {
                        Judged::Drop
                    } else {
                        Judged::Keep
                    }
                }
                None => {
                    notes.add(src, "missing", None, Some("not a file beside the post; left as written".into()));
                    Judged::Keep
                }
            };
        }
        match self.pictures.place(src) {
            Found::Copied(copy) => {
                let with = format!("{prefix}{}", dests::encode(&copy));
                notes.add(src, "copied", Some(copy), None);
                Judged::Replace(with)
            }
            Found::Remote => {
                notes.add(src, "remote", None, Some("on another site; left there".into()));
                Judged::Keep
            }
            Found::Missing(why) => {
                let absolute = article_viewer_core::urls::scheme_of(src).is_some() || src.starts_with("//");
                let (what, judged) = match (absolute, hero) {
                    (true, _) => ("left at its old address", Judged::Keep),
                    (false, true) => ("dropped: nothing to resolve the path against", Judged::Drop),
                    (false, false) => ("left as written", Judged::Keep),
                };
                notes.add(src, "missing", None, Some(format!("{why}; {what}")));
                judged
            }
            Found::Other => Judged::Keep,
        }
    }

    /// Makes links between posts the new pages', adds the Read more cards, writes
    /// `index.json`, and says what was written.
    pub fn finish(mut self, source: &Source) -> Result<Written, Error> {
        let picks = self.pick_related();
        let mut pages = links::Pages::default();
        for entry in &self.report.posts {
            for alias in &entry.aliases {
                pages.add(&entry.slug, alias);
            }
        }
        for (i, picked) in picks.iter().enumerate() {
            self.finish_article(i, picked, &pages)?;
        }
        // Newest first; undated posts after the dated ones, in the source's order.
        let mut order: Vec<usize> = (0..self.metas.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(self.metas[i].when.map(|w| (1, w)).unwrap_or((0, 0))), i));
        // The summaries move into the collection (this is the import's largest moment: the
        // collection, its text, and the parser's reading of it).
        let mut summaries: Vec<Option<Summary>> =
            std::mem::take(&mut self.metas).into_iter().map(|m| Some(m.summary)).collect();
        let posts = summaries.len();
        let collection = Collection {
            title: source.title.clone().filter(|t| !t.trim().is_empty()),
            description: source.description.clone().filter(|t| !t.trim().is_empty()),
            language: source.language.clone().filter(|t| !t.trim().is_empty()),
            articles: order.iter().filter_map(|&i| summaries[i].take()).map(Rc::new).collect(),
            archive: None,
        };
        if posts == 0 {
            return Err(Error::Usage(format!(
                "no post was imported ({} skipped; see the warnings above): is it the right kind of archive?",
                self.skipped
            )));
        }
        let text = self
            .checked("index.json", &Document::Collection(collection))
            .map_err(|error| Error::Refused { path: PathBuf::from("index.json"), error })?;
        self.write("index.json", &text)?;
        Ok(Written {
            posts,
            skipped: self.skipped,
            warnings: self.warnings,
            drafts: self.drafts,
            scheduled: self.scheduled,
            aliases: self.alias_count,
            report: {
                let mut report = std::mem::take(&mut self.report);
                report.picture_files = self.pictures.files;
                report
            },
        })
    }

    /// The `i`-th article read back: its links to other posts' old addresses made links to
    /// their pages (and the rest listed), its Read more cards added, and written again.
    fn finish_article(&mut self, i: usize, picked: &[usize], pages: &links::Pages) -> Result<(), Error> {
        let rel = format!("articles/{}.json", self.metas[i].slug);
        let path = self.root.join(&rel);
        let old = std::fs::read_to_string(&path).map_err(Error::io(&path))?;
        let mut article = match parse_document(&old) {
            Ok(p) => match p.document {
                Document::Article(a) => a,
                Document::Collection(_) => return Ok(()),
            },
            Err(error) => return Err(Error::Refused { path, error }),
        };
        let moved = links::rewrite(&article.body, &self.pictures.old, pages);
        let relinked = moved.body.is_some();
        if let Some(body) = moved.body {
            article.body = body;
        }
        if let Some(entry) = self.report.posts.get_mut(i) {
            entry.links_rewritten = moved.rewritten;
            entry.links_left = moved.left;
        }
        if picked.is_empty() && !relinked {
            return Ok(());
        }
        let without_cards = relinked.then(|| article.clone());
        article.related = picked
            .iter()
            .map(|&j| {
                let m = &self.metas[j];
                let mut s = m.summary.clone();
                s.href = Some(format!("{}.json", m.slug));
                relocate(&mut s);
                Rc::new(s)
            })
            .collect();
        let who = rel.clone();
        // Cards can push an article near the limit over it: it then keeps none.
        match self.checked(&who, &Document::Article(article)) {
            Ok(text) => self.write(&rel, &text)?,
            Err(e) => {
                self.warn(&who, format!("written without its Read more cards: with them the viewer refuses it: {e}"));
                if let Some(text) = without_cards.and_then(|a| self.checked(&who, &Document::Article(a)).ok()) {
                    self.write(&rel, &text)?;
                }
            }
        }
        Ok(())
    }

    /// For each post, the posts its Read more cards show: those the source names, else those
    /// sharing its tags.
    fn pick_related(&mut self) -> Vec<Vec<usize>> {
        let by_tags = related::pick(
            &self.metas.iter().map(|m| (m.summary.tags.clone(), m.when)).collect::<Vec<_>>(),
            self.related,
        );
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, m) in self.metas.iter().enumerate() {
            index.entry(m.id.as_str()).or_insert(i);
            index.entry(m.slug.as_str()).or_insert(i);
        }
        self.metas
            .iter()
            .zip(by_tags)
            .enumerate()
            .map(|(i, (m, by_tags))| {
                let named: Vec<usize> = m
                    .related
                    .iter()
                    .filter_map(|r| index.get(r.as_str()).copied())
                    .filter(|&j| j != i)
                    .take(article_viewer_core::format::LIMITS.related)
                    .collect();
                if named.is_empty() {
                    by_tags
                } else {
                    named
                }
            })
            .collect()
    }
}

/// A summary listed in `index.json` made into a card of an article in `articles/`.
fn relocate(s: &mut Summary) {
    if let Some(img) = &mut s.image {
        img.src = from_articles(&img.src);
    }
    for a in &mut s.authors {
        a.avatar = a.avatar.as_deref().map(from_articles);
    }
}

/// Length of a summary made from the body.
const SUMMARY_CHARS: usize = 160;

/// The post as the format wants it: trimmed text, no empty optional fields, lists within the
/// viewer's limits, and only addresses the viewer would keep.
fn tidy(mut post: Post) -> Post {
    use article_viewer_core::format::LIMITS;
    use article_viewer_core::urls::{safe_url, UrlKind};
    let some = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    post.id = post.id.trim().to_string();
    post.title = text::squash(&post.title);
    post.subtitle = some(post.subtitle.map(|s| text::squash(&s)));
    post.summary = some(post.summary.map(|s| text::squash(&s))).or_else(|| text::summary_of(&post.body, SUMMARY_CHARS));
    post.language = some(post.language);
    post.url = some(post.url).and_then(|u| safe_url(&u, UrlKind::Link));
    let mut aliases = Vec::new();
    for a in std::mem::take(&mut post.aliases) {
        let a = a.trim().to_string();
        if article_viewer_core::format::alias_problem(&a).is_none() && !aliases.contains(&a) {
            aliases.push(a);
        }
        if aliases.len() == LIMITS.small_list {
            break;
        }
    }
    post.aliases = aliases;
    post.expires = some(post.expires);
    post.tags = text::unique(post.tags.iter().map(|t| text::squash(t)), LIMITS.small_list);
    // A name that is an e-mail address is not copied.
    post.authors.retain(|a| !(a.name.trim().is_empty() || (a.name.contains('@') && a.name.contains('.'))));
    post.authors.truncate(LIMITS.small_list);
    for a in &mut post.authors {
        a.name = text::squash(&a.name);
        a.title = some(a.title.take());
        a.url = some(a.url.take()).and_then(|u| safe_url(&u, UrlKind::Link));
        a.avatar = some(a.avatar.take()).and_then(|u| safe_url(&u, UrlKind::Image));
    }
    post.image = post.image.take().and_then(|mut i| {
        i.src = safe_url(i.src.trim(), UrlKind::Image)?;
        i.alt = some(i.alt.take());
        i.caption = some(i.caption.take());
        Some(i)
    });
    post.editors_pick = post.editors_pick.take().and_then(|mut p| {
        p.items.retain(|i| !i.trim().is_empty());
        p.items.truncate(LIMITS.small_list);
        p.title = some(p.title.take());
        (!p.items.is_empty()).then_some(p)
    });
    post
}

/// What becomes of a picture reference.
enum Judged {
    Keep,
    Replace(String),
    Drop,
}

/// A post's pictures, once each.
#[derive(Default)]
struct Notes {
    list: Vec<Picture>,
    seen: HashSet<String>,
}

impl Notes {
    fn add(&mut self, src: &str, outcome: &'static str, copy: Option<String>, why: Option<String>) {
        if self.seen.insert(src.to_string()) {
            self.list.push(Picture { src: src.to_string(), outcome, copy, why });
        }
    }

    fn merge(&mut self, more: impl Iterator<Item = Picture>) {
        for p in more {
            if self.seen.insert(p.src.clone()) {
                self.list.push(p);
            }
        }
    }
}

impl Sink for Writer {
    fn old_site(&mut self, url: &str) {
        self.pictures.old.add(url);
    }

    fn post(&mut self, post: Post) -> Result<(), Error> {
        let mut post = tidy(post);
        let who = super::who(&post.id, &post.title);
        if post.title.trim().is_empty() {
            self.warn(&who, "skipped: no title".to_string());
            return Ok(());
        }
        if post.id.trim().is_empty() || !self.ids.insert(post.id.clone()) {
            self.warn(&who, "skipped: its id is empty or already taken by an earlier post".to_string());
            return Ok(());
        }
        let pictures = self.bring_pictures(&mut post);
        let slug = self.unique_slug(&post);
        let published = date(&post.published);
        let aliases = self.claim_aliases(&who, post.aliases.clone());
        let kept_aliases = aliases.clone();
        let image = post.image.clone().filter(|i| !i.src.trim().is_empty());
        let authors: Vec<_> = post.authors.iter().filter(|a| !a.name.trim().is_empty()).cloned().collect();
        let summary = Summary {
            id: post.id.clone(),
            title: post.title.clone(),
            subtitle: post.subtitle.clone().filter(|s| Some(s) != post.summary.as_ref()),
            summary: post.summary.clone(),
            editors_pick: post.editors_pick.clone(),
            image: image.clone(),
            authors: authors.clone(),
            tags: post.tags.clone(),
            published: published.clone(),
            href: Some(format!("articles/{slug}.json")),
            url: post.url.clone(),
        };
        let mut article = Article {
            id: post.id.clone(),
            title: post.title.clone(),
            subtitle: post.subtitle.clone(),
            language: post.language.clone(),
            url: post.url.clone(),
            aliases,
            published,
            updated: date(&post.updated),
            draft: post.draft,
            expires: date(&post.expires),
            authors,
            tags: post.tags.clone(),
            image: image.map(|i| Image { src: from_articles(&i.src), ..i }),
            editors_pick: post.editors_pick.clone(),
            body: post.body.clone(),
            related: Vec::new(),
            pictures: Vec::new(),
        };
        for a in &mut article.authors {
            a.avatar = a.avatar.as_deref().map(from_articles);
        }
        let rel = format!("articles/{slug}.json");
        // A post the viewer would refuse (over the 48 MB limit, say) is this post's problem:
        // it is skipped, its slug freed, and the rest import.
        let text = match self.checked(&who, &Document::Article(article)) {
            Ok(text) => text,
            Err(e) => {
                self.slugs.remove(&slug.to_lowercase());
                self.warn(&who, format!("skipped: the viewer refuses it: {e}"));
                return Ok(());
            }
        };
        self.write(&rel, &text)?;
        let when = post.published.as_deref().and_then(text::unix_seconds);
        let state = if post.draft {
            self.drafts += 1;
            "draft"
        } else if when.is_some_and(|w| w > self.now) {
            self.scheduled += 1;
            "scheduled"
        } else {
            "published"
        };
        self.report.posts.push(super::report::Entry {
            id: post.id.clone(),
            slug: slug.clone(),
            title: post.title.clone(),
            state,
            published: post.published.clone(),
            aliases: kept_aliases,
            pictures,
            links_rewritten: Vec::new(),
            links_left: Vec::new(),
        });
        self.metas.push(Meta { id: post.id, slug, summary, when, related: post.related });
        Ok(())
    }

    /// Counts the warning (and the post, when the message says it was skipped) and prints it.
    fn warn(&mut self, who: &str, message: String) {
        self.warnings += 1;
        if message.starts_with("skipped") {
            self.skipped += 1;
        }
        self.report.skipped = self.skipped;
        self.report.warnings.push((who.to_string(), message.clone()));
        eprintln!("warning: {who}: {message}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(id: &str, title: &str, slug: &str, body: String) -> Post {
        Post { id: id.into(), title: title.into(), slug: slug.into(), body, ..Post::default() }
    }

    /// Runs `posts` through a writer into a fresh folder: the article files and the warnings.
    fn write(posts: Vec<Post>) -> (Vec<String>, usize, Result<Written, Error>) {
        let tmp = tempfile::tempdir().expect("temp");
        let mut w = Writer::new(tmp.path(), 0);
        for p in posts {
            w.post(p).expect("only I/O stops the import");
        }
        let warnings = w.warnings;
        let written = w.finish(&Source::default());
        let mut names: Vec<String> = std::fs::read_dir(tmp.path().join("articles")).map_or_else(
            |_| Vec::new(),
            |d| d.flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect(),
        );
        names.sort();
        (names, warnings, written)
    }

    #[test]
    fn an_oversize_post_is_skipped_beside_good_ones() {
        let big = "큰 글의 본문. ".repeat(article_viewer_core::format::LIMITS.document_bytes / 16 + 1);
        let (names, warnings, written) = write(vec![
            post("1", "앞", "a", "본문".into()),
            post("2", "큰 글", "big", big),
            post("3", "뒤", "big", "본문".into()),
        ]);
        let written = written.expect("finished");
        assert_eq!((written.posts, written.skipped, warnings), (2, 1, 1));
        assert_eq!(names, ["a.json", "big.json"], "the skipped post's slug is free again");
    }

    #[test]
    fn slugs_are_capped_in_bytes_unique_and_never_devices() {
        let wide = "\u{1F600}\u{10400}".repeat(100);
        let mut posts = vec![post("w1", &wide, "", "x".into()), post("w2", &wide, "", "x".into())];
        for (i, slug) in ["con", "CON", "nul.txt", "Lpt3", "index", "com9"].iter().enumerate() {
            posts.push(post(&format!("d{i}"), "장치", slug, "x".into()));
        }
        let (names, _, written) = write(posts);
        written.expect("finished");
        for name in &names {
            assert!(name.len() <= text::SLUG_BYTES + ".json".len(), "{} bytes", name.len());
            assert!(!text::is_device_name(name), "{name}");
        }
        assert!(
            names.contains(&"con-post.json".to_string()) && names.contains(&"con-post-2.json".to_string()),
            "{names:?}"
        );
        for want in ["nul-txt.json", "lpt3-post.json", "index-post.json", "com9-post.json"] {
            assert!(names.contains(&want.to_string()), "{want} not in {names:?}");
        }
    }

    #[test]
    fn many_posts_with_one_slug_each_get_the_next_number() {
        let mut w = Writer::new(Path::new("/nonexistent"), 0);
        let p = post("1", "같은 제목", "", String::new());
        let slugs: Vec<String> = (0..2000).map(|_| w.unique_slug(&p)).collect();
        assert_eq!(slugs[0], "같은-제목");
        assert_eq!(slugs[1999], "같은-제목-2000");
        // A later post whose own slug is a taken number is moved on, not stopped.
        let q = post("2", "", "같은-제목-5", String::new());
        assert_eq!(w.unique_slug(&q), "같은-제목-5-2");
    }

    #[test]
    fn an_old_address_claimed_twice_stays_with_the_first_post_and_names_both() {
        let tmp = tempfile::tempdir().expect("temp");
        let mut w = Writer::new(tmp.path(), 0);
        let mut a = post("1", "첫 글", "a", "본문".into());
        a.aliases = vec!["/old/".into(), "/old/".into(), "not-a-path".into(), "/?p=1".into()];
        let mut b = post("2", "둘째 글", "b", "본문".into());
        b.aliases = vec!["/old".into(), "/b/".into(), "/%3Fp=1/".into(), "/A/index.html".into()];
        a.aliases.push("/a/".into());
        b.draft = true;
        let mut c = post("3", "예약", "c", "본문".into());
        c.published = Some("2999-01-01T00:00:00Z".into());
        for p in [a, b, c] {
            w.post(p).expect("written");
        }
        let written = w.finish(&Source::default()).expect("finished");
        assert_eq!((written.aliases, written.drafts, written.scheduled, written.warnings), (5, 1, 1, 2));
        let read = |slug: &str| {
            let text = std::fs::read_to_string(tmp.path().join(format!("articles/{slug}.json"))).expect("written");
            match parse_document(&text).expect("valid").document {
                Document::Article(a) => a,
                Document::Collection(_) => panic!("not an article"),
            }
        };
        assert_eq!(read("a").aliases, ["/old/", "/?p=1", "/a/"]);
        let b = read("b");
        assert_eq!(b.aliases, ["/b/", "/%3Fp=1/"], "/old is /old/, /A/index.html is /a/; a path is not a query");
        assert!(b.draft);
    }

    #[test]
    fn links_between_posts_follow_the_move_in_the_article_files() {
        let tmp = tempfile::tempdir().expect("temp");
        let mut w = Writer::new(tmp.path(), 2);
        w.old_site("https://feed.example/home");
        let mut a = post(
            "1",
            "첫 글",
            "a",
            "[둘째](https://feed.example/b/) [소개](/about/) [밖](https://x.example/b/)".into(),
        );
        a.aliases = vec!["/a/".into()];
        a.tags = vec!["t".into()];
        let mut b = post("2", "둘째 글", "b", "[첫](/A/index.html#top)\n\n![그림](/pic.png)".into());
        b.aliases = vec!["/b/".into()];
        b.tags = vec!["t".into()];
        for p in [a, b] {
            w.post(p).expect("written");
        }
        let written = w.finish(&Source::default()).expect("finished");
        let read = |slug: &str| {
            let text = std::fs::read_to_string(tmp.path().join(format!("articles/{slug}.json"))).expect("written");
            match parse_document(&text).expect("valid").document {
                Document::Article(a) => a,
                Document::Collection(_) => panic!("not an article"),
            }
        };
        let a = read("a");
        assert_eq!(a.body, "[둘째](b.html) [소개](/about/) [밖](https://x.example/b/)");
        assert_eq!(a.related.len(), 1, "the cards are there too");
        assert_eq!(read("b").body, "[첫](a.html#top)\n\n![그림](/pic.png)");
        let m = written.report.moved();
        assert_eq!((m.links_rewritten, m.links_left, m.pictures_missing), (2, 1, 1));
        assert_eq!(written.report.posts[0].links_left, ["/about/"]);
    }

    #[test]
    fn tags_are_deduplicated_linearly_and_capped() {
        let mut p = post("1", "t", "", "x".into());
        p.tags = (0..200_000).map(|i| format!("t{}", i % 150_000)).collect();
        let p = tidy(p);
        assert_eq!(p.tags.len(), article_viewer_core::format::LIMITS.small_list);
        assert_eq!(p.tags[..2], ["t0", "t1"]);
    }
}
