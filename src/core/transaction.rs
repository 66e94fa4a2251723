//! The transaction: what the SDK remembers between sending the user to the provider and reading
//! the answer. It holds no token, only the state, the nonce, the PKCE code verifier and the app's
//! own `appState`.

use crate::core::config::ResponseType;
use crate::core::encoding::{form_decode_as, named, push_pair};
use crate::core::pkce::CodeVerifier;
use crate::core::response::ParamValue;
use crate::core::secret::Secret;
use crate::core::text::{cut, decimal, pieces, whole_number};
use alloc::string::String;

/// How long a login may take before its transaction is no longer accepted.
pub(crate) const LIFETIME_MS: f64 = 30.0 * 60.0 * 1000.0;

/// The storage key prefix; the state follows it, one key per state, so logins in two tabs do not
/// collide.
pub(crate) const KEY_PREFIX: &str = "spa-auth.tx.";

/// Whether a transaction made at `created_at` is older than [`LIFETIME_MS`] at `now_ms`, or
/// claims to come from the future.
fn expired(created_at: f64, now_ms: f64) -> bool {
    !(created_at..=created_at + LIFETIME_MS).contains(&now_ms)
}

/// A pending authorization request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Transaction {
    /// The `state` sent, which the response must echo (RFC 6749 §10.12).
    pub(crate) state: Secret,
    /// The `nonce` sent, which the ID token must carry (OpenID Connect Core §3.2.2.11).
    pub(crate) nonce: Secret,
    /// The response type asked for.
    pub(crate) response_type: ResponseType,
    /// The redirect URI asked for, which the token request repeats (RFC 6749 §4.1.3).
    pub(crate) redirect_uri: String,
    /// The PKCE code verifier, exactly when the response type is `code`.
    pub(crate) code_verifier: Option<CodeVerifier>,
    /// The scope asked for, reported when the response names none, and asked for again by the
    /// session's renewals.
    pub(crate) scope: String,
    /// The audience asked for, asked for again by the session's renewals.
    pub(crate) audience: Option<String>,
    /// `max_age`, checked against `auth_time`.
    pub(crate) max_age: Option<u64>,
    /// The app's `appState`, as JSON.
    pub(crate) app_state: Option<String>,
    /// When the request was made, in ms since the epoch.
    pub(crate) created_at: f64,
}

impl Transaction {
    /// Whether the transaction is older than [`LIFETIME_MS`] (or claims to come from the future).
    pub(crate) fn is_expired(&self, now_ms: f64) -> bool {
        expired(self.created_at, now_ms)
    }

    /// Whether the stored form `stored` is expired at `now_ms`, or has no readable `created_at`:
    /// the sweep of old transactions reads that pair alone, as written (digits need no
    /// decoding), with nothing decoded nor copied (wasm size). An entry that passes here but is
    /// otherwise malformed is never accepted ([`Transaction::decode`] refuses it) and goes once
    /// it is old.
    pub(crate) fn is_stale(stored: &str, now_ms: f64) -> bool {
        let created_at = pieces(stored, b'&').find_map(|pair| match cut(pair, b'=') {
            Some(("created_at", digits)) => whole_number(digits),
            _ => None,
        });
        created_at.is_none_or(|at| expired(at as f64, now_ms))
    }

    /// The stored form, for the client `client_id`: form-encoded, one field a pair, written
    /// straight into one string (no list of pairs first: wasm size). The client is written into
    /// the stored form only, not held in the transaction: only reading it back compares it
    /// ([`Transaction::decode`]), so that two apps on one origin never take each other's.
    pub(crate) fn encode(&self, client_id: &str) -> String {
        let mut out = String::new();
        push_pair(&mut out, "state", self.state.expose());
        push_pair(&mut out, "nonce", self.nonce.expose());
        push_pair(&mut out, "client_id", client_id);
        push_pair(&mut out, "response_type", self.response_type.as_str());
        push_pair(&mut out, "redirect_uri", &self.redirect_uri);
        push_pair(&mut out, "scope", &self.scope);
        push_pair(&mut out, "created_at", &decimal(self.created_at as u64));
        if let Some(verifier) = &self.code_verifier {
            push_pair(&mut out, "code_verifier", verifier.expose());
        }
        if let Some(audience) = &self.audience {
            push_pair(&mut out, "audience", audience);
        }
        if let Some(max_age) = self.max_age {
            push_pair(&mut out, "max_age", &decimal(max_age));
        }
        if let Some(app_state) = &self.app_state {
            push_pair(&mut out, "app_state", app_state);
        }
        out
    }

