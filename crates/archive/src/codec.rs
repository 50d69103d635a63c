//! Bytes of the archive's files: LEB128 varints, sets of document ids, the bucket hash and
//! the file names. Both sides use it: the builder writes with [`Out`], the engine reads
//! with [`In`]. Every file is one gzip member on disk; the fetcher hands the engine the
//! inflated bytes (the browser's `DecompressionStream`, natively flate2).
//!
//! Archives come from anywhere, so every size a file claims is checked before anything is
//! allocated for it: a count against the bytes left (each item takes at least one), a set
//! against its domain, and a set written as its complement (a few bytes that stand for
//! almost every entry) against a budget of ids the caller grants ([`In::with_spare`]).

use std::fmt;

/// Why a file was refused: a truncated or malformed file, or a size it claims beyond a limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corrupt {
    /// The file, relative to the manifest (empty until the engine names it).
    pub file: String,
    pub why: Why,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// The file ends inside a value: at byte `at` of `len`.
    Truncated { at: usize, len: usize },
    /// A value the format does not allow here.
    Malformed(&'static str),
    /// `what` claims `claimed`, over `limit`.
    TooLarge { what: &'static str, claimed: u64, limit: u64 },
}

impl Corrupt {
    pub fn malformed(what: &'static str) -> Corrupt {
        Corrupt { file: String::new(), why: Why::Malformed(what) }
    }

    pub fn too_large(what: &'static str, claimed: u64, limit: u64) -> Corrupt {
        Corrupt { file: String::new(), why: Why::TooLarge { what, claimed, limit } }
    }

    /// Names the file (the first name given stays: it is the innermost).
    pub fn in_file(mut self, name: &str) -> Corrupt {
        if self.file.is_empty() {
            self.file = name.to_string();
        }
        self
    }
}

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = if self.file.is_empty() { "archive file" } else { &self.file };
        match &self.why {
            Why::Truncated { at, len } => write!(f, "{file}: truncated (a value runs past byte {at} of {len})"),
            Why::Malformed(what) => write!(f, "{file}: malformed ({what})"),
            Why::TooLarge { what, claimed, limit } => {
                write!(f, "{file}: {what} claims {claimed}, over the limit of {limit}")
            }
        }
    }
}

impl std::error::Error for Corrupt {}

pub type Read<T> = Result<T, Corrupt>;

/// Appends to a byte vector.
pub trait Out {
    fn varint(&mut self, v: u64);
    fn text(&mut self, s: &[u8]);
}

impl Out for Vec<u8> {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.push(v as u8);
    }

    fn text(&mut self, s: &[u8]) {
        self.varint(s.len() as u64);
        self.extend_from_slice(s);
    }
}

/// Reads a file front to back.
pub struct In<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Ids that sets written as their complement may still expand to (see [`get_set`]).
    spare: u64,
}

/// Ids a byte may stand for without a grant: a bitmap holds 8 per byte, every other form
/// fewer.
pub const IDS_PER_BYTE: u64 = 8;

