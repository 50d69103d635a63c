//! RFC 3339 timestamps reduced to a UTC instant, just enough to order entries by date.
//! Lenient where publishers are sloppy (date only, space separator, missing seconds).

use crate::dates::{days_from_civil, days_in_month};

/// Parse `YYYY-MM-DD[(T|t| )HH:MM[:SS[.frac]](Z|z|±HH:MM)]` into (Unix seconds, nanoseconds),
/// UTC. A date without a time means midnight UTC. `None` for anything else or an
/// impossible date.
pub fn parse_rfc3339(text: &str) -> Option<(i64, u32)> {
    let b = text.trim().as_bytes();
    let year = digits(b, 0, 4)?;
    expect(b, 4, b'-')?;
    let month = digits(b, 5, 2)?;
    expect(b, 7, b'-')?;
    let day = digits(b, 8, 2)?;
    // Four digits, two and two: the casts below cannot truncate.
    let (month, day) = (month as u8, day as u8);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year as i32, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return Some((days * 86_400, 0));
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = digits(b, 11, 2)?;
    expect(b, 13, b':')?;
    let minute = digits(b, 14, 2)?;
    let mut i = 16;
    let mut second = 0;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b':') {
        second = digits(b, i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let mut scale = 100_000_000u32;
            let from = i;
            while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
                nanos += u32::from(d - b'0') * scale;
                scale /= 10;
                i += 1;
            }
            if i == from {
                return None;
            }
        }
    }
    // 60 admits a leap second; it sorts like the next second, which is fine for ordering.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let offset = match b.get(i) {
        Some(b'Z' | b'z') if b.len() == i + 1 => 0,
        Some(&sign @ (b'+' | b'-')) if b.len() == i + 6 => {
            let oh = digits(b, i + 1, 2)?;
            expect(b, i + 3, b':')?;
            let om = digits(b, i + 4, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some((secs, nanos))
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    s.iter().try_fold(0i64, |acc, &d| d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0')))
}

fn expect(b: &[u8], at: usize, want: u8) -> Option<()> {
    (b.get(at) == Some(&want)).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_and_offsets_to_the_same_instant() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(parse_rfc3339("2024-03-01T09:00:00+09:00"), parse_rfc3339("2024-03-01T00:00:00Z"));
        assert_eq!(parse_rfc3339("2024-02-29T23:30:00-01:00"), parse_rfc3339("2024-03-01T00:30:00Z"));
        assert_eq!(parse_rfc3339("2000-03-01T00:00:00Z"), Some((951_868_800, 0)));
    }

    #[test]
    fn fractions_dates_and_lenient_forms() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:01.25Z"), Some((1, 250_000_000)));
        assert_eq!(parse_rfc3339("1970-01-02"), Some((86_400, 0)));
        assert_eq!(parse_rfc3339(" 1970-01-01 00:01z "), Some((60, 0)));
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), Some((-1, 0)));
    }

    #[test]
    fn rejects_garbage_and_impossible_dates() {
        for bad in [
            "", "yesterday", "2024-13-01", "2023-02-29", "2024-01-01T25:00:00Z", "2024-01-01T10:00:00",
            "2024-01-01T10:00:00+0900", "2024-01-01T10:00:00.Z", "2024-01-01X", "２０２４-01-01",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert!(parse_rfc3339("2024-02-29").is_some());
    }
}
