//! Pathological Markdown documents: for every block and inline construct, a document of about
//! `size` bytes made of that construct repeated, nested or left unclosed; plus the baseline (plain
//! paragraphs) and an ordinary article mixing everything, as a reader's story would.
//!
//! One generator serves two users: `tests/pathological.rs` (native timings) includes this file,
//! and `examples/pathological.rs` writes the same documents as article JSON for
//! `bench/markdown.mjs` (timings in Chromium).

#![allow(dead_code)]

/// One generated document.
pub struct Case {
    pub name: &'static str,
    /// What the document is made of, for the table.
    pub what: &'static str,
    pub markdown: String,
}

/// The workspace's deterministic generator, so every run times the same text.
pub use article_viewer_core::testing::Rng;

const KO: &[&str] = &[
    "오라클은",
    "클라우드",
    "계약을",
    "발표했다",
    "반도체",
    "수율이",
    "개선되면서",
    "데이터센터",
    "투자가",
    "늘었다",
    "업계에서는",
    "이번",
    "결정이",
    "시장에",
    "미칠",
    "영향을",
    "주목하고",
    "있다",
    "엔비디아의",
    "그래픽처리장치",
    "공급은",
    "여전히",
    "부족하다",
    "전문가들은",
    "내년",
    "상반기까지",
    "이어질",
    "것으로",
    "본다",
];
const EN: &[&str] = &[
    "the",
    "cloud",
    "deal",
    "was",
    "announced",
    "on",
    "Tuesday",
    "and",
    "analysts",
    "expect",
    "capacity",
    "to",
    "grow",
    "as",
    "yields",
    "improve",
    "across",
    "data",
    "centers",
    "in",
    "Asia",
    "while",
    "demand",
    "for",
    "accelerators",
    "remains",
    "strong",
];

/// A sentence of ordinary prose, mostly Korean with some English, as the viewer's stories are.
pub fn sentence(rng: &mut Rng) -> String {
    let words = if rng.below(5) == 0 { EN } else { KO };
    let n = 6 + rng.below(10);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(words));
    }
    s.push('.');
    s
}

