//! The authorization request (OpenID Connect Core §3.1.2.1), with the parameters auth0.js v9
//! offers that make sense in an SPA: one for a redirect, one for silent authentication.

use crate::core::config::{check_redirect_uri, max_age, Config, ResponseType};
use crate::core::encoding::push_pair;
use crate::core::error::Error;
use crate::core::metadata::with_query;
use crate::core::scope;
use crate::core::secret::Secret;
use crate::core::text::{concat, decimal, pieces};
use alloc::{string::String, vec::Vec};

/// Per-call options of `authorize`, `buildAuthorizeUrl` and `checkSession`. Unset values fall
/// back to the configuration.
#[derive(Debug, Default, Clone)]
pub struct AuthorizeOptions {
    /// Overrides the configured scope.
    pub scope: Option<String>,
    /// Overrides the configured audience.
    pub audience: Option<String>,
    /// `none`, or one or more of `login`, `consent`, `select_account`, `create`.
    pub prompt: Option<String>,
    /// The maximum authentication age in seconds; the ID token's `auth_time` is checked against it.
    pub max_age: Option<f64>,
    /// Sent as `login_hint`.
    pub login_hint: Option<String>,
    /// Auth0's `connection`.
    pub connection: Option<String>,
    /// Auth0's `organization`.
    pub organization: Option<String>,
    /// Auth0's organization `invitation`.
    pub invitation: Option<String>,
    /// Sent as `ui_locales`.
    pub ui_locales: Option<String>,
    /// Sent as `acr_values`.
    pub acr_values: Option<String>,
    /// Sent as `display`.
    pub display: Option<String>,
    /// `fragment` or `web_message` (silent authentication's default).
    pub response_mode: Option<String>,
    /// Overrides the configured response type.
    pub response_type: Option<String>,
    /// Overrides the configured redirect URI.
    pub redirect_uri: Option<String>,
    /// Further parameters for the provider; they may not replace the ones above.
    pub extra_params: Option<Vec<(String, String)>>,
    /// Whether the caller passed its own `state` or `nonce`, which is refused: the SDK always
    /// makes its own (app data goes in `appState`).
    pub sets_state_or_nonce: bool,
}

/// Parameters the SDK sets itself, which `extraParams` may not name: the options above, PKCE's,
/// and `request`/`request_uri`, whose request object overrides the query (OpenID Connect Core
/// §6.3.3, RFC 9101 §6.3) and would smuggle back what the checks refuse (`offline_access`, say).
/// One text of names separated by spaces, not an array of them: no table of pointers and lengths
/// in the wasm.
const RESERVED: &str = "client_id response_type redirect_uri scope audience state nonce response_mode prompt \
                        max_age login_hint connection organization invitation ui_locales acr_values display \
                        id_token_hint code_challenge code_challenge_method request request_uri";

/// How the answer comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseMode {
    /// In the redirect URI's fragment (the default of `id_token token`; asked for with `code`, so
    /// that the code never reaches a server's log).
    Fragment,
    /// Posted by the provider's page to the redirect URI's origin.
    WebMessage,
}

impl ResponseMode {
    pub(crate) fn parse(value: &str) -> Result<ResponseMode, &'static str> {
        match value {
            "fragment" => Ok(Self::Fragment),
            "web_message" => Ok(Self::WebMessage),
            _ => Err("responseMode must be fragment or web_message"),
        }
    }
}

/// A checked authorization request, without its state and nonce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthorizeRequest {
    pub(crate) response_type: ResponseType,
    /// Checked by [`check_redirect_uri`]; its origin is the one a `web_message` or a relayed
    /// fragment is posted to, and must come from.
    pub(crate) redirect_uri: String,
    /// With `openid`.
    pub(crate) scope: String,
    /// The API the access token is asked for.
    pub(crate) audience: Option<String>,
    /// Checked against `auth_time`.
    pub(crate) max_age: Option<u64>,
    pub(crate) response_mode: ResponseMode,
    /// The ID token held, sent with a silent request so that the provider answers for its user.
    id_token_hint: Option<Secret>,
    /// Every parameter but the hint, state, nonce and PKCE's, `client_id` first, form-encoded in
    /// the order sent: written once, as the URL and the key need it, so no option is copied into
    /// a pair of its own and the URL is one copy of it (wasm size).
    query: String,
}

