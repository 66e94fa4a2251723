//! The provider's endpoints: Auth0's conventions under a domain, or OpenID Connect Discovery 1.0.

use crate::core::config::check_redirect_uri;
use crate::core::error::Error;
use crate::core::text::{concat, find_byte, trim_end};
use alloc::string::String;

/// The fields of a discovery document the SDK uses (OpenID Connect Discovery 1.0 §3).
#[derive(Debug, Default)]
pub(crate) struct Discovery {
    /// Must equal the configured issuer exactly (§4.3).
    pub(crate) issuer: Option<String>,
    /// The authorization endpoint.
    pub(crate) authorization_endpoint: Option<String>,
    /// Where an authorization code is exchanged for tokens.
    pub(crate) token_endpoint: Option<String>,
    /// Whether every authorization response names its issuer (RFC 9207 §3):
    /// `authorization_response_iss_parameter_supported` is `true`.
    pub(crate) iss_parameter_supported: bool,
    /// Where the provider's signing keys are published.
    pub(crate) jwks_uri: Option<String>,
    /// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).
    pub(crate) end_session_endpoint: Option<String>,
    /// Whether `response_modes_supported` lists `web_message` (none listed means `query` and
    /// `fragment` only, §3). A flag, not the list: only this is asked of it, where the document
    /// is read, so no list of the modes is copied out and dropped (wasm size).
    pub(crate) lists_web_message: bool,
}

/// How the provider logs a user out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LogoutEndpoint {
    /// Auth0's `/v2/logout` with `client_id` and `returnTo`.
    Auth0(String),
    /// An OIDC `end_session_endpoint` with `id_token_hint` and `post_logout_redirect_uri`.
    EndSession(String),
    /// The provider offers none.
    Unsupported,
}

/// The provider's endpoints, known to be https (or http on loopback). The issuer they serve is
/// the configuration's ([`Config::issuer`](crate::core::config::Config::issuer)), not copied here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoints {
    /// The authorization endpoint.
    pub(crate) authorization: String,
    /// The token endpoint, for the code flow; implicit-only providers may publish none.
    pub(crate) token: Option<String>,
    /// Whether an authorization response without `iss` is refused (RFC 9207 §2.4).
    pub(crate) iss_required: bool,
    /// The JWKS URL: from configuration or discovery, never from a token.
    pub(crate) jwks_uri: String,
    /// The logout endpoint.
    pub(crate) logout: LogoutEndpoint,
    /// Whether the provider answers silent authentication by `response_mode=web_message`.
    pub(crate) web_message: bool,
}

/// The discovery document's URL for an issuer (§4: a trailing `/` is not doubled).
pub(crate) fn discovery_url(issuer: &str) -> String {
    concat(&[trim_end(issuer, b'/'), "/.well-known/openid-configuration"])
}

impl Endpoints {
    /// Auth0's endpoints under `base` (`https://{domain}/`, which is also the issuer).
    pub(crate) fn auth0(base: &str) -> Endpoints {
        Endpoints {
            authorization: concat(&[base, "authorize"]),
            token: Some(concat(&[base, "oauth/token"])),
            iss_required: false,
            jwks_uri: concat(&[base, ".well-known/jwks.json"]),
            logout: LogoutEndpoint::Auth0(concat(&[base, "v2/logout"])),
            web_message: true,
        }
    }

    /// Checks a discovery document against the configured issuer.
    pub(crate) fn from_discovery(issuer: &str, doc: Discovery) -> Result<Endpoints, Error> {
        if doc.issuer.as_deref() != Some(issuer) {
            return Err(Error::Provider(concat(&[
                "discovery's issuer must equal \"",
                issuer,
                "\"",
            ])));
        }
        // Every endpoint is checked in place before any is moved out of the document, so that
        // no failure has a partly moved document to drop (smaller in wasm). The check is a
        // redirect URI's: absolute, https (or http on loopback), no fragment.
        let usable = |value: &Option<String>, required: bool| match value {
            Some(v) => check_redirect_uri(v).is_ok(),
            None => !required,
        };
        let unusable = if !usable(&doc.end_session_endpoint, false) {
            Some("end_session_endpoint")
        } else if !usable(&doc.token_endpoint, false) {
            Some("token_endpoint")
        } else if !usable(&doc.authorization_endpoint, true) {
            Some("authorization_endpoint")
        } else if !usable(&doc.jwks_uri, true) {
            Some("jwks_uri")
        } else {
            None
        };
        if let Some(name) = unusable {
            return Err(Error::Provider(concat(&[
                "the discovery document's ",
                name,
                " must be an https URL",
            ])));
        }
        Ok(Endpoints {
            authorization: doc.authorization_endpoint.unwrap_or_default(),
            token: doc.token_endpoint,
            iss_required: doc.iss_parameter_supported,
            jwks_uri: doc.jwks_uri.unwrap_or_default(),
            logout: match doc.end_session_endpoint {
                Some(url) => LogoutEndpoint::EndSession(url),
                None => LogoutEndpoint::Unsupported,
            },
            web_message: doc.lists_web_message,
        })
    }
}

