//! The site's configuration: `site.toml` in the content folder (docs/guide/configuration.md).
//! Every key is optional; without the file a site is built as before (the collection's title,
//! `--site`, Korean pages, no logo, navigation or footer links, no outside scripts).
//!
//! Values are checked here, once, and an error names the file, the line and column, and the
//! key. Script origins are https origins only, written into the pages' Content-Security-Policy
//! as given (`script-src` and `connect-src`), never widening anything else.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::Error;

/// The configuration's name in the content folder (left out of the published site).
pub const FILE: &str = "site.toml";
/// The site's own notes in the content folder (`new` writes one), left out of the site too.
pub const README: &str = "README.md";

/// Limits that keep a page's chrome and policy small whatever the file says.
const MAX_LINKS: usize = 50;
const MAX_SCRIPTS: usize = 20;
const MAX_TEXT: usize = 300;
const MAX_DESCRIPTION: usize = 1000;

/// A checked configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    /// The pages' language when a document names none (a BCP 47 tag such as `ko`, `en-GB`).
    pub language: Option<String>,
    /// Where the site is published (`--site` overrides it), as written.
    pub base_url: Option<String>,
    /// An https address, or a path inside the content folder.
    pub logo: Option<String>,
    /// The picture link previews show for a page without one of its own (as `logo`).
    pub share_image: Option<String>,
    pub nav: Vec<Link>,
    pub footer: Vec<Link>,
    /// `https://host[:port]` origins added to `script-src` and `connect-src`.
    pub script_origins: Vec<String>,
    /// Scripts every page loads (`<script defer src>`), each from one of `script_origins`.
    pub scripts: Vec<String>,
    /// Tags that are the site's sections: each has its pages (as every tag has) and a link in
    /// the site's header, in this order.
    pub sections: Vec<String>,
    /// The providers whose embeds play in the page (their frames' origins go into the pages'
    /// `frame-src`); any other provider's embed stays a link to it.
    pub embeds: Vec<crate::embeds::Provider>,
}

/// A link in the navigation or the footer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    /// An http(s) address, or a path inside the site (`index.html`, `articles/about.html`).
    pub url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
    share_image: Option<Spanned<String>>,
    nav: Option<Spanned<Vec<RawLink>>>,
    footer: Option<Spanned<Vec<RawLink>>>,
    scripts: Option<RawScripts>,
    sections: Option<Spanned<Vec<String>>>,
    embeds: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    title: Spanned<String>,
    url: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScripts {
    origins: Option<Spanned<Vec<Spanned<String>>>>,
    src: Option<Spanned<Vec<Spanned<String>>>>,
}

/// Reads `site.toml` from the content folder; `None` when there is none. Files the
/// configuration names (logo, share picture) must be in the folder.
pub fn load(content: &Path) -> Result<Option<SiteConfig>, Error> {
    let path = content.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Io { path, source }),
    };
    let shown = path.display().to_string();
    let config = parse(&text, &shown)?;
    check_files(&text, &shown, content)?;
    Ok(Some(config))
}

/// Parses and checks a configuration's text; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<SiteConfig, Error> {
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim();
        match key_at(text, span.start) {
            Some(key) => malformed(text, file, &span, format!("{key}: {message}")),
            None => malformed(text, file, &span, message.to_string()),
        }
    })?;
    let at = |span: &Range<usize>, key: &str, why: String| malformed(text, file, span, format!("{key}: {why}"));
    let text_value = |v: &Option<Spanned<String>>, key: &str, max: usize| -> Result<Option<String>, Error> {
        v.as_ref().map(|v| plain_text(v.get_ref(), max).map_err(|why| at(&v.span(), key, why))).transpose()
    };
    let mut config = SiteConfig {
        title: text_value(&raw.title, "title", MAX_TEXT)?,
        description: text_value(&raw.description, "description", MAX_DESCRIPTION)?,
        ..SiteConfig::default()
    };
    if let Some(v) = &raw.language {
        config.language = Some(language(v.get_ref()).map_err(|why| at(&v.span(), "language", why))?);
    }
    if let Some(v) = &raw.base_url {
        config.base_url = Some(crate::site_url(v.get_ref()).map_err(|_| {
            at(
                &v.span(),
                "base_url",
                format!(
                    "{:?}: give the absolute http(s) address the site is published at, e.g. https://news.example/",
                    v.get_ref()
                ),
            )
        })?);
    }
    for (v, key, slot) in
        [(&raw.logo, "logo", &mut config.logo), (&raw.share_image, "share_image", &mut config.share_image)]
    {
        if let Some(v) = v {
            *slot = Some(address(v.get_ref()).map_err(|why| at(&v.span(), key, why))?);
        }
    }
    config.nav = links(&raw.nav, "nav", &at)?;
    config.footer = links(&raw.footer, "footer", &at)?;
    config.sections = sections(&raw.sections, &at)?;
    if let Some(list) = &raw.embeds {
        config.embeds = embed_providers(list.get_ref(), &at)?;
    }
    if let Some(s) = &raw.scripts {
        (config.script_origins, config.scripts) = scripts(s, &at)?;
    }
    Ok(config)
}

