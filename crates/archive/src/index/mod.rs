//! `index`: turns a collection of any size into a static, sharded search archive (the
//! design is in `article_viewer_archive` and `docs/reference/archive-index.md`).
//!
//! ```text
//! article-viewer-cli index collection.json --out archive/
//! ```
//!
//! Writes `<out>/index.json`, a format-v1 collection whose `articles` are the newest
//! entries (so a version-1 reader still shows something) and whose `archive` field points
//! at the index, and `<out>/v1-<hash>/`, the index's files, named by a hash of all of them
//! (immutable: serve them with a long cache lifetime; only `index.json` changes).
//! Everything is written into a staging folder first, then renamed into place; the folder it
//! replaces must be an earlier `index`'s unchanged output ([`article_viewer_publish::outdir`]).

mod build;
pub mod read;
#[cfg(test)]
mod tests;
mod typed;
mod write;

use std::path::PathBuf;

use clap::Args as ClapArgs;

pub use build::{build, Options};

use article_viewer_publish::Error;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The collection document (format v1, any number of entries).
    pub collection: PathBuf,
    /// The folder to write. An existing one is replaced only when an earlier `index` wrote it
    /// and nothing in it changed since; any other non-empty folder is refused.
    #[arg(long)]
    pub out: PathBuf,
    /// Terms found in at least this many entries get a precomputed answer.
    #[arg(long)]
    pub heavy: Option<u32>,
}

pub fn run(args: &Args) -> Result<String, Error> {
    let options = Options { heavy: args.heavy, ..Options::default() };
    let built = build(&args.collection, &args.out, &options)?;
    for w in built.warnings.iter().take(20) {
        eprintln!("warning: {}: {w}", args.collection.display());
    }
    if built.warnings.len() > 20 {
        eprintln!("warning: … and {} more", built.warnings.len() - 20);
    }
    Ok(format!(
        "indexed {} entries ({} dropped) into {}: {} files, {:.1} MB, {} answers (terms in {}+ entries), {} tokens",
        built.docs,
        built.dropped,
        args.out.display(),
        built.files,
        built.bytes as f64 / 1e6,
        built.answers,
        built.heavy,
        built.tokens
    ))
}
