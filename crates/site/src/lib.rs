//! `build`: publishes a folder of article JSON (articles and one collection, `index.json`) into
//! a trunk-built `dist/` as a static site. Each step is one function:
//! [`Content::read`] (parse every document with the viewer's own parser) →
//! [`size_pictures`] (pictures published with the site get their sizes written in) →
//! [`publish_content`] (the documents and images, as the viewer reads them; only passive
//! files, SVGs without script: [`passive`], [`svg`]) →
//! [`render_pages`] (a prerendered page per article and per listing page) →
//! [`write_site_files`] (sitemap, feeds, and `_headers` with the pages' policy for every file).

mod aliases;
mod chrome;
pub mod config;
mod content;
mod editorial;
mod embeds;
mod feeds;
mod head;
mod highlight;
mod images;
mod light;
mod output;
mod pages;
mod passive;
mod pictures;
mod preview;
mod ssr;
mod svg;
mod taxonomy;
mod template;
mod viewer;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use article_viewer_core::format::{Article, Collection, Document};
use article_viewer_core::site::page_for_doc;
use article_viewer_core::urls::{is_http, safe_resolved, UrlKind};
use article_viewer_ui::components::FEEDS;
use article_viewer_ui::config::{meta, parse_timeout, Config, Site};

pub use aliases::refusal as alias_refusal;
pub use article_viewer_publish::Error;
use content::Content;
use feeds::{Feed, SitemapPage, FEED_ENTRIES};
pub use head::previewable;
use output::Output;
pub use preview::{Preview, Updated};
use template::Template;

/// A collection rides along in its pages while all its listing pages together carry at most
/// this much, so the app taking a page over needs no second request; a larger one (a big
/// collection, or one of many pages) is fetched by the app instead.
pub const CARRY_LIMIT: usize = 256 * 1024;

#[derive(clap::Args)]
pub struct Args {
    /// A folder of format-v1 documents: articles, and one collection, `index.json`.
    #[arg(long)]
    pub content: PathBuf,
    /// The folder to publish into: the viewer (carried in this program), the pages and the
    /// content. A new folder, or one an earlier `build --out` wrote; any other is refused.
    #[arg(long, required_unless_present = "dist", conflicts_with = "dist")]
    pub out: Option<PathBuf>,
    /// For developers: a `trunk build --release` output to write the pages into, with the
    /// viewer trunk just built instead of the carried one.
    #[arg(long)]
    pub dist: Option<PathBuf>,
    /// Where the folder will be published (an absolute http(s) URL): canonical addresses,
    /// `og:url`, the sitemap and the feeds use it. Default: `base_url` in the content's site.toml.
    #[arg(long)]
    pub site: Option<String>,
    /// Publish articles marked `draft` too.
    #[arg(long)]
    pub drafts: bool,
    /// Publish scheduled articles (`published` in the future) and expired ones (`expires` passed).
    #[arg(long)]
    pub future: bool,
    /// The time the build compares `published` and `expires` against (RFC 3339; default: now),
    /// so that two builds of one folder write the same site.
    #[arg(long)]
    pub now: Option<String>,
    /// The widths (pixels) of the smaller WebP copies made of each picture; none is wider than
    /// the picture itself.
    #[arg(long, value_name = "PX,…", value_delimiter = ',', default_value = "480,960,1600")]
    pub picture_widths: Vec<u32>,
    /// Publish pictures as they are, without smaller copies (and without link-preview copies).
    #[arg(long)]
    pub no_picture_copies: bool,
    /// Fetch nothing from the network: embeds get the posters and titles already in the
    /// content's cache, and the others none.
    #[arg(long)]
    pub offline: bool,
}

/// What a build wrote.
pub struct Summary {
    pub pages: usize,
    pub files: usize,
    pub warnings: usize,
    /// Old addresses (aliases) that lead to their articles, and articles held back.
    pub aliases: usize,
    pub held: usize,
    pub dist: PathBuf,
    /// Pictures encoded by this build, and pictures whose copies were in the cache.
    pub pictures: pictures::Report,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "published {} pages and {} content files into {} ({} warnings; {} old addresses redirected, held back: {})",
            self.pages,
            self.files,
            self.dist.display(),
            self.warnings,
            self.aliases,
            self.held
        )?;
        let p = &self.pictures;
        if p.encoded + p.cached > 0 {
            write!(f, "; pictures: {} encoded, {} from the cache", p.encoded, p.cached)?;
        }
        Ok(())
    }
}

