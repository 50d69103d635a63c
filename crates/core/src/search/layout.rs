//! Queries typed in the wrong input mode. On a 2-set (두벌식) keyboard every Hangul jamo sits
//! on a Latin key, so 오라클 typed with the IME off arrives as `dhfkzmf`, and `oracle` typed
//! with it on arrives as `ㅐㄱㅁ칟`. [`swap_layout`] reads the keys back in the other mode,
//! composing jamo into syllables as a 2-set IME does.

use super::hangul::{compat_lead_index, compose, decompose, tail_atoms, tail_without_last, vowel_atoms, Syllable};
use super::hangul::{conjoining_to_compat, consonant_atoms, is_compat_vowel, LEAD_JAMO};

/// The jamo on each Latin key, `a` to `z`, without shift.
const KEYS: [char; 26] = [
    'ㅁ', 'ㅠ', 'ㅊ', 'ㅇ', 'ㄷ', 'ㄹ', 'ㅎ', 'ㅗ', 'ㅑ', 'ㅓ', 'ㅏ', 'ㅣ', 'ㅡ', 'ㅜ', 'ㅐ', 'ㅔ', 'ㅂ', 'ㄱ', 'ㄴ',
    'ㅅ', 'ㅕ', 'ㅍ', 'ㅈ', 'ㅌ', 'ㅛ', 'ㅋ',
];

/// The keys whose shifted jamo differs: the doubled consonants and ㅒ, ㅖ (read back as capitals).
const SHIFTED: [(char, char); 7] =
    [('Q', 'ㅃ'), ('W', 'ㅉ'), ('E', 'ㄸ'), ('R', 'ㄲ'), ('T', 'ㅆ'), ('O', 'ㅒ'), ('P', 'ㅖ')];

/// The query as the other input mode spells the same keys, when it plausibly was typed in the
/// wrong one: Latin letters that compose into Hangul syllables (no lone vowel, no consonant
/// alone before another), or Hangul read back as
/// Latin letters. `None` for a query with both scripts, with neither, or implausible keys.
pub fn swap_layout(query: &str) -> Option<String> {
    let latin = query.chars().any(|c| c.is_ascii_alphabetic());
    let hangul = query.chars().any(is_hangul);
    match (latin, hangul) {
        (true, false) => to_hangul(query),
        // One or two keys (a 초성 query such as ㄱ or ㅇㄹ) are too little to say the reader meant Latin.
        (false, true) => Some(to_latin(query)).filter(|l| l.chars().filter(char::is_ascii_alphabetic).count() >= 3),
        _ => None,
    }
}

fn is_hangul(c: char) -> bool {
    decompose(c).is_some() || ('\u{3131}'..='\u{3163}').contains(&c) || conjoining_to_compat(c).is_some()
}

/// The jamo a Latin key gives.
fn jamo_of_key(c: char) -> Option<char> {
    if let Some(&(_, j)) = SHIFTED.iter().find(|(k, _)| *k == c) {
        return Some(j);
    }
    let lower = c.to_ascii_lowercase();
    lower.is_ascii_lowercase().then(|| KEYS[usize::from(lower as u8 - b'a')])
}

/// The key that gives a compatibility jamo.
fn key_of_jamo(j: char) -> Option<char> {
    if let Some(i) = KEYS.iter().position(|&k| k == j) {
        return Some(char::from(b'a' + i as u8));
    }
    SHIFTED.iter().find(|(_, s)| *s == j).map(|&(k, _)| k)
}

/// Latin keys composed as a 2-set IME would; `None` when the result is not plausible Korean.
fn to_hangul(query: &str) -> Option<String> {
    let mut out = String::with_capacity(query.len() * 3);
    let mut ime = Ime::default();
    for c in query.chars() {
        match jamo_of_key(c) {
            Some(j) if is_compat_vowel(j) => ime.vowel(vowel_index(j), &mut out)?,
            Some(j) => ime.consonant(compat_lead_index(j)?, &mut out)?,
            None => {
                ime.end_of_word(&mut out)?;
                out.push(c);
            }
        }
    }
    ime.end_of_word(&mut out)?;
    // A lone consonant key (`r` -> ㄱ) is too little to say the reader meant Korean.
    out.chars().any(|c| decompose(c).is_some()).then_some(out)
}

/// Hangul spelled back as the Latin keys that type it; other characters pass through.
fn to_latin(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let lead_key = |lead: u8| LEAD_JAMO.get(usize::from(lead)).and_then(|&j| key_of_jamo(j));
    let vowel_key = |vowel: u8| char::from_u32(0x314F + u32::from(vowel)).and_then(key_of_jamo);
    for c in query.chars() {
        let c = conjoining_to_compat(c).unwrap_or(c);
        if let Some(s) = decompose(c) {
            out.extend(lead_key(s.lead));
            out.extend(vowel_atoms(s.vowel).iter().filter_map(|&v| vowel_key(v)));
            out.extend(tail_atoms(s.tail).iter().filter_map(|&l| lead_key(l)));
        } else if is_compat_vowel(c) {
            out.extend(vowel_atoms(vowel_index(c)).iter().filter_map(|&v| vowel_key(v)));
        } else if let Some(atoms) = consonant_atoms(c) {
            out.extend(atoms.iter().filter_map(|&l| lead_key(l)));
        } else {
            out.push(c);
        }
    }
    out
}

