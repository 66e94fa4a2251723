//! The provider's answers: the authorization response (RFC 6749 §4.1.2 and §4.2.2, OpenID Connect
//! Core §3.1.2.5 and §3.2.2.5), read from a URL fragment or a `web_message`, and the token
//! response (RFC 6749 §5.1 and §5.2), read from JSON. A `refresh_token` in either is dropped
//! unread: no type here has a place for one.

use crate::core::config::{whole_seconds, ResponseType};
use crate::core::encoding::{form_decode_as, percent_decode};
use crate::core::error::{Error, OAuthError};
use crate::core::secret::Secret;
use crate::core::text::{concat, cut, pair_name, pieces, whole_number};
use alloc::{string::String, sync::Arc, vec::Vec};

/// A successful response's values, borrowed from its pairs, before their shape is checked against
/// the request. Borrowed, not copied: only what the shape check lets through is copied, once, into
/// a [`Grant`] or [`Tokens`] (no owned intermediate to build and drop on every failure: wasm size).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResponseParams<'a> {
    pub(crate) state: &'a str,
    code: Option<&'a str>,
    id_token: Option<&'a str>,
    access_token: Option<&'a str>,
    token_type: Option<&'a str>,
    /// Seconds.
    expires_in: Option<u64>,
    scope: Option<&'a str>,
}

/// Names the state only: the other values are tokens or a code.
impl core::fmt::Debug for ResponseParams<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ResponseParams")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// The tokens of a response that holds exactly what its request asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tokens {
    pub(crate) state: String,
    pub(crate) id_token: Secret,
    /// A `Bearer` token, for `code` and `id_token token`.
    pub(crate) access_token: Option<Secret>,
    /// Seconds the access token lives.
    pub(crate) expires_in: Option<u64>,
    /// The scope granted, when the provider names it.
    pub(crate) scope: Option<String>,
}

/// What a successful authorization response hands over, once its shape matches the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Grant {
    /// The tokens themselves (implicit).
    Tokens(Tokens),
    /// An authorization code, for the token endpoint.
    Code(Secret),
}

/// What the provider answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AuthResponse<'a> {
    Success(ResponseParams<'a>),
    /// Behind the `Arc` that [`Error::OAuth`] holds: made once, where it is read, and passed on
    /// as it is, not copied into one by each caller (wasm size).
    Error(Arc<OAuthError>),
}

/// A parameter's value: text (from a fragment, or a JSON string), or another JSON value a
/// `web_message` or a token response carried.
#[derive(Clone, PartialEq)]
pub(crate) enum ParamValue {
    Text(String),
    Number(f64),
    /// A boolean, an object or an array.
    Other,
}

