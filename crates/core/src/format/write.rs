//! Writing documents (the native publishing program's side): the format's types as JSON
//! that the viewer and `schema/article-viewer.schema.json` accept.

use super::Document;

/// `document` as pretty-printed JSON (two-space indent) ending in a newline, ready to be
/// saved as a file. Members come in the types' field order, which is the order of
/// `docs/reference/format.md`, so the same document always writes the same text. Absent optional
/// fields and empty optional lists are left out; `articles` and `items` are always written.
///
/// ```
/// use article_viewer_core::format::{parse_document, write_document};
///
/// let parsed = parse_document(r#"{"body": "본문", "title": "제목", "id": 7, "tags": []}"#).unwrap();
/// assert_eq!(
///     write_document(&parsed.document),
///     "{\n  \"id\": \"7\",\n  \"title\": \"제목\",\n  \"body\": \"본문\"\n}\n"
/// );
/// ```
pub fn write_document(document: &Document) -> String {
    // Cannot fail: every map key here is a string and no `Serialize` impl returns an error.
    let mut out = serde_json::to_string_pretty(document).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::parse_document;

    fn rewrite(json: &str) -> String {
        write_document(&parse_document(json).expect("valid").document)
    }

    #[test]
    fn writes_fields_in_format_order_and_leaves_out_what_is_absent() {
        let json = r#"{"related":[{"title":"다음","id":2,"tags":[],"published":"2025-09-12T09:00:00+09:00"}],
            "body":"본문\n","editors_pick":{"items":["하나"]},"subtitle":null,"title":"제목 \"인용\"","id":"a",
            "authors":[{"name":"김기자","url":null}],"unknown":true}"#;
        assert_eq!(
            rewrite(json),
            r#"{
  "id": "a",
  "title": "제목 \"인용\"",
  "authors": [
    {
      "name": "김기자"
    }
  ],
  "editors_pick": {
    "items": [
      "하나"
    ]
  },
  "body": "본문\n",
  "related": [
    {
      "id": "2",
      "title": "다음",
      "published": "2025-09-12T09:00:00+09:00"
    }
  ]
}
"#
        );
    }

    #[test]
    fn writes_the_added_fields_in_place_and_leaves_out_a_false_draft() {
        let json = r#"{"body":"b","expires":"2030-01-01T00:00:00Z","draft":true,"aliases":["/old/"],"title":"t","id":"a","url":"https://x.example/a"}"#;
        assert_eq!(
            rewrite(json),
            "{\n  \"id\": \"a\",\n  \"title\": \"t\",\n  \"url\": \"https://x.example/a\",\n  \"aliases\": [\n    \"/old/\"\n  ],\n  \"draft\": true,\n  \"expires\": \"2030-01-01T00:00:00Z\",\n  \"body\": \"b\"\n}\n"
        );
        assert_eq!(
            rewrite(r#"{"id":"a","title":"t","body":"b","draft":false}"#),
            "{\n  \"id\": \"a\",\n  \"title\": \"t\",\n  \"body\": \"b\"\n}\n"
        );
    }

    #[test]
    fn a_collection_keeps_its_articles_even_when_empty() {
        assert_eq!(rewrite(r#"{"articles":[]}"#), "{\n  \"articles\": []\n}\n");
        assert_eq!(
            rewrite(r#"{"articles":[{"id":"x"}],"title":"모음"}"#),
            "{\n  \"title\": \"모음\",\n  \"articles\": []\n}\n"
        );
    }
}
