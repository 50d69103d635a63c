//! `markdown`: a folder of `.md` files with YAML (`---`) or TOML (`+++`) front matter, as
//! Hugo, Jekyll and Astro write them.
//!
//! Front matter read: `title` (else the body's leading `# heading`, else the file name),
//! `slug` (else the page bundle's folder for `index.md`, else the file name without Jekyll's
//! date), `id`, `date`/`pubDate`/`publishDate`/`published` (else Jekyll's file-name date),
//! `lastmod`/`updated`/`updatedDate`/`last_modified_at`, `author`/`authors` (names or
//! objects), `categories` then `tags` (lists, or Jekyll's space-separated strings),
//! `subtitle`, `description`/`summary`/`excerpt`, `image`/`cover`/`feature_image`/
//! `featured_image`/`heroImage`/`images`/`thumbnail` (a path or an object with alt and
//! caption), `lang`/`language`, `canonical`/`canonicalURL`/`url`, `related` (slugs), and
//! our own `editors_pick`; `aliases`, `url` and `permalink` as old addresses, `expiryDate` as
//! `expires`. `draft: true` and Jekyll's `published: false` are skipped (imported as drafts
//! with `--drafts`), as are `_index.md` (Hugo's section pages), `_drafts/` and files without
//! front matter. A `description` is the dek unless there is a `subtitle`. The site's own
//! configuration at the folder's root ([`super::config`]) gives the collection's title,
//! description and language, and each post's old address by its section's permalink.
//!
//! The body stays Markdown. Images referenced by a relative path (in the body or the front
//! matter) are copied to `images/` under their path inside the input folder, and their
//! references rewritten, so they keep working after publishing; files outside the input
//! folder are never read. Raw HTML blocks are converted to Markdown; Hugo shortcodes
//! (`figure`, `youtube`, `vimeo`, `tweet`, `highlight`) and Jekyll tags (`highlight`,
//! `raw`) become Markdown, other shortcodes and Liquid tags are dropped with a warning;
//! links with unsafe schemes lose their address.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use article_viewer_core::format::{Author, Image, Pick};
use article_viewer_core::urls::{safe_url, scheme_of, UrlKind};
use pulldown_cmark::{Event, Options as MdOptions, Parser, Tag, TagEnd};
use serde_json::Value;

use super::html::{figure_md, Converter};
use super::{text, Options, Post, Sink, Source};
use crate::Error;

/// Extensions of images copied beside the documents.
const IMAGE_EXTENSIONS: [&str; 8] = ["png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "ico"];

pub fn import(dir: &Path, opts: &Options, sink: &mut dyn Sink) -> Result<Source, Error> {
    let root = dir.canonicalize().map_err(Error::io(dir))?;
    let mut files = Vec::new();
    walk(&root, &root, opts.drafts, &mut files)?;
    files.sort();
    let converter = Converter::new();
    // The site's own configuration: the collection's title and the rest, the posts' language
    // when they do not say, and the permalinks that were the posts' addresses.
    let config = super::config::read(&root, sink);
    let opts = &Options { language: config.source.language.clone().or(opts.language.clone()), ..opts.clone() };
    for rel in files {
        let path = root.join(&rel);
        let bytes = std::fs::read(&path).map_err(Error::io(&path))?;
        let name = rel.to_string_lossy().replace('\\', "/");
        let Ok(text) = String::from_utf8(bytes) else {
            sink.warn(&name, "skipped: not UTF-8 text".into());
            continue;
        };
        if let Some(mut post) = convert(&root, &rel, &text, &converter, opts, sink) {
            post.aliases.extend(permalink(&config, &name, &text, &post));
            sink.post(post)?;
        }
    }
    Ok(Source { language: opts.language.clone(), ..config.source })
}

/// Markdown files under `dir`, relative to `root`; hidden folders, `_drafts` (unless `drafts`), and the usual
/// output and dependency folders are left out.
fn walk(root: &Path, dir: &Path, drafts: bool, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(Error::io(dir))? {
        let entry = entry.map_err(Error::io(dir))?;
        let name = entry.file_name().to_string_lossy().to_string();
        let skipped_drafts = name == "_drafts" && !drafts;
        if name.starts_with('.')
            || skipped_drafts
            || matches!(name.as_str(), "node_modules" | "_site" | "public" | "dist")
        {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().map_err(Error::io(&path))?;
        if kind.is_dir() {
            walk(root, &path, drafts, out)?;
        } else if kind.is_file()
            && path.extension().is_some_and(|e| e == "md" || e == "markdown")
            && name != "_index.md"
        {
            if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_path_buf());
            }
        }
    }
    Ok(())
}

/// Where a front matter is malformed: 1-based line and column in the file, and what.
pub type Malformed = (usize, usize, String);

