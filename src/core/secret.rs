//! The one type for every secret value the SDK handles: tokens, `state`, `nonce`. Its `Debug`
//! prints `[redacted]`, so a derived `Debug` anywhere can never leak one into a log or an error.

use alloc::string::String;

/// A secret string. Read it with [`Secret::expose`], where it is really needed.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The secret itself: for the wire, WebCrypto, or the app that asked for it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.into())
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::from("eyJhbGciOi.secret");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(secret.expose(), "eyJhbGciOi.secret");
    }
}
