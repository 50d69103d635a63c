use std::io::{Read, Write};

use super::*;

fn parsed(url: &str) -> Option<(Provider, String)> {
    Embed::parse(url).map(|e| (e.provider, e.id))
}

fn yt(id: &str) -> Option<(Provider, String)> {
    Some((Provider::YouTube, id.to_string()))
}

#[test]
fn provider_addresses_are_read_strictly() {
    for url in [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42",
        "http://m.youtube.com/watch?v=dQw4w9WgXcQ#t=1",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "HTTPS://WWW.YOUTUBE.COM/shorts/dQw4w9WgXcQ/",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ] {
        assert_eq!(parsed(url), yt("dQw4w9WgXcQ"), "{url}");
    }
    assert_eq!(parsed("https://vimeo.com/76979871"), Some((Provider::Vimeo, "76979871".into())));
    assert_eq!(parsed("https://player.vimeo.com/video/76979871"), Some((Provider::Vimeo, "76979871".into())));
    assert_eq!(parsed("https://x.com/jack/status/20"), Some((Provider::X, "20".into())));
    assert_eq!(
        parsed("https://twitter.com/Some_User/status/1234567890123456789?s=20"),
        Some((Provider::X, "1234567890123456789".into()))
    );
    assert_eq!(parsed("https://www.instagram.com/p/C0abc_-9XyZ/"), Some((Provider::Instagram, "C0abc_-9XyZ".into())));
    assert_eq!(parsed("https://instagram.com/reel/C0abc/?igsh=x"), Some((Provider::Instagram, "C0abc".into())));
}

#[test]
fn anything_else_stays_a_link() {
    let long = format!("https://www.youtube.com/watch?v=dQw4w9WgXcQ&x={}", "a".repeat(100_000));
    for url in [
        "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
        "javascript://youtu.be/dQw4w9WgXcQ",
        "data:text/html,youtu.be/dQw4w9WgXcQ",
        "ftp://youtu.be/dQw4w9WgXcQ",
        "//youtu.be/dQw4w9WgXcQ",
        "youtu.be/dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXc",   // 10 characters
        "https://youtu.be/dQw4w9WgXcQQ", // 12
        "https://youtu.be/dQw4w9\"gXcQ", // a quote
        "https://youtu.be/dQw4w9'gXcQ",
        "https://youtu.be/dQw4w9<gXcQ",
        "https://youtu.be/dQw4w9%20XcQ",
        "https://youtu.be/dQw4w9WgXcQ/more",
        "https://youtu.be//dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXc\"Q",
        "https://www.youtube.com/watch?vv=dQw4w9WgXcQ",
        "https://www.youtube.com/watch",
        "https://www.youtube.com/watch/?v=x",
        "https://youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/youtu.be/dQw4w9WgXcQ",
        "https://youtu.be.evil.example/dQw4w9WgXcQ",
        "https://youtu.be:8443/dQw4w9WgXcQ",
        "https://vimeo.com/12ab",
        "https://vimeo.com/channels/staffpicks/76979871",
        "https://vimeo.com/1234567890123",
        "https://x.com/jack/status/20a",
        "https://x.com/jack/status/",
        "https://x.com/jack_is_a_very_long_name/status/20",
        "https://x.com/ja\"ck/status/20",
        "https://x.com/i/web/status/20",
        "https://www.instagram.com/p/",
        "https://www.instagram.com/stories/someone/123/",
        "https://www.instagram.com/p/ab\"c/",
        "https://www.instagram.com/someone/",
        "",
        "https://",
        long.as_str(),
    ] {
        assert_eq!(parsed(url), None, "{url:.80}");
    }
    // Not a char boundary where a scheme would end.
    assert_eq!(parsed("유튜브"), None);
}

#[test]
fn frames_come_from_the_privacy_friendly_hosts() {
    let e = |url: &str| Embed::parse(url).unwrap().frame_src();
    assert_eq!(e("https://youtu.be/dQw4w9WgXcQ"), "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1");
    assert_eq!(e("https://vimeo.com/76979871"), "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1");
    assert_eq!(e("https://x.com/jack/status/20"), "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true");
    assert_eq!(e("https://instagram.com/reel/C0abc"), "https://www.instagram.com/p/C0abc/embed");
    for p in Provider::ALL {
        assert!(Embed { provider: p, id: "1".into() }.frame_src().starts_with(p.frame_origin()), "{p:?}");
        assert_eq!(Provider::from_key(p.key()), Some(p));
    }
}

