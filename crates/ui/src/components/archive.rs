//! An archive's search: a collection too large to load whole is searched through its static
//! index by a worker (`src/worker.rs`) that fetches the index files a query needs; the
//! collection view shows its answers with the same filter bar, cards and paging as a
//! collection's. The page holds only what it shows: no index, no entries beyond the pages drawn.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};
use yew::prelude::*;
use yew::virtual_dom::Key;

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
///
/// Every request (a query, facets and order, from a listing page's start) gets a serial number
/// of its own when it is asked, even one asked before: an answer carries the serial of its
/// question, and only the newest serial's answers are taken. Its pages are placed by offset:
/// the first replaces what is shown, each next one goes where the last ended.
#[derive(Clone, Default, PartialEq)]
pub(super) struct Answer {
    /// The request asked last, and its serial.
    pub request: Request,
    pub serial: u32,
    /// The serial the entries are for (an older one's stay shown while the newest is out).
    pub answered: u32,
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

    /// Whether what is shown is the answer to `req` from `start` on, asked last (and not one
    /// asked before).
    pub fn answers(&self, req: &Request, start: usize) -> bool {
        self.total.is_some() && self.answered == self.serial && self.request == *req && self.start == start
    }

    /// The answered request's entries asked for so far.
    pub fn received(&self) -> usize {
        self.next - self.start
    }
}

pub(super) enum Heard {
    /// A question out for `request`; a new `serial` when the request is asked anew.
    Asked(Request, u32),
    /// An answer for `offset` of the request asked as `serial`: entries from there on;
    /// `first`: the request's first page, which replaces what is shown.
    Answered {
        serial: u32,
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
            Heard::Asked(request, serial) => {
                if a.serial != serial {
                    a.counted = false;
                    a.counting = false;
                }
                a.request = request;
                a.serial = serial;
                a.paging = true;
                a.error = None;
            }
            Heard::Answered { serial, offset, first, reply } => {
                // An answer to a question asked before the newest (the reader moved on).
                if serial != a.serial {
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
                    a.answered = serial;
                } else if reply.page && a.answered == serial && offset == a.next {
                    a.entries.extend(reply.entries);
                    a.next += reply.hits;
                }
                // Otherwise these entries are here already (the counts' copy of the first page).
            }
            Heard::Failed { url, why } => {
                // What is shown must not pass for the answer to the request that failed.
                if a.answered != a.serial {
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

/// The cards of `entries`, each keyed by its entry's id, so an entry keeps its element from one
/// list to the next and an element never shows another entry, with its marks. Ids are the
/// publisher's and may repeat: a repeated one is keyed by its place too (`id`, NUL, place),
/// so keys do not (only an id made to look like such a key could meet one).
pub(super) fn keyed<M>(entries: Vec<&Rc<Summary>>, marks: impl Fn(&Summary) -> M) -> Vec<(Key, Rc<Summary>, M)> {
    // The set type the Markdown checks already have: no other copy of the hash table's code.
    let mut seen: HashSet<&str> = HashSet::new();
    entries
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let id = s.id.as_str();
            let key = if seen.insert(id) { Key::from(id) } else { Key::from(format!("{id}\u{0}{i}")) };
            (key, s.clone(), marks(s))
        })
        .collect()
}

/// A question out: what it asked, so its answer lands in the right place.
struct Out {
    id: f64,
    /// The request's serial (`Answer::serial`).
    serial: u32,
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
/// question carries an id, and an answer to one no longer out (the reader typed on) is dropped,
/// as is one to a request asked before the newest (`Answer::serial`). One page is asked at a
/// time, each from where the last one ended.
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
    let asked: Asked = use_mut_ref(|| None);
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
        let (serial, fresh) = serial_of(&asked, &out, req, *first);
        // One page at a time.
        if !fresh && out.borrow().iter().any(|q| !q.counts) {
            return;
        }
        let first_page = fresh || !*answered;
        let offset = if first_page {
            *first
        } else if handle.received() < *want && *next < handle.total.unwrap_or(0) {
            *next
        } else {
            return;
        };
        let Some((worker, watch)) = running(&slot, &out, &handle, &base) else { return };
        let id = {
            let mut n = next_id.borrow_mut();
            *n += 1.0;
            *n
        };
        out.borrow_mut().push(Out {
            id,
            serial,
            request: req.clone(),
            offset,
            first: first_page,
            counts: false,
            manifest: manifest.clone(),
        });
        handle.dispatch(Heard::Asked(req.clone(), serial));
        post(&worker, &Ask { id, manifest, request: req, offset, counts: false });
        watch.rearm();
    });
    let retry = {
        let dispatch = answer.dispatcher();
        Callback::from(move |()| dispatch.dispatch(Heard::Retry))
    };
    ((*answer).clone().into(), retry)
}

