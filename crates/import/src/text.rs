//! Small text rules shared by the kinds: slugs (Korean kept), dates (the source's offset kept),
//! and clipping.

use article_viewer_core::dates::DateTime;

/// At most `n` characters of `s` (trimmed), with `…` when cut.
pub fn clip(s: &str, n: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", s[..at].trim_end()),
        None => s.to_string(),
    }
}

/// Whitespace runs (newlines included) as one space, trimmed.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Longest slug, in characters (a Korean slug of 80 syllables is 240 bytes of file name).
const SLUG_CHARS: usize = 80;

/// Longest slug, in bytes: file names are limited in bytes (255 on most file systems), and
/// letters outside the BMP take 4 bytes each. 240 keeps Korean slugs of 80 syllables whole and
/// leaves room for `.json`; a `-N` suffix for a taken slug is fitted inside it ([`with_suffix`]).
pub const SLUG_BYTES: usize = 240;

/// A slug usable as a file name and in a URL: letters and digits of any script (Korean
/// slugs are kept), `-` and `_`; ASCII lower-cased; anything else becomes `-`. Percent-encoded
/// slugs (WordPress stores Korean ones so) are decoded first, and decomposed Hangul (file
/// names from macOS) is composed. At most [`SLUG_CHARS`] characters and [`SLUG_BYTES`] bytes,
/// cut at a character. Empty when nothing usable is left.
pub fn slugify(raw: &str) -> String {
    let decoded = percent_decode(raw.trim());
    let composed = compose_hangul(&decoded);
    let mut out = String::new();
    let mut count = 0;
    for c in composed.chars() {
        if count >= SLUG_CHARS {
            break;
        }
        let c = if c.is_alphanumeric() || c == '_' { c.to_ascii_lowercase() } else { '-' };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        if out.len() + c.len_utf8() > SLUG_BYTES {
            break;
        }
        out.push(c);
        count += 1;
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `slug-N`, the slug cut (at a character) so that the whole stays within [`SLUG_BYTES`].
pub fn with_suffix(slug: &str, n: usize) -> String {
    let suffix = format!("-{n}");
    let mut end = SLUG_BYTES.saturating_sub(suffix.len()).min(slug.len());
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{suffix}", slug[..end].trim_end_matches('-'))
}

/// Names Windows keeps for devices: a file called so (with any extension, in any case) cannot
/// be created or opened there, so a folder holding one cannot be copied to Windows.
pub fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ').to_ascii_lowercase();
    match stem.as_str() {
        "con" | "prn" | "aux" | "nul" => true,
        _ => {
            let (Some(head), Some(digit)) = (stem.get(..3), stem.get(3..)) else { return false };
            matches!(head, "com" | "lpt")
                && matches!(digit, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³")
        }
    }
}

/// The non-empty `items`, each once (first seen wins), in order, at most `cap` of them.
/// A set remembers what was seen, so a post with 200,000 tags costs 200,000 steps.
pub fn unique(items: impl IntoIterator<Item = String>, cap: usize) -> Vec<String> {
    unique_by(items, cap, |s| s.to_string())
}

/// [`unique`], two items being the same when `key` says so (`str::to_ascii_lowercase`, say).
pub fn unique_by<K: std::hash::Hash + Eq>(
    items: impl IntoIterator<Item = String>,
    cap: usize,
    key: impl Fn(&str) -> K,
) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for item in items {
        if out.len() >= cap {
            break;
        }
        if !item.is_empty() && seen.insert(key(&item)) {
            out.push(item);
        }
    }
    out
}

/// `%xx` sequences decoded when they make UTF-8; the text unchanged otherwise.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(s).collect();
    String::from_utf8(decoded).unwrap_or_else(|_| s.to_string())
}

/// Conjoining Hangul jamo (NFD, as macOS writes file names) composed into syllables (NFC), by
/// the Unicode arithmetic; everything else unchanged.
pub fn compose_hangul(s: &str) -> String {
    const S_BASE: u32 = 0xAC00;
    const L_BASE: u32 = 0x1100;
    const V_BASE: u32 = 0x1161;
    const T_BASE: u32 = 0x11A7;
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        let u = c as u32;
        if let Some(&last) = out.last() {
            let l = last as u32;
            if (L_BASE..L_BASE + 19).contains(&l) && (V_BASE..V_BASE + 21).contains(&u) {
                let syllable = S_BASE + ((l - L_BASE) * 21 + (u - V_BASE)) * 28;
                if let Some(ch) = char::from_u32(syllable) {
                    *out.last_mut().unwrap_or(&mut ' ') = ch;
                    continue;
                }
            }
            if (S_BASE..S_BASE + 11172).contains(&l) && (l - S_BASE) % 28 == 0 && (T_BASE + 1..T_BASE + 28).contains(&u)
            {
                if let Some(ch) = char::from_u32(l + (u - T_BASE)) {
                    *out.last_mut().unwrap_or(&mut ' ') = ch;
                    continue;
                }
            }
        }
        out.push(c);
    }
    out.into_iter().collect()
}

