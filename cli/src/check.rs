//! `check`: validates a document, or every document of a folder, with the viewer's own parser.
//! Every warning is printed with its file and its path in the document; a refused document is
//! printed with its place, and makes the command exit non-zero. In a folder, a collection entry
//! whose `href` names a file that is not there is a warning too.

use std::fmt;
use std::path::{Path, PathBuf};

use article_viewer_core::format::{parse_document, Document};

use crate::Error;

#[derive(clap::Args)]
pub struct Args {
    /// A document (`.json`) or a folder of them (hidden files and folders are left out).
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
    if path.is_dir() {
        walk(path, &mut files)?;
        files.sort();
    } else if path.is_file() {
        files.push(path.to_path_buf());
    } else {
        return Err(Error::Usage(format!("{}: no such file or folder", path.display())));
    }
    let mut report = Report::default();
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
    fn reports_warnings_refusals_and_missing_articles() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        std::fs::create_dir(root.join("articles")).expect("dir");
        std::fs::write(root.join("index.json"), r#"{"articles":[{"id":"a","title":"가","href":"articles/a.json"},{"id":"b","title":"나","href":"articles/없음.json"}]}"#).expect("write");
        std::fs::write(root.join("articles/a.json"), r#"{"id":"a","title":"가","body":"본문","published":"어제"}"#)
            .expect("write");
        std::fs::write(root.join("articles/bad.json"), "{\"id\":\"b\",\n\"title\": }").expect("write");
        let report = check(root).expect("checked");
        assert_eq!((report.checked, report.refused, report.warnings), (3, 1, 2), "{:?}", report.lines);
        let all = report.lines.join("\n");
        assert!(all.contains("a.json: warning: published: not an RFC 3339 date: \"어제\""), "{all}");
        assert!(all.contains("bad.json: refused: invalid JSON at line 2, column 10: expected value"), "{all}");
        assert!(
            all.contains("index.json: warning: articles[1].href: articles/없음.json is not in the folder"),
            "{all}"
        );
    }
}
