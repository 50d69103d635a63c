//! Picture sizes: a picture published with the site gets its width and height written into the
//! documents that show it, so pages keep its place before it arrives (no layout shift). Sizes
//! are read from the files' headers; pictures elsewhere (a CDN) keep what the document says.

use std::path::Path;
use std::rc::Rc;

use article_viewer_core::format::{Document, Image, Summary};
use article_viewer_core::urls::resolve;

/// A stand-in address for the content folder, to resolve relative picture paths with the same
/// rules as the viewer.
pub(crate) const CONTENT: &str = "https://content.invalid/";

/// Fills in the size of every picture of `document` (at `rel` in the folder `root`) that lacks
/// one and lives in the folder. Returns whether anything changed.
pub fn fill_sizes(document: &mut Document, rel: &str, root: &Path) -> bool {
    let base = format!("{CONTENT}{rel}");
    let mut changed = false;
    let mut fill = |img: &mut Image| {
        if img.width.is_some() && img.height.is_some() {
            return;
        }
        if let Some((w, h)) = local_path(&img.src, &base, root).and_then(|p| size_of(&p)) {
            img.width = Some(w);
            img.height = Some(h);
            changed = true;
        }
    };
    let summaries = |list: &mut Vec<Rc<Summary>>, fill: &mut dyn FnMut(&mut Image)| {
        for s in list {
            if s.image.as_ref().is_some_and(|i| i.width.is_none() || i.height.is_none()) {
                if let Some(img) = Rc::make_mut(s).image.as_mut() {
                    fill(img);
                }
            }
        }
    };
    match document {
        Document::Article(a) => {
            if let Some(img) = a.image.as_mut() {
                fill(img);
            }
            summaries(&mut a.related, &mut fill);
        }
        Document::Collection(c) => summaries(&mut c.articles, &mut fill),
    }
    changed
}

/// The file a picture address names, when it lies inside the content folder.
pub(crate) fn local_path(src: &str, base: &str, root: &Path) -> Option<std::path::PathBuf> {
    let url = resolve(base, src);
    let rel = url.strip_prefix(CONTENT)?.split(['?', '#']).next()?;
    let rel = percent_encoding::percent_decode_str(rel).decode_utf8().ok()?;
    let mut path = root.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return None;
        }
        path.push(part);
    }
    path.is_file().then_some(path)
}

/// Width and height in pixels: from the header of a raster picture, from the root element of
/// an SVG (`width`/`height` in pixels, else the `viewBox`). Neither reads more than the
/// start of the file.
pub fn size_of(path: &Path) -> Option<(u32, u32)> {
    let is_svg = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let (w, h) = if is_svg {
        svg_size(std::io::BufReader::new(std::fs::File::open(path).ok()?))?
    } else {
        let s = imagesize::size(path).ok()?;
        (u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)
    };
    ((1..=100_000).contains(&w) && (1..=100_000).contains(&h)).then_some((w, h))
}

fn svg_size(reader: impl std::io::BufRead) -> Option<(u32, u32)> {
    let (width, height, view_box) = super::svg::size(reader)?;
    let px = |v: Option<&str>| {
        let v = v?.trim();
        let v = v.strip_suffix("px").unwrap_or(v);
        v.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 1.0).map(|n| n.round() as u32)
    };
    if let (Some(w), Some(h)) = (px(width.as_deref()), px(height.as_deref())) {
        return Some((w, h));
    }
    let view: Vec<f64> = view_box?.split([' ', ',']).filter(|s| !s.is_empty()).filter_map(|n| n.parse().ok()).collect();
    match view[..] {
        [_, _, w, h] if w >= 1.0 && h >= 1.0 && w.is_finite() && h.is_finite() => {
            Some((w.round() as u32, h.round() as u32))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_from_attributes_or_view_box() {
        assert_eq!(
            svg_size(&br#"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"/>"#[..]),
            Some((1200, 630))
        );
        assert_eq!(
            svg_size(&br#"<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 64,32"/>"#[..]),
            Some((64, 32))
        );
        assert_eq!(
            svg_size(&br#"<svg xmlns="http://www.w3.org/2000/svg" width="10px" height="20.4px"/>"#[..]),
            Some((10, 20))
        );
        assert_eq!(svg_size(&br#"<svg xmlns="http://www.w3.org/2000/svg"/>"#[..]), None);
        assert_eq!(svg_size(&b"not xml"[..]), None);
    }

    #[test]
    fn only_pictures_inside_the_folder_are_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("images")).unwrap_or_default();
        std::fs::write(
            dir.path().join("images/a b.svg"),
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"/>"#,
        )
        .unwrap_or_default();
        let mut doc = Document::Article(article_viewer_core::format::Article {
            image: Some(Image { src: "../images/a%20b.svg".into(), ..Image::default() }),
            related: vec![Rc::new(Summary {
                image: Some(Image { src: "https://cdn.example/x.png".into(), ..Image::default() }),
                ..Summary::default()
            })],
            ..article_viewer_core::format::Article::default()
        });
        assert!(fill_sizes(&mut doc, "articles/a.json", dir.path()));
        let Document::Article(a) = &doc else { unreachable!() };
        assert_eq!(a.image.as_ref().map(|i| (i.width, i.height)), Some((Some(4), Some(3))));
        assert_eq!(a.related[0].image.as_ref().and_then(|i| i.width), None, "a picture elsewhere keeps no size");
        assert!(!fill_sizes(&mut doc, "articles/a.json", dir.path()), "nothing left to fill");
        assert_eq!(local_path("../../etc/passwd", "https://content.invalid/a/b.json", dir.path()), None);
    }
}
