//! Pictures come along: a picture a post uses (its hero, its body's images) that lived on the
//! old site is looked up in the export's own folders (`--assets`, Ghost's `content/images`
//! beside the JSON, WordPress's `wp-content/uploads` beside the XML, Hugo's `static/`, the
//! Jekyll root) and copied into the content folder's `images/`, so the published site serves
//! it. Nothing outside those folders is read (`..`, absolute paths and symlinks that lead out
//! are refused), only the picture types the build publishes are copied, each within
//! [`MAX_BYTES`], one copy per content (by hash), and no file is ever written over.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use article_viewer_core::urls::{scheme_of, HttpUrl};

/// The largest picture copied (a bigger one is listed as missing, with its size).
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// The picture types the build publishes, by extension (what `build` serves as pictures).
pub const TYPES: [&str; 8] = ["png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico"];

/// Export folders named in an old address that a pictures folder may stand for itself
/// (`--assets wp-content/uploads` finds `/wp-content/uploads/2024/05/x.jpg` at `2024/05/x.jpg`).
const EXPORT_PREFIXES: [&str; 3] = ["wp-content/uploads/", "content/images/", "static/"];

/// The old site's hosts: `--site`, and what the export says of itself (WordPress's address).
#[derive(Clone, Debug, Default)]
pub struct OldSite {
    hosts: Vec<String>,
}

impl OldSite {
    /// Adds the host of `url` (an absolute http(s) address); anything else is ignored.
    pub fn add(&mut self, url: &str) {
        if let Some(u) = HttpUrl::parse(url.trim()) {
            let host = bare_host(&u.host).to_string();
            if !self.hosts.contains(&host) {
                self.hosts.push(host);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
    }

    /// The path (and query) on the old site that `url` names: an absolute address on one of
    /// its hosts (`www.` or not), a scheme-relative one, or a path from the root. `None` for
    /// anything else (another site, a relative path, a fragment, `mailto:`).
    pub fn path_of<'a>(&self, url: &'a str) -> Option<&'a str> {
        let url = url.trim();
        let absolute = match scheme_of(url) {
            Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => true,
            Some(_) => return None,
            None if url.starts_with("//") => true,
            None => return url.starts_with('/').then_some(url),
        };
        debug_assert!(absolute);
        let full = if url.starts_with("//") { format!("https:{url}") } else { url.to_string() };
        let parsed = HttpUrl::parse(&full)?;
        if !self.hosts.iter().any(|h| h == bare_host(&parsed.host)) {
            return None;
        }
        let rest = url.split_once("//").map_or(url, |(_, r)| r);
        Some(match rest.find(['/', '?', '#']) {
            Some(at) => &rest[at..],
            None => "/",
        })
    }
}

fn bare_host(host: &str) -> &str {
    host.strip_prefix("www.").unwrap_or(host)
}

/// A folder pictures are looked up in, and its sub-folders tried first (Hugo's `static/`).
#[derive(Clone, Debug)]
pub struct Folder {
    /// Canonical.
    pub dir: PathBuf,
    pub first: Vec<&'static str>,
}

impl Folder {
    /// `dir` as a folder to look in, if it is one.
    pub fn new(dir: &Path, first: &[&'static str]) -> Option<Folder> {
        let dir = dir.canonicalize().ok().filter(|d| d.is_dir())?;
        Some(Folder { dir, first: first.to_vec() })
    }
}

/// What became of one reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// Copied: the copy's path inside the content folder (`images/…`), not encoded.
    Copied(String),
    /// Left on another site.
    Remote,
    /// On the old site (or a path with nothing to resolve it against) and not copied: why.
    Missing(String),
    /// Not a picture's address this judges (`data:`, a fragment, a relative path).
    Other,
}

pub struct Pictures {
    out: PathBuf,
    folders: Vec<Folder>,
    pub old: OldSite,
    /// Each source file read, by its canonical path: its copy, or why it was refused.
    by_source: HashMap<PathBuf, Result<String, String>>,
    /// Copies by (length, hash) of their bytes.
    by_content: HashMap<(u64, u64), Vec<String>>,
    /// Names taken inside the content folder, lower-cased (some disks ignore case).
    names: HashSet<String>,
    /// Files written.
    pub files: usize,
}

impl Pictures {
    pub fn new(out: &Path, folders: Vec<Folder>) -> Pictures {
        Pictures {
            out: out.to_path_buf(),
            folders,
            old: OldSite::default(),
            by_source: HashMap::new(),
            by_content: HashMap::new(),
            names: HashSet::new(),
            files: 0,
        }
    }

