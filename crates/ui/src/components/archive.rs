//! An archive's search: a collection too large to load whole is searched through its static
//! index by a worker (`src/worker.rs`) that fetches the index files a query needs; the
//! collection view shows its answers with the same filter bar, cards and paging as a
//! collection's. The page holds only what it shows: no index, no entries beyond the pages drawn.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};
use yew::prelude::*;

use crate::format::{parse_summary, Collection, Summary};
use crate::listing::PAGE_SIZE;
use crate::search::Request;
use crate::urls::{origin_of, resolve};

/// The worker's script, beside the app's own files (written by `scripts/embed-module.mjs`).
pub const WORKER: &str = "archive-worker_loader.js";

/// The address of `c`'s archive index (relative to the collection at `base`), when the app can
/// search it: an index version it reads, on the collection's own origin (the address was
/// checked as the collection's was), and a worker it can start: browsers start only workers
/// from the page's origin (`assets` is where the app's files are, `page` the page's address).
pub(super) fn archive_of(c: &Collection, base: &str, assets: Option<&str>, page: &str) -> Option<String> {
    let a = c.archive.as_ref().filter(|a| a.version == crate::archive::VERSION)?;
    let manifest = resolve(base, &a.manifest);
    let same = |x: &str, y: &str| origin_of(x).is_some_and(|o| Some(o) == origin_of(y));
    (same(&manifest, base) && same(assets?, page)).then_some(manifest)
}

/// What the archive has answered, and what is on its way.
#[derive(Clone, Default, PartialEq)]
pub(super) struct Answer {
    /// The request asked last.
    pub request: Request,
    /// The request the entries and total are for (the one before, while the last is out).
    pub answered: Request,
    pub entries: Vec<Rc<Summary>>,
    /// Where `entries` start in the answered request's results, and where the next page does
    /// (entries the viewer could not read are counted: they are skipped, not asked again).
    pub start: usize,
    pub next: usize,
    /// Entries matching (None until the first answer), and in the whole archive.
    pub total: Option<usize>,
    pub all: usize,
    /// Facet counts of the last counted answer, and whether they are this request's.
    pub tag_counts: Vec<(String, usize)>,
    pub author_counts: Vec<(String, usize)>,
    pub counted: bool,
    /// A page is on its way; the facet counts are.
    pub paging: bool,
    pub counting: bool,
    /// What failed, and where.
    pub error: Option<(String, String)>,
}

impl Answer {
    pub fn busy(&self) -> bool {
        self.paging || self.counting
    }

    /// Whether what is shown is the answer to `req` from `start` on (and not the one before).
    pub fn answers(&self, req: &Request, start: usize) -> bool {
        self.total.is_some() && self.answered == *req && self.start == start
    }

    /// The answered request's entries asked for so far.
    pub fn received(&self) -> usize {
        self.next - self.start
    }
}

pub(super) enum Heard {
    Asked(Request),
    /// An answer for `offset`: entries from there on; `first`: the request's first page, which
    /// replaces what is shown.
    Answered {
        request: Request,
        offset: usize,
        first: bool,
        reply: Reply,
    },
    Failed {
        url: String,
        why: String,
    },
    /// "Try again": the failure is put away and the view asks again.
    Retry,
}

