//! Property tests: whatever JSON or Markdown arrives, parsing and rendering never panic, and the
//! rendered tree always passes the same safety checker the XSS corpus uses.
#![cfg(not(target_arch = "wasm32"))]

use article_viewer_core::format::{parse_document, write_document, Document};
use article_viewer_core::i18n::Lang;
use article_viewer_core::markdown::{check_safe, render_body, render_inline, Attr, Node, RenderOptions};
use article_viewer_core::urls::{is_external, relative_to_origin, resolve, HttpUrl};
use proptest::prelude::*;
use serde_json::Value;

fn opts() -> RenderOptions {
    RenderOptions { base: Some("https://news.example/a/b.json".into()), lang: Lang::Ko }
}

/// Markdown-ish text: the characters that make structure, plus Hangul and schemes.
fn markdown() -> impl Strategy<Value = String> {
    let atoms = prop_oneof![
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("> ".to_string()),
        Just("> [!TIP]\n".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("# ".to_string()),
        Just("```".to_string()),
        Just("|".to_string()),
        Just("---".to_string()),
        Just("[".to_string()),
        Just("](".to_string()),
        Just(")".to_string()),
        Just("![".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("javascript:".to_string()),
        Just("https://x.example/".to_string()),
        Just("www.".to_string()),
        Just("data:image/png,".to_string()),
        Just("[^1]".to_string()),
        Just("[^1]: ".to_string()),
        Just("**".to_string()),
        Just("~~".to_string()),
        Just("💡".to_string()),
        Just("&#106;".to_string()),
        Just("<script>".to_string()),
        Just("\"".to_string()),
        Just("[ ] ".to_string()),
        "[가-힣a-z ]{1,8}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        markdown().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "id",
                        "title",
                        "body",
                        "articles",
                        "related",
                        "authors",
                        "name",
                        "image",
                        "src",
                        "caption",
                        "editors_pick",
                        "items",
                        "tags",
                        "published",
                        "href",
                        "url",
                        "summary",
                        "language",
                    ]),
                    inner
                ),
                0..10
            )
            .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// `v` made an article when it is an object: the required fields added, `articles` removed.
fn as_article(v: Value) -> Value {
    let Value::Object(mut o) = v else { return v };
    o.remove("articles");
    for key in ["id", "title", "body"] {
        o.entry(key).or_insert_with(|| Value::from(key));
    }
    Value::Object(o)
}

/// The line and column of `invalid JSON at line L, column C: …` or `… ends too early (line L, column C)`.
fn position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("line ")? + 5..];
    let (line, rest) = rest.split_once(", column ")?;
    let column = rest.split([':', ')']).next()?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// Renders every Markdown field of a parsed document, as the viewer would.
