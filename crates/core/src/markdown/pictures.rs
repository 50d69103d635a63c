//! Pictures as the page shows them: the `<img>` with its size, and, when `build` made smaller
//! copies ([`Variants`]), a `<picture>` offering them by width with a tiny blurred placeholder
//! behind. One tree for the hero, the cards and the body's figures, in prerendered pages and
//! in the app alike.

use super::tree::{Attr, Element, Node, Tag};
use crate::format::{Image, Variants};
use crate::urls::{safe_resolved, UrlKind};

/// How wide a picture is drawn, for the browser to choose a copy: the story's column
/// (`--av-measure`, 44rem) or the whole screen on a phone.
pub const STORY_SIZES: &str = "(min-width: 46rem) 44rem, 100vw";
/// A gallery's picture: a column of its grid, or most of a phone's screen in its strip.
pub const GALLERY_SIZES: &str = "(min-width: 46rem) 15rem, 85vw";
/// A card: a column of the listing's grid, or the whole screen on a phone.
pub const CARD_SIZES: &str = "(min-width: 46rem) 36rem, 100vw";

/// How one picture is drawn.
pub struct Look<'a> {
    /// The `<img>`'s class.
    pub class: Option<&'a str>,
    /// Fetched first (`fetchpriority="high"`, the hero) rather than when near (`loading="lazy"`).
    pub first: bool,
    pub sizes: &'a str,
    /// The size to keep a place for when the picture's is unknown.
    pub default_size: Option<(u32, u32)>,
}

/// `img` drawn as `look` says, its addresses resolved against `base` (the document's
/// address); `None` when its address is unsafe.
pub fn picture(img: &Image, base: Option<&str>, look: &Look<'_>) -> Option<Node> {
    let src = safe_resolved(&img.src, UrlKind::Image, base)?;
    let mut el = Element::new(Tag::Img).attr(Attr::Src, src).attr(Attr::Alt, img.alt.clone().unwrap_or_default());
    if let Some(class) = look.class {
        el = el.attr(Attr::Class, class);
    }
    el = if look.first { el.attr(Attr::Fetchpriority, "high") } else { el.attr(Attr::Loading, "lazy") };
    el = el.attr(Attr::Decoding, "async");
    if let (None, Some((w, h))) = (img.width.zip(img.height), look.default_size) {
        el = el.attr(Attr::Width, w.to_string()).attr(Attr::Height, h.to_string());
    }
    Some(sized(el, img, base, look.sizes))
}

/// The `<img>` `el` given `img`'s size, and its copies when there are any.
fn sized(mut el: Element, img: &Image, base: Option<&str>, sizes: &str) -> Node {
    if let (Some(w), Some(h)) = (img.width, img.height) {
        el.attrs.retain(|(a, _)| !matches!(a, Attr::Width | Attr::Height));
        el = el.attr(Attr::Width, w.to_string()).attr(Attr::Height, h.to_string());
    }
    match img.variants.as_ref().and_then(|v| offered(v, base)) {
        Some((srcset, fallback, placeholder)) => {
            if let Some(f) = fallback {
                el.attrs.retain(|(a, _)| *a != Attr::Src);
                el.attrs.insert(0, (Attr::Src, f));
            }
            let kind = img.variants.as_ref().map(|v| v.kind.clone()).unwrap_or_default();
            let source =
                Element::new(Tag::Source).attr(Attr::Type, kind).attr(Attr::Srcset, srcset).attr(Attr::Sizes, sizes);
            let picture = Element::new(Tag::Picture).child(source.into()).child(el.into());
            let mut wrap = Element::new(Tag::Span).attr(Attr::Class, "av-pic");
            if let Some(p) = placeholder {
                let ph = Element::new(Tag::Img)
                    .attr(Attr::Src, p)
                    .attr(Attr::Alt, "")
                    .attr(Attr::AriaHidden, "true")
                    .attr(Attr::Class, "av-ph");
                wrap = wrap.child(ph.into());
            }
            wrap.child(picture.into()).into()
        }
        None => el.into(),
    }
}

