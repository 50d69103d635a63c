//! Writing text into HTML and XML: escaping for text and attribute values, and JSON made
//! safe to carry inside a `<script>` element.

/// `s` escaped for HTML or XML text and (double- or single-quoted) attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 has no place for these; HTML shows nothing for them.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// JSON text that can sit inside `<script type="application/…json">`: `<`, `>` and `&` are
/// written as `\u` escapes (still the same JSON), so no `</script>` or `<!--` can end or
/// confuse the element early.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape("a\u{0}b\nc"), "ab\nc");
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let json = serde_json::to_string(&serde_json::json!({"body": "</script><script>alert(1)</script><!--"}))
            .unwrap_or_default();
        let safe = script_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back["body"], "</script><script>alert(1)</script><!--");
    }
}
