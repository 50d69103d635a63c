//! The viewer's parts. Each arranges what it is given; none fetches or parses. They render the
//! same in the browser and on the server (prerendered pages): the browser is touched only in
//! effects and event handlers.

mod archive;
mod article;
mod byline;
mod card;
mod collection;
mod facets;
mod frame;
mod pick;
mod prepared;
mod status;

pub use article::{ArticleProps, ArticleView};
pub use card::{card, CardProps};
pub use collection::{CollectionProps, CollectionView};
pub use frame::{frame, Frame, FEEDS};
pub use pick::{pick_box, use_pick, PickBox};
pub use prepared::Prepared;
pub use status::{error_view, loading_view};

use std::ops::Deref;
use std::rc::Rc;

use super::config::Config;
use crate::site::relative_url;
use crate::urls::{is_external, origin_of};

/// Shared data compared by identity: props holding it derive `PartialEq`, and a new value
/// arrives only as a new `Rc`. A deep comparison of a whole article or a 100,000-entry
/// collection on every render would cost time (and the wasm a comparison function per type).
pub struct Shared<T: ?Sized>(pub Rc<T>);

impl<T: ?Sized> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: ?Sized> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T: ?Sized> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Shared<T> {
    fn from(v: T) -> Self {
        Shared(Rc::new(v))
    }
}

impl<T: ?Sized> From<Rc<T>> for Shared<T> {
    fn from(v: Rc<T>) -> Self {
        Shared(v)
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Shared(Rc::default())
    }
}

/// A plain left click: the viewer may handle it. Modified clicks keep the browser's meaning
/// (new tab, new window, download).
pub fn plain_click(e: &yew::MouseEvent) -> bool {
    e.button() == 0 && !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key())
}

/// How a view writes addresses: relative to the page it is on when they share its origin (so
/// a prerendered folder works at any path and from disk, and the browser app writes the very
/// same attribute values when it takes the page over), and which of them lead off the site.
#[derive(Clone, Copy)]
pub struct Links<'a> {
    /// The page's own address.
    pub page: &'a str,
    /// The document holding the content: relative references in it resolve against it.
    pub base: &'a str,
    pub config: &'a Config,
}

impl Links<'_> {
    /// `url` (absolute) as the page writes it.
    pub fn href(&self, url: &str) -> String {
        relative_url(url, self.page)
    }

    /// True when `url` leads to another site: not the document's origin, nor the origin the
    /// site is published at (a prerendered page and the app taking it over must agree, even
    /// when the folder is tried out on another host).
    pub fn external(&self, url: &str) -> bool {
        let home = self.config.site.as_ref().map(|s| s.canonical.as_str());
        is_external(url, Some(self.base)) && home.is_none_or(|h| origin_of(url) != origin_of(h))
    }
}
