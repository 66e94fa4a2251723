//! The provider's JSON Web Key Set (RFC 7517) and the choice of the key for a token.

use crate::core::jws::Algorithm;

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

impl Jwk {
    fn is_for_signing(&self) -> bool {
        self.use_.as_deref().is_none_or(|u| u == "sig")
    }

    fn fits(&self, alg: Algorithm) -> bool {
        let members = match alg {
            Algorithm::ES256 => {
                self.crv.as_deref() == Some("P-256") && self.x.is_some() && self.y.is_some()
            }
            Algorithm::RS256 | Algorithm::PS256 => self.n.is_some() && self.e.is_some(),
        };
        members
            && self.is_for_signing()
            && self.kty.as_deref() == Some(alg.key_type())
            && self.alg.as_deref().is_none_or(|a| a == alg.as_str())
    }
}

impl JwkSet {
    /// The key for a token signed with `alg` under `kid`. Without a `kid` (and for a set of one
    /// signing key without kids) the set must hold a single signing key (OpenID Connect Core §10.1).
    pub(crate) fn select(&self, alg: Algorithm, kid: Option<&str>) -> Option<&Jwk> {
        let signing: Vec<&Jwk> = self.keys.iter().filter(|k| k.is_for_signing()).collect();
        let single = match signing[..] {
            [only] if kid.is_none() || only.kid.is_none() => Some(only),
            _ => None,
        };
        let key = match kid {
            Some(kid) => signing
                .into_iter()
                .find(|k| k.kid.as_deref() == Some(kid))
                .or(single),
            None => single,
        };
        key.filter(|k| k.fits(alg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rsa(kid: Option<&str>) -> Jwk {
        Jwk {
            kty: Some("RSA".into()),
            kid: kid.map(Into::into),
            n: Some("n".into()),
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

    #[test]
    fn matches_by_kid_and_algorithm() {
        let set = JwkSet {
            keys: vec![rsa(Some("r1")), ec("e1"), rsa(Some("r2"))],
        };
        assert_eq!(set.select(Algorithm::RS256, Some("r2")), Some(&set.keys[2]));
        assert_eq!(set.select(Algorithm::ES256, Some("e1")), Some(&set.keys[1]));
        assert_eq!(
            set.select(Algorithm::RS256, Some("e1")),
            None,
            "an EC key never verifies RS256"
        );
        assert_eq!(
            set.select(Algorithm::RS256, Some("r3")),
            None,
            "unknown kid"
        );
        assert_eq!(
            set.select(Algorithm::RS256, None),
            None,
            "several keys need a kid"
        );
    }

    #[test]
    fn one_key_and_no_kid_is_accepted() {
        let set = JwkSet {
            keys: vec![rsa(Some("r1"))],
        };
        assert_eq!(set.select(Algorithm::RS256, None), Some(&set.keys[0]));
        let anonymous = JwkSet {
            keys: vec![rsa(None)],
        };
        assert_eq!(
            anonymous.select(Algorithm::PS256, Some("whatever")),
            Some(&anonymous.keys[0])
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
            None,
            "an encryption key never verifies"
        );
        assert_eq!(set.select(Algorithm::RS256, None), Some(&set.keys[1]));
        let pinned = JwkSet {
            keys: vec![Jwk {
                alg: Some("PS256".into()),
                ..rsa(Some("p"))
            }],
        };
        assert_eq!(pinned.select(Algorithm::RS256, Some("p")), None);
        assert!(pinned.select(Algorithm::PS256, Some("p")).is_some());
        let p384 = JwkSet {
            keys: vec![Jwk {
                crv: Some("P-384".into()),
                ..ec("e")
            }],
        };
        assert_eq!(p384.select(Algorithm::ES256, Some("e")), None);
    }
}
