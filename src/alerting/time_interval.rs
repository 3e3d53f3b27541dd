//! Time intervals (`time_intervals`, the deprecated top-level `mute_time_intervals`) and
//! whether an instant falls inside one, as Alertmanager's `timeinterval.ContainsTime` decides.
//!
//! The syntax of each field is parsed by the linter's parsers
//! (`lint::alertmanager::time_intervals`); this module keeps the parsed ranges and the
//! semantics. Time zones come from the system's IANA database (`/usr/share/zoneinfo`,
//! Debian's tzdata) through jiff, the same database Go's `time.LoadLocation` reads.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::lint::alertmanager::time_intervals::{RangeKind, check_range, parse_time};

/// One entry of a named time interval: every field that is set must contain the instant.
#[derive(Debug, Clone)]
pub struct TimeInterval {
    /// `[start, end)` in minutes of the day.
    pub times: Option<Vec<(u32, u32)>>,
    /// Inclusive ranges, 0 = Sunday.
    pub weekdays: Option<Vec<(i64, i64)>>,
    /// Inclusive ranges; negative counts from the end of the month (-1 = last day).
    pub days_of_month: Option<Vec<(i64, i64)>>,
    /// Inclusive ranges, 1 = January.
    pub months: Option<Vec<(i64, i64)>>,
    pub years: Option<Vec<(i64, i64)>>,
    /// The zone the fields are read in (UTC when not set).
    pub location: Option<(String, TimeZone)>,
}

/// A time zone as `time.LoadLocation` resolves it: "" and "UTC" are UTC, "Local" the
/// machine's zone, anything else a file of the IANA database.
pub fn load_location(name: &str) -> Result<TimeZone, String> {
    match name {
        "" | "UTC" => Ok(TimeZone::UTC),
        "Local" => Ok(TimeZone::system()),
        _ => TimeZone::get(name).map_err(|_| format!("unknown time zone {name}")),
    }
}

/// Parse the string fields of one interval entry. Errors are the linter's messages.
pub fn parse(
    times: Option<&[(String, String)]>,
    weekdays: Option<&[String]>,
    days_of_month: Option<&[String]>,
    months: Option<&[String]>,
    years: Option<&[String]>,
    location: Option<&str>,
) -> Result<TimeInterval, String> {
    let times = match times {
        Some(ts) => {
            let mut v = Vec::new();
            for (s, e) in ts {
                v.push((parse_time(s)?, parse_time(e)?));
            }
            Some(v)
        }
        None => None,
    };
    let ranges = |items: Option<&[String]>, kind| -> Result<Option<Vec<(i64, i64)>>, String> {
        match items {
            Some(list) => {
                list.iter().map(|s| check_range(s, kind)).collect::<Result<_, _>>().map(Some)
            }
            None => Ok(None),
        }
    };
    Ok(TimeInterval {
        times,
        weekdays: ranges(weekdays, RangeKind::Weekday)?,
        days_of_month: ranges(days_of_month, RangeKind::DayOfMonth)?,
        months: ranges(months, RangeKind::Month)?,
        years: ranges(years, RangeKind::Year)?,
        location: match location {
            Some(l) => Some((l.to_string(), load_location(l)?)),
            None => None,
        },
    })
}

