//! Unit tests per check family: exact code and position of each finding.

use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::lint::http_config;

fn run_with(y: &str, opts: &Options, am: &AmOptions) -> (Vec<Diagnostic>, AmFacts) {
    let tree = crate::yaml::parse(y).expect("test YAML parses");
    let src = Source::memory("am.yml", y);
    let mut diags = Vec::new();
    let facts = check_config_with(&src, &tree, opts, am, &mut diags);
    (diags, facts)
}

fn run(y: &str) -> Vec<Diagnostic> {
    run_with(y, &Options::default(), &AmOptions::default()).0
}

/// (line, column) of every finding with `code`.
fn at(d: &[Diagnostic], code: &str) -> Vec<(u32, u32)> {
    d.iter().filter(|x| x.code == code).map(|x| (x.line, x.column)).collect()
}

fn errors(d: &[Diagnostic]) -> Vec<&Diagnostic> {
    d.iter().filter(|x| x.severity == Severity::Error).collect()
}

fn msg<'a>(d: &'a [Diagnostic], code: &str) -> &'a str {
    d.iter().find(|x| x.code == code).map_or("", |x| x.message.as_str())
}

const MIN: &str = "route:\n  receiver: a\nreceivers:\n  - name: a\n";

#[test]
fn minimal_config_is_clean() {
    let d = run(MIN);
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn root_route_rules() {
    let d = run("receivers:\n  - name: a\n");
    assert_eq!(at(&d, codes::ROOT_ROUTE), vec![(1, 1)]);
    assert!(msg(&d, codes::ROOT_ROUTE).contains("no routes provided"));

    let d = run("");
    assert!(msg(&d, codes::ROOT_ROUTE).contains("no route provided in config"));

    let d = run("route:\n  group_wait: 30s\nreceivers:\n  - name: a\n");
    assert_eq!(at(&d, codes::ROOT_ROUTE), vec![(2, 3)]);
    assert_eq!(msg(&d, codes::ROOT_ROUTE), "root route must specify a default receiver");

    let d = run(
        "route:\n  receiver: a\n  matchers: ['severity=\"critical\"']\nreceivers:\n  - name: a\n",
    );
    assert_eq!(at(&d, codes::ROOT_ROUTE), vec![(3, 14)]);
    assert_eq!(msg(&d, codes::ROOT_ROUTE), "root route must not have any matchers");

    let d = run("route:\n  receiver: a\n  continue: true\nreceivers:\n  - name: a\n");
    assert_eq!(at(&d, codes::ROOT_ROUTE), vec![(3, 3)]);
    assert_eq!(msg(&d, codes::ROOT_ROUTE), "cannot have continue in root route");

    let d = run(
        "time_intervals:\n  - name: night\nroute:\n  receiver: a\n  active_time_intervals: [night]\nreceivers:\n  - name: a\n",
    );
    assert_eq!(at(&d, codes::ROOT_ROUTE), vec![(5, 27)]);
    assert!(msg(&d, codes::ROOT_ROUTE).contains("active time intervals"));
}

#[test]
fn receivers_defined_unique_and_used() {
    let y = "route:\n  receiver: a\n  routes:\n    - receiver: team-x\n      matchers: [team=x]\nreceivers:\n  - name: a\n  - name: team-X\n  - name: a\n";
    let d = run(y);
    assert_eq!(at(&d, codes::RECEIVER_UNDEFINED), vec![(4, 17)]);
    let undef = d.iter().find(|x| x.code == codes::RECEIVER_UNDEFINED).expect("undefined");
    assert_eq!(undef.message, "undefined receiver \"team-x\" used in route");
    assert_eq!(undef.help.as_deref(), Some("did you mean `team-X`?"));
    assert_eq!(at(&d, codes::RECEIVER_DUPLICATE), vec![(9, 11)], "at the second name");
    assert_eq!(msg(&d, codes::RECEIVER_DUPLICATE), "notification config name \"a\" is not unique");
    assert_eq!(at(&d, codes::RECEIVER_UNUSED), vec![(8, 11)]);
    assert_eq!(
        d.iter().find(|x| x.code == codes::RECEIVER_UNUSED).map(|x| x.severity),
        Some(Severity::Warning)
    );

    let d = run("route:\n  receiver: a\nreceivers:\n  - name: a\n  - email_configs: []\n");
    assert_eq!(at(&d, schema::MISSING_FIELD), vec![(5, 5)]);
    assert_eq!(msg(&d, schema::MISSING_FIELD), "missing name in receiver");

    let d = run("route:\n  receiver: a\nreceivers:\n  - name: a\n    labels:\n      name: b\n");
    assert_eq!(at(&d, codes::RECEIVER_LABELS), vec![(6, 13)]);
}

#[test]
fn matchers_parse_with_positions() {
    let y = "route:\n  receiver: a\n  routes:\n    - receiver: a\n      matchers:\n        - 'severity=\"critical'\n        - team=~\"(\"\n        - foo=~\\d+\nreceivers:\n  - name: a\n";
    let d = run(y);
    let m = at(&d, codes::MATCHER);
    // Column of the unterminated quote inside the quoted scalar, then the bad regex.
    assert_eq!(m, vec![(6, 21), (7, 17)], "{d:?}");
    assert!(d.iter().any(|x| x.message.contains("missing end \"")));
    assert!(d.iter().any(|x| x.message.contains("error parsing regexp")));
    assert_eq!(at(&d, codes::MATCHER_CLASSIC), vec![(8, 11)]);
    let w = d.iter().find(|x| x.code == codes::MATCHER_CLASSIC).expect("classic");
    assert_eq!(w.help.as_deref().map(|h| h.contains(r#"foo=~"\\d+""#)), Some(true));

    // Classic mode rejects UTF-8-only syntax; strict UTF-8 mode rejects classic-only.
    let y2 = "route:\n  receiver: a\n  routes:\n    - receiver: a\n      matchers: ['\"service.name\"=\"db\"']\nreceivers:\n  - name: a\n";
    let classic = AmOptions { mode: ParserMode::Classic, ..AmOptions::default() };
    assert_eq!(at(&run_with(y2, &Options::default(), &classic).0, codes::MATCHER).len(), 1);
    assert!(run(y2).is_empty());
    let strict = AmOptions { mode: ParserMode::Utf8Strict, ..AmOptions::default() };
    let y3 = y.replace("        - 'severity=\"critical'\n        - team=~\"(\"\n", "");
    assert_eq!(at(&run_with(&y3, &Options::default(), &strict).0, codes::MATCHER), vec![(6, 16)]);
}

#[test]
fn legacy_match_and_match_re() {
    let y = "route:\n  receiver: a\n  routes:\n    - receiver: a\n      match:\n        bad-name: x\n      match_re:\n        service: '('\n        empty:\nreceivers:\n  - name: a\n";
    let d = run(y);
    assert_eq!(at(&d, codes::LABEL_NAME), vec![(6, 9)]);
    assert_eq!(at(&d, codes::MATCHER), vec![(8, 18), (9, 14)]);
    assert!(d.iter().any(|x| x.message.starts_with("invalid regexp value for \"empty\"")));
    // Repeated on real configs: one warning per file, at the first use, with the count.
    assert_eq!(at(&d, codes::DEPRECATED), vec![(5, 7)]);
    assert_eq!(
        msg(&d, codes::DEPRECATED),
        "deprecated matcher fields (`match`, `match_re`) are used 2 times in this file; the first is `match` here"
    );
    // --verbose: each use.
    let verbose = Options { verbose: true, ..Options::default() };
    let d = run_with(y, &verbose, &AmOptions::default()).0;
    assert_eq!(at(&d, codes::DEPRECATED), vec![(5, 7), (7, 7)]);
    assert_eq!(msg(&d, codes::DEPRECATED), "`match` is deprecated");
    // A single use is reported as itself.
    let one = "route:\n  receiver: a\n  routes:\n    - receiver: a\n      match: {a: b}\nreceivers:\n  - name: a\n";
    assert_eq!(msg(&run(one), codes::DEPRECATED), "`match` is deprecated");
}

#[test]
fn group_by_and_label_names() {
    let y = "route:\n  receiver: a\n  group_by: [alertname, cluster, alertname, '...']\nreceivers:\n  - name: a\n";
    let d = run(y);
    assert_eq!(at(&d, codes::GROUP_BY), vec![(3, 34), (3, 45)]);
    assert!(msg(&d, codes::GROUP_BY).starts_with("duplicated label \"alertname\" in group_by"));

    let y = "route:\n  receiver: a\n  group_by: ['-invalid-', service.name]\n  labels:\n    '-x-': v\nreceivers:\n  - name: a\n";
    assert!(errors(&run(y)).is_empty(), "UTF-8 label names are valid by default");
    let classic = AmOptions { mode: ParserMode::Classic, ..AmOptions::default() };
    let (d, _) = run_with(y, &Options::default(), &classic);
    assert_eq!(at(&d, codes::LABEL_NAME), vec![(3, 14), (3, 27), (5, 5)]);
    assert_eq!(d[0].message, "invalid label name \"-invalid-\" in group_by list");
}

#[test]
fn zero_intervals_and_unreachable_routes() {
    let y = "route:\n  receiver: a\n  group_interval: 0s\n  repeat_interval: 0\n  routes:\n    - receiver: a\n    - receiver: a\n      matchers: [x=y]\nreceivers:\n  - name: a\n";
    let d = run(y);
    assert_eq!(at(&d, codes::ROUTE_TIMING), vec![(3, 19), (4, 20)]);
    assert_eq!(at(&d, codes::ROUTE_UNREACHABLE), vec![(7, 7)]);
    let y = "route:\n  receiver: a\n  routes:\n    - matchers: ['severity=\"critical\"']\n      receiver: a\n      routes:\n        - matchers: ['severity=~\"warning|info\"']\n        - matchers: ['team=\"a\"', 'team!=\"a\"']\n        - matchers: ['severity!=\"warning\"']\nreceivers:\n  - name: a\n";
    let d = run(y);
    assert_eq!(at(&d, codes::ROUTE_UNREACHABLE), vec![(7, 22), (8, 22)], "{d:?}");
    assert!(
        msg(&d, codes::ROUTE_UNREACHABLE)
            .contains("an enclosing route's matcher `severity=\"critical\"`")
    );
    let d = run("route:\n  receiver: a\n  group_wait: 30\nreceivers:\n  - name: a\n");
    assert_eq!(at(&d, schema::BAD_VALUE), vec![(3, 15)]);
}

#[test]
fn time_intervals() {
    let y = "time_intervals:\n  - name: biz\n    time_intervals:\n      - times:\n          - start_time: '17:00'\n            end_time: '09:00'\n        weekdays: ['monday:friday', 'funday']\n        days_of_month: ['-1:5']\n        months: ['march:january']\n        location: Mars/Olympus\n  - name: biz\nroute:\n  receiver: a\n  routes:\n    - receiver: a\n      mute_time_intervals: [biz, bizz]\nreceivers:\n  - name: a\n";
    let d = run(y);
    assert_eq!(
        at(&d, codes::TIME_INTERVAL_SYNTAX),
        vec![(5, 25), (7, 37), (8, 25), (9, 18)],
        "{d:?}"
    );
    if Path::new("/usr/share/zoneinfo").is_dir() {
        assert_eq!(at(&d, codes::TIME_ZONE), vec![(10, 19)]);
        assert_eq!(msg(&d, codes::TIME_ZONE), "unknown time zone Mars/Olympus");
    }
    assert_eq!(at(&d, codes::TIME_INTERVAL_DUPLICATE), vec![(11, 11)]);
    assert_eq!(at(&d, codes::TIME_INTERVAL_UNDEFINED), vec![(16, 34)]);
    let u = d.iter().find(|x| x.code == codes::TIME_INTERVAL_UNDEFINED).expect("undefined");
    assert_eq!(u.message, "undefined time interval \"bizz\" used in route");
    assert_eq!(u.help.as_deref(), Some("did you mean `biz`?"));

    let d = run(
        "mute_time_intervals:\n  - name: old\nroute:\n  receiver: a\n  routes:\n    - receiver: a\n      mute_time_intervals: [old]\nreceivers:\n  - name: a\n",
    );
    assert_eq!(at(&d, codes::DEPRECATED), vec![(1, 1)]);
    assert!(errors(&d).is_empty(), "{d:?}");
}

#[test]
fn integrations_consider_globals() {
    let y = "route:\n  receiver: a\nreceivers:\n  - name: a\n    email_configs:\n      - to: ops@example.com\n    slack_configs:\n      - channel: '#x'\n    opsgenie_configs:\n      - message: hi\n    pagerduty_configs:\n      - severity: critical\n    telegram_configs:\n      - bot_token_file: /s/t\n";
    let d = run(y);
    let mut inc = at(&d, codes::INTEGRATION_INCOMPLETE);
    inc.sort();
    assert_eq!(inc, vec![(6, 9), (6, 9), (8, 9), (10, 9), (12, 9), (14, 9)], "{d:?}");
    assert!(d.iter().any(|x| x.message.contains("no global SMTP smarthost set")));
    assert!(d.iter().any(|x| x.message.contains("no global SMTP from set")));
    assert!(d.iter().any(|x| x.message.contains("no Slack API URL nor App token set")));
    assert!(d.iter().any(|x| x.message.contains("no global OpsGenie API Key set")));
    assert!(
        d.iter().any(|x| x.message.contains("missing service or routing key in PagerDuty config"))
    );
    assert!(d.iter().any(|x| x.message.contains("missing chat_id or chat_id_file")));

    let with_globals = format!(
        "global:\n  smtp_smarthost: 'smtp:587'\n  smtp_from: a@example.com\n  slack_api_url_file: /s/slack\n  opsgenie_api_key_file: /s/og\n{}",
        y.replace("      - severity: critical\n", "      - routing_key_file: /s/pd\n").replace(
            "      - bot_token_file: /s/t\n",
            "      - bot_token_file: /s/t\n        chat_id: 42\n"
        )
    );
    let d = run(&with_globals);
    assert!(errors(&d).is_empty(), "{d:?}");
}

#[test]
fn empty_integration_entries() {
    let d = run("route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      -\n");
    assert_eq!(at(&d, codes::INTEGRATION_INCOMPLETE).len(), 1);
    assert!(msg(&d, codes::INTEGRATION_INCOMPLETE).ends_with("missing webhook config"));
}

#[test]
fn conflicts_and_plain_secrets() {
    let y = "global:\n  smtp_auth_password: hunter2\n  smtp_auth_password_file: /s/p\nroute:\n  receiver: a\nreceivers:\n  - name: a\n    pagerduty_configs:\n      - routing_key: abc\n        routing_key_file: /s/pd\n    slack_configs:\n      - api_url: https://hooks.slack.com/services/T/B/X\n        app_token: xoxb-1\n";
    let d = run(y);
    assert_eq!(at(&d, codes::CONFLICT), vec![(3, 3), (10, 9), (13, 9)], "{d:?}");
    assert_eq!(
        msg(&d, codes::CONFLICT),
        "global: at most one of smtp_auth_password & smtp_auth_password_file must be configured"
    );
    let secrets = at(&d, codes::PLAIN_SECRET);
    assert_eq!(secrets, vec![(2, 23), (9, 22), (12, 18), (13, 20)]);
    let s = d.iter().find(|x| x.code == codes::PLAIN_SECRET && x.line == 12).expect("slack url");
    assert_eq!(s.severity, Severity::Warning);
    assert!(s.help.as_deref().is_some_and(|h| h.contains("`api_url_file`")));
}

#[test]
fn placeholder_secrets_are_noted_not_warned() {
    let y = "global:\n  smtp_auth_password: changeme\n  slack_api_url: https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX\nroute:\n  receiver: a\nreceivers:\n  - name: a\n    pagerduty_configs:\n      - routing_key: <your-routing-key>\n      - routing_key: 6b1f0c9e2d7a4e38\n    webhook_configs:\n      - url: http://127.0.0.1:1/\n        http_config:\n          basic_auth: {username: u, password: password}\n";
    let d = run(y);
    assert_eq!(
        at(&d, codes::PLACEHOLDER_SECRET),
        vec![(2, 23), (3, 18), (9, 22), (14, 47)],
        "{d:?}"
    );
    assert!(
        d.iter()
            .filter(|x| x.code == codes::PLACEHOLDER_SECRET)
            .all(|x| x.severity == Severity::Info && x.message.contains("placeholder"))
    );
    // The real-looking key is still a plain-text secret warning.
    assert_eq!(at(&d, codes::PLAIN_SECRET), vec![(10, 22)]);
}

#[test]
fn env_vars_are_not_expanded() {
    let d = run(
        "route:\n  receiver: a\nreceivers:\n  - name: a\n    pagerduty_configs:\n      - routing_key: ${PD_KEY}\n",
    );
    assert_eq!(at(&d, codes::ENV_VAR), vec![(6, 22)]);
}

#[test]
fn strict_schema_unknown_fields_and_duplicates() {
    let d = run(
        "route:\n  receiver: a\n  recevier: b\nreceivers:\n  - name: a\n    slack_configs:\n      - api_url_file: /x\n        chanel: '#x'\n        api_url_file: /y\n",
    );
    let mut unknown = at(&d, schema::UNKNOWN_FIELD);
    unknown.sort();
    assert_eq!(unknown, vec![(3, 3), (8, 9)]);
    assert_eq!(
        d.iter().find(|x| x.line == 8).and_then(|x| x.help.as_deref()),
        Some("did you mean `channel`?")
    );
    assert_eq!(at(&d, schema::DUPLICATE_KEY), vec![(9, 9)]);
}

#[test]
fn http_config_of_integrations() {
    let y = "route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      - url: http://127.0.0.1:5001/\n        http_config:\n          basic_auth: {username: u, password_file: /s/p}\n          bearer_token_file: /s/t\n";
    let d = run(y);
    assert_eq!(at(&d, http_config::CONFLICT), vec![(9, 11)]);
    assert!(d.iter().all(|x| x.code != codes::PLAIN_SECRET), "a local webhook URL is not a secret");
}

#[test]
fn webhook_url_templates_use_builtins_only() {
    let y = "route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      - url: 'http://x/{{ .GroupLabels.team | toUpper }}'\n      - url: 'http://x/{{ .GroupLabels.team }}'\n      - url: 'ftp://x'\n";
    let d = run(y);
    assert_eq!(at(&d, codes::TEMPLATE_SYNTAX), vec![(6, 14)]);
    assert!(msg(&d, codes::TEMPLATE_SYNTAX).contains("function \"toUpper\" not defined"));
    assert_eq!(at(&d, schema::BAD_VALUE), vec![(8, 14)]);
}

#[test]
fn notification_templates_in_the_config() {
    let y = "route:\n  receiver: a\nreceivers:\n  - name: a\n    email_configs:\n      - to: x@example.com\n        smarthost: 'smtp:25'\n        from: y@example.com\n        headers:\n          Subject: '{{ template \"my.subject\" . }}'\n          subject: x\n        html: '{{ if .Status }}unclosed'\n        text: '{{ .Status | toUpper | nosuch }}'\n";
    let d = run(y);
    assert_eq!(at(&d, codes::TEMPLATE_SYNTAX), vec![(12, 15), (13, 15)], "{d:?}");
    assert!(d.iter().any(|x| x.message.contains("function \"nosuch\" not defined")));
    assert_eq!(
        at(&d, codes::INTEGRATION_INVALID),
        vec![(11, 11)],
        "duplicate header, case-insensitive"
    );
    // No templates: section, so every template is known: my.subject is defined nowhere.
    assert_eq!(at(&d, codes::TEMPLATE_UNDEFINED), vec![(10, 20)]);
}

fn temp_stack() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("secrets")).expect("mkdir");
    dir
}

fn run_file(dir: &Path, y: &str, am: &AmOptions) -> Vec<Diagnostic> {
    let path = dir.join("alertmanager.yml");
    let tree = crate::yaml::parse(y).expect("yaml");
    let src = Source::new("conf/alertmanager.yml", &path, y);
    let mut diags = Vec::new();
    let opts = Options { check_files: true, ..Options::default() };
    check_config_with(&src, &tree, &opts, am, &mut diags);
    diags
}

#[test]
fn template_files_are_resolved_and_parsed() {
    let dir = temp_stack();
    std::fs::write(
        dir.path().join("templates/a.tmpl"),
        "{{ define \"ok\" }}{{ .Status | toUpper }}{{ end }}\n{{ define \"bad\" }}\n  {{ .X | nosuch }}\n{{ end }}\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("templates/b.tmpl"), "{{ define \"broken\" }}{{ if }}{{ end }}")
        .expect("write");
    let y = "templates:\n  - templates/*.tmpl\n  - missing/*.tmpl\nroute:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      - url: http://127.0.0.1:1/\n";
    let d = run_file(dir.path(), y, &AmOptions::default());
    let syntax: Vec<(&str, u32, u32)> = d
        .iter()
        .filter(|x| x.code == codes::TEMPLATE_SYNTAX)
        .map(|x| (x.path.as_str(), x.line, x.column))
        .collect();
    assert_eq!(syntax.len(), 2, "{d:?}");
    assert_eq!(syntax[0], ("conf/templates/a.tmpl", 3, 11));
    assert_eq!(syntax[1].0, "conf/templates/b.tmpl");
    assert_eq!(at(&d, codes::TEMPLATE_MISSING), vec![(3, 5)]);
    assert_eq!(
        d.iter().find(|x| x.code == codes::TEMPLATE_MISSING).map(|x| x.severity),
        Some(Severity::Warning)
    );

    // All globs resolve: references to undefined templates are reported.
    let y = "templates: ['templates/a.tmpl']\nroute:\n  receiver: a\nreceivers:\n  - name: a\n    slack_configs:\n      - api_url_file: /x\n        title: '{{ template \"ok\" . }}'\n        text: '{{ template \"okk\" . }}'\n        footer: '{{ template \"slack.default.footer\" . }}'\n";
    let d = run_file(dir.path(), y, &AmOptions::default());
    assert_eq!(at(&d, codes::TEMPLATE_UNDEFINED), vec![(9, 15)], "{d:?}");
    assert_eq!(
        d.iter().find(|x| x.code == codes::TEMPLATE_UNDEFINED).and_then(|x| x.help.as_deref()),
        Some("did you mean `ok`?")
    );
}

#[test]
fn files_and_container_path_mapping() {
    let dir = temp_stack();
    std::fs::write(dir.path().join("templates/t.tmpl"), "{{ define \"t\" }}x{{ end }}")
        .expect("write");
    let y = "global:\n  slack_api_url_file: /etc/alertmanager/secrets/slack\n  smtp_auth_password_file: /etc/alertmanager/secret/smtp\ntemplates: ['/etc/alertmanager/templates/*.tmpl']\nroute:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      - url: http://127.0.0.1:1/\n        http_config:\n          tls_config:\n            ca_file: ca.pem\n";
    let am = AmOptions {
        path_map: vec![(PathBuf::from("/etc/alertmanager"), dir.path().to_path_buf())],
        ..AmOptions::default()
    };
    let d = run_file(dir.path(), y, &am);
    // The secret file itself may be created later; a missing directory is a wrong path.
    assert_eq!(at(&d, codes::FILE_MISSING), vec![(3, 28), (13, 22)], "{d:?}");
    let sev: Vec<Severity> =
        d.iter().filter(|x| x.code == codes::FILE_MISSING).map(|x| x.severity).collect();
    assert_eq!(sev, vec![Severity::Warning, Severity::Error]);
    assert!(at(&d, codes::TEMPLATE_MISSING).is_empty(), "mapped template glob resolves: {d:?}");

    // Without the mapping the container template path is looked up as is: a warning that
    // says it is a container path, and the stack-relative one (which matches here).
    let d = run_file(dir.path(), y, &AmOptions::default());
    assert_eq!(at(&d, codes::TEMPLATE_MISSING), vec![(4, 13)]);
    let w = d.iter().find(|x| x.code == codes::TEMPLATE_MISSING).expect("warning");
    assert!(w.message.contains("is a path inside the Alertmanager container"), "{}", w.message);
    assert!(w.message.contains("beside this file, \"templates/*.tmpl\" matches 1 file(s)"));
    assert!(w.help.as_deref().is_some_and(|h| h.contains("alerting/templates/*.tmpl")));
    // Another absolute path: no container guess.
    let other = y.replace("/etc/alertmanager/templates/*.tmpl", "/srv/none/*.tmpl");
    let d = run_file(dir.path(), &other, &AmOptions::default());
    assert!(msg(&d, codes::TEMPLATE_MISSING).contains("matches no file"));
}

#[test]
fn routing_follows_the_tree() {
    let y = r#"route:
  receiver: default
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
      continue: true
    - matchers: ['severity=~"critical|warning"', 'team!="db"']
      receiver: chat
      routes:
        - match_re:
            service: 'api|web'
          receiver: web-chat
    - match:
        team: db
      receiver: db
      routes:
        - matchers: ['env="prod"']
receivers:
  - name: default
  - name: pager
  - name: chat
  - name: web-chat
  - name: db
"#;
    let (d, facts) = run_with(y, &Options::default(), &AmOptions::default());
    assert!(errors(&d).is_empty(), "{d:?}");
    let labels = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    assert_eq!(facts.route(&labels(&[("severity", "critical")])), vec!["pager", "chat"]);
    assert_eq!(
        facts.route(&labels(&[("severity", "warning"), ("service", "api")])),
        vec!["web-chat"]
    );
    assert_eq!(
        facts.route(&labels(&[("severity", "warning"), ("service", "api2")])),
        vec!["chat"],
        "regex is anchored"
    );
    assert_eq!(
        facts.route(&labels(&[("severity", "warning"), ("team", "db")])),
        vec!["db"],
        "negative matcher"
    );
    assert_eq!(
        facts.route(&labels(&[("team", "db"), ("env", "prod")])),
        vec!["db"],
        "receiver inherited"
    );
    assert_eq!(facts.route(&labels(&[("severity", "info")])), vec!["default"]);
    let root = facts.root.as_ref().expect("root");
    assert_eq!(root.routes[1].matchers.len(), 2);
    assert_eq!(root.routes[1].matchers[0].pos, Pos::new(7, 18));
    assert_eq!(root.routes[2].matchers[0].source, MatcherSource::Match);
    assert_eq!(facts.receivers.len(), 5);
    assert_eq!(facts.receiver_has_integrations("pager"), Some(false));
}

#[test]
fn inhibit_rules_facts_and_checks() {
    let y = "route:\n  receiver: a\nreceivers:\n  - name: a\ninhibit_rules:\n  - source_matchers: ['severity=\"critical\"']\n    target_matchers: ['severity=\"warning\"', 'x=~\"(\"']\n    equal: [alertname, '']\n";
    let (d, facts) = run_with(y, &Options::default(), &AmOptions::default());
    assert_eq!(at(&d, codes::MATCHER), vec![(7, 49)], "at the regex inside the string");
    assert_eq!(at(&d, codes::LABEL_NAME), vec![(8, 24)]);
    let names: Vec<(&str, &str)> =
        facts.inhibit_labels.iter().map(|l| (l.role, l.name.as_str())).collect();
    assert_eq!(names, vec![("source", "severity"), ("target", "severity"), ("equal", "alertname")]);
    assert_eq!(facts.inhibit_labels[2].pos, Pos::new(8, 13));
}

#[test]
fn the_stack_template_validates_clean() {
    let stack = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let path = stack.join("alerting/alertmanager.yml");
    let text = std::fs::read_to_string(&path).expect("stack alertmanager.yml");
    let tree = crate::yaml::parse(&text).expect("yaml");
    let src = Source::new("alerting/alertmanager.yml", &path, text.as_str());
    let mut diags = Vec::new();
    let opts = Options { check_files: true, ..Options::default() };
    let facts = check_config_with(&src, &tree, &opts, &AmOptions::for_stack(&stack), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    let route = |sev: &str| {
        let mut l = BTreeMap::new();
        l.insert("severity".to_string(), sev.to_string());
        facts.route(&l)
    };
    assert_eq!(route("critical"), vec!["critical"]);
    assert_eq!(route("warning"), vec!["warning"]);
    assert_eq!(route("info"), vec!["info-digest"]);
    assert_eq!(route("page"), vec!["email-default"]);
}

#[test]
fn invalid_global_is_reported_once_and_env_vars_anywhere() {
    let y = "global:\n  smtp_smarthost: SMTP_HOST\n  smtp_from: a@b\nroute:\n  receiver: a\nreceivers:\n  - name: a\n    email_configs:\n      - to: $ALERT_TO\n";
    let d = run(y);
    assert_eq!(errors(&d).len(), 1, "{d:?}");
    assert_eq!(at(&d, schema::BAD_VALUE), vec![(2, 19)]);
    assert!(msg(&d, schema::BAD_VALUE).contains("missing port in address"));
    assert_eq!(at(&d, codes::ENV_VAR), vec![(9, 13)]);
    assert!(msg(&d, codes::ENV_VAR).starts_with("receivers[0].email_configs[0].to: `$ALERT_TO`"));
}
