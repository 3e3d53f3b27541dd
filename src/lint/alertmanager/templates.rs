//! Notification templates: the `templates:` globs (resolved and parsed as Alertmanager does
//! when it loads its configuration), and Go templates written in the configuration itself.
//! Parsing uses the `gotmpl` crate; on top of it we check what Go's parser checks and
//! `gotmpl` leaves to execution: functions must be defined (Go's built-ins plus
//! Alertmanager's), variables must be declared. `{{ template "x" }}` references are
//! collected so that a reference to a template defined nowhere can be reported.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gotmpl::parse::{CommandNode, Expr, ListNode, Node, Parser, PipeNode};

use super::{Checker, codes};
use crate::lint::Diagnostic;
use crate::yaml::Pos;

/// Go's `text/template` built-in functions.
pub const GO_BUILTINS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/// The functions Alertmanager adds (`template.DefaultFuncs`).
pub const AM_FUNCS: &[&str] = &[
    "toUpper",
    "toLower",
    "title",
    "trimSpace",
    "join",
    "match",
    "safeHtml",
    "safeUrl",
    "urlUnescape",
    "reReplaceAll",
    "stringSlice",
    "routeLabels",
    "date",
    "tz",
    "now",
    "since",
    "humanizeDuration",
    "toDate",
    "mustToDate",
    "toJson",
    "base64encode",
    "base64decode",
    "list",
    "append",
    "dict",
];

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

/// A problem found in a template, at a 1-based line and column of the template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// What a parsed template defines and references.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// `{{ define "x" }}` / `{{ block "x" }}` names.
    pub defines: Vec<String>,
    /// `{{ template "x" }}` references: name, line, column.
    pub refs: Vec<(String, usize, usize)>,
}

/// Which functions a template may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Funcs {
    /// Go's built-ins only (`text/template` with no FuncMap; the webhook URL check).
    Builtins,
    /// Built-ins and Alertmanager's functions (notification templates).
    Alertmanager,
}

/// Parse a Go template; report syntax errors, undefined functions and undefined variables.
pub fn scan(text: &str, funcs: Funcs) -> (Scan, Vec<Issue>) {
    let mut out = Scan::default();
    if let Some(issue) = structure(text) {
        return (out, vec![issue]);
    }
    let parsed = Parser::with_name(None, text, "{{", "}}").and_then(Parser::parse);
    let (tree, defines) = match parsed {
        Ok(t) => t,
        Err(e) => {
            let (line, col, message) = match &e {
                gotmpl::TemplateError::Parse { line, col, message, .. }
                | gotmpl::TemplateError::Lex { line, col, message, .. } => {
                    (*line, *col, message.clone())
                }
                other => (1, 1, other.to_string()),
            };
            return (out, vec![Issue { line: line.max(1), col: col.max(1), message }]);
        }
    };
    let mut w = Walker { text, funcs, issues: Vec::new(), refs: Vec::new(), vars: Vec::new() };
    w.vars.push("$".into());
    w.list(&tree);
    for d in &defines {
        out.defines.push(d.name.to_string());
        let saved = std::mem::replace(&mut w.vars, vec!["$".into()]);
        w.list(&d.body);
        w.vars = saved;
    }
    out.refs = w.refs;
    (out, w.issues)
}

/// The block structure Go's parser enforces and `gotmpl` does not: every `if`, `range`,
/// `with`, `define` and `block` closed by `{{ end }}`, no stray `end` or `else`, `break`
/// and `continue` only inside `range`.
fn structure(text: &str) -> Option<Issue> {
    let line_col = |off: usize| {
        let before = &text[..off];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, text[start..off].chars().count() + 1)
    };
    let mut stack: Vec<(&str, usize)> = Vec::new();
    let mut i = 0;
    while let Some(rel) = text[i..].find("{{") {
        let start = i + rel;
        let mut j = start + 2;
        if text[j..].starts_with("- ")
            || text[j..].starts_with("-\t")
            || text[j..].starts_with("-\n")
        {
            j += 1;
        }
        let body_start = j;
        let rest = text[j..].trim_start();
        j = text.len() - rest.len();
        if rest.starts_with("/*") {
            match rest.find("*/") {
                Some(k) => {
                    let after = j + k + 2;
                    match text[after..].find("}}") {
                        Some(m) => i = after + m + 2,
                        None => return Some(issue_at(line_col(start), "unclosed comment")),
                    }
                    continue;
                }
                None => return Some(issue_at(line_col(start), "unclosed comment")),
            }
        }
        // Find the closing delimiter, skipping quoted strings.
        let bytes = text.as_bytes();
        let mut k = body_start;
        let mut close = None;
        while k < bytes.len() {
            match bytes[k] {
                b'"' | b'\'' => {
                    let q = bytes[k];
                    k += 1;
                    while k < bytes.len() && bytes[k] != q {
                        if bytes[k] == b'\\' {
                            k += 1;
                        }
                        k += 1;
                    }
                    k += 1;
                }
                b'`' => {
                    k += 1;
                    while k < bytes.len() && bytes[k] != b'`' {
                        k += 1;
                    }
                    k += 1;
                }
                b'}' if bytes.get(k + 1) == Some(&b'}') => {
                    close = Some(k);
                    break;
                }
                _ => k += 1,
            }
        }
        let Some(close) = close else {
            return Some(issue_at(line_col(start), "unclosed action"));
        };
        let word: String =
            text[j..close].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        match word.as_str() {
            "if" | "range" | "with" | "define" | "block" => {
                let kw = match word.as_str() {
                    "if" => "if",
                    "range" => "range",
                    "with" => "with",
                    "define" => "define",
                    _ => "block",
                };
                stack.push((kw, start));
            }
            "else" => match stack.last() {
                Some((k, _)) if matches!(*k, "if" | "range" | "with") => {}
                _ => return Some(issue_at(line_col(start), "unexpected {{else}}")),
            },
            "end" if stack.pop().is_none() => {
                return Some(issue_at(line_col(start), "unexpected {{end}}"));
            }
            "break" | "continue" => {
                let in_range = stack
                    .iter()
                    .rev()
                    .take_while(|(k, _)| *k != "define" && *k != "block")
                    .any(|(k, _)| *k == "range");
                if !in_range {
                    return Some(issue_at(
                        line_col(start),
                        &format!("{{{{{word}}}}} outside {{{{range}}}}"),
                    ));
                }
            }
            _ => {}
        }
        i = close + 2;
    }
    stack.last().map(|(kw, off)| {
        issue_at(
            line_col(*off),
            &format!("unexpected EOF: {{{{{kw}}}}} is not closed by {{{{end}}}}"),
        )
    })
}

