//! Dates as Jekyll reads them: from `date:` in its accepted forms, and from `YYYY-MM-DD-` file names.

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone,
};

/// The zone in which dates without an offset are read: the site's `timezone`, or the machine's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// An IANA zone from `_config.yml`.
    Named(chrono_tz::Tz),
    /// No `timezone` configured: Jekyll uses the machine's local zone.
    Local,
}

impl Zone {
    /// Attaches this zone to a wall-clock time (the earlier one in a DST overlap, the shifted one in a gap).
    pub fn resolve(self, naive: NaiveDateTime) -> DateTime<FixedOffset> {
        match self {
            Zone::Named(tz) => fix(tz.from_local_datetime(&naive), naive, |n| {
                tz.from_utc_datetime(&n).offset().fix()
            }),
            Zone::Local => fix(chrono::Local.from_local_datetime(&naive), naive, |n| {
                chrono::Local.from_utc_datetime(&n).offset().fix()
            }),
        }
    }

    /// Converts an instant to this zone.
    pub fn convert(self, instant: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        match self {
            Zone::Named(tz) => instant.with_timezone(&tz).fixed_offset(),
            Zone::Local => instant.with_timezone(&chrono::Local).fixed_offset(),
        }
    }

    /// The current time in this zone.
    pub fn now(self) -> DateTime<FixedOffset> {
        self.convert(chrono::Utc::now().fixed_offset())
    }
}

fn fix<T: TimeZone>(
    local: LocalResult<DateTime<T>>,
    naive: NaiveDateTime,
    offset_at_utc: impl Fn(NaiveDateTime) -> FixedOffset,
) -> DateTime<FixedOffset> {
    match local {
        LocalResult::Single(dt) | LocalResult::Ambiguous(dt, _) => dt.fixed_offset(),
        LocalResult::None => {
            let offset = offset_at_utc(naive);
            offset
                .from_utc_datetime(&(naive - offset))
                .with_timezone(&offset)
        }
    }
}

/// A `date:` value: a wall-clock time, with the offset it was written with, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenDate {
    /// The date and time as written.
    pub naive: NaiveDateTime,
    /// The offset written after it (`+0200`, `+02:00`, `Z`, `UTC`).
    pub offset: Option<FixedOffset>,
}

impl WrittenDate {
    /// The instant, reading an offset-less date in `zone`.
    pub fn in_zone(self, zone: Zone) -> DateTime<FixedOffset> {
        match self.offset {
            Some(offset) => zone.convert(
                offset
                    .from_local_datetime(&self.naive)
                    .single()
                    .unwrap_or_else(|| zone.resolve(self.naive)),
            ),
            None => zone.resolve(self.naive),
        }
    }
}

/// How to write a `date:` Jekyll reads, for messages: the same hint wherever a date is refused.
pub const DATE_FORMS: &str = "use YYYY-MM-DD, optionally with HH:MM:SS and +ZZZZ";

/// Whether RFC 3339, which feeds and JSON use, can write the date: its year has four digits. A date
/// written near the end of year 9999 may cross into 10000 once moved to the site's time zone.
pub fn fits_rfc3339(date: &DateTime<FixedOffset>) -> bool {
    (0..=9999).contains(&date.year())
}

/// Why a date [`fits_rfc3339`] refuses cannot be used.
pub fn beyond_rfc3339(date: &DateTime<FixedOffset>) -> String {
    format!(
        "`date:` falls in year {} in the site's time zone; feeds and JSON write RFC 3339 dates, \
whose years have four digits",
        date.year()
    )
}

/// Parses Jekyll's date forms: `2017-06-22`, `2017-06-22 10:30`, `2017-06-22 10:30:00 +0200`, RFC 3339.
pub fn parse_date(text: &str) -> Option<WrittenDate> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(WrittenDate {
            naive: dt.naive_local(),
            offset: Some(*dt.offset()),
        });
    }
    let (day, rest) = split_day(text)?;
    let date = parse_day(day)?;
    let rest = rest.trim_start_matches(['T', 't', ' ']);
    if rest.is_empty() {
        return Some(WrittenDate {
            naive: date.and_time(NaiveTime::MIN),
            offset: None,
        });
    }
    let time_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let time = parse_time(&rest[..time_len])?;
    let zone = skip_repeated_year(rest[time_len..].trim(), date);
    let offset = if zone.is_empty() {
        None
    } else {
        Some(parse_offset(zone)?)
    };
    Some(WrittenDate {
        naive: date.and_time(time),
        offset,
    })
}

/// Parses a `date:` written as a plain (unquoted) YAML scalar. Ruby's YAML reads one with a time to
/// the second and no offset (`2008-02-02 15:09:08`) as a timestamp in UTC, which Jekyll then shows in
/// the site's zone; quoted, or without seconds, it stays a string that Jekyll reads in the site's zone.
pub fn parse_plain_date(text: &str) -> Option<WrittenDate> {
    let written = parse_date(text)?;
    let with_seconds = split_day(text.trim())
        .is_some_and(|(_, rest)| rest.bytes().filter(|&b| b == b':').count() >= 2);
    Some(match written.offset {
        None if with_seconds => WrittenDate {
            offset: Some(FixedOffset::east_opt(0).expect("zero is a valid offset")),
            ..written
        },
        _ => written,
    })
}

