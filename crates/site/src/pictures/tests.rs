use super::*;

use article_viewer_core::format::parse_document;

/// Small widths, so that the tests' pictures are small.
fn widths() -> Settings {
    Settings { widths: vec![120, 240, 400] }
}

/// A content folder with one article: a 500 × 250 JPEG hero, a body with a PNG figure and a
/// broken picture, and a card with an SVG.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path();
    std::fs::create_dir_all(root.join("images")).expect("images");
    std::fs::create_dir_all(root.join("articles")).expect("articles");
    let photo = image::RgbImage::from_fn(500, 250, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    photo.save(root.join("images/hero.jpg")).expect("jpeg");
    let small = image::RgbaImage::from_fn(100, 80, |x, _| image::Rgba([10, 20, 30, (x % 256) as u8]));
    small.save(root.join("images/chart.png")).expect("png");
    std::fs::write(root.join("images/broken.jpg"), b"not a picture").expect("broken");
    std::fs::write(
        root.join("images/card.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20" fill="#c00"/></svg>"##,
    )
    .expect("svg");
    let article = r#"{"id":"a","title":"t","image":{"src":"../images/hero.jpg"},
        "body":"![a chart](../images/chart.png \"cap\")\n\n![broken](../images/broken.jpg)\n\ntext ![inline](../images/hero.jpg)",
        "related":[{"id":"b","title":"b","image":{"src":"../images/card.svg"}}]}"#;
    std::fs::write(root.join("articles/a.json"), article).expect("article");
    let index = r#"{"articles":[{"id":"a","title":"t","href":"articles/a.json","image":{"src":"images/card.svg"}}]}"#;
    std::fs::write(root.join("index.json"), index).expect("index");
    dir
}

fn article(content: &Content) -> article_viewer_core::format::Article {
    let doc = content.docs.iter().find(|d| d.rel == "articles/a.json").expect("doc");
    match parse_document(&doc.text).expect("the written document parses").document {
        Document::Article(a) => a,
        Document::Collection(_) => panic!("an article"),
    }
}

#[test]
fn copies_are_made_named_in_the_document_and_published() {
    let dir = folder();
    let mut content = Content::read(dir.path()).expect("read");
    let report = make_all(&mut content, dir.path(), &widths());
    assert_eq!((report.encoded, report.cached, report.warnings), (3, 0, 1), "{report:?}");
    let a = article(&content);
    let hero = a.image.expect("hero");
    assert_eq!((hero.width, hero.height), (Some(500), Some(250)));
    let v = hero.variants.expect("variants");
    assert_eq!(v.kind, "image/webp");
    assert_eq!(v.srcset.iter().map(|c| c.width).collect::<Vec<_>>(), vec![120, 240, 400]);
    assert!(v.srcset[0].src.starts_with("../_pictures/") && v.srcset[0].src.ends_with("-120.webp"));
    assert!(v.fallback.as_deref().is_some_and(|f| f.ends_with("-400.jpg")), "{:?}", v.fallback);
    assert!(v.placeholder.as_deref().is_some_and(|p| p.starts_with("data:image/webp;base64,")));
    assert!(hero.share.as_deref().is_some_and(|s| s.ends_with("-share.jpg")));
    // The body's figure (not the inline picture, nor the broken one).
    assert_eq!(a.pictures.len(), 1, "{:?}", a.pictures);
    let chart = &a.pictures[0];
    assert_eq!((chart.src.as_str(), chart.width, chart.height), ("../images/chart.png", Some(100), Some(80)));
    let cv = chart.variants.as_ref().expect("chart variants");
    assert_eq!(cv.srcset.iter().map(|c| c.width).collect::<Vec<_>>(), vec![100], "never upscaled");
    assert_eq!((cv.fallback.as_deref(), cv.placeholder.as_deref()), (None, None), "small, and transparent");
    assert!(chart.share.is_none());
    // The SVG card: a raster copy for previews only.
    let card = a.related[0].image.as_ref().expect("card");
    assert!(card.variants.is_none() && card.share.as_deref().is_some_and(|s| s.ends_with("-share.jpg")));
    // Every named copy is published from the cache, and decodes at its width.
    for c in &v.srcset {
        let rel = c.src.trim_start_matches("../");
        let (source, _) = content.files.iter().find(|(_, r)| r == rel).expect("published");
        assert_eq!(image::open(source).expect("decodes").width(), c.width);
    }
    let share = hero.share.as_deref().map(|s| s.trim_start_matches("../")).unwrap_or_default();
    let (source, _) = content.files.iter().find(|(_, r)| r == share).expect("share published");
    assert_eq!(image::image_dimensions(source).expect("share decodes"), encode::SHARE);
    let card_share = card.share.as_deref().map(|s| s.trim_start_matches("../")).unwrap_or_default();
    let (source, _) = content.files.iter().find(|(_, r)| r == card_share).expect("svg share published");
    assert_eq!(image::image_dimensions(source).expect("svg share decodes"), encode::SHARE);
}

