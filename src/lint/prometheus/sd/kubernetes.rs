//! Kubernetes discovery: roles, API server vs kubeconfig vs in-cluster settings, and
//! the `selectors` (label and field selectors parsed with Kubernetes' grammar).

use crate::lint::schema::Fields;
use crate::yaml::Pos;

use super::super::code;
use super::super::cx::Cx;
use super::{HttpMode, Kind, T, at, file, has, role, txt};
use crate::lint::http_config::HttpFacts;

const ROLES: &[&str] = &["node", "pod", "service", "endpoints", "endpointslice", "ingress"];

pub static KUBERNETES: Kind = Kind {
    key: "kubernetes_sd_configs",
    name: "kubernetes",
    fields: &[
        ("api_server", T::Url),
        ("role", T::Custom),
        ("kubeconfig_file", T::Str),
        ("namespaces", T::Custom),
        ("selectors", T::Custom),
        ("attach_metadata", T::Custom),
    ],
    http: HttpMode::Validated,
    check: check_kubernetes,
};

fn allowed_selectors(role: &str) -> &'static [&'static str] {
    match role {
        "pod" => &["pod", "node"],
        "service" => &["service"],
        "endpointslice" => &["pod", "service", "endpointslice"],
        "endpoints" => &["pod", "service", "endpoints"],
        "node" => &["node"],
        "ingress" => &["ingress"],
        _ => &[],
    }
}

fn check_kubernetes(cx: &mut Cx<'_>, f: &Fields<'_>, h: &HttpFacts) {
    let role_v = if f.get_raw("role").is_none() {
        Some(String::new())
    } else {
        role(cx, f, "role", ROLES, |s| format!("unknown Kubernetes SD role {s:?}"))
    };
    if role_v.as_deref() == Some("") {
        cx.err_help(
            at(f, "role"),
            code::SD_CONFIG,
            "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)",
            "add `role: pod` (or service, endpoints, endpointslice, node, ingress)",
        );
    }

    let mut own_namespace: Option<Pos> = None;
    if let Some(n) = f.get("namespaces")
        && let Some(ns) = cx.map(n, "namespaces", &["own_namespace", "names"])
    {
        if let Some(b) = cx.bool(&ns, "own_namespace")
            && b.v
        {
            own_namespace = Some(b.key);
        }
        cx.strs(&ns, "names");
    }
    if let Some(n) = f.get("attach_metadata")
        && let Some(am) =
            cx.map(n, "attach_metadata", &["node", "namespace", "deployment", "job", "cronjob"])
    {
        for k in ["node", "namespace", "deployment", "job", "cronjob"] {
            cx.bool(&am, k);
        }
    }
    let api_server = has(f, "api_server").then(|| at(f, "api_server"));
    let kubeconfig = (!txt(f, "kubeconfig_file").is_empty()).then(|| at(f, "kubeconfig_file"));
    file(cx, f, "kubeconfig_file", "kubeconfig_file");

    if let (Some(a), Some(k)) = (api_server, kubeconfig) {
        cx.err(
            a.max(k),
            code::SD_CONFIG,
            "cannot use 'kubeconfig_file' and 'api_server' simultaneously",
        );
    }
    if let (Some(k), Some(c)) = (kubeconfig, h.custom) {
        cx.err(
            c.max(k),
            code::SD_CONFIG,
            "cannot use a custom HTTP client configuration together with 'kubeconfig_file'",
        );
    }
    if let (None, Some(c)) = (api_server, h.custom) {
        cx.err_help(
            c,
            code::SD_CONFIG,
            "to use custom HTTP client configuration please provide the 'api_server' URL explicitly",
            "in-cluster discovery uses the pod's service account; set `api_server:` to use these client settings",
        );
    }
    if let (Some(a), Some(o)) = (api_server, own_namespace) {
        cx.err(
            a.max(o),
            code::SD_CONFIG,
            "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously",
        );
    }
    if let (Some(k), Some(o)) = (kubeconfig, own_namespace) {
        cx.err(
            k.max(o),
            code::SD_CONFIG,
            "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously",
        );
    }

    let Some(sel) = f.get("selectors") else { return };
    let Some(items) = cx.list(sel, "selectors") else { return };
    let mut seen: Vec<String> = Vec::new();
    for it in items {
        let Some(s) = cx.map(it, "selector", &["role", "label", "field"]) else { continue };
        let srole = if s.get_raw("role").is_none() {
            String::new()
        } else {
            match role(cx, &s, "role", ROLES, |v| format!("unknown Kubernetes SD role {v:?}")) {
                Some(r) => r,
                None => continue,
            }
        };
        let label = cx.str(&s, "label");
        let field = cx.str(&s, "field");
        if seen.contains(&srole) {
            cx.err(at(&s, "role"), code::SD_CONFIG, format!("duplicated selector role: {srole}"));
            continue;
        }
        seen.push(srole.clone());
        if let Some(r) = role_v.as_deref().filter(|r| !r.is_empty()) {
            let allowed = allowed_selectors(r);
            if !allowed.contains(&srole.as_str()) {
                cx.err(
                    super::val_at(&s, "role"),
                    code::SD_CONFIG,
                    format!("{r} role supports only {} selectors", allowed.join(", ")),
                );
                continue;
            }
        }
        if let Some(fs) = field
            && let Err(e) = parse_field_selector(fs.v)
        {
            cx.err(fs.pos, code::SD_CONFIG, e);
        }
        if let Some(ls) = label
            && let Err(e) = parse_label_selector(ls.v)
        {
            cx.err(ls.pos, code::SD_CONFIG, e);
        }
    }
}

