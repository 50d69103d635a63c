//! The content folder as the viewer will read it once published: every document parsed by the
//! viewer's own parser (a refused one stops the build, naming the file and the place), and
//! every other file (images) kept beside them.

use std::path::{Path, PathBuf};

use article_viewer_core::format::{parse_document, Collection, Document, Warning};

use crate::Error;

/// One document of the content folder.
pub struct Doc {
    /// Its path inside the folder, with `/` separators (`articles/oracle.json`).
    pub rel: String,
    /// The JSON as written: pages carry it, and the published folder keeps it.
    pub text: String,
    pub document: Document,
    /// What the viewer drops from it, each with its path in the document.
    pub warnings: Vec<Warning>,
}

/// The content folder: its documents, and every file to publish (documents included).
pub struct Content {
    pub docs: Vec<Doc>,
    pub files: Vec<(PathBuf, String)>,
}

impl Content {
    /// Reads the folder (hidden files and folders are left out). Files come in path order, so
    /// two builds of the same folder write the same site.
    pub fn read(dir: &Path) -> Result<Content, Error> {
        if !dir.is_dir() {
            return Err(Error::Usage(format!("--content {}: not a folder", dir.display())));
        }
        let mut files = Vec::new();
        walk(dir, String::new(), &mut files)?;
        files.sort_by(|a, b| a.1.cmp(&b.1));
        let mut docs = Vec::new();
        for (path, rel) in &files {
            if !rel.ends_with(".json") {
                continue;
            }
            let text = std::fs::read_to_string(path).map_err(Error::io(path))?;
            let parsed = parse_document(&text).map_err(|error| Error::Refused { path: path.clone(), error })?;
            docs.push(Doc { rel: rel.clone(), text, document: parsed.document, warnings: parsed.warnings });
        }
        Ok(Content { docs, files })
    }

    /// The site's collection: `index.json` at the folder's root.
    pub fn collection(&self) -> Result<&Collection, Error> {
        match self.docs.iter().find(|d| d.rel == "index.json").map(|d| &d.document) {
            Some(Document::Collection(c)) => Ok(c),
            Some(_) => Err(Error::Usage("index.json is an article; the content folder's index.json must be its collection (a document with `articles`)".into())),
            None => Err(Error::Usage("the content folder has no index.json: it needs one collection, index.json, listing its articles".into())),
        }
    }
}

fn walk(dir: &Path, prefix: String, out: &mut Vec<(PathBuf, String)>) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(Error::io(dir))? {
        let entry = entry.map_err(Error::io(dir))?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            return Err(Error::Usage(format!("{}: a file name that is not UTF-8 cannot be published", path.display())));
        };
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{prefix}{name}");
        let kind = entry.file_type().map_err(Error::io(&path))?;
        if kind.is_dir() {
            walk(&path, format!("{rel}/"), out)?;
        } else if kind.is_file() {
            out.push((path, rel));
        }
    }
    Ok(())
}
