//! `import`: turns an existing archive (a folder of Markdown, a JSON Feed, an RSS or Atom
//! feed, a Ghost export, a WordPress WXR export) into a content folder that `build` publishes
//! and the viewer opens: `index.json` (the collection), `articles/<slug>.json`, `images/…`.
//!
//! Each kind reads its source and hands finished [`Post`]s, one at a time, to a [`Sink`]; the
//! shared parts do the rest: HTML → Markdown ([`html`]), slugs and dates ([`text`]), Read more
//! cards ([`related`]) and the folder, written beside its place and renamed into it ([`site`]).
//! The kinds' conversion works on bytes, so it is tested without the filesystem.

pub mod aliases;
pub mod config;
pub mod dests;
pub mod embeds;
pub mod feed;
pub mod ghost;
pub mod html;
pub mod jsonfeed;
pub mod links;
pub mod markdown;
pub mod pictures;
pub mod related;
pub mod report;
pub mod site;
pub mod text;
pub mod wordpress;
pub mod xml;
pub mod yaml;

use std::fmt;
use std::path::{Path, PathBuf};

use article_viewer_core::format::{Author, Image, Pick};

pub use article_viewer_publish::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A folder of `.md` files with YAML (`---`) or TOML (`+++`) front matter (Hugo, Jekyll, Astro).
    Markdown,
    /// A JSON Feed (version 1 or 1.1).
    Jsonfeed,
    /// An RSS 2.0 (or 1.0) or Atom feed, told apart by its root element.
    Feed,
    /// A Ghost Admin export (`{db:[{meta,data}]}`, Ghost 2 to 5).
    Ghost,
    /// A WordPress export (WXR 1.0 to 1.2).
    Wordpress,
}

#[derive(clap::Args)]
pub struct Args {
    /// What the archive is.
    #[arg(value_enum)]
    pub kind: Kind,
    /// The archive: a folder (markdown) or a file (the others).
    pub input: PathBuf,
    /// The content folder to write (`index.json`, `articles/`, `images/`). Written beside its
    /// place and renamed into it; an existing non-empty folder is replaced only when an earlier
    /// import wrote it, unchanged since, and `--force` is given.
    #[arg(long)]
    pub out: PathBuf,
    /// The source site's address: relative links and images resolve against it, and Ghost's
    /// `__GHOST_URL__` becomes it.
    #[arg(long)]
    pub site: Option<String>,
    /// Read more cards per article, picked by shared tags when the source gives none (0: none).
    #[arg(long, default_value_t = related::DEFAULT_COUNT)]
    pub related: usize,
    /// The language of posts whose source does not say (BCP 47, e.g. `ko`).
    #[arg(long)]
    pub language: Option<String>,
    /// The offset of times written without one (`+09:00`); without it such times are UTC.
    #[arg(long)]
    pub offset: Option<String>,
    /// The collection's title (default: the feed's or site's title, where the source has one).
    #[arg(long)]
    pub title: Option<String>,
    /// The collection's description.
    #[arg(long)]
    pub description: Option<String>,
    /// Replace an `--out` folder that an earlier import wrote (nothing else is ever replaced).
    #[arg(long)]
    pub force: bool,
    /// Import drafts too (Ghost and WordPress drafts, Hugo `draft: true`), marked `draft`:
    /// `build` leaves them out unless given `--drafts`. Scheduled posts are always imported,
    /// as scheduled.
    #[arg(long)]
    pub drafts: bool,
    /// The old site's files, where the pictures the posts use are looked up (a picture at
    /// `https://old.example/a/b.jpg` or `/a/b.jpg` is `<dir>/a/b.jpg`) and copied into
    /// `images/`. Without it: Ghost's `content/images` beside the JSON, WordPress's
    /// `wp-content/uploads` beside the XML, a Markdown folder's `static/` and root.
    #[arg(long, value_name = "DIR")]
    pub assets: Option<PathBuf>,
}

/// What every kind needs to know besides its input.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The source site, an absolute http(s) address ending in `/`.
    pub site: Option<String>,
    pub language: Option<String>,
    /// Minutes east of UTC for times written without an offset.
    pub offset_minutes: Option<i16>,
    /// Drafts are imported (as drafts) rather than left out.
    pub drafts: bool,
}

