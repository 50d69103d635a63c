//! Latin typos. A Latin word of [`MIN_LEN`] letters or more in a query also finds the
//! collection's words one edit away (a letter added, dropped, changed, or two neighbours
//! swapped: `Oracel` finds Oracle, `kubernets` finds Kubernetes). Korean is never fuzzed:
//! 초성 and mid-syllable matching already cover how Hangul is typed.

/// Query words shorter than this are matched exactly only.
pub const MIN_LEN: usize = 5;
/// Words of the collection one edit from a query word that are tried, at most.
const NEIGHBOURS: usize = 8;
/// Spellings of the whole query tried, at most.
const REWRITES: usize = 16;
/// Longer runs of letters (a URL, a hash) are not words anyone mistypes.
const MAX_WORD: usize = 40;

/// The collection's Latin words (lower case, [`MIN_LEN`] - 1 letters or more), by length.
#[derive(Default)]
pub struct Vocabulary {
    by_len: Vec<Vec<Box<str>>>,
}

impl Vocabulary {
    pub fn new<'a>(texts: impl Iterator<Item = &'a str>) -> Vocabulary {
        let mut by_len: Vec<Vec<Box<str>>> = vec![Vec::new(); MAX_WORD + 1];
        for text in texts {
            for word in latin_words(text) {
                if let Some(list) = by_len.get_mut(word.len()) {
                    list.push(word.into_boxed_str());
                }
            }
        }
        for list in &mut by_len {
            list.sort_unstable();
            list.dedup();
        }
        Vocabulary { by_len }
    }

    /// Words of the collection one edit from `word` (lower case), which do not already
    /// contain it (those match exactly), at most [`NEIGHBOURS`].
    pub fn neighbours(&self, word: &str) -> Vec<&str> {
        let lens = word.len().saturating_sub(1)..=word.len() + 1;
        lens.filter_map(|len| self.by_len.get(len))
            .flatten()
            .map(|w| &**w)
            .filter(|w| !w.contains(word) && within_one_edit(word.as_bytes(), w.as_bytes()))
            .take(NEIGHBOURS)
            .collect()
    }

    /// Other spellings of `query`: each eligible word replaced by a neighbour (every
    /// combination, at most [`REWRITES`]), words joined by a space.
    pub fn rewrites(&self, query: &str) -> Vec<String> {
        let words: Vec<String> = query.split_whitespace().map(str::to_string).collect();
        let options: Vec<Vec<String>> = words
            .iter()
            .map(|w| {
                let mut o = vec![w.clone()];
                if eligible(w) {
                    o.extend(self.neighbours(&w.to_ascii_lowercase()).into_iter().map(str::to_string));
                }
                o
            })
            .collect();
        let mut out = Vec::new();
        let mut choice = vec![0usize; options.len()];
        // Counting through the combinations, the first (every word as typed) skipped.
        while advance(&mut choice, &options) && out.len() < REWRITES {
            out.push(choice.iter().zip(&options).map(|(&c, o)| o[c].as_str()).collect::<Vec<_>>().join(" "));
        }
        out
    }
}

/// The next combination of `choice` (an odometer over each word's options); false after the last.
fn advance(choice: &mut [usize], options: &[Vec<String>]) -> bool {
    for (c, o) in choice.iter_mut().zip(options) {
        if *c + 1 < o.len() {
            *c += 1;
            return true;
        }
        *c = 0;
    }
    false
}

/// A query word that may be fuzzed: Latin letters only, [`MIN_LEN`] or more.
pub fn eligible(word: &str) -> bool {
    (MIN_LEN..=MAX_WORD).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Runs of ASCII letters in `text`, lower case, of `MIN_LEN - 1` to `MAX_WORD` letters.
fn latin_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| (MIN_LEN - 1..=MAX_WORD).contains(&w.len()))
        .map(str::to_ascii_lowercase)
}

/// Whether `a` becomes `b` by at most one edit: a letter inserted, deleted or replaced, or
/// two adjacent letters swapped (optimal string alignment distance ≤ 1).
pub fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[common..], &b[common..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y => ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..]),
        (x, y) if x + 1 == y => ra == &rb[1..],
        (x, y) if y + 1 == x => &ra[1..] == rb,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_is_a_letter_added_dropped_changed_or_swapped() {
        let yes = [("oracel", "oracle"), ("kubernets", "kubernetes"), ("oracle", "oracles"), ("orakle", "oracle")];
        for (a, b) in yes {
            assert!(within_one_edit(a.as_bytes(), b.as_bytes()), "{a} {b}");
            assert!(within_one_edit(b.as_bytes(), a.as_bytes()), "{b} {a}");
        }
        let no = [("oracle", "orcale1"), ("oracle", "elcaro"), ("kubernetes", "kubrnets"), ("abcde", "bacdf")];
        for (a, b) in no {
            assert!(!within_one_edit(a.as_bytes(), b.as_bytes()), "{a} {b}");
        }
    }

    /// The brute-force reference: every edit of `a` spelled out.
    fn edits(a: &str) -> Vec<String> {
        let b = a.as_bytes();
        let letters = b"abcdefghijklmnopqrstuvwxyz";
        let mut out = vec![a.to_string()];
        for i in 0..=b.len() {
            for &l in letters {
                out.push(format!("{}{}{}", &a[..i], l as char, &a[i..]));
                if i < b.len() {
                    out.push(format!("{}{}{}", &a[..i], l as char, &a[i + 1..]));
                }
            }
            if i < b.len() {
                out.push(format!("{}{}", &a[..i], &a[i + 1..]));
            }
            if i + 1 < b.len() {
                out.push(format!("{}{}{}{}", &a[..i], b[i + 1] as char, b[i] as char, &a[i + 2..]));
            }
        }
        out
    }

    #[test]
    fn the_check_agrees_with_every_edit_spelled_out() {
        let mut rng = crate::testing::Rng::new(7);
        for _ in 0..300 {
            let len = 1 + rng.below(7);
            let a: String = (0..len).map(|_| char::from(b'a' + rng.below(4) as u8)).collect();
            let all = edits(&a);
            for _ in 0..30 {
                let blen = 1 + rng.below(8);
                let b: String = (0..blen).map(|_| char::from(b'a' + rng.below(4) as u8)).collect();
                assert_eq!(within_one_edit(a.as_bytes(), b.as_bytes()), all.contains(&b), "{a} {b}");
            }
        }
    }

    #[test]
    fn rewrites_replace_eligible_words_only() {
        let v = Vocabulary::new(["Oracle Cloud와 Kubernetes, 오라클", "oracles kubernetes-native"].into_iter());
        assert_eq!(v.neighbours("oracel"), ["oracle"]);
        assert_eq!(v.rewrites("Oracel 클라우드"), ["oracle 클라우드"]);
        assert_eq!(v.rewrites("Oracel kubernets"), ["oracle kubernets", "Oracel kubernetes", "oracle kubernetes"]);
        // Four letters, Hangul, and words already found as typed are not rewritten.
        assert!(v.rewrites("orcl 오라클").is_empty());
        assert!(v.rewrites("oracle").is_empty(), "oracles contains oracle: it matches already");
    }
}
