//! Ghost's mobiledoc JSON (Ghost 1 to 4) as the HTML Ghost renders: markup sections with
//! their markers, lists, images and cards.
//!
//! Sections name cards, and markers name markups and atoms, by their index in the document's
//! lists, so one card or link can be named any number of times and each naming writes it
//! again. The HTML is therefore checked against the [`Budget`] after every piece: a post whose
//! mobiledoc renders to more than a few times its own size is refused, not rendered.

use serde_json::Value;

use super::cards::{card_html, esc, Budget, Refusal};

/// The document's tables that its sections refer to by index.
struct Doc<'v> {
    markups: &'v [Value],
    cards: &'v [Value],
    atoms: &'v [Value],
    budget: Budget,
}

/// A post's `mobiledoc` JSON as HTML.
pub fn mobiledoc_html(json: &str) -> Result<String, Refusal> {
    let v: Value = serde_json::from_str(json).map_err(|e| Refusal::Invalid(e.to_string()))?;
    let list = |key: &str| v.get(key).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let doc = Doc { markups: list("markups"), cards: list("cards"), atoms: list("atoms"), budget: Budget::of(json) };
    let sections = v.get("sections").and_then(Value::as_array).ok_or_else(|| Refusal::Invalid("no sections".into()))?;
    let mut out = String::new();
    for section in sections {
        if let Some(sec) = section.as_array() {
            doc.section(sec, &mut out)?;
            doc.budget.check(&out)?;
        }
    }
    Ok(out)
}

impl Doc<'_> {
    fn section(&self, sec: &[Value], out: &mut String) -> Result<(), Refusal> {
        match sec.first().and_then(Value::as_u64) {
            Some(1) => {
                let tag = sec.get(1).and_then(Value::as_str).unwrap_or("p").to_ascii_lowercase();
                let tag = match tag.as_str() {
                    "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" => tag,
                    "aside" => "blockquote".to_string(),
                    _ => "p".to_string(),
                };
                out.push_str(&format!("<{tag}>"));
                if let Some(m) = sec.get(2) {
                    self.markers(m, out)?;
                }
                out.push_str(&format!("</{tag}>"));
            }
            Some(2) => {
                out.push_str(&format!(
                    "<figure><img src=\"{}\"></figure>",
                    esc(sec.get(1).and_then(Value::as_str).unwrap_or(""))
                ));
            }
            Some(3) => {
                let tag = if sec.get(1).and_then(Value::as_str) == Some("ol") { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>"));
                for item in sec.get(2).and_then(Value::as_array).into_iter().flatten() {
                    out.push_str("<li>");
                    self.markers(item, out)?;
                    out.push_str("</li>");
                }
                out.push_str(&format!("</{tag}>"));
            }
            Some(10) => {
                let card = sec
                    .get(1)
                    .and_then(Value::as_u64)
                    .and_then(|i| self.cards.get(i as usize))
                    .and_then(Value::as_array);
                if let Some(card) = card {
                    let name = card.first().and_then(Value::as_str).unwrap_or("");
                    card_html(name, card.get(1).unwrap_or(&Value::Null), out);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A section's markers: text (or an atom's text) inside the markups each marker opens,
    /// closed as many as the marker says.
    fn markers(&self, markers: &Value, out: &mut String) -> Result<(), Refusal> {
        let mut open: Vec<&str> = Vec::new();
        for m in markers.as_array().into_iter().flatten() {
            let Some(m) = m.as_array() else { continue };
            for idx in m.get(1).and_then(Value::as_array).into_iter().flatten() {
                if let Some(markup) = idx.as_u64().and_then(|i| self.markups.get(i as usize)).and_then(Value::as_array)
                {
                    open.push(open_markup(markup, out));
                    self.budget.check(out)?;
                }
            }
            match (m.first().and_then(Value::as_u64).unwrap_or(0), m.get(3)) {
                (0, Some(Value::String(t))) => out.push_str(&esc(t)),
                (1, Some(i)) => {
                    let atom = i.as_u64().and_then(|i| self.atoms.get(i as usize));
                    if let Some(text) = atom.and_then(|a| a.get(1)).and_then(Value::as_str) {
                        out.push_str(&esc(text));
                    }
                }
                _ => {}
            }
            let closed = m.get(2).and_then(Value::as_u64).unwrap_or(0) as usize;
            for _ in 0..closed.min(open.len()) {
                if let Some(tag) = open.pop() {
                    out.push_str(&format!("</{tag}>"));
                }
            }
            self.budget.check(out)?;
        }
        while let Some(tag) = open.pop() {
            out.push_str(&format!("</{tag}>"));
        }
        Ok(())
    }
}

/// Writes a markup's start tag (only inline tags, only `href` kept) and returns its name.
fn open_markup<'v>(markup: &'v [Value], out: &mut String) -> &'v str {
    let tag = markup.first().and_then(Value::as_str).unwrap_or("span");
    let tag = if matches!(tag, "a" | "b" | "strong" | "i" | "em" | "code" | "s" | "u" | "sup" | "sub") {
        tag
    } else {
        "span"
    };
    let mut attrs = String::new();
    if let Some(list) = markup.get(1).and_then(Value::as_array) {
        for pair in list.chunks(2) {
            if let [Value::String(k), Value::String(val)] = pair {
                if k == "href" {
                    attrs.push_str(&format!(" href=\"{}\"", esc(val)));
                }
            }
        }
    }
    out.push_str(&format!("<{tag}{attrs}>"));
    tag
}
