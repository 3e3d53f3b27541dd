//! `otlp:` — how the OTLP receiver translates metric names and resource attributes.

use crate::yaml::Node;

use super::code;
use super::cx::{Cx, Sp};
use super::values::NameScheme;

pub fn check_otlp(cx: &mut Cx<'_>, node: &Node) {
    let Some(f) = cx.map(
        node,
        "otlp",
        &[
            "promote_all_resource_attributes",
            "promote_resource_attributes",
            "ignore_resource_attributes",
            "translation_strategy",
            "keep_identifying_resource_attributes",
            "convert_histograms_to_nhcb",
            "promote_scope_metadata",
            "label_name_underscore_sanitization",
            "label_name_preserve_multiple_underscores",
        ],
    ) else {
        return;
    };
    let promote_all = cx.bool(&f, "promote_all_resource_attributes").filter(|b| b.v);
    let promote = cx.strs(&f, "promote_resource_attributes");
    let ignore = cx.strs(&f, "ignore_resource_attributes");
    for b in [
        "keep_identifying_resource_attributes",
        "convert_histograms_to_nhcb",
        "promote_scope_metadata",
        "label_name_underscore_sanitization",
        "label_name_preserve_multiple_underscores",
    ] {
        cx.bool(&f, b);
    }
    match promote_all {
        Some(all) => {
            if let Some(p) = promote.as_ref().filter(|p| !p.v.is_empty()) {
                cx.err(
                    all.key.max(p.key),
                    code::OTLP,
                    "'promote_all_resource_attributes' and 'promote_resource_attributes' cannot be configured simultaneously",
                );
            }
            if let Some(i) = &ignore {
                sanitize(cx, &i.v, "ignored", "ignore_resource_attributes");
            }
        }
        None => {
            if let Some(i) = ignore.as_ref().filter(|i| !i.v.is_empty()) {
                cx.err_help(
                    i.key,
                    code::OTLP,
                    "'ignore_resource_attributes' cannot be configured unless 'promote_all_resource_attributes' is true",
                    "set `promote_all_resource_attributes: true` or list the attributes to keep in `promote_resource_attributes`",
                );
            }
            if let Some(p) = &promote {
                sanitize(cx, &p.v, "promoted", "promote_resource_attributes");
            }
        }
    }
    if let Some(t) = cx.str(&f, "translation_strategy") {
        match t.v {
            "" | "UnderscoreEscapingWithSuffixes" | "UnderscoreEscapingWithoutSuffixes" => {}
            "NoTranslation" | "NoUTF8EscapingWithSuffixes" => {
                if cx.scheme == NameScheme::Legacy {
                    cx.err(
                        t.pos,
                        code::OTLP,
                        format!("OTLP translation strategy {:?} is not allowed when UTF8 is disabled", t.v),
                    );
                }
            }
            other => cx.err_help(
                t.pos,
                code::OTLP,
                format!("unsupported OTLP translation strategy {other:?}"),
                "one of UnderscoreEscapingWithSuffixes, UnderscoreEscapingWithoutSuffixes, NoUTF8EscapingWithSuffixes, NoTranslation",
            ),
        }
    }
}

fn sanitize(cx: &mut Cx<'_>, attrs: &[Sp<&str>], adjective: &str, field: &str) {
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for a in attrs {
        let t = a.v.trim();
        if t.is_empty() {
            cx.err(
                a.pos,
                code::OTLP,
                format!("invalid '{field}': empty {adjective} OTel resource attribute"),
            );
        } else if !seen.insert(t) {
            cx.err(
                a.pos,
                code::OTLP,
                format!("invalid '{field}': duplicated {adjective} OTel resource attribute {t:?}"),
            );
        }
    }
}