/// One post, ready to be written: the format's fields, with every URL either absolute or
/// relative to the content folder's root (where `index.json` lives).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Post {
    /// The source's own identifier.
    pub id: String,
    /// The wanted slug (the file name); made safe and unique when written.
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// The collection entry's and the cards' teaser text (plain).
    pub summary: Option<String>,
    pub language: Option<String>,
    /// The post's address on the source site.
    pub url: Option<String>,
    /// The post's old addresses, as paths from the site's root ([`aliases::alias_of`]).
    pub aliases: Vec<String>,
    /// RFC 3339, with the source's offset; in the future for a scheduled post.
    pub published: Option<String>,
    pub updated: Option<String>,
    /// Not published at the source (imported with `--drafts` only).
    pub draft: bool,
    /// RFC 3339: when the source stops showing the post.
    pub expires: Option<String>,
    pub authors: Vec<Author>,
    pub tags: Vec<String>,
    pub image: Option<Image>,
    pub editors_pick: Option<Pick>,
    /// Markdown. Local images are written relative to the `articles/` folder (`../images/…`).
    pub body: String,
    /// Ids or slugs of related posts, when the source names them.
    pub related: Vec<String>,
    /// Files to copy: (absolute source path, path inside the content folder).
    pub assets: Vec<(PathBuf, String)>,
}

/// Collection-level facts a source may carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    pub title: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
}

/// Where a kind hands its posts and its warnings.
pub trait Sink {
    fn post(&mut self, post: Post) -> Result<(), Error>;
    /// Something skipped or dropped; `who` names the post (or the place in the input).
    fn warn(&mut self, who: &str, message: String);
    /// The old site's own address, as the export gives it (before its posts): links and
    /// pictures on it are the site's own.
    fn old_site(&mut self, _url: &str) {}
}

/// A sink that keeps everything: the kinds' conversion is tested with it.
#[cfg(test)]
#[derive(Default, Debug)]
pub struct Collect {
    pub posts: Vec<Post>,
    pub warnings: Vec<String>,
}

#[cfg(test)]
impl Sink for Collect {
    fn post(&mut self, post: Post) -> Result<(), Error> {
        self.posts.push(post);
        Ok(())
    }
    fn warn(&mut self, who: &str, message: String) {
        self.warnings.push(format!("{who}: {message}"));
    }
}

/// What an import wrote.
pub struct Summary {
    pub posts: usize,
    pub skipped: usize,
    pub warnings: usize,
    pub drafts: usize,
    pub scheduled: usize,
    pub aliases: usize,
    /// Links and pictures: rewritten, left, copied, remote, missing.
    pub moved: report::Moved,
    pub out: PathBuf,
    /// The warnings by post, for the screen ([`report::Report::screen`]).
    pub by_post: Vec<String>,
    /// Where the reports were written, or why they were not.
    pub report: Result<(PathBuf, PathBuf), String>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {} posts into {} ({} scheduled, {} drafts, {} old addresses kept; {} skipped, {} warnings)",
            self.posts,
            self.out.display(),
            self.scheduled,
            self.drafts,
            self.aliases,
            self.skipped,
            self.warnings
        )?;
        let m = &self.moved;
        write!(
            f,
            "\nlinks between posts: {} rewritten, {} left pointing at the old site; pictures: {} copied ({} files), {} remote, {} missing",
            m.links_rewritten, m.links_left, m.pictures_copied, m.picture_files, m.pictures_remote, m.pictures_missing
        )?;
        if !self.by_post.is_empty() {
            write!(f, "\nwarnings by post:\n{}", self.by_post.join("\n"))?;
        }
        match &self.report {
            Ok((md, json)) => write!(f, "\nreport: {} and {}", md.display(), json.display()),
            Err(why) => write!(f, "\nreport not written: {why}"),
        }
    }
}

/// Warnings by post shown on the screen; the rest are in the report.
const SCREEN_LINES: usize = 12;

/// Name of a post in messages: its slug or id, and its title.
pub fn who(id: &str, title: &str) -> String {
    let title = text::clip(title, 60);
    if title.is_empty() {
        format!("post {id:?}")
    } else {
        format!("post {id:?} ({title})")
    }
}

