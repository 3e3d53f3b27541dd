//! `storage:` — TSDB runtime settings (out-of-order window, retention, chunk encoding)
//! and the exemplar store.

use crate::yaml::Node;

use super::code;
use super::cx::Cx;

pub fn check_storage(cx: &mut Cx<'_>, node: &Node) {
    let Some(f) = cx.map(node, "storage", &["tsdb", "exemplars"]) else { return };
    if let Some(n) = f.get("tsdb")
        && let Some(t) = cx.map(
            n,
            "storage.tsdb",
            &[
                "out_of_order_time_window",
                "stale_series_compaction_threshold",
                "chunk_encoding",
                "retention",
            ],
        )
    {
        cx.duration(&t, "out_of_order_time_window");
        cx.float(&t, "stale_series_compaction_threshold");
        if let Some(c) = t.get("chunk_encoding")
            && let Some(ce) = cx.map(c, "storage.tsdb.chunk_encoding", &["floats"])
            && let Some(fl) = cx.str(&ce, "floats")
            && !["", "xor", "xor2"].contains(&fl.v)
        {
            cx.err_help(
                fl.pos,
                code::STORAGE,
                format!(
                    "'storage.tsdb.chunk_encoding.floats' must be 'xor' or 'xor2', or the field must be omitted entirely, got {:?}",
                    fl.v
                ),
                "values are lower-case: `xor` or `xor2`",
            );
        }
        if let Some(r) = t.get("retention")
            && let Some(ret) = cx.map(r, "storage.tsdb.retention", &["time", "size", "percentage"])
        {
            cx.duration(&ret, "time");
            if let Some(s) = cx.size(&ret, "size")
                && s.v < 0
            {
                cx.err(
                    s.pos,
                    code::STORAGE,
                    format!(
                        "'storage.tsdb.retention.size' must be greater than or equal to 0, got {}",
                        s.v
                    ),
                );
            }
            if let Some(p) = cx.float(&ret, "percentage")
                && !(0.0..=100.0).contains(&p.v)
            {
                cx.err(
                    p.pos,
                    code::STORAGE,
                    format!(
                        "'storage.tsdb.retention.percentage' must be in the range [0, 100], got {}",
                        p.v
                    ),
                );
            }
        }
    }
    if let Some(n) = f.get("exemplars")
        && let Some(e) = cx.map(n, "storage.exemplars", &["max_exemplars"])
    {
        cx.int(&e, "max_exemplars");
    }
}
