//! The `tracing` and `event_recorder` sections.

use super::{Checker, codes};
use crate::yaml::{Node, Pos};

impl Checker<'_, '_> {
    /// `tracing:` (`lint::http_config::check_tracing`, shared with Prometheus); its
    /// `headers` are a `Headers` block (values / secrets / files per header).
    pub(super) fn tracing(&mut self, node: &Node, key: Pos) {
        let Some((f, tls)) =
            crate::lint::http_config::check_tracing(&mut self.ctx, node, key, codes::TRACING)
        else {
            return;
        };
        self.http_facts(&tls, "tracing: tls_config");
        if let Some(h) = f.get("headers")
            && let Some(m) = self.ctx.free_map(h, "tracing: headers")
        {
            for (k, v) in m {
                let hw = format!("tracing: headers.{}", k.name);
                if let Some(hf) = self.ctx.map(v, &hw, &["values", "secrets", "files"]) {
                    for key in ["values", "secrets", "files"] {
                        if let Some(n) = hf.get(key) {
                            self.ctx.strings(n, &format!("{hw}: {key}"));
                        }
                    }
                }
            }
        }
    }

    pub(super) fn event_recorder(&mut self, node: &Node) {
        let Some(f) = self.ctx.map(
            node,
            "event_recorder",
            &["file_outputs", "webhook_outputs", "kafka_outputs", "stdout_outputs"],
        ) else {
            return;
        };
        if let Some(n) = f.get("file_outputs")
            && let Some(items) = self.ctx.list(n, "event_recorder: file_outputs")
        {
            for (i, it) in items.iter().enumerate() {
                let w = format!("event_recorder: file_outputs[{i}]");
                let Some(of) = self.ctx.map(it, &w, &["path"]) else {
                    continue;
                };
                match self.str_of(&of, "path", &w) {
                    Some((s, _)) if !s.is_empty() => {}
                    _ => self.ctx.error(
                        of.pos(),
                        codes::EVENT_RECORDER,
                        "event_recorder file output requires a path",
                    ),
                }
            }
        }
        if let Some(n) = f.get("webhook_outputs")
            && let Some(items) = self.ctx.list(n, "event_recorder: webhook_outputs")
        {
            for (i, it) in items.iter().enumerate() {
                self.event_webhook(it, &format!("event_recorder: webhook_outputs[{i}]"));
            }
        }
        if let Some(n) = f.get("kafka_outputs")
            && let Some(items) = self.ctx.list(n, "event_recorder: kafka_outputs")
        {
            for (i, it) in items.iter().enumerate() {
                self.event_kafka(it, &format!("event_recorder: kafka_outputs[{i}]"));
            }
        }
        if let Some(n) = f.get("stdout_outputs")
            && let Some(items) = self.ctx.list(n, "event_recorder: stdout_outputs")
        {
            for (i, it) in items.iter().enumerate() {
                self.ctx.map(it, &format!("event_recorder: stdout_outputs[{i}]"), &[]);
            }
        }
    }

    fn event_webhook(&mut self, node: &Node, w: &str) {
        let Some(f) = self.ctx.map(
            node,
            w,
            &[
                "url",
                "http_config",
                "timeout",
                "workers",
                "max_retries",
                "retry_backoff",
                "batch",
                "batch_max_events",
                "batch_max_bytes",
                "batch_flush_interval",
            ],
        ) else {
            return;
        };
        if !self.secret_url_of(&f, "url", None, w) {
            self.ctx.error(
                f.pos(),
                codes::EVENT_RECORDER,
                "event_recorder webhook output requires a url",
            );
        }
        self.http_of(&f, w);
        self.prom_duration_of(&f, "timeout", w);
        self.prom_duration_of(&f, "retry_backoff", w);
        self.int_of(&f, "workers", w, i64::MIN, i64::MAX);
        self.int_of(&f, "max_retries", w, i64::MIN, i64::MAX);
        let batch = self.bool_of(&f, "batch", w).unwrap_or(false);
        let events = self.int_of(&f, "batch_max_events", w, i64::MIN, i64::MAX).unwrap_or(0);
        let bytes = self.int_of(&f, "batch_max_bytes", w, i64::MIN, i64::MAX).unwrap_or(0);
        let flush = self.prom_duration_of(&f, "batch_flush_interval", w).map_or(0, |(d, _)| d);
        if events < 0 || bytes < 0 {
            self.ctx.error(
                f.pos(),
                codes::EVENT_RECORDER,
                "event_recorder webhook batch settings cannot be negative",
            );
        }
        if !batch && (events != 0 || bytes != 0 || flush != 0) {
            self.ctx.error(
                f.pos(),
                codes::EVENT_RECORDER,
                "event_recorder webhook batch settings require batch: true",
            );
        }
    }

    fn event_kafka(&mut self, node: &Node, w: &str) {
        let Some(f) = self.ctx.map(
            node,
            w,
            &[
                "brokers",
                "topic",
                "client_id",
                "format",
                "acks",
                "compression",
                "buffer_size",
                "tls_config",
            ],
        ) else {
            return;
        };
        let brokers = f.get("brokers").and_then(|n| self.ctx.strings(n, &format!("{w}: brokers")));
        match brokers {
            Some(b) if b.is_empty() => self.ctx.error(
                f.pos(),
                codes::EVENT_RECORDER,
                "event_recorder kafka: at least one broker is required",
            ),
            None if f.get("brokers").is_none() => {
                self.ctx.error(
                    f.pos(),
                    codes::EVENT_RECORDER,
                    "event_recorder kafka: at least one broker is required",
                );
            }
            Some(b) => {
                for (s, p) in b {
                    if s.is_empty() {
                        self.ctx.error(
                            p,
                            codes::EVENT_RECORDER,
                            "event_recorder kafka: broker entries must be non-empty",
                        );
                    }
                }
            }
            None => {}
        }
        for (k, allowed) in [
            ("acks", &["", "none", "leader", "all"][..]),
            ("compression", &["", "none", "gzip", "snappy", "lz4", "zstd"][..]),
            ("format", &["", "json", "protobuf"][..]),
        ] {
            if let Some(n) = f.get(k) {
                self.ctx.one_of(n, &format!("{w}: {k}"), allowed);
            }
        }
        match self.str_of(&f, "topic", w) {
            Some((s, _)) if !s.is_empty() => {}
            _ => self.ctx.error(
                f.pos(),
                codes::EVENT_RECORDER,
                "event_recorder kafka output requires a topic",
            ),
        }
        self.str_of(&f, "client_id", w);
        self.int_of(&f, "buffer_size", w, i64::MIN, i64::MAX);
        if let Some(t) = f.get("tls_config") {
            let facts =
                crate::lint::http_config::check_tls(&mut self.ctx, t, &format!("{w}: tls_config"));
            self.http_facts(&facts, &format!("{w}: tls_config"));
        }
    }
}
