//! `serve`'s site: built once into a folder like `build`, then kept up to date edit by edit.
//! The parsed content stays in memory; an edited article re-renders its own page, and the
//! feeds and sitemap that show it; an edited collection re-renders its listing pages. Anything
//! else (a file added or removed, a picture, `site.toml`, an article held back or let through,
//! a collection whose page count or title changed) rebuilds the whole site. A document that
//! does not parse leaves the site as it was and is reported, naming the file and the place.

use std::path::{Path, PathBuf};

use article_viewer_core::format::{parse_document, write_document, Document};

use crate::content::{Content, Doc};
use crate::feeds::SitemapPage;
use crate::output::Output;
use crate::pages::{self, Job, Pages};
use crate::{aliases, chrome, config, editorial, images, viewer, write_site_files, Error, State};

/// The previewed site.
pub struct Preview {
    dir: PathBuf,
    root: PathBuf,
    rules: editorial::Rules,
    site: String,
    state: State,
    jobs: Vec<Job>,
    pages: Vec<SitemapPage>,
}

/// What an update wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Updated {
    /// The whole site was built again.
    pub full: bool,
    /// The files written, as paths in the site (`articles/a.html`), for an incremental update.
    pub files: Vec<String>,
}

impl Preview {
    /// Builds the content folder `dir` into `root` (a folder this program owns: the viewer's
    /// files are written there first) for a site at `site` (`http://127.0.0.1:8080/`).
    /// `drafts` and `future` as `build --drafts --future`.
    pub fn open(dir: &Path, root: &Path, site: &str, drafts: bool, future: bool) -> Result<Preview, Error> {
        let rules = editorial::Rules::new(drafts, future, None)?;
        viewer::write(&Output::new(root))?;
        let site = crate::site_url(site)?;
        let (state, pages) = build(dir, root, &site, &rules)?;
        let jobs = pages::jobs(&state.content);
        Ok(Preview { dir: dir.to_path_buf(), root: root.to_path_buf(), rules, site, state, jobs, pages })
    }

