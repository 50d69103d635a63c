//! Embeds and galleries as the format writes them (docs/reference/format.md, "Embeds" and
//! "Galleries"):
//!
//! - a YouTube or Vimeo video, an X post or an Instagram post is its canonical address alone
//!   on its line, as its own paragraph (`build` shows it as a click-to-load facade);
//! - a gallery is its pictures on consecutive lines of one paragraph, each with its caption as
//!   its title (the viewer shows one swipeable group).
//!
//! Every importer finds the address in its own way (Ghost's cards, WordPress's blocks and
//! shortcodes, Hugo's shortcodes) and writes it through [`canonical`] and [`embed_md`].

/// Longest identifier taken from an address: real ones are 11 (YouTube) to 20 (X) characters.
const MAX_ID: usize = 64;

fn is_id(s: &str, extra: &[u8]) -> bool {
    !s.is_empty() && s.len() <= MAX_ID && s.bytes().all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
}

fn digits(s: &str) -> bool {
    is_id(s, b"") && s.bytes().all(|b| b.is_ascii_digit())
}

/// The canonical address of a video or post of a provider the format embeds, in any of the
/// forms the provider and its embed codes write it: `youtu.be/ID`, `youtube.com/embed/ID`,
/// `youtube-nocookie.com`, `/shorts/`, `twitter.com`, `mobile.twitter.com`, `player.vimeo.com`,
/// `instagram.com/reel/`… `None` for anything else.
pub fn canonical(url: &str) -> Option<String> {
    let url = url.trim();
    let rest =
        url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).or_else(|| url.strip_prefix("//"))?;
    let (host, path_query) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").or_else(|| host.strip_prefix("m.")).unwrap_or(&host);
    let host = host.strip_prefix("mobile.").unwrap_or(host);
    let (path, query) = match path_query.split_once('?') {
        Some((p, q)) => (p, q.split('#').next().unwrap_or("")),
        None => (path_query.split('#').next().unwrap_or(""), ""),
    };
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).take(5).collect();
    // YouTube's ids are 11 characters, X's user names at most 15: what `build` makes a facade of.
    let youtube =
        |id: &str| (id.len() == 11 && is_id(id, b"_-")).then(|| format!("https://www.youtube.com/watch?v={id}"));
    match (host, parts.as_slice()) {
        ("youtube.com" | "youtube-nocookie.com", ["watch"]) => {
            query.split('&').find_map(|kv| kv.strip_prefix("v=")).and_then(youtube)
        }
        ("youtube.com" | "youtube-nocookie.com", ["embed" | "shorts" | "live" | "v", id, ..]) => youtube(id),
        ("youtu.be", [id, ..]) => youtube(id),
        ("vimeo.com", [id, ..]) | ("player.vimeo.com", ["video", id, ..]) if digits(id) => {
            Some(format!("https://vimeo.com/{id}"))
        }
        ("vimeo.com", ["channels" | "groups", _, .., id]) if digits(id) => Some(format!("https://vimeo.com/{id}")),
        ("x.com" | "twitter.com", [user, "status" | "statuses", id, ..])
            if user.len() <= 15 && is_id(user, b"_") && digits(id) =>
        {
            Some(format!("https://x.com/{user}/status/{id}"))
        }
        ("x.com" | "twitter.com", ["i", "web", "status", id, ..]) if digits(id) => {
            Some(format!("https://x.com/i/status/{id}"))
        }
        ("instagram.com", [_, "p" | "reel" | "tv", id, ..]) | ("instagram.com", ["p" | "reel" | "tv", id, ..])
            if is_id(id, b"_-") =>
        {
            Some(format!("https://www.instagram.com/p/{id}/"))
        }
        _ => None,
    }
}

/// An embed: the canonical address alone in its paragraph, and its caption as the next one.
pub fn embed_md(url: &str, caption: &str) -> String {
    let caption = crate::text::squash(caption);
    if caption.is_empty() {
        format!("\n\n{url}\n\n")
    } else {
        format!("\n\n{url}\n\n{}\n\n", escape_text(&caption))
    }
}

