//! `manifest.json`, the first member of every archive: what was taken from where, and the
//! size and sha256 of every other member.

use std::collections::BTreeMap;
use std::io::Read;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's own name in the archive (always the first member).
pub const MANIFEST_NAME: &str = "manifest.json";
/// The `format` field: says the file is a stellar-obs archive.
pub const FORMAT: &str = "stellar-obs-backup";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// A manifest larger than this is refused (a damaged or hostile archive).
pub const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// The parts of the stack an archive can hold, in restore order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Configs,
    Grafana,
    Alertmanager,
    Prometheus,
}

impl Part {
    /// Restore order: configs, Grafana, Alertmanager silences, Prometheus data.
    pub const ALL: [Part; 4] = [Part::Configs, Part::Grafana, Part::Alertmanager, Part::Prometheus];

    pub fn key(self) -> &'static str {
        match self {
            Part::Configs => "configs",
            Part::Grafana => "grafana",
            Part::Alertmanager => "alertmanager",
            Part::Prometheus => "prometheus",
        }
    }

    pub fn parse(s: &str) -> Option<Part> {
        let s = s.trim().to_ascii_lowercase();
        Part::ALL.into_iter().find(|p| p.key() == s)
    }

    /// The folder of this part's members in the archive (`configs/`, ...).
    pub fn prefix(self) -> String {
        format!("{}/", self.key())
    }

    /// The part a member path belongs to, from its first path component.
    pub fn of_member(path: &str) -> Option<Part> {
        let first = path.split('/').next()?;
        Part::parse(first).filter(|p| p.key() == first)
    }
}

