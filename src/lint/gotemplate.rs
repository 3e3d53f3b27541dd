//! Go `text/template` checks as Go's parser makes them, shared by Prometheus rule templates
//! and Alertmanager notification templates: syntax (gotmpl's parser), the block structure
//! Go's parser enforces (every `if`/`range`/`with`/`define` closed, no stray `end`/`else`,
//! `break`/`continue` only in `range`), and the two checks Go does at parse time that gotmpl
//! leaves to execution: every function called exists, every variable used is declared.

use gotmpl::parse::{CommandNode, Expr, ListNode, Node, Parser, PipeNode};

/// Go's `text/template` built-in functions.
pub const GO_BUILTINS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/// The functions Alertmanager adds (`template.DefaultFuncs`).
pub const ALERTMANAGER_FUNCS: &[&str] = &[
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

/// Functions Prometheus registers for alert label and annotation templates.
pub const PROMETHEUS_FUNCS: &[&str] = &[
    "query",
    "first",
    "label",
    "value",
    "strvalue",
    "args",
    "reReplaceAll",
    "safeHtml",
    "match",
    "title",
    "toUpper",
    "toLower",
    "graphLink",
    "tableLink",
    "sortByLabel",
    "humanize",
    "humanize1024",
    "humanizeDuration",
    "humanizePercentage",
    "humanizeTimestamp",
    "toTime",
    "toDuration",
    "pathPrefix",
    "externalURL",
    "parseDuration",
    "stripPort",
    "stripDomain",
    "now",
    "tmpl",
];

/// Variables Prometheus declares before a rule's template text.
pub const PROMETHEUS_VARS: &[&str] = &["$labels", "$externalLabels", "$externalURL", "$value"];

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
    /// Built-ins and Prometheus' functions, with `$labels`, `$value`, `$externalLabels`
    /// and `$externalURL` declared (alert label and annotation templates).
    Prometheus,
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
    if funcs == Funcs::Prometheus {
        w.vars.extend(PROMETHEUS_VARS.iter().map(|v| v.to_string()));
    }
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
                let extra: &[&str] = match self.funcs {
                    Funcs::Builtins => &[],
                    Funcs::Alertmanager => ALERTMANAGER_FUNCS,
                    Funcs::Prometheus => PROMETHEUS_FUNCS,
                };
                let known = GO_BUILTINS.contains(&name.as_str()) || extra.contains(&name.as_str());
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

/// Byte offset of 1-based `line`:`col` (characters) in `text` (for an [`Issue`]).
pub fn issue_offset(text: &str, issue: &Issue) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == issue.line {
            let c = l.char_indices().nth(issue.col.saturating_sub(1)).map_or(l.len(), |(b, _)| b);
            return (off + c).min(text.len());
        }
        off += l.len();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prom(t: &str) -> Vec<Issue> {
        scan(t, Funcs::Prometheus).1
    }

    #[test]
    fn valid_prometheus_templates() {
        for t in [
            "Instance {{ $labels.instance }} down",
            "{{ $value | humanizePercentage }} of {{ $externalLabels.monitor }}",
            "{{ with query \"up\" }}{{ . | first | value | humanize }}{{ end }}",
            "{{ range $i, $x := query \"up\" }}{{ $i }}{{ $x.Labels.job }}{{ end }}",
            "{{ if $x := 1 }}{{ $x }}{{ else }}{{ $x }}{{ end }}",
            "{{ $.Labels.job }} {{ printf \"%.2f\" $value }} {{ toUpper \"a\" }}",
            "no template at all",
        ] {
            assert_eq!(prom(t), vec![], "{t}");
        }
    }

    #[test]
    fn undefined_variables_and_functions() {
        let t = "x {{ $label.instance }}";
        let p = prom(t);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].message, "undefined variable \"$label\"");
        assert_eq!(issue_offset(t, &p[0]), 5);
        let t = "{{ humanise $value }}";
        let p = prom(t);
        assert_eq!(p[0].message, "function \"humanise\" not defined");
        assert_eq!(issue_offset(t, &p[0]), 3);
        // Variables do not leak out of their block.
        let p = prom("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}");
        assert_eq!(p.len(), 1, "{p:?}");
        // Alertmanager's functions are not Prometheus'.
        assert_eq!(prom("{{ .X | stringSlice }}").len(), 1);
    }

    #[test]
    fn syntax_and_structure_errors_have_positions() {
        let t = "ok\n{{ if }}";
        let p = prom(t);
        assert_eq!(p.len(), 1);
        assert!(issue_offset(t, &p[0]) >= 3, "{p:?}");
        assert_eq!(prom("{{ .Foo ").len(), 1);
        assert_eq!(prom("{{ if true }}never closed").len(), 1);
    }
}