/// Section tags: plain text, each a different tag (as the tag pages fold names).
fn sections(
    raw: &Option<Spanned<Vec<String>>>,
    at: &impl Fn(&Range<usize>, &str, String) -> Error,
) -> Result<Vec<String>, Error> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    if raw.get_ref().len() > MAX_LINKS {
        return Err(at(&raw.span(), "sections", format!("{} sections; at most {MAX_LINKS}", raw.get_ref().len())));
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.get_ref().len());
    for (i, tag) in raw.get_ref().iter().enumerate() {
        let key = format!("sections[{i}]");
        let tag = plain_text(tag, MAX_TEXT).map_err(|why| at(&raw.span(), &key, why))?;
        let folded = article_viewer_core::site::facet_folded(&tag);
        if let Some(j) = out.iter().position(|t| article_viewer_core::site::facet_folded(t) == folded) {
            return Err(at(&raw.span(), &key, format!("{tag:?} is the same tag as sections[{j}]")));
        }
        out.push(tag);
    }
    Ok(out)
}

/// The providers whose embeds play in the page, by name (`"youtube"`), each once.
fn embed_providers(
    raw: &[Spanned<String>],
    at: &impl Fn(&Range<usize>, &str, String) -> Error,
) -> Result<Vec<crate::embeds::Provider>, Error> {
    use crate::embeds::Provider;
    let mut out = Vec::new();
    for (i, name) in raw.iter().enumerate() {
        let provider = Provider::from_key(name.get_ref().trim()).ok_or_else(|| {
            let known: Vec<String> = Provider::ALL.iter().map(|p| format!("{:?}", p.key())).collect();
            at(
                &name.span(),
                &format!("embeds[{i}]"),
                format!("{:?}: not a provider; write {}", name.get_ref(), known.join(", ")),
            )
        })?;
        if !out.contains(&provider) {
            out.push(provider);
        }
    }
    Ok(out)
}

fn links(
    raw: &Option<Spanned<Vec<RawLink>>>,
    key: &str,
    at: &impl Fn(&Range<usize>, &str, String) -> Error,
) -> Result<Vec<Link>, Error> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    if raw.get_ref().len() > MAX_LINKS {
        return Err(at(&raw.span(), key, format!("{} links; at most {MAX_LINKS}", raw.get_ref().len())));
    }
    let mut out = Vec::with_capacity(raw.get_ref().len());
    for (i, link) in raw.get_ref().iter().enumerate() {
        let title = plain_text(link.title.get_ref(), MAX_TEXT)
            .map_err(|why| at(&link.title.span(), &format!("{key}[{i}].title"), why))?;
        let url = address(link.url.get_ref()).map_err(|why| at(&link.url.span(), &format!("{key}[{i}].url"), why))?;
        out.push(Link { title, url });
    }
    Ok(out)
}