/// Parse `--only a,b`; empty means every part.
pub fn parse_only(only: &[String]) -> Result<Vec<Part>> {
    if only.is_empty() {
        return Ok(Part::ALL.to_vec());
    }
    let mut out = Vec::new();
    for o in only.iter().flat_map(|s| s.split(',')).filter(|s| !s.trim().is_empty()) {
        match Part::parse(o) {
            Some(p) if !out.contains(&p) => out.push(p),
            Some(_) => {}
            None => {
                let known = ["prometheus", "grafana", "alertmanager", "configs"];
                let hint = crate::suggest::did_you_mean(o.trim(), &known)
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                return Err(crate::outcome::usage(format!(
                    "--only: unknown component `{}`{hint}; use one or more of: {}",
                    o.trim(),
                    known.join(", ")
                )));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Who wrote the archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// What was taken for one part of the stack.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ComponentInfo {
    /// Whether the archive holds this part.
    pub included: bool,
    /// Why it is not included (`--only`, endpoint `off`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where it was read from (URL, directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The server's version, when it tells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How it was taken (`admin API snapshot, copied from <dir>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Counts of what was taken (`files`, `bytes`, `dashboards`, `silences`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<String, u64>,
    /// Other facts (`snapshot` name, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
    /// What the archive does not hold and why (secrets, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl ComponentInfo {
    pub fn skipped(reason: impl Into<String>) -> Self {
        ComponentInfo { included: false, reason: Some(reason.into()), ..Default::default() }
    }

    pub fn count(&mut self, key: &str, n: u64) {
        self.counts.insert(key.to_string(), n);
    }
}

/// One member of the archive (other than the manifest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Path inside the archive: relative, `/`-separated, starting with the part's folder.
    pub path: String,
    pub size: u64,
    /// Lowercase hex sha256 of the content.
    pub sha256: String,
    /// Unix permission bits (e.g. 0o644 = 420).
    #[serde(default = "default_mode")]
    pub mode: u32,
}

fn default_mode() -> u32 {
    0o644
}

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub tool: Tool,
    /// RFC 3339 UTC time the backup started.
    pub created: String,
    /// The stack directory the configs came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack_dir: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    pub components: BTreeMap<Part, ComponentInfo>,
    pub members: Vec<Member>,
}

impl Manifest {
    pub fn new(created: String) -> Self {
        Manifest {
            format: FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            tool: Tool { name: "stellar-obs".into(), version: env!("CARGO_PKG_VERSION").into() },
            created,
            stack_dir: None,
            project: None,
            components: BTreeMap::new(),
            members: Vec::new(),
        }
    }

    /// Parse and check a manifest: format, version, and every member path.
    pub fn parse(bytes: &[u8]) -> Result<Manifest> {
        let m: Manifest = match serde_json::from_slice(bytes) {
            Ok(m) => m,
            Err(e) => {
                // A JSON document of the wrong shape says more than "missing field".
                if let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes)
                    && v.get("format").and_then(|f| f.as_str()) != Some(FORMAT)
                {
                    bail!(
                        "{MANIFEST_NAME} is not a stellar-obs manifest (no \"format\": \"{FORMAT}\")"
                    );
                }
                bail!("{MANIFEST_NAME} does not parse: {e}");
            }
        };
        if m.format != FORMAT {
            bail!("{MANIFEST_NAME} is not a stellar-obs manifest (format `{}`)", m.format);
        }
        if m.format_version != FORMAT_VERSION {
            bail!(
                "{MANIFEST_NAME} has format version {}; this stellar-obs ({}) reads version {FORMAT_VERSION}",
                m.format_version,
                env!("CARGO_PKG_VERSION")
            );
        }
        let mut seen = std::collections::HashSet::new();
        for mem in &m.members {
            check_member_path(&mem.path)
                .map_err(|e| anyhow::anyhow!("{MANIFEST_NAME} lists `{}`: {e}", mem.path))?;
            if !seen.insert(mem.path.as_str()) {
                bail!("{MANIFEST_NAME} lists `{}` twice", mem.path);
            }
            if !is_sha256_hex(&mem.sha256) {
                bail!("{MANIFEST_NAME}: `{}` has no valid sha256", mem.path);
            }
            if mem.mode & !0o777 != 0 {
                bail!(
                    "{MANIFEST_NAME} gives `{}` mode {:o}: only permission bits (0777) are allowed, never setuid, setgid or sticky: refused",
                    mem.path,
                    mem.mode
                );
            }
        }
        Ok(m)
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }

    /// The members of one part.
    pub fn members_of(&self, part: Part) -> impl Iterator<Item = &Member> {
        let prefix = part.prefix();
        self.members.iter().filter(move |m| m.path.starts_with(&prefix))
    }

    /// The parts this archive holds.
    pub fn included(&self) -> Vec<Part> {
        Part::ALL
            .into_iter()
            .filter(|p| self.components.get(p).is_some_and(|c| c.included))
            .collect()
    }

    /// Total bytes of the members.
    pub fn total_bytes(&self) -> u64 {
        self.members.iter().map(|m| m.size).sum()
    }
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A member path is safe when it is relative, `/`-separated, made only of normal components
/// (no `..`, `.`, empty or absolute parts, no backslash or NUL), starts with a part's
/// folder, and is on that part's allow-list ([`super::allow`]: a path `backup` itself
/// archives, without control characters). Returns why not.
pub fn check_member_path(path: &str) -> std::result::Result<(), String> {
    if path.is_empty() {
        return Err("empty path".into());
    }
    if path.starts_with('/') {
        return Err("absolute path".into());
    }
    if path.contains('\\') || path.contains('\0') {
        return Err("backslash or NUL in path".into());
    }
    if path.len() > 4096 {
        return Err("path longer than 4096 bytes".into());
    }
    for c in path.split('/') {
        match c {
            ".." => return Err("`..` in path (would escape the target directory)".into()),
            "." | "" => return Err("`.` or empty component in path".into()),
            _ => {}
        }
    }
    if Part::of_member(path).is_none() || !path.contains('/') {
        return Err(
            "not under configs/, grafana/, alertmanager/ or prometheus/ (not a stellar-obs member)"
                .into(),
        );
    }
    match super::allow::member_refusal(path) {
        Some(why) => Err(format!("{why}: not a path stellar-obs archives")),
        None => Ok(()),
    }
}

/// Incremental sha256 + size.
#[derive(Debug, Default, Clone)]
pub struct Hasher {
    h: Sha256,
    n: u64,
}

impl Hasher {
    pub fn new() -> Self {
        Hasher::default()
    }

    pub fn update(&mut self, b: &[u8]) {
        self.h.update(b);
        self.n += b.len() as u64;
    }

    /// (size, lowercase hex sha256).
    pub fn finish(self) -> (u64, String) {
        (self.n, hex::encode(self.h.finalize()))
    }
}

/// sha256 of bytes, lowercase hex.
pub fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// Size and sha256 of everything `r` yields; `progress` gets the bytes of each read.
pub fn hash_reader(
    r: &mut dyn Read,
    buf: &mut [u8],
    progress: &dyn Fn(u64),
) -> std::io::Result<(u64, String)> {
    let mut h = Hasher::new();
    loop {
        let n = match r.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        h.update(&buf[..n]);
        progress(n as u64);
    }
    Ok(h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        let mut m = Manifest::new("2026-11-25T20:30:00Z".into());
        m.components.insert(
            Part::Configs,
            ComponentInfo { included: true, source: Some("/s".into()), ..Default::default() },
        );
        m.components.insert(Part::Grafana, ComponentInfo::skipped("not in --only"));
        m.members.push(Member {
            path: "configs/prometheus/prometheus.yml".into(),
            size: 3,
            sha256: sha256_hex(b"abc"),
            mode: 0o644,
        });
        m
    }

    #[test]
    fn round_trips() {
        let m = sample();
        let back = Manifest::parse(&m.to_json()).expect("parses");
        assert_eq!(back, m);
        assert_eq!(back.included(), vec![Part::Configs]);
        assert_eq!(back.members_of(Part::Configs).count(), 1);
        assert_eq!(back.members_of(Part::Prometheus).count(), 0);
        let v: serde_json::Value = serde_json::from_slice(&m.to_json()).expect("json");
        assert_eq!(v["components"]["grafana"]["included"], false);
        assert_eq!(v["format"], FORMAT);
    }

    #[test]
    fn refuses_wrong_documents() {
        let e = Manifest::parse(b"{\"a\":1}").expect_err("not ours");
        assert!(e.to_string().contains("not a stellar-obs manifest"), "{e}");
        let e = Manifest::parse(b"{nope").expect_err("bad json");
        assert!(e.to_string().contains("does not parse"), "{e}");
        let mut m = sample();
        m.format_version = 99;
        let e = Manifest::parse(&m.to_json()).expect_err("version");
        assert!(e.to_string().contains("format version 99"), "{e}");
        let mut m = sample();
        m.members[0].path = "configs/../../etc/passwd".into();
        let e = Manifest::parse(&m.to_json()).expect_err("traversal");
        assert!(e.to_string().contains(".."), "{e}");
        let mut m = sample();
        m.members.push(m.members[0].clone());
        assert!(Manifest::parse(&m.to_json()).expect_err("dup").to_string().contains("twice"));
        let mut m = sample();
        m.members[0].sha256 = "xyz".into();
        assert!(Manifest::parse(&m.to_json()).is_err());
    }

    #[test]
    fn refuses_modes_beyond_permission_bits() {
        for mode in [0o6777, 0o4755, 0o1777, 0o100644] {
            let mut m = sample();
            m.members[0].mode = mode;
            let e = Manifest::parse(&m.to_json()).expect_err("mode");
            assert!(e.to_string().contains(&format!("mode {mode:o}")), "{e}");
        }
        let mut m = sample();
        m.members[0].mode = 0o755;
        assert!(Manifest::parse(&m.to_json()).is_ok());
    }

    #[test]
    fn member_paths() {
        assert!(check_member_path("configs/.env").is_ok());
        assert!(check_member_path("prometheus/snapshot/01ABC/chunks/000001").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "configs/../x",
            "../configs/x",
            "configs//x",
            "configs/./x",
            "configs\\x",
            "other/x",
            "configs",
            "manifest.json",
            "configs/.git/hooks/post-checkout",
            "configs/prometheus/\u{1b}]0;x\u{7}.yml",
        ] {
            assert!(check_member_path(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn only_parsing() {
        assert_eq!(parse_only(&[]).expect("all"), Part::ALL.to_vec());
        assert_eq!(
            parse_only(&["prometheus".into(), "configs".into()]).expect("two"),
            vec![Part::Configs, Part::Prometheus]
        );
        assert!(parse_only(&["loki".into()]).expect_err("bad").to_string().contains("loki"));
    }

    #[test]
    fn hashes() {
        let mut h = Hasher::new();
        h.update(b"ab");
        h.update(b"c");
        assert_eq!(h.finish(), (3, sha256_hex(b"abc")));
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
