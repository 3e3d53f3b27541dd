//! The clock seam: code that needs "now" takes a `&dyn Clock`, so tests can fix time.

use std::time::SystemTime;

pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that always answers the same instant (tests).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub SystemTime);

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// `SystemTime` as an RFC 3339 UTC string with seconds precision.
pub fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// An RFC 3339 time (as Prometheus, Alertmanager, Docker and Horizon write them), `None`
/// when it does not parse.
pub fn parse_rfc3339(s: &str) -> Option<SystemTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(SystemTime::from)
}

/// `SystemTime` as a compact UTC stamp for file names: `20261125T203000Z`.
pub fn file_stamp(t: SystemTime) -> String {
    rfc3339(t).replace(['-', ':'], "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn stamps() {
        let t = UNIX_EPOCH + Duration::from_secs(1_764_102_600);
        assert_eq!(rfc3339(t), "2025-11-25T20:30:00Z");
        assert_eq!(file_stamp(t), "20251125T203000Z");
        assert_eq!(FixedClock(t).now(), t);
    }
}