/// The copies as a `srcset` (each address safe, and free of the spaces and commas that
/// separate candidates), the fallback and the placeholder; `None` when no copy is usable.
fn offered(v: &Variants, base: Option<&str>) -> Option<(String, Option<String>, Option<String>)> {
    if !v.kind.starts_with("image/") || v.kind.contains([' ', '"']) {
        return None;
    }
    let resolve = |s: &str| safe_resolved(s, UrlKind::Image, base).filter(|u| !u.contains([' ', ',']));
    let mut srcset = String::new();
    for (c, u) in v.srcset.iter().filter_map(|c| Some((c, resolve(&c.src)?))) {
        if !srcset.is_empty() {
            srcset.push_str(", ");
        }
        srcset.push_str(&u);
        srcset.push(' ');
        srcset.push_str(&c.width.to_string());
        srcset.push('w');
    }
    if srcset.is_empty() {
        return None;
    }
    let placeholder = v.placeholder.as_deref().and_then(|p| safe_resolved(p, UrlKind::Image, base));
    Some((srcset, v.fallback.as_deref().and_then(resolve), placeholder))
}

/// Gives the body's figures (`nodes`, rendered against `base`) the size and copies that
/// `pictures` (an article's `pictures`) lists for their addresses.
pub fn apply(nodes: &mut [Node], pictures: &[Image], base: Option<&str>) {
    if pictures.is_empty() {
        return;
    }
    // At most `LIMITS.small_list` entries: a look through them per figure stays linear.
    let by_src: Vec<(String, &Image)> =
        pictures.iter().filter_map(|p| Some((safe_resolved(&p.src, UrlKind::Image, base)?, p))).collect();
    walk(nodes, &by_src, base, STORY_SIZES);
}