#[test]
fn a_rebuild_encodes_only_new_pictures_and_keeps_what_it_did_not_write() {
    let dir = folder();
    let keep = dir.path().join(CACHE).join("mine.txt");
    std::fs::create_dir_all(keep.parent().expect("parent")).expect("cache");
    std::fs::write(&keep, "a file of the user's").expect("keep");
    let mut content = Content::read(dir.path()).expect("read");
    let first = make_all(&mut content, dir.path(), &widths());
    let written = content.docs.iter().map(|d| d.text.clone()).collect::<Vec<_>>();
    let mut again = Content::read(dir.path()).expect("read");
    let second = make_all(&mut again, dir.path(), &widths());
    assert_eq!((first.encoded, second.encoded, second.cached), (3, 0, 3));
    assert_eq!(again.docs.iter().map(|d| d.text.clone()).collect::<Vec<_>>(), written, "the same documents");
    // A new picture: only it is encoded.
    let other = image::RgbImage::from_fn(300, 200, |x, y| image::Rgb([(x / 4) as u8, (y / 4) as u8, 7]));
    other.save(dir.path().join("images/new.jpg")).expect("jpeg");
    let doc = r#"{"id":"n","title":"n","image":{"src":"../images/new.jpg"},"body":"b"}"#;
    std::fs::write(dir.path().join("articles/n.json"), doc).expect("n");
    let mut third = Content::read(dir.path()).expect("read");
    let report = make_all(&mut third, dir.path(), &widths());
    assert_eq!((report.encoded, report.cached), (1, 3));
    // Other widths are other copies.
    let mut fourth = Content::read(dir.path()).expect("read");
    assert_eq!(make_all(&mut fourth, dir.path(), &Settings { widths: vec![100, 300] }).encoded, 3);
    assert_eq!(std::fs::read_to_string(&keep).expect("kept"), "a file of the user's");
}

#[test]
fn pages_without_a_preview_picture_are_named() {
    let dir = folder();
    let mut content = Content::read(dir.path()).expect("read");
    // The front page's only card picture is an SVG, which previews do not show; the article's
    // JPEG hero is shown as it is.
    assert_eq!(without_preview(&content, false), 1);
    assert_eq!(without_preview(&content, true), 0, "a site default covers every page");
    make_all(&mut content, dir.path(), &widths());
    assert_eq!(without_preview(&content, false), 0, "the SVG's raster copy is shown");
    let doc = content.docs.iter_mut().find(|d| d.rel == "articles/a.json").expect("doc");
    if let Document::Article(a) = &mut doc.document {
        a.image =
            Some(Image { src: "../images/small.png".into(), width: Some(600), height: Some(400), ..Image::default() });
    }
    assert_eq!(without_preview(&content, false), 1, "a picture smaller than 1200 × 630");
}
