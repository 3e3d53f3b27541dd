//! Cloud-provider discoveries: AWS (generic `aws` and the per-service ec2, ecs,
//! elasticache, lightsail, msk, rds), Azure, DigitalOcean, GCE, Hetzner, IONOS, Linode,
//! OCI, OpenStack, Outscale, OVHcloud, Scaleway, STACKIT, Triton, Vultr.

use crate::lint::schema::Fields;

use super::super::code;
use super::super::cx::Cx;
use super::super::values;
use super::{HttpMode, Kind, T, at, dur_or, file, has, role, txt, txt_or};
use crate::lint::http_config::HttpFacts;

macro_rules! aws_fields {
    ($($extra:expr),* $(,)?) => {
        &[
            ("region", T::Str),
            ("endpoint", T::Str),
            ("access_key", T::Str),
            ("secret_key", T::Str),
            ("profile", T::Str),
            ("role_arn", T::Str),
            ("external_id", T::Str),
            ("refresh_interval", T::Dur),
            ("port", T::Int),
            $($extra),*
        ]
    };
}

pub static AWS: Kind = Kind {
    key: "aws_sd_configs",
    name: "aws",
    fields: aws_fields![("role", T::Custom), ("filters", T::Filters), ("clusters", T::Strs)],
    http: HttpMode::Unvalidated,
    check: check_aws,
};

fn check_aws(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    const ROLES: &[&str] = &["ec2", "ecs", "elasticache", "lightsail", "msk", "rds"];
    if f.get_raw("role").is_none() {
        cx.err_help(
            f.pos(),
            code::SD_CONFIG,
            "unknown AWS SD role \"\"",
            format!("aws_sd_configs needs `role:` (one of: {})", ROLES.join(", ")),
        );
    } else if role(cx, f, "role", ROLES, |s| format!("unknown AWS SD role {s:?}"))
        .is_some_and(|r| r.is_empty())
    {
        cx.err(at(f, "role"), code::SD_CONFIG, "unknown AWS SD role \"\"");
    }
}

pub static EC2: Kind = Kind {
    key: "ec2_sd_configs",
    name: "ec2",
    fields: aws_fields![("filters", T::Filters)],
    http: HttpMode::Validated,
    check: check_ec2,
};

fn check_ec2(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if let Some(items) = f.get("filters").and_then(|n| n.as_seq()) {
        for it in items {
            let empty = it.get("values").is_none_or(|v| v.as_seq().is_none_or(<[_]>::is_empty));
            if it.as_map().is_some() && empty {
                let pos = it.get_key("values").map_or(it.pos, |(k, _)| k.pos);
                cx.err(pos, code::SD_CONFIG, "EC2 SD configuration filter values cannot be empty");
            }
        }
    }
}

fn no_rules(_cx: &mut Cx<'_>, _f: &Fields<'_>, _h: &HttpFacts) {}

pub static LIGHTSAIL: Kind = Kind {
    key: "lightsail_sd_configs",
    name: "lightsail",
    fields: aws_fields![],
    http: HttpMode::Validated,
    check: no_rules,
};

pub static ECS: Kind = Kind {
    key: "ecs_sd_configs",
    name: "ecs",
    fields: aws_fields![("clusters", T::Strs), ("request_concurrency", T::Int)],
    http: HttpMode::Validated,
    check: no_rules,
};

pub static ELASTICACHE: Kind = Kind {
    key: "elasticache_sd_configs",
    name: "elasticache",
    fields: aws_fields![("clusters", T::Strs), ("request_concurrency", T::Int)],
    http: HttpMode::Validated,
    check: no_rules,
};

pub static MSK: Kind = Kind {
    key: "msk_sd_configs",
    name: "msk",
    fields: aws_fields![("clusters", T::Strs), ("request_concurrency", T::Int)],
    http: HttpMode::Validated,
    check: no_rules,
};

pub static RDS: Kind = Kind {
    key: "rds_sd_configs",
    name: "rds",
    fields: aws_fields![
        ("clusters", T::Strs),
        ("request_concurrency", T::Int),
        ("filters", T::Filters)
    ],
    http: HttpMode::Validated,
    check: no_rules,
};

pub static AZURE: Kind = Kind {
    key: "azure_sd_configs",
    name: "azure",
    fields: &[
        ("environment", T::Str),
        ("port", T::Int),
        ("subscription_id", T::Str),
        ("tenant_id", T::Str),
        ("client_id", T::Str),
        ("client_secret", T::Str),
        ("refresh_interval", T::Dur),
        ("authentication_method", T::Str),
        ("resource_group", T::Str),
    ],
    http: HttpMode::Validated,
    check: check_azure,
};