fn invalid(why: &str) -> Error {
    Error::InvalidRequest(why.into())
}

/// Whether `prompt` is `none` alone, or known words. Its words are separated by spaces, as the
/// provider reads them (OpenID Connect Core §3.1.2.1: space-delimited), so a tab or a newline is
/// no separator but part of an unknown word; the text is sent as given. The words are split at the
/// byte ' ' like every other list here, not by std's ASCII-whitespace splitter (wasm size), and
/// counted in one loop: a `Vec` of the words would bring a `collect` into the wasm for this check
/// alone.
fn is_valid_prompt(prompt: &str) -> bool {
    let (mut words, mut none, mut known) = (0, false, true);
    for word in pieces(prompt, b' ').filter(|w| !w.is_empty()) {
        words += 1;
        none |= word == "none";
        known &= matches!(
            word,
            "none" | "login" | "consent" | "select_account" | "create"
        );
    }
    words > 0 && known && !(none && words > 1)
}

/// Appends the parameter `name` when its value is set and not empty. Called once per option
/// rather than looped over an array of them, which the compiler unrolls into one copy per option
/// (wasm size).
fn push_set(query: &mut String, name: &str, value: Option<&String>) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        push_pair(query, name, value);
    }
}

/// Which request [`AuthorizeRequest::new`] builds.
#[derive(Clone, Copy)]
enum Kind<'a> {
    /// `authorize()`'s.
    Redirect,
    /// Silent authentication's: whether the provider answers by `web_message`, and the ID token
    /// held.
    Silent {
        offers_web_message: bool,
        id_token_hint: Option<&'a Secret>,
    },
}

impl AuthorizeRequest {
    /// The request of `authorize()`: answered in the redirect URI's fragment.
    pub(crate) fn redirect(config: &Config, options: &AuthorizeOptions) -> Result<Self, Error> {
        Self::new(config, options, Kind::Redirect)
    }

    /// The request of silent authentication: `prompt=none`, with the ID token held as
    /// `id_token_hint` (OpenID Connect Core §3.1.2.1) so that the provider answers for that
    /// user only. Unless the call names a `responseMode`, the answer comes by `web_message` when
    /// the provider offers it, otherwise as a fragment sent to the silent callback page
    /// (`silentRedirectUri`); without either nothing could answer, which is said at once rather
    /// than after the timeout.
    pub(crate) fn silent(
        config: &Config,
        options: &AuthorizeOptions,
        offers_web_message: bool,
        id_token_hint: Option<&Secret>,
    ) -> Result<Self, Error> {
        let kind = Kind::Silent {
            offers_web_message,
            id_token_hint,
        };
        Self::new(config, options, kind)
    }

