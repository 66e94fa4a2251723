//! JS values (parsed by the browser's `JSON.parse`, or posted in a message) turned into the
//! core's types, all in one place. A member of the wrong type counts as absent, and the core's
//! checks then say what is missing.

use alloc::{string::String, vec::Vec};
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::json::{has, member, number, parse_json, string, strings};
use crate::core::claims::Claims;
use crate::core::jwks::PublishedKey;
use crate::core::jws::Header;
use crate::core::metadata::Discovery;
use crate::core::response::ParamValue;

/// A string member written into its field where the struct already is, by one out-of-line
/// function, instead of returned into a temporary and copied into the struct where it is built
/// (wasm size).
#[inline(never)]
fn string_to(slot: &mut Option<String>, value: &JsValue, name: &str) {
    *slot = string(value, name);
}

/// The discovery document's members the SDK uses.
pub(crate) fn discovery(value: &JsValue) -> Discovery {
    let mut d = Discovery::default();
    string_to(&mut d.issuer, value, "issuer");
    string_to(
        &mut d.authorization_endpoint,
        value,
        "authorization_endpoint",
    );
    string_to(&mut d.token_endpoint, value, "token_endpoint");
    d.iss_parameter_supported =
        member(value, "authorization_response_iss_parameter_supported") == JsValue::TRUE;
    string_to(&mut d.jwks_uri, value, "jwks_uri");
    string_to(&mut d.end_session_endpoint, value, "end_session_endpoint");
    d.lists_web_message = strings(value, "response_modes_supported")
        .iter()
        .any(|mode| mode == "web_message");
    d
}

/// A JWK Set's `keys` array, whose keys are read where they are ([`PublishedKey`]); `None` when
/// it has no `keys` array.
pub(crate) fn jwk_set(value: &JsValue) -> Option<Array> {
    let keys = member(value, "keys");
    // `Array.isArray`, as `json::strings` asks, not `dyn_into`'s `instanceof` (wasm size; the
    // same for what `JSON.parse` made).
    Array::is_array(&keys).then(|| keys.unchecked_into())
}

/// A key of a JWKS read in place: its members are not copied into Rust values and back.
impl PublishedKey for JsValue {
    fn member(&self, name: &str) -> Option<String> {
        string(self, name)
    }
}

/// A JOSE header from its JSON text; `None` when it is not a JSON object.
pub(crate) fn header(json: &str) -> Option<Header> {
    let v = parse_json(json)?;
    let mut h = Header::default();
    string_to(&mut h.alg, &v, "alg");
    string_to(&mut h.kid, &v, "kid");
    h.crit = has(&v, "crit");
    Some(h)
}

/// The claims the verifier checks, from the parsed payload.
pub(crate) fn claims(v: &JsValue) -> Claims {
    let mut c = Claims::default();
    string_to(&mut c.iss, v, "iss");
    string_to(&mut c.sub, v, "sub");
    c.aud = strings(v, "aud");
    string_to(&mut c.azp, v, "azp");
    c.exp = number(v, "exp");
    c.nbf = number(v, "nbf");
    c.iat = number(v, "iat");
    string_to(&mut c.nonce, v, "nonce");
    c.auth_time = number(v, "auth_time");
    string_to(&mut c.at_hash, v, "at_hash");
    c
}

/// The members of a response object (posted, or a token response's JSON), as the pairs a fragment
/// would hold. Numbers stay numbers and other values are marked as such, for the core to judge
/// (`expires_in` is often a JSON number); `null` counts as absent.
///
/// Read from `Object.entries` in one pass, with no list of the entries made first (wasm size).
pub(crate) fn response_pairs(response: &JsValue) -> Vec<(String, ParamValue)> {
    let mut pairs = Vec::new();
    if !response.is_object() {
        return pairs;
    }
    for entry in Object::entries(response.unchecked_ref()).iter() {
        let entry: Array = entry.unchecked_into();
        let (Some(name), value) = (entry.get_unchecked(0).as_string(), entry.get_unchecked(1))
        else {
            continue;
        };
        if value.is_null() || value.is_undefined() {
            continue;
        }
        let value = if let Some(text) = value.as_string() {
            ParamValue::Text(text)
        } else if let Some(number) = value.as_f64() {
            ParamValue::Number(number)
        } else {
            ParamValue::Other
        };
        pairs.push((name, value));
    }
    pairs
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::core::config::ResponseType;
    use crate::core::response::AuthResponse;
    use crate::core::token;

    fn pairs(members: &str, json_value: &str) -> Vec<(String, ParamValue)> {
        let json = [
            "{",
            members,
            ",\"scope\":null,\"expires_in\":",
            json_value,
            "}",
        ]
        .concat();
        response_pairs(&js_sys::JSON::parse(&json).unwrap())
    }

    /// `expires_in` of a posted answer, as the core reads it, or the error code.
    fn posted(json_value: &str) -> Result<Option<u64>, String> {
        let posted = pairs("\"id_token\":\"i\",\"state\":\"s\"", json_value);
        match AuthResponse::from_pairs(&posted, "https://op.example", false) {
            Ok(AuthResponse::Success(params)) => Ok(params
                .into_tokens(ResponseType::IdToken)
                .map_err(|e| e.code().to_owned())?
                .expires_in),
            Ok(AuthResponse::Error(e)) => Err(e.error.clone()),
            Err(e) => Err(e.code().to_owned()),
        }
    }

    /// `expires_in` of a token response, as the core reads it, or the error code.
    fn token_response(json_value: &str) -> Result<Option<u64>, String> {
        let members = "\"id_token\":\"i\",\"access_token\":\"a\",\"token_type\":\"Bearer\"";
        match token::tokens(200, pairs(members, json_value), "s") {
            Ok(tokens) => Ok(tokens.expires_in),
            Err(e) => Err(e.code().to_owned()),
        }
    }

    #[wasm_bindgen_test]
    fn expires_in_may_be_a_json_number_or_digits() {
        for read in [posted, token_response] {
            assert_eq!(read("3600"), Ok(Some(3600)));
            assert_eq!(read("\"3600\""), Ok(Some(3600)));
            assert_eq!(read("null"), Ok(None), "null counts as absent");
            for bad in [
                "1.5", "-1", "1e300", "true", "{}", "[60]", "\"+60\"", "\"60 \"",
            ] {
                assert_eq!(read(bad), Err("invalid_response".into()), "{bad}");
            }
        }
    }
}
