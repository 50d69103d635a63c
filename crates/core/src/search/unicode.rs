//! The little of Unicode normalisation that search needs, without shipping Unicode's tables
//! to every reader: Hangul composition (by arithmetic), accents folded away, width folded.
//! Tests compare it with the full `unicode-normalization` crate (a dev-dependency only).

use super::hangul::{BLOCK, SYLLABLE_FIRST};

const L_FIRST: u32 = 0x1100;
const V_FIRST: u32 = 0x1161;
const T_FIRST: u32 = 0x11A7;
const L_COUNT: u32 = 19;
const V_COUNT: u32 = 21;
const T_COUNT: u32 = 28;

/// Combining marks: they attach to the character before them (NFD accents, kana voicing,
/// Hangul tone marks, variation selectors excluded).
pub fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x064B..=0x065F | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x302A..=0x302F | 0x3099..=0x309A | 0xFE20..=0xFE2F)
}

/// Unicode's default-ignorable code points (`Default_Ignorable_Code_Point`): characters
/// that show nothing unless a renderer supports them. Pasted titles carry them inside
/// words (U+200B ZERO WIDTH SPACE, U+00AD SOFT HYPHEN, U+FEFF, U+2060 WORD JOINER, the
/// U+200C/U+200D joiners, bidi marks, variation selectors), so search folds them away.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// The ignorables that belong to the character before them (Unicode's grapheme `Extend`
/// and `ZWJ`): joiners, variation selectors (the emoji ❤️ is ❤ + U+FE0F), tag characters.
/// A highlight never ends between a character and these.
pub fn extends_previous(c: char) -> bool {
    matches!(c as u32,
        0x200C..=0x200D | 0xFE00..=0xFE0F | 0x180B..=0x180D | 0x180F | 0xE0020..=0xE007F
        | 0xE0100..=0xE01EF)
}

/// Composes conjoining Hangul jamo (what macOS writes) into syllables and drops combining
/// accents, so that NFC and NFD text fold to the same characters.
pub fn compose(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || loop {
        let c = chars.next()?;
        let u = c as u32;
        if is_combining_mark(c) {
            continue;
        }
        if (L_FIRST..L_FIRST + L_COUNT).contains(&u) {
            let Some(&v) = chars.peek() else { return Some(c) };
            let vu = v as u32;
            if !(V_FIRST..V_FIRST + V_COUNT).contains(&vu) {
                return Some(c);
            }
            chars.next();
            let lv = SYLLABLE_FIRST + (u - L_FIRST) * BLOCK + (vu - V_FIRST) * T_COUNT;
            return Some(with_tail(lv, &mut chars));
        }
        if (SYLLABLE_FIRST..SYLLABLE_FIRST + 11_172).contains(&u) && (u - SYLLABLE_FIRST) % T_COUNT == 0 {
            return Some(with_tail(u, &mut chars));
        }
        return Some(c);
    })
}

