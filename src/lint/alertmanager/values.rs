//! Value formats of the Alertmanager loader: its URL rule (`ParseURL`: http or https with a
//! host) and the heuristic behind its warnings about credentials in URLs, on top of the Go formats shared with the Prometheus checker
//! (`lint::schema::values`), re-exported here.

pub use crate::lint::schema::values::{
    Anchor, compile_anchored, legacy_label_name, parse_go_duration, parse_host_port, parse_url,
    yaml_int,
};

/// `ParseURL` of Alertmanager: a URL Go can parse, scheme http or https, non-empty host.
pub fn parse_http_url(s: &str) -> Result<(), String> {
    let u = parse_url(s)?;
    if u.scheme != "http" && u.scheme != "https" {
        return Err(format!("unsupported scheme {:?} for URL", u.scheme));
    }
    if u.host.is_empty() {
        return Err("missing host for URL".into());
    }
    Ok(())
}

/// Query parameters that carry credentials.
const SECRET_PARAMS: &[&str] =
    &["token", "key", "apikey", "api_key", "secret", "password", "sig", "signature", "auth"];

/// A URL with a password in its user info or a credential-looking query parameter.
pub fn url_has_credentials(u: &str) -> bool {
    let rest = u.split_once("://").map_or(u, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.rsplit_once('@').is_some_and(|(ui, _)| ui.contains(':')) {
        return true;
    }
    let Some((_, query)) = rest.split_once('?') else {
        return false;
    };
    query.split('&').any(|kv| {
        let k = kv.split('=').next().unwrap_or("").to_ascii_lowercase();
        SECRET_PARAMS.contains(&k.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_urls() {
        assert!(parse_http_url("https://hooks.slack.com/services/T/B/X").is_ok());
        assert!(parse_http_url("http://127.0.0.1:9093/api").is_ok());
        assert!(parse_http_url("HTTP://EXAMPLE.com").is_ok());
        assert_eq!(
            parse_http_url("ftp://x").expect_err("must fail"),
            "unsupported scheme \"ftp\" for URL"
        );
        assert_eq!(
            parse_http_url("example.com/x").expect_err("must fail"),
            "unsupported scheme \"\" for URL"
        );
        assert_eq!(parse_http_url("http://").expect_err("must fail"), "missing host for URL");
        assert_eq!(parse_http_url("http:/x").expect_err("must fail"), "missing host for URL");
        assert!(parse_http_url("http://a b").is_err());
        assert!(parse_http_url("http://host:port").is_err());
    }

    #[test]
    fn credentials_in_urls() {
        assert!(url_has_credentials("https://u:p@h/x"));
        assert!(url_has_credentials("https://h/x?token=abc"));
        assert!(!url_has_credentials("http://127.0.0.1:5001/alerts"));
    }
}
