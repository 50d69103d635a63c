//! A collection's search prepared once for many renders: the publishing program renders every
//! listing page of a collection from the same parsed collection, and builds its index and its
//! unfiltered results once (per thread) instead of once per page. It provides a
//! [`Prepared`] as context around the app; the browser never does (nothing of it is called
//! in the wasm, which the optimiser then drops).
#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

use std::cell::RefCell;
use std::rc::Rc;

use super::Shared;
use crate::format::Collection;
use crate::listing::entry;
use crate::search::{Index, Request, Results};

/// How many requests' results are kept (a prerendered listing page asks for the unfiltered one).
const KEPT: usize = 4;

/// The index of one collection and the results asked of it so far.
pub struct Prepared {
    collection: Rc<Collection>,
    pub(super) index: Rc<Index>,
    results: RefCell<Vec<(Request, Rc<Results>)>>,
}

impl Prepared {
    /// Indexes `collection` (the very one the app is given: it is recognised by address).
    pub fn new(collection: Rc<Collection>) -> Prepared {
        let index = Index::new(collection.articles.iter().map(|s| entry(s)).collect());
        Prepared { collection, index: Rc::new(index), results: RefCell::default() }
    }

    /// The results of `req`, searched once.
    pub(super) fn results(&self, index: &Index, req: &Request) -> Rc<Results> {
        if let Some((_, r)) = self.results.borrow().iter().find(|(q, _)| q == req) {
            return r.clone();
        }
        let r = Rc::new(index.search(req));
        let mut kept = self.results.borrow_mut();
        if kept.len() < KEPT {
            kept.push((req.clone(), r.clone()));
        }
        r
    }
}

/// The prepared search for `collection`, if the renderer provided one for this very collection.
#[cfg(not(target_arch = "wasm32"))]
#[yew::hook]
pub(super) fn use_prepared(collection: &Shared<Collection>) -> Option<Rc<Prepared>> {
    let provided = yew::use_context::<Shared<Prepared>>()?;
    Rc::ptr_eq(&provided.collection, &collection.0).then(|| provided.0.clone())
}

/// The browser renders without one.
#[cfg(target_arch = "wasm32")]
#[yew::hook]
pub(super) fn use_prepared(_collection: &Shared<Collection>) -> Option<Rc<Prepared>> {
    None
}
