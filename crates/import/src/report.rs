//! The import report: what came in and what was left behind, written beside the output
//! folder as Markdown (to read) and JSON (to check), and summed up on one screen.
//!
//! `--out site` writes `site.import.md` and `site.import.json` next to `site`. A report file
//! that an earlier import did not write (it lacks the report's first line, or its
//! `generator`) is never replaced: the report is then not written, and the summary says so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::json;

/// What the first line of the Markdown report, and the JSON report's `generator`, say.
const GENERATOR: &str = "article-viewer-cli import";

/// One post written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub slug: String,
    pub title: String,
    /// `published`, `scheduled` or `draft`.
    pub state: &'static str,
    pub published: Option<String>,
    pub aliases: Vec<String>,
    /// Each picture the post uses, once, and what became of it.
    pub pictures: Vec<Picture>,
    /// (old address, new page) of each link to another post rewritten.
    pub links_rewritten: Vec<(String, String)>,
    /// Links to the old site that match no post, left as they are.
    pub links_left: Vec<String>,
}

/// A picture a post uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    /// As the post had it.
    pub src: String,
    /// `copied`, `remote` or `missing`.
    pub outcome: &'static str,
    /// The copy inside the content folder.
    pub copy: Option<String>,
    /// Why it was not copied, and what became of the reference.
    pub why: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub posts: Vec<Entry>,
    /// Each warning, by the post (or place) it names, in the order they came.
    pub warnings: Vec<(String, String)>,
    pub skipped: usize,
    /// Picture files written into `images/`.
    pub picture_files: usize,
}

/// The links and pictures of a report, summed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Moved {
    pub links_rewritten: usize,
    pub links_left: usize,
    pub pictures_copied: usize,
    pub pictures_remote: usize,
    pub pictures_missing: usize,
    pub picture_files: usize,
}

impl Report {
    pub fn moved(&self) -> Moved {
        let pictures = |o: &str| self.posts.iter().flat_map(|p| &p.pictures).filter(|x| x.outcome == o).count();
        Moved {
            links_rewritten: self.posts.iter().map(|p| p.links_rewritten.len()).sum(),
            links_left: self.posts.iter().map(|p| p.links_left.len()).sum(),
            pictures_copied: pictures("copied"),
            pictures_remote: pictures("remote"),
            pictures_missing: pictures("missing"),
            picture_files: self.picture_files,
        }
    }

    fn count(&self, state: &str) -> usize {
        self.posts.iter().filter(|p| p.state == state).count()
    }

    fn aliases(&self) -> usize {
        self.posts.iter().map(|p| p.aliases.len()).sum()
    }

    /// The warnings grouped by what they name, in the order each was first named.
    fn by_post(&self) -> Vec<(&str, Vec<&str>)> {
        let mut order: Vec<&str> = Vec::new();
        let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (who, message) in &self.warnings {
            let list = groups.entry(who.as_str()).or_default();
            if list.is_empty() {
                order.push(who);
            }
            list.push(message);
        }
        order.into_iter().map(|who| (who, groups.remove(who).unwrap_or_default())).collect()
    }

