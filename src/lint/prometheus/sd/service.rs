//! Discoveries of service registries and orchestrators: Consul, DNS, Docker, Docker
//! Swarm, Eureka, HTTP, Kuma, Marathon, Nerve, Nomad, PuppetDB, Serverset, Uyuni.

use crate::lint::schema::Fields;

use super::super::code;
use super::super::cx::Cx;
use super::{HttpMode, Kind, T, at, file, len, parse_url_field, txt, txt_or, val_at};
use crate::lint::http_config::HttpFacts;

pub static CONSUL: Kind = Kind {
    key: "consul_sd_configs",
    name: "consul",
    fields: &[
        ("server", T::Str),
        ("path_prefix", T::Str),
        ("token", T::Str),
        ("datacenter", T::Str),
        ("namespace", T::Str),
        ("partition", T::Str),
        ("tag_separator", T::Str),
        ("scheme", T::Str),
        ("username", T::Str),
        ("password", T::Str),
        ("allow_stale", T::Bool),
        ("refresh_interval", T::Dur),
        ("services", T::Strs),
        ("tags", T::Strs),
        ("node_meta", T::StrMap),
        ("filter", T::Str),
        ("health_filter", T::Str),
    ],
    http: HttpMode::Validated,
    check: check_consul,
};

fn check_consul(cx: &mut Cx<'_>, f: &Fields<'_>, h: &HttpFacts) {
    if txt_or(f, "server", "localhost:8500").trim().is_empty() {
        cx.err(
            at(f, "server"),
            code::SD_CONFIG,
            "consul SD configuration requires a server address",
        );
    }
    let user = !txt(f, "username").is_empty() || !txt(f, "password").is_empty();
    if user && let Some(b) = h.basic_auth {
        cx.err(
            b.max(at(f, "username")),
            code::AUTH_CONFLICT,
            "at most one of consul SD configuration username and password and basic auth can be configured",
        );
    }
    if !txt(f, "token").is_empty()
        && let Some(a) = super::super::cx::latest(&[h.authorization, h.oauth2])
    {
        cx.err(
            a.max(at(f, "token")),
            code::AUTH_CONFLICT,
            "at most one of consul SD token, authorization, or oauth2 can be configured",
        );
    }
}

pub static DNS: Kind = Kind {
    key: "dns_sd_configs",
    name: "dns",
    fields: &[("names", T::Strs), ("refresh_interval", T::Dur), ("type", T::Str), ("port", T::Int)],
    http: HttpMode::None,
    check: check_dns,
};

fn check_dns(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if len(f, "names") == 0 {
        cx.err(
            at(f, "names"),
            code::SD_CONFIG,
            "DNS-SD config must contain at least one SRV record name",
        );
    }
    let t = txt_or(f, "type", "SRV");
    match t.to_ascii_uppercase().as_str() {
        "SRV" => {}
        "A" | "AAAA" | "MX" | "NS" => {
            let port = f.get("port").and_then(|n| n.as_i64()).unwrap_or(0);
            if port == 0 {
                cx.err_help(
                    at(f, "port"),
                    code::SD_CONFIG,
                    "a port is required in DNS-SD configs for all record types except SRV",
                    format!("{t} records carry no port: add `port:`"),
                );
            }
        }
        _ => cx.err_help(
            val_at(f, "type"),
            code::SD_CONFIG,
            format!("invalid DNS-SD records type {t}"),
            "type is one of SRV, A, AAAA, MX, NS",
        ),
    }
}

const DOCKER_FIELDS: &[(&str, T)] = &[
    ("host", T::Str),
    ("port", T::Int),
    ("filters", T::Filters),
    ("host_networking_host", T::Str),
    ("refresh_interval", T::Dur),
    ("match_first_network", T::Bool),
];

pub static DOCKER: Kind = Kind {
    key: "docker_sd_configs",
    name: "docker",
    fields: DOCKER_FIELDS,
    http: HttpMode::Validated,
    check: check_docker,
};

fn check_docker_host(cx: &mut Cx<'_>, f: &Fields<'_>) {
    if txt(f, "host").is_empty() {
        cx.err_help(
            at(f, "host"),
            code::SD_CONFIG,
            "host missing",
            "e.g. `host: unix:///var/run/docker.sock`",
        );
    } else {
        parse_url_field(cx, f, "host");
    }
}

fn check_docker(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    check_docker_host(cx, f);
}