pub fn run(args: &Args) -> Result<Summary, Error> {
    let settings = config::load(&args.content)?.unwrap_or_default();
    let site = site_url(args.site.as_deref().or(settings.base_url.as_deref()).ok_or_else(|| {
        Error::Usage(format!("give --site (the address the site is published at), or base_url in {}", config::FILE))
    })?)?;
    let dest = viewer::Destination::open(args.out.as_deref(), args.dist.as_deref(), &args.content)?;
    let rules = editorial::Rules::new(args.drafts, args.future, args.now.as_deref())?;
    let picture_settings = pictures::Settings { widths: args.picture_widths.clone() };
    let mut settings = settings;
    let site_share = match (&settings.share_image, args.no_picture_copies) {
        (Some(rel), false) if !config::is_absolute(rel) => pictures::site_share(&args.content, rel, &picture_settings),
        _ => None,
    };
    if let Some((_, published)) = &site_share {
        settings.share_image = Some(published.clone());
    }
    let mut state = State::read(&args.content, &rules, settings, site, dest.path())?;
    let fetch = if args.offline { embeds::Fetch::CacheOnly } else { embeds::Fetch::Network };
    state.warnings += state.embeds.prepare(&mut state.content, &args.content, fetch);
    let mut report = pictures::Report::default();
    if !args.no_picture_copies {
        report = pictures::make_all(&mut state.content, &args.content, &picture_settings);
        state.content.files.extend(site_share);
    }
    state.warnings += report.warnings + pictures::without_preview(&state.content, state.settings.share_image.is_some());
    let written = state.publish(&Output::new(dest.path()), dest.path())?;
    let target = dest.target().to_path_buf();
    dest.finish()?;
    Ok(Summary {
        pages: written.pages.len(),
        files: state.content.files.len(),
        warnings: state.warnings + written.warnings,
        aliases: written.aliases,
        held: state.held.len(),
        dist: target,
        pictures: report,
    })
}

/// Everything a build knows before it writes: the configuration, the content as it will be
/// published, the page frame and the app's configuration. `serve` keeps it between edits.
pub(crate) struct State {
    pub settings: config::SiteConfig,
    pub site: String,
    pub content: Content,
    pub held: Vec<(String, String)>,
    pub old_addresses: aliases::Plan,
    pub template: Template,
    pub site_name: String,
    pub config: Config,
    /// The stories' embeds: the providers that play in place, the posters and titles found.
    pub embeds: embeds::Embeds,
    /// Warnings printed while reading.
    pub warnings: usize,
}

/// What [`State::publish`] wrote.
pub(crate) struct Written {
    /// The pages, in the order of [`pages::jobs`], for the sitemap.
    pub pages: Vec<SitemapPage>,
    pub aliases: usize,
    pub warnings: usize,
}

impl State {
    /// Reads the content folder `dir` and the frame in `frame_dir` (the viewer's files as the
    /// build writes them).
    pub fn read(
        dir: &std::path::Path,
        rules: &editorial::Rules,
        settings: config::SiteConfig,
        site: String,
        frame_dir: &std::path::Path,
    ) -> Result<State, Error> {
        let mut content = Content::read(dir)?;
        content.files.retain(|(_, rel)| rel != config::FILE && rel != config::README);
        let held = editorial::hold_back(&mut content, rules);
        let old_addresses = aliases::plan(&content)?;
        passive::check_files(&content.files)?;
        let mut template = Template::load(frame_dir)?;
        size_pictures(&mut content, dir);
        chrome::apply_defaults(&mut content, &settings);
        let mut warnings = taxonomy::add(&mut content, &settings.sections)?;
        for doc in &content.docs {
            for w in &doc.warnings {
                eprintln!("warning: {}: {w}", doc.rel);
                warnings += 1;
            }
        }
        let c = content.collection()?;
        let site_name =
            settings.title.clone().or_else(|| c.title.clone()).unwrap_or_else(|| "article-viewer".to_string());
        template.customise(&chrome::Chrome { config: &settings, site_name: &site_name, site: &site })?;
        let config = Config {
            site: Some(Site {
                canonical: site.clone(),
                collection: format!("{site}index.json"),
                title: site_name.clone(),
            }),
            policy: article_viewer_core::source::Policy::parse(
                &template.meta(meta::ALLOWED_ORIGINS).unwrap_or_default(),
            ),
            timeout_seconds: parse_timeout(template.meta(meta::TIMEOUT).as_deref()),
            pick_open: !matches!(template.meta(meta::PICK).as_deref().map(str::trim), Some("closed")),
            ..Config::default()
        };
        let embeds = embeds::Embeds::new(&settings.embeds);
        Ok(State { settings, site, content, held, old_addresses, template, site_name, config, embeds, warnings })
    }

