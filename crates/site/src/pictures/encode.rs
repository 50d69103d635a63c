//! One picture's copies: decoded once (turned upright by its EXIF orientation), resized with a
//! triangle filter to each width, encoded as lossy WebP, plus a fallback in its own format, a
//! tiny placeholder and a 1200 × 630 preview for link previews. Everything lands in the cache
//! folder under the picture's content hash, with a small record of what was made, so a later
//! build reads the record instead of decoding the picture again.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use base64::Engine;
use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, ImageDecoder, ImageFormat, ImageReader};

/// Link previews (Open Graph, X, KakaoTalk) show this size best.
pub const SHARE: (u32, u32) = (1200, 630);
/// WebP quality (libwebp's 0–100 scale): photographs look the same at a fraction of the bytes.
const QUALITY: f32 = 75.0;
/// The placeholder's width: a few hundred bytes of base64 in the page.
const PLACEHOLDER_WIDTH: u32 = 16;

/// What the build asks for.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The copies' widths, narrowest first.
    pub widths: Vec<u32>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { widths: vec![480, 960, 1600] }
    }
}

impl Settings {
    /// A key naming these settings, part of each record's name: other widths make other copies.
    pub fn key(&self) -> String {
        let widths: Vec<String> = self.widths.iter().map(u32::to_string).collect();
        // `srgb`: the copies are in sRGB whatever profile the picture has (copies made before
        // were not, and are made again).
        format!("w{}-q{}-srgb", widths.join("_"), QUALITY as u32)
    }
}

/// What was made from one picture: file names inside the cache folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Made {
    pub width: u32,
    pub height: u32,
    /// `(file, width)`, narrowest first (WebP).
    pub copies: Vec<(String, u32)>,
    /// A copy in the picture's own format, when the picture is wider than the widest copy.
    pub fallback: Option<String>,
    /// A `data:` address, for opaque pictures only (behind a transparent one it would show).
    pub placeholder: Option<String>,
    /// The link-preview copy (JPEG).
    pub share: String,
}

impl Made {
    /// The record's text: one `key value` a line.
    fn record(&self) -> String {
        let copies: Vec<String> = self.copies.iter().map(|(f, w)| format!("{f}:{w}")).collect();
        format!(
            "size {} {}\ncopies {}\nfallback {}\nplaceholder {}\nshare {}\n",
            self.width,
            self.height,
            copies.join(" "),
            self.fallback.as_deref().unwrap_or("-"),
            self.placeholder.as_deref().unwrap_or("-"),
            self.share
        )
    }

    /// A record read back; `None` when it is not one this program wrote, or a file it names is
    /// missing (the picture is then made again).
    fn read(text: &str, dir: &Path) -> Option<Made> {
        let mut lines = text.lines().map(|l| l.split_once(' ').map_or((l, ""), |(k, v)| (k, v)));
        let opt = |v: &str| (v != "-").then(|| v.to_string());
        let (("size", size), ("copies", copies), ("fallback", fallback), ("placeholder", ph), ("share", share)) =
            (lines.next()?, lines.next()?, lines.next()?, lines.next()?, lines.next()?)
        else {
            return None;
        };
        let (w, h) = size.split_once(' ')?;
        let copies: Option<Vec<(String, u32)>> = copies
            .split(' ')
            .filter(|c| !c.is_empty())
            .map(|c| c.rsplit_once(':').and_then(|(f, w)| Some((f.to_string(), w.parse().ok()?))))
            .collect();
        let made = Made {
            width: w.parse().ok()?,
            height: h.parse().ok()?,
            copies: copies?,
            fallback: opt(fallback),
            placeholder: opt(ph),
            share: share.to_string(),
        };
        let files = made.copies.iter().map(|(f, _)| f).chain(made.fallback.as_ref()).chain([&made.share]);
        let all_there = files.into_iter().all(|f| dir.join(f).is_file());
        (all_there && !made.copies.is_empty()).then_some(made)
    }
}

/// Whether a record for `hash` with these settings is in `dir`: what it says, when it is.
pub fn cached(dir: &Path, hash: &str, settings: &Settings) -> Option<Made> {
    let text = std::fs::read_to_string(record_path(dir, hash, settings)).ok()?;
    Made::read(&text, dir)
}

fn record_path(dir: &Path, hash: &str, settings: &Settings) -> PathBuf {
    dir.join(format!("{hash}-{}.txt", settings.key()))
}