/// Kubernetes field selector grammar: `key=value`, `key==value`, `key!=value`, joined by
/// commas; `\` escapes `\`, `,` and `=` in values.
pub fn parse_field_selector(sel: &str) -> Result<(), String> {
    for part in split_unescaped(sel, ',') {
        if part.is_empty() {
            continue;
        }
        let Some((_lhs, rhs)) = split_term(&part) else {
            return Err(format!("invalid selector: '{sel}'; can't understand '{part}'"));
        };
        unescape_value(rhs)?;
    }
    Ok(())
}

fn split_unescaped(s: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            cur.push(c);
            escaped = true;
        } else if c == sep {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

fn split_term(term: &str) -> Option<(&str, &str)> {
    for (i, _) in term.char_indices() {
        for op in ["!=", "==", "="] {
            if term[i..].starts_with(op) {
                return Some((&term[..i], &term[i + op.len()..]));
            }
        }
    }
    None
}

fn unescape_value(v: &str) -> Result<(), String> {
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\' | ',' | '=') => {}
                _ => return Err(format!("invalid escape sequence in field selector value {v:?}")),
            },
            ',' | '=' => {
                return Err(format!("invalid field selector value {v:?}: unescaped {c:?}"));
            }
            _ => {}
        }
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Not,
    Eq,
    DoubleEq,
    NotEq,
    In,
    NotIn,
    Open,
    Close,
    Comma,
    Gt,
    Lt,
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let special =
        |ch: char| matches!(ch, '!' | '=' | '(' | ')' | ',' | '<' | '>') || ch.is_whitespace();
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
            continue;
        }
        let two: String = c[i..(i + 2).min(c.len())].iter().collect();
        let tok = match (ch, two.as_str()) {
            (_, "==") => {
                i += 2;
                Tok::DoubleEq
            }
            (_, "!=") => {
                i += 2;
                Tok::NotEq
            }
            ('!', _) => {
                i += 1;
                Tok::Not
            }
            ('=', _) => {
                i += 1;
                Tok::Eq
            }
            ('(', _) => {
                i += 1;
                Tok::Open
            }
            (')', _) => {
                i += 1;
                Tok::Close
            }
            (',', _) => {
                i += 1;
                Tok::Comma
            }
            ('>', _) => {
                i += 1;
                Tok::Gt
            }
            ('<', _) => {
                i += 1;
                Tok::Lt
            }
            _ => {
                let start = i;
                while i < c.len() && !special(c[i]) {
                    i += 1;
                }
                let w: String = c[start..i].iter().collect();
                match w.as_str() {
                    "in" => Tok::In,
                    "notin" => Tok::NotIn,
                    _ => Tok::Ident(w),
                }
            }
        };
        out.push(tok);
    }
    Ok(out)
}