impl<'a> In<'a> {
    /// A reader whose complement sets may expand to [`IDS_PER_BYTE`] ids per byte of `bytes`.
    pub fn new(bytes: &'a [u8]) -> In<'a> {
        In::with_spare(bytes, 0)
    }

    /// As [`In::new`], with `extra` more ids granted to complement sets.
    pub fn with_spare(bytes: &'a [u8], extra: u64) -> In<'a> {
        let own = (bytes.len() as u64).saturating_mul(IDS_PER_BYTE);
        In { bytes, at: 0, spare: own.saturating_add(extra) }
    }

    /// Ids complement sets may still expand to.
    pub fn spare(&self) -> u64 {
        self.spare
    }

    /// Runs `f` with `ids` more spare ids; what it leaves of them does not carry over.
    pub fn granted<T>(&mut self, ids: u64, f: impl FnOnce(&mut Self) -> Read<T>) -> Read<T> {
        let before = self.spare;
        self.spare = self.spare.saturating_add(ids);
        let out = f(self);
        self.spare = self.spare.min(before);
        out
    }

    fn spend(&mut self, what: &'static str, ids: u64) -> Read<()> {
        if ids > self.spare {
            return Err(Corrupt::too_large(what, ids, self.spare));
        }
        self.spare -= ids;
        Ok(())
    }

    pub fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// Bytes not read yet.
    pub fn left(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    pub fn position(&self) -> usize {
        self.at
    }

    fn truncated(&self) -> Corrupt {
        Corrupt { file: String::new(), why: Why::Truncated { at: self.at, len: self.bytes.len() } }
    }

    pub fn byte(&mut self) -> Read<u8> {
        let b = *self.bytes.get(self.at).ok_or_else(|| self.truncated())?;
        self.at += 1;
        Ok(b)
    }

    pub fn varint(&mut self) -> Read<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(Corrupt::malformed("a varint longer than 64 bits"))
    }

    pub fn u32(&mut self) -> Read<u32> {
        u32::try_from(self.varint()?).map_err(|_| Corrupt::malformed("a number over 32 bits"))
    }

    /// A count of items each at least one byte long: bounded by what is left.
    pub fn count(&mut self) -> Read<usize> {
        let n = self.varint()?;
        let limit = self.left() as u64 + 1;
        if n > limit {
            return Err(Corrupt::too_large("a count of items, each a byte or more,", n, limit));
        }
        Ok(n as usize)
    }

    pub fn bytes(&mut self, n: usize) -> Read<&'a [u8]> {
        let end = self.at.checked_add(n).ok_or_else(|| self.truncated())?;
        let s = self.bytes.get(self.at..end).ok_or_else(|| self.truncated())?;
        self.at = end;
        Ok(s)
    }

    pub fn text(&mut self) -> Read<&'a [u8]> {
        let n = self.varint()?;
        let n = usize::try_from(n).map_err(|_| self.truncated())?;
        self.bytes(n)
    }

    pub fn string(&mut self) -> Read<String> {
        String::from_utf8(self.text()?.to_vec()).map_err(|_| Corrupt::malformed("text that is not UTF-8"))
    }
}

/// A sorted set of ids below `domain`, written the smallest of three ways: a list of gaps,
/// a bitmap, or the list of gaps of its complement (a term found almost everywhere).
pub fn put_set(out: &mut Vec<u8>, ids: &[u32], domain: u32) {
    let gaps = |ids: &mut dyn Iterator<Item = u32>| -> Vec<u8> {
        let mut v = Vec::new();
        let mut next = 0u32;
        let mut n = 0u64;
        let mut body = Vec::new();
        for id in ids {
            body.varint(u64::from(id - next));
            next = id + 1;
            n += 1;
        }
        v.varint(n);
        v.extend_from_slice(&body);
        v
    };
    let list = gaps(&mut ids.iter().copied());
    let bitmap_len = (domain as usize).div_ceil(8);
    let dense = ids.len() as u64 * 2 > u64::from(domain);
    let complement = dense.then(|| {
        let mut it = ids.iter().copied().peekable();
        let mut absent = (0..domain).filter(move |&i| {
            while it.peek().is_some_and(|&x| x < i) {
                it.next();
            }
            it.peek() != Some(&i)
        });
        gaps(&mut absent)
    });
    let best_list = match &complement {
        Some(c) if c.len() < list.len() => (2u8, c),
        _ => (0u8, &list),
    };
    if bitmap_len < best_list.1.len() {
        out.push(1);
        let mut bits = vec![0u8; bitmap_len];
        for &id in ids {
            if let Some(b) = bits.get_mut(id as usize / 8) {
                *b |= 1 << (id % 8);
            }
        }
        out.extend_from_slice(&bits);
    } else {
        out.push(best_list.0);
        out.extend_from_slice(best_list.1);
    }
}

/// Reads what [`put_set`] wrote. A list or a bitmap allocates no more than its bytes hold;
/// a complement (`domain` minus a few ids, from a few bytes) is paid for from the reader's
/// spare ids, so a tampered file cannot make a small read expand to every entry over and
/// over.
pub fn get_set(r: &mut In<'_>, domain: u32) -> Read<Vec<u32>> {
    match r.byte()? {
        0 => get_list(r, domain),
        1 => {
            let bits = r.bytes((domain as usize).div_ceil(8))?;
            let mut v = Vec::new();
            for (i, &b) in bits.iter().enumerate() {
                let mut b = b;
                while b != 0 {
                    let id = i as u32 * 8 + b.trailing_zeros();
                    if id < domain {
                        v.push(id);
                    }
                    b &= b - 1;
                }
            }
            Ok(v)
        }
        2 => {
            let absent = get_list(r, domain)?;
            let members = domain as usize - absent.len();
            r.spend("a complement set, against this request's grant of ids,", members as u64)?;
            let mut v = Vec::with_capacity(members);
            let mut a = absent.iter().peekable();
            for id in 0..domain {
                if a.peek() == Some(&&id) {
                    a.next();
                } else {
                    v.push(id);
                }
            }
            Ok(v)
        }
        _ => Err(Corrupt::malformed("a set kind other than list, bitmap or complement")),
    }
}