    pub fn json(&self, kind: &str, input: &Path, out: &Path) -> String {
        let posts: Vec<_> = self
            .posts
            .iter()
            .map(|p| {
                let pictures: Vec<_> = p
                    .pictures
                    .iter()
                    .map(|x| json!({"src": x.src, "outcome": x.outcome, "copy": x.copy, "why": x.why}))
                    .collect();
                let rewritten: Vec<_> =
                    p.links_rewritten.iter().map(|(from, to)| json!({"from": from, "to": to})).collect();
                json!({"id": p.id, "slug": p.slug, "title": p.title, "state": p.state,
                       "published": p.published, "aliases": p.aliases, "pictures": pictures,
                       "links": {"rewritten": rewritten, "left": p.links_left}})
            })
            .collect();
        let warnings: Vec<_> =
            self.by_post().into_iter().map(|(who, messages)| json!({"post": who, "messages": messages})).collect();
        let moved = self.moved();
        let value = json!({
            "generator": GENERATOR,
            "kind": kind,
            "input": input.display().to_string(),
            "out": out.display().to_string(),
            "totals": {
                "imported": self.posts.len(),
                "published": self.count("published"),
                "scheduled": self.count("scheduled"),
                "drafts": self.count("draft"),
                "skipped": self.skipped,
                "aliases": self.aliases(),
                "warnings": self.warnings.len(),
                "links_rewritten": moved.links_rewritten,
                "links_left": moved.links_left,
                "pictures_copied": moved.pictures_copied,
                "pictures_remote": moved.pictures_remote,
                "pictures_missing": moved.pictures_missing,
                "picture_files": moved.picture_files,
            },
            "posts": posts,
            "warnings": warnings,
        });
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn markdown(&self, kind: &str, input: &Path, out: &Path) -> String {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut md = format!(
            "<!-- {GENERATOR} report -->\n# Import report\n\n`{kind}` import of `{}` into `{}`.\n\n",
            cell(&input.display().to_string()),
            cell(&out.display().to_string())
        );
        md.push_str(&format!(
            "| imported | published | scheduled | drafts | skipped | old addresses | warnings |\n|---|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} | {} |\n\n",
            self.posts.len(),
            self.count("published"),
            self.count("scheduled"),
            self.count("draft"),
            self.skipped,
            self.aliases(),
            self.warnings.len()
        ));
        md.push_str("## Posts\n\n| post | state | published | old addresses |\n|---|---|---|---|\n");
        for p in &self.posts {
            let aliases: Vec<String> = p.aliases.iter().map(|a| format!("`{}`", cell(a))).collect();
            md.push_str(&format!(
                "| `articles/{}.json` {} | {} | {} | {} |\n",
                cell(&p.slug),
                cell(&p.title),
                p.state,
                p.published.as_deref().unwrap_or(""),
                aliases.join(" ")
            ));
        }
        self.markdown_moved(&mut md);
        md.push_str("\n## Warnings\n\n");
        let grouped = self.by_post();
        if grouped.is_empty() {
            md.push_str("None.\n");
        }
        for (who, messages) in grouped {
            md.push_str(&format!("### {}\n\n", cell(who)));
            for m in messages {
                md.push_str(&format!("- {}\n", cell(m)));
            }
            md.push('\n');
        }
        md
    }

    /// The links and pictures sections: totals, then by post what was left behind.
    fn markdown_moved(&self, md: &mut String) {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let m = self.moved();
        md.push_str(&format!(
            "\n## Links and pictures\n\n| links rewritten | links left to the old site | pictures copied | files | remote | missing |\n|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} |\n",
            m.links_rewritten, m.links_left, m.pictures_copied, m.picture_files, m.pictures_remote, m.pictures_missing
        ));
        md.push_str("\n### Links left pointing at the old site\n\n");
        let mut any = false;
        for p in self.posts.iter().filter(|p| !p.links_left.is_empty()) {
            any = true;
            md.push_str(&format!("- `articles/{}.json` {}:", cell(&p.slug), cell(&p.title)));
            for l in &p.links_left {
                md.push_str(&format!(" <{}>", l.replace(['<', '>', '\n'], "")));
            }
            md.push('\n');
        }
        if !any {
            md.push_str("None.\n");
        }
        md.push_str("\n### Pictures not copied\n\n");
        any = false;
        for p in &self.posts {
            let left: Vec<&Picture> = p.pictures.iter().filter(|x| x.outcome != "copied").collect();
            if left.is_empty() {
                continue;
            }
            any = true;
            md.push_str(&format!("- `articles/{}.json` {}:\n", cell(&p.slug), cell(&p.title)));
            for x in left {
                let why = x.why.as_deref().map_or(String::new(), |w| format!(": {}", cell(w)));
                md.push_str(&format!("  - {} <{}>{why}\n", x.outcome, x.src.replace(['<', '>', '\n'], "")));
            }
        }
        if !any {
            md.push_str("None.\n");
        }
    }

    /// Lines for the screen: the warnings by post, at most `lines` of them.
    pub fn screen(&self, lines: usize) -> Vec<String> {
        let grouped = self.by_post();
        let mut out: Vec<String> = grouped
            .iter()
            .take(lines)
            .map(|(who, messages)| {
                format!("  {who}: {} warning{}", messages.len(), if messages.len() == 1 { "" } else { "s" })
            })
            .collect();
        if grouped.len() > lines {
            out.push(format!("  … and {} more (see the report)", grouped.len() - lines));
        }
        out
    }
}

/// Where the reports of an import into `out` go: beside it.
pub fn paths(out: &Path) -> (PathBuf, PathBuf) {
    let name = out.file_name().map_or_else(|| "import".into(), |n| n.to_string_lossy().to_string());
    let dir = out.parent().unwrap_or(Path::new("."));
    (dir.join(format!("{name}.import.md")), dir.join(format!("{name}.import.json")))
}

/// Writes both reports, unless a file at either place is not an earlier report: then neither
/// is written, and the reason is returned.
pub fn write(report: &Report, kind: &str, input: &Path, out: &Path) -> Result<(PathBuf, PathBuf), String> {
    let (md, js) = paths(out);
    for path in [&md, &js] {
        if path.exists() && !ours(path) {
            return Err(format!("{} is not an earlier import report; it is left alone", path.display()));
        }
    }
    std::fs::write(&md, report.markdown(kind, input, out)).map_err(|e| format!("{}: {e}", md.display()))?;
    std::fs::write(&js, report.json(kind, input, out)).map_err(|e| format!("{}: {e}", js.display()))?;
    Ok((md, js))
}

/// Whether the file at `path` starts as a report this program writes.
fn ours(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 256];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    head.starts_with(&format!("<!-- {GENERATOR} report -->"))
        || head.starts_with(&format!("{{\n  \"generator\": \"{GENERATOR}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        let entry = |id: &str, state, aliases: &[&str]| Entry {
            id: id.into(),
            slug: id.into(),
            title: format!("글 {id} | 제목"),
            state,
            published: Some("2026-01-01T00:00:00Z".into()),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            pictures: Vec::new(),
            links_rewritten: Vec::new(),
            links_left: Vec::new(),
        };
        let mut a = entry("a", "published", &["/a/", "/?p=1"]);
        a.links_rewritten = vec![("https://old.example/b/".into(), "b.html".into())];
        a.links_left = vec!["https://old.example/about/".into()];
        a.pictures = vec![
            Picture { src: "/x.png".into(), outcome: "copied", copy: Some("images/x.png".into()), why: None },
            Picture {
                src: "https://cdn.example/y.png".into(),
                outcome: "remote",
                copy: None,
                why: Some("on another site; left there".into()),
            },
            Picture {
                src: "/z.png".into(),
                outcome: "missing",
                copy: None,
                why: Some("not found in /e; left as written".into()),
            },
        ];
        Report {
            picture_files: 1,
            posts: vec![a, entry("b", "scheduled", &[])],
            warnings: vec![
                ("post \"a\"".into(), "one".into()),
                ("post \"c\"".into(), "skipped: no title".into()),
                ("post \"a\"".into(), "two".into()),
            ],
            skipped: 1,
        }
    }

