//! What the tabs of one app say to each other about the session (over a `BroadcastChannel`, see
//! `flow::tabs`): the channel's name, scoped to one issuer and one client, and its three messages
//! as form-encoded text, read strictly: anything else is not a message and is ignored.

use alloc::string::String;

use crate::core::encoding::{form_decode_as, push_pair, push_percent_encoded};
use crate::core::response::{ParamValue, Tokens};
use crate::core::secret::Secret;
use crate::core::text::{decimal, exact_number};

/// The longest message read, in bytes: tokens fit many times over.
const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// The name of the channel (and of the renewal lock) of the tabs that use `client_id` at
/// `issuer`: a tab of another client or provider never hears this one.
pub(crate) fn channel_name(issuer: &str, client_id: &str) -> String {
    // Written pair by pair after the prefix, as every form here is: no array of pairs (wasm
    // size).
    let mut name = String::from("spa-auth issuer=");
    push_percent_encoded(&mut name, issuer);
    push_pair(&mut name, "client_id", client_id);
    name
}

/// Tokens one tab shares, as the token response has them (RFC 6749 §5.1), with what the tab
/// asked for (so that another tab renews them the same way) and when they expire.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SharedTokens {
    /// The tokens, as a provider's answer has them (no `state`: it belonged to that tab's
    /// request), so that they are verified as they are, without being moved field by field.
    pub(crate) tokens: Tokens,
    /// When the tokens expire, in ms since the epoch (the tabs share one clock).
    pub(crate) expires_at: u64,
    /// The scope asked for, with `openid`.
    pub(crate) asked_scope: String,
    /// The audience asked for.
    pub(crate) audience: Option<String>,
}

const TOKEN_FIELDS: [&str; 8] = [
    "type",
    "id_token",
    "access_token",
    "expires_in",
    "expires_at",
    "scope",
    "asked_scope",
    "audience",
];

/// A new tab asks for the tokens held. Only this exact text is the question: each message
/// without tokens is compared whole, not decoded (wasm size).
pub(crate) const ASK: &str = "type=ask";

/// The session ended (`logout()`, `clearSession()`): every tab drops its tokens. Compared whole,
/// as [`ASK`] is.
pub(crate) const ENDED: &str = "type=ended";

/// The tokens a tab shares (an answer to [`ASK`], or a renewal's result) as [`SharedTokens`] has them, borrowed from where the tab holds them,
/// so that they are written without being copied first. No `Debug`: it holds tokens.
pub(crate) struct TokensToShare<'a> {
    pub(crate) id_token: &'a str,
    pub(crate) access_token: Option<&'a str>,
    pub(crate) expires_in: Option<u64>,
    pub(crate) expires_at: u64,
    pub(crate) scope: &'a str,
    pub(crate) asked_scope: &'a str,
    pub(crate) audience: Option<&'a str>,
}

impl TokensToShare<'_> {
    /// The tokens' message: form-encoded text, `type=tokens` first.
    pub(crate) fn encode(&self) -> String {
        // Written straight into one string, pair by pair: no list of pairs first (wasm size).
        let mut out = String::from("type=tokens");
        push_pair(&mut out, "id_token", self.id_token);
        push_pair(&mut out, "expires_at", &decimal(self.expires_at));
        push_pair(&mut out, "scope", self.scope);
        push_pair(&mut out, "asked_scope", self.asked_scope);
        if let Some(token) = self.access_token {
            push_pair(&mut out, "access_token", token);
        }
        if let Some(seconds) = self.expires_in {
            push_pair(&mut out, "expires_in", &decimal(seconds));
        }
        if let Some(audience) = self.audience {
            push_pair(&mut out, "audience", audience);
        }
        out
    }
}

