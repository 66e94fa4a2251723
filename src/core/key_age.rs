//! How long the provider's keys are trusted without asking again, pure, with the clock passed in.
//! A key the provider withdrew (compromised, rotated out) must stop verifying within a bounded
//! time, and a token naming an unknown `kid` must not make every call fetch the JWKS.

/// Keys older than this are fetched again before use.
const MAX_AGE_MS: f64 = 10.0 * 60_000.0;

/// An unknown `kid` fetches the JWKS again at most this often.
const UNKNOWN_KID_INTERVAL_MS: f64 = 30_000.0;

/// When a JWKS was fetched, in ms since the epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FetchedAt(pub(crate) f64);

impl FetchedAt {
    /// Whether the keys are too old to use (or the clock went back past their fetch).
    pub(crate) fn is_stale(self, now_ms: f64) -> bool {
        !(self.0..self.0 + MAX_AGE_MS).contains(&now_ms)
    }

    /// Whether a token with a `kid` the keys lack may fetch the JWKS again (key rotation).
    pub(crate) fn may_refetch(self, now_ms: f64) -> bool {
        !(self.0..self.0 + UNKNOWN_KID_INTERVAL_MS).contains(&now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: f64 = 1_700_000_000_000.0;

    #[test]
    fn keys_are_fresh_for_ten_minutes() {
        let fetched = FetchedAt(T);
        assert!(!fetched.is_stale(T));
        assert!(!fetched.is_stale(T + 599_999.0));
        assert!(fetched.is_stale(T + 600_000.0));
        assert!(fetched.is_stale(T - 1.0), "a clock that went back");
    }

    #[test]
    fn an_unknown_kid_refetches_at_most_every_30_s() {
        let fetched = FetchedAt(T);
        assert!(!fetched.may_refetch(T));
        assert!(!fetched.may_refetch(T + 29_999.0));
        assert!(fetched.may_refetch(T + 30_000.0));
        assert!(fetched.may_refetch(T - 1.0));
    }
}