    /// Reads the stored form of a transaction of the client `client_id`; `None` when it is
    /// another client's, or anything is missing or malformed. Every check reads the pairs in
    /// place; the values are copied only once all passed, so that no failure has a partly built
    /// transaction to drop (smaller in wasm).
    pub(crate) fn decode(stored: &str, client_id: &str) -> Option<Transaction> {
        // Decoded as a fragment is: one decoder in the wasm, not one per kind of value.
        let pairs = form_decode_as(stored, ParamValue::Text)?;
        let get = |name: &str| named(&pairs, name).and_then(ParamValue::text);
        if get("client_id")? != client_id {
            return None;
        }
        let response_type = ResponseType::parse(get("response_type")?).ok()?;
        let code_verifier = get("code_verifier");
        if code_verifier.is_some() != (response_type == ResponseType::Code) {
            return None;
        }
        let max_age = match get("max_age") {
            Some(digits) => Some(whole_number(digits)?),
            None => None,
        };
        let created_at = whole_number(get("created_at")?)? as f64;
        let (state, nonce) = (get("state")?, get("nonce")?);
        let (redirect_uri, scope) = (get("redirect_uri")?, get("scope")?);
        let code_verifier = match code_verifier {
            Some(v) => Some(CodeVerifier::read(v)?),
            None => None,
        };
        Some(Transaction {
            state: Secret::new(state.clone()),
            nonce: Secret::new(nonce.clone()),
            response_type,
            redirect_uri: redirect_uri.clone(),
            code_verifier,
            scope: scope.clone(),
            audience: get("audience").cloned(),
            max_age,
            app_state: get("app_state").cloned(),
            created_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx() -> Transaction {
        Transaction {
            state: "s&=1".into(),
            nonce: "n".into(),
            response_type: ResponseType::Code,
            redirect_uri: "https://app.example/cb".into(),
            code_verifier: Some(CodeVerifier::read(VERIFIER).unwrap()),
            scope: "openid profile".into(),
            audience: Some("https://api.example/".into()),
            max_age: Some(0),
            app_state: Some("{\"returnTo\":\"/orders?a=1&b=2\"}".into()),
            created_at: 1_700_000_000_000.0,
        }
    }

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn round_trips_through_storage_form() {
        assert_eq!(Transaction::decode(&tx().encode("c"), "c"), Some(tx()));
        let bare = Transaction {
            response_type: ResponseType::IdTokenToken,
            code_verifier: None,
            audience: None,
            max_age: None,
            app_state: None,
            ..tx()
        };
        assert_eq!(Transaction::decode(&bare.encode("c"), "c"), Some(bare));
    }

    #[test]
    fn a_verifier_comes_with_code_only_and_of_the_right_shape() {
        let implicit_with_verifier = Transaction {
            response_type: ResponseType::IdToken,
            ..tx()
        };
        assert_eq!(
            Transaction::decode(&implicit_with_verifier.encode("c"), "c"),
            None
        );
        let code_without = Transaction {
            code_verifier: None,
            ..tx()
        };
        assert_eq!(Transaction::decode(&code_without.encode("c"), "c"), None);
        let short = tx().encode("c").replace(VERIFIER, "short");
        assert_eq!(Transaction::decode(&short, "c"), None);
    }

    #[test]
    fn another_clients_transaction_is_not_read() {
        assert_eq!(Transaction::decode(&tx().encode("c"), "d"), None);
        assert_eq!(Transaction::decode(&tx().encode("c"), "c "), None);
    }

    #[test]
    fn malformed_records_are_rejected() {
        assert_eq!(Transaction::decode("state=s", "c"), None);
        assert_eq!(
            Transaction::decode(
                &tx().encode("c").replace("created_at=1", "created_at=x"),
                "c"
            ),
            None
        );
        assert_eq!(Transaction::decode("%zz", "c"), None);
    }

    #[test]
    fn expires_after_thirty_minutes() {
        let t = tx();
        assert!(!t.is_expired(t.created_at));
        assert!(!t.is_expired(t.created_at + LIFETIME_MS));
        assert!(t.is_expired(t.created_at + LIFETIME_MS + 1.0));
        assert!(t.is_expired(t.created_at - 1.0));
        let stored = t.encode("c");
        assert!(!Transaction::is_stale(&stored, t.created_at + LIFETIME_MS));
        assert!(Transaction::is_stale(
            &stored,
            t.created_at + LIFETIME_MS + 1.0
        ));
        assert!(Transaction::is_stale(&stored, t.created_at - 1.0));
        assert!(Transaction::is_stale("state=s", t.created_at));
        assert!(Transaction::is_stale("created_at=x", t.created_at));
    }

    #[test]
    fn debug_shows_no_secrets() {
        let shown = format!("{:?}", tx());
        assert!(!shown.contains("s&=1") && !shown.contains("\"n\"") && !shown.contains(VERIFIER));
    }
}
