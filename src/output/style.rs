//! Colour, only when the stream is a terminal and NO_COLOR is not set.

/// Paints text with ANSI colours when enabled, returns it unchanged otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub struct Paint {
    /// Colour on stdout.
    pub enabled: bool,
    /// Colour on stderr.
    pub stderr_enabled: bool,
}

fn wrap(on: bool, code: &str, s: &str) -> String {
    if on { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
}

impl Paint {
    pub fn red(&self, s: &str) -> String {
        wrap(self.enabled, "31", s)
    }
    pub fn green(&self, s: &str) -> String {
        wrap(self.enabled, "32", s)
    }
    pub fn yellow(&self, s: &str) -> String {
        wrap(self.enabled, "33", s)
    }
    pub fn blue(&self, s: &str) -> String {
        wrap(self.enabled, "34", s)
    }
    pub fn bold(&self, s: &str) -> String {
        wrap(self.enabled, "1", s)
    }
    pub fn dim(&self, s: &str) -> String {
        wrap(self.enabled, "2", s)
    }
    pub fn err_red(&self, s: &str) -> String {
        wrap(self.stderr_enabled, "1;31", s)
    }
    pub fn err_yellow(&self, s: &str) -> String {
        wrap(self.stderr_enabled, "1;33", s)
    }
    pub fn err_dim(&self, s: &str) -> String {
        wrap(self.stderr_enabled, "2", s)
    }

    /// Colour a status word by what it means (healthy/running green, degraded yellow, ...).
    pub fn status(&self, s: &str) -> String {
        match s {
            "healthy" | "running" | "ok" | "created" | "updated" | "unchanged" | "intact" => {
                self.green(s)
            }
            "degraded" | "starting" | "restarting" | "skipped" | "warning" | "paused" => {
                self.yellow(s)
            }
            "unhealthy" | "failed" | "exited" | "dead" | "missing" | "error" | "removing" => {
                self.red(s)
            }
            _ => s.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_means_plain() {
        let p = Paint::default();
        assert_eq!(p.red("x"), "x");
        assert_eq!(p.status("healthy"), "healthy");
    }

    #[test]
    fn on_means_ansi() {
        let p = Paint { enabled: true, stderr_enabled: false };
        assert_eq!(p.green("ok"), "\x1b[32mok\x1b[0m");
        assert_eq!(p.err_red("e"), "e");
    }
}
