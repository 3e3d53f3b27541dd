//! Hand-made backup archives for the hostile-archive tests: raw ustar entries (any name,
//! type and link, no validation at all), a manifest in the tool's format, gzip. The one
//! builder of `tests/backup.rs` and `tests/backup_hardening.rs`.

use std::io::Write as _;

use serde_json::json;
use sha2::{Digest, Sha256};

/// Entry types (the ustar typeflag).
pub const FILE: u8 = b'0';
pub const HARD_LINK: u8 = b'1';
pub const SYMLINK: u8 = b'2';
pub const DEVICE: u8 = b'3';
/// The mode the tool writes for a member (0644).
pub const MODE: u32 = 0o644;

pub fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// A manifest in the tool's format for `component`, listing `members` (path, content as the
/// manifest says, mode).
pub fn manifest_for(component: &str, members: &[(&str, &[u8], u32)]) -> Vec<u8> {
    let m = json!({
        "format": "stellar-obs-backup",
        "format_version": 1,
        "tool": {"name": "stellar-obs", "version": "0.1.0"},
        "created": "2026-01-01T00:00:00Z",
        "components": {component: {"included": true}},
        "members": members.iter().map(|(p, d, mode)| json!({"path": p, "size": d.len(), "sha256": sha(d), "mode": mode})).collect::<Vec<_>>(),
    });
    serde_json::to_vec(&m).expect("json")
}

/// A tar written entry by entry, exactly as told.
#[derive(Default)]
pub struct Tar(Vec<u8>);

impl Tar {
    /// A tar that starts with a `configs` manifest listing `members`.
    pub fn with_manifest(members: &[(&str, &[u8], u32)]) -> Tar {
        Tar::default().file("manifest.json", &manifest_for("configs", members))
    }

    /// One raw ustar header + data, with any name, type and link.
    pub fn entry(mut self, name: &str, kind: u8, link: &str, data: &[u8]) -> Tar {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..108].copy_from_slice(b"0000644\0");
        h[108..116].copy_from_slice(b"0000000\0");
        h[116..124].copy_from_slice(b"0000000\0");
        h[124..136].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
        h[136..148].copy_from_slice(b"00000000000\0");
        h[148..156].copy_from_slice(b"        ");
        h[156] = kind;
        h[157..157 + link.len()].copy_from_slice(link.as_bytes());
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        let sum: u32 = h.iter().map(|b| *b as u32).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        self.0.extend_from_slice(&h);
        self.0.extend_from_slice(data);
        self.0.resize(self.0.len().div_ceil(512) * 512, 0);
        self
    }

    /// A regular file.
    pub fn file(self, name: &str, data: &[u8]) -> Tar {
        self.entry(name, FILE, "", data)
    }

    /// The tar with its end marker, gzipped: an archive's bytes.
    pub fn gz(mut self) -> Vec<u8> {
        self.0.extend_from_slice(&[0u8; 1024]);
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&self.0).expect("w");
        e.finish().expect("gz")
    }
}
