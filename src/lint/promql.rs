//! PromQL through promql-parser: parse errors with the byte offset of the problem (the parser
//! reports none, so the offset is found from what the message names), and the facts other
//! checks need from an expression (metric names, `by`/`on` labels, experimental functions).

use promql_parser::label::METRIC_NAME;
use promql_parser::parser::{self, Expr, LabelModifier};

/// A PromQL parse error: the parser's message and, when it can be told, the byte offset in
/// the expression where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromqlError {
    pub message: String,
    pub offset: Option<usize>,
}

/// What an expression uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExprFacts {
    /// Metric names selected (by name or `__name__="..."`), in order of appearance, unique.
    pub metrics: Vec<String>,
    /// Label names in `by (...)` / `on (...)` / `group_left (...)` clauses.
    pub grouping_labels: Vec<String>,
    /// Label names used in selectors' matchers.
    pub matcher_labels: Vec<String>,
    /// Experimental functions called (need `--enable-feature=promql-experimental-functions`).
    pub experimental: Vec<&'static str>,
}

/// Parse `expr`; on failure, the message and the offset it is about.
pub fn parse(expr: &str) -> Result<Expr, PromqlError> {
    if expr.trim().is_empty() {
        return Err(PromqlError { message: "empty expression".into(), offset: Some(0) });
    }
    parser::parse(expr).map_err(|message| {
        let offset = locate_error(expr, &message);
        PromqlError { message, offset }
    })
}

/// Parse `expr` and collect its facts (what the rule checks need; `Send`, unlike the AST).
pub fn analyse(expr: &str) -> Result<ExprFacts, PromqlError> {
    parse(expr).map(|ast| facts(&ast))
}

/// Find where in `expr` the problem described by `message` is.
fn locate_error(expr: &str, message: &str) -> Option<usize> {
    let end = expr.trim_end().len();
    if message == "invalid promql query"
        && let Some(o) = doubled_operator(expr)
    {
        return Some(o);
    }
    if message.contains("unexpected end of input") || message == "invalid promql query" {
        // The parser gives up at the end (or cannot say where): point at the last token.
        return Some(last_token_start(expr));
    }
    for (what, open, close) in
        [("parenthesis", '(', ')'), ("bracket", '[', ']'), ("brace", '{', '}')]
    {
        if message.contains(&format!("unclosed left {what}")) {
            return unmatched(expr, open, close, true);
        }
        if message.contains(&format!("unexpected right {what}")) {
            return unmatched(expr, open, close, false);
        }
    }
    if let Some(q) = message.strip_prefix("unterminated quoted string ") {
        let quote = q.chars().next()?;
        return unterminated_quote(expr, quote);
    }
    // Messages naming a function: `... function 'rate' ...`, `... with name 'foo'`.
    for marker in ["function '", "with name '"] {
        if let Some(i) = message.find(marker) {
            let name = quoted_at(&message[i + marker.len() - 1..])?;
            return find_call(expr, &name).or_else(|| find_word(expr, &name));
        }
    }
    if let Some(re) = message.strip_prefix("illegal regex for ") {
        // At the regex's quoted literal, not the expression's start.
        return find_regex_literal(expr, re);
    }
    if let Some(rest) = message.strip_prefix("bad number or duration syntax: ") {
        return expr.find(rest.trim()).or(Some(0));
    }
    if message.contains("inside braces") {
        let ch = quoted_at(&message[message.rfind(": '").map(|i| i + 2)?..])?;
        let brace = expr.find('{')?;
        return expr[brace..].find(&ch).map(|i| i + brace);
    }
    if message.contains("inside brackets") {
        let ch = quoted_at(&message[message.rfind(": '").map(|i| i + 2)?..])?;
        let br = expr.find('[')?;
        return expr[br..].find(&ch).map(|i| i + br);
    }
    // `unexpected <group_left>`, `unexpected identifier 'b'`, `unexpected character: '$'`.
    if let Some(i) = message.find('<')
        && let Some(j) = message[i..].find('>')
    {
        let tok = &message[i + 1..i + j];
        if let Some(o) = find_word(expr, tok) {
            return Some(o);
        }
    }
    if let Some(tok) = message.find('\'').and_then(|i| quoted_at(&message[i..])) {
        let tok = unescape_char(&tok);
        if let Some(o) = find_word(expr, &tok).or_else(|| expr.find(&tok)) {
            return Some(o);
        }
    }
    if message.contains("type") {
        // Type errors name no token; the expression as a whole is at fault.
        return Some(expr.len() - expr.trim_start().len());
    }
    (end > 0).then_some(expr.len() - expr.trim_start().len())
}

