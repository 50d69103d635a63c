//! An archive's search: a collection too large to load whole is searched through its static
//! index by a worker (`src/worker.rs`) that fetches the index files a query needs; the
//! collection view shows its answers with the same filter bar, cards and paging as a
//! collection's. The page holds only what it shows: no index, no entries beyond the pages drawn.

use std::rc::Rc;

use gloo_events::EventListener;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};
use yew::prelude::*;

use crate::format::{parse_summary, Collection, Summary};
use crate::listing::PAGE_SIZE;
use crate::search::Request;
use crate::urls::resolve;

/// The worker's script, beside the app's own files (trunk's loader for `src/worker.rs`).
pub const WORKER: &str = "archive-worker_loader.js";

/// The address of `c`'s archive index (relative to the collection at `base`), when the app can
/// search it: an index version it reads, and the worker's folder known (`Config::assets`).
pub(super) fn archive_of(c: &Collection, base: &str, assets: Option<&str>) -> Option<String> {
    let a = c.archive.as_ref().filter(|a| a.version == crate::archive::VERSION)?;
    assets.map(|_| resolve(base, &a.manifest))
}

/// What the archive has answered, and what is on its way.
#[derive(Clone, Default, PartialEq)]
pub(super) struct Answer {
    /// The request asked last.
    pub request: Request,
    /// The request the entries and total are for (the one before, while the last is out).
    pub answered: Request,
    pub entries: Vec<Rc<Summary>>,
    /// Entries matching (None until the first answer).
    pub total: Option<usize>,
    /// Facet counts of the last counted answer, and whether they are this request's.
    pub tag_counts: Vec<(String, usize)>,
    pub author_counts: Vec<(String, usize)>,
    pub counted: bool,
    /// A question is out.
    pub busy: bool,
    /// What failed, and where.
    pub error: Option<(String, String)>,
}

pub(super) enum Heard {
    Asked(Request),
    /// An answer for `offset`: entries from there on.
    Answered { request: Request, offset: usize, reply: Reply },
    Failed { url: String, why: String },
}

pub(super) struct Reply {
    total: usize,
    counted: bool,
    tags: Vec<(String, usize)>,
    authors: Vec<(String, usize)>,
    entries: Vec<Rc<Summary>>,
}

impl Reducible for Answer {
    type Action = Heard;

    fn reduce(self: Rc<Self>, action: Heard) -> Rc<Self> {
        let mut a = (*self).clone();
        match action {
            Heard::Asked(request) => {
                if a.request != request {
                    a.counted = false;
                }
                a.request = request;
                a.busy = true;
                a.error = None;
            }
            Heard::Answered { request, offset, reply } => {
                if request != a.request {
                    return self;
                }
                if a.answered != request {
                    a.entries.clear();
                }
                a.entries.truncate(offset);
                a.entries.extend(reply.entries);
                a.answered = request;
                a.total = Some(reply.total);
                if reply.counted {
                    a.tag_counts = reply.tags;
                    a.author_counts = reply.authors;
                    a.counted = true;
                }
                a.busy = !a.counted;
            }
            Heard::Failed { url, why } => {
                // What is shown must not pass for the answer to the request that failed.
                if a.answered != a.request {
                    a.entries.clear();
                    a.total = None;
                }
                a.busy = false;
                a.error = Some((why, url));
            }
        }
        Rc::new(a)
    }
}

/// A question out: what it asked, so its answer lands in the right place.
struct Out {
    id: f64,
    request: Request,
    offset: usize,
    counts: bool,
    manifest: String,
}

/// One question to the worker.
struct Ask<'a> {
    id: f64,
    manifest: &'a str,
    request: &'a Request,
    offset: usize,
    counts: bool,
}

fn post(worker: &Worker, ask: &Ask<'_>) {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    };
    let list = |l: &[String]| -> JsValue { l.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into() };
    set("id", JsValue::from_f64(ask.id));
    set("manifest", JsValue::from_str(ask.manifest));
    set("q", JsValue::from_str(&ask.request.query));
    set("tags", list(&ask.request.tags));
    set("authors", list(&ask.request.authors));
    set("sort", JsValue::from_str(ask.request.sort.as_str()));
    set("offset", JsValue::from_f64(ask.offset as f64));
    set("limit", JsValue::from_f64(PAGE_SIZE as f64));
    set("counts", JsValue::from_bool(ask.counts));
    let _ = worker.post_message(&o);
}