pub(super) struct Reply {
    total: usize,
    all: usize,
    counted: bool,
    /// Whether this answers a page question (not only the counts).
    page: bool,
    /// Hits the worker sent, read or not.
    hits: usize,
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
                    a.counting = false;
                }
                a.request = request;
                a.paging = true;
                a.error = None;
            }
            Heard::Answered { request, offset, first, reply } => {
                if request != a.request {
                    return self;
                }
                if reply.counted {
                    a.tag_counts = reply.tags;
                    a.author_counts = reply.authors;
                    a.counted = true;
                }
                // A first page without its counts: the view asks for them next.
                a.counting = (first || a.counting) && !reply.counted;
                if reply.page {
                    a.paging = false;
                }
                a.total = Some(reply.total);
                a.all = reply.all;
                if first {
                    a.entries = reply.entries;
                    a.start = offset;
                    a.next = offset + reply.hits;
                    a.answered = request;
                } else if reply.page && a.answered == request && offset == a.next {
                    a.entries.extend(reply.entries);
                    a.next += reply.hits;
                }
                // Otherwise these entries are here already (the counts' copy of the first page).
            }
            Heard::Failed { url, why } => {
                // What is shown must not pass for the answer to the request that failed.
                if a.answered != a.request {
                    a.entries.clear();
                    a.total = None;
                }
                a.paging = false;
                a.counting = false;
                a.error = Some((why, url));
            }
            Heard::Retry => {
                a.error = None;
                // A first page whose counts failed: asked again whole (its counts follow it),
                // or the facets would stay the older request's.
                if !a.counted {
                    a.total = None;
                }
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
    /// The request's first page (its counts are asked for after it), or only its counts.
    first: bool,
    counts: bool,
    manifest: String,
}

type Questions = Rc<RefCell<Vec<Out>>>;

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

/// Silence from a worker with questions out for this long means it hangs (a loop, a lost
/// message). It says it is alive after every round of fetches, each within its own 30 s time
/// limit, so a slow network is not taken for a hang.
const SILENCE_MS: u32 = 60_000;

/// The worker, with what listens to it and what watches it.
struct Running {
    worker: Worker,
    _message: EventListener,
    _error: EventListener,
    /// Fires `SILENCE_MS` after the last word from or to the worker.
    _watchdog: Option<Timeout>,
    watch: Watch,
}

type Slot = Rc<RefCell<Option<Running>>>;

fn stop(slot: &Slot) {
    if let Some(r) = slot.borrow_mut().take() {
        r.worker.terminate();
    }
}

/// What the worker's listeners and watchdog share: the worker, the questions out, the view,
/// and the worker's address (where a failure of its own is said to be).
#[derive(Clone)]
struct Watch {
    slot: Slot,
    out: Questions,
    answer: UseReducerDispatcher<Answer>,
    url: String,
}

impl Watch {
    /// A word from or to the worker: the silence counts from now. Only silence while
    /// questions are out is a hang (an idle worker has nothing to say).
    fn rearm(&self) {
        let w = self.clone();
        let timer = Timeout::new(SILENCE_MS, move || {
            if !w.out.borrow().is_empty() {
                w.died(format!("worker: no answer in {} s", SILENCE_MS / 1000));
            }
        });
        if let Some(r) = self.slot.borrow_mut().as_mut() {
            r._watchdog = Some(timer);
        }
    }

    /// The worker stopped (an uncaught error or a trap in it, a script or wasm that did not
    /// load) or hangs: every question out is lost, the view says so, and "try again" starts
    /// another worker.
    fn died(&self, why: String) {
        self.out.borrow_mut().clear();
        self.answer.dispatch(Heard::Failed { url: self.url.clone(), why });
        let slot = self.slot.clone();
        // Not while its own listener or timer runs: stop it from the next task.
        wasm_bindgen_futures::spawn_local(async move { stop(&slot) });
    }
}