fn check_azure(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    const METHODS: &[&str] = &["OAuth", "ManagedIdentity", "SDK", "WorkloadIdentity"];
    let require = |cx: &mut Cx<'_>, name: &str| {
        if txt(f, name).is_empty() {
            cx.err(
                at(f, name),
                code::SD_CONFIG,
                format!("azure SD configuration requires a {name}"),
            );
        }
    };
    require(cx, "subscription_id");
    let method = txt_or(f, "authentication_method", "OAuth");
    if method == "OAuth" {
        require(cx, "tenant_id");
        require(cx, "client_id");
        require(cx, "client_secret");
    }
    if !METHODS.contains(&method) {
        cx.err(
            super::val_at(f, "authentication_method"),
            code::SD_CONFIG,
            format!(
                "unknown authentication_type {method:?}. Supported types are \"OAuth\", \"ManagedIdentity\", \"SDK\" or \"WorkloadIdentity\""
            ),
        );
    }
}

pub static DIGITALOCEAN: Kind = Kind {
    key: "digitalocean_sd_configs",
    name: "digitalocean",
    fields: &[("refresh_interval", T::Dur), ("port", T::Int), ("role", T::Custom)],
    http: HttpMode::Validated,
    check: check_digitalocean,
};

fn check_digitalocean(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if let Some(r) = role(cx, f, "role", &["droplets", "databases"], |s| {
        format!("unknown DigitalOcean SD role {s:?}")
    }) && r.is_empty()
    {
        cx.err(at(f, "role"), code::SD_CONFIG, "role missing (one of: droplets, databases)");
    }
}

pub static GCE: Kind = Kind {
    key: "gce_sd_configs",
    name: "gce",
    fields: &[
        ("project", T::Str),
        ("zone", T::Str),
        ("filter", T::Str),
        ("refresh_interval", T::Dur),
        ("port", T::Int),
        ("tag_separator", T::Str),
    ],
    http: HttpMode::None,
    check: check_gce,
};

fn check_gce(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if txt(f, "project").is_empty() {
        cx.err(at(f, "project"), code::SD_CONFIG, "GCE SD configuration requires a project");
    }
    if txt(f, "zone").is_empty() {
        cx.err(at(f, "zone"), code::SD_CONFIG, "GCE SD configuration requires a zone");
    }
}

pub static HETZNER: Kind = Kind {
    key: "hetzner_sd_configs",
    name: "hetzner",
    fields: &[
        ("refresh_interval", T::Dur),
        ("port", T::Int),
        ("role", T::Custom),
        ("label_selector", T::Str),
    ],
    http: HttpMode::Validated,
    check: check_hetzner,
};

fn check_hetzner(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    match role(cx, f, "role", &["robot", "hcloud"], |s| format!("unknown role {s:?}")) {
        Some(r) if !r.is_empty() => {}
        Some(_) => cx.err(at(f, "role"), code::SD_CONFIG, "role missing (one of: robot, hcloud)"),
        None if f.get_raw("role").is_none() => {
            cx.err(f.pos(), code::SD_CONFIG, "role missing (one of: robot, hcloud)")
        }
        None => {}
    }
}

pub static IONOS: Kind = Kind {
    key: "ionos_sd_configs",
    name: "ionos",
    fields: &[("datacenter_id", T::Str), ("refresh_interval", T::Dur), ("port", T::Int)],
    http: HttpMode::Validated,
    check: check_ionos,
};

fn check_ionos(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if txt(f, "datacenter_id").is_empty() {
        cx.err(at(f, "datacenter_id"), code::SD_CONFIG, "datacenter id can't be empty");
    }
}

pub static LINODE: Kind = Kind {
    key: "linode_sd_configs",
    name: "linode",
    fields: &[
        ("refresh_interval", T::Dur),
        ("port", T::Int),
        ("tag_separator", T::Str),
        ("region", T::Str),
    ],
    http: HttpMode::Validated,
    check: no_rules,
};

pub static VULTR: Kind = Kind {
    key: "vultr_sd_configs",
    name: "vultr",
    fields: &[("refresh_interval", T::Dur), ("port", T::Int)],
    http: HttpMode::Validated,
    check: no_rules,
};