impl SharedTokens {
    /// Reads a tokens' message: `type=tokens`, known names only, each at most once, the values
    /// of the right shape; `None` for anything else.
    pub(crate) fn decode(text: &str) -> Option<SharedTokens> {
        if text.len() > MAX_MESSAGE_BYTES {
            return None;
        }
        let pairs = form_decode_as(text, ParamValue::Text)?;
        // One pass: each pair's value goes to the slot of its name, in `TOKEN_FIELDS`' order;
        // an unknown name, or a name met twice, is no message. Borrowed, not copied: only the
        // values of a message that passes every check are copied.
        let mut slots: [Option<&str>; TOKEN_FIELDS.len()] = [None; TOKEN_FIELDS.len()];
        for (name, value) in &pairs {
            let i = TOKEN_FIELDS.iter().position(|field| field == name)?;
            if slots.get_mut(i)?.replace(value.text()?).is_some() {
                return None;
            }
        }
        let [kind, id_token, access_token, expires_in, expires_at, scope, asked_scope, audience] =
            slots;
        if kind? != "tokens" {
            return None;
        }
        let expires_in = match expires_in {
            Some(value) => Some(exact_number(value)?),
            None => None,
        };
        let id_token = id_token.filter(|t| !t.is_empty())?;
        let expires_at = exact_number(expires_at?)?;
        let (scope, asked_scope) = (scope?, asked_scope?);
        // Every check passed: only now copied, with nothing half-built to drop.
        Some(SharedTokens {
            tokens: Tokens {
                state: String::new(),
                id_token: id_token.into(),
                access_token: access_token.map(Secret::from),
                expires_in,
                scope: Some(scope.into()),
            },
            expires_at,
            asked_scope: asked_scope.into(),
            audience: audience.map(String::from),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::text::concat;

    /// `tokens` as a tab shares them.
    fn shared(shared: &SharedTokens) -> TokensToShare<'_> {
        let tokens = &shared.tokens;
        TokensToShare {
            id_token: tokens.id_token.expose(),
            access_token: tokens.access_token.as_ref().map(Secret::expose),
            expires_in: tokens.expires_in,
            expires_at: shared.expires_at,
            scope: tokens.scope.as_deref().unwrap_or_default(),
            asked_scope: &shared.asked_scope,
            audience: shared.audience.as_deref(),
        }
    }

    fn tokens() -> SharedTokens {
        SharedTokens {
            tokens: Tokens {
                state: String::new(),
                id_token: "eyJ.id.token".into(),
                access_token: Some("at+/=".into()),
                expires_in: Some(3600),
                scope: Some("read:messages".into()),
            },
            expires_at: 1_700_000_000_000,
            asked_scope: "openid profile read:messages".into(),
            audience: Some("https://api.example/".into()),
        }
    }

    #[test]
    fn the_channel_is_named_by_issuer_and_client() {
        assert_eq!(
            channel_name("https://op.example/", "spa&x"),
            "spa-auth issuer=https%3A%2F%2Fop.example%2F&client_id=spa%26x"
        );
        assert_ne!(
            channel_name("https://op.example", "a"),
            channel_name("https://op.example", "b")
        );
    }

    #[test]
    fn every_message_reads_back_as_written() {
        let mut minimal = tokens();
        minimal.tokens.access_token = None;
        minimal.tokens.expires_in = None;
        minimal.audience = None;
        for tokens in [tokens(), minimal] {
            let text = shared(&tokens).encode();
            assert_eq!(SharedTokens::decode(&text), Some(tokens));
        }
        assert_eq!(SharedTokens::decode(ASK), None);
        assert_eq!(SharedTokens::decode(ENDED), None);
        assert_eq!(
            shared(&tokens()).encode(),
            "type=tokens&id_token=eyJ.id.token&expires_at=1700000000000&scope=read%3Amessages\
             &asked_scope=openid%20profile%20read%3Amessages&access_token=at%2B%2F%3D\
             &expires_in=3600&audience=https%3A%2F%2Fapi.example%2F"
        );
    }

    #[test]
    fn anything_else_is_no_message() {
        let good = shared(&tokens()).encode();
        for bad in [
            "",
            "ask",
            "type=ASK",
            "type=hello",
            "type=ask&id_token=x&expires_at=1&scope=&asked_scope=openid",
            "type=ended&type=ended",
            "type=ask&extra=1",
            "type=tokens",
            "type=tokens&id_token=&expires_at=1&scope=&asked_scope=openid",
            "type=tokens&id_token=x&scope=&asked_scope=openid",
            "type=tokens&id_token=x&expires_at=-1&scope=&asked_scope=openid",
            "type=tokens&id_token=x&expires_at=1e3&scope=&asked_scope=openid",
            "type=tokens&id_token=x&expires_at=99999999999999999&scope=&asked_scope=openid",
            "type=tokens&id_token=x&expires_at=1&scope=&asked_scope=openid&expires_in=%2B1",
            "type=tokens&id_token=x&expires_at=1&asked_scope=openid",
            "type=tokens&id_token=%FF&expires_at=1&scope=&asked_scope=openid",
        ] {
            assert_eq!(SharedTokens::decode(bad), None, "{bad}");
            assert!(bad != ASK && bad != ENDED);
        }
        assert_eq!(
            SharedTokens::decode(&concat(&[&good, "&refresh_token=r"])),
            None
        );
        assert_eq!(SharedTokens::decode(&concat(&[&good, "&scope=x"])), None);
        let long = concat(&[&good, "&audience=", &"a".repeat(MAX_MESSAGE_BYTES)]);
        assert_eq!(SharedTokens::decode(&long), None);
    }
}
