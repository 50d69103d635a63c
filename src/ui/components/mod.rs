//! The viewer's parts. Each arranges what it is given; none fetches or parses.

mod article;
mod byline;
mod card;
mod collection;
mod status;
mod pick;

pub use article::{ArticleProps, ArticleView};
pub use card::{Card, CardProps};
pub use collection::{CollectionProps, CollectionView};
pub use pick::{pick_box, use_pick, PickBox};
pub use status::{error_view, loading_view};

use std::rc::Rc;

use yew::AttrValue;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A shared document compared by identity: it changes only when a new one arrives, and a
/// deep comparison of a whole article or collection on every render would cost time (and
/// the wasm a comparison function per type).
pub(crate) struct Same<T>(pub Rc<T>);

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A page-unique id for `aria-controls` and friends: several viewers may share one page.
pub fn unique_id(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A page-unique id that stays the same for the component's life. One hook for every
/// caller: each `use_state` with its own initialiser compiles another copy of Yew's state hook.
#[yew::hook]
pub fn use_unique_id(prefix: &'static str) -> AttrValue {
    let id = yew::use_mut_ref(move || AttrValue::from(unique_id(prefix)));
    let id = id.borrow().clone();
    id
}

/// A plain left click: the viewer may handle it. Modified clicks keep the browser's meaning
/// (new tab, new window, download).
pub fn plain_click(e: &yew::MouseEvent) -> bool {
    e.button() == 0 && !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key())
}
