//! The command-line contract (`../shared/docs/cli-contract.md`) as clap derive types.
//!
//! Nothing here has side effects: `main` parses, `settings` checks, the command runs.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Runs, validates, health-checks and backs up the observability stack of the
/// Stellar Hummingbot connector.
#[derive(Debug, Parser)]
#[command(name = "stellar-obs", version, about, long_about = None, propagate_version = true)]
#[command(after_help = "\
Examples:
  stellar-obs init && stellar-obs up           write the stack into ./observability and start it
  stellar-obs validate -o github               lint the stack, annotations for GitHub Actions
  stellar-obs check-health -o json             probe everything, one JSON document on stdout
  stellar-obs --dir /srv/obs status            the same commands for a stack elsewhere

Exit codes:
  0  success: no errors, all healthy, nothing failed
  1  the command ran and found or caused a problem (check-health: WARNING)
  2  the request is wrong (flag, format, --dir, settings); nothing was done;
     validate, test, routes: a file could not be read
     (check-health: CRITICAL; alerts drill: Alertmanager unreachable)
  3  check-health: UNKNOWN, the check could not run (a wrong request included)

Results go to stdout; logs, progress and errors to stderr. With -o json stdout holds only
the JSON document, and nothing at all when the command fails before it has a result.")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after the subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The stack directory [default: the current directory or a parent holding
    /// stellar-obs.yml, else ./observability]
    #[arg(long, global = true, env = "STELLAR_OBS_DIR", value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Output format: human, json; some commands add more (validate: github, sarif;
    /// check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report:
    /// markdown, html)
    #[arg(short = 'o', long = "output", global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    /// Docker Compose project name [default: `project:` in stellar-obs.yml, which init
    /// makes from where the stack lives]
    #[arg(long, global = true, env = "STELLAR_OBS_PROJECT", value_name = "NAME")]
    pub project: Option<String>,

    /// More log lines on stderr (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Only errors on stderr (no progress, no warnings)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)
    #[arg(long, global = true)]
    pub no_color: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    /// GitHub workflow-command annotations (validate)
    Github,
    /// SARIF 2.1.0 (validate)
    Sarif,
    /// Prometheus text exposition format (check-health)
    Prometheus,
    /// Markdown (slo report)
    Markdown,
    /// One self-contained HTML page with inline SVG charts (slo report)
    Html,
    /// JUnit XML (test)
    Junit,
    /// Graphviz DOT (routes)
    Dot,
    /// Mermaid flowchart (routes)
    Mermaid,
}

impl OutputFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Json => "json",
            Self::Github => "github",
            Self::Sarif => "sarif",
            Self::Prometheus => "prometheus",
            Self::Markdown => "markdown",
            Self::Html => "html",
            Self::Junit => "junit",
            Self::Dot => "dot",
            Self::Mermaid => "mermaid",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the complete observability stack into the stack directory
    #[command(after_help = "\
Examples:
  stellar-obs init                          write ./observability (files you changed are kept)
  stellar-obs --dir /srv/obs init --force   write /srv/obs, replacing changed files
  stellar-obs init --remote-write https://mimir.example.com/api/v1/push
                                            also send every sample to a central store
  stellar-obs --dir /srv/obs init --env-only
                                            only a missing .env, with fresh secrets (after
                                            `restore`: archives never hold .env)

Exit codes: 0 written or already up to date; 1 a changed file was kept, or writing failed.")]
    Init(InitArgs),
    /// Lint Prometheus config, rule files, Alertmanager config, dashboards and the compose file
    #[command(after_help = "\