impl ParamValue {
    /// The value when it is text.
    pub(crate) fn text(&self) -> Option<&String> {
        match self {
            Self::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// The longest access token lifetime believed, in seconds (ten years): a longer one is a
/// provider's mistake, not a lifetime to schedule renewal by.
const MAX_EXPIRES_IN: u64 = 10 * 365 * 24 * 60 * 60;

/// The longest fragment read, in bytes: tokens fit many times over, and a crafted link cannot
/// keep the tab busy (browsers accept URLs of 2 MB).
const MAX_FRAGMENT_BYTES: usize = 64 * 1024;

/// The most parameters a response may have; a real one has about ten.
const MAX_PARAMS: usize = 100;

fn invalid(why: &str) -> Error {
    Error::InvalidResponse(why.into())
}

/// The parameter `name` refused for `fault`: one builder of these descriptions (wasm size).
fn refused(name: &str, fault: &str) -> Error {
    Error::InvalidResponse(concat(&[name, fault]))
}

/// `expires_in` (RFC 6749 §4.2.2, §5.1): whole seconds, as digits in a fragment or as a JSON
/// number; no sign, no spaces, no fraction, at most [`MAX_EXPIRES_IN`]. `None` otherwise: the
/// caller builds the error, where it returns it.
fn expires_in(value: &ParamValue) -> Option<u64> {
    let seconds = match value {
        ParamValue::Text(digits) => whole_number(digits),
        ParamValue::Number(n) => whole_seconds(*n, MAX_EXPIRES_IN as f64),
        _ => None,
    };
    seconds.filter(|&s| s <= MAX_EXPIRES_IN)
}

/// Whether a fragment (without its `#`: its callers take it off as they read the page's address)
/// holds an authorization response: a name, as written, is `error`, `id_token`, `access_token`
/// or `code`. An app's own `/route`, say, holds none.
pub(crate) fn holds_response(fragment: &str) -> bool {
    pieces(fragment, b'&').any(|segment| {
        matches!(
            pair_name(segment),
            "error" | "id_token" | "access_token" | "code"
        )
    })
}

/// The parameters of a fragment that [`holds_response`], bounded in size, then decoded. The look
/// is a function of its own, so that taking the response from the page's address (which only
/// asks whether there is one) decodes nothing.
pub(crate) fn fragment_pairs(fragment: &str) -> Result<Vec<(String, ParamValue)>, Error> {
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(invalid("the fragment is longer than 64 KiB"));
    }
    let Some(pairs) = form_decode_as(fragment, ParamValue::Text) else {
        return Err(invalid("the fragment is not form-encoded UTF-8"));
    };
    Ok(pairs)
}

/// Pairs whose values are all text, as a fragment or a form holds them.
#[cfg(test)]
pub(crate) fn text_pairs(pairs: Vec<(String, String)>) -> Vec<(String, ParamValue)> {
    let mut text = Vec::with_capacity(pairs.len());
    for (name, value) in pairs {
        text.push((name, ParamValue::Text(value)));
    }
    text
}

/// An error response found in a query: some providers (django-oauth-toolkit among them) redirect
/// errors with the query even for fragment response types, against RFC 6749 §4.2.2.1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryError {
    /// The response's parameters, form-encoded as a fragment would hold them.
    pub(crate) response: String,
    /// Its `state`, which must name a pending login before anything is done with it.
    pub(crate) state: String,
    /// The query without the response's parameters (without its `?`).
    pub(crate) rest: String,
}

/// The parameters of an error response (RFC 6749 §4.1.2.1, RFC 9207's `iss`).
const ERROR_PARAMETERS: [&str; 5] = ["error", "error_description", "error_uri", "state", "iss"];

/// The error response in `query` (without its `?`, taken off as the page's address is read), when
/// it has an `error` and a `state`; the app's own parameters stay in `rest`, as they were written.
/// Names are compared as written, undecoded, as [`holds_response`] recognises a response:
/// providers write them plain. Only the state is decoded here, to look its login up: the whole
/// response is decoded, and refused when it does not decode, where it is read as a fragment.
pub(crate) fn query_error(query: &str) -> Option<QueryError> {
    // Each segment appended to its side as it is read: no lists of segments to join (wasm size).
    let (mut response, mut rest) = (String::new(), String::new());
    let (mut state, mut error) = (None, false);
    for segment in pieces(query, b'&').filter(|s| !s.is_empty()) {
        let (name, value) = cut(segment, b'=').unwrap_or((segment, ""));
        let side = if ERROR_PARAMETERS.contains(&name) {
            &mut response
        } else {
            &mut rest
        };
        if !side.is_empty() {
            side.push('&');
        }
        side.push_str(segment);
        error |= name == "error";
        if name == "state" && state.is_none() {
            state = Some(value);
        }
    }
    let state = percent_decode(state.filter(|_| error)?)?;
    Some(QueryError {
        state,
        response,
        rest,
    })
}

/// A response's parameters, each borrowed from its pair, found in one pass over the pairs.
#[derive(Default)]
struct Found<'a> {
    iss: Option<&'a str>,
    state: Option<&'a str>,
    error: Option<&'a str>,
    error_description: Option<&'a str>,
    code: Option<&'a str>,
    id_token: Option<&'a str>,
    access_token: Option<&'a str>,
    token_type: Option<&'a str>,
    scope: Option<&'a str>,
    /// Text or a JSON number, judged by [`expires_in`].
    expires_in: Option<&'a ParamValue>,
    /// The first of `code`, `id_token` and `access_token` that came empty: noted as the pairs are
    /// read, refused where a success is made.
    empty_secret: Option<&'a str>,
}

