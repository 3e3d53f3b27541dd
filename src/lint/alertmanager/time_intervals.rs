//! `time_intervals` (and the deprecated top-level `mute_time_intervals`): names, and the
//! syntax of each interval (times `HH:MM`, weekday ranges, days of the month including
//! negative ones, months by name or number, years, IANA time zone).

use std::path::Path;

use super::{Checker, codes};
use crate::lint::schema;
use crate::yaml::{Node, Pos};

const INTERVAL_FIELDS: &[&str] =
    &["times", "weekdays", "days_of_month", "months", "years", "location"];

const WEEKDAYS: [&str; 7] =
    ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A defined time interval.
#[derive(Debug, Clone)]
pub struct Defined {
    pub name: String,
    pub pos: Pos,
}

impl Checker<'_, '_> {
    /// Check one list of named time intervals. `deprecated` is the top-level
    /// `mute_time_intervals`.
    pub(super) fn time_interval_list(&mut self, node: &Node, key: &str, deprecated: bool) {
        let what = if deprecated { "mute time interval" } else { "time interval" };
        let Some(items) = self.ctx.list(node, key) else {
            return;
        };
        for item in items {
            if item.is_null() {
                self.ctx.error(item.pos, schema::MISSING_FIELD, format!("missing name in {what}"));
                continue;
            }
            let Some(f) = self.ctx.map(item, what, &["name", "time_intervals"]) else {
                continue;
            };
            let name = f.get("name").and_then(|n| self.ctx.string(n, &format!("{what}: name")));
            let name_pos = f.get("name").map_or(f.pos(), |n| n.pos);
            match name {
                Some(n) if !n.is_empty() => {
                    if let Some(first) = self.intervals.iter().find(|d| d.name == n) {
                        let m = if deprecated {
                            format!(
                                "mute time interval {n:?} is not unique (first defined at line {})",
                                first.pos.line
                            )
                        } else {
                            format!(
                                "time interval {n:?} is not unique (first defined at line {})",
                                first.pos.line
                            )
                        };
                        self.ctx.error(name_pos, codes::TIME_INTERVAL_DUPLICATE, m);
                    } else {
                        self.intervals.push(Defined { name: n.to_string(), pos: name_pos });
                    }
                }
                Some(_) | None if f.get("name").is_some_and(|n| n.scalar_text().is_none()) => {}
                _ => self.ctx.error(
                    f.pos(),
                    schema::MISSING_FIELD,
                    format!("missing name in {what}"),
                ),
            }
            if let Some(list) = f.get("time_intervals")
                && let Some(specs) = self.ctx.list(list, &format!("{what}: time_intervals"))
            {
                for spec in specs {
                    self.interval_spec(spec);
                }
            }
        }
    }

    fn interval_spec(&mut self, node: &Node) {
        let Some(f) = self.ctx.map(node, "time interval", INTERVAL_FIELDS) else {
            return;
        };
        if let Some(times) = f.get("times")
            && let Some(items) = self.ctx.list(times, "time interval: times")
        {
            for t in items {
                self.time_range(t);
            }
        }
        for (key, kind) in [
            ("weekdays", RangeKind::Weekday),
            ("days_of_month", RangeKind::DayOfMonth),
            ("months", RangeKind::Month),
            ("years", RangeKind::Year),
        ] {
            if let Some(n) = f.get(key)
                && let Some(items) = self.ctx.strings(n, &format!("time interval: {key}"))
            {
                for (s, pos) in items {
                    if let Err(e) = check_range(s, kind) {
                        self.ctx.error(
                            pos,
                            codes::TIME_INTERVAL_SYNTAX,
                            format!("time interval: {key}: {e}"),
                        );
                    } else if kind == RangeKind::Month && month_out_of_range(s) {
                        self.ctx.warning(
                            pos,
                            codes::TIME_INTERVAL_SYNTAX,
                            format!(
                                "time interval: months: {s:?} is outside 1..12 and never matches"
                            ),
                        );
                    }
                }
            }
        }
        if let Some(n) = f.get("location")
            && let Some(s) = self.ctx.string(n, "time interval: location")
        {
            match check_location(s, Path::new(ZONEINFO)) {
                Ok(()) => {}
                Err(LocErr::Unknown(e)) => self.ctx.error(n.pos, codes::TIME_ZONE, e),
                Err(LocErr::NoDatabase) => self.ctx.warning(
                    n.pos,
                    codes::TIME_ZONE,
                    format!(
                        "cannot check time zone {s:?}: no time zone database at {ZONEINFO} on this machine"
                    ),
                ),
            }
        }
    }

