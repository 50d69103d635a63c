use super::*;

fn opts() -> RenderOptions {
    RenderOptions { base: Some("https://news.example/samples/articles/a.json".into()), lang: Lang::Ko }
}

/// A compact HTML-like rendering of the tree, for readable assertions (tests only).
fn html(nodes: &[Node]) -> String {
    let mut s = String::new();
    for n in nodes {
        match n {
            Node::Text(t) => s.push_str(&t.replace('&', "&amp;").replace('<', "&lt;")),
            Node::Element(e) => {
                s.push('<');
                s.push_str(e.tag.as_str());
                // `direction_is_found_per_block` checks directions.
                for (a, v) in e.attrs.iter().filter(|(a, _)| *a != Attr::Dir) {
                    s.push_str(&format!(" {}=\"{}\"", a.as_str(), v));
                }
                s.push('>');
                s.push_str(&html(&e.children));
                if !matches!(e.tag, Tag::Img | Tag::Br | Tag::Hr | Tag::Input | Tag::Wbr) {
                    s.push_str(&format!("</{}>", e.tag.as_str()));
                }
            }
        }
    }
    s
}

fn body(md: &str) -> String {
    let nodes = render_body(md, &opts());
    assert_eq!(check_safe(&nodes), Ok(()));
    html(&nodes)
}