/// Front matter, body, and the body's first line, split. `Err` says where a malformed
/// front matter goes wrong.
pub fn front_matter(text: &str) -> Result<Option<(Value, &str, usize)>, Malformed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (fence, yaml) = if text.starts_with("---") {
        ("---", true)
    } else if text.starts_with("+++") {
        ("+++", false)
    } else {
        return Ok(None);
    };
    let first_nl = match text.find('\n') {
        Some(i) if text[..i].trim_end() == fence => i + 1,
        _ => return Ok(None),
    };
    let rest = &text[first_nl..];
    // The closing fence: a line of `---` (or `...` for YAML), or `+++`.
    let mut at = 0;
    let mut end = None;
    for line in rest.split_inclusive('\n') {
        let t = line.trim_end();
        if t == fence || (yaml && t == "...") {
            end = Some((at, at + line.len()));
            break;
        }
        at += line.len();
    }
    let Some((close, body_start)) = end else {
        return Err((1, 1, format!("the front matter opened with {fence} is never closed")));
    };
    let matter = &rest[..close];
    let body = &rest[body_start..];
    let body_line = text[..first_nl + body_start].matches('\n').count() + 1;
    let value = if yaml {
        // Aliases are expanded within a bound set by the front matter's size (see `yaml`).
        super::yaml::load(matter)?
    } else {
        let table: toml::Table = matter.parse().map_err(|e: toml::de::Error| {
            let (line, column) = e.span().map_or((1, 1), |s| {
                let before = &matter[..s.start.min(matter.len())];
                (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap_or("").chars().count() + 1)
            });
            (line + 1, column, format!("invalid TOML front matter: {}", e.message()))
        })?;
        toml_value(&toml::Value::Table(table), 0)
    };
    Ok(Some((value, body, body_line)))
}

pub(crate) fn toml_value(t: &toml::Value, depth: usize) -> Value {
    if depth > 32 {
        return Value::Null;
    }
    match t {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::String(f.to_string()),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(|v| toml_value(v, depth + 1)).collect()),
        toml::Value::Table(t) => Value::Object(t.iter().map(|(k, v)| (k.clone(), toml_value(v, depth + 1))).collect()),
    }
}

/// The first of `keys` that holds a non-empty string (or number).
fn string(fm: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match fm.get(*k)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// A list of names: a YAML/TOML list, or a string (Jekyll splits tags on spaces; a comma
/// list is read too).
fn names(v: Option<&Value>, split_spaces: bool) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) if s.contains(',') => s.split(',').map(str::to_string).collect(),
        Some(Value::String(s)) if split_spaces => s.split_whitespace().map(str::to_string).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// `2025-09-12-title.md` → (`2025-09-12`, `title`), Jekyll's post names.
fn jekyll_name(stem: &str) -> Option<(&str, &str)> {
    let b = stem.as_bytes();
    if b.len() > 11 && b[4] == b'-' && b[7] == b'-' && b[10] == b'-' && stem[..4].bytes().all(|c| c.is_ascii_digit()) {
        Some((&stem[..10], &stem[11..]))
    } else {
        None
    }
}

/// A local file referenced from `dir` (relative to the input root): its copy's path inside
/// the content folder (`images/<path in the input>`), if it is an image inside the input.
fn local_image(root: &Path, dir: &Path, reference: &str) -> Option<(PathBuf, String)> {
    let path = text::percent_decode(reference.split(['?', '#']).next().unwrap_or(reference));
    if path.is_empty() || scheme_of(&path).is_some() || path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let ext = Path::new(&path).extension()?.to_str()?.to_ascii_lowercase();
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let full = root.join(dir).join(&path).canonicalize().ok()?;
    if !full.starts_with(root) || !full.is_file() {
        return None;
    }
    let inside = full.strip_prefix(root).ok()?;
    let rel: Vec<String> = inside.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    Some((full, format!("images/{}", rel.join("/"))))
}

/// A content-folder path written as a Markdown destination from `articles/`.
fn article_ref(rel: &str) -> String {
    format!("../{}", rel.replace('%', "%25").replace(' ', "%20").replace('(', "%28").replace(')', "%29"))
}

struct Context<'a> {
    root: &'a Path,
    dir: PathBuf,
    site: Option<&'a str>,
    assets: Vec<(PathBuf, String)>,
    warnings: Vec<String>,
}

impl Context<'_> {
    /// An image reference from the front matter: a copied local file, an absolute URL, or a
    /// root-relative path against `--site`.
    fn image(&mut self, reference: &str) -> Option<String> {
        if let Some((full, rel)) = local_image(self.root, &self.dir, reference) {
            self.assets.push((full, rel.clone()));
            return Some(rel);
        }
        let safe = safe_url(reference, UrlKind::Image)?;
        Some(match (scheme_of(&safe), self.site) {
            (None, Some(site)) => article_viewer_core::urls::resolve(site, &safe),
            // A path from the site's root (Ananke's `featured_image: /images/x.jpg`) is looked
            // up in the site's `static/` and root when the posts are written, and listed in the
            // report when it is not there.
            (None, None) if safe.starts_with('/') && !safe.starts_with("//") => safe,
            (None, None) => {
                self.warnings.push(format!("image {safe:?} is not a file in the folder; give --site to resolve it"));
                return None;
            }
            _ => safe,
        })
    }
}

/// The hero image from the front matter's many spellings.
fn hero(fm: &Value, cx: &mut Context<'_>) -> Option<Image> {
    const KEYS: [&str; 9] = [
        "image",
        "cover",
        "feature_image",
        "featured_image",
        "featureImage",
        "heroImage",
        "hero",
        "thumbnail",
        "banner",
    ];
    let (value, alt_key) = KEYS
        .iter()
        .find_map(|k| fm.get(*k).filter(|v| !v.is_null()).map(|v| (v.clone(), format!("{k}_alt"))))
        .or_else(|| {
            fm.get("images")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .map(|v| (v.clone(), "image_alt".to_string()))
        })?;
    let (src, alt, caption) = match &value {
        Value::String(s) => (s.clone(), None, None),
        Value::Object(o) => {
            let get = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
            (get("src").or(get("image")).or(get("path")).or(get("url"))?, get("alt"), get("caption"))
        }
        _ => return None,
    };
    let alt = alt.or_else(|| string(fm, &[&alt_key, "imageAlt", "heroImageAlt", "image_alt", "cover_alt"]));
    Some(Image { src: cx.image(&src)?, alt, caption, ..Image::default() })
}