impl<'a> Found<'a> {
    /// The parameters the SDK reads, from at most [`MAX_PARAMS`] pairs: each name may appear
    /// once (RFC 6749 §3.1), and each parameter read as text must be text (only `expires_in` may
    /// be a number). One pass: each name is checked against the later ones in place (at most 100
    /// names, so no sorted copy: smaller in wasm, and no indexing) and put in its slot. The
    /// slots are filled where the caller holds them, not returned and copied (wasm size).
    fn read(&mut self, pairs: &'a [(String, ParamValue)]) -> Result<(), Error> {
        if pairs.len() > MAX_PARAMS {
            return Err(invalid("the response has more than 100 parameters"));
        }
        // Each pair taken off the front by a slice pattern, so that the later ones are the rest
        // as it is: no count and no `skip` adapter.
        let mut rest = pairs;
        while let [(name, value), later @ ..] = rest {
            rest = later;
            if later.iter().any(|(n, _)| n == name) {
                return Err(refused(name, " must appear once"));
            }
            // Each slot with whether it holds a secret, which may not be empty: noted in the
            // one match on the name, not looked up again by a loop over the secrets' names.
            let (slot, secret) = match name.as_str() {
                "iss" => (&mut self.iss, false),
                "state" => (&mut self.state, false),
                "error" => (&mut self.error, false),
                "error_description" => (&mut self.error_description, false),
                "code" => (&mut self.code, true),
                "id_token" => (&mut self.id_token, true),
                "access_token" => (&mut self.access_token, true),
                "token_type" => (&mut self.token_type, false),
                "scope" => (&mut self.scope, false),
                "expires_in" => {
                    self.expires_in = Some(value);
                    continue;
                }
                _ => continue,
            };
            let ParamValue::Text(text) = value else {
                return Err(refused(name, " must be a string"));
            };
            *slot = Some(text);
            if secret && text.is_empty() && self.empty_secret.is_none() {
                self.empty_secret = Some(name);
            }
        }
        Ok(())
    }
}

impl<'a> AuthResponse<'a> {
    /// Reads an authorization response. An `iss` parameter must name `issuer`, and must be there
    /// when the provider promises it (RFC 9207, the mix-up defence of RFC 9700 §4.4) unless an ID
    /// token comes along, whose own verified `iss` names the issuer.
    pub(crate) fn from_pairs(
        pairs: &'a [(String, ParamValue)],
        issuer: &str,
        iss_required: bool,
    ) -> Result<Self, Error> {
        Self::read(pairs, None, Some((issuer, iss_required)))
    }

    /// Reads a response's parameters ([`Found::read`]). A token response carries no state: it
    /// gets the authorization response's, `state`, and no `iss` is asked of it (`issuer` is
    /// `None`); an authorization response's `iss` is checked as [`AuthResponse::from_pairs`] says.
    pub(crate) fn read(
        pairs: &'a [(String, ParamValue)],
        state: Option<&'a str>,
        issuer: Option<(&str, bool)>,
    ) -> Result<Self, Error> {
        let mut found = Found::default();
        found.read(pairs)?;
        if let Some((issuer, iss_required)) = issuer {
            match found.iss {
                Some(iss) if iss != issuer => {
                    return Err(Error::InvalidResponse(concat(&[
                        "iss must equal the issuer \"",
                        issuer,
                        "\" (RFC 9207)",
                    ])))
                }
                None if iss_required && found.id_token.is_none() => {
                    return Err(invalid("iss is missing (RFC 9207)"))
                }
                _ => {}
            }
        }
        let state = state.or(found.state);
        if let Some(error) = found.error {
            return Ok(AuthResponse::Error(Arc::new(OAuthError {
                error: error.into(),
                description: found.error_description.unwrap_or(error).into(),
                state: state.map(String::from),
                reason: None,
            })));
        }
        let Some(state) = state else {
            return Err(invalid("state is missing"));
        };
        if let Some(name) = found.empty_secret {
            return Err(refused(name, " is empty"));
        }
        let expires_in = match found.expires_in.map(expires_in) {
            Some(None) => return Err(invalid("expires_in must be whole seconds")),
            Some(seconds) => seconds,
            None => None,
        };
        Ok(AuthResponse::Success(ResponseParams {
            state,
            code: found.code,
            id_token: found.id_token,
            access_token: found.access_token,
            token_type: found.token_type,
            expires_in,
            scope: found.scope,
        }))
    }
}

