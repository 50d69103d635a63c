use super::*;

/// The text of highlighted HTML: spans taken out, entities read back.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('>').map_or(rest.len(), |e| start + e + 1);
        assert!(
            rest[start..end].starts_with("<span class=\"av-hl-") || &rest[start..end] == "</span>",
            "only the highlighter's spans: {}",
            &rest[start..end]
        );
        rest = &rest[end..];
    }
    out.push_str(rest);
    html_escape::decode_html_entities(&out).into_owned()
}

fn must(code: &str, lang: &str) -> String {
    highlight(code, lang).unwrap_or_else(|| panic!("{lang}: not highlighted"))
}

#[test]
fn tokens_get_classes_and_the_text_stays_the_same() {
    let code = "// 인사\nfn main() {\n    let n = 42;\n    println!(\"안녕 {n}\");\n}\n";
    let html = must(code, "rust");
    assert_eq!(text_of(&html), code);
    for (class, token) in [('c', "// 인사"), ('k', "fn"), ('n', "42"), ('s', "&quot;안녕")] {
        let wanted = format!("<span class=\"av-hl-{class}\">{token}");
        assert!(
            html.contains(&wanted)
                || html.contains(&format!("<span class=\"av-hl-{class}\">{}", token.replace("&quot;", "\""))),
            "{wanted} in {html}"
        );
    }
    assert!(!html.contains("<span class=\"av-hl-k\">=</span>"), "operators stay plain: {html}");
}

#[test]
fn markup_in_the_code_stays_text() {
    let code = "<script>alert('x')</script>\n<img src=x onerror=\"alert(1)\">&amp;\n";
    for lang in ["html", "js", "rust", "python"] {
        let html = must(code, lang);
        assert!(!html.contains("<script") && !html.contains("<img"), "{lang}: {html}");
        assert_eq!(text_of(&html), code, "{lang}");
    }
}

#[test]
fn a_page_gets_its_code_highlighted_and_nothing_else_changed() {
    let page = concat!(
        "<p>&lt;b&gt; 본문</p>",
        "<pre><code class=\"language-html\">&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp;amp;\n</code></pre>",
        "<pre><code class=\"language-klingon\">qapla' &lt;b&gt;</code></pre>",
        "<pre><code>let plain = 1;</code></pre>",
    );
    let out = highlight_page(page).unwrap_or_else(|| panic!("highlighted"));
    let tag = "&lt;<span class=\"av-hl-a\">script</span>&gt;";
    assert!(out.starts_with(&format!("<p>&lt;b&gt; 본문</p><pre><code class=\"language-html\">{tag}")), "{out}");
    assert!(!out.contains("<script"), "{out}");
    let code = out.split("<code class=\"language-html\">").nth(1).and_then(|c| c.split("</code>").next());
    assert_eq!(code.map(text_of).as_deref(), Some("<script>alert(\"x\")</script> &amp;\n"));
    assert!(out.ends_with(concat!(
        "<pre><code class=\"language-klingon\">qapla' &lt;b&gt;</code></pre>",
        "<pre><code>let plain = 1;</code></pre>"
    )));
}

#[test]
fn unknown_languages_and_plain_text_stay_plain() {
    assert_eq!(highlight("qapla'", "klingon"), None);
    assert_eq!(highlight("plain words", "text"), None);
    assert_eq!(highlight_page("<pre><code class=\"language-klingon\">x = 1</code></pre>"), None);
    assert_eq!(highlight_page("<p>no code</p>"), None);
    assert_eq!(highlight_page("<pre><code>fn main() {}</code></pre>"), None);
}

#[test]
fn common_names_find_their_grammar() {
    for (lang, code) in [
        ("rs", "fn f() {}"),
        ("Rust", "fn f() {}"),
        ("js", "const a = 'b';"),
        ("ts", "const a: string = 'b';"),
        ("typescript", "let a = 1;"),
        ("sh", "echo \"hi\" # done"),
        ("bash", "echo \"hi\" # done"),
        ("py", "def f(): return 'x'"),
        ("yml", "key: 'value' # note"),
        ("yaml", "key: 'value'"),
        ("json", "{\"a\": 1}"),
        ("c++", "int main() { return 0; }"),
        ("go", "func main() { return }"),
        ("diff", "-old\n+new\n"),
        ("sql", "SELECT 1 FROM t;"),
        ("css", "a { color: red; }"),
    ] {
        assert!(highlight(code, lang).is_some(), "{lang}");
    }
}