fn scripts(
    raw: &RawScripts,
    at: &impl Fn(&Range<usize>, &str, String) -> Error,
) -> Result<(Vec<String>, Vec<String>), Error> {
    let none = Spanned::new(0..0, Vec::new());
    let (raw_origins, raw_src) = (raw.origins.as_ref().unwrap_or(&none), raw.src.as_ref().unwrap_or(&none));
    for (list, key) in [(raw_origins, "scripts.origins"), (raw_src, "scripts.src")] {
        if list.get_ref().len() > MAX_SCRIPTS {
            return Err(at(&list.span(), key, format!("{} entries; at most {MAX_SCRIPTS}", list.get_ref().len())));
        }
    }
    let mut origins = Vec::new();
    for (i, o) in raw_origins.get_ref().iter().enumerate() {
        let origin = https_origin(o.get_ref()).map_err(|why| at(&o.span(), &format!("scripts.origins[{i}]"), why))?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    let mut src = Vec::new();
    for (i, s) in raw_src.get_ref().iter().enumerate() {
        let key = format!("scripts.src[{i}]");
        let url = s.get_ref().trim();
        let origin = url
            .strip_prefix("https://")
            .map(|rest| format!("https://{}", rest.split(['/', '?', '#']).next().unwrap_or("")))
            .ok_or_else(|| at(&s.span(), &key, format!("{url:?}: a script's address must be https://…")))?;
        let origin = https_origin(&origin).map_err(|why| at(&s.span(), &key, why))?;
        if url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\')) {
            return Err(at(&s.span(), &key, format!("{url:?}: spaces, quotes and angle brackets are not allowed")));
        }
        if !origins.contains(&origin) {
            return Err(at(&s.span(), &key, format!("{origin} is not in scripts.origins; add it there")));
        }
        src.push(url.to_string());
    }
    Ok((origins, src))
}

/// A line of text: trimmed, not empty, without control characters, at most `max` characters.
fn plain_text(v: &str, max: usize) -> Result<String, String> {
    let v = v.trim();
    if v.is_empty() {
        return Err("empty; leave the key out instead".into());
    }
    if v.chars().any(|c| c.is_control() && c != '\n') {
        return Err("control characters are not allowed".into());
    }
    if v.chars().count() > max {
        return Err(format!("{} characters; at most {max}", v.chars().count()));
    }
    Ok(v.to_string())
}

/// A BCP 47 language tag's shape: `ko`, `en-GB`, `zh-Hant-TW`.
fn language(v: &str) -> Result<String, String> {
    let v = v.trim();
    let mut parts = v.split('-');
    let primary = parts.next().unwrap_or("");
    let ok = (2..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(v.to_string())
    } else {
        Err(format!("{v:?}: not a language tag; write e.g. \"ko\", \"en\" or \"en-GB\""))
    }
}

/// An https address, or a path inside the site: no other scheme, no `//host`, no `..`, no
/// leading `/` (the site may be published below a folder).
fn address(v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.is_empty() {
        return Err("empty".into());
    }
    if v.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')) {
        return Err(format!("{v:?}: spaces, quotes, backslashes and angle brackets are not allowed"));
    }
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return if v.split("//").nth(1).is_some_and(|rest| !rest.is_empty() && !rest.starts_with(['/', '?', '#'])) {
            Ok(v.to_string())
        } else {
            Err(format!("{v:?}: the address has no host"))
        };
    }
    let path = v.split(['?', '#']).next().unwrap_or(v);
    if path.contains(':') {
        return Err(format!("{v:?}: give an http(s) address or a path inside the site"));
    }
    if v.starts_with('/') {
        return Err(format!("{v:?}: write the path without the leading / (relative to the site's root)"));
    }
    if path.split('/').any(|s| s == "..") {
        return Err(format!("{v:?}: a path may not leave the site (..)"));
    }
    Ok(v.to_string())
}

/// `https://host[:port]`, lowercase: the only form allowed into the policy.
fn https_origin(v: &str) -> Result<String, String> {
    let raw = v.trim();
    let rest = raw
        .strip_prefix("https://")
        .ok_or_else(|| format!("{raw:?}: an origin must be https://host (no other scheme, no wildcard)"))?;
    let rest = rest.strip_suffix('/').unwrap_or(rest).to_ascii_lowercase();
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest.as_str(), None),
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let host_ok = host.len() <= 253 && host.contains('.') && host.split('.').all(label_ok);
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.parse::<u16>().is_ok_and(|n| n > 0));
    if !host_ok || !port_ok {
        return Err(format!("{raw:?}: not an origin; write https://host or https://host:port, without a path"));
    }
    Ok(format!("https://{rest}"))
}