/// The archive's answers for `req`, showing `want` entries from `first` on (a listing page's
/// start), and "try again". The worker is started by the first question (none without
/// `assets`: a collection loaded whole) and lives as long as the view, or until it fails; each
/// question carries an id, and an answer to one no longer out (the reader typed on) is dropped.
/// One page is asked at a time, each from where the last one ended.
#[hook]
pub(super) fn use_archive(
    assets: Option<String>,
    manifest: String,
    req: Request,
    first: usize,
    want: usize,
) -> (Rc<Answer>, Callback<()>) {
    let answer = use_reducer(Answer::default);
    let slot: Slot = use_mut_ref(|| None);
    let out: Questions = use_mut_ref(Vec::new);
    let next_id = use_mut_ref(|| 0.0f64);
    // The request the questions out are for.
    let asked = use_mut_ref(|| None::<Request>);
    {
        let slot = slot.clone();
        use_effect_with((), move |_| move || stop(&slot));
    }
    let answered = answer.answers(&req, first);
    let deps = (manifest, req, first, want, answered, answer.next, answer.error.is_some());
    let handle = answer.clone();
    use_effect_with(deps, move |(manifest, req, first, want, answered, next, failed)| {
        let Some(base) = assets else { return };
        if *failed {
            return;
        }
        let offset = if !*answered {
            *first
        } else if handle.received() < *want && *next < handle.total.unwrap_or(0) {
            *next
        } else {
            return;
        };
        // A new request starts afresh (the worker gives up the questions of older ones, and
        // may have given up an earlier question of this one); otherwise one page at a time.
        if asked.borrow().as_ref() != Some(req) {
            out.borrow_mut().clear();
            *asked.borrow_mut() = Some(req.clone());
        } else if out.borrow().iter().any(|q| !q.counts) {
            return;
        }
        if slot.borrow().is_none() {
            let url = format!("{base}{WORKER}");
            let Ok(worker) = Worker::new(&url) else {
                return handle.dispatch(Heard::Failed { url, why: "worker not started".into() });
            };
            let watch = Watch { slot: slot.clone(), out: out.clone(), answer: handle.dispatcher(), url };
            let _message = listen(&worker, watch.clone());
            let _error = listen_error(&worker, watch.clone());
            *slot.borrow_mut() = Some(Running { worker, _message, _error, _watchdog: None, watch });
        }
        let Some((worker, watch)) = slot.borrow().as_ref().map(|r| (r.worker.clone(), r.watch.clone())) else { return };
        let id = {
            let mut n = next_id.borrow_mut();
            *n += 1.0;
            *n
        };
        let first_page = !*answered;
        out.borrow_mut().push(Out {
            id,
            request: req.clone(),
            offset,
            first: first_page,
            counts: false,
            manifest: manifest.clone(),
        });
        handle.dispatch(Heard::Asked(req.clone()));
        post(&worker, &Ask { id, manifest, request: req, offset, counts: false });
        watch.rearm();
    });
    let retry = {
        let dispatch = answer.dispatcher();
        Callback::from(move |()| dispatch.dispatch(Heard::Retry))
    };
    ((*answer).clone().into(), retry)
}

/// A worker that stopped: an uncaught error or a trap in it, a script or wasm that did not load.
fn listen_error(w: &Worker, watch: Watch) -> EventListener {
    EventListener::new(w, "error", move |e| {
        // Handled here: the page does not report it again as an uncaught error of its own.
        e.prevent_default();
        let what = field(e, "message").as_string().unwrap_or_default();
        watch.died(if what.is_empty() { "worker stopped".into() } else { format!("worker stopped: {what}") });
    })
}