    /// The folders looked in, for messages.
    fn where_looked(&self) -> String {
        if self.folders.is_empty() {
            return "no pictures folder (give --assets <folder>)".into();
        }
        let list: Vec<String> = self.folders.iter().map(|f| f.dir.display().to_string()).collect();
        format!("not found in {}", list.join(", "))
    }

    /// What becomes of the picture at `reference`: copied when it is on the old site (or a
    /// path from its root) and found in the pictures folders.
    pub fn place(&mut self, reference: &str) -> Found {
        let reference = reference.trim();
        if reference.is_empty() || reference.starts_with('#') {
            return Found::Other;
        }
        let Some(path) = self.old.path_of(reference) else {
            return match scheme_of(reference) {
                Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => Found::Remote,
                None if reference.starts_with("//") => Found::Remote,
                _ => Found::Other,
            };
        };
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
            return Found::Missing("its address is not UTF-8".into());
        };
        match self.look_up(&decoded) {
            Ok(rel) => Found::Copied(rel),
            Err(why) => Found::Missing(why),
        }
    }

    /// The copy of `path` (a decoded path from the old site's root), found in the folders.
    fn look_up(&mut self, path: &str) -> Result<String, String> {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if segments.iter().any(|s| *s == "." || *s == ".." || s.contains(['\\', '\0', ':'])) {
            return Err("its path leaves the pictures folder; not read".into());
        }
        let rel = segments.join("/");
        if !is_picture_name(&rel) {
            return Err(format!("not a picture type the site publishes ({})", TYPES.join(", ")));
        }
        let mut refusal = None;
        for i in 0..self.folders.len() {
            let folder = &self.folders[i];
            let mut tries: Vec<PathBuf> = folder.first.iter().map(|f| folder.dir.join(f).join(&rel)).collect();
            tries.push(folder.dir.join(&rel));
            for prefix in EXPORT_PREFIXES {
                if let Some(rest) = rel.strip_prefix(prefix) {
                    tries.push(folder.dir.join(rest));
                }
            }
            let dir = folder.dir.clone();
            for candidate in tries {
                if std::fs::symlink_metadata(&candidate).is_err() {
                    continue;
                }
                let Ok(full) = candidate.canonicalize() else { continue };
                if !full.starts_with(&dir) {
                    refusal = Some("it leads outside the pictures folder (a link); not read".to_string());
                    continue;
                }
                if !full.is_file() {
                    continue;
                }
                let inside = full.strip_prefix(&dir).map(Path::to_path_buf).unwrap_or_default();
                let name: Vec<String> =
                    inside.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
                return self.copy(&full, &format!("images/{}", name.join("/")));
            }
        }
        Err(refusal.unwrap_or_else(|| self.where_looked()))
    }

    /// Copies `source` (a canonical path inside a folder the import may read) into the
    /// content folder, at `wanted` (`images/…`) or a name made from it; the same bytes seen
    /// before are the copy made before.
    pub fn copy(&mut self, source: &Path, wanted: &str) -> Result<String, String> {
        if let Some(done) = self.by_source.get(source) {
            return done.clone();
        }
        let result = self.copy_new(source, wanted);
        self.by_source.insert(source.to_path_buf(), result.clone());
        result
    }

    fn copy_new(&mut self, source: &Path, wanted: &str) -> Result<String, String> {
        if !is_picture_name(wanted) {
            return Err(format!("not a picture type the site publishes ({})", TYPES.join(", ")));
        }
        let too_big =
            |n: u64| format!("{:.1} MB, over the {} MB a picture may be", n as f64 / 1048576.0, MAX_BYTES >> 20);
        let meta = std::fs::metadata(source).map_err(|e| format!("{}: {e}", source.display()))?;
        if meta.len() > MAX_BYTES {
            return Err(too_big(meta.len()));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(source)
            .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| format!("{}: {e}", source.display()))?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(too_big(bytes.len() as u64));
        }
        let ext = extension(wanted).unwrap_or_default();
        if !sniff(&ext, &bytes) {
            return Err(format!("its bytes are not a .{ext} picture; not copied"));
        }
        let mut hasher = DefaultHasher::new();
        hasher.write(&bytes);
        let key = (bytes.len() as u64, hasher.finish());
        for earlier in self.by_content.get(&key).into_iter().flatten() {
            if std::fs::read(self.out.join(earlier)).is_ok_and(|b| b == bytes) {
                return Ok(earlier.clone());
            }
        }
        let rel = self.free_name(wanted, key.1);
        let target = self.out.join(&rel);
        let written = target.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| {
            // A file already there is never written over.
            let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&target)?;
            f.write_all(&bytes)
        });
        written.map_err(|e| format!("{}: not copied: {e}", target.display()))?;
        self.files += 1;
        self.by_content.entry(key).or_default().push(rel.clone());
        Ok(rel)
    }

    /// `wanted` with each segment made safe, or (taken by another picture) with the content's
    /// hash before the extension.
    fn free_name(&mut self, wanted: &str, hash: u64) -> String {
        let parts: Vec<String> = wanted.split('/').filter(|s| !s.is_empty()).map(safe_segment).collect();
        let base = parts.join("/");
        let (stem, ext) = base.rsplit_once('.').unwrap_or((&base, ""));
        let mut n = 0u32;
        loop {
            let name = match n {
                0 => base.clone(),
                1 => format!("{stem}-{:08x}.{ext}", hash as u32),
                _ => format!("{stem}-{:08x}-{n}.{ext}", hash as u32),
            };
            if self.names.insert(name.to_lowercase()) && !self.out.join(&name).exists() {
                return name;
            }
            n += 1;
        }
    }
}