/// The offset of the quoted literal after a `=~` / `!~` whose text is `re` (the first regex
/// matcher when none is written exactly so, e.g. with escapes).
fn find_regex_literal(expr: &str, re: &str) -> Option<usize> {
    let mut first = None;
    let mut from = 0;
    while let Some(i) = expr[from..].find(['=', '!']).map(|i| i + from) {
        from = i + 1;
        if expr.as_bytes().get(i + 1) != Some(&b'~') {
            continue;
        }
        let rest = &expr[i + 2..];
        let lit = i + 2 + (rest.len() - rest.trim_start().len());
        let Some(quote) = expr[lit..].chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        first.get_or_insert(lit);
        if expr[lit + 1..].starts_with(re) && expr[lit + 1 + re.len()..].starts_with(quote) {
            return Some(lit);
        }
    }
    first
}

/// `'abc' ...` → `abc`.
fn quoted_at(s: &str) -> Option<String> {
    let rest = s.strip_prefix('\'')?;
    let end = rest.find('\'').unwrap_or(rest.len());
    let tok = &rest[..end];
    (!tok.is_empty()).then(|| tok.to_string())
}

fn unescape_char(tok: &str) -> String {
    match tok {
        "\\n" => "\n".into(),
        "\\t" => "\t".into(),
        "\\\\" => "\\".into(),
        "\\'" => "'".into(),
        _ => tok.to_string(),
    }
}

/// A binary operator right after another (`a > > 1`, `a + * b`): the offset of the second,
/// outside string literals and label matchers. `+`/`-` may be unary, so never the second.
fn doubled_operator(expr: &str) -> Option<usize> {
    const OPS: [&str; 12] = ["==", "!=", ">=", "<=", ">", "<", "*", "/", "%", "^", "+", "-"];
    const WORD_OPS: [&str; 4] = ["and", "or", "unless", "atan2"];
    let b = expr.as_bytes();
    let (mut i, mut depth, mut after_op) = (0, 0usize, false);
    while i < b.len() {
        let c = b[i];
        if matches!(c, b'"' | b'\'' | b'`') {
            let mut j = i + 1;
            while j < b.len() && b[j] != c {
                j += if b[j] == b'\\' && c != b'`' { 2 } else { 1 };
            }
            (i, after_op) = (j + 1, false);
            continue;
        }
        if c == b'{' || c == b'}' {
            depth = if c == b'{' { depth + 1 } else { depth.saturating_sub(1) };
            (i, after_op) = (i + 1, false);
            continue;
        }
        if c.is_ascii_whitespace() || depth > 0 {
            i += 1;
            continue;
        }
        if let Some(op) = OPS.iter().find(|op| expr[i..].starts_with(**op)) {
            if after_op && *op != "+" && *op != "-" {
                return Some(i);
            }
            (i, after_op) = (i + op.len(), true);
            continue;
        }
        let word = expr[i..]
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == ':' || ch == '.'))
            .map_or(&expr[i..], |e| {
                let first = expr[i..].chars().next().map_or(1, char::len_utf8);
                &expr[i..i + e.max(first)]
            });
        let is_op = WORD_OPS.contains(&word);
        if is_op && after_op {
            return Some(i);
        }
        (i, after_op) = (i + word.len(), is_op);
    }
    None
}

