//! The view's address: which document, and (for collections) the filter state and listing
//! page. When the URL is synced it lives in the page's address, so back/forward, reloads and
//! shared links restore the same view. Reading and writing addresses is plain Rust: the
//! prerendered pages and the browser app write the same links.

use super::config::Config;
use crate::site::{doc_for_page, listing_page, relative_url};
use crate::urls::{relative_to_origin, resolve};

/// The sample collection bundled with the app, shown when nothing else is asked for.
pub const DEFAULT_SRC: &str = "samples/index.json";

/// The query parameters a route owns besides the document's (`url_param`).
const FILTERS: [&str; 5] = ["q", "tag", "author", "sort", "typed"];

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Route {
    /// The document, as written in the URL or attribute (relative to the page) or absolute.
    pub src: Option<String>,
    /// The document is addressed by its prerendered page (`articles/a.html`), not by `?src=`.
    pub by_page: bool,
    /// Which listing page of a collection (1 for the first).
    pub listing: u32,
    /// Collection filters.
    pub q: String,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub sort: String,
    /// Search `q` exactly as typed, not read in the other input mode (`typed=1`).
    pub as_typed: bool,
}

impl Route {
    /// The route to another document, addressed the way this one is: by its page on a
    /// prerendered site, by `?src=` otherwise.
    pub fn to_doc(&self, config: &Config, doc: impl Into<String>) -> Route {
        let doc = doc.into();
        let by_page = self.by_page && config.site.as_ref().is_some_and(|s| same_site(&doc, &s.collection));
        Route { src: Some(doc), by_page, listing: 1, ..Route::default() }
    }

    /// The route the page's address describes.
    pub fn from_url(config: &Config, url: &str) -> Route {
        let query = query_of(url);
        let mut route = Route { listing: 1, ..Route::default() };
        let mut src = None;
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            if value.trim().is_empty() {
                continue;
            }
            match key.as_ref() {
                k if k == config.url_param => src = Some(value.into_owned()),
                "q" => route.q = value.into_owned(),
                "tag" => route.tags.push(value.into_owned()),
                "author" => route.authors.push(value.into_owned()),
                "sort" => route.sort = value.into_owned(),
                "typed" => route.as_typed = value == "1",
                _ => {}
            }
        }
        match (src, &config.site) {
            (Some(src), _) => route.src = Some(src),
            (None, Some(_)) => {
                let (doc, listing) = doc_for_page(url);
                route.src = Some(doc);
                route.by_page = true;
                route.listing = listing;
            }
            (None, None) => {}
        }
        route
    }

    /// The same place as a prerendered page shows it: the document and listing page, no filters.
    pub fn unfiltered(&self) -> Route {
        Route { src: self.src.clone(), by_page: self.by_page, listing: self.listing, ..Route::default() }
    }

    /// True when a filter or sort is set.
    pub fn filtered(&self) -> bool {
        !self.q.trim().is_empty() || !self.tags.is_empty() || !self.authors.is_empty() || !self.sort.is_empty()
    }

    /// A real link for this route, written for `page` (the page the link is on): its
    /// prerendered page on a site, the page's own address with `?src=` when synced, else the
    /// standalone viewer published beside the embed.
    pub fn href(&self, config: &Config, page: &str) -> String {
        if !config.url_sync {
            let doc = self.src.as_deref().map(|s| resolve(page, s)).unwrap_or_default();
            return match &config.viewer_page {
                Some(viewer) => {
                    let query: String =
                        form_urlencoded::Serializer::new(String::new()).append_pair("src", &doc).finish();
                    format!("{viewer}?{query}")
                }
                None => doc,
            };
        }
        if self.by_page {
            if let Some(src) = &self.src {
                let target = resolve(page, &listing_page(src, self.listing));
                let mut query = form_urlencoded::Serializer::new(String::new());
                self.append_filters(&mut query);
                let query = query.finish();
                let rel = relative_url(&target, page);
                return if query.is_empty() { rel } else { format!("{rel}?{query}") };
            }
        }
        // The page's other parameters (a host page's own) stay as they are.
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in form_urlencoded::parse(query_of(page).as_bytes()) {
            if k != config.url_param.as_str() && !FILTERS.contains(&k.as_ref()) {
                query.append_pair(&k, &v);
            }
        }
        if let Some(src) = &self.src {
            query.append_pair(&config.url_param, &relative_to_origin(&resolve(page, src), page));
        }
        self.append_filters(&mut query);
        format!("?{}", query.finish())
    }

    fn append_filters(&self, query: &mut form_urlencoded::Serializer<String>) {
        if !self.q.is_empty() {
            query.append_pair("q", &self.q);
        }
        for t in &self.tags {
            query.append_pair("tag", t);
        }
        for a in &self.authors {
            query.append_pair("author", a);
        }
        if !self.sort.is_empty() {
            query.append_pair("sort", &self.sort);
        }
        if self.as_typed && !self.q.is_empty() {
            query.append_pair("typed", "1");
        }
    }
}

