//! Reading time that is right for Korean: Hangul and other CJK text is counted in
//! characters, Latin text in words, because Korean readers read syllables, not spaces.

/// Characters per minute for Hangul/CJK text, a middle figure for adult silent reading of Korean.
pub const CJK_CHARS_PER_MINUTE: u32 = 500;
/// Words per minute for alphabetic text.
pub const WORDS_PER_MINUTE: u32 = 230;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF // Hangul
        | 0x3040..=0x30FF // kana
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF // Han
    )
}

/// Whole minutes, rounded up, never below one for a non-empty text.
pub fn minutes(text: &str) -> u32 {
    let mut cjk: u32 = 0;
    let mut words: u32 = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_cjk(c) {
            cjk = cjk.saturating_add(1);
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                words = words.saturating_add(1);
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    if cjk == 0 && words == 0 {
        return 0;
    }
    // Work in "reading seconds" so that mixed text adds up before rounding.
    let seconds =
        u64::from(cjk) * 60 / u64::from(CJK_CHARS_PER_MINUTE) + u64::from(words) * 60 / u64::from(WORDS_PER_MINUTE);
    (seconds.div_ceil(60).max(1)).min(u64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_counts_characters_not_spaces() {
        // 1,500 Hangul syllables with spaces every 3: three minutes, not "<1 min".
        let text = "오라클 ".repeat(500);
        assert_eq!(minutes(&text), 3);
        let english = "word ".repeat(460);
        assert_eq!(minutes(&english), 2);
        assert_eq!(minutes("짧은 글"), 1);
        assert_eq!(minutes("   "), 0);
        // Mixed: 500 syllables (1 min) + 230 words (1 min).
        let mixed = format!("{}{}", "가".repeat(500), " AI".repeat(230));
        assert_eq!(minutes(&mixed), 2);
    }
}