impl TimeInterval {
    /// Whether the instant is inside this interval (`ContainsTime`).
    pub fn contains(&self, at: Timestamp) -> bool {
        let tz = self.location.as_ref().map_or(TimeZone::UTC, |(_, tz)| tz.clone());
        let t = at.to_zoned(tz);
        if let Some(times) = &self.times {
            let m = u32::from(t.hour().unsigned_abs()) * 60 + u32::from(t.minute().unsigned_abs());
            if !times.iter().any(|(s, e)| m >= *s && m < *e) {
                return false;
            }
        }
        if let Some(days) = &self.days_of_month {
            let dim = i64::from(t.days_in_month());
            let day = i64::from(t.day());
            let inside = days.iter().any(|(b, e)| {
                let begin = if *b < 0 { dim + b + 1 } else { *b };
                let end = if *e < 0 { dim + e + 1 } else { *e };
                // A start after the end of this month never matches (no clamping).
                if begin > dim {
                    return false;
                }
                let begin = begin.clamp(-dim, dim);
                let end = end.clamp(-dim, dim);
                day >= begin && day <= end
            });
            if !inside {
                return false;
            }
        }
        if let Some(months) = &self.months {
            let m = i64::from(t.month());
            if !months.iter().any(|(b, e)| m >= *b && m <= *e) {
                return false;
            }
        }
        if let Some(wd) = &self.weekdays {
            let d = i64::from(t.weekday().to_sunday_zero_offset());
            if !wd.iter().any(|(b, e)| d >= *b && d <= *e) {
                return false;
            }
        }
        if let Some(years) = &self.years {
            let y = i64::from(t.year());
            if !years.iter().any(|(b, e)| y >= *b && y <= *e) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn business_hours_in_a_time_zone() {
        let ti = parse(
            Some(&[("09:00".into(), "17:00".into())]),
            Some(&strings(&["monday:friday"])),
            None,
            None,
            None,
            Some("Europe/Berlin"),
        )
        .expect("parses");
        // 2026-03-02 is a Monday; Berlin is UTC+1 in March before the DST switch.
        assert!(ti.contains(ts("2026-03-02T08:00:00Z")), "09:00 Berlin");
        assert!(!ti.contains(ts("2026-03-02T07:59:00Z")), "08:59 Berlin");
        assert!(!ti.contains(ts("2026-03-02T16:00:00Z")), "17:00 Berlin: end is exclusive");
        assert!(ti.contains(ts("2026-03-02T15:59:00Z")));
        // Saturday.
        assert!(!ti.contains(ts("2026-03-07T10:00:00Z")));
        // After the DST switch (29 March 2026) Berlin is UTC+2.
        assert!(ti.contains(ts("2026-03-30T07:00:00Z")));
        assert!(!ti.contains(ts("2026-03-30T15:00:00Z")));
    }

    #[test]
    fn negative_days_and_months_and_years() {
        let last_days =
            parse(None, None, Some(&strings(&["-3:-1"])), None, None, None).expect("ok");
        assert!(last_days.contains(ts("2026-02-26T12:00:00Z")), "Feb has 28 days in 2026");
        assert!(!last_days.contains(ts("2026-02-25T12:00:00Z")));
        assert!(last_days.contains(ts("2026-03-29T00:00:00Z")));
        assert!(!last_days.contains(ts("2026-03-28T23:59:59Z")));
        let late = parse(None, None, Some(&strings(&["30:31"])), None, None, None).expect("ok");
        assert!(!late.contains(ts("2026-02-28T12:00:00Z")), "starts after February's end");
        let q1 = parse(
            None,
            None,
            None,
            Some(&strings(&["january:march"])),
            Some(&strings(&["2026"])),
            None,
        )
        .expect("ok");
        assert!(q1.contains(ts("2026-03-31T23:00:00Z")));
        assert!(!q1.contains(ts("2026-04-01T00:00:00Z")));
        assert!(!q1.contains(ts("2027-01-10T00:00:00Z")));
        let all_day =
            parse(Some(&[("00:00".into(), "24:00".into())]), None, None, None, None, None)
                .expect("ok");
        assert!(all_day.contains(ts("2026-01-01T23:59:59Z")));
    }

    #[test]
    fn bad_zone_and_syntax_are_errors() {
        assert!(load_location("Mars/Olympus").is_err());
        assert!(load_location("UTC").is_ok());
        assert!(
            parse(Some(&[("9:00".into(), "17:00".into())]), None, None, None, None, None).is_err()
        );
    }
}
