//! Hangul arithmetic: syllables <-> jamo indices, compatibility-jamo tables, and the
//! "keystroke atoms" describing how a 2-beolsik IME assembles a syllable key by key.

/// First precomposed syllable (가).
pub const SYLLABLE_FIRST: u32 = 0xAC00;
/// Number of precomposed modern syllables (가..힣).
pub const SYLLABLE_COUNT: u32 = 11_172;
/// (vowel, tail) combinations per initial consonant: 21 * 28.
pub const BLOCK: u32 = 588;

/// A modern syllable as jamo indices in Unicode order: `lead` 0..19 (choseong),
/// `vowel` 0..21 (jungseong), `tail` 0..28 (jongseong, 0 = none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Syllable {
    pub lead: u8,
    pub vowel: u8,
    pub tail: u8,
}

/// Compatibility jamo (the ones keyboards produce) for each initial index.
pub const LEAD_JAMO: [char; 19] =
    ['ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];

/// Compatibility jamo for each tail index; index 0 (no tail) is never looked up as a char.
const TAIL_JAMO: [char; 28] = [
    ' ', 'ㄱ', 'ㄲ', 'ㄳ', 'ㄴ', 'ㄵ', 'ㄶ', 'ㄷ', 'ㄹ', 'ㄺ', 'ㄻ', 'ㄼ', 'ㄽ', 'ㄾ', 'ㄿ', 'ㅀ', 'ㅁ', 'ㅂ', 'ㅄ',
    'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
];

/// Keys typed for each vowel: the IME builds ㅘ from ㅗ then ㅏ, so while the user is
/// still typing, 고 is a legitimate prefix of 과. Values are vowel indices.
const VOWEL_ATOMS: [&[u8]; 21] = [
    &[0],
    &[1],
    &[2],
    &[3],
    &[4],
    &[5],
    &[6],
    &[7],
    &[8],
    &[8, 0],
    &[8, 1],
    &[8, 20],
    &[12],
    &[13],
    &[13, 4],
    &[13, 5],
    &[13, 20],
    &[17],
    &[18],
    &[18, 20],
    &[20],
];

/// Keys typed for each tail, as initial indices: every single tail consonant is also an
/// initial, which is what lets a trailing tail migrate to the next syllable (랔 -> 라크).
const TAIL_ATOMS: [&[u8]; 28] = [
    &[],
    &[0],
    &[1],
    &[0, 9],
    &[2],
    &[2, 12],
    &[2, 18],
    &[3],
    &[5],
    &[5, 0],
    &[5, 6],
    &[5, 7],
    &[5, 9],
    &[5, 16],
    &[5, 17],
    &[5, 18],
    &[6],
    &[7],
    &[7, 9],
    &[9],
    &[10],
    &[11],
    &[12],
    &[14],
    &[15],
    &[16],
    &[17],
    &[18],
];

/// Initial index of each compatibility consonant U+3131..=U+314E; 255 where the
/// consonant (ㄳ, ㄺ, ...) cannot start a syllable.
const COMPAT_LEAD: [u8; 30] = [
    0, 1, 255, 2, 255, 255, 3, 4, 5, 255, 255, 255, 255, 255, 255, 255, 6, 7, 8, 255, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18,
];

/// Split a precomposed modern syllable into jamo indices.
pub fn decompose(c: char) -> Option<Syllable> {
    let s = (c as u32).checked_sub(SYLLABLE_FIRST)?;
    if s >= SYLLABLE_COUNT {
        return None;
    }
    Some(Syllable { lead: (s / BLOCK) as u8, vowel: ((s % BLOCK) / 28) as u8, tail: (s % 28) as u8 })
}

/// Inverse of [`decompose`]; `None` for out-of-range indices.
pub fn compose(s: Syllable) -> Option<char> {
    if s.lead >= 19 || s.vowel >= 21 || s.tail >= 28 {
        return None;
    }
    char::from_u32(SYLLABLE_FIRST + u32::from(s.lead) * BLOCK + u32::from(s.vowel) * 28 + u32::from(s.tail))
}

pub fn is_syllable(c: char) -> bool {
    decompose(c).is_some()
}

/// Initial index of a compatibility consonant that can start a syllable (ㄱ -> 0, ㅎ -> 18).
pub fn compat_lead_index(c: char) -> Option<u8> {
    let i = (c as u32).checked_sub(0x3131)?;
    match COMPAT_LEAD.get(i as usize) {
        Some(&l) if l != 255 => Some(l),
        _ => None,
    }
}

/// The initial consonant (초성) of a syllable as a compatibility jamo; a compatibility
/// consonant that can start a syllable is its own initial.
pub fn initial_jamo(c: char) -> Option<char> {
    let lead = match decompose(c) {
        Some(s) => s.lead,
        None => compat_lead_index(c)?,
    };
    LEAD_JAMO.get(usize::from(lead)).copied()
}

pub fn is_compat_vowel(c: char) -> bool {
    ('\u{314F}'..='\u{3163}').contains(&c)
}

/// Modern conjoining jamo (U+1100 block) as the compatibility jamo a keyboard produces;
/// NFD text and NFKC both yield conjoining forms, but queries are typed in compatibility
/// forms, so everything is folded to the latter.
pub fn conjoining_to_compat(c: char) -> Option<char> {
    let u = c as u32;
    match u {
        0x1100..=0x1112 => LEAD_JAMO.get((u - 0x1100) as usize).copied(),
        0x1161..=0x1175 => char::from_u32(0x314F + (u - 0x1161)),
        0x11A8..=0x11C2 => TAIL_JAMO.get((u - 0x11A8 + 1) as usize).copied(),
        _ => None,
    }
}

/// Keys typed for a vowel index (ㅘ -> [ㅗ, ㅏ]).
pub fn vowel_atoms(vowel: u8) -> &'static [u8] {
    VOWEL_ATOMS.get(usize::from(vowel)).copied().unwrap_or(&[])
}

