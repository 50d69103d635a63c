//! All network access: fetch one document with a time limit and a size limit, decode it
//! as UTF-8 and parse it. Views never fetch for themselves.

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use web_sys::{AbortController, RequestCredentials};

use crate::format::{parse_document, Parsed, LIMITS};
use crate::source::LoadError;

/// How long a document may take, start to last byte, before the viewer gives up.
pub const TIMEOUT_SECONDS: u32 = 20;

pub async fn load(url: &str, timeout_seconds: u32) -> Result<Parsed, LoadError> {
    let bytes = fetch_bytes(url, timeout_seconds).await?;
    let text = String::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
        url: url.to_string(),
        at: e.utf8_error().valid_up_to(),
    })?;
    parse_document(&text).map_err(|error| LoadError::Format { url: url.to_string(), error })
}

async fn fetch_bytes(url: &str, timeout_seconds: u32) -> Result<Vec<u8>, LoadError> {
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
    let limit = LIMITS.document_bytes as u64;
    let response = Request::get(url)
        // Cookies go only to the page's own origin, never to a document host elsewhere.
        .credentials(RequestCredentials::SameOrigin)
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|_| failed(url))?;
    if !response.ok() {
        return Err(LoadError::Status {
            url: url.to_string(),
            code: response.status(),
            text: response.status_text(),
        });
    }
    let declared = response.headers().get("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(bytes) = declared.filter(|b| *b > limit) {
        if let Some(c) = &controller {
            c.abort();
        }
        return Err(LoadError::TooLarge { url: url.to_string(), bytes, limit });
    }
    let bytes = response.binary().await.map_err(|_| failed(url))?;
    timer.cancel();
    if bytes.len() as u64 > limit {
        return Err(LoadError::TooLarge { url: url.to_string(), bytes: bytes.len() as u64, limit });
    }
    Ok(bytes)
}