    /// Merges the options over the configuration and checks them, in one place for both kinds of
    /// request. For silent authentication, a fragment answer goes to the silent callback page (`silentRedirectUri`) unless the call
    /// names a redirect URI of its own, and `prompt=none` comes first in place of the call's
    /// `prompt` (which must still be a valid one).
    fn new(config: &Config, options: &AuthorizeOptions, kind: Kind) -> Result<Self, Error> {
        let silent = matches!(kind, Kind::Silent { .. });
        let response_mode = match options.response_mode.as_deref().map(ResponseMode::parse) {
            Some(Ok(mode)) => mode,
            Some(Err(why)) => return Err(invalid(why)),
            None => match kind {
                Kind::Redirect => ResponseMode::Fragment,
                Kind::Silent {
                    offers_web_message: true,
                    ..
                } => ResponseMode::WebMessage,
                Kind::Silent { .. } if config.silent_redirect_uri.is_some() => {
                    ResponseMode::Fragment
                }
                Kind::Silent { .. } => {
                    return Err(Error::Configuration(
                        "the provider offers no web_message: configure silentRedirectUri".into(),
                    ))
                }
            },
        };
        if options.sets_state_or_nonce {
            return Err(invalid("state and nonce are spa-auth's; use appState"));
        }
        let response_type = match options.response_type.as_deref().map(ResponseType::parse) {
            None => config.response_type,
            Some(Ok(response_type)) => response_type,
            Some(Err(why)) => return Err(invalid(why)),
        };
        // Only the call's own redirect URI is checked here: the configured ones were checked by
        // `Config::new` with the same function.
        let redirect_uri = match &options.redirect_uri {
            Some(given) => {
                if let Err(reason) = check_redirect_uri(given) {
                    return Err(Error::InvalidRequest(concat(&["redirectUri", reason])));
                }
                given
            }
            None if silent && response_mode == ResponseMode::Fragment => {
                let Some(page) = &config.silent_redirect_uri else {
                    return Err(invalid("responseMode fragment needs silentRedirectUri"));
                };
                page
            }
            None => &config.redirect_uri,
        };
        // The configured scope was normalised by `Config::new`.
        let scope = match &options.scope {
            Some(scope) => scope::with_openid(scope, Error::InvalidRequest)?,
            None => config.scope.clone(),
        };
        let max_age = match options.max_age.map(max_age) {
            None => config.max_age,
            Some(Ok(seconds)) => Some(seconds),
            Some(Err(why)) => return Err(invalid(why)),
        };
        if options
            .prompt
            .as_deref()
            .is_some_and(|p| !is_valid_prompt(p))
        {
            return Err(invalid(
                "prompt must be none, or of login, consent, select_account, create",
            ));
        }
        let audience = options
            .audience
            .as_ref()
            .or(config.audience.as_ref())
            .filter(|a| !a.is_empty());
        let mut query = String::new();
        push_pair(&mut query, "client_id", &config.client_id);
        push_pair(&mut query, "response_type", response_type.as_str());
        push_pair(&mut query, "redirect_uri", redirect_uri);
        push_pair(&mut query, "scope", &scope);
        // The text picked, then written by one call (wasm size).
        query.push_str(match (response_mode, response_type) {
            (ResponseMode::WebMessage, _) => "&response_mode=web_message",
            (ResponseMode::Fragment, ResponseType::Code) => "&response_mode=fragment",
            (ResponseMode::Fragment, _) => "",
        });
        if silent {
            query.push_str("&prompt=none");
        }
        push_set(&mut query, "audience", audience);
        push_set(
            &mut query,
            "prompt",
            options.prompt.as_ref().filter(|_| !silent),
        );
        if let Some(seconds) = max_age {
            push_pair(&mut query, "max_age", &decimal(seconds));
        }
        push_set(&mut query, "login_hint", options.login_hint.as_ref());
        push_set(&mut query, "connection", options.connection.as_ref());
        push_set(&mut query, "organization", options.organization.as_ref());
        push_set(&mut query, "invitation", options.invitation.as_ref());
        push_set(&mut query, "ui_locales", options.ui_locales.as_ref());
        push_set(&mut query, "acr_values", options.acr_values.as_ref());
        push_set(&mut query, "display", options.display.as_ref());
        // `extraParams` are checked as they are written, the last check of all.
        for (name, value) in options.extra_params.as_deref().unwrap_or_default() {
            if name.is_empty() || pieces(RESERVED, b' ').any(|reserved| reserved == name) {
                return Err(Error::InvalidRequest(concat(&[
                    "extraParams may not set \"",
                    name,
                    "\"; use the option of that name",
                ])));
            }
            push_pair(&mut query, name, value);
        }
        Ok(AuthorizeRequest {
            response_type,
            redirect_uri: redirect_uri.into(),
            scope,
            audience: audience.cloned(),
            max_age,
            response_mode,
            id_token_hint: match kind {
                Kind::Silent { id_token_hint, .. } => id_token_hint.cloned(),
                Kind::Redirect => None,
            },
            query,
        })
    }

