//! Errors, modelled on RFC 6749 §4.2.2.1 and OpenID Connect Core §3.1.2.6: every failure has a
//! machine-readable `error` code and a human-readable `error_description`.
//!
//! Descriptions name the parameter or claim at fault and what was expected. They never contain a
//! token, a nonce or any other secret, so an application may log them.

use crate::core::silent::Reason;
use crate::core::text::{concat, decimal};
use alloc::{string::String, sync::Arc};

/// Why a value in an ID token was rejected (OpenID Connect Core §3.1.3.7 and §3.2.2.11).
///
/// Each variant has its own error code (`id_token_…`), so an application can tell them apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdTokenError {
    /// Not a compact JWS (three base64url parts, JSON header and payload).
    Malformed(&'static str),
    /// The header's `alg` is not in the allow-list (`none` and `HS*` never are).
    AlgorithmNotAllowed {
        /// The header's `alg`.
        alg: String,
        /// The configured algorithms, comma-separated.
        configured: String,
    },
    /// The header carries a `crit` extension this verifier does not understand (RFC 7515 §4.1.11).
    CriticalHeader,
    /// No key in the provider's JWKS fits the header's `kid` (if any) and `alg`, even after a
    /// refetch.
    KeyNotFound(Option<String>),
    /// The provider's RSA key is shorter than the 2048 bits RFC 7518 §3.3 and §3.5 require.
    KeyTooShort {
        /// The length of its modulus.
        bits: u64,
    },
    /// The signature does not verify with the provider's key.
    SignatureInvalid,
    /// `iss` is missing or differs from the provider's issuer.
    IssuerMismatch {
        /// The issuer the configuration or discovery names.
        expected: String,
    },
    /// `aud` is missing or does not contain the client id.
    AudienceMismatch {
        /// The client id.
        expected: String,
    },
    /// `azp` is required (several audiences) or present, and differs from the client id.
    AuthorizedPartyMismatch {
        /// The client id.
        expected: String,
    },
    /// `sub` is missing.
    SubjectMissing,
    /// `exp` is missing or passed (beyond the leeway).
    Expired,
    /// `nbf` lies in the future (beyond the leeway).
    NotYetValid,
    /// `iat` is missing or lies in the future (beyond the leeway).
    IssuedAtInvalid,
    /// `nonce` is missing or differs from the one sent in the authorization request.
    NonceMismatch,
    /// `max_age` was requested and `auth_time` is missing.
    AuthTimeMissing,
    /// `auth_time` is older than the requested `max_age` (beyond the leeway).
    AuthTimeTooOld,
    /// An access token came with the ID token from the authorization endpoint (`id_token token`),
    /// and the ID token has no `at_hash` (OIDC Core §3.2.2.10, RFC 9700 §4.6).
    AccessTokenHashMissing,
    /// `at_hash` does not match the access token.
    AccessTokenHashMismatch,
}

impl IdTokenError {
    /// The error code, one per variant.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "id_token_malformed",
            Self::AlgorithmNotAllowed { .. } => "id_token_alg_not_allowed",
            Self::CriticalHeader => "id_token_crit_unsupported",
            Self::KeyNotFound(_) => "id_token_key_not_found",
            Self::KeyTooShort { .. } => "id_token_key_too_short",
            Self::SignatureInvalid => "id_token_signature_invalid",
            Self::IssuerMismatch { .. } => "id_token_iss_mismatch",
            Self::AudienceMismatch { .. } => "id_token_aud_mismatch",
            Self::AuthorizedPartyMismatch { .. } => "id_token_azp_mismatch",
            Self::SubjectMissing => "id_token_sub_missing",
            Self::Expired => "id_token_expired",
            Self::NotYetValid => "id_token_not_yet_valid",
            Self::IssuedAtInvalid => "id_token_iat_invalid",
            Self::NonceMismatch => "id_token_nonce_mismatch",
            Self::AuthTimeMissing => "id_token_auth_time_missing",
            Self::AuthTimeTooOld => "id_token_auth_time_too_old",
            Self::AccessTokenHashMissing => "id_token_at_hash_missing",
            Self::AccessTokenHashMismatch => "id_token_at_hash_mismatch",
        }
    }

    /// A description naming the claim and what was expected. The texts that name no value are
    /// picked first and copied at one place (wasm size: one copy, not one per text).
    pub fn description(&self) -> String {
        let fixed = match self {
            Self::Malformed(why) => return concat(&["not a JWS: ", why]),
            Self::AlgorithmNotAllowed { alg, configured } => {
                return concat(&["alg \"", alg, "\" is not allowed (", configured, ")"])
            }
            Self::KeyNotFound(Some(kid)) => {
                return concat(&["no JWKS key has kid \"", kid, "\" and alg"])
            }
            Self::KeyTooShort { bits } => {
                return concat(&[
                    "the RSA key has ",
                    &decimal(*bits),
                    " bits, not 2048 or more",
                ])
            }
            Self::IssuerMismatch { expected } => {
                return concat(&["iss must equal \"", expected, "\""])
            }
            Self::AudienceMismatch { expected } => {
                return concat(&["aud must contain \"", expected, "\""])
            }
            Self::AuthorizedPartyMismatch { expected } => {
                return concat(&["azp must equal \"", expected, "\""])
            }
            Self::CriticalHeader => "crit is not supported",
            Self::KeyNotFound(None) => "no kid, and not one JWKS key for alg",
            Self::SignatureInvalid => "the signature does not verify",
            Self::SubjectMissing => "sub is missing",
            Self::Expired => "exp is missing or has passed",
            Self::NotYetValid => "nbf is in the future",
            Self::IssuedAtInvalid => "iat is missing or in the future",
            Self::NonceMismatch => "nonce differs from the request's",
            Self::AuthTimeMissing => "auth_time is missing (max_age asked)",
            Self::AuthTimeTooOld => "auth_time is older than max_age",
            Self::AccessTokenHashMissing => "at_hash is missing",
            Self::AccessTokenHashMismatch => "at_hash does not match the access token",
        };
        fixed.into()
    }
}