/// A paragraph of 2–5 sentences, no markup.
pub fn paragraph(rng: &mut Rng) -> String {
    let n = 2 + rng.below(4);
    (0..n).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

/// The baseline: `size` bytes of plain paragraphs.
pub fn plain(size: usize) -> String {
    let mut rng = Rng::new(1);
    let mut s = String::with_capacity(size + 1024);
    while s.len() < size {
        s.push_str(&paragraph(&mut rng));
        s.push_str("\n\n");
    }
    s
}

/// An ordinary long article: paragraphs with emphasis, links, bare URLs and footnotes,
/// headings, lists, quotes, callouts, tables, code, figures; about `size` bytes.
pub fn article(size: usize) -> String {
    let mut rng = Rng::new(7);
    let mut s = String::with_capacity(size + 4096);
    let mut section = 0;
    let mut notes = 0;
    while s.len() < size {
        match rng.below(24) {
            0 => {
                section += 1;
                s.push_str(&format!("## {section}. {}\n\n", sentence(&mut rng).trim_end_matches('.')));
            }
            1 => {
                for _ in 0..2 + rng.below(4) {
                    s.push_str(&format!("- {}\n", sentence(&mut rng)));
                }
                s.push('\n');
            }
            2 => {
                for i in 1..3 + rng.below(3) {
                    s.push_str(&format!("{i}. **{}** {}\n", rng.pick(KO), sentence(&mut rng)));
                }
                s.push('\n');
            }
            3 => s.push_str(&format!("> {}\n\n", paragraph(&mut rng))),
            4 => s.push_str(&format!("> [!TIP]\n> 💡 **여기서 잠깐!**\n>\n> {}\n\n", paragraph(&mut rng))),
            5 => {
                s.push_str("| 회사 | 점유율 | 전년 대비 |\n|:--|--:|:-:|\n");
                for _ in 0..3 + rng.below(5) {
                    s.push_str(&format!(
                        "| {} | {}% | +{}.{} |\n",
                        rng.pick(KO),
                        rng.below(40),
                        rng.below(9),
                        rng.below(9)
                    ));
                }
                s.push('\n');
            }
            6 => s.push_str("```rust\nfn main() {\n    println!(\"안녕\");\n}\n```\n\n"),
            7 => s.push_str(&format!(
                "![{}](../images/chart-{}.png \"{}\")\n\n",
                rng.pick(KO),
                rng.below(50),
                sentence(&mut rng)
            )),
            8 => {
                notes += 1;
                s.push_str(&format!(
                    "{}[^n{notes}] {}\n\n[^n{notes}]: {}\n\n",
                    sentence(&mut rng),
                    sentence(&mut rng),
                    sentence(&mut rng)
                ));
            }
            _ => {
                let mut p = paragraph(&mut rng);
                match rng.below(6) {
                    0 => p.push_str(&format!(" [{}](https://news.example/{}) 참고.", rng.pick(KO), rng.below(1000))),
                    1 => {
                        p.push_str(&format!(" 자세한 내용은 https://example.com/a/{}에서 볼 수 있다.", rng.below(1000)))
                    }
                    2 => p.push_str(&format!(" *{}* **{}** `code`.", rng.pick(KO), rng.pick(EN))),
                    _ => {}
                }
                s.push_str(&p);
                s.push_str("\n\n");
            }
        }
    }
    s
}

fn rep(unit: &str, size: usize) -> String {
    unit.repeat(size / unit.len().max(1) + 1)
}

/// `open` repeated, then `middle`, then `close` repeated as often: nesting to about `size` bytes.
fn nest(open: &str, middle: &str, close: &str, size: usize) -> String {
    let n = size / (open.len() + close.len()).max(1);
    format!("{}{middle}{}", open.repeat(n), close.repeat(n))
}

/// Every unit numbered by `f(i)` until `size` bytes.
fn numbered(size: usize, f: impl Fn(usize) -> String) -> String {
    let mut s = String::with_capacity(size + 256);
    let mut i = 0;
    while s.len() < size {
        s.push_str(&f(i));
        i += 1;
    }
    s
}

/// Lines indented one step more each, until `size` bytes (the sum of indents grows quadratically,
/// so this nests about √size levels deep).
fn staircase(size: usize, step: &str, line: &str) -> String {
    let mut s = String::new();
    let mut depth = 0;
    while s.len() < size {
        s.push_str(&step.repeat(depth));
        s.push_str(line);
        s.push('\n');
        depth += 1;
    }
    s
}

/// Every construct, each about `size` bytes.
pub fn cases(size: usize) -> Vec<Case> {
    let c = |name, what, markdown| Case { name, what, markdown };
    let mut out = vec![
        // Blocks
        c("atx-headings", "`# a` repeated", rep("# a\n\n", size)),
        c("atx-headings-tight", "`# a` on every line", rep("# a\n", size)),
        c("setext-headings", "`a` / `===` repeated", rep("a\n===\n\n", size)),
        c("heading-ids-collide", "`# a-2`, `# a-3`, ... then `# a` repeated", {
            let mut s = numbered(size / 2, |i| format!("# a-{}\n", i + 2));
            s.push_str(&rep("# a\n", size / 2));
            s
        }),
        c("long-heading", "one heading of `a b ` words", format!("# {}\n", rep("a b ", size))),
        c("paragraph-lines", "one paragraph of short lines", rep("a\n", size)),
        c("blank-lines", "blank lines", rep("\n", size)),
        c("hard-breaks", "`a␠␠` line breaks", rep("a  \n", size)),
        c("thematic-breaks", "`---` repeated", rep("---\n\n", size)),
        c("blockquote-lines", "`> a` repeated", rep("> a\n", size)),
        c("blockquote-nested", "`>` × 1M then text", format!("{} a\n", ">".repeat(size))),
        c("blockquote-staircase", "each line one `>` deeper", staircase(size, ">", " a")),
        c("blockquote-lazy", "`> a`, `>> b`, lazy `c` repeated", rep("> a\n>> b\nc\n", size)),
        c("list-items", "`- a` repeated", rep("- a\n", size)),
        c("list-ordered", "`1. a` repeated", rep("1. a\n", size)),
        c("list-loose", "`- a` with blank lines", rep("- a\n\n", size)),
        c("list-nested", "`- ` × 500K then text", format!("{}a\n", "- ".repeat(size / 2))),
        c("list-staircase", "each item two spaces deeper", staircase(size, "  ", "- a")),
        c("list-mixed-markers", "`-`, `*`, `+`, `1.`, `1)` alternating", rep("- a\n* b\n+ c\n1. d\n1) e\n", size)),
        c("task-lists", "`- [ ] a` / `- [x] b`", rep("- [ ] a\n- [x] b\n", size)),
        c("code-fenced", "short fenced blocks", rep("```rust\nfn a() {}\n```\n\n", size)),
        c("code-fence-unclosed", "one unclosed fence", format!("```\n{}", rep("a\n", size))),
        c(
            "code-fences-unclosed",
            "` ``` ` lines of growing length",
            numbered(size, |i| format!("{}\n", "`".repeat(3 + i % 50))),
        ),
        c("code-indented", "indented code lines", rep("    a\n", size)),
        c("info-strings", "fences with long info strings", rep(&format!("```{}\na\n```\n", "c++".repeat(40)), size)),
        c("html-blocks", "`<div>` blocks", rep("<div>a</div>\n\n", size)),
        c("html-inline", "`<b>a</b>` inline", rep("<b>a</b> ", size)),
        c("html-unclosed", "`<a ` and `<!--` unclosed", rep("<a <!-- ", size)),
        c("tables-rows", "a table of many rows", format!("| a | b |\n|---|---|\n{}", rep("| c | d |\n", size))),
        c("tables-columns", "a table of many columns", {
            let cols = size / 12;
            format!("{}|\n{}|\n{}|\n", "| a ".repeat(cols), "|---".repeat(cols), "| b ".repeat(cols))
        }),
        c("tables-many", "many small tables", rep("| a | b |\n|---|---|\n| c | d |\n\n", size)),
        c(
            "tables-ragged",
            "rows with more cells than the header",
            format!("| a |\n|---|\n{}", rep("| b | c | d | e | f |\n", size)),
        ),
        c("callouts", "`> [!NOTE]` with emoji/strong titles", rep("> [!NOTE]\n> 💡 **t**\n> x\n\n", size)),
        c("footnote-refs", "`a[^1]` referencing one note", format!("{}\n\n[^1]: note\n", rep("a[^1] ", size))),
        c("footnote-defs", "many notes, each referenced", numbered(size, |i| format!("a[^{i}]\n\n[^{i}]: n\n\n"))),
        c("footnote-unreferenced", "many notes, none referenced", numbered(size, |i| format!("[^{i}]: n\n\n"))),
        c("footnote-undefined", "references to missing notes", rep("a[^x] ", size)),
        c(
            "link-ref-defs",
            "many reference definitions, each used",
            numbered(size, |i| format!("[r{i}]: /u{i}\n\n[r{i}]\n\n")),
        ),
        c("link-ref-uses", "one definition, used everywhere", format!("[r]: /u\n\n{}", rep("[a][r] ", size))),
        // Inlines
        c("emphasis", "`*a* **b** _c_ __d__` repeated", rep("*a* **b** _c_ __d__ ", size)),
        c("emphasis-unclosed", "`*a **b _c` without closers", rep("*a **b _c ", size)),
        c("emphasis-nested", "`*a ` × n then `b*` × n", nest("*a ", "", "b* ", size)),
        c("delimiter-run", "one run of `*`", rep("*", size)),
        c("delimiter-runs-alternating", "`*_` alternating", rep("*_", size)),
        c("strikethrough", "`~~a~~` repeated", rep("~~a~~ ", size)),
        c("strikethrough-unclosed", "`~~a` without closers", rep("~~a ", size)),
        c("code-spans", "`` `a` `` repeated", rep("`a` ", size)),
        c(
            "code-span-runs",
            "backtick runs of growing length",
            numbered(size, |i| format!("{}a", "`".repeat(1 + i % 100))),
        ),
        c("code-span-unclosed", "`` `` `` never closed", rep("``a ", size)),
        c("links", "`[a](https://a.example/b)` repeated", rep("[a](https://a.example/b) ", size)),
        c("links-relative", "`[a](b/c.json)` repeated", rep("[a](b/c.json) ", size)),
        c("links-unclosed", "`[a](` repeated", rep("[a](", size)),
        c("brackets-open", "`[` repeated", rep("[", size)),
        c("brackets-nested", "`[` × n, text, `]` × n", nest("[", "a", "]", size)),
        c("brackets-nested-links", "`[` × n, text, `](u)` × n", nest("[", "a", "](u)", size)),
        c("link-empty-dest", "`[a]()` repeated", rep("[a]() ", size)),
        c("images", "`![a](b.png)` repeated", rep("![a](b.png) ", size)),
        c("images-alone", "figures: an image per paragraph", rep("![a](b.png \"t\")\n\n", size)),
        c("images-nested", "`![a ![b ![c` nested alt", nest("![a ", "b", "](u) ", size)),
        c("images-unclosed", "`![a` repeated", rep("![a ", size)),
        c("autolinks", "`<https://a.b>` repeated", rep("<https://a.b> ", size)),
        c("autolinks-email", "`<a@b.example>` repeated", rep("<a@b.example> ", size)),
        c("autolinks-unclosed", "`<https://a.b` repeated", rep("<https://a.b ", size)),
        c("angle-open", "`<` repeated", rep("<", size)),
        c("bare-www", "`www.a.com` repeated", rep("www.a.com ", size)),
        c("bare-https", "`https://a.com/b` repeated", rep("https://a.com/b ", size)),
        c("bare-mixed", "`www.a.com ` and `<https://a.b>` (issue 10)", rep("www.a.com <https://a.b> ", size)),
        c("bare-no-boundary", "`xwww.a.com`, `xhttps://` (not links)", rep("xwww.a.com xhttps://a.b ", size)),
        c("bare-prefixes", "`www.` and `http://` with no host", rep("www. http:// ", size)),
        c("bare-url-one-long", "one URL of 1 MB", format!("https://a.com/{}", rep("a", size))),
        c("parens-closing", "a URL then `)` × 1M (issue 10)", format!("https://a.com/{}", ")".repeat(size))),
        c("parens-opening", "a URL then `(` × 1M", format!("https://a.com/{}", "(".repeat(size))),
        c("parens-balanced", "a URL then `()` × n", format!("https://a.com/{}", "()".repeat(size / 2))),
        c("parens-urls", "`https://a.com/(b))` repeated", rep("https://a.com/(b)) ", size)),
        c("parens-link-dest", "`[a](` then `(` × n", format!("[a]({}", "(".repeat(size))),
        c("url-trailing-punct", "a URL then `.,:;!?` × n", format!("https://a.com/{}", rep(".,:!?*_~", size))),
        c("url-entity-endings", "a URL ending in `&hl;` repeated", rep("https://a.com/&hl; ", size)),
        c("url-semicolons", "a URL then `&a;` × n", format!("https://a.com/{}", rep("&a;", size))),
        c("emails", "`a@b.example` repeated", rep("a@b.example ", size)),
        c("email-long-local", "one 1 MB local part, no domain", format!("{}@", rep("a", size))),
        c("email-ats", "`a@` repeated", rep("a@", size)),
        c("email-dots", "`a.` × n then `@b.c`", format!("{}@b.c", rep("a.", size))),
        c("mailto", "`mailto:a@b.example` repeated", rep("mailto:a@b.example ", size)),
        c("entities", "`&amp; &#123; &copy;` repeated", rep("&amp; &#123; &copy; ", size)),
        c("entities-unknown", "`&hl;` repeated", rep("&hl; ", size)),
        c("ampersands", "`&` repeated", rep("&", size)),
        c("escapes", "`\\*` repeated", rep("\\*", size)),
        c("long-run-latin", "one unbroken 1 MB word", rep("a", size)),
        c("long-run-hangul", "one unbroken word of Hangul", rep("가", size / 3)),
        c("long-runs-in-emphasis", "long words split by `*`", rep(&format!("*{}* ", "a".repeat(200)), size)),
        c("emoji", "emoji with modifiers", rep("👍🏽👨‍👩‍👧 ", size)),
    ];
    out.retain(|c| !c.markdown.is_empty());
    out
}
