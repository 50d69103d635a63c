//! Published article pages without the app. A reader of an article reads, opens and closes the
//! Editor's Pick box (a native `<details>`) and follows cards and tags as links: all of that is
//! HTML. So an article page loads no app: its start-up script and the preloads of the app's
//! wasm and JS are left out. Two small inline scripts do the rest: one after the pick box applies
//! the reader's remembered choice before the first paint ([`PICK_SCRIPT`]), one after the story's
//! header runs the copy-link and share buttons ([`SHARE_SCRIPT`]). Each is kept small and right
//! after its element, so the browser runs it before it paints that element. The page's policy
//! allows them by their hashes, never by `'unsafe-inline'`.

use base64::Engine as _;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use sha2::{Digest, Sha256};

/// The pick box's script (`pick.js`), written inline right after the box: the reader's
/// remembered choice applies before the first paint.
pub const PICK_SCRIPT: &str = include_str!("pick.js");

/// The copy-link and share script (`share.js`), written inline right after the story's header,
/// where the buttons are.
pub const SHARE_SCRIPT: &str = include_str!("share.js");

/// The CSP sources that allow [`PICK_SCRIPT`] and [`SHARE_SCRIPT`]: `'sha256-…' 'sha256-…'`.
/// Computed once: every article page and `_headers` use them.
pub fn pick_script_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let hash = |script: &str| {
            let digest = Sha256::digest(script.as_bytes());
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        };
        format!("{} {}", hash(PICK_SCRIPT), hash(SHARE_SCRIPT))
    })
}

/// The prerendered article with [`SHARE_SCRIPT`] right after its header and [`PICK_SCRIPT`]
/// right after its pick box (each only where the page has the element).
pub fn add_pick_script(body: &str) -> String {
    // The body is the components' own HTML: a rewrite that fails leaves it without the script
    // (the box still opens and closes; only the remembered choice and the share buttons are lost).
    let shared = after_first(body, "header.av-header", SHARE_SCRIPT).unwrap_or_else(|| body.to_string());
    after_first(&shared, "details.av-pick", PICK_SCRIPT).unwrap_or(shared)
}

/// `body` with `script` after the first element matching `selector`; `None` if none does.
fn after_first(body: &str, selector: &str, script: &str) -> Option<String> {
    let placed = std::cell::Cell::new(false);
    let settings = RewriteStrSettings {
        element_content_handlers: vec![element!(selector, |el| {
            if !placed.replace(true) {
                el.after(&format!("<script>{script}</script>"), ContentType::Html);
            }
            Ok(())
        })],
        ..RewriteStrSettings::default()
    };
    let out = rewrite_str(body, settings).ok()?;
    placed.get().then_some(out)
}

/// `policy` with `source` added to the sources scripts may come from: to `script-src` where
/// there is one, else to a new `script-src` that starts from `default-src` (which it would
/// otherwise fall back to). A policy that restricts neither is returned as it is.
pub fn allow_script(policy: &str, source: &str) -> String {
    let directives: Vec<&str> = policy.split(';').map(str::trim).filter(|d| !d.is_empty()).collect();
    let name = |d: &str| d.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
    if directives.iter().any(|d| name(d) == "script-src") {
        let out: Vec<String> = directives
            .iter()
            .map(|d| if name(d) == "script-src" { format!("{d} {source}") } else { d.to_string() })
            .collect();
        return out.join("; ");
    }
    match directives.iter().find(|d| name(d) == "default-src") {
        Some(default) => {
            let sources = default.split_whitespace().skip(1).collect::<Vec<_>>().join(" ");
            let mut out: Vec<String> = directives.iter().map(|d| d.to_string()).collect();
            out.push(format!("script-src {sources} {source}"));
            out.join("; ")
        }
        None => policy.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_is_allowed_by_its_hash_alone() {
        let source = pick_script_source();
        assert!(source.starts_with("'sha256-") && source.ends_with("='"), "{source}");
        assert_eq!(
            allow_script("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'", "'sha256-x'"),
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-x'; style-src 'self'"
        );
        assert_eq!(
            allow_script("default-src 'self'; img-src *", "'sha256-x'"),
            "default-src 'self'; img-src *; script-src 'self' 'sha256-x'"
        );
        assert_eq!(allow_script("img-src *", "'sha256-x'"), "img-src *");
    }

    #[test]
    fn each_script_goes_once_after_its_element() {
        let (pick, share) = (format!("<script>{PICK_SCRIPT}</script>"), format!("<script>{SHARE_SCRIPT}</script>"));
        let page = r#"<header class="av-header">h</header><details open="open" class="av-pick">p</details><details class="av-pick">q</details>"#;
        let out = add_pick_script(page);
        assert_eq!((out.matches(&pick).count(), out.matches(&share).count()), (1, 1));
        assert!(out.contains(&format!("h</header>{share}<details")), "{out}");
        assert!(out.contains(&format!(">p</details>{pick}")), "{out}");
        let without_pick = r#"<header class="av-header">h</header><div class="av-body">b</div>"#;
        assert_eq!(
            add_pick_script(without_pick),
            format!(r#"<header class="av-header">h</header>{share}<div class="av-body">b</div>"#)
        );
        assert_eq!(add_pick_script("<p>no story</p>"), "<p>no story</p>");
        let sources = pick_script_source();
        assert_eq!(sources.matches("'sha256-").count(), 2, "{sources}");
    }
}