/// Ascending gap-coded ids below `domain`: at most one per byte and `domain` in all.
fn get_list(r: &mut In<'_>, domain: u32) -> Read<Vec<u32>> {
    let n = r.count()?;
    if n as u64 > u64::from(domain) {
        return Err(Corrupt::too_large("a set's id count", n as u64, u64::from(domain)));
    }
    let mut v = Vec::with_capacity(n);
    let mut next = 0u64;
    for _ in 0..n {
        let id = next + r.varint()?;
        if id >= u64::from(domain) {
            return Err(Corrupt::too_large("an id in a set", id, u64::from(domain)));
        }
        v.push(id as u32);
        next = id + 1;
    }
    Ok(v)
}

/// Steps over what [`put_set`] wrote without allocating; its number of ids.
pub fn skip_set(r: &mut In<'_>, domain: u32) -> Read<u32> {
    let list = |r: &mut In<'_>| -> Read<u32> {
        let n = r.count()?;
        if n as u64 > u64::from(domain) {
            return Err(Corrupt::too_large("a set's id count", n as u64, u64::from(domain)));
        }
        let mut next = 0u64;
        for _ in 0..n {
            next += r.varint()? + 1;
            if next > u64::from(domain) {
                return Err(Corrupt::too_large("an id in a set", next - 1, u64::from(domain)));
            }
        }
        Ok(n as u32)
    };
    match r.byte()? {
        0 => list(r),
        1 => {
            let bits = r.bytes((domain as usize).div_ceil(8))?;
            let all: u32 = bits.iter().map(|b| b.count_ones()).sum();
            // Bits past the domain in the last byte are not ids.
            let past = bits.last().map_or(0, |&b| if domain % 8 == 0 { 0 } else { (b >> (domain % 8)).count_ones() });
            Ok(all - past)
        }
        2 => Ok(domain - list(r)?),
        _ => Err(Corrupt::malformed("a set kind other than list, bitmap or complement")),
    }
}

/// FNV-1a: which bucket file holds a key. Stable across builds and platforms.
pub fn bucket(key: &[u8], buckets: u32) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for &b in key {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % buckets.max(1)
}

