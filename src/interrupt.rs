//! Ctrl-C (SIGINT) and SIGTERM during a command that would otherwise leave something behind:
//! a backup's temporary archive and staged copies, a Prometheus snapshot (which Prometheus
//! never deletes and which pins blocks retention would have removed), a restore's staging
//! folder. Such a command calls [`install`] and registers each leftover with
//! [`on_interrupt`] while it exists; on a signal the registered cleanups run (newest
//! first), then the process exits 130 (SIGINT) or 143 (SIGTERM), the shell's convention.
//!
//! A step that must not be cut in half (moving old data aside and new data in) holds a
//! [`Critical`] guard: a signal that arrives meanwhile waits until it is released.
//! Commands that leave nothing behind keep the default behaviour (the process ends).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};

type Action = Box<dyn FnOnce() + Send>;

struct Registry {
    cleanups: Mutex<Vec<(u64, String, Action)>>,
    critical: Mutex<usize>,
    released: Condvar,
}

impl Registry {
    fn new() -> Self {
        Registry {
            cleanups: Mutex::new(Vec::new()),
            critical: Mutex::new(0),
            released: Condvar::new(),
        }
    }
}

/// The process' registry (tests use their own).
fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::new)
}

static NEXT: AtomicU64 = AtomicU64::new(1);

/// Handle the signals from now on (once per process; later calls do nothing). The handler
/// thread has its own small runtime, so it works whatever the command's code is doing.
pub fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new().name("signals".into()).spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                let _ = ready_tx.send(false);
                return;
            };
            let code = rt.block_on(wait_for_signal(ready_tx));
            if let Some(code) = code {
                run_cleanups(registry());
                std::process::exit(i32::from(code));
            }
        });
        if spawned.is_ok() {
            // Registered before the command does anything worth cleaning up.
            let _ = ready_rx.recv();
        }
    });
}

/// Wait for SIGINT or SIGTERM; the exit code that says which. `ready` is told once the
/// handlers are in place (or that they could not be).
#[cfg(unix)]
async fn wait_for_signal(ready: std::sync::mpsc::Sender<bool>) -> Option<u8> {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut int), Ok(mut term)) =
        (signal(SignalKind::interrupt()), signal(SignalKind::terminate()))
    else {
        let _ = ready.send(false);
        return None;
    };
    let _ = ready.send(true);
    tokio::select! {
        _ = int.recv() => Some(crate::outcome::INTERRUPTED),
        _ = term.recv() => Some(crate::outcome::TERMINATED),
    }
}

/// Elsewhere: Ctrl-C only.
#[cfg(not(unix))]
async fn wait_for_signal(ready: std::sync::mpsc::Sender<bool>) -> Option<u8> {
    let _ = ready.send(true);
    tokio::signal::ctrl_c().await.ok().map(|()| crate::outcome::INTERRUPTED)
}

/// Wait for critical sections, then run every registered cleanup, newest first.
fn run_cleanups(r: &Registry) {
    let mut busy = r.critical.lock().unwrap_or_else(|e| e.into_inner());
    if *busy > 0 {
        eprintln!("interrupted: finishing the step under way first");
    }
    while *busy > 0 {
        busy = r.released.wait(busy).unwrap_or_else(|e| e.into_inner());
    }
    // Released before the cleanups run: they start programs, and starting a program asks
    // whether a critical section is under way (`in_critical`).
    drop(busy);
    let cleanups = std::mem::take(&mut *r.cleanups.lock().unwrap_or_else(|e| e.into_inner()));
    for (_, what, action) in cleanups.into_iter().rev() {
        eprintln!(
            "interrupted: removing {}",
            crate::output::terminal_safe(&what.to_string(), false)
        );
        action();
    }
}

/// A registered cleanup; dropping it unregisters (without running it).
#[must_use = "the cleanup is unregistered when this is dropped"]
#[derive(Debug)]
pub struct Cleanup {
    id: u64,
    registry: &'static Registry,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Registry")
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let mut c = self.registry.cleanups.lock().unwrap_or_else(|e| e.into_inner());
        c.retain(|(id, _, _)| *id != self.id);
    }
}

