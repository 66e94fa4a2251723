//! How long the provider's keys are trusted without asking again, pure, with the clock passed in.
//! A key the provider withdrew (compromised, rotated out) must stop verifying within a bounded
//! time, and a token naming an unknown `kid` must not make every call fetch the JWKS. The same
//! bound holds for the provider's documents (discovery, JWKS) kept in `sessionStorage` across
//! page loads, stored as `"<ms> <json>"` ([`stored`], [`read_stored`]).

use alloc::string::String;

use crate::core::text::{concat, cut, decimal, exact_number};

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

/// A document fetched at `fetched_at` as it is stored: `"<ms> <json>"`.
pub(crate) fn stored(fetched_at: FetchedAt, json: &str) -> String {
    concat(&[&decimal(fetched_at.0 as u64), " ", json])
}

/// A stored document's JSON text and when it was fetched, when it is well formed and not stale
/// at `now_ms`; `None` otherwise (the caller fetches it again). A time in the future (a clock
/// that went back, or a value written to live forever) counts as stale.
pub(crate) fn read_stored(value: &str, now_ms: f64) -> Option<(&str, FetchedAt)> {
    let (ms, json) = cut(value, b' ')?;
    let at = FetchedAt(exact_number(ms)? as f64);
    (!at.is_stale(now_ms) && json.as_bytes().first() == Some(&b'{')).then_some((json, at))
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

    #[test]
    fn a_stored_document_is_read_back_while_fresh() {
        let value = stored(FetchedAt(T), r#"{"keys":[]}"#);
        assert_eq!(value, r#"1700000000000 {"keys":[]}"#);
        let read = read_stored(&value, T + 599_999.0);
        assert_eq!(read, Some((r#"{"keys":[]}"#, FetchedAt(T))));
        assert_eq!(read_stored(&value, T + 600_000.0), None, "ten minutes old");
        assert_eq!(read_stored(&value, T - 1.0), None, "fetched in the future");
    }

    #[test]
    fn a_malformed_stored_document_is_not_read() {
        for value in [
            "",
            "{}",
            "1700000000000",
            "1700000000000{}",
            " {}",
            "-1700000000000 {}",
            "1.7e12 {}",
            "17000000000000000000 {}",
            "1700000000000 []",
            "1700000000000 ",
            "1700000000x00 {}",
        ] {
            assert_eq!(read_stored(value, T), None, "{value:?}");
        }
    }
}