pub fn run(args: &Args) -> Result<Summary, Error> {
    let site = match &args.site {
        Some(raw) => Some(site_url(raw)?),
        None => None,
    };
    let offset_minutes = match &args.offset {
        Some(raw) => Some(
            text::parse_offset(raw)
                .ok_or_else(|| Error::Usage(format!("--offset {raw:?}: write it as +09:00 (or -05:00, Z)")))?,
        ),
        None => None,
    };
    let opts = Options { site, language: args.language.clone(), offset_minutes, drafts: args.drafts };
    check_input(args.kind, &args.input)?;
    let folders = picture_folders(args)?;
    let replace = article_viewer_publish::outdir::Replace::WhenForced(args.force);
    let staging =
        article_viewer_publish::outdir::Staging::begin(&args.out, "import", replace, &[("the input", &args.input)])?;
    let mut writer = site::Writer::new(staging.path(), args.related);
    writer.look_for_pictures(folders, opts.site.as_deref());
    let source = match args.kind {
        Kind::Markdown => markdown::import(&args.input, &opts, &mut writer)?,
        Kind::Jsonfeed => jsonfeed::import(&read(&args.input)?, &args.input, &opts, &mut writer)?,
        Kind::Feed => feed::import(&read(&args.input)?, &args.input, &opts, &mut writer)?,
        Kind::Ghost => ghost::import(&FileInput(args.input.clone()), &opts, &mut writer)?,
        Kind::Wordpress => wordpress::import(&FileInput(args.input.clone()), &opts, &mut writer)?,
    };
    let source = Source {
        title: args.title.clone().or(source.title),
        description: args.description.clone().or(source.description),
        language: source.language.or(opts.language.clone()),
    };
    let written = writer.finish(&source)?;
    staging.commit()?;
    let kind = clap::ValueEnum::to_possible_value(&args.kind).map_or_else(String::new, |v| v.get_name().to_string());
    let report = report::write(&written.report, &kind, &args.input, &args.out);
    Ok(Summary {
        by_post: written.report.screen(SCREEN_LINES),
        moved: written.report.moved(),
        report,
        posts: written.posts,
        skipped: written.skipped,
        warnings: written.warnings,
        drafts: written.drafts,
        scheduled: written.scheduled,
        aliases: written.aliases,
        out: args.out.clone(),
    })
}

/// An input read more than once (the big exports are streamed twice: first the small tables
/// and attachments, then the posts), so that no pass holds the whole file.
pub trait Input {
    fn open(&self) -> std::io::Result<Box<dyn std::io::BufRead + '_>>;
    /// The input's name in messages.
    fn name(&self) -> String;
}

/// A file on disk.
pub struct FileInput(pub PathBuf);

impl Input for FileInput {
    fn open(&self) -> std::io::Result<Box<dyn std::io::BufRead + '_>> {
        Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(&self.0)?)))
    }
    fn name(&self) -> String {
        self.0.display().to_string()
    }
}

/// Bytes in memory (tests).
pub struct BytesInput<'a>(pub &'a [u8]);

impl Input for BytesInput<'_> {
    fn open(&self) -> std::io::Result<Box<dyn std::io::BufRead + '_>> {
        Ok(Box::new(self.0))
    }
    fn name(&self) -> String {
        "input".to_string()
    }
}

/// A malformed input: where (1-based line and column, in characters) and what.
pub fn malformed(input: &dyn Input, offset: u64, message: impl Into<String>) -> Error {
    let (line, column) = line_column(input, offset);
    Error::Malformed { path: input.name(), line, column, message: message.into() }
}

/// 1-based line and column of byte `offset`, read from the start (only when reporting).
fn line_column(input: &dyn Input, offset: u64) -> (usize, usize) {
    use std::io::Read;
    let Ok(reader) = input.open() else { return (0, 0) };
    let mut bytes = Vec::new();
    if reader.take(offset).read_to_end(&mut bytes).is_err() {
        return (0, 0);
    }
    let line = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&bytes[start..]).chars().count() + 1;
    (line, column)
}