    /// Writes the whole site into `out` (whose folder is `root`).
    pub fn publish(&self, out: &Output, root: &std::path::Path) -> Result<Written, Error> {
        let (content, template, site, site_name) = (&self.content, &self.template, &self.site, &self.site_name);
        let c = content.collection()?;
        let mut warnings = publish_content(content, out)?;
        let pages = render_pages(content, template, &self.config, site, site_name, &self.embeds, out)?;
        write_site_files(content, c, site, site_name, &pages, out)?;
        // Linked only from the pages with highlighted code ([`highlight`]).
        out.write(highlight::FILE, highlight::STYLESHEET.as_bytes())?;
        let page_policy = template.policy();
        if page_policy.is_none() {
            eprintln!(
                "warning: {}: the page has no Content-Security-Policy; _headers carries only nosniff",
                template.path().display()
            );
            warnings += 1;
        }
        // Every file gets the policy of the most permissive page: article pages add their inline
        // script's hash.
        let policy =
            page_policy.map(|p| self.embeds.site_policy(&light::allow_script(&p, light::pick_script_source())));
        out.write("_headers", passive::headers_file(policy.as_deref()).as_bytes())?;
        let lang = c.language.as_deref().unwrap_or("ko");
        chrome::write_extras(template, site, site_name, lang, out)?;
        let aliases = aliases::write(&self.old_addresses, site, root, out)?;
        Ok(Written { pages, aliases, warnings: warnings + self.old_addresses.warnings.len() })
    }
}

/// `--site` as an absolute http(s) address ending in `/`.
pub(crate) fn site_url(raw: &str) -> Result<String, Error> {
    let site = raw.trim();
    if !is_http(site) || site.split("//").nth(1).is_none_or(|rest| rest.split('/').next().unwrap_or("").is_empty()) {
        return Err(Error::Usage(format!("--site {raw:?}: give the absolute http(s) address the folder will be published at, e.g. https://news.example/")));
    }
    let site = site.split(['?', '#']).next().unwrap_or(site);
    Ok(if site.ends_with('/') { site.to_string() } else { format!("{site}/") })
}

/// A path inside the folder as a published address: each segment percent-encoded.
fn url_of(site: &str, rel: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'\\')
        .add(b'^')
        .add(b'|')
        .add(b'[')
        .add(b']');
    let path: Vec<String> =
        rel.split('/').map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()).collect();
    format!("{site}{}", path.join("/"))
}

/// Writes the size of each picture published with the site into the documents that show it;
/// a document that changes is written out again (with the viewer's own types).
fn size_pictures(content: &mut Content, root: &std::path::Path) {
    for doc in &mut content.docs {
        if images::fill_sizes(&mut doc.document, &doc.rel, root) {
            doc.text = article_viewer_core::format::write_document(&doc.document);
        }
    }
}

/// The documents and their images, published where the pages expect them: beside the pages,
/// at the same paths as in the content folder. SVGs go out without anything that runs or
/// loads; one that cannot be made so is left out. Returns the number of warnings printed.
fn publish_content(content: &Content, out: &Output) -> Result<usize, Error> {
    let docs: HashMap<&str, &str> = content.docs.iter().map(|d| (d.rel.as_str(), d.text.as_str())).collect();
    let mut warnings = 0;
    for (source, rel) in &content.files {
        match docs.get(rel.as_str()) {
            Some(text) => out.write(rel, text.as_bytes())?,
            None if rel.to_ascii_lowercase().ends_with(".svg") => warnings += publish_svg(source, rel, out)?,
            None => out.copy(source, rel)?,
        }
    }
    Ok(warnings)
}

/// One SVG, sanitised ([`svg::sanitise`]); a warning names what was taken out, or why the
/// picture was left out.
fn publish_svg(source: &std::path::Path, rel: &str, out: &Output) -> Result<usize, Error> {
    let bytes = std::fs::read(source).map_err(Error::io(source))?;
    match svg::sanitise(&bytes) {
        Ok(clean) => {
            out.write(rel, &clean.bytes)?;
            if clean.removed.is_empty() {
                return Ok(0);
            }
            eprintln!("warning: {rel}: published without {}", clean.removed.join(", "));
        }
        Err(why) => eprintln!("warning: {rel}: not published: {why}"),
    }
    Ok(1)
}

/// Every document's page (and every listing page of the collection), rendered by the
/// viewer's own components on every core ([`pages`]). Returns the pages written, for the
/// sitemap.
fn render_pages(
    content: &Content,
    template: &Template,
    config: &Config,
    site: &str,
    site_name: &str,
    embeds: &embeds::Embeds,
    out: &Output,
) -> Result<Vec<SitemapPage>, Error> {
    pages::Pages::new(content, template, config, site, site_name, embeds).write_all(&pages::jobs(content), out)
}

