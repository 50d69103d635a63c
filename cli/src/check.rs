//! `check`: validates a document, or every document of a folder, with the viewer's own parser.
//! Every warning is printed with its file and its path in the document; a refused document is
//! printed with its place, and makes the command exit non-zero. In a folder, a collection entry
//! whose `href` names a file that is not there is a warning too.

use std::fmt;
use std::path::{Path, PathBuf};

use std::collections::HashMap;

use article_viewer_core::format::{parse_document, Article, Document};

use crate::build::{self, config};
use crate::Error;

#[derive(clap::Args)]
pub struct Args {
    /// A document (`.json`), a site configuration (`site.toml`), or a folder of documents
    /// (hidden files and folders are left out) with its `site.toml` if it has one.
    pub path: PathBuf,
}

/// What a check found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub checked: usize,
    pub refused: usize,
    pub warnings: usize,
    /// Each line printed: `file: refused: …` or `file: warning: path: …`.
    pub lines: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "checked {} documents: {} refused, {} warnings", self.checked, self.refused, self.warnings)
    }
}

pub fn run(args: &Args) -> Result<Report, Error> {
    let report = check(&args.path)?;
    for line in &report.lines {
        eprintln!("{line}");
    }
    if report.refused > 0 {
        return Err(Error::Check { refused: report.refused, checked: report.checked });
    }
    Ok(report)
}

/// Checks `path` (a file or a folder) without printing.
pub fn check(path: &Path) -> Result<Report, Error> {
    let mut files = Vec::new();
    let config_file = path.file_name().is_some_and(|n| n == config::FILE);
    if config_file && path.is_file() {
        let mut report = Report::default();
        check_config(path.parent().unwrap_or(Path::new(".")), &mut report);
        return Ok(report);
    }
    if path.is_dir() {
        walk(path, &mut files)?;
        files.sort();
    } else if path.is_file() {
        files.push(path.to_path_buf());
    } else {
        return Err(Error::Usage(format!("{}: no such file or folder", path.display())));
    }
    let mut report = Report::default();
    // In a site's folder, a page link previews would show without a picture is named (build
    // says so too), unless site.toml gives a default share picture.
    let mut previews = false;
    if path.is_dir() {
        check_config(path, &mut report);
        previews = config::load(path).ok().flatten().is_none_or(|c| c.share_image.is_none());
    }
    // Each old address (alias) and the first document that claims it.
    let mut aliases: HashMap<String, String> = HashMap::new();
    for file in &files {
        let shown = file.display().to_string();
        report.checked += 1;
        let text = match std::fs::read(file) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    report.refused += 1;
                    report.lines.push(format!("{shown}: refused: not UTF-8 text"));
                    continue;
                }
            },
            Err(e) => return Err(Error::Io { path: file.clone(), source: e }),
        };
        match parse_document(&text) {
            Err(e) => {
                report.refused += 1;
                report.lines.push(format!("{shown}: refused: {e}"));
            }
            Ok(parsed) => {
                for w in &parsed.warnings {
                    report.warnings += 1;
                    report.lines.push(format!("{shown}: warning: {w}"));
                }
                if let Document::Article(a) = &parsed.document {
                    if previews && !preview_picture(a, file) {
                        report.warnings += 1;
                        report.lines.push(format!("{shown}: warning: link previews show no picture: give it a raster hero of at least 1200 × 630 (or an SVG, which build draws), or share_image in site.toml"));
                    }
                    for note in article_notes(a, &shown, &mut aliases) {
                        report.warnings += 1;
                        report.lines.push(format!("{shown}: warning: {note}"));
                    }
                }
                if let Document::Collection(c) = &parsed.document {
                    let dir = file.parent().unwrap_or(Path::new("."));
                    for (i, s) in c.articles.iter().enumerate() {
                        let Some(href) = s.href.as_deref() else { continue };
                        if is_local(href) && !dir.join(strip_query(href)).is_file() {
                            report.warnings += 1;
                            report
                                .lines
                                .push(format!("{shown}: warning: articles[{i}].href: {href} is not in the folder"));
                        }
                    }
                }
            }
        }
    }
    Ok(report)
}

