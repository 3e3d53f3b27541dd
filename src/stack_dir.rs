//! The stack directory: where it is (found from the current directory as git and Compose
//! find theirs), its default Compose project name, and what the tool remembers in it
//! (`.stellar-obs-state.json`: the services `up --services` selected, an adopted project).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// The default stack directory.
pub const DEFAULT_DIR: &str = "observability";
/// The default Compose project name before names came from the stack's place (and the
/// name of stacks that still run under it).
pub const DEFAULT_PROJECT: &str = "stellar-obs";
/// The tool's own settings file in the stack directory: also the stack's marker.
pub const SETTINGS_FILE: &str = "stellar-obs.yml";
/// What the tool remembers about a stack, in the stack directory.
pub const STATE_FILE: &str = ".stellar-obs-state.json";

/// Where the stack directory came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirSource {
    /// `--dir` or `STELLAR_OBS_DIR`.
    Flag,
    /// Found: the current directory or a parent holds `stellar-obs.yml`, or
    /// `./observability` does.
    Found,
    /// Nothing found: `./observability`, which may not exist yet.
    Default,
}

/// The stack directory for a command run in `cwd` without `--dir`: the first of `cwd` and
/// its parents that holds [`SETTINGS_FILE`], checking `cwd/observability` right after
/// `cwd` itself; else `observability` (relative, possibly missing).
pub fn discover(cwd: &Path) -> (PathBuf, DirSource) {
    if cwd.join(SETTINGS_FILE).is_file() {
        return (PathBuf::from("."), DirSource::Found);
    }
    if cwd.join(DEFAULT_DIR).join(SETTINGS_FILE).is_file() {
        return (PathBuf::from(DEFAULT_DIR), DirSource::Found);
    }
    for (up, a) in cwd.ancestors().enumerate().skip(1) {
        if a.join(SETTINGS_FILE).is_file() {
            let rel: PathBuf = std::iter::repeat_n("..", up).collect();
            return (rel, DirSource::Found);
        }
    }
    (PathBuf::from(DEFAULT_DIR), DirSource::Default)
}

/// The stack that `dir` is inside of, when `dir` itself is not one: the nearest parent
/// holding [`SETTINGS_FILE`] (so that no hint ever suggests an `init` inside a stack).
pub fn enclosing_stack(dir: &Path) -> Option<PathBuf> {
    let abs = absolute(dir);
    abs.ancestors().skip(1).find(|a| a.join(SETTINGS_FILE).is_file()).map(Path::to_path_buf)
}

/// `v` as one POSIX shell word: unchanged when it is made of safe characters, else in
/// single quotes.
pub fn shell_quote(v: &str) -> String {
    let safe =
        !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c));
    if safe { v.to_string() } else { format!("'{}'", v.replace('\'', "'\\''")) }
}

/// Why `dir` is not a usable stack directory (`problem`, e.g. "stack directory X not
/// found") and what to do: inside an existing stack, point at that stack (an `init` there
/// would make a nested stack); elsewhere, `init`.
pub fn not_a_stack(dir: &Path, problem: &str) -> String {
    if let Some(stack) = enclosing_stack(dir) {
        return format!(
            "{problem}: {} is inside the stack in {}; point --dir at that stack, or run the command from inside it without --dir",
            dir.display(),
            stack.display()
        );
    }
    let init = if dir == Path::new(DEFAULT_DIR) {
        "stellar-obs init".to_string()
    } else {
        format!("stellar-obs --dir {} init", shell_quote(&dir.to_string_lossy()))
    };
    format!(
        "{problem}: run `{init}` to write a stack there, or point --dir (STELLAR_OBS_DIR) at a stack directory; without --dir the current directory and its parents are searched for {SETTINGS_FILE}"
    )
}

/// A project name as Compose normalises it: lowercase, only `a-z 0-9 _ -`, starting with a
/// letter or digit (compose-go's `NormalizeProjectName`).
pub fn normalise(name: &str) -> String {
    let lower: String = name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_')
        .collect();
    lower.trim_start_matches(['-', '_']).to_string()
}

/// `dir` as an absolute path (canonical when it exists, else joined to the current
/// directory), the form Compose records in a container's `working_dir` label.
pub fn absolute(dir: &Path) -> PathBuf {
    if let Ok(c) = dir.canonicalize() {
        return c;
    }
    if dir.is_absolute() {
        return dir.to_path_buf();
    }
    std::env::current_dir().map(|cwd| cwd.join(dir)).unwrap_or_else(|_| dir.to_path_buf())
}

