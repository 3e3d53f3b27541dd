//! Which Compose project a stack directory uses, and whose containers a project's are.
//!
//! Two stacks on one host must never share a project name by accident: the default name
//! comes from where the stack lives (`connector-a/observability` →
//! `connector-a-observability`, normalised as Compose normalises names), `init` writes it
//! into `stellar-obs.yml` so moving the folder does not change it, and before a command acts
//! on a project's containers it checks their `com.docker.compose.project.working_dir` label:
//! containers made from another directory belong to another stack and are never touched.

use std::path::Path;

use crate::settings::shell_quote;
use crate::stack_dir::{absolute, default_project};

/// A container as far as ownership goes (the engine's container type implements it, so this
/// module depends on no engine).
pub trait Owned {
    /// Its Compose service.
    fn service(&self) -> &str;
    /// The value of one of its labels.
    fn label(&self, key: &str) -> Option<String>;
}

/// The label Compose puts on every container: the directory of the project's compose file.
pub const WORKING_DIR_LABEL: &str = "com.docker.compose.project.working_dir";

/// Whether two directories are the same (as written, or once symlinks are resolved).
pub fn same_dir(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The directory a container was made from, when Compose labelled it.
pub fn owner_of(c: &impl Owned) -> Option<String> {
    c.label(WORKING_DIR_LABEL).filter(|v| !v.is_empty())
}

/// Containers of a project that another stack directory made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    /// The other stack's directory (the first one found, if several).
    pub dir: String,
    /// Their services, sorted.
    pub services: Vec<String>,
}

/// Split a project's containers into this directory's own and another directory's.
/// A container without the label (not made by Compose v2) counts as this directory's.
pub fn split<C: Owned>(containers: Vec<C>, stack_dir: &Path) -> (Vec<C>, Option<Foreign>) {
    let mut own = Vec::new();
    let mut foreign: Option<Foreign> = None;
    for c in containers {
        match owner_of(&c) {
            Some(d) if !same_dir(Path::new(&d), stack_dir) => {
                let f =
                    foreign.get_or_insert_with(|| Foreign { dir: d.clone(), services: Vec::new() });
                if !f.services.iter().any(|s| s == c.service()) {
                    f.services.push(c.service().to_string());
                }
            }
            _ => own.push(c),
        }
    }
    if let Some(f) = foreign.as_mut() {
        f.services.sort();
    }
    (own, foreign)
}

/// The refusal when `project`'s containers belong to the stack in another directory: who
/// owns them, how to act on that stack, how to give this one a name of its own.
pub fn refusal(project: &str, stack_dir: &Path, f: &Foreign) -> String {
    let ours = absolute(stack_dir);
    let own_name = default_project(stack_dir);
    let other_name = if own_name == project { format!("{own_name}-2") } else { own_name };
    format!(
        "refusing to touch Compose project `{project}`: its containers ({}) belong to the stack in {}, not to this one in {}. To act on that stack: `stellar-obs --dir {} --project {project} ...`. To run this stack beside it, give it a project name of its own: `project: {other_name}` in {} (or --project {other_name})",
        f.services.join(", "),
        f.dir,
        ours.display(),
        shell_quote(&f.dir),
        ours.join(crate::settings::SETTINGS_FILE).display(),
    )
}

// ---------------------------------------------------------------------------------------
// Volumes
//
// Compose labels a volume with its project (`com.docker.compose.project`) but not with the
// directory that made it, and a volume outlives its containers (`down` keeps data). So two
// stack directories that share a project name would share data once the first one's
// containers are gone: the second `up` would mount the first stack's volumes, and its
// `down --volumes --yes` would delete them. Labelling the volumes with the directory is no
// way out: Compose keeps a hash of each volume's configuration and offers to *recreate* a
// volume whose labels changed (data lost). Instead each stack remembers in its state file
// the volumes it made or used (name and creation time); a project volume that the stack
// cannot show is its own is "unproven", and `up`/`down --volumes` refuse to act on it.
// Volumes are known by name only: Docker gives them no identity beyond it (a local volume's
// `CreatedAt` is its folder's modification time, which changes as it is used).

/// The project's volumes this stack directory cannot show it made. None when its own
/// containers run under the project (the project is this directory's: another directory's
/// containers are refused on their own); else every volume the state file does not
/// remember.
pub fn unproven_volumes(
    volumes: &[String],
    remembered: Option<&Vec<String>>,
    own_containers: bool,
) -> Vec<String> {
    if own_containers {
        return Vec::new();
    }
    let mut out: Vec<String> =
        volumes.iter().filter(|v| !remembered.is_some_and(|r| r.contains(v))).cloned().collect();
    out.sort();
    out
}

