//! `-o json`: `{"diagnostics":[{path,line,column,severity,code,message[,help]}],"notes":[...],"summary":{files,errors,warnings,infos}}`.
//! Diagnostics are in path, line, column order (errors and warnings mixed, as positioned
//! tools expect); the human formats print errors first.

use super::LintReport;

pub fn render(r: &LintReport) -> serde_json::Value {
    serde_json::json!({
        "diagnostics": crate::output::to_json(&r.diagnostics),
        "notes": r.notes,
        "summary": {
            "files": r.files,
            "errors": r.errors(),
            "warnings": r.warnings(),
            "infos": r.infos(),
        },
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn shape() {
        let v = super::render(&super::super::sample());
        assert_eq!(v["summary"]["files"], 1);
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(v["summary"]["warnings"], 1);
        let d = &v["diagnostics"][1];
        for k in ["path", "line", "column", "severity", "code", "message"] {
            assert!(d.get(k).is_some(), "missing {k}");
        }
        assert_eq!(d["severity"], "error");
        assert_eq!(d["line"], 5);
        assert_eq!(d["column"], 15);
    }
}