/// Makes every copy of the picture at `source` (content hash `hash`) into `dir`. An error is
/// a sentence for a warning naming the picture.
pub fn make(source: &Path, hash: &str, dir: &Path, settings: &Settings) -> Result<Made, String> {
    let (img, format) = decode(source)?;
    let (width, height) = img.dimensions();
    let mut copies = Vec::new();
    for &w in &widths(width, &settings.widths) {
        let copy = resized(&img, w);
        let name = format!("{hash}-{w}.webp");
        write(dir, &name, &webp(&copy)?)?;
        copies.push((name, w));
    }
    let widest = settings.widths.iter().copied().max().unwrap_or(width);
    let fallback = if width > widest {
        let (ext, fmt) =
            if format == ImageFormat::Png { ("png", ImageFormat::Png) } else { ("jpg", ImageFormat::Jpeg) };
        let name = format!("{hash}-{widest}.{ext}");
        write(dir, &name, &encoded(&resized(&img, widest), fmt)?)?;
        Some(name)
    } else {
        None
    };
    let placeholder = opaque(&img).then(|| placeholder(&img)).transpose()?;
    let share = format!("{hash}-share.jpg");
    write(dir, &share, &share_jpeg(&img)?)?;
    let made = Made { width, height, copies, fallback, placeholder, share };
    write(
        dir,
        &record_path(dir, hash, settings).file_name().unwrap_or_default().to_string_lossy(),
        made.record().as_bytes(),
    )?;
    Ok(made)
}