fn issue_at((line, col): (usize, usize), message: &str) -> Issue {
    Issue { line, col, message: message.to_string() }
}

struct Walker<'t> {
    text: &'t str,
    funcs: Funcs,
    issues: Vec<Issue>,
    refs: Vec<(String, usize, usize)>,
    vars: Vec<String>,
}

impl Walker<'_> {
    fn line_col(&self, offset: usize, line: usize) -> (usize, usize) {
        let mut off = offset.min(self.text.len());
        while !self.text.is_char_boundary(off) {
            off -= 1;
        }
        let start = self.text[..off].rfind('\n').map_or(0, |i| i + 1);
        let col = self.text.get(start..off).map_or(1, |s| s.chars().count() + 1);
        (line.max(1), col)
    }

    fn issue(&mut self, p: gotmpl::parse::Pos, message: String) {
        let (line, col) = self.line_col(p.offset, p.line);
        self.issues.push(Issue { line, col, message });
    }

    fn list(&mut self, l: &ListNode) {
        for n in &l.nodes {
            self.node(n);
        }
    }

    fn node(&mut self, n: &Node) {
        match n {
            Node::List(l) => self.list(l),
            Node::Action(a) => self.pipe(&a.pipe),
            Node::If(b) | Node::Range(b) | Node::With(b) => {
                let depth = self.vars.len();
                self.pipe(&b.pipe);
                self.list(&b.body);
                if let Some(e) = &b.else_body {
                    self.list(e);
                }
                self.vars.truncate(depth);
            }
            Node::Template(t) => {
                let (line, col) = self.line_col(t.pos.offset, t.pos.line);
                self.refs.push((t.name.to_string(), line, col));
                if let Some(p) = &t.pipe {
                    self.pipe(p);
                }
            }
            Node::Define(d) => {
                let saved = std::mem::replace(&mut self.vars, vec!["$".into()]);
                self.list(&d.body);
                self.vars = saved;
            }
            Node::Text(_) | Node::Break(_) | Node::Continue(_) => {}
        }
    }

    fn pipe(&mut self, p: &PipeNode) {
        for c in &p.commands {
            self.command(c);
        }
        for d in &p.decl {
            let name = if d.starts_with('$') { d.to_string() } else { format!("${d}") };
            if !p.is_assign || !self.vars.contains(&name) {
                self.vars.push(name);
            }
        }
    }

    fn command(&mut self, c: &CommandNode) {
        for a in &c.args {
            self.expr(a);
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Identifier(p, name) => {
                let known = GO_BUILTINS.contains(&name.as_str())
                    || (self.funcs == Funcs::Alertmanager && AM_FUNCS.contains(&name.as_str()));
                if !known {
                    self.issue(*p, format!("function {:?} not defined", name.as_str()));
                }
            }
            Expr::Variable(p, name, _) => {
                let n = if name.starts_with('$') { name.to_string() } else { format!("${name}") };
                if !self.vars.contains(&n) {
                    self.issue(*p, format!("undefined variable {n:?}"));
                }
            }
            Expr::Pipe(_, p) => {
                let depth = self.vars.len();
                self.pipe(p);
                self.vars.truncate(depth);
            }
            Expr::Chain(_, inner, _) => self.expr(inner),
            _ => {}
        }
    }
}

/// A template file found by a `templates:` glob.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub path: PathBuf,
    /// As shown in diagnostics.
    pub display: String,
}

/// Go's `filepath.Glob`: the matching files, sorted; a malformed pattern is an error.
pub fn glob_files(pattern: &Path) -> Result<Vec<PathBuf>, String> {
    let p = pattern.to_string_lossy();
    let opts = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    let paths =
        glob::glob_with(&p, opts).map_err(|e| format!("syntax error in pattern: {}", e.msg))?;
    let mut v: Vec<PathBuf> = paths.filter_map(Result::ok).filter(|p| p.is_file()).collect();
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
                    let mut d = Diagnostic::warning(
                        self.ctx.path,
                        *pos,
                        codes::TEMPLATE_MISSING,
                        format!("templates: {g:?} matches no file{}", host.note()),
                    );
                    d = d.with_help(
                        "Alertmanager accepts a glob that matches nothing, but every `{{ template \"...\" }}` defined there will be missing when a notification is sent",
                    );
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
            let text = match std::fs::read(&f.path) {
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
