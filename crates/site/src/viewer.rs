//! The viewer's built files, carried in the program (crates/site/viewer/, copied there from a
//! `trunk build --release` by scripts/bundle-viewer.sh and checked against the source by
//! scripts/test.sh): `build --out` writes them beside the pages, so publishing needs no trunk,
//! wasm-bindgen, wasm-opt or node.

use std::path::{Path, PathBuf};

use article_viewer_publish::outdir::{keep_apart, Replace, Staging};

use crate::output::Output;
use crate::template::VIEWER_PAGE;
use crate::Error;

include!(concat!(env!("OUT_DIR"), "/viewer_files.rs"));

/// The page frame as trunk wrote it; it is published as [`VIEWER_PAGE`] (the build's
/// template), since `index.html` becomes the collection's page.
pub const FRAME: &str = "index.html";

/// Where a build writes.
pub enum Destination {
    /// `--out`: a new folder, or one an earlier `build` wrote (its manifest says so, and no
    /// file in it changed since), built whole in a staging folder beside it with the carried
    /// viewer, and moved into place at the end ([`article_viewer_publish::outdir`]).
    Out { staging: Staging, out: PathBuf },
    /// `--dist`: a trunk-built folder, written into in place (the developers' way: the viewer
    /// is the one trunk just built).
    Dist(PathBuf),
}

impl Destination {
    pub fn open(out: Option<&Path>, dist: Option<&Path>, content: &Path) -> Result<Destination, Error> {
        match (out, dist) {
            (Some(out), None) => {
                let staging = Staging::begin(out, "build", Replace::Always, &[("--content", content)])?;
                write(&Output::new(staging.path()))?;
                Ok(Destination::Out { staging, out: out.to_path_buf() })
            }
            (None, Some(dist)) => {
                keep_apart(("--dist", dist), &[("--content", content)])?;
                Ok(Destination::Dist(dist.to_path_buf()))
            }
            _ => Err(Error::Usage(
                "give --out FOLDER (a new folder, or one an earlier build wrote), or --dist for a trunk-built dist/"
                    .into(),
            )),
        }
    }

    /// The folder being written.
    pub fn path(&self) -> &Path {
        match self {
            Destination::Out { staging, .. } => staging.path(),
            Destination::Dist(dist) => dist,
        }
    }

    /// The folder readers will get (`--out` or `--dist`).
    pub fn target(&self) -> &Path {
        match self {
            Destination::Out { out, .. } => out,
            Destination::Dist(dist) => dist,
        }
    }

    /// Puts a finished `--out` build in place.
    pub fn finish(self) -> Result<(), Error> {
        match self {
            Destination::Out { staging, .. } => staging.commit(),
            Destination::Dist(_) => Ok(()),
        }
    }
}

/// Writes every carried file into `out`, the frame under [`VIEWER_PAGE`].
pub fn write(out: &Output) -> Result<(), Error> {
    if !FILES.iter().any(|(name, _)| *name == FRAME) {
        return Err(Error::Usage(
            "this program was built without the viewer's files (crates/site/viewer/ was empty); \
             run `trunk build --release && scripts/bundle-viewer.sh`, then build it again, or publish \
             into a trunk-built folder with --dist"
                .into(),
        ));
    }
    for (name, bytes) in FILES {
        out.write(if *name == FRAME { VIEWER_PAGE } else { name }, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> &'static str {
        let bytes = FILES.iter().find(|(n, _)| *n == FRAME).map(|(_, b)| *b).unwrap_or_default();
        std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("the frame is not UTF-8: {e}"))
    }

    /// The local files a page names (`href="./x"`, `src="./x"`), as trunk writes them.
    fn named_files(html: &str) -> Vec<String> {
        let mut names = Vec::new();
        for attr in ["href=", "src="] {
            for part in html.split(attr).skip(1) {
                let value = part.trim_start_matches(['"', '\'']);
                let end = value.find(['"', '\'', ' ', '>']).unwrap_or(value.len());
                let url = &value[..end];
                if let Some(name) = url.strip_prefix("./") {
                    names.push(name.to_string());
                }
            }
        }
        names
    }

    #[test]
    fn the_carried_files_are_the_folder_and_the_frame_names_only_carried_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("viewer");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        on_disk.sort();
        let carried: Vec<String> = FILES.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(carried, on_disk, "the program carries exactly crates/site/viewer/");
        for (name, bytes) in FILES {
            let file = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(file == *bytes, "{name}: the carried bytes are the file's");
        }
        let html = frame();
        assert!(html.contains(article_viewer_ui::STANDALONE_ROOT), "the frame has the viewer's mount point");
        assert!(!html.contains(article_viewer_ui::PRERENDERED), "the frame is trunk's page, not a published one");
        let named = named_files(html);
        assert!(named.iter().any(|n| n.ends_with("_bg.wasm")), "the frame preloads the app's wasm: {named:?}");
        for name in named {
            assert!(carried.contains(&name), "the frame names {name}, which is not carried");
        }
        for wanted in ["archive-worker.js", "archive-worker_bg.wasm", "article-viewer.js", "article-viewer.css"] {
            assert!(carried.iter().any(|n| n == wanted), "{wanted} is carried");
        }
    }

    #[test]
    fn writing_puts_the_frame_where_the_template_is_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = Output::new(dir.path());
        write(&out).unwrap_or_else(|e| panic!("{e}"));
        assert!(dir.path().join(VIEWER_PAGE).is_file());
        assert!(!dir.path().join(FRAME).exists(), "index.html is left for the collection's page");
        let template = crate::template::Template::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert!(template.policy().is_some_and(|p| p.contains("script-src 'self'")));
    }
}
