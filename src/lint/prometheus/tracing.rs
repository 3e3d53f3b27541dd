//! `tracing:` — the OTLP exporter of Prometheus' own traces (`lint::http_config`, shared with
//! Alertmanager), with Prometheus' header rules.

use crate::lint::http_config;
use crate::yaml::{Node, Pos};

use super::code;
use super::cx::Cx;
use super::remote;

pub fn check_tracing(cx: &mut Cx<'_>, node: &Node, key: Pos) {
    let Some((f, tls)) = http_config::check_tracing(&mut cx.ctx(), node, key, code::TRACING) else {
        return;
    };
    cx.http_files(&tls.files, super::cx::Required::Nothing);
    remote::check_headers(cx, &f, true);
}
