//! Linearity of the import readers on growing hostile inputs: not a timed test, a table.
//!
//! ```text
//! cargo run --release -p article-viewer-import --example import_linearity
//! cargo run --release -p article-viewer-import --example import_linearity -- 8   # sizes / 8
//! cargo run --release -p article-viewer-import --example import_linearity -- 1 YAML   # some cases
//! ```
//!
//! Each case makes an input of size n, 2n, 4n and 8n, runs the real import code on it (the
//! readers, and the writer where it matters), and prints the time, the ratio of each time to
//! the one before (about 2 when the work is linear, 4 when quadratic), and what the run gave
//! (posts, skips, bytes of Markdown), so a refusal shows as a refusal. Each time is the best
//! of three runs, to keep a busy machine's noise out of the ratios.

use article_viewer_import as import;
use article_viewer_import::Error;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use import::{BytesInput, Options, Post, Sink};

/// Keeps the count of posts, skips and Markdown bytes, as the writer would see them.
#[derive(Default)]
struct Tally {
    posts: usize,
    skipped: usize,
    bytes: usize,
}

impl Sink for Tally {
    fn post(&mut self, post: Post) -> Result<(), Error> {
        self.posts += 1;
        self.bytes += post.body.len();
        Ok(())
    }
    fn warn(&mut self, _: &str, message: String) {
        if message.starts_with("skipped") {
            self.skipped += 1;
        }
    }
}

/// One case: a name, what n counts, and the run on an input of size n.
struct Case {
    name: &'static str,
    unit: &'static str,
    /// n at the first size (divided by the command line's number, if any).
    start: usize,
    run: fn(usize) -> String,
}

fn opts() -> Options {
    Options { site: Some("https://x.example/".into()), ..Options::default() }
}

fn tally(t: &Tally) -> String {
    format!("{} posts, {} skipped, {} B", t.posts, t.skipped, t.bytes)
}

/// An RSS feed with one item beside `n` nested elements in `<channel>` (the XML reader
/// refuses nesting past 65,535, so the sizes stay below).
fn xml_nesting(n: usize) -> String {
    let xml = format!(
        "<rss version=\"2.0\"><channel><title>t</title>{}{}<item><guid>1</guid><title>a</title><description>b</description></item></channel></rss>",
        "<x>".repeat(n),
        "</x>".repeat(n)
    );
    let mut t = Tally::default();
    let r = import::feed::import(xml.as_bytes(), Path::new("feed.xml"), &opts(), &mut t);
    r.map_or_else(|e| format!("error: {e}"), |_| tally(&t))
}

/// One RSS item with `n` categories, all different, through the writer's tidying too.
fn rss_tags(n: usize) -> String {
    let cats: String = (0..n).map(|i| format!("<category>t{i}</category>")).collect();
    let xml = format!("<rss version=\"2.0\"><channel><item><guid>1</guid><title>a</title><description>b</description>{cats}</item></channel></rss>");
    write_with(|w| import::feed::import(xml.as_bytes(), Path::new("feed.xml"), &opts(), w).map(|_| ()))
}

/// One WordPress post with `n` categories and `n` tags.
fn wxr_tags(n: usize) -> String {
    let cats: String = (0..n)
        .map(|i| format!("<category domain=\"category\">c{i}</category><category domain=\"post_tag\">t{i}</category>"))
        .collect();
    let xml = format!(
        "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><wp:wxr_version>1.2</wp:wxr_version>\
         <item><title>a</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><content:encoded>body</content:encoded>{cats}</item></channel></rss>"
    );
    let mut t = Tally::default();
    let r = import::wordpress::import(&BytesInput(xml.as_bytes()), &opts(), &mut t);
    r.map_or_else(|e| format!("error: {e}"), |_| tally(&t))
}

/// One WordPress post whose classic text holds `n` `[caption` tags without their close.
fn wxr_shortcodes(n: usize) -> String {
    let body = "[caption [embed] ".repeat(n);
    let xml = format!(
        "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><wp:wxr_version>1.2</wp:wxr_version>\
         <item><title>a</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><content:encoded><![CDATA[{body}]]></content:encoded></item></channel></rss>"
    );
    let mut t = Tally::default();
    let r = import::wordpress::import(&BytesInput(xml.as_bytes()), &opts(), &mut t);
    r.map_or_else(|e| format!("error: {e}"), |_| tally(&t))
}