    /// The folder being served.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Brings the site up to date with the files at `changed` (paths in the content folder).
    /// On an error the site stays as it was.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Updated, Error> {
        self.update_with(changed, &mut |_| {})
    }

    /// [`Preview::update`], calling `shown` with the files written as soon as the edited
    /// documents' own pages are (before the tag and author pages, feeds and sitemap), so a
    /// page open on one of them can show the edit at once. `Updated::files` lists them all.
    pub fn update_with(&mut self, changed: &[PathBuf], shown: &mut dyn FnMut(&[String])) -> Result<Updated, Error> {
        // A file that came and went (an editor's temporary copy) was never part of the site.
        let published =
            |rel: &String| self.dir.join(rel).exists() || self.state.content.files.iter().any(|f| f.1 == *rel);
        let rels: Vec<String> = changed.iter().filter_map(|p| self.rel(p)).filter(published).collect();
        if rels.is_empty() {
            return Ok(Updated::default());
        }
        let indices: Option<Vec<usize>> = rels.iter().map(|r| self.doc_index(r)).collect();
        match indices {
            Some(indices) => self.update_docs(&indices, shown),
            None => self.rebuild(),
        }
    }

    /// Builds everything again.
    pub fn rebuild(&mut self) -> Result<Updated, Error> {
        let (state, pages) = build(&self.dir, &self.root, &self.site, &self.rules)?;
        self.jobs = pages::jobs(&state.content);
        (self.state, self.pages) = (state, pages);
        Ok(Updated { full: true, files: Vec::new() })
    }

    /// `path`'s place in the content folder, for a file the site is made of (not a hidden one).
    fn rel(&self, path: &Path) -> Option<String> {
        let path = path.strip_prefix(&self.dir).ok()?;
        let parts: Vec<&str> = path.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
        (!parts.is_empty() && !parts.iter().any(|p| p.starts_with('.'))).then(|| parts.join("/"))
    }

    /// The document at `rel`, when it is one the site already has and it is still there.
    fn doc_index(&self, rel: &str) -> Option<usize> {
        let file = self.dir.join(rel);
        (file.is_file()).then_some(())?;
        self.state.content.docs.iter().position(|d| d.rel == rel)
    }

    /// Re-reads the documents at `indices`, and re-renders what shows them.
    fn update_docs(&mut self, indices: &[usize], shown: &mut dyn FnMut(&[String])) -> Result<Updated, Error> {
        let mut fresh = Vec::with_capacity(indices.len());
        for &i in indices {
            let Some(doc) = self.read_doc(i)? else { return self.rebuild() };
            fresh.push((i, doc));
        }
        let mut old = Vec::with_capacity(fresh.len());
        for (i, doc) in fresh {
            old.push((i, std::mem::replace(&mut self.state.content.docs[i], doc)));
        }
        let plan = match aliases::plan(&self.state.content) {
            Ok(plan) if plan.aliases.len() == self.state.old_addresses.aliases.len() => plan,
            Ok(_) => return self.rebuild(),
            Err(e) => {
                for (i, doc) in old {
                    self.state.content.docs[i] = doc;
                }
                return Err(e);
            }
        };
        self.state.old_addresses = plan;
        if indices.iter().any(|&i| self.jobs_count(i) != self.count_now(i)) {
            return self.rebuild();
        }
        // The edited documents' own pages first (what a page open on one of them shows). A
        // refusal past this point (a tag page's folder taken) leaves them written.
        let mut files = self.write_pages(indices)?;
        shown(&files);
        // The tag and author pages follow their entries.
        let listings = match crate::taxonomy::refresh(&mut self.state.content, &self.state.settings.sections) {
            Ok(Some(listings)) => listings,
            Ok(None) => return self.rebuild(),
            Err(e) => {
                for (i, doc) in old {
                    self.state.content.docs[i] = doc;
                }
                return Err(e);
            }
        };
        if listings.iter().any(|&i| self.jobs_count(i) != self.count_now(i)) {
            return self.rebuild();
        }
        files.extend(self.write_pages(&listings)?);
        let out = Output::new(&self.root);
        let s = &self.state;
        write_site_files(&s.content, s.content.collection()?, &s.site, &s.site_name, &self.pages, &out)?;
        aliases::write(&s.old_addresses, &s.site, &self.root, &out)?;
        files.extend(["sitemap.xml".to_string(), FEED_FILES[0].to_string(), FEED_FILES[1].to_string()]);
        Ok(Updated { full: false, files })
    }

    /// Writes the documents at `indices` and their pages; returns the files written.
    fn write_pages(&mut self, indices: &[usize]) -> Result<Vec<String>, Error> {
        let jobs: Vec<Job> = indices.iter().flat_map(|&i| pages::jobs_of(&self.state.content, i)).collect();
        // A document's pages are together in the site's list of pages, in order.
        let positions: Vec<usize> = indices
            .iter()
            .flat_map(|&i| {
                let first = self.jobs.iter().position(|k| k.doc == i).unwrap_or(0);
                (first..first + self.jobs_count(i)).collect::<Vec<_>>()
            })
            .collect();
        let out = Output::new(&self.root);
        let s = &self.state;
        let mut files = Vec::new();
        for &i in indices {
            let doc = &s.content.docs[i];
            out.write(&doc.rel, doc.text.as_bytes())?;
            files.push(doc.rel.clone());
        }
        let renderer = Pages::new(&s.content, &s.template, &s.config, &s.site, &s.site_name, &s.embeds);
        let rendered = renderer.render_chunks(&jobs, |page| {
            out.write(&page.rel, page.html.as_bytes())?;
            Ok((page.rel, page.sitemap))
        })?;
        for ((rel, entry), &at) in rendered.into_iter().flatten().zip(&positions) {
            self.pages[at] = entry;
            files.push(rel);
        }
        Ok(files)
    }

    /// The document at `index` read again as the build reads it, or `None` when the change
    /// needs a whole build (an article now held back, a collection with another title).
    fn read_doc(&self, index: usize) -> Result<Option<Doc>, Error> {
        let rel = self.state.content.docs[index].rel.clone();
        let path = self.dir.join(&rel);
        let text = std::fs::read_to_string(&path).map_err(Error::io(&path))?;
        let parsed = parse_document(&text).map_err(|error| Error::Refused { path: path.clone(), error })?;
        let mut doc = Doc { rel, text, document: parsed.document, warnings: parsed.warnings };
        let needs_build = match (&doc.document, &self.state.content.docs[index].document) {
            (Document::Article(a), Document::Article(_)) => self.rules.held(a).is_some(),
            (Document::Collection(c), Document::Collection(was)) => c.title != was.title,
            _ => true,
        };
        if needs_build {
            return Ok(None);
        }
        if images::fill_sizes(&mut doc.document, &doc.rel, &self.dir) {
            doc.text = write_document(&doc.document);
        }
        let mut one = Content { docs: vec![doc], files: Vec::new() };
        chrome::apply_defaults(&mut one, &self.state.settings);
        let doc = one.docs.pop().ok_or_else(|| Error::Usage("lost a document".into()))?;
        for w in &doc.warnings {
            eprintln!("warning: {}: {w}", doc.rel);
        }
        Ok(Some(doc))
    }

    /// How many pages the document at `index` had.
    fn jobs_count(&self, index: usize) -> usize {
        self.jobs.iter().filter(|j| j.doc == index).count()
    }

    /// How many pages it has now.
    fn count_now(&self, index: usize) -> usize {
        pages::jobs_of(&self.state.content, index).count()
    }
}