/// The refusal when `project` holds volumes this stack directory did not make.
/// `claim` is the command that claims them (with this run's `--dir` and `--project`).
pub fn volume_refusal(
    project: &str,
    stack_dir: &Path,
    what: &str,
    names: &[String],
    claim: &str,
) -> String {
    let ours = absolute(stack_dir);
    let own_name = default_project(stack_dir);
    let other_name = if own_name == project { format!("{own_name}-2") } else { own_name };
    format!(
        "refusing to {what} Compose project `{project}`'s volumes {}: this stack directory ({}) did not make them, and none of its containers use them, so they hold the data of another stack directory with the same project name (its containers are gone; `down` keeps volumes). Give this stack a project name of its own: `project: {other_name}` in {} (or --project {other_name}). If they are this stack's own data (made by an older stellar-obs, or {} was deleted), say so once with `{claim}`",
        names.join(", "),
        ours.display(),
        ours.join(crate::settings::SETTINGS_FILE).display(),
        crate::stack_dir::STATE_FILE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::engine::{Container, parse_ps};

    #[test]
    fn volumes_this_directory_cannot_show_are_its_own_are_unproven() {
        let vols: Vec<String> = vec!["p_prometheus_data".into(), "p_grafana_data".into()];
        // Another directory made them (nothing remembered here): unproven.
        assert_eq!(unproven_volumes(&vols, None, false), ["p_grafana_data", "p_prometheus_data"]);
        // This stack's containers run under the project: the project is this directory's.
        assert!(unproven_volumes(&vols, None, true).is_empty());
        // Remembered: this stack's own; one it does not remember is not.
        let r = vec!["p_prometheus_data".to_string()];
        assert_eq!(unproven_volumes(&vols, Some(&r), false), ["p_grafana_data"]);
        let claim = "stellar-obs --dir /srv/b/observability up --claim-volumes";
        let msg =
            volume_refusal("p", Path::new("/srv/b/observability"), "use", &["p_x".into()], claim);
        assert!(msg.contains("refusing to use Compose project `p`'s volumes p_x"), "{msg}");
        assert!(msg.contains("`project: b-observability` in /srv/b/observability/stellar-obs.yml"));
        assert!(msg.contains("up --claim-volumes"), "{msg}");
    }

    fn containers(rows: &[(&str, &str)]) -> Vec<Container> {
        let text: Vec<String> = rows
            .iter()
            .map(|(svc, dir)| {
                let labels = if dir.is_empty() {
                    "com.docker.compose.service=x".to_string()
                } else {
                    format!("com.docker.compose.oneoff=False,{WORKING_DIR_LABEL}={dir},com.docker.compose.service={svc}")
                };
                serde_json::json!({"ID": svc, "Service": svc, "State": "running", "Labels": labels})
                    .to_string()
            })
            .collect();
        parse_ps(&text.join("\n")).expect("ps")
    }

    #[test]
    fn containers_of_another_directory_are_foreign() {
        let all = containers(&[
            ("prometheus", "/srv/a/observability"),
            ("pushgateway", "/srv/b/observability"),
            ("grafana", ""),
            ("loki", "/srv/b/observability"),
        ]);
        let (own, foreign) = split(all, Path::new("/srv/a/observability"));
        let own: Vec<&str> = own.iter().map(|c| c.service.as_str()).collect();
        assert_eq!(own, ["prometheus", "grafana"]);
        let f = foreign.expect("foreign");
        assert_eq!(f.dir, "/srv/b/observability");
        assert_eq!(f.services, ["loki", "pushgateway"]);
        let msg = refusal("stellar-obs", Path::new("/srv/a/observability"), &f);
        assert!(msg.contains("belong to the stack in /srv/b/observability"), "{msg}");
        assert!(
            msg.contains("`stellar-obs --dir /srv/b/observability --project stellar-obs ...`"),
            "{msg}"
        );
        assert!(
            msg.contains("`project: a-observability` in /srv/a/observability/stellar-obs.yml"),
            "{msg}"
        );
        let (own, foreign) = split(
            containers(&[("prometheus", "/srv/a/observability")]),
            Path::new("/srv/a/observability"),
        );
        assert_eq!(own.len(), 1);
        assert_eq!(foreign, None);
    }

    #[test]
    fn a_label_with_commas_in_the_path_is_read_whole() {
        let c = containers(&[("prometheus", "/srv/a,b=c/observability")]);
        assert_eq!(owner_of(&c[0]).as_deref(), Some("/srv/a,b=c/observability"));
    }
}