pub static OCI: Kind = Kind {
    key: "oci_sd_configs",
    name: "oci",
    fields: &[
        ("auth", T::Str),
        ("tenancy", T::Str),
        ("user", T::Str),
        ("fingerprint", T::Str),
        ("key_file", T::Str),
        ("key_passphrase", T::Str),
        ("key_passphrase_file", T::Str),
        ("region", T::Str),
        ("compartments", T::Strs),
        ("port", T::Int),
        ("refresh_interval", T::Dur),
    ],
    http: HttpMode::Validated,
    check: check_oci,
};

fn check_oci(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if txt(f, "region").is_empty() {
        cx.err(at(f, "region"), code::SD_CONFIG, "oci_sd: region is required");
    }
    const CREDS: [&str; 6] =
        ["tenancy", "user", "fingerprint", "key_file", "key_passphrase", "key_passphrase_file"];
    match txt_or(f, "auth", "api_key") {
        "api_key" => {
            for name in ["tenancy", "user", "fingerprint", "key_file"] {
                if txt(f, name).is_empty() {
                    cx.err(
                        at(f, name),
                        code::SD_CONFIG,
                        format!("oci_sd: api_key auth requires {name}"),
                    );
                }
            }
            if !txt(f, "key_passphrase").is_empty() && !txt(f, "key_passphrase_file").is_empty() {
                cx.err(
                    at(f, "key_passphrase_file").max(at(f, "key_passphrase")),
                    code::AUTH_CONFLICT,
                    "oci_sd: at most one of key_passphrase and key_passphrase_file must be configured",
                );
            }
            file(cx, f, "key_file", "oci_sd key_file");
            file(cx, f, "key_passphrase_file", "oci_sd key_passphrase_file");
        }
        "instance_principal" => {
            if let Some(name) = CREDS.iter().find(|n| !txt(f, n).is_empty()) {
                cx.err(
                    at(f, name),
                    code::SD_CONFIG,
                    "oci_sd: instance_principal auth must not have tenancy, user, fingerprint, key_file, key_passphrase, or key_passphrase_file set",
                );
            }
        }
        other => cx.err(
            super::val_at(f, "auth"),
            code::SD_CONFIG,
            format!(
                "oci_sd: unknown auth method {other:?}, expected \"api_key\" or \"instance_principal\""
            ),
        ),
    }
    if let Some(items) = f.get("compartments").and_then(|n| n.as_seq()) {
        for (i, it) in items.iter().enumerate() {
            if it.scalar_text().unwrap_or("").is_empty() {
                cx.err(
                    it.pos,
                    code::SD_CONFIG,
                    format!("oci_sd: compartments[{i}] must not be empty"),
                );
            }
        }
    }
    if dur_or(f, "refresh_interval", 60_000) == Some(0) {
        cx.err(
            at(f, "refresh_interval"),
            code::SD_CONFIG,
            "oci_sd: refresh_interval must be positive, got 0s",
        );
    }
}

pub static OPENSTACK: Kind = Kind {
    key: "openstack_sd_configs",
    name: "openstack",
    fields: &[
        ("identity_endpoint", T::Str),
        ("username", T::Str),
        ("userid", T::Str),
        ("password", T::Str),
        ("project_name", T::Str),
        ("project_id", T::Str),
        ("domain_name", T::Str),
        ("domain_id", T::Str),
        ("application_credential_name", T::Str),
        ("application_credential_id", T::Str),
        ("application_credential_secret", T::Str),
        ("role", T::Custom),
        ("region", T::Str),
        ("refresh_interval", T::Dur),
        ("port", T::Int),
        ("all_tenants", T::Bool),
        ("tls_config", T::Tls),
        ("availability", T::Str),
    ],
    http: HttpMode::None,
    check: check_openstack,
};

fn check_openstack(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    let avail = txt_or(f, "availability", "public");
    if !["public", "internal", "admin"].contains(&avail) {
        cx.err(
            super::val_at(f, "availability"),
            code::SD_CONFIG,
            format!("unknown availability {avail}, must be one of admin, internal or public"),
        );
    }
    let r = role(cx, f, "role", &["hypervisor", "instance", "loadbalancer"], |s| {
        format!("unknown OpenStack SD role {s:?}")
    });
    if r.as_deref().is_some_and(str::is_empty) || f.get_raw("role").is_none() {
        cx.err(
            at(f, "role"),
            code::SD_CONFIG,
            "role missing (one of: instance, hypervisor, loadbalancer)",
        );
    }
    if txt(f, "region").is_empty() {
        cx.err(at(f, "region"), code::SD_CONFIG, "openstack SD configuration requires a region");
    }
}

