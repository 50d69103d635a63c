//! Walks a JSON value (`value.rs`, read by serde_json) into the format's types, naming the path
//! of every problem. Only the document's own required fields refuse it; everything else is
//! dropped and reported.

use super::value::{self, Object, Value};

use super::*;

/// The largest inputs the viewer accepts; beyond them it refuses or trims, and says so.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A document body (the JSON text) longer than this is refused before parsing.
    pub document_bytes: usize,
    /// Collection entries beyond this are dropped with a warning.
    pub articles: usize,
    /// "Read more" cards beyond this are dropped with a warning.
    pub related: usize,
    /// Authors, tags and pick items per object beyond this are dropped with a warning.
    pub small_list: usize,
}

pub const LIMITS: Limits = Limits { document_bytes: 48 * 1024 * 1024, articles: 100_000, related: 60, small_list: 100 };

struct Walker {
    warnings: Vec<Warning>,
}

fn err(path: &str, message: impl Into<String>) -> FormatError {
    FormatError { path: path.to_string(), message: message.into() }
}

fn type_name(v: &Value<'_>) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `expected a string, found a number`: what a place wanted and what the document has there.
fn expected(wanted: &str, found: &Value<'_>) -> String {
    ["expected ", wanted, ", found ", type_name(found)].concat()
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Reads and validates one document. `Err` only when the document itself is unusable.
pub fn parse_document(text: &str) -> Result<Parsed, FormatError> {
    if text.len() > LIMITS.document_bytes {
        return Err(err(
            "",
            format!(
                "the document is {} MB; the viewer reads documents up to {} MB",
                text.len().div_ceil(1024 * 1024),
                LIMITS.document_bytes / (1024 * 1024)
            ),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value = value::from_str(text).map_err(|e| err("", json_error(text, &e)))?;
    let Value::Object(root) = value else {
        return Err(err("", format!("the document must be a JSON object, found {}", type_name(&value))));
    };
    let mut w = Walker { warnings: Vec::new() };
    let document = if root.contains_key("articles") {
        Document::Collection(w.collection(&root)?)
    } else if root.contains_key("body") {
        Document::Article(w.article(&root)?)
    } else {
        return Err(err("", "neither an article (no `body`) nor a collection (no `articles`)"));
    };
    Ok(Parsed { document, warnings: w.warnings })
}

/// One collection entry read on its own, as the viewer reads it inside `articles` (the
/// publishing program streams a collection too large to hold): `path` names its place
/// (`articles[12]`). `Ok(None)` is an entry the viewer would drop, reported in the warnings.
pub fn parse_summary(text: &str, path: &str) -> Result<(Option<Summary>, Vec<Warning>), FormatError> {
    let value = value::from_str(text).map_err(|e| err(path, json_error(text, &e)))?;
    let mut w = Walker { warnings: Vec::new() };
    let summary = w.summary(&value, path);
    Ok((summary, w.warnings))
}

/// serde_json's refusal of `text` in the words the viewer uses (`invalid JSON at line 3,
/// column 7: expected value`), for readers that parse the text themselves.
pub fn describe_json_error(text: &str, e: &serde_json::Error) -> String {
    json_error(text.strip_prefix('\u{feff}').unwrap_or(text), e)
}

impl Walker {
    fn warn(&mut self, path: &str, message: impl Into<String>) {
        self.warnings.push(err(path, message));
    }

    /// A required string of the document itself: refused if missing or mistyped.
    fn required_str(obj: &Object<'_>, path: &str, key: &str) -> Result<String, FormatError> {
        match obj.get(key) {
            None => Err(err(&join(path, key), "missing")),
            Some(Value::String(s)) => Ok(s.to_string()),
            Some(v) => Err(err(&join(path, key), expected("a string", v))),
        }
    }

    /// An identifier: a string, or a number taken as a string ([`number_text`]).
    fn id(obj: &Object<'_>, path: &str) -> Result<String, FormatError> {
        match obj.get("id") {
            Some(Value::Number(n)) => Ok(number_text(n)),
            _ => Self::required_str(obj, path, "id"),
        }
    }

    /// An optional string: absent or `null` is silently `None`, a wrong type is reported.
    fn opt_str(&mut self, obj: &Object<'_>, path: &str, key: &str) -> Option<String> {
        match obj.get(key)? {
            Value::Null => None,
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s.to_string()),
            v => {
                self.warn(&join(path, key), expected("a string", v));
                None
            }
        }
    }

    /// An optional size in pixels: a whole number from 1 to 100,000; anything else is reported.
    fn opt_pixels(&mut self, obj: &Object<'_>, path: &str, key: &str) -> Option<u32> {
        match obj.get(key)? {
            Value::Null => None,
            Value::Number(n) => match n.as_u64().filter(|n| (1..=100_000).contains(n)) {
                Some(n) => Some(n as u32),
                None => {
                    self.warn(&join(path, key), "expected a whole number of pixels from 1 to 100000");
                    None
                }
            },
            v => {
                self.warn(&join(path, key), expected("a number", v));
                None
            }
        }
    }

    fn opt_date(&mut self, obj: &Object<'_>, path: &str, key: &str) -> Option<Date> {
        let raw = self.opt_str(obj, path, key)?;
        match DateTime::parse(&raw) {
            Some(at) => Some(Date { raw, at }),
            None => {
                self.warn(&join(path, key), format!("not an RFC 3339 date: \"{}\"", clip(&raw)));
                None
            }
        }
    }

    /// An optional array: its items are handed to `item` with their paths; `None` items are dropped.
    fn list<T>(
        &mut self,
        obj: &Object<'_>,
        path: &str,
        key: &str,
        limit: usize,
        mut item: impl FnMut(&mut Self, &Value<'_>, &str) -> Option<T>,
    ) -> Vec<T> {
        let p = join(path, key);
        match obj.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                if items.len() > limit {
                    self.warn(&p, format!("{} entries; only the first {limit} are shown", items.len()));
                }
                items.iter().take(limit).enumerate().filter_map(|(i, v)| item(self, v, &format!("{p}[{i}]"))).collect()
            }
            Some(v) => {
                self.warn(&p, expected("an array", v));
                Vec::new()
            }
        }
    }

    fn object<'v, 'a>(&mut self, v: &'v Value<'a>, path: &str) -> Option<&'v Object<'a>> {
        match v {
            Value::Object(o) => Some(o),
            v => {
                self.warn(path, expected("an object", v));
                None
            }
        }
    }

    /// A required field of a list entry or optional object: missing drops the entry.
    fn entry_str(&mut self, obj: &Object<'_>, path: &str, key: &str) -> Option<String> {
        match obj.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.to_string()),
            Some(Value::Number(n)) if key == "id" => Some(number_text(n)),
            None | Some(Value::Null) => {
                self.warn(path, format!("missing {key}"));
                None
            }
            Some(Value::String(_)) => {
                self.warn(path, format!("empty {key}"));
                None
            }
            Some(v) => {
                self.warn(&join(path, key), expected("a string", v));
                None
            }
        }
    }

    fn strings(&mut self, obj: &Object<'_>, path: &str, key: &str) -> Vec<String> {
        self.list(obj, path, key, LIMITS.small_list, |w, v, p| match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::String(_) => None,
            v => {
                w.warn(p, expected("a string", v));
                None
            }
        })
    }

    fn authors(&mut self, obj: &Object<'_>, path: &str) -> Vec<Author> {
        self.list(obj, path, "authors", LIMITS.small_list, |w, v, p| {
            let o = w.object(v, p)?;
            Some(Author {
                name: w.entry_str(o, p, "name")?,
                title: w.opt_str(o, p, "title"),
                url: w.opt_str(o, p, "url"),
                avatar: w.opt_str(o, p, "avatar"),
            })
        })
    }

    fn image(&mut self, obj: &Object<'_>, path: &str) -> Option<Image> {
        let p = join(path, "image");
        let v = obj.get("image")?;
        if matches!(v, Value::Null) {
            return None;
        }
        let o = self.object(v, &p)?;
        self.image_object(o, &p)
    }

    fn image_object(&mut self, o: &Object<'_>, p: &str) -> Option<Image> {
        let p = p.to_string();
        Some(Image {
            src: self.entry_str(o, &p, "src")?,
            alt: self.opt_str(o, &p, "alt"),
            caption: self.opt_str(o, &p, "caption"),
            width: self.opt_pixels(o, &p, "width"),
            height: self.opt_pixels(o, &p, "height"),
            variants: self.variants(o, &p),
            share: self.opt_str(o, &p, "share"),
        })
    }

    /// `variants` of an image: dropped whole, with a warning, when unusable; a bad copy alone
    /// is dropped from `srcset`.
    fn variants(&mut self, obj: &Object<'_>, path: &str) -> Option<Variants> {
        let p = join(path, "variants");
        let v = obj.get("variants")?;
        if matches!(v, Value::Null) {
            return None;
        }
        let o = self.object(v, &p)?;
        let kind = self.entry_str(o, &p, "type")?;
        let srcset = self.list(o, &p, "srcset", LIMITS.small_list, |w, v, p| {
            let o = w.object(v, p)?;
            let src = w.entry_str(o, p, "src")?;
            if !o.contains_key("width") {
                w.warn(p, "missing width");
            }
            Some(Variant { src, width: w.opt_pixels(o, p, "width")? })
        });
        if srcset.is_empty() {
            self.warn(&p, "no usable srcset");
            return None;
        }
        let (fallback, placeholder) = (self.opt_str(o, &p, "fallback"), self.opt_str(o, &p, "placeholder"));
        Some(Variants { kind, srcset, fallback, placeholder })
    }

    fn pick(&mut self, obj: &Object<'_>, path: &str) -> Option<Pick> {
        let p = join(path, "editors_pick");
        let v = obj.get("editors_pick")?;
        if matches!(v, Value::Null) {
            return None;
        }
        let o = self.object(v, &p)?;
        if !o.contains_key("items") {
            self.warn(&p, "missing items");
            return None;
        }
        let items = self.strings(o, &p, "items");
        if items.is_empty() {
            return None;
        }
        Some(Pick { title: self.opt_str(o, &p, "title"), items })
    }

    fn summary(&mut self, v: &Value<'_>, path: &str) -> Option<Summary> {
        let o = self.object(v, path)?;
        let id = self.entry_str(o, path, "id")?;
        let title = self.entry_str(o, path, "title")?;
        Some(Summary {
            id,
            title,
            subtitle: self.opt_str(o, path, "subtitle"),
            summary: self.opt_str(o, path, "summary"),
            editors_pick: self.pick(o, path),
            image: self.image(o, path),
            authors: self.authors(o, path),
            tags: self.strings(o, path, "tags"),
            published: self.opt_date(o, path, "published"),
            href: self.opt_str(o, path, "href"),
            url: self.opt_str(o, path, "url"),
        })
    }

    fn article(&mut self, o: &Object<'_>) -> Result<Article, FormatError> {
        let id = Self::id(o, "")?;
        let title = Self::required_str(o, "", "title")?;
        let body = Self::required_str(o, "", "body")?;
        Ok(Article {
            id,
            title,
            body,
            subtitle: self.opt_str(o, "", "subtitle"),
            language: self.opt_str(o, "", "language"),
            url: self.opt_str(o, "", "url"),
            aliases: self.aliases(o),
            published: self.opt_date(o, "", "published"),
            updated: self.opt_date(o, "", "updated"),
            draft: self.opt_bool(o, "", "draft"),
            expires: self.opt_date(o, "", "expires"),
            authors: self.authors(o, ""),
            tags: self.strings(o, "", "tags"),
            image: self.image(o, ""),
            editors_pick: self.pick(o, ""),
            related: self.list(o, "", "related", LIMITS.related, |w, v, p| w.summary(v, p).map(Rc::new)),
            pictures: self.list(o, "", "pictures", LIMITS.small_list, |w, v, p| {
                let o = w.object(v, p)?;
                w.image_object(o, p).map(|i| Image { alt: None, caption: None, share: None, ..i })
            }),
        })
    }

    /// An optional boolean: absent or `null` is `false`, a wrong type is reported.
    fn opt_bool(&mut self, obj: &Object<'_>, path: &str, key: &str) -> bool {
        match obj.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                self.warn(&join(path, key), expected("a boolean", v));
                false
            }
        }
    }

    /// `aliases`: each a path from the site's root ([`alias_problem`]); others are dropped.
    fn aliases(&mut self, o: &Object<'_>) -> Vec<String> {
        self.list(o, "", "aliases", LIMITS.small_list, |w, v, p| match v {
            Value::String(s) => match alias_problem(s) {
                None => Some(s.to_string()),
                Some(why) => {
                    w.warn(p, format!("\"{}\": {why}", clip(s)));
                    None
                }
            },
            v => {
                w.warn(p, expected("a string", v));
                None
            }
        })
    }

    /// The archive pointer: unusable ones are dropped and reported, like any optional part.
    fn archive(&mut self, o: &Object<'_>) -> Option<ArchivePointer> {
        let v = o.get("archive")?;
        if matches!(v, Value::Null) {
            return None;
        }
        let a = self.object(v, "archive")?;
        let version = match a.get("version") {
            Some(Value::Number(n)) => n.as_u64().filter(|&n| (1..=u64::from(u32::MAX)).contains(&n)).map(|n| n as u32),
            _ => None,
        };
        let Some(version) = version else {
            self.warn("archive.version", "expected a whole number from 1");
            return None;
        };
        let manifest = self.entry_str(a, "archive", "manifest")?;
        let entries = match a.get("entries") {
            Some(Value::Number(n)) => n.as_u64(),
            _ => None,
        };
        Some(ArchivePointer { version, manifest, entries })
    }

    fn collection(&mut self, o: &Object<'_>) -> Result<Collection, FormatError> {
        match o.get("articles") {
            Some(Value::Array(_)) => {}
            Some(v) => return Err(err("articles", expected("an array", v))),
            None => return Err(err("articles", "missing")),
        }
        Ok(Collection {
            title: self.opt_str(o, "", "title"),
            description: self.opt_str(o, "", "description"),
            language: self.opt_str(o, "", "language"),
            archive: self.archive(o),
            articles: self.list(o, "", "articles", LIMITS.articles, |w, v, p| w.summary(v, p).map(Rc::new)),
        })
    }
}

