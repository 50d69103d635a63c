//! Text folding shared by indexing, queries and highlighting: NFC, case and width folding,
//! compatibility jamo, and the one-byte "class" of each folded UTF-16 unit.

use std::ops::Range;

use super::hangul::{compat_lead_index, conjoining_to_compat, decompose, initial_jamo, BLOCK, SYLLABLE_FIRST};
use super::unicode::{compose, extends_previous, fold_width_and_accents, is_combining_mark, is_default_ignorable};

/// The folded form that search compares: NFC (NFD Hangul composed), lower-case,
/// accents folded away (é -> e), full-width and half-width forms folded to ordinary ones
/// (see `unicode`: no Unicode tables are shipped), Hangul compatibility jamo kept,
/// invisible format characters (zero-width space, soft hyphen, joiners, BOM: see
/// `unicode::is_default_ignorable`) dropped, and whitespace and control characters
/// become a plain space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold(text, &mut |c, _| out.push(c));
    out
}

/// [`normalize`], then every syllable replaced by its initial consonant (오라클 -> ㅇㄹㅋ).
pub fn initials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold(text, &mut |c, _| out.push(if decompose(c).is_some() { initial_jamo(c).unwrap_or(c) } else { c }));
    out
}

/// Call `emit` with every folded char and the byte range of the original text it came
/// from. Text is cut into clusters (a starter plus everything canonical composition may
/// glue onto it) so that each folded char maps back to whole original chars; an NFD
/// syllable, for instance, is three chars that all map to one folded syllable.
/// One copy for every caller (`dyn`): the function is large, and this is not the keystroke path.
pub(crate) fn fold(text: &str, emit: &mut dyn FnMut(char, Range<usize>)) {
    // The cluster being gathered: its start, its first char, and its end when it has
    // more than one char (rare: NFD text or combining accents).
    let mut cluster: Option<(usize, char)> = None;
    let mut glued_end: Option<usize> = None;
    let mut flush = |cluster: Option<(usize, char)>, glued_end: Option<usize>| {
        let Some((start, c)) = cluster else { return };
        match glued_end {
            None => {
                let end = start + c.len_utf8();
                fold_char(c, &mut |f| emit(f, start..end));
            }
            Some(end) => {
                if let Some(text) = text.get(start..end) {
                    for composed in compose(text) {
                        fold_char(composed, &mut |f| emit(f, start..end));
                    }
                }
            }
        }
    };
    for (i, c) in text.char_indices() {
        if cluster.is_some() && attaches(c) {
            glued_end = Some(i + c.len_utf8());
            continue;
        }
        flush(cluster, glued_end);
        cluster = Some((i, c));
        glued_end = None;
    }
    flush(cluster, glued_end);
}

/// Whether `c` may compose with what precedes it, so must stay in the same cluster; also
/// joiners and variation selectors, so that a highlight takes them with their character.
#[inline]
pub(crate) fn attaches(c: char) -> bool {
    let u = c as u32;
    if u < 0x300 || (0xAC00..=0xD7A3).contains(&u) {
        return false;
    }
    // Conjoining vowels and tails compose with a preceding lead or LV syllable.
    (0x1160..=0x11FF).contains(&u) || is_combining_mark(c) || extends_previous(c)
}

#[inline]
fn fold_char(c: char, out: &mut impl FnMut(char)) {
    let u = c as u32;
    if c.is_ascii() {
        out(if c.is_ascii_control() { ' ' } else { c.to_ascii_lowercase() });
        return;
    }
    match u {
        0xAC00..=0xD7A3 | 0x3131..=0x3163 | 0x3165..=0x318E => out(c),
        // Hangul fillers carry no letter; keeping them would break syllable adjacency.
        0x115F | 0x1160 | 0x3164 | 0xFFA0 => {}
        0x1100..=0x11FF => out(conjoining_to_compat(c).unwrap_or(c)),
        // Invisible inside a word (오\u{200B}라클 is 오라클 to a reader): nothing to match.
        _ if is_default_ignorable(c) => {}
        _ if c.is_whitespace() || c.is_control() => out(' '),
        _ if is_combining_mark(c) => {}
        _ => fold_compat_output(fold_width_and_accents(c), out),
    }
}

/// Post-process one width-folded char (full-width A -> A -> a).
fn fold_compat_output(k: char, out: &mut impl FnMut(char)) {
    if let Some(j) = conjoining_to_compat(k) {
        out(j);
    } else if matches!(k as u32, 0x115F | 0x1160 | 0x3164) {
    } else if k.is_whitespace() || k.is_control() {
        out(' ');
    } else if k.is_ascii() {
        out(k.to_ascii_lowercase());
    } else {
        out(crate::case::lower(k));
    }
}

/// One byte per folded UTF-16 unit, chosen so that a query can be pre-matched on bytes:
/// 0 is the field separator (folded text never contains it), 1..=19 is "a syllable or a
/// compatibility consonant with this initial", printable ASCII is itself, and everything
/// else is a 7-bit hash with the high bit set (collisions are resolved on the units).
#[inline]
pub(crate) fn class_of(u: u16) -> u8 {
    match u {
        0 => 0,
        0x20..=0x7E => u as u8,
        0xAC00..=0xD7A3 => 1 + ((u32::from(u) - SYLLABLE_FIRST) / BLOCK) as u8,
        0x3131..=0x314E => match char::from_u32(u32::from(u)).and_then(compat_lead_index) {
            Some(l) => 1 + l,
            None => hashed_class(u),
        },
        _ => hashed_class(u),
    }
}