#[test]
fn image_alone_in_a_paragraph_is_a_figure_with_caption() {
    assert_eq!(
        body(r#"![주가 차트](../images/chart.svg "하루만에 36% 상승 [자료: 오라클]")"#),
        "<figure class=\"av-figure\"><img src=\"https://news.example/samples/images/chart.svg\" alt=\"주가 차트\" \
         loading=\"lazy\" decoding=\"async\"><figcaption>하루만에 36% 상승 [자료: 오라클]</figcaption></figure>"
    );
    // Not alone: stays an inline image with its title.
    assert!(body("글 ![a](x.png \"t\") 글").starts_with("<p>글 <img src=\"https://news.example/samples/articles/x.png\" alt=\"a\" loading=\"lazy\" decoding=\"async\" title=\"t\">"));
}

#[test]
fn images_alone_together_in_a_paragraph_are_a_gallery_of_figures() {
    let out = body("![가](a.jpg)\n![나](b.jpg \"둘째 설명\")\n![다](c.jpg \"사진: 통신사\")");
    assert_eq!(
        out,
        "<div class=\"av-gallery\" role=\"group\" aria-label=\"사진 3장\" tabindex=\"0\">\
         <figure class=\"av-figure\"><img src=\"https://news.example/samples/articles/a.jpg\" alt=\"가\" loading=\"lazy\" decoding=\"async\"></figure>\
         <figure class=\"av-figure\"><img src=\"https://news.example/samples/articles/b.jpg\" alt=\"나\" loading=\"lazy\" decoding=\"async\"><figcaption>둘째 설명</figcaption></figure>\
         <figure class=\"av-figure\"><img src=\"https://news.example/samples/articles/c.jpg\" alt=\"다\" loading=\"lazy\" decoding=\"async\"><figcaption>사진: 통신사</figcaption></figure></div>"
    );
    // Hard breaks and spaces between the images are no content either; the name follows the language.
    let en = RenderOptions { lang: Lang::En, ..opts() };
    let nodes = render_body("![a](a.jpg)\\\n![b](b.jpg) ![c](c.jpg)", &en);
    assert!(
        html(&nodes).starts_with("<div class=\"av-gallery\" role=\"group\" aria-label=\"3 photos\""),
        "{}",
        html(&nodes)
    );
    assert_eq!(html(&nodes).matches("<figure").count(), 3);
    // One image alone stays the figure it was; with words beside it, images stay inline.
    assert!(body("![a](a.jpg)").starts_with("<figure class=\"av-figure\"><img"));
    assert!(body("![a](a.jpg)\n![b](b.jpg)\n설명").starts_with("<p><img"));
    assert!(body("[![a](a.jpg)](https://x.example/)\n![b](b.jpg)").starts_with("<p><a"));
    // Separate paragraphs are separate figures.
    assert_eq!(body("![a](a.jpg)\n\n![b](b.jpg)").matches("<figure class=\"av-figure\">").count(), 2);
    assert!(!body("![a](a.jpg)\n\n![b](b.jpg)").contains("av-gallery"));
}

#[test]
fn a_gallery_of_many_pictures_renders_in_linear_time() {
    let md: String = (0..20_000).map(|i| format!("![{i}](p{i}.jpg)\n")).collect();
    let started = std::time::Instant::now();
    let nodes = render_body(&md, &opts());
    assert_eq!(check_safe(&nodes), Ok(()));
    let out = html(&nodes);
    assert!(out.contains("aria-label=\"사진 20000장\""));
    assert_eq!(out.matches("<figure").count(), 20_000);
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[test]
fn alerts_become_callouts_with_emoji_strong_title() {
    let out = body("> [!TIP]\n> 💡 **여기서 잠깐!**\n>\n> 오픈AI가 오라클을 선택한 건 아니다.");
    assert_eq!(
        out,
        "<aside class=\"av-callout av-callout-tip\" role=\"note\"><p class=\"av-callout-title\">\
         <span class=\"av-callout-icon\" aria-hidden=\"true\">💡</span> <strong>여기서 잠깐!</strong></p>\
         <p>오픈AI가 오라클을 선택한 건 아니다.</p></aside>"
    );
    // Title on the first line of a longer paragraph.
    let out = body("> [!NOTE]\n> **알아두기**\n> 둘째 줄");
    assert!(out.contains("<p class=\"av-callout-title\"><strong>알아두기</strong></p><p>둘째 줄</p>"), "{out}");
    // No title line: the kind's name, in the document's language.
    let out = body("> [!WARNING]\n> 조심하세요.");
    assert!(out.contains("<strong>경고</strong></p><p>조심하세요.</p>"), "{out}");
    // Plain quotes stay quotes.
    assert_eq!(body("> 인용"), "<blockquote><p>인용</p></blockquote>");
}

#[test]
fn raw_html_is_text() {
    let out = body("<script>alert(1)</script>\n\n문장 <b onclick=\"x()\">굵게</b> 끝");
    assert!(out.contains("&lt;script>alert(1)&lt;/script>"), "{out}");
    assert!(out.contains("문장 &lt;b onclick=\"x()\">굵게&lt;/b> 끝"), "{out}");
    assert!(!out.contains("<script") && !out.contains("<b "));
}

#[test]
fn only_safe_urls_survive() {
    let out =
        body("[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) ![z](data:image/svg+xml,abc) [ok](https://a.example)");
    assert!(out.contains("<span>x</span>"), "{out}");
    assert!(out.contains("<span>y</span>"), "{out}");
    assert!(out.contains("z"), "{out}");
    assert!(!out.contains("javascript") && !out.contains("data:image/svg"), "{out}");
    assert!(
        out.contains("<a href=\"https://a.example\" rel=\"noopener noreferrer\" target=\"_blank\">ok</a>"),
        "{out}"
    );
    // Entities cannot smuggle a scheme: pulldown decodes them, then the check runs.
    let out = body("[a](&#106;avascript:alert(1)) [b](java&#x09;script:alert(1))");
    assert!(!out.contains("href"), "{out}");
}

#[test]
fn links_relative_internal_and_external() {
    let out = body("[same](other.json) [site](/about) [anchor](#top) [mail](mailto:a@b.c)");
    assert!(out.contains("<a href=\"https://news.example/samples/articles/other.json\">same</a>"), "{out}");
    assert!(out.contains("<a href=\"https://news.example/about\">site</a>"), "{out}");
    assert!(out.contains("<a href=\"#top\">anchor</a>"), "{out}");
    assert!(out.contains("<a href=\"mailto:a@b.c\">mail</a>"), "{out}");
}

#[test]
fn headings_get_unique_ids_and_h1_is_demoted() {
    let out = body("# 오픈AI의 과제\n\n## 오픈AI의 과제\n\n### Why? It's *big*\n\n## !!!");
    assert_eq!(
        out,
        "<h2 id=\"오픈ai의-과제\">오픈AI의 과제</h2><h2 id=\"오픈ai의-과제-2\">오픈AI의 과제</h2>\
         <h3 id=\"why-its-big\">Why? It's <em>big</em></h3><h2 id=\"section\">!!!</h2>"
    );
}

#[test]
fn gfm_extensions() {
    let out = body("| 회사 | 점유율 |\n|:--|--:|\n| AWS | 30% |\n\n~~취소~~ - [x] 완료\n\n- [x] 완료\n- [ ] 남음\n\n각주[^n].\n\n[^n]: 설명.");
    assert!(out.starts_with("<div class=\"av-table-wrap\" tabindex=\"0\"><table><thead><tr><th scope=\"col\" class=\"av-align-left\">회사</th><th scope=\"col\" class=\"av-align-right\">점유율</th></tr></thead><tbody><tr><td class=\"av-align-left\">AWS</td><td class=\"av-align-right\">30%</td></tr></tbody></table></div>"), "{out}");
    assert!(out.contains("<del>취소</del>"), "{out}");
    assert!(
        out.contains(
            "<li class=\"av-task\"><input type=\"checkbox\" disabled=\"\" aria-label=\"할 일\" checked=\"\">완료</li>"
        ),
        "{out}"
    );
    assert!(out.contains("<sup><a href=\"#av-fn-1\" id=\"av-fnref-1\" class=\"av-fnref\">1</a></sup>"), "{out}");
    assert!(out.ends_with("<section class=\"av-footnotes\" aria-label=\"각주\"><hr><ol><li id=\"av-fn-1\"><p>설명. <a href=\"#av-fnref-1\" class=\"av-fnback\" aria-label=\"본문으로 돌아가기\">↩</a></p></li></ol></section>"), "{out}");
}

#[test]
fn bare_urls_are_linked_and_stop_before_korean() {
    let out = body("자세한 내용은 https://example.com/a?b=1에서, 또는 www.example.org. 참고 <https://x.example/y>");
    assert!(out.contains("<a href=\"https://example.com/a?b=1\" rel=\"noopener noreferrer\" target=\"_blank\">https://example.com/a?b=1</a>에서"), "{out}");
    assert!(
        out.contains(
            "<a href=\"http://www.example.org\" rel=\"noopener noreferrer\" target=\"_blank\">www.example.org</a>."
        ),
        "{out}"
    );
    assert!(out.contains(">https://x.example/y</a>"), "{out}");
    assert!(!body("`https://in.code`").contains("<a"));
}

#[test]
fn code_blocks_keep_text_and_a_safe_language_class() {
    let out = body("```rust\" onload=x\nfn main() {}\n```");
    assert_eq!(out, "<pre><code class=\"language-rust\">fn main() {}\n</code></pre>");
}

#[test]
fn deep_nesting_is_flattened_not_fatal() {
    let md = ">".repeat(10_000) + " 깊다";
    let nodes = render_body(&md, &opts());
    fn depth(n: &[Node]) -> usize {
        n.iter()
            .map(|n| match n {
                Node::Element(e) => 1 + depth(&e.children),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    assert!(depth(&nodes) <= MAX_DEPTH + 1, "depth {}", depth(&nodes));
    assert!(plain_text(&nodes).contains("깊다"));
    let list = "- ".repeat(5_000) + "x";
    assert!(depth(&render_body(&list, &opts())) <= MAX_DEPTH + 1);
}

#[test]
fn inline_markdown_for_captions() {
    let nodes = render_inline("Photo by [Nik](https://unsplash.com/@nik) / Unsplash", &opts());
    assert_eq!(
        html(&nodes),
        "Photo by <a href=\"https://unsplash.com/@nik\" rel=\"noopener noreferrer\" target=\"_blank\">Nik</a> / Unsplash"
    );
    assert_eq!(html(&render_inline("# 제목\n\n**굵게**", &opts())), "제목 <strong>굵게</strong>");
}

#[test]
fn plain_text_for_reading_time() {
    let nodes = render_body("# 제목\n\n첫 문단 **굵게**.\n\n- 하나\n- 둘", &opts());
    assert_eq!(plain_text(&nodes), "제목\n첫 문단 굵게.\n하나\n둘\n\n");
}

#[test]
fn the_checker_catches_what_it_must() {
    let bad = Element::new(Tag::A).attr(Attr::Href, "javascript:alert(1)");
    assert!(check_safe(&[bad.into()]).is_err());
    let bad = Element::new(Tag::Img).attr(Attr::Src, "data:text/html,x");
    assert!(check_safe(&[bad.into()]).is_err());
    let bad = Element::new(Tag::Span).attr(Attr::Class, "x\" onclick=\"y");
    assert!(check_safe(&[bad.into()]).is_err());
}

#[test]
fn direction_is_found_per_block() {
    let nodes = render_body("# 제목\n\nمرحبا بالعالم\n\n- 항목\n- שלום", &opts());
    let dirs: Vec<_> = nodes
        .iter()
        .filter_map(|n| match n {
            Node::Element(e) => Some((e.tag, e.get(Attr::Dir).map(str::to_string))),
            _ => None,
        })
        .collect();
    // As `dir="auto"` would find, set only where it differs from the left-to-right page.
    assert_eq!(dirs, vec![(Tag::H2, None), (Tag::P, Some("rtl".into())), (Tag::Ul, None)]);
    let Node::Element(ul) = &nodes[2] else { panic!("list") };
    let items: Vec<_> = ul
        .children
        .iter()
        .map(|n| match n {
            Node::Element(li) => li.get(Attr::Dir),
            _ => None,
        })
        .collect();
    assert_eq!(items, vec![None, Some("rtl")]);
    // Inside a right-to-left block, a left-to-right one says so; digits and marks are not strong.
    assert_eq!(
        html_with_dir("> - 123 שלום\n>   - Hello"),
        "<blockquote><ul><li dir=\"rtl\">123 שלום<ul><li dir=\"ltr\">Hello</li></ul></li></ul></blockquote>"
    );
    // A loose item's paragraphs decide for themselves (the item has no text of its own).
    assert_eq!(html_with_dir("- שלום\n\n  Hello"), "<ul><li><p dir=\"rtl\">שלום</p><p>Hello</p></li></ul>");
    assert_eq!(html_with_dir("**مرحبا** world"), "<p dir=\"rtl\"><strong>مرحبا</strong> world</p>");
}

fn html_with_dir(md: &str) -> String {
    fn walk(nodes: &[Node], s: &mut String) {
        for n in nodes {
            match n {
                Node::Text(t) => s.push_str(t),
                Node::Element(e) => {
                    s.push_str(&format!("<{}", e.tag.as_str()));
                    if let Some(d) = e.get(Attr::Dir) {
                        s.push_str(&format!(" dir=\"{d}\""));
                    }
                    s.push('>');
                    walk(&e.children, s);
                    s.push_str(&format!("</{}>", e.tag.as_str()));
                }
            }
        }
    }
    let mut s = String::new();
    walk(&render_body(md, &opts()), &mut s);
    s
}

#[test]
fn long_unbroken_runs_get_break_opportunities_outside_code() {
    let word = "가".repeat(LONG_RUN * 2 + 5);
    let out = body(&format!("앞 {word} 뒤"));
    assert_eq!(out.matches("<wbr>").count(), 2, "{out}");
    assert_eq!(out.replace("<wbr>", ""), format!("<p>앞 {word} 뒤</p>"));
    let code = body(&format!("```\n{word}\n```"));
    assert!(!code.contains("<wbr>"));
    assert!(!body("짧은 문장 여러 개가 있는 보통의 문단").contains("<wbr>"));
}

#[test]
fn plain_text_fields_break_long_runs_too() {
    assert_eq!(breakable("짧은 제목"), vec![Node::Text("짧은 제목".into())]);
    let word = "A".repeat(LONG_RUN * 3);
    let nodes = breakable(&word);
    assert_eq!(nodes.iter().filter(|n| matches!(n, Node::Element(e) if e.tag == Tag::Wbr)).count(), 2);
    assert_eq!(plain_text(&nodes), word);
    // Any whitespace ends a run, also an ideographic space or a no-break space.
    for space in ["\u{3000}", "\u{a0}", "\u{2009}", " "] {
        let text = format!("{}{space}{}", "가".repeat(LONG_RUN), "é".repeat(LONG_RUN));
        assert_eq!(breakable(&text), vec![Node::Text(text.clone())], "{space:?}");
    }
    let nodes = breakable(&"😀".repeat(LONG_RUN + 1));
    assert_eq!(nodes.len(), 3);
}

#[test]
fn attribute_names_follow_the_enum() {
    use Attr::*;
    let expected = [
        (Href, "href"),
        (Src, "src"),
        (Alt, "alt"),
        (Title, "title"),
        (Id, "id"),
        (Class, "class"),
        (Rel, "rel"),
        (Target, "target"),
        (Loading, "loading"),
        (Decoding, "decoding"),
        (Start, "start"),
        (Type, "type"),
        (Checked, "checked"),
        (Disabled, "disabled"),
        (Role, "role"),
        (AriaHidden, "aria-hidden"),
        (AriaLabel, "aria-label"),
        (Tabindex, "tabindex"),
        (Scope, "scope"),
        (Dir, "dir"),
        (Srcset, "srcset"),
        (Sizes, "sizes"),
        (Width, "width"),
        (Height, "height"),
        (Fetchpriority, "fetchpriority"),
    ];
    assert_eq!(expected.len(), Attr::NAMES.len(), "every attribute has exactly one name");
    for (a, name) in expected {
        assert_eq!(a.as_str(), name);
    }
}

fn ids(nodes: &[Node], out: &mut Vec<String>) {
    for n in nodes {
        if let Node::Element(e) = n {
            out.extend(e.get(Attr::Id).map(str::to_string));
            ids(&e.children, out);
        }
    }
}

#[test]
fn footnote_ids_are_unique_and_every_reference_has_a_way_back() {
    let out =
        body("가[^1] 나[^n] 다[^1] 라[^x]\n\n[^1]: 하나.\n\n[^N]: 둘.\n\n[^1]: 다시 정의.\n\n[^z]: 아무도 안 부름.");
    // The second reference to a note gets its own id, and the note a second back link.
    assert!(out.contains("<a href=\"#av-fn-1\" id=\"av-fnref-1\" class=\"av-fnref\">1</a>"), "{out}");
    assert!(out.contains("<a href=\"#av-fn-1\" id=\"av-fnref-1-2\" class=\"av-fnref\">1</a>"), "{out}");
    assert!(out.contains("<li id=\"av-fn-1\"><p>하나. <a href=\"#av-fnref-1\" class=\"av-fnback\" aria-label=\"본문으로 돌아가기\">↩</a> \
                          <a href=\"#av-fnref-1-2\" class=\"av-fnback\" aria-label=\"본문으로 돌아가기\">↩2</a></p></li>"), "{out}");
    // Labels match regardless of case; a reference to no note stays text.
    assert!(out.contains("<li id=\"av-fn-2\"><p>둘. <a href=\"#av-fnref-2\""), "{out}");
    assert!(out.contains("라[^x]"), "{out}");
    // A second definition is ignored (the first wins), and a note nobody refers to has no back link.
    assert!(!out.contains("다시 정의"), "{out}");
    assert!(out.contains("<li id=\"av-fn-3\"><p>아무도 안 부름.</p></li>"), "{out}");
    let mut all = Vec::new();
    ids(&render_body("# a\n\n# a\n\n# a-2\n\nx[^1] y[^1]\n\n[^1]: z", &opts()), &mut all);
    let unique: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "{all:?}");
}

#[test]
fn inline_fields_create_no_ids_and_no_in_page_links() {
    // A pick point or caption shares the page with the body: its footnote reference must not
    // take the body's `av-fnref-1`, nor its note's back link jump into the body.
    let nodes = render_inline("요점[^1]이다.\n\n[^1]: 출처.", &opts());
    assert_eq!(html(&nodes), "요점<sup>1</sup>이다. <sup>1</sup> 출처.");
    let nodes = render_inline("# 제목\n\n본문[^a]", &opts());
    let mut all = Vec::new();
    ids(&nodes, &mut all);
    assert!(all.is_empty(), "{all:?}");
    assert!(!html(&nodes).contains("href=\"#"), "{}", html(&nodes));
}

#[test]
fn links_that_commonmark_and_gfm_define() {
    // An e-mail autolink is a mailto: link, and so is a bare address (GFM).
    let out = body("<desk@news.example> 또는 desk@news.example.");
    assert!(out.contains("<a href=\"mailto:desk@news.example\">desk@news.example</a> 또는 <a href=\"mailto:desk@news.example\">desk@news.example</a>."), "{out}");
    // An empty destination is a link to this page.
    assert_eq!(body("[a]()"), "<p><a href=\"\">a</a></p>");
    // An entity-like ending stays outside a bare link, and parentheses balance.
    let out = body("https://a.example/x&hl; (https://a.example/y_(z))");
    assert!(out.contains(">https://a.example/x</a>&amp;hl; (<a"), "{out}");
    assert!(out.contains(">https://a.example/y_(z)</a>)"), "{out}");
    // A nested image keeps its words in the outer image's description.
    assert!(body("![a ![b](c.png) d](e.png)").contains("alt=\"a b d\""));
    // Text split by pulldown-cmark (escapes, entities) is linked as one address.
    assert!(
        body("www.a.example/b\\_c").contains("<a href=\"http://www.a.example/b_c\""),
        "{}",
        body("www.a.example/b\\_c")
    );
}

#[test]
fn code_language_keeps_the_whole_first_word() {
    assert_eq!(body("```c++\nx\n```"), "<pre><code class=\"language-c++\">x\n</code></pre>");
    assert_eq!(body("``` f&ouml;&ouml; bar\nx\n```"), "<pre><code class=\"language-föö\">x\n</code></pre>");
    let bad = Element::new(Tag::Code).attr(Attr::Class, "language-a\"b");
    assert!(check_safe(&[bad.into()]).is_err());
}

#[test]
fn long_bodies_come_in_chunks_and_long_lists_in_pieces() {
    // A short body is as it was.
    assert!(!body("가\n\n나\n\n- 다").contains("av-chunk"));
    let para = "문단 ".repeat(100);
    let md = vec![para.as_str(); 200].join("\n\n");
    let nodes = render_body(&md, &opts());
    assert!(
        nodes.len() > 2
            && nodes.iter().all(|n| matches!(n, Node::Element(e) if e.get(Attr::Class) == Some("av-chunk")))
    );
    assert_eq!(plain_text(&nodes).matches("문단").count(), 200 * 100);
    // An ordered list of 3,000 items from 5: pieces numbered on, all but the last `av-split`,
    // all but the first `av-cont`.
    let list: String = (0..3000).map(|i| format!("{}. 항목 {i}\n", i + 5)).collect();
    let nodes = render_body(&list, &opts());
    let mut pieces = Vec::new();
    for chunk in &nodes {
        let Node::Element(c) = chunk else { panic!("chunk") };
        for n in &c.children {
            let Node::Element(ol) = n else { panic!("list") };
            pieces.push((
                ol.get(Attr::Start).map(str::to_string),
                ol.get(Attr::Class).map(str::to_string),
                ol.children.len(),
            ));
        }
    }
    assert!(pieces.len() > 1, "{pieces:?}");
    assert_eq!(pieces.iter().map(|p| p.2).sum::<usize>(), 3000);
    assert_eq!(pieces[0].0.as_deref(), Some("5"));
    assert_eq!(pieces[1].0, Some((5 + pieces[0].2).to_string()));
    assert_eq!(pieces[0].1.as_deref(), Some("av-split"));
    assert!(pieces[1..pieces.len() - 1].iter().all(|p| p.1.as_deref() == Some("av-split av-cont")));
    assert_eq!(pieces.last().and_then(|p| p.1.clone()).as_deref(), Some("av-cont"));
    assert_eq!(check_safe(&nodes), Ok(()));
    // A paragraph of 5,000 links and emphases on one line: cut at spaces and between its
    // parts, words kept.
    let md = "[링크](https://a.example) 그리고 *강조* 문장. ".repeat(5_000);
    let nodes = render_body(&md, &opts());
    let text = plain_text(&nodes);
    assert_eq!(text.matches("링크").count(), 5_000);
    assert_eq!(text.matches("문장.").count(), 5_000);
    let out = html(&nodes);
    assert!(out.matches("<p class=\"av-split av-cont\">").count() > 5, "{}", &out[..300]);
    assert!(!out.contains("av-split av-split"));
    // A table of 2,000 rows: tables of at most 256 rows, each with the header row again.
    let table =
        format!("| 이름 | 값 |\n|---|--:|\n{}", (0..2000).map(|i| format!("| 행 {i} | {i} |\n")).collect::<String>());
    let out = html(&render_body(&table, &opts()));
    assert_eq!(out.matches("<table>").count(), 8, "{}", &out[..300]);
    assert_eq!(out.matches("<thead>").count(), 8);
    assert_eq!(out.matches("<tr>").count(), 2000 + 8);
    assert_eq!(out.matches("class=\"av-table-wrap av-split").count(), 7);
    assert_eq!(out.matches("av-cont\"").count(), 7);
    assert!(!body("| a |\n|---|\n| b |").contains("av-split"));
    // A long list below the limit, or a paragraph of under 16 KB, stays whole.
    let list: String = (0..1000).map(|i| format!("- 항목 {i}\n")).collect();
    assert!(!body(&list).contains("av-split"));
    assert!(!body(&format!("{}\n\n{}", "가".repeat(5_000), "나 ".repeat(4_000))).contains("av-split"));
    // A paragraph of 300 KB of one word, or of 80 KB of short words: cut (between the breaks
    // of a long word, or at spaces) into pieces of about 16 KB, no character lost.
    for md in ["가".repeat(100_000), "나 ".repeat(20_000)] {
        let nodes = render_body(&md, &opts());
        let out = html(&nodes);
        let pieces = out.matches("<p").count();
        assert!((4..40).contains(&pieces), "{pieces} pieces");
        assert_eq!(
            plain_text(&nodes).chars().filter(|c| !c.is_whitespace()).count(),
            md.chars().filter(|c| !c.is_whitespace()).count()
        );
    }
}

#[test]
fn long_code_blocks_and_footnote_lists_come_in_pieces() {
    // A code block of 200 KB: pieces cut after a line, each a code block of its own with the
    // language, the text unchanged when joined.
    let lines: String = (0..20_000).map(|i| format!("let x{i} = {i};\n")).collect();
    let nodes = render_body(&format!("```rust\n{lines}```"), &opts());
    let out = html(&nodes);
    let pieces = out.matches("<pre").count();
    assert!((8..40).contains(&pieces), "{pieces} pieces");
    assert_eq!(out.matches("<code class=\"language-rust\">").count(), pieces);
    assert_eq!(out.matches("<pre class=\"av-split\">").count(), 1);
    assert_eq!(out.matches("<pre class=\"av-cont\">").count(), 1);
    assert_eq!(plain_text(&nodes).replace('\n', ""), lines.replace('\n', ""));
    assert!(out.matches("\n</code>").count() >= pieces - 1, "pieces end after a line");
    // A short one stays whole; one long line cannot be cut.
    assert_eq!(html(&render_body("```\na\nb\n```", &opts())).matches("<pre").count(), 1);
    let long_line = format!("```\n{}\n```", "a".repeat(100_000));
    assert_eq!(html(&render_body(&long_line, &opts())).matches("<pre").count(), 1);
    // 3,000 notes: one labelled section (one landmark) with the first piece of the list, the
    // rest after it in blocks that look the same, numbered on.
    let md: String = (1..=3000).map(|i| format!("글[^{i}]\n\n[^{i}]: 주석 {i}\n\n")).collect();
    let nodes = render_body(&md, &opts());
    let out = html(&nodes);
    assert_eq!(out.matches("<section class=\"av-footnotes\"").count(), 1);
    assert!(out.matches("<div class=\"av-footnotes av-cont\"><ol").count() >= 5);
    assert_eq!(out.matches("<li id=\"av-fn-").count(), 3000);
    assert!(
        out.contains(&format!("<ol start=\"{}\" class=\"av-split av-cont\">", 1 + 256)),
        "{}",
        &out[out.len() - 600..]
    );
    assert_eq!(check_safe(&nodes), Ok(()));
}
