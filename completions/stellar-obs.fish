# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_stellar_obs_global_optspecs
    string join \n dir= o/output= project= v/verbose q/quiet no-color h/help V/version
end

function __fish_stellar_obs_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_stellar_obs_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_stellar_obs_using_subcommand
    set -l cmd (__fish_stellar_obs_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "init" -d 'Write the complete observability stack into the stack directory'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "validate" -d 'Lint Prometheus config, rule files, Alertmanager config, dashboards and the compose file'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "up" -d 'Validate the stack, start it with Docker Compose and wait until every service is healthy'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "down" -d 'Stop the stack (deleting data needs --volumes --yes)'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "status" -d 'One row per service of the compose file: state, health, ports, uptime, image'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "logs" -d 'Show a service\'s logs (all services without SERVICE)'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "restart" -d 'Restart one service (all services without SERVICE)'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "check-health" -d 'Probe every component, the connector\'s metrics and Stellar\'s Horizon concurrently'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "dashboards" -d 'Import, export and list Grafana dashboards through Grafana\'s HTTP API'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "test" -d 'Unit tests: alerting and recording rules, Alertmanager routing'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "backup" -d 'Make one verified archive of Prometheus data, Grafana objects, silences and the config'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "restore" -d 'Restore an archive made by `backup`, in dependency order'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "routes" -d 'Draw the Alertmanager routing tree: matchers, receivers and their integrations, grouping, timers; which severity reaches which integration'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "slo" -d 'Service level objectives: Prometheus rules from SLO specs, and what was delivered'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "alerts" -d 'Prove alert delivery on the running stack (a drill alert through every integration)'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "silence" -d 'Silence alerts in Alertmanager for a maintenance window; list and expire silences'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "render" -d 'Render the stack for another platform: Helm values for Kubernetes'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "manpage" -d 'Print the man page (roff)'
complete -c stellar-obs -n "__fish_stellar_obs_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -l remote-write -d 'Send every Prometheus\' samples to this central store (its push URL, e.g. https://mimir.example.com/api/v1/push): recorded as `remote_write:` in stellar-obs.yml, which fills the `remote_write` block of prometheus.yml. No credentials here: they go in prometheus/secrets/' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -l force -d 'Replace existing files'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -l env-only -d 'Write only `.env` (fresh random secrets) when it is missing; every other file is left as it is, and an existing `.env` is never replaced. For a stack restored from an archive, which never holds `.env`'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -l ha -d 'The highly available topology: two Prometheus replicas and three Alertmanager peers on Docker Swarm (recorded as `topology: ha` in stellar-obs.yml; start it with `up --swarm`)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand init" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand validate" -l kind -d 'What the files are; auto detects from content and name' -r -f -a "auto\t''
prometheus\t''
rules\t''
alertmanager\t''
dashboard\t''
compose\t''
rule-tests\t'A rule unit-test file (`stellar-obs test rules`, promtool\'s format)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand validate" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand validate" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand validate" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand validate" -l strict -d 'Warnings fail too (exit 1)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand validate" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand validate" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand validate" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand validate" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -l services -d 'Start only these services of the compose file (and what they depend on)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -l timeout -d 'Seconds to wait for every service to be running and healthy' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -l no-validate -d 'Start even if the stack has validation errors'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -l swarm -d 'Deploy on Docker Swarm with `docker stack deploy` (the HA topology: `init --ha`)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -l claim-volumes -d 'The project\'s existing volumes are this stack\'s own data, though it cannot show it (made by an older stellar-obs, or .stellar-obs-state.json was deleted): use them and remember them'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand up" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -l volumes -d 'Also delete the stack\'s volumes (its data); needs --yes'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -l yes -d 'Confirm deleting data'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -l swarm -d 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand down" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand status" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand status" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand status" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand status" -l swarm -d 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand status" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand status" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand status" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand status" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -l tail -d 'Number of lines from the end of each log' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -s f -l follow -d 'Keep following the log'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -l swarm -d 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand logs" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restart" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restart" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restart" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restart" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restart" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restart" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restart" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -l only -d 'Probe only these: prometheus, alertmanager, grafana, loki, jaeger, node_exporter, cadvisor, pushgateway, connector, horizon, host' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -l timeout -d 'Seconds each probe may take; the whole run never takes much longer' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -l watch -d 'Probe again every SECS seconds until interrupted' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -l swarm -d 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand check-health" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -f -a "import" -d 'Put dashboards (files or directories) into Grafana'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -f -a "export" -d 'Write every dashboard, its folders and the datasources to a directory'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -f -a "list" -d 'List Grafana\'s dashboards'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and not __fish_seen_subcommand_from import export list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -l folder -d 'Folder to import into, nested with \'/\' (created when missing)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -l datasource -d 'Resolve a dashboard input to a datasource uid (e.g. DS_PROMETHEUS=prometheus); repeatable' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -l concurrency -d 'Dashboards imported at once' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -l timeout -d 'Seconds each Grafana request may take, its whole body included [default: 30]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -l grafana-url -d 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack\'s port]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -l org-id -d 'Grafana organisation id (sent as X-Grafana-Org-Id)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -l overwrite -d 'Replace dashboards whose content differs from Grafana\'s'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -l out -d 'Directory to write into' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -l timeout -d 'Seconds each Grafana request may take, its whole body included [default: 30]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -l grafana-url -d 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack\'s port]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -l org-id -d 'Grafana organisation id (sent as X-Grafana-Org-Id)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -l timeout -d 'Seconds each Grafana request may take, its whole body included [default: 30]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -l grafana-url -d 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack\'s port]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -l org-id -d 'Grafana organisation id (sent as X-Grafana-Org-Id)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from help" -f -a "import" -d 'Put dashboards (files or directories) into Grafana'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write every dashboard, its folders and the datasources to a directory'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from help" -f -a "list" -d 'List Grafana\'s dashboards'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand dashboards; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -f -a "rules" -d 'Run rule unit tests (promtool\'s format) on the project\'s own PromQL engine'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -f -a "routes" -d 'Run routing tests on the Alertmanager configuration: receivers (in order), group_by, inhibition, mute/active time intervals'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and not __fish_seen_subcommand_from rules routes help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -l run -d 'Run only the test groups whose name matches this regular expression (repeatable: any of them)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -l ignore-unknown-fields -d 'Ignore unknown fields in the rule files under test (test files stay strict)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -l coverage -d 'List every alerting and recording rule under test and whether a test asserts it'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from rules" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -l config -d 'The Alertmanager configuration (overrides the test files\' `config:`) [default: the stack\'s alerting/alertmanager.yml]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -l alert -d 'One ad hoc case: the alert\'s labels (`a=b,c=d` or `{a="b", c="d"}`)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -l expect -d 'With --alert: the receivers expected, in order (exit 1 when they differ)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -l at -d 'With --alert: the time (RFC 3339) that decides mute/active time intervals' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -l firing -d 'With --alert: another alert firing at the same time, for inhibition (repeatable)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -l matcher-parser -d 'Matcher parser of the Alertmanager that runs the configuration' -r -f -a "fallback\t'Alertmanager\'s default: the UTF-8 parser, falling back to the classic one'
classic\t'`--enable-feature=classic-mode`'
utf8-strict\t'`--enable-feature=utf8-strict-mode`'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from routes" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from help" -f -a "rules" -d 'Run rule unit tests (promtool\'s format) on the project\'s own PromQL engine'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from help" -f -a "routes" -d 'Run routing tests on the Alertmanager configuration: receivers (in order), group_by, inhibition, mute/active time intervals'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand test; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l out -d 'Archive file, or an existing directory to put it in [default: ./stellar-obs-backup-<UTC timestamp>.tar.gz]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l only -d 'Back up only these components: prometheus, grafana, alertmanager, configs' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l prometheus-data-dir -d 'Read Prometheus\' snapshot from this data directory (Prometheus outside Compose)' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l keep -d 'Keep only the newest N archives in the target directory' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l sign -d 'Sign the archive (HMAC-SHA256) with the key in this file, or in env:VAR' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l grafana-url -d 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack\'s port]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l org-id -d 'Grafana organisation id (sent as X-Grafana-Org-Id)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l include-secrets -d 'Also archive .env and the secrets folder'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -f -a "verify" -d 'Check an archive\'s manifest and every member\'s size and sha256'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from verify" -l verify-key -d 'Require a signature made with the key in this file, or in env:VAR' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from verify" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from verify" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from verify" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check an archive\'s manifest and every member\'s size and sha256'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l only -d 'Restore only these components: prometheus, grafana, alertmanager, configs' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l prometheus-data-dir -d 'Restore Prometheus\' data into this directory (Prometheus outside Compose)' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l secrets -d 'YAML or JSON file with datasource secrets to restore (never on argv)' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l verify-key -d 'Require a signature made with the key in this file, or in env:VAR' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l grafana-url -d 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack\'s port]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l org-id -d 'Grafana organisation id (sent as X-Grafana-Org-Id)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l dry-run -d 'Print the plan and change nothing'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l yes -d 'Confirm replacing existing data'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand restore" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand routes" -l config -d 'The Alertmanager configuration [default: alerting/alertmanager.yml in the stack directory]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand routes" -l matcher-parser -d 'Matcher parser of the Alertmanager that runs the configuration' -r -f -a "fallback\t'Alertmanager\'s default: the UTF-8 parser, falling back to the classic one'
classic\t'`--enable-feature=classic-mode`'
utf8-strict\t'`--enable-feature=utf8-strict-mode`'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand routes" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand routes" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand routes" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand routes" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand routes" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand routes" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand routes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand routes" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -f -a "generate" -d 'Write Prometheus rules (SLIs per window, metadata, multi-window multi-burn-rate alerts) from Sloth `prometheus/v1` or OpenSLO `v1alpha` specs'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -f -a "report" -d 'Ask Prometheus what each SLO delivered: SLI over the period, budget left, burn rates, when the budget runs out, the worst day; human, json, markdown or html'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and not __fish_seen_subcommand_from generate report help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -l out -d 'Write the rules to FILE (atomically) instead of stdout' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -l period -d 'SLO period (e.g. 7d, 28d, 30d) [default: the spec\'s, else 30d]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -l windows -d 'A Sloth AlertWindows file (sloth.slok.dev/v1) with custom burn-rate windows' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -s l -l extra-labels -d 'Extra label on every recording rule (NAME=VALUE); repeatable' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -l force -d 'Replace --out even when it was not generated by stellar-obs'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from generate" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -l period -d 'The period reported on, ending at --at [default: the spec\'s, else 30d]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -l at -d 'End of the period: RFC 3339 (2026-11-30T00:00:00Z) or Unix seconds [default: now]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -l out -d 'Write the report to FILE (atomically) instead of stdout' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -l prometheus-url -d 'Prometheus base URL [default: STELLAR_OBS_PROMETHEUS_URL, else stellar-obs.yml, else the stack\'s port]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -l timeout -d 'Seconds each query may take' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -l force -d 'Replace an existing --out file'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from report" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Write Prometheus rules (SLIs per window, metadata, multi-window multi-burn-rate alerts) from Sloth `prometheus/v1` or OpenSLO `v1alpha` specs'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from help" -f -a "report" -d 'Ask Prometheus what each SLO delivered: SLI over the period, budget left, burn rates, when the budget runs out, the worst day; human, json, markdown or html'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand slo; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and not __fish_seen_subcommand_from drill help" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and not __fish_seen_subcommand_from drill help" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and not __fish_seen_subcommand_from drill help" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and not __fish_seen_subcommand_from drill help" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and not __fish_seen_subcommand_from drill help" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and not __fish_seen_subcommand_from drill help" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and not __fish_seen_subcommand_from drill help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and not __fish_seen_subcommand_from drill help" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and not __fish_seen_subcommand_from drill help" -f -a "drill" -d 'Post a labelled drill alert to Alertmanager, watch every integration it routes to attempt delivery, report sent/failed per integration, then resolve it'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and not __fish_seen_subcommand_from drill help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -l severity -d 'The drill alert\'s severity label, which decides the route' -r -f -a "critical\t''
warning\t''
info\t''"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -l label -d 'Another label on the drill alert (routes that match on more than severity); repeatable' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -l timeout -d 'Seconds to wait for every integration to attempt delivery [default: the route\'s group_wait + 120]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -l alertmanager-log -d 'Alertmanager\'s log file, for the error behind each failed integration (Alertmanager outside Compose; for the stack the Compose log is read)' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -l dry-run -d 'Show the alert it would post and the receivers it expects; post nothing'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -l yes -d 'Really post the drill alert (people get notified)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from drill" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from help" -f -a "drill" -d 'Post a labelled drill alert to Alertmanager, watch every integration it routes to attempt delivery, report sent/failed per integration, then resolve it'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand alerts; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -f -a "add" -d 'Create a silence: matchers in Alertmanager\'s syntax, a duration or an end, a comment'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -f -a "list" -d 'List silences (active and pending; --expired adds expired ones)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -f -a "expire" -d 'Expire silences by id, or every silence with the given matchers (needs --yes)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and not __fish_seen_subcommand_from add list expire help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -l duration -d 'How long it lasts, from its start (e.g. 30m, 2h, 1d) [default: 1h]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -l until -d 'When it ends (RFC 3339, e.g. 2026-03-01T04:00:00Z)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -l start -d 'When it starts (RFC 3339) [default: now]; a later start makes a pending silence' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -l comment -d 'Why (a ticket, the maintenance); required' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -l author -d 'Who creates it [default: $USER]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from list" -s m -l match -d 'Only silences that have this matcher (repeatable: all of them)' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from list" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from list" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from list" -l expired -d 'Include expired silences'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from list" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from expire" -s m -l match -d 'Expire every active or pending silence that has this matcher (repeatable: all of them); lists them unless --yes' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from expire" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from expire" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from expire" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from expire" -l yes -d 'Confirm expiring the silences the matchers select'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from expire" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from expire" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from expire" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from expire" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from expire" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create a silence: matchers in Alertmanager\'s syntax, a duration or an end, a comment'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "list" -d 'List silences (active and pending; --expired adds expired ones)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "expire" -d 'Expire silences by id, or every silence with the given matchers (needs --yes)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and not __fish_seen_subcommand_from kubernetes help" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and not __fish_seen_subcommand_from kubernetes help" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and not __fish_seen_subcommand_from kubernetes help" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and not __fish_seen_subcommand_from kubernetes help" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and not __fish_seen_subcommand_from kubernetes help" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and not __fish_seen_subcommand_from kubernetes help" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and not __fish_seen_subcommand_from kubernetes help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and not __fish_seen_subcommand_from kubernetes help" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and not __fish_seen_subcommand_from kubernetes help" -f -a "kubernetes" -d 'Values for kube-prometheus-stack (our rules, Alertmanager config, 2 Prometheus and 3 Alertmanager replicas), the dashboards as ConfigMaps for Grafana\'s sidecar, values for the Loki and Jaeger charts, and a README of the helm commands'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and not __fish_seen_subcommand_from kubernetes help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -l out -d 'The directory to write into (created if missing; when not empty, --force is needed)' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -l namespace -d 'The Kubernetes namespace the stack is installed in' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -l force -d 'Write into a non-empty --out, replacing the rendered files (nothing else is touched)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from kubernetes" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from help" -f -a "kubernetes" -d 'Values for kube-prometheus-stack (our rules, Alertmanager config, 2 Prometheus and 3 Alertmanager replicas), the dashboards as ConfigMaps for Grafana\'s sidecar, values for the Loki and Jaeger charts, and a README of the helm commands'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand render; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand completions" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand completions" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand completions" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand completions" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand completions" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand completions" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand completions" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand manpage" -l dir -d 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]' -r -F
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand manpage" -s o -l output -d 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)' -r -f -a "human\t''
json\t''
github\t'GitHub workflow-command annotations (validate)'
sarif\t'SARIF 2.1.0 (validate)'
prometheus\t'Prometheus text exposition format (check-health)'
markdown\t'Markdown (slo report)'
html\t'One self-contained HTML page with inline SVG charts (slo report)'
junit\t'JUnit XML (test)'
dot\t'Graphviz DOT (routes)'
mermaid\t'Mermaid flowchart (routes)'"
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand manpage" -l project -d 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]' -r
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand manpage" -s v -l verbose -d 'More log lines on stderr (repeat for more)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand manpage" -s q -l quiet -d 'Only errors on stderr (no progress, no warnings)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand manpage" -l no-color -d 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand manpage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand manpage" -s V -l version -d 'Print version'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "init" -d 'Write the complete observability stack into the stack directory'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "validate" -d 'Lint Prometheus config, rule files, Alertmanager config, dashboards and the compose file'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "up" -d 'Validate the stack, start it with Docker Compose and wait until every service is healthy'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "down" -d 'Stop the stack (deleting data needs --volumes --yes)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "status" -d 'One row per service of the compose file: state, health, ports, uptime, image'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "logs" -d 'Show a service\'s logs (all services without SERVICE)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "restart" -d 'Restart one service (all services without SERVICE)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "check-health" -d 'Probe every component, the connector\'s metrics and Stellar\'s Horizon concurrently'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "dashboards" -d 'Import, export and list Grafana dashboards through Grafana\'s HTTP API'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "test" -d 'Unit tests: alerting and recording rules, Alertmanager routing'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "backup" -d 'Make one verified archive of Prometheus data, Grafana objects, silences and the config'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "restore" -d 'Restore an archive made by `backup`, in dependency order'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "routes" -d 'Draw the Alertmanager routing tree: matchers, receivers and their integrations, grouping, timers; which severity reaches which integration'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "slo" -d 'Service level objectives: Prometheus rules from SLO specs, and what was delivered'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "alerts" -d 'Prove alert delivery on the running stack (a drill alert through every integration)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "silence" -d 'Silence alerts in Alertmanager for a maintenance window; list and expire silences'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "render" -d 'Render the stack for another platform: Helm values for Kubernetes'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "completions" -d 'Print a shell completion script'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "manpage" -d 'Print the man page (roff)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and not __fish_seen_subcommand_from init validate up down status logs restart check-health dashboards test backup restore routes slo alerts silence render completions manpage help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from dashboards" -f -a "import" -d 'Put dashboards (files or directories) into Grafana'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from dashboards" -f -a "export" -d 'Write every dashboard, its folders and the datasources to a directory'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from dashboards" -f -a "list" -d 'List Grafana\'s dashboards'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from test" -f -a "rules" -d 'Run rule unit tests (promtool\'s format) on the project\'s own PromQL engine'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from test" -f -a "routes" -d 'Run routing tests on the Alertmanager configuration: receivers (in order), group_by, inhibition, mute/active time intervals'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "verify" -d 'Check an archive\'s manifest and every member\'s size and sha256'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from slo" -f -a "generate" -d 'Write Prometheus rules (SLIs per window, metadata, multi-window multi-burn-rate alerts) from Sloth `prometheus/v1` or OpenSLO `v1alpha` specs'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from slo" -f -a "report" -d 'Ask Prometheus what each SLO delivered: SLI over the period, budget left, burn rates, when the budget runs out, the worst day; human, json, markdown or html'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from alerts" -f -a "drill" -d 'Post a labelled drill alert to Alertmanager, watch every integration it routes to attempt delivery, report sent/failed per integration, then resolve it'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from silence" -f -a "add" -d 'Create a silence: matchers in Alertmanager\'s syntax, a duration or an end, a comment'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from silence" -f -a "list" -d 'List silences (active and pending; --expired adds expired ones)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from silence" -f -a "expire" -d 'Expire silences by id, or every silence with the given matchers (needs --yes)'
complete -c stellar-obs -n "__fish_stellar_obs_using_subcommand help; and __fish_seen_subcommand_from render" -f -a "kubernetes" -d 'Values for kube-prometheus-stack (our rules, Alertmanager config, 2 Prometheus and 3 Alertmanager replicas), the dashboards as ConfigMaps for Grafana\'s sidecar, values for the Loki and Jaeger charts, and a README of the helm commands'