fn with_tail(lv: u32, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> char {
    let tail = chars.peek().map(|&t| t as u32).filter(|t| (T_FIRST + 1..T_FIRST + T_COUNT).contains(t));
    let code = match tail {
        Some(t) => {
            chars.next();
            lv + (t - T_FIRST)
        }
        None => lv,
    };
    char::from_u32(code).unwrap_or('\u{FFFD}')
}

/// Latin letters with accents, U+00C0..=U+017F, folded to their base letter ('·' keeps the
/// character as it is: ×, ÷, ß, æ and friends have no single base letter).
const LATIN_BASE: &str = concat!(
    "AAAAAA·CEEEEIIII·NOOOOO·OUUUUY··", // U+00C0
    "aaaaaa·ceeeeiiii·nooooo·ouuuuy·y", // U+00E0
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGg", // U+0100
    "GgGgHhHhIiIiIiIiIi··JjKk·LlLlLlL", // U+0120
    "lLlNnNnNn···OoOoOo··RrRrRrSsSsSs", // U+0140
    "SsTtTtTtUuUuUuUuUuUuWwYyYZzZzZz·", // U+0160
);

/// One character folded for comparison: accents off Latin letters, full-width and
/// half-width forms to their ordinary ones. Hangul compatibility jamo stay as they are.
pub fn fold_width_and_accents(c: char) -> char {
    let u = c as u32;
    match u {
        0x00C0..=0x017F => match LATIN_BASE.chars().nth((u - 0xC0) as usize) {
            Some('·') | None => c,
            Some(base) => base,
        },
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        // Half-width Hangul letters to compatibility jamo.
        0xFFA1..=0xFFBE => char::from_u32(u - 0xFFA1 + 0x3131).unwrap_or(c),
        0xFFC2..=0xFFC7 => char::from_u32(u - 0xFFC2 + 0x314F).unwrap_or(c),
        0xFFCA..=0xFFCF => char::from_u32(u - 0xFFCA + 0x3155).unwrap_or(c),
        0xFFD2..=0xFFD7 => char::from_u32(u - 0xFFD2 + 0x315B).unwrap_or(c),
        0xFFDA..=0xFFDC => char::from_u32(u - 0xFFDA + 0x3161).unwrap_or(c),
        _ => c,
    }
}

/// True when [`compose`] would leave `text` unchanged (the common case: no allocation).
pub fn is_composed(text: &str) -> bool {
    !text.chars().any(|c| is_combining_mark(c) || (0x1100..=0x11FF).contains(&(c as u32)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn hangul_composes_like_nfc() {
        for s in ["오라클은 클라우드", "닭갈비 값", "똠양꿍 ㄱㄴ ㅏ", "AI 반도체 2026"] {
            let nfd: String = s.nfd().collect();
            assert_ne!(nfd, s);
            let ours: String = compose(&nfd).collect();
            let reference: String = nfd.nfc().collect();
            assert_eq!(ours, reference, "{s}");
        }
        // Every syllable round-trips.
        for u in (0xAC00u32..0xD7A4).step_by(7) {
            let Some(c) = char::from_u32(u) else { continue };
            let nfd: String = c.to_string().nfd().collect();
            assert_eq!(compose(&nfd).collect::<String>(), c.to_string());
        }
    }

    #[test]
    fn accents_fold_the_same_composed_or_not() {
        for s in ["Café", "Ñandú", "Łódź", "Crème brûlée", "Ærø"] {
            let a: String =
                s.nfc().flat_map(|c| compose(&c.to_string()).collect::<Vec<_>>()).map(fold_width_and_accents).collect();
            let b: String = compose(&s.nfd().collect::<String>()).map(fold_width_and_accents).collect();
            assert_eq!(a, b, "{s}");
        }
        assert_eq!(fold_width_and_accents('é'), 'e');
        assert_eq!(fold_width_and_accents('Ç'), 'C');
        assert_eq!(fold_width_and_accents('ß'), 'ß');
        assert_eq!(fold_width_and_accents('×'), '×');
        assert_eq!(fold_width_and_accents('ž'), 'z');
        assert_eq!(LATIN_BASE.chars().count(), 0x180 - 0xC0);
    }

    #[test]
    fn ignorables_are_the_invisible_ones() {
        for c in [
            '\u{AD}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{200E}',
            '\u{202E}',
            '\u{2066}',
            '\u{FE0F}',
            '\u{E0001}',
            '\u{E0100}',
        ] {
            assert!(is_default_ignorable(c), "{:X}", c as u32);
        }
        for c in [' ', '-', '\u{A0}', '\u{3000}', '\u{2028}', 'a', '가', '\u{301}', '\u{2010}', '\u{FFFD}', '😀'] {
            assert!(!is_default_ignorable(c), "{:X}", c as u32);
        }
        for c in ['\u{200C}', '\u{200D}', '\u{FE0F}', '\u{E0067}', '\u{E01EF}'] {
            assert!(extends_previous(c) && is_default_ignorable(c), "{:X}", c as u32);
        }
        for c in ['\u{200B}', '\u{AD}', '\u{FEFF}', '\u{2060}', '\u{301}'] {
            assert!(!extends_previous(c), "{:X}", c as u32);
        }
    }

    #[test]
    fn width_folds_like_nfkc() {
        for s in ["ＡＩ ｃｌｏｕｄ １２３", "ﾡﾤﾧ", "﾿ￂￚ"] {
            let ours: String = s.chars().map(fold_width_and_accents).collect();
            let reference: String = s
                .nfkc()
                .map(|c| match c as u32 {
                    0x1100..=0x11FF => crate::search::hangul::conjoining_to_compat(c).unwrap_or(c),
                    _ => c,
                })
                .collect();
            assert_eq!(ours, reference, "{s}");
        }
    }
}
