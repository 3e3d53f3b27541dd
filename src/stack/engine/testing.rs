//! Canned answers for unit tests.
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::*;
/// Answers by the first rule whose needle is contained in `program args...`; records calls.
#[derive(Default)]
pub struct FakeRunner {
    pub rules: Vec<(String, std::io::Result<Output>)>,
    pub calls: Mutex<Vec<String>>,
}

impl FakeRunner {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn on(mut self, needle: &str, out: Output) -> Self {
        self.rules.push((needle.to_string(), Ok(out)));
        self
    }

    pub fn missing(mut self, needle: &str) -> Self {
        self.rules.push((
            needle.to_string(),
            Err(std::io::Error::new(std::io::ErrorKind::NotFound, "not found")),
        ));
        self
    }

    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn answer(&self, program: &str, args: &[String]) -> std::io::Result<Output> {
        let line = format!("{program} {}", args.join(" "));
        if let Ok(mut c) = self.calls.lock() {
            c.push(line.clone());
        }
        for (needle, out) in &self.rules {
            if line.contains(needle.as_str()) {
                return match out {
                    Ok(o) => Ok(o.clone()),
                    Err(e) => Err(std::io::Error::new(e.kind(), e.to_string())),
                };
            }
        }
        Ok(Output::fail(127, format!("FakeRunner: no rule for `{line}`")))
    }
}

impl Runner for FakeRunner {
    fn run(&self, program: &str, args: &[String]) -> std::io::Result<Output> {
        self.answer(program, args)
    }

    fn passthrough(&self, program: &str, args: &[String]) -> std::io::Result<Option<i32>> {
        self.answer(program, args).map(|o| o.code)
    }
}

pub fn docker_v2() -> Engine {
    Engine { kind: EngineKind::DockerPlugin, version: "2.40.3".into() }
}

pub fn compose_with(runner: FakeRunner) -> (Compose, Arc<FakeRunner>) {
    let r = Arc::new(runner);
    let c = Compose::new(
        docker_v2(),
        "stellar-obs",
        PathBuf::from("/s/docker-compose.observability.yml"),
        Some(PathBuf::from("/s/.env")),
        r.clone(),
    );
    (c, r)
}