/// The longest alias, in bytes.
const ALIAS_BYTES: usize = 2048;

/// Why `alias` cannot be one of an article's `aliases`, if so. An alias is an address on the
/// site itself, written as a path from its root: it starts with one `/`, holds no fragment
/// (`#`), no backslash, no space or control character, and may end in a query (`/?p=123`).
/// Percent-encoding is allowed (`/2024/05/%ed%95%9c/`); the publishing program decodes it.
pub fn alias_problem(alias: &str) -> Option<&'static str> {
    if alias.len() > ALIAS_BYTES {
        return Some("longer than 2048 bytes");
    }
    if !alias.starts_with('/') || alias.starts_with("//") {
        return Some("not a path from the site's root (it starts with one /, e.g. /2024/05/slug/)");
    }
    if alias.contains('#') {
        return Some("an address with a fragment (#) cannot be requested from a server");
    }
    if alias.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control()) {
        return Some("holds a backslash, a space or a control character (percent-encode it)");
    }
    None
}

/// A number as text, the way JavaScript's `String(n)` writes the usual ones: integers as
/// digits (also when written `1e3` or `-0`: `1000`, `0`), decimals with the fewest places
/// that read back as the same number (`1.50` is `1.5`).
///
/// By arithmetic rather than serde_json's `Number` display, whose float formatting (ryu)
/// would ship several KB of tables to every reader for what is, in practice, always an
/// integer id. Numbers that need more than 15 places (`1e-30`, `1e30`) are written as the bits of
/// their `f64`, which still names each one exactly.
fn number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or_default();
    // Whole and within i64 (`1e3`, `12.0`); a larger one falls to the exact form below (an
    // i128 here would ship 128-bit formatting to every reader).
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        return (f as i64).to_string();
    }
    let mut scale = 1.0;
    for places in 1..=15 {
        scale *= 10.0;
        let m = (f * scale).round();
        // `m` and `scale` are exact, so `m / scale` is the double that the decimal reads as.
        if m.abs() < 9e15 && m / scale == f {
            let digits = format!("{:0>width$}", (m.abs() as u64), width = places + 1);
            let (int, frac) = digits.split_at(digits.len() - places);
            return [if f < 0.0 { "-" } else { "" }, int, ".", frac].concat();
        }
    }
    format!("f64:{:016x}", f.to_bits())
}

