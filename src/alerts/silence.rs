//! `stellar-obs silence add|list|expire`: maintenance windows in Alertmanager.
//!
//! Silences are made with the same API type the backup archives (`api::alertmanager::
//! Silence`), so what `silence add` creates, `backup` keeps and `restore` recreates.

use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use serde_json::json;

use super::{client, current_user, matchers_text, op, parse_cli_matchers};
use crate::api::AlertmanagerClient;
use crate::api::alertmanager::{Matcher, Silence};
use crate::cli::{
    OutputFormat, SilenceAddArgs, SilenceCommand, SilenceExpireArgs, SilenceListArgs,
};
use crate::clock::{parse_rfc3339, rfc3339};
use crate::outcome::{Outcome, UsageError};
use crate::output::{Paint, Report, Ui, safe_text, table};
use crate::settings::Settings;

/// Default length of a silence without `--duration` or `--until` (as amtool's).
pub const DEFAULT_DURATION: Duration = Duration::from_secs(3600);

/// Longest comment shown in a table cell (JSON carries it whole).
const COMMENT_WIDTH: usize = 60;

pub fn run(s: &Settings, ui: &Ui, c: &SilenceCommand) -> Result<Outcome> {
    let name = match c {
        SilenceCommand::Add(_) => "silence add",
        SilenceCommand::List(_) => "silence list",
        SilenceCommand::Expire(_) => "silence expire",
    };
    ui.require_format(name, &[OutputFormat::Json])?;
    let rt = crate::runtime::runtime()?;
    match c {
        SilenceCommand::Add(a) => {
            let silence = build(a, SystemTime::now(), current_user())?;
            let am = client(s)?;
            let id = rt.block_on(am.create_silence(&silence)).with_context(|| {
                format!("Alertmanager at {} did not create the silence", am.http.base())
            })?;
            let report = Added { id, silence, now: SystemTime::now() };
            ui.emit(&report)?;
            Ok(Outcome::Success)
        }
        SilenceCommand::List(a) => {
            let am = client(s)?;
            let report = rt.block_on(list(&am, a))?;
            ui.emit(&report)?;
            Ok(Outcome::Success)
        }
        SilenceCommand::Expire(a) => {
            let am = client(s)?;
            let report = rt.block_on(expire(&am, a))?;
            ui.emit(&report)?;
            Ok(report.outcome())
        }
    }
}

fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

fn time_arg(flag: &str, v: &str) -> Result<SystemTime> {
    parse_rfc3339(v.trim()).ok_or_else(|| {
        usage(format!("--{flag} {v:?}: not an RFC 3339 time (e.g. 2026-03-01T04:00:00Z)"))
    })
}

/// The silence `silence add` asks for, checked before anything is sent.
pub fn build(a: &SilenceAddArgs, now: SystemTime, user: Option<String>) -> Result<Silence> {
    let matchers = parse_cli_matchers(&a.matchers)?;
    if matchers.iter().all(super::matches_empty) {
        return Err(usage(format!(
            "{} would silence every alert: at least one matcher must not match an empty value (Alertmanager refuses it)",
            matchers_text(&matchers)
        )));
    }
    let comment = a.comment.trim();
    if comment.is_empty() {
        return Err(usage("--comment is empty: say why (a ticket, the maintenance)"));
    }
    let author = match a.author.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(x) => x.to_string(),
        None => user.ok_or_else(|| usage("$USER is not set: pass --author NAME"))?,
    };
    let start = match &a.start {
        Some(v) => time_arg("start", v)?,
        None => now,
    };
    let end = match (&a.until, &a.duration) {
        (Some(u), _) => time_arg("until", u)?,
        (None, Some(d)) => {
            let ms = crate::lint::schema::parse_duration(d.trim())
                .map_err(|e| usage(format!("--duration {d:?}: {e} (e.g. 30m, 2h, 1d)")))?;
            if ms == 0 {
                return Err(usage("--duration must be longer than 0"));
            }
            start + Duration::from_millis(ms)
        }
        (None, None) => start + DEFAULT_DURATION,
    };
    if end <= start {
        return Err(usage(format!(
            "the silence would end ({}) before it starts ({})",
            rfc3339(end),
            rfc3339(start)
        )));
    }
    if end <= now {
        return Err(usage(format!("the silence would end in the past ({})", rfc3339(end))));
    }
    Ok(Silence {
        id: None,
        matchers,
        starts_at: rfc3339(start),
        ends_at: rfc3339(end),
        created_by: author,
        comment: comment.to_string(),
        status: None,
        updated_at: None,
    })
}

