//! The archive search, in a worker of its own (`archive-worker.js`): the page loads it only when
//! it opens an archive, so no reader of an ordinary page downloads the engine, and fetching,
//! inflating and intersecting sets of a million entries never holds up the page's thread.
//!
//! Messages (plain objects, no JSON on the page's side):
//! - in: `{ id, manifest, q, tags, authors, sort, offset, limit, counts }` — `manifest` is
//!   absolute; `counts` asks for the facet counts even when they cost more files;
//! - out: `{ id, total, all, counted, tags: [[name, n]…], authors: [[name, n]…], hits: [json…] }`
//!   (`all`: entries in the archive),
//!   or `{ id, error, url }` when a file could not be fetched, or the engine refused it (a
//!   corrupt or forged index: the worker then forgets what it had read, so a retry starts
//!   afresh), or `{ alive }` after each round of fetches (the page takes silence for a hang).
//!
//! A question for another request than the newest stops at its next fetch: the reader typed
//! on. Questions for the newest request (its next page, its facet counts) all go on.

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Array, Function, Object, Reflect, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Response};

    use article_viewer_archive::{Archive, Corrupt, Page, Step};
    use article_viewer_core::search::{Request, Sort};
    use article_viewer_core::urls::{origin_of, resolve};

    #[derive(Default)]
    struct State {
        /// The open archive and the manifest address it came from.
        archive: Option<(String, Archive)>,
        /// The newest request: questions for others give up.
        newest: Request,
        /// Something failed: fetches revalidate what the browser cached.
        revalidate: bool,
    }

    struct Query {
        id: f64,
        manifest: String,
        request: Request,
        offset: usize,
        limit: usize,
        counts: bool,
    }

    fn field(o: &JsValue, name: &str) -> JsValue {
        Reflect::get(o, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    fn strings(v: JsValue) -> Vec<String> {
        v.dyn_into::<Array>().map(|a| a.iter().filter_map(|s| s.as_string()).collect()).unwrap_or_default()
    }

    fn read(data: &JsValue) -> Query {
        let num = |name: &str| field(data, name).as_f64().unwrap_or(0.0);
        Query {
            id: num("id"),
            manifest: field(data, "manifest").as_string().unwrap_or_default(),
            request: Request {
                query: field(data, "q").as_string().unwrap_or_default(),
                tags: strings(field(data, "tags")),
                authors: strings(field(data, "authors")),
                sort: field(data, "sort").as_string().and_then(|s| Sort::parse(&s)).unwrap_or_default(),
                // The archive answers the query as typed (no other input mode).
                as_typed: true,
            },
            offset: num("offset") as usize,
            limit: (num("limit") as usize).clamp(1, 100),
            counts: field(data, "counts").as_bool().unwrap_or(true),
        }
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn set(o: &Object, name: &str, v: &JsValue) {
        let _ = Reflect::set(o, &JsValue::from_str(name), v);
    }

    fn pairs(list: &[(String, usize)]) -> Array {
        list.iter().map(|(n, c)| Array::of2(&JsValue::from_str(n), &JsValue::from_f64(*c as f64))).collect()
    }

    fn answer(id: f64, page: &Page, all: usize) {
        let o = Object::new();
        set(&o, "id", &JsValue::from_f64(id));
        set(&o, "total", &JsValue::from_f64(page.total as f64));
        set(&o, "all", &JsValue::from_f64(all as f64));
        set(&o, "counted", &JsValue::from_bool(page.counted));
        set(&o, "tags", &pairs(&page.tag_counts));
        set(&o, "authors", &pairs(&page.author_counts));
        let hits: Array = page.hits.iter().map(|h| JsValue::from_str(&h.json)).collect();
        set(&o, "hits", &hits);
        let _ = scope().post_message(&o);
    }

    fn failure(id: f64, error: &str, url: &str) {
        let o = Object::new();
        set(&o, "id", &JsValue::from_f64(id));
        set(&o, "error", &JsValue::from_str(error));
        set(&o, "url", &JsValue::from_str(url));
        let _ = scope().post_message(&o);
    }

    /// The most an index file may inflate to (the largest, a facet column of 65,536 entries,
    /// is a few MB): a file that inflates further is refused, not held.
    const MAX_FILE: usize = 64 << 20;
    /// A fetch that has not finished in this many seconds fails (as the page's own loads do).
    /// Whole seconds: formatting a float would cost the worker kilobytes.
    const TIMEOUT_S: u32 = 30;
    /// Rounds of fetching one question may take: the engine names what it needs in a few;
    /// more means a corrupt or hostile index.
    const MAX_ROUNDS: usize = 64;

    fn call(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, String> {
        let f = field(target, method).dyn_into::<Function>().map_err(|_| format!("no {method}"))?;
        f.apply(target, args).map_err(|_| format!("{method} failed"))
    }

    /// Starts fetching `url`, to fail after `TIMEOUT_S` (`AbortSignal.timeout`); `fresh`: asks
    /// the host whether a copy the browser cached is still current (after a failure).
    fn get(url: &str, fresh: bool) -> Result<js_sys::Promise, String> {
        let global = js_sys::global();
        let init = Object::new();
        if fresh {
            set(&init, "cache", &JsValue::from_str("no-cache"));
        }
        if let Ok(signal) =
            call(&field(&global, "AbortSignal"), "timeout", &Array::of1(&JsValue::from(TIMEOUT_S * 1000)))
        {
            set(&init, "signal", &signal);
        }
        Ok(call(&global, "fetch", &Array::of2(&JsValue::from_str(url), &init))?.unchecked_into())
    }

    /// A file of the archive, fetched and inflated (every file is one gzip member; the
    /// browser's own `DecompressionStream` inflates it, so the worker carries no inflater).
    async fn fetch(url: &str, fresh: bool) -> Result<Vec<u8>, String> {
        inflate(get(url, fresh)?, url).await
    }

    /// The body of a fetch of `url` already under way, inflated. A redirect to another origin
    /// is refused: the index is read only from where the collection pointed.
    async fn inflate(request: js_sys::Promise, url: &str) -> Result<Vec<u8>, String> {
        let response: Response = JsFuture::from(request).await.map_err(|e| reason(&e))?.unchecked_into();
        if !response.ok() {
            return Err(format!("HTTP {}", response.status()));
        }
        if response.redirected() && origin_of(&response.url()) != origin_of(url) {
            return Err("redirected elsewhere".into());
        }
        let body: JsValue = response.body().ok_or("empty")?.into();
        let inflater = Reflect::construct(
            &field(&js_sys::global(), "DecompressionStream")
                .dyn_into::<Function>()
                .map_err(|_| "no DecompressionStream")?,
            &Array::of1(&JsValue::from_str("gzip")),
        )
        .map_err(|_| "gzip")?;
        let inflated = call(&body, "pipeThrough", &Array::of1(&inflater))?;
        let reader = call(&inflated, "getReader", &Array::new())?;
        let mut out = Vec::new();
        loop {
            let read: js_sys::Promise = call(&reader, "read", &Array::new())?.unchecked_into();
            // A body cut off, too slow, or not gzip.
            let chunk = JsFuture::from(read).await.map_err(|e| reason(&e))?;
            if field(&chunk, "done").as_bool() != Some(false) {
                return Ok(out);
            }
            let bytes: Uint8Array = field(&chunk, "value").dyn_into().map_err(|_| "read")?;
            let at = out.len();
            if at + bytes.length() as usize > MAX_FILE {
                let _ = call(&reader, "cancel", &Array::new());
                return Err(format!("over {} MB inflated", MAX_FILE >> 20));
            }
            out.resize(at + bytes.length() as usize, 0);
            bytes.copy_to(&mut out[at..]);
        }
    }

    /// Why a fetch or a read was rejected, in the browser's words: its time limit, the network
    /// ("Failed to fetch"), or a body that is not gzip.
    fn reason(e: &JsValue) -> String {
        if field(e, "name").as_string().as_deref() == Some("TimeoutError") {
            return format!("no answer in {TIMEOUT_S} s");
        }
        field(e, "message").as_string().filter(|m| !m.is_empty()).unwrap_or_else(|| "network".into())
    }

    /// What failed, and the file (or manifest) it was about.
    type Failure = (String, String);

    /// The engine refused what it was given (a forged count, a truncated set): in its words,
    /// which say what was claimed, at the address of the file it names (a bucket refused when
    /// a later step reads it), else of `url`.
    fn refused(e: Corrupt, manifest: &str, url: &str) -> Failure {
        let at = if e.file.is_empty() { url.to_string() } else { resolve(manifest, &e.file) };
        (e.to_string(), at)
    }

    /// Tells the page the worker is alive: a question of many rounds on a slow network is
    /// not taken for a hung worker.
    fn alive() {
        let o = Object::new();
        set(&o, "alive", &JsValue::TRUE);
        let _ = scope().post_message(&o);
    }

    async fn handle(state: Rc<RefCell<State>>, q: Query) {
        match ask(&state, &q).await {
            Ok(Some((page, all))) => answer(q.id, &page, all),
            // Given up: the reader typed on.
            Ok(None) => {}
            Err((why, url)) => {
                // Nothing read before a failure is trusted after it: the next question opens
                // the archive again and revalidates what it fetches, so "try again" reads the
                // host's files as they are now, not a refused file the engine or the HTTP
                // cache kept.
                let mut s = state.borrow_mut();
                s.archive = None;
                s.revalidate = true;
                drop(s);
                failure(q.id, &why, &url);
            }
        }
    }

    /// One question, round after round: open the archive if it is not, ask the engine, fetch
    /// what it names. `None`: given up for a newer request.
    async fn ask(state: &Rc<RefCell<State>>, q: &Query) -> Result<Option<(Page, usize)>, Failure> {
        for round in 0..MAX_ROUNDS {
            if round > 0 {
                alive();
            }
            if state.borrow().newest != q.request {
                return Ok(None);
            }
            let fresh = state.borrow().revalidate;
            let step = {
                let mut s = state.borrow_mut();
                s.archive.as_mut().filter(|(url, _)| *url == q.manifest).map(|(_, a)| {
                    let step = if q.counts {
                        a.search(&q.request, q.offset, q.limit)
                    } else {
                        a.search_hits(&q.request, q.offset, q.limit)
                    };
                    (step, a.len())
                })
            };
            let Some((step, all)) = step else {
                let bytes = fetch(&q.manifest, fresh).await.map_err(|e| (e, q.manifest.clone()))?;
                let a = Archive::open(&bytes).map_err(|e| refused(e, &q.manifest, &q.manifest))?;
                let mut s = state.borrow_mut();
                // Two questions may have fetched it at once: the first one opened stays.
                if s.archive.as_ref().is_none_or(|(url, _)| *url != q.manifest) {
                    s.archive = Some((q.manifest.clone(), a));
                }
                continue;
            };
            let files = match step.map_err(|e| refused(e, &q.manifest, &q.manifest))? {
                Step::Done(page) => return Ok(Some((page, all))),
                Step::Need(files) => files,
            };
            // Every file the step names, requested at once, then read in turn.
            let urls: Vec<String> = files.iter().map(|f| resolve(&q.manifest, f)).collect();
            let requests =
                urls.iter().map(|u| get(u, fresh).map_err(|e| (e, u.clone()))).collect::<Result<Vec<_>, _>>()?;
            for ((name, url), request) in files.iter().zip(&urls).zip(requests) {
                let bytes = inflate(request, url).await.map_err(|e| (e, url.clone()))?;
                let mut s = state.borrow_mut();
                // Dropped meanwhile (another question failed): the next round opens it again.
                let Some((_, archive)) = s.archive.as_mut().filter(|(u, _)| *u == q.manifest) else { break };
                archive.provide(name, bytes).map_err(|e| refused(e, &q.manifest, url))?;
            }
        }
        // The engine names what it needs in a few rounds: more means a forged index.
        Err((format!("corrupt: over {MAX_ROUNDS} rounds"), q.manifest.clone()))
    }

    pub fn run() {
        let state = Rc::new(RefCell::new(State::default()));
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let q = read(&e.data());
            state.borrow_mut().newest = q.request.clone();
            wasm_bindgen_futures::spawn_local(handle(state.clone(), q));
        });
        scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        // The handler lives as long as the worker does.
        onmessage.forget();
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("archive-worker runs in the browser, started by the viewer for an archive.");
}

/// The worker's own allocator, as the page's (docs/design/size.md).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