fn field(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn counts(v: JsValue) -> Vec<(String, usize)> {
    let Ok(list) = v.dyn_into::<Array>() else { return Vec::new() };
    list.iter()
        .filter_map(|p| {
            let p: Array = p.dyn_into().ok()?;
            Some((p.get(0).as_string()?, p.get(1).as_f64()? as usize))
        })
        .collect()
}

/// The worker for this view's life (none without `assets`: a collection loaded whole), and the
/// answers it sends back. Each question carries an id; an answer to a question no longer out
/// (the reader typed on) is dropped. The worker is started by the first question, so no
/// order between effects can lose it.
#[hook]
pub(super) fn use_archive(assets: Option<String>, manifest: String, req: Request, pages: usize, retry: u32) -> Rc<Answer> {
    let answer = use_reducer(Answer::default);
    let worker = use_mut_ref(|| None::<(Worker, EventListener)>);
    let out = use_mut_ref(Vec::<Out>::new);
    let next_id = use_mut_ref(|| 0.0f64);
    {
        let worker = worker.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some((w, listener)) = worker.borrow_mut().take() {
                    drop(listener);
                    w.terminate();
                }
            }
        });
    }
    // A new request (or "try again") asks for its first page; more pages ask for theirs.
    let answer_handle = answer.clone();
    use_effect_with((manifest, req, pages, retry), move |(manifest, req, pages, _)| {
        let Some(base) = assets else { return };
        if worker.borrow().is_none() {
            let Ok(w) = Worker::new(&format!("{base}{WORKER}")) else {
                let url = format!("{base}{WORKER}");
                return answer_handle.dispatch(Heard::Failed { url, why: "worker".into() });
            };
            let listener = listen(&w, out.clone(), answer_handle.dispatcher());
            *worker.borrow_mut() = Some((w, listener));
        }
        let Some(w) = worker.borrow().as_ref().map(|(w, _)| w.clone()) else { return };
        let have = if answer_handle.request == *req && answer_handle.error.is_none() { answer_handle.entries.len() } else { 0 };
        let offset = have.min((pages - 1) * PAGE_SIZE);
        let id = {
            let mut n = next_id.borrow_mut();
            *n += 1.0;
            *n
        };
        // Older questions are no longer of interest.
        out.borrow_mut().retain(|q| q.request == *req && q.offset != offset);
        out.borrow_mut().push(Out { id, request: req.clone(), offset, counts: false, manifest: manifest.clone() });
        answer_handle.dispatch(Heard::Asked(req.clone()));
        post(&w, &Ask { id, manifest, request: req, offset, counts: false });
    });
    (*answer).clone().into()
}

/// The worker's answers, matched to the questions out and handed to the view.
fn listen(w: &Worker, out: Rc<std::cell::RefCell<Vec<Out>>>, answer: UseReducerDispatcher<Answer>) -> EventListener {
    let w2 = w.clone();
    EventListener::new(w, "message", move |e| {
        let Some(e) = e.dyn_ref::<MessageEvent>() else { return };
        let data = e.data();
        let id = field(&data, "id").as_f64().unwrap_or(-1.0);
        let Some(pos) = out.borrow().iter().position(|q| q.id == id) else { return };
        let Out { request, offset, counts: counted_asked, manifest, .. } = out.borrow_mut().remove(pos);
        if let Some(why) = field(&data, "error").as_string() {
            let url = field(&data, "url").as_string().unwrap_or_default();
            return answer.dispatch(Heard::Failed { url, why });
        }
        let hits = field(&data, "hits").dyn_into::<Array>().map(|a| a.to_vec()).unwrap_or_default();
        let entries = hits
            .iter()
            .filter_map(|h| h.as_string())
            .filter_map(|json| parse_summary(&json, "archive").ok().and_then(|(s, _)| s).map(Rc::new))
            .collect();
        let counted = field(&data, "counted").as_bool().unwrap_or(false);
        let reply = Reply {
            total: field(&data, "total").as_f64().unwrap_or(0.0) as usize,
            counted,
            tags: counts(field(&data, "tags")),
            authors: counts(field(&data, "authors")),
            entries,
        };
        // The first page came before its counts: ask for them now.
        if !counted && !counted_asked && offset == 0 {
            let id = id + 0.5;
            post(&w2, &Ask { id, manifest: &manifest, request: &request, offset: 0, counts: true });
            out.borrow_mut().push(Out { id, request: request.clone(), offset: 0, counts: true, manifest });
        }
        answer.dispatch(Heard::Answered { request, offset, reply });
    })
}
