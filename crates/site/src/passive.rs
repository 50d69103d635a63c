//! What of a content folder may be published: passive files only. Content comes from anyone
//! (an import of someone's archive), and the published folder is one origin with the app, so a
//! content file must neither run as the site (a page, a script, a style sheet) nor take a name
//! the app or the build uses (the next build would read it as the frame of every page).
//! `_headers` carries the pages' policy to every file, pictures and documents included.

use crate::Error;

/// Names at the folder's root that the build, trunk or a static host reads or writes.
pub const RESERVED: &[&str] = &[
    "index.html",
    "viewer.html",
    "404.html",
    "robots.txt",
    "sitemap.xml",
    "feed.json",
    "feed.atom",
    "_headers",
    "_redirects",
    "favicon.svg",
    "favicon.ico",
];

/// Folders at the root whose pages the build writes (listing pages: `page/2.html`).
pub(crate) const RESERVED_FOLDERS: &[&str] = &["page/"];

/// File types a browser (or a host) may run, or that style or frame the site's pages.
const ACTIVE: &[&str] = &[
    "html",
    "htm",
    "xhtml",
    "xht",
    "shtml",
    "xml",
    "xsl",
    "xslt",
    "js",
    "mjs",
    "cjs",
    "jsx",
    "ts",
    "wasm",
    "css",
    "map",
    "svgz",
    "php",
    "phtml",
    "php3",
    "php4",
    "php5",
    "asp",
    "aspx",
    "jsp",
    "cgi",
    "pl",
    "py",
    "rb",
    "sh",
    "bat",
    "cmd",
    "exe",
    "dll",
    "swf",
    "jar",
    "appcache",
    "webmanifest",
    "manifest",
];

/// Why a content file (a `/`-separated path inside the folder) may not be published, if so.
pub fn refusal(rel: &str) -> Option<String> {
    let lower = rel.to_ascii_lowercase();
    if RESERVED.contains(&lower.as_str()) {
        return Some("the name is the site's own (the build or the host uses it)".into());
    }
    if RESERVED_FOLDERS.iter().any(|f| lower.starts_with(f)) {
        return Some("the folder holds the site's listing pages".into());
    }
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let extension = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    ACTIVE
        .contains(&extension)
        .then(|| format!("a .{extension} file could run as the site's own code; content holds documents and pictures"))
}

/// Refuses a content folder that holds any file [`refusal`] names, listing each.
pub fn check_files(files: &[(std::path::PathBuf, String)]) -> Result<(), Error> {
    let refused: Vec<String> =
        files.iter().filter_map(|(_, rel)| refusal(rel).map(|why| format!("  {rel}: {why}"))).collect();
    if refused.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "the content folder holds {} file{} that would not be passive content once published; move {} out of the folder:\n{}",
        refused.len(),
        if refused.len() == 1 { "" } else { "s" },
        if refused.len() == 1 { "it" } else { "them" },
        refused.join("\n")
    )))
}

/// `_headers` (Netlify, Cloudflare Pages): the pages' Content-Security-Policy and no type
/// sniffing for every file, so a picture or document opened by its own address runs nothing.
pub fn headers_file(policy: Option<&str>) -> String {
    let mut out = String::from(
        "# Written by article-viewer-cli build: every file is served with the pages' policy, so that\n\
         # nothing published (a picture, a document) runs as the site when opened by its address.\n/*\n",
    );
    if let Some(policy) = policy.map(str::trim).filter(|p| !p.is_empty()) {
        // A header value is one line; the meta tag's may span several.
        let one_line: Vec<&str> = policy.split_whitespace().collect();
        out.push_str(&format!("  Content-Security-Policy: {}\n", one_line.join(" ")));
    }
    out.push_str("  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_names_and_active_files_are_refused_and_pictures_are_not() {
        for rel in [
            "viewer.html",
            "Index.HTML",
            "_headers",
            "feed.json",
            "robots.txt",
            "page/2.json",
            "articles/x.html",
            "a/b.JS",
            "x.wasm",
            "style.css",
            "feed.xml",
            "a.svgz",
            "shell.php",
        ] {
            assert!(refusal(rel).is_some(), "{rel}");
        }
        for rel in [
            "index.json",
            "articles/a.json",
            "images/a.svg",
            "images/b.JPG",
            "images/page/2.png",
            "docs/report.pdf",
            "video.mp4",
            "README",
        ] {
            assert_eq!(refusal(rel), None, "{rel}");
        }
        let files = vec![
            (std::path::PathBuf::from("c/viewer.html"), "viewer.html".to_string()),
            (std::path::PathBuf::from("c/a.json"), "a.json".to_string()),
            (std::path::PathBuf::from("c/x/app.js"), "x/app.js".to_string()),
        ];
        let e = check_files(&files).unwrap_err().to_string();
        assert!(
            e.contains("2 files")
                && e.contains("viewer.html: the name is the site's own")
                && e.contains("x/app.js: a .js file"),
            "{e}"
        );
    }

    #[test]
    fn the_headers_file_carries_the_policy_on_one_line() {
        let h = headers_file(Some("default-src 'self';\n   script-src 'self'"));
        assert!(h.contains("/*\n  Content-Security-Policy: default-src 'self'; script-src 'self'\n  X-Content-Type-Options: nosniff\n"), "{h}");
        assert!(!headers_file(None).contains("Content-Security-Policy:"));
    }
}
