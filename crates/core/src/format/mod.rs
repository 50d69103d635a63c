//! The article JSON format, version 1 (`docs/reference/format.md`): its Rust types, validation
//! (reading is strict where the document is unusable, lenient everywhere else) and writing.
//!
//! Reading goes through a lenient walker rather than `Deserialize`, so that a bad entry is
//! dropped and reported with its path instead of refusing the whole document. Writing is
//! `Serialize`: the publishing program writes documents with the same types the viewer reads.

mod parse;
mod value;
mod write;

pub use parse::{alias_problem, describe_json_error, parse_document, parse_summary, Limits, LIMITS};
pub use write::write_document;

use std::rc::Rc;

use serde::{Serialize, Serializer};

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

/// An article or a collection; written as the bare object (the fields tell them apart).
// One document is held per page or per file, never in bulk: boxing the larger variant would
// save nothing that counts and add an indirection to every match.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
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

/// Written as it was read: the RFC 3339 text.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Article {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// An extension of format version 1 (optional): the story's earlier addresses, as paths
    /// from the site's root (`/2024/05/slug/`, `/?p=123`); `build` sends each to the story's
    /// page. See [`alias_problem`] for what one may be.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// A `published` time in the future makes the story scheduled: `build` leaves it out
    /// until then (unless `--future`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<Date>,
    /// An extension of format version 1 (optional): a draft, which `build` leaves out
    /// (unless `--drafts`).
    #[serde(skip_serializing_if = "is_false")]
    pub draft: bool,
    /// An extension of format version 1 (optional): from this time on, `build` leaves the
    /// story out (unless `--future`, which publishes as if the time had not come).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Author>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editors_pick: Option<Pick>,
    pub body: String,
    /// Shared (`Rc`): cards hold them without copying, and compare them by identity.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Rc<Summary>>,
    /// An extension of format version 1 (optional, added 2026-12-08): the size and
    /// [`Variants`] of pictures in the body, each named by its address as the body writes it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pictures: Vec<Image>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Collection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// An extension of format version 1 (optional): the whole archive is searched through a
    /// static index (`article-viewer-cli index`, `docs/reference/archive-index.md`); `articles` then
    /// lists only its newest entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive: Option<ArchivePointer>,
    /// Shared (`Rc`): cards hold them without copying, and compare them by identity.
    /// Written even when empty: `articles` is what makes a document a collection.
    pub articles: Vec<Rc<Summary>>,
}

/// Where a collection's archive index is (`crate::archive`).
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct ArchivePointer {
    /// The index format's version (1); a viewer that does not know it ignores the pointer.
    pub version: u32,
    /// The index's manifest, relative to the collection document.
    pub manifest: String,
    /// Number of entries in the archive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Author {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Image {
    pub src: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    /// Inline Markdown (credit lines carry links).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// An extension of format version 1 (optional): the picture's size in pixels, so a page
    /// keeps its place before it arrives (no layout shift). The publishing program fills it
    /// in for pictures published with the site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// An extension of format version 1 (optional, added 2026-12-08): smaller copies of the
    /// picture that `build` made, which pages offer to the browser to choose from by width.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variants: Option<Variants>,
    /// An extension of format version 1 (optional, added 2026-12-08): a raster copy of at
    /// least 1200 × 630 pixels for link previews (`og:image`), which show no SVG.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
}

/// Copies of one picture at a few widths (`Image::variants`). Addresses are relative to the
/// document, as the picture's own.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Variants {
    /// The copies' type (`image/webp`): a browser that cannot show it takes `fallback`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The copies, narrowest first.
    pub srcset: Vec<Variant>,
    /// A copy in the picture's own format, for browsers that cannot show `kind`; the
    /// picture's `src` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    /// A tiny blurred picture (a `data:` address) shown while the picture loads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
}

/// One copy: its address and width in pixels.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Variant {
    pub src: String,
    pub width: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Pick {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Inline Markdown, one point each. Written even when empty: the format requires it.
    pub items: Vec<String>,
}

/// A card in "Read more", or an entry of a collection.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    /// An extension of format version 1 (optional, like every extension): the entry's dek,
    /// searched in collections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editors_pick: Option<Pick>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Author>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// An article document, opened inside the viewer (relative to the listing document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// A web page, opened as an ordinary link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}