/// The widths to make for a picture `width` pixels wide: each asked-for width narrower than
/// it, and the picture's own width when it is narrower than the widest asked for (never
/// wider than the picture: no copy is upscaled).
pub fn widths(width: u32, asked: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = asked.iter().copied().filter(|&w| w > 0 && w < width).collect();
    if asked.iter().any(|&w| w >= width) {
        out.push(width);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The picture, upright and in sRGB, and the format it was in.
fn decode(source: &Path) -> Result<(DynamicImage, ImageFormat), String> {
    let reader =
        ImageReader::open(source).map_err(|e| e.to_string())?.with_guessed_format().map_err(|e| e.to_string())?;
    let format = reader.format().ok_or("not a picture this program reads (JPEG, PNG, WebP)")?;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    // A profile that cannot be read is no profile: the pixels are taken as sRGB, as before.
    let profile = decoder.icc_profile().ok().flatten();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    if let Some(icc) = profile {
        img = to_srgb(img, &icc);
    }
    Ok((img, format))
}

/// The picture's pixels from the colour profile it carries (`icc`) into sRGB. The copies carry
/// no profile, so browsers show them as sRGB: a phone's Display P3 photo would otherwise come
/// out duller (and an Adobe RGB one shifted). An RGB profile is converted with moxcms (the
/// colour management `image` itself uses), perceptually; a profile that cannot be read, or
/// that is not RGB (grey, CMYK), leaves the pixels as they are. The result has 8-bit channels.
pub fn to_srgb(img: DynamicImage, icc: &[u8]) -> DynamicImage {
    use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
    let Ok(profile) = ColorProfile::new_from_slice(icc) else { return img };
    if profile.color_space != DataColorSpace::Rgb {
        return img;
    }
    let alpha = img.color().has_alpha();
    let layout = if alpha { Layout::Rgba } else { Layout::Rgb };
    let srgb = ColorProfile::new_srgb();
    let Ok(transform) = profile.create_transform_8bit(layout, &srgb, layout, TransformOptions::default()) else {
        return img;
    };
    let (w, h) = img.dimensions();
    let pixels = if alpha { img.to_rgba8().into_raw() } else { img.to_rgb8().into_raw() };
    let mut out = vec![0u8; pixels.len()];
    if transform.transform(&pixels, &mut out).is_err() {
        return img;
    }
    let converted = if alpha {
        image::RgbaImage::from_raw(w, h, out).map(DynamicImage::ImageRgba8)
    } else {
        image::RgbImage::from_raw(w, h, out).map(DynamicImage::ImageRgb8)
    };
    converted.unwrap_or(img)
}

fn resized(img: &DynamicImage, width: u32) -> DynamicImage {
    if width >= img.width() {
        return img.clone();
    }
    let height = ((u64::from(img.height()) * u64::from(width)) / u64::from(img.width().max(1))).max(1) as u32;
    img.resize_exact(width, height, FilterType::Triangle)
}

/// Lossy WebP (libwebp), from 8-bit RGB or RGBA.
fn webp(img: &DynamicImage) -> Result<Vec<u8>, String> {
    Ok(webp_at(img, QUALITY))
}

fn webp_at(img: &DynamicImage, quality: f32) -> Vec<u8> {
    let (w, h) = img.dimensions();
    if img.color().has_alpha() {
        webp::Encoder::from_rgba(&img.to_rgba8(), w, h).encode(quality).to_vec()
    } else {
        webp::Encoder::from_rgb(&img.to_rgb8(), w, h).encode(quality).to_vec()
    }
}

fn encoded(img: &DynamicImage, format: ImageFormat) -> Result<Vec<u8>, String> {
    let mut out = Cursor::new(Vec::new());
    let img = if format == ImageFormat::Jpeg { DynamicImage::ImageRgb8(img.to_rgb8()) } else { img.clone() };
    if format == ImageFormat::Jpeg {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
        img.write_with_encoder(encoder).map_err(|e| e.to_string())?;
    } else {
        img.write_to(&mut out, format).map_err(|e| e.to_string())?;
    }
    Ok(out.into_inner())
}

/// No pixel lets what is behind show through.
fn opaque(img: &DynamicImage) -> bool {
    !img.color().has_alpha() || img.to_rgba8().pixels().all(|p| p.0[3] == 255)
}

/// A `data:` WebP a few pixels wide, which the page blurs while the picture loads.
fn placeholder(img: &DynamicImage) -> Result<String, String> {
    let small = img.thumbnail(PLACEHOLDER_WIDTH, PLACEHOLDER_WIDTH);
    let bytes = webp_at(&DynamicImage::ImageRgb8(small.to_rgb8()), 40.0);
    Ok(format!("data:image/webp;base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}

/// The link-preview copy: the picture scaled to cover 1200 × 630 and cut to it from the centre
/// (a small picture is scaled up: a preview needs the size), on white where it is transparent.
pub fn share_jpeg(img: &DynamicImage) -> Result<Vec<u8>, String> {
    let (w, h) = SHARE;
    let cover = img.resize_to_fill(w, h, FilterType::Triangle);
    let mut canvas = image::RgbImage::from_pixel(w, h, image::Rgb([255, 255, 255]));
    for (x, y, p) in cover.to_rgba8().enumerate_pixels() {
        let a = u16::from(p.0[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        canvas.put_pixel(x, y, image::Rgb([mix(p.0[0]), mix(p.0[1]), mix(p.0[2])]));
    }
    encoded(&DynamicImage::ImageRgb8(canvas), ImageFormat::Jpeg)
}

/// The link-preview copy of an SVG (already without scripts and outside references,
/// [`crate::svg::sanitise`]): drawn to cover 1200 × 630 on white, as a JPEG in `dir`.
pub fn make_svg_share(svg: &[u8], hash: &str, dir: &Path) -> Result<String, String> {
    let name = format!("{hash}-share.jpg");
    if dir.join(&name).is_file() {
        return Ok(name);
    }
    // Nothing outside the picture is read, even a file path in an `<image>`.
    let opt = resvg::usvg::Options {
        image_href_resolver: resvg::usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..resvg::usvg::Options::default()
    };
    let tree = resvg::usvg::Tree::from_data(svg, &opt).map_err(|e| e.to_string())?;
    let (w, h) = SHARE;
    let size = tree.size();
    let scale = (w as f32 / size.width()).max(h as f32 / size.height());
    if !scale.is_finite() || scale <= 0.0 {
        return Err("the SVG has no size".into());
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or("no room for the preview")?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let (dx, dy) = ((w as f32 - size.width() * scale) / 2.0, (h as f32 - size.height() * scale) / 2.0);
    let transform = resvg::tiny_skia::Transform::from_scale(scale, scale).post_translate(dx, dy);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    // Opaque (drawn on white): premultiplied and plain colours are the same.
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let img = image::RgbImage::from_raw(w, h, rgb).ok_or("the preview's pixels do not fit")?;
    write(dir, &name, &encoded(&DynamicImage::ImageRgb8(img), ImageFormat::Jpeg)?)?;
    Ok(name)
}

/// Writes `bytes` at `dir/name` under a temporary name first, so an interrupted build leaves
/// no half file that a later one would take for made.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let path = dir.join(name);
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temp, bytes).map_err(|e| format!("{}: {e}", temp.display()))?;
    std::fs::rename(&temp, &path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths(4000, &[480, 960, 1600]), vec![480, 960, 1600]);
        assert_eq!(widths(1200, &[480, 960, 1600]), vec![480, 960, 1200]);
        assert_eq!(widths(300, &[480, 960, 1600]), vec![300]);
        assert_eq!(widths(960, &[480, 960]), vec![480, 960]);
    }

    /// A flat 64 × 48 JPEG of `rgb`, carrying `icc` when given.
    fn flat_jpeg(path: &Path, rgb: [u8; 3], icc: Option<Vec<u8>>) {
        use image::ImageEncoder;
        let img = image::RgbImage::from_pixel(64, 48, image::Rgb(rgb));
        let mut out = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 100);
        if let Some(icc) = icc {
            encoder.set_icc_profile(icc).expect("JPEG carries a profile");
        }
        encoder.write_image(img.as_raw(), 64, 48, image::ExtendedColorType::Rgb8).expect("encode");
        std::fs::write(path, out).expect("write");
    }

    /// The middle pixel of the WebP copy `name` in `dir`.
    fn middle(dir: &Path, name: &str) -> [u8; 3] {
        let img = image::open(dir.join(name)).expect("the copy decodes").to_rgb8();
        img.get_pixel(img.width() / 2, img.height() / 2).0
    }

    fn near(a: [u8; 3], b: [u8; 3], by: u8) -> bool {
        a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= by)
    }

    #[test]
    fn a_display_p3_photo_keeps_its_colours_in_its_copies() {
        let dir = tempfile::tempdir().expect("temp");
        let p3 = moxcms::ColorProfile::new_display_p3().encode().expect("a P3 profile");
        // A P3 orange and what it is in sRGB, by littleCMS (Pillow's ImageCms, perceptual or
        // relative colorimetric) from this very profile. Unconverted, it would stay 200, 120, 60.
        let (orange, in_srgb) = ([200, 120, 60], [213, 115, 42]);
        let settings = Settings { widths: vec![32] };
        for (name, icc, wanted) in [("p3", Some(p3), in_srgb), ("untagged", None, orange)] {
            let source = dir.path().join(format!("{name}.jpg"));
            flat_jpeg(&source, orange, icc);
            let made = make(&source, name, dir.path(), &settings).expect("made");
            for file in made.copies.iter().map(|(f, _)| f.as_str()).chain([made.share.as_str()]) {
                let got = middle(dir.path(), file);
                assert!(near(got, wanted, 4), "{name}: {file}: {got:?}, wanted {wanted:?}");
            }
        }
    }

    #[test]
    fn a_profile_that_is_not_rgb_or_not_a_profile_changes_nothing() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(2, 2, image::Rgb([200, 120, 60])));
        assert_eq!(to_srgb(img.clone(), b"not a profile"), img);
        assert_eq!(to_srgb(img.clone(), &[0u8; 200]), img);
        let gray = moxcms::ColorProfile::new_gray_with_gamma(2.2).encode().expect("a grey profile");
        assert_eq!(to_srgb(img.clone(), &gray), img);
        let srgb = moxcms::ColorProfile::new_srgb().encode().expect("an sRGB profile");
        let same = to_srgb(img.clone(), &srgb).to_rgb8();
        assert!(near(same.get_pixel(0, 0).0, [200, 120, 60], 1), "{:?}", same.get_pixel(0, 0));
        let rgba = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(2, 2, image::Rgba([200, 120, 60, 77])));
        let p3 = moxcms::ColorProfile::new_display_p3().encode().expect("a P3 profile");
        let converted = to_srgb(rgba, &p3).to_rgba8();
        assert_eq!(converted.get_pixel(1, 1).0[3], 77, "alpha is kept");
    }

    #[test]
    fn a_record_reads_back_only_when_its_files_are_there() {
        let dir = tempfile::tempdir().expect("temp");
        let made = Made {
            width: 4000,
            height: 3000,
            copies: vec![("h-480.webp".into(), 480), ("h-960.webp".into(), 960)],
            fallback: Some("h-1600.jpg".into()),
            placeholder: Some("data:image/webp;base64,AAAA".into()),
            share: "h-share.jpg".into(),
        };
        assert_eq!(Made::read(&made.record(), dir.path()), None, "no files yet");
        for f in ["h-480.webp", "h-960.webp", "h-1600.jpg", "h-share.jpg"] {
            std::fs::write(dir.path().join(f), b"x").expect("write");
        }
        assert_eq!(Made::read(&made.record(), dir.path()), Some(made));
        assert_eq!(Made::read("size 1 1\n", dir.path()), None);
        assert_eq!(Made::read("garbage", dir.path()), None);
    }
}
