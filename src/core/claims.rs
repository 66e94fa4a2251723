//! The ID token's claims and their checks (OpenID Connect Core §3.1.3.7, §3.2.2.11), with the
//! clock passed in so that tests can fix it.

use crate::core::encoding::base64url;
use crate::core::error::IdTokenError;
use alloc::{string::String, vec::Vec};

/// The claims the verifier checks. Numbers are JSON numbers, seconds since the epoch.
#[derive(Debug, Default)]
pub(crate) struct Claims {
    /// Issuer.
    pub(crate) iss: Option<String>,
    /// Subject.
    pub(crate) sub: Option<String>,
    /// Audience: one string or several.
    pub(crate) aud: Vec<String>,
    /// Authorized party.
    pub(crate) azp: Option<String>,
    /// Expiry.
    pub(crate) exp: Option<f64>,
    /// Not before.
    pub(crate) nbf: Option<f64>,
    /// Issued at.
    pub(crate) iat: Option<f64>,
    /// The nonce of the request.
    pub(crate) nonce: Option<String>,
    /// When the user authenticated.
    pub(crate) auth_time: Option<f64>,
    /// The access token's hash.
    pub(crate) at_hash: Option<String>,
}

/// What the claims must say.
#[derive(Debug)]
pub(crate) struct Expectations<'a> {
    /// The provider's issuer.
    pub(crate) issuer: &'a str,
    /// This client.
    pub(crate) client_id: &'a str,
    /// The transaction's nonce, which the token must carry. `None` only for tokens another tab
    /// of this app shares ([`crate::core::tabs`]): that tab checked their nonce against its own
    /// transaction, which never left it. A response from the provider always has `Some`.
    pub(crate) nonce: Option<&'a str>,
    /// The `max_age` requested, if any.
    pub(crate) max_age: Option<u64>,
    /// Seconds of clock skew tolerated.
    pub(crate) leeway: u32,
    /// The current time, seconds since the epoch.
    pub(crate) now: f64,
}

/// What a token whose claims passed every check says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CheckedClaims {
    pub(crate) subject: String,
    /// Seconds since the epoch.
    pub(crate) expires_at: f64,
}

impl Claims {
    /// Checks every claim; the first failure is returned.
    pub(crate) fn check(&self, expect: &Expectations<'_>) -> Result<CheckedClaims, IdTokenError> {
        let leeway = f64::from(expect.leeway);
        if self.iss.as_deref() != Some(expect.issuer) {
            return Err(IdTokenError::IssuerMismatch {
                expected: expect.issuer.into(),
            });
        }
        if !self.aud.iter().any(|a| a == expect.client_id) {
            return Err(IdTokenError::AudienceMismatch {
                expected: expect.client_id.into(),
            });
        }
        let azp_needed = self.aud.len() > 1;
        if (azp_needed || self.azp.is_some()) && self.azp.as_deref() != Some(expect.client_id) {
            return Err(IdTokenError::AuthorizedPartyMismatch {
                expected: expect.client_id.into(),
            });
        }
        // `let … else`, not `ok_or`: an error built eagerly is dropped on success, in the wasm too.
        let Some(subject) = self.sub.as_deref().filter(|s| !s.is_empty()) else {
            return Err(IdTokenError::SubjectMissing);
        };
        // Each time check asks whether the time is good, so that NaN (which compares false with
        // everything) fails it instead of slipping through.
        let not_later = |time: f64, limit: f64| time <= limit;
        let Some(expires_at) = self.exp.filter(|exp| expect.now < exp + leeway) else {
            return Err(IdTokenError::Expired);
        };
        if self
            .nbf
            .is_some_and(|nbf| !not_later(nbf, expect.now + leeway))
        {
            return Err(IdTokenError::NotYetValid);
        }
        if !self
            .iat
            .is_some_and(|iat| not_later(iat, expect.now + leeway))
        {
            return Err(IdTokenError::IssuedAtInvalid);
        }
        if expect
            .nonce
            .is_some_and(|nonce| self.nonce.as_deref() != Some(nonce))
        {
            return Err(IdTokenError::NonceMismatch);
        }
        if let Some(max_age) = expect.max_age {
            let Some(auth_time) = self.auth_time else {
                return Err(IdTokenError::AuthTimeMissing);
            };
            if !not_later(expect.now, auth_time + max_age as f64 + leeway) {
                return Err(IdTokenError::AuthTimeTooOld);
            }
        }
        Ok(CheckedClaims {
            subject: subject.into(),
            expires_at,
        })
    }