/// Where the pictures the posts use are looked up: `--assets`, then the export's own folder
/// beside the input, where the kind has one.
fn picture_folders(args: &Args) -> Result<Vec<pictures::Folder>, Error> {
    let mut folders = Vec::new();
    if let Some(dir) = &args.assets {
        folders.push(pictures::Folder::new(dir, &[]).ok_or_else(|| {
            Error::Usage(format!(
                "--assets {}: not a folder (give the old site's files, e.g. its wp-content/uploads or content/images)",
                dir.display()
            ))
        })?);
    }
    let beside = args.input.parent().unwrap_or(Path::new("."));
    let beside = if beside.as_os_str().is_empty() { Path::new(".") } else { beside };
    let own = match args.kind {
        Kind::Ghost if beside.join("content/images").is_dir() => pictures::Folder::new(beside, &[]),
        Kind::Wordpress if beside.join("wp-content/uploads").is_dir() => pictures::Folder::new(beside, &[]),
        Kind::Markdown => pictures::Folder::new(&args.input, &["static"]),
        _ => None,
    };
    folders.extend(own);
    Ok(folders)
}

fn check_input(kind: Kind, input: &Path) -> Result<(), Error> {
    let want_dir = kind == Kind::Markdown;
    if want_dir && !input.is_dir() {
        return Err(Error::Usage(format!("{}: markdown imports a folder of .md files", input.display())));
    }
    if !want_dir && !input.is_file() {
        return Err(Error::Usage(format!("{}: not a file", input.display())));
    }
    Ok(())
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(Error::io(path))
}

/// `--site` as an absolute http(s) address ending in `/`.
pub fn site_url(raw: &str) -> Result<String, Error> {
    let site = raw.trim();
    if !article_viewer_core::urls::is_http(site) {
        return Err(Error::Usage(format!(
            "--site {raw:?}: give the source site's absolute http(s) address, e.g. https://news.example/"
        )));
    }
    let site = site.split(['?', '#']).next().unwrap_or(site);
    Ok(if site.ends_with('/') { site.to_string() } else { format!("{site}/") })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind reads every prefix of its fixtures (a file cut anywhere) and bytes that are
    /// not what they claim, and answers with posts or an error: never a panic.
    #[test]
    fn cut_and_garbled_inputs_never_panic() {
        let fixtures: [(&str, &[u8]); 7] = [
            ("ghost", include_bytes!("../tests/fixtures/import/ghost/ghost-5.json")),
            ("ghost", include_bytes!("../tests/fixtures/import/ghost/ghost-2.json")),
            ("wordpress", include_bytes!("../tests/fixtures/import/wordpress/wxr-1.2.xml")),
            ("wordpress", include_bytes!("../tests/fixtures/import/wordpress/theme-unit-test.xml")),
            ("feed", include_bytes!("../tests/fixtures/import/feed/rss.xml")),
            ("feed", include_bytes!("../tests/fixtures/import/feed/atom.xml")),
            ("jsonfeed", include_bytes!("../tests/fixtures/import/jsonfeed/feed-1.1.json")),
        ];
        let opts = Options { site: Some("https://x.example/".into()), ..Options::default() };
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for (kind, bytes) in fixtures {
            let step = (bytes.len() / 150).max(1);
            let mut inputs: Vec<Vec<u8>> = (0..bytes.len()).step_by(step).map(|cut| bytes[..cut].to_vec()).collect();
            inputs.push(garbage.clone());
            inputs.push(bytes.iter().map(|b| if *b == b'"' { b'<' } else { *b }).collect());
            for input in inputs {
                let mut sink = Collect::default();
                let _ = match kind {
                    "ghost" => ghost::import(&BytesInput(&input), &opts, &mut sink),
                    "wordpress" => wordpress::import(&BytesInput(&input), &opts, &mut sink),
                    "feed" => feed::import(&input, Path::new("f"), &opts, &mut sink),
                    _ => jsonfeed::import(&input, Path::new("f"), &opts, &mut sink),
                };
            }
        }
        let md = include_str!("../tests/fixtures/import/markdown/content/posts/openai-oracle/index.md");
        for cut in (0..md.len()).filter(|&c| md.is_char_boundary(c)).step_by(7) {
            let _ = markdown::front_matter(&md[..cut]);
        }
    }
}
