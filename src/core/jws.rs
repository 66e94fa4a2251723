//! Compact JWS (RFC 7515 §7.1) and the algorithms an ID token may be signed with.

use crate::core::encoding::{base64url_decode, utf8};
use crate::core::error::IdTokenError;
use crate::core::text::cut;
use alloc::{string::String, vec::Vec};

/// A signature algorithm the verifier supports. `none` and the `HS*` family are not among them:
/// a public client has no secret, and an HMAC "signed" with the provider's public key is forged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// RSASSA-PSS with SHA-256 and MGF1 with SHA-256.
    PS256,
}

impl Algorithm {
    /// The algorithm a JOSE `alg` names, if supported.
    pub(crate) fn parse(alg: &str) -> Option<Algorithm> {
        match alg {
            "RS256" => Some(Self::RS256),
            "ES256" => Some(Self::ES256),
            "PS256" => Some(Self::PS256),
            _ => None,
        }
    }

    /// The JOSE name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::RS256 => "RS256",
            Self::ES256 => "ES256",
            Self::PS256 => "PS256",
        }
    }

    /// The JWK `kty` of its keys.
    pub(crate) fn key_type(self) -> &'static str {
        match self {
            Self::ES256 => "EC",
            Self::RS256 | Self::PS256 => "RSA",
        }
    }
}

/// The JOSE header fields the verifier reads.
#[derive(Debug, Default)]
pub(crate) struct Header {
    /// `alg`.
    pub(crate) alg: Option<String>,
    /// `kid`.
    pub(crate) kid: Option<String>,
    /// Whether `crit` is present: extensions that must be understood (RFC 7515 §4.1.11); none are.
    pub(crate) crit: bool,
}

impl Header {
    /// The algorithm, if the allow-list has it and no `crit` extension is asked for.
    pub(crate) fn algorithm(&self, allowed: &[Algorithm]) -> Result<Algorithm, IdTokenError> {
        // `let … else`, not `ok_or`: an error built eagerly is dropped on success, in the wasm too.
        let Some(alg) = self.alg.as_deref() else {
            return Err(IdTokenError::Malformed("the header has no alg"));
        };
        let Some(algorithm) = Algorithm::parse(alg).filter(|a| allowed.contains(a)) else {
            // A loop, not a collect and a join: smaller in wasm.
            let mut configured = String::new();
            for a in allowed {
                if !configured.is_empty() {
                    configured.push_str(", ");
                }
                configured.push_str(a.as_str());
            }
            return Err(IdTokenError::AlgorithmNotAllowed {
                alg: alg.into(),
                configured,
            });
        };
        if self.crit {
            return Err(IdTokenError::CriticalHeader);
        }
        Ok(algorithm)
    }
}

/// A compact JWS split into its parts.
#[derive(Debug)]
pub(crate) struct Jws<'a> {
    /// The decoded header, JSON text.
    pub(crate) header: String,
    /// The decoded payload, JSON text.
    pub(crate) payload: String,
    /// `BASE64URL(header) '.' BASE64URL(payload)`, the bytes that were signed.
    pub(crate) signing_input: &'a str,
    /// The decoded signature (empty for an unsecured JWS).
    pub(crate) signature: Vec<u8>,
}