Examples:
  stellar-obs validate                                  the whole stack directory
  stellar-obs validate prometheus/stellar_alerts.yml    one file, its kind detected
  stellar-obs validate --kind rules -o json alerts/*.yml
  stellar-obs validate --strict -o sarif > validate.sarif

Exit codes: 0 no errors; 1 errors (or warnings with --strict); 2 usage error or a file
that cannot be read.")]
    Validate(ValidateArgs),
    /// Validate the stack, start it with Docker Compose and wait until every service is healthy
    #[command(after_help = "\
Examples:
  stellar-obs up                                   everything, waiting up to 180 s
  stellar-obs up --services prometheus,grafana     these two and what they depend on
  stellar-obs --project staging up --timeout 600

Exit codes: 0 every started service running and healthy; 1 otherwise (the failing services
are named, with their last log lines), or the stack has validation errors.")]
    Up(UpArgs),
    /// Stop the stack (deleting data needs --volumes --yes)
    #[command(after_help = "\
Examples:
  stellar-obs down                      stop and remove the containers, keep the data
  stellar-obs down --volumes            list the volumes that would be deleted, change nothing
  stellar-obs down --volumes --yes      stop and delete the data

Exit codes: 0 stopped; 1 refused (--volumes without --yes) or failed.")]
    Down(DownArgs),
    /// One row per service of the compose file: state, health, ports, uptime, image
    #[command(after_help = "\
Examples:
  stellar-obs status
  stellar-obs status -o json | jq -r '.services[] | select(.state != \"running\") | .service'

Exit codes: 0 something runs and nothing is stopped or unhealthy; 1 otherwise.")]
    Status(StatusArgs),
    /// Show a service's logs (all services without SERVICE)
    #[command(after_help = "\
Examples:
  stellar-obs logs alertmanager --tail 50
  stellar-obs logs -f")]
    Logs(LogsArgs),
    /// Restart one service (all services without SERVICE)
    #[command(after_help = "\
Examples:
  stellar-obs restart prometheus
  stellar-obs restart -o json")]
    Restart(RestartArgs),
    /// Probe every component, the connector's metrics and Stellar's Horizon concurrently
    #[command(after_help = "\
Examples:
  stellar-obs check-health
  stellar-obs check-health --only prometheus,connector,horizon --timeout 2
  STELLAR_OBS_HORIZON_URL=off stellar-obs check-health -o json
  stellar-obs check-health --watch 10

For node-exporter's textfile collector, write a temporary file and rename it, so the collector
never reads half a file (`;`, not `&&`: the exit code is non-zero when something is unhealthy):
  T=/var/lib/node_exporter/textfile/stellar_obs.prom
  stellar-obs check-health -o prometheus > $T.tmp; mv $T.tmp $T

Exit codes (monitoring-plugin convention): 0 OK; 1 WARNING, something degraded; 2 CRITICAL,
something unhealthy; 3 UNKNOWN, the check could not run (a bad command line included).")]
    CheckHealth(CheckHealthArgs),
    /// Import, export and list Grafana dashboards through Grafana's HTTP API
    #[command(subcommand)]
    Dashboards(DashboardsCommand),
    /// Unit tests: alerting and recording rules, Alertmanager routing
    #[command(subcommand)]
    Test(TestCommand),
    /// Make one verified archive of Prometheus data, Grafana objects, silences and the config
    Backup(BackupArgs),
    /// Restore an archive made by `backup`, in dependency order
    Restore(RestoreArgs),
    /// Draw the Alertmanager routing tree: matchers, receivers and their integrations,
    /// grouping, timers; which severity reaches which integration
    #[command(after_help = "\
Examples:
  stellar-obs routes                                  the stack's alerting/alertmanager.yml
  stellar-obs routes --config am.yml -o dot | dot -Tsvg > routes.svg
  stellar-obs routes -o mermaid                       paste into a Markdown page
  stellar-obs routes -o json | jq '.severities'

Exit codes: 0 drawn; 1 the configuration does not validate (its errors are shown);
2 usage error or the file cannot be read.")]
    Routes(RoutesArgs),
    /// Service level objectives: Prometheus rules from SLO specs, and what was delivered
    #[command(subcommand)]
    Slo(SloCommand),
    /// Prove alert delivery on the running stack (a drill alert through every integration)
    #[command(subcommand)]
    Alerts(AlertsCommand),
    /// Silence alerts in Alertmanager for a maintenance window; list and expire silences
    #[command(subcommand)]
    Silence(SilenceCommand),
    /// Render the stack for another platform: Helm values for Kubernetes
    #[command(subcommand)]
    Render(RenderCommand),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    #[command(hide = true)]
    Manpage,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Replace existing files
    #[arg(long, conflicts_with = "env_only")]
    pub force: bool,

    /// Write only `.env` (fresh random secrets) when it is missing; every other file is left
    /// as it is, and an existing `.env` is never replaced. For a stack restored from an
    /// archive, which never holds `.env`
    #[arg(long, conflicts_with = "remote_write")]
    pub env_only: bool,

    /// Send every Prometheus' samples to this central store (its push URL, e.g.
    /// https://mimir.example.com/api/v1/push): recorded as `remote_write:` in
    /// stellar-obs.yml, which fills the `remote_write` block of prometheus.yml. No
    /// credentials here: they go in prometheus/secrets/
    #[arg(long, value_name = "URL")]
    pub remote_write: Option<String>,

    /// The highly available topology: two Prometheus replicas and three Alertmanager peers
    /// on Docker Swarm (recorded as `topology: ha` in stellar-obs.yml; start it with
    /// `up --swarm`)
    #[arg(long, conflicts_with = "env_only")]
    pub ha: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Auto,
    Prometheus,
    Rules,
    Alertmanager,
    Dashboard,
    Compose,
    /// A rule unit-test file (`stellar-obs test rules`, promtool's format)
    RuleTests,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files to check; without any, the whole stack directory
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// What the files are; auto detects from content and name
    #[arg(long, value_enum, default_value = "auto")]
    pub kind: Kind,

    /// Warnings fail too (exit 1)
    #[arg(long)]
    pub strict: bool,
}

/// Which matcher parser Alertmanager runs (its `--enable-feature` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MatcherParser {
    /// Alertmanager's default: the UTF-8 parser, falling back to the classic one
    #[default]
    Fallback,
    /// `--enable-feature=classic-mode`
    Classic,
    /// `--enable-feature=utf8-strict-mode`
    Utf8Strict,
}

#[derive(Debug, Args)]
pub struct RoutesArgs {
    /// The Alertmanager configuration [default: alerting/alertmanager.yml in the stack directory]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Matcher parser of the Alertmanager that runs the configuration
    #[arg(long, value_enum, default_value = "fallback", value_name = "MODE")]
    pub matcher_parser: MatcherParser,
}

#[derive(Debug, Subcommand)]
pub enum TestCommand {
    /// Run rule unit tests (promtool's format) on the project's own PromQL engine
    #[command(after_help = "\
Examples:
  stellar-obs test rules                               the stack's prometheus/tests/*.yml
  stellar-obs test rules tests/alerts.yml --run 'Down$'
  stellar-obs test rules --coverage                    which rules no test asserts
  stellar-obs test rules -o junit > rules-junit.xml    for CI test reports

Exit codes: 0 every test passed; 1 a test failed, or a test file or rule file is invalid;
2 usage error or a file that could not be read.")]
    Rules(TestRulesArgs),
    /// Run routing tests on the Alertmanager configuration: receivers (in order), group_by,
    /// inhibition, mute/active time intervals
    #[command(after_help = "\
Examples:
  stellar-obs test routes                              the stack's alerting/tests/*.yml
  stellar-obs test routes --alert 'severity=critical,job=x'            print the receivers
  stellar-obs test routes --alert 'severity=critical' --expect critical   exit 0 if they match
  stellar-obs test routes --alert 'severity=warning,alertname=A,instance=i' \\
      --firing 'severity=critical,alertname=A,instance=i'               inhibited?
  stellar-obs test routes -o junit > routes-junit.xml

Exit codes: 0 every test passed; 1 a test failed, or a test file or the configuration is
invalid; 2 usage error or a file that could not be read.")]
    Routes(TestRoutesArgs),
}

#[derive(Debug, Args)]
pub struct TestRoutesArgs {
    /// Routing test files [default: the stack's alerting/tests/*.yml]
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The Alertmanager configuration (overrides the test files' `config:`) [default: the
    /// stack's alerting/alertmanager.yml]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// One ad hoc case: the alert's labels (`a=b,c=d` or `{a="b", c="d"}`)
    #[arg(long, value_name = "LABELS")]
    pub alert: Option<String>,

    /// With --alert: the receivers expected, in order (exit 1 when they differ)
    #[arg(long, value_name = "R1,R2", requires = "alert")]
    pub expect: Option<String>,

    /// With --alert: the time (RFC 3339) that decides mute/active time intervals
    #[arg(long, value_name = "TIME", requires = "alert")]
    pub at: Option<String>,

    /// With --alert: another alert firing at the same time, for inhibition (repeatable)
    #[arg(long, value_name = "LABELS", requires = "alert")]
    pub firing: Vec<String>,

    /// Matcher parser of the Alertmanager that runs the configuration
    #[arg(long, value_enum, default_value = "fallback", value_name = "MODE")]
    pub matcher_parser: MatcherParser,
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Start only these services of the compose file (and what they depend on)
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub services: Vec<String>,

    /// Seconds to wait for every service to be running and healthy
    #[arg(long, default_value_t = 180, value_name = "SECS", value_parser = at_least_one_u64, allow_negative_numbers = true)]
    pub timeout: u64,

    /// Start even if the stack has validation errors
    #[arg(long)]
    pub no_validate: bool,

    /// Deploy on Docker Swarm with `docker stack deploy` (the HA topology: `init --ha`)
    #[arg(long)]
    pub swarm: bool,

    /// The project's existing volumes are this stack's own data, though it cannot show it
    /// (made by an older stellar-obs, or .stellar-obs-state.json was deleted): use them
    /// and remember them
    #[arg(long)]
    pub claim_volumes: bool,
}

#[derive(Debug, Args)]
pub struct DownArgs {
    /// Also delete the stack's volumes (its data); needs --yes
    #[arg(long)]
    pub volumes: bool,

    /// Confirm deleting data
    #[arg(long)]
    pub yes: bool,
    /// On Docker Swarm (the HA topology; found by itself, accepted for symmetry)
    #[arg(long)]
    pub swarm: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// On Docker Swarm (the HA topology; found by itself, accepted for symmetry)
    #[arg(long)]
    pub swarm: bool,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The service; all without it
    pub service: Option<String>,

    /// Keep following the log
    #[arg(short, long)]
    pub follow: bool,

    /// Number of lines from the end of each log
    #[arg(long, default_value_t = 100, value_name = "N", allow_negative_numbers = true)]
    pub tail: u32,
    /// On Docker Swarm (the HA topology; found by itself, accepted for symmetry)
    #[arg(long)]
    pub swarm: bool,
}

#[derive(Debug, Args)]
pub struct RestartArgs {
    /// The service; all without it
    pub service: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckHealthArgs {
    /// Probe only these: prometheus, alertmanager, grafana, loki, jaeger, node_exporter,
    /// cadvisor, pushgateway, connector, horizon, host
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub only: Vec<String>,

    /// Seconds each probe may take; the whole run never takes much longer
    #[arg(long, default_value_t = 5.0, value_name = "SECS", allow_negative_numbers = true)]
    pub timeout: f64,

    /// Probe again every SECS seconds until interrupted
    #[arg(long, value_name = "SECS", allow_negative_numbers = true)]
    pub watch: Option<f64>,
    /// On Docker Swarm (the HA topology; found by itself, accepted for symmetry)
    #[arg(long)]
    pub swarm: bool,
}

#[derive(Debug, Subcommand)]
pub enum DashboardsCommand {
    /// Put dashboards (files or directories) into Grafana
    #[command(after_help = "\
Examples:
  stellar-obs dashboards import                         the stack's grafana/dashboards/
  stellar-obs dashboards import exported/               an export, folders kept
  stellar-obs dashboards import --folder Ops/Prod --datasource DS_PROMETHEUS=prometheus node.json
  GRAFANA_TOKEN=... stellar-obs dashboards import --grafana-url https://grafana.example.com

Credentials: GRAFANA_TOKEN, else GRAFANA_USER/GRAFANA_PASSWORD, else the stack's .env; never
on the command line.
Exit codes: 0 none failed; 1 some failed (each one says why), or Grafana could not be used.")]
    Import(DashboardsImportArgs),
    /// Write every dashboard, its folders and the datasources to a directory
    #[command(after_help = "\
Examples:
  stellar-obs dashboards export --out grafana-export/
  stellar-obs dashboards export --out backup/ --org-id 2

Exit codes: 0 exported; 1 failed.")]
    Export(DashboardsExportArgs),
    /// List Grafana's dashboards
    #[command(after_help = "\
Examples:
  stellar-obs dashboards list
  stellar-obs dashboards list -o json | jq -r '.dashboards[].uid'

Exit codes: 0 listed; 1 failed.")]
    List(DashboardsListArgs),
}

#[derive(Debug, Args)]
pub struct TestRulesArgs {
    /// Test files [default: the stack's prometheus/tests/*.yml]
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Run only the test groups whose name matches this regular expression (repeatable:
    /// any of them)
    #[arg(long = "run", value_name = "REGEX")]
    pub run: Vec<String>,

    /// Ignore unknown fields in the rule files under test (test files stay strict)
    #[arg(long)]
    pub ignore_unknown_fields: bool,

    /// List every alerting and recording rule under test and whether a test asserts it
    #[arg(long)]
    pub coverage: bool,
}

#[derive(Debug, Clone, Args)]
pub struct GrafanaArgs {
    /// Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the
    /// stack's port]
    #[arg(long, value_name = "URL")]
    pub grafana_url: Option<String>,

    /// Grafana organisation id (sent as X-Grafana-Org-Id)
    #[arg(long, value_name = "ID", allow_negative_numbers = true)]
    pub org_id: Option<u64>,
}

#[derive(Debug, Args)]
pub struct DashboardsImportArgs {
    /// Dashboard files or directories [default: the stack's grafana/dashboards/]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Folder to import into, nested with '/' (created when missing)
    #[arg(long, value_name = "TITLE")]
    pub folder: Option<String>,

    /// Replace dashboards whose content differs from Grafana's
    #[arg(long)]
    pub overwrite: bool,

    /// Resolve a dashboard input to a datasource uid (e.g. DS_PROMETHEUS=prometheus);
    /// repeatable
    #[arg(long = "datasource", value_name = "NAME=UID")]
    pub datasources: Vec<String>,

    /// Dashboards imported at once
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = at_least_one_usize, allow_negative_numbers = true)]
    pub concurrency: usize,

    /// Seconds each Grafana request may take, its whole body included [default: 30]
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
    pub timeout: Option<f64>,

    #[command(flatten)]
    pub grafana: GrafanaArgs,
}

#[derive(Debug, Args)]
pub struct DashboardsExportArgs {
    /// Directory to write into
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Seconds each Grafana request may take, its whole body included [default: 30]
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
    pub timeout: Option<f64>,

    #[command(flatten)]
    pub grafana: GrafanaArgs,
}

#[derive(Debug, Args)]
pub struct DashboardsListArgs {
    /// Seconds each Grafana request may take, its whole body included [default: 30]
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
    pub timeout: Option<f64>,

    #[command(flatten)]
    pub grafana: GrafanaArgs,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub command: Option<BackupCommand>,

    /// Archive file, or an existing directory to put it in
    /// [default: ./stellar-obs-backup-<UTC timestamp>.tar.gz]
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,

    /// Back up only these components: prometheus, grafana, alertmanager, configs
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub only: Vec<String>,

    /// Read Prometheus' snapshot from this data directory (Prometheus outside Compose)
    #[arg(long, value_name = "DIR")]
    pub prometheus_data_dir: Option<PathBuf>,

    /// Also archive .env and the secrets folder
    #[arg(long)]
    pub include_secrets: bool,

    /// Keep only the newest N archives in the target directory
    #[arg(long, value_name = "N")]
    pub keep: Option<usize>,

    /// Sign the archive (HMAC-SHA256) with the key in this file, or in env:VAR
    #[arg(long, value_name = "KEYFILE|env:VAR")]
    pub sign: Option<String>,

    #[command(flatten)]
    pub grafana: GrafanaArgs,
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Check an archive's manifest and every member's size and sha256
    Verify(BackupVerifyArgs),
}

#[derive(Debug, Args)]
pub struct BackupVerifyArgs {
    /// The archive
    pub archive: PathBuf,

    /// Require a signature made with the key in this file, or in env:VAR
    #[arg(long, value_name = "KEYFILE|env:VAR")]
    pub verify_key: Option<String>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The archive
    pub archive: PathBuf,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Restore only these components: prometheus, grafana, alertmanager, configs
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub only: Vec<String>,

    /// Confirm replacing existing data
    #[arg(long)]
    pub yes: bool,

    /// Restore Prometheus' data into this directory (Prometheus outside Compose)
    #[arg(long, value_name = "DIR")]
    pub prometheus_data_dir: Option<PathBuf>,

    /// YAML or JSON file with datasource secrets to restore (never on argv)
    #[arg(long, value_name = "FILE")]
    pub secrets: Option<PathBuf>,

    /// Require a signature made with the key in this file, or in env:VAR
    #[arg(long, value_name = "KEYFILE|env:VAR")]
    pub verify_key: Option<String>,

    #[command(flatten)]
    pub grafana: GrafanaArgs,
}

#[derive(Debug, Subcommand)]
pub enum RenderCommand {
    /// Values for kube-prometheus-stack (our rules, Alertmanager config, 2 Prometheus and 3
    /// Alertmanager replicas), the dashboards as ConfigMaps for Grafana's sidecar, values
    /// for the Loki and Jaeger charts, and a README of the helm commands
    #[command(after_help = "\
Examples:
  stellar-obs render kubernetes --out k8s
  stellar-obs render kubernetes --out k8s --namespace observability --force

The stack is validated first: with errors nothing is written. Exit codes: 0 written;
1 validation errors, a non-empty --out without --force, or writing failed; 2 bad arguments
or no stack.")]
    Kubernetes(RenderKubernetesArgs),
}

#[derive(Debug, Args)]
pub struct RenderKubernetesArgs {
    /// The directory to write into (created if missing; when not empty, --force is needed)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write into a non-empty --out, replacing the rendered files (nothing else is touched)
    #[arg(long)]
    pub force: bool,
    /// The Kubernetes namespace the stack is installed in
    #[arg(long, default_value = "monitoring", value_name = "NAME")]
    pub namespace: String,
}

#[derive(Debug, Subcommand)]
pub enum SloCommand {
    /// Write Prometheus rules (SLIs per window, metadata, multi-window multi-burn-rate
    /// alerts) from Sloth `prometheus/v1` or OpenSLO `v1alpha` specs
    #[command(after_help = "\
Examples:
  stellar-obs slo generate                                       the stack's slo/*.yml, rules to stdout
  stellar-obs slo generate slo/connector.yml --out prometheus/slo_connector.yml
  stellar-obs slo generate api.yml --period 28d
  stellar-obs slo generate api.yml --windows windows-7d.yaml    Sloth AlertWindows file

Exit codes: 0 generated; 1 could not write; 2 a spec (or windows file) with errors, each
shown with file:line:col, nothing written.")]
    Generate(SloGenerateArgs),
    /// Ask Prometheus what each SLO delivered: SLI over the period, budget left, burn rates,
    /// when the budget runs out, the worst day; human, json, markdown or html
    #[command(after_help = "\
Examples:
  stellar-obs slo report                                 the stack's SLOs over 30 days
  stellar-obs slo report -o json | jq '.slos[] | select(.met == false) | .name'
  stellar-obs slo report -o html --out sla-report.html
  stellar-obs slo report --period 7d --at 2026-11-30T00:00:00Z -o markdown

Exit codes: 0 every SLO met its objective; 1 some SLO missed it, had no data, or Prometheus
could not be asked; 2 a spec with errors.")]
    Report(SloReportArgs),
}

#[derive(Debug, Args)]
pub struct SloGenerateArgs {
    /// SLO spec files [default: the stack's slo/*.yml]
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,

    /// Write the rules to FILE (atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// SLO period (e.g. 7d, 28d, 30d) [default: the spec's, else 30d]
    #[arg(long, value_name = "DURATION")]
    pub period: Option<String>,

    /// A Sloth AlertWindows file (sloth.slok.dev/v1) with custom burn-rate windows
    #[arg(long, value_name = "FILE")]
    pub windows: Option<PathBuf>,

    /// Extra label on every recording rule (NAME=VALUE); repeatable
    #[arg(short = 'l', long = "extra-labels", value_name = "NAME=VALUE")]
    pub extra_labels: Vec<String>,

    /// Replace --out even when it was not generated by stellar-obs
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SloReportArgs {
    /// SLO spec files [default: the stack's slo/*.yml]
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,

    /// The period reported on, ending at --at [default: the spec's, else 30d]
    #[arg(long, value_name = "DURATION")]
    pub period: Option<String>,

    /// End of the period: RFC 3339 (2026-11-30T00:00:00Z) or Unix seconds [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,

    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Replace an existing --out file
    #[arg(long)]
    pub force: bool,

    /// Prometheus base URL [default: STELLAR_OBS_PROMETHEUS_URL, else stellar-obs.yml, else
    /// the stack's port]
    #[arg(long, value_name = "URL")]
    pub prometheus_url: Option<String>,

    /// Seconds each query may take
    #[arg(long, default_value_t = 30.0, value_name = "SECS", allow_negative_numbers = true)]
    pub timeout: f64,
}

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Post a labelled drill alert to Alertmanager, watch every integration it routes to
    /// attempt delivery, report sent/failed per integration, then resolve it
    #[command(after_help = "\
Examples:
  stellar-obs alerts drill                          show the plan (receivers, integrations,
                                                    channels) and post nothing (exit 1)
  stellar-obs alerts drill --dry-run -o json        the alert it would post and what it expects
  stellar-obs alerts drill --severity warning --yes run it: Slack #ops-warnings + e-mail
  stellar-obs alerts drill --yes --alertmanager-log /var/log/alertmanager.log

A drill really notifies people: a critical one pages the on-call. The notification says it
is a drill and who started it ($USER). The alert is always resolved at the end: on success,
failure, timeout, Ctrl-C and SIGTERM.

Exit codes: 0 every integration delivered; 1 some failed (each is named, with Alertmanager's
error), nothing was delivered within --timeout, or the plan was shown without --yes;
2 Alertmanager unreachable (or a usage error).")]
    Drill(DrillArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DrillSeverity {
    Critical,
    Warning,
    Info,
}

impl DrillSeverity {
    pub fn name(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// The drill alert's severity label, which decides the route
    #[arg(long, value_enum, default_value = "critical")]
    pub severity: DrillSeverity,

    /// Another label on the drill alert (routes that match on more than severity);
    /// repeatable
    #[arg(long = "label", value_name = "NAME=VALUE")]
    pub labels: Vec<String>,

    /// Seconds to wait for every integration to attempt delivery [default: the route's
    /// group_wait + 120]
    #[arg(long, value_name = "SECS", value_parser = at_least_one_u64, allow_negative_numbers = true)]
    pub timeout: Option<u64>,

    /// Show the alert it would post and the receivers it expects; post nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Really post the drill alert (people get notified)
    #[arg(long)]
    pub yes: bool,

    /// Alertmanager's log file, for the error behind each failed integration (Alertmanager
    /// outside Compose; for the stack the Compose log is read)
    #[arg(long, value_name = "FILE")]
    pub alertmanager_log: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SilenceCommand {
    /// Create a silence: matchers in Alertmanager's syntax, a duration or an end, a comment
    #[command(after_help = "\
Examples:
  stellar-obs silence add alertname=StellarConnectorDown instance=~\"bot-1.*\" \\
      --duration 2h --comment \"connector upgrade, ticket OPS-42\"
  stellar-obs silence add '{severity=\"warning\",job=\"stellar-connector\"}' \\
      --start 2026-03-01T02:00:00Z --until 2026-03-01T04:00:00Z --comment \"maintenance\"

The author is $USER (or --author). Exit codes: 0 created; 1 Alertmanager refused or could not
be reached; 2 usage error (bad matcher, duration or time).")]
    Add(SilenceAddArgs),
    /// List silences (active and pending; --expired adds expired ones)
    #[command(after_help = "\
Examples:
  stellar-obs silence list
  stellar-obs silence list --match alertname=StellarConnectorDown -o json

Exit codes: 0 listed; 1 Alertmanager could not be read.")]
    List(SilenceListArgs),
    /// Expire silences by id, or every silence with the given matchers (needs --yes)
    #[command(after_help = "\
Examples:
  stellar-obs silence expire 5b6f3f3e-2a3c-4a59-9d7e-1a2b3c4d5e6f
  stellar-obs silence expire --match alertname=StellarConnectorDown        list, change nothing
  stellar-obs silence expire --match alertname=StellarConnectorDown --yes  expire them

Exit codes: 0 expired; 1 refused (matchers without --yes), an id unknown or the expiry
failed; 2 usage error (no ids and no matchers).")]
    Expire(SilenceExpireArgs),
}

#[derive(Debug, Args)]
pub struct SilenceAddArgs {
    /// Matchers in Alertmanager's syntax: `name=value`, `name!=value`, `name=~regex`,
    /// `name!~regex`, or a list `{a="b",c=~"d"}`
    #[arg(value_name = "MATCHER", required = true)]
    pub matchers: Vec<String>,

    /// How long it lasts, from its start (e.g. 30m, 2h, 1d) [default: 1h]
    #[arg(long, value_name = "DURATION", conflicts_with = "until")]
    pub duration: Option<String>,

    /// When it ends (RFC 3339, e.g. 2026-03-01T04:00:00Z)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// When it starts (RFC 3339) [default: now]; a later start makes a pending silence
    #[arg(long, value_name = "TIME")]
    pub start: Option<String>,

    /// Why (a ticket, the maintenance); required
    #[arg(long, value_name = "TEXT", required = true)]
    pub comment: String,

    /// Who creates it [default: $USER]
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
}

#[derive(Debug, Args)]
pub struct SilenceListArgs {
    /// Only silences that have this matcher (repeatable: all of them)
    #[arg(short = 'm', long = "match", value_name = "MATCHER")]
    pub matchers: Vec<String>,

    /// Include expired silences
    #[arg(long)]
    pub expired: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").args(["ids", "matchers"]).required(true)))]
pub struct SilenceExpireArgs {
    /// Silence ids (as `silence list` shows them)
    #[arg(value_name = "ID", conflicts_with = "matchers")]
    pub ids: Vec<String>,

    /// Expire every active or pending silence that has this matcher (repeatable: all of
    /// them); lists them unless --yes
    #[arg(short = 'm', long = "match", value_name = "MATCHER")]
    pub matchers: Vec<String>,

    /// Confirm expiring the silences the matchers select
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

/// A whole number of at least 1 (`up --timeout`): 0 would make no sense, and a bad value
/// is a usage error (exit 2) that says what is expected.
fn at_least_one_u64(s: &str) -> Result<u64, String> {
    match s.trim().parse::<i128>() {
        Ok(n) if n >= 1 && n <= i128::from(u64::MAX) => Ok(n as u64),
        Ok(_) => Err("must be at least 1".into()),
        Err(_) => Err("must be a whole number, at least 1".into()),
    }
}

/// A number of seconds above 0 and at most a day (`dashboards --timeout`).
fn positive_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err("must be a number of seconds above 0 (and at most a day)".into()),
    }
}

/// A count of at least 1 (`--concurrency`).
fn at_least_one_usize(s: &str) -> Result<usize, String> {
    at_least_one_u64(s).and_then(|n| usize::try_from(n).map_err(|_| "is too large".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_before_and_after_subcommand() {
        let a = Cli::try_parse_from(["stellar-obs", "--dir", "D", "-o", "json", "status"])
            .expect("parses");
        let b = Cli::try_parse_from(["stellar-obs", "status", "--dir", "D", "-o", "json"])
            .expect("parses");
        assert_eq!(a.global.dir, b.global.dir);
        assert_eq!(a.global.output, Some(OutputFormat::Json));
        assert_eq!(b.global.output, Some(OutputFormat::Json));
    }

    #[test]
    fn counts_and_timeouts_are_at_least_one() {
        let up = |t: &str| Cli::try_parse_from(["stellar-obs", "up", "--timeout", t]);
        assert!(up("1").is_ok());
        for bad in ["0", "-5", "x", "1.5"] {
            let e = up(bad).expect_err(bad);
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert!(e.to_string().contains("at least 1"), "{bad}: {e}");
        }
        let imp = |n: &str| {
            Cli::try_parse_from(["stellar-obs", "dashboards", "import", "--concurrency", n])
        };
        assert!(imp("3").is_ok());
        assert!(imp("0").expect_err("0").to_string().contains("at least 1"));
        // Negative values reach the value check instead of looking like unknown flags.
        let ch = Cli::try_parse_from(["stellar-obs", "check-health", "--timeout", "-1"]);
        assert!(ch.is_ok(), "check-health validates its own timeout");
    }

    #[test]
    fn backup_verify_is_a_subcommand() {
        let c = Cli::try_parse_from(["stellar-obs", "backup", "verify", "x.tar.gz"]).expect("ok");
        match c.command {
            Command::Backup(BackupArgs { command: Some(BackupCommand::Verify(v)), .. }) => {
                assert_eq!(v.archive, PathBuf::from("x.tar.gz"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
