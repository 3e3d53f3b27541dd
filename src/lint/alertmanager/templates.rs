//! Notification templates: the `templates:` globs (resolved and parsed as Alertmanager does
//! when it loads its configuration), and Go templates written in the configuration itself.
//! Parsing uses the `gotmpl` crate; on top of it we check what Go's parser checks and
//! `gotmpl` leaves to execution: functions must be defined (Go's built-ins plus
//! Alertmanager's), variables must be declared. `{{ template "x" }}` references are
//! collected so that a reference to a template defined nowhere can be reported.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use crate::lint::gotemplate::{Funcs, scan};

use super::{Checker, codes};
use crate::lint::Diagnostic;
use crate::yaml::Pos;

/// Templates Alertmanager always loads (its embedded `default.tmpl` and `email.tmpl`).
pub const DEFAULT_TEMPLATES: &[&str] = &[
    "__alertmanager",
    "__alertmanagerURL",
    "__subject",
    "__description",
    "__text_alert_list",
    "__text_alert_list_markdown",
    "slack.default.title",
    "slack.default.username",
    "slack.default.fallback",
    "slack.default.callbackid",
    "slack.default.pretext",
    "slack.default.titlelink",
    "slack.default.iconemoji",
    "slack.default.iconurl",
    "slack.default.text",
    "slack.default.footer",
    "slack.default.color",
    "pagerduty.default.description",
    "pagerduty.default.client",
    "pagerduty.default.clientURL",
    "pagerduty.default.instances",
    "opsgenie.default.message",
    "opsgenie.default.description",
    "opsgenie.default.source",
    "wechat.default.message",
    "wechat.default.to_user",
    "wechat.default.to_party",
    "wechat.default.to_tag",
    "wechat.default.agent_id",
    "victorops.default.state_message",
    "victorops.default.entity_display_name",
    "victorops.default.monitoring_tool",
    "pushover.default.title",
    "pushover.default.message",
    "pushover.default.url",
    "sns.default.subject",
    "sns.default.message",
    "telegram.default.message",
    "discord.default.content",
    "discord.default.title",
    "discord.default.message",
    "webex.default.message",
    "msteams.default.summary",
    "msteams.default.title",
    "msteams.default.text",
    "msteamsv2.default.title",
    "msteamsv2.default.text",
    "jira.default.summary",
    "jira.default.description",
    "jira.default.priority",
    "rocketchat.default.title",
    "rocketchat.default.alias",
    "rocketchat.default.titlelink",
    "rocketchat.default.emoji",
    "rocketchat.default.iconurl",
    "rocketchat.default.text",
    "mattermost.default.color",
    "mattermost.default.username",
    "mattermost.default.title",
    "mattermost.default.titlelink",
    "mattermost.default.fallback",
    "mattermost.default.text",
    "email.default.subject",
    "email.default.html",
];

/// A template file found by a `templates:` glob.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub path: PathBuf,
    /// As shown in diagnostics.
    pub display: String,
}

/// Go's `filepath.Glob` (the one shared with the Prometheus checker): the matching files,
/// sorted; a malformed pattern is an error.
pub fn glob_files(pattern: &Path) -> Result<Vec<PathBuf>, String> {
    let found =
        crate::lint::schema::values::glob(&pattern.to_string_lossy()).map_err(|e| e.to_string())?;
    let mut v: Vec<PathBuf> = found.into_iter().filter(|p| p.is_file()).collect();
    v.sort();
    Ok(v)
}

impl Checker<'_, '_> {
    /// Check a Go template written in the configuration (a notification field, a route
    /// label value). Records its `{{ template }}` references.
    pub(super) fn template_string(&mut self, s: &str, pos: Pos, field: &str, funcs: Funcs) {
        if !s.contains("{{") {
            return;
        }
        let (sc, issues) = scan(s, funcs);
        for i in issues {
            let at = if s.contains('\n') {
                format!(" (template line {}, column {})", i.line, i.col)
            } else {
                format!(" (template column {})", i.col)
            };
            self.ctx.error(
                pos,
                codes::TEMPLATE_SYNTAX,
                format!("{field}: invalid template: {}{at}", i.message),
            );
        }
        for (name, _, _) in sc.refs {
            self.template_refs.push((name, pos, self.ctx.path.to_string()));
        }
    }