#[test]
fn only_an_address_alone_in_its_paragraph_is_an_embed() {
    let body = "첫 문단.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n영상은 https://youtu.be/aaaaaaaaaaa 에 있다.\n\n\
                [제목이 있는 링크](https://youtu.be/bbbbbbbbbbb)\n\n> https://youtu.be/ccccccccccc\n\n\
                - https://youtu.be/ddddddddddd\n\n<https://x.com/jack/status/20>\n\nhttps://example.com/watch?v=eeeeeeeeeee\n";
    let found: Vec<(Provider, String)> = in_body(body).into_iter().map(|(e, _)| (e.provider, e.id)).collect();
    assert_eq!(found, [(Provider::YouTube, "dQw4w9WgXcQ".into()), (Provider::X, "20".into())]);
}

/// The story's body as the components draw it.
fn drawn(markdown: &str) -> String {
    crate::ssr::render_body_html(markdown.into(), "https://news.example/articles/a.json".into(), Lang::Ko)
}

fn found(title: &str) -> Found {
    Found { title: Some(title.into()), poster: Some(Poster { file: "0a1b.jpg".into(), width: 480, height: 360 }) }
}

#[test]
fn the_components_paragraph_becomes_a_facade() {
    let mut embeds = Embeds::new(&[Provider::YouTube]);
    let yt = Embed::parse("https://youtu.be/dQw4w9WgXcQ").unwrap();
    embeds.found.insert(yt, found("노래 <b>\"제목\"</b> & 'x'"));
    let body = drawn(
        "앞 문단.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42\n\nhttps://x.com/jack/status/20\n\n\
         https://vimeo.com/76979871 뒤에 글.\n",
    );
    let (out, framed) = embeds.rewrite(&body, Lang::Ko, 1);
    assert_eq!(framed, [Provider::YouTube]);
    assert_eq!(out.matches("<figure class=\"av-embed ").count(), 2, "{out}");
    // The original address (escaped once), the frame, the poster from the site's root.
    assert!(out.contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=42\""), "{out}");
    assert!(out.contains("data-av-frame=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\""), "{out}");
    assert!(out.contains("src=\"../_embeds/0a1b.jpg\" alt=\"\" width=\"480\" height=\"360\""), "{out}");
    // The provider's title is text, never markup.
    assert!(out.contains("노래 &lt;b&gt;&quot;제목&quot;&lt;/b&gt; &amp; &#39;x&#39;"), "{out}");
    assert!(!out.contains("<b>"), "{out}");
    assert!(out.contains("재생 · YouTube"), "{out}");
    // X is not listed: a link to it, no frame, a card with its name and the address.
    let x = &out[out.find("av-embed-x").unwrap()..];
    assert!(!x[..x.find("</figure>").unwrap()].contains("data-av-frame"), "{x}");
    assert!(x.contains(
        "<span class=\"av-embed-brand\">X</span><span class=\"av-embed-address\">x.com/jack/status/20</span>"
    ));
    assert!(x.contains("X 게시물") && x.contains("X에서 보기"), "{x}");
    // The paragraph with more than the address stays as it was.
    assert!(out.contains(">https://vimeo.com/76979871</a> 뒤에 글.</p>"), "{out}");
    assert_eq!(out.matches(&format!("<script>{EMBED_SCRIPT}</script>")).count(), 1);
    assert!(out.ends_with(&format!("</div><script>{EMBED_SCRIPT}</script>")), "{out}");
}

#[test]
fn a_page_whose_embeds_cannot_play_gets_no_script() {
    let body = drawn("https://youtu.be/dQw4w9WgXcQ\n\nhttps://www.instagram.com/p/C0abc/\n");
    let (out, framed) = Embeds::new(&[]).rewrite(&body, Lang::En, 0);
    assert!(framed.is_empty());
    assert!(!out.contains("<script>") && !out.contains("data-av-frame"), "{out}");
    assert!(out.contains("YouTube video") && out.contains("Watch on YouTube"), "{out}");
    assert!(out.contains("Instagram post") && out.contains("View on Instagram"), "{out}");
    // Without a poster a video shows its button on an empty screen.
    assert!(!out.contains("<img"), "{out}");
    let plain = drawn("글만 있는 본문. https://youtu.be/dQw4w9WgXcQ\n");
    assert_eq!(Embeds::new(&Provider::ALL).rewrite(&plain, Lang::Ko, 0), (plain.clone(), Vec::new()));
}