fn render_all(doc: &Document) -> Result<(), String> {
    let o = opts();
    let summaries = match doc {
        Document::Article(a) => {
            check_safe(&render_body(&a.body, &o))?;
            if let Some(img) = &a.image {
                check_safe(&render_inline(img.caption.as_deref().unwrap_or(""), &o))?;
            }
            for item in a.editors_pick.iter().flat_map(|p| &p.items) {
                check_safe(&render_inline(item, &o))?;
            }
            &a.related
        }
        Document::Collection(c) => &c.articles,
    };
    for s in summaries {
        for item in s.editors_pick.iter().flat_map(|p| &p.items) {
            check_safe(&render_inline(item, &o))?;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_markdown_renders_safely(md in markdown()) {
        prop_assert_eq!(check_safe(&render_body(&md, &opts())), Ok(()));
        prop_assert_eq!(check_safe(&render_inline(&md, &opts())), Ok(()));
    }

    /// Ids stay unique on the page: the body's are unique among themselves (check_safe), and
    /// an inline field (pick point, caption) creates none, and no footnote links.
    #[test]
    fn inline_fields_create_no_ids(md in markdown()) {
        fn ids_or_fragments(nodes: &[Node]) -> Vec<String> {
            let mut out = Vec::new();
            for n in nodes {
                if let Node::Element(e) = n {
                    out.extend(e.get(Attr::Id).map(|id| format!("id={id}")));
                    out.extend(e.get(Attr::Class).filter(|c| c.contains("av-fn")).map(|c| format!("class={c}")));
                    out.extend(ids_or_fragments(&e.children));
                }
            }
            out
        }
        prop_assert_eq!(ids_or_fragments(&render_inline(&md, &opts())), Vec::<String>::new());
    }

    #[test]
    fn any_text_renders_safely(text in any::<String>()) {
        prop_assert_eq!(check_safe(&render_body(&text, &opts())), Ok(()));
        let _ = parse_document(&text);
    }

    #[test]
    fn invalid_json_is_placed_inside_the_text(text in prop_oneof![
        any::<String>(),
        json_value().prop_map(|v| { let s = v.to_string(); s.chars().take(s.chars().count() / 2).collect() }),
        json_value().prop_map(|v| v.to_string().replacen(',', ",,", 1).replacen(':', "::", 1)),
        "[\\[\\]{}\":,0-9eE+\\-. truefalsn\\\\u\n가]{0,40}",
    ]) {
        let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
        if serde_json::from_str::<Value>(body).is_ok() {
            return Ok(());
        }
        let message = parse_document(&text).map(|_| ()).unwrap_err().to_string();
        if message != "not JSON: it looks like an HTML page" {
            prop_assert!(message.starts_with("invalid JSON"), "{}", message);
            let (line, column) = position(&message).unwrap_or((0, 0));
            // The place exists: a line of the text, a column at most one past its end.
            let chars = body.split('\n').nth(line.wrapping_sub(1)).map(|l| l.chars().count());
            prop_assert!(column >= 1 && chars.is_some_and(|n| column <= n + 1), "{} in {:?}", message, text);
        }
    }

    #[test]
    fn every_accepted_document_writes_and_reads_back_the_same(v in prop_oneof![json_value(), json_value().prop_map(as_article)]) {
        if let Ok(parsed) = parse_document(&v.to_string()) {
            let written = write_document(&parsed.document);
            let again = parse_document(&written);
            prop_assert!(again.is_ok(), "{:?}", again);
            if let Ok(again) = again {
                prop_assert!(again.warnings.is_empty(), "{:?}", again.warnings);
                prop_assert_eq!(again.document, parsed.document);
            }
        }
    }

    /// A resolved http(s) URL is absolute in the browser's reading too: resolving it again,
    /// against any page, keeps its origin. So what the viewer checked is where the link goes.
    #[test]
    fn resolved_urls_mean_the_same_against_any_page(reference in prop_oneof![
        "(https?:|HTTP:)?[a-z/\\\\:@#?.\t\n %0-9\\[\\]]{0,24}",
        any::<String>(),
    ]) {
        let doc = "http://this-site.example/a/doc.json";
        let resolved = resolve(doc, &reference);
        let _ = (is_external(&reference, Some(doc)), is_external(&reference, None), relative_to_origin(&reference, doc));
        if let Some(url) = HttpUrl::parse(&resolved) {
            for page in ["http://this-site.example/viewer/", "https://elsewhere.example/x/y", "http://a:8080"] {
                let again = HttpUrl::parse(&resolve(page, &resolved)).map(|u| u.origin());
                prop_assert_eq!(again, Some(url.origin()), "{:?} -> {:?}", reference, resolved);
            }
            let short = relative_to_origin(&resolved, doc);
            let back = HttpUrl::parse(&resolve(doc, &short)).map(|u| u.origin());
            prop_assert_eq!(back, Some(url.origin()), "{:?} -> {:?} -> {:?}", reference, resolved, short);
        }
    }

    #[test]
    fn any_json_parses_or_is_refused_with_a_message(v in json_value()) {
        match parse_document(&v.to_string()) {
            Ok(parsed) => prop_assert_eq!(render_all(&parsed.document), Ok(())),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn any_article_with_hostile_fields_renders_safely(body in markdown(), caption in markdown(), item in markdown()) {
        let doc = serde_json::json!({
            "id": "p", "title": "t", "body": body,
            "image": {"src": "x.png", "caption": caption},
            "editors_pick": {"items": [item]},
        });
        let parsed = parse_document(&doc.to_string());
        prop_assert!(parsed.is_ok());
        if let Ok(p) = parsed {
            prop_assert_eq!(render_all(&p.document), Ok(()));
        }
    }
}
