//! Links between posts follow the move: once every post is read, a body link to another
//! imported post's old address (on the old site, or a path from its root, in any spelling
//! [`aliases::same_address`] takes as one) becomes a relative link to that post's new page,
//! `<slug>.html` beside the article (`articles/<slug>.json` is published as
//! `articles/<slug>.html`, and a body link resolves against the article's address, from disk
//! and over HTTP alike). Links to the old site that match no post are left as they are, and
//! listed. One map of old address → page, so the work is linear in the bodies' size.

use std::collections::HashMap;

use crate::aliases::same_address;
use crate::dests::{self, Role};
use crate::pictures::OldSite;

/// Each old address (as [`same_address`] spells it) → the slug of the post that has it.
#[derive(Default)]
pub struct Pages {
    map: HashMap<String, String>,
}

impl Pages {
    /// The first post to claim an address keeps it (as the import's aliases do).
    pub fn add(&mut self, slug: &str, alias: &str) {
        self.map.entry(same_address(alias)).or_insert_with(|| slug.to_string());
    }

    /// The slug whose post lived at `path` (a path from the old site's root, a query allowed,
    /// no fragment): as written, then without its query (`/a/?utm_source=x`), then without
    /// WordPress's `/index.php` (`/index.php?p=12`).
    pub fn slug_of(&self, path: &str) -> Option<&str> {
        let (p, query) = path.split_once('?').map_or((path, None), |(p, q)| (p, Some(q)));
        let p = if p.is_empty() { "/" } else { p };
        let mut tries = vec![match query {
            Some(q) => format!("{p}?{q}"),
            None => p.to_string(),
        }];
        if query.is_some() && p != "/" {
            tries.push(p.to_string());
        }
        if let Some(before) = p.strip_suffix("/index.php").or_else(|| p.strip_suffix("/index.php/")) {
            let before = if before.is_empty() { "/" } else { before };
            tries.push(match query {
                Some(q) => format!("{before}?{q}"),
                None => before.to_string(),
            });
        }
        tries.iter().find_map(|t| self.map.get(&same_address(t))).map(String::as_str)
    }
}

/// What became of one body's links.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rewritten {
    /// The new body, when a link changed.
    pub body: Option<String>,
    /// (old address, new page) of each link rewritten.
    pub rewritten: Vec<(String, String)>,
    /// Links to the old site that match no post, once each.
    pub left: Vec<String>,
}

/// `body`'s links to imported posts' old addresses made relative links to their pages.
pub fn rewrite(body: &str, old: &OldSite, pages: &Pages) -> Rewritten {
    let mut out = Rewritten::default();
    let mut edits = Vec::new();
    let mut listed = std::collections::HashSet::new();
    for d in dests::find(body) {
        if d.role == Role::Image {
            continue;
        }
        let Some(path) = old.path_of(&d.url) else { continue };
        let (path, fragment) = path.split_once('#').map_or((path, None), |(p, f)| (p, Some(f)));
        match pages.slug_of(path) {
            Some(slug) => {
                let mut page = format!("{}.html", dests::encode(slug));
                if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                    page.push('#');
                    page.push_str(&dests::encode(f));
                }
                let text = match d.role {
                    Role::Autolink => format!("[{}]({page})", dests::label(&d.url)),
                    _ => page.clone(),
                };
                edits.push((d.at.clone(), text));
                out.rewritten.push((d.url, page));
            }
            None => {
                if listed.insert(d.url.clone()) {
                    out.left.push(d.url);
                }
            }
        }
    }
    if !edits.is_empty() {
        out.body = Some(dests::apply(body, &edits));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> Pages {
        let mut p = Pages::default();
        p.add("first", "/2024/05/first/");
        p.add("first", "/?p=12");
        p.add("둘째", "/second/");
        p.add("other", "/second/");
        p
    }

    #[test]
    fn every_spelling_of_an_old_address_finds_its_post() {
        let p = pages();
        for path in [
            "/2024/05/first/",
            "/2024/05/first",
            "/2024/05/First/index.html",
            "/?p=12",
            "/index.php?p=12",
            "/2024/05/first/?utm_source=x",
            "/%32024/05/first/",
        ] {
            assert_eq!(p.slug_of(path), Some("first"), "{path}");
        }
        assert_eq!(p.slug_of("/second/"), Some("둘째"), "the first claim keeps it");
        assert_eq!(p.slug_of("/?p=13"), None);
        assert_eq!(p.slug_of("/"), None);
    }

    #[test]
    fn links_become_relative_pages_and_the_rest_is_listed() {
        let mut old = OldSite::default();
        old.add("https://old.example/");
        let body = "See [first](https://old.example/2024/05/first/#part-2), [again](/?p=12), \
                    <https://www.old.example/second/>, [about](https://old.example/about/), \
                    [elsewhere](https://other.example/second/), ![pic](/second/) and [ref].\n\n\
                    [ref]: http://old.example/second/ \"t\"\n";
        let r = rewrite(body, &old, &pages());
        assert_eq!(
            r.body.as_deref(),
            Some(
                "See [first](first.html#part-2), [again](first.html), \
                 [https://www.old.example/second/](둘째.html), [about](https://old.example/about/), \
                 [elsewhere](https://other.example/second/), ![pic](/second/) and [ref].\n\n\
                 [ref]: 둘째.html \"t\"\n"
            )
        );
        assert_eq!(r.rewritten.len(), 4);
        assert_eq!(r.left, ["https://old.example/about/"]);
        let none = rewrite("[x](https://other.example/)", &old, &pages());
        assert_eq!(none, Rewritten::default());
    }

    #[test]
    fn linear_in_the_bodies_size() {
        let mut old = OldSite::default();
        old.add("https://old.example/");
        let mut p = Pages::default();
        for i in 0..20_000 {
            p.add(&format!("p{i}"), &format!("/p{i}/"));
        }
        let body: String = (0..100_000).map(|i| format!("[a](https://old.example/p{}/) ", i % 30_000)).collect();
        let t = std::time::Instant::now();
        let r = rewrite(&body, &old, &p);
        assert_eq!((r.rewritten.len(), r.left.len()), (70_000, 10_000));
        assert!(t.elapsed().as_secs() < 10);
    }
}