pub static OUTSCALE: Kind = Kind {
    key: "outscale_sd_configs",
    name: "outscale",
    fields: &[
        ("endpoint", T::Str),
        ("region", T::Str),
        ("access_key", T::Str),
        ("secret_key", T::Str),
        ("secret_key_file", T::Str),
        ("refresh_interval", T::Dur),
        ("port", T::Int),
    ],
    http: HttpMode::Validated,
    check: check_outscale,
};

fn check_outscale(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if txt_or(f, "region", "eu-west-2").is_empty() {
        cx.err(at(f, "region"), code::SD_CONFIG, "outscale SD configuration requires a region");
    }
    if txt(f, "access_key").is_empty() {
        cx.err(
            at(f, "access_key"),
            code::SD_CONFIG,
            "outscale SD configuration requires access_key",
        );
    }
    secret_pair(cx, f);
}

/// `secret_key` / `secret_key_file`: exactly one (Outscale, Scaleway).
fn secret_pair(cx: &mut Cx<'_>, f: &Fields<'_>) {
    let (k, kf) = (txt(f, "secret_key"), txt(f, "secret_key_file"));
    if k.is_empty() && kf.is_empty() {
        cx.err(f.pos(), code::AUTH, "one of secret_key & secret_key_file must be configured");
    }
    if !k.is_empty() && !kf.is_empty() {
        cx.err(
            at(f, "secret_key").max(at(f, "secret_key_file")),
            code::AUTH_CONFLICT,
            "at most one of secret_key & secret_key_file must be configured",
        );
    }
    file(cx, f, "secret_key_file", "secret_key_file");
}

pub static OVHCLOUD: Kind = Kind {
    key: "ovhcloud_sd_configs",
    name: "ovhcloud",
    fields: &[
        ("endpoint", T::Str),
        ("application_key", T::Str),
        ("application_secret", T::Str),
        ("consumer_key", T::Str),
        ("refresh_interval", T::Dur),
        ("service", T::Str),
    ],
    http: HttpMode::None,
    check: check_ovhcloud,
};

fn check_ovhcloud(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if txt_or(f, "endpoint", "ovh-eu").is_empty() {
        cx.err(at(f, "endpoint"), code::SD_CONFIG, "endpoint can not be empty");
    }
    for (name, what) in [
        ("application_key", "application key"),
        ("application_secret", "application secret"),
        ("consumer_key", "consumer key"),
    ] {
        if txt(f, name).is_empty() {
            cx.err(at(f, name), code::SD_CONFIG, format!("{what} can not be empty"));
        }
    }
    let service = txt(f, "service");
    if !["dedicated_server", "vps"].contains(&service) {
        cx.err_help(
            super::val_at(f, "service"),
            code::SD_CONFIG,
            format!("unknown service: {service}"),
            "service is `dedicated_server` or `vps`",
        );
    }
}

pub static SCALEWAY: Kind = Kind {
    key: "scaleway_sd_configs",
    name: "scaleway",
    fields: &[
        ("project_id", T::Str),
        ("api_url", T::Str),
        ("zone", T::Str),
        ("access_key", T::Str),
        ("secret_key", T::Str),
        ("secret_key_file", T::Str),
        ("name_filter", T::Str),
        ("tags_filter", T::Strs),
        ("refresh_interval", T::Dur),
        ("port", T::Int),
        ("role", T::Custom),
    ],
    http: HttpMode::Validated,
    check: check_scaleway,
};