/// The worker's answers, matched to the questions out and handed to the view.
fn listen(w: &Worker, watch: Watch) -> EventListener {
    let w2 = w.clone();
    EventListener::new(w, "message", move |e| {
        // Any word, an answer or only "alive", shows the worker is not hung.
        watch.rearm();
        let Watch { out, answer, .. } = &watch;
        let Some(e) = e.dyn_ref::<MessageEvent>() else { return };
        let data = e.data();
        let id = field(&data, "id").as_f64().unwrap_or(-1.0);
        let Some(pos) = out.borrow().iter().position(|q| q.id == id) else { return };
        let Out { request, offset, first, counts: counts_asked, manifest, .. } = out.borrow_mut().remove(pos);
        let error = field(&data, "error");
        if !error.is_undefined() {
            let why = error.as_string().unwrap_or_else(|| "error".into());
            let url = field(&data, "url").as_string().unwrap_or_default();
            return answer.dispatch(Heard::Failed { url, why });
        }
        let hits = field(&data, "hits").dyn_into::<Array>().map(|a| a.to_vec()).unwrap_or_default();
        let entries = hits
            .iter()
            .filter_map(|h| h.as_string())
            .filter_map(|json| parse_summary(&json, "archive").ok().and_then(|(s, _)| s).map(Rc::new))
            .collect();
        let num = |k: &str| field(&data, k).as_f64().unwrap_or(0.0) as usize;
        let counted = field(&data, "counted").as_bool().unwrap_or(false);
        let reply = Reply {
            total: num("total"),
            all: num("all"),
            counted,
            page: !counts_asked,
            hits: hits.len(),
            tags: counts(field(&data, "tags")),
            authors: counts(field(&data, "authors")),
            entries,
        };
        // A request's first page came before its counts: ask for them now.
        if !counted && first {
            let id = id + 0.5;
            post(&w2, &Ask { id, manifest: &manifest, request: &request, offset, counts: true });
            out.borrow_mut().push(Out { id, request: request.clone(), offset, first: false, counts: true, manifest });
        }
        answer.dispatch(Heard::Answered { request, offset, first, reply });
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(q: &str) -> Request {
        Request { query: q.into(), ..Request::default() }
    }

    /// A page answer (`page`) or a counts answer, with `titles` as its entries.
    fn reply(total: usize, counted: bool, page: bool, titles: &[&str]) -> Reply {
        Reply {
            total,
            all: 100,
            counted,
            page,
            hits: titles.len(),
            tags: if counted { vec![("AI".into(), total)] } else { Vec::new() },
            authors: Vec::new(),
            entries: titles.iter().map(|t| Rc::new(Summary { title: (*t).into(), ..Summary::default() })).collect(),
        }
    }

    fn answered(request: &str, offset: usize, first: bool, reply: Reply) -> Heard {
        Heard::Answered { request: req(request), offset, first, reply }
    }

    fn titles(a: &Answer) -> Vec<&str> {
        a.entries.iter().map(|s| s.title.as_str()).collect()
    }

    #[test]
    fn pages_follow_each_other_and_the_counts_do_not_touch_them() {
        let a = Rc::new(Answer::default()).reduce(Heard::Asked(req("ai")));
        assert!(a.busy() && a.total.is_none());
        let a = a.reduce(answered("ai", 0, true, reply(5, false, true, &["a", "b"])));
        assert_eq!((a.total, titles(&a), a.busy(), a.counted), (Some(5), vec!["a", "b"], true, false));
        // The next page, asked while the counts are out, arrives before them…
        let a = a.reduce(Heard::Asked(req("ai")));
        let a = a.reduce(answered("ai", 2, false, reply(5, false, true, &["c", "d"])));
        assert_eq!(titles(&a), ["a", "b", "c", "d"]);
        assert!(a.busy(), "the counts are still out");
        // …and the counts, which carry the first page again, leave the pages as they are.
        let a = a.reduce(answered("ai", 0, false, reply(5, true, false, &["a", "b"])));
        assert_eq!(titles(&a), ["a", "b", "c", "d"]);
        assert_eq!((a.busy(), a.counted, a.tag_counts.clone()), (false, true, vec![("AI".to_string(), 5)]));
        assert_eq!((a.start, a.next, a.received()), (0, 4, 4));
        // A page that is not the next one (asked twice, or late) is not appended.
        let a = a.reduce(answered("ai", 2, false, reply(5, true, true, &["c", "d"])));
        assert_eq!(titles(&a), ["a", "b", "c", "d"]);
    }

    #[test]
    fn entries_the_viewer_could_not_read_still_move_the_next_page_on() {
        let a = Rc::new(Answer::default()).reduce(Heard::Asked(req("x")));
        let mut r = reply(30, true, true, &["a"]);
        r.hits = 12;
        let a = a.reduce(answered("x", 0, true, r));
        assert_eq!((a.entries.len(), a.next), (1, 12));
    }

    #[test]
    fn an_answer_to_a_request_typed_past_is_dropped() {
        let a = Rc::new(Answer::default()).reduce(Heard::Asked(req("반")));
        let a = a.reduce(Heard::Asked(req("반도")));
        let b = a.clone().reduce(answered("반", 0, true, reply(9, true, true, &["x"])));
        assert!(Rc::ptr_eq(&a, &b));
        let b = b.reduce(answered("반도", 0, true, reply(1, true, true, &["y"])));
        assert_eq!((b.total, titles(&b), b.answered.query.as_str()), (Some(1), vec!["y"], "반도"));
    }

    #[test]
    fn a_new_request_replaces_the_older_entries_and_a_failure_shows_none_of_them() {
        let a = Rc::new(Answer::default()).reduce(Heard::Asked(req("a")));
        let a = a.reduce(answered("a", 0, true, reply(2, true, true, &["a1", "a2"])));
        // While the next request is out, the older answer stays on screen…
        let a = a.reduce(Heard::Asked(req("b")));
        assert_eq!(titles(&a), ["a1", "a2"]);
        assert!(!a.counted && a.busy());
        // …its first page replaces it, from where it starts (a listing page's start)…
        let b = a.clone().reduce(answered("b", 24, true, reply(30, false, true, &["b1"])));
        assert_eq!((titles(&b), b.start, b.next), (vec!["b1"], 24, 25));
        // …and a failure does not leave it passing for the failed request's answer.
        let f = a.reduce(Heard::Failed { url: "https://x/a/1.bin".into(), why: "HTTP 503".into() });
        assert!(f.entries.is_empty() && f.total.is_none() && !f.busy());
        assert_eq!(f.error, Some(("HTTP 503".to_string(), "https://x/a/1.bin".to_string())));
        // "Try again" puts the failure away; the view then asks again.
        let r = f.reduce(Heard::Retry);
        assert!(r.error.is_none());
        let r = r.reduce(Heard::Asked(req("b")));
        assert!(r.busy());
    }

    #[test]
    fn a_retry_asks_again_what_failed_the_counts_with_their_first_page() {
        let failed = |a: Rc<Answer>| {
            a.reduce(Heard::Failed { url: "https://x/v1-00/manifest.bin".into(), why: "corrupt".into() })
        };
        // The counts failed after the first page: the page stays on screen, nothing is busy…
        let a = Rc::new(Answer::default()).reduce(Heard::Asked(req("ai")));
        let a = failed(a.reduce(answered("ai", 0, true, reply(5, false, true, &["a", "b"]))));
        assert_eq!((titles(&a), a.busy()), (vec!["a", "b"], false));
        // …and "try again" asks the first page again (its counts come after it).
        let r = a.reduce(Heard::Retry);
        assert!(r.error.is_none() && !r.answers(&req("ai"), 0));
        // A later page failed once the counts were in: only that page is asked again.
        let a = Rc::new(Answer::default()).reduce(Heard::Asked(req("ai")));
        let a = a.reduce(answered("ai", 0, true, reply(30, true, true, &["a"])));
        let r = failed(a.reduce(Heard::Asked(req("ai")))).reduce(Heard::Retry);
        assert!(r.answers(&req("ai"), 0) && r.error.is_none());
        assert_eq!((titles(&r), r.next), (vec!["a"], 1));
    }

    #[test]
    fn an_archive_is_searched_only_on_its_collections_origin_with_a_worker_of_the_pages() {
        let c = |manifest: &str| Collection {
            archive: Some(crate::format::ArchivePointer { version: 1, manifest: manifest.into(), entries: None }),
            ..Collection::default()
        };
        let base = "https://news.example/archive/index.json";
        let assets = Some("https://news.example/app/");
        let page = "https://news.example/viewer.html?src=archive/index.json";
        assert_eq!(
            archive_of(&c("v1-00/manifest.bin"), base, assets, page).as_deref(),
            Some("https://news.example/archive/v1-00/manifest.bin")
        );
        // An index elsewhere is not searched (the collection's address passed the policy, not it).
        assert_eq!(archive_of(&c("https://evil.example/m.bin"), base, assets, page), None);
        assert_eq!(archive_of(&c("//evil.example/m.bin"), base, assets, page), None);
        // The app's files on a CDN (an embed): no worker can start from there.
        assert_eq!(archive_of(&c("v1-00/manifest.bin"), base, Some("https://cdn.example/av/"), page), None);
        // Loaded whole (no app files known), or an index version this viewer does not read.
        assert_eq!(archive_of(&c("v1-00/manifest.bin"), base, None, page), None);
        let mut v2 = c("v1-00/manifest.bin");
        v2.archive.as_mut().unwrap().version = 2;
        assert_eq!(archive_of(&v2, base, assets, page), None);
    }
}
