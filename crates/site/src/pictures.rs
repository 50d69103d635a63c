//! Responsive pictures: every raster picture published with the site (a story's hero, the
//! pictures of its body's figures, cards' pictures) gets copies at a few widths in WebP, a
//! fallback in its own format, a tiny placeholder and a link-preview copy ([`encode`]), on
//! every core. The copies are published under `_pictures/` and named in the documents
//! (`Image::variants`, `Image::share`, `Article::pictures`), so prerendered pages and the app
//! offer the same `srcset`.
//!
//! The copies are cached by the picture's content hash in `.article-viewer-cache/pictures/`
//! beside the documents (a hidden folder, so never published): a rebuild reads the cache's
//! records and encodes only pictures it has not seen. The build never deletes anything there.

pub mod encode;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use article_viewer_core::format::{write_document, Document, Image, Summary, Variant, Variants};
use article_viewer_core::markdown::{render_body, Attr, Node, RenderOptions, Tag};
use article_viewer_core::site::relative_url;

use encode::Made;
pub use encode::Settings;

use crate::content::Content;
use crate::images::{local_path, CONTENT};

/// The cache folder, inside the content folder.
pub const CACHE: &str = ".article-viewer-cache/pictures";
/// Where the copies are published, from the site's root.
pub const PUBLISHED: &str = "_pictures";

/// What making the pictures did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Report {
    /// Pictures encoded by this build.
    pub encoded: usize,
    /// Pictures whose copies were already in the cache.
    pub cached: usize,
    pub warnings: usize,
}

/// The pictures of `content` (read from the folder `root`): copies made or found in the
/// cache, added to the files to publish, and named in the documents.
pub fn make_all(content: &mut Content, root: &Path, settings: &Settings) -> Report {
    let mut report = Report::default();
    let cache = root.join(CACHE);
    if let Err(e) = std::fs::create_dir_all(&cache) {
        eprintln!("warning: {}: pictures are published as they are: {e}", cache.display());
        report.warnings += 1;
        return report;
    }
    let refs: Vec<Vec<Ref>> = content.docs.iter().map(|d| references(&d.document, &d.rel, root)).collect();
    let mut unique: Vec<&PathBuf> =
        refs.iter().flatten().map(|r| &r.path).collect::<HashSet<_>>().into_iter().collect();
    unique.sort();
    let results: Vec<(PathBuf, Outcome)> =
        unique.par_iter().map(|p| ((*p).clone(), one(p, &cache, settings))).collect();
    let mut made: HashMap<PathBuf, (String, Made)> = HashMap::new();
    let mut published = HashSet::new();
    for (path, result) in results {
        match result {
            Ok((hash, m, was_cached)) => {
                if was_cached {
                    report.cached += 1;
                } else {
                    report.encoded += 1;
                }
                let files = m.copies.iter().map(|(f, _)| f).chain(m.fallback.as_ref()).chain([&m.share]);
                for f in files {
                    if published.insert(f.clone()) {
                        content.files.push((cache.join(f), format!("{PUBLISHED}/{f}")));
                    }
                }
                made.insert(path, (hash, m));
            }
            Err(why) => {
                let rel = path.strip_prefix(root).unwrap_or(&path).display().to_string();
                eprintln!("warning: {rel}: published as it is, without smaller copies: {why}");
                report.warnings += 1;
            }
        }
    }
    for (doc, refs) in content.docs.iter_mut().zip(&refs) {
        if name_copies(&mut doc.document, &doc.rel, refs, &made) {
            doc.text = write_document(&doc.document);
        }
    }
    report
}

/// The site's default share picture (`share_image` in site.toml, `rel` inside the folder
/// `root`) as a 1200 × 630 raster: the copy in the cache and its address in the published
/// site. `None` (with a warning) when it cannot be drawn; the picture is then used as it is.
pub fn site_share(root: &Path, rel: &str, settings: &Settings) -> Option<(PathBuf, String)> {
    let path = local_path(rel, CONTENT, root)?;
    let cache = root.join(CACHE);
    let made = std::fs::create_dir_all(&cache).map_err(|e| e.to_string()).and_then(|()| one(&path, &cache, settings));
    match made {
        Ok((_, m, _)) => Some((cache.join(&m.share), format!("{PUBLISHED}/{}", m.share))),
        Err(why) => {
            eprintln!("warning: {rel}: the share picture is used as it is (link previews may not show it): {why}");
            None
        }
    }
}

/// Warns of each article page (and the site's front page) that link previews would show
/// without a picture: no hero they can show, and no `share_image` in site.toml. Returns
/// the number of warnings.
pub fn without_preview(content: &Content, site_default: bool) -> usize {
    if site_default {
        return 0;
    }
    let mut warnings = 0;
    for doc in &content.docs {
        let shown = match &doc.document {
            Document::Article(a) => a.image.as_ref().is_some_and(crate::head::previewable),
            Document::Collection(c) if doc.rel == "index.json" => {
                c.articles.iter().filter_map(|s| s.image.as_ref()).any(crate::head::previewable)
            }
            Document::Collection(_) => continue,
        };
        if !shown {
            eprintln!(
                "warning: {}: link previews show no picture: give it a raster hero of at least 1200 × 630 (or an SVG, which build draws), or share_image in site.toml",
                doc.rel
            );
            warnings += 1;
        }
    }
    warnings
}

/// One picture: its hash, and its copies from the cache or made now (`true` when cached).
/// A picture's hash and copies, and whether they came from the cache; or why it has none.
type Outcome = Result<(String, Made, bool), String>;

