//! Writes the pathological Markdown documents (`crates/core/tests/common/pathological.rs`, the same
//! generator the native test uses) as article JSON, for the browser benchmark:
//!
//!     cargo run --release -p article-viewer-core --example pathological -- <folder> [megabytes]
//!
//! One `<name>.json` per construct, `plain.json` (the baseline), `article.json` (an ordinary
//! article of 5 MB) and `index.json`, the list of them with what each is made of.

#[path = "../tests/common/pathological.rs"]
mod pathological;

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "target/pathological".into()));
    let mb: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let size = (mb * 1024.0 * 1024.0) as usize;
    std::fs::create_dir_all(&dir)?;
    let mut index = Vec::new();
    let mut write = |name: &str, what: &str, markdown: &str| -> std::io::Result<()> {
        let doc = serde_json::json!({
            "id": name, "title": format!("Pathological: {name}"), "language": "ko", "body": markdown,
        });
        std::fs::write(dir.join(format!("{name}.json")), doc.to_string())?;
        index.push(serde_json::json!({ "name": name, "what": what, "bytes": markdown.len() }));
        Ok(())
    };
    write("plain", "plain paragraphs (baseline)", &pathological::plain(size))?;
    for case in pathological::cases(size) {
        write(case.name, case.what, &case.markdown)?;
    }
    write("article", "an ordinary article of 5 MB", &pathological::article(5 * size))?;
    std::fs::write(dir.join("index.json"), serde_json::Value::Array(index).to_string())?;
    println!("{}", dir.display());
    Ok(())
}
