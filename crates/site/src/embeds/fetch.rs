//! Embeds' posters and titles, fetched at build time where the provider makes them public
//! (YouTube's thumbnail and oEmbed title, Vimeo's oEmbed title and thumbnail; X and Instagram
//! have none) and kept in the content folder's cache, `.article-viewer-cache/embeds/`: a record
//! per embed (`youtube-<id>.json`) and the posters by their content's hash. A later build reads
//! the records and fetches nothing it has; `--offline` (and `serve`) fetch nothing at all.
//!
//! Fetching is best effort: short timeouts, small size limits, a poster must be a JPEG, PNG or
//! WebP. A failure is the caller's warning, and nothing is recorded (the next build tries again).
//!
//! For tests and mirrors, [`MIRROR`] (an environment variable) replaces `https://<host>` of
//! every address fetched with `<mirror>/<host>`.

use std::path::Path;
use std::time::Duration;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Embed, Found, Poster, Provider};

/// The cache folder, inside the content folder (hidden: never published).
pub const CACHE: &str = ".article-viewer-cache/embeds";

/// The environment variable naming a mirror of the providers (for tests and mirrors):
/// `http://127.0.0.1:8080` fetches `http://127.0.0.1:8080/i.ytimg.com/vi/<id>/hqdefault.jpg`.
pub const MIRROR: &str = "ARTICLE_VIEWER_EMBED_MIRROR";

/// How long one request may take, all of it.
const TIMEOUT: Duration = Duration::from_secs(5);
const MAX_JSON: u64 = 64 * 1024;
const MAX_POSTER: u64 = 2 * 1024 * 1024;
const MAX_SIDE: usize = 4096;
const MAX_TITLE: usize = 200;

/// Whether a build may fetch what its cache lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetch {
    Network,
    /// The cache only (`build --offline`, `serve`): an embed it lacks has no poster.
    CacheOnly,
}

/// An embed's record in the cache.
#[derive(Serialize, Deserialize)]
struct Record {
    title: Option<String>,
    /// The poster's file in the cache.
    poster: Option<String>,
    width: u32,
    height: u32,
}

/// Each embed with what the cache has or the providers gave; an error says why an embed has
/// neither. Fetches run together.
pub fn look_up(embeds: &[Embed], cache: &Path, how: Fetch) -> Vec<(Embed, Result<Found, String>)> {
    look_up_at(embeds, cache, how, std::env::var(MIRROR).ok().as_deref())
}

/// [`look_up`] through `mirror` (an http(s) address; anything else is ignored).
pub(super) fn look_up_at(
    embeds: &[Embed],
    cache: &Path,
    how: Fetch,
    mirror: Option<&str>,
) -> Vec<(Embed, Result<Found, String>)> {
    let mirror = mirror.map(|m| m.trim().trim_end_matches('/').to_string()).filter(|m| {
        let lower = m.to_ascii_lowercase();
        lower.starts_with("http://") || lower.starts_with("https://")
    });
    let client = Client::new(mirror);
    embeds
        .par_iter()
        .map(|e| {
            let result = match cached(e, cache) {
                Some(found) => Ok(found),
                None if how == Fetch::CacheOnly || !has_poster(e.provider) => Ok(Found::default()),
                None => client.fetch(e).and_then(|record| store(e, record, cache)),
            };
            (e.clone(), result)
        })
        .collect()
}

/// Whether the provider publishes a poster and title without an account.
fn has_poster(p: Provider) -> bool {
    matches!(p, Provider::YouTube | Provider::Vimeo)
}

fn record_name(e: &Embed) -> String {
    format!("{}-{}.json", e.provider.key(), e.id)
}

/// What the cache has for `e` (its record, and its poster when the file is there).
fn cached(e: &Embed, cache: &Path) -> Option<Found> {
    let text = std::fs::read_to_string(cache.join(record_name(e))).ok()?;
    let r: Record = serde_json::from_str(&text).ok()?;
    let poster = match r.poster {
        Some(file) if is_poster_name(&file) && cache.join(&file).is_file() => {
            Some(Poster { file, width: r.width, height: r.height })
        }
        Some(_) => return None,
        None => None,
    };
    Some(Found { title: r.title.as_deref().and_then(clean_title), poster })
}

/// A poster's name as this program writes it: hex, a dot, an extension.
fn is_poster_name(file: &str) -> bool {
    let Some((hash, ext)) = file.split_once('.') else { return false };
    !hash.is_empty() && hash.chars().all(|c| c.is_ascii_hexdigit()) && matches!(ext, "jpg" | "png" | "webp")
}

/// A fetched poster (its bytes) and title, not yet stored.
struct Fetched {
    title: Option<String>,
    poster: Vec<u8>,
}