/// Run `action` if the process is interrupted while the returned handle lives; `what` is
/// what it removes, for the message.
pub fn on_interrupt(what: impl Into<String>, action: impl FnOnce() + Send + 'static) -> Cleanup {
    register(registry(), what.into(), Box::new(action))
}

fn register(r: &'static Registry, what: String, action: Action) -> Cleanup {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    r.cleanups.lock().unwrap_or_else(|e| e.into_inner()).push((id, what, action));
    Cleanup { id, registry: r }
}

/// Remove a file or directory tree if the process is interrupted while the handle lives.
pub fn remove_on_interrupt(path: &std::path::Path) -> Cleanup {
    register(registry(), path.display().to_string(), remover(path))
}

fn remover(path: &std::path::Path) -> Action {
    let p = path.to_path_buf();
    Box::new(move || {
        let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
    })
}

/// While held, a signal waits: for steps that must not be cut in half.
#[must_use = "the section ends when this is dropped"]
#[derive(Debug)]
pub struct Critical(&'static Registry);

pub fn critical() -> Critical {
    enter(registry())
}

/// Whether a critical section is under way: programs started now are kept out of the
/// terminal's Ctrl-C (their own process group), so the step is not cut in half under us.
pub fn in_critical() -> bool {
    *registry().critical.lock().unwrap_or_else(|e| e.into_inner()) > 0
}

fn enter(r: &'static Registry) -> Critical {
    *r.critical.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    Critical(r)
}

impl Drop for Critical {
    fn drop(&mut self) {
        let r = self.0;
        let mut n = r.critical.lock().unwrap_or_else(|e| e.into_inner());
        *n = n.saturating_sub(1);
        r.released.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own() -> &'static Registry {
        Box::leak(Box::new(Registry::new()))
    }

    #[test]
    fn cleanups_run_newest_first_and_dropped_ones_not_at_all() {
        let r = own();
        let log = std::sync::Arc::new(Mutex::new(Vec::new()));
        let push = |n: &'static str| -> Action {
            let log = log.clone();
            Box::new(move || log.lock().expect("lock").push(n))
        };
        let a = register(r, "a".into(), push("a"));
        let b = register(r, "b".into(), push("b"));
        let c = register(r, "c".into(), push("c"));
        drop(b);
        run_cleanups(r);
        assert_eq!(*log.lock().expect("lock"), vec!["c", "a"]);
        // They run once: the registry is empty afterwards; dropping the handles is harmless.
        run_cleanups(r);
        assert_eq!(log.lock().expect("lock").len(), 2);
        drop((a, c));
    }

    #[test]
    fn a_cleanup_may_look_at_the_critical_sections() {
        // A cleanup that starts a program consults the critical count; holding its lock
        // while cleaning up would deadlock.
        let r = own();
        let seen = std::sync::Arc::new(Mutex::new(None));
        let s2 = seen.clone();
        let _c = register(
            r,
            "probe".into(),
            Box::new(move || {
                *s2.lock().expect("lock") = Some(*r.critical.lock().expect("critical"));
            }),
        );
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            run_cleanups(r);
            let _ = done_tx.send(());
        });
        assert!(
            done_rx.recv_timeout(std::time::Duration::from_secs(10)).is_ok(),
            "the cleanup deadlocked"
        );
        assert_eq!(*seen.lock().expect("lock"), Some(0));
    }

    #[test]
    fn a_critical_section_delays_the_cleanup_until_it_ends() {
        let r = own();
        let d = tempfile::tempdir().expect("tmp");
        let f = d.path().join("staged");
        std::fs::write(&f, "x").expect("w");
        let _keep = register(r, "staged".into(), remover(&f));
        let section = enter(r);
        let cleaner = std::thread::spawn(move || run_cleanups(r));
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(f.exists(), "cleaned up inside a critical section");
        drop(section);
        cleaner.join().expect("join");
        assert!(!f.exists());
    }
}