/// A configured picture that is a path must be a file of the content folder.
fn check_files(text: &str, file: &str, content: &Path) -> Result<(), Error> {
    let raw: Raw = toml::from_str(text).map_err(|e| malformed(text, file, &e.span().unwrap_or(0..0), e.to_string()))?;
    for (v, key) in [(&raw.logo, "logo"), (&raw.share_image, "share_image")] {
        let Some(v) = v else { continue };
        let path = v.get_ref().trim();
        if is_absolute(path) {
            continue;
        }
        let local = path.split(['?', '#']).next().unwrap_or(path);
        if !content.join(local).is_file() {
            return Err(malformed(
                text,
                file,
                &v.span(),
                format!("{key}: {local} is not a file of the content folder {}", content.display()),
            ));
        }
    }
    Ok(())
}

/// Whether a configured address is an http(s) one (else a path inside the site).
pub fn is_absolute(v: &str) -> bool {
    let lower = v.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The key written at (or last before) a byte offset, as the errors name keys: `title`,
/// `nav[1].url`, `scripts.origins`; the table itself (`nav[1]`) on its header line. Read from
/// the lines, for the parser's own errors (a value of the wrong type, a duplicate key), which
/// give only a place.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let mut table: Option<String> = None;
    let mut key: Option<String> = None;
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if start > offset {
            break;
        }
        start += line.len();
        let line = line.trim();
        if let Some(name) = line.strip_prefix("[[").and_then(|l| l.split("]]").next()) {
            let name = name.trim().to_string();
            let n = match counts.iter_mut().find(|(t, _)| *t == name) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    counts.push((name.clone(), 0));
                    0
                }
            };
            table = Some(format!("{name}[{n}]"));
            key = None;
        } else if let Some(name) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            table = Some(name.trim().to_string());
            key = None;
        } else if let Some((k, _)) = line.split_once('=').filter(|_| !line.starts_with('#')) {
            let k = k.trim();
            if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
                key = Some(k.to_string());
            }
        }
    }
    match (table, key) {
        (Some(t), Some(k)) => Some(format!("{t}.{k}")),
        (t, k) => t.or(k),
    }
}

/// An error at a byte range of the file, as 1-based line and column (in characters).
fn malformed(text: &str, file: &str, span: &Range<usize>, message: String) -> Error {
    let start = span.start.min(text.len());
    let start = (0..=start).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Error::Malformed { path: file.to_string(), line, column, message }
}

/// The policy with `origins` added to `script-src` and `connect-src`. A directive the policy
/// leaves to `default-src` gets `default-src`'s sources and the origins; a policy without
/// either leaves those requests unrestricted already and is returned as it is.
pub fn widen_policy(policy: &str, origins: &[String]) -> String {
    if origins.is_empty() {
        return policy.to_string();
    }
    let mut directives: Vec<Vec<String>> = policy
        .split(';')
        .map(|d| d.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|d| !d.is_empty())
        .collect();
    let default = directives.iter().find(|d| d[0].eq_ignore_ascii_case("default-src")).cloned();
    for name in ["script-src", "connect-src"] {
        let index = match directives.iter().position(|d| d[0].eq_ignore_ascii_case(name)) {
            Some(i) => i,
            None => match &default {
                Some(default) => {
                    let mut d = default.clone();
                    d[0] = name.to_string();
                    directives.push(d);
                    directives.len() - 1
                }
                None => continue,
            },
        };
        let directive = &mut directives[index];
        directive.retain(|s| !s.eq_ignore_ascii_case("'none'"));
        for o in origins {
            if !directive.iter().skip(1).any(|s| s == o) {
                directive.push(o.clone());
            }
        }
    }
    directives.iter().map(|d| d.join(" ")).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests;
