//! Alertmanager silences: recreated without their old ids; expired ones and ones identical
//! to a silence the server already has are skipped.

use std::collections::BTreeMap;
use std::time::SystemTime;

use anyhow::{Context, Result};

use crate::api::AlertmanagerClient;
use crate::api::alertmanager::Silence;
use crate::backup::collect::alertmanager::SILENCES;
use crate::backup::manifest::Part;
use crate::backup::report::{Action, Step, StepStatus};

#[derive(Debug, Clone)]
pub struct SilencePlan {
    pub silence: Silence,
    pub action: Action,
    pub detail: String,
}

use crate::clock::parse_rfc3339 as instant;

/// The matchers as a sorted list, for comparing silences.
fn matcher_key(s: &Silence) -> Vec<(String, String, bool, bool)> {
    let mut v: Vec<_> = s
        .matchers
        .iter()
        .map(|m| (m.name.clone(), m.value.clone(), m.is_regex, m.is_equal))
        .collect();
    v.sort();
    v
}

/// Two silences are the same when matchers, end, author and comment agree (the start of
/// a restored active silence is "now", so it is not compared).
pub fn same(a: &Silence, b: &Silence) -> bool {
    matcher_key(a) == matcher_key(b)
        && instant(&a.ends_at) == instant(&b.ends_at)
        && a.created_by == b.created_by
        && a.comment == b.comment
}

fn label(s: &Silence) -> String {
    let m: Vec<String> = s
        .matchers
        .iter()
        .map(|m| {
            let op = match (m.is_equal, m.is_regex) {
                (true, false) => "=",
                (false, false) => "!=",
                (true, true) => "=~",
                (false, true) => "!~",
            };
            format!("{}{op}\"{}\"", m.name, m.value)
        })
        .collect();
    format!("silence {{{}}}", m.join(","))
}

/// Decide what happens to each archived silence.
pub fn plan(
    rt: &tokio::runtime::Runtime,
    client: &AlertmanagerClient,
    kept: &BTreeMap<String, Vec<u8>>,
    now: SystemTime,
) -> Result<Vec<SilencePlan>> {
    let archived = archived(kept)?;
    if archived.is_empty() {
        return Ok(Vec::new());
    }
    let current = rt
        .block_on(client.silences())
        .with_context(|| format!("cannot read the current silences from {}", client.http.base()))?;
    Ok(plan_against(archived, Some(&current), now))
}

/// The silences in the archive.
fn archived(kept: &BTreeMap<String, Vec<u8>>) -> Result<Vec<Silence>> {
    let Some(raw) = kept.get(SILENCES) else { return Ok(Vec::new()) };
    serde_json::from_slice(raw).with_context(|| format!("{SILENCES} does not parse"))
}

/// A dry run's plan when Alertmanager cannot be asked: every archived silence that has not
/// ended would be created unless an equal one is there already (which cannot be told).
pub fn plan_unreachable(
    kept: &BTreeMap<String, Vec<u8>>,
    now: SystemTime,
) -> Result<Vec<SilencePlan>> {
    Ok(plan_against(archived(kept)?, None, now))
}

/// Decide each archived silence against the `current` ones (`None`: unknown).
fn plan_against(
    archived: Vec<Silence>,
    current: Option<&[Silence]>,
    now: SystemTime,
) -> Vec<SilencePlan> {
    let live: Vec<&Silence> = current
        .unwrap_or_default()
        .iter()
        .filter(|s| s.status.as_ref().is_none_or(|st| st.state != "expired"))
        .collect();
    let mut out = Vec::new();
    for s in archived {
        let old_id = s.id.clone().unwrap_or_default();
        let (action, detail) = if instant(&s.ends_at).is_none_or(|e| e <= now) {
            (Action::Skip, format!("expired at {} (was {old_id})", s.ends_at))
        } else if let Some(c) = live.iter().find(|c| same(c, &s)) {
            (Action::Unchanged, format!("already present as {}", c.id.clone().unwrap_or_default()))
        } else if current.is_none() {
            (
                Action::Create,
                format!("until {} (was {old_id}), unless Alertmanager has it already", s.ends_at),
            )
        } else {
            (Action::Create, format!("until {} (was {old_id})", s.ends_at))
        };
        out.push(SilencePlan { silence: s, action, detail });
    }
    out
}

pub fn steps(plan: &[SilencePlan]) -> Vec<Step> {
    plan.iter()
        .map(|p| Step::new(Part::Alertmanager, label(&p.silence), p.action, p.detail.clone()))
        .collect()
}

/// Create the planned silences; a rejected one is a failed step, the others go on.
pub fn apply(
    rt: &tokio::runtime::Runtime,
    client: &AlertmanagerClient,
    plan: &[SilencePlan],
    steps: &mut [Step],
) {
    for (p, st) in plan.iter().zip(steps.iter_mut()) {
        if p.action != Action::Create {
            st.status = StepStatus::Done;
            continue;
        }
        match rt.block_on(client.create_silence(&p.silence)) {
            Ok(id) => {
                st.status = StepStatus::Done;
                st.detail = format!("{} → new id {id}", st.detail);
            }
            Err(e) => {
                st.status = StepStatus::Failed;
                st.detail = e.to_string();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::alertmanager::Matcher;

    fn sil(ends: &str, comment: &str) -> Silence {
        Silence {
            id: Some("old".into()),
            matchers: vec![
                Matcher { name: "b".into(), value: "2".into(), is_regex: false, is_equal: true },
                Matcher { name: "a".into(), value: "1.*".into(), is_regex: true, is_equal: true },
            ],
            starts_at: "2026-01-01T00:00:00Z".into(),
            ends_at: ends.into(),
            created_by: "ops".into(),
            comment: comment.into(),
            status: None,
            updated_at: None,
        }
    }

    #[test]
    fn sameness_ignores_order_ids_and_time_format() {
        let a = sil("2030-01-01T00:00:00Z", "c");
        let mut b = sil("2030-01-01T00:00:00.000Z", "c");
        b.id = Some("new".into());
        b.matchers.reverse();
        b.starts_at = "2029-01-01T00:00:00Z".into();
        assert!(same(&a, &b));
        assert!(!same(&a, &sil("2030-01-01T00:00:00Z", "other")));
        assert!(!same(&a, &sil("2031-01-01T00:00:00Z", "c")));
        assert_eq!(label(&a), "silence {b=\"2\",a=~\"1.*\"}");
    }
}