/// `s` as paragraph text that reads as itself (no emphasis, link or block markers).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // A leading number followed by `.` or `)` would start a list.
    let number = s.bytes().take_while(u8::is_ascii_digit).count();
    for (i, c) in s.chars().enumerate() {
        let starts_block = i == 0 && matches!(c, '#' | '>' | '-' | '+' | '=' | '|' | '~');
        let ends_number = number > 0 && i == number && matches!(c, '.' | ')');
        if starts_block || ends_number || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '!' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One picture of a gallery.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shot {
    pub src: String,
    pub alt: String,
    pub caption: String,
}

/// A gallery: its pictures on consecutive lines of one paragraph, each caption as its
/// picture's title; the gallery's own caption goes with the last picture. One picture is a
/// figure; none is nothing.
pub fn gallery_md(shots: &[Shot], caption: &str) -> String {
    let caption = crate::text::squash(caption);
    let mut out = String::from("\n\n");
    let last = shots.len().saturating_sub(1);
    for (i, s) in shots.iter().enumerate() {
        let own = crate::text::squash(&s.caption);
        let title = match (i == last && !caption.is_empty(), own.is_empty()) {
            (true, true) => caption.clone(),
            (true, false) => format!("{own} · {caption}"),
            (false, _) => own,
        };
        if i > 0 {
            out.push('\n');
        }
        out.push_str(crate::html::figure_md(&s.alt, &s.src, &title).trim());
    }
    out.push_str("\n\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_providers_address_becomes_its_canonical_one() {
        for (from, to) in [
            ("https://www.youtube.com/watch?v=aB3_-x9yZ01", "https://www.youtube.com/watch?v=aB3_-x9yZ01"),
            (
                "http://youtube.com/watch?feature=share&v=aB3cD4eF5gH&t=10",
                "https://www.youtube.com/watch?v=aB3cD4eF5gH",
            ),
            ("https://m.youtube.com/watch?v=aB3cD4eF5gH#t=1", "https://www.youtube.com/watch?v=aB3cD4eF5gH"),
            ("https://youtu.be/aB3cD4eF5gH?si=x", "https://www.youtube.com/watch?v=aB3cD4eF5gH"),
            ("https://www.youtube.com/embed/aB3cD4eF5gH?feature=oembed", "https://www.youtube.com/watch?v=aB3cD4eF5gH"),
            ("https://www.youtube-nocookie.com/embed/aB3cD4eF5gH", "https://www.youtube.com/watch?v=aB3cD4eF5gH"),
            ("https://www.youtube.com/shorts/aB3cD4eF5gH", "https://www.youtube.com/watch?v=aB3cD4eF5gH"),
            ("//www.youtube.com/embed/aB3cD4eF5gH", "https://www.youtube.com/watch?v=aB3cD4eF5gH"),
            ("https://vimeo.com/76979871", "https://vimeo.com/76979871"),
            ("https://player.vimeo.com/video/76979871?h=abc", "https://vimeo.com/76979871"),
            ("https://vimeo.com/channels/staffpicks/76979871", "https://vimeo.com/76979871"),
            (
                "https://twitter.com/news_desk/status/1234567890?ref_src=twsrc",
                "https://x.com/news_desk/status/1234567890",
            ),
            ("https://mobile.twitter.com/a/statuses/12", "https://x.com/a/status/12"),
            ("https://x.com/a/status/12/photo/1", "https://x.com/a/status/12"),
            ("https://twitter.com/i/web/status/12", "https://x.com/i/status/12"),
            ("https://www.instagram.com/p/Cx-Y_z/?utm_source=ig_embed", "https://www.instagram.com/p/Cx-Y_z/"),
            ("https://instagram.com/reel/Cx1", "https://www.instagram.com/p/Cx1/"),
            ("https://www.instagram.com/someone/p/Cx1/", "https://www.instagram.com/p/Cx1/"),
        ] {
            assert_eq!(canonical(from).as_deref(), Some(to), "{from}");
        }
        for not in [
            "https://www.youtube.com/",
            "https://www.youtube.com/watch?v=",
            "https://www.youtube.com/watch?v=a<b",
            "https://www.youtube.com/channel/UC1",
            "https://vimeo.com/about",
            "https://x.com/a",
            "https://x.com/a/status/12a",
            "https://x.com/a\"b/status/12",
            "https://www.instagram.com/someone/",
            "https://example.com/watch?v=aB3cD4eF5gH",
            "javascript:alert(1)//youtube.com/embed/x",
            "ftp://youtu.be/aB3cD4eF5gH",
            "",
        ] {
            assert_eq!(canonical(not), None, "{not}");
        }
        let long = format!("https://youtu.be/{}", "a".repeat(100_000));
        assert_eq!(canonical(&long), None);
        let deep = format!("https://vimeo.com/channels/{}1", "a/".repeat(100_000));
        assert_eq!(canonical(&deep), None, "only the first segments are looked at");
    }

    #[test]
    fn embeds_and_galleries_as_markdown() {
        assert_eq!(embed_md("https://vimeo.com/1", ""), "\n\nhttps://vimeo.com/1\n\n");
        assert_eq!(embed_md("https://vimeo.com/1", " *현장*  영상 "), "\n\nhttps://vimeo.com/1\n\n\\*현장\\* 영상\n\n");
        assert_eq!(escape_text("# 1. [a](b) <i> &amp;"), "\\# 1. \\[a\\](b) \\<i> \\&amp;");
        assert_eq!(escape_text("2025. 9월"), "2025\\. 9월");
        let shots = [
            Shot { src: "a.jpg".into(), alt: "가".into(), caption: String::new() },
            Shot { src: "b c.jpg".into(), alt: "나".into(), caption: "둘째".into() },
        ];
        assert_eq!(gallery_md(&shots, "모두"), "\n\n![가](a.jpg)\n![나](<b c.jpg> \"둘째 · 모두\")\n\n");
        assert_eq!(gallery_md(&shots[..1], ""), "\n\n![가](a.jpg)\n\n");
        assert_eq!(gallery_md(&[], "x"), "\n\n\n\n");
    }
}