#[test]
fn big_blocks_long_lines_and_pieces_stay_plain() {
    let line = "let x = \"y\";\n";
    let big = line.repeat(MAX_BLOCK_BYTES / line.len() + 1);
    assert!(big.len() > MAX_BLOCK_BYTES);
    assert_eq!(highlight(&big, "rust"), None);
    assert!(highlight(&big[..MAX_BLOCK_BYTES - MAX_BLOCK_BYTES % line.len()], "rust").is_some());
    let long = format!("let x = \"{}\";\n", "a".repeat(MAX_LINE_BYTES));
    assert_eq!(highlight(&long, "rust"), None);
    // A big block escaped on the page (every character `&lt;`) is left as it is.
    let page = format!("<pre><code class=\"language-html\">{}</code></pre>", "&lt;".repeat(MAX_BLOCK_BYTES + 1));
    assert_eq!(highlight_page(&page), None);
    for piece in ["av-split", "av-cont", "av-split av-cont"] {
        let page = format!("<pre class=\"{piece}\"><code class=\"language-rust\">fn main() {{}}</code></pre>");
        assert_eq!(highlight_page(&page), None, "{piece}");
    }
}

#[test]
fn a_page_highlights_only_so_much_code() {
    // Long plain lines: cheap to highlight, so the test stays quick.
    let line = format!("+{}\n", "a".repeat(399));
    let block = format!("<pre><code class=\"language-diff\">{}</code></pre>", line.repeat(27));
    let blocks = MAX_PAGE_BYTES / 10_800 + 3;
    let out = highlight_page(&block.repeat(blocks)).unwrap_or_else(|| panic!("highlighted"));
    let highlighted = out.split("</pre>").filter(|b| b.contains("av-hl-")).count();
    assert_eq!(highlighted, MAX_PAGE_BYTES / 10_800);
    assert!(out.ends_with(&block.repeat(blocks - highlighted)), "the blocks after the budget are as they were");
}

#[test]
fn a_block_with_elements_inside_is_left_as_it_is() {
    let page = "<pre><code class=\"language-rust\">fn <b>main</b>() {}</code></pre><pre><code class=\"language-rust\">fn f() {}</code></pre>";
    let out = highlight_page(page).unwrap_or_else(|| panic!("the second block is highlighted"));
    assert!(out.starts_with("<pre><code class=\"language-rust\">fn <b>main</b>() {}</code></pre>"), "{out}");
    assert!(out.contains("<span class=\"av-hl-k\">fn</span>"), "{out}");
}

#[test]
fn the_link_is_relative_to_the_page_and_versioned() {
    let deep = link(2);
    assert!(deep.starts_with("<link rel=\"stylesheet\" href=\"../../highlight.css?v="), "{deep}");
    assert_eq!(deep.len(), link(0).len() + 6);
}

/// WCAG's relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or_else(|e| panic!("{hex}: {e}"))) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// The two colours of `light-dark(#…, #…)` after `name:` in `css`, every one of them.
fn pairs<'a>(css: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    css.split(name)
        .skip(1)
        .filter_map(|rest| rest.split_once(':')?.1.trim_start().strip_prefix("light-dark("))
        .filter_map(|rest| rest.split(')').next()?.split_once(", "))
        .collect()
}

#[test]
fn every_colour_reads_on_the_code_background_in_both_schemes() {
    let app = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/style.css");
    let app = std::fs::read_to_string(&app).unwrap_or_else(|e| panic!("{}: {e}", app.display()));
    let surface = pairs(&app, "--av-surface");
    assert_eq!(surface.len(), 1, "code blocks sit on --av-surface");
    let (light_bg, dark_bg) = surface[0];
    let colours = pairs(STYLESHEET, "--av-hl-");
    assert_eq!(colours.len(), 9, "{colours:?}");
    for (light, dark) in colours {
        assert!(contrast(light, light_bg) >= 4.5, "{light} on {light_bg}: {:.2}", contrast(light, light_bg));
        assert!(contrast(dark, dark_bg) >= 4.5, "{dark} on {dark_bg}: {:.2}", contrast(dark, dark_bg));
    }
    for class in ['c', 'k', 's', 'n', 'f', 't', 'a', 'i', 'd'] {
        assert!(STYLESHEET.contains(&format!(".av-hl-{class} {{")), "{class} has a colour");
    }
}
