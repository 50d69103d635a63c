//! Bytes of the archive's files: LEB128 varints, sets of document ids, the bucket hash and
//! the file names. Both sides use it: the builder writes with [`Out`], the engine reads
//! with [`In`]. Every file is one gzip member on disk; the fetcher hands the engine the
//! inflated bytes (the browser's `DecompressionStream`, natively flate2).

/// A truncated or malformed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corrupt;

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
}

impl<'a> In<'a> {
    pub fn new(bytes: &'a [u8]) -> In<'a> {
        In { bytes, at: 0 }
    }

    pub fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub fn byte(&mut self) -> Read<u8> {
        let b = *self.bytes.get(self.at).ok_or(Corrupt)?;
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
        Err(Corrupt)
    }

    pub fn u32(&mut self) -> Read<u32> {
        u32::try_from(self.varint()?).map_err(|_| Corrupt)
    }

    /// A count of items each at least one byte long: bounded by what is left.
    pub fn count(&mut self) -> Read<usize> {
        let n = self.varint()? as usize;
        if n > self.bytes.len() - self.at.min(self.bytes.len()) + 1 {
            return Err(Corrupt);
        }
        Ok(n)
    }

    pub fn bytes(&mut self, n: usize) -> Read<&'a [u8]> {
        let end = self.at.checked_add(n).ok_or(Corrupt)?;
        let s = self.bytes.get(self.at..end).ok_or(Corrupt)?;
        self.at = end;
        Ok(s)
    }

    pub fn text(&mut self) -> Read<&'a [u8]> {
        let n = self.varint()? as usize;
        self.bytes(n)
    }

    pub fn string(&mut self) -> Read<String> {
        String::from_utf8(self.text()?.to_vec()).map_err(|_| Corrupt)
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

/// Reads what [`put_set`] wrote.
pub fn get_set(r: &mut In<'_>, domain: u32) -> Read<Vec<u32>> {
    let list = |r: &mut In<'_>| -> Read<Vec<u32>> {
        let n = r.count()?;
        let mut v = Vec::with_capacity(n);
        let mut next = 0u64;
        for _ in 0..n {
            let id = next + r.varint()?;
            if id >= u64::from(domain) {
                return Err(Corrupt);
            }
            v.push(id as u32);
            next = id + 1;
        }
        Ok(v)
    };
    match r.byte()? {
        0 => list(r),
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
            let absent = list(r)?;
            let mut v = Vec::with_capacity(domain as usize - absent.len());
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
        _ => Err(Corrupt),
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
    pub fn publisher_order(chunk: u32) -> String {
        format!("o/p{chunk}.bin")
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
        assert_eq!(r.varint(), Err(Corrupt));
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
            let mut r = In::new(&v);
            assert_eq!(get_set(&mut r, domain), Ok(ids.clone()));
            assert!(r.done());
        }
        let mut v = Vec::new();
        put_set(&mut v, &(0..1000).filter(|i| i % 50 != 7).collect::<Vec<_>>(), domain);
        assert_eq!(v[0], 2, "a nearly full set is written as its complement");
        assert!(v.len() < 40);
    }
}
