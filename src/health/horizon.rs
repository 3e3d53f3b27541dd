//! Stellar Horizon: `/health` and the root document `/`.
//!
//! Decisions (docs/health.md explains them to users):
//! - unreachable, or `/health` without its JSON → unhealthy;
//! - `database_connected: false` or `core_up: false` → unhealthy: Horizon cannot answer with
//!   current data;
//! - `core_synced: false` (and the rest true) → degraded: Stellar Core is catching up,
//!   Horizon still serves what it has;
//! - `network_passphrase` other than the configured one → **unhealthy**: the connector would
//!   trade on the wrong network, nothing else matters;
//! - `history_latest_ledger_closed_at` older than `horizon.max_ledger_age_seconds` (60 s by
//!   default; ledgers close every ~5-6 s) → degraded: ingestion has stalled;
//! - `/` unreadable while `/health` is fine → degraded.

use std::time::{Duration, SystemTime};

use super::probe::{Check, Finding, Probe, ProbeFuture, SubCheck};
use crate::api::HorizonClient;
use crate::api::horizon::{Health, Root, network_name};
use crate::api::http::HttpError;
use crate::clock::Clock;
use crate::settings::HorizonSettings;

pub struct HorizonProbe {
    pub client: HorizonClient,
    pub expect: HorizonSettings,
    pub clock: std::sync::Arc<dyn Clock>,
}

impl Probe for HorizonProbe {
    fn check(&self) -> Check {
        Check::Horizon
    }

    fn run(&self) -> ProbeFuture<'_> {
        Box::pin(async move {
            let (health, root) = tokio::join!(self.client.health(), self.client.root());
            evaluate(health, root, &self.expect, self.clock.now())
        })
    }
}

fn network(p: &str) -> String {
    match network_name(p) {
        Some(n) => n.to_string(),
        None => format!("`{p}`"),
    }
}

/// `5m 3s`, `42s`, `2h 5m`.
fn age(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {}s", s / 60, s % 60),
        _ => format!("{}h {}m", s / 3600, (s % 3600) / 60),
    }
}

pub fn evaluate(
    health: Result<(u16, Health), HttpError>,
    root: Result<Root, HttpError>,
    expect: &HorizonSettings,
    now: SystemTime,
) -> Finding {
    let h = match health {
        Ok((_, h)) => h,
        Err(e) => return Finding::single(SubCheck::from_http("health", &e)),
    };
    let mut subs = Vec::new();
    if !h.database_connected {
        subs.push(SubCheck::unhealthy("database", "Horizon's database is not connected"));
    }
    if !h.core_up {
        subs.push(SubCheck::unhealthy("core", "Stellar Core is down (core_up false)"));
    } else if !h.core_synced {
        subs.push(SubCheck::degraded(
            "core",
            "Stellar Core is not synced (catching up): data may be behind the network",
        ));
    } else if h.database_connected {
        subs.push(SubCheck::healthy("core", "core synced"));
    }

    match root {
        Err(e) => subs.push(SubCheck::degraded_http("root", "the root document", &e)),
        Ok(r) => {
            let got = r.network_passphrase.clone().unwrap_or_default();
            if got != expect.network_passphrase {
                subs.push(SubCheck::unhealthy(
                    "network",
                    format!(
                        "wrong network: Horizon serves {}, expected {}",
                        if got.is_empty() { "no passphrase".into() } else { network(&got) },
                        network(&expect.network_passphrase)
                    ),
                ));
            } else {
                subs.push(SubCheck::healthy("network", network(&got)));
            }
            let ledger = r
                .history_latest_ledger
                .map(|l| format!("ledger {l}"))
                .unwrap_or_else(|| "latest ledger".into());
            let closed =
                r.history_latest_ledger_closed_at.as_deref().and_then(crate::clock::parse_rfc3339);
            subs.push(match closed {
                None => SubCheck::degraded(
                    "ledger",
                    "no history_latest_ledger_closed_at in the root document: cannot tell whether ingestion runs",
                ),
                Some(t) => {
                    let a = now.duration_since(t).unwrap_or_default();
                    let max = Duration::from_secs(expect.max_ledger_age_seconds);
                    if a > max {
                        SubCheck::degraded(
                            "ledger",
                            format!(
                                "{ledger} closed {} ago (limit {}): ingestion has stalled",
                                age(a),
                                age(max)
                            ),
                        )
                    } else {
                        SubCheck::healthy("ledger", format!("{ledger} closed {} ago", age(a)))
                    }
                }
            });
        }
    }
    Finding::from_subchecks(subs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::horizon::TESTNET;
    use crate::health::probe::Status;

    fn now() -> SystemTime {
        humantime::parse_rfc3339("2026-11-25T20:30:00Z").expect("time")
    }

    fn root(closed_at: &str, passphrase: &str) -> Root {
        Root {
            horizon_version: Some("23.0.0".into()),
            core_version: None,
            history_latest_ledger: Some(58_000_000),
            history_latest_ledger_closed_at: Some(closed_at.into()),
            core_latest_ledger: None,
            network_passphrase: Some(passphrase.into()),
            current_protocol_version: Some(23),
        }
    }

    fn ok() -> Health {
        Health { database_connected: true, core_up: true, core_synced: true }
    }

    #[test]
    fn fresh_ledger_on_the_right_network_is_healthy() {
        let s = HorizonSettings::default();
        let f = evaluate(
            Ok((200, ok())),
            Ok(root("2026-11-25T20:29:55Z", &s.network_passphrase)),
            &s,
            now(),
        );
        assert_eq!(f.status, Status::Healthy);
        assert_eq!(f.message, "core synced; pubnet; ledger 58000000 closed 5s ago");
    }

    #[test]
    fn stale_ledger_is_degraded() {
        let s = HorizonSettings::default();
        let f = evaluate(
            Ok((200, ok())),
            Ok(root("2026-11-25T20:25:00Z", &s.network_passphrase)),
            &s,
            now(),
        );
        assert_eq!(f.status, Status::Degraded);
        assert_eq!(
            f.message,
            "ledger 58000000 closed 5m 0s ago (limit 1m 0s): ingestion has stalled"
        );
    }

    #[test]
    fn wrong_network_is_unhealthy() {
        let s = HorizonSettings::default();
        let f = evaluate(Ok((200, ok())), Ok(root("2026-11-25T20:29:59Z", TESTNET)), &s, now());
        assert_eq!(f.status, Status::Unhealthy);
        assert_eq!(f.message, "wrong network: Horizon serves testnet, expected pubnet");
    }

    #[test]
    fn core_flags() {
        let s = HorizonSettings::default();
        let r = || Ok(root("2026-11-25T20:29:59Z", &s.network_passphrase));
        let f = evaluate(Ok((503, Health { core_synced: false, ..ok() })), r(), &s, now());
        assert_eq!(f.status, Status::Degraded);
        assert!(f.message.starts_with("Stellar Core is not synced"));
        let f = evaluate(Ok((503, Health { database_connected: false, ..ok() })), r(), &s, now());
        assert_eq!(f.status, Status::Unhealthy);
        assert_eq!(f.message, "Horizon's database is not connected");
        let f = evaluate(
            Ok((503, Health { core_up: false, core_synced: false, ..ok() })),
            r(),
            &s,
            now(),
        );
        assert_eq!(f.message, "Stellar Core is down (core_up false)");
    }
}