fn walk(nodes: &mut [Node], by_src: &[(String, &Image)], base: Option<&str>, sizes: &str) {
    for n in nodes {
        let Node::Element(e) = n else { continue };
        if e.tag != Tag::Figure {
            let gallery = e.get(Attr::Class) == Some("av-gallery");
            walk(&mut e.children, by_src, base, if gallery { GALLERY_SIZES } else { sizes });
            continue;
        }
        let Some(Node::Element(img)) = e.children.first_mut() else { continue };
        let src = if img.tag == Tag::Img { img.get(Attr::Src) } else { None };
        let found = src.and_then(|s| by_src.iter().find(|(k, _)| k == s)).map(|(_, p)| *p);
        if let Some(picture) = found {
            let el = std::mem::replace(img, Element::new(Tag::Img));
            e.children[0] = sized(el, picture, base, sizes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Variant;
    use crate::markdown::{check_safe, render_body, RenderOptions};

    const BASE: &str = "https://news.example/articles/a.json";

    fn variants() -> Variants {
        Variants {
            kind: "image/webp".into(),
            srcset: vec![
                Variant { src: "../_pictures/h-480.webp".into(), width: 480 },
                Variant { src: "javascript:alert(1)".into(), width: 960 },
                Variant { src: "../_pictures/h,1600.webp".into(), width: 1600 },
                Variant { src: "../_pictures/h-1600.webp".into(), width: 1600 },
            ],
            fallback: Some("../_pictures/h-1600.jpg".into()),
            placeholder: Some("data:image/webp;base64,AAAA".into()),
        }
    }

    fn attrs(n: &Node, tag: Tag) -> Vec<(Attr, String)> {
        let Node::Element(e) = n else { return Vec::new() };
        if e.tag == tag {
            return e.attrs.clone();
        }
        e.children.iter().map(|c| attrs(c, tag)).find(|a| !a.is_empty()).unwrap_or_default()
    }

    fn get(attrs: &[(Attr, String)], a: Attr) -> Option<&str> {
        attrs.iter().find(|(k, _)| *k == a).map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_picture_with_copies_offers_the_safe_ones_by_width() {
        let img = Image {
            src: "../images/h.jpg".into(),
            alt: Some("hero".into()),
            width: Some(4000),
            height: Some(3000),
            variants: Some(variants()),
            ..Image::default()
        };
        let look = Look { class: None, first: true, sizes: STORY_SIZES, default_size: None };
        let node = picture(&img, Some(BASE), &look).expect("safe");
        check_safe(std::slice::from_ref(&node)).expect("safe tree");
        let source = attrs(&node, Tag::Source);
        assert_eq!(
            get(&source, Attr::Srcset),
            Some("https://news.example/_pictures/h-480.webp 480w, https://news.example/_pictures/h-1600.webp 1600w")
        );
        assert_eq!(get(&source, Attr::Type), Some("image/webp"));
        let Node::Element(wrap) = &node else { panic!("an element") };
        assert_eq!((wrap.tag, wrap.get(Attr::Class)), (Tag::Span, Some("av-pic")));
        let Some(Node::Element(ph)) = wrap.children.first() else { panic!("a placeholder") };
        assert_eq!(
            (ph.get(Attr::Class), ph.get(Attr::Alt), ph.get(Attr::AriaHidden)),
            (Some("av-ph"), Some(""), Some("true"))
        );
        let Some(Node::Element(pic)) = wrap.children.get(1) else { panic!("a picture") };
        let Some(Node::Element(img)) = pic.children.get(1) else { panic!("an img") };
        assert_eq!(img.get(Attr::Src), Some("https://news.example/_pictures/h-1600.jpg"));
        assert_eq!((img.get(Attr::Width), img.get(Attr::Height)), (Some("4000"), Some("3000")));
        assert_eq!((img.get(Attr::Fetchpriority), img.get(Attr::Loading)), (Some("high"), None));
    }

    #[test]
    fn without_copies_it_is_a_plain_img_and_unsafe_copies_are_ignored() {
        let mut img = Image { src: "a.png".into(), width: Some(10), height: Some(20), ..Image::default() };
        let look = Look { class: Some("av-card-image"), first: false, sizes: CARD_SIZES, default_size: None };
        let Some(Node::Element(e)) = picture(&img, Some(BASE), &look) else { panic!("an img") };
        assert_eq!((e.tag, e.get(Attr::Loading), e.get(Attr::Width)), (Tag::Img, Some("lazy"), Some("10")));
        img.variants = Some(Variants {
            kind: "image/webp".into(),
            srcset: vec![Variant { src: "javascript:x".into(), width: 1 }],
            ..Variants::default()
        });
        let Some(Node::Element(e)) = picture(&img, Some(BASE), &look) else { panic!("an img") };
        assert_eq!(e.tag, Tag::Img, "no usable copy");
        img.src = "javascript:alert(1)".into();
        assert!(picture(&img, Some(BASE), &look).is_none());
    }

    #[test]
    fn body_figures_get_their_pictures_and_inline_pictures_do_not() {
        let opts = RenderOptions { base: Some(BASE.into()), ..RenderOptions::default() };
        let mut nodes = render_body("![a](../images/h.jpg \"cap\")\n\ntext ![b](../images/h.jpg)", &opts);
        let listed = Image {
            src: "../images/h.jpg".into(),
            width: Some(40),
            height: Some(30),
            variants: Some(variants()),
            ..Image::default()
        };
        apply(&mut nodes, &[listed], Some(BASE));
        check_safe(&nodes).expect("safe tree");
        let figure = attrs(&nodes[0], Tag::Source);
        assert!(get(&figure, Attr::Srcset).is_some_and(|s| s.ends_with("h-1600.webp 1600w")));
        assert!(attrs(&nodes[1], Tag::Source).is_empty(), "an inline picture stays as it is");
        assert_eq!(get(&attrs(&nodes[0], Tag::Figcaption), Attr::Class), None);
    }

    #[test]
    fn every_picture_of_a_gallery_gets_its_copies_sized_for_the_gallery() {
        let opts = RenderOptions { base: Some(BASE.into()), ..RenderOptions::default() };
        let mut nodes =
            render_body("![a](../images/h.jpg)\n![b](../images/other.jpg)\n![c](../images/h.jpg \"c\")", &opts);
        let listed = Image { src: "../images/h.jpg".into(), variants: Some(variants()), ..Image::default() };
        apply(&mut nodes, &[listed], Some(BASE));
        check_safe(&nodes).expect("safe tree");
        let Node::Element(gallery) = &nodes[0] else { panic!("a gallery") };
        let sizes: Vec<Option<String>> =
            gallery.children.iter().map(|f| get(&attrs(f, Tag::Source), Attr::Sizes).map(str::to_string)).collect();
        let g = Some(GALLERY_SIZES.to_string());
        assert_eq!(sizes, [g.clone(), None, g], "the listed picture, twice, and not the other");
    }
}
