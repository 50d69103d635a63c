use super::*;

fn clean(svg: &str) -> (String, Vec<String>) {
    let c = sanitise(svg.as_bytes()).unwrap_or_else(|e| panic!("{e}: {svg}"));
    (String::from_utf8(c.bytes).expect("UTF-8"), c.removed)
}

const NS: &str = r#"xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink""#;

#[test]
fn a_passive_picture_comes_out_as_it_went_in() {
    let svg = format!(
        r##"<?xml version="1.0" encoding="UTF-8"?><svg {NS} viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)" style="stroke: url('#g')"/><use href="#g"/><text x="1">가 &amp; 나</text><style>rect {{ fill: #123 }}</style></svg>"##
    );
    let (out, removed) = clean(&svg);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(out, svg);
}

#[test]
fn everything_that_runs_or_loads_is_taken_out() {
    let cases: &[(&str, &str)] = &[
        (r#"<script>alert(1)</script>"#, "<script>"),
        (r#"<svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script>"#, "<svg:script>"),
        (r#"<SCRIPT href="x.js"/>"#, "<SCRIPT>"),
        (
            r#"<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></body></foreignObject>"#,
            "<foreignObject>",
        ),
        (r#"<rect onload="alert(1)"/>"#, "onload"),
        (r#"<rect ONCLICK="alert(1)"/>"#, "ONCLICK"),
        (r#"<a href="javascript:alert(1)"><text>x</text></a>"#, "href to another file"),
        (r#"<a xlink:href=" java&#x09;script:alert(1)"><text>x</text></a>"#, "xlink:href to another file"),
        (r#"<image href="https://tracker.example/p.png"/>"#, "href to another file"),
        (r#"<use href="other.svg#x"/>"#, "href to another file"),
        (r#"<image href="data:image/svg+xml;base64,PHN2Zz4="/>"#, "href to another file"),
        (r#"<rect fill="url(https://tracker.example/#g)"/>"#, "fill"),
        (r#"<rect style="background: url( 'https://x.example/a.png')"/>"#, "style"),
        (r#"<set attributeName="href" to="javascript:alert(1)"/>"#, "an animation of a link or handler"),
        (r#"<animate attributeName="onbegin" values="alert(1)"/>"#, "an animation of a link or handler"),
        (r#"<style>@import url(https://x.example/a.css);</style>"#, "a <style> that loads other files"),
        (r#"<style>rect { fill: url(https://x.example/t) }</style>"#, "a <style> that loads other files"),
        (r#"<iframe src="https://x.example/"/>"#, "<iframe>"),
        (r#"<rect xml:base="https://x.example/"/>"#, "xml:base"),
        (r#"<rect fill="&#x75;rl(https://x.example/t)"/>"#, "fill"),
        (r#"<rect style="fill: \75 rl(https://x.example/t)"/>"#, "style"),
        (r#"<style>rect { fill: &#x75;rl(https://x.example/t) }</style>"#, "a <style> that loads other files"),
        (r#"<style>rect { fill: \75 rl(https://x.example/t) }</style>"#, "a <style> that loads other files"),
        (r#"<a href="&#106;avascript:alert(1)"><text>x</text></a>"#, "href to another file"),
    ];
    for (inner, what) in cases {
        let svg = format!("<svg {NS}>{inner}<rect width=\"1\"/></svg>");
        let (out, removed) = clean(&svg);
        assert!(removed.iter().any(|r| r == what), "{inner}: removed {removed:?}, wanted {what}");
        let lower = out.to_ascii_lowercase();
        for bad in
            ["alert", "script", "javascript", "https://", "onload", "onclick", "@import", "other.svg", "data:image/svg"]
        {
            assert!(!lower.contains(bad), "{inner} → {out}");
        }
        assert!(out.contains("<rect width=\"1\"/>"), "the rest stays: {out}");
        assert!(roxmltree::Document::parse(&out).is_ok(), "still well-formed: {out}");
    }
}

#[test]
fn style_sheets_and_entities_from_the_prologue_never_pass() {
    let (out, removed) = clean(&format!(r#"<?xml-stylesheet href="https://x.example/a.css"?><svg {NS}/>"#));
    assert_eq!(removed, ["processing instructions"]);
    assert!(!out.contains("x.example"));
    let (out, _) = clean(&format!(
        r#"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg {NS}/>"#
    ));
    assert!(!out.contains("DOCTYPE"));
    let bomb = format!(
        r#"<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><svg {NS}><text>&b;</text></svg>"#
    );
    assert!(sanitise(bomb.as_bytes()).unwrap_err().contains("declares entities"));
}

#[test]
fn what_is_not_a_well_formed_svg_is_refused() {
    for (bytes, why) in [
        (&b"<html><script>alert(1)</script></html>"[..], "root element is not <svg>"),
        (b"not xml at all", "no <svg> element"),
        (b"<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>", "not well-formed"),
        (b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>", "not well-formed"),
        (b"", "no <svg> element"),
    ] {
        let e = sanitise(bytes).unwrap_err();
        assert!(e.contains(why), "{}: {e}", String::from_utf8_lossy(bytes));
    }
}

#[test]
fn a_deep_or_large_picture_is_rewritten_in_one_pass() {
    // 200,000 nested groups and a script at the bottom: linear, and the script still goes.
    let depth = 200_000;
    let svg = format!("<svg {NS}>{}<script>alert(1)</script>{}</svg>", "<g>".repeat(depth), "</g>".repeat(depth));
    let (out, removed) = clean(&svg);
    assert_eq!(removed, ["<script>"]);
    assert_eq!(out.len(), svg.len() - "<script>alert(1)</script>".len());
}

#[test]
fn the_size_is_read_from_the_start_of_the_file_only() {
    let head = format!(r#"<svg {NS} width="640" height="480">"#);
    // Endless content after the root's start tag is never read.
    struct Endless(Vec<u8>, usize);
    impl std::io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(64);
            for b in &mut buf[..n] {
                *b = if self.1 < self.0.len() { self.0[self.1] } else { b'x' };
                self.1 += 1;
            }
            Ok(n)
        }
    }
    let got = size(std::io::BufReader::new(Endless(head.into_bytes(), 0)));
    assert_eq!(got, Some((Some("640".into()), Some("480".into()), None)));
    // A file that is all prologue gives up after its first MB.
    let comment = format!("<!--{}-->", "y".repeat(3 << 20));
    assert_eq!(size(comment.as_bytes()), None);
}
