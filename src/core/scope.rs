//! Scope values (RFC 6749 §3.3): `openid` always present, `offline_access` never.

use crate::core::encoding::first_char;
use crate::core::error::Error;
use crate::core::text::{code_point, concat, pieces, sort};
use alloc::{string::String, vec, vec::Vec};

/// NQCHAR, the bytes of a scope token: printable ASCII except `"` and `\`.
fn is_scope_byte(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E)
}

/// Normalises a scope: `openid` first, duplicates dropped (in `n log n`, whatever its length).
/// Its tokens must be NQCHAR separated by single spaces (RFC 6749 §3.3); anything else would be
/// read differently by the provider, so it is refused with the error `invalid` makes (the
/// caller's code). Refuses `offline_access`, because an SPA must never hold a refresh token.
pub(crate) fn with_openid(scope: &str, invalid: fn(String) -> Error) -> Result<String, Error> {
    // `openid` is written first and its other copies skipped: the scope's words are read twice
    // (once to gather and check them, once to write them in order) with no copy of the scope
    // with `openid` in front and no list of them to join (wasm size).
    if scope.is_empty() {
        return Ok("openid".into());
    }
    // One loop gathers the words and notes what is refused: no `extend` adapter, no second and
    // third pass (wasm size). Checked by byte (the syntax is ASCII); the first byte refused,
    // the error reported first wherever it is, is read as the character it begins (always one:
    // the bytes before it in its word are ASCII), to name it. No `char` decoding of the whole
    // scope. An empty token is the error reported next.
    let mut sorted = Vec::new();
    let (mut refused, mut empty, mut offline) = (None, false, false);
    for word in pieces(scope, b' ') {
        let bytes = word.as_bytes();
        if refused.is_none() {
            refused = bytes
                .iter()
                .position(|&b| !is_scope_byte(b))
                .and_then(|at| bytes.get(at..));
        }
        empty |= word.is_empty();
        offline |= word == "offline_access";
        sorted.push(word);
    }
    if let Some(refused) = refused {
        let c = first_char(refused).map_or(char::REPLACEMENT_CHARACTER, |(c, _)| c);
        return Err(invalid(concat(&[
            "scope may not hold ",
            &code_point(c),
            ": RFC 6749 §3.3",
        ])));
    }
    if empty {
        return Err(invalid("scope has an empty token: RFC 6749 §3.3".into()));
    }
    if offline {
        return Err(Error::OfflineAccessRefused);
    }
    // Each word is looked up in the sorted list; a lookup finds the same place for every copy
    // of a word (the search is deterministic), so that place's flag marks the word as sent.
    sort(&mut sorted);
    let mut sent = vec![false; sorted.len()];
    // Written straight into the result: no list of the kept words to join (wasm size).
    let mut normalised = String::from("openid");
    for word in pieces(scope, b' ') {
        // `get_mut`, not indexing: no bounds-check panic compiled in (`i` is always in range).
        let sent = sorted
            .binary_search(&word)
            .ok()
            .and_then(|i| sent.get_mut(i));
        if let Some(sent @ false) = sent.filter(|_| word != "openid") {
            *sent = true;
            normalised.push(' ');
            normalised.push_str(word);
        }
    }
    Ok(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalise(scope: &str) -> Result<String, Error> {
        with_openid(scope, Error::InvalidRequest)
    }

    #[test]
    fn openid_comes_first_once() {
        assert_eq!(
            normalise("profile openid email profile").unwrap(),
            "openid profile email"
        );
        assert_eq!(normalise("").unwrap(), "openid");
        assert_eq!(
            normalise("read:messages urn:x!#$%&'()*+,-./;<=>?@[]^_`{|}~").unwrap(),
            "openid read:messages urn:x!#$%&'()*+,-./;<=>?@[]^_`{|}~"
        );
    }

    #[test]
    fn offline_access_is_refused() {
        assert_eq!(
            normalise("openid offline_access").unwrap_err(),
            Error::OfflineAccessRefused
        );
    }

    #[test]
    fn only_single_spaces_separate_tokens_of_nqchar() {
        for (scope, named) in [
            ("openid\u{0B}offline_access", "U+000B"),
            ("openid\toffline_access", "U+0009"),
            ("openid\noffline_access", "U+000A"),
            ("openid\u{A0}offline_access", "U+00A0"),
            ("openid\u{3000}offline_access", "U+3000"),
            ("profile \"email\"", "U+0022"),
            ("a\\b", "U+005C"),
            ("caf\u{E9}", "U+00E9"),
            ("x\u{1F600}", "U+1F600"),
        ] {
            let refused = normalise(scope).unwrap_err();
            assert_eq!(refused.code(), "invalid_request", "{scope:?}");
            assert!(refused.description().contains(named), "{scope:?}");
        }
        for scope in ["openid  profile", " openid", "profile ", " "] {
            let refused = normalise(scope).unwrap_err();
            assert!(refused.description().contains("empty token"), "{scope:?}");
        }
        let configured = with_openid("a\u{0B}b", Error::Configuration).unwrap_err();
        assert_eq!(configured.code(), "invalid_configuration");
    }

    /// Comparing every pair of 50,000 tokens takes over a billion comparisons (many seconds);
    /// sorting takes under a million. The property suite measures the growth itself.
    #[test]
    fn a_long_scope_is_normalised_without_comparing_every_pair() {
        let words: Vec<String> = (0..50_000)
            .map(|i| concat(&["s", &crate::core::text::decimal(i)]))
            .collect();
        let scope = words.join(" ");
        let started = std::time::Instant::now();
        let normalised = normalise(&scope).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(normalised.len(), "openid ".len() + scope.len());
    }
}
