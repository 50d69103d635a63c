//! article-viewer-cli: the publishing side of article-viewer, with the viewer's own core and
//! components. One program with subcommands:
//!
//! ```text
//! article-viewer-cli new mysite
//! article-viewer-cli build --content mysite --out public
//! article-viewer-cli build --content static/samples --dist dist --site https://news.example/
//! article-viewer-cli import ghost export.json --out content --site https://blog.example/
//! article-viewer-cli check content
//! ```
//!
//! `new` writes a starter site. `build` prerenders every document of a content folder into
//! `--out` with the viewer the program carries (or into a trunk-built `--dist`): a page per
//! article and the collection's listing pages, with their head tags, a sitemap and feeds.
//! `import` turns an existing archive into such a folder; `check` validates one.
//! `index` writes a static, sharded search archive for a collection of any size
//! (`article-viewer-cli index collection.json --out archive/`).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod new;
mod serve;

use article_viewer_archive::index;
use article_viewer_import as import;
pub use article_viewer_publish::{outdir, Error};
use article_viewer_site as build;

#[derive(Parser)]
#[command(name = "article-viewer-cli", version, about = "Publishes article-viewer sites")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes a starter site (configuration, collection, one article) into a new folder.
    New(new::Args),
    /// Publishes a content folder as a static site: the viewer, a page per article and listing.
    Build(build::Args),
    /// Turns an archive (Markdown folder, JSON Feed, RSS/Atom, Ghost, WordPress) into a content folder.
    Import(import::Args),
    /// Validates a document or a folder of them with the viewer's own parser.
    Check(check::Args),
    /// Indexes a collection of any size into a static, sharded search archive.
    Index(index::Args),
    /// Previews a content folder on 127.0.0.1, updating the open pages as you edit.
    Serve(serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::New(args) => new::run(&args).map(|summary| println!("{summary}")),
        Command::Build(args) => build::run(&args).map(|summary| println!("{summary}")),
        Command::Import(args) => import::run(&args).map(|summary| println!("{summary}")),
        Command::Check(args) => check::run(&args).map(|summary| println!("{summary}")),
        Command::Index(args) => index::run(&args).map(|summary| println!("{summary}")),
        Command::Serve(args) => serve::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