/// Keys typed for a tail index, as initial indices (ㄺ -> [ㄹ, ㄱ]).
pub fn tail_atoms(tail: u8) -> &'static [u8] {
    TAIL_ATOMS.get(usize::from(tail)).copied().unwrap_or(&[])
}

/// The tail left after its last key is removed (ㄺ -> ㄹ, ㄱ -> none).
pub fn tail_without_last(tail: u8) -> u8 {
    let atoms = tail_atoms(tail);
    let Some((_, rest)) = atoms.split_last() else { return 0 };
    TAIL_ATOMS.iter().position(|a| *a == rest).map_or(0, |p| p as u8)
}

/// Initial indices a lone compatibility consonant stands for: ㄱ -> [ㄱ]; an IME merges
/// ㄱ then ㅅ typed without a vowel into ㄳ, which a 초성 query means as two initials.
pub fn consonant_atoms(c: char) -> Option<&'static [u8]> {
    match c {
        'ㄸ' => Some(&[4]),
        'ㅃ' => Some(&[8]),
        'ㅉ' => Some(&[13]),
        _ => TAIL_JAMO.iter().skip(1).position(|&t| t == c).and_then(|p| TAIL_ATOMS.get(p + 1).copied()),
    }
}

/// Spell syllables out as compatibility jamo (닭 -> ㄷㅏㄺ); other chars pass through.
pub fn to_jamo(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for c in text.chars() {
        match decompose(c) {
            Some(s) => {
                out.extend(LEAD_JAMO.get(usize::from(s.lead)));
                out.extend(char::from_u32(0x314F + u32::from(s.vowel)));
                if s.tail != 0 {
                    out.extend(TAIL_JAMO.get(usize::from(s.tail)));
                }
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decompose_and_compose_roundtrip_every_syllable() {
        for u in SYLLABLE_FIRST..SYLLABLE_FIRST + SYLLABLE_COUNT {
            let c = char::from_u32(u).unwrap();
            let s = decompose(c).unwrap();
            assert_eq!(compose(s), Some(c));
        }
        assert_eq!(decompose('a'), None);
        assert_eq!(decompose('ㄱ'), None);
        assert_eq!(decompose('\u{D7A4}'), None);
        assert_eq!(compose(Syllable { lead: 19, vowel: 0, tail: 0 }), None);
    }

    #[test]
    fn decompose_known_syllables() {
        assert_eq!(decompose('가'), Some(Syllable { lead: 0, vowel: 0, tail: 0 }));
        // 닭 = ㄷ + ㅏ + ㄺ (tail index 9)
        assert_eq!(decompose('닭'), Some(Syllable { lead: 3, vowel: 0, tail: 9 }));
        assert_eq!(decompose('힣'), Some(Syllable { lead: 18, vowel: 20, tail: 27 }));
    }

    #[test]
    fn initials_of_syllables_and_jamo() {
        assert_eq!(initial_jamo('오'), Some('ㅇ'));
        assert_eq!(initial_jamo('클'), Some('ㅋ'));
        assert_eq!(initial_jamo('꽃'), Some('ㄲ'));
        assert_eq!(initial_jamo('ㅉ'), Some('ㅉ'));
        assert_eq!(initial_jamo('ㄳ'), None);
        assert_eq!(initial_jamo('ㅏ'), None);
        assert_eq!(initial_jamo('A'), None);
        for (i, &j) in LEAD_JAMO.iter().enumerate() {
            assert_eq!(compat_lead_index(j), Some(i as u8));
        }
    }

    #[test]
    fn conjoining_maps_to_compat() {
        assert_eq!(conjoining_to_compat('\u{1100}'), Some('ㄱ'));
        assert_eq!(conjoining_to_compat('\u{1112}'), Some('ㅎ'));
        assert_eq!(conjoining_to_compat('\u{1161}'), Some('ㅏ'));
        assert_eq!(conjoining_to_compat('\u{1175}'), Some('ㅣ'));
        assert_eq!(conjoining_to_compat('\u{11A8}'), Some('ㄱ'));
        assert_eq!(conjoining_to_compat('\u{11B0}'), Some('ㄺ'));
        assert_eq!(conjoining_to_compat('\u{11C2}'), Some('ㅎ'));
        assert_eq!(conjoining_to_compat('ㄱ'), None);
    }

    #[test]
    fn keystroke_atoms() {
        assert_eq!(vowel_atoms(9), &[8, 0]); // ㅘ = ㅗ ㅏ
        assert_eq!(vowel_atoms(19), &[18, 20]); // ㅢ = ㅡ ㅣ
        assert_eq!(tail_atoms(9), &[5, 0]); // ㄺ = ㄹ ㄱ
        assert_eq!(tail_without_last(9), 8); // ㄺ -> ㄹ
        assert_eq!(tail_without_last(18), 17); // ㅄ -> ㅂ
        assert_eq!(tail_without_last(24), 0); // ㅋ -> none
        assert_eq!(consonant_atoms('ㄳ'), Some(&[0u8, 9][..]));
        assert_eq!(consonant_atoms('ㄸ'), Some(&[4u8][..]));
        assert_eq!(consonant_atoms('ㅎ'), Some(&[18u8][..]));
        assert_eq!(consonant_atoms('ㅏ'), None);
    }

    #[test]
    fn spells_out_jamo() {
        assert_eq!(to_jamo("닭 AI"), "ㄷㅏㄺ AI");
        assert_eq!(to_jamo("과자"), "ㄱㅘㅈㅏ");
    }
}
