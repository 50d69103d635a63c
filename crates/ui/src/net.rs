//! All network access: fetch one document with a time limit and a size limit, decode it
//! as UTF-8 and parse it. Views never fetch for themselves.

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use web_sys::{AbortController, RequestCredentials};

use crate::format::{parse_document, Parsed, LIMITS};
use crate::source::LoadError;

/// A document and the address it actually came from (after redirects): its relative links
/// resolve against that address.
pub struct Loaded {
    pub url: String,
    pub parsed: Parsed,
}

/// Loads the document at `url`. A redirect may end anywhere, so the address the response came
/// from must pass `allowed` too (the same policy that let `url` be asked for).
pub async fn load(
    url: &str,
    timeout_seconds: u32,
    allowed: impl Fn(&str) -> Result<(), LoadError>,
) -> Result<Loaded, LoadError> {
    let (bytes, url) = fetch_bytes(url, timeout_seconds, allowed).await?;
    let text = String::from_utf8(bytes)
        .map_err(|e| LoadError::NotUtf8 { url: url.clone(), at: e.utf8_error().valid_up_to() })?;
    match parse_document(&text) {
        Ok(parsed) => Ok(Loaded { url, parsed }),
        Err(error) => Err(LoadError::Format { url, error }),
    }
}

async fn fetch_bytes(
    url: &str,
    timeout_seconds: u32,
    allowed: impl Fn(&str) -> Result<(), LoadError>,
) -> Result<(Vec<u8>, String), LoadError> {
    let controller = AbortController::new().ok();
    let signal = controller.as_ref().map(AbortController::signal);
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let timer = {
        let timed_out = timed_out.clone();
        let controller = controller.clone();
        Timeout::new(timeout_seconds.saturating_mul(1000), move || {
            timed_out.set(true);
            if let Some(c) = controller {
                c.abort();
            }
        })
    };
    let failed = |url: &str| {
        if timed_out.get() {
            LoadError::Timeout { url: url.to_string(), seconds: timeout_seconds }
        } else {
            LoadError::Network { url: url.to_string() }
        }
    };
    let abort = || {
        if let Some(c) = &controller {
            c.abort();
        }
    };
    let limit = LIMITS.document_bytes as u64;
    let response = Request::get(url)
        // Cookies go only to the page's own origin, never to a document host elsewhere.
        .credentials(RequestCredentials::SameOrigin)
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|_| failed(url))?;
    // Where the answer came from: the requested address unless the server redirected.
    let from = Some(response.url()).filter(|u| !u.is_empty()).unwrap_or_else(|| url.to_string());
    if from != url {
        if let Err(refused) = allowed(&from) {
            abort();
            return Err(refused);
        }
    }
    if !response.ok() {
        return Err(LoadError::Status { url: from, code: response.status(), text: response.status_text() });
    }
    let declared = response.headers().get("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(bytes) = declared.filter(|b| *b > limit) {
        abort();
        return Err(LoadError::TooLarge { url: from, bytes, limit });
    }
    let bytes = response.binary().await.map_err(|_| failed(&from))?;
    timer.cancel();
    if bytes.len() as u64 > limit {
        return Err(LoadError::TooLarge { url: from, bytes: bytes.len() as u64, limit });
    }
    Ok((bytes, from))
}
