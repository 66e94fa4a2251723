//! The options of `new WebAuth(…)`, checked once at construction.

use crate::core::error::Error;
use crate::core::jws::Algorithm;
use crate::core::scope;
use crate::core::silent::SilentFallback;
use crate::core::text::{concat, find_byte, pieces, trim_end};
use crate::core::url::Url;
use alloc::{string::String, vec::Vec};

/// The largest clock skew tolerated when checking `exp`, `nbf`, `iat` and `auth_time`.
const MAX_LEEWAY_SECONDS: u32 = 300;

/// The options of a client, as the app gives them; [`Auth::new`](crate::Auth::new) checks them.
#[derive(Debug, Default, Clone)]
pub struct ConfigOptions {
    /// An Auth0 tenant (`tenant.auth0.com`): Auth0's endpoint conventions.
    pub domain: Option<String>,
    /// An OpenID Provider's issuer URL: endpoints from OpenID Connect discovery.
    pub issuer: Option<String>,
    /// The client id registered at the provider.
    pub client_id: Option<String>,
    /// Where the provider sends the user back.
    pub redirect_uri: Option<String>,
    /// `"code"` (default: the authorization code with PKCE), `"id_token token"` or `"id_token"`.
    pub response_type: Option<String>,
    /// Space-separated scopes; `openid` is always added, `offline_access` refused.
    pub scope: Option<String>,
    /// The API the access token is for (Auth0's `audience`).
    pub audience: Option<String>,
    /// Seconds of clock skew tolerated, 0 to 300 (default 60).
    pub leeway: Option<f64>,
    /// The default `max_age`, in seconds.
    pub max_age: Option<f64>,
    /// The app's page that relays a fragment response to silent authentication.
    pub silent_redirect_uri: Option<String>,
    /// The signature algorithms accepted for ID tokens (default `["RS256"]`).
    pub algorithms: Option<Vec<String>>,
    /// What `restore_session` does when the hidden iframe cannot work: `"redirect"` (default,
    /// one top-level `prompt=none` redirect) or `"none"`.
    pub silent_fallback: Option<String>,
    /// Whether the tabs of this app share one session in memory (default `true`): see the
    /// README's "Many tabs".
    pub share_across_tabs: Option<bool>,
}

/// Where the provider's endpoints come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProviderSource {
    /// Auth0 conventions under `https://{domain}/`; holds that base URL (the issuer).
    Domain(String),
    /// OpenID Connect discovery under this issuer.
    Issuer(String),
}

/// How the tokens come: exchanged for an authorization code at the token endpoint (with PKCE),
/// or straight from the authorization endpoint (implicit), with or without an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseType {
    Code,
    IdTokenToken,
    IdToken,
}

impl ResponseType {
    /// Parses a `responseType` option: words separated by spaces (as `response_type` is,
    /// RFC 6749 §3.1.1), in any order. The words are counted and noted in one loop, as `prompt`'s
    /// are: no `Vec` of them, no `collect` in the wasm.
    pub(crate) fn parse(value: &str) -> Result<Self, &'static str> {
        let (mut words, mut code, mut id_token, mut token) = (0, false, false, false);
        for word in pieces(value, b' ').filter(|w| !w.is_empty()) {
            words += 1;
            code |= word == "code";
            id_token |= word == "id_token";
            token |= word == "token";
        }
        match (words, code, id_token, token) {
            (1, true, _, _) => Ok(Self::Code),
            (2, _, true, true) => Ok(Self::IdTokenToken),
            (1, _, true, _) => Ok(Self::IdToken),
            _ => Err("responseType must be \"code\", \"id_token token\" or \"id_token\""),
        }
    }

    /// The value sent as `response_type`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::IdTokenToken => "id_token token",
            Self::IdToken => "id_token",
        }
    }

    /// Whether an access token comes with the ID token.
    pub(crate) fn has_access_token(self) -> bool {
        self != Self::IdToken
    }
}

/// The checked configuration of a client.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) provider: ProviderSource,
    pub(crate) client_id: String,
    /// For `authorize`, and the `web_message` target of silent authentication.
    pub(crate) redirect_uri: String,
    pub(crate) response_type: ResponseType,
    /// With `openid`.
    pub(crate) scope: String,
    pub(crate) audience: Option<String>,
    pub(crate) leeway: u32,
    pub(crate) max_age: Option<u64>,
    pub(crate) silent_redirect_uri: Option<String>,
    pub(crate) algorithms: Vec<Algorithm>,
    pub(crate) silent_fallback: SilentFallback,
    pub(crate) share_across_tabs: bool,
}

/// Checks that `value` is an absolute https URL (http on loopback) without a fragment. The
/// reason, on failure, completes a sentence whose subject is the option's name; the caller
/// picks the error code. The parsed URL is not handed back: no caller reads it, and returning it
/// copies it out (wasm size).
pub(crate) fn check_redirect_uri(value: &str) -> Result<(), &'static str> {
    match Url::parse(value) {
        Some(url) if !url.is_secure() => Err(" must use https"),
        Some(url) if url.has_fragment => Err(" must not contain a fragment"),
        Some(_) => Ok(()),
        None => Err(" must be an absolute http(s) URL"),
    }
}

