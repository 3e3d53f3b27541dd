//! The HTML report in a real headless browser (Debian's `chromium`): a screenshot that is
//! not empty, no console message (the page has no script, so any is an error: a blocked
//! resource, a parse error), and the numbers the charts are drawn from equal the JSON.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::require_tool;

/// Run headless Chromium on `page` with `args`; returns (stdout, stderr).
fn chromium(page: &Path, profile: &Path, args: &[&str]) -> (String, String) {
    let chromium = require_tool("chromium");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg("--enable-logging=stderr")
        .arg("--v=0")
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The console messages Chromium logged for the page.
fn console_lines(stderr: &str) -> Vec<String> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).map(str::to_string).collect()
}

/// Screenshot: a PNG of the requested size with more than one colour's worth of bytes.
fn screenshot(page: &Path, profile: &Path, png: &Path) -> Vec<String> {
    let (_, err) = chromium(
        page,
        profile,
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=900,1400",
            "--hide-scrollbars",
        ],
    );
    let bytes = std::fs::read(png).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    console_lines(&err)
}

/// Every `name="value"` attribute pair in the dumped DOM of elements that have `key`.
fn attrs(dom: &str, key: &str, names: &[&str]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for tag in dom.split('<').filter(|t| t.contains(&format!("{key}=\""))) {
        let get = |n: &str| {
            let pat = format!(" {n}=\"");
            tag.find(&pat).map(|i| {
                let rest = &tag[i + pat.len()..];
                rest[..rest.find('"').unwrap_or(rest.len())].to_string()
            })
        };
        out.push(names.iter().map(|n| get(n).unwrap_or_default()).collect());
    }
    out
}

fn f(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// Equal to 12 significant digits: the HTML and the JSON come from two runs, and
/// Prometheus may sum the same series in another order (the last bit differs).
fn same(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0), "{what}: page {a}, JSON {b}");
}

pub fn check_page(page: &Path, json: &Value) {
    let profile = tempfile::tempdir().expect("profile");
    let png = page.with_extension("png");
    let console = screenshot(page, profile.path(), &png);
    assert!(console.is_empty(), "console messages: {console:?}");
    let size = std::fs::metadata(&png).expect("png").len();
    assert!(size > 20_000, "the screenshot is suspiciously small ({size} bytes): an empty page?");
    if let Ok(dest) = std::env::var("STELLAR_OBS_SLO_SCREENSHOT") {
        std::fs::copy(&png, PathBuf::from(dest)).expect("copy screenshot");
    }

    let (dom, _) = chromium(page, profile.path(), &["--dump-dom"]);
    let s = &json["slos"][0];
    // The figures table.
    let fields = attrs(&dom, "data-field", &["data-field", "data-value"]);
    let field = |name: &str| {
        fields
            .iter()
            .find(|v| v[0] == name)
            .map(|v| v[1].clone())
            .unwrap_or_else(|| panic!("no {name} in the page"))
    };
    same(f(&field("sli")), s["sli"].as_f64().expect("sli"), "SLI");
    same(
        f(&field("error_budget_remaining")),
        s["error_budget_remaining"].as_f64().expect("remaining"),
        "budget left",
    );
    same(f(&field("burn_rate.1h")), s["burn_rate"]["1h"].as_f64().expect("burn"), "burn 1h");
    // The daily bars: one per day, each the JSON's SLI of that date.
    let bars = attrs(&dom, "data-sli", &["data-date", "data-sli"]);
    let daily = s["daily"].as_array().expect("daily");
    assert_eq!(bars.len(), daily.len(), "one bar per day");
    for (b, d) in bars.iter().zip(daily) {
        assert_eq!(b[0], d["date"].as_str().expect("date"));
        same(f(&b[1]), d["sli"].as_f64().expect("daily sli"), &format!("bar of {}", b[0]));
    }
    // The burn-down ends at the budget left over the period (weighted days vs the
    // period's own ratio: equal here, the traffic is constant).
    let burn = attrs(&dom, "data-remaining", &["data-date", "data-remaining"]);
    assert_eq!(burn.len(), daily.len());
    let last = f(&burn.last().expect("points")[1]);
    assert!(
        (last - s["error_budget_remaining"].as_f64().expect("r")).abs() < 1e-3,
        "burn-down ends at {last}"
    );
    let first = f(&burn[0][1]);
    assert!(first > 0.95 && first < 1.0, "one normal day spends 1/60 of the budget: {first}");

    // The oracle fails on a page with console errors.
    let bad = page.with_file_name("broken.html");
    std::fs::write(&bad, "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom'); undefinedFunction();</script></body></html>").expect("write");
    let console = screenshot(&bad, profile.path(), &page.with_file_name("broken.png"));
    assert!(
        console.iter().any(|l| l.contains("boom")),
        "the console check must see errors: {console:?}"
    );
}
