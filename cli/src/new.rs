//! `new`: a starter site in a new folder: the configuration (`site.toml`), the collection
//! (`index.json`), one article in Korean, a logo, and a README saying what to do next. It never
//! writes into a folder that has anything in it.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::Error;

#[derive(clap::Args)]
pub struct Args {
    /// The folder to create (it may exist if it is empty).
    pub dir: PathBuf,
    /// The address the site will be published at, written into site.toml as base_url.
    #[arg(long, default_value = "https://example.com/")]
    pub site: String,
}

pub struct Summary {
    pub dir: PathBuf,
    pub files: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self.dir.display();
        write!(
            f,
            "wrote a starter site of {} files into {dir}; publish it with\n  \
             article-viewer-cli build --content {dir} --out public",
            self.files
        )
    }
}

const ARTICLE: &str = r##"{
  "id": "first-post",
  "title": "우리 동네 소식지를 시작합니다",
  "subtitle": "이 글은 새 사이트에 들어 있는 예시입니다. 고치거나 지우고 여러분의 기사를 쓰세요",
  "language": "ko",
  "published": "2026-01-05T09:00:00+09:00",
  "authors": [{ "name": "편집부" }],
  "tags": ["안내", "시작하기"],
  "editors_pick": {
    "items": [
      "기사 한 편은 JSON 파일 하나입니다",
      "본문은 **마크다운**으로 씁니다",
      "`index.json`에 기사를 올리면 첫 화면 목록에 나옵니다"
    ]
  },
  "body": "동네 도서관 앞 게시판에 붙던 소식을 이제 웹에서도 읽을 수 있게 됐다. 이 사이트는 기사 한 편을 JSON 파일 하나로 쓰고, 명령 하나로 정적 사이트를 만든다.\n\n## 기사 쓰기\n\n`articles` 폴더에 이 파일처럼 JSON 파일을 하나 만든다. 제목은 `title`, 본문은 `body`에 넣는다. 본문에는 마크다운을 쓸 수 있어서 **굵게**, *기울임*, [링크](https://example.com/)와 목록을 그대로 적으면 된다.\n\n- 제목과 부제목\n- 글쓴이와 날짜\n- 태그: 목록 화면에서 태그를 눌러 기사를 골라 볼 수 있다\n\n## 첫 화면에 올리기\n\n`index.json`의 `articles` 목록에 기사 제목과 요약, 파일 경로(`href`)를 한 줄 더한다. 목록 화면에서는 검색창에 낱말을 넣어 기사를 찾을 수 있다.\n\n> 사이트 이름과 메뉴, 아래쪽 링크는 `site.toml`에서 바꾼다.\n\n다 쓴 뒤에는 `article-viewer-cli build`를 한 번 실행하면 된다. 만들어진 폴더를 어느 웹 호스팅에 올려도 그대로 열린다.\n"
}
"##;

const COLLECTION: &str = r#"{
  "title": "우리 동네 소식",
  "description": "동네 소식을 전하는 작은 사이트입니다.",
  "language": "ko",
  "articles": [
    {
      "id": "first-post",
      "title": "우리 동네 소식지를 시작합니다",
      "summary": "기사 한 편은 JSON 파일 하나, 사이트는 명령 하나로 만든다. 기사를 쓰고 첫 화면에 올리는 방법을 소개한다.",
      "tags": ["안내", "시작하기"],
      "published": "2026-01-05T09:00:00+09:00",
      "href": "articles/first-post.json"
    }
  ]
}
"#;

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 32" width="120" height="32"><rect width="32" height="32" rx="8" fill="#0a5bd3"/><path d="M8 22V10h4l8 8v-8h4v12h-4l-8-8v8z" fill="#fff"/><text x="40" y="22" font-family="sans-serif" font-size="15" font-weight="700" fill="#1b1d21">소식</text></svg>
"##;

fn config(site: &str) -> String {
    format!(
        r#"# The site's configuration: every key is optional (docs/guide/configuration.md).
title = "우리 동네 소식"
description = "동네 소식을 전하는 작은 사이트입니다."
language = "ko"
# Where the site will be published; `build --site` overrides it.
base_url = "{site}"
logo = "images/logo.svg"

[[nav]]
title = "전체 기사"
url = "index.html"

[[footer]]
title = "이 사이트 소개"
url = "articles/first-post.html"

# An analytics or comments script: its origin is added to the pages' policy, nothing else is.
# [scripts]
# origins = ["https://stats.example"]
# src = ["https://stats.example/script.js"]
"#
    )
}