pub static DOCKERSWARM: Kind = Kind {
    key: "dockerswarm_sd_configs",
    name: "dockerswarm",
    fields: &[
        ("host", T::Str),
        ("role", T::Str),
        ("port", T::Int),
        ("filters", T::Filters),
        ("refresh_interval", T::Dur),
    ],
    http: HttpMode::Validated,
    check: check_dockerswarm,
};

fn check_dockerswarm(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    check_docker_host(cx, f);
    match txt(f, "role") {
        "services" | "nodes" | "tasks" => {}
        "" => {
            cx.err(at(f, "role"), code::SD_CONFIG, "role missing (one of: tasks, services, nodes)")
        }
        r => cx.err(
            val_at(f, "role"),
            code::SD_CONFIG,
            format!("invalid role {r}, expected tasks, services, or nodes"),
        ),
    }
}

pub static EUREKA: Kind = Kind {
    key: "eureka_sd_configs",
    name: "eureka",
    fields: &[("server", T::Str), ("refresh_interval", T::Dur)],
    http: HttpMode::Validated,
    check: check_eureka,
};

fn check_eureka(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if txt(f, "server").is_empty() {
        cx.err(at(f, "server"), code::SD_CONFIG, "eureka_sd: empty or null eureka server");
        return;
    }
    if let Some(u) = parse_url_field(cx, f, "server")
        && (u.scheme.is_empty() || u.host.is_empty())
    {
        cx.err(val_at(f, "server"), code::URL, "eureka_sd: invalid eureka server URL");
    }
}

/// `url` of the HTTP and PuppetDB discoveries: http(s) with a host.
fn http_url(cx: &mut Cx<'_>, f: &Fields<'_>) {
    if txt(f, "url").is_empty() {
        cx.err(at(f, "url"), code::URL, "URL is missing");
        return;
    }
    let Some(u) = parse_url_field(cx, f, "url") else { return };
    if u.scheme != "http" && u.scheme != "https" {
        cx.err(val_at(f, "url"), code::URL, "URL scheme must be 'http' or 'https'");
    } else if u.host.is_empty() {
        cx.err(val_at(f, "url"), code::URL, "host is missing in URL");
    }
}

pub static HTTP: Kind = Kind {
    key: "http_sd_configs",
    name: "http",
    fields: &[("refresh_interval", T::Dur), ("url", T::Str)],
    http: HttpMode::Validated,
    check: check_http_sd,
};

fn check_http_sd(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    http_url(cx, f);
}

pub static PUPPETDB: Kind = Kind {
    key: "puppetdb_sd_configs",
    name: "puppetdb",
    fields: &[
        ("refresh_interval", T::Dur),
        ("url", T::Str),
        ("query", T::Str),
        ("include_parameters", T::Bool),
        ("port", T::Int),
    ],
    http: HttpMode::Validated,
    check: check_puppetdb,
};

fn check_puppetdb(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    http_url(cx, f);
    if txt(f, "query").is_empty() {
        cx.err(at(f, "query"), code::SD_CONFIG, "query missing");
    }
}

pub static KUMA: Kind = Kind {
    key: "kuma_sd_configs",
    name: "kuma",
    fields: &[
        ("refresh_interval", T::Dur),
        ("fetch_timeout", T::Dur),
        ("server", T::Str),
        ("client_id", T::Str),
    ],
    http: HttpMode::Validated,
    check: check_kuma,
};

fn check_kuma(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    let s = txt(f, "server");
    if s.is_empty() {
        cx.err(at(f, "server"), code::SD_CONFIG, "kuma SD server must not be empty: ");
        return;
    }
    if let Some(u) = parse_url_field(cx, f, "server")
        && (u.scheme.is_empty() || u.host.is_empty())
    {
        cx.err(
            val_at(f, "server"),
            code::URL,
            format!("kuma SD server must not be empty and have a scheme: {s}"),
        );
    }
}

pub static MARATHON: Kind = Kind {
    key: "marathon_sd_configs",
    name: "marathon",
    fields: &[
        ("servers", T::Strs),
        ("refresh_interval", T::Dur),
        ("auth_token", T::Str),
        ("auth_token_file", T::Str),
    ],
    http: HttpMode::Validated,
    check: check_marathon,
};