impl<'a> Jws<'a> {
    /// Splits and decodes a compact JWS. A JWE (five parts) is refused.
    pub(crate) fn parse(token: &'a str) -> Result<Jws<'a>, IdTokenError> {
        // The dots counted and the parts split at the first two by the cuts every other text
        // is split by, with no `Vec` of the parts and no search from the end of its own (wasm
        // size). With exactly two dots, the signing input is all before the second.
        let dots = token.bytes().filter(|&b| b == b'.').count();
        let parts = cut(token, b'.').and_then(|(header, rest)| {
            let (payload, signature) = cut(rest, b'.')?;
            let signing_input = token.get(..header.len() + 1 + payload.len())?;
            Some((signing_input, header, payload, signature))
        });
        let (2, Some((signing_input, header, payload, signature))) = (dots, parts) else {
            return Err(IdTokenError::Malformed(if dots == 4 {
                "a JWE (encrypted) is not supported"
            } else {
                "three dot-separated parts expected"
            }));
        };
        let text = |part: &str, why: &'static str| match base64url_decode(part)
            .and_then(|bytes| utf8(&bytes))
            .filter(|t| !t.is_empty())
        {
            Some(text) => Ok(text),
            None => Err(IdTokenError::Malformed(why)),
        };
        let header = text(header, "the header is not base64url-encoded UTF-8")?;
        let payload = text(payload, "the payload is not base64url-encoded UTF-8")?;
        let Some(signature) = base64url_decode(signature) else {
            return Err(IdTokenError::Malformed("the signature is not base64url"));
        };
        Ok(Jws {
            header,
            payload,
            signing_input,
            signature,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::base64url;

    fn token(header: &str, payload: &str, signature: &[u8]) -> String {
        [
            base64url(header.as_bytes()),
            base64url(payload.as_bytes()),
            base64url(signature),
        ]
        .join(".")
    }

    #[test]
    fn splits_a_compact_jws() {
        let t = token("{\"alg\":\"RS256\"}", "{\"sub\":\"1\"}", &[1, 2, 3]);
        let jws = Jws::parse(&t).unwrap();
        assert_eq!(
            (jws.header.as_str(), jws.payload.as_str()),
            ("{\"alg\":\"RS256\"}", "{\"sub\":\"1\"}")
        );
        assert_eq!(jws.signature, vec![1, 2, 3]);
        assert_eq!(jws.signing_input, &t[..t.rfind('.').unwrap()]);
    }

    #[test]
    fn refuses_what_is_not_a_compact_jws() {
        let code = |t: &str| Jws::parse(t).unwrap_err();
        assert_eq!(
            code("a.b"),
            IdTokenError::Malformed("three dot-separated parts expected")
        );
        assert_eq!(
            code("a.b.c.d.e"),
            IdTokenError::Malformed("a JWE (encrypted) is not supported")
        );
        assert!(matches!(code("!!.e30.AA"), IdTokenError::Malformed(_)));
        assert!(matches!(code("e30..AA"), IdTokenError::Malformed(_)));
        assert!(matches!(code("e30.e30.A="), IdTokenError::Malformed(_)));
    }

    #[test]
    fn only_allowed_asymmetric_algorithms_pass() {
        let header = |alg: &str| Header {
            alg: Some(alg.into()),
            ..Header::default()
        };
        let all = [Algorithm::RS256, Algorithm::ES256, Algorithm::PS256];
        let refused = |alg: &str, configured: &str| {
            Err(IdTokenError::AlgorithmNotAllowed {
                alg: alg.into(),
                configured: configured.into(),
            })
        };
        assert_eq!(header("ES256").algorithm(&all), Ok(Algorithm::ES256));
        assert_eq!(
            header("ES256").algorithm(&[Algorithm::RS256]),
            refused("ES256", "RS256")
        );
        for alg in ["none", "HS256", "HS512", "RS512", "rs256"] {
            assert_eq!(
                header(alg).algorithm(&all),
                refused(alg, "RS256, ES256, PS256")
            );
        }
        assert!(matches!(
            Header::default().algorithm(&all),
            Err(IdTokenError::Malformed(_))
        ));
        let crit = Header {
            crit: true,
            ..header("RS256")
        };
        assert_eq!(crit.algorithm(&all), Err(IdTokenError::CriticalHeader));
    }

    #[test]
    fn a_refused_alg_names_the_configured_algorithms_only() {
        let header = Header {
            alg: Some("HS256".into()),
            ..Header::default()
        };
        let refused = header
            .algorithm(&[Algorithm::RS256, Algorithm::PS256])
            .unwrap_err();
        assert_eq!(
            refused.description(),
            "alg \"HS256\" is not allowed (RS256, PS256)"
        );
    }
}
