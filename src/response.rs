//! The authorization response (RFC 6749 §4.2.2 and §4.2.2.1, OpenID Connect Core §3.2.2.5), read
//! from a URL fragment or a `web_message`. A `refresh_token` in it is dropped unread.

use crate::config::ResponseType;
use crate::encoding::form_decode;
use crate::error::{Error, OAuthError};
use crate::text::concat;

/// A successful response's values.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenResponse {
    /// The `state` echoed.
    pub state: String,
    /// The ID token.
    pub id_token: Option<String>,
    /// The access token.
    pub access_token: Option<String>,
    /// `token_type`.
    pub token_type: Option<String>,
    /// `expires_in`, in seconds.
    pub expires_in: Option<u64>,
    /// The scope granted, when it differs from the one asked for.
    pub scope: Option<String>,
}

impl core::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token_type", &self.token_type)
            .finish_non_exhaustive()
    }
}

/// What the provider answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthResponse {
    /// Tokens.
    Tokens(TokenResponse),
    /// An OAuth error (`login_required`, `access_denied`, …), as [`Error::OAuth`].
    Error(Error),
}

fn invalid(why: &str) -> Error {
    Error::InvalidResponse(why.into())
}

impl AuthResponse {
    /// The parameters of a fragment (with or without its `#`) that holds an authorization
    /// response; `Ok(None)` when it holds none (an app's own `#/route`, say).
    pub fn fragment_pairs(fragment: &str) -> Result<Option<Vec<(String, String)>>, Error> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let is_response = fragment.split('&').any(|segment| {
            let name = segment.split('=').next().unwrap_or_default();
            matches!(name, "error" | "id_token" | "access_token" | "code")
        });
        if !is_response {
            return Ok(None);
        }
        let pairs = form_decode(fragment)
            .ok_or_else(|| invalid("the fragment is not valid form-encoded UTF-8"))?;
        Ok(Some(pairs))
    }

    /// Reads the response's parameters. Each may appear once (RFC 6749 §3.1), and an `iss`
    /// parameter must name `issuer` (RFC 9207, the mix-up defence of RFC 9700 §4.4).
    pub fn from_pairs(pairs: Vec<(String, String)>, issuer: &str) -> Result<AuthResponse, Error> {
        for (i, (name, _)) in pairs.iter().enumerate() {
            if pairs.iter().skip(i + 1).any(|(n, _)| n == name) {
                return Err(Error::InvalidResponse(concat(&[
                    "the response repeats the parameter ",
                    name,
                ])));
            }
        }
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        if get("iss").is_some_and(|iss| iss != issuer) {
            return Err(Error::InvalidResponse(concat(&[
                "iss must equal the issuer \"",
                issuer,
                "\" (RFC 9207)",
            ])));
        }
        let state = get("state");
        if let Some(error) = get("error") {
            let description = get("error_description").unwrap_or_else(|| error.clone());
            return Ok(AuthResponse::Error(Error::OAuth(Box::new(OAuthError {
                error,
                description,
                state,
            }))));
        }
        if get("code").is_some() {
            return Err(invalid(
                "the response holds an authorization code; spa-auth asks for id_token (token)",
            ));
        }
        let expires_in = match get("expires_in") {
            None => None,
            Some(v) => Some(
                v.parse::<u64>()
                    .map_err(|_| invalid("expires_in must be a whole number of seconds"))?,
            ),
        };
        Ok(AuthResponse::Tokens(TokenResponse {
            state: state.ok_or_else(|| invalid("the response has no state"))?,
            id_token: get("id_token"),
            access_token: get("access_token"),
            token_type: get("token_type"),
            expires_in,
            scope: get("scope"),
        }))
    }
}