impl ResponseParams<'_> {
    /// What an authorization response hands over, when it holds exactly what `response_type`
    /// asked for: a code alone, or the tokens alone.
    pub(crate) fn into_grant(self, response_type: ResponseType) -> Result<Grant, Error> {
        let has_tokens = self.id_token.is_some() || self.access_token.is_some();
        let refused = match (response_type, self.code) {
            (ResponseType::Code, Some(_)) if has_tokens => {
                "code must come alone (response_type code)"
            }
            (ResponseType::Code, Some(code)) => return Ok(Grant::Code(code.into())),
            (ResponseType::Code, None) => "code is missing",
            (_, Some(_)) => "code was not asked for",
            (_, None) => return self.into_tokens(response_type).map(Grant::Tokens),
        };
        Err(invalid(refused))
    }

    /// The tokens, when the response holds exactly the ones `response_type` stands for, copied
    /// out of the response's pairs once every check passed.
    pub(crate) fn into_tokens(self, response_type: ResponseType) -> Result<Tokens, Error> {
        let bearer = self
            .token_type
            .is_some_and(|t| t.eq_ignore_ascii_case("bearer"));
        let refused = match (self.id_token, self.access_token) {
            (None, _) => "id_token is missing",
            (_, None) if response_type.has_access_token() => "access_token is missing",
            (_, Some(_)) if !response_type.has_access_token() => "access_token was not asked for",
            (_, Some(_)) if !bearer => "token_type must be Bearer",
            (Some(id_token), access_token) => {
                return Ok(Tokens {
                    state: self.state.into(),
                    id_token: id_token.into(),
                    access_token: access_token.map(Secret::from),
                    expires_in: self.expires_in,
                    scope: self.scope.map(String::from),
                })
            }
        };
        Err(invalid(refused))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::text::decimal;

    const ISSUER: &str = "https://op.example";

    /// The response's pairs, leaked: a test's borrowed response outlives its parse.
    fn leak(pairs: Vec<(String, ParamValue)>) -> &'static [(String, ParamValue)] {
        Vec::leak(pairs)
    }

    /// A fragment as the flows hand it over, without its `#`.
    fn parse(fragment: &str) -> Result<Option<AuthResponse<'static>>, Error> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if !holds_response(fragment) {
            return Ok(None);
        }
        AuthResponse::from_pairs(leak(fragment_pairs(fragment)?), ISSUER, false).map(Some)
    }

    fn params(fragment: &str) -> ResponseParams<'static> {
        match parse(fragment).unwrap().unwrap() {
            AuthResponse::Success(t) => t,
            AuthResponse::Error(e) => panic!("unexpected {e:?}"),
        }
    }

    #[test]
    fn reads_a_token_response_and_drops_refresh_tokens() {
        let p = params("#access_token=at&id_token=a.b.c&token_type=Bearer&expires_in=7200&state=s%20x&scope=read%3Amessages&refresh_token=rt");
        assert!(
            !format!("{p:?}").contains("rt"),
            "the refresh token is not kept"
        );
        let t = p.into_tokens(ResponseType::IdTokenToken).unwrap();
        assert_eq!(t.access_token.as_ref().map(Secret::expose), Some("at"));
        assert_eq!(t.id_token.expose(), "a.b.c");
        assert_eq!(
            (t.expires_in, t.state.as_str(), t.scope.as_deref()),
            (Some(7200), "s x", Some("read:messages"))
        );
        assert!(!format!("{t:?}").contains("a.b.c"), "Debug hides tokens");
    }

    #[test]
    fn reads_an_oauth_error() {
        let r = parse("error=login_required&error_description=Login%20required&state=s").unwrap();
        let expected = OAuthError {
            error: "login_required".into(),
            description: "Login required".into(),
            state: Some("s".into()),
            reason: None,
        };
        assert_eq!(r, Some(AuthResponse::Error(Arc::new(expected))));
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
    fn iss_is_required_when_the_provider_promises_it() {
        let required = |fragment: &str| {
            let pairs = fragment_pairs(fragment).unwrap();
            AuthResponse::from_pairs(leak(pairs), ISSUER, true)
        };
        assert!(required("code=c&state=s&iss=https%3A%2F%2Fop.example").is_ok());
        assert!(
            required("id_token=i&state=s").is_ok(),
            "the ID token names it"
        );
        for missing in ["code=c&state=s", "error=login_required&state=s"] {
            let e = required(missing).unwrap_err();
            assert_eq!(e.code(), "invalid_response", "{missing}");
            assert!(e.description().contains("RFC 9207"));
        }
    }

    #[test]
    fn code_asks_for_a_code_alone() {
        let grant = |fragment: &str, response_type| params(fragment).into_grant(response_type);
        assert_eq!(
            grant(
                "code=c%2B1&state=s&iss=https%3A%2F%2Fop.example",
                ResponseType::Code
            ),
            Ok(Grant::Code("c+1".into()))
        );
        for bad in [
            "state=s&id_token=i",
            "code=c&state=s&id_token=i",
            "code=c&state=s&access_token=a&token_type=Bearer",
        ] {
            let e = grant(bad, ResponseType::Code).unwrap_err();
            assert_eq!(e.code(), "invalid_response", "{bad}");
        }
        let hybrid = grant("code=c&id_token=i&state=s", ResponseType::IdToken).unwrap_err();
        assert!(hybrid.description().contains("code"));
        assert!(!format!("{:?}", params("code=c0de&state=s")).contains("c0de"));
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
            "id_token=%ZZ&state=s",
        ] {
            assert_eq!(parse(bad).unwrap_err().code(), "invalid_response", "{bad}");
        }
    }

    #[test]
    fn expires_in_is_digits_only() {
        for bad in [
            "+5",
            " 5",
            "5 ",
            "-0",
            "0x10",
            "1e3",
            "",
            "99999999999999999999",
        ] {
            let fragment = concat(&["id_token=i&state=s&expires_in=", bad]);
            let refused = parse(&fragment).unwrap_err();
            assert_eq!(refused.code(), "invalid_response", "{bad:?}");
            assert!(refused.description().contains("expires_in"), "{bad:?}");
        }
        let longest = "id_token=i&state=s&expires_in=0315360000";
        assert_eq!(params(longest).expires_in, Some(315_360_000));
        let longer = parse("id_token=i&state=s&expires_in=315360001").unwrap_err();
        assert_eq!(longer.code(), "invalid_response", "over ten years");
    }

    #[test]
    fn a_huge_fragment_is_refused_at_once() {
        let mut fragment = String::from("#id_token=x&state=s");
        let mut i = 0u64;
        while fragment.len() < 1 << 20 {
            fragment.push_str("&p");
            fragment.push_str(&decimal(i));
            i += 1;
        }
        let started = std::time::Instant::now();
        let refused = parse(&fragment).unwrap_err();
        assert_eq!(refused.code(), "invalid_response");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let longest = concat(&["id_token=x&state=s&p=", &"a".repeat(65_536 - 21)]);
        assert!(parse(&longest).is_ok());
        let longer = concat(&[&longest, "a"]);
        assert_eq!(parse(&longer).unwrap_err().code(), "invalid_response");
    }

    #[test]
    fn at_most_a_hundred_parameters_are_read() {
        let with_params = |n: usize| {
            let mut pairs = vec![
                ("id_token".to_owned(), ParamValue::Text("i".into())),
                ("state".to_owned(), ParamValue::Text("s".into())),
            ];
            pairs.extend((2..n).map(|i| (decimal(i as u64), ParamValue::Other)));
            AuthResponse::from_pairs(&pairs, ISSUER, false).map(|_| ())
        };
        assert!(with_params(100).is_ok());
        let refused = with_params(101).err().map(|e| e.description());
        assert_eq!(
            refused.as_deref(),
            Some("the response has more than 100 parameters")
        );
        let started = std::time::Instant::now();
        assert!(with_params(100_000).is_err());
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    fn posted(expires_in: ParamValue) -> Result<AuthResponse<'static>, Error> {
        let text = |v: &str| ParamValue::Text(v.into());
        let pairs = vec![
            ("id_token".into(), text("i")),
            ("state".into(), text("s")),
            ("expires_in".into(), expires_in),
        ];
        AuthResponse::from_pairs(leak(pairs), ISSUER, false)
    }

    #[test]
    fn a_posted_expires_in_may_be_a_whole_number() {
        for (value, seconds) in [(3600.0, 3600), (0.0, 0), (315_360_000.0, 315_360_000)] {
            match posted(ParamValue::Number(value)) {
                Ok(AuthResponse::Success(p)) => assert_eq!(p.expires_in, Some(seconds)),
                _ => panic!("{value} is refused"),
            }
        }
        let refused = [
            ParamValue::Number(1.5),
            ParamValue::Number(-1.0),
            ParamValue::Number(f64::NAN),
            ParamValue::Number(f64::INFINITY),
            ParamValue::Number(315_360_001.0),
            ParamValue::Number(1e300),
            ParamValue::Other,
        ];
        for value in refused {
            let e = posted(value).err().map(|e| e.code().to_owned());
            assert_eq!(e.as_deref(), Some("invalid_response"));
        }
        let pairs = vec![
            ("id_token".into(), ParamValue::Text("i".into())),
            ("state".into(), ParamValue::Number(1.0)),
        ];
        let state_as_number = AuthResponse::from_pairs(&pairs, ISSUER, false);
        let refused = state_as_number.err().map(|e| e.description());
        assert_eq!(refused.as_deref(), Some("state must be a string"));
    }

    #[test]
    fn empty_tokens_are_malformed() {
        for (bad, named) in [
            (
                "access_token=&id_token=i&token_type=Bearer&state=s",
                "access_token",
            ),
            ("id_token=&state=s", "id_token"),
            ("code=&state=s", "code"),
        ] {
            let refused = parse(bad).unwrap_err();
            assert_eq!(refused.code(), "invalid_response", "{bad}");
            assert_eq!(
                refused.description(),
                concat(&[named, " is empty"]),
                "{bad}"
            );
        }
        // An error answer is passed on, whatever else it holds, as before any empty secret.
        assert!(matches!(
            parse("error=access_denied&code=&state=s"),
            Ok(Some(AuthResponse::Error(_)))
        ));
    }

    #[test]
    fn tokens_must_match_the_response_type() {
        let both = || params("access_token=at&id_token=i&token_type=bearer&state=s");
        assert!(both().into_tokens(ResponseType::IdTokenToken).is_ok());
        assert!(both().into_grant(ResponseType::IdTokenToken).is_ok());
        assert!(both().into_tokens(ResponseType::IdToken).is_err());
        let id_only = || params("id_token=i&state=s");
        assert!(id_only().into_tokens(ResponseType::IdToken).is_ok());
        assert!(id_only().into_tokens(ResponseType::IdTokenToken).is_err());
        assert!(params("access_token=at&id_token=i&token_type=mac&state=s")
            .into_tokens(ResponseType::IdTokenToken)
            .is_err());
        assert!(params("access_token=at&state=s&token_type=Bearer")
            .into_tokens(ResponseType::IdTokenToken)
            .is_err());
    }

    #[test]
    fn an_error_in_the_query_is_split_from_the_apps_own_parameters() {
        let found = query_error("tab=2&error=login_required&state=s%201&x=a+b").unwrap();
        assert_eq!(
            found,
            QueryError {
                response: "error=login_required&state=s%201".into(),
                state: "s 1".into(),
                rest: "tab=2&x=a+b".into(),
            }
        );
        let all = query_error("error=access_denied&error_description=No&error_uri=u&state=s&iss=i");
        assert_eq!(all.unwrap().rest, "");
        assert_eq!(query_error("error=x"), None, "no state, no response");
        assert_eq!(query_error("state=s&page=1"), None, "no error");
        assert_eq!(
            query_error("error=x&state=%ZZ"),
            None,
            "a state that does not decode"
        );
        let undecodable = query_error("error=%ZZ&state=s").unwrap();
        let read = fragment_pairs(&undecodable.response);
        assert!(
            read.is_err_and(|e| e.code() == "invalid_response"),
            "refused when it is read"
        );
        assert_eq!(query_error(""), None);
    }
}