const README: &str = "# 우리 동네 소식

A site made by `article-viewer-cli new`. Nothing in this folder but the content is published
(this README and `site.toml` stay out of the site).

- `site.toml`: the site's name, address, language, logo, menu and footer links
  (docs/guide/configuration.md in article-viewer).
- `index.json`: the collection, the front page's list of articles.
- `articles/`: one JSON file per article (the article format: docs/reference/format.md).
- `images/`: pictures the articles and the site use.

Publish it (the `public/` folder is the whole site, ready for any static host):

```sh
article-viewer-cli check .
article-viewer-cli build --content . --out ../public
```
";

/// Writes the starter site.
pub fn run(args: &Args) -> Result<Summary, Error> {
    let site = args.site.trim();
    if !(site.starts_with("https://") || site.starts_with("http://")) || site.contains(['"', '\\', '\n']) {
        return Err(Error::Usage(format!(
            "--site {site:?}: give an absolute http(s) address, e.g. https://news.example/"
        )));
    }
    refuse_unless_empty(&args.dir)?;
    let files: [(&str, String); 5] = [
        ("site.toml", config(site)),
        ("index.json", COLLECTION.to_string()),
        ("articles/first-post.json", ARTICLE.to_string()),
        ("images/logo.svg", LOGO.to_string()),
        ("README.md", README.to_string()),
    ];
    for (rel, text) in &files {
        let path = args.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
        }
        std::fs::write(&path, text).map_err(Error::io(&path))?;
    }
    Ok(Summary { dir: args.dir.clone(), files: files.len() })
}

/// A folder that exists with anything in it (hidden files too) is left alone.
fn refuse_unless_empty(dir: &Path) -> Result<(), Error> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(Error::Io { path: dir.to_path_buf(), source }),
        Ok(meta) if !meta.is_dir() => {
            Err(Error::Usage(format!("{}: not a folder; give a new folder's name", dir.display())))
        }
        Ok(_) => {
            if std::fs::read_dir(dir).map_err(Error::io(dir))?.next().is_some() {
                Err(Error::Usage(format!(
                    "{}: the folder is not empty; nothing was written. Give a new folder's name",
                    dir.display()
                )))
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use article_viewer_core::format::{parse_document, Document};

    #[test]
    fn the_starter_documents_are_read_whole_and_the_configuration_is_valid() {
        let article = parse_document(ARTICLE).unwrap_or_else(|e| panic!("{e}"));
        assert!(article.warnings.is_empty(), "{:?}", article.warnings);
        assert!(matches!(article.document, Document::Article(a) if a.id == "first-post"));
        let collection = parse_document(COLLECTION).unwrap_or_else(|e| panic!("{e}"));
        assert!(collection.warnings.is_empty(), "{:?}", collection.warnings);
        assert!(matches!(collection.document, Document::Collection(c) if c.articles.len() == 1));
        let c = article_viewer_site::config::parse(&config("https://example.com/"), "site.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.base_url.as_deref(), Some("https://example.com/"));
    }

    #[test]
    fn writes_into_a_new_or_empty_folder_only() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path().join("mysite");
        let args = Args { dir: dir.clone(), site: "https://news.example/".into() };
        let summary = run(&args).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(summary.files, 5);
        assert!(std::fs::read_to_string(dir.join("site.toml")).is_ok_and(|t| t.contains("https://news.example/")));
        let again = run(&args).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(again.contains("not empty; nothing was written"), "{again}");
        let other = tmp.path().join("other");
        std::fs::create_dir(&other).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(other.join(".keep"), "").unwrap_or_else(|e| panic!("{e}"));
        assert!(run(&Args { dir: other.clone(), site: "https://x.example/".into() }).is_err());
        assert_eq!(std::fs::read_dir(&other).map(Iterator::count).unwrap_or(0), 1, "nothing added");
        let bad = run(&Args { dir: tmp.path().join("x"), site: "news.example".into() });
        assert!(bad.is_err() && !tmp.path().join("x").exists());
    }
}
