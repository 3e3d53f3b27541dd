//! The checking context of one Prometheus file and typed field readers with Go's
//! decoding rules (`yaml.v2` into the loader's structs): absent and null fields are the
//! zero value; any scalar reads as a string; type mismatches are reported at the value.

use std::path::Path;

use crate::lint::Options;
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::http_config::{self, FileRef, HttpFacts};
use crate::lint::schema::{self, Ctx, Fields, IntRule};
pub use crate::lint::schema::{Sp, latest};
use crate::yaml::{Key, Node, Pos, Value};

use super::code;
use super::target_group::FileSdCache;
use super::values::{self, GoUrl, NameScheme};

/// Where findings of one file go, and what relative paths in it mean.
pub struct Cx<'a> {
    /// The file as shown to the user.
    pub path: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
    /// The directory relative file references resolve against.
    pub base: &'a Path,
    pub opts: &'a Options,
    /// The global `metric_name_validation_scheme`.
    pub scheme: NameScheme,
    /// The file_sd files read so far (shared by the jobs that name them), by path.
    pub file_sd: &'a FileSdCache,
}

impl<'a> Cx<'a> {
    /// The context of another file this one leads to (a file_sd or scrape config file):
    /// its own path and base directory, the same options and name scheme.
    pub fn for_file<'b>(&'b mut self, path: &'b str, base: &'b Path) -> Cx<'b> {
        Cx {
            path,
            diags: &mut *self.diags,
            base,
            opts: self.opts,
            scheme: self.scheme,
            file_sd: self.file_sd,
        }
    }

    pub fn ctx(&mut self) -> Ctx<'_> {
        Ctx::new(self.path, self.diags)
    }

    pub fn err(&mut self, pos: Pos, code: &'static str, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(self.path, pos, code, msg));
    }

    pub fn warn(&mut self, pos: Pos, code: &'static str, msg: impl Into<String>) {
        self.diags.push(Diagnostic::warning(self.path, pos, code, msg));
    }

    pub fn err_help(
        &mut self,
        pos: Pos,
        code: &'static str,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags.push(Diagnostic::error(self.path, pos, code, msg).with_help(help));
    }

    /// Whether an error was reported since `diags.len()` was `mark`.
    pub fn errors_since(&self, mark: usize) -> bool {
        self.diags.get(mark..).is_some_and(|d| d.iter().any(|d| d.severity == Severity::Error))
    }

    pub fn map<'n>(&mut self, node: &'n Node, what: &str, known: &[&str]) -> Option<Fields<'n>> {
        self.ctx().map(node, what, known)
    }

    pub fn list<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        self.ctx().list(node, what)
    }

    /// The entries of field `name` when it is a list (absent or null: `None`).
    pub fn list_field<'n>(&mut self, f: &Fields<'n>, name: &str) -> Option<&'n [Node]> {
        let n = f.get(name)?;
        self.list(n, name)
    }

    fn sp<T>(f: &Fields<'_>, name: &str, node: &Node, v: T) -> Sp<T> {
        Sp { v, pos: node.pos, key: f.key_pos(name).unwrap_or(node.pos) }
    }

    /// A string field (any scalar reads as its text). Absent or null: `None`.
    pub fn str<'n>(&mut self, f: &Fields<'n>, name: &str) -> Option<Sp<&'n str>> {
        self.ctx().str_field(f, name, "")
    }

    /// A string field that is set to something other than "" (Go's `!= ""` test).
    pub fn set_str<'n>(&mut self, f: &Fields<'n>, name: &str) -> Option<Sp<&'n str>> {
        self.str(f, name).filter(|s| !s.v.is_empty())
    }

    /// A boolean field as `yaml.v2` reads it (`yes`/`no`/`on`/`off` included).
    pub fn bool(&mut self, f: &Fields<'_>, name: &str) -> Option<Sp<bool>> {
        self.ctx().bool_field(f, name, "")
    }

    /// A Go `int`/`int64` field; floats are truncated as `yaml.v2` does.
    pub fn int(&mut self, f: &Fields<'_>, name: &str) -> Option<Sp<i64>> {
        self.ctx().int_field(f, name, "", IntRule::Truncate, (i64::MIN, i64::MAX))
    }

    /// A Go `uint`/`uint64` field: negative numbers do not decode.
    pub fn uint(&mut self, f: &Fields<'_>, name: &str) -> Option<Sp<u64>> {
        let n = f.get(name)?;
        let v = match &n.value {
            Value::Int { value, raw } if *value < 0 => {
                self.err(
                    n.pos,
                    schema::WRONG_TYPE,
                    format!("{name}: expected a non-negative integer, got `{raw}`"),
                );
                return None;
            }
            Value::Float { value, .. } if value.is_finite() && *value >= 0.0 => Some(*value as i64),
            _ => self.ctx().int(n, name, 0, i64::MAX),
        }?;
        Some(Self::sp(f, name, n, v as u64))
    }

    pub fn float(&mut self, f: &Fields<'_>, name: &str) -> Option<Sp<f64>> {
        let n = f.get(name)?;
        let v = self.ctx().float(n, name)?;
        Some(Self::sp(f, name, n, v))
    }

    /// A Prometheus duration in milliseconds.
    pub fn duration(&mut self, f: &Fields<'_>, name: &str) -> Option<Sp<u64>> {
        let n = f.get(name)?;
        let v = self.ctx().duration(n, name)?;
        Some(Self::sp(f, name, n, v))
    }

    /// A base-2 byte size (`units.Base2Bytes`), possibly negative.
    pub fn size(&mut self, f: &Fields<'_>, name: &str) -> Option<Sp<i64>> {
        let n = f.get(name)?;
        let s = self.ctx().string(n, name)?;
        match values::parse_base2_bytes(s) {
            Ok(v) => Some(Self::sp(f, name, n, v)),
            Err(e) => {
                self.err_help(
                    n.pos,
                    schema::BAD_VALUE,
                    format!("{name}: {e}"),
                    "sizes need a unit: B, KB, MB, GB, TB, PB, EB (powers of 1024), e.g. 512MB",
                );
                None
            }
        }
    }

    /// A list of strings; null items are "" (Go's zero value).
    pub fn strs<'n>(&mut self, f: &Fields<'n>, name: &str) -> Option<Sp<Vec<Sp<&'n str>>>> {
        let n = f.get(name)?;
        let items = self.list(n, name)?;
        let key = f.key_pos(name).unwrap_or(n.pos);
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            if let Some(s) = self.ctx().string(it, name) {
                out.push(Sp { v: s, pos: it.pos, key });
            }
        }
        Some(Sp { v: out, pos: n.pos, key })
    }

    /// A `map[string]string` (duplicate keys reported).
    pub fn str_map<'n>(
        &mut self,
        f: &Fields<'n>,
        name: &str,
    ) -> Option<Vec<(&'n Key, Sp<&'n str>)>> {
        let n = f.get(name)?;
        self.str_map_node(n, name)
    }

    pub fn str_map_node<'n>(
        &mut self,
        n: &'n Node,
        name: &str,
    ) -> Option<Vec<(&'n Key, Sp<&'n str>)>> {
        let entries = self.ctx().free_map(n, name)?;
        let mut out = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            if let Some(s) = self.ctx().string(v, name) {
                out.push((k, Sp { v: s, pos: v.pos, key: k.pos }));
            }
        }
        Some(out)
    }

    /// A URL field (`config.URL`): `url.Parse` must accept it.
    pub fn url(&mut self, f: &Fields<'_>, name: &str) -> Option<Sp<GoUrl>> {
        let s = self.str(f, name)?;
        match values::parse_url(s.v) {
            Ok(u) => Some(s.map(|_| u)),
            Err(e) => {
                self.err(s.pos, code::URL, format!("{name}: {e}"));
                None
            }
        }
    }

    /// A referenced file, checked when files are checked (credentials, keys, certificates).
    /// Missing: an error where `promtool check config` requires the file (`required`),
    /// else a warning (Prometheus reads it only when that component runs).
    pub fn file_ref(&mut self, v: Option<Sp<&str>>, what: &str, required: bool) {
        let Some(v) = v.filter(|v| !v.v.is_empty()) else { return };
        if !self.opts.check_files {
            return;
        }
        let p = self.resolve(v.v);
        if let Err(e) = std::fs::metadata(&p) {
            let reason = if e.kind() == std::io::ErrorKind::NotFound {
                "does not exist".to_string()
            } else {
                format!("cannot be read: {e}")
            };
            let msg = format!("error checking {what} {:?}: file {reason}", v.v);
            let mut help = format!("looked for {}", p.display());
            let severity = if required {
                Severity::Error
            } else {
                help.push_str(
                    "; Prometheus reads this file only when it uses it (promtool does not require it)",
                );
                Severity::Warning
            };
            self.diags.push(
                Diagnostic::new(self.path, v.pos, severity, code::FILE_MISSING, msg)
                    .with_help(help),
            );
        }
    }

    /// The inline HTTP client settings of `f` (`lint::http_config`); `validate`: apply
    /// `HTTPClientConfig.Validate`. The files they name are checked as promtool does.
    pub fn http(&mut self, f: &Fields<'_>, validate: bool, required: Required) -> HttpFacts {
        let facts = http_config::check_fields(&mut self.ctx(), f, "", validate);
        self.http_files(&facts.files, required);
        facts
    }

    /// A `tls_config` block (validated when decoded); its files are checked, none required.
    pub fn tls(&mut self, n: &Node, what: &str) {
        let facts = http_config::check_tls(&mut self.ctx(), n, what);
        self.http_files(&facts.files, Required::Nothing);
    }

    /// The files of an HTTP client or TLS config, named in messages as promtool names them.
    pub fn http_files(&mut self, files: &[FileRef], required: Required) {
        for fr in files {
            let what = match fr.field.rsplit('.').next().unwrap_or("") {
                "ca_file" => "CA file",
                "cert_file" => "client cert file",
                "key_file" => "client key file",
                "username_file" => "basic_auth username file",
                "password_file" => "basic_auth password file",
                "client_secret_file" => "oauth2 client secret file",
                "client_certificate_key_file" => "oauth2 client certificate key file",
                "files" => "http_headers file",
                _ => "authorization credentials or bearer token file",
            };
            let at = Sp { v: fr.path.as_str(), pos: fr.pos, key: fr.pos };
            self.file_ref(Some(at), what, required.covers(&fr.field));
        }
    }

    pub fn resolve(&self, p: &str) -> std::path::PathBuf {
        let pp = Path::new(p);
        if pp.is_absolute() { pp.to_path_buf() } else { self.base.join(pp) }
    }
}

/// Which files of an HTTP client `promtool check config` requires to exist (it checks only
/// these; Prometheus reads the others when the component runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    /// A scrape config's own client: its TLS client certificate and key, its
    /// authorization credentials (a `bearer_token_file` becomes those).
    Scrape,
    /// Kubernetes service discovery's client: its TLS client certificate and key.
    KubernetesSd,
    /// Any other client (other service discoveries, remote read/write, alerting, tracing).
    Nothing,
}

impl Required {
    pub fn covers(self, field: &str) -> bool {
        let tls = matches!(field, "tls_config.cert_file" | "tls_config.key_file");
        match self {
            Required::Scrape => {
                tls || matches!(field, "bearer_token_file" | "authorization.credentials_file")
            }
            Required::KubernetesSd => tls,
            Required::Nothing => false,
        }
    }
}
