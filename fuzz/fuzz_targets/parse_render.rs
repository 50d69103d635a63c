//! Fuzz target: any bytes as a document, and as Markdown. Parsing and rendering must not panic,
//! and every rendered tree must pass the safety checker (docs/design/markdown.md, "Fuzzing").
#![no_main]

use article_viewer_core::format::{parse_document, Document};
use article_viewer_core::markdown::{check_safe, render_body, render_inline, RenderOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let opts = RenderOptions { base: Some("https://news.example/a/b.json".into()), ..Default::default() };
    if let Err(e) = check_safe(&render_body(text, &opts)) {
        panic!("unsafe output for Markdown input: {e}");
    }
    if let Ok(parsed) = parse_document(text) {
        if let Document::Article(a) = &parsed.document {
            if let Err(e) = check_safe(&render_body(&a.body, &opts)) {
                panic!("unsafe output for article body: {e}");
            }
            for item in a.editors_pick.iter().flat_map(|p| &p.items) {
                if let Err(e) = check_safe(&render_inline(item, &opts)) {
                    panic!("unsafe output for pick item: {e}");
                }
            }
        }
    }
});
