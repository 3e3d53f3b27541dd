//! Counts and sizes in words, the same way in every command: "1 silence", "2 silences";
//! sizes in binary units (`B`, `KiB`, `MiB`, `GiB`, `TiB`: powers of 1024), as
//! docs/cli-contract.md states. Docker prints decimal sizes (`1.5MB`); they are parsed to
//! bytes and shown in these units too.

/// `1 file`, `0 files`, `2 files`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// [`count`] for nouns whose plural adds `s`: `count_s(1, "silence")` is `1 silence`.
pub fn count_s(n: u64, one: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") }
}

/// A count under a plural key (`silences`, `alert_rules`): `1 silence`, `3 alert rules`.
/// Keys that are not plural nouns (`active`, `pending`) are kept as they are.
pub fn count_key(n: u64, key: &str) -> String {
    let word = key.replace('_', " ");
    if n == 1 && word.ends_with('s') && !word.ends_with("ss") {
        format!("1 {}", &word[..word.len() - 1])
    } else {
        format!("{n} {word}")
    }
}

/// A size in binary units: `0 B`, `300 B`, `2 KiB`, `1.5 MiB`, `16 MiB`, `9.3 GiB`.
/// One decimal, dropped when it is zero.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1024.0 && i < UNITS.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    format!("{s} {}", UNITS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_everything_else_plural() {
        assert_eq!(count_s(1, "silence"), "1 silence");
        assert_eq!(count_s(0, "silence"), "0 silences");
        assert_eq!(count_s(2, "silence"), "2 silences");
        assert_eq!(count(1, "entry", "entries"), "1 entry");
        assert_eq!(count(3, "entry", "entries"), "3 entries");
        assert_eq!(count_key(1, "silences"), "1 silence");
        assert_eq!(count_key(1, "alert_rules"), "1 alert rule");
        assert_eq!(count_key(4, "alert_rules"), "4 alert rules");
        assert_eq!(count_key(1, "active"), "1 active");
    }

    #[test]
    fn sizes_are_binary_units() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(300), "300 B");
        assert_eq!(size(1023), "1023 B");
        assert_eq!(size(2048), "2 KiB");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(16 << 20), "16 MiB");
        assert_eq!(size(1_500_000), "1.4 MiB");
        assert_eq!(size(10_000_000_000), "9.3 GiB");
    }
}
