
use builtin;
use str;

set edit:completion:arg-completer[stellar-obs] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'stellar-obs'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'stellar-obs'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Write the complete observability stack into the stack directory'
            cand validate 'Lint Prometheus config, rule files, Alertmanager config, dashboards and the compose file'
            cand up 'Validate the stack, start it with Docker Compose and wait until every service is healthy'
            cand down 'Stop the stack (deleting data needs --volumes --yes)'
            cand status 'One row per service of the compose file: state, health, ports, uptime, image'
            cand logs 'Show a service''s logs (all services without SERVICE)'
            cand restart 'Restart one service (all services without SERVICE)'
            cand check-health 'Probe every component, the connector''s metrics and Stellar''s Horizon concurrently'
            cand dashboards 'Import, export and list Grafana dashboards through Grafana''s HTTP API'
            cand test 'Unit tests: alerting and recording rules, Alertmanager routing'
            cand backup 'Make one verified archive of Prometheus data, Grafana objects, silences and the config'
            cand restore 'Restore an archive made by `backup`, in dependency order'
            cand routes 'Draw the Alertmanager routing tree: matchers, receivers and their integrations, grouping, timers; which severity reaches which integration'
            cand slo 'Service level objectives: Prometheus rules from SLO specs, and what was delivered'
            cand alerts 'Prove alert delivery on the running stack (a drill alert through every integration)'
            cand silence 'Silence alerts in Alertmanager for a maintenance window; list and expire silences'
            cand render 'Render the stack for another platform: Helm values for Kubernetes'
            cand completions 'Print a shell completion script'
            cand manpage 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;init'= {
            cand --remote-write 'Send every Prometheus'' samples to this central store (its push URL, e.g. https://mimir.example.com/api/v1/push): recorded as `remote_write:` in stellar-obs.yml, which fills the `remote_write` block of prometheus.yml. No credentials here: they go in prometheus/secrets/'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --force 'Replace existing files'
            cand --env-only 'Write only `.env` (fresh random secrets) when it is missing; every other file is left as it is, and an existing `.env` is never replaced. For a stack restored from an archive, which never holds `.env`'
            cand --ha 'The highly available topology: two Prometheus replicas and three Alertmanager peers on Docker Swarm (recorded as `topology: ha` in stellar-obs.yml; start it with `up --swarm`)'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;validate'= {
            cand --kind 'What the files are; auto detects from content and name'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --strict 'Warnings fail too (exit 1)'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;up'= {
            cand --services 'Start only these services of the compose file (and what they depend on)'
            cand --timeout 'Seconds to wait for every service to be running and healthy'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --no-validate 'Start even if the stack has validation errors'
            cand --swarm 'Deploy on Docker Swarm with `docker stack deploy` (the HA topology: `init --ha`)'
            cand --claim-volumes 'The project''s existing volumes are this stack''s own data, though it cannot show it (made by an older stellar-obs, or .stellar-obs-state.json was deleted): use them and remember them'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;down'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --volumes 'Also delete the stack''s volumes (its data); needs --yes'
            cand --yes 'Confirm deleting data'
            cand --swarm 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;status'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --swarm 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;logs'= {
            cand --tail 'Number of lines from the end of each log'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -f 'Keep following the log'
            cand --follow 'Keep following the log'
            cand --swarm 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;restart'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;check-health'= {
            cand --only 'Probe only these: prometheus, alertmanager, grafana, loki, jaeger, node_exporter, cadvisor, pushgateway, connector, horizon, host'
            cand --timeout 'Seconds each probe may take; the whole run never takes much longer'
            cand --watch 'Probe again every SECS seconds until interrupted'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --swarm 'On Docker Swarm (the HA topology; found by itself, accepted for symmetry)'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;dashboards'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand import 'Put dashboards (files or directories) into Grafana'
            cand export 'Write every dashboard, its folders and the datasources to a directory'
            cand list 'List Grafana''s dashboards'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;dashboards;import'= {
            cand --folder 'Folder to import into, nested with ''/'' (created when missing)'
            cand --datasource 'Resolve a dashboard input to a datasource uid (e.g. DS_PROMETHEUS=prometheus); repeatable'
            cand --concurrency 'Dashboards imported at once'
            cand --timeout 'Seconds each Grafana request may take, its whole body included [default: 30]'
            cand --grafana-url 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack''s port]'
            cand --org-id 'Grafana organisation id (sent as X-Grafana-Org-Id)'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --overwrite 'Replace dashboards whose content differs from Grafana''s'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;dashboards;export'= {
            cand --out 'Directory to write into'
            cand --timeout 'Seconds each Grafana request may take, its whole body included [default: 30]'
            cand --grafana-url 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack''s port]'
            cand --org-id 'Grafana organisation id (sent as X-Grafana-Org-Id)'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;dashboards;list'= {
            cand --timeout 'Seconds each Grafana request may take, its whole body included [default: 30]'
            cand --grafana-url 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack''s port]'
            cand --org-id 'Grafana organisation id (sent as X-Grafana-Org-Id)'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;dashboards;help'= {
            cand import 'Put dashboards (files or directories) into Grafana'
            cand export 'Write every dashboard, its folders and the datasources to a directory'
            cand list 'List Grafana''s dashboards'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;dashboards;help;import'= {
        }
        &'stellar-obs;dashboards;help;export'= {
        }
        &'stellar-obs;dashboards;help;list'= {
        }
        &'stellar-obs;dashboards;help;help'= {
        }
        &'stellar-obs;test'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand rules 'Run rule unit tests (promtool''s format) on the project''s own PromQL engine'
            cand routes 'Run routing tests on the Alertmanager configuration: receivers (in order), group_by, inhibition, mute/active time intervals'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;test;rules'= {
            cand --run 'Run only the test groups whose name matches this regular expression (repeatable: any of them)'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --ignore-unknown-fields 'Ignore unknown fields in the rule files under test (test files stay strict)'
            cand --coverage 'List every alerting and recording rule under test and whether a test asserts it'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;test;routes'= {
            cand --config 'The Alertmanager configuration (overrides the test files'' `config:`) [default: the stack''s alerting/alertmanager.yml]'
            cand --alert 'One ad hoc case: the alert''s labels (`a=b,c=d` or `{a="b", c="d"}`)'
            cand --expect 'With --alert: the receivers expected, in order (exit 1 when they differ)'
            cand --at 'With --alert: the time (RFC 3339) that decides mute/active time intervals'
            cand --firing 'With --alert: another alert firing at the same time, for inhibition (repeatable)'
            cand --matcher-parser 'Matcher parser of the Alertmanager that runs the configuration'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;test;help'= {
            cand rules 'Run rule unit tests (promtool''s format) on the project''s own PromQL engine'
            cand routes 'Run routing tests on the Alertmanager configuration: receivers (in order), group_by, inhibition, mute/active time intervals'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;test;help;rules'= {
        }
        &'stellar-obs;test;help;routes'= {
        }
        &'stellar-obs;test;help;help'= {
        }
        &'stellar-obs;backup'= {
            cand --out 'Archive file, or an existing directory to put it in [default: ./stellar-obs-backup-<UTC timestamp>.tar.gz]'
            cand --only 'Back up only these components: prometheus, grafana, alertmanager, configs'
            cand --prometheus-data-dir 'Read Prometheus'' snapshot from this data directory (Prometheus outside Compose)'
            cand --keep 'Keep only the newest N archives in the target directory'
            cand --sign 'Sign the archive (HMAC-SHA256) with the key in this file, or in env:VAR'
            cand --grafana-url 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack''s port]'
            cand --org-id 'Grafana organisation id (sent as X-Grafana-Org-Id)'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --include-secrets 'Also archive .env and the secrets folder'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Check an archive''s manifest and every member''s size and sha256'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;backup;verify'= {
            cand --verify-key 'Require a signature made with the key in this file, or in env:VAR'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;backup;help'= {
            cand verify 'Check an archive''s manifest and every member''s size and sha256'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;backup;help;verify'= {
        }
        &'stellar-obs;backup;help;help'= {
        }
        &'stellar-obs;restore'= {
            cand --only 'Restore only these components: prometheus, grafana, alertmanager, configs'
            cand --prometheus-data-dir 'Restore Prometheus'' data into this directory (Prometheus outside Compose)'
            cand --secrets 'YAML or JSON file with datasource secrets to restore (never on argv)'
            cand --verify-key 'Require a signature made with the key in this file, or in env:VAR'
            cand --grafana-url 'Grafana base URL [default: STELLAR_OBS_GRAFANA_URL, else stellar-obs.yml, else the stack''s port]'
            cand --org-id 'Grafana organisation id (sent as X-Grafana-Org-Id)'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --dry-run 'Print the plan and change nothing'
            cand --yes 'Confirm replacing existing data'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;routes'= {
            cand --config 'The Alertmanager configuration [default: alerting/alertmanager.yml in the stack directory]'
            cand --matcher-parser 'Matcher parser of the Alertmanager that runs the configuration'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;slo'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand generate 'Write Prometheus rules (SLIs per window, metadata, multi-window multi-burn-rate alerts) from Sloth `prometheus/v1` or OpenSLO `v1alpha` specs'
            cand report 'Ask Prometheus what each SLO delivered: SLI over the period, budget left, burn rates, when the budget runs out, the worst day; human, json, markdown or html'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;slo;generate'= {
            cand --out 'Write the rules to FILE (atomically) instead of stdout'
            cand --period 'SLO period (e.g. 7d, 28d, 30d) [default: the spec''s, else 30d]'
            cand --windows 'A Sloth AlertWindows file (sloth.slok.dev/v1) with custom burn-rate windows'
            cand -l 'Extra label on every recording rule (NAME=VALUE); repeatable'
            cand --extra-labels 'Extra label on every recording rule (NAME=VALUE); repeatable'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --force 'Replace --out even when it was not generated by stellar-obs'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;slo;report'= {
            cand --period 'The period reported on, ending at --at [default: the spec''s, else 30d]'
            cand --at 'End of the period: RFC 3339 (2026-11-30T00:00:00Z) or Unix seconds [default: now]'
            cand --out 'Write the report to FILE (atomically) instead of stdout'
            cand --prometheus-url 'Prometheus base URL [default: STELLAR_OBS_PROMETHEUS_URL, else stellar-obs.yml, else the stack''s port]'
            cand --timeout 'Seconds each query may take'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --force 'Replace an existing --out file'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;slo;help'= {
            cand generate 'Write Prometheus rules (SLIs per window, metadata, multi-window multi-burn-rate alerts) from Sloth `prometheus/v1` or OpenSLO `v1alpha` specs'
            cand report 'Ask Prometheus what each SLO delivered: SLI over the period, budget left, burn rates, when the budget runs out, the worst day; human, json, markdown or html'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;slo;help;generate'= {
        }
        &'stellar-obs;slo;help;report'= {
        }
        &'stellar-obs;slo;help;help'= {
        }
        &'stellar-obs;alerts'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand drill 'Post a labelled drill alert to Alertmanager, watch every integration it routes to attempt delivery, report sent/failed per integration, then resolve it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;alerts;drill'= {
            cand --severity 'The drill alert''s severity label, which decides the route'
            cand --label 'Another label on the drill alert (routes that match on more than severity); repeatable'
            cand --timeout 'Seconds to wait for every integration to attempt delivery [default: the route''s group_wait + 120]'
            cand --alertmanager-log 'Alertmanager''s log file, for the error behind each failed integration (Alertmanager outside Compose; for the stack the Compose log is read)'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --dry-run 'Show the alert it would post and the receivers it expects; post nothing'
            cand --yes 'Really post the drill alert (people get notified)'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;alerts;help'= {
            cand drill 'Post a labelled drill alert to Alertmanager, watch every integration it routes to attempt delivery, report sent/failed per integration, then resolve it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;alerts;help;drill'= {
        }
        &'stellar-obs;alerts;help;help'= {
        }
        &'stellar-obs;silence'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Create a silence: matchers in Alertmanager''s syntax, a duration or an end, a comment'
            cand list 'List silences (active and pending; --expired adds expired ones)'
            cand expire 'Expire silences by id, or every silence with the given matchers (needs --yes)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;silence;add'= {
            cand --duration 'How long it lasts, from its start (e.g. 30m, 2h, 1d) [default: 1h]'
            cand --until 'When it ends (RFC 3339, e.g. 2026-03-01T04:00:00Z)'
            cand --start 'When it starts (RFC 3339) [default: now]; a later start makes a pending silence'
            cand --comment 'Why (a ticket, the maintenance); required'
            cand --author 'Who creates it [default: $USER]'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;silence;list'= {
            cand -m 'Only silences that have this matcher (repeatable: all of them)'
            cand --match 'Only silences that have this matcher (repeatable: all of them)'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --expired 'Include expired silences'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;silence;expire'= {
            cand -m 'Expire every active or pending silence that has this matcher (repeatable: all of them); lists them unless --yes'
            cand --match 'Expire every active or pending silence that has this matcher (repeatable: all of them); lists them unless --yes'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --yes 'Confirm expiring the silences the matchers select'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;silence;help'= {
            cand add 'Create a silence: matchers in Alertmanager''s syntax, a duration or an end, a comment'
            cand list 'List silences (active and pending; --expired adds expired ones)'
            cand expire 'Expire silences by id, or every silence with the given matchers (needs --yes)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;silence;help;add'= {
        }
        &'stellar-obs;silence;help;list'= {
        }
        &'stellar-obs;silence;help;expire'= {
        }
        &'stellar-obs;silence;help;help'= {
        }
        &'stellar-obs;render'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand kubernetes 'Values for kube-prometheus-stack (our rules, Alertmanager config, 2 Prometheus and 3 Alertmanager replicas), the dashboards as ConfigMaps for Grafana''s sidecar, values for the Loki and Jaeger charts, and a README of the helm commands'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;render;kubernetes'= {
            cand --out 'The directory to write into (created if missing; when not empty, --force is needed)'
            cand --namespace 'The Kubernetes namespace the stack is installed in'
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand --force 'Write into a non-empty --out, replacing the rendered files (nothing else is touched)'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;render;help'= {
            cand kubernetes 'Values for kube-prometheus-stack (our rules, Alertmanager config, 2 Prometheus and 3 Alertmanager replicas), the dashboards as ConfigMaps for Grafana''s sidecar, values for the Loki and Jaeger charts, and a README of the helm commands'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;render;help;kubernetes'= {
        }
        &'stellar-obs;render;help;help'= {
        }
        &'stellar-obs;completions'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;manpage'= {
            cand --dir 'The stack directory [default: the current directory or a parent holding stellar-obs.yml, else ./observability]'
            cand -o 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --output 'Output format: human, json; some commands add more (validate: github, sarif; check-health: prometheus; test: junit, github; routes: dot, mermaid; slo report: markdown, html)'
            cand --project 'Docker Compose project name [default: `project:` in stellar-obs.yml, which init makes from where the stack lives]'
            cand -v 'More log lines on stderr (repeat for more)'
            cand --verbose 'More log lines on stderr (repeat for more)'
            cand -q 'Only errors on stderr (no progress, no warnings)'
            cand --quiet 'Only errors on stderr (no progress, no warnings)'
            cand --no-color 'Never use colour (also: NO_COLOR set to a non-empty value, or TERM=dumb)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'stellar-obs;help'= {
            cand init 'Write the complete observability stack into the stack directory'
            cand validate 'Lint Prometheus config, rule files, Alertmanager config, dashboards and the compose file'
            cand up 'Validate the stack, start it with Docker Compose and wait until every service is healthy'
            cand down 'Stop the stack (deleting data needs --volumes --yes)'
            cand status 'One row per service of the compose file: state, health, ports, uptime, image'
            cand logs 'Show a service''s logs (all services without SERVICE)'
            cand restart 'Restart one service (all services without SERVICE)'
            cand check-health 'Probe every component, the connector''s metrics and Stellar''s Horizon concurrently'
            cand dashboards 'Import, export and list Grafana dashboards through Grafana''s HTTP API'
            cand test 'Unit tests: alerting and recording rules, Alertmanager routing'
            cand backup 'Make one verified archive of Prometheus data, Grafana objects, silences and the config'
            cand restore 'Restore an archive made by `backup`, in dependency order'
            cand routes 'Draw the Alertmanager routing tree: matchers, receivers and their integrations, grouping, timers; which severity reaches which integration'
            cand slo 'Service level objectives: Prometheus rules from SLO specs, and what was delivered'
            cand alerts 'Prove alert delivery on the running stack (a drill alert through every integration)'
            cand silence 'Silence alerts in Alertmanager for a maintenance window; list and expire silences'
            cand render 'Render the stack for another platform: Helm values for Kubernetes'
            cand completions 'Print a shell completion script'
            cand manpage 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'stellar-obs;help;init'= {
        }
        &'stellar-obs;help;validate'= {
        }
        &'stellar-obs;help;up'= {
        }
        &'stellar-obs;help;down'= {
        }
        &'stellar-obs;help;status'= {
        }
        &'stellar-obs;help;logs'= {
        }
        &'stellar-obs;help;restart'= {
        }
        &'stellar-obs;help;check-health'= {
        }
        &'stellar-obs;help;dashboards'= {
            cand import 'Put dashboards (files or directories) into Grafana'
            cand export 'Write every dashboard, its folders and the datasources to a directory'
            cand list 'List Grafana''s dashboards'
        }
        &'stellar-obs;help;dashboards;import'= {
        }
        &'stellar-obs;help;dashboards;export'= {
        }
        &'stellar-obs;help;dashboards;list'= {
        }
        &'stellar-obs;help;test'= {
            cand rules 'Run rule unit tests (promtool''s format) on the project''s own PromQL engine'
            cand routes 'Run routing tests on the Alertmanager configuration: receivers (in order), group_by, inhibition, mute/active time intervals'
        }
        &'stellar-obs;help;test;rules'= {
        }
        &'stellar-obs;help;test;routes'= {
        }
        &'stellar-obs;help;backup'= {
            cand verify 'Check an archive''s manifest and every member''s size and sha256'
        }
        &'stellar-obs;help;backup;verify'= {
        }
        &'stellar-obs;help;restore'= {
        }
        &'stellar-obs;help;routes'= {
        }
        &'stellar-obs;help;slo'= {
            cand generate 'Write Prometheus rules (SLIs per window, metadata, multi-window multi-burn-rate alerts) from Sloth `prometheus/v1` or OpenSLO `v1alpha` specs'
            cand report 'Ask Prometheus what each SLO delivered: SLI over the period, budget left, burn rates, when the budget runs out, the worst day; human, json, markdown or html'
        }
        &'stellar-obs;help;slo;generate'= {
        }
        &'stellar-obs;help;slo;report'= {
        }
        &'stellar-obs;help;alerts'= {
            cand drill 'Post a labelled drill alert to Alertmanager, watch every integration it routes to attempt delivery, report sent/failed per integration, then resolve it'
        }
        &'stellar-obs;help;alerts;drill'= {
        }
        &'stellar-obs;help;silence'= {
            cand add 'Create a silence: matchers in Alertmanager''s syntax, a duration or an end, a comment'
            cand list 'List silences (active and pending; --expired adds expired ones)'
            cand expire 'Expire silences by id, or every silence with the given matchers (needs --yes)'
        }
        &'stellar-obs;help;silence;add'= {
        }
        &'stellar-obs;help;silence;list'= {
        }
        &'stellar-obs;help;silence;expire'= {
        }
        &'stellar-obs;help;render'= {
            cand kubernetes 'Values for kube-prometheus-stack (our rules, Alertmanager config, 2 Prometheus and 3 Alertmanager replicas), the dashboards as ConfigMaps for Grafana''s sidecar, values for the Loki and Jaeger charts, and a README of the helm commands'
        }
        &'stellar-obs;help;render;kubernetes'= {
        }
        &'stellar-obs;help;completions'= {
        }
        &'stellar-obs;help;manpage'= {
        }
        &'stellar-obs;help;help'= {
        }
    ]
    $completions[$command]
}