    /// A string equal for two requests exactly when they ask for the same thing (the hint, the
    /// same for every call of one session, left out).
    pub(crate) fn key(&self) -> &str {
        &self.query
    }

    /// The URL to send the browser (or the hidden iframe) to; `code_challenge` is the S256 PKCE
    /// challenge, for `code`.
    pub(crate) fn url(
        &self,
        authorization_endpoint: &str,
        state: &str,
        nonce: &str,
        code_challenge: Option<&str>,
    ) -> String {
        // The rest appended to the URL itself: no query of its own to copy.
        let mut url = with_query(authorization_endpoint, &self.query);
        if let Some(hint) = &self.id_token_hint {
            push_pair(&mut url, "id_token_hint", hint.expose());
        }
        push_pair(&mut url, "state", state);
        push_pair(&mut url, "nonce", nonce);
        if let Some(challenge) = code_challenge {
            push_pair(&mut url, "code_challenge", challenge);
            url.push_str("&code_challenge_method=S256");
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::ConfigOptions;

    const ENDPOINT: &str = "https://tenant.auth0.com/authorize";

    fn options() -> ConfigOptions {
        ConfigOptions {
            domain: Some("tenant.auth0.com".into()),
            client_id: Some("abc".into()),
            redirect_uri: Some("https://app.example/callback".into()),
            audience: Some("https://api.example/".into()),
            response_type: Some("id_token token".into()),
            ..ConfigOptions::default()
        }
    }

    fn config() -> Config {
        Config::new(&options()).unwrap()
    }

    fn url(options: AuthorizeOptions) -> Result<String, Error> {
        Ok(AuthorizeRequest::redirect(&config(), &options)?.url(ENDPOINT, "S", "N", None))
    }

    /// RFC 7636 Appendix B's challenge.
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn default_url_is_code_with_pkce_in_the_fragment() {
        let config = Config::new(&ConfigOptions {
            response_type: None,
            ..options()
        })
        .unwrap();
        let request = AuthorizeRequest::redirect(&config, &AuthorizeOptions::default()).unwrap();
        assert_eq!(
            request.url(ENDPOINT, "S", "N", Some(CHALLENGE)),
            "https://tenant.auth0.com/authorize?client_id=abc&response_type=code\
             &redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=openid%20profile%20email\
             &response_mode=fragment&audience=https%3A%2F%2Fapi.example%2F&state=S&nonce=N\
             &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
        );
        let silent = silent(&config, &AuthorizeOptions::default(), true).unwrap();
        let url = silent.url(ENDPOINT, "S", "N", Some(CHALLENGE));
        assert!(url.contains("&response_type=code&"));
        assert!(url.contains("&response_mode=web_message&prompt=none&"));
        assert!(url.ends_with(&concat(&[
            "&code_challenge=",
            CHALLENGE,
            "&code_challenge_method=S256"
        ])));
    }

    #[test]
    fn implicit_url_is_exact() {
        assert_eq!(
            url(AuthorizeOptions::default()).unwrap(),
            "https://tenant.auth0.com/authorize?client_id=abc&response_type=id_token%20token\
             &redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=openid%20profile%20email\
             &audience=https%3A%2F%2Fapi.example%2F&state=S&nonce=N"
        );
    }

    #[test]
    fn every_option_is_sent_encoded_in_order() {
        let options = AuthorizeOptions {
            scope: Some("read:messages".into()),
            audience: Some("urn:other api".into()),
            prompt: Some("login consent".into()),
            max_age: Some(0.0),
            login_hint: Some("ada+1@example.test".into()),
            connection: Some("github".into()),
            organization: Some("org_1".into()),
            invitation: Some("inv".into()),
            ui_locales: Some("fr-CA en".into()),
            acr_values: Some("urn:mace:incommon:iap:silver".into()),
            display: Some("page".into()),
            response_type: Some("id_token".into()),
            redirect_uri: Some("http://localhost:8080/cb?x=1".into()),
            extra_params: Some(vec![
                ("a".into(), "é&".into()),
                ("screen_hint".into(), "signup".into()),
            ]),
            ..AuthorizeOptions::default()
        };
        assert_eq!(
            url(options).unwrap(),
            "https://tenant.auth0.com/authorize?client_id=abc&response_type=id_token\
             &redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcb%3Fx%3D1&scope=openid%20read%3Amessages\
             &audience=urn%3Aother%20api&prompt=login%20consent&max_age=0&login_hint=ada%2B1%40example.test\
             &connection=github&organization=org_1&invitation=inv&ui_locales=fr-CA%20en\
             &acr_values=urn%3Amace%3Aincommon%3Aiap%3Asilver&display=page&a=%C3%A9%26&screen_hint=signup\
             &state=S&nonce=N"
        );
    }

    fn silent(
        config: &Config,
        options: &AuthorizeOptions,
        offers_web_message: bool,
    ) -> Result<AuthorizeRequest, Error> {
        AuthorizeRequest::silent(config, options, offers_web_message, None)
    }

    fn with_silent_page() -> Config {
        let mut config = config();
        config.silent_redirect_uri = Some("https://app.example/silent".into());
        config
    }

    #[test]
    fn silent_requests_use_prompt_none_and_web_message() {
        let options = AuthorizeOptions {
            prompt: Some("login".into()),
            ..AuthorizeOptions::default()
        };
        let request = silent(&config(), &options, true).unwrap();
        let url = request.url(ENDPOINT, "S", "N", None);
        assert!(url.contains(
            "&scope=openid%20profile%20email&response_mode=web_message&prompt=none&audience="
        ));
        assert!(!url.contains("prompt=login"));
        assert!(!url.contains("id_token_hint"), "no session, no hint");
        let fragment = AuthorizeOptions {
            response_mode: Some("fragment".into()),
            ..AuthorizeOptions::default()
        };
        assert_eq!(
            silent(&config(), &fragment, true)
                .unwrap_err()
                .description(),
            "responseMode fragment needs silentRedirectUri"
        );
        let request = silent(&with_silent_page(), &fragment, true).unwrap();
        assert_eq!(request.redirect_uri, "https://app.example/silent");
        let url = request.url(ENDPOINT, "S", "N", None);
        assert!(!url.contains("response_mode"));
        assert!(url.contains("redirect_uri=https%3A%2F%2Fapp.example%2Fsilent&"));
    }

    #[test]
    fn the_held_id_token_goes_as_id_token_hint_but_not_into_the_key() {
        let hint = Secret::from("eyJ.held.token");
        let request =
            AuthorizeRequest::silent(&config(), &AuthorizeOptions::default(), true, Some(&hint))
                .unwrap();
        let url = request.url(ENDPOINT, "S", "N", None);
        assert!(url.contains("&prompt=none&"));
        assert!(url.ends_with("&id_token_hint=eyJ.held.token&state=S&nonce=N"));
        assert!(!format!("{request:?}").contains("held"), "Debug hides it");
        let without = silent(&config(), &AuthorizeOptions::default(), true).unwrap();
        assert_eq!(request.key(), without.key());
    }

    #[test]
    fn the_silent_response_mode_follows_the_provider_unless_named() {
        let auto = AuthorizeOptions::default();
        let mode = |config: &Config, options: &AuthorizeOptions, offers: bool| {
            silent(config, options, offers).map(|r| (r.response_mode, r.redirect_uri))
        };
        let web_message = (
            ResponseMode::WebMessage,
            "https://app.example/callback".into(),
        );
        let fragment = (ResponseMode::Fragment, "https://app.example/silent".into());
        assert_eq!(
            mode(&with_silent_page(), &auto, true),
            Ok(web_message.clone())
        );
        assert_eq!(
            mode(&with_silent_page(), &auto, false),
            Ok(fragment.clone())
        );
        let nothing_answers = mode(&config(), &auto, false).unwrap_err();
        assert_eq!(nothing_answers.code(), "invalid_configuration");
        assert!(nothing_answers
            .description()
            .contains("configure silentRedirectUri"));
        let named = |m: &str| AuthorizeOptions {
            response_mode: Some(m.into()),
            ..AuthorizeOptions::default()
        };
        assert_eq!(
            mode(&with_silent_page(), &named("web_message"), false),
            Ok(web_message)
        );
        assert_eq!(
            mode(&with_silent_page(), &named("fragment"), true),
            Ok(fragment)
        );
    }

    #[test]
    fn the_audience_asked_for_is_kept() {
        let request = AuthorizeRequest::redirect(&config(), &AuthorizeOptions::default()).unwrap();
        assert_eq!(request.audience.as_deref(), Some("https://api.example/"));
        let other = AuthorizeOptions {
            audience: Some("urn:other".into()),
            ..AuthorizeOptions::default()
        };
        let request = AuthorizeRequest::redirect(&config(), &other).unwrap();
        assert_eq!(request.audience.as_deref(), Some("urn:other"));
    }

    #[test]
    fn key_ignores_state_and_nonce_only() {
        let a = AuthorizeRequest::redirect(&config(), &AuthorizeOptions::default()).unwrap();
        let b = AuthorizeRequest::redirect(
            &config(),
            &AuthorizeOptions {
                scope: Some("email".into()),
                ..Default::default()
            },
        );
        assert_ne!(a.key(), b.unwrap().key());
        assert!(!a.key().contains("state="));
    }

    #[test]
    fn bad_options_are_refused_with_invalid_request() {
        let cases = [
            AuthorizeOptions {
                prompt: Some("none login".into()),
                ..Default::default()
            },
            AuthorizeOptions {
                prompt: Some("sometimes".into()),
                ..Default::default()
            },
            AuthorizeOptions {
                prompt: Some("login\tconsent".into()),
                ..Default::default()
            },
            AuthorizeOptions {
                max_age: Some(-1.0),
                ..Default::default()
            },
            AuthorizeOptions {
                max_age: Some(1.5),
                ..Default::default()
            },
            AuthorizeOptions {
                response_mode: Some("query".into()),
                ..Default::default()
            },
            AuthorizeOptions {
                response_type: Some("code token".into()),
                ..Default::default()
            },
            AuthorizeOptions {
                redirect_uri: Some("http://evil.example/".into()),
                ..Default::default()
            },
            AuthorizeOptions {
                sets_state_or_nonce: true,
                ..Default::default()
            },
            AuthorizeOptions {
                extra_params: Some(vec![("nonce".into(), "x".into())]),
                ..Default::default()
            },
            AuthorizeOptions {
                extra_params: Some(vec![("code_challenge_method".into(), "plain".into())]),
                ..Default::default()
            },
        ];
        for options in cases {
            let debug = format!("{options:?}");
            assert_eq!(
                url(options).unwrap_err().code(),
                "invalid_request",
                "{debug}"
            );
        }
    }

    #[test]
    fn extra_params_may_not_carry_a_request_object_or_pkce() {
        for name in [
            "request",
            "request_uri",
            "code_challenge",
            "code_challenge_method",
            "id_token_hint",
            "client_id",
        ] {
            let options = AuthorizeOptions {
                extra_params: Some(vec![(name.into(), "x".into())]),
                ..Default::default()
            };
            let refused = url(options).unwrap_err();
            assert_eq!(refused.code(), "invalid_request", "{name}");
            assert!(refused.description().contains(name));
        }
    }

    #[test]
    fn offline_access_is_refused_before_navigation() {
        let options = AuthorizeOptions {
            scope: Some("openid offline_access".into()),
            ..Default::default()
        };
        assert_eq!(url(options).unwrap_err(), Error::OfflineAccessRefused);
    }
}