/// The folder's site configuration (`site.toml`), when it has one: an error names the file,
/// the line and column, and the key, and counts as a refusal.
fn check_config(dir: &Path, report: &mut Report) {
    if !dir.join(config::FILE).is_file() {
        return;
    }
    report.checked += 1;
    if let Err(e) = config::load(dir) {
        report.refused += 1;
        report.lines.push(format!("{e}"));
    }
}

/// What the editorial fields say that the parser alone cannot: an `expires` at or before
/// `published` (the article is never shown), and an old address another document of the
/// folder claims already (`build` refuses the pair).
fn article_notes(a: &Article, shown: &str, aliases: &mut HashMap<String, String>) -> Vec<String> {
    let mut notes = Vec::new();
    if let (Some(p), Some(e)) = (&a.published, &a.expires) {
        if e.at.unix_seconds() <= p.at.unix_seconds() {
            notes.push(format!("expires: {} is not after published ({}): build never publishes it", e.raw, p.raw));
        }
    }
    for (i, alias) in a.aliases.iter().enumerate() {
        // What build refuses whatever the folder holds (an address only `_redirects` carries,
        // `/?p=1`, is no fault).
        if let Err(why) = crate::build::alias_refusal(alias) {
            notes.push(format!("aliases[{i}]: {alias}: build refuses it: {why}"));
        }
        // `/slug` and `/slug/` are one page.
        let key = alias.trim_end_matches('/').to_lowercase();
        match aliases.get(&key) {
            Some(first) if first != shown => {
                notes.push(format!("aliases[{i}]: {alias} is claimed by {first} too: build refuses the pair"))
            }
            Some(_) => {}
            None => {
                aliases.insert(key, shown.to_string());
            }
        }
    }
    notes
}

/// Whether link previews will show a picture for the article at `file`: a hero that is a file
/// of the folder (build makes a raster copy of at least 1200 × 630 of it, an SVG included), or
/// one elsewhere that previews show as it is.
fn preview_picture(a: &Article, file: &Path) -> bool {
    let Some(img) = &a.image else { return false };
    let dir = file.parent().unwrap_or(Path::new("."));
    (is_local(&img.src) && dir.join(strip_query(&img.src)).is_file()) || build::previewable(img)
}

fn is_local(href: &str) -> bool {
    article_viewer_core::urls::scheme_of(href).is_none() && !href.starts_with('/') && !href.starts_with('#')
}