/// `sitemap.xml`, the collection's feeds (JSON Feed 1.1 and Atom), and each tag's and author's
/// feeds beside its pages ([`taxonomy`]).
fn write_site_files(
    content: &Content,
    c: &Collection,
    site: &str,
    site_name: &str,
    pages: &[SitemapPage],
    out: &Output,
) -> Result<(), Error> {
    out.write("sitemap.xml", feeds::sitemap(pages).as_bytes())?;
    let articles: HashMap<String, &Article> = content
        .docs
        .iter()
        .filter_map(|d| match &d.document {
            Document::Article(a) => Some((url_of(site, &d.rel), a)),
            Document::Collection(_) => None,
        })
        .collect();
    let mut entries = feed_entries(c, &url_of(site, "index.json"), &articles);
    // Only the entries kept have their story rendered.
    for e in &mut entries {
        e.content_html = e.article.map(|a| {
            ssr::render_body_html(
                a.body.clone(),
                e.base.clone(),
                article_viewer_core::i18n::Lang::from_tag(a.language.as_deref()),
            )
        });
    }
    let title = c.title.as_deref().unwrap_or(site_name);
    write_feeds(c, title, "", site, entries, out)?;
    // A tag's or author's feed carries its entries' summaries and links, not their stories: an
    // article is in the feed of each of its tags, and its story is in the site's feed.
    for d in content.docs.iter().filter(|d| taxonomy::is_listing(&d.rel)) {
        let Document::Collection(listing) = &d.document else { continue };
        let folder = &d.rel[..d.rel.len() - "index.json".len()];
        let title = format!("{} · {}", listing.title.as_deref().unwrap_or(folder), site_name);
        let entries = feed_entries(listing, &url_of(site, &d.rel), &articles);
        write_feeds(listing, &title, folder, site, entries, out)?;
    }
    Ok(())
}

/// A collection's newest [`FEED_ENTRIES`] entries (at `collection_url`), each with its article
/// when the site publishes it. Newest first; entries without a date keep the publisher's order,
/// after the dated ones.
fn feed_entries<'a>(
    c: &'a Collection,
    collection_url: &str,
    articles: &HashMap<String, &'a Article>,
) -> Vec<feeds::Entry<'a>> {
    let mut entries: Vec<feeds::Entry<'_>> = c
        .articles
        .iter()
        .map(|s| {
            let doc = s.href.as_deref().and_then(|h| safe_resolved(h, UrlKind::Link, Some(collection_url)));
            let article = doc.as_deref().and_then(|d| articles.get(d).copied());
            let (url, base) = match (&doc, article) {
                (Some(d), Some(_)) => (page_for_doc(d), d.clone()),
                _ => {
                    let own = s.url.as_deref().and_then(|u| safe_resolved(u, UrlKind::Link, Some(collection_url)));
                    (own.or(doc).unwrap_or_else(|| format!("{collection_url}#{}", s.id)), collection_url.to_string())
                }
            };
            feeds::Entry { summary: s, url, base, article, content_html: None }
        })
        .collect();
    entries.sort_by_key(|e| {
        let date = e.article.and_then(|a| a.published.as_ref()).or(e.summary.published.as_ref());
        std::cmp::Reverse(date.map(|d| d.at.unix_seconds()))
    });
    entries.truncate(FEED_ENTRIES);
    entries
}

/// The JSON Feed and the Atom feed of the collection whose folder is `folder` (`""` for the
/// site's own, `tags/클라우드/` for a tag's).
fn write_feeds(
    c: &Collection,
    title: &str,
    folder: &str,
    site: &str,
    entries: Vec<feeds::Entry<'_>>,
    out: &Output,
) -> Result<(), Error> {
    let (json_rel, atom_rel) = (format!("{folder}{}", FEEDS[0].0), format!("{folder}{}", FEEDS[1].0));
    let (json_url, atom_url) = (url_of(site, &json_rel), url_of(site, &atom_rel));
    let home = url_of(site, &format!("{folder}index.html"));
    let feed = Feed {
        title,
        description: c.description.as_deref(),
        language: c.language.as_deref(),
        home: &home,
        json_url: &json_url,
        atom_url: &atom_url,
        entries,
    };
    out.write(&json_rel, feed.json().as_bytes())?;
    out.write(&atom_rel, feed.atom().as_bytes())?;
    Ok(())
}
