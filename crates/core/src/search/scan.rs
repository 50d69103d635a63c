//! Word-at-a-time search for a byte, a byte pair or a UTF-16 unit: the inner loops of
//! every query. WebAssembly without SIMD still has 64-bit integers, so SWAR pays there.

const LO8: u64 = 0x0101_0101_0101_0101;
const HI8: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const LO16: u64 = 0x0001_0001_0001_0001;
const HI16: u64 = 0x8000_8000_8000_8000;

/// High bit set in exactly the bytes of `x` that are zero (no false positives, unlike
/// the cheaper `(x - LO8) & !x` test, so the lowest set bit is the first match).
#[inline]
fn zero_bytes(x: u64) -> u64 {
    !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
}

#[inline]
fn load(hay: &[u8], at: usize) -> Option<u64> {
    let bytes: [u8; 8] = hay.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(bytes))
}

/// Position of the first `needle` in `hay`.
pub(crate) fn find_u8(hay: &[u8], needle: u8) -> Option<usize> {
    let pattern = LO8.wrapping_mul(u64::from(needle));
    let mut at = 0;
    while let (Some(a), Some(b)) = (load(hay, at), load(hay, at + 8)) {
        let (x, y) = (a ^ pattern, b ^ pattern);
        if (x.wrapping_sub(LO8) & !x | y.wrapping_sub(LO8) & !y) & HI8 != 0 {
            let m = zero_bytes(x);
            return Some(if m != 0 {
                at + (m.trailing_zeros() / 8) as usize
            } else {
                at + 8 + (zero_bytes(y).trailing_zeros() / 8) as usize
            });
        }
        at += 16;
    }
    hay.get(at..)?.iter().position(|&v| v == needle).map(|i| at + i)
}

/// Position `i` of the first `first` immediately followed by `second`.
pub(crate) fn find_pair(hay: &[u8], first: u8, second: u8) -> Option<usize> {
    let p0 = LO8.wrapping_mul(u64::from(first));
    let p1 = LO8.wrapping_mul(u64::from(second));
    let mut at = 0;
    while let (Some(a), Some(b)) = (load(hay, at), load(hay, at + 1)) {
        let m = zero_bytes(a ^ p0) & zero_bytes(b ^ p1);
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = hay.get(at..)?;
    rest.windows(2).position(|w| w[0] == first && w[1] == second).map(|i| at + i)
}

/// Position of the first `needle` in `hay`.
pub(crate) fn find_u16(hay: &[u16], needle: u16) -> Option<usize> {
    let pattern = LO16.wrapping_mul(u64::from(needle));
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut x = 0u64;
        let mut y = 0u64;
        for (i, (&a, &b)) in chunk.iter().zip(chunk.iter().skip(4)).take(4).enumerate() {
            x |= u64::from(a) << (16 * i);
            y |= u64::from(b) << (16 * i);
        }
        x ^= pattern;
        y ^= pattern;
        let hit = (x.wrapping_sub(LO16) & !x) | (y.wrapping_sub(LO16) & !y);
        if hit & HI16 != 0 {
            return chunk.iter().position(|&v| v == needle).map(|i| base + i);
        }
        base += 8;
    }
    hay.get(base..)?.iter().position(|&v| v == needle).map(|i| base + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_byte_mask_is_exact() {
        assert_eq!(zero_bytes(0x0100_0000_0000_00FF), 0x0080_8080_8080_8000);
        assert_eq!(zero_bytes(u64::MAX), 0);
        assert_eq!(zero_bytes(0x8001_0180_7F01_0001), 0x0000_0000_0000_8000);
    }

    #[test]
    fn finds_first_byte_at_every_offset_and_length() {
        for len in 0..40usize {
            for at in 0..len {
                let mut v = vec![7u8; len];
                v[at] = 200;
                if at + 3 < len {
                    v[at + 3] = 200;
                }
                assert_eq!(find_u8(&v, 200), Some(at), "len {len} at {at}");
                assert_eq!(find_u8(&v, 201), None);
            }
        }
        // Bytes next to the needle value, and a zero before a one (the borrow case).
        let v = [1u8, 0, 2, 0x81, 0x7f, 0xff, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        assert_eq!(find_u8(&v, 0x80), None);
        assert_eq!(find_u8(&v, 0), Some(1));
        assert_eq!(find_u8(&v, 1), Some(0));
        let mut w = [0u8; 20];
        w[17] = 1;
        assert_eq!(find_u8(&w, 1), Some(17));
    }

    #[test]
    fn finds_first_pair_at_every_offset_and_length() {
        for len in 0..40usize {
            for at in 0..len.saturating_sub(1) {
                let mut v = vec![5u8; len];
                // Decoys: the first byte alone, and the second byte alone.
                v[at] = 9;
                if at >= 2 {
                    v[at - 2] = 9;
                }
                if at + 1 < len {
                    v[at + 1] = 4;
                }
                if at > 0 {
                    v[0] = 4;
                }
                let want = if at >= 2 && v[at - 1] == 4 { Some(at - 2) } else { Some(at) };
                assert_eq!(find_pair(&v, 9, 4), want, "len {len} at {at}");
                assert_eq!(find_pair(&v, 4, 9), (0..len.saturating_sub(1)).find(|&i| v[i] == 4 && v[i + 1] == 9));
            }
        }
        assert_eq!(find_pair(&[9], 9, 9), None);
        assert_eq!(find_pair(&[9, 9], 9, 9), Some(0));
    }

    #[test]
    fn finds_first_unit_at_every_offset_and_length() {
        for len in 0..30usize {
            for at in 0..len {
                let mut v = vec![0xAC00u16; len];
                v[at] = 0xD7A3;
                assert_eq!(find_u16(&v, 0xD7A3), Some(at), "len {len} at {at}");
                assert_eq!(find_u16(&v, 0xD7A2), None);
                assert_eq!(find_u16(&v, 0xAC00), if at == 0 { (len > 1).then_some(1) } else { Some(0) });
            }
        }
    }
}