/// Kubernetes label selector grammar (`labels.Parse`): `k`, `!k`, `k=v`, `k==v`, `k!=v`,
/// `k in (a,b)`, `k notin (a,b)`, `k>1`, `k<1`, joined by commas; keys are qualified names,
/// values label values.
pub fn parse_label_selector(sel: &str) -> Result<(), String> {
    let toks = lex(sel)?;
    let err = |m: String| Err(format!("invalid label selector {sel:?}: {m}"));
    let mut i = 0;
    if toks.is_empty() {
        return Ok(());
    }
    loop {
        // One requirement.
        let negated = toks.get(i) == Some(&Tok::Not);
        if negated {
            i += 1;
        }
        let key = match toks.get(i) {
            Some(Tok::Ident(k)) => k.clone(),
            other => return err(format!("found {other:?}, expected a key")),
        };
        if let Err(m) = valid_key(&key) {
            return err(m);
        }
        i += 1;
        if negated {
            // `!key` stands alone.
        } else {
            match toks.get(i) {
                None | Some(Tok::Comma) => {}
                Some(Tok::Eq | Tok::DoubleEq | Tok::NotEq) => {
                    i += 1;
                    match toks.get(i) {
                        Some(Tok::Ident(v)) => {
                            if let Err(m) = valid_value(v) {
                                return err(m);
                            }
                            i += 1;
                        }
                        None | Some(Tok::Comma) => {}
                        other => return err(format!("found {other:?}, expected a value")),
                    }
                }
                Some(Tok::Gt | Tok::Lt) => {
                    i += 1;
                    match toks.get(i) {
                        Some(Tok::Ident(v)) if v.parse::<i64>().is_ok() => i += 1,
                        other => return err(format!("found {other:?}, expected an integer")),
                    }
                }
                Some(Tok::In | Tok::NotIn) => {
                    i += 1;
                    if toks.get(i) != Some(&Tok::Open) {
                        return err("expected '(' after in/notin".into());
                    }
                    i += 1;
                    loop {
                        match toks.get(i) {
                            Some(Tok::Ident(v)) => {
                                if let Err(m) = valid_value(v) {
                                    return err(m);
                                }
                                i += 1;
                            }
                            Some(Tok::Comma | Tok::Close) => {}
                            other => return err(format!("found {other:?}, expected a value")),
                        }
                        match toks.get(i) {
                            Some(Tok::Comma) => i += 1,
                            Some(Tok::Close) => {
                                i += 1;
                                break;
                            }
                            other => return err(format!("found {other:?}, expected ',' or ')'")),
                        }
                    }
                }
                other => return err(format!("found {other:?}, expected an operator")),
            }
        }
        match toks.get(i) {
            None => return Ok(()),
            Some(Tok::Comma) => i += 1,
            other => return err(format!("found {other:?}, expected ','")),
        }
    }
}

fn name_part_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

fn valid_key(k: &str) -> Result<(), String> {
    let (prefix, name) = match k.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, k),
    };
    if let Some(p) = prefix {
        let ok = !p.is_empty()
            && p.len() <= 253
            && p.split('.').all(|l| {
                !l.is_empty()
                    && l.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            });
        if !ok {
            return Err(format!("key {k:?}: prefix must be a DNS subdomain"));
        }
    }
    if !name_part_ok(name) {
        return Err(format!(
            "key {k:?}: name part must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character"
        ));
    }
    Ok(())
}

fn valid_value(v: &str) -> Result<(), String> {
    if v.is_empty() || name_part_ok(v) {
        Ok(())
    } else {
        Err(format!(
            "value {v:?}: must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_selectors() {
        assert!(parse_field_selector("metadata.status=Running").is_ok());
        assert!(parse_field_selector("a==b,c!=d").is_ok());
        assert!(parse_field_selector("").is_ok());
        let e = parse_field_selector("metadata.status-Running").expect_err("bad");
        assert!(e.contains("can't understand 'metadata.status-Running'"), "{e}");
    }

    #[test]
    fn label_selectors() {
        for ok in [
            "foo=bar",
            "foo",
            "!foo",
            "a in (x, y)",
            "a notin (x)",
            "a>3",
            "app.kubernetes.io/name=x,b!=c",
            "a=",
        ] {
            assert!(parse_label_selector(ok).is_ok(), "{ok}");
        }
        for bad in ["foo=bar baz", "=x", "a in x", "a>b", "-a=b", "a=b,", "a=-b"] {
            assert!(parse_label_selector(bad).is_err(), "{bad}");
        }
    }
}