    /// Checks `at_hash` against the access token that came with the ID token, if one did
    /// (`access_token_came`): the claim must be the base64url of the left half of the token's
    /// SHA-256 `digest` (computed when the claim is there), and is required when `required`
    /// (`id_token token`, OIDC Core §3.2.2.10; with `code` it is checked when present, §3.1.3.8).
    pub(crate) fn check_at_hash(
        &self,
        access_token_came: bool,
        digest: Option<&[u8]>,
        required: bool,
    ) -> Result<(), IdTokenError> {
        match (self.at_hash.as_deref(), digest) {
            (Some(claimed), Some(digest)) => {
                let left_half = digest.get(..16).unwrap_or(digest);
                if base64url(left_half) == claimed {
                    Ok(())
                } else {
                    Err(IdTokenError::AccessTokenHashMismatch)
                }
            }
            (None, _) if access_token_came && required => Err(IdTokenError::AccessTokenHashMissing),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_700_000_000.0;

    fn claims() -> Claims {
        Claims {
            iss: Some("https://op.example".into()),
            sub: Some("ada".into()),
            aud: vec!["spa".into()],
            exp: Some(NOW + 600.0),
            iat: Some(NOW - 5.0),
            nonce: Some("n-1".into()),
            auth_time: Some(NOW - 100.0),
            ..Claims::default()
        }
    }

    fn expect() -> Expectations<'static> {
        Expectations {
            issuer: "https://op.example",
            client_id: "spa",
            nonce: Some("n-1"),
            max_age: None,
            leeway: 60,
            now: NOW,
        }
    }

    fn check(c: Claims) -> Result<(), IdTokenError> {
        c.check(&expect()).map(drop)
    }

    #[test]
    fn valid_claims_pass() {
        assert_eq!(
            claims().check(&expect()),
            Ok(CheckedClaims {
                subject: "ada".into(),
                expires_at: NOW + 600.0,
            })
        );
    }

    #[test]
    fn iss_must_equal_the_issuer() {
        let e = check(Claims {
            iss: Some("https://op.example/".into()),
            ..claims()
        })
        .unwrap_err();
        assert_eq!(
            e,
            IdTokenError::IssuerMismatch {
                expected: "https://op.example".into()
            }
        );
        assert_eq!(
            check(Claims {
                iss: None,
                ..claims()
            })
            .unwrap_err()
            .code(),
            "id_token_iss_mismatch"
        );
    }

    #[test]
    fn aud_must_contain_the_client_and_azp_decides_between_several() {
        assert_eq!(
            check(Claims {
                aud: vec!["other".into()],
                ..claims()
            })
            .unwrap_err()
            .code(),
            "id_token_aud_mismatch"
        );
        assert_eq!(
            check(Claims {
                aud: vec![],
                ..claims()
            })
            .unwrap_err()
            .code(),
            "id_token_aud_mismatch"
        );
        let several = || Claims {
            aud: vec!["spa".into(), "api".into()],
            ..claims()
        };
        assert_eq!(
            check(several()).unwrap_err().code(),
            "id_token_azp_mismatch"
        );
        assert_eq!(
            check(Claims {
                azp: Some("spa".into()),
                ..several()
            }),
            Ok(())
        );
        assert_eq!(
            check(Claims {
                azp: Some("api".into()),
                ..several()
            })
            .unwrap_err()
            .code(),
            "id_token_azp_mismatch"
        );
        assert_eq!(
            check(Claims {
                azp: Some("api".into()),
                ..claims()
            })
            .unwrap_err()
            .code(),
            "id_token_azp_mismatch"
        );
    }

    #[test]
    fn sub_is_required() {
        assert_eq!(
            check(Claims {
                sub: None,
                ..claims()
            }),
            Err(IdTokenError::SubjectMissing)
        );
    }

    #[test]
    fn exp_allows_the_leeway_and_no_more() {
        assert_eq!(
            check(Claims {
                exp: Some(NOW - 59.0),
                ..claims()
            }),
            Ok(())
        );
        assert_eq!(
            check(Claims {
                exp: Some(NOW - 60.0),
                ..claims()
            }),
            Err(IdTokenError::Expired)
        );
        assert_eq!(
            check(Claims {
                exp: None,
                ..claims()
            }),
            Err(IdTokenError::Expired)
        );
    }

    #[test]
    fn nbf_and_iat_may_not_lie_in_the_future() {
        assert_eq!(
            check(Claims {
                nbf: Some(NOW + 60.0),
                ..claims()
            }),
            Ok(())
        );
        assert_eq!(
            check(Claims {
                nbf: Some(NOW + 61.0),
                ..claims()
            }),
            Err(IdTokenError::NotYetValid)
        );
        assert_eq!(
            check(Claims {
                iat: Some(NOW + 60.0),
                ..claims()
            }),
            Ok(())
        );
        assert_eq!(
            check(Claims {
                iat: Some(NOW + 61.0),
                ..claims()
            }),
            Err(IdTokenError::IssuedAtInvalid)
        );
        assert_eq!(
            check(Claims {
                iat: None,
                ..claims()
            }),
            Err(IdTokenError::IssuedAtInvalid)
        );
    }

    #[test]
    fn nonce_must_match() {
        assert_eq!(
            check(Claims {
                nonce: Some("n-2".into()),
                ..claims()
            }),
            Err(IdTokenError::NonceMismatch)
        );
        assert_eq!(
            check(Claims {
                nonce: None,
                ..claims()
            }),
            Err(IdTokenError::NonceMismatch)
        );
    }

    #[test]
    fn a_tab_shared_token_skips_the_nonce_and_nothing_else() {
        let shared = Expectations {
            nonce: None,
            ..expect()
        };
        for nonce in [None, Some("n-2".into())] {
            assert!(Claims { nonce, ..claims() }.check(&shared).is_ok());
        }
        let expired = Claims {
            exp: Some(NOW - 61.0),
            ..claims()
        };
        assert_eq!(expired.check(&shared), Err(IdTokenError::Expired));
        let other_client = Claims {
            aud: vec!["other".into()],
            ..claims()
        };
        assert!(other_client.check(&shared).is_err());
    }

    #[test]
    fn auth_time_is_checked_when_max_age_was_asked() {
        let with_max_age = |max_age, c: Claims| {
            c.check(&Expectations {
                max_age: Some(max_age),
                ..expect()
            })
            .map(drop)
        };
        assert_eq!(with_max_age(100, claims()), Ok(()));
        assert_eq!(
            with_max_age(
                0,
                Claims {
                    auth_time: Some(NOW - 60.0),
                    ..claims()
                }
            ),
            Ok(())
        );
        assert_eq!(with_max_age(0, claims()), Err(IdTokenError::AuthTimeTooOld));
        assert_eq!(
            with_max_age(
                100,
                Claims {
                    auth_time: None,
                    ..claims()
                }
            ),
            Err(IdTokenError::AuthTimeMissing)
        );
        assert_eq!(
            check(Claims {
                auth_time: None,
                ..claims()
            }),
            Ok(()),
            "not needed without max_age"
        );
    }

    #[test]
    fn a_time_that_is_not_a_number_fails_its_check() {
        let nan = Some(f64::NAN);
        assert_eq!(
            check(Claims {
                nbf: nan,
                ..claims()
            }),
            Err(IdTokenError::NotYetValid)
        );
        let max_age = Expectations {
            max_age: Some(100),
            ..expect()
        };
        let auth_time_nan = Claims {
            auth_time: nan,
            ..claims()
        };
        assert_eq!(
            auth_time_nan.check(&max_age).map(drop),
            Err(IdTokenError::AuthTimeTooOld)
        );
        for broken in [
            Claims {
                exp: nan,
                ..claims()
            },
            Claims {
                iat: nan,
                ..claims()
            },
        ] {
            assert!(check(broken).is_err());
        }
    }

    #[test]
    fn zero_leeway_is_exact() {
        let strict = Expectations {
            leeway: 0,
            ..expect()
        };
        assert_eq!(
            Claims {
                exp: Some(NOW),
                ..claims()
            }
            .check(&strict)
            .map(drop),
            Err(IdTokenError::Expired)
        );
        assert_eq!(
            Claims {
                iat: Some(NOW + 1.0),
                ..claims()
            }
            .check(&strict)
            .map(drop),
            Err(IdTokenError::IssuedAtInvalid)
        );
    }

    #[test]
    fn at_hash_is_the_left_half_of_the_access_tokens_digest() {
        // Any 32 bytes stand for the digest: WebCrypto computes it, the check compares.
        let digest: Vec<u8> = (0u8..32).collect();
        let claimed = |at_hash: Option<&str>| Claims {
            at_hash: at_hash.map(Into::into),
            ..claims()
        };
        let left_half = base64url(&digest[..16]);
        let right = claimed(Some(&left_half));
        assert_eq!(right.check_at_hash(true, Some(&digest), true), Ok(()));
        assert_eq!(right.check_at_hash(true, Some(&digest), false), Ok(()));
        assert_eq!(
            claimed(Some(&base64url(&digest))).check_at_hash(true, Some(&digest), false),
            Err(IdTokenError::AccessTokenHashMismatch),
            "the whole digest is not the left half"
        );
        assert_eq!(
            claimed(Some("AAAAAAAAAAAAAAAAAAAAAA")).check_at_hash(true, Some(&digest), true),
            Err(IdTokenError::AccessTokenHashMismatch)
        );
        assert_eq!(
            claimed(None).check_at_hash(true, None, true),
            Err(IdTokenError::AccessTokenHashMissing),
            "id_token token"
        );
        assert_eq!(
            claimed(None).check_at_hash(true, None, false),
            Ok(()),
            "code"
        );
        assert_eq!(
            claimed(None).check_at_hash(false, None, true),
            Ok(()),
            "no access token came"
        );
        assert_eq!(
            right.check_at_hash(false, None, true),
            Ok(()),
            "no access token to compare with"
        );
    }
}