/// Stores the poster under its hash (a file already there has these very bytes) and the
/// record beside it.
fn store(e: &Embed, fetched: Fetched, cache: &Path) -> Result<Found, String> {
    let (ext, width, height) = picture_kind(&fetched.poster)?;
    let hash: String = Sha256::digest(&fetched.poster).iter().take(10).map(|b| format!("{b:02x}")).collect();
    let file = format!("{hash}.{ext}");
    std::fs::create_dir_all(cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    if !cache.join(&file).is_file() {
        write_new(cache, &file, &fetched.poster)?;
    }
    let record = Record { title: fetched.title.clone(), poster: Some(file.clone()), width, height };
    let json = serde_json::to_vec_pretty(&record).map_err(|e| e.to_string())?;
    write_new(cache, &record_name(e), &json)?;
    Ok(Found { title: fetched.title, poster: Some(Poster { file, width, height }) })
}

/// Writes `bytes` at `cache/name` through a temporary file, so no reader sees half of it.
fn write_new(cache: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let temp = cache.join(format!(".{name}.{}.tmp", std::process::id()));
    let path = cache.join(name);
    std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, &path)).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("{}: {e}", path.display())
    })
}

/// A poster's extension and size, read from its header: a JPEG, PNG or WebP of a sane size.
fn picture_kind(bytes: &[u8]) -> Result<(&'static str, u32, u32), String> {
    let ext = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Jpeg) => "jpg",
        Ok(imagesize::ImageType::Png) => "png",
        Ok(imagesize::ImageType::Webp) => "webp",
        _ => return Err("the poster is not a JPEG, PNG or WebP picture".into()),
    };
    let size = imagesize::blob_size(bytes).map_err(|e| format!("the poster cannot be read: {e}"))?;
    if size.width == 0 || size.height == 0 || size.width > MAX_SIDE || size.height > MAX_SIDE {
        return Err(format!("the poster is {} × {} pixels", size.width, size.height));
    }
    Ok((ext, size.width as u32, size.height as u32))
}

/// A provider's title as a facade shows it: one line of text, without control characters, cut
/// at [`MAX_TITLE`] characters; `None` when nothing is left.
pub(super) fn clean_title(title: &str) -> Option<String> {
    let line: String = title.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = line.chars().take(MAX_TITLE).collect();
    (!cut.is_empty()).then_some(cut)
}

/// The HTTP client: one agent, its addresses through the mirror when one is given.
struct Client {
    agent: ureq::Agent,
    mirror: Option<String>,
}

impl Client {
    fn new(mirror: Option<String>) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .max_redirects(3)
            .user_agent(concat!("article-viewer-cli/", env!("CARGO_PKG_VERSION")))
            .build();
        Client { agent: config.into(), mirror }
    }

    /// `https://{host}{path}`, or the mirror's copy of it.
    fn address(&self, host: &str, path: &str) -> String {
        match &self.mirror {
            Some(m) => format!("{m}/{host}{path}"),
            None => format!("https://{host}{path}"),
        }
    }

    fn get(&self, url: &str, limit: u64) -> Result<Vec<u8>, String> {
        let mut response = self.agent.get(url).call().map_err(|e| format!("{url}: {e}"))?;
        response.body_mut().with_config().limit(limit).read_to_vec().map_err(|e| format!("{url}: {e}"))
    }

    fn oembed(&self, host: &str, path: &str) -> Result<serde_json::Value, String> {
        let url = self.address(host, path);
        let bytes = self.get(&url, MAX_JSON)?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{url}: not JSON: {e}"))
    }

    /// The poster and title of a YouTube or Vimeo embed.
    fn fetch(&self, e: &Embed) -> Result<Fetched, String> {
        let id = &e.id;
        match e.provider {
            Provider::YouTube => {
                let page = format!("https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3D{id}");
                let json = self.oembed("www.youtube.com", &format!("/oembed?url={page}&format=json"))?;
                let poster = self.get(&self.address("i.ytimg.com", &format!("/vi/{id}/hqdefault.jpg")), MAX_POSTER)?;
                Ok(Fetched { title: json["title"].as_str().and_then(clean_title), poster })
            }
            Provider::Vimeo => {
                let page = format!("https%3A%2F%2Fvimeo.com%2F{id}");
                let json = self.oembed("vimeo.com", &format!("/api/oembed.json?url={page}"))?;
                // Only Vimeo's own picture host: an answer cannot send the build elsewhere.
                let thumbnail = json["thumbnail_url"].as_str().unwrap_or("");
                let path = thumbnail
                    .strip_prefix("https://i.vimeocdn.com/")
                    .filter(|p| p.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '\\' | '"' | '<' | '>')))
                    .ok_or_else(|| format!("Vimeo's answer names no picture of i.vimeocdn.com ({thumbnail:?})"))?;
                let poster = self.get(&self.address("i.vimeocdn.com", &format!("/{path}")), MAX_POSTER)?;
                Ok(Fetched { title: json["title"].as_str().and_then(clean_title), poster })
            }
            Provider::X | Provider::Instagram => Err("the provider has no public poster".into()),
        }
    }
}