/// An error the provider answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// The provider's `error`.
    pub error: String,
    /// The provider's `error_description`, or a note of ours.
    pub description: String,
    /// The `state` of the response.
    pub state: Option<String>,
    /// Why silent authentication failed, when the answer came to it and says.
    pub reason: Option<Reason>,
}

/// Every failure of the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The options given to `new WebAuth(…)` are unusable.
    Configuration(String),
    /// The options given to a call are unusable (`invalid_request`).
    InvalidRequest(String),
    /// `offline_access` was asked for: this SDK never requests refresh tokens (`invalid_scope`).
    OfflineAccessRefused,
    /// The provider answered with an OAuth error (RFC 6749 §4.2.2.1), passed through. Behind a
    /// pointer, so that every `Result` the SDK moves around stays small; an `Arc`, like
    /// [`Error::IdToken`]'s, so that a shared flight's error is cloned for each caller without
    /// copying its strings.
    OAuth(Arc<OAuthError>),
    /// The response's `state` names no pending transaction: unknown, or already used.
    UnknownState(String),
    /// The response's `state` names a transaction older than its lifetime.
    StateExpired(String),
    /// The response does not have the shape the request asked for.
    InvalidResponse(String),
    /// The ID token failed verification. Behind a pointer like [`Error::OAuth`]: its largest
    /// variant holds two strings, and every `Result` would otherwise carry room for them (wasm
    /// size). An `Arc`, not a `Box`: a shared flight's error is cloned for each caller, and
    /// cloning it then copies no string (an `Rc` would make `Error` neither `Send` nor `Sync`).
    IdToken(Arc<IdTokenError>),
    /// The provider's discovery document or JWKS is unusable: misconfigured, which waiting will
    /// not fix.
    Provider(String),
    /// The provider's discovery document or JWKS could not be fetched (network, HTTP 5xx, no
    /// answer within the time allowed): this may pass. Same code as [`Error::Provider`].
    ProviderUnavailable(String),
    /// No answer from the provider within the time allowed.
    Timeout(String),
    /// A browser API failed or is missing.
    Browser(String),
    /// `sessionStorage` refused the pending login (unavailable, or full), so it could not survive
    /// the redirect; nothing was sent to the provider.
    StorageUnavailable(String),
    /// A silent renewal answered for another user than the session's: the provider's session
    /// changed hands. The tokens held were forgotten, not replaced.
    SessionUserChanged,
    /// The session was ended (`logout`, `clear_session`) while this call was in flight.
    SessionCleared,
    /// The provider's page loaded in the hidden iframe and then stayed silent: it refuses to be
    /// framed (`X-Frame-Options`, CSP `frame-ancestors`), or showed a page of its own.
    FrameRefused,
    /// The page is cross-origin isolated (`crossOriginIsolated`): an iframe to the provider
    /// cannot answer it.
    CrossOriginIsolated,
}

impl Error {
    /// The provider's answer with HTTP `status` and no usable body: a status that may pass (408,
    /// 429, 5xx) is [`Error::ProviderUnavailable`], any other [`Error::Provider`].
    pub(crate) fn http_status(status: u16, message: String) -> Error {
        match status {
            408 | 429 | 500.. => Self::ProviderUnavailable(message),
            _ => Self::Provider(message),
        }
    }

