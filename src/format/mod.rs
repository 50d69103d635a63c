//! The article JSON format, version 1 (`shared/FORMAT.md`): its Rust types and validation.
//! Strict where the document is unusable, lenient (drop and report) everywhere else.

mod parse;
mod value;

pub use parse::{parse_document, Limits, LIMITS};

use std::rc::Rc;

use crate::dates::DateTime;

/// A refused document: the place in it and what is wrong there (`title: missing`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Something dropped from an accepted document (`related[2]: missing title`).
pub type Warning = FormatError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Document {
    Article(Article),
    Collection(Collection),
}

/// A parsed document and what was dropped from it on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub document: Document,
    pub warnings: Vec<Warning>,
}

/// A timestamp as written and as understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Date {
    pub raw: String,
    pub at: DateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub published: Option<Date>,
    pub updated: Option<Date>,
    pub authors: Vec<Author>,
    pub tags: Vec<String>,
    pub image: Option<Image>,
    pub editors_pick: Option<Pick>,
    pub body: String,
    /// Shared (`Rc`): cards hold them without copying, and compare them by identity.
    pub related: Vec<Rc<Summary>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Collection {
    pub title: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    /// Shared (`Rc`): cards hold them without copying, and compare them by identity.
    pub articles: Vec<Rc<Summary>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Author {
    pub name: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub avatar: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Image {
    pub src: String,
    pub alt: Option<String>,
    /// Inline Markdown (credit lines carry links).
    pub caption: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Pick {
    pub title: Option<String>,
    /// Inline Markdown, one point each.
    pub items: Vec<String>,
}

/// A card in "Read more", or an entry of a collection.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Summary {
    pub id: String,
    pub title: String,
    /// An extension of format version 1 (optional, like every extension): the entry's dek,
    /// searched in collections.
    pub subtitle: Option<String>,
    pub summary: Option<String>,
    pub editors_pick: Option<Pick>,
    pub image: Option<Image>,
    pub authors: Vec<Author>,
    pub tags: Vec<String>,
    pub published: Option<Date>,
    /// An article document, opened inside the viewer (relative to the listing document).
    pub href: Option<String>,
    /// A web page, opened as an ordinary link.
    pub url: Option<String>,
}