fn last_token_start(expr: &str) -> usize {
    let t = expr.trim_end();
    let b = t.as_bytes();
    let mut i = b.len();
    if i == 0 {
        return 0;
    }
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b':' || c == b'.';
    if is_word(b[i - 1]) {
        while i > 0 && is_word(b[i - 1]) {
            i -= 1;
        }
        i
    } else {
        // An operator or bracket: step back over one character.
        t.char_indices().last().map_or(0, |(j, _)| j)
    }
}

/// The first unmatched `open` (when `want_open`) or the first unmatched `close`, outside
/// string literals.
fn unmatched(expr: &str, open: char, close: char, want_open: bool) -> Option<usize> {
    let mut stack: Vec<usize> = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in expr.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q != '`' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            c if c == open => stack.push(i),
            c if c == close => {
                let unmatched_close = stack.pop().is_none();
                if unmatched_close && !want_open {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    if want_open { stack.first().copied() } else { None }
}

fn unterminated_quote(expr: &str, quote: char) -> Option<usize> {
    let mut open: Option<usize> = None;
    let mut escaped = false;
    for (i, c) in expr.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match open {
            Some(_) if c == '\\' && quote != '`' => escaped = true,
            Some(_) if c == quote => open = None,
            None if c == quote => open = Some(i),
            _ => {}
        }
    }
    open.or(Some(0))
}

/// `name(` with optional spaces, at a word boundary.
fn find_call(expr: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = expr[from..].find(name).map(|i| i + from) {
        let after = expr[i + name.len()..].trim_start();
        if after.starts_with('(') && boundary_before(expr, i) {
            return Some(i);
        }
        from = i + name.len().max(1);
    }
    None
}

/// `word` at word boundaries.
pub fn find_word(expr: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let mut from = 0;
    while from <= expr.len() {
        let i = expr[from..].find(word)? + from;
        let end = i + word.len();
        let after_ok = expr[end..].chars().next().is_none_or(|c| !is_ident(c));
        if boundary_before(expr, i) && after_ok {
            return Some(i);
        }
        from = i + word.len().max(1);
        while from < expr.len() && !expr.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

fn boundary_before(expr: &str, i: usize) -> bool {
    expr[..i].chars().next_back().is_none_or(|c| !is_ident(c))
}

/// Where metric `name` is written in `expr` (outside string literals where possible).
pub fn find_metric(expr: &str, name: &str) -> Option<usize> {
    find_word(expr, name).or_else(|| expr.find(name))
}

/// Collect what `expr` uses.
pub fn facts(expr: &Expr) -> ExprFacts {
    let mut f = ExprFacts::default();
    walk(expr, &mut f, 0);
    f
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

fn selector(vs: &parser::VectorSelector, f: &mut ExprFacts) {
    if let Some(n) = &vs.name
        && n != GRAFANA_VAR
    {
        push_unique(&mut f.metrics, n);
    }
    let all = vs.matchers.matchers.iter().chain(vs.matchers.or_matchers.iter().flatten());
    for m in all {
        if m.name == METRIC_NAME {
            if matches!(m.op, promql_parser::label::MatchOp::Equal) {
                push_unique(&mut f.metrics, &m.value);
            }
        } else {
            push_unique(&mut f.matcher_labels, &m.name);
        }
    }
}

fn modifier_labels(m: &LabelModifier, f: &mut ExprFacts) {
    if let LabelModifier::Include(ls) = m {
        for l in &ls.labels {
            push_unique(&mut f.grouping_labels, l);
        }
    }
}

fn walk(e: &Expr, f: &mut ExprFacts, depth: usize) {
    if depth > 512 {
        return;
    }
    match e {
        Expr::Aggregate(a) => {
            if let Some(m) = &a.modifier {
                modifier_labels(m, f);
            }
            if let Some(p) = &a.param {
                walk(p, f, depth + 1);
            }
            walk(&a.expr, f, depth + 1);
        }
        Expr::Unary(u) => walk(&u.expr, f, depth + 1),
        Expr::Binary(b) => {
            if let Some(m) = &b.modifier {
                if let Some(lm) = &m.matching {
                    modifier_labels(lm, f);
                }
                if let promql_parser::parser::VectorMatchCardinality::ManyToOne(ls)
                | promql_parser::parser::VectorMatchCardinality::OneToMany(ls) = &m.card
                {
                    for l in &ls.labels {
                        push_unique(&mut f.grouping_labels, l);
                    }
                }
            }
            walk(&b.lhs, f, depth + 1);
            walk(&b.rhs, f, depth + 1);
        }
        Expr::Paren(p) => walk(&p.expr, f, depth + 1),
        Expr::Subquery(s) => walk(&s.expr, f, depth + 1),
        Expr::VectorSelector(vs) => selector(vs, f),
        Expr::MatrixSelector(ms) => selector(&ms.vs, f),
        Expr::Call(c) => {
            if c.func.experimental && !f.experimental.contains(&c.func.name) {
                f.experimental.push(c.func.name);
            }
            for a in &c.args.args {
                walk(a, f, depth + 1);
            }
        }
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
    }
}

/// Replace Grafana's macros and template variables with text PromQL accepts:
/// `$__rate_interval` → a duration, `${var}`/`$var`/`[[var]]` → a word. Returns the new
/// text and, for each of its bytes (plus one past the end), the offset in `expr` it came from.
pub fn substitute_grafana(expr: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(expr.len() + 16);
    let mut map: Vec<usize> = Vec::with_capacity(expr.len() + 17);
    let put = |out: &mut String, map: &mut Vec<usize>, s: &str, from: usize| {
        out.push_str(s);
        map.extend(std::iter::repeat_n(from, s.len()));
    };
    let b = expr.as_bytes();
    let mut i = 0;
    // Where a variable stands decides what replaces it: a word inside a string, a
    // duration inside brackets, a selector elsewhere.
    let mut quote: Option<u8> = None;
    let mut brackets = 0usize;
    while i < b.len() {
        let c = b[i];
        let ctx = if quote.is_some() {
            Ctx::String
        } else if brackets > 0 {
            Ctx::Range
        } else {
            Ctx::Expr
        };
        if c == b'$' {
            // ${name[:fmt]}
            if b.get(i + 1) == Some(&b'{')
                && let Some(j) = expr[i..].find('}')
            {
                let name = &expr[i + 2..i + j];
                put(
                    &mut out,
                    &mut map,
                    macro_value(name.split(':').next().unwrap_or(name), ctx),
                    i,
                );
                i += j + 1;
                continue;
            }
            let start = i + 1;
            let mut j = start;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if j > start {
                put(&mut out, &mut map, macro_value(&expr[start..j], ctx), i);
                i = j;
                continue;
            }
        }
        if c == b'['
            && b.get(i + 1) == Some(&b'[')
            && let Some(j) = expr[i..].find("]]")
        {
            let name = &expr[i + 2..i + j];
            if name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == ':') {
                put(
                    &mut out,
                    &mut map,
                    macro_value(name.split(':').next().unwrap_or(name), ctx),
                    i,
                );
                i += j + 2;
                continue;
            }
        }
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(q), b'\\') if q != b'`' => {
                // Keep the escaped character as it is.
                if let Some(&n) = b.get(i + 1)
                    && n.is_ascii()
                {
                    out.push('\\');
                    out.push(n as char);
                    map.push(i);
                    map.push(i + 1);
                    i += 2;
                    continue;
                }
            }
            (None, b'"' | b'\'' | b'`') => quote = Some(c),
            (None, b'[') => brackets += 1,
            (None, b']') => brackets = brackets.saturating_sub(1),
            _ => {}
        }
        let ch = expr[i..].chars().next().unwrap_or(' ');
        map.extend(i..i + ch.len_utf8());
        out.push(ch);
        i += ch.len_utf8();
    }
    map.push(expr.len());
    (out, map)
}

/// The placeholder for a Grafana variable used where a selector goes; not a metric.
pub const GRAFANA_VAR: &str = "__grafana_var";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    String,
    Range,
    Expr,
}

