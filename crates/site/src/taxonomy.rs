//! Tag and author pages: every tag and every author of the site's collection (and every tag
//! the configuration names as a section) gets a collection of its own, `tags/<name>/index.json`
//! and `authors/<name>/index.json` ([`facet_slug`]), newest first. They are documents like
//! any other: the build renders their listing pages and feeds, the sitemap lists them, and the
//! browser app takes their pages over as the collections they are (search and the other
//! facets within the tag). Each entry is listed once per tag and author it has, so the pages
//! grow with the entries' tags, not with the whole collection per tag.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use article_viewer_core::format::{parse_document, Article, Collection, Document, Summary};
use article_viewer_core::site::{facet_folded, facet_slug, AUTHOR_PAGES, TAG_PAGES};

use crate::content::{Content, Doc};
use crate::editorial::target;
use crate::Error;

/// The files the build writes in a listing's folder besides its pages.
const FILES: [&str; 3] = ["index.json", "feed.json", "feed.atom"];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Tag,
    Author,
}

/// One tag or author while the entries are read.
struct Group {
    name: String,
    /// An author's title (기자), as the first entry that gives one says it.
    title: Option<String>,
    entries: Vec<usize>,
}

/// Whether the document at `rel` is a tag's or author's collection (`tags/<name>/index.json`):
/// the build writes them, and a content folder may not hold one of its own there.
pub fn is_listing(rel: &str) -> bool {
    let Some(rest) = rel.strip_prefix(TAG_PAGES).or_else(|| rel.strip_prefix(AUTHOR_PAGES)) else { return false };
    rest.strip_suffix("/index.json").is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// Adds the tag and author collections to `content` (as documents, and as files to publish).
/// `sections`: tags that get pages even with no entry. Returns the number of warnings printed.
pub fn add(content: &mut Content, sections: &[String]) -> Result<usize, Error> {
    if let Some(d) = content.docs.iter().find(|d| is_listing(&d.rel)) {
        return Err(Error::Usage(format!(
            "{}: the build writes the tag and author pages' collections (tags/<name>/, authors/<name>/); move the file elsewhere",
            d.rel
        )));
    }
    let c = content.collection()?.clone();
    let entries = entries(content, &c);
    let mut groups: BTreeMap<(Kind, String), Group> = BTreeMap::new();
    for (i, s) in entries.iter().enumerate() {
        for t in &s.summary.tags {
            join(&mut groups, Kind::Tag, t, None, i);
        }
        for a in &s.summary.authors {
            join(&mut groups, Kind::Author, &a.name, a.title.as_deref(), i);
        }
    }
    for s in sections {
        let key = (Kind::Tag, facet_folded(s));
        if !key.1.is_empty() {
            groups.entry(key).or_insert_with(|| Group { name: s.trim().to_string(), title: None, entries: Vec::new() });
        }
    }
    let taken: HashSet<&str> = content.files.iter().map(|(_, rel)| rel.as_str()).collect();
    let mut folders = HashSet::new();
    let mut warnings = 0;
    let mut docs = Vec::new();
    for ((kind, _), group) in groups {
        let root = if kind == Kind::Tag { TAG_PAGES } else { AUTHOR_PAGES };
        let mut folder = format!("{root}{}/", facet_slug(&group.name));
        // Two names whose folders came out alike (a hash's chance): the later in order gets a
        // number; links the app writes lead to the first.
        let mut n = 2;
        while folders.contains(&folder) {
            folder = format!("{root}{}-{n}/", facet_slug(&group.name));
            n += 1;
        }
        if n > 2 {
            eprintln!("warning: {:?} has the pages {folder}: another name's pages have its usual address", group.name);
            warnings += 1;
        }
        if let Some(file) = FILES.iter().map(|f| format!("{folder}{f}")).find(|f| taken.contains(f.as_str())) {
            return Err(Error::Usage(format!(
                "{file}: the build writes the pages of {:?} there; move the content folder's file elsewhere",
                group.name
            )));
        }
        folders.insert(folder.clone());
        let (text, document) = listing_collection(&c, kind, &group, &entries)?;
        docs.push(Doc { rel: format!("{folder}index.json"), text, document, warnings: Vec::new() });
    }
    for doc in docs {
        content.files.push((std::path::PathBuf::new(), doc.rel.clone()));
        content.docs.push(doc);
    }
    Ok(warnings)
}

/// Makes the tag and author collections again after an edit (`serve`): the indices of those
/// whose text changed, or `None` when the set of them changed (a whole build then). They are
/// the last documents of `content`, as [`add`] left them.
pub fn refresh(content: &mut Content, sections: &[String]) -> Result<Option<Vec<usize>>, Error> {
    let first = content.docs.iter().position(|d| is_listing(&d.rel)).unwrap_or(content.docs.len());
    let old = content.docs.split_off(first);
    let generated = |f: &(std::path::PathBuf, String)| f.0.as_os_str().is_empty() && is_listing(&f.1);
    content.files.retain(|f| !generated(f));
    if let Err(e) = add(content, sections) {
        content.files.extend(old.iter().map(|d| (std::path::PathBuf::new(), d.rel.clone())));
        content.docs.extend(old);
        return Err(e);
    }
    let new = &content.docs[first..];
    if new.len() != old.len() || new.iter().zip(&old).any(|(n, o)| n.rel != o.rel) {
        return Ok(None);
    }
    Ok(Some(new.iter().zip(&old).enumerate().filter(|(_, (n, o))| n.text != o.text).map(|(i, _)| first + i).collect()))
}

fn join(groups: &mut BTreeMap<(Kind, String), Group>, kind: Kind, name: &str, title: Option<&str>, i: usize) {
    let key = facet_folded(name);
    if key.is_empty() {
        return;
    }
    let g = groups.entry((kind, key)).or_insert_with(|| Group {
        name: name.trim().to_string(),
        title: None,
        entries: Vec::new(),
    });
    if g.title.is_none() {
        g.title = title.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    }
    // The same entry under two spellings of one name is listed once.
    if g.entries.last() != Some(&i) {
        g.entries.push(i);
    }
}

/// An entry as the tag and author pages list it.
struct Entry {
    summary: Summary,
    /// The entry as its JSON, with its addresses rewritten for a folder two levels down.
    json: Value,
}

/// The collection's entries as the tag and author pages list them: each with its article's tags
/// and authors too (an article published with the site may name more than its entry).
fn entries(content: &Content, c: &Collection) -> Vec<Entry> {
    let articles: HashMap<&str, &Article> = content
        .docs
        .iter()
        .filter_map(|d| match &d.document {
            Document::Article(a) => Some((d.rel.as_str(), a)),
            Document::Collection(_) => None,
        })
        .collect();
    c.articles
        .iter()
        .map(|s| {
            let mut s = Summary::clone(s);
            let rel = s.href.as_deref().and_then(|h| target("index.json", h));
            if let Some(a) = rel.and_then(|rel| articles.get(rel.as_str()).copied()) {
                let known: HashSet<String> = s.tags.iter().map(|t| facet_folded(t)).collect();
                let more: Vec<String> = a.tags.iter().filter(|t| !known.contains(&facet_folded(t))).cloned().collect();
                s.tags.extend(more);
                if s.authors.is_empty() {
                    s.authors = a.authors.clone();
                }
                if s.published.is_none() {
                    s.published = a.published.clone();
                }
            }
            let mut json = serde_json::to_value(&s).unwrap_or(Value::Null);
            rebase(&mut json, "../../");
            Entry { summary: s, json }
        })
        .collect()
}

/// One tag's or author's collection: its entries newest first (undated ones after, in the
/// publisher's order). Its JSON as published, and as the viewer reads it.
fn listing_collection(
    c: &Collection,
    kind: Kind,
    group: &Group,
    entries: &[Entry],
) -> Result<(String, Document), Error> {
    let mut listed: Vec<&Entry> = group.entries.iter().filter_map(|&i| entries.get(i)).collect();
    listed.sort_by_key(|e| std::cmp::Reverse(e.summary.published.as_ref().map(|d| d.at.unix_seconds())));
    let (title, description) = match kind {
        Kind::Tag => (format!("#{}", group.name), None),
        Kind::Author => (group.name.clone(), group.title.clone()),
    };
    let mut doc = serde_json::json!({ "title": title });
    if let Some(d) = description {
        doc["description"] = Value::String(d);
    }
    if let Some(l) = &c.language {
        doc["language"] = Value::String(l.clone());
    }
    doc["articles"] = Value::Array(listed.into_iter().map(|e| e.json.clone()).collect());
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    let document = parse_document(&text)
        .map_err(|error| Error::Usage(format!("the pages of {:?} could not be made: {error}", group.name)))?
        .document;
    Ok((text, document))
}

/// The fields of an entry that hold addresses (the picture's copies and preview too).
const ADDRESSES: [&str; 7] = ["href", "url", "src", "avatar", "share", "fallback", "placeholder"];

/// Whether `url` is relative to the document holding it (no scheme, not rooted, not empty).
fn is_relative(url: &str) -> bool {
    let scheme = url.find(':').is_some_and(|c| {
        !url[..c].is_empty() && url[..c].chars().all(|ch| ch.is_ascii_alphanumeric() || "+-.".contains(ch))
    });
    !(scheme || url.is_empty() || url.starts_with(['/', '#', '?']))
}

/// An entry's relative addresses, rewritten to mean the same files from a folder `prefix` away.
fn rebase(v: &mut Value, prefix: &str) {
    match v {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    Value::String(u) if ADDRESSES.contains(&k.as_str()) && is_relative(u) => {
                        *u = format!("{prefix}{u}");
                    }
                    _ => rebase(v, prefix),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rebase(v, prefix)),
        _ => {}
    }
}

/// The `<link rel="alternate">` tags of a tag's or author's feeds, for the head of its pages
/// (before the site's own feeds, so a reader subscribing from the page gets the tag's).
pub fn feed_links(doc_rel: &str, title: &str, site: &str, page_url: &str) -> String {
    use article_viewer_publish::html::escape;
    let folder = &doc_rel[..doc_rel.len().saturating_sub("index.json".len())];
    article_viewer_ui::components::FEEDS
        .iter()
        .zip(["application/feed+json", "application/atom+xml"])
        .map(|((file, name), kind)| {
            let href =
                article_viewer_core::site::relative_url(&crate::url_of(site, &format!("{folder}{file}")), page_url);
            format!(
                "<link rel=\"alternate\" type=\"{kind}\" title=\"{} ({name})\" href=\"{}\">",
                escape(title),
                escape(&href)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests;