fn authors(fm: &Value) -> Vec<Author> {
    let mut out: Vec<Author> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for key in ["authors", "author"] {
        let list = match fm.get(key) {
            Some(Value::Array(a)) => a.clone(),
            Some(v) => vec![v.clone()],
            None => continue,
        };
        for v in list {
            let a = match v {
                Value::String(s) => Author { name: text::squash(&s), ..Author::default() },
                Value::Object(o) => {
                    let get = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
                    let Some(name) = get("name").or(get("display_name")) else { continue };
                    Author {
                        name: text::squash(&name),
                        title: get("title").or(get("role")),
                        url: get("url").or(get("website")),
                        avatar: get("avatar").or(get("image")),
                    }
                }
                _ => continue,
            };
            if !a.name.is_empty() && !a.name.contains('@') && seen.insert(a.name.clone()) {
                out.push(a);
            }
        }
    }
    out
}

fn pick(fm: &Value) -> Option<Pick> {
    let v = fm.get("editors_pick").or_else(|| fm.get("editorsPick"))?;
    let (title, items) = match v {
        Value::Array(_) => (None, names(Some(v), false)),
        Value::Object(o) => (o.get("title").and_then(Value::as_str).map(str::to_string), names(o.get("items"), false)),
        _ => return None,
    };
    let items: Vec<String> = items.into_iter().map(|i| i.trim().to_string()).filter(|i| !i.is_empty()).collect();
    (!items.is_empty()).then_some(Pick { title, items })
}

/// One file as a post; `None` (with a warning) when it is skipped.
fn convert(
    root: &Path,
    rel: &Path,
    source: &str,
    converter: &Converter,
    opts: &Options,
    sink: &mut dyn Sink,
) -> Option<Post> {
    let name = rel.to_string_lossy().replace('\\', "/");
    let (fm, body, _) = match front_matter(source) {
        Ok(Some(x)) => x,
        Ok(None) => {
            sink.warn(&name, "skipped: no front matter (--- or +++), so not a post".into());
            return None;
        }
        Err((line, column, message)) => {
            sink.warn(&format!("{name}:{line}:{column}"), format!("skipped: {message}"));
            return None;
        }
    };
    let fm = if fm.is_object() { fm } else { Value::Object(Default::default()) };
    // Jekyll's `_drafts/` is read with `--drafts` only, and everything in it is a draft.
    let in_drafts = rel.components().any(|c| c.as_os_str() == "_drafts");
    let draft = in_drafts
        || fm.get("draft").and_then(Value::as_bool) == Some(true)
        || fm.get("published").and_then(Value::as_bool) == Some(false);
    if draft && !opts.drafts {
        return None;
    }
    let stem = rel.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let dir = rel.parent().map(Path::to_path_buf).unwrap_or_default();
    let bundle = (stem == "index").then(|| dir.file_name().map(|d| d.to_string_lossy().to_string())).flatten();
    let file_slug = bundle.clone().unwrap_or_else(|| stem.clone());
    let (file_date, file_slug) = match jekyll_name(&file_slug) {
        Some((d, s)) => (Some(d.to_string()), s.to_string()),
        None => (None, file_slug),
    };
    let mut cx = Context { root, dir, site: opts.site.as_deref(), assets: Vec::new(), warnings: Vec::new() };
    // Without a title in the front matter, a leading `# heading` is the title.
    let (body, title) = match string(&fm, &["title"]) {
        Some(t) => (body.to_string(), t),
        None => {
            let (b, leading) = take_leading_title(body);
            (b, leading.unwrap_or_else(|| file_slug.clone()))
        }
    };
    let slug = string(&fm, &["slug"]).unwrap_or(file_slug);
    let id = string(&fm, &["id", "uid", "guid"]).unwrap_or_else(|| slug.clone());
    let who = super::who(&id, &title);
    let body = markdown_body(&body, converter, &mut cx);
    let mut date = |keys: &[&str], fallback: Option<String>| {
        let raw = string(&fm, keys).or(fallback)?;
        let d = text::normalize_date(&raw, opts.offset_minutes);
        if d.is_none() {
            cx.warnings.push(format!("{} {:?} is not a date; left out", keys[0], text::clip(&raw, 40)));
        }
        d
    };
    let published = date(&["date", "pubDate", "publishDate", "published", "pub_date", "datePublished"], file_date);
    let updated = date(&["lastmod", "updated", "updatedDate", "modified", "last_modified_at", "dateModified"], None);
    let expires = date(&["expiryDate", "expirydate", "expires", "expiry_date", "unpublishDate"], None);
    let tags = names(fm.get("categories").or(fm.get("category")), true)
        .into_iter()
        .chain(names(fm.get("tags").or(fm.get("tag")), true));
    let tags = text::unique(tags.map(|t| text::squash(&t)), article_viewer_core::format::LIMITS.small_list);
    let image = hero(&fm, &mut cx);
    let url = string(&fm, &["canonical", "canonicalURL", "canonical_url", "url", "permalink"]).and_then(|u| {
        let u = safe_url(&u, UrlKind::Link)?;
        match (scheme_of(&u), opts.site.as_deref()) {
            (Some(_), _) => Some(u),
            (None, Some(site)) => Some(article_viewer_core::urls::resolve(site, &u)),
            (None, None) => None,
        }
    });
    let description = string(&fm, &["description", "summary", "excerpt"]).map(|s| text::squash(&s));
    let related = names(fm.get("related"), false);
    let aliases = old_addresses(&fm, opts.site.as_deref());
    for w in std::mem::take(&mut cx.warnings) {
        sink.warn(&who, w);
    }
    Some(Post {
        id,
        slug,
        title: text::squash(&title),
        // A description is the dek (Hugo's themes show it under the title, and it is the
        // page's description) unless the front matter has a subtitle of its own.
        subtitle: string(&fm, &["subtitle"]).or_else(|| description.clone()),
        summary: description,
        language: string(&fm, &["lang", "language", "locale"]).or(opts.language.clone()),
        url,
        aliases,
        published,
        updated,
        draft,
        expires,
        authors: authors(&fm),
        tags,
        image,
        editors_pick: pick(&fm),
        body,
        related,
        assets: cx.assets,
    })
}

