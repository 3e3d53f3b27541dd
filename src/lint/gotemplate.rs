//! Go `text/template` checks as Go's parser makes them: syntax (gotmpl's parser), plus the
//! two checks Go does at parse time that gotmpl leaves to execution: every function called
//! exists, and every variable used is declared in scope.

use gotmpl::TemplateError;
use gotmpl::parse::{Expr, ListNode, Node, Parser, PipeNode};

/// Go's built-in template functions.
pub const GO_BUILTINS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
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

/// A template problem: message and byte offset in the template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateProblem {
    pub message: String,
    pub offset: usize,
}

/// Check `text` as a Go template with the given extra functions and predeclared variables.
pub fn check(text: &str, funcs: &[&str], vars: &[&str]) -> Vec<TemplateProblem> {
    if !text.contains("{{") {
        return Vec::new();
    }
    let parsed = Parser::with_name(None, text, "{{", "}}").and_then(|p| p.parse());
    let (list, defines) = match parsed {
        Ok(x) => x,
        Err(e) => return vec![from_error(text, &e)],
    };
    let mut w = Walker { funcs, out: Vec::new(), scope: Vec::new(), depth: 0 };
    w.scope.push("$".to_string());
    w.scope.extend(vars.iter().map(|v| v.to_string()));
    w.list(&list);
    for d in &defines {
        let saved = std::mem::replace(&mut w.scope, vec!["$".to_string()]);
        w.list(&d.body);
        w.scope = saved;
    }
    w.out
}

fn from_error(text: &str, e: &TemplateError) -> TemplateProblem {
    match e {
        TemplateError::Parse { line, col, message, .. }
        | TemplateError::Lex { line, col, message, .. } => {
            TemplateProblem { message: message.clone(), offset: line_col_offset(text, *line, *col) }
        }
        other => TemplateProblem { message: other.to_string(), offset: 0 },
    }
}

/// Byte offset of 1-based `line`:`col` (characters) in `text`.
fn line_col_offset(text: &str, line: usize, col: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let c = l.char_indices().nth(col.saturating_sub(1)).map_or(l.len(), |(b, _)| b);
            return (off + c).min(text.len());
        }
        off += l.len();
    }
    text.len()
}

struct Walker<'f> {
    funcs: &'f [&'f str],
    out: Vec<TemplateProblem>,
    scope: Vec<String>,
    depth: usize,
}

impl Walker<'_> {
    fn list(&mut self, l: &ListNode) {
        for n in &l.nodes {
            self.node(n);
        }
    }

    fn node(&mut self, n: &Node) {
        self.depth += 1;
        if self.depth > 200 {
            self.depth -= 1;
            return;
        }
        match n {
            Node::List(l) => self.list(l),
            Node::Action(a) => self.pipe(&a.pipe),
            Node::If(b) | Node::Range(b) | Node::With(b) => {
                let mark = self.scope.len();
                self.pipe(&b.pipe);
                self.list(&b.body);
                if let Some(e) = &b.else_body {
                    self.list(e);
                }
                self.scope.truncate(mark);
            }
            Node::Template(t) => {
                if let Some(p) = &t.pipe {
                    self.pipe(p);
                }
            }
            Node::Define(d) => {
                let saved = std::mem::replace(&mut self.scope, vec!["$".to_string()]);
                self.list(&d.body);
                self.scope = saved;
            }
            Node::Text(_) | Node::Break(_) | Node::Continue(_) => {}
        }
        self.depth -= 1;
    }

    fn pipe(&mut self, p: &PipeNode) {
        // Go declares the variables before parsing the commands.
        if !p.is_assign {
            for d in &p.decl {
                self.scope.push(d.to_string());
            }
        }
        for c in &p.commands {
            for a in &c.args {
                self.expr(a);
            }
        }
        if p.is_assign {
            for d in &p.decl {
                self.use_var(d, p.pos.offset);
            }
        }
    }

    fn use_var(&mut self, name: &str, offset: usize) {
        if !self.scope.iter().any(|v| v == name) {
            self.out.push(TemplateProblem {
                message: format!("undefined variable \"{name}\""),
                offset,
            });
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Identifier(pos, name) => {
                let known =
                    GO_BUILTINS.contains(&name.as_str()) || self.funcs.contains(&name.as_str());
                if !known {
                    self.out.push(TemplateProblem {
                        message: format!("function \"{name}\" not defined"),
                        offset: pos.offset,
                    });
                }
            }
            Expr::Variable(pos, name, _) => self.use_var(name, pos.offset),
            Expr::Pipe(_, p) => self.pipe(p),
            Expr::Chain(_, inner, _) => self.expr(inner),
            Expr::Dot(_)
            | Expr::Field(..)
            | Expr::String(..)
            | Expr::Number(..)
            | Expr::Bool(..)
            | Expr::Nil(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prom(t: &str) -> Vec<TemplateProblem> {
        check(t, PROMETHEUS_FUNCS, PROMETHEUS_VARS)
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
        let p = prom("x {{ $label.instance }}");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].message, "undefined variable \"$label\"");
        assert_eq!(p[0].offset, 5);
        let p = prom("{{ humanise $value }}");
        assert_eq!(p[0].message, "function \"humanise\" not defined");
        assert_eq!(p[0].offset, 3);
        // Variables do not leak out of their block.
        let p = prom("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}");
        assert_eq!(p.len(), 1, "{p:?}");
    }

    #[test]
    fn syntax_errors_have_offsets() {
        let p = prom("ok\n{{ if }}");
        assert_eq!(p.len(), 1);
        assert!(p[0].offset >= 3, "{p:?}");
        let p = prom("{{ .Foo ");
        assert_eq!(p.len(), 1);
    }
}
