//! What a Markdown site says about itself in its own configuration, at the root of the folder
//! imported: Hugo's `hugo.toml`/`hugo.yaml`/`config.toml`/`config.yaml` and Jekyll's
//! `_config.yml`. Read: the site's title, description and language (the collection's, when
//! `--title` and the others are not given), and the permalink patterns that give each post its
//! old address (Hugo's `[permalinks]` per section, Jekyll's `permalink`). A configuration that
//! cannot be read is a warning, never a refusal: the posts come in without it.

use std::path::Path;

use serde_json::Value;

use super::{Sink, Source};

/// The site generator the configuration belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Generator {
    #[default]
    Unknown,
    Hugo,
    Jekyll,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteConfig {
    pub generator: Generator,
    pub source: Source,
    /// Hugo: (section, pattern); Jekyll: one pattern for `_posts`, under the section "".
    pub permalinks: Vec<(String, String)>,
}

/// Files tried, in Hugo's and Jekyll's order of preference.
const FILES: [(&str, Generator); 7] = [
    ("hugo.toml", Generator::Hugo),
    ("hugo.yaml", Generator::Hugo),
    ("hugo.yml", Generator::Hugo),
    ("config.toml", Generator::Hugo),
    ("config.yaml", Generator::Hugo),
    ("_config.yml", Generator::Jekyll),
    ("_config.yaml", Generator::Jekyll),
];

/// The largest configuration read (a site's is a few KB).
const MAX_BYTES: u64 = 1 << 20;

/// The folder's configuration, if it has one it can read; a warning says why one is left out.
pub fn read(root: &Path, sink: &mut dyn Sink) -> SiteConfig {
    for (name, generator) in FILES {
        let path = root.join(name);
        if !path.is_file() {
            continue;
        }
        let value = match load(&path, name) {
            Ok(v) => v,
            Err(why) => {
                sink.warn(name, format!("the site's configuration is left out: {why}"));
                return SiteConfig::default();
            }
        };
        return match generator {
            Generator::Jekyll => jekyll(&value),
            _ => hugo(&value),
        };
    }
    SiteConfig::default()
}

fn load(path: &Path, name: &str) -> Result<Value, String> {
    if std::fs::metadata(path).map_err(|e| e.to_string())?.len() > MAX_BYTES {
        return Err("larger than 1 MB".into());
    }
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    if name.ends_with(".toml") {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.message().to_string())?;
        Ok(super::markdown::toml_value(&toml::Value::Table(table), 0))
    } else {
        super::yaml::load(&text).map_err(|(line, column, message)| format!("line {line}, column {column}: {message}"))
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

fn hugo(v: &Value) -> SiteConfig {
    let params = v.get("params");
    let description = text(params.and_then(|p| p.get("description"))).or_else(|| text(v.get("description")));
    let language = text(v.get("languageCode")).or_else(|| text(v.get("defaultContentLanguage")));
    // `[permalinks]` maps sections to patterns; since Hugo 0.120 also `[permalinks.page]`.
    let table = v.get("permalinks");
    let table = table.and_then(|t| t.get("page")).filter(|p| p.is_object()).or(table);
    let permalinks = table
        .and_then(Value::as_object)
        .map(|o| o.iter().filter_map(|(k, p)| Some((k.clone(), text(Some(p))?))).collect())
        .unwrap_or_default();
    SiteConfig {
        generator: Generator::Hugo,
        source: Source { title: text(v.get("title")), description, language },
        permalinks,
    }
}

fn jekyll(v: &Value) -> SiteConfig {
    let language = text(v.get("lang")).or_else(|| text(v.get("locale")));
    // Jekyll's named styles; the default is `date`.
    let pattern = match text(v.get("permalink")).as_deref() {
        None | Some("date") => "/:categories/:year/:month/:day/:title:output_ext".to_string(),
        Some("pretty") => "/:categories/:year/:month/:day/:title/".to_string(),
        Some("none") => "/:categories/:title:output_ext".to_string(),
        Some(other) => other.to_string(),
    };
    SiteConfig {
        generator: Generator::Jekyll,
        source: Source { title: text(v.get("title")), description: text(v.get("description")), language },
        permalinks: vec![(String::new(), pattern.replace(":output_ext", ".html"))],
    }
}

/// What names a post in a permalink: its front matter's `slug`, its file's name (a bundle's
/// folder; without Jekyll's date), and its title.
pub struct PostName<'a> {
    pub slug: Option<&'a str>,
    pub file: &'a str,
    pub title: &'a str,
}

