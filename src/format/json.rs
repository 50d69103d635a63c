//! A small JSON reader (RFC 8259) for the format walker: values, and errors with a line and
//! column. Written for this viewer because a general serde stack costs every reader bytes
//! it never uses; numbers stay as text (the format only ever turns one into an `id`).

/// A JSON value. Objects keep their members in document order.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number as written (validated against the JSON grammar).
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Object),
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Object(Vec<(String, Value)>);

impl Object {
    /// The member named `key`; with duplicates, the last one wins (as most readers do).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// Documents nested deeper than this are refused rather than risk the stack.
pub const MAX_NESTING: usize = 128;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub line: usize,
    pub column: usize,
    /// The text ended before the value did.
    pub eof: bool,
    pub what: &'static str,
}

pub fn parse(text: &str) -> Result<Value, Error> {
    let mut p = Reader { s: text.as_bytes(), at: 0 };
    p.skip_space();
    let v = p.value(0)?;
    p.skip_space();
    if p.at < p.s.len() {
        return Err(p.error("trailing characters after the document"));
    }
    Ok(v)
}

struct Reader<'a> {
    s: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn error(&self, what: &'static str) -> Error {
        let before = &self.s[..self.at.min(self.s.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // Columns count characters, not bytes, as an editor shows them.
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        Error { line, column, eof: self.at >= self.s.len(), what }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect_word(&mut self, word: &[u8], v: Value) -> Result<Value, Error> {
        for &b in word {
            match self.peek() {
                Some(c) if c == b => self.at += 1,
                _ => return Err(self.error("unexpected character")),
            }
        }
        Ok(v)
    }

    fn value(&mut self, depth: usize) -> Result<Value, Error> {
        if depth > MAX_NESTING {
            return Err(self.error("nested too deeply"));
        }
        match self.peek() {
            None => Err(self.error("a value was expected")),
            Some(b'n') => self.expect_word(b"null", Value::Null),
            Some(b't') => self.expect_word(b"true", Value::Bool(true)),
            Some(b'f') => self.expect_word(b"false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, Error> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error("the array is not closed")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, Error> {
        self.at += 1;
        let mut members = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(Object(members)));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error(if self.peek().is_none() { "the object is not closed" } else { "expected a member name" }));
            }
            let key = self.string()?;
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:`"));
            }
            self.at += 1;
            self.skip_space();
            members.push((key, self.value(depth + 1)?));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(Object(members)));
                }
                None => return Err(self.error("the object is not closed")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn number(&mut self) -> Result<Value, Error> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.at += 1;
            }
            r.at > from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        if self.peek() == Some(b'0') {
            self.at += 1;
        } else if !digits(self) {
            return Err(self.error("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error("invalid number"));
            }
        }
        // Only ASCII digits and signs were consumed: always valid UTF-8.
        Ok(Value::Number(String::from_utf8_lossy(&self.s[start..self.at]).into_owned()))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut n = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.error("invalid \\u escape")),
            };
            n = n * 16 + u32::from(d);
            self.at += 1;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, Error> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            // Copy the plain run in one go; stop at a quote, a backslash or a control byte.
            let run = self.s[self.at..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            let Some(len) = run else {
                self.at = self.s.len();
                return Err(self.error("the string is not closed"));
            };
            out.extend_from_slice(&self.s[self.at..self.at + len]);
            self.at += len;
            match self.s[self.at] {
                b'"' => {
                    self.at += 1;
                    // The input is a &str and escapes add only whole chars: valid UTF-8.
                    return Ok(String::from_utf8(out).unwrap_or_default());
                }
                b'\\' => {
                    self.at += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                // A high surrogate must be followed by its low half.
                                if self.s.get(self.at..self.at + 2) != Some(b"\\u") {
                                    return Err(self.error("unpaired surrogate in \\u escape"));
                                }
                                self.at += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.error("unpaired surrogate in \\u escape"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            let Some(c) = char::from_u32(code) else {
                                return Err(self.error("unpaired surrogate in \\u escape"));
                            };
                            let mut buf = [0; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                            continue;
                        }
                        None => return Err(self.error("the string is not closed")),
                        Some(_) => return Err(self.error("invalid escape")),
                    };
                    self.at += 1;
                    out.push(c as u8);
                }
                _ => return Err(self.error("control character in a string")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn reads_every_kind_of_value() {
        let v = parse(r#" {"a": [1, -2.5e3, 0, true, false, null], "b": {"c": "\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00한"}, "a": "last"} "#);
        let Ok(Value::Object(o)) = v else { panic!("{v:?}") };
        assert_eq!(o.get("a"), Some(&s("last")));
        let Some(Value::Object(b)) = o.get("b") else { panic!("b") };
        assert_eq!(b.get("c"), Some(&s("\"\\/\u{8}\u{c}\n\r\té😀한")));
        let Ok(Value::Array(items)) = parse("[1, -2.5e3, 0, true, false, null, []]") else { panic!("array") };
        assert_eq!(items[1], Value::Number("-2.5e3".into()));
        assert_eq!(items[6], Value::Array(vec![]));
        assert_eq!(parse("\"x\""), Ok(s("x")));
    }

    #[test]
    fn agrees_with_serde_json_on_what_is_json() {
        let cases = [
            "{}", "[]", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "[1 2]", "{\"a\" 1}", "{a:1}",
            "'x'", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\u{1}b\"", "nul", "truefalse", "[[[]]]", " \n{\"k\":\"v\"}\n ",
            "\"\\u12\"", "1 2", "{\"a\":[{\"b\":null}]}", "-0", "0e+1", "[\"\\ud83d\\ude00\"]", "\u{feff}{}",
        ];
        for c in cases {
            let ours = parse(c).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(c).is_ok();
            assert_eq!(ours, theirs, "{c:?}");
        }
    }

    #[test]
    fn errors_say_where_and_whether_the_text_ended() {
        let e = parse("{\"id\": \"a\",\n \"title\": ").unwrap_err();
        assert_eq!((e.line, e.eof), (2, true));
        let e = parse("{\"a\" 1}").unwrap_err();
        assert_eq!((e.line, e.column, e.eof, e.what), (1, 6, false, "expected `:`"));
        let e = parse("{\"제목\": x}").unwrap_err();
        assert_eq!(e.column, 8);
        let e = parse("\"open").unwrap_err();
        assert!(e.eof);
    }

    #[test]
    fn deep_nesting_is_refused_not_fatal() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(&deep).map_err(|e| e.what), Err("nested too deeply"));
        let ok = format!("{}{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(parse(&ok).is_ok());
    }
}
