//! Signed archives: `backup --sign KEY` adds `manifest.sig`, an HMAC-SHA256 of the
//! manifest's exact bytes, as the second member; `backup verify --verify-key KEY` and
//! `restore --verify-key KEY` refuse an archive without it or whose MAC does not match. The
//! manifest holds the size and sha256 of every other member and verification refuses any
//! member it does not list, so the MAC covers the whole archive.
//!
//! `KEY` is a file (`/etc/stellar-obs/backup.key`, not readable by other users) or `env:NAME`
//! (the key is the value of the environment variable NAME): the key itself never goes on
//! the command line.

use std::path::Path;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

/// The signature member's name (always the second member when present).
pub const SIG_NAME: &str = "manifest.sig";
/// The only algorithm.
pub const ALGORITHM: &str = "hmac-sha256";
/// Keys shorter than this are refused (16 bytes: 128 bits when random).
pub const MIN_KEY_BYTES: usize = 16;
/// Key files larger than this are refused.
pub const MAX_KEY_BYTES: usize = 4096;
/// A signature member larger than this is refused.
pub const MAX_SIG_BYTES: u64 = 4096;

/// A signing key. Its bytes are never printed.
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({} bytes)", self.0.len())
    }
}

impl Key {
    /// Read the key named by `spec`: `env:NAME` or a file path. One trailing newline
    /// (`\n` or `\r\n`) is not part of the key, so `openssl rand -hex 32 > key` works.
    pub fn load(spec: &str) -> Result<Key> {
        let mut bytes = match spec.strip_prefix("env:") {
            Some(name) => {
                let v = std::env::var_os(name).with_context(|| {
                    format!("the key variable {name} is not set (--sign/--verify-key env:{name})")
                })?;
                v.into_encoded_bytes()
            }
            None => {
                let path = Path::new(spec);
                check_private(path)?;
                crate::fsutil::read_capped(path, MAX_KEY_BYTES)
                    .with_context(|| format!("cannot read the key file {}", path.display()))?
            }
        };
        if bytes.ends_with(b"\r\n") {
            bytes.truncate(bytes.len() - 2);
        } else if bytes.ends_with(b"\n") {
            bytes.truncate(bytes.len() - 1);
        }
        if bytes.len() < MIN_KEY_BYTES {
            bail!(
                "the key from {spec} is {} bytes: at least {MIN_KEY_BYTES} are needed (e.g. `openssl rand -hex 32`)",
                bytes.len()
            );
        }
        Ok(Key(bytes))
    }

    #[cfg(test)]
    pub fn from_bytes(b: &[u8]) -> Key {
        Key(b.to_vec())
    }

    /// HMAC-SHA256 of `data` (RFC 2104), lowercase hex.
    pub fn mac(&self, data: &[u8]) -> String {
        const BLOCK: usize = 64;
        let mut k = [0u8; BLOCK];
        if self.0.len() > BLOCK {
            k[..32].copy_from_slice(&Sha256::digest(&self.0));
        } else {
            k[..self.0.len()].copy_from_slice(&self.0);
        }
        let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
        let mut inner = Sha256::new();
        inner.update(pad(0x36));
        inner.update(data);
        let mut outer = Sha256::new();
        outer.update(pad(0x5c));
        outer.update(inner.finalize());
        hex::encode(outer.finalize())
    }

    /// The content of the signature member for these manifest bytes.
    pub fn signature(&self, manifest: &[u8]) -> Vec<u8> {
        let v = serde_json::json!({"algorithm": ALGORITHM, "mac": self.mac(manifest)});
        let mut out = serde_json::to_vec(&v).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Check a signature member against the manifest bytes; the error says why not.
    pub fn check(&self, manifest: &[u8], sig: Option<&[u8]>) -> std::result::Result<(), String> {
        let Some(sig) = sig else {
            return Err(format!(
                "the archive is not signed (no {SIG_NAME}): refused because --verify-key was given"
            ));
        };
        let v: serde_json::Value = serde_json::from_slice(sig)
            .map_err(|_| format!("{SIG_NAME} does not parse: refused"))?;
        if v.get("algorithm").and_then(|a| a.as_str()) != Some(ALGORITHM) {
            return Err(format!("{SIG_NAME} is not an {ALGORITHM} signature: refused"));
        }
        let got = v.get("mac").and_then(|m| m.as_str()).unwrap_or_default();
        if !same(got.as_bytes(), self.mac(manifest).as_bytes()) {
            return Err(format!(
                "{SIG_NAME} does not match the key: the archive was not signed with this key, or its manifest was altered: refused"
            ));
        }
        Ok(())
    }
}

/// Comparison in time independent of where the inputs differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A key file must not be readable by other users.
fn check_private(path: &Path) -> Result<()> {
    let m = std::fs::metadata(path)
        .with_context(|| format!("cannot read the key file {}", path.display()))?;
    if !m.is_file() {
        bail!("the key file {} is not a regular file", path.display());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if m.permissions().mode() & 0o077 != 0 {
            bail!(
                "the key file {} can be read by other users (mode {:o}); chmod 600 it",
                path.display(),
                m.permissions().mode() & 0o777
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 (a key shorter than the block).
        let k = Key(b"Jefe".to_vec());
        assert_eq!(
            k.mac(b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6 (a key longer than the block: hashed first).
        let k = Key(vec![0xaa; 131]);
        assert_eq!(
            k.mac(b"Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn signatures_check_and_refuse() {
        let k = Key::from_bytes(b"0123456789abcdef0123");
        let m = b"{\"format\":\"stellar-obs-backup\"}\n";
        let sig = k.signature(m);
        assert_eq!(k.check(m, Some(&sig)), Ok(()));
        assert!(k.check(m, None).expect_err("unsigned").contains("not signed"));
        let other = Key::from_bytes(b"another key of enough length");
        assert!(other.check(m, Some(&sig)).expect_err("key").contains("does not match"));
        assert!(k.check(b"{}", Some(&sig)).expect_err("altered").contains("does not match"));
        assert!(k.check(m, Some(b"junk")).expect_err("junk").contains("does not parse"));
    }

    #[test]
    fn keys_come_from_private_files_or_the_environment() {
        let d = tempfile::tempdir().expect("tmp");
        let p = d.path().join("key");
        std::fs::write(&p, "0123456789abcdef0123456789abcdef\n").expect("w");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            let e = Key::load(&p.display().to_string()).expect_err("readable");
            assert!(e.to_string().contains("chmod 600"), "{e}");
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        let k = Key::load(&p.display().to_string()).expect("file key");
        assert_eq!(k.0, b"0123456789abcdef0123456789abcdef", "the newline is not part of it");
        std::fs::write(&p, "short").expect("w");
        assert!(
            Key::load(&p.display().to_string())
                .expect_err("short")
                .to_string()
                .contains("at least 16")
        );
        let e = Key::load("env:STELLAR_OBS_TEST_KEY_THAT_IS_NOT_SET").expect_err("unset");
        assert!(e.to_string().contains("is not set"), "{e}");
        assert_eq!(format!("{k:?}"), "Key(32 bytes)", "the key is never printed");
    }
}