/// What the questions out are for: the request, from which start, and its serial.
type Asked = Rc<RefCell<Option<(Request, usize, u32)>>>;

/// The serial of `req` from `first`, and whether it is new: a request other than the one asked
/// last starts afresh with a serial of its own, even one asked before, and the questions out
/// are forgotten (the worker gives up the questions of older requests, and may have given up
/// an earlier question of this one).
fn serial_of(asked: &Asked, out: &Questions, req: &Request, first: usize) -> (u32, bool) {
    let mut asked = asked.borrow_mut();
    match &*asked {
        Some((r, f, serial)) if r == req && *f == first => (*serial, false),
        last => {
            let serial = last.as_ref().map_or(1, |l| l.2.wrapping_add(1));
            *asked = Some((req.clone(), first, serial));
            out.borrow_mut().clear();
            (serial, true)
        }
    }
}

/// The worker, started if it is not (from the app's files at `base`), and its watch; `None`
/// when it cannot start (the view then says so).
fn running(slot: &Slot, out: &Questions, answer: &UseReducerHandle<Answer>, base: &str) -> Option<(Worker, Watch)> {
    if slot.borrow().is_none() {
        let url = format!("{base}{WORKER}");
        let Ok(worker) = Worker::new(&url) else {
            answer.dispatch(Heard::Failed { url, why: "worker not started".into() });
            return None;
        };
        let watch = Watch { slot: slot.clone(), out: out.clone(), answer: answer.dispatcher(), url };
        let _message = listen(&worker, watch.clone());
        let _error = listen_error(&worker, watch.clone());
        *slot.borrow_mut() = Some(Running { worker, _message, _error, _watchdog: None, watch });
    }
    slot.borrow().as_ref().map(|r| (r.worker.clone(), r.watch.clone()))
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
        let Out { serial, request, offset, first, counts: counts_asked, manifest, .. } = out.borrow_mut().remove(pos);
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
            out.borrow_mut().push(Out { id, serial, request, offset, first: false, counts: true, manifest });
        }
        answer.dispatch(Heard::Answered { serial, offset, first, reply });
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

    fn asked(a: Rc<Answer>, q: &str, serial: u32) -> Rc<Answer> {
        a.reduce(Heard::Asked(req(q), serial))
    }

    fn answered(serial: u32, offset: usize, first: bool, reply: Reply) -> Heard {
        Heard::Answered { serial, offset, first, reply }
    }

    fn titles(a: &Answer) -> Vec<&str> {
        a.entries.iter().map(|s| s.title.as_str()).collect()
    }

    #[test]
    fn pages_follow_each_other_and_the_counts_do_not_touch_them() {
        let a = asked(Rc::new(Answer::default()), "ai", 1);
        assert!(a.busy() && a.total.is_none() && !a.answers(&req("ai"), 0));
        let a = a.reduce(answered(1, 0, true, reply(5, false, true, &["a", "b"])));
        assert_eq!((a.total, titles(&a), a.busy(), a.counted), (Some(5), vec!["a", "b"], true, false));
        assert!(a.answers(&req("ai"), 0) && !a.answers(&req("ai"), 12) && !a.answers(&req("a"), 0));
        // The next page, asked while the counts are out, arrives before them…
        let a = asked(a, "ai", 1);
        let a = a.reduce(answered(1, 2, false, reply(5, false, true, &["c", "d"])));
        assert_eq!(titles(&a), ["a", "b", "c", "d"]);
        assert!(a.busy(), "the counts are still out");
        // …and the counts, which carry the first page again, leave the pages as they are.
        let a = a.reduce(answered(1, 0, false, reply(5, true, false, &["a", "b"])));
        assert_eq!(titles(&a), ["a", "b", "c", "d"]);
        assert_eq!((a.busy(), a.counted, a.tag_counts.clone()), (false, true, vec![("AI".to_string(), 5)]));
        assert_eq!((a.start, a.next, a.received()), (0, 4, 4));
        // A page that is not the next one (asked twice, late, or from further on) is not placed.
        let a = a.reduce(answered(1, 2, false, reply(5, true, true, &["c", "d"])));
        let a = a.reduce(answered(1, 0, false, reply(5, true, true, &["a", "b"])));
        let a = a.reduce(answered(1, 6, false, reply(9, true, true, &["g"])));
        assert_eq!((titles(&a), a.next), (vec!["a", "b", "c", "d"], 4));
    }

    #[test]
    fn entries_the_viewer_could_not_read_still_move_the_next_page_on() {
        let a = asked(Rc::new(Answer::default()), "x", 1);
        let mut r = reply(30, true, true, &["a"]);
        r.hits = 12;
        let a = a.reduce(answered(1, 0, true, r));
        assert_eq!((a.entries.len(), a.next), (1, 12));
    }

    #[test]
    fn an_answer_to_a_request_typed_past_is_dropped() {
        let a = asked(Rc::new(Answer::default()), "반", 1);
        let a = asked(a, "반도", 2);
        let b = a.clone().reduce(answered(1, 0, true, reply(9, true, true, &["x"])));
        assert!(b.entries.is_empty() && b.total.is_none() && b.serial == 2);
        let b = b.reduce(answered(2, 0, true, reply(1, true, true, &["y"])));
        assert_eq!((b.total, titles(&b), b.request.query.as_str()), (Some(1), vec!["y"], "반도"));
    }

    #[test]
    fn a_request_asked_again_takes_only_the_answers_to_its_newest_question() {
        // Newest, then oldest, then newest again: the same request as the first, a new serial.
        let a = asked(Rc::new(Answer::default()), "a", 1);
        let a = a.reduce(answered(1, 0, true, reply(30, true, true, &["n1", "n2"])));
        let a = asked(a, "b", 2);
        let a = asked(a, "a", 3);
        assert!(!a.answers(&req("a"), 0), "what is shown answers a question asked before");
        // The older questions' answers, late and out of order, change nothing: not the pages of
        // the first question, not the second's first page, not the second's counts.
        let late = [
            answered(1, 2, false, reply(30, true, true, &["n3", "n4"])),
            answered(2, 0, true, reply(7, false, true, &["o1"])),
            answered(2, 0, false, reply(7, true, false, &["o1"])),
        ];
        let mut b = a.clone();
        for h in late {
            b = b.reduce(h);
        }
        assert_eq!((titles(&b), b.total, b.tag_counts.clone()), (titles(&a), a.total, a.tag_counts.clone()));
        assert!(b.busy() && !b.answers(&req("a"), 0));
        let b = b.reduce(answered(3, 0, true, reply(30, true, true, &["n1", "n2"])));
        assert!(b.answers(&req("a"), 0) && !b.busy());
        // A late page of the first question, at the very offset the newest goes on from, too.
        let b = b.reduce(answered(1, 2, false, reply(30, true, true, &["x", "y"])));
        assert_eq!((titles(&b), b.next), (vec!["n1", "n2"], 2));
    }

    #[test]
    fn a_new_request_replaces_the_older_entries_and_a_failure_shows_none_of_them() {
        let a = asked(Rc::new(Answer::default()), "a", 1);
        let a = a.reduce(answered(1, 0, true, reply(2, true, true, &["a1", "a2"])));
        // While the next request is out, the older answer stays on screen…
        let a = asked(a, "b", 2);
        assert_eq!(titles(&a), ["a1", "a2"]);
        assert!(!a.counted && a.busy());
        // …its first page replaces it, from where it starts (a listing page's start)…
        let b = a.clone().reduce(answered(2, 24, true, reply(30, false, true, &["b1"])));
        assert_eq!((titles(&b), b.start, b.next), (vec!["b1"], 24, 25));
        // …and a failure does not leave it passing for the failed request's answer.
        let f = a.reduce(Heard::Failed { url: "https://x/a/1.bin".into(), why: "HTTP 503".into() });
        assert!(f.entries.is_empty() && f.total.is_none() && !f.busy());
        assert_eq!(f.error, Some(("HTTP 503".to_string(), "https://x/a/1.bin".to_string())));
        // "Try again" puts the failure away; the view then asks again.
        let r = f.reduce(Heard::Retry);
        assert!(r.error.is_none());
        let r = asked(r, "b", 2);
        assert!(r.busy());
    }

    #[test]
    fn a_retry_asks_again_what_failed_the_counts_with_their_first_page() {
        let failed = |a: Rc<Answer>| {
            a.reduce(Heard::Failed { url: "https://x/v1-00/manifest.bin".into(), why: "corrupt".into() })
        };
        // The counts failed after the first page: the page stays on screen, nothing is busy…
        let a = asked(Rc::new(Answer::default()), "ai", 1);
        let a = failed(a.reduce(answered(1, 0, true, reply(5, false, true, &["a", "b"]))));
        assert_eq!((titles(&a), a.busy()), (vec!["a", "b"], false));
        // …and "try again" asks the first page again (its counts come after it).
        let r = a.reduce(Heard::Retry);
        assert!(r.error.is_none() && !r.answers(&req("ai"), 0));
        // A later page failed once the counts were in: only that page is asked again.
        let a = asked(Rc::new(Answer::default()), "ai", 1);
        let a = a.reduce(answered(1, 0, true, reply(30, true, true, &["a"])));
        let r = failed(asked(a, "ai", 1)).reduce(Heard::Retry);
        assert!(r.answers(&req("ai"), 0) && r.error.is_none());
        assert_eq!((titles(&r), r.next), (vec!["a"], 1));
    }

    #[test]
    fn cards_are_keyed_by_their_entry_whatever_the_list() {
        let keys = |ids: &[&str]| {
            let entries: Vec<Rc<Summary>> =
                ids.iter().map(|id| Rc::new(Summary { id: (*id).into(), ..Summary::default() })).collect();
            keyed(entries.iter().collect(), |s| s.id.clone()).into_iter().map(|(k, _, id)| (k, id)).collect::<Vec<_>>()
        };
        let first = keys(&["a", "b", "c"]);
        let later = keys(&["c", "d", "a"]);
        // The same entry has the same key in any list, at any place; each card keeps its entry.
        assert_eq!((&first[0], &first[2]), (&later[2], &later[0]));
        assert_ne!(first[1].0, later[1].0);
        // Ids are the publisher's and may repeat (or be empty): the keys do not.
        for ids in [&["x", "y", "x", "x", "", ""][..], &["0:x", "x", "x"], &["", "", "x"]] {
            let mut k: Vec<String> = keys(ids).into_iter().map(|(k, _)| k.to_string()).collect();
            k.sort_unstable();
            k.dedup();
            assert_eq!(k.len(), ids.len(), "{ids:?}");
        }
        // The first of equal ids keeps its key when another one joins after it.
        assert_eq!(keys(&["x", "y"])[0], keys(&["x", "y", "x"])[0]);
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