/// A Markdown post whose body holds `n` Liquid tags of one kind (`{% raw %}`).
fn markdown_templates(n: usize) -> String {
    let dir = scratch().join(format!("import-linearity-md-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let text = format!("---\ntitle: a\n---\n{}\n", "{% raw %}a".repeat(n));
    let written = std::fs::write(dir.join("post.md"), text);
    let mut t = Tally::default();
    let r = written.map_err(Error::io(&dir)).and_then(|()| import::markdown::import(&dir, &opts(), &mut t));
    let _ = std::fs::remove_dir_all(&dir);
    r.map_or_else(|e| format!("error: {e}"), |_| tally(&t))
}

/// One JSON Feed item with `n` tags.
fn jsonfeed_tags(n: usize) -> String {
    let tags: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
    let feed = serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": "f", "items": [{"id": "1", "title": "a", "content_html": "<p>b</p>", "tags": tags}]});
    let bytes = feed.to_string();
    let mut t = Tally::default();
    let r = import::jsonfeed::import(bytes.as_bytes(), Path::new("feed.json"), &opts(), &mut t);
    r.map_or_else(|e| format!("error: {e}"), |_| tally(&t))
}

/// A YAML front matter whose one anchor is named by `n` aliases (allowed: the copies are
/// small beside the text).
fn yaml_aliases(n: usize) -> String {
    let aliases: String = (0..n).map(|i| format!("k{i}: *a\n")).collect();
    let text = format!("---\na: &a [x, y]\n{aliases}---\nbody\n");
    match import::markdown::front_matter(&text) {
        Ok(Some((v, _, _))) => format!("{} keys", v.as_object().map_or(0, |o| o.len())),
        Ok(None) => "no front matter".into(),
        Err((l, c, m)) => format!("refused at {l}:{c}: {}", m.chars().take(30).collect::<String>()),
    }
}

/// A YAML "billion laughs" of `n` levels, each naming the one before four times, the anchor
/// names made of punctuation: refused at the bound, so the time follows the text (read to its
/// closing fence), not the 4^n copies.
fn yaml_bomb(n: usize) -> String {
    const MARKS: [char; 16] = ['!', '+', '-', '.', '~', '$', '%', '^', '(', ')', '=', '|', '/', '\\', '?', ';'];
    let name = |mut i: usize| {
        let mut s = String::new();
        loop {
            s.push(MARKS[i % 16]);
            i /= 16;
            if i == 0 {
                return s;
            }
        }
    };
    let mut text = format!("---\nk0: &{} [lol]\n", name(0));
    for i in 1..n {
        text.push_str(&format!("k{i}: &{a} [*{p}, *{p}, *{p}, *{p}]\n", a = name(i), p = name(i - 1)));
    }
    text.push_str("---\n");
    match import::markdown::front_matter(&text) {
        Ok(_) => "read".into(),
        Err((l, _, _)) => format!("refused at line {l}"),
    }
}

/// A YAML front matter nested `n` levels deep (`- - - … x`).
fn yaml_nesting(n: usize) -> String {
    let text = format!("---\na:\n  {}x\n---\n", "- ".repeat(n));
    match import::markdown::front_matter(&text) {
        Ok(_) => "read".into(),
        Err((l, c, m)) => format!("refused at {l}:{c}: {m}"),
    }
}

/// A Ghost export whose one post's mobiledoc names a 4 KB card `n` times.
fn mobiledoc_refs(n: usize) -> String {
    let sections: Vec<serde_json::Value> = (0..n).map(|_| serde_json::json!([10, 0])).collect();
    let card = serde_json::json!(["html", {"html": format!("<p>{}</p>", "카".repeat(1365))}]);
    let doc =
        serde_json::json!({"version": "0.3.1", "markups": [], "atoms": [], "cards": [card], "sections": sections});
    ghost_with(&doc.to_string())
}

/// A Ghost export whose one post's mobiledoc has `n` markers each opening a link with a
/// 1 KB address.
fn mobiledoc_markups(n: usize) -> String {
    let markers: Vec<serde_json::Value> = (0..n).map(|_| serde_json::json!([0, [0], 1, "x"])).collect();
    let link = serde_json::json!(["a", ["href", format!("https://x.example/{}", "a".repeat(1000))]]);
    let doc = serde_json::json!({"version": "0.3.1", "markups": [link], "atoms": [], "cards": [], "sections": [[1, "p", markers]]});
    ghost_with(&doc.to_string())
}

fn ghost_with(mobiledoc: &str) -> String {
    let export = serde_json::json!({"db": [{"meta": {"version": "4.0.0"}, "data": {"posts": [
        {"id": "1", "title": "a", "slug": "a", "type": "post", "status": "published", "visibility": "public", "mobiledoc": mobiledoc}
    ]}}]});
    let bytes = export.to_string();
    let mut t = Tally::default();
    let r = import::ghost::import(&BytesInput(bytes.as_bytes()), &opts(), &mut t);
    r.map_or_else(|e| format!("error: {e}"), |_| tally(&t))
}

/// HTML → Markdown of `n` nested blockquotes, each with a line of text.
fn html_quotes(n: usize) -> String {
    let html = format!("{}{}", "<blockquote><p>줄</p>".repeat(n), "</blockquote>".repeat(n));
    let md = import::html::Converter::new().convert(&html, None, false).markdown;
    format!("{} B of {} B", md.len(), html.len())
}

/// HTML → Markdown of `n` nested figures, bold and callouts (handlers that look through
/// what they contain, or up through what contains them).
fn html_handlers(n: usize) -> String {
    let open = "<figure><b><div class=\"callout\"><p>줄</p>";
    let close = "</div></b></figure>";
    let html = format!("{}{}", open.repeat(n / 3), close.repeat(n / 3));
    let md = import::html::Converter::new().convert(&html, None, false).markdown;
    format!("{} B of {} B", md.len(), html.len())
}

/// HTML → Markdown of a table: one wide cell and `n` short rows.
fn html_table(n: usize) -> String {
    let rows: String = (0..n).map(|_| "<tr><td>a</td></tr>").collect();
    let html =
        format!("<table><thead><tr><th>{}</th><th>b</th></tr></thead><tbody>{rows}</tbody></table>", "w".repeat(n));
    let md = import::html::Converter::new().convert(&html, None, false).markdown;
    format!("{} B of {} B", md.len(), html.len())
}

/// `n` posts with the same title, through the writer (each needs its own `-N` slug). Each
/// post is a file written and read back (in memory where `/dev/shm` is).
fn same_slugs(n: usize) -> String {
    let items: String = (0..n)
        .map(|i| format!("<item><guid>{i}</guid><title>같은 제목</title><description>b</description></item>"))
        .collect();
    let xml = format!("<rss version=\"2.0\"><channel>{items}</channel></rss>");
    write_with(|w| import::feed::import(xml.as_bytes(), Path::new("feed.xml"), &opts(), w).map(|_| ()))
}

/// A folder in memory where there is one (`/dev/shm`), so the writer's rows time the writer
/// rather than the disk; else the system's temporary folder.
fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// Runs `read` into the real writer, in a fresh folder under [`scratch`].
fn write_with(read: impl FnOnce(&mut import::site::Writer) -> Result<(), Error>) -> String {
    let dir: PathBuf = scratch().join(format!("import-linearity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    let mut writer = import::site::Writer::new(&dir, 0);
    let result = read(&mut writer).and_then(|()| writer.finish(&import::Source::default()));
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(w) => format!("{} posts, {} skipped", w.posts, w.skipped),
        Err(e) => format!("error: {e}"),
    }
}

fn best_of_three(run: fn(usize) -> String, n: usize) -> (Duration, String) {
    let mut best = Duration::MAX;
    let mut what = String::new();
    for _ in 0..3 {
        let started = Instant::now();
        what = run(n);
        best = best.min(started.elapsed());
    }
    (best, what)
}

fn main() {
    let divisor: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1).max(1);
    let cases = [
        Case { name: "XML nesting beside <channel>", unit: "elements", start: 7_500, run: xml_nesting },
        Case { name: "RSS categories in one item (+ writer)", unit: "tags", start: 25_000, run: rss_tags },
        Case { name: "WordPress categories + tags", unit: "of each", start: 12_500, run: wxr_tags },
        Case { name: "WordPress unclosed [caption", unit: "tags", start: 10_000, run: wxr_shortcodes },
        Case { name: "JSON Feed tags", unit: "tags", start: 25_000, run: jsonfeed_tags },
        Case { name: "YAML aliases to one anchor", unit: "aliases", start: 10_000, run: yaml_aliases },
        Case { name: "YAML alias bomb (punctuation names)", unit: "levels", start: 10_000, run: yaml_bomb },
        Case { name: "YAML nesting", unit: "levels", start: 10_000, run: yaml_nesting },
        Case { name: "Markdown: Liquid tags of one kind", unit: "tags", start: 10_000, run: markdown_templates },
        Case { name: "mobiledoc: one 4 KB card named n times", unit: "references", start: 10_000, run: mobiledoc_refs },
        Case {
            name: "mobiledoc: one 1 KB link opened n times",
            unit: "markers",
            start: 10_000,
            run: mobiledoc_markups,
        },
        Case { name: "HTML: nested blockquotes", unit: "levels", start: 10_000, run: html_quotes },
        Case { name: "HTML: nested figures, bold, callouts", unit: "levels", start: 10_000, run: html_handlers },
        Case { name: "HTML: table, one wide cell, n rows", unit: "rows", start: 10_000, run: html_table },
        Case { name: "posts with one title (+ writer)", unit: "posts", start: 2_500, run: same_slugs },
    ];
    println!("| case | n | time | × per doubling | result |");
    println!("|---|---:|---:|---:|---|");
    let only = std::env::args().nth(2).unwrap_or_default();
    for case in cases.into_iter().filter(|c| c.name.contains(only.as_str())) {
        let mut previous: Option<Duration> = None;
        for k in 0..4 {
            let n = (case.start / divisor).max(1) << k;
            let (time, what) = best_of_three(case.run, n);
            let ratio =
                previous.map_or("".to_string(), |p| format!("{:.2}", time.as_secs_f64() / p.as_secs_f64().max(1e-9)));
            println!(
                "| {} | {n} {} | {:.1} ms | {ratio} | {what} |",
                case.name,
                case.unit,
                time.as_secs_f64() * 1000.0
            );
            previous = Some(time);
        }
    }
}