/// A whole number of seconds within `0..=max`, or `None` when it is not one.
pub(crate) fn whole_seconds(value: f64, max: f64) -> Option<u64> {
    ((0.0..=max).contains(&value) && value as u64 as f64 == value).then_some(value as u64)
}

/// A `maxAge` option in seconds.
pub(crate) fn max_age(value: f64) -> Result<u64, &'static str> {
    whole_seconds(value, u32::MAX.into()).ok_or("maxAge must be a whole number of seconds")
}

fn invalid(what: &str) -> Error {
    Error::Configuration(what.into())
}

fn provider(options: &ConfigOptions) -> Result<ProviderSource, Error> {
    match (&options.domain, &options.issuer) {
        (Some(_), Some(_)) => Err(invalid("give either domain or issuer, not both")),
        (None, None) => Err(invalid("domain or issuer is required")),
        (Some(domain), None) => {
            // Borrowed when it has its scheme already: no copy of the option.
            let prefixed;
            let base = if domain.starts_with("https://") || domain.starts_with("http://") {
                domain
            } else {
                prefixed = concat(&["https://", domain]);
                &prefixed
            };
            let Some(url) = Url::parse(base) else {
                return Err(invalid("domain must be a host name"));
            };
            // The origin made once, for the check and the value.
            let mut origin = url.origin();
            if !trim_end(base, b'/').eq_ignore_ascii_case(&origin) {
                return Err(invalid("domain must be a host name"));
            }
            if !url.is_secure() {
                return Err(invalid("domain must use https"));
            }
            origin.push('/');
            Ok(ProviderSource::Domain(origin))
        }
        // Checked as a redirect URI is (absolute, https or loopback http, no fragment), by the
        // same function, and then for a query, which an issuer may not have either.
        (None, Some(issuer)) => {
            redirect_uri_option("issuer", issuer)?;
            if find_byte(issuer, b'?').is_some() {
                return Err(invalid("issuer must not contain a query"));
            }
            Ok(ProviderSource::Issuer(issuer.clone()))
        }
    }
}

fn redirect_uri_option(name: &str, value: &str) -> Result<(), Error> {
    match check_redirect_uri(value) {
        Ok(()) => Ok(()),
        Err(reason) => Err(Error::Configuration(concat(&[name, reason]))),
    }
}

impl Config {
    /// The issuer every ID token and authorization response must name: the configured one, or
    /// Auth0's base URL.
    pub(crate) fn issuer(&self) -> &str {
        match &self.provider {
            ProviderSource::Domain(issuer) | ProviderSource::Issuer(issuer) => issuer,
        }
    }