fn one(path: &Path, cache: &Path, settings: &Settings) -> Outcome {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let digest = Sha256::digest(&bytes);
    let hash: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
    if is_svg(path) {
        // Drawn at any size already: only the link-preview copy, which previews need raster.
        let clean = crate::svg::sanitise(&bytes).map_err(|e| e.to_string())?;
        let was_cached = cache.join(format!("{hash}-share.jpg")).is_file();
        let share = encode::make_svg_share(&clean.bytes, &hash, cache)?;
        let (width, height) = crate::images::size_of(path).unwrap_or(encode::SHARE);
        let m = Made { width, height, copies: Vec::new(), fallback: None, placeholder: None, share };
        return Ok((hash, m, was_cached));
    }
    if let Some(m) = encode::cached(cache, &hash, settings) {
        return Ok((hash, m, true));
    }
    encode::make(path, &hash, cache, settings).map(|m| (hash, m, false))
}

/// Where a document shows a picture of the folder.
#[derive(Debug)]
struct Ref {
    place: Place,
    path: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
enum Place {
    Hero,
    /// A card, by its index in `related` or `articles`.
    Card(usize),
    /// A figure of the body, by its address relative to the document.
    Figure(String),
}

/// Whether `src` names a raster picture this program resizes (a GIF may move; an SVG is drawn
/// at any size already).
fn is_raster(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "webp")
}

fn is_svg(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("svg"))
}

fn references(document: &Document, rel: &str, root: &Path) -> Vec<Ref> {
    let base = format!("{CONTENT}{rel}");
    let local = |src: &str| local_path(src, &base, root).filter(|p| is_raster(p));
    // Heroes and cards: an SVG gets its link-preview copy.
    let shown = |src: &str| local_path(src, &base, root).filter(|p| is_raster(p) || is_svg(p));
    let mut out = Vec::new();
    let cards = match document {
        Document::Article(a) => {
            if let Some(path) = a.image.as_ref().and_then(|i| shown(&i.src)) {
                out.push(Ref { place: Place::Hero, path });
            }
            let opts = RenderOptions { base: Some(base.clone()), ..RenderOptions::default() };
            let mut seen = HashSet::new();
            figures(&render_body(&a.body, &opts), &mut |src| {
                if let Some(path) = local(src).filter(|_| seen.insert(src.to_string())) {
                    out.push(Ref { place: Place::Figure(relative_url(src, &base)), path });
                }
            });
            &a.related
        }
        Document::Collection(c) => &c.articles,
    };
    for (i, s) in cards.iter().enumerate() {
        if let Some(path) = s.image.as_ref().and_then(|img| shown(&img.src)) {
            out.push(Ref { place: Place::Card(i), path });
        }
    }
    out
}

/// Calls `found` with the (absolute) address of every figure's picture in `nodes`.
fn figures(nodes: &[Node], found: &mut dyn FnMut(&str)) {
    for n in nodes {
        let Node::Element(e) = n else { continue };
        if e.tag == Tag::Figure {
            if let Some(Node::Element(img)) =
                e.children.first().filter(|c| matches!(c, Node::Element(i) if i.tag == Tag::Img))
            {
                if let Some(src) = img.get(Attr::Src) {
                    found(src);
                }
            }
        } else {
            figures(&e.children, found);
        }
    }
}

/// Writes the copies of each picture `refs` lists into the document (at `rel`). Returns
/// whether anything changed.
fn name_copies(document: &mut Document, rel: &str, refs: &[Ref], made: &HashMap<PathBuf, (String, Made)>) -> bool {
    let up = "../".repeat(rel.matches('/').count());
    let mut changed = false;
    for r in refs {
        let Some((_, m)) = made.get(&r.path) else { continue };
        let card = |list: &mut Vec<Rc<Summary>>, i: usize| {
            list.get_mut(i).and_then(|s| Rc::make_mut(s).image.as_mut()).map(|img| describe(img, m, &up, true))
        };
        match (&mut *document, &r.place) {
            (Document::Article(a), Place::Hero) => {
                if let Some(img) = a.image.as_mut() {
                    describe(img, m, &up, true);
                }
            }
            (Document::Article(a), Place::Card(i)) => _ = card(&mut a.related, *i),
            (Document::Collection(c), Place::Card(i)) => _ = card(&mut c.articles, *i),
            (Document::Article(a), Place::Figure(src)) => {
                let mut img = Image { src: src.clone(), ..Image::default() };
                describe(&mut img, m, &up, false);
                a.pictures.retain(|p| p.src != *src);
                a.pictures.push(img);
            }
            _ => continue,
        }
        changed = true;
    }
    changed
}

/// `img` given the size, copies and (for heroes and cards) preview copy in `m`; `up` leads
/// from the document's folder to the site's root.
fn describe(img: &mut Image, m: &Made, up: &str, share: bool) {
    let at = |f: &str| format!("{up}{PUBLISHED}/{f}");
    if share {
        img.share = Some(at(&m.share));
    }
    img.width = Some(m.width);
    img.height = Some(m.height);
    if m.copies.is_empty() {
        return;
    }
    img.variants = Some(Variants {
        kind: "image/webp".into(),
        srcset: m.copies.iter().map(|(f, w)| Variant { src: at(f), width: *w }).collect(),
        fallback: m.fallback.as_deref().map(at),
        placeholder: m.placeholder.clone(),
    });
}

#[cfg(test)]
mod tests;
