//! Published article pages without the app. A reader of an article reads, opens and closes the
//! Editor's Pick box (a native `<details>`) and follows cards and tags as links: all of that is
//! HTML. So an article page loads no app: its start-up script and the preloads of the app's
//! wasm and JS are left out, and one small inline script after the pick box applies the
//! reader's remembered choice before the first paint ([`PICK_SCRIPT`]). The page's policy
//! allows that script by its hash, never by `'unsafe-inline'`.

use base64::Engine as _;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use sha2::{Digest, Sha256};

/// The pick box's script (`pick.js`), written inline after the box.
pub const PICK_SCRIPT: &str = include_str!("pick.js");

/// The CSP source that allows [`PICK_SCRIPT`]: `'sha256-…'`. Computed once: every article page
/// and `_headers` use it.
pub fn pick_script_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let digest = Sha256::digest(PICK_SCRIPT.as_bytes());
        format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
    })
}

/// The prerendered article with [`PICK_SCRIPT`] right after its pick box (if it has one).
pub fn add_pick_script(body: &str) -> String {
    let settings = RewriteStrSettings {
        element_content_handlers: vec![element!("details.av-pick", |el| {
            el.after(&format!("<script>{PICK_SCRIPT}</script>"), ContentType::Html);
            Ok(())
        })],
        ..RewriteStrSettings::default()
    };
    // The body is the components' own HTML: a rewrite that fails leaves it without the script
    // (the box still opens and closes; only the remembered choice is not applied).
    rewrite_str(body, settings).unwrap_or_else(|_| body.to_string())
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
}
