//! `stellar-obs slo`: generation (Sloth conformance, the stack's own SLOs) and the report
//! against a real Prometheus on backfilled data, opened in a real headless Chromium.

mod bad_input;
mod browser;
mod conformance;
mod report;
