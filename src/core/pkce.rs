//! Proof Key for Code Exchange (RFC 7636), S256 only: `plain` would hand the verifier to anyone
//! who reads the authorization request. The browser layer draws the verifier from
//! `crypto.getRandomValues` and hashes it with `crypto.subtle.digest`; this checks its shape and
//! writes the challenge.

use crate::core::encoding::{base64url, is_unreserved};
use crate::core::secret::Secret;
use alloc::string::String;

/// A code verifier of the shape RFC 7636 §4.1 requires: 43 to 128 unreserved characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeVerifier(Secret);

impl CodeVerifier {
    /// The verifier the browser layer drew (`crypto::random_string`): 32 bytes from
    /// `crypto.getRandomValues` in base64url, so 43 characters of that alphabet, all unreserved:
    /// the shape RFC 7636 §4.1 asks, by construction (the browser layer's test of
    /// `random_string` and `a_drawn_verifier_has_the_shape` here check it). So it is not checked
    /// again at run time, where the check could never fail; a verifier read back from storage
    /// is ([`CodeVerifier::read`]).
    pub(crate) fn drawn(random: String) -> CodeVerifier {
        CodeVerifier(Secret::new(random))
    }

    /// A verifier read back from storage, when it has the shape RFC 7636 §4.1 requires: 43 to
    /// 128 unreserved characters. Checked in place, copied once it passed.
    pub(crate) fn read(value: &str) -> Option<CodeVerifier> {
        let text = value.as_bytes();
        ((43..=128).contains(&text.len()) && text.iter().all(|&c| is_unreserved(c)))
            .then(|| CodeVerifier(Secret::new(value.into())))
    }

    /// The verifier itself: hashed for the challenge, then sent to the token endpoint.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose()
    }
}

/// The `code_challenge` for `code_challenge_method=S256`: base64url of the verifier's SHA-256.
pub(crate) fn s256_challenge(verifier_sha256: &[u8]) -> String {
    base64url(verifier_sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B.
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const VERIFIER_SHA256: [u8; 32] = [
        19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120, 173,
        109, 241, 68, 86, 110, 225, 137, 74, 203, 112, 249, 195,
    ];

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            s256_challenge(&VERIFIER_SHA256),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(CodeVerifier::read(VERIFIER).is_some());
    }

    #[test]
    fn verifier_is_43_to_128_unreserved_characters() {
        for ok in [
            "a".repeat(43),
            "Z9-._~".repeat(20) + "abcdefgh",
            "x".repeat(128),
        ] {
            assert!(CodeVerifier::read(&ok).is_some(), "{ok}");
        }
        for bad in [
            "a".repeat(42),
            "a".repeat(129),
            "a".repeat(42) + "+",
            "a".repeat(42) + "=",
            "a".repeat(42) + " ",
            "a".repeat(41) + "é",
        ] {
            assert!(CodeVerifier::read(&bad).is_none(), "{bad}");
        }
    }

    /// What `crypto::random_string` draws, 32 bytes in base64url, has the shape a verifier read
    /// back is checked for, whatever the bytes.
    #[test]
    fn a_drawn_verifier_has_the_shape() {
        for byte in [0, 0x3e, 0x7f, 0xfb, 0xff] {
            let drawn = base64url(&[byte; 32]);
            assert!(CodeVerifier::read(&drawn).is_some(), "{drawn}");
        }
    }

    #[test]
    fn debug_hides_the_verifier() {
        let verifier = CodeVerifier::read(VERIFIER).unwrap();
        assert!(!format!("{verifier:?}").contains(VERIFIER));
    }
}
