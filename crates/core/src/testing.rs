//! Test support, not part of the viewer: a small deterministic pseudo-random generator for
//! the synthetic data of tests, benchmarks and examples across the workspace, so that they
//! need no dependency and every run sees the same data.

/// Deterministic pseudo-random numbers: xorshift64 (shifts 13, 7, 17) over the state `.0`.
/// A state of zero stays zero: seed with a nonzero value, or through [`Rng::new`].
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    /// A generator seeded with `seed` (zero is taken as one); the same as `Rng(seed)` otherwise.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `xs` (not empty).
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn the_sequence_is_xorshift64() {
        let mut r = Rng::new(1);
        assert_eq!([r.next_u64(), r.next_u64()], [1_082_269_761, 1_152_992_998_833_853_505]);
        assert_eq!(Rng::new(0).next_u64(), Rng(1).next_u64());
    }
}
