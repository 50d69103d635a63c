//! Static archives: a collection too large to load whole, searched through a prebuilt index
//! cut into small immutable files that any static host or CDN serves, fetched on demand.
//! The results, their order, the totals and the facet counts are exactly those of
//! [`crate::search::Index::search`] over the whole collection. `docs/reference/archive-index.md` is
//! the full description of the files; this is the design in short.
//!
//! **Matching on the vocabulary.** A term never contains a space and no matcher accepts a
//! space or a field separator, so a term occurs in an entry exactly when it occurs in one
//! of the entry's *tokens* (maximal runs of folded units without a space, per field). The
//! builder keeps, per distinct token, the set of entries holding it (and which hold it in
//! the title). A term's result is the union of the sets of the tokens it matches, decided
//! by the in-memory engine's own matcher ([`crate::search::QueryTerm::match_token`]); the
//! term is exact in an entry when it matches one of its tokens exactly. Everything the
//! in-memory ranking reads (title hit, exact hit, date) is thereby known per entry.
//!
//! **Ids** are newest first (undated last, ties in the publisher's order): "newest" is
//! ascending id, relevance ties break on the id, and "oldest" is descending id except
//! within a run of equal dates, which a bitmap of ties (`o/t*.bin`) restores.
//!
//! **Answers for common terms.** The builder enumerates what a reader can type to find a
//! substring of a token: the syllables as written, every state of the last syllable on the
//! way (오 → 올 → 오라 → 오랔, the tail moving on to the next syllable), initials only
//! (ㅇㄹㅋ), and syllables then initials (오ㄹㅋ). Each distinct compiled term found in at
//! least `heavy` entries, and every one-unit term, gets an *answer*: total, tag and author
//! counts, the first ids in each order, and where its set is. Answers live in buckets by a
//! hash of the term's key (`a/*.bin`, a few KB each), so a keystroke on a common term costs
//! one small file plus the entries it shows (`s/*.bin`).
//!
//! **The dictionary for rare terms.** Every token is listed in the bucket of each class
//! pair it contains (`d/*.bin`); a rare token carries its set inline, with each entry's
//! facet ids. A term without an answer looks up the bucket of its first two classes
//! (which all its alternatives share), matches the tokens there, and unions their sets:
//! all rare (a term is at least as common as any token it matches), so one file answers
//! it, facets included. Typing on narrows a term, its tokens are a subset of the ones
//! already matched, and the bucket is the same file: nothing more is fetched.
//!
//! **Combining.** Several terms, paging past the precomputed ids, or a selected facet
//! need sets: a common term's set file (`t/*.bin`: ids, title and exactness bits) and a
//! rare term's inline set are intersected; counts come from facet ids carried by a rare
//! term's set, else from the facet column (`f/*.bin`, per entry). The empty query pages
//! newest first, through ids alone.
//!
//! The engine ([`Archive`]) does no I/O: [`Archive::search`] answers or names the files it
//! needs; the caller fetches them (inflating the gzip bodies), [`Archive::provide`]s them
//! and asks again. The browser and the native tests drive it the same way.
//!
//! **Tampered archives.** Files come from anywhere. Every size a file claims is checked
//! against the manifest's limits and against the file's own length before anything is
//! allocated, and a refusal is a [`Corrupt`] that names the file, the claim and the limit
//! (`docs/reference/archive-index.md`, "Limits").

// The core's search rules are the archive's: `crate::search` reads as in the core.
use article_viewer_core::{search, sorting};

pub mod codec;
mod engine;
pub mod files;
#[doc(hidden)]
pub mod fuzz;
/// The writer: `article-viewer-cli index` (native only; the worker's wasm has no use for it).
#[cfg(feature = "index")]
pub mod index;
#[cfg(test)]
mod tests;

pub use codec::{Corrupt, Why};
pub use engine::{question_grant, Archive, Hit, Page, Step, CACHE_BUDGET};

/// The index format version this engine reads (`format::ArchivePointer::version`).
pub const VERSION: u32 = 1;
