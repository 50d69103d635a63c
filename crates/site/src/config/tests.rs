use super::*;

fn err(text: &str) -> String {
    match parse(text, "site.toml") {
        Ok(c) => panic!("accepted: {c:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_guides_example_is_read_whole() {
    let guide = include_str!("../../../../docs/guide/configuration.md");
    let start = guide.find("```toml\n").unwrap_or_else(|| panic!("the guide has a ```toml example")) + 8;
    let example = &guide[start..start + guide[start..].find("```").unwrap_or(0)];
    let c = parse(example, "guide").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.title.as_deref(), Some("오늘의 테크"));
    assert_eq!(c.language.as_deref(), Some("ko"));
    assert_eq!(c.base_url.as_deref(), Some("https://news.example/"));
    assert_eq!(c.logo.as_deref(), Some("images/logo.svg"));
    assert_eq!(c.share_image.as_deref(), Some("images/share.png"));
    assert_eq!(c.nav.len(), 2);
    assert_eq!(c.nav[1], Link { title: "소개".into(), url: "articles/about.html".into() });
    assert_eq!(c.footer.len(), 2);
    assert_eq!(c.script_origins, ["https://stats.example"]);
    assert_eq!(c.scripts, ["https://stats.example/script.js"]);
}

#[test]
fn an_empty_file_is_todays_site() {
    assert_eq!(parse("", "site.toml").unwrap_or_else(|e| panic!("{e}")), SiteConfig::default());
}

#[test]
fn errors_name_the_file_line_and_key() {
    let e = err("title = \"t\"\nlanguage = \"한국어\"\n");
    assert!(e.starts_with("site.toml:2:12: language: "), "{e}");
    let e = err("title = \"t\"\n\n[[nav]]\ntitle = \"a\"\nurl = \"javascript:alert(1)\"\n");
    assert!(e.starts_with("site.toml:5:7: nav[0].url: "), "{e}");
    let e = err("colour = \"red\"\n");
    assert!(e.starts_with("site.toml:1:1: ") && e.contains("colour"), "{e}");
    let e = err("title = \n");
    assert!(e.starts_with("site.toml:1:"), "{e}");
    // The parser's own errors name the key too.
    let e = err("title = 3\n");
    assert_eq!(e, "site.toml:1:9: title: invalid type: integer `3`, expected a string");
    let e = err("[[nav]]\ntitle = \"a\"\nurl = \"a.html\"\n\n[[nav]]\ntitle = \"b\"\nurl = [\"b.html\"]\n");
    assert!(e.starts_with("site.toml:7:7: nav[1].url: invalid type"), "{e}");
    let e = err("[scripts]\norigins = \"https://a.example\"\n");
    assert!(e.starts_with("site.toml:2:11: scripts.origins: invalid type"), "{e}");
    let e = err("title = \"a\"\ntitle = \"b\"\n");
    assert!(e.starts_with("site.toml:2:1: title: duplicate key"), "{e}");
    let e = err("base_url = \"news.example\"\n");
    assert!(e.starts_with("site.toml:1:12: base_url: "), "{e}");
    let e = err("[[footer]]\ntitle = \"\"\nurl = \"a.html\"\n");
    assert!(e.starts_with("site.toml:2:9: footer[0].title: empty"), "{e}");
}

#[test]
fn script_origins_are_https_origins_and_nothing_else() {
    for bad in [
        "http://stats.example",
        "https://*.example",
        "*",
        "https://stats.example/path",
        "https://stats.example; script-src *",
        "https://stats.example 'unsafe-inline'",
        "'unsafe-eval'",
        "https://",
        "https://localhost:99999",
        "data:",
    ] {
        let e = err(&format!("[scripts]\norigins = [{bad:?}]\n"));
        assert!(e.starts_with("site.toml:2:12: scripts.origins[0]: "), "{bad}: {e}");
    }
    let c = parse("[scripts]\norigins = [\"https://Stats.Example/\", \"https://c.example:8443\"]\n", "t")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.script_origins, ["https://stats.example", "https://c.example:8443"]);
    let e = err("[scripts]\norigins = [\"https://a.example\"]\nsrc = [\"https://b.example/x.js\"]\n");
    assert!(e.contains("scripts.src[0]: https://b.example is not in scripts.origins"), "{e}");
}

#[test]
fn the_policy_gains_the_origins_in_two_directives_only() {
    let policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; object-src 'none'";
    let origins = vec!["https://stats.example".to_string()];
    assert_eq!(
        widen_policy(policy, &origins),
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://stats.example; style-src 'self'; \
         connect-src 'self' https://stats.example; object-src 'none'"
    );
    // A directive left to default-src gets default-src's sources and the origins.
    assert_eq!(
        widen_policy("default-src 'self'; img-src https:", &origins),
        "default-src 'self'; img-src https:; script-src 'self' https://stats.example; connect-src 'self' https://stats.example"
    );
    assert_eq!(widen_policy("script-src 'none'", &origins), "script-src https://stats.example");
    assert_eq!(widen_policy(policy, &[]), policy);
}

#[test]
fn addresses_are_https_or_paths_inside_the_site() {
    for bad in ["/logo.svg", "../logo.svg", "//cdn.example/x.png", "javascript:x", "a b.png", "https://"] {
        let e = err(&format!("logo = {bad:?}\n"));
        assert!(e.starts_with("site.toml:1:8: logo: "), "{bad}: {e}");
    }
    for good in ["images/logo.svg", "https://cdn.example/logo.png", "logo.png?v=2"] {
        assert_eq!(
            parse(&format!("logo = {good:?}\n"), "t").unwrap_or_else(|e| panic!("{e}")).logo.as_deref(),
            Some(good)
        );
    }
}

#[test]
fn a_picture_named_by_path_must_be_in_the_content_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join(FILE), "title = \"t\"\nshare_image = \"images/share.png\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let e = load(dir.path()).map(|_| ()).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("site.toml:2:15: share_image: images/share.png is not a file"), "{e}");
    std::fs::create_dir(dir.path().join("images")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("images/share.png"), b"png").unwrap_or_else(|e| panic!("{e}"));
    assert!(load(dir.path()).is_ok_and(|c| c.is_some()));
    assert!(load(&dir.path().join("nothing")).is_ok_and(|c| c.is_none()));
}

#[test]
fn lists_are_bounded() {
    let many: String = (0..51).map(|i| format!("[[nav]]\ntitle = \"l{i}\"\nurl = \"a.html\"\n")).collect();
    assert!(err(&many).contains("nav: 51 links; at most 50"));
}
