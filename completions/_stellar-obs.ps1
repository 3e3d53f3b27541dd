
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'stellar-obs' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'stellar-obs'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'stellar-obs' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write the complete observability stack into the stack directory')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Lint Prometheus config, rule files, Alertmanager config, dashboards and the compose file')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Validate the stack, start it with Docker Compose and wait until every service is healthy')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Stop the stack (deleting data needs --volumes --yes)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'One row per service of the compose file: state, health, ports, uptime, image')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a service''s logs (all services without SERVICE)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart one service (all services without SERVICE)')
            [CompletionResult]::new('check-health', 'check-health', [CompletionResultType]::ParameterValue, 'Probe every component, the connector''s metrics and Stellar''s Horizon concurrently')
            [CompletionResult]::new('dashboards', 'dashboards', [CompletionResultType]::ParameterValue, 'Import, export and list Grafana dashboards through Grafana''s HTTP API')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Unit tests: alerting and recording rules, Alertmanager routing')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Make one verified archive of Prometheus data, Grafana objects, silences and the config')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore an archive made by `backup`, in dependency order')
            [CompletionResult]::new('routes', 'routes', [CompletionResultType]::ParameterValue, 'Draw the Alertmanager routing tree: matchers, receivers and their integrations, grouping, timers; which severity reaches which integration')
            [CompletionResult]::new('slo', 'slo', [CompletionResultType]::ParameterValue, 'Service level objectives: Prometheus rules from SLO specs, and what was delivered')
            [CompletionResult]::new('alerts', 'alerts', [CompletionResultType]::ParameterValue, 'Prove alert delivery on the running stack (a drill alert through every integration)')
            [CompletionResult]::new('silence', 'silence', [CompletionResultType]::ParameterValue, 'Silence alerts in Alertmanager for a maintenance window; list and expire silences')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render the stack for another platform: Helm values for Kubernetes')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('manpage', 'manpage', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;init' {
            [CompletionResult]::new('--remote-write', '--remote-write', [CompletionResultType]::ParameterName, 'Send every Prometheus'' samples to this central store (its push URL, e.g. https://mimir.example.com/api/v1/push): recorded as `remote_write:` in stellar-obs.yml, which fills the `remote_write` block of prometheus.yml. No credentials here: they go in prometheus/secrets/')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files')
            [CompletionResult]::new('--env-only', '--env-only', [CompletionResultType]::ParameterName, 'Write only `.env` (fresh random secrets) when it is missing; every other file is left as it is, and an existing `.env` is never replaced. For a stack restored from an archive, which never holds `.env`')
            [CompletionResult]::new('--ha', '--ha', [CompletionResultType]::ParameterName, 'The highly available topology: two Prometheus replicas and three Alertmanager peers on Docker Swarm (recorded as `topology: ha` in stellar-obs.yml; start it with `up --swarm`)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;validate' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'What the files are; auto detects from content and name')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Warnings fail too (exit 1)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;up' {
            [CompletionResult]::new('--services', '--services', [CompletionResultType]::ParameterName, 'Start only these services of the compose file (and what they depend on)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for every service to be running and healthy')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--no-validate', '--no-validate', [CompletionResultType]::ParameterName, 'Start even if the stack has validation errors')
            [CompletionResult]::new('--swarm', '--swarm', [CompletionResultType]::ParameterName, 'Deploy on Docker Swarm with `docker stack deploy` (the HA topology: `init --ha`)')
            [CompletionResult]::new('--claim-volumes', '--claim-volumes', [CompletionResultType]::ParameterName, 'The project''s existing volumes are this stack''s own data, though it cannot show it (made by an older stellar-obs, or .stellar-obs-state.json was deleted): use them and remember them')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;down' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--volumes', '--volumes', [CompletionResultType]::ParameterName, 'Also delete the stack''s volumes (its data); needs --yes')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm deleting data')
            [CompletionResult]::new('--swarm', '--swarm', [CompletionResultType]::ParameterName, 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;status' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--swarm', '--swarm', [CompletionResultType]::ParameterName, 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;logs' {
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Number of lines from the end of each log')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep following the log')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep following the log')
            [CompletionResult]::new('--swarm', '--swarm', [CompletionResultType]::ParameterName, 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;restart' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;check-health' {
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Probe only these: prometheus, alertmanager, grafana, loki, jaeger, node_exporter, cadvisor, pushgateway, connector, horizon, host')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each probe may take; the whole run never takes much longer')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Probe again every SECS seconds until interrupted')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--swarm', '--swarm', [CompletionResultType]::ParameterName, 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;dashboards' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Put dashboards (files or directories) into Grafana')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write every dashboard, its folders and the datasources to a directory')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List Grafana''s dashboards')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;dashboards;import' {
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'Folder to import into, nested with ''/'' (created when missing)')
            [CompletionResult]::new('--datasource', '--datasource', [CompletionResultType]::ParameterName, 'Resolve a dashboard input to a datasource uid (e.g. DS_PROMETHEUS=prometheus); repeatable')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Dashboards imported at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each Grafana request may take, its whole body included [default: 30]')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack''s port]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Grafana organisation id (sent as X-Grafana-Org-Id)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--overwrite', '--overwrite', [CompletionResultType]::ParameterName, 'Replace dashboards whose content differs from Grafana''s')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;dashboards;export' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write into')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each Grafana request may take, its whole body included [default: 30]')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack''s port]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Grafana organisation id (sent as X-Grafana-Org-Id)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;dashboards;list' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each Grafana request may take, its whole body included [default: 30]')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack''s port]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Grafana organisation id (sent as X-Grafana-Org-Id)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;dashboards;help' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Put dashboards (files or directories) into Grafana')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write every dashboard, its folders and the datasources to a directory')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List Grafana''s dashboards')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;dashboards;help;import' {
            break
        }
        'stellar-obs;dashboards;help;export' {
            break
        }
        'stellar-obs;dashboards;help;list' {
            break
        }
        'stellar-obs;dashboards;help;help' {
            break
        }
        'stellar-obs;test' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'Run rule unit tests (promtool''s format) on the project''s own PromQL engine')
            [CompletionResult]::new('routes', 'routes', [CompletionResultType]::ParameterValue, 'Run routing tests on the Alertmanager configuration: receivers (in order), group_by, inhibition, mute/active time intervals')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;test;rules' {
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Run only the test groups whose name matches this regular expression (repeatable: any of them)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--ignore-unknown-fields', '--ignore-unknown-fields', [CompletionResultType]::ParameterName, 'Ignore unknown fields in the rule files under test (test files stay strict)')
            [CompletionResult]::new('--coverage', '--coverage', [CompletionResultType]::ParameterName, 'List every alerting and recording rule under test and whether a test asserts it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;test;routes' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The Alertmanager configuration (overrides the test files'' `config:`) [default: the stack''s alerting/alertmanager.yml]')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'One ad hoc case: the alert''s labels (`a=b,c=d` or `{a="b", c="d"}`)')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'With --alert: the receivers expected, in order (exit 1 when they differ)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'With --alert: the time (RFC 3339) that decides mute/active time intervals')
            [CompletionResult]::new('--firing', '--firing', [CompletionResultType]::ParameterName, 'With --alert: another alert firing at the same time, for inhibition (repeatable)')
            [CompletionResult]::new('--matcher-parser', '--matcher-parser', [CompletionResultType]::ParameterName, 'Matcher parser of the Alertmanager that runs the configuration')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;test;help' {
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'Run rule unit tests (promtool''s format) on the project''s own PromQL engine')
            [CompletionResult]::new('routes', 'routes', [CompletionResultType]::ParameterValue, 'Run routing tests on the Alertmanager configuration: receivers (in order), group_by, inhibition, mute/active time intervals')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;test;help;rules' {
            break
        }
        'stellar-obs;test;help;routes' {
            break
        }
        'stellar-obs;test;help;help' {
            break
        }
        'stellar-obs;backup' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Archive file, or an existing directory to put it in [default: ./stellar-obs-backup-<UTC timestamp>.tar.gz]')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Back up only these components: prometheus, grafana, alertmanager, configs')
            [CompletionResult]::new('--prometheus-data-dir', '--prometheus-data-dir', [CompletionResultType]::ParameterName, 'Read Prometheus'' snapshot from this data directory (Prometheus outside Compose)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep only the newest N archives in the target directory')
            [CompletionResult]::new('--sign', '--sign', [CompletionResultType]::ParameterName, 'Sign the archive (HMAC-SHA256) with the key in this file, or in env:VAR')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack''s port]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Grafana organisation id (sent as X-Grafana-Org-Id)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--include-secrets', '--include-secrets', [CompletionResultType]::ParameterName, 'Also archive .env and the secrets folder')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an archive''s manifest and every member''s size and sha256')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;backup;verify' {
            [CompletionResult]::new('--verify-key', '--verify-key', [CompletionResultType]::ParameterName, 'Require a signature made with the key in this file, or in env:VAR')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;backup;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an archive''s manifest and every member''s size and sha256')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;backup;help;verify' {
            break
        }
        'stellar-obs;backup;help;help' {
            break
        }
        'stellar-obs;restore' {
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Restore only these components: prometheus, grafana, alertmanager, configs')
            [CompletionResult]::new('--prometheus-data-dir', '--prometheus-data-dir', [CompletionResultType]::ParameterName, 'Restore Prometheus'' data into this directory (Prometheus outside Compose)')
            [CompletionResult]::new('--secrets', '--secrets', [CompletionResultType]::ParameterName, 'YAML or JSON file with datasource secrets to restore (never on argv)')
            [CompletionResult]::new('--verify-key', '--verify-key', [CompletionResultType]::ParameterName, 'Require a signature made with the key in this file, or in env:VAR')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack''s port]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Grafana organisation id (sent as X-Grafana-Org-Id)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm replacing existing data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;routes' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The Alertmanager configuration [default: alerting/alertmanager.yml in the stack directory]')
            [CompletionResult]::new('--matcher-parser', '--matcher-parser', [CompletionResultType]::ParameterName, 'Matcher parser of the Alertmanager that runs the configuration')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;slo' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write Prometheus rules (SLIs per window, metadata, multi-window multi-burn-rate alerts) from Sloth `prometheus/v1` or OpenSLO `v1alpha` specs')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Ask Prometheus what each SLO delivered: SLI over the period, budget left, burn rates, when the budget runs out, the worst day; human, json, markdown or html')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;slo;generate' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the rules to FILE (atomically) instead of stdout')
            [CompletionResult]::new('--period', '--period', [CompletionResultType]::ParameterName, 'SLO period (e.g. 7d, 28d, 30d) [default: the spec''s, else 30d]')
            [CompletionResult]::new('--windows', '--windows', [CompletionResultType]::ParameterName, 'A Sloth AlertWindows file (sloth.slok.dev/v1) with custom burn-rate windows')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Extra label on every recording rule (NAME=VALUE); repeatable')
            [CompletionResult]::new('--extra-labels', '--extra-labels', [CompletionResultType]::ParameterName, 'Extra label on every recording rule (NAME=VALUE); repeatable')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace --out even when it was not generated by stellar-obs')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;slo;report' {
            [CompletionResult]::new('--period', '--period', [CompletionResultType]::ParameterName, 'The period reported on, ending at --at [default: the spec''s, else 30d]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'End of the period: RFC 3339 (2026-11-30T00:00:00Z) or Unix seconds [default: now]')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the report to FILE (atomically) instead of stdout')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: STELLAR_OBS_PROMETHEUS_URL, else stellar-obs.yml, else the stack''s port]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each query may take')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing --out file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;slo;help' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write Prometheus rules (SLIs per window, metadata, multi-window multi-burn-rate alerts) from Sloth `prometheus/v1` or OpenSLO `v1alpha` specs')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Ask Prometheus what each SLO delivered: SLI over the period, budget left, burn rates, when the budget runs out, the worst day; human, json, markdown or html')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;slo;help;generate' {
            break
        }
        'stellar-obs;slo;help;report' {
            break
        }
        'stellar-obs;slo;help;help' {
            break
        }
        'stellar-obs;alerts' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Post a labelled drill alert to Alertmanager, watch every integration it routes to attempt delivery, report sent/failed per integration, then resolve it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;alerts;drill' {
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'The drill alert''s severity label, which decides the route')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Another label on the drill alert (routes that match on more than severity); repeatable')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for every integration to attempt delivery [default: the route''s group_wait + 120]')
            [CompletionResult]::new('--alertmanager-log', '--alertmanager-log', [CompletionResultType]::ParameterName, 'Alertmanager''s log file, for the error behind each failed integration (Alertmanager outside Compose; for the stack the Compose log is read)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the alert it would post and the receivers it expects; post nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Really post the drill alert (people get notified)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;alerts;help' {
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Post a labelled drill alert to Alertmanager, watch every integration it routes to attempt delivery, report sent/failed per integration, then resolve it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;alerts;help;drill' {
            break
        }
        'stellar-obs;alerts;help;help' {
            break
        }
        'stellar-obs;silence' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a silence: matchers in Alertmanager''s syntax, a duration or an end, a comment')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List silences (active and pending; --expired adds expired ones)')
            [CompletionResult]::new('expire', 'expire', [CompletionResultType]::ParameterValue, 'Expire silences by id, or every silence with the given matchers (needs --yes)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;silence;add' {
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long it lasts, from its start (e.g. 30m, 2h, 1d) [default: 1h]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'When it ends (RFC 3339, e.g. 2026-03-01T04:00:00Z)')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'When it starts (RFC 3339) [default: now]; a later start makes a pending silence')
            [CompletionResult]::new('--comment', '--comment', [CompletionResultType]::ParameterName, 'Why (a ticket, the maintenance); required')
            [CompletionResult]::new('--author', '--author', [CompletionResultType]::ParameterName, 'Who creates it [default: $USER]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;silence;list' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only silences that have this matcher (repeatable: all of them)')
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'Only silences that have this matcher (repeatable: all of them)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--expired', '--expired', [CompletionResultType]::ParameterName, 'Include expired silences')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;silence;expire' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Expire every active or pending silence that has this matcher (repeatable: all of them); lists them unless --yes')
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'Expire every active or pending silence that has this matcher (repeatable: all of them); lists them unless --yes')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm expiring the silences the matchers select')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;silence;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a silence: matchers in Alertmanager''s syntax, a duration or an end, a comment')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List silences (active and pending; --expired adds expired ones)')
            [CompletionResult]::new('expire', 'expire', [CompletionResultType]::ParameterValue, 'Expire silences by id, or every silence with the given matchers (needs --yes)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;silence;help;add' {
            break
        }
        'stellar-obs;silence;help;list' {
            break
        }
        'stellar-obs;silence;help;expire' {
            break
        }
        'stellar-obs;silence;help;help' {
            break
        }
        'stellar-obs;render' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('kubernetes', 'kubernetes', [CompletionResultType]::ParameterValue, 'Values for kube-prometheus-stack (our rules, Alertmanager config, 2 Prometheus and 3 Alertmanager replicas), the dashboards as ConfigMaps for Grafana''s sidecar, values for the Loki and Jaeger charts, and a README of the helm commands')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;render;kubernetes' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The directory to write into (created if missing; when not empty, --force is needed)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The Kubernetes namespace the stack is installed in')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write into a non-empty --out, replacing the rendered files (nothing else is touched)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;render;help' {
            [CompletionResult]::new('kubernetes', 'kubernetes', [CompletionResultType]::ParameterValue, 'Values for kube-prometheus-stack (our rules, Alertmanager config, 2 Prometheus and 3 Alertmanager replicas), the dashboards as ConfigMaps for Grafana''s sidecar, values for the Loki and Jaeger charts, and a README of the helm commands')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;render;help;kubernetes' {
            break
        }
        'stellar-obs;render;help;help' {
            break
        }
        'stellar-obs;completions' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;manpage' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log lines on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr (no progress, no warnings)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'stellar-obs;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write the complete observability stack into the stack directory')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Lint Prometheus config, rule files, Alertmanager config, dashboards and the compose file')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Validate the stack, start it with Docker Compose and wait until every service is healthy')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Stop the stack (deleting data needs --volumes --yes)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'One row per service of the compose file: state, health, ports, uptime, image')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a service''s logs (all services without SERVICE)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart one service (all services without SERVICE)')
            [CompletionResult]::new('check-health', 'check-health', [CompletionResultType]::ParameterValue, 'Probe every component, the connector''s metrics and Stellar''s Horizon concurrently')
            [CompletionResult]::new('dashboards', 'dashboards', [CompletionResultType]::ParameterValue, 'Import, export and list Grafana dashboards through Grafana''s HTTP API')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Unit tests: alerting and recording rules, Alertmanager routing')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Make one verified archive of Prometheus data, Grafana objects, silences and the config')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore an archive made by `backup`, in dependency order')
            [CompletionResult]::new('routes', 'routes', [CompletionResultType]::ParameterValue, 'Draw the Alertmanager routing tree: matchers, receivers and their integrations, grouping, timers; which severity reaches which integration')
            [CompletionResult]::new('slo', 'slo', [CompletionResultType]::ParameterValue, 'Service level objectives: Prometheus rules from SLO specs, and what was delivered')
            [CompletionResult]::new('alerts', 'alerts', [CompletionResultType]::ParameterValue, 'Prove alert delivery on the running stack (a drill alert through every integration)')
            [CompletionResult]::new('silence', 'silence', [CompletionResultType]::ParameterValue, 'Silence alerts in Alertmanager for a maintenance window; list and expire silences')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render the stack for another platform: Helm values for Kubernetes')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('manpage', 'manpage', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'stellar-obs;help;init' {
            break
        }
        'stellar-obs;help;validate' {
            break
        }
        'stellar-obs;help;up' {
            break
        }
        'stellar-obs;help;down' {
            break
        }
        'stellar-obs;help;status' {
            break
        }
        'stellar-obs;help;logs' {
            break
        }
        'stellar-obs;help;restart' {
            break
        }
        'stellar-obs;help;check-health' {
            break
        }
        'stellar-obs;help;dashboards' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Put dashboards (files or directories) into Grafana')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write every dashboard, its folders and the datasources to a directory')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List Grafana''s dashboards')
            break
        }
        'stellar-obs;help;dashboards;import' {
            break
        }
        'stellar-obs;help;dashboards;export' {
            break
        }
        'stellar-obs;help;dashboards;list' {
            break
        }
        'stellar-obs;help;test' {
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'Run rule unit tests (promtool''s format) on the project''s own PromQL engine')
            [CompletionResult]::new('routes', 'routes', [CompletionResultType]::ParameterValue, 'Run routing tests on the Alertmanager configuration: receivers (in order), group_by, inhibition, mute/active time intervals')
            break
        }
        'stellar-obs;help;test;rules' {
            break
        }
        'stellar-obs;help;test;routes' {
            break
        }
        'stellar-obs;help;backup' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an archive''s manifest and every member''s size and sha256')
            break
        }
        'stellar-obs;help;backup;verify' {
            break
        }
        'stellar-obs;help;restore' {
            break
        }
        'stellar-obs;help;routes' {
            break
        }
        'stellar-obs;help;slo' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write Prometheus rules (SLIs per window, metadata, multi-window multi-burn-rate alerts) from Sloth `prometheus/v1` or OpenSLO `v1alpha` specs')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Ask Prometheus what each SLO delivered: SLI over the period, budget left, burn rates, when the budget runs out, the worst day; human, json, markdown or html')
            break
        }
        'stellar-obs;help;slo;generate' {
            break
        }
        'stellar-obs;help;slo;report' {
            break
        }
        'stellar-obs;help;alerts' {
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Post a labelled drill alert to Alertmanager, watch every integration it routes to attempt delivery, report sent/failed per integration, then resolve it')
            break
        }
        'stellar-obs;help;alerts;drill' {
            break
        }
        'stellar-obs;help;silence' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a silence: matchers in Alertmanager''s syntax, a duration or an end, a comment')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List silences (active and pending; --expired adds expired ones)')
            [CompletionResult]::new('expire', 'expire', [CompletionResultType]::ParameterValue, 'Expire silences by id, or every silence with the given matchers (needs --yes)')
            break
        }
        'stellar-obs;help;silence;add' {
            break
        }
        'stellar-obs;help;silence;list' {
            break
        }
        'stellar-obs;help;silence;expire' {
            break
        }
        'stellar-obs;help;render' {
            [CompletionResult]::new('kubernetes', 'kubernetes', [CompletionResultType]::ParameterValue, 'Values for kube-prometheus-stack (our rules, Alertmanager config, 2 Prometheus and 3 Alertmanager replicas), the dashboards as ConfigMaps for Grafana''s sidecar, values for the Loki and Jaeger charts, and a README of the helm commands')
            break
        }
        'stellar-obs;help;render;kubernetes' {
            break
        }
        'stellar-obs;help;completions' {
            break
        }
        'stellar-obs;help;manpage' {
            break
        }
        'stellar-obs;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