/// serde_json's refusal as a sentence a publisher can act on: where (line and column, the
/// column counted in characters as an editor shows them) and what.
fn json_error(text: &str, e: &serde_json::Error) -> String {
    if text.trim_start().starts_with('<') {
        return "not JSON: it looks like an HTML page".to_string();
    }
    if e.is_eof() {
        let (line, column) = line_column(text, text.len());
        return format!("invalid JSON: the document ends too early (line {line}, column {column})");
    }
    let full = e.to_string();
    let what = full.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&full);
    // serde_json counts a level on entering it and refuses the 128th.
    let what = if what == "recursion limit exceeded" { "nested more than 127 levels deep" } else { what };
    let (line, column) = line_column(text, offending_byte(text, e.line(), e.column()));
    format!("invalid JSON at line {line}, column {column}: {what}")
}

/// The byte serde_json refused. Its position counts bytes, and names the byte just after the
/// one it stopped at (so column 0 means the last byte of the line before).
fn offending_byte(text: &str, line: usize, column: usize) -> usize {
    let line_start = match line.checked_sub(2) {
        None => 0,
        Some(newlines) => text.match_indices('\n').nth(newlines).map_or(text.len(), |(i, _)| i + 1),
    };
    let mut at = (line_start + column).saturating_sub(1).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// 1-based line and column of byte `at` (a char boundary), the column counted in characters.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    (line, before[line_start..].chars().count() + 1)
}