fn state(s: &Silence) -> &str {
    s.status.as_ref().map(|st| st.state.as_str()).unwrap_or("unknown")
}

/// `1h30m` (whole minutes; seconds under a minute).
fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        return format!("{s}s");
    }
    let (days, h, m) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    let mut out = String::new();
    if days > 0 {
        out.push_str(&format!("{days}d"));
    }
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    out
}

fn matchers_json(ms: &[Matcher]) -> serde_json::Value {
    ms.iter().map(|m| json!({"name": m.name, "op": op(m), "value": m.value})).collect()
}

fn silence_json(s: &Silence) -> serde_json::Value {
    json!({
        "id": s.id,
        "state": state(s),
        "matchers": matchers_json(&s.matchers),
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "created_by": s.created_by,
        "comment": s.comment,
    })
}

/// The result of `silence add`.
#[derive(Debug, Clone)]
pub struct Added {
    pub id: String,
    pub silence: Silence,
    pub now: SystemTime,
}

impl Added {
    fn state(&self) -> &'static str {
        match parse_rfc3339(&self.silence.starts_at) {
            Some(t) if t > self.now => "pending",
            _ => "active",
        }
    }
}

impl Report for Added {
    fn human(&self, p: &Paint) -> String {
        let s = &self.silence;
        let length = match (parse_rfc3339(&s.starts_at), parse_rfc3339(&s.ends_at)) {
            (Some(a), Some(b)) => b.duration_since(a).map(human_duration).unwrap_or_default(),
            _ => String::new(),
        };
        format!(
            "{} silence {} ({}): {}\n  from {} until {} ({length}), by {}: {}\n",
            p.green("created"),
            safe_text(&self.id, 64),
            self.state(),
            safe_text(&matchers_text(&s.matchers), 400),
            s.starts_at,
            s.ends_at,
            safe_text(&s.created_by, 64),
            safe_text(&s.comment, 400),
        )
    }

    fn json(&self) -> serde_json::Value {
        let mut s = self.silence.clone();
        s.id = Some(self.id.clone());
        let mut v = silence_json(&s);
        v["state"] = json!(self.state());
        v
    }
}

/// Whether silence `s` has every one of `wanted` among its matchers.
pub fn has_matchers(s: &Silence, wanted: &[Matcher]) -> bool {
    wanted.iter().all(|w| s.matchers.iter().any(|m| m == w))
}

fn state_rank(s: &Silence) -> u8 {
    match state(s) {
        "active" => 0,
        "pending" => 1,
        "expired" => 3,
        _ => 2,
    }
}

/// Sort silences for display: active, pending, then expired; sooner ends first.
fn sort(v: &mut [Silence]) {
    v.sort_by(|a, b| {
        (state_rank(a), parse_rfc3339(&a.ends_at), &a.id).cmp(&(
            state_rank(b),
            parse_rfc3339(&b.ends_at),
            &b.id,
        ))
    });
}

async fn list(am: &AlertmanagerClient, a: &SilenceListArgs) -> Result<Listed> {
    let wanted = parse_cli_matchers(&a.matchers)?;
    let all = am.silences().await.with_context(|| {
        format!("cannot read the silences from Alertmanager at {}", am.http.base())
    })?;
    let mut silences: Vec<Silence> = all
        .into_iter()
        .filter(|s| a.expired || state(s) != "expired")
        .filter(|s| has_matchers(s, &wanted))
        .collect();
    sort(&mut silences);
    Ok(Listed { silences })
}