fn macro_value(name: &str, ctx: Ctx) -> &'static str {
    match (name, ctx) {
        ("__range_s" | "__range_ms" | "__interval_ms" | "__from" | "__to", Ctx::String) => "0",
        ("__range_s" | "__range_ms" | "__interval_ms" | "__from" | "__to", _) => "60",
        (_, Ctx::String) => "var",
        (_, Ctx::Range) => "5m",
        ("__rate_interval" | "__interval" | "__range", Ctx::Expr) => "5m",
        (_, Ctx::Expr) => GRAFANA_VAR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_collects_facts() {
        let e = parse(
            "sum by (job, instance) (rate(http_requests_total{code=~\"5..\"}[5m])) / on (job) group_left (team) up",
        )
        .expect("parses");
        let f = facts(&e);
        assert_eq!(f.metrics, vec!["http_requests_total", "up"]);
        assert_eq!(f.grouping_labels, vec!["job", "team", "instance"]);
        assert_eq!(f.matcher_labels, vec!["code"]);
    }

    #[test]
    fn type_errors_and_unknown_functions_are_errors() {
        let e = parse("rate(some_gauge)").expect_err("not a range vector");
        assert!(e.message.contains("expected type"), "{}", e.message);
        assert_eq!(e.offset, Some(0));
        let e = parse("x + no_such_fn(up)").expect_err("unknown function");
        assert!(e.message.contains("unknown function"), "{}", e.message);
        assert_eq!(e.offset, Some(4));
        let e = parse("sum(up) by (job").expect_err("eof");
        assert_eq!(e.offset, Some(11), "{}", e.message);
        let e = parse("up{job=\"a} + 1").expect_err("unterminated");
        assert_eq!(e.offset, Some(7));
        let e = parse("foo{a*\"b\"}").expect_err("brace");
        assert_eq!(e.offset, Some(5));
        // A bad regex: at its literal (the second matcher here), not the expression's start.
        let e = parse("sum(x{a=~\"ok\", b!~ '(('})").expect_err("regex");
        assert!(e.message.contains("illegal regex"), "{}", e.message);
        assert_eq!(e.offset, Some(19));
        // Two binary operators in a row: at the second (unary +/- are not doubled).
        for (text, at) in [("node_load1 > > 0.5", 13), ("a + * b", 4), ("x{a!=\">\"} and or y", 14)]
        {
            let e = parse(text).expect_err("doubled");
            assert_eq!(e.offset, Some(at), "{text}: {}", e.message);
        }
        assert!(parse("a > - 1").is_ok() && parse("a > bool 1").is_ok());
        assert_eq!(doubled_operator("é > é >"), None);
    }

    #[test]
    fn experimental_functions_are_noted() {
        let e = parse("sort_by_label(up, \"job\")").expect("parses");
        assert_eq!(facts(&e).experimental, vec!["sort_by_label"]);
    }

    #[test]
    fn grafana_macros_are_substituted() {
        let src = "rate(x{job=\"$job\", i=~\"${instance:regex}\"}[$__rate_interval]) + [[y]]";
        let (s, map) = substitute_grafana(src);
        assert_eq!(s, "rate(x{job=\"var\", i=~\"var\"}[5m]) + __grafana_var");
        assert_eq!(substitute_grafana("up > $t and x[$iv]").0, "up > __grafana_var and x[5m]");
        assert!(parse(&s).is_ok());
        assert_eq!(map.len(), s.len() + 1);
        let plus = s.find('+').expect("+");
        assert_eq!(&src[map[plus]..map[plus] + 1], "+");
    }
}