fn hashed_class(u: u16) -> u8 {
    0x80 | (u32::from(u).wrapping_mul(0x9E37_79B1) >> 25) as u8
}

/// Vowel index -> family of vowels sharing a first key (ㅘ ㅙ ㅚ with ㅗ); ㅒ joins ㅑ only
/// so that 19 initials * 13 families fit in a byte.
const VOWEL_FAMILY: [u8; 21] = [0, 1, 2, 2, 3, 4, 5, 6, 7, 7, 7, 7, 8, 9, 9, 9, 9, 10, 11, 11, 12];

/// Second byte stream for syllables: initial and vowel family, 0..=246; 255 for anything
/// else. Much rarer than the initial alone, and a syllable still being typed keeps its
/// family (고 -> 과), so it anchors both exact and in-progress syllables.
#[inline]
pub(crate) fn head_of(u: u16) -> u8 {
    match u32::from(u).checked_sub(SYLLABLE_FIRST).filter(|&s| s < 11_172) {
        Some(s) => {
            let lead = (s / BLOCK) as u8;
            let vowel = ((s % BLOCK) / 28) as usize;
            lead * 13 + VOWEL_FAMILY.get(vowel).copied().unwrap_or(0)
        }
        None => 255,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn folded_with_ranges(text: &str) -> Vec<(char, Range<usize>)> {
        let mut v = Vec::new();
        fold(text, &mut |c, r| v.push((c, r)));
        v
    }

    #[test]
    fn nfd_and_nfc_fold_to_the_same_text() {
        let nfc = "오라클은 클라우드를";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(normalize(&nfd), nfc);
        assert_eq!(normalize(nfc), nfc);
    }

    #[test]
    fn latin_case_and_width_fold() {
        assert_eq!(normalize("ＡＩ Chip"), "ai chip");
        assert_eq!(normalize("ＡＩ"), normalize("ai"));
        assert_eq!(normalize("Ｏｒａｃｌｅ１２"), "oracle12");
        // Accents fold away, composed or not: searching "ecole" finds "École".
        assert_eq!(normalize("ÉCOLE"), "ecole");
        assert_eq!(normalize("e\u{301}cole"), "ecole");
    }

    #[test]
    fn compatibility_jamo_stay_recognisable() {
        assert_eq!(normalize("ㄱㄴㅋ"), "ㄱㄴㅋ");
        // Conjoining (NFD, lone) and halfwidth jamo fold to the compatibility forms.
        assert_eq!(normalize("\u{1100}\u{110F}"), "ㄱㅋ");
        assert_eq!(normalize("\u{FFA1}"), "ㄱ");
    }

    #[test]
    fn whitespace_and_controls_become_spaces() {
        assert_eq!(normalize("a\u{3000}b\tc\u{0}d"), "a b c d");
    }

    #[test]
    fn invisible_format_characters_fold_away() {
        assert_eq!(normalize("오\u{200B}라\u{200C}클\u{200D}은"), "오라클은");
        assert_eq!(normalize("\u{FEFF}AI\u{AD}칩\u{2060}"), "ai칩");
        assert_eq!(normalize("\u{202B}오라클\u{202C} \u{2066}x\u{2069}"), "오라클 x");
        assert_eq!(normalize("❤\u{FE0F}"), "❤");
        assert_eq!(initials("오\u{200B}라클"), "ㅇㄹㅋ");
        // Joiners and variation selectors map back with the character before them.
        assert_eq!(folded_with_ranges("a\u{200D}b\u{200B}c"), vec![('a', 0..4), ('b', 4..5), ('c', 8..9)]);
    }

    #[test]
    fn initials_of_mixed_text() {
        assert_eq!(initials("오라클 AI 클라우드"), "ㅇㄹㅋ ai ㅋㄹㅇㄷ");
        assert_eq!(initials("ㅋㅋ 꽃"), "ㅋㅋ ㄲ");
    }

    #[test]
    fn nfd_syllables_map_to_their_whole_original_bytes() {
        let nfd: String = "닭a".nfd().collect();
        let v = folded_with_ranges(&nfd);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0], ('닭', 0..9));
        assert_eq!(v[1], ('a', 9..10));
    }

    #[test]
    fn expansions_map_every_output_to_the_source_char() {
        // A folded char maps back to all the bytes of the char it came from.
        let v = folded_with_ranges("xİＡ");
        assert_eq!(v, vec![('x', 0..1), ('i', 1..3), ('a', 3..6)]);
    }

    #[test]
    fn classes() {
        assert_eq!(class_of(0), 0);
        assert_eq!(class_of(u16::from(b'a')), b'a');
        assert_eq!(class_of('오' as u16), 1 + 11);
        assert_eq!(class_of('ㅇ' as u16), 1 + 11);
        assert_eq!(class_of('꽃' as u16), 1 + 1);
        assert!(class_of('ㄳ' as u16) >= 0x80);
        assert!(class_of('é' as u16) >= 0x80);
        assert_eq!(class_of('힣' as u16), 19);
        assert_eq!(head_of('오' as u16), head_of('왜' as u16));
        assert_eq!(head_of('오' as u16), head_of('욓' as u16));
        assert_ne!(head_of('오' as u16), head_of('우' as u16));
        assert_ne!(head_of('오' as u16), head_of('보' as u16));
        assert_eq!(head_of('힣' as u16), 246);
        assert_eq!(head_of(u16::from(b'a')), 255);
    }
}