    /// The `templates:` list: every glob resolved (with `check_files`), every file parsed.
    pub(super) fn template_globs(&mut self, globs: &[(String, Pos)]) {
        for (g, pos) in globs {
            self.facts.templates.push((g.clone(), *pos));
        }
        if !self.opts.check_files {
            self.templates_known = globs.is_empty();
            return;
        }
        let mut all_known = true;
        let mut files: Vec<TemplateFile> = Vec::new();
        for (g, pos) in globs {
            if g.is_empty() {
                continue;
            }
            let Some(host) = self.host_path(g) else {
                all_known = false;
                continue;
            };
            match glob_files(&host.path) {
                Err(e) => {
                    all_known = false;
                    self.ctx.error(*pos, codes::TEMPLATE_MISSING, format!("templates: {g:?}: {e}"));
                }
                Ok(found) if found.is_empty() => {
                    all_known = false;
                    let d = match container_path(g) {
                        Some(rel) if host.unmapped_absolute => {
                            let beside = self.src.resolve(rel);
                            let n = glob_files(&beside).map_or(0, |v| v.len());
                            let found_here = if n > 0 {
                                format!("; beside this file, {rel:?} matches {n} file(s)")
                            } else {
                                String::new()
                            };
                            Diagnostic::warning(
                                self.ctx.path,
                                *pos,
                                codes::TEMPLATE_MISSING,
                                format!(
                                    "templates: {g:?} is a path inside the Alertmanager container and matches nothing on this machine{found_here}"
                                ),
                            )
                            .with_help(format!(
                                "in the stack it is alerting/{rel} (./alerting is mounted at {CONTAINER_DIR}): validate the stack directory to check those templates, or write {rel:?} (relative to this file)"
                            ))
                        }
                        _ => Diagnostic::warning(
                            self.ctx.path,
                            *pos,
                            codes::TEMPLATE_MISSING,
                            format!("templates: {g:?} matches no file{}", host.note()),
                        )
                        .with_help(
                            "Alertmanager accepts a glob that matches nothing, but every `{{ template \"...\" }}` defined there will be missing when a notification is sent",
                        ),
                    };
                    self.ctx.push(d);
                }
                Ok(found) => {
                    for p in found {
                        if !files.iter().any(|f| f.path == p) {
                            let display = self.display_path(&p);
                            files.push(TemplateFile { path: p, display });
                        }
                    }
                }
            }
        }
        for f in &files {
            let text = match crate::fsutil::read_capped(&f.path, crate::yaml::MAX_FILE_BYTES) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => {
                    all_known = false;
                    self.ctx.push(Diagnostic::error(
                        f.display.clone(),
                        Pos::new(1, 1),
                        codes::TEMPLATE_SYNTAX,
                        format!("cannot read template file: {e}"),
                    ));
                    continue;
                }
            };
            let (sc, issues) = scan(&text, Funcs::Alertmanager);
            for i in issues {
                self.ctx.push(Diagnostic::error(
                    f.display.clone(),
                    Pos::new(i.line as u32, i.col as u32),
                    codes::TEMPLATE_SYNTAX,
                    format!("template: {}", i.message),
                ));
            }
            self.template_defines.extend(sc.defines);
            for (name, line, col) in sc.refs {
                self.template_refs.push((
                    name,
                    Pos::new(line as u32, col as u32),
                    f.display.clone(),
                ));
            }
        }
        self.templates_known = all_known;
    }

    /// After the whole file: `{{ template "x" }}` references to templates defined nowhere.
    pub(super) fn check_template_refs(&mut self) {
        if !self.templates_known {
            return;
        }
        let defined: BTreeSet<&str> = DEFAULT_TEMPLATES
            .iter()
            .copied()
            .chain(self.template_defines.iter().map(String::as_str))
            .collect();
        let mut out = Vec::new();
        for (name, pos, path) in &self.template_refs {
            if !defined.contains(name.as_str()) {
                let mut d = Diagnostic::warning(
                    path.clone(),
                    *pos,
                    codes::TEMPLATE_UNDEFINED,
                    format!(
                        "template {name:?} is not defined in any template file nor in Alertmanager's defaults"
                    ),
                );
                if let Some(s) = crate::lint::schema::did_you_mean(
                    name,
                    &defined.iter().copied().collect::<Vec<_>>(),
                ) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else {
                    d = d.with_help("notifications using it fail with `no such template`");
                }
                out.push(d);
            }
        }
        for d in out {
            self.ctx.push(d);
        }
    }
}