/// The result of `silence list`.
#[derive(Debug, Clone)]
pub struct Listed {
    pub silences: Vec<Silence>,
}

fn paint_state(p: &Paint, st: &str) -> String {
    match st {
        "active" => p.green(st),
        "pending" => p.yellow(st),
        _ => p.dim(st),
    }
}

impl Report for Listed {
    fn human(&self, p: &Paint) -> String {
        if self.silences.is_empty() {
            return "no silences\n".to_string();
        }
        let rows: Vec<Vec<String>> = self
            .silences
            .iter()
            .map(|s| {
                vec![
                    safe_text(s.id.as_deref().unwrap_or(""), 64),
                    paint_state(p, state(s)),
                    safe_text(&matchers_text(&s.matchers), 200),
                    s.starts_at.clone(),
                    s.ends_at.clone(),
                    safe_text(&s.created_by, 40),
                    safe_text(&s.comment, COMMENT_WIDTH),
                ]
            })
            .collect();
        table::render(
            &["ID", "STATE", "MATCHERS", "STARTS", "ENDS", "CREATED BY", "COMMENT"],
            &rows,
        )
    }

    fn json(&self) -> serde_json::Value {
        json!({ "silences": self.silences.iter().map(silence_json).collect::<Vec<_>>() })
    }
}

/// What happened to one silence in `silence expire`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpireAction {
    Expired,
    WouldExpire,
    AlreadyExpired,
    Failed,
}

