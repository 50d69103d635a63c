//! Ghost's lexical JSON (Ghost 5's editor) as the HTML Ghost renders, so one converter reads
//! `html`, lexical and mobiledoc alike. A lexical document is a tree without references, so
//! its HTML grows with it; the [`Budget`] is checked all the same, as for mobiledoc.

use serde_json::Value;

use super::cards::{card_html, esc, get, Budget, Refusal};

/// Lexical's text format bits: bold 1, italic 2, strikethrough 4, underline 8, code 16.
fn lexical_text(node: &Value, out: &mut String) {
    let text = esc(get(node, "text"));
    let format = node.get("format").and_then(Value::as_u64).unwrap_or(0);
    let wraps: [(u64, &str); 4] = [(16, "code"), (4, "s"), (2, "em"), (1, "strong")];
    let mut s = text;
    for (bit, tag) in wraps {
        if format & bit != 0 {
            s = format!("<{tag}>{s}</{tag}>");
        }
    }
    out.push_str(&s);
}

fn lexical_children(node: &Value, out: &mut String, budget: Budget) -> Result<(), Refusal> {
    for child in node.get("children").and_then(Value::as_array).into_iter().flatten() {
        lexical_node(child, out, budget)?;
        budget.check(out)?;
    }
    Ok(())
}

/// One node and its children. Recursive: serde_json refuses JSON nested past 128 levels, so
/// the depth is bounded before we get here.
fn lexical_node(node: &Value, out: &mut String, budget: Budget) -> Result<(), Refusal> {
    let kind = get(node, "type");
    let wrap = |tag: &str, out: &mut String| {
        out.push_str(&format!("<{tag}>"));
        lexical_children(node, out, budget)?;
        out.push_str(&format!("</{tag}>"));
        Ok(())
    };
    match kind {
        "root" => lexical_children(node, out, budget),
        "paragraph" | "extended-paragraph" => wrap("p", out),
        "heading" | "extended-heading" => {
            let tag = get(node, "tag");
            let tag = if matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") { tag } else { "h2" };
            wrap(tag, out)
        }
        "quote" | "extended-quote" | "aside" => wrap("blockquote", out),
        "list" => {
            let tag = if get(node, "listType") == "number" { "ol" } else { "ul" };
            wrap(tag, out)
        }
        "listitem" => wrap("li", out),
        "text" | "extended-text" => {
            lexical_text(node, out);
            Ok(())
        }
        "linebreak" => {
            out.push_str("<br>");
            Ok(())
        }
        "link" | "autolink" => {
            out.push_str(&format!("<a href=\"{}\">", esc(get(node, "url"))));
            lexical_children(node, out, budget)?;
            out.push_str("</a>");
            Ok(())
        }
        "horizontalrule" => {
            out.push_str("<hr>");
            Ok(())
        }
        "codeblock" => {
            card_html("code", node, out);
            Ok(())
        }
        other => {
            card_html(other, node, out);
            Ok(())
        }
    }
}

/// A post's `lexical` JSON as HTML.
pub fn lexical_html(json: &str) -> Result<String, Refusal> {
    let v: Value = serde_json::from_str(json).map_err(|e| Refusal::Invalid(e.to_string()))?;
    let root = v.get("root").ok_or_else(|| Refusal::Invalid("no root".into()))?;
    let mut out = String::new();
    let budget = Budget::of(json);
    lexical_node(root, &mut out, budget)?;
    budget.check(&out)?;
    Ok(out)
}