    #[test]
    fn markdown_and_json_say_the_same() {
        let r = sample();
        let md = r.markdown("ghost", Path::new("in.json"), Path::new("out"));
        assert!(md.starts_with("<!-- article-viewer-cli import report -->\n# Import report"), "{md}");
        assert!(md.contains("| 2 | 1 | 1 | 0 | 1 | 2 | 3 |"), "{md}");
        assert!(
            md.contains("| `articles/a.json` 글 a \\| 제목 | published | 2026-01-01T00:00:00Z | `/a/` `/?p=1` |"),
            "{md}"
        );
        assert!(md.contains("### post \"a\"\n\n- one\n- two\n"), "{md}");
        let js: serde_json::Value =
            serde_json::from_str(&r.json("ghost", Path::new("in.json"), Path::new("out"))).expect("json");
        assert_eq!(js["totals"]["scheduled"], 1);
        assert_eq!(js["totals"]["aliases"], 2);
        assert_eq!(js["warnings"][0]["messages"], json!(["one", "two"]));
        assert!(md.contains("| 1 | 1 | 1 | 1 | 1 | 1 |"), "{md}");
        assert!(md.contains("- `articles/a.json` 글 a \\| 제목: <https://old.example/about/>\n"), "{md}");
        assert!(md.contains("  - remote <https://cdn.example/y.png>: on another site; left there\n  - missing </z.png>: not found in /e; left as written\n"), "{md}");
        assert_eq!(js["totals"]["links_rewritten"], 1);
        assert_eq!(js["totals"]["pictures_missing"], 1);
        assert_eq!(js["posts"][0]["links"]["left"], json!(["https://old.example/about/"]));
        assert_eq!(js["posts"][0]["pictures"][0]["copy"], "images/x.png");
        assert_eq!(r.screen(1), ["  post \"a\": 2 warnings", "  … and 1 more (see the report)"]);
    }

    #[test]
    fn written_beside_the_output_and_never_over_someone_elses_file() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path().join("site");
        let (md, js) = write(&sample(), "ghost", Path::new("in.json"), &out).expect("written");
        assert_eq!((md.clone(), js.clone()), (dir.path().join("site.import.md"), dir.path().join("site.import.json")));
        write(&sample(), "ghost", Path::new("in.json"), &out).expect("an earlier report is replaced");
        std::fs::write(&js, "{\"mine\": true}").expect("write");
        let e = write(&sample(), "ghost", Path::new("in.json"), &out).expect_err("refused");
        assert!(e.ends_with("site.import.json is not an earlier import report; it is left alone"), "{e}");
        assert_eq!(std::fs::read_to_string(&js).expect("read"), "{\"mine\": true}");
    }
}