#[test]
fn many_embeds_in_a_long_chunked_body_and_long_lines_take_linear_time() {
    let mut embeds = Embeds::new(&[Provider::YouTube]);
    let ids: Vec<String> = (0..3000).map(|i| format!("a{i:0>10}")).collect();
    for id in &ids {
        embeds.found.insert(Embed { provider: Provider::YouTube, id: id.clone() }, found("t"));
    }
    let markdown: String = ids.iter().map(|id| format!("https://youtu.be/{id}\n\n")).collect();
    let long = format!(
        "https://youtu.be/{}\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&x={}\n",
        "x".repeat(500_000),
        "y".repeat(500_000)
    );
    let started = std::time::Instant::now();
    assert_eq!(in_body(&markdown).len(), 3000);
    assert!(in_body(&long).is_empty());
    let drawn_body = drawn(&markdown);
    assert!(drawn_body.contains("<div class=\"av-chunk\">"), "a long body comes in chunks");
    let (out, framed) = embeds.rewrite(&drawn_body, Lang::Ko, 0);
    assert_eq!((out.matches("<figure class=\"av-embed ").count(), framed.len()), (3000, 1));
    let body = drawn(&long);
    assert_eq!(embeds.rewrite(&body, Lang::Ko, 0).0, body);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
}

#[test]
fn escaped_text_is_read_back_strictly() {
    assert_eq!(unescape("a&amp;b&lt;&gt;&quot;&#39;").as_deref(), Some("a&b<>\"'"));
    assert_eq!(unescape("a&nbsp;b"), None);
    assert_eq!(unescape("a & b"), None);
    assert_eq!(unescape("").as_deref(), Some(""));
}

#[test]
fn the_policy_allows_the_listed_frames_and_the_script() {
    let script = script_source();
    assert!(script.starts_with("'sha256-") && script.ends_with("='"));
    let policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' https: data:";
    assert_eq!(
        allow_frames(policy, &[Provider::YouTube, Provider::Vimeo]),
        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {script}; img-src 'self' https: data:; \
             frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com"
        )
    );
    assert_eq!(
        allow_frames("default-src 'self'; frame-src 'none'", &[Provider::X]),
        format!("default-src 'self'; frame-src https://platform.twitter.com; script-src 'self' {script}")
    );
    assert_eq!(allow_frames("img-src *", &[Provider::X]), "img-src *");
    assert_eq!(Embeds::new(&[]).site_policy(policy), policy);
    let page = format!("<html><head><meta http-equiv=\"content-security-policy\" content=\"{policy}\"></head></html>");
    let allowed = allow_in_page(&page, &[Provider::Instagram]);
    assert!(allowed.contains("frame-src 'self' https://www.instagram.com\""), "{allowed}");
}

#[test]
fn titles_are_one_short_line() {
    assert_eq!(fetch::clean_title("  a\u{0}b\n\tc  ").as_deref(), Some("a b c"));
    assert_eq!(fetch::clean_title(" \n "), None);
    assert_eq!(fetch::clean_title(&"가".repeat(500)).map(|t| t.chars().count()), Some(200));
}

/// A PNG of `w` × `h`.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(w, h).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A server on 127.0.0.1 answering `count` requests from `answer(path)`; its address, and the
/// paths asked for.
fn serve(count: usize, answer: fn(&str) -> (u16, Vec<u8>)) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut asked = Vec::new();
        for stream in listener.incoming().take(count) {
            let mut stream = stream.unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = stream.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
            }
            let line = String::from_utf8_lossy(&request).lines().next().unwrap_or("").to_string();
            let path = line.split(' ').nth(1).unwrap_or("").to_string();
            let (status, body) = answer(&path);
            let head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(&body).unwrap();
            asked.push(path);
        }
        asked
    });
    (address, handle)
}