/// Appends form-encoded parameters to an endpoint that may already have a query.
pub(crate) fn with_query(endpoint: &str, query: &str) -> String {
    let separator = if find_byte(endpoint, b'?').is_some() {
        "&"
    } else {
        "?"
    };
    concat(&[endpoint, separator, query])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Discovery {
        Discovery {
            issuer: Some("https://op.example".into()),
            authorization_endpoint: Some("https://op.example/auth".into()),
            jwks_uri: Some("https://op.example/jwks".into()),
            ..Discovery::default()
        }
    }

    #[test]
    fn auth0_conventions() {
        let e = Endpoints::auth0("https://tenant.auth0.com/");
        assert_eq!(e.authorization, "https://tenant.auth0.com/authorize");
        assert_eq!(
            e.token.as_deref(),
            Some("https://tenant.auth0.com/oauth/token")
        );
        assert_eq!(e.jwks_uri, "https://tenant.auth0.com/.well-known/jwks.json");
        assert_eq!(
            e.logout,
            LogoutEndpoint::Auth0("https://tenant.auth0.com/v2/logout".into())
        );
        assert!(
            e.web_message,
            "Auth0 answers silent authentication by web_message"
        );
    }

    #[test]
    fn web_message_only_when_discovery_lists_it() {
        let none_listed = Endpoints::from_discovery("https://op.example", doc()).unwrap();
        assert!(!none_listed.web_message, "absent means query and fragment");
        let mut d = doc();
        d.lists_web_message = true;
        assert!(
            Endpoints::from_discovery("https://op.example", d)
                .unwrap()
                .web_message
        );
    }

    #[test]
    fn discovery_url_does_not_double_the_slash() {
        assert_eq!(
            discovery_url("https://op.example/"),
            "https://op.example/.well-known/openid-configuration"
        );
        assert_eq!(
            discovery_url("https://op.example/t/1"),
            "https://op.example/t/1/.well-known/openid-configuration"
        );
    }

    #[test]
    fn discovery_issuer_must_match_exactly() {
        assert!(Endpoints::from_discovery("https://op.example", doc()).is_ok());
        let e = Endpoints::from_discovery("https://op.example/", doc()).unwrap_err();
        assert_eq!(e.code(), "provider_error");
    }

    #[test]
    fn discovery_endpoints_must_be_https() {
        let mut d = doc();
        d.jwks_uri = Some("http://op.example/jwks".into());
        assert!(Endpoints::from_discovery("https://op.example", d)
            .unwrap_err()
            .description()
            .contains("jwks_uri"));
        for read_otherwise in [
            "http://evil.example\\.localhost/jwks",
            "http://evil.example%2elocalhost/jwks",
            "http://localhost\t.evil.example/jwks",
            "https://op.example@evil.example/jwks",
        ] {
            let mut d = doc();
            d.jwks_uri = Some(read_otherwise.into());
            let refused = Endpoints::from_discovery("https://op.example", d).unwrap_err();
            assert!(
                refused.description().contains("jwks_uri"),
                "{read_otherwise}"
            );
        }
        let mut d = doc();
        d.end_session_endpoint = Some("https://op.example/logout".into());
        let e = Endpoints::from_discovery("https://op.example", d).unwrap();
        assert_eq!(
            e.logout,
            LogoutEndpoint::EndSession("https://op.example/logout".into())
        );
    }

    #[test]
    fn token_endpoint_and_rfc_9207_support_come_from_discovery() {
        let e = Endpoints::from_discovery("https://op.example", doc()).unwrap();
        assert_eq!((e.token, e.iss_required), (None, false));
        let mut d = doc();
        d.token_endpoint = Some("https://op.example/token".into());
        d.iss_parameter_supported = true;
        let e = Endpoints::from_discovery("https://op.example", d).unwrap();
        assert_eq!(e.token.as_deref(), Some("https://op.example/token"));
        assert!(e.iss_required);
        let mut d = doc();
        d.token_endpoint = Some("http://op.example/token".into());
        let e = Endpoints::from_discovery("https://op.example", d).unwrap_err();
        assert!(e.description().contains("token_endpoint"));
    }

    #[test]
    fn query_is_appended() {
        assert_eq!(with_query("https://a/x", "b=1"), "https://a/x?b=1");
        assert_eq!(with_query("https://a/x?t=1", "b=1"), "https://a/x?t=1&b=1");
    }
}
