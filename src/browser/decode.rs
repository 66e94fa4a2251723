//! JS values (parsed by the browser's `JSON.parse`, or posted in a message) turned into the
//! core's types, all in one place. A member of the wrong type counts as absent, and the core's
//! checks then say what is missing.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::json::{entries, has, member, number, parse_json, string, strings};
use crate::core::claims::Claims;
use crate::core::jwks::{Jwk, JwkSet};
use crate::core::jws::Header;
use crate::core::metadata::Discovery;

/// The discovery document's members the SDK uses.
pub(crate) fn discovery(value: &JsValue) -> Discovery {
    Discovery {
        issuer: string(value, "issuer"),
        authorization_endpoint: string(value, "authorization_endpoint"),
        token_endpoint: string(value, "token_endpoint"),
        authorization_response_iss_parameter_supported: member(
            value,
            "authorization_response_iss_parameter_supported",
        )
        .as_bool(),
        jwks_uri: string(value, "jwks_uri"),
        end_session_endpoint: string(value, "end_session_endpoint"),
        response_modes_supported: strings(value, "response_modes_supported"),
    }
}

/// A JWK Set; `None` when it has no `keys` array.
pub(crate) fn jwk_set(value: &JsValue) -> Option<JwkSet> {
    let keys: Array = member(value, "keys").dyn_into().ok()?;
    let jwk = |k: JsValue| Jwk {
        kty: string(&k, "kty"),
        kid: string(&k, "kid"),
        alg: string(&k, "alg"),
        use_: string(&k, "use"),
        n: string(&k, "n"),
        e: string(&k, "e"),
        crv: string(&k, "crv"),
        x: string(&k, "x"),
        y: string(&k, "y"),
    };
    Some(JwkSet {
        keys: keys.iter().map(jwk).collect(),
    })
}

/// A JOSE header from its JSON text; `None` when it is not a JSON object.
pub(crate) fn header(json: &str) -> Option<Header> {
    let v = parse_json(json)?;
    Some(Header {
        alg: string(&v, "alg"),
        kid: string(&v, "kid"),
        crit: has(&v, "crit"),
    })
}

/// The claims the verifier checks, from the parsed payload.
pub(crate) fn claims(v: &JsValue) -> Claims {
    Claims {
        iss: string(v, "iss"),
        sub: string(v, "sub"),
        aud: strings(v, "aud"),
        azp: string(v, "azp"),
        exp: number(v, "exp"),
        nbf: number(v, "nbf"),
        iat: number(v, "iat"),
        nonce: string(v, "nonce"),
        auth_time: number(v, "auth_time"),
        at_hash: string(v, "at_hash"),
    }
}

/// The string and number members of a response object (posted, or a token response's JSON), as
/// the text pairs a fragment would hold; members of other types are left out.
pub(crate) fn response_pairs(response: &JsValue) -> Vec<(String, String)> {
    entries(response)
        .into_iter()
        .filter_map(|(name, value)| {
            let text = match value.as_f64() {
                Some(_) => js_sys::JSON::stringify(&value).ok()?.into(),
                None => value.as_string()?,
            };
            Some((name, text))
        })
        .collect()
}