/// `+09:00`, `+0900`, `-05`, `Z`, `UTC`, `GMT` as minutes east of UTC.
pub fn parse_offset(raw: &str) -> Option<i16> {
    let s = raw.trim();
    if matches!(s.to_ascii_uppercase().as_str(), "Z" | "UTC" | "GMT" | "UT" | "+00:00" | "-00:00") {
        return Some(0);
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let h: i16 = digits[..2].parse().ok()?;
    let m: i16 = if digits.len() == 4 { digits[2..].parse().ok()? } else { 0 };
    (h <= 23 && m <= 59).then_some(sign * (h * 60 + m))
}

fn offset_text(minutes: i16) -> String {
    if minutes == 0 {
        return "Z".to_string();
    }
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// A date as the format writes it (RFC 3339 with the source's own offset), from what
/// publishers write: RFC 3339 (`2025-09-12T09:00:00.000+09:00`), a space instead of `T`,
/// Jekyll's `2025-09-12 09:00:00 +0900`, a plain date or a time without an offset (given
/// `default_offset`, else UTC), and RFC 822 as RSS writes it (`Fri, 12 Sep 2025 09:00:00 +0900`,
/// named zones like `GMT`, `EST` or `KST`). `None` when it names no real moment.
pub fn normalize_date(raw: &str, default_offset: Option<i16>) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || !s.is_char_boundary(10) {
        return rfc822(s, default_offset);
    }
    let (date, rest) = s.split_at(10);
    let offset = default_offset.unwrap_or(0);
    if rest.is_empty() {
        return checked(format!("{date}T00:00:00{}", offset_text(offset)));
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    // The time: HH:MM[:SS][.fff]
    let time_len = rest.find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.')).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(time_len);
    let time = time.split('.').next().unwrap_or(time);
    let time = match time.len() {
        5 => format!("{time}:00"),
        8 => time.to_string(),
        _ => return None,
    };
    let zone = zone.trim();
    let offset = if zone.is_empty() { offset } else { parse_offset(zone)? };
    checked(format!("{date}T{time}{}", offset_text(offset)))
}

/// The text when the viewer's own reader takes it, written back in its canonical form.
fn checked(s: String) -> Option<String> {
    let at = DateTime::parse(&s)?;
    (at.year >= 1).then(|| at.rfc3339())
}

/// RFC 822 / 2822 dates, leniently: optional day name, 2- or 4-digit year, optional seconds,
/// numeric or named zones.
fn rfc822(s: &str, default_offset: Option<i16>) -> Option<String> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let month_of = |w: &str| MONTHS.iter().position(|m| w.to_ascii_lowercase().starts_with(m)).map(|i| i + 1);
    let cleaned = s.replace(',', " ");
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    // A leading day name ("Fri, 12 Sep …", "Fri 12 Sep …").
    if words.first().is_some_and(|w| w.chars().all(char::is_alphabetic) && month_of(w).is_none()) {
        words.remove(0);
    }
    let mut parts = words.into_iter();
    let first = parts.next()?;
    // "12 Sep 2025" (RFC 822), or "Sep 12 2025" (as Astro's starter writes pubDate).
    let (day, month): (u8, usize) = match month_of(first) {
        Some(m) => (parts.next()?.parse().ok()?, m),
        None => (first.parse().ok()?, month_of(parts.next()?)?),
    };
    let year_raw = parts.next()?;
    let mut year: i32 = year_raw.parse().ok()?;
    if year_raw.len() == 2 {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let time = parts.next().unwrap_or("00:00:00");
    let mut hms = time.split(':');
    let (h, m, sec) = (hms.next()?, hms.next()?, hms.next().unwrap_or("00"));
    let zone = parts.next().map(str::to_string).or(default_offset.map(offset_text)).unwrap_or_else(|| "Z".into());
    let zone = zone.as_str();
    let offset = match zone.to_ascii_uppercase().as_str() {
        "EST" => -300,
        "EDT" => -240,
        "CST" => -360,
        "CDT" => -300,
        "MST" => -420,
        "MDT" => -360,
        "PST" => -480,
        "PDT" => -420,
        "KST" | "JST" => 540,
        "CET" => 60,
        "CEST" => 120,
        z => parse_offset(z)?,
    };
    let (h, m, sec): (u8, u8, u8) = (h.parse().ok()?, m.parse().ok()?, sec.parse().ok()?);
    checked(format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{sec:02}{}", offset_text(offset)))
}

/// A teaser from a Markdown body: the text of its first paragraphs (not headings, code,
/// quotes or callouts), at most `n` characters.
pub fn summary_of(markdown: &str, n: usize) -> Option<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::new();
    let (mut para, mut quote, mut image) = (false, 0usize, 0usize);
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::BlockQuote(_)) => quote += 1,
            Event::Start(Tag::Image { .. }) => image += 1,
            Event::End(TagEnd::Image) => image = image.saturating_sub(1),
            Event::End(TagEnd::BlockQuote(_)) => quote = quote.saturating_sub(1),
            Event::Start(Tag::Paragraph) if quote == 0 => para = true,
            Event::End(TagEnd::Paragraph) => {
                if para {
                    out.push(' ');
                }
                para = false;
            }
            Event::Text(t) | Event::Code(t) if para && image == 0 => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak if para => out.push(' '),
            _ => {}
        }
        if out.chars().count() > n {
            break;
        }
    }
    let s = squash(&out);
    (!s.is_empty()).then(|| clip(&s, n))
}