/// The default project name of the stack in `dir`: the parent directory's name and the
/// stack directory's own, normalised (`/srv/connector-a/observability` →
/// `connector-a-observability`). The default directory is always `observability`, so its
/// name alone would make every stack on a host the same project.
pub fn default_project(dir: &Path) -> String {
    let abs = absolute(dir);
    let name = |p: Option<&Path>| {
        p.and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    };
    let own = name(Some(&abs));
    let parent = name(abs.parent());
    let joined = match (parent.is_empty(), own.is_empty()) {
        (false, false) => format!("{parent}-{own}"),
        (true, false) => own,
        _ => String::new(),
    };
    let n = normalise(&joined);
    if n.is_empty() { DEFAULT_PROJECT.to_string() } else { n }
}

/// What the tool remembers about a stack ([`STATE_FILE`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// A project adopted because the stack's containers already ran under it (stacks made
    /// before names came from the directory run under [`DEFAULT_PROJECT`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// The services the last `up --services` started (dependencies included); absent after
    /// a plain `up`, which starts them all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<String>>,
    /// The project's named volumes this stack directory made or used: volumes carry no
    /// working-directory label, so this is how a stack tells its own data from another
    /// directory's ([`crate::stack::ownership::unproven_volumes`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<String>>,
}

impl State {
    /// The state of the stack in `dir`; empty when there is none or it cannot be read (it
    /// is a convenience, never a reason to fail).
    pub fn read(dir: &Path) -> State {
        crate::fsutil::read_capped_string(&dir.join(STATE_FILE), 64 * 1024)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Write it (atomically); an empty state removes the file.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join(STATE_FILE);
        if *self == State::default() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(e).with_context(|| format!("cannot remove {}", path.display()))
                }
                _ => Ok(()),
            };
        }
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        crate::fsutil::write_atomic(&path, text.as_bytes(), None)
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_like_compose() {
        assert_eq!(normalise("Connector A.Observability"), "connectoraobservability");
        assert_eq!(normalise("_-My_Stack-1"), "my_stack-1");
        assert_eq!(normalise("..."), "");
    }

    #[test]
    fn the_default_name_uses_the_parent_too() {
        assert_eq!(
            default_project(Path::new("/srv/connector-a/observability")),
            "connector-a-observability"
        );
        assert_eq!(
            default_project(Path::new("/srv/Connector B/observability")),
            "connectorb-observability"
        );
        assert_eq!(default_project(Path::new("/observability")), "observability");
        assert_eq!(default_project(Path::new("/")), DEFAULT_PROJECT);
        let d = tempfile::tempdir().expect("tmp");
        let a = d.path().join("a/observability");
        let b = d.path().join("b/observability");
        assert_ne!(default_project(&a), default_project(&b), "two stacks, two names");
    }

    #[test]
    fn the_stack_is_found_from_inside_it() {
        let d = tempfile::tempdir().expect("tmp");
        let stack = d.path().join("repo/observability");
        std::fs::create_dir_all(stack.join("prometheus/rules")).expect("mkdir");
        std::fs::write(stack.join(SETTINGS_FILE), "").expect("w");
        let repo = d.path().join("repo");
        assert_eq!(discover(&repo), (PathBuf::from("observability"), DirSource::Found));
        assert_eq!(discover(&stack), (PathBuf::from("."), DirSource::Found));
        assert_eq!(discover(&stack.join("prometheus")), (PathBuf::from(".."), DirSource::Found));
        assert_eq!(
            discover(&stack.join("prometheus/rules")),
            (PathBuf::from("../.."), DirSource::Found)
        );
        assert_eq!(discover(d.path()), (PathBuf::from("observability"), DirSource::Default));
        assert_eq!(enclosing_stack(&stack.join("prometheus")), Some(absolute(&stack)));
        assert_eq!(enclosing_stack(&stack), None);
    }

    #[test]
    fn state_round_trips_and_an_empty_one_is_no_file() {
        let d = tempfile::tempdir().expect("tmp");
        assert_eq!(State::read(d.path()), State::default());
        let s = State { project: None, services: Some(vec!["pushgateway".into()]), volumes: None };
        s.write(d.path()).expect("write");
        assert_eq!(State::read(d.path()), s);
        State::default().write(d.path()).expect("write");
        assert!(!d.path().join(STATE_FILE).exists());
        std::fs::write(d.path().join(STATE_FILE), "{not json").expect("w");
        assert_eq!(State::read(d.path()), State::default(), "unreadable state is no state");
    }
}
