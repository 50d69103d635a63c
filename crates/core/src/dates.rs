//! RFC 3339 timestamps as publishers write them, and how a byline shows them.
//! The date is shown as written (in the publisher's own offset), never shifted to the reader's zone.

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// Offset from UTC in minutes (`+09:00` is 540).
    pub offset_minutes: i16,
}

/// Days in `month` (1..=12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn num(s: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let part = s.get(range)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl DateTime {
    /// Parses `2025-09-12T09:00:00+09:00` (also `Z`, fractions, a space or `t` separator).
    /// A plain date `2025-09-12` is accepted too, as midnight UTC, because publishers write it.
    pub fn parse(s: &str) -> Option<DateTime> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = num(s, 0..4)? as i32;
        let month = num(s, 5..7)? as u8;
        let day = num(s, 8..10)? as u8;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let mut dt = DateTime { year, month, day, hour: 0, minute: 0, second: 0, offset_minutes: 0 };
        if b.len() == 10 {
            return Some(dt);
        }
        if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
            return None;
        }
        dt.hour = num(s, 11..13)? as u8;
        dt.minute = num(s, 14..16)? as u8;
        dt.second = num(s, 17..19)? as u8;
        if dt.hour > 23 || dt.minute > 59 || dt.second > 60 {
            return None;
        }
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            rest = &frac[digits..];
        }
        dt.offset_minutes = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
                let sign = match rest.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let (h, m) = (num(rest, 1..3)?, num(rest, 4..6)?);
                if h > 23 || m > 59 {
                    return None;
                }
                sign * (h * 60 + m) as i16
            }
            _ => return None,
        };
        Some(dt)
    }

    /// Seconds since 1970-01-01T00:00:00Z, for ordering.
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(i64::from(self.year), self.month, self.day);
        days * 86_400 + i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60
    }

    /// The calendar date as a reader of `lang` writes it: `2025년 9월 12일`, `September 12, 2025`.
    pub fn format_date(&self, lang: Lang) -> String {
        match lang {
            Lang::Ko => format!("{}년 {}월 {}일", self.year, self.month, self.day),
            Lang::En => {
                const MONTHS: [&str; 12] = [
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                ];
                let name = MONTHS.get(usize::from(self.month).saturating_sub(1)).unwrap_or(&"");
                format!("{name} {}, {}", self.day, self.year)
            }
        }
    }

    /// A Korean news stamp: `2025.10.21 09:00` in the publisher's own offset, or the date alone
    /// (`2025.10.21`) when the document gave no time.
    pub fn format_stamp(&self, with_time: bool) -> String {
        let date = format!("{:04}.{:02}.{:02}", self.year, self.month, self.day);
        if with_time {
            format!("{date} {:02}:{:02}", self.hour, self.minute)
        } else {
            date
        }
    }

    /// The timestamp written out in RFC 3339 with its own offset (`2025-09-12T09:00:00+09:00`,
    /// `Z` for UTC), for feeds, sitemaps and structured data: the publisher's offset is kept.
    pub fn rfc3339(&self) -> String {
        let date = self.iso_date();
        let time = format!("{:02}:{:02}:{:02}", self.hour, self.minute, self.second);
        if self.offset_minutes == 0 {
            return format!("{date}T{time}Z");
        }
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        format!("{date}T{time}{sign}{:02}:{:02}", off / 60, off % 60)
    }

    /// `YYYY-MM-DD`, for the `datetime` attribute of `<time>`.
    pub fn iso_date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_news_stamps_keep_the_publishers_clock() {
        let at = |raw| DateTime::parse(raw).unwrap();
        assert_eq!(at("2025-10-21T09:05:00+09:00").format_stamp(true), "2025.10.21 09:05");
        assert_eq!(at("2025-10-21T00:30:00Z").format_stamp(true), "2025.10.21 00:30");
        assert_eq!(at("2025-01-02").format_stamp(false), "2025.01.02");
    }

    #[test]
    fn written_out_with_the_publishers_offset() {
        for (raw, want) in [
            ("2025-09-12T09:00:00+09:00", "2025-09-12T09:00:00+09:00"),
            ("2025-09-12t09:00:00.123z", "2025-09-12T09:00:00Z"),
            ("2025-09-12 23:59:60-03:30", "2025-09-12T23:59:60-03:30"),
            ("2025-09-12", "2025-09-12T00:00:00Z"),
        ] {
            assert_eq!(DateTime::parse(raw).map(|d| d.rfc3339()).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn parses_rfc3339_and_formats_per_language() {
        let d = DateTime::parse("2025-09-12T09:00:00+09:00").expect("valid");
        assert_eq!(d.format_date(Lang::Ko), "2025년 9월 12일");
        assert_eq!(d.format_date(Lang::En), "September 12, 2025");
        assert_eq!(d.iso_date(), "2025-09-12");
        assert_eq!(d.unix_seconds(), DateTime::parse("2025-09-12T00:00:00Z").map(|d| d.unix_seconds()).unwrap_or(0));
        assert_eq!(DateTime::parse("1970-01-01T00:00:00Z").map(|d| d.unix_seconds()), Some(0));
        assert!(DateTime::parse("2024-02-29T10:11:12.345Z").is_some());
        assert!(DateTime::parse("2025-09-12").is_some());
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for bad in [
            "",
            "yesterday",
            "2025-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2025-09-12T25:00:00Z",
            "2025-09-12T09:00:00+9",
            "2025-09-12T09:00:00",
            "2025-09-12T09:00:00.Z",
            "２０２５-09-12",
            "2025-9-12",
        ] {
            assert_eq!(DateTime::parse(bad), None, "{bad:?}");
        }
    }
}