impl ExpireAction {
    fn name(self) -> &'static str {
        match self {
            Self::Expired => "expired",
            Self::WouldExpire => "would-expire",
            Self::AlreadyExpired => "already-expired",
            Self::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ExpireRow {
    pub id: String,
    pub matchers: Vec<Matcher>,
    pub action: ExpireAction,
    pub message: String,
}

/// The result of `silence expire`.
#[derive(Debug, Clone)]
pub struct Expired {
    pub rows: Vec<ExpireRow>,
    /// Matchers were given without `--yes`: nothing was changed.
    pub refused: bool,
    /// What was asked (for "nothing matched").
    pub selector: String,
}

impl Expired {
    pub fn outcome(&self) -> Outcome {
        if self.refused || self.rows.iter().any(|r| r.action == ExpireAction::Failed) {
            Outcome::Failure
        } else {
            Outcome::Success
        }
    }
}

async fn expire(am: &AlertmanagerClient, a: &SilenceExpireArgs) -> Result<Expired> {
    let wanted = parse_cli_matchers(&a.matchers)?;
    let all = am.silences().await.with_context(|| {
        format!("cannot read the silences from Alertmanager at {}", am.http.base())
    })?;
    let mut rows = Vec::new();
    if !a.ids.is_empty() {
        for id in &a.ids {
            let Some(s) = all.iter().find(|s| s.id.as_deref() == Some(id.as_str())) else {
                rows.push(ExpireRow {
                    id: id.clone(),
                    matchers: Vec::new(),
                    action: ExpireAction::Failed,
                    message: "Alertmanager has no silence with this id".into(),
                });
                continue;
            };
            rows.push(expire_one(am, s).await);
        }
        return Ok(Expired { rows, refused: false, selector: a.ids.join(" ") });
    }
    let mut chosen: Vec<Silence> =
        all.into_iter().filter(|s| state(s) != "expired" && has_matchers(s, &wanted)).collect();
    sort(&mut chosen);
    let selector = matchers_text(&wanted);
    if !a.yes {
        let rows = chosen
            .iter()
            .map(|s| ExpireRow {
                id: s.id.clone().unwrap_or_default(),
                matchers: s.matchers.clone(),
                action: ExpireAction::WouldExpire,
                message: format!("{}, until {}", state(s), s.ends_at),
            })
            .collect();
        return Ok(Expired { rows, refused: true, selector });
    }
    for s in &chosen {
        rows.push(expire_one(am, s).await);
    }
    Ok(Expired { rows, refused: false, selector })
}

async fn expire_one(am: &AlertmanagerClient, s: &Silence) -> ExpireRow {
    let id = s.id.clone().unwrap_or_default();
    let matchers = s.matchers.clone();
    if state(s) == "expired" {
        return ExpireRow {
            id,
            matchers,
            action: ExpireAction::AlreadyExpired,
            message: format!("expired at {}", s.ends_at),
        };
    }
    match am.expire_silence(&id).await {
        Ok(()) => ExpireRow { id, matchers, action: ExpireAction::Expired, message: String::new() },
        Err(e) => ExpireRow { id, matchers, action: ExpireAction::Failed, message: e.to_string() },
    }
}

impl Report for Expired {
    fn human(&self, p: &Paint) -> String {
        let mut out = String::new();
        if self.rows.is_empty() {
            out.push_str(&format!(
                "no active or pending silence has {}; nothing to expire\n",
                safe_text(&self.selector, 400)
            ));
            return out;
        }
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                let action = match r.action {
                    ExpireAction::Expired => p.green(r.action.name()),
                    ExpireAction::Failed => p.red(r.action.name()),
                    ExpireAction::WouldExpire => p.yellow(r.action.name()),
                    ExpireAction::AlreadyExpired => p.dim(r.action.name()),
                };
                vec![
                    safe_text(&r.id, 64),
                    safe_text(&matchers_text(&r.matchers), 200),
                    action,
                    safe_text(&r.message, 300),
                ]
            })
            .collect();
        out.push_str(&table::render(&["ID", "MATCHERS", "ACTION", "MESSAGE"], &rows));
        if self.refused {
            out.push_str(&format!(
                "{} would expire; nothing was changed: run again with --yes to expire {}\n",
                crate::output::words::count_s(self.rows.len() as u64, "silence"),
                if self.rows.len() == 1 { "it" } else { "them" }
            ));
        }
        out
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "refused": self.refused,
            "silences": self.rows.iter().map(|r| json!({
                "id": r.id,
                "matchers": matchers_json(&r.matchers),
                "action": r.action.name(),
                "message": r.message,
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn args(matchers: &[&str]) -> SilenceAddArgs {
        SilenceAddArgs {
            matchers: matchers.iter().map(|s| s.to_string()).collect(),
            duration: None,
            until: None,
            start: None,
            comment: "upgrade".into(),
            author: None,
        }
    }

    fn t(s: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(s)
    }

    #[test]
    fn a_silence_is_built_from_matchers_duration_and_user() {
        let now = t(1_780_000_000);
        let mut a = args(&["alertname=X", "instance=~\"bot-1.*\""]);
        a.duration = Some("1h30m".into());
        let s = build(&a, now, Some("alice".into())).expect("build");
        assert_eq!(s.created_by, "alice");
        assert_eq!(s.matchers.len(), 2);
        assert!(s.matchers[1].is_regex && s.matchers[1].is_equal);
        assert_eq!(parse_rfc3339(&s.starts_at), Some(now));
        assert_eq!(parse_rfc3339(&s.ends_at), Some(now + Duration::from_secs(5400)));
        let d = build(&args(&["a=b"]), now, Some("u".into())).expect("default");
        assert_eq!(parse_rfc3339(&d.ends_at), Some(now + DEFAULT_DURATION));
    }

    #[test]
    fn bad_silences_are_usage_errors_before_anything_is_sent() {
        let now = t(1_780_000_000);
        let is_usage = |r: Result<Silence>| {
            let e = r.expect_err("must fail");
            assert!(e.downcast_ref::<UsageError>().is_some(), "{e}");
            e.to_string()
        };
        let m = is_usage(build(&args(&["job=~\".*\""]), now, Some("u".into())));
        assert!(m.contains("every alert"), "{m}");
        let m = is_usage(build(&args(&["a=b"]), now, None));
        assert!(m.contains("--author"), "{m}");
        let mut a = args(&["a=b"]);
        a.duration = Some("2 hours".into());
        assert!(is_usage(build(&a, now, Some("u".into()))).contains("--duration"));
        let mut a = args(&["a=b"]);
        a.until = Some("2020-01-01T00:00:00Z".into());
        assert!(is_usage(build(&a, now, Some("u".into()))).contains("before it starts"));
        let mut a = args(&["a=b"]);
        a.until = Some("tomorrow".into());
        assert!(is_usage(build(&a, now, Some("u".into()))).contains("RFC 3339"));
        let mut a = args(&["a=b"]);
        a.comment = "  ".into();
        assert!(is_usage(build(&a, now, Some("u".into()))).contains("--comment"));
    }

    #[test]
    fn a_later_start_makes_a_pending_silence() {
        let now = t(1_780_000_000);
        let mut a = args(&["a=b"]);
        a.start = Some(rfc3339(now + Duration::from_secs(600)));
        a.duration = Some("2h".into());
        let s = build(&a, now, Some("u".into())).expect("build");
        let added = Added { id: "x".into(), silence: s, now };
        assert_eq!(added.state(), "pending");
        let h = added.human(&Paint { enabled: false, stderr_enabled: false });
        assert!(h.contains("(2h)"), "{h}");
        assert_eq!(added.json()["id"], "x");
    }

    fn sil(id: &str, state: &str, matchers: &[&str]) -> Silence {
        let ms: Vec<String> = matchers.iter().map(|s| s.to_string()).collect();
        Silence {
            id: Some(id.into()),
            matchers: parse_cli_matchers(&ms).expect("m"),
            starts_at: "2026-01-01T00:00:00Z".into(),
            ends_at: "2026-01-02T00:00:00Z".into(),
            created_by: "u".into(),
            comment: "c\u{1b}[2J".into(),
            status: Some(crate::api::alertmanager::SilenceStatus { state: state.into() }),
            updated_at: None,
        }
    }

    #[test]
    fn lists_filter_by_matchers_sort_by_state_and_escape_server_text() {
        let mut v = vec![
            sil("3", "expired", &["a=b"]),
            sil("2", "pending", &["a=b"]),
            sil("1", "active", &["a=b", "c=d"]),
        ];
        sort(&mut v);
        assert_eq!(
            v.iter().map(|s| s.id.clone().unwrap_or_default()).collect::<Vec<_>>(),
            ["1", "2", "3"]
        );
        let want = parse_cli_matchers(&["c=d".into()]).expect("m");
        assert!(has_matchers(&v[0], &want));
        assert!(!has_matchers(&v[1], &want));
        let h = Listed { silences: v }.human(&Paint { enabled: false, stderr_enabled: false });
        assert!(!h.contains('\u{1b}'), "{h}");
        assert!(h.contains("\\u{1b}[2J"), "{h}");
    }

    #[test]
    fn expiring_by_matchers_without_yes_refuses() {
        let e = Expired {
            rows: vec![ExpireRow {
                id: "1".into(),
                matchers: Vec::new(),
                action: ExpireAction::WouldExpire,
                message: String::new(),
            }],
            refused: true,
            selector: "{a=\"b\"}".into(),
        };
        assert_eq!(e.outcome(), Outcome::Failure);
        let h = e.human(&Paint { enabled: false, stderr_enabled: false });
        assert!(h.contains("1 silence would expire;") && h.contains("--yes to expire it"), "{h}");
        assert_eq!(e.json()["silences"][0]["action"], "would-expire");
        let none = Expired { rows: Vec::new(), refused: false, selector: "{a=\"b\"}".into() };
        assert_eq!(none.outcome(), Outcome::Success);
    }
}