impl TokenResponse {
    /// Checks that the response holds exactly the tokens `response_type` asked for.
    pub fn check_shape(&self, response_type: ResponseType) -> Result<(), Error> {
        if self.id_token.as_deref().is_none_or(str::is_empty) {
            return Err(invalid("the response has no id_token"));
        }
        match (&self.access_token, response_type.has_access_token()) {
            (None, true) => Err(invalid(
                "the response has no access_token although response_type asked for one",
            )),
            (Some(_), false) => Err(invalid(
                "the response has an access_token although response_type did not ask for one",
            )),
            (Some(_), true)
                if !self
                    .token_type
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case("bearer")) =>
            {
                Err(invalid("token_type must be Bearer"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "https://op.example";

    fn parse(fragment: &str) -> Result<Option<AuthResponse>, Error> {
        match AuthResponse::fragment_pairs(fragment)? {
            Some(pairs) => AuthResponse::from_pairs(pairs, ISSUER).map(Some),
            None => Ok(None),
        }
    }

    fn tokens(fragment: &str) -> TokenResponse {
        match parse(fragment).unwrap().unwrap() {
            AuthResponse::Tokens(t) => t,
            AuthResponse::Error(e) => panic!("unexpected {e:?}"),
        }
    }

    #[test]
    fn reads_a_token_response_and_drops_refresh_tokens() {
        let t = tokens("#access_token=at&id_token=a.b.c&token_type=Bearer&expires_in=7200&state=s%20x&scope=read%3Amessages&refresh_token=rt");
        assert_eq!(t.access_token.as_deref(), Some("at"));
        assert_eq!(t.id_token.as_deref(), Some("a.b.c"));
        assert_eq!(
            (t.expires_in, t.state.as_str(), t.scope.as_deref()),
            (Some(7200), "s x", Some("read:messages"))
        );
        assert!(t.check_shape(ResponseType::IdTokenToken).is_ok());
        assert!(!format!("{t:?}").contains("at"), "Debug hides tokens");
    }

    #[test]
    fn reads_an_oauth_error() {
        let r = parse("error=login_required&error_description=Login%20required&state=s").unwrap();
        let expected = Error::OAuth(Box::new(OAuthError {
            error: "login_required".into(),
            description: "Login required".into(),
            state: Some("s".into()),
        }));
        assert_eq!(r, Some(AuthResponse::Error(expected)));
    }

    #[test]
    fn iss_must_name_the_issuer_when_present() {
        assert!(parse("id_token=i&state=s&iss=https%3A%2F%2Fop.example").is_ok());
        let mixed_up = parse("id_token=i&state=s&iss=https%3A%2F%2Fevil.example").unwrap_err();
        assert_eq!(mixed_up.code(), "invalid_response");
        assert!(mixed_up.description().contains("RFC 9207"));
        let error = parse("error=access_denied&state=s&iss=https%3A%2F%2Fevil.example");
        assert_eq!(
            error.unwrap_err().code(),
            "invalid_response",
            "a mixed-up error is not passed through"
        );
    }

    #[test]
    fn other_fragments_are_not_responses() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("#/orders/1").unwrap(), None);
        assert_eq!(parse("#section=2").unwrap(), None);
        assert_eq!(parse("#%ZZ").unwrap(), None);
        assert_eq!(parse("#/orders?error_page=1").unwrap(), None);
    }

    #[test]
    fn malformed_responses_are_refused() {
        for bad in [
            "id_token=a&id_token=b&state=s",
            "id_token=a",
            "id_token=a&state=s&expires_in=soon",
            "code=x&state=s",
            "id_token=%ZZ&state=s",
        ] {
            assert_eq!(parse(bad).unwrap_err().code(), "invalid_response", "{bad}");
        }
    }

    #[test]
    fn tokens_must_match_the_response_type() {
        let both = tokens("access_token=at&id_token=i&token_type=bearer&state=s");
        assert!(both.check_shape(ResponseType::IdTokenToken).is_ok());
        assert!(both.check_shape(ResponseType::IdToken).is_err());
        let id_only = tokens("id_token=i&state=s");
        assert!(id_only.check_shape(ResponseType::IdToken).is_ok());
        assert!(id_only.check_shape(ResponseType::IdTokenToken).is_err());
        assert!(tokens("access_token=at&id_token=i&token_type=mac&state=s")
            .check_shape(ResponseType::IdTokenToken)
            .is_err());
        assert!(tokens("access_token=at&state=s&token_type=Bearer")
            .check_shape(ResponseType::IdTokenToken)
            .is_err());
    }
}
