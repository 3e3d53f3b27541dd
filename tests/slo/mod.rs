//! `stellar-obs slo`: generation (Sloth conformance, the stack's own SLOs) and the report
//! against a real Prometheus on backfilled data, opened in a real headless Chromium.

mod browser;
mod conformance;
mod report;
