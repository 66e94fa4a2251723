//! The provider's JSON Web Key Set (RFC 7517) and the choice of the key for a token.

use crate::core::encoding::base64url_decode;
use crate::core::error::IdTokenError;
use crate::core::jws::Algorithm;
use alloc::{string::String, vec::Vec};

/// A public key as published in the JWKS. Members this verifier does not use are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Jwk {
    /// Key type: `RSA` or `EC`.
    pub(crate) kty: Option<String>,
    /// Key id.
    pub(crate) kid: Option<String>,
    /// The algorithm the key is for, when the provider says.
    pub(crate) alg: Option<String>,
    /// Intended use: `sig` or `enc`.
    pub(crate) use_: Option<String>,
    /// RSA modulus.
    pub(crate) n: Option<String>,
    /// RSA exponent.
    pub(crate) e: Option<String>,
    /// EC curve.
    pub(crate) crv: Option<String>,
    /// EC x coordinate.
    pub(crate) x: Option<String>,
    /// EC y coordinate.
    pub(crate) y: Option<String>,
}

/// A JWK Set.
#[derive(Debug, Clone, Default)]
pub(crate) struct JwkSet {
    /// The keys.
    pub(crate) keys: Vec<Jwk>,
}

/// The shortest RSA modulus accepted, in bits (RFC 7518 §3.3 and §3.5).
const MIN_RSA_BITS: u64 = 2048;

/// The bit length of a big-endian unsigned integer in base64url, leading zero bytes ignored;
/// `None` when it is not base64url.
fn bit_length(base64url: &str) -> Option<u64> {
    let bytes = base64url_decode(base64url)?;
    // Slice patterns, not `skip_while` and `count`: smaller in wasm.
    let mut significant: &[u8] = &bytes;
    while let [0, rest @ ..] = significant {
        significant = rest;
    }
    Some(match significant {
        [top, rest @ ..] => 8 * rest.len() as u64 + u64::from(8 - top.leading_zeros()),
        [] => 0,
    })
}

impl Jwk {
    fn is_for_signing(&self) -> bool {
        self.use_.as_deref().is_none_or(|u| u == "sig")
    }

    /// Whether the signing key (as [`JwkSet::select`] asks only of those) can verify `alg`: of its
    /// type (and curve), with its own `alg` if it names one, and the public members WebCrypto
    /// needs. `Some` with the RSA modulus's length in bits (0 for EC) when it can, so that the
    /// length is worked out once.
    fn bits_if_fits(&self, alg: Algorithm) -> Option<u64> {
        let bits = match alg {
            Algorithm::ES256 => {
                (self.crv.as_deref() == Some("P-256") && self.x.is_some() && self.y.is_some())
                    .then_some(0)
            }
            Algorithm::RS256 | Algorithm::PS256 => self
                .n
                .as_deref()
                .and_then(bit_length)
                .filter(|_| self.e.is_some()),
        };
        bits.filter(|_| {
            self.kty.as_deref() == Some(alg.key_type())
                && self.alg.as_deref().is_none_or(|a| a == alg.as_str())
        })
    }
}

impl JwkSet {
    /// The key for a token signed with `alg` under `kid`: among the keys that fit `alg`, the one
    /// with that `kid` (a `kid` is unique per key type only, RFC 7517 §4.5). Without a `kid`, or
    /// when the set's signing key has none, the set must hold a single signing key, and it must
    /// fit (OpenID Connect Core §10.1). An RSA key shorter than 2048 bits is refused.
    pub(crate) fn select(&self, alg: Algorithm, kid: Option<&str>) -> Result<&Jwk, IdTokenError> {
        // The signing keys counted, not collected: no `Vec` (wasm size).
        let (mut signing, mut last_signing) = (0, None);
        // The named key kept with its modulus's length, so that it is worked out once.
        let mut named = None;
        for key in &self.keys {
            if key.is_for_signing() {
                signing += 1;
                last_signing = Some(key);
                let fits_kid = kid.is_some() && key.kid.as_deref() == kid;
                if named.is_none() && fits_kid {
                    named = key.bits_if_fits(alg).map(|bits| (key, bits));
                }
            }
        }
        let Some((key, bits)) = named.or_else(|| {
            last_signing
                .filter(|only| signing == 1 && (kid.is_none() || only.kid.is_none()))
                .and_then(|key| key.bits_if_fits(alg).map(|bits| (key, bits)))
        }) else {
            return Err(IdTokenError::KeyNotFound(kid.map(Into::into)));
        };
        if alg != Algorithm::ES256 && bits < MIN_RSA_BITS {
            return Err(IdTokenError::KeyTooShort { bits });
        }
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::base64url;

    /// A base64url modulus of `bits` bits (the top one set), after `zeros` leading zero bytes.
    fn modulus(bits: usize, zeros: usize) -> String {
        let mut bytes = vec![0u8; zeros + bits.div_ceil(8)];
        bytes[zeros] = 1 << ((bits - 1) % 8);
        *bytes.last_mut().unwrap() |= 1;
        base64url(&bytes)
    }

    fn rsa(kid: Option<&str>) -> Jwk {
        Jwk {
            kty: Some("RSA".into()),
            kid: kid.map(Into::into),
            n: Some(modulus(2048, 0)),
            e: Some("AQAB".into()),
            ..Jwk::default()
        }
    }

    fn ec(kid: &str) -> Jwk {
        Jwk {
            kty: Some("EC".into()),
            kid: Some(kid.into()),
            crv: Some("P-256".into()),
            x: Some("x".into()),
            y: Some("y".into()),
            ..Jwk::default()
        }
    }

    fn not_found(kid: Option<&str>) -> Result<&'static Jwk, IdTokenError> {
        Err(IdTokenError::KeyNotFound(kid.map(Into::into)))
    }