#[test]
fn posters_and_titles_are_fetched_once_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let (mirror, server) = serve(2, |path| {
        if path.starts_with("/www.youtube.com/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DdQw4w9WgXcQ") {
            (
                200,
                br#"{"title": "\ud83c\udfb5 \uc81c\ubaa9\n<i>x</i>", "thumbnail_url": "https://evil.example/a.jpg"}"#
                    .to_vec(),
            )
        } else if path == "/i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg" {
            (200, png(48, 36))
        } else {
            (404, Vec::new())
        }
    });
    let yt = Embed::parse("https://youtu.be/dQw4w9WgXcQ").unwrap();
    let x = Embed::parse("https://x.com/jack/status/20").unwrap();
    let wanted = [yt.clone(), x.clone()];
    let got = fetch::look_up_at(&wanted, &cache, Fetch::Network, Some(&format!("{mirror}/")));
    assert_eq!(server.join().unwrap().len(), 2, "X has no poster to ask for");
    let found = got[0].1.clone().unwrap();
    assert_eq!(found.title.as_deref(), Some("🎵 제목 <i>x</i>"));
    let poster = found.poster.clone().unwrap();
    assert_eq!((poster.width, poster.height), (48, 36));
    assert!(poster.file.ends_with(".png") && cache.join(&poster.file).is_file(), "{poster:?}");
    assert_eq!(got[1].1, Ok(Found::default()));
    // The next build, even offline, finds them in the cache; nothing is asked for.
    let again = fetch::look_up_at(&wanted, &cache, Fetch::CacheOnly, Some("http://127.0.0.1:9"));
    assert_eq!(again[0].1, Ok(found));
}

#[test]
fn a_failed_fetch_is_an_error_and_nothing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let (mirror, server) = serve(2, |path| match path {
        p if p.starts_with("/vimeo.com/api/oembed.json") => {
            (200, br#"{"title": "t", "thumbnail_url": "https://i.vimeocdn.com/video/1-d_640"}"#.to_vec())
        }
        "/i.vimeocdn.com/video/1-d_640" => (200, b"<html>not a picture</html>".to_vec()),
        _ => (404, Vec::new()),
    });
    let vimeo = Embed::parse("https://vimeo.com/76979871").unwrap();
    let got = fetch::look_up_at(std::slice::from_ref(&vimeo), &cache, Fetch::Network, Some(&mirror));
    server.join().unwrap();
    let why = got[0].1.clone().unwrap_err();
    assert!(why.contains("not a JPEG, PNG or WebP"), "{why}");
    assert!(std::fs::read_dir(&cache).map_or(true, |d| d.count() == 0));
    // Offline, it simply has none; unreachable, an error naming the address.
    assert_eq!(
        fetch::look_up_at(std::slice::from_ref(&vimeo), &cache, Fetch::CacheOnly, None)[0].1,
        Ok(Found::default())
    );
    let gone = fetch::look_up_at(&[vimeo], &cache, Fetch::Network, Some("http://127.0.0.1:9"));
    assert!(gone[0].1.clone().unwrap_err().contains("http://127.0.0.1:9/vimeo.com/api/oembed.json"), "{gone:?}");
}

#[test]
fn the_configuration_names_the_providers() {
    let c = crate::config::parse("title = \"t\"\nembeds = [\"youtube\", \"x\", \"youtube\"]\n", "site.toml").unwrap();
    assert_eq!(c.embeds, [Provider::YouTube, Provider::X]);
    let e =
        crate::config::parse("title = \"t\"\nembeds = [\"vimeo\", \"tiktok\"]\n", "site.toml").unwrap_err().to_string();
    assert!(e.contains("site.toml:2") && e.contains("embeds[1]") && e.contains("\"tiktok\": not a provider"), "{e}");
    let guide = include_str!("../../../../docs/guide/configuration.md");
    let line = guide.lines().find(|l| l.starts_with("embeds = ")).unwrap_or_default();
    assert_eq!(crate::config::parse(line, "guide").unwrap().embeds, [Provider::YouTube, Provider::Vimeo]);
    let e = crate::config::parse("embeds = \"youtube\"\n", "site.toml").unwrap_err().to_string();
    assert!(e.contains("site.toml:1") && e.contains("embeds"), "{e}");
}