fn check_marathon(cx: &mut Cx<'_>, f: &Fields<'_>, h: &HttpFacts) {
    if len(f, "servers") == 0 {
        cx.err(
            at(f, "servers"),
            code::SD_CONFIG,
            "marathon_sd: must contain at least one Marathon server",
        );
    }
    let token = !txt(f, "auth_token").is_empty();
    let token_file = !txt(f, "auth_token_file").is_empty();
    let tpos = at(f, "auth_token").max(at(f, "auth_token_file"));
    if token && token_file {
        cx.err(
            tpos,
            code::AUTH_CONFLICT,
            "marathon_sd: at most one of auth_token & auth_token_file must be configured",
        );
    }
    if token || token_file {
        if let Some(b) = h.basic_auth {
            cx.err(
                b.max(tpos),
                code::AUTH_CONFLICT,
                "marathon_sd: at most one of basic_auth, auth_token & auth_token_file must be configured",
            );
        } else if let Some(b) = super::super::cx::latest(&[h.bearer_token, h.bearer_token_file]) {
            cx.err(
                b.max(tpos),
                code::AUTH_CONFLICT,
                "marathon_sd: at most one of bearer_token, bearer_token_file, auth_token & auth_token_file must be configured",
            );
        } else if let Some(a) = h.authorization {
            cx.err(
                a.max(tpos),
                code::AUTH_CONFLICT,
                "marathon_sd: at most one of auth_token, auth_token_file & authorization must be configured",
            );
        }
    }
    file(cx, f, "auth_token_file", "marathon_sd auth_token_file");
}

pub static NOMAD: Kind = Kind {
    key: "nomad_sd_configs",
    name: "nomad",
    fields: &[
        ("allow_stale", T::Bool),
        ("namespace", T::Str),
        ("refresh_interval", T::Dur),
        ("region", T::Str),
        ("server", T::Str),
        ("tag_separator", T::Str),
    ],
    http: HttpMode::Validated,
    check: check_nomad,
};

fn check_nomad(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if txt_or(f, "server", "http://localhost:4646").trim().is_empty() {
        cx.err(
            at(f, "server"),
            code::SD_CONFIG,
            "nomad SD configuration requires a server address",
        );
    }
}

const ZK_FIELDS: &[(&str, T)] = &[("servers", T::Strs), ("paths", T::Strs), ("timeout", T::Dur)];

pub static NERVE: Kind = Kind {
    key: "nerve_sd_configs",
    name: "nerve",
    fields: ZK_FIELDS,
    http: HttpMode::None,
    check: check_nerve,
};

pub static SERVERSET: Kind = Kind {
    key: "serverset_sd_configs",
    name: "serverset",
    fields: ZK_FIELDS,
    http: HttpMode::None,
    check: check_serverset,
};

fn check_nerve(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    check_zookeeper(cx, f, "nerve");
}

fn check_serverset(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    check_zookeeper(cx, f, "serverset");
}

fn check_zookeeper(cx: &mut Cx<'_>, f: &Fields<'_>, name: &str) {
    if len(f, "servers") == 0 {
        cx.err(
            at(f, "servers"),
            code::SD_CONFIG,
            format!("{name} SD config must contain at least one Zookeeper server"),
        );
    }
    if len(f, "paths") == 0 {
        cx.err(
            at(f, "paths"),
            code::SD_CONFIG,
            format!("{name} SD config must contain at least one path"),
        );
    }
    if let Some(items) = f.get("paths").and_then(|n| n.as_seq()) {
        for it in items {
            let p = it.scalar_text().unwrap_or("");
            if !p.starts_with('/') {
                cx.err(
                    it.pos,
                    code::SD_CONFIG,
                    format!("{name} SD config paths must begin with '/': {p}"),
                );
            }
        }
    }
}

pub static UYUNI: Kind = Kind {
    key: "uyuni_sd_configs",
    name: "uyuni",
    fields: &[
        ("server", T::Str),
        ("username", T::Str),
        ("password", T::Str),
        ("entitlement", T::Str),
        ("separator", T::Str),
        ("refresh_interval", T::Dur),
    ],
    http: HttpMode::Validated,
    check: check_uyuni,
};

fn check_uyuni(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if txt(f, "server").is_empty() {
        cx.err(at(f, "server"), code::SD_CONFIG, "Uyuni SD configuration requires server host");
    } else if let Err(e) = super::super::values::parse_url(txt(f, "server")) {
        cx.err(val_at(f, "server"), code::URL, format!("Uyuni Server URL is not valid: {e}"));
    }
    if txt(f, "username").is_empty() {
        cx.err(at(f, "username"), code::SD_CONFIG, "Uyuni SD configuration requires a username");
    }
    if txt(f, "password").is_empty() {
        cx.err(at(f, "password"), code::SD_CONFIG, "Uyuni SD configuration requires a password");
    }
}