/// The query string of an address, without `?` and any fragment.
fn query_of(url: &str) -> &str {
    let url = url.split('#').next().unwrap_or("");
    url.split_once('?').map_or("", |(_, q)| q)
}

/// True when `doc` lies in the folder of the site whose collection is `collection`.
fn same_site(doc: &str, collection: &str) -> bool {
    let root = &collection[..collection.rfind('/').map_or(0, |i| i + 1)];
    !root.is_empty() && doc.starts_with(root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Site;

    fn site() -> Config {
        Config {
            site: Some(Site {
                canonical: "https://news.example/".into(),
                collection: "http://h/site/index.json".into(),
                title: "t".into(),
            }),
            ..Config::default()
        }
    }

    #[test]
    fn a_query_string_round_trips() {
        let c = Config::default();
        let page = "http://h/viewer/index.html?x=1&q=old";
        let r = Route {
            src: Some("samples/a b.json".into()),
            q: "오라클 AI".into(),
            tags: vec!["클라우드".into(), "a&b".into()],
            sort: "newest".into(),
            listing: 1,
            ..Route::default()
        };
        let href = r.href(&c, page);
        assert!(href.starts_with("?x=1&src=%2Fviewer%2Fsamples%2Fa+b.json&q="), "{href}");
        let back = Route::from_url(&c, &resolve(page, &href));
        assert_eq!(back, Route { src: Some("/viewer/samples/a b.json".into()), ..r });
    }

    #[test]
    fn a_site_page_is_its_own_document() {
        let c = site();
        let r = Route::from_url(&c, "http://h/site/articles/a.html?q=x#top");
        assert_eq!(r.src.as_deref(), Some("http://h/site/articles/a.json"));
        assert!(r.by_page && r.q == "x" && r.listing == 1);
        let r = Route::from_url(&c, "http://h/site/page/3.html");
        assert_eq!((r.src.as_deref(), r.listing), (Some("http://h/site/index.json"), 3));
        // Links to other documents of the site lead to their pages, relative to this one.
        let page = "http://h/site/articles/a.html";
        let here = Route::from_url(&c, page);
        assert_eq!(here.to_doc(&c, "http://h/site/articles/b.json").href(&c, page), "b.html");
        let tagged = Route { tags: vec!["AI".into()], ..here.to_doc(&c, "http://h/site/index.json") };
        assert_eq!(tagged.href(&c, page), "../index.html?tag=AI");
        assert_eq!(
            Route { listing: 2, ..here.to_doc(&c, "http://h/site/index.json") }.href(&c, page),
            "../page/2.html"
        );
        // A document elsewhere, or a page opened with ?src=, keeps ?src= links.
        assert_eq!(here.to_doc(&c, "http://h/other/x.json").href(&c, page), "?src=%2Fother%2Fx.json");
        let by_src = Route::from_url(&c, "http://h/site/index.html?src=/site/articles/b.json");
        assert!(!by_src.by_page);
        assert!(!by_src.to_doc(&c, "http://h/site/articles/c.json").by_page);
    }

    #[test]
    fn embeds_link_to_the_standalone_viewer() {
        let c = Config {
            url_sync: false,
            viewer_page: Some("https://cdn.example/v/index.html".into()),
            ..Config::default()
        };
        let r = Route::default().to_doc(&c, "a.json");
        assert_eq!(
            r.href(&c, "https://host.example/p/"),
            "https://cdn.example/v/index.html?src=https%3A%2F%2Fhost.example%2Fp%2Fa.json"
        );
    }
}
