//! The provider's JSON Web Key Set (RFC 7517) and the choice of the key for a token.

use crate::core::encoding::base64url_decode;
use crate::core::error::IdTokenError;
use crate::core::jws::Algorithm;
use alloc::string::String;

/// A public key of the provider's JWKS, read where it is held (the browser's parsed JWKS): the
/// keys are not copied into Rust values and back (wasm size). A member absent or of another type
/// than string reads as `None`.
pub(crate) trait PublishedKey {
    /// The string member `name`.
    fn member(&self, name: &str) -> Option<String>;
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

/// Whether a member read as `read` is `expected` (`None`: absent, or not a string): one place
/// compares and frees the copy read, for every member the selection asks about (wasm size).
fn is(read: Option<String>, expected: Option<&str>) -> bool {
    read.as_deref() == expected
}

/// Whether member `name` is absent (or not a string) or the string `value`.
fn absent_or(key: &impl PublishedKey, name: &str, value: &str) -> bool {
    let read = key.member(name);
    read.is_none() || is(read, Some(value))
}

fn is_for_signing(key: &impl PublishedKey) -> bool {
    absent_or(key, "use", "sig")
}

/// Whether the signing key (as [`select`] asks only of those) can verify `alg`: of its type (and
/// curve), with its own `alg` if it names one, and the public members WebCrypto needs, as strings
/// (the members [`public_members`] names). `Some` with the RSA modulus's length in bits (0 for EC)
/// when it can, so that the length is worked out once.
fn bits_if_fits(key: &impl PublishedKey, alg: Algorithm) -> Option<u64> {
    let bits = match alg {
        Algorithm::ES256 => (is(key.member("crv"), Some("P-256"))
            && !is(key.member("x"), None)
            && !is(key.member("y"), None))
        .then_some(0),
        Algorithm::RS256 | Algorithm::PS256 => key
            .member("n")
            .as_deref()
            .and_then(bit_length)
            .filter(|_| !is(key.member("e"), None)),
    };
    bits.filter(|_| {
        is(key.member("kty"), Some(alg.key_type())) && absent_or(key, "alg", alg.as_str())
    })
}

/// The public members of a key for `alg` that WebCrypto imports: those [`select`] found to be
/// strings in the key it chose. Only these, so that `alg`, `use` or `key_ops` in the JWKS cannot
/// change how WebCrypto imports it.
pub(crate) fn public_members(alg: Algorithm) -> &'static [&'static str] {
    match alg {
        Algorithm::ES256 => &["kty", "crv", "x", "y"],
        Algorithm::RS256 | Algorithm::PS256 => &["kty", "n", "e"],
    }
}

/// The key of `keys` (a JWKS's, in order) for a token signed with `alg` under `kid`: among the
/// keys that fit `alg`, the first with that `kid` (a `kid` is unique per key type only, RFC 7517
/// §4.5). Without a `kid`, or when the set's signing key has none, the set must hold a single
/// signing key, and it must fit (OpenID Connect Core §10.1). An RSA key shorter than 2048 bits is
/// refused.
pub(crate) fn select<K: PublishedKey>(
    keys: impl Iterator<Item = K>,
    alg: Algorithm,
    kid: Option<&str>,
) -> Result<K, IdTokenError> {
    // The signing keys counted, not collected: no `Vec` (wasm size).
    let (mut signing, mut last_signing) = (0, None);
    let mut chosen = None;
    for key in keys {
        if is_for_signing(&key) {
            signing += 1;
            if kid.is_some() && is(key.member("kid"), kid) {
                // The named key kept with its modulus's length, so that it is worked out once.
                if let Some(bits) = bits_if_fits(&key, alg) {
                    chosen = Some((key, bits));
                    break;
                }
            }
            last_signing = Some(key);
        }
    }
    if chosen.is_none() {
        chosen = last_signing
            .filter(|only| signing == 1 && (kid.is_none() || is(only.member("kid"), None)))
            .and_then(|key| bits_if_fits(&key, alg).map(|bits| (key, bits)));
    }
    let Some((key, bits)) = chosen else {
        return Err(IdTokenError::KeyNotFound(kid.map(Into::into)));
    };
    if alg != Algorithm::ES256 && bits < MIN_RSA_BITS {
        return Err(IdTokenError::KeyTooShort { bits });
    }
    Ok(key)
}

/// A key as plain fields, for the core's tests.
#[cfg(test)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Jwk {
    pub(crate) kty: Option<String>,
    pub(crate) kid: Option<String>,
    pub(crate) alg: Option<String>,
    pub(crate) use_: Option<String>,
    pub(crate) n: Option<String>,
    pub(crate) e: Option<String>,
    pub(crate) crv: Option<String>,
    pub(crate) x: Option<String>,
    pub(crate) y: Option<String>,
}

#[cfg(test)]
impl PublishedKey for &Jwk {
    fn member(&self, name: &str) -> Option<String> {
        match name {
            "kty" => &self.kty,
            "kid" => &self.kid,
            "alg" => &self.alg,
            "use" => &self.use_,
            "n" => &self.n,
            "e" => &self.e,
            "crv" => &self.crv,
            "x" => &self.x,
            "y" => &self.y,
            _ => &None,
        }
        .clone()
    }
}

/// A JWK Set of plain keys, for the core's tests.
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub(crate) struct JwkSet {
    pub(crate) keys: alloc::vec::Vec<Jwk>,
}

#[cfg(test)]
impl JwkSet {
    pub(crate) fn select(&self, alg: Algorithm, kid: Option<&str>) -> Result<&Jwk, IdTokenError> {
        select(self.keys.iter(), alg, kid)
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
