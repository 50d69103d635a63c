//! What a reader may type to find part of a token: the queries whose answers are worth
//! precomputing. For every substring of a token (up to [`MAX_CHARS`] characters):
//!
//! - as written, and every state of its last syllable on the way there, as a 2-set IME
//!   shows it (클: ㅋ, 크, 클), plus the state where the next syllable's initial is still
//!   the last syllable's tail (오라 + 클 → 오랔, 달 + 걀 → 닭);
//! - initials only (오라클 → ㅇㄹㅋ);
//! - the first syllables as written, the rest as initials (오ㄹㅋ, 오라ㅋ).
//!
//! Anything else a reader types still works: it is answered through the dictionary.

use article_viewer_core::search::hangul::{compose, tail_atoms, vowel_atoms, LEAD_JAMO};
use article_viewer_core::search::{decompose, Syllable};

/// Longest substring (in characters) whose typings are enumerated.
pub const MAX_CHARS: usize = 12;

/// The tail made of these keys, if one is.
fn tail_of(keys: &[u8]) -> Option<u8> {
    (0..28u8).find(|&t| tail_atoms(t) == keys)
}

fn vowel_of(keys: &[u8]) -> Option<u8> {
    (0..21u8).find(|&v| vowel_atoms(v) == keys)
}

/// The states of a syllable while its keys are typed, the complete syllable excluded:
/// the bare initial first.
fn states(s: Syllable) -> Vec<char> {
    let mut out = vec![LEAD_JAMO[usize::from(s.lead)]];
    let v = vowel_atoms(s.vowel);
    let t = tail_atoms(s.tail);
    for k in 1..=v.len() + t.len() {
        if k == v.len() + t.len() {
            break;
        }
        let (vowel, tail) =
            if k <= v.len() { (vowel_of(&v[..k]), Some(0)) } else { (Some(s.vowel), tail_of(&t[..k - v.len()])) };
        if let (Some(vowel), Some(tail)) = (vowel, tail) {
            out.extend(compose(Syllable { lead: s.lead, vowel, tail }));
        }
    }
    out
}

fn initial(c: char) -> char {
    decompose(c).map_or(c, |s| LEAD_JAMO[usize::from(s.lead)])
}

/// Every typed string for the substrings of `token` (characters of one token), with
/// substrings of more than one character only if `long` (rare tokens only contribute
/// their characters, which keeps the one-unit answers complete).
pub fn typings(token: &[char], long: bool, out: &mut dyn FnMut(&str)) {
    let mut buf = String::new();
    let n = token.len();
    for i in 0..n {
        let max = if long { MAX_CHARS } else { 1 };
        for j in i + 1..=n.min(i + max) {
            let sub = &token[i..j];
            let (last, body) = sub.split_last().unwrap_or((&' ', &[]));
            let body: String = body.iter().collect();
            // As written, and the states of the last syllable.
            buf.clear();
            buf.extend(sub);
            out(&buf);
            if let Some(s) = decompose(*last) {
                for st in states(s) {
                    buf.clear();
                    buf.push_str(&body);
                    buf.push(st);
                    out(&buf);
                }
                // The next syllable's initial still typed as this one's tail.
                if let Some(next) = token.get(j).and_then(|&c| decompose(c)) {
                    let mut keys = tail_atoms(s.tail).to_vec();
                    keys.push(next.lead);
                    if let Some(tail) = tail_of(&keys) {
                        if let Some(c) = compose(Syllable { tail, ..s }) {
                            buf.clear();
                            buf.push_str(&body);
                            buf.push(c);
                            out(&buf);
                        }
                    }
                }
            }
            // Initials, after k syllables as written.
            if sub.iter().any(|&c| decompose(c).is_some()) {
                for k in 0..sub.len() {
                    buf.clear();
                    buf.extend(&sub[..k]);
                    buf.extend(sub[k..].iter().map(|&c| initial(c)));
                    out(&buf);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(token: &str) -> Vec<String> {
        let chars: Vec<char> = token.chars().collect();
        let mut v = Vec::new();
        typings(&chars, true, &mut |s| v.push(s.to_string()));
        v
    }

    #[test]
    fn typing_states_of_a_word() {
        let v = all("오라클");
        for want in [
            "ㅇ",
            "오",
            "올",
            "오라",
            "오랔",
            "오라클",
            "라클",
            "ㅇㄹㅋ",
            "오ㄹㅋ",
            "오라ㅋ",
            "ㅋ",
            "크",
            "클",
            "라",
            "랔",
        ] {
            assert!(v.iter().any(|s| s == want), "{want} in {v:?}");
        }
        let v = all("달걀");
        assert!(v.iter().any(|s| s == "닭"));
        let v = all("과자");
        assert!(v.iter().any(|s| s == "고"));
    }
}