/// A file name segment as written in the content folder: no leading dot, no characters a disk
/// or a URL makes trouble of; letters of any script kept.
fn safe_segment(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(120)
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '+' | ',') { c } else { '-' })
        .collect::<String>()
        .trim()
        .to_string();
    while out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

fn extension(name: &str) -> Option<String> {
    let file = name.rsplit('/').next()?;
    Some(file.rsplit_once('.')?.1.to_ascii_lowercase())
}

/// Whether `name` ends in a picture type the build publishes.
pub fn is_picture_name(name: &str) -> bool {
    let name = name.split(['?', '#']).next().unwrap_or(name);
    extension(name).is_some_and(|e| TYPES.contains(&e.as_str()))
}

/// Whether `bytes` are what the extension says (so a page renamed `.png` is not published).
fn sniff(ext: &str, bytes: &[u8]) -> bool {
    match ext {
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "jpg" | "jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "gif" => bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
        "webp" => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        "avif" => bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && matches!(&bytes[8..12], b"avif" | b"avis"),
        "ico" => bytes.starts_with(&[0, 0, 1, 0]),
        "svg" => {
            // After an XML declaration, comments and a doctype, however long.
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 16)]).to_ascii_lowercase();
            head.contains("<svg")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().expect("temp");
        let export = tmp.path().join("export");
        let out = tmp.path().join("out");
        std::fs::create_dir_all(export.join("wp-content/uploads/2024/05")).expect("dir");
        std::fs::create_dir_all(&out).expect("dir");
        (tmp, export, out)
    }

    fn pictures(export: &Path, out: &Path) -> Pictures {
        let mut p = Pictures::new(out, vec![Folder::new(export, &[]).expect("folder")]);
        p.old.add("https://old.example/");
        p
    }

    #[test]
    fn old_site_addresses_and_paths() {
        let mut old = OldSite::default();
        old.add("https://www.Old.example/blog/");
        assert_eq!(old.path_of("http://old.example/a/?x#y"), Some("/a/?x#y"));
        assert_eq!(old.path_of("//www.old.example/p.png"), Some("/p.png"));
        assert_eq!(old.path_of("https://old.example"), Some("/"));
        assert_eq!(old.path_of("/a/"), Some("/a/"));
        assert_eq!(old.path_of("https://other.example/a/"), None);
        assert_eq!(old.path_of("https://old.example.evil/a/"), None);
        assert_eq!(old.path_of("a/b"), None);
        assert_eq!(old.path_of("mailto:x@old.example"), None);
    }

    #[test]
    fn copied_once_per_content_under_a_readable_name() {
        let (_tmp, export, out) = setup();
        let up = export.join("wp-content/uploads/2024/05");
        std::fs::write(up.join("hero shot.png"), PNG).expect("write");
        std::fs::write(up.join("same.png"), PNG).expect("write");
        std::fs::write(up.join("a&b=c.png"), PNG.iter().chain(b"!").copied().collect::<Vec<u8>>()).expect("write");
        let mut p = pictures(&export, &out);
        let want = Found::Copied("images/wp-content/uploads/2024/05/hero shot.png".into());
        assert_eq!(p.place("https://old.example/wp-content/uploads/2024/05/hero%20shot.png"), want);
        assert_eq!(p.place("/wp-content/uploads/2024/05/hero%20shot.png?w=300"), want);
        assert_eq!(p.place("https://old.example/wp-content/uploads/2024/05/same.png"), want, "same bytes, one copy");
        assert_eq!(p.files, 1);
        assert_eq!(
            p.place("/wp-content/uploads/2024/05/a%26b%3Dc.png"),
            Found::Copied("images/wp-content/uploads/2024/05/a-b-c.png".into())
        );
        assert_eq!(std::fs::read(out.join("images/wp-content/uploads/2024/05/hero shot.png")).expect("copied"), PNG);
        assert_eq!(p.place("https://cdn.example/x.png"), Found::Remote);
        assert_eq!(p.place("data:image/png;base64,AAAA"), Found::Other);
        assert!(matches!(p.place("/wp-content/uploads/nope.png"), Found::Missing(w) if w.starts_with("not found in")));
    }

    #[test]
    fn a_pictures_folder_may_be_the_uploads_folder_itself() {
        let (_tmp, export, out) = setup();
        std::fs::write(export.join("wp-content/uploads/2024/05/a.png"), PNG).expect("write");
        let mut p = Pictures::new(&out, vec![Folder::new(&export.join("wp-content/uploads"), &[]).expect("f")]);
        p.old.add("https://old.example/");
        assert_eq!(
            p.place("https://old.example/wp-content/uploads/2024/05/a.png"),
            Found::Copied("images/2024/05/a.png".into())
        );
    }

    #[test]
    fn hostile_names_are_never_read_outside_the_folder() {
        let (tmp, export, out) = setup();
        let secret = tmp.path().join("secret.png");
        std::fs::write(&secret, PNG).expect("write");
        let mut p = pictures(&export, &out);
        for hostile in [
            "/../secret.png",
            "/wp-content/../../secret.png",
            "/%2e%2e/secret.png",
            "https://old.example/%2E%2E/secret.png",
            "/..%2Fsecret.png",
            "/..\\secret.png",
            "/C:/secret.png",
        ] {
            assert!(matches!(p.place(hostile), Found::Missing(_)), "{hostile}");
        }
        // An absolute path is a path from the folder's root, never from the disk's.
        let abs = secret.display().to_string();
        assert!(matches!(p.place(&abs), Found::Missing(w) if w.starts_with("not found in")), "{abs}");
        assert_eq!(p.place(&format!("/{abs}")), Found::Remote, "//tmp/… is another host's, never a file");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&secret, export.join("link.png")).expect("symlink");
            std::os::unix::fs::symlink(tmp.path(), export.join("up")).expect("symlink");
            for link in ["/link.png", "/up/secret.png"] {
                match p.place(link) {
                    Found::Missing(why) => assert!(why.contains("outside"), "{link}: {why}"),
                    other => panic!("{link}: {other:?}"),
                }
            }
        }
        assert_eq!(p.files, 0);
        assert!(!out.join("images").exists());
    }

    #[test]
    fn only_pictures_within_the_bound_and_true_to_their_type() {
        let (_tmp, export, out) = setup();
        std::fs::write(export.join("page.png"), b"<html><script>alert(1)</script>").expect("write");
        std::fs::write(export.join("x.html"), b"<html>").expect("write");
        std::fs::write(export.join("d.svg"), br#"<svg xmlns="http://www.w3.org/2000/svg"/>"#).expect("write");
        let big = std::fs::File::create(export.join("big.jpg")).expect("create");
        big.set_len(MAX_BYTES + 1).expect("sparse");
        let mut p = pictures(&export, &out);
        assert!(matches!(p.place("/page.png"), Found::Missing(w) if w.contains("not a .png")));
        assert!(matches!(p.place("/x.html"), Found::Missing(w) if w.contains("not a picture type")));
        assert!(matches!(p.place("/big.jpg"), Found::Missing(w) if w.contains("over the 20 MB")));
        assert_eq!(p.place("/d.svg"), Found::Copied("images/d.svg".into()));
    }

    #[test]
    fn nothing_is_written_over() {
        let (_tmp, export, out) = setup();
        std::fs::write(export.join("a.png"), PNG).expect("write");
        std::fs::create_dir_all(out.join("images")).expect("dir");
        std::fs::write(out.join("images/a.png"), b"someone else's").expect("write");
        let mut p = pictures(&export, &out);
        let Found::Copied(rel) = p.place("/a.png") else { panic!("copied") };
        assert_ne!(rel, "images/a.png");
        assert_eq!(std::fs::read(out.join("images/a.png")).expect("kept"), b"someone else's");
        // Another picture that wants the same name gets one of its own.
        let mut other = PNG.to_vec();
        other.push(0);
        std::fs::create_dir_all(export.join("b")).expect("dir");
        std::fs::write(export.join("b/a.png"), &other).expect("write");
        assert_eq!(p.copy(&export.join("b/a.png").canonicalize().expect("c"), &rel).map(|r| r != rel), Ok(true));
    }
}
