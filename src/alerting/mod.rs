//! The Alertmanager model shared by `test routes`, `routes` and `alerts drill`: the routing
//! tree (match a label set → receivers, `continue`, `group_by`, inherited timers), inhibit
//! rules and time intervals, with Alertmanager's semantics. This is the one place those
//! semantics live.
//!
//! A configuration is validated by the linter (`lint::alertmanager`, which parses matchers
//! in the chosen parser mode and checks every field) and only a configuration without
//! errors becomes a [`Config`]; its diagnostics are the linter's, with positions.
//!
//! Layout: `build` (YAML tree → model), `route` (the tree, matching, grouping), `inhibit`,
//! `time_interval`, `receivers` (integrations and their destinations), `labels` (label sets
//! written by people: `a=b,c="d"`).

mod build;
pub mod inhibit;
pub mod labels;
pub mod receivers;
pub mod route;
pub mod time_interval;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use jiff::Timestamp;

use crate::lint::Diagnostic;
use crate::lint::source::Source;

pub use crate::lint::alertmanager::ParserMode;
pub use inhibit::{InhibitRule, Inhibition};
pub use labels::parse_labels;
pub use receivers::{Integration, Receiver};
pub use route::{GroupBy, Match, Mute, Route};
pub use time_interval::TimeInterval;

/// A label set (name → value). An absent label and an empty value are the same.
pub type Labels = BTreeMap<String, String>;

/// A loaded, valid Alertmanager configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file as the user named it.
    pub path: String,
    pub root: Route,
    pub receivers: Vec<Receiver>,
    pub inhibit_rules: Vec<InhibitRule>,
    /// Named time intervals (`time_intervals` and top-level `mute_time_intervals`).
    pub time_intervals: BTreeMap<String, Vec<TimeInterval>>,
    /// The linter's warnings about the file (errors prevent loading).
    pub warnings: Vec<Diagnostic>,
}

/// Why a configuration could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read (missing, a directory, too large, no permission).
    Unreadable(anyhow::Error),
    /// The file does not validate: the linter's errors (and warnings), positioned.
    Invalid(Vec<Diagnostic>),
}

impl LoadError {
    /// The diagnostics of an invalid configuration (none when unreadable).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            LoadError::Unreadable(_) => &[],
            LoadError::Invalid(d) => d,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Unreadable(e) => write!(f, "{e:#}"),
            LoadError::Invalid(ds) => {
                let errors: Vec<&Diagnostic> =
                    ds.iter().filter(|d| d.severity == crate::lint::Severity::Error).collect();
                match errors.first() {
                    Some(d) => write!(
                        f,
                        "{}:{}:{}: {} ({} error{} in the Alertmanager configuration)",
                        d.path,
                        d.line,
                        d.column,
                        d.message,
                        errors.len(),
                        if errors.len() == 1 { "" } else { "s" }
                    ),
                    None => f.write_str("the Alertmanager configuration does not validate"),
                }
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl Config {
    /// Load and validate `path` with Alertmanager's default matcher parser (UTF-8 with a
    /// fallback to the classic parser).
    pub fn load(path: &Path) -> Result<Config, LoadError> {
        Config::load_with(path, &path.to_string_lossy(), ParserMode::Fallback)
    }

    /// Load `path` (shown as `display` in diagnostics) with the given matcher parser mode.
    pub fn load_with(path: &Path, display: &str, mode: ParserMode) -> Result<Config, LoadError> {
        let mut diags = Vec::new();
        let src =
            crate::lint::read_source(path, display, &mut diags).map_err(LoadError::Unreadable)?;
        if !diags.is_empty() {
            return Err(LoadError::Invalid(diags));
        }
        Config::from_source(&src, mode).map_err(LoadError::Invalid)
    }

    /// Validate and build from text already read.
    pub fn from_source(src: &Source, mode: ParserMode) -> Result<Config, Vec<Diagnostic>> {
        build::build(src, mode)
    }

    /// Parse from a string (tests, benchmarks).
    pub fn parse(display: &str, text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::from_source(&Source::memory(display, text), ParserMode::Fallback)
    }

    /// The routes an alert with `labels` ends in, in Alertmanager's order (one entry per
    /// route: a receiver reached by two routes is notified twice, as Alertmanager does).
    pub fn route_alert(&self, labels: &Labels) -> Vec<Match> {
        self.root.matching(labels).into_iter().map(|r| Match::of(r, labels)).collect()
    }

    /// Like [`Config::route_alert`], with each route's mute/active time intervals decided
    /// at `at` (`Match::muted`).
    pub fn route_alert_at(&self, labels: &Labels, at: Timestamp) -> Vec<Match> {
        self.root
            .matching(labels)
            .into_iter()
            .map(|r| {
                let mut m = Match::of(r, labels);
                m.muted = self.muted(r, at);
                m
            })
            .collect()
    }

    /// Why a route does not notify at `at`, if it does not (Alertmanager's time-mute and
    /// time-active stages: muted inside any mute interval; with active intervals, muted
    /// outside all of them).
    pub fn muted(&self, route: &Route, at: Timestamp) -> Option<Mute> {
        let inside = |name: &str| {
            self.time_intervals.get(name).is_some_and(|tis| tis.iter().any(|t| t.contains(at)))
        };
        if let Some(n) = route.mute_time_intervals.iter().find(|n| inside(n)) {
            return Some(Mute::MuteTimeInterval(n.clone()));
        }
        if !route.active_time_intervals.is_empty()
            && !route.active_time_intervals.iter().any(|n| inside(n))
        {
            return Some(Mute::NotActive(route.active_time_intervals.clone()));
        }
        None
    }

    /// Whether an alert with `labels` is inhibited while the `firing` alerts fire.
    pub fn inhibited(&self, labels: &Labels, firing: &[Labels]) -> bool {
        self.inhibition(labels, firing).is_some()
    }

    /// Which rule inhibits the alert, and by which firing alert.
    pub fn inhibition(&self, labels: &Labels, firing: &[Labels]) -> Option<Inhibition> {
        inhibit::inhibition(&self.inhibit_rules, labels, firing)
    }

    /// The receiver of that name.
    pub fn receiver(&self, name: &str) -> Option<&Receiver> {
        self.receivers.iter().find(|r| r.name == name)
    }
}

#[cfg(test)]
mod tests;
