//! The pages: one per article and one per listing page of a collection, rendered by the
//! viewer's own components on every core. The documents' text is what the threads share (a
//! parsed document holds `Rc`s, which stay on the thread that made them): an article is parsed
//! again by the thread rendering its page, and a collection once per chunk of pages, which also
//! indexes it once. So a build grows linearly with the collection instead of parsing and
//! indexing the whole collection again for every listing page.

use std::collections::HashMap;
use std::rc::Rc;

use rayon::prelude::*;

use article_viewer_core::format::{parse_document, Article, Collection, Document};
use article_viewer_core::i18n::Lang;
use article_viewer_core::listing::PAGE_SIZE;
use article_viewer_core::site::listing_page;
use article_viewer_ui::components::{Prepared, Shared};
use article_viewer_ui::{Config, Load};

use crate::content::Content;
use crate::embeds::{self, Embeds};
use crate::feeds::SitemapPage;
use crate::head::{self, PageInfo};
use crate::output::Output;
use crate::template::{Page, Template};
use crate::{highlight, light, ssr, url_of, Error, CARRY_LIMIT};

/// One page: the document at `doc` (an index into [`Content::docs`]) and, for a collection,
/// which listing page (from 1; an article has only page 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Job {
    pub doc: usize,
    pub listing: u32,
}

/// A rendered page: where it goes, its HTML, and its sitemap entry.
pub struct Rendered {
    pub rel: String,
    pub html: String,
    pub sitemap: SitemapPage,
}

/// One document as the threads see it: its path in the folder and its JSON text.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub rel: &'a str,
    pub text: &'a str,
}

/// What every page shares.
pub struct Pages<'a> {
    pub docs: Vec<Source<'a>>,
    pub template: &'a Template,
    pub config: &'a Config,
    pub site: &'a str,
    pub site_name: &'a str,
    /// The stories' embeds ([`crate::embeds`]).
    pub embeds: &'a Embeds,
}

/// A collection as its pages are given it: parsed and indexed once per chunk.
struct Shown {
    collection: Shared<Collection>,
    prepared: Shared<Prepared>,
}

/// One chunk's collections, by document.
type Cache = HashMap<usize, Shown>;

/// The pages of `content`'s document at `doc`, in order: an article's page, or a collection's
/// listing pages (only the site's `index.json` and other `index.json` files are listed a page
/// at a time; any other collection has one page).
pub fn jobs_of(content: &Content, doc: usize) -> impl Iterator<Item = Job> {
    let listings = match content.docs.get(doc).map(|d| (&d.rel, &d.document)) {
        Some((rel, Document::Collection(c))) => listings(rel, c),
        Some(_) => 1,
        None => 0,
    };
    (1..=listings as u32).map(move |listing| Job { doc, listing })
}

/// How many listing pages the collection at `rel` has.
fn listings(rel: &str, c: &Collection) -> usize {
    if rel == "index.json" || rel.ends_with("/index.json") {
        c.articles.len().div_ceil(PAGE_SIZE).max(1)
    } else {
        1
    }
}

/// Every page of the site, in the documents' order.
pub fn jobs(content: &Content) -> Vec<Job> {
    (0..content.docs.len()).flat_map(|doc| jobs_of(content, doc)).collect()
}

impl<'a> Pages<'a> {
    /// The pages of `content`'s documents.
    pub fn new(
        content: &'a Content,
        template: &'a Template,
        config: &'a Config,
        site: &'a str,
        site_name: &'a str,
        embeds: &'a Embeds,
    ) -> Self {
        let docs = content.docs.iter().map(|d| Source { rel: &d.rel, text: &d.text }).collect();
        Pages { docs, template, config, site, site_name, embeds }
    }

    /// Renders `jobs` on every core and writes each page as it is done. Returns the sitemap
    /// entries in the order of `jobs`.
    pub fn write_all(&self, jobs: &[Job], out: &Output) -> Result<Vec<SitemapPage>, Error> {
        let chunks: Vec<Vec<SitemapPage>> = self.render_chunks(jobs, |page| {
            out.write(&page.rel, page.html.as_bytes())?;
            Ok(page.sitemap)
        })?;
        Ok(chunks.into_iter().flatten().collect())
    }

    /// Renders `jobs` on every core, handing each page to `done` on the thread that rendered it.
    /// The pages go in chunks, sixteen per core so that the cores finish together: each chunk prepares
    /// the collections it shows once (only the few chunks holding listing pages prepare one).
    pub fn render_chunks<T: Send>(
        &self,
        jobs: &[Job],
        done: impl Fn(Rendered) -> Result<T, Error> + Sync,
    ) -> Result<Vec<Vec<T>>, Error> {
        let chunk = jobs.len().div_ceil(rayon::current_num_threads() * 16).max(1);
        jobs.par_chunks(chunk)
            .map(|jobs| {
                let mut cache = Cache::new();
                jobs.iter().map(|&job| self.render(job, &mut cache).and_then(&done)).collect()
            })
            .collect()
    }