    /// The `error` code shown to JavaScript.
    pub fn code(&self) -> &str {
        match self {
            Self::Configuration(_) => "invalid_configuration",
            Self::InvalidRequest(_) => "invalid_request",
            Self::OfflineAccessRefused => "invalid_scope",
            Self::OAuth(e) => &e.error,
            Self::UnknownState(_) => "invalid_state",
            Self::StateExpired(_) => "state_expired",
            Self::InvalidResponse(_) => "invalid_response",
            Self::IdToken(e) => e.code(),
            Self::Provider(_) | Self::ProviderUnavailable(_) => "provider_error",
            Self::Timeout(_) => "timeout",
            Self::Browser(_) => "browser_error",
            Self::StorageUnavailable(_) => "storage_unavailable",
            Self::SessionUserChanged => "session_user_changed",
            Self::SessionCleared => "session_cleared",
            Self::FrameRefused => "frame_refused",
            Self::CrossOriginIsolated => "cross_origin_isolated",
        }
    }

    /// The `errorDescription` shown to JavaScript. Every text but an ID token's is picked first
    /// and copied at one place (wasm size).
    pub fn description(&self) -> String {
        let text: &str = match self {
            Self::IdToken(e) => return e.description(),
            Self::OfflineAccessRefused => "offline_access is refused: renew with checkSession()",
            Self::OAuth(e) => &e.description,
            Self::UnknownState(_) => "no pending login has this state",
            Self::StateExpired(_) => "the pending login expired",
            Self::SessionUserChanged => "another user's session: tokens forgotten",
            Self::SessionCleared => "the session ended during this call",
            Self::FrameRefused => {
                "the iframe was silent 2 s after loading: framing refused, or a page shown"
            }
            Self::CrossOriginIsolated => "a cross-origin isolated page: no iframe can answer",
            Self::Configuration(d)
            | Self::InvalidRequest(d)
            | Self::InvalidResponse(d)
            | Self::Provider(d)
            | Self::ProviderUnavailable(d)
            | Self::Timeout(d)
            | Self::Browser(d)
            | Self::StorageUnavailable(d) => d,
        };
        text.into()
    }

    /// Why silent authentication cannot succeed, when that is known.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            Self::OAuth(e) => e.reason,
            Self::FrameRefused => Some(Reason::FrameRefused),
            Self::CrossOriginIsolated => Some(Reason::CrossOriginIsolated),
            _ => None,
        }
    }

    /// The `state` the failure belongs to, when one is known.
    pub fn state(&self) -> Option<&str> {
        match self {
            Self::OAuth(e) => e.state.as_deref(),
            Self::UnknownState(s) | Self::StateExpired(s) => Some(s),
            _ => None,
        }
    }
}

impl From<IdTokenError> for Error {
    fn from(e: IdTokenError) -> Self {
        Self::IdToken(Arc::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_rfcs_and_are_distinct_per_claim() {
        assert_eq!(Error::OfflineAccessRefused.code(), "invalid_scope");
        assert_eq!(Error::UnknownState("s".into()).code(), "invalid_state");
        assert_eq!(
            Error::from(IdTokenError::NonceMismatch).code(),
            "id_token_nonce_mismatch"
        );
        let oauth = Error::OAuth(Arc::new(OAuthError {
            error: "login_required".into(),
            description: "d".into(),
            state: Some("s".into()),
            reason: None,
        }));
        assert_eq!((oauth.code(), oauth.state()), ("login_required", Some("s")));
    }

    /// A Rust app may keep an `Error` in a signal or a resource that needs both.
    #[test]
    fn errors_are_send_and_sync() {
        fn send_and_sync<T: Send + Sync>() {}
        send_and_sync::<Error>();
    }

    #[test]
    fn http_statuses_that_may_pass_are_unavailable_ones() {
        for (status, code) in [
            (503, true),
            (500, true),
            (429, true),
            (408, true),
            (404, false),
            (400, false),
        ] {
            let e = Error::http_status(status, "m".into());
            assert_eq!(e.code(), "provider_error");
            assert_eq!(matches!(e, Error::ProviderUnavailable(_)), code, "{status}");
        }
    }

    #[test]
    fn descriptions_name_the_claim_and_the_expectation() {
        let e = IdTokenError::IssuerMismatch {
            expected: "https://op.example/".into(),
        };
        assert_eq!(e.description(), "iss must equal \"https://op.example/\"");
        assert!(IdTokenError::AccessTokenHashMissing
            .description()
            .starts_with("at_hash"));
    }
}