    #[test]
    fn matches_by_kid_and_algorithm() {
        let set = JwkSet {
            keys: vec![rsa(Some("r1")), ec("e1"), rsa(Some("r2"))],
        };
        assert_eq!(set.select(Algorithm::RS256, Some("r2")), Ok(&set.keys[2]));
        assert_eq!(set.select(Algorithm::ES256, Some("e1")), Ok(&set.keys[1]));
        assert_eq!(
            set.select(Algorithm::RS256, Some("e1")),
            not_found(Some("e1")),
            "an EC key never verifies RS256"
        );
        assert_eq!(
            set.select(Algorithm::RS256, Some("r3")),
            not_found(Some("r3")),
            "unknown kid"
        );
        assert_eq!(
            set.select(Algorithm::RS256, None),
            not_found(None),
            "several RSA keys need a kid"
        );
    }

    #[test]
    fn a_kid_is_unique_per_key_type_only() {
        let set = JwkSet {
            keys: vec![ec("k"), rsa(Some("k"))],
        };
        assert_eq!(set.select(Algorithm::RS256, Some("k")), Ok(&set.keys[1]));
        assert_eq!(set.select(Algorithm::ES256, Some("k")), Ok(&set.keys[0]));
        let pinned = JwkSet {
            keys: vec![
                Jwk {
                    alg: Some("PS256".into()),
                    ..rsa(Some("k"))
                },
                Jwk {
                    alg: Some("RS256".into()),
                    ..rsa(Some("k"))
                },
            ],
        };
        assert_eq!(
            pinned.select(Algorithm::RS256, Some("k")),
            Ok(&pinned.keys[1])
        );
        let mixed = JwkSet {
            keys: vec![ec("e"), rsa(Some("r"))],
        };
        assert_eq!(
            mixed.select(Algorithm::RS256, None),
            not_found(None),
            "several signing keys need a kid, whatever their types"
        );
    }

    #[test]
    fn one_key_and_no_kid_is_accepted() {
        let set = JwkSet {
            keys: vec![rsa(Some("r1"))],
        };
        assert_eq!(set.select(Algorithm::RS256, None), Ok(&set.keys[0]));
        let anonymous = JwkSet {
            keys: vec![rsa(None)],
        };
        assert_eq!(
            anonymous.select(Algorithm::PS256, Some("whatever")),
            Ok(&anonymous.keys[0])
        );
    }

    #[test]
    fn encryption_keys_and_other_algorithms_are_skipped() {
        let enc = Jwk {
            use_: Some("enc".into()),
            ..rsa(Some("x"))
        };
        let set = JwkSet {
            keys: vec![enc, rsa(Some("r1"))],
        };
        assert_eq!(
            set.select(Algorithm::RS256, Some("x")),
            not_found(Some("x")),
            "an encryption key never verifies"
        );
        assert_eq!(set.select(Algorithm::RS256, None), Ok(&set.keys[1]));
        let pinned = JwkSet {
            keys: vec![Jwk {
                alg: Some("PS256".into()),
                ..rsa(Some("p"))
            }],
        };
        assert_eq!(
            pinned.select(Algorithm::RS256, Some("p")),
            not_found(Some("p"))
        );
        assert!(pinned.select(Algorithm::PS256, Some("p")).is_ok());
        let p384 = JwkSet {
            keys: vec![Jwk {
                crv: Some("P-384".into()),
                ..ec("e")
            }],
        };
        assert_eq!(
            p384.select(Algorithm::ES256, Some("e")),
            not_found(Some("e"))
        );
        let not_base64url = JwkSet {
            keys: vec![Jwk {
                n: Some("n".into()),
                ..rsa(Some("r"))
            }],
        };
        assert_eq!(
            not_base64url.select(Algorithm::RS256, Some("r")),
            not_found(Some("r"))
        );
    }

    #[test]
    fn rsa_keys_shorter_than_2048_bits_are_refused() {
        let with_modulus = |n: String| JwkSet {
            keys: vec![Jwk {
                n: Some(n),
                ..rsa(Some("r"))
            }],
        };
        for (bits, zeros) in [(2048, 0), (2048, 1), (4096, 0)] {
            let set = with_modulus(modulus(bits, zeros));
            assert_eq!(set.select(Algorithm::RS256, Some("r")), Ok(&set.keys[0]));
        }
        for (bits, zeros) in [(1024, 0), (2047, 0), (2047, 2), (8, 0)] {
            let set = with_modulus(modulus(bits, zeros));
            let refused = set.select(Algorithm::PS256, Some("r")).unwrap_err();
            assert_eq!(refused, IdTokenError::KeyTooShort { bits: bits as u64 });
            assert_eq!(refused.code(), "id_token_key_too_short");
        }
    }
}