/// Names of the archive's files, relative to the manifest's folder.
pub mod names {
    pub fn answers(bucket: u32) -> String {
        format!("a/{bucket}.bin")
    }
    pub fn dict(bucket: u32) -> String {
        format!("d/{bucket}.bin")
    }
    pub fn set(n: u32) -> String {
        format!("t/{n}.bin")
    }
    /// Facet ids of a common token's entries, aligned with its set file.
    pub fn set_facets(n: u32) -> String {
        format!("t/{n}f.bin")
    }
    /// The tokens a common term matches (for counting a combined query over it).
    pub fn term_tokens(n: u32) -> String {
        format!("t/{n}k.bin")
    }
    /// A common term's (tag, author) pair counts (a set file with only those).
    pub fn term_pairs(n: u32) -> String {
        format!("t/{n}x.bin")
    }
    /// Entries with one tag (`t`) or author (`a`), and (`x`) the (tag, author) pair
    /// counts of the whole archive.
    pub fn value_set(facet: char, id: u32) -> String {
        format!("v/{facet}{id}.bin")
    }
    pub const PAIRS: &str = "v/x.bin";
    pub fn store(chunk: u32) -> String {
        format!("s/{chunk}.bin")
    }
    pub fn facets(chunk: u32) -> String {
        format!("f/{chunk}.bin")
    }
    pub fn ties(chunk: u32) -> String {
        format!("o/t{chunk}.bin")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let mut v = Vec::new();
        for n in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            v.varint(n);
        }
        let mut r = In::new(&v);
        for n in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(r.varint(), Ok(n));
        }
        assert!(r.done());
        assert_eq!(r.varint().map_err(|e| e.why), Err(Why::Truncated { at: v.len(), len: v.len() }));
    }

    #[test]
    fn sets_round_trip_in_every_shape() {
        let domain = 1000;
        let cases: Vec<Vec<u32>> = vec![
            vec![],
            vec![0],
            vec![999],
            (0..1000).step_by(3).collect(),
            (0..1000).filter(|i| i % 50 != 7).collect(),
            (0..1000).collect(),
            vec![5, 6, 7, 900],
        ];
        for ids in cases {
            let mut v = Vec::new();
            put_set(&mut v, &ids, domain);
            // A complement may expand past its bytes only by what the caller grants.
            let mut r = In::with_spare(&v, u64::from(domain));
            assert_eq!(get_set(&mut r, domain), Ok(ids.clone()));
            assert!(r.done());
            let mut r = In::new(&v);
            assert_eq!(skip_set(&mut r, domain), Ok(ids.len() as u32), "skipping counts the same ids");
            assert!(r.done());
        }
        let mut v = Vec::new();
        put_set(&mut v, &(0..1000).filter(|i| i % 50 != 7).collect::<Vec<_>>(), domain);
        assert_eq!(v[0], 2, "a nearly full set is written as its complement");
        assert!(v.len() < 40);
    }

    fn too_large(r: Read<Vec<u32>>) -> (&'static str, u64, u64) {
        match r.map_err(|e| e.why) {
            Err(Why::TooLarge { what, claimed, limit }) => (what, claimed, limit),
            other => panic!("not refused as too large: {:?}", other.map(|v| v.len())),
        }
    }

    #[test]
    fn a_two_byte_set_of_every_entry_is_paid_for_before_it_is_allocated() {
        let every = [2u8, 0];
        // Its own two bytes may stand for 16 ids, not four million.
        let (what, claimed, limit) = too_large(get_set(&mut In::new(&every), 1 << 22));
        assert_eq!((what, claimed, limit), ("a complement set, against this request's grant of ids,", 1 << 22, 16));
        // Granted, it decodes, and the grant is spent.
        let mut r = In::with_spare(&every, 1 << 22);
        assert_eq!(get_set(&mut r, 1 << 22).map(|v| v.len()), Ok(1 << 22));
        assert_eq!(r.spare(), 16);
        let mut r = In::with_spare(&[2, 0, 2, 0], 1 << 22);
        assert!(get_set(&mut r, 1 << 22).is_ok());
        assert_eq!(too_large(get_set(&mut r, 1 << 22)).1, 1 << 22, "the second one finds the grant spent");
    }

    #[test]
    fn lying_and_truncated_lengths_are_refused_with_what_they_claim() {
        // A list claiming a million ids in four bytes.
        let mut v = vec![0u8];
        v.varint(1_000_000);
        v.extend([0, 0]);
        assert_eq!(
            too_large(get_set(&mut In::new(&v), 1 << 22)),
            ("a count of items, each a byte or more,", 1_000_000, 3)
        );
        // More ids than the domain has, and an id past it.
        assert_eq!(too_large(get_set(&mut In::new(&[0, 3, 0, 0, 0]), 2)), ("a set's id count", 3, 2));
        assert_eq!(too_large(get_set(&mut In::new(&[0, 1, 9]), 5)), ("an id in a set", 9, 5));
        // A bitmap shorter than its domain; a text longer than the file.
        let e = get_set(&mut In::new(&[1, 0xFF]), 64).unwrap_err();
        assert_eq!(e.why, Why::Truncated { at: 1, len: 2 });
        let e = In::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F, b'a']).text().unwrap_err().in_file("s/0.bin");
        assert_eq!(e.to_string(), "s/0.bin: truncated (a value runs past byte 5 of 6)");
        // An unknown set kind, a varint that never ends.
        assert_eq!(
            get_set(&mut In::new(&[7]), 5).unwrap_err().why,
            Why::Malformed("a set kind other than list, bitmap or complement")
        );
        assert!(matches!(In::new(&[0x80; 11]).varint().unwrap_err().why, Why::Malformed(_)));
    }

    #[test]
    fn refusals_read_as_sentences_that_name_the_file() {
        let e = Corrupt::too_large("the entry count", 50_000_000, 1 << 22).in_file("manifest.bin");
        assert_eq!(e.to_string(), "manifest.bin: the entry count claims 50000000, over the limit of 4194304");
        assert_eq!(Corrupt::malformed("x").in_file("a/1.bin").in_file("ignored").to_string(), "a/1.bin: malformed (x)");
        assert_eq!(Corrupt::malformed("x").to_string(), "archive file: malformed (x)");
    }
}
