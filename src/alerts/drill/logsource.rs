//! Where the drill reads Alertmanager's log: a file (`--alertmanager-log`, Alertmanager
//! outside Compose), the stack's Compose project (`docker compose logs alertmanager`), or
//! nowhere (the counters alone then say what failed, not why).

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::alerts::amlog::{self, Event};
use crate::output::Ui;
use crate::settings::Settings;
use crate::stack::engine::Compose;

/// The most log text read per poll (a runaway log must not eat the memory).
const MAX_CHUNK: u64 = 4 << 20;
/// The Compose log is asked at most this often (each time is a process).
const COMPOSE_EVERY: Duration = Duration::from_secs(3);

pub enum LogSource {
    File { path: PathBuf, offset: u64 },
    Compose { compose: Box<Compose>, since: String, last: Option<Instant>, seen: usize },
    None { why: String },
}

impl LogSource {
    /// Start reading at the end of what is there now.
    pub fn open(s: &Settings, file: Option<&Path>, ui: &Ui) -> LogSource {
        if let Some(p) = file {
            return match std::fs::metadata(p) {
                Ok(m) => LogSource::File { path: p.to_path_buf(), offset: m.len() },
                Err(e) => {
                    ui.warn(format!(
                        "cannot read {}: {e}; failures are reported without Alertmanager's error",
                        p.display()
                    ));
                    LogSource::None { why: format!("{} could not be read", p.display()) }
                }
            };
        }
        if !s.compose_file().is_file() {
            return LogSource::None {
                why: "no --alertmanager-log and no Compose stack in the stack directory".into(),
            };
        }
        match Compose::from_settings(s) {
            Ok(c) => LogSource::Compose {
                compose: Box::new(c),
                since: crate::clock::rfc3339(SystemTime::now() - Duration::from_secs(2)),
                last: None,
                seen: 0,
            },
            Err(e) => {
                ui.debug(format!("the Compose log cannot be read: {e:#}"));
                LogSource::None { why: "the Compose log cannot be read".into() }
            }
        }
    }

    pub fn available(&self) -> bool {
        !matches!(self, LogSource::None { .. })
    }

    /// Where the errors came from, for the report.
    pub fn describe(&self) -> String {
        match self {
            LogSource::File { path, .. } => path.display().to_string(),
            LogSource::Compose { compose, .. } => compose.command_line(&["logs", "alertmanager"]),
            LogSource::None { why } => format!("none ({why})"),
        }
    }

    /// Events written since the last call.
    pub async fn read_new(&mut self) -> Vec<Event> {
        self.read(false)
    }

    /// Events written since the last call, without the Compose rate limit (at the end).
    pub async fn read_all_remaining(&mut self) -> Vec<Event> {
        self.read(true)
    }

    fn read(&mut self, force: bool) -> Vec<Event> {
        match self {
            LogSource::File { path, offset } => {
                let Ok(mut f) = std::fs::File::open(&*path) else { return Vec::new() };
                let len = f.metadata().map(|m| m.len()).unwrap_or(0);
                if len < *offset {
                    // Rotated or truncated: read the new file from its start.
                    *offset = 0;
                }
                if f.seek(SeekFrom::Start(*offset)).is_err() {
                    return Vec::new();
                }
                let mut buf = Vec::new();
                let n = f.take(MAX_CHUNK).read_to_end(&mut buf).unwrap_or(0);
                // Only whole lines; the rest is read next time.
                let whole = buf.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                let whole = if n as u64 == MAX_CHUNK && whole == 0 { n } else { whole };
                *offset += whole as u64;
                amlog::parse(&String::from_utf8_lossy(&buf[..whole]))
            }
            LogSource::Compose { compose, since, last, seen } => {
                if !force && last.is_some_and(|t| t.elapsed() < COMPOSE_EVERY) {
                    return Vec::new();
                }
                *last = Some(Instant::now());
                let Ok(out) = compose.run(&[
                    "logs",
                    "--no-color",
                    "--no-log-prefix",
                    "--since",
                    since,
                    "alertmanager",
                ]) else {
                    return Vec::new();
                };
                let bytes = out.stdout.as_bytes();
                let tail = &bytes[bytes.len().saturating_sub(MAX_CHUNK as usize)..];
                let text = String::from_utf8_lossy(tail).into_owned();
                let all = amlog::parse(&text);
                // The same window is read each time: only what is new.
                let new = all.get(*seen..).map(<[Event]>::to_vec).unwrap_or_default();
                *seen = all.len();
                new
            }
            LogSource::None { .. } => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[tokio::test]
    async fn a_log_file_is_read_from_where_it_was_when_the_drill_began() {
        let d = tempfile::tempdir().expect("tmp");
        let p = d.path().join("am.log");
        let old = "ts=x level=warn receiver=old integration=webhook[0] msg=\"Notify attempt failed, will retry later\" err=\"old\"\n";
        std::fs::write(&p, old).expect("w");
        let env = crate::settings::MapEnv(Default::default());
        let settings =
            crate::settings::Settings::load_with(Some(d.path().to_path_buf()), None, &env)
                .expect("settings");
        let mut src =
            LogSource::open(&settings, Some(&p), &Ui::plain(crate::cli::OutputFormat::Human));
        assert!(src.available());
        assert!(src.read_new().await.is_empty(), "lines from before the drill are not read");
        let mut f = std::fs::OpenOptions::new().append(true).open(&p).expect("open");
        write!(f, "ts=y level=warn receiver=bad integration=webhook[0] msg=\"Notify attempt failed, will retry later\" err=\"500\"\nts=z receiver=half").expect("w");
        let ev = src.read_new().await;
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].receiver, "bad");
        writeln!(f, " integration=email[0] msg=\"Notify success\"").expect("w");
        let ev = src.read_new().await;
        assert_eq!(ev.len(), 1, "a line written in two parts is read once whole");
        assert_eq!(ev[0].receiver, "half");
    }

    #[tokio::test]
    async fn the_compose_log_is_read_since_the_start_and_each_event_once() {
        use crate::stack::engine::Output;
        use crate::stack::engine::testing::{FakeRunner, compose_with};
        let line = "ts=t level=warn receiver=critical integration=slack[0] msg=\"Notify attempt failed, will retry later\" err=\"channel_not_found\"\n";
        let (compose, runner) = compose_with(FakeRunner::new().on(" logs ", Output::ok(line)));
        let mut src = LogSource::Compose {
            compose: Box::new(compose),
            since: "2026-03-01T03:00:00Z".into(),
            last: None,
            seen: 0,
        };
        let ev = src.read_new().await;
        assert_eq!(ev.len(), 1);
        assert_eq!(
            (ev[0].receiver.as_str(), ev[0].error.as_str()),
            ("critical", "channel_not_found")
        );
        assert!(src.read_new().await.is_empty(), "rate-limited: no second process at once");
        assert!(src.read_all_remaining().await.is_empty(), "the same line is not reported twice");
        let calls = runner.calls();
        assert_eq!(calls.len(), 2, "{calls:?}");
        assert!(
            calls[0].ends_with(
                "logs --no-color --no-log-prefix --since 2026-03-01T03:00:00Z alertmanager"
            ),
            "{calls:?}"
        );
        assert!(src.describe().contains("logs alertmanager"));
    }
}