    fn time_range(&mut self, node: &Node) {
        let Some(f) = self.ctx.map(node, "time interval: times", &["start_time", "end_time"])
        else {
            return;
        };
        let mut get = |name: &str| {
            f.get(name).and_then(|n| {
                self.ctx
                    .string(n, &format!("time interval: {name}"))
                    .map(|s| (s.to_string(), n.pos))
            })
        };
        let start = get("start_time");
        let end = get("end_time");
        let (Some((s, sp)), Some((e, ep))) = (&start, &end) else {
            self.ctx.error(
                f.pos(),
                codes::TIME_INTERVAL_SYNTAX,
                "time interval: both start and end times must be provided",
            );
            return;
        };
        if s.is_empty() || e.is_empty() {
            self.ctx.error(
                f.pos(),
                codes::TIME_INTERVAL_SYNTAX,
                "time interval: both start and end times must be provided",
            );
            return;
        }
        let sm = parse_time(s);
        let em = parse_time(e);
        if let Err(m) = &sm {
            self.ctx.error(
                *sp,
                codes::TIME_INTERVAL_SYNTAX,
                format!("time interval: start_time: {m}"),
            );
        }
        if let Err(m) = &em {
            self.ctx.error(
                *ep,
                codes::TIME_INTERVAL_SYNTAX,
                format!("time interval: end_time: {m}"),
            );
        }
        if let (Ok(a), Ok(b)) = (sm, em)
            && a >= b
        {
            self.ctx.error(
                *sp,
                codes::TIME_INTERVAL_SYNTAX,
                format!("time interval: start time cannot be equal or greater than end time ({s} >= {e})"),
            );
        }
    }
}

const ZONEINFO: &str = "/usr/share/zoneinfo";

#[derive(Debug, PartialEq, Eq)]
enum LocErr {
    Unknown(String),
    NoDatabase,
}

/// `time.LoadLocation`: "" and "UTC" are UTC, "Local" is the local zone, other names must
/// name a zone file of the IANA database.
fn check_location(name: &str, db: &Path) -> Result<(), LocErr> {
    if name.is_empty() || name == "UTC" || name == "Local" {
        return Ok(());
    }
    let unknown = || LocErr::Unknown(format!("unknown time zone {name}"));
    if name.starts_with('/') || name.contains("..") || name.contains('\\') {
        return Err(unknown());
    }
    if !db.is_dir() {
        return Err(LocErr::NoDatabase);
    }
    let p = db.join(name);
    // A zone file starts with the magic "TZif".
    match crate::fsutil::read_capped(&p, 1 << 20) {
        Ok(b) if b.starts_with(b"TZif") => Ok(()),
        _ => Err(unknown()),
    }
}