impl SiteConfig {
    /// The address a post had on the site, from the permalink pattern of its section (Hugo:
    /// `content/<section>/…`, default `/<section>/<slug, else file name>/`, and `:slug` the
    /// front matter's slug, else the title; Jekyll: `_posts/…`, `:title` the front matter's
    /// slug, else the file name's).
    pub fn permalink(
        &self,
        rel: &str,
        post: &PostName<'_>,
        categories: &[String],
        date: Option<&str>,
    ) -> Option<String> {
        let file_slug = post.slug.unwrap_or(post.file);
        let parts: Vec<&str> = rel.split('/').collect();
        match self.generator {
            Generator::Hugo => {
                let section = match parts.as_slice() {
                    ["content", section, _, ..] => *section,
                    _ => return None,
                };
                let title = super::text::slugify(post.title);
                match self.permalinks.iter().find(|(s, _)| s == section) {
                    Some((_, pattern)) => {
                        let slug = post.slug.map_or_else(|| title.clone(), str::to_string);
                        super::aliases::permalink(pattern, &slug, &title, section, date)
                    }
                    None => super::aliases::permalink("/:section/:slug/", file_slug, &title, section, date),
                }
            }
            Generator::Jekyll => {
                if !parts.contains(&"_posts") {
                    return None;
                }
                let pattern = &self.permalinks.first()?.1;
                let cats: Vec<String> = categories.iter().map(|c| super::text::slugify(c)).collect();
                super::aliases::permalink(pattern, file_slug, file_slug, &cats.join("/"), date)
            }
            Generator::Unknown => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Collect;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, SiteConfig, Vec<String>) {
        let dir = tempfile::tempdir().expect("temp");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        let mut sink = Collect::default();
        let cfg = read(dir.path(), &mut sink);
        (dir, cfg, sink.warnings)
    }

    #[test]
    fn hugo_configuration() {
        let (_d, cfg, w) = site(&[(
            "hugo.toml",
            "title = \"반도체 노트\"\nlanguageCode = \"ko-kr\"\n[params]\ndescription = \"메모리 이야기\"\n[permalinks]\nposts = \"/:year/:month/:slug/\"\n",
        )]);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(cfg.source.title.as_deref(), Some("반도체 노트"));
        assert_eq!(cfg.source.description.as_deref(), Some("메모리 이야기"));
        assert_eq!(cfg.source.language.as_deref(), Some("ko-kr"));
        let date = Some("2024-05-09T10:00:00+09:00");
        let name = |slug, file, title| PostName { slug, file, title };
        let hbm = name(Some("hbm"), "x", "HBM 수율");
        assert_eq!(cfg.permalink("content/posts/x.md", &hbm, &[], date).as_deref(), Some("/2024/05/hbm/"));
        let untitled = name(None, "x", "HBM 수율");
        assert_eq!(cfg.permalink("content/posts/x.md", &untitled, &[], date).as_deref(), Some("/2024/05/hbm-수율/"));
        let bundle = name(None, "b", "B");
        assert_eq!(cfg.permalink("content/notes/b/index.md", &bundle, &[], date).as_deref(), Some("/notes/b/"));
        assert_eq!(cfg.permalink("content/about.md", &bundle, &[], date), None, "not in a section");
    }

    #[test]
    fn jekyll_configuration_and_its_named_styles() {
        let date = Some("2024-05-09T10:00:00+09:00");
        let (_d, cfg, _) = site(&[("_config.yml", "title: Passkeys\ndescription: Notes\nlang: en\n")]);
        assert_eq!(cfg.source.title.as_deref(), Some("Passkeys"));
        let hello = PostName { slug: None, file: "hello", title: "Hello, world" };
        assert_eq!(
            cfg.permalink("_posts/2024-05-09-hello.md", &hello, &["News".into()], date).as_deref(),
            Some("/news/2024/05/09/hello.html")
        );
        assert_eq!(cfg.permalink("pages/about.md", &hello, &[], date), None);
        let (_d, cfg, _) = site(&[("_config.yml", "permalink: pretty\n")]);
        assert_eq!(cfg.permalink("_posts/x.md", &hello, &[], date).as_deref(), Some("/2024/05/09/hello/"));
        let (_d, cfg, _) = site(&[("_config.yml", "permalink: /blog/:title/\n")]);
        let renamed = PostName { slug: Some("hi"), ..hello };
        assert_eq!(cfg.permalink("_posts/x.md", &renamed, &[], date).as_deref(), Some("/blog/hi/"));
    }

    #[test]
    fn a_broken_configuration_is_a_warning() {
        let (_d, cfg, w) = site(&[("hugo.toml", "title = \n")]);
        assert_eq!(cfg, SiteConfig::default());
        assert!(w[0].starts_with("hugo.toml: the site's configuration is left out"), "{w:?}");
        let (_d, cfg, w) = site(&[]);
        assert_eq!((cfg, w.len()), (SiteConfig::default(), 0));
    }
}