/// A bounded excerpt of untrusted text for messages.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article_json(extra: &str) -> String {
        format!(r#"{{"id":"a1","title":"제목","body":"본문"{extra}}}"#)
    }

    fn messages(p: &Parsed) -> Vec<String> {
        p.warnings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reads_picture_variants_and_drops_unusable_parts() {
        let variants = r#"{"type":"image/webp","srcset":[{"src":"a-480.webp","width":480},{"src":"x"},
            {"src":"a-960.webp","width":960}],"fallback":"a-960.jpg","placeholder":"data:image/webp;base64,AA"}"#;
        let json = article_json(&format!(
            r#","image":{{"src":"a.jpg","variants":{variants},"share":"a-share.jpg"}},
            "pictures":[{{"src":"b.png","width":300,"height":200,"variants":{{"type":"image/webp","srcset":[]}}}},
                "c.png", {{"src":"d.png","variants":{variants}}}]"#
        ));
        let parsed = parse_document(&json).expect("valid");
        assert_eq!(
            messages(&parsed),
            vec![
                "image.variants.srcset[1]: missing width",
                "pictures[0].variants: no usable srcset",
                "pictures[1]: expected an object, found a string",
                "pictures[2].variants.srcset[1]: missing width",
            ]
        );
        let Document::Article(a) = parsed.document else { panic!("not an article") };
        let image = a.image.clone().expect("image");
        let v = image.variants.expect("variants");
        assert_eq!((v.kind.as_str(), v.srcset.len(), v.srcset[1].width), ("image/webp", 2, 960));
        assert_eq!((v.fallback.as_deref(), image.share.as_deref()), (Some("a-960.jpg"), Some("a-share.jpg")));
        assert_eq!(a.pictures.iter().map(|p| p.src.as_str()).collect::<Vec<_>>(), vec!["b.png", "d.png"]);
        assert_eq!((a.pictures[0].width, a.pictures[0].variants.is_none()), (Some(300), true));
        // Written back as read.
        let again = parse_document(&write_document(&Document::Article(a.clone()))).expect("rewritten");
        assert_eq!(again.document, Document::Article(a));
    }

    #[test]
    fn reads_a_full_article() {
        let json = article_json(
            r#","subtitle":"부제","language":"ko","published":"2025-09-12T09:00:00+09:00",
            "authors":[{"name":"김기자","title":"기자"}],"tags":["AI"," 클라우드 "],
            "image":{"src":"a.png","caption":"Photo by [Nik](https://x)"},
            "editors_pick":{"items":["하나","둘"]},
            "related":[{"id":2,"title":"다른 기사","href":"b.json"}]"#,
        );
        let parsed = parse_document(&json).expect("valid");
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let Document::Article(a) = parsed.document else { panic!("not an article") };
        assert_eq!(a.title, "제목");
        assert_eq!(a.tags, vec!["AI", "클라우드"]);
        assert_eq!(a.related[0].id, "2");
        assert_eq!(a.published.map(|d| d.at.day), Some(12));
        assert_eq!(a.editors_pick.map(|p| p.items.len()), Some(2));
    }

    #[test]
    fn refuses_unusable_documents_naming_the_place() {
        let cases = [
            (r#"{"id":"a","body":"x"}"#, "title: missing"),
            (r#"{"id":"a","title":5,"body":"x"}"#, "title: expected a string, found a number"),
            (r#"{"id":"a","title":null,"body":"x"}"#, "title: expected a string, found null"),
            (r#"{"title":"t","body":"x"}"#, "id: missing"),
            (r#"{"id":"a","title":"t","body":["x"]}"#, "body: expected a string, found an array"),
            (r#"{"articles":{}}"#, "articles: expected an array, found an object"),
            (r#"[1,2]"#, "the document must be a JSON object, found an array"),
            (r#"{"hello":1}"#, "neither an article (no `body`) nor a collection (no `articles`)"),
        ];
        for (json, want) in cases {
            let got = parse_document(json).map(|_| ()).map_err(|e| e.to_string());
            assert_eq!(got, Err(want.to_string()), "{json}");
        }
    }

    #[test]
    fn invalid_json_says_where_and_what() {
        let e = parse_document("{\"id\": \"a\",\n \"title\": ").map(|_| ()).unwrap_err().to_string();
        assert!(e.starts_with("invalid JSON: the document ends too early (line 2"), "{e}");
        let e = parse_document("<!doctype html><p>404</p>").map(|_| ()).unwrap_err().to_string();
        assert_eq!(e, "not JSON: it looks like an HTML page");
        let e = parse_document("{\"a\" 1}").map(|_| ()).unwrap_err().to_string();
        assert_eq!(e, "invalid JSON at line 1, column 6: expected `:`");
    }

    #[test]
    fn json_errors_count_columns_in_characters() {
        let cases = [
            // serde_json says column 12 (bytes); an editor shows the `x` at column 8.
            ("{\"제목\": x}", "invalid JSON at line 1, column 8: expected value"),
            ("{\"id\": 1}\n  \"한\"", "invalid JSON at line 2, column 3: trailing characters"),
            // serde_json names the line after the newline (column 0): the newline itself is at fault.
            (
                "{\"a\": \"x\n\"}",
                "invalid JSON at line 1, column 9: control character (\\u0000-\\u001F) found while parsing a string",
            ),
            ("\u{feff}{\"a\":1,}", "invalid JSON at line 1, column 8: trailing comma"),
            ("{\"제\":\n\n", "invalid JSON: the document ends too early (line 3, column 1)"),
            ("{\"a\": nul", "invalid JSON: the document ends too early (line 1, column 10)"),
        ];
        for (json, want) in cases {
            let got = parse_document(json).map(|_| ()).map_err(|e| e.to_string());
            assert_eq!(got, Err(want.to_string()), "{json:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_with_a_message() {
        let e = parse_document(&"[".repeat(100_000)).map(|_| ()).unwrap_err().to_string();
        assert_eq!(e, "invalid JSON at line 1, column 128: nested more than 127 levels deep");
        let e = parse_document(&format!("{}{}", "{\"a\":".repeat(200), "}".repeat(200))).map(|_| ()).unwrap_err();
        assert!(e.to_string().ends_with("nested more than 127 levels deep"), "{e}");
        // Within the limit, a deep unknown field is read and ignored.
        let deep = format!(r#"{{"id":"a","title":"t","body":"b","x":{}{}}}"#, "[".repeat(120), "]".repeat(120));
        assert!(parse_document(&deep).is_ok());
    }

    #[test]
    fn numbers_as_ids_duplicates_and_nulls() {
        let parsed = parse_document(
            r#"{"id":12345678901234567890,"title":"old","title":"new","body":"b","subtitle":null,
            "related":[{"id":-5,"title":"a"},{"id":1.50,"title":"b"},{"id":true,"title":"c"},{"id":1e3,"title":"d"},{"id":-0,"title":"e"},
            {"id":-0.05,"title":"f"},{"id":1.2345678901234567e22,"title":"g"},{"id":1e-30,"title":"h"}]}"#,
        )
        .expect("valid");
        assert_eq!(messages(&parsed), vec!["related[2].id: expected a string, found a boolean"]);
        let Document::Article(a) = parsed.document else { panic!("not an article") };
        assert_eq!((a.id.as_str(), a.title.as_str(), a.subtitle), ("12345678901234567890", "new", None));
        let ids: Vec<&str> = a.related.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids[..5], ["-5", "1.5", "1000", "0", "-0.05"]);
        // Past i64 or 15 places, the exact bits: still one text per number.
        for id in &ids[5..] {
            assert!(id.starts_with("f64:") && id.len() == 20, "{id}");
        }
        assert_ne!(ids[5], ids[6]);
    }

    #[test]
    fn drops_and_reports_unusable_parts() {
        let json = article_json(
            r#","related":[{"id":"1","title":"ok"},{"id":"2","title":"ok"},{"id":"3"},"junk"],
            "authors":[{"name":"a"}, "b"], "published":"어제", "subtitle": 3, "image": {"alt":"x"},
            "tags": "AI", "editors_pick": {"title": "요약"}, "url": null"#,
        );
        let parsed = parse_document(&json).expect("lenient");
        assert_eq!(
            messages(&parsed),
            vec![
                "subtitle: expected a string, found a number",
                "published: not an RFC 3339 date: \"어제\"",
                "authors[1]: expected an object, found a string",
                "tags: expected an array, found a string",
                "image: missing src",
                "editors_pick: missing items",
                "related[2]: missing title",
                "related[3]: expected an object, found a string",
            ]
        );
        let Document::Article(a) = parsed.document else { panic!("not an article") };
        assert_eq!(a.related.len(), 2);
        assert_eq!(a.authors.len(), 1);
        assert!(a.image.is_none() && a.subtitle.is_none() && a.url.is_none());
    }

    #[test]
    fn trims_huge_lists_with_a_warning() {
        let cards: Vec<String> = (0..200).map(|i| format!(r#"{{"id":"{i}","title":"t{i}"}}"#)).collect();
        let json = article_json(&format!(r#","related":[{}]"#, cards.join(",")));
        let parsed = parse_document(&json).expect("valid");
        let Document::Article(a) = &parsed.document else { panic!("not an article") };
        assert_eq!(a.related.len(), LIMITS.related);
        assert_eq!(
            messages(&parsed),
            vec![format!("related: 200 entries; only the first {} are shown", LIMITS.related)]
        );
    }

    #[test]
    fn refuses_oversized_documents() {
        let big = " ".repeat(LIMITS.document_bytes + 1);
        let e = parse_document(&big).map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("the viewer reads documents up to 48 MB"), "{e}");
    }

    #[test]
    fn reads_the_archive_pointer_and_drops_a_broken_one() {
        let parsed = parse_document(
            r#"{"articles":[],"archive":{"version":1,"manifest":"v1-00/manifest.bin","entries":5,"more":true}}"#,
        )
        .expect("valid");
        let Document::Collection(c) = &parsed.document else { panic!("not a collection") };
        let want = ArchivePointer { version: 1, manifest: "v1-00/manifest.bin".into(), entries: Some(5) };
        assert_eq!(c.archive.as_ref(), Some(&want));
        assert!(parsed.warnings.is_empty());
        for (archive, warning) in [
            (r#""x""#, "archive: expected an object, found a string"),
            (r#"{"manifest":"m"}"#, "archive.version: expected a whole number from 1"),
            (r#"{"version":0,"manifest":"m"}"#, "archive.version: expected a whole number from 1"),
            (r#"{"version":1}"#, "archive: missing manifest"),
        ] {
            let parsed = parse_document(&format!(r#"{{"articles":[],"archive":{archive}}}"#)).expect("lenient");
            let Document::Collection(c) = &parsed.document else { panic!("not a collection") };
            assert_eq!(c.archive, None, "{archive}");
            assert_eq!(messages(&parsed), vec![warning], "{archive}");
        }
    }

    #[test]
    fn reads_aliases_and_editorial_states_and_drops_bad_ones() {
        let json = article_json(
            r#","aliases":["/2024/05/slug/","/?p=12","slug/","//evil.example/x","/a#b","/a b",5],
            "draft":true,"expires":"2030-01-01T00:00:00Z","published":"2029-01-01T00:00:00+09:00""#,
        );
        let parsed = parse_document(&json).expect("lenient");
        assert_eq!(
            messages(&parsed),
            vec![
                "aliases[2]: \"slug/\": not a path from the site's root (it starts with one /, e.g. /2024/05/slug/)",
                "aliases[3]: \"//evil.example/x\": not a path from the site's root (it starts with one /, e.g. /2024/05/slug/)",
                "aliases[4]: \"/a#b\": an address with a fragment (#) cannot be requested from a server",
                "aliases[5]: \"/a b\": holds a backslash, a space or a control character (percent-encode it)",
                "aliases[6]: expected a string, found a number",
            ]
        );
        let Document::Article(a) = &parsed.document else { panic!("not an article") };
        assert_eq!(a.aliases, ["/2024/05/slug/", "/?p=12"]);
        assert!(a.draft);
        assert_eq!(a.expires.as_ref().map(|d| d.at.year), Some(2030));
        let parsed = parse_document(&article_json(r#","draft":"yes","expires":"soon""#)).expect("lenient");
        assert_eq!(
            messages(&parsed),
            vec!["draft: expected a boolean, found a string", "expires: not an RFC 3339 date: \"soon\""]
        );
        let Document::Article(a) = &parsed.document else { panic!("not an article") };
        assert!(!a.draft && a.expires.is_none());
    }

    #[test]
    fn reads_a_collection() {
        let parsed =
            parse_document(r#"{"title":"모음","articles":[{"id":"a","title":"A","href":"a.json"},{"title":"x"}]}"#)
                .expect("valid");
        let Document::Collection(c) = &parsed.document else { panic!("not a collection") };
        assert_eq!(c.articles.len(), 1);
        assert_eq!(messages(&parsed), vec!["articles[1]: missing id"]);
    }
}
