//! The body of the `archive_open` fuzz target (`fuzz/fuzz_targets/archive_open.rs`), here so
//! that a plain `cargo test` compiles and drives it too (the CLI's index tests feed it
//! thousands of pseudo-random and mutated archives; `cargo fuzz` needs a nightly compiler).
//!
//! An input is a manifest and the files a search asks for, in the order it asks:
//!
//! ```text
//! [manifest length: u16 LE] [manifest] [question: 1 byte] ([file length: u16 LE] [file])*
//! ```
//!
//! Whatever the bytes, [`open_and_provide`] must return: no panic, no abort, and memory
//! bounded by the input (the fuzzer's `-rss_limit_mb` checks that).

use super::{Archive, Step};
use crate::search::{Request, Sort};

/// Queries that reach every path: the empty query, one-unit and longer terms, 초성, two terms.
const QUERIES: [&str; 8] = ["", "a", "ab", "오라", "ㅇㄹ", "ab cd", "클라우드 ai", "x"];

/// Lays out an input: `manifest`, the question byte, then `files` in the order given.
pub fn pack(manifest: &[u8], question: u8, files: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, part) in std::iter::once(manifest).chain(files.iter().copied()).enumerate() {
        let part = &part[..part.len().min(usize::from(u16::MAX))];
        out.extend((part.len() as u16).to_le_bytes());
        out.extend_from_slice(part);
        if i == 0 {
            out.push(question);
        }
    }
    out
}

/// Reads an input's parts front to back; past the end every part is empty.
struct Parts<'a>(&'a [u8]);

impl<'a> Parts<'a> {
    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        b
    }

    fn part(&mut self) -> &'a [u8] {
        let n = usize::from(u16::from_le_bytes([self.byte(), self.byte()])).min(self.0.len());
        let (part, rest) = self.0.split_at(n);
        self.0 = rest;
        part
    }
}

/// The question byte: which query (bits 0-2), order (bits 3-4), whether the first tag and
/// the first author of the manifest are selected (bits 5, 6), and whether the page is the
/// second one, past the precomputed first pages (bit 7).
fn question(archive: &Archive, q: u8) -> (Request, usize) {
    let m = archive.manifest();
    let first =
        |names: &[(String, u32)], on: bool| names.first().filter(|_| on).map(|n| vec![n.0.clone()]).unwrap_or_default();
    let sort = [Sort::Relevance, Sort::Newest, Sort::Oldest, Sort::Relevance][usize::from(q >> 3 & 3)];
    let req = Request {
        query: QUERIES[usize::from(q & 7)].to_string(),
        tags: first(&m.tags, q & 32 != 0),
        authors: first(&m.authors, q & 64 != 0),
        sort,
        as_typed: false,
    };
    (req, if q & 128 != 0 { 48 } else { 0 })
}

/// Opens the input's manifest, asks its question, and provides each file asked for with the
/// input's next part, for at most 32 rounds; then the counts. Returns what the engine said
/// last, as text (a page's total, a refusal's message, or that the input ran out).
pub fn open_and_provide(data: &[u8]) -> String {
    let mut parts = Parts(data);
    let manifest = parts.part();
    let question = parts.byte();
    drive(manifest, question, &mut |_| (!parts.0.is_empty()).then(|| parts.part().to_vec()))
}

/// The input that gives the engine, for `question`, the files `fetch` returns by name (an
/// honest archive's, to mutate), with what the engine answers.
pub fn record(manifest: &[u8], question: u8, fetch: &mut dyn FnMut(&str) -> Vec<u8>) -> (Vec<u8>, String) {
    let mut files = Vec::new();
    let said = drive(manifest, question, &mut |name| {
        let bytes = fetch(name);
        files.push(bytes.clone());
        Some(bytes)
    });
    let parts: Vec<&[u8]> = files.iter().map(|f| f.as_slice()).collect();
    (pack(manifest, question, &parts), said)
}

fn drive(manifest: &[u8], q: u8, next: &mut dyn FnMut(&str) -> Option<Vec<u8>>) -> String {
    let mut archive = match Archive::open(manifest) {
        Ok(a) => a,
        Err(e) => return e.to_string(),
    };
    let (req, offset) = question(&archive, q);
    let mut last = String::new();
    for counts in [false, true] {
        for _ in 0..32 {
            let step = if counts { archive.search(&req, offset, 12) } else { archive.search_hits(&req, offset, 12) };
            match step {
                Err(e) => return e.to_string(),
                Ok(Step::Done(page)) => {
                    last = format!("{} entries", page.total);
                    break;
                }
                Ok(Step::Need(files)) => {
                    for f in files {
                        let Some(bytes) = next(&f) else { return "ran out of files".into() };
                        if let Err(e) = archive.provide(&f, bytes) {
                            return e.to_string();
                        }
                    }
                }
            }
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_round_trip_through_pack() {
        let data = pack(b"AVA1", 5, &[b"xy", b""]);
        let mut p = Parts(&data);
        assert_eq!(p.part(), b"AVA1");
        assert_eq!(p.byte(), 5);
        assert_eq!(p.part(), b"xy");
        assert_eq!(p.part(), b"");
        assert_eq!(p.part(), b"", "past the end");
        // Lengths longer than what is left are cut, never trusted.
        assert_eq!(Parts(&[9, 0, 1]).part(), &[1]);
        assert_eq!(open_and_provide(&[]), "manifest.bin: truncated (a value runs past byte 0 of 0)");
    }
}