/// `HH:MM` (00:00 to 24:00) to minutes.
pub fn parse_time(s: &str) -> Result<u32, String> {
    let b = s.as_bytes();
    let ok = s == "24:00"
        || (b.len() == 5
            && b[2] == b':'
            && ((b[0] == b'0' || b[0] == b'1') && b[1].is_ascii_digit()
                || (b[0] == b'2' && (b'0'..=b'3').contains(&b[1])))
            && (b'0'..=b'5').contains(&b[3])
            && b[4].is_ascii_digit());
    if !ok {
        return Err(format!(
            "couldn't parse timestamp {s}, invalid format (HH:MM, 00:00 to 24:00)"
        ));
    }
    let h: u32 = s[..2].parse().map_err(|_| format!("invalid timestamp format: {s}"))?;
    let m: u32 = s[3..].parse().map_err(|_| format!("invalid timestamp format: {s}"))?;
    Ok(h * 60 + m)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeKind {
    Weekday,
    DayOfMonth,
    Month,
    Year,
}

fn member(s: &str, kind: RangeKind) -> Result<i64, String> {
    match kind {
        RangeKind::Weekday => WEEKDAYS
            .iter()
            .position(|d| *d == s)
            .map(|i| i as i64)
            .ok_or_else(|| format!("{s} is not a valid weekday")),
        RangeKind::Month => match MONTHS.iter().position(|m| *m == s) {
            Some(i) => Ok(i as i64 + 1),
            None => go_atoi(s).map_err(|_| format!("{s} is not a valid month")),
        },
        _ => go_atoi(s).map_err(|_| format!("strconv.Atoi: parsing {s:?}: invalid syntax")),
    }
}

fn go_atoi(s: &str) -> Result<i64, ()> {
    let t = s.strip_prefix('+').unwrap_or(s);
    if t.is_empty() || t.starts_with('+') {
        return Err(());
    }
    t.parse::<i64>().map_err(|_| ())
}

/// Parse one `weekdays` / `days_of_month` / `months` / `years` entry (`a:b` or `a`) as the
/// loader does: the inclusive range (weekdays 0 = Sunday, months 1 = January).
pub fn check_range(input: &str, kind: RangeKind) -> Result<(i64, i64), String> {
    let s = input.to_lowercase();
    let (begin, end) = if s.contains(':') {
        let parts: Vec<&str> = s.split(':').collect();
        if parts.len() != 2 {
            return Err(format!("couldn't parse range {s}, invalid format"));
        }
        (member(parts[0], kind)?, member(parts[1], kind)?)
    } else {
        let v = member(&s, kind)?;
        (v, v)
    };
    match kind {
        RangeKind::Weekday => {
            if begin > end {
                return Err("start day cannot be before end day".into());
            }
            if !(0..=6).contains(&begin) || !(0..=6).contains(&end) {
                return Err(format!("{input} is not a valid day of the week: out of range"));
            }
        }
        RangeKind::DayOfMonth => {
            for v in [begin, end] {
                if v == 0 || !(-31..=31).contains(&v) {
                    return Err(format!("{v} is not a valid day of the month: out of range"));
                }
            }
            if begin < 0 && end > 0 {
                return Err("end day must be negative if start day is negative".into());
            }
            let cb = if begin < 0 { 28 + begin } else { begin };
            let ce = if end < 0 { 28 + end } else { end };
            if cb > ce {
                return Err(format!("end day {end} is always before start day {begin}"));
            }
        }
        RangeKind::Month => {
            if begin > end {
                let name = |v: i64| {
                    MONTHS.get((v - 1) as usize).map_or_else(|| v.to_string(), |m| m.to_string())
                };
                return Err(format!(
                    "end month {} is before start month {}",
                    name(end),
                    name(begin)
                ));
            }
        }
        RangeKind::Year => {
            if begin > end {
                return Err(format!("end year {end} is before start year {begin}"));
            }
        }
    }
    Ok((begin, end))
}

/// Months outside 1..=12 are accepted by the loader but can never match.
pub(super) fn month_out_of_range(input: &str) -> bool {
    let s = input.to_lowercase();
    s.split(':').any(|p| member(p, RangeKind::Month).is_ok_and(|v| !(1..=12).contains(&v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("09:30"), Ok(570));
        assert_eq!(parse_time("24:00"), Ok(1440));
        assert!(parse_time("24:01").is_err());
        assert!(parse_time("9:30").is_err());
        assert!(parse_time("12:60").is_err());
    }

    #[test]
    fn ranges() {
        assert!(check_range("monday:friday", RangeKind::Weekday).is_ok());
        assert!(check_range("Saturday", RangeKind::Weekday).is_ok());
        assert!(check_range("friday:monday", RangeKind::Weekday).is_err());
        assert!(check_range("1", RangeKind::Weekday).is_err(), "weekdays by name only");
        assert!(check_range("1:15", RangeKind::DayOfMonth).is_ok());
        assert!(check_range("-3:-1", RangeKind::DayOfMonth).is_ok());
        assert!(check_range("-1:5", RangeKind::DayOfMonth).is_err());
        assert!(check_range("0", RangeKind::DayOfMonth).is_err());
        assert!(check_range("32", RangeKind::DayOfMonth).is_err());
        assert!(check_range("20:-10", RangeKind::DayOfMonth).is_err());
        assert!(check_range("january:march", RangeKind::Month).is_ok());
        assert!(check_range("1:3", RangeKind::Month).is_ok());
        assert!(
            check_range("march:january", RangeKind::Month)
                .expect_err("must fail")
                .contains("end month january")
        );
        assert!(check_range("smarch", RangeKind::Month).is_err());
        assert!(check_range("2020:2025", RangeKind::Year).is_ok());
        assert!(check_range("2025:2020", RangeKind::Year).is_err());
        assert!(check_range("1:2:3", RangeKind::Year).is_err());
        assert!(month_out_of_range("13"));
        assert!(!month_out_of_range("may:june"));
    }

    #[test]
    fn locations() {
        let db = Path::new(ZONEINFO);
        assert_eq!(check_location("", db), Ok(()));
        assert_eq!(check_location("UTC", db), Ok(()));
        assert!(matches!(check_location("../etc/passwd", db), Err(LocErr::Unknown(_))));
        if db.is_dir() {
            assert_eq!(check_location("Europe/Paris", db), Ok(()));
            assert!(matches!(check_location("Mars/Olympus", db), Err(LocErr::Unknown(_))));
        }
        assert_eq!(
            check_location("Europe/Paris", Path::new("/nonexistent-db")),
            Err(LocErr::NoDatabase)
        );
    }
}