/// The vowel index of a compatibility vowel (ㅏ -> 0).
fn vowel_index(c: char) -> u8 {
    (c as u32).saturating_sub(0x314F).min(20) as u8
}

/// The syllable being composed.
#[derive(Default)]
struct Ime {
    lead: Option<u8>,
    vowel: Option<u8>,
    tail: u8,
}

impl Ime {
    /// A consonant key: the tail of the open syllable (alone or joined to its tail, as ㄹ + ㄱ
    /// make ㄺ), or the lead of a new one. `None` when a consonant stands alone mid-word.
    fn consonant(&mut self, lead: u8, out: &mut String) -> Option<()> {
        if let (Some(_), Some(_)) = (self.lead, self.vowel) {
            if let Some(tail) = joined_tail(self.tail, lead) {
                self.tail = tail;
                return Some(());
            }
        }
        self.flush(out)?;
        self.lead = Some(lead);
        Some(())
    }

    /// A vowel key: joined to the open vowel (ㅗ + ㅏ make ㅘ), or the open syllable's last tail
    /// consonant moves over to lead the new syllable, as the IME does. `None` for a lone vowel.
    fn vowel(&mut self, vowel: u8, out: &mut String) -> Option<()> {
        match (self.lead, self.vowel, self.tail) {
            (Some(_), None, _) => self.vowel = Some(vowel),
            (Some(_), Some(open), 0) => match joined_vowel(open, vowel) {
                Some(v) => self.vowel = Some(v),
                None => return None,
            },
            (Some(_), Some(_), tail) => {
                let moved = *tail_atoms(tail).last()?;
                self.tail = tail_without_last(tail);
                self.flush(out)?;
                *self = Ime { lead: Some(moved), vowel: Some(vowel), tail: 0 };
            }
            (None, _, _) => return None,
        }
        Some(())
    }

    /// Writes the open syllable; a consonant without its vowel is refused here (mid-word).
    fn flush(&mut self, out: &mut String) -> Option<()> {
        let open = std::mem::take(self);
        match (open.lead, open.vowel) {
            (Some(lead), Some(vowel)) => out.push(compose(Syllable { lead, vowel, tail: open.tail })?),
            (Some(_), None) => return None,
            _ => {}
        }
        Some(())
    }

    /// At the end of a word a lone consonant is kept: the reader may still be typing (오라ㅋ).
    fn end_of_word(&mut self, out: &mut String) -> Option<()> {
        if let (Some(lead), None) = (self.lead, self.vowel) {
            out.extend(LEAD_JAMO.get(usize::from(lead)));
            *self = Ime::default();
            return Some(());
        }
        self.flush(out)
    }
}

/// The tail that `tail` followed by consonant `lead` makes, if a syllable can end in it.
fn joined_tail(tail: u8, lead: u8) -> Option<u8> {
    let want: &[u8] = match tail_atoms(tail) {
        [] => &[lead],
        [first] => &[*first, lead],
        _ => return None,
    };
    (1..28u8).find(|&t| {
        let atoms = tail_atoms(t);
        atoms.len() == want.len() && atoms.iter().zip(want).all(|(a, b)| a == b)
    })
}

/// The vowel that `open` followed by `next` makes (ㅗ + ㅏ -> ㅘ).
fn joined_vowel(open: u8, next: u8) -> Option<u8> {
    (0..21u8).find(|&v| vowel_atoms(v) == [open, next])
}

#[cfg(test)]
mod tests {
    use super::swap_layout;

    #[test]
    fn keys_typed_with_the_ime_off_read_as_hangul() {
        for (keys, hangul) in [
            ("dhfkzmf", "오라클"),
            ("qksehcp", "반도체"),
            ("zmffkdnem", "클라우드"),
            ("dlsrhdwlsmd", "인공지능"),
            ("Rhc", "꽃"),
            ("ekfr rPfks", "닭 계란"),
            ("dhk", "와"),
            ("dhfkz", "오랔"),
            ("dhf", "올"),
            ("dhfkr", "오락"),
            ("tmaks 2025", "스만 2025"),
        ] {
            assert_eq!(swap_layout(keys).as_deref(), Some(hangul), "{keys}");
        }
    }

    #[test]
    fn hangul_typed_with_the_ime_on_reads_as_latin() {
        for (hangul, keys) in
            [("ㅐㄱㅁ칟", "oracle"), ("오라클", "dhfkzmf"), ("닭", "ekfr"), ("ㄳㄱ", "rtr"), ("꽈", "Rhk")]
        {
            assert_eq!(swap_layout(hangul).as_deref(), Some(keys), "{hangul}");
        }
        // NFD (conjoining jamo) reads as the same keys.
        assert_eq!(swap_layout("\u{110B}\u{1169}\u{1105}\u{1161}").as_deref(), Some("dhfk"));
    }

    #[test]
    fn implausible_or_mixed_queries_are_left_alone() {
        // A word starting with a vowel key, a consonant alone mid-word, both scripts, neither.
        for q in ["kubernetes", "oracle", "rtk", "r", "ㄱ", "ㅇㄹ", "오라클 db", "2025", ""] {
            assert_eq!(swap_layout(q), None, "{q}");
        }
    }

    #[test]
    fn both_ways_return_the_keys() {
        for word in ["오라클", "반도체", "클라우드", "닭갈비", "뷁", "쌍용", "의원"] {
            let keys = swap_layout(word).unwrap();
            assert_eq!(swap_layout(&keys).as_deref(), Some(word), "{word} -> {keys}");
        }
    }
}