/// The address the site's permalink pattern gave the post (read again from its front matter:
/// the slug it gives, and its categories for Jekyll's `:categories`). A post whose front
/// matter sets its own address (`url`, `permalink`) never had one.
fn permalink(config: &super::config::SiteConfig, rel: &str, text: &str, post: &Post) -> Option<String> {
    let fm = front_matter(text).ok().flatten()?.0;
    if string(&fm, &["url", "permalink"]).is_some() {
        return None;
    }
    let path = Path::new(rel);
    let stem = path.file_stem()?.to_string_lossy().to_string();
    let file = if stem == "index" { path.parent()?.file_name()?.to_string_lossy().to_string() } else { stem };
    let file = jekyll_name(&file).map_or(file.clone(), |(_, s)| s.to_string());
    let slug = string(&fm, &["slug"]);
    let name = super::config::PostName { slug: slug.as_deref(), file: &file, title: &post.title };
    let categories = names(fm.get("categories").or(fm.get("category")), true);
    let found = config.permalink(rel, &name, &categories, post.published.as_deref())?;
    (!post.aliases.contains(&found)).then_some(found)
}

/// Where the page lived: Hugo's `aliases` and `url`, Jekyll's `permalink` (paths from the
/// site's root, or addresses on `--site`).
fn old_addresses(fm: &Value, site: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let listed = names(fm.get("aliases"), false);
    let own = ["url", "permalink"].iter().filter_map(|k| string(fm, &[k]));
    // Bounded as the format bounds a list: a front matter of a million aliases stays linear.
    let limit = article_viewer_core::format::LIMITS.small_list;
    for a in listed.into_iter().chain(own) {
        if out.len() == limit {
            break;
        }
        super::aliases::push(&mut out, super::aliases::alias_of(&a, site));
    }
    out
}

/// The body without a leading `# Title` line, and that title.
fn take_leading_title(body: &str) -> (String, Option<String>) {
    let trimmed = body.trim_start_matches(['\n', '\r']);
    if let Some(rest) = trimmed.strip_prefix("# ") {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        let title = line.trim().trim_end_matches('#').trim().to_string();
        if !title.is_empty() {
            return (after.to_string(), Some(title));
        }
    }
    (body.to_string(), None)
}

/// Hugo shortcodes and Jekyll Liquid tags made Markdown (or dropped, with a warning).
fn templates(body: &str, cx: &mut Context<'_>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let mut pending_fence: Vec<&'static str> = Vec::new();
    let mut next = NextOf::new(["{{<", "{{%", "{%", "{{ site."]);
    // Inside `{{< gallery >}}`: its figures are written one a line, and the blank space
    // between them left out.
    let mut gallery = false;
    while let Some(at) = next.from(body, body.len() - rest.len()) {
        if !(gallery && rest[..at].trim().is_empty()) {
            out.push_str(&rest[..at]);
        }
        let tail = &rest[at..];
        let (close, inner_start) = if tail.starts_with("{{<") {
            (">}}", 3)
        } else if tail.starts_with("{{%") {
            ("%}}", 3)
        } else if tail.starts_with("{%") {
            ("%}", 2)
        } else {
            ("}}", 2)
        };
        let Some(end) = tail[inner_start..].find(close).map(|e| e + inner_start) else {
            out.push_str(tail);
            return out;
        };
        let inner = tail[inner_start..end].trim();
        rest = &tail[end + close.len()..];
        // `{{</* x */>}}` is Hugo's way to write a shortcode as text.
        if let Some(escaped) = inner.strip_prefix("/*").and_then(|i| i.strip_suffix("*/")) {
            out.push_str(&format!("{} {} {}", &tail[..inner_start], escaped.trim(), close));
            continue;
        }
        if inner.starts_with("site.") {
            continue;
        }
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let arg = |key: &str| shortcode_arg(args, key);
        match name {
            "figure" => {
                let src = arg("src").unwrap_or_default();
                let src = local_image(cx.root, &cx.dir, &src)
                    .map(|(full, rel)| {
                        cx.assets.push((full, rel.clone()));
                        article_ref(&rel)
                    })
                    .unwrap_or(src);
                let md = figure_md(
                    &arg("alt").unwrap_or_default(),
                    &src,
                    &arg("caption").or(arg("title")).unwrap_or_default(),
                );
                if gallery {
                    // One picture a line, no blank line between: one gallery.
                    if !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(md.trim());
                } else {
                    out.push_str(&md);
                }
            }
            "youtube" | "vimeo" | "tweet" | "x" | "instagram" => match hugo_embed(name, args) {
                Some(url) => out.push_str(&crate::embeds::embed_md(&url, "")),
                None => cx.warnings.push(format!(
                    "{} dropped: no {name} address or id in it",
                    &tail[..end + close.len()].chars().take(60).collect::<String>()
                )),
            },
            "gallery" => {
                gallery = true;
                out.push_str("\n\n");
                // Themes' galleries of a whole folder (`dir="…"`) list pictures this cannot see.
                if !args.trim().is_empty() {
                    cx.warnings.push(format!(
                        "{}: only the figures inside it are read; its arguments are not",
                        &tail[..end + close.len()].chars().take(60).collect::<String>()
                    ));
                }
            }
            "/gallery" => {
                gallery = false;
                out.push_str("\n\n");
            }
            "highlight" => {
                let lang = args.split_whitespace().next().unwrap_or("").trim_matches('"');
                out.push_str(&format!("\n```{lang}\n"));
                pending_fence.push("```\n");
                // The code follows; its closing tag closes the fence.
                rest = rest.strip_prefix('\n').unwrap_or(rest);
            }
            "/highlight" | "endhighlight" => {
                if let Some(f) = pending_fence.pop() {
                    if !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(f);
                }
            }
            "raw" | "endraw" => {}
            _ => cx.warnings.push(format!(
                "{} dropped: {} is not converted",
                &tail[..end + close.len()].chars().take(60).collect::<String>(),
                name
            )),
        }
    }
    out.push_str(rest);
    out
}