fn strip_query(href: &str) -> String {
    let path = href.split(['?', '#']).next().unwrap_or(href);
    crate::import::text::percent_decode(path)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(Error::io(dir))? {
        let entry = entry.map_err(Error::io(dir))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(Error::io(&path))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editorial_fields_and_aliases_are_checked_across_the_folder() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        std::fs::write(
            root.join("a.json"),
            r#"{"id":"a","title":"A","body":"b","aliases":["/old/","/?p=1","/x/%2E%2E/etc/","/index.html"],"draft":true}"#,
        )
        .expect("write");
        std::fs::write(
            root.join("b.json"),
            r#"{"id":"b","title":"B","body":"b","aliases":["/old","not-a-path"],"draft":"no",
            "published":"2030-01-01T00:00:00Z","expires":"2029-01-01T00:00:00Z"}"#,
        )
        .expect("write");
        let report = check(root).expect("checked");
        let all = report.lines.join("\n");
        for want in [
            "b.json: warning: aliases[1]: \"not-a-path\": not a path from the site's root",
            "b.json: warning: draft: expected a boolean, found a string",
            "b.json: warning: expires: 2029-01-01T00:00:00Z is not after published (2030-01-01T00:00:00Z): build never publishes it",
            "b.json: warning: aliases[0]: /old is claimed by",
            "a.json: warning: aliases[2]: /x/%2E%2E/etc/: build refuses it: a . or .. segment would leave its place",
            "a.json: warning: aliases[3]: /index.html: build refuses it: index.html is the site's own",
        ] {
            assert!(all.contains(want), "{want} not in\n{all}");
        }
        // The six, and the two stories' missing pictures for link previews.
        assert_eq!((report.refused, report.warnings), (0, 8), "{all}");
    }

    #[test]
    fn pages_without_a_picture_for_link_previews_are_named() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        std::fs::create_dir(root.join("images")).expect("dir");
        std::fs::write(
            root.join("images/hero.svg"),
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>"#,
        )
        .expect("svg");
        let article = |id: &str, image: &str| format!(r#"{{"id":"{id}","title":"t","body":"b"{image}}}"#);
        std::fs::write(root.join("local.json"), article("l", r#","image":{"src":"images/hero.svg"}"#)).expect("w");
        std::fs::write(root.join("remote.json"), article("r", r#","image":{"src":"https://cdn.example/a.jpg"}"#))
            .expect("w");
        std::fs::write(root.join("svg.json"), article("s", r#","image":{"src":"https://cdn.example/a.svg"}"#))
            .expect("w");
        let small = r#","image":{"src":"https://cdn.example/b.png","width":300,"height":200}"#;
        std::fs::write(root.join("small.json"), article("m", small)).expect("w");
        std::fs::write(root.join("none.json"), article("n", "")).expect("w");
        let named = |report: &Report| -> Vec<String> {
            report
                .lines
                .iter()
                .filter(|l| l.contains("link previews"))
                .map(|l| l.split(':').next().unwrap_or("").to_string())
                .collect()
        };
        let report = check(root).expect("checked");
        let names: Vec<String> =
            ["none.json", "small.json", "svg.json"].iter().map(|f| root.join(f).display().to_string()).collect();
        assert_eq!(named(&report), names, "{:?}", report.lines);
        // One file alone is not a site: nothing to say.
        assert!(named(&check(&root.join("none.json")).expect("checked")).is_empty());
        // A site default covers every page.
        std::fs::write(root.join("site.toml"), "share_image = \"images/hero.svg\"\n").expect("toml");
        assert_eq!(named(&check(root).expect("checked")), Vec::<String>::new());
    }

    #[test]
    fn reports_warnings_refusals_and_missing_articles() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        std::fs::create_dir(root.join("articles")).expect("dir");
        std::fs::write(root.join("index.json"), r#"{"articles":[{"id":"a","title":"가","href":"articles/a.json"},{"id":"b","title":"나","href":"articles/없음.json"}]}"#).expect("write");
        std::fs::write(root.join("articles/a.json"), r#"{"id":"a","title":"가","body":"본문","published":"어제"}"#)
            .expect("write");
        std::fs::write(root.join("articles/bad.json"), "{\"id\":\"b\",\n\"title\": }").expect("write");
        let report = check(root).expect("checked");
        assert_eq!((report.checked, report.refused, report.warnings), (3, 1, 3), "{:?}", report.lines);
        let all = report.lines.join("\n");
        assert!(all.contains("a.json: warning: published: not an RFC 3339 date: \"어제\""), "{all}");
        assert!(all.contains("a.json: warning: link previews show no picture"), "{all}");
        assert!(all.contains("bad.json: refused: invalid JSON at line 2, column 10: expected value"), "{all}");
        assert!(
            all.contains("index.json: warning: articles[1].href: articles/없음.json is not in the folder"),
            "{all}"
        );
    }

    #[test]
    fn the_site_configuration_is_checked_with_its_line_and_key() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        std::fs::write(root.join("index.json"), r#"{"articles":[]}"#).expect("write");
        std::fs::write(root.join("site.toml"), "title = \"소식\"\n\n[scripts]\norigins = [\"http://stats.example\"]\n")
            .expect("write");
        let report = check(root).expect("checked");
        assert_eq!((report.checked, report.refused), (2, 1), "{:?}", report.lines);
        let line = &report.lines[0];
        assert!(line.ends_with("site.toml:4:12: scripts.origins[0]: \"http://stats.example\": an origin must be https://host (no other scheme, no wildcard)"), "{line}");
        let alone = check(&root.join("site.toml")).expect("checked");
        assert_eq!((alone.checked, alone.refused), (1, 1), "the file alone: {:?}", alone.lines);
        std::fs::write(root.join("site.toml"), "title = \"소식\"\n").expect("write");
        assert_eq!(check(root).expect("checked").refused, 0);
        assert_eq!(check(&root.join("site.toml")).expect("checked").refused, 0);
    }
}
