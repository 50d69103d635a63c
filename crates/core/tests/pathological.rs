//! Pathological Markdown: every construct of `tests/common/pathological.rs`, about 1 MB each,
//! through the pure pipeline an article page runs (JSON → format walker → Markdown → tree →
//! plain text → reading time). Prints a table of construct → milliseconds beside 1 MB of plain
//! paragraphs; times are figures to read, never asserted (machines differ). In a release build
//! the growth column is the time at 1 MB over the time at 0.5 MB: about 2 when linear, 4 when
//! quadratic (a debug build skips it, to keep `cargo test` short).
//!
//! `cargo test --release -p article-viewer-core --test pathological -- --nocapture` for meaningful figures
//! (the table in docs/benchmarks/markdown.md); a debug build mostly times unoptimised code. The parser column is
//! pulldown-cmark alone (its events, with the viewer's options), for what is ours and what is
//! the parser's: a construct that makes many events costs more than prose in both.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/pathological.rs"]
mod pathological;

use std::time::{Duration, Instant};

use article_viewer_core::format::{parse_document, Document};
use article_viewer_core::i18n::Lang;
use article_viewer_core::markdown::{check_safe, plain_text, render_body, RenderOptions};
use article_viewer_core::reading;

const SIZE: usize = 1 << 20;

fn document(markdown: &str) -> String {
    serde_json::json!({ "id": "p", "title": "병리적 문서", "language": "ko", "body": markdown }).to_string()
}

/// Best of `runs` passes through the pipeline; the rendered tree is checked once.
fn time(json: &str, runs: usize) -> Duration {
    let opts = RenderOptions { base: Some("https://news.example/a/b.json".into()), lang: Lang::Ko };
    let mut best = Duration::MAX;
    for run in 0..runs {
        let start = Instant::now();
        let Ok(parsed) = parse_document(json) else { panic!("the generated document is valid") };
        let Document::Article(a) = &parsed.document else { panic!("an article") };
        let nodes = render_body(&a.body, &opts);
        let words = format!("{} {}", a.title, plain_text(&nodes));
        let minutes = reading::minutes(&words);
        best = best.min(start.elapsed());
        if run == 0 {
            assert_eq!(check_safe(&nodes), Ok(()));
            std::hint::black_box(minutes);
        }
    }
    best
}

/// pulldown-cmark alone, with the options `markdown::render_body` uses.
fn parser_time(markdown: &str, runs: usize) -> Duration {
    use pulldown_cmark::{Options, Parser};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(Parser::new_ext(markdown, options).count());
        best = best.min(start.elapsed());
    }
    best
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[test]
fn every_construct_renders_in_about_the_time_of_plain_text() {
    let release = !cfg!(debug_assertions);
    let runs = if release { 3 } else { 1 };
    let growth = |t: Duration, half: &dyn Fn() -> String| {
        if release {
            format!("{:.1}", ms(t) / ms(time(&document(&half()), runs)).max(0.001))
        } else {
            "–".to_string()
        }
    };
    let plain = time(&document(&pathological::plain(SIZE)), runs);
    println!();
    println!(
        "Pathological Markdown, about 1 MB each ({} build, best of {runs})",
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    println!("| construct | document | ms | × plain | growth | parser ms |");
    println!("|---|---|---:|---:|---:|---:|");
    let text = pathological::plain(SIZE);
    println!(
        "| **plain paragraphs** (baseline) | 1 MB of ordinary prose | {:.1} | 1.0 | {} | {:.1} |",
        ms(plain),
        growth(plain, &|| pathological::plain(SIZE / 2)),
        ms(parser_time(&text, runs))
    );
    let mut worst = ("", 0.0f64);
    let halves = if release { pathological::cases(SIZE / 2) } else { Vec::new() };
    for (i, case) in pathological::cases(SIZE).into_iter().enumerate() {
        let t = time(&document(&case.markdown), runs);
        let ratio = ms(t) / ms(plain);
        if ratio > worst.1 {
            worst = (case.name, ratio);
        }
        let half = || halves.get(i).map(|c| c.markdown.clone()).unwrap_or_default();
        let parser = ms(parser_time(&case.markdown, runs));
        println!(
            "| {} | {} | {:.1} | {:.1} | {} | {parser:.1} |",
            case.name,
            case.what.replace('|', "\\|"),
            ms(t),
            ratio,
            growth(t, &half)
        );
    }
    let text = pathological::article(5 * SIZE);
    let article = time(&document(&text), runs);
    println!(
        "| **ordinary article** | 5 MB mixing every construct | {:.1} | {:.1} | | {:.1} |",
        ms(article),
        ms(article) / ms(plain),
        ms(parser_time(&text, runs))
    );
    println!("Worst construct: {} at {:.1}× plain paragraphs", worst.0, worst.1);
}