/// Skips a repeated year before the offset (`2023-01-29 18:30:22 2023 -0800`, the shape of `date`'s
/// output), which Ruby's `Time.parse`, and so Jekyll, reads without complaint.
fn skip_repeated_year(zone: &str, date: NaiveDate) -> &str {
    match zone.split_once(' ') {
        Some((year, rest)) if year.parse::<i32>().ok() == Some(date.year()) => rest.trim_start(),
        _ if zone.parse::<i32>().ok() == Some(date.year()) => "",
        _ => zone,
    }
}

fn split_day(text: &str) -> Option<(&str, &str)> {
    let end = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '-'))
        .map_or(text.len(), |(i, _)| i);
    (end > 0).then(|| (&text[..end], &text[end..]))
}

/// Parses `YYYY-MM-DD` (one- or two-digit month and day, as Jekyll allows), rejecting impossible days.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || !(y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()))
    {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(text, format).ok())
}

fn parse_offset(zone: &str) -> Option<FixedOffset> {
    if matches!(zone, "Z" | "z" | "UTC" | "GMT") {
        return FixedOffset::east_opt(0);
    }
    let (sign, digits) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// The parts of a post's file name: `YYYY-MM-DD-slug.ext`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    /// The date prefix as written, if the name has one of the right shape.
    pub date_text: Option<String>,
    /// The date prefix, when it is a real day.
    pub date: Option<NaiveDate>,
    /// The name between the date prefix and the extension.
    pub slug: String,
    /// The extension, without its dot.
    pub ext: String,
}

impl FileName {
    /// Splits a file name; `date_text` is `None` when the name has no date prefix at all.
    pub fn parse(name: &str) -> FileName {
        let (stem, ext) = match name.rfind('.') {
            Some(dot) if dot > 0 => (&name[..dot], &name[dot + 1..]),
            _ => (name, ""),
        };
        let prefix = date_prefix(stem);
        let (date_text, slug) = match prefix {
            Some(len) => (Some(stem[..len].to_string()), &stem[len + 1..]),
            None => (None, stem),
        };
        FileName {
            date: date_text.as_deref().and_then(parse_day),
            date_text,
            slug: slug.to_string(),
            ext: ext.to_string(),
        }
    }
}

/// Length of a `DDDD-D{1,2}-D{1,2}` prefix followed by `-` and a non-empty title.
fn date_prefix(stem: &str) -> Option<usize> {
    let bytes = stem.as_bytes();
    let mut i = 0;
    for (group, (min, max)) in [(4, 4), (1, 2), (1, 2)].into_iter().enumerate() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() && i - start < max {
            i += 1;
        }
        if i - start < min || bytes.get(i) != Some(&b'-') {
            return None;
        }
        if group < 2 {
            i += 1;
        }
    }
    (i + 1 < bytes.len()).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn jekyll_date_forms() {
        assert_eq!(
            parse_date("2017-06-22").unwrap().naive,
            naive("2017-06-22 00:00:00")
        );
        assert_eq!(
            parse_date("2017-06-22 10:30").unwrap().naive,
            naive("2017-06-22 10:30:00")
        );
        let zoned = parse_date("2017-06-22 10:30:00 +0200").unwrap();
        assert_eq!(zoned.offset, FixedOffset::east_opt(7200));
        let rfc = parse_date("2019-03-04T08:15:00+01:00").unwrap();
        assert_eq!(rfc.naive, naive("2019-03-04 08:15:00"));
        assert_eq!(
            parse_date("2017-06-22 10:30:00 -08:00").unwrap().offset,
            FixedOffset::west_opt(8 * 3600)
        );
        assert_eq!(
            parse_date("2017-06-22 10:30:00.5 Z").unwrap().offset,
            FixedOffset::east_opt(0)
        );
        let repeated = parse_date("2023-01-29 18:30:22 2023 -0800").unwrap();
        assert_eq!(repeated.offset, FixedOffset::west_opt(8 * 3600));
        assert!(parse_date("2023-01-29 18:30:22 2024 -0800").is_none());
    }

    #[test]
    fn impossible_and_garbled_dates_are_rejected() {
        for bad in [
            "2020-02-30",
            "2020-13-01",
            "yesterday",
            "2017-06-22 25:00",
            "2017-06-22 10:30 +9999",
            "",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn zone_reads_offsetless_dates() {
        let paris = Zone::Named(chrono_tz::Europe::Paris);
        let dt = parse_date("2017-06-22 23:30").unwrap().in_zone(paris);
        assert_eq!(dt.to_rfc3339(), "2017-06-22T23:30:00+02:00");
        let utc = parse_date("2017-06-22 23:30:00 +0000")
            .unwrap()
            .in_zone(paris);
        assert_eq!(utc.to_rfc3339(), "2017-06-23T01:30:00+02:00");
    }

    #[test]
    fn file_names() {
        let name = FileName::parse("2017-06-22-intercotour.md");
        assert_eq!(name.date, NaiveDate::from_ymd_opt(2017, 6, 22));
        assert_eq!(
            (name.slug.as_str(), name.ext.as_str()),
            ("intercotour", "md")
        );
        let short = FileName::parse("2017-6-2-x.markdown");
        assert_eq!(short.date, NaiveDate::from_ymd_opt(2017, 6, 2));
        let bad = FileName::parse("2020-13-45-bad.md");
        assert_eq!(
            (bad.date_text.as_deref(), bad.date),
            (Some("2020-13-45"), None)
        );
        let none = FileName::parse("not-a-dated-name.md");
        assert_eq!(
            (none.date_text, none.slug.as_str()),
            (None, "not-a-dated-name")
        );
        assert_eq!(FileName::parse("2017-06-22.md").date_text, None);
    }
}