    /// Checks the options; every failure is an `invalid_configuration` error saying what to fix
    /// (or `invalid_scope` for `offline_access`).
    pub(crate) fn new(options: &ConfigOptions) -> Result<Config, Error> {
        let provider = provider(options)?;
        let Some(client_id) = options.client_id.as_deref().filter(|c| !c.is_empty()) else {
            return Err(invalid("clientId is required"));
        };
        let Some(redirect_uri) = options.redirect_uri.as_deref() else {
            return Err(invalid("redirectUri is required"));
        };
        redirect_uri_option("redirectUri", redirect_uri)?;
        let silent_redirect_uri = options.silent_redirect_uri.as_deref();
        if let Some(silent) = silent_redirect_uri {
            redirect_uri_option("silentRedirectUri", silent)?;
        }
        // Each optional value parsed where it is matched: no `Option::map` into a `Result` to
        // match again (wasm size).
        let response_type = match options.response_type.as_deref() {
            None => ResponseType::Code,
            Some(value) => match ResponseType::parse(value) {
                Ok(response_type) => response_type,
                Err(why) => return Err(invalid(why)),
            },
        };
        let scope = scope::with_openid(
            options.scope.as_deref().unwrap_or("openid profile email"),
            Error::Configuration,
        )?;
        let Some(leeway) = whole_seconds(options.leeway.unwrap_or(60.0), MAX_LEEWAY_SECONDS.into())
        else {
            return Err(invalid("leeway must be 0 to 300 s"));
        };
        let max_age = match options.max_age {
            None => None,
            Some(value) => match max_age(value) {
                Ok(seconds) => Some(seconds),
                Err(why) => return Err(invalid(why)),
            },
        };
        // One list, filled by either branch: one allocation path (wasm size).
        let mut algorithms = Vec::new();
        match &options.algorithms {
            None => algorithms.push(Algorithm::RS256),
            Some(names) => {
                let wrong = || invalid("algorithms must be of RS256, ES256, PS256");
                for name in names {
                    let Some(algorithm) = Algorithm::parse(name) else {
                        return Err(wrong());
                    };
                    algorithms.push(algorithm);
                }
                if algorithms.is_empty() {
                    return Err(wrong());
                }
            }
        }
        let silent_fallback = match options.silent_fallback.as_deref() {
            None => SilentFallback::Redirect,
            Some(value) => match SilentFallback::parse(value) {
                Ok(fallback) => fallback,
                Err(why) => return Err(invalid(why)),
            },
        };
        Ok(Config {
            provider,
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            response_type,
            scope,
            audience: options
                .audience
                .as_deref()
                .filter(|a| !a.is_empty())
                .map(Into::into),
            leeway: leeway as u32,
            max_age,
            // Copied from the `&str` once checked, as the other strings are: no `Option::clone`.
            silent_redirect_uri: silent_redirect_uri.map(Into::into),
            algorithms,
            silent_fallback,
            share_across_tabs: options.share_across_tabs.unwrap_or(true),
        })
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn options() -> ConfigOptions {
        ConfigOptions {
            issuer: Some("http://localhost:3000".into()),
            client_id: Some("spa-test".into()),
            redirect_uri: Some("http://localhost:8080/".into()),
            ..ConfigOptions::default()
        }
    }

    fn rejected(options: ConfigOptions) -> String {
        let e = Config::new(&options).unwrap_err();
        assert_eq!(e.code(), "invalid_configuration");
        e.description()
    }

    #[test]
    fn defaults_are_code_and_auth0_js_scope_and_leeway() {
        let c = Config::new(&options()).unwrap();
        assert_eq!(
            c.provider,
            ProviderSource::Issuer("http://localhost:3000".into())
        );
        assert_eq!(c.response_type, ResponseType::Code);
        assert_eq!(c.scope, "openid profile email");
        assert_eq!((c.leeway, c.max_age), (60, None));
        assert_eq!(c.algorithms, vec![Algorithm::RS256]);
        assert_eq!(c.silent_fallback, SilentFallback::Redirect);
    }

    #[test]
    fn domain_means_auth0_conventions() {
        let mut o = options();
        o.issuer = None;
        o.domain = Some("Tenant.Auth0.com".into());
        assert_eq!(
            Config::new(&o).unwrap().provider,
            ProviderSource::Domain("https://tenant.auth0.com/".into())
        );
        let mut o = options();
        o.issuer = None;
        o.domain = Some("tenant.auth0.com/path".into());
        assert!(rejected(o).contains("domain"));
    }

    #[test]
    fn rejects_bad_configuration_clearly() {
        let mut o = options();
        o.domain = Some("x.auth0.com".into());
        assert_eq!(rejected(o), "give either domain or issuer, not both");
        let mut o = options();
        o.issuer = Some("http://op.example".into());
        assert!(rejected(o).starts_with("issuer must use https"));
        let mut o = options();
        o.issuer = Some("http://evil.example\\.localhost".into());
        assert!(rejected(o).starts_with("issuer must be an absolute http(s) URL"));
        let mut o = options();
        o.issuer = Some("https://op.example/?tenant=a".into());
        assert_eq!(rejected(o), "issuer must not contain a query");
        let mut o = options();
        o.issuer = Some("https://op.example/#a".into());
        assert_eq!(rejected(o), "issuer must not contain a fragment");
        let mut o = options();
        o.redirect_uri = Some("http://localhost.:8080/".into());
        assert!(rejected(o).starts_with("redirectUri must be an absolute"));
        let mut o = options();
        o.redirect_uri = Some("https://app.example/#cb".into());
        assert_eq!(rejected(o), "redirectUri must not contain a fragment");
        let mut o = options();
        o.client_id = None;
        assert_eq!(rejected(o), "clientId is required");
        let mut o = options();
        o.leeway = Some(301.0);
        assert!(rejected(o).starts_with("leeway"));
        let mut o = options();
        o.response_type = Some("code id_token".into());
        assert!(rejected(o).starts_with("responseType"));
        let mut o = options();
        o.algorithms = Some(vec!["HS256".into()]);
        assert!(rejected(o).starts_with("algorithms"));
        let mut o = options();
        o.algorithms = Some(vec!["none".into()]);
        assert!(rejected(o).starts_with("algorithms"));
        let mut o = options();
        o.silent_fallback = Some("popup".into());
        assert!(rejected(o).starts_with("silentFallback"));
    }

    #[test]
    fn offline_access_is_refused_at_construction() {
        let mut o = options();
        o.scope = Some("openid offline_access".into());
        assert_eq!(Config::new(&o).unwrap_err().code(), "invalid_scope");
        let mut o = options();
        o.scope = Some("openid\u{0B}offline_access".into());
        assert!(rejected(o).starts_with("scope may not hold U+000B"));
    }

    #[test]
    fn response_type_words_may_come_in_any_order() {
        assert_eq!(
            ResponseType::parse("token id_token"),
            Ok(ResponseType::IdTokenToken)
        );
        assert_eq!(ResponseType::parse(" code "), Ok(ResponseType::Code));
        assert_eq!(
            ResponseType::parse("id_token  token"),
            Ok(ResponseType::IdTokenToken)
        );
        assert!(ResponseType::parse("id_token\ttoken").is_err());
        for refused in [
            "token",
            "id_token id_token",
            "token token",
            "code code",
            "code id_token",
            "",
        ] {
            assert!(ResponseType::parse(refused).is_err(), "{refused:?}");
        }
    }
}
