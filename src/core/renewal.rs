//! The session's renewal decisions, pure: whether a renewed result may replace the tokens held,
//! how long to wait after a failure, and which failures end automatic renewal.

use crate::core::error::{Error, IdTokenError};

/// The wait after the first failure in a row.
const FIRST_RETRY_MS: f64 = 30_000.0;

/// The longest wait between two tries, however many failed.
const MAX_RETRY_MS: f64 = 10.0 * 60_000.0;

/// A renewal answers for the session's user or not at all (OpenID Connect Core §3.1.2.1 asks the
/// provider for the `id_token_hint`'s user; not every provider checks). Only `sub` is compared:
/// `iss` is the same for every result of one client, which verification already insists on.
pub(crate) fn same_user(held_subject: &str, renewed_subject: &str) -> Result<(), Error> {
    if held_subject == renewed_subject {
        Ok(())
    } else {
        Err(Error::SessionUserChanged)
    }
}

/// The wait before the next try after `failures` failures in a row (1, 2, …): 30 s, 60 s,
/// 120 s, … at most 10 minutes, so that a provider that is down is not hammered.
pub(crate) fn retry_delay_ms(failures: u32) -> f64 {
    let doublings = failures.saturating_sub(1).min(16);
    (FIRST_RETRY_MS * f64::from(1u32 << doublings)).min(MAX_RETRY_MS)
}

/// Whether waiting cannot fix `error`, so that automatic renewal stops instead of trying again:
/// the configuration or the request is wrong, the provider is misconfigured, or the user must
/// act (log in, consent). A timeout, an unreachable provider, a provider's `server_error` or
/// `temporarily_unavailable`, a key not yet published may pass.
pub(crate) fn is_permanent(error: &Error) -> bool {
    match error {
        Error::Timeout(_)
        | Error::ProviderUnavailable(_)
        | Error::Browser(_)
        | Error::SessionCleared
        | Error::FrameRefused => false,
        Error::OAuth(e) => !matches!(e.error.as_str(), "server_error" | "temporarily_unavailable"),
        Error::IdToken(e) => matches!(
            **e,
            IdTokenError::AlgorithmNotAllowed { .. }
                | IdTokenError::IssuerMismatch { .. }
                | IdTokenError::AudienceMismatch { .. }
                | IdTokenError::AuthorizedPartyMismatch { .. }
        ),
        Error::Configuration(_)
        | Error::InvalidRequest(_)
        | Error::OfflineAccessRefused
        | Error::UnknownState(_)
        | Error::StateExpired(_)
        | Error::InvalidResponse(_)
        | Error::Provider(_)
        | Error::StorageUnavailable(_)
        | Error::SessionUserChanged
        | Error::CrossOriginIsolated => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::OAuthError;
    use alloc::sync::Arc;

    fn oauth(code: &str) -> Error {
        Error::OAuth(Arc::new(OAuthError {
            error: code.into(),
            description: String::new(),
            state: None,
            reason: None,
        }))
    }

    #[test]
    fn another_subject_is_refused() {
        assert_eq!(same_user("ada", "ada"), Ok(()));
        let changed = same_user("ada", "alan").unwrap_err();
        assert_eq!(changed.code(), "session_user_changed");
        assert!(!changed.description().contains("alan"));
    }

    #[test]
    fn retries_back_off_from_30_s_to_at_most_10_minutes() {
        let waits: Vec<f64> = (1..=7).map(retry_delay_ms).collect();
        assert_eq!(
            waits,
            [30e3, 60e3, 120e3, 240e3, 480e3, 600e3, 600e3],
            "doubling, capped"
        );
        assert_eq!(retry_delay_ms(u32::MAX), 600e3);
    }

    #[test]
    fn only_errors_that_may_pass_are_retried() {
        for passing in [
            Error::Timeout("t".into()),
            Error::ProviderUnavailable("HTTP 503".into()),
            Error::Browser("b".into()),
            oauth("server_error"),
            oauth("temporarily_unavailable"),
            IdTokenError::KeyNotFound(Some("k".into())).into(),
            IdTokenError::Expired.into(),
        ] {
            assert!(!is_permanent(&passing), "{passing:?}");
        }
        for permanent in [
            Error::Configuration("c".into()),
            Error::InvalidRequest("r".into()),
            Error::OfflineAccessRefused,
            Error::InvalidResponse("r".into()),
            Error::Provider("the discovery document's issuer must equal …".into()),
            Error::SessionUserChanged,
            oauth("login_required"),
            oauth("consent_required"),
            oauth("interaction_required"),
            oauth("invalid_client"),
            oauth("unauthorized_client"),
            IdTokenError::IssuerMismatch {
                expected: "i".into(),
            }
            .into(),
        ] {
            assert!(is_permanent(&permanent), "{permanent:?}");
        }
    }
}