/// Seconds since the epoch of a date written by [`normalize_date`] (for ordering).
pub fn unix_seconds(date: &str) -> Option<i64> {
    DateTime::parse(date).map(|d| d.unix_seconds())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_offset() {
        let cases = [
            ("2025-09-12T09:00:00+09:00", None, Some("2025-09-12T09:00:00+09:00")),
            ("2025-09-12T00:00:00.000Z", None, Some("2025-09-12T00:00:00Z")),
            ("2025-09-12 09:00:00 +0900", None, Some("2025-09-12T09:00:00+09:00")),
            ("2025-09-12 09:00", Some(540), Some("2025-09-12T09:00:00+09:00")),
            ("2025-09-12", None, Some("2025-09-12T00:00:00Z")),
            ("2025-09-12", Some(540), Some("2025-09-12T00:00:00+09:00")),
            ("Fri, 12 Sep 2025 09:00:00 +0900", None, Some("2025-09-12T09:00:00+09:00")),
            ("Fri, 12 Sep 2025 00:00:00 GMT", None, Some("2025-09-12T00:00:00Z")),
            ("12 Sep 25 09:00 KST", None, Some("2025-09-12T09:00:00+09:00")),
            ("Tue, 4 Mar 2025 18:30:00 EST", None, Some("2025-03-04T18:30:00-05:00")),
            ("Jul 08 2022", None, Some("2022-07-08T00:00:00Z")),
            ("Sep 11, 2025", Some(540), Some("2025-09-11T00:00:00+09:00")),
            ("2025-02-30", None, None),
            ("어제", None, None),
            ("0000-00-00 00:00:00", None, None),
            ("2025-09-12T25:00:00Z", None, None),
        ];
        for (raw, offset, want) in cases {
            assert_eq!(normalize_date(raw, offset).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn slugs_keep_korean_and_decode_wordpress_percent_encoding() {
        assert_eq!(slugify("오라클-손잡은-오픈AI"), "오라클-손잡은-오픈ai");
        assert_eq!(slugify("%ec%98%a4%eb%9d%bc%ed%81%b4-deal"), "오라클-deal");
        assert_eq!(slugify("  Hello, World! 2025 "), "hello-world-2025");
        assert_eq!(slugify("\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}"), "한글");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify(&"가".repeat(500)).chars().count(), 80);
        // Letters of 4 bytes: capped in bytes, cut at a letter.
        let wide = slugify(&"\u{10400}".repeat(200));
        assert!(wide.len() <= SLUG_BYTES && wide.len() % 4 == 0 && !wide.is_empty(), "{}", wide.len());
        let suffixed = with_suffix(&wide, 12345);
        assert!(suffixed.len() <= SLUG_BYTES && suffixed.ends_with("-12345"), "{suffixed}");
        assert_eq!(with_suffix("a", 2), "a-2");
    }

    #[test]
    fn windows_device_names() {
        for name in ["con", "CON", "nul", "Aux", "prn", "com1", "COM9", "lpt1", "lpt9", "con.txt", "nul.tar.gz", "com¹"]
        {
            assert!(is_device_name(name), "{name}");
        }
        for name in
            ["cons", "console", "com", "com0", "com10", "lpt", "icon", "con-post", "nullable", "", "aaé", "가나"]
        {
            assert!(!is_device_name(name), "{name}");
        }
    }

    #[test]
    fn summaries_come_from_paragraphs() {
        let md = "## 제목\n\n> [!TIP]\n> 콜아웃\n\n첫 문단 **굵게** [링크](x).\n\n```\ncode\n```\n\n둘째 문단";
        assert_eq!(summary_of(md, 160).as_deref(), Some("첫 문단 굵게 링크. 둘째 문단"));
        assert_eq!(summary_of("가나다라마바사", 3).as_deref(), Some("가나다…"));
        assert_eq!(summary_of("![그림](a.png)", 10), None);
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+09:00"), Some(540));
        assert_eq!(parse_offset("-0530"), Some(-330));
        assert_eq!(parse_offset("Z"), Some(0));
        assert_eq!(parse_offset("KST"), None);
        assert_eq!(parse_offset("+25:00"), None);
    }

    #[test]
    fn clips_by_characters() {
        assert_eq!(clip("가나다라마", 3), "가나다…");
        assert_eq!(clip(" 짧다 ", 10), "짧다");
    }
}