/// Where the stack mounts its `alerting/` directory in the Alertmanager container.
const CONTAINER_DIR: &str = "/etc/alertmanager";

/// A path under [`CONTAINER_DIR`], relative to it (`/etc/alertmanager/t/*.tmpl` → `t/*.tmpl`).
fn container_path(written: &str) -> Option<&str> {
    written.strip_prefix(CONTAINER_DIR)?.strip_prefix('/').filter(|r| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_defines_refs_and_unknown_functions() {
        let t = "{{ define \"a\" }}{{ .Status | toUpper }}{{ end }}\n{{ define \"b\" }}{{ template \"a\" . }}{{ nosuch .X }}{{ end }}";
        let (s, issues) = scan(t, Funcs::Alertmanager);
        assert_eq!(s.defines, vec!["a", "b"]);
        assert_eq!(s.refs.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), vec!["a"]);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].message, "function \"nosuch\" not defined");
        assert_eq!(issues[0].line, 2);
        let (_, issues) = scan("{{ .X | toUpper }}", Funcs::Builtins);
        assert_eq!(issues.len(), 1);
    }

    #[test]
    fn scan_reports_syntax_errors_with_positions() {
        let (_, issues) = scan("line1\n{{ if .X }}unclosed", Funcs::Alertmanager);
        assert_eq!(issues.len(), 1);
        assert!(issues[0].line >= 1);
        assert_eq!(issues[0].line, 2);
        assert!(issues[0].message.starts_with("unexpected EOF"), "{issues:?}");
        let (_, issues) = scan("{{ .X ", Funcs::Alertmanager);
        assert_eq!(issues.len(), 1);
        for bad in
            ["{{ end }}", "{{ else }}", "{{ break }}", "{{ if .X }}{{ else }}{{ end }}{{ end }}"]
        {
            assert_eq!(scan(bad, Funcs::Alertmanager).1.len(), 1, "{bad}");
        }
        for good in [
            "{{ if .X }}a{{ else if .Y }}b{{ else }}c{{ end }}",
            "{{ range .A }}{{ if . }}{{ break }}{{ end }}{{ end }}",
            "{{/* {{ if */}}{{ \"}}\" }}",
            "{{- with .X -}}{{ . }}{{- end -}}",
            "{{ block \"b\" . }}x{{ end }}",
        ] {
            assert!(
                scan(good, Funcs::Alertmanager).1.is_empty(),
                "{good}: {:?}",
                scan(good, Funcs::Alertmanager).1
            );
        }
    }

    #[test]
    fn variables_must_be_declared() {
        let (_, i) =
            scan("{{ range $i, $a := .Alerts }}{{ $a.Labels }}{{ end }}", Funcs::Alertmanager);
        assert!(i.is_empty(), "{i:?}");
        let (_, i) = scan("{{ $x := 1 }}{{ $x }}{{ $ }}", Funcs::Alertmanager);
        assert!(i.is_empty(), "{i:?}");
        let (_, i) = scan("{{ $y }}", Funcs::Alertmanager);
        assert_eq!(i[0].message, "undefined variable \"$y\"");
        let (_, i) = scan("{{ range .A }}{{ $v := . }}{{ end }}{{ $v }}", Funcs::Alertmanager);
        assert_eq!(i.len(), 1, "{i:?}");
    }
}