    /// One page.
    fn render(&self, job: Job, cache: &mut Cache) -> Result<Rendered, Error> {
        let doc = self.docs[job.doc];
        let doc_url = url_of(self.site, doc.rel);
        let rel = listing_page(doc.rel, job.listing);
        let url = url_of(self.site, &rel);
        let info = PageInfo { url: &url, doc_url: &doc_url, site: self.site, site_name: self.site_name };
        if let Some(shown) = cache.get(&job.doc) {
            return self.collection_page(doc, &info, &rel, shown);
        }
        match parse(doc)? {
            Document::Article(a) => self.article_page(doc, &info, &rel, a),
            Document::Collection(c) => {
                let collection = Rc::new(c);
                let prepared = Rc::new(Prepared::new(collection.clone()));
                let shown = Shown { collection: Shared(collection), prepared: Shared(prepared) };
                self.collection_page(doc, &info, &rel, cache.entry(job.doc).or_insert(shown))
            }
        }
    }

    fn article_page(&self, doc: Source<'_>, info: &PageInfo<'_>, rel: &str, a: Article) -> Result<Rendered, Error> {
        let lang = a.language.clone().unwrap_or_else(|| "ko".to_string());
        let mut head = head::article(&a, info);
        let modified = a.updated.as_ref().or(a.published.as_ref()).map(|d| d.at.rfc3339());
        let title = a.title.clone();
        let initial = Load::Article { url: info.doc_url.to_string().into(), article: Shared(Rc::new(a)) };
        let config = Config { page_lang: Some(lang.clone()), ..self.config.clone() };
        let mut body = light::add_pick_script(&ssr::render_page(config, info.url, initial, None));
        // Highlighted code brings its stylesheet; a page without any links none.
        if let Some(highlighted) = highlight::highlight_page(&body) {
            (body, head) = (highlighted, head + &highlight::link(rel.matches('/').count()));
        }
        let (body, framed) = self.embeds.rewrite(&body, Lang::from_tag(Some(&lang)), rel.matches('/').count());
        let html = self.frame(doc, rel, &lang, &title, &head, &body, (false, false))?;
        // A facade that plays in place brings its script and its provider's frames into the policy.
        let html = if framed.is_empty() { html } else { embeds::allow_in_page(&html, &framed) };
        Ok(Rendered { rel: rel.to_string(), html, sitemap: SitemapPage { url: info.url.to_string(), modified } })
    }

    fn collection_page(
        &self,
        doc: Source<'_>,
        info: &PageInfo<'_>,
        rel: &str,
        shown: &Shown,
    ) -> Result<Rendered, Error> {
        let c = &shown.collection;
        let lang = c.language.clone().unwrap_or_else(|| "ko".to_string());
        let title = c.title.clone().unwrap_or_else(|| self.site_name.to_string());
        let mut head = head::collection(c, info);
        if crate::taxonomy::is_listing(doc.rel) {
            head.insert_str(0, &crate::taxonomy::feed_links(doc.rel, &title, self.site, info.url));
        }
        let initial = Load::Collection { url: info.doc_url.to_string().into(), collection: shown.collection.clone() };
        let config = Config { page_lang: Some(lang.clone()), ..self.config.clone() };
        let body = ssr::render_page(config, info.url, initial, Some(shown.prepared.clone()));
        // Its pages carry the collection while all of them together stay within the limit, so the
        // pages written grow with the collection, not with its size times its pages.
        let carry = doc.text.len().saturating_mul(listings(doc.rel, c)) <= CARRY_LIMIT;
        let html = self.frame(doc, rel, &lang, &title, &head, &body, (true, carry))?;
        Ok(Rendered { rel: rel.to_string(), html, sitemap: SitemapPage { url: info.url.to_string(), modified: None } })
    }

    /// The page in the site's frame.
    #[allow(clippy::too_many_arguments)]
    fn frame(
        &self,
        doc: Source<'_>,
        rel: &str,
        lang: &str,
        title: &str,
        head: &str,
        body: &str,
        (app, carry): (bool, bool),
    ) -> Result<String, Error> {
        // Only a page the app takes over needs its document carried.
        let carried = if app && carry { head::carried(doc.text) } else { String::new() };
        self.template.page(&Page { lang, title, head, body, tail: &carried, depth: rel.matches('/').count(), rel, app })
    }
}

/// The document as the viewer reads it (the build read it already: a refusal here would be a
/// document changed under the build).
fn parse(doc: Source<'_>) -> Result<Document, Error> {
    parse_document(doc.text).map(|p| p.document).map_err(|error| Error::Refused { path: doc.rel.into(), error })
}
