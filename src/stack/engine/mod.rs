//! The container engines that run the stack, behind one seam.
//!
//! - [`runner`]: the process seam ([`Runner`]; [`ProcessRunner`] runs real programs, unit
//!   tests hand canned answers);
//! - [`detect`]: which Compose implementation is installed (`STELLAR_OBS_COMPOSE` forces one);
//! - [`errors`]: a failure as one sentence that says what to do ([`DockerProblem`] for the
//!   engine itself, [`clean_error`] for the engine's own messages);
//! - [`model`]: what the engine prints (`ps`, `config`, volumes, `inspect`), parsed;
//! - [`compose`]: one Compose project ([`Compose`]), used by the lifecycle commands and by
//!   backup, restore and the drill;
//! - [`swarm`]: the stack on Docker Swarm ([`Swarm`]), deployed from the stack file that
//!   [`stack_file`] derives from the compose file.

pub mod compose;
pub mod detect;
pub mod errors;
pub mod model;
pub mod runner;
pub mod stack_file;
pub mod swarm;

#[cfg(test)]
pub mod testing;
#[cfg(test)]
mod tests;

pub use compose::Compose;
pub use detect::{
    COMPOSE_ENV, Engine, EngineKind, detect, detect_fast, find_in_path, parse_version, plugin_dirs,
};
pub use errors::{COMPOSE_INSTALL_HINT, DockerProblem, classify, clean_error, strip_ansi};
pub use model::{
    Container, ProjectSpec, Publisher, ServiceSpec, VolumeInfo, VolumeMount, parse_config,
    parse_ps, parse_size, parse_started, parse_volumes,
};
pub use runner::{Output, ProcessRunner, Runner};
pub use swarm::Swarm;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use crate::stack::ownership::Foreign;

/// A stack's own containers, and the project's containers another stack directory made.
pub type Split = (Vec<Container>, Option<Foreign>);

/// What the lifecycle commands (`up`, `down`, `status`, `logs`) ask of the engine that runs
/// the stack. Each engine answers in the same shapes (a [`ProjectSpec`] of services, one
/// [`Container`] row per container or task, [`VolumeInfo`]s), so the commands never branch
/// on the engine.
pub trait StackEngine: Send + Sync {
    /// The engine as the user knows it (`docker compose`, `docker stack`).
    fn display(&self) -> &str;
    /// The project (Compose) or stack (Swarm) name.
    fn project(&self) -> &str;
    /// Service names as the user typed them for `up --services`, as this engine names them
    /// (the HA stack on Swarm: `prometheus` is both replicas).
    fn expand_services(&self, services: &[String]) -> Vec<String> {
        services.to_vec()
    }
    /// The stack directory, absolute.
    fn working_dir(&self) -> &Path;
    /// The services the stack file defines, as the engine resolves them.
    fn services(&self) -> Result<ProjectSpec>;
    /// The services and this stack's containers (the project's containers made by another
    /// stack directory apart), asked concurrently.
    fn services_and_split(&self) -> Result<(ProjectSpec, Split)>;
    /// The services and this stack's containers; refuses when the project's containers
    /// belong to another stack directory (a change would act on them).
    fn services_and_owned(&self) -> Result<(ProjectSpec, Vec<Container>)>;
    /// This stack's containers (Swarm: its tasks).
    fn ps(&self) -> Result<Vec<Container>>;
    /// This stack's containers; refuses as [`StackEngine::services_and_owned`] does.
    fn ps_owned(&self) -> Result<Vec<Container>>;
    /// The start command as the user could type it (for `-v`).
    fn up_command_line(&self, services: &[String], timeout: Duration) -> String;
    /// Start `services` (all when empty) and wait up to `timeout` until they are healthy;
    /// the raw output (a failure is for the caller to explain).
    fn up(&self, services: &[String], timeout: Duration) -> Result<Output>;
    /// Remove the stack; its named volumes too with `volumes`.
    fn down(&self, volumes: bool) -> Result<()>;
    /// The stack's named volumes with their sizes.
    fn volumes(&self) -> Result<Vec<VolumeInfo>>;
    /// The names of the stack's named volumes (without measuring sizes): what ownership of
    /// volumes is decided on.
    fn volume_names(&self) -> Result<Vec<String>> {
        Ok(self.volumes()?.into_iter().map(|v| v.name).collect())
    }
    /// The last `lines` log lines of a service.
    fn logs_tail(&self, service: &str, lines: u32) -> Result<String>;
    /// Logs with the terminal attached; the exit code.
    fn logs_passthrough(&self, service: Option<&str>, follow: bool, tail: u32) -> Result<i32>;
    /// Start times (RFC 3339) of running containers by id.
    fn started_at(&self, ids: &[&str]) -> BTreeMap<String, String>;
}