/// The feeds' files (JSON Feed, Atom).
const FEED_FILES: [&str; 2] = [article_viewer_ui::components::FEEDS[0].0, article_viewer_ui::components::FEEDS[1].0];

/// A whole build of `dir` into `root`.
fn build(dir: &Path, root: &Path, site: &str, rules: &editorial::Rules) -> Result<(State, Vec<SitemapPage>), Error> {
    let settings = config::load(dir)?.unwrap_or_default();
    let mut state = State::read(dir, rules, settings, site.to_string(), root)?;
    // A preview fetches nothing: embeds show what the cache has (`build` fetches the rest).
    state.warnings += state.embeds.prepare(&mut state.content, dir, crate::embeds::Fetch::CacheOnly);
    let written = state.publish(&Output::new(root), root)?;
    Ok((state, written.pages))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::Preview;

    const SITE: &str = "http://127.0.0.1:9/";

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    /// Every file under `root`, by its path in the site.
    fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                    files.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
        files
    }

    fn differing(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
        let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        keys.into_iter().filter(|k| before.get(*k) != after.get(*k)).cloned().collect()
    }

    fn samples() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/samples"), dir.path());
        dir
    }

    fn edit(path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains(from), "{} has no {from:?}", path.display());
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    /// The site a whole build of `content` makes.
    fn full_build(content: &Path) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
        let out = tempfile::tempdir().unwrap();
        Preview::open(content, out.path(), SITE, false, false).unwrap();
        let files = snapshot(out.path());
        (out, files)
    }

    #[test]
    fn an_article_edit_rewrites_its_page_feeds_and_sitemap_only_as_a_whole_build_would() {
        let content = samples();
        let served = tempfile::tempdir().unwrap();
        let mut preview = Preview::open(content.path(), served.path(), SITE, false, false).unwrap();
        let before = snapshot(served.path());
        let article = content.path().join("articles/hbm-yield.json");
        edit(&article, "\"title\": \"HBM4 양산", "\"title\": \"고친 제목: HBM4 양산");
        let updated = preview.update(&[article]).unwrap();
        assert!(!updated.full);
        let after = snapshot(served.path());
        let changed = differing(&before, &after);
        assert!(changed.contains(&"articles/hbm-yield.html".to_string()), "{changed:?}");
        let allowed = ["articles/hbm-yield.html", "articles/hbm-yield.json", "sitemap.xml", "feed.json", "feed.atom"];
        assert!(changed.iter().all(|f| allowed.contains(&f.as_str())), "{changed:?}");
        assert!(String::from_utf8_lossy(&after["articles/hbm-yield.html"]).contains("고친 제목: HBM4 양산"));
        assert_eq!(
            differing(&after, &full_build(content.path()).1),
            Vec::<String>::new(),
            "differs from a whole build"
        );
    }

    #[test]
    fn the_edited_page_is_told_before_the_feeds_and_sitemap() {
        let content = samples();
        let served = tempfile::tempdir().unwrap();
        let mut preview = Preview::open(content.path(), served.path(), SITE, false, false).unwrap();
        let article = content.path().join("articles/hbm-yield.json");
        edit(&article, "\"title\": \"HBM4 양산", "\"title\": \"먼저 HBM4 양산");
        let mut first = Vec::new();
        let updated = preview.update_with(&[article], &mut |files| first = files.to_vec()).unwrap();
        assert_eq!(first, ["articles/hbm-yield.json", "articles/hbm-yield.html"]);
        assert!(String::from_utf8_lossy(&std::fs::read(served.path().join(&first[1])).unwrap()).contains("먼저 HBM4"));
        assert!(updated.files.starts_with(&first) && updated.files.contains(&"sitemap.xml".to_string()));
    }

    #[test]
    fn a_collection_edit_rewrites_its_listing_pages_not_the_articles() {
        let content = samples();
        let served = tempfile::tempdir().unwrap();
        let mut preview = Preview::open(content.path(), served.path(), SITE, false, false).unwrap();
        let before = snapshot(served.path());
        let index = content.path().join("index.json");
        edit(&index, "\"title\": \"스마트폰 속 AI", "\"title\": \"바뀐 카드 제목: 스마트폰 속 AI");
        assert!(!preview.update(&[index]).unwrap().full);
        let after = snapshot(served.path());
        let changed = differing(&before, &after);
        assert!(changed.contains(&"index.html".to_string()), "{changed:?}");
        assert!(!changed.iter().any(|f| f.starts_with("articles/")), "{changed:?}");
        assert_eq!(
            differing(&after, &full_build(content.path()).1),
            Vec::<String>::new(),
            "differs from a whole build"
        );
    }

    #[test]
    fn a_broken_document_names_its_place_keeps_the_site_and_recovers() {
        let content = samples();
        let served = tempfile::tempdir().unwrap();
        let mut preview = Preview::open(content.path(), served.path(), SITE, false, false).unwrap();
        let before = snapshot(served.path());
        let article = content.path().join("articles/hbm-yield.json");
        let good = std::fs::read_to_string(&article).unwrap();
        std::fs::write(&article, "{\n  \"title\": \"broken\",\n  \"body\": oops\n}").unwrap();
        let error = preview.update(std::slice::from_ref(&article)).unwrap_err().to_string();
        assert!(error.contains("hbm-yield.json") && error.contains("line 3, column"), "{error}");
        assert_eq!(
            differing(&snapshot(served.path()), &before),
            Vec::<String>::new(),
            "a refused edit changed the site"
        );
        std::fs::write(&article, good.replacen("\"title\": \"HBM4 양산", "\"title\": \"다시 HBM4 양산", 1)).unwrap();
        assert!(!preview.update(&[article]).unwrap().full);
        assert_eq!(differing(&snapshot(served.path()), &full_build(content.path()).1), Vec::<String>::new());
    }

    #[test]
    fn a_new_file_rebuilds_the_whole_site() {
        let content = samples();
        let served = tempfile::tempdir().unwrap();
        let mut preview = Preview::open(content.path(), served.path(), SITE, false, false).unwrap();
        let added = content.path().join("articles/new.json");
        std::fs::write(&added, r#"{"id": "new", "title": "새 기사", "body": "본문"}"#).unwrap();
        assert!(preview.update(&[added]).unwrap().full);
        assert!(served.path().join("articles/new.html").is_file());
    }
}