/// The canonical address a Hugo embed shortcode names: `{{< youtube ID >}}`,
/// `{{< youtube id="ID" >}}`, `{{< vimeo ID >}}`, `{{< x user="u" id="ID" >}}`,
/// `{{< tweet user="u" id="ID" >}}` (and the old `{{< tweet ID >}}`), `{{< instagram ID >}}`.
fn hugo_embed(name: &str, args: &str) -> Option<String> {
    let first = args.split_whitespace().find(|w| !w.contains('=')).map(|s| s.trim_matches(['"', '\'']).to_string());
    let id = shortcode_arg(args, "id").or(first)?;
    if let Some(url) = crate::embeds::canonical(&id) {
        return Some(url);
    }
    let url = match name {
        "youtube" => format!("https://www.youtube.com/watch?v={id}"),
        "vimeo" => format!("https://vimeo.com/{id}"),
        "instagram" => format!("https://www.instagram.com/p/{id}/"),
        _ => format!("https://x.com/{}/status/{id}", shortcode_arg(args, "user").unwrap_or_else(|| "i".into())),
    };
    crate::embeds::canonical(&url)
}

/// Where the next of some patterns starts, each pattern searched again only once the text
/// has passed its last place: searching the whole rest for every pattern at every tag made a
/// body of many `{%` and no `{{<` quadratic.
struct NextOf<const N: usize> {
    patterns: [&'static str; N],
    /// Per pattern: `None` before the first search, `Some(None)` when it is not in the rest.
    at: [Option<Option<usize>>; N],
}

impl<const N: usize> NextOf<N> {
    fn new(patterns: [&'static str; N]) -> Self {
        NextOf { patterns, at: [None; N] }
    }

    /// The first place at or after `from` in `text` where a pattern starts, relative to `from`.
    fn from(&mut self, text: &str, from: usize) -> Option<usize> {
        let mut first = None;
        for (pattern, at) in self.patterns.iter().zip(self.at.iter_mut()) {
            let stale = match at {
                None => true,
                Some(Some(p)) => *p < from,
                Some(None) => false,
            };
            if stale {
                *at = Some(text.get(from..).and_then(|t| t.find(pattern)).map(|p| from + p));
            }
            if let Some(Some(p)) = at {
                first = Some(first.map_or(*p, |f: usize| f.min(*p)));
            }
        }
        first.map(|p| p - from)
    }
}

/// `key="value"` (or `key=value`) in shortcode arguments.
pub(crate) fn shortcode_arg(args: &str, key: &str) -> Option<String> {
    let mut rest = args;
    while let Some(at) = rest.find(key) {
        let before_ok = at == 0 || rest.as_bytes()[at - 1].is_ascii_whitespace();
        let after = &rest[at + key.len()..];
        if before_ok {
            if let Some(v) = after.trim_start().strip_prefix('=') {
                let v = v.trim_start();
                return Some(match v.chars().next() {
                    Some(q @ ('"' | '\'' | '`')) => v[1..].split(q).next().unwrap_or("").to_string(),
                    _ => v.split_whitespace().next().unwrap_or("").to_string(),
                });
            }
        }
        rest = after;
    }
    None
}

/// The body: templates read, raw HTML blocks converted, local images copied, unsafe links
/// emptied. Edits are made by source offsets, so everything else stays as written.
fn markdown_body(body: &str, converter: &Converter, cx: &mut Context<'_>) -> String {
    let body = templates(body, cx);
    let mut edits: BTreeMap<usize, (usize, String)> = BTreeMap::new();
    let parser = Parser::new_ext(&body, MdOptions::all());
    let defs: Vec<(String, std::ops::Range<usize>)> =
        parser.reference_definitions().iter().map(|(_, d)| (d.dest.to_string(), d.span.clone())).collect();
    let mut html_block: Option<std::ops::Range<usize>> = None;
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => html_block = Some(range),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(r) = html_block.take() {
                    let c = converter.convert(&body[r.clone()], cx.site, false);
                    cx.warnings.extend(c.notes);
                    let md = c.markdown;
                    edits.insert(r.start, (r.end, format!("{md}\n")));
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some((full, rel)) = local_image(cx.root, &cx.dir, &dest_url) {
                    cx.assets.push((full, rel.clone()));
                    replace_dest(&body, range, &dest_url, &article_ref(&rel), &mut edits);
                } else if scheme_of(&dest_url).is_none() && dest_url.starts_with('/') {
                    if let Some(site) = cx.site {
                        replace_dest(
                            &body,
                            range,
                            &dest_url,
                            &article_viewer_core::urls::resolve(site, &dest_url),
                            &mut edits,
                        );
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. })
                if !dest_url.is_empty() && safe_url(&dest_url, UrlKind::Link).is_none() =>
            {
                replace_dest(&body, range, &dest_url, "#", &mut edits);
            }
            _ => {}
        }
    }
    for (dest, span) in defs {
        if let Some((full, rel)) = local_image(cx.root, &cx.dir, &dest) {
            cx.assets.push((full, rel.clone()));
            replace_dest(&body, span, &dest, &article_ref(&rel), &mut edits);
        } else if safe_url(&dest, UrlKind::Link).is_none() && safe_url(&dest, UrlKind::Image).is_none() {
            replace_dest(&body, span, &dest, "#", &mut edits);
        }
    }
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (start, (end, text)) in edits {
        if start < at {
            continue;
        }
        out.push_str(&body[at..start]);
        out.push_str(&text);
        at = end;
    }
    out.push_str(&body[at..]);
    collapse_blank_lines(out.trim())
}

/// Runs of blank lines outside fenced code as one (templates and conversions leave some).
fn collapse_blank_lines(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut fence = false;
    let mut blank = false;
    for line in md.split('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        let is_blank = line.trim().is_empty();
        if is_blank && blank && !fence {
            continue;
        }
        blank = is_blank;
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

/// Replaces the destination `dest` (as written) inside `range` of `body`.
fn replace_dest(
    body: &str,
    range: std::ops::Range<usize>,
    dest: &str,
    with: &str,
    edits: &mut BTreeMap<usize, (usize, String)>,
) {
    let slice = &body[range.clone()];
    let search_from = slice.rfind("](").map_or(0, |i| i + 2);
    let Some(found) = slice[search_from..].find(dest) else { return };
    let start = range.start + search_from + found;
    // A destination in angle brackets keeps them: the new one has no spaces.
    edits.insert(start, (start + dest.len(), with.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Collect;

    fn run(site: Option<&str>) -> Collect {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/markdown");
        let mut sink = Collect::default();
        let opts = Options { site: site.map(str::to_string), ..Options::default() };
        import(&dir, &opts, &mut sink).expect("read");
        sink
    }

    fn post<'a>(sink: &'a Collect, slug: &str) -> &'a Post {
        sink.posts
            .iter()
            .find(|p| p.slug == slug)
            .unwrap_or_else(|| panic!("no {slug} in {:?}", sink.posts.iter().map(|p| &p.slug).collect::<Vec<_>>()))
    }

    fn import_site(name: &str, drafts: bool) -> (Source, Collect) {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name);
        let mut sink = Collect::default();
        let source = import(&dir, &Options { drafts, ..Options::default() }, &mut sink).expect("read");
        (source, sink)
    }

    #[test]
    fn a_hugo_site_says_who_it_is_and_where_each_post_lived() {
        let (source, sink) = import_site("hugo-site", false);
        assert_eq!(source.title.as_deref(), Some("Tide Tables"));
        assert_eq!(source.description.as_deref(), Some("Notes on harbours and the sea"));
        assert_eq!(source.language.as_deref(), Some("en-gb"));
        assert_eq!(sink.posts.len(), 2, "the draft stays out: {:?}", sink.warnings);
        let neap = post(&sink, "neap");
        assert_eq!(neap.aliases, ["/old/neap-tides/", "/2019/neap.html", "/2024/03/neap/"]);
        assert_eq!(neap.subtitle.as_deref(), Some("Why some weeks the water barely moves."));
        assert_eq!(neap.language.as_deref(), Some("en-gb"), "the site's language, the post saying none");
        let table = post(&sink, "tide-tables");
        assert_eq!(table.aliases, ["/guides/tide-tables/"], "its own url replaces the section's permalink");
        assert_eq!(table.expires.as_deref(), Some("2031-01-01T00:00:00Z"));
        let (_, sink) = import_site("markdown", true);
        assert!(post(&sink, "unfinished").draft, "Jekyll's _drafts/, with --drafts");
        assert!(!post(&sink, "jekyll-passkey").draft);
        let (_, sink) = import_site("hugo-site", true);
        let draft = post(&sink, "unfinished");
        assert!(draft.draft && draft.aliases == ["/2024/05/storm-surges/"], "{draft:?}");
    }

    #[test]
    fn many_aliases_in_a_front_matter_stay_linear_and_bounded() {
        let list: String = (0..200_000).map(|i| format!("\n  - /old/{}/", i % 150_000)).collect();
        let fm: Value = super::super::yaml::load(&format!("aliases:{list}")).expect("yaml");
        let start = std::time::Instant::now();
        let got = old_addresses(&fm, None);
        assert_eq!(got.len(), article_viewer_core::format::LIMITS.small_list);
        assert_eq!(got[..2], ["/old/0/", "/old/1/"]);
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[test]
    fn a_jekyll_site_and_its_permalink_style() {
        let (source, sink) = import_site("jekyll-site", false);
        assert_eq!((source.title.as_deref(), source.language.as_deref()), (Some("Harbour Log"), Some("en")));
        assert_eq!(post(&sink, "pilot-boats").aliases, ["/harbour/boats/2024/06/02/pilot-boats/"]);
        assert_eq!(post(&sink, "lock-gates").aliases, ["/lock-gates.html"]);
    }

    #[test]
    fn which_files_are_posts() {
        let sink = run(None);
        let mut slugs: Vec<&str> = sink.posts.iter().map(|p| p.slug.as_str()).collect();
        slugs.sort();
        assert_eq!(slugs, ["astro-ondevice", "jekyll-passkey", "openai-oracle", "휴고-toml-글"]);
        let w = sink.warnings.join("\n");
        assert!(w.contains("content/posts/bad-front-matter.md:2:8: skipped: invalid YAML front matter"), "{w}");
        assert!(w.contains("notes/readme.md: skipped: no front matter"), "{w}");
        assert!(!w.contains("draft") && !w.contains("_index"), "{w}");
    }

    #[test]
    fn hugo_page_bundle_with_yaml() {
        let sink = run(None);
        let p = post(&sink, "openai-oracle");
        assert_eq!(p.title, "인공지능 강자 오픈AI, 옛 강자 오라클과 손 잡다");
        assert_eq!(
            (p.published.as_deref(), p.updated.as_deref()),
            (Some("2025-09-12T09:00:00+09:00"), Some("2025-09-13T10:00:00+09:00"))
        );
        assert_eq!(p.tags, vec!["클라우드", "AI", "오라클"]);
        assert_eq!(p.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["문가용", "김서연"]);
        assert_eq!(p.authors[1].title.as_deref(), Some("기자"));
        assert_eq!(p.summary.as_deref(), Some("오픈AI가 5년 동안 오라클에 3천억 달러를 쓴다."));
        assert_eq!(p.subtitle, p.summary, "the description is the dek (and so the page's description)");
        let image = p.image.clone().expect("cover");
        assert_eq!(
            (image.src.as_str(), image.alt.as_deref()),
            ("images/content/posts/openai-oracle/cover.svg", Some("악수하는 두 손"))
        );
        assert_eq!(p.editors_pick.as_ref().map(|k| k.items.len()), Some(3));
        assert_eq!(p.related, vec!["jekyll-passkey"]);
        for want in [
            "![오라클 주가 차트](../images/content/posts/openai-oracle/chart.svg \"오라클 주가가 하루만에 36% 상승했다 [자료: 오라클]\")",
            "![인라인](../images/content/posts/openai-oracle/chart.svg)",
            "[공유]: <../images/content/posts/images/shared%20chart.svg>",
            "![공유 그림](../images/content/posts/images/shared%20chart.svg \"폴더 밖이 아닌 공유 그림\")",
            "\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n",
            "> [!TIP]\n> 💡 **여기서 잠깐!**",
            "![전력](https://cdn.example/power.png \"데이터센터 전력 사용량\")",
            "[위험한 링크](#)",
            "[바깥 파일](../../../../../../etc/passwd.png)",
        ] {
            assert!(p.body.contains(want), "{want:?} not in\n{}", p.body);
        }
        assert!(!p.body.contains("newsletter-signup") && !p.body.contains("javascript"), "{}", p.body);
        let mut copied: Vec<&str> = p.assets.iter().map(|(_, r)| r.as_str()).collect();
        copied.sort();
        copied.dedup();
        assert_eq!(
            copied,
            [
                "images/content/posts/images/shared chart.svg",
                "images/content/posts/openai-oracle/chart.svg",
                "images/content/posts/openai-oracle/cover.svg"
            ]
        );
        assert!(sink.warnings.iter().any(|w| w.contains("{{< newsletter-signup >}} dropped")), "{:?}", sink.warnings);
    }

    #[test]
    fn toml_jekyll_and_astro() {
        let sink = run(Some("https://site.example/"));
        let t = post(&sink, "휴고-toml-글");
        assert_eq!(t.published.as_deref(), Some("2025-09-08T18:00:00+09:00"));
        assert_eq!(t.body, "```go\nfunc main() {}\n```\n\n이 글의 코드는 `highlight` 단축 코드로 썼다.");
        assert!(t.authors.is_empty(), "params.author is not an author field");
        let j = post(&sink, "jekyll-passkey");
        assert_eq!(j.published.as_deref(), Some("2025-09-10T00:00:00Z"));
        assert_eq!(j.tags, vec!["보안", "인증", "패스키"]);
        assert_eq!(j.authors[0].name, "박준호");
        assert_eq!(j.image.as_ref().map(|i| i.src.as_str()), Some("https://site.example/assets/img/passkey.png"));
        assert_eq!(j.body, "```ruby\nputs \"passkey\"\n```\n\n[소개](/about/) 페이지를 보라.");
        let a = post(&sink, "astro-ondevice");
        assert_eq!(
            (a.published.as_deref(), a.updated.as_deref()),
            (Some("2025-09-11T00:00:00Z"), Some("2025-09-12T00:00:00Z"))
        );
        assert_eq!(a.language.as_deref(), Some("en"));
        assert_eq!(a.image.as_ref().map(|i| i.src.as_str()), Some("images/src/assets/hero.svg"));
        assert!(
            a.body.ends_with("An HTML paragraph with [a root-relative link](https://site.example/docs/)."),
            "{}",
            a.body
        );
    }

    #[test]
    fn odd_templates_are_left_or_dropped_without_panicking() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/markdown");
        let mut cx = Context { root: &root, dir: PathBuf::new(), site: None, assets: Vec::new(), warnings: Vec::new() };
        let c = Converter::new();
        for body in [
            "{%}",
            "{{<>}}",
            "{{%%}}",
            "{{ site.}}",
            "{{< figure",
            "{{</* x */>}}",
            "{% highlight %}",
            "{{< highlight >}}x{{< /highlight >}}{{< /highlight >}}",
            "{{<\u{1}>}}",
        ] {
            let _ = markdown_body(body, &c, &mut cx);
        }
        assert_eq!(markdown_body("{{</* figure src=\"a\" */>}}", &c, &mut cx), "{{< figure src=\"a\" >}}");
    }

    #[test]
    fn front_matter_errors_say_where() {
        assert_eq!(front_matter("---\ntitle: [a\n---\nbody").map(|_| ()).unwrap_err().0, 3);
        let e = front_matter("+++\ntitle = \"a\"\ndate = 2025-13-01\n+++\n").map(|_| ()).unwrap_err();
        assert_eq!((e.0, e.1), (3, 8), "{}", e.2);
        assert!(front_matter("---\ntitle: a\n").is_err());
        let laughs = format!(
            "---\na: &a [x]\n{}---\n",
            (0..20)
                .map(|i| format!(
                    "b{i}: &b{i} [*{p}, *{p}]\n",
                    p = if i == 0 { "a".into() } else { format!("b{}", i - 1) }
                ))
                .collect::<String>()
        );
        assert!(front_matter(&laughs).unwrap_err().2.contains("aliases"));
        assert!(front_matter("no front matter").expect("ok").is_none());
    }

    #[test]
    fn many_templates_of_one_kind_are_read_in_one_pass() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/markdown");
        let mut cx = Context { root: &root, dir: PathBuf::new(), site: None, assets: Vec::new(), warnings: Vec::new() };
        let body = format!("{}끝", "{% raw %}a".repeat(50_000));
        let got = templates(&body, &mut cx);
        assert_eq!(got, format!("{}끝", "a".repeat(50_000)));
        let mixed = "{{< youtube abcdefghijk >}} {% raw %}x{% endraw %} {{% note %}} {{ site.title }}y";
        assert_eq!(templates(mixed, &mut cx), "\n\nhttps://www.youtube.com/watch?v=abcdefghijk\n\n x  y");
    }

    #[test]
    fn hugo_embeds_and_galleries() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/markdown");
        let mut cx = Context { root: &root, dir: PathBuf::new(), site: None, assets: Vec::new(), warnings: Vec::new() };
        let body = "앞\n\n{{< youtube w7Ejv_1xxxx >}}\n\n{{< youtube id=\"w7Ejv_2xxxx\" autoplay=\"true\" >}}\n{{% vimeo 146022717 %}}\n\
                    {{< x user=\"news_desk\" id=\"1453110110599868418\" >}}\n{{< tweet user=\"a\" id=\"12\" >}}\n{{< tweet 34 >}}\n\
                    {{< instagram CxOWiQNP2MO >}}\n\n\
                    {{< gallery >}}\n  {{< figure src=\"https://cdn.example/a.jpg\" alt=\"가\" >}}\n\n  \
                    {{< figure src=\"https://cdn.example/b.jpg\" caption=\"둘째\" >}}\n{{< /gallery >}}\n\n뒤";
        let got = collapse_blank_lines(templates(body, &mut cx).trim());
        assert_eq!(
            got,
            "앞\n\nhttps://www.youtube.com/watch?v=w7Ejv_1xxxx\n\nhttps://www.youtube.com/watch?v=w7Ejv_2xxxx\n\n\
             https://vimeo.com/146022717\n\nhttps://x.com/news_desk/status/1453110110599868418\n\n\
             https://x.com/a/status/12\n\nhttps://x.com/i/status/34\n\nhttps://www.instagram.com/p/CxOWiQNP2MO/\n\n\
             ![가](https://cdn.example/a.jpg)\n![](https://cdn.example/b.jpg \"둘째\")\n\n뒤"
        );
        assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
        // Malformed ones are dropped with a warning naming them; nothing panics.
        let odd = format!(
            "{{{{< youtube >}}}}{{{{< vimeo abc >}}}}{{{{< x user=\"a\" >}}}}{{{{< instagram \"{}\" >}}}}{{{{< youtube id=\"<script>\" >}}}}{{{{< gallery >}}}}",
            "i".repeat(100_000)
        );
        let got = templates(&odd, &mut cx);
        assert!(!got.contains("http") && !got.contains("script"), "{}", &got[..got.len().min(200)]);
        assert_eq!(cx.warnings.len(), 5, "{:?}", cx.warnings);
        assert!(cx.warnings[1].starts_with("{{< vimeo abc >}} dropped"), "{}", cx.warnings[1]);
        cx.warnings.clear();
        templates("{{< gallery dir=\"/img/trip\" >}}{{< /gallery >}}", &mut cx);
        assert_eq!(
            cx.warnings,
            ["{{< gallery dir=\"/img/trip\" >}}: only the figures inside it are read; its arguments are not"]
        );
    }

    #[test]
    fn tags_and_authors_in_front_matter_are_read_once_each() {
        let tags: String = (0..20_000).map(|i| format!("  - t{}\n", i % 300)).collect();
        let people: String = (0..20_000).map(|i| format!("  - 기자{}\n", i % 3)).collect();
        let (fm, _, _) =
            front_matter(&format!("---\ntags:\n{tags}authors:\n{people}---\n")).expect("read").expect("front matter");
        let tags = text::unique(names(fm.get("tags"), true), 100);
        assert_eq!(tags.len(), 100);
        assert_eq!(authors(&fm).len(), 3);
    }
}
