//! Which documents the viewer may load (`?src=`), and every way loading one can fail,
//! each with a message in the reader's language that says what went wrong and where.

use crate::format::FormatError;
use crate::i18n::Lang;
use crate::urls::{resolve, HttpUrl};

/// The standalone page's default: documents from its own origin only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Extra origins (`https://cdn.example`) the site owner allows; `*` allows any.
    pub allowed_origins: Vec<String>,
}

impl Policy {
    /// Reads a space- or comma-separated list of origins, as written in the page's
    /// configuration; each is compared as `HttpUrl::origin` writes it (`https://cdn.example:443`
    /// is `https://cdn.example`).
    pub fn parse(list: &str) -> Policy {
        Policy {
            allowed_origins: list
                .split([' ', ',', '\n', '\t'])
                .filter(|s| !s.trim().is_empty())
                .map(|s| HttpUrl::parse(s).map_or_else(|| s.trim().to_ascii_lowercase(), |u| u.origin()))
                .collect(),
        }
    }

    /// Resolves `src` against the page and checks it may be loaded. Origin and credentials
    /// are read from the URL as the browser will read it when fetching it (`HttpUrl`).
    pub fn check(&self, src: &str, page: &str) -> Result<String, LoadError> {
        let url = resolve(page, src);
        let Some(parsed) = HttpUrl::parse(&url) else {
            return Err(LoadError::NotAllowed { url, reason: Refusal::Scheme });
        };
        if parsed.has_credentials() {
            return Err(LoadError::NotAllowed { url, reason: Refusal::Credentials });
        }
        let origin = parsed.origin();
        let same = HttpUrl::parse(page).is_some_and(|p| p.origin() == origin);
        if same || self.allowed_origins.iter().any(|o| o == "*" || *o == origin) {
            Ok(url)
        } else {
            Err(LoadError::NotAllowed { url, reason: Refusal::Origin(origin) })
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    Scheme,
    Credentials,
    Origin(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    NotAllowed { url: String, reason: Refusal },
    Network { url: String },
    Timeout { url: String, seconds: u32 },
    Status { url: String, code: u16, text: String },
    TooLarge { url: String, bytes: u64, limit: u64 },
    NotUtf8 { url: String, at: usize },
    Format { url: String, error: FormatError },
}

impl LoadError {
    pub fn url(&self) -> &str {
        match self {
            LoadError::NotAllowed { url, .. }
            | LoadError::Network { url }
            | LoadError::Timeout { url, .. }
            | LoadError::Status { url, .. }
            | LoadError::TooLarge { url, .. }
            | LoadError::NotUtf8 { url, .. }
            | LoadError::Format { url, .. } => url,
        }
    }

    /// One sentence for a reader; the technical part (the format's own message) stays as
    /// written so that a publisher can search for it.
    pub fn message(&self, lang: Lang) -> String {
        // Each sentence in Korean and English, its `{}` filled in order: one table and one
        // filler rather than a formatting call per sentence and language.
        let none = String::new;
        let (ko, en, args): (&str, &str, [String; 2]) = match self {
            LoadError::NotAllowed { reason: Refusal::Scheme, .. } => {
                ("http(s) 주소의 문서만 열 수 있습니다.", "Only http(s) documents can be opened.", [none(), none()])
            }
            LoadError::NotAllowed { reason: Refusal::Credentials, .. } => (
                "사용자 정보가 들어 있는 주소는 열 수 없습니다.",
                "Addresses that carry a user name or password are not opened.",
                [none(), none()],
            ),
            LoadError::NotAllowed { reason: Refusal::Origin(o), .. } => (
                "이 사이트는 {}의 문서를 열도록 허용하지 않았습니다.",
                "This site does not allow documents from {}.",
                [o.clone(), none()],
            ),
            LoadError::Network { .. } => (
                "네트워크 오류로 문서를 받지 못했습니다. 연결을 확인해 주세요.",
                "The document could not be fetched: a network error occurred.",
                [none(), none()],
            ),
            LoadError::Timeout { seconds, .. } => (
                "서버가 {}초 안에 응답하지 않았습니다.",
                "The server did not answer within {} seconds.",
                [seconds.to_string(), none()],
            ),
            LoadError::Status { code, text, .. } => {
                let status = if text.is_empty() { code.to_string() } else { format!("{code} {text}") };
                if *code == 404 || *code == 410 {
                    ("문서를 찾을 수 없습니다 (HTTP {}).", "The document was not found (HTTP {}).", [status, none()])
                } else {
                    (
                        "서버가 오류로 응답했습니다 (HTTP {}).",
                        "The server answered with an error (HTTP {}).",
                        [status, none()],
                    )
                }
            }
            LoadError::TooLarge { bytes, limit, .. } => (
                "문서가 너무 큽니다 ({} MB). 최대 {} MB까지 읽습니다.",
                "The document is too large ({} MB); the viewer reads up to {} MB.",
                [bytes.div_ceil(1 << 20).to_string(), (limit >> 20).to_string()],
            ),
            LoadError::NotUtf8 { at, .. } => (
                "문서가 UTF-8 텍스트가 아닙니다 ({}번째 바이트).",
                "The document is not UTF-8 text (byte {}).",
                [at.to_string(), none()],
            ),
            LoadError::Format { error, .. } => {
                ("문서를 읽을 수 없습니다: {}", "The document cannot be used: {}", [error.to_string(), none()])
            }
        };
        fill(if lang == Lang::Ko { ko } else { en }, &args)
    }
}

/// `template` with each `{}` replaced by the next of `args`.
fn fill(template: &str, args: &[String]) -> String {
    let mut parts = template.split("{}");
    let mut out = parts.next().unwrap_or_default().to_string();
    for (part, arg) in parts.zip(args.iter().map(String::as_str).chain(std::iter::repeat(""))) {
        out.push_str(arg);
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://news.example/viewer/?src=x";

    #[test]
    fn same_origin_by_default() {
        let p = Policy::default();
        assert_eq!(p.check("samples/a.json", PAGE), Ok("https://news.example/viewer/samples/a.json".into()));
        assert_eq!(
            p.check("https://evil.example/a.json", PAGE),
            Err(LoadError::NotAllowed {
                url: "https://evil.example/a.json".into(),
                reason: Refusal::Origin("https://evil.example".into())
            })
        );
        for bad in ["javascript:alert(1)", "data:application/json,{}", "file:///etc/passwd"] {
            assert!(matches!(p.check(bad, PAGE), Err(LoadError::NotAllowed { reason: Refusal::Scheme, .. })), "{bad}");
        }
        assert!(matches!(
            p.check("https://user:pw@news.example/a.json", PAGE),
            Err(LoadError::NotAllowed { reason: Refusal::Credentials, .. })
        ));
    }

    /// Origins and credentials as the browser reads the URL it will fetch (issue 13, item 4).
    #[test]
    fn reads_the_address_as_the_browser_will() {
        let p = Policy::default();
        let refused = |src: &str| match p.check(src, PAGE) {
            Err(LoadError::NotAllowed { reason, .. }) => Some(reason),
            _ => None,
        };
        let origin = |o: &str| Some(Refusal::Origin(o.into()));
        // The browser fetches from evil.example: `\` ends the authority before the `@`.
        assert_eq!(refused("https://evil.example\\@news.example/a.json"), origin("https://evil.example"));
        assert_eq!(refused("//evil.example/a.json"), origin("https://evil.example"));
        assert_eq!(refused("\\\\evil.example\\a.json"), origin("https://evil.example"));
        assert_eq!(refused("/\\evil.example/a.json"), origin("https://evil.example"));
        assert_eq!(refused("https:evil.example/a.json"), None);
        assert_eq!(refused("http:evil.example/a.json"), origin("http://evil.example"));
        assert_eq!(refused("https://news.example@evil.example/a.json"), Some(Refusal::Credentials));
        assert_eq!(refused("https://a@b@news.example/a.json"), Some(Refusal::Credentials));
        assert_eq!(refused("https://"), Some(Refusal::Scheme));
        // An `@` in the fragment or query is no user name; a bare `@` carries none either.
        assert_eq!(p.check("https://news.example/a.json#@x", PAGE), Ok("https://news.example/a.json#@x".into()));
        assert_eq!(p.check("/a.json?by=@x", PAGE), Ok("https://news.example/a.json?by=@x".into()));
        assert!(p.check("https://@news.example/a.json", PAGE).is_ok());
        // The default port is the same origin.
        assert!(p.check("HTTPS://NEWS.example:443/a.json", PAGE).is_ok());
        assert_eq!(refused("https://news.example:8443/a.json"), origin("https://news.example:8443"));
    }

    #[test]
    fn owner_allows_more_origins() {
        let p = Policy::parse("https://cdn.example/, https://Other.example,https://port.example:443");
        assert!(p.check("https://cdn.example/a.json", PAGE).is_ok());
        assert!(p.check("https://port.example/a.json", PAGE).is_ok());
        assert!(p.check("https://other.example/a.json", PAGE).is_ok());
        assert!(p.check("http://cdn.example/a.json", PAGE).is_err());
        assert!(Policy::parse("*").check("https://any.example/a.json", PAGE).is_ok());
    }

    #[test]
    fn messages_say_what_and_where() {
        let e = LoadError::Status { url: "u".into(), code: 500, text: "Internal Server Error".into() };
        assert_eq!(e.message(Lang::Ko), "서버가 오류로 응답했습니다 (HTTP 500 Internal Server Error).");
        let e = LoadError::Format {
            url: "u".into(),
            error: FormatError { path: "title".into(), message: "missing".into() },
        };
        assert_eq!(e.message(Lang::En), "The document cannot be used: title: missing");
        assert_eq!(e.url(), "u");
    }

    #[test]
    fn every_sentence_gets_its_values_in_order() {
        let e = LoadError::TooLarge { url: "u".into(), bytes: (5 << 20) - 1, limit: 48 << 20 };
        assert_eq!(e.message(Lang::En), "The document is too large (5 MB); the viewer reads up to 48 MB.");
        assert_eq!(e.message(Lang::Ko), "문서가 너무 큽니다 (5 MB). 최대 48 MB까지 읽습니다.");
        let e = LoadError::Timeout { url: "u".into(), seconds: 20 };
        assert_eq!(e.message(Lang::Ko), "서버가 20초 안에 응답하지 않았습니다.");
        let e = LoadError::Status { url: "u".into(), code: 404, text: String::new() };
        assert_eq!(e.message(Lang::En), "The document was not found (HTTP 404).");
        let e = LoadError::Network { url: "u".into() };
        assert_eq!(e.message(Lang::En), "The document could not be fetched: a network error occurred.");
        assert_eq!(fill("{} and {}.", &["a".into()]), "a and .");
    }
}