fn check_scaleway(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    match role(cx, f, "role", &["instance", "baremetal"], |s| format!("unknown role {s:?}")) {
        Some(r) if !r.is_empty() => {}
        Some(_) => {
            cx.err(at(f, "role"), code::SD_CONFIG, "role missing (one of: instance, baremetal)")
        }
        None if f.get_raw("role").is_none() => {
            cx.err(f.pos(), code::SD_CONFIG, "role missing (one of: instance, baremetal)")
        }
        None => {}
    }
    let project = txt(f, "project_id");
    if project.is_empty() {
        cx.err(at(f, "project_id"), code::SD_CONFIG, "project_id is mandatory");
    } else if !values::is_uuid(project) {
        cx.err(
            super::val_at(f, "project_id"),
            code::SD_CONFIG,
            format!(
                "invalid project ID format '{project}', expected a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
            ),
        );
    }
    secret_pair(cx, f);
    let secret = txt(f, "secret_key");
    if !secret.is_empty() && txt(f, "secret_key_file").is_empty() && !values::is_uuid(secret) {
        cx.err(
            super::val_at(f, "secret_key"),
            code::SD_CONFIG,
            "invalid secret key format, expected a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
        );
    }
    let access = txt(f, "access_key");
    if access.is_empty() {
        cx.err(at(f, "access_key"), code::SD_CONFIG, "access_key is mandatory");
    } else if !(access.len() == 20
        && access.starts_with("SCW")
        && access[3..].bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
    {
        cx.err(
            super::val_at(f, "access_key"),
            code::SD_CONFIG,
            format!("invalid access key format '{access}', expected SCWXXXXXXXXXXXXXXXXX format"),
        );
    }
    let zone = txt_or(f, "zone", "fr-par-1");
    if !valid_scw_zone(zone) {
        cx.err(
            super::val_at(f, "zone"),
            code::SD_CONFIG,
            format!("invalid default zone format '{zone}' (expected e.g. fr-par-1)"),
        );
    }
    if has(f, "api_url") || f.get_raw("api_url").is_some() {
        let u = txt(f, "api_url");
        if u.is_empty() || super::super::values::parse_url(u).is_err() {
            cx.err(super::val_at(f, "api_url"), code::URL, format!("invalid API url '{u}'"));
        }
    }
}

/// `^[a-z]{2}-[a-z]{3,7}-[0-9]{1,2}$`.
fn valid_scw_zone(z: &str) -> bool {
    let p: Vec<&str> = z.split('-').collect();
    p.len() == 3
        && p[0].len() == 2
        && p[0].bytes().all(|b| b.is_ascii_lowercase())
        && (3..=7).contains(&p[1].len())
        && p[1].bytes().all(|b| b.is_ascii_lowercase())
        && (1..=2).contains(&p[2].len())
        && p[2].bytes().all(|b| b.is_ascii_digit())
}

pub static STACKIT: Kind = Kind {
    key: "stackit_sd_configs",
    name: "stackit",
    fields: &[
        ("project", T::Str),
        ("refresh_interval", T::Dur),
        ("port", T::Int),
        ("region", T::Str),
        ("endpoint", T::Str),
        ("service_account_key", T::Str),
        ("private_key", T::Str),
        ("service_account_key_path", T::Str),
        ("private_key_path", T::Str),
        ("credentials_file_path", T::Str),
    ],
    http: HttpMode::Validated,
    check: check_stackit,
};

fn check_stackit(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    if txt(f, "endpoint").is_empty() && txt_or(f, "region", "eu01").is_empty() {
        cx.err(at(f, "region"), code::SD_CONFIG, "stackit_sd: endpoint and region missing");
    }
    let ep = txt(f, "endpoint");
    if let Err(e) = super::super::values::parse_url(ep) {
        cx.err(
            super::val_at(f, "endpoint"),
            code::URL,
            format!("stackit_sd: invalid endpoint {ep:?}: {e}"),
        );
    }
    file(cx, f, "service_account_key_path", "stackit_sd service_account_key_path");
    file(cx, f, "private_key_path", "stackit_sd private_key_path");
    file(cx, f, "credentials_file_path", "stackit_sd credentials_file_path");
}

pub static TRITON: Kind = Kind {
    key: "triton_sd_configs",
    name: "triton",
    fields: &[
        ("account", T::Str),
        ("role", T::Str),
        ("dns_suffix", T::Str),
        ("endpoint", T::Str),
        ("groups", T::Strs),
        ("port", T::Int),
        ("refresh_interval", T::Dur),
        ("tls_config", T::Tls),
        ("version", T::Int),
    ],
    http: HttpMode::None,
    check: check_triton,
};

fn check_triton(cx: &mut Cx<'_>, f: &Fields<'_>, _h: &HttpFacts) {
    let r = txt_or(f, "role", "container");
    if r != "container" && r != "cn" {
        cx.err(
            super::val_at(f, "role"),
            code::SD_CONFIG,
            "triton SD configuration requires role to be 'container' or 'cn'",
        );
    }
    for (name, what) in
        [("account", "an account"), ("dns_suffix", "a dns_suffix"), ("endpoint", "an endpoint")]
    {
        if txt(f, name).is_empty() {
            cx.err(
                at(f, name),
                code::SD_CONFIG,
                format!("triton SD configuration requires {what}"),
            );
        }
    }
    if dur_or(f, "refresh_interval", 60_000) == Some(0) {
        cx.err(
            at(f, "refresh_interval"),
            code::SD_CONFIG,
            "triton SD configuration requires RefreshInterval to be a positive integer",
        );
    }
}
