//! `tracing:` — the OTLP exporter of Prometheus' own traces.

use crate::yaml::Node;

use super::code;
use super::cx::Cx;
use super::http_client;
use super::remote;

pub fn check_tracing(cx: &mut Cx<'_>, node: &Node, key: crate::yaml::Pos) {
    let Some(f) = cx.map(
        node,
        "tracing",
        &[
            "client_type",
            "endpoint",
            "sampling_fraction",
            "insecure",
            "tls_config",
            "headers",
            "compression",
            "timeout",
        ],
    ) else {
        return;
    };
    if let Some(t) = cx.str(&f, "client_type")
        && t.v != "http"
        && t.v != "grpc"
    {
        cx.err(
            t.pos,
            code::TRACING,
            format!("expected tracing client type to be to be http or grpc, but got {}", t.v),
        );
    }
    remote::check_headers(cx, &f, true);
    if cx.set_str(&f, "endpoint").is_none() {
        cx.err_help(
            f.key_pos("endpoint").unwrap_or(key),
            code::TRACING,
            "tracing endpoint must be set",
            "e.g. `endpoint: jaeger:4317`",
        );
    }
    if let Some(c) = cx.str(&f, "compression")
        && !c.v.is_empty()
        && c.v != "gzip"
    {
        cx.err(
            c.pos,
            code::TRACING,
            format!("invalid compression type {} provided, valid options: gzip", c.v),
        );
    }
    cx.float(&f, "sampling_fraction");
    cx.bool(&f, "insecure");
    cx.duration(&f, "timeout");
    if let Some(t) = f.get("tls_config") {
        http_client::check_tls(cx, t, "tracing tls_config");
    }
}
